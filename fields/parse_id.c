/*
 * Identifiers: the 12-digit personal ID (province code, century and sex,
 * year) and document numbers ("12/2020/TLKS-BS", "125/QĐ-UBND").
 *
 *   sohoa_parse_personal_id, sohoa_check_personal_id, sohoa_province_name
 *   sohoa_parse_doc_number
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
	char digits[13], *t;
	const char *p;
	int n = 0, fixed, started = 0, rc = SOHOA_ERR_INPUT;

	if (pfixed != NULL)
		*pfixed = 0;
	t = parse_marked_digits(s, &fixed);	/* "ó" read for 6 ... */
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	for (p = t; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		int d = -1;

		if (isdigit(c))
			d = c;
		else if (started && (c == ' ' || c == '.' || c == '-'))
			continue;
		else {
			int l = parse_lookalike_digit(c);

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
			goto out;
		digits[n++] = (char)d;
		started = 1;
	}
	digits[n] = '\0';
	/* look-alikes are only trusted in a run that is mostly digits */
	if (n != 12 || fixed > 3 || sohoa_province_name(digits) == NULL)
		goto out;
	if (pfixed != NULL)
		*pfixed = fixed > 0;
	rc = sohoa_buf_add(out, digits, 12);
out:
	free(t);
	return rc;
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

/*
 * Groups that go in pairs, checked with their dash lost ("TLKEBS": the
 * dash and a T read as one E).
 */
static const char *const pairs[] = {
	"TLKS-BS", "TLKT-BS", "TLKH-BS", "QĐ-UBND", "UBND-XNTTHN",
};

/*
 * Append ký hiệu group G (N bytes) corrected to a known group when it is
 * one OCR slip away ("QĐĐ", "UBNĐ") or differs only by Đ/D, or to a known
 * pair of groups whose dash was lost, when nearer than any one group.
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
	if (len >= 6 && (best == (size_t)-1 || bestd > 1)) {
		size_t pair = (size_t)-1, npair = 0, pd = 2, d;

		for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			size_t dash = strcspn(pairs[i], "-");

			sohoa_buf_reset(&ek);
			if ((rc = sohoa_buf_add(&ek, pairs[i], dash)) !=
			    SOHOA_OK || (rc = sohoa_buf_adds(&ek,
			    pairs[i] + dash + 1)) != SOHOA_OK)
				goto out;
			d = sohoa_edit_distance(raw.buf, ek.buf, 1);
			if (d < pd) {
				pair = i;
				pd = d;
				npair = 1;
			} else if (d == pd)
				npair++;
		}
		/* two pairs as near ("TLKEBS": TLKS or TLKT) tell nothing */
		if (npair == 1) {
			*pfixed = 1;
			rc = sohoa_buf_adds(out, pairs[pair]);
			goto out;
		}
	}
	if (best != (size_t)-1) {
		*pfixed = 1;
		rc = sohoa_buf_adds(out, symbols[best]);
		goto out;
	}
	/* an unknown group is kept only when written in capitals */
	if (text_has_lower(raw.buf, raw.len)) {
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

/*
 * 1 when every ký hiệu group of document number V ("12/2020/TLKS-BS":
 * the groups after the number and year) is a known one, spelt as the
 * list spells it.
 */
int
parse_doc_groups_known(const char *v)
{
	const char *p = strchr(v, '/'), *e;

	while (p != NULL && *p != '\0') {
		p++;
		e = p + strcspn(p, "/-");
		/* digits alone are the year */
		if (e > p && strspn(p, "0123456789") < (size_t)(e - p) &&
		    !known_symbol(p, (size_t)(e - p)))
			return 0;
		p = *e != '\0' ? e : NULL;
	}
	return 1;
}

/*
 * The group at R cut by a full stop at *PQ ("TI.kT", "T1.KS"): OCR reads
 * the foot of an L apart, as a stop, and its stem as I or 1.  When the
 * two parts joined, in capitals, are a known group or one slip from one,
 * it is appended to OUT and *PQ moved past the second part; else
 * SOHOA_ERR_INPUT and OUT is unchanged.
 */
static int
dotted_symbol(struct sohoa_buf *out, const char *r, const char **pq,
    int *pfixed)
{
	struct sohoa_buf j = SOHOA_BUF_INIT, g = SOHOA_BUF_INIT;
	const char *q = *pq + 1, *p;
	size_t n;
	int rc = SOHOA_OK, fixed = 0;

	while ((n = symbol_char(q)) > 0)
		q += n;
	for (p = r; p < q && rc == SOHOA_OK; p++)
		if (*p != '.')
			rc = sohoa_buf_addch(&j,
			    (char)toupper((unsigned char)*p));
	if (rc == SOHOA_OK)
		rc = add_symbol(&g, j.buf, j.len, &fixed);
	if (rc == SOHOA_OK && !known_symbol(g.buf, g.len))
		rc = SOHOA_ERR_INPUT;
	if (rc == SOHOA_OK)
		rc = sohoa_buf_add(out, g.buf, g.len);
	if (rc == SOHOA_OK) {
		*pfixed = 1;
		*pq = q;
	}
	sohoa_buf_release(&j);
	sohoa_buf_release(&g);
	return rc;
}

/*
 * 1 when G (N bytes), glued to the number, ends with a known group of
 * three letters or more after one stray character ("1UTLKT": "11/TLKT"
 * or "1/TLKT", the slash read as U): the number itself is unsure.
 */
static int
glued_group(const char *g, size_t n)
{
	size_t s = symbol_char(g);

	return s > 0 && n > s && n - s >= 3 && known_symbol(g + s, n - s);
}

/*
 * A number read all in look-alike letters before its slash ("Io/TLKS-BS",
 * "Ioo/TLKT": 10, 100 in old-style figures) has no digit for
 * parse_fix_digits to start from: the word before the first slash, when
 * it is one to four look-alikes with a small one among them (old-style
 * figures stand on the x-height; capitals but I and O are a code, "BS/"),
 * not starting with a 0, and no number came before it, is written in
 * digits in T.  Returns how many letters turned.
 */
static int
number_of_lookalikes(char *t)
{
	char *slash = strchr(t, '/'), *r, *p;
	int n = 0, small = 0;

	if (slash == NULL)
		return 0;
	for (r = slash; r > t && parse_lookalike_digit((unsigned char)r[-1]) >=
	    0; r--) {
		if (isupper((unsigned char)r[-1]) && r[-1] != 'I' &&
		    r[-1] != 'O')
			return 0;
		small += islower((unsigned char)r[-1]) != 0;
	}
	/* no number starts with 0: "o/UBND" is a number lost, not 0 */
	if (slash - r < 1 || slash - r > 4 || small == 0 ||
	    parse_lookalike_digit((unsigned char)*r) == '0' ||
	    (r > t && isalnum((unsigned char)r[-1])) ||
	    (r > t && (unsigned char)r[-1] >= 0x80))
		return 0;
	for (p = t; p < r; p++)
		if (isdigit((unsigned char)*p))
			return 0;
	for (; r < slash; r++, n++)
		*r = (char)parse_lookalike_digit((unsigned char)*r);
	return n;
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
	t = parse_fix_digits(s, &fixes);
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	fixes += number_of_lookalikes(t);
	/* the number proper: the first run of digits */
	for (p = t; *p != '\0' && !isdigit((unsigned char)*p); p++) {
		/* only leaders and "Số:"-like noise may come before it */
		if (isalpha((unsigned char)*p) && p - t > 6)
			goto out;
	}
	if (*p == '\0')
		goto out;
	/* ("28ó/UBND": parse_fix_digits wrote the 6 read as ó) */
	for (q = p; isdigit((unsigned char)*q); q++)
		;
	if (sohoa_buf_add(&v, p, (size_t)(q - p)) != SOHOA_OK)
		goto nomem;
	p = q;
	/* "117UBND-XNTTHN": the slash was lost, the group is a known one */
	if (symbol_char(p) > 0 && !isdigit((unsigned char)*p)) {
		size_t n;

		for (q = p; (n = symbol_char(q)) > 0; q += n)
			;
		/*
		 * other letters glued to the number before its slash
		 * ("1UTLKT/"): the number itself is unsure
		 */
		if (!known_symbol(p, (size_t)(q - p)) && (*q == '/' ||
		    glued_group(p, (size_t)(q - p))))
			goto out;
		if (known_symbol(p, (size_t)(q - p))) {
			if (sohoa_buf_addch(&v, '/') != SOHOA_OK ||
			    add_symbol(&v, p, (size_t)(q - p), &sfix) !=
			    SOHOA_OK)
				goto nomem;
			sfix = 1;
			p = q;
		}
	}
	for (;;) {
		size_t n;
		const char *r = parse_skip_spaces(p);
		char sep = *r;

		/* "171,2010/TLKS": a slash read as a comma before the year */
		if ((sep == ',' || sep == '.') && strspn(r + 1, "0123456789") ==
		    4 && r[5] == '/') {
			sep = '/';
			sfix = 1;
		}
		if (sep != '/' && sep != '-')
			break;
		q = parse_skip_spaces(r + 1);
		if (symbol_char(q) == 0)
			break;
		if (sohoa_buf_addch(&v, sep) != SOHOA_OK)
			goto nomem;
		r = q;
		while ((n = symbol_char(q)) > 0)
			q += n;
		/* "TI.kT-BS", "T1.KS-BS": an L's foot read as a stop */
		if (*q == '.' && symbol_char(q + 1) > 0 && !known_symbol(r,
		    (size_t)(q - r))) {
			int jrc = dotted_symbol(&v, r, &q, &sfix);

			if (jrc == SOHOA_ERR_NOMEM)
				goto nomem;
			if (jrc == SOHOA_OK) {
				p = q;
				continue;
			}
		}
		/* a group of digits (a year); "1LKT": a letter read as 1 */
		if (isdigit((unsigned char)*r) &&
		    strspn(r, "0123456789") >= (size_t)(q - r)) {
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


const char *
parse_province_at(size_t i)
{
	return i < sizeof(provinces) / sizeof(provinces[0]) ?
	    provinces[i].name : NULL;
}
