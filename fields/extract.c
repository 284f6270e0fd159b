/*
 * Field extraction from OCR text lines.  The lines of a document are
 * folded into keys; every label, stop phrase and section start of the
 * document type is matched on word starts with a small edit distance; a
 * value is the text between its label and the next label on the line (or
 * the next line when it is empty there).  Values are parsed by type
 * (fields/parse.c), cross-checked (date in figures against date in words,
 * personal ID against birth year and sex), and given a confidence from the
 * OCR confidences of their words.
 *
 *   sohoa_doc_extract
 *   sohoa_page_from_text
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/page.h"
#include "sohoa/fields.h"
#include "fields_private.h"
#include "parse_private.h"
#include "extract_private.h"

/* ---- lines and word confidences ---- */

/* Token I of XL reads as word W. */
static int
tok_is(const struct xline *xl, size_t i, const struct sohoa_word *w)
{
	size_t len = xl->toks[i].end - xl->toks[i].start;

	return w->text != NULL && strlen(w->text) == len &&
	    memcmp(w->text, xl->text + xl->toks[i].start, len) == 0;
}

/*
 * Words W[J..J+N) of N words are a row's first or last (a whole part of
 * the row), all of that row.
 */
static int
row_part(const struct sohoa_word *w, size_t nw, size_t j, size_t n)
{
	if (w[j].line != w[j + n - 1].line)
		return 0;
	return j == 0 || w[j - 1].line != w[j].line || j + n == nw ||
	    w[j + n].line != w[j].line;
}

/*
 * The first of the words of P that read as XL's tokens one for one, from
 * word FROM on, else from the first; (size_t)-1 when none do.  A line of
 * the text is a part of one row, its first or its last words, but not
 * always in the words' order: a table's cells and a header's two blocks
 * are read one after the other (ocr/tess_order.c, sohoa_tess_text).
 */
static size_t
line_words(const struct xline *xl, const struct sohoa_page *p, size_t from)
{
	size_t j, i, lo, hi, pass;

	if (xl->ntoks == 0 || xl->ntoks > p->nwords)
		return (size_t)-1;
	for (pass = 0; pass < 2; pass++) {
		lo = pass == 0 ? from : 0;
		hi = pass == 0 ? p->nwords - xl->ntoks + 1 : from;
		for (j = lo; j < hi && j + xl->ntoks <= p->nwords; j++) {
			for (i = 0; i < xl->ntoks &&
			    tok_is(xl, i, &p->words[j + i]); i++)
				;
			if (i == xl->ntoks &&
			    row_part(p->words, p->nwords, j, xl->ntoks))
				return j;
		}
	}
	return (size_t)-1;
}

/* Token T gets word W's confidence and box. */
static void
tok_set(struct tok *t, const struct sohoa_word *w)
{
	t->conf = w->conf;
	t->x0 = w->x0;
	t->y0 = w->y0;
	t->x1 = w->x1;
	t->y1 = w->y1;
}

/*
 * Give each token of LINE the confidence and box of its word of the
 * page: the run of words that reads as the whole line, else walking the
 * words in order from *PW; words the pipeline split or merged
 * differently get the page mean.
 */
static void
assign_conf(struct xline *xl, const struct sohoa_page *p, size_t *pw)
{
	size_t i, j, at = line_words(xl, p, *pw);

	for (i = 0; i < xl->ntoks; i++)
		xl->toks[i].conf = p->confidence > 0 ? p->confidence : 90.0f;
	if (at != (size_t)-1) {
		for (i = 0; i < xl->ntoks; i++)
			tok_set(&xl->toks[i], &p->words[at + i]);
		*pw = at + xl->ntoks;
		return;
	}
	for (i = 0; i < xl->ntoks; i++) {
		for (j = *pw; j < p->nwords && j < *pw + 8; j++) {
			if (tok_is(xl, i, &p->words[j])) {
				tok_set(&xl->toks[i], &p->words[j]);
				*pw = j + 1;
				break;
			}
		}
	}
}

static int
tokenize(struct xline *xl)
{
	size_t i = 0, n = 0;

	/* calloc: a token no word matches has no box (all 0) */
	xl->toks = calloc(xl->len / 2 + 2, sizeof(*xl->toks));
	if (xl->toks == NULL)
		return SOHOA_ERR_NOMEM;
	while (i < xl->len) {
		while (i < xl->len && isspace((unsigned char)xl->text[i]))
			i++;
		if (i == xl->len)
			break;
		xl->toks[n].start = i;
		while (i < xl->len && !isspace((unsigned char)xl->text[i]))
			i++;
		xl->toks[n].end = i;
		n++;
	}
	xl->ntoks = n;
	return SOHOA_OK;
}

static int
add_line(struct doc *d, const char *s, size_t n, const struct sohoa_page *p,
    size_t *pw)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT;
	struct xline *xl;
	int rc;

	if (d->nlines == d->alines) {
		size_t na = d->alines ? 2 * d->alines : 64;
		struct xline *nv = realloc(d->lines, na * sizeof(*nv));

		if (nv == NULL)
			return SOHOA_ERR_NOMEM;
		d->lines = nv;
		d->alines = na;
	}
	rc = sohoa_utf8_nfc(s, n, &nfc);
	if (rc != SOHOA_OK)
		goto out;
	xl = &d->lines[d->nlines];
	memset(xl, 0, sizeof(*xl));
	xl->len = nfc.len;
	xl->text = sohoa_buf_detach(&nfc, NULL);
	if (xl->text == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	rc = fkey_build(xl->text, xl->len, &xl->k);
	if (rc == SOHOA_OK)
		rc = tokenize(xl);
	if (rc != SOHOA_OK) {
		fkey_release(&xl->k);
		free(xl->toks);
		free(xl->text);
		goto out;
	}
	/* lines with nothing to read (rules, leaders) are dropped */
	if (xl->k.len == 0) {
		fkey_release(&xl->k);
		free(xl->toks);
		free(xl->text);
		d->gap = 1;
		goto out;
	}
	xl->gap_before = d->gap;
	d->gap = 0;
	assign_conf(xl, p, pw);
	d->nlines++;
out:
	sohoa_buf_release(&nfc);
	return rc;
}

static void
doc_release(struct doc *d)
{
	size_t i;

	for (i = 0; i < d->nlines; i++) {
		fkey_release(&d->lines[i].k);
		free(d->lines[i].toks);
		free(d->lines[i].text);
	}
	free(d->lines);
	free(d->hits);
	memset(d, 0, sizeof(*d));
}

static int
doc_lines(struct doc *d, const struct sohoa_page *const *pages, size_t npages)
{
	size_t pi, w;
	double sum = 0;
	int n = 0, rc;

	for (pi = 0; pi < npages; pi++) {
		const struct sohoa_page *p = pages[pi];
		const char *s, *e;

		if (p == NULL || p->status == SOHOA_PAGE_BLANK ||
		    p->text == NULL)
			continue;
		if (p->confidence > 0) {
			sum += p->confidence;
			n++;
		}
		w = 0;
		d->gap = 1;
		for (s = p->text; *s != '\0'; s = *e ? e + 1 : e) {
			e = strchr(s, '\n');
			if (e == NULL)
				e = s + strlen(s);
			rc = add_line(d, s, (size_t)(e - s), p, &w);
			if (rc != SOHOA_OK)
				return rc;
		}
	}
	d->page_conf = n > 0 ? (float)(sum / n) : 90.0f;
	return SOHOA_OK;
}

static int join_wrapped(struct sohoa_buf *raw, const char *s, size_t n);
static int opens_unit(const char *s, size_t n);

/*
 * Join line B onto line A as a wrapped value is joined (join_wrapped:
 * specks at the break dropped), each token keeping its confidence and
 * box.  B is released.
 */
static int
xline_join(struct xline *a, struct xline *b)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	struct xline j;
	size_t i, o = 0, k;
	int rc;

	memset(&j, 0, sizeof(j));
	rc = sohoa_buf_add(&t, a->text, a->len);
	if (rc == SOHOA_OK)
		rc = join_wrapped(&t, b->text, b->len);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&t);
		return rc;
	}
	j.len = t.len;
	j.text = sohoa_buf_detach(&t, NULL);
	j.gap_before = a->gap_before;
	rc = j.text != NULL ? fkey_build(j.text, j.len, &j.k) :
	    SOHOA_ERR_NOMEM;
	if (rc == SOHOA_OK)
		rc = tokenize(&j);
	if (rc != SOHOA_OK) {
		fkey_release(&j.k);
		free(j.toks);
		free(j.text);
		return rc;
	}
	/*
	 * The old tokens in order; a speck dropped at the break is passed
	 * over, a token join_wrapped changed ("cho." -> "cho") takes the
	 * next one's values.
	 */
	for (i = 0; i < j.ntoks; i++) {
		struct tok *nt = &j.toks[i];
		size_t n = nt->end - nt->start, start = nt->start, end = nt->end;
		size_t hit = (size_t)-1;

		for (k = o; k < a->ntoks + b->ntoks && k < o + 3 &&
		    hit == (size_t)-1; k++) {
			const struct xline *src = k < a->ntoks ? a : b;
			const struct tok *ot = &src->toks[k < a->ntoks ? k :
			    k - a->ntoks];

			if (ot->end - ot->start == n && memcmp(src->text +
			    ot->start, j.text + nt->start, n) == 0)
				hit = k;
		}
		if (hit == (size_t)-1 && o < a->ntoks + b->ntoks)
			hit = o;
		if (hit == (size_t)-1)
			continue;
		*nt = hit < a->ntoks ? a->toks[hit] : b->toks[hit - a->ntoks];
		nt->start = start;
		nt->end = end;
		o = hit + 1;
	}
	fkey_release(&a->k);
	free(a->toks);
	free(a->text);
	fkey_release(&b->k);
	free(b->toks);
	free(b->text);
	*a = j;
	memset(b, 0, sizeof(*b));
	return SOHOA_OK;
}

static int try_phrase(const struct xline *l, size_t start,
    const struct dt_phrase *ph, int *pscore, size_t *pend);

/* 1 when line L opens with one of the phrases of PS. */
static int
opens_with(const struct xline *l, const struct dt_phrases *ps)
{
	size_t j, end;
	int score;

	for (j = 0; j < ps->n; j++)
		if (try_phrase(l, 0, &ps->v[j], &score, &end))
			return 1;
	return 0;
}

/*
 * 1 when line L opens like the first word of a start phrase of section S
 * with a number after it: "Điều 2." in a section started by "Điều 1".
 */
static int
opens_article(const struct xline *l, const struct dt_section *s)
{
	size_t j, n;

	for (j = 0; j < s->starts.n; j++) {
		const char *k = s->starts.v[j].key;

		for (n = 0; k[n] != '\0' && !isdigit((unsigned char)k[n]); n++)
			;
		if (n > 0 && k[n] != '\0' && l->k.len > n &&
		    memcmp(l->k.key, k, n) == 0 &&
		    isdigit((unsigned char)l->k.key[n]))
			return 1;
	}
	return 0;
}

/*
 * 1 when line L opens with the last word of a name going on from the line
 * above: one capitalised word, a comma, then small letters ("Bình, sinh
 * ngày …").  No paragraph opens so.  A full stop there is a comma OCR
 * misread ("Hoài. sinh ngày"): no sentence opens in small letters.
 */
static int
name_ends(const struct xline *l)
{
	size_t n = strcspn(l->text, " ,.");

	return n > 0 && (l->text[n] == ',' || l->text[n] == '.') &&
	    l->text[n + 1] == ' ' &&
	    text_starts_upper(l->text, n) && !text_all_upper(l->text, n) &&
	    text_starts_lower(l->text + n + 2, l->len - n - 2);
}

/*
 * 1 when line L is an item of a list ("- Như Điều 3;", "+ …"): a dash
 * before words in small letters is a speck at the start of a line that
 * goes on with the sentence above ("nơi cư" / "- trú: …").
 */
static int
list_item(const struct xline *l)
{
	const char *p = l->text + 1;

	if (l->text[0] != '-' && l->text[0] != '+')
		return 0;
	while (*p == ' ')
		p++;
	return !text_starts_lower(p, strlen(p));
}

/*
 * The lines of a section written as prose (`prose = yes`: a decision's
 * articles) broke wherever the margin fell: "… cho ông Rmah Blui, sinh" /
 * "ngày 29 tháng 04 năm 1963, …".  Such a line is joined onto the one
 * above, so that labels and values read across the break, unless it opens
 * a paragraph: after an empty line (unless the sentence goes on in small
 * letters after it: "… sinh" / "" / "ngày 11/03/1950", or a name ends on
 * it: "… ông Hồ Yên" / "" / "Bình, sinh ngày"), a sentence's end
 * ('.', ';') or a line that stops short of the margin (under 60% of the
 * longest line of the prose), at a list item (list_item), with a section
 * start, a stop phrase or the next article ("Điều 2"); lines in capitals
 * (the signer's titles) neither join nor are joined onto.  A stop phrase
 * that starts no prose section ends the prose ("Nơi nhận", the signer's
 * block below).
 */
static int
join_prose(struct doc *d)
{
	const struct dt_type *t = d->t;
	unsigned char *in;
	size_t i, k, out = 0, longest = 0, last = 0;
	int prose = 0, rc = SOHOA_OK;

	in = calloc(d->nlines + 1, 1);
	if (in == NULL)
		return SOHOA_ERR_NOMEM;
	/* which lines stand in prose, and how long its lines run */
	for (i = 0; i < d->nlines; i++) {
		const struct xline *l = &d->lines[i];
		int start = -1;

		for (k = 0; k < t->nsections && start < 0; k++)
			if (opens_with(l, &t->sections[k].starts))
				start = (int)k;
		if (start >= 0)
			prose = t->sections[start].prose ? start + 1 : 0;
		else if (opens_with(l, &t->stops))
			prose = 0;
		in[i] = (unsigned char)prose;
		if (prose && l->len > longest)
			longest = l->len;
	}
	for (i = 0; i < d->nlines; i++) {
		struct xline *l = &d->lines[i];
		int para;

		/*
		 * an empty line OCR put inside a sentence breaks nothing
		 * when the line after it goes on in small letters
		 */
		para = in[i] == 0 || out == 0 || in[i - 1] == 0 ||
		    (l->gap_before && !text_starts_lower(l->text, l->len) &&
		    !name_ends(l)) ||
		    list_item(l) ||
		    !text_has_lower(l->text, l->len) ||
		    opens_with(l, &t->sections[in[i] - 1].starts) ||
		    opens_with(l, &t->stops) ||
		    opens_article(l, &t->sections[in[i] - 1]);
		if (!para) {
			const struct xline *a = &d->lines[out - 1];
			size_t e = a->len;

			while (e > 0 && a->text[e - 1] == ' ')
				e--;
			/* a full stop after a space is a speck ("sinh .") */
			para = e == 0 || (a->text[e - 1] == '.' && e >= 2 &&
			    a->text[e - 2] != ' ' &&
			    !opens_unit(l->text, l->len)) ||
			    a->text[e - 1] == ';' || last * 10 < longest * 6 ||
			    !text_has_lower(a->text, a->len);
		}
		last = l->len;
		if (para) {
			if (out != i)
				d->lines[out] = *l;
			out++;
			continue;
		}
		rc = xline_join(&d->lines[out - 1], l);
		if (rc != SOHOA_OK) {
			/* the lines not joined stay as they were */
			for (k = i; k < d->nlines; k++)
				d->lines[out++] = d->lines[k];
			break;
		}
	}
	d->nlines = out;
	free(in);
	return rc;
}

/* ---- label hits ---- */

static int
add_hit(struct doc *d, const struct hit *h)
{
	if (d->nhits == d->ahits) {
		size_t na = d->ahits ? 2 * d->ahits : 64;
		struct hit *nv = realloc(d->hits, na * sizeof(*nv));

		if (nv == NULL)
			return SOHOA_ERR_NOMEM;
		d->hits = nv;
		d->ahits = na;
	}
	d->hits[d->nhits++] = *h;
	return SOHOA_OK;
}

static size_t
count_char(const char *s, size_t n, char c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* 1 when every word of S[0, N) starts with a capital letter. */
static int
title_case(const char *s, size_t n)
{
	size_t i = 0;
	int32_t cp;
	int words = 0;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i == n)
			break;
		sohoa_utf8_decode(s + i, n - i, &cp);
		if (sohoa_utf8_case_cp(cp) <= 0)
			return 0;
		words++;
		while (i < n && s[i] != ' ' && s[i] != ',')
			i++;
	}
	return words > 0;
}

/*
 * 1 when line L has the shape of a label line, "Words: value", whether
 * or not the document type knows the label ("Giấy này được cấp để: …",
 * "Quan hệ với người chết: Con"): a capitalised first word, then at
 * most seven words without digits up to a colon.  Such a line ends the
 * value above it.  A colon read as a full stop ("Giãy này được cấp để.
 * Bổ sung …") counts when the words before it are in small letters but
 * the first, as a label's are, and a capitalised value follows.
 */
static int
label_shape(const struct xline *l)
{
	const char *s = l->text, *colon = strchr(s, ':');
	size_t i, words = 0, c;
	int32_t cp;
	int stop = 0;

	while (*s == '-' || *s == ' ' || *s == '+' || *s == '_')
		s++;
	if (colon == NULL || colon <= s) {
		colon = strstr(s, ". ");
		stop = 1;
	}
	if (colon == NULL || colon <= s || colon - s > 60)
		return 0;
	c = sohoa_utf8_decode(s, strlen(s), &cp);
	if (sohoa_utf8_case_cp(cp) <= 0)
		return 0;
	if (stop && (text_has_upper(s + c, (size_t)(colon - s) - c) ||
	    !text_starts_upper(colon + 2, strlen(colon + 2))))
		return 0;
	for (i = 0; s + i < colon; i++) {
		if (isdigit((unsigned char)s[i]))
			return 0;
		if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
			words++;
	}
	return words >= (size_t)(1 + stop) && words <= 7;
}

/* Digits among the N bytes of the folded key K. */
static size_t
count_digits(const char *k, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += isdigit((unsigned char)k[i]) != 0;
	return c;
}

size_t
xline_key_end(const struct xline *l, size_t end)
{
	size_t at;
	int32_t cp;

	if (end == 0)
		return l->k.off[0];
	at = l->k.off[end - 1];
	return at + sohoa_utf8_decode(l->text + at, l->len - at, &cp);
}

/*
 * 1 when the key of line L from START differs from phrase PH only where
 * PH has a digit and L has, as a word alone, a letter that digit is read
 * as: "Điều L Cho phép" ("1." read as one stroke), "Điều l".  A digit
 * glued into a word ("điều của") is no such reading.
 */
static int
digits_misread(const struct xline *l, size_t start, size_t end,
    const struct dt_phrase *ph)
{
	static const char *const like[10] = { "o", "li" };
	size_t i, p;
	int seen = 0;

	if (end - start != ph->keylen)
		return 0;
	for (i = 0; i < ph->keylen; i++) {
		char c = ph->key[i];

		p = start + i;
		if (l->k.key[p] == c)
			continue;
		if (!isdigit((unsigned char)c) || like[c - '0'] == NULL ||
		    strchr(like[c - '0'], l->k.key[p]) == NULL ||
		    !l->k.wstart[p] || !l->k.wend[p + 1])
			return 0;
		seen = 1;
	}
	return seen;
}

/*
 * 1 when phrase PH is written in small letters ("cho bà") and line L has
 * a capital at key offset START inside a sentence: not at the line's
 * start nor after a full stop, where a name or place stands ("Ấp Chợ").
 */
static int
capital_inside(const struct xline *l, size_t start, const struct dt_phrase *ph)
{
	size_t at = l->k.off[start];
	int32_t cp;

	sohoa_utf8_decode(ph->text, strlen(ph->text), &cp);
	if (start == 0 || sohoa_utf8_case_cp(cp) > 0 ||
	    !text_starts_upper(l->text + at, l->len - at))
		return 0;
	while (at > 0 && l->text[at - 1] == ' ')
		at--;
	return at > 0 && l->text[at - 1] != '.' && l->text[at - 1] != ':';
}

/* 1 when phrase PH starts with a capital and line L at START does not */
static int
capital_lost(const struct xline *l, size_t start, const struct dt_phrase *ph)
{
	size_t at = l->k.off[start];
	int32_t cp;

	sohoa_utf8_decode(ph->text, strlen(ph->text), &cp);
	return sohoa_utf8_case_cp(cp) > 0 &&
	    !text_starts_upper(l->text + at, l->len - at);
}

/*
 * Score of phrase PH matched at START of line L: longer matches win, each
 * edit costs three letters, a colon right after the label is a bonus.
 */
static int
try_phrase(const struct xline *l, size_t start, const struct dt_phrase *ph,
    int *pscore, size_t *pend)
{
	size_t d, end, maxd = fkey_allowed(ph->keylen);
	int score, misread;
	const char *after;

	d = fkey_match_at(&l->k, start, ph->key, ph->keylen, maxd, &end);
	if (d == (size_t)-1)
		return 0;
	/*
	 * What follows the label's last letter: off[end] is where the next
	 * letter or digit starts, past the colon this looks for.
	 */
	after = l->text + xline_key_end(l, end);
	while (*after == ' ')
		after++;
	/*
	 * Short labels ("Số") must be followed by a colon or start a line,
	 * and inside a line keep their capital: "Quyển số: 03" (its first
	 * word misread "Quyên") is no document number.
	 */
	if (ph->keylen <= 3 && start != 0 && (*after != ':' ||
	    capital_lost(l, start, ph)))
		return 0;
	/*
	 * Labels are written in sentence case: words in Title Case that
	 * only look like one ("Nam Định" for "Năm sinh", a wrapped
	 * address) are a name, unless a colon follows.
	 */
	misread = d > 0 && digits_misread(l, start, end, ph);
	if (d > 0 && !misread && *after != ':' &&
	    title_case(l->text + l->k.off[start],
	    l->k.off[end] - l->k.off[start]) && !title_case(ph->text,
	    strlen(ph->text)))
		return 0;
	/*
	 * nor does one across more commas than it has ("Chợ, xã": "cho
	 * bà"), nor a capital inside a sentence for a label in small
	 * letters ("Ấp Chợ. xã").  (Stops are no sign: specks read as
	 * full stops fall inside labels.)
	 */
	if (d > 0 && (count_char(l->text + l->k.off[start],
	    l->k.off[end] - l->k.off[start], ',') >
	    count_char(ph->text, strlen(ph->text), ',') ||
	    capital_inside(l, start, ph)))
		return 0;
	/* a number in a phrase is read as a number ("điều của" is no "Điều 1") */
	if (d > 0 && count_digits(l->k.key + start, end - start) !=
	    count_digits(ph->key, ph->keylen) && !misread)
		return 0;
	/*
	 * A label ends at its colon: "Họ và tên: LÊ …" is not "Họ và tên
	 * mẹ" one letter off, whatever the name after it.
	 */
	if (d > 0 && end > start && count_char(l->text + l->k.off[start],
	    l->k.off[end - 1] - l->k.off[start], ':') >
	    count_char(ph->text, strlen(ph->text), ':'))
		return 0;
	score = (int)(end - start) - 3 * (int)d + (*after == ':' ? 2 : 0);
	*pscore = score;
	*pend = end;
	return 1;
}

static int
field_applies(const struct dt_field *f, size_t lineno)
{
	return f->within == 0 || lineno < (size_t)f->within;
}

/*
 * 1 when a label may start at key offset S of line L: a word starts
 * there, or only digits glued before it do ("Nữ 4Đân tộc: Kinh", a speck
 * read as a digit).
 */
static int
label_start(const struct xline *l, size_t s)
{
	size_t b = s;

	if (l->k.wstart[s])
		return 1;
	if (isdigit((unsigned char)l->k.key[s]))
		return 0;
	while (b > 0 && !l->k.wstart[b] && isdigit((unsigned char)
	    l->k.key[b - 1]))
		b--;
	return b < s && l->k.wstart[b] && isdigit((unsigned char)l->k.key[b]);
}

/*
 * Sections of D that none of its hits stands in, as bits: OCR lost their
 * start ("Điều 1. Cho phép … sinh ngày" gone, the line below still read:
 * "17/02/2018, Số định danh cá nhân: …").  The labels of their typed
 * fields (ID, date) then count below the title's block: such a value
 * checks itself, where a name's label ("của ông") also reads in the
 * preamble ("Xét đề nghị của Công chức …").
 */
static unsigned
lost_sections(const struct doc *d)
{
	unsigned open = 0, all = 0;
	size_t i;

	for (i = 0; i < d->t->nsections && i < 32; i++)
		all |= 1u << i;
	for (i = 0; i < d->nhits; i++)
		if (d->hits[i].section >= 0 && d->hits[i].section < 32)
			open |= 1u << d->hits[i].section;
	return all & ~open;
}

/*
 * 1 when a stop phrase opened a line of D between its title and line LI
 * ("Căn cứ …"): the title's block (a decision's subject, "… cho cháu Lò
 * Văn Bua") is over.
 */
static int
past_title_block(const struct doc *d, size_t li)
{
	size_t i;

	for (i = 0; i < d->nhits; i++)
		if (d->hits[i].kind == HIT_STOP && d->hits[i].kstart == 0 &&
		    d->hits[i].line > d->title && d->hits[i].line < li)
			return 1;
	return 0;
}

static int typed(const struct dt_field *f);

/* 1 when the section named NAME is one of D's lost sections. */
static int
section_lost(const struct doc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->t->nsections && i < 32; i++)
		if (strcmp(d->t->sections[i].name, name) == 0)
			return (d->lost >> i) & 1;
	return 0;
}

/* Find the label hits of line LI, left to right, longest match first. */
static int
line_hits(struct doc *d, size_t li, int *psection)
{
	const struct dt_type *t = d->t;
	struct xline *l = &d->lines[li];
	size_t s = 0, i, j, end;
	int rc, score, here;

	l->first_hit = d->nhits;
	while (s < l->k.len) {
		struct hit best;
		int bests = -1000;

		if (!label_start(l, s)) {
			s++;
			continue;
		}
		memset(&best, 0, sizeof(best));
		/*
		 * The section here, counting one that starts here.  None
		 * starts above the title: a line of the form that OCR put
		 * before the header ("Họ và tên cha: …") is out of its place.
		 */
		here = *psection;
		for (i = 0; i < t->nsections && li >= d->title && s == 0; i++)
			for (j = 0; j < t->sections[i].starts.n; j++)
				if (try_phrase(l, s,
				    &t->sections[i].starts.v[j], &score, &end))
					here = (int)i;
		for (i = 0; i < t->nfields; i++) {
			const struct dt_field *f = &t->fields[i];

			if (f->where == DT_WHERE_LINE ||
			    f->where == DT_WHERE_HEADER ||
			    f->where == DT_WHERE_PLACEDATE ||
			    !field_applies(f, li))
				continue;
			/*
			 * A label of a named section is no label elsewhere:
			 * "cho bà" names the person of a decision's article,
			 * not of its title.
			 */
			if (f->section != NULL &&
			    strcmp(f->section, "main") != 0 &&
			    (here < 0 || strcmp(t->sections[here].name,
			    f->section) != 0) &&
			    !(here < 0 && typed(f) &&
			    section_lost(d, f->section) &&
			    past_title_block(d, li)))
				continue;
			for (j = 0; j < f->labels.n; j++)
				if (try_phrase(l, s, &f->labels.v[j], &score,
				    &end) &&
				    score > bests) {
					bests = score;
					best.kind = HIT_FIELD;
					best.idx = i;
					best.label = j;
					best.kend = end;
				}
		}
		for (j = 0; j < t->stops.n; j++)
			if (try_phrase(l, s, &t->stops.v[j], &score, &end) &&
			    score > bests) {
				bests = score;
				best.kind = HIT_STOP;
				best.kend = end;
			}
		if (bests == -1000) {
			s++;
			continue;
		}
		/*
		 * a section begins where its start phrase is the label,
		 * opening its line ("- Như Điều 3;" opens none)
		 */
		for (i = 0; i < t->nsections && li >= d->title && s == 0; i++)
			for (j = 0; j < t->sections[i].starts.n; j++)
				if (try_phrase(l, s,
				    &t->sections[i].starts.v[j],
				    &score, &end) && end + 2 >= best.kend &&
				    score + 1 >= bests)
					*psection = (int)i;
		best.line = li;
		best.kstart = s;
		best.section = *psection;
		rc = add_hit(d, &best);
		if (rc != SOHOA_OK)
			return rc;
		s = best.kend;
	}
	l->nhits = d->nhits - l->first_hit;
	return SOHOA_OK;
}

/* ---- values ---- */

/*
 * Byte range of the value of hit H: from the end of its label to the
 * next hit on the line, or the end of the line.
 */
static void
value_range(const struct doc *d, const struct hit *h, size_t *pa, size_t *pb)
{
	const struct xline *l = &d->lines[h->line];
	size_t hi = (size_t)(h - d->hits);

	*pa = l->k.off[h->kend];
	*pb = l->len;
	if (hi + 1 < l->first_hit + l->nhits)
		*pb = l->k.off[d->hits[hi + 1].kstart];
}

float
xline_conf(const struct xline *l, size_t a, size_t b, float dflt)
{
	size_t i, n = 0;
	float sum = 0, min = 100;

	for (i = 0; i < l->ntoks; i++) {
		const struct tok *t = &l->toks[i];

		if (t->end <= a || t->start >= b)
			continue;
		sum += t->conf;
		if (t->conf < min)
			min = t->conf;
		n++;
	}
	if (n == 0)
		return dflt;
	return 0.5f * (sum / (float)n) + 0.5f * min;
}

/* 1 when S has a letter or a digit. */
static int
has_alnum(const char *s, size_t n)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	int r;

	if (fkey_simple_n(s, n, &k) != SOHOA_OK)
		return 0;
	r = k.len > 0;
	sohoa_buf_release(&k);
	return r;
}

struct cand {
	struct sohoa_buf raw;
	float conf;
	size_t line;
	int section;
};

/*
 * 1 when line L is a line of the national motto only: in a two-column
 * header read line by line it falls between "ỦY BAN NHÂN DÂN" and the
 * commune ("XÃ VĂN LÃNG") below it.
 */
static int
motto_line(const struct xline *l)
{
	static const char *const motto[] = {
		"conghoaxahoichunghiavietnam", "doclaptudohanhphuc",
	};
	size_t i;

	for (i = 0; i < sizeof(motto) / sizeof(motto[0]); i++)
		if (l->k.len <= strlen(motto[i]) + 2 &&
		    sohoa_edit_distance(l->k.key, motto[i], 3) <= 3)
			return 1;
	return 0;
}

/*
 * 1 when a value may go on into line N: it has no label, or its first
 * label comes after a comma that closes the wrapped part ("Xoan, sinh
 * ngày …").
 */
static int
wraps_into(const struct doc *d, const struct xline *n)
{
	size_t b;

	if (n->nhits == 0)
		return 1;
	if (d->hits[n->first_hit].kstart == 0)
		return 0;
	b = n->k.off[d->hits[n->first_hit].kstart];
	while (b > 0 && n->text[b - 1] == ' ')
		b--;
	return b > 0 && (n->text[b - 1] == ',' || n->text[b - 1] == ';');
}

/* 1 when RAW, its spaces at the end left aside, ends in a letter. */
static int
ends_in_letter(const struct sohoa_buf *raw, size_t len)
{
	size_t i;
	int32_t cp;

	while (len > 0 && raw->buf[len - 1] == ' ')
		len--;
	if (len == 0)
		return 0;
	i = len - 1;
	while (i > 0 && ((unsigned char)raw->buf[i] & 0xC0) == 0x80)
		i--;
	sohoa_utf8_decode(raw->buf + i, len - i, &cp);
	return text_is_letter(cp);
}

/*
 * 1 when the N bytes of S open with the word of an administrative unit in
 * small letters ("tỉnh Quảng Ngãi.", "thành phố Huế"): the next part of
 * an address, which no sentence opens with.
 */
static int
opens_unit(const char *s, size_t n)
{
	return text_starts_lower(s, n) &&
	    text_unit_at(s, n, TEXT_UNIT_ADMIN) > 0;
}

/*
 * Add the N bytes of S, the next line of a wrapped value, to RAW after a
 * space.  Specks at the break are dropped: a lone dash or underscore
 * after a comma or stop, ending the first part or opening the next
 * ("huyện Trà Bồng, -" / "tỉnh Quảng Ngãi"), and a full stop ending the
 * first part when the sentence goes on in small letters ("… hộ tịch
 * cho." / "cháu Lò Thị").  A dash between two words is part of a name
 * ("tỉnh Bà Rịa -" / "Vũng Tàu").
 */
static int
join_wrapped(struct sohoa_buf *raw, const char *s, size_t n)
{
	size_t len = raw->len, i = 0;
	int32_t cp = 0;
	int stop = 0;

	while (i < n && s[i] == ' ')
		i++;
	while (i + 1 < n && (s[i] == '-' || s[i] == '_') && s[i + 1] == ' ' &&
	    !ends_in_letter(raw, len)) {
		i += 2;
		while (i < n && s[i] == ' ')
			i++;
	}
	if (i < n)
		(void)sohoa_utf8_decode(s + i, n - i, &cp);
	for (;;) {
		while (len > 0 && raw->buf[len - 1] == ' ')
			len--;
		if (len >= 2 && (raw->buf[len - 1] == '-' ||
		    raw->buf[len - 1] == '_') && raw->buf[len - 2] == ' ' &&
		    !ends_in_letter(raw, len - 2))
			len -= 2;
		else if (len >= 2 && raw->buf[len - 1] == '.' &&
		    sohoa_utf8_case_cp(cp) < 0 &&
		    !isdigit((unsigned char)raw->buf[len - 2])) {
			len--;
			stop = 1;
		} else
			break;
	}
	sohoa_buf_truncate(raw, len);
	/* "huyện Bình Sơn." / "tỉnh Quảng Ngãi": the stop was a comma */
	if (stop && opens_unit(s + i, n - i) &&
	    sohoa_buf_addch(raw, ',') != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	if (raw->len > 0 && sohoa_buf_addch(raw, ' ') != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	return sohoa_buf_add(raw, s + i, n - i);
}

/*
 * 1 when RAW ends with the word of an administrative unit and no name
 * after it ("…, tỉnh"): the value surely goes on, even past an empty
 * line OCR put in the middle of it.
 */
static int
ends_with_unit(const struct sohoa_buf *raw)
{
	size_t e = raw->len, b, w, u;
	int r = 0;

	while (e > 0 && (raw->buf[e - 1] == ' ' || raw->buf[e - 1] == ','))
		e--;
	b = e;
	/* the last word, then the last two ("thành phố", "thị trấn") */
	for (w = 0; w < 2 && b > 0 && !r; w++) {
		while (b > 0 && raw->buf[b - 1] == ' ')
			b--;
		while (b > 0 && raw->buf[b - 1] != ' ')
			b--;
		/* a speck after it is no word ("…, tỉnh -") */
		u = text_unit_at(raw->buf + b, e - b, TEXT_UNIT_ADMIN);
		r = u > 0 && !has_alnum(raw->buf + b + u, e - b - u);
	}
	return r;
}

/*
 * 1 when the last part of address RAW (after its last comma) cannot end
 * there and line N, the next one, finishes it, even past an empty line
 * OCR put in the middle: a unit word cut in two ("…, thành" / "phố Hà
 * Nội", "thị" / "trấn …"), or a unit and one name word ("tỉnh Bạc" /
 * "Liêu", "huyện Mê" / "Linh, thành phố Hà Nội": every province and
 * district is named with two syllables or more, but Huế) before a line
 * that opens with a capitalised word and a comma or its end.  A line of
 * place and date ("Bình Minh, ngày …") finishes nothing.
 */
static int
part_unfinished(const struct sohoa_buf *raw, const struct xline *n)
{
	static const char *const halves[][2] = {
		{ "thanh", "pho" }, { "thi", "tran" }, { "thi", "xa" },
	};
	static const char *const units[] = {
		"tinh", "huyen", "quan", "xa", "phuong", "thixa", "thitran",
		"thanhpho",
	};
	struct sohoa_buf k = SOHOA_BUF_INIT, nk = SOHOA_BUF_INIT;
	size_t e = raw->len, b, w, i, nw;
	int r = 0;

	while (e > 0 && raw->buf[e - 1] == ' ')
		e--;
	for (b = e; b > 0 && raw->buf[b - 1] != ','; b--)
		;
	while (b < e && raw->buf[b] == ' ')
		b++;
	if (b == e || strstr(n->text, ", ngày") != NULL)
		return 0;
	nw = strcspn(n->text, " ,");
	if (fkey_simple_n(raw->buf + b, e - b, &k) != SOHOA_OK ||
	    fkey_simple_n(n->text, nw, &nk) != SOHOA_OK || k.len == 0 ||
	    nk.len == 0)
		goto done;
	for (i = 0; i < sizeof(halves) / sizeof(halves[0]) && !r; i++)
		r = strcmp(k.buf, halves[i][0]) == 0 &&
		    strcmp(nk.buf, halves[i][1]) == 0;
	/* "tỉnh Nghệ" / "An:": a speck at the end is no label's colon */
	if (r || !text_starts_upper(n->text, n->len) ||
	    (n->text[nw] != ',' && n->text[nw] != '\0' &&
	    strcmp(n->text + nw, ":") != 0))
		goto done;
	/* the unit, then one word in capitals that is the name's first */
	for (w = e; w > b && raw->buf[w - 1] != ' '; w--)
		;
	if (w == b || !text_starts_upper(raw->buf + w, e - w))
		goto done;
	sohoa_buf_reset(&k);
	if (fkey_simple_n(raw->buf + b, w - b, &k) != SOHOA_OK || k.len == 0)
		goto done;
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && !r; i++)
		r = strcmp(k.buf, units[i]) == 0;
done:
	sohoa_buf_release(&k);
	sohoa_buf_release(&nk);
	return r;
}

/*
 * 1 when hit H stands in a section written as prose and line N opens its
 * next article: a value does not wrap into it ("… tỉnh Nghệ An" /
 * "Điều 2. …" with the full stop lost).
 */
static int
next_article(const struct doc *d, const struct hit *h, const struct xline *n)
{
	return h->section >= 0 && d->t->sections[h->section].prose &&
	    opens_article(n, &d->t->sections[h->section]);
}

/*
 * The raw value of hit H, following onto the next line when the label
 * ends its line (two-column layouts, values typed below the label; a
 * motto line between them is passed over) and, for wrapping fields, onto
 * continuation lines without labels.
 */
static int
hit_value(const struct doc *d, const struct hit *h, const struct dt_field *f,
    struct cand *c)
{
	const struct xline *l = &d->lines[h->line];
	size_t a, b, li = h->line, nconf = 0;
	float conf = 0;
	int rc;

	value_range(d, h, &a, &b);
	if (has_alnum(l->text + a, b - a)) {
		rc = sohoa_buf_add(&c->raw, l->text + a, b - a);
		conf += xline_conf(l, a, b, d->page_conf);
		nconf++;
		/*
		 * a value the next label on its line ended goes on nowhere
		 * ("… ông Nguyễn Quốc Hoài, sinh ngày …; nơi cư trú:" /
		 * "Làng Plei Ốp, …" is the residence's)
		 */
		if (b < l->len)
			goto done;
	} else {
		const struct xline *n;

		rc = SOHOA_OK;
		if (li + 2 < d->nlines && motto_line(&d->lines[li + 1]))
			li++;
		if (li + 1 >= d->nlines)
			goto done;
		n = &d->lines[li + 1];
		/* the next line is the value unless it opens with a label */
		if ((n->nhits > 0 && d->hits[n->first_hit].kstart == 0) ||
		    label_shape(n))
			goto done;
		li++;
		b = n->nhits > 0 ? n->k.off[d->hits[n->first_hit].kstart] :
		    n->len;
		rc = sohoa_buf_add(&c->raw, n->text, b);
		conf += xline_conf(n, 0, b, d->page_conf);
		nconf++;
		if (n->nhits > 0)
			goto done;
	}
	/*
	 * A value goes on over lines of the same block that have no label
	 * at their start, up to the first label there (a name or address
	 * wrapped in a sentence: "… cho cháu Lò Thị" / "Xoan, sinh ngày").
	 */
	while (rc == SOHOA_OK && f->wrap && li + 1 < d->nlines &&
	    !next_article(d, h, &d->lines[li + 1]) &&
	    wraps_into(d, &d->lines[li + 1]) &&
	    (!d->lines[li + 1].gap_before || ends_with_unit(&c->raw) ||
	    part_unfinished(&c->raw, &d->lines[li + 1])) &&
	    (!label_shape(&d->lines[li + 1]) ||
	    part_unfinished(&c->raw, &d->lines[li + 1])) &&
	    li + 1 - h->line <= 3) {
		const struct xline *n = &d->lines[++li];

		b = n->nhits > 0 ? n->k.off[d->hits[n->first_hit].kstart] :
		    n->len;
		rc = join_wrapped(&c->raw, n->text, b);
		conf += xline_conf(n, 0, b, d->page_conf);
		nconf++;
		if (n->nhits > 0)
			break;
	}
done:
	c->conf = nconf > 0 ? conf / (float)nconf : 0;
	c->line = li;
	c->section = h->section;
	return rc;
}

/* The text of line LI up to its first label, as a candidate in C. */
static int
line_value(const struct doc *d, size_t li, struct cand *c)
{
	const struct xline *n = &d->lines[li];
	size_t b;

	b = n->nhits > 0 ? n->k.off[d->hits[n->first_hit].kstart] : n->len;
	sohoa_buf_reset(&c->raw);
	c->conf = xline_conf(n, 0, b, d->page_conf);
	c->line = li;
	return sohoa_buf_add(&c->raw, n->text, b);
}

/* 1 when the hit or line in SECTION may give a value for F. */
static int
section_ok(const struct doc *d, const struct dt_field *f, int section)
{
	if (f->section == NULL)
		return 1;
	if (strcmp(f->section, "main") == 0)
		return section < 0;
	if (section < 0)
		return typed(f) && section_lost(d, f->section);
	return strcmp(d->t->sections[section].name, f->section) == 0;
}


/*
 * Words in capitals of 2 letters or more at the start of name V, when two
 * words or more not in capitals follow: the seal's letters ("XÃ HOÀ TÂN
 * Nguyễn Văn Hoà") on the row of a signer's name, which is printed in
 * small letters.  Returns the bytes to drop.
 */
static size_t
caps_before_name(const char *v)
{
	const char *w = v, *e;
	size_t skip = 0, rest = 0;

	while ((e = strchr(w, ' ')) != NULL) {
		size_t n = (size_t)(e - w);

		if (!text_all_upper(w, n) || text_has_lower(w, n))
			break;
		w = e + 1;
		skip = (size_t)(w - v);
	}
	for (e = w; skip > 0 && *e != '\0'; ) {
		const char *sp = strchr(e, ' ');
		size_t n = sp == NULL ? strlen(e) : (size_t)(sp - e);

		if (text_all_upper(e, n) && !text_has_lower(e, n))
			return 0;
		rest++;
		e = sp == NULL ? e + n : sp + 1;
	}
	return rest >= 2 ? skip : 0;
}

/* R's name without the seal's capitals before it (caps_before_name). */
static void
seal_caps(struct result *r)
{
	size_t skip = caps_before_name(r->value.buf);

	if (skip > 0) {
		memmove(r->value.buf, r->value.buf + skip,
		    r->value.len - skip + 1);
		sohoa_buf_truncate(&r->value, r->value.len - skip);
		r->fixed = 1;
	}
}

static int take(const struct dt_field *f, const struct dt_phrase *label,
    const struct cand *c, struct result *r);

/*
 * The row of a signer's name may hold the end of the "Nơi nhận" list
 * beside it ("- Lưu: VT. Dương Tài Nguyên") or the seal's letters before
 * it: when the row does not read as a name, what follows its last ';',
 * '.' or ':' is tried.
 */
static int
signer_row(const struct dt_field *f, const struct cand *c, struct result *r)
{
	const char *cut;
	int rc = SOHOA_OK;

	if (!r->valid && (cut = strpbrk(c->raw.buf, ";.:")) != NULL) {
		struct cand tail;
		const char *p;

		for (p = cut; (p = strpbrk(p + 1, ";.:")) != NULL; )
			cut = p;
		memset(&tail, 0, sizeof(tail));
		sohoa_buf_init(&tail.raw);
		tail.conf = c->conf;
		tail.line = c->line;
		tail.section = c->section;
		rc = sohoa_buf_adds(&tail.raw, cut + 1);
		if (rc == SOHOA_OK && has_alnum(tail.raw.buf, tail.raw.len)) {
			struct result t2;

			memset(&t2, 0, sizeof(t2));
			sohoa_buf_init(&t2.value);
			sohoa_buf_init(&t2.raw);
			rc = take(f, NULL, &tail, &t2);
			if (rc == SOHOA_OK && t2.valid && strchr(t2.value.buf,
			    ' ') != NULL) {
				sohoa_buf_release(&r->value);
				sohoa_buf_release(&r->raw);
				*r = t2;
				r->fixed = 1;
			} else {
				sohoa_buf_release(&t2.value);
				sohoa_buf_release(&t2.raw);
			}
		}
		sohoa_buf_release(&tail.raw);
		if (rc != SOHOA_OK)
			return rc;
	}
	return rc;
}

/*
 * Parse candidate C as F's type into R.  Returns SOHOA_OK (R->valid says
 * whether it parsed), or SOHOA_ERR_NOMEM.
 */
static int
take(const struct dt_field *f, const struct dt_phrase *label,
    const struct cand *c, struct result *r)
{
	int rc, fixed = 0;

	sohoa_buf_reset(&r->value);
	sohoa_buf_reset(&r->raw);
	r->found = 1;
	r->conf = c->conf;
	r->line = c->line;
	rc = sohoa_buf_add(&r->raw, c->raw.buf, c->raw.len);
	if (rc != SOHOA_OK)
		return rc;
	/*
	 * A name in a sentence ends at its comma ("Vũ Thanh Đồng, sinh
	 * ngày", "…, 06 tháng 06 năm 1954"); a list line ("Đảng ủy, HĐND
	 * xã;") is no name cut short.
	 */
	if (strcmp(f->type, "name") == 0 && f->where == DT_WHERE_LABEL) {
		size_t cut = strcspn(c->raw.buf, ",;");
		const char *rest = c->raw.buf + cut;
		int32_t cp = 0;

		while (*rest == ',' || *rest == ';' || *rest == ' ')
			rest++;
		if (*rest != '\0')
			sohoa_utf8_decode(rest, strlen(rest), &cp);
		if (cut > 0 && cut < c->raw.len && *rest != '\0' &&
		    (isdigit((unsigned char)*rest) ||
		    sohoa_utf8_case_cp(cp) < 0)) {
			((struct cand *)c)->raw.buf[cut] = '\0';
			((struct cand *)c)->raw.len = cut;
		}
	}
	if (f->keep_label && label != NULL) {
		rc = sohoa_buf_adds(&r->value, label->text);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addch(&r->value, ' ');
		if (rc != SOHOA_OK)
			return rc;
	}
	rc = sohoa_parse_value(f->type, c->raw.buf, &r->value, &fixed);
	if (rc == SOHOA_ERR_NOMEM)
		return rc;
	r->valid = rc == SOHOA_OK;
	r->garbled = !r->valid;
	r->fixed = fixed;
	r->lookalike = fixed && strcmp(f->type, "date") == 0;
	/* a signer's name is printed in small letters: caps are a title */
	if (r->valid && f->not_caps && f->where == DT_WHERE_AFTER)
		seal_caps(r);
	if (r->valid && f->not_caps && text_all_caps(r->value.buf))
		r->valid = 0;
	if (f->not_caps && f->where == DT_WHERE_AFTER) {
		rc = signer_row(f, c, r);
		if (rc != SOHOA_OK)
			return rc;
	}
	if (!r->valid) {
		/* keep what was read, cleaned, for a person to review */
		sohoa_buf_reset(&r->value);
		rc = sohoa_parse_text(c->raw.buf, &r->value, NULL);
		if (rc == SOHOA_ERR_NOMEM)
			return rc;
	}
	return SOHOA_OK;
}

static void
cand_release(struct cand *c)
{
	sohoa_buf_release(&c->raw);
}

/* A word read with less confidence than this is likely no word at all. */
#define UNSURE_CONF 30.0f

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Median height and vertical centre of the boxes of tokens I.. of L
 * (at most 16 of them).  0 when a box is not known.
 */
static int
row_of(const struct xline *l, size_t i, int *ph, int *pc)
{
	int h[16], c[16];
	size_t n = 0;

	for (; i < l->ntoks && n < 16; i++, n++) {
		const struct tok *t = &l->toks[i];

		if (t->x1 <= t->x0 || t->y1 <= t->y0)
			return 0;
		h[n] = t->y1 - t->y0;
		c[n] = (t->y0 + t->y1) / 2;
	}
	if (n == 0)
		return 0;
	qsort(h, n, sizeof(h[0]), cmp_int);
	qsort(c, n, sizeof(c[0]), cmp_int);
	*ph = h[n / 2];
	*pc = c[n / 2];
	return 1;
}

/* Pixels of T's box inside the band of height H centred on C. */
static int
row_overlap(const struct tok *t, int c, int h)
{
	int top = c - h / 2, bottom = c + h / 2;
	int a = t->y0 > top ? t->y0 : top, b = t->y1 < bottom ? t->y1 : bottom;

	return b > a ? b - a : 0;
}

/*
 * Bytes of line L before a signer's name that are no part of it: words
 * OCR was unsure of (confidence under UNSURE_CONF) opening the line, two
 * words or more after them, and each standing off that row -- far to its
 * left or above or below its middle.  The seal's letters and a
 * signature's strokes read as words ("Xi, Nguyễn Mỹ Kỳ" with "Xi," at
 * confidence 0 a long gap to the left; "Hà Quách Quốc Vĩnh" with "Hà" at
 * 20 below the row).  A word of the name crossed by the signature is
 * unsure too, but stands in the row ("Phạm Thùy Uyên", "Phạm" at 11).
 * 0 when there are no such words, or no word boxes.
 */
static size_t
unsure_lead(const struct xline *l)
{
	size_t i = 0, j;
	int h, c;

	while (i < l->ntoks && l->toks[i].conf < UNSURE_CONF)
		i++;
	if (i == 0 || l->ntoks - i < 2 || !row_of(l, i, &h, &c))
		return 0;
	for (j = 0; j < i; j++) {
		const struct tok *t = &l->toks[j];
		int gap = l->toks[j + 1].x0 - t->x1;
		int mid = (t->y0 + t->y1) / 2;

		if (t->x1 <= t->x0 || t->y1 <= t->y0)
			return 0;
		if (gap <= 2 * h && mid - c <= h / 3 && c - mid <= h / 3)
			return 0;
		/*
		 * a word right against the next whose box covers most of
		 * the row's height: a mark or a sign above it ("?Mài")
		 * moved its middle, not the word
		 */
		if (gap <= h / 4 && 3 * row_overlap(t, c, h) >= 2 * h)
			return 0;
	}
	return l->toks[i].start;
}

/* Line L from its first sure word when F is a signer's name, as C. */
static int
after_cand(const struct doc *d, const struct dt_field *f,
    const struct xline *l, struct cand *c)
{
	size_t a = f->not_caps ? unsure_lead(l) : 0;

	sohoa_buf_reset(&c->raw);
	c->conf = xline_conf(l, a, l->len, d->page_conf);
	c->line = (size_t)(l - d->lines);
	return sohoa_buf_add(&c->raw, l->text + a, l->len - a);
}

/*
 * 1 when line L is an item of the list of recipients ("Nơi nhận") that
 * stands beside the signer's block: "- Như Điều 3;", "- Lưu: VT." (a
 * dash, a space, a list item ending in ';' or '.'); not "-Nguyễn Lệ Nga",
 * a speck of the seal before the signer's name.
 */
static int
recipient_item(const struct xline *l)
{
	size_t n = l->len;

	while (n > 0 && l->text[n - 1] == ' ')
		n--;
	return list_item(l) && n > 2 && l->text[1] == ' ' &&
	    (l->text[n - 1] == ';' || l->text[n - 1] == '.');
}

/*
 * When the label above a signer's name is lost (a stamp over it), the
 * name is the last line after every label of the document that reads as
 * the type.  The list of recipients beside the signer's block is
 * neither: what its items match ("- Như Điều 3;" reads as "Điều 1") is
 * no label of the body, and an item is no name ("Như Diệu").
 */
static int
after_last_hit(const struct doc *d, const struct dt_field *f,
    struct result *r)
{
	size_t li, i, from = 0;
	int rc = SOHOA_OK;

	for (i = d->nhits; i > 0; i--)
		if (!recipient_item(&d->lines[d->hits[i - 1].line])) {
			from = d->hits[i - 1].line + 1;
			break;
		}
	if (d->nlines > from + 8)
		from = d->nlines - 8;
	for (li = d->nlines; li > from && rc == SOHOA_OK; li--) {
		const struct xline *l = &d->lines[li - 1];
		struct cand c;

		if (recipient_item(l))
			continue;
		memset(&c, 0, sizeof(c));
		sohoa_buf_init(&c.raw);
		rc = after_cand(d, f, l, &c);
		if (rc == SOHOA_OK)
			rc = take(f, NULL, &c, r);
		cand_release(&c);
		if (rc == SOHOA_OK && r->valid) {
			/* found without its label: less sure */
			r->fixed = 1;
			return SOHOA_OK;
		}
	}
	r->found = 0;
	return rc;
}

/*
 * When the label of a short list value is garbled beyond matching ("Cơi
 * tính: Nữ Dân tộc: Kinh"), the value is still the last word before the
 * next label ("Dân tộc"): the first line of the right section where one of
 * F's "before" phrases follows a value of F's type.
 */
/*
 * If phrase PH starts at key offset S of line L and the words before it
 * end with a value of F's type, put that value in R and return 1.
 */
static int
value_before(const struct doc *d, const struct xline *l, size_t s,
    const struct dt_phrase *ph, const struct dt_field *f, struct result *r,
    int *prc)
{
	struct sohoa_buf raw = SOHOA_BUF_INIT, val = SOHOA_BUF_INIT;
	size_t end;
	int fixed = 0, found = 0, rc;

	if (fkey_match_at(&l->k, s, ph->key, ph->keylen,
	    fkey_allowed(ph->keylen), &end) == (size_t)-1)
		return 0;
	rc = sohoa_buf_add(&raw, l->text, l->k.off[s]);
	if (rc == SOHOA_OK &&
	    parse_list_end(f->type, raw.buf, &val, &fixed) == SOHOA_OK) {
		sohoa_buf_reset(&r->value);
		sohoa_buf_reset(&r->raw);
		rc = sohoa_buf_add(&r->value, val.buf, val.len);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&r->raw, raw.buf, raw.len);
		r->found = r->valid = r->fixed = 1;
		r->conf = xline_conf(l, 0, l->k.off[s], d->page_conf);
		found = 1;
	}
	sohoa_buf_release(&raw);
	sohoa_buf_release(&val);
	*prc = rc;
	return found || rc != SOHOA_OK;
}

/*
 * When the label of a short list value is garbled beyond matching ("Cơi
 * tính: Nữ Dân tộc: Kinh"), the value is still the last word before the
 * next label ("Dân tộc"): the first line of the right section where one of
 * F's "before" phrases follows a value of F's type.
 */
static int
before_label(const struct doc *d, const struct dt_field *f, struct result *r)
{
	size_t li, s, j;
	int section = -1, rc = SOHOA_OK;

	for (li = 0; li < d->nlines; li++) {
		const struct xline *l = &d->lines[li];
		const struct hit *first = l->nhits > 0 ?
		    &d->hits[l->first_hit] : NULL;

		if (first != NULL && first->kstart == 0)
			section = first->section;
		for (s = 1; s < l->k.len && section_ok(d, f, section); s++) {
			if (!l->k.wstart[s])
				continue;
			for (j = 0; j < f->before.n; j++)
				if (value_before(d, l, s, &f->before.v[j], f, r,
				    &rc))
					return rc;
		}
		if (first != NULL)
			section = first[l->nhits - 1].section;
	}
	return rc;
}

/*
 * An issuer read without its body ("PHƯỜNG NGÃ BẢY" where the header
 * says "ỦY BAN NHÂN DÂN PHƯỜNG NGÃ BẢY", "UBND XÃ …"): the line or the
 * words of the committee were lost, and with them maybe more of the
 * unit; R goes to review, as read.
 */
static int
bodiless(struct result *r)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	int rc;

	rc = fkey_simple(r->value.buf, &k);
	if (rc == SOHOA_OK && strncmp(k.buf, "ubnd", 4) != 0 &&
	    strncmp(k.buf, "uybannhandan", 12) != 0)
		r->doubt = 1;
	sohoa_buf_release(&k);
	return rc;
}

/* The issuing body of the header block (fields/header.c) into R. */
static int
header_field(const struct doc *d, const struct dt_field *f,
    struct result *r)
{
	const char **texts;
	size_t n = d->nlines, i, line;
	int rc, fixed;

	if (f->within > 0 && n > (size_t)f->within)
		n = (size_t)f->within;
	texts = calloc(n + 1, sizeof(*texts));
	if (texts == NULL)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < n; i++)
		texts[i] = d->lines[i].text;
	sohoa_buf_reset(&r->value);
	rc = hdr_issuer(texts, n, &r->value, &line, &fixed);
	free(texts);
	if (rc == SOHOA_ERR_INPUT)
		return SOHOA_OK;
	if (rc != SOHOA_OK)
		return rc;
	sohoa_buf_reset(&r->raw);
	rc = sohoa_buf_add(&r->raw, d->lines[line].text, d->lines[line].len);
	r->found = r->valid = 1;
	r->fixed = fixed;
	r->conf = xline_conf(&d->lines[line], 0, d->lines[line].len,
	    d->page_conf);
	if (rc == SOHOA_OK)
		rc = bodiless(r);
	return rc;
}

/*
 * The date of the place-and-date line (fields/header.c) into R: the first
 * one among the top lines, else the last one of the document (it stands
 * above the signer on some forms); a line with its place garbled only
 * when there is no other.
 */
typedef int place_date_fn(const char *, int *, int *, int *, size_t *);

/* The line of D whose place and date FN reads, as place_date_field. */
static size_t
place_date_line(const struct doc *d, place_date_fn *fn, size_t *pstart)
{
	size_t i, start, at = (size_t)-1;
	int y, m, dd;

	for (i = 0; i < d->nlines; i++) {
		if (fn(d->lines[i].text, &y, &m, &dd, &start) != SOHOA_OK)
			continue;
		at = i;
		*pstart = start;
		if (i < 12)
			break;
	}
	return at;
}

static int
place_date_field(const struct doc *d, struct result *r)
{
	size_t start, at, atstart = 0;
	place_date_fn *fn = hdr_place_date;
	int y, m, dd, rc;

	/* else one whose place OCR garbled, closed by its comma */
	if ((at = place_date_line(d, fn, &atstart)) == (size_t)-1)
		at = place_date_line(d, fn = hdr_place_date_garbled, &atstart);
	if (at == (size_t)-1)
		return SOHOA_OK;
	fn(d->lines[at].text, &y, &m, &dd, &start);
	sohoa_buf_reset(&r->value);
	sohoa_buf_reset(&r->raw);
	rc = sohoa_format_date(y, m, dd, &r->value);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&r->raw, d->lines[at].text + atstart);
	r->found = r->valid = 1;
	r->conf = xline_conf(&d->lines[at], atstart, d->lines[at].len,
	    d->page_conf);
	return rc;
}

/*
 * 1 when C, read on the label's line of a typed field (date, ID,
 * number), opens with a digit: it is that field's value read wrong
 * ("Ngày đăng ký: 13/02/3024"), not another column's text, and no line
 * below stands for it (there, the place-and-date line gave its date).
 * It stays absent, flagged, with what was read.
 */
static int
typed_read(const struct dt_field *f, const struct cand *c)
{
	const char *p = c->raw.buf;

	if (!typed(f))
		return 0;
	while (*p != '\0' && !isalnum((unsigned char)*p) &&
	    (unsigned char)*p < 0x80)
		p++;
	return isdigit((unsigned char)*p);
}

/*
 * 1 when line L cites a law by its date ("Căn cứ Luật Hộ tịch ngày 20
 * tháng 11 năm 2014", "… chính quyền địa phương ngày 19 tháng 6"): its
 * "ngày" follows five words or more, the last in small letters, with no
 * comma between, where the place-and-date line has a place of a few
 * words, capitalised or closed by a comma ("DJ cá ngày 07": a place
 * garbled).  Such a date is never the date of issue.
 */
static int
cites_date(const struct xline *l)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	size_t i = 0, b, pb = 0, pe = 0, nw = 0;
	int r = 0, found = 0;

	while (i < l->len && !found) {
		while (i < l->len && l->text[i] == ' ')
			i++;
		b = i;
		while (i < l->len && l->text[i] != ' ')
			i++;
		if (i == b)
			break;
		sohoa_buf_reset(&k);
		if (fkey_simple_n(l->text + b, i - b, &k) != SOHOA_OK)
			break;
		if (b > 0 && k.len == 4 && sohoa_edit_distance(k.buf, "ngay",
		    1) <= 1) {
			found = 1;
			r = nw >= 5 && l->text[pe - 1] != ',' &&
			    text_starts_lower(l->text + pb, pe - pb);
		}
		pb = b;
		pe = i;
		nw++;
	}
	sohoa_buf_release(&k);
	return r;
}

/*
 * Index of the title line of D (a line that is the type's title with a
 * few letters more or less, among the top 25), or (size_t)-1.
 */
static size_t
title_line(const struct doc *d)
{
	const struct dt_type *t = d->t;
	size_t li, j;

	for (li = 0; li < d->nlines && li < 25; li++) {
		const struct xline *l = &d->lines[li];

		for (j = 0; j < t->titles.n; j++) {
			const struct dt_phrase *ph = &t->titles.v[j];
			size_t maxd = fkey_allowed(ph->keylen);

			if (l->k.len + 2 >= ph->keylen &&
			    l->k.len <= ph->keylen + 4 &&
			    sohoa_edit_distance(l->k.key, ph->key, maxd + 4) <=
			    maxd + (l->k.len > ph->keylen ?
			    l->k.len - ph->keylen : 0))
				return li;
		}
	}
	return (size_t)-1;
}

/*
 * Bytes of specks OCR put before the first word of S (N bytes): signs
 * such as '_' or '-' with no letter or digit ("_VN cải chính").
 */
static size_t
speck_len(const char *s, size_t n)
{
	size_t at = 0, k;
	int32_t cp;

	while (at < n) {
		k = sohoa_utf8_decode(s + at, n - at, &cp);
		if (k == 0 || text_is_letter(cp) || (cp < 0x80 &&
		    isdigit((int)cp)))
			break;
		at += k;
	}
	return at;
}

/*
 * 1 when line L may be the summary under a title: it opens with a
 * capital, holds small letters (not a heading in capitals such as "CHỦ
 * TỊCH ỦY BAN NHÂN DÂN …"), and starts with no label or stop.
 */
static int
summary_line(const struct doc *d, const struct xline *l)
{
	int32_t cp;
	size_t at = speck_len(l->text, l->len);

	if (l->nhits > 0 && d->hits[l->first_hit].kstart == 0)
		return 0;
	if (label_shape(l) || at == l->len)
		return 0;
	sohoa_utf8_decode(l->text + at, l->len - at, &cp);
	return sohoa_utf8_case_cp(cp) > 0 && text_has_lower(l->text, l->len);
}

/*
 * 1 when W (N bytes), the first word of a decision's summary, is the
 * abbreviation "V/v" misread: "Vív" (two v's), or a V with one or two
 * more signs and no vowel, which no Vietnamese word is ("VW", "V/",
 * "VN"; "Về" is a syllable).
 */
static int
vv_misread(const char *w, size_t n)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	int r;

	if (n < 2 || (w[0] != 'V' && w[0] != 'v'))
		return 0;
	if ((n == 3 || n == 4) && w[n - 1] == 'v')
		return 1;
	if (n > 3 || fkey_simple_n(w, n, &k) != SOHOA_OK)
		return 0;
	r = strpbrk(k.buf, "aeiouy") == NULL;
	sohoa_buf_release(&k);
	return r;
}

/*
 * The summary under the title when F's label was not read (a decision's
 * "V/v …" read "Vív …"): the first line below the title and the lines
 * of its block it wraps onto.  A first word of two or three letters
 * between two v's is the abbreviation "V/v" misread.
 */
static int
under_title(const struct doc *d, const struct dt_field *f, struct result *r)
{
	size_t t = title_line(d), li, k, at;
	struct cand c;
	int rc;

	if (t == (size_t)-1 || t + 1 >= d->nlines ||
	    !summary_line(d, &d->lines[t + 1]))
		return SOHOA_OK;
	memset(&c, 0, sizeof(c));
	sohoa_buf_init(&c.raw);
	li = t + 1;
	rc = line_value(d, li, &c);
	/*
	 * It goes on over the lines of its block, up to a heading in
	 * capitals ("CHỦ TỊCH ỦY BAN NHÂN DÂN …") or a label.
	 */
	while (rc == SOHOA_OK && li + 1 < d->nlines && li < t + 3 &&
	    !d->lines[li + 1].gap_before &&
	    d->lines[li + 1].nhits == 0 && !label_shape(&d->lines[li + 1]) &&
	    !text_all_caps(d->lines[li + 1].text)) {
		const struct xline *n = &d->lines[++li];

		rc = join_wrapped(&c.raw, n->text, n->len);
	}
	at = speck_len(c.raw.buf, c.raw.len);
	k = strcspn(c.raw.buf + at, " ");
	if (rc == SOHOA_OK && vv_misread(c.raw.buf + at, k)) {
		struct sohoa_buf t2 = SOHOA_BUF_INIT;

		rc = sohoa_buf_adds(&t2, "V/v");
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(&t2, c.raw.buf + at + k);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(&c.raw);
			rc = sohoa_buf_add(&c.raw, t2.buf, t2.len);
		}
		sohoa_buf_release(&t2);
	}
	if (rc == SOHOA_OK)
		rc = take(f, NULL, &c, r);
	if (rc == SOHOA_OK && r->valid)
		r->fixed = 1;
	else if (rc == SOHOA_OK)
		r->found = 0;
	cand_release(&c);
	return rc;
}

/*
 * 1 when document number B, read again, holds A and more: A's first run
 * of digits ends B's, and what follows it in A follows it in B ("72" or
 * "72/QĐ" in "172/QĐ-UBND"; not "20" in "01/2020").
 */
static int
holds_number(const char *b, const char *a)
{
	size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");

	return na > 0 && nb >= na && strlen(b) > strlen(a) &&
	    strncmp(b + nb - na, a, na) == 0 &&
	    strncmp(b + nb, a + na, strlen(a + na)) == 0;
}

/* Extract field F (index FI) into R. */
static int
extract_field(const struct doc *d, size_t fi, struct result *r)
{
	const struct dt_field *f = &d->t->fields[fi];
	size_t i, seen = 0;
	int rc = SOHOA_OK, done = 0, reread = 0;

	r->found = 0;
	if (f->where == DT_WHERE_HEADER)
		return header_field(d, f, r);
	if (f->where == DT_WHERE_PLACEDATE) {
		rc = place_date_field(d, r);
		if (rc != SOHOA_OK || r->found)
			return rc;
	}
	if (f->where == DT_WHERE_LINE || f->where == DT_WHERE_PLACEDATE) {
		int section = -1;

		for (i = 0; i < d->nlines && !done; i++) {
			const struct xline *l = &d->lines[i];
			struct cand c;

			if (l->nhits > 0)
				section = d->hits[l->first_hit +
				    l->nhits - 1].section;
			if (!field_applies(f, i) || !section_ok(d, f, section))
				continue;
			if (f->where == DT_WHERE_PLACEDATE && cites_date(l))
				continue;
			memset(&c, 0, sizeof(c));
			sohoa_buf_init(&c.raw);
			rc = sohoa_buf_add(&c.raw, l->text, l->len);
			c.conf = xline_conf(l, 0, l->len, d->page_conf);
			if (rc == SOHOA_OK) {
				struct result tmp;

				memset(&tmp, 0, sizeof(tmp));
				sohoa_buf_init(&tmp.value);
				sohoa_buf_init(&tmp.raw);
				rc = take(f, NULL, &c, &tmp);
				if (rc == SOHOA_OK && tmp.valid) {
					sohoa_buf_release(&r->value);
					sohoa_buf_release(&r->raw);
					*r = tmp;
					if (!f->pick_last)
						done = 1;
				} else {
					sohoa_buf_release(&tmp.value);
					sohoa_buf_release(&tmp.raw);
				}
			}
			cand_release(&c);
			if (rc != SOHOA_OK)
				return rc;
		}
		return SOHOA_OK;
	}
	for (i = 0; i < d->nhits && !done; i++) {
		const struct hit *h = &d->hits[i];
		struct cand c;
		struct result tmp;

		if (h->kind != HIT_FIELD || h->idx != fi ||
		    !section_ok(d, f, h->section))
			continue;
		seen++;
		if (f->occurrence > 1 && seen != (size_t)f->occurrence)
			continue;
		memset(&c, 0, sizeof(c));
		sohoa_buf_init(&c.raw);
		memset(&tmp, 0, sizeof(tmp));
		sohoa_buf_init(&tmp.value);
		sohoa_buf_init(&tmp.raw);
		if (f->where == DT_WHERE_AFTER) {
			size_t li;

			/* the first line below the label that parses */
			for (li = h->line + 1; li < d->nlines &&
			    li <= h->line + 8 &&
			    rc == SOHOA_OK; li++) {
				const struct xline *l = &d->lines[li];

				/* "Nơi nhận" read beside the signer's title:
				   an item is no name ("- Như Điều 3;") */
				if (recipient_item(l))
					continue;
				rc = after_cand(d, f, l, &c);
				if (rc == SOHOA_OK)
					rc = take(f, NULL, &c, &tmp);
				if (rc == SOHOA_OK && tmp.valid)
					break;
			}
		} else {
			rc = hit_value(d, h, f, &c);
			if (rc == SOHOA_OK && c.raw.len > 0)
				rc = take(f, &f->labels.v[h->label], &c, &tmp);
			tmp.below = c.line != h->line;
			/*
			 * Two-column layouts: what follows the label on its
			 * line may belong to the other column, and the value
			 * be below.
			 */
			if (rc == SOHOA_OK && tmp.found && !tmp.valid &&
			    c.line == h->line && h->line + 1 < d->nlines &&
			    !typed_read(f, &c)) {
				struct result below;

				memset(&below, 0, sizeof(below));
				sohoa_buf_init(&below.value);
				sohoa_buf_init(&below.raw);
				rc = line_value(d, h->line + 1, &c);
				if (rc == SOHOA_OK && c.raw.len > 0)
					rc = take(f, &f->labels.v[h->label], &c,
					    &below);
				if (rc == SOHOA_OK && below.valid) {
					sohoa_buf_release(&tmp.value);
					sohoa_buf_release(&tmp.raw);
					tmp = below;
					tmp.below = 1;
				} else {
					sohoa_buf_release(&below.value);
					sohoa_buf_release(&below.raw);
				}
			}
		}
		cand_release(&c);
		if (rc != SOHOA_OK) {
			sohoa_buf_release(&tmp.value);
			sohoa_buf_release(&tmp.raw);
			return rc;
		}
		/* a line below a label is taken only when it parses */
		if (f->where == DT_WHERE_AFTER && !tmp.valid)
			tmp.found = 0;
		/*
		 * The first valid value wins; else the first one read.  A
		 * number read again on the next line, its label first (the
		 * number line's second look, a line of its own below the
		 * page's), wins when it holds the first and more of it:
		 * "72" from "¡72QÐ-UBND" ends the number of "172/QĐ-UBND"
		 * ("Quyển số: 01/2020" under "Số: 20" is another number).
		 */
		if (reread) {
			if (tmp.valid && h->line == r->line + 1 &&
			    h->kstart == 0 && holds_number(tmp.value.buf,
			    r->value.buf)) {
				sohoa_buf_release(&r->value);
				sohoa_buf_release(&r->raw);
				*r = tmp;
				sohoa_buf_init(&tmp.value);
				sohoa_buf_init(&tmp.raw);
			}
			done = 1;
		} else if (tmp.found && (tmp.valid || !r->found ||
		    f->pick_last)) {
			int keep_old = r->found && r->valid && !tmp.valid;

			if (!keep_old) {
				sohoa_buf_release(&r->value);
				sohoa_buf_release(&r->raw);
				*r = tmp;
				sohoa_buf_init(&tmp.value);
				sohoa_buf_init(&tmp.raw);
			}
			if (r->valid && !f->pick_last) {
				done = 1;
				if (strcmp(f->type, "doc_number") == 0 &&
				    i + 1 < d->nhits) {
					done = 0;
					reread = 1;
				}
			}
		}
		sohoa_buf_release(&tmp.value);
		sohoa_buf_release(&tmp.raw);
		if (f->occurrence > 1)
			break;
	}
	if (f->where == DT_WHERE_AFTER && !r->found)
		return after_last_hit(d, f, r);
	if (f->under_title && !r->found)
		return under_title(d, f, r);
	if (f->before.n > 0 && (!r->found || !r->valid))
		return before_label(d, f, r);
	return SOHOA_OK;
}

/* ---- cross-checks ---- */

static int
iso_date(const char *s, int *py, int *pm, int *pd)
{
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", py, pm, pd) == 3;
}

/* Number of decimal digits in which years A and B differ. */
static int
digits_apart(int a, int b)
{
	int n = 0, i;

	for (i = 0; i < 4; i++, a /= 10, b /= 10)
		n += a % 10 != b % 10;
	return n;
}

/*
 * Number of the eight digits in which ISO dates A and B differ, or 9
 * when either is not one.
 */
static int
date_digits_apart(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;

	if (!iso_date(a, &ya, &ma, &da) || !iso_date(b, &yb, &mb, &db))
		return 9;
	return digits_apart(ya, yb) + digits_apart(ma, mb) +
	    digits_apart(da, db);
}

/*
 * 1 when the date in words RAW ends with a digit word ("… bảy mươi
 * chín."): its year was read to the end.  One ending on "mươi", "trăm" or
 * a word that is no number ("… chín mươi" / a line lost, "mười bến") may
 * have lost its last digit.
 */
static int
words_end_on_digit(const char *raw)
{
	struct sohoa_buf w = SOHOA_BUF_INIT;
	size_t e = strlen(raw), b;
	long v;
	int r;

	while (e > 0 && (raw[e - 1] == ' ' || raw[e - 1] == '.' ||
	    raw[e - 1] == ',' || raw[e - 1] == ';'))
		e--;
	for (b = e; b > 0 && raw[b - 1] != ' '; b--)
		;
	r = e > b && sohoa_buf_add(&w, raw + b, e - b) == SOHOA_OK &&
	    sohoa_parse_number_words(w.buf, &v) == SOHOA_OK && v >= 0 &&
	    v <= 9;
	sohoa_buf_release(&w);
	return r;
}

/*
 * A date in figures and the same date in words: when they disagree the
 * field is flagged; when the figures did not parse, the words give it.
 * When they differ in one digit only ("24/01/1978" beside "… một nghìn
 * chín trăm bảy mươi chín"), the figure was misread: OCR takes one glyph
 * for another, while a number word misread is seldom another number
 * word.  So do figures read only through look-alike letters ("13⁄1/⁄2ooo":
 * old-style figures, where an o is a 0 or a 9).  The words give the date,
 * flagged, when read to their end.
 */
static void
check_words(struct result *date, const struct result *words)
{
	if (!words->found || !words->valid)
		return;
	if (!date->found || !date->valid) {
		sohoa_buf_reset(&date->value);
		if (sohoa_buf_add(&date->value, words->value.buf,
		    words->value.len) != SOHOA_OK)
			return;
		date->found = date->valid = 1;
		date->garbled = 0;
		date->fixed = 1;
		date->conf = words->conf;
		return;
	}
	if (strcmp(date->value.buf, words->value.buf) == 0) {
		/* two readings agree: more certain than either */
		date->conf = date->conf + (100 - date->conf) * 0.5f;
		return;
	}
	if ((date_digits_apart(date->value.buf, words->value.buf) == 1 ||
	    date->lookalike) && words_end_on_digit(words->raw.buf)) {
		sohoa_buf_reset(&date->value);
		if (sohoa_buf_add(&date->value, words->value.buf,
		    words->value.len) != SOHOA_OK)
			return;
		date->fixed = 1;
		date->doubt = 1;
		return;
	}
	date->valid = 0;
}

/* 1 when word W (N bytes) carries no tone mark ("Thuy", "Thôn"). */
static int
toneless(const char *w, size_t n)
{
	struct sohoa_buf t = SOHOA_BUF_INIT, u = SOHOA_BUF_INIT,
	    c = SOHOA_BUF_INIT, l = SOHOA_BUF_INIT;
	int r;

	r = sohoa_buf_add(&t, w, n) == SOHOA_OK &&
	    sohoa_utf8_untone(t.buf, &u) == SOHOA_OK &&
	    sohoa_utf8_nfc(u.buf, u.len, &c) == SOHOA_OK &&
	    sohoa_utf8_lower(t.buf, &l) == SOHOA_OK &&
	    strcmp(c.buf, l.buf) == 0;
	sohoa_buf_release(&t);
	sohoa_buf_release(&u);
	sohoa_buf_release(&c);
	sohoa_buf_release(&l);
	return r;
}

/*
 * Which of A and B (AN and BN bytes, the same letters) kept the tone
 * marks OCR dropped in the other: 1 for B ("Thuy" / "Thuỷ"), -1 for A, 0
 * when neither word by word (a mark against another, "Thuý" / "Thuỷ",
 * tells nothing).
 */
static int
marks_kept(const char *a, size_t an, const char *b, size_t bn)
{
	struct sohoa_buf ta = SOHOA_BUF_INIT, tb = SOHOA_BUF_INIT,
	    ua = SOHOA_BUF_INIT, ub = SOHOA_BUF_INIT;
	size_t i = 0, j = 0, ie, je;
	int side = 0, w;

	while (i < an && j < bn) {
		for (ie = i; ie < an && a[ie] != ' '; ie++)
			;
		for (je = j; je < bn && b[je] != ' '; je++)
			;
		if (ie - i != je - j || memcmp(a + i, b + j, ie - i) != 0) {
			sohoa_buf_reset(&ta);
			sohoa_buf_reset(&tb);
			sohoa_buf_reset(&ua);
			sohoa_buf_reset(&ub);
			w = 0;
			if (sohoa_buf_add(&ta, a + i, ie - i) == SOHOA_OK &&
			    sohoa_buf_add(&tb, b + j, je - j) == SOHOA_OK &&
			    sohoa_utf8_untone(ta.buf, &ua) == SOHOA_OK &&
			    sohoa_utf8_untone(tb.buf, &ub) == SOHOA_OK &&
			    strcmp(ua.buf, ub.buf) == 0) {
				/* the same letters: which one has no tone */
				if (toneless(ta.buf, ta.len) &&
				    !toneless(tb.buf, tb.len))
					w = 1;
				else if (toneless(tb.buf, tb.len) &&
				    !toneless(ta.buf, ta.len))
					w = -1;
			}
			if (w == 0 || (side != 0 && w != side)) {
				side = 0;
				break;
			}
			side = w;
		}
		i = ie + (ie < an);
		j = je + (je < bn);
	}
	if (i < an || j < bn)
		side = 0;
	sohoa_buf_release(&ta);
	sohoa_buf_release(&tb);
	sohoa_buf_release(&ua);
	sohoa_buf_release(&ub);
	return side;
}

/* Start of the last part of address S (N bytes): after its last comma. */
static size_t
last_part(const char *s, size_t n)
{
	size_t b = n;

	while (b > 0 && s[b - 1] != ',')
		b--;
	while (b < n && s[b] == ' ')
		b++;
	return b;
}

/* Number of commas among the N bytes of S. */
static size_t
count_parts(const char *s, size_t n)
{
	return count_char(s, n, ',');
}

/*
 * 1 when address A (AN bytes) was cut at a line's end where B (BN) goes
 * on, both read for one address: as many parts, the same between the
 * first and the last (the first, a village, is often misread), and A's
 * last part a unit alone or with one word ("tỉnh", "tỉnh Quảng") that
 * B's last part opens with ("tỉnh Quảng Nam").  Every province has a
 * name of two syllables or more, Huế aside, which is never cut so.
 */
static int
cut_of(const char *a, size_t an, const char *b, size_t bn)
{
	struct sohoa_buf ka = SOHOA_BUF_INIT, kb = SOHOA_BUF_INIT;
	struct sohoa_buf part = SOHOA_BUF_INIT;
	size_t la = last_part(a, an), lb = last_part(b, bn), fa, fb, e;
	int r = 0;

	if (count_parts(a, an) < 3 || count_parts(a, an) !=
	    count_parts(b, bn) || an - la >= bn - lb ||
	    memcmp(a + la, b + lb, an - la) != 0 || b[lb + an - la] != ' ')
		return 0;
	fa = strcspn(a, ",");
	fb = strcspn(b, ",");
	/* a unit alone, or a unit and one word */
	for (e = an; e > la && a[e - 1] != ' '; e--)
		;
	if (sohoa_buf_add(&part, a + la, an - la) != SOHOA_OK)
		goto out;
	if (!ends_with_unit(&part)) {
		sohoa_buf_truncate(&part, e > la ? e - la - 1 : 0);
		if (part.len == 0 || !ends_with_unit(&part) ||
		    memchr(part.buf, ' ', part.len) != NULL)
			goto out;
	}
	r = fkey_simple_n(a + fa, la - fa, &ka) == SOHOA_OK &&
	    fkey_simple_n(b + fb, lb - fb, &kb) == SOHOA_OK &&
	    ka.len > 0 && strcmp(ka.buf, kb.buf) == 0;
out:
	sohoa_buf_release(&part);
	sohoa_buf_release(&ka);
	sohoa_buf_release(&kb);
	return r;
}

/*
 * An address whose province lost its last word at a line's end ("…, tỉnh
 * Nghệ" with "An" gone: the next line is a label): when exactly one
 * province is named with that first word and more, and the word is no
 * province alone, its name is written out, flagged as mended.  A name
 * whose tone placement the page may write either way (Hòa, Hoà) is left.
 */
static int
province_cut(struct result *r)
{
	const char *v = r->value.buf, *name, *w, *one = NULL;
	size_t lp, wn, p;

	if (!r->valid || r->value.len == 0)
		return SOHOA_OK;
	lp = last_part(v, r->value.len);
	if (strncmp(v + lp, "tỉnh ", strlen("tỉnh ")) != 0)
		return SOHOA_OK;
	w = v + lp + strlen("tỉnh ");
	wn = strlen(w);
	if (wn == 0 || strchr(w, ' ') != NULL)
		return SOHOA_OK;
	for (p = 0; (name = parse_province_at(p)) != NULL; p++) {
		if (strcmp(name, w) == 0)
			return SOHOA_OK;
		if (strncmp(name, w, wn) != 0 || name[wn] != ' ')
			continue;
		if (one != NULL && strcmp(one, name) != 0)
			return SOHOA_OK;
		one = name;
	}
	if (one == NULL || strstr(one + wn, "óa") != NULL ||
	    strstr(one + wn, "òa") != NULL)
		return SOHOA_OK;
	r->fixed = 1;
	return sohoa_buf_adds(&r->value, one + wn);
}

/* 1 when RAW, its spaces at the end left aside, ends with a comma. */
static int
ends_in_comma(const struct sohoa_buf *raw)
{
	size_t e = raw->len;

	while (e > 0 && raw->buf[e - 1] == ' ')
		e--;
	return e > 0 && raw->buf[e - 1] == ',';
}

/*
 * 1 when address A (AN bytes), read from RAW, lost its last part where B
 * (BN) has it: RAW ends with a comma (an address does not: the part
 * after it went to a line below, past the other column's label,
 * "…, huyện Sìn Hồ," / "Quốc tịch: …"), B has one part more, and A's
 * parts but the first (a village, often misread) fold as B's.
 */
static int
part_lost(const char *a, size_t an, const struct sohoa_buf *raw,
    const char *b, size_t bn)
{
	struct sohoa_buf ka = SOHOA_BUF_INIT, kb = SOHOA_BUF_INIT;
	size_t fa = strcspn(a, ","), fb = strcspn(b, ","), lb;
	int r;

	if (!ends_in_comma(raw) || count_parts(a, an) < 2 ||
	    count_parts(a, an) + 1 != count_parts(b, bn) || fa >= an)
		return 0;
	lb = last_part(b, bn);
	while (lb > 0 && (b[lb - 1] == ' ' || b[lb - 1] == ','))
		lb--;
	r = fkey_simple_n(a + fa, an - fa, &ka) == SOHOA_OK &&
	    fkey_simple_n(b + fb, lb - fb, &kb) == SOHOA_OK &&
	    ka.len > 0 && strcmp(ka.buf, kb.buf) == 0;
	sohoa_buf_release(&ka);
	sohoa_buf_release(&kb);
	return r;
}

/* Address R, whose last part was lost (part_lost), ended with B's. */
static int
add_last_part(struct result *r, const char *b, size_t bn)
{
	size_t lb = last_part(b, bn);
	int rc;

	r->fixed = 1;
	r->doubt = 1;
	rc = sohoa_buf_adds(&r->value, ", ");
	return rc != SOHOA_OK ? rc : sohoa_buf_add(&r->value, b + lb, bn - lb);
}

/*
 * "Tại nhà, X": a death at home is written with the address of the home,
 * most often the residence read on the same page.  When X (in DP) and a
 * residence R fold to the same letters but differ in marks, the better
 * reading is written in both: one read as is over one respelt, else the
 * one that kept the tone marks OCR dropped in the other ("Thôn Thuy Ba"
 * beside "Thôn Thuỷ Ba").  Two different marks ("Thuý", "Thuỷ") are left
 * as read.
 */
static int
same_address(struct result *dp, struct result *r)
{
	static const char home[] = "Tại nhà, ";
	struct sohoa_buf ka = SOHOA_BUF_INIT, kb = SOHOA_BUF_INIT;
	const char *x;
	size_t xn;
	int rc, from_r;

	if (!dp->valid || !r->valid || strncmp(dp->value.buf, home,
	    strlen(home)) != 0)
		return SOHOA_OK;
	x = dp->value.buf + strlen(home);
	xn = dp->value.len - strlen(home);
	if (xn == r->value.len && memcmp(x, r->value.buf, xn) == 0)
		return SOHOA_OK;
	/* one cut at a line's end: its last part from the other */
	if (cut_of(x, xn, r->value.buf, r->value.len)) {
		size_t lx = last_part(x, xn) + strlen(home);

		sohoa_buf_truncate(&dp->value, lx);
		dp->fixed = 1;
		return sohoa_buf_adds(&dp->value, r->value.buf +
		    last_part(r->value.buf, r->value.len));
	}
	/* one lost its last part past a comma: the other's */
	if (part_lost(x, xn, &dp->raw, r->value.buf, r->value.len))
		return add_last_part(dp, r->value.buf, r->value.len);
	if (part_lost(r->value.buf, r->value.len, &r->raw, x, xn))
		return add_last_part(r, x, xn);
	if (cut_of(r->value.buf, r->value.len, x, xn)) {
		size_t lr = last_part(r->value.buf, r->value.len);

		sohoa_buf_truncate(&r->value, lr);
		r->fixed = 1;
		return sohoa_buf_add(&r->value, x + last_part(x, xn),
		    xn - last_part(x, xn));
	}
	rc = fkey_simple_n(x, xn, &ka);
	if (rc == SOHOA_OK)
		rc = fkey_simple_n(r->value.buf, r->value.len, &kb);
	if (rc != SOHOA_OK || ka.len == 0 || ka.len != kb.len ||
	    memcmp(ka.buf, kb.buf, ka.len) != 0)
		goto out;
	if (dp->fixed != r->fixed)
		from_r = dp->fixed;
	else if ((from_r = marks_kept(x, xn, r->value.buf, r->value.len)) ==
	    0)
		goto out;
	if (from_r > 0) {
		sohoa_buf_truncate(&dp->value, strlen(home));
		rc = sohoa_buf_add(&dp->value, r->value.buf, r->value.len);
		dp->fixed = 1;
	} else {
		sohoa_buf_reset(&r->value);
		rc = sohoa_buf_add(&r->value, x, xn);
		r->fixed = 1;
	}
out:
	sohoa_buf_release(&ka);
	sohoa_buf_release(&kb);
	return rc;
}

/*
 * On a birth certificate the declarant is most often the mother or the
 * father, so the same name is read twice.  When A (a parent) and B (the
 * declarant) are that close, the better reading wins: B when A did not
 * parse, or when B's words were read with more confidence.
 */
static int
same_name(struct result *a, const struct result *b)
{
	struct sohoa_buf ka = SOHOA_BUF_INIT, kb = SOHOA_BUF_INIT;
	int rc;

	if (!a->found || !b->found || !b->valid ||
	    strcmp(a->value.buf, b->value.buf) == 0)
		return SOHOA_OK;
	rc = fkey_simple(a->value.buf, &ka);
	if (rc == SOHOA_OK)
		rc = fkey_simple(b->value.buf, &kb);
	if (rc == SOHOA_OK && ka.len > 0 &&
	    sohoa_edit_distance(ka.buf, kb.buf, 2) <= 2 &&
	    (!a->valid || b->conf > a->conf)) {
		sohoa_buf_reset(&a->value);
		rc = sohoa_buf_add(&a->value, b->value.buf, b->value.len);
		a->valid = 1;
		a->garbled = 0;
		a->fixed = 1;
		if (b->conf > a->conf)
			a->conf = b->conf;
	}
	sohoa_buf_release(&ka);
	sohoa_buf_release(&kb);
	return rc;
}

/* 1 for the fields an ID is checked against: birth date and sex. */
static int
is_birth_or_sex(const struct dt_field *g)
{
	return strcmp(g->type, "sex") == 0 || (strcmp(g->type, "date") == 0 &&
	    strstr(g->key, "birth") != NULL);
}

/* 1 when fields A and B are read in the same section. */
static int
section_eq(const struct dt_field *a, const struct dt_field *b)
{
	if (a->section == NULL || b->section == NULL)
		return a->section == b->section;
	return strcmp(a->section, b->section) == 0;
}

static int
sex_code(const char *s)
{
	if (strcmp(s, "Nam") == 0)
		return 1;
	if (strcmp(s, "Nữ") == 0)
		return 2;
	return 0;
}

/* ---- driver ---- */

/* The year of a document number "NN/YYYY/GROUP", or 0. */
static int
number_year(const char *num)
{
	const char *p = num == NULL ? NULL : strchr(num, '/');
	int y = 0, i;

	if (p == NULL || strlen(p) < 6 || p[5] != '/')
		return 0;
	for (i = 1; i <= 4; i++) {
		if (!isdigit((unsigned char)p[i]))
			return 0;
		y = y * 10 + (p[i] - '0');
	}
	return y;
}

/*
 * Civil-status dates lie between 1900 and today: a year read as 2093 is
 * an OCR slip to review, not a date.  The date of issue of a document
 * numbered "NN/YYYY/GROUP" (extracts, copies) is in year YYYY: a year
 * read one digit away from it ("2031" for 2021) takes it, flagged as
 * mended.
 */
static void
check_plausible(const struct dt_field *f, struct result *r,
    const char *number)
{
	int y, m, d, ny;
	time_t now = time(NULL);
	struct tm tm;

	if (!r->valid || strncmp(f->type, "date", 4) != 0 ||
	    !iso_date(r->value.buf, &y, &m, &d))
		return;
	if (gmtime_r(&now, &tm) == NULL)
		return;
	if (y >= 1900 && y <= tm.tm_year + 1900 + 1)
		return;
	r->valid = 0;
	ny = number_year(number);
	if (strcmp(f->type, "date_text") == 0 && ny >= 1900 &&
	    ny <= tm.tm_year + 1900 + 1 && digits_apart(y, ny) == 1 &&
	    parse_date_valid(ny, m, d)) {
		sohoa_buf_reset(&r->value);
		if (sohoa_format_date(ny, m, d, &r->value) == SOHOA_OK) {
			r->valid = 1;
			r->garbled = 0;
			r->fixed = 1;
			r->doubt = 1;
		}
	}
}

/* 1 when word W (N bytes) is in capitals and has a mark: "MẸ", "ỦY". */
static int
marked_caps(const char *w, size_t n)
{
	return n >= 2 && text_all_upper(w, n) && !text_has_lower(w, n) &&
	    text_has_mark(w, n, 1);
}

/*
 * 1 when address V names its province or city: a unit word "tỉnh" or
 * "thành phố" in small letters, or in any case opening V or a part of it
 * ("Tỉnh Hà Giang", "…, Thành phố Huế"), or "TP" there ("TP. Hồ Chí
 * Minh"); "Hà Tĩnh" folds as "tỉnh" does and is none.
 */
static int
names_province(const char *v, int *prc)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	const char *p, *b;
	size_t n = strlen(v), u;
	int r = 0, part;

	for (p = v; !r && *prc == SOHOA_OK && p < v + n; p++) {
		if (p > v && p[-1] != ' ')
			continue;
		for (b = p; b > v && b[-1] == ' '; b--)
			;
		part = b == v || b[-1] == ',';
		if (part && strncmp(p, "TP", 2) == 0 && (p[2] == '.' ||
		    p[2] == ' ')) {
			r = 1;
			break;
		}
		if ((!part && !text_starts_lower(p, n - (size_t)(p - v))) ||
		    (u = text_unit_at(p, n - (size_t)(p - v),
		    TEXT_UNIT_ADMIN)) == 0)
			continue;
		sohoa_buf_reset(&k);
		*prc = fkey_simple_n(p, u, &k);
		r = *prc == SOHOA_OK && (strcmp(k.buf, "tinh") == 0 ||
		    strcmp(k.buf, "thanhpho") == 0);
	}
	sohoa_buf_release(&k);
	return r || *prc != SOHOA_OK;
}

/*
 * 1 when address V (a place in small letters with capitals, its parts
 * parted by commas) is not built as an address is: it ends on a unit
 * word with no name ("…, huyện Phú Vang, thành phố": the name lost at
 * the margin), a part after the first opens in small letters with no
 * unit word ("…, si tỉnh Hà Nam": a speck read as a word), or a word in
 * capitals with a mark stands among small letters ("xã Phú MẸ", "tỉnh
 * - Ó -ỦY BAN NHÂN DÂN": the header's letters, or a garbled word), or
 * it names no province ("Bản Pá Khôm", "…, huyện Phú Vang": the rest
 * lost at the margin or to another column).  The value stays as read;
 * it goes to review.
 */
static int
address_doubt(const char *v, int *prc)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	const char *p, *e;
	int odd = 0;

	*prc = SOHOA_OK;
	if (!text_has_lower(v, strlen(v)))
		return 0;
	*prc = sohoa_buf_adds(&b, v);
	if (*prc != SOHOA_OK)
		return 0;
	/* a unit word in small letters: "Hà Tĩnh" folds as "tỉnh" does */
	while (b.len > 0 && strchr(" ,.", b.buf[b.len - 1]) != NULL)
		sohoa_buf_truncate(&b, b.len - 1);
	p = strrchr(b.buf, ' ');
	p = p == NULL ? b.buf : p + 1;
	odd = text_starts_lower(p, strlen(p)) && ends_with_unit(&b);
	for (p = strchr(v, ','); !odd && p != NULL; p = strchr(p + 1, ',')) {
		e = parse_skip_spaces(p + 1);
		odd = text_starts_lower(e, strlen(e)) &&
		    !opens_unit(e, strlen(e));
	}
	for (p = v; !odd && *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, " ,-");
		odd = marked_caps(p, (size_t)(e - p));
	}
	if (!odd)
		odd = !names_province(v, prc);
	sohoa_buf_release(&b);
	return odd;
}

/*
 * Where the last of F's labels in K ends (an index of K's words), or
 * (size_t)-1 when K has none; *PFROM, *PLABEL (when not NULL): where
 * that label starts and which of F's labels it is.
 */
static size_t
last_label(const struct dt_field *f, const struct fkey *k, size_t *pfrom,
    size_t *plabel)
{
	size_t i, j, end, at = (size_t)-1;

	for (i = 0; i < k->len; i++)
		for (j = 0; k->wstart[i] && j < f->labels.n; j++)
			if (fkey_match_at(k, i, f->labels.v[j].key,
			    f->labels.v[j].keylen, 0, &end) == 0) {
				at = end;
				if (pfrom != NULL)
					*pfrom = i;
				if (plabel != NULL)
					*plabel = j;
			}
	return at;
}

/*
 * The person a decision's subject names after one of F's labels ("Về
 * việc … cho ông Hoàng Văn Mến"), parsed as a name into R, when F was
 * read nowhere: the article that names the person again was lost (its
 * lines not read).  R is flagged: one reading, of the other place.
 */
static int
person_of_subject(const struct dt_field *f, const char *t, struct result *r)
{
	struct sohoa_buf raw = SOHOA_BUF_INIT;
	struct fkey k;
	size_t at;
	const char *p;
	int rc, fixed = 0;

	rc = fkey_build(t, strlen(t), &k);
	if (rc != SOHOA_OK)
		return rc;
	at = last_label(f, &k, NULL, NULL);
	if (at != (size_t)-1) {
		p = parse_skip_spaces(t + k.off[at]);
		rc = sohoa_buf_add(&raw, p, strcspn(p, ",;"));
		sohoa_buf_reset(&r->value);
		if (rc == SOHOA_OK)
			rc = sohoa_parse_name(raw.buf, &r->value, &fixed);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(&r->raw);
			rc = sohoa_buf_add(&r->raw, raw.buf, raw.len);
			r->found = r->valid = r->fixed = r->doubt = 1;
			r->garbled = 0;
		} else if (rc == SOHOA_ERR_INPUT)
			rc = SOHOA_OK;
	}
	fkey_release(&k);
	sohoa_buf_release(&raw);
	return rc;
}

/*
 * A name of a section (the person of a decision's article) read nowhere
 * is taken from the subject under the title (person_of_subject).
 */
static int
names_of_subject(const struct dt_type *t, struct result *res)
{
	size_t i, j;
	int rc = SOHOA_OK;

	for (i = 0; i < t->nfields && rc == SOHOA_OK; i++) {
		const struct dt_field *f = &t->fields[i];

		if (strcmp(f->type, "name") != 0 || res[i].found ||
		    f->section == NULL || strcmp(f->section, "main") == 0)
			continue;
		for (j = 0; j < t->nfields && rc == SOHOA_OK &&
		    !res[i].found; j++)
			if (t->fields[j].under_title && res[j].found &&
			    res[j].valid)
				rc = person_of_subject(f, res[j].value.buf,
				    &res[i]);
	}
	return rc;
}

/*
 * The words after the last of F's labels in text T, to T's end or its
 * first comma, in small letters and the new tone placement, into OUT
 * (empty when no label of F is in T): a decision's subject names the
 * person of its article after the same words ("V/v cải chính ngày,
 * tháng, năm sinh cho ông Lê Thành Nghiệp").  *PSLIP: the label, found
 * folded, is not written as the form writes it ("cho châu" for "cho
 * cháu"): a word of T misread.
 */
static int
name_after_label(const struct dt_field *f, const char *t,
    struct sohoa_buf *out, int *pslip)
{
	struct sohoa_buf low = SOHOA_BUF_INIT;
	struct fkey k;
	size_t at, from = 0, label = 0, n;
	const char *p;
	int rc;

	sohoa_buf_reset(out);
	*pslip = 0;
	rc = fkey_build(t, strlen(t), &k);
	if (rc != SOHOA_OK)
		return rc;
	at = last_label(f, &k, &from, &label);
	if (at != (size_t)-1) {
		/* the label's words as the form writes them */
		rc = sohoa_buf_add(&low, t + k.off[from],
		    k.off[at] - k.off[from]);
		sohoa_buf_reset(out);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_lower(low.buf, out);
		while (out->len > 0 && out->buf[out->len - 1] == ' ')
			sohoa_buf_truncate(out, out->len - 1);
		sohoa_buf_reset(&low);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_lower(f->labels.v[label].text, &low);
		*pslip = rc == SOHOA_OK && strcmp(out->buf, low.buf) != 0;
		sohoa_buf_reset(out);
		sohoa_buf_reset(&low);
	}
	if (rc == SOHOA_OK && at != (size_t)-1) {
		p = parse_skip_spaces(t + k.off[at]);
		n = strcspn(p, ",;");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '.'))
			n--;
		rc = sohoa_buf_add(&low, p, n);
		if (rc == SOHOA_OK && n > 0)
			rc = sohoa_utf8_lower(low.buf, out);
	}
	fkey_release(&k);
	sohoa_buf_release(&low);
	return rc;
}

/*
 * Set *PDOUBT when text T, in small letters and the new tone placement,
 * ends with NAME (the same) after a space.
 */
static int
name_closes(const char *t, const struct sohoa_buf *name, int *pdoubt)
{
	struct sohoa_buf l = SOHOA_BUF_INIT, n = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_utf8_lower(t, &l);
	if (rc == SOHOA_OK)
		rc = tone_new(l.buf, l.len, &n);
	while (n.len > 0 && strchr(" .;,", n.buf[n.len - 1]) != NULL)
		sohoa_buf_truncate(&n, n.len - 1);
	if (rc == SOHOA_OK && name->len > 0 && n.len > name->len &&
	    n.buf[n.len - name->len - 1] == ' ' &&
	    strcmp(n.buf + n.len - name->len, name->buf) == 0)
		*pdoubt = 1;
	sohoa_buf_release(&l);
	sohoa_buf_release(&n);
	return rc;
}

/*
 * A name read twice on the page, once after its label in a text field
 * (the subject of a decision) and once as its own field, must be the
 * same: when the readings differ ("Bùi Văn Lầm" in the subject, "Bùi Văn
 * Lâm" in the article; a given name lost at the margin on one line),
 * the page does not tell which is misread, and both go to review, as
 * read.
 */
static int
named_again(const struct dt_type *t, struct result *res)
{
	struct sohoa_buf a = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT,
	    c = SOHOA_BUF_INIT;
	size_t i, j;
	int rc = SOHOA_OK, slip;

	for (i = 0; i < t->nfields && rc == SOHOA_OK; i++) {
		if (strcmp(t->fields[i].type, "name") != 0 ||
		    !res[i].found || !res[i].valid || res[i].value.len == 0)
			continue;
		sohoa_buf_reset(&a);
		sohoa_buf_reset(&c);
		rc = sohoa_utf8_lower(res[i].value.buf, &c);
		if (rc == SOHOA_OK)
			rc = tone_new(c.buf, c.len, &a);
		for (j = 0; j < t->nfields && rc == SOHOA_OK; j++) {
			if (strcmp(t->fields[j].type, "text") != 0 ||
			    !res[j].found || !res[j].valid)
				continue;
			rc = name_after_label(&t->fields[i], res[j].value.buf,
			    &c, &slip);
			if (slip)
				res[j].doubt = 1;
			sohoa_buf_reset(&b);
			if (rc == SOHOA_OK && c.len > 0)
				rc = tone_new(c.buf, c.len, &b);
			if (rc == SOHOA_OK && b.len > 0 &&
			    strcmp(a.buf, b.buf) != 0)
				res[i].doubt = res[j].doubt = 1;
			/*
			 * the name closes the text with none of its labels
			 * before it: the text took the name's line (a marital
			 * status read "cho ông Vàng Văn Mỷ")
			 */
			if (rc == SOHOA_OK && b.len == 0)
				rc = name_closes(res[j].value.buf, &a,
				    &res[j].doubt);
		}
	}
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	sohoa_buf_release(&c);
	return rc;
}

/*
 * A document is issued on or after the events it records: an issue date
 * before a date of birth, death or registration of the same document
 * ("ngày 17 tháng 10 năm 1976" on an extract of a birth registered on
 * 17/10/1978) cannot be.  Which of the two was misread the page does not
 * tell: both are flagged, as read.
 */
static void
check_order(const struct dt_type *t, struct result *res)
{
	static const char *const events[] = {
		"birth_date", "death_date", "registration_date",
	};
	size_t i, j, e;
	int y, m, d, y2, m2, d2;

	for (i = 0; i < t->nfields; i++) {
		if (strcmp(t->fields[i].key, "issue_date") != 0 ||
		    !res[i].valid || !iso_date(res[i].value.buf, &y, &m, &d))
			continue;
		for (j = 0; j < t->nfields; j++)
			for (e = 0; e < sizeof(events) / sizeof(events[0]);
			    e++)
				if (strcmp(t->fields[j].key, events[e]) == 0 &&
				    res[j].valid && iso_date(res[j].value.buf,
				    &y2, &m2, &d2) && strcmp(res[i].value.buf,
				    res[j].value.buf) < 0)
					res[i].doubt = res[j].doubt = 1;
	}
}

/* 1 for the types whose value is valid or absent: dates, IDs, numbers. */
static int
typed(const struct dt_field *f)
{
	return strncmp(f->type, "date", 4) == 0 ||
	    strcmp(f->type, "personal_id") == 0 ||
	    strcmp(f->type, "doc_number") == 0 || strcmp(f->type, "year") == 0;
}

static int
emit(const struct dt_field *f, const struct result *r, struct sohoa_fields *out)
{
	float conf = r->conf;
	int flagged;

	if (conf > 100)
		conf = 100;
	/*
	 * A value found as is in a closed list (sex, ethnic group,
	 * nationality) is right even when the leader dots around it made
	 * Tesseract unsure of the word.
	 */
	if (r->valid && !r->fixed && conf < 80 &&
	    (strcmp(f->type, "sex") == 0 || strcmp(f->type, "ethnicity") == 0 ||
	    strcmp(f->type, "nationality") == 0))
		conf = 80;
	if (r->fixed)
		conf *= 0.85f;
	if (!r->valid && conf > SOHOA_FIELD_INVALID_CONF)
		conf = SOHOA_FIELD_INVALID_CONF;
	if (r->doubt && conf > SOHOA_FIELD_REVIEW_CONF - 1)
		conf = SOHOA_FIELD_REVIEW_CONF - 1;
	flagged = !r->valid || r->doubt || conf < SOHOA_FIELD_REVIEW_CONF;
	/*
	 * A typed value (date, personal ID, document number, year) holds a
	 * valid value or none: what was read and did not parse ("04/06/I
	 * 994", an ID of 11 digits) stays beside it as the raw reading,
	 * flagged for review, never as the value.  (A value that parsed but
	 * that another field contradicts is kept, flagged.)
	 */
	if (!r->valid && r->garbled && typed(f))
		return sohoa_fields_set(out, f->key, "", r->raw.buf, conf, 1);
	return sohoa_fields_set(out, f->key, r->value.buf, r->raw.buf, conf,
	    flagged);
}

/*
 * The title of the type the document's title line reads (the nearest
 * of them: "BẢN SAO GIẤY KHAI SINH" rather than "GIẤY KHAI SINH"), or
 * NULL when no line reads one.
 */
static const struct dt_phrase *
form_title(const struct doc *d)
{
	const struct dt_phrase *form = NULL;
	size_t li = title_line(d), j, dist, best = (size_t)-1;

	if (li == (size_t)-1)
		return NULL;
	for (j = 0; j < d->t->titles.n; j++) {
		dist = sohoa_edit_distance(d->lines[li].k.key,
		    d->t->titles.v[j].key, 64);
		if (dist < best) {
			best = dist;
			form = &d->t->titles.v[j];
		}
	}
	return form;
}

/*
 * A field every form of the type carries (expect = yes) that was not
 * read at all: given as an empty value with no raw reading, confidence
 * 0 and flagged, so that a person is sent to the page to read it (a
 * signer or an issue date lost under a seal would otherwise go unseen).
 * A form whose title the field lists as absent_on (a request form has
 * no number) expects nothing of it; a title not read leaves it expected.
 * A field with expect_with is expected when that field was read.
 */
static int
emit_missing(const struct dt_field *f, const struct dt_phrase *form,
    struct sohoa_fields *out)
{
	const struct sohoa_field *with;
	size_t i;

	if (sohoa_fields_get(out, f->key) != NULL)
		return SOHOA_OK;
	/* "expect_with": a decision naming its person says where it lives */
	with = f->expect_with != NULL ? sohoa_fields_get(out, f->expect_with) :
	    NULL;
	if (!f->expect && (with == NULL || with->value == NULL ||
	    with->value[0] == '\0'))
		return SOHOA_OK;
	for (i = 0; form != NULL && i < f->absent_on.n; i++)
		if (strcmp(f->absent_on.v[i].key, form->key) == 0)
			return SOHOA_OK;
	return sohoa_fields_set(out, f->key, "", NULL, 0, 1);
}

int
xline_take(const struct doc *d, const struct dt_field *f, size_t li,
    size_t a, size_t b, struct result *r, int *ptaken)
{
	const struct xline *l = &d->lines[li];
	struct sohoa_buf raw = SOHOA_BUF_INIT, v = SOHOA_BUF_INIT;
	int rc, fixed = 0;

	if (ptaken != NULL)
		*ptaken = 0;
	rc = sohoa_buf_add(&raw, l->text + a, b - a);
	if (rc == SOHOA_OK)
		rc = sohoa_parse_value(f->type, raw.buf, &v, &fixed);
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(&r->raw);
		sohoa_buf_reset(&r->value);
		rc = sohoa_buf_add(&r->raw, raw.buf, raw.len);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&r->value, v.buf, v.len);
		r->found = r->valid = 1;
		r->garbled = r->below = r->doubt = 0;
		r->fixed = fixed;
		r->line = li;
		r->conf = xline_conf(l, a, b, d->page_conf);
		if (ptaken != NULL)
			*ptaken = 1;
	} else if (rc == SOHOA_ERR_INPUT)
		rc = SOHOA_OK;	/* not this field's: what was read stays */
	sohoa_buf_release(&raw);
	sohoa_buf_release(&v);
	return rc;
}

/*
 * Field F's value behind one of its follows_words on the line of field
 * G's value or the two below (RG), into R when it parses.
 */
static int
follow_value(const struct doc *d, const struct dt_field *f,
    const struct result *rg, struct result *r)
{
	size_t li, s, w, end;
	int rc = SOHOA_OK, taken = 0;

	for (li = rg->line; li < d->nlines && li <= rg->line + 2 && !taken &&
	    rc == SOHOA_OK; li++) {
		const struct xline *l = &d->lines[li];

		for (s = 0; s < l->k.len && !taken && rc == SOHOA_OK; s++)
			for (w = 0; l->k.wstart[s] && w < f->follows_words.n &&
			    !taken && rc == SOHOA_OK; w++) {
				const struct dt_phrase *ph =
				    &f->follows_words.v[w];

				if (fkey_match_at(&l->k, s, ph->key, ph->keylen,
				    0, &end) != (size_t)-1)
					rc = xline_take(d, f, li,
					    xline_key_end(l, end), l->len, r,
					    &taken);
			}
	}
	return rc;
}

/*
 * A value on the line after another field's, behind a word of its own
 * ("Đăng ký khai sinh tại: …" / "Số: 99 ngày 17/04/2016": an older birth
 * certificate gives the registration's number and date below its
 * place; follows = registration_place, follows_word = ngày), read when
 * the field's own label was not.
 */
static int
follow_fields(const struct doc *d, struct result *res)
{
	size_t i, j;
	int rc = SOHOA_OK;

	for (i = 0; i < d->t->nfields && rc == SOHOA_OK; i++) {
		const struct dt_field *f = &d->t->fields[i];

		if (f->follows == NULL || res[i].found)
			continue;
		for (j = 0; j < d->t->nfields; j++)
			if (strcmp(d->t->fields[j].key, f->follows) == 0)
				break;
		if (j < d->t->nfields && res[j].found)
			rc = follow_value(d, f, &res[j], &res[i]);
	}
	return rc;
}

static const struct dt_type *
type_by_name(const struct sohoa_doctypes *dt, const char *name)
{
	return strcmp(name, "other") == 0 ? NULL : dt_find(dt, name);
}

int
sohoa_doc_extract(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type, struct sohoa_fields *out)
{
	struct doc d;
	struct result *res = NULL;
	const char *number = NULL;
	size_t i, j;
	int rc, section = -1;
	float tconf;

	*pdoc_type = "other";
	memset(&d, 0, sizeof(d));
	rc = dt_classify(dt, pages, npages, pdoc_type, &tconf);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_fields_set(out, "doc_type", *pdoc_type, NULL, tconf,
	    tconf < SOHOA_FIELD_REVIEW_CONF);
	if (rc != SOHOA_OK)
		goto nomem;
	d.t = type_by_name(dt, *pdoc_type);
	if (d.t == NULL)
		return SOHOA_OK;
	rc = doc_lines(&d, pages, npages);
	if (rc != SOHOA_OK)
		goto nomem;
	rc = join_prose(&d);
	if (rc != SOHOA_OK)
		goto nomem;
	d.title = title_line(&d);
	if (d.title == (size_t)-1)
		d.title = 0;
	for (i = 0; i < d.nlines; i++) {
		rc = line_hits(&d, i, &section);
		if (rc != SOHOA_OK)
			goto nomem;
	}
	/* a section no line opened: its labels again, below the title's */
	if ((d.lost = lost_sections(&d)) != 0) {
		d.nhits = 0;
		section = -1;
		for (i = 0; i < d.nlines; i++) {
			rc = line_hits(&d, i, &section);
			if (rc != SOHOA_OK)
				goto nomem;
		}
	}
	res = calloc(d.t->nfields ? d.t->nfields : 1, sizeof(*res));
	if (res == NULL)
		goto nomem;
	for (i = 0; i < d.t->nfields; i++) {
		sohoa_buf_init(&res[i].value);
		sohoa_buf_init(&res[i].raw);
	}
	for (i = 0; i < d.t->nfields; i++) {
		rc = extract_field(&d, i, &res[i]);
		if (rc != SOHOA_OK)
			goto nomem;
	}
	rc = column_fields(&d, res);
	if (rc == SOHOA_OK)
		rc = follow_fields(&d, res);
	if (rc != SOHOA_OK)
		goto nomem;
	/* a parent's name read again as the declarant's */
	for (i = 0; i < d.t->nfields; i++) {
		const struct dt_field *f = &d.t->fields[i];

		if (f->same_as == NULL)
			continue;
		for (j = 0; j < d.t->nfields; j++)
			if (j != i &&
			    strcmp(d.t->fields[j].key, f->same_as) == 0) {
				rc = same_name(&res[i], &res[j]);
				if (rc != SOHOA_OK)
					goto nomem;
			}
	}
	/* dates checked against their written-out form */
	for (i = 0; i < d.t->nfields; i++) {
		const struct dt_field *f = &d.t->fields[i];

		if (f->words == NULL)
			continue;
		for (j = 0; j < d.t->nfields; j++)
			if (strcmp(d.t->fields[j].key, f->words) == 0)
				check_words(&res[i], &res[j]);
	}
	/* the personal ID against the birth year and sex of the same person */
	for (i = 0; i < d.t->nfields; i++) {
		const struct dt_field *f = &d.t->fields[i];
		int y = 0, m, dd, sex = 0;

		if (strcmp(f->type, "personal_id") != 0 || !res[i].valid)
			continue;
		for (j = 0; j < d.t->nfields; j++) {
			const struct dt_field *g = &d.t->fields[j];

			if (!res[j].valid || !section_eq(f, g))
				continue;
			if (strcmp(g->type, "date") == 0 &&
			    strstr(g->key, "birth") != NULL)
				iso_date(res[j].value.buf, &y, &m, &dd);
			if (strcmp(g->type, "sex") == 0)
				sex = sex_code(res[j].value.buf);
		}
		if (sohoa_check_personal_id(res[i].value.buf, y, sex) !=
		    SOHOA_OK) {
			/* either may be misread: both go to review */
			res[i].valid = 0;
			for (j = 0; j < d.t->nfields; j++)
				if (res[j].valid &&
				    section_eq(f, &d.t->fields[j]) &&
				    is_birth_or_sex(&d.t->fields[j]))
					res[j].doubt = 1;
		}
	}
	for (i = 0; i < d.t->nfields && rc == SOHOA_OK; i++)
		if (strcmp(d.t->fields[i].type, "place") == 0)
			rc = province_cut(&res[i]);
	if (rc == SOHOA_OK)
		rc = respell_communes(dt, &d, res);
	if (rc == SOHOA_OK)
		rc = respell_districts(dt, &d, res);
	/* a death at home, at the residence's address */
	for (i = 0; i < d.t->nfields && rc == SOHOA_OK; i++)
		for (j = 0; j < d.t->nfields && rc == SOHOA_OK; j++)
			if (strcmp(d.t->fields[i].key, "death_place") == 0 &&
			    strcmp(d.t->fields[j].key, "residence") == 0)
				rc = same_address(&res[i], &res[j]);
	if (rc == SOHOA_OK)
		rc = respell_names(dt, &d, res);
	if (rc != SOHOA_OK)
		goto nomem;
	for (i = 0; i < d.t->nfields; i++)
		if (strcmp(d.t->fields[i].type, "doc_number") == 0 &&
		    res[i].found && res[i].valid)
			number = res[i].value.buf;
	for (i = 0; i < d.t->nfields; i++)
		check_plausible(&d.t->fields[i], &res[i], number);
	check_order(d.t, res);
	if (names_of_subject(d.t, res) != SOHOA_OK ||
	    named_again(d.t, res) != SOHOA_OK)
		goto nomem;
	for (i = 0; i < d.t->nfields; i++)
		if (strcmp(d.t->fields[i].type, "place") == 0 &&
		    res[i].found && res[i].valid &&
		    address_doubt(res[i].value.buf, &rc))
			res[i].doubt = 1;
	/* a ký hiệu no list knows: a letter misread ("99/111KS-BS") */
	for (i = 0; i < d.t->nfields; i++)
		if (strcmp(d.t->fields[i].type, "doc_number") == 0 &&
		    res[i].found && res[i].valid &&
		    !parse_doc_groups_known(res[i].value.buf))
			res[i].doubt = 1;
	if (rc != SOHOA_OK)
		goto nomem;
	for (i = 0; i < d.t->nfields; i++) {
		const struct dt_field *f = &d.t->fields[i];

		if (!res[i].found || f->key[0] == '_' ||
		    (f->optional && !res[i].valid && res[i].below) ||
		    res[i].value.len == 0)
			continue;
		rc = emit(f, &res[i], out);
		if (rc != SOHOA_OK)
			goto nomem;
	}
	{
		const struct dt_phrase *form = form_title(&d);

		for (i = 0; i < d.t->nfields; i++) {
			rc = emit_missing(&d.t->fields[i], form, out);
			if (rc != SOHOA_OK)
				goto nomem;
		}
	}
	goto out;
nomem:
	rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
	    "out of memory extracting fields");
out:
	if (res != NULL)
		for (i = 0; i < d.t->nfields; i++) {
			sohoa_buf_release(&res[i].value);
			sohoa_buf_release(&res[i].raw);
		}
	free(res);
	doc_release(&d);
	return rc;
}

/* ---- pages from text ---- */

int
sohoa_page_from_text(const char *text, float conf, struct sohoa_page **ppage)
{
	struct sohoa_page *p = NULL;
	const char *s, *e;
	size_t n = 0, cap = 16;
	int line = 0;

	*ppage = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return SOHOA_ERR_NOMEM;
	p->text = strdup(text);
	p->words = malloc(cap * sizeof(*p->words));
	if (p->text == NULL || p->words == NULL)
		goto nomem;
	p->confidence = conf;
	for (s = text; *s != '\0'; ) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\n') {
			line++;
			s++;
			continue;
		}
		if (*s == '\0')
			break;
		for (e = s; *e != '\0' && *e != ' ' && *e != '\t' && *e !=
		    '\n'; e++)
			;
		if (n == cap) {
			struct sohoa_word *nw = realloc(p->words,
			    2 * cap * sizeof(*nw));

			if (nw == NULL)
				goto nomem;
			p->words = nw;
			cap *= 2;
		}
		memset(&p->words[n], 0, sizeof(p->words[n]));
		p->words[n].text = strndup(s, (size_t)(e - s));
		if (p->words[n].text == NULL)
			goto nomem;
		p->words[n].conf = conf;
		p->words[n].line = line;
		n++;
		p->nwords = n;
		s = e;
	}
	p->nwords = n;
	p->status = n == 0 ? SOHOA_PAGE_BLANK : SOHOA_PAGE_OK;
	*ppage = p;
	return SOHOA_OK;
nomem:
	sohoa_page_destroy(&p);
	return SOHOA_ERR_NOMEM;
}
