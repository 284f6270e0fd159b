/*
 * What the pipeline makes of one scanned page, and of one document (a run
 * of pages).  These structs are shared by the pipeline (which fills them),
 * field extraction, the archive, the PDF writer and the bundles.
 */
#ifndef SOHOA_PAGE_H
#define SOHOA_PAGE_H

#include <stddef.h>

/* One recognised word, in reading order. */
struct sohoa_word {
	char *text;		/* NFC UTF-8, owned */
	int x0, y0, x1, y1;	/* box in the upright page image, pixels */
	float conf;		/* 0..100 */
	int line;		/* line number on the page, 0-based, reading order */
	int block;		/* block number on the page, 0-based */
};

enum sohoa_page_status {
	SOHOA_PAGE_OK = 0,
	SOHOA_PAGE_BLANK,	/* blank page: recorded, not OCR'd */
	SOHOA_PAGE_LOWCONF,	/* read, but needs a human look */
	SOHOA_PAGE_FAILED,	/* could not be read; error says why */
};

/* Mean confidence below which a page is SOHOA_PAGE_LOWCONF. */
#define SOHOA_PAGE_LOWCONF_THRESHOLD 70.0f

struct sohoa_page {
	int pageno;		/* 0-based page number in the source file */
	int width, height;	/* upright image, pixels */
	int dpi;		/* resolution of the upright image (estimated if untagged) */
	int orientation;	/* 0/90/180/270: clockwise rotation applied to make it upright */
	float skew;		/* degrees of skew corrected */
	float confidence;	/* mean word confidence 0..100 (0 for blank/failed) */
	int status;		/* enum sohoa_page_status */
	char *text;		/* plain text, NFC, lines end with '\n'; owned, never NULL after success */
	char *hocr;		/* hOCR fragment for the page (div class ocr_page); owned, may be NULL */
	struct sohoa_word *words;	/* owned array of nwords */
	size_t nwords;
	/*
	 * The page as it should be viewed and put in the PDF: the colour (or
	 * grey) original, turned upright and deskewed, never binarised, encoded
	 * (JPEG for colour/grey, PNG for bilevel).  Word boxes are in its
	 * coordinates.  Owned; may be NULL for failed pages.
	 */
	unsigned char *image;
	size_t image_len;
	char image_type[8];	/* "jpeg" or "png" */
	char *error;		/* why it failed (SOHOA_PAGE_FAILED); owned */
	double seconds;		/* wall time spent on this page */
};

/* Free everything a page owns and the page itself; NULL-safe, sets *ppage NULL. */
void sohoa_page_destroy(struct sohoa_page **ppage);
/* Free what a page owns but not the struct (for pages in arrays). */
void sohoa_page_release(struct sohoa_page *page);

/*
 * One extracted field of a document.  A field every form of its type
 * carries that was not read at all (doctypes' "expect = yes") is there
 * with an empty value, no raw text, confidence 0 and flagged, so that it
 * is listed for review: see sohoa_field_unread.
 */
struct sohoa_field {
	char *key;		/* e.g. "personal_id"; owned */
	char *value;		/* normalised value (ISO date, 12 digits, NFC name); owned */
	char *raw;		/* text as read on the page; owned, may be NULL */
	float conf;		/* 0..100: OCR word confidences combined with validation */
	int flagged;		/* 1 when below the review threshold or failing validation */
};

struct sohoa_fields {
	struct sohoa_field *v;	/* owned array */
	size_t n;
	size_t alloc;
};

void sohoa_fields_init(struct sohoa_fields *f);
void sohoa_fields_release(struct sohoa_fields *f);
/* Set KEY to VALUE (replacing an existing one); copies all strings. */
int sohoa_fields_set(struct sohoa_fields *f, const char *key, const char *value,
    const char *raw, float conf, int flagged);
/*
 * 1 when a field's VALUE and RAW text say it was not read at all: an
 * empty value and no raw reading (an expected field listed for review).
 * A typed value that did not parse is also empty but keeps its raw
 * reading, and is not "unread".
 */
int sohoa_field_unread(const char *value, const char *raw);
/* The field named KEY, or NULL. */
const struct sohoa_field *sohoa_fields_get(const struct sohoa_fields *f,
    const char *key);

#endif
