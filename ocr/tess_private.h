/*
 * Thin wrapper around the Tesseract C API, private to the library: one
 * struct sohoa_tess per engine (so per thread), created once and reused
 * for every page.  pipeline/engine.c is its only user.
 */
#ifndef SOHOA_TESS_PRIVATE_H
#define SOHOA_TESS_PRIVATE_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/page.h"

struct Pix;
struct sohoa_tess;

/*
 * Load LANG (e.g. "vie", "vie+Vietnamese") from TESSDATA (NULL: the
 * default data directory), plus the OSD model when WANT_OSD.  A missing
 * traineddata file is SOHOA_ERR_OCR with a hint naming the Debian package.
 * Free with sohoa_tess_destroy(&t).
 */
int sohoa_tess_new(struct sohoa_ctx *ctx, const char *lang,
    const char *tessdata, int want_osd, struct sohoa_tess **ptess);
void sohoa_tess_destroy(struct sohoa_tess **ptess);

/*
 * Orientation of PIX (any depth, ideally a reduced binary copy at DPI):
 * *pdeg gets the clockwise rotation to apply to make the page upright
 * (0, 90, 180 or 270) and *pconf the OSD confidence (0 when OSD found
 * too little text).  Returns SOHOA_ERR_OCR only when OSD is not loaded.
 */
int sohoa_tess_orient(struct sohoa_ctx *ctx, struct sohoa_tess *t,
    struct Pix *pix, int dpi, int *pdeg, float *pconf);

/*
 * Mean word confidence (0..100) of recognising PIX as one block of text;
 * used to choose between rotations when OSD is unsure.
 */
int sohoa_tess_confidence(struct sohoa_ctx *ctx, struct sohoa_tess *t,
    struct Pix *pix, int dpi, float *pconf);

enum sohoa_tess_flags {
	SOHOA_TESS_HOCR = 1 << 0,	/* fill page->hocr */
	/*
	 * Drop leader-dot remnants from words and write the text from the
	 * words in reading order (side-by-side blocks one after the other)
	 * instead of Tesseract's own line order.
	 */
	SOHOA_TESS_TIDY = 1 << 1,
	/*
	 * GREY is a grey scan as it was, every ink in it: a stamp is a mid
	 * grey there, not taken out by colour (stage_grey.c) nor as black
	 * as the print (a bilevel scan).
	 */
	SOHOA_TESS_GREY_INK = 1 << 2,
};

/*
 * Recognise PIX at DPI and fill PAGE's text (NFC), confidence and words
 * (and hocr with SOHOA_TESS_HOCR).  Word boxes are multiplied by SCALE
 * (the ratio of the view image to PIX, which may have been upscaled) and
 * clipped to VIEW_W x VIEW_H.  PAGE's text and words must be empty.
 * GREY, when not NULL, is the same page in grey at the view's size, for
 * the second look that reads the date line larger (ocr/tess_date.c) and,
 * with SOHOA_TESS_GREY_INK, the signer's name past a stamp's lighter
 * ink (ocr/tess_signer.c).
 */
int sohoa_tess_recognize(struct sohoa_ctx *ctx, struct sohoa_tess *t,
    struct Pix *pix, struct Pix *grey, int dpi, double scale, int view_w,
    int view_h, unsigned flags, struct sohoa_page *page);

/*
 * Below this mean word confidence (or with fewer than 10 words) a
 * cleaned page is read again (sohoa_tess_unsure).
 */
#define SOHOA_TESS_GUARD_CONF 80.0f

/*
 * Never worse than plain OCR.  sohoa_tess_unsure says whether PAGE, read
 * from the cleaned image, looks like cleanup lost text: a low mean
 * confidence, almost no words.  Pages read well cost nothing more.
 * sohoa_tess_try then reads PIX, another image of the same page (as
 * scanned; or cleaned from a bold copy), as sohoa_tess_recognize would,
 * and gives PAGE that reading instead when it is clearly better: more
 * sure and as long, or much longer.
 */
int sohoa_tess_unsure(const struct sohoa_page *page);
int sohoa_tess_try(struct sohoa_ctx *ctx, struct sohoa_tess *t,
    struct Pix *pix, struct Pix *grey, int dpi, double scale, int view_w,
    int view_h, unsigned flags, struct sohoa_page *page);

#endif
