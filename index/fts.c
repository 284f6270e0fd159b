/*
 * Full-text index: the Vietnamese FTS5 tokenizer "sohoa", the sohoa_rank()
 * function, the sohoa_fold() SQL function, and the code that keeps
 * search_fts in step with the documents, pages and fields tables.
 *
 *   sohoa_fts_open              register on a connection, create tables
 *   sohoa_fts_index_document    (re)index one document
 *   sohoa_fts_delete_document   drop one document
 *   sohoa_fts_indexer_*         the same with statements kept prepared
 *
 * search_fts keeps prefix indexes of 2, 3 and 4 characters: without them
 * FTS5 answers "ng*" by merging the doclists of every term that starts
 * so, which takes seconds in a large archive.
 *
 * The tokenizer splits on anything that is not a letter, digit or
 * combining mark.  For each word it emits the folded form (lower case,
 * marks stripped, đ -> d: "Đức" -> "duc"), and when the lower-case
 * form with its marks differs, that form too, prefixed with
 * SOHOA_FTS_EXACT, at the same position (FTS5_TOKEN_COLOCATED).  Token
 * offsets are those of the original NFC text, so snippet() highlights the
 * words as written.
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

enum tok_mode {
	TOK_DOCUMENT,	/* folded + colocated exact */
	TOK_FOLD,	/* folded only (plain query strings, word lists) */
	TOK_EXACT,	/* exact when it differs from folded, else folded */
};

typedef int (*tok_fn)(void *arg, int tflags, const char *tok, int ntok,
    int start, int end);

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

/*
 * Split TEXT into words and hand each token to CB as MODE says.  Returns
 * the first non-zero value of CB (an SQLite code in the tokenizer).
 */
static int
tokenize(const char *text, int n, enum tok_mode mode, void *arg, tok_fn cb)
{
	char fold[TOKEN_MAX + 4], exact[TOKEN_MAX + 5];
	int i = 0, len, start, nf, ne, differ, rc;
	int32_t cp, f, l;

	while (i < n) {
		len = next_cp(text, n, i, &cp);
		if (!is_word(cp)) {
			i += len;
			continue;
		}
		start = i;
		nf = 0;
		ne = 1;
		exact[0] = SOHOA_FTS_EXACT;
		differ = 0;
		while (i < n) {
			len = next_cp(text, n, i, &cp);
			if (!is_word(cp) && !is_mark(cp))
				break;
			i += len;
			if (is_mark(cp)) {
				/* text in NFD: the mark only counts as exact */
				differ = 1;
				if (ne + 4 <= TOKEN_MAX + 1)
					ne += encode(cp, exact + ne);
				continue;
			}
			f = sohoa_utf8_fold_cp(cp);
			l = lower_cp(cp);
			if (f != l)
				differ = 1;
			if (nf + 4 <= TOKEN_MAX)
				nf += encode(f, fold + nf);
			if (ne + 4 <= TOKEN_MAX + 1)
				ne += encode(l, exact + ne);
		}
		if (mode == TOK_EXACT && differ)
			rc = cb(arg, 0, exact, ne, start, i);
		else
			rc = cb(arg, 0, fold, nf, start, i);
		if (rc == 0 && mode == TOK_DOCUMENT && differ)
			rc = cb(arg, FTS5_TOKEN_COLOCATED, exact, ne, start, i);
		if (rc != 0)
			return rc;
	}
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
	enum tok_mode mode = TOK_DOCUMENT;

	(void)tok;
	if (flags & FTS5_TOKENIZE_QUERY)
		mode = n > 0 && text[0] == SOHOA_FTS_EXACT ? TOK_EXACT :
		    TOK_FOLD;
	if (text == NULL || n <= 0)
		return SQLITE_OK;
	return tokenize(text, n, mode, &c, tok_forward);
}

/* ---- sohoa_rank(fts, mask, weights...) and sohoa_fold(text) ------------- */

/*
 * Documents counted per phrase to estimate its IDF.  FTS5's bm25() counts
 * every document that has the phrase, once per query: a third of a
 * million for "nguyen" in a million-page archive.  Past this many we
 * extrapolate from how far into the rowids the count got.
 */
#define IDF_SCAN_MAX 2000
#define PHRASE_DOCS 100.0
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
    struct rank_data **pd)
{
	struct rank_data *d;
	sqlite3_int64 nrow = 0;
	struct idf_count c;
	double n, idf;
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
		/*
		 * A phrase of several words may be rare although its words
		 * are not ("le thi hoa"): counting its documents walks every
		 * document that has all the words, the whole archive.  Take
		 * it as rare (1% of the documents, at most PHRASE_DOCS).
		 */
		memset(&c, 0, sizeof(c));
		if (api->xPhraseSize(fctx, i) > 1) {
			n = (double)nrow / 100 + 0.5;
			if (n > PHRASE_DOCS)
				n = PHRASE_DOCS;
		} else {
			rc = api->xQueryPhrase(fctx, i, &c, idf_cb);
			n = (double)c.n;
		}
		if (c.n >= IDF_SCAN_MAX && c.last > 0 && nrow > 0)
			n = n * (double)nrow / (double)c.last;
		if (n > (double)nrow)
			n = (double)nrow;
		/* the bm25 IDF, kept positive as FTS5 does */
		idf = log(((double)nrow - n + 0.5) / (n + 0.5));
		d->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (rc != SQLITE_OK) {
		rank_data_free(d);
		return rc;
	}
	*pd = d;
	return SQLITE_OK;
}

/*
 * sohoa_rank(search_fts, mask, w1, w2, ...): larger is better.  The part
 * above 1e6 counts the phrases marked '1' in MASK (exact spellings) that
 * the row has, so that ORDER BY puts them first; the part above 1e4 the
 * phrases marked '2' (the query's words side by side); below that is a
 * bm25 score without length normalisation (a civil-status
 * page is about as long as another; reading each row's column sizes
 * costs a lookup per row), with the column weights W.
 */
static void
rank_fn(const Fts5ExtensionApi *api, Fts5Context *fctx,
    sqlite3_context *sctx, int nval, sqlite3_value **val)
{
	struct rank_data *d;
	const unsigned char *mask = NULL;
	double w[RANK_COLS], score = 0, tf;
	int nmask = 0, ninst, i, phrase, col, off, exact = 0, near = 0, rc;

	d = api->xGetAuxdata(fctx, 0);
	if (d == NULL) {
		rc = rank_data_new(api, fctx, &d);
		if (rc == SQLITE_OK)
			rc = api->xSetAuxdata(fctx, d, rank_data_free);
		if (rc != SQLITE_OK) {
			sqlite3_result_error_code(sctx, rc);
			return;
		}
	}
	if (nval > 0) {
		mask = sqlite3_value_text(val[0]);
		nmask = sqlite3_value_bytes(val[0]);
	}
	for (i = 0; i < d->ncol; i++)
		w[i] = i + 1 < nval ? sqlite3_value_double(val[i + 1]) : 1.0;
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
	}
	for (phrase = 0; phrase < d->nphrase; phrase++) {
		int any = 0;

		for (col = 0; col < d->ncol; col++) {
			tf = d->tf[phrase * RANK_COLS + col];
			if (tf == 0)
				continue;
			any = 1;
			score += d->idf[phrase] * w[col] * tf * (RANK_K1 + 1) /
			    (tf + RANK_K1);
		}
		if (any && mask != NULL && phrase < nmask &&
		    mask[phrase] == '1')
			exact++;
		if (any && mask != NULL && phrase < nmask &&
		    mask[phrase] == '2')
			near++;
	}
	if (score >= SOHOA_FTS_NEAR_UNIT)
		score = SOHOA_FTS_NEAR_UNIT - 1;
	sqlite3_result_double(sctx, exact * SOHOA_FTS_EXACT_UNIT +
	    near * SOHOA_FTS_NEAR_UNIT + score);
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

static const char fts_schema[] =
	"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
	"  title, fields, body, tokenize = 'sohoa', prefix = '2 3 4');\n"
	"CREATE TABLE IF NOT EXISTS search_words ("
	"  id INTEGER PRIMARY KEY,"
	"  word TEXT NOT NULL UNIQUE);\n"
	"CREATE VIRTUAL TABLE IF NOT EXISTS search_words_tri USING fts5("
	"  word, content = 'search_words', content_rowid = 'id',"
	"  tokenize = 'trigram');\n"
	"CREATE TRIGGER IF NOT EXISTS search_words_ai AFTER INSERT ON "
	"  search_words BEGIN INSERT INTO search_words_tri(rowid, word)"
	"  VALUES (new.id, new.word); END;\n";

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

/* Index every document: an archive made before search existed. */
static int
index_all(struct sohoa_ctx *ctx, sqlite3 *db)
{
	struct sohoa_fts_indexer *ix = NULL;
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = sohoa_fts_indexer_new(ctx, db, NULL, &ix);
	if (rc != SOHOA_OK)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT id FROM documents ORDER BY id",
	    -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(ctx, db, "cannot build the search index");
		goto out;
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		rc = sohoa_fts_indexer_add(ix, sqlite3_column_int64(st, 0));
		if (rc != SOHOA_OK)
			goto out;
	}
	if (src != SQLITE_DONE)
		rc = db_error(ctx, db, "cannot build the search index");
out:
	sqlite3_finalize(st);
	sohoa_fts_indexer_destroy(&ix);
	return rc;
}

int
sohoa_fts_open(struct sohoa_ctx *ctx, sqlite3 *db)
{
	fts5_api *api;
	int rc, had_fts = 0, had_docs = 0;

	api = fts5_api_of(db);
	if (api == NULL || api->iVersion < 2)
		return sohoa_set_error(ctx, SOHOA_ERR_DB,
		    "cannot open the search index: SQLite has no FTS5");
	{
		fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
		fts5_tokenizer found;
		void *ud = NULL;

		/* already registered on this connection: keep it all */
		if (api->xFindTokenizer(api, SOHOA_FTS_TOKENIZER, &ud,
		    &found) == SQLITE_OK && found.xTokenize == tok_tokenize)
			goto tables;
		if (api->xCreateTokenizer(api, SOHOA_FTS_TOKENIZER, NULL, &tok,
		    NULL) != SQLITE_OK ||
		    api->xCreateFunction(api, "sohoa_rank", NULL, rank_fn,
		    NULL) != SQLITE_OK)
			return db_error(ctx, db,
			    "cannot register the search tokenizer");
	}
	if (sqlite3_create_function(db, "sohoa_fold", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fold_fn, NULL,
	    NULL) != SQLITE_OK)
		return db_error(ctx, db, "cannot register sohoa_fold");
tables:
	if (sqlite3_db_readonly(db, "main") != 0)
		return SOHOA_OK;
	if (table_exists(db, "search_fts", &had_fts) != SQLITE_OK ||
	    table_exists(db, "documents", &had_docs) != SQLITE_OK)
		return db_error(ctx, db, "cannot open the search index");
	if (had_fts)
		return SOHOA_OK;
	if (sqlite3_exec(db, "SAVEPOINT sohoa_fts_open", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_error(ctx, db, "cannot create the search index");
	rc = SOHOA_OK;
	if (sqlite3_exec(db, fts_schema, NULL, NULL, NULL) != SQLITE_OK)
		rc = db_error(ctx, db, "cannot create the search index");
	if (rc == SOHOA_OK && had_docs)
		rc = index_all(ctx, db);
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

/* ---- indexing ---------------------------------------------------------- */

/*
 * Words already in search_words, so that a long run of documents does not
 * ask SQLite again for every name it has seen (open addressing).
 */
#define SEEN_MAX (1u << 22)

struct seen {
	char **slot;
	size_t size, used;
};

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* 1 when WORD was seen before; remembers it otherwise (if there is room). */
static int
seen_check(struct seen *t, const char *w, size_t n)
{
	char **slot, *copy;
	size_t i, j, newsize;

	if (t->used * 2 >= t->size) {
		newsize = t->size ? t->size * 2 : 1024;
		if (newsize > SEEN_MAX)
			goto lookup;
		slot = calloc(newsize, sizeof(*slot));
		if (slot == NULL)
			goto lookup;
		for (i = 0; i < t->size; i++) {
			if (t->slot[i] == NULL)
				continue;
			j = hash(t->slot[i], strlen(t->slot[i])) &
			    (newsize - 1);
			while (slot[j] != NULL)
				j = (j + 1) & (newsize - 1);
			slot[j] = t->slot[i];
		}
		free(t->slot);
		t->slot = slot;
		t->size = newsize;
	}
lookup:
	if (t->size == 0)
		return 0;
	i = hash(w, n) & (t->size - 1);
	while (t->slot[i] != NULL) {
		if (strncmp(t->slot[i], w, n) == 0 && t->slot[i][n] == '\0')
			return 1;
		i = (i + 1) & (t->size - 1);
	}
	if (t->used * 2 + 2 >= t->size)
		return 0;	/* full: just ask SQLite */
	copy = malloc(n + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, w, n);
	copy[n] = '\0';
	t->slot[i] = copy;
	t->used++;
	return 0;
}

static void
seen_release(struct seen *t)
{
	size_t i;

	for (i = 0; i < t->size; i++)
		free(t->slot[i]);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

struct sohoa_fts_indexer {
	struct sohoa_ctx *ctx;
	sqlite3 *db;
	sqlite3_stmt *doc, *fields, *pages, *del, *ins, *word;
	struct sohoa_buf fields_text, body;
	struct seen seen;
};

void
sohoa_fts_indexer_destroy(struct sohoa_fts_indexer **pix)
{
	struct sohoa_fts_indexer *ix = *pix;

	if (ix == NULL)
		return;
	sqlite3_finalize(ix->doc);
	sqlite3_finalize(ix->fields);
	sqlite3_finalize(ix->pages);
	sqlite3_finalize(ix->del);
	sqlite3_finalize(ix->ins);
	sqlite3_finalize(ix->word);
	sohoa_buf_release(&ix->fields_text);
	sohoa_buf_release(&ix->body);
	seen_release(&ix->seen);
	free(ix);
	*pix = NULL;
}

int
sohoa_fts_indexer_new(struct sohoa_ctx *ctx, sqlite3 *db, const char *table,
    struct sohoa_fts_indexer **pix)
{
	struct sohoa_fts_indexer *ix;
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	int rc = SOHOA_OK;

	*pix = NULL;
	ix = calloc(1, sizeof(*ix));
	if (ix == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	ix->ctx = ctx;
	ix->db = db;
	sohoa_buf_init(&ix->fields_text);
	sohoa_buf_init(&ix->body);
	if (table == NULL)
		table = "search_fts";
	if (sohoa_buf_addf(&sql, "DELETE FROM \"%s\" WHERE rowid = ?1",
	    table) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT title FROM documents "
	    "WHERE id = ?1", -1, &ix->doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT value FROM fields "
	    "WHERE document_id = ?1 ORDER BY key", -1, &ix->fields,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT text FROM pages "
	    "WHERE document_id = ?1 AND text <> '' ORDER BY file_id, pageno",
	    -1, &ix->pages, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql.buf, -1, &ix->del, NULL) != SQLITE_OK) {
		rc = db_error(ctx, db, "cannot prepare the search index");
		goto out;
	}
	sohoa_buf_reset(&sql);
	if (sohoa_buf_addf(&sql, "INSERT INTO \"%s\"(rowid, title, fields, "
	    "body) VALUES (?1, ?2, ?3, ?4)", table) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(db, sql.buf, -1, &ix->ins, NULL) != SQLITE_OK) {
		rc = db_error(ctx, db, "cannot prepare the search index");
		goto out;
	}
	if (strcmp(table, "search_fts") == 0 &&
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO search_words(word) "
	    "VALUES (?1)", -1, &ix->word, NULL) != SQLITE_OK) {
		rc = db_error(ctx, db, "cannot prepare the search index");
		goto out;
	}
	*pix = ix;
	ix = NULL;
out:
	sohoa_buf_release(&sql);
	sohoa_fts_indexer_destroy(&ix);
	return rc;
}

/*
 * Add one folded word of a title or field to search_words, the list the
 * fuzzy search corrects query words against.  Only words with a letter:
 * numbers and dates are not worth correcting.
 */
static int
add_word(void *arg, int tflags, const char *tok, int ntok, int start,
    int end)
{
	struct sohoa_fts_indexer *ix = arg;
	int i, letter = 0, rc;

	(void)tflags;
	(void)start;
	(void)end;
	if (ntok < 2 || ntok > 40)
		return 0;
	for (i = 0; i < ntok; i++)
		if (!(tok[i] >= '0' && tok[i] <= '9'))
			letter = 1;
	if (!letter || seen_check(&ix->seen, tok, (size_t)ntok))
		return 0;
	sqlite3_bind_text(ix->word, 1, tok, ntok, SQLITE_TRANSIENT);
	rc = sqlite3_step(ix->word);
	sqlite3_reset(ix->word);
	return rc == SQLITE_DONE ? 0 : rc;
}

static int
add_words(struct sohoa_fts_indexer *ix, const char *s, size_t len)
{
	if (ix->word == NULL || len == 0 || len > (1u << 20))
		return SQLITE_OK;
	return tokenize(s, (int)len, TOK_FOLD, ix, add_word);
}

/* Read column 0 of every row of ST into OUT, one per line. */
static int
gather(sqlite3_stmt *st, int64_t doc_id, const char *sep,
    struct sohoa_buf *out, int *psqlrc)
{
	const char *s;
	int rc;

	sohoa_buf_reset(out);
	sqlite3_bind_int64(st, 1, doc_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		if (s == NULL || *s == '\0')
			continue;
		if ((out->len > 0 && sohoa_buf_adds(out, sep) != SOHOA_OK) ||
		    sohoa_buf_add(out, s,
		    (size_t)sqlite3_column_bytes(st, 0)) != SOHOA_OK) {
			sqlite3_reset(st);
			return SOHOA_ERR_NOMEM;
		}
	}
	sqlite3_reset(st);
	*psqlrc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	return SOHOA_OK;
}

static int
step_once(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int
sohoa_fts_indexer_add(struct sohoa_fts_indexer *ix, int64_t doc_id)
{
	struct sohoa_buf title = SOHOA_BUF_INIT;
	sqlite3 *db = ix->db;
	int rc = SOHOA_OK, src, found = 0;

	sqlite3_bind_int64(ix->del, 1, doc_id);
	if ((src = step_once(ix->del)) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(ix->doc, 1, doc_id);
	src = sqlite3_step(ix->doc);
	if (src == SQLITE_ROW) {
		found = 1;
		if (sqlite3_column_text(ix->doc, 0) != NULL)
			rc = sohoa_buf_add(&title,
			    sqlite3_column_text(ix->doc, 0),
			    (size_t)sqlite3_column_bytes(ix->doc, 0));
		src = SQLITE_OK;
	} else if (src == SQLITE_DONE) {
		src = SQLITE_OK;
	}
	sqlite3_reset(ix->doc);
	if (src != SQLITE_OK)
		goto dberr;
	if (rc != SOHOA_OK)
		goto nomem;
	if (!found)
		goto out;
	if (gather(ix->fields, doc_id, "\n", &ix->fields_text, &src) !=
	    SOHOA_OK)
		goto nomem;
	if (src != SQLITE_OK)
		goto dberr;
	if (gather(ix->pages, doc_id, "\n\n", &ix->body, &src) != SOHOA_OK)
		goto nomem;
	if (src != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(ix->ins, 1, doc_id);
	sqlite3_bind_text(ix->ins, 2, title.buf, (int)title.len, SQLITE_STATIC);
	sqlite3_bind_text(ix->ins, 3, ix->fields_text.buf,
	    (int)ix->fields_text.len, SQLITE_STATIC);
	sqlite3_bind_text(ix->ins, 4, ix->body.buf, (int)ix->body.len,
	    SQLITE_STATIC);
	src = step_once(ix->ins);
	sqlite3_clear_bindings(ix->ins);
	if (src != SQLITE_OK)
		goto dberr;
	if ((src = add_words(ix, title.buf, title.len)) != SQLITE_OK ||
	    (src = add_words(ix, ix->fields_text.buf, ix->fields_text.len)) !=
	    SQLITE_OK)
		goto dberr;
	goto out;
nomem:
	rc = sohoa_set_error(ix->ctx, SOHOA_ERR_NOMEM,
	    "cannot index document %lld: out of memory", (long long)doc_id);
	goto out;
dberr:
	rc = sohoa_set_error(ix->ctx, src == SQLITE_BUSY ||
	    src == SQLITE_LOCKED ? SOHOA_ERR_BUSY : SOHOA_ERR_DB,
	    "cannot index document %lld: %s", (long long)doc_id,
	    sqlite3_errmsg(db));
out:
	sohoa_buf_release(&title);
	return rc;
}

int
sohoa_fts_index_document(struct sohoa_ctx *ctx, sqlite3 *db, int64_t doc_id)
{
	struct sohoa_fts_indexer *ix = NULL;
	int rc;

	rc = sohoa_fts_indexer_new(ctx, db, NULL, &ix);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_indexer_add(ix, doc_id);
	sohoa_fts_indexer_destroy(&ix);
	return rc;
}

int
sohoa_fts_delete_document(struct sohoa_ctx *ctx, sqlite3 *db, int64_t doc_id)
{
	sqlite3_stmt *st = NULL;
	int rc = SOHOA_OK;

	if (sqlite3_prepare_v2(db, "DELETE FROM search_fts WHERE rowid = ?1",
	    -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(ctx, db, "cannot remove a document from the "
		    "search index");
		goto out;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot remove "
		    "document %lld from the search index: %s",
		    (long long)doc_id, sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_fts_distance(const char *a, size_t alen, const char *b, size_t blen,
    int max)
{
	int prev2[TOKEN_MAX + 2], prev[TOKEN_MAX + 2], cur[TOKEN_MAX + 2];
	size_t i, j;
	int best, v;

	if (alen > TOKEN_MAX || blen > TOKEN_MAX)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	for (j = 0; j <= blen; j++)
		prev[j] = (int)j;
	memset(prev2, 0, sizeof(prev2));
	for (i = 1; i <= alen; i++) {
		cur[0] = (int)i;
		best = cur[0];
		for (j = 1; j <= blen; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
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
	tokenize(s, (int)len, TOK_DOCUMENT, &t, term_cb);
	*pntok = t.ntok;
	*pdiffer = t.differ;
	return t.rc;
}
