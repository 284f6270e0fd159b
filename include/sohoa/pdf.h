/*
 * Archival PDFs (Thông tư 05/2025/TT-BNV Điều 8): one two-layer PDF/A-2b
 * per document -- each page's view image (JPEG passed through, PNG
 * deflated, colour kept) under an invisible OCR text layer built from the
 * word boxes -- and the office's PAdES signature, added afterwards as an
 * incremental update with a visible "office name + ISO 8601 time" block at
 * the top right of page 1.
 *
 * Entry points:
 *   sohoa_pdf_write            whole document from an array of pages
 *   sohoa_pdf_writer_open      the same, one page at a time
 *     sohoa_pdf_writer_add_page / _finish / _close
 *   sohoa_pdf_sign             sign a PDF (PAdES, ETSI.CAdES.detached) with
 *                              a signer of sohoa/sign.h
 *
 * Fonts are read at run time from Debian packages: the text layer uses
 * Tesseract's glyphless font (/usr/share/tesseract-ocr/5/tessdata/pdf.ttf,
 * package libtesseract5/tesseract-ocr) and the signature block Liberation
 * Serif (package fonts-liberation2), metric-compatible with Times New Roman.
 */
#ifndef SOHOA_PDF_H
#define SOHOA_PDF_H

#include <stddef.h>
#include <time.h>

#include "sohoa/sohoa.h"
#include "sohoa/page.h"

/* One page of a document, filled by the caller; only borrowed. */
struct sohoa_pdf_page {
	/* the page's upright view image: a JPEG or PNG file */
	const char *image_path;
	/* "jpeg" or "png"; NULL: from the file's magic bytes */
	const char *image_type;
	int width, height;	/* image pixels; 0: read from the file */
	/* resolution; page size = pixels / dpi * 72 pt; <= 0: 200 */
	int dpi;
	/* OCR words, boxes in image pixels, in reading order */
	const struct sohoa_word *words;
	size_t nwords;
};

/*
 * Document metadata, written both to the Info dictionary and to the XMP
 * packet (PDF/A wants them equal).  Every field may be NULL.
 */
struct sohoa_pdf_meta {
	const char *title;	/* dc:title, "Giấy khai sinh – Nguyễn Văn An" */
	const char *author;	/* dc:creator, e.g. the office's name */
	const char *subject;	/* dc:description */
	const char *keywords;	/* pdf:Keywords */
	const char *creator;	/* xmp:CreatorTool; NULL: "sohoa <version>" */
	const char *lang;	/* dc:language and /Lang; NULL: "vi" */
	/* ISO 8601 with offset, "2026-11-24T12:30:05+07:00"; NULL: now */
	const char *create_date;
};

/*
 * Write the document's PDF/A-2b to OUT_PATH: NPAGES pages in order, each
 * image read from its file one page at a time (memory stays bounded by one
 * page).  The file appears under OUT_PATH only when complete (temporary
 * file in the same directory, then rename).  META may be NULL.  Returns
 * SOHOA_OK, or an error code with the message on CTX (SOHOA_ERR_FORMAT for
 * an image it cannot read, SOHOA_ERR_IO, SOHOA_ERR_NOTFOUND when a font
 * package is missing).
 */
int sohoa_pdf_write(struct sohoa_ctx *ctx, const struct sohoa_pdf_page *pages,
    size_t npages, const struct sohoa_pdf_meta *meta, const char *out_path);

/*
 * The same as a stream, for callers that load one page at a time:
 *
 *	rc = sohoa_pdf_writer_open(ctx, path, &meta, &w);
 *	for (each page && rc == SOHOA_OK)
 *		rc = sohoa_pdf_writer_add_page(w, &page);
 *	if (rc == SOHOA_OK)
 *		rc = sohoa_pdf_writer_finish(w);
 *	sohoa_pdf_writer_close(&w);
 *
 * open sets *pwriter (NULL on failure).  add_page copies what it needs from
 * PAGE before returning.  finish writes the trailer and renames the file
 * into place; a document needs at least one page.  close frees the writer
 * and, when finish did not succeed, removes the temporary file; NULL-safe.
 * A writer is used by one thread at a time and reports errors on CTX.
 */
struct sohoa_pdf_writer;
int sohoa_pdf_writer_open(struct sohoa_ctx *ctx, const char *out_path,
    const struct sohoa_pdf_meta *meta, struct sohoa_pdf_writer **pwriter);
int sohoa_pdf_writer_add_page(struct sohoa_pdf_writer *w,
    const struct sohoa_pdf_page *page);
int sohoa_pdf_writer_finish(struct sohoa_pdf_writer *w);
void sohoa_pdf_writer_close(struct sohoa_pdf_writer **pwriter);

struct sohoa_signer;

/*
 * Sign IN_PDF into OUT_PDF (which may be the same path; written through a
 * temporary file and a rename).  The original bytes are kept unchanged
 * and an incremental update is appended: a signature field with a visible
 * appearance at the top right of page 1 showing OFFICE_NAME (UTF-8) and
 * WHEN as ISO 8601 Vietnam time ("2026-11-24T12:30:05+07:00") in Liberation
 * Serif (Times New Roman metrics) 10 pt black, no seal image; a /Sig
 * dictionary /Adobe.PPKLite /ETSI.CAdES.detached, /M = WHEN, whose
 * /Contents is SIGNER's DER CMS detached signature over the /ByteRange
 * with the PAdES baseline B-B attributes (SOHOA_SIGN_PADES: SHA-256, ESS
 * signing-certificate-v2, no signing-time).  Returns SOHOA_OK or an error
 * code with the message on CTX.
 */
int sohoa_pdf_sign(struct sohoa_ctx *ctx, const struct sohoa_signer *signer,
    const char *in_pdf, const char *out_pdf, const char *office_name,
    time_t when);

/*
 * Format WHEN as ISO 8601 in Vietnam time (UTC+07:00, no daylight saving):
 * "2026-11-24T12:30:05+07:00".  OUT must hold 26 bytes.
 */
void sohoa_pdf_format_time(time_t when, char out[26]);

/*
 * 1 when S is a date the writer accepts for create_date: ISO 8601
 * "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM"; else 0.
 */
int sohoa_pdf_date_valid(const char *s);

#endif
