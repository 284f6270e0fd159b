/*
 * Search: runs a parsed query (index/search_query.c) on search_fts with
 * the document and field filters, ranks, and fills in the hits.
 *
 * A query of plain words (or phrases, or a prefix at the end) is run as
 * a series of tiers, best first, each only when the ones before it found
 * fewer than LIMIT documents (enum sohoa_search_match):
 *
 *   TITLE  the words side by side in the name or the type in words,
 *   FIELD  side by side in a field,        (pair tokens: a lookup)
 *   TEXT   side by side on a line of the text,   (the text's pairs)
 *   PARTS  two or three runs of the words side by side in the name,
 *          type and fields ("khai sinh" + "nguyen van duc"),
 *   WORDS  all the words anywhere.
 *
 * A document found by one tier is not found again.  Officers type names,
 * places, IDs and kinds of document, and those are found in the first
 * tiers by looking up pair tokens, which are rare even when the words
 * are not ("van duc" is in 0.2% of documents, "van" in half): a query
 * that finds what it means never walks the common words.  A phrase in
 * quotes is walked in the text only when the pairs found too few.  A
 * date alone is first looked up in the fields (FIELD), then like other
 * queries (OR, NOT, parentheses): one WORDS pass.
 *
 * Each pass is two statements and a row per hit:
 *   1. the ranking: one walk of the matches from the most recent,
 *      sohoa_rank() (a name that is exactly the query, exact spellings,
 *      then a BM25 score) for each, the best LIMIT kept; when more than
 *      SOHOA_SEARCH_RANK_CAP documents match, the walk stops there;
 *   2. for the hits: the document rows, and the snippets.
 * When the plain words found nothing useful (nothing side by side), a
 * fuzzy pass tries near spellings from search_words, side by side.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/json.h"
#include "sohoa/utf8.h"
#include "sohoa/search.h"
#include "archive_private.h"
#include "fts.h"

/* column weights: kind, title, fields, body */
#define WEIGHTS "6.0, 10.0, 4.0, 1.0"
/* Near spellings kept per query word, and combinations of them tried. */
#define FUZZY_ALTS 3
#define FUZZY_COMBOS 64
/* Words a prefix stands for, at most (the most common first). */
#define PREFIX_WORDS 32
/* The PARTS tier splits queries of up to this many words in three. */
#define PARTS3_WORDS 6
#define PARTS_WORDS 10

struct bind {
	const char *s;		/* text, or NULL for i */
	int64_t i;
	char *owned;		/* s when it is ours to free */
};

struct search {
	struct sohoa_ctx *ctx;
	sqlite3 *db;
	const struct sohoa_search_opts *opts;
	int limit;
	int cap;		/* matches ranked at most */
	struct sohoa_buf where;	/* " AND ..." on d, placeholders ?2.. */
	struct bind *binds;
	int nbinds;
	int join;		/* filters need documents d */
	struct sohoa_buf field_expr;	/* FTS5 phrases of field filters */
	int nfield_phrases;
	struct sohoa_search_result *res;
	size_t alloc;
};

/* An FTS5 expression with one byte per phrase for rank and snippets. */
struct expr {
	struct sohoa_buf e;	/* the expression */
	struct sohoa_buf m;	/* sohoa_rank() mask */
	struct sohoa_buf g;	/* sohoa_snippet() groups */
};

static void
expr_init(struct expr *x)
{
	sohoa_buf_init(&x->e);
	sohoa_buf_init(&x->m);
	sohoa_buf_init(&x->g);
}

static void
expr_release(struct expr *x)
{
	sohoa_buf_release(&x->e);
	sohoa_buf_release(&x->m);
	sohoa_buf_release(&x->g);
}

static void
expr_reset(struct expr *x)
{
	sohoa_buf_reset(&x->e);
	sohoa_buf_reset(&x->m);
	sohoa_buf_reset(&x->g);
}

/* Append text S to the expression (operators, parentheses, filters). */
static int
ex(struct expr *x, const char *s)
{
	return sohoa_buf_adds(&x->e, s);
}

/*
 * Append the phrase "TEXT" (MARK: a first byte SOHOA_FTS_EXACT or
 * SOHOA_FTS_HEAD, or 0), with a '*' when PREFIX, scored as M and
 * highlighted as G.  TEXT is folded letters and digits: it never holds
 * a quote.
 */
static int
ex_phrase(struct expr *x, char mark, const char *text, int prefix, char m,
    char g)
{
	if (mark != 0 && sohoa_buf_addf(&x->e, "\"%c%s\"%s", mark, text,
	    prefix ? "*" : "") != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	if (mark == 0 && sohoa_buf_addf(&x->e, "\"%s\"%s", text,
	    prefix ? "*" : "") != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	if (sohoa_buf_addch(&x->m, m) != SOHOA_OK ||
	    sohoa_buf_addch(&x->g, g) != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	return SOHOA_OK;
}

static int
db_fail(struct search *s, const char *what)
{
	const char *msg = sqlite3_errmsg(s->db);
	int ec = sqlite3_errcode(s->db);

	/* an FTS5 syntax error here is our bug, but still the query's fault */
	if (ec == SQLITE_ERROR && (strstr(msg, "fts5") != NULL ||
	    strstr(msg, "syntax") != NULL))
		return sohoa_set_error(s->ctx, SOHOA_ERR_INPUT,
		    "cannot understand the query");
	return sohoa_set_error(s->ctx, ec == SQLITE_BUSY ||
	    ec == SQLITE_LOCKED ? SOHOA_ERR_BUSY : SOHOA_ERR_DB,
	    "cannot %s: %s", what, msg);
}

static int
nomem(struct search *s)
{
	return sohoa_set_error(s->ctx, SOHOA_ERR_NOMEM, "out of memory");
}

/* Bind STR (or I when STR is NULL); OWNED is freed with the search. */
static int
add_bind(struct search *s, const char *str, int64_t i, char *owned)
{
	struct bind *b;

	b = realloc(s->binds, sizeof(*b) * (size_t)(s->nbinds + 1));
	if (b == NULL) {
		free(owned);
		return nomem(s);
	}
	s->binds = b;
	b[s->nbinds].s = owned != NULL ? owned : str;
	b[s->nbinds].i = i;
	b[s->nbinds].owned = owned;
	s->nbinds++;
	/* ?1 is the MATCH expression */
	if (sohoa_buf_addf(&s->where, "?%d", s->nbinds + 1) != SOHOA_OK)
		return nomem(s);
	return SOHOA_OK;
}

static void
bind_filters(struct search *s, sqlite3_stmt *st)
{
	int i;

	for (i = 0; i < s->nbinds; i++) {
		if (s->binds[i].s != NULL)
			sqlite3_bind_text(st, i + 2, s->binds[i].s, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, i + 2, s->binds[i].i);
	}
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a plausible month and day. */
static int
valid_date(const char *d)
{
	size_t n = strlen(d), i;

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (d[i] != '-')
				return 0;
		} else if (d[i] < '0' || d[i] > '9') {
			return 0;
		}
	}
	if (n >= 7 && ((d[5] == '0' && d[6] == '0') || d[5] > '1' ||
	    (d[5] == '1' && d[6] > '2')))
		return 0;
	if (n == 10 && ((d[8] == '0' && d[9] == '0') || d[8] > '3' ||
	    (d[8] == '3' && d[9] > '1')))
		return 0;
	return 1;
}

static int
dossier_id(struct search *s, const char *code, int64_t *pid)
{
	sqlite3_stmt *st = NULL;
	int rc = SOHOA_OK, src;

	*pid = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM dossiers WHERE code = ?1 "
	    "UNION ALL SELECT id FROM dossiers WHERE CAST(id AS TEXT) = ?1 "
	    "LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, "look up the dossier");
		goto out;
	}
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		*pid = sqlite3_column_int64(st, 0);
	else if (src == SQLITE_DONE)
		rc = sohoa_set_error(s->ctx, SOHOA_ERR_NOTFOUND,
		    "no dossier '%s' in the archive", code);
	else
		rc = db_fail(s, "look up the dossier");
out:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Turn the document and field filters into s->where.  Field values are
 * also put in s->field_expr as pair-token phrases on the fields column,
 * which find the candidates through the index (a name is two rare pairs,
 * not three common words) before the exact check.
 */
static int
build_filters(struct search *s)
{
	const struct sohoa_search_opts *o = s->opts;
	struct sohoa_buf fold = SOHOA_BUF_INIT, val = SOHOA_BUF_INIT;
	int64_t did;
	size_t i;
	int rc = SOHOA_OK, ntok, differ;

	if (o->nfields > 32)
		return sohoa_set_error(s->ctx, SOHOA_ERR_INPUT,
		    "too many field filters (at most 32)");
	if (o->doc_type != NULL && *o->doc_type) {
		s->join = 1;
		if (sohoa_buf_adds(&s->where, " AND d.doc_type = ") != SOHOA_OK)
			return nomem(s);
		if ((rc = add_bind(s, o->doc_type, 0, NULL)) != SOHOA_OK)
			return rc;
		if (sohoa_buf_adds(&s->where, " COLLATE NOCASE") != SOHOA_OK)
			return nomem(s);
	}
	if (o->dossier != NULL && *o->dossier) {
		if ((rc = dossier_id(s, o->dossier, &did)) != SOHOA_OK)
			return rc;
		s->join = 1;
		if (sohoa_buf_adds(&s->where, " AND d.dossier_id = ") !=
		    SOHOA_OK)
			return nomem(s);
		if ((rc = add_bind(s, NULL, did, NULL)) != SOHOA_OK)
			return rc;
	}
	if (o->date_from != NULL && *o->date_from) {
		s->join = 1;
		if (sohoa_buf_adds(&s->where, " AND d.doc_date >= ") !=
		    SOHOA_OK)
			return nomem(s);
		if ((rc = add_bind(s, o->date_from, 0, NULL)) != SOHOA_OK)
			return rc;
	}
	if (o->date_to != NULL && *o->date_to) {
		/* "2019" or "2019-05" must keep all of 2019-05-31 */
		s->join = 1;
		if (sohoa_buf_adds(&s->where, " AND d.doc_date <= ") !=
		    SOHOA_OK)
			return nomem(s);
		if ((rc = add_bind(s, o->date_to, 0, NULL)) != SOHOA_OK)
			return rc;
		if (sohoa_buf_adds(&s->where, " || '~'") != SOHOA_OK)
			return nomem(s);
	}
	for (i = 0; i < o->nfields; i++) {
		sohoa_buf_reset(&val);
		sohoa_buf_reset(&fold);
		if (sohoa_utf8_fold(o->fields[i].value, &val) != SOHOA_OK ||
		    sohoa_fts_terms(val.buf, val.len, &fold, NULL, &ntok,
		    &differ) != SOHOA_OK)
			goto nomem;
		if (ntok > 0 && sohoa_buf_addf(&s->field_expr,
		    "%s{fields} : \"%c%s\"", s->field_expr.len ? " AND " : "",
		    SOHOA_FTS_HEAD, fold.buf) != SOHOA_OK)
			goto nomem;
		if (ntok > 0)
			s->nfield_phrases++;
		s->join = 1;
		if (sohoa_buf_adds(&s->where, " AND EXISTS (SELECT 1 FROM "
		    "fields x WHERE x.document_id = d.id AND x.key = ") !=
		    SOHOA_OK)
			goto nomem;
		if ((rc = add_bind(s, o->fields[i].key, 0, NULL)) != SOHOA_OK)
			goto out;
		if (sohoa_buf_adds(&s->where, " AND trim(sohoa_fold(x.value)) "
		    "= trim(") != SOHOA_OK)
			goto nomem;
		if ((rc = add_bind(s, NULL, 0, sohoa_buf_detach(&val, NULL))) !=
		    SOHOA_OK)
			goto out;
		if (sohoa_buf_adds(&s->where, "))") != SOHOA_OK)
			goto nomem;
	}
	goto out;
nomem:
	rc = nomem(s);
out:
	sohoa_buf_release(&fold);
	sohoa_buf_release(&val);
	return rc;
}

/* AND the field filters' phrases into X (they are only there to match). */
static int
add_field_expr(struct search *s, struct expr *x)
{
	int i;

	if (s->field_expr.len == 0)
		return SOHOA_OK;
	if (sohoa_buf_addf(&x->e, "%s%s", x->e.len ? " AND " : "",
	    s->field_expr.buf) != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < s->nfield_phrases; i++)
		if (sohoa_buf_addch(&x->m, '2') != SOHOA_OK ||
		    sohoa_buf_addch(&x->g, '-') != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
	return SOHOA_OK;
}

static char *
dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	size_t n;
	char *p;

	if (t == NULL)
		return NULL;
	n = (size_t)sqlite3_column_bytes(st, col);
	p = malloc(n + 1);
	if (p != NULL) {
		memcpy(p, t, n);
		p[n] = '\0';
	}
	return p;
}

/* Snippets go on one line: runs of white space become one space. */
static void
one_line(char *s)
{
	char *r, *w = s;
	int space = 0;

	for (r = s; *r; r++) {
		if (*r == '\n' || *r == '\r' || *r == '\t' || *r == ' ') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
}

static int
has_hit(const struct sohoa_search_result *r, int64_t id)
{
	size_t i;

	for (i = 0; i < r->nhits; i++)
		if (r->hits[i].doc_id == id)
			return 1;
	return 0;
}

static int
push_hit(struct search *s, int64_t id, double score, int exact, int fuzzy,
    int match)
{
	struct sohoa_search_result *r = s->res;
	struct sohoa_search_hit *h;

	if (r->nhits == s->alloc) {
		size_t n = s->alloc ? s->alloc * 2 : 16;

		h = realloc(r->hits, n * sizeof(*h));
		if (h == NULL)
			return nomem(s);
		r->hits = h;
		s->alloc = n;
	}
	h = &r->hits[r->nhits++];
	memset(h, 0, sizeof(*h));
	h->doc_id = id;
	h->score = score;
	h->exact = exact;
	h->fuzzy = fuzzy;
	h->match = match;
	return SOHOA_OK;
}

/*
 * Snippets of hits FROM.. with X (an expression that matches them all,
 * with the groups of its phrases), made from each hit's text as FTS5
 * keeps it (search_fts_content): one row read per hit.  Asking FTS5
 * for snippet() would walk the doclists of every phrase of X between
 * the smallest and the largest hit (20 ms for the words of a name at
 * 300,000 pages), or seek them all again per hit.
 */
static int
fill_snippets(struct search *s, size_t from, const struct expr *x)
{
	const struct sohoa_search_opts *o = s->opts;
	struct sohoa_fts_snip *sn = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct sohoa_search_hit *h;
	const char *text[SOHOA_FTS_NCOLS];
	int ntext[SOHOA_FTS_NCOLS], col, src, match;
	size_t i;
	int rc = SOHOA_OK;

	if (sohoa_fts_snip_new(x->e.buf, x->g.buf, &sn) != SOHOA_OK)
		goto nomem;
	if (sqlite3_prepare_v2(s->db, "SELECT c0, c1, c2, c3 FROM "
	    "search_fts_content WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, "read the hits");
		goto out;
	}
	for (i = from; i < s->res->nhits; i++) {
		h = &s->res->hits[i];
		if (h->snippet != NULL)
			continue;
		sqlite3_bind_int64(st, 1, h->doc_id);
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			for (col = 0; col < SOHOA_FTS_NCOLS; col++) {
				text[col] = (const char *)sqlite3_column_text(st,
				    col);
				ntext[col] = sqlite3_column_bytes(st, col);
			}
			sohoa_buf_reset(&out);
			if (sohoa_fts_snip_row(sn, text, ntext, o->hl_open ?
			    o->hl_open : "[", o->hl_close ? o->hl_close : "]",
			    SOHOA_FTS_SNIPPET_TOKENS, &out, &match) !=
			    SOHOA_OK)
				goto nomem;
			if (match && (h->snippet = sohoa_buf_detach(&out,
			    NULL)) == NULL)
				goto nomem;
		} else if (src != SQLITE_DONE) {
			rc = db_fail(s, "read the hits");
			goto out;
		}
		sqlite3_reset(st);
	}
	goto out;
nomem:
	rc = nomem(s);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&out);
	sohoa_fts_snip_destroy(&sn);
	return rc;
}

/* Fill the document columns and snippet of hits FROM.. with X. */
static int
fill_hits(struct search *s, size_t from, const struct expr *x)
{
	sqlite3_stmt *doc = NULL;
	struct sohoa_search_hit *h;
	const char *name;
	size_t i, nlen;
	int rc = SOHOA_OK;

	if (from >= s->res->nhits)
		return SOHOA_OK;
	if (x != NULL && (rc = fill_snippets(s, from, x)) != SOHOA_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT COALESCE(s.code, ''), "
	    "d.doc_type, d.doc_date, d.title FROM documents d LEFT JOIN "
	    "dossiers s ON s.id = d.dossier_id WHERE d.id = ?1", -1, &doc,
	    NULL) != SQLITE_OK) {
		rc = db_fail(s, "read the hits");
		goto out;
	}
	for (i = from; i < s->res->nhits; i++) {
		h = &s->res->hits[i];
		sqlite3_bind_int64(doc, 1, h->doc_id);
		if (sqlite3_step(doc) == SQLITE_ROW) {
			h->dossier = dup_col(doc, 0);
			h->doc_type = dup_col(doc, 1);
			h->date = dup_col(doc, 2);
			h->title = dup_col(doc, 3);
		}
		sqlite3_reset(doc);
		if (h->dossier == NULL)
			h->dossier = strdup("");
		if (h->doc_type == NULL)
			h->doc_type = strdup("");
		if (h->title == NULL)
			h->title = strdup("");
		if (h->dossier == NULL || h->doc_type == NULL ||
		    h->title == NULL)
			goto nomem;
		h->type_name = strdup(sohoa_fts_type_name(h->doc_type, NULL));
		sohoa_fts_title_name(h->title, h->doc_type, &name, &nlen);
		if (nlen > 0 && (h->name = strndup(name, nlen)) == NULL)
			goto nomem;
		if (h->snippet == NULL)
			h->snippet = strdup(h->name ? h->name : "");
		if (h->snippet == NULL || h->type_name == NULL)
			goto nomem;
		one_line(h->snippet);
	}
	goto out;
nomem:
	rc = nomem(s);
out:
	sqlite3_finalize(doc);
	return rc;
}

/* No words: list the documents the filters keep, newest first. */
static int
list_docs(struct search *s)
{
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, src;

	/* deleted documents are out of the index, and out of lists too */
	if (sohoa_buf_addf(&sql, "SELECT d.id FROM documents d WHERE ?1 IS "
	    "NULL AND d.deleted_at IS NULL%s ORDER BY d.doc_date DESC,"
	    " d.id DESC LIMIT %d",
	    s->where.buf, s->limit) != SOHOA_OK)
		return nomem(s);
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, "search the archive");
		goto out;
	}
	bind_filters(s, st);
	rc = SOHOA_OK;
	while (rc == SOHOA_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
		rc = push_hit(s, sqlite3_column_int64(st, 0), 0, 0, 0,
		    SOHOA_MATCH_NONE);
	if (rc == SOHOA_OK && src != SQLITE_DONE)
		rc = db_fail(s, "search the archive");
	if (rc == SOHOA_OK)
		rc = fill_hits(s, 0, NULL);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	return rc;
}

/* How the hits of one pass are ranked and marked. */
struct pass {
	int match;		/* enum sohoa_search_match */
	int fuzzy;
	int nwords;		/* the title of exactly this many words first */
};

/* A match of a pass and its rank; kept best first. */
struct cand {
	int64_t id;
	double r;
};

/*
 * Keep (ID, R) among the best KEEP of C[0..*PN), ordered by R, then by
 * rowid, larger first.  Rows come in descending rowid order, so a row
 * goes after those of the same rank already kept.
 */
static void
keep_cand(struct cand *c, int *pn, int keep, int64_t id, double r)
{
	int lo = 0, hi = *pn, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c[mid].r >= r)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= keep)
		return;
	if (*pn < keep)
		(*pn)++;
	memmove(c + lo + 1, c + lo, sizeof(*c) * (size_t)(*pn - 1 - lo));
	c[lo].id = id;
	c[lo].r = r;
}

/*
 * One pass: rank the documents matching X, append the best to the result
 * (skipping those already there), and fill them in with snippets from
 * SNIP.
 *
 * One statement walks the matches from the most recent (FTS5 walks the
 * doclists backwards, no sorter) and ranks each; the best are kept
 * here.  When more than s->cap documents match, only the s->cap most
 * recent are ranked: a cut-off found by a walk of its own, then ranked
 * in a second walk, cost twice the doclists.  With document filters,
 * the window is the s->cap most recent matches of the text, and only
 * when the filters leave fewer than LIMIT hits in it does the walk go
 * on, to the s->cap most recent documents the filters keep; the filters
 * are a documents lookup per match, made only as far as the walk goes.
 */
static int
run_pass(struct search *s, const struct expr *x, const struct pass *ps,
    const struct expr *snip)
{
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct cand *c = NULL;
	size_t from = s->res->nhits;
	int keep, nc = 0, ntext = 0, nkept = 0, capped = 0, i, src;
	int rc = SOHOA_OK;
	double score;

	/* hits of earlier passes come again: keep enough */
	keep = s->limit + (int)from;
	c = malloc(sizeof(*c) * (size_t)(keep + 1));
	if (c == NULL)
		goto nomem;
	/* numbered: a name seen before ?1 would take number 1 */
	if (s->join)
		rc = sohoa_buf_addf(&sql, "SELECT search_fts.rowid, CASE WHEN "
		    "EXISTS (SELECT 1 FROM documents d WHERE d.id = "
		    "search_fts.rowid%s) THEN sohoa_rank(search_fts, ?%d, %d, "
		    WEIGHTS ") END FROM search_fts WHERE search_fts MATCH ?1 "
		    "ORDER BY search_fts.rowid DESC", s->where.buf,
		    s->nbinds + 2, ps->nwords);
	else
		rc = sohoa_buf_addf(&sql, "SELECT search_fts.rowid, sohoa_rank("
		    "search_fts, ?%d, %d, " WEIGHTS ") FROM search_fts WHERE "
		    "search_fts MATCH ?1 ORDER BY search_fts.rowid DESC",
		    s->nbinds + 2, ps->nwords);
	if (rc != SOHOA_OK)
		goto nomem;
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, x->e.buf, -1, SQLITE_STATIC);
	bind_filters(s, st);
	sqlite3_bind_text(st, s->nbinds + 2, x->m.buf, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (ntext == s->cap) {
			capped = 1;
			break;
		}
		ntext++;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		nkept++;
		keep_cand(c, &nc, keep, sqlite3_column_int64(st, 0),
		    sqlite3_column_double(st, 1));
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		goto dberr;
	if (capped && s->join) {
		/* hits this window gives, after those of earlier passes */
		int fresh = 0;

		for (i = 0; i < nc; i++)
			fresh += !has_hit(s->res, c[i].id);
		if ((int)from + fresh < s->limit) {
			/* the s->cap most recent documents the filters keep */
			capped = 0;
			while ((src = sqlite3_step(st)) == SQLITE_ROW) {
				if (sqlite3_column_type(st, 1) == SQLITE_NULL)
					continue;
				if (nkept == s->cap) {
					capped = 1;
					break;
				}
				nkept++;
				keep_cand(c, &nc, keep, sqlite3_column_int64(st,
				    0), sqlite3_column_double(st, 1));
			}
			if (src != SQLITE_ROW && src != SQLITE_DONE)
				goto dberr;
		}
	}
	for (i = 0; i < nc && s->res->nhits < (size_t)s->limit; i++) {
		int exact;

		if (has_hit(s->res, c[i].id))
			continue;
		score = c[i].r;
		score -= (int)(score / SOHOA_FTS_WHOLE_UNIT) *
		    SOHOA_FTS_WHOLE_UNIT;
		exact = (int)(score / SOHOA_FTS_EXACT_UNIT);
		score -= exact * SOHOA_FTS_EXACT_UNIT;
		if ((rc = push_hit(s, c[i].id, score, exact, ps->fuzzy,
		    ps->match)) != SOHOA_OK)
			goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (capped && !ps->fuzzy)
		s->res->capped = 1;
	rc = fill_hits(s, from, snip != NULL ? snip : x);
	goto out;
nomem:
	rc = nomem(s);
	goto out;
dberr:
	rc = db_fail(s, "search the archive");
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	free(c);
	return rc;
}

/* ---- prefixes ------------------------------------------------------------ */

/*
 * The words of search_words that start with PREFIX, most common first,
 * at most PREFIX_WORDS, space-separated in OUT (sohoa_fts_expand_fn).
 */
static int
expand_prefix(void *arg, const char *prefix, struct sohoa_buf *out)
{
	struct search *s = arg;
	sqlite3_stmt *st = NULL;
	char *end = NULL;
	size_t n = strlen(prefix);
	int rc = SOHOA_OK, src;

	if (n == 0)
		return SOHOA_OK;
	end = strdup(prefix);
	if (end == NULL)
		return nomem(s);
	/* the first string past every word that starts with PREFIX */
	end[n - 1] = (char)((unsigned char)end[n - 1] + 1);
	if (sqlite3_prepare_v2(s->db, "SELECT word FROM search_words WHERE "
	    "word >= ?1 AND word < ?2 ORDER BY n DESC, word LIMIT ?3", -1,
	    &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, "look up a prefix");
		goto out;
	}
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, PREFIX_WORDS);
	while ((src = sqlite3_step(st)) == SQLITE_ROW)
		if ((out->len > 0 && sohoa_buf_addch(out, ' ') != SOHOA_OK) ||
		    sohoa_buf_adds(out, (const char *)sqlite3_column_text(st,
		    0)) != SOHOA_OK) {
			rc = nomem(s);
			goto out;
		}
	if (src != SQLITE_DONE)
		rc = db_fail(s, "look up a prefix");
out:
	sqlite3_finalize(st);
	free(end);
	return rc;
}

/* ---- the tiers of a plain query ----------------------------------------- */

/*
 * The query's words in order, as alternatives of the whole token
 * sequence: one, or one per word a final prefix stands for.
 */
struct seq {
	char **alt;		/* folded tokens, space-separated */
	int nalt;
	int prefix;		/* the last token is a prefix FTS5 expands */
	int ntok;
};

static void
seq_release(struct seq *q)
{
	int i;

	for (i = 0; i < q->nalt; i++)
		free(q->alt[i]);
	free(q->alt);
	memset(q, 0, sizeof(*q));
}

static int
seq_add(struct seq *q, const char *head, size_t hlen, const char *tail,
    size_t tlen)
{
	char **v, *a;

	v = realloc(q->alt, sizeof(*v) * (size_t)(q->nalt + 1));
	if (v == NULL)
		return SOHOA_ERR_NOMEM;
	q->alt = v;
	a = malloc(hlen + tlen + 1);
	if (a == NULL)
		return SOHOA_ERR_NOMEM;
	memcpy(a, head, hlen);
	memcpy(a + hlen, tail, tlen);
	a[hlen + tlen] = '\0';
	q->alt[q->nalt++] = a;
	return SOHOA_OK;
}

/*
 * The sequence of words FROM..TO (exclusive) of Q, or 0 in *POK when it
 * cannot be one phrase (a prefix that is not last).  ALTS, when not
 * NULL, gives near spellings of each word (fuzzy): one alternative per
 * word replaced by one of its spellings.
 */
static int
make_seq(const struct sohoa_fts_query *q, int from, int to,
    char *const *alts, struct seq *out, int *pok)
{
	struct sohoa_buf head = SOHOA_BUF_INIT;
	const struct sohoa_fts_word *w;
	const char *p, *e;
	int i, rc = SOHOA_OK;

	memset(out, 0, sizeof(*out));
	*pok = 0;
	for (i = from; i < to; i++) {
		w = &q->words[i];
		if (w->prefix && i != to - 1)
			goto out;
		out->ntok += w->ntok;
	}
	if (alts != NULL) {
		/*
		 * One word at a time replaced by a near spelling: a slip or a
		 * misread letter is in one word of a name, rarely in two.
		 */
		int r, k;

		for (r = from; r < to; r++) {
			for (p = alts[r], k = 0; p != NULL && *p; p = *e ? e + 1 :
			    e, k++) {
				e = strchr(p, ' ');
				if (e == NULL)
					e = p + strlen(p);
				sohoa_buf_reset(&head);
				for (i = from; i < to; i++) {
					if (i > from && sohoa_buf_addch(&head,
					    ' ') != SOHOA_OK)
						goto nomem;
					if (i == r ? sohoa_buf_add(&head, p,
					    (size_t)(e - p)) != SOHOA_OK :
					    sohoa_buf_adds(&head,
					    q->words[i].fold) != SOHOA_OK)
						goto nomem;
				}
				if (out->nalt < FUZZY_COMBOS &&
				    seq_add(out, head.buf, head.len, "", 0) !=
				    SOHOA_OK)
					goto nomem;
			}
		}
		*pok = out->nalt > 0;
		goto out;
	}
	for (i = from; i < to; i++) {
		w = &q->words[i];
		if (i > from && sohoa_buf_addch(&head, ' ') != SOHOA_OK)
			goto nomem;
		if (!(w->prefix && w->expand != NULL && i == to - 1) &&
		    sohoa_buf_adds(&head, w->fold) != SOHOA_OK)
			goto nomem;
	}
	w = &q->words[to - 1];
	if (w->prefix && w->expand != NULL) {
		/* "pham thi ng*": "pham thi ngoc", "pham thi nga", ... */
		const char *lt = strrchr(w->fold, ' ');

		if (lt != NULL && sohoa_buf_add(&head, w->fold,
		    (size_t)(lt - w->fold) + 1) != SOHOA_OK)
			goto nomem;
		for (p = w->expand; *p; p = *e ? e + 1 : e) {
			e = strchr(p, ' ');
			if (e == NULL)
				e = p + strlen(p);
			if (seq_add(out, head.buf, head.len, p,
			    (size_t)(e - p)) != SOHOA_OK)
				goto nomem;
		}
	} else {
		out->prefix = w->prefix;
		if (seq_add(out, head.buf, head.len, "", 0) != SOHOA_OK)
			goto nomem;
	}
	*pok = out->nalt > 0;
	goto out;
nomem:
	rc = SOHOA_ERR_NOMEM;
out:
	sohoa_buf_release(&head);
	if (rc != SOHOA_OK || !*pok)
		seq_release(out);
	return rc;
}

/*
 * (A OR B ...) of the alternatives of Q as phrases of pair tokens (MARK
 * SOHOA_FTS_HEAD or SOHOA_FTS_TEXT_PAIRS) or of words (MARK 0).
 */
static int
ex_seq(struct expr *x, const struct seq *q, char mark, char m)
{
	int i;

	if (q->nalt > 1 && ex(x, "(") != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < q->nalt; i++) {
		if (i > 0 && ex(x, " OR ") != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		if (ex_phrase(x, mark, q->alt[i], q->prefix, m, '-') !=
		    SOHOA_OK)
			return SOHOA_ERR_NOMEM;
	}
	if (q->nalt > 1 && ex(x, ")") != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	return SOHOA_OK;
}

/*
 * AND, for each word typed with marks, ("folded" OR "\x01exact") within
 * COLS (or anywhere when NULL): the documents do not change, and
 * sohoa_rank() counts the exact spellings.
 */
static int
ex_exact(struct expr *x, const struct sohoa_fts_query *q, const char *cols)
{
	int i;

	for (i = 0; i < q->nw; i++) {
		if (q->words[i].exact == NULL)
			continue;
		if (sohoa_buf_addf(&x->e, " AND %s%s(", cols ? cols : "",
		    cols ? " : " : "") != SOHOA_OK ||
		    ex_phrase(x, 0, q->words[i].fold, 0, '2', '-') !=
		    SOHOA_OK || ex(x, " OR ") != SOHOA_OK ||
		    ex_phrase(x, SOHOA_FTS_EXACT, q->words[i].exact, 0, '1',
		    '-') != SOHOA_OK || ex(x, ")") != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
	}
	return SOHOA_OK;
}

/*
 * AND the words of Q, each as its own group, for snippets: whichever
 * tier found the document, every word it has is highlighted.
 */
static int
ex_words(struct expr *x, const struct sohoa_fts_query *q)
{
	const struct sohoa_fts_word *w;
	const char *p, *e;
	char g, buf[128];
	int i, n;

	for (i = 0; i < q->nw; i++) {
		w = &q->words[i];
		g = (char)('a' + i % 26);
		if (x->e.len > 0 && ex(x, " AND ") != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		if (!(w->prefix && w->expand != NULL)) {
			if (ex_phrase(x, 0, w->fold, w->prefix, '2', g) !=
			    SOHOA_OK)
				return SOHOA_ERR_NOMEM;
			continue;
		}
		if (ex(x, "(") != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		for (p = w->expand, n = 0; *p; p = *e ? e + 1 : e, n++) {
			e = strchr(p, ' ');
			if (e == NULL)
				e = p + strlen(p);
			snprintf(buf, sizeof(buf), "%.*s", (int)(e - p), p);
			if ((n > 0 && ex(x, " OR ") != SOHOA_OK) ||
			    ex_phrase(x, 0, buf, 0, '2', g) != SOHOA_OK)
				return SOHOA_ERR_NOMEM;
		}
		if (ex(x, ")") != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
	}
	return SOHOA_OK;
}

/* Snippet expression of a tier: the tier's phrases AND the words. */
static int
snip_expr(const struct expr *tier, const struct sohoa_fts_query *q,
    struct expr *snip)
{
	size_t i;

	expr_reset(snip);
	if (sohoa_buf_addf(&snip->e, "(%s)", tier->e.buf) != SOHOA_OK ||
	    sohoa_buf_add(&snip->m, tier->m.buf, tier->m.len) != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < tier->m.len; i++)
		if (sohoa_buf_addch(&snip->g, '-') != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
	return ex_words(snip, q);
}

/* Run one tier: X with the field filters, snippets with the words. */
static int
tier(struct search *s, const struct sohoa_fts_query *q, struct expr *x,
    const struct pass *ps)
{
	struct expr snip;
	int rc;

	if (s->res->nhits >= (size_t)s->limit)
		return SOHOA_OK;
	expr_init(&snip);
	if (add_field_expr(s, x) != SOHOA_OK ||
	    snip_expr(x, q, &snip) != SOHOA_OK)
		rc = nomem(s);
	else
		rc = run_pass(s, x, ps, &snip);
	expr_release(&snip);
	return rc;
}

/*
 * The phrase tiers (TITLE, FIELD, TEXT) of the words of Q as SEQ, which
 * is the query as typed or its near spellings (FUZZY).  All three look
 * up pair tokens: the words side by side on a line, not across a form
 * label.  With WALK, the TEXT tier is the words as a phrase FTS5 walks
 * instead, which also finds them across a line break or a label, at the
 * cost of walking every document that has all the words.
 */
static int
phrase_tiers(struct search *s, const struct sohoa_fts_query *q,
    const struct seq *seq, int fuzzy, int walk)
{
	static const struct {
		int match;
		const char *cols;
		char mark;
	} tiers[] = {
		{ SOHOA_MATCH_TITLE, "{kind title}", SOHOA_FTS_HEAD },
		{ SOHOA_MATCH_FIELD, "{fields}", SOHOA_FTS_HEAD },
		{ SOHOA_MATCH_TEXT, "{body}", SOHOA_FTS_TEXT_PAIRS },
	};
	struct expr x;
	struct pass ps;
	size_t i;
	char mark;
	int rc = SOHOA_OK, text;

	expr_init(&x);
	for (i = 0; i < sizeof(tiers) / sizeof(tiers[0]) && rc == SOHOA_OK;
	    i++) {
		text = tiers[i].match == SOHOA_MATCH_TEXT;
		/* near spellings: the name and the fields only */
		if (fuzzy && text)
			break;
		if (walk && !text)
			continue;
		mark = walk ? 0 : tiers[i].mark;
		expr_reset(&x);
		/*
		 * A phrase in the text is not scored (its documents are not
		 * counted for its IDF): the exact spellings, then the most
		 * recent, as when it was walked.
		 */
		if (sohoa_buf_addf(&x.e, "%s : ", tiers[i].cols) != SOHOA_OK ||
		    ex_seq(&x, seq, mark, !text || seq->ntok == 1 ? '0' :
		    '2') != SOHOA_OK || (!fuzzy && ex_exact(&x, q, NULL) !=
		    SOHOA_OK)) {
			rc = nomem(s);
			break;
		}
		ps.match = tiers[i].match;
		ps.fuzzy = fuzzy;
		/* a one-word name is rare: spare its title lengths */
		ps.nwords = tiers[i].match == SOHOA_MATCH_TITLE &&
		    seq->ntok > 1 ? seq->ntok : 0;
		rc = tier(s, q, &x, &ps);
	}
	expr_release(&x);
	return rc;
}

/* A run of the PARTS tier: two words or more, or a number. */
static int
run_ok(const struct sohoa_fts_query *q, int from, int to)
{
	const char *p;

	if (to - from >= 2 || q->words[from].ntok >= 2)
		return 1;
	for (p = q->words[from].fold; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/*
 * PARTS: the words in two runs (or three, for short queries), each run
 * side by side somewhere in the type, name and fields: "khai sinh" in
 * the type and "nguyen van duc" in the name.
 */
static int
parts_tier(struct search *s, const struct sohoa_fts_query *q)
{
	struct expr x;
	struct seq part;
	struct pass ps = { SOHOA_MATCH_PARTS, 0, 0 };
	int cuts[2], ncut, i, j, k, n = q->nw, ok, first = 1, rc = SOHOA_OK;

	if (n < 3 || n > PARTS_WORDS)
		return SOHOA_OK;
	for (i = 0; i < n; i++)
		if (q->words[i].prefix)
			return SOHOA_OK;
	expr_init(&x);
	if (ex(&x, "{kind title fields} : (") != SOHOA_OK)
		goto nomem;
	for (i = 1; i < n; i++) {
		for (j = i; j < n; j++) {
			/* j == i: two runs; j > i: three, at i and at j */
			if (j > i && n > PARTS3_WORDS)
				break;
			ncut = 0;
			cuts[ncut++] = i;
			if (j > i)
				cuts[ncut++] = j;
			/* a common word alone is no run ("ban" in "ỦY BAN") */
			if (!run_ok(q, 0, i) || !run_ok(q, i, j > i ? j : n) ||
			    (j > i && !run_ok(q, j, n)))
				continue;
			if (ex(&x, first ? "(" : " OR (") != SOHOA_OK)
				goto nomem;
			first = 0;
			for (k = 0; k <= ncut; k++) {
				int from = k == 0 ? 0 : cuts[k - 1];
				int to = k == ncut ? n : cuts[k];

				rc = make_seq(q, from, to, NULL, &part, &ok);
				if (rc != SOHOA_OK)
					goto nomem;
				if ((k > 0 && ex(&x, " AND ") != SOHOA_OK) ||
				    ex_seq(&x, &part, SOHOA_FTS_HEAD, '0') !=
				    SOHOA_OK) {
					seq_release(&part);
					goto nomem;
				}
				seq_release(&part);
			}
			if (ex(&x, ")") != SOHOA_OK)
				goto nomem;
		}
	}
	if (first)
		goto out;	/* no split into runs */
	if (ex(&x, ")") != SOHOA_OK || ex_exact(&x, q, NULL) != SOHOA_OK)
		goto nomem;
	rc = tier(s, q, &x, &ps);
	goto out;
nomem:
	rc = nomem(s);
out:
	expr_release(&x);
	return rc;
}

/* A term of a query's AND, and how many documents have its word. */
struct term {
	const char *e;		/* in the expression */
	size_t len;
	const char *m;		/* its phrases' rank mask */
	size_t nm;
	int64_t n;
};

static int
term_cmp(const void *a, const void *b)
{
	const struct term *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->e < y->e ? -1 : x->e > y->e;
}

/*
 * The terms of Q's expression, "(t1 AND t2 ...)", in T (at most NT);
 * their number, 0 when it is not that shape.
 */
static int
split_terms(const struct sohoa_fts_query *q, struct term *t, int nt)
{
	const char *p = q->expr.buf, *start, *m = q->exact_mask.buf;
	int n = 0, depth = 0, quoted = 0;

	if (*p != '(' || q->expr.len < 2 || p[q->expr.len - 1] != ')')
		return 0;
	p++;
	start = p;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			if (!quoted) {
				if (n == nt)
					return 0;
				t[n].nm++;	/* one more phrase */
			}
		} else if (quoted) {
			continue;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && depth > 0) {
			depth--;
		} else if ((*p == ')' && p[1] == '\0') ||
		    (depth == 0 && strncmp(p, " AND ", 5) == 0)) {
			if (n == nt)
				return 0;
			t[n].e = start;
			t[n].len = (size_t)(p - start);
			t[n].m = m;
			m += t[n].nm;
			n++;
			if (*p == ')')
				break;
			p += 4;
			start = p + 1;
			if (n < nt)
				t[n].nm = 0;
		}
	}
	if (m != q->exact_mask.buf + q->exact_mask.len)
		return 0;
	return n;
}

/*
 * The AND of Q's words for the WORDS tier in X, nested from the rarest
 * word out: ((rare AND rarer OR "") AND common OR "") AND most_common.
 * FTS5 merges an AND into its parent AND and moves every child to each
 * candidate any child proposes, so a word in nearly every document
 * ("tinh", "nhan", "nguyen") is decoded over the whole range walked;
 * an OR with the empty phrase (which matches nothing) is a node of its
 * own, and the words outside it only move to its matches.  Same
 * documents; the phrases are numbered in the new order, the masks
 * follow.  Word counts are those of search_words (titles and fields);
 * a word not there, a phrase or a prefix counts as rare.
 */
static int
nested_words(struct search *s, const struct sohoa_fts_query *q,
    struct expr *x, int *pdone)
{
	struct term t[PARTS_WORDS];
	sqlite3_stmt *st = NULL;
	size_t j;
	int n, i, rc = SOHOA_OK;

	*pdone = 0;
	memset(t, 0, sizeof(t));
	n = q->nw >= 3 && q->nw <= PARTS_WORDS ? split_terms(q, t,
	    PARTS_WORDS) : 0;
	if (n != q->nw || n < 3)
		return SOHOA_OK;	/* not for this query: flat */
	if (sqlite3_prepare_v2(s->db, "SELECT n FROM search_words WHERE "
	    "word = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "search the archive");
	for (i = 0; i < n; i++) {
		const struct sohoa_fts_word *w = &q->words[i];

		if (w->ntok != 1 || w->prefix)
			continue;
		sqlite3_bind_text(st, 1, w->fold, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			t[i].n = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	qsort(t, (size_t)n, sizeof(t[0]), term_cmp);
	for (i = 0; i < n - 2 && rc == SOHOA_OK; i++)
		rc = ex(x, "(");
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (i == 1)
			rc = ex(x, " AND ");
		else if (i >= 2 && (ex(x, " OR ") != SOHOA_OK ||
		    ex_phrase(x, 0, "", 0, '2', '-') != SOHOA_OK ||
		    ex(x, ") AND ") != SOHOA_OK))
			rc = SOHOA_ERR_NOMEM;
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&x->e, t[i].e, t[i].len);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&x->m, t[i].m, t[i].nm);
		for (j = 0; j < t[i].nm && rc == SOHOA_OK; j++)
			rc = sohoa_buf_addch(&x->g, '-');
	}
	if (rc != SOHOA_OK)
		return nomem(s);
	*pdone = 1;
	return SOHOA_OK;
}

/* WORDS: all the words anywhere (the parsed expression). */
static int
words_tier(struct search *s, const struct sohoa_fts_query *q)
{
	struct expr x, snip;
	struct pass ps = { SOHOA_MATCH_WORDS, 0, 0 };
	size_t i;
	int rc, nested;

	if (s->res->nhits >= (size_t)s->limit)
		return SOHOA_OK;
	expr_init(&x);
	expr_init(&snip);
	if ((rc = nested_words(s, q, &x, &nested)) != SOHOA_OK)
		goto out;
	if (!nested) {
		expr_reset(&x);
		if (sohoa_buf_addf(&x.e, "(%s)", q->expr.buf) != SOHOA_OK ||
		    sohoa_buf_add(&x.m, q->exact_mask.buf,
		    q->exact_mask.len) != SOHOA_OK)
			rc = SOHOA_ERR_NOMEM;
		for (i = 0; rc == SOHOA_OK && i < q->exact_mask.len; i++)
			rc = sohoa_buf_addch(&x.g, '-');
	}
	if (rc == SOHOA_OK)
		rc = add_field_expr(s, &x);
	if (rc == SOHOA_OK)
		rc = snip_expr(&x, q, &snip);
	if (rc != SOHOA_OK)
		rc = nomem(s);
	else
		rc = run_pass(s, &x, &ps, q->simple ? &snip : NULL);
out:
	expr_release(&x);
	expr_release(&snip);
	return rc;
}

/* ---- near spellings ---------------------------------------------------- */

/* Letters and digits a folded word is made of. */
static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";

struct alt {
	char *word;
	int64_t n;
};

static int
alt_cmp(const void *a, const void *b)
{
	const struct alt *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->word, y->word);
}

/* Look CAND up in search_words; keep it among the best ALTS by count. */
static int
try_word(struct search *s, sqlite3_stmt *st, const char *w, const char *cand,
    struct alt *alts, int *pnalts)
{
	int64_t n;
	int i, src;

	if (strcmp(cand, w) == 0)
		return SOHOA_OK;
	for (i = 0; i < *pnalts; i++)
		if (strcmp(alts[i].word, cand) == 0)
			return SOHOA_OK;
	sqlite3_bind_text(st, 1, cand, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	n = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_fail(s, "look for near spellings");
	if (n < 0)
		return SOHOA_OK;
	alts[*pnalts].word = strdup(cand);
	if (alts[*pnalts].word == NULL)
		return nomem(s);
	alts[*pnalts].n = n;
	(*pnalts)++;
	qsort(alts, (size_t)*pnalts, sizeof(alts[0]), alt_cmp);
	if (*pnalts > FUZZY_ALTS)
		free(alts[--*pnalts].word);
	return SOHOA_OK;
}

/*
 * Near spellings of folded word W: the words of search_words one edit
 * away (a letter dropped, added, changed, or two swapped), the most
 * common first, as "alt alt" in OUT and appended to NOTE.  Vietnamese
 * syllables are seven letters at most, so every candidate is made and
 * looked up in the word list (a few hundred B-tree probes).  Words of
 * three letters or fewer only take a swap: "duc" has many neighbours
 * one letter away ("duy", "dac", "dung") but "dcu" is a slip.
 */
static int
near_words(struct search *s, const char *w, struct sohoa_buf *out,
    struct sohoa_buf *note)
{
	sqlite3_stmt *st = NULL;
	struct alt alts[FUZZY_ALTS + 1];
	char cand[64];
	size_t len = strlen(w), i, c;
	int nalts = 0, rc = SOHOA_OK, j;

	if (len < 3 || len > 24)
		return SOHOA_OK;
	for (i = 0; i < len; i++)
		if (strchr(alphabet, w[i]) == NULL)
			return SOHOA_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT n FROM search_words WHERE "
	    "word = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "look for near spellings");
	for (i = 0; i + 1 < len && rc == SOHOA_OK; i++) {
		memcpy(cand, w, len + 1);
		cand[i] = w[i + 1];
		cand[i + 1] = w[i];
		rc = try_word(s, st, w, cand, alts, &nalts);
	}
	for (i = 0; len > 3 && i < len && rc == SOHOA_OK; i++) {
		/* dropped */
		memcpy(cand, w, i);
		memcpy(cand + i, w + i + 1, len - i);
		rc = try_word(s, st, w, cand, alts, &nalts);
		for (c = 0; c < sizeof(alphabet) - 1 && rc == SOHOA_OK; c++) {
			/* changed */
			memcpy(cand, w, len + 1);
			cand[i] = alphabet[c];
			rc = try_word(s, st, w, cand, alts, &nalts);
		}
	}
	for (i = 0; len > 3 && i <= len && rc == SOHOA_OK; i++) {
		for (c = 0; c < sizeof(alphabet) - 1 && rc == SOHOA_OK; c++) {
			/* added */
			memcpy(cand, w, i);
			cand[i] = alphabet[c];
			memcpy(cand + i + 1, w + i, len - i + 1);
			rc = try_word(s, st, w, cand, alts, &nalts);
		}
	}
	for (j = 0; rc == SOHOA_OK && j < nalts; j++)
		if (sohoa_buf_addf(out, "%s%s", j ? " " : "", alts[j].word) !=
		    SOHOA_OK || sohoa_buf_addf(note, "%s%s", note->len ?
		    " " : "", alts[j].word) != SOHOA_OK)
			rc = nomem(s);
	for (j = 0; j < nalts; j++)
		free(alts[j].word);
	sqlite3_finalize(st);
	return rc;
}

/*
 * The fuzzy pass: the phrase tiers again, with each plain word replaced
 * by its near spellings ("hoang van thu" -> "hoaug van thu").
 */
static int
fuzzy(struct search *s, const struct sohoa_fts_query *q)
{
	struct sohoa_buf note = SOHOA_BUF_INIT, one = SOHOA_BUF_INIT;
	struct seq seq;
	char *alts[PARTS_WORDS];
	size_t before = s->res->nhits;
	int i, rc = SOHOA_OK, ok, any = 0;

	memset(alts, 0, sizeof(alts));
	memset(&seq, 0, sizeof(seq));
	if (q->nw > PARTS_WORDS)
		return SOHOA_OK;
	for (i = 0; i < q->nw; i++) {
		if (q->words[i].prefix || q->words[i].ntok != 1)
			continue;
		sohoa_buf_reset(&one);
		if ((rc = near_words(s, q->words[i].fold, &one, &note)) !=
		    SOHOA_OK)
			goto out;
		if (one.len > 0) {
			any = 1;
			alts[i] = sohoa_buf_detach(&one, NULL);
		}
	}
	if (!any)
		goto out;
	if ((rc = make_seq(q, 0, q->nw, alts, &seq, &ok)) != SOHOA_OK) {
		rc = nomem(s);
		goto out;
	}
	if (!ok)
		goto out;
	if ((rc = phrase_tiers(s, q, &seq, 1, 0)) != SOHOA_OK)
		goto out;
	/* say which spellings were tried only when they found something */
	if (s->res->nhits > before)
		s->res->corrected = sohoa_buf_detach(&note, NULL);
out:
	for (i = 0; i < PARTS_WORDS; i++)
		free(alts[i]);
	seq_release(&seq);
	sohoa_buf_release(&note);
	sohoa_buf_release(&one);
	return rc;
}

/*
 * A query of words, phrases and a final prefix: the tiers in turn, near
 * spellings when the words side by side (alone or in runs) found
 * nothing, before the documents that merely have the words.
 */
static int
tiered(struct search *s, const struct sohoa_fts_query *q)
{
	struct seq seq;
	size_t before = s->res->nhits;
	int rc, ok, only_phrase;

	only_phrase = q->nw == 1 && q->words[0].phrase;
	if ((rc = make_seq(q, 0, q->nw, NULL, &seq, &ok)) != SOHOA_OK)
		return nomem(s);
	if (ok)
		rc = phrase_tiers(s, q, &seq, 0, 0);
	/*
	 * A phrase typed in quotes has no WORDS tier to find it split by a
	 * line break or a label: walk the text for it when the pairs found
	 * too few.
	 */
	if (rc == SOHOA_OK && ok && only_phrase && seq.ntok > 1)
		rc = phrase_tiers(s, q, &seq, 0, 1);
	seq_release(&seq);
	if (rc == SOHOA_OK && !only_phrase)
		rc = parts_tier(s, q);
	if (rc != SOHOA_OK)
		return rc;
	/* nothing side by side: maybe the scan misread a letter */
	if (s->res->nhits == before && !(s->opts->flags &
	    SOHOA_SEARCH_NO_FUZZY) && (rc = fuzzy(s, q)) != SOHOA_OK)
		return rc;
	if (only_phrase)
		return SOHOA_OK;
	return words_tier(s, q);
}

/*
 * A date alone: first the documents with that date in a field (a date of
 * birth, of registration), found by looking up the pairs of the date as
 * fields hold it ("2019 03", "03 12"); then X, the date in any spelling
 * anywhere, only when they are fewer than LIMIT.  The date's numbers are
 * in most documents: walking them all for X costs a hundred
 * milliseconds in a million pages.
 */
static int
date_tier(struct search *s, const struct sohoa_fts_query *q,
    const struct expr *x)
{
	struct expr f;
	struct pass ps = { SOHOA_MATCH_FIELD, 0, 0 };
	int rc;

	expr_init(&f);
	if (ex(&f, "{fields} : ") != SOHOA_OK ||
	    ex_phrase(&f, SOHOA_FTS_HEAD, q->date, 0, '0', '-') != SOHOA_OK ||
	    add_field_expr(s, &f) != SOHOA_OK)
		rc = nomem(s);
	else
		rc = run_pass(s, &f, &ps, x);
	expr_release(&f);
	return rc;
}

static int
check_opts(struct sohoa_ctx *ctx, const struct sohoa_search_opts *o)
{
	size_t i;

	if (o->limit < 0 || o->limit > SOHOA_SEARCH_LIMIT_MAX)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "limit must be between 1 and %d", SOHOA_SEARCH_LIMIT_MAX);
	if (o->date_from != NULL && *o->date_from && !valid_date(o->date_from))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not a "
		    "date (use YYYY, YYYY-MM or YYYY-MM-DD)", o->date_from);
	if (o->date_to != NULL && *o->date_to && !valid_date(o->date_to))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not a "
		    "date (use YYYY, YYYY-MM or YYYY-MM-DD)", o->date_to);
	for (i = 0; i < o->nfields; i++) {
		if (o->fields[i].key == NULL || *o->fields[i].key == '\0' ||
		    o->fields[i].value == NULL)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "a field filter needs KEY=VALUE");
		if (!sohoa_utf8_valid(o->fields[i].value,
		    strlen(o->fields[i].value)) ||
		    strlen(o->fields[i].value) > 1024)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "field filter value for '%s' is not valid "
			    "UTF-8 or too long", o->fields[i].key);
	}
	return SOHOA_OK;
}

static int
has_index(struct search *s)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_schema WHERE "
	    "name = 'search_fts'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		found = 1;
	sqlite3_finalize(st);
	return found;
}

int
sohoa_search_db(struct sohoa_ctx *ctx, sqlite3 *db,
    const struct sohoa_search_opts *opts,
    struct sohoa_search_result **presult)
{
	struct search s;
	struct sohoa_fts_query q;
	struct expr x;
	struct pass ps = { SOHOA_MATCH_WORDS, 0, 0 };
	size_t i;
	int rc;

	*presult = NULL;
	memset(&s, 0, sizeof(s));
	sohoa_fts_query_init(&q);
	expr_init(&x);
	sohoa_buf_init(&s.where);
	sohoa_buf_init(&s.field_expr);
	s.ctx = ctx;
	s.db = db;
	s.opts = opts;
	s.limit = opts->limit ? opts->limit : SOHOA_SEARCH_LIMIT;
	s.cap = opts->rank_cap > 0 ? opts->rank_cap : SOHOA_SEARCH_RANK_CAP;
	if ((rc = check_opts(ctx, opts)) != SOHOA_OK)
		goto out;
	if ((rc = sohoa_fts_open(ctx, db)) != SOHOA_OK)
		goto out;
	if (!has_index(&s)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "the archive has "
		    "no search index yet (open it once for writing, for "
		    "example with 'sohoa ingest')");
		goto out;
	}
	if ((rc = sohoa_fts_query_build_expand(ctx, opts->query, expand_prefix,
	    &s, &q)) != SOHOA_OK)
		goto out;
	s.res = calloc(1, sizeof(*s.res));
	if (s.res == NULL) {
		rc = nomem(&s);
		goto out;
	}
	if ((rc = build_filters(&s)) != SOHOA_OK)
		goto out;
	if (q.expr.len == 0 && s.where.len == 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "empty query: give "
		    "words to search for, or a filter such as --type");
		goto out;
	}
	if (q.expr.len == 0 && s.field_expr.len == 0) {
		rc = list_docs(&s);
		goto out;
	}
	if (q.expr.len > 0 && q.simple && q.nw > 0) {
		rc = tiered(&s, &q);
		goto out;
	}
	/* OR, NOT, parentheses, dates, or field filters alone: one pass */
	if (q.expr.len > 0) {
		if (sohoa_buf_addf(&x.e, "(%s)", q.expr.buf) != SOHOA_OK ||
		    sohoa_buf_add(&x.m, q.exact_mask.buf, q.exact_mask.len) !=
		    SOHOA_OK)
			goto nomem;
	}
	for (i = 0; i < x.m.len; i++)
		if (sohoa_buf_addch(&x.g, (char)('a' + i % 26)) != SOHOA_OK)
			goto nomem;
	if (add_field_expr(&s, &x) != SOHOA_OK)
		goto nomem;
	if (q.expr.len == 0)
		ps.match = SOHOA_MATCH_FIELD;
	if (q.date != NULL && (rc = date_tier(&s, &q, &x)) != SOHOA_OK)
		goto out;
	if (s.res->nhits < (size_t)s.limit)
		rc = run_pass(&s, &x, &ps, NULL);
	goto out;
nomem:
	rc = nomem(&s);
out:
	if (rc == SOHOA_OK) {
		*presult = s.res;
		s.res = NULL;
	}
	sohoa_search_result_destroy(&s.res);
	sohoa_fts_query_release(&q);
	expr_release(&x);
	sohoa_buf_release(&s.where);
	sohoa_buf_release(&s.field_expr);
	while (s.nbinds > 0)
		free(s.binds[--s.nbinds].owned);
	free(s.binds);
	return rc;
}

void
sohoa_search_result_destroy(struct sohoa_search_result **presult)
{
	struct sohoa_search_result *r = *presult;
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nhits; i++) {
		free(r->hits[i].dossier);
		free(r->hits[i].doc_type);
		free(r->hits[i].type_name);
		free(r->hits[i].name);
		free(r->hits[i].date);
		free(r->hits[i].title);
		free(r->hits[i].snippet);
	}
	free(r->hits);
	free(r->corrected);
	free(r);
	*presult = NULL;
}

int
sohoa_search(struct sohoa_archive *a, const struct sohoa_search_opts *opts,
    struct sohoa_search_result **presult)
{
	return sohoa_search_db(sohoa_archive_ctx(a), a->db, opts, presult);
}

const char *
sohoa_search_match_name(int match)
{
	switch (match) {
	case SOHOA_MATCH_TITLE:
		return "title";
	case SOHOA_MATCH_FIELD:
		return "field";
	case SOHOA_MATCH_TEXT:
		return "text";
	case SOHOA_MATCH_PARTS:
		return "parts";
	case SOHOA_MATCH_WORDS:
		return "words";
	default:
		return NULL;
	}
}

void
sohoa_search_result_json(struct sohoa_json *j,
    const struct sohoa_search_result *r)
{
	const struct sohoa_search_hit *h;
	size_t i;

	sohoa_json_arr_open(j);
	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		sohoa_json_obj_open(j);
		sohoa_json_key(j, "doc_id");
		sohoa_json_int(j, h->doc_id);
		sohoa_json_key(j, "dossier");
		sohoa_json_str(j, h->dossier);
		sohoa_json_key(j, "doc_type");
		sohoa_json_str(j, h->doc_type);
		sohoa_json_key(j, "type_name");
		sohoa_json_str(j, h->type_name);
		sohoa_json_key(j, "name");
		sohoa_json_str(j, h->name);
		sohoa_json_key(j, "date");
		sohoa_json_str(j, h->date);
		sohoa_json_key(j, "score");
		sohoa_json_num(j, h->score);
		sohoa_json_key(j, "match");
		sohoa_json_str(j, sohoa_search_match_name(h->match));
		sohoa_json_key(j, "exact");
		sohoa_json_int(j, h->exact);
		sohoa_json_key(j, "fuzzy");
		sohoa_json_bool(j, h->fuzzy);
		sohoa_json_key(j, "title");
		sohoa_json_str(j, h->title);
		sohoa_json_key(j, "snippet");
		sohoa_json_str(j, h->snippet);
		sohoa_json_obj_close(j);
	}
	sohoa_json_arr_close(j);
}
