/*
 * Bug 0001 (found by tests/cli_badinput.sh, issue 8): in a multi-page G4
 * TIFF whose page 2 has garbage in its strip data, libtiff reports
 * "Fax4Decode: Bad code word" but still fills the strip, and
 * sohoa_image_read_page() returned that page as read (it came out as a
 * blank page, so the ingest stored it as 'blank' and the clerk never
 * learnt a page was lost).  pipeline.h says a corrupt page fails alone:
 * page 2 must fail with a message naming it, pages 1 and 3 must read.
 *
 * Input: samples/bugs/0001-tiff-corrupt-g4-page.tif (3 pages, 800x300,
 * page 2's 945 bytes of G4 data overwritten; see samples/bugs/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/pipeline.h"
#include "check.h"

int
main(void)
{
	const char *src = getenv("SOHOA_SOURCE_DIR");
	struct sohoa_ctx *ctx;
	struct sohoa_image *img = NULL;
	struct sohoa_buf path = SOHOA_BUF_INIT;
	PIX *pix = NULL;
	int rc;

	CHECK_INT_EQ(SOHOA_OK, sohoa_buf_addf(&path, "%s/samples/bugs/"
	    "0001-tiff-corrupt-g4-page.tif", src ? src : SOHOA_SOURCE_DIR));
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	CHECK(ctx != NULL);
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, path.buf, &img));
	if (img == NULL) {
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
		sohoa_buf_release(&path);
		return check_done("test_bug_0001_tiff_corrupt_g4_page");
	}
	CHECK_INT_EQ(3, sohoa_image_page_count(img));

	CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	CHECK(pix != NULL);
	pixDestroy(&pix);

	rc = sohoa_image_read_page(ctx, img, 1, &pix);
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, rc);
	CHECK(pix == NULL);
	pixDestroy(&pix);
	CHECK(strstr(sohoa_errmsg(ctx), "page 2") != NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "0001-tiff-corrupt-g4-page.tif") !=
	    NULL);
	if (rc == SOHOA_OK)
		fprintf(stderr, "page 2 was read although its G4 data is "
		    "corrupt\n");
	else
		printf("page 2: %s\n", sohoa_errmsg(ctx));

	CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 2, &pix));
	CHECK(pix != NULL);
	pixDestroy(&pix);

	sohoa_image_close(&img);
	sohoa_ctx_destroy(&ctx);
	sohoa_buf_release(&path);
	return check_done("test_bug_0001_tiff_corrupt_g4_page");
}
