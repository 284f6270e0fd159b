/*
 * Old and new tone placement.  Vietnamese writes the tone of "oa", "oe"
 * and "uy" at the end of a syllable in two ways: on the second vowel in
 * the old style ("hoà", "thuỷ", "Khánh Hoà") and on the first in the new
 * one ("hòa", "thủy").  Both are right and both are printed; a reading in
 * either style is the same word, never a slip to respell.
 *
 *   tone_new        S written in the new style
 *   tone_same       1 when two spellings differ at most by that
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "fields_private.h"

/* Each base vowel, then its five tones: grave, acute, hook, tilde, dot. */
static const char *const toned[] = {
	"aàáảãạ", "eèéẻẽẹ", "yỳýỷỹỵ", "oòóỏõọ", "uùúủũụ",
	"AÀÁẢÃẠ", "EÈÉẺẼẸ", "YỲÝỶỸỴ", "OÒÓỎÕỌ", "UÙÚỦŨỤ",
};

/* Row and tone (1..5, 0 none) of CP in the table, or -1. */
static int
find_toned(int32_t cp, int *ptone)
{
	size_t r, i, len;
	int32_t c;
	int t;

	for (r = 0; r < sizeof(toned) / sizeof(toned[0]); r++) {
		len = strlen(toned[r]);
		for (i = 0, t = 0; i < len; t++) {
			i += sohoa_utf8_decode(toned[r] + i, len - i, &c);
			if (c == cp) {
				*ptone = t;
				return (int)r;
			}
		}
	}
	return -1;
}

/* The letter of row R with tone T. */
static int32_t
with_tone(int r, int t)
{
	const char *s = toned[r];
	size_t i = 0, len = strlen(s);
	int32_t c = 0;
	int k;

	for (k = 0; k <= t && i < len; k++)
		i += sohoa_utf8_decode(s + i, len - i, &c);
	return c;
}

static int
is_letter_cp(int32_t cp)
{
	return sohoa_utf8_case_cp(cp) != 0;
}

int
tone_new(const char *s, size_t n, struct sohoa_buf *out)
{
	int32_t *cp;
	size_t m = 0, i = 0, k;
	int rc = SOHOA_OK;

	cp = malloc((n + 1) * sizeof(*cp));
	if (cp == NULL)
		return SOHOA_ERR_NOMEM;
	while (i < n)
		i += sohoa_utf8_decode(s + i, n - i, &cp[m++]);
	for (k = 0; k + 1 < m; k++) {
		int t1, t2, r1 = find_toned(cp[k], &t1),
		    r2 = find_toned(cp[k + 1], &t2);
		int first, second;

		if (r1 < 0 || r2 < 0 || t1 != 0 || t2 == 0)
			continue;
		first = r1 % 5;
		second = r2 % 5;
		/* o + a/e, u + y, closing the syllable */
		if (!((first == 3 && (second == 0 || second == 1)) ||
		    (first == 4 && second == 2)))
			continue;
		if (k + 2 < m && is_letter_cp(cp[k + 2]))
			continue;
		/* "quý": the u of "qu" is no vowel */
		if (first == 4 && k > 0 && (cp[k - 1] == 'q' ||
		    cp[k - 1] == 'Q'))
			continue;
		cp[k] = with_tone(r1, t2);
		cp[k + 1] = with_tone(r2, 0);
	}
	for (k = 0; k < m && rc == SOHOA_OK; k++)
		rc = sohoa_utf8_add_cp(out, cp[k]);
	free(cp);
	return rc;
}

int
tone_same(const char *a, size_t an, const char *b, size_t bn)
{
	struct sohoa_buf x = SOHOA_BUF_INIT, y = SOHOA_BUF_INIT;
	int r;

	r = tone_new(a, an, &x) == SOHOA_OK && tone_new(b, bn, &y) ==
	    SOHOA_OK && x.len == y.len && memcmp(x.buf, y.buf, x.len) == 0;
	sohoa_buf_release(&x);
	sohoa_buf_release(&y);
	return r;
}
