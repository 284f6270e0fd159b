/*
 * Barcodes and QR codes on scanned pages (zbar), and the separator
 * sheets a scanner room puts between dossiers and documents.
 *
 *   sohoa_barcode_scan       every code on a page
 *   sohoa_codes_release
 *   sohoa_barcode_separator  what a code says: split, new dossier, nothing
 *   sohoa_barcode_sheet      the page of a separator sheet, to print
 *
 * A separator sheet carries a QR code "SOHOA:DOSSIER=<code>" (the pages
 * after it go to that dossier) or "SOHOA:SPLIT" (a new document starts
 * after it); paperless-ngx's "PATCHT" barcode is read as SOHOA:SPLIT.
 * Ingest stores no document page for a sheet.
 */
#ifndef SOHOA_BARCODE_H
#define SOHOA_BARCODE_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

struct Pix;

/* What a separator code starts with. */
#define SOHOA_CODE_PREFIX "SOHOA:"

/* One code read on a page. */
struct sohoa_code {
	char *type;		/* zbar's name: "QR-Code", "CODE-128", ... */
	char *data;		/* its text, UTF-8 */
	int x0, y0, x1, y1;	/* where it is, in the page's pixels */
};

struct sohoa_codes {
	struct sohoa_code *v;
	size_t n;
};

/*
 * Read every barcode and QR code on PIX (any depth) into OUT (zeroed by
 * the caller, released with sohoa_codes_release), in reading order (top
 * to bottom).  A code's bytes are its text when they are UTF-8, else
 * they are read as ISO 8859-1 (the QR default); codes holding binary
 * data (NUL bytes) are left out.  Calls on different threads are safe.
 */
int sohoa_barcode_scan(struct sohoa_ctx *ctx, const struct Pix *pix,
    struct sohoa_codes *out);
void sohoa_codes_release(struct sohoa_codes *codes);

enum sohoa_separator {
	SOHOA_SEPARATOR_NONE = 0,	/* not a separator code */
	SOHOA_SEPARATOR_SPLIT,		/* a new document starts after it */
	SOHOA_SEPARATOR_DOSSIER,	/* the pages after it go to a dossier */
};

/*
 * What code text DATA says (enum sohoa_separator); for a dossier its
 * code (NFC, spaces trimmed) is appended to DOSSIER (may be NULL).  A
 * "SOHOA:DOSSIER=" with no code, or a code with control characters, is
 * SOHOA_SEPARATOR_NONE.
 */
int sohoa_barcode_separator(const char *data, struct sohoa_buf *dossier);

/*
 * The page of a separator sheet saying DATA ("SOHOA:DOSSIER=HS-2024-0001"
 * or "SOHOA:SPLIT"): an A4 page at 300 dpi, 1 bpp, with DATA as a large
 * QR code and, under it, CAPTION lines ('\n' between them) in letters
 * without marks (a bitmap font).  *ppix is freed with pixDestroy.
 */
int sohoa_barcode_sheet(struct sohoa_ctx *ctx, const char *data,
    const char *caption, struct Pix **ppix);

#endif
