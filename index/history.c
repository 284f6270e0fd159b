/*
 * The events table: who changed (or looked at) what, and when.  See
 * include/sohoa/history.h.
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/history.h"
#include "archive_private.h"

int
sohoa_archive_set_actor(struct sohoa_archive *a, const char *who,
    const char *source)
{
	char *w = NULL, *s = NULL;

	if ((who != NULL && (w = strdup(who)) == NULL) ||
	    (source != NULL && (s = strdup(source)) == NULL)) {
		free(w);
		return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	if (w != NULL) {
		free(a->who);
		a->who = w;
	}
	if (s != NULL) {
		free(a->source);
		a->source = s;
	}
	return SOHOA_OK;
}

const char *
sohoa_archive_actor(const struct sohoa_archive *a)
{
	return a->who && *a->who ? a->who : "unknown";
}

const char *
sohoa_archive_actor_source(const struct sohoa_archive *a)
{
	return a->source && *a->source ? a->source : "api";
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id != 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

int
sohoa_archive_event_add(struct sohoa_archive *a, const struct sohoa_event *ev,
    int64_t *pid)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc;

	if (pid != NULL)
		*pid = 0;
	if (ev->action == NULL || *ev->action == '\0')
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT,
		    "an event needs an action");
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = sohoa_archive_prepare(a, "INSERT INTO events(at, who, source,"
	    " action, document_id, dossier_id, key, old_value, new_value,"
	    " detail, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, now.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ev->who ? ev->who : sohoa_archive_actor(a),
	    -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ev->source ? ev->source :
	    sohoa_archive_actor_source(a), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ev->action, -1, SQLITE_STATIC);
	bind_id(st, 5, ev->document_id);
	bind_id(st, 6, ev->dossier_id);
	bind_opt(st, 7, ev->key);
	bind_opt(st, 8, ev->old_value);
	bind_opt(st, 9, ev->new_value);
	bind_opt(st, 10, ev->detail);
	bind_id(st, 11, ev->undoes);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sohoa_archive_db_error(a, "record an event");
		goto out;
	}
	if (pid != NULL)
		*pid = sqlite3_last_insert_rowid(a->db);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	return rc;
}

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

#define EVENT_COLUMNS "e.id, e.at, e.who, e.source, e.action," \
	" e.document_id, e.dossier_id, e.key, e.old_value, e.new_value," \
	" e.detail, e.undoes," \
	" (SELECT max(u.id) FROM events u WHERE u.undoes = e.id)"

static int
run(struct sohoa_archive *a, sqlite3_stmt *st,
    int (*cb)(void *arg, const struct sohoa_event *ev), void *arg,
    int *pcount)
{
	struct sohoa_event ev;
	int rc = SOHOA_OK, step;

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&ev, 0, sizeof(ev));
		ev.id = sqlite3_column_int64(st, 0);
		ev.at = col(st, 1);
		ev.who = col(st, 2);
		ev.source = col(st, 3);
		ev.action = col(st, 4);
		ev.document_id = sqlite3_column_int64(st, 5);
		ev.dossier_id = sqlite3_column_int64(st, 6);
		ev.key = col(st, 7);
		ev.old_value = col(st, 8);
		ev.new_value = col(st, 9);
		ev.detail = col(st, 10);
		ev.undoes = sqlite3_column_int64(st, 11);
		ev.undone_by = sqlite3_column_int64(st, 12);
		if (pcount != NULL)
			(*pcount)++;
		rc = cb(arg, &ev);
		if (rc != 0)
			return rc;
	}
	if (step != SQLITE_DONE)
		return sohoa_archive_db_error(a, "read the history");
	return SOHOA_OK;
}

int
sohoa_archive_event_list(struct sohoa_archive *a,
    const struct sohoa_event_filter *f,
    int (*cb)(void *arg, const struct sohoa_event *ev), void *arg)
{
	static const struct sohoa_event_filter none;
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const char *action;
	int rc, not = 0;

	if (f == NULL)
		f = &none;
	action = f->action;
	if (action != NULL && *action == '!') {
		not = 1;
		action++;
	}
	/* every filter is a bound parameter; NULL ones match all rows */
	rc = sohoa_buf_addf(&sql, "SELECT " EVENT_COLUMNS " FROM events e"
	    " WHERE (?1 IS NULL OR e.document_id = ?1)"
	    " AND (?2 IS NULL OR e.dossier_id = ?2)"
	    " AND (?3 IS NULL OR e.action %s ?3)"
	    " AND (?4 IS NULL OR e.who = ?4)"
	    " AND (?5 IS NULL OR e.at >= ?5)"
	    " AND (?6 IS NULL OR e.id < ?6)"
	    " ORDER BY e.id %s LIMIT ?7", not ? "<>" : "=",
	    f->oldest_first ? "ASC" : "DESC");
	if (rc != SOHOA_OK)
		return sohoa_set_error(a->ctx, rc, "out of memory");
	rc = sohoa_archive_prepare(a, sql.buf, &st);
	if (rc == SOHOA_OK) {
		bind_id(st, 1, f->document_id);
		bind_id(st, 2, f->dossier_id);
		bind_opt(st, 3, action);
		bind_opt(st, 4, f->who);
		bind_opt(st, 5, f->since);
		bind_id(st, 6, f->before_id);
		sqlite3_bind_int(st, 7, f->limit > 0 ? f->limit : -1);
		rc = run(a, st, cb, arg, NULL);
	}
	sqlite3_finalize(st);
	sohoa_buf_release(&sql);
	return rc;
}

int
sohoa_archive_event_get(struct sohoa_archive *a, int64_t id,
    int (*cb)(void *arg, const struct sohoa_event *ev), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, n = 0;

	rc = sohoa_archive_prepare(a, "SELECT " EVENT_COLUMNS
	    " FROM events e WHERE e.id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = run(a, st, cb, arg, &n);
	sqlite3_finalize(st);
	if (rc == SOHOA_OK && n == 0)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no event %lld in '%s'", (long long)id, a->dir);
	return rc;
}
