/*
 * Border stage: black scanner borders (the lid or the platen around a
 * smaller or skewed sheet) are found as large dark regions touching the
 * edge of a 4x reduced copy and painted white in the working copy, so that
 * neither deskew nor binarisation nor Tesseract's layout analysis sees
 * them.  The view image keeps them: it is the scan as it was.
 */
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/* Below this grey level (of 255) a reduced pixel counts as scanner black. */
#define BORDER_DARK 80

int
sohoa_stage_border(struct sohoa_clean *c)
{
	PIX *r2 = NULL, *r4 = NULL, *dark = NULL, *seed = NULL, *fill = NULL;
	PIX *mask = NULL, *big = NULL;
	l_int32 count = 0;
	int rc = SOHOA_OK;

	if (c->disable & SOHOA_CLEAN_BORDER)
		return SOHOA_OK;
	if ((r2 = pixScaleAreaMap2(c->grey)) == NULL ||
	    (r4 = pixScaleAreaMap2(r2)) == NULL ||
	    (dark = pixThresholdToBinary(r4, BORDER_DARK)) == NULL ||
	    (seed = pixCreateTemplate(dark)) == NULL) {
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* dark pixels on the outermost ring grow into the whole border */
	pixSetOrClearBorder(seed, 1, 1, 1, 1, PIX_SET);
	pixAnd(seed, seed, dark);
	pixCountPixels(seed, &count, NULL);
	if (count == 0)
		goto out;
	if ((fill = pixSeedfillBinary(NULL, seed, dark, 8)) == NULL ||
	    (mask = pixDilateBrick(NULL, fill, 5, 5)) == NULL ||
	    (big = pixExpandReplicate(mask, 4)) == NULL) {
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	pixPaintThroughMask(c->grey, big, 0, 0, 255);
out:
	pixDestroy(&r2);
	pixDestroy(&r4);
	pixDestroy(&dark);
	pixDestroy(&seed);
	pixDestroy(&fill);
	pixDestroy(&mask);
	pixDestroy(&big);
	return rc;
}
