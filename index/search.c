/*
 * Search: runs a parsed query (index/search_query.c) on search_fts with
 * the document and field filters, ranks, and fetches snippets.
 *
 * A search is at most four kinds of statements:
 *   1. the cut-off: when more than SOHOA_SEARCH_RANK_CAP documents match,
 *      the rowid of the CAP-th most recent one, so ranking only looks at
 *      rowids above it (FTS5 walks a doclist range, not the whole list);
 *   2. the ranking: sohoa_rank() (exact spellings, then a bm25 score),
 *      top LIMIT;
 *   3. per hit: the document row and snippet();
 *   4. when the query is plain words and found too little, a fuzzy pass
 *      with each word OR'ed with near spellings from search_words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/search.h"
#include "archive_private.h"
#include "fts.h"

/* column weights: title, fields, body */
#define WEIGHTS "10.0, 5.0, 1.0"
/* Tokens of context in a snippet. */
#define SNIPPET_TOKENS 16
/* Fewer exact hits than this (or LIMIT) tries the fuzzy pass. */
#define FUZZY_BELOW 3
/* Near spellings kept per query word. */
#define FUZZY_ALTS 3

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
	struct sohoa_search_result *res;
	size_t alloc;
};

static int strip_exact(const char *expr, struct sohoa_buf *out);

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
 * also returned as FTS5 phrases on the fields column in FIELD_EXPR, which
 * narrows the candidates through the index before the exact check.
 */
static int
build_filters(struct search *s, struct sohoa_buf *field_expr,
    struct sohoa_buf *field_mask)
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
		if (ntok > 0 && (sohoa_buf_addf(field_expr, "%sfields : \"%s\"",
		    field_expr->len ? " AND " : "", fold.buf) != SOHOA_OK ||
		    sohoa_buf_addch(field_mask, '0') != SOHOA_OK))
			goto nomem;
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
push_hit(struct search *s, int64_t id, double score, int exact, int fuzzy)
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
	return SOHOA_OK;
}

/*
 * Snippets of hits FROM.. for EXPR.  One statement walks the matches
 * between the smallest and the largest hit and computes snippet() only
 * for the hits (CASE is lazy): a "rowid = ?" lookup per hit seeks every
 * doclist of the expression again, 0.2-0.6 ms each at a million pages.
 */
static int
fill_snippets(struct search *s, size_t from, const char *expr)
{
	const struct sohoa_search_opts *o = s->opts;
	struct sohoa_buf sql = SOHOA_BUF_INIT, plain = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct sohoa_search_hit *h;
	int64_t lo = INT64_MAX, hi = 0, id;
	size_t i;
	int rc = SOHOA_OK, src;

	if (sohoa_buf_adds(&sql, "SELECT search_fts.rowid, CASE WHEN "
	    "search_fts.rowid IN (") != SOHOA_OK)
		goto nomem;
	for (i = from; i < s->res->nhits; i++) {
		id = s->res->hits[i].doc_id;
		if (id < lo)
			lo = id;
		if (id > hi)
			hi = id;
		if (sohoa_buf_addf(&sql, "%s%lld", i > from ? "," : "",
		    (long long)id) != SOHOA_OK)
			goto nomem;
	}
	if (sohoa_buf_addf(&sql, ") THEN snippet(search_fts, -1, ?2, ?3, "
	    "'…', %d) END FROM search_fts WHERE search_fts MATCH ?1 AND "
	    "search_fts.rowid BETWEEN ?4 AND ?5", SNIPPET_TOKENS) != SOHOA_OK)
		goto nomem;
	/* exact tokens are never highlighted (colocated): skip their walk */
	if (strip_exact(expr, &plain) != SOHOA_OK)
		goto nomem;
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, "read the hits");
		goto out;
	}
	sqlite3_bind_text(st, 1, plain.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->hl_open ? o->hl_open : "[", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->hl_close ? o->hl_close : "]", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, lo);
	sqlite3_bind_int64(st, 5, hi);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		id = sqlite3_column_int64(st, 0);
		for (i = from; i < s->res->nhits; i++) {
			h = &s->res->hits[i];
			if (h->doc_id != id || h->snippet != NULL)
				continue;
			h->snippet = dup_col(st, 1);
			if (h->snippet == NULL)
				goto nomem;
		}
	}
	if (src != SQLITE_DONE)
		rc = db_fail(s, "read the hits");
	goto out;
nomem:
	rc = nomem(s);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	sohoa_buf_release(&plain);
	return rc;
}

/* Fill the document columns and snippet of hits FROM.. with EXPR. */
static int
fill_hits(struct search *s, size_t from, const char *expr)
{
	sqlite3_stmt *doc = NULL;
	struct sohoa_search_hit *h;
	size_t i;
	int rc = SOHOA_OK;

	if (from >= s->res->nhits)
		return SOHOA_OK;
	if (expr != NULL && (rc = fill_snippets(s, from, expr)) != SOHOA_OK)
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
		if (h->snippet == NULL)
			h->snippet = strdup(h->title ? h->title : "");
		if (h->dossier == NULL)
			h->dossier = strdup("");
		if (h->doc_type == NULL)
			h->doc_type = strdup("");
		if (h->snippet == NULL || h->dossier == NULL ||
		    h->doc_type == NULL) {
			rc = nomem(s);
			goto out;
		}
		one_line(h->snippet);
	}
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
		rc = push_hit(s, sqlite3_column_int64(st, 0), 0, 0, 0);
	if (rc == SOHOA_OK && src != SQLITE_DONE)
		rc = db_fail(s, "search the archive");
	if (rc == SOHOA_OK)
		rc = fill_hits(s, 0, NULL);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	return rc;
}

/*
 * The smallest rowid of the s->cap most recent documents matching EXPR
 * (with the filters when FILTERED) in *PCUT, 0 when no more match.
 */
static int
find_cut(struct search *s, const char *expr, int filtered, int64_t *pcut)
{
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = SOHOA_OK, src, n = 0;

	*pcut = 0;
	if (sohoa_buf_addf(&sql, "SELECT search_fts.rowid FROM search_fts%s "
	    "WHERE search_fts MATCH ?1%s ORDER BY search_fts.rowid DESC "
	    "LIMIT 1 OFFSET %d", filtered && s->join ? " JOIN documents d "
	    "ON d.id = search_fts.rowid" : "", filtered ? s->where.buf : "",
	    s->cap) != SOHOA_OK) {
		rc = nomem(s);
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, "search the archive");
		goto out;
	}
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	if (filtered)
		bind_filters(s, st);
	while ((src = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			*pcut = sqlite3_column_int64(st, 0) + 1;
	if (src != SQLITE_DONE)
		rc = db_fail(s, "search the archive");
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	return rc;
}

/* Rank the matches of EXPR with rowid >= CUT, appending the best. */
static int
rank_window(struct search *s, const char *expr, const char *mask,
    int64_t cut, int fuzzy)
{
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t id;
	double score;
	int rc = SOHOA_OK, src, exact, near;

	/* numbered: a name seen before ?1 would take number 1 */
	if (sohoa_buf_addf(&sql, "SELECT search_fts.rowid, sohoa_rank("
	    "search_fts, ?%d, " WEIGHTS ") AS r FROM search_fts%s "
	    "WHERE search_fts MATCH ?1 AND search_fts.rowid >= ?%d%s "
	    "ORDER BY r DESC LIMIT ?%d", s->nbinds + 2, s->join ? " JOIN "
	    "documents d ON d.id = search_fts.rowid" : "", s->nbinds + 3,
	    s->where.buf, s->nbinds + 4) != SOHOA_OK) {
		rc = nomem(s);
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	bind_filters(s, st);
	sqlite3_bind_text(st, s->nbinds + 2, mask, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, s->nbinds + 3, cut);
	sqlite3_bind_int(st, s->nbinds + 4, s->limit);
	while ((src = sqlite3_step(st)) == SQLITE_ROW &&
	    s->res->nhits < (size_t)s->limit) {
		id = sqlite3_column_int64(st, 0);
		if (has_hit(s->res, id))
			continue;
		score = sqlite3_column_double(st, 1);
		exact = (int)(score / SOHOA_FTS_EXACT_UNIT);
		score -= exact * SOHOA_FTS_EXACT_UNIT;
		near = (int)(score / SOHOA_FTS_NEAR_UNIT);
		score -= near * SOHOA_FTS_NEAR_UNIT;
		rc = push_hit(s, id, score, exact, fuzzy);
		if (rc != SOHOA_OK)
			goto out;
	}
	if (src != SQLITE_DONE && src != SQLITE_ROW)
		goto dberr;
	goto out;
dberr:
	rc = db_fail(s, "search the archive");
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	return rc;
}

/*
 * Rank the documents matching EXPR and append the best to the result
 * (skipping those already there), flagged FUZZY.  CUTX matches the same
 * documents as EXPR, more cheaply (EXPR may add phrases for ranking).
 * The cut-off is first taken on the text alone, which FTS5 finds by
 * walking a doclist; only when the filters leave fewer than LIMIT hits in
 * that window is it taken again with the filters, which costs a document
 * lookup per match.
 */
static int
rank(struct search *s, const char *cutx, const char *expr, const char *mask,
    int fuzzy)
{
	size_t from = s->res->nhits;
	int64_t cut;
	int rc;

	if ((rc = find_cut(s, cutx, 0, &cut)) != SOHOA_OK)
		return rc;
	if ((rc = rank_window(s, expr, mask, cut, fuzzy)) != SOHOA_OK)
		return rc;
	if (cut > 0 && s->join && s->res->nhits < (size_t)s->limit) {
		s->res->nhits = from;	/* nothing filled in yet */
		if ((rc = find_cut(s, cutx, 1, &cut)) != SOHOA_OK ||
		    (rc = rank_window(s, expr, mask, cut, fuzzy)) != SOHOA_OK)
			return rc;
	}
	if (cut > 0 && !fuzzy)
		s->res->capped = 1;
	return fill_hits(s, from, expr);
}

struct alt {
	char *word;
	int dist;
};

static int
alt_cmp(const void *a, const void *b)
{
	const struct alt *x = a, *y = b;

	if (x->dist != y->dist)
		return x->dist - y->dist;
	return strcmp(x->word, y->word);
}

static int
same_letters(const char *a, const char *b, size_t n)
{
	int count[256] = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		count[(unsigned char)a[i]]++;
		count[(unsigned char)b[i]]--;
	}
	for (i = 0; i < 256; i++)
		if (count[i] != 0)
			return 0;
	return 1;
}

/*
 * Near spellings of folded word W from search_words, best first, as
 * " OR \"alt\"" appended to OUT and "alt " to NOTE.  The cut-off grows
 * with the length: short Vietnamese syllables have many neighbours one
 * letter away ("duc": "duy", "dac"), so words of three letters only
 * accept a swap of two letters.
 */
static int
near_words(struct search *s, const char *w, struct sohoa_buf *out,
    struct sohoa_buf *note, int *pfound)
{
	struct sohoa_buf q = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct alt alts[FUZZY_ALTS + 1];
	size_t len = strlen(w), i, clen;
	int nalts = 0, max, d, rc = SOHOA_OK, src, j, ascii = 1;
	const char *c;

	*pfound = 0;
	if (len < 3)
		return SOHOA_OK;
	max = len >= 8 ? 2 : 1;
	for (i = 0; i < len; i++)
		if ((unsigned char)w[i] >= 0x80)
			ascii = 0;
	/* trigrams are cut by bytes: only for ASCII (folded Vietnamese) */
	if (len >= 5 && ascii) {
		/* trigrams of W, each quoted (W is letters and digits) */
		for (i = 0; i + 3 <= len; i++) {
			if (sohoa_buf_addf(&q, "%s\"%.3s\"", q.len ? " OR " :
			    "", w + i) != SOHOA_OK)
				goto nomem;
		}
		if (sqlite3_prepare_v2(s->db, "SELECT w.word FROM "
		    "search_words_tri t JOIN search_words w ON w.id = t.rowid "
		    "WHERE search_words_tri MATCH ?1 ORDER BY t.rank LIMIT 300",
		    -1, &st, NULL) != SQLITE_OK)
			goto dberr;
		sqlite3_bind_text(st, 1, q.buf, -1, SQLITE_STATIC);
	} else {
		/* few words share a first letter: scan them */
		if (sqlite3_prepare_v2(s->db, "SELECT word FROM search_words "
		    "WHERE word >= ?1 AND word < ?2 AND length(word) BETWEEN "
		    "?3 AND ?4 LIMIT 20000", -1, &st, NULL) != SQLITE_OK)
			goto dberr;
		sohoa_buf_addch(&q, w[0]);
		sohoa_buf_addch(&q, '\0');
		sohoa_buf_addch(&q, (char)(w[0] + 1));
		sqlite3_bind_text(st, 1, q.buf, 1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, q.buf + 2, 1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)len - 1);
		sqlite3_bind_int(st, 4, (int)len + 1);
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		c = (const char *)sqlite3_column_text(st, 0);
		clen = (size_t)sqlite3_column_bytes(st, 0);
		if (c == NULL || strcmp(c, w) == 0)
			continue;
		d = sohoa_fts_distance(w, len, c, clen, max);
		if (d > max)
			continue;
		if (len <= 3 && (clen != len || !same_letters(w, c, len)))
			continue;
		alts[nalts].word = strdup(c);
		if (alts[nalts].word == NULL)
			goto nomem;
		alts[nalts].dist = d;
		nalts++;
		qsort(alts, (size_t)nalts, sizeof(alts[0]), alt_cmp);
		if (nalts > FUZZY_ALTS)
			free(alts[--nalts].word);
	}
	if (src != SQLITE_DONE)
		goto dberr;
	for (j = 0; j < nalts; j++)
		if (sohoa_buf_addf(out, " OR \"%s\"", alts[j].word) !=
		    SOHOA_OK || sohoa_buf_addf(note, "%s%s", note->len ?
		    " " : "", alts[j].word) != SOHOA_OK)
			goto nomem;
	*pfound = nalts;
	goto out;
nomem:
	rc = nomem(s);
	goto out;
dberr:
	rc = db_fail(s, "look for near spellings");
out:
	for (j = 0; j < nalts; j++)
		free(alts[j].word);
	sqlite3_finalize(st);
	sohoa_buf_release(&q);
	return rc;
}

/*
 * The fuzzy pass: every word of a plain query OR'ed with its near
 * spellings ("dcu" -> "dcu" OR "duc"), ranked after the exact hits.
 */
static int
fuzzy(struct search *s, const struct sohoa_fts_query *q,
    const char *field_expr)
{
	struct sohoa_buf expr = SOHOA_BUF_INIT, note = SOHOA_BUF_INIT;
	char *words = NULL, *w, *save = NULL;
	size_t before;
	int rc = SOHOA_OK, found, any = 0;

	words = strdup(q->words.buf);
	if (words == NULL)
		return nomem(s);
	for (w = strtok_r(words, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if (sohoa_buf_addf(&expr, "%s(\"%s\"", expr.len ? " AND " : "",
		    w) != SOHOA_OK)
			goto nomem;
		if ((rc = near_words(s, w, &expr, &note, &found)) != SOHOA_OK)
			goto out;
		any |= found;
		if (sohoa_buf_addch(&expr, ')') != SOHOA_OK)
			goto nomem;
	}
	if (!any)
		goto out;
	if (*field_expr && sohoa_buf_addf(&expr, " AND %s", field_expr) !=
	    SOHOA_OK)
		goto nomem;
	before = s->res->nhits;
	if ((rc = rank(s, expr.buf, expr.buf, "", 1)) != SOHOA_OK)
		goto out;
	/* say which spellings were tried only when they found something */
	if (s->res->nhits > before)
		s->res->corrected = sohoa_buf_detach(&note, NULL);
	goto out;
nomem:
	rc = nomem(s);
out:
	free(words);
	sohoa_buf_release(&expr);
	sohoa_buf_release(&note);
	return rc;
}

/*
 * EXPR without its exact alternatives: ("le" OR "\x01lê") -> ("le").
 * The documents matched are the same; the walk for the cut-off is
 * cheaper with one doclist per word instead of two.  Our expressions
 * have no quote inside a string, so the text can be cut safely.
 */
static int
strip_exact(const char *expr, struct sohoa_buf *out)
{
	static const char alt[] = { ' ', 'O', 'R', ' ', '"', SOHOA_FTS_EXACT,
	    '\0' };
	const char *p = expr, *q, *end;

	while ((q = strstr(p, alt)) != NULL) {
		if (sohoa_buf_add(out, p, (size_t)(q - p)) != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		end = strchr(q + sizeof(alt) - 1, '"');
		if (end == NULL)
			return sohoa_buf_adds(out, q);
		p = end + 1;
		if (*p == '*')
			p++;
	}
	return sohoa_buf_adds(out, p);
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
	struct sohoa_buf field_expr = SOHOA_BUF_INIT;
	struct sohoa_buf field_mask = SOHOA_BUF_INIT;
	struct sohoa_buf expr = SOHOA_BUF_INIT, mask = SOHOA_BUF_INIT;
	struct sohoa_buf cutx = SOHOA_BUF_INIT;
	int rc, filters;

	*presult = NULL;
	memset(&s, 0, sizeof(s));
	sohoa_fts_query_init(&q);
	sohoa_buf_init(&s.where);
	s.ctx = ctx;
	s.db = db;
	s.opts = opts;
	s.limit = opts->limit ? opts->limit : SOHOA_SEARCH_LIMIT;
	s.cap = opts->rank_cap > 0 ? opts->rank_cap : SOHOA_SEARCH_RANK_CAP;
	if ((rc = check_opts(ctx, opts)) != SOHOA_OK)
		goto out;
	if ((rc = sohoa_fts_query_build(ctx, opts->query, &q)) != SOHOA_OK)
		goto out;
	if ((rc = sohoa_fts_open(ctx, db)) != SOHOA_OK)
		goto out;
	if (!has_index(&s)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "the archive has "
		    "no search index yet (open it once for writing, for "
		    "example with 'sohoa ingest')");
		goto out;
	}
	s.res = calloc(1, sizeof(*s.res));
	if (s.res == NULL) {
		rc = nomem(&s);
		goto out;
	}
	if ((rc = build_filters(&s, &field_expr, &field_mask)) != SOHOA_OK)
		goto out;
	filters = s.where.len > 0;
	if (q.expr.len == 0 && !filters) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "empty query: give "
		    "words to search for, or a filter such as --type");
		goto out;
	}
	/*
	 * Vietnamese words are syllables: "hon dat" is a place only when the
	 * two are side by side.  The words are OR'ed as a phrase: it matches
	 * a subset, so the documents found are the same, and sohoa_rank()
	 * puts those that have it first (mask '2').  The cut-off is taken
	 * without it: walking the phrase too would double its cost.
	 */
	if (q.expr.len > 0 &&
	    (sohoa_buf_addch(&cutx, '(') != SOHOA_OK ||
	    strip_exact(q.expr.buf, &cutx) != SOHOA_OK ||
	    sohoa_buf_addch(&cutx, ')') != SOHOA_OK ||
	    sohoa_buf_add(&mask, q.exact_mask.buf, q.exact_mask.len) !=
	    SOHOA_OK))
		goto nomem;
	if (q.simple && strchr(q.words.buf, ' ') != NULL) {
		if (sohoa_buf_addf(&expr, "((%s) OR \"%s\")", q.expr.buf,
		    q.words.buf) != SOHOA_OK ||
		    sohoa_buf_addch(&mask, '2') != SOHOA_OK)
			goto nomem;
	} else if (q.expr.len > 0 &&
	    sohoa_buf_addf(&expr, "(%s)", q.expr.buf) != SOHOA_OK) {
		goto nomem;
	}
	if (field_expr.len > 0 &&
	    (sohoa_buf_addf(&expr, "%s%s", expr.len ? " AND " : "",
	    field_expr.buf) != SOHOA_OK ||
	    sohoa_buf_addf(&cutx, "%s%s", cutx.len ? " AND " : "",
	    field_expr.buf) != SOHOA_OK ||
	    sohoa_buf_add(&mask, field_mask.buf, field_mask.len) !=
	    SOHOA_OK))
		goto nomem;
	if (expr.len == 0) {
		rc = list_docs(&s);
		goto out;
	}
	if ((rc = rank(&s, cutx.buf, expr.buf, mask.buf, 0)) != SOHOA_OK)
		goto out;
	if (q.simple && !(opts->flags & SOHOA_SEARCH_NO_FUZZY) &&
	    s.res->nhits < (size_t)(s.limit < FUZZY_BELOW ? s.limit :
	    FUZZY_BELOW))
		rc = fuzzy(&s, &q, field_expr.buf);
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
	sohoa_buf_release(&s.where);
	sohoa_buf_release(&field_expr);
	sohoa_buf_release(&field_mask);
	sohoa_buf_release(&expr);
	sohoa_buf_release(&mask);
	sohoa_buf_release(&cutx);
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
