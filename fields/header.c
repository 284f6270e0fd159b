/*
 * The structure around a document's fields: the header block (the issuing
 * body, at any level, written out or abbreviated, on one line or two)
 * and the place-and-date line, wherever it stands.  These do not depend
 * on a form's labels: every Vietnamese administrative document has them
 * (Nghị định 30/2020 layout; hộ tịch forms of TT 15/2015, 04/2020,
 * 01/2022 and older).
 *
 *   hdr_issuer        the issuing body of the header block
 *   hdr_place_date    the "<place>, ngày D tháng M năm Y" line
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"
#include "parse_private.h"

/* Level of a unit word: 3 commune, 2 district, 1 province, 0 none. */
static int
unit_level(const char *unit, int province_seen)
{
	static const struct {
		const char *word;
		int level;
	} levels[] = {
		{ "XÃ ", 3 }, { "PHƯỜNG ", 3 }, { "THỊ TRẤN ", 3 },
		{ "ĐẶC KHU ", 3 }, { "HUYỆN ", 2 }, { "QUẬN ", 2 },
		{ "THỊ XÃ ", 2 }, { "THÀNH PHỐ ", 1 }, { "TỈNH ", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strncmp(unit, levels[i].word, strlen(levels[i].word)) ==
		    0) {
			/* a city under a province is a district */
			if (levels[i].level == 1 && province_seen &&
			    unit[1] == 'H')
				return 2;
			return levels[i].level;
		}
	return 0;
}

/*
 * The text of LINE before the national motto, which a two-column header
 * read row by row puts on the same line ("UBND XÃ AN VINH CỘNG HÒA XÃ
 * HỘI CHỦ NGHĨA VIỆT NAM").
 */
static size_t
before_motto(const struct fkey *k, size_t len)
{
	static const char *const motto[] = {
		"conghoaxahoi", "doclaptudo", "hoaxahoichunghia",
	};
	size_t s, i, end;

	for (s = 0; s < k->len; s++) {
		for (i = 0; i < sizeof(motto) / sizeof(motto[0]); i++) {
			size_t ml = strlen(motto[i]);

			/*
			 * at a word's start with a slip or two; inside a
			 * word only exactly ("LONG ĐIỀNCỘNG HOÀ": the gap
			 * between the columns lost)
			 */
			if (k->wstart[s] && fkey_match_at(k, s, motto[i], ml, 2,
			    &end) != (size_t)-1)
				return k->off[s];
			if (k->len - s >= ml && strncmp(k->key + s, motto[i],
			    ml) == 0)
				return k->off[s];
		}
	}
	return len;
}

/*
 * 1 when the first word of K is "ubnd" with one letter wrong, lost or
 * doubled ("DBND", "UƯBND") and is no Vietnamese syllable: no word of a
 * header is written so.
 */
static int
ubnd_misread(const struct fkey *k)
{
	char w[6];
	size_t n = 1;

	while (n <= k->len && n < sizeof(w) && !k->wend[n])
		n++;
	if (n < 3 || n > 5 || n > k->len || !k->wend[n])
		return 0;
	memcpy(w, k->key, n);
	w[n] = '\0';
	return sohoa_edit_distance(w, "ubnd", 1) <= 1 && !text_syllable(w);
}

/*
 * 1 when TEXT opens with "uy" with a mark on its y ("UỶ", "UÝ", "ỦỶ",
 * "UỶỸ"): the old tone placement, which marks the y; the new one
 * ("ỦY") leaves it bare, so a mark OCR saw there, whatever its shape and
 * whatever it read on the u, is the old style's.
 */
static int
y_marked(const char *text)
{
	static const int32_t ys[] = {
		0x1EF6, 0x1EF7, 0xDD, 0xFD, 0x1EF2, 0x1EF3, 0x1EF8, 0x1EF9,
		0x1EF4, 0x1EF5, 0x178, 0xFF,
	};
	int32_t u, y;
	size_t a, i, n = strlen(text);

	if (n == 0)
		return 0;
	a = sohoa_utf8_decode(text, n, &u);
	if (a >= n || (u != 'U' && u != 'u' && u != 0x1EE6 && u != 0x1EE7))
		return 0;
	(void)sohoa_utf8_decode(text + a, n - a, &y);
	for (i = 0; i < sizeof(ys) / sizeof(ys[0]); i++)
		if (y == ys[i])
			return 1;
	return 0;
}

/*
 * The issuing-body prefix at the start of K ("UBND", "ỦY BAN NHÂN DÂN",
 * "UỶ BAN NHÂN DÂN" read with a slip or two): its spelling to write into
 * OUT and the key offset where it ends in *PEND.  The old tone placement
 * "UỶ" is kept when it was read so.
 */
static int
body_prefix(const char *text, const struct fkey *k, struct sohoa_buf *out,
    size_t *pend)
{
	size_t end;

	*pend = 0;
	if (k->len >= 4 && k->wend[4] && strncmp(k->key, "ubnd", 4) == 0) {
		*pend = 4;
		return sohoa_buf_adds(out, "UBND");
	}
	if (ubnd_misread(k)) {
		for (end = 1; !k->wend[end]; end++)
			;
		*pend = end;
		return sohoa_buf_adds(out, "UBND");
	}
	if (fkey_match_at(k, 0, "uybannhandan", 12, 2, &end) == (size_t)-1)
		return SOHOA_ERR_INPUT;
	*pend = end;
	if (y_marked(text))
		return sohoa_buf_adds(out, "UỶ BAN NHÂN DÂN");
	return sohoa_buf_adds(out, "ỦY BAN NHÂN DÂN");
}

/*
 * S[0, N) without the specks OCR reads as full stops inside a unit name
 * in capitals ("XÃ KHÁNH. YÊN HẠ", "XÃ AN.VINH"): a dot between two
 * capitals, or after one and before a space and a capital, is dropped
 * (a space kept between the words).
 */
static int
undot(const char *s, size_t n, struct sohoa_buf *out)
{
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (s[i] == '.' && i > 0 && i + 1 < n &&
		    ((unsigned char)s[i - 1] >= 0x80 ||
		    isupper((unsigned char)s[i - 1]))) {
			size_t j = i + 1;

			while (j < n && s[j] == ' ')
				j++;
			if (j < n && ((unsigned char)s[j] >= 0x80 ||
			    isupper((unsigned char)s[j]))) {
				if (s[i + 1] != ' ')
					rc = sohoa_buf_addch(out, ' ');
				continue;
			}
		}
		rc = sohoa_buf_addch(out, s[i]);
	}
	return rc;
}

/*
 * S past a speck between the body and its unit ("UBND 5 XÃ H' NENG"): a
 * token of one or two signs or digits with no letter.  Nothing but the
 * unit word follows "UBND" in a header; a ward's number comes after it.
 */
static const char *
after_speck(const char *s)
{
	size_t n = 0;

	while (s[n] == ' ')
		n++;
	if (s[n] == '\0' || s[n + strcspn(s + n, " ")] != ' ' ||
	    strcspn(s + n, " ") > 2)
		return s;
	for (; s[n] != ' '; n++)
		if ((unsigned char)s[n] >= 0x80 || isalpha((unsigned char)s[n]))
			return s;
	return s + n;
}

struct unit_line {
	int level;		/* unit_level, 0: a body line with no unit */
	int has_body;		/* "UBND" / "ỦY BAN NHÂN DÂN" in front */
	int fixed;		/* the unit was read with a slip mended */
	struct sohoa_buf body;
	struct sohoa_buf unit;	/* "XÃ ĐẠI PHƯỚC" */
};

/* Read LINE as a line of the header block into U; 1 when it is one. */
static int
read_unit_line(const char *line, int province_seen, struct unit_line *u,
    int *prc)
{
	struct fkey k;
	struct sohoa_buf head = SOHOA_BUF_INIT;
	size_t cut, end = 0;
	int rc, found = 0, fixed = 0;

	*prc = SOHOA_OK;
	/* a speck before the header's first word ("ˆ ỦY BAN NHÂN DÂN") */
	while (*line != '\0') {
		int32_t cp;
		size_t n = sohoa_utf8_decode(line, strlen(line), &cp);

		if (n == 0 || text_is_letter(cp) || (cp < 0x80 &&
		    isdigit((int)cp)))
			break;
		line += n;
	}
	rc = fkey_build(line, strlen(line), &k);
	if (rc != SOHOA_OK) {
		*prc = rc;
		return 0;
	}
	cut = before_motto(&k, strlen(line));
	fkey_release(&k);
	rc = undot(line, cut, &head);
	if (rc == SOHOA_OK)
		rc = fkey_build(head.buf, head.len, &k);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&head);
		*prc = rc;
		return 0;
	}
	rc = body_prefix(head.buf, &k, &u->body, &end);
	u->has_body = rc == SOHOA_OK;
	if (rc == SOHOA_ERR_INPUT)
		rc = SOHOA_OK;
	if (rc == SOHOA_OK) {
		const char *rest = head.buf + (u->has_body ? k.off[end] : 0);

		if (u->has_body)
			rest = after_speck(rest);
		rc = parse_unit_caps(rest, &u->unit, &fixed);
		u->fixed = fixed;
		if (rc == SOHOA_OK) {
			u->level = unit_level(u->unit.buf, province_seen);
			found = u->level > 0;
		} else if (rc == SOHOA_ERR_INPUT) {
			rc = SOHOA_OK;
			sohoa_buf_reset(&u->unit);
			/* "ỦY BAN NHÂN DÂN" alone: the unit is on the next line */
			found = u->has_body && k.len <= end + 2;
		}
	}
	fkey_release(&k);
	sohoa_buf_release(&head);
	*prc = rc;
	return found;
}

static void
unit_line_release(struct unit_line *u)
{
	sohoa_buf_release(&u->body);
	sohoa_buf_release(&u->unit);
}

int
hdr_issuer(const char *const *lines, size_t n, struct sohoa_buf *value,
    size_t *pline, int *pfixed)
{
	struct unit_line *u;
	size_t i, best = 0;
	int rc = SOHOA_OK, province = 0, bestl = 0, *is_unit;

	*pline = 0;
	*pfixed = 0;
	u = calloc(n + 1, sizeof(*u));
	is_unit = calloc(n + 1, sizeof(*is_unit));
	if (u == NULL || is_unit == NULL) {
		free(u);
		free(is_unit);
		return SOHOA_ERR_NOMEM;
	}
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		sohoa_buf_init(&u[i].body);
		sohoa_buf_init(&u[i].unit);
		is_unit[i] = read_unit_line(lines[i], province, &u[i], &rc);
		if (!is_unit[i] || u[i].level == 0)
			continue;
		if (u[i].level == 1)
			province = 1;
		/* the lowest level wins; the first line of that level */
		if (u[i].level > bestl) {
			bestl = u[i].level;
			best = i;
		}
	}
	if (rc == SOHOA_OK && bestl > 0) {
		const struct unit_line *b = &u[best];

		/*
		 * "ỦY BAN NHÂN DÂN" on a line above "XÃ MỸ THUẬN" (a line of
		 * the motto beside it may come between when the header was
		 * read row by row)
		 */
		for (i = best; !b->has_body && i > 0 && i + 3 > best; i--)
			if (is_unit[i - 1] && u[i - 1].level == 0) {
				b = &u[i - 1];
				break;
			}
		sohoa_buf_reset(value);
		if (b->has_body) {
			rc = sohoa_buf_add(value, b->body.buf, b->body.len);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_addch(value, ' ');
		}
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(value, u[best].unit.buf,
			    u[best].unit.len);
		*pline = best;
		*pfixed = u[best].fixed;
	}
	for (i = 0; i < n; i++)
		unit_line_release(&u[i]);
	free(u);
	free(is_unit);
	if (rc != SOHOA_OK)
		return rc;
	return bestl > 0 ? SOHOA_OK : SOHOA_ERR_INPUT;
}

/* 1 when the word of S at [A, B) starts with a capital letter. */
static int
capital_word(const char *s, size_t a, size_t b)
{
	int32_t cp;

	if (b <= a)
		return 0;
	sohoa_utf8_decode(s + a, b - a, &cp);
	return sohoa_utf8_case_cp(cp) > 0;
}

/*
 * 1 when the word of S at [A, B) opens with a digit or a sign but holds
 * a letter after it: a capital the OCR misread ("Yên 1ịnh", "Ïịnh" is a
 * capital already).  A number alone is not one.
 */
static int
garbled_capital(const char *s, size_t a, size_t b)
{
	int32_t cp;
	size_t n;

	if (b <= a)
		return 0;
	n = sohoa_utf8_decode(s + a, b - a, &cp);
	if (n == 0 || text_is_letter(cp))
		return 0;
	for (a += n; a < b; a += n) {
		n = sohoa_utf8_decode(s + a, b - a, &cp);
		if (n == 0)
			return 0;
		if (text_is_letter(cp))
			return 1;
	}
	return 0;
}

/*
 * The place before "ngày" at byte AT of S: the capitalised words right
 * before it, ending with a comma ("Đại Phước, ngày"), or, with no comma,
 * making up all of the line before it ("Đại Phước ngày").  One word whose
 * capital OCR read as a digit or a sign counts when a real capitalised
 * word stands with it ("Yên 1ịnh, ngày"): alone it could be any debris.
 * 1 when there is one, its start in *PSTART.
 */
static int
place_before(const char *s, size_t at, size_t *pstart)
{
	size_t e = at, b, nwords = 0, ncaps = 0, ngarbled = 0;
	int comma = 0;

	while (e > 0 && s[e - 1] == ' ')
		e--;
	if (e > 0 && s[e - 1] == ',') {
		comma = 1;
		e--;
	}
	for (;;) {
		while (e > 0 && s[e - 1] == ' ')
			e--;
		if (e == 0)
			break;
		b = e;
		while (b > 0 && s[b - 1] != ' ')
			b--;
		if (nwords == 6)
			break;
		if (capital_word(s, b, e))
			ncaps++;
		else if (garbled_capital(s, b, e) && ngarbled == 0)
			ngarbled++;
		/* a ward's number counts ("Phường 13, ngày …") */
		else if (!(nwords == 0 && e - b <= 3 &&
		    strspn(s + b, "0123456789") == e - b))
			break;
		*pstart = b;
		nwords++;
		e = b;
	}
	if (nwords == 0 || (ngarbled > 0 && ncaps == 0))
		return 0;
	if (comma)
		return 1;
	while (e > 0 && s[e - 1] == ' ')
		e--;
	return e == 0;
}

/*
 * Bytes of the letters opening word S (N bytes): "ngày" of "ngày-+4",
 * where specks glued the day to it.  N when the word holds letters only
 * or no letter opens it.
 */
static size_t
word_letters(const char *s, size_t n)
{
	size_t i = 0, k;
	int32_t cp;

	while (i < n && (k = sohoa_utf8_decode(s + i, n - i, &cp)) > 0 &&
	    text_is_letter(cp))
		i += k;
	return i == 0 ? n : i;
}

int
hdr_place_date(const char *line, int *py, int *pm, int *pd, size_t *pstart)
{
	struct sohoa_buf val = SOHOA_BUF_INIT, w = SOHOA_BUF_INIT;
	size_t i = 0, len = strlen(line), b;
	int rc = SOHOA_ERR_INPUT, fixed;

	while (i < len && rc == SOHOA_ERR_INPUT) {
		while (i < len && line[i] == ' ')
			i++;
		b = i;
		while (i < len && line[i] != ' ')
			i++;
		sohoa_buf_reset(&w);
		if (sohoa_buf_add(&w, line + b, word_letters(line + b,
		    i - b)) != SOHOA_OK ||
		    fkey_simple(w.buf, &val) != SOHOA_OK) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		/* "ngày" read with one letter wrong ("tgày") still opens it */
		if ((strcmp(val.buf, "ngay") == 0 || (val.len == 4 &&
		    sohoa_edit_distance(val.buf, "ngay", 1) <= 1)) &&
		    place_before(line, b, pstart)) {
			sohoa_buf_reset(&val);
			rc = sohoa_parse_value("date_text", line + b, &val,
			    &fixed);
			if (rc == SOHOA_OK && sscanf(val.buf, "%4d-%2d-%2d",
			    py, pm, pd) != 3)
				rc = SOHOA_ERR_INPUT;
		}
		sohoa_buf_reset(&val);
	}
	sohoa_buf_release(&val);
	sohoa_buf_release(&w);
	return rc;
}

int
hdr_place_date_garbled(const char *line, int *py, int *pm, int *pd,
    size_t *pstart)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	size_t i = 0, len = strlen(line), b, nw = 0;
	int rc = SOHOA_ERR_INPUT, comma = 0;

	/* specks before the place ("_kại kenh, ngày") */
	while (i < len && (line[i] == ' ' || line[i] == '_' ||
	    line[i] == '-' || line[i] == '.'))
		i++;
	*pstart = i;
	while (i < len && nw <= 3) {
		while (i < len && line[i] == ' ')
			i++;
		b = i;
		while (i < len && line[i] != ' ')
			i++;
		if (i == b)
			break;
		sohoa_buf_reset(&k);
		if (fkey_simple_n(line + b, i - b, &k) != SOHOA_OK) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		/* "ngày" (or one letter off) right after the place's comma */
		if (comma && nw >= 1 && k.len == 4 &&
		    sohoa_edit_distance(k.buf, "ngay", 1) <= 1) {
			if (parse_date_text(line + b, py, pm, pd) == SOHOA_OK)
				rc = SOHOA_OK;
			break;
		}
		comma = line[i - 1] == ',';
		nw++;
	}
	sohoa_buf_release(&k);
	return rc;
}
