/*
 * What 'sohoa status' shows: counts, and the items that need a person
 * (failed files and pages, interrupted files, low-confidence pages,
 * flagged fields); the web's review queue, a page at a time.
 */
#include <string.h>

#include "archive_private.h"

int
sohoa_archive_counts(struct sohoa_archive *a, struct sohoa_archive_counts *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = sohoa_archive_prepare(a, "SELECT"
	    " (SELECT count(*) FROM dossiers),"
	    " (SELECT count(*) FROM files),"
	    " (SELECT count(*) FROM files WHERE NOT done),"
	    " (SELECT count(*) FROM documents WHERE deleted_at IS NULL),"
	    " (SELECT count(*) FROM pages),"
	    " (SELECT count(*) FROM pages WHERE status = 'ok'),"
	    " (SELECT count(*) FROM pages WHERE status = 'blank'),"
	    " (SELECT count(*) FROM pages WHERE status = 'lowconf'),"
	    " (SELECT count(*) FROM pages WHERE status = 'failed'),"
	    " (SELECT count(*) FROM fields),"
	    " (SELECT count(*) FROM fields k JOIN documents d"
	    "  ON d.id = k.document_id WHERE k.flagged AND NOT k.corrected"
	    "  AND d.deleted_at IS NULL),"
	    " (SELECT count(*) FROM fields WHERE corrected),"
	    " (SELECT count(*) FROM failures WHERE pageno IS NULL),"
	    " (SELECT count(*) FROM documents WHERE deleted_at IS NOT NULL)",
	    &st);
	if (rc != SOHOA_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		c->dossiers = sqlite3_column_int(st, 0);
		c->files = sqlite3_column_int(st, 1);
		c->files_pending = sqlite3_column_int(st, 2);
		c->documents = sqlite3_column_int(st, 3);
		c->pages = sqlite3_column_int(st, 4);
		c->pages_ok = sqlite3_column_int(st, 5);
		c->pages_blank = sqlite3_column_int(st, 6);
		c->pages_lowconf = sqlite3_column_int(st, 7);
		c->pages_failed = sqlite3_column_int(st, 8);
		c->fields = sqlite3_column_int(st, 9);
		c->fields_flagged = sqlite3_column_int(st, 10);
		c->fields_corrected = sqlite3_column_int(st, 11);
		c->failures = sqlite3_column_int(st, 12);
		c->documents_deleted = sqlite3_column_int(st, 13);
	} else
		rc = sohoa_archive_db_error(a, "count the archive");
	sqlite3_finalize(st);
	return rc;
}

/*
 * One query for all kinds, so the order is the database's: columns are
 * kind, path, pageno, reason, doc_id, key, value, conf, raw, doc_type,
 * npages.
 */
static const char review_sql[] =
	"SELECT 0, path, -1, reason, 0, NULL, NULL, 0, NULL, NULL, 0"
	"  FROM failures WHERE pageno IS NULL"
	" UNION ALL SELECT 1, f.path, p.pageno, coalesce(p.error, 'unknown error'),"
	"  coalesce(p.document_id, 0), NULL, NULL, 0, NULL, NULL, 0"
	"  FROM pages p JOIN files f ON f.id = p.file_id WHERE p.status = 'failed'"
	" UNION ALL SELECT 1, path, pageno, reason, 0, NULL, NULL, 0, NULL,"
	"  NULL, 0 FROM failures WHERE pageno IS NOT NULL"
	" UNION ALL SELECT 2, path, -1, NULL, 0, NULL, NULL, 0, NULL, NULL, 0"
	"  FROM files WHERE NOT done"
	" UNION ALL SELECT 3, f.path, p.pageno, NULL, coalesce(p.document_id, 0),"
	"  NULL, NULL, p.confidence, NULL, NULL, 0"
	"  FROM pages p JOIN files f ON f.id = p.file_id WHERE p.status = 'lowconf'"
	" UNION ALL SELECT 4, f.path, d.first_page, NULL, d.id, k.key, k.value,"
	"  k.conf, k.raw, d.doc_type, d.npages FROM fields k JOIN documents d"
	"  ON d.id = k.document_id JOIN files f ON f.id = d.file_id"
	"  WHERE k.flagged AND NOT k.corrected AND d.deleted_at IS NULL"
	" ORDER BY 1, 2, 3, 5, 6";

/*
 * The queue from a place, same columns: each side is read in the order
 * asked from its partial index (schema_3.sql: fields_review,
 * documents_other) from the place on, and SQLite merges the two, so a
 * page reads only its own rows, however long the backlog and however
 * far apart the items left.  An 'other' document's key is '' here:
 * before any field of it.
 */
#define REVIEW_PAGE_SQL(op) \
	"SELECT 4, f.path, d.first_page, NULL, k.document_id, k.key, k.value," \
	"  k.conf, k.raw, d.doc_type, d.npages FROM fields k JOIN documents d" \
	"  ON d.id = k.document_id JOIN files f ON f.id = d.file_id" \
	"  WHERE (k.document_id, k.key) " op " (?1, ?2) AND k.flagged" \
	"  AND NOT k.corrected AND d.deleted_at IS NULL" \
	" UNION ALL SELECT 5, f.path, d.first_page, NULL, d.id, '', NULL, 0," \
	"  NULL, d.doc_type, d.npages FROM documents d" \
	"  JOIN files f ON f.id = d.file_id" \
	"  WHERE (d.id, '') " op " (?1, ?2) AND d.doc_type = 'other'" \
	"  AND d.deleted_at IS NULL" \
	" ORDER BY 5, 6 LIMIT ?3"

static const char review_from_sql[] = REVIEW_PAGE_SQL(">=");
static const char review_after_sql[] = REVIEW_PAGE_SQL(">");

/* Call CB for each row of ST (columns as review_sql) until it says stop */
static int
review_rows(struct sohoa_archive *a, sqlite3_stmt *st,
    int (*cb)(void *arg, const struct sohoa_review_item *it), void *arg)
{
	struct sohoa_review_item it;
	int rc = 0, step;

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&it, 0, sizeof(it));
		it.kind = sqlite3_column_int(st, 0);
		it.path = (const char *)sqlite3_column_text(st, 1);
		it.pageno = sqlite3_column_int(st, 2);
		it.reason = (const char *)sqlite3_column_text(st, 3);
		it.doc_id = sqlite3_column_int64(st, 4);
		if (it.kind != SOHOA_REVIEW_OTHER_DOCUMENT)
			it.key = (const char *)sqlite3_column_text(st, 5);
		it.value = (const char *)sqlite3_column_text(st, 6);
		it.conf = (float)sqlite3_column_double(st, 7);
		it.raw = (const char *)sqlite3_column_text(st, 8);
		it.doc_type = (const char *)sqlite3_column_text(st, 9);
		it.npages = sqlite3_column_int(st, 10);
		rc = cb(arg, &it);
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list items to review");
	return rc;
}

int
sohoa_archive_review_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_review_item *it), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, review_sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	rc = review_rows(a, st, cb, arg);
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_review_page(struct sohoa_archive *a,
    const struct sohoa_review_range *r,
    int (*cb)(void *arg, const struct sohoa_review_item *it), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, r != NULL && r->after ?
	    review_after_sql : review_from_sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, r != NULL ? r->doc_id : 0);
	sqlite3_bind_text(st, 2, r != NULL && r->key != NULL ? r->key : "",
	    -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, r != NULL && r->limit > 0 ? r->limit : -1);
	rc = review_rows(a, st, cb, arg);
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_review_count(struct sohoa_archive *a, int *pfields,
    int *pdocuments)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*pfields = *pdocuments = 0;
	/*
	 * By the queue's index, which holds just these rows: without
	 * statistics SQLite would take fields_flagged and read each row for
	 * its corrected flag (5x slower on a long backlog).
	 */
	rc = sohoa_archive_prepare(a, "SELECT"
	    " (SELECT count(*) FROM fields k INDEXED BY fields_review"
	    "  JOIN documents d ON d.id = k.document_id"
	    "  WHERE k.flagged AND NOT k.corrected AND d.deleted_at IS NULL),"
	    " (SELECT count(*) FROM documents WHERE doc_type = 'other'"
	    "  AND deleted_at IS NULL)", &st);
	if (rc != SOHOA_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*pfields = sqlite3_column_int(st, 0);
		*pdocuments = sqlite3_column_int(st, 1);
	} else
		rc = sohoa_archive_db_error(a, "count the items to review");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_recent_days(struct sohoa_archive *a, int ndays,
    int (*cb)(void *arg, const struct sohoa_ingest_day *d), void *arg)
{
	struct sohoa_ingest_day d;
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "WITH days(day) AS (SELECT DISTINCT"
	    " substr(ingested_at, 1, 10) FROM files ORDER BY 1 DESC LIMIT ?1)"
	    " SELECT day,"
	    " (SELECT count(*) FROM files WHERE ingested_at >= day AND"
	    "  substr(ingested_at, 1, 10) = day),"
	    " (SELECT count(*) FROM files f JOIN pages p ON p.file_id = f.id"
	    "  WHERE f.ingested_at >= day AND substr(f.ingested_at, 1, 10) ="
	    "  day),"
	    " (SELECT count(*) FROM files f JOIN pages p ON p.file_id = f.id"
	    "  WHERE f.ingested_at >= day AND substr(f.ingested_at, 1, 10) ="
	    "  day AND p.status = 'failed'),"
	    " (SELECT count(*) FROM documents WHERE deleted_at IS NULL AND"
	    "  created_at >= day AND substr(created_at, 1, 10) = day)"
	    " FROM days ORDER BY day DESC", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int(st, 1, ndays);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		d.day = (const char *)sqlite3_column_text(st, 0);
		d.files = sqlite3_column_int(st, 1);
		d.pages = sqlite3_column_int(st, 2);
		d.pages_failed = sqlite3_column_int(st, 3);
		d.documents = sqlite3_column_int(st, 4);
		if (d.day == NULL)
			continue;
		rc = cb(arg, &d);
		if (rc != 0)
			break;
	}
	if (rc == SOHOA_OK && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list the recent ingests");
	sqlite3_finalize(st);
	return rc;
}
