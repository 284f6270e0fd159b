/*
 * Fuzz target for the search query language: the input is a query typed
 * by a user.  sohoa_fts_query_build() turns it into an FTS5 expression,
 * which must always be one FTS5 accepts (it is run with MATCH on an
 * in-memory index), and sohoa_search() runs it on a small archive made at
 * start-up, with filters taken from the first byte.  A malformed query is
 * SOHOA_ERR_INPUT; an SQL error (SOHOA_ERR_DB) means the parser let
 * something through to FTS5 and is a finding, as is a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/page.h"
#include "sohoa/search.h"
#include "fts.h"
#include "fuzz_common.h"

static struct sohoa_ctx *ctx;
static struct sohoa_archive *archive;
static sqlite3 *mem;

static const char *const texts[] = {
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY KHAI SINH\n"
	"Họ, chữ đệm, tên: Nguyễn Văn Đức\nNgày sinh: 14/03/2018\n"
	"Nơi sinh: xã Hòn Đất, tỉnh Kiên Giang\n",
	"TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: Trần Thị Lan\n"
	"Ngày chết: 02/11/2019\nSố định danh cá nhân: 001215000001\n",
	"QUYẾT ĐỊNH\nSố: 125/QĐ-UBND\nVề việc thay đổi hộ tịch của "
	"ông Lê Văn Nam\n",
};

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_query: %s: %s\n", what, sohoa_errmsg(ctx));
	exit(1);
}

/* A dossier of three one-page documents, indexed for search. */
static void
make_archive(void)
{
	struct sohoa_file_info f;
	struct sohoa_fields fields;
	struct sohoa_page *page = NULL;
	int64_t dossier, file, id;
	char *dir = fuzz_path("archive");
	size_t i;
	int rc;

	if (sohoa_archive_open(ctx, dir, SOHOA_ARCHIVE_CREATE, &archive) !=
	    SOHOA_OK)
		die("archive");
	free(dir);
	if (sohoa_archive_begin(archive) != SOHOA_OK ||
	    sohoa_archive_dossier_get(archive, "HS-2019-0042", 1, &dossier) !=
	    SOHOA_OK)
		die("dossier");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		memset(&f, 0, sizeof(f));
		sohoa_sha256_mem(texts[i], strlen(texts[i]), f.sha256);
		f.dossier_id = dossier;
		f.path = f.name = "page.tif";
		f.format = "tiff";
		f.size = 1;
		f.npages = 1;
		sohoa_fields_init(&fields);
		rc = sohoa_page_from_text(texts[i], 90.0f, &page);
		if (rc == SOHOA_OK)
			rc = sohoa_archive_file_add(archive, &f, &file);
		if (rc == SOHOA_OK)
			rc = sohoa_archive_page_add(archive, file, page, &id);
		if (rc == SOHOA_OK)
			rc = sohoa_fields_set(&fields, "personal_id",
			    "001215000001", "001215000001", 90.0f, 0);
		if (rc == SOHOA_OK)
			rc = sohoa_archive_document_add(archive, file, 0, 1,
			    i == 2 ? "decision" : "birth", &fields, &id);
		sohoa_fields_release(&fields);
		sohoa_page_destroy(&page);
		if (rc != SOHOA_OK)
			die("document");
	}
	if (sohoa_archive_commit(archive) != SOHOA_OK)
		die("commit");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	(void)argc;
	(void)argv;
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL)
		abort();
	make_archive();
	if (sqlite3_open(":memory:", &mem) != SQLITE_OK ||
	    sohoa_fts_open(ctx, mem) != SOHOA_OK)
		die("in-memory index");
	if (sqlite3_prepare_v2(mem, "INSERT INTO search_fts(rowid, title, "
	    "fields, body) VALUES (?, 'giấy khai sinh', 'Nguyễn Văn Đức', ?)",
	    -1, &st, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(mem));
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, texts[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(sqlite3_errmsg(mem));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

/* The built expression must be one FTS5 parses and runs. */
static void
match(const char *expr)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(mem, "SELECT rowid FROM search_fts WHERE "
	    "search_fts MATCH ?", -1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "fuzz_query: FTS5 refused '%s': %s\n", expr,
		    sqlite3_errmsg(mem));
		abort();
	}
	sqlite3_finalize(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sohoa_search_opts opts;
	struct sohoa_search_result *res = NULL;
	struct sohoa_search_field field;
	struct sohoa_fts_query q;
	char *s;
	int rc;

	if (size < 1 || size > 4096)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	sohoa_fts_query_init(&q);
	rc = sohoa_fts_query_build(ctx, s, &q);
	if (rc == SOHOA_OK) {
		if (q.expr.len > 0)
			match(q.expr.buf);
	} else if (rc != SOHOA_ERR_INPUT) {
		abort();
	}
	sohoa_fts_query_release(&q);

	memset(&opts, 0, sizeof(opts));
	opts.query = s;
	if (data[0] & 1)
		opts.doc_type = "birth";
	if (data[0] & 2)
		opts.dossier = "HS-2019-0042";
	if (data[0] & 4) {
		opts.date_from = "2018";
		opts.date_to = "2019-12-31";
	}
	if (data[0] & 8) {
		field.key = "personal_id";
		field.value = "001215000001";
		opts.fields = &field;
		opts.nfields = 1;
	}
	if (data[0] & 16)
		opts.flags |= SOHOA_SEARCH_NO_FUZZY;
	opts.limit = data[0] >> 5;
	rc = sohoa_search(archive, &opts, &res);
	if (rc == SOHOA_OK) {
		if (res == NULL)
			abort();
		sohoa_search_result_destroy(&res);
	} else if (rc != SOHOA_ERR_INPUT && rc != SOHOA_ERR_NOTFOUND) {
		fprintf(stderr, "fuzz_query: '%s': %s\n", s,
		    sohoa_errmsg(ctx));
		abort();
	}
	free(s);
	return 0;
}
