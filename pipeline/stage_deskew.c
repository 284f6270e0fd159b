/*
 * Deskew stage: the skew angle is measured on a reduced binary copy
 * (pixFindSkew works on line projections, which a 150 dpi copy keeps),
 * then the working copy and the view are rotated by it about their
 * centre, keeping their size, with white brought in at the corners.
 */
#include <math.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/*
 * Below this the page is left alone: Tesseract copes with a fraction of a
 * degree, and rotating costs time and sharpness (measured: deskewing the
 * clean samples, skewed 0.01-0.28 degrees, made their CER worse).
 */
#define SKEW_MIN_DEGREES 0.35f
/* pixFindSkew's confidence below which the angle is not trusted. */
#define SKEW_MIN_CONF 2.5f

static int
rotate(PIX **ppix, float deg)
{
	PIX *p;
	l_int32 type = pixGetDepth(*ppix) == 1 ? L_ROTATE_SHEAR :
	    L_ROTATE_AREA_MAP;

	p = pixRotate(*ppix, (float)(deg * M_PI / 180), type,
	    L_BRING_IN_WHITE, 0, 0);
	if (p == NULL)
		return -1;
	pixDestroy(ppix);
	*ppix = p;
	return 0;
}

int
sohoa_stage_deskew(struct sohoa_clean *c)
{
	PIX *r = NULL, *b = NULL;
	l_float32 angle = 0, conf = 0;

	if (c->disable & SOHOA_CLEAN_DESKEW)
		return SOHOA_OK;
	r = c->dpi >= 250 ? pixScaleAreaMap2(c->grey) : pixClone(c->grey);
	if (r == NULL || pixOtsuAdaptiveThreshold(r, pixGetWidth(r),
	    pixGetHeight(r), 0, 0, 0.0, NULL, &b) != 0 || b == NULL) {
		pixDestroy(&r);
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	pixDestroy(&r);
	if (pixFindSkew(b, &angle, &conf) != 0)
		conf = 0;
	pixDestroy(&b);
	if (conf < SKEW_MIN_CONF || fabsf(angle) < SKEW_MIN_DEGREES)
		return SOHOA_OK;
	if (rotate(&c->grey, angle) != 0 ||
	    (c->view != NULL && rotate(&c->view, angle) != 0))
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	c->skew = angle;
	return SOHOA_OK;
}
