/*
 * Grey stage: the 8 bpp working copy that the other stages clean up, with
 * red stamp separation.  In a colour scan a red stamp is bright in the
 * red channel while black print is dark in every channel, so reddish
 * pixels are taken from the red channel (pushed a little further toward
 * the paper) and the print under the stamp survives binarisation.
 *
 * Asked for a bold copy (engine.c reads a badly read bilevel page again
 * so), a bilevel scan's strokes are thickened by a pixel on each side
 * here, before deskewing and cleanup: a light print or a worn scan
 * leaves them one or two pixels thin and broken, and cleanup takes
 * their pieces for noise.
 */
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

/* How much redder than green and blue a pixel must be to count as stamp. */
#define STAMP_MIN_EXCESS 40

static PIX *
grey_without_red(PIX *rgb)
{
	l_int32 w = pixGetWidth(rgb), h = pixGetHeight(rgb), x, y;
	l_int32 swpl = pixGetWpl(rgb), dwpl;
	l_uint32 *sline, *dline, *sdata, *ddata;
	PIX *grey;

	grey = pixCreate(w, h, 8);
	if (grey == NULL)
		return NULL;
	pixCopyResolution(grey, rgb);
	dwpl = pixGetWpl(grey);
	sdata = pixGetData(rgb);
	ddata = pixGetData(grey);
	for (y = 0; y < h; y++) {
		sline = sdata + y * swpl;
		dline = ddata + y * dwpl;
		for (x = 0; x < w; x++) {
			l_uint32 px = sline[x];
			int r = (px >> L_RED_SHIFT) & 0xff;
			int g = (px >> L_GREEN_SHIFT) & 0xff;
			int b = (px >> L_BLUE_SHIFT) & 0xff;
			int mx = g > b ? g : b, v;

			if (r - mx >= STAMP_MIN_EXCESS) {
				v = r + (r - mx) / 2;
				v = v > 255 ? 255 : v;
			} else {
				/* integer luminance, as pixConvertRGBToLuminance */
				v = (77 * r + 150 * g + 29 * b) >> 8;
			}
			SET_DATA_BYTE(dline, x, v);
		}
	}
	return grey;
}

int
sohoa_stage_grey(struct sohoa_clean *c)
{
	PIX *src = c->grey, *grey;

	switch (pixGetDepth(src)) {
	case 32:
		if (c->disable & SOHOA_CLEAN_STAMP)
			grey = pixConvertRGBToLuminance(src);
		else
			grey = grey_without_red(src);
		break;
	case 1:
		c->bilevel = 1;
		grey = pixConvert1To8(NULL, src, 255, 0);
		if (grey != NULL && c->bold) {
			PIX *t = pixErodeGray(grey, 3, 3);

			pixDestroy(&grey);
			grey = t;
		}
		break;
	default:
		grey = pixClone(src);
		break;
	}
	if (grey == NULL)
		return sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
	pixDestroy(&c->grey);
	c->grey = grey;
	return SOHOA_OK;
}
