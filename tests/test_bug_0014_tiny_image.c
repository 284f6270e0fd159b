/*
 * Bug 0014 (issue 14, item 11): a page image under 16 pixels either way
 * (an icon or a thumbnail in the scan folder) failed with "out of
 * memory": Leptonica's adaptive threshold in the deskew stage refuses
 * images that small and returns NULL.  It must fail with a line that
 * says what is wrong ("image too small: 12x9 px"), and images of 16
 * pixels and more must go through every stage, however thin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "sohoa/pipeline.h"
#include "check.h"

static struct sohoa_ctx *ctx;
static struct sohoa_engine *eng;

/* A W x H page of depth D with a dark block in it. */
static PIX *
page(int w, int h, int d)
{
	PIX *p = pixCreate(w, h, d);
	BOX *b = boxCreate(w / 4, h / 4, w / 3 + 1, h / 3 + 1);

	if (d > 1)
		pixSetAll(p);
	if (d == 1)
		pixSetInRect(p, b);
	else
		pixClearInRect(p, b);
	boxDestroy(&b);
	return p;
}

static int
process(PIX *pix)
{
	struct sohoa_page *pg = NULL;
	int rc = sohoa_engine_process(eng, pix, 0, &pg);

	CHECK((rc == SOHOA_OK) == (pg != NULL));
	sohoa_page_destroy(&pg);
	return rc;
}

static void
too_small(int w, int h)
{
	char want[64];
	int d;

	snprintf(want, sizeof(want), "image too small: %dx%d px", w, h);
	for (d = 1; d <= 32; d *= d == 1 ? 8 : 4) {
		PIX *p = page(w, h, d);

		CHECK_INT_EQ(SOHOA_ERR_FORMAT, process(p));
		if (strstr(sohoa_errmsg(ctx), want) == NULL) {
			fprintf(stderr, "%dx%d, %d bpp: want \"%s\", got \"%s\"\n",
			    w, h, d, want, sohoa_errmsg(ctx));
			CHECK(!"clear message");
		}
		pixDestroy(&p);
	}
}

static void
small_enough(int w, int h)
{
	int d;

	for (d = 1; d <= 32; d *= d == 1 ? 8 : 4) {
		PIX *p = page(w, h, d);

		int rc = process(p);

		CHECK_INT_EQ(SOHOA_OK, rc);
		if (rc != SOHOA_OK)
			fprintf(stderr, "%dx%d, %d bpp: %s\n", w, h, d,
			    sohoa_errmsg(ctx));
		pixDestroy(&p);
	}
}

/* The whole way from a file: open, read, process. */
static void
from_file(void)
{
	char dir[] = "/tmp/sohoa-test-0014-tiny-XXXXXX", path[80];
	struct sohoa_image *img = NULL;
	PIX *p, *pix = NULL;

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/icon.png", dir);
	p = page(12, 9, 8);
	pixWrite(path, p, IFF_PNG);
	pixDestroy(&p);
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, path, &img));
	if (img != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	if (pix != NULL) {
		CHECK_INT_EQ(SOHOA_ERR_FORMAT, process(pix));
		CHECK(strstr(sohoa_errmsg(ctx), "image too small: 12x9 px") !=
		    NULL);
	}
	pixDestroy(&pix);
	sohoa_image_close(&img);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	struct sohoa_engine_opts o;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	memset(&o, 0, sizeof(o));
	o.want_image = 1;
	if (sohoa_engine_new(ctx, &o, &eng) != SOHOA_OK) {
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
		return 1;
	}
	too_small(12, 9);
	too_small(1, 1);
	too_small(15, 15);
	too_small(2000, 5);
	too_small(3, 200);
	small_enough(16, 16);
	small_enough(2000, 16);
	small_enough(16, 2000);
	small_enough(40, 17);
	from_file();
	sohoa_engine_destroy(&eng);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_bug_0014_tiny_image");
}
