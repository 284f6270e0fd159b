/*
 * Blank-page stage: a page whose binary image holds fewer than a handful
 * of text-sized blobs (after a 4x reduction that merges letters into
 * words and drops speckle) is blank: it is recorded, not OCR'd.
 */
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/* Fewer text-like blobs than this and the page is blank. */
#define BLANK_MAX_BLOBS 3

int
sohoa_stage_blank(struct sohoa_clean *c)
{
	PIX *r = NULL, *sel = NULL;
	l_int32 n = 0, dpi, minsz, maxsz;

	if (c->disable & SOHOA_CLEAN_BLANK)
		return SOHOA_OK;
	r = pixReduceRankBinaryCascade(c->bin, 1, 1, 0, 0);
	if (r == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	/* at a quarter of the OCR resolution: 1.2 mm to 40 mm high */
	dpi = (l_int32)(c->dpi / c->scale / 4 + 0.5);
	minsz = (l_int32)(1.2 * dpi / 25.4 + 0.5);
	maxsz = (l_int32)(40 * dpi / 25.4 + 0.5);
	if (minsz < 2)
		minsz = 2;
	sel = pixSelectBySize(r, 0, minsz, 8, L_SELECT_HEIGHT,
	    L_SELECT_IF_GTE, NULL);
	pixDestroy(&r);
	if (sel == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	r = pixSelectBySize(sel, 0, maxsz, 8, L_SELECT_HEIGHT,
	    L_SELECT_IF_LTE, NULL);
	pixDestroy(&sel);
	if (r == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	pixCountConnComp(r, 8, &n);
	pixDestroy(&r);
	c->blank = n < BLANK_MAX_BLOBS;
	return SOHOA_OK;
}
