/*
 * The archive's schema and its versions.  index/schema.sql (version 1)
 * and index/schema_N.sql (version N-1 to N) are embedded in the library
 * with .incbin, so the binary needs no data file to create or upgrade an
 * archive.  A new archive runs them all in order, an old one the ones it
 * lacks, each in the same transaction as the version it sets.
 *
 * A sohoa archive is recognised by PRAGMA application_id; archives made
 * before version 2 had none and are recognised by their tables and their
 * meta.schema_version row.  Any other SQLite file is refused rather than
 * adopted: 'sohoa init' must not add tables to somebody else's database.
 *
 *   sohoa_archive_schema_check     what a file is, which version
 *   sohoa_archive_schema_upgrade   bring it to SOHOA_SCHEMA_VERSION
 */
#include <string.h>

#include "archive_private.h"

/* "SoHa" */
#define SOHOA_APPLICATION_ID 0x536f4861

/*
 * The assembler reads the files at build time (SOHOA_SOURCE_DIR comes
 * from CMake, and CMake knows this object depends on them).
 */
#define EMBED(sym, file) \
	__asm__(".section .rodata\n" \
	    ".global " #sym "\n" \
	    ".type " #sym ", @object\n" \
	    ".balign 16\n" \
	    #sym ":\n" \
	    ".incbin \"" SOHOA_SOURCE_DIR "/index/" file "\"\n" \
	    ".byte 0\n" \
	    ".size " #sym ", . - " #sym "\n" \
	    ".previous\n")

EMBED(sohoa_schema_sql, "schema.sql");
EMBED(sohoa_schema_2_sql, "schema_2.sql");
EMBED(sohoa_schema_3_sql, "schema_3.sql");

extern const char sohoa_schema_2_sql[];
extern const char sohoa_schema_3_sql[];

/* steps[v] takes an archive from version v to v + 1 (steps[0] creates). */
static const char *const steps[SOHOA_SCHEMA_VERSION] = {
	sohoa_schema_sql,
	sohoa_schema_2_sql,
	sohoa_schema_3_sql,
};

static int
query_int(struct sohoa_archive *a, const char *sql, int *pv)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*pv = 0;
	rc = sohoa_archive_prepare(a, sql, &st);
	if (rc != SOHOA_OK)
		return rc;
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		*pv = sqlite3_column_int(st, 0);
		/* FALLTHROUGH */
	case SQLITE_DONE:
		break;
	default:
		rc = sohoa_archive_db_error(a, "read the archive's schema");
	}
	sqlite3_finalize(st);
	return rc;
}

static int
not_ours(struct sohoa_archive *a, const char *why)
{
	return sohoa_set_error(a->ctx, SOHOA_ERR_FORMAT,
	    "'%s/sohoa.db' is not a sohoa archive (%s); move it away or "
	    "choose another --archive", a->dir, why);
}

int
sohoa_archive_schema_check(struct sohoa_archive *a, int *pversion)
{
	int app, version, ntables, v1;
	int rc;

	*pversion = 0;
	rc = query_int(a, "PRAGMA application_id", &app);
	if (rc == SOHOA_OK)
		rc = query_int(a, "PRAGMA user_version", &version);
	if (rc == SOHOA_OK)
		rc = query_int(a, "SELECT count(*) FROM sqlite_master", &ntables);
	if (rc != SOHOA_OK)
		return rc;
	if (app == SOHOA_APPLICATION_ID) {
		if (version < 2 || version > SOHOA_SCHEMA_VERSION)
			return sohoa_set_error(a->ctx, SOHOA_ERR_FORMAT,
			    "archive '%s' has schema version %d; this sohoa "
			    "(%s) reads versions 1 to %d (use a newer sohoa)",
			    a->dir, version, SOHOA_VERSION,
			    SOHOA_SCHEMA_VERSION);
		*pversion = version;
		return SOHOA_OK;
	}
	if (app != 0)
		return not_ours(a, "another program's application id");
	if (ntables == 0) {
		if (version != 0)
			return not_ours(a, "a user version but no tables");
		return SOHOA_OK;	/* new, or an init killed early */
	}
	/* version 1: no application id, our tables and meta row */
	rc = query_int(a, "SELECT count(*) FROM sqlite_master WHERE type ="
	    " 'table' AND name IN ('meta', 'dossiers', 'files', 'documents',"
	    " 'pages', 'fields', 'field_history', 'failures', 'exports')",
	    &ntables);
	if (rc != SOHOA_OK)
		return rc;
	if (ntables != 9)
		return not_ours(a, "it has other tables");
	rc = query_int(a, "SELECT count(*) FROM meta WHERE key ="
	    " 'schema_version' AND value = '1'", &v1);
	if (rc != SOHOA_OK)
		return rc;
	if (v1 != 1 || version != 0)
		return not_ours(a, "an unknown schema version");
	*pversion = 1;
	return SOHOA_OK;
}

int
sohoa_archive_schema_upgrade(struct sohoa_archive *a, int from)
{
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	int rc, v;

	if (from >= SOHOA_SCHEMA_VERSION)
		return SOHOA_OK;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	/* checked again inside the write lock: another process may have won */
	rc = sohoa_archive_schema_check(a, &from);
	for (v = from; rc == SOHOA_OK && v < SOHOA_SCHEMA_VERSION; v++) {
		if (sqlite3_exec(a->db, steps[v], NULL, NULL, NULL) != SQLITE_OK)
			rc = sohoa_archive_db_error(a, v == 0 ?
			    "create the archive's tables" :
			    "upgrade the archive's tables");
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_addf(&sql, "PRAGMA application_id = %d;"
		    " PRAGMA user_version = %d", SOHOA_APPLICATION_ID,
		    SOHOA_SCHEMA_VERSION);
		if (sqlite3_exec(a->db, sql.buf, NULL, NULL, NULL) != SQLITE_OK)
			rc = sohoa_archive_db_error(a, "mark the archive");
	}
	/* the new tables and views must keep their references intact */
	if (rc == SOHOA_OK && from > 0) {
		int bad;

		rc = query_int(a, "SELECT count(*) FROM pragma_foreign_key_check",
		    &bad);
		if (rc == SOHOA_OK && bad > 0)
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_DB,
			    "cannot upgrade '%s': %d rows refer to rows that do"
			    " not exist (run 'sohoa check')", a->dir, bad);
	}
	rc = sohoa_archive_end(a, rc);
	sohoa_buf_release(&sql);
	return rc;
}
