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
 *   sohoa_fts_query_build          user query -> safe FTS5 expression
 *
 * Tables (created when missing, never on a read-only connection):
 *   search_fts(title, fields, body)   rowid = documents.id, prefix 2 3 4
 *   search_words(word, n)             folded words of titles and fields
 *   search_words_tri(word)            trigram index of search_words
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

/*
 * First byte of an exact (diacritics kept) token, in the index and in
 * query strings: a query string starting with it is tokenized exactly.
 */
#define SOHOA_FTS_EXACT '\x01'

/*
 * sohoa_rank(search_fts, mask, w_title, w_fields, w_body) returns
 * exact * SOHOA_FTS_EXACT_UNIT + near * SOHOA_FTS_NEAR_UNIT + score,
 * where exact is the number of exact-spelling phrases (mask '1') in the
 * row, near the number of adjacency phrases (mask '2': the words of the
 * query side by side) and score a bm25 score (larger is better, kept
 * below SOHOA_FTS_NEAR_UNIT).
 */
#define SOHOA_FTS_EXACT_UNIT 1e6
#define SOHOA_FTS_NEAR_UNIT 1e4

/*
 * Register the "sohoa" tokenizer and the search SQL functions on DB, and
 * create the FTS tables when they are missing and DB is writable.  Call
 * once per connection, before any statement touches the index; calling
 * it again is harmless.  Returns SOHOA_OK or SOHOA_ERR_DB with the
 * message on CTX.
 */
int sohoa_fts_open(struct sohoa_ctx *ctx, sqlite3 *db);

/*
 * (Re)build the index rows of document DOC_ID from the documents, pages
 * and fields tables: title, field values and the text of its pages.
 * Idempotent.  Meant to run inside the writer's transaction that wrote
 * the document; it opens none itself.  A missing document is removed
 * from the index (not an error).
 */
int sohoa_fts_index_document(struct sohoa_ctx *ctx, sqlite3 *db,
    int64_t doc_id);

/*
 * An indexer keeps its statements prepared across documents, for callers
 * that index many (import, the benchmark).  TABLE NULL is search_fts with
 * its word list; another name is an FTS5 table with the same columns
 * (title, fields, body) and no word list (the benchmark's plain table).
 * TABLE is put into SQL and must be a trusted identifier.  Free with
 * sohoa_fts_indexer_destroy(&ix) before closing DB.
 */
struct sohoa_fts_indexer;
int sohoa_fts_indexer_new(struct sohoa_ctx *ctx, sqlite3 *db,
    const char *table, struct sohoa_fts_indexer **pix);
/* Same as sohoa_fts_index_document() with the indexer's statements. */
int sohoa_fts_indexer_add(struct sohoa_fts_indexer *ix, int64_t doc_id);
void sohoa_fts_indexer_destroy(struct sohoa_fts_indexer **pix);

/* Remove document DOC_ID from the index (no error when absent). */
int sohoa_fts_delete_document(struct sohoa_ctx *ctx, sqlite3 *db,
    int64_t doc_id);

/*
 * A user query turned into an FTS5 expression.  expr is "" for a query
 * with no words.  exact_mask has one byte per phrase of expr, in the
 * order FTS5 numbers them: '1' for a phrase that matches only the exact
 * spelling (diacritics kept), '0' otherwise; the sohoa_rank() function
 * counts the '1' phrases a document has.
 */
struct sohoa_fts_query {
	struct sohoa_buf expr;
	struct sohoa_buf exact_mask;
	int nwords;		/* positive terms: words, phrases, prefixes */
	int has_exact;		/* some word was typed with diacritics */
	/*
	 * 1 when the query is only plain words joined by AND (no phrase,
	 * prefix, OR or NOT): the fuzzy search may then correct them.
	 * words holds their folded tokens, separated by spaces.
	 */
	int simple;
	struct sohoa_buf words;
};

void sohoa_fts_query_init(struct sohoa_fts_query *q);
void sohoa_fts_query_release(struct sohoa_fts_query *q);

/*
 * Parse QUERY (UTF-8): words (implicit AND), "phrases", prefix*, AND, OR,
 * NOT, -word and parentheses, and build Q.  Never passes user text to
 * FTS5 unquoted.  A malformed query is SOHOA_ERR_INPUT with a message
 * such as "unbalanced quote in query".
 */
int sohoa_fts_query_build(struct sohoa_ctx *ctx, const char *query,
    struct sohoa_fts_query *q);

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
 * Damerau-Levenshtein distance between A and B (bytes), stopping early
 * at MAX + 1.  Used to cut fuzzy candidates.
 */
int sohoa_fts_distance(const char *a, size_t alen, const char *b,
    size_t blen, int max);

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
