/*
 * Tests of barcodes and separator sheets (pipeline/barcode.c): what a
 * code says (split, dossier, nothing; bad dossier codes refused), a sheet
 * drawn and read back with its UTF-8 dossier code intact -- also scanned
 * at 100 dpi and turned a quarter -- a small QR code of the kind TT
 * 01/2022 papers carry found on a scanned form page with no false
 * reading, and no code found on a page that has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <qrencode.h>

#include "sohoa/sohoa.h"
#include "sohoa/barcode.h"
#include "sohoa/buf.h"
#include "check.h"

static struct sohoa_ctx *ctx;
static const char *srcdir;

static void
check_separator(const char *data, int want, const char *want_dossier)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;
	int got = sohoa_barcode_separator(data, &d);

	if (got != want)
		fprintf(stderr, "'%s': want %d, got %d\n", data, want, got);
	CHECK_INT_EQ(want, got);
	if (want_dossier != NULL)
		CHECK_STR_EQ(want_dossier, d.buf);
	sohoa_buf_release(&d);
}

/* The codes PIX holds, as "type:data;" in reading order. */
static void
codes_of(PIX *pix, struct sohoa_buf *out)
{
	struct sohoa_codes codes;
	size_t i;

	sohoa_buf_reset(out);
	CHECK_INT_EQ(SOHOA_OK, sohoa_barcode_scan(ctx, pix, &codes));
	for (i = 0; i < codes.n; i++)
		sohoa_buf_addf(out, "%s:%s;", codes.v[i].type, codes.v[i].data);
	sohoa_codes_release(&codes);
}

static void
test_separator(void)
{
	check_separator("SOHOA:SPLIT", SOHOA_SEPARATOR_SPLIT, NULL);
	check_separator("PATCHT", SOHOA_SEPARATOR_SPLIT, NULL);
	check_separator("SOHOA:DOSSIER=HS-2024-0001", SOHOA_SEPARATOR_DOSSIER,
	    "HS-2024-0001");
	check_separator("SOHOA:DOSSIER= HS-1 ", SOHOA_SEPARATOR_DOSSIER,
	    "HS-1");
	/* decomposed marks come out composed (NFC) */
	check_separator("SOHOA:DOSSIER=Ha\xcc\x89i", SOHOA_SEPARATOR_DOSSIER,
	    "H\xe1\xba\xa3i");
	check_separator("SOHOA:DOSSIER=", SOHOA_SEPARATOR_NONE, NULL);
	check_separator("SOHOA:DOSSIER=HS\x01X", SOHOA_SEPARATOR_NONE, NULL);
	check_separator("SOHOA:SPLITX", SOHOA_SEPARATOR_NONE, NULL);
	check_separator("https://hotich.moj.gov.vn/?ma=1", SOHOA_SEPARATOR_NONE,
	    NULL);
}

static void
test_sheet(void)
{
	static const char code[] = "SOHOA:DOSSIER=HS-X\xc3\xa3 T\xc3\xa2n "
	    "H\xe1\xba\xa3i-01";	/* HS-Xã Tân Hải-01 */
	struct sohoa_buf got = SOHOA_BUF_INIT, want = SOHOA_BUF_INIT;
	PIX *sheet = NULL, *small, *turned;

	CHECK_INT_EQ(SOHOA_OK, sohoa_barcode_sheet(ctx, code, "SOHOA\n"
	    "H\xe1\xbb\x93 s\xc6\xa1: HS-1", &sheet));
	CHECK(sheet != NULL);
	if (sheet == NULL)
		return;
	CHECK_INT_EQ(2480, pixGetWidth(sheet));
	CHECK_INT_EQ(3508, pixGetHeight(sheet));
	sohoa_buf_addf(&want, "QR-Code:%s;", code);
	codes_of(sheet, &got);
	CHECK_STR_EQ(want.buf, got.buf);
	/* a cheap scanner: 100 dpi grey, and fed the wrong way round */
	small = pixScaleToGray3(sheet);
	codes_of(small, &got);
	CHECK_STR_EQ(want.buf, got.buf);
	turned = pixRotate90(small, 1);
	codes_of(turned, &got);
	CHECK_STR_EQ(want.buf, got.buf);
	pixDestroy(&turned);
	pixDestroy(&small);
	pixDestroy(&sheet);
	/* a code too long for a sheet is refused, not drawn over the edge */
	sohoa_buf_reset(&want);
	while (want.len < 3000)
		sohoa_buf_adds(&want, "SOHOA:DOSSIER=HS-2024-0001-");
	CHECK(sohoa_barcode_sheet(ctx, want.buf, NULL, &sheet) ==
	    SOHOA_ERR_INPUT);
	CHECK(sheet == NULL);
	sohoa_clear_error(ctx);
	sohoa_buf_release(&got);
	sohoa_buf_release(&want);
}

static void
test_page(void)
{
	static const char url[] = "https://hotich.moj.gov.vn/tracuu?ma="
	    "TL-2024-000123456";
	struct sohoa_buf path = SOHOA_BUF_INIT, got = SOHOA_BUF_INIT;
	QRcode *qr;
	PIX *page, *grey;
	int i, j, mod = 6, x0 = 1900, y0 = 3000;

	sohoa_buf_addf(&path, "%s/samples/birth-clean.jpg", srcdir);
	page = pixRead(path.buf);
	CHECK(page != NULL);
	if (page == NULL)
		return;
	/* a 2 cm code at the foot of the form, as an electronic copy has */
	grey = pixConvertTo8(page, 0);
	qr = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M);
	CHECK(qr != NULL);
	pixRasterop(grey, x0 - 4 * mod, y0 - 4 * mod, (qr->width + 8) * mod,
	    (qr->width + 8) * mod, PIX_SET, NULL, 0, 0);	/* quiet zone */
	for (i = 0; i < qr->width; i++)
		for (j = 0; j < qr->width; j++)
			if (qr->data[i * qr->width + j] & 1)
				pixRasterop(grey, x0 + j * mod, y0 + i * mod, mod, mod,
				    PIX_CLR, NULL, 0, 0);
	QRcode_free(qr);
	codes_of(grey, &got);
	CHECK_STR_EQ("QR-Code:https://hotich.moj.gov.vn/tracuu?ma="
	    "TL-2024-000123456;", got.buf);
	pixDestroy(&grey);
	pixDestroy(&page);
	/* a form with no code: nothing read in its text */
	sohoa_buf_reset(&path);
	sohoa_buf_addf(&path, "%s/samples/death-clean-g4.tif", srcdir);
	page = pixRead(path.buf);
	CHECK(page != NULL);
	if (page != NULL) {
		codes_of(page, &got);
		CHECK_STR_EQ("", got.buf);
	}
	pixDestroy(&page);
	sohoa_buf_release(&path);
	sohoa_buf_release(&got);
}

int
main(void)
{
	srcdir = getenv("SOHOA_SOURCE_DIR");
	if (srcdir == NULL)
		srcdir = SOHOA_SOURCE_DIR;
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL)
		return 1;
	test_separator();
	test_sheet();
	test_page();
	sohoa_ctx_destroy(&ctx);
	return check_done("test_pipeline_barcode");
}
