/*
 * Import: merge an archive's rows, as a bundle carries them, into this
 * archive (bundle/import.c checks the bundle and its signer first).
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
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "archive_private.h"
#include "fts.h"

/* Where an archive's rows travel in a bundle (bundle/: PKG_SOHOA_JSON). */
#define PKG_SOHOA_JSON "metadata/other/sohoa.json"

struct imp {
	struct sohoa_archive *a;
	struct sohoa_ctx *ctx;
	sqlite3 *db;
	const struct sohoa_import_source *src;
	struct sohoa_buf json;
	struct sohoa_buf source;	/* "bundle:<sha256 of the file>" */
	struct sohoa_buf now;
	int64_t dossier_id;
	struct sohoa_import_result *res;
};

static int conflict(struct imp *im, int64_t doc_id, const char *key,
    const char *local, const char *theirs, const char *why);

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
	sqlite3_stmt *st = NULL;
	int rc, r, healed;

	rc = prepare(im, blobs_sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(st, 0);
		const char *member;

		if (sha == NULL)
			continue;
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT || !is_sha256(sha)) {
			rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
			    "'%s' names a blob '%s' that is not a SHA-256",
			    PKG_SOHOA_JSON, sha);
			break;
		}
		member = im->src->blob_path(im->src->arg, sha);
		if (member == NULL) {
			rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
			    "the bundle does not carry blob %s named in '%s'",
			    sha, PKG_SOHOA_JSON);
			break;
		}
		/* a blob missing or damaged here is restored from the bundle */
		rc = sohoa_store_heal(im->a, member, sha, &healed);
		if (healed)
			im->res->nblobs++;
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': %s", PKG_SOHOA_JSON,
		    sqlite3_errmsg(im->db));
	sqlite3_finalize(st);
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

/*
 * Dossier metadata: keys the archive lacks are added; a key it has with
 * another value keeps the archive's value and is reported.
 */
static int
import_meta(struct imp *im)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	struct sohoa_buf norm = SOHOA_BUF_INIT, key = SOHOA_BUF_INIT;
	int rc;

	rc = prepare(im, "SELECT b.key, b.value, l.value FROM json_each(?1,"
	    " '$.dossier.meta') b LEFT JOIN dossier_meta l"
	    " ON l.dossier_id = ?2 AND l.key = b.key", &st);
	if (rc == SOHOA_OK)
		rc = prepare(im, "INSERT INTO dossier_meta(dossier_id, key, value)"
		    " VALUES (?1, ?2, ?3)", &up);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, im->dossier_id);
	while (rc == SOHOA_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *value = (const char *)sqlite3_column_text(st, 1);
		const char *local = (const char *)sqlite3_column_text(st, 2);

		if (k == NULL || value == NULL)
			continue;
		/* the same checks as 'sohoa dossier set' */
		sohoa_buf_reset(&norm);
		rc = im->src->meta_check(im->ctx, k, value, &norm);
		if (rc != SOHOA_OK) {
			sohoa_wrap_error(im->ctx, "dossier metadata in the"
			    " bundle: ");
			break;
		}
		if (local != NULL) {
			if (strcmp(local, norm.buf) != 0) {
				sohoa_buf_reset(&key);
				sohoa_buf_addf(&key, "dossier.%s", k);
				rc = conflict(im, 0, key.buf, local, norm.buf,
				    "the archive's dossier metadata is kept");
			}
			continue;
		}
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, im->dossier_id);
		sqlite3_bind_text(up, 2, k, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 3, norm.buf, -1, SQLITE_TRANSIENT);
		rc = step(im, up, "dossier metadata");
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	sohoa_buf_release(&norm);
	sohoa_buf_release(&key);
	return rc;
}

static int
import_files(struct imp *im)
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
	sqlite3_bind_int64(st, 2, im->dossier_id);
	sqlite3_bind_text(st, 3, im->now.buf, -1, SQLITE_STATIC);
	rc = step(im, st, "files");
	sqlite3_finalize(st);
	return rc;
}

/*
 * A document of the bundle, as sohoa.json has it.  Strings point into
 * the statement that read them and live until the next step.
 */
struct bdoc {
	const char *json;	/* the document's object */
	int json_len;
	const char *file_sha256;
	int first_page;
	int ordinal;
	const char *doc_type;
};

/* Record a conflict in the result (and, once, in the history). */
static int
conflict(struct imp *im, int64_t doc_id, const char *key, const char *local,
    const char *theirs, const char *why)
{
	struct sohoa_import_result *r = im->res;
	struct sohoa_import_conflict *c;
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	int rc, seen = 0;

	if (r->nconflicts == r->aconflicts) {
		size_t n = r->aconflicts ? 2 * r->aconflicts : 8;

		c = realloc(r->conflicts, n * sizeof(*c));
		if (c == NULL)
			return sohoa_set_error(im->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		r->conflicts = c;
		r->aconflicts = n;
	}
	c = &r->conflicts[r->nconflicts];
	memset(c, 0, sizeof(*c));
	c->doc_id = doc_id;
	if ((key && !(c->key = strdup(key))) ||
	    (local && !(c->local = strdup(local))) ||
	    (theirs && !(c->bundle = strdup(theirs))) ||
	    !(c->why = strdup(why))) {
		free(c->key);
		free(c->local);
		free(c->bundle);
		return sohoa_set_error(im->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	r->nconflicts++;
	/* the same conflict from the same bundle is written once */
	rc = prepare(im, "SELECT 1 FROM events WHERE action = ?1 AND"
	    " document_id IS ?2 AND key IS ?3 AND old_value IS ?4 AND"
	    " new_value IS ?5 AND source = ?6", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, SOHOA_EV_IMPORT_CONFLICT, -1, SQLITE_STATIC);
	if (doc_id)
		sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, local, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, theirs, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, im->source.buf, -1, SQLITE_STATIC);
	seen = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (seen)
		return SOHOA_OK;
	memset(&ev, 0, sizeof(ev));
	ev.action = SOHOA_EV_IMPORT_CONFLICT;
	ev.source = im->source.buf;
	ev.document_id = doc_id;
	ev.dossier_id = im->dossier_id;
	ev.key = key;
	ev.old_value = local;
	ev.new_value = theirs;
	ev.detail = NULL;
	return sohoa_archive_event_add(im->a, &ev, NULL);
}

static int
exec_doc(struct imp *im, const char *sql, const struct bdoc *d,
    int64_t a2, int64_t a3, const char *what)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(im, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->json, d->json_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a2);
	sqlite3_bind_int64(st, 3, a3);
	rc = step(im, st, what);
	sqlite3_finalize(st);
	return rc;
}

/*
 * The file a page of the bundle (json_each row J) is a page of: its own
 * file_sha256 (a document can go on over files; pages_files_known made
 * sure the archive has it), else the document's file (?2; bundles made
 * before pages named their file).
 */
#define PAGE_FILE(j) "coalesce((SELECT id FROM files WHERE sha256 ="\
	" json_extract(" j ".value, '$.file_sha256')), ?2)"

/*
 * Every page that names its original (file_sha256) names one the bundle
 * carries: else the page would be taken as a page of the document's own
 * file, and silently lost or put on another page's place.
 */
static int
pages_files_known(struct imp *im, const struct bdoc *d)
{
	sqlite3_stmt *st = NULL;
	int rc, bad;

	rc = prepare(im, "SELECT 1 FROM json_each(?1, '$.pages') j"
	    " WHERE json_type(j.value, '$.file_sha256') IS NOT NULL AND"
	    " NOT EXISTS (SELECT 1 FROM files WHERE sha256 ="
	    "  json_extract(j.value, '$.file_sha256')) LIMIT 1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->json, d->json_len, SQLITE_STATIC);
	bad = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (bad)
		return sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT, "'%s' has a"
		    " page whose original is not in the bundle", PKG_SOHOA_JSON);
	return SOHOA_OK;
}

/*
 * The pages of the bundle's document that the archive already gives to
 * another live document: *powner is that document, 0 when none.
 */
static int
pages_owner(struct imp *im, const struct bdoc *d, int64_t file_id,
    int64_t *powner)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*powner = 0;
	rc = prepare(im, "SELECT p.document_id FROM json_each(?1, '$.pages') j"
	    " JOIN pages p ON p.file_id = " PAGE_FILE("j") " AND"
	    "  p.pageno = json_extract(j.value, '$.pageno')"
	    " JOIN documents d ON d.id = p.document_id"
	    " WHERE d.deleted_at IS NULL LIMIT 1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->json, d->json_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, file_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*powner = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return SOHOA_OK;
}

/* Pages the archive does not have yet; they join DOC_ID when free. */
static const char pages_sql[] =
	"INSERT INTO pages(file_id, document_id, pageno, seq, status,"
	" orientation, skew, confidence, width, height, dpi, image_sha256,"
	" image_type, hocr_sha256, words_sha256, text, error)"
	" SELECT " PAGE_FILE("p") ", ?3, json_extract(p.value, '$.pageno'),"
	"  p.key,"
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
	"  document_id = excluded.document_id, seq = excluded.seq"
	" WHERE document_id IS NULL";

/* A document the archive does not have: added whole, at the end. */
static int
add_document(struct imp *im, const struct bdoc *d, int64_t file_id,
    int64_t *pdoc)
{
	sqlite3_stmt *st = NULL;
	int64_t ordinal, id;
	int rc, taken;

	*pdoc = 0;
	/* its own place in the dossier when free, else after the others */
	rc = prepare(im, "SELECT EXISTS (SELECT 1 FROM documents WHERE"
	    " dossier_id = ?1 AND ordinal = ?2 AND deleted_at IS NULL),"
	    " (SELECT coalesce(max(ordinal), 0) + 1 FROM documents WHERE"
	    " dossier_id = ?1)", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, im->dossier_id);
	sqlite3_bind_int(st, 2, d->ordinal);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return dberr(im, "a document");
	}
	taken = sqlite3_column_int(st, 0);
	ordinal = d->ordinal > 0 && !taken ? d->ordinal :
	    sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	rc = prepare(im, "INSERT INTO documents(dossier_id, file_id,"
	    " first_page, npages, ordinal, doc_type, title, doc_date,"
	    " confidence, pdf_sha256, created_at) VALUES (?2, ?3,"
	    "  json_extract(?1, '$.first_page'), json_extract(?1, '$.npages'),"
	    "  ?4, coalesce(json_extract(?1, '$.doc_type'), 'other'),"
	    "  coalesce(json_extract(?1, '$.title'), ''),"
	    "  json_extract(?1, '$.doc_date'),"
	    "  coalesce(json_extract(?1, '$.confidence'), 0),"
	    "  json_extract(?1, '$.pdf_sha256'),"
	    "  coalesce(json_extract(?1, '$.created_at'), ?5))", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->json, d->json_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, im->dossier_id);
	sqlite3_bind_int64(st, 3, file_id);
	sqlite3_bind_int64(st, 4, ordinal);
	sqlite3_bind_text(st, 5, im->now.buf, -1, SQLITE_STATIC);
	rc = step(im, st, "a document");
	sqlite3_finalize(st);
	if (rc != SOHOA_OK)
		return rc;
	id = sqlite3_last_insert_rowid(im->db);
	rc = exec_doc(im, pages_sql, d, file_id, id, "pages");
	if (rc == SOHOA_OK)
		rc = exec_doc(im, "INSERT INTO fields(document_id, key, value,"
		    " raw, conf, flagged, corrected, changed_at, changed_by)"
		    " SELECT ?2, json_extract(f.value, '$.key'),"
		    "  coalesce(json_extract(f.value, '$.value'), ''),"
		    "  json_extract(f.value, '$.raw'),"
		    "  coalesce(json_extract(f.value, '$.conf'), 0),"
		    "  coalesce(json_extract(f.value, '$.flagged'), 0),"
		    "  coalesce(json_extract(f.value, '$.corrected'), 0),"
		    "  json_extract(f.value, '$.changed_at'),"
		    "  json_extract(f.value, '$.changed_by')"
		    " FROM json_each(?1, '$.fields') f",
		    d, id, 0, "fields");
	if (rc == SOHOA_OK)
		*pdoc = id;
	return rc;
}

/*
 * Merge the bundle's fields into local document DOC_ID.  A value the
 * archive lacks is added; a different one replaces the local value only
 * when a person set it later than the local one was set (changed_at,
 * compared as instants, NULL being as OCR read it); otherwise the local
 * value stays and the difference is a conflict.  Nothing is deleted.
 * *pchanged counts the fields changed.
 */
static int
merge_fields(struct imp *im, const struct bdoc *d, int64_t doc_id,
    int *pchanged)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	struct sohoa_event ev;
	int rc, r;

	*pchanged = 0;
	rc = prepare(im, "SELECT json_extract(b.value, '$.key') AS k,"
	    "  coalesce(json_extract(b.value, '$.value'), ''),"
	    "  json_extract(b.value, '$.changed_at'),"
	    "  json_extract(b.value, '$.changed_by'),"
	    "  l.value, l.changed_at,"
	    "  l.key IS NULL OR (json_extract(b.value, '$.changed_at')"
	    "   IS NOT NULL AND (l.changed_at IS NULL OR"
	    "   julianday(json_extract(b.value, '$.changed_at')) >"
	    "   julianday(l.changed_at)))"
	    " FROM json_each(?1, '$.fields') b LEFT JOIN fields l"
	    "  ON l.document_id = ?2 AND l.key = json_extract(b.value, '$.key')"
	    " WHERE l.value IS NOT coalesce(json_extract(b.value, '$.value'),"
	    "  '') ORDER BY k", &st);
	if (rc == SOHOA_OK)
		rc = prepare(im, "INSERT INTO fields(document_id, key, value,"
		    " raw, conf, flagged, corrected, changed_at, changed_by)"
		    " SELECT ?2, json_extract(b.value, '$.key'),"
		    "  coalesce(json_extract(b.value, '$.value'), ''),"
		    "  json_extract(b.value, '$.raw'),"
		    "  coalesce(json_extract(b.value, '$.conf'), 0),"
		    "  coalesce(json_extract(b.value, '$.flagged'), 0),"
		    "  coalesce(json_extract(b.value, '$.corrected'), 0),"
		    "  json_extract(b.value, '$.changed_at'),"
		    "  json_extract(b.value, '$.changed_by')"
		    " FROM json_each(?1, '$.fields') b"
		    " WHERE json_extract(b.value, '$.key') = ?3"
		    " ON CONFLICT(document_id, key) DO UPDATE SET"
		    "  value = excluded.value, raw = excluded.raw,"
		    "  conf = excluded.conf, flagged = excluded.flagged,"
		    "  corrected = excluded.corrected,"
		    "  changed_at = excluded.changed_at,"
		    "  changed_by = excluded.changed_by", &up);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, d->json, d->json_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, doc_id);
	while (rc == SOHOA_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const char *theirs = (const char *)sqlite3_column_text(st, 1);
		const char *by = (const char *)sqlite3_column_text(st, 3);
		const char *local = (const char *)sqlite3_column_text(st, 4);
		const char *local_at = (const char *)sqlite3_column_text(st, 5);

		if (key == NULL)
			continue;
		if (!sqlite3_column_int(st, 6)) {
			rc = conflict(im, doc_id, key, local, theirs, local_at ?
			    "the local value was set later" :
			    "the two readings differ; the local one is kept");
			continue;
		}
		sqlite3_reset(up);
		sqlite3_bind_text(up, 1, d->json, d->json_len, SQLITE_STATIC);
		sqlite3_bind_int64(up, 2, doc_id);
		sqlite3_bind_text(up, 3, key, -1, SQLITE_TRANSIENT);
		rc = step(im, up, "fields");
		if (rc != SOHOA_OK)
			break;
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_FIELD_SET;
		ev.who = by ? by : "import";
		ev.source = im->source.buf;
		ev.document_id = doc_id;
		ev.key = key;
		ev.old_value = local;
		ev.new_value = theirs;
		rc = sohoa_archive_event_add(im->a, &ev, NULL);
		(*pchanged)++;
		im->res->fields_taken++;
	}
	if (rc == SOHOA_OK && r != SQLITE_DONE)
		rc = dberr(im, "fields");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

/* The document's type follows its doc_type field when that was taken. */
static int
sync_type(struct imp *im, int64_t doc_id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(im, "UPDATE documents SET doc_type = (SELECT value FROM"
	    " fields WHERE document_id = ?1 AND key = 'doc_type')"
	    " WHERE id = ?1 AND EXISTS (SELECT 1 FROM fields WHERE"
	    " document_id = ?1 AND key = 'doc_type' AND value <> ''"
	    " AND value IS NOT documents.doc_type)", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, doc_id);
	rc = step(im, st, "a document");
	sqlite3_finalize(st);
	return rc;
}

static int
note_added(struct imp *im, int64_t doc_id, const char *doc_type)
{
	struct sohoa_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.action = SOHOA_EV_IMPORT;
	ev.source = im->source.buf;
	ev.document_id = doc_id;
	ev.dossier_id = im->dossier_id;
	ev.new_value = doc_type;
	return sohoa_archive_event_add(im->a, &ev, NULL);
}

static int
import_document(struct imp *im, const struct bdoc *d)
{
	sqlite3_stmt *st = NULL;
	int64_t file_id = 0, doc_id = 0, dossier_id = 0, owner;
	char *deleted = NULL, *where = NULL;
	int rc, changed = 0, found = 0;

	rc = prepare(im, "SELECT f.id, d.id, d.dossier_id, d.deleted_at,"
	    " (SELECT code FROM dossiers WHERE id = d.dossier_id)"
	    " FROM files f LEFT JOIN documents d ON d.file_id = f.id"
	    "  AND d.first_page = ?2 WHERE f.sha256 = ?1", &st);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->file_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, d->first_page);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		file_id = sqlite3_column_int64(st, 0);
		doc_id = sqlite3_column_int64(st, 1);
		dossier_id = sqlite3_column_int64(st, 2);
		if (sqlite3_column_text(st, 3) != NULL)
			deleted = strdup((const char *)
			    sqlite3_column_text(st, 3));
		if (sqlite3_column_text(st, 4) != NULL)
			where = strdup((const char *)
			    sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	if (!found) {
		rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT, "'%s' has a"
		    " document whose file is not in the bundle", PKG_SOHOA_JSON);
		goto out;
	}
	rc = pages_files_known(im, d);
	if (rc != SOHOA_OK)
		goto out;
	if (doc_id == 0) {
		rc = pages_owner(im, d, file_id, &owner);
		if (rc == SOHOA_OK && owner != 0) {
			/* the archive split that file otherwise: keep its way */
			rc = conflict(im, owner, NULL, NULL, d->doc_type,
			    "its pages belong to another document here; the"
			    " bundle's document was not added");
			im->res->skipped++;
			goto out;
		}
		if (rc == SOHOA_OK)
			rc = add_document(im, d, file_id, &doc_id);
		if (rc == SOHOA_OK)
			rc = note_added(im, doc_id, d->doc_type);
		if (rc == SOHOA_OK)
			rc = sohoa_fts_index_document(im->ctx, im->db, doc_id);
		im->res->added++;
		goto out;
	}
	if (deleted != NULL) {
		rc = conflict(im, doc_id, NULL, deleted, d->doc_type,
		    "deleted here; not brought back");
		im->res->skipped++;
		goto out;
	}
	if (dossier_id != im->dossier_id) {
		/* not moved: the archive's own filing stands */
		rc = conflict(im, doc_id, "dossier", where, im->res->dossier.buf,
		    "filed in another dossier here; not moved");
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = merge_fields(im, d, doc_id, &changed);
	if (rc == SOHOA_OK)
		rc = exec_doc(im, pages_sql, d, file_id, doc_id, "pages");
	if (rc == SOHOA_OK && sqlite3_changes(im->db) > 0)
		changed++;
	if (rc == SOHOA_OK && changed) {
		rc = sync_type(im, doc_id);
		if (rc == SOHOA_OK)
			rc = sohoa_archive_doc_summary(im->a, doc_id);
		if (rc == SOHOA_OK)
			rc = sohoa_fts_index_document(im->ctx, im->db, doc_id);
		im->res->updated++;
	} else
		im->res->unchanged++;
out:
	free(deleted);
	free(where);
	return rc;
}

static int
import_documents(struct imp *im)
{
	sqlite3_stmt *docs = NULL;
	struct bdoc d;
	int rc, r;

	rc = prepare(im, "SELECT value, json_extract(value, '$.file_sha256'),"
	    " json_extract(value, '$.first_page'),"
	    " json_extract(value, '$.ordinal'),"
	    " coalesce(json_extract(value, '$.doc_type'), 'other')"
	    " FROM json_each(?1, '$.documents')"
	    " ORDER BY json_extract(value, '$.ordinal')", &docs);
	if (rc != SOHOA_OK)
		return rc;
	sqlite3_bind_text(docs, 1, im->json.buf, (int)im->json.len,
	    SQLITE_STATIC);
	while (rc == SOHOA_OK && (r = sqlite3_step(docs)) == SQLITE_ROW) {
		memset(&d, 0, sizeof(d));
		d.json = (const char *)sqlite3_column_text(docs, 0);
		d.json_len = sqlite3_column_bytes(docs, 0);
		d.file_sha256 = (const char *)sqlite3_column_text(docs, 1);
		d.first_page = sqlite3_column_int(docs, 2);
		d.ordinal = sqlite3_column_int(docs, 3);
		d.doc_type = (const char *)sqlite3_column_text(docs, 4);
		if (d.json == NULL || d.file_sha256 == NULL ||
		    sqlite3_column_type(docs, 2) != SQLITE_INTEGER) {
			rc = sohoa_set_error(im->ctx, SOHOA_ERR_FORMAT, "'%s'"
			    " has a document without its file and first page",
			    PKG_SOHOA_JSON);
			break;
		}
		rc = import_document(im, &d);
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
	sqlite3_finalize(docs);
	return rc;
}

void
sohoa_import_result_init(struct sohoa_import_result *r)
{
	memset(r, 0, sizeof(*r));
	sohoa_buf_init(&r->dossier);
	sohoa_buf_init(&r->untrusted);
}

void
sohoa_import_result_release(struct sohoa_import_result *r)
{
	size_t i;

	for (i = 0; i < r->nconflicts; i++) {
		free(r->conflicts[i].key);
		free(r->conflicts[i].local);
		free(r->conflicts[i].bundle);
		free(r->conflicts[i].why);
	}
	free(r->conflicts);
	r->conflicts = NULL;
	r->nconflicts = r->aconflicts = 0;
	sohoa_buf_release(&r->dossier);
	sohoa_buf_release(&r->untrusted);
}

/* The import itself, in the history: who signed it, what it did. */
static int
note_import(struct imp *im)
{

	struct sohoa_buf detail = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	struct sohoa_json j;
	int rc;

	sohoa_json_init(&j, &detail, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "signer");
	sohoa_json_str(&j, im->src->signer);
	sohoa_json_key(&j, "fingerprint");
	sohoa_json_str(&j, im->src->fingerprint);
	sohoa_json_key(&j, "trusted");
	sohoa_json_bool(&j, im->res->trusted);
	sohoa_json_key(&j, "added");
	sohoa_json_int(&j, (long long)im->res->added);
	sohoa_json_key(&j, "updated");
	sohoa_json_int(&j, (long long)im->res->updated);
	sohoa_json_key(&j, "conflicts");
	sohoa_json_int(&j, (long long)im->res->nconflicts);
	sohoa_json_obj_close(&j);
	memset(&ev, 0, sizeof(ev));
	ev.action = SOHOA_EV_IMPORT;
	ev.source = im->source.buf;
	ev.dossier_id = im->dossier_id;
	ev.new_value = im->src->path;
	ev.detail = detail.buf;
	rc = sohoa_archive_event_add(im->a, &ev, NULL);
	sohoa_buf_release(&detail);
	return rc;
}

int
sohoa_archive_import(struct sohoa_archive *a, const char *json, size_t len,
    const struct sohoa_import_source *src, struct sohoa_import_result *res)
{
	struct imp im;
	int rc, began = 0, before;

	memset(&im, 0, sizeof(im));
	im.a = a;
	im.ctx = a->ctx;
	im.db = a->db;
	im.src = src;
	im.res = res;
	sohoa_buf_init(&im.json);
	sohoa_buf_init(&im.source);
	sohoa_buf_init(&im.now);
	if (sohoa_buf_add(&im.json, json, len) != SOHOA_OK ||
	    (src->source != NULL ? sohoa_buf_adds(&im.source, src->source) :
	    sohoa_buf_addf(&im.source, "bundle:%s", src->sha256)) != SOHOA_OK) {
		rc = sohoa_set_error(im.ctx, SOHOA_ERR_NOMEM, "'%s' is too large",
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
				    " (version 1)", PKG_SOHOA_JSON, src->path);
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
	sohoa_archive_now(&im.now);
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	began = 1;
	before = sqlite3_total_changes(im.db);
	rc = sohoa_archive_dossier_get(a, res->dossier.buf, 1, &im.dossier_id);
	if (rc == SOHOA_OK)
		rc = import_meta(&im);
	if (rc == SOHOA_OK)
		rc = import_files(&im);
	if (rc == SOHOA_OK)
		rc = import_documents(&im);
	if (rc == SOHOA_OK) {
		res->dossier_id = im.dossier_id;
		res->changed = sqlite3_total_changes(im.db) != before;
		if (res->changed)
			rc = note_import(&im);
	}
	if (rc == SOHOA_OK) {
		rc = sohoa_archive_commit(a);
		began = 0;
	}
out:
	if (began)
		sohoa_archive_rollback(a);
	sohoa_buf_release(&im.json);
	sohoa_buf_release(&im.source);
	sohoa_buf_release(&im.now);
	return rc;
}
