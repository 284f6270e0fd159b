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

#endif
