/*
 * Full-text search of an archive: Vietnamese folding (case, diacritics,
 * đ), exact spellings ranked first, phrases, prefixes, AND/OR/NOT,
 * filters on documents and fields, bm25 ranking with highlighted
 * snippets, and correction of misspelt or misrecognized name words.
 *
 *   sohoa_search                   run one query
 *   sohoa_search_result_destroy    free its result
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

struct sohoa_search_hit {
	int64_t doc_id;		/* what 'sohoa show' takes */
	char *dossier;		/* code, "" when none */
	char *doc_type;
	char *date;		/* NULL when the document has none */
	char *title;
	double score;		/* bm25: larger is better; 0 when listing */
	int exact;		/* terms found with the diacritics typed */
	int fuzzy;		/* found only through corrected words */
	char *snippet;		/* one line, matches between the markers */
};

struct sohoa_search_result {
	struct sohoa_search_hit *hits;	/* best first */
	size_t nhits;
	int capped;		/* more matches than SOHOA_SEARCH_RANK_CAP */
	char *corrected;	/* words tried for fuzzy hits, or NULL */
};

/*
 * Run OPTS on archive A (opened read-only is enough; WAL lets it run
 * while an ingest writes); errors go to A's context.  Hits are ordered by the number of terms found
 * with the diacritics typed, then by a bm25 score (title weighs 10,
 * fields 5, body 1); fuzzy hits come last.  With no query words, the
 * documents the filters keep are listed, newest date first.
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

#endif
