/*
 * Shared by the PDF writer and signer: a counting output file, PDF string
 * and date syntax, font locations.
 */
#ifndef SOHOA_PDF_PRIVATE_H
#define SOHOA_PDF_PRIVATE_H

#include <stdio.h>
#include <time.h>
#include <sys/types.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/tmp.h"

/* Tesseract's glyphless font (one empty glyph, every code maps to it). */
#define PDF_GLYPHLESS_FONT "/usr/share/tesseract-ocr/5/tessdata/pdf.ttf"
#define PDF_GLYPHLESS_PACKAGE "libtesseract5"
/* Liberation Serif: the metrics of Times New Roman, SIL OFL. */
#define PDF_SERIF_FONT \
	"/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
#define PDF_SERIF_PACKAGE "fonts-liberation2"

/*
 * A file written front to back that knows its offset.  Errors stick: the
 * first failed write is remembered and reported by out_check().
 */
struct pdf_out {
	FILE *f;
	off_t pos;
	int err;		/* errno of the first failed write, 0 if none */
	void *md;		/* EVP_MD_CTX fed with every byte, or NULL */
};

void out_add(struct pdf_out *o, const void *data, size_t len);
void out_adds(struct pdf_out *o, const char *s);
void out_addf(struct pdf_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Copy LEN bytes of F (from its current position) to O; -1 on short read. */
int out_copy_file(struct pdf_out *o, FILE *f, off_t len);
/* SOHOA_OK, or SOHOA_ERR_IO naming PATH when a write failed. */
int out_check(struct sohoa_ctx *ctx, const struct pdf_out *o, const char *path);

/*
 * PDF text string for UTF-8 S: a literal "(...)" when S is printable
 * ASCII, else "<FEFF....>" UTF-16BE.
 */
int pdf_add_text_string(struct sohoa_buf *b, const char *s);
/* Append S with XML's five special characters escaped. */
int pdf_add_xml_escaped(struct sohoa_buf *b, const char *s);

/*
 * Parse ISO 8601 "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM"
 * into *PT (the broken-down local time as written) and *POFFSET (minutes
 * east of UTC).  Returns 0, or -1 when S is not in that form.
 */
int pdf_parse_iso(const char *s, struct tm *pt, int *poffset);
/* "D:20261124123005+07'00'" for that time. */
int pdf_add_date(struct sohoa_buf *b, const struct tm *t, int offset);

/* Read a whole (small) file into B; SOHOA_ERR_NOTFOUND naming PACKAGE. */
int pdf_read_font(struct sohoa_ctx *ctx, const char *path, const char *package,
    struct sohoa_buf *b);

/*
 * Start writing PATH whole (sohoa_tmp_file_for): *pf is a stream on the
 * held temporary file T.  pdf_temp_commit() closes the stream and commits
 * T as PATH, mode 0644 (sohoa_tmp_commit); on failure the caller drops T
 * with sohoa_tmp_remove() after closing *pf if it is still open.
 */
int pdf_temp_open(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_tmp *t, FILE **pf);
int pdf_temp_commit(struct sohoa_ctx *ctx, FILE **pf, struct sohoa_tmp *t,
    const char *path);

#endif
