/*
 * What 'sohoa check' asks of the database: SQLite's own integrity and
 * foreign-key checks, the search index against the documents, and the
 * list of every blob the rows name (records/check.c hashes them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_private.h"
#include "fts.h"

static int
count(struct sohoa_archive *a, const char *sql, int *pn)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*pn = 0;
	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*pn = sqlite3_column_int(st, 0);
	else
		rc = sohoa_archive_db_error(a, "check the archive");
	sqlite3_finalize(st);
	return rc;
}

/* Reindex (or drop from the index) each document SQL lists. */
static int
fix_each(struct sohoa_archive *a, const char *sql, int drop, int *pn)
{
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL, *v;
	size_t n = 0, alloc = 0, i;
	int rc;

	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			v = realloc(ids, alloc * sizeof(*ids));
			if (v == NULL) {
				rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
				    "out of memory");
				break;
			}
			ids = v;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (i = 0; rc == SOHOA_OK && i < n; i++)
		rc = drop ? sohoa_fts_delete_document(a->ctx, a->db, ids[i]) :
		    sohoa_fts_index_document(a->ctx, a->db, ids[i]);
	if (rc == SOHOA_OK)
		*pn += (int)n;
	free(ids);
	return rc;
}

#define MISSING_SQL \
	"SELECT id FROM documents d WHERE deleted_at IS NULL AND NOT EXISTS" \
	" (SELECT 1 FROM search_fts WHERE rowid = d.id)"
#define STALE_SQL \
	"SELECT rowid FROM search_fts WHERE rowid NOT IN" \
	" (SELECT id FROM documents WHERE deleted_at IS NULL)"

int
sohoa_archive_check_db(struct sohoa_archive *a, int repair,
    struct sohoa_db_check *r)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = sohoa_archive_prepare(a, "PRAGMA integrity_check(5)", &st);
	if (rc != SOHOA_OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		if (v != NULL && strcmp(v, "ok") != 0 && r->integrity[0] == '\0')
			snprintf(r->integrity, sizeof(r->integrity), "%s", v);
	}
	sqlite3_finalize(st);
	if (r->integrity[0] == '\0')
		strcpy(r->integrity, "ok");
	rc = count(a, "SELECT count(*) FROM pragma_foreign_key_check",
	    &r->foreign_keys);
	if (rc == SOHOA_OK)
		rc = count(a, "SELECT count(*) FROM (" MISSING_SQL ")",
		    &r->fts_missing);
	if (rc == SOHOA_OK)
		rc = count(a, "SELECT count(*) FROM (" STALE_SQL ")",
		    &r->fts_stale);
	if (rc != SOHOA_OK)
		return rc;
	/* FTS5's own check: the index agrees with the rows it indexed */
	r->fts_ok = sqlite3_exec(a->db, "INSERT INTO search_fts(search_fts)"
	    " VALUES ('integrity-check')", NULL, NULL, NULL) == SQLITE_OK;
	if (!repair || (r->fts_ok && !r->fts_missing && !r->fts_stale))
		return SOHOA_OK;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	if (!r->fts_ok) {
		/* rebuilt from the documents, the one source of its text */
		if (sqlite3_exec(a->db, "DELETE FROM search_fts", NULL, NULL,
		    NULL) != SQLITE_OK)
			rc = sohoa_archive_db_error(a, "rebuild the index");
		if (rc == SOHOA_OK)
			rc = fix_each(a, "SELECT id FROM documents WHERE"
			    " deleted_at IS NULL", 0, &r->fts_fixed);
	} else {
		rc = fix_each(a, STALE_SQL, 1, &r->fts_fixed);
		if (rc == SOHOA_OK)
			rc = fix_each(a, MISSING_SQL, 0, &r->fts_fixed);
	}
	if (rc == SOHOA_OK)
		return sohoa_archive_commit(a);
	sohoa_archive_rollback(a);
	return rc;
}

int
sohoa_archive_blob_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_blob_ref *ref), void *arg)
{
	struct sohoa_blob_ref ref;
	sqlite3_stmt *st = NULL;
	int rc, step;

	/* one row per blob and use: originals first, then what they made */
	rc = sohoa_archive_prepare(a, "SELECT sha256, 'original', 0, 0, path"
	    " FROM files"
	    " UNION ALL SELECT p.image_sha256, 'page image', p.document_id,"
	    "  p.id, f.path FROM pages p JOIN files f ON f.id = p.file_id"
	    "  WHERE p.image_sha256 IS NOT NULL"
	    " UNION ALL SELECT p.hocr_sha256, 'hOCR', p.document_id, p.id,"
	    "  f.path FROM pages p JOIN files f ON f.id = p.file_id"
	    "  WHERE p.hocr_sha256 IS NOT NULL"
	    " UNION ALL SELECT p.words_sha256, 'word boxes', p.document_id,"
	    "  p.id, f.path FROM pages p JOIN files f ON f.id = p.file_id"
	    "  WHERE p.words_sha256 IS NOT NULL"
	    " UNION ALL SELECT d.pdf_sha256, 'PDF', d.id, 0, f.path"
	    "  FROM documents d JOIN files f ON f.id = d.file_id"
	    "  WHERE d.pdf_sha256 IS NOT NULL AND d.deleted_at IS NULL"
	    " UNION ALL SELECT NULL, 'PDF', d.id, 0, f.path FROM documents d"
	    "  JOIN files f ON f.id = d.file_id WHERE d.pdf_sha256 IS NULL"
	    "  AND d.deleted_at IS NULL AND EXISTS (SELECT 1 FROM pages"
	    "  WHERE document_id = d.id AND image_sha256 IS NOT NULL)", &st);
	if (rc != SOHOA_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		ref.sha256 = (const char *)sqlite3_column_text(st, 0);
		ref.what = (const char *)sqlite3_column_text(st, 1);
		ref.document_id = sqlite3_column_int64(st, 2);
		ref.page_id = sqlite3_column_int64(st, 3);
		ref.path = (const char *)sqlite3_column_text(st, 4);
		rc = cb(arg, &ref);
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list the archive's blobs");
	sqlite3_finalize(st);
	return rc;
}
