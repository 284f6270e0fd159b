/*
 * Files, pages, documents and fields in the archive: what ingest and
 * import write, and what show, search, pdf and export read back.
 *
 * Word boxes are kept in the store as a small text blob per page (one
 * word a line: "x0 y0 x1 y1 conf line block\ttext"), so that a page can be
 * rebuilt exactly as the pipeline made it without a row per word.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/utf8.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "archive_private.h"
#include "fts.h"


static int
nomem(struct sohoa_archive *a)
{
	return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
}

static int
status_from_name(const char *s)
{
	if (s == NULL)
		return SOHOA_PAGE_FAILED;
	if (strcmp(s, "ok") == 0)
		return SOHOA_PAGE_OK;
	if (strcmp(s, "blank") == 0)
		return SOHOA_PAGE_BLANK;
	if (strcmp(s, "lowconf") == 0)
		return SOHOA_PAGE_LOWCONF;
	return SOHOA_PAGE_FAILED;
}

/* A copy of text column I, or NULL when it is NULL (*pfail set on NOMEM). */
static char *
col_dup(sqlite3_stmt *st, int i, int *pfail)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*pfail = 1;
	return d;
}

static void
col_hex(sqlite3_stmt *st, int i, char hex[SOHOA_SHA256_HEX])
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	hex[0] = '\0';
	if (s != NULL && strlen(s) == 64)
		memcpy(hex, s, SOHOA_SHA256_HEX);
}

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Run a statement that returns no rows. */
static int
step_done(struct sohoa_archive *a, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return sohoa_archive_db_error(a, what);
	return SOHOA_OK;
}

/* ---- word boxes ------------------------------------------------------- */

int
sohoa_words_encode(const struct sohoa_word *words, size_t n,
    struct sohoa_buf *out)
{
	const char *t;
	size_t i, j;
	int rc = SOHOA_OK;

	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		rc = sohoa_buf_addf(out, "%d %d %d %d %.1f %d %d\t", words[i].x0,
		    words[i].y0, words[i].x1, words[i].y1, (double)words[i].conf,
		    words[i].line, words[i].block);
		t = words[i].text ? words[i].text : "";
		/* a word never holds a line break, but make sure */
		for (j = 0; t[j] && rc == SOHOA_OK; j++)
			rc = sohoa_buf_addch(out, t[j] == '\n' || t[j] == '\r' ||
			    t[j] == '\t' ? ' ' : t[j]);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addch(out, '\n');
	}
	return rc;
}

int
sohoa_words_decode(struct sohoa_ctx *ctx, const char *s, size_t len,
    struct sohoa_word **pwords, size_t *pn)
{
	struct sohoa_word *v = NULL, *w;
	const char *p = s, *end = s + len, *nl, *tab;
	size_t n = 0, alloc = 0, i;
	struct sohoa_word *nv;
	double conf;
	int rc = SOHOA_OK;

	*pwords = NULL;
	*pn = 0;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (tab == NULL)
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			nv = realloc(v, alloc * sizeof(*v));
			if (nv == NULL) {
				rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
				goto out;
			}
			v = nv;
		}
		w = &v[n];
		memset(w, 0, sizeof(*w));
		if (sscanf(p, "%d %d %d %d %lf %d %d", &w->x0, &w->y0, &w->x1,
		    &w->y1, &conf, &w->line, &w->block) != 7) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "bad word box line %zu in the store", n + 1);
			goto out;
		}
		w->conf = (float)conf;
		w->text = strndup(tab + 1, (size_t)(nl - tab - 1));
		if (w->text == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	*pwords = v;
	*pn = n;
	v = NULL;
	n = 0;
out:
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	return rc;
}

/* ---- files ------------------------------------------------------------ */

int
sohoa_archive_file_find(struct sohoa_archive *a, const char *sha256,
    int64_t *pid, int *pdone)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	*pid = 0;
	*pdone = 0;
	rc = sohoa_archive_prepare(a, "SELECT id, done FROM files WHERE sha256 = ?",
	    &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*pid = sqlite3_column_int64(st, 0);
		*pdone = sqlite3_column_int(st, 1);
	} else if (step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "look up a file");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_file_add(struct sohoa_archive *a,
    const struct sohoa_file_info *f, int64_t *pid)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t id;
	int done, rc;

	*pid = 0;
	rc = sohoa_archive_file_find(a, f->sha256, &id, &done);
	if (rc != SOHOA_OK || id != 0) {
		*pid = id;
		return rc;
	}
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_prepare(a, "INSERT INTO files(sha256, dossier_id, path,"
	    " name, format, size, npages, done, ingested_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, f->sha256, -1, SQLITE_STATIC);
	if (f->dossier_id > 0)
		sqlite3_bind_int64(st, 2, f->dossier_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, f->path ? f->path : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->name ? f->name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->format ? f->format : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, f->size);
	sqlite3_bind_int(st, 7, f->npages);
	sqlite3_bind_text(st, 8, now.buf, -1, SQLITE_STATIC);
	rc = step_done(a, st, "add a file");
	if (rc == SOHOA_OK)
		*pid = sqlite3_last_insert_rowid(a->db);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	return rc;
}

int
sohoa_archive_file_done(struct sohoa_archive *a, int64_t file_id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "UPDATE files SET done = 1 WHERE id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, file_id);
	rc = step_done(a, st, "mark a file done");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_file_pages(struct sohoa_archive *a, int64_t file_id,
    int **ppagenos, size_t *pn)
{
	sqlite3_stmt *st = NULL;
	int *v = NULL, *nv;
	size_t n = 0, alloc = 0;
	int rc, step;

	*ppagenos = NULL;
	*pn = 0;
	rc = sohoa_archive_prepare(a, "SELECT pageno FROM pages WHERE file_id = ?"
	    " ORDER BY pageno", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, file_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			nv = realloc(v, alloc * sizeof(*v));
			if (nv == NULL) {
				rc = nomem(a);
				goto out;
			}
			v = nv;
		}
		v[n++] = sqlite3_column_int(st, 0);
	}
	if (step != SQLITE_DONE) {
		rc = sohoa_archive_db_error(a, "list the pages of a file");
		goto out;
	}
	*ppagenos = v;
	*pn = n;
	v = NULL;
out:
	free(v);
	sqlite3_finalize(st);
	return rc;
}

/* ---- pages ------------------------------------------------------------ */

int
sohoa_archive_page_find(struct sohoa_archive *a, int64_t file_id, int pageno, int64_t *pid)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	*pid = 0;
	rc = sohoa_archive_prepare(a, "SELECT id FROM pages"
	    " WHERE file_id = ? AND pageno = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, file_id);
	sqlite3_bind_int(st, 2, pageno);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*pid = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "look up a page");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_page_add(struct sohoa_archive *a, int64_t file_id,
    const struct sohoa_page *page, int64_t *pid)
{
	char image[SOHOA_SHA256_HEX] = "", hocr[SOHOA_SHA256_HEX] = "";
	char words[SOHOA_SHA256_HEX] = "";
	struct sohoa_buf wb = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_page_find(a, file_id, page->pageno, pid);
	if (rc != SOHOA_OK || *pid != 0)
		return rc;
	/* blobs first: a row never names a blob that is not in place */
	if (page->image != NULL && page->image_len > 0) {
		rc = sohoa_store_put_mem(a, page->image, page->image_len, image);
		if (rc != SOHOA_OK)
			goto out;
	}
	if (page->hocr != NULL && *page->hocr) {
		rc = sohoa_store_put_mem(a, page->hocr, strlen(page->hocr), hocr);
		if (rc != SOHOA_OK)
			goto out;
	}
	if (page->nwords > 0) {
		if (sohoa_words_encode(page->words, page->nwords, &wb) != SOHOA_OK) {
			rc = nomem(a);
			goto out;
		}
		rc = sohoa_store_put_mem(a, wb.buf, wb.len, words);
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = sohoa_archive_prepare(a, "INSERT INTO pages(file_id, pageno, status,"
	    " orientation, skew, confidence, width, height, dpi, image_sha256,"
	    " image_type, hocr_sha256, words_sha256, text, error, seconds)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_int64(st, 1, file_id);
	sqlite3_bind_int(st, 2, page->pageno);
	sqlite3_bind_text(st, 3, sohoa_page_status_name(page->status), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 4, page->orientation);
	sqlite3_bind_double(st, 5, page->skew);
	sqlite3_bind_double(st, 6, page->confidence);
	sqlite3_bind_int(st, 7, page->width);
	sqlite3_bind_int(st, 8, page->height);
	sqlite3_bind_int(st, 9, page->dpi);
	bind_text_or_null(st, 10, image);
	bind_text_or_null(st, 11, *image ? page->image_type : NULL);
	bind_text_or_null(st, 12, hocr);
	bind_text_or_null(st, 13, words);
	sqlite3_bind_text(st, 14, page->text ? page->text : "", -1, SQLITE_STATIC);
	bind_text_or_null(st, 15, page->error);
	sqlite3_bind_double(st, 16, page->seconds);
	rc = step_done(a, st, "store a page");
	if (rc == SOHOA_OK)
		*pid = sqlite3_last_insert_rowid(a->db);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&wb);
	return rc;
}

int
sohoa_archive_page_add_failed(struct sohoa_archive *a, int64_t file_id,
    int pageno, const char *error, int64_t *pid)
{
	struct sohoa_page page;

	memset(&page, 0, sizeof(page));
	page.pageno = pageno;
	page.status = SOHOA_PAGE_FAILED;
	page.error = (char *)(error ? error : "unknown error");
	return sohoa_archive_page_add(a, file_id, &page, pid);
}

/* ---- documents and fields --------------------------------------------- */

/*
 * Derive the document's date (for search filters) and title from its
 * fields, after they change.
 */
int
sohoa_archive_doc_summary(struct sohoa_archive *a, int64_t doc_id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "UPDATE documents SET"
	    " doc_date = (SELECT value FROM fields WHERE document_id = ?1"
	    "  AND key LIKE '%date%'"
	    "  AND value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
	    "  ORDER BY CASE key WHEN 'registration_date' THEN 0"
	    "  WHEN 'date' THEN 1 WHEN 'issue_date' THEN 2 WHEN 'decision_date'"
	    "  THEN 3 ELSE 4 END, key LIMIT 1),"
	    " title = doc_type || coalesce(': ' || (SELECT value FROM fields"
	    "  WHERE document_id = ?1 AND key IN ('full_name', 'name',"
	    "  'subject', 'title', 'husband_name') AND value != ''"
	    "  ORDER BY CASE key"
	    "  WHEN 'full_name' THEN 0 WHEN 'name' THEN 1 ELSE 2 END LIMIT 1), '')"
	    " WHERE id = ?1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, doc_id);
	rc = step_done(a, st, "update a document");
	sqlite3_finalize(st);
	return rc;
}

static int
reindex(struct sohoa_archive *a, int64_t doc_id)
{
	return sohoa_fts_index_document(a->ctx, a->db, doc_id);
}

static int
field_put(struct sohoa_archive *a, int64_t doc_id,
    const struct sohoa_field *f)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "INSERT OR REPLACE INTO fields(document_id,"
	    " key, value, raw, conf, flagged, corrected)"
	    " VALUES (?, ?, ?, ?, ?, ?, 0)", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, f->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->value ? f->value : "", -1, SQLITE_STATIC);
	bind_text_or_null(st, 4, f->raw);
	sqlite3_bind_double(st, 5, f->conf);
	sqlite3_bind_int(st, 6, f->flagged ? 1 : 0);
	rc = step_done(a, st, "store a field");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_document_add(struct sohoa_archive *a, int64_t file_id,
    int first_page, int npages, const char *doc_type,
    const struct sohoa_fields *fields, int64_t *pid)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	size_t i;
	int rc;

	*pid = 0;
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "INSERT INTO documents(dossier_id, file_id,"
	    " first_page, npages, ordinal, doc_type, confidence, created_at)"
	    " SELECT f.dossier_id, f.id, ?2, ?3,"
	    "  (SELECT coalesce(max(ordinal), 0) + 1 FROM documents"
	    "   WHERE dossier_id IS f.dossier_id), ?4,"
	    "  coalesce((SELECT avg(confidence) FROM pages WHERE file_id = f.id"
	    "   AND pageno BETWEEN ?2 AND ?2 + ?3 - 1"
	    "   AND status IN ('ok', 'lowconf')), 0), ?5"
	    " FROM files f WHERE f.id = ?1", &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, file_id);
	sqlite3_bind_int(st, 2, first_page);
	sqlite3_bind_int(st, 3, npages);
	sqlite3_bind_text(st, 4, doc_type && *doc_type ? doc_type : "other", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now.buf, -1, SQLITE_STATIC);
	rc = step_done(a, st, "add a document");
	if (rc != SOHOA_OK)
		goto fail;
	if (sqlite3_changes(a->db) != 1) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no file %lld in '%s'", (long long)file_id, a->dir);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(a->db);
	sqlite3_finalize(st);
	rc = sohoa_archive_prepare(a, "UPDATE pages SET document_id = ?1,"
	    " seq = pageno - ?3"
	    " WHERE file_id = ?2 AND pageno BETWEEN ?3 AND ?3 + ?4 - 1", &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, file_id);
	sqlite3_bind_int(st, 3, first_page);
	sqlite3_bind_int(st, 4, npages);
	rc = step_done(a, st, "attach pages to a document");
	if (rc != SOHOA_OK)
		goto fail;
	for (i = 0; fields != NULL && i < fields->n; i++) {
		rc = field_put(a, id, &fields->v[i]);
		if (rc != SOHOA_OK)
			goto fail;
	}
	rc = sohoa_archive_doc_summary(a, id);
	if (rc == SOHOA_OK)
		rc = reindex(a, id);
	if (rc != SOHOA_OK)
		goto fail;
	rc = sohoa_archive_commit(a);
	if (rc == SOHOA_OK)
		*pid = id;
	goto out;
fail:
	sohoa_archive_rollback(a);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	return rc;
}

/*
 * Fields read again (after a split, a rotation, a re-read): values a
 * person set stay, and so does a stored field not read this time; the
 * others take the new reading, each change in the history; the type
 * follows unless a person set it.
 */
int
sohoa_archive_document_reread(struct sohoa_archive *a, int64_t doc_id,
    const char *doc_type, const struct sohoa_fields *fields)
{
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL, *old = NULL;
	const char *was;
	size_t i;
	int rc, corrected;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_archive_prepare(a, "SELECT value, corrected FROM fields"
	    " WHERE document_id = ? AND key = ?", &old);
	for (i = 0; rc == SOHOA_OK && fields != NULL && i < fields->n; i++) {
		const struct sohoa_field *f = &fields->v[i];
		char *prev = NULL;

		sqlite3_reset(old);
		sqlite3_bind_int64(old, 1, doc_id);
		sqlite3_bind_text(old, 2, f->key, -1, SQLITE_STATIC);
		corrected = 0;
		if (sqlite3_step(old) == SQLITE_ROW) {
			was = (const char *)sqlite3_column_text(old, 0);
			corrected = sqlite3_column_int(old, 1);
			prev = was ? strdup(was) : NULL;
		}
		/*
		 * An expected field not read this time (listed empty) is
		 * as a field not found was before it was listed: what is
		 * stored stays (a merge reads the same pages again).
		 */
		if (corrected || (prev != NULL && f->value != NULL &&
		    strcmp(prev, f->value) == 0) || (prev != NULL &&
		    sohoa_field_unread(f->value, f->raw))) {
			free(prev);
			continue;
		}
		rc = field_put(a, doc_id, f);
		if (rc == SOHOA_OK) {
			memset(&ev, 0, sizeof(ev));
			ev.action = SOHOA_EV_FIELD_SET;
			ev.document_id = doc_id;
			ev.key = f->key;
			ev.old_value = prev;
			ev.new_value = f->value;
			ev.detail = "{\"reread\":true}";
			rc = sohoa_archive_event_add(a, &ev, NULL);
		}
		free(prev);
	}
	if (rc == SOHOA_OK && doc_type != NULL) {
		rc = sohoa_archive_prepare(a, "UPDATE documents SET doc_type = ?2"
		    " WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM fields WHERE"
		    " document_id = ?1 AND key = 'doc_type' AND corrected)", &st);
		if (rc == SOHOA_OK) {
			sqlite3_bind_int64(st, 1, doc_id);
			sqlite3_bind_text(st, 2, doc_type, -1, SQLITE_STATIC);
			rc = step_done(a, st, "update a document");
		}
	}
	if (rc == SOHOA_OK)
		rc = sohoa_archive_doc_summary(a, doc_id);
	if (rc == SOHOA_OK)
		rc = reindex(a, doc_id);
	sqlite3_finalize(st);
	sqlite3_finalize(old);
	if (rc == SOHOA_OK)
		return sohoa_archive_commit(a);
	sohoa_archive_rollback(a);
	return rc;
}

int
sohoa_archive_document_set_pdf(struct sohoa_archive *a, int64_t doc_id,
    const char *pdf_sha256)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "UPDATE documents SET pdf_sha256 = ?"
	    " WHERE id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	bind_text_or_null(st, 1, pdf_sha256);
	sqlite3_bind_int64(st, 2, doc_id);
	rc = step_done(a, st, "record a document's PDF");
	if (rc == SOHOA_OK && sqlite3_changes(a->db) != 1)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no document %lld in '%s'", (long long)doc_id, a->dir);
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_failure_clear(struct sohoa_archive *a, const char *path)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "DELETE FROM failures WHERE path = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = step_done(a, st, "clear failures");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_failure_add(struct sohoa_archive *a, const char *path,
    int pageno, const char *reason)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_prepare(a, "INSERT INTO failures(path, pageno, reason,"
	    " at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE"
	    " SET reason = excluded.reason, at = excluded.at", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (pageno >= 0)
		sqlite3_bind_int(st, 2, pageno);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, reason ? reason : "unknown error", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now.buf, -1, SQLITE_STATIC);
	rc = step_done(a, st, "record a failure");
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

#define DOC_COLUMNS \
	"d.id, d.dossier_id, ds.code, d.file_id, f.path, f.name, f.sha256," \
	" d.first_page, d.ordinal, d.doc_type, d.title, d.doc_date," \
	" d.confidence, d.pdf_sha256, d.created_at, d.npages," \
	" d.deleted_at, d.deleted_by, d.deleted_why" \
	" FROM documents d JOIN files f ON f.id = d.file_id" \
	" LEFT JOIN dossiers ds ON ds.id = d.dossier_id"

/* Fill D from a DOC_COLUMNS row; strings borrowed unless DUP. */
static int
doc_from_row(sqlite3_stmt *st, struct sohoa_document *d, int dup)
{
	int fail = 0;

#define S(i) (dup ? col_dup(st, (i), &fail) : \
	(char *)sqlite3_column_text(st, (i)))
	d->id = sqlite3_column_int64(st, 0);
	d->dossier_id = sqlite3_column_int64(st, 1);
	d->dossier = S(2);
	d->file_id = sqlite3_column_int64(st, 3);
	d->file_path = S(4);
	d->file_name = S(5);
	col_hex(st, 6, d->file_sha256);
	d->first_page = sqlite3_column_int(st, 7);
	d->ordinal = sqlite3_column_int(st, 8);
	d->doc_type = S(9);
	d->title = S(10);
	d->doc_date = S(11);
	d->confidence = (float)sqlite3_column_double(st, 12);
	col_hex(st, 13, d->pdf_sha256);
	d->created_at = S(14);
	d->npages = (size_t)sqlite3_column_int(st, 15);
	d->deleted_at = S(16);
	d->deleted_by = S(17);
	d->deleted_why = S(18);
#undef S
	return fail ? SOHOA_ERR_NOMEM : SOHOA_OK;
}

int
sohoa_archive_document_list(struct sohoa_archive *a, int64_t dossier_id,
    int (*cb)(void *arg, const struct sohoa_document *d), void *arg)
{
	struct sohoa_document d;
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, dossier_id > 0 ?
	    "SELECT " DOC_COLUMNS " WHERE d.dossier_id = ?"
	    " AND d.deleted_at IS NULL ORDER BY d.ordinal" :
	    "SELECT " DOC_COLUMNS " WHERE d.deleted_at IS NULL"
	    " ORDER BY ds.code, d.ordinal", &st);
	if (rc != SOHOA_OK)
		return rc;
	if (dossier_id > 0)
		sqlite3_bind_int64(st, 1, dossier_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&d, 0, sizeof(d));
		doc_from_row(st, &d, 0);
		d.npages = 0;	/* no pages loaded; see document_load */
		rc = cb(arg, &d);
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list documents");
	sqlite3_finalize(st);
	return rc;
}

void
sohoa_document_destroy(struct sohoa_document **pdoc)
{
	struct sohoa_document *d;
	size_t i;

	if (pdoc == NULL || *pdoc == NULL)
		return;
	d = *pdoc;
	free(d->dossier);
	free(d->file_path);
	free(d->file_name);
	free(d->doc_type);
	free(d->title);
	free(d->doc_date);
	free(d->created_at);
	free(d->deleted_at);
	free(d->deleted_by);
	free(d->deleted_why);
	for (i = 0; i < d->npages && d->pages != NULL; i++) {
		free(d->pages[i].text);
		free(d->pages[i].error);
	}
	free(d->pages);
	for (i = 0; i < d->nfields && d->fields != NULL; i++) {
		free(d->fields[i].key);
		free(d->fields[i].value);
		free(d->fields[i].raw);
		free(d->fields[i].changed_at);
		free(d->fields[i].changed_by);
	}
	free(d->fields);
	free(d);
	*pdoc = NULL;
}

static int
load_pages(struct sohoa_archive *a, struct sohoa_document *d)
{
	struct sohoa_doc_page *p;
	sqlite3_stmt *st = NULL;
	size_t want = d->npages, n = 0;
	int rc, step, fail = 0;

	d->npages = 0;
	rc = sohoa_archive_prepare(a, "SELECT p.id, p.pageno, p.status,"
	    " p.orientation, p.skew, p.confidence, p.width, p.height, p.dpi,"
	    " p.image_sha256, p.image_type, p.hocr_sha256, p.words_sha256,"
	    " p.text, p.error, f.sha256 FROM pages p JOIN files f"
	    " ON f.id = p.file_id WHERE p.document_id = ?"
	    " ORDER BY coalesce(p.seq, p.pageno), p.file_id, p.pageno", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, d->id);
	d->pages = calloc(want ? want : 1, sizeof(*d->pages));
	if (d->pages == NULL) {
		rc = nomem(a);
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW && n < want) {
		const char *type = (const char *)sqlite3_column_text(st, 10);

		p = &d->pages[n++];
		d->npages = n;
		p->id = sqlite3_column_int64(st, 0);
		p->pageno = sqlite3_column_int(st, 1);
		p->status = status_from_name((const char *)sqlite3_column_text(st, 2));
		p->orientation = sqlite3_column_int(st, 3);
		p->skew = (float)sqlite3_column_double(st, 4);
		p->confidence = (float)sqlite3_column_double(st, 5);
		p->width = sqlite3_column_int(st, 6);
		p->height = sqlite3_column_int(st, 7);
		p->dpi = sqlite3_column_int(st, 8);
		col_hex(st, 9, p->image_sha256);
		snprintf(p->image_type, sizeof(p->image_type), "%s",
		    type ? type : "");
		col_hex(st, 11, p->hocr_sha256);
		col_hex(st, 12, p->words_sha256);
		p->text = col_dup(st, 13, &fail);
		if (p->text == NULL && !fail)
			p->text = strdup("");
		if (p->text == NULL)
			fail = 1;
		p->error = col_dup(st, 14, &fail);
		col_hex(st, 15, p->file_sha256);
		if (fail) {
			rc = nomem(a);
			goto out;
		}
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = sohoa_archive_db_error(a, "load the pages of a document");
out:
	sqlite3_finalize(st);
	return rc;
}

static int
load_fields(struct sohoa_archive *a, struct sohoa_document *d)
{
	struct sohoa_doc_field *v, *f;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc, step, fail = 0;

	rc = sohoa_archive_prepare(a, "SELECT key, value, raw, conf, flagged,"
	    " corrected, changed_at, changed_by FROM fields"
	    " WHERE document_id = ? ORDER BY key", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, d->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (d->nfields == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			v = realloc(d->fields, alloc * sizeof(*v));
			if (v == NULL) {
				rc = nomem(a);
				goto out;
			}
			d->fields = v;
		}
		f = &d->fields[d->nfields++];
		memset(f, 0, sizeof(*f));
		f->key = col_dup(st, 0, &fail);
		f->value = col_dup(st, 1, &fail);
		f->raw = col_dup(st, 2, &fail);
		f->conf = (float)sqlite3_column_double(st, 3);
		f->flagged = sqlite3_column_int(st, 4);
		f->corrected = sqlite3_column_int(st, 5);
		f->changed_at = col_dup(st, 6, &fail);
		f->changed_by = col_dup(st, 7, &fail);
		if (fail || f->key == NULL || f->value == NULL) {
			rc = nomem(a);
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "load the fields of a document");
out:
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_document_load(struct sohoa_archive *a, int64_t id,
    struct sohoa_document **pdoc)
{
	struct sohoa_document *d = NULL;
	sqlite3_stmt *st = NULL;
	int rc, step;

	*pdoc = NULL;
	rc = sohoa_archive_prepare(a, "SELECT " DOC_COLUMNS " WHERE d.id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no document %lld in '%s'", (long long)id, a->dir);
		goto out;
	}
	if (step != SQLITE_ROW) {
		rc = sohoa_archive_db_error(a, "load a document");
		goto out;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		rc = nomem(a);
		goto out;
	}
	rc = doc_from_row(st, d, 1);
	if (rc != SOHOA_OK) {
		d->npages = 0;
		rc = nomem(a);
		goto out;
	}
	rc = load_pages(a, d);
	if (rc == SOHOA_OK)
		rc = load_fields(a, d);
	if (rc == SOHOA_OK) {
		*pdoc = d;
		d = NULL;
	}
out:
	sqlite3_finalize(st);
	sohoa_document_destroy(&d);
	return rc;
}

static int
load_blob_str(struct sohoa_archive *a, const char *sha, char **pstr,
    size_t *plen)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	int rc;

	*pstr = NULL;
	rc = sohoa_store_read(a, sha, &b);
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&b);
		return rc;
	}
	if (b.alloc == 0 && sohoa_buf_grow(&b, 1) != SOHOA_OK)
		return nomem(a);
	*pstr = sohoa_buf_detach(&b, plen);
	return *pstr ? SOHOA_OK : nomem(a);
}

int
sohoa_archive_page_load(struct sohoa_archive *a, int64_t page_id,
    unsigned what, struct sohoa_page **ppage)
{
	struct sohoa_page *p = NULL;
	sqlite3_stmt *st = NULL;
	char image[SOHOA_SHA256_HEX], hocr[SOHOA_SHA256_HEX];
	char words[SOHOA_SHA256_HEX];
	const char *type;
	char *ws = NULL;
	size_t len;
	int rc, step, fail = 0;

	*ppage = NULL;
	rc = sohoa_archive_prepare(a, "SELECT pageno, status, orientation, skew,"
	    " confidence, width, height, dpi, image_sha256, image_type,"
	    " hocr_sha256, words_sha256, text, error, seconds FROM pages"
	    " WHERE id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, page_id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? sohoa_set_error(a->ctx,
		    SOHOA_ERR_NOTFOUND, "no page %lld in '%s'", (long long)page_id,
		    a->dir) : sohoa_archive_db_error(a, "load a page");
		goto out;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = nomem(a);
		goto out;
	}
	p->pageno = sqlite3_column_int(st, 0);
	p->status = status_from_name((const char *)sqlite3_column_text(st, 1));
	p->orientation = sqlite3_column_int(st, 2);
	p->skew = (float)sqlite3_column_double(st, 3);
	p->confidence = (float)sqlite3_column_double(st, 4);
	p->width = sqlite3_column_int(st, 5);
	p->height = sqlite3_column_int(st, 6);
	p->dpi = sqlite3_column_int(st, 7);
	col_hex(st, 8, image);
	type = (const char *)sqlite3_column_text(st, 9);
	snprintf(p->image_type, sizeof(p->image_type), "%s", type ? type : "");
	col_hex(st, 10, hocr);
	col_hex(st, 11, words);
	p->text = col_dup(st, 12, &fail);
	if (p->text == NULL && !fail)
		p->text = strdup("");
	p->error = col_dup(st, 13, &fail);
	p->seconds = sqlite3_column_double(st, 14);
	if (fail || p->text == NULL) {
		rc = nomem(a);
		goto out;
	}
	if ((what & SOHOA_PAGE_LOAD_WORDS) && *words) {
		rc = load_blob_str(a, words, &ws, &len);
		if (rc == SOHOA_OK)
			rc = sohoa_words_decode(a->ctx, ws, len, &p->words,
			    &p->nwords);
		if (rc != SOHOA_OK)
			goto out;
	}
	if ((what & SOHOA_PAGE_LOAD_HOCR) && *hocr) {
		rc = load_blob_str(a, hocr, &p->hocr, &len);
		if (rc != SOHOA_OK)
			goto out;
	}
	if ((what & SOHOA_PAGE_LOAD_IMAGE) && *image) {
		rc = load_blob_str(a, image, (char **)&p->image, &p->image_len);
		if (rc != SOHOA_OK)
			goto out;
	}
	*ppage = p;
	p = NULL;
out:
	free(ws);
	sohoa_page_destroy(&p);
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_field_set(struct sohoa_archive *a, int64_t doc_id,
    const char *key, const char *value, const char *who)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT, now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, step;

	if (key == NULL || *key == '\0')
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "empty field name");
	if (sohoa_utf8_nfc(value, strlen(value), &nfc) != SOHOA_OK ||
	    sohoa_archive_now(&now) != SOHOA_OK) {
		rc = nomem(a);
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "SELECT 1 FROM documents WHERE id = ?", &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, doc_id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? sohoa_set_error(a->ctx,
		    SOHOA_ERR_NOTFOUND, "no document %lld in '%s'",
		    (long long)doc_id, a->dir) :
		    sohoa_archive_db_error(a, "look up a document");
		goto fail;
	}
	sqlite3_finalize(st);
	/* history first, with the value as it was (NULL when new) */
	rc = sohoa_archive_prepare(a, "INSERT INTO events(at, who, source,"
	    " action, document_id, key, old_value, new_value) VALUES (?5, ?4,"
	    " ?6, 'field_set', ?1, ?2, (SELECT value FROM fields"
	    " WHERE document_id = ?1 AND key = ?2), ?3)", &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, nfc.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, who && *who ? who : sohoa_archive_actor(a), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sohoa_archive_actor_source(a), -1,
	    SQLITE_STATIC);
	rc = step_done(a, st, "record a correction");
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_finalize(st);
	rc = sohoa_archive_prepare(a, "INSERT INTO fields(document_id, key, value,"
	    " conf, flagged, corrected, changed_at, changed_by)"
	    " VALUES (?1, ?2, ?3, 100, 0, 1, ?4, ?5)"
	    " ON CONFLICT(document_id, key) DO UPDATE SET value = excluded.value,"
	    " conf = 100, flagged = 0, corrected = 1,"
	    " changed_at = excluded.changed_at, changed_by = excluded.changed_by",
	    &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, nfc.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, who && *who ? who : sohoa_archive_actor(a), -1,
	    SQLITE_STATIC);
	rc = step_done(a, st, "correct a field");
	if (rc != SOHOA_OK)
		goto fail;
	rc = sohoa_archive_doc_summary(a, doc_id);
	if (rc == SOHOA_OK)
		rc = reindex(a, doc_id);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_commit(a);
	if (rc == SOHOA_OK)
		goto out;
fail:
	sohoa_archive_rollback(a);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	sohoa_buf_release(&nfc);
	return rc;
}

int
sohoa_archive_file_get(struct sohoa_archive *a, const char *sha256,
    int (*cb)(void *arg, const struct sohoa_file_info *f), void *arg)
{
	struct sohoa_file_info f;
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "SELECT id, sha256, coalesce(dossier_id,"
	    " 0), path, name, format, size, npages, done FROM files"
	    " WHERE sha256 = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		memset(&f, 0, sizeof(f));
		f.id = sqlite3_column_int64(st, 0);
		col_hex(st, 1, f.sha256);
		f.dossier_id = sqlite3_column_int64(st, 2);
		f.path = (const char *)sqlite3_column_text(st, 3);
		f.name = (const char *)sqlite3_column_text(st, 4);
		f.format = (const char *)sqlite3_column_text(st, 5);
		f.size = sqlite3_column_int64(st, 6);
		f.npages = sqlite3_column_int(st, 7);
		f.done = sqlite3_column_int(st, 8);
		rc = cb(arg, &f);
	} else if (step == SQLITE_DONE)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "no file %s in"
		    " '%s'", sha256, a->dir);
	else
		rc = sohoa_archive_db_error(a, "read a file");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_export_record(struct sohoa_archive *a, int64_t dossier_id,
    const char *path, const char *sha256, const char *format,
    const char *signer)
{
	struct sohoa_buf now = SOHOA_BUF_INIT, detail = SOHOA_BUF_INIT;
	struct sohoa_buf code = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sohoa_archive_now(&now) != SOHOA_OK)
		return nomem(a);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "INSERT INTO exports(dossier_id, path,"
	    " sha256, format, signer, at) VALUES (?, ?, ?, ?, ?, ?)", &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_int64(st, 1, dossier_id);
		sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, format, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, signer, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, now.buf, -1, SQLITE_STATIC);
		rc = step_done(a, st, "record an export");
	}
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_code(a, dossier_id, &code);
	if (rc == SOHOA_OK) {
		sohoa_buf_addf(&detail, "{\"format\":\"%s\",\"path\":", format);
		sohoa_json_quote(&detail, path, strlen(path));
		sohoa_buf_adds(&detail, ",\"signer\":");
		sohoa_json_quote(&detail, signer, strlen(signer));
		sohoa_buf_addch(&detail, '}');
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_EXPORT;
		ev.dossier_id = dossier_id;
		ev.key = code.buf;
		ev.new_value = sha256;
		ev.detail = detail.buf;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	sohoa_buf_release(&detail);
	sohoa_buf_release(&code);
	return rc;
}
