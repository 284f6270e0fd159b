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
	int lockfd;		/* writer lock, -1 when not taken */
};

/* The schema, index/schema.sql, embedded and NUL-terminated. */
extern const char sohoa_schema_sql[];

/*
 * Set "cannot WHAT: <sqlite message>" on the archive's context and return
 * SOHOA_ERR_DB (SOHOA_ERR_BUSY when the database is locked).
 */
int sohoa_archive_db_error(struct sohoa_archive *a, const char *what);

/* Prepare SQL on the archive's connection, reporting errors. */
int sohoa_archive_prepare(struct sohoa_archive *a, const char *sql,
    sqlite3_stmt **pstmt);

/* Serialise words as stored in the words blob, and parse them back. */
int sohoa_words_encode(const struct sohoa_word *words, size_t n,
    struct sohoa_buf *out);
int sohoa_words_decode(struct sohoa_ctx *ctx, const char *s, size_t len,
    struct sohoa_word **pwords, size_t *pn);

#endif
