/*
 * Reorganising documents without losing anything: moving one to another
 * dossier, splitting one at a page, merging two, deleting (a tombstone),
 * restoring, purging, and undoing any of these from the history.  Each
 * writes its event, with what undo needs in its detail, in the same
 * transaction as the change.  Fields are not read again here: records/
 * does that after a split or merge (it has the document types).
 *
 *   sohoa_archive_document_move / _split / _merge
 *   sohoa_archive_document_delete / _restore / _purge
 *   sohoa_archive_undo
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/history.h"
#include "sohoa/json.h"
#include "archive_private.h"
#include "fts.h"

/*
 * Prepare SQL and bind its parameters from TYPES, one letter each: 'i' an
 * int64_t, 't' a const char * (NULL binds NULL).
 */
static int
vprep(struct sohoa_archive *a, sqlite3_stmt **pst, const char *sql,
    const char *types, va_list ap)
{
	const char *s;
	int i, rc;

	rc = sohoa_archive_prepare(a, sql, pst);
	if (rc != SOHOA_OK)
		return rc;
	for (i = 0; types[i]; i++) {
		if (types[i] == 'i')
			sqlite3_bind_int64(*pst, i + 1, va_arg(ap, int64_t));
		else {
			s = va_arg(ap, const char *);
			if (s != NULL)
				sqlite3_bind_text(*pst, i + 1, s, -1,
				    SQLITE_TRANSIENT);
		}
	}
	return SOHOA_OK;
}

/* Run SQL (no rows) with TYPES-typed arguments. */
static int
run(struct sohoa_archive *a, const char *what, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = vprep(a, &st, sql, types, ap);
	va_end(ap);
	if (rc == SOHOA_OK && sqlite3_step(st) != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, what);
	sqlite3_finalize(st);
	return rc;
}

/* The first column of SQL's first row as an integer (0 when no row). */
static int
get_int(struct sohoa_archive *a, int64_t *pv, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc, step;

	*pv = 0;
	va_start(ap, types);
	rc = vprep(a, &st, sql, types, ap);
	va_end(ap);
	if (rc != SOHOA_OK)
		return rc;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*pv = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "read the archive");
	sqlite3_finalize(st);
	return rc;
}

/* The first column of SQL's first row as a new string (NULL when none). */
static int
get_text(struct sohoa_archive *a, char **pv, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	const char *v;
	int rc, step;

	*pv = NULL;
	va_start(ap, types);
	rc = vprep(a, &st, sql, types, ap);
	va_end(ap);
	if (rc != SOHOA_OK)
		return rc;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		if (v != NULL && (*pv = strdup(v)) == NULL)
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	} else if (step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "read the archive");
	sqlite3_finalize(st);
	return rc;
}

struct docrow {
	int64_t id, dossier_id, file_id;
	int first_page, npages, ordinal, deleted;
};

static int
doc_row(struct sohoa_archive *a, int64_t id, struct docrow *d)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	memset(d, 0, sizeof(*d));
	rc = sohoa_archive_prepare(a, "SELECT dossier_id, file_id, first_page,"
	    " (SELECT count(*) FROM pages WHERE document_id = ?1), ordinal,"
	    " deleted_at IS NOT NULL FROM documents WHERE id = ?1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		d->id = id;
		d->dossier_id = sqlite3_column_int64(st, 0);
		d->file_id = sqlite3_column_int64(st, 1);
		d->first_page = sqlite3_column_int(st, 2);
		d->npages = sqlite3_column_int(st, 3);
		d->ordinal = sqlite3_column_int(st, 4);
		d->deleted = sqlite3_column_int(st, 5);
	} else if (step == SQLITE_DONE)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no document %lld in '%s'", (long long)id, a->dir);
	else
		rc = sohoa_archive_db_error(a, "read a document");
	sqlite3_finalize(st);
	return rc;
}

static int
live_doc(struct sohoa_archive *a, int64_t id, struct docrow *d)
{
	int rc = doc_row(a, id, d);

	if (rc == SOHOA_OK && d->deleted)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "document %lld"
		    " is deleted ('sohoa undelete %lld' first)", (long long)id,
		    (long long)id);
	return rc;
}

static int
event(struct sohoa_archive *a, const char *action, int64_t doc,
    int64_t dossier, const char *key, const char *old, const char *new,
    const char *detail, int64_t undoes, int64_t *pid)
{
	struct sohoa_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.action = action;
	ev.document_id = doc;
	ev.dossier_id = dossier;
	ev.key = key;
	ev.old_value = old;
	ev.new_value = new;
	ev.detail = detail;
	ev.undoes = undoes;
	return sohoa_archive_event_add(a, &ev, pid);
}

static int
nomem(struct sohoa_archive *a)
{
	return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
}

static int
finish(struct sohoa_archive *a, int rc)
{
	if (rc == SOHOA_OK)
		return sohoa_archive_commit(a);
	sohoa_archive_rollback(a);
	return rc;
}

/* The next free number at the end of dossier DOSSIER_ID. */
static int
next_ordinal(struct sohoa_archive *a, int64_t dossier_id, int64_t *pn)
{
	return get_int(a, pn, "SELECT coalesce(max(ordinal), 0) + 1 FROM"
	    " documents WHERE dossier_id IS ?", "i", dossier_id);
}

/* Number the document's pages 0.. in their current order. */
static int
renumber_pages(struct sohoa_archive *a, int64_t doc)
{
	return run(a, "order pages", "UPDATE pages SET seq = (SELECT count(*)"
	    " FROM pages q WHERE q.document_id = pages.document_id AND"
	    " (coalesce(q.seq, q.pageno), q.file_id, q.pageno) <"
	    " (coalesce(pages.seq, pages.pageno), pages.file_id, pages.pageno))"
	    " WHERE document_id = ?1", "i", doc);
}

static int
set_npages(struct sohoa_archive *a, int64_t doc)
{
	return run(a, "count pages", "UPDATE documents SET npages = (SELECT"
	    " count(*) FROM pages WHERE document_id = ?1) WHERE id = ?1", "i",
	    doc);
}

int
sohoa_archive_document_move(struct sohoa_archive *a, int64_t doc_id,
    const char *dossier)
{
	struct sohoa_buf from = SOHOA_BUF_INIT, detail = SOHOA_BUF_INIT;
	struct docrow d;
	int64_t to = 0, ordinal;
	int rc;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = live_doc(a, doc_id, &d);
	if (rc == SOHOA_OK && d.dossier_id)
		rc = sohoa_archive_dossier_code(a, d.dossier_id, &from);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_get(a, dossier, 1, &to);
	if (rc == SOHOA_OK && to == d.dossier_id)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "document %lld"
		    " is already in dossier '%s'", (long long)doc_id, dossier);
	if (rc == SOHOA_OK)
		rc = next_ordinal(a, to, &ordinal);
	if (rc == SOHOA_OK)
		rc = run(a, "move a document", "UPDATE documents SET"
		    " dossier_id = ?2, ordinal = ?3 WHERE id = ?1", "iii",
		    doc_id, to, ordinal);
	if (rc == SOHOA_OK && sohoa_buf_addf(&detail, "{\"dossier_id\":%lld,"
	    "\"ordinal\":%d}", (long long)d.dossier_id, d.ordinal) != 0)
		rc = nomem(a);
	if (rc == SOHOA_OK)
		rc = event(a, SOHOA_EV_DOC_MOVE, doc_id, to, "dossier",
		    from.buf, dossier, detail.buf, 0, NULL);
	rc = finish(a, rc);
	sohoa_buf_release(&from);
	sohoa_buf_release(&detail);
	return rc;
}

int
sohoa_archive_document_delete(struct sohoa_archive *a, int64_t doc_id,
    const char *why)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	struct docrow d;
	int rc;

	if (why == NULL || *why == '\0')
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "say why"
		    " document %lld is deleted", (long long)doc_id);
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = live_doc(a, doc_id, &d);
	if (rc == SOHOA_OK)
		rc = run(a, "delete a document", "UPDATE documents SET"
		    " deleted_at = ?2, deleted_by = ?3, deleted_why = ?4"
		    " WHERE id = ?1", "ittt", doc_id, now.buf,
		    sohoa_archive_actor(a), why);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_delete_document(a->ctx, a->db, doc_id);
	if (rc == SOHOA_OK)
		rc = event(a, SOHOA_EV_DOC_DELETE, doc_id, d.dossier_id, NULL,
		    NULL, why, NULL, 0, NULL);
	rc = finish(a, rc);
out:
	sohoa_buf_release(&now);
	return rc;
}

/* Bring back a tombstone, at its number or after the dossier's others. */
static int
revive(struct sohoa_archive *a, const struct docrow *d)
{
	int64_t taken = 0, ordinal = d->ordinal;
	int rc;

	rc = get_int(a, &taken, "SELECT count(*) FROM documents WHERE"
	    " dossier_id IS ?1 AND ordinal = ?2 AND deleted_at IS NULL"
	    " AND id <> ?3", "iii", d->dossier_id, (int64_t)d->ordinal, d->id);
	if (rc == SOHOA_OK && taken)
		rc = next_ordinal(a, d->dossier_id, &ordinal);
	if (rc == SOHOA_OK)
		rc = run(a, "restore a document", "UPDATE documents SET"
		    " deleted_at = NULL, deleted_by = NULL, deleted_why = NULL,"
		    " ordinal = ?2 WHERE id = ?1", "ii", d->id, ordinal);
	return rc;
}

int
sohoa_archive_document_restore(struct sohoa_archive *a, int64_t doc_id)
{
	struct docrow d;
	char *why = NULL;
	int rc;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = doc_row(a, doc_id, &d);
	if (rc == SOHOA_OK && !d.deleted)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "document %lld"
		    " is not deleted", (long long)doc_id);
	/* a document merged into another has lent it its pages */
	if (rc == SOHOA_OK && d.npages == 0)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "document %lld"
		    " was merged into another; undo the merge instead ('sohoa"
		    " history %lld')", (long long)doc_id, (long long)doc_id);
	if (rc == SOHOA_OK)
		rc = get_text(a, &why, "SELECT deleted_why FROM documents WHERE"
		    " id = ?", "i", doc_id);
	if (rc == SOHOA_OK)
		rc = revive(a, &d);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, doc_id);
	if (rc == SOHOA_OK)
		rc = event(a, SOHOA_EV_DOC_RESTORE, doc_id, d.dossier_id, NULL,
		    why, NULL, NULL, 0, NULL);
	free(why);
	return finish(a, rc);
}

int
sohoa_archive_document_purge(struct sohoa_archive *a, int64_t doc_id)
{
	struct sohoa_buf detail = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct docrow d;
	char *title = NULL, *sha = NULL;
	int rc;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = doc_row(a, doc_id, &d);
	if (rc == SOHOA_OK && !d.deleted)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "document %lld"
		    " is not deleted: only a deleted document can be purged",
		    (long long)doc_id);
	if (rc == SOHOA_OK)
		rc = get_text(a, &title, "SELECT title FROM documents WHERE"
		    " id = ?", "i", doc_id);
	if (rc == SOHOA_OK)
		rc = get_text(a, &sha, "SELECT sha256 FROM files WHERE id = ?",
		    "i", d.file_id);
	/* the pages stay with their file (ingest resumes by them) */
	if (rc == SOHOA_OK)
		rc = run(a, "purge a document", "UPDATE pages SET document_id ="
		    " NULL, seq = NULL WHERE document_id = ?", "i", doc_id);
	if (rc == SOHOA_OK)
		rc = run(a, "purge a document", "DELETE FROM fields WHERE"
		    " document_id = ?", "i", doc_id);
	if (rc == SOHOA_OK)
		rc = run(a, "purge a document", "DELETE FROM documents WHERE"
		    " id = ?", "i", doc_id);
	if (rc == SOHOA_OK) {
		sohoa_json_init(&j, &detail, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "file_sha256");
		sohoa_json_str(&j, sha);
		sohoa_json_key(&j, "first_page");
		sohoa_json_int(&j, d.first_page);
		sohoa_json_obj_close(&j);
		rc = event(a, SOHOA_EV_DOC_PURGE, doc_id, d.dossier_id, NULL,
		    title, NULL, detail.buf, 0, NULL);
	}
	free(title);
	free(sha);
	sohoa_buf_release(&detail);
	return finish(a, rc);
}

/* Page ids of DOC in order, as a JSON array appended to OUT. */
static int
page_ids(struct sohoa_archive *a, int64_t doc, int from, struct sohoa_buf *out,
    int64_t *pfirst)
{
	sqlite3_stmt *st = NULL;
	int rc, n = 0;

	*pfirst = 0;
	rc = sohoa_archive_prepare(a, "SELECT id FROM pages WHERE document_id"
	    " = ? ORDER BY coalesce(seq, pageno), file_id, pageno", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, doc);
	sohoa_buf_addch(out, '[');
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ < from)
			continue;
		if (*pfirst == 0)
			*pfirst = sqlite3_column_int64(st, 0);
		sohoa_buf_addf(out, "%s%lld", out->buf[out->len - 1] == '[' ?
		    "" : ",", (long long)sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	if (sohoa_buf_addch(out, ']') != SOHOA_OK)
		return nomem(a);
	return SOHOA_OK;
}

/*
 * Make number AFTER + 1 free in DOSSIER, moving the live documents from
 * there on up by one when it is taken.
 */
static int
make_room(struct sohoa_archive *a, int64_t dossier, int after)
{
	int64_t taken = 0;
	int rc;

	rc = get_int(a, &taken, "SELECT count(*) FROM documents WHERE"
	    " dossier_id IS ?1 AND ordinal = ?2 AND deleted_at IS NULL", "ii",
	    dossier, (int64_t)after + 1);
	if (rc != SOHOA_OK || !taken)
		return rc;
	/* two steps: a unique index is checked row by row */
	rc = run(a, "number documents", "UPDATE documents SET ordinal ="
	    " -(ordinal + 1) WHERE dossier_id IS ?1 AND ordinal > ?2 AND"
	    " deleted_at IS NULL", "ii", dossier, (int64_t)after);
	if (rc == SOHOA_OK)
		rc = run(a, "number documents", "UPDATE documents SET ordinal ="
		    " -ordinal WHERE dossier_id IS ?1 AND ordinal < 0", "i",
		    dossier);
	return rc;
}

int
sohoa_archive_document_split(struct sohoa_archive *a, int64_t doc_id,
    int at, int64_t *pnew)
{
	struct sohoa_buf detail = SOHOA_BUF_INIT, ids = SOHOA_BUF_INIT;
	struct sohoa_buf now = SOHOA_BUF_INIT;
	struct docrow d, t;
	int64_t first = 0, file = 0, pageno = 0, existing = 0, id = 0;
	int rc, revived = 0;

	*pnew = 0;
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = live_doc(a, doc_id, &d);
	if (rc == SOHOA_OK && (at < 1 || at >= d.npages))
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "document %lld has"
		    " %d pages: it can be split before page 2 to %d",
		    (long long)doc_id, d.npages, d.npages);
	if (rc == SOHOA_OK)
		rc = page_ids(a, doc_id, at, &ids, &first);
	if (rc == SOHOA_OK)
		rc = get_int(a, &file, "SELECT file_id FROM pages WHERE id = ?",
		    "i", first);
	if (rc == SOHOA_OK)
		rc = get_int(a, &pageno, "SELECT pageno FROM pages WHERE id = ?",
		    "i", first);
	/* a document that once began there (merged in since) comes back */
	if (rc == SOHOA_OK)
		rc = get_int(a, &existing, "SELECT id FROM documents WHERE"
		    " file_id = ? AND first_page = ?", "ii", file, pageno);
	if (rc == SOHOA_OK)
		rc = make_room(a, d.dossier_id, d.ordinal);
	if (rc == SOHOA_OK && existing) {
		rc = doc_row(a, existing, &t);
		if (rc == SOHOA_OK)
			rc = run(a, "split a document", "UPDATE documents SET"
			    " deleted_at = NULL, deleted_by = NULL, deleted_why ="
			    " NULL, dossier_id = ?2, ordinal = ?3 WHERE id = ?1",
			    "iii", existing, d.dossier_id,
			    (int64_t)d.ordinal + 1);
		id = existing;
		revived = 1;
	} else if (rc == SOHOA_OK) {
		rc = run(a, "split a document", "INSERT INTO documents("
		    "dossier_id, file_id, first_page, npages, ordinal, doc_type,"
		    " confidence, created_at) SELECT dossier_id, ?2, ?3, 0, ?4,"
		    " doc_type, confidence, ?5 FROM documents WHERE id = ?1",
		    "iiiit", doc_id, file, pageno, (int64_t)d.ordinal + 1,
		    now.buf);
		id = sqlite3_last_insert_rowid(a->db);
	}
	if (rc == SOHOA_OK)
		rc = run(a, "split a document", "UPDATE pages SET document_id ="
		    " ?2 WHERE id IN (SELECT value FROM json_each(?3))", "iit",
		    doc_id, id, ids.buf);
	if (rc == SOHOA_OK)
		rc = renumber_pages(a, id);
	if (rc == SOHOA_OK)
		rc = set_npages(a, id);
	if (rc == SOHOA_OK)
		rc = set_npages(a, doc_id);
	/* both parts' text changed */
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, doc_id);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, id);
	if (rc == SOHOA_OK && sohoa_buf_addf(&detail, "{\"new\":%lld,"
	    "\"revived\":%s,\"pages\":%s}", (long long)id, revived ? "true" :
	    "false", ids.buf) != SOHOA_OK)
		rc = nomem(a);
	if (rc == SOHOA_OK) {
		char n[32], o[32];

		snprintf(n, sizeof(n), "%lld", (long long)id);
		snprintf(o, sizeof(o), "%lld", (long long)doc_id);
		rc = event(a, SOHOA_EV_DOC_SPLIT, doc_id, d.dossier_id, NULL,
		    NULL, n, detail.buf, 0, NULL);
		/*
		 * The new part's own history says where it came from; its
		 * undo is the split's (this record has no "pages").
		 */
		if (rc == SOHOA_OK)
			rc = event(a, revived ? SOHOA_EV_DOC_RESTORE :
			    SOHOA_EV_DOC_SPLIT, id, d.dossier_id, NULL, o, n,
			    "{\"split_of\":true}", 0, NULL);
	}
	if (rc == SOHOA_OK)
		*pnew = id;
	rc = finish(a, rc);
out:
	sohoa_buf_release(&detail);
	sohoa_buf_release(&ids);
	sohoa_buf_release(&now);
	return rc;
}

int
sohoa_archive_document_merge(struct sohoa_archive *a, int64_t into,
    int64_t from)
{
	struct sohoa_buf detail = SOHOA_BUF_INIT, ids = SOHOA_BUF_INIT;
	struct sohoa_buf keys = SOHOA_BUF_INIT, why = SOHOA_BUF_INIT;
	struct sohoa_buf now = SOHOA_BUF_INIT;
	struct docrow d, f;
	char *added = NULL;
	int64_t first, ev = 0;
	int rc;

	if (into == from)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "a document"
		    " cannot be merged into itself");
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = live_doc(a, into, &d);
	if (rc == SOHOA_OK)
		rc = live_doc(a, from, &f);
	if (rc == SOHOA_OK)
		rc = page_ids(a, from, 0, &ids, &first);
	/* FROM's fields that INTO lacks come along; the rest stay FROM's */
	if (rc == SOHOA_OK)
		rc = get_text(a, &added, "SELECT json_group_array(key) FROM"
		    " fields WHERE document_id = ?2 AND key NOT IN (SELECT key"
		    " FROM fields WHERE document_id = ?1)", "ii", into, from);
	if (rc == SOHOA_OK)
		rc = run(a, "merge documents", "INSERT INTO fields(document_id,"
		    " key, value, raw, conf, flagged, corrected, changed_at,"
		    " changed_by) SELECT ?1, key, value, raw, conf, flagged,"
		    " corrected, changed_at, changed_by FROM fields WHERE"
		    " document_id = ?2 AND key IN (SELECT value FROM"
		    " json_each(?3))", "iit", into, from, added);
	/* FROM's pages follow INTO's, in their order */
	if (rc == SOHOA_OK)
		rc = run(a, "merge documents", "UPDATE pages SET document_id = ?1,"
		    " seq = ?3 + (SELECT key FROM json_each(?2) WHERE value ="
		    " pages.id) WHERE id IN (SELECT value FROM json_each(?2))",
		    "iti", into, ids.buf, (int64_t)d.npages);
	if (rc == SOHOA_OK)
		rc = set_npages(a, into);
	if (rc == SOHOA_OK && (sohoa_buf_addf(&why, "merged into document"
	    " %lld", (long long)into) != SOHOA_OK || sohoa_buf_addf(&detail,
	    "{\"from\":%lld,\"pages\":%s,\"keys\":%s}", (long long)from,
	    ids.buf, added ? added : "[]") != SOHOA_OK))
		rc = nomem(a);
	if (rc == SOHOA_OK)
		rc = run(a, "merge documents", "UPDATE documents SET deleted_at ="
		    " ?2, deleted_by = ?3, deleted_why = ?4 WHERE id = ?1", "ittt",
		    from, now.buf, sohoa_archive_actor(a), why.buf);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_delete_document(a->ctx, a->db, from);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_doc_summary(a, into);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, into);
	if (rc == SOHOA_OK) {
		char n[32];

		snprintf(n, sizeof(n), "%lld", (long long)from);
		rc = event(a, SOHOA_EV_DOC_MERGE, into, d.dossier_id, NULL, NULL,
		    n, detail.buf, 0, &ev);
	}
	if (rc == SOHOA_OK)
		rc = event(a, SOHOA_EV_DOC_DELETE, from, f.dossier_id, NULL, NULL,
		    why.buf, NULL, 0, NULL);
	rc = finish(a, rc);
out:
	free(added);
	sohoa_buf_release(&detail);
	sohoa_buf_release(&ids);
	sohoa_buf_release(&keys);
	sohoa_buf_release(&why);
	sohoa_buf_release(&now);
	return rc;
}

/* ---- undo --------------------------------------------------------------- */

struct ev {
	int64_t id, doc, dossier, undone_by;
	char *action, *key, *old, *new, *detail;
};

static void
ev_release(struct ev *e)
{
	free(e->action);
	free(e->key);
	free(e->old);
	free(e->new);
	free(e->detail);
}

static int
ev_copy(void *arg, const struct sohoa_event *x)
{
	struct ev *e = arg;

	e->id = x->id;
	e->doc = x->document_id;
	e->dossier = x->dossier_id;
	e->undone_by = x->undone_by;
	if ((x->action && !(e->action = strdup(x->action))) ||
	    (x->key && !(e->key = strdup(x->key))) ||
	    (x->old_value && !(e->old = strdup(x->old_value))) ||
	    (x->new_value && !(e->new = strdup(x->new_value))) ||
	    (x->detail && !(e->detail = strdup(x->detail))))
		return SOHOA_ERR_NOMEM;
	return 0;
}

static int
changed_since(struct sohoa_archive *a, const struct ev *e, const char *what)
{
	return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "cannot undo #%lld:"
	    " %s changed since (undo the later change first; 'sohoa history"
	    " %lld')", (long long)e->id, what, (long long)e->doc);
}

static int
undo_field(struct sohoa_archive *a, const struct ev *e)
{
	char *cur = NULL;
	int rc;

	rc = get_text(a, &cur, "SELECT value FROM fields WHERE document_id ="
	    " ? AND key = ?", "it", e->doc, e->key);
	if (rc == SOHOA_OK && (cur == NULL || e->new == NULL ||
	    strcmp(cur, e->new) != 0))
		rc = changed_since(a, e, e->key);
	/* a field that did not exist before goes again; else the old value */
	if (rc == SOHOA_OK && e->old == NULL)
		rc = run(a, "undo a correction", "DELETE FROM fields WHERE"
		    " document_id = ? AND key = ?", "it", e->doc, e->key);
	else if (rc == SOHOA_OK)
		rc = run(a, "undo a correction", "UPDATE fields SET value = ?3,"
		    " changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
		    " changed_by = ?4 WHERE document_id = ?1 AND key = ?2",
		    "ittt", e->doc, e->key, e->old, sohoa_archive_actor(a));
	if (rc == SOHOA_OK && e->key && strcmp(e->key, "doc_type") == 0)
		rc = run(a, "undo a correction", "UPDATE documents SET doc_type"
		    " = coalesce(?2, 'other') WHERE id = ?1", "it", e->doc,
		    e->old);
	free(cur);
	return rc;
}

static int
undo_type(struct sohoa_archive *a, const struct ev *e)
{
	char *cur = NULL;
	int rc;

	rc = get_text(a, &cur, "SELECT doc_type FROM documents WHERE id = ?",
	    "i", e->doc);
	if (rc == SOHOA_OK && (cur == NULL || strcmp(cur, e->new) != 0))
		rc = changed_since(a, e, "its type");
	if (rc == SOHOA_OK)
		rc = run(a, "undo a type change", "UPDATE documents SET doc_type"
		    " = ?2 WHERE id = ?1", "it", e->doc, e->old);
	if (rc == SOHOA_OK)
		rc = run(a, "undo a type change", "UPDATE fields SET value = ?2"
		    " WHERE document_id = ?1 AND key = 'doc_type'", "it", e->doc,
		    e->old);
	free(cur);
	return rc;
}

static int
undo_accept(struct sohoa_archive *a, const struct ev *e)
{
	return run(a, "undo an acceptance", "UPDATE fields SET flagged = 1"
	    " WHERE document_id = ? AND key = ?", "it", e->doc, e->key);
}

static int
undo_move(struct sohoa_archive *a, const struct ev *e)
{
	struct docrow d;
	int64_t dossier = 0, ordinal = 0, taken = 0;
	int rc;

	rc = doc_row(a, e->doc, &d);
	if (rc == SOHOA_OK && d.dossier_id != e->dossier)
		rc = changed_since(a, e, "its dossier");
	if (rc == SOHOA_OK)
		rc = get_int(a, &dossier, "SELECT json_extract(?, '$.dossier_id')",
		    "t", e->detail);
	if (rc == SOHOA_OK)
		rc = get_int(a, &ordinal, "SELECT json_extract(?, '$.ordinal')",
		    "t", e->detail);
	if (rc == SOHOA_OK)
		rc = get_int(a, &taken, "SELECT count(*) FROM documents WHERE"
		    " dossier_id IS ? AND ordinal = ? AND deleted_at IS NULL",
		    "ii", dossier, ordinal);
	if (rc == SOHOA_OK && taken)
		rc = next_ordinal(a, dossier, &ordinal);
	if (rc == SOHOA_OK)
		rc = run(a, "undo a move", "UPDATE documents SET dossier_id = ?2,"
		    " ordinal = ?3 WHERE id = ?1", "iii", e->doc, dossier, ordinal);
	return rc;
}

static int
undo_delete(struct sohoa_archive *a, const struct ev *e)
{
	struct docrow d;
	int rc;

	rc = doc_row(a, e->doc, &d);
	if (rc == SOHOA_OK && !d.deleted)
		rc = changed_since(a, e, "the document");
	if (rc == SOHOA_OK && d.npages == 0)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "cannot undo #%lld:"
		    " the document was merged into another (undo the merge)",
		    (long long)e->id);
	if (rc == SOHOA_OK)
		rc = revive(a, &d);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, e->doc);
	return rc;
}

static int
undo_restore(struct sohoa_archive *a, const struct ev *e)
{
	struct docrow d;
	int rc;

	if (e->detail != NULL && strstr(e->detail, "split_of") != NULL)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "#%lld came with"
		    " a split: undo the split of document %s", (long long)e->id,
		    e->old ? e->old : "?");
	rc = doc_row(a, e->doc, &d);
	if (rc == SOHOA_OK && d.deleted)
		rc = changed_since(a, e, "the document");
	if (rc == SOHOA_OK)
		rc = run(a, "undo a restore", "UPDATE documents SET deleted_at ="
		    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), deleted_by = ?2,"
		    " deleted_why = ?3 WHERE id = ?1", "itt", e->doc,
		    sohoa_archive_actor(a), e->old ? e->old : "restore undone");
	if (rc == SOHOA_OK)
		rc = sohoa_fts_delete_document(a->ctx, a->db, e->doc);
	return rc;
}

/* The pages listed in the event's detail are all in document DOC. */
static int
pages_still(struct sohoa_archive *a, const struct ev *e, int64_t doc)
{
	int64_t n = 0;
	int rc;

	rc = get_int(a, &n, "SELECT count(*) FROM json_each(?1, '$.pages') j"
	    " LEFT JOIN pages p ON p.id = j.value WHERE p.document_id IS NOT ?2",
	    "ti", e->detail, doc);
	if (rc == SOHOA_OK && n > 0)
		rc = changed_since(a, e, "its pages");
	return rc;
}

static int
undo_split(struct sohoa_archive *a, const struct ev *e)
{
	int64_t nw = 0, n = 0;
	int rc;

	if (e->detail != NULL && strstr(e->detail, "split_of") != NULL)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "#%lld is the"
		    " new part's record: undo the split of document %s",
		    (long long)e->id, e->old ? e->old : "?");
	rc = get_int(a, &nw, "SELECT json_extract(?, '$.new')", "t", e->detail);
	if (rc == SOHOA_OK)
		rc = pages_still(a, e, nw);
	if (rc == SOHOA_OK)
		rc = get_int(a, &n, "SELECT count(*) FROM pages WHERE"
		    " document_id = ?", "i", e->doc);
	/* the pages go back after the first part, the second part goes */
	if (rc == SOHOA_OK)
		rc = run(a, "undo a split", "UPDATE pages SET document_id = ?1,"
		    " seq = ?3 + (SELECT key FROM json_each(?2, '$.pages') WHERE"
		    " value = pages.id) WHERE id IN (SELECT value FROM"
		    " json_each(?2, '$.pages'))", "iti", e->doc, e->detail, n);
	if (rc == SOHOA_OK)
		rc = set_npages(a, e->doc);
	if (rc == SOHOA_OK)
		rc = run(a, "undo a split", "UPDATE documents SET deleted_at ="
		    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), deleted_by = ?2,"
		    " deleted_why = 'split undone', npages = 0 WHERE id = ?1",
		    "it", nw, sohoa_archive_actor(a));
	if (rc == SOHOA_OK)
		rc = sohoa_fts_delete_document(a->ctx, a->db, nw);
	return rc;
}

static int
undo_merge(struct sohoa_archive *a, const struct ev *e)
{
	struct docrow f;
	int64_t from = 0;
	int rc;

	rc = get_int(a, &from, "SELECT json_extract(?, '$.from')", "t",
	    e->detail);
	if (rc == SOHOA_OK)
		rc = pages_still(a, e, e->doc);
	if (rc == SOHOA_OK)
		rc = run(a, "undo a merge", "UPDATE pages SET document_id = ?1,"
		    " seq = (SELECT key FROM json_each(?2, '$.pages') WHERE value"
		    " = pages.id) WHERE id IN (SELECT value FROM json_each(?2,"
		    " '$.pages'))", "it", from, e->detail);
	if (rc == SOHOA_OK)
		rc = run(a, "undo a merge", "DELETE FROM fields WHERE document_id"
		    " = ?1 AND key IN (SELECT value FROM json_each(?2, '$.keys'))",
		    "it", e->doc, e->detail);
	if (rc == SOHOA_OK)
		rc = set_npages(a, e->doc);
	if (rc == SOHOA_OK)
		rc = set_npages(a, from);
	if (rc == SOHOA_OK)
		rc = doc_row(a, from, &f);
	if (rc == SOHOA_OK)
		rc = revive(a, &f);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, from);
	return rc;
}

int
sohoa_archive_undo(struct sohoa_archive *a, int64_t event_id,
    int64_t pdocs[2])
{
	struct ev e;
	int64_t uid = 0, other = 0;
	int rc;

	pdocs[0] = pdocs[1] = 0;
	memset(&e, 0, sizeof(e));
	rc = sohoa_archive_event_get(a, event_id, ev_copy, &e);
	if (rc == SOHOA_ERR_NOMEM)
		rc = nomem(a);
	if (rc != SOHOA_OK)
		goto out;
	if (e.undone_by) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "#%lld was undone"
		    " already (by #%lld)", (long long)e.id,
		    (long long)e.undone_by);
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	if (strcmp(e.action, SOHOA_EV_FIELD_SET) == 0)
		rc = undo_field(a, &e);
	else if (strcmp(e.action, SOHOA_EV_FIELD_ACCEPT) == 0)
		rc = undo_accept(a, &e);
	else if (strcmp(e.action, SOHOA_EV_DOC_TYPE) == 0)
		rc = undo_type(a, &e);
	else if (strcmp(e.action, SOHOA_EV_DOC_MOVE) == 0)
		rc = undo_move(a, &e);
	else if (strcmp(e.action, SOHOA_EV_DOC_DELETE) == 0)
		rc = undo_delete(a, &e);
	else if (strcmp(e.action, SOHOA_EV_DOC_RESTORE) == 0)
		rc = undo_restore(a, &e);
	else if (strcmp(e.action, SOHOA_EV_DOC_SPLIT) == 0) {
		rc = undo_split(a, &e);
		get_int(a, &other, "SELECT json_extract(?, '$.new')", "t",
		    e.detail);
	} else if (strcmp(e.action, SOHOA_EV_DOC_MERGE) == 0) {
		rc = undo_merge(a, &e);
		get_int(a, &other, "SELECT json_extract(?, '$.from')", "t",
		    e.detail);
	} else if (strcmp(e.action, SOHOA_EV_PAGE_ROTATE) == 0 ||
	    strcmp(e.action, SOHOA_EV_PAGE_REPLACE) == 0 ||
	    strcmp(e.action, SOHOA_EV_PAGE_RETRY) == 0 ||
	    strcmp(e.action, SOHOA_EV_TEXT_EDIT) == 0)
		rc = e.detail ? sohoa_archive_page_undo(a, e.detail, &other) :
		    sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "#%lld has nothing"
		    " to bring back", (long long)e.id);
	else
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "#%lld (%s) cannot"
		    " be undone", (long long)e.id, e.action);
	if (rc == SOHOA_OK && e.doc)
		rc = sohoa_archive_doc_summary(a, e.doc);
	if (rc == SOHOA_OK && e.doc && strcmp(e.action, SOHOA_EV_DOC_DELETE) &&
	    strcmp(e.action, SOHOA_EV_DOC_RESTORE))
		rc = sohoa_fts_index_document(a->ctx, a->db, e.doc);
	if (rc == SOHOA_OK)
		rc = event(a, SOHOA_EV_UNDO, e.doc, e.dossier, e.key, e.new,
		    e.old, NULL, e.id, &uid);
	rc = finish(a, rc);
	if (rc == SOHOA_OK) {
		pdocs[0] = e.doc;
		pdocs[1] = other;
	}
out:
	ev_release(&e);
	return rc;
}
