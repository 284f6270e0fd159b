/*
 * Import: load a verified bundle into an archive.
 *
 * The bundle's metadata/other/sohoa.json (listed and hashed in the signed
 * manifest like every member) carries the archive rows; SQLite's JSON
 * functions read it, so no JSON parser of our own sees bundle input.
 * Blobs go to the content store first: they are content-addressed, so a
 * blob left by an interrupted import is harmless.  Then all rows are
 * written in one transaction.  Every upsert has a WHERE clause that skips
 * rows whose values are already those of the bundle, so a second import
 * of the same bundle writes nothing at all.
 *
 *   sohoa_bundle_import
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "../index/fts.h"
#include "bundle_private.h"

struct imp {
	struct sohoa_archive *a;
	struct sohoa_ctx *ctx;
	sqlite3 *db;
	const struct sohoa_bundle *b;
	struct sohoa_buf json;
	struct sohoa_import_result *res;
};

static int
dberr(struct imp *im, const char *what)
{
	return sohoa_set_error(im->ctx, SOHOA_ERR_DB, "cannot import %s: %s",
	    what, sqlite3_errmsg(im->db));
}

static int
prepare(struct imp *im, const char *sql, sqlite3_stmt **pst)
{
	if (sqlite3_prepare_v2(im->db, sql, -1, pst, NULL) != SQLITE_OK)
		return dberr(im, "the bundle");
	return SOHOA_OK;
}

static int
is_sha256(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

static const char blobs_sql[] =
	"SELECT json_extract(f.value, '$.sha256') FROM json_each(?1, '$.files') f"
	" UNION SELECT json_extract(d.value, '$.pdf_sha256')"
	"  FROM json_each(?1, '$.documents') d"
	" UNION SELECT json_extract(p.value, '$.image_sha256')"
	"  FROM json_each(?1, '$.documents') d, json_each(d.value, '$.pages') p"
	" UNION SELECT json_extract(p.value, '$.hocr_sha256')"
	"  FROM json_each(?1, '$.documents') d, json_each(d.value, '$.pages') p"
	" UNION SELECT json_extract(p.value, '$.words_sha256')"
	"  FROM json_each(?1, '$.documents') d, json_each(d.value, '$.pages') p";

/* Every blob sohoa.json names must be a member of the bundle. */
static int
store_blobs(struct imp *im)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	char got[SOHOA_SHA256_HEX];
	int rc, r;

	rc = prepare(im, blobs_sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(st, 0);
		const struct bundle_member *m;

		if (sha == NULL)
			continue;
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT || !is_sha256(sha)) {
			rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
			    "'%s' names a blob '%s' that is not a SHA-256",
			    PKG_SOHOA_JSON, sha);
			break;
		}
		m = bundle_find_hash(im->b, sha);
		if (m == NULL) {
			rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
			    "the bundle does not carry blob %s named in '%s'",
			    sha, PKG_SOHOA_JSON);
			break;
		}
		if (sohoa_store_has(im->a, sha))
			continue;
		sohoa_buf_reset(&path);
		sohoa_buf_addf(&path, "%s/%s", im->b->tmpdir.path.buf, m->name);
		rc = sohoa_store_put_file(im->a, path.buf, sha, got);
		im->res->nblobs++;
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': %s", PKG_SOHOA_JSON,
		    sqlite3_errmsg(im->db));
	sqlite3_finalize(st);
	sohoa_buf_release(&path);
	return rc;
}

static int
step(struct imp *im, sqlite3_stmt *st, const char *what)
{
	int r = sqlite3_step(st);

	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return dberr(im, what);
	return SOHOA_OK;
}

static int
import_meta(struct imp *im, int64_t dossier_id)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	int rc;

	rc = prepare(im, "SELECT key, value FROM json_each(?1, '$.dossier.meta')",
	    &st);
	if (rc == SOHOA_OK)
		rc = prepare(im, "INSERT INTO dossier_meta(dossier_id, key, value)"
		    " VALUES (?1, ?2, ?3) ON CONFLICT(dossier_id, key) DO UPDATE"
		    " SET value = excluded.value WHERE value IS NOT excluded.value",
		    &up);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	while (rc == SOHOA_OK && sqlite3_step(st) == SQLITE_ROW) {
		struct sohoa_buf norm = SOHOA_BUF_INIT;
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const char *value = (const char *)sqlite3_column_text(st, 1);

		if (key == NULL || value == NULL)
			continue;
		/* the same checks as 'sohoa dossier set' */
		rc = sohoa_dossier_meta_check(im->ctx, key, value, &norm);
		if (rc != SOHOA_OK) {
			sohoa_wrap_error(im->ctx, "dossier metadata in the"
			    " bundle: ");
			sohoa_buf_release(&norm);
			break;
		}
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, dossier_id);
		sqlite3_bind_text(up, 2, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 3, norm.buf, -1, SQLITE_TRANSIENT);
		rc = step(im, up, "dossier metadata");
		sohoa_buf_release(&norm);
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

static int
import_files(struct imp *im, int64_t dossier_id, const char *now)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(im, "INSERT INTO files(sha256, dossier_id, path, name,"
	    " format, size, npages, done, ingested_at)"
	    " SELECT json_extract(f.value, '$.sha256'), ?2,"
	    "  'bundle:' || json_extract(f.value, '$.member'),"
	    "  json_extract(f.value, '$.name'), json_extract(f.value, '$.format'),"
	    "  json_extract(f.value, '$.size'), json_extract(f.value, '$.npages'),"
	    "  1, ?3 FROM json_each(?1, '$.files') f WHERE 1"
	    " ON CONFLICT(sha256) DO NOTHING", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, dossier_id);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	rc = step(im, st, "files");
	sqlite3_finalize(st);
	return rc;
}

static const char doc_sql[] =
	"INSERT INTO documents(dossier_id, file_id, first_page, npages, ordinal,"
	" doc_type, title, doc_date, confidence, pdf_sha256, created_at)"
	" SELECT ?2, f.id, json_extract(?1, '$.first_page'),"
	"  json_extract(?1, '$.npages'), json_extract(?1, '$.ordinal'),"
	"  coalesce(json_extract(?1, '$.doc_type'), 'other'),"
	"  coalesce(json_extract(?1, '$.title'), ''),"
	"  json_extract(?1, '$.doc_date'),"
	"  coalesce(json_extract(?1, '$.confidence'), 0),"
	"  json_extract(?1, '$.pdf_sha256'),"
	"  coalesce(json_extract(?1, '$.created_at'), ?3)"
	" FROM files f WHERE f.sha256 = json_extract(?1, '$.file_sha256')"
	" ON CONFLICT(file_id, first_page) DO UPDATE SET"
	"  dossier_id = excluded.dossier_id, npages = excluded.npages,"
	"  ordinal = excluded.ordinal, doc_type = excluded.doc_type,"
	"  title = excluded.title, doc_date = excluded.doc_date,"
	"  confidence = excluded.confidence, pdf_sha256 = excluded.pdf_sha256"
	" WHERE dossier_id IS NOT excluded.dossier_id"
	"  OR npages IS NOT excluded.npages OR ordinal IS NOT excluded.ordinal"
	"  OR doc_type IS NOT excluded.doc_type OR title IS NOT excluded.title"
	"  OR doc_date IS NOT excluded.doc_date"
	"  OR confidence IS NOT excluded.confidence"
	"  OR pdf_sha256 IS NOT excluded.pdf_sha256";

static const char pages_sql[] =
	"INSERT INTO pages(file_id, document_id, pageno, status, orientation,"
	" skew, confidence, width, height, dpi, image_sha256, image_type,"
	" hocr_sha256, words_sha256, text, error)"
	" SELECT ?2, ?3, json_extract(p.value, '$.pageno'),"
	"  coalesce(json_extract(p.value, '$.status'), 'ok'),"
	"  coalesce(json_extract(p.value, '$.orientation'), 0),"
	"  coalesce(json_extract(p.value, '$.skew'), 0),"
	"  coalesce(json_extract(p.value, '$.confidence'), 0),"
	"  coalesce(json_extract(p.value, '$.width'), 0),"
	"  coalesce(json_extract(p.value, '$.height'), 0),"
	"  coalesce(json_extract(p.value, '$.dpi'), 0),"
	"  json_extract(p.value, '$.image_sha256'),"
	"  json_extract(p.value, '$.image_type'),"
	"  json_extract(p.value, '$.hocr_sha256'),"
	"  json_extract(p.value, '$.words_sha256'),"
	"  coalesce(json_extract(p.value, '$.text'), ''),"
	"  json_extract(p.value, '$.error')"
	" FROM json_each(?1, '$.pages') p WHERE 1"
	" ON CONFLICT(file_id, pageno) DO UPDATE SET"
	"  document_id = excluded.document_id, status = excluded.status,"
	"  orientation = excluded.orientation, skew = excluded.skew,"
	"  confidence = excluded.confidence, width = excluded.width,"
	"  height = excluded.height, dpi = excluded.dpi,"
	"  image_sha256 = excluded.image_sha256,"
	"  image_type = excluded.image_type, hocr_sha256 = excluded.hocr_sha256,"
	"  words_sha256 = excluded.words_sha256, text = excluded.text,"
	"  error = excluded.error"
	" WHERE document_id IS NOT excluded.document_id"
	"  OR status IS NOT excluded.status"
	"  OR orientation IS NOT excluded.orientation"
	"  OR skew IS NOT excluded.skew OR confidence IS NOT excluded.confidence"
	"  OR width IS NOT excluded.width OR height IS NOT excluded.height"
	"  OR dpi IS NOT excluded.dpi"
	"  OR image_sha256 IS NOT excluded.image_sha256"
	"  OR image_type IS NOT excluded.image_type"
	"  OR hocr_sha256 IS NOT excluded.hocr_sha256"
	"  OR words_sha256 IS NOT excluded.words_sha256"
	"  OR text IS NOT excluded.text OR error IS NOT excluded.error";

static const char fields_sql[] =
	"INSERT INTO fields(document_id, key, value, raw, conf, flagged,"
	" corrected)"
	" SELECT ?2, json_extract(f.value, '$.key'),"
	"  coalesce(json_extract(f.value, '$.value'), ''),"
	"  json_extract(f.value, '$.raw'),"
	"  coalesce(json_extract(f.value, '$.conf'), 0),"
	"  coalesce(json_extract(f.value, '$.flagged'), 0),"
	"  coalesce(json_extract(f.value, '$.corrected'), 0)"
	" FROM json_each(?1, '$.fields') f WHERE 1"
	" ON CONFLICT(document_id, key) DO UPDATE SET value = excluded.value,"
	"  raw = excluded.raw, conf = excluded.conf, flagged = excluded.flagged,"
	"  corrected = excluded.corrected"
	" WHERE value IS NOT excluded.value OR raw IS NOT excluded.raw"
	"  OR conf IS NOT excluded.conf OR flagged IS NOT excluded.flagged"
	"  OR corrected IS NOT excluded.corrected";

/* Fields the bundle does not have for the document go. */
static const char fields_del_sql[] =
	"DELETE FROM fields WHERE document_id = ?2 AND key NOT IN"
	" (SELECT json_extract(f.value, '$.key') FROM json_each(?1, '$.fields') f)";

static int
import_documents(struct imp *im, int64_t dossier_id, const char *now)
{
	sqlite3_stmt *docs = NULL, *ins = NULL, *id = NULL, *pages = NULL;
	sqlite3_stmt *fields = NULL, *fdel = NULL;
	int rc, r;

	rc = prepare(im, "SELECT value FROM json_each(?1, '$.documents')",
	    &docs);
	if (rc == SOHOA_OK)
		rc = prepare(im, doc_sql, &ins);
	if (rc == SOHOA_OK)
		rc = prepare(im, "SELECT d.id, d.file_id FROM documents d"
		    " JOIN files f ON f.id = d.file_id WHERE f.sha256 ="
		    " json_extract(?1, '$.file_sha256') AND d.first_page ="
		    " json_extract(?1, '$.first_page')", &id);
	if (rc == SOHOA_OK)
		rc = prepare(im, pages_sql, &pages);
	if (rc == SOHOA_OK)
		rc = prepare(im, fields_sql, &fields);
	if (rc == SOHOA_OK)
		rc = prepare(im, fields_del_sql, &fdel);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(docs, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	while (rc == SOHOA_OK && (r = sqlite3_step(docs)) == SQLITE_ROW) {
		const char *dj = (const char *)sqlite3_column_text(docs, 0);
		int n = sqlite3_column_bytes(docs, 0);
		int64_t doc_id, file_id;
		int before = sqlite3_total_changes(im->db);

		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, dj, n, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, dossier_id);
		sqlite3_bind_text(ins, 3, now, -1, SQLITE_STATIC);
		rc = step(im, ins, "a document");
		if (rc != SOHOA_OK)
			break;
		sqlite3_reset(id);
		sqlite3_bind_text(id, 1, dj, n, SQLITE_TRANSIENT);
		if (sqlite3_step(id) != SQLITE_ROW) {
			rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
			    "'%s' has a document whose file is not in the"
			    " bundle", PKG_SOHOA_JSON);
			break;
		}
		doc_id = sqlite3_column_int64(id, 0);
		file_id = sqlite3_column_int64(id, 1);
		sqlite3_reset(pages);
		sqlite3_bind_text(pages, 1, dj, n, SQLITE_TRANSIENT);
		sqlite3_bind_int64(pages, 2, file_id);
		sqlite3_bind_int64(pages, 3, doc_id);
		rc = step(im, pages, "pages");
		if (rc == SOHOA_OK) {
			sqlite3_reset(fields);
			sqlite3_bind_text(fields, 1, dj, n, SQLITE_TRANSIENT);
			sqlite3_bind_int64(fields, 2, doc_id);
			rc = step(im, fields, "fields");
		}
		if (rc == SOHOA_OK) {
			sqlite3_reset(fdel);
			sqlite3_bind_text(fdel, 1, dj, n, SQLITE_TRANSIENT);
			sqlite3_bind_int64(fdel, 2, doc_id);
			rc = step(im, fdel, "fields");
		}
		/* the index is rebuilt only for a document that changed */
		if (rc == SOHOA_OK && sqlite3_total_changes(im->db) != before)
			rc = sohoa_fts_index_document(im->ctx, im->db, doc_id);
		im->res->ndocuments++;
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = dberr(im, "documents");
	if (rc == SOHOA_OK) {
		sqlite3_stmt *c = NULL;

		rc = prepare(im, "SELECT (SELECT count(*) FROM json_each(?1,"
		    " '$.documents') d, json_each(d.value, '$.pages')),"
		    " (SELECT count(*) FROM json_each(?1, '$.documents') d,"
		    " json_each(d.value, '$.fields'))", &c);
		if (rc == SOHOA_OK) {
			sqlite3_bind_text(c, 1, im->json.buf, (int)im->json.len,
			    SQLITE_STATIC);
			if (sqlite3_step(c) == SQLITE_ROW) {
				im->res->npages = (size_t)sqlite3_column_int64(c, 0);
				im->res->nfields = (size_t)sqlite3_column_int64(c, 1);
			}
		}
		sqlite3_finalize(c);
	}
out:
	sqlite3_finalize(docs);
	sqlite3_finalize(ins);
	sqlite3_finalize(id);
	sqlite3_finalize(pages);
	sqlite3_finalize(fields);
	sqlite3_finalize(fdel);
	return rc;
}

void
sohoa_import_result_init(struct sohoa_import_result *r)
{
	memset(r, 0, sizeof(*r));
	sohoa_buf_init(&r->dossier);
}

void
sohoa_import_result_release(struct sohoa_import_result *r)
{
	sohoa_buf_release(&r->dossier);
}

int
sohoa_bundle_import(struct sohoa_archive *a, const struct sohoa_bundle *b,
    struct sohoa_import_result *res)
{
	struct imp im;
	struct sohoa_buf path = SOHOA_BUF_INIT, now = SOHOA_BUF_INIT;
	FILE *f = NULL;
	char buf[65536];
	size_t n;
	int64_t dossier_id = 0;
	int rc = SOHOA_OK, began = 0, before;

	memset(&im, 0, sizeof(im));
	im.a = a;
	im.ctx = sohoa_archive_ctx(a);
	im.db = sohoa_archive_db(a);
	im.b = b;
	im.res = res;
	sohoa_buf_init(&im.json);
	sohoa_buf_reset(&res->dossier);
	res->dossier_id = 0;
	res->ndocuments = res->npages = res->nfields = res->nblobs = 0;
	res->changed = 0;
	if (!b->report.valid)
		return sohoa_set_error(im.ctx, SOHOA_ERR_INVALID,
		    "bundle '%s' is not valid: %s", b->path.buf, b->reason.buf);
	sohoa_buf_addf(&path, "%s/%s", b->pkgdir.buf, PKG_SOHOA_JSON);
	f = fopen(path.buf, "rb");
	if (f == NULL) {
		rc = sohoa_set_error(im.ctx, SOHOA_ERR_FORMAT,
		    "bundle '%s' has no '%s': it was not made by sohoa",
		    b->path.buf, PKG_SOHOA_JSON);
		goto out;
	}
	while (rc == SOHOA_OK && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = sohoa_buf_add(&im.json, buf, n);
	fclose(f);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(im.ctx, rc, "'%s' is too large",
		    PKG_SOHOA_JSON);
		goto out;
	}
	{
		sqlite3_stmt *st = NULL;

		rc = prepare(&im, "SELECT json_valid(?1) AND"
		    " json_extract(?1, '$.format') = 'sohoa-dossier' AND"
		    " json_extract(?1, '$.version') = 1,"
		    " json_extract(?1, '$.dossier.code')", &st);
		if (rc == SOHOA_OK) {
			sqlite3_bind_text(st, 1, im.json.buf, (int)im.json.len,
			    SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_ROW ||
			    !sqlite3_column_int(st, 0) ||
			    sqlite3_column_type(st, 1) != SQLITE_TEXT)
				rc = sohoa_set_error(im.ctx, SOHOA_ERR_FORMAT,
				    "'%s' in bundle '%s' is not a sohoa dossier"
				    " (version 1)", PKG_SOHOA_JSON, b->path.buf);
			else
				sohoa_buf_adds(&res->dossier,
				    (const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = sohoa_archive_lock(a);
	if (rc == SOHOA_OK)
		rc = store_blobs(&im);
	if (rc != SOHOA_OK)
		goto out;
	sohoa_archive_now(&now);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	began = 1;
	before = sqlite3_total_changes(im.db);
	rc = sohoa_archive_dossier_get(a, res->dossier.buf, 1, &dossier_id);
	if (rc == SOHOA_OK)
		rc = import_meta(&im, dossier_id);
	if (rc == SOHOA_OK)
		rc = import_files(&im, dossier_id, now.buf);
	if (rc == SOHOA_OK)
		rc = import_documents(&im, dossier_id, now.buf);
	if (rc == SOHOA_OK) {
		res->dossier_id = dossier_id;
		res->changed = sqlite3_total_changes(im.db) != before;
		rc = sohoa_archive_commit(a);
		began = 0;
	}
out:
	if (began)
		sohoa_archive_rollback(a);
	sohoa_buf_release(&im.json);
	sohoa_buf_release(&path);
	sohoa_buf_release(&now);
	return rc;
}
