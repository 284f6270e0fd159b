/*
 * Shard archives: what 'sohoa ingest --shard K/N' records (which shard,
 * the digest of the whole walk of the input, each of its files' place in
 * that walk), how far a shard got, and a shard's rows merged into another
 * archive one file at a time.
 *
 * The merge of a file reuses the import of bundles (archive_import.c):
 * the shard's rows for the file are written as the sohoa.json of a
 * bundle would carry them (made by SQLite's JSON functions on the shard's
 * connection) and fed to sohoa_archive_import with the shard's store as
 * the blob source.  What a bundle does not carry is added here: the file
 * row as ingest wrote it (its path, not a bundle member), pages that
 * belong to no document, values JSON would round (confidences, skew),
 * the time each page took, and the history of the file's documents.
 * Documents that go on across files are replayed: each file's part is
 * imported, then merged into the document it went on, as ingest did.
 *
 *   sohoa_shard_record / _planned / _finished / _info / _peek / _files
 *   sohoa_shard_merge
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sohoa/cluster.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "archive_private.h"
#include "fts.h"

static const char inputs_sql[] =
	"CREATE TABLE IF NOT EXISTS shard_inputs ("
	" path TEXT PRIMARY KEY,"		/* as the walk found it */
	" walk_index INTEGER NOT NULL)";	/* place in the whole walk */

static int db_get(sqlite3 *db, struct sohoa_ctx *ctx, const char *dir,
    const char *sql, const char *key, struct sohoa_buf *out, int *pn);

static int
exec_sql(struct sohoa_archive *a, const char *sql, const char *what)
{
	if (sqlite3_exec(a->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sohoa_archive_db_error(a, what);
	return SOHOA_OK;
}

static int
step_done(struct sohoa_archive *a, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return sohoa_archive_db_error(a, what);
	return SOHOA_OK;
}

static int
meta_set(struct sohoa_archive *a, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "INSERT INTO meta(key, value) VALUES"
	    " (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
	    " WHERE value IS NOT excluded.value", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = step_done(a, st, "record the shard");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_shard_record(struct sohoa_archive *a, const struct sohoa_shard_walk *w)
{
	struct sohoa_buf was = SOHOA_BUF_INIT, v = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = db_get(a->db, a->ctx, a->dir, "SELECT value FROM meta WHERE"
	    " key = ?", "shard", &was, NULL);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&v, "%d/%d", w->shard, w->nshards);
	if (rc == SOHOA_OK && was.len > 0 && strcmp(was.buf, v.buf) != 0) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "archive '%s' holds"
		    " shard %s, not %s (each shard has its own archive)", a->dir,
		    was.buf, v.buf);
		goto out;
	}
	if (rc == SOHOA_OK)
		rc = meta_set(a, "shard", v.buf);
	sohoa_buf_reset(&v);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&v, "%zu %s", w->nwalk, w->digest);
	if (rc == SOHOA_OK)
		rc = meta_set(a, "shard.walk", v.buf);
	/* a new run: planned and finished again */
	if (rc == SOHOA_OK)
		rc = meta_set(a, "shard.run", "walked");
	if (rc == SOHOA_OK)
		rc = exec_sql(a, inputs_sql, "record the shard");
	if (rc == SOHOA_OK)
		rc = exec_sql(a, "DELETE FROM shard_inputs", "record the shard");
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(a, "INSERT OR REPLACE INTO"
		    " shard_inputs(path, walk_index) VALUES (?, ?)", &st);
	for (i = 0; rc == SOHOA_OK && i < w->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, w->paths[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)w->order[i]);
		rc = step_done(a, st, "record the shard");
	}
out:
	sqlite3_finalize(st);
	rc = sohoa_archive_end(a, rc);
	sohoa_buf_release(&was);
	sohoa_buf_release(&v);
	return rc;
}

/* Set shard.run to "WHAT <pages stored + MORE>". */
static int
run_state(struct sohoa_archive *a, const char *what, int more)
{
	sqlite3_stmt *st = NULL;
	int rc, i, log = 0, done = 0;

	rc = sohoa_archive_prepare(a, "INSERT INTO meta(key, value) SELECT"
	    " 'shard.run', ?1 || ' ' || ((SELECT count(*) FROM pages) + ?2)"
	    " WHERE 1 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	    &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, more);
	rc = step_done(a, st, "record the shard's progress");
	sqlite3_finalize(st);
	/*
	 * 'sohoa cluster status' reads a shard being written from its
	 * database file alone (sohoa_shard_peek): put this there now.  A
	 * reader in the middle of a read (status itself, a person's sqlite3)
	 * holds back the frames after its snapshot: try again, for a second
	 * at most, until the whole log is in the file.
	 */
	for (i = 0; rc == SOHOA_OK && a->depth == 0 && i < 20; i++) {
		if (sqlite3_wal_checkpoint_v2(a->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done) != SQLITE_OK ||
		    done >= log)
			break;
		usleep(50000);
	}
	return rc;
}

int
sohoa_shard_planned(struct sohoa_archive *a, int pages_to_read)
{
	return run_state(a, "planned", pages_to_read);
}

int
sohoa_shard_finished(struct sohoa_archive *a)
{
	return run_state(a, "finished", 0);
}

/* The first column of SQL (with ?1 bound to KEY) as text in OUT, or int. */
static int
db_get(sqlite3 *db, struct sohoa_ctx *ctx, const char *dir, const char *sql,
    const char *key, struct sohoa_buf *out, int *pn)
{
	sqlite3_stmt *st = NULL;
	int rc = SOHOA_OK, r;

	if (pn != NULL)
		*pn = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	if (key != NULL)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW && out != NULL && sqlite3_column_text(st, 0))
		rc = sohoa_buf_adds(out, (const char *)sqlite3_column_text(st, 0));
	else if (r == SQLITE_ROW && pn != NULL)
		*pn = sqlite3_column_int(st, 0);
	else if (r != SQLITE_ROW && r != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(st);
	return rc;
dberr:
	rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot read shard '%s': %s",
	    dir, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* INFO from the database DB of the shard in DIR. */
static int
read_info(sqlite3 *db, struct sohoa_ctx *ctx, const char *dir,
    struct sohoa_shard_info *info)
{
	static const char meta_sql[] = "SELECT value FROM meta WHERE key = ?";
	struct sohoa_buf v = SOHOA_BUF_INIT;
	char state[16], digest[SOHOA_SHA256_HEX];
	long long nwalk;
	int rc, has_inputs, total;

	memset(info, 0, sizeof(*info));
	info->pages_total = -1;
	state[0] = '\0';
	rc = db_get(db, ctx, dir, meta_sql, "shard", &v, NULL);
	if (rc == SOHOA_OK && sscanf(v.buf, "%d/%d", &info->shard,
	    &info->nshards) != 2)
		info->shard = info->nshards = 0;
	sohoa_buf_reset(&v);
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, meta_sql, "shard.walk", &v, NULL);
	if (rc == SOHOA_OK && sscanf(v.buf, "%lld %64s", &nwalk, digest) == 2) {
		info->nwalk = nwalk;
		memcpy(info->digest, digest, sizeof(digest));
	}
	sohoa_buf_reset(&v);
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, meta_sql, "shard.run", &v, NULL);
	if (rc == SOHOA_OK && sscanf(v.buf, "%15s %d", state, &total) == 2)
		info->pages_total = total;
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, "SELECT count(*) FROM sqlite_master"
		    " WHERE name = 'shard_inputs'", NULL, NULL, &has_inputs);
	if (rc == SOHOA_OK && has_inputs)
		rc = db_get(db, ctx, dir, "SELECT count(*) FROM shard_inputs",
		    NULL, NULL, &info->inputs);
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, "SELECT count(*) FROM pages", NULL,
		    NULL, &info->pages_done);
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, "SELECT count(*) FROM pages WHERE"
		    " status = 'failed'", NULL, NULL, &info->pages_failed);
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, "SELECT count(*) FROM failures WHERE"
		    " pageno IS NULL", NULL, NULL, &info->files_failed);
	if (rc == SOHOA_OK)
		rc = db_get(db, ctx, dir, "SELECT count(*) FROM files WHERE NOT"
		    " done", NULL, NULL, &info->files_pending);
	info->complete = info->nshards > 0 && strcmp(state, "finished") == 0 &&
	    info->files_pending == 0;
	if (rc == SOHOA_ERR_NOMEM)
		sohoa_set_error(ctx, rc, "out of memory");
	sohoa_buf_release(&v);
	return rc;
}

int
sohoa_shard_info(struct sohoa_archive *a, struct sohoa_shard_info *info)
{
	return read_info(a->db, a->ctx, a->dir, info);
}

int
sohoa_shard_peek(struct sohoa_ctx *ctx, const char *dir,
    struct sohoa_shard_info *info)
{
	struct sohoa_buf uri = SOHOA_BUF_INIT;
	sqlite3 *db = NULL;
	const char *p;
	int rc;

	memset(info, 0, sizeof(*info));
	info->pages_total = -1;
	/* a file: URI, its path percent-encoded where URIs need it */
	rc = sohoa_buf_adds(&uri, "file:");
	for (p = dir; rc == SOHOA_OK && *p; p++)
		rc = *p == '%' || *p == '?' || *p == '#' ?
		    sohoa_buf_addf(&uri, "%%%02X", (unsigned char)*p) :
		    sohoa_buf_addch(&uri, *p);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&uri, "/sohoa.db?immutable=1");
	if (rc != SOHOA_OK) {
		sohoa_buf_release(&uri);
		return sohoa_set_error(ctx, rc, "out of memory");
	}
	if (sqlite3_open_v2(uri.buf, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot read shard '%s':"
		    " %s", dir, db ? sqlite3_errmsg(db) : "out of memory");
	else
		rc = read_info(db, ctx, dir, info);
	sqlite3_close_v2(db);
	sohoa_buf_release(&uri);
	return rc;
}

int
sohoa_shard_files(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_shard_file *f), void *arg)
{
	struct sohoa_shard_file f;
	sqlite3_stmt *st = NULL;
	int rc, r;

	rc = sohoa_archive_prepare(a, "SELECT f.sha256, f.path,"
	    " coalesce(s.walk_index, -1) FROM files f"
	    " LEFT JOIN shard_inputs s ON s.path = f.path"
	    " ORDER BY s.walk_index IS NULL, s.walk_index, f.path", &st);
	if (rc != SOHOA_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		f.sha256 = (const char *)sqlite3_column_text(st, 0);
		f.path = (const char *)sqlite3_column_text(st, 1);
		f.order = sqlite3_column_int64(st, 2);
		rc = cb(arg, &f);
		if (rc != 0)
			break;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "read the shard's files");
	sqlite3_finalize(st);
	return rc;
}

/* ---- a shard's file merged into an archive ---------------------------- */

/*
 * Ingest's documents go on across the files of a folder: a file whose
 * first page opens no document adds one for its pages and merges it
 * into the folder's last document (sohoa_archive_document_merge), which
 * leaves it a tombstone whose first page is now in that document.  Such
 * a continuation is merged as ingest made it: added with its own pages,
 * then merged into what its target became in the archive.
 *
 * CONT_TARGET: the live document d's first page went into, when d is a
 * tombstone of a continuation; else NULL.
 */
#define CONT_TARGET \
	"(SELECT p.document_id FROM pages p JOIN documents t" \
	" ON t.id = p.document_id AND t.deleted_at IS NULL" \
	" WHERE d.deleted_at IS NOT NULL AND p.file_id = d.file_id" \
	" AND p.pageno = d.first_page AND p.document_id <> d.id)"

/*
 * The documents of a file merged: the live ones, and the continuations
 * the archive lacks.  temp.merge_skip (on the shard's connection) holds
 * the first pages of the file's documents in the archive that are not
 * imported again: its tombstones (for the shard's), and those whose
 * values the merge made itself (own: the pages differ from the shard's).
 */
#define WANTED \
	"(d.first_page NOT IN (SELECT first_page FROM temp.merge_skip" \
	" WHERE own) AND (d.deleted_at IS NULL" \
	" OR (" CONT_TARGET " IS NOT NULL AND d.first_page NOT IN" \
	" (SELECT first_page FROM temp.merge_skip))))"

/*
 * A document's own pages, those of its file: a live document's pages in
 * its file, or the pages a continuation was made of.
 */
#define OWN_PAGES \
	"p.file_id = d.file_id AND (d.deleted_at IS NULL" \
	" AND p.document_id = d.id OR d.deleted_at IS NOT NULL" \
	" AND p.pageno >= d.first_page AND p.pageno < d.first_page + d.npages)"

/* The rows of file ?1's documents in dossier ?2, as sohoa.json. */
static const char rows_sql[] =
	"SELECT json_object('format', 'sohoa-dossier', 'version', 1,"
	" 'dossier', json_object('code', ds.code, 'meta', json((SELECT"
	"  coalesce(json_group_object(key, value), '{}') FROM dossier_meta"
	"  WHERE dossier_id = ds.id))),"
	" 'files', json_array(json_object('sha256', f.sha256, 'name', f.name,"
	"  'format', f.format, 'size', f.size, 'npages', f.npages,"
	"  'member', f.path)),"
	" 'documents', json((SELECT coalesce(json_group_array(json(doc)), '[]')"
	"  FROM (SELECT json_object("
	"   'ordinal', ?3 + row_number() OVER (ORDER BY d.first_page),"
	"   'doc_type', d.doc_type, 'title', d.title, 'doc_date', d.doc_date,"
	"   'confidence', d.confidence, 'file_sha256', f.sha256,"
	"   'first_page', d.first_page,"
	"   'npages', (SELECT count(*) FROM pages p WHERE " OWN_PAGES "),"
	"   'pdf_sha256', d.pdf_sha256, 'created_at', d.created_at,"
	"   'pages', json((SELECT coalesce(json_group_array(json_object("
	"    'pageno', p.pageno, 'status', p.status,"
	"    'orientation', p.orientation, 'skew', p.skew,"
	"    'confidence', p.confidence, 'width', p.width,"
	"    'height', p.height, 'dpi', p.dpi,"
	"    'image_sha256', p.image_sha256, 'image_type', p.image_type,"
	"    'hocr_sha256', p.hocr_sha256, 'words_sha256', p.words_sha256,"
	"    'text', p.text, 'error', p.error)), '[]')"
	"    FROM (SELECT * FROM pages p WHERE " OWN_PAGES
	"    ORDER BY p.seq, p.pageno) p)),"
	"   'fields', json((SELECT coalesce(json_group_array(json_object("
	"    'key', fl.key, 'value', fl.value, 'raw', fl.raw,"
	"    'conf', fl.conf, 'flagged', fl.flagged,"
	"    'corrected', fl.corrected, 'changed_at', fl.changed_at,"
	"    'changed_by', fl.changed_by)), '[]')"
	"    FROM fields fl WHERE fl.document_id = d.id))) AS doc"
	"  FROM documents d WHERE d.file_id = f.id AND d.dossier_id = ds.id"
	"  AND " WANTED " ORDER BY d.first_page))))"
	" FROM files f JOIN dossiers ds ON ds.code = ?2 WHERE f.sha256 = ?1";

/* Blobs come from the shard's store, for sohoa_archive_import. */
struct blobs {
	struct sohoa_archive *shard;
	struct sohoa_buf path;
};

static const char *
blob_path(void *arg, const char *sha256)
{
	struct blobs *b = arg;

	if (!sohoa_store_has(b->shard, sha256))
		return NULL;
	sohoa_buf_reset(&b->path);
	if (sohoa_store_path(b->shard, sha256, &b->path) != SOHOA_OK)
		return NULL;
	return b->path.buf;
}

/* Blob SHA256 of the shard into the archive's store, checked. */
static int
take_blob(struct sohoa_archive *a, struct blobs *b, const char *sha256)
{
	const char *path;
	int healed;

	if (sha256 == NULL || *sha256 == '\0')
		return SOHOA_OK;
	path = blob_path(b, sha256);
	if (path == NULL)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INVALID, "shard '%s'"
		    " lacks blob %s", b->shard->dir, sha256);
	return sohoa_store_heal(a, path, sha256, &healed);
}

/*
 * For each row FROM gives on the shard (?1: the file's id there), run TO
 * on the archive with the row's columns as ?1..?n and the file's id in
 * the archive as ?(n+1).  *pchanged (may be NULL) counts rows changed.
 */
static int
copy_rows(struct sohoa_archive *a, struct sohoa_archive *s, int64_t sfile,
    const char *from, const char *to, int64_t afile, size_t *pchanged)
{
	sqlite3_stmt *sel = NULL, *up = NULL;
	int rc, r, i, n;

	rc = sohoa_archive_prepare(s, from, &sel);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(a, to, &up);
	if (rc != SOHOA_OK)
		goto out;
	/* a statement without ?1 or ?(n+1) just ignores the binding */
	sqlite3_bind_int64(sel, 1, sfile);
	n = sqlite3_column_count(sel);
	while (rc == SOHOA_OK && (r = sqlite3_step(sel)) == SQLITE_ROW) {
		sqlite3_reset(up);
		for (i = 0; i < n; i++)
			sqlite3_bind_value(up, i + 1, sqlite3_column_value(sel, i));
		sqlite3_bind_int64(up, n + 1, afile);
		rc = step_done(a, up, "merge a shard");
		if (rc == SOHOA_OK && pchanged != NULL)
			*pchanged += (size_t)sqlite3_changes(a->db);
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(s, "read the shard");
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(up);
	return rc;
}

/* The id of the file SHA256 in A and its path there; *pid 0 when none. */
static int
file_lookup(struct sohoa_archive *a, const char *sha256, int64_t *pid,
    struct sohoa_buf *path)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*pid = 0;
	rc = sohoa_archive_prepare(a, "SELECT id, path FROM files WHERE"
	    " sha256 = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*pid = sqlite3_column_int64(st, 0);
		if (path != NULL)
			rc = sohoa_buf_adds(path,
			    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * The file row as the shard's ingest wrote it, in the dossier of the same
 * code (created when missing, as ingest creates it); earlier failures of
 * its path are forgotten, as ingest forgets them.
 */
static int
add_file(struct sohoa_archive *a, struct sohoa_archive *s, int64_t sfile,
    int64_t *pid)
{
	sqlite3_stmt *st = NULL, *ins = NULL;
	int64_t dossier = 0;
	int rc, i;

	*pid = 0;
	rc = sohoa_archive_prepare(s, "SELECT ds.code, f.sha256, f.path,"
	    " f.name, f.format, f.size, f.npages, f.done, f.ingested_at"
	    " FROM files f LEFT JOIN dossiers ds ON ds.id = f.dossier_id"
	    " WHERE f.id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, sfile);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = sohoa_archive_db_error(s, "read the shard's files");
		goto out;
	}
	if (sqlite3_column_text(st, 0) != NULL)
		rc = sohoa_archive_dossier_get(a,
		    (const char *)sqlite3_column_text(st, 0), 1, &dossier);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(a, "INSERT INTO files(sha256, path,"
		    " name, format, size, npages, done, ingested_at, dossier_id)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &ins);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 1; i <= 8; i++)
		sqlite3_bind_value(ins, i, sqlite3_column_value(st, i));
	if (dossier != 0)
		sqlite3_bind_int64(ins, 9, dossier);
	rc = step_done(a, ins, "merge a shard's file");
	if (rc == SOHOA_OK)
		*pid = sqlite3_last_insert_rowid(a->db);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_failure_clear(a,
		    (const char *)sqlite3_column_text(st, 2));
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	return rc;
}

/*
 * The documents of the file in dossier CODE (WANTED), through
 * the import of bundles: numbered after the dossier's documents in the
 * archive, in the order of their first pages, as ingest numbers them.
 */
static int
import_group(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    struct blobs *b, const char *sha256, const char *code)
{
	struct sohoa_import_source src;
	struct sohoa_import_result res;
	sqlite3_stmt *st = NULL;
	int64_t base = 0;
	int rc;

	sohoa_import_result_init(&res);
	rc = sohoa_archive_prepare(a, "SELECT coalesce(max(d.ordinal), 0)"
	    " FROM documents d JOIN dossiers ds ON ds.id = d.dossier_id"
	    " WHERE ds.code = ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		base = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	rc = sohoa_archive_prepare(m->shard, rows_sql, &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, base);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_text(st, 0) ==
	    NULL) {
		rc = sohoa_archive_db_error(m->shard, "read the shard's rows");
		goto out;
	}
	memset(&src, 0, sizeof(src));
	src.path = m->shard->dir;
	src.sha256 = "";
	src.signer = m->source;
	src.blob_path = blob_path;
	src.meta_check = m->meta_check;
	src.arg = b;
	src.source = m->source;
	res.trusted = 1;	/* a shard of our own run, checked blob by blob */
	rc = sohoa_archive_import(a, (const char *)sqlite3_column_text(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0), &src, &res);
	m->documents += res.added;
	m->updated += res.updated;
	m->conflicts += res.nconflicts;
out:
	sqlite3_finalize(st);
	sohoa_import_result_release(&res);
	return rc;
}

/* Pages in no live document: as ingest stored them, blobs first. */
static const char loose_sql[] =
	"SELECT pageno, status, orientation, skew, confidence, width, height,"
	" dpi, image_sha256, image_type, hocr_sha256, words_sha256, text,"
	" error, seconds, rescan_sha256 FROM pages WHERE file_id = ?1 AND"
	" (document_id IS NULL OR document_id IN (SELECT id FROM documents"
	" WHERE deleted_at IS NOT NULL))";

static int
loose_pages(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    struct blobs *b, int64_t sfile, int64_t afile)
{
	sqlite3_stmt *st = NULL;
	int rc, r, k;

	rc = sohoa_archive_prepare(m->shard, "SELECT image_sha256, hocr_sha256,"
	    " words_sha256, rescan_sha256 FROM pages WHERE file_id = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, sfile);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
		for (k = 0; k < 4 && rc == SOHOA_OK; k++)
			rc = take_blob(a, b,
			    (const char *)sqlite3_column_text(st, k));
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(m->shard, "read the shard's pages");
	sqlite3_finalize(st);
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sfile, loose_sql,
		    "INSERT INTO pages(pageno, status, orientation, skew,"
		    " confidence, width, height, dpi, image_sha256, image_type,"
		    " hocr_sha256, words_sha256, text, error, seconds,"
		    " rescan_sha256, file_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
		    " ON CONFLICT(file_id, pageno) DO NOTHING", afile, &m->pages);
	return rc;
}

/* A document whose values the merge made itself keeps them */
#define NOT_OWN(first) \
	first " NOT IN (SELECT first_page FROM temp.merge_skip WHERE own)"

/*
 * What JSON rounds or a bundle leaves out, for the same readings: exact
 * confidences and skew, the seconds each page took, a re-scan's hash.
 */
static int
exact_values(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    int64_t sfile, int64_t afile)
{
	int rc;

	rc = copy_rows(a, m->shard, sfile, "SELECT pageno, image_sha256,"
	    " confidence, skew, seconds, rescan_sha256 FROM pages"
	    " WHERE file_id = ?1",
	    "UPDATE pages SET confidence = ?3, skew = ?4, seconds = ?5,"
	    " rescan_sha256 = coalesce(rescan_sha256, ?6)"
	    " WHERE file_id = ?7 AND pageno = ?1 AND image_sha256 IS ?2"
	    " AND (confidence IS NOT ?3 OR skew IS NOT ?4 OR seconds IS NOT ?5"
	    " OR rescan_sha256 IS NOT coalesce(rescan_sha256, ?6))",
	    afile, NULL);
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sfile, "SELECT first_page,"
		    " confidence, deleted_at IS NULL FROM documents"
		    " WHERE file_id = ?1 AND " NOT_OWN("first_page"),
		    "UPDATE documents SET confidence = ?2 WHERE file_id = ?4"
		    " AND first_page = ?1 AND (deleted_at IS NULL) = ?3"
		    " AND confidence IS NOT ?2"
		    " AND abs(confidence - ?2) < 0.001", afile, NULL);
	/* (a continuation is a tombstone in both, or stands on its own) */
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sfile, "SELECT d.first_page, f.key,"
		    " f.value, f.conf, d.deleted_at IS NULL FROM fields f"
		    " JOIN documents d ON d.id = f.document_id"
		    " WHERE d.file_id = ?1 AND " NOT_OWN("d.first_page"),
		    "UPDATE fields SET conf = ?4 WHERE document_id = (SELECT id"
		    " FROM documents WHERE file_id = ?6 AND first_page = ?1"
		    " AND (deleted_at IS NULL) = ?5)"
		    " AND key = ?2 AND value IS ?3 AND conf IS NOT ?4"
		    " AND abs(conf - ?4) < 0.001", afile, NULL);
	return rc;
}

/*
 * The history of the file's documents: corrections, accepted values,
 * type changes and their undos, with who made them and when (the other
 * changes name rows of the shard, and stay in the shard's history).  An
 * entry the archive has already is not written again.
 */
static const char events_from_sql[] =
	"SELECT e.at, e.who, e.source, e.action, d.first_page, e.key,"
	" e.old_value, e.new_value, e.detail, u.at, u.who, u.source,"
	" u.action, u.key, u.old_value, u.new_value"
	" FROM events e JOIN documents d ON d.id = e.document_id"
	" LEFT JOIN events u ON u.id = e.undoes"
	" WHERE d.file_id = ?1 AND (e.action IN ('" SOHOA_EV_FIELD_SET "', '"
	SOHOA_EV_FIELD_ACCEPT "', '" SOHOA_EV_DOC_TYPE "') OR (e.action = '"
	SOHOA_EV_UNDO "' AND u.action IN ('" SOHOA_EV_FIELD_SET "', '"
	SOHOA_EV_FIELD_ACCEPT "', '" SOHOA_EV_DOC_TYPE "'))) ORDER BY e.id";

static const char events_to_sql[] =
	"INSERT INTO events(at, who, source, action, document_id, dossier_id,"
	" key, old_value, new_value, detail, undoes)"
	" SELECT ?1, ?2, ?3, ?4, d.id, d.dossier_id, ?6, ?7, ?8, ?9,"
	"  (SELECT x.id FROM events x WHERE ?4 = '" SOHOA_EV_UNDO "'"
	"   AND x.document_id = d.id AND x.at IS ?10 AND x.who IS ?11"
	"   AND x.source IS ?12 AND x.action IS ?13 AND x.key IS ?14"
	"   AND x.old_value IS ?15 AND x.new_value IS ?16"
	"   ORDER BY x.id DESC LIMIT 1)"
	" FROM documents d WHERE d.file_id = ?17 AND d.first_page = ?5"
	" AND NOT EXISTS (SELECT 1 FROM events x WHERE x.document_id = d.id"
	"  AND x.at IS ?1 AND x.who IS ?2 AND x.source IS ?3"
	"  AND x.action = ?4 AND x.key IS ?6 AND x.old_value IS ?7"
	"  AND x.new_value IS ?8)";

/* ---- continuations replayed ------------------------------------------- */

/*
 * Run SQL on A with ?1..?3 bound to X, Y, Z (a statement without them
 * ignores the binding); *pn (may be NULL) gets the first column of the
 * first row, 0 when there is none.
 */
static int
ints_sql(struct sohoa_archive *a, const char *sql, int64_t x, int64_t y,
    int64_t z, int64_t *pn)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	if (pn != NULL)
		*pn = 0;
	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, x);
	sqlite3_bind_int64(st, 2, y);
	sqlite3_bind_int64(st, 3, z);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW && pn != NULL)
		*pn = sqlite3_column_int64(st, 0);
	else if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "merge a shard");
	sqlite3_finalize(st);
	return rc;
}

/* The first column of SQL on A (?1 bound to X), as text in OUT. */
static int
text_sql(struct sohoa_archive *a, const char *sql, int64_t x,
    struct sohoa_buf *out)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, x);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
	    sohoa_buf_adds(out, (const char *)sqlite3_column_text(st, 0)) !=
	    SOHOA_OK)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	else if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "merge a shard");
	sqlite3_finalize(st);
	return rc;
}

/*
 * On the shard's connection, so that they count as no change to the
 * archive: which document here each of its documents is (merge_map),
 * the documents here whose values are settled after the last file
 * (merge_dirty), by folder the document here the last merged file's
 * last page is in, as ingest's carry holds it (merge_carry), and the
 * documents of the file being merged not imported again (merge_skip).
 */
static int
make_map(struct sohoa_shard_merge *m)
{
	return exec_sql(m->shard, "DROP TABLE IF EXISTS temp.merge_map;"
	    " CREATE TEMP TABLE merge_map(sdoc INTEGER PRIMARY KEY,"
	    " adoc INTEGER);"
	    " DROP TABLE IF EXISTS temp.merge_dirty;"
	    " CREATE TEMP TABLE merge_dirty(adoc INTEGER PRIMARY KEY);"
	    " DROP TABLE IF EXISTS temp.merge_carry;"
	    " CREATE TEMP TABLE merge_carry(folder TEXT PRIMARY KEY,"
	    " adoc INTEGER);"
	    " DROP TABLE IF EXISTS temp.merge_skip;"
	    " CREATE TEMP TABLE merge_skip(first_page INTEGER PRIMARY KEY,"
	    " own INTEGER)", "merge a shard");
}

/* The folder of PATH, as ingest's carry names it ("" when none). */
static size_t
folder_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? (size_t)(slash - path) : 0;
}

/* Ingest's carry for the folder of PATH: *padoc, 0 when none. */
static int
carry_get(struct sohoa_shard_merge *m, const char *path, int64_t *padoc)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	*padoc = 0;
	rc = sohoa_archive_prepare(m->shard, "SELECT adoc FROM"
	    " temp.merge_carry WHERE folder = ?", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, path, (int)folder_len(path), SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*padoc = sqlite3_column_int64(st, 0);
	else if (r != SQLITE_DONE)
		rc = sohoa_archive_db_error(m->shard, "merge a shard");
	sqlite3_finalize(st);
	return rc;
}

/*
 * File AFILE at PATH is merged: the next file of its folder goes on the
 * live document its last page is in (none: the next stands on its own),
 * as in ingest.  A skipped copy leaves it as it was.
 */
static int
carry_set(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    const char *path, int64_t afile)
{
	sqlite3_stmt *st = NULL;
	int64_t adoc;
	int rc;

	rc = ints_sql(a, "SELECT d.id FROM pages p JOIN documents d"
	    " ON d.id = p.document_id AND d.deleted_at IS NULL"
	    " WHERE p.file_id = ?1 AND p.pageno = (SELECT max(pageno)"
	    " FROM pages WHERE file_id = ?1)", afile, 0, 0, &adoc);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(m->shard, "INSERT OR REPLACE INTO"
		    " temp.merge_carry(folder, adoc) VALUES (?, ?)", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, path, (int)folder_len(path), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, adoc);
	rc = step_done(m->shard, st, "merge a shard");
	sqlite3_finalize(st);
	return rc;
}

/* The shard's document SDOC is ADOC here. */
static int
map_set(struct sohoa_shard_merge *m, int64_t sdoc, int64_t adoc)
{
	return ints_sql(m->shard, "INSERT OR REPLACE INTO temp.merge_map(sdoc,"
	    " adoc) VALUES (?1, ?2)", sdoc, adoc, 0, NULL);
}

/* ADOC's pages may differ from its shard document's: settled at the end. */
static int
dirty(struct sohoa_shard_merge *m, int64_t adoc)
{
	return ints_sql(m->shard, "INSERT OR IGNORE INTO temp.merge_dirty(adoc)"
	    " VALUES (?1)", adoc, 0, 0, NULL);
}

/*
 * Continuation SDOC of the shard, ADOC here (new to the archive when
 * ISNEW), of the file at PATH, went on the shard's document TARGET:
 * merge it into what TARGET is here.  A target that is nothing here is
 * the document of a copy the merge skipped; one ingest skips the copy
 * and leaves its folder's carry as it was, so ADOC goes on the document
 * the last file merged before it in its folder ended with (merge_carry),
 * and stands on its own when there is none, or when its target was
 * deleted here.  What ADOC went on is settled after the last file.
 */
static int
go_on(struct sohoa_archive *a, struct sohoa_shard_merge *m, int64_t sdoc,
    int64_t target, int64_t adoc, int isnew, const char *path)
{
	int64_t into;
	int rc;

	rc = ints_sql(m->shard, "SELECT adoc FROM temp.merge_map WHERE"
	    " sdoc = ?1", target, 0, 0, &into);
	if (rc == SOHOA_OK && into == 0)
		rc = carry_get(m, path, &into);
	if (rc == SOHOA_OK && into != 0)
		rc = ints_sql(a, "SELECT id FROM documents WHERE id = ?1 AND"
		    " deleted_at IS NULL", into, 0, 0, &into);
	if (rc != SOHOA_OK || !isnew)
		return rc;	/* not new: an earlier merge replayed it */
	if (into == 0 || into == adoc)
		return dirty(m, adoc);
	rc = sohoa_archive_document_merge(a, into, adoc);
	if (rc == SOHOA_OK && m->documents > 0)
		m->documents--;		/* counted as added, as ingest does not */
	/* a tombstone since ingest merged it, not since now */
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sdoc, "SELECT deleted_at FROM"
		    " documents WHERE id = ?1", "UPDATE documents SET"
		    " deleted_at = ?1 WHERE id = ?2 AND deleted_at IS NOT ?1",
		    adoc, NULL);
	if (rc == SOHOA_OK)
		rc = dirty(m, into);
	return rc;
}

/*
 * Replay what ingest's continuations did in the file (SFILE in the
 * shard, AFILE here, at PATH): each of its documents maps to its row
 * here, and a continuation goes on (go_on); documents above BEFORE are
 * new.  A new document that has pages of later files in the shard was
 * imported with the values of all its pages there: settled at the end,
 * when the pages it has here are known (a copy's may not come).
 */
static int
replay(struct sohoa_archive *a, struct sohoa_shard_merge *m, int64_t sfile,
    int64_t afile, int64_t before, const char *path)
{
	sqlite3_stmt *st = NULL;
	int64_t sdoc, target, adoc;
	int rc, r;

	rc = sohoa_archive_prepare(m->shard, "SELECT id, first_page, target,"
	    " spans FROM (SELECT d.id, d.first_page, d.deleted_at, "
	    CONT_TARGET " AS target, d.deleted_at IS NULL AND EXISTS (SELECT 1"
	    " FROM pages q WHERE q.document_id = d.id AND q.file_id <>"
	    " d.file_id) AS spans FROM documents d WHERE d.file_id = ?1)"
	    " WHERE deleted_at IS NULL OR target IS NOT NULL ORDER BY id", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, sfile);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		sdoc = sqlite3_column_int64(st, 0);
		target = sqlite3_column_int64(st, 2);
		rc = ints_sql(a, "SELECT id FROM documents WHERE file_id = ?1"
		    " AND first_page = ?2 ORDER BY id LIMIT 1", afile,
		    sqlite3_column_int64(st, 1), 0, &adoc);
		/* none: the import kept the archive's own split, and said so */
		if (rc != SOHOA_OK || adoc == 0)
			continue;
		rc = map_set(m, sdoc, adoc);
		if (rc == SOHOA_OK && target != 0)
			rc = go_on(a, m, sdoc, target, adoc, adoc > before,
			    path);
		else if (rc == SOHOA_OK && sqlite3_column_int(st, 3) &&
		    adoc > before)
			rc = dirty(m, adoc);
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(m->shard, "read the shard's"
		    " documents");
	sqlite3_finalize(st);
	return rc;
}

/* A document's pages, "file-sha256:pageno" in their order, as JSON. */
#define PAGE_LIST(doc) \
	"(SELECT json_group_array(k) FROM (SELECT f.sha256 || ':' ||" \
	" p.pageno AS k FROM pages p JOIN files f ON f.id = p.file_id" \
	" WHERE p.document_id = " doc " ORDER BY p.seq, p.pageno))"

/* The values of shard document SDOC, taken by ADOC as they are. */
static int
take_values(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    struct blobs *b, int64_t sdoc, int64_t adoc)
{
	struct sohoa_buf pdf = SOHOA_BUF_INIT;
	int rc;

	rc = text_sql(m->shard, "SELECT pdf_sha256 FROM documents WHERE"
	    " id = ?1", sdoc, &pdf);
	if (rc == SOHOA_OK)
		rc = take_blob(a, b, pdf.buf);
	sohoa_buf_release(&pdf);
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sdoc, "SELECT doc_type, title,"
		    " doc_date, confidence, pdf_sha256, npages FROM documents"
		    " WHERE id = ?1", "UPDATE documents SET doc_type = ?1,"
		    " title = ?2, doc_date = ?3, confidence = ?4,"
		    " pdf_sha256 = ?5, npages = ?6 WHERE id = ?7 AND"
		    " (doc_type IS NOT ?1 OR title IS NOT ?2"
		    " OR doc_date IS NOT ?3 OR confidence IS NOT ?4"
		    " OR pdf_sha256 IS NOT ?5"
		    " OR npages IS NOT ?6)", adoc, NULL);
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sdoc, "SELECT json_group_array(key)"
		    " FROM fields WHERE document_id = ?1", "DELETE FROM fields"
		    " WHERE document_id = ?2 AND key NOT IN (SELECT value FROM"
		    " json_each(?1))", adoc, NULL);
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sdoc, "SELECT key, value, raw,"
		    " conf, flagged, corrected, changed_at, changed_by"
		    " FROM fields WHERE document_id = ?1", "INSERT INTO"
		    " fields(document_id, key, value, raw, conf, flagged,"
		    " corrected, changed_at, changed_by) VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		    " ON CONFLICT(document_id, key) DO UPDATE SET"
		    " value = ?2, raw = ?3, conf = ?4, flagged = ?5,"
		    " corrected = ?6, changed_at = ?7, changed_by = ?8"
		    " WHERE value IS NOT ?2 OR raw IS NOT ?3 OR conf IS NOT ?4"
		    " OR flagged IS NOT ?5 OR corrected IS NOT ?6"
		    " OR changed_at IS NOT ?7 OR changed_by IS NOT ?8", adoc,
		    NULL);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_index_document(a->ctx, a->db, adoc);
	return rc;
}

/*
 * The pages, as PAGE_LIST, of the shard's document that holds page
 * PAGENO of file SHA256, in OUT (empty when none); *psdoc that document.
 */
static int
shard_pages(struct sohoa_shard_merge *m, sqlite3_value *sha256,
    sqlite3_value *pageno, int64_t *psdoc, struct sohoa_buf *out)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	*psdoc = 0;
	sohoa_buf_reset(out);
	rc = sohoa_archive_prepare(m->shard, "SELECT q.document_id, "
	    PAGE_LIST("q.document_id") " FROM pages q JOIN files g"
	    " ON g.id = q.file_id WHERE g.sha256 = ?1 AND q.pageno = ?2"
	    " AND q.document_id IS NOT NULL", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_value(st, 1, sha256);
	sqlite3_bind_value(st, 2, pageno);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*psdoc = sqlite3_column_int64(st, 0);
		if (sqlite3_column_text(st, 1) != NULL && sohoa_buf_adds(out,
		    (const char *)sqlite3_column_text(st, 1)) != SOHOA_OK)
			rc = sohoa_set_error(m->shard->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	} else if (r != SQLITE_DONE)
		rc = sohoa_archive_db_error(m->shard, "read the shard's pages");
	sqlite3_finalize(st);
	return rc;
}

/*
 * Document ADOC took its last pages in this merge.  When the shard's
 * document that holds its first page has the same pages in the same
 * order, its values are those one ingest gives, and ADOC takes them.
 * Otherwise (a skipped copy's pages went on it in the shard, or it went
 * on a document other than the shard's) m->remake reads its fields again
 * from its pages and makes its PDF, as ingest does; the fields read from
 * the shard's pages go first (not the codes: ingest reads those from
 * ADOC's own file alone, and a reading does not make them again).
 */
static int
settle(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    struct blobs *b, int64_t adoc)
{
	struct sohoa_buf theirs = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t sdoc = 0;
	int rc, same = 0;

	rc = sohoa_archive_prepare(a, "SELECT g.sha256, d.first_page, "
	    PAGE_LIST("d.id") " FROM documents d JOIN files g"
	    " ON g.id = d.file_id WHERE d.id = ?1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, adoc);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = shard_pages(m, sqlite3_column_value(st, 0),
		    sqlite3_column_value(st, 1), &sdoc, &theirs);
		same = rc == SOHOA_OK && sqlite3_column_text(st, 2) != NULL &&
		    strcmp(theirs.buf, (const char *)
		    sqlite3_column_text(st, 2)) == 0;
	}
	sqlite3_finalize(st);
	sohoa_buf_release(&theirs);
	if (rc != SOHOA_OK)
		return rc;
	if (sdoc != 0 && same)
		return take_values(a, m, b, sdoc, adoc);
	if (m->remake == NULL)
		return SOHOA_OK;
	rc = ints_sql(a, "DELETE FROM fields WHERE document_id = ?1"
	    " AND NOT corrected AND changed_at IS NULL"
	    " AND key NOT IN ('qr_code', 'barcode')", adoc, 0, 0, NULL);
	if (rc == SOHOA_OK)
		rc = m->remake(m->remake_arg, a, adoc);
	return rc;
}

/*
 * Which of file AFILE's documents here (its first pages) the merge of
 * the file from the shard leaves alone (temp.merge_skip): its tombstones
 * (not imported again) and, own, the documents whose pages differ from
 * those of the shard's document that holds their first page: the merge
 * made their values (settle), which a second merge must not change.
 */
static int
mark_skip(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    int64_t afile)
{
	struct sohoa_buf theirs = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t sdoc, own;
	int rc, r;

	rc = exec_sql(m->shard, "DELETE FROM temp.merge_skip", "merge a shard");
	if (rc != SOHOA_OK || afile == 0)
		return rc;
	rc = sohoa_archive_prepare(a, "SELECT g.sha256, d.first_page,"
	    " d.deleted_at IS NOT NULL, " PAGE_LIST("d.id") " FROM documents d"
	    " JOIN files g ON g.id = d.file_id WHERE d.file_id = ?1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, afile);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		own = 0;
		if (!sqlite3_column_int(st, 2)) {
			rc = shard_pages(m, sqlite3_column_value(st, 0),
			    sqlite3_column_value(st, 1), &sdoc, &theirs);
			own = sqlite3_column_text(st, 3) == NULL ||
			    strcmp(theirs.buf, (const char *)
			    sqlite3_column_text(st, 3)) != 0;
			if (rc != SOHOA_OK || !own)
				continue;
		}
		rc = ints_sql(m->shard, "INSERT OR REPLACE INTO"
		    " temp.merge_skip(first_page, own) VALUES (?1, ?2)",
		    sqlite3_column_int64(st, 1), own, 0, NULL);
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "merge a shard");
	sqlite3_finalize(st);
	sohoa_buf_release(&theirs);
	return rc;
}

/*
 * Settle the documents whose pages may differ from the shard's, once
 * each, after the last file: a document a folder of one page a file
 * makes would otherwise be settled after each of its files.
 */
static int
settle_all(struct sohoa_archive *a, struct sohoa_shard_merge *m)
{
	struct blobs b;
	sqlite3_stmt *st = NULL;
	int64_t *v = NULL, *w;
	size_t n = 0, i;
	int rc, r;

	/* first listed: settling writes, and may make PDFs */
	rc = sohoa_archive_prepare(m->shard, "SELECT adoc FROM"
	    " temp.merge_dirty ORDER BY adoc", &st);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		w = realloc(v, (n + 1) * sizeof(*v));
		if (w == NULL) {
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			break;
		}
		v = w;
		v[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(m->shard, "merge a shard");
	sqlite3_finalize(st);
	b.shard = m->shard;
	sohoa_buf_init(&b.path);
	for (i = 0; i < n && rc == SOHOA_OK; i++)
		rc = settle(a, m, &b, v[i]);
	sohoa_buf_release(&b.path);
	if (rc == SOHOA_OK)
		rc = exec_sql(m->shard, "DELETE FROM temp.merge_dirty",
		    "merge a shard");
	free(v);
	return rc;
}

/*
 * Merge the file SHA256 at PATH of shard M: its row, its documents,
 * their continuations replayed, its loose pages, exact values, history;
 * the documents whose pages may differ from the shard's are settled
 * after the last file (settle_all).
 */
static int
merge_file(struct sohoa_archive *a, struct sohoa_shard_merge *m,
    const char *sha256, const char *path)
{
	struct sohoa_buf have = SOHOA_BUF_INIT;
	struct blobs b;
	sqlite3_stmt *st = NULL;
	int64_t sfile = 0, afile = 0, before = 0;
	int rc, r;

	b.shard = m->shard;
	sohoa_buf_init(&b.path);
	rc = file_lookup(m->shard, sha256, &sfile, NULL);
	if (rc == SOHOA_OK && sfile == 0)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "shard '%s' has"
		    " no file %s", m->shard->dir, sha256);
	if (rc == SOHOA_OK)
		rc = file_lookup(a, sha256, &afile, &have);
	if (rc != SOHOA_OK)
		goto out;
	if (afile != 0 && strcmp(have.buf, path) != 0) {
		/* the same scan met earlier under another path: ingest skips it */
		m->copies++;
		goto out;
	}
	if (afile == 0) {
		rc = add_file(a, m->shard, sfile, &afile);
		if (rc != SOHOA_OK)
			goto out;
		m->files++;
	}
	/* the original, with or without documents */
	rc = take_blob(a, &b, sha256);
	if (rc == SOHOA_OK)
		rc = ints_sql(a, "SELECT coalesce(max(id), 0) FROM documents",
		    0, 0, 0, &before);
	if (rc == SOHOA_OK)
		rc = mark_skip(a, m, afile);
	/* its documents, by dossier, in the order of their first pages */
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(m->shard, "SELECT ds.code FROM"
		    " documents d JOIN dossiers ds ON ds.id = d.dossier_id"
		    " WHERE d.file_id = :file AND " WANTED
		    " GROUP BY ds.code ORDER BY min(d.first_page)", &st);
	if (rc == SOHOA_OK)
		sqlite3_bind_int64(st, 1, sfile);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		rc = import_group(a, m, &b, sha256,
		    (const char *)sqlite3_column_text(st, 0));
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(m->shard, "read the shard's"
		    " documents");
	if (rc == SOHOA_OK)
		rc = replay(a, m, sfile, afile, before, path);
	if (rc == SOHOA_OK)
		rc = loose_pages(a, m, &b, sfile, afile);
	if (rc == SOHOA_OK)
		rc = exact_values(a, m, sfile, afile);
	if (rc == SOHOA_OK)
		rc = copy_rows(a, m->shard, sfile, events_from_sql,
		    events_to_sql, afile, &m->events);
	if (rc == SOHOA_OK)
		rc = carry_set(a, m, path, afile);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&have);
	sohoa_buf_release(&b.path);
	if (rc != SOHOA_OK && rc != SOHOA_ERR_NOMEM)
		sohoa_wrap_error(a->ctx, "cannot merge '%s' from shard '%s': ",
		    path, m->shard->dir);
	return rc;
}

/* The inputs the shard could not read, as its ingest recorded them. */
static int
merge_failures(struct sohoa_archive *a, struct sohoa_shard_merge *m)
{
	/* (copy_rows binds file ids these statements do not use) */
	return copy_rows(a, m->shard, 0, "SELECT path, pageno, reason, at"
	    " FROM failures ORDER BY id",
	    "INSERT INTO failures(path, pageno, reason, at) SELECT ?1, ?2, ?3,"
	    " ?4 WHERE NOT EXISTS (SELECT 1 FROM files WHERE path = ?1"
	    " AND done) ON CONFLICT DO UPDATE SET"
	    " reason = excluded.reason, at = excluded.at"
	    " WHERE reason IS NOT excluded.reason OR at IS NOT excluded.at",
	    0, &m->failures);
}

/* ---- every shard's files, in the order of the walk -------------------- */

struct plan {
	struct sohoa_archive *a;
	sqlite3_stmt *add;
	size_t shard, total;
};

static int
plan_file(void *arg, const struct sohoa_shard_file *f)
{
	struct plan *pl = arg;

	sqlite3_reset(pl->add);
	/* files outside the walk (added some other way) go last, by path */
	sqlite3_bind_int64(pl->add, 1, f->order >= 0 ? f->order : INT64_MAX);
	sqlite3_bind_int64(pl->add, 2, (sqlite3_int64)pl->shard);
	sqlite3_bind_text(pl->add, 3, f->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(pl->add, 4, f->path, -1, SQLITE_STATIC);
	pl->total++;
	return step_done(pl->a, pl->add, "plan the merge");
}

/* temp.merge_plan: (walk, shard, sha256, path) of every shard's files. */
static int
make_plan(struct sohoa_archive *a, struct sohoa_shard_merge *const *m,
    size_t n, size_t *ptotal)
{
	struct plan pl;
	size_t i;
	int rc;

	memset(&pl, 0, sizeof(pl));
	pl.a = a;
	rc = exec_sql(a, "DROP TABLE IF EXISTS temp.merge_plan;"
	    " CREATE TEMP TABLE merge_plan(walk INTEGER, shard INTEGER,"
	    " sha256 TEXT, path TEXT)", "plan the merge");
	if (rc == SOHOA_OK)
		rc = sohoa_archive_prepare(a, "INSERT INTO temp.merge_plan"
		    " VALUES (?, ?, ?, ?)", &pl.add);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		pl.shard = i;
		rc = sohoa_shard_files(m[i]->shard, plan_file, &pl);
	}
	sqlite3_finalize(pl.add);
	*ptotal = pl.total;
	return rc;
}

/* The merge itself, in the history: which shards, what it brought. */
static int
note_merge(struct sohoa_archive *a, struct sohoa_shard_merge *const *m,
    size_t n)
{
	struct sohoa_buf detail = SOHOA_BUF_INIT, what = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	struct sohoa_json j;
	size_t i, files = 0, docs = 0, copies = 0;
	int rc;

	sohoa_json_init(&j, &detail, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "shards");
	sohoa_json_arr_open(&j);
	for (i = 0; i < n; i++) {
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "path");
		sohoa_json_str(&j, m[i]->shard->dir);
		sohoa_json_key(&j, "source");
		sohoa_json_str(&j, m[i]->source);
		sohoa_json_key(&j, "walk_sha256");
		sohoa_json_str(&j, m[i]->digest);
		sohoa_json_key(&j, "files");
		sohoa_json_int(&j, (long long)m[i]->files);
		sohoa_json_key(&j, "documents");
		sohoa_json_int(&j, (long long)m[i]->documents);
		sohoa_json_obj_close(&j);
		files += m[i]->files;
		docs += m[i]->documents;
		copies += m[i]->copies;
	}
	sohoa_json_arr_close(&j);
	sohoa_json_key(&j, "copies_skipped");
	sohoa_json_int(&j, (long long)copies);
	sohoa_json_obj_close(&j);
	sohoa_buf_addf(&what, "%zu shard%s: %zu files, %zu documents", n,
	    n == 1 ? "" : "s", files, docs);
	memset(&ev, 0, sizeof(ev));
	ev.action = SOHOA_EV_IMPORT;
	ev.source = "merge";
	ev.new_value = what.buf;
	ev.detail = detail.buf;
	rc = j.rc != SOHOA_OK || what.len == 0 ?
	    sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory") :
	    sohoa_archive_event_add(a, &ev, NULL);
	sohoa_buf_release(&detail);
	sohoa_buf_release(&what);
	return rc;
}

int
sohoa_shard_merge(struct sohoa_archive *a, struct sohoa_shard_merge *const *m,
    size_t n, int (*progress)(void *arg, size_t done, size_t total),
    void *arg, int *pchanged)
{
	sqlite3_stmt *st = NULL;
	size_t i, done = 0, total = 0;
	int rc, r = SQLITE_DONE, before, began = 0;

	*pchanged = 0;
	rc = make_plan(a, m, n, &total);
	for (i = 0; i < n && rc == SOHOA_OK; i++)
		rc = make_map(m[i]);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	began = 1;
	/* one transaction: its blobs are synced once, by the commit */
	a->sync_defer = 1;
	before = sqlite3_total_changes(a->db);
	rc = sohoa_archive_prepare(a, "SELECT shard, sha256, path FROM"
	    " temp.merge_plan ORDER BY walk, path, shard", &st);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		i = (size_t)sqlite3_column_int64(st, 0);
		rc = merge_file(a, m[i], (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
		done++;
		if (rc == SOHOA_OK && progress != NULL &&
		    progress(arg, done, total) != 0)
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_CANCELLED, "merge"
			    " interrupted: nothing was merged");
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "merge the shards");
	sqlite3_finalize(st);
	st = NULL;
	for (i = 0; i < n && rc == SOHOA_OK; i++)
		rc = settle_all(a, m[i]);
	for (i = 0; i < n && rc == SOHOA_OK; i++)
		rc = merge_failures(a, m[i]);
	if (rc == SOHOA_OK && sqlite3_total_changes(a->db) != before) {
		*pchanged = 1;
		rc = note_merge(a, m, n);
	}
	if (rc == SOHOA_OK) {
		rc = sohoa_archive_commit(a);
		began = 0;
	}
out:
	if (began)
		sohoa_archive_rollback(a);
	a->sync_defer = 0;
	sqlite3_finalize(st);
	sqlite3_exec(a->db, "DROP TABLE IF EXISTS temp.merge_plan", NULL, NULL,
	    NULL);
	for (i = 0; i < n; i++)
		sqlite3_exec(m[i]->shard->db, "DROP TABLE IF EXISTS"
		    " temp.merge_map; DROP TABLE IF EXISTS temp.merge_dirty;"
		    " DROP TABLE IF EXISTS temp.merge_carry;"
		    " DROP TABLE IF EXISTS temp.merge_skip", NULL, NULL, NULL);
	return rc;
}
