/*
 * Lines the page layout lost, read again (ocr/tess_lost.c,
 * sohoa_tess_lost_lines), with real OCR of the committed bilevel sample
 * samples/death-clean-g4.tif as scanned (seal, signature, dotted
 * leaders in it): nothing is read from the seal or the signature, and
 * the words of lines taken out of the page's reading (the title, the
 * number-and-date row, a labelled row) come back at their places, each
 * before the words below it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "tess_look.h"
#include "check.h"

static struct sohoa_ctx *ctx;

/* The line number of the first word of PAGE whose text starts with S. */
static int
line_of(const struct sohoa_page *page, const char *s)
{
	size_t i;

	for (i = 0; i < page->nwords; i++)
		if (strncmp(page->words[i].text, s, strlen(s)) == 0)
			return page->words[i].line;
	return -1;
}

/*
 * Take the words of line LINE out of PAGE; those read surely, with two
 * letters or more, appended to GONE (texts owned by GONE).
 */
static void
drop_line(struct sohoa_page *page, int line, struct sohoa_page *gone)
{
	size_t i, n = 0;

	for (i = 0; i < page->nwords; i++) {
		struct sohoa_word *w = &page->words[i];

		if (w->line != line) {
			page->words[n++] = *w;
			continue;
		}
		if (w->conf >= 80 &&
		    sohoa_tess_count(w->text, SOHOA_TESS_ALNUM) >= 2) {
			gone->words[gone->nwords++] = *w;
			continue;
		}
		free(w->text);
	}
	page->nwords = n;
}

/* 1 when boxes A and B overlap. */
static int
overlap(const struct sohoa_word *a, const struct sohoa_word *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 &&
	    b->y0 < a->y1;
}

/*
 * Word G of a dropped line is in PAGE again, the same text at the same
 * place, and no word standing below it in its columns comes before it.
 */
static void
check_back(const struct sohoa_page *page, const struct sohoa_word *g)
{
	size_t i;

	for (i = 0; i < page->nwords; i++)
		if (strcmp(page->words[i].text, g->text) == 0 &&
		    overlap(&page->words[i], g))
			break;
	if (i == page->nwords) {
		fprintf(stderr, "word '%s' not read again\n", g->text);
		CHECK(0);
		return;
	}
	while (i-- > 0)
		if (page->words[i].y0 > g->y1 && page->words[i].x0 < g->x1 &&
		    page->words[i].x1 > g->x0) {
			fprintf(stderr, "'%s' placed after '%s' below it\n",
			    g->text, page->words[i].text);
			CHECK(0);
			return;
		}
}

int
main(void)
{
	struct sohoa_page page, gone;
	struct sohoa_buf path = SOHOA_BUF_INIT;
	const char *dir = getenv("SOHOA_SOURCE_DIR");
	const char *starts[3] = { "TRÍCH", "Số:", "Nơi" };
	TessBaseAPI *api;
	PIX *pix;
	size_t i, n;
	int w, h, line, signer_y = -1, maxline = 0;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	memset(&page, 0, sizeof(page));
	memset(&gone, 0, sizeof(gone));
	sohoa_buf_addf(&path, "%s/samples/death-clean-g4.tif",
	    dir ? dir : SOHOA_SOURCE_DIR);
	pix = pixRead(path.buf);
	sohoa_buf_release(&path);
	CHECK(pix != NULL && pixGetDepth(pix) == 1);
	api = TessBaseAPICreate();
	if (api != NULL && TessBaseAPIInit3(api, NULL, "vie") != 0) {
		fprintf(stderr, "test_ocr_lost: cannot load Tesseract's vie "
		    "(apt-get install tesseract-ocr-vie)\n");
		TessBaseAPIDelete(api);
		api = NULL;
	}
	CHECK(api != NULL);
	if (pix == NULL || api == NULL)
		goto out;
	w = pixGetWidth(pix);
	h = pixGetHeight(pix);
	TessBaseAPISetImage2(api, pix);
	TessBaseAPISetSourceResolution(api, 300);
	CHECK_INT_EQ(0, TessBaseAPIRecognize(api, NULL));
	CHECK_INT_EQ(SOHOA_OK, sohoa_tess_words(ctx, api, 0, 0, 1.0, w, h, 1,
	    &page));
	CHECK(page.nwords > 100);

	/*
	 * Under the signer's title ("NGƯỜI KÝ TRÍCH LỤC") lie the seal and
	 * the signature: nothing of them is read again as a lost line.
	 */
	for (i = 0; i < page.nwords && signer_y < 0; i++)
		if (strcmp(page.words[i].text, "NGƯỜI") == 0)
			signer_y = page.words[i].y0;
	CHECK(signer_y > h / 3);
	for (i = 0; i < page.nwords; i++)
		maxline = page.words[i].line > maxline ? page.words[i].line :
		    maxline;
	CHECK_INT_EQ(SOHOA_OK, sohoa_tess_lost_lines(ctx, api, pix, 300, 1.0,
	    w, h, &page));
	for (i = 0; i < page.nwords; i++)
		if (page.words[i].line > maxline &&
		    page.words[i].y1 > signer_y) {
			fprintf(stderr, "'%s' read from the seal or "
			    "signature\n", page.words[i].text);
			CHECK(0);
		}

	/*
	 * The title, the number-and-date row and the first "Nơi ..." row
	 * taken out as a layout that lost them would: their words come
	 * back, each in its place.
	 */
	gone.words = calloc(page.nwords, sizeof(*gone.words));
	CHECK(gone.words != NULL);
	if (gone.words == NULL)
		goto out;
	for (i = 0; i < 3; i++) {
		line = line_of(&page, starts[i]);
		CHECK(line >= 0);
		drop_line(&page, line, &gone);
	}
	CHECK(gone.nwords >= 15);
	n = page.nwords;
	CHECK_INT_EQ(SOHOA_OK, sohoa_tess_lost_lines(ctx, api, pix, 300, 1.0,
	    w, h, &page));
	CHECK(page.nwords > n);
	for (i = 0; i < gone.nwords; i++)
		check_back(&page, &gone.words[i]);

out:
	sohoa_page_release(&page);
	sohoa_page_release(&gone);
	if (api != NULL) {
		TessBaseAPIEnd(api);
		TessBaseAPIDelete(api);
	}
	pixDestroy(&pix);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_ocr_lost");
}
