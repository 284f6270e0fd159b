/*
 * A second look at the place-and-date line (sohoa_tess_date_row).
 *
 * "Xuân Du, ngày 3 tháng 11 năm 2022" is set in italics, and Tesseract
 * reads its short numbers as letters or signs: "ngày Ú" for 1, "tháng
 * †" for 1, "tháng Ï I" for 11 (seed 1102: the issue date lost on 4 of
 * 36 pages so).  When the numbers after ", ngày", "tháng" and "năm" of
 * a row are not plain numbers read surely, that row is cut out of the
 * page's grey (the binary image has lost what the grey still has),
 * scaled up and read again as one line.  Its words from "ngày" to the
 * year replace the page's only when they make a valid date, fairly
 * sure, that keeps every number the page did read plainly ("tháng 3"
 * read larger where the page read "tháng 2" is refused); the place
 * before them stays as the page read it.  The cost, one short line, is
 * paid only on pages whose date was unsure (38 of about 650).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "sohoa/sohoa.h"
#include "sohoa/page.h"
#include "tess_look.h"

#define DATE_SURE_CONF 80.0f	/* numbers read this surely are left */
#define DATE_MIN_CONF 60.0f	/* a new reading's numbers, at least */
#define DATE_SLOT 4		/* words at most between two key words */

/* The row is read again twice as large, with a white margin of 20 pixels. */
static const struct sohoa_tess_cut date_cut = { 2.0f, 20, 0, 0 };

/* 1 when word S is KEY, a stop or comma after it allowed. */
static int
is_key(const char *s, const char *key)
{
	size_t n = strlen(key);

	return strncmp(s, key, n) == 0 &&
	    (s[n] == '\0' || ((s[n] == ',' || s[n] == '.') && s[n + 1] == '\0'));
}

/*
 * The number word S: MIN to MAX digits, then at most a comma or stop.
 */
static int
number(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n >= min && n <= max &&
	    (s[n] == '\0' || ((s[n] == ',' || s[n] == '.') && s[n + 1] == '\0'));
}

/* Where the date's words stand among W[0..N). */
struct date_at {
	size_t day, month, year;	/* "ngày", "tháng", "năm" */
};

/*
 * Find ", ngày … tháng … năm YYYY" in W[0..N): the word before "ngày"
 * ends with a comma (the place; "sinh ngày" is no such line), at most
 * DATE_SLOT words between the keys, a word after "năm".  0 if none.
 */
static int
find_date(const struct sohoa_word *w, size_t n, struct date_at *at)
{
	size_t i, j, k, len;

	for (i = 1; i < n; i++) {
		len = strlen(w[i - 1].text);
		if (!is_key(w[i].text, "ngày") || len == 0 ||
		    w[i - 1].text[len - 1] != ',')
			continue;
		for (j = i + 1; j < n && j <= i + DATE_SLOT &&
		    !is_key(w[j].text, "tháng"); j++)
			;
		if (j >= n || j > i + DATE_SLOT)
			continue;
		for (k = j + 1; k < n && k <= j + DATE_SLOT &&
		    !is_key(w[k].text, "năm"); k++)
			;
		if (k + 1 >= n || k > j + DATE_SLOT)
			continue;
		at->day = i;
		at->month = j;
		at->year = k;
		return 1;
	}
	return 0;
}

/*
 * 1 when the date AT in W reads as plain numbers (a day and a month of
 * one word each, a year of four digits), at least MIN_CONF sure, making
 * a date that can be.
 */
static int
clean_date(const struct sohoa_word *w, const struct date_at *at,
    float min_conf)
{
	const struct sohoa_word *d = &w[at->day + 1], *m = &w[at->month + 1];
	const struct sohoa_word *y = &w[at->year + 1];
	int dd, mm;

	if (at->month != at->day + 2 || at->year != at->month + 2 ||
	    !number(d->text, 1, 2) || !number(m->text, 1, 2) ||
	    !number(y->text, 4, 4))
		return 0;
	dd = atoi(d->text);
	mm = atoi(m->text);
	return dd >= 1 && dd <= 31 && mm >= 1 && mm <= 12 &&
	    d->conf >= min_conf && m->conf >= min_conf && y->conf >= min_conf;
}

/*
 * 1 unless the page's words W between key word K and the next key word
 * END hold a single plain number (of at most MAX digits) that differs
 * from the one after key word NK of the new reading NW.
 */
static int
agrees(const struct sohoa_word *w, size_t k, size_t end,
    const struct sohoa_word *nw, size_t nk, size_t max)
{
	if (end != k + 2 || !number(w[k + 1].text, 1, max))
		return 1;
	return atoi(w[k + 1].text) == atoi(nw[nk + 1].text);
}

/*
 * Put the words NW[FROM..TO] in PAGE's words [A..B] (inclusive), with
 * the line and block of the words they replace.  NW's texts move.
 */
static int
replace_words(struct sohoa_page *page, size_t a, size_t b,
    struct sohoa_word *nw, size_t from, size_t to)
{
	size_t i;

	for (i = from; i <= to; i++) {
		nw[i].line = page->words[a].line;
		nw[i].block = page->words[a].block;
	}
	return sohoa_tess_splice(page, a, b - a + 1, nw + from, to - from + 1);
}

int
sohoa_tess_date_row(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    int dpi, double scale, int view_w, int view_h, struct sohoa_page *page)
{
	struct sohoa_tess_row *r = NULL;
	struct sohoa_page row;
	struct date_at at, nat;
	size_t nr = 0, i, first = 0;
	int rc, found = 0, h, x0, y0, x1, y1;
	BOX *box = NULL;

	memset(&row, 0, sizeof(row));
	rc = sohoa_tess_rows(page->words, page->nwords, &r, &nr);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	for (i = 0; i < nr && !found; i++)
		if (find_date(page->words + r[i].first, r[i].n, &at)) {
			found = 1;
			first = r[i].first;
			break;
		}
	if (!found || clean_date(page->words + first, &at, DATE_SURE_CONF))
		goto out;
	/* the row from the word before "ngày" to the year, a margin round */
	{
		const struct sohoa_word *w = page->words + first;

		x0 = w[at.day - 1].x0;
		x1 = w[at.year + 1].x1;
		y0 = y1 = -1;
		for (i = at.day - 1; i <= at.year + 1; i++) {
			y0 = y0 < 0 || w[i].y0 < y0 ? w[i].y0 : y0;
			y1 = w[i].y1 > y1 ? w[i].y1 : y1;
		}
	}
	h = y1 - y0;
	if (h <= 0 || x1 <= x0)
		goto out;
	x0 = x0 - h > 0 ? x0 - h : 0;
	y0 = y0 - h / 3 > 0 ? y0 - h / 3 : 0;
	x1 = x1 + h < view_w ? x1 + h : view_w;
	y1 = y1 + h / 3 < view_h ? y1 + h / 3 : view_h;
	box = boxCreate((int)(x0 / scale), (int)(y0 / scale),
	    (int)((x1 - x0) / scale), (int)((y1 - y0) / scale));
	if (box == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = sohoa_tess_read_box(ctx, api, pix, box, &date_cut, dpi, scale,
	    view_w, view_h, &row);
	if (rc != SOHOA_OK)
		goto out;
	/*
	 * The new reading's date must be whole, plain and fairly sure, and
	 * agree with each number the page did read plainly ("tháng 3" read
	 * larger where the page read "tháng 2" is no better reading).
	 */
	if (!find_date(row.words, row.nwords, &nat) ||
	    !clean_date(row.words, &nat, DATE_MIN_CONF) ||
	    !agrees(page->words + first, at.day, at.month, row.words,
	    nat.day, 2) ||
	    !agrees(page->words + first, at.month, at.year, row.words,
	    nat.month, 2) ||
	    !agrees(page->words + first, at.year, at.year + 2, row.words,
	    nat.year, 4))
		goto out;
	rc = replace_words(page, first + at.day, first + at.year + 1,
	    row.words, nat.day, nat.year + 1);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "out of memory");
out:
	boxDestroy(&box);
	free(r);
	sohoa_page_release(&row);
	return rc;
}
