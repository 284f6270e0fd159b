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
render(const Fts5ExtensionApi *api, Fts5Context *fctx,
    const struct inst *in, int n, const struct window *w, const char *hl_open,
    const char *hl_close, struct sohoa_buf *out)
{
	struct toks t;
	const char *text = NULL;
	int ntext = 0, p, q, end, pos, from, to, hs = -1, he = -1, rc;

	memset(&t, 0, sizeof(t));
	rc = api->xColumnText(fctx, w->col, &text, &ntext);
	if (rc != SQLITE_OK || text == NULL)
		return rc;
	rc = api->xTokenize(fctx, text, ntext, &t, tok_cb);
	if (rc != SQLITE_OK || t.n == 0)
		goto out;
	end = w->end < t.n ? w->end : t.n;
	if (w->start >= end)
		goto out;
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
	goto out;
nomem:
	rc = SQLITE_NOMEM;
out:
	if (t.oom)
		rc = SQLITE_NOMEM;
	free(t.start);
	free(t.end);
	return rc;
}

void
sohoa_fts_snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fctx,
    sqlite3_context *sctx, int nval, sqlite3_value **val)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct window win[MAX_WINDOWS];
	struct inst *in = NULL;
	const unsigned char *groups;
	const char *hl_open, *hl_close;
	unsigned char gid[256];
	uint64_t all = 0, left;
	int ngroups = 0, ngchars, ninst, n = 0, i, phrase, col, off, size;
	int nwin, rc = SQLITE_OK, first;

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
		size_t before = out.len;

		if (!first && sohoa_buf_adds(&out, " ") != SOHOA_OK) {
			rc = SQLITE_NOMEM;
			break;
		}
		rc = render(api, fctx, in, n, &win[i], hl_open, hl_close, &out);
		if (out.len > before + 1)
			first = 0;
		else
			sohoa_buf_truncate(&out, before);
	}
out:
	free(in);
	if (rc == SQLITE_OK)
		sqlite3_result_text(sctx, out.buf, (int)out.len,
		    SQLITE_TRANSIENT);
	else
		sqlite3_result_error_code(sctx, rc);
	sohoa_buf_release(&out);
}
