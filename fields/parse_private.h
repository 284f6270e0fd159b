/*
 * Private to the value parsers (fields/parse*.c, fields/text.c): the text
 * helpers they share and the entry points one parser takes from another.
 */
#ifndef SOHOA_PARSE_PRIVATE_H
#define SOHOA_PARSE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/buf.h"

/* ---- text helpers (fields/text.c) ---- */

/* A word of a value: its bytes, its letters without punctuation, its key. */
struct vword {
	size_t start, end;	/* the word in the buffer */
	size_t cs, ce;		/* its letters, without punctuation around */
	struct sohoa_buf key;
};

/* Split S at spaces into *PW (free with text_free_words), *PN words. */
int text_split_words(const char *s, struct vword **pw, size_t *pn);
void text_free_words(struct vword *w, size_t n);

/* 1 for a letter code point (Latin with Vietnamese marks). */
int text_is_letter(int32_t cp);
/*
 * 1 for a capital consonant, the letter an apostrophe follows in the
 * glottal stop of Ê Đê, Jrai and Ba Na names ("H'Nga", "M'Đrắk"); a
 * vowel alone is a word of its own ("Giàng A Páo", "U Minh").
 */
int text_glottal_capital(int32_t cp);
int text_is_viet_letter(int32_t cp);

/* 1 when S (N bytes) holds a capital / a small letter. */
int text_has_upper(const char *s, size_t n);
int text_has_lower(const char *s, size_t n);
/* 1 when word W has a marked letter; WITH_D: đ counts (fields/text.c). */
int text_has_mark(const char *w, size_t n, int with_d);
int text_eth(char *s, size_t n);

/* 1 when word W (N bytes) is in capitals; when S starts with a capital. */
int text_all_upper(const char *w, size_t n);
int text_starts_upper(const char *s, size_t n);
int text_starts_lower(const char *s, size_t n);

/*
 * S in NFC with leader dots, stray punctuation and debris trimmed at the
 * ends and spaces collapsed, appended to OUT (KEEP_DIGITS: digits at the
 * ends stay); *pchanged: something was removed.
 */
int text_clean(const char *s, int keep_digits, struct sohoa_buf *out,
    int *pchanged);

/* 1 when LOW (a lower-case word) can be a Vietnamese syllable. */
int text_syllable(const char *low);

/* 1 when most letters of S are capitals (fields/text.c). */
int text_all_caps(const char *s);

/* Where LOW's "u" is the glide "o" read as u ("huà"), or -1. */
long text_ua_slip(const char *low);

/* Levels of administrative unit words, for text_unit_at. */
enum text_unit {
	TEXT_UNIT_ADMIN = 1 << 0,	/* tỉnh, thành phố, huyện, quận, thị
					   xã, xã, phường, thị trấn */
	TEXT_UNIT_VILLAGE = 1 << 1,	/* thôn, buôn, làng, bản, ấp */
};

/*
 * The bytes of S (N bytes) that its first word, or its first two, take
 * when they are an administrative unit word of a level in LEVELS ("xã",
 * "Thị trấn", "thành phố", "tình" as OCR reads "tỉnh"), up to a space or
 * comma; 0 when they are none.  The one list of unit words.
 */
size_t text_unit_at(const char *s, size_t n, unsigned levels);

/* ---- between parsers ---- */

/* fields/parse_date.c */
int parse_lookalike_digit(int c);
char *parse_marked_digits(const char *s, int *pn);
char *parse_fix_digits(const char *s, int *pn);
int parse_date_lookalikes(const char *s, int y, int m, int d);	/* -1: nomem */
const char *parse_skip_spaces(const char *p);
int parse_date_text(const char *s, int *py, int *pm, int *pd);

/* fields/parse_id.c: the name of province I of the list, NULL past it */
const char *parse_province_at(size_t i);
/* fields/parse_id.c: 1 when every ký hiệu group of number V is known */
int parse_doc_groups_known(const char *v);

/* fields/parse_list.c: sex, ethnic group or nationality TYPE of S */
int parse_list_value(const char *type, const char *s, const char **pv,
    int *pfixed);

/* fields/parse_name.c: word W restored as a common surname */
int name_fix_surname(const char *w, size_t n, int upper, int fuzzy,
    struct sohoa_buf *out, int *pfixed);

/* fields/parse_text.c */
int parse_phrases(const char *s, int place, struct sohoa_buf *out,
    int *pfixed);
int parse_place(const char *s, struct sohoa_buf *out, int *pfixed);
int parse_year(const char *s, struct sohoa_buf *out, int *pfixed);

#endif
