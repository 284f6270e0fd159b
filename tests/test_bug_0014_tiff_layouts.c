/*
 * Bug 0014 (issue 14, item 11): valid TIFFs that scanners and image tools
 * write were refused as "corrupt image data": tiled files, RGB stored in
 * separate planes (PLANARCONFIG_SEPARATE), an Orientation tag of 5-8
 * (the page stored turned a quarter: Leptonica turned it upright and the
 * size check, which expected the stored width, refused it), 16-bit and
 * floating-point samples.  Each is written here with libtiff and must read
 * as the page a viewer shows: right size, the black mark top left and the
 * red mark top right whatever the Orientation tag (2-4 mirror or turn
 * the stored rows, 5-8 also swap rows and columns).  A tiled file that
 * declares 100000x100000 pixels must still be refused before decoding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/pipeline.h"
#include "check.h"

/* The page as it is meant to be seen. */
#define W 64
#define H 48

enum sample { U8, U16, F32 };

struct layout {
	const char *name;
	int spp;		/* 1 grey, 3 RGB */
	enum sample sample;
	int tiled;
	int separate;		/* PLANARCONFIG_SEPARATE */
	int orientation;	/* 1-8 */
	uint16_t compression;
};

static char dir[] = "/tmp/sohoa-test-0014-XXXXXX";
static struct sohoa_ctx *ctx;

/* Channel K (0 R, 1 G, 2 B) of the displayed pixel at row Y, column X. */
static int
shown(int y, int x, int k)
{
	if (y < 10 && x < 15)
		return 0;			/* black, top left */
	if (y < 10 && x >= W - 15)
		return k == 0 ? 255 : 0;	/* red, top right */
	return 255;
}

/*
 * The displayed pixel stored at row R, column C of a page whose
 * Orientation tag is O (TIFF 6.0, section 8: 5-8 store columns as rows).
 */
static void
stored_to_shown(int o, int r, int c, int *py, int *px)
{
	switch (o) {
	case 2: *py = r; *px = W - 1 - c; break;
	case 3: *py = H - 1 - r; *px = W - 1 - c; break;
	case 4: *py = H - 1 - r; *px = c; break;
	case 5: *py = c; *px = r; break;
	case 6: *py = c; *px = W - 1 - r; break;
	case 7: *py = H - 1 - c; *px = W - 1 - r; break;
	case 8: *py = H - 1 - c; *px = r; break;
	default: *py = r; *px = c; break;
	}
}

static int
grey_of(int y, int x)
{
	/* red shows as mid grey on a one-channel page */
	return shown(y, x, 1) == 0 && shown(y, x, 0) == 255 ? 128 :
	    shown(y, x, 0);
}

/* Sample S of stored pixel (R, C) into BUF at index I. */
static void
put(const struct layout *l, void *buf, size_t i, int r, int c, int s)
{
	int y, x, v;

	stored_to_shown(l->orientation, r, c, &y, &x);
	v = l->spp == 1 ? grey_of(y, x) : shown(y, x, s);
	if (l->sample == U8)
		((uint8_t *)buf)[i] = (uint8_t)v;
	else if (l->sample == U16)
		((uint16_t *)buf)[i] = (uint16_t)(v * 257);
	else
		((float *)buf)[i] = (float)v / 255.0f;
}

#define TILE 32

/* The tile at row TR, column TC of plane P into BUF (PER samples a pixel). */
static void
put_tile(const struct layout *l, void *buf, uint32_t tr, uint32_t tc,
    uint32_t sw, uint32_t sh, int per, uint32_t p)
{
	uint32_t r, c;
	int i;

	for (r = 0; r < TILE; r++)
		for (c = 0; c < TILE; c++)
			for (i = 0; i < per; i++)
				if (tr + r < sh && tc + c < sw)
					put(l, buf, (r * TILE + c) * (size_t)per +
					    (size_t)i, (int)(tr + r), (int)(tc + c),
					    l->separate ? (int)p : i);
}

static int
write_tiff(const char *path, const struct layout *l, uint32_t sw,
    uint32_t sh)
{
	TIFF *t = TIFFOpen(path, "w");
	int bps = l->sample == U8 ? 8 : l->sample == U16 ? 16 : 32;
	size_t bytes = (size_t)bps / 8, i;
	int planes = l->separate ? l->spp : 1;
	int per = l->separate ? 1 : l->spp;	/* samples per stored pixel */
	uint32_t r, c, tr, tc, p;
	void *buf;
	int ok = 1;

	if (t == NULL)
		return 0;
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, sw);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, sh);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bps);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, l->spp);
	TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, l->sample == F32 ?
	    SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, l->spp == 3 ? PHOTOMETRIC_RGB :
	    PHOTOMETRIC_MINISBLACK);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, l->separate ?
	    PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_ORIENTATION, l->orientation);
	TIFFSetField(t, TIFFTAG_COMPRESSION, l->compression);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 300.0);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, 300.0);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	if (l->tiled) {
		/*
		 * 32x32: libtiff 4.5.0 refuses uncompressed tiles whose size
		 * is not a multiple of 1024 bytes when read through its RGBA
		 * interface ("Invalid tile byte count"); scanners write
		 * 256x256 tiles, which it reads.
		 */
		TIFFSetField(t, TIFFTAG_TILEWIDTH, TILE);
		TIFFSetField(t, TIFFTAG_TILELENGTH, TILE);
		buf = calloc(TILE * TILE * (size_t)per, bytes);
		for (p = 0; buf != NULL && ok && p < (uint32_t)planes; p++)
			for (tr = 0; ok && tr < sh; tr += TILE)
				for (tc = 0; ok && tc < sw; tc += TILE) {
					put_tile(l, buf, tr, tc, sw, sh, per, p);
					ok = TIFFWriteTile(t, buf, tc, tr, 0,
					    (uint16_t)p) >= 0;
				}
	} else {
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 8);
		buf = calloc((size_t)sw * (size_t)per, bytes);
		for (p = 0; buf != NULL && ok && p < (uint32_t)planes; p++)
			for (r = 0; ok && r < sh; r++) {
				for (c = 0; c < sw; c++)
					for (i = 0; i < (size_t)per; i++)
						put(l, buf, c * (size_t)per + i, (int)r, (int)c,
						    (int)(l->separate ? p : i));
				ok = TIFFWriteScanline(t, buf, r, (uint16_t)p) >= 0;
			}
	}
	free(buf);
	TIFFClose(t);
	return buf != NULL && ok;
}

/* Read PATH's one page and check it shows as the page above. */
static void
check_layout(const struct layout *l)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct sohoa_image *img = NULL;
	int quarter = l->orientation >= 5;
	PIX *pix = NULL, *g = NULL;
	l_uint32 v;
	l_int32 rr, gg, bb;
	int rc, fails = check_failures;

	sohoa_buf_addf(&path, "%s/%s.tif", dir, l->name);
	CHECK(write_tiff(path.buf, l, quarter ? H : W, quarter ? W : H));
	rc = sohoa_image_open(ctx, path.buf, &img);
	CHECK_INT_EQ(SOHOA_OK, rc);
	if (rc == SOHOA_OK)
		rc = sohoa_image_read_page(ctx, img, 0, &pix);
	CHECK_INT_EQ(SOHOA_OK, rc);
	if (rc != SOHOA_OK) {
		fprintf(stderr, "%s: %s\n", l->name, sohoa_errmsg(ctx));
		goto out;
	}
	CHECK_INT_EQ(W, pixGetWidth(pix));
	CHECK_INT_EQ(H, pixGetHeight(pix));
	g = pixConvertTo8(pix, 0);
	if (g == NULL || pixGetWidth(g) != W || pixGetHeight(g) != H) {
		CHECK(!"page of the right size");
		goto out;
	}
	pixGetPixel(g, 5, 5, &v);
	CHECK(v < 40);				/* black mark top left */
	pixGetPixel(g, W - 5, H - 5, &v);
	CHECK(v > 215);				/* paper bottom right */
	pixGetPixel(g, W - 5, 5, &v);
	CHECK(v > 40 && v < 215);		/* red (grey) top right */
	if (l->spp == 3) {
		CHECK_INT_EQ(32, pixGetDepth(pix));
		pixGetRGBPixel(pix, W - 5, 5, &rr, &gg, &bb);
		CHECK(rr > 215 && gg < 40 && bb < 40);
	}
out:
	if (check_failures != fails)
		fprintf(stderr, "  ^ layout '%s'\n", l->name);
	pixDestroy(&g);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	unlink(path.buf);
	sohoa_buf_release(&path);
}

/* A tiled header declaring 100000x100000: refused at open, no decode. */
static void
check_huge_tiled(void)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct sohoa_image *img = NULL;
	TIFF *t;
	uint8_t tile[16 * 16];
	int rc;

	sohoa_buf_addf(&path, "%s/huge-tiled.tif", dir);
	t = TIFFOpen(path.buf, "w8");
	CHECK(t != NULL);
	if (t == NULL)
		goto out;
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 100000);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, 100000);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
	TIFFSetField(t, TIFFTAG_TILEWIDTH, 16);
	TIFFSetField(t, TIFFTAG_TILELENGTH, 16);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
	memset(tile, 255, sizeof(tile));
	TIFFWriteTile(t, tile, 0, 0, 0, 0);
	TIFFClose(t);
	rc = sohoa_image_open(ctx, path.buf, &img);
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, rc);
	CHECK(strstr(sohoa_errmsg(ctx), "100000x100000 pixels is over the"
	    " limit") != NULL);
	sohoa_image_close(&img);
out:
	unlink(path.buf);
	sohoa_buf_release(&path);
}

int
main(void)
{
	static const struct layout layouts[] = {
		{ "grey8", 1, U8, 0, 0, 1, COMPRESSION_NONE },
		{ "grey8-orient2", 1, U8, 0, 0, 2, COMPRESSION_NONE },
		{ "grey8-orient3", 1, U8, 0, 0, 3, COMPRESSION_LZW },
		{ "grey8-orient4", 1, U8, 0, 0, 4, COMPRESSION_NONE },
		{ "grey8-orient5", 1, U8, 0, 0, 5, COMPRESSION_NONE },
		{ "grey8-orient6", 1, U8, 0, 0, 6, COMPRESSION_LZW },
		{ "grey8-orient7", 1, U8, 0, 0, 7, COMPRESSION_NONE },
		{ "grey8-orient8", 1, U8, 0, 0, 8, COMPRESSION_NONE },
		{ "rgb8-orient6", 3, U8, 0, 0, 6, COMPRESSION_NONE },
		{ "rgb8-orient8", 3, U8, 0, 0, 8, COMPRESSION_LZW },
		{ "rgb8-orient2", 3, U8, 0, 0, 2, COMPRESSION_NONE },
		{ "grey8-tiled", 1, U8, 1, 0, 1, COMPRESSION_NONE },
		{ "rgb8-tiled", 3, U8, 1, 0, 1, COMPRESSION_ADOBE_DEFLATE },
		{ "rgb8-planar", 3, U8, 0, 1, 1, COMPRESSION_NONE },
		{ "rgb8-planar-lzw", 3, U8, 0, 1, 1, COMPRESSION_LZW },
		{ "grey16", 1, U16, 0, 0, 1, COMPRESSION_NONE },
		{ "rgb16", 3, U16, 0, 0, 1, COMPRESSION_LZW },
		{ "grey-float", 1, F32, 0, 0, 1, COMPRESSION_NONE },
		{ "rgb-float", 3, F32, 0, 0, 1, COMPRESSION_NONE },
		{ "rgb16-tiled-planar-orient7", 3, U16, 1, 1, 7,
		    COMPRESSION_ADOBE_DEFLATE },
		{ "grey-float-tiled-orient6", 1, F32, 1, 0, 6,
		    COMPRESSION_NONE },
	};
	size_t i;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(dir) == NULL)
		return 1;
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		check_layout(&layouts[i]);
	check_huge_tiled();
	rmdir(dir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_bug_0014_tiff_layouts");
}
