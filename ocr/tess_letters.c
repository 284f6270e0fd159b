/*
 * Letter classes of the words Tesseract reads: the one test ocr/ makes of
 * a word's code points (sohoa_tess_class_cp, sohoa_tess_count).  A letter
 * is a code point with a case, as core/utf8.c tells it from Unicode's
 * categories: every Vietnamese letter, marks and all; a digit is 0 to 9.
 */
#include <string.h>

#include "sohoa/utf8.h"
#include "tess_look.h"

unsigned
sohoa_tess_class_cp(int32_t cp)
{
	int c = sohoa_utf8_case_cp(cp);

	if (c > 0)
		return SOHOA_TESS_CAPITAL;
	if (c < 0)
		return SOHOA_TESS_SMALL;
	return cp >= '0' && cp <= '9' ? SOHOA_TESS_DIGIT : 0;
}

size_t
sohoa_tess_count(const char *s, unsigned mask)
{
	size_t len = strlen(s), i = 0, n = 0;
	int32_t cp;

	while (i < len) {
		i += sohoa_utf8_decode(s + i, len - i, &cp);
		n += (sohoa_tess_class_cp(cp) & mask) != 0;
	}
	return n;
}
