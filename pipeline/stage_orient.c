/*
 * Orientation stage: finds whether the page lies at 0, 90, 180 or 270
 * degrees and turns the working copy (and the view) upright.
 *
 * On a binary copy at about 150 dpi.  Leptonica's ascender/descender
 * count (pixOrientDetect, ~20 ms) settles nearly every page with text on
 * it.  A sparse page (a short letter, a half-empty form, a signature
 * block) gives it too few letters to count, and the other opinions fail
 * there in their own ways: Tesseract's OSD answers with no confidence,
 * and Tesseract reads a sideways line of text as vertical text, at full
 * confidence, so comparing recognition confidences cannot tell upright
 * from sideways (bug 0014: upright sparse pages were turned 90 degrees).
 * So a sparse page is decided in two steps:
 *
 *   1. which way its lines run, from the letters themselves: the nearest
 *      letter of a letter sits beside it in a horizontal line of text,
 *      above or below it in a sideways one;
 *   2. which of the two ends is up (0 or 180, 90 or 270): Tesseract's
 *      confidence on a band around the text read both ways (upside-down
 *      text reads as garbage), or Leptonica's up/down count.
 *
 * A turn needs a clear answer at each step (OSD, when sure, counts as
 * one for the second); when the answer is not clear the page stays as
 * scanned and is marked for review (c->orient_unsure).
 */
#include <math.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"
#include "../ocr/tess_private.h"

/* OSD confidence above which it settles which end is up (see below). */
#define ORIENT_SURE 2.0f
/*
 * pixOrientDetect confidence above which it is believed (upright pages of
 * the samples score 6.5-18 up, with the other direction under half).
 */
#define LEPT_SURE 5.0f

/*
 * Line direction: pairs of neighbouring letters needed, and how many
 * times more pairs one way than the other.
 */
#define DIR_MIN_PAIRS 8
#define DIR_RATIO 3
/* Letters looked at, at most (evenly sampled beyond): bounds the time. */
#define DIR_MAX_LETTERS 2000

/*
 * Which end is up: the band read must reach this confidence, and beat
 * the other way round by this much (upside-down text reads near 0).
 */
#define BAND_MIN_CONF 40.0f
#define BAND_MARGIN 20.0f
/* Band height in letter sizes, around the most lettered rows. */
#define BAND_LETTERS 12
/* Leptonica's up/down count: fewer letters than its default, a z-score. */
#define UPDOWN_MIN_COUNT 10
#define UPDOWN_SURE 3.0f

/* Binary copy at about 150 dpi for OSD; *pdpi gets its resolution. */
static PIX *
reduced_binary(const struct sohoa_clean *c, int *pdpi)
{
	PIX *r, *b = NULL;

	if (c->dpi >= 250) {
		r = pixScaleAreaMap2(c->grey);
		*pdpi = c->dpi / 2;
	} else {
		r = pixClone(c->grey);
		*pdpi = c->dpi;
	}
	if (r == NULL)
		return NULL;
	/*
	 * One global threshold over a yellowed, unevenly lit page with dark
	 * scanner edges leaves a black page on which no opinion can be
	 * formed (every band read at confidence 0): even the paper out first.
	 */
	if (pixGetDepth(r) == 8) {
		PIX *n = pixBackgroundNormSimple(r, NULL, NULL);

		if (n != NULL) {
			b = pixThresholdToBinary(n, 150);
			pixDestroy(&n);
		}
	}
	if (b == NULL && pixOtsuAdaptiveThreshold(r, pixGetWidth(r),
	    pixGetHeight(r), 0, 0, 0.0, NULL, &b) != 0)
		b = NULL;
	pixDestroy(&r);
	return b;
}

static int
turn(struct sohoa_clean *c, int deg)
{
	PIX *p;

	if (deg == 0)
		return SOHOA_OK;
	if ((p = pixRotateOrth(c->grey, deg / 90)) == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	pixDestroy(&c->grey);
	c->grey = p;
	if (c->view != NULL) {
		if ((p = pixRotateOrth(c->view, deg / 90)) == NULL)
			return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		pixDestroy(&c->view);
		c->view = p;
	}
	c->orientation = deg;
	return SOHOA_OK;
}

/*
 * Leptonica's opinion: 0/90/180/270 clockwise to make BIN upright, or -1
 * when its counts are not clear enough.
 */
static int
lept_orientation(PIX *bin, float *pconf)
{
	l_float32 up = 0, left = 0;
	float aup, aleft;

	*pconf = 0;
	if (pixOrientDetect(bin, &up, &left, 0, 0) != 0)
		return -1;
	aup = up < 0 ? -up : up;
	aleft = left < 0 ? -left : left;
	if (aup >= LEPT_SURE && aleft < aup / 2) {
		*pconf = aup;
		return up > 0 ? 0 : 180;
	}
	if (aleft >= LEPT_SURE && aup < aleft / 2) {
		*pconf = aleft;
		/* text "up to the left" needs a quarter turn clockwise */
		return left > 0 ? 90 : 270;
	}
	return -1;
}

/* The letters of a page: centres, sizes, and a typical letter size. */
struct letters {
	l_float32 *x, *y, *s;
	int n;
	float size;		/* median of max(width, height), pixels */
};

static void
letters_release(struct letters *L)
{
	free(L->x);
	free(L->y);
	free(L->s);
	L->x = L->y = L->s = NULL;
	L->n = 0;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * The letter-sized components of BIN (at DPI).  Sizes are taken as
 * max(width, height), the same whichever way the page lies.  The typical
 * size is the median of components of 1 mm and more: the leader dots of
 * a half-empty form outnumber its letters.  Tone marks, dots and specks
 * (under half of it) and rules, stamps and pictures (over three times)
 * are left out.
 */
static int
find_letters(PIX *bin, int dpi, struct letters *L)
{
	BOXA *boxa;
	int *sizes = NULL, n, i, k, x, y, w, h, s, step;

	L->x = L->y = L->s = NULL;
	L->n = 0;
	L->size = 0;
	boxa = pixConnCompBB(bin, 8);
	if (boxa == NULL)
		return -1;
	n = boxaGetCount(boxa);
	if (n == 0) {
		boxaDestroy(&boxa);
		return 0;
	}
	sizes = malloc((size_t)n * sizeof(*sizes));
	L->x = malloc((size_t)n * sizeof(*L->x));
	L->y = malloc((size_t)n * sizeof(*L->y));
	L->s = malloc((size_t)n * sizeof(*L->s));
	if (sizes == NULL || L->x == NULL || L->y == NULL || L->s == NULL) {
		free(sizes);
		letters_release(L);
		boxaDestroy(&boxa);
		return -1;
	}
	for (i = 0; i < n; i++) {
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		sizes[i] = w > h ? w : h;
	}
	qsort(sizes, (size_t)n, sizeof(*sizes), cmp_int);
	for (k = 0; k < n && sizes[k] < (dpi > 0 ? dpi / 25 : 6); k++)
		;
	L->size = k < n ? (float)sizes[k + (n - k) / 2] : 0;
	step = 1;
	if (n > DIR_MAX_LETTERS)
		step = (n + DIR_MAX_LETTERS - 1) / DIR_MAX_LETTERS;
	for (i = 0; i < n; i += step) {
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		s = w > h ? w : h;
		if (s < 2 || s < L->size / 2 || s > 3 * L->size)
			continue;
		L->x[L->n] = x + w / 2.0f;
		L->y[L->n] = y + h / 2.0f;
		L->s[L->n] = (float)s;
		L->n++;
	}
	free(sizes);
	boxaDestroy(&boxa);
	return 0;
}

/*
 * Which way the lines run: 0 horizontal (the page is upright or upside
 * down), 90 vertical (it lies on a side), -1 unclear.  Each letter votes
 * with the direction of its nearest letter of about its size: in a line
 * of text that is the next letter of the word, closer than any letter of
 * the line above or below; a stack of tone marks over a letter, smaller,
 * does not count.
 */
static int
line_direction(const struct letters *L, int *phoriz, int *pvert)
{
	int i, j, best, horiz = 0, vert = 0;
	float d, bd, dx, dy;

	for (i = 0; i < L->n; i++) {
		best = -1;
		bd = 0;
		for (j = 0; j < L->n; j++) {
			if (j == i || 3 * L->s[j] < 2 * L->s[i] ||
			    3 * L->s[i] < 2 * L->s[j])
				continue;
			dx = L->x[j] - L->x[i];
			dy = L->y[j] - L->y[i];
			d = dx * dx + dy * dy;
			if (best < 0 || d < bd) {
				best = j;
				bd = d;
			}
		}
		/* a neighbour farther than a few letters is not in a word */
		if (best < 0 || bd > 9 * L->size * L->size)
			continue;
		dx = fabsf(L->x[best] - L->x[i]);
		dy = fabsf(L->y[best] - L->y[i]);
		if (dx > 2 * dy)
			horiz++;
		else if (dy > 2 * dx)
			vert++;
	}
	*phoriz = horiz;
	*pvert = vert;
	if (horiz >= DIR_MIN_PAIRS && horiz >= DIR_RATIO * vert)
		return 0;
	if (vert >= DIR_MIN_PAIRS && vert >= DIR_RATIO * horiz)
		return 90;
	return -1;
}

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/*
 * The band of BIN around the most lettered stretch of lines, as seen
 * with lines running across (DIR 0) or down (DIR 90): BAND_LETTERS letter
 * sizes deep, the whole page wide, so that a few whole lines are read.
 */
static PIX *
text_band(PIX *bin, const struct letters *L, int dir)
{
	float *pos, depth = BAND_LETTERS * L->size, start = 0;
	int i, j, best = -1, cnt, span;
	BOX *box;
	PIX *band;

	pos = malloc((size_t)(L->n > 0 ? L->n : 1) * sizeof(*pos));
	if (pos == NULL)
		return NULL;
	for (i = 0; i < L->n; i++)
		pos[i] = dir == 0 ? L->y[i] : L->x[i];
	qsort(pos, (size_t)L->n, sizeof(*pos), cmp_float);
	/* the window of DEPTH holding the most letters (two pointers) */
	for (i = 0, j = 0; i < L->n; i++) {
		while (j < L->n && pos[j] < pos[i] + depth)
			j++;
		cnt = j - i;
		if (cnt > best) {
			best = cnt;
			start = pos[i];
		}
	}
	free(pos);
	span = dir == 0 ? pixGetHeight(bin) : pixGetWidth(bin);
	start -= L->size;
	if (start < 0)
		start = 0;
	if (start + depth > span)
		depth = span - start;
	box = dir == 0 ? boxCreate(0, (int)start, pixGetWidth(bin), (int)depth) :
	    boxCreate((int)start, 0, (int)depth, pixGetHeight(bin));
	band = box != NULL ? pixClipRectangle(bin, box, NULL) : NULL;
	boxDestroy(&box);
	return band;
}

/* Recognition confidence of BAND turned clockwise by DEG. */
static int
band_confidence(struct sohoa_clean *c, PIX *band, int dpi, int deg,
    float *pconf)
{
	PIX *rot;
	int rc;

	*pconf = 0;
	rot = pixRotateOrth(band, deg / 90);
	if (rot == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = sohoa_tess_confidence(c->ctx, c->tess, rot, dpi, pconf);
	pixDestroy(&rot);
	return rc;
}

/*
 * Which end is up, the lines running as DIR says: DEG (DIR itself) or
 * DEG + 180, by reading the band both ways; when the reading does not
 * tell, by Leptonica's up/down count.  *pdeg is -1 when neither is sure.
 */
static int
which_end(struct sohoa_clean *c, PIX *bin, int dpi, const struct letters *L,
    int dir, int *pdeg)
{
	PIX *band, *up = NULL;
	float c0 = 0, c1 = 0;
	l_float32 z = 0;
	int rc;

	*pdeg = -1;
	band = text_band(bin, L, dir);
	if (band == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = band_confidence(c, band, dpi, dir, &c0);
	if (rc == SOHOA_OK)
		rc = band_confidence(c, band, dpi, dir + 180, &c1);
	if (rc == SOHOA_OK) {
		if (c0 >= BAND_MIN_CONF && c0 >= c1 + BAND_MARGIN)
			*pdeg = dir;
		else if (c1 >= BAND_MIN_CONF && c1 >= c0 + BAND_MARGIN)
			*pdeg = dir + 180;
	}
	if (rc == SOHOA_OK && *pdeg < 0) {
		/* handwriting, a font Tesseract reads badly: count instead */
		up = pixRotateOrth(band, dir / 90);
		if (up != NULL && pixUpDownDetect(up, &z, UPDOWN_MIN_COUNT, 0,
		    0) == 0) {
			if (z >= UPDOWN_SURE)
				*pdeg = dir;
			else if (z <= -UPDOWN_SURE)
				*pdeg = dir + 180;
		}
		pixDestroy(&up);
	}
	pixDestroy(&band);
	return rc;
}

/*
 * A page Leptonica could not decide (sparse, or noisy): the line
 * direction from the letters, then which end is up; when the band does
 * not tell, OSD does if it is sure and sees the lines run the same way.
 */
static int
sparse_orientation(struct sohoa_clean *c, PIX *bin, int dpi, int *pdeg,
    int *punsure)
{
	struct letters L;
	int dir, horiz = 0, vert = 0, osd = -1, rc = SOHOA_OK;
	float conf = 0;

	*pdeg = 0;
	*punsure = 0;
	if (find_letters(bin, dpi, &L) != 0)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	dir = line_direction(&L, &horiz, &vert);
	if (dir < 0) {
		/* too few letters to tell, or no lines: leave it as scanned */
		*punsure = L.n >= DIR_MIN_PAIRS;
		goto out;
	}
	rc = which_end(c, bin, dpi, &L, dir, pdeg);
	if (rc != SOHOA_OK || *pdeg >= 0)
		goto out;
	/* the band did not tell: OSD, if it is sure and sees the same lines */
	rc = sohoa_tess_orient(c->ctx, c->tess, bin, dpi, &osd, &conf);
	if (rc == SOHOA_OK && conf >= ORIENT_SURE && osd % 180 == dir) {
		*pdeg = osd;
	} else {
		*pdeg = 0;
		*punsure = 1;
	}
out:
	letters_release(&L);
	return rc;
}

/*
 * A quarter turn is where a sure count still most often picks the wrong
 * one of the two ends, and a page lying sideways is rare enough that two
 * band readings are cheap there: they overrule the count when clear.
 */
static int
check_quarter(struct sohoa_clean *c, PIX *bin, int dpi, int *pdeg)
{
	struct letters L;
	int end = -1, rc;

	if (find_letters(bin, dpi, &L) != 0)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = L.n > 0 ? which_end(c, bin, dpi, &L, 90, &end) : SOHOA_OK;
	if (rc == SOHOA_OK && end >= 0)
		*pdeg = end;
	letters_release(&L);
	return rc;
}

int
sohoa_stage_orient(struct sohoa_clean *c)
{
	PIX *bin;
	float conf = 0;
	int dpi = 0, deg, rc = SOHOA_OK;

	if (c->disable & SOHOA_CLEAN_ORIENT)
		return SOHOA_OK;
	bin = reduced_binary(c, &dpi);
	if (bin == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	deg = lept_orientation(bin, &conf);
	if (deg < 0)
		rc = sparse_orientation(c, bin, dpi, &deg, &c->orient_unsure);
	else if (deg == 90 || deg == 270)
		rc = check_quarter(c, bin, dpi, &deg);
	pixDestroy(&bin);
	c->orient_conf = conf;
	if (rc == SOHOA_OK)
		rc = turn(c, deg);
	return rc;
}
