/*
 * Tests of the archive's schema versions (index/archive_schema.c): an
 * archive made by the previous release (tests/data/archive-v1, made by
 * sohoa 0.1.0 with a correction in it) opens and is upgraded with its
 * records and history intact; a new archive and an upgraded one have the
 * same tables; a foreign SQLite file named sohoa.db is refused and left
 * untouched; an archive from a newer sohoa is refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sohoa/archive.h"
#include "archive_private.h"
#include "sohoa/history.h"
#include "sohoa/search.h"
#include "check.h"

static char tmpdir[64];

static void __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(1);
	}
}

static int
query_int(struct sohoa_archive *a, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(sohoa_archive_db(a), sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The schema's tables, indexes and views as one string, for comparing. */
static char *
schema_of(struct sohoa_archive *a)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(sohoa_archive_db(a), "SELECT type, name,"
	    " tbl_name FROM sqlite_master WHERE name NOT LIKE 'search%'"
	    " AND name NOT LIKE 'sqlite%' ORDER BY type, name", -1, &st,
	    NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		sohoa_buf_addf(&out, "%s %s %s\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	/* columns too: ALTER TABLE ADD COLUMN and CREATE TABLE must agree */
	if (sqlite3_prepare_v2(sohoa_archive_db(a), "SELECT m.name, p.name,"
	    " p.type, p.\"notnull\", p.dflt_value FROM sqlite_master m,"
	    " pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name"
	    " NOT LIKE 'search%' ORDER BY m.name, p.name", -1, &st,
	    NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		sohoa_buf_addf(&out, "%s.%s %s %d %s\n",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		    sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
		    sqlite3_column_text(st, 4) ? (const char *)
		    sqlite3_column_text(st, 4) : "-");
	sqlite3_finalize(st);
	return sohoa_buf_detach(&out, NULL);
}

struct hist {
	int n;
	char who[32], key[32], old[64], new[64], action[32];
};

static int
on_event(void *arg, const struct sohoa_event *ev)
{
	struct hist *h = arg;

	h->n++;
	snprintf(h->who, sizeof(h->who), "%s", ev->who);
	snprintf(h->key, sizeof(h->key), "%s", ev->key ? ev->key : "");
	snprintf(h->old, sizeof(h->old), "%s", ev->old_value ? ev->old_value : "");
	snprintf(h->new, sizeof(h->new), "%s", ev->new_value ? ev->new_value : "");
	snprintf(h->action, sizeof(h->action), "%s", ev->action);
	return 0;
}

static void
test_upgrade_v1(struct sohoa_ctx *ctx)
{
	char dir[128], fresh[128];
	struct sohoa_archive *a = NULL, *n = NULL;
	struct sohoa_document *d = NULL;
	struct sohoa_event_filter f;
	struct hist h;
	char *s1, *s2;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/v1", tmpdir);
	sh("cp -r '%s/tests/data/archive-v1' '%s'",
	    getenv("SOHOA_SOURCE_DIR") ? getenv("SOHOA_SOURCE_DIR") : "..", dir);
	/* a reader comes first: it upgrades through a writable handle */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, dir,
	    SOHOA_ARCHIVE_READONLY, &a));
	if (a == NULL) {
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
		return;
	}
	CHECK_INT_EQ(3, query_int(a, "PRAGMA user_version"));
	CHECK_INT_EQ(2, query_int(a, "SELECT count(*) FROM documents"));
	CHECK_INT_EQ(29, query_int(a, "SELECT count(*) FROM fields"));
	/* the v1 correction is now an event, and the field knows its author */
	memset(&f, 0, sizeof(f));
	f.document_id = 2;
	memset(&h, 0, sizeof(h));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_event_list(a, &f, on_event, &h));
	CHECK_INT_EQ(1, h.n);
	CHECK_STR_EQ("clerk1", h.who);
	CHECK_STR_EQ("field_set", h.action);
	CHECK_STR_EQ("full_name", h.key);
	CHECK_STR_EQ("NGUYỄN HUYỀN TRÂM", h.old);
	CHECK_STR_EQ("Nguyễn Huyền Trâm", h.new);
	CHECK_INT_EQ(1, query_int(a, "SELECT count(*) FROM field_history"));
	CHECK_INT_EQ(1, query_int(a, "SELECT count(*) FROM fields WHERE"
	    " corrected AND changed_by = 'clerk1' AND changed_at IS NOT NULL"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_load(a, 2, &d));
	if (d != NULL) {
		for (i = 0; i < d->nfields; i++)
			if (strcmp(d->fields[i].key, "full_name") == 0)
				CHECK_STR_EQ("Nguyễn Huyền Trâm", d->fields[i].value);
		CHECK_INT_EQ(1, d->npages);
	}
	sohoa_document_destroy(&d);
	sohoa_archive_close(&a);

	/* a new archive has exactly the upgraded one's tables and columns */
	snprintf(fresh, sizeof(fresh), "%s/fresh", tmpdir);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, dir, 0, &a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, fresh,
	    SOHOA_ARCHIVE_CREATE, &n));
	if (a != NULL && n != NULL) {
		s1 = schema_of(a);
		s2 = schema_of(n);
		CHECK(s1 != NULL && s2 != NULL);
		CHECK_STR_EQ(s2, s1);
		free(s1);
		free(s2);
		CHECK_INT_EQ(3, query_int(n, "PRAGMA user_version"));
		CHECK_INT_EQ(1, query_int(n, "SELECT value FROM meta WHERE"
		    " key = 'schema_version'") == 3);
	}
	sohoa_archive_close(&n);
	sohoa_archive_close(&a);
}

static void
test_foreign(struct sohoa_ctx *ctx)
{
	char dir[128], db[160];
	struct sohoa_archive *a = NULL;
	sqlite3 *s = NULL;
	char before[SOHOA_SHA256_HEX], after[SOHOA_SHA256_HEX];

	snprintf(dir, sizeof(dir), "%s/foreign", tmpdir);
	sh("mkdir -p '%s'", dir);
	snprintf(db, sizeof(db), "%s/sohoa.db", dir);
	CHECK_INT_EQ(SQLITE_OK, sqlite3_open(db, &s));
	CHECK_INT_EQ(SQLITE_OK, sqlite3_exec(s, "CREATE TABLE accounts(a);"
	    " INSERT INTO accounts VALUES (1)", NULL, NULL, NULL));
	sqlite3_close(s);
	CHECK_INT_EQ(SOHOA_OK, sohoa_sha256_file(ctx, db, before));
	/* neither 'sohoa init' nor a reader adopts it */
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, sohoa_archive_open(ctx, dir,
	    SOHOA_ARCHIVE_CREATE, &a));
	CHECK(a == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "is not a sohoa archive") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, sohoa_archive_open(ctx, dir,
	    SOHOA_ARCHIVE_READONLY, &a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_sha256_file(ctx, db, after));
	CHECK_STR_EQ(before, after);

	/* an archive from a newer sohoa */
	snprintf(dir, sizeof(dir), "%s/newer", tmpdir);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, dir,
	    SOHOA_ARCHIVE_CREATE, &a));
	if (a != NULL)
		CHECK_INT_EQ(SQLITE_OK, sqlite3_exec(sohoa_archive_db(a),
		    "PRAGMA user_version = 99", NULL, NULL, NULL));
	sohoa_archive_close(&a);
	CHECK_INT_EQ(SOHOA_ERR_FORMAT, sohoa_archive_open(ctx, dir, 0, &a));
	CHECK(strstr(sohoa_errmsg(ctx), "schema version 99") != NULL);
}

int
main(void)
{
	struct sohoa_ctx *ctx;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_schema_XXXXXX");
	if (ctx == NULL || mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_upgrade_v1(ctx);
	test_foreign(ctx);
	sh("rm -rf '%s'", tmpdir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_index_schema");
}
