/*
 * A stored page read again: after a rotation, a re-read with other
 * settings, a re-scan, a retry of a page that failed, or a clerk's
 * correction of one line of its text.  The page's row takes the new
 * reading; its old values (blobs are never removed) go into the event's
 * detail, so undo can bring them back.
 *
 *   sohoa_archive_page_source     where a page's image comes from
 *   sohoa_archive_page_replace    store a new reading of a page
 *   sohoa_archive_page_text_edit  correct one line of its text
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/history.h"
#include "archive_private.h"
#include "fts.h"

/* The columns that make a page's reading, as a JSON object. */
#define PAGE_JSON "json_object('status', status, 'orientation', orientation," \
	" 'skew', skew, 'confidence', confidence, 'width', width, 'height'," \
	" height, 'dpi', dpi, 'image_sha256', image_sha256, 'image_type'," \
	" image_type, 'hocr_sha256', hocr_sha256, 'words_sha256', words_sha256," \
	" 'text', text, 'error', error, 'rescan_sha256', rescan_sha256)"

int
sohoa_archive_page_source(struct sohoa_archive *a, int64_t page_id,
    struct sohoa_page_source *s)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc, step;

	memset(s, 0, sizeof(*s));
	rc = sohoa_archive_prepare(a, "SELECT p.file_id, f.sha256, p.pageno,"
	    " coalesce(p.document_id, 0), p.rescan_sha256, f.path, p.status"
	    " FROM pages p JOIN files f ON f.id = p.file_id WHERE p.id = ?",
	    &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, page_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		s->page_id = page_id;
		s->file_id = sqlite3_column_int64(st, 0);
		v = (const char *)sqlite3_column_text(st, 1);
		snprintf(s->file_sha256, sizeof(s->file_sha256), "%s", v ? v : "");
		s->pageno = sqlite3_column_int(st, 2);
		s->document_id = sqlite3_column_int64(st, 3);
		v = (const char *)sqlite3_column_text(st, 4);
		snprintf(s->rescan_sha256, sizeof(s->rescan_sha256), "%s",
		    v ? v : "");
		v = (const char *)sqlite3_column_text(st, 6);
		s->failed = v != NULL && strcmp(v, "failed") == 0;
		/* the original to read: a re-scan when there is one */
		rc = sohoa_store_path(a, s->rescan_sha256[0] ? s->rescan_sha256 :
		    s->file_sha256, &s->path);
	} else if (step == SQLITE_DONE)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "no page %lld in"
		    " '%s'", (long long)page_id, a->dir);
	else
		rc = sohoa_archive_db_error(a, "read a page");
	sqlite3_finalize(st);
	return rc;
}

void
sohoa_page_source_release(struct sohoa_page_source *s)
{
	sohoa_buf_release(&s->path);
}

int
sohoa_archive_page_find_in(struct sohoa_archive *a, int64_t doc_id, int n,
    int64_t *ppage)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*ppage = 0;
	rc = sohoa_archive_prepare(a, "SELECT id FROM pages WHERE document_id"
	    " = ? ORDER BY coalesce(seq, pageno), file_id, pageno LIMIT 1"
	    " OFFSET ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int(st, 2, n - 1);
	if (n >= 1 && sqlite3_step(st) == SQLITE_ROW)
		*ppage = sqlite3_column_int64(st, 0);
	else
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "document %lld"
		    " has no page %d", (long long)doc_id, n);
	sqlite3_finalize(st);
	return rc;
}

static int
put_blob(struct sohoa_archive *a, const void *data, size_t len,
    char sha[SOHOA_SHA256_HEX])
{
	sha[0] = '\0';
	if (data == NULL || len == 0)
		return SOHOA_OK;
	return sohoa_store_put_mem(a, data, len, sha);
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* The page's reading now, as JSON, into *pjson (malloc'd). */
static int
page_json(struct sohoa_archive *a, int64_t page_id, char **pjson)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc;

	*pjson = NULL;
	rc = sohoa_archive_prepare(a, "SELECT " PAGE_JSON " FROM pages"
	    " WHERE id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, page_id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (v = (const char *)sqlite3_column_text(st, 0)) != NULL)
		*pjson = strdup(v);
	else
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "no page %lld",
		    (long long)page_id);
	sqlite3_finalize(st);
	if (rc == SOHOA_OK && *pjson == NULL)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	return rc;
}

/* Set the page's reading from the JSON object JSON (page_json's form). */
static int
page_set_json(struct sohoa_archive *a, int64_t page_id, const char *json)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "UPDATE pages SET"
	    " status = json_extract(?2, '$.status'),"
	    " orientation = json_extract(?2, '$.orientation'),"
	    " skew = json_extract(?2, '$.skew'),"
	    " confidence = json_extract(?2, '$.confidence'),"
	    " width = json_extract(?2, '$.width'),"
	    " height = json_extract(?2, '$.height'),"
	    " dpi = json_extract(?2, '$.dpi'),"
	    " image_sha256 = json_extract(?2, '$.image_sha256'),"
	    " image_type = json_extract(?2, '$.image_type'),"
	    " hocr_sha256 = json_extract(?2, '$.hocr_sha256'),"
	    " words_sha256 = json_extract(?2, '$.words_sha256'),"
	    " text = json_extract(?2, '$.text'),"
	    " error = json_extract(?2, '$.error'),"
	    " rescan_sha256 = json_extract(?2, '$.rescan_sha256')"
	    " WHERE id = ?1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, page_id);
	sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "restore a page");
	sqlite3_finalize(st);
	return rc;
}

static int
record(struct sohoa_archive *a, const char *action, int64_t page_id,
    int64_t doc_id, const char *old, const char *was, const char *now_value)
{
	struct sohoa_buf detail = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	char *now = NULL;
	int rc;

	rc = page_json(a, page_id, &now);
	if (rc != SOHOA_OK)
		return rc;
	if (sohoa_buf_addf(&detail, "{\"page\":%lld,\"old\":%s,\"new\":%s}",
	    (long long)page_id, old, now) != SOHOA_OK) {
		free(now);
		return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	memset(&ev, 0, sizeof(ev));
	ev.action = action;
	ev.document_id = doc_id;
	ev.key = "page";
	ev.old_value = was;
	ev.new_value = now_value;
	ev.detail = detail.buf;
	rc = sohoa_archive_event_add(a, &ev, NULL);
	free(now);
	sohoa_buf_release(&detail);
	return rc;
}

int
sohoa_archive_page_replace(struct sohoa_archive *a, int64_t page_id,
    const struct sohoa_page *page, const char *rescan_sha256,
    const char *action, const char *why)
{
	char image[SOHOA_SHA256_HEX], hocr[SOHOA_SHA256_HEX];
	char words[SOHOA_SHA256_HEX];
	struct sohoa_buf wb = SOHOA_BUF_INIT;
	struct sohoa_page_source src;
	sqlite3_stmt *st = NULL;
	char *old = NULL;
	int rc;

	memset(&src, 0, sizeof(src));
	rc = sohoa_archive_page_source(a, page_id, &src);
	if (rc == SOHOA_OK)
		rc = page_json(a, page_id, &old);
	/* blobs first: a row never names a blob that is not in place */
	if (rc == SOHOA_OK)
		rc = put_blob(a, page->image, page->image_len, image);
	if (rc == SOHOA_OK)
		rc = put_blob(a, page->hocr, page->hocr ? strlen(page->hocr) : 0,
		    hocr);
	if (rc == SOHOA_OK && page->nwords > 0 &&
	    sohoa_words_encode(page->words, page->nwords, &wb) != SOHOA_OK)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (rc == SOHOA_OK)
		rc = put_blob(a, wb.buf, wb.len, words);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "UPDATE pages SET status = ?2,"
	    " orientation = ?3, skew = ?4, confidence = ?5, width = ?6,"
	    " height = ?7, dpi = ?8, image_sha256 = ?9, image_type = ?10,"
	    " hocr_sha256 = ?11, words_sha256 = ?12, text = ?13, error = ?14,"
	    " seconds = ?15, rescan_sha256 = coalesce(?16, rescan_sha256)"
	    " WHERE id = ?1", &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_int64(st, 1, page_id);
		sqlite3_bind_text(st, 2, sohoa_page_status_name(page->status),
		    -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, page->orientation);
		sqlite3_bind_double(st, 4, page->skew);
		sqlite3_bind_double(st, 5, page->confidence);
		sqlite3_bind_int(st, 6, page->width);
		sqlite3_bind_int(st, 7, page->height);
		sqlite3_bind_int(st, 8, page->dpi);
		bind_opt(st, 9, image);
		bind_opt(st, 10, *image ? page->image_type : NULL);
		bind_opt(st, 11, hocr);
		bind_opt(st, 12, words);
		sqlite3_bind_text(st, 13, page->text ? page->text : "", -1,
		    SQLITE_STATIC);
		bind_opt(st, 14, page->error);
		sqlite3_bind_double(st, 15, page->seconds);
		bind_opt(st, 16, rescan_sha256);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "store a page");
	}
	if (rc == SOHOA_OK)
		rc = record(a, action, page_id, src.document_id, old, NULL, why);
	if (rc == SOHOA_OK && src.document_id)
		rc = sohoa_fts_index_document(a->ctx, a->db, src.document_id);
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	sohoa_page_source_release(&src);
	sohoa_buf_release(&wb);
	free(old);
	return rc;
}

int
sohoa_archive_page_text_edit(struct sohoa_archive *a, int64_t page_id,
    int line, const char *text)
{
	struct sohoa_buf nt = SOHOA_BUF_INIT, was = SOHOA_BUF_INIT;
	struct sohoa_page_source src;
	sqlite3_stmt *st = NULL;
	char *old = NULL;
	const char *p, *end;
	int rc, i;

	memset(&src, 0, sizeof(src));
	if (strchr(text, '\n') != NULL)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "one line of text"
		    " at a time");
	rc = sohoa_archive_page_source(a, page_id, &src);
	if (rc == SOHOA_OK)
		rc = page_json(a, page_id, &old);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(a, "SELECT text FROM pages WHERE"
		    " id = ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_int64(st, 1, page_id);
	p = sqlite3_step(st) == SQLITE_ROW ?
	    (const char *)sqlite3_column_text(st, 0) : NULL;
	for (i = 0; p != NULL && *p; i++) {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if (i == line) {
			sohoa_buf_add(&was, p, (size_t)(end - p));
			sohoa_buf_adds(&nt, text);
		} else
			sohoa_buf_add(&nt, p, (size_t)(end - p));
		if (*end == '\n') {
			sohoa_buf_addch(&nt, '\n');
			end++;
		}
		p = end;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (line < 0 || line >= i) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "page %lld has %d"
		    " lines of text", (long long)page_id, i);
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "UPDATE pages SET text = ?2 WHERE id = ?1",
	    &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_int64(st, 1, page_id);
		sqlite3_bind_text(st, 2, nt.buf, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "correct a line of text");
	}
	if (rc == SOHOA_OK)
		rc = record(a, SOHOA_EV_TEXT_EDIT, page_id, src.document_id, old,
		    was.buf, text);
	if (rc == SOHOA_OK && src.document_id)
		rc = sohoa_fts_index_document(a->ctx, a->db, src.document_id);
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	sohoa_page_source_release(&src);
	sohoa_buf_release(&nt);
	sohoa_buf_release(&was);
	free(old);
	return rc;
}

/* Undo of a page event: the old reading comes back (undo in reorg.c). */
int
sohoa_archive_page_undo(struct sohoa_archive *a, const char *detail,
    int64_t *pdoc)
{
	sqlite3_stmt *st = NULL;
	int64_t page = 0;
	int rc, same = 0;

	*pdoc = 0;
	rc = sohoa_archive_prepare(a, "SELECT json_extract(?1, '$.page'),"
	    " (SELECT " PAGE_JSON " = json(json_extract(?1, '$.new')) FROM"
	    " pages WHERE id = json_extract(?1, '$.page')),"
	    " (SELECT coalesce(document_id, 0) FROM pages WHERE id ="
	    " json_extract(?1, '$.page'))", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, detail, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		page = sqlite3_column_int64(st, 0);
		same = sqlite3_column_int(st, 1);
		*pdoc = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (page == 0)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "that event has"
		    " no page to bring back");
	if (!same)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "page %lld"
		    " changed since (undo the later change first)",
		    (long long)page);
	rc = sohoa_archive_prepare(a, "SELECT json_extract(?1, '$.old')", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, detail, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = page_set_json(a, page,
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_failed_pages(struct sohoa_archive *a, int64_t **pids,
    size_t *pn)
{
	sqlite3_stmt *st = NULL;
	int64_t *v = NULL, *nv;
	size_t n = 0, alloc = 0;
	int rc;

	*pids = NULL;
	*pn = 0;
	rc = sohoa_archive_prepare(a, "SELECT id FROM pages WHERE status ="
	    " 'failed' ORDER BY file_id, pageno", &st);
	if (rc != SOHOA_OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			nv = realloc(v, alloc * sizeof(*v));
			if (nv == NULL) {
				rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
				    "out of memory");
				break;
			}
			v = nv;
		}
		v[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SOHOA_OK) {
		free(v);
		return rc;
	}
	*pids = v;
	*pn = n;
	return SOHOA_OK;
}

int
sohoa_archive_failures_forget(struct sohoa_archive *a, const char *path,
    int *pn)
{
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	char n[32];
	int rc;

	*pn = 0;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_archive_prepare(a, "DELETE FROM failures WHERE ?1 IS NULL"
	    " OR path = ?1", &st);
	if (rc == SOHOA_OK) {
		if (path != NULL)
			sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "clear failures");
		else
			*pn = sqlite3_changes(a->db);
	}
	if (rc == SOHOA_OK && *pn > 0) {
		snprintf(n, sizeof(n), "%d", *pn);
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_FAILURE_CLEAR;
		ev.key = path;
		ev.old_value = n;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	sqlite3_finalize(st);
	if (rc == SOHOA_OK)
		return sohoa_archive_commit(a);
	sohoa_archive_rollback(a);
	return rc;
}
