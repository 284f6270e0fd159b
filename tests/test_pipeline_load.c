/*
 * Tests of the page reader (pipeline/load.c) on good and bad inputs made
 * here: every format, multi-page TIFF with a corrupt page, zero-byte,
 * truncated and fake files, and a 100000x100000 TIFF header that must be
 * refused before anything is allocated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/pipeline.h"
#include "check.h"

static char tmpdir[] = "/tmp/sohoa-test-load-XXXXXX";
static struct sohoa_ctx *ctx;

static char *
tmp(const char *name)
{
	static char path[4][256];
	static int k;
	char *p = path[k++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void
write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(fwrite(data, 1, len, f) == len);
	fclose(f);
}

static long
file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

/* A page with some black text-like bars, W x H, depth D. */
static PIX *
make_page(int w, int h, int d)
{
	PIX *pix = pixCreate(w, h, 1);
	PIX *out;
	int y;

	for (y = h / 10; y < h - h / 10; y += h / 20)
		pixRasterop(pix, w / 10, y, w * 8 / 10, h / 60 + 1, PIX_SET,
		    NULL, 0, 0);
	if (d == 1)
		return pix;
	out = d == 8 ? pixConvert1To8(NULL, pix, 255, 0) : pixConvertTo32(pix);
	pixDestroy(&pix);
	return out;
}

/* Open PATH expecting failure with RC and a message containing WANT. */
static void
expect_open_error(const char *path, int rc, const char *want)
{
	struct sohoa_image *img = (struct sohoa_image *)&img;

	CHECK_INT_EQ(rc, sohoa_image_open(ctx, path, &img));
	CHECK(img == NULL);
	if (strstr(sohoa_errmsg(ctx), want) == NULL ||
	    strstr(sohoa_errmsg(ctx), path) == NULL) {
		fprintf(stderr, "message \"%s\" lacks \"%s\" or the path\n",
		    sohoa_errmsg(ctx), want);
		CHECK(0);
	}
	/* one line */
	CHECK(strchr(sohoa_errmsg(ctx), '\n') == NULL);
}

static void
test_bad_files(void)
{
	static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
	static const char text[] = "Họ, chữ đệm, tên: Nguyễn Văn A\n";

	write_bytes(tmp("empty.tif"), "", 0);
	expect_open_error(tmp("empty.tif"), SOHOA_ERR_FORMAT, "empty file");
	write_bytes(tmp("fake.tif"), pdf, sizeof(pdf) - 1);
	/* a PDF named .tif is read as the PDF it is: a broken one */
	expect_open_error(tmp("fake.tif"), SOHOA_ERR_FORMAT, "broken PDF");
	write_bytes(tmp("notes.png"), text, sizeof(text) - 1);
	expect_open_error(tmp("notes.png"), SOHOA_ERR_FORMAT,
	    "not a TIFF, PNG, JPEG, PNM or PDF file");
	write_bytes(tmp("short.jpg"), "\xff\xd8", 2);
	expect_open_error(tmp("short.jpg"), SOHOA_ERR_FORMAT,
	    "not a TIFF, PNG, JPEG, PNM or PDF file");
	expect_open_error(tmp("missing.tif"), SOHOA_ERR_NOTFOUND,
	    "No such file");
	expect_open_error(tmpdir, SOHOA_ERR_INPUT, "is a directory");
}

/* Cut PATH to FRACTION of its size. */
static void
truncate_file(const char *path, double fraction)
{
	long n = file_size(path);

	CHECK(n > 0);
	CHECK(truncate(path, (off_t)(n * fraction)) == 0);
}

static void
test_truncated(void)
{
	PIX *pix = make_page(600, 800, 8);

	CHECK(pixWrite(tmp("cut.png"), pix, IFF_PNG) == 0);
	truncate_file(tmp("cut.png"), 0.5);
	expect_open_error(tmp("cut.png"), SOHOA_ERR_FORMAT, "truncated");
	CHECK(pixWrite(tmp("cut.jpg"), pix, IFF_JFIF_JPEG) == 0);
	truncate_file(tmp("cut.jpg"), 0.5);
	expect_open_error(tmp("cut.jpg"), SOHOA_ERR_FORMAT, "truncated");
	CHECK(pixWrite(tmp("cut.pgm"), pix, IFF_PNM) == 0);
	truncate_file(tmp("cut.pgm"), 0.5);
	expect_open_error(tmp("cut.pgm"), SOHOA_ERR_FORMAT, "truncated PNM");
	write_bytes(tmp("short.pgm"), "P5\n1000 1000\n255\nabc", 19);
	expect_open_error(tmp("short.pgm"), SOHOA_ERR_FORMAT, "truncated PNM");
	/* libtiff writes the directory last: a cut TIFF has none */
	CHECK(pixWrite(tmp("cut.tif"), pix, IFF_TIFF_ZIP) == 0);
	truncate_file(tmp("cut.tif"), 0.5);
	expect_open_error(tmp("cut.tif"), SOHOA_ERR_FORMAT, "TIFF");
	pixDestroy(&pix);
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/*
 * A little-endian TIFF whose one directory declares W x H bilevel
 * pixels, with 16 bytes of data: decoding it would need gigabytes.
 */
static void
write_huge_tiff(const char *path, uint32_t w, uint32_t h)
{
	static const struct { unsigned tag, type; uint32_t value; } e[] = {
		{ 256, 4, 0 }, { 257, 4, 0 }, { 258, 3, 1 }, { 259, 3, 1 },
		{ 262, 3, 0 }, { 273, 4, 8 }, { 277, 3, 1 }, { 278, 4, 0 },
		{ 279, 4, 16 },
	};
	unsigned char buf[8 + 16 + 2 + 9 * 12 + 4];
	size_t i, n = sizeof(e) / sizeof(e[0]);
	unsigned char *p;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, "II*\0", 4);
	put32(buf + 4, 8 + 16);
	p = buf + 8 + 16;
	put16(p, (unsigned)n);
	p += 2;
	for (i = 0; i < n; i++, p += 12) {
		uint32_t v = e[i].value;

		if (e[i].tag == 256)
			v = w;
		else if (e[i].tag == 257 || e[i].tag == 278)
			v = h;
		put16(p, e[i].tag);
		put16(p + 2, e[i].type);
		put32(p + 4, 1);
		if (e[i].type == 3)
			put16(p + 8, v);
		else
			put32(p + 8, v);
	}
	write_bytes(path, buf, sizeof(buf));
}

static void
test_huge(void)
{
	write_huge_tiff(tmp("huge.tif"), 100000, 100000);
	expect_open_error(tmp("huge.tif"), SOHOA_ERR_FORMAT,
	    "100000x100000 pixels is over the limit");
}

/*
 * Point page PAGENO's StripOffsets past the end of the file, as a cut or
 * corrupt scan would.  Walks the directories of a little-endian TIFF.
 */
static int
corrupt_page(const char *path, int pageno)
{
	long size = file_size(path);
	unsigned char *buf = malloc((size_t)size);
	FILE *f = fopen(path, "r+b");
	uint32_t off;
	unsigned n, i, tag;
	int page, done = 0;

	if (buf == NULL || f == NULL || fread(buf, 1, (size_t)size, f) !=
	    (size_t)size || memcmp(buf, "II", 2) != 0)
		goto out;
	off = buf[4] | buf[5] << 8 | buf[6] << 16 | (uint32_t)buf[7] << 24;
	for (page = 0; off != 0 && off + 2 <= (uint32_t)size; page++) {
		n = buf[off] | buf[off + 1] << 8;
		for (i = 0; i < n && page == pageno; i++) {
			unsigned char *e = buf + off + 2 + 12 * i;

			tag = e[0] | e[1] << 8;
			if (tag == 273) {
				put32(e + 8, (uint32_t)size + 4096);
				done = 1;
			}
		}
		if (page == pageno)
			break;
		off += 2 + 12 * n;
		off = buf[off] | buf[off + 1] << 8 | buf[off + 2] << 16 |
		    (uint32_t)buf[off + 3] << 24;
	}
	if (done) {
		fseek(f, 0, SEEK_SET);
		done = fwrite(buf, 1, (size_t)size, f) == (size_t)size;
	}
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return done;
}

static void
test_multipage(void)
{
	struct sohoa_image *img = NULL;
	PIX *pages[3], *pix = NULL;
	int i, rc;

	for (i = 0; i < 3; i++) {
		pages[i] = make_page(800 + 100 * i, 1100, 1);
		pixSetResolution(pages[i], 200, 200);
		CHECK(pixWriteTiff(tmp("multi.tif"), pages[i], IFF_TIFF_G4,
		    i == 0 ? "w" : "a") == 0);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, tmp("multi.tif"), &img));
	if (img == NULL)
		return;
	CHECK_INT_EQ(3, sohoa_image_page_count(img));
	CHECK_STR_EQ("tiff", sohoa_image_format(img));
	/* out of order on purpose: each page is found by its own offset */
	for (i = 2; i >= 0; i--) {
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, i, &pix));
		if (pix == NULL)
			continue;
		CHECK_INT_EQ(800 + 100 * i, pixGetWidth(pix));
		CHECK_INT_EQ(1, pixGetDepth(pix));
		/* 1100 px high is not a plausible page at 200 dpi: estimated */
		CHECK(pixGetXRes(pix) >= 150);
		pixDestroy(&pix);
	}
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_image_read_page(ctx, img, 3, &pix));
	sohoa_image_close(&img);
	CHECK(img == NULL);
	sohoa_image_close(&img);	/* NULL-safe */

	/* page 2 broken: it fails alone, with the page and the reason */
	CHECK(corrupt_page(tmp("multi.tif"), 1));
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, tmp("multi.tif"), &img));
	if (img == NULL)
		return;
	CHECK_INT_EQ(3, sohoa_image_page_count(img));
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	pixDestroy(&pix);
	rc = sohoa_image_read_page(ctx, img, 1, &pix);
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, rc);
	CHECK(pix == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "page 2 of") != NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "truncated") != NULL);
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 2, &pix));
	CHECK(pix != NULL && pixGetWidth(pix) == 1000);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	for (i = 0; i < 3; i++)
		pixDestroy(&pages[i]);
}

/* Every single-page format, and resolution from tags or page size. */
static void
test_formats(void)
{
	static const struct {
		const char *name;
		int format, depth;
	} f[] = {
		{ "page.png", IFF_PNG, 8 },
		{ "page.jpg", IFF_JFIF_JPEG, 32 },
		{ "page.pnm", IFF_PNM, 8 },
		{ "page-g4.tif", IFF_TIFF_G4, 1 },
		{ "page-rgb.tif", IFF_TIFF_ZIP, 32 },
	};
	struct sohoa_image *img = NULL;
	PIX *pix, *got = NULL;
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		/* an untagged A4 page at 300 dpi: 2480 px wide */
		pix = make_page(2480, 3508, f[i].depth);
		pixSetResolution(pix, 0, 0);
		CHECK(pixWrite(tmp(f[i].name), pix, f[i].format) == 0);
		pixDestroy(&pix);
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, tmp(f[i].name),
		    &img));
		if (img == NULL) {
			fprintf(stderr, "%s: %s\n", f[i].name, sohoa_errmsg(ctx));
			continue;
		}
		CHECK_INT_EQ(1, sohoa_image_page_count(img));
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &got));
		if (got != NULL) {
			CHECK_INT_EQ(2480, pixGetWidth(got));
			CHECK_INT_EQ(3508, pixGetHeight(got));
			CHECK_INT_EQ(300, pixGetXRes(got));
		}
		pixDestroy(&got);
		sohoa_image_close(&img);
	}
	/* a plausible tag wins over the estimate */
	pix = make_page(1654, 2339, 8);
	pixSetResolution(pix, 200, 200);
	CHECK(pixWrite(tmp("tag200.tif"), pix, IFF_TIFF_ZIP) == 0);
	pixDestroy(&pix);
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, tmp("tag200.tif"), &img));
	if (img != NULL &&
	    sohoa_image_read_page(ctx, img, 0, &got) == SOHOA_OK) {
		CHECK_INT_EQ(200, pixGetXRes(got));
		pixDestroy(&got);
	}
	sohoa_image_close(&img);
}

static void
test_dpi(void)
{
	CHECK_INT_EQ(300, sohoa_image_estimate_dpi(2480, 3508, 0));
	CHECK_INT_EQ(300, sohoa_image_estimate_dpi(3508, 2480, 72));
	CHECK_INT_EQ(200, sohoa_image_estimate_dpi(1654, 2339, 200));
	CHECK_INT_EQ(300, sohoa_image_estimate_dpi(2480, 3508, 1));
	CHECK_INT_EQ(600, sohoa_image_estimate_dpi(4960, 7016, 600));
}

int
main(void)
{
	char cmd[300];

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(tmpdir) == NULL) {
		perror("test_pipeline_load");
		return 1;
	}
	test_bad_files();
	test_truncated();
	test_huge();
	test_multipage();
	test_formats();
	test_dpi();
	sohoa_ctx_destroy(&ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_done("test_pipeline_load");
}
