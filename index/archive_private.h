/*
 * Inside of the archive handle, for index/ files (archive, store, search).
 * Other modules use the accessors in include/sohoa/archive.h.
 */
#ifndef SOHOA_ARCHIVE_PRIVATE_H
#define SOHOA_ARCHIVE_PRIVATE_H

#include <sqlite3.h>
#include "sohoa/archive.h"

struct sohoa_archive {
	struct sohoa_ctx *ctx;	/* errors go here; owned by the opener */
	char *dir;		/* as given to open */
	sqlite3 *db;
	unsigned flags;		/* enum sohoa_archive_flags */
	int depth;		/* transaction nesting: 0 none, 1 BEGIN, >1 savepoints */
	/*
	 * sync_defer: blobs written inside the transaction are not synced one
	 * by one (a merge writes thousands); the commit syncs the file system
	 * once before COMMIT when sync_owed, so no row names a blob that a
	 * power cut could lose.
	 */
	int sync_defer, sync_owed;
	int lockfd;		/* writer lock, -1 when not taken */
	char *who;		/* actor of the changes (history.c) */
	char *source;
};

/*
 * The SQLite connection, for the index's own files and for tests and
 * benchmarks that look under the hood.  Owned by the archive.
 */
struct sqlite3 *sohoa_archive_db(struct sohoa_archive *a);

/* The schema version this library writes (PRAGMA user_version). */
#define SOHOA_SCHEMA_VERSION 3

/* The schema, index/schema.sql, embedded and NUL-terminated. */
extern const char sohoa_schema_sql[];

/*
 * What the open database is: *pversion is 0 for an empty one, else its
 * schema version.  A database that is not a sohoa archive, or one newer
 * than this library, is SOHOA_ERR_FORMAT with a message naming it.
 */
int sohoa_archive_schema_check(struct sohoa_archive *a, int *pversion);
/*
 * Create the schema (FROM 0) or upgrade it from version FROM to
 * SOHOA_SCHEMA_VERSION, in one transaction.
 */
int sohoa_archive_schema_upgrade(struct sohoa_archive *a, int from);

/*
 * Set "cannot WHAT: <sqlite message>" on the archive's context and return
 * SOHOA_ERR_DB (SOHOA_ERR_BUSY when the database is locked).
 */
int sohoa_archive_db_error(struct sohoa_archive *a, const char *what);

/* Prepare SQL on the archive's connection, reporting errors. */
int sohoa_archive_prepare(struct sohoa_archive *a, const char *sql,
    sqlite3_stmt **pstmt);

/*
 * Derive document DOC_ID's date (for search filters) and title from its
 * type and fields, after they change (index/archive_doc.c).
 */
int sohoa_archive_doc_summary(struct sohoa_archive *a, int64_t doc_id);

/* Serialise words as stored in the words blob, and parse them back. */
int sohoa_words_encode(const struct sohoa_word *words, size_t n,
    struct sohoa_buf *out);
int sohoa_words_decode(struct sohoa_ctx *ctx, const char *s, size_t len,
    struct sohoa_word **pwords, size_t *pn);

#endif
