/*
 * Tests of the stamp ring stage (pipeline/stage_ring.c) on drawn pages:
 * a ring crossed by a line of "letters" (solid blocks) that runs out of
 * it loses its ring and the stamp's inner marks, while every letter, the
 * part on the line of a stroke crossing the ring and a mark over a letter
 * stay; a broken ring and a double one are found too; letters beyond one
 * grown into the seal's ink stay; a page of print without a stamp is left
 * as it was.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"
#include "check.h"

#define DPI 300
#define W 1400
#define H 1400
#define CX 600
#define CY 640
#define R 210		/* 17.8 mm, a commune seal */
#define INNER(twin) ((twin) ? 0.5 : 0.72)	/* inner ring / R */

static void
ring(PIX *pix, double cx, double cy, double r, double t, int broken)
{
	int x, y, x0 = (int)(cx - r - t), y0 = (int)(cy - r - t);
	int x1 = (int)(cx + r + t) + 1, y1 = (int)(cy + r + t) + 1;

	for (y = y0 > 0 ? y0 : 0; y < H && y <= y1; y++)
		for (x = x0 > 0 ? x0 : 0; x < W && x <= x1; x++) {
			double d = hypot(x - cx, y - cy);
			double a = atan2(y - cy, x - cx);

			/* broken: ink on 3 of every 5 twelve-degree arcs */
			if (broken && (int)floor((a + M_PI) / (M_PI / 15)) % 5 >= 3)
				continue;
			if (fabs(d - r) <= t / 2)
				pixSetPixel(pix, x, y, 1);
		}
}

static void
block(PIX *pix, int x, int y, int w, int h)
{
	pixRasterop(pix, x, y, w, h, PIX_SET, NULL, 0, 0);
}

static l_int32
ink(PIX *pix, int x, int y, int w, int h)
{
	BOX *b = boxCreate(x, y, w, h);
	l_int32 n = 0;

	pixCountPixelsInRect(pix, b, &n, NULL);
	boxDestroy(&b);
	return n;
}

/*
 * A stamp over the start of a name line: letters 30x45 every 42 px from
 * inside the ring to well outside it, a letter stroke 8 px wide crossing
 * the ring, a tone mark over the first letter, and inside the ring an
 * inner ring (INNER of R), a "star" and curved-text-like specks.  TWIN:
 * the ring is a thick one with a thin one just inside it, one band once
 * the page is reduced keeping any of four pixels, and the inner ring is
 * too small for a seal's.
 */
static PIX *
stamped_page(int broken, int twin)
{
	PIX *pix = pixCreate(W, H, 1);
	int i;

	pixSetResolution(pix, DPI, DPI);
	if (twin) {
		ring(pix, CX, CY, R, 11, 0);
		ring(pix, CX, CY, R - 15, 3, 0);
	} else
		ring(pix, CX, CY, R, 7, broken);
	ring(pix, CX, CY, R * INNER(twin), 4, 0);
	block(pix, CX - 45, CY - 90, 90, 90);		/* star */
	for (i = 0; i < 12; i++)			/* curved text */
		block(pix, (int)(CX + 0.86 * R * cos(M_PI * i / 6)) - 8,
		    (int)(CY + 0.86 * R * sin(M_PI * i / 6)) - 10, 16, 20);
	for (i = 0; i < 14; i++)			/* the name */
		block(pix, CX + 60 + 42 * i, CY + 170, 30, 45);
	block(pix, CX + 65, CY + 140, 20, 12);		/* its tone mark */
	block(pix, CX + 140, CY + 100, 8, 150);		/* a tall stroke */
	return pix;
}

static int
run(PIX **pbin, unsigned disable)
{
	struct sohoa_clean c = { 0 };
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	int rc;

	CHECK(ctx != NULL);
	c.ctx = ctx;
	c.bin = *pbin;
	c.dpi = DPI;
	c.scale = 1.0;
	c.disable = disable;
	rc = sohoa_stage_ring(&c);
	*pbin = c.bin;
	sohoa_ctx_destroy(&ctx);
	return rc;
}

static void
test_stamp(int broken, int twin)
{
	PIX *pix = stamped_page(broken, twin), *orig = pixCopy(NULL, pix);
	int i;

	CHECK_INT_EQ(SOHOA_OK, run(&pix, 0));
	/* the ring is gone away from the print: left, top, bottom-left */
	CHECK_INT_EQ(0, ink(pix, CX - R - 10, CY - 20, 20, 40));
	CHECK_INT_EQ(0, ink(pix, CX - 20, CY - R - 10, 40, 20));
	CHECK_INT_EQ(0, ink(pix, CX - R + 40, CY + 100, 40, 80));
	/* the inner ring, the star and the curved text too */
	CHECK_INT_EQ(0, ink(pix, CX - (int)(INNER(twin) * R) - 6, CY - 10, 12,
	    20));
	if (twin)
		CHECK_INT_EQ(0, ink(pix, CX - R + 8, CY - 20, 14, 40));
	CHECK_INT_EQ(0, ink(pix, CX - 45, CY - 90, 90, 90));
	CHECK_INT_EQ(0, ink(pix, CX - (int)(0.86 * R) - 8, CY - 10, 16, 20));
	/* every letter of the name keeps nearly all its ink */
	for (i = 0; i < 14; i++)
		CHECK(ink(pix, CX + 60 + 42 * i, CY + 170, 30, 45) >=
		    ink(orig, CX + 60 + 42 * i, CY + 170, 30, 45) * 9 / 10);
	CHECK_INT_EQ(20 * 12, ink(pix, CX + 65, CY + 140, 20, 12));
	/*
	 * a tall stroke crossing the ring keeps what is on the line and
	 * below, less the ring's width where it crosses; its top, cut off
	 * inside the stamp with a piece of ring, is given up (the cost of
	 * clearing the stamp)
	 */
	CHECK(ink(pix, CX + 140, CY + 160, 8, 90) >= 8 * 90 * 95 / 100);
	CHECK(ink(pix, CX + 140, CY + 150, 8, 100) >= 8 * 100 * 85 / 100);
	pixDestroy(&pix);
	pixDestroy(&orig);
}

/*
 * A line of letters running out of the ring whose letter at the ring is
 * joined to a long stroke (a piece of the seal's ink, taller than any
 * letter): the letters inside the ring beyond it still belong to the line
 * and stay -- the surname under the seal, lost whole before.
 */
static void
test_joined_letter(void)
{
	PIX *pix = stamped_page(0, 0), *orig;
	int i, y = CY + 20;

	for (i = 0; i < 10; i++)
		block(pix, CX + 100 + 42 * i, y, 30, 45);
	block(pix, CX + 186, CY - 80, 8, 160);		/* glued to one */
	orig = pixCopy(NULL, pix);
	CHECK_INT_EQ(SOHOA_OK, run(&pix, 0));
	for (i = 0; i < 10; i++)
		CHECK(ink(pix, CX + 100 + 42 * i, y, 30, 45) >=
		    ink(orig, CX + 100 + 42 * i, y, 30, 45) * 9 / 10);
	/* the star and the ring on the left are gone all the same */
	CHECK_INT_EQ(0, ink(pix, CX - 45, CY - 90, 90, 90));
	CHECK_INT_EQ(0, ink(pix, CX - R - 10, CY - 20, 20, 40));
	pixDestroy(&pix);
	pixDestroy(&orig);
}

/* Switched off, the stage changes nothing. */
static void
test_disabled(void)
{
	PIX *pix = stamped_page(0, 0), *orig = pixCopy(NULL, pix);
	l_int32 same = 0;

	CHECK_INT_EQ(SOHOA_OK, run(&pix, SOHOA_CLEAN_STAMP));
	pixEqual(pix, orig, &same);
	CHECK(same);
	pixDestroy(&pix);
	pixDestroy(&orig);
}

/*
 * Print without a stamp: lines of letters and a table rule stay as is;
 * THIN: letters of thin strokes (rings of an "o" and bars 3 px wide),
 * which the second search, keeping two of four pixels, does not merge.
 */
static void
test_no_stamp(int thin)
{
	PIX *pix = pixCreate(W, H, 1), *orig;
	l_int32 same = 0;
	int i, j;

	pixSetResolution(pix, DPI, DPI);
	for (j = 0; j < 20; j++)
		for (i = 0; i < 28; i++) {
			int x = 60 + 46 * i + (j % 3) * 5, y = 60 + 62 * j;

			if (!thin)
				block(pix, x, y, 4 + (i * 7 + j) % 28, 40);
			else if ((i + j) % 3 == 0)
				ring(pix, x + 15, y + 25, 14, 3, 0);
			else {
				block(pix, x, y, 3, 40);
				block(pix, x + 3, y + 20, 18, 3);
				block(pix, x + 21, y + 20, 3, 20);
			}
		}
	block(pix, 40, 1320, 1300, 3);
	orig = pixCopy(NULL, pix);
	CHECK_INT_EQ(SOHOA_OK, run(&pix, 0));
	pixEqual(pix, orig, &same);
	CHECK(same);
	pixDestroy(&pix);
	pixDestroy(&orig);
}

int
main(void)
{
	test_stamp(0, 0);
	test_stamp(1, 0);
	test_stamp(0, 1);
	test_joined_letter();
	test_disabled();
	test_no_stamp(0);
	test_no_stamp(1);
	return check_done("test_pipeline_ring");
}
