/*
 * Value parsers and validators for extracted fields: dates in figures and
 * in Vietnamese words, 12-digit personal IDs, sex, ethnicity, nationality,
 * document numbers, names and free text.  Each takes OCR output, which may
 * have lost marks, mixed O with 0 and l with 1, or split digits with
 * spaces, and returns a normalised value or SOHOA_ERR_INPUT.
 *
 *   sohoa_parse_date, sohoa_parse_date_words, sohoa_parse_number_words
 *   sohoa_parse_personal_id, sohoa_check_personal_id, sohoa_province_name
 *   sohoa_parse_sex, sohoa_parse_ethnicity, sohoa_parse_nationality
 *   sohoa_parse_doc_number, sohoa_parse_name, sohoa_parse_text
 *   sohoa_parse_value, sohoa_format_date, sohoa_edit_distance
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"

static int has_upper(const char *s, size_t n);
static int is_letter(int32_t cp);
static int all_upper(const char *w, size_t n);
static int clean_text(const char *s, int keep_digits, struct sohoa_buf *out,
    int *pchanged);
static int starts_upper(const char *s, size_t n);
static int fix_named_person(struct sohoa_buf *v, int *pfixed);

/* ---- edit distance ---- */

static int
decode_all(const char *s, int32_t **pv, size_t *pn)
{
	size_t len = strlen(s), i = 0, n = 0;
	int32_t *v;

	*pv = NULL;
	*pn = 0;
	v = malloc((len + 1) * sizeof(*v));
	if (v == NULL)
		return SOHOA_ERR_NOMEM;
	while (i < len)
		i += sohoa_utf8_decode(s + i, len - i, &v[n++]);
	*pv = v;
	*pn = n;
	return SOHOA_OK;
}

size_t
sohoa_edit_distance(const char *a, const char *b, size_t max)
{
	int32_t *va = NULL, *vb = NULL;
	size_t na, nb, i, j, *row = NULL, d = max + 1, diag, tmp, rowmin;

	if (decode_all(a, &va, &na) != SOHOA_OK ||
	    decode_all(b, &vb, &nb) != SOHOA_OK)
		goto out;
	if ((na > nb ? na - nb : nb - na) > max)
		goto out;
	row = malloc((nb + 1) * sizeof(*row));
	if (row == NULL)
		goto out;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		rowmin = row[0];
		for (j = 1; j <= nb; j++) {
			size_t best = diag + (va[i - 1] == vb[j - 1] ? 0 : 1);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			diag = tmp;
			if (best < rowmin)
				rowmin = best;
		}
		if (rowmin > max)
			goto out;
	}
	d = row[nb] > max ? max + 1 : row[nb];
out:
	free(va);
	free(vb);
	free(row);
	return d;
}

/* ---- dates ---- */

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
parse_date_valid(int y, int m, int d)
{
	return y >= 1800 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

int
sohoa_format_date(int year, int month, int day, struct sohoa_buf *out)
{
	return sohoa_buf_addf(out, "%04d-%02d-%02d", year, month, day);
}

/* A letter OCR often puts in place of a digit, or -1. */
static int
lookalike_digit(int c)
{
	switch (c) {
	case 'O': case 'o': case 'Q': case 'D':
		return '0';
	case 'l': case 'I': case '|': case 'i': case '!':
		return '1';
	case 'S': case 's':
		return '5';
	case 'B':
		return '8';
	case 'Z': case 'z':
		return '2';
	case 'g':
		return '9';
	default:
		return -1;
	}
}

/*
 * Copy S, replacing look-alike letters by digits where they touch a digit
 * ("2O18", "l4").  Two passes let "Ol" next to "2" both turn.  Only ASCII
 * bytes change, so offsets are kept.  *pn counts the replacements.
 */
static char *
fix_digits(const char *s, int *pn)
{
	size_t len = strlen(s), i;
	char *t = strdup(s);
	int pass;

	*pn = 0;
	if (t == NULL)
		return NULL;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < len; i++) {
			int d = lookalike_digit((unsigned char)t[i]);
			int before = i > 0 && isdigit((unsigned char)t[i - 1]);
			int after = i + 1 < len &&
			    isdigit((unsigned char)t[i + 1]);

			if (d < 0 || !(before || after))
				continue;
			/* inside a word ("Quảng", "lò"), it is a letter */
			if ((i > 0 && isalpha((unsigned char)t[i - 1]) &&
			    lookalike_digit((unsigned char)t[i - 1]) < 0) ||
			    (i + 1 < len && isalpha((unsigned char)t[i + 1]) &&
			    lookalike_digit((unsigned char)t[i + 1]) < 0) ||
			    (i + 1 < len && (unsigned char)t[i + 1] >= 0x80))
				continue;
			t[i] = (char)d;
			(*pn)++;
		}
	return t;
}

static int
is_date_sep(int c)
{
	return c == '/' || c == '-' || c == '.' || c == ',' || c == '\\';
}

/* Read 1..MAXD digits at *pp, allowing one space inside ("2 018"). */
static int
read_num(const char **pp, int maxd, int *pv)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (n < maxd) {
		if (isdigit((unsigned char)*p)) {
			v = v * 10 + (*p - '0');
			n++;
			p++;
		} else if ((*p == ' ' || *p == '.' || *p == ',') && n > 0 &&
		    n < maxd && isdigit((unsigned char)p[1]) && maxd == 4) {
			p++;
		} else
			break;
	}
	if (n == 0 || isdigit((unsigned char)*p))
		return 0;
	*pv = v;
	*pp = p;
	return n;
}

static const char *
skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * A date whose separators were lost or read as digits: "04081985", or
 * "040871985" with a slash read as 7 or 1 at the third or fifth place.
 * P starts a run of digits.
 */
static int
packed_date_at(const char *p, int *py, int *pm, int *pd)
{
	char d[12];
	size_t n = 0;

	while (isdigit((unsigned char)p[n]) && n < 11)
		n++;
	if (n < 8 || n > 10)
		return 0;
	memcpy(d, p, n);
	d[n] = '\0';
	/* ddSmmSyyyy: drop a 1 or 7 after the day, then after the month */
	if (n >= 9 && (d[2] == '1' || d[2] == '7') && n == 10) {
		memmove(d + 2, d + 3, n - 2);
		n--;
	}
	if (n == 9 && (d[4] == '1' || d[4] == '7')) {
		memmove(d + 4, d + 5, n - 4);
		n--;
	} else if (n == 9 && (d[2] == '1' || d[2] == '7')) {
		memmove(d + 2, d + 3, n - 2);
		n--;
	}
	if (n != 8)
		return 0;
	*pd = (d[0] - '0') * 10 + (d[1] - '0');
	*pm = (d[2] - '0') * 10 + (d[3] - '0');
	*py = atoi(d + 4);
	return parse_date_valid(*py, *pm, *pd) && *py >= 1900;
}

/* dd/mm/yyyy and its variants, at P. */
static int
numeric_date_at(const char *p, int *py, int *pm, int *pd)
{
	int d, m, y, nd, nm, ny, sep;

	nd = read_num(&p, 2, &d);
	if (nd == 0)
		return 0;
	p = skip_spaces(p);
	if (!is_date_sep((unsigned char)*p))
		return 0;
	sep = *p;
	p = skip_spaces(p + 1);
	/* a doubled separator ("14//03") is an OCR slip */
	if (*p == sep)
		p = skip_spaces(p + 1);
	nm = read_num(&p, 2, &m);
	if (nm == 0)
		return 0;
	p = skip_spaces(p);
	if (!is_date_sep((unsigned char)*p))
		return 0;
	p = skip_spaces(p + 1);
	if (is_date_sep((unsigned char)*p))
		p = skip_spaces(p + 1);
	ny = read_num(&p, 4, &y);
	if (ny != 4 || !parse_date_valid(y, m, d))
		return 0;
	*py = y;
	*pm = m;
	*pd = d;
	return 1;
}

/* Folded words of S, each NUL-terminated in one buffer. */
struct words {
	struct sohoa_buf buf;
	size_t *start;
	size_t n;
};

static int
split_words(const char *s, struct words *w)
{
	struct sohoa_buf f = SOHOA_BUF_INIT;
	size_t i;
	int rc, inw = 0;

	memset(w, 0, sizeof(*w));
	sohoa_buf_init(&w->buf);
	rc = sohoa_utf8_fold(s, &f);
	if (rc != SOHOA_OK)
		goto out;
	w->start = malloc((f.len + 1) * sizeof(*w->start));
	if (w->start == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < f.len && rc == SOHOA_OK; i++) {
		unsigned char c = (unsigned char)f.buf[i];
		int word = isalnum(c) || c >= 0x80;

		if (word && !inw)
			w->start[w->n++] = w->buf.len;
		if (!word && inw)
			rc = sohoa_buf_addch(&w->buf, '\0');
		if (word)
			rc = sohoa_buf_addch(&w->buf, (char)c);
		inw = word;
	}
	if (rc == SOHOA_OK && inw)
		rc = sohoa_buf_addch(&w->buf, '\0');
out:
	sohoa_buf_release(&f);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&w->buf);
		free(w->start);
		memset(w, 0, sizeof(*w));
	}
	return rc;
}

static void
words_release(struct words *w)
{
	sohoa_buf_release(&w->buf);
	free(w->start);
	memset(w, 0, sizeof(*w));
}

static const char *
word_at(const struct words *w, size_t i)
{
	return i < w->n ? w->buf.buf + w->start[i] : "";
}

/* A word within one edit of KEY (for keywords of 4+ letters). */
static int
word_is(const char *w, const char *key)
{
	size_t lk = strlen(key);

	if (strcmp(w, key) == 0)
		return 1;
	return lk >= 4 && sohoa_edit_distance(w, key, 1) <= 1;
}

/*
 * The number in word W (folded) of at most MAXD digits.  W stands where
 * the frame "ngày D tháng M năm Y" wants a number, so every letter in it
 * that looks like a digit is read as one, even with no digit beside it:
 * "tt" is 11 and "0b" 06 there ("tháng TT", "tháng 0b").
 */
static int
word_num(const char *w, int maxd, int *pv)
{
	int v = 0, n = 0, fixes, c;
	char *t = fix_digits(w, &fixes);
	const char *p;

	if (t == NULL)
		return 0;
	for (p = t; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (!isdigit(c))
			c = c == 't' ? '1' : c == 'b' ? '6' :
			    lookalike_digit(c);
		if (c < 0 || n == maxd) {
			free(t);
			return 0;
		}
		v = v * 10 + (c - '0');
		n++;
	}
	free(t);
	if (n == 0)
		return 0;
	*pv = v;
	return 1;
}

/* "ngày 14 tháng 3 năm 2018" (and "14 tháng 03 năm 2018") in words W. */
static int
words_date(const struct words *w, int *py, int *pm, int *pd)
{
	size_t i;
	int d, m, y, m2;

	for (i = 0; i + 4 < w->n + 1; i++) {
		size_t j = i;

		if (word_is(word_at(w, j), "ngay"))
			j++;
		if (!word_num(word_at(w, j), 2, &d))
			continue;
		j++;
		if (!word_is(word_at(w, j), "thang"))
			continue;
		j++;
		if (!word_num(word_at(w, j), 2, &m))
			continue;
		j++;
		if (!(word_is(word_at(w, j), "nam") || strcmp(word_at(w, j),
		    "nam") == 0))
			continue;
		j++;
		if (!word_num(word_at(w, j), 4, &y))
			continue;
		/* "năm 202.2", "năm 20 22": a year split in two */
		if (y < 1000 && strlen(word_at(w, j)) +
		    strlen(word_at(w, j + 1)) == 4 &&
		    word_num(word_at(w, j + 1), 3, &m2))
			y = y * (strlen(word_at(w, j + 1)) == 1 ? 10 :
			    strlen(word_at(w, j + 1)) == 2 ? 100 : 1000) + m2;
		if (parse_date_valid(y, m, d)) {
			*py = y;
			*pm = m;
			*pd = d;
			return 1;
		}
	}
	return 0;
}

int
sohoa_parse_date(const char *s, int *pyear, int *pmonth, int *pday)
{
	char *t;
	const char *p;
	struct words w;
	int fixes, ok = 0, rc;

	*pyear = *pmonth = *pday = 0;
	t = fix_digits(s, &fixes);
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	for (p = t; *p != '\0' && !ok; p++)
		if (isdigit((unsigned char)*p) &&
		    (p == t || !isdigit((unsigned char)p[-1])))
			ok = numeric_date_at(p, pyear, pmonth, pday);
	for (p = t; *p != '\0' && !ok; p++)
		if (isdigit((unsigned char)*p) &&
		    (p == t || !isdigit((unsigned char)p[-1])))
			ok = packed_date_at(p, pyear, pmonth, pday);
	free(t);
	if (ok)
		return SOHOA_OK;
	rc = split_words(s, &w);
	if (rc != SOHOA_OK)
		return rc;
	ok = words_date(&w, pyear, pmonth, pday);
	words_release(&w);
	return ok ? SOHOA_OK : SOHOA_ERR_INPUT;
}

static const struct {
	const char *w;
	int v;
} digit_words[] = {
	{ "khong", 0 }, { "mot", 1 }, { "hai", 2 }, { "ba", 3 },
	{ "bon", 4 }, { "tu", 4 }, { "nam", 5 }, { "lam", 5 },
	{ "nham", 5 }, { "sau", 6 }, { "bay", 7 }, { "tam", 8 },
	{ "chin", 9 }, { "linh", -2 }, { "le", -2 },
};

/* Value of a digit word spelt exactly (folded), -2 for linh/lẻ, or -1. */
static int
exact_digit_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(digit_words) / sizeof(digit_words[0]); i++)
		if (strcmp(w, digit_words[i].w) == 0)
			return digit_words[i].v;
	return -1;
}

/* Value of one Vietnamese digit word (folded), or -1. */
static int
digit_word(const char *w)
{
	size_t i;
	int v = exact_digit_word(w);

	if (v != -1)
		return v;
	/* OCR slips in the longer words */
	for (i = 0; i < sizeof(digit_words) / sizeof(digit_words[0]); i++)
		if (strlen(digit_words[i].w) >= 4 &&
		    sohoa_edit_distance(w, digit_words[i].w, 1) <= 1)
			return digit_words[i].v;
	return -1;
}

/*
 * Number from words W[I..END): "hai nghìn không trăm mười tám".  Returns 1
 * and the value, 0 when a word is not a number word.
 */
static int
number_words(const struct words *w, size_t i, size_t end, long *pv)
{
	long total = 0, group = 0;
	int pending = -1, any = 0;

	for (; i < end; i++) {
		const char *x = word_at(w, i);
		int d;

		if (isdigit((unsigned char)x[0])) {
			int v;

			if (!word_num(x, 4, &v))
				return 0;
			group += v;
			any = 1;
			continue;
		}
		d = exact_digit_word(x);
		if (d >= 0 && pending < 0) {
			pending = d;
			any = 1;
			continue;
		}
		if (strcmp(x, "muoi") == 0 || strcmp(x, "muoj") == 0) {
			/* "mươi" after a digit multiplies; "mười" is ten */
			if (pending >= 2)
				group += pending * 10;
			else
				group += 10;
			pending = -1;
			any = 1;
			continue;
		}
		if (word_is(x, "tram")) {
			group += (pending >= 0 ? pending : 1) * 100;
			pending = -1;
			any = 1;
			continue;
		}
		if (word_is(x, "nghin") || word_is(x, "ngan") ||
		    strcmp(x, "ngan") == 0) {
			if (pending >= 0)
				group += pending;
			total += (group > 0 ? group : 1) * 1000;
			if (total > 100000000L)
				return 0;
			group = 0;
			pending = -1;
			any = 1;
			continue;
		}
		d = digit_word(x);
		if (d == -2) {
			/* linh / lẻ: no tens */
			continue;
		}
		if (d < 0)
			return 0;
		/* "mốt" is 1 only after tens; "mười một" is fine as well */
		if (pending >= 0) {
			/* two digits in a row: "hai không", digit by digit */
			group = group * 10 + pending;
			if (group > 100000000L)
				return 0;
		}
		pending = d;
		any = 1;
	}
	if (pending >= 0)
		group += pending;
	if (!any)
		return 0;
	*pv = total + group;
	return 1;
}

int
sohoa_parse_number_words(const char *s, long *pvalue)
{
	struct words w;
	int rc, ok;

	*pvalue = 0;
	rc = split_words(s, &w);
	if (rc != SOHOA_OK)
		return rc;
	ok = w.n > 0 && number_words(&w, 0, w.n, pvalue);
	words_release(&w);
	return ok ? SOHOA_OK : SOHOA_ERR_INPUT;
}

static int
month_word(const struct words *w, size_t i, size_t end, int *pm)
{
	long v;

	if (end == i + 1) {
		const char *x = word_at(w, i);

		if (strcmp(x, "gieng") == 0) {
			*pm = 1;
			return 1;
		}
		if (strcmp(x, "chap") == 0) {
			*pm = 12;
			return 1;
		}
	}
	if (!number_words(w, i, end, &v) || v < 1 || v > 12)
		return 0;
	*pm = (int)v;
	return 1;
}

int
sohoa_parse_date_words(const char *s, int *pyear, int *pmonth, int *pday)
{
	struct words w;
	size_t i, kd = (size_t)-1, km = (size_t)-1, ky = (size_t)-1, end;
	long d, y;
	int m, rc, ok = 0;

	*pyear = *pmonth = *pday = 0;
	rc = split_words(s, &w);
	if (rc != SOHOA_OK)
		return rc;
	for (i = 0; i < w.n; i++) {
		const char *x = word_at(&w, i);

		if (kd == (size_t)-1 && word_is(x, "ngay"))
			kd = i;
		else if (kd != (size_t)-1 && km == (size_t)-1 &&
		    word_is(x, "thang"))
			km = i;
		else if (km != (size_t)-1 && ky == (size_t)-1 &&
		    strcmp(x, "nam") == 0) {
			/* "tháng năm, năm ...": the first "năm" is May */
			if (i == km + 1 && i + 1 < w.n &&
			    strcmp(word_at(&w, i + 1), "nam") == 0)
				continue;
			ky = i;
		}
	}
	if (kd == (size_t)-1 || km == (size_t)-1 || ky == (size_t)-1)
		goto out;
	/* the year runs to the first word that is not a number word */
	for (end = ky + 1; end < w.n; end++) {
		long v;

		if (!number_words(&w, end, end + 1, &v) &&
		    !word_is(word_at(&w, end), "nghin") &&
		    !word_is(word_at(&w, end), "tram") &&
		    strcmp(word_at(&w, end), "muoi") != 0 &&
		    digit_word(word_at(&w, end)) == -1)
			break;
	}
	if (!number_words(&w, kd + 1, km, &d) ||
	    !month_word(&w, km + 1, ky, &m) ||
	    !number_words(&w, ky + 1, end, &y))
		goto out;
	if (d >= 1 && d <= 31 && parse_date_valid((int)y, m, (int)d)) {
		*pyear = (int)y;
		*pmonth = m;
		*pday = (int)d;
		ok = 1;
	}
out:
	words_release(&w);
	return ok ? SOHOA_OK : SOHOA_ERR_INPUT;
}

/* ---- personal ID ---- */

static const struct {
	const char *code;
	const char *name;
} provinces[] = {
	{ "001", "Hà Nội" }, { "002", "Hà Giang" }, { "004", "Cao Bằng" },
	{ "006", "Bắc Kạn" }, { "008", "Tuyên Quang" }, { "010", "Lào Cai" },
	{ "011", "Điện Biên" }, { "012", "Lai Châu" }, { "014", "Sơn La" },
	{ "015", "Yên Bái" }, { "017", "Hòa Bình" }, { "019", "Thái Nguyên" },
	{ "020", "Lạng Sơn" }, { "022", "Quảng Ninh" }, { "024", "Bắc Giang" },
	{ "025", "Phú Thọ" }, { "026", "Vĩnh Phúc" }, { "027", "Bắc Ninh" },
	{ "030", "Hải Dương" }, { "031", "Hải Phòng" }, { "033", "Hưng Yên" },
	{ "034", "Thái Bình" }, { "035", "Hà Nam" }, { "036", "Nam Định" },
	{ "037", "Ninh Bình" }, { "038", "Thanh Hóa" }, { "040", "Nghệ An" },
	{ "042", "Hà Tĩnh" }, { "044", "Quảng Bình" }, { "045", "Quảng Trị" },
	{ "046", "Thừa Thiên Huế" }, { "046", "Huế" }, { "048", "Đà Nẵng" },
	{ "049", "Quảng Nam" }, { "051", "Quảng Ngãi" },
	{ "052", "Bình Định" }, { "054", "Phú Yên" }, { "056", "Khánh Hòa" },
	{ "058", "Ninh Thuận" }, { "060", "Bình Thuận" }, { "062", "Kon Tum" },
	{ "064", "Gia Lai" }, { "066", "Đắk Lắk" }, { "067", "Đắk Nông" },
	{ "068", "Lâm Đồng" }, { "070", "Bình Phước" }, { "072", "Tây Ninh" },
	{ "074", "Bình Dương" }, { "075", "Đồng Nai" },
	{ "077", "Bà Rịa - Vũng Tàu" }, { "079", "TP. Hồ Chí Minh" },
	{ "080", "Long An" }, { "082", "Tiền Giang" }, { "083", "Bến Tre" },
	{ "084", "Trà Vinh" }, { "086", "Vĩnh Long" }, { "087", "Đồng Tháp" },
	{ "089", "An Giang" }, { "091", "Kiên Giang" }, { "092", "Cần Thơ" },
	{ "093", "Hậu Giang" }, { "094", "Sóc Trăng" }, { "095", "Bạc Liêu" },
	{ "096", "Cà Mau" },
};

const char *
sohoa_province_name(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (strncmp(code, provinces[i].code, 3) == 0)
			return provinces[i].name;
	return NULL;
}

int
sohoa_parse_personal_id(const char *s, struct sohoa_buf *out, int *pfixed)
{
	char digits[13];
	const char *p;
	int n = 0, fixed = 0, started = 0;

	if (pfixed != NULL)
		*pfixed = 0;
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		int d = -1;

		if (isdigit(c))
			d = c;
		else if (started && (c == ' ' || c == '.' || c == '-'))
			continue;
		else {
			int l = lookalike_digit(c);

			/* a look-alike counts only inside a run of digits */
			if (l >= 0 && (started ||
			    isdigit((unsigned char)p[1]))) {
				d = l;
				fixed++;
			} else if (started)
				break;
			else
				continue;
		}
		if (n == 12)
			return SOHOA_ERR_INPUT;
		digits[n++] = (char)d;
		started = 1;
	}
	digits[n] = '\0';
	/* look-alikes are only trusted in a run that is mostly digits */
	if (n != 12 || fixed > 3)
		return SOHOA_ERR_INPUT;
	if (sohoa_province_name(digits) == NULL)
		return SOHOA_ERR_INPUT;
	if (pfixed != NULL)
		*pfixed = fixed > 0;
	return sohoa_buf_add(out, digits, 12);
}

int
sohoa_check_personal_id(const char *id, int birth_year, int sex)
{
	int c, century, yy;
	size_t i;

	if (id == NULL || strlen(id) != 12)
		return SOHOA_ERR_INPUT;
	for (i = 0; i < 12; i++)
		if (!isdigit((unsigned char)id[i]))
			return SOHOA_ERR_INPUT;
	c = id[3] - '0';
	yy = (id[4] - '0') * 10 + (id[5] - '0');
	/* even: male, odd: female; 0/1 1900s, 2/3 2000s, ... */
	century = (c / 2 + 19) * 100;
	if (sex == 1 && c % 2 != 0)
		return SOHOA_ERR_INPUT;
	if (sex == 2 && c % 2 != 1)
		return SOHOA_ERR_INPUT;
	if (birth_year > 0 && century + yy != birth_year)
		return SOHOA_ERR_INPUT;
	return SOHOA_OK;
}

/* ---- lists ---- */

/*
 * Best entry of LIST for S by folded key; exact key wins, else the unique
 * nearest within a small distance.  Returns the index or -1.
 */
static int
list_match(const char *s, const char *const *list, size_t n,
    const char *const *alias_from, const char *const *alias_to,
    size_t nalias, int *pfixed)
{
	struct sohoa_buf key = SOHOA_BUF_INIT, ek = SOHOA_BUF_INIT;
	size_t i, best = (size_t)-1, bestd = (size_t)-1, maxd;
	int tie = 0, idx = -1;

	*pfixed = 0;
	if (fkey_simple(s, &key) != SOHOA_OK || key.len == 0)
		goto out;
	/* "rn" is often "m" misread */
	for (i = 0; i + 1 < key.len; i++)
		if (key.buf[i] == 'r' && key.buf[i + 1] == 'n') {
			key.buf[i] = 'm';
			memmove(key.buf + i + 1, key.buf + i + 2,
			    key.len - i - 1);
			key.len--;
		}
	for (i = 0; i < nalias; i++) {
		sohoa_buf_reset(&ek);
		if (fkey_simple(alias_from[i], &ek) != SOHOA_OK)
			goto out;
		if (strcmp(ek.buf, key.buf) == 0) {
			size_t j;

			for (j = 0; j < n; j++)
				if (strcmp(list[j], alias_to[i]) == 0)
					idx = (int)j;
			goto out;
		}
	}
	/* two slips in a word of four letters still leave one best entry */
	maxd = key.len >= 4 ? 2 : key.len == 3 ? 1 : 0;
	for (i = 0; i < n; i++) {
		size_t d;

		sohoa_buf_reset(&ek);
		if (fkey_simple(list[i], &ek) != SOHOA_OK)
			goto out;
		/* and a short entry ("Anh", "Ý") must be read nearly right */
		d = sohoa_edit_distance(key.buf, ek.buf, maxd);
		if (d > maxd || d > (ek.len >= 4 ? 2u : ek.len == 3 ? 1u : 0u))
			continue;
		if (d < bestd) {
			bestd = d;
			best = i;
			tie = 0;
		} else if (d == bestd)
			tie = 1;
	}
	if (best != (size_t)-1 && !tie) {
		idx = (int)best;
		*pfixed = bestd > 0;
	}
out:
	sohoa_buf_release(&key);
	sohoa_buf_release(&ek);
	return idx;
}

int
sohoa_parse_sex(const char *s, const char **pvalue, int *pfixed)
{
	static const char *const sexes[] = { "Nam", "Nữ" };
	static const char *const afrom[] = { "Trai", "Gái", "Male", "Female" };
	static const char *const ato[] = { "Nam", "Nữ", "Nam", "Nữ" };
	int fixed, i;

	*pvalue = NULL;
	i = list_match(s, sexes, 2, afrom, ato, 4, &fixed);
	if (pfixed != NULL)
		*pfixed = fixed;
	if (i < 0) {
		/* "Nữ" folds to "nu", two letters: allow the usual OCR forms */
		struct sohoa_buf k = SOHOA_BUF_INIT;

		if (fkey_simple(s, &k) == SOHOA_OK &&
		    (strcmp(k.buf, "nu") == 0 || strcmp(k.buf, "nir") == 0 ||
		    strcmp(k.buf, "nii") == 0 || strcmp(k.buf, "mu") == 0 ||
		    strcmp(k.buf, "nù") == 0))
			i = 1;
		if (pfixed != NULL && i == 1)
			*pfixed = strcmp(k.buf, "nu") != 0;
		sohoa_buf_release(&k);
	}
	if (i < 0)
		return SOHOA_ERR_INPUT;
	*pvalue = sexes[i];
	return SOHOA_OK;
}

/* The 54 ethnic groups, as the official list writes them. */
static const char *const ethnicities[] = {
	"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông",
	"Dao", "Gia Rai", "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho",
	"Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ", "Xtiêng",
	"Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
	"Giẻ Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào",
	"La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự",
	"Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La",
	"Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
};

int
sohoa_parse_ethnicity(const char *s, const char **pvalue, int *pfixed)
{
	static const char *const afrom[] = {
		"Mèo", "Khơ Me", "Khơ-me", "Bru", "Vân Kiều",
		"Tà Ôi Pa Cô", "Sán Chỉ", "Xtiêng", "Ra-glai", "Rơ-măm",
	};
	static const char *const ato[] = {
		"Mông", "Khmer", "Khmer", "Bru - Vân Kiều",
		"Bru - Vân Kiều", "Tà Ôi", "Sán Chay", "Xtiêng", "Ra Glai",
		"Rơ Măm",
	};
	struct sohoa_buf k = SOHOA_BUF_INIT;
	int fixed, i;

	*pvalue = NULL;
	/* the common spelling H'Mông is kept as printed */
	if (fkey_simple(s, &k) == SOHOA_OK && strcmp(k.buf, "hmong") == 0) {
		sohoa_buf_release(&k);
		if (pfixed != NULL)
			*pfixed = 0;
		*pvalue = "H'Mông";
		return SOHOA_OK;
	}
	sohoa_buf_release(&k);
	i = list_match(s, ethnicities,
	    sizeof(ethnicities) / sizeof(ethnicities[0]),
	    afrom, ato, sizeof(afrom) / sizeof(afrom[0]), &fixed);
	if (pfixed != NULL)
		*pfixed = fixed;
	if (i < 0)
		return SOHOA_ERR_INPUT;
	*pvalue = ethnicities[i];
	return SOHOA_OK;
}

size_t
sohoa_ethnicity_count(void)
{
	return sizeof(ethnicities) / sizeof(ethnicities[0]);
}

int
sohoa_parse_nationality(const char *s, const char **pvalue, int *pfixed)
{
	static const char *const nations[] = {
		"Việt Nam", "Lào", "Campuchia", "Trung Quốc", "Thái Lan",
		"Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Pháp", "Đức", "Anh", "Nga",
		"Úc", "Canada", "Đài Loan", "Singapore", "Malaysia",
		"Indonesia", "Philippines", "Myanmar", "Ấn Độ", "Ý",
		"Tây Ban Nha", "Ba Lan", "Séc", "Hà Lan", "Bỉ", "Thụy Điển",
		"Na Uy", "Đan Mạch", "Phần Lan", "Thụy Sĩ", "Cu Ba", "Brunei",
		"Đông Timor", "New Zealand", "Ukraina", "Hungary", "Bungari",
		"Rumani", "Mông Cổ", "Triều Tiên",
	};
	static const char *const afrom[] = {
		"Việt nam", "VN", "Mỹ", "Kampuchea", "Cam-pu-chia", "Hàn",
		    "Nhật",
		"Australia", "Ô-xtrây-li-a", "Xin-ga-po", "Ma-lai-xi-a",
	};
	static const char *const ato[] = {
		"Việt Nam", "Việt Nam", "Hoa Kỳ", "Campuchia", "Campuchia",
		"Hàn Quốc", "Nhật Bản", "Úc", "Úc", "Singapore", "Malaysia",
	};
	int fixed, i;

	*pvalue = NULL;
	i = list_match(s, nations, sizeof(nations) / sizeof(nations[0]),
	    afrom, ato, sizeof(afrom) / sizeof(afrom[0]), &fixed);
	if (pfixed != NULL)
		*pfixed = fixed;
	if (i < 0)
		return SOHOA_ERR_INPUT;
	*pvalue = nations[i];
	return SOHOA_OK;
}

/* ---- document numbers, names, text ---- */

/* Append S[0..len) replacing the look-alike Ð (U+00D0, eth) by Đ. */
static int
add_fixing_eth(struct sohoa_buf *out, const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;
	int rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (cp == 0x00D0)
			cp = 0x0110;
		else if (cp == 0x00F0)
			cp = 0x0111;
		rc = sohoa_utf8_add_cp(out, cp);
		i += n;
	}
	return rc;
}

/* A letter or digit that may be part of a ký hiệu ("QĐ-UBND", "TLKS"). */
static size_t
symbol_char(const char *p)
{
	int32_t cp;
	size_t n = sohoa_utf8_decode(p, strlen(p) ? strlen(p) : 1, &cp);

	if (*p == '\0')
		return 0;
	if (cp < 0x80)
		return isalnum((unsigned char)cp) ? 1 : 0;
	/* Đ đ Ð and other letters */
	if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0 ||
	    (cp >= 0xC0 && cp < 0x2000))
		return n;
	return 0;
}

/* Ký hiệu groups of civil-status and commune documents (NĐ 30/2020). */
static const char *const symbols[] = {
	"QĐ", "UBND", "TLKS", "TLKT", "TLKH", "BS", "XNTTHN", "GCNKH", "KS",
	"KT", "KH", "HT", "TP", "NQ", "CT", "QC", "QyĐ", "TC", "TB", "HD",
	"CTr", "PA", "ĐA", "DA", "BC", "BB", "TTr", "HĐ", "CĐ", "GUQ", "GM",
	"GGT", "GNP", "VP", "VX", "HĐND", "TCCB", "TTHC", "CV", "SY", "TrS",
	"SL", "TPHT", "ĐC", "ĐKKS", "ĐKKT",
};

/* 1 when S (LEN bytes) holds a small letter ("Cư", "Bình"). */
static int
has_lower(const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;

	while (i < len) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (is_letter(cp) && !has_upper(s + i, n))
			return 1;
		i += n;
	}
	return 0;
}

/*
 * Append ký hiệu group G (N bytes) corrected to a known group when it is
 * one OCR slip away ("QĐĐ", "UBNĐ") or differs only by Đ/D.
 */
static int
add_symbol(struct sohoa_buf *out, const char *g, size_t n, int *pfixed)
{
	struct sohoa_buf raw = SOHOA_BUF_INIT, k = SOHOA_BUF_INIT,
	    ek = SOHOA_BUF_INIT;
	size_t i, best = (size_t)-1, bestd = 0, len;
	int rc;

	rc = add_fixing_eth(&raw, g, n);
	if (rc != SOHOA_OK)
		goto out;
	len = sohoa_utf8_length(raw.buf, raw.len);
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strcmp(raw.buf, symbols[i]) == 0)
			goto keep;
	rc = fkey_simple(raw.buf, &k);
	/* the first (most common) group at the smallest distance */
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]) && rc == SOHOA_OK;
	    i++) {
		size_t d, maxd = len >= 6 ? 2 : len >= 3 ? 1 : 0;

		sohoa_buf_reset(&ek);
		rc = fkey_simple(symbols[i], &ek);
		if (rc != SOHOA_OK)
			break;
		if (strcmp(k.buf, ek.buf) == 0)
			d = 0;
		else
			d = sohoa_edit_distance(raw.buf, symbols[i], maxd);
		if (d <= maxd && (best == (size_t)-1 || d < bestd)) {
			best = i;
			bestd = d;
		}
	}
	if (rc != SOHOA_OK)
		goto out;
	if (best != (size_t)-1) {
		*pfixed = 1;
		rc = sohoa_buf_adds(out, symbols[best]);
		goto out;
	}
	/* an unknown group is kept only when written in capitals */
	if (has_lower(raw.buf, raw.len)) {
		rc = SOHOA_ERR_INPUT;
		goto out;
	}
keep:
	rc = sohoa_buf_add(out, raw.buf, raw.len);
out:
	sohoa_buf_release(&raw);
	sohoa_buf_release(&k);
	sohoa_buf_release(&ek);
	return rc;
}

/* 1 when G (N bytes) is a known ký hiệu group spelt exactly. */
static int
known_symbol(const char *g, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strlen(symbols[i]) == n && memcmp(symbols[i], g, n) == 0)
			return 1;
	return 0;
}

int
sohoa_parse_doc_number(const char *s, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	char *t;
	const char *p, *q;
	int fixes, rc = SOHOA_ERR_INPUT, sfix = 0;

	if (pfixed != NULL)
		*pfixed = 0;
	t = fix_digits(s, &fixes);
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	/* the number proper: the first run of digits */
	for (p = t; *p != '\0' && !isdigit((unsigned char)*p); p++) {
		/* only leaders and "Số:"-like noise may come before it */
		if (isalpha((unsigned char)*p) && p - t > 6)
			goto out;
	}
	if (*p == '\0')
		goto out;
	for (q = p; isdigit((unsigned char)*q); q++)
		;
	if (sohoa_buf_add(&v, p, (size_t)(q - p)) != SOHOA_OK)
		goto nomem;
	p = q;
	/* "117UBND-XNTTHN": the slash was lost, the group is a known one */
	if (symbol_char(p) > 0 && !isdigit((unsigned char)*p)) {
		size_t n, keep = v.len;

		for (q = p; (n = symbol_char(q)) > 0; q += n)
			;
		if (known_symbol(p, (size_t)(q - p))) {
			if (sohoa_buf_addch(&v, '/') != SOHOA_OK ||
			    add_symbol(&v, p, (size_t)(q - p), &sfix) !=
			    SOHOA_OK)
				goto nomem;
			sfix = 1;
			p = q;
		} else
			sohoa_buf_truncate(&v, keep);
	}
	for (;;) {
		size_t n;
		const char *r = skip_spaces(p);
		char sep = *r;

		/* "171,2010/TLKS": a slash read as a comma before the year */
		if ((sep == ',' || sep == '.') && strspn(r + 1, "0123456789") ==
		    4 && r[5] == '/') {
			sep = '/';
			sfix = 1;
		}
		if (sep != '/' && sep != '-')
			break;
		q = skip_spaces(r + 1);
		if (symbol_char(q) == 0)
			break;
		if (sohoa_buf_addch(&v, sep) != SOHOA_OK)
			goto nomem;
		r = q;
		while ((n = symbol_char(q)) > 0)
			q += n;
		if (isdigit((unsigned char)*r)) {
			if (sohoa_buf_add(&v, r, (size_t)(q - r)) != SOHOA_OK)
				goto nomem;
		} else {
			size_t keep = v.len;
			int src = add_symbol(&v, r, (size_t)(q - r), &sfix);

			if (src == SOHOA_ERR_NOMEM)
				goto nomem;
			/* a word of the place-date line, not a ký hiệu */
			if (src != SOHOA_OK) {
				sohoa_buf_truncate(&v, keep - 1);
				break;
			}
		}
		p = q;
	}
	rc = sohoa_buf_add(out, v.buf, v.len);
	if (pfixed != NULL)
		*pfixed = fixes > 0 || sfix;
	goto out;
nomem:
	rc = SOHOA_ERR_NOMEM;
out:
	free(t);
	sohoa_buf_release(&v);
	return rc;
}

/* 1 for a letter code point (Latin with Vietnamese marks). */
static int
is_letter(int32_t cp)
{
	if (cp < 0x80)
		return isalpha((int)cp);
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x300 && cp <= 0x36F);
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
	return is_letter(cp);
}

/* 1 when S (N bytes) starts with a letter. */
static int
letter_at(const char *s, size_t n)
{
	int32_t cp;

	if (n == 0)
		return 0;
	sohoa_utf8_decode(s, n, &cp);
	return is_letter(cp);
}

/*
 * NFC of S with the ends trimmed to the first and last letter or digit
 * (KEEP_DIGITS) and inner runs of spaces collapsed.  Dotted leaders and
 * "…" inside are turned into a space.
 */
static int
clean_text(const char *s, int keep_digits, struct sohoa_buf *out,
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
		if (is_letter(cp) || (keep_digits && cp < 0x80 &&
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
		if (cp == ' ' || cp == '\t' || cp == 0x2026 || cp == 0xA0 ||
		    (cp == '.' && i + 1 < last && nfc.buf[i + 1] == '.') ||
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
	*pchanged = first > 0 || last < nfc.len;
	rc = sohoa_buf_add(out, tmp.buf, tmp.len);
out:
	sohoa_buf_release(&nfc);
	sohoa_buf_release(&tmp);
	return rc;
}

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

/* 1 when S (N bytes) changes when lower-cased: it holds a capital. */
static int
has_upper(const char *s, size_t n)
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

/* 1 when word W (N bytes) is in capitals: its second letter is one. */
static int
all_upper(const char *w, size_t n)
{
	int32_t cp;
	size_t first = sohoa_utf8_decode(w, n, &cp), second;

	if (first >= n)
		return 0;
	second = sohoa_utf8_decode(w + first, n - first, &cp);
	return has_upper(w + first, second);
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
		size_t n;
		int upper;

		e = strchr(w, ' ');
		n = e == NULL ? strlen(w) : (size_t)(e - w);
		/* "sHoàng": a speck read as a letter before the capital */
		if (n > 2 && islower((unsigned char)w[0]) &&
		    has_upper(w + 1, sohoa_utf8_decode(w + 1, n - 1, &cp))) {
			w++;
			n--;
			*pfixed = 1;
		}
		upper = all_upper(w, n);
		rc = fkey_simple_n(w, n, &k);
		/*
		 * A word needs a vowel; one letter alone is debris ("Tạ Ị"),
		 * but for "Y" of Ê Đê names ("Y Bih") and, inside a name,
		 * the "A" of H'Mông men ("Mùa A Chớ") and the "H" of Ê Đê
		 * women ("Siu H Yam").
		 */
		if (rc == SOHOA_OK && k.len == 1 && n == 1 && nw > 0 &&
		    nw + 1 < total && (w[0] == 'A' || w[0] == 'H'))
			;
		else if (rc == SOHOA_OK && (strpbrk(k.buf, "aeiouy") == NULL ||
		    (k.len == 1 && !(n == 1 && w[0] == 'Y'))))
			rc = SOHOA_ERR_INPUT;
		/* names are written with capitals; a small one is doubtful */
		if (rc == SOHOA_OK && !has_upper(w, sohoa_utf8_decode(w, n,
		    &cp)))
			*pfixed = 1;
		sohoa_buf_release(&k);
		if (rc != SOHOA_OK)
			break;
		if (nw > 0)
			rc = sohoa_buf_addch(out, ' ');
		if (rc != SOHOA_OK)
			break;
		if (nw == 0 && total >= 2)
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
	int rc = SOHOA_OK;

	for (i = 0; i < v->len && rc == SOHOA_OK; i += n) {
		n = sohoa_utf8_decode(v->buf + i, v->len - i, &cp);
		if (cp == 0xD0 || cp == 0xF0) {
			cp = cp == 0xD0 ? 0x110 : 0x111;
			*pfixed = 1;
		}
		next = 0;
		if (i + n < v->len)
			(void)sohoa_utf8_decode(v->buf + i + n, v->len - i - n,
			    &next);
		if (cp == '-' && sohoa_utf8_case_cp(prev) < 0 &&
		    sohoa_utf8_case_cp(next) > 0) {
			cp = ' ';
			*pfixed = 1;
		} else if (sohoa_utf8_case_cp(prev) < 0 &&
		    sohoa_utf8_case_cp(cp) > 0 && sohoa_utf8_case_cp(next) < 0) {
			rc = sohoa_buf_addch(&t, ' ');
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
 * Number of bytes of debris before name V: a first word without a
 * capital ("xa Nguyễn Đức Quảng"), or in capitals before words that are
 * not ("IS Phan Mỹ Triều"), as the stamp's letters leave beside a
 * signer's name.  Only when two words or more are left.
 */
static size_t
name_debris(const char *v)
{
	const char *e = strchr(v, ' '), *e2;
	size_t n, n2;
	int32_t cp;

	if (e == NULL || (e2 = strchr(e + 1, ' ')) == NULL)
		return 0;
	n = (size_t)(e - v);
	n2 = (size_t)(e2 - e - 1);
	if (!has_upper(v, n))
		return n + 1;
	if (n >= 2 * sohoa_utf8_decode(v, n, &cp) && all_upper(v, n) &&
	    n2 > 2 && !all_upper(e + 1, n2))
		return n + 1;
	return 0;
}

/*
 * Bytes of scrawl before name V: leading words without a capital that
 * are one small letter ("h") or hold something no name has ("~-", "x9"),
 * as the signature and the seal leave on the row of a signer's name
 * ("h ~- Phạm Thương Huyền").  A word with a capital is a misread part of
 * the name ("V.1" for "Vũ") and stays, so that the name fails and a
 * better reading is used.  Only when two words or more are left.
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
		int caps = 0, other = 0;

		for (j = 0; j < n; j += k) {
			k = sohoa_utf8_decode(w + j, n - j, &cp);
			caps += sohoa_utf8_case_cp(cp) > 0;
			other += !is_letter(cp);
		}
		if (caps > 0 || !(other > 0 || (n == 1 && islower(
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

int
sohoa_parse_name(const char *s, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT, fixed = SOHOA_BUF_INIT;
	size_t i, n, words = 1, skip;
	int32_t cp;
	int rc, changed, fx = 0;

	if (pfixed != NULL)
		*pfixed = 0;
	rc = clean_text(s, 0, &v, &changed);
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	if (v.len == 0)
		goto out;
	skip = name_junk(v.buf);
	if (skip > 0) {
		memmove(v.buf, v.buf + skip, v.len - skip + 1);
		sohoa_buf_truncate(&v, v.len - skip);
		fx = 1;
	}
	for (i = 0; i < v.len; i += n) {
		n = sohoa_utf8_decode(v.buf + i, v.len - i, &cp);
		/* stray punctuation inside a name ("Trịnh ,Minh") is a space */
		if (cp == ',' || cp == '.' || cp == ';' || cp == ':' ||
		    cp == '`' || cp == '"') {
			memset(v.buf + i, ' ', n);
			fx = 1;
		} else if (cp != ' ' && !is_letter(cp) && cp != '\'' &&
		    cp != '-')
			/* a name holds letters, spaces, ' and - */
			goto out;
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
sohoa_parse_text(const char *s, struct sohoa_buf *out, int *pfixed)
{
	size_t before = out->len;
	int changed, rc;

	if (pfixed != NULL)
		*pfixed = 0;
	rc = clean_text(s, 1, out, &changed);
	if (rc != SOHOA_OK)
		return rc;
	/* a closing bracket or quote belongs to the text */
	if (out->len == before)
		return SOHOA_ERR_INPUT;
	return SOHOA_OK;
}

static int
parse_year(const char *s, struct sohoa_buf *out, int *pfixed)
{
	char *t;
	const char *p;
	int fixes, y = 0, n = 0, rc = SOHOA_ERR_INPUT;

	t = fix_digits(s, &fixes);
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	for (p = t; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n < 5)
				y = y * 10 + (*p - '0');
			n++;
		} else if (n > 0)
			break;
	}
	if (n == 4 && y >= 1800 && y <= 2199)
		rc = sohoa_buf_addf(out, "%d", y);
	if (pfixed != NULL)
		*pfixed = fixes > 0;
	free(t);
	return rc;
}

/*
 * Phrases of addresses, causes of death and decision subjects whose marks
 * OCR often gets wrong ("Ủy bạn nhân dân", "Bệnh viên", "Ủng thư phối").
 * A run of words that folds to one of them is written as here.
 */
static const char *const vocab[] = {
	"chưa đăng ký kết hôn với ai", "Tai biến mạch máu não",
	"Tai nạn giao thông", "Nhồi máu cơ tim", "Ủy ban nhân dân",
	"Trung tâm Y tế", "Trạm Y tế", "Bệnh viện", "Đa khoa", "Sản Nhi",
	"Tổ dân phố", "thành phố", "thị trấn", "thị xã", "Ung thư phổi",
	"Ung thư gan", "Ung thư", "Bệnh già", "Suy tim", "Suy hô hấp",
	"Suy thận mạn", "Suy thận", "Viêm phổi", "Xơ gan", "Đột quỵ",
	"số hóa sổ hộ tịch", "sổ hộ tịch",
	"thay đổi", "cải chính", "hộ tịch", "Tổ công tác", "rà soát",
	"số hóa", "tài liệu lưu trữ", "Gia đình văn hóa", "hộ cận nghèo",
	"hộ nghèo", "chữ đệm", "danh sách", "kết hôn", "đăng ký", "ly hôn",
	"hiện tại", "Có vợ là bà", "Có chồng là ông", "Vợ đã chết",
	"Chồng đã chết", "Kế hoạch", "danh hiệu", "Quyết định",
};

/* Address words, corrected only when written in small letters. */
static const char *const place_words[] = {
	"tỉnh", "huyện", "xã", "phường", "thôn", "xóm", "quận",
};

struct vword {
	size_t start, end;	/* the word in the buffer */
	size_t cs, ce;		/* its letters, without punctuation around */
	struct sohoa_buf key;
};

static int
split_vwords(const char *s, struct vword **pw, size_t *pn)
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

static void
free_vwords(struct vword *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sohoa_buf_release(&w[i].key);
	free(w);
}

/*
 * Does phrase P (its words folded into PK, NP of them) match the words
 * of W from I?  Each word must fold the same; "punctuation only at the
 * ends" so that "tỉnh, Hà" does not pass as one phrase.
 */
static int
phrase_at(const char *s, const struct vword *w, size_t n, size_t i,
    const struct vword *pk, size_t np)
{
	size_t j;

	if (i + np > n)
		return 0;
	for (j = 0; j < np; j++) {
		if (strcmp(w[i + j].key.buf, pk[j].key.buf) != 0 ||
		    w[i + j].key.len == 0)
			return 0;
		if (j + 1 < np && w[i + j].ce != w[i + j].end)
			return 0;
		if (j > 0 && w[i + j].cs != w[i + j].start)
			return 0;
	}
	/* a phrase in capitals (a heading) is left as printed */
	return !(w[i].ce - w[i].cs > 1 && all_upper(s + w[i].cs,
	    w[i].ce - w[i].cs));
}

/* Bytes of the first word of phrase P. */
static size_t
pk_first_len(const char *p)
{
	const char *e = strchr(p, ' ');

	return e == NULL ? strlen(p) : (size_t)(e - p);
}

#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))
#define NPLACE (sizeof(place_words) / sizeof(place_words[0]))

/* A phrase of the vocabulary, split into words once per call. */
struct vphrase {
	struct vword *w;
	size_t n;
};

/*
 * 1 when S (N bytes) is REP in either tone placement, whatever the case
 * of its letters ("Uỷ ban nhân dân" for "Ủy ban nhân dân").
 */
static int
lower_tone_same(const char *s, size_t n, const char *rep)
{
	struct sohoa_buf t = SOHOA_BUF_INIT, a = SOHOA_BUF_INIT,
	    b = SOHOA_BUF_INIT;
	int r;

	r = sohoa_buf_add(&t, s, n) == SOHOA_OK &&
	    sohoa_utf8_lower(t.buf, &a) == SOHOA_OK &&
	    sohoa_utf8_lower(rep, &b) == SOHOA_OK &&
	    tone_same(a.buf, a.len, b.buf, b.len);
	sohoa_buf_release(&t);
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	return r;
}

/* Rewrite text V (in place) with the vocabulary; PLACE adds address words. */
static int
vocab_fix(struct sohoa_buf *v, int place, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	struct vphrase ph[NVOCAB + NPLACE];
	size_t n = 0, i, k, copied = 0;
	int rc;

	memset(ph, 0, sizeof(ph));
	rc = split_vwords(v->buf, &w, &n);
	for (k = 0; k < NVOCAB + NPLACE && rc == SOHOA_OK && n > 0; k++)
		rc = split_vwords(k < NVOCAB ? vocab[k] : place_words[k - NVOCAB],
		    &ph[k].w, &ph[k].n);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		const char *rep = NULL;
		size_t span = 0;

		for (k = 0; k < NVOCAB && rep == NULL; k++)
			if (phrase_at(v->buf, w, n, i, ph[k].w, ph[k].n)) {
				rep = vocab[k];
				span = ph[k].n;
			}
		for (k = NVOCAB; place && k < NVOCAB + NPLACE && rep == NULL;
		    k++)
			if (phrase_at(v->buf, w, n, i, ph[k].w, ph[k].n) &&
			    !has_upper(v->buf + w[i].cs, w[i].ce - w[i].cs)) {
				rep = place_words[k - NVOCAB];
				span = 1;
			}
		/* ", và Xuân Giang": "và" does not start an address part */
		if (rep == NULL && place && i > 0 && i + 1 < n &&
		    strcmp(w[i].key.buf, "va") == 0 &&
		    w[i - 1].ce != w[i - 1].end &&
		    starts_upper(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs)) {
			rep = "xã";
			span = 1;
		}
		/* "nấm 2019": the word before a year is "năm" */
		if (rep == NULL && i + 1 < n && strcmp(w[i].key.buf,
		    "nam") == 0 &&
		    !has_upper(v->buf + w[i].cs, w[i].ce - w[i].cs) &&
		    w[i + 1].key.len == 4 &&
		    isdigit((unsigned char)w[i + 1].key.buf[0])) {
			rep = "năm";
			span = 1;
		}
		if (rep == NULL || rc != SOHOA_OK)
			continue;
		/* "Uỷ ban", "Thuỷ": the old tone placement is no slip */
		if (lower_tone_same(v->buf + w[i].cs,
		    w[i + span - 1].ce - w[i].cs, rep)) {
			i += span - 1;
			continue;
		}
		/*
		 * Keep what is around the phrase, replace the phrase itself;
		 * a capital at the start of a sentence stays ("Chưa ...").
		 */
		if (sohoa_buf_add(&out, v->buf + copied, w[i].cs - copied) !=
		    SOHOA_OK) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		if (has_upper(v->buf + w[i].cs, w[i].ce - w[i].cs) !=
		    has_upper(rep, pk_first_len(rep))) {
			size_t fl = pk_first_len(rep);

			if (sohoa_buf_add(&out, v->buf + w[i].cs,
			    w[i].ce - w[i].cs) != SOHOA_OK ||
			    sohoa_buf_adds(&out, rep + fl) != SOHOA_OK) {
				rc = SOHOA_ERR_NOMEM;
				break;
			}
		} else if (sohoa_buf_adds(&out, rep) != SOHOA_OK) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		if (w[i + span - 1].ce - w[i].cs != strlen(rep) ||
		    memcmp(out.buf + out.len - strlen(rep), v->buf + w[i].cs,
		    strlen(rep)) != 0)
			*pfixed = 1;
		copied = w[i + span - 1].ce;
		i += span - 1;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	for (k = 0; k < NVOCAB + NPLACE; k++)
		free_vwords(ph[k].w, ph[k].n);
	free_vwords(w, n);
	sohoa_buf_release(&out);
	return rc;
}

/* 1 when S (N bytes) starts with a capital letter. */
static int
starts_upper(const char *s, size_t n)
{
	int32_t cp;

	if (n == 0)
		return 0;
	return has_upper(s, sohoa_utf8_decode(s, n, &cp)) &&
	    is_letter(cp);
}

/*
 * Address parts are separated by ", ": OCR gives ",." and ",tỉnh"; a
 * stray ".," or ",." becomes one comma followed by a space.
 */
static int
space_commas(struct sohoa_buf *v)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < v->len && rc == SOHOA_OK; i++) {
		char c = v->buf[i];

		/* "phố 4. xã": a full stop before a small letter is a comma */
		if (c == '.' && i + 2 < v->len && v->buf[i + 1] == ' ' &&
		    islower((unsigned char)v->buf[i + 2]) && i >= 2 &&
		    (v->buf[i - 2] != ' ' ||
		    isdigit((unsigned char)v->buf[i - 1])))
			c = ',';
		/* "thành phố. Hà Nội": no full stop inside an address */
		if (c == '.' && i > 0 && i + 2 < v->len &&
		    v->buf[i + 1] == ' ' &&
		    ((unsigned char)v->buf[i - 1] >= 0x80 ||
		    islower((unsigned char)v->buf[i - 1])) &&
		    starts_upper(v->buf + i + 2, v->len - i - 2))
			continue;
		/* "Trà .Côn": a speck before a word */
		if (c == '.' && i > 0 && v->buf[i - 1] == ' ' &&
		    i + 1 < v->len && v->buf[i + 1] != ' ' &&
		    v->buf[i + 1] != '.')
			continue;
		if (c == ',' || (c == '.' && i + 1 < v->len &&
		    v->buf[i + 1] == ',')) {
			while (i + 1 < v->len && (v->buf[i + 1] == '.' ||
			    v->buf[i + 1] == ','))
				i++;
			rc = sohoa_buf_addch(&out, ',');
			if (rc == SOHOA_OK && i + 1 < v->len &&
			    v->buf[i + 1] != ' ')
				rc = sohoa_buf_addch(&out, ' ');
			continue;
		}
		rc = sohoa_buf_addch(&out, c);
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, out.buf, out.len);
	}
	sohoa_buf_release(&out);
	return rc;
}

/*
 * The province after "tỉnh" / "thành phố" in an address, restored from
 * the list of provinces when OCR changed its marks or one letter
 * ("Hài Phòng", "Thanh Hoá").  The words up to the next comma are the name.
 */
static int
fix_provinces(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, k = SOHOA_BUF_INIT,
	    ek = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, j, e, copied = 0;
	int rc;

	rc = split_vwords(v->buf, &w, &n);
	for (i = 0; i + 1 < n && rc == SOHOA_OK; i++) {
		const char *best = NULL;
		size_t bestd = 2, p;

		if (!((strcmp(w[i].key.buf, "tinh") == 0 &&
		    w[i].ce == w[i].end) || (strcmp(w[i].key.buf, "pho") == 0 &&
		    i > 0 && strcmp(w[i - 1].key.buf, "thanh") == 0)))
			continue;
		/* the name: up to three words, ending at a comma or the end */
		for (e = i + 1; e < n && e < i + 4; e++)
			if (w[e].ce != w[e].end || e + 1 == n)
				break;
		if (e >= n || e == i + 4)
			continue;
		/*
		 * "thành phố" is a province only at the end of an address;
		 * before one it is a district-level city ("thành phố Phổ
		 * Yên, tỉnh Thái Nguyên"), which no list here holds.
		 */
		if (strcmp(w[i].key.buf, "pho") == 0 && e + 1 < n)
			continue;
		sohoa_buf_reset(&k);
		for (j = i + 1; j <= e && rc == SOHOA_OK; j++)
			rc = sohoa_buf_add(&k, w[j].key.buf, w[j].key.len);
		for (p = 0; p < sizeof(provinces) / sizeof(provinces[0]) &&
		    rc == SOHOA_OK; p++) {
			const char *name = provinces[p].name;
			size_t d;

			if (strncmp(name, "TP. ", 4) == 0)
				name += 4;
			sohoa_buf_reset(&ek);
			rc = fkey_simple(name, &ek);
			if (rc != SOHOA_OK)
				break;
			d = strcmp(k.buf, ek.buf) == 0 ? 0 : k.len >= 6 ?
			    sohoa_edit_distance(k.buf, ek.buf, 1) : 2;
			if (d < bestd) {
				bestd = d;
				best = name;
			}
		}
		if (rc != SOHOA_OK || best == NULL)
			continue;
		if (tone_same(v->buf + w[i + 1].cs, w[e].ce - w[i + 1].cs,
		    best, strlen(best)))
			continue;
		rc = sohoa_buf_add(&out, v->buf + copied, w[i + 1].cs - copied);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(&out, best);
		copied = w[e].ce;
		*pfixed = 1;
		i = e;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	free_vwords(w, n);
	sohoa_buf_release(&out);
	sohoa_buf_release(&k);
	sohoa_buf_release(&ek);
	return rc;
}

/* Free text with the vocabulary applied (PLACE: an address). */
static int
parse_phrases(const char *s, int place, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	size_t i;
	int rc, fixed = 0;

	rc = sohoa_parse_text(s, &v, pfixed);
	if (rc == SOHOA_OK && place)
		rc = space_commas(&v);
	if (rc == SOHOA_OK)
		rc = vocab_fix(&v, place, &fixed);
	if (rc == SOHOA_OK && place)
		rc = fix_provinces(&v, &fixed);
	if (rc == SOHOA_OK && !place)
		rc = fix_named_person(&v, &fixed);
	/* the ';' OCR reads for ',' between address parts */
	for (i = 0; place && i < v.len; i++)
		if (v.buf[i] == ';')
			v.buf[i] = ',';
	if (rc == SOHOA_OK)
		rc = sohoa_buf_add(out, v.buf, v.len);
	if (rc == SOHOA_OK && pfixed != NULL && fixed)
		*pfixed = 1;
	sohoa_buf_release(&v);
	return rc;
}

/* Administrative unit words, as printed in capitals in headers. */
static const char *const units[] = {
	"XÃ", "PHƯỜNG", "THỊ TRẤN", "THỊ XÃ", "HUYỆN", "QUẬN", "TỈNH",
	"THÀNH PHỐ",
};

/*
 * An administrative unit in capitals, as in the issuer block of a header:
 * "XÃ TÂN HẢI".  The unit word is restored ("XÀ" -> "XÃ"); the name runs
 * over the following words in capitals (so "Độc lập", "Tân Hải, ngày"
 * beside it in a two-column header are left out).
 */
int
parse_unit_caps(const char *s, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	struct vword *w = NULL, *pk = NULL;
	size_t n = 0, np = 0, i, k, span = 0, end;
	const char *unit = NULL;
	int rc, changed;

	rc = clean_text(s, 1, &v, &changed);
	if (rc == SOHOA_OK)
		rc = split_vwords(v.buf, &w, &n);
	for (k = 0; k < sizeof(units) / sizeof(units[0]) && unit == NULL &&
	    rc == SOHOA_OK; k++) {
		free_vwords(pk, np);
		rc = split_vwords(units[k], &pk, &np);
		for (i = 0; rc == SOHOA_OK && i < np && i < n; i++)
			if (strcmp(w[i].key.buf, pk[i].key.buf) != 0)
				break;
		if (rc == SOHOA_OK && i == np) {
			unit = units[k];
			span = np;
		}
	}
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	if (unit == NULL)
		goto out;
	for (end = span; end < n; end++) {
		const char *x = v.buf + w[end].cs;
		size_t len = w[end].ce - w[end].cs;

		if (len == 0 || has_lower(x, len) || (len > 1 && !all_upper(x,
		    len)))
			break;
		/* a comma ends the name ("TÂN HẢI, ngày") */
		if (w[end].ce != w[end].end) {
			end++;
			break;
		}
	}
	if (end == span)
		goto out;
	if (memcmp(v.buf + w[0].cs, unit, strlen(unit)) != 0 && pfixed != NULL)
		*pfixed = 1;
	rc = sohoa_buf_adds(out, unit);
	for (i = span; i < end && rc == SOHOA_OK; i++) {
		rc = sohoa_buf_addch(out, ' ');
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(out, v.buf + w[i].cs,
			    w[i].ce - w[i].cs);
	}
out:
	free_vwords(pk, np);
	free_vwords(w, n);
	sohoa_buf_release(&v);
	return rc;
}

/*
 * A person named inside free text ("Có chồng là ông Trân Thành Chuẩn"):
 * the surname after "ông" / "bà" is restored like a name's.
 */
static int
fix_named_person(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, copied = 0;
	int rc;

	rc = split_vwords(v->buf, &w, &n);
	for (i = 0; i + 2 < n && rc == SOHOA_OK; i++) {
		const char *x = v->buf + w[i].start;

		if (!((w[i].end - w[i].start == strlen("ông") &&
		    memcmp(x, "ông", strlen("ông")) == 0) ||
		    (w[i].end - w[i].start == strlen("bà") &&
		    memcmp(x, "bà", strlen("bà")) == 0)) ||
		    !starts_upper(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs) ||
		    !starts_upper(v->buf + w[i + 2].cs,
		    w[i + 2].ce - w[i + 2].cs))
			continue;
		rc = sohoa_buf_add(&out, v->buf + copied, w[i + 1].cs - copied);
		if (rc == SOHOA_OK)
			rc = fix_word(v->buf + w[i + 1].cs,
			    w[i + 1].ce - w[i + 1].cs, surnames,
			    sizeof(surnames) / sizeof(surnames[0]),
			    all_upper(v->buf + w[i + 1].cs,
			    w[i + 1].ce - w[i + 1].cs), 1, &out, pfixed);
		copied = w[i + 1].ce;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	free_vwords(w, n);
	sohoa_buf_release(&out);
	return rc;
}

/* A place: an address or the name of a hospital. */
static int
parse_place(const char *s, struct sohoa_buf *out, int *pfixed)
{
	return parse_phrases(s, 1, out, pfixed);
}

static int
list_value(const char *type, const char *s, const char **pv, int *pfixed)
{
	if (type[0] == 's')
		return sohoa_parse_sex(s, pv, pfixed);
	if (type[0] == 'e')
		return sohoa_parse_ethnicity(s, pv, pfixed);
	return sohoa_parse_nationality(s, pv, pfixed);
}

/* The longest run of S's first one to three words that is in the list. */
static int
list_prefix(const char *type, const char *s, const char **pv, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT, pre = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, k;
	int rc, found = 0;

	rc = clean_text(s, 1, &v, &found);
	found = 0;
	if (rc == SOHOA_OK)
		rc = split_vwords(v.buf, &w, &n);
	for (k = n > 3 ? 3 : n > 1 ? n - 1 : 0; k >= 1 && rc == SOHOA_OK &&
	    !found; k--) {
		sohoa_buf_reset(&pre);
		rc = sohoa_buf_add(&pre, v.buf, w[k - 1].ce);
		if (rc == SOHOA_OK && list_value(type, pre.buf, pv, pfixed) ==
		    SOHOA_OK) {
			found = 1;
			/* what followed was not read: less sure */
			if (pfixed != NULL)
				*pfixed = 1;
		}
	}
	free_vwords(w, n);
	sohoa_buf_release(&v);
	sohoa_buf_release(&pre);
	if (rc != SOHOA_OK)
		return rc;
	return found ? SOHOA_OK : SOHOA_ERR_INPUT;
}

/*
 * The last one to three words of S that are in the list: the value
 * before a label when the label in front of it was not recognised
 * ("Cơi tính: Nữ").
 */
static int
list_suffix(const char *type, const char *s, const char **pv, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, k;
	int rc, found = 0;

	rc = clean_text(s, 1, &v, &found);
	found = 0;
	if (rc == SOHOA_OK)
		rc = split_vwords(v.buf, &w, &n);
	for (k = n > 3 ? 3 : n; k >= 1 && rc == SOHOA_OK && !found; k--)
		if (list_value(type, v.buf + w[n - k].cs, pv, pfixed) ==
		    SOHOA_OK) {
			found = 1;
			if (pfixed != NULL)
				*pfixed = 1;
		}
	free_vwords(w, n);
	sohoa_buf_release(&v);
	if (rc != SOHOA_OK)
		return rc;
	return found ? SOHOA_OK : SOHOA_ERR_INPUT;
}

int
parse_list_end(const char *type, const char *s, struct sohoa_buf *out,
    int *pfixed)
{
	const char *v;
	int rc;

	if (strcmp(type, "sex") != 0 && strcmp(type, "ethnicity") != 0 &&
	    strcmp(type, "nationality") != 0)
		return SOHOA_ERR_INPUT;
	rc = list_suffix(type, s, &v, pfixed);
	return rc == SOHOA_OK ? sohoa_buf_adds(out, v) : rc;
}

int
sohoa_parse_value(const char *type, const char *s, struct sohoa_buf *out,
    int *pfixed)
{
	const char *v;
	int y, m, d, rc;

	if (pfixed != NULL)
		*pfixed = 0;
	if (strcmp(type, "date") == 0 || strcmp(type, "date_words") == 0) {
		if (strcmp(type, "date") == 0)
			rc = sohoa_parse_date(s, &y, &m, &d);
		else
			rc = sohoa_parse_date_words(s, &y, &m, &d);
		return rc == SOHOA_OK ? sohoa_format_date(y, m, d, out) : rc;
	}
	if (strcmp(type, "date_text") == 0) {
		struct words w;
		int ok;

		rc = split_words(s, &w);
		if (rc != SOHOA_OK)
			return rc;
		ok = words_date(&w, &y, &m, &d);
		words_release(&w);
		return ok ? sohoa_format_date(y, m, d, out) : SOHOA_ERR_INPUT;
	}
	if (strcmp(type, "year") == 0)
		return parse_year(s, out, pfixed);
	if (strcmp(type, "sex") == 0 || strcmp(type, "ethnicity") == 0 ||
	    strcmp(type, "nationality") == 0) {
		rc = list_value(type, s, &v, pfixed);
		/*
		 * A garbled label after the value ("Kinh Quốc ch. Việt Nam"):
		 * the first words alone may be the value.
		 */
		if (rc == SOHOA_ERR_INPUT)
			rc = list_prefix(type, s, &v, pfixed);
		return rc == SOHOA_OK ? sohoa_buf_adds(out, v) : rc;
	}
	if (strcmp(type, "personal_id") == 0)
		return sohoa_parse_personal_id(s, out, pfixed);
	if (strcmp(type, "doc_number") == 0)
		return sohoa_parse_doc_number(s, out, pfixed);
	if (strcmp(type, "name") == 0)
		return sohoa_parse_name(s, out, pfixed);
	if (strcmp(type, "place") == 0)
		return parse_place(s, out, pfixed);
	if (strcmp(type, "unit") == 0)
		return parse_unit_caps(s, out, pfixed);
	return parse_phrases(s, 0, out, pfixed);
}
