/*
 * Full-text index of the archive (private to the library).
 *
 * Search runs on SQLite FTS5 with a Vietnamese tokenizer, "sohoa", that
 * folds case, diacritics and đ/Đ, and puts an exact lower-case token with
 * its diacritics at the same position, so that a query typed with marks
 * can rank exact spellings first.  Custom tokenizers live on a
 * connection, so every connection that touches the index calls
 * sohoa_fts_open() first.
 *
 *   sohoa_fts_open                 tokenizer, functions, tables
 *   sohoa_fts_index_document       (re)index one document
 *   sohoa_fts_delete_document      drop one document from the index
 *   sohoa_fts_rebuild              index every document again
 *   sohoa_fts_indexer_*            the same with statements kept prepared
 *   sohoa_fts_query_build          user query -> safe FTS5 expression
 *   sohoa_fts_type_name            a document type in words
 *
 * Tables (created when missing, never on a read-only connection; an index
 * of another layout is dropped and rebuilt from the documents):
 *   search_fts(kind, title, fields, body)   rowid = documents.id
 *   search_words(word, n)             folded words of titles and fields,
 *                                     with the documents they are in
 *   search_lines(doc_type, line, ndocs)  how many documents of a type
 *                                     have each line (a sample of them)
 *   search_boiler(line)               lines learnt to be boilerplate
 *   search_counted(doc_id)            documents counted in search_lines
 *   search_info(key, value)           'layout' = SOHOA_FTS_LAYOUT
 *
 * Columns: kind is the document type in words ("Giấy chứng nhận kết
 * hôn"), title the person's name or the decision's subject, fields the
 * field values one per line, body the text of the pages.  kind, title
 * and fields start with SOHOA_FTS_HEAD: their words also give a token for
 * each pair of neighbours ("nguyen van", "van duc"), so that a name or a
 * place is found as a phrase by looking up pairs, not by walking every
 * document that has its common words; body starts with
 * SOHOA_FTS_TEXT_PAIRS and gives pairs of its own.  In body, boilerplate (form
 * labels, the national motto, lines most documents of a type have) sits
 * between SOHOA_FTS_BOIL_OPEN and SOHOA_FTS_BOIL_CLOSE: it is kept for
 * snippets but gives no token, so it matches no query.
 */
#ifndef SOHOA_FTS_H
#define SOHOA_FTS_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

/* Name of the FTS5 tokenizer registered by sohoa_fts_open(). */
#define SOHOA_FTS_TOKENIZER "sohoa"

/* The version of the tables above; another one is rebuilt on open. */
#define SOHOA_FTS_LAYOUT "3"

/*
 * First byte of an exact (diacritics kept) token, in the index and in
 * query strings: a query string starting with it is tokenized exactly.
 */
#define SOHOA_FTS_EXACT '\x01'

/*
 * First byte of a column value whose words also give pair tokens, and of
 * a pair token itself ("\x02nguyen van"); a query string starting with it
 * is tokenized into the pairs of its words ("\x02nguyen van duc" ->
 * "nguyen van", "van duc"; one word gives that word).
 */
#define SOHOA_FTS_HEAD '\x02'

/*
 * First byte of body, whose words also give pair tokens of their own
 * ("\x03nguyen van", neighbours on one line, not across boilerplate),
 * so that words side by side in the text are found by looking up pairs
 * too; a query string starting with it is tokenized into those pairs.
 * Apart from the head's pairs: a name in the text does not make its
 * pairs common in the name and field tiers.
 */
#define SOHOA_FTS_TEXT_PAIRS '\x03'

/* Around boilerplate in body: kept, never tokenized. */
#define SOHOA_FTS_BOIL_OPEN '\x05'
#define SOHOA_FTS_BOIL_CLOSE '\x06'

/* Column numbers of search_fts. */
enum sohoa_fts_col {
	SOHOA_FTS_KIND, SOHOA_FTS_TITLE, SOHOA_FTS_FIELDS, SOHOA_FTS_BODY,
	SOHOA_FTS_NCOLS
};

/*
 * sohoa_rank(search_fts, mask, nwords, w_kind, w_title, w_fields, w_body)
 * returns whole * SOHOA_FTS_WHOLE_UNIT + exact * SOHOA_FTS_EXACT_UNIT +
 * score.  MASK has one byte per phrase of the expression: '0' a phrase
 * that is scored, '1' an exact-spelling alternative (counted in exact,
 * not scored), '2' a phrase only there to match.  whole is 1 when the
 * title has exactly NWORDS words and a phrase is in it (the name is the
 * query, not longer); score is a BM25 score with Lucene's IDF, log(1 +
 * (N - n + 0.5) / (n + 0.5)), which stays above 0 for a word in most
 * documents, weighted by column, without length normalisation; it is
 * kept below SOHOA_FTS_EXACT_UNIT.
 */
#define SOHOA_FTS_WHOLE_UNIT 1e8
#define SOHOA_FTS_EXACT_UNIT 1e6

/*
 * sohoa_snippet(search_fts, groups, open, close, ntokens) returns one or
 * more fragments of the row's text, of about NTOKENS words in all,
 * chosen so that every query word found in the row is in one and
 * highlighted (between OPEN and CLOSE), body first, then fields, title
 * and kind.  GROUPS has one byte per phrase: the same byte for the
 * phrases of one query word, '-' for a phrase not to highlight.
 */
#define SOHOA_FTS_SNIPPET_TOKENS 20

/*
 * Register the "sohoa" tokenizer and the search SQL functions on DB, and
 * create the FTS tables when they are missing and DB is writable.  Tables
 * of another layout are dropped and every document indexed again; on a
 * read-only connection this is done through a writable connection of
 * its own, once.  Call once per connection, before any statement touches
 * the index; calling it again is harmless.  Returns SOHOA_OK or
 * SOHOA_ERR_DB (SOHOA_ERR_BUSY when the archive is locked) with the
 * message on CTX.
 */
int sohoa_fts_open(struct sohoa_ctx *ctx, sqlite3 *db);

/*
 * (Re)build the index rows of document DOC_ID from the documents, pages
 * and fields tables.  Idempotent.  Meant to run inside the writer's
 * transaction that wrote the document; it opens none itself.  A missing
 * or deleted document is removed from the index (not an error).  When
 * what it learns about boilerplate changes and the archive is small,
 * every document is indexed again (the learnt lines then match nothing
 * anywhere).
 */
int sohoa_fts_index_document(struct sohoa_ctx *ctx, sqlite3 *db,
    int64_t doc_id);

/*
 * Index every document again, in two passes: learn the boilerplate from
 * them all, then index.  Runs in DB's current transaction or its own.
 */
int sohoa_fts_rebuild(struct sohoa_ctx *ctx, sqlite3 *db);

/* Empty the search tables (SQLITE_OK or an SQLite code). */
int sohoa_fts_clear(sqlite3 *db);

enum sohoa_fts_indexer_flags {
	/*
	 * TABLE is a plain FTS5 table (title, fields, body) given the
	 * documents' raw text: the benchmark's unicode61 table.
	 */
	SOHOA_FTS_INDEXER_PLAIN = 1 << 0,
	/* do not learn from the documents (a rebuild's second pass) */
	SOHOA_FTS_INDEXER_NO_LEARN = 1 << 1,
};

/*
 * An indexer keeps its statements prepared across documents, for callers
 * that index many (import, the benchmark).  TABLE NULL is search_fts;
 * another name, with SOHOA_FTS_INDEXER_PLAIN, a plain FTS5 table (put
 * into SQL: a trusted identifier).  Free with sohoa_fts_indexer_destroy()
 * before closing DB: it writes the word counts it kept.
 */
struct sohoa_fts_indexer;
int sohoa_fts_indexer_new(struct sohoa_ctx *ctx, sqlite3 *db,
    const char *table, unsigned flags, struct sohoa_fts_indexer **pix);
/* Same as sohoa_fts_index_document() with the indexer's statements. */
int sohoa_fts_indexer_add(struct sohoa_fts_indexer *ix, int64_t doc_id);
/* Write the word counts kept so far (also done by destroy). */
int sohoa_fts_indexer_flush(struct sohoa_fts_indexer *ix);
void sohoa_fts_indexer_destroy(struct sohoa_fts_indexer **pix);

/* Remove document DOC_ID from the index (no error when absent). */
int sohoa_fts_delete_document(struct sohoa_ctx *ctx, sqlite3 *db,
    int64_t doc_id);

/*
 * Document type DOC_TYPE in words, as an officer says it ("Giấy khai
 * sinh"), static; DOC_TYPE itself for a type this list does not know.
 * *PALSO, when not NULL, gets the other titles forms of the type carry
 * (one per line, "" when none).
 */
const char *sohoa_fts_type_name(const char *doc_type, const char **palso);

/*
 * The I-th string of names and titles of all types (a string of ALSO may
 * hold several, one per line), NULL past the end.
 */
const char *sohoa_fts_type_titles(size_t i);

/*
 * The person's name or the decision's subject in TITLE, which the archive
 * writes "<doc_type>: <name>" (index/archive_doc.c): *PNAME points into
 * TITLE, *PLEN bytes long, 0 when the title is the type alone.
 */
void sohoa_fts_title_name(const char *title, const char *doc_type,
    const char **pname, size_t *plen);

/* One positive term of a query. */
struct sohoa_fts_word {
	char *fold;		/* folded tokens, space-separated */
	char *exact;		/* with marks when typed so, else NULL */
	int ntok;		/* tokens in fold */
	int prefix;		/* typed with '*' (or a partial number) */
	int phrase;		/* typed in quotes, or several tokens */
	char *expand;		/* a prefix's words, space-separated, or NULL */
};

/*
 * A user query turned into an FTS5 expression.  expr is "" for a query
 * with no words; it matches the documents that have every word, in any
 * column.  exact_mask has one byte per phrase of expr, in the order FTS5
 * numbers them: '1' for a phrase that matches only the exact spelling
 * (diacritics kept), '0' otherwise.
 */
struct sohoa_fts_query {
	struct sohoa_buf expr;
	struct sohoa_buf exact_mask;
	int nwords;		/* positive terms: words, phrases, prefixes */
	int has_exact;		/* some word was typed with diacritics */
	/*
	 * 1 when the query is only terms joined by AND (no OR, NOT or
	 * parentheses): its terms are then in words[], and the search can
	 * rank them as a name or a phrase, and correct their spelling.
	 */
	int simple;
	/*
	 * When the query is one date and nothing else, the date as fields
	 * hold it ("2019 03 12", folded), else NULL.
	 */
	char *date;
	struct sohoa_fts_word *words;
	int nw;
};

void sohoa_fts_query_init(struct sohoa_fts_query *q);
void sohoa_fts_query_release(struct sohoa_fts_query *q);

/*
 * Parse QUERY (UTF-8): words (implicit AND), "phrases", prefix*, AND, OR,
 * NOT, -word and parentheses, and build Q.  A date (12/03/2019,
 * 2019-03-12) also matches the other order, as fields store it.  Never
 * passes user text to FTS5 unquoted.  A malformed query is
 * SOHOA_ERR_INPUT with a message such as "unbalanced quote in query".
 */
int sohoa_fts_query_build(struct sohoa_ctx *ctx, const char *query,
    struct sohoa_fts_query *q);

/*
 * Lists the words a prefix (folded, one token) stands for, appended to
 * OUT separated by spaces; nothing appended: FTS5 looks the prefix up.
 */
typedef int (*sohoa_fts_expand_fn)(void *arg, const char *prefix,
    struct sohoa_buf *out);

/* The same, with prefixes of words expanded by EXPAND(ARG, ...). */
int sohoa_fts_query_build_expand(struct sohoa_ctx *ctx, const char *query,
    sohoa_fts_expand_fn expand, void *arg, struct sohoa_fts_query *q);

/*
 * Tokens of S (LEN bytes) as the tokenizer sees them in a query: FOLD gets
 * the folded tokens and EXACT the exact ones (folded where the word has
 * no marks), each separated by one space.  *PNTOK is the number of
 * tokens and *PDIFFER 1 when some word has marks.  Either buffer may be
 * NULL.  Returns SOHOA_OK or SOHOA_ERR_NOMEM.
 */
int sohoa_fts_terms(const char *s, size_t len, struct sohoa_buf *fold,
    struct sohoa_buf *exact, int *pntok, int *pdiffer);

/*
 * Call CB for each word of S (LEN bytes) with its byte range and its
 * folded form (NUL-terminated, at most 96 bytes), in order; a line
 * break between two words is reported as NEWLINE 1 on the second.
 * Stops at the first non-zero return of CB and returns it.
 */
int sohoa_fts_words(const char *s, size_t len,
    int (*cb)(void *arg, const char *fold, size_t flen, size_t start,
    size_t end, int newline), void *arg);

/*
 * Damerau-Levenshtein distance between A and B (bytes), stopping early
 * at MAX + 1.  Used to cut fuzzy candidates.
 */
int sohoa_fts_distance(const char *a, size_t alen, const char *b,
    size_t blen, int max);

/*
 * Tokenize TEXT (N bytes) as the "sohoa" FTS5 tokenizer does, a document
 * (QUERY 0) or a query string (QUERY 1), handing each token to CB with
 * FTS5's flags (FTS5_TOKEN_COLOCATED) and byte range.  Returns the first
 * non-zero value of CB.
 */
int sohoa_fts_tokenize(const char *text, int n, int query, void *arg,
    int (*cb)(void *arg, int tflags, const char *tok, int ntok, int start,
    int end));

/*
 * Snippets made without FTS5 (index/search_snippet.c): the phrases of an
 * FTS5 expression of ours are found again by tokenizing a hit's text,
 * so that making the snippets of 20 hits reads 20 rows instead of
 * walking the doclists of every phrase.  sohoa_fts_snip_new() parses
 * EXPR (as search.c writes them: quoted strings, '*', AND, OR, NOT,
 * parentheses, {column ...} filters) with GROUPS as sohoa_snippet()
 * takes it; phrases under NOT are not shown.  sohoa_fts_snip_row() writes
 * what sohoa_snippet(search_fts, GROUPS, OPEN, CLOSE, NTOKENS) gives for
 * the row whose column texts are TEXT[col] (NTEXT[col] bytes, NULL for
 * none) to OUT, and sets *PMATCH to 1, when the row matches EXPR; when
 * it does not (FTS5 would not have given the row), *PMATCH is 0 and OUT
 * unchanged.  Both return SOHOA_OK or SOHOA_ERR_NOMEM.
 */
struct sohoa_fts_snip;
int sohoa_fts_snip_new(const char *expr, const char *groups,
    struct sohoa_fts_snip **psnip);
int sohoa_fts_snip_row(const struct sohoa_fts_snip *snip,
    const char *const *text, const int *ntext, const char *open,
    const char *close, int ntokens, struct sohoa_buf *out, int *pmatch);
void sohoa_fts_snip_destroy(struct sohoa_fts_snip **psnip);

/* The sohoa_snippet() auxiliary function (index/search_snippet.c). */
void sohoa_fts_snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fctx,
    sqlite3_context *sctx, int nval, sqlite3_value **val);

/*
 * sohoa_search on a connection (the benchmark's and the tests' plain
 * databases); see include/sohoa/search.h.
 */
struct sohoa_search_opts;
struct sohoa_search_result;
int sohoa_search_db(struct sohoa_ctx *ctx, sqlite3 *db,
    const struct sohoa_search_opts *opts,
    struct sohoa_search_result **presult);

#endif
