/*
 * Between ocr/tess.c and the second looks it takes at parts of a page
 * (ocr/tess_signer.c, tess_date.c, tess_lost.c, tess_figures.c): the
 * Tesseract handle itself, so private to ocr/, the rows both make of a
 * page's words, the letter classes of their code points
 * (ocr/tess_letters.c), and the page's text from them
 * (tests/test_ocr_order.c).
 */
#ifndef SOHOA_TESS_LOOK_H
#define SOHOA_TESS_LOOK_H

#include <stddef.h>
#include <stdint.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"

/*
 * Append the words of API's last recognition to PAGE->words: boxes moved
 * by (DX, DY) in the recognised image's pixels, multiplied by SCALE and
 * clipped to VIEW_W x VIEW_H; with TIDY, leader-dot remnants dropped.
 */
int sohoa_tess_words(struct sohoa_ctx *ctx, TessBaseAPI *api, int dx, int dy,
    double scale, int view_w, int view_h, int tidy, struct sohoa_page *page);

/* How a part of a page is cut out to be read alone (sohoa_tess_read_box). */
struct sohoa_tess_cut {
	float enlarge;	/* read this many times larger, from grey; 1: as is */
	int border;	/* white margin round it, in pixels of what is read */
	int clear;	/* binary: strokes running out of it are dropped */
	int dark;	/* grey: the print's ink only, a stamp's lighter ink
			   dropped; read binary */
};

/*
 * Read the part of PIX under BOX (PIX's pixels) alone, cut out as HOW
 * says, as one line at DPI, and append its words to OUT as
 * sohoa_tess_words places them: in view coordinates (view = SCALE x
 * PIX), clipped to VIEW_W x VIEW_H.  A box off the image, or a
 * recognition that fails, reads nothing.  Leaves API holding the cut-out,
 * in automatic page segmentation again.
 */
int sohoa_tess_read_box(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    BOX *box, const struct sohoa_tess_cut *how, int dpi, double scale,
    int view_w, int view_h, struct sohoa_page *out);

/*
 * Letter classes of code points: a letter has a case (sohoa_utf8_case_cp:
 * every Vietnamese letter, marks and all), a digit is 0 to 9.
 */
enum sohoa_tess_class {
	SOHOA_TESS_SMALL = 1 << 0,	/* a small letter */
	SOHOA_TESS_CAPITAL = 1 << 1,	/* a capital or title-case letter */
	SOHOA_TESS_DIGIT = 1 << 2,	/* 0 to 9 */
	SOHOA_TESS_LETTER = SOHOA_TESS_SMALL | SOHOA_TESS_CAPITAL,
	SOHOA_TESS_ALNUM = SOHOA_TESS_LETTER | SOHOA_TESS_DIGIT,
};

/* The class of code point CP: SMALL, CAPITAL, DIGIT, or 0 for neither. */
unsigned sohoa_tess_class_cp(int32_t cp);

/*
 * How many code points of word S are in a class of MASK: with
 * SOHOA_TESS_LETTER its letters, with SOHOA_TESS_ALNUM 0 for a speck of
 * ink ("ˆ", "-").
 */
size_t sohoa_tess_count(const char *s, unsigned mask);

/*
 * Put the N words SRC in PAGE's words in place of the DROP words from
 * word AT (their texts freed; DROP may be 0).  SRC's texts move (SRC[i]
 * keeps NULL), their lines and blocks stay as SRC has them.  Returns
 * SOHOA_ERR_NOMEM with no message, PAGE unchanged, when out of memory.
 */
int sohoa_tess_splice(struct sohoa_page *page, size_t at, size_t drop,
    struct sohoa_word *src, size_t n);

/* A row of a page's words: consecutive words of one line. */
struct sohoa_tess_row {
	size_t first, n;	/* words W[first .. first + n) */
	int x0, y0, x1, y1;	/* the box around them */
};

/*
 * The rows of words W[0..N): a row ends where the line number changes.
 * On success *PROWS is an array of *PNROWS rows for the caller to free();
 * NULL and 0 when N is 0.  Returns SOHOA_ERR_NOMEM with no message (there
 * is no ctx): the caller says it.
 */
int sohoa_tess_rows(const struct sohoa_word *w, size_t n,
    struct sohoa_tess_row **prows, size_t *pnrows);

/*
 * Append PAGE's plain text, from its words, to OUT in reading order
 * (ocr/tess_order.c): one line per line, a blank line between blocks,
 * side-by-side blocks (the header's two columns, "Nơi nhận" beside the
 * signer) one after the other, a table of two columns row by row and
 * cell by cell.  PAGE_W: the width of the words' view.
 */
int sohoa_tess_text(const struct sohoa_page *page, int page_w,
    struct sohoa_buf *out);

/*
 * When no row under the signer's title in PAGE (read from PIX at DPI;
 * words in view coordinates, SCALE times PIX's) is surely a name, read
 * that region again and put the surest reading of the name's row in
 * PAGE's words.  GREY: the grey scan, in view coordinates, with the
 * stamp's ink still in it (a row is read from it too), or NULL.  Leaves
 * API holding a cut-out: call it last.
 */
int sohoa_tess_signer_row(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    PIX *grey, int dpi, double scale, int view_w, int view_h,
    struct sohoa_page *page);

/*
 * When the place-and-date line of PAGE (", ngày D tháng M năm Y") does
 * not read as plain numbers read surely, read that row of PIX (the page
 * in grey, or its binary image; view = SCALE x PIX) again, larger, and
 * put its date in PAGE's words when it makes a valid one that keeps the
 * numbers read plainly (ocr/tess_date.c).  Leaves API holding a
 * cut-out of PIX.
 */
int sohoa_tess_date_row(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    int dpi, double scale, int view_w, int view_h, struct sohoa_page *page);

/*
 * Find the lines of BIN (the page read, 1 bpp; PAGE's words in view
 * coordinates, SCALE times BIN's) that Tesseract's layout lost --
 * letter-sized ink along a line that no word covers -- read each part
 * of them alone, and put the readings sure enough in PAGE's words, each
 * a line of its own after the line above it in its columns
 * (ocr/tess_lost.c).
 * API must hold BIN; it still does after, in automatic segmentation,
 * its rectangle the last part read (a look after sets its own).
 * A page of another depth is left as it is.
 */
int sohoa_tess_lost_lines(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *bin,
    int dpi, double scale, int view_w, int view_h, struct sohoa_page *page);

/*
 * Read again, with API (the English model; NULL: nothing happens), each
 * word of PAGE read as digits mixed with letters that look like digits
 * ("2o/oo/2o22": old-style figures), from PIX at DPI (view = SCALE x
 * PIX), and give it the new reading when that is all its digits
 * (ocr/tess_figures.c).
 */
int sohoa_tess_figures(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    int dpi, double scale, int view_w, int view_h, struct sohoa_page *page);

#endif
