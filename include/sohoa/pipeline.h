/*
 * Image side of the pipeline: reading scans page by page, cleaning them
 * up with Leptonica and recognising them with Tesseract.
 *
 *   sohoa_image_open / _page_count / _read_page / _close   page reader
 *   sohoa_image_page_words                                 a PDF's text
 *   sohoa_image_estimate_dpi                               resolution
 *   sohoa_engine_new / _destroy                            one per thread
 *   sohoa_engine_process                                   cleanup + OCR of one page
 *   sohoa_engine_page                                      a page whose text is known
 */
#ifndef SOHOA_PIPELINE_H
#define SOHOA_PIPELINE_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/page.h"

struct Pix;

/*
 * Largest page we agree to decode, in pixels (width * height).  An A0
 * sheet at 600 dpi is about 700 Mpx; a 100000x100000 TIFF header is
 * refused before anything is allocated.  Overridable per reader.
 */
#define SOHOA_MAX_PIXELS ((size_t)200 * 1000 * 1000)

/* A scan file opened for page-by-page reading. */
struct sohoa_image;

/*
 * Open PATH (TIFF incl. multi-page and G4, PNG, JPEG, PNM, PDF), checking
 * the format by content, not by name.  A single-page file whose declared
 * size is over SOHOA_MAX_PIXELS is refused here, before anything is
 * decoded; in a multi-page TIFF or a PDF such a page fails alone in
 * sohoa_image_read_page.  A PDF that is encrypted with a password, has
 * no readable page tree or more than 100000 pages is refused here.
 * On failure *pimg is NULL and the message names the file and the reason
 * ("not a TIFF, PNG, JPEG, PNM or PDF file", "empty file", "truncated").
 * Pages are decoded one at a time: the whole file is never held in memory.
 * Free with sohoa_image_close(&img).  One thread at a time.
 */
int sohoa_image_open(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_image **pimg);
void sohoa_image_close(struct sohoa_image **pimg);
int sohoa_image_page_count(const struct sohoa_image *img);
/* Format name for messages and metadata: "tiff", "png", "jpeg", "pnm", "pdf". */
const char *sohoa_image_format(const struct sohoa_image *img);

/*
 * Decode page PAGENO (0-based) into *ppix (caller frees with pixDestroy).
 * Its resolution is set: from the tags when plausible, else estimated
 * from the page size (A4 is 210 mm wide).  A corrupt, truncated or
 * oversized page fails alone; the other pages stay readable.
 *
 * A PDF page that is one scanned image (DCT, CCITT G3/G4, Flate or plain
 * samples, JPX) comes out of that image as stored, at the resolution the
 * page gives it, turned as the page shows it.  Any other page (text or
 * drawings, several images, JBIG2, masks) is rendered by poppler's
 * pdftoppm, run as a separate process when it is in $PATH; without it
 * the page fails with a line saying why and naming poppler-utils.
 */
int sohoa_image_read_page(struct sohoa_ctx *ctx, struct sohoa_image *img,
    int pageno, struct Pix **ppix);

struct sohoa_word;

/*
 * The text page PAGENO already has (a PDF's text layer, e.g. a scanner's
 * OCR), read by poppler's pdftotext: *pwords gets its words in reading
 * order with their boxes in the pixels of PIX, the page as
 * sohoa_image_read_page made it; *pn is 0 when the page shows no text
 * (always, for images).  Free with sohoa_words_free(&words, n).
 * SOHOA_ERR_FORMAT when the page has text but pdftotext is missing.
 */
int sohoa_image_page_words(struct sohoa_ctx *ctx, struct sohoa_image *img,
    int pageno, const struct Pix *pix, struct sohoa_word **pwords,
    size_t *pn);
void sohoa_words_free(struct sohoa_word **pwords, size_t n);

/*
 * Resolution to use for a W x H page whose tags say TAG_DPI (0 when
 * untagged): the tag when it is plausible for a document page (70-1200
 * dpi, short side 2.5-17 inches), else an estimate from the page size
 * (an A4 sheet is 210 mm wide), kept within 150-600 dpi.
 */
int sohoa_image_estimate_dpi(int w, int h, double tag_dpi);

/* Options for the engine; zero-initialise then set what you need. */
struct sohoa_engine_opts {
	const char *lang;	/* Tesseract languages, default "vie" */
	const char *tessdata;	/* tessdata dir, default: Tesseract's own */
	int no_cleanup;		/* 1: OCR the raw page (for measurements) */
	unsigned disable;	/* SOHOA_CLEAN_* steps to skip (for measurements) */
	int want_image;		/* 1: fill page->image (ingest); 0: skip (extract) */
	int want_hocr;		/* 1: fill page->hocr */
};

/*
 * Cleanup steps, for switching one off when measuring its effect
 * (notes/pipeline.md has each one's measured effect).
 */
enum sohoa_clean_step {
	SOHOA_CLEAN_ORIENT = 1 << 0,	/* 0/90/180/270 */
	SOHOA_CLEAN_BORDER = 1 << 1,	/* black scanner borders */
	SOHOA_CLEAN_BACKGROUND = 1 << 2,	/* yellowed, uneven paper */
	SOHOA_CLEAN_DESKEW = 1 << 3,
	SOHOA_CLEAN_STAMP = 1 << 4,	/* red channel; ink cut in grey;
					   rings in bilevel */
	SOHOA_CLEAN_BINARIZE = 1 << 5,	/* Sauvola (off: global Otsu) */
	SOHOA_CLEAN_LEADERS = 1 << 6,	/* leaders, rules, specks; text
					   tidy and reading order */
	SOHOA_CLEAN_UPSCALE = 1 << 7,	/* pages under 190 dpi to 300 */
	SOHOA_CLEAN_BLANK = 1 << 8,	/* blank pages not OCR'd */
};

/*
 * An engine is one Tesseract instance plus scratch state.  It belongs to
 * one thread at a time; make one per worker.  Creating one loads the
 * language data (a missing vie.traineddata is SOHOA_ERR_OCR with a hint
 * naming the Debian package).
 */
struct sohoa_engine;

int sohoa_engine_new(struct sohoa_ctx *ctx, const struct sohoa_engine_opts *opts,
    struct sohoa_engine **peng);
void sohoa_engine_destroy(struct sohoa_engine **peng);

/*
 * Clean up and recognise one page (any depth; its resolution should be
 * set, as sohoa_image_read_page does, else it is estimated).  PIX's
 * pixels are not modified, but its reference count is, so a PIX is not
 * shared between threads during the call.  On success *ppage is a new
 * page (free with sohoa_page_destroy) with its pageno set to PAGENO;
 * its status may be BLANK (not OCR'd, empty text) or LOWCONF.  Word boxes
 * are in the coordinates of the upright, deskewed view image, which is
 * encoded into page->image when opts.want_image.  On failure *ppage is
 * NULL and the context says why; a page under 16 pixels either way is
 * SOHOA_ERR_FORMAT "image too small: 12x9 px ...".
 */
int sohoa_engine_process(struct sohoa_engine *eng, const struct Pix *pix,
    int pageno, struct sohoa_page **ppage);

/*
 * Make a page of PIX without recognising it, when its text is known: the
 * words of a PDF's own text layer (WORDS, boxes in PIX's pixels, their
 * confidences kept), or TEXT when WORDS is NULL (a separator sheet's
 * code).  STATUS is the page's (SOHOA_PAGE_OK, or _BLANK for a sheet,
 * which then belongs to no document).  No cleanup step runs: the view
 * image is PIX as it is, so the words still fit it.  *ppage as for
 * sohoa_engine_process.
 */
int sohoa_engine_page(struct sohoa_engine *eng, const struct Pix *pix,
    int pageno, const struct sohoa_word *words, size_t nwords,
    const char *text, int status, struct sohoa_page **ppage);

#endif
