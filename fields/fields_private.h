/*
 * Private to field extraction (fields/): the loaded document-type rules,
 * the known spellings, and the folded "key" form of text that labels,
 * titles and known names are matched on.  The layers, each calling only
 * those below it:
 *
 *   fkey.c, tone.c          folded keys + edit distance; tone placement
 *   lexicon.c               known names and places (lexicon/ *.tsv)
 *   text.c, parse*.c        values by type: dates, IDs and numbers,
 *                           names, places and text, closed lists
 *   doctype.c               doctypes/ *.conf, classification, splitting
 *   header.c                structure: header block, place-date line
 *   extract.c, respell.c    labels, values, cross-checks; respelling
 */
#ifndef SOHOA_FIELDS_PRIVATE_H
#define SOHOA_FIELDS_PRIVATE_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/fields.h"

/* A label, title or cue: as written in the data file and as a key. */
struct dt_phrase {
	char *text;		/* as written in the .conf */
	char *key;		/* folded, letters and digits only */
	size_t keylen;
};

struct dt_phrases {
	struct dt_phrase *v;
	size_t n, alloc;
};

enum dt_where {
	DT_WHERE_LABEL = 0,	/* value follows one of the labels */
	DT_WHERE_LINE,		/* a whole line that parses as the type */
	DT_WHERE_AFTER,		/* on a line below a label (signer name) */
	DT_WHERE_HEADER,	/* the issuing body of the header block */
	DT_WHERE_PLACEDATE,	/* the date of the place-and-date line */
};

struct dt_field {
	char *key;		/* output key; a leading '_' hides it */
	char *type;		/* value type, see sohoa_parse_value */
	struct dt_phrases labels;
	char *section;		/* NULL: any section */
	char *words;		/* key of a date_words field to check against */
	char *same_as;		/* key of a field that is often the same name */
	struct dt_phrases before;	/* labels the value comes just before */
	int where;		/* enum dt_where */
	int occurrence;		/* 1-based: which matching label to use */
	int optional;		/* drop, not flag, a value below that fails */
	int within;		/* only in the first N lines (0: anywhere) */
	int wrap;		/* the value goes on over unlabelled lines */
	int keep_label;		/* the value starts with the label's text */
	int pick_last;		/* take the last valid value, not the first */
	int not_caps;		/* a value all in capitals is not valid */
	int under_title;	/* unlabelled: the lines under the title */
	int expect;		/* every form carries it: not read is listed */
	char *expect_with;	/* expected when the field of this key was read */
	struct dt_phrases column;	/* its column's head in a table of two */
	struct dt_phrases column_labels;	/* the label both columns share */
	char *follows;		/* read after the value of this field ... */
	struct dt_phrases follows_words;	/* ... behind one of these */
	struct dt_phrases absent_on;	/* titles of forms that lack it */
};

struct dt_section {
	char *name;
	struct dt_phrases starts;
	int prose;		/* its lines are sentences broken by the margin */
};

struct dt_type {
	const char *name;	/* interned: lives as long as the process */
	char *path;		/* file it came from, for messages */
	struct dt_phrases titles;
	struct dt_phrases cues;
	struct dt_phrases stops;	/* labels that end a value, no field */
	struct dt_field *fields;
	size_t nfields, afields;
	struct dt_section *sections;
	size_t nsections, asections;
	int header_lines;	/* how many top lines hold the title */
};

/* Known spellings (fields/lexicon.c), sorted by key. */
struct lex_entry {
	char *key;		/* folded, letters and digits only */
	char *word;		/* as written in the file */
	char *low;		/* lower case */
	long weight;		/* how common: a heavier one wins a tie */
	char *where;		/* folded provinces it is found in, each
				   followed by ',' ("lamdong,"), or NULL */
};

struct lexicon {
	struct lex_entry *v;
	size_t n, alloc;
};

int lex_load(struct sohoa_ctx *ctx, const char *path, struct lexicon *lx);
void lex_release(struct lexicon *lx);
const struct lex_entry *lex_find(const struct lexicon *lx, const char *key,
    size_t *pn);
const struct lex_entry *lex_near(const struct lexicon *lx, const char *key);

struct sohoa_doctypes {
	struct dt_type *types;
	size_t n, alloc;
	struct dt_phrases motto;	/* national-motto header lines */
	struct lexicon surnames;	/* lexicon/surnames.tsv */
	struct lexicon names;	/* middle and given names (names.tsv) */
	struct lexicon places;	/* provinces, communes (places.tsv) */
};

/*
 * Text folded for matching: only letters and digits of the folded form,
 * with a map back to the byte offset in the original and word-boundary
 * marks.  keyoff[i] is the original offset of key byte i; keyoff[len] is
 * the original length.
 */
struct fkey {
	char *key;
	size_t len;
	size_t *off;		/* len + 1 entries */
	unsigned char *wstart;	/* 1 where a word starts (len entries) */
	unsigned char *wend;	/* 1 where a word ends before i (len + 1) */
};

int fkey_build(const char *s, size_t n, struct fkey *k);
void fkey_release(struct fkey *k);
/* Folded key of S into OUT (letters and digits only). */
int fkey_simple(const char *s, struct sohoa_buf *out);
int fkey_simple_n(const char *s, size_t n, struct sohoa_buf *out);

/* 1 when Y-M-D is a real day of a year 1800..2199 (fields/parse.c). */
int parse_date_valid(int y, int m, int d);

/* How many edits a key of LEN bytes may take and still match. */
size_t fkey_allowed(size_t len);

/*
 * Match NEEDLE (a key) in K starting exactly at key offset START, ending
 * at a word end.  Returns the distance (or (size_t)-1 when none within
 * MAXD) and stores the end offset in *pend.
 */
size_t fkey_match_at(const struct fkey *k, size_t start, const char *needle,
    size_t nlen, size_t maxd, size_t *pend);

/* 1 when NEEDLE occurs approximately in K at a word start. */
int fkey_contains(const struct fkey *k, const char *needle, size_t nlen,
    size_t maxd, size_t *pdist);

/* Number of entries in the ethnic-group list (54). */
size_t sohoa_ethnicity_count(void);

/*
 * Classify as sohoa_doc_classify, also giving a confidence 0..100 in
 * *pconf (how clearly the title was read).
 */
int dt_classify(const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type, float *pconf);

/*
 * For sex, ethnicity and nationality: the value among the last words of S
 * (the text before a label, when the label in front of it was garbled).
 */
int parse_list_end(const char *type, const char *s, struct sohoa_buf *out,
    int *pfixed);

int dt_phrases_add(struct dt_phrases *p, const char *text);

/*
 * Tone placement (fields/tone.c): S[0, N) with the old style's "hoà",
 * "thuỷ" written "hòa", "thủy" appended to OUT; tone_same is 1 when A
 * and B are the same word in either style.
 */
int tone_new(const char *s, size_t n, struct sohoa_buf *out);
int tone_same(const char *a, size_t an, const char *b, size_t bn);

/*
 * An administrative unit in capitals ("XÃ TÂN HẢI") at the start of S,
 * as in a header (fields/parse.c).
 */
int parse_unit_caps(const char *s, struct sohoa_buf *out, int *pfixed);

/*
 * The issuing body of the header block in LINES[0..N) (fields/header.c):
 * the unit of the lowest level written there, with the "UBND" / "ỦY BAN
 * NHÂN DÂN" in front of it on its line or alone on the line above, as
 * printed: "UBND XÃ ĐẠI PHƯỚC" under "UBND HUYỆN CÀNG LONG", "UỶ BAN NHÂN
 * DÂN XÃ MỸ THUẬN" over two lines.  *pline: the line of the unit;
 * *pfixed: its reading was mended ("XÀ", "ĐÔNG cửu").  SOHOA_ERR_INPUT
 * when there is none.
 */
int hdr_issuer(const char *const *lines, size_t n, struct sohoa_buf *value,
    size_t *pline, int *pfixed);

/*
 * The date of a place-and-date line ("Đại Phước, ngày 25 tháng 5 năm
 * 2025"), wherever it stands in LINE (merged with header words too);
 * *pstart: where the place begins.  A date in running text ("sinh ngày
 * …", "Luật … ngày …") is not one.  SOHOA_ERR_INPUT when there is none.
 */
int hdr_place_date(const char *line, int *py, int *pm, int *pd,
    size_t *pstart);

/*
 * The date of a place-and-date line whose place OCR garbled ("Tân đò,
 * zgày 4 tháng 3 năm 2016", "_kại kenh, ngày ()5 tháng 03 năm 2022"):
 * LINE opens with one to three words, the last closed by a comma, then
 * "ngày" and a date written "D tháng M năm Y".  For a page where no
 * line is one for hdr_place_date.  SOHOA_ERR_INPUT when it is not one.
 */
int hdr_place_date_garbled(const char *line, int *py, int *pm, int *pd,
    size_t *pstart);
const struct dt_type *dt_find(const struct sohoa_doctypes *dt,
    const char *name);

#endif
