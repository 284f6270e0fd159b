/*
 * Changes to stored documents that are not corrections of a field's
 * value: accepting a flagged value, changing a document's type.  Each
 * writes its event in the same transaction (a savepoint inside the
 * caller's).  The checks of what a person typed are in records/.
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/history.h"
#include "archive_private.h"
#include "fts.h"

/* Run SQL with ?1 = ID and ?2 = S. */
static int
run(struct sohoa_archive *a, const char *sql, int64_t id, const char *s,
    const char *what)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, what);
	sqlite3_finalize(st);
	return rc;
}

/* The text of the first column of SQL's first row (?1 = ID, ?2 = S). */
static int
get_text(struct sohoa_archive *a, const char *sql, int64_t id, const char *s,
    char **pout)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc, step;

	*pout = NULL;
	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (s != NULL)
		sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		if (v != NULL && (*pout = strdup(v)) == NULL)
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	} else if (step == SQLITE_DONE)
		rc = SOHOA_ERR_NOTFOUND;	/* the caller says what */
	else
		rc = sohoa_archive_db_error(a, "read a document");
	sqlite3_finalize(st);
	return rc;
}

static int
no_document(struct sohoa_archive *a, int64_t doc_id)
{
	return sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
	    "no document %lld in '%s'", (long long)doc_id, a->dir);
}

int
sohoa_archive_field_accept(struct sohoa_archive *a, int64_t doc_id,
    const char *key)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	char *value = NULL;
	int rc, n = 0;

	rc = get_text(a, "SELECT value FROM fields WHERE document_id = ?1"
	    " AND key = ?2", doc_id, key, &value);
	if (rc == SOHOA_ERR_NOTFOUND)
		return sohoa_set_error(a->ctx, rc, "document %lld has no field"
		    " '%s'", (long long)doc_id, key);
	if (rc != SOHOA_OK)
		return rc;
	if (sohoa_archive_now(&now) != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "UPDATE fields SET flagged = 0,"
	    " changed_at = ?2, changed_by = ?3 WHERE document_id = ?1"
	    " AND key = ?4 AND flagged", &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_int64(st, 1, doc_id);
		sqlite3_bind_text(st, 2, now.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sohoa_archive_actor(a), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "accept a field");
		else
			n = sqlite3_changes(a->db);
	}
	if (rc == SOHOA_OK && n > 0) {
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_FIELD_ACCEPT;
		ev.document_id = doc_id;
		ev.key = key;
		ev.old_value = value;
		ev.new_value = value;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	free(value);
	sohoa_buf_release(&now);
	return rc;
}

int
sohoa_archive_document_set_type(struct sohoa_archive *a, int64_t doc_id,
    const char *doc_type)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	char *old = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = get_text(a, "SELECT doc_type FROM documents WHERE id = ?1",
	    doc_id, NULL, &old);
	if (rc == SOHOA_ERR_NOTFOUND)
		return no_document(a, doc_id);
	if (rc != SOHOA_OK)
		return rc;
	if (sohoa_archive_now(&now) != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = run(a, "UPDATE documents SET doc_type = ?2 WHERE id = ?1", doc_id,
	    doc_type, "change a document's type");
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(a, "INSERT INTO fields(document_id,"
		    " key, value, conf, flagged, corrected, changed_at,"
		    " changed_by) VALUES (?1, 'doc_type', ?2, 100, 0, 1, ?3, ?4)"
		    " ON CONFLICT(document_id, key) DO UPDATE SET"
		    " value = excluded.value, conf = 100, flagged = 0,"
		    " corrected = 1, changed_at = excluded.changed_at,"
		    " changed_by = excluded.changed_by", &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_int64(st, 1, doc_id);
		sqlite3_bind_text(st, 2, doc_type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, sohoa_archive_actor(a), -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "change a document's type");
	}
	if (rc == SOHOA_OK)
		rc = sohoa_archive_doc_summary(a, doc_id);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, doc_id);
	if (rc == SOHOA_OK) {
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_DOC_TYPE;
		ev.document_id = doc_id;
		ev.key = "doc_type";
		ev.old_value = old;
		ev.new_value = doc_type;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	free(old);
	sohoa_buf_release(&now);
	return rc;
}
