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

enum sohoa_term_flags {
	SOHOA_TERM_MULTILINE = 1 << 0,	/* keep line feeds and tabs */
};

/*
 * Append S (LEN bytes) to OUT made safe to print on a terminal, for text
 * that comes from data (file and member names, dossier codes, field
 * values, OCR text, messages quoting input).  Each C0 or C1 control
 * character, DEL, U+2028/U+2029 and each bidirectional mark or override
 * becomes an escape: "\n", "\r", "\t", "\x1b" for the other
 * controls below 0x80, "\u009b" or "\u202e" above; each byte that is
 * not part of valid UTF-8 becomes "\xNN".  All else is copied as it is,
 * Vietnamese text and backslashes included.  Without flags the result is
 * one line; SOHOA_TERM_MULTILINE keeps line feeds and tabs (page text).
 * Returns SOHOA_OK or SOHOA_ERR_NOMEM.
 */
int sohoa_utf8_term_escape(const char *s, size_t len, unsigned flags,
    struct sohoa_buf *out);

/*
 * The length in bytes of the longest prefix of S (LEN bytes) that fits
 * in MAXCOLS terminal columns without cutting a character (wide
 * characters take 2 columns, combining marks 0; an invalid byte 1).  Its
 * width goes to *PCOLS when PCOLS is not NULL.  Meant for text already
 * passed through sohoa_utf8_term_escape.
 */
size_t sohoa_utf8_clip_cols(const char *s, size_t len, size_t maxcols,
    size_t *pcols);

#endif
