/*
 * What people do to stored records: correct fields, accept a flagged
 * value, change a document's type, move documents between dossiers,
 * split and merge documents, rotate or replace a page, delete (a
 * tombstone), restore, purge, and undo.  Every verb checks its input,
 * changes the records, the search index and the history in one
 * transaction, and is made by the archive's actor
 * (sohoa_archive_set_actor).  The CLI and the web interface both call
 * these; neither writes records on its own.
 *
 *   sohoa_field_check              validate a value a person typed
 *   sohoa_records_field_set        correct fields of a document
 *   sohoa_records_field_accept     a flagged value is right as read
 *   sohoa_records_doc_type_set     change a document's type
 *   sohoa_records_split            a document in two at a page
 *   sohoa_records_merge            two documents into one
 *   sohoa_records_read_fields      fields read again from all pages
 *   sohoa_records_undo             undo one event of the history
 *   sohoa_records_pdf              a document's archival PDF
 *
 * Moving, deleting, restoring and purging need no more than the archive
 * does: sohoa_archive_document_move / _delete / _restore / _purge.
 */
#ifndef SOHOA_RECORDS_H
#define SOHOA_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/archive.h"

struct sohoa_archive;
struct sohoa_doctypes;

enum sohoa_field_check_flags {
	SOHOA_FIELD_NEW_KEY = 1 << 0,	/* a key no document type lists */
};

/*
 * Check VALUE, typed by a person, for field KEY of a document of type
 * DOC_TYPE (NULL: any type) and append the value to store to OUT:
 * NFC, spaces trimmed and collapsed; a date typed as DD/MM/YYYY,
 * D-M-YYYY or YYYY-MM-DD stored as YYYY-MM-DD and a real day; a
 * personal ID of 12 digits with a known province code; a sex, ethnicity
 * or nationality from its list; a document number of the printed form.
 * Control characters, invalid UTF-8 and values over 1,000 bytes are
 * refused, and so is a KEY that no document type in DT lists unless
 * FLAGS has SOHOA_FIELD_NEW_KEY.  "doc_type" is checked against DT's
 * types.  SOHOA_ERR_INPUT with a message naming the key and what it
 * accepts ("birth_date: '2024-02-30' is not a date (DD/MM/YYYY)").
 */
int sohoa_field_check(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const char *doc_type, const char *key, const char *value,
    unsigned flags, struct sohoa_buf *out);

/* One change asked of sohoa_records_field_set, and what it did. */
struct sohoa_field_change {
	const char *key;
	const char *value;	/* as typed */
	char *old;		/* out: the value before, NULL when none */
	char *stored;		/* out: the value stored */
	int changed;		/* out: 0 when the value was already that */
};

/*
 * Correct fields of document DOC_ID: each CHANGES[i] is checked with
 * sohoa_field_check (against the document's type); then all are stored
 * together or none: each marked corrected and no longer flagged, its old
 * value in the history.  The key "doc_type" changes the document's type
 * as sohoa_records_doc_type_set does.  A value equal to the stored one
 * changes nothing and writes no history.  Release the out strings with
 * sohoa_field_changes_release().
 */
int sohoa_records_field_set(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id,
    struct sohoa_field_change *changes, size_t n, unsigned flags);
void sohoa_field_changes_release(struct sohoa_field_change *changes,
    size_t n);

/*
 * A person looked at flagged field KEY of DOC_ID and says it is right as
 * read: it is no longer flagged (and counts as checked); recorded.
 * SOHOA_ERR_NOTFOUND when the document has no such field.
 */
int sohoa_records_field_accept(struct sohoa_archive *a, int64_t doc_id,
    const char *key);

/*
 * Change the type of DOC_ID to DOC_TYPE (a type DT knows, or "other"):
 * the document's type and title, its doc_type field, the search index
 * and the history all change together.
 */
int sohoa_records_doc_type_set(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id, const char *doc_type);

/*
 * Split DOC_ID before its page AT (0-based position, >= 1): those pages
 * become the document *pnew, numbered right after it, its fields read
 * from its pages; both PDFs are made again.  All or nothing, recorded.
 */
int sohoa_records_split(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id, int at, int64_t *pnew);

/*
 * Read the type and fields of DOC_ID again from all its stored pages
 * (after it took the pages of another document, as ingest's documents
 * that go on across files do); values a person set stay.  Its PDF is
 * not made again (sohoa_records_pdf).
 */
int sohoa_records_read_fields(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id);

/*
 * FROM's pages follow INTO's; FROM's fields that INTO lacks come along;
 * FROM is kept as a tombstone ("merged into INTO").  INTO's PDF is made
 * again.  Undo brings FROM back as it was.
 */
int sohoa_records_merge(struct sohoa_archive *a, int64_t into, int64_t from);

/*
 * Undo event EVENT_ID of the history (sohoa_archive_undo), and make the
 * PDFs of documents whose pages changed again.
 */
int sohoa_records_undo(struct sohoa_archive *a, int64_t event_id);

/* ---- pages into documents ---------------------------------------------- */

struct sohoa_doc_range {
	size_t first;		/* index into the pages */
	size_t count;
};

struct sohoa_page;

/*
 * The documents the NPAGES pages of one scanned file make, in order, as
 * malloc'd ranges (*pranges, *pn; free() them): split as the document
 * types say, blank pages at the edges left out, a run of failed pages no
 * document.  Every reader of files uses this one rule.
 */
int sohoa_records_doc_ranges(struct sohoa_ctx *ctx,
    const struct sohoa_doctypes *dt, const struct sohoa_page *const *pages,
    size_t npages, struct sohoa_doc_range **pranges, size_t *pn);

/* ---- a page read again ------------------------------------------------ */

struct sohoa_reread_opts {
	int rotate;		/* -1: the pipeline finds which way is up; else
				   0, 90, 180 or 270 degrees clockwise, as a
				   person says, applied to the original */
	unsigned disable;	/* SOHOA_CLEAN_* steps to leave out */
	const char *rescan;	/* NULL, or a re-scan that replaces the page
				   (its first page is read; it is stored) */
	const char *lang;	/* Tesseract languages, NULL: "vie" */
	const char *why;	/* kept with the change, may be NULL */
};

/*
 * Read page PAGE_ID again from its original (or O->rescan) as O says:
 * the new reading replaces the old one (which the history keeps, for
 * undo), the fields of its document that no person set are read again,
 * and its PDF is made again.  A failed page that now reads and was in no
 * document becomes a document of its own.  *pdoc (may be NULL) gets the
 * page's document.  Loads an OCR engine: seconds, not milliseconds.
 */
int sohoa_records_page_reread(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t page_id,
    const struct sohoa_reread_opts *o, int64_t *pdoc);

/*
 * Read every page that could not be read again from its stored original
 * (sohoa_records_page_reread with no options): a page that reads now
 * becomes part of a document, one that fails again stays listed.  EACH
 * (may be NULL) is called after each page with whether it reads now and,
 * when its re-read failed outright, why; a non-zero return stops
 * (SOHOA_ERR_CANCELLED).  *pok and *pn get the pages that read now and
 * the failed pages there were, also when it stopped.
 */
int sohoa_records_retry_failed(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt,
    int (*each)(void *arg, int64_t page_id, int ok, const char *why),
    void *arg, size_t *pok, size_t *pn);

/* ---- fixity and repair ------------------------------------------------ */

enum sohoa_check_flags {
	SOHOA_CHECK_REPAIR = 1 << 0,
	SOHOA_CHECK_NO_EVENT = 1 << 1,	/* a first look: not recorded */
};

/* A blob missing or damaged, or a document without its PDF. */
struct sohoa_check_problem {
	char *what;		/* "original 'scans/a.tif'", "PDF of document 3 (...)" */
	char *sha256;		/* NULL: a document with images but no PDF */
	int64_t document_id;	/* 0 when none */
	int64_t page_id;	/* 0 when not a page's */
	int state;		/* SOHOA_BLOB_MISSING or SOHOA_BLOB_DAMAGED */
	int pdf;		/* a document's PDF: made again on repair */
	int repaired;
};

struct sohoa_check_result {
	struct sohoa_db_check db;	/* integrity, foreign keys, index */
	size_t blobs;			/* blobs hashed */
	size_t bad;			/* missing or damaged */
	size_t repaired;
	size_t pdfs_made;
	struct sohoa_check_problem *problems;
	size_t nproblems, aproblems;
	int ok;				/* nothing is wrong any more */
	int64_t event_id;		/* the fixity event recorded */
};

/* Free what R holds and zero it (R must start zeroed). */
void sohoa_check_result_release(struct sohoa_check_result *r);

/*
 * Check archive A: SQLite's integrity and foreign keys, the search index
 * against the documents, the SHA-256 of every blob the rows name, a PDF
 * for every live document with page images.  PROGRESS (may be NULL) is
 * called before each blob; non-zero cancels.  With SOHOA_CHECK_REPAIR:
 * the index is mended, a missing or damaged blob is restored from the
 * files under SOURCES (scanned files, folders; a damaged copy is moved
 * aside, never deleted), PDFs are made again.  The result is recorded as
 * a fixity event (check or repair) whose detail lists the problems.
 * Take SHA-256s of bundles with sohoa_bundle_heal before calling this
 * with the problems of a first run.
 */
int sohoa_records_check(struct sohoa_archive *a, unsigned flags,
    const char *const *sources, size_t nsources,
    int (*progress)(void *arg, size_t done, size_t total), void *arg,
    struct sohoa_check_result *r);

/* ---- backup and restore ---------------------------------------------- */

struct sohoa_backup_result {
	char sha256[65];	/* backup: of the file; restore: of the database */
	size_t blobs;		/* stored files carried */
	uint64_t bytes;
	struct sohoa_buf aside;	/* restore: where an archive there went */
};

/* Free what R holds (R starts zeroed, or as SOHOA_BUF_INIT for aside). */
void sohoa_backup_result_release(struct sohoa_backup_result *r);

/*
 * Write a backup of archive A to OUT (a tar: a consistent copy of the
 * database taken while writers go on, every stored file it names, a
 * SHA-256 manifest), checked by sohoa_archive_output_check with FLAGS.
 * OUT appears only when complete.  A damaged stored file stops it.
 * Recorded in A's history.
 */
int sohoa_records_backup(struct sohoa_archive *a, const char *out,
    unsigned flags, struct sohoa_backup_result *res);

/*
 * Restore the backup file BACKUP as the archive DIR: every name and hash
 * checked, the database's integrity and completeness too, before the
 * archive appears under DIR.  An archive already in DIR is refused unless
 * FLAGS has SOHOA_OUTPUT_FORCE, and then moved aside (res->aside), never
 * deleted.  Recorded in the restored archive's history.
 */
int sohoa_records_restore(struct sohoa_ctx *ctx, const char *backup,
    const char *dir, unsigned flags, struct sohoa_backup_result *res);

/*
 * The archival PDF of DOC_ID from its stored page images and words, put
 * in the store and recorded as the document's PDF; also written to
 * OUT_PATH when not NULL (checked by sohoa_archive_output_check with
 * FLAGS).  PSHA (may be NULL) gets its SHA-256, "" when the document has
 * no page image (then it has no PDF).
 */
int sohoa_records_pdf(struct sohoa_archive *a, int64_t doc_id,
    const char *out_path, unsigned flags, char psha[65]);

#endif
