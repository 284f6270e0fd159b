/*
 * The engine: one Tesseract instance plus the cleanup stages, turning a
 * decoded page into a struct sohoa_page (text, words, view image).
 *
 *   sohoa_engine_new / _destroy
 *   sohoa_engine_process     cleanup (stage_*.c) + OCR (ocr/tess.c)
 *   sohoa_engine_page        a page whose text is known (no OCR)
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/pipeline.h"
#include "pipeline_private.h"
#include "../ocr/tess_private.h"

/* JPEG quality of the view image: text stays crisp at 80. */
#define VIEW_JPEG_QUALITY 80
/*
 * Smallest page side: Leptonica's adaptive thresholds (orientation,
 * deskew) need 16 pixels each way, and nothing narrower is a scanned page
 * (16 px is under 3 mm at the lowest resolution we assume).
 */
#define MIN_SIDE 16

struct sohoa_engine {
	struct sohoa_ctx *ctx;
	struct sohoa_tess *tess;
	struct sohoa_engine_opts opts;
};

int
sohoa_engine_new(struct sohoa_ctx *ctx, const struct sohoa_engine_opts *opts,
    struct sohoa_engine **peng)
{
	struct sohoa_engine *eng;
	int rc, want_osd;

	*peng = NULL;
	eng = calloc(1, sizeof(*eng));
	if (eng == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	eng->ctx = ctx;
	if (opts != NULL)
		eng->opts = *opts;
	if (eng->opts.lang == NULL || *eng->opts.lang == '\0')
		eng->opts.lang = "vie";
	want_osd = !eng->opts.no_cleanup &&
	    !(eng->opts.disable & SOHOA_CLEAN_ORIENT);
	rc = sohoa_tess_new(ctx, eng->opts.lang, eng->opts.tessdata, want_osd,
	    &eng->tess);
	if (rc != SOHOA_OK) {
		free(eng);
		return rc;
	}
	*peng = eng;
	return SOHOA_OK;
}

void
sohoa_engine_destroy(struct sohoa_engine **peng)
{
	if (peng == NULL || *peng == NULL)
		return;
	sohoa_tess_destroy(&(*peng)->tess);
	free(*peng);
	*peng = NULL;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Is PIX under MIN_SIDE either way?  The context then says so. */
static int
too_small(struct sohoa_engine *eng, const struct Pix *pix)
{
	if (pixGetWidth(pix) >= MIN_SIDE && pixGetHeight(pix) >= MIN_SIDE)
		return 0;
	sohoa_set_error(eng->ctx, SOHOA_ERR_FORMAT, "image too small: %dx%d px"
	    " (a page is at least %dx%d)", pixGetWidth(pix), pixGetHeight(pix),
	    MIN_SIDE, MIN_SIDE);
	return 1;
}

/*
 * Bring any decoded page to 1, 8 or 32 bpp without a colour map, which is
 * what the stages and the encoders expect.
 */
static PIX *
normalise_depth(PIX *pix)
{
	PIX *p1, *p2;

	if (pixGetColormap(pix) != NULL)
		p1 = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
	else
		p1 = pixClone(pix);
	if (p1 == NULL)
		return NULL;
	switch (pixGetDepth(p1)) {
	case 1: case 8: case 32:
		return p1;
	case 16:
		p2 = pixConvert16To8(p1, L_MS_BYTE);
		break;
	default:
		p2 = pixConvertTo8(p1, 0);
		break;
	}
	pixDestroy(&p1);
	return p2;
}

/* Encode the upright view as JPEG (colour, grey) or PNG (bilevel). */
static int
encode_view(struct sohoa_ctx *ctx, PIX *view, int dpi, struct sohoa_page *page)
{
	l_uint8 *data = NULL;
	size_t size = 0;
	int bad;

	pixSetResolution(view, dpi, dpi);
	if (pixGetDepth(view) == 1) {
		bad = pixWriteMemPng(&data, &size, view, 0.0);
		strcpy(page->image_type, "png");
	} else {
		bad = pixWriteMemJpeg(&data, &size, view, VIEW_JPEG_QUALITY, 0);
		strcpy(page->image_type, "jpeg");
	}
	if (bad || data == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
		    "cannot encode the page image");
	page->image = data;
	page->image_len = size;
	return SOHOA_OK;
}

static void
clean_release(struct sohoa_clean *c)
{
	pixDestroy(&c->view);
	pixDestroy(&c->grey);
	pixDestroy(&c->bin);
}

/* Run the cleanup stages in order, each unless switched off. */
static int
clean(struct sohoa_clean *c)
{
	static int (*const stages[])(struct sohoa_clean *) = {
		sohoa_stage_grey, sohoa_stage_border, sohoa_stage_orient,
		sohoa_stage_deskew, sohoa_stage_background,
		sohoa_stage_binarize, sohoa_stage_ring, sohoa_stage_leaders,
		sohoa_stage_blank,
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		rc = stages[i](c);
		if (rc != SOHOA_OK)
			return rc;
		if (c->blank)
			break;
	}
	return SOHOA_OK;
}

/*
 * For looking at what Tesseract is given: with SOHOA_DUMP_BIN=PREFIX in
 * the environment, the binary image of page N is written to PREFIX-N.png.
 */
static void
dump_bin(const struct sohoa_clean *c, int pageno)
{
	const char *prefix = getenv("SOHOA_DUMP_BIN");
	char path[4096];

	if (prefix == NULL || *prefix == '\0' ||
	    snprintf(path, sizeof(path), "%s-%d.png", prefix, pageno) >=
	    (int)sizeof(path))
		return;
	pixWrite(path, c->bin, IFF_PNG);
}

/*
 * Read a bilevel page again from a bold copy of SRC (as scanned): the
 * same cleanup, turned the way FIRST found up, strokes thickened first
 * (stage_grey.c).  PAGE keeps the bold reading when it is clearly better.
 */
static int
bold_reading(struct sohoa_engine *eng, PIX *src,
    const struct sohoa_clean *first, unsigned flags, struct sohoa_page *page)
{
	struct sohoa_clean c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.ctx = eng->ctx;
	c.tess = eng->tess;
	c.disable = eng->opts.disable | SOHOA_CLEAN_ORIENT;
	c.scale = 1.0;
	c.dpi = first->dpi;
	c.bold = 1;
	c.grey = pixRotateOrth(src, first->orientation / 90);
	if (c.grey == NULL)
		return sohoa_set_error(eng->ctx, SOHOA_ERR_NOMEM,
		    "out of memory");
	rc = clean(&c);
	if (rc == SOHOA_OK && !c.blank)
		rc = sohoa_tess_try(eng->ctx, eng->tess, c.bin, first->grey,
		    (int)(c.dpi / c.scale + 0.5), c.scale, page->width,
		    page->height, flags, page);
	clean_release(&c);
	return rc;
}

int
sohoa_engine_process(struct sohoa_engine *eng, const struct Pix *pix,
    int pageno, struct sohoa_page **ppage)
{
	struct sohoa_clean c;
	struct sohoa_page *page = NULL;
	PIX *src = NULL;
	double start = now();
	unsigned flags;
	int rc;

	*ppage = NULL;
	if (too_small(eng, pix))
		return SOHOA_ERR_FORMAT;
	memset(&c, 0, sizeof(c));
	c.ctx = eng->ctx;
	c.tess = eng->tess;
	c.disable = eng->opts.disable;
	c.scale = 1.0;
	page = calloc(1, sizeof(*page));
	/* Leptonica takes non-const images; the pixels are only read. */
	src = page != NULL ? normalise_depth((PIX *)pix) : NULL;
	if (src == NULL) {
		rc = sohoa_set_error(eng->ctx, SOHOA_ERR_NOMEM,
		    "out of memory");
		goto out;
	}
	page->pageno = pageno;
	c.dpi = sohoa_image_estimate_dpi(pixGetWidth(src), pixGetHeight(src),
	    pixGetXRes(src));
	if (eng->opts.want_image)
		c.view = pixClone(src);
	if (eng->opts.no_cleanup) {
		c.bin = pixClone(src);
	} else {
		c.grey = pixClone(src);
		rc = clean(&c);
		if (rc != SOHOA_OK)
			goto out;
	}
	page->width = pixGetWidth(c.view != NULL ? c.view : c.grey != NULL ?
	    c.grey : src);
	page->height = pixGetHeight(c.view != NULL ? c.view : c.grey != NULL ?
	    c.grey : src);
	page->dpi = c.dpi;
	page->orientation = c.orientation;
	page->skew = c.skew;
	if (c.blank) {
		page->status = SOHOA_PAGE_BLANK;
		page->text = strdup("");
		if (page->text == NULL) {
			rc = sohoa_set_error(eng->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			goto out;
		}
	} else {
		dump_bin(&c, pageno);
		flags = eng->opts.want_hocr ? SOHOA_TESS_HOCR : 0;
		if (!eng->opts.no_cleanup &&
		    !(eng->opts.disable & SOHOA_CLEAN_LEADERS))
			flags |= SOHOA_TESS_TIDY;
		/* a colour scan's stamp was taken out by colour */
		if (!(c.disable & SOHOA_CLEAN_STAMP) && pixGetDepth(src) == 8)
			flags |= SOHOA_TESS_GREY_INK;
		rc = sohoa_tess_recognize(eng->ctx, eng->tess, c.bin, c.grey,
		    (int)(c.dpi / c.scale + 0.5), c.scale, page->width,
		    page->height, flags, page);
		/*
		 * Cleanup must not lose text plain OCR would read
		 * (ocr/tess.c): a page read badly is read again, bold if
		 * it is bilevel, and as scanned.
		 */
		if (rc == SOHOA_OK && !eng->opts.no_cleanup &&
		    sohoa_tess_unsure(page)) {
			if (c.bilevel)
				rc = bold_reading(eng, src, &c, flags, page);
			if (rc == SOHOA_OK)
				rc = sohoa_tess_try(eng->ctx, eng->tess, c.grey,
				    c.grey, c.dpi, 1.0, page->width,
				    page->height, flags, page);
		}
		if (rc != SOHOA_OK)
			goto out;
		/* a page that may lie the wrong way needs a look as well */
		page->status = page->confidence < SOHOA_PAGE_LOWCONF_THRESHOLD ||
		    c.orient_unsure ? SOHOA_PAGE_LOWCONF : SOHOA_PAGE_OK;
	}
	if (c.view != NULL) {
		rc = encode_view(eng->ctx, c.view, c.dpi, page);
		if (rc != SOHOA_OK)
			goto out;
	}
	page->seconds = now() - start;
	*ppage = page;
	page = NULL;
	rc = SOHOA_OK;
out:
	clean_release(&c);
	pixDestroy(&src);
	sohoa_page_destroy(&page);
	return rc;
}

/* The text of WORDS: one line a line number, words split by spaces. */
static int
words_text(const struct sohoa_word *words, size_t n, struct sohoa_buf *out)
{
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (i > 0)
			rc = sohoa_buf_addch(out, words[i].line != words[i - 1].line ||
			    words[i].block != words[i - 1].block ? '\n' : ' ');
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(out, words[i].text);
	}
	if (rc == SOHOA_OK && n > 0)
		rc = sohoa_buf_addch(out, '\n');
	return rc;
}

int
sohoa_engine_page(struct sohoa_engine *eng, const struct Pix *pix,
    int pageno, const struct sohoa_word *words, size_t nwords,
    const char *text, int status, struct sohoa_page **ppage)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	struct sohoa_page *page = NULL;
	PIX *view = NULL;
	double start = now(), sum = 0;
	size_t i;
	int rc;

	*ppage = NULL;
	if (too_small(eng, pix))
		return SOHOA_ERR_FORMAT;
	page = calloc(1, sizeof(*page));
	view = page != NULL ? normalise_depth((PIX *)pix) : NULL;
	rc = view == NULL ? SOHOA_ERR_NOMEM : words != NULL ?
	    words_text(words, nwords, &t) : sohoa_buf_adds(&t, text ? text : "");
	if (rc == SOHOA_OK && nwords > 0 &&
	    (page->words = calloc(nwords, sizeof(*page->words))) == NULL)
		rc = SOHOA_ERR_NOMEM;
	for (i = 0; i < nwords && rc == SOHOA_OK; i++) {
		page->words[i] = words[i];
		page->words[i].text = strdup(words[i].text);
		if (page->words[i].text == NULL)
			rc = SOHOA_ERR_NOMEM;
		else
			page->nwords++;
		sum += words[i].conf;
	}
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(eng->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	page->pageno = pageno;
	page->width = pixGetWidth(view);
	page->height = pixGetHeight(view);
	page->dpi = sohoa_image_estimate_dpi(page->width, page->height,
	    pixGetXRes(view));
	page->status = status;
	page->confidence = nwords > 0 ? (float)(sum / (double)nwords) : 0;
	page->text = sohoa_buf_detach(&t, NULL);
	if (eng->opts.want_image) {
		rc = encode_view(eng->ctx, view, page->dpi, page);
		if (rc != SOHOA_OK)
			goto out;
	}
	page->seconds = now() - start;
	*ppage = page;
	page = NULL;
out:
	sohoa_buf_release(&t);
	pixDestroy(&view);
	sohoa_page_destroy(&page);
	return rc;
}
