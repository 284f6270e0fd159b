/*
 * Judged queries: what an officer types to find a document, made from a
 * document's true fields, and whether a hit answers it.  Used by
 * search_bench (synthetic archives up to a million pages) and
 * search_judged (the sample scans), so both measure the same thing.
 *
 * Categories, each with its relevance:
 *   name         "Nguyễn Văn Đức"          the person's own record
 *   name_folded  "nguyen van duc"          the same
 *   typo         "nguyen van dcu"          the same, one slip
 *   id           "001215000001"            that personal ID
 *   id_prefix    "001215000"               an ID that starts so
 *   kind         "khai tu"                 a document of that type
 *   kind_name    "khai sinh nguyen van duc"  that type and person
 *   date         "12/03/2019"              a date field on that day
 *   name_year    "nguyen van duc 2019"     the person, born that year
 *   place        "hon dat kien giang"      a field names that place
 *
 * Precision at 1 is the share of queries whose first hit is relevant;
 * MRR the mean of 1/rank of the first relevant hit in the first 10
 * (0 when none is).
 */
#ifndef SOHOA_BENCH_JUDGED_H
#define SOHOA_BENCH_JUDGED_H

#include <stddef.h>
#include <stdint.h>

#define JUDGED_FIELDS 32
#define JUDGED_TOP 10

/* What is true of a document (borrowed strings). */
struct judged_doc {
	const char *doc_type;
	const char *key[JUDGED_FIELDS];
	const char *value[JUDGED_FIELDS];
	int nfields;
};

enum judged_pred {
	JP_PERSON, JP_ID, JP_ID_PREFIX, JP_TYPE, JP_TYPE_PERSON, JP_DATE,
	JP_PLACE, JP_PERSON_YEAR,
};

struct judged_query {
	const char *category;	/* static */
	char *query;
	enum judged_pred pred;
	char *a, *b;		/* the predicate's values */
};

struct judged_set {
	struct judged_query *q;
	size_t n, alloc;
};

/* Per category: queries, relevant first hits, sum of 1/rank. */
struct judged_score {
	const char *category;
	int n, p1;
	double rr;
};

struct judged_scores {
	struct judged_score c[16];
	int nc;
};

/*
 * Add the queries DOC gives to SET (name, id, date... as it has them);
 * with KINDS, also one query per kind of document it is.  R chooses
 * which field a place query uses (any number).
 */
int judged_make(struct judged_set *set, const struct judged_doc *doc,
    unsigned r, int kinds);
void judged_set_release(struct judged_set *set);

/* 1 when DOC answers Q. */
int judged_relevant(const struct judged_query *q, const struct judged_doc *doc);

/*
 * Count a query of CATEGORY whose first relevant hit is at RANK (1-based,
 * 0 when none in the first JUDGED_TOP).
 */
void judged_add(struct judged_scores *s, const char *category, int rank);

/* Print S as a table, one line per category and "all", prefixed LABEL. */
void judged_print(const struct judged_scores *s, const char *label);

/* The overall precision at 1 and MRR of S. */
void judged_total(const struct judged_scores *s, double *pp1, double *pmrr);

#endif
