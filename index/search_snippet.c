/*
 * sohoa_snippet(search_fts, groups, open, close, ntokens): the fragments
 * of a hit's text that show every query word the document has.
 *
 * FTS5's snippet() picks the one fragment with the most phrase hits, so
 * "nguyen van" showed a line with "Văn" alone and no "Nguyễn".  Here the
 * phrases are grouped by query word (GROUPS, one byte per phrase) and up
 * to three fragments are chosen greedily, each covering the most words
 * not yet shown, body first (where a word is read in context), then the
 * fields and the name (the type is shown apart).  Every occurrence of a
 * query word in a fragment is highlighted; words side by side make one
 * highlight.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "fts.h"

#define MAX_WINDOWS 3
#define MAX_GROUPS 64
/*
 * Bytes of context kept before the first and after the last highlight
 * of a fragment: boilerplate between two words gives no token, so a
 * window of N tokens can hold a long form label.
 */
#define CTX_BEFORE 48
#define CTX_AFTER 64

struct inst {
	int col, start, end;	/* tokens [start, end) */
	uint64_t group;		/* one bit */
};

struct window {
	int col, start, end;
};

/* Preference of a column for fragments: larger first. */
static int
col_pref(int col)
{
	switch (col) {
	case SOHOA_FTS_BODY:
		return 4;
	case SOHOA_FTS_FIELDS:
		return 3;
	case SOHOA_FTS_TITLE:
		return 2;
	default:
		return 1;
	}
}

static int
popcount(uint64_t v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Groups of the instances inside W. */
static uint64_t
covers(const struct inst *in, int n, const struct window *w)
{
	uint64_t g = 0;
	int i;

	for (i = 0; i < n; i++)
		if (in[i].col == w->col && in[i].start >= w->start &&
		    in[i].end <= w->end)
			g |= in[i].group;
	return g;
}

/*
 * Choose up to MAX_WINDOWS windows of SIZE tokens covering the groups
 * ALL of the instances; returns how many, and what is left uncovered in
 * *PLEFT.
 */
static int
choose(const struct inst *in, int n, uint64_t all, int size,
    struct window *win, uint64_t *pleft)
{
	struct window w, best;
	uint64_t covered = 0, g;
	int nwin = 0, i, gain, score, best_score;

	while (covered != all && nwin < MAX_WINDOWS) {
		best_score = -1;
		memset(&best, 0, sizeof(best));
		for (i = 0; i < n; i++) {
			w.col = in[i].col;
			/* a little context before the word */
			w.start = in[i].start - size / 4;
			if (w.start < 0)
				w.start = 0;
			w.end = w.start + size;
			if (w.end < in[i].end)
				w.end = in[i].end;
			g = covers(in, n, &w) & ~covered;
			gain = popcount(g);
			if (gain == 0)
				continue;
			score = gain * 8 + col_pref(w.col);
			if (score > best_score) {
				best_score = score;
				best = w;
			}
		}
		if (best_score < 0)
			break;
		covered |= covers(in, n, &best);
		win[nwin++] = best;
	}
	*pleft = all & ~covered;
	return nwin;
}

static int
win_cmp(const void *a, const void *b)
{
	const struct window *x = a, *y = b;

	if (x->col != y->col)
		return col_pref(y->col) - col_pref(x->col);
	return x->start - y->start;
}

/* Byte ranges of a column's tokens, by position. */
struct toks {
	int *start, *end;
	int n, alloc, oom;
};

static int
tok_cb(void *arg, int tflags, const char *tok, int ntok, int start, int end)
{
	struct toks *t = arg;
	int *s, *e;

	(void)tok;
	(void)ntok;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 256;
		s = realloc(t->start, sizeof(int) * (size_t)t->alloc);
		if (s == NULL) {
			t->oom = 1;
			return SQLITE_NOMEM;
		}
		t->start = s;
		e = realloc(t->end, sizeof(int) * (size_t)t->alloc);
		if (e == NULL) {
			t->oom = 1;
			return SQLITE_NOMEM;
		}
		t->end = e;
	}
	t->start[t->n] = start;
	t->end[t->n] = end;
	t->n++;
	return SQLITE_OK;
}

/* Append TEXT[from, to) without our control bytes (marks). */
static int
add_text(struct sohoa_buf *out, const char *text, int from, int to)
{
	int i;

	for (i = from; i < to; i++) {
		if ((unsigned char)text[i] < 0x09)
			continue;
		if (sohoa_buf_addch(out, text[i]) != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
	}
	return SOHOA_OK;
}

/* Is token P of column COL inside an instance? */
static int
lit(const struct inst *in, int n, int col, int p)
{
	int i;

	for (i = 0; i < n; i++)
		if (in[i].col == col && p >= in[i].start && p < in[i].end)
			return 1;
	return 0;
}

/* Is byte I of TEXT white space? */
static int
space(const char *text, int i)
{
	return text[i] == ' ' || text[i] == '\n' || text[i] == '\t' ||
	    text[i] == '\r';
}

/* Only a space or a little punctuation between bytes A and B? */
static int
near(const char *text, int a, int b)
{
	int i;

	if (b - a > 3)
		return 0;
	for (i = a; i < b; i++)
		if (text[i] == '\n' || (unsigned char)text[i] < 0x09)
			return 0;
	return 1;
}

/* Append window W of its column's text to OUT, matches highlighted. */
static int
render(const char *text, const struct toks *tk, const struct inst *in,
    int n, const struct window *w, const char *hl_open, const char *hl_close,
    struct sohoa_buf *out)
{
	const struct toks t = *tk;
	int p, q, end, pos, from, to, hs = -1, he = -1, rc = SQLITE_OK;

	if (text == NULL || t.n == 0)
		return SQLITE_OK;
	end = w->end < t.n ? w->end : t.n;
	if (w->start >= end)
		return SQLITE_OK;
	/* the bytes shown: the window, cut to some context around matches */
	from = t.start[w->start];
	to = t.end[end - 1];
	for (p = w->start; p < end; p++) {
		if (!lit(in, n, w->col, p))
			continue;
		if (hs < 0)
			hs = t.start[p];
		he = t.end[p];
	}
	if (hs < 0) {
		hs = from;
		he = from;
	}
	if (hs - from > CTX_BEFORE) {
		from = hs - CTX_BEFORE;
		while (from < hs && !space(text, from))
			from++;
	}
	if (to - he > CTX_AFTER) {
		to = he + CTX_AFTER;
		while (to > he && !space(text, to))
			to--;
	}
	while (from < to && (space(text, from) ||
	    (unsigned char)text[from] < 0x09))
		from++;
	if (from > t.start[0] && sohoa_buf_adds(out, "…") != SOHOA_OK)
		goto nomem;
	pos = from;
	for (p = w->start; p < end; p++) {
		if (t.start[p] < from || t.end[p] > to ||
		    !lit(in, n, w->col, p))
			continue;
		/* words side by side make one highlight, not across labels */
		q = p;
		while (q + 1 < end && t.end[q + 1] <= to &&
		    lit(in, n, w->col, q + 1) && near(text, t.end[q],
		    t.start[q + 1]))
			q++;
		if (add_text(out, text, pos, t.start[p]) != SOHOA_OK ||
		    sohoa_buf_adds(out, hl_open) != SOHOA_OK ||
		    add_text(out, text, t.start[p], t.end[q]) != SOHOA_OK ||
		    sohoa_buf_adds(out, hl_close) != SOHOA_OK)
			goto nomem;
		pos = t.end[q];
		p = q;
	}
	if (add_text(out, text, pos, to) != SOHOA_OK)
		goto nomem;
	if (to < t.end[t.n - 1] && sohoa_buf_adds(out, "…") != SOHOA_OK)
		goto nomem;
	return rc;
nomem:
	return SQLITE_NOMEM;
}

/* A column's text and its tokens' byte ranges, for render(). */
typedef int (*col_fn)(void *arg, int col, const char **ptext,
    const struct toks **ptoks);

/*
 * The snippet of instances IN[0..N) (groups ALL) in windows of about SIZE
 * tokens, the columns' text from GET, to OUT.  An SQLite code.
 */
static int
compose(const struct inst *in, int n, uint64_t all, int size, col_fn get,
    void *arg, const char *hl_open, const char *hl_close,
    struct sohoa_buf *out)
{
	struct window win[MAX_WINDOWS];
	const struct toks *t;
	const char *text;
	uint64_t left;
	int nwin, i, first, rc = SQLITE_OK;

	if (n == 0) {
		/* nothing to show: the beginning of the text */
		win[0].col = SOHOA_FTS_BODY;
		win[0].start = 0;
		win[0].end = size;
		nwin = 1;
	} else {
		/* one window if it shows every word, else shorter ones */
		nwin = choose(in, n, all, size, win, &left);
		if (left != 0 || nwin > 1)
			nwin = choose(in, n, all, size / 2, win, &left);
		qsort(win, (size_t)nwin, sizeof(win[0]), win_cmp);
	}
	first = 1;
	for (i = 0; i < nwin && rc == SQLITE_OK; i++) {
		size_t before = out->len;

		if (!first && sohoa_buf_adds(out, " ") != SOHOA_OK) {
			rc = SQLITE_NOMEM;
			break;
		}
		rc = get(arg, win[i].col, &text, &t);
		if (rc == SQLITE_OK)
			rc = render(text, t, in, n, &win[i], hl_open, hl_close,
			    out);
		if (out->len > before + 1)
			first = 0;
		else
			sohoa_buf_truncate(out, before);
	}
	return rc;
}

static void
toks_release(struct toks *t)
{
	free(t->start);
	free(t->end);
	memset(t, 0, sizeof(*t));
}

/* Columns read through the FTS5 API, tokenized when first shown. */
struct api_cols {
	const Fts5ExtensionApi *api;
	Fts5Context *fctx;
	const char *text[SOHOA_FTS_NCOLS];
	struct toks toks[SOHOA_FTS_NCOLS];
	int done[SOHOA_FTS_NCOLS];
};

static int
api_col(void *arg, int col, const char **ptext, const struct toks **ptoks)
{
	struct api_cols *c = arg;
	int ntext = 0, rc;

	*ptext = NULL;
	*ptoks = NULL;
	if (col < 0 || col >= SOHOA_FTS_NCOLS)
		return SQLITE_OK;
	if (!c->done[col]) {
		c->done[col] = 1;
		rc = c->api->xColumnText(c->fctx, col, &c->text[col], &ntext);
		if (rc != SQLITE_OK)
			return rc;
		if (c->text[col] != NULL) {
			rc = c->api->xTokenize(c->fctx, c->text[col], ntext,
			    &c->toks[col], tok_cb);
			if (c->toks[col].oom)
				rc = SQLITE_NOMEM;
			if (rc != SQLITE_OK)
				return rc;
		}
	}
	*ptext = c->text[col];
	*ptoks = &c->toks[col];
	return SQLITE_OK;
}

void
sohoa_fts_snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fctx,
    sqlite3_context *sctx, int nval, sqlite3_value **val)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct api_cols cols;
	struct inst *in = NULL;
	const unsigned char *groups;
	const char *hl_open, *hl_close;
	unsigned char gid[256];
	uint64_t all = 0;
	int ngroups = 0, ngchars, ninst, n = 0, i, phrase, col, off, size;
	int rc = SQLITE_OK;

	if (nval < 4) {
		sqlite3_result_error(sctx, "sohoa_snippet: wrong arguments", -1);
		return;
	}
	groups = sqlite3_value_text(val[0]);
	ngchars = sqlite3_value_bytes(val[0]);
	hl_open = (const char *)sqlite3_value_text(val[1]);
	hl_close = (const char *)sqlite3_value_text(val[2]);
	size = sqlite3_value_int(val[3]);
	if (groups == NULL || hl_open == NULL || hl_close == NULL || size < 4) {
		sqlite3_result_error(sctx, "sohoa_snippet: wrong arguments", -1);
		return;
	}
	memset(&cols, 0, sizeof(cols));
	cols.api = api;
	cols.fctx = fctx;
	memset(gid, 0xff, sizeof(gid));
	if ((rc = api->xInstCount(fctx, &ninst)) != SQLITE_OK)
		goto out;
	in = malloc(sizeof(*in) * (size_t)(ninst + 1));
	if (in == NULL) {
		rc = SQLITE_NOMEM;
		goto out;
	}
	for (i = 0; i < ninst; i++) {
		unsigned char g;

		if ((rc = api->xInst(fctx, i, &phrase, &col, &off)) !=
		    SQLITE_OK)
			goto out;
		/* the type in words is shown apart, as the hit's type */
		if (phrase < 0 || phrase >= ngchars || groups[phrase] == '-' ||
		    col == SOHOA_FTS_KIND)
			continue;
		g = groups[phrase];
		if (gid[g] == 0xff) {
			if (ngroups >= MAX_GROUPS)
				continue;
			gid[g] = (unsigned char)ngroups++;
		}
		in[n].col = col;
		in[n].start = off;
		in[n].end = off + api->xPhraseSize(fctx, phrase);
		in[n].group = (uint64_t)1 << gid[g];
		all |= in[n].group;
		n++;
	}
	rc = compose(in, n, all, size, api_col, &cols, hl_open, hl_close,
	    &out);
out:
	free(in);
	for (i = 0; i < SOHOA_FTS_NCOLS; i++)
		toks_release(&cols.toks[i]);
	if (rc == SQLITE_OK)
		sqlite3_result_text(sctx, out.buf, (int)out.len,
		    SQLITE_TRANSIENT);
	else
		sqlite3_result_error_code(sctx, rc);
	sohoa_buf_release(&out);
}

/* ---- the same without FTS5 ------------------------------------------------ */

/* A phrase of the expression: its tokens, where it counts, its group. */
struct sphrase {
	char *tok;		/* the tokens, each NUL-terminated */
	int *off;		/* where each starts in tok */
	int ntok;
	int prefix;
	unsigned cols;		/* one bit per column */
	unsigned char group;	/* '-': not shown */
};

/*
 * The expression in postfix, to tell whether a row matches it: a phrase
 * is its number (>= 0), then the operators of FTS5, binary.
 */
enum { OP_AND = -1, OP_OR = -2, OP_NOT = -3 };

struct sohoa_fts_snip {
	struct sphrase *ph;
	int nph;
	int *rpn;
	int nrpn;
};

struct eparse {
	const char *p;
	const char *groups;
	size_t ngroups;
	struct sohoa_fts_snip *sn;
	int oom;
	int depth;
};

/* The tokens of a query string, appended to a phrase. */
static int
ph_tok(void *arg, int tflags, const char *tok, int ntok, int start, int end)
{
	struct sphrase *ph = arg;
	size_t used = 0;
	int *o;
	char *t;

	(void)tflags;
	(void)start;
	(void)end;
	if (ph->ntok > 0)
		used = (size_t)ph->off[ph->ntok - 1] +
		    strlen(ph->tok + ph->off[ph->ntok - 1]) + 1;
	o = realloc(ph->off, sizeof(int) * (size_t)(ph->ntok + 1));
	if (o == NULL)
		return SQLITE_NOMEM;
	ph->off = o;
	t = realloc(ph->tok, used + (size_t)ntok + 1);
	if (t == NULL)
		return SQLITE_NOMEM;
	ph->tok = t;
	memcpy(t + used, tok, (size_t)ntok);
	t[used + (size_t)ntok] = '\0';
	ph->off[ph->ntok++] = (int)used;
	return SQLITE_OK;
}

static void
ep_space(struct eparse *e)
{
	while (*e->p == ' ')
		e->p++;
}

/* Is the operator OP next (a word of its own)? */
static int
ep_op(struct eparse *e, const char *op)
{
	size_t n = strlen(op);

	if (strncmp(e->p, op, n) != 0)
		return 0;
	return e->p[n] == ' ' || e->p[n] == '(' || e->p[n] == '"' ||
	    e->p[n] == '{';
}

static void ep_or(struct eparse *e, unsigned cols, int neg);

static void
ep_emit(struct eparse *e, int op)
{
	int *v;

	v = realloc(e->sn->rpn, sizeof(int) * (size_t)(e->sn->nrpn + 1));
	if (v == NULL) {
		e->oom = 1;
		return;
	}
	e->sn->rpn = v;
	v[e->sn->nrpn++] = op;
}

static void
ep_primary(struct eparse *e, unsigned cols, int neg)
{
	static const char *names[SOHOA_FTS_NCOLS] = {
		"kind", "title", "fields", "body"
	};
	struct sphrase *v, ph;
	const char *q;
	unsigned mask = 0;
	size_t n;
	int i, idx;

	ep_space(e);
	if (*e->p == '{') {
		/* {col col} : primary */
		e->p++;
		for (;;) {
			ep_space(e);
			if (*e->p == '}' || *e->p == '\0')
				break;
			for (n = 0; e->p[n] && e->p[n] != ' ' &&
			    e->p[n] != '}'; n++)
				;
			for (i = 0; i < SOHOA_FTS_NCOLS; i++)
				if (strlen(names[i]) == n &&
				    strncmp(names[i], e->p, n) == 0)
					mask |= 1u << i;
			e->p += n;
		}
		if (*e->p == '}')
			e->p++;
		ep_space(e);
		if (*e->p == ':')
			e->p++;
		ep_primary(e, cols & mask, neg);
		return;
	}
	if (*e->p == '(') {
		e->p++;
		if (++e->depth < 64)
			ep_or(e, cols, neg);
		e->depth--;
		ep_space(e);
		if (*e->p == ')')
			e->p++;
		return;
	}
	if (*e->p != '"') {
		/* not ours: stop */
		e->p += strlen(e->p);
		return;
	}
	q = strchr(e->p + 1, '"');
	if (q == NULL)
		q = e->p + strlen(e->p);
	memset(&ph, 0, sizeof(ph));
	idx = e->sn->nph;
	ph.group = (size_t)idx < e->ngroups ? (unsigned char)e->groups[idx] :
	    '-';
	if (neg)
		ph.group = '-';
	ph.cols = cols;
	if (sohoa_fts_tokenize(e->p + 1, (int)(q - e->p - 1), 1, &ph,
	    ph_tok) != 0)
		e->oom = 1;
	e->p = *q ? q + 1 : q;
	if (*e->p == '*') {
		ph.prefix = 1;
		e->p++;
	}
	v = realloc(e->sn->ph, sizeof(*v) * (size_t)(e->sn->nph + 1));
	if (v == NULL) {
		free(ph.tok);
		free(ph.off);
		e->oom = 1;
		return;
	}
	e->sn->ph = v;
	v[e->sn->nph++] = ph;
	ep_emit(e, idx);
}

/* NOT binds tighter than AND, AND than OR (FTS5's order). */
static void
ep_not(struct eparse *e, unsigned cols, int neg)
{
	ep_primary(e, cols, neg);
	for (;;) {
		ep_space(e);
		if (!ep_op(e, "NOT"))
			return;
		e->p += 3;
		ep_primary(e, cols, 1);
		ep_emit(e, OP_NOT);
	}
}

static void
ep_and(struct eparse *e, unsigned cols, int neg)
{
	ep_not(e, cols, neg);
	for (;;) {
		ep_space(e);
		if (*e->p == '\0' || *e->p == ')' || ep_op(e, "OR"))
			return;
		if (ep_op(e, "AND"))
			e->p += 3;
		ep_not(e, cols, neg);
		ep_emit(e, OP_AND);
	}
}

static void
ep_or(struct eparse *e, unsigned cols, int neg)
{
	ep_and(e, cols, neg);
	for (;;) {
		ep_space(e);
		if (!ep_op(e, "OR"))
			return;
		e->p += 2;
		ep_and(e, cols, neg);
		ep_emit(e, OP_OR);
	}
}

void
sohoa_fts_snip_destroy(struct sohoa_fts_snip **psnip)
{
	struct sohoa_fts_snip *sn = *psnip;
	int i;

	if (sn == NULL)
		return;
	for (i = 0; i < sn->nph; i++) {
		free(sn->ph[i].tok);
		free(sn->ph[i].off);
	}
	free(sn->ph);
	free(sn->rpn);
	free(sn);
	*psnip = NULL;
}

int
sohoa_fts_snip_new(const char *expr, const char *groups,
    struct sohoa_fts_snip **psnip)
{
	struct eparse e;

	*psnip = NULL;
	memset(&e, 0, sizeof(e));
	e.sn = calloc(1, sizeof(*e.sn));
	if (e.sn == NULL)
		return SOHOA_ERR_NOMEM;
	e.p = expr;
	e.groups = groups;
	e.ngroups = strlen(groups);
	while (*e.p != '\0' && !e.oom) {
		ep_or(&e, (1u << SOHOA_FTS_NCOLS) - 1, 0);
		/* an unbalanced ')' would stop the walk: skip it */
		if (*e.p == ')')
			e.p++;
	}
	if (e.oom) {
		sohoa_fts_snip_destroy(&e.sn);
		return SOHOA_ERR_NOMEM;
	}
	*psnip = e.sn;
	return SOHOA_OK;
}

/* The tokens of a column as FTS5 has them: by position, with colocated. */
struct dtoks {
	struct toks pos;	/* byte range of each position */
	char *pool;		/* the tokens, NUL-terminated */
	size_t npool, apool;
	int *tok;		/* offset in pool of each token */
	int *first;		/* first token of each position */
	int ntok, atok, afirst, oom;
};

static int
dtok_cb(void *arg, int tflags, const char *tok, int ntok, int start, int end)
{
	struct dtoks *d = arg;
	void *v;

	if (!(tflags & FTS5_TOKEN_COLOCATED)) {
		if (tok_cb(&d->pos, tflags, tok, ntok, start, end) !=
		    SQLITE_OK) {
			d->oom = 1;
			return SQLITE_NOMEM;
		}
		if (d->pos.n > d->afirst) {
			d->afirst = d->pos.alloc;
			v = realloc(d->first, sizeof(int) * (size_t)d->afirst);
			if (v == NULL)
				goto nomem;
			d->first = v;
		}
		d->first[d->pos.n - 1] = d->ntok;
	} else if (d->pos.n == 0) {
		return SQLITE_OK;
	}
	if (d->ntok == d->atok) {
		d->atok = d->atok ? 2 * d->atok : 512;
		v = realloc(d->tok, sizeof(int) * (size_t)d->atok);
		if (v == NULL)
			goto nomem;
		d->tok = v;
	}
	if (d->npool + (size_t)ntok + 1 > d->apool) {
		d->apool = 2 * (d->npool + (size_t)ntok + 1) + 1024;
		v = realloc(d->pool, d->apool);
		if (v == NULL)
			goto nomem;
		d->pool = v;
	}
	memcpy(d->pool + d->npool, tok, (size_t)ntok);
	d->pool[d->npool + (size_t)ntok] = '\0';
	d->tok[d->ntok++] = (int)d->npool;
	d->npool += (size_t)ntok + 1;
	return SQLITE_OK;
nomem:
	d->oom = 1;
	return SQLITE_NOMEM;
}

static void
dtoks_release(struct dtoks *d)
{
	toks_release(&d->pos);
	free(d->pool);
	free(d->tok);
	free(d->first);
	memset(d, 0, sizeof(*d));
}

/* Has position P of D the token T (a prefix of one when PREFIX)? */
static int
has_tok(const struct dtoks *d, int p, const char *t, int prefix)
{
	int i, last = p + 1 < d->pos.n ? d->first[p + 1] : d->ntok;
	size_t n = strlen(t);

	for (i = d->first[p]; i < last; i++) {
		const char *x = d->pool + d->tok[i];

		if (prefix ? strncmp(x, t, n) == 0 : strcmp(x, t) == 0)
			return 1;
	}
	return 0;
}

/* Is phrase PH at position P of D? */
static int
ph_at(const struct sphrase *ph, const struct dtoks *d, int p)
{
	int i;

	if (ph->ntok == 0 || p + ph->ntok > d->pos.n)
		return 0;
	for (i = 0; i < ph->ntok; i++)
		if (!has_tok(d, p + i, ph->tok + ph->off[i],
		    ph->prefix && i == ph->ntok - 1))
			return 0;
	return 1;
}

struct text_cols {
	struct dtoks d[SOHOA_FTS_NCOLS];
	const char *const *text;
};

static int
text_col(void *arg, int col, const char **ptext, const struct toks **ptoks)
{
	struct text_cols *c = arg;

	*ptext = NULL;
	*ptoks = NULL;
	if (col < 0 || col >= SOHOA_FTS_NCOLS)
		return SQLITE_OK;
	*ptext = c->text[col];
	*ptoks = &c->d[col].pos;
	return SQLITE_OK;
}

/*
 * Does a row match SN, its phrases being there as HAVE says?  An
 * expression we could not read is taken as matching.
 */
static int
eval(const struct sohoa_fts_snip *sn, const unsigned char *have)
{
	unsigned char st[256];
	int n = 0, i, op;

	for (i = 0; i < sn->nrpn; i++) {
		op = sn->rpn[i];
		if (op >= 0) {
			if (n == (int)sizeof(st))
				return 1;
			st[n++] = have[op];
			continue;
		}
		if (n < 2)
			return 1;
		n--;
		if (op == OP_AND)
			st[n - 1] = st[n - 1] && st[n];
		else if (op == OP_OR)
			st[n - 1] = st[n - 1] || st[n];
		else
			st[n - 1] = st[n - 1] && !st[n];
	}
	return n >= 1 ? st[n - 1] : 1;
}

int
sohoa_fts_snip_row(const struct sohoa_fts_snip *sn, const char *const *text,
    const int *ntext, const char *open, const char *close, int ntokens,
    struct sohoa_buf *out, int *pmatch)
{
	struct text_cols tc;
	struct inst *in = NULL, *v;
	unsigned char gid[256], *have;
	uint64_t all = 0;
	int col, p, i, n = 0, alloc = 0, ngroups = 0, rc = SQLITE_OK;

	*pmatch = 0;
	memset(&tc, 0, sizeof(tc));
	tc.text = text;
	memset(gid, 0xff, sizeof(gid));
	have = calloc((size_t)sn->nph + 1, 1);
	if (have == NULL)
		return SOHOA_ERR_NOMEM;
	/* FTS5's order of instances: column, position, phrase */
	for (col = 0; col < SOHOA_FTS_NCOLS && rc == SQLITE_OK; col++) {
		if (text[col] == NULL)
			continue;
		rc = sohoa_fts_tokenize(text[col], ntext[col], 0, &tc.d[col],
		    dtok_cb);
		if (tc.d[col].oom)
			rc = SQLITE_NOMEM;
		for (p = 0; p < tc.d[col].pos.n && rc == SQLITE_OK; p++) {
			for (i = 0; i < sn->nph; i++) {
				const struct sphrase *ph = &sn->ph[i];
				unsigned char g = ph->group;

				if (!(ph->cols & (1u << col)) ||
				    !ph_at(ph, &tc.d[col], p))
					continue;
				have[i] = 1;
				/* the type is shown apart, as the hit's type */
				if (g == '-' || col == SOHOA_FTS_KIND)
					continue;
				if (gid[g] == 0xff) {
					if (ngroups >= MAX_GROUPS)
						continue;
					gid[g] = (unsigned char)ngroups++;
				}
				if (n == alloc) {
					alloc = alloc ? 2 * alloc : 32;
					v = realloc(in, sizeof(*in) *
					    (size_t)alloc);
					if (v == NULL) {
						rc = SQLITE_NOMEM;
						break;
					}
					in = v;
				}
				in[n].col = col;
				in[n].start = p;
				in[n].end = p + ph->ntok;
				in[n].group = (uint64_t)1 << gid[g];
				all |= in[n].group;
				n++;
			}
		}
	}
	/* FTS5 gives no snippet for a row the expression does not match */
	if (rc == SQLITE_OK && eval(sn, have)) {
		*pmatch = 1;
		rc = compose(in, n, all, ntokens, text_col, &tc, open, close,
		    out);
	}
	free(have);
	free(in);
	for (col = 0; col < SOHOA_FTS_NCOLS; col++)
		dtoks_release(&tc.d[col]);
	return rc == SQLITE_OK ? SOHOA_OK : SOHOA_ERR_NOMEM;
}
