/*
 * Judged queries made from a document's true fields (see judged.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "fts.h"
#include "judged.h"

/* What officers type for each type of document. */
static const struct {
	const char *type, *words;
} kinds[] = {
	{ "birth", "khai sinh" },
	{ "death", "khai tu" },
	{ "marriage", "ket hon" },
	{ "marital_status", "tinh trang hon nhan" },
	{ "decision", "quyet dinh" },
};

/* Words of administrative units, dropped from place queries. */
static const char *const units[] = {
	"uy ban nhan dan", "thanh pho", "thi tran", "thi xa", "tram y te",
	"benh vien", "xa", "phuong", "huyen", "quan", "tinh", "thon", "ap",
	"ban", "xom", "to", NULL,
};

static int
key_word(void *arg, const char *fold, size_t flen, size_t start, size_t end,
    int newline)
{
	struct sohoa_buf *out = arg;

	(void)start;
	(void)end;
	(void)newline;
	if (out->len > 0)
		sohoa_buf_addch(out, ' ');
	sohoa_buf_add(out, fold, flen);
	return 0;
}

/* S folded to its words, one space apart: "Hòn Đất," -> "hon dat". */
static char *
key_of(const char *s)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;

	sohoa_fts_words(s, strlen(s), key_word, &out);
	return sohoa_buf_detach(&out, NULL);
}

static const char *
field(const struct judged_doc *d, const char *key)
{
	int i;

	for (i = 0; i < d->nfields; i++)
		if (strcmp(d->key[i], key) == 0 && d->value[i] != NULL &&
		    *d->value[i])
			return d->value[i];
	return NULL;
}

static int
add(struct judged_set *set, const char *category, const char *query,
    enum judged_pred pred, const char *a, const char *b)
{
	struct judged_query *v, *q;

	if (set->n == set->alloc) {
		set->alloc = set->alloc ? 2 * set->alloc : 64;
		v = realloc(set->q, set->alloc * sizeof(*v));
		if (v == NULL)
			return -1;
		set->q = v;
	}
	q = &set->q[set->n];
	q->category = category;
	q->pred = pred;
	q->query = strdup(query);
	q->a = a ? strdup(a) : NULL;
	q->b = b ? strdup(b) : NULL;
	if (q->query == NULL)
		return -1;
	set->n++;
	return 0;
}

static const char *
kind_words(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (type != NULL && strcmp(type, kinds[i].type) == 0)
			return kinds[i].words;
	return NULL;
}

/*
 * The place of a field value, as officers say it: its last two parts
 * without the unit words ("Trạm Y tế xã Sơn Kim, huyện Hòn Đất, tỉnh
 * Kiên Giang" -> "hon dat", "kien giang").
 */
static int
place_parts(const char *value, char **pa, char **pb)
{
	const char *c1, *c2 = strrchr(value, ',');
	char *part[2] = { NULL, NULL }, *k, *p;
	size_t i, n;
	int j;

	*pa = *pb = NULL;
	if (c2 == NULL)
		return -1;
	for (c1 = c2 - 1; c1 > value && *c1 != ','; c1--)
		;
	if (*c1 == ',')
		c1++;
	part[0] = strndup(c1, (size_t)(c2 - c1));
	part[1] = strdup(c2 + 1);
	for (j = 0; j < 2; j++) {
		if (part[j] == NULL)
			goto fail;
		k = key_of(part[j]);
		free(part[j]);
		part[j] = k;
		/* drop the unit words it starts with */
		for (i = 0; units[i] != NULL; i++) {
			n = strlen(units[i]);
			if (strncmp(k, units[i], n) == 0 && k[n] == ' ') {
				p = k + n + 1;
				memmove(k, p, strlen(p) + 1);
				i = (size_t)-1;
			}
		}
		if (*k == '\0')
			goto fail;
	}
	*pa = part[0];
	*pb = part[1];
	return 0;
fail:
	free(part[0]);
	free(part[1]);
	return -1;
}

int
judged_make(struct judged_set *set, const struct judged_doc *doc, unsigned r,
    int with_kinds)
{
	static const char *const places[] = {
		"birth_place", "residence", "registration_place", "death_place",
		"hometown",
	};
	char buf[512], *fold = NULL, *a = NULL, *b = NULL;
	const char *name = field(doc, "full_name"), *id, *date, *kw, *pl;
	size_t i, n;
	int rc = 0;

	kw = kind_words(doc->doc_type);
	if (with_kinds && kw != NULL)
		rc |= add(set, "kind", kw, JP_TYPE, doc->doc_type, NULL);
	if (name != NULL) {
		fold = key_of(name);
		rc |= add(set, "name", name, JP_PERSON, name, NULL);
		rc |= add(set, "name_folded", fold, JP_PERSON, name, NULL);
		/* one slip in the last word: two letters swapped */
		n = strlen(fold);
		for (i = n; i > 0 && fold[i - 1] != ' '; i--)
			;
		if (n - i >= 3 && fold[i + 1] != fold[i + 2]) {
			snprintf(buf, sizeof(buf), "%s", fold);
			buf[i + 1] = fold[i + 2];
			buf[i + 2] = fold[i + 1];
			rc |= add(set, "typo", buf, JP_PERSON, name, NULL);
		}
		if (kw != NULL) {
			snprintf(buf, sizeof(buf), "%s %s", kw, fold);
			rc |= add(set, "kind_name", buf, JP_TYPE_PERSON,
			    doc->doc_type, name);
		}
		date = field(doc, "birth_date");
		if (date != NULL && strlen(date) >= 4) {
			snprintf(buf, sizeof(buf), "%s %.4s", fold, date);
			rc |= add(set, "name_year", buf, JP_PERSON_YEAR, name,
			    date);
		}
	}
	id = field(doc, "personal_id");
	if (id != NULL && strlen(id) == 12) {
		rc |= add(set, "id", id, JP_ID, id, NULL);
		snprintf(buf, sizeof(buf), "%.9s", id);
		rc |= add(set, "id_prefix", buf, JP_ID_PREFIX, buf, NULL);
	}
	date = field(doc, "birth_date");
	if (date == NULL)
		date = field(doc, "registration_date");
	if (date == NULL)
		date = field(doc, "issue_date");
	if (date != NULL && strlen(date) == 10) {
		snprintf(buf, sizeof(buf), "%.2s/%.2s/%.4s", date + 8, date + 5,
		    date);
		rc |= add(set, "date", buf, JP_DATE, date, NULL);
	}
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		pl = field(doc, places[(i + r) % (sizeof(places) /
		    sizeof(places[0]))]);
		if (pl == NULL || place_parts(pl, &a, &b) != 0)
			continue;
		snprintf(buf, sizeof(buf), "%s %s", a, b);
		rc |= add(set, "place", buf, JP_PLACE, a, b);
		free(a);
		free(b);
		break;
	}
	free(fold);
	return rc;
}

void
judged_set_release(struct judged_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->q[i].query);
		free(set->q[i].a);
		free(set->q[i].b);
	}
	free(set->q);
	memset(set, 0, sizeof(*set));
}

/* Do the words of A and B match (folded)? */
static int
same(const char *a, const char *b)
{
	char *ka = key_of(a), *kb = key_of(b);
	int r = ka && kb && strcmp(ka, kb) == 0;

	free(ka);
	free(kb);
	return r;
}

static int
person(const struct judged_doc *d, const char *name)
{
	const char *v;

	if ((v = field(d, "full_name")) != NULL && same(v, name))
		return 1;
	if ((v = field(d, "spouse_name")) != NULL && same(v, name))
		return 1;
	return 0;
}

/* Does some field of D hold the words A (and B)? */
static int
names_place(const struct judged_doc *d, const char *a, const char *b)
{
	char pa[256], pb[256], *k, *pk;
	size_t n;
	int i, r = 0;

	snprintf(pa, sizeof(pa), " %s ", a);
	snprintf(pb, sizeof(pb), " %s ", b);
	for (i = 0; i < d->nfields && !r; i++) {
		k = key_of(d->value[i]);
		if (k == NULL)
			continue;
		n = strlen(k);
		pk = malloc(n + 3);
		if (pk != NULL) {
			snprintf(pk, n + 3, " %s ", k);
			r = strstr(pk, pa) != NULL && strstr(pk, pb) != NULL;
			free(pk);
		}
		free(k);
	}
	return r;
}

int
judged_relevant(const struct judged_query *q, const struct judged_doc *d)
{
	const char *v;
	int i;

	switch (q->pred) {
	case JP_PERSON:
		return person(d, q->a);
	case JP_ID:
		return (v = field(d, "personal_id")) != NULL &&
		    strcmp(v, q->a) == 0;
	case JP_ID_PREFIX:
		return (v = field(d, "personal_id")) != NULL &&
		    strncmp(v, q->a, strlen(q->a)) == 0;
	case JP_TYPE:
		return d->doc_type != NULL && strcmp(d->doc_type, q->a) == 0;
	case JP_TYPE_PERSON:
		return d->doc_type != NULL && strcmp(d->doc_type, q->a) == 0 &&
		    person(d, q->b);
	case JP_DATE:
		for (i = 0; i < d->nfields; i++)
			if (strstr(d->key[i], "date") != NULL &&
			    strcmp(d->value[i], q->a) == 0)
				return 1;
		return 0;
	case JP_PLACE:
		return names_place(d, q->a, q->b);
	case JP_PERSON_YEAR:
		return person(d, q->a) && (v = field(d, "birth_date")) !=
		    NULL && strncmp(v, q->b, 4) == 0;
	}
	return 0;
}

void
judged_add(struct judged_scores *s, const char *category, int rank)
{
	struct judged_score *c = NULL;
	int i;

	for (i = 0; i < s->nc; i++)
		if (strcmp(s->c[i].category, category) == 0)
			c = &s->c[i];
	if (c == NULL) {
		if (s->nc >= (int)(sizeof(s->c) / sizeof(s->c[0])))
			return;
		c = &s->c[s->nc++];
		memset(c, 0, sizeof(*c));
		c->category = category;
	}
	c->n++;
	if (rank == 1)
		c->p1++;
	if (rank > 0)
		c->rr += 1.0 / rank;
}

void
judged_total(const struct judged_scores *s, double *pp1, double *pmrr)
{
	int i, n = 0, p1 = 0;
	double rr = 0;

	for (i = 0; i < s->nc; i++) {
		n += s->c[i].n;
		p1 += s->c[i].p1;
		rr += s->c[i].rr;
	}
	*pp1 = n ? (double)p1 / n : 0;
	*pmrr = n ? rr / n : 0;
}

void
judged_print(const struct judged_scores *s, const char *label)
{
	double p1, mrr;
	int i, n;

	for (i = 0; i < s->nc; i++)
		printf("%-8s %-12s %5d %8.3f %8.3f\n", label, s->c[i].category,
		    s->c[i].n, (double)s->c[i].p1 / s->c[i].n,
		    s->c[i].rr / s->c[i].n);
	judged_total(s, &p1, &mrr);
	for (n = 0, i = 0; i < s->nc; i++)
		n += s->c[i].n;
	printf("%-8s %-12s %5d %8.3f %8.3f\n", label, "all", n, p1, mrr);
}
