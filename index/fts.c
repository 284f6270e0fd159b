/*
 * Full-text index: the Vietnamese FTS5 tokenizer "sohoa", the sohoa_rank()
 * and sohoa_snippet() functions, the sohoa_fold() SQL function, the
 * tables and their layout (index/search_index.c keeps them in step with
 * the documents).
 *
 *   sohoa_fts_open              register on a connection, create tables
 *   sohoa_fts_type_name         a document type in words
 *   sohoa_fts_terms, _words     the tokenizer's words, for other files
 *   sohoa_fts_distance          edit distance for near spellings
 *
 * The tokenizer splits on anything that is not a letter, digit or
 * combining mark.  For each word it emits the folded form (lower case,
 * marks stripped, đ -> d: "Đức" -> "duc"), and when the lower-case
 * form with its marks differs, that form too, prefixed with
 * SOHOA_FTS_EXACT, at the same position (FTS5_TOKEN_COLOCATED).  In a
 * column value that starts with SOHOA_FTS_HEAD, each word but the last
 * of a line also gives the pair token of it and the next word, at its
 * position (the same with SOHOA_FTS_TEXT_PAIRS, pairs marked so); in body, text between SOHOA_FTS_BOIL_OPEN and _CLOSE gives
 * no token.  Token offsets are those of the original NFC text, so
 * snippets highlight the words as written.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "fts.h"

/* Longest token in bytes; longer words are cut (at a code point). */
#define TOKEN_MAX 96


static int
is_mark(int32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) ||
	    (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	    (cp >= 0x20D0 && cp <= 0x20FF) ||
	    (cp >= 0xFE20 && cp <= 0xFE2F);
}

/*
 * Letters and digits of any script make words; ASCII punctuation, the
 * Latin-1 symbols and the common punctuation and symbol blocks do not.
 * This is coarser than Unicode categories, and does not need them.
 */
static int
is_word(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z');
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF)
		return 0;	/* punctuation, symbols, arrows, maths, boxes */
	if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE6F))
		return 0;
	if ((cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65))
		return 0;
	if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xFFF0)
		return cp > 0xFFFF;
	return 1;
}

/*
 * Lower case keeping marks, for the letters Vietnamese is written with
 * (Latin-1, Latin Extended-A, Ơ/Ư, Latin Extended Additional).  Other
 * scripts keep their case in exact tokens; their folded tokens are still
 * case-folded by sohoa_utf8_fold_cp().
 */
static int32_t
lower_cp(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1) ? cp + 1 : cp;
	if (cp == 0x178)
		return 0xFF;
	if (cp == 0x1A0 || cp == 0x1AF)
		return cp + 1;
	if (cp >= 0x1E00 && cp <= 0x1EFF && !(cp >= 0x1E96 && cp <= 0x1E9F))
		return cp | 1;
	return cp;
}

static int
encode(int32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int
next_cp(const char *s, int n, int i, int32_t *pcp)
{
	if ((unsigned char)s[i] < 0x80) {
		*pcp = (unsigned char)s[i];
		return 1;
	}
	return (int)sohoa_utf8_decode(s + i, (size_t)(n - i), pcp);
}

/* ---- words --------------------------------------------------------------- */

struct word {
	int start, end;		/* bytes of the word in the text */
	int newline;		/* a line break (or boilerplate) before it */
	int differ;		/* the exact form differs from the folded one */
	int nf, ne;
	char fold[TOKEN_MAX + 4];
	char exact[TOKEN_MAX + 5];	/* SOHOA_FTS_EXACT + lower case */
};

/*
 * Read the next word of TEXT from *PI into W; 0 at the end.  Text between
 * SOHOA_FTS_BOIL_OPEN and SOHOA_FTS_BOIL_CLOSE is skipped, and counts as a
 * line break.
 */
static int
next_word(const char *text, int n, int *pi, struct word *w)
{
	int i = *pi, len;
	int32_t cp, f, l;

	w->newline = 0;
	while (i < n) {
		if (text[i] == SOHOA_FTS_BOIL_OPEN) {
			while (i < n && text[i] != SOHOA_FTS_BOIL_CLOSE)
				i++;
			w->newline = 1;
			continue;
		}
		if (text[i] == '\n')
			w->newline = 1;
		len = next_cp(text, n, i, &cp);
		if (is_word(cp))
			break;
		i += len;
	}
	if (i >= n) {
		*pi = n;
		return 0;
	}
	w->start = i;
	w->nf = 0;
	w->ne = 1;
	w->exact[0] = SOHOA_FTS_EXACT;
	w->differ = 0;
	while (i < n) {
		len = next_cp(text, n, i, &cp);
		if (!is_word(cp) && !is_mark(cp))
			break;
		i += len;
		if (is_mark(cp)) {
			/* text in NFD: the mark only counts as exact */
			w->differ = 1;
			if (w->ne + 4 <= TOKEN_MAX + 1)
				w->ne += encode(cp, w->exact + w->ne);
			continue;
		}
		f = sohoa_utf8_fold_cp(cp);
		l = lower_cp(cp);
		if (f != l)
			w->differ = 1;
		if (w->nf + 4 <= TOKEN_MAX)
			w->nf += encode(f, w->fold + w->nf);
		if (w->ne + 4 <= TOKEN_MAX + 1)
			w->ne += encode(l, w->exact + w->ne);
	}
	w->end = i;
	w->fold[w->nf] = '\0';
	w->exact[w->ne] = '\0';
	*pi = i;
	return 1;
}

enum tok_mode {
	TOK_DOCUMENT,	/* folded + colocated exact (+ pairs in head) */
	TOK_FOLD,	/* folded only (plain query strings, word lists) */
	TOK_EXACT,	/* exact when it differs from folded, else folded */
	TOK_PAIRS,	/* the pair tokens of consecutive words */
};

typedef int (*tok_fn)(void *arg, int tflags, const char *tok, int ntok,
    int start, int end);

/* The pair token of A and B in BUF: MARK a ' ' b; its length. */
static int
pair_token(char mark, const struct word *a, const struct word *b, char *buf)
{
	buf[0] = mark;
	memcpy(buf + 1, a->fold, (size_t)a->nf);
	buf[1 + a->nf] = ' ';
	memcpy(buf + 2 + a->nf, b->fold, (size_t)b->nf);
	return 2 + a->nf + b->nf;
}

/*
 * Split TEXT into words and hand each token to CB as MODE says.  Returns
 * the first non-zero value of CB (an SQLite code in the tokenizer).
 */
static int
tokenize(const char *text, int n, enum tok_mode mode, void *arg, tok_fn cb)
{
	struct word w[2];
	char pair[2 * TOKEN_MAX + 8];
	int i = 0, cur = 0, have, head = 0, np, rc = 0;
	char mark = SOHOA_FTS_HEAD;

	if (n > 0 && (text[0] == SOHOA_FTS_HEAD ||
	    text[0] == SOHOA_FTS_TEXT_PAIRS)) {
		head = mode == TOK_DOCUMENT;
		mark = text[0];
		i = 1;
	}
	have = next_word(text, n, &i, &w[0]);
	if (mode == TOK_PAIRS) {
		int nw = 0;

		while (have && rc == 0) {
			have = next_word(text, n, &i, &w[!cur]);
			if (have) {
				np = pair_token(mark, &w[cur], &w[!cur],
				    pair);
				rc = cb(arg, 0, pair, np, w[cur].start,
				    w[!cur].end);
			} else if (nw == 0) {
				rc = cb(arg, 0, w[cur].fold, w[cur].nf,
				    w[cur].start, w[cur].end);
			}
			nw++;
			cur = !cur;
		}
		return rc;
	}
	while (have) {
		struct word *a = &w[cur], *b = &w[!cur];

		if (mode == TOK_EXACT && a->differ)
			rc = cb(arg, 0, a->exact, a->ne, a->start, a->end);
		else
			rc = cb(arg, 0, a->fold, a->nf, a->start, a->end);
		if (rc == 0 && mode == TOK_DOCUMENT && a->differ)
			rc = cb(arg, FTS5_TOKEN_COLOCATED, a->exact, a->ne,
			    a->start, a->end);
		if (rc != 0)
			return rc;
		have = next_word(text, n, &i, b);
		if (head && have && !b->newline) {
			np = pair_token(mark, a, b, pair);
			rc = cb(arg, FTS5_TOKEN_COLOCATED, pair, np, a->start,
			    b->end);
			if (rc != 0)
				return rc;
		}
		cur = !cur;
	}
	return 0;
}

struct words_call {
	int (*cb)(void *, const char *, size_t, size_t, size_t, int);
	void *arg;
};

int
sohoa_fts_words(const char *s, size_t len,
    int (*cb)(void *arg, const char *fold, size_t flen, size_t start,
    size_t end, int newline), void *arg)
{
	struct word w;
	int i = 0, rc;

	if (len > (size_t)1 << 30)
		return SOHOA_ERR_NOMEM;
	while (next_word(s, (int)len, &i, &w))
		if ((rc = cb(arg, w.fold, (size_t)w.nf, (size_t)w.start,
		    (size_t)w.end, w.newline)) != 0)
			return rc;
	return 0;
}

/* ---- the FTS5 tokenizer ---------------------------------------------- */

struct tok_call {
	void *ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int
tok_forward(void *arg, int tflags, const char *tok, int ntok, int start,
    int end)
{
	struct tok_call *c = arg;

	return c->xToken(c->ctx, tflags, tok, ntok, start, end);
}

static int
tok_create(void *unused, const char **azArg, int nArg, Fts5Tokenizer **ppOut)
{
	static int instance;

	(void)unused;
	(void)azArg;
	/* stateless: any non-NULL pointer will do */
	if (nArg > 0)
		return SQLITE_ERROR;
	*ppOut = (Fts5Tokenizer *)&instance;
	return SQLITE_OK;
}

static void
tok_delete(Fts5Tokenizer *tok)
{
	(void)tok;
}

static int
tok_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text,
    int n, int (*xToken)(void *, int, const char *, int, int, int))
{
	struct tok_call c = { ctx, xToken };

	(void)tok;
	return sohoa_fts_tokenize(text, n, (flags & FTS5_TOKENIZE_QUERY) != 0,
	    &c, tok_forward);
}

int
sohoa_fts_tokenize(const char *text, int n, int query, void *arg,
    int (*cb)(void *arg, int tflags, const char *tok, int ntok, int start,
    int end))
{
	enum tok_mode mode = TOK_DOCUMENT;

	if (text == NULL || n <= 0)
		return 0;
	if (query)
		mode = text[0] == SOHOA_FTS_EXACT ? TOK_EXACT :
		    text[0] == SOHOA_FTS_HEAD ||
		    text[0] == SOHOA_FTS_TEXT_PAIRS ? TOK_PAIRS : TOK_FOLD;
	return tokenize(text, n, mode, arg, cb);
}

/* ---- sohoa_rank(fts, mask, nwords, weights...) ---------------------------- */

/*
 * Documents counted per phrase to estimate its IDF.  FTS5's bm25() counts
 * every document that has the phrase, once per query: 840,000 for
 * "nguyen" in a million-page archive.  Past this many we extrapolate
 * from how far into the rowids the count got (documents of all kinds
 * are spread over the rowids).
 */
#define IDF_SCAN_MAX 2000
#define RANK_K1 1.2
#define RANK_COLS 8

struct rank_data {
	int nphrase, ncol;
	double *idf;		/* per phrase */
	int *tf;		/* per phrase and column, for the current row */
};

struct idf_count {
	sqlite3_int64 n, last;
};

static int
idf_cb(const Fts5ExtensionApi *api, Fts5Context *fctx, void *arg)
{
	struct idf_count *c = arg;

	c->last = api->xRowid(fctx);
	if (++c->n >= IDF_SCAN_MAX)
		return SQLITE_DONE;	/* stops xQueryPhrase without error */
	return SQLITE_OK;
}

static void
rank_data_free(void *p)
{
	struct rank_data *d = p;

	if (d == NULL)
		return;
	sqlite3_free(d->idf);
	sqlite3_free(d->tf);
	sqlite3_free(d);
}

static int
rank_data_new(const Fts5ExtensionApi *api, Fts5Context *fctx,
    const unsigned char *mask, int nmask, struct rank_data **pd)
{
	struct rank_data *d;
	sqlite3_int64 nrow = 0;
	struct idf_count c;
	double n;
	int i, rc;

	*pd = NULL;
	d = sqlite3_malloc(sizeof(*d));
	if (d == NULL)
		return SQLITE_NOMEM;
	memset(d, 0, sizeof(*d));
	d->nphrase = api->xPhraseCount(fctx);
	d->ncol = api->xColumnCount(fctx);
	if (d->ncol > RANK_COLS)
		d->ncol = RANK_COLS;
	d->idf = sqlite3_malloc64(sizeof(double) * (size_t)(d->nphrase + 1));
	d->tf = sqlite3_malloc64(sizeof(int) * (size_t)(d->nphrase + 1) *
	    RANK_COLS);
	if (d->idf == NULL || d->tf == NULL) {
		rank_data_free(d);
		return SQLITE_NOMEM;
	}
	rc = api->xRowCount(fctx, &nrow);
	for (i = 0; rc == SQLITE_OK && i < d->nphrase; i++) {
		d->idf[i] = 0;
		/* only scored phrases need their documents counted */
		if (mask != NULL && i < nmask && mask[i] != '0')
			continue;
		memset(&c, 0, sizeof(c));
		rc = api->xQueryPhrase(fctx, i, &c, idf_cb);
		n = (double)c.n;
		if (c.n >= IDF_SCAN_MAX && c.last > 0 && nrow > 0)
			n = n * (double)nrow / (double)c.last;
		if (n > (double)nrow)
			n = (double)nrow;
		/* Lucene's IDF: positive however common the word */
		d->idf[i] = log(1.0 + ((double)nrow - n + 0.5) / (n + 0.5));
	}
	if (rc != SQLITE_OK) {
		rank_data_free(d);
		return rc;
	}
	*pd = d;
	return SQLITE_OK;
}

static void
rank_fn(const Fts5ExtensionApi *api, Fts5Context *fctx,
    sqlite3_context *sctx, int nval, sqlite3_value **val)
{
	struct rank_data *d;
	const unsigned char *mask = NULL;
	double w[RANK_COLS], score = 0, tf;
	int nmask = 0, ninst, i, phrase, col, off, exact = 0, whole = 0;
	int nwords = 0, in_title = 0, ntitle, rc;

	if (nval > 0) {
		mask = sqlite3_value_text(val[0]);
		nmask = sqlite3_value_bytes(val[0]);
	}
	if (nval > 1)
		nwords = sqlite3_value_int(val[1]);
	d = api->xGetAuxdata(fctx, 0);
	if (d == NULL) {
		rc = rank_data_new(api, fctx, mask, nmask, &d);
		if (rc == SQLITE_OK)
			rc = api->xSetAuxdata(fctx, d, rank_data_free);
		if (rc != SQLITE_OK) {
			sqlite3_result_error_code(sctx, rc);
			return;
		}
	}
	for (i = 0; i < d->ncol; i++)
		w[i] = i + 2 < nval ? sqlite3_value_double(val[i + 2]) : 1.0;
	memset(d->tf, 0, sizeof(int) * (size_t)d->nphrase * RANK_COLS);
	if (api->xInstCount(fctx, &ninst) != SQLITE_OK) {
		sqlite3_result_error(sctx, "sohoa_rank: cannot read hits", -1);
		return;
	}
	for (i = 0; i < ninst; i++) {
		if (api->xInst(fctx, i, &phrase, &col, &off) != SQLITE_OK)
			break;
		if (phrase >= 0 && phrase < d->nphrase && col >= 0 &&
		    col < d->ncol)
			d->tf[phrase * RANK_COLS + col]++;
		if (col == SOHOA_FTS_TITLE)
			in_title = 1;
	}
	for (phrase = 0; phrase < d->nphrase; phrase++) {
		int any = 0;
		char m = mask != NULL && phrase < nmask ? (char)mask[phrase] :
		    '0';

		for (col = 0; col < d->ncol; col++) {
			tf = d->tf[phrase * RANK_COLS + col];
			if (tf == 0)
				continue;
			any = 1;
			if (m == '0')
				score += d->idf[phrase] * w[col] * tf *
				    (RANK_K1 + 1) / (tf + RANK_K1);
		}
		if (any && m == '1')
			exact++;
	}
	/* the title is the name: one of exactly the query's words first */
	if (nwords > 0 && in_title && d->ncol > SOHOA_FTS_TITLE &&
	    api->xColumnSize(fctx, SOHOA_FTS_TITLE, &ntitle) == SQLITE_OK &&
	    ntitle == nwords)
		whole = 1;
	if (score >= SOHOA_FTS_EXACT_UNIT)
		score = SOHOA_FTS_EXACT_UNIT - 1;
	sqlite3_result_double(sctx, whole * SOHOA_FTS_WHOLE_UNIT +
	    exact * SOHOA_FTS_EXACT_UNIT + score);
}

static void
fold_fn(sqlite3_context *sctx, int nval, sqlite3_value **val)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	const char *s;

	(void)nval;
	s = (const char *)sqlite3_value_text(val[0]);
	if (s == NULL) {
		sqlite3_result_null(sctx);
		return;
	}
	if (sohoa_utf8_fold_n(s, (size_t)sqlite3_value_bytes(val[0]),
	    &out) != SOHOA_OK) {
		sqlite3_result_error_nomem(sctx);
		return;
	}
	sqlite3_result_text(sctx, out.buf, (int)out.len, SQLITE_TRANSIENT);
	sohoa_buf_release(&out);
}

/* ---- document types in words ------------------------------------------- */

/*
 * What officers call each type of doctypes/, and the titles its forms
 * carry.  Search matches the name in the kind column, hits show it, and
 * a line of a document that is one of these titles is never taken for
 * boilerplate ("TRÍCH LỤC KHAI SINH" says which form it is).  A type
 * added as a data file and not listed here is shown and indexed by its
 * name.
 */
static const struct {
	const char *type, *name, *also;
} type_names[] = {
	{ "birth", "Giấy khai sinh", "Trích lục khai sinh\n"
	    "Bản sao giấy khai sinh" },
	{ "death", "Trích lục khai tử", "Giấy chứng tử\nGiấy báo tử" },
	{ "marriage", "Giấy chứng nhận kết hôn", "Trích lục kết hôn\n"
	    "Bản sao giấy chứng nhận kết hôn" },
	{ "marital_status", "Giấy xác nhận tình trạng hôn nhân", "" },
	{ "decision", "Quyết định", "" },
	{ "other", "Giấy tờ khác", "" },
};

#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *
sohoa_fts_type_name(const char *doc_type, const char **palso)
{
	size_t i;

	if (palso != NULL)
		*palso = "";
	if (doc_type == NULL)
		return "";
	for (i = 0; i < NTYPES; i++) {
		if (strcmp(doc_type, type_names[i].type) == 0) {
			if (palso != NULL)
				*palso = type_names[i].also;
			return type_names[i].name;
		}
	}
	return doc_type;
}

const char *
sohoa_fts_type_titles(size_t i)
{
	size_t t;

	for (t = 0; t < NTYPES; t++) {
		if (i == 0)
			return type_names[t].name;
		i--;
		if (*type_names[t].also) {
			if (i == 0)
				return type_names[t].also;
			i--;
		}
	}
	return NULL;
}

void
sohoa_fts_title_name(const char *title, const char *doc_type,
    const char **pname, size_t *plen)
{
	size_t n = doc_type != NULL ? strlen(doc_type) : 0;
	size_t len = strlen(title);

	*pname = title;
	*plen = len;
	if (n > 0 && strncmp(title, doc_type, n) == 0) {
		if (title[n] == '\0') {
			*plen = 0;
		} else if (title[n] == ':') {
			*pname = title + n + 1;
			while (**pname == ' ')
				(*pname)++;
			*plen = len - (size_t)(*pname - title);
		}
	}
}

/* ---- tables ------------------------------------------------------------ */

static fts5_api *
fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

static int
db_error(struct sohoa_ctx *ctx, sqlite3 *db, const char *what)
{
	int ec = sqlite3_errcode(db);

	return sohoa_set_error(ctx, ec == SQLITE_BUSY || ec == SQLITE_LOCKED ?
	    SOHOA_ERR_BUSY : SOHOA_ERR_DB, "%s: %s", what, sqlite3_errmsg(db));
}

/*
 * No prefix index: a prefix of a name word is looked up in search_words
 * (index/search.c), which costs nothing at indexing time, where FTS5's
 * prefix='2 3 4' tripled the index and its build time.
 */
#define FTS_TABLE \
	"CREATE VIRTUAL TABLE search_fts USING fts5(" \
	"  kind, title, fields, body, tokenize = 'sohoa');\n"

static const char fts_schema[] =
	FTS_TABLE
	"CREATE TABLE search_words ("
	"  word TEXT PRIMARY KEY,"
	"  n INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;\n"
	"CREATE TABLE search_lines ("
	"  doc_type TEXT NOT NULL,"
	"  line TEXT NOT NULL,"
	"  ndocs INTEGER NOT NULL,"
	"  PRIMARY KEY (doc_type, line)) WITHOUT ROWID;\n"
	"CREATE INDEX search_lines_line ON search_lines(line);\n"
	"CREATE TABLE search_boiler (line TEXT PRIMARY KEY) WITHOUT ROWID;\n"
	"CREATE TABLE search_counted (doc_id INTEGER PRIMARY KEY);\n"
	"CREATE TABLE search_info ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL) WITHOUT ROWID;\n"
	"INSERT INTO search_info(key, value) VALUES ('layout', "
	"  '" SOHOA_FTS_LAYOUT "');\n";

/* Every table of any layout so far, to drop before a rebuild. */
static const char fts_drop[] =
	"DROP TRIGGER IF EXISTS search_words_ai;\n"
	"DROP TABLE IF EXISTS search_words_tri;\n"
	"DROP TABLE IF EXISTS search_words;\n"
	"DROP TABLE IF EXISTS search_fts;\n"
	"DROP TABLE IF EXISTS search_lines;\n"
	"DROP TABLE IF EXISTS search_boiler;\n"
	"DROP TABLE IF EXISTS search_counted;\n"
	"DROP TABLE IF EXISTS search_info;\n";

/*
 * Empty every search table; search_fts is made again, which is much
 * faster than deleting its rows (FTS5 reads each row back to delete it).
 */
int
sohoa_fts_clear(sqlite3 *db)
{
	return sqlite3_exec(db, "DROP TABLE search_fts;\n" FTS_TABLE
	    "DELETE FROM search_lines; DELETE FROM search_boiler;"
	    "DELETE FROM search_counted; DELETE FROM search_words;",
	    NULL, NULL, NULL);
}

static int
table_exists(sqlite3 *db, const char *name, int *pexists)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*pexists = 0;
	rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema "
	    "WHERE type = 'table' AND name = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*pexists = 1;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * *PSTATE: 0 no index, 1 an index of this layout, 2 one of another
 * layout (made by an older sohoa).
 */
static int
index_state(sqlite3 *db, int *pstate)
{
	sqlite3_stmt *st = NULL;
	int rc, exists;

	*pstate = 0;
	if ((rc = table_exists(db, "search_fts", &exists)) != SQLITE_OK ||
	    !exists)
		return rc;
	*pstate = 2;
	if ((rc = table_exists(db, "search_info", &exists)) != SQLITE_OK ||
	    !exists)
		return rc;
	rc = sqlite3_prepare_v2(db, "SELECT value FROM search_info WHERE "
	    "key = 'layout'", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 0),
		    SOHOA_FTS_LAYOUT) == 0)
			*pstate = 1;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	return rc;
}

static int register_fns(struct sohoa_ctx *ctx, sqlite3 *db);

/* Make the tables (dropping those of another layout) and index. */
static int
create_tables(struct sohoa_ctx *ctx, sqlite3 *db, int state)
{
	int rc = SOHOA_OK, had_docs = 0;

	if (table_exists(db, "documents", &had_docs) != SQLITE_OK)
		return db_error(ctx, db, "cannot open the search index");
	if (sqlite3_exec(db, "SAVEPOINT sohoa_fts_open", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_error(ctx, db, "cannot create the search index");
	if (state == 2 && sqlite3_exec(db, fts_drop, NULL, NULL, NULL) !=
	    SQLITE_OK)
		rc = db_error(ctx, db, "cannot drop the old search index");
	if (rc == SOHOA_OK && sqlite3_exec(db, fts_schema, NULL, NULL,
	    NULL) != SQLITE_OK)
		rc = db_error(ctx, db, "cannot create the search index");
	if (rc == SOHOA_OK && had_docs)
		rc = sohoa_fts_rebuild(ctx, db);
	if (rc != SOHOA_OK) {
		sqlite3_exec(db, "ROLLBACK TO sohoa_fts_open; "
		    "RELEASE sohoa_fts_open", NULL, NULL, NULL);
		return rc;
	}
	if (sqlite3_exec(db, "RELEASE sohoa_fts_open", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_error(ctx, db, "cannot create the search index");
	return SOHOA_OK;
}

/*
 * A reader found an index made by an older sohoa: rebuild it through a
 * writable connection of our own, as the archive upgrades its schema.
 */
static int
rebuild_elsewhere(struct sohoa_ctx *ctx, sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3 *w = NULL;
	int rc, state;

	if (path == NULL || *path == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_DB, "the search index "
		    "was made by an older sohoa and this database cannot be "
		    "written");
	if (sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot rebuild the "
		    "search index (made by an older sohoa): %s",
		    w ? sqlite3_errmsg(w) : "out of memory");
		sqlite3_close(w);
		return rc;
	}
	sqlite3_busy_timeout(w, 5000);
	rc = register_fns(ctx, w);
	if (rc == SOHOA_OK && sqlite3_exec(w, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) != SQLITE_OK)
		rc = db_error(ctx, w, "cannot rebuild the search index (made "
		    "by an older sohoa)");
	if (rc == SOHOA_OK) {
		rc = index_state(w, &state) == SQLITE_OK ? SOHOA_OK :
		    db_error(ctx, w, "cannot open the search index");
		if (rc == SOHOA_OK && state != 1)
			rc = create_tables(ctx, w, state);
		if (rc == SOHOA_OK && sqlite3_exec(w, "COMMIT", NULL, NULL,
		    NULL) != SQLITE_OK)
			rc = db_error(ctx, w, "cannot rebuild the search index");
		if (rc != SOHOA_OK)
			sqlite3_exec(w, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_close(w);
	return rc;
}

static int
register_fns(struct sohoa_ctx *ctx, sqlite3 *db)
{
	fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	fts5_tokenizer found;
	fts5_api *api;
	void *ud = NULL;

	api = fts5_api_of(db);
	if (api == NULL || api->iVersion < 2)
		return sohoa_set_error(ctx, SOHOA_ERR_DB,
		    "cannot open the search index: SQLite has no FTS5");
	/* already registered on this connection: keep it all */
	if (api->xFindTokenizer(api, SOHOA_FTS_TOKENIZER, &ud,
	    &found) == SQLITE_OK && found.xTokenize == tok_tokenize)
		return SOHOA_OK;
	if (api->xCreateTokenizer(api, SOHOA_FTS_TOKENIZER, NULL, &tok,
	    NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "sohoa_rank", NULL, rank_fn,
	    NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "sohoa_snippet", NULL,
	    sohoa_fts_snippet_fn, NULL) != SQLITE_OK)
		return db_error(ctx, db,
		    "cannot register the search tokenizer");
	if (sqlite3_create_function(db, "sohoa_fold", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fold_fn, NULL,
	    NULL) != SQLITE_OK)
		return db_error(ctx, db, "cannot register sohoa_fold");
	return SOHOA_OK;
}

int
sohoa_fts_open(struct sohoa_ctx *ctx, sqlite3 *db)
{
	int rc, state;

	if ((rc = register_fns(ctx, db)) != SOHOA_OK)
		return rc;
	if (index_state(db, &state) != SQLITE_OK)
		return db_error(ctx, db, "cannot open the search index");
	if (state == 1)
		return SOHOA_OK;
	if (sqlite3_db_readonly(db, "main") != 0) {
		/* no index at all: sohoa_search says so */
		if (state == 0)
			return SOHOA_OK;
		return rebuild_elsewhere(ctx, db);
	}
	return create_tables(ctx, db, state);
}

/* ---- helpers for other files ------------------------------------------- */

int
sohoa_fts_distance(const char *a, size_t alen, const char *b, size_t blen,
    int max)
{
	int prev2[TOKEN_MAX + 2], prev[TOKEN_MAX + 2], cur[TOKEN_MAX + 2];
	size_t i, j, lo, hi;
	int best, v, big = max + 1;

	if (alen > TOKEN_MAX || blen > TOKEN_MAX)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	/* only cells within MAX of the diagonal can be MAX or less */
	for (j = 0; j <= blen; j++)
		prev[j] = j <= (size_t)max ? (int)j : big;
	for (j = 0; j <= blen; j++)
		prev2[j] = cur[j] = big;
	for (i = 1; i <= alen; i++) {
		lo = i > (size_t)max ? i - (size_t)max : 1;
		hi = i + (size_t)max < blen ? i + (size_t)max : blen;
		cur[0] = i <= (size_t)max ? (int)i : big;
		if (lo > 1)
			cur[lo - 1] = big;
		best = cur[0];
		for (j = lo; j <= hi; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			if (v > big)
				v = big;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (hi < blen)
			cur[hi + 1] = big;
		if (best > max)
			return max + 1;
		memcpy(prev2, prev, sizeof(prev));
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[blen] > max ? max + 1 : prev[blen];
}

struct terms {
	struct sohoa_buf *fold, *exact;
	int ntok, differ, rc;
};

static int
add_term(struct sohoa_buf *out, const char *tok, int ntok)
{
	if (out == NULL)
		return SOHOA_OK;
	if (out->len > 0 && sohoa_buf_addch(out, ' ') != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	return sohoa_buf_add(out, tok, (size_t)ntok);
}

static int
term_cb(void *arg, int tflags, const char *tok, int ntok, int start, int end)
{
	struct terms *t = arg;

	(void)start;
	(void)end;
	if (tflags & FTS5_TOKEN_COLOCATED) {
		/* replaces the folded form just added to EXACT */
		t->differ = 1;
		if (t->exact != NULL) {
			while (t->exact->len > 0 &&
			    t->exact->buf[t->exact->len - 1] != ' ')
				t->exact->len--;
			sohoa_buf_truncate(t->exact, t->exact->len);
			/* the exact form without its marker byte */
			if (sohoa_buf_add(t->exact, tok + 1,
			    (size_t)ntok - 1) != SOHOA_OK)
				t->rc = SOHOA_ERR_NOMEM;
		}
		return t->rc == SOHOA_OK ? 0 : 1;
	}
	t->ntok++;
	if (add_term(t->fold, tok, ntok) != SOHOA_OK ||
	    add_term(t->exact, tok, ntok) != SOHOA_OK) {
		t->rc = SOHOA_ERR_NOMEM;
		return 1;
	}
	return 0;
}

int
sohoa_fts_terms(const char *s, size_t len, struct sohoa_buf *fold,
    struct sohoa_buf *exact, int *pntok, int *pdiffer)
{
	struct terms t = { fold, exact, 0, 0, SOHOA_OK };

	*pntok = 0;
	*pdiffer = 0;
	if (len > (size_t)1 << 30)
		return SOHOA_ERR_NOMEM;
	/* a query has no head marker: TOK_DOCUMENT gives no pairs here */
	if (len > 0 && (s[0] == SOHOA_FTS_HEAD ||
	    s[0] == SOHOA_FTS_TEXT_PAIRS)) {
		s++;
		len--;
	}
	tokenize(s, (int)len, TOK_DOCUMENT, &t, term_cb);
	*pntok = t.ntok;
	*pdiffer = t.differ;
	return t.rc;
}
