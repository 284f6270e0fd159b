/*
 * Field extraction: document types are described by data files
 * (doctypes/<type>.conf, format in doctypes/README.md), loaded once and
 * shared read-only by all threads.
 *
 *   sohoa_doctypes_load / _destroy     the rules
 *   sohoa_doc_split                    where documents start in a run of pages
 *   sohoa_doc_classify                 the type of one document only
 *   sohoa_doc_extract                  classify, extract fields of a document
 *   sohoa_parse_*                      value parsers and validators
 */
#ifndef SOHOA_FIELDS_H
#define SOHOA_FIELDS_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"

/*
 * A field whose confidence (0..100) is below this is flagged for review.
 * The confidence is the OCR confidence of the words that make the value
 * (half their mean, half their minimum), lowered when the value had to be
 * corrected (look-alike digits, a list, a lost mark), raised when two
 * readings agree (a date in figures and in words), and capped at
 * SOHOA_FIELD_INVALID_CONF when it fails validation.  A field that fails
 * validation, or that another field contradicts (a personal ID against
 * the birth date and sex), is always flagged.
 */
#define SOHOA_FIELD_REVIEW_CONF 70.0f
#define SOHOA_FIELD_INVALID_CONF 30.0f

struct sohoa_doctypes;

/*
 * Load every *.conf in DIR.  DIR NULL means the default: $SOHOA_DOCTYPES,
 * else the doctypes/ of the installed prefix (or of the source tree, run
 * from the build tree): see sohoa_data_path().  On success *pdt holds the rules, to free with
 * sohoa_doctypes_destroy(&dt); it is read-only afterwards and may be shared
 * by threads.  A syntax error names the file and line.
 */
int sohoa_doctypes_load(struct sohoa_ctx *ctx, const char *dir,
    struct sohoa_doctypes **pdt);
void sohoa_doctypes_destroy(struct sohoa_doctypes **pdt);

/* Number of document types loaded, and the name of type I (static). */
size_t sohoa_doctypes_count(const struct sohoa_doctypes *dt);
const char *sohoa_doctypes_name(const struct sohoa_doctypes *dt, size_t i);

/*
 * The value type ("name", "date", "personal_id", ... as for
 * sohoa_parse_value) of output field KEY for documents of DOC_TYPE, or of
 * any type when DOC_TYPE is NULL, "other" or does not list KEY.  NULL when
 * no type lists it (a hidden "_key" is never listed).  Borrowed from DT.
 */
const char *sohoa_doctypes_field_type(const struct sohoa_doctypes *dt,
    const char *doc_type, const char *key);

/*
 * Which end of a document a field is printed at, by its type's rules:
 * what a person is shown for a field that was not read, which has no
 * place of its own on the page.
 */
enum sohoa_field_end {
	SOHOA_FIELD_END_ANY = 0,	/* the body, or not known */
	SOHOA_FIELD_END_FIRST,		/* the head: number, issuer, place
					   and date (read in the top lines) */
	SOHOA_FIELD_END_LAST,		/* the signer block */
};

/*
 * The end (enum sohoa_field_end) of a document of DOC_TYPE that output
 * field KEY is printed at: SOHOA_FIELD_END_LAST for a value read below
 * its label at the foot (`where = after`: the signer), ..._FIRST for the
 * header block, the place-and-date line (ô 4 of Nghị định 30/2020 sits
 * beside the number) and a field read only in the first lines
 * (`within`), else ..._ANY, also for a type or key DT does not know.
 */
int sohoa_doctypes_field_end(const struct sohoa_doctypes *dt,
    const char *doc_type, const char *key);

/*
 * Split NPAGES pages into documents.  *pstarts gets a malloc'd array (free
 * with free()) of *pn page indexes where a document begins; a document runs
 * up to the next start.  A document starts at the first non-blank page, at
 * a page that opens with a national-motto header or a document title, and
 * at the first non-blank page after a blank one.  Blank pages
 * (SOHOA_PAGE_BLANK or no text) are separators: they belong to no document
 * and sohoa_doc_extract ignores them.  When every page is blank, there is
 * one document starting at 0.  *pn is 0 only when NPAGES is 0.
 */
int sohoa_doc_split(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    size_t **pstarts, size_t *pn);

/*
 * Classify the document made of PAGES: *pdoc_type gets the type name, a
 * static string (it stays valid after DT is destroyed): "birth", "death",
 * "marriage", "marital_status", "decision", any other type from the data
 * files, or "other".
 */
int sohoa_doc_classify(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type);

/*
 * Classify the document made of PAGES and extract its fields into OUT
 * (which the caller has initialised; fields are added to it).  *pdoc_type
 * is set as by sohoa_doc_classify.  Fields absent from the document are
 * not added.  Each field has its normalised value, the raw text it came
 * from, a confidence and a review flag (see SOHOA_FIELD_REVIEW_CONF).
 */
int sohoa_doc_extract(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type, struct sohoa_fields *out);

/*
 * Make a page from plain TEXT (lines separated by '\n'), with one word per
 * space-separated token, all of confidence CONF, numbered by line.  For
 * tests and for tools that have text but no image.  Free with
 * sohoa_page_destroy(&page).
 */
int sohoa_page_from_text(const char *text, float conf,
    struct sohoa_page **ppage);

/*
 * Value parsers.  Each reads S (UTF-8, possibly OCR-garbled) and returns
 * SOHOA_OK with the normalised value, SOHOA_ERR_INPUT when S holds no
 * acceptable value, or SOHOA_ERR_NOMEM.  Where a parser writes to OUT it
 * appends; *pfixed (may be NULL) is set to 1 when the value had to be
 * corrected (OCR look-alike digits, fuzzy match to a list), else 0.
 */

/*
 * A date: "14/03/2018", "14-3-2018", "14.03.2018", "14 / 03 / 2O18",
 * "ngày 14 tháng 3 năm 2018" (the first date found in S).  Stores year,
 * month and day; the date must exist (1800..2199).
 */
int sohoa_parse_date(const char *s, int *pyear, int *pmonth, int *pday);

/*
 * A date written out in Vietnamese words: "Ngày mười bốn, tháng ba, năm
 * hai nghìn không trăm mười tám" (mốt, tư, lăm, nhăm, linh, lẻ, mươi,
 * ngàn, giêng, chạp are understood; marks may be missing).
 */
int sohoa_parse_date_words(const char *s, int *pyear, int *pmonth,
    int *pday);

/* Vietnamese number words ("hai nghìn không trăm mười tám") to a number. */
int sohoa_parse_number_words(const char *s, long *pvalue);

/* 1 when YEAR-MONTH-DAY is a real day of a year 1800..2199, else 0. */
int sohoa_date_valid(int year, int month, int day);

/* Format a date as ISO "YYYY-MM-DD" into OUT. */
int sohoa_format_date(int year, int month, int day, struct sohoa_buf *out);

/*
 * A 12-digit personal ID: spaces, dots and dashes between digits are
 * dropped, and O/o/D -> 0, l/I/| -> 1, S -> 5, B -> 8 are fixed when the
 * token is otherwise digits.  Appends the 12 digits to OUT.  The province
 * code must be known (sohoa_province_name).
 */
int sohoa_parse_personal_id(const char *s, struct sohoa_buf *out,
    int *pfixed);

/*
 * Check a 12-digit ID against a birth year (0 = unknown) and sex (1 male,
 * 2 female, 0 unknown): returns SOHOA_OK when consistent, SOHOA_ERR_INPUT
 * when the century/sex digit or the year digits disagree.
 */
int sohoa_check_personal_id(const char *id, int birth_year, int sex);

/* Province name for a 3-digit code ("001" -> "Hà Nội"), or NULL. */
const char *sohoa_province_name(const char *code);

/* Sex: *pvalue gets "Nam" or "Nữ" (static). */
int sohoa_parse_sex(const char *s, const char **pvalue, int *pfixed);

/* One of the 54 ethnic groups of Viet Nam, as officially written (static). */
int sohoa_parse_ethnicity(const char *s, const char **pvalue, int *pfixed);

/* A nationality from a list of common ones ("Việt Nam", ...) (static). */
int sohoa_parse_nationality(const char *s, const char **pvalue,
    int *pfixed);

/*
 * A document number: "12/2020/TLKS-BS", "125/QĐ-UBND", "05/UBND-XNTTHN",
 * or a plain register number "123".  Spaces around '/' and '-' are
 * dropped, O -> 0 in the number part.  Appends to OUT.
 */
int sohoa_parse_doc_number(const char *s, struct sohoa_buf *out,
    int *pfixed);

/*
 * A person's name as printed (NFC): dotted leaders, stray punctuation and
 * digits at the ends removed, spaces collapsed.  Needs at least two words
 * of letters.  Appends to OUT.
 */
int sohoa_parse_name(const char *s, struct sohoa_buf *out, int *pfixed);

/* Free text: NFC, leaders and stray punctuation trimmed at the ends. */
int sohoa_parse_text(const char *s, struct sohoa_buf *out, int *pfixed);

/*
 * Parse S as a value of type TYPE ("name", "date", "date_words",
 * "date_text" (only "ngày D tháng M năm Y"), "year",
 * "sex", "ethnicity", "nationality", "place", "personal_id",
 * "doc_number", "text") and append the normalised value to OUT.
 */
int sohoa_parse_value(const char *type, const char *s, struct sohoa_buf *out,
    int *pfixed);

/*
 * Edit distance (Levenshtein, by code point) between A and B, stopping at
 * MAX + 1.
 */
size_t sohoa_edit_distance(const char *a, const char *b, size_t max);

#endif
