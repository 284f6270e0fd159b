/*
 * Tests for the archival PDF writer and signer: builds page images with
 * Leptonica (a 200 dpi colour JPEG page and a 300 dpi bilevel PNG page)
 * plus Vietnamese word boxes, writes the PDF/A-2b and checks it with the
 * real tools (pdftotext, pdfinfo, pdffonts, qpdf --check), then signs it
 * with a key and self-signed certificate made by the openssl command and
 * checks the signature with pdfsig, before and after tampering.
 * Needs poppler-utils, qpdf, openssl and python3 (to parse the XMP).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lcms2.h>
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "sohoa/pdf.h"
#include "sohoa/sign.h"
#include "check.h"

static char dir[] = "/tmp/sohoa-test-pdf-XXXXXX";

/* Run CMD through the shell; its stdout (and stderr) in OUT; exit status. */
static int
run(struct sohoa_buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
run(struct sohoa_buf *out, const char *fmt, ...)
{
	struct sohoa_buf cmd = SOHOA_BUF_INIT;
	char chunk[4096];
	va_list ap;
	FILE *p;
	size_t n;
	int st;

	va_start(ap, fmt);
	sohoa_buf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	sohoa_buf_adds(&cmd, " 2>&1");
	sohoa_buf_reset(out);
	p = popen(cmd.buf, "r");
	sohoa_buf_release(&cmd);
	if (p == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		sohoa_buf_add(out, chunk, n);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
have_tool(const char *name, const char *package)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int rc = run(&out, "command -v %s", name);

	sohoa_buf_release(&out);
	if (rc != 0)
		fprintf(stderr, "test_pdf_write: '%s' is missing "
		    "(install the Debian package '%s')\n", name, package);
	return rc == 0;
}

/*
 * The value after NAME in pdfinfo's output, up to the end of the line
 * (in a static buffer), or "" when missing.
 */
static const char *
field(const struct sohoa_buf *out, const char *name)
{
	static char v[512];
	const char *p = strstr(out->buf, name);
	size_t n;

	v[0] = '\0';
	if (p == NULL)
		return v;
	p += strlen(name);
	p += strspn(p, " ");
	n = strcspn(p, "\n");
	if (n >= sizeof(v))
		n = sizeof(v) - 1;
	memcpy(v, p, n);
	v[n] = '\0';
	return v;
}

/* pdffonts: the "emb" column says yes on every font line (and there is one). */
static int
all_fonts_embedded(const char *out)
{
	const char *col = strstr(out, "emb"), *line, *dash;
	size_t off;
	int n = 0;

	if (col == NULL || (dash = strstr(col, "\n---")) == NULL)
		return 0;
	off = (size_t)(col - out);
	line = dash + 1;
	while ((line = strchr(line, '\n')) != NULL && line[1] != '\0') {
		line++;
		if (strlen(line) < off + 3 || strncmp(line + off, "yes", 3) != 0)
			return 0;
		n++;
	}
	return n > 0;
}

/* Dark boxes where the words are, on a cream page: a stand-in for a scan. */
static PIX *
make_page(int w, int h, int depth, const struct sohoa_word *words, size_t n)
{
	PIX *pix = pixCreate(w, h, depth);
	size_t i;
	BOX *b;

	if (depth == 32)
		pixSetAllArbitrary(pix, 0xf4ecd800);	/* cream paper */
	for (i = 0; i < n; i++) {
		b = boxCreate(words[i].x0, words[i].y0 + (words[i].y1 - words[i].y0) / 3,
		    words[i].x1 - words[i].x0, (words[i].y1 - words[i].y0) / 3);
		if (depth == 32)
			pixRenderBoxArb(pix, b, 3, 30, 30, 120);
		else
			pixRenderBox(pix, b, 2, L_SET_PIXELS);
		boxDestroy(&b);
	}
	return pix;
}

static const struct sohoa_word page1_words[] = {
	{ "CỘNG", 500, 150, 640, 190, 95, 0, 0 },
	{ "HÒA", 655, 150, 760, 190, 95, 0, 0 },
	{ "XÃ", 775, 150, 840, 190, 95, 0, 0 },
	{ "HỘI", 855, 150, 950, 190, 95, 0, 0 },
	{ "CHỦ", 965, 150, 1080, 190, 95, 0, 0 },
	{ "NGHĨA", 1095, 150, 1260, 190, 95, 0, 0 },
	{ "VIỆT", 1275, 150, 1390, 190, 95, 0, 0 },
	{ "NAM", 1405, 150, 1520, 190, 95, 0, 0 },
	{ "GIẤY", 600, 400, 780, 460, 95, 1, 0 },
	{ "KHAI", 800, 400, 960, 460, 95, 1, 0 },
	{ "SINH", 980, 400, 1150, 460, 95, 1, 0 },
	{ "Họ,", 200, 600, 290, 640, 95, 2, 0 },
	{ "chữ", 305, 600, 400, 640, 95, 2, 0 },
	{ "đệm,", 415, 600, 540, 640, 95, 2, 0 },
	{ "tên:", 555, 600, 660, 640, 95, 2, 0 },
	{ "Nguyễn", 700, 600, 900, 645, 95, 2, 0 },
	{ "Thị", 920, 600, 1010, 645, 95, 2, 0 },
	{ "Đào", 1030, 600, 1140, 645, 95, 2, 0 },
};

static const struct sohoa_word page2_words[] = {
	{ "Ủy", 300, 300, 400, 360, 95, 0, 0 },
	{ "ban", 420, 300, 540, 360, 95, 0, 0 },
	{ "nhân", 560, 300, 720, 360, 95, 0, 0 },
	{ "dân", 740, 300, 860, 360, 95, 0, 0 },
	{ "xã", 880, 300, 960, 360, 95, 0, 0 },
	{ "Tân", 980, 300, 1100, 360, 95, 0, 0 },
	{ "Lập", 1120, 300, 1240, 360, 95, 0, 0 },
};

#define NW(a) (sizeof(a) / sizeof((a)[0]))

static struct sohoa_buf jpg_path = SOHOA_BUF_INIT, png_path = SOHOA_BUF_INIT,
    pdf_path = SOHOA_BUF_INIT;

static void
make_inputs(void)
{
	PIX *pix;

	sohoa_buf_addf(&jpg_path, "%s/page1.jpg", dir);
	sohoa_buf_addf(&png_path, "%s/page2.png", dir);
	sohoa_buf_addf(&pdf_path, "%s/doc.pdf", dir);
	/* A4 at 200 dpi, colour */
	pix = make_page(1654, 2339, 32, page1_words, NW(page1_words));
	CHECK_INT_EQ(0, pixWrite(jpg_path.buf, pix, IFF_JFIF_JPEG));
	pixDestroy(&pix);
	/* A5 at 300 dpi, bilevel */
	pix = make_page(1748, 2480, 1, page2_words, NW(page2_words));
	CHECK_INT_EQ(0, pixWrite(png_path.buf, pix, IFF_PNG));
	pixDestroy(&pix);
}

/*
 * The OutputIntent's profile, taken out with qpdf, is an RGB display
 * profile lcms2 can open, ICC version 4.2.
 */
static void
check_icc(const char *pdf)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, icc = SOHOA_BUF_INIT;
	cmsHPROFILE h;

	sohoa_buf_addf(&icc, "%s/profile.icc", dir);
	CHECK_INT_EQ(0, run(&out, "qpdf --show-object=5 --filtered-stream-data "
	    "'%s' > '%s'", pdf, icc.buf));
	h = cmsOpenProfileFromFile(icc.buf, "r");
	CHECK(h != NULL);
	if (h != NULL) {
		CHECK(cmsGetColorSpace(h) == cmsSigRgbData);
		CHECK(cmsGetDeviceClass(h) == cmsSigDisplayClass);
		CHECK(cmsGetProfileVersion(h) > 4.19 &&
		    cmsGetProfileVersion(h) < 4.21);
		cmsCloseProfile(h);
	}
	CHECK_INT_EQ(0, run(&out, "qpdf --show-object=1 '%s'", pdf));
	CHECK(strstr(out.buf, "/DestOutputProfile 5 0 R") != NULL);
	CHECK(strstr(out.buf, "/S /GTS_PDFA1") != NULL);
	sohoa_buf_release(&out);
	sohoa_buf_release(&icc);
}

static void
test_write(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_pdf_page pages[2];
	struct sohoa_pdf_meta meta;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	double w, h;
	char *p;

	memset(pages, 0, sizeof(pages));
	pages[0].image_path = jpg_path.buf;
	pages[0].image_type = "jpeg";
	pages[0].width = 1654;
	pages[0].height = 2339;
	pages[0].dpi = 200;
	pages[0].words = page1_words;
	pages[0].nwords = NW(page1_words);
	pages[1].image_path = png_path.buf;	/* type from the magic bytes */
	pages[1].dpi = 300;
	pages[1].words = page2_words;
	pages[1].nwords = NW(page2_words);
	memset(&meta, 0, sizeof(meta));
	meta.title = "Giấy khai sinh – Nguyễn Thị Đào";
	meta.author = "UBND xã Tân Lập";
	meta.subject = "Hồ sơ hộ tịch (test)";
	meta.create_date = "2026-11-24T09:15:00+07:00";

	CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_write(ctx, pages, 2, &meta, pdf_path.buf));
	if (sohoa_errcode(ctx) != SOHOA_OK)
		fprintf(stderr, "error: %s\n", sohoa_errmsg(ctx));

	CHECK_INT_EQ(0, run(&out, "qpdf --check '%s'", pdf_path.buf));
	CHECK(strstr(out.buf, "No syntax or stream encoding errors") != NULL);

	/* the text layer gives the Vietnamese back, diacritics and all */
	CHECK_INT_EQ(0, run(&out, "pdftotext -enc UTF-8 '%s' -", pdf_path.buf));
	CHECK(strstr(out.buf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") != NULL);
	CHECK(strstr(out.buf, "Họ, chữ đệm, tên: Nguyễn Thị Đào") != NULL);
	CHECK(strstr(out.buf, "Ủy ban nhân dân xã Tân Lập") != NULL);
	if (strstr(out.buf, "Nguyễn Thị Đào") == NULL)
		fprintf(stderr, "pdftotext said:\n%s\n", out.buf);

	/* a word's box: selecting the area of "Nguyễn" gives that word */
	CHECK_INT_EQ(0, run(&out, "pdftotext -enc UTF-8 -f 1 -l 1 -r 200 "
	    "-x 700 -y 600 -W 200 -H 45 '%s' -", pdf_path.buf));
	CHECK(strstr(out.buf, "Nguyễn") != NULL);
	CHECK(strstr(out.buf, "Thị") == NULL);

	/* page size: pixels / dpi * 72 */
	CHECK_INT_EQ(0, run(&out, "pdfinfo -f 1 -l 2 '%s'", pdf_path.buf));
	p = strstr(out.buf, "Page    1 size:");
	CHECK(p != NULL && sscanf(p, "Page    1 size: %lf x %lf", &w, &h) == 2 &&
	    w > 595.43 && w < 595.45 && h > 842.03 && h < 842.05);
	p = strstr(out.buf, "Page    2 size:");
	CHECK(p != NULL && sscanf(p, "Page    2 size: %lf x %lf", &w, &h) == 2 &&
	    w > 419.51 && w < 419.53 && h > 595.19 && h < 595.21);
	CHECK_STR_EQ("2", field(&out, "Pages:"));
	CHECK_STR_EQ("no", field(&out, "Encrypted:"));
	CHECK_STR_EQ("Giấy khai sinh – Nguyễn Thị Đào", field(&out, "Title:"));

	/* XMP: PDF/A-2b, and the same title as the Info dictionary */
	CHECK_INT_EQ(0, run(&out, "pdfinfo -meta '%s'", pdf_path.buf));
	CHECK(strstr(out.buf, "<pdfaid:part>2</pdfaid:part>") != NULL);
	CHECK(strstr(out.buf, "<pdfaid:conformance>B</pdfaid:conformance>") != NULL);
	CHECK(strstr(out.buf, ">Giấy khai sinh – Nguyễn Thị Đào<") != NULL);
	CHECK(strstr(out.buf, "<xmp:CreateDate>2026-11-24T09:15:00+07:00<") != NULL);

	/* the XMP is well-formed XML */
	CHECK_INT_EQ(0, run(&out, "pdfinfo -meta '%s' | python3 -c 'import sys, "
	    "xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())'",
	    pdf_path.buf));
	/* Info and XMP agree (PDF/A): author, subject, creation date */
	CHECK_INT_EQ(0, run(&out, "pdfinfo -isodates '%s'", pdf_path.buf));
	CHECK_STR_EQ("UBND xã Tân Lập", field(&out, "Author:"));
	CHECK_STR_EQ("Hồ sơ hộ tịch (test)", field(&out, "Subject:"));
	CHECK_STR_EQ("2026-11-24T09:15:00+07", field(&out, "CreationDate:"));
	CHECK_INT_EQ(0, run(&out, "pdfinfo -meta '%s'", pdf_path.buf));
	CHECK(strstr(out.buf, "<rdf:li>UBND xã Tân Lập</rdf:li>") != NULL);
	CHECK(strstr(out.buf, ">Hồ sơ hộ tịch (test)</rdf:li>") != NULL);
	check_icc(pdf_path.buf);

	/* every font embedded */
	CHECK_INT_EQ(0, run(&out, "pdffonts '%s'", pdf_path.buf));
	CHECK(strstr(out.buf, "GlyphLessFont") != NULL);
	CHECK(all_fonts_embedded(out.buf));

	/* the JPEG went in as it was (DCTDecode passthrough) */
	CHECK_INT_EQ(0, run(&out, "pdfimages -list '%s'", pdf_path.buf));
	CHECK(strstr(out.buf, "1654  2339  rgb     3   8  jpeg") != NULL);
	CHECK(strstr(out.buf, "1748  2480  gray    1   1  image") != NULL);

	sohoa_buf_release(&out);
	sohoa_ctx_destroy(&ctx);
}

/* Grey JPEG, grey PNG and colour PNG pages keep their colour and depth. */
static void
test_image_kinds(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_pdf_page pages[3];
	struct sohoa_buf path[3] = { SOHOA_BUF_INIT, SOHOA_BUF_INIT,
	    SOHOA_BUF_INIT }, pdf = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	PIX *grey = make_page(800, 600, 8, NULL, 0), *rgb;
	int i, c[3] = { 0, 0, 0 };

	pixSetAllArbitrary(grey, 200);
	rgb = pixConvertTo32(grey);
	pixSetAllArbitrary(rgb, 0x20a0f000);
	sohoa_buf_addf(&path[0], "%s/grey.jpg", dir);
	sohoa_buf_addf(&path[1], "%s/grey.png", dir);
	sohoa_buf_addf(&path[2], "%s/rgb.png", dir);
	sohoa_buf_addf(&pdf, "%s/kinds.pdf", dir);
	CHECK_INT_EQ(0, pixWrite(path[0].buf, grey, IFF_JFIF_JPEG));
	CHECK_INT_EQ(0, pixWrite(path[1].buf, grey, IFF_PNG));
	CHECK_INT_EQ(0, pixWrite(path[2].buf, rgb, IFF_PNG));
	memset(pages, 0, sizeof(pages));
	for (i = 0; i < 3; i++) {
		pages[i].image_path = path[i].buf;
		pages[i].dpi = 300;
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_write(ctx, pages, 3, NULL, pdf.buf));
	CHECK_INT_EQ(0, run(&out, "pdfimages -list '%s'", pdf.buf));
	CHECK(strstr(out.buf, "800   600  gray    1   8  jpeg") != NULL);
	CHECK(strstr(out.buf, "800   600  gray    1   8  image") != NULL);
	CHECK(strstr(out.buf, "800   600  rgb     3   8  image") != NULL);
	/* the colour survives: the PNG page renders as that blue */
	CHECK_INT_EQ(0, run(&out, "pdftoppm -r 10 -f 3 -l 3 '%s' | tail -c 3 | "
	    "od -An -tu1", pdf.buf));
	CHECK(sscanf(out.buf, "%d %d %d", &c[0], &c[1], &c[2]) == 3 &&
	    abs(c[0] - 32) <= 3 && abs(c[1] - 160) <= 3 && abs(c[2] - 240) <= 3);
	CHECK_INT_EQ(0, run(&out, "qpdf --check '%s'", pdf.buf));
	CHECK(strstr(out.buf, "No syntax or stream encoding errors") != NULL);
	pixDestroy(&grey);
	pixDestroy(&rgb);
	for (i = 0; i < 3; i++)
		sohoa_buf_release(&path[i]);
	sohoa_buf_release(&pdf);
	sohoa_buf_release(&out);
	sohoa_ctx_destroy(&ctx);
}

static void
test_write_errors(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_pdf_page page;
	struct sohoa_pdf_meta meta;
	struct sohoa_buf bad = SOHOA_BUF_INIT;
	struct stat st;

	sohoa_buf_addf(&bad, "%s/bad.pdf", dir);
	memset(&page, 0, sizeof(page));
	page.image_path = jpg_path.buf;
	page.width = 100;		/* not the image's size */
	page.height = 100;
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, sohoa_pdf_write(ctx, &page, 1, NULL, bad.buf));
	CHECK(strstr(sohoa_errmsg(ctx), "is 1654x2339 pixels") != NULL);
	CHECK(stat(bad.buf, &st) != 0);	/* nothing left under the name */

	page.width = page.height = 0;
	page.image_path = "/nonexistent/page.jpg";
	CHECK(sohoa_pdf_write(ctx, &page, 1, NULL, bad.buf) != SOHOA_OK);
	CHECK(stat(bad.buf, &st) != 0);

	/* a writer closed before finishing leaves nothing behind */
	{
		struct sohoa_pdf_writer *w = NULL;
		struct sohoa_buf ls = SOHOA_BUF_INIT;

		page.image_path = jpg_path.buf;
		CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_writer_open(ctx, bad.buf, NULL, &w));
		CHECK(w != NULL);
		CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_writer_add_page(w, &page));
		sohoa_pdf_writer_close(&w);
		CHECK(w == NULL);
		CHECK(stat(bad.buf, &st) != 0);
		CHECK_INT_EQ(1, run(&ls, "ls '%s' | grep -q tmp", dir));
		sohoa_buf_release(&ls);
	}

	memset(&meta, 0, sizeof(meta));
	meta.create_date = "24/11/2026";
	page.image_path = jpg_path.buf;
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_pdf_write(ctx, &page, 1, &meta, bad.buf));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_pdf_write(ctx, &page, 0, NULL, bad.buf));
	sohoa_buf_release(&bad);
	sohoa_ctx_destroy(&ctx);
}

/* Flip one byte at OFFSET of PATH. */
static void
flip_byte(const char *path, long offset)
{
	FILE *f = fopen(path, "r+b");
	int c;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	fseek(f, offset, SEEK_SET);
	c = fgetc(f);
	fseek(f, offset, SEEK_SET);
	fputc(c == 'A' ? 'B' : 'A', f);
	fclose(f);
}

static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* 1 when the first N bytes of A and B are equal. */
static int
same_prefix(const char *a, const char *b, long n)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa != NULL && fb != NULL;
	long i;

	for (i = 0; same && i < n; i++)
		same = fgetc(fa) == fgetc(fb);
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* Dark pixels in the top right 200 x 90 pt of page 1, rendered by poppler. */
static int
dark_top_right(const char *pdf)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, png = SOHOA_BUF_INIT;
	PIX *pix;
	l_int32 x, y, w, h;
	l_uint32 v;
	int n = 0;

	sohoa_buf_addf(&png, "%s/crop", dir);
	CHECK_INT_EQ(0, run(&out, "pdftoppm -r 144 -gray -f 1 -l 1 -x 790 -y 0 "
	    "-W 400 -H 180 -singlefile -png '%s' '%s'", pdf, png.buf));
	sohoa_buf_adds(&png, ".png");
	pix = pixRead(png.buf);
	CHECK(pix != NULL);
	if (pix != NULL) {
		/* poppler writes RGB even with -gray */
		PIX *g = pixConvertTo8(pix, 0);

		pixDestroy(&pix);
		pix = g;
	}
	if (pix != NULL) {
		pixGetDimensions(pix, &w, &h, NULL);
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++)
				if (pixGetPixel(pix, x, y, &v) == 0 && v < 128)
					n++;
	}
	pixDestroy(&pix);
	sohoa_buf_release(&out);
	sohoa_buf_release(&png);
	return n;
}

static void
test_sign(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_signer *signer = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT, key = SOHOA_BUF_INIT,
	    cert = SOHOA_BUF_INIT, signed_pdf = SOHOA_BUF_INIT,
	    twice = SOHOA_BUF_INIT;
	char iso[26];
	long br[4] = { -1, -1, -1, -1 };
	double r[4] = { 0, 0, 0, 0 };
	const char *p;
	time_t when = 1795498205;	/* 2026-11-24T05:30:05Z */

	sohoa_pdf_format_time(when, iso);
	CHECK_STR_EQ("2026-11-24T12:30:05+07:00", iso);

	sohoa_buf_addf(&key, "%s/key.pem", dir);
	sohoa_buf_addf(&cert, "%s/cert.pem", dir);
	sohoa_buf_addf(&signed_pdf, "%s/signed.pdf", dir);
	sohoa_buf_addf(&twice, "%s/twice.pdf", dir);
	CHECK_INT_EQ(0, run(&out, "openssl req -x509 -newkey rsa:2048 -nodes "
	    "-keyout '%s' -out '%s' -days 30 -subj '/CN=UBND xa Tan Lap/O=UBND "
	    "xa Tan Lap/C=VN'", key.buf, cert.buf));

	/* wrong files are refused with a reason */
	CHECK_INT_EQ(SOHOA_ERR_CRYPTO, sohoa_signer_load(ctx, cert.buf,
	    cert.buf, NULL, &signer));
	CHECK(signer == NULL);
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_signer_load(ctx, "/nonexistent.pem",
	    cert.buf, NULL, &signer));

	sohoa_clear_error(ctx);
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_load(ctx, key.buf, cert.buf, NULL,
	    &signer));
	CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_sign(ctx, signer, pdf_path.buf,
	    signed_pdf.buf, "UBND xã Tân Lập", when));
	if (sohoa_errcode(ctx) != SOHOA_OK)
		fprintf(stderr, "error: %s\n", sohoa_errmsg(ctx));

	/* an incremental update: the PDF/A file is kept byte for byte */
	CHECK(file_size(signed_pdf.buf) > file_size(pdf_path.buf));
	CHECK(same_prefix(pdf_path.buf, signed_pdf.buf, file_size(pdf_path.buf)));

	CHECK_INT_EQ(0, run(&out, "pdfsig '%s'", signed_pdf.buf));
	CHECK(strstr(out.buf, "Signature Validation: Signature is Valid.") != NULL);
	CHECK(strstr(out.buf, "Total document signed") != NULL);
	CHECK(strstr(out.buf, "ETSI.CAdES.detached") != NULL);
	CHECK(strstr(out.buf, "Signer Certificate Common Name: UBND xa Tan Lap") != NULL);
	CHECK(strstr(out.buf, "Signing Time: Nov 24 2026") != NULL);
	if (strstr(out.buf, "Signature is Valid.") == NULL)
		fprintf(stderr, "pdfsig said:\n%s\n", out.buf);

	CHECK_INT_EQ(0, run(&out, "qpdf --check '%s'", signed_pdf.buf));
	CHECK(strstr(out.buf, "No syntax or stream encoding errors") != NULL);
	if (strstr(out.buf, "No syntax or stream encoding errors") == NULL)
		fprintf(stderr, "qpdf said:\n%s\n", out.buf);
	CHECK_INT_EQ(0, run(&out, "pdffonts '%s'", signed_pdf.buf));
	CHECK(strstr(out.buf, "+LiberationSerif") != NULL);
	CHECK(all_fonts_embedded(out.buf));
	/* the signature block is on page 1, top right, and shows text */
	CHECK_INT_EQ(0, run(&out, "grep -a -o '/Rect \\[[0-9. ]*' '%s'",
	    signed_pdf.buf));
	p = strchr(out.buf, '[');
	CHECK(p != NULL && sscanf(p + 1, "%lf %lf %lf %lf", &r[0], &r[1], &r[2],
	    &r[3]) == 4);
	CHECK(r[2] > 560 && r[2] < 595.44 && r[3] > 800 && r[3] < 842.04 &&
	    r[0] > 595.44 / 2 && r[1] > 842.04 / 2);
	CHECK(dark_top_right(signed_pdf.buf) > dark_top_right(pdf_path.buf) + 100);
	/* its text is the office name and the +07:00 time (ToUnicode works) */
	CHECK_INT_EQ(0, run(&out, "pdftotext -enc UTF-8 -l 1 '%s' -",
	    signed_pdf.buf));
	CHECK(strstr(out.buf, "UBND xã Tân Lập\n2026-11-24T12:30:05+07:00") != NULL);

	/* the signed ranges cover the whole file but /Contents */
	CHECK_INT_EQ(0, run(&out, "grep -a -o '/ByteRange \\[[0-9 ]*' '%s'",
	    signed_pdf.buf));
	p = strchr(out.buf, '[');
	CHECK(p != NULL && sscanf(p + 1, "%ld %ld %ld %ld", &br[0], &br[1],
	    &br[2], &br[3]) == 4);
	CHECK_INT_EQ(0, br[0]);
	CHECK_INT_EQ(file_size(signed_pdf.buf), br[2] + br[3]);

	/* signing again (a second signature) keeps the first one valid */
	CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_sign(ctx, signer, signed_pdf.buf,
	    twice.buf, "UBND xã Tân Lập", when + 60));
	CHECK_INT_EQ(0, run(&out, "pdfsig '%s'", twice.buf));
	CHECK(strstr(out.buf, "Signature #2") != NULL);
	p = strstr(out.buf, "Signature #1");
	CHECK(p != NULL && strstr(p, "Signature is Valid.") != NULL);
	p = strstr(out.buf, "Signature #2");
	CHECK(p != NULL && strstr(p, "Signature is Valid.") != NULL &&
	    strstr(p, "Total document signed") != NULL);

	/*
	 * a PDF whose xref is a stream (object streams, as OCRmyPDF writes)
	 * gets an xref stream in its update
	 */
	CHECK_INT_EQ(0, run(&out, "qpdf --object-streams=generate '%s' '%s'",
	    pdf_path.buf, twice.buf));
	CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_sign(ctx, signer, twice.buf, twice.buf,
	    "UBND xã Tân Lập", when));
	CHECK_INT_EQ(0, run(&out, "pdfsig '%s'", twice.buf));
	CHECK(strstr(out.buf, "Signature is Valid.") != NULL &&
	    strstr(out.buf, "Total document signed") != NULL);
	CHECK_INT_EQ(0, run(&out, "qpdf --check '%s'", twice.buf));
	CHECK(strstr(out.buf, "No syntax or stream encoding errors") != NULL);
	CHECK_INT_EQ(0, run(&out, "tail -c 3000 '%s' | grep -a -c '/Type /XRef'",
	    twice.buf));

	/* change one byte inside the signed range: no longer valid */
	flip_byte(signed_pdf.buf, br[1] / 2);
	run(&out, "pdfsig '%s'", signed_pdf.buf);
	CHECK(strstr(out.buf, "Signature is Valid.") == NULL);
	CHECK(strstr(out.buf, "Signature Validation: Digest Mismatch.") != NULL ||
	    strstr(out.buf, "Invalid") != NULL);
	/* and one in the second range, after /Contents */
	CHECK_INT_EQ(SOHOA_OK, sohoa_pdf_sign(ctx, signer, pdf_path.buf,
	    signed_pdf.buf, "UBND xã Tân Lập", when));
	flip_byte(signed_pdf.buf, br[2] + 10);
	run(&out, "pdfsig '%s'", signed_pdf.buf);
	CHECK(strstr(out.buf, "Signature is Valid.") == NULL);

	/* not a PDF, or a PDF cut short: refused, nothing written */
	CHECK_INT_EQ(0, run(&out, "head -c 3000 '%s' > '%s/cut.pdf'",
	    pdf_path.buf, dir));
	sohoa_buf_reset(&twice);
	sohoa_buf_addf(&twice, "%s/cut.pdf", dir);
	CHECK(sohoa_pdf_sign(ctx, signer, twice.buf, signed_pdf.buf, "X",
	    when) != SOHOA_OK);
	CHECK(sohoa_pdf_sign(ctx, signer, jpg_path.buf, signed_pdf.buf, "X",
	    when) == SOHOA_ERR_FORMAT);
	CHECK(strstr(sohoa_errmsg(ctx), "cannot read PDF") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_pdf_sign(ctx, signer, pdf_path.buf,
	    signed_pdf.buf, "", when));
	CHECK_INT_EQ(0, run(&out, "ls '%s' | grep -c tmp", dir) == 0);

	sohoa_signer_destroy(&signer);
	CHECK(signer == NULL);
	sohoa_buf_release(&out);
	sohoa_buf_release(&key);
	sohoa_buf_release(&cert);
	sohoa_buf_release(&signed_pdf);
	sohoa_buf_release(&twice);
	sohoa_ctx_destroy(&ctx);
}

int
main(void)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;

	sohoa_global_init();
	if (!have_tool("pdftotext", "poppler-utils") ||
	    !have_tool("pdfsig", "poppler-utils") ||
	    !have_tool("python3", "python3") ||
	    !have_tool("qpdf", "qpdf") || !have_tool("openssl", "openssl"))
		return 1;
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	make_inputs();
	test_write();
	test_image_kinds();
	test_write_errors();
	test_sign();
	if (check_failures == 0)
		run(&out, "rm -rf '%s'", dir);
	else
		fprintf(stderr, "test files kept in %s\n", dir);
	sohoa_buf_release(&out);
	sohoa_buf_release(&jpg_path);
	sohoa_buf_release(&png_path);
	sohoa_buf_release(&pdf_path);
	return check_done("test_pdf_write");
}
