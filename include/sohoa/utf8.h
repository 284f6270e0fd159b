/*
 * UTF-8 text helpers.  core/utf8.c is the only file that talks to
 * utf8proc.  Inside sohoa all text is UTF-8 in NFC.
 */
#ifndef SOHOA_UTF8_H
#define SOHOA_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/buf.h"

/*
 * Append the NFC form of S (LEN bytes) to OUT.  Invalid UTF-8 sequences
 * are replaced by U+FFFD rather than refused, since OCR output and file
 * names come from outside.  Returns SOHOA_OK or SOHOA_ERR_NOMEM.
 */
int sohoa_utf8_nfc(const char *s, size_t len, struct sohoa_buf *out);

/*
 * Append the search folding of S to OUT: lower case, combining marks
 * removed, đ/Đ -> d.  "Nguyễn Thị Đào" -> "nguyen thi dao".  Other
 * characters are kept (lower-cased).  Returns SOHOA_OK or SOHOA_ERR_NOMEM.
 */
int sohoa_utf8_fold(const char *s, struct sohoa_buf *out);
int sohoa_utf8_fold_n(const char *s, size_t len, struct sohoa_buf *out);

/* Fold one code point (lower case, base letter, đ -> d). */
int32_t sohoa_utf8_fold_cp(int32_t cp);

/*
 * Append S in lower case without its tone marks (grave, acute, tilde,
 * hook, dot below) and with đ as d, keeping the vowel marks that make
 * other letters (â ă ê ô ơ ư), decomposed: "Tám" and "Tâm" differ,
 * "Chỉ" and "Chi" do not.
 */
int sohoa_utf8_untone(const char *s, struct sohoa_buf *out);

/* 1 for a capital letter, -1 for a small one, 0 for anything else. */
int sohoa_utf8_case_cp(int32_t cp);

/*
 * Append the lower-case form of S, keeping diacritics ("Lệ" -> "lệ").
 */
int sohoa_utf8_lower(const char *s, struct sohoa_buf *out);

/*
 * Decode one code point at S (at most LEN bytes).  Returns the number of
 * bytes used (>= 1) and stores the code point in *pcp, or U+FFFD and 1
 * for an invalid sequence.  LEN must be > 0.
 */
size_t sohoa_utf8_decode(const char *s, size_t len, int32_t *pcp);

/* Append code point CP as UTF-8. */
int sohoa_utf8_add_cp(struct sohoa_buf *out, int32_t cp);

/* 1 when S (LEN bytes) is valid UTF-8, 0 otherwise. */
int sohoa_utf8_valid(const char *s, size_t len);

/*
 * Largest prefix length <= MAX that does not cut a UTF-8 sequence.
 */
size_t sohoa_utf8_clip(const char *s, size_t len, size_t max);

/* Number of code points in S. */
size_t sohoa_utf8_length(const char *s, size_t len);

#endif
