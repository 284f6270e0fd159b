/*
 * Binarisation stage: pages under 250 dpi are first upscaled toward
 * 300 dpi (Tesseract's models are trained on text about 20-30 px high),
 * then thresholded with Sauvola's adaptive method, which keeps faint
 * strokes on low-contrast paper that a global Otsu threshold loses.
 * With the step switched off, a global Otsu threshold is used instead,
 * which is what Tesseract would have done.
 */
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/* Resolution the upscaling aims at. */
#define TARGET_DPI 300
/* Sauvola's k: higher removes more of a grey background. */
#define SAUVOLA_K 0.34f

static int
upscale(struct sohoa_clean *c, PIX **pgrey)
{
	float f;

	*pgrey = NULL;
	if ((c->disable & SOHOA_CLEAN_UPSCALE) || c->dpi >= 250 || c->bilevel) {
		*pgrey = pixClone(c->grey);
		return *pgrey != NULL ? 0 : -1;
	}
	f = (float)TARGET_DPI / (float)c->dpi;
	*pgrey = pixScaleGrayLI(c->grey, f, f);
	if (*pgrey == NULL)
		return -1;
	c->scale = (double)pixGetWidth(c->grey) / pixGetWidth(*pgrey);
	return 0;
}

int
sohoa_stage_binarize(struct sohoa_clean *c)
{
	PIX *grey = NULL, *bin = NULL;
	int ocr_dpi, half, rc = SOHOA_OK;

	if (upscale(c, &grey) != 0)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	ocr_dpi = (int)(c->dpi / c->scale + 0.5);
	if (c->bilevel) {
		bin = pixThresholdToBinary(grey, 128);
	} else if (c->disable & SOHOA_CLEAN_BINARIZE) {
		if (pixOtsuAdaptiveThreshold(grey, pixGetWidth(grey),
		    pixGetHeight(grey), 0, 0, 0.0, NULL, &bin) != 0)
			bin = NULL;
	} else {
		/* a window a few strokes wide: about 2 mm */
		half = ocr_dpi / 25;
		if (half < 4)
			half = 4;
		/* tiles of ~1000 px keep the integral images small and hot */
		if (pixSauvolaBinarizeTiled(grey, half, SAUVOLA_K,
		    pixGetWidth(grey) / 1000 + 1, pixGetHeight(grey) / 1000 + 1,
		    NULL, &bin) != 0)
			bin = NULL;
	}
	if (bin == NULL)
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM,
		    "cannot binarise the page");
	pixDestroy(&grey);
	pixDestroy(&c->bin);
	c->bin = bin;
	return rc;
}
