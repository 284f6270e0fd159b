/*
 * Private to extraction (fields/extract.c, fields/respell.c): a
 * document's lines with their folded keys and label hits, and the value
 * read for each field.
 */
#ifndef SOHOA_EXTRACT_PRIVATE_H
#define SOHOA_EXTRACT_PRIVATE_H

#include <stddef.h>
#include "sohoa/buf.h"
#include "fields_private.h"

/* A token of a line with the OCR confidence of its word. */
struct tok {
	size_t start, end;	/* byte offsets in the line */
	float conf;
	int x0, y0, x1, y1;	/* its word's box; all 0 when not known */
};

struct xline {
	char *text;		/* NFC */
	size_t len;
	struct fkey k;
	struct tok *toks;
	size_t ntoks;
	size_t first_hit, nhits;	/* range in the hit array */
	int gap_before;		/* an empty line (a new block) came before */
};

enum hit_kind { HIT_FIELD, HIT_STOP };

struct hit {
	size_t line;
	size_t kstart, kend;	/* key offsets in the line */
	int kind;		/* enum hit_kind */
	size_t idx;		/* field index (HIT_FIELD) */
	size_t label;		/* which label of the field */
	int section;		/* -1 main, else section index */
};

struct doc {
	const struct dt_type *t;
	struct xline *lines;
	size_t nlines, alines;
	struct hit *hits;
	size_t nhits, ahits;
	float page_conf;
	int gap;		/* the last line read was empty */
	size_t title;		/* the title's line; no section starts above */
	unsigned lost;		/* bit i: no line opens section i */
};

/* The value read for one field of the document type. */
struct result {
	struct sohoa_buf value;
	struct sohoa_buf raw;
	float conf;
	int found, valid, fixed;
	int lookalike;		/* a date whose figures were letters */
	int doubt;		/* valid, but another field contradicts it */
	int below;		/* read on a line below its label */
	int garbled;		/* it did not parse as its type at all */
	size_t line;		/* the line it was read on (its first) */
};

/*
 * The commune name read in the issuer ("XÃ CHI LĂNG"), the place-date
 * line and the addresses: each set to its known spelling when it is none
 * (fields/respell.c), then to the spelling read most often.  RES has one
 * result per field of D's type.
 */
int respell_communes(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res);

/*
 * The district of each address ("huyện Di Lĩnh, tỉnh Lâm Đồng") set to
 * the known place of its province it is a slip of (fields/district.c).
 */
int respell_districts(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res);

/* Byte offset in line L just past the letter of key position END - 1. */
size_t xline_key_end(const struct xline *l, size_t end);

/*
 * Confidence of the tokens of line L that overlap bytes [A, B); DFLT when
 * none does.
 */
float xline_conf(const struct xline *l, size_t a, size_t b, float dflt);

/*
 * Bytes [A, B) of line LI of D, parsed as field F's type, into R when
 * they parse (found, valid, raw and value set, *PTAKEN 1 if not NULL);
 * R is left as it was when they do not.  SOHOA_ERR_NOMEM or SOHOA_OK.
 */
int xline_take(const struct doc *d, const struct dt_field *f, size_t li,
    size_t a, size_t b, struct result *r, int *ptaken);

/*
 * Two people side by side in a table whose columns are headed by their
 * roles (fields/columns.c): each value of the label both columns share
 * goes to the field of its column.  RES has one result per field.
 */
int column_fields(const struct doc *d, struct result *res);

/* The words of name results not known but a slip of a known name. */
int respell_names(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res);

#endif
