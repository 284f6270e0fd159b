/*
 * Tests of Vietnamese full-text search (index/fts.c, index/search*.c):
 * a real archive in a temporary directory, documents with real names and
 * places, then folding, đ, exact-diacritic ranking, phrases, prefixes,
 * AND/OR/NOT, filters, malformed queries, snippets, fuzzy names,
 * re-indexing, a reader during a write, and the command line.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/search.h"
#include "fts.h"
#include "check.h"

static struct sohoa_ctx *ctx;
static sqlite3 *db;
static char dir[] = "/tmp/sohoa-search-XXXXXX";

static void
exec_sql(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "sql failed: %s: %s\n", sql, err);
		check_failures++;
	}
	sqlite3_free(err);
}

/*
 * Add a document with one page of BODY and fields "key=value" (NULL
 * terminated), and index it.  Returns its id.
 */
static int64_t
add_doc(const char *dossier, const char *type, const char *date,
    const char *title, const char *body, ...)
{
	static int nfile;
	sqlite3_stmt *st = NULL;
	int64_t did, fid, doc;
	const char *kv, *eq;
	char sha[65];
	va_list ap;

	sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO dossiers(code, "
	    "created_at) VALUES (?1, '2024-01-01T00:00:00+07:00')", -1, &st,
	    NULL);
	sqlite3_bind_text(st, 1, dossier, -1, SQLITE_STATIC);
	CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "SELECT id FROM dossiers WHERE code = ?1", -1,
	    &st, NULL);
	sqlite3_bind_text(st, 1, dossier, -1, SQLITE_STATIC);
	CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(st));
	did = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);

	snprintf(sha, sizeof(sha), "%064d", ++nfile);
	sqlite3_prepare_v2(db, "INSERT INTO files(sha256, dossier_id, path, "
	    "name, format, size, npages, done, ingested_at) VALUES (?1, ?2, "
	    "'x.tif', 'x.tif', 'tiff', 1, 1, 1, '2024-01-01')", -1, &st, NULL);
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, did);
	CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);
	fid = sqlite3_last_insert_rowid(db);

	sqlite3_prepare_v2(db, "INSERT INTO documents(dossier_id, file_id, "
	    "first_page, npages, ordinal, doc_type, title, doc_date, "
	    "created_at) VALUES (?1, ?2, 0, 1, (SELECT coalesce(max(ordinal),"
	    " 0) + 1 FROM documents WHERE dossier_id = ?1), ?3, ?4, ?5,"
	    " '2024')", -1,
	    &st, NULL);
	sqlite3_bind_int64(st, 1, did);
	sqlite3_bind_int64(st, 2, fid);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, date, -1, SQLITE_STATIC);
	CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);
	doc = sqlite3_last_insert_rowid(db);

	sqlite3_prepare_v2(db, "INSERT INTO pages(file_id, document_id, "
	    "pageno, status, text) VALUES (?1, ?2, 0, 'ok', ?3)", -1, &st,
	    NULL);
	sqlite3_bind_int64(st, 1, fid);
	sqlite3_bind_int64(st, 2, doc);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);

	va_start(ap, body);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		eq = strchr(kv, '=');
		sqlite3_prepare_v2(db, "INSERT INTO fields(document_id, key, "
		    "value) VALUES (?1, ?2, ?3)", -1, &st, NULL);
		sqlite3_bind_int64(st, 1, doc);
		sqlite3_bind_text(st, 2, kv, (int)(eq - kv), SQLITE_STATIC);
		sqlite3_bind_text(st, 3, eq + 1, -1, SQLITE_STATIC);
		CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(st));
		sqlite3_finalize(st);
	}
	va_end(ap);
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_index_document(ctx, db, doc));
	return doc;
}

static int64_t d_duc, d_le, d_le2, d_dao, d_hondat, d_hoaug, d_death;
static int64_t d_dat;

static void
setup(void)
{
	struct sohoa_archive *a = NULL;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, dir,
	    SOHOA_ARCHIVE_CREATE, &a));
	if (a == NULL) {
		fprintf(stderr, "cannot open archive: %s\n", sohoa_errmsg(ctx));
		exit(1);
	}
	sohoa_archive_close(&a);
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/sohoa.db", dir);
		CHECK_INT_EQ(SQLITE_OK, sqlite3_open(path, &db));
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_open(ctx, db));
	exec_sql("BEGIN");
	d_duc = add_doc("HS-2019-0001", "birth", "2019-03-12",
	    "Giấy khai sinh: Nguyễn Văn Đức",
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY KHAI SINH\n"
	    "Họ, chữ đệm, tên: NGUYỄN VĂN ĐỨC\nNgày sinh: 12/03/2019\n"
	    "Nơi sinh: Trạm Y tế xã Sơn Kim, huyện Hòn Đất, tỉnh Kiên Giang",
	    "full_name=Nguyễn Văn Đức", "personal_id=001215000001",
	    "birth_date=2019-03-12", "birth_place=Hòn Đất, Kiên Giang", NULL);
	d_le = add_doc("HS-2019-0001", "birth", "2018-07-01",
	    "Giấy khai sinh: Lê Thị Hoa",
	    "Họ, chữ đệm, tên: Lê Thị Hoa\nDân tộc: Kinh\nQuê quán: Hà Nội",
	    "full_name=Lê Thị Hoa", "personal_id=001218000777", NULL);
	/* more "Lệ" than the other has "Lê": bm25 alone would prefer it */
	d_le2 = add_doc("HS-2020-0002", "birth", "2020-05-20",
	    "Giấy khai sinh: Lệ Thị Hoa",
	    "Họ, chữ đệm, tên: Lệ Thị Hoa. Mẹ: Lệ Thị Mai. Bà: Lệ Thị Lan.",
	    "full_name=Lệ Thị Hoa", NULL);
	d_dao = add_doc("HS-2020-0002", "marriage", "2020-11-02",
	    "Giấy chứng nhận kết hôn: Phạm Thị Đào",
	    "Họ tên vợ: Phạm Thị Đào, sinh tại Đà Nẵng.\n"
	    "Họ tên chồng: Đức Văn Minh, nơi cư trú: Hà Nội",
	    "wife_name=Phạm Thị Đào", "husband_name=Đức Văn Minh", NULL);
	d_hondat = add_doc("HS-2021-0003", "residence", "2021-01-15",
	    "Xác nhận cư trú", "Ông Trần Quốc Tuấn cư trú tại thị trấn "
	    "Hòn Đất từ năm 1990. Gia đình có hộ khẩu thường trú.", NULL);
	/* an OCR error in a name: "Hoàug" for "Hoàng" */
	d_hoaug = add_doc("HS-2021-0003", "death", "2021-06-30",
	    "Trích lục khai tử: Hoàug Văn Thụ",
	    "Họ, chữ đệm, tên người chết: Hoàug Văn Thụ",
	    "full_name=Hoàug Văn Thụ", NULL);
	d_death = add_doc("HS-2021-0003", "death", "2022-02-01",
	    "Trích lục khai tử: Nguyễn Thị Lê",
	    "Người chết: Nguyễn Thị Lê, quê quán Kiên Giang",
	    "full_name=Nguyễn Thị Lê", NULL);
	/* "hôn" and "Đạt" in the title, but not side by side */
	d_dat = add_doc("HS-2022-0004", "marriage", "2022-08-08",
	    "Giấy chứng nhận kết hôn: Vũ Thành Đạt",
	    "Họ tên chồng: Vũ Thành Đạt. Họ tên vợ: Vũ Minh Anh. Đăng ký "
	    "kết hôn tại Ủy ban nhân dân phường Bến Nghé",
	    "husband_name=Vũ Thành Đạt", "wife_name=Vũ Minh Anh", NULL);
	exec_sql("COMMIT");
}

static struct sohoa_search_result *
run(const char *query, const struct sohoa_search_opts *base)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *r = NULL;
	int rc;

	if (base != NULL)
		o = *base;
	else
		memset(&o, 0, sizeof(o));
	o.query = query;
	rc = sohoa_search_db(ctx, db, &o, &r);
	if (rc != SOHOA_OK) {
		fprintf(stderr, "search '%s' failed: %s\n", query,
		    sohoa_errmsg(ctx));
		check_failures++;
	}
	return r;
}

static int
has(const struct sohoa_search_result *r, int64_t id)
{
	size_t i;

	for (i = 0; r != NULL && i < r->nhits; i++)
		if (r->hits[i].doc_id == id)
			return 1;
	return 0;
}

static int64_t
first(const struct sohoa_search_result *r)
{
	return r != NULL && r->nhits > 0 ? r->hits[0].doc_id : -1;
}

static size_t
count(const char *query, const struct sohoa_search_opts *o)
{
	struct sohoa_search_result *r = run(query, o);
	size_t n = r ? r->nhits : 0;

	sohoa_search_result_destroy(&r);
	return n;
}

static void
test_tokens(void)
{
	struct sohoa_buf f = SOHOA_BUF_INIT, e = SOHOA_BUF_INIT;
	int n, differ;

	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_terms("Nguyễn Văn Đức, HÒN ĐẤT",
	    strlen("Nguyễn Văn Đức, HÒN ĐẤT"), &f, &e, &n, &differ));
	CHECK_STR_EQ("nguyen van duc hon dat", f.buf);
	CHECK_STR_EQ("nguyễn văn đức hòn đất", e.buf);
	CHECK_INT_EQ(5, n);
	CHECK_INT_EQ(1, differ);
	sohoa_buf_reset(&f);
	sohoa_buf_reset(&e);
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_terms("Le van 12/03/2019", 17, &f,
	    &e, &n, &differ));
	CHECK_STR_EQ("le van 12 03 2019", f.buf);
	CHECK_INT_EQ(0, differ);
	sohoa_buf_release(&f);
	sohoa_buf_release(&e);
	CHECK_INT_EQ(1, sohoa_fts_distance("duc", 3, "dcu", 3, 2));
	CHECK_INT_EQ(1, sohoa_fts_distance("hoang", 5, "hoaug", 5, 2));
	CHECK_INT_EQ(2, sohoa_fts_distance("khiem", 5, "khiern", 6, 2));
	CHECK_INT_EQ(3, sohoa_fts_distance("abc", 3, "xyzw", 4, 2));
}

static void
test_folding(void)
{
	struct sohoa_search_result *r;

	r = run("nguyen van duc", NULL);
	CHECK_INT_EQ(d_duc, first(r));
	sohoa_search_result_destroy(&r);
	r = run("NGUYEN VAN DUC", NULL);
	CHECK_INT_EQ(d_duc, first(r));
	sohoa_search_result_destroy(&r);
	/* đ folds to d, in the query and in the text */
	r = run("hon dat", NULL);
	CHECK(has(r, d_duc));
	CHECK(has(r, d_hondat));
	CHECK(!has(r, d_le));
	/* words side by side first, though the title weighs more */
	CHECK(r != NULL && r->nhits == 3);
	if (r != NULL && r->nhits == 3)
		CHECK_INT_EQ(d_dat, r->hits[2].doc_id);
	sohoa_search_result_destroy(&r);
	r = run("Đào", NULL);
	CHECK_INT_EQ(d_dao, first(r));
	sohoa_search_result_destroy(&r);
	r = run("dao", NULL);
	CHECK_INT_EQ(d_dao, first(r));
	sohoa_search_result_destroy(&r);
	/* a query typed in NFD (combining marks) */
	r = run("Nguye\xcc\x82\xcc\x83n", NULL);
	CHECK(has(r, d_duc));
	sohoa_search_result_destroy(&r);
}

static void
test_exact_rank(void)
{
	struct sohoa_search_result *r;

	r = run("le thi hoa", NULL);
	CHECK(has(r, d_le));
	CHECK(has(r, d_le2));
	sohoa_search_result_destroy(&r);
	r = run("Lê Thị Hoa", NULL);
	CHECK_INT_EQ(d_le, first(r));
	CHECK(has(r, d_le2));	/* look-alikes are still found */
	CHECK(r != NULL && r->nhits > 0 && r->hits[0].exact >= 1);
	sohoa_search_result_destroy(&r);
	r = run("Lệ Thị Hoa", NULL);
	CHECK_INT_EQ(d_le2, first(r));
	CHECK(has(r, d_le));
	sohoa_search_result_destroy(&r);
	/* "Lê" alone: the two documents spelt Lê before the one with Lệ */
	r = run("Lê", NULL);
	CHECK(r != NULL && r->nhits == 3);
	if (r != NULL && r->nhits == 3)
		CHECK_INT_EQ(d_le2, r->hits[2].doc_id);
	sohoa_search_result_destroy(&r);
}

static void
test_operators(void)
{
	struct sohoa_search_result *r;

	/* phrase: "van duc" is in Nguyễn Văn Đức, not in Đức Văn Minh */
	r = run("\"văn đức\"", NULL);
	CHECK(has(r, d_duc));
	CHECK(!has(r, d_dao));
	sohoa_search_result_destroy(&r);
	r = run("duc van", NULL);
	CHECK(has(r, d_duc));
	CHECK(has(r, d_dao));
	sohoa_search_result_destroy(&r);
	/*
	 * words side by side in the text are looked up as pairs, which stop
	 * at a line or a label; a phrase in quotes is still found across
	 * them ("Lê Thị Hoa\n<Dân tộc:> Kinh")
	 */
	r = run("\"thi hoa kinh\"", NULL);
	CHECK(r && r->nhits == 1 && has(r, d_le));
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_TEXT);
	sohoa_search_result_destroy(&r);
	/* apart: the WORDS tier, its AND nested from the rarest word out */
	r = run("noi kinh hoa", NULL);
	CHECK(r && r->nhits == 1 && has(r, d_le));
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_WORDS);
	CHECK(r && r->nhits && strstr(r->hits[0].snippet, "[Hoa]") &&
	    strstr(r->hits[0].snippet, "[Kinh]") &&
	    strstr(r->hits[0].snippet, "[Nội]"));
	sohoa_search_result_destroy(&r);
	r = run("\"kim huyen hon dat\"", NULL);
	CHECK(r && r->nhits && r->hits[0].doc_id == d_duc &&
	    r->hits[0].match == SOHOA_MATCH_TEXT);
	sohoa_search_result_destroy(&r);
	/* prefixes */
	r = run("Nguy*", NULL);
	CHECK(has(r, d_duc));
	CHECK(has(r, d_death));
	CHECK(!has(r, d_le));
	sohoa_search_result_destroy(&r);
	r = run("\"kien gi\"*", NULL);
	CHECK(has(r, d_duc));
	CHECK(has(r, d_death));
	sohoa_search_result_destroy(&r);
	/* OR, AND, NOT, -word, parentheses */
	r = run("dao OR thu", NULL);
	CHECK(has(r, d_dao));
	CHECK(has(r, d_hoaug));
	CHECK(!has(r, d_duc));
	sohoa_search_result_destroy(&r);
	CHECK_INT_EQ(1, count("hoa AND \"ha noi\"", NULL));
	r = run("hoa NOT noi", NULL);
	CHECK(has(r, d_le2));
	CHECK(!has(r, d_le));
	sohoa_search_result_destroy(&r);
	r = run("hoa -noi", NULL);
	CHECK(has(r, d_le2));
	CHECK(!has(r, d_le));
	sohoa_search_result_destroy(&r);
	r = run("(dao OR tuan) kien", NULL);
	CHECK_INT_EQ(0, r ? (long long)r->nhits : -1);
	sohoa_search_result_destroy(&r);
	r = run("(dao OR tuan) -nang", NULL);
	CHECK(has(r, d_hondat));
	CHECK(!has(r, d_dao));
	sohoa_search_result_destroy(&r);
	/* lower-case "or" is a word, not an operator */
	CHECK_INT_EQ(0, count("dao or thu", NULL));
}

static void
test_filters(void)
{
	struct sohoa_search_opts o;
	struct sohoa_search_field f[2];
	struct sohoa_search_result *r;

	memset(&o, 0, sizeof(o));
	o.doc_type = "death";
	r = run("", &o);
	CHECK(r != NULL && r->nhits == 2);
	CHECK_INT_EQ(d_death, first(r));	/* newest first */
	sohoa_search_result_destroy(&r);
	r = run("nguyen", &o);
	CHECK(r != NULL && r->nhits == 1);
	CHECK_INT_EQ(d_death, first(r));
	sohoa_search_result_destroy(&r);

	memset(&o, 0, sizeof(o));
	o.dossier = "HS-2020-0002";
	CHECK_INT_EQ(2, count("", &o));
	CHECK_INT_EQ(1, count("hoa", &o));
	o.dossier = "HS-2099-0000";
	{
		struct sohoa_search_result *rr = NULL;

		o.query = "hoa";
		CHECK_INT_EQ(SOHOA_ERR_NOTFOUND,
		    sohoa_search_db(ctx, db, &o, &rr));
		CHECK(strstr(sohoa_errmsg(ctx), "HS-2099-0000") != NULL);
		CHECK(rr == NULL);
	}

	memset(&o, 0, sizeof(o));
	o.date_from = "2020";
	o.date_to = "2021-01";
	r = run("", &o);
	CHECK(r != NULL && r->nhits == 3);
	CHECK(has(r, d_le2) && has(r, d_dao) && has(r, d_hondat));
	sohoa_search_result_destroy(&r);
	o.date_to = "2020-05-20";
	CHECK_INT_EQ(1, count("", &o));

	memset(&o, 0, sizeof(o));
	f[0].key = "personal_id";
	f[0].value = "001215000001";
	o.fields = f;
	o.nfields = 1;
	r = run("", &o);
	CHECK(r != NULL && r->nhits == 1);
	CHECK_INT_EQ(d_duc, first(r));
	sohoa_search_result_destroy(&r);
	/* matched after folding; several fields are ANDed */
	f[0].key = "full_name";
	f[0].value = "nguyen van duc";
	CHECK_INT_EQ(1, count("", &o));
	f[1].key = "personal_id";
	f[1].value = "001218000777";
	o.nfields = 2;
	CHECK_INT_EQ(0, count("", &o));
	/* the value must be the whole field, not a word of it */
	f[0].value = "nguyen";
	o.nfields = 1;
	CHECK_INT_EQ(0, count("", &o));
	/* a field filter with a query, and one on the wrong key */
	f[0].key = "husband_name";
	f[0].value = "Đức Văn Minh";
	CHECK_INT_EQ(1, count("dao", &o));
	CHECK_INT_EQ(0, count("hoa", &o));
	f[0].key = "wife_name";
	CHECK_INT_EQ(0, count("", &o));

	memset(&o, 0, sizeof(o));
	o.date_from = "2020-13-01";
	o.query = "hoa";
	r = NULL;
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_search_db(ctx, db, &o, &r));
	CHECK(strstr(sohoa_errmsg(ctx), "not a date") != NULL);
}

static void
test_snippets(void)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *r;

	r = run("hon dat", NULL);
	CHECK(r != NULL && r->nhits >= 2);
	/* the words side by side are highlighted as one */
	CHECK(r && r->nhits && strstr(r->hits[0].snippet, "[Hòn Đất]") !=
	    NULL);
	sohoa_search_result_destroy(&r);
	memset(&o, 0, sizeof(o));
	o.hl_open = "«";
	o.hl_close = "»";
	r = run("tuan", &o);
	CHECK_INT_EQ(d_hondat, first(r));
	CHECK(r && r->nhits && strstr(r->hits[0].snippet, "«Tuấn»") != NULL);
	CHECK(r && r->nhits && strchr(r->hits[0].snippet, '\n') == NULL);
	CHECK(r && r->nhits && r->hits[0].score > 0);
	CHECK(r && r->nhits && strcmp(r->hits[0].dossier, "HS-2021-0003") ==
	    0);
	CHECK(r && r->nhits && strcmp(r->hits[0].doc_type, "residence") == 0);
	CHECK(r && r->nhits && r->hits[0].date &&
	    strcmp(r->hits[0].date, "2021-01-15") == 0);
	sohoa_search_result_destroy(&r);
	/* title words weigh more than body words */
	r = run("khai sinh", NULL);
	CHECK(r && r->nhits == 3);
	sohoa_search_result_destroy(&r);
}

/* More matches than the rank cap: only the most recent are ranked. */
static void
test_cap(void)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *r;

	memset(&o, 0, sizeof(o));
	o.rank_cap = 2;
	/*
	 * "thi" (thị) is in the names of four documents: the two newest of
	 * them are ranked first, then the two newest with it in the text
	 */
	r = run("thi", &o);
	CHECK(r != NULL && r->capped);
	CHECK(r != NULL && r->nhits == 3);
	CHECK(r && r->nhits == 3 && r->hits[0].match == SOHOA_MATCH_TITLE &&
	    r->hits[1].match == SOHOA_MATCH_TITLE &&
	    r->hits[2].match == SOHOA_MATCH_TEXT);
	CHECK(has(r, d_death));
	CHECK(has(r, d_dao));
	CHECK(has(r, d_hondat));
	CHECK(!has(r, d_le));
	CHECK(!has(r, d_le2));
	sohoa_search_result_destroy(&r);
	/*
	 * the two newest are not births: the cut is taken again with the
	 * filter, which keeps two documents, so nothing is left out
	 */
	o.doc_type = "birth";
	r = run("thi", &o);
	CHECK(r != NULL && !r->capped);
	CHECK(r != NULL && r->nhits == 2);
	CHECK(has(r, d_le2));
	CHECK(has(r, d_le));
	CHECK(!has(r, d_death));
	sohoa_search_result_destroy(&r);
	o.rank_cap = 0;
	r = run("thi", &o);
	CHECK(r != NULL && !r->capped && r->nhits == 2);
	sohoa_search_result_destroy(&r);
}

static void
test_fuzzy(void)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *r;

	/* the document says "Hoàug" (OCR): found, marked fuzzy */
	r = run("hoang van thu", NULL);
	CHECK_INT_EQ(d_hoaug, first(r));
	CHECK(r && r->nhits && r->hits[0].fuzzy);
	CHECK(r && r->corrected && strstr(r->corrected, "hoaug"));
	sohoa_search_result_destroy(&r);
	/* a swapped letter in a short word */
	r = run("nguyen van dcu", NULL);
	CHECK_INT_EQ(d_duc, first(r));
	sohoa_search_result_destroy(&r);
	/* no flood: a word one letter from many others stays exact */
	CHECK_INT_EQ(0, count("hoang van thuy", NULL) > 1);
	memset(&o, 0, sizeof(o));
	o.flags = SOHOA_SEARCH_NO_FUZZY;
	CHECK_INT_EQ(0, count("hoang van thu", &o));
	/* operators turn it off: the user asked for something precise */
	CHECK_INT_EQ(0, count("\"hoang van thu\"", NULL));
}

static void
expect_input_error(const char *q, const char *msg)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *r = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.query = q;
	rc = sohoa_search_db(ctx, db, &o, &r);
	CHECK_INT_EQ(SOHOA_ERR_INPUT, rc);
	CHECK(r == NULL);
	if (msg != NULL && strstr(sohoa_errmsg(ctx), msg) == NULL) {
		fprintf(stderr, "query '%s': message '%s' lacks '%s'\n", q,
		    sohoa_errmsg(ctx), msg);
		check_failures++;
	}
	CHECK(strstr(sohoa_errmsg(ctx), "fts5") == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "SQL") == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "syntax error") == NULL);
}

static void
test_malformed(void)
{
	char junk[10 * 1024 + 1];
	static const char alphabet[] = "ab \"()*-ANDORNOTđ:^{}+,.";
	struct sohoa_search_opts o;
	struct sohoa_search_result *r;
	size_t i, j, n;
	int rc;

	expect_input_error("\"unclosed", "unbalanced quote in query");
	expect_input_error("nguyen \"van", "unbalanced quote");
	expect_input_error("AND", "AND needs a term");
	expect_input_error("nguyen AND", "AND needs a term");
	expect_input_error("OR nguyen", "OR needs a term");
	expect_input_error("nguyen OR", "OR needs a term");
	expect_input_error("(", "NOT needs a term");
	expect_input_error("(nguyen", "unbalanced parenthesis");
	expect_input_error("nguyen)", "unbalanced parenthesis");
	expect_input_error("()", "empty parentheses");
	expect_input_error("*", "'*' must follow a word");
	expect_input_error("NOT", "NOT needs a term");
	expect_input_error("NOT nguyen", "NOT needs something");
	expect_input_error("-nguyen", "NOT needs something");
	expect_input_error("\"\"", "empty phrase");
	expect_input_error("nguyen\x01van", "control character");
	expect_input_error("nguy\xff\xfe", "not valid UTF-8");
	expect_input_error("", "empty query");
	expect_input_error("   ", "empty query");
	expect_input_error("((((((((((((((((((a))))))))))))))))))", "too deep");
	for (i = 0; i < sizeof(junk) - 1; i++)
		junk[i] = (char)(' ' + (i * 7919) % 95);
	junk[sizeof(junk) - 1] = '\0';
	expect_input_error(junk, "query too long");

	/* random queries over the operator alphabet: OK or INPUT, never SQL */
	srand(5);
	memset(&o, 0, sizeof(o));
	for (i = 0; i < 400; i++) {
		char q[64];

		n = (size_t)(rand() % 40);
		for (j = 0; j < n; j++)
			q[j] = alphabet[rand() % (sizeof(alphabet) - 1)];
		q[n] = '\0';
		o.query = q;
		r = NULL;
		rc = sohoa_search_db(ctx, db, &o, &r);
		if (rc != SOHOA_OK && rc != SOHOA_ERR_INPUT) {
			fprintf(stderr, "query '%s': rc %d: %s\n", q, rc,
			    sohoa_errmsg(ctx));
			check_failures++;
		}
		if (rc == SOHOA_ERR_INPUT && (strstr(sohoa_errmsg(ctx),
		    "fts5") || strstr(sohoa_errmsg(ctx), "syntax"))) {
			fprintf(stderr, "query '%s': %s\n", q,
			    sohoa_errmsg(ctx));
			check_failures++;
		}
		sohoa_search_result_destroy(&r);
	}
	/* split bytes in user text are refused before anything else */
	o.query = "Nguy\xe1\xbb";
	r = NULL;
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_search_db(ctx, db, &o, &r));
}

static void
test_reindex(void)
{
	struct sohoa_search_result *r;
	char sql[200];

	/* a correction (sohoa set) re-indexes the document */
	snprintf(sql, sizeof(sql), "UPDATE fields SET value = 'Hoàng Văn Thụ' "
	    "WHERE document_id = %lld AND key = 'full_name'",
	    (long long)d_hoaug);
	exec_sql(sql);
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_index_document(ctx, db, d_hoaug));
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_index_document(ctx, db, d_hoaug));
	r = run("hoang van thu", NULL);
	CHECK_INT_EQ(d_hoaug, first(r));
	CHECK(r && r->nhits == 1 && !r->hits[0].fuzzy);
	sohoa_search_result_destroy(&r);
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_delete_document(ctx, db, d_hoaug));
	CHECK_INT_EQ(0, count("thu", NULL));
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_index_document(ctx, db, d_hoaug));
	CHECK_INT_EQ(1, count("thu", NULL));
	/* the FTS5 index agrees with its content */
	exec_sql("INSERT INTO search_fts(search_fts) "
	    "VALUES ('integrity-check')");
}

/* A read-only connection searches while a writer holds a transaction. */
static void
test_concurrent(void)
{
	struct sohoa_archive *ro = NULL;
	struct sohoa_search_opts o;
	struct sohoa_search_result *r = NULL;

	exec_sql("BEGIN IMMEDIATE");
	exec_sql("UPDATE documents SET title = 'Đang sửa' WHERE id = 1");
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, dir,
	    SOHOA_ARCHIVE_READONLY, &ro));
	if (ro != NULL) {
		memset(&o, 0, sizeof(o));
		o.query = "nguyen van duc";
		CHECK_INT_EQ(SOHOA_OK, sohoa_search(ro,
		    &o, &r));
		CHECK_INT_EQ(d_duc, first(r));
		sohoa_search_result_destroy(&r);
	}
	sohoa_archive_close(&ro);
	exec_sql("ROLLBACK");
}

/* Run the built sohoa; returns the exit status, output in OUT. */
static int
run_cli(char *out, size_t outlen, const char *args)
{
	const char *bin = getenv("SOHOA_BIN");
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	out[0] = '\0';
	if (bin == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s' search --archive '%s' %s 2>&1", bin,
	    dir, args);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_cli(void)
{
	char out[8192], want[64];

	if (getenv("SOHOA_BIN") == NULL) {
		fprintf(stderr, "SOHOA_BIN is not set: run through ctest\n");
		check_failures++;
		return;
	}
	CHECK_INT_EQ(0, run_cli(out, sizeof(out), "--json 'hon dat'"));
	CHECK(out[0] == '[');
	CHECK(strstr(out, "«Hòn Đất»") != NULL);
	snprintf(want, sizeof(want), "\"doc_id\":%lld", (long long)d_duc);
	CHECK(strstr(out, want) != NULL);
	CHECK(strstr(out, "\"dossier\":\"HS-2019-0001\"") != NULL);
	CHECK_INT_EQ(0, run_cli(out, sizeof(out), "nguyen van duc"));
	CHECK(strstr(out, "[NGUYỄN VĂN ĐỨC]") != NULL ||
	    strstr(out, "[Nguyễn Văn Đức]") != NULL);
	CHECK_INT_EQ(0, run_cli(out, sizeof(out), "--json zzzzqqq"));
	CHECK(strstr(out, "no documents match") != NULL);
	CHECK_INT_EQ(0, run_cli(out, sizeof(out), "--type death --json"));
	CHECK(strstr(out, "\"doc_type\":\"death\"") != NULL);
	CHECK_INT_EQ(0, run_cli(out, sizeof(out),
	    "--field personal_id=001215000001"));
	CHECK_INT_EQ(1, run_cli(out, sizeof(out), "'\"unclosed'"));
	CHECK(strstr(out, "sohoa: cannot search: unbalanced quote in query") !=
	    NULL);
	CHECK_INT_EQ(2, run_cli(out, sizeof(out), ""));
	CHECK_INT_EQ(2, run_cli(out, sizeof(out), "--limit 0 hoa"));
	CHECK_INT_EQ(2, run_cli(out, sizeof(out), "--bogus hoa"));
	CHECK_INT_EQ(0, run_cli(out, sizeof(out), "--rank-all --json thi"));
	CHECK(strstr(out, "\"doc_type\":\"marriage\"") != NULL);
	CHECK_INT_EQ(0, run_cli(out, sizeof(out), "--help"));
	CHECK(strstr(out, "usage: sohoa search") != NULL);
}

/* ---- an archive of real forms: boilerplate, kinds, tiers (issue 15) ---- */

static char fdir[] = "/tmp/sohoa-search-forms-XXXXXX";
static int64_t f_birth[4], f_death[3], f_marriage[3], f_marital[3];
static int64_t f_decision, f_duc, f_scatter, f_garbled, f_label;

#define MOTTO "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" \
	"Độc lập - Tự do - Hạnh phúc\n"

static int64_t
form_birth(const char *name, const char *id, const char *date)
{
	char body[1024], title[128], idf[64], namef[128], datef[64];

	snprintf(body, sizeof(body), "ỦY BAN NHÂN DÂN\nXÃ TÂN HẢI\n" MOTTO
	    "GIẤY KHAI SINH\nHọ, chữ đệm, tên: %s\nNgày, tháng, năm sinh: "
	    "%.2s/%.2s/%.4s\nGiới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam\n"
	    "Số định danh cá nhân: %s\nNơi đăng ký khai sinh: Ủy ban nhân dân "
	    "xã Tân Hải, tỉnh Kiên Giang\n(Ký, ghi rõ họ, chữ đệm, tên)\n"
	    "CHỦ TỊCH\n", name, date + 8, date + 5, date, id);
	snprintf(title, sizeof(title), "birth: %s", name);
	snprintf(idf, sizeof(idf), "personal_id=%s", id);
	snprintf(namef, sizeof(namef), "full_name=%s", name);
	snprintf(datef, sizeof(datef), "birth_date=%s", date);
	return add_doc("HS-FORMS", "birth", date, title, body, namef, idf,
	    datef, NULL);
}

static int64_t
form_death(const char *name)
{
	char body[1024], title[128], namef[128];

	snprintf(body, sizeof(body), "ỦY BAN NHÂN DÂN\nXÃ TÂN HẢI\n" MOTTO
	    "TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: %s\nNguyên nhân chết: Bệnh "
	    "già\nNơi đăng ký khai tử: Ủy ban nhân dân xã Tân Hải\n"
	    "(Ký, ghi rõ họ, chữ đệm, tên)\nCHỦ TỊCH\n", name);
	snprintf(title, sizeof(title), "death: %s", name);
	snprintf(namef, sizeof(namef), "full_name=%s", name);
	return add_doc("HS-FORMS", "death", "2015-01-02", title, body, namef,
	    NULL);
}

static int64_t
form_marriage(const char *husband, const char *wife)
{
	char body[1024], title[128], h[128], w[128];

	snprintf(body, sizeof(body), MOTTO "GIẤY CHỨNG NHẬN KẾT HÔN\n"
	    "Họ, chữ đệm, tên vợ: %s\nHọ, chữ đệm, tên chồng: %s\n"
	    "Nơi đăng ký kết hôn: Ủy ban nhân dân xã Tân Hải\n"
	    "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN\nCHỦ TỊCH\n", wife, husband);
	snprintf(title, sizeof(title), "marriage: %s", husband);
	snprintf(h, sizeof(h), "full_name=%s", husband);
	snprintf(w, sizeof(w), "spouse_name=%s", wife);
	return add_doc("HS-FORMS", "marriage", "2016-03-04", title, body, h,
	    w, NULL);
}

static int64_t
form_marital(const char *name)
{
	char body[1024], title[128], namef[128];

	snprintf(body, sizeof(body), "ỦY BAN NHÂN DÂN\nXÃ TÂN HẢI\n" MOTTO
	    "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nHọ, chữ đệm, tên: %s\n"
	    "Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai\n"
	    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n", name);
	snprintf(title, sizeof(title), "marital_status: %s", name);
	snprintf(namef, sizeof(namef), "full_name=%s", name);
	return add_doc("HS-FORMS", "marital_status", "2017-05-06", title,
	    body, namef, "marital_status=Hiện tại chưa đăng ký kết hôn với ai",
	    NULL);
}

/* A second archive, of documents as the forms print them. */
static void
forms_setup(sqlite3 **pmain)
{
	struct sohoa_archive *a = NULL;
	char path[256];

	if (mkdtemp(fdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, fdir,
	    SOHOA_ARCHIVE_CREATE, &a));
	sohoa_archive_close(&a);
	*pmain = db;
	snprintf(path, sizeof(path), "%s/sohoa.db", fdir);
	CHECK_INT_EQ(SQLITE_OK, sqlite3_open(path, &db));
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_open(ctx, db));
	/*
	 * Indexed one by one, as ingest does: the first documents are
	 * indexed before any boilerplate is learnt, and indexed again when
	 * it is.
	 */
	f_birth[0] = form_birth("Trần Thị Mai", "001215000001", "2019-03-12");
	f_birth[1] = form_birth("Lê Thị Hoa", "001218000777", "2018-07-01");
	f_birth[2] = form_birth("Phạm Thị Đào", "001220000123", "2020-11-02");
	f_duc = f_birth[3] = form_birth("Nguyễn Văn Đức", "001219004567",
	    "2019-03-12");
	f_death[0] = form_death("Hoàng Văn Thụ");
	f_death[1] = form_death("Nguyễn Thị Lê");
	f_death[2] = form_death("Đỗ Văn Tám");
	f_marriage[0] = form_marriage("Vũ Thành Đạt", "Vũ Minh Anh");
	f_marriage[1] = form_marriage("Ngô Quang Hải", "Bùi Thị Yến");
	f_marriage[2] = form_marriage("Đinh Công Lực", "Mai Thị Hằng");
	f_marital[0] = form_marital("Nguyễn Thị Lan");
	f_marital[1] = form_marital("Trương Văn Bình");
	f_marital[2] = form_marital("Lý Thị Ngân");
	f_decision = add_doc("HS-FORMS", "decision", "2021-02-03",
	    "decision: Về việc cải chính hộ tịch cho ông Nguyễn Trọng Trí",
	    "ỦY BAN NHÂN DÂN\nXÃ TÂN HẢI\n" MOTTO "QUYẾT ĐỊNH\nVề việc cải "
	    "chính hộ tịch cho ông Nguyễn Trọng Trí\nĐiều 1. Cho phép cải "
	    "chính nội dung trong Giấy khai sinh của ông Nguyễn Trọng Trí, "
	    "sinh năm 1992.\nTheo đề nghị của công chức Văn hóa - Xã hội.\n"
	    "Nơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n",
	    "subject=Về việc cải chính hộ tịch cho ông Nguyễn Trọng Trí",
	    NULL);
	/* the words of a name, apart: Nguyễn, Văn phòng, Đức Hòa */
	f_scatter = add_doc("HS-FORMS", "other", "2022-01-01",
	    "other", "Bà Nguyễn Thị Hoa làm việc tại Văn phòng xã, quê ở "
	    "Đức Hòa.", NULL);
	f_label = add_doc("HS-FORMS", "other", "2022-01-02", "other",
	    "Giới tính: Nam Dân tộc: Tày Quốc tịch: Việt Nam", NULL);
	/* OCR ran the motto into the commune on one line, and misread it */
	f_garbled = add_doc("HS-FORMS", "birth", "2023-04-05",
	    "birth: Trần Gia Nhi",
	    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	    "XÃ TÂN HẢI Độc lập - Tự do - Hạnh húc\nGIẤY KHAI SINH\n"
	    "Họ, chữ đệm, tên: Trần Gia Nhi\n", "full_name=Trần Gia Nhi",
	    NULL);
}

static int
all_of_type(const struct sohoa_search_result *r, const char *type)
{
	size_t i;

	if (r == NULL || r->nhits == 0)
		return 0;
	for (i = 0; i < r->nhits; i++)
		if (strcmp(r->hits[i].doc_type, type) != 0)
			return 0;
	return 1;
}

/* The motto and form labels are in every document: they match nothing. */
static void
test_boilerplate(void)
{
	struct sohoa_search_result *r;
	char *body = NULL;
	sqlite3_stmt *st;

	/* "tự" of the motto, "khai" of "Giấy khai sinh": no birth record */
	r = run("khai tu", NULL);
	CHECK(r != NULL && r->nhits == 3);
	CHECK(all_of_type(r, "death"));
	CHECK(!has(r, f_garbled));
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_TITLE);
	sohoa_search_result_destroy(&r);
	CHECK_INT_EQ(0, count("doc lap tu do", NULL));
	CHECK_INT_EQ(0, count("\"hanh phuc\"", NULL));
	/* labels: "Họ, chữ đệm, tên", "Dân tộc" */
	CHECK_INT_EQ(0, count("chu dem", NULL));
	CHECK_INT_EQ(0, count("dan toc", NULL));
	/* the values between them are found: "Nam" before "Dân tộc:" */
	r = run("nam tay", NULL);
	CHECK(r && r->nhits == 1 && first(r) == f_label);
	if (r && r->nhits)
		CHECK(strstr(r->hits[0].snippet, "[Nam] Dân tộc: [Tày]") !=
		    NULL);
	sohoa_search_result_destroy(&r);
	/* it is kept for snippets, marked */
	if (sqlite3_prepare_v2(db, "SELECT body FROM search_fts WHERE rowid ="
	    " ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, f_birth[0]);
		if (sqlite3_step(st) == SQLITE_ROW)
			body = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	CHECK(body != NULL && strstr(body, "\x05" "Độc lập - Tự do - Hạnh "
	    "phúc\x06") != NULL);
	CHECK(body != NULL && strstr(body, "\x05Họ, chữ đệm, tên:\x06 Trần "
	    "Thị Mai") != NULL);
	/* the form's title says which form: it is kept */
	CHECK(body != NULL && strstr(body, "\nGIẤY KHAI SINH\n") != NULL);
	free(body);
	CHECK(count("giay khai sinh", NULL) >= 5);
}

/* The type and the words side by side come first. */
static void
test_kinds(void)
{
	struct sohoa_search_result *r;
	size_t i;

	/* marriage certificates, then the "chưa đăng ký kết hôn" ones */
	r = run("ket hon", NULL);
	CHECK(r != NULL && r->nhits == 6);
	for (i = 0; r && i < 3 && i < r->nhits; i++)
		CHECK(strcmp(r->hits[i].doc_type, "marriage") == 0);
	for (i = 3; r && i < r->nhits; i++)
		CHECK(strcmp(r->hits[i].doc_type, "marital_status") == 0);
	CHECK(r && r->nhits && strcmp(r->hits[0].type_name,
	    "Giấy chứng nhận kết hôn") == 0);
	sohoa_search_result_destroy(&r);
	/* the name side by side before its words apart */
	r = run("nguyen van duc", NULL);
	CHECK_INT_EQ(f_duc, first(r));
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_TITLE);
	CHECK(has(r, f_scatter));
	CHECK(r && r->nhits >= 2 && r->hits[r->nhits - 1].doc_id ==
	    f_scatter && r->hits[r->nhits - 1].match == SOHOA_MATCH_WORDS);
	/* every word highlighted, also apart */
	if (r && r->nhits >= 2) {
		const char *sn = r->hits[r->nhits - 1].snippet;

		CHECK(strstr(sn, "[Nguyễn]") && strstr(sn, "[Văn]") &&
		    strstr(sn, "[Đức]"));
		CHECK(strstr(r->hits[0].snippet, "[Nguyễn Văn Đức]") != NULL);
		/* whose record, and what it is */
		CHECK_STR_EQ("Nguyễn Văn Đức", r->hits[0].name);
		CHECK_STR_EQ("Giấy khai sinh", r->hits[0].type_name);
	}
	sohoa_search_result_destroy(&r);
	/* the type and the name, in two runs */
	r = run("khai sinh nguyen van duc", NULL);
	CHECK_INT_EQ(f_duc, first(r));
	CHECK(r && r->nhits && (r->hits[0].match == SOHOA_MATCH_PARTS ||
	    r->hits[0].match == SOHOA_MATCH_TEXT));
	sohoa_search_result_destroy(&r);
	r = run("ket hon vu thanh dat", NULL);
	CHECK_INT_EQ(f_marriage[0], first(r));
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_PARTS);
	sohoa_search_result_destroy(&r);
	/* a decision's subject is whose record it is */
	r = run("cai chinh ho tich", NULL);
	CHECK_INT_EQ(f_decision, first(r));
	CHECK(r && r->nhits && r->hits[0].name && strcmp(r->hits[0].name,
	    "Về việc cải chính hộ tịch cho ông Nguyễn Trọng Trí") == 0);
	CHECK(r && r->nhits && strcmp(r->hits[0].type_name, "Quyết định") ==
	    0);
	sohoa_search_result_destroy(&r);
}

/* A word in most documents still counts (an IDF with a floor). */
static void
test_common_words(void)
{
	struct sohoa_search_result *r;
	size_t i;

	/* "thi" is in most documents */
	r = run("thi", NULL);
	CHECK(r != NULL && r->nhits > 8);
	for (i = 0; r && i < r->nhits; i++)
		CHECK(r->hits[i].score > 0);
	/* those whose name has it first */
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_TITLE);
	sohoa_search_result_destroy(&r);
	/* a name typed as on a form, partial IDs, a date */
	r = run("0012190", NULL);
	CHECK_INT_EQ(f_duc, first(r));
	CHECK(r && r->nhits == 1);
	sohoa_search_result_destroy(&r);
	r = run("12/03/2019", NULL);
	CHECK(r && r->nhits == 2 && has(r, f_duc) && has(r, f_birth[0]));
	/* a date alone: first where a field has it */
	CHECK(r && r->nhits && r->hits[0].match == SOHOA_MATCH_FIELD);
	sohoa_search_result_destroy(&r);
	r = run("2019-03-12", NULL);
	CHECK(r && r->nhits == 2);
	sohoa_search_result_destroy(&r);
}

/* Near spellings only when nothing useful was found, and marked. */
static void
test_fuzzy_useful(void)
{
	struct sohoa_search_result *r;
	size_t i;

	/* "Trương Văn Bình" is there: nothing near it is added */
	r = run("truong van binh", NULL);
	CHECK_INT_EQ(f_marital[1], first(r));
	for (i = 0; r && i < r->nhits; i++)
		CHECK(!r->hits[i].fuzzy);
	CHECK(r && r->corrected == NULL);
	sohoa_search_result_destroy(&r);
	/* one slip: found, marked, and said */
	r = run("truong van bihn", NULL);
	CHECK_INT_EQ(f_marital[1], first(r));
	CHECK(r && r->nhits && r->hits[0].fuzzy);
	CHECK(r && r->corrected && strstr(r->corrected, "binh"));
	sohoa_search_result_destroy(&r);
}

/* What is learnt is forgotten when most documents no longer have it. */
static void
test_learning(void)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM search_boiler WHERE "
	    "line IN ('doc lap tu do hanh phuc', 'chu tich')", -1, &st,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	CHECK_INT_EQ(2, n);
	/* a rebuild learns first, then indexes: the same answers */
	exec_sql("BEGIN");
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_rebuild(ctx, db));
	exec_sql("COMMIT");
	CHECK_INT_EQ(3, count("khai tu", NULL));
	CHECK_INT_EQ(0, count("doc lap tu do", NULL));
	exec_sql("INSERT INTO search_fts(search_fts) "
	    "VALUES ('integrity-check')");
}

/* An index of another layout is rebuilt, also by a reader. */
static void
test_layout(void)
{
	struct sohoa_archive *ro = NULL;
	struct sohoa_search_opts o;
	struct sohoa_search_result *r = NULL;

	/* what an index made by an older sohoa looks like to this one */
	exec_sql("DELETE FROM search_info");
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, fdir,
	    SOHOA_ARCHIVE_READONLY, &ro));
	if (ro != NULL) {
		memset(&o, 0, sizeof(o));
		o.query = "khai tu";
		CHECK_INT_EQ(SOHOA_OK, sohoa_search(ro, &o, &r));
		CHECK(r && r->nhits == 3 && all_of_type(r, "death"));
		sohoa_search_result_destroy(&r);
	}
	sohoa_archive_close(&ro);
	CHECK_INT_EQ(3, count("khai tu", NULL));
}

static void
test_forms(void)
{
	sqlite3 *main_db;
	char cmd[300];

	forms_setup(&main_db);
	test_boilerplate();
	test_kinds();
	test_common_words();
	test_fuzzy_useful();
	test_learning();
	test_layout();
	sqlite3_close(db);
	db = main_db;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fdir);
	if (getenv("SOHOA_KEEP") == NULL && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fdir);
}

int
main(void)
{
	char cmd[300];

	ctx = sohoa_ctx_new();
	setup();
	test_tokens();
	test_folding();
	test_exact_rank();
	test_operators();
	test_filters();
	test_snippets();
	test_cap();
	test_fuzzy();
	test_malformed();
	test_reindex();
	test_concurrent();
	test_cli();
	test_forms();
	sqlite3_close(db);
	sohoa_ctx_destroy(&ctx);
	/* SOHOA_KEEP=1 keeps the archive to look at */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (getenv("SOHOA_KEEP") == NULL && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return check_done("test_index_search");
}
