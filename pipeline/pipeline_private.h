/*
 * Private to the image pipeline: the page being cleaned up and the
 * cleanup stages (pipeline/stage_*.c) that engine.c runs in order.
 */
#ifndef SOHOA_PIPELINE_PRIVATE_H
#define SOHOA_PIPELINE_PRIVATE_H

#include "sohoa/sohoa.h"
#include "sohoa/pipeline.h"

struct Pix;
struct sohoa_tess;

/*
 * The page while it is being cleaned.  VIEW and GREY always have the same
 * geometry (what the user sees); BIN is what Tesseract reads, SCALE times
 * smaller than VIEW when it was upscaled.
 */
struct sohoa_clean {
	struct sohoa_ctx *ctx;
	struct sohoa_tess *tess;	/* for orientation */
	unsigned disable;	/* SOHOA_CLEAN_* steps to skip */
	struct Pix *view;	/* colour, grey or 1 bpp original, upright;
				   NULL when the caller wants no image */
	struct Pix *grey;	/* 8 bpp working copy, same geometry as view */
	int bilevel;		/* the scan was 1 bpp: GREY is only 0/255 */
	int bold;		/* thicken a bilevel scan's strokes first */
	struct Pix *bin;	/* 1 bpp, for OCR */
	int dpi;		/* resolution of VIEW */
	double scale;		/* VIEW pixels per BIN pixel */
	int orientation;	/* clockwise degrees applied */
	float orient_conf;	/* OSD confidence */
	int orient_unsure;	/* which way is up was not clear: the page
				   was left as scanned, for a person to see */
	float skew;		/* degrees corrected */
	int blank;		/* 1: nothing to read */
};

/*
 * The stages, in the order engine.c runs them.  Each returns SOHOA_OK or
 * an error code with the message on C->ctx, and replaces the images of C
 * it changes.
 */
int sohoa_stage_grey(struct sohoa_clean *c);	/* + red stamp separation */
int sohoa_stage_border(struct sohoa_clean *c);
int sohoa_stage_orient(struct sohoa_clean *c);
int sohoa_stage_deskew(struct sohoa_clean *c);
int sohoa_stage_background(struct sohoa_clean *c);
int sohoa_stage_binarize(struct sohoa_clean *c);	/* + upscaling */
int sohoa_stage_ring(struct sohoa_clean *c);	/* stamp rings, bilevel */
int sohoa_stage_leaders(struct sohoa_clean *c);
int sohoa_stage_blank(struct sohoa_clean *c);

/* ---- reading scans (load.c, pdf_in.c, spawn.c) ------------------------ */

/* More pages than this in one file is a loop or a hostile file. */
#define PIPELINE_MAX_PAGES 100000

struct sohoa_buf;
struct sohoa_word;

/*
 * A PDF read page by page with qpdf (pdf_in.c): a page that is one
 * scanned image is decoded from the image's own bytes at its native
 * resolution; any other page is rendered by poppler's pdftoppm, run as a
 * separate process when it is installed.
 */
struct pdf_in;

/* Open PATH; *pnpages gets its page count (checked before qpdf counts). */
int pdf_in_open(struct sohoa_ctx *ctx, const char *path,
    struct pdf_in **ppdf, int *pnpages);
void pdf_in_close(struct pdf_in **ppdf);
/* Page PAGENO as a viewer shows it, its resolution set. */
int pdf_in_read_page(struct sohoa_ctx *ctx, struct pdf_in *pdf, int pageno,
    struct Pix **ppix);
/*
 * The words of page PAGENO's text layer (pdftotext -bbox-layout), boxes
 * in the pixels of the W x H image pdf_in_read_page made of it; *pn is
 * 0 when the page shows no text.
 */
int pdf_in_page_words(struct sohoa_ctx *ctx, struct pdf_in *pdf, int pageno,
    int w, int h, struct sohoa_word **pwords, size_t *pn);

/* What an external program may use. */
struct pipeline_tool_limits {
	unsigned long long memory;	/* bytes of address space */
	unsigned long long cpu_seconds;
	int wall_seconds;
	size_t max_output;		/* bytes on stdout */
};

/* 1 and OUT = its path when program NAME is found in $PATH, else 0. */
int pipeline_tool_find(const char *name, struct sohoa_buf *out);
/*
 * Run ARGV (argv[0] a full path) in its own process group with stdin
 * from /dev/null and LIM's limits; its stdout is appended to OUT and the
 * start of its stderr to ERR.  SOHOA_ERR_FORMAT when it fails, is killed
 * or passes a limit (the message says which).
 */
int pipeline_tool_run(struct sohoa_ctx *ctx, const char *const *argv,
    const struct pipeline_tool_limits *lim, struct sohoa_buf *out,
    struct sohoa_buf *err);

#endif
