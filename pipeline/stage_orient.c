/*
 * Orientation stage: finds whether the page lies at 0, 90, 180 or 270
 * degrees and turns the working copy (and the view) upright.
 *
 * Three opinions, cheapest first, on a binary copy at about 150 dpi:
 * Leptonica's ascender/descender count (pixOrientDetect, ~20 ms) settles
 * nearly every page; when it is unsure, Tesseract's OSD (0.1-0.4 s) is
 * asked; when OSD is unsure too, the recognition confidence of a band of
 * the page turned OSD's way and the opposite way decides.
 */
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"
#include "../ocr/tess_private.h"

/* OSD confidence above which its answer is taken without a check. */
#define ORIENT_SURE 2.0f
/*
 * pixOrientDetect confidence above which it is believed (upright pages of
 * the samples score 6.5-18 up, with the other direction under half).
 */
#define LEPT_SURE 5.0f

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

/* Recognition confidence of the middle band of BIN turned by DEG. */
static int
band_confidence(struct sohoa_clean *c, PIX *bin, int dpi, int deg,
    float *pconf)
{
	PIX *rot, *band;
	BOX *box;
	int rc;

	*pconf = 0;
	rot = pixRotateOrth(bin, deg / 90);
	if (rot == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	box = boxCreate(0, pixGetHeight(rot) / 3, pixGetWidth(rot),
	    pixGetHeight(rot) / 3);
	band = box != NULL ? pixClipRectangle(rot, box, NULL) : NULL;
	boxDestroy(&box);
	pixDestroy(&rot);
	if (band == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = sohoa_tess_confidence(c->ctx, c->tess, band, dpi, pconf);
	pixDestroy(&band);
	return rc;
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

int
sohoa_stage_orient(struct sohoa_clean *c)
{
	PIX *bin;
	float conf = 0, c0 = 0, c1 = 0;
	int dpi = 0, deg = 0, alt, rc = SOHOA_OK;

	if (c->disable & SOHOA_CLEAN_ORIENT)
		return SOHOA_OK;
	bin = reduced_binary(c, &dpi);
	if (bin == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	deg = lept_orientation(bin, &conf);
	if (deg < 0)
		rc = sohoa_tess_orient(c->ctx, c->tess, bin, dpi, &deg, &conf);
	if (rc == SOHOA_OK && conf < ORIENT_SURE) {
		/*
		 * Neither is sure (OSD often answers 0 with no confidence on
		 * noisy sideways pages): read a band of the page each of the
		 * four ways and keep the most confident reading.
		 */
		float best = -1, bc;
		int d;

		for (d = 0; d < 360 && rc == SOHOA_OK; d += 90) {
			rc = band_confidence(c, bin, dpi, d, &bc);
			if (rc == SOHOA_OK && bc > best) {
				best = bc;
				deg = d;
			}
		}
	} else if (rc == SOHOA_OK && (deg == 90 || deg == 270)) {
		/*
		 * A quarter turn is where a sure opinion still most often picks
		 * the wrong one of the two directions, and a page lying sideways
		 * is rare enough that two band readings are cheap there.
		 */
		alt = (deg + 180) % 360;
		rc = band_confidence(c, bin, dpi, deg, &c0);
		if (rc == SOHOA_OK)
			rc = band_confidence(c, bin, dpi, alt, &c1);
		if (rc == SOHOA_OK && c1 > c0)
			deg = alt;
	}
	pixDestroy(&bin);
	c->orient_conf = conf;
	if (rc == SOHOA_OK)
		rc = turn(c, deg);
	return rc;
}
