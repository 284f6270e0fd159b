/*
 * Full-text search of an archive: Vietnamese folding (case, diacritics,
 * đ), documents where the words stand together (a name, a place, the
 * type) ranked first, exact spellings first among equals, phrases,
 * prefixes, AND/OR/NOT, filters on documents and fields, form labels
 * and boilerplate left out, hits that say whose record it is with every
 * query word highlighted, and correction of misrecognized words when
 * the query finds nothing useful.
 *
 *   sohoa_search                   run one query
 *   sohoa_search_result_destroy    free its result
 *   sohoa_search_result_json       a result as 'sohoa search --json'
 *
 * Query language (operators in upper case):
 *   nguyen van duc        all words, in any order, diacritics optional
 *   "Hòn Đất"             a phrase
 *   Nguy*                 a prefix
 *   a OR b, a AND b, NOT a, -a, ( )
 */
#ifndef SOHOA_SEARCH_H
#define SOHOA_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/sohoa.h"

struct sohoa_archive;
struct sohoa_json;

/* Hits returned when opts->limit is 0, and the most ever returned. */
#define SOHOA_SEARCH_LIMIT 20
#define SOHOA_SEARCH_LIMIT_MAX 1000

/*
 * A query matching more documents than this ranks only this many, the
 * most recently added ones, unless opts->rank_cap says otherwise (see
 * notes/search.md: "nguyen" matches 840,000 pages of a million, and
 * finding and ranking them all takes a large part of a second).
 */
#define SOHOA_SEARCH_RANK_CAP 2000

enum sohoa_search_flags {
	SOHOA_SEARCH_NO_FUZZY = 1 << 0,	/* never correct query words */
};

/* A --field KEY=VALUE filter: VALUE is compared after folding. */
struct sohoa_search_field {
	const char *key;
	const char *value;
};

struct sohoa_search_opts {
	const char *query;	/* NULL or "": list what the filters keep */
	const char *doc_type;	/* NULL: any type */
	const char *dossier;	/* dossier code, or its numeric id; NULL: any */
	const char *date_from;	/* YYYY, YYYY-MM or YYYY-MM-DD, inclusive */
	const char *date_to;	/* same, inclusive */
	const struct sohoa_search_field *fields;	/* all must match */
	size_t nfields;
	int limit;		/* 0: SOHOA_SEARCH_LIMIT */
	int rank_cap;		/* 0: SOHOA_SEARCH_RANK_CAP */
	const char *hl_open;	/* put around matches in snippets; NULL: "[" */
	const char *hl_close;	/* NULL: "]" */
	unsigned flags;		/* enum sohoa_search_flags */
};

/*
 * Why a document matched, best first: the query's words side by side in
 * the person's name or the type of document, in a field (a parent's
 * name, a place, an ID), in the text; then in two or three groups of
 * words side by side in the name, type and fields ("khai sinh nguyen
 * van duc": the type, then the name); then all the words, apart.
 */
enum sohoa_search_match {
	SOHOA_MATCH_NONE = 0,	/* listed by the filters, no query words */
	SOHOA_MATCH_TITLE,
	SOHOA_MATCH_FIELD,
	SOHOA_MATCH_TEXT,
	SOHOA_MATCH_PARTS,
	SOHOA_MATCH_WORDS,
};

struct sohoa_search_hit {
	int64_t doc_id;		/* what 'sohoa show' takes */
	char *dossier;		/* code, "" when none */
	char *doc_type;		/* "birth", "marriage", ... */
	char *type_name;	/* the type in words: "Giấy khai sinh" */
	char *name;		/* whose record: the person's name, or the
				   decision's subject; NULL when unknown */
	char *date;		/* NULL when the document has none */
	char *title;
	double score;		/* larger is better within a match; 0 when
				   listing */
	int match;		/* enum sohoa_search_match */
	int exact;		/* terms found with the diacritics typed */
	int fuzzy;		/* found only through corrected words */
	char *snippet;		/* one line, every query word the document
				   has between the markers */
};

struct sohoa_search_result {
	struct sohoa_search_hit *hits;	/* best first */
	size_t nhits;
	int capped;		/* more matches than SOHOA_SEARCH_RANK_CAP */
	char *corrected;	/* words tried for fuzzy hits, or NULL */
};

/*
 * Run OPTS on archive A (opened read-only is enough; WAL lets it run
 * while an ingest writes); errors go to A's context.  Hits are ordered
 * by how they match (enum sohoa_search_match), then, among equals, a
 * name that is exactly the query first, then by the number of terms
 * found with the diacritics typed, then by a BM25 score (type 6, name
 * 10, fields 4, text 1; an IDF that stays above 0 for common words),
 * then the most recent.  Form labels, the motto and lines most
 * documents of a type have match nothing.  When a query of plain words
 * finds nothing useful (nothing with its words side by side), near
 * spellings of its words are tried: those hits are marked fuzzy and
 * come before documents that merely have the words apart.  With no
 * query words, the documents the filters keep are listed, newest date
 * first.
 *
 * On success *presult is freed with sohoa_search_result_destroy(); no hit
 * is not an error.  A malformed query or filter is SOHOA_ERR_INPUT, an
 * unknown dossier SOHOA_ERR_NOTFOUND, with the message on A's context; no
 * SQL error text is ever shown for user input.  One thread per archive
 * handle.
 */
int sohoa_search(struct sohoa_archive *a,
    const struct sohoa_search_opts *opts,
    struct sohoa_search_result **presult);
void sohoa_search_result_destroy(struct sohoa_search_result **presult);

/* enum sohoa_search_match as a word ("title", "field", ...), or NULL. */
const char *sohoa_search_match_name(int match);

/*
 * Write R to J as a JSON array of {doc_id, dossier, doc_type, type_name,
 * name, date, score, match, exact, fuzzy, title, snippet}, best first:
 * what 'sohoa search --json' and GET /api/search print.
 */
void sohoa_search_result_json(struct sohoa_json *j,
    const struct sohoa_search_result *r);

#endif
