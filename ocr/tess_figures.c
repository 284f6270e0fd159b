/*
 * Numbers in old-style figures, read again.  Garamond's figures (and
 * Georgia's, Constantia's, a typewriter's worn ones) stand on the
 * x-height like small letters: 0, 1, 2 as tall as an o, 3, 4, 5, 7, 9
 * hanging below it, 6 and 8 rising above.  The Vietnamese model reads
 * them as letters ("ro/OL492s" for 19/01/1925, "2o/oo/2o22" for
 * 29/09/2022: an o is a 0 or a 9), so the fields layer cannot tell the
 * digit.  The English model, trained on more print with such figures,
 * reads both right (tesseract 5, PSM 7, tessdata_fast), so a word read
 * as digits mixed with small letters that look like digits is read once
 * more with it, and that reading kept when it gives the word's figures
 * as digits and nothing else (as_figures).
 *
 * Only such words are read again: a page printed with lining figures has
 * next to none.  The look-alike letters are listed here and, as the
 * digits they stand for, in fields/parse_date.c (parse_lookalike_digit):
 * ocr/ does not depend on fields/.  Measured on the third set:
 * notes/pipeline.md, "Session 17".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/page.h"
#include "tess_look.h"

/* At most this many words of a page are read again. */
#define FIGURES_MAX 40

/*
 * Letters, folded, that Tesseract puts for old-style figures: o q d for
 * 0, i l r t for 1, z for 2, s y for 5 (the descender: "0ÿ"), g for 9;
 * b for 8.
 */
static const char lookalikes[] = "oqdilrtzsygb";

/* Separators inside a number: date, document number, time. */
static int
separator(int32_t cp)
{
	return cp == '/' || cp == '-' || cp == '.' || cp == ',' ||
	    cp == ':' || cp == 0x2044;	/* the fraction slash */
}

/* 1 when code point CP, folded, is a letter read for a figure */
static int
lookalike(int32_t cp)
{
	cp = sohoa_utf8_fold_cp(cp);
	return cp > 0 && cp < 0x80 && strchr(lookalikes, (int)cp) != NULL;
}

/*
 * What a word read again must give: PLACES digits in its first LEAD
 * bytes' stead (LEAD 0: the whole word, which has DIGITS digits).
 */
struct ask {
	int places, digits;
	size_t lead;
	int strict;	/* digits only, as many as PLACES */
};

/*
 * A number read partly as letters, whole: digits, look-alike letters
 * and separators, at least one digit and one look-alike, and at most
 * one other sign among three or more ("1Á2/2025", "24+o"), two among six
 * ("os#oÁos6").  A date or number with a slash and six figures may have
 * read some as capitals ("18/G2/2024", "ro/OL492s"); a shorter
 * word needs a small look-alike (old-style figures stand on the
 * x-height) and no capital but O and I: "B2", "Q.1", "Số:03" are codes
 * and labels.  0 when word S is none.
 */
static int
whole_number(const char *s, struct ask *a)
{
	size_t len = strlen(s), i = 0;
	int digits = 0, letters = 0, small = 0, other = 0, caps = 0;
	int slash = 0;
	int32_t cp;

	while (i < len) {
		i += sohoa_utf8_decode(s + i, len - i, &cp);
		slash |= cp == '/' || cp == 0x2044;
		if (cp >= '0' && cp <= '9')
			digits++;
		else if (separator(cp))
			continue;
		else if (lookalike(cp)) {
			letters++;
			small += sohoa_tess_class_cp(cp) == SOHOA_TESS_SMALL;
		} else
			other++;
		caps += sohoa_tess_class_cp(cp) == SOHOA_TESS_CAPITAL &&
		    cp != 'O' && cp != 'I';
	}
	a->places = digits + letters + other;
	a->digits = digits;
	a->lead = 0;
	a->strict = 0;
	return digits > 0 && letters > 0 && a->places >= 2 &&
	    ((slash && digits + letters >= 6) || (small > 0 && caps == 0)) &&
	    (other == 0 || (other == 1 && a->places >= 3) ||
	    (other == 2 && a->places >= 6));
}

/*
 * A document number whose figures, before its first slash, were read
 * partly as letters: "2oo/QĐ-UBND", "io8/QĐ-UBND" (the ký hiệu after the
 * slash stays as read); capitals but O and I are a code ("TB/").  0 when
 * word S is none.
 */
static int
number_before_slash(const char *s, struct ask *a)
{
	const char *slash = strchr(s, '/');
	size_t i = 0, n = slash != NULL ? (size_t)(slash - s) : 0;
	int letters = 0, places = 0;
	int32_t cp;

	while (i < n) {
		i += sohoa_utf8_decode(s + i, n - i, &cp);
		places++;
		if (lookalike(cp) && (cp == 'O' || cp == 'I' ||
		    sohoa_tess_class_cp(cp) != SOHOA_TESS_CAPITAL))
			letters++;
		else if (cp < '0' || cp > '9')
			return 0;
	}
	a->places = places;
	a->digits = places - letters;
	a->lead = n;
	a->strict = 1;
	return letters > 0 && places >= 2 && places <= 4;
}

/* 1 when word S folds to one of the words that announce a date's part */
static int
date_word(const char *s)
{
	static const char *const words[] = { "ngay", "thang", "nam" };
	char f[8];
	size_t len = strlen(s), i = 0, n = 0, k;
	int32_t cp;

	while (i < len && n < sizeof(f) - 1) {
		i += sohoa_utf8_decode(s + i, len - i, &cp);
		cp = sohoa_utf8_fold_cp(cp);
		if (cp <= 0 || cp >= 0x80)
			return 0;
		f[n++] = (char)cp;
	}
	f[n] = '\0';
	for (k = 0; i == len && k < sizeof(words) / sizeof(words[0]); k++)
		if (strcmp(f, words[k]) == 0)
			return 1;
	return 0;
}

/*
 * A day, month or year all in look-alikes after the word that announces
 * it ("tháng os", "ngày rọ"): PREV, the word before on its line.  Its new
 * reading must be all digits: "đó", "tới" after "năm" are words.
 */
static int
date_number(const char *s, const char *prev, struct ask *a)
{
	size_t len = strlen(s), i = 0;
	int places = 0;
	int32_t cp;

	if (prev == NULL || !date_word(prev))
		return 0;
	while (i < len) {
		i += sohoa_utf8_decode(s + i, len - i, &cp);
		places++;
		if (!lookalike(cp))
			return 0;
	}
	a->places = places;
	a->digits = 0;
	a->lead = 0;
	a->strict = 1;
	return places >= 1 && places <= 4;
}

/*
 * The new reading E (the English model's) of word V, as ASK wants it,
 * appended to OUT.  In the whole word's stead: as many figures (one more:
 * a figure the first reading merged away), separators between them,
 * more of them digits than before, a letter still among them left for
 * the fields to read ("18/0s/1958"); strict: digits only, as many.  In
 * the stead of V's first ask->lead bytes: the digits before E's first
 * slash, all of them.  Returns 1, 0 when E is not that, or
 * SOHOA_ERR_NOMEM (negative).
 */
static int
as_figures(const char *e, const char *v, const struct ask *a,
    struct sohoa_buf *out)
{
	size_t len = strlen(e), i = 0;
	int digits = 0, letters = 0;
	int32_t cp;

	while (i < len && !(a->lead > 0 && e[i] == '/')) {
		i += sohoa_utf8_decode(e + i, len - i, &cp);
		if (cp >= '0' && cp <= '9')
			digits++;
		else if (a->lead == 0 && separator(cp))
			continue;
		else if (!a->strict && lookalike(cp))
			letters++;
		else
			return 0;
	}
	if (a->lead > 0) {
		if (e[i] != '/' || digits != a->places)
			return 0;
		if (sohoa_buf_add(out, e, i) != SOHOA_OK ||
		    sohoa_buf_adds(out, v + a->lead) != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		return 1;
	}
	if (a->strict ? digits != a->places : !(digits > a->digits &&
	    (digits + letters == a->places ||
	    digits + letters == a->places + 1)))
		return 0;
	return sohoa_buf_adds(out, e) == SOHOA_OK ? 1 : SOHOA_ERR_NOMEM;
}

/*
 * Read word W of the page again with API (the English model) from PIX
 * (view = SCALE x PIX) and give it that reading when as_figures takes
 * it.  Returns SOHOA_OK, or SOHOA_ERR_NOMEM with the message set.
 */
static int
read_word(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix, int dpi,
    double scale, int view_w, int view_h, struct sohoa_word *w,
    const struct ask *a)
{
	static const struct sohoa_tess_cut cut = { 1.0f, 20, 0, 0 };
	struct sohoa_buf text = SOHOA_BUF_INIT;
	struct sohoa_page got;
	int h = w->y1 - w->y0, pad = h / 4, rc, took;
	BOX *box;

	memset(&got, 0, sizeof(got));
	/* a box off the page or of no size reads nothing */
	box = boxCreate((int)((w->x0 - pad) / scale), (int)((w->y0 - pad) /
	    scale), (int)((w->x1 - w->x0 + 2 * pad) / scale),
	    (int)((h + 2 * pad) / scale));
	if (box == NULL)
		return SOHOA_OK;
	rc = sohoa_tess_read_box(ctx, api, pix, box, &cut, dpi, scale, view_w,
	    view_h, &got);
	if (rc == SOHOA_OK && got.nwords == 1 &&
	    (took = as_figures(got.words[0].text, w->text, a, &text)) != 0) {
		char *t = took > 0 ? sohoa_buf_detach(&text, NULL) : NULL;

		if (t == NULL)
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		else {
			free(w->text);
			w->text = t;
			w->conf = got.words[0].conf;
		}
	}
	boxDestroy(&box);
	sohoa_buf_release(&text);
	sohoa_page_release(&got);
	return rc;
}

int
sohoa_tess_figures(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    int dpi, double scale, int view_w, int view_h, struct sohoa_page *page)
{
	size_t i;
	int done = 0, rc = SOHOA_OK;

	if (api == NULL)
		return SOHOA_OK;
	for (i = 0; i < page->nwords && done < FIGURES_MAX &&
	    rc == SOHOA_OK; i++) {
		struct sohoa_word *w = page->words + i;
		const char *prev = i > 0 && w[-1].line == w->line ?
		    w[-1].text : NULL;
		struct ask a;

		if (w->text == NULL || !(whole_number(w->text, &a) ||
		    number_before_slash(w->text, &a) ||
		    date_number(w->text, prev, &a)))
			continue;
		done++;
		rc = read_word(ctx, api, pix, dpi, scale, view_w, view_h, w,
		    &a);
	}
	if (done > 0)
		TessBaseAPIClear(api);
	return rc;
}
