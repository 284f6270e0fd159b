/*
 * Tests of PDF input (pipeline/pdf_in.c through the page reader):
 * scanner-like PDFs made here from the committed samples (img2pdf wraps
 * JPEG, G4 TIFF and PNG without re-encoding) and from generated pages
 * (Leptonica's PDF writer: G4, Flate with and without a palette, JPEG
 * 2000; hand-written PDFs: G3, /Decode, an image mask, /Rotate, a flipped
 * image, a white background and a clip, a text layer, JBIG2) must give
 * the same pixels and resolution as the images themselves; pages that
 * are not one image are rendered by pdftoppm, or refused with a line
 * naming poppler-utils when it is missing; hostile files (encrypted, cut
 * short, broken, a page-count bomb, a decompression bomb, an oversized
 * or corrupt image, a page tree that loops) fail with one line naming
 * the file, and fast.
 *
 * Needs img2pdf, qpdf and poppler-utils (scripts/deps.sh --test).
 */
#include <sys/resource.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tiffio.h>
#include <zlib.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "sohoa/pipeline.h"
#include "check.h"

static char tmpdir[] = "/tmp/sohoa-test-pdf-XXXXXX";
static struct sohoa_ctx *ctx;
static const char *srcdir;
static char *saved_path;

static const char *
tmp(const char *name)
{
	static char path[8][512];
	static int k;
	char *p = path[k++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static const char *
sample(const char *name)
{
	static char path[4][1024];
	static int k;
	char *p = path[k++ % 4];

	snprintf(p, sizeof(path[0]), "%s/samples/%s", srcdir, name);
	return p;
}

/*
 * CPU seconds used so far by this process and the children it waited for
 * (a tool run on a PDF).  The bounds below are on work, not on the wall
 * clock, which a machine busy with other jobs stretches: a CI run beside
 * a full OCR run took over 5 s of wall time to refuse a bomb.
 */
static double
now(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec +
	    kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	    (self.ru_utime.tv_usec + self.ru_stime.tv_usec +
	    kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6;
}

/* Run a shell command; a missing tool fails the test with its package. */
static int
run(const char *cmd, const char *package)
{
	int rc = system(cmd);

	if (rc != 0)
		fprintf(stderr, "test_pipeline_pdf: '%s' failed (exit %d); is "
		    "the Debian package %s installed?\n", cmd, rc, package);
	return rc;
}

/* Without a renderer: $PATH names no folder with pdftoppm in it. */
static void
no_renderer(int on)
{
	if (on)
		setenv("PATH", tmpdir, 1);
	else
		setenv("PATH", saved_path, 1);
}

/* ---- reading ------------------------------------------------------------ */

static PIX *
read_page(const char *path, int pageno, int *pnpages)
{
	struct sohoa_image *img = NULL;
	PIX *pix = NULL;

	if (sohoa_image_open(ctx, path, &img) != SOHOA_OK) {
		fprintf(stderr, "open %s: %s\n", path, sohoa_errmsg(ctx));
		return NULL;
	}
	if (pnpages != NULL)
		*pnpages = sohoa_image_page_count(img);
	if (sohoa_image_read_page(ctx, img, pageno, &pix) != SOHOA_OK)
		fprintf(stderr, "read %s page %d: %s\n", path, pageno + 1,
		    sohoa_errmsg(ctx));
	sohoa_image_close(&img);
	return pix;
}

/* Page PAGENO of PDF must be the same pixels and dpi as image IMAGE. */
static void
check_same(const char *image, const char *pdf, int pageno)
{
	PIX *a = read_page(image, 0, NULL), *b = read_page(pdf, pageno, NULL);
	l_int32 same = 0;

	CHECK(a != NULL && b != NULL);
	if (a != NULL && b != NULL) {
		pixEqual(a, b, &same);
		if (!same)
			fprintf(stderr, "%s page %d differs from %s: %dx%dx%d vs "
			    "%dx%dx%d\n", pdf, pageno + 1, image, pixGetWidth(b),
			    pixGetHeight(b), pixGetDepth(b), pixGetWidth(a),
			    pixGetHeight(a), pixGetDepth(a));
		CHECK(same);
		CHECK_INT_EQ(pixGetXRes(a), pixGetXRes(b));
	}
	pixDestroy(&a);
	pixDestroy(&b);
}

/*
 * CPU seconds a bomb may cost before it is refused.  A sanitizer build
 * runs each step several times slower, and more when the machine's other
 * core is busy: pages.pdf (a page tree of 200000 kids) takes 1.0 s in a
 * Debug build, 3.0 s with ASan+UBSan on an idle machine, and went past 5
 * s in CI beside other work.
 */
#ifdef __SANITIZE_ADDRESS__
#define BOMB_CPU_S 15.0
#else
#define BOMB_CPU_S 5.0
#endif

/* Opening or reading PATH fails with one line naming it and saying WHAT. */
static void
check_fails(const char *path, int pageno, const char *what)
{
	struct sohoa_image *img = NULL;
	const char *msg;
	PIX *pix = NULL;
	double t0 = now();
	int rc;

	rc = sohoa_image_open(ctx, path, &img);
	if (rc == SOHOA_OK) {
		rc = sohoa_image_read_page(ctx, img, pageno, &pix);
		sohoa_image_close(&img);
	}
	if (rc == SOHOA_OK)
		fprintf(stderr, "%s: read, but it should fail with '%s'\n", path,
		    what);
	CHECK(rc != SOHOA_OK);
	CHECK(pix == NULL);
	pixDestroy(&pix);
	msg = sohoa_errmsg(ctx);
	if (getenv("SOHOA_TEST_VERBOSE") != NULL)
		fprintf(stderr, "%s\n", msg);
	if (rc != SOHOA_OK) {
		if (strstr(msg, what) == NULL || strstr(msg, path) == NULL ||
		    strchr(msg, '\n') != NULL)
			fprintf(stderr, "%s: want one line naming it with '%s', got"
			    " '%s'\n", path, what, msg);
		CHECK(strstr(msg, what) != NULL);
		CHECK(strstr(msg, path) != NULL);
		CHECK(strchr(msg, '\n') == NULL);
	}
	/* a bomb is refused before it can take time (a loaded machine) */
	if (getenv("SOHOA_TEST_VERBOSE") != NULL || now() - t0 >= BOMB_CPU_S)
		fprintf(stderr, "%s: refused after %.2f s of CPU\n", path,
		    now() - t0);
	CHECK(now() - t0 < BOMB_CPU_S);
	sohoa_clear_error(ctx);
}

/* ---- hand-written PDFs ------------------------------------------------- */

struct obj {
	const char *dict;	/* "<< ... >>" (for a stream: without /Length) */
	const void *data;	/* stream data, or NULL */
	size_t len;
};

/*
 * Write a PDF of objects 1..N (1 is the catalog) to PATH; a stream's
 * /Length is added here.
 */
static void
write_pdf(const char *path, const struct obj *o, size_t n)
{
	FILE *f = fopen(path, "wb");
	long *off = calloc(n + 1, sizeof(*off)), xref;
	size_t i, d;

	CHECK(f != NULL && off != NULL);
	if (f == NULL || off == NULL) {
		free(off);
		return;
	}
	fputs("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n", f);
	for (i = 0; i < n; i++) {
		off[i] = ftell(f);
		if (o[i].data == NULL) {
			fprintf(f, "%zu 0 obj\n%s\nendobj\n", i + 1, o[i].dict);
			continue;
		}
		d = strlen(o[i].dict);
		/* the dict without its closing ">>", then /Length */
		fprintf(f, "%zu 0 obj\n%.*s /Length %zu >>\nstream\n", i + 1,
		    (int)(d - 2), o[i].dict, o[i].len);
		fwrite(o[i].data, 1, o[i].len, f);
		fputs("\nendstream\nendobj\n", f);
	}
	xref = ftell(f);
	fprintf(f, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (i = 0; i < n; i++)
		fprintf(f, "%010ld 00000 n \n", off[i]);
	fprintf(f, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%ld\n"
	    "%%%%EOF\n", n + 1, xref);
	fclose(f);
	free(off);
}

/*
 * A one-page PDF: the page's extra keys PAGE_EXTRA, content CONTENT, and
 * one image XObject /Im0 (IMG_DICT, IMG_DATA), plus /F1 Helvetica.
 */
static void
one_page(const char *path, const char *page_extra, const char *content,
    const char *img_dict, const void *img_data, size_t img_len)
{
	char page[1024];
	struct obj o[6];

	snprintf(page, sizeof(page), "<< /Type /Page /Parent 2 0 R %s "
	    "/Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R >> >>"
	    " /Contents 4 0 R >>", page_extra);
	o[0] = (struct obj){ "<< /Type /Catalog /Pages 2 0 R >>", NULL, 0 };
	o[1] = (struct obj){ "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    NULL, 0 };
	o[2] = (struct obj){ page, NULL, 0 };
	o[3] = (struct obj){ "<< >>", content, strlen(content) };
	o[4] = (struct obj){ img_dict, img_data, img_len };
	o[5] = (struct obj){ "<< /Type /Font /Subtype /Type1 /BaseFont "
	    "/Helvetica >>", NULL, 0 };
	write_pdf(path, o, 6);
}

/* A page of text-like bars, W x H, 1 bpp (1 is black). */
static PIX *
bars(int w, int h)
{
	PIX *pix = pixCreate(w, h, 1);
	int y;

	for (y = h / 8; y < h - h / 8; y += h / 10)
		pixRasterop(pix, w / 10, y, w * 2 / 3 - (y % 7) * 5, h / 30,
		    PIX_SET, NULL, 0, 0);
	pixRasterop(pix, w / 2, h / 20, w / 4, h / 12, PIX_SET, NULL, 0, 0);
	return pix;
}

/* The rows of 1 bpp PIX packed MSB first, 0 black (PDF DeviceGray). */
static unsigned char *
pdf_bits(PIX *pix, size_t *plen)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix), x, y;
	size_t rb = ((size_t)w + 7) / 8;
	unsigned char *d = calloc(rb * (size_t)h, 1);
	l_uint32 v;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			pixGetPixel(pix, x, y, &v);
			if (!v)
				d[(size_t)y * rb + (size_t)x / 8] |=
				    (unsigned char)(0x80 >> (x % 8));
		}
	*plen = rb * (size_t)h;
	return d;
}

/* The one strip of PIX written as a TIFF with COMPTYPE (G3, G4). */
static unsigned char *
fax_strip(PIX *pix, int comptype, size_t *plen)
{
	TIFF *tif;
	unsigned char *d = NULL;
	tmsize_t n;

	*plen = 0;
	pixWriteTiff(tmp("fax.tif"), pix, comptype, "w");
	tif = TIFFOpen(tmp("fax.tif"), "r");
	CHECK(tif != NULL && TIFFNumberOfStrips(tif) == 1);
	if (tif == NULL)
		return NULL;
	n = (tmsize_t)TIFFRawStripSize(tif, 0);
	d = malloc((size_t)n);
	if (d != NULL && TIFFReadRawStrip(tif, 0, d, n) == n)
		*plen = (size_t)n;
	TIFFClose(tif);
	return d;
}

static unsigned char *
deflate_all(const void *in, size_t len, size_t *plen)
{
	uLongf n = compressBound((uLong)len);
	unsigned char *d = malloc(n);

	if (d == NULL || compress2(d, &n, in, (uLong)len, 6) != Z_OK) {
		free(d);
		*plen = 0;
		return NULL;
	}
	*plen = n;
	return d;
}

/* ---- tests ------------------------------------------------------------- */

/* img2pdf wraps each sample as it is: JPEG, G4, PNG, several DPIs. */
static void
test_img2pdf(void)
{
	static const char *const names[] = { "birth-clean.jpg",
	    "birth-mild-nodpi.jpg", "death-clean-g4.tif", "birth-clean-gray.png",
	    "decision-mild-200dpi.jpg", "marital-status-hard-g4.tif" };
	char cmd[4096], nm[32];
	PIX *first;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(cmd, sizeof(cmd), "img2pdf '%s' -o '%s/%zu.pdf' "
		    ">/dev/null 2>&1", sample(names[i]), tmpdir, i);
		if (run(cmd, "img2pdf") != 0) {
			CHECK(0);
			return;
		}
		snprintf(nm, sizeof(nm), "%zu.pdf", i);
		check_same(sample(names[i]), tmp(nm), 0);
	}
	/* one stack of mixed pages: colour JPEG, G4, grey PNG, 200 dpi */
	snprintf(cmd, sizeof(cmd), "img2pdf '%s' '%s' '%s' '%s' -o '%s' "
	    ">/dev/null 2>&1", sample(names[0]), sample(names[2]), sample(names[3]),
	    sample(names[4]), tmp("stack.pdf"));
	if (run(cmd, "img2pdf") != 0) {
		CHECK(0);
		return;
	}
	first = read_page(tmp("stack.pdf"), 0, &n);
	pixDestroy(&first);
	CHECK_INT_EQ(4, n);
	check_same(sample(names[0]), tmp("stack.pdf"), 0);
	check_same(sample(names[2]), tmp("stack.pdf"), 1);
	check_same(sample(names[3]), tmp("stack.pdf"), 2);
	check_same(sample(names[4]), tmp("stack.pdf"), 3);
}

/* Leptonica's own PDF writer: G4, Flate (grey, palette, RGB), JPX. */
static void
test_leptonica(void)
{
	PIX *bin = bars(620, 877), *grey, *cmap, *rgb, *got;
	l_int32 same = 0;

	pixSetResolution(bin, 75, 75);
	CHECK(pixConvertToPdf(bin, L_G4_ENCODE, 0, tmp("lg4.pdf"), 0, 0, 75,
	    NULL, NULL, 0) == 0);
	got = read_page(tmp("lg4.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, bin, &same) == 0 && same);
	pixDestroy(&got);

	grey = pixConvert1To8(NULL, bin, 230, 20);
	pixSetResolution(grey, 75, 75);
	CHECK(pixConvertToPdf(grey, L_FLATE_ENCODE, 0, tmp("lfl.pdf"), 0, 0, 75,
	    NULL, NULL, 0) == 0);
	got = read_page(tmp("lfl.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, grey, &same) == 0 && same);
	pixDestroy(&got);

	/* a palette: the page comes out colour-mapped, same colours */
	cmap = pixConvertGrayToColormap(grey);
	CHECK(pixConvertToPdf(cmap, L_FLATE_ENCODE, 0, tmp("lcm.pdf"), 0, 0, 75,
	    NULL, NULL, 0) == 0);
	got = read_page(tmp("lcm.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, cmap, &same) == 0 && same);
	pixDestroy(&got);

	rgb = pixConvertTo32(grey);
	pixSetRGBComponent(rgb, grey, COLOR_BLUE);
	pixSetResolution(rgb, 75, 75);
	CHECK(pixConvertToPdf(rgb, L_FLATE_ENCODE, 0, tmp("lrgb.pdf"), 0, 0, 75,
	    NULL, NULL, 0) == 0);
	got = read_page(tmp("lrgb.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, rgb, &same) == 0 && same);
	pixDestroy(&got);

	/* JPEG 2000 (OpenJPEG): lossy, so the size and a close likeness */
	CHECK(pixConvertToPdf(grey, L_JP2K_ENCODE, 50, tmp("ljp2.pdf"), 0, 0, 75,
	    NULL, NULL, 0) == 0);
	got = read_page(tmp("ljp2.pdf"), 0, NULL);
	CHECK(got != NULL);
	if (got != NULL) {
		l_float32 diff = 255;
		PIX *g8 = pixConvertTo8(got, 0);

		CHECK_INT_EQ(620, pixGetWidth(got));
		CHECK_INT_EQ(877, pixGetHeight(got));
		pixCompareGray(g8, grey, L_COMPARE_ABS_DIFF, 0, NULL, &diff, NULL,
		    NULL);
		CHECK(diff < 8);
		pixDestroy(&g8);
	}
	pixDestroy(&got);
	pixDestroy(&rgb);
	pixDestroy(&cmap);
	pixDestroy(&grey);
	pixDestroy(&bin);
}

/*
 * Hand-written pages, each read without a renderer (so none of them is
 * rendered): the image at 100 dpi on a 300 x 420 pt page.
 */
static void
test_handmade(void)
{
	PIX *bin = bars(400, 560), *want, *got;
	unsigned char *g3, *g4, *bits, *fl;
	size_t g3len, g4len, bitslen, fllen;
	char dict[512];
	l_int32 same = 0;
	const char *box = "/MediaBox [0 0 288 403.2]";
	const char *draw = "q 288 0 0 403.2 0 0 cm /Im0 Do Q";

	no_renderer(1);
	g3 = fax_strip(bin, IFF_TIFF_G3, &g3len);
	g4 = fax_strip(bin, IFF_TIFF_G4, &g4len);
	bits = pdf_bits(bin, &bitslen);
	fl = deflate_all(bits, bitslen, &fllen);

	/* G3 (K 0), no /Rows: the image's /Height */
	one_page(tmp("g3.pdf"), box, draw, "<< /Type /XObject /Subtype /Image "
	    "/Width 400 /Height 560 /BitsPerComponent 1 /ColorSpace /DeviceGray"
	    " /Filter /CCITTFaxDecode /DecodeParms << /K 0 /Columns 400 >> >>",
	    g3, g3len);
	got = read_page(tmp("g3.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, bin, &same) == 0 && same);
	CHECK(got != NULL && pixGetXRes(got) == 100);
	pixDestroy(&got);

	/* G4 with /BlackIs1 true and /Decode [1 0]: the two cancel out */
	one_page(tmp("g4d.pdf"), box, draw, "<< /Type /XObject /Subtype /Image "
	    "/Width 400 /Height 560 /BitsPerComponent 1 /ColorSpace /DeviceGray"
	    " /Decode [1 0] /Filter [/CCITTFaxDecode] /DecodeParms [<< /K -1 "
	    "/Columns 400 /Rows 560 /BlackIs1 true >>] >>", g4, g4len);
	got = read_page(tmp("g4d.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, bin, &same) == 0 && same);
	pixDestroy(&got);
	/* /Decode [1 0] alone: the page comes out inverted */
	one_page(tmp("g4i.pdf"), box, draw, "<< /Type /XObject /Subtype /Image "
	    "/Width 400 /Height 560 /BitsPerComponent 1 /ColorSpace /DeviceGray"
	    " /Decode [1 0] /Filter /CCITTFaxDecode /DecodeParms << /K -1 "
	    "/Columns 400 >> >>", g4, g4len);
	got = read_page(tmp("g4i.pdf"), 0, NULL);
	want = pixInvert(NULL, bin);
	CHECK(got != NULL && pixEqual(got, want, &same) == 0 && same);
	pixDestroy(&got);
	pixDestroy(&want);

	/* an image mask (sample 0 paints black) over a white background */
	one_page(tmp("mask.pdf"), box, "1 g 0 0 288 403.2 re f 0 g q 288 0 0 "
	    "403.2 0 0 cm /Im0 Do Q", "<< /Type /XObject /Subtype /Image "
	    "/Width 400 /Height 560 /ImageMask true /Filter /FlateDecode >>",
	    fl, fllen);
	got = read_page(tmp("mask.pdf"), 0, NULL);
	CHECK(got != NULL && pixEqual(got, bin, &same) == 0 && same);
	pixDestroy(&got);

	/* /Rotate 90 with a clip around the page: turned clockwise */
	one_page(tmp("rot.pdf"), "/MediaBox [0 0 288 403.2] /Rotate 90",
	    "q 0 0 288 403.2 re W n q 288 0 0 403.2 0 0 cm /Im0 Do Q Q",
	    "<< /Type /XObject /Subtype /Image /Width 400 /Height 560 "
	    "/BitsPerComponent 1 /ColorSpace /DeviceGray >>", bits, bitslen);
	got = read_page(tmp("rot.pdf"), 0, NULL);
	want = pixRotate90(bin, 1);
	CHECK(got != NULL && pixEqual(got, want, &same) == 0 && same);
	pixDestroy(&got);
	pixDestroy(&want);

	/* an image drawn upside down by its matrix; a scanner's OCR layer */
	one_page(tmp("flip.pdf"), box, "q 288 0 0 -403.2 0 403.2 cm /Im0 Do Q "
	    "BT 3 Tr /F1 20 Tf 36 360 Td (Hello World) Tj ET",
	    "<< /Type /XObject /Subtype /Image /Width 400 /Height 560 "
	    "/BitsPerComponent 1 /ColorSpace /DeviceGray >>", bits, bitslen);
	got = read_page(tmp("flip.pdf"), 0, NULL);
	want = pixFlipTB(NULL, bin);
	CHECK(got != NULL && pixEqual(got, want, &same) == 0 && same);
	pixDestroy(&want);
	no_renderer(0);
	if (got != NULL) {
		struct sohoa_image *img = NULL;
		struct sohoa_word *w = NULL;
		size_t n = 0;

		/* its words, mapped onto the image (100 dpi: 100/72 px a pt) */
		CHECK(sohoa_image_open(ctx, tmp("flip.pdf"), &img) == SOHOA_OK);
		CHECK(img != NULL && sohoa_image_page_words(ctx, img, 0, got,
		    &w, &n) == SOHOA_OK);
		CHECK_INT_EQ(2, n);
		if (n == 2) {
			CHECK_STR_EQ("Hello", w[0].text);
			CHECK_STR_EQ("World", w[1].text);
			CHECK(abs(w[0].x0 - 50) <= 2);	/* 36 pt */
			/* the baseline is 43.2 pt down: 60 px */
			CHECK(w[0].y0 > 30 && w[0].y0 < 60);
			CHECK(w[0].y1 > 60 && w[0].y1 < 72);
			CHECK(w[1].x0 > w[0].x1);
		}
		sohoa_words_free(&w, n);
		sohoa_image_close(&img);
	}
	pixDestroy(&got);

	/* pages that are not one image: visible text, JBIG2 */
	snprintf(dict, sizeof(dict), "<< /Type /XObject /Subtype /Image "
	    "/Width 400 /Height 560 /BitsPerComponent 1 /ColorSpace /DeviceGray"
	    " /Filter /JBIG2Decode >>");
	one_page(tmp("jbig2.pdf"), box, draw, dict, "\0\0\0\0", 4);
	one_page(tmp("text.pdf"), box, "BT /F1 24 Tf 36 300 Td (Giay khai "
	    "sinh) Tj ET", dict, "", 0);
	no_renderer(1);
	check_fails(tmp("jbig2.pdf"), 0, "JBIG2");
	check_fails(tmp("jbig2.pdf"), 0, "install poppler-utils");
	check_fails(tmp("text.pdf"), 0, "visible text");
	no_renderer(0);
	/* with pdftoppm: rendered at 300 dpi, 288 x 403.2 pt = 1200 x 1680 */
	got = read_page(tmp("text.pdf"), 0, NULL);
	CHECK(got != NULL && pixGetWidth(got) == 1200 &&
	    pixGetHeight(got) == 1680 && pixGetXRes(got) == 300);
	pixDestroy(&got);
	/* JBIG2: at the image's own 100 dpi, bilevel */
	got = read_page(tmp("jbig2.pdf"), 0, NULL);
	CHECK(got != NULL && pixGetWidth(got) == 400 && pixGetDepth(got) == 1);
	pixDestroy(&got);

	free(g3);
	free(g4);
	free(bits);
	free(fl);
	pixDestroy(&bin);
}

static void
test_hostile(void)
{
	PIX *bin = bars(400, 560), *got;
	unsigned char *zeros, *bomb, *g4, *bits;
	size_t bomblen, g4len, bitslen, i, n;
	struct sohoa_buf kids = SOHOA_BUF_INIT;
	struct obj o[4];
	char cmd[2048];
	FILE *f;
	const char *box = "/MediaBox [0 0 288 403.2]";
	const char *draw = "q 288 0 0 403.2 0 0 cm /Im0 Do Q";

	/* encrypted: with a user password refused; with only an owner's, read */
	bits = pdf_bits(bin, &bitslen);
	one_page(tmp("plain.pdf"), box, draw, "<< /Type /XObject /Subtype /Image"
	    " /Width 400 /Height 560 /BitsPerComponent 1 /ColorSpace /DeviceGray"
	    " >>", bits, bitslen);
	snprintf(cmd, sizeof(cmd), "qpdf --encrypt secret secret 256 -- '%s' "
	    "'%s' && qpdf --encrypt '' owner 256 -- '%s' '%s'", tmp("plain.pdf"),
	    tmp("locked.pdf"), tmp("plain.pdf"), tmp("owner.pdf"));
	CHECK(run(cmd, "qpdf") == 0);
	check_fails(tmp("locked.pdf"), 0, "encrypted with a password");
	got = read_page(tmp("owner.pdf"), 0, NULL);
	CHECK(got != NULL);
	pixDestroy(&got);

	/* cut in the middle of its image, and junk after the header */
	snprintf(cmd, sizeof(cmd), "img2pdf '%s' -o '%s' >/dev/null 2>&1 && head -c "
	    "20000 '%s' >'%s'", sample("death-clean-g4.tif"), tmp("whole.pdf"),
	    tmp("whole.pdf"), tmp("cut.pdf"));
	CHECK(run(cmd, "img2pdf") == 0);
	check_fails(tmp("cut.pdf"), 0, "cut.pdf");
	f = fopen(tmp("junk.pdf"), "wb");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs("%PDF-1.4\nthis is not a PDF body at all\n", f);
		fclose(f);
	}
	check_fails(tmp("junk.pdf"), 0, "broken PDF");

	/* a page tree naming one page 200000 times: refused, at once */
	sohoa_buf_adds(&kids, "<< /Type /Pages /Count 200000 /Kids [");
	for (i = 0; i < 200000; i++)
		sohoa_buf_adds(&kids, "3 0 R ");
	sohoa_buf_adds(&kids, "] >>");
	o[0] = (struct obj){ "<< /Type /Catalog /Pages 2 0 R >>", NULL, 0 };
	o[1] = (struct obj){ kids.buf, NULL, 0 };
	o[2] = (struct obj){ "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 "
	    "10] /Contents 4 0 R >>", NULL, 0 };
	o[3] = (struct obj){ "<< >>", "", 0 };
	write_pdf(tmp("pages.pdf"), o, 4);
	check_fails(tmp("pages.pdf"), 0, "more than 100000 pages");
	sohoa_buf_release(&kids);

	/* a page tree that loops */
	o[1] = (struct obj){ "<< /Type /Pages /Count 1 /Kids [2 0 R] >>", NULL,
	    0 };
	write_pdf(tmp("loop.pdf"), o, 4);
	check_fails(tmp("loop.pdf"), 0, "loop.pdf");

	/* an image that says it is 100000 x 100000 */
	one_page(tmp("huge.pdf"), box, draw, "<< /Type /XObject /Subtype /Image"
	    " /Width 100000 /Height 100000 /BitsPerComponent 8 /ColorSpace "
	    "/DeviceGray /Filter /FlateDecode >>", "x", 1);
	check_fails(tmp("huge.pdf"), 0, "over the limit");

	/*
	 * 256 MiB of zeros in 250 KiB of Flate for a 400 x 560 image: only
	 * what the image needs is inflated (qpdf would inflate it all).
	 */
	n = (size_t)256 << 20;
	zeros = calloc(n, 1);
	bomb = zeros != NULL ? deflate_all(zeros, n, &bomblen) : NULL;
	free(zeros);
	CHECK(bomb != NULL);
	if (bomb != NULL) {
		double t0 = now();

		one_page(tmp("bomb.pdf"), box, draw, "<< /Type /XObject /Subtype "
		    "/Image /Width 400 /Height 560 /BitsPerComponent 8 "
		    "/ColorSpace /DeviceGray /Filter /FlateDecode >>", bomb,
		    bomblen);
		got = read_page(tmp("bomb.pdf"), 0, NULL);
		CHECK(got != NULL && pixGetWidth(got) == 400);
		CHECK(now() - t0 < 5);
		pixDestroy(&got);
		/* the same bomb as the page's content stream: not decoded whole */
		o[0] = (struct obj){ "<< /Type /Catalog /Pages 2 0 R >>", NULL, 0 };
		o[1] = (struct obj){ "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
		    NULL, 0 };
		o[2] = (struct obj){ "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 "
		    "100 100] /Contents 4 0 R >>", NULL, 0 };
		o[3] = (struct obj){ "<< /Filter /FlateDecode >>", bomb, bomblen };
		write_pdf(tmp("cbomb.pdf"), o, 4);
		no_renderer(1);
		check_fails(tmp("cbomb.pdf"), 0, "over 16 MiB");
		no_renderer(0);
		free(bomb);
	}

	/* damaged G4 data fails the page rather than passing for blank */
	g4 = fax_strip(bin, IFF_TIFF_G4, &g4len);
	if (g4 != NULL) {
		for (i = g4len / 3; i < g4len / 3 + 40 && i < g4len; i++)
			g4[i] = 0;	/* runs of zeros are no G4 code */
		one_page(tmp("badg4.pdf"), box, draw, "<< /Type /XObject /Subtype "
		    "/Image /Width 400 /Height 560 /BitsPerComponent 1 "
		    "/ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms "
		    "<< /K -1 /Columns 400 >> >>", g4, g4len);
		check_fails(tmp("badg4.pdf"), 0, "corrupt CCITT");
	}
	/* samples short of the image's size */
	one_page(tmp("short.pdf"), box, draw, "<< /Type /XObject /Subtype /Image"
	    " /Width 400 /Height 560 /BitsPerComponent 1 /ColorSpace /DeviceGray"
	    " >>", bits, bitslen / 2);
	check_fails(tmp("short.pdf"), 0, "cut short");
	free(g4);
	free(bits);
	pixDestroy(&bin);
}

int
main(void)
{
	const char *p = getenv("PATH");
	char cmd[600];

	srcdir = getenv("SOHOA_SOURCE_DIR");
	if (srcdir == NULL)
		srcdir = SOHOA_SOURCE_DIR;
	saved_path = strdup(p != NULL ? p : "/usr/bin:/bin");
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(tmpdir) == NULL || saved_path == NULL) {
		fprintf(stderr, "test_pipeline_pdf: cannot start\n");
		return 1;
	}
	test_img2pdf();
	test_leptonica();
	test_handmade();
	test_hostile();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	sohoa_ctx_destroy(&ctx);
	free(saved_path);
	return check_done("test_pipeline_pdf");
}
