/*
 * The archive: a directory holding sohoa.db (SQLite, WAL) and store/, a
 * content-addressed store of blobs named by their SHA-256 (original scans,
 * page view images, hOCR, word boxes, PDFs).
 *
 *   sohoa_archive_open / _close / _dir / _db          the handle
 *   sohoa_archive_begin / _commit / _rollback         transactions (nest)
 *   sohoa_store_put_file / _put_mem / _path / _read   content store
 *   sohoa_archive_dossier_*                           dossiers + metadata
 *   sohoa_archive_file_* / _page_* / _document_add    writing (ingest, import)
 *   sohoa_archive_document_list / _load               reading documents
 *   sohoa_archive_page_load                           a page with words/image
 *   sohoa_archive_field_set                           corrections + history
 *
 * A handle is used by one thread at a time; it keeps the context it was
 * opened with and reports every error there.  Several processes may open
 * one archive: SQLite's WAL lets readers work while one writer writes.
 * Strings handed to callbacks are borrowed and valid only during the call.
 */
#ifndef SOHOA_ARCHIVE_H
#define SOHOA_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"

struct sohoa_archive;

/* Length of a hex SHA-256 with its NUL. */
#define SOHOA_SHA256_HEX 65

enum sohoa_archive_flags {
	SOHOA_ARCHIVE_CREATE = 1 << 0,	/* make DIR, sohoa.db and store/ if missing */
	SOHOA_ARCHIVE_READONLY = 1 << 1,	/* open the database read-only */
};

/*
 * Open the archive in DIR.  Without SOHOA_ARCHIVE_CREATE a missing archive
 * is SOHOA_ERR_NOTFOUND with "no archive in 'DIR' (run 'sohoa init' or
 * pass --archive DIR)".  The schema is created or upgraded on open (not
 * when READONLY).  On success *parchive is a handle to close with
 * sohoa_archive_close(&a); CTX stays in use until then.
 */
int sohoa_archive_open(struct sohoa_ctx *ctx, const char *dir, unsigned flags,
    struct sohoa_archive **parchive);
void sohoa_archive_close(struct sohoa_archive **parchive);

/* The archive directory as given to open (borrowed). */
const char *sohoa_archive_dir(const struct sohoa_archive *a);
/* The context errors are reported on. */
struct sohoa_ctx *sohoa_archive_ctx(const struct sohoa_archive *a);

/*
 * Transactions.  The outermost begin is BEGIN IMMEDIATE (takes the write
 * lock at once, so a busy archive fails here, not half-way); inner ones
 * are savepoints.  Every begin is matched by one commit or rollback.
 */
int sohoa_archive_begin(struct sohoa_archive *a);
int sohoa_archive_commit(struct sohoa_archive *a);
/* Never fails in a way the caller can do anything about; returns rc. */
int sohoa_archive_rollback(struct sohoa_archive *a);
/*
 * End the transaction as RC says: commit when it is SOHOA_OK (and return
 * the commit's result), else roll back and return RC.
 */
int sohoa_archive_end(struct sohoa_archive *a, int rc);

/*
 * Take the archive's writer lock (flock on DIR/.ingest.lock) for long
 * writers (ingest, import).  Another process holding it makes this fail at
 * once with SOHOA_ERR_BUSY naming it; the lock goes with close or the
 * process.  Readers never need it.
 */
int sohoa_archive_lock(struct sohoa_archive *a);

/*
 * Copy the database into DIR/sohoa.db (DIR exists, the file does not) as
 * it stands at one moment, with SQLite's online backup API in a single
 * step: writers may go on meanwhile (WAL).  The copy is a rollback-
 * journal database, ready to move.
 */
int sohoa_archive_snapshot(struct sohoa_archive *a, const char *dir);

/*
 * Current time as ISO 8601 with the local offset
 * ("2026-11-24T12:30:05+07:00"), appended to OUT.
 */
int sohoa_archive_now(struct sohoa_buf *out);

enum sohoa_output_flags {
	SOHOA_OUTPUT_FORCE = 1 << 0,	/* an existing file may be replaced */
};

/*
 * May a command write the file PATH (a bundle, a PDF, a backup)?  Never
 * in archive A's own folder (beside its database) or in its store
 * (symbolic links resolved), and not over an existing file unless FLAGS
 * has SOHOA_OUTPUT_FORCE.
 * SOHOA_ERR_INPUT with a message naming PATH when not; the folder must
 * exist (SOHOA_ERR_IO otherwise).  Writers still write a temporary file
 * and rename it, so a file is replaced whole or not at all.
 */
int sohoa_archive_output_check(struct sohoa_archive *a, const char *path,
    unsigned flags);

/* ---- content store ---------------------------------------------------- */

/*
 * Store the file at PATH and put its hex SHA-256 in PSHA256.  Blobs are
 * written to a temporary file, fsync'ed and renamed into place, so a blob
 * under its final name is always complete; a blob already present is not
 * written again.  When EXPECT is not NULL, the copied content must hash
 * to it (the file changed since it was hashed otherwise: SOHOA_ERR_IO).
 */
int sohoa_store_put_file(struct sohoa_archive *a, const char *path,
    const char *expect, char psha256[SOHOA_SHA256_HEX]);
/* Same for LEN bytes at DATA. */
int sohoa_store_put_mem(struct sohoa_archive *a, const void *data, size_t len,
    char psha256[SOHOA_SHA256_HEX]);
/* Append the path of blob SHA256 to OUT (whether or not it exists). */
int sohoa_store_path(const struct sohoa_archive *a, const char *sha256,
    struct sohoa_buf *out);
/* 1 when blob SHA256 is in the store, 0 otherwise. */
int sohoa_store_has(const struct sohoa_archive *a, const char *sha256);
/*
 * Read blob SHA256 into OUT (appended), checking its hash: a blob that
 * does not match is SOHOA_ERR_INVALID, a missing one SOHOA_ERR_NOTFOUND.
 */
int sohoa_store_read(struct sohoa_archive *a, const char *sha256,
    struct sohoa_buf *out);

enum sohoa_blob_state {
	SOHOA_BLOB_OK = 0,
	SOHOA_BLOB_MISSING,
	SOHOA_BLOB_DAMAGED,	/* present, but its content has another hash */
};

/*
 * Check blob SHA256 by reading it whole: *pstate is one of enum
 * sohoa_blob_state.  Returns an error only for a malformed SHA256.
 */
int sohoa_store_verify(struct sohoa_archive *a, const char *sha256,
    int *pstate);

/*
 * Restore blob SHA256 from the file at PATH when the store's copy is
 * missing or damaged (checked first; *phealed stays 0 when it is good).
 * PATH must hash to SHA256 (SOHOA_ERR_INVALID otherwise).  A damaged copy
 * is moved to DIR/store/damaged/, never deleted.
 */
int sohoa_store_heal(struct sohoa_archive *a, const char *path,
    const char *sha256, int *phealed);

/*
 * Hex SHA-256 of the file at PATH (OpenSSL EVP, read in 64 KiB blocks).
 * CTX gets the message on failure.
 */
int sohoa_sha256_file(struct sohoa_ctx *ctx, const char *path,
    char psha256[SOHOA_SHA256_HEX]);
void sohoa_sha256_mem(const void *data, size_t len,
    char psha256[SOHOA_SHA256_HEX]);

/* ---- dossiers --------------------------------------------------------- */

struct sohoa_dossier_info {
	int64_t id;
	const char *code;	/* "HS-2019-0042" */
	const char *created_at;
	int ndocuments;
	int npages;
};

/*
 * Id of dossier CODE in *PID.  A missing dossier is created when CREATE is
 * non-zero, otherwise it is SOHOA_ERR_NOTFOUND.  CODE is stored as NFC.
 */
int sohoa_archive_dossier_get(struct sohoa_archive *a, const char *code,
    int create, int64_t *pid);
/* Code of dossier ID appended to OUT; SOHOA_ERR_NOTFOUND if none. */
int sohoa_archive_dossier_code(struct sohoa_archive *a, int64_t id,
    struct sohoa_buf *out);
/*
 * Call CB for each dossier, ordered by code; a non-zero return from CB
 * stops the walk and is returned.
 */
int sohoa_archive_dossier_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_dossier_info *d), void *arg);
/* Metadata value of KEY appended to OUT; SOHOA_ERR_NOTFOUND if unset. */
int sohoa_archive_dossier_meta_get(struct sohoa_archive *a, int64_t id,
    const char *key, struct sohoa_buf *out);
/* Set KEY to VALUE (NFC); VALUE NULL removes the key. */
int sohoa_archive_dossier_meta_set(struct sohoa_archive *a, int64_t id,
    const char *key, const char *value);
/* Call CB for each metadata key of dossier ID, ordered by key. */
int sohoa_archive_dossier_meta_list(struct sohoa_archive *a, int64_t id,
    int (*cb)(void *arg, const char *key, const char *value), void *arg);

/* What a dossier's live documents add up to (its derived metadata). */
struct sohoa_dossier_stats {
	int documents;
	int pages;		/* pages in its documents */
	char first_date[11];	/* YYYY-MM-DD of its earliest document, or "" */
	char last_date[11];
	struct sohoa_buf issuer; /* the office that issued most of them */
};

/* Fill S (its issuer buffer initialised by the caller) for dossier ID. */
int sohoa_archive_dossier_stats(struct sohoa_archive *a, int64_t id,
    struct sohoa_dossier_stats *s);
/* Call CB for each type of the dossier's documents, in dossier order. */
int sohoa_archive_dossier_types(struct sohoa_archive *a, int64_t id,
    int (*cb)(void *arg, const char *doc_type, int n), void *arg);

/* ---- writing files, pages and documents (ingest, import) -------------- */

struct sohoa_file_info {
	int64_t id;
	char sha256[SOHOA_SHA256_HEX];	/* the original in the store */
	int64_t dossier_id;
	const char *path;	/* as given when ingested */
	const char *name;	/* base name */
	const char *format;	/* tiff, png, jpeg, pnm */
	int64_t size;
	int npages;
	int done;		/* 1 once its documents are written */
};

/*
 * Look up the file whose original has hash SHA256.  *pid is 0 and *pdone
 * 0 when there is none (not an error).
 */
int sohoa_archive_file_find(struct sohoa_archive *a, const char *sha256,
    int64_t *pid, int *pdone);
/*
 * Add a file row (not done) and return its id in *pid; F->id and F->done
 * are ignored.  An existing row with the same sha256 is returned as is.
 */
int sohoa_archive_file_add(struct sohoa_archive *a,
    const struct sohoa_file_info *f, int64_t *pid);
/* Call CB once with the file whose original is SHA256 (NOTFOUND if none). */
int sohoa_archive_file_get(struct sohoa_archive *a, const char *sha256,
    int (*cb)(void *arg, const struct sohoa_file_info *f), void *arg);
/*
 * Record that dossier DOSSIER_ID was exported to PATH (the bundle's
 * SHA256, FORMAT "eark"/"bagit", SIGNER's subject), with its event.
 */
int sohoa_archive_export_record(struct sohoa_archive *a, int64_t dossier_id,
    const char *path, const char *sha256, const char *format,
    const char *signer);
/* Mark FILE_ID done (call inside the transaction that wrote its documents). */
int sohoa_archive_file_done(struct sohoa_archive *a, int64_t file_id);

/*
 * Store PAGE of FILE_ID: its view image, hOCR and word boxes go to the
 * store, then a pages row is written.  A page already stored for
 * (file_id, pageno) is left as is and its id returned.  The row is one
 * statement, so it is atomic with or without the caller's transaction.
 */
int sohoa_archive_page_add(struct sohoa_archive *a, int64_t file_id,
    const struct sohoa_page *page, int64_t *pid);
/*
 * Record a page that could not be read (status failed, ERROR says why),
 * as page_add does.
 */
int sohoa_archive_page_add_failed(struct sohoa_archive *a, int64_t file_id,
    int pageno, const char *error, int64_t *pid);
/* Id of page PAGENO of FILE_ID in *pid, 0 when it is not stored. */
int sohoa_archive_page_find(struct sohoa_archive *a, int64_t file_id,
    int pageno, int64_t *pid);
/*
 * Page numbers of FILE_ID already stored: *ppagenos is a malloc'd array
 * of *pn entries, ascending (free() it).
 */
int sohoa_archive_file_pages(struct sohoa_archive *a, int64_t file_id,
    int **ppagenos, size_t *pn);

/*
 * Add a document of FILE_ID covering pages FIRST_PAGE..FIRST_PAGE+NPAGES-1
 * (those pages rows get its id), with its type and fields, at the end of
 * its dossier.  Confidence is the mean of its pages that were read (not
 * blank, not failed); the date and title are derived from the fields.
 * Indexes it for search.  All in one transaction (a savepoint inside the
 * caller's, which should also mark the file done).
 */
int sohoa_archive_document_add(struct sohoa_archive *a, int64_t file_id,
    int first_page, int npages, const char *doc_type,
    const struct sohoa_fields *fields, int64_t *pid);
/*
 * Store a new reading of DOC_ID's fields (after a split or a re-read):
 * values a person set stay, the others take FIELDS' values (each change
 * recorded), the type becomes DOC_TYPE (NULL: unchanged) unless a person
 * set it; the document is re-indexed.
 */
int sohoa_archive_document_reread(struct sohoa_archive *a, int64_t doc_id,
    const char *doc_type, const struct sohoa_fields *fields);

/*
 * Reorganising (index/archive_reorg.c); each recorded in the history,
 * with what sohoa_archive_undo needs:
 *   move     DOC_ID to dossier DOSSIER (created when missing), numbered
 *            after its documents
 *   delete   a tombstone: the document leaves lists and search, keeps its
 *            rows; WHY is required
 *   restore  a deleted document comes back (at its number when free)
 *   purge    a deleted document's rows go for good (pages stay with
 *            their file); the history keeps that it was purged
 *   split    pages AT.. (0-based position, >= 1) become a new document
 *            *pnew, numbered right after DOC_ID; a document that once
 *            began at that page (merged since) comes back instead
 *   merge    FROM's pages follow INTO's, FROM's fields that INTO lacks
 *            come along, FROM becomes a tombstone
 */
int sohoa_archive_document_move(struct sohoa_archive *a, int64_t doc_id,
    const char *dossier);
int sohoa_archive_document_delete(struct sohoa_archive *a, int64_t doc_id,
    const char *why);
int sohoa_archive_document_restore(struct sohoa_archive *a, int64_t doc_id);
int sohoa_archive_document_purge(struct sohoa_archive *a, int64_t doc_id);
int sohoa_archive_document_split(struct sohoa_archive *a, int64_t doc_id,
    int at, int64_t *pnew);
int sohoa_archive_document_merge(struct sohoa_archive *a, int64_t into,
    int64_t from);
/*
 * Undo event EVENT_ID of the history (a correction, acceptance, type
 * change, move, deletion, restore, split or merge), recorded as an undo
 * event.  Refused when the record changed since, or it was undone
 * already.  PDOCS gets the documents whose pages changed (0 when none),
 * whose PDFs the caller makes again.
 */
int sohoa_archive_undo(struct sohoa_archive *a, int64_t event_id,
    int64_t pdocs[2]);

/* ---- a page read again (index/archive_page.c) ------------------------- */

/* Where page PAGE_ID comes from. */
struct sohoa_page_source {
	int64_t page_id;
	int64_t file_id;
	char file_sha256[SOHOA_SHA256_HEX];
	int pageno;		/* 0-based page of the file */
	int64_t document_id;	/* 0 when in no document */
	char rescan_sha256[SOHOA_SHA256_HEX];	/* "" unless re-scanned */
	int failed;		/* it could not be read */
	struct sohoa_buf path;	/* the original to read it from (store) */
};

int sohoa_archive_page_source(struct sohoa_archive *a, int64_t page_id,
    struct sohoa_page_source *src);
void sohoa_page_source_release(struct sohoa_page_source *src);
/* Id of page N (1-based, in order) of document DOC_ID in *ppage. */
int sohoa_archive_page_find_in(struct sohoa_archive *a, int64_t doc_id,
    int n, int64_t *ppage);
/*
 * PAGE (a new reading) replaces page PAGE_ID's reading: its blobs are
 * stored, its row updated (RESCAN_SHA256, when not NULL, is the re-scan
 * it now comes from), its document re-indexed, and an ACTION event
 * (SOHOA_EV_PAGE_ROTATE, _REPLACE or _RETRY) records the old and new
 * readings, with WHY as its value.
 */
int sohoa_archive_page_replace(struct sohoa_archive *a, int64_t page_id,
    const struct sohoa_page *page, const char *rescan_sha256,
    const char *action, const char *why);
/* Correct line LINE (0-based) of page PAGE_ID's text to TEXT; recorded. */
int sohoa_archive_page_text_edit(struct sohoa_archive *a, int64_t page_id,
    int line, const char *text);
/* Ids of the pages that could not be read (malloc'd, free() it). */
int sohoa_archive_failed_pages(struct sohoa_archive *a, int64_t **pids,
    size_t *pn);
/*
 * Forget the files recorded as unreadable: those of PATH, or all when
 * PATH is NULL (*pn counts them); recorded (failure_clear).  A page that
 * failed stays failed until it is read again.
 */
int sohoa_archive_failures_forget(struct sohoa_archive *a, const char *path,
    int *pn);

/*
 * Bring back the old reading a page event's DETAIL holds (for
 * sohoa_archive_undo); *pdoc gets the page's document.
 */
int sohoa_archive_page_undo(struct sohoa_archive *a, const char *detail,
    int64_t *pdoc);

/* Record the document's searchable PDF (already in the store). */
int sohoa_archive_document_set_pdf(struct sohoa_archive *a, int64_t doc_id,
    const char *pdf_sha256);

/*
 * Record a failure to ingest PATH (PAGENO -1 for the whole file) for
 * 'sohoa status'; replaces an earlier one for the same path and page.
 */
int sohoa_archive_failure_add(struct sohoa_archive *a, const char *path,
    int pageno, const char *reason);
/* Forget the failures recorded for PATH (it has been ingested since). */
int sohoa_archive_failure_clear(struct sohoa_archive *a, const char *path);

/* ---- reading documents ------------------------------------------------- */

/* One page of a loaded document, without its words or image. */
struct sohoa_doc_page {
	int64_t id;
	char file_sha256[SOHOA_SHA256_HEX];	/* the original it is a page
						   of (a document can go on
						   over files) */
	int pageno;		/* 0-based page of that file */
	int status;		/* enum sohoa_page_status */
	int orientation;
	float skew;
	float confidence;
	int width, height, dpi;
	char image_sha256[SOHOA_SHA256_HEX];	/* "" when none */
	char image_type[8];
	char hocr_sha256[SOHOA_SHA256_HEX];
	char words_sha256[SOHOA_SHA256_HEX];
	char *text;		/* never NULL */
	char *error;		/* may be NULL */
};

/* One field with its review state. */
struct sohoa_doc_field {
	char *key;
	char *value;
	char *raw;		/* may be NULL */
	float conf;
	int flagged;
	int corrected;		/* 1 once a person set it (sohoa set) */
	char *changed_at;	/* when a person or an import last set it, */
	char *changed_by;	/* and who; both NULL: as OCR read it */
};

struct sohoa_document {
	int64_t id;
	int64_t dossier_id;
	char *dossier;		/* code */
	int64_t file_id;
	char *file_path;
	char *file_name;
	char file_sha256[SOHOA_SHA256_HEX];
	int first_page;
	int ordinal;
	char *doc_type;
	char *title;
	char *doc_date;		/* may be NULL */
	float confidence;
	char pdf_sha256[SOHOA_SHA256_HEX];	/* "" until a PDF is stored */
	char *created_at;
	char *deleted_at;	/* NULL unless deleted (a tombstone): when, */
	char *deleted_by;	/* who */
	char *deleted_why;	/* and why */
	struct sohoa_doc_page *pages;
	size_t npages;
	struct sohoa_doc_field *fields;
	size_t nfields;
};

/*
 * Call CB for each document of DOSSIER_ID (0: all documents) in dossier
 * order, deleted ones left out.  D has its metadata only (pages and
 * fields empty).
 */
int sohoa_archive_document_list(struct sohoa_archive *a, int64_t dossier_id,
    int (*cb)(void *arg, const struct sohoa_document *d), void *arg);
/*
 * Load document ID with its pages (text, no words) and fields, deleted or
 * not (see deleted_at).  *pdoc is freed with sohoa_document_destroy(&doc).
 * SOHOA_ERR_NOTFOUND if none.
 */
int sohoa_archive_document_load(struct sohoa_archive *a, int64_t id,
    struct sohoa_document **pdoc);
void sohoa_document_destroy(struct sohoa_document **pdoc);

struct sohoa_json;
/*
 * Write D as one object {id, dossier, ordinal, doc_type, title, date,
 * confidence, created_at, pdf_sha256, file, pages, fields, text} to J:
 * what 'sohoa show --json' and GET /api/documents/N print.
 */
void sohoa_document_json(struct sohoa_json *j, const struct sohoa_document *d);

enum sohoa_page_load {
	SOHOA_PAGE_LOAD_WORDS = 1 << 0,	/* page->words */
	SOHOA_PAGE_LOAD_IMAGE = 1 << 1,	/* page->image (the view image) */
	SOHOA_PAGE_LOAD_HOCR = 1 << 2,	/* page->hocr */
};

/*
 * Rebuild the struct sohoa_page stored as PAGE_ID (text, metadata, and
 * what WHAT asks for from the store), as the pipeline made it.  Free with
 * sohoa_page_destroy(&page).
 */
int sohoa_archive_page_load(struct sohoa_archive *a, int64_t page_id,
    unsigned what, struct sohoa_page **ppage);

/*
 * Correct field KEY of document DOC_ID to VALUE (NFC): the old value, WHO
 * and the time go to field_history, the field is marked corrected and not
 * flagged, and the document is re-indexed, all in one transaction.  A
 * field the document did not have is added.
 */
int sohoa_archive_field_set(struct sohoa_archive *a, int64_t doc_id,
    const char *key, const char *value, const char *who);

/*
 * A person says flagged field KEY of DOC_ID is right as read: it is no
 * longer flagged, changed_at/by name them, and a field_accept event is
 * written.  SOHOA_ERR_NOTFOUND when there is no such field.
 */
int sohoa_archive_field_accept(struct sohoa_archive *a, int64_t doc_id,
    const char *key);

/*
 * Set the type of DOC_ID to DOC_TYPE (not checked here: see
 * sohoa_records_doc_type_set): the document's type and title, its
 * doc_type field (corrected), the search index and a doc_type event.
 */
int sohoa_archive_document_set_type(struct sohoa_archive *a, int64_t doc_id,
    const char *doc_type);

/* ---- import (bundle/import.c checks the bundle, index merges rows) ----- */

/* A value the archive kept although the bundle has another. */
struct sohoa_import_conflict {
	int64_t doc_id;		/* 0 for dossier metadata */
	char *key;		/* field key, "dossier", "dossier.KEY", or NULL
				   when the whole document was not taken */
	char *local;		/* the archive's value (may be NULL) */
	char *bundle;		/* the bundle's (may be NULL) */
	char *why;
};

/* What an import did. */
struct sohoa_import_result {
	struct sohoa_buf dossier;	/* the dossier's code */
	int64_t dossier_id;
	size_t ndocuments, npages, nfields, nblobs;	/* in the bundle */
	size_t added;			/* documents new to the archive */
	size_t updated;			/* documents that took values */
	size_t unchanged;
	size_t skipped;			/* not taken: see the conflicts */
	size_t fields_taken;		/* values newer than the archive's */
	struct sohoa_import_conflict *conflicts;
	size_t nconflicts, aconflicts;
	int trusted;			/* the signer is trusted here */
	struct sohoa_buf untrusted;	/* why not, when not */
	int changed;			/* 0 when the archive already had it all */
};

/* Prepare R for sohoa_bundle_import; free what it holds with _release. */
void sohoa_import_result_init(struct sohoa_import_result *r);
void sohoa_import_result_release(struct sohoa_import_result *r);

/* What an import takes its rows and blobs from (a checked bundle). */
struct sohoa_import_source {
	const char *path;	/* the bundle file, for messages */
	const char *sha256;	/* its SHA-256: the history's source */
	const char *signer;	/* for the import's record */
	const char *fingerprint;
	/* the extracted file of blob SHA256, or NULL when it has none */
	const char *(*blob_path)(void *arg, const char *sha256);
	/* dossier metadata checks (sohoa_dossier_meta_check) */
	int (*meta_check)(struct sohoa_ctx *ctx, const char *key,
	    const char *value, struct sohoa_buf *pnorm);
	void *arg;
	/* the history's source; NULL: "bundle:<sha256>" */
	const char *source;
};

/*
 * Merge the rows JSON (sohoa.json, LEN bytes, as export writes it) into
 * archive A, taking blobs from SRC; RES (initialised) is filled.  The
 * rules are sohoa_bundle_import's; this is its archive half.
 */
int sohoa_archive_import(struct sohoa_archive *a, const char *json,
    size_t len, const struct sohoa_import_source *src,
    struct sohoa_import_result *res);

/* ---- trusted signers (bundle/trust.c reads the certificates) ---------- */

struct sohoa_trusted {
	const char *fingerprint;	/* SHA-256 of the DER certificate, hex */
	const char *subject;
	const char *issuer;
	const char *not_after;	/* ISO 8601 UTC */
	int is_ca;		/* trusts what it issued, not only itself */
	const char *pem;
	const char *added_at;	/* ignored by _add */
	const char *added_by;	/* ignored by _add: the actor */
};

/*
 * Add T to the trusted signers; *padded is 0 when it was there already.
 * The addition is recorded (trust_add).
 */
int sohoa_archive_trusted_add(struct sohoa_archive *a,
    const struct sohoa_trusted *t, int *padded);
/* Call CB for each trusted signer, oldest first. */
int sohoa_archive_trusted_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_trusted *t), void *arg);
/*
 * Remove the signer whose fingerprint starts with FINGERPRINT (hex, 8+
 * digits, colons allowed); recorded (trust_remove).  SOHOA_ERR_NOTFOUND
 * when none, SOHOA_ERR_INPUT when it is ambiguous.
 */
int sohoa_archive_trusted_remove(struct sohoa_archive *a,
    const char *fingerprint);

/* ---- checks (sohoa check) --------------------------------------------- */

struct sohoa_db_check {
	char integrity[256];	/* "ok", or SQLite's first complaint */
	int foreign_keys;	/* rows that refer to rows that do not exist */
	int fts_ok;		/* the search index agrees with itself */
	int fts_missing;	/* live documents the index lacks */
	int fts_stale;		/* index rows of no live document */
	int fts_fixed;		/* documents indexed again or dropped */
};

/*
 * SQLite's integrity and foreign-key checks and the search index against
 * the documents; with REPAIR, the index is mended (rebuilt from the
 * documents when it does not agree with itself).
 */
int sohoa_archive_check_db(struct sohoa_archive *a, int repair,
    struct sohoa_db_check *r);

/* One blob a row names, for sohoa_archive_blob_list. */
struct sohoa_blob_ref {
	const char *sha256;	/* NULL: a live document with images but no PDF */
	const char *what;	/* "original", "page image", "hOCR", ... */
	int64_t document_id;	/* 0 when none */
	int64_t page_id;	/* 0 when not a page's */
	const char *path;	/* the scanned file it comes from */
};

/* Call CB for every blob the archive's rows name (originals first). */
int sohoa_archive_blob_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_blob_ref *ref), void *arg);

/* ---- status ----------------------------------------------------------- */

struct sohoa_archive_counts {
	int dossiers;
	int files, files_pending;	/* pending: pages still to store */
	int documents;
	int pages, pages_ok, pages_blank, pages_lowconf, pages_failed;
	int fields, fields_flagged, fields_corrected;
	int failures;			/* files that could not be ingested */
	int documents_deleted;		/* tombstones (not in documents) */
};

int sohoa_archive_counts(struct sohoa_archive *a,
    struct sohoa_archive_counts *c);

/* What was ingested on one day (the files' ingested_at, local date). */
struct sohoa_ingest_day {
	const char *day;		/* "2026-12-06" (borrowed) */
	int files, pages, pages_failed;
	int documents;			/* live ones made that day */
};
/*
 * Call CB for each of the last NDAYS days on which files were ingested,
 * most recent first: what the office did lately, for 'sohoa status' and
 * the web status page.
 */
int sohoa_archive_recent_days(struct sohoa_archive *a, int ndays,
    int (*cb)(void *arg, const struct sohoa_ingest_day *d), void *arg);

enum sohoa_review_kind {
	SOHOA_REVIEW_FAILED_FILE,	/* path, reason */
	SOHOA_REVIEW_FAILED_PAGE,	/* path, pageno, reason */
	SOHOA_REVIEW_PENDING_FILE,	/* path: an ingest was interrupted */
	SOHOA_REVIEW_LOWCONF_PAGE,	/* path, pageno, conf, doc_id */
	SOHOA_REVIEW_FLAGGED_FIELD,	/* doc_id, key, value, conf */
	SOHOA_REVIEW_OTHER_DOCUMENT,	/* doc_id: of type 'other' (only
					   sohoa_archive_review_page) */
};

struct sohoa_review_item {
	int kind;		/* enum sohoa_review_kind */
	const char *path;
	int pageno;		/* 0-based, -1 when none */
	const char *reason;
	int64_t doc_id;		/* 0 when none */
	const char *key;
	const char *value;
	float conf;
	const char *raw;	/* a field's text as read; NULL when none */
	const char *doc_type;	/* of doc_id; NULL when none */
	int npages;		/* doc_id's pages; 0 when none */
};

/*
 * Call CB for everything that needs a person's attention, in the order
 * of enum sohoa_review_kind, then by path/page or document.
 */
int sohoa_archive_review_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_review_item *it), void *arg);

/*
 * Where a page of the review queue starts, and how long it is.  With
 * AFTER and KEY NULL the page starts after the document's 'other' item,
 * with its flagged fields (a type just given leaves them to review).
 */
struct sohoa_review_range {
	int64_t doc_id;		/* from this document (0: the first) */
	const char *key;	/* and this field of it; NULL: its first item */
	int after;		/* 1: from the item after that one */
	int limit;		/* at most this many items; 0: all */
};

/*
 * The review queue a page at a time: flagged fields not corrected
 * (SOHOA_REVIEW_FLAGGED_FIELD) and documents of type 'other'
 * (SOHOA_REVIEW_OTHER_DOCUMENT, key NULL), of live documents, by
 * document id then key, a document's 'other' item before its fields.
 * CB is called for each item of R (NULL: all); the next page starts
 * after the last item seen (R->after = 1), so items handled meanwhile
 * neither shift nor repeat it.  A non-zero return from CB stops and is
 * returned.
 */
int sohoa_archive_review_page(struct sohoa_archive *a,
    const struct sohoa_review_range *r,
    int (*cb)(void *arg, const struct sohoa_review_item *it), void *arg);

/*
 * How long the review queue is: *pfields flagged fields not corrected
 * (sohoa_archive_counts' fields_flagged) and *pdocuments documents of
 * type 'other', of live documents.  Reads only the queue's own index,
 * not every field as sohoa_archive_counts does.
 */
int sohoa_archive_review_count(struct sohoa_archive *a, int *pfields,
    int *pdocuments);

/* Status name for a page status ("ok", "blank", "lowconf", "failed"). */
const char *sohoa_page_status_name(int status);

#endif
