/*
 * Text helpers shared by the value parsers: letters and case of Vietnamese
 * text, OCR debris trimmed at the ends (text_clean), words with their
 * folded keys (text_split_words), syllables (text_syllable), the words
 * of administrative units (text_unit_at).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"
#include "parse_private.h"

/* 1 for a letter code point (Latin with Vietnamese marks). */
int
text_is_letter(int32_t cp)
{
	if (cp < 0x80)
		return isalpha((int)cp);
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x300 && cp <= 0x36F);
}

/*
 * 1 for a letter of the Vietnamese alphabet, with or without marks (the
 * Latin letters f, j, w and z included, for foreign words).  Š, Ç, Ø and
 * other Latin letters are what OCR makes of a speck beside a word.
 */
int
text_is_viet_letter(int32_t cp)
{
	static const int32_t marked[] = {
		0xC0, 0xC1, 0xC2, 0xC3, 0xC8, 0xC9, 0xCA, 0xCC,
		0xCD, 0xD2, 0xD3, 0xD4, 0xD5, 0xD9, 0xDA, 0xDD,
		0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xEC,
		0xED, 0xF2, 0xF3, 0xF4, 0xF5, 0xF9, 0xFA, 0xFD,
		0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169,
		0x1A0, 0x1A1, 0x1AF, 0x1B0,
	};
	size_t i;

	if (cp < 0x80)
		return isalpha((int)cp);
	if (cp >= 0x1EA0 && cp <= 0x1EF9)
		return 1;
	for (i = 0; i < sizeof(marked) / sizeof(marked[0]); i++)
		if (marked[i] == cp)
			return 1;
	return 0;
}

/* 1 when the code point ending at byte I of S is a letter. */
static int
letter_before(const char *s, size_t i)
{
	size_t j = i;
	int32_t cp;

	if (i == 0)
		return 0;
	while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
		j--;
	if (j > 0)
		j--;
	sohoa_utf8_decode(s + j, i - j, &cp);
	return text_is_letter(cp);
}

/* 1 when S (N bytes) starts with a letter. */
static int
letter_at(const char *s, size_t n)
{
	int32_t cp;

	if (n == 0)
		return 0;
	sohoa_utf8_decode(s, n, &cp);
	return text_is_letter(cp);
}

/* 1 for a mark standing on its own, no letter under it: "ˆ", "~", "´". */
static int
stray_mark(int32_t cp)
{
	return cp == '^' || cp == '~' || cp == '`' || cp == 0xA8 ||
	    cp == 0xB4 || cp == 0xB8 || (cp >= 0x2C2 && cp <= 0x2DF);
}

/*
 * Bytes of the word at S (up to a space or END) when it is only marks
 * standing alone ("cho bà ˆ Nguyễn": a tone the seal or a speck left
 * between two words), else 0.
 */
static size_t
mark_word(const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;

	while (i < len && s[i] != ' ') {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (!stray_mark(cp))
			return 0;
		i += n;
	}
	return i;
}

int
text_glottal_capital(int32_t cp)
{
	int32_t f = sohoa_utf8_fold_cp(cp);

	return sohoa_utf8_case_cp(cp) > 0 && f < 0x80 &&
	    isalpha((int)f) && strchr("aeiouy", (int)f) == NULL;
}

/* A sign OCR reads for the apostrophe of "H'Nga" ("H’", "H”", "M `"). */
static int
apostrophe_like(int32_t cp)
{
	return cp == '\'' || cp == '`' || cp == 0xB4 || cp == 0x2018 ||
	    cp == 0x2019 || cp == 0x201D || cp == 0x2032 || cp == 0x02BC;
}

/* 1 when the last word of B is one capital consonant ("H", "M"). */
static int
ends_in_glottal(const struct sohoa_buf *b)
{
	size_t start = b->len;
	int32_t cp;

	while (start > 0 && b->buf[start - 1] != ' ')
		start--;
	return b->len > start && sohoa_utf8_decode(b->buf + start,
	    b->len - start, &cp) == b->len - start &&
	    text_glottal_capital(cp);
}

/*
 * NFC of S with the ends trimmed to the first and last letter or digit
 * (KEEP_DIGITS) and inner runs of spaces collapsed.  Dotted leaders and
 * "…" inside are turned into a space, and so is a word of marks alone.
 * The glottal stop of Ê Đê, Jrai and Ba Na names, an apostrophe after one
 * capital consonant, is written "'" against its capital ("H” YÊN", "M
 * 'Đrắk": "H' YÊN", "M'Đrắk"); the space after it is kept as read ("Xã
 * H' Neng" is printed so, "Ea H'leo" not).
 */
int
text_clean(const char *s, int keep_digits, struct sohoa_buf *out,
    int *pchanged)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT, tmp = SOHOA_BUF_INIT;
	size_t i, n, first = (size_t)-1, last = 0;
	int32_t cp;
	int rc, space = 0;

	*pchanged = 0;
	rc = sohoa_utf8_nfc(s, strlen(s), &nfc);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < nfc.len; i += n) {
		n = sohoa_utf8_decode(nfc.buf + i, nfc.len - i, &cp);
		if (text_is_letter(cp) || (keep_digits && cp < 0x80 &&
		    isdigit((int)cp))) {
			if (first == (size_t)-1)
				first = i;
			last = i + n;
		}
	}
	if (first == (size_t)-1)
		goto out;
	for (i = first; i < last; i += n) {
		n = sohoa_utf8_decode(nfc.buf + i, last - i, &cp);
		if (apostrophe_like(cp) && ends_in_glottal(&tmp)) {
			size_t j = i + n;
			int32_t nx = 0;

			while (j < last && nfc.buf[j] == ' ')
				j++;
			/* a speck between two words stands apart from both */
			if (j < last && !(space && j > i + n) &&
			    sohoa_utf8_decode(nfc.buf + j,
			    last - j, &nx) > 0 && text_is_letter(nx)) {
				rc = sohoa_buf_addch(&tmp, '\'');
				if (rc != SOHOA_OK)
					goto out;
				*pchanged |= cp != '\'' || space;
				space = 0;
				continue;
			}
		}
		if (stray_mark(cp) && i > first && nfc.buf[i - 1] == ' ') {
			size_t w = mark_word(nfc.buf + i, last - i);

			if (w > 0) {
				n = w;
				space = 1;
				*pchanged = 1;
				continue;
			}
		}
		/* a full stop standing alone inside ("Thị . Huệ") */
		if (cp == ' ' || cp == '\t' || cp == 0x2026 || cp == 0xA0 ||
		    (cp == '.' && i + 1 < last && nfc.buf[i + 1] == '.') ||
		    (cp == '.' && i > first && nfc.buf[i - 1] == ' ' &&
		    i + 1 < last && nfc.buf[i + 1] == ' ') ||
		    cp == '_' || (cp == '.' && letter_before(nfc.buf, i) &&
		    letter_at(nfc.buf + i + 1, last - i - 1))) {
			space = 1;
			continue;
		}
		if (space && tmp.len > 0 && tmp.buf[tmp.len - 1] != '.')
			rc = sohoa_buf_addch(&tmp, ' ');
		else if (space && tmp.len > 0)
			rc = sohoa_buf_addch(&tmp, ' ');
		space = 0;
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&tmp, nfc.buf + i, n);
		if (rc != SOHOA_OK)
			goto out;
	}
	*pchanged |= first > 0 || last < nfc.len;
	rc = sohoa_buf_add(out, tmp.buf, tmp.len);
out:
	sohoa_buf_release(&nfc);
	sohoa_buf_release(&tmp);
	return rc;
}

/*
 * Write Ð (eth), which OCR takes for Đ, as Đ in the N bytes of S (in
 * place: both are two bytes in UTF-8).  Returns how many were changed.
 */
int
text_eth(char *s, size_t n)
{
	size_t i;
	int k = 0;

	for (i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xC3 &&
		    ((unsigned char)s[i + 1] == 0x90 ||
		    (unsigned char)s[i + 1] == 0xB0)) {
			/* U+00D0 -> U+0110 (C4 90), U+00F0 -> U+0111 (C4 91) */
			s[i + 1] = (unsigned char)s[i + 1] == 0x90 ?
			    (char)0x90 : (char)0x91;
			s[i] = (char)0xC4;
			k++;
			i++;
		}
	return k;
}

/* 1 when S (N bytes) changes when lower-cased: it holds a capital. */
int
text_has_upper(const char *s, size_t n)
{
	struct sohoa_buf low = SOHOA_BUF_INIT, tmp = SOHOA_BUF_INIT;
	int r = 0;

	if (n > 0 && sohoa_buf_add(&tmp, s, n) == SOHOA_OK &&
	    sohoa_utf8_lower(tmp.buf, &low) == SOHOA_OK)
		r = strcmp(low.buf, tmp.buf) != 0;
	sohoa_buf_release(&low);
	sohoa_buf_release(&tmp);
	return r;
}

/*
 * 1 when word W (N bytes) is in capitals: its second letter is one (past
 * the apostrophe of "H'LEO").
 */
int
text_all_upper(const char *w, size_t n)
{
	int32_t cp;
	size_t first = sohoa_utf8_decode(w, n, &cp), second;

	if (first + 1 < n && w[first] == '\'')
		first++;
	if (first >= n)
		return 0;
	second = sohoa_utf8_decode(w + first, n - first, &cp);
	return text_has_upper(w + first, second);
}

/*
 * 1 when word W (N bytes) has a letter with a Vietnamese mark, a tone or
 * a vowel's ("MẸ", "Hà", "Ơn"); WITH_D: đ and Đ count too ("ĐỒNG" and
 * "ĐINH" are both marked then).
 */
int
text_has_mark(const char *w, size_t n, int with_d)
{
	size_t i, k;
	int32_t cp;

	for (i = 0; i < n; i += k) {
		k = sohoa_utf8_decode(w + i, n - i, &cp);
		if (cp >= 0x80 && text_is_letter(cp) &&
		    (with_d || (cp != 0x110 && cp != 0x111)))
			return 1;
	}
	return 0;
}

/* 1 when S (LEN bytes) holds a small letter ("Cư", "Bình"). */
int
text_has_lower(const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;

	while (i < len) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (text_is_letter(cp) && !text_has_upper(s + i, n))
			return 1;
		i += n;
	}
	return 0;
}


int
text_split_words(const char *s, struct vword **pw, size_t *pn)
{
	size_t len = strlen(s), i = 0, n = 0;
	struct vword *w;
	int rc = SOHOA_OK;

	*pw = NULL;
	*pn = 0;
	w = calloc(len / 2 + 2, sizeof(*w));
	if (w == NULL)
		return SOHOA_ERR_NOMEM;
	while (i < len && rc == SOHOA_OK) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		w[n].start = i;
		while (i < len && s[i] != ' ')
			i++;
		w[n].end = i;
		w[n].cs = w[n].start;
		w[n].ce = w[n].end;
		while (w[n].cs < w[n].ce && ispunct((unsigned char)s[w[n].cs]))
			w[n].cs++;
		while (w[n].ce > w[n].cs &&
		    ispunct((unsigned char)s[w[n].ce - 1]))
			w[n].ce--;
		sohoa_buf_init(&w[n].key);
		rc = fkey_simple_n(s + w[n].cs, w[n].ce - w[n].cs, &w[n].key);
		n++;
	}
	*pw = w;
	*pn = n;
	return rc;
}

void
text_free_words(struct vword *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sohoa_buf_release(&w[i].key);
	free(w);
}

/* 1 when S (N bytes) starts with a capital letter. */
int
text_starts_upper(const char *s, size_t n)
{
	int32_t cp;

	if (n == 0)
		return 0;
	return text_has_upper(s, sohoa_utf8_decode(s, n, &cp)) &&
	    text_is_letter(cp);
}

/* 1 when S (N bytes) opens with a small letter. */
int
text_starts_lower(const char *s, size_t n)
{
	int32_t cp = 0;

	if (n > 0)
		(void)sohoa_utf8_decode(s, n, &cp);
	return sohoa_utf8_case_cp(cp) < 0;
}

/*
 * 1 when most letters of S are capitals: lower-casing changes them.
 * Vietnamese capitals and small letters have the same UTF-8 length.
 */
int
text_all_caps(const char *s)
{
	struct sohoa_buf low = SOHOA_BUF_INIT;
	size_t i, changed = 0, letters = 0;

	if (sohoa_utf8_lower(s, &low) != SOHOA_OK || low.len != strlen(s)) {
		sohoa_buf_release(&low);
		return 0;
	}
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ' ' || ((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		letters++;
		if (memcmp(s + i, low.buf + i, 1) != 0 ||
		    (((unsigned char)s[i] & 0x80) &&
		    memcmp(s + i, low.buf + i, 3) != 0))
			changed++;
	}
	sohoa_buf_release(&low);
	return letters > 0 && changed * 2 > letters;
}

/*
 * 1 when LOW (one word, lower case) can be a Vietnamese syllable: an
 * initial consonant as the spelling rules allow it (gh, ngh only before
 * i, e, ê, and k before those or y; q only as qu; no f, j, w, z), then a
 * vowel group Vietnamese has, then at most a final consonant.  Used to
 * tell an OCR slip ("Nghyễn", "Tiần") from a rare name ("Thào").
 */
int
text_syllable(const char *low)
{
	static const char *const initials[] = {
		"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr",
		"qu", "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p",
		"r", "s", "t", "v", "x", "",
	};
	static const char *const groups[] = {
		"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
		"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê",
		"iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua", "uâ", "uê",
		"ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "iêu", "yê",
		"yêu", "oai", "oay", "uây", "uôi", "ươi", "ươu", "uya",
		"uyê", "uyu", "oao", "oeo", "ưo",
	};
	static const char *const finals[] = {
		"", "c", "ch", "m", "n", "ng", "nh", "p", "t",
	};
	struct sohoa_buf d = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT;
	const char *s, *v;
	size_t i, j, k, il;
	int ok = 0;

	/* tones off (decomposed), the vowel marks composed again */
	if (sohoa_utf8_untone(low, &d) != SOHOA_OK ||
	    sohoa_utf8_nfc(d.buf, d.len, &b) != SOHOA_OK) {
		sohoa_buf_release(&d);
		sohoa_buf_release(&b);
		return 1;
	}
	sohoa_buf_release(&d);
	s = b.buf;
	for (i = 0; i < sizeof(initials) / sizeof(initials[0]) && !ok; i++) {
		il = strlen(initials[i]);
		if (strncmp(s, initials[i], il) != 0)
			continue;
		v = s + il;
		/* gh, ngh, k before i, e, ê, y; c and g+h rules */
		if ((strcmp(initials[i], "gh") == 0 ||
		    strcmp(initials[i], "ngh") == 0 ||
		    strcmp(initials[i], "k") == 0) && !(*v == 'i' ||
		    *v == 'e' || (*v == 'y' && initials[i][0] == 'k') ||
		    strncmp(v, "ê", strlen("ê")) == 0))
			continue;
		for (j = 0; j < sizeof(groups) / sizeof(groups[0]) && !ok;
		    j++) {
			size_t gl = strlen(groups[j]);

			if (strncmp(v, groups[j], gl) != 0)
				continue;
			/*
			 * iê, yê, uô, ươ close on a final: open, they are
			 * written ia, ya, ua, ưa ("tia", "khuya", "mua")
			 */
			k = strcmp(groups[j], "iê") == 0 ||
			    strcmp(groups[j], "yê") == 0 ||
			    strcmp(groups[j], "uyê") == 0 ||
			    strcmp(groups[j], "uô") == 0 ||
			    strcmp(groups[j], "ươ") == 0 ? 1 : 0;
			for (; k < sizeof(finals) / sizeof(finals[0]); k++)
				if (strcmp(v + gl, finals[k]) == 0) {
					ok = 1;
					break;
				}
		}
	}
	sohoa_buf_release(&b);
	return ok;
}

/*
 * The byte of LOW (one word, lower case) where its "u" stands for the
 * glide "o", or -1: a tone on the a of "ua" after an initial other than
 * q ("huà").  Where u is the vowel the mark sits on it ("mùa", "của");
 * u is a glide before a only after q ("quà"), and the glide is written o
 * after any other initial ("hoà"), so OCR read the o as u.
 */
long
text_ua_slip(const char *low)
{
	static const char *const toned[] = { "à", "á", "ả", "ã", "ạ" };
	const char *u = strchr(low, 'u');
	size_t k;

	if (u == NULL || u == low || u[-1] == 'q' ||
	    strchr("aeiouy", u[-1]) != NULL || ((unsigned char)u[-1] & 0x80))
		return -1;
	for (k = 0; k < sizeof(toned) / sizeof(toned[0]); k++)
		if (strncmp(u + 1, toned[k], strlen(toned[k])) == 0)
			return (long)(u - low);
	return -1;
}

/*
 * The words of administrative units.  Province to commune level ones are
 * matched folded, as OCR reads them ("tình Quảng Ngãi", "huyên"); a
 * village word only as written, small letters aside: folded it is a
 * common word ("bản" and the "ban" of "Ủy ban", "làng" and "lang").
 */
static const struct {
	const char *word;	/* admin: its key; village: as written */
	unsigned level;		/* enum text_unit */
} units[] = {
	{ "tinh", TEXT_UNIT_ADMIN }, { "thanhpho", TEXT_UNIT_ADMIN },
	{ "huyen", TEXT_UNIT_ADMIN }, { "quan", TEXT_UNIT_ADMIN },
	{ "thixa", TEXT_UNIT_ADMIN }, { "xa", TEXT_UNIT_ADMIN },
	{ "phuong", TEXT_UNIT_ADMIN }, { "thitran", TEXT_UNIT_ADMIN },
	{ "thôn", TEXT_UNIT_VILLAGE }, { "buôn", TEXT_UNIT_VILLAGE },
	{ "làng", TEXT_UNIT_VILLAGE }, { "bản", TEXT_UNIT_VILLAGE },
	{ "ấp", TEXT_UNIT_VILLAGE },
};

/*
 * 1 when S (N bytes: one word or two) is a unit word of a level among
 * LEVELS, 0 when not, -1 when it has no letter.
 */
static int
unit_word(const char *s, size_t n, unsigned levels)
{
	struct sohoa_buf k = SOHOA_BUF_INIT, w = SOHOA_BUF_INIT,
	    low = SOHOA_BUF_INIT;
	int r = 0;
	size_t i;

	if (fkey_simple_n(s, n, &k) != SOHOA_OK || k.len == 0) {
		r = -1;
		goto out;
	}
	if (sohoa_buf_add(&w, s, n) != SOHOA_OK ||
	    sohoa_utf8_lower(w.buf, &low) != SOHOA_OK)
		goto out;
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && r == 0; i++)
		r = (units[i].level & levels) != 0 &&
		    strcmp(units[i].level == TEXT_UNIT_ADMIN ? k.buf :
		    low.buf, units[i].word) == 0;
out:
	sohoa_buf_release(&k);
	sohoa_buf_release(&w);
	sohoa_buf_release(&low);
	return r;
}

size_t
text_unit_at(const char *s, size_t n, unsigned levels)
{
	size_t e = 0, w;

	/* the first word, then the first two ("thành phố", "thị trấn") */
	for (w = 0; w < 2 && e < n; w++) {
		while (e < n && s[e] == ' ')
			e++;
		while (e < n && s[e] != ' ' && s[e] != ',')
			e++;
		switch (unit_word(s, e, levels)) {
		case 1:
			return e;
		case -1:
			return 0;
		}
	}
	return 0;
}
