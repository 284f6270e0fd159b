/*
 * The archive handle: opening and creating DIR/sohoa.db, connection
 * settings, transactions, the writer lock, dossiers and their metadata.
 * Files, pages, documents and fields are in archive_doc.c; the content
 * store is in store.c.
 *
 * Durability: WAL with synchronous=FULL.  In WAL mode NORMAL is safe from
 * corruption but a power cut can lose the last commits; FULL fsyncs the
 * WAL at each commit, which costs a few milliseconds per page against
 * seconds of OCR, and a commune office has power cuts.
 */
#define _GNU_SOURCE		/* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sohoa/history.h"
#include "sohoa/tmp.h"
#include "sohoa/utf8.h"
#include "archive_private.h"
#include "fts.h"


/* How long a writer waits for another one before SQLITE_BUSY. */
#define BUSY_TIMEOUT_MS 30000

int
sohoa_archive_db_error(struct sohoa_archive *a, const char *what)
{
	int code = sqlite3_errcode(a->db);

	return sohoa_set_error(a->ctx,
	    code == SQLITE_BUSY || code == SQLITE_LOCKED ? SOHOA_ERR_BUSY :
	    SOHOA_ERR_DB, "cannot %s in '%s': %s", what, a->dir,
	    sqlite3_errmsg(a->db));
}

int
sohoa_archive_prepare(struct sohoa_archive *a, const char *sql,
    sqlite3_stmt **pstmt)
{
	*pstmt = NULL;
	if (sqlite3_prepare_v2(a->db, sql, -1, pstmt, NULL) != SQLITE_OK) {
		*pstmt = NULL;
		return sohoa_archive_db_error(a, "query the archive");
	}
	return SOHOA_OK;
}

static int
exec(struct sohoa_archive *a, const char *sql, const char *what)
{
	if (sqlite3_exec(a->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sohoa_archive_db_error(a, what);
	return SOHOA_OK;
}

static int
make_dirs(struct sohoa_ctx *ctx, const char *dir)
{
	struct sohoa_buf sub = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_mkdir(ctx, dir, 0755);
	if (rc == SOHOA_OK && (rc = sohoa_buf_addf(&sub, "%s/store", dir)) == 0)
		rc = sohoa_mkdir(ctx, sub.buf, 0755);
	if (rc == SOHOA_OK && (rc = sohoa_buf_adds(&sub, "/tmp")) == 0)
		rc = sohoa_mkdir(ctx, sub.buf, 0755);
	if (rc == SOHOA_ERR_NOMEM)
		sohoa_set_error(ctx, rc, "out of memory");
	sohoa_buf_release(&sub);
	return rc;
}

/*
 * Set up a fresh connection: pragmas, then the schema, created or
 * upgraded when writable.  *pold is set when a read-only connection found
 * an archive that needs upgrading first.
 */
static int
setup(struct sohoa_archive *a, int *pold)
{
	sqlite3_stmt *st = NULL;
	int rc, version;

	*pold = 0;
	sqlite3_busy_timeout(a->db, BUSY_TIMEOUT_MS);
	rc = exec(a, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
	    "set up the database");
	if (rc == SOHOA_OK)
		rc = sohoa_archive_schema_check(a, &version);
	if (rc != SOHOA_OK)
		return rc;
	if (a->flags & SOHOA_ARCHIVE_READONLY) {
		*pold = version < SOHOA_SCHEMA_VERSION;
		return SOHOA_OK;
	}
	rc = sohoa_archive_prepare(a, "PRAGMA journal_mode = WAL", &st);
	if (rc != SOHOA_OK)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
		sqlite3_finalize(st);
		return sohoa_set_error(a->ctx, SOHOA_ERR_DB,
		    "cannot switch '%s/sohoa.db' to WAL mode: %s", a->dir,
		    sqlite3_errmsg(a->db));
	}
	sqlite3_finalize(st);
	return sohoa_archive_schema_upgrade(a, version);
}

int
sohoa_archive_open(struct sohoa_ctx *ctx, const char *dir, unsigned flags,
    struct sohoa_archive **parchive)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct stat st;
	int oflags, old, rc;

	*parchive = NULL;
	if (dir == NULL || *dir == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "no archive directory given");
	a = calloc(1, sizeof(*a));
	if (a == NULL || (a->dir = strdup(dir)) == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	a->ctx = ctx;
	a->flags = flags;
	a->lockfd = -1;
	if (flags & SOHOA_ARCHIVE_CREATE) {
		rc = make_dirs(ctx, dir);
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = sohoa_buf_addf(&path, "%s/sohoa.db", dir);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
	if (!(flags & SOHOA_ARCHIVE_CREATE) && stat(path.buf, &st) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "no archive in '%s' (run 'sohoa init' or pass --archive DIR)",
		    dir);
		goto out;
	}
	oflags = (flags & SOHOA_ARCHIVE_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | ((flags & SOHOA_ARCHIVE_CREATE) ?
	    SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path.buf, &a->db, oflags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot open '%s': %s",
		    path.buf, a->db ? sqlite3_errmsg(a->db) : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(a->db, 0);
	rc = setup(a, &old);
	if (rc == SOHOA_OK && old) {
		/*
		 * A reader of an archive made by an older sohoa upgrades it
		 * once through a writable handle, then reads as asked.
		 */
		struct sohoa_archive *w = NULL;

		rc = sohoa_archive_open(ctx, dir, flags & ~SOHOA_ARCHIVE_READONLY,
		    &w);
		sohoa_archive_close(&w);
		if (rc == SOHOA_OK)
			rc = setup(a, &old);
		if (rc == SOHOA_OK && old)
			rc = sohoa_set_error(ctx, SOHOA_ERR_DB,
			    "cannot upgrade archive '%s'", dir);
	}
	if (rc != SOHOA_OK)
		goto out;
	if (!(flags & SOHOA_ARCHIVE_READONLY)) {
		/* the store must exist even in archives made by older versions */
		rc = make_dirs(ctx, dir);
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = sohoa_fts_open(ctx, a->db);
	if (rc != SOHOA_OK)
		goto out;
	*parchive = a;
	a = NULL;
out:
	sohoa_archive_close(&a);
	sohoa_buf_release(&path);
	return rc;
}

void
sohoa_archive_close(struct sohoa_archive **parchive)
{
	struct sohoa_archive *a;

	if (parchive == NULL || *parchive == NULL)
		return;
	a = *parchive;
	while (a->depth > 0)
		sohoa_archive_rollback(a);
	if (a->db != NULL)
		sqlite3_close_v2(a->db);
	if (a->lockfd >= 0)
		close(a->lockfd);
	free(a->who);
	free(a->source);
	free(a->dir);
	free(a);
	*parchive = NULL;
}

const char *
sohoa_archive_dir(const struct sohoa_archive *a)
{
	return a->dir;
}

struct sohoa_ctx *
sohoa_archive_ctx(const struct sohoa_archive *a)
{
	return a->ctx;
}

struct sqlite3 *
sohoa_archive_db(struct sohoa_archive *a)
{
	return a->db;
}

int
sohoa_archive_begin(struct sohoa_archive *a)
{
	char sql[64];
	int rc;

	if (a->depth == 0)
		rc = exec(a, "BEGIN IMMEDIATE", "start a transaction");
	else {
		snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", a->depth);
		rc = exec(a, sql, "start a transaction");
	}
	if (rc == SOHOA_OK)
		a->depth++;
	return rc;
}

/*
 * The blobs written with their syncs deferred reach the disk, names
 * included: one syncfs() of the archive's file system instead of two
 * fsyncs a blob.
 */
static int
sync_store(struct sohoa_archive *a)
{
	int fd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || (rc = syncfs(fd)) != 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot flush the"
		    " store of '%s' to disk: %s", a->dir, strerror(e));
	}
	close(fd);
	a->sync_owed = 0;
	return SOHOA_OK;
}

int
sohoa_archive_commit(struct sohoa_archive *a)
{
	char sql[64];
	int rc;

	if (a->depth <= 0)
		return sohoa_set_error(a->ctx, SOHOA_ERR_DB,
		    "commit without a transaction");
	if (a->depth == 1) {
		rc = a->sync_owed ? sync_store(a) : SOHOA_OK;
		if (rc == SOHOA_OK)
			rc = exec(a, "COMMIT", "commit");
	} else {
		snprintf(sql, sizeof(sql), "RELEASE sp%d", a->depth - 1);
		rc = exec(a, sql, "commit");
	}
	if (rc == SOHOA_OK)
		a->depth--;
	else if (a->depth == 1 && sqlite3_get_autocommit(a->db))
		a->depth = 0;	/* SQLite rolled it back itself */
	return rc;
}

int
sohoa_archive_rollback(struct sohoa_archive *a)
{
	char sql[96];

	if (a->depth <= 0)
		return sohoa_errcode(a->ctx);
	if (a->depth == 1) {
		if (!sqlite3_get_autocommit(a->db))
			sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
		a->sync_owed = 0;	/* no row names those blobs now */
	} else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO sp%d; RELEASE sp%d",
		    a->depth - 1, a->depth - 1);
		sqlite3_exec(a->db, sql, NULL, NULL, NULL);
	}
	a->depth--;
	return sohoa_errcode(a->ctx);
}

int
sohoa_archive_end(struct sohoa_archive *a, int rc)
{
	if (rc == SOHOA_OK)
		return sohoa_archive_commit(a);
	sohoa_archive_rollback(a);
	return rc;
}

int
sohoa_archive_lock(struct sohoa_archive *a)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	char pid[32];
	ssize_t n;
	int fd = -1, rc;

	if (a->lockfd >= 0)
		return SOHOA_OK;
	rc = sohoa_buf_addf(&path, "%s/.ingest.lock", a->dir);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, rc, "out of memory");
		goto out;
	}
	fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot open '%s': %s",
		    path.buf, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		n = errno == EWOULDBLOCK ? pread(fd, pid, sizeof(pid) - 1, 0) : -1;
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (*pid)
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_BUSY,
			    "another sohoa (pid %s) is writing to '%s' "
			    "(wait for it to finish)", pid, a->dir);
		else
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_BUSY,
			    "another sohoa is writing to '%s' "
			    "(wait for it to finish)", a->dir);
		goto out;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* the pid is only for the message; the lock is what matters */
	}
	a->lockfd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	sohoa_buf_release(&path);
	return rc;
}

int
sohoa_archive_now(struct sohoa_buf *out)
{
	char s[64];
	time_t t = time(NULL);
	struct tm tm;
	size_t n;

	localtime_r(&t, &tm);
	n = strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S%z", &tm);
	/* +0700 -> +07:00, as ISO 8601 extended format wants */
	if (n >= 5 && n + 1 < sizeof(s)) {
		memmove(s + n - 1, s + n - 2, 3);
		s[n - 2] = ':';
	}
	return sohoa_buf_adds(out, s);
}

/* ---- dossiers ---------------------------------------------------------- */

int
sohoa_archive_dossier_get(struct sohoa_archive *a, const char *code,
    int create, int64_t *pid)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT, now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, step;

	*pid = 0;
	if (code == NULL || *code == '\0')
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "empty dossier code");
	rc = sohoa_utf8_nfc(code, strlen(code), &nfc);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_now(&now);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, rc, "out of memory");
		goto out;
	}
	rc = sohoa_archive_prepare(a, "SELECT id FROM dossiers WHERE code = ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, nfc.buf, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*pid = sqlite3_column_int64(st, 0);
		goto out;
	}
	if (step != SQLITE_DONE) {
		rc = sohoa_archive_db_error(a, "look up a dossier");
		goto out;
	}
	if (!create) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no dossier '%s' in '%s'", nfc.buf, a->dir);
		goto out;
	}
	sqlite3_finalize(st);
	rc = sohoa_archive_prepare(a,
	    "INSERT INTO dossiers(code, created_at) VALUES (?, ?)", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, nfc.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now.buf, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sohoa_archive_db_error(a, "create a dossier");
		goto out;
	}
	*pid = sqlite3_last_insert_rowid(a->db);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	sohoa_buf_release(&nfc);
	return rc;
}

int
sohoa_archive_dossier_code(struct sohoa_archive *a, int64_t id,
    struct sohoa_buf *out)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "SELECT code FROM dossiers WHERE id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = sohoa_buf_adds(out, (const char *)sqlite3_column_text(st, 0));
	else if (step == SQLITE_DONE)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "no dossier %lld in '%s'", (long long)id, a->dir);
	else
		rc = sohoa_archive_db_error(a, "look up a dossier");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_dossier_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_dossier_info *d), void *arg)
{
	struct sohoa_dossier_info d;
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a,
	    "SELECT d.id, d.code, d.created_at,"
	    " (SELECT count(*) FROM documents WHERE dossier_id = d.id"
	    "  AND deleted_at IS NULL),"
	    " (SELECT count(*) FROM pages p JOIN documents x"
	    "  ON x.id = p.document_id WHERE x.dossier_id = d.id"
	    "  AND x.deleted_at IS NULL)"
	    " FROM dossiers d ORDER BY d.code", &st);
	if (rc != SOHOA_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		d.id = sqlite3_column_int64(st, 0);
		d.code = (const char *)sqlite3_column_text(st, 1);
		d.created_at = (const char *)sqlite3_column_text(st, 2);
		d.ndocuments = sqlite3_column_int(st, 3);
		d.npages = sqlite3_column_int(st, 4);
		rc = cb(arg, &d);
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list dossiers");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_dossier_meta_get(struct sohoa_archive *a, int64_t id,
    const char *key, struct sohoa_buf *out)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "SELECT value FROM dossier_meta"
	    " WHERE dossier_id = ? AND key = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = sohoa_buf_adds(out, (const char *)sqlite3_column_text(st, 0));
	else if (step == SQLITE_DONE)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND,
		    "dossier %lld has no '%s'", (long long)id, key);
	else
		rc = sohoa_archive_db_error(a, "read dossier metadata");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_dossier_meta_set(struct sohoa_archive *a, int64_t id,
    const char *key, const char *value)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT, old = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	int rc, had = 0, tx = 0;

	if (key == NULL || *key == '\0')
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "empty metadata key");
	if (value != NULL &&
	    (rc = sohoa_utf8_nfc(value, strlen(value), &nfc)) != SOHOA_OK)
		return sohoa_set_error(a->ctx, rc, "out of memory");
	/* what it was, for the history; the same value again is no change */
	rc = sohoa_archive_prepare(a, "SELECT value FROM dossier_meta"
	    " WHERE dossier_id = ? AND key = ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		had = 1;
		rc = sohoa_buf_adds(&old, (const char *)sqlite3_column_text(st,
		    0) ? (const char *)sqlite3_column_text(st, 0) : "");
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, rc, "out of memory");
		goto out;
	}
	if (had == (value != NULL) && (!had || strcmp(old.buf ? old.buf : "",
	    nfc.buf ? nfc.buf : "") == 0))
		goto out;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	tx = 1;
	if (value != NULL) {
		rc = sohoa_archive_prepare(a, "INSERT INTO dossier_meta"
		    "(dossier_id, key, value) VALUES (?, ?, ?)"
		    " ON CONFLICT(dossier_id, key) DO UPDATE SET value = excluded.value",
		    &st);
	} else
		rc = sohoa_archive_prepare(a, "DELETE FROM dossier_meta"
		    " WHERE dossier_id = ? AND key = ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(st, 3, nfc.buf, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "set dossier metadata");
	if (rc == SOHOA_OK) {
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_DOSSIER_META;
		ev.dossier_id = id;
		ev.key = key;
		ev.old_value = had ? (old.buf ? old.buf : "") : NULL;
		ev.new_value = value != NULL ? nfc.buf : NULL;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
out:
	sqlite3_finalize(st);
	if (tx)
		rc = sohoa_archive_end(a, rc);
	sohoa_buf_release(&nfc);
	sohoa_buf_release(&old);
	return rc;
}

int
sohoa_archive_dossier_meta_list(struct sohoa_archive *a, int64_t id,
    int (*cb)(void *arg, const char *key, const char *value), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "SELECT key, value FROM dossier_meta"
	    " WHERE dossier_id = ? ORDER BY key", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = cb(arg, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list dossier metadata");
	sqlite3_finalize(st);
	return rc;
}

const char *
sohoa_page_status_name(int status)
{
	switch (status) {
	case SOHOA_PAGE_OK: return "ok";
	case SOHOA_PAGE_BLANK: return "blank";
	case SOHOA_PAGE_LOWCONF: return "lowconf";
	case SOHOA_PAGE_FAILED: return "failed";
	}
	return "failed";
}

/* 1 when PATH is DIR or below it (both absolute, resolved). */
static int
is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) != 0)
		return 0;
	return path[n] == '\0' || path[n] == '/' || (n > 0 && dir[n - 1] == '/');
}

int
sohoa_archive_output_check(struct sohoa_archive *a, const char *path,
    unsigned flags)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT;
	char *real_archive = NULL, *real_dir = NULL;
	const char *slash;
	struct stat st;
	int rc = SOHOA_OK;

	if (path == NULL || *path == '\0')
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "no output file"
		    " given");
	slash = strrchr(path, '/');
	if (slash == NULL)
		rc = sohoa_buf_adds(&dir, ".");
	else if (slash == path)
		rc = sohoa_buf_adds(&dir, "/");
	else
		rc = sohoa_buf_add(&dir, path, (size_t)(slash - path));
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, rc, "out of memory");
		goto out;
	}
	real_archive = realpath(a->dir, NULL);
	real_dir = realpath(dir.buf, NULL);
	if (real_archive == NULL || real_dir == NULL) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot write '%s':"
		    " %s", path, strerror(errno));
		goto out;
	}
	/*
	 * Nothing is written beside the database or into the store: a file
	 * renamed over sohoa.db or a blob would replace the records
	 * themselves.  (Folders of the archive's own, such as the web
	 * server's, are the library's business.)
	 */
	sohoa_buf_reset(&dir);
	sohoa_buf_addf(&dir, "%s/store", real_archive);
	if (strcmp(real_dir, real_archive) == 0 || is_below(real_dir, dir.buf)) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "'%s' is inside the"
		    " archive '%s': write it somewhere else", path, a->dir);
		goto out;
	}
	if (lstat(path, &st) == 0 && !(flags & SOHOA_OUTPUT_FORCE))
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "'%s' exists: choose"
		    " another name, or --force to replace it", path);
out:
	free(real_archive);
	free(real_dir);
	sohoa_buf_release(&dir);
	return rc;
}

int
sohoa_archive_dossier_stats(struct sohoa_archive *a, int64_t id,
    struct sohoa_dossier_stats *s)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc;

	memset(s->first_date, 0, sizeof(s->first_date));
	memset(s->last_date, 0, sizeof(s->last_date));
	s->documents = s->pages = 0;
	sohoa_buf_reset(&s->issuer);
	rc = sohoa_archive_prepare(a, "SELECT count(*), coalesce(sum((SELECT"
	    " count(*) FROM pages p WHERE p.document_id = d.id)), 0),"
	    " substr(min(doc_date), 1, 10), substr(max(doc_date), 1, 10)"
	    " FROM documents d WHERE dossier_id = ? AND deleted_at IS NULL",
	    &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->documents = sqlite3_column_int(st, 0);
		s->pages = sqlite3_column_int(st, 1);
		if ((v = (const char *)sqlite3_column_text(st, 2)) != NULL)
			snprintf(s->first_date, sizeof(s->first_date), "%s", v);
		if ((v = (const char *)sqlite3_column_text(st, 3)) != NULL)
			snprintf(s->last_date, sizeof(s->last_date), "%s", v);
	} else
		rc = sohoa_archive_db_error(a, "read a dossier");
	sqlite3_finalize(st);
	if (rc != SOHOA_OK)
		return rc;
	/* the office that issued most of the documents */
	rc = sohoa_archive_prepare(a, "SELECT f.value FROM fields f"
	    " JOIN documents d ON d.id = f.document_id"
	    " WHERE d.dossier_id = ? AND d.deleted_at IS NULL AND f.key IN"
	    " ('issuer', 'registration_authority') AND f.value <> ''"
	    " GROUP BY f.value ORDER BY count(*) DESC, f.value LIMIT 1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sohoa_buf_adds(&s->issuer,
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_dossier_types(struct sohoa_archive *a, int64_t id,
    int (*cb)(void *arg, const char *doc_type, int n), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "SELECT doc_type, count(*) FROM documents"
	    " WHERE dossier_id = ? AND deleted_at IS NULL GROUP BY doc_type"
	    " ORDER BY min(ordinal)", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = cb(arg, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1));
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "read a dossier");
	sqlite3_finalize(st);
	return rc;
}

/* Copy A's database into DIR/sohoa.db in one read transaction. */
int
sohoa_archive_snapshot(struct sohoa_archive *a, const char *dir)
{
	struct sohoa_ctx *ctx = a->ctx;
	struct sohoa_buf path = SOHOA_BUF_INIT;
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc = SOHOA_OK, r;

	sohoa_buf_addf(&path, "%s/sohoa.db", dir);
	if (sqlite3_open_v2(path.buf, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot create '%s': %s",
		    path.buf, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	bk = sqlite3_backup_init(dst, "main", a->db, "main");
	if (bk == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot copy the"
		    " database: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/* all pages in one step: one read transaction, one point in time */
	r = sqlite3_backup_step(bk, -1);
	sqlite3_backup_finish(bk);
	if (r != SQLITE_DONE)
		rc = sohoa_set_error(ctx, r == SQLITE_BUSY || r == SQLITE_LOCKED ?
		    SOHOA_ERR_BUSY : SOHOA_ERR_DB, "cannot copy the database:"
		    " %s", sqlite3_errstr(r));
	else if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot copy the"
		    " database: %s", sqlite3_errmsg(dst));
out:
	sqlite3_close(dst);
	sohoa_buf_release(&path);
	return rc;
}
