/*
 * Names of people: OCR debris around them removed, words checked, marks
 * lost on common surnames and middle names restored.
 *
 *   sohoa_parse_name, name_fix_surname
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

/*
 * 1 when S is a line of the form that reads like a name: the issuer
 * ("ỦY BAN NHÂN DÂN"), a signer title, a signature note.
 */
static int
not_a_name(const char *s)
{
	static const char *const phrases[] = {
		"uybannhandan", "chutich", "ghiro", "congchuc", "nguoiky",
		"dongdau", "conghoaxahoi", "doclap", "hanhphuc",
	};
	struct sohoa_buf k = SOHOA_BUF_INIT;
	size_t i;
	int r = 0;

	if (fkey_simple(s, &k) != SOHOA_OK)
		return 1;
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]) && !r; i++)
		if (strstr(k.buf, phrases[i]) != NULL)
			r = 1;
	sohoa_buf_release(&k);
	return r;
}

/* Common surnames, title case and upper case. */
static const char *const surnames[][2] = {
	{ "Nguyễn", "NGUYỄN" }, { "Trần", "TRẦN" }, { "Lê", "LÊ" },
	{ "Phạm", "PHẠM" }, { "Hoàng", "HOÀNG" }, { "Huỳnh", "HUỲNH" },
	{ "Phan", "PHAN" }, { "Vũ", "VŨ" }, { "Võ", "VÕ" },
	{ "Đặng", "ĐẶNG" }, { "Bùi", "BÙI" }, { "Đỗ", "ĐỖ" }, { "Hồ", "HỒ" },
	{ "Ngô", "NGÔ" }, { "Dương", "DƯƠNG" }, { "Lý", "LÝ" },
	{ "Trương", "TRƯƠNG" }, { "Đinh", "ĐINH" }, { "Trịnh", "TRỊNH" },
	{ "Đoàn", "ĐOÀN" }, { "Lương", "LƯƠNG" }, { "Lưu", "LƯU" },
	{ "Đào", "ĐÀO" }, { "Cao", "CAO" }, { "Tạ", "TẠ" },
	{ "Quách", "QUÁCH" }, { "Triệu", "TRIỆU" }, { "Kiều", "KIỀU" },
	{ "Phùng", "PHÙNG" }, { "Lâm", "LÂM" }, { "Thái", "THÁI" },
	{ "Tô", "TÔ" }, { "Chu", "CHU" }, { "Mạc", "MẠC" }, { "Lại", "LẠI" },
	{ "Tăng", "TĂNG" }, { "Vương", "VƯƠNG" }, { "Châu", "CHÂU" },
	{ "Doãn", "DOÃN" }, { "Thân", "THÂN" }, { "Khúc", "KHÚC" },
	{ "Mẫn", "MẪN" }, { "Văn", "VĂN" }, { "Diệp", "DIỆP" },
};

/* Middle names so common that a lost mark is best restored. */
static const char *const middles[][2] = {
	{ "Thị", "THỊ" }, { "Văn", "VĂN" }, { "Đức", "ĐỨC" },
	{ "Hữu", "HỮU" }, { "Ngọc", "NGỌC" }, { "Thế", "THẾ" },
	{ "Xuân", "XUÂN" }, { "Quốc", "QUỐC" }, { "Đình", "ĐÌNH" },
	{ "Trọng", "TRỌNG" }, { "Công", "CÔNG" },
};

/*
 * 1 when every marked letter of NAME (lower case) stands in word LOW too:
 * OCR that garbled the consonants of "Trần" ("Tiầh", "Ífần") kept its
 * vowel.  A name with no marked letter never matches ("Êban" is no
 * "Phan").
 */
static int
marks_kept(const char *name, const char *low)
{
	char letter[5];
	size_t i, k, n = strlen(name);
	int32_t cp;
	int any = 0;

	for (i = 0; i < n; i += k) {
		k = sohoa_utf8_decode(name + i, n - i, &cp);
		if (cp < 0x80 || cp == 0x111 || k >= sizeof(letter))
			continue;
		memcpy(letter, name + i, k);
		letter[k] = '\0';
		if (strstr(low, letter) == NULL)
			return 0;
		any = 1;
	}
	return any;
}

/*
 * The one entry of LIST nearest to word W (N bytes) when W cannot be a
 * Vietnamese syllable: at most two letters off, and no more than half of
 * its letters, with the entry's marked vowel read ("Tiầh", "Ífần" for
 * "Trần": the seal's ring crossed the T and the n).  A word that can be a
 * syllable is a name of its own.  *PHIT and *PNHITS are set on a hit.
 */
static int
near_entry(const char *w, size_t n, const char *const (*list)[2],
    size_t nlist, size_t *phit, size_t *pnhits)
{
	struct sohoa_buf low = SOHOA_BUF_INIT, el = SOHOA_BUF_INIT;
	size_t i, d, best = 3, nbest = 0, hit = 0;
	size_t letters = sohoa_utf8_length(w, n);
	int rc;

	/* el holds W as read for a moment, then each entry in small letters */
	rc = sohoa_buf_add(&el, w, n);
	if (rc == SOHOA_OK)
		rc = sohoa_utf8_lower(el.buf, &low);
	if (rc != SOHOA_OK || letters < 4 || text_syllable(low.buf))
		goto out;
	for (i = 0; i < nlist && rc == SOHOA_OK; i++) {
		sohoa_buf_reset(&el);
		rc = sohoa_utf8_lower(list[i][0], &el);
		if (rc != SOHOA_OK || !marks_kept(el.buf, low.buf))
			continue;
		d = sohoa_edit_distance(low.buf, el.buf, 2);
		if (d > 2)
			continue;
		if (d < best) {
			best = d;
			nbest = 1;
			hit = i;
		} else if (d == best)
			nbest++;
	}
	if (rc == SOHOA_OK && nbest == 1 && best * 2 <= letters) {
		*phit = hit;
		*pnhits = 1;
	}
out:
	sohoa_buf_release(&low);
	sohoa_buf_release(&el);
	return rc;
}

/*
 * Replace word W (N bytes, in OUT) by the one entry of LIST[][2] with the
 * same folded form when W is not itself spelt like an entry (OCR put a
 * wrong mark on "Lê": "Lệ", "Lễ").  UPPER picks the upper-case spelling.
 * Unless FUZZY, only words without marks are restored.
 */
static int
fix_word(const char *w, size_t n, const char *const (*list)[2],
    size_t nlist, int upper, int fuzzy, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf k = SOHOA_BUF_INIT, ek = SOHOA_BUF_INIT;
	size_t i, hit = (size_t)-1, nhits = 0;
	int rc;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i][upper]) == n &&
		    memcmp(list[i][upper], w, n) == 0)
			return sohoa_buf_add(out, w, n);
	rc = fkey_simple_n(w, n, &k);
	/* a marked word is another name ("Vân"), unless FUZZY */
	if (rc == SOHOA_OK && !fuzzy && k.len != n) {
		sohoa_buf_release(&k);
		return sohoa_buf_add(out, w, n);
	}
	for (i = 0; i < nlist && rc == SOHOA_OK; i++) {
		sohoa_buf_reset(&ek);
		rc = fkey_simple(list[i][0], &ek);
		if (rc == SOHOA_OK && strcmp(k.buf, ek.buf) == 0) {
			hit = i;
			nhits++;
		}
	}
	/*
	 * "FRƯƠNG": one letter off a surname, when the word cannot be
	 * Vietnamese (f, j, w, z begin no syllable).  A word that can is
	 * kept: "Thào" and "Vàng" are H'Mông surnames, not "Thái", "Đặng".
	 */
	for (i = 0; i < nlist && rc == SOHOA_OK && fuzzy && nhits == 0 &&
	    k.len >= 4 && strpbrk(k.buf, "fjwz") != NULL; i++) {
		sohoa_buf_reset(&ek);
		rc = fkey_simple(list[i][0], &ek);
		if (rc == SOHOA_OK && sohoa_edit_distance(k.buf, ek.buf,
		    1) <= 1) {
			hit = i;
			nhits += nhits == 0 ? 1 : 0;
			break;
		}
	}
	if (rc == SOHOA_OK && fuzzy && nhits == 0)
		rc = near_entry(w, n, list, nlist, &hit, &nhits);
	if (rc == SOHOA_OK) {
		if (nhits == 1) {
			rc = sohoa_buf_adds(out, list[hit][upper]);
			*pfixed = 1;
		} else
			rc = sohoa_buf_add(out, w, n);
	}
	sohoa_buf_release(&k);
	sohoa_buf_release(&ek);
	return rc;
}

/*
 * The capital of word W (N bytes) when it opens with a small i carrying a
 * tone ("ín", "ỉn") and goes on in small letters; else 0.
 */
static size_t
small_marked_i(const char *w, size_t n)
{
	static const int32_t map[][2] = {
		{ 0x00ED, 0x00CD }, { 0x00EC, 0x00CC }, { 0x1EC9, 0x1EC8 },
		{ 0x0129, 0x0128 }, { 0x1ECB, 0x1ECA },
	};
	int32_t cp;
	size_t i, c = sohoa_utf8_decode(w, n, &cp);

	if (c >= n || text_has_upper(w + c, n - c))
		return 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cp == map[i][0])
			return (size_t)map[i][1];
	return 0;
}

/*
 * Check the words of name V: each starts with a capital and holds a
 * vowel ("VT", "j" and "T" are OCR debris, not names), and restore lost
 * marks on common surnames and middle names.
 */
static int
name_words(const char *v, struct sohoa_buf *out, int *pfixed)
{
	const char *w = v, *e;
	size_t nw = 0, total = 1, i;
	int rc = SOHOA_OK;

	for (i = 0; v[i] != '\0'; i++)
		if (v[i] == ' ')
			total++;
	while (*w != '\0' && rc == SOHOA_OK) {
		struct sohoa_buf k = SOHOA_BUF_INIT;
		int32_t cp;
		size_t n, c1;
		int upper;

		e = strchr(w, ' ');
		n = e == NULL ? strlen(w) : (size_t)(e - w);
		/*
		 * "sHoàng", "ŠNguyễn": a speck read as a small letter or as
		 * a letter Vietnamese does not have, before the capital
		 */
		if (n > 2) {
			c1 = sohoa_utf8_decode(w, n, &cp);

			if ((islower((unsigned char)w[0]) ||
			    !text_is_viet_letter(cp)) && c1 + 1 < n &&
			    text_has_upper(w + c1, sohoa_utf8_decode(w + c1,
			    n - c1, &cp))) {
				w += c1;
				n -= c1;
				*pfixed = 1;
			}
		}
		upper = text_all_upper(w, n);
		rc = fkey_simple_n(w, n, &k);
		/*
		 * A word needs a vowel; one letter alone is debris ("Tạ Ị"),
		 * but for "Y" of Ê Đê names ("Y Bih"), the given name "Ý"
		 * with its tone ("Nguyễn Như Ý") and, inside a name, the "A"
		 * of H'Mông men ("Mùa A Chớ") and the "H" of Ê Đê women
		 * ("Siu H Yam").
		 */
		if (rc == SOHOA_OK && k.len == 1 && n == 1 && nw > 0 &&
		    nw + 1 < total && (w[0] == 'A' || w[0] == 'H'))
			;
		else if (rc == SOHOA_OK && (strpbrk(k.buf, "aeiouy") == NULL ||
		    (k.len == 1 && !(k.buf[0] == 'y' && text_has_upper(w,
		    n)))))
			rc = SOHOA_ERR_INPUT;
		/* names are written with capitals; a small one is doubtful */
		if (rc == SOHOA_OK && !text_has_upper(w, sohoa_utf8_decode(w, n,
		    &cp)))
			*pfixed = 1;
		sohoa_buf_release(&k);
		if (rc != SOHOA_OK)
			break;
		if (nw > 0)
			rc = sohoa_buf_addch(out, ' ');
		if (rc != SOHOA_OK)
			break;
		/*
		 * "Lường Văn ín": a capital I with its tone is a small ı with
		 * the same tone, taller; inside a name it is the capital
		 */
		if (nw > 0 && (c1 = small_marked_i(w, n)) > 0) {
			size_t lead = sohoa_utf8_decode(w, n, &cp);

			rc = sohoa_utf8_add_cp(out, (int32_t)c1);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_add(out, w + lead, n - lead);
			*pfixed = 1;
		} else if (nw == 0 && total >= 2)
			rc = fix_word(w, n, surnames,
			    sizeof(surnames) / sizeof(surnames[0]), upper, 1,
			    out, pfixed);
		else if (nw > 0 && nw + 1 < total)
			rc = fix_word(w, n, middles,
			    sizeof(middles) / sizeof(middles[0]), upper, 0,
			    out, pfixed);
		else
			rc = sohoa_buf_add(out, w, n);
		nw++;
		w = e == NULL ? w + n : e + 1;
	}
	return rc;
}

/*
 * 1 when the word that ends T (from its last space) is a syllable: the
 * part of a name word before a sign, which is then a word of its own.
 * Returns -1 when out of memory.
 */
static int
word_before_is_syllable(const struct sohoa_buf *t)
{
	struct sohoa_buf low = SOHOA_BUF_INIT;
	const char *w = t->len > 0 ? strrchr(t->buf, ' ') : NULL;
	int r;

	w = w != NULL ? w + 1 : t->len > 0 ? t->buf : "";
	if (sohoa_utf8_lower(w, &low) != SOHOA_OK)
		r = -1;
	else
		r = low.len > 0 && text_syllable(low.buf);
	sohoa_buf_release(&low);
	return r;
}

/*
 * 1 when the letter of S at byte I and the one after it are a capital
 * then a small letter ("Páo").
 */
static int
lower_after(const char *s, size_t i)
{
	size_t len = strlen(s), k;
	int32_t a, b;

	if (i >= len)
		return 0;
	k = sohoa_utf8_decode(s + i, len - i, &a);
	if (i + k >= len)
		return 0;
	(void)sohoa_utf8_decode(s + i + k, len - i - k, &b);
	return sohoa_utf8_case_cp(a) > 0 && sohoa_utf8_case_cp(b) < 0;
}

/*
 * Repairs of the letters of name V in place: Ð (eth, which OCR takes for
 * Đ) becomes Đ, two words run together where the gap was lost ("LêNgọc":
 * a small letter then a capital then a small one) are split, and so are
 * two words joined by a hyphen OCR saw in the gap ("Vũ-Quang"; a hyphen
 * inside an ethnic name, "Rơ-châm", has a small letter after it).
 */
static int
name_letters(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	size_t i, n;
	int32_t cp, prev = 0, next;
	int rc = SOHOA_OK, foreign, syl;

	for (i = 0; i < v->len && rc == SOHOA_OK; i += n) {
		n = sohoa_utf8_decode(v->buf + i, v->len - i, &cp);
		syl = 0;
		if (cp == 0xD0 || cp == 0xF0) {
			cp = cp == 0xD0 ? 0x110 : 0x111;
			*pfixed = 1;
		}
		next = 0;
		if (i + n < v->len)
			(void)sohoa_utf8_decode(v->buf + i + n, v->len - i - n,
			    &next);
		/*
		 * a speck in the gap: "Lê*Trọng", "Nghiêm`Xuân", and a
		 * letter Vietnamese does not have after a word of its own
		 * ("LệŠTrọng"; in "TräÄ", for "Trần", it is a misread
		 * letter of the word)
		 */
		foreign = text_is_letter(cp) && !text_is_viet_letter(cp);
		if (foreign && sohoa_utf8_case_cp(prev) < 0 &&
		    sohoa_utf8_case_cp(next) > 0 &&
		    (syl = word_before_is_syllable(&t)) < 0) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		if ((cp == '-' || cp == '*' || cp == '`' || cp == '~' ||
		    cp == '#' || cp == '_' || (foreign && syl == 1)) &&
		    sohoa_utf8_case_cp(prev) < 0 &&
		    sohoa_utf8_case_cp(next) > 0) {
			cp = ' ';
			*pfixed = 1;
		} else if (sohoa_utf8_case_cp(prev) < 0 &&
		    sohoa_utf8_case_cp(cp) > 0 && sohoa_utf8_case_cp(next) < 0) {
			rc = sohoa_buf_addch(&t, ' ');
			*pfixed = 1;
		} else if (sohoa_utf8_case_cp(prev) < 0 && (cp == 'A' ||
		    cp == 'H' || cp == 'Y') && sohoa_utf8_case_cp(next) > 0 &&
		    lower_after(v->buf, i + n)) {
			/*
			 * "GiàngAPáo": the letters a name holds alone (the
			 * A of H'Mông men, the H and Y of Ê Đê names) glued
			 * between two words, both gaps lost
			 */
			rc = sohoa_buf_addch(&t, ' ');
			if (rc == SOHOA_OK)
				rc = sohoa_utf8_add_cp(&t, cp);
			cp = ' ';
			*pfixed = 1;
		}
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_add_cp(&t, cp);
		prev = cp;
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, t.buf, t.len);
	}
	sohoa_buf_release(&t);
	return rc;
}

/*
 * Bytes of V up to and with its last word in small letters when three
 * words or more follow it, each with a capital: a name holds no word in
 * small letters, and a surname, middle and given name follow the seal's
 * words read before it ("Su kia Nguyễn Tiến Cần").  0 when there is no
 * such word.  A middle name read small ("Nguyễn văn Minh Tuấn") has two
 * words after it.
 */
static size_t
small_inside(const char *v)
{
	const char *w = v, *e;
	size_t cut = 0, after = 0;

	while (*w != '\0') {
		size_t n;

		e = strchr(w, ' ');
		n = e == NULL ? strlen(w) : (size_t)(e - w);
		if (!text_has_upper(w, n)) {
			cut = e == NULL ? 0 : (size_t)(e + 1 - v);
			after = 0;
		} else
			after++;
		w = e == NULL ? w + n : e + 1;
	}
	return after >= 3 ? cut : 0;
}

/*
 * Number of bytes of debris before name V: a first word without a
 * capital ("xa Nguyễn Đức Quảng"), or in capitals before words that are
 * not ("IS Phan Mỹ Triều"), as the stamp's letters leave beside a
 * signer's name.  Only when two words or more are left.
 */
static size_t
name_debris(const char *v)
{
	const char *e = strchr(v, ' '), *e2;
	size_t n, n2, skip;
	int32_t cp;

	if (e == NULL || (e2 = strchr(e + 1, ' ')) == NULL)
		return 0;
	n = (size_t)(e - v);
	n2 = (size_t)(e2 - e - 1);
	if (!text_has_upper(v, n))
		return n + 1;
	if ((skip = small_inside(v)) > 0)
		return skip;
	if (n >= 2 * sohoa_utf8_decode(v, n, &cp) && text_all_upper(v, n) &&
	    !text_has_lower(v, n) && n2 > 2 && !text_all_upper(e + 1, n2))
		return n + 1;
	return 0;
}

/*
 * Bytes of scrawl before name V: leading words without a capital that
 * are one small letter ("h") or hold something no name has ("~-", "x9"),
 * as the signature and the seal leave on the row of a signer's name
 * ("h ~- Phạm Thương Huyền").  A word with a capital is a misread part of
 * the name ("V.1" for "Vũ") and stays, so that the name fails and a
 * better reading is used, unless three words or more follow it (a
 * name's surname, middle and given name): then a capital alone but the
 * "Y" of Ê Đê men ("V Trần Nhật Hòa") or with a sign ("K¿ Hoàng Thúy
 * Duyên") is the seal's too.  Only when two words or more are left.
 */
static size_t
name_junk(const char *v)
{
	const char *w = v, *e;
	size_t words = 1, i, skip = 0;

	for (i = 0; v[i] != '\0'; i++)
		if (v[i] == ' ')
			words++;
	while (words > 2 && (e = strchr(w, ' ')) != NULL) {
		size_t n = (size_t)(e - w), j, k;
		int32_t cp;
		int caps = 0, other = 0, sign = 0;

		for (j = 0; j < n; j += k) {
			k = sohoa_utf8_decode(w + j, n - j, &cp);
			caps += sohoa_utf8_case_cp(cp) > 0;
			other += !text_is_letter(cp);
			/*
			 * stops are a gap, read below ("Xi, Nguyễn"), and
			 * ' and - are a name's; a letter Vietnamese has not
			 * is a sign ("Pø")
			 */
			sign += !text_is_viet_letter(cp) && cp != ',' &&
			    cp != '.' && cp != ';' && cp != ':' &&
			    cp != '\'' && cp != '-';
		}
		if (caps > 0 && words > 3 && (sign > 0 || (n == 1 &&
		    w[0] != 'Y')))
			;
		else if (caps > 0 || !(other > 0 || (n == 1 && islower(
		    (unsigned char)w[0]))))
			break;
		w = e + 1;
		words--;
		skip = (size_t)(w - v);
	}
	return skip;
}

/* Collapse runs of spaces in B and trim them at the ends. */
static void
squeeze_spaces(struct sohoa_buf *b)
{
	size_t i, j = 0;

	for (i = 0; i < b->len; i++) {
		if (b->buf[i] == ' ' && (j == 0 || b->buf[j - 1] == ' '))
			continue;
		b->buf[j++] = b->buf[i];
	}
	while (j > 0 && b->buf[j - 1] == ' ')
		j--;
	sohoa_buf_truncate(b, j);
}

/*
 * Bytes of the specks glued before the first word W (N bytes) of a name
 * ("o*SSùng" for "Sùng", as the seal's ring leaves them): what comes
 * before its last capital when only small letters follow that capital
 * and the part before it holds something that is no letter.  A word run
 * into the next one ("LêNgọc") has letters only, and stays.
 */
static size_t
speck_prefix(const char *w, size_t n)
{
	size_t i, k, cap = 0;
	int32_t cp;
	int other = 0;

	for (i = 0; i < n; i += k) {
		k = sohoa_utf8_decode(w + i, n - i, &cp);
		if (k == 0)
			return 0;
		if (sohoa_utf8_case_cp(cp) > 0 && text_is_viet_letter(cp))
			cap = i;
	}
	if (cap == 0)
		return 0;
	/*
	 * a capitalised word and one sign before the capital is a word
	 * whose gap OCR read as a speck ("Lê*Trọng"): it stays
	 */
	k = sohoa_utf8_decode(w, n, &cp);
	if (sohoa_utf8_case_cp(cp) > 0 && text_is_viet_letter(cp) && k < cap) {
		size_t first = k;

		for (i = k; i < cap; i += k) {
			k = sohoa_utf8_decode(w + i, cap - i, &cp);
			if (sohoa_utf8_case_cp(cp) >= 0 ||
			    !text_is_viet_letter(cp))
				break;
		}
		if (i > first && i + k == cap && !text_is_letter(cp))
			return 0;
	}
	/* small letters only after the capital, one at least */
	i = cap + sohoa_utf8_decode(w + cap, n - cap, &cp);
	if (i >= n)
		return 0;
	for (; i < n; i += k) {
		k = sohoa_utf8_decode(w + i, n - i, &cp);
		if (sohoa_utf8_case_cp(cp) >= 0 || !text_is_letter(cp))
			return 0;
	}
	for (i = 0; i < cap && !other; i += k) {
		k = sohoa_utf8_decode(w + i, cap - i, &cp);
		/* a hyphen between two words is no speck ("Vũ-Quang") */
		other = !text_is_letter(cp) && cp != '-' && cp != '\'';
	}
	return other ? cap : 0;
}

/*
 * 1 when the sign at I (N bytes) of S has a small letter before it and a
 * capital after it.
 */
static int
gap_sign(const char *s, size_t i, size_t n)
{
	size_t b = i;
	int32_t before, after;

	while (b > 0 && ((unsigned char)s[b - 1] & 0xC0) == 0x80)
		b--;
	if (b == 0)
		return 0;
	b--;
	while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
		b--;
	(void)sohoa_utf8_decode(s + b, i - b, &before);
	(void)sohoa_utf8_decode(s + i + n, strlen(s + i + n), &after);
	return sohoa_utf8_case_cp(before) < 0 && sohoa_utf8_case_cp(after) > 0;
}

/*
 * 1 when the small letters at S (up to a space or the end) after a
 * capital L make a syllable: the word a slash before them stood for.
 */
static int
l_word(const char *s)
{
	struct sohoa_buf w = SOHOA_BUF_INIT;
	size_t n = strcspn(s, " ");
	int r;

	r = n > 0 && !text_has_upper(s, n) && sohoa_buf_addch(&w, 'l') ==
	    SOHOA_OK && sohoa_buf_add(&w, s, n) == SOHOA_OK &&
	    text_syllable(w.buf);
	sohoa_buf_release(&w);
	return r;
}

/*
 * Signs inside the words of name V that OCR made of a letter or of a
 * speck, mended: a bracket between two letters is a speck ("M]lô" for
 * "Mlô"), an inverted exclamation mark there is the i it looks like
 * ("B¡h" for "Bih"), and a slash before small letters that make a
 * syllable with an l is the capital L of a word, its gap lost when a
 * letter comes before it ("Nguyễn/inh" for "Nguyễn Linh": the slanted
 * stroke of the L).
 */
static int
name_signs(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	size_t i, n;
	int32_t cp, prev = ' ', next;
	int rc = SOHOA_OK;

	for (i = 0; i < v->len && rc == SOHOA_OK; i += n, prev = cp) {
		n = sohoa_utf8_decode(v->buf + i, v->len - i, &cp);
		next = ' ';
		if (i + n < v->len)
			(void)sohoa_utf8_decode(v->buf + i + n, v->len - i - n,
			    &next);
		if ((cp == '[' || cp == ']' || cp == '{' || cp == '}') &&
		    text_is_letter(prev) && text_is_letter(next)) {
			*pfixed = 1;
			continue;
		}
		if (cp == 0xA1 && text_is_letter(prev) &&
		    text_is_letter(next)) {
			cp = 'i';
			*pfixed = 1;
		}
		if (cp == '/' && sohoa_utf8_case_cp(next) < 0 &&
		    l_word(v->buf + i + n)) {
			if (text_is_letter(prev))
				rc = sohoa_buf_addch(&t, ' ');
			if (rc == SOHOA_OK)
				rc = sohoa_buf_addch(&t, 'L');
			*pfixed = 1;
			continue;
		}
		rc = sohoa_utf8_add_cp(&t, cp);
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, t.buf, t.len);
	}
	sohoa_buf_release(&t);
	return rc;
}

/*
 * The words of name V that open with two capitals or more and go on in
 * small letters ("THúy", "NGuyễn") in small letters after the first,
 * when the word is then a syllable: OCR's case slip.  Capitals that make
 * no syllable so are two words glued ("HBia": "H Bia") and stay.
 */
static int
case_slip(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf t = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT,
	    word = SOHOA_BUF_INIT;
	const char *w = v->buf, *e;
	size_t n, i, k, caps, small;
	int32_t cp;
	int rc = SOHOA_OK;

	for (; rc == SOHOA_OK && *w != '\0'; w = *e ? e + 1 : e) {
		e = w + strcspn(w, " ");
		n = (size_t)(e - w);
		caps = small = 0;
		for (i = 0; i < n; i += k) {
			k = sohoa_utf8_decode(w + i, n - i, &cp);
			if (k == 0)
				break;
			if (sohoa_utf8_case_cp(cp) > 0 && small == 0)
				caps++;
			else if (sohoa_utf8_case_cp(cp) > 0)
				caps = 0;	/* "LêNgọc": another rule */
			else
				small++;
		}
		if (t.len > 0)
			rc = sohoa_buf_addch(&t, ' ');
		sohoa_buf_reset(&word);
		sohoa_buf_reset(&low);
		k = sohoa_utf8_decode(w, n, &cp);
		if (rc == SOHOA_OK && caps >= 2 && small > 0 &&
		    sohoa_buf_add(&word, w, n) == SOHOA_OK &&
		    sohoa_utf8_lower(word.buf, &low) == SOHOA_OK &&
		    text_syllable(low.buf)) {
			sohoa_buf_reset(&low);
			rc = sohoa_buf_add(&t, w, k);
			if (rc == SOHOA_OK)
				rc = sohoa_utf8_lower(word.buf + k, &low);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_add(&t, low.buf, low.len);
			*pfixed = 1;
		} else if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&t, w, n);
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, t.buf, t.len);
	}
	sohoa_buf_release(&t);
	sohoa_buf_release(&low);
	sohoa_buf_release(&word);
	return rc;
}

/*
 * The last letter of a word split off as a word of its own ("NGUYỄ N
 * HUY ANH"): a word that is no syllable (iê, uô, ươ, yê close on a final
 * consonant) followed by one consonant that makes it one.  Joined, in
 * the word's case.
 */
static int
split_final(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf word = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT;
	char *w = v->buf, *e;
	size_t n;
	int rc = SOHOA_OK, syl;

	for (; rc == SOHOA_OK && *w != '\0'; w = *e ? e + 1 : e) {
		e = w + strcspn(w, " ");
		n = (size_t)(e - w);
		if (*e != ' ' || !isupper((unsigned char)e[1]) ||
		    strchr("AEIOUY", e[1]) != NULL ||
		    (e[2] != ' ' && e[2] != '\0'))
			continue;
		sohoa_buf_reset(&word);
		sohoa_buf_reset(&low);
		rc = sohoa_buf_add(&word, w, n);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_lower(word.buf, &low);
		if (rc != SOHOA_OK)
			break;
		syl = text_syllable(low.buf);
		rc = sohoa_buf_addch(&low, (char)tolower((unsigned char)e[1]));
		if (rc != SOHOA_OK || syl || !text_syllable(low.buf))
			continue;
		if (text_has_lower(w, n))
			e[1] = (char)tolower((unsigned char)e[1]);
		memmove(e, e + 1, strlen(e + 1) + 1);
		sohoa_buf_truncate(v, v->len - 1);
		e = w + n + 1;
		*pfixed = 1;
	}
	sohoa_buf_release(&word);
	sohoa_buf_release(&low);
	return rc;
}

/*
 * Name V with an inner word that is a capital A under a tone mark ("Giàng
 * Á Chớ") written "A": the "A" of H'Mông men's names carries no mark, and
 * a lone letter's mark is a speck.  A last word ("Ý") is a given name.
 */
static int
lone_a(struct sohoa_buf *v, int *pfixed)
{
	static const int32_t marked[] = {
		0xC0, 0xC1, 0xC3, 0x1EA2, 0x1EA0,	/* À Á Ã Ả Ạ */
	};
	struct sohoa_buf t = SOHOA_BUF_INIT;
	const char *w = v->buf, *e;
	int32_t cp;
	size_t n, i;
	int rc = SOHOA_OK, hit;

	for (; rc == SOHOA_OK && *w != '\0'; w = *e ? e + 1 : e) {
		e = w + strcspn(w, " ");
		n = (size_t)(e - w);
		hit = 0;
		if (w > v->buf && *e == ' ' &&
		    sohoa_utf8_decode(w, n, &cp) == n)
			for (i = 0; i < sizeof(marked) / sizeof(marked[0]); i++)
				hit |= cp == marked[i];
		if (t.len > 0)
			rc = sohoa_buf_addch(&t, ' ');
		if (rc == SOHOA_OK)
			rc = hit ? sohoa_buf_addch(&t, 'A') :
			    sohoa_buf_add(&t, w, n);
		if (hit)
			*pfixed = 1;
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, t.buf, t.len);
	}
	sohoa_buf_release(&t);
	return rc;
}

int
sohoa_parse_name(const char *s, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT, fixed = SOHOA_BUF_INIT;
	size_t i, n, words = 1, skip;
	int32_t cp;
	int rc, changed, fx = 0;

	if (pfixed != NULL)
		*pfixed = 0;
	rc = text_clean(s, 0, &v, &changed);
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	if (v.len == 0)
		goto out;
	rc = name_signs(&v, &fx);
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	skip = name_junk(v.buf);
	if (skip == 0)
		skip = speck_prefix(v.buf, strcspn(v.buf, " "));
	if (skip > 0) {
		/* and the signs before the word now first ("„Hoàng") */
		while (skip < v.len && (n = sohoa_utf8_decode(v.buf + skip,
		    v.len - skip, &cp)) > 0 && !text_is_letter(cp))
			skip += n;
		memmove(v.buf, v.buf + skip, v.len - skip + 1);
		sohoa_buf_truncate(&v, v.len - skip);
		fx = 1;
	}
	for (i = 0; i < v.len; i += n) {
		n = sohoa_utf8_decode(v.buf + i, v.len - i, &cp);
		/*
		 * stray punctuation inside a name ("Trịnh ,Minh"), and a sign
		 * standing alone ("Võ Thị - Hàm", "Cao › Ngọc Hân"), is a
		 * space
		 */
		if (cp == ',' || cp == '.' || cp == ';' || cp == ':' ||
		    cp == '`' || cp == '"' || ((i == 0 ||
		    v.buf[i - 1] == ' ') && (i + n == v.len ||
		    v.buf[i + n] == ' ') && !text_is_letter(cp) &&
		    !(cp < 0x80 && isdigit((int)cp)))) {
			memset(v.buf + i, ' ', n);
			fx = 1;
		} else if ((cp == '*' || cp == '#' || cp == '~') && i > 0 &&
		    i + n < v.len && gap_sign(v.buf, i, n)) {
			/* "Lê*Trọng": the gap between two words, as a sign */
			memset(v.buf + i, ' ', n);
			fx = 1;
		} else if (cp != ' ' && !text_is_letter(cp) && cp != '\'' &&
		    cp != '-')
			/* a name holds letters, spaces, ' and - */
			goto out;
	}
	/*
	 * A person's "H'" opens the word after it ("H' Ri": "H'Ri";
	 * text_clean put the apostrophe against its capital)
	 */
	for (i = 1; i + 2 < v.len; i++)
		if (v.buf[i] == '\'' && v.buf[i + 1] == ' ' &&
		    (i == 1 || v.buf[i - 2] == ' ') &&
		    text_glottal_capital((unsigned char)v.buf[i - 1])) {
			memmove(v.buf + i + 1, v.buf + i + 2, v.len - i - 2);
			sohoa_buf_truncate(&v, v.len - 1);
		}
	/* an apostrophe belongs inside a word (H'Mông), not at its ends */
	for (i = 0; i < v.len; i++)
		if (v.buf[i] == '\'' && (i == 0 || v.buf[i - 1] == ' ' ||
		    i + 1 == v.len || v.buf[i + 1] == ' ')) {
			v.buf[i] = ' ';
			fx = 1;
		}
	rc = name_letters(&v, &fx);
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	squeeze_spaces(&v);
	/* "N gọc": a capital split from the rest of its word */
	for (i = 0; i + 3 < v.len; i++)
		if ((i == 0 || v.buf[i - 1] == ' ') &&
		    isupper((unsigned char)v.buf[i]) &&
		    strchr("AEIOUY", v.buf[i]) == NULL && v.buf[i + 1] == ' ' &&
		    islower((unsigned char)v.buf[i + 2])) {
			memmove(v.buf + i + 1, v.buf + i + 2, v.len - i - 2);
			sohoa_buf_truncate(&v, v.len - 1);
			fx = 1;
		}
	rc = split_final(&v, &fx);
	if (rc == SOHOA_OK)
		rc = lone_a(&v, &fx);
	if (rc == SOHOA_OK && !text_all_caps(v.buf))
		rc = case_slip(&v, &fx);
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	for (i = 0; i < v.len; i++)
		if (v.buf[i] == ' ')
			words++;
	if (words < 2 || words > 8 || not_a_name(v.buf))
		goto out;
	skip = name_debris(v.buf);
	if (skip > 0)
		fx = 1;
	rc = name_words(v.buf + skip, &fixed, &fx);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_buf_add(out, fixed.buf, fixed.len);
	if (pfixed != NULL)
		*pfixed = fx;
out:
	sohoa_buf_release(&v);
	sohoa_buf_release(&fixed);
	return rc;
}


int
name_fix_surname(const char *w, size_t n, int upper, int fuzzy,
    struct sohoa_buf *out, int *pfixed)
{
	return fix_word(w, n, surnames, sizeof(surnames) / sizeof(surnames[0]),
	    upper, fuzzy, out, pfixed);
}
