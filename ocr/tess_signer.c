/*
 * A second look at the signer's name (sohoa_tess_signer_row).
 *
 * The name stands under a signature and often under the seal's ring
 * (stamped over the left of the signature, as the rules ask), and
 * Tesseract's layout analysis may take the whole row for part of a
 * picture: the name is lost ("Nông Văn Nhài" on a mild page) or read with
 * the ink glued on ("NguYễn", "Ksơrt").  So when no row under the
 * signer's title is surely a name, the region under the title is read
 * again in sparse-text mode, which finds the row; that row is cut out,
 * cleared of the strokes that run out of it, and read alone as one line.
 * On a grey scan the row is also read from the grey page with only the
 * print's ink kept (the seal's mid-grey ink dropped), and from further
 * left, to the region's edge: the ring crosses the surname most ("anh
 * Nhân" for "Trần Danh Nhân": the sparse reading lost "Trần D").  Each
 * word is then taken from the surest of the readings (page, sparse,
 * alone, grey), and the result replaces the page's row only when it has
 * the shape of a name, is clearly surer than a name the page read (by
 * 10 points: "Nêng" at 72 is mended by field extraction, "Nóng" at 81
 * would not be), and loses none of its words.  The cost, two or three
 * small regions, is paid only on pages whose name was unsure.
 */
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "sohoa/sohoa.h"
#include "sohoa/page.h"
#include "sohoa/utf8.h"
#include "tess_look.h"

#define NAME_SURE_CONF 80.0f	/* a name row this sure is left alone */
#define NAME_MIN_CONF 50.0f	/* a second reading must be at least this */
#define NAME_GAIN_CONF 10.0f	/* and this much surer than a name read */
#define SIGNER_GAP_LINES 11	/* the region: this many title heights */

/*
 * The name's row is read alone as it is, with a white margin of 20
 * pixels, cleared of the seal's ring and the signature's strokes that run
 * out of it (the letters of the name lie inside it); from a grey scan,
 * with the print's ink only.
 */
static const struct sohoa_tess_cut row_cut = { 1.0f, 20, 1, 0 };
static const struct sohoa_tess_cut dark_cut = { 1.0f, 20, 1, 1 };
/* the grey reading starts this many row heights left of the name */
#define DARK_LEFT_ROWS 7

/*
 * 1 when word S is made of letters only (an apostrophe inside, "H'Mông",
 * is allowed).
 */
static int
letters_only(const char *s)
{
	size_t len = strlen(s), i = 0, k;
	int32_t cp;

	if (len == 0)
		return 0;
	while (i < len) {
		k = sohoa_utf8_decode(s + i, len - i, &cp);
		if (!(sohoa_tess_class_cp(cp) & SOHOA_TESS_LETTER) &&
		    !(cp == '\'' && i > 0 && i + k < len))
			return 0;
		i += k;
	}
	return 1;
}

/* 1 when word S starts with a capital letter. */
static int
starts_capital(const char *s)
{
	int32_t cp;

	return sohoa_utf8_decode(s, strlen(s), &cp) > 0 &&
	    (sohoa_tess_class_cp(cp) & SOHOA_TESS_CAPITAL);
}

/*
 * 1 when the row's words W[0..N) are written in capitals only (a title
 * such as "CHỦ TỊCH"): at least one word of two letters, no small
 * letter in any word of two letters or more (a speck of the seal read
 * "x" in front of "PHÓ CHỦ TỊCH" leaves it a title).
 */
static int
caps_row(const struct sohoa_word *w, size_t n)
{
	size_t i, letters;
	int up = 0;

	for (i = 0; i < n; i++) {
		letters = sohoa_tess_count(w[i].text, SOHOA_TESS_LETTER);
		if (letters >= 2 &&
		    sohoa_tess_count(w[i].text, SOHOA_TESS_SMALL) > 0)
			return 0;
		up |= letters >= 2;
	}
	return up;
}

/*
 * 1 when S has a capital I after its first letter and before a small one
 * ("MIô"): Tesseract's reading of an l, never a Vietnamese spelling.
 */
static int
inner_capital_i(const char *s)
{
	size_t len = strlen(s), i, k;
	int32_t cp;

	for (i = 1; i + 1 < len; i++)
		if (s[i] == 'I' && (k = sohoa_utf8_decode(s + i + 1,
		    len - i - 1, &cp)) > 0 &&
		    (sohoa_tess_class_cp(cp) & SOHOA_TESS_SMALL))
			return 1;
	return 0;
}

/*
 * 1 when W[0..N) has the shape of a person's name: two to five words of
 * letters, each starting with a capital and none in capitals only (that
 * is a title, "PHÓ CHỦ TịcH", or a surname misread), no l read as I.
 * *PMIN: the lowest word confidence.
 */
static int
name_row(const struct sohoa_word *w, size_t n, float *pmin)
{
	size_t i;

	*pmin = 100;
	if (n < 2 || n > 5)
		return 0;
	for (i = 0; i < n; i++) {
		if (!letters_only(w[i].text) || !starts_capital(w[i].text) ||
		    inner_capital_i(w[i].text) || caps_row(w + i, 1))
			return 0;
		if (w[i].conf < *pmin)
			*pmin = w[i].conf;
	}
	return 1;
}

/*
 * The words of W[0..N) less those without a letter at both ends (specks
 * of ink, "-", "\""): [*PB, *PE).  A word with letters stays, whatever
 * is glued to it: it may be the surname.
 */
static void
name_span(const struct sohoa_word *w, size_t n, size_t *pb, size_t *pe)
{
	size_t b = 0, e = n;

	while (b < e && sohoa_tess_count(w[b].text, SOHOA_TESS_LETTER) == 0)
		b++;
	while (e > b &&
	    sohoa_tess_count(w[e - 1].text, SOHOA_TESS_LETTER) == 0)
		e--;
	*pb = b;
	*pe = e;
}

/*
 * Cut what is neither letter nor digit off both ends of word S, in place
 * ("Nguyỗ#", "_Nay", "Siu'": a speck of the seal or the signature glued
 * to the word, which keeps it from being a name); a word with no letter
 * or digit is left as it is.
 */
static void
trim_debris(char *s)
{
	size_t len = strlen(s), i = 0, k, b = len, e = 0;
	int32_t cp;

	while (i < len && (k = sohoa_utf8_decode(s + i, len - i, &cp)) > 0) {
		if (sohoa_tess_class_cp(cp) & SOHOA_TESS_ALNUM) {
			b = b < i ? b : i;
			e = i + k;
		}
		i += k;
	}
	if (b >= e)
		return;
	memmove(s, s + b, e - b);
	s[e - b] = '\0';
}

/*
 * 1 when the row's words W[0..N) have a word of two letters or more read
 * with some confidence: a piece of the seal's ring below the name read
 * "Về" at 24 is no row of it.
 */
static int
has_word(const struct sohoa_word *w, size_t n)
{
	size_t i;

	char t[64];

	for (i = 0; i < n; i++) {
		if (strlen(w[i].text) >= sizeof(t) ||
		    sohoa_tess_count(w[i].text, SOHOA_TESS_LETTER) < 2 ||
		    w[i].conf < NAME_MIN_CONF)
			continue;
		strcpy(t, w[i].text);
		trim_debris(t);		/* "_Nay" is a word of the name */
		if (letters_only(t))
			return 1;
	}
	return 0;
}

/*
 * The part of row R of W right of X: its words from the first that starts
 * there (the signer's block shares its rows with the "Nơi nhận" list).
 * 0 when there is none.
 */
static int
right_part(const struct sohoa_word *w, const struct sohoa_tess_row *r, int x,
    struct sohoa_tess_row *out)
{
	size_t i;

	for (i = r->first; i < r->first + r->n && w[i].x0 < x; i++)
		;
	if (i == r->first + r->n)
		return 0;
	out->first = i;
	out->n = r->first + r->n - i;
	out->x0 = w[i].x0;
	out->x1 = r->x1;
	out->y0 = w[i].y0;
	out->y1 = w[i].y1;
	for (; i < r->first + r->n; i++) {
		out->y0 = w[i].y0 < out->y0 ? w[i].y0 : out->y0;
		out->y1 = w[i].y1 > out->y1 ? w[i].y1 : out->y1;
	}
	return 1;
}

/*
 * 1 when a word with a letter that is not in row R of W[0..N) stands on
 * R's line just left of it, within two of its heights: a surname the
 * page read apart ("M" before "Thu Phúc", its mark glued to the seal's
 * text), so R is no sure name however sure its words.
 */
static int
word_before(const struct sohoa_word *w, size_t n,
    const struct sohoa_tess_row *r)
{
	size_t i;
	int h = r->y1 - r->y0, m;

	for (i = 0; i < n; i++) {
		if (i >= r->first && i < r->first + r->n)
			continue;
		m = (w[i].y0 + w[i].y1) / 2;
		if (m >= r->y0 && m <= r->y1 && w[i].x1 <= r->x0 &&
		    w[i].x1 >= r->x0 - 2 * h &&
		    sohoa_tess_count(w[i].text, SOHOA_TESS_LETTER) > 0)
			return 1;
	}
	return 0;
}

/* Free the N words W and their texts. */
static void
free_words(struct sohoa_word *w, size_t n)
{
	size_t i;

	for (i = 0; w != NULL && i < n; i++)
		free(w[i].text);
	free(w);
}

struct reading {
	struct sohoa_word *w;	/* not owned */
	size_t n;
};

/* The row's readings: the page's, alone, sparse, from the grey page. */
#define NREADINGS 4

/* *RD: the N words W less the specks at both ends (name_span). */
static void
reading_of(struct sohoa_word *w, size_t n, struct reading *rd)
{
	size_t b, e;

	name_span(w, n, &b, &e);
	rd->w = n > 0 ? w + b : NULL;
	rd->n = e - b;
}

/* The width of the columns A and B share (negative: the gap between). */
static int
shared_x(const struct sohoa_word *a, const struct sohoa_word *b)
{
	int lo = a->x0 > b->x0 ? a->x0 : b->x0;
	int hi = a->x1 < b->x1 ? a->x1 : b->x1;

	return hi - lo;
}

/* 1 when boxes A and B overlap across half the wider one's width. */
static int
same_place(const struct sohoa_word *a, const struct sohoa_word *b)
{
	int wa = a->x1 - a->x0, wb = b->x1 - b->x0;

	return 2 * shared_x(a, b) >= (wa > wb ? wa : wb);
}

/* 1 when A lies across half its width or more inside B's columns. */
static int
inside(const struct sohoa_word *a, const struct sohoa_word *b)
{
	return 2 * shared_x(a, b) >= a->x1 - a->x0;
}

/*
 * 1 when A lies across three quarters of its width inside the columns
 * of the words W[0..N) ("guyên" in "Nguyễn", "MÍSính" under "Mí" and
 * "Sính"; not "-Vũ-Quang" under "Quang").
 */
static int
mostly_under(const struct sohoa_word *a, const struct sohoa_word *w,
    size_t n)
{
	size_t j;
	int in = 0, k;

	for (j = 0; j < n; j++) {
		k = shared_x(a, &w[j]);
		in += k > 0 ? k : 0;
	}
	return 4 * in >= 3 * (a->x1 - a->x0);
}

/*
 * 1 when A is a piece of B or B read again: A lies inside B's columns and
 * both start with the same letter, marks and case aside ("N" and
 * "Nguyễn", "Cá" and "Cần"; not "A" inside a "Sùng" whose box the ink
 * widened).
 */
static int
piece_of(const struct sohoa_word *a, const struct sohoa_word *b)
{
	int32_t ca, cb;

	return inside(a, b) &&
	    sohoa_utf8_decode(a->text, strlen(a->text), &ca) > 0 &&
	    sohoa_utf8_decode(b->text, strlen(b->text), &cb) > 0 &&
	    sohoa_utf8_fold_cp(ca) == sohoa_utf8_fold_cp(cb);
}

/*
 * 1 when a word of W[0..N) reads as A and overlaps it: A is kept though
 * its box is wider (a speck trimmed off its text leaves the box as read:
 * "_„Văng").
 */
static int
same_word(const struct sohoa_word *a, const struct sohoa_word *w, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (w[j].x0 < a->x1 && a->x0 < w[j].x1 &&
		    strcmp(w[j].text, a->text) == 0)
			return 1;
	return 0;
}

/*
 * 1 when every word with letters of OLD[0..NOLD) lies mostly under the
 * words of W[0..N): a new reading may join "N guyên" into "Nguyễn" but
 * must not lose a word (the surname under the seal's ring, read as
 * "-ÄÈ", or glued to the next, "-Vũ-Quang").  A word that is not all
 * letters and stands off the name by more than the row's height is a
 * piece of the ring or the signature ("XS:" before "Đỗ Thanh Hảo"),
 * not a word of it.  Words of OLD read with less than FLOOR do not
 * count.
 */
static int
covers(const struct sohoa_word *w, size_t n, const struct sohoa_word *old,
    size_t nold, float floor)
{
	size_t i, j;
	int h = 0;

	for (j = 0; j < n; j++)
		h = w[j].y1 - w[j].y0 > h ? w[j].y1 - w[j].y0 : h;
	for (i = 0; i < nold; i++) {
		if (sohoa_tess_count(old[i].text, SOHOA_TESS_LETTER) == 0 ||
		    old[i].conf < floor)
			continue;
		if (n > 0 && !letters_only(old[i].text) &&
		    (old[i].x1 + h < w[0].x0 || w[n - 1].x1 + h < old[i].x0))
			continue;
		if (!mostly_under(&old[i], w, n) && !same_word(&old[i], w, n))
			return 0;
	}
	return 1;
}

/*
 * A word of W[0..N) that the page's reading OLD[0..NOLD) has, the same
 * at the same place, keeps the page's confidence (the best, if the page
 * read it twice): read again alike, it
 * is no surer for field extraction's checks of unsure words ("Gao" for
 * "Cao"), and a row read again alike is not replaced.
 */
static void
keep_page_conf(struct sohoa_word *w, size_t n, const struct sohoa_word *old,
    size_t nold)
{
	size_t i, j;
	float best;

	for (i = 0; i < n; i++) {
		best = -1;
		for (j = 0; j < nold; j++)
			if (same_place(&w[i], &old[j]) &&
			    strcmp(w[i].text, old[j].text) == 0 &&
			    old[j].conf > best)
				best = old[j].conf;
		if (best >= 0 && best < w[i].conf)
			w[i].conf = best;
	}
}

/*
 * 1 when A is a piece of the word B read surely, not a better reading of
 * it: under three quarters of its width, with fewer letters ("hú" at 97
 * under "Phú" at 96; not "Nhân" under "~Nhân", whose box the ink made
 * wider).
 */
static int
narrower(const struct sohoa_word *a, const struct sohoa_word *b)
{
	return 4 * (a->x1 - a->x0) < 3 * (b->x1 - b->x0) &&
	    sohoa_tess_count(a->text, SOHOA_TESS_LETTER) <
	    sohoa_tess_count(b->text, SOHOA_TESS_LETTER);
}

/*
 * One reading from the N readings RD of a row: the words of reading BASE,
 * each replaced by the word read at its place (and not also at the
 * previous word's, nor a narrower piece of it) that has only letters, no
 * l read as I, and a higher confidence; words without a letter, a word
 * read twice at one place and a piece of a word read as a word are left
 * out.  Into *POUT (owned by the caller, texts copied); the number of
 * words, (size_t)-1 when out of memory.
 */
static size_t
merge_readings(const struct reading *rd, size_t n, size_t base,
    struct sohoa_word **pout)
{
	const struct sohoa_word *best;
	struct sohoa_word *out;
	size_t i, j, k, nout = 0;

	*pout = NULL;
	if (rd[base].n == 0)
		return 0;
	out = calloc(rd[base].n, sizeof(*out));
	if (out == NULL)
		return (size_t)-1;
	for (j = 0; j < rd[base].n; j++) {
		if (sohoa_tess_count(rd[base].w[j].text,
		    SOHOA_TESS_LETTER) == 0)
			continue;	/* a speck between two words */
		for (k = 0; k < nout; k++)
			if (piece_of(&rd[base].w[j], &out[k]))
				break;
		if (k < nout)
			continue;	/* read twice, or a piece of a word */
		best = &rd[base].w[j];
		for (i = 0; i < n; i++)
			for (k = 0; i != base && k < rd[i].n; k++)
				if (same_place(&rd[i].w[k], &rd[base].w[j]) &&
				    !narrower(&rd[i].w[k], &rd[base].w[j]) &&
				    rd[i].w[k].conf > best->conf &&
				    letters_only(rd[i].w[k].text) &&
				    !inner_capital_i(rd[i].w[k].text) && (j == 0 ||
				    !same_place(&rd[i].w[k], &rd[base].w[j - 1])))
					best = &rd[i].w[k];
		/* a piece of this word read as a word of its own ("N") */
		while (nout > 0 && best != &rd[base].w[j] &&
		    piece_of(&out[nout - 1], best))
			free(out[--nout].text);
		out[nout] = *best;
		out[nout].text = strdup(best->text);
		if (out[nout].text == NULL) {
			free_words(out, nout);
			return (size_t)-1;
		}
		nout++;
	}
	*pout = out;
	return nout;
}

/* qsort order of words: left to right. */
static int
by_x0(const void *a, const void *b)
{
	const struct sohoa_word *p = a, *q = b;

	return (p->x0 > q->x0) - (p->x0 < q->x0);
}

/*
 * 1 when row R goes on row LOW's line: its middle lies within LOW's
 * height or LOW's within its, and it starts right of LOW's start, at
 * most two of LOW's heights past its end.  What stands left of LOW is
 * the seal's and the signature's ink more often than a word (the row
 * is cut out with room on the left for a surname anyway).
 */
static int
goes_on(const struct sohoa_tess_row *r, const struct sohoa_tess_row *low)
{
	int m = (r->y0 + r->y1) / 2, mid = (low->y0 + low->y1) / 2;

	if (r == low)
		return 1;
	return ((m >= low->y0 && m <= low->y1) ||
	    (mid >= r->y0 && mid <= r->y1)) && r->x0 >= low->x0 &&
	    r->x0 <= low->x1 + 2 * (low->y1 - low->y0);
}

/*
 * The words of LOW and of the rows of R[0..N) (rows of W) that go on
 * its line, left to right, into *PW (an array of copies whose texts are
 * W's: free the array only), their box into *BOX.  The sparse reading
 * may end a line at a wide gap or a taller word and go on in a row of
 * its own ("Siu" | "Thơm", the horn of the ơ making it taller).
 * SOHOA_ERR_NOMEM when out of memory.
 */
static int
line_words(const struct sohoa_word *w, const struct sohoa_tess_row *r,
    size_t n, const struct sohoa_tess_row *low, struct sohoa_word **pw,
    size_t *pn, struct sohoa_tess_row *box)
{
	size_t i, k, total = 0;

	*box = *low;
	for (i = 0; i < n; i++)
		if (goes_on(&r[i], low))
			total += r[i].n;
	*pn = 0;
	*pw = malloc(total * sizeof(**pw));
	if (*pw == NULL)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if (!goes_on(&r[i], low))
			continue;
		for (k = r[i].first; k < r[i].first + r[i].n; k++)
			(*pw)[(*pn)++] = w[k];
		box->x0 = r[i].x0 < box->x0 ? r[i].x0 : box->x0;
		box->x1 = r[i].x1 > box->x1 ? r[i].x1 : box->x1;
		box->y0 = r[i].y0 < box->y0 ? r[i].y0 : box->y0;
		box->y1 = r[i].y1 > box->y1 ? r[i].y1 : box->y1;
	}
	qsort(*pw, *pn, sizeof(**pw), by_x0);
	return SOHOA_OK;
}

/* Row R's middle lies in [Y0, Y1) and right of X0. */
static int
row_in(const struct sohoa_tess_row *r, int x0, int y0, int y1)
{
	int my = (r->y0 + r->y1) / 2;

	return my >= y0 && my < y1 && (r->x0 + r->x1) / 2 >= x0;
}

int
sohoa_tess_signer_row(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    PIX *grey, int dpi, double scale, int view_w, int view_h,
    struct sohoa_page *page)
{
	struct sohoa_page sparse, row, dark;
	struct sohoa_tess_row *r = NULL, *sr = NULL;	/* page's, sparse */
	struct sohoa_tess_row *title = NULL, *low = NULL;
	struct sohoa_tess_row part, tpart = { 0, 0, 0, 0, 0, 0 };
	struct sohoa_word *src = NULL, *lw = NULL;	/* lw: not owning */
	struct sohoa_tess_row line;
	struct reading rd[NREADINGS];
	size_t nr = 0, nsr = 0, i, k, nsrc = 0, at = 0, drop = 0, nlw;
	int rc, lh, rh, x0, y0, y1, bx, by, gx, ry0, ry1, mid;
	int maxline = 0, maxblock = 0;
	float m, newmin;
	BOX *box = NULL, *gbox = NULL;

	memset(&sparse, 0, sizeof(sparse));
	memset(&row, 0, sizeof(row));
	memset(&dark, 0, sizeof(dark));
	rc = sohoa_tess_rows(page->words, page->nwords, &r, &nr);
	if (rc != SOHOA_OK)
		goto nomem;
	/*
	 * The title ("CHỦ TỊCH"): the lowest row in capitals right of the
	 * middle of the lower page.
	 */
	for (i = 0; i < nr; i++)
		if (right_part(page->words, &r[i], view_w * 4 / 10, &part) &&
		    part.y0 > view_h * 3 / 10 &&
		    (part.x0 + part.x1) / 2 > view_w * 55 / 100 &&
		    caps_row(page->words + part.first, part.n) &&
		    (title == NULL || part.y0 > tpart.y0)) {
			tpart = part;
			title = &tpart;
		}
	if (title == NULL)
		goto out;
	lh = title->y1 - title->y0;
	x0 = title->x0 - 2 * lh > 0 ? title->x0 - 2 * lh : 0;
	y0 = title->y1 + lh / 4;
	y1 = title->y1 + SIGNER_GAP_LINES * lh;
	if (y1 > view_h)
		y1 = view_h;
	if (y1 - y0 < 2 * lh || view_w - x0 < 2 * lh)
		goto out;
	for (i = 0; i < nr; i++)
		if (right_part(page->words, &r[i], x0, &part) &&
		    row_in(&part, x0, y0, y1) &&
		    name_row(page->words + part.first, part.n, &m) &&
		    m >= NAME_SURE_CONF &&
		    !word_before(page->words, page->nwords, &part))
			goto out;	/* read surely already */

	/* the region's rows, sparse text; the name is the lowest */
	TessBaseAPISetPageSegMode(api, PSM_SPARSE_TEXT);
	TessBaseAPISetRectangle(api, (int)(x0 / scale), (int)(y0 / scale),
	    (int)((view_w - x0) / scale), (int)((y1 - y0) / scale));
	if (TessBaseAPIRecognize(api, NULL) != 0)
		goto out;	/* a second look that fails changes nothing */
	rc = sohoa_tess_words(ctx, api, 0, 0, scale, view_w, view_h, 1,
	    &sparse);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_tess_rows(sparse.words, sparse.nwords, &sr, &nsr);
	if (rc != SOHOA_OK)
		goto nomem;
	for (i = 0; i < nsr; i++)
		if (has_word(sparse.words + sr[i].first, sr[i].n) &&
		    (low == NULL || sr[i].y0 > low->y0))
			low = &sr[i];
	if (low == NULL)
		goto out;
	if (line_words(sparse.words, sr, nsr, low, &lw, &nlw, &line) !=
	    SOHOA_OK)
		goto nomem;
	/*
	 * The row's height from its words of letters (ink glued to a word
	 * makes it taller), a third of it above and below for the marks,
	 * and room on the left for a surname the sparse reading missed.
	 */
	ry0 = line.y1;
	ry1 = line.y0;
	for (i = 0; i < nlw; i++) {
		if (!letters_only(lw[i].text))
			continue;
		ry0 = lw[i].y0 < ry0 ? lw[i].y0 : ry0;
		ry1 = lw[i].y1 > ry1 ? lw[i].y1 : ry1;
	}
	if (ry1 <= ry0) {
		ry0 = line.y0;
		ry1 = line.y1;
	}
	rh = ry1 - ry0;
	bx = line.x0 - 3 * rh > 0 ? line.x0 - 3 * rh : 0;
	by = ry0 - rh / 3 > 0 ? ry0 - rh / 3 : 0;
	if ((line.x1 + rh - bx) / scale < 4 ||
	    (ry1 + rh / 3 - by) / scale < 4)
		goto out;	/* a speck, not a row */
	box = boxCreate((int)(bx / scale), (int)(by / scale),
	    (int)((line.x1 + rh - bx) / scale),
	    (int)((ry1 + rh / 3 - by) / scale));
	if (box == NULL)
		goto nomem;
	/* the engine is left holding a cut-out: after every other look */
	rc = sohoa_tess_read_box(ctx, api, pix, box, &row_cut, dpi, scale,
	    view_w, view_h, &row);
	if (rc != SOHOA_OK)
		goto out;
	if (grey != NULL) {
		/*
		 * GREY is in view coordinates, read at BIN's DPI as the date
		 * row is; not left of the region (the row alone may reach
		 * further: so wide, the seal's words spoilt the surname)
		 */
		gx = line.x0 - DARK_LEFT_ROWS * rh > x0 ?
		    line.x0 - DARK_LEFT_ROWS * rh : x0;
		gbox = boxCreate(gx, by, line.x1 + rh - gx, ry1 + rh / 3 - by);
		if (gbox == NULL)
			goto nomem;
		rc = sohoa_tess_read_box(ctx, api, grey, gbox, &dark_cut, dpi,
		    1.0, view_w, view_h, &dark);
		if (rc != SOHOA_OK)
			goto out;
	}
	/*
	 * Specks glued to a word's ends go from the look's own readings
	 * (not the page's); only now: a word with ink glued on is taller,
	 * and the row's height above is taken from clean words.
	 */
	for (k = 0; k < 3; k++) {
		struct sohoa_page *look = k == 0 ? &sparse : k == 1 ? &row :
		    &dark;

		for (i = 0; i < look->nwords; i++)
			trim_debris(look->words[i].text);
	}
	/*
	 * Four readings of the row: sparse, alone, from the grey page (on a
	 * grey scan), and the page's own (if it has one).  Each word is
	 * taken from the reading that is surest of it; the words are those
	 * of the reading with the most.
	 */
	mid = (ry0 + ry1) / 2;
	reading_of(lw, nlw, &rd[2]);
	reading_of(row.words, row.nwords, &rd[1]);
	reading_of(dark.words, dark.nwords, &rd[3]);
	reading_of(NULL, 0, &rd[0]);
	for (i = 0; i < nr; i++)
		if (right_part(page->words, &r[i], x0, &part) &&
		    row_in(&part, x0, y0, y1) && part.y0 <= mid &&
		    part.y1 >= mid)
			break;
	if (i < nr) {
		at = part.first;
		drop = part.n;
		reading_of(page->words + part.first, part.n, &rd[0]);
	} else {
		/* after the title and what was read between */
		for (i = 0; i < nr; i++)
			if (right_part(page->words, &r[i], x0, &part) &&
			    row_in(&part, x0, title->y0, mid) &&
			    part.first + part.n > at)
				at = part.first + part.n;
	}
	newmin = -1;
	for (k = 0; k < NREADINGS; k++) {
		struct sohoa_word *cand;
		size_t nc = merge_readings(rd, NREADINGS, k, &cand);
		size_t q;
		int ok;

		if (nc == (size_t)-1)
			goto nomem;
		keep_page_conf(cand, nc, rd[0].w, rd[0].n);
		/*
		 * The name with the most words, then the surest, of those
		 * sure enough: a piece of the seal read as a word in front
		 * ("Ti" at 12 before "Lâm Ngọc Minh") must not sink the name,
		 * but none may lose a word another reading is sure of ("A"
		 * at 91 in "Giàng A Páo").
		 */
		ok = nc > 0 && name_row(cand, nc, &m) && m >= NAME_MIN_CONF &&
		    covers(cand, nc, rd[0].w, rd[0].n, 0);
		for (q = 1; q < NREADINGS && ok; q++)
			ok = covers(cand, nc, rd[q].w, rd[q].n, NAME_MIN_CONF);
		if (ok &&
		    (src == NULL || nc > nsrc || (nc == nsrc && m > newmin))) {
			free_words(src, nsrc);
			src = cand;
			nsrc = nc;
			newmin = m;
		} else
			free_words(cand, nc);
	}
	if (src == NULL || newmin < NAME_MIN_CONF ||
	    (name_row(rd[0].w, rd[0].n, &m) && m + NAME_GAIN_CONF > newmin))
		goto out;	/* no clearly surer name */

	for (i = 0; i < page->nwords; i++) {
		maxline = page->words[i].line > maxline ?
		    page->words[i].line : maxline;
		maxblock = page->words[i].block > maxblock ?
		    page->words[i].block : maxblock;
	}
	for (i = 0; i < nsrc; i++) {
		src[i].line = maxline + 1;
		src[i].block = maxblock + 1;
	}
	if (sohoa_tess_splice(page, at, drop, src, nsrc) != SOHOA_OK)
		goto nomem;
	goto out;
nomem:
	rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
out:
	free_words(src, nsrc);
	free(lw);
	boxDestroy(&box);
	boxDestroy(&gbox);
	sohoa_page_release(&dark);
	free(r);
	free(sr);
	sohoa_page_release(&sparse);
	sohoa_page_release(&row);
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	return rc;
}
