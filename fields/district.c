/*
 * The district of an address checked against the known places of its
 * province.  "huyện Di Lĩnh, tỉnh Lâm Đồng": the list of places
 * (lexicon/places.tsv) has no districts as such, but most districts gave
 * their name to a commune of the same province in 2025 ("Di Linh",
 * "Vĩnh Bảo", "Củ Chi"), so a district read with a mark or a letter off
 * such a name, in that province, is that name.  The province written
 * after it may be one from before the merger ("tỉnh Quảng Bình", now in
 * Quảng Trị): the provinces a written one is found in (its own entry in
 * the list) count too.  A reading that is itself a known place of the
 * province is kept, in either tone placement; one that two names of the
 * province fold like is left as read.  The name is written in the tone
 * placement of the address ("huyện Lệ Thuỷ" beside "xã Phú Thuỷ").
 * A commune numbered with a Roman numeral OCR read as a digit or letter
 * ("xã Tam Xuân 1", "xã Cây Trường H") takes the numeral when that names
 * a known place of the province.
 *
 *   respell_districts
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
#include "extract_private.h"

/* Units of the district level, as written inside an address. */
static const char *const units[] = {
	"huyện ", "quận ", "thị xã ", "thành phố ",
};

/* Province units that may follow the district. */
static const char *const provs[] = {
	", tỉnh ", ", thành phố ",
};

/* 1 when folded province list WHERE ("lamdong,hue,") holds one of SET. */
static int
where_meets(const char *where, const struct sohoa_buf *set)
{
	const char *s = set->buf;

	while (where != NULL && s != NULL && *s != '\0') {
		const char *e = strchr(s, ',');
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
		const char *w = where;

		while (w != NULL && *w != '\0') {
			if (strncmp(w, s, n) == 0 && w[n] == ',')
				return 1;
			w = strchr(w, ',');
			if (w != NULL)
				w++;
		}
		s = e != NULL ? e + 1 : NULL;
	}
	return 0;
}

/*
 * The provinces a written province of folded key PROV stands for, into
 * SET ("quangbinh,quangtri,"): itself, and those its own entry of the
 * list is found in (a province before the merger is in the one it joined).
 */
static int
province_set(const struct lexicon *places, const char *prov,
    struct sohoa_buf *set)
{
	const struct lex_entry *e;
	size_t n, k;
	int rc;

	rc = sohoa_buf_adds(set, prov);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addch(set, ',');
	e = lex_find(places, prov, &n);
	for (k = 0; e != NULL && k < n && rc == SOHOA_OK; k++)
		if (e[k].where != NULL)
			rc = sohoa_buf_adds(set, e[k].where);
	return rc;
}

/* Number of words of S. */
static size_t
word_count(const char *s)
{
	size_t n = 0;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s != '\0')
			n++;
		while (*s != '\0' && *s != ' ')
			s++;
	}
	return n;
}

/*
 * 1 when lower-case names A and B are one spelling: the same in either
 * tone placement, or but for the Jrai and Ê Đê "đăk" (water), which
 * official names write "Đăk", "Đắk" or "Đak" alike ("Đăk Pơ", "Đak Pơ").
 */
static int
same_spelling(const char *a, const char *b)
{
	static const char *const dak[] = { "đăk ", "đắk ", "đak " };
	size_t i, j;

	if (tone_same(a, strlen(a), b, strlen(b)))
		return 1;
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			if (i != j && strncmp(a, dak[i], strlen(dak[i])) == 0 &&
			    strncmp(b, dak[j], strlen(dak[j])) == 0)
				return same_spelling(a + strlen(dak[i]),
				    b + strlen(dak[j]));
	return 0;
}

/*
 * 1 when names A and B (lower case, as many words) differ in one word
 * only, by one edit of its folded key: "nậm đồ" and "nậm pồ", not "na
 * mèo", whose words part elsewhere.
 */
static int
one_word_off(const char *a, const char *b)
{
	struct sohoa_buf ka = SOHOA_BUF_INIT, kb = SOHOA_BUF_INIT;
	size_t na, nb, off = 0;
	int ok = 1;

	while (ok && *a != '\0' && *b != '\0') {
		na = strcspn(a, " ");
		nb = strcspn(b, " ");
		sohoa_buf_reset(&ka);
		sohoa_buf_reset(&kb);
		if (fkey_simple_n(a, na, &ka) != SOHOA_OK ||
		    fkey_simple_n(b, nb, &kb) != SOHOA_OK)
			ok = 0;
		else if (strcmp(ka.buf, kb.buf) != 0)
			ok = ++off == 1 &&
			    sohoa_edit_distance(ka.buf, kb.buf, 1) == 1;
		a += na + (a[na] == ' ');
		b += nb + (b[nb] == ' ');
	}
	sohoa_buf_release(&ka);
	sohoa_buf_release(&kb);
	return ok && off == 1 && *a == '\0' && *b == '\0';
}

/*
 * The current place of the province (SET) with READ's number of words,
 * one word of which is one edit from READ's (one_word_off), when all
 * such share one key: a letter off is told within one province ("Nghĩ
 * Lậc" is Nghệ An's "Nghi Lộc") where the whole country's list holds
 * other names a letter away.  NULL when none or two keys.
 */
static const struct lex_entry *
province_near(const struct lexicon *places, const char *key,
    const char *read, const struct sohoa_buf *set)
{
	const struct lex_entry *hit = NULL;
	size_t i, len = strlen(key), el;

	for (i = 0; i < places->n; i++) {
		const struct lex_entry *e = &places->v[i];

		el = strlen(e->key);
		if (e->weight < 2 || el + 1 < len || el > len + 1 ||
		    !where_meets(e->where, set) ||
		    word_count(e->low) != word_count(read) ||
		    sohoa_edit_distance(e->key, key, 1) > 1 ||
		    !one_word_off(e->low, read))
			continue;
		if (hit != NULL && strcmp(hit->key, e->key) != 0)
			return NULL;
		if (hit == NULL)
			hit = e;
	}
	return hit;
}

/*
 * The one spelling of the province's current places (a district's name
 * lives on in a commune of 2025; a commune of before, "Hương Hóa" beside
 * the district "Hướng Hóa", does not say how a district is spelt) that
 * folded KEY (or, when none folds so and KEY has six letters or more,
 * the one name a letter away) stands for, with as many words as READ
 * ("Krông A Na" is no slip of "Krông Ana", "Châu Thành A" none of "Châu
 * Thành"): NULL when READ (lower case) is itself one of them, when there
 * is none, or when two are as near the reading, marks and all ("Thuận
 * IHóa" is "Thuận Hóa", not "Thuận Hòa").  *PNEAR: found a letter off
 * within the province only (province_near), which flags the field.
 */
static const struct lex_entry *
district_spelling(const struct lexicon *places, const char *key,
    const char *read, const struct sohoa_buf *set, int *pnear)
{
	const struct lex_entry *e, *pick = NULL;
	size_t n, k;
	int tie = 0;

	*pnear = 0;

	e = lex_find(places, key, &n);
	if (e == NULL && strlen(key) >= 6) {
		const struct lex_entry *near = lex_near(places, key);

		if (near != NULL)
			e = lex_find(places, near->key, &n);
	}
	if (e == NULL && strlen(key) >= 5) {
		const struct lex_entry *near = province_near(places, key,
		    read, set);

		if (near != NULL)
			e = lex_find(places, near->key, &n);
		*pnear = near != NULL;
	}
	for (k = 0; e != NULL && k < n; k++) {
		if (!where_meets(e[k].where, set))
			continue;
		if (same_spelling(e[k].low, read))
			return NULL;
		if (e[k].weight < 2 || word_count(e[k].low) != word_count(read))
			continue;
		/* of two, the one nearer the reading, marks and all */
		if (pick != NULL && !tone_same(pick->low, strlen(pick->low),
		    e[k].low, strlen(e[k].low))) {
			size_t a = sohoa_edit_distance(pick->low, read, 8);
			size_t b = sohoa_edit_distance(e[k].low, read, 8);

			if (a == b)
				tie = 1;
			if (b < a) {
				pick = &e[k];
				tie = 0;
			}
		}
		if (pick == NULL)
			pick = &e[k];
	}
	return tie ? NULL : pick;
}

/* Old-style endings for the new style's "òa", "ủy"...: the mark moves. */
static const char *const old_pairs[][2] = {
	{ "òa", "oà" }, { "óa", "oá" }, { "ỏa", "oả" }, { "õa", "oã" },
	{ "ọa", "oạ" }, { "òe", "oè" }, { "óe", "oé" }, { "ỏe", "oẻ" },
	{ "õe", "oẽ" }, { "ọe", "oẹ" }, { "ùy", "uỳ" }, { "úy", "uý" },
	{ "ủy", "uỷ" }, { "ũy", "uỹ" }, { "ụy", "uỵ" },
};

/*
 * 1 when a word of address V is written in the old tone placement
 * ("Thuỷ", "Hoà"): tone_new changes it.
 */
static int
old_style(const char *v)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	size_t i = 0, e;
	int r = 0;

	while (v[i] != '\0' && !r) {
		while (v[i] == ' ' || v[i] == ',')
			i++;
		for (e = i; v[e] != '\0' && v[e] != ' ' && v[e] != ','; e++)
			;
		sohoa_buf_reset(&t);
		if (e > i && tone_new(v + i, e - i, &t) == SOHOA_OK)
			r = t.len != e - i || memcmp(t.buf, v + i, e - i) != 0;
		i = e;
	}
	sohoa_buf_release(&t);
	return r;
}

/*
 * Append name S to OUT, in the old tone placement when OLD: a word
 * ending in one of old_pairs' new-style pairs takes the old one.
 */
static int
add_styled(struct sohoa_buf *out, const char *s, int old)
{
	size_t i = 0, e, k, pl;
	int rc = SOHOA_OK;

	while (s[i] != '\0' && rc == SOHOA_OK) {
		for (e = i; s[e] != '\0' && s[e] != ' '; e++)
			;
		for (k = 0; old && k < sizeof(old_pairs) /
		    sizeof(old_pairs[0]); k++) {
			pl = strlen(old_pairs[k][0]);
			if (e - i >= pl && memcmp(s + e - pl, old_pairs[k][0],
			    pl) == 0)
				break;
		}
		if (old && k < sizeof(old_pairs) / sizeof(old_pairs[0])) {
			rc = sohoa_buf_add(out, s + i, e - i - pl);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_adds(out, old_pairs[k][1]);
		} else
			rc = sohoa_buf_add(out, s + i, e - i);
		if (rc == SOHOA_OK && s[e] == ' ')
			rc = sohoa_buf_addch(out, ' ');
		i = s[e] == ' ' ? e + 1 : e;
	}
	return rc;
}

/*
 * Place value R with its bytes [AT, END) replaced by TEXT, marked
 * mended (the reading stays in R's raw text).
 */
static int
splice_value(struct result *r, size_t at, size_t end, const char *text)
{
	struct sohoa_buf nv = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_buf_add(&nv, r->value.buf, at);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&nv, text);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&nv, r->value.buf + end);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&nv);
		return rc;
	}
	sohoa_buf_release(&r->value);
	r->value = nv;
	r->fixed = 1;
	return SOHOA_OK;
}

/*
 * The district after byte AT of place value R (its unit ends there) set
 * to its known spelling; *PNEXT: where to look on.
 */
static int
check_district(const struct lexicon *places, struct result *r, size_t at,
    size_t *pnext)
{
	const char *v = r->value.buf;
	struct sohoa_buf key = SOHOA_BUF_INIT, pkey = SOHOA_BUF_INIT,
	    set = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT, name = SOHOA_BUF_INIT;
	const struct lex_entry *to;
	size_t end, p, pe, k;
	int rc = SOHOA_OK, near = 0;

	*pnext = at;
	end = at + strcspn(v + at, ",");
	*pnext = end;
	if (end == at || !text_starts_upper(v + at, end - at))
		return SOHOA_OK;
	for (k = 0; k < sizeof(provs) / sizeof(provs[0]); k++)
		if (strncmp(v + end, provs[k], strlen(provs[k])) == 0)
			break;
	if (k == sizeof(provs) / sizeof(provs[0]))
		return SOHOA_OK;
	p = end + strlen(provs[k]);
	pe = p + strcspn(v + p, ",");
	rc = fkey_simple_n(v + at, end - at, &key);
	if (rc == SOHOA_OK)
		rc = fkey_simple_n(v + p, pe - p, &pkey);
	if (rc != SOHOA_OK || key.len == 0 || pkey.len == 0)
		goto out;
	rc = province_set(places, pkey.buf, &set);
	if (rc == SOHOA_OK) {
		struct sohoa_buf t = SOHOA_BUF_INIT;

		rc = sohoa_buf_add(&t, v + at, end - at);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_lower(t.buf, &low);
		sohoa_buf_release(&t);
	}
	if (rc != SOHOA_OK)
		goto out;
	to = district_spelling(places, key.buf, low.buf, &set, &near);
	if (to == NULL)
		goto out;
	rc = add_styled(&name, to->word, old_style(v));
	if (rc == SOHOA_OK)
		rc = splice_value(r, at, end, name.buf);
	if (rc != SOHOA_OK)
		goto out;
	*pnext = at + name.len;
	/* a letter off within the province is a guess: for review */
	if (near)
		r->doubt = 1;
out:
	sohoa_buf_release(&key);
	sohoa_buf_release(&pkey);
	sohoa_buf_release(&set);
	sohoa_buf_release(&low);
	sohoa_buf_release(&name);
	return rc;
}

/*
 * Roman numerals that number communes of one name ("Tam Xuân I", "Cây
 * Trường II"), and what OCR reads for them: I as a 1, l, T or |; II as
 * an H, 11 or ll.
 */
static const struct {
	const char *read, *roman;
} numerals[] = {
	{ "1", "I" }, { "l", "I" }, { "T", "I" }, { "|", "I" },
	{ "H", "II" }, { "11", "II" }, { "ll", "II" }, { "Il", "II" },
	{ "lI", "II" }, { "1I", "II" }, { "I1", "II" },
	{ "111", "III" }, { "lll", "III" }, { "Ill", "III" },
};

/*
 * The commune after byte AT of place value R, whose last word reads like
 * a Roman numeral ("xã Tam Xuân 1"), set to the name with that numeral
 * when that is a known place of the province closing the address and the
 * reading is none; *PNEXT: where to look on.
 */
static int
check_numeral(const struct lexicon *places, struct result *r, size_t at,
    size_t *pnext)
{
	const char *v = r->value.buf, *p = NULL, *q;
	struct sohoa_buf key = SOHOA_BUF_INIT, pkey = SOHOA_BUF_INIT,
	    set = SOHOA_BUF_INIT, name = SOHOA_BUF_INIT;
	const struct lex_entry *e;
	size_t end, last, k, n, j, pe;
	int rc = SOHOA_OK, known = 0;

	end = at + strcspn(v + at, ",");
	*pnext = end;
	for (last = end; last > at && v[last - 1] != ' '; last--)
		;
	if (last <= at + 1)
		return SOHOA_OK;
	for (k = 0; k < sizeof(numerals) / sizeof(numerals[0]); k++)
		if (strlen(numerals[k].read) == end - last &&
		    memcmp(v + last, numerals[k].read, end - last) == 0)
			break;
	if (k == sizeof(numerals) / sizeof(numerals[0]))
		return SOHOA_OK;
	/* the province closing the address */
	for (j = 0; j < sizeof(provs) / sizeof(provs[0]); j++)
		for (q = v + end; (q = strstr(q, provs[j])) != NULL; q++)
			if (p == NULL || q > p)
				p = q + strlen(provs[j]);
	if (p == NULL)
		return SOHOA_OK;
	pe = (size_t)(p - v) + strcspn(p, ",");
	rc = fkey_simple_n(p, pe - (size_t)(p - v), &pkey);
	if (rc == SOHOA_OK && pkey.len > 0)
		rc = province_set(places, pkey.buf, &set);
	/* the reading itself known there ("A Lưới 1") stays */
	if (rc == SOHOA_OK && pkey.len > 0)
		rc = fkey_simple_n(v + at, end - at, &key);
	if (rc != SOHOA_OK || key.len == 0)
		goto out;
	e = lex_find(places, key.buf, &n);
	for (j = 0; e != NULL && j < n; j++)
		known |= where_meets(e[j].where, &set);
	if (known)
		goto out;
	rc = sohoa_buf_add(&name, v + at, last - at);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&name, numerals[k].roman);
	sohoa_buf_reset(&key);
	if (rc == SOHOA_OK)
		rc = fkey_simple_n(name.buf, name.len, &key);
	if (rc != SOHOA_OK)
		goto out;
	e = lex_find(places, key.buf, &n);
	for (j = 0; e != NULL && j < n && !known; j++)
		known = where_meets(e[j].where, &set);
	if (!known)
		goto out;
	rc = splice_value(r, at, end, name.buf);
	if (rc == SOHOA_OK)
		*pnext = at + name.len;
out:
	sohoa_buf_release(&key);
	sohoa_buf_release(&pkey);
	sohoa_buf_release(&set);
	sohoa_buf_release(&name);
	return rc;
}

/* Unit words of communes, as written inside an address. */
static const char *const communes[] = {
	"xã ", "phường ", "thị trấn ",
};

/*
 * Call CHECK at every unit word of WORDS[0..N) that starts a word of
 * place value R, after the unit word; CHECK says where to look on.
 */
static int
each_unit(const struct lexicon *places, struct result *r,
    const char *const *words, size_t n,
    int (*check)(const struct lexicon *, struct result *, size_t, size_t *))
{
	size_t u, at, next, off;
	const char *p;
	int rc = SOHOA_OK;

	for (u = 0; u < n && rc == SOHOA_OK; u++)
		for (at = 0; rc == SOHOA_OK &&
		    (p = strstr(r->value.buf + at, words[u])) != NULL; ) {
			off = (size_t)(p - r->value.buf);
			at = off + strlen(words[u]);
			if (off > 0 && p[-1] != ' ')
				continue;
			rc = check(places, r, at, &next);
			at = next;
		}
	return rc;
}

int
respell_districts(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res)
{
	size_t i;
	int rc = SOHOA_OK;

	if (dt->places.n == 0)
		return SOHOA_OK;
	for (i = 0; i < d->t->nfields && rc == SOHOA_OK; i++) {
		if (strcmp(d->t->fields[i].type, "place") != 0 ||
		    !res[i].found || !res[i].valid)
			continue;
		rc = each_unit(&dt->places, &res[i], units,
		    sizeof(units) / sizeof(units[0]), check_district);
		if (rc == SOHOA_OK)
			rc = each_unit(&dt->places, &res[i], communes,
			    sizeof(communes) / sizeof(communes[0]),
			    check_numeral);
	}
	return rc;
}
