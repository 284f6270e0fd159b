/*
 * Leader and rule stage: removes the dotted leader lines ("Họ, chữ đệm,
 * tên: ..........") and the ruled lines of printed forms, which Tesseract
 * otherwise reads as garbage that swallows the label beside them -- the
 * largest single source of error on clean forms.
 *
 * Leaders: dot-sized components that line up on one row at leader spacing
 * (see remove_leaders) are erased; letters, tone marks and the value
 * written over the leader stay.
 *
 * Rules: horizontal and vertical runs of ink much longer than any letter
 * stroke are found by morphological opening and subtracted.
 */
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/* Sizes in millimetres, turned into pixels at the OCR resolution. */
#define DOT_MAX_MM 0.9		/* a leader dot fits in this square */
#define DOT_GAP_MM 1.1		/* largest gap between two leader dots */
#define LEADER_MIN_MM 1.6	/* shortest leader run: two dots */
#define SPECK_MAX_MM 0.22	/* noise, not print: 3 px at 300 dpi */
#define RULE_H_MM 12.0		/* shortest horizontal rule */
#define RULE_V_MM 15.0		/* shortest vertical rule */
#define MARK_UP_MM 1.0		/* gap from a letter to a mark above it */
#define MARK_DOWN_MM 0.5	/* gap from a letter to a dot below it */

static int
mm(int dpi, double v)
{
	int px = (int)(v * dpi / 25.4 + 0.5);

	return px < 1 ? 1 : px;
}

struct dot {
	int cx2, cy2;		/* centre, doubled to stay in integers */
	int x, y, w, h;
};

static int
cmp_dot(const void *a, const void *b)
{
	const struct dot *p = a, *q = b;

	return (p->cx2 > q->cx2) - (p->cx2 < q->cx2);
}

static int
cmp_int(const void *a, const void *b)
{
	int p = *(const int *)a, q = *(const int *)b;

	return (p > q) - (p < q);
}

/*
 * Distance (doubled) from dot I to its nearest neighbour on the same row
 * to the left (DIR -1) or right (DIR 1), or -1.  D is sorted by x.
 */
static int
neighbour(const struct dot *d, int n, int i, int dir, int dy2, int maxdx2)
{
	int j;

	for (j = i + dir; j >= 0 && j < n; j += dir) {
		int dx = abs(d[j].cx2 - d[i].cx2);

		if (dx > maxdx2)
			return -1;
		if (abs(d[j].cy2 - d[i].cy2) <= dy2)
			return dx;
	}
	return -1;
}

static int
near_period(int d2, int p2)
{
	return d2 >= 0 && 5 * abs(d2 - p2) <= p2;
}

/* D2 is a whole number (1..4) of periods P2, within a fifth of one. */
static int
on_grid(int d2, int p2)
{
	int k = (d2 + p2 / 2) / p2;

	return k >= 1 && k <= 4 && 5 * abs(d2 - k * p2) <= p2;
}

static int
find_root(int *parent, int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

/* Dot-sized components of PIX, sorted by x; NULL when out of memory. */
static struct dot *
get_dots(PIX *pix, int *pn)
{
	BOXA *boxa;
	struct dot *d;
	int i, n;

	*pn = 0;
	if ((boxa = pixConnCompBB(pix, 8)) == NULL)
		return NULL;
	n = boxaGetCount(boxa);
	d = calloc((size_t)n + 1, sizeof(*d));
	if (d != NULL) {
		for (i = 0; i < n; i++) {
			boxaGetBoxGeometry(boxa, i, &d[i].x, &d[i].y, &d[i].w,
			    &d[i].h);
			d[i].cx2 = 2 * d[i].x + d[i].w;
			d[i].cy2 = 2 * d[i].y + d[i].h;
		}
		qsort(d, (size_t)n, sizeof(*d), cmp_dot);
		*pn = n;
	}
	boxaDestroy(&boxa);
	return d;
}

/*
 * The leader period (doubled) from the candidate runs: the median gap
 * between a dot and the next one on its row; 0 when there is none.
 */
static int
leader_period(const struct dot *d, int n, int dy2, int maxdx2)
{
	int *gaps, i, r, ngaps = 0, p2 = 0;

	gaps = calloc((size_t)n + 1, sizeof(*gaps));
	if (gaps == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		r = neighbour(d, n, i, 1, dy2, maxdx2);
		if (r > 0)
			gaps[ngaps++] = r;
	}
	if (ngaps > 0) {
		qsort(gaps, (size_t)ngaps, sizeof(*gaps), cmp_int);
		p2 = gaps[ngaps / 2];
	}
	free(gaps);
	return p2;
}

static void
erase_dot(PIX *bin, PIX *src, const struct dot *d)
{
	pixRasterop(bin, d->x, d->y, d->w, d->h, PIX_DST & PIX_NOT(PIX_SRC),
	    src, d->x, d->y);
}

/*
 * Erase from BIN the leader dots.  CAND holds dots in runs of leader
 * spacing, DOTS every dot-sized component.  The period comes from CAND;
 * a candidate with a neighbour one period away is a leader dot.  Under a
 * value written over the leader only single dots show between the
 * letters, so chains of three or more dots of DOTS that lie on exactly
 * one row and on the period grid are leader dots too.  A diacritic dot
 * under a letter ("Thị", "Bệnh") sits lower than the leader row or off
 * its grid, and stays.
 */
static int
erase_periodic(PIX *bin, PIX *cand, PIX *dots, int dpi)
{
	struct dot *c = NULL, *d = NULL;
	int *parent = NULL, *size = NULL;
	int nc, nd, i, j, p2, l, r, dy2, maxdx2, row2, dx, a, b;
	int rc = -1;

	dy2 = mm(dpi, 0.25) * 2;
	maxdx2 = 2 * (mm(dpi, DOT_GAP_MM) + mm(dpi, DOT_MAX_MM)) * 2;
	if ((c = get_dots(cand, &nc)) == NULL)
		goto out;
	p2 = nc >= 2 ? leader_period(c, nc, dy2, maxdx2) : 0;
	if (p2 <= 0) {
		rc = 0;
		goto out;
	}
	for (i = 0; i < nc; i++) {
		l = neighbour(c, nc, i, -1, dy2, maxdx2);
		r = neighbour(c, nc, i, 1, dy2, maxdx2);
		if (near_period(l, p2) || near_period(r, p2))
			erase_dot(bin, cand, &c[i]);
	}
	if ((d = get_dots(dots, &nd)) == NULL)
		goto out;
	parent = calloc((size_t)nd + 1, sizeof(*parent));
	size = calloc((size_t)nd + 1, sizeof(*size));
	if (parent == NULL || size == NULL)
		goto out;
	for (i = 0; i < nd; i++) {
		parent[i] = i;
		size[i] = 1;
	}
	row2 = 2;	/* one pixel: leader dots share their row exactly */
	for (i = 0; i < nd; i++) {
		for (j = i + 1; j < nd; j++) {
			dx = d[j].cx2 - d[i].cx2;
			if (dx > 4 * p2 + p2 / 2)
				break;
			if (abs(d[j].cy2 - d[i].cy2) > row2 ||
			    !on_grid(dx, p2))
				continue;
			a = find_root(parent, i);
			b = find_root(parent, j);
			if (a != b) {
				parent[b] = a;
				size[a] += size[b];
			}
			break;
		}
	}
	for (i = 0; i < nd; i++)
		if (size[find_root(parent, i)] >= 3)
			erase_dot(bin, dots, &d[i]);
	rc = 0;
out:
	free(c);
	free(d);
	free(parent);
	free(size);
	return rc;
}

/*
 * Specks smaller than any dot of print (0.22 mm): scanner noise and what
 * is left of a stamp after binarisation, which Tesseract would otherwise
 * try to read as punctuation.  Only components among DOTS are looked at,
 * which keeps this cheap.
 */
static int
remove_speckle(PIX *bin, PIX *dots, int dpi)
{
	PIX *specks;

	specks = pixSelectBySize(dots, mm(dpi, SPECK_MAX_MM),
	    mm(dpi, SPECK_MAX_MM), 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	if (specks == NULL)
		return -1;
	pixSubtract(bin, bin, specks);
	pixDestroy(&specks);
	return 0;
}

/*
 * The dot-sized components of DOTS that belong to a letter: a tone mark
 * above it ("với", "gió"), a circumflex or breve with a mark above that
 * ("ể", "ắ"), the dot of an "i", a dot below it ("ạ").  They touch the
 * letters (BIN less DOTS) grown MARK_UP_MM up and MARK_DOWN_MM down (less
 * down: a leader typed under a value lies about 1.5 mm under it); a
 * second round takes the mark on a circumflex, which is itself
 * dot-sized.  Leader dots stand beside letters or on their own row, never
 * right above or below one.
 */
static PIX *
letter_marks(PIX *bin, PIX *dots, int dpi)
{
	PIX *body = NULL, *grown = NULL, *touch = NULL, *marks = NULL;
	SEL *sel;
	int round, up = mm(dpi, MARK_UP_MM), down = mm(dpi, MARK_DOWN_MM);

	/* hits at rows 0..up+down, origin at row UP: shifts -UP..DOWN */
	sel = selCreateBrick(up + down + 1, 1, up, 0, SEL_HIT);
	body = sel != NULL ? pixSubtract(NULL, bin, dots) : NULL;
	for (round = 0; body != NULL && round < 2; round++) {
		pixDestroy(&grown);
		pixDestroy(&touch);
		pixDestroy(&marks);
		grown = pixDilate(NULL, body, sel);
		touch = grown != NULL ? pixAnd(NULL, grown, dots) : NULL;
		marks = touch != NULL ? pixSeedfillBinary(NULL, touch, dots, 8) :
		    NULL;
		if (marks == NULL || pixOr(body, body, marks) == NULL) {
			pixDestroy(&marks);
			break;
		}
	}
	selDestroy(&sel);
	pixDestroy(&body);
	pixDestroy(&grown);
	pixDestroy(&touch);
	return marks;
}

/*
 * Leader dots sit on one row and repeat every 1 mm or so; tone marks are
 * further apart and at varying heights, so closing the dot-sized
 * components along single rows and opening with a line a few dots long
 * keeps only leader candidates, which erase_periodic then checks.  Marks
 * that sit on a letter (letter_marks) are never candidates: on real
 * scans of running text the marks of a line of "với", "mới", "cái" fell
 * on one row at letter spacing and were erased as leaders.
 */
static int
remove_leaders(PIX *bin, int dpi)
{
	PIX *dots = NULL, *marks = NULL, *free_dots = NULL, *joined = NULL;
	PIX *runs = NULL, *cand = NULL;
	int rc = -1;

	dots = pixSelectBySize(bin, mm(dpi, DOT_MAX_MM), mm(dpi, DOT_MAX_MM),
	    8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	if (dots == NULL || (marks = letter_marks(bin, dots, dpi)) == NULL ||
	    (free_dots = pixSubtract(NULL, dots, marks)) == NULL)
		goto out;
	if ((joined = pixCloseBrick(NULL, free_dots, mm(dpi, DOT_GAP_MM) + 1,
	    1)) == NULL || (runs = pixOpenBrick(NULL, joined,
	    mm(dpi, LEADER_MIN_MM), 1)) == NULL)
		goto out;
	pixAnd(runs, runs, free_dots);
	cand = pixSeedfillBinary(NULL, runs, free_dots, 8);
	if (cand == NULL)
		goto out;
	rc = erase_periodic(bin, cand, free_dots, dpi);
	/* specks are far smaller than any tone mark: all of them go */
	if (rc == 0)
		rc = remove_speckle(bin, dots, dpi);
out:
	pixDestroy(&dots);
	pixDestroy(&marks);
	pixDestroy(&free_dots);
	pixDestroy(&joined);
	pixDestroy(&runs);
	pixDestroy(&cand);
	return rc;
}

/*
 * The openings use composite bricks: a 12 mm brick is ~140 px, which a
 * plain brick erodes and dilates with one rasterop per pixel of it (6% of
 * a page's CPU); the composite does it in a few dozen, with the same
 * page text on the samples.
 */
static int
remove_rules(PIX *bin, int dpi)
{
	PIX *h = NULL, *v = NULL;
	int rc = -1;

	h = pixOpenCompBrick(NULL, bin, mm(dpi, RULE_H_MM), 1);
	v = pixOpenCompBrick(NULL, bin, 1, mm(dpi, RULE_V_MM));
	if (h != NULL && v != NULL) {
		pixSubtract(bin, bin, h);
		pixSubtract(bin, bin, v);
		rc = 0;
	}
	pixDestroy(&h);
	pixDestroy(&v);
	return rc;
}

int
sohoa_stage_leaders(struct sohoa_clean *c)
{
	int dpi = (int)(c->dpi / c->scale + 0.5);

	if (c->disable & SOHOA_CLEAN_LEADERS)
		return SOHOA_OK;
	if (remove_leaders(c->bin, dpi) != 0 || remove_rules(c->bin, dpi) != 0)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	return SOHOA_OK;
}
