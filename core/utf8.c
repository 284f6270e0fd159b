/*
 * UTF-8 helpers: NFC normalisation, Vietnamese search folding, decoding.
 * This is the only file that talks to utf8proc.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "sohoa/sohoa.h"
#include "sohoa/utf8.h"

size_t
sohoa_utf8_decode(const char *s, size_t len, int32_t *pcp)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    len > 4 ? 4 : (utf8proc_ssize_t)len, &cp);
	if (n < 1 || cp < 0) {
		*pcp = 0xFFFD;
		return 1;
	}
	*pcp = cp;
	return (size_t)n;
}

int
sohoa_utf8_add_cp(struct sohoa_buf *out, int32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t n;

	if (!utf8proc_codepoint_valid(cp))
		cp = 0xFFFD;
	n = utf8proc_encode_char(cp, tmp);
	return sohoa_buf_add(out, tmp, (size_t)n);
}

int
sohoa_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	while (i < len) {
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &cp);
		if (n < 1 || cp < 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

/*
 * Copy S with invalid sequences replaced by U+FFFD, so that utf8proc_map
 * (which refuses invalid input) always succeeds.
 */
static int
sanitize(const char *s, size_t len, struct sohoa_buf *out)
{
	size_t i = 0, n;
	int32_t cp;
	int rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		if (s[i] == '\0') {
			i++;
			continue;
		}
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1 && (unsigned char)s[i] >= 0x80)
			rc = sohoa_utf8_add_cp(out, 0xFFFD);
		else
			rc = sohoa_buf_add(out, s + i, n);
		i += n;
	}
	return rc;
}

static int
map(const char *s, size_t len, utf8proc_option_t opts, struct sohoa_buf *out)
{
	struct sohoa_buf clean = SOHOA_BUF_INIT;
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t n;
	int rc;

	if ((rc = sanitize(s, len, &clean)) != SOHOA_OK)
		goto out;
	n = utf8proc_map((const utf8proc_uint8_t *)clean.buf,
	    (utf8proc_ssize_t)clean.len, &res, opts);
	if (n < 0) {
		rc = n == UTF8PROC_ERROR_NOMEM ? SOHOA_ERR_NOMEM :
		    SOHOA_ERR_INPUT;
		goto out;
	}
	rc = sohoa_buf_add(out, res, (size_t)n);
out:
	free(res);
	sohoa_buf_release(&clean);
	return rc;
}

int
sohoa_utf8_nfc(const char *s, size_t len, struct sohoa_buf *out)
{
	return map(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out);
}

int32_t
sohoa_utf8_fold_cp(int32_t cp)
{
	utf8proc_int32_t dst[8];
	utf8proc_ssize_t n;
	int last = 0;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return cp + 32;
		return cp;
	}
	/* đ and Đ have no decomposition; fold them by hand. */
	if (cp == 0x0110 || cp == 0x0111 || cp == 0x0189 || cp == 0x0256)
		return 'd';
	n = utf8proc_decompose_char(cp, dst, 8,
	    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &last);
	if (n < 1 || n > 8)
		return cp;
	/*
	 * A stripped letter leaves its base first; anything that expands to
	 * more (ligatures, ß) is kept whole to stay one code point.
	 */
	if (n == 1)
		return dst[0];
	return (int32_t)utf8proc_tolower(cp);
}

int
sohoa_utf8_fold_n(const char *s, size_t len, struct sohoa_buf *out)
{
	size_t i = 0, n;
	int32_t cp, f;
	int rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		i += n;
		/* a bare combining mark (text in NFD) folds to nothing */
		if (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_MN)
			continue;
		f = sohoa_utf8_fold_cp(cp);
		if (f < 0x80)
			rc = sohoa_buf_addch(out, (char)f);
		else
			rc = sohoa_utf8_add_cp(out, f);
	}
	return rc;
}

int
sohoa_utf8_fold(const char *s, struct sohoa_buf *out)
{
	return sohoa_utf8_fold_n(s, strlen(s), out);
}

int
sohoa_utf8_untone(const char *s, struct sohoa_buf *out)
{
	size_t i = 0, len = strlen(s), n, k;
	int32_t cp;
	utf8proc_int32_t dst[8];
	utf8proc_ssize_t nd;
	int last = 0, rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		i += n;
		cp = (int32_t)utf8proc_tolower(cp);
		if (cp == 0x0111) {
			rc = sohoa_buf_addch(out, 'd');
			continue;
		}
		nd = utf8proc_decompose_char(cp, dst, 8, UTF8PROC_DECOMPOSE,
		    &last);
		if (nd < 1 || nd > 8) {
			rc = sohoa_utf8_add_cp(out, cp);
			continue;
		}
		/* the five tone marks go; circumflex, breve and horn stay */
		for (k = 0; k < (size_t)nd && rc == SOHOA_OK; k++)
			if (dst[k] != 0x300 && dst[k] != 0x301 &&
			    dst[k] != 0x303 && dst[k] != 0x309 &&
			    dst[k] != 0x323)
				rc = sohoa_utf8_add_cp(out, dst[k]);
	}
	return rc;
}

int
sohoa_utf8_lower(const char *s, struct sohoa_buf *out)
{
	size_t i = 0, len = strlen(s), n;
	int32_t cp;
	int rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		i += n;
		rc = sohoa_utf8_add_cp(out, (int32_t)utf8proc_tolower(cp));
	}
	return rc;
}

size_t
sohoa_utf8_clip(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

size_t
sohoa_utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int
sohoa_utf8_case_cp(int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);

	if (p->category == UTF8PROC_CATEGORY_LU ||
	    p->category == UTF8PROC_CATEGORY_LT)
		return 1;
	return p->category == UTF8PROC_CATEGORY_LL ? -1 : 0;
}

/*
 * Code points a terminal acts on instead of showing, or that make shown
 * text read other than it is: C0 and C1 controls, DEL, the line and
 * paragraph separators, and the bidirectional marks, embeddings,
 * overrides and isolates ("Trojan Source", CVE-2021-42574).
 */
static int
term_unsafe(int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

int
sohoa_utf8_term_escape(const char *s, size_t len, unsigned flags,
    struct sohoa_buf *out)
{
	size_t i = 0, n;
	int32_t cp;
	int rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			/* the common case: copy the run of plain ASCII */
			for (n = 1; i + n < len && (unsigned char)s[i + n] >= 0x20 &&
			    (unsigned char)s[i + n] < 0x7f; n++)
				;
			rc = sohoa_buf_add(out, s + i, n);
			i += n;
			continue;
		}
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1)
			rc = sohoa_buf_addf(out, "\\x%02x", c);
		else if ((c == '\n' || c == '\t') &&
		    (flags & SOHOA_TERM_MULTILINE))
			rc = sohoa_buf_addch(out, c);
		else if (c == '\n')
			rc = sohoa_buf_adds(out, "\\n");
		else if (c == '\r')
			rc = sohoa_buf_adds(out, "\\r");
		else if (c == '\t')
			rc = sohoa_buf_adds(out, "\\t");
		else if (cp < 0x80 && term_unsafe(cp))
			rc = sohoa_buf_addf(out, "\\x%02x", (unsigned)cp);
		else if (term_unsafe(cp))
			rc = sohoa_buf_addf(out, "\\u%04x", (unsigned)cp);
		else
			rc = sohoa_buf_add(out, s + i, n);
		i += n;
	}
	return rc;
}

size_t
sohoa_utf8_clip_cols(const char *s, size_t len, size_t maxcols,
    size_t *pcols)
{
	size_t i = 0, n, cols = 0, w;
	int32_t cp;
	int cw;

	while (i < len) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		cw = utf8proc_charwidth(cp);
		/* an invalid byte or a control is shown as something */
		w = cw < 0 ? 1 : (size_t)cw;
		if (cw == 0 && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)))
			w = 1;
		if (cols + w > maxcols)
			break;
		cols += w;
		i += n;
	}
	if (pcols != NULL)
		*pcols = cols;
	return i;
}
