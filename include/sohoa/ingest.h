/*
 * Ingest: walk scan files and folders, OCR their pages with N worker
 * threads, and store pages, documents and fields in an archive.  Resumable:
 * files already done are skipped by content hash, pages already stored are
 * not read again, and a killed run is finished by the next one.
 *
 * Pages become documents by their content, not by file: a file whose
 * first page opens no document (sohoa_doc_split: no motto, no title)
 * continues the last document of the file before it in the same folder
 * (a stack scanned one page a file).  Separator sheets
 * (sohoa/barcode.h) start dossiers and documents and are no document's
 * page; other QR codes and barcodes on a document's pages are stored as
 * its fields qr_code and barcode.
 */
#ifndef SOHOA_INGEST_H
#define SOHOA_INGEST_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/archive.h"

enum sohoa_ingest_event_type {
	SOHOA_INGEST_START,		/* totals are known */
	SOHOA_INGEST_FILE_SKIPPED,	/* already in the archive */
	SOHOA_INGEST_FILE_FAILED,	/* could not be read at all */
	SOHOA_INGEST_PAGE_DONE,		/* a page is stored */
	SOHOA_INGEST_PAGE_FAILED,	/* a page could not be read */
	SOHOA_INGEST_FILE_DONE,		/* all its pages and documents stored */
	SOHOA_INGEST_WALK,		/* looking through the inputs: PATH is
					   the folder or file at hand (nothing
					   to print; the callback can stop the
					   run here too) */
	SOHOA_INGEST_FILE_NOT_SCAN,	/* a file in a folder is no scan:
					   left alone, REASON says what it is */
};

/* What the progress callback sees; strings are borrowed. */
struct sohoa_ingest_event {
	int type;		/* enum sohoa_ingest_event_type */
	const char *path;	/* the file, NULL for START */
	int pageno;		/* 0-based, -1 when not about a page */
	const char *reason;	/* for *_FAILED */
	int files_total;	/* files to read in this run (not skipped) */
	int pages_total;	/* pages to OCR in this run */
	int pages_done;		/* pages stored so far in this run */
	int pages_failed;	/* of those, pages that could not be read */
	double seconds;		/* since the start of the run */
	int file_pages;		/* FILE_DONE: pages of the file */
	int file_documents;	/* FILE_DONE: documents written for it */
};

struct sohoa_ingest_failure {
	char *path;
	int pageno;		/* 0-based, -1 for the whole file */
	char *reason;
};

struct sohoa_ingest_stats {
	int files;		/* files completed in this run */
	int pages;		/* pages stored in this run */
	int pages_failed;	/* of those, pages that could not be read */
	int documents;		/* documents written in this run */
	int skipped;		/* files already in the archive */
	int healed;		/* of those, whose stored copy was lost or
				   damaged and is restored from this scan */
	int blank;
	int failed;		/* failed pages + unreadable files */
	int low_confidence;
	int separators;		/* separator sheets met (pages of no document) */
	int continued;		/* files whose first pages went on the last
				   document of the file before them */
	double seconds;
	struct sohoa_ingest_failure *failures;
	size_t nfailures;
	/* files in folders that are no scans, with what they are (page -1) */
	struct sohoa_ingest_failure *not_scans;
	size_t nnot_scans;
};

/* What to do with the text a PDF page already has (OCRmyPDF's choice). */
enum sohoa_pdf_text {
	SOHOA_PDF_TEXT_OCR = 0,	/* OCR every page (--force-ocr) */
	SOHOA_PDF_TEXT_KEEP,	/* keep a page's own text, OCR the others
				   (--skip-text); needs pdftotext */
};

/* Where a file's documents go when no --dossier is given. */
enum sohoa_dossier_from {
	/*
	 * The folder's name (sohoa_ingest_dossier_for); a dossier sheet
	 * sends the pages after it, to the end of its file, elsewhere.
	 */
	SOHOA_DOSSIER_FROM_FOLDER = 0,
	/*
	 * The last dossier sheet met in the folder, across its files in
	 * scanner order (and across the runs that share a carry); the
	 * folder's name before the first sheet.
	 */
	SOHOA_DOSSIER_FROM_SHEET,
};

/*
 * What one run hands to the next run on the same folders (sohoa watch
 * runs one ingest a batch of files): each folder's last document, for a
 * next file that continues it, and its last dossier sheet.
 */
struct sohoa_ingest_carry;

int sohoa_ingest_carry_new(struct sohoa_ingest_carry **pcarry);
void sohoa_ingest_carry_destroy(struct sohoa_ingest_carry **pcarry);

struct sohoa_ingest_opts {
	const char *dossier;	/* NULL: the name of the folder holding each file */
	int jobs;		/* worker threads, <= 0: number of cores */
	const char *lang;	/* Tesseract languages, NULL: "vie" */
	const char *doctypes;	/* doctypes dir, NULL: default */
	int pdf_text;		/* enum sohoa_pdf_text */
	int dossier_from;	/* enum sohoa_dossier_from */
	struct sohoa_ingest_carry *carry;	/* NULL: nothing carried over
						   from an earlier run */
	/*
	 * Called on the calling thread after each event; a non-zero return
	 * stops the run cleanly (pages in progress finish, what is stored
	 * stays) and sohoa_ingest_run returns SOHOA_ERR_CANCELLED.
	 */
	int (*progress)(void *arg, const struct sohoa_ingest_event *ev);
	void *arg;
	/*
	 * A shard of a cluster run (NSHARDS > 0): only the files whose
	 * sohoa_ingest_shard_of() is SHARD are read, and the archive records
	 * the shard and each file's place in the whole walk, for
	 * sohoa_cluster_merge (include/sohoa/cluster.h).
	 */
	int shard, nshards;
};

/*
 * Ingest PATHS (files and folders; folders are recursed in scanner order,
 * "scan2" before "scan10"; hidden entries and files that are no scans
 * are listed in STATS->not_scans) into archive A.  Takes the archive's writer lock
 * (SOHOA_ERR_BUSY when another ingest runs).  Failures of single files or
 * pages are recorded in the archive and STATS and do not stop the run:
 * the return is SOHOA_OK then, and stats->failed says how many.  Other
 * codes mean the run itself stopped (database error, cancelled, no OCR
 * engine).  Release STATS with sohoa_ingest_stats_release() in any case.
 */
int sohoa_ingest_run(struct sohoa_archive *a, const struct sohoa_ingest_opts *opts,
    const char *const *paths, size_t npaths, struct sohoa_ingest_stats *stats);
void sohoa_ingest_stats_release(struct sohoa_ingest_stats *stats);

/*
 * Whether the file PATH is one ingest reads from a folder: by its name
 * (.tif, .pdf, ...) or its first bytes (a JPEG named "scan0003").  NULL
 * when it is; else what it is, for the line that lists it ("a text
 * file", "a GIF image", "an empty file", "hidden ..."; static).  A file
 * that cannot be opened counts as a scan: reading it says why it fails.
 */
const char *sohoa_ingest_not_scan(const char *path);

/*
 * The dossier a file goes to when none is given: the name of the folder
 * that holds it as PATH names it ("backlog/HS-2019-0042/p1.tif" ->
 * "HS-2019-0042"; through a link, the link's own name, as in a walked
 * folder).  A folder named "." or ".." stands for the real folder
 * ("./p1.tif" -> the current folder's name).  A bare file name names no
 * folder and goes to "unsorted", as does a file at the root: the folder
 * the user happens to stand in is no dossier.  Appended to OUT (NFC).
 */
int sohoa_ingest_dossier_for(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_buf *out);

/*
 * The shard (0 .. NSHARDS-1) of the files of folder KEY, relative to the
 * PATH it was found under ("HS-2019-0042"; "" for files right in PATH or
 * given by name): the first 8 bytes of SHA-256(KEY), big-endian, modulo
 * NSHARDS.  The same on every machine and whatever the listing order; a
 * folder's files are one shard's, since documents go on across them.
 */
int sohoa_ingest_shard_of(const char *key, int nshards);

#endif
