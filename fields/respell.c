/*
 * Respelling with the known names and places (lexicon/), and the commune
 * name made consistent where it is read several times.  The lists help
 * only where OCR is unsure: a reading that is itself a known name or
 * place is kept, in either tone placement; a reading that is none, but a
 * tone slip or one letter off a known one, is respelt, and every
 * respelling flags its field for review (the old reading stays in the
 * field's raw text).
 *
 *   respell_communes   the commune of issuer, place-date line, addresses
 *   respell_names      the words of names
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

/*
 * Upper case of a Vietnamese letter: Latin-1, the few letters of Latin
 * Extended-A/B Vietnamese uses, and Latin Extended Additional (where a
 * capital is the even code point before its small letter).
 */
static int32_t
upper_cp(int32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return cp - 32;
	if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
		return cp - 32;
	if (cp == 0x103 || cp == 0x111 || cp == 0x129 || cp == 0x169 ||
	    cp == 0x1A1)
		return cp - 1;
	if (cp == 0x1B0)
		return 0x1AF;
	if (cp >= 0x1EA0 && cp <= 0x1EF9 && (cp & 1))
		return cp - 1;
	return cp;
}

/* A spelling of the commune name seen in the document. */
struct spelling {
	struct sohoa_buf low;	/* lower case, for counting */
	struct sohoa_buf key;	/* folded, for grouping */
	size_t field;		/* which result it came from, or (size_t)-1 */
	size_t start, end;	/* its bytes in that result's value */
	int small;		/* it starts with a small letter ("la Băng") */
};

struct spellings {
	struct spelling *v;
	size_t n, alloc;
};

static int
add_spelling(struct spellings *sp, const char *text, size_t start,
    size_t end, size_t field)
{
	struct spelling *s;
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	int rc;

	if (end <= start)
		return SOHOA_OK;
	if (sp->n == sp->alloc) {
		size_t na = sp->alloc ? 2 * sp->alloc : 16;
		struct spelling *nv = realloc(sp->v, na * sizeof(*nv));

		if (nv == NULL)
			return SOHOA_ERR_NOMEM;
		sp->v = nv;
		sp->alloc = na;
	}
	s = &sp->v[sp->n];
	sohoa_buf_init(&s->low);
	sohoa_buf_init(&s->key);
	s->field = field;
	s->small = islower((unsigned char)text[start]) ||
	    isdigit((unsigned char)text[start]);
	s->start = start;
	s->end = end;
	rc = sohoa_buf_add(&tmp, text + start, end - start);
	if (rc == SOHOA_OK)
		rc = sohoa_utf8_lower(tmp.buf, &s->low);
	if (rc == SOHOA_OK)
		rc = fkey_simple(tmp.buf, &s->key);
	sohoa_buf_release(&tmp);
	sp->n++;
	return rc;
}

static void
spellings_release(struct spellings *sp)
{
	size_t i;

	for (i = 0; i < sp->n; i++) {
		sohoa_buf_release(&sp->v[i].low);
		sohoa_buf_release(&sp->v[i].key);
	}
	free(sp->v);
	memset(sp, 0, sizeof(*sp));
}

/*
 * Length of the run of capitalised words at S (a name), up to a comma,
 * with a number that ends it ("Móng Cái 1", "Phường 3" after the unit).
 * The Jarai and Ê Đê prefix "Ia" of many communes of the Central
 * Highlands is often read "la", "1a" or "1A" (I, l and 1 look alike);
 * such a first word before a capitalised one counts, so that the known
 * places can set it right ("xã la Băng" -> "xã Ia Băng").
 */
static size_t
name_span(const char *s, int caps)
{
	size_t i = 0, end = 0, j;
	int32_t cp;

	if ((s[0] == 'l' || s[0] == '1') && (s[1] == 'a' || s[1] == 'A') &&
	    s[2] == ' ' && s[3] != '\0') {
		sohoa_utf8_decode(s + 3, strlen(s + 3), &cp);
		if (upper_cp(cp) == cp && (cp >= 0x80 || isupper((int)cp)))
			i = 3;
	}
	for (;;) {
		size_t n;

		if (s[i] == '\0')
			break;
		n = sohoa_utf8_decode(s + i, strlen(s + i), &cp);
		/* each word starts with a capital */
		if (upper_cp(cp) != cp || !(cp >= 'A' || cp >= 0x80))
			break;
		if (cp < 0x80 && !isupper((int)cp))
			break;
		i += n;
		while (s[i] != '\0' && s[i] != ' ' && s[i] != ',') {
			n = sohoa_utf8_decode(s + i, strlen(s + i), &cp);
			/* in a Title Case name the rest is small */
			if (!caps && cp < 0x80 && isupper((int)cp))
				return end;
			i += n;
		}
		end = i;
		if (s[i] != ' ')
			break;
		i++;
	}
	/* a number of one or two digits that ends the name */
	if (end > 0 && s[end] == ' ') {
		for (j = end + 1; isdigit((unsigned char)s[j]); j++)
			;
		if (j > end + 1 && j - end <= 3 &&
		    (s[j] == '\0' || s[j] == ',' || s[j] == ' '))
			end = j;
	}
	return end;
}

/*
 * Collect the commune name from a place value V of result FI: the words
 * after "xã", "phường" or "thị trấn".
 */
static int
place_spellings(const char *v, size_t fi, struct spellings *sp)
{
	static const char *const units[] = {
		"xã ", "Xã ", "phường ", "Phường ", "thị trấn ", "Thị trấn ",
	};
	size_t u, at, len;
	int rc = SOHOA_OK;

	for (u = 0; u < sizeof(units) / sizeof(units[0]) && rc == SOHOA_OK;
	    u++) {
		const char *p = v;

		while (rc == SOHOA_OK && (p = strstr(p, units[u])) != NULL) {
			at = (size_t)(p - v) + strlen(units[u]);
			if (p == v || p[-1] == ' ') {
				len = name_span(v + at, 0);
				rc = add_spelling(sp, v, at, at + len, fi);
			}
			p += strlen(units[u]);
		}
	}
	return rc;
}

/* Write S (lower case) as a name: capitals at word starts, or all caps. */
static int
add_name_case(struct sohoa_buf *out, const char *s, int caps)
{
	size_t i = 0, len = strlen(s), n;
	int32_t cp;
	int start = 1, rc = SOHOA_OK;

	while (i < len && rc == SOHOA_OK) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		rc = sohoa_utf8_add_cp(out, start || caps ? upper_cp(cp) : cp);
		start = cp == ' ';
		i += n;
	}
	return rc;
}

/*
 * Write spelling LOW (lower case) over occurrence I of SP in its result,
 * in the result's case style.  The result's other occurrences moved and
 * are dropped from SP.
 */
static int
respell(const struct doc *d, struct result *res, struct spellings *sp,
    size_t i, const char *low)
{
	struct result *r = &res[sp->v[i].field];
	struct sohoa_buf nv = SOHOA_BUF_INIT;
	int caps = strcmp(d->t->fields[sp->v[i].field].type, "unit") == 0;
	size_t k;
	int rc;

	rc = sohoa_buf_add(&nv, r->value.buf, sp->v[i].start);
	if (rc == SOHOA_OK)
		rc = add_name_case(&nv, low, caps);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&nv, r->value.buf + sp->v[i].end);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&nv);
		return rc;
	}
	/*
	 * A place respelt to a known one is a guess from the list, however
	 * close: a person looks at it (the reading stays in raw).
	 */
	if (strcmp(nv.buf, r->value.buf) != 0)
		r->doubt = 1;
	sohoa_buf_release(&r->value);
	r->value = nv;
	r->fixed = 1;
	for (k = 0; k < sp->n; k++)
		if (k != i && sp->v[k].field == sp->v[i].field)
			sp->v[k].field = (size_t)-1;
	sp->v[i].field = (size_t)-1;
	return SOHOA_OK;
}

/*
 * The folded name of the province written after a commune name ending at
 * byte END of V (", tỉnh Lâm Đồng", ", thành phố Huế") into KEY; KEY is
 * left empty when none follows.
 */
static int
province_after(const char *v, size_t end, struct sohoa_buf *key)
{
	static const char *const kinds[] = { ", tỉnh ", ", thành phố ",
		", Tỉnh ", ", Thành phố " };
	const char *p = v + end, *e;
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strncmp(p, kinds[k], strlen(kinds[k])) == 0)
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return SOHOA_OK;
	p += strlen(kinds[k]);
	e = strchr(p, ',');
	return fkey_simple_n(p, e != NULL ? (size_t)(e - p) : strlen(p), key);
}

/* 1 when entry E is found in the province of folded key PROV. */
static int
in_province(const struct lex_entry *e, const char *prov)
{
	const char *w = e->where;
	size_t n = strlen(prov);

	while (w != NULL && *w != '\0') {
		if (strncmp(w, prov, n) == 0 && w[n] == ',')
			return 1;
		w = strchr(w, ',');
		if (w != NULL)
			w++;
	}
	return 0;
}

/* At most this many known places share a folded name in one province. */
#define PLACE_PICK 16

/*
 * The known places whose key is KEY, only those of province PROV (folded;
 * "" for any), heaviest first, into OUT; returns how many.
 */
static size_t
place_candidates(const struct lexicon *lx, const char *key, const char *prov,
    const struct lex_entry **out)
{
	const struct lex_entry *e;
	size_t n, k, m = 0;

	e = lex_find(lx, key, &n);
	for (k = 0; e != NULL && k < n && m < PLACE_PICK; k++)
		if (*prov == '\0' || in_province(&e[k], prov))
			out[m++] = &e[k];
	return m;
}

/*
 * How commune or province name LOW (lower case, folded KEY), followed by
 * province PROV ("" when none is written), should be spelt: NULL when it
 * is spelt as the heaviest known name it can be, else that name.  The
 * candidates are the known names that fold alike, then, when there are
 * none, the same with "Ia" for a leading "la"/"1a" (Central Highlands
 * communes, I and l and 1 look alike), then the one known name a letter
 * away ("QUẬẢNG HÒA"); when the province is written, only names found in
 * it count ("Đăk Song" in Gia Lai, "Đắk Song" in Lâm Đồng; "La Bằng" is
 * in Thái Nguyên, so "la Bằng, tỉnh Gia Lai" is "Ia Băng").  SMALL: the
 * name was read with a small first letter, which is wrong even when the
 * letters are right.
 */
static const struct lex_entry *
place_spelling(const struct sohoa_doctypes *dt, const char *key,
    const char *low, const char *prov, int small)
{
	const struct lex_entry *c[PLACE_PICK], *e;
	size_t m, k;

	m = place_candidates(&dt->places, key, prov, c);
	if (m == 0 && (key[0] == 'l' || key[0] == '1') && key[1] == 'a') {
		char *alt = strdup(key);

		if (alt == NULL)
			return NULL;
		alt[0] = 'i';
		m = place_candidates(&dt->places, alt, prov, c);
		free(alt);
	}
	if (m == 0 && strlen(key) >= 6) {
		e = lex_near(&dt->places, key);
		if (e != NULL && (*prov == '\0' || in_province(e, prov)))
			c[m++] = e;
	}
	/*
	 * A reading that is itself a known place is kept, in either tone
	 * placement ("Tiên Phong" before the merger beside "Tiền Phong",
	 * "Hoà" and "Hòa"); only a reading that is none is respelt.
	 */
	for (k = 0; k < m; k++)
		if (tone_same(c[k]->low, strlen(c[k]->low), low, strlen(low)))
			return small ? c[k] : NULL;	/* "la Bằng": the case */
	return m > 0 ? c[0] : NULL;
}

/* 1 when reading LOW (folded KEY) is itself a known place of PROV. */
static int
place_known(const struct sohoa_doctypes *dt, const char *key,
    const char *low, const char *prov)
{
	const struct lex_entry *c[PLACE_PICK];
	size_t m, k;

	m = place_candidates(&dt->places, key, prov, c);
	for (k = 0; k < m; k++)
		if (tone_same(c[k]->low, strlen(c[k]->low), low, strlen(low)))
			return 1;
	return 0;
}

/*
 * Index of another reading of the same name in SP (same folded key as
 * reading I) that is itself a known place, or (size_t)-1: "XÃ VAN THUỶ"
 * in the header beside "Vạn Thuỷ, ngày …" is that commune, not the
 * heaviest name that folds alike ("Vân Thủy").
 */
static size_t
known_sibling(const struct sohoa_doctypes *dt, const struct spellings *sp,
    size_t i)
{
	size_t j;

	for (j = 0; j < sp->n; j++)
		if (j != i && strcmp(sp->v[j].key.buf, sp->v[i].key.buf) == 0 &&
		    !sp->v[j].small && place_known(dt, sp->v[j].key.buf,
		    sp->v[j].low.buf, ""))
			return j;
	return (size_t)-1;
}

/*
 * Each commune or province name read in a result (or the place-date line)
 * is set to its known spelling (see place_spelling) where it stands, or
 * to another reading of it in the document that is a known place;
 * every occurrence takes that spelling for the vote that follows.
 */
static int
known_places(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res, struct spellings *sp)
{
	struct sohoa_buf prov = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < sp->n && rc == SOHOA_OK; i++) {
		const struct lex_entry *to;
		size_t sib;

		if (sp->v[i].key.len == 0)
			continue;
		sohoa_buf_reset(&prov);
		if (sp->v[i].field != (size_t)-1)
			rc = province_after(res[sp->v[i].field].value.buf,
			    sp->v[i].end, &prov);
		if (rc != SOHOA_OK)
			break;
		to = place_spelling(dt, sp->v[i].key.buf, sp->v[i].low.buf,
		    prov.len > 0 ? prov.buf : "", sp->v[i].small);
		if (to == NULL)
			continue;
		sib = known_sibling(dt, sp, i);
		sohoa_buf_reset(&sp->v[i].low);
		rc = sohoa_buf_adds(&sp->v[i].low, sib != (size_t)-1 ?
		    sp->v[sib].low.buf : to->low);
		if (rc == SOHOA_OK && sp->v[i].field != (size_t)-1)
			rc = respell(d, res, sp, i, sp->v[i].low.buf);
	}
	sohoa_buf_release(&prov);
	return rc;
}

/*
 * A name syllable read as a rare one (weight this or less) that folds like
 * one NAME_OUTWEIGH times as common is taken for an OCR slip ("Thể" ->
 * "Thế").
 */
#define NAME_RARE 2
#define NAME_OUTWEIGH 20

/* A name read with at least this confidence is not respelt. */
#define NAME_SURE_CONF 80.0f

/*
 * 1 when some entry of X (N of them) is spelt LOW, in either tone
 * placement ("Thuỷ", "Thủy"); its index in *PK.
 */
static int
lex_has_tone(const struct lex_entry *x, size_t n, const char *low,
    size_t *pk)
{
	size_t k;

	for (k = 0; x != NULL && k < n; k++)
		if (tone_same(x[k].low, strlen(x[k].low), low, strlen(low))) {
			*pk = k;
			return 1;
		}
	return 0;
}

/* 1 when LOW (folded KEY) is spelt as an entry of LX, either tone style. */
static int
lex_known(const struct lexicon *lx, const char *key, const char *low)
{
	const struct lex_entry *x;
	size_t n, k;

	x = lex_find(lx, key, &n);
	return lex_has_tone(x, n, low, &k);
}

/*
 * Could OCR have read TO as LOW: with the same letters but for tone marks
 * and đ/d ("Chỉ" for "Chi", "QUẦN" for "QUÂN"), or with every mark lost
 * ("Diem" for "Diễm")?  A different vowel ("Tám" for "Tâm") is another
 * name, not a slip.
 */
static int
tone_slip(const char *low, const char *to, const char *key)
{
	struct sohoa_buf a = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT;
	int r;

	if (strcmp(low, key) == 0)
		return 1;
	r = sohoa_utf8_untone(low, &a) == SOHOA_OK &&
	    sohoa_utf8_untone(to, &b) == SOHOA_OK && strcmp(a.buf, b.buf) == 0;
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	return r;
}

/*
 * The spelling to write for word LOW (lower case, folded KEY) of a name,
 * or NULL to keep it: the most common known surname (FIRST) or middle or
 * given name that folds alike and differs by a tone slip, when LOW is no
 * known name at all ("Chỉ", "Diem", "Ðuy") or a rare one far outweighed
 * ("Thể").  The lists are not complete: a respelt name is flagged for
 * review.
 */
/*
 * 1 when LOW (a lower-case word) is a Vietnamese syllable spelt as the
 * language spells it: text_syllable, and c not before e, ê, i or y (k
 * is written there: "Cêng" is no syllable, "Công" read with a slip).
 */
static int
name_syllable(const char *low)
{
	struct sohoa_buf d = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT;
	int r = text_syllable(low);

	/* tones off, vowel marks composed again: "cếng" -> "cêng" */
	if (r && low[0] == 'c' && low[1] != 'h' &&
	    sohoa_utf8_untone(low, &d) == SOHOA_OK &&
	    sohoa_utf8_nfc(d.buf, d.len, &b) == SOHOA_OK &&
	    (b.buf[1] == 'e' || b.buf[1] == 'i' || b.buf[1] == 'y' ||
	    strncmp(b.buf + 1, "ê", strlen("ê")) == 0))
		r = 0;
	sohoa_buf_release(&d);
	sohoa_buf_release(&b);
	return r;
}

/* Surnames this common are what an impossible spelling was meant for. */
#define SURNAME_COMMON 100

/*
 * A surname read as no Vietnamese syllable at all ("Nghyễn", "Tiần") is
 * the common surname one letter away ("Nguyễn", "Trần"), when exactly one
 * of the heaviest is; a reading that could be a syllable is left alone.
 */
static const char *
surname_one_off(const struct sohoa_doctypes *dt, const char *key,
    const char *low)
{
	const struct lex_entry *best = NULL;
	size_t i;
	int ties = 0;

	if (name_syllable(low) || strlen(key) < 3)
		return NULL;
	for (i = 0; i < dt->surnames.n; i++) {
		const struct lex_entry *e = &dt->surnames.v[i];

		if (e->weight < SURNAME_COMMON ||
		    sohoa_edit_distance(key, e->key, 1) > 1)
			continue;
		if (best == NULL || e->weight > best->weight) {
			best = e;
			ties = 0;
		} else if (e->weight == best->weight)
			ties++;
	}
	return best != NULL && ties == 0 ? best->low : NULL;
}

/*
 * A middle or given name (names.tsv weight) or a surname this common is
 * what an unsure reading with the same letters but another vowel mark
 * was meant for.
 */
#define NAME_COMMON 40
#define SURNAME_MARK 20

static const char *
name_respelling(const struct sohoa_doctypes *dt, const char *key,
    const char *low, int first, int sure, int word_unsure)
{
	const struct lexicon *own = first ? &dt->surnames : &dt->names;
	const struct lex_entry *x, *y;
	size_t n, ny, k;

	x = lex_find(own, key, &n);
	if (x == NULL)
		return first ? surname_one_off(dt, key, low) : NULL;
	/*
	 * A reading that is itself a known name is kept, in either tone
	 * placement, unless OCR was unsure of it and it is a rare twin of
	 * a common one ("Thể" for "Thế").
	 */
	if (lex_has_tone(x, n, low, &k))
		return !sure && k > 0 && x[k].weight <= NAME_RARE &&
		    x[0].weight >= NAME_OUTWEIGH * x[k].weight &&
		    tone_slip(low, x[0].low, key) ? x[0].low : NULL;
	/*
	 * A reading that is another kind of name is kept too ("Trung" is a
	 * surname and a given name), but for the surname's place read
	 * unsure as a given name that no surname spells so: the known
	 * surname a tone slip away was meant ("Quảng" for "Quàng").
	 */
	y = lex_find(first ? &dt->names : &dt->surnames, key, &ny);
	if (lex_has_tone(y, ny, low, &k) && (!first || sure))
		return NULL;
	/* the most common of those a slip away */
	for (k = 0; k < n; k++)
		if (tone_slip(low, x[k].low, key))
			return x[k].low;
	/*
	 * A vowel mark too ("Hỏng" for "Hồng") is another word when read
	 * sure; read unsure, and no name at all, it is the common name of
	 * those letters.
	 */
	if (word_unsure && x[0].weight >= (first ? SURNAME_MARK :
	    NAME_COMMON))
		return x[0].low;
	return NULL;
}

/*
 * The word of RAW (the text as read) that folds to KEY, when it is itself
 * a known name of LX spelt otherwise than LOW and not a rare one: the
 * parser restored marks on a surname that has its own unmarked form
 * ("Chau" of Khmer names, not "Châu").  Its bytes in *PN; else NULL.
 */
static const char *
raw_known(const struct lexicon *lx, const char *raw, const char *key,
    const char *low, size_t *pn)
{
	struct sohoa_buf k = SOHOA_BUF_INIT, l = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	const char *w, *e, *hit = NULL;
	size_t n, nx, j;

	for (w = raw; hit == NULL && w != NULL && *w != '\0';
	    w = *e ? e + 1 : e) {
		e = w + strcspn(w, " ,;");
		n = (size_t)(e - w);
		sohoa_buf_reset(&k);
		sohoa_buf_reset(&l);
		if (n == 0 || fkey_simple_n(w, n, &k) != SOHOA_OK ||
		    strcmp(k.buf, key) != 0 ||
		    sohoa_buf_add(&l, w, n) != SOHOA_OK)
			continue;
		sohoa_buf_reset(&k);
		if (sohoa_utf8_lower(l.buf, &k) != SOHOA_OK ||
		    strcmp(k.buf, low) == 0)
			break;
		x = lex_find(lx, key, &nx);
		if (lex_has_tone(x, nx, k.buf, &j) && x[j].weight > NAME_RARE) {
			hit = w;
			*pn = n;
		}
	}
	sohoa_buf_release(&k);
	sohoa_buf_release(&l);
	return hit;
}

/*
 * OCR's confidence in the word of line LI of D that folds to KEY (the
 * first such), else in the first word KEY opens or ends (a word the
 * parser split off: "Cat" of "CatYhanh"), or 100 when none does: only
 * a word known to be unsure is respelt below.
 */
static float
word_conf(const struct doc *d, size_t li, const char *key)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	const struct xline *l;
	size_t i, n = strlen(key);
	float conf = 100, part = -1;

	if (li >= d->nlines)
		return conf;
	l = &d->lines[li];
	for (i = 0; i < l->ntoks; i++) {
		sohoa_buf_reset(&k);
		if (fkey_simple_n(l->text + l->toks[i].start,
		    l->toks[i].end - l->toks[i].start, &k) != SOHOA_OK)
			break;
		if (strcmp(k.buf, key) == 0) {
			conf = l->toks[i].conf;
			break;
		}
		if (part < 0 && n >= 2 && k.len > n &&
		    (strncmp(k.buf, key, n) == 0 ||
		    strcmp(k.buf + k.len - n, key) == 0))
			part = l->toks[i].conf;
	}
	if (i == l->ntoks && part >= 0)
		conf = part;
	sohoa_buf_release(&k);
	return conf;
}

/*
 * Of the known names a letter from a reading, one this many times as
 * common as the next is the one meant.
 */
#define LETTER_OUTWEIGH 10

/* Edit distance of A and B counted in code points, marks kept; at most 3. */
static size_t
cp_distance(const char *a, const char *b)
{
	int32_t x[32], y[32];
	size_t nx = 0, ny = 0, i, j, prev[33], cur[33];
	int32_t cp;
	size_t k;

	for (; *a != '\0' && nx < 32; a += k, nx++)
		if ((k = sohoa_utf8_decode(a, strlen(a), &cp)) == 0)
			return 2;
		else
			x[nx] = cp;
	for (; *b != '\0' && ny < 32; b += k, ny++)
		if ((k = sohoa_utf8_decode(b, strlen(b), &cp)) == 0)
			return 2;
		else
			y[ny] = cp;
	if (*a != '\0' || *b != '\0')
		return 2;
	for (j = 0; j <= ny; j++)
		prev[j] = j;
	for (i = 1; i <= nx; i++) {
		cur[0] = i;
		for (j = 1; j <= ny; j++) {
			size_t sub = prev[j - 1] + (x[i - 1] != y[j - 1]);

			cur[j] = sub < prev[j] + 1 ? sub : prev[j] + 1;
			if (cur[j - 1] + 1 < cur[j])
				cur[j] = cur[j - 1] + 1;
		}
		memcpy(prev, cur, (ny + 1) * sizeof(prev[0]));
	}
	return prev[ny] > 3 ? 3 : prev[ny];
}

/*
 * The one entry of OWN a single letter from LOW (code points, marks kept),
 * when LOW is no known surname nor, unless ANY_NAME, given name; else NULL.
 */
static const char *
one_letter_off(const struct sohoa_doctypes *dt, const struct lexicon *own,
    const char *key, const char *low, int any_name)
{
	const struct lex_entry *x, *hit = NULL, *next = NULL;
	size_t i, n, k;

	x = lex_find(&dt->surnames, key, &n);
	if (lex_has_tone(x, n, low, &k))
		return NULL;
	x = lex_find(&dt->names, key, &n);
	if (!any_name && lex_has_tone(x, n, low, &k))
		return NULL;
	for (i = 0; i < own->n; i++) {
		const struct lex_entry *e = &own->v[i];

		if (cp_distance(low, e->low) != 1)
			continue;
		if (hit == NULL || e->weight > hit->weight) {
			next = hit;
			hit = e;
		} else if (next == NULL || e->weight > next->weight)
			next = e;
	}
	/*
	 * of several, the one far more common than the rest ("Huàng":
	 * "Hoàng", not the Thái "Quàng"; "Yhanh": "Thanh", not "Khanh");
	 * else none can be told
	 */
	if (next != NULL && hit->weight < LETTER_OUTWEIGH * next->weight)
		return NULL;
	return hit != NULL ? hit->low : NULL;
}

/*
 * A surname read as no syllable ("Bếẽ", "Miô", any name's), or a signer's
 * that OCR was unsure of ("Gao", "Qhau", "Mài"), and read as no known
 * name at all: the one known surname a single letter away,
 * every other letter and mark as read ("Cao", not "Đào"; "Chau", not
 * "Châu").  LOW is the word in small letters, of three letters or more.
 * A known given name is kept unless ANY_NAME (the word stands where the
 * surname is lost: "tường Thị Ín").  NULL when there is none or more
 * than one.
 */
static const char *
unsure_surname(const struct sohoa_doctypes *dt, const char *key,
    const char *low, int any_name)
{
	const char *to = one_letter_off(dt, &dt->surnames, key, low, any_name);
	const struct lex_entry *hit = NULL;
	size_t i;
	int tie = 0;

	if (to != NULL || strlen(key) < 5 || (name_syllable(low) &&
	    lex_known(&dt->names, key, low)) ||
	    lex_known(&dt->surnames, key, low) ||
	    (!any_name && lex_known(&dt->names, key, low)))
		return to;
	/*
	 * A long reading that is no syllable ("Trytởng", "kườfg", the seal's
	 * ring through it), or one that is no name at all read unsure
	 * ("Nghiêng", the callers ask OCR's confidence of a syllable), is a
	 * surname two letters from it: the one nearest when marks count too.
	 */
	for (i = 0; i < dt->surnames.n; i++) {
		const struct lex_entry *e = &dt->surnames.v[i];

		if (sohoa_edit_distance(key, e->key, 2) > 2)
			continue;
		/*
		 * of several, the one with the letters and marks as read
		 * ("kườfg": "Lường", not "Lương" nor "Vương")
		 */
		if (hit == NULL || cp_distance(low, e->low) <
		    cp_distance(low, hit->low)) {
			hit = e;
			tie = 0;
		} else if (cp_distance(low, e->low) ==
		    cp_distance(low, hit->low))
			tie = 1;
	}
	return hit != NULL && !tie ? hit->low : NULL;
}

/*
 * A surname read in capitals before a name in small letters ("VỮ Thúy
 * Tuyết") is dropped with the seal's capitals; it is put back when the
 * name has no surname of its own and the word W (N bytes) folds to a
 * common one: as read when it is spelt so, else the most common one
 * ("Vũ").  Lower case, or NULL.
 */
static const char *
caps_surname(const struct sohoa_doctypes *dt, const char *w, size_t n,
    const char *v)
{
	struct sohoa_buf key = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT,
	    word = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	const char *to = NULL;
	size_t nx, k;

	if (!text_all_upper(w, n) || text_has_lower(w, n) ||
	    text_all_caps(v) ||
	    fkey_simple_n(v, strcspn(v, " "), &key) != SOHOA_OK ||
	    lex_find(&dt->surnames, key.buf, &nx) != NULL)
		goto out;
	sohoa_buf_reset(&key);
	if (sohoa_buf_add(&word, w, n) != SOHOA_OK ||
	    fkey_simple(word.buf, &key) != SOHOA_OK ||
	    sohoa_utf8_lower(word.buf, &low) != SOHOA_OK)
		goto out;
	x = lex_find(&dt->surnames, key.buf, &nx);
	if (x == NULL)
		goto out;
	if (!lex_has_tone(x, nx, low.buf, &k))
		k = 0;
	if (x[k].weight >= SURNAME_COMMON)
		to = x[k].low;
out:
	sohoa_buf_release(&key);
	sohoa_buf_release(&low);
	sohoa_buf_release(&word);
	return to;
}

/* Bytes of the quote mark S opens with, or 0. */
static size_t
quote_len(const char *s)
{
	static const int32_t quotes[] = {
		'"', '\'', '`', 0xAB, 0xBB, 0x2018, 0x2019, 0x201C,
		0x201D, 0x201E,
	};
	int32_t cp;
	size_t n = sohoa_utf8_decode(s, strlen(s), &cp), i;

	for (i = 0; n > 0 && i < sizeof(quotes) / sizeof(quotes[0]); i++)
		if (cp == quotes[i])
			return n;
	return 0;
}

/*
 * 1 when name V has three words or more and opens with a known surname:
 * a surname, middle and given name are there, and a word read before
 * them is a surname only as read, not one letter away ("kia" before
 * "Nguyễn Tiến Cần" is the seal's, no "Kim" lost).
 */
static int
whole_name(const struct sohoa_doctypes *dt, const char *v)
{
	struct sohoa_buf key = SOHOA_BUF_INIT;
	const char *sp = strchr(v, ' ');
	size_t nx;
	int r;

	if (sp == NULL || strchr(sp + 1, ' ') == NULL)
		return 0;
	r = fkey_simple_n(v, (size_t)(sp - v), &key) == SOHOA_OK &&
	    lex_find(&dt->surnames, key.buf, &nx) != NULL;
	sohoa_buf_release(&key);
	return r;
}

/*
 * A signer's surname crossed by the seal is often read with a small first
 * letter ("lê Thanh Vọng", "lrần Hồng Thịnh"), and the name parser drops
 * a small-letter first word as the seal's debris.  When the word of RAW
 * right before the name V is such a word and is a common surname -- as
 * read, or, when it can be no syllable, one letter away -- the surname
 * (lower case) is returned; else NULL.
 */
static const char *
lost_surname(const struct sohoa_doctypes *dt, const struct doc *d, size_t li,
    const char *raw, const char *v)
{
	struct sohoa_buf w = SOHOA_BUF_INIT, key = SOHOA_BUF_INIT;
	struct sohoa_buf low = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	const char *at, *to = NULL;
	size_t n = strcspn(v, " "), b, e, nx, k, m;
	int32_t cp;

	at = n > 0 ? strstr(raw, v) : NULL;
	if (at == NULL || strchr(v, ' ') == NULL)
		return NULL;
	e = (size_t)(at - raw);
	while (e > 0 && raw[e - 1] == ' ')
		e--;
	for (b = e; b > 0 && raw[b - 1] != ' '; b--)
		;
	/* the quotes the seal's ring leaves before it ("“kườfg") */
	while (b < e && (m = quote_len(raw + b)) > 0)
		b += m;
	if (b == e)
		return NULL;
	if (!islower((unsigned char)raw[b]))
		return caps_surname(dt, raw + b, e - b, v);
	if (sohoa_buf_add(&w, raw + b, e - b) != SOHOA_OK ||
	    fkey_simple(w.buf, &key) != SOHOA_OK ||
	    sohoa_utf8_lower(w.buf, &low) != SOHOA_OK)
		goto out;
	/* letters only: "4a", "~-" are the seal's */
	for (k = 0; k < w.len; k += m) {
		m = sohoa_utf8_decode(w.buf + k, w.len - k, &cp);
		if (m == 0 || !text_is_letter(cp))
			goto out;
	}
	x = lex_find(&dt->surnames, key.buf, &nx);
	if (lex_has_tone(x, nx, low.buf, &k) && x[k].weight >= SURNAME_COMMON)
		to = x[k].low;
	else if (whole_name(dt, v))
		goto out;
	else if (x == NULL)
		to = surname_one_off(dt, key.buf, low.buf);
	/*
	 * or, OCR unsure of it or it no syllable, the one surname a letter
	 * away ("tường", "kục")
	 */
	if (to == NULL && key.len >= 3 && (!text_syllable(low.buf) ||
	    word_conf(d, li, key.buf) < NAME_SURE_CONF))
		to = unsure_surname(dt, key.buf, low.buf, 1);
out:
	sohoa_buf_release(&w);
	sohoa_buf_release(&key);
	sohoa_buf_release(&low);
	return to;
}

/*
 * 1 when RAW holds the words [W, E) and (E, E2) of a name with no space
 * between them: the parser split them at a capital inside ("NguYễn").
 */
static int
glued_in(const char *raw, const char *w, const char *e, const char *e2)
{
	struct sohoa_buf g = SOHOA_BUF_INIT;
	int r;

	r = sohoa_buf_add(&g, w, (size_t)(e - w)) == SOHOA_OK &&
	    sohoa_buf_add(&g, e + 1, (size_t)(e2 - e - 1)) == SOHOA_OK &&
	    strstr(raw, g.buf) != NULL;
	sohoa_buf_release(&g);
	return r;
}

/*
 * Name V with a word OCR split in two put together again ("Nguy ến Khắc
 * Trọng"): a word with a capital followed by one that opens with a small
 * letter, or by one the parser split off at a capital inside it (RAW,
 * the text as read, has them glued: "NguYễn"), when the two make a known
 * name (a surname first) and the first alone is none.  Into OUT; 1 when
 * something was joined.
 */
static int
join_split(const struct sohoa_doctypes *dt, const char *v, const char *raw,
    struct sohoa_buf *out, int *prc)
{
	struct sohoa_buf k1 = SOHOA_BUF_INIT, k2 = SOHOA_BUF_INIT,
	    low = SOHOA_BUF_INIT;
	const char *w = v, *e, *e2;
	size_t n;
	int joined = 0, rc = SOHOA_OK;

	while (*w != '\0' && rc == SOHOA_OK) {
		const struct lexicon *own = w == v ? &dt->surnames : &dt->names;

		e = w + strcspn(w, " ");
		e2 = *e == ' ' ? e + 1 + strcspn(e + 1, " ") : e;
		sohoa_buf_reset(&k1);
		sohoa_buf_reset(&k2);
		if (out->len > 0)
			rc = sohoa_buf_addch(out, ' ');
		sohoa_buf_reset(&low);
		if (rc == SOHOA_OK && e2 > e + 1 && !islower((unsigned char)*w) &&
		    (text_starts_lower(e + 1, (size_t)(e2 - e - 1)) ||
		    glued_in(raw, w, e, e2)) &&
		    fkey_simple_n(w, (size_t)(e - w), &k1) == SOHOA_OK &&
		    fkey_simple_n(w, (size_t)(e2 - w), &k2) == SOHOA_OK &&
		    lex_find(own, k1.buf, &n) == NULL &&
		    lex_find(own, k2.buf, &n) != NULL) {
			rc = sohoa_buf_add(&low, e + 1, (size_t)(e2 - e - 1));
			if (rc == SOHOA_OK)
				rc = sohoa_buf_add(out, w, (size_t)(e - w));
			/* "NguYễn": the capital inside is a slip */
			if (rc == SOHOA_OK)
				rc = sohoa_utf8_lower(low.buf, out);
			joined = 1;
			w = *e2 ? e2 + 1 : e2;
			continue;
		}
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(out, w, (size_t)(e - w));
		w = *e ? e + 1 : e;
	}
	sohoa_buf_release(&k1);
	sohoa_buf_release(&k2);
	sohoa_buf_release(&low);
	*prc = rc;
	return joined;
}

/* 1 when LOW (a lower-case word) is a syllable spelt as a name of LX. */
static int
known_syllable(const struct lexicon *lx, const char *low)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	size_t n, j;
	int r = 0;

	if (text_syllable(low) && fkey_simple(low, &k) == SOHOA_OK) {
		x = lex_find(lx, k.buf, &n);
		r = lex_has_tone(x, n, low, &j);
	}
	sohoa_buf_release(&k);
	return r;
}

/*
 * Where word W (N bytes) of a name splits into two known names that OCR
 * glued ("VĂNMỶ"): the word is no syllable and no name, and exactly one
 * cut leaves a known name (a surname, for the first word: OWN) on the
 * left and a known given or middle name on the right.  The cut's byte
 * offset, or 0.
 */
static size_t
glued_cut(const struct sohoa_doctypes *dt, const struct lexicon *own,
    const char *w, size_t n)
{
	struct sohoa_buf word = SOHOA_BUF_INIT, a = SOHOA_BUF_INIT,
	    b = SOHOA_BUF_INIT;
	size_t at, cut = 0, ncuts = 0, step;
	int32_t cp;

	if (sohoa_buf_add(&a, w, n) != SOHOA_OK ||
	    sohoa_utf8_lower(a.buf, &word) != SOHOA_OK ||
	    word.len != n || text_syllable(word.buf))
		goto out;
	for (at = sohoa_utf8_decode(w, n, &cp); at > 0 && at < n;
	    at += step) {
		step = sohoa_utf8_decode(w + at, n - at, &cp);
		if (step == 0 || !text_is_letter(cp))
			goto out;
		sohoa_buf_reset(&a);
		sohoa_buf_reset(&b);
		if (sohoa_buf_add(&a, word.buf, at) != SOHOA_OK ||
		    sohoa_buf_add(&b, word.buf + at, n - at) != SOHOA_OK)
			goto out;
		if (known_syllable(own, a.buf) &&
		    known_syllable(&dt->names, b.buf)) {
			cut = at;
			ncuts++;
		}
	}
out:
	sohoa_buf_release(&word);
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	return ncuts == 1 ? cut : 0;
}

/*
 * Name V with the words OCR glued together split again (glued_cut) into
 * OUT; 1 when something was split.
 */
static int
split_glued(const struct sohoa_doctypes *dt, const char *v,
    struct sohoa_buf *out, int *prc)
{
	const char *w = v, *e;
	size_t cut;
	int split = 0, rc = SOHOA_OK;

	while (*w != '\0' && rc == SOHOA_OK) {
		e = w + strcspn(w, " ");
		if (out->len > 0)
			rc = sohoa_buf_addch(out, ' ');
		cut = glued_cut(dt, w == v ? &dt->surnames : &dt->names, w,
		    (size_t)(e - w));
		if (rc == SOHOA_OK && cut > 0) {
			rc = sohoa_buf_add(out, w, cut);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_addch(out, ' ');
			if (rc == SOHOA_OK)
				rc = sohoa_buf_add(out, w + cut,
				    (size_t)(e - w) - cut);
			split = 1;
		} else if (rc == SOHOA_OK)
			rc = sohoa_buf_add(out, w, (size_t)(e - w));
		w = *e ? e + 1 : e;
	}
	*prc = rc;
	return split;
}

/*
 * The surname of a person named in text V ("cho bà Lường Thị Ún") as
 * read in RAW when the parser gave it the marks of another surname and
 * the reading is itself a known one (raw_known).  Into OUT; 1 when one
 * was put back.
 */
static int
text_person_kept(const struct sohoa_doctypes *dt, const char *v,
    const char *raw, struct sohoa_buf *out, int *prc)
{
	struct sohoa_buf key = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT,
	    word = SOHOA_BUF_INIT;
	const char *w = v, *e, *prev = NULL, *kept;
	size_t pn = 0, nk;
	int put = 0, rc = SOHOA_OK;

	for (; *w != '\0' && rc == SOHOA_OK; w = *e ? e + 1 : e) {
		e = w + strcspn(w, " ");
		if (out->len > 0 || w > v)
			rc = sohoa_buf_addch(out, ' ');
		sohoa_buf_reset(&key);
		sohoa_buf_reset(&low);
		sohoa_buf_reset(&word);
		kept = NULL;
		if (rc == SOHOA_OK && prev != NULL &&
		    ((pn == strlen("ông") && memcmp(prev, "ông", pn) == 0) ||
		    (pn == strlen("bà") && memcmp(prev, "bà", pn) == 0)) &&
		    text_starts_upper(w, (size_t)(e - w)) &&
		    sohoa_buf_add(&word, w, (size_t)(e - w)) == SOHOA_OK &&
		    fkey_simple(word.buf, &key) == SOHOA_OK &&
		    sohoa_utf8_lower(word.buf, &low) == SOHOA_OK)
			kept = raw_known(&dt->surnames, raw, key.buf, low.buf,
			    &nk);
		if (rc == SOHOA_OK && kept != NULL) {
			rc = sohoa_buf_add(out, kept, nk);
			put = 1;
		} else if (rc == SOHOA_OK)
			rc = sohoa_buf_add(out, w, (size_t)(e - w));
		prev = w;
		pn = (size_t)(e - w);
	}
	sohoa_buf_release(&key);
	sohoa_buf_release(&low);
	sohoa_buf_release(&word);
	*prc = rc;
	return put;
}

/*
 * A middle or given name read in small letters that is no known name
 * ("Lâm ăn Kim Ly"): the one common name (NAME_COMMON) it is with a
 * capital put before it, the capital OCR lost under the seal ("Văn").
 * Lower case, or NULL.
 */
static const char *
lost_capital(const struct sohoa_doctypes *dt, const char *key,
    const char *low)
{
	const char *to = NULL;
	size_t i, n = strlen(key);

	if (lex_known(&dt->names, key, low) ||
	    lex_known(&dt->surnames, key, low))
		return NULL;
	for (i = 0; i < dt->names.n; i++) {
		const struct lex_entry *e = &dt->names.v[i];
		const char *rest = e->low;
		int32_t cp;

		if (e->weight < NAME_COMMON || strlen(e->key) != n + 1 ||
		    strcmp(e->key + 1, key) != 0)
			continue;
		rest += sohoa_utf8_decode(rest, strlen(rest), &cp);
		if (strcmp(rest, low) != 0 || strchr("aeiouy", e->key[0]))
			continue;
		if (to != NULL)
			return NULL;
		to = e->low;
	}
	return to;
}

/*
 * A name word read with a final i that is no known name, when the same
 * with a final l is one ("Phai" for the Khmer "Phal", "Thươi" for
 * "Thươl"): no Vietnamese syllable ends in l, so OCR reads the l of such
 * names as the i it knows.  That name (lower case), or NULL.
 */
static const char *
final_l(const struct sohoa_doctypes *dt, const char *key, const char *low)
{
	struct sohoa_buf k = SOHOA_BUF_INIT, l = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	const char *to = NULL;
	size_t n = strlen(low), kn = strlen(key), nx, j;

	if (n < 2 || low[n - 1] != 'i' || key[kn - 1] != 'i' ||
	    lex_known(&dt->names, key, low) ||
	    lex_known(&dt->surnames, key, low))
		return NULL;
	if (sohoa_buf_add(&k, key, kn - 1) == SOHOA_OK &&
	    sohoa_buf_addch(&k, 'l') == SOHOA_OK &&
	    sohoa_buf_add(&l, low, n - 1) == SOHOA_OK &&
	    sohoa_buf_addch(&l, 'l') == SOHOA_OK) {
		x = lex_find(&dt->names, k.buf, &nx);
		if (lex_has_tone(x, nx, l.buf, &j))
			to = x[j].low;
	}
	sohoa_buf_release(&k);
	sohoa_buf_release(&l);
	return to;
}

/*
 * A name word LOW that is no syllable because OCR read one letter twice,
 * with and without its mark ("Byaă" for the Ê Đê "Byă"): the known name
 * of OWN left when one of two neighbours of the same letter is dropped.
 * Lower case, or NULL.
 */
static const char *
letter_twice(const struct lexicon *own, const char *low)
{
	struct sohoa_buf a = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT,
	    c = SOHOA_BUF_INIT, k = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	const char *to = NULL;
	size_t i, n, m, len = strlen(low), nx, j, drop;
	int32_t cp;

	if (name_syllable(low))
		return NULL;
	for (i = 0; to == NULL && i < len; i += n) {
		n = sohoa_utf8_decode(low + i, len - i, &cp);
		if (n == 0 || i + n >= len)
			break;
		m = sohoa_utf8_decode(low + i + n, len - i - n, &cp);
		sohoa_buf_reset(&a);
		sohoa_buf_reset(&b);
		if (m == 0 || fkey_simple_n(low + i, n, &a) != SOHOA_OK ||
		    fkey_simple_n(low + i + n, m, &b) != SOHOA_OK ||
		    a.len != 1 || strcmp(a.buf, b.buf) != 0)
			continue;
		/* drop the first of the two, then the second */
		for (drop = 0; to == NULL && drop < 2; drop++) {
			size_t at = drop == 0 ? i : i + n;
			size_t dn = drop == 0 ? n : m;

			sohoa_buf_reset(&c);
			sohoa_buf_reset(&k);
			if (sohoa_buf_add(&c, low, at) != SOHOA_OK ||
			    sohoa_buf_adds(&c, low + at + dn) != SOHOA_OK ||
			    fkey_simple(c.buf, &k) != SOHOA_OK)
				break;
			x = lex_find(own, k.buf, &nx);
			if (lex_has_tone(x, nx, c.buf, &j))
				to = x[j].low;
		}
	}
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	sohoa_buf_release(&c);
	sohoa_buf_release(&k);
	return to;
}

/*
 * 1 when word LOW holds a letter no Vietnamese name writes: f, j, w, z
 * (the Ê Đê and Jrai names that do are in the lists) or one of the
 * letters OCR makes of a speck (ÿ, ä, Š).
 */
static int
alien_letter(const char *low)
{
	size_t i, n = strlen(low), k;
	int32_t cp;

	for (i = 0; i < n; i += k) {
		k = sohoa_utf8_decode(low + i, n - i, &cp);
		if (text_is_letter(cp) && (!text_is_viet_letter(cp) ||
		    (cp < 0x80 && strchr("fjwz", (int)cp) != NULL)))
			return 1;
	}
	return 0;
}

/*
 * Bytes of a first word of name V (read on line LI) that is scrawl read
 * as letters, the seal's or the signature's ("Aq Trương Nam Sơn"): no
 * syllable, no name, no surname a letter from it, OCR unsure of it, and
 * followed by a common surname as read and two words more -- or by any
 * known surname when it holds a letter no name has ("Wcự Giàng Thị
 * Dợ").  Else 0.
 */
static size_t
junk_word(const struct sohoa_doctypes *dt, const struct doc *d, size_t li,
    const char *v)
{
	struct sohoa_buf k0 = SOHOA_BUF_INIT, l0 = SOHOA_BUF_INIT,
	    k1 = SOHOA_BUF_INIT, l1 = SOHOA_BUF_INIT, w = SOHOA_BUF_INIT;
	const struct lex_entry *x;
	size_t n0 = strcspn(v, " "), n1, words = 1, i, nx, k, skip = 0;

	for (i = 0; v[i] != '\0'; i++)
		words += v[i] == ' ';
	if (words < 4)
		return 0;
	n1 = strcspn(v + n0 + 1, " ");
	if (sohoa_buf_add(&w, v, n0) != SOHOA_OK ||
	    fkey_simple(w.buf, &k0) != SOHOA_OK ||
	    sohoa_utf8_lower(w.buf, &l0) != SOHOA_OK)
		goto out;
	sohoa_buf_reset(&w);
	if (sohoa_buf_add(&w, v + n0 + 1, n1) != SOHOA_OK ||
	    fkey_simple(w.buf, &k1) != SOHOA_OK ||
	    sohoa_utf8_lower(w.buf, &l1) != SOHOA_OK)
		goto out;
	if (k0.len == 0 || name_syllable(l0.buf) ||
	    lex_known(&dt->surnames, k0.buf, l0.buf) ||
	    lex_known(&dt->names, k0.buf, l0.buf) ||
	    word_conf(d, li, k0.buf) >= NAME_SURE_CONF ||
	    unsure_surname(dt, k0.buf, l0.buf, 0) != NULL)
		goto out;
	x = lex_find(&dt->surnames, k1.buf, &nx);
	if (lex_has_tone(x, nx, l1.buf, &k) && (x[k].weight >= SURNAME_COMMON ||
	    alien_letter(l0.buf)))
		skip = n0 + 1;
out:
	sohoa_buf_release(&k0);
	sohoa_buf_release(&l0);
	sohoa_buf_release(&k1);
	sohoa_buf_release(&l1);
	sohoa_buf_release(&w);
	return skip;
}

/*
 * 1 when a word of name V has letters the reading RAW does not hold in
 * that order, marks aside: the parser put letters in ("Nguyễn/inh" ->
 * "Linh", "B¡h" -> "Bih"), a respelling to flag like the others.
 * Specks taken out, gaps put in, case and marks mended ("M]lô",
 * "LêNgọc", "THúy", "NGUYÊN") are not.
 */
static int
letters_put_in(const char *v, const char *raw)
{
	struct sohoa_buf r = SOHOA_BUF_INIT, w = SOHOA_BUF_INIT;
	const char *p = v, *e;
	int put = 0;

	if (fkey_simple(raw, &r) != SOHOA_OK)
		return 0;
	for (; !put && *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, " ");
		sohoa_buf_reset(&w);
		if (fkey_simple_n(p, (size_t)(e - p), &w) == SOHOA_OK &&
		    w.len > 0 && strstr(r.buf, w.buf) == NULL)
			put = 1;
	}
	sohoa_buf_release(&r);
	sohoa_buf_release(&w);
	return put;
}

/*
 * 1 when the first word of name V is a known surname, in either tone
 * placement.  A Vietnamese name opens with its surname, and the surnames
 * are few: one that no list holds is more often a surname OCR lost under
 * the seal ("Quang Hải" for "Võ Quang Hải", "Minh Dân" for "Trịnh Minh
 * Dân") or misread into another word ("Tý Chí Cường", "Hoành Minh Hải")
 * than a rare one.  The value stays as read; the field goes to review.
 * Out of memory: 1, *PRC set.
 */
static int
surname_first(const struct sohoa_doctypes *dt, const char *v, int *prc)
{
	struct sohoa_buf w = SOHOA_BUF_INIT, key = SOHOA_BUF_INIT,
	    low = SOHOA_BUF_INIT;
	int known = 1;

	/* no list loaded: nothing to say */
	if (dt->surnames.n == 0)
		return 1;
	*prc = sohoa_buf_add(&w, v, strcspn(v, " "));
	if (*prc == SOHOA_OK)
		*prc = fkey_simple(w.buf, &key);
	if (*prc == SOHOA_OK)
		*prc = sohoa_utf8_lower(w.buf, &low);
	if (*prc == SOHOA_OK && key.len > 0)
		known = lex_known(&dt->surnames, key.buf, low.buf);
	sohoa_buf_release(&w);
	sohoa_buf_release(&key);
	sohoa_buf_release(&low);
	return known;
}

/* 1 when LOW is a word of a known place, either tone placement. */
static int
place_word(const struct sohoa_doctypes *dt, const char *low)
{
	size_t i, n = strlen(low);
	const char *w, *e;

	for (i = 0; i < dt->places.n; i++)
		for (w = dt->places.v[i].low; *w != '\0'; w = *e ? e + 1 : e) {
			e = w + strcspn(w, " ");
			if (tone_same(w, (size_t)(e - w), low, n))
				return 1;
		}
	return 0;
}

/*
 * 1 for an abbreviation: "UBND", "HĐND", "V/v" -- capitals without
 * marks but Đ, or a slash.
 */
static int
abbreviation(const char *w)
{
	size_t i, n = strlen(w), k;
	int32_t cp;

	if (strchr(w, '/') != NULL)
		return 1;
	for (i = 0; i < n; i += k) {
		k = sohoa_utf8_decode(w + i, n - i, &cp);
		if (!(cp >= 'A' && cp <= 'Z') && cp != 0x110)
			return 0;
	}
	return n >= 2;
}

/*
 * 1 when word W has a letter with a mark (đ aside) or a capital inside
 * it before a small letter ("HBia"): what OCR makes of Vietnamese text.
 * A word of plain letters that is no syllable is as often a name of the
 * highlands that the lists lack ("Yam", "Cư Kuin").
 */
static int
marked_or_glued(const char *w)
{
	size_t i, n = strlen(w), k;
	int32_t cp, next;

	if (text_has_mark(w, n, 0))
		return 1;
	for (i = 0; i < n; i += k) {
		k = sohoa_utf8_decode(w + i, n - i, &cp);
		if (i > 0 && i + k < n && sohoa_utf8_case_cp(cp) > 0 &&
		    sohoa_utf8_decode(w + i + k, n - i - k, &next) > 0 &&
		    sohoa_utf8_case_cp(next) < 0)
			return 1;
	}
	return 0;
}

/*
 * 1 when a word of V (words part at spaces and hyphens) is no
 * Vietnamese syllable, has a mark or a capital inside (marked_or_glued)
 * and is no known name or place word ("NIỸ", "vớiai", "HBia"): OCR
 * joined or garbled it.  The value stays as read, for review.
 */
static int
odd_word(const struct sohoa_doctypes *dt, const char *v, int *prc)
{
	struct sohoa_buf w = SOHOA_BUF_INIT, key = SOHOA_BUF_INIT,
	    low = SOHOA_BUF_INIT;
	const char *p, *e;
	int odd = 0;

	if (dt->surnames.n == 0 || dt->names.n == 0)
		return 0;
	for (p = v; !odd && *prc == SOHOA_OK && *p != '\0';
	    p = *e ? e + 1 : e) {
		e = p + strcspn(p, " -");
		sohoa_buf_reset(&w);
		sohoa_buf_reset(&key);
		sohoa_buf_reset(&low);
		/* the word's letters only: "Hoà," "(b/c)" */
		while (p < e && !isalpha((unsigned char)*p) &&
		    (unsigned char)*p < 0x80)
			p++;
		*prc = sohoa_buf_add(&w, p, (size_t)(e - p));
		while (*prc == SOHOA_OK && w.len > 0 &&
		    strchr(",.;:)'\"-", w.buf[w.len - 1]) != NULL)
			sohoa_buf_truncate(&w, w.len - 1);
		if (*prc == SOHOA_OK)
			*prc = fkey_simple(w.buf, &key);
		if (*prc == SOHOA_OK)
			*prc = sohoa_utf8_lower(w.buf, &low);
		if (*prc != SOHOA_OK || key.len == 0 || strpbrk(key.buf,
		    "0123456789") != NULL || abbreviation(w.buf))
			continue;
		if (!text_syllable(low.buf) && marked_or_glued(w.buf) &&
		    !lex_known(&dt->surnames, key.buf, low.buf) &&
		    !lex_known(&dt->names, key.buf, low.buf) &&
		    !place_word(dt, low.buf))
			odd = 1;
	}
	sohoa_buf_release(&w);
	sohoa_buf_release(&key);
	sohoa_buf_release(&low);
	return odd;
}

/* 1 for the value types written in words: names, places, units, text. */
static int
worded(const char *type)
{
	return strcmp(type, "name") == 0 || strcmp(type, "place") == 0 ||
	    strcmp(type, "unit") == 0 || strcmp(type, "text") == 0;
}

/*
 * Each word of the name results is checked against the lexicons (see
 * name_respelling) and written in the word's case style when respelt.
 * A word that folds like no known name is left alone; a surname read as
 * a known one keeps its reading (raw_known).  A name that opens with no
 * known surname, and a value in words with a word OCR garbled
 * (odd_word), go to review as read.
 */
int
respell_names(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res)
{
	struct sohoa_buf nv = SOHOA_BUF_INIT, key = SOHOA_BUF_INIT;
	struct sohoa_buf word = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT;
	struct sohoa_buf joined = SOHOA_BUF_INIT, split = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < d->t->nfields && rc == SOHOA_OK; i++) {
		const char *v = res[i].value.buf, *w, *e, *to, *kept;
		const struct lex_entry *near;
		size_t nk, skip, at;
		float wconf;
		int changed = 0, caps;

		if (res[i].found && res[i].valid &&
		    strcmp(d->t->fields[i].type, "text") == 0) {
			sohoa_buf_reset(&nv);
			if (text_person_kept(dt, v, res[i].raw.buf, &nv,
			    &rc)) {
				sohoa_buf_reset(&res[i].value);
				rc = sohoa_buf_add(&res[i].value, nv.buf,
				    nv.len);
			}
			continue;
		}
		if (!res[i].found || !res[i].valid ||
		    strcmp(d->t->fields[i].type, "name") != 0)
			continue;
		caps = text_all_caps(v);
		sohoa_buf_reset(&nv);
		if ((skip = junk_word(dt, d, res[i].line, v)) > 0) {
			v += skip;
			changed = 1;
		}
		sohoa_buf_reset(&joined);
		if (!caps && join_split(dt, v, res[i].raw.buf, &joined, &rc)) {
			v = joined.buf;
			changed = 1;
		}
		if (rc != SOHOA_OK)
			break;
		sohoa_buf_reset(&split);
		if (split_glued(dt, v, &split, &rc)) {
			v = split.buf;
			changed = 1;
		}
		if (rc != SOHOA_OK)
			break;
		if (d->t->fields[i].where == DT_WHERE_AFTER &&
		    (to = lost_surname(dt, d, res[i].line, res[i].raw.buf,
		    v)) != NULL) {
			rc = add_name_case(&nv, to, caps);
			changed = 1;
		}
		for (w = v; rc == SOHOA_OK && *w != '\0'; w = *e ? e + 1 : e) {
			e = strchr(w, ' ');
			if (e == NULL)
				e = w + strlen(w);
			if (nv.len > 0)
				rc = sohoa_buf_addch(&nv, ' ');
			sohoa_buf_reset(&key);
			sohoa_buf_reset(&word);
			sohoa_buf_reset(&low);
			if (rc == SOHOA_OK)
				rc = fkey_simple_n(w, (size_t)(e - w), &key);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_add(&word, w, (size_t)(e - w));
			if (rc == SOHOA_OK)
				rc = sohoa_utf8_lower(word.buf, &low);
			if (rc != SOHOA_OK)
				break;
			if (w == v && (kept = raw_known(&dt->surnames,
			    res[i].raw.buf, key.buf, low.buf, &nk)) != NULL) {
				rc = sohoa_buf_add(&nv, kept, nk);
				changed = 1;
				continue;
			}
			/*
			 * One letter says too little to be respelt: the "Y"
			 * of Ê Đê men ("Ksor Y Phun"), the "A" of H'Mông men.
			 */
			wconf = word_conf(d, res[i].line, key.buf);
			to = key.len < 2 ? NULL : name_respelling(dt, key.buf,
			    low.buf, w == v, res[i].conf >= NAME_SURE_CONF,
			    wconf < NAME_SURE_CONF);
			/* a middle or given name read as no syllable */
			if (to == NULL && w != v && key.len >= 3 &&
			    !name_syllable(low.buf))
				to = one_letter_off(dt, &dt->names, key.buf,
				    low.buf, 0);
			/* or a letter more or less in a long one ("Dưởờng") */
			if (to == NULL && w != v && key.len >= 5 &&
			    !name_syllable(low.buf) &&
			    (near = lex_near(&dt->names, key.buf)) != NULL)
				to = near->low;
			if (to == NULL && w != v)
				to = final_l(dt, key.buf, low.buf);
			if (to == NULL && w != v && wconf < NAME_SURE_CONF &&
			    text_starts_lower(w, (size_t)(e - w)))
				to = lost_capital(dt, key.buf, low.buf);
			if (to == NULL)
				to = letter_twice(w == v ? &dt->surnames :
				    &dt->names, low.buf);
			/* two letters too when they are no syllable ("Iồ") */
			if (to == NULL && w == v && key.len >= 2 &&
			    (!name_syllable(low.buf) || (key.len >= 3 &&
			    d->t->fields[i].where == DT_WHERE_AFTER &&
			    wconf < NAME_SURE_CONF)))
				to = unsure_surname(dt, key.buf, low.buf, 0);
			if (to == NULL) {
				rc = sohoa_buf_add(&nv, w, (size_t)(e - w));
				continue;
			}
			at = nv.len;
			rc = add_name_case(&nv, to, caps);
			/* a word written as read is no respelling */
			if (nv.len - at != (size_t)(e - w) ||
			    memcmp(nv.buf + at, w, nv.len - at) != 0)
				changed = 1;
		}
		if (rc == SOHOA_OK && changed) {
			sohoa_buf_reset(&res[i].value);
			rc = sohoa_buf_add(&res[i].value, nv.buf, nv.len);
			res[i].fixed = 1;
			res[i].doubt = 1;
		} else if (rc == SOHOA_OK && res[i].fixed &&
		    letters_put_in(res[i].value.buf, res[i].raw.buf))
			res[i].doubt = 1;
		if (rc == SOHOA_OK && !surname_first(dt, res[i].value.buf, &rc))
			res[i].doubt = 1;
	}
	/* the words of every value in words, names or not */
	for (i = 0; i < d->t->nfields && rc == SOHOA_OK; i++)
		if (res[i].found && res[i].valid &&
		    worded(d->t->fields[i].type) &&
		    odd_word(dt, res[i].value.buf, &rc))
			res[i].doubt = 1;
	sohoa_buf_release(&nv);
	sohoa_buf_release(&key);
	sohoa_buf_release(&word);
	sohoa_buf_release(&low);
	sohoa_buf_release(&joined);
	sohoa_buf_release(&split);
	return rc;
}

/*
 * The commune appears in the issuer ("XÃ CHI LĂNG"), the place-date line
 * ("Chi Lăng, ngày …") and addresses ("xã Chi Lăng, tỉnh …").  When
 * these fold to the same letters but disagree on marks, the spelling read
 * most often is written in all of them.
 */
int
respell_communes(const struct sohoa_doctypes *dt, const struct doc *d,
    struct result *res)
{
	struct spellings sp;
	size_t i, j;
	int rc = SOHOA_OK;

	memset(&sp, 0, sizeof(sp));
	for (i = 0; i < d->t->nfields && rc == SOHOA_OK; i++) {
		const struct dt_field *f = &d->t->fields[i];
		const char *v = res[i].value.buf;

		if (!res[i].found || !res[i].valid)
			continue;
		if (strcmp(f->type, "place") == 0)
			rc = place_spellings(v, i, &sp);
		else if (strcmp(f->type, "unit") == 0) {
			/* "ỦY BAN NHÂN DÂN XÃ CHI LĂNG": after the unit word */
			static const char *const cu[] = {
				"XÃ ", "PHƯỜNG ", "THỊ TRẤN ",
			};
			const char *p = NULL;
			size_t off, u;

			for (u = 0; u < sizeof(cu) / sizeof(cu[0]) &&
			    p == NULL; u++) {
				p = strstr(v, cu[u]);
				if (p != NULL && p != v && p[-1] != ' ')
					p = NULL;
				if (p != NULL)
					off = (size_t)(p - v) + strlen(cu[u]);
			}
			if (p == NULL)
				continue;
			rc = add_spelling(&sp, v, off, strlen(v), i);
		} else if (strcmp(f->type, "date_text") == 0) {
			/* "… Chi Lăng, ngày 07 tháng 08 năm 2023" */
			const char *raw = res[i].raw.buf;
			const char *p = strstr(raw, ", ngày");
			size_t end, start;

			if (p == NULL)
				continue;
			end = (size_t)(p - raw);
			start = end;
			while (start > 0 && raw[start - 1] != ' ')
				start--;
			/* one or two words, each capitalised */
			if (start > 1) {
				size_t s2 = start - 1;

				while (s2 > 0 && raw[s2 - 1] != ' ')
					s2--;
				if (name_span(raw + s2, 0) >= end - s2)
					start = s2;
			}
			if (name_span(raw + start, 0) >= end - start)
				rc = add_spelling(&sp, raw, start, end,
				    (size_t)-1);
		}
	}
	if (rc == SOHOA_OK)
		rc = known_places(dt, d, res, &sp);
	for (i = 0; i < sp.n && rc == SOHOA_OK; i++) {
		size_t best = i, bestn = 0, total = 0, k;

		/* the most frequent spelling among those of the same letters */
		for (j = 0; j < sp.n; j++) {
			size_t cnt = 0;

			if (strcmp(sp.v[j].key.buf, sp.v[i].key.buf) != 0)
				continue;
			total++;
			for (k = 0; k < sp.n; k++)
				if (strcmp(sp.v[k].low.buf,
				    sp.v[j].low.buf) == 0)
					cnt++;
			if (cnt > bestn) {
				bestn = cnt;
				best = j;
			}
		}
		if (bestn < 2 || bestn * 2 <= total ||
		    strcmp(sp.v[i].low.buf, sp.v[best].low.buf) == 0 ||
		    sp.v[i].field == (size_t)-1)
			continue;
		rc = respell(d, res, &sp, i, sp.v[best].low.buf);
	}
	spellings_release(&sp);
	return rc;
}
