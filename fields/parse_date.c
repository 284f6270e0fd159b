/*
 * Dates: in figures ("14/03/2018", "14 / 03 / 2O18"), in the frame
 * "ngày D tháng M năm Y" and written out in Vietnamese words; numbers in
 * words.
 *
 *   sohoa_parse_date, sohoa_parse_date_words, sohoa_parse_number_words
 *   sohoa_format_date, parse_date_text, parse_date_valid
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

/*
 * A letter OCR often puts in place of a digit, or -1.  Old-style figures
 * (Garamond's, Georgia's) sit on the x-height like letters: 0 reads o,
 * 1 reads I, i, r or t, 2 z, 5 s (measured: notes/fields.md, session 17).
 */
int
parse_lookalike_digit(int c)
{
	switch (c) {
	case 'O': case 'o': case 'Q': case 'D':
		return '0';
	case 'l': case 'I': case '|': case 'i': case '!': case 'r': case 't':
		return '1';
	case 'S': case 's':
		return '5';
	case 'B':
		return '8';
	case 'Z': case 'z':
		return '2';
	case 'g':
		return '9';
	case 'G':		/* "2G" for 26: the capital's bowl */
		return '6';
	default:
		return -1;
	}
}

/*
 * Letters with marks that Tesseract reads for digits, mostly old-style
 * ones: a 6's ascender is an acute over an o ("năm 202ó", "2o1ố"), a 5's
 * descender makes a y ("tháng 0ÿ"), a 0 under specks an ö; and the
 * fraction slash is a slash.  Counted on the third set's traced seeds,
 * the letter beside a digit against the truth: ó 6 102 of 106, ố 6 46 of
 * 47, ÿ 5 19 of 21, ý 5 17 of 17, ⁄ / 46 of 54, ö 0 4 of 4.
 */
static const struct {
	const char *letter;	/* UTF-8 */
	char digit;
} marked_digits[] = {
	{ "\xc3\xb3", '6' }, { "\xc3\x93", '6' },		/* ó Ó */
	{ "\xe1\xbb\x91", '6' }, { "\xe1\xbb\x90", '6' },	/* ố Ố */
	{ "\xc3\xbd", '5' }, { "\xc3\xbf", '5' },		/* ý ÿ */
	{ "\xc3\x9d", '5' },					/* Ý */
	{ "\xc3\xb6", '0' }, { "\xc3\x96", '0' },		/* ö Ö */
	{ "\xe2\x81\x84", '/' },				/* ⁄ */
};

/*
 * Copy S (malloc'd) with the marked_digits letters that touch a digit
 * written as their digits: folding would make "ó" an o, a 0.  *PN counts
 * them.
 */
char *
parse_marked_digits(const char *s, int *pn)
{
	size_t len = strlen(s), i, k, o = 0;
	char *t = malloc(len + 1);

	*pn = 0;
	if (t == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(marked_digits) /
		    sizeof(marked_digits[0]); k++) {
			const char *m = marked_digits[k].letter;
			size_t n = strlen(m);

			if (strncmp(s + i, m, n) == 0 &&
			    ((i > 0 && isdigit((unsigned char)s[i - 1])) ||
			    isdigit((unsigned char)s[i + n])))
				break;
		}
		if (k < sizeof(marked_digits) / sizeof(marked_digits[0])) {
			t[o++] = marked_digits[k].digit;
			i += strlen(marked_digits[k].letter) - 1;
			(*pn)++;
			continue;
		}
		t[o++] = s[i];
	}
	t[o] = '\0';
	return t;
}

/*
 * 1 when T[I] is a digit, or a slash with a digit beyond it (DIR 1 or -1)
 * beside a small letter: "Ioo/2012" is 100/2012, "463/QD-UBND" stays.
 */
static int
digit_side(const char *t, size_t len, size_t i, int dir)
{
	if (isdigit((unsigned char)t[i]))
		return 1;
	return t[i] == '/' && islower((unsigned char)t[i - dir]) &&
	    ((dir > 0 && i + 1 < len &&
	    isdigit((unsigned char)t[i + 1])) ||
	    (dir < 0 && i > 0 && isdigit((unsigned char)t[i - 1])));
}

/*
 * Copy S, replacing look-alike letters by digits where they touch a digit
 * ("2O18", "l4", and "ó" for 6: parse_marked_digits), or a slash beside one
 * ("Ioo/2o12": 100/2012).  Passes until nothing turns let "Ioo" next to
 * "/2" all turn.  *pn counts the replacements.
 */
char *
parse_fix_digits(const char *s, int *pn)
{
	char *t = parse_marked_digits(s, pn);
	size_t len, i;
	int turned;

	if (t == NULL)
		return NULL;
	len = strlen(t);
	do {
		turned = 0;
		for (i = 0; i < len; i++) {
			int d = parse_lookalike_digit((unsigned char)t[i]);
			int before = i > 0 && digit_side(t, len, i - 1, -1);
			int after = i + 1 < len && digit_side(t, len, i + 1, 1);

			if (d < 0 || !(before || after))
				continue;
			/* inside a word ("Quảng", "lò", "lít"), a letter */
			if ((i > 0 && isalpha((unsigned char)t[i - 1]) &&
			    parse_lookalike_digit((unsigned char)t[i - 1]) < 0) ||
			    (i + 1 < len && isalpha((unsigned char)t[i + 1]) &&
			    parse_lookalike_digit((unsigned char)t[i + 1]) < 0) ||
			    (i + 1 < len && (unsigned char)t[i + 1] >= 0x80) ||
			    (i > 0 && (unsigned char)t[i - 1] >= 0x80))
				continue;
			t[i] = (char)d;
			(*pn)++;
			turned = 1;
		}
	} while (turned);
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

const char *
parse_skip_spaces(const char *p)
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
	char d[16];
	size_t n = 0;

	while (isdigit((unsigned char)p[n]) && n < 11)
		n++;
	/* one of the two separators lost: "2512/2024", "25/122024" */
	if ((n == 4 || n == 2 || n == 5) && is_date_sep((unsigned char)p[n])) {
		size_t m = 0;

		while (isdigit((unsigned char)p[n + 1 + m]) && m < 8)
			m++;
		memcpy(d, p, n);
		memcpy(d + n, p + n + 1, m);
		d[n + m] = '\0';
		/*
		 * or read as 1 or 7 ("21/11I1985", "21711/1985"): the
		 * other separator stands after the day or the month
		 */
		if (n != 4 && n + m == 9) {
			size_t at = n == 2 ? 4 : 2;

			if (d[at] != '1' && d[at] != '7')
				return 0;
			memmove(d + at, d + at + 1, 9 - at);
		} else if (n == 5 || n + m != 8)
			return 0;
		n = 8;
		d[n] = '\0';
		goto packed;
	}
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
packed:
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
	p = parse_skip_spaces(p);
	if (!is_date_sep((unsigned char)*p))
		return 0;
	sep = *p;
	p = parse_skip_spaces(p + 1);
	/* a doubled separator ("14//03") is an OCR slip */
	if (*p == sep)
		p = parse_skip_spaces(p + 1);
	nm = read_num(&p, 2, &m);
	if (nm == 0)
		return 0;
	p = parse_skip_spaces(p);
	if (!is_date_sep((unsigned char)*p))
		return 0;
	p = parse_skip_spaces(p + 1);
	if (is_date_sep((unsigned char)*p))
		p = parse_skip_spaces(p + 1);
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
	int rc, inw = 0, fixes;
	char *t;

	memset(w, 0, sizeof(*w));
	sohoa_buf_init(&w->buf);
	/* look-alikes first: folding makes the "G" of "2G" a "g" (9) */
	t = parse_fix_digits(s, &fixes);
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	rc = sohoa_utf8_fold(t, &f);
	free(t);
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

		/* "07năm": a number glued to a word of the frame */
		if (word && inw && isdigit((unsigned char)f.buf[i - 1]) &&
		    strspn(f.buf + i, "abcdefghijklmnopqrstuvwxyz") >= 3) {
			rc = sohoa_buf_addch(&w->buf, '\0');
			inw = 0;
		}
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
 * "tt" is 11, "0b" 06 and "D3" 03 there ("tháng TT", "tháng 0b").
 */
static int
word_num(const char *w, int maxd, int *pv)
{
	int v = 0, n = 0, fixes, c;
	char *t = parse_fix_digits(w, &fixes);
	const char *p;

	if (t == NULL)
		return 0;
	for (p = t; *p != '\0'; p++) {
		c = (unsigned char)*p;
		/* a slashed zero ("Ø7") and a dagger ("tháng †", a 1) */
		if (strncmp(p, "\xc3\xb8", 2) == 0) {
			c = '0';
			p++;
		} else if (strncmp(p, "\xe2\x80\xa0", 3) == 0) {
			c = '1';
			p += 2;
		} else if (!isdigit(c))
			c = c == 't' ? '1' : c == 'b' ? '6' : c == 'd' ? '0' :
			    parse_lookalike_digit(c);
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

/* 1 when word W is one character. */
static int
one_char(const char *w)
{
	int32_t cp;
	size_t n = strlen(w);

	return n > 0 && sohoa_utf8_decode(w, n, &cp) == n;
}

/*
 * The day or month at word *PJ of W into *PV, *PJ moved past it.  A
 * number of two digits read as two pieces of one character each ("tháng
 * Ï I", "ngày 1 9") is one number when the frame's next word follows.
 */
static int
slot_num(const struct words *w, size_t *pj, int *pv)
{
	const char *a = word_at(w, *pj), *b = word_at(w, *pj + 1);
	int hi, lo;

	if (!word_num(a, 2, pv))
		return 0;
	(*pj)++;
	if (one_char(a) && one_char(b) &&
	    word_num(b, 1, &lo) && word_num(a, 1, &hi) &&
	    (word_is(word_at(w, *pj + 1), "thang") ||
	    strcmp(word_at(w, *pj + 1), "nam") == 0)) {
		*pv = hi * 10 + lo;
		(*pj)++;
	}
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
		if (!slot_num(w, &j, &d))
			continue;
		/*
		 * between two numbers, before "năm" and a year, "tháng" may
		 * be two letters off ("thóúng"): the frame holds it
		 */
		if (!word_is(word_at(w, j), "thang") &&
		    !(strlen(word_at(w, j)) >= 4 && sohoa_edit_distance(
		    word_at(w, j), "thang", 2) <= 2))
			continue;
		j++;
		if (!slot_num(w, &j, &m))
			continue;
		/*
		 * and "năm" before a year of four digits one letter off, two
		 * in a word of three or more ("nÃ1 2020", "nLĂm 2011", "tuĂm
		 * 2021")
		 */
		if (!(word_is(word_at(w, j), "nam") || strcmp(word_at(w, j),
		    "nam") == 0 || (sohoa_edit_distance(word_at(w, j), "nam",
		    2) <= (strlen(word_at(w, j)) >= 3 ? 2 : 1) &&
		    strlen(word_at(w, j + 1)) == 4 &&
		    word_num(word_at(w, j + 1), 4, &y) && y >= 1000)))
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

/*
 * 1 when the date Y-M-D, parsed from S, was read through look-alike
 * letters: the word of S that gives it alone needed them (a time before
 * it, "lúc 1o giờ", does not count); when no word gives it alone (a
 * space inside it), any look-alike of S.
 */
int
parse_date_lookalikes(const char *s, int y, int m, int d)
{
	const char *p = s, *e;
	int fixes, any = 0, yy, mm, dd;

	while (*p != '\0') {
		char *w, *t;

		p = parse_skip_spaces(p);
		for (e = p; *e != '\0' && *e != ' ' && *e != '\t'; e++)
			;
		if (e == p)
			break;
		if ((w = strndup(p, (size_t)(e - p))) == NULL)
			return -1;
		t = parse_fix_digits(w, &fixes);
		free(w);
		if (t == NULL)
			return -1;
		any |= fixes > 0;
		if (sohoa_parse_date(t, &yy, &mm, &dd) == SOHOA_OK &&
		    yy == y && mm == m && dd == d) {
			free(t);
			return fixes > 0;
		}
		free(t);
		p = e;
	}
	return any;
}

int
sohoa_parse_date(const char *s, int *pyear, int *pmonth, int *pday)
{
	char *t;
	const char *p;
	struct words w;
	int fixes, ok = 0, rc;

	*pyear = *pmonth = *pday = 0;
	t = parse_fix_digits(s, &fixes);
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


int
parse_date_text(const char *s, int *py, int *pm, int *pd)
{
	struct words w;
	int rc, ok;

	rc = split_words(s, &w);
	if (rc != SOHOA_OK)
		return rc;
	ok = words_date(&w, py, pm, pd);
	words_release(&w);
	return ok ? SOHOA_OK : SOHOA_ERR_INPUT;
}
