/*
 * Stamp ring stage.  In a colour scan the red stamp is taken out by colour
 * (stage_grey.c) and in a grey one by the ink cut (stage_binarize.c), but
 * a bilevel scan has no colour left: the stamp's rings are as black as
 * the print, and the outer ring, drawn across the signer's name as the
 * rules want it, joins the letters into one blob that Tesseract cannot
 * read ("Lê Ngọc Linh" came out as "ọc Linh" or nothing).
 *
 * Round stamps are found by a circle Hough transform on an 8x-reduced
 * copy (30-60 dpi), voting only with thin lines (what a 3x3 opening
 * removes: words have merged into solid blobs there, a ring has not), so
 * a ring broken by patchy ink is found from its pieces.  The circle is
 * refined at full resolution, where a radial profile of thin runs (no
 * longer than a ring is thick) gives the outer ring and any concentric
 * inner one.  Along each ray the run on a ring is erased only when it is
 * that thin, so a letter stroke crossing the ring keeps most of its
 * pixels.  Then whatever else lies inside the circle (curved text, star
 * or emblem, the office name) is cleared, except blobs on a line of print
 * that runs out of the circle -- the signer's title and name -- and the
 * tone marks over them.  About 20 ms on a bilevel page with a stamp.
 * A page where no ring was found is searched once more, reduced keeping
 * two of four pixels (a double ring: sohoa_stage_ring); as much again,
 * and the ingest benchmark did not move (12.9 s for 12 pages, main 13.2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/* Radius range of a seal, millimetres. */
#define RING_MIN_MM 12.0
#define RING_MAX_MM 23.0
/* Thickest ring line, millimetres; runs longer than this are strokes. */
#define RING_THICK_MM 1.1
/* How far a ring may stray from the fitted circle, pixels. */
#define RING_FIT 3
/* Share of rays that must meet a thin run for a ring. */
#define RING_MIN_COVER 0.55
/* Inner rings: radius from this share of the smallest seal's upwards. */
#define RING_INNER_FROM 0.45
/* At most this many stamps per page. */
#define RING_MAX 4
/* Pieces of a broken ring: at least this long, millimetres. */
#define RING_ARC_MM 4.0
/* Tallest letter (with its marks) a line of print is traced from. */
#define LETTER_MAX_MM 6.0
/*
 * More candidate pixels than this and the page is left as it is: the
 * Hough transform's time grows with them.  A whole A4 page reduced to
 * 30-60 dpi has about 140,000 pixels, so only a page far larger than a
 * scanner makes, covered in line work, gets here.
 */
#define RING_MAX_CAND 250000
/* Hough peak worth checking: votes per pixel of circumference. */
#define RING_MIN_VOTES 0.35

static double
mm2px(double dpi, double mm)
{
	return mm * dpi / 25.4;
}

/*
 * Circle Hough transform over the pixels of PIX (reduced image) within
 * box B, radii RMIN..RMAX.  Returns the best centre and radius in
 * reduced pixels and its vote share (votes / circumference).
 */
static double
hough(PIX *comp, BOX *b, int rmin, int rmax, double *pcx, double *pcy,
    double *pr)
{
	l_int32 bx, by, bw, bh;
	int w, h, x, y, r, k, nang, best = -1;
	int *vote = NULL, *dx = NULL, *dy = NULL;
	l_uint32 *data, *line;
	int wpl;
	double share = 0.0;

	boxGetGeometry(b, &bx, &by, &bw, &bh);
	/* centres may lie a little outside the component's box */
	w = bw + 2 * rmax;
	h = bh + 2 * rmax;
	nang = (int)(2 * M_PI * rmax) + 8;
	/* one vote plane, reused radius by radius */
	vote = malloc(sizeof(*vote) * (size_t)w * h);
	dx = malloc(sizeof(*dx) * nang);
	dy = malloc(sizeof(*dy) * nang);
	if (vote == NULL || dx == NULL || dy == NULL)
		goto out;
	data = pixGetData(comp);
	wpl = pixGetWpl(comp);
	for (r = rmin; r <= rmax; r++) {
		int n = 0, lastx = 1 << 30, lasty = 1 << 30;
		int steps = (int)(2 * M_PI * r) + 4;

		memset(vote, 0, sizeof(*vote) * (size_t)w * h);
		/* circle offsets, without repeats */
		for (k = 0; k < steps && n < nang; k++) {
			double a = 2 * M_PI * k / steps;
			int ox = (int)lround(r * cos(a));
			int oy = (int)lround(r * sin(a));

			if (ox == lastx && oy == lasty)
				continue;
			dx[n] = ox;
			dy[n] = oy;
			lastx = ox;
			lasty = oy;
			n++;
		}
		for (y = 0; y < bh; y++) {
			line = data + y * wpl;
			for (x = 0; x < bw; x++) {
				if (!GET_DATA_BIT(line, x))
					continue;
				for (k = 0; k < n; k++)
					vote[(y + rmax + dy[k]) * w +
					    x + rmax + dx[k]]++;
			}
		}
		{
			int top = 0, at = 0;
			double sh;

			for (k = 0; k < w * h; k++)
				if (vote[k] > top) {
					top = vote[k];
					at = k;
				}
			sh = top / (2 * M_PI * r);
			if (sh > share) {
				share = sh;
				best = (r - rmin) * w * h + at;
			}
		}
	}
	if (best >= 0) {
		int rem = best % (w * h);

		*pr = rmin + best / (w * h);
		*pcx = bx + rem % w - rmax;
		*pcy = by + rem / w - rmax;
	}
out:
	free(vote);
	free(dx);
	free(dy);
	return share;
}

/*
 * A ray from (cx, cy) with direction (ca, sa) over a binary image: the
 * run search, the radial profile and the erasing all step along it with
 * the same rounding, so what is erased is the pixels that were measured.
 */
struct ray {
	l_uint32 *data;
	int wpl, w, h;
	double cx, cy, ca, sa;
};

static void
ray_init(struct ray *ry, PIX *bin, double cx, double cy, double a)
{
	ry->data = pixGetData(bin);
	ry->wpl = pixGetWpl(bin);
	ry->w = pixGetWidth(bin);
	ry->h = pixGetHeight(bin);
	ry->cx = cx;
	ry->cy = cy;
	ry->ca = cos(a);
	ry->sa = sin(a);
}

/* The pixel I steps out along RY in *PX, *PY; 1 when it is in the image. */
static int
ray_xy(const struct ray *ry, int i, int *px, int *py)
{
	*px = (int)floor(ry->cx + i * ry->ca + 0.5);
	*py = (int)floor(ry->cy + i * ry->sa + 0.5);
	return *px >= 0 && *py >= 0 && *px < ry->w && *py < ry->h;
}

/* 1 when the pixel I steps out along RY is ink. */
static int
ray_ink(const struct ray *ry, int i)
{
	int x, y;

	return ray_xy(ry, i, &x, &y) &&
	    GET_DATA_BIT(ry->data + y * ry->wpl, x);
}

/*
 * Along the ray from (CX, CY) at angle A, the run of ink that contains or
 * lies nearest to radius R within SLACK; its start and end radii in
 * *PR0, *PR1.  Returns 0 when there is none.
 */
static int
ray_run(PIX *bin, double cx, double cy, double a, double r, double slack,
    double thick, int *pr0, int *pr1)
{
	struct ray ry;
	int lo = (int)(r - slack - thick), hi = (int)(r + slack + thick);
	int best0 = -1, best1 = -1, start = -1, i;
	double bestd = 1e9;

	ray_init(&ry, bin, cx, cy, a);
	if (lo < 1)
		lo = 1;
	for (i = lo; i <= hi + 1; i++) {
		int v = i <= hi && ray_ink(&ry, i);

		if (v && start < 0)
			start = i;
		if ((!v || i > hi) && start >= 0) {
			double mid = (start + i - 1) / 2.0, d = fabs(mid - r);

			if (d <= slack && d < bestd) {
				bestd = d;
				best0 = start;
				best1 = i - 1;
			}
			start = -1;
		}
	}
	if (best0 < 0)
		return 0;
	*pr0 = best0;
	*pr1 = best1;
	return 1;
}

/*
 * Radial profile around (CX, CY): for each radius LO..HI, the share of
 * rays that meet a thin run of ink (no longer than THICK) within FIT of
 * it.  High along a ring, low across print, whose runs are of every
 * length.  One walk out along each ray gives every radius at once.
 * P has HI - LO + 1 entries.
 */
static int
profile(PIX *bin, double cx, double cy, int lo, int hi, double thick,
    int fit, double *p)
{
	int n = (int)(2 * M_PI * hi / 2) + 1, m = hi - lo + 1, k, i, j;
	int a = lo - fit - (int)thick, z = hi + fit + (int)thick;
	int *mid;

	if (a < 1)
		a = 1;
	mid = calloc(z - a + 2, sizeof(*mid));
	if (mid == NULL)
		return -1;
	for (k = 0; k < n; k++) {
		struct ray ry;
		int start = -1;

		ray_init(&ry, bin, cx, cy, 2 * M_PI * k / n);
		for (i = a; i <= z + 1; i++) {
			int v = i <= z && ray_ink(&ry, i);

			if (v && start < 0)
				start = i;
			if ((!v || i > z) && start >= 0) {
				if (i - start <= thick)
					mid[(start + i - 1) / 2 - a]++;
				start = -1;
			}
		}
	}
	for (i = 0; i < m; i++) {
		int sum = 0;

		for (j = lo + i - fit; j <= lo + i + fit; j++)
			if (j >= a && j <= z)
				sum += mid[j - a];
		p[i] = (double)sum / n;
	}
	free(mid);
	return 0;
}

/*
 * Erase the ring of radius R around (CX, CY): on each ray, the run near R
 * when it is no longer than THICK (a longer one is a stroke crossing).
 * Rays are spaced under a pixel apart at the ring, so none is missed.
 */
static void
erase_ring(PIX *bin, double cx, double cy, double r, double slack,
    double thick)
{
	int n = (int)(2 * M_PI * (r + slack + thick) * 2) + 1, k, r0, r1, i;
	int x, y;

	for (k = 0; k < n; k++) {
		double a = 2 * M_PI * k / n;
		struct ray ry;

		if (!ray_run(bin, cx, cy, a, r, slack, thick, &r0, &r1) ||
		    r1 - r0 + 1 > thick)
			continue;
		ray_init(&ry, bin, cx, cy, a);
		for (i = r0; i <= r1; i++)
			if (ray_xy(&ry, i, &x, &y))
				CLEAR_DATA_BIT(ry.data + y * ry.wpl, x);
	}
}

/*
 * How thick the ring of radius R really is: the median length of the thin
 * runs on it, plus a pixel of antialiasing either side.  Erasing only
 * runs that short spares a stem that crosses the ring (a vertical stroke
 * of "B" meets the ring's ray over more pixels than the ring's own line).
 */
static double
ring_width(PIX *bin, double cx, double cy, double r, double thick)
{
	int n = (int)(2 * M_PI * r / 2) + 1, k, r0, r1, cnt[64] = { 0 };
	int total = 0, acc = 0, len;

	for (k = 0; k < n; k++)
		if (ray_run(bin, cx, cy, 2 * M_PI * k / n, r, RING_FIT, thick,
		    &r0, &r1) && (len = r1 - r0 + 1) <= thick && len < 64) {
			cnt[len]++;
			total++;
		}
	for (len = 1; len < 64; len++) {
		acc += cnt[len];
		if (2 * acc >= total)
			break;
	}
	return len + 2 < thick ? len + 2 : thick;
}

/*
 * Move (*PCX, *PCY) and R by up to two STEPs each way to where the thin
 * cover is highest, so the erasing follows the real ring and not the
 * reduced image's estimate.  Returns the radius.
 */
static double
refine(PIX *bin, double *pcx, double *pcy, double r, double step,
    double thick)
{
	int lo = (int)(r - 2 * step), hi = (int)(r + 2 * step + 1), i, j, k;
	int fit = (int)(step / 2) + 1;
	double best = -1, bx = *pcx, by = *pcy, br = r, p[64];

	if (hi - lo + 1 > 64)
		hi = lo + 63;
	for (i = -2; i <= 2; i++)
		for (j = -2; j <= 2; j++) {
			double x = *pcx + i * step, y = *pcy + j * step;

			if (profile(bin, x, y, lo, hi, thick, fit, p) != 0)
				return r;
			for (k = 0; k <= hi - lo; k++)
				if (p[k] > best) {
					best = p[k];
					bx = x;
					by = y;
					br = lo + k;
				}
		}
	*pcx = bx;
	*pcy = by;
	return br;
}

/*
 * The rings of the stamp centred at (CX, CY): every radius from the
 * seal's largest down to RING_INNER_FROM of its smallest whose thin cover
 * peaks above RING_MIN_COVER.  All are erased; the radius of the outer
 * one is returned, or 0 when there is no ring of a seal's size.
 */
static double
erase_rings(PIX *bin, double dpi, double cx, double cy, double thick)
{
	int lo = (int)(RING_INNER_FROM * mm2px(dpi, RING_MIN_MM));
	int hi = (int)mm2px(dpi, RING_MAX_MM) + 1, r, k, n = hi - lo + 1;
	int outer = 0, t = (int)thick;
	double *p;

	p = calloc(n, sizeof(*p));
	if (p == NULL || profile(bin, cx, cy, lo, hi, thick, RING_FIT,
	    p) != 0) {
		free(p);
		return 0;
	}
	for (r = hi; r >= lo; r--) {
		int peak = p[r - lo] >= RING_MIN_COVER;

		for (k = -t; k <= t && peak; k++)
			if (r + k >= lo && r + k <= hi && k != 0 &&
			    p[r + k - lo] > p[r - lo])
				peak = 0;
		if (!peak || (outer == 0 && r < mm2px(dpi, RING_MIN_MM)))
			continue;
		if (outer == 0)
			outer = r;
		erase_ring(bin, cx, cy, r, RING_FIT,
		    ring_width(bin, cx, cy, r, thick));
		r -= t;
	}
	free(p);
	return outer;
}

struct blob {
	l_int32 x, y, w, h;
	int inside;		/* lies within the stamp's circle */
	int print;		/* 1 on a line of print, 2 a mark over it */
	l_int32 top, bot;	/* rows of the letter its line was traced from */
};

/*
 * Does blob P stand on the same line of print as Q, a letter or word no
 * taller than LETTER: of a like height, overlapping it vertically by half
 * the smaller height, and no further from it sideways than its own height
 * (a word space is less)?  A blob taller than that which spans Q's whole
 * height beside it counts too: a letter of the name joined to the
 * stamp's curved text below it ("Nguy" + "NGUYÊN" of the seal).  Such a
 * Q, once on a line, stands for the letter its line was traced from (its
 * rows, its height): the letters beyond it, inside the ring, are the
 * line's too ("Lê" of "Lê Văn Song", whose V the seal's letters joined,
 * was cleared with the seal).
 */
static int
same_line(const struct blob *p, const struct blob *q, int letter)
{
	int qy = q->y, qh = q->h, top, bot, minh, maxh, gap, spans;

	if (qh > letter) {
		/* a letter grown into the ring's or seal's ink: its line's */
		if (q->bot - q->top > letter)
			return 0;
		qy = q->top;
		qh = q->bot - q->top;
	}
	top = p->y > qy ? p->y : qy;
	bot = p->y + p->h < qy + qh ? p->y + p->h : qy + qh;
	minh = p->h < qh ? p->h : qh;
	maxh = p->h > qh ? p->h : qh;
	gap = p->x > q->x + q->w ? p->x - (q->x + q->w) :
	    q->x > p->x + p->w ? q->x - (p->x + p->w) : 0;
	spans = 10 * (bot - top) >= 9 * qh;
	if (spans && gap <= qh)
		return 1;
	if (bot - top < minh / 2 || maxh > 3 * minh)
		return 0;
	return gap <= maxh;
}

/*
 * Is blob P a tone or vowel mark of letter Q (a letter or two, not a
 * signature's scrawl): much smaller than Q, over
 * Q's columns, and above or below it by less than half Q's height?
 * Marks hang on letters only, never on other marks, so the curved text of
 * the stamp does not join the print letter by letter.
 */
static int
mark_of(const struct blob *p, const struct blob *q)
{
	int l = p->x > q->x ? p->x : q->x;
	int r = p->x + p->w < q->x + q->w ? p->x + p->w : q->x + q->w;
	int gap = p->y > q->y + q->h ? p->y - (q->y + q->h) :
	    q->y > p->y + p->h ? q->y - (p->y + p->h) : 0;

	return q->print == 1 && q->w <= 3 * q->h && 5 * p->h <= 3 * q->h &&
	    2 * (r - l) >= p->w &&
	    2 * gap <= q->h;
}

/*
 * What is left inside the stamp after its rings are gone -- curved text,
 * emblem or star, the office's name across the centre -- is erased,
 * except what stands on a line of print that runs out of the circle (the
 * signer's title and name, which the stamp overlaps by design).  A blob
 * is inside when nearly all its ink lies within radius R of (CX, CY); a
 * line of print is found by walking from the blobs outside the circle to
 * their neighbours on the same line and to the marks over their letters.
 */
static int
clear_inside(PIX *bin, double dpi, double cx, double cy, double r)
{
	int letter = (int)mm2px(dpi, LETTER_MAX_MM);
	BOX *clip;
	PIX *sub = NULL;
	PIXA *pixa = NULL;
	BOXA *boxa = NULL;
	struct blob *b = NULL;
	l_int32 x0, y0, cw, ch;
	int i, j, n, changed, rc = -1;

	x0 = (l_int32)(cx - 2 * r);
	y0 = (l_int32)(cy - 1.5 * r);
	clip = boxCreate(x0 < 0 ? 0 : x0, y0 < 0 ? 0 : y0, (l_int32)(4 * r),
	    (l_int32)(3 * r));
	if (clip == NULL)
		return -1;
	sub = pixClipRectangle(bin, clip, NULL);
	boxGetGeometry(clip, &x0, &y0, &cw, &ch);
	boxDestroy(&clip);
	if (sub == NULL ||
	    (boxa = pixConnComp(sub, &pixa, 8)) == NULL)
		goto out;
	n = boxaGetCount(boxa);
	b = calloc(n > 0 ? n : 1, sizeof(*b));
	if (b == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		PIX *p = pixaGetPix(pixa, i, L_CLONE);
		l_uint32 *data = pixGetData(p);
		int wpl = pixGetWpl(p), x, y, in = 0, all = 0;

		boxaGetBoxGeometry(boxa, i, &b[i].x, &b[i].y, &b[i].w,
		    &b[i].h);
		for (y = 0; y < b[i].h; y++)
			for (x = 0; x < b[i].w; x++) {
				double dx = x0 + b[i].x + x - cx;
				double dy = y0 + b[i].y + y - cy;

				if (!GET_DATA_BIT(data + y * wpl, x))
					continue;
				all++;
				in += dx * dx + dy * dy <= r * r;
			}
		pixDestroy(&p);
		b[i].inside = in >= 0.9 * all;
		b[i].print = !b[i].inside;
		b[i].top = b[i].y;
		b[i].bot = b[i].y + b[i].h;
	}
	/* letters first (a mark may turn out a letter), marks after */
	do {
		changed = 0;
		for (i = 0; i < n; i++)
			for (j = 0; j < n && b[i].print != 1; j++)
				if (b[j].print == 1 &&
				    same_line(&b[i], &b[j], letter)) {
					b[i].print = changed = 1;
					b[i].top = b[j].top;
					b[i].bot = b[j].bot;
				}
		for (i = 0; i < n; i++)
			for (j = 0; j < n && !b[i].print; j++)
				if (mark_of(&b[i], &b[j]))
					b[i].print = 2, changed = 1;
	} while (changed);
	for (i = 0; i < n; i++) {
		PIX *p;

		if (b[i].print)
			continue;
		p = pixaGetPix(pixa, i, L_CLONE);
		pixRasterop(bin, x0 + b[i].x, y0 + b[i].y, b[i].w, b[i].h,
		    PIX_DST & PIX_NOT(PIX_SRC), p, 0, 0);
		pixDestroy(&p);
	}
	rc = 0;
out:
	free(b);
	pixDestroy(&sub);
	pixaDestroy(&pixa);
	boxaDestroy(&boxa);
	return rc;
}

/*
 * Pixels of the reduced image RED (30-60 dpi) that could belong to a
 * ring: thin lines, what an opening by 3x3 removes (at this resolution
 * letters have merged into solid words, a ring is a line 1-2 px wide),
 * in pieces at least RING_ARC_MM long.
 */
static PIX *
ring_candidates(PIX *red, double rdpi)
{
	PIX *thin, *cand = NULL;

	thin = pixOpenBrick(NULL, red, 3, 3);
	if (thin == NULL)
		return NULL;
	pixSubtract(thin, red, thin);
	cand = pixSelectBySize(thin, (int)mm2px(rdpi, RING_ARC_MM),
	    (int)mm2px(rdpi, RING_ARC_MM), 8, L_SELECT_IF_EITHER,
	    L_SELECT_IF_GTE, NULL);
	pixDestroy(&thin);
	return cand;
}

/*
 * Find and erase up to RING_MAX stamps in BIN (DPI dots per inch), *PFOUND
 * of them: the best circle among the candidates (BIN reduced keeping a
 * pixel where RANK of its four are set), checked at full resolution,
 * erased, then its place cleared among the candidates and the next one
 * sought.
 */
static int
remove_rings(PIX *bin, double dpi, int rank, int *pfound)
{
	PIX *red = NULL, *cand = NULL;
	BOX *all = NULL;
	int levels = 0, tries, found = 0, rc = -1;
	double rdpi = dpi, f, thick;
	int rmin, rmax;

	*pfound = 0;
	/* reduce to 30-60 dpi: rings stay connected, letters merge */
	red = pixClone(bin);
	while (rdpi > 60 && levels < 4) {
		PIX *t = pixReduceRankBinary2(red, rank, NULL);

		pixDestroy(&red);
		if ((red = t) == NULL)
			return -1;
		rdpi /= 2;
		levels++;
	}
	f = (double)(1 << levels);
	rmin = (int)mm2px(rdpi, RING_MIN_MM);
	rmax = (int)(mm2px(rdpi, RING_MAX_MM) + 0.5);
	thick = mm2px(dpi, RING_THICK_MM);
	cand = ring_candidates(red, rdpi);
	all = cand != NULL ? boxCreate(0, 0, pixGetWidth(cand),
	    pixGetHeight(cand)) : NULL;
	if (all == NULL)
		goto out;
	{
		l_int32 ncand = 0;

		pixCountPixels(cand, &ncand, NULL);
		if (ncand > RING_MAX_CAND) {
			rc = 0;
			goto out;
		}
	}
	for (tries = 0; tries < RING_MAX + 2 && found < RING_MAX; tries++) {
		double cx = 0, cy = 0, r = 0, share;

		share = hough(cand, all, rmin, rmax, &cx, &cy, &r);
		if (share < RING_MIN_VOTES)
			break;
		pixRasterop(cand, (int)(cx - r - 2), (int)(cy - r - 2),
		    (int)(2 * r + 5), (int)(2 * r + 5), PIX_CLR, NULL, 0, 0);
		/* back to full resolution; check and erase there */
		cx = (cx + 0.5) * f - 0.5;
		cy = (cy + 0.5) * f - 0.5;
		r = refine(bin, &cx, &cy, r * f, f / 2, thick);
		r = refine(bin, &cx, &cy, r, 1.0, thick);
		r = erase_rings(bin, dpi, cx, cy, thick);
		if (r <= 0)
			continue;
		found++;
		if (clear_inside(bin, dpi, cx, cy, r + 2 * thick) != 0)
			goto out;
	}
	rc = 0;
out:
	*pfound = found;
	boxDestroy(&all);
	pixDestroy(&red);
	pixDestroy(&cand);
	return rc;
}

int
sohoa_stage_ring(struct sohoa_clean *c)
{
	int found = 0;

	if (c->disable & SOHOA_CLEAN_STAMP)
		return SOHOA_OK;
	/*
	 * A double ring (a thick outer one and a thin one just inside it)
	 * reduced with any of four pixels kept is one band too thick for a
	 * candidate; when no ring was found so, reduce with two of four
	 * kept: the thin ring fades, the thick one stays a line.  (Reducing
	 * only to 60-120 dpi found them too, but the Hough transform over
	 * the letters, no longer merged, cost 2.5 s on a page of text.)
	 */
	if (remove_rings(c->bin, c->dpi / c->scale, 1, &found) != 0 ||
	    (found == 0 && remove_rings(c->bin, c->dpi / c->scale, 2,
	    &found) != 0))
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	return SOHOA_OK;
}
