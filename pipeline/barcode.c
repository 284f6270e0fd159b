/*
 * Barcodes and QR codes: reading them with zbar's C API (LGPL-2.1+,
 * linked dynamically; design notes 4: zbar found QR and Code 128 codes
 * on G4 pages with UTF-8 intact, where bookworm's zxing 1.4 aborts on
 * several codes), and drawing separator sheets with libqrencode.
 *
 *   sohoa_barcode_scan / sohoa_codes_release
 *   sohoa_barcode_separator
 *   sohoa_barcode_sheet
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <qrencode.h>
#include <zbar.h>

#include "sohoa/barcode.h"
#include "sohoa/utf8.h"

/* A4 at 300 dpi. */
#define SHEET_W 2480
#define SHEET_H 3508
/* Side of a QR module on the sheet: 2 mm reads at any scan resolution. */
#define SHEET_MODULE 24

void
sohoa_codes_release(struct sohoa_codes *codes)
{
	size_t i;

	if (codes == NULL)
		return;
	for (i = 0; i < codes->n; i++) {
		free(codes->v[i].type);
		free(codes->v[i].data);
	}
	free(codes->v);
	codes->v = NULL;
	codes->n = 0;
}

/*
 * The text of a code's bytes: UTF-8 when they are (what QR encoders write
 * today, ours included), else ISO 8859-1, the QR standard's own default.
 * zbar's guess (it tries Shift-JIS and Big5 first) turned "Hải" into
 * CJK, so codes are read as bytes (ZBAR_CFG_BINARY) and decided here.
 */
static char *
code_text(const char *data, size_t len)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	if (memchr(data, '\0', len) != NULL)
		return NULL;
	if (sohoa_utf8_valid(data, len))
		rc = sohoa_buf_add(&t, data, len);
	else
		for (i = 0; i < len && rc == SOHOA_OK; i++)
			rc = sohoa_utf8_add_cp(&t, (unsigned char)data[i]);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&t);
		return NULL;
	}
	return sohoa_buf_detach(&t, NULL);
}

static int
code_add(struct sohoa_codes *out, const zbar_symbol_t *sym)
{
	struct sohoa_code *v, *c;
	const char *data = zbar_symbol_get_data(sym);
	unsigned i, n = zbar_symbol_get_loc_size(sym);
	char *text;
	int x, y;

	if (data == NULL || (text = code_text(data,
	    zbar_symbol_get_data_length(sym))) == NULL)
		return SOHOA_OK;	/* binary data, no text */
	v = realloc(out->v, (out->n + 1) * sizeof(*v));
	if (v == NULL) {
		free(text);
		return SOHOA_ERR_NOMEM;
	}
	out->v = v;
	c = &v[out->n];
	memset(c, 0, sizeof(*c));
	c->type = strdup(zbar_get_symbol_name(zbar_symbol_get_type(sym)));
	c->data = text;
	if (c->type == NULL) {
		free(c->type);
		free(c->data);
		return SOHOA_ERR_NOMEM;
	}
	c->x0 = c->y0 = INT32_MAX;
	for (i = 0; i < n; i++) {
		x = zbar_symbol_get_loc_x(sym, i);
		y = zbar_symbol_get_loc_y(sym, i);
		c->x0 = x < c->x0 ? x : c->x0;
		c->y0 = y < c->y0 ? y : c->y0;
		c->x1 = x > c->x1 ? x : c->x1;
		c->y1 = y > c->y1 ? y : c->y1;
	}
	if (n == 0)
		c->x0 = c->y0 = 0;
	out->n++;
	return SOHOA_OK;
}

static int
by_top(const void *a, const void *b)
{
	const struct sohoa_code *x = a, *y = b;

	return x->y0 != y->y0 ? (x->y0 < y->y0 ? -1 : 1) :
	    x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

int
sohoa_barcode_scan(struct sohoa_ctx *ctx, const struct Pix *cpix,
    struct sohoa_codes *out)
{
	PIX *pix = (PIX *)cpix, *grey = NULL;
	zbar_image_scanner_t *scanner = NULL;
	zbar_image_t *image = NULL;
	const zbar_symbol_t *sym;
	unsigned char *y8 = NULL;
	l_uint32 *line;
	int w, h, x, row, rc = SOHOA_OK;

	memset(out, 0, sizeof(*out));
	w = pixGetWidth(pix);
	h = pixGetHeight(pix);
	grey = pixGetDepth(pix) == 8 && pixGetColormap(pix) == NULL ?
	    pixClone(pix) : pixConvertTo8(pix, 0);
	y8 = malloc((size_t)w * (size_t)h);
	scanner = zbar_image_scanner_create();
	image = zbar_image_create();
	if (grey == NULL || y8 == NULL || scanner == NULL || image == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* zbar wants Y800: one byte a pixel, rows packed */
	for (row = 0; row < h; row++) {
		line = pixGetData(grey) + (size_t)row * pixGetWpl(grey);
		for (x = 0; x < w; x++)
			y8[(size_t)row * w + x] = (unsigned char)GET_DATA_BYTE(line,
			    x);
	}
	/*
	 * QR codes and the linear codes separator sheets use; EAN, UPC,
	 * I2/5, DataBar and Codabar are off: on a page of text they only
	 * add false readings (a stray "71"), and time.
	 */
	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_CODE39, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(image, (unsigned)w, (unsigned)h);
	zbar_image_set_data(image, y8, (unsigned long)w * h, NULL);
	if (zbar_scan_image(scanner, image) < 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot look for "
		    "barcodes on the page");
		goto out;
	}
	for (sym = zbar_image_first_symbol(image); sym != NULL && rc ==
	    SOHOA_OK; sym = zbar_symbol_next(sym))
		rc = code_add(out, sym);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), by_top);
out:
	if (rc != SOHOA_OK)
		sohoa_codes_release(out);
	if (image != NULL)
		zbar_image_destroy(image);
	if (scanner != NULL)
		zbar_image_scanner_destroy(scanner);
	free(y8);
	pixDestroy(&grey);
	return rc;
}

int
sohoa_barcode_separator(const char *data, struct sohoa_buf *dossier)
{
	static const char dos[] = SOHOA_CODE_PREFIX "DOSSIER=";
	const char *b, *e, *p;

	while (*data == ' ')
		data++;
	if (strcmp(data, SOHOA_CODE_PREFIX "SPLIT") == 0 ||
	    strcmp(data, "PATCHT") == 0)
		return SOHOA_SEPARATOR_SPLIT;
	if (strncmp(data, dos, sizeof(dos) - 1) != 0)
		return SOHOA_SEPARATOR_NONE;
	b = data + sizeof(dos) - 1;
	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (e == b)
		return SOHOA_SEPARATOR_NONE;
	for (p = b; p < e; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return SOHOA_SEPARATOR_NONE;
	if (dossier != NULL && sohoa_utf8_nfc(b, (size_t)(e - b), dossier) !=
	    SOHOA_OK)
		return SOHOA_SEPARATOR_NONE;
	return SOHOA_SEPARATOR_DOSSIER;
}

/* TEXT in letters the bitmap font has: marks dropped, case kept. */
static int
plain_letters(const char *text, struct sohoa_buf *out)
{
	size_t n, len = strlen(text);
	int32_t cp, base;
	int rc = SOHOA_OK;

	while (len > 0 && rc == SOHOA_OK) {
		n = sohoa_utf8_decode(text, len, &cp);
		if (n == 0)
			n = 1, cp = '?';
		text += n;
		len -= n;
		if (cp == '\n' || (cp >= 0x20 && cp < 0x7f)) {
			rc = sohoa_buf_addch(out, (int)cp);
			continue;
		}
		base = sohoa_utf8_fold_cp(cp);
		if (base < 0x20 || base >= 0x7f)
			base = '?';
		else if (sohoa_utf8_case_cp(cp) > 0)
			base = toupper((int)base);
		rc = sohoa_buf_addch(out, (int)base);
	}
	return rc;
}

/* Width in pixels of the widest line of TEXT in BMF. */
static int
text_width(L_BMF *bmf, const char *text)
{
	struct sohoa_buf line = SOHOA_BUF_INIT;
	const char *nl;
	l_int32 w, max = 1;

	for (; *text; text = *nl ? nl + 1 : nl) {
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		sohoa_buf_reset(&line);
		if (sohoa_buf_add(&line, text, (size_t)(nl - text)) == SOHOA_OK &&
		    bmfGetStringWidth(bmf, line.buf, &w) == 0 && w > max)
			max = w;
	}
	sohoa_buf_release(&line);
	return max;
}

int
sohoa_barcode_sheet(struct sohoa_ctx *ctx, const char *data,
    const char *caption, struct Pix **ppix)
{
	struct sohoa_buf text = SOHOA_BUF_INIT;
	QRcode *qr = NULL;
	L_BMF *bmf = NULL;
	PIX *page = NULL, *lines = NULL, *big = NULL;
	float scale;
	int side, x0, y0, i, j, rc = SOHOA_OK;

	*ppix = NULL;
	qr = QRcode_encodeString8bit(data, 0, QR_ECLEVEL_M);
	if (qr == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "cannot make a QR "
		    "code of '%s': too long", data);
	side = qr->width * SHEET_MODULE;
	if (side > SHEET_W - 400) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "cannot make a QR code"
		    " of '%s': too long for a sheet", data);
		goto out;
	}
	page = pixCreate(SHEET_W, SHEET_H, 1);
	if (page == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	pixSetResolution(page, 300, 300);
	x0 = (SHEET_W - side) / 2;
	y0 = 500;
	for (i = 0; i < qr->width; i++)
		for (j = 0; j < qr->width; j++)
			if (qr->data[i * qr->width + j] & 1)
				pixRasterop(page, x0 + j * SHEET_MODULE, y0 + i *
				    SHEET_MODULE, SHEET_MODULE, SHEET_MODULE,
				    PIX_SET, NULL, 0, 0);
	/* the caption, scaled up from the largest bitmap font */
	if (caption != NULL && *caption != '\0') {
		bmf = bmfCreate(NULL, 20);
		if (bmf == NULL || plain_letters(caption, &text) != SOHOA_OK) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
			goto out;
		}
		/* the lines are added below a strip as wide as the longest */
		lines = pixCreate(text_width(bmf, text.buf) + 40, 1, 1);
		big = lines != NULL ? pixAddTextlines(lines, bmf, text.buf, 1,
		    L_ADD_BELOW) : NULL;
		pixDestroy(&lines);
		scale = big != NULL ? fminf(3.0f, (float)(SHEET_W - 200) /
		    (float)pixGetWidth(big)) : 1;
		lines = big != NULL ? pixScale(big, scale, scale) : NULL;
		if (lines == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
			goto out;
		}
		pixRasterop(page, (SHEET_W - pixGetWidth(lines)) / 2, y0 + side +
		    150, pixGetWidth(lines), pixGetHeight(lines), PIX_PAINT,
		    lines, 0, 0);
	}
	*ppix = page;
	page = NULL;
out:
	QRcode_free(qr);
	bmfDestroy(&bmf);
	pixDestroy(&page);
	pixDestroy(&lines);
	pixDestroy(&big);
	sohoa_buf_release(&text);
	return rc;
}
