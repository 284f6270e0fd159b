/*
 * Fuzz target for the page reader, the front end of every ingest: the
 * input is written to a file, opened with sohoa_image_open() and every
 * page (up to MAX_PAGES) decoded with sohoa_image_read_page().  A failure
 * must come back as an error code with a message naming the file; only a
 * crash, a sanitizer report or a leak is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/pipeline.h"
#include "fuzz_common.h"

/* Pages decoded per input: enough to reach the multi-page paths. */
#define MAX_PAGES 4

static char *path;
static struct sohoa_ctx *ctx;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL)
		abort();
	/* a neutral name: the reader must go by content */
	path = fuzz_path("page.img");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sohoa_image *img = NULL;
	PIX *pix = NULL;
	int i, n, rc;

	fuzz_write(path, data, size);
	rc = sohoa_image_open(ctx, path, &img);
	if (rc != SOHOA_OK) {
		/* an error always says why */
		if (img != NULL || sohoa_errmsg(ctx)[0] == '\0')
			abort();
		return 0;
	}
	n = sohoa_image_page_count(img);
	if (n < 1 || sohoa_image_format(img) == NULL)
		abort();
	for (i = 0; i < n && i < MAX_PAGES; i++) {
		rc = sohoa_image_read_page(ctx, img, i, &pix);
		if (rc == SOHOA_OK) {
			if (pix == NULL || pixGetXRes(pix) <= 0)
				abort();
			pixDestroy(&pix);
		} else if (pix != NULL || sohoa_errmsg(ctx)[0] == '\0') {
			abort();
		}
	}
	/* out of range is an error, not a read */
	if (sohoa_image_read_page(ctx, img, n, &pix) == SOHOA_OK)
		abort();
	sohoa_image_close(&img);
	if (img != NULL)
		abort();
	return 0;
}
