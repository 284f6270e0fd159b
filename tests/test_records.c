/*
 * Tests of records/: what a person may change and how it is recorded.
 * Corrections are checked by field type (issue 14, item 7: 'ABC' as an
 * ID, 2024-02-30, 'hello' as a date, control characters, a mistyped key
 * were all stored as corrected), doc_type changes the document's type
 * everywhere (item 6), and every change is in the history.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/archive.h"
#include "archive_private.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/records.h"
#include "sohoa/search.h"
#include "check.h"

static char tmpdir[64];

static int
query_int(struct sohoa_archive *a, const char *fmt, ...)
{
	char sql[512];
	sqlite3_stmt *st = NULL;
	va_list ap;
	int v = -1;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(sohoa_archive_db(a), sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static struct sohoa_page *
make_page(int pageno, const char *text)
{
	struct sohoa_page *p = NULL;

	if (sohoa_page_from_text(text, 91.0f, &p) != SOHOA_OK)
		return NULL;
	p->pageno = pageno;
	p->width = 100;
	p->height = 200;
	p->dpi = 300;
	p->confidence = 91.0f;
	return p;
}

/*
 * A file of NPAGES pages in dossier CODE, one document per TEXTS entry
 * starting at the page given in STARTS.  Returns the first document's id.
 */
static int64_t
add_file(struct sohoa_archive *a, const char *code, const char *name,
    int npages, const char *const *texts, const int *starts, int ndocs,
    const char *doc_type, struct sohoa_fields *fields)
{
	struct sohoa_file_info fi;
	struct sohoa_page *p;
	int64_t fid, pid, did, first = 0, dossier;
	int i, n;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, code, 1, &dossier));
	memset(&fi, 0, sizeof(fi));
	sohoa_sha256_mem(name, strlen(name), fi.sha256);
	fi.dossier_id = dossier;
	fi.path = name;
	fi.name = name;
	fi.format = "tiff";
	fi.size = 1;
	fi.npages = npages;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_add(a, &fi, &fid));
	for (i = 0; i < npages; i++) {
		p = make_page(i, texts[i]);
		CHECK_INT_EQ(SOHOA_OK, sohoa_archive_page_add(a, fid, p, &pid));
		sohoa_page_destroy(&p);
	}
	for (i = 0; i < ndocs; i++) {
		n = (i + 1 < ndocs ? starts[i + 1] : npages) - starts[i];
		CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_add(a, fid,
		    starts[i], n, doc_type, fields, &did));
		if (first == 0)
			first = did;
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_done(a, fid));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	return first;
}

struct evs {
	int n;
	struct sohoa_buf log;
};

static int
on_event(void *arg, const struct sohoa_event *ev)
{
	struct evs *e = arg;

	e->n++;
	sohoa_buf_addf(&e->log, "%s %s %s %s>%s;", ev->who, ev->action,
	    ev->key ? ev->key : "-", ev->old_value ? ev->old_value : "-",
	    ev->new_value ? ev->new_value : "-");
	return 0;
}

static void
history_of(struct sohoa_archive *a, int64_t doc, struct evs *e)
{
	struct sohoa_event_filter f;

	memset(&f, 0, sizeof(f));
	f.document_id = doc;
	f.oldest_first = 1;
	e->n = 0;
	sohoa_buf_reset(&e->log);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_event_list(a, &f, on_event, e));
}

static void
check_refused(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const char *key, const char *value, unsigned flags, const char *msg)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;

	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_field_check(ctx, dt, "birth", key,
	    value, flags, &out));
	if (strstr(sohoa_errmsg(ctx), msg) == NULL)
		fprintf(stderr, "message for %s=%s: %s (want '%s')\n", key,
		    value, sohoa_errmsg(ctx), msg);
	CHECK(strstr(sohoa_errmsg(ctx), msg) != NULL);
	sohoa_buf_release(&out);
}

static void
check_ok(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const char *key, const char *value, const char *want)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;

	CHECK_INT_EQ(SOHOA_OK, sohoa_field_check(ctx, dt, "birth", key, value,
	    0, &out));
	CHECK_STR_EQ(want, out.buf);
	sohoa_buf_release(&out);
}

static void
test_check(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt)
{
	check_refused(ctx, dt, "personal_id", "ABC", 0, "personal ID");
	check_refused(ctx, dt, "personal_id", "0012150000011", 0, "12 digits");
	check_refused(ctx, dt, "personal_id", "999215000001", 0, "province");
	check_refused(ctx, dt, "birth_date", "2024-02-30", 0, "not a real day");
	check_refused(ctx, dt, "birth_date", "30/02/2024", 0, "not a real day");
	check_refused(ctx, dt, "birth_date", "hello", 0, "DD/MM/YYYY");
	check_refused(ctx, dt, "full_name", "Nguyễn\x1b[2J An", 0,
	    "control character");
	check_refused(ctx, dt, "full_name", "Nguyễn\nAn", 0,
	    "control character");
	check_refused(ctx, dt, "full_name", "\xff\xfe", 0, "UTF-8");
	check_refused(ctx, dt, "full_nmae", "Nguyễn An", 0, "--new-key");
	check_refused(ctx, dt, "full_name", "   ", 0, "empty");
	check_refused(ctx, dt, "full_name", "R2-D2", 0, "a name");
	check_refused(ctx, dt, "sex", "X", 0, "'Nam' or 'Nữ'");
	check_refused(ctx, dt, "doc_type", "birthday", 0, "not a document type");
	check_refused(ctx, dt, "Full_Name", "a", 0, "not a field name");
	check_refused(ctx, dt, "_birth_words", "a", 0, "not a field name");

	check_ok(ctx, dt, "birth_date", "5/3/2024", "2024-03-05");
	check_ok(ctx, dt, "birth_date", "05-03-2024", "2024-03-05");
	check_ok(ctx, dt, "birth_date", "2024-03-05", "2024-03-05");
	check_ok(ctx, dt, "birth_date", "29/02/2024", "2024-02-29");
	check_ok(ctx, dt, "personal_id", "001 215 000 001", "001215000001");
	check_ok(ctx, dt, "full_name", "  Nguyễn   Văn  Đức ", "Nguyễn Văn Đức");
	/* input is made NFC: a decomposed ễ is stored composed */
	check_ok(ctx, dt, "full_name", "Nguye\xcc\x82\xcc\x83n An", "Nguyễn An");
	check_ok(ctx, dt, "sex", "nữ", "Nữ");
	check_ok(ctx, dt, "doc_type", "death", "death");
	check_ok(ctx, dt, "doc_type", "other", "other");
	/* a field of another type of document is still known */
	check_ok(ctx, dt, "death_date", "01/01/2020", "2020-01-01");
	{
		struct sohoa_buf out = SOHOA_BUF_INIT;

		CHECK_INT_EQ(SOHOA_OK, sohoa_field_check(ctx, dt, "birth",
		    "ghi_chu", "bản sao", SOHOA_FIELD_NEW_KEY, &out));
		CHECK_STR_EQ("bản sao", out.buf);
		sohoa_buf_release(&out);
	}
}

static int
count_hits(struct sohoa_archive *a, const char *type)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *r = NULL;
	int n = -1;

	memset(&o, 0, sizeof(o));
	o.doc_type = type;
	if (sohoa_search(a, &o, &r) == SOHOA_OK)
		n = (int)r->nhits;
	sohoa_search_result_destroy(&r);
	return n;
}

static void
test_set(struct sohoa_archive *a, const struct sohoa_doctypes *dt)
{
	static const char *const texts[] = { "GIẤY KHAI SINH\nHọ tên: An\n" };
	static const int starts[] = { 0 };
	struct sohoa_fields fields;
	struct sohoa_field_change c[3];
	struct sohoa_document *d = NULL;
	struct evs e = { 0, SOHOA_BUF_INIT };
	int64_t doc;

	sohoa_fields_init(&fields);
	sohoa_fields_set(&fields, "full_name", "Nguyễn An", "Nguyen An", 93, 0);
	sohoa_fields_set(&fields, "birth_date", "2024-03-05", "05/03/2024", 40,
	    1);
	doc = add_file(a, "HS-1", "a.tif", 1, texts, starts, 1, "other",
	    &fields);
	sohoa_fields_release(&fields);
	sohoa_archive_set_actor(a, "chị Lan", "cli");

	/* one bad value: nothing at all is stored */
	memset(c, 0, sizeof(c));
	c[0].key = "full_name";
	c[0].value = "Nguyễn Văn An";
	c[1].key = "birth_date";
	c[1].value = "2024-02-30";
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_records_field_set(a, dt, doc, c, 2,
	    0));
	CHECK_INT_EQ(0, query_int(a, "SELECT count(*) FROM fields WHERE"
	    " corrected"));
	history_of(a, doc, &e);
	CHECK_INT_EQ(0, e.n);

	/* doc_type changes the document, its title, the index and history */
	c[1].value = "06/03/2024";
	c[2].key = "doc_type";
	c[2].value = "birth";
	CHECK_INT_EQ(SOHOA_OK, sohoa_records_field_set(a, dt, doc, c, 3, 0));
	CHECK_STR_EQ("Nguyễn An", c[0].old);
	CHECK_STR_EQ("2024-03-06", c[1].stored);
	CHECK_STR_EQ("other", c[2].old);
	CHECK_INT_EQ(1, c[2].changed);
	sohoa_field_changes_release(c, 3);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_load(a, doc, &d));
	if (d != NULL) {
		CHECK_STR_EQ("birth", d->doc_type);
		CHECK_STR_EQ("birth: Nguyễn Văn An", d->title);
		CHECK_STR_EQ("2024-03-06", d->doc_date);
	}
	sohoa_document_destroy(&d);
	CHECK_INT_EQ(1, count_hits(a, "birth"));
	CHECK_INT_EQ(0, count_hits(a, "other"));
	history_of(a, doc, &e);
	CHECK_INT_EQ(3, e.n);
	CHECK_STR_EQ("chị Lan field_set full_name Nguyễn An>Nguyễn Văn An;"
	    "chị Lan field_set birth_date 2024-03-05>2024-03-06;"
	    "chị Lan doc_type doc_type other>birth;", e.log.buf);

	/* the same value again changes nothing and writes no history */
	memset(c, 0, sizeof(c));
	c[0].key = "full_name";
	c[0].value = "Nguyễn  Văn An";
	CHECK_INT_EQ(SOHOA_OK, sohoa_records_field_set(a, dt, doc, c, 1, 0));
	CHECK_INT_EQ(0, c[0].changed);
	sohoa_field_changes_release(c, 1);
	history_of(a, doc, &e);
	CHECK_INT_EQ(3, e.n);

	/* accepting a flagged value: flag gone, recorded */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK(sqlite3_exec(sohoa_archive_db(a), "UPDATE fields SET flagged = 1"
	    " WHERE key = 'birth_date'", NULL, NULL, NULL) == SQLITE_OK);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_records_field_accept(a, doc, "birth_date"));
	CHECK_INT_EQ(0, query_int(a, "SELECT flagged FROM fields WHERE"
	    " key = 'birth_date'"));
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_records_field_accept(a, doc,
	    "mother_name"));
	history_of(a, doc, &e);
	CHECK_INT_EQ(4, e.n);
	CHECK(strstr(e.log.buf, "field_accept birth_date") != NULL);
	sohoa_buf_release(&e.log);
}

int
main(void)
{
	struct sohoa_ctx *ctx;
	struct sohoa_archive *a = NULL;
	struct sohoa_doctypes *dt = NULL;
	char cmd[128];

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_records_XXXXXX");
	if (ctx == NULL || mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	if (sohoa_doctypes_load(ctx, NULL, &dt) != SOHOA_OK) {
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
		return 1;
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, tmpdir,
	    SOHOA_ARCHIVE_CREATE, &a));
	test_check(ctx, dt);
	if (a != NULL)
		test_set(a, dt);
	sohoa_archive_close(&a);
	sohoa_doctypes_destroy(&dt);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	sohoa_ctx_destroy(&ctx);
	return check_done("test_records");
}
