/*
 * A second look at lines Tesseract's layout lost (sohoa_tess_lost_lines).
 *
 * On some cleaned pages Tesseract's page layout analysis drops whole
 * lines that are plainly there: a marriage certificate whose table has
 * dashed borders lost its title, its heads, its first two rows and the
 * line under the table, though the cleaned binary reads well line by
 * line (seed 5105 marriage-mild-02: 1,120 characters of 1,900).  Plain
 * tesseract on the scan keeps them, so the page read worse than plain
 * OCR.  The lost lines are found in the binary itself: letter-sized ink
 * that no word box covers, in runs along a line, is read again line by
 * line (one part of a row at a time: a table's two cells apart), and
 * each reading sure enough is put in the page's words as a line of its
 * own, after the line above it in its columns (where Tesseract would
 * have read on).  The stamp's round text is left alone (no part inside
 * a seal-sized ring is read), and so is what reads unsurely (a
 * signature's scrawl, a speck of the seal) and two lines run together
 * (a skewed page's tight lines read as one are garbage).  On a page
 * that lost nothing, the cost is two passes over connected components
 * and a closing: 40-60 ms on an A4 page at 300 dpi, about 4% of its
 * OCR; each part read costs a line's reading.
 */
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "sohoa/sohoa.h"
#include "sohoa/page.h"
#include "tess_look.h"

/* A letter's ink, millimetres: taller than a tone mark, no taller than a
   capital with its marks; a bold word's letters may run together. */
#define LOST_LETTER_MIN_MM 1.2
#define LOST_LETTER_MAX_MM 6.0
#define LOST_BLOB_MAX_W_MM 30.0
/* Letters closer than this run into one part of a line. */
#define LOST_GAP_MM 3.0
/* A part worth reading: this many letters' blobs, this wide. */
#define LOST_MIN_BLOBS 4
#define LOST_MIN_W_MM 6.0
/* A seal's ring: a roughly square blob at least this wide. */
#define LOST_SEAL_MM 20.0
/* A reading is kept when its words are this sure on the mean. */
#define LOST_MIN_CONF 70.0f
/* At most this many parts are read on one page. */
#define LOST_MAX_PARTS 40

static int
mm2px(int dpi, double mm)
{
	return (int)(mm * dpi / 25.4 + 0.5);
}

/* 1 when (X, Y) lies in box I of BOXES. */
static int
in_box(BOXA *boxes, int i, int x, int y)
{
	l_int32 bx, by, bw, bh;

	boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh);
	return x >= bx && x < bx + bw && y >= by && y < by + bh;
}

/* A run of letters' ink no word covers. */
struct part {
	l_int32 x, y, w, h;
	int blobs;	/* letter-sized blobs in it */
	int line;	/* worth reading: a part of a line */
};

/*
 * A mask of the page's words (view coordinates, SCALE times the mask's),
 * each box a quarter of its height larger (marks stand out of it).
 */
static PIX *
word_mask(const struct sohoa_page *page, double scale, int w, int h)
{
	PIX *covered = pixCreate(w, h, 1);
	size_t k;

	for (k = 0; covered != NULL && k < page->nwords; k++) {
		const struct sohoa_word *wd = &page->words[k];
		int x0 = (int)(wd->x0 / scale), y0 = (int)(wd->y0 / scale);
		int x1 = (int)(wd->x1 / scale), y1 = (int)(wd->y1 / scale);
		int m = (y1 - y0) / 4;

		pixRasterop(covered, x0 - m, y0 - m, x1 - x0 + 2 * m,
		    y1 - y0 + 2 * m, PIX_SET, NULL, 0, 0);
	}
	return covered;
}

/*
 * Merge P into Q: the box around both.
 */
static void
merge_into(struct part *q, struct part *p)
{
	l_int32 x0 = p->x < q->x ? p->x : q->x;
	l_int32 y0 = p->y < q->y ? p->y : q->y;
	l_int32 x1 = p->x + p->w > q->x + q->w ? p->x + p->w : q->x + q->w;
	l_int32 y1 = p->y + p->h > q->y + q->h ? p->y + p->h : q->y + q->h;

	q->x = x0;
	q->y = y0;
	q->w = x1 - x0;
	q->h = y1 - y0;
	q->blobs += p->blobs;
	p->blobs = 0;
	p->line = 0;
}

/*
 * A short word beside a part of a line, on its line and no further from
 * it than two of its heights, is read with it ("Số:" a tab before the
 * number); so is another part a word space away (a value after its
 * label: read apart, the two would stand side by side as lines of their
 * own).  Until nothing merges: a part grown may reach another.
 */
static void
merge_parts(struct part *pb, int n)
{
	int i, j, merged = 1;

	while (merged) {
		merged = 0;
		for (i = 0; i < n; i++)
			for (j = 0; j < n && pb[i].blobs > 0; j++) {
				struct part *p = &pb[i], *q = &pb[j];
				int top = p->y > q->y ? p->y : q->y;
				int bot = p->y + p->h < q->y + q->h ?
				    p->y + p->h : q->y + q->h;
				int lo = p->h < q->h ? p->h : q->h;
				int hi = p->h > q->h ? p->h : q->h;
				int far = p->x > q->x ? p->x - (q->x + q->w) :
				    q->x - (p->x + p->w);
				int tall = (p->y + p->h > q->y + q->h ?
				    p->y + p->h : q->y + q->h) -
				    (p->y < q->y ? p->y : q->y);

				/* on one line: no taller together (a table's
				   dashed border beside a cell is no word) */
				if (j == i || !q->line || 2 * (bot - top) < lo ||
				    far > (p->line ? lo : 2 * hi) ||
				    4 * tall > 4 * hi + lo)
					continue;
				merge_into(q, p);
				merged = 1;
			}
	}
}

/*
 * The parts of lines in BIN (1 bpp, the page as read) made of
 * letter-sized blobs that no word of PAGE covers (words in view
 * coordinates, SCALE times BIN's), outside any seal's ring, no taller
 * than a line: into *PPARTS, by their tops.  NULL when there is none.
 */
static int
lost_parts(PIX *bin, int dpi, double scale, const struct sohoa_page *page,
    BOXA **pparts)
{
	PIX *covered = NULL, *ink = NULL, *runs = NULL;
	BOXA *blobs = NULL, *seals = NULL, *parts = NULL, *keep = NULL;
	struct part *pb = NULL;
	l_int32 w = pixGetWidth(bin), h = pixGetHeight(bin);
	l_int32 bx, by, bw, bh;
	int lmin = mm2px(dpi, LOST_LETTER_MIN_MM);
	int lmax = mm2px(dpi, LOST_LETTER_MAX_MM);
	int wmax = mm2px(dpi, LOST_BLOB_MAX_W_MM);
	int seal = mm2px(dpi, LOST_SEAL_MM);
	int i, j, n, nb, rc = SOHOA_ERR_NOMEM;

	*pparts = NULL;
	covered = word_mask(page, scale, w, h);
	ink = pixCreate(w, h, 1);
	seals = boxaCreate(4);
	blobs = pixConnCompBB(bin, 8);
	if (covered == NULL || ink == NULL || seals == NULL || blobs == NULL)
		goto out;
	nb = boxaGetCount(blobs);
	for (i = 0; i < nb; i++) {
		l_uint32 v;

		boxaGetBoxGeometry(blobs, i, &bx, &by, &bw, &bh);
		/*
		 * a seal's ring the ring stage left whole (joined to no
		 * stroke): its round text is no lost line
		 */
		if (bw >= seal && bh >= seal && 4 * bw <= 5 * bh &&
		    4 * bh <= 5 * bw) {
			BOX *b = boxCreate(bx, by, bw, bh);

			if (b == NULL || boxaAddBox(seals, b, L_INSERT) != 0) {
				boxDestroy(&b);
				goto out;
			}
			continue;
		}
		if (bh < lmin || bh > lmax || bw > wmax)
			continue;
		pixGetPixel(covered, bx + bw / 2, by + bh / 2, &v);
		if (!v)
			pixRasterop(ink, bx, by, bw, bh, PIX_SET, NULL, 0, 0);
	}
	/* letters and words of a line run into one part; a cell's gap not */
	runs = pixCloseBrick(NULL, ink, mm2px(dpi, LOST_GAP_MM), 1);
	parts = runs != NULL ? pixConnCompBB(runs, 8) : NULL;
	if (parts == NULL)
		goto out;
	n = boxaGetCount(parts);
	keep = boxaCreate(8);
	pb = calloc(n > 0 ? n : 1, sizeof(*pb));
	if (keep == NULL || pb == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		struct part *p = &pb[i];

		boxaGetBoxGeometry(parts, i, &p->x, &p->y, &p->w, &p->h);
		for (j = 0; j < boxaGetCount(seals); j++)
			if (in_box(seals, j, p->x + p->w / 2, p->y + p->h / 2))
				break;
		if (j < boxaGetCount(seals))
			continue;
		for (j = 0; j < nb; j++) {
			boxaGetBoxGeometry(blobs, j, &bx, &by, &bw, &bh);
			if (bh >= lmin && bh <= lmax &&
			    in_box(parts, i, bx + bw / 2, by + bh / 2))
				p->blobs++;
		}
		p->line = p->blobs >= LOST_MIN_BLOBS &&
		    p->w >= mm2px(dpi, LOST_MIN_W_MM) && p->w >= 2 * p->h;
	}
	merge_parts(pb, n);
	for (i = 0; i < n; i++) {
		BOX *b;

		/* two lines run together: a skewed page's tight lines */
		if (!pb[i].line || pb[i].h > lmax)
			continue;
		b = boxCreate(pb[i].x, pb[i].y, pb[i].w, pb[i].h);
		if (b == NULL || boxaAddBox(keep, b, L_INSERT) != 0) {
			boxDestroy(&b);
			goto out;
		}
	}
	if (boxaGetCount(keep) > 0) {
		*pparts = boxaSort(keep, L_SORT_BY_Y, L_SORT_INCREASING, NULL);
		if (*pparts == NULL)
			goto out;
	}
	rc = SOHOA_OK;
out:
	pixDestroy(&covered);
	pixDestroy(&ink);
	pixDestroy(&runs);
	boxaDestroy(&blobs);
	boxaDestroy(&seals);
	boxaDestroy(&parts);
	boxaDestroy(&keep);
	free(pb);
	return rc;
}

/*
 * Part I of PARTS with a margin of half a line around it, clipped to a
 * W x H image, into *X, *Y, *BW, *BH.
 */
static void
padded(BOXA *parts, int i, int lmax, int w, int h, l_int32 *x, l_int32 *y,
    l_int32 *bw, l_int32 *bh)
{
	l_int32 x0, y0, pw, ph, x1, y1;
	int m;

	boxaGetBoxGeometry(parts, i, &x0, &y0, &pw, &ph);
	m = (ph < lmax ? ph : lmax) / 2;
	x1 = x0 + pw + m < w ? x0 + pw + m : w;
	y1 = y0 + ph + m < h ? y0 + ph + m : h;
	*x = x0 - m > 0 ? x0 - m : 0;
	*y = y0 - m > 0 ? y0 - m : 0;
	*bw = x1 - *x;
	*bh = y1 - *y;
}

/*
 * 1 when word A overlaps a word of PAGE by half its own area: read
 * already, not lost.
 */
static int
read_already(const struct sohoa_word *a, const struct sohoa_page *page)
{
	long area = (long)(a->x1 - a->x0) * (a->y1 - a->y0), ov;
	size_t i;
	int w, h;

	for (i = 0; i < page->nwords; i++) {
		const struct sohoa_word *b = &page->words[i];

		w = (a->x1 < b->x1 ? a->x1 : b->x1) -
		    (a->x0 > b->x0 ? a->x0 : b->x0);
		h = (a->y1 < b->y1 ? a->y1 : b->y1) -
		    (a->y0 > b->y0 ? a->y0 : b->y0);
		if (w <= 0 || h <= 0)
			continue;
		ov = (long)w * h;
		if (2 * ov >= area)
			return 1;
	}
	return 0;
}

/*
 * Where the line of words LINE goes in PAGE's words, in which block and
 * line (*PLINE -1: a line of its own): into a line read that stands
 * round it, else after the line just above it in its columns, in that line's block (a
 * column Tesseract read on from there: a table's right column that lost
 * its first rows, a number under its label); with nothing above it, before
 * the first line below it, in that line's block; on an empty page, first.
 * Lines numbered above OLD_LINES were read again here.
 */
static size_t
place_of(const struct sohoa_page *page, int old_lines,
    const struct sohoa_page *line, int *pblock, int *pline)
{
	const struct sohoa_word *w = page->words;
	size_t i, end, above = page->nwords, below = page->nwords;
	int x0 = line->words[0].x0, x1 = line->words[0].x1;
	int y0 = line->words[0].y0, y1 = line->words[0].y1;

	for (i = 1; i < line->nwords; i++) {
		x0 = line->words[i].x0 < x0 ? line->words[i].x0 : x0;
		x1 = line->words[i].x1 > x1 ? line->words[i].x1 : x1;
		y0 = line->words[i].y0 < y0 ? line->words[i].y0 : y0;
		y1 = line->words[i].y1 > y1 ? line->words[i].y1 : y1;
	}
	/*
	 * words a line read lost from its middle ("THỊ XÃ AN KHÊ ... anh
	 * phúc", the motto's "Độc lập - Tự do - H" between): in it, by x
	 */
	for (i = 0; i < page->nwords; i = end) {
		int rx0 = w[i].x0, rx1 = w[i].x1, ry0 = w[i].y0, ry1 = w[i].y1;

		for (end = i + 1; end < page->nwords &&
		    w[end].line == w[i].line; end++) {
			rx0 = w[end].x0 < rx0 ? w[end].x0 : rx0;
			rx1 = w[end].x1 > rx1 ? w[end].x1 : rx1;
			ry0 = w[end].y0 < ry0 ? w[end].y0 : ry0;
			ry1 = w[end].y1 > ry1 ? w[end].y1 : ry1;
		}
		if (rx0 < x0 && rx1 > x1 && ry0 <= (y0 + y1) / 2 &&
		    ry1 >= (y0 + y1) / 2) {
			*pblock = w[i].block;
			*pline = w[i].line;
			while (i < end && w[i].x0 < x0)
				i++;
			return i;
		}
	}
	*pline = -1;
	for (i = 0; i < page->nwords; i++) {
		if (w[i].x0 >= x1 || w[i].x1 <= x0)
			continue;	/* another column */
		if ((w[i].y0 + w[i].y1) / 2 < y0 &&
		    (above == page->nwords || w[i].y1 > w[above].y1))
			above = i;
		if (w[i].y0 > y1 && below == page->nwords)
			below = i;
	}
	if (above < page->nwords) {
		*pblock = w[above].block;
		for (i = above; i + 1 < page->nwords &&
		    w[i + 1].line == w[above].line; i++)
			;
		/*
		 * past lines read again before this one that stand above it
		 * or left of it on its row (two cells under one title)
		 */
		for (i++; i < page->nwords && w[i].line > old_lines &&
		    ((w[i].y0 + w[i].y1) / 2 < y0 ||
		    ((w[i].y0 + w[i].y1) / 2 <= y1 && w[i].x0 < x0)); i++)
			;
		return i;
	}
	if (below < page->nwords) {
		*pblock = w[below].block;
		for (i = below; i > 0 && w[i - 1].line == w[below].line; i--)
			;
		return i;
	}
	*pblock = page->nwords > 0 ? w[0].block : 0;
	return 0;
}

int
sohoa_tess_lost_lines(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *bin,
    int dpi, double scale, int view_w, int view_h, struct sohoa_page *page)
{
	struct sohoa_page tmp;
	BOXA *parts = NULL;
	l_int32 bx, by, bw, bh;
	size_t k, at, nw;
	int i, n, rc, maxline = 0, old_lines, block, line, letters;
	float sum;

	memset(&tmp, 0, sizeof(tmp));
	if (pixGetDepth(bin) != 1 || page->nwords == 0)
		return SOHOA_OK;
	rc = lost_parts(bin, dpi, scale, page, &parts);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	if (parts == NULL)
		return SOHOA_OK;
	for (k = 0; k < page->nwords; k++)
		maxline = page->words[k].line > maxline ?
		    page->words[k].line : maxline;
	old_lines = maxline;
	n = boxaGetCount(parts);
	if (n > LOST_MAX_PARTS)
		n = LOST_MAX_PARTS;
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	for (i = 0; i < n; i++) {
		padded(parts, i, mm2px(dpi, LOST_LETTER_MAX_MM),
		    pixGetWidth(bin), pixGetHeight(bin), &bx, &by, &bw, &bh);
		sohoa_page_release(&tmp);
		TessBaseAPISetRectangle(api, bx, by, bw, bh);
		if (TessBaseAPIRecognize(api, NULL) != 0)
			continue;	/* a second look that fails changes nothing */
		rc = sohoa_tess_words(ctx, api, 0, 0, scale, view_w, view_h, 1,
		    &tmp);
		if (rc != SOHOA_OK)
			goto out;
		/* the words not read already, sure enough, with letters */
		sum = 0;
		letters = 0;
		for (k = nw = 0; k < tmp.nwords; k++) {
			if (sohoa_tess_count(tmp.words[k].text,
			    SOHOA_TESS_ALNUM) == 0 ||
			    read_already(&tmp.words[k], page)) {
				free(tmp.words[k].text);
				continue;
			}
			sum += tmp.words[k].conf;
			letters += (int)sohoa_tess_count(tmp.words[k].text,
			    SOHOA_TESS_ALNUM);
			tmp.words[nw++] = tmp.words[k];
		}
		tmp.nwords = nw;
		if (nw == 0 || letters < 3 || sum / nw < LOST_MIN_CONF)
			continue;
		at = place_of(page, old_lines, &tmp, &block, &line);
		if (line < 0)
			line = ++maxline;
		for (k = 0; k < nw; k++) {
			tmp.words[k].line = line;
			tmp.words[k].block = block;
		}
		if (sohoa_tess_splice(page, at, 0, tmp.words, nw) !=
		    SOHOA_OK) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			goto out;
		}
	}
	rc = SOHOA_OK;
out:
	sohoa_page_release(&tmp);
	boxaDestroy(&parts);
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	return rc;
}
