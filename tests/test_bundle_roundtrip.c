/*
 * Bundles end to end through the library: export a small real archive in
 * both formats, verify them (with and without a CA), import into a fresh
 * archive and compare rows and search results, import again (nothing
 * changes), and check that a refused export leaves no file behind.
 *
 * "test_bundle_roundtrip --make-archive DIR KEYDIR [NPAGES]" only builds
 * the fixture archive (tests/cli_bundle.sh uses it), with a third document
 * of NPAGES pages when given (for measuring large exports).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "archive_private.h"
#include "sohoa/bundle.h"
#include "sohoa/sign.h"
#include "../index/fts.h"
#include "check.h"
#include "test_bundle_fixture.h"

static char tmp[] = "/tmp/sohoa-test-bundle-XXXXXX";
static struct sohoa_ctx *ctx;
static const struct sohoa_import_opts untrusted = { SOHOA_IMPORT_UNTRUSTED };

static const char *
path(const char *rel)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmp, rel);
	return buf[k];
}

static void
dump_rows(struct sohoa_archive *a, const char *sql, struct sohoa_buf *out)
{
	sqlite3 *db = sohoa_archive_db(a);
	sqlite3_stmt *st = NULL;
	int i, n;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "dump: %s\n", sqlite3_errmsg(db));
		check_failures++;
		return;
	}
	n = sqlite3_column_count(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			sohoa_buf_addf(out, "%s%s", i ? "|" : "", v ? v : "NULL");
		}
		sohoa_buf_addch(out, '\n');
	}
	sqlite3_finalize(st);
}

/* What must be the same in the source and in the imported archive. */
static void
dump(struct sohoa_archive *a, struct sohoa_buf *out)
{
	dump_rows(a, "SELECT d.code, m.key, m.value FROM dossier_meta m"
	    " JOIN dossiers d ON d.id = m.dossier_id ORDER BY 1, 2", out);
	dump_rows(a, "SELECT sha256, name, format, size, npages, done"
	    " FROM files ORDER BY sha256", out);
	dump_rows(a, "SELECT x.code, d.ordinal, f.sha256, d.first_page,"
	    " d.npages, d.doc_type, d.title, d.doc_date, d.confidence,"
	    " d.pdf_sha256 FROM documents d JOIN files f ON f.id = d.file_id"
	    " JOIN dossiers x ON x.id = d.dossier_id ORDER BY 2", out);
	dump_rows(a, "SELECT f.sha256, p.pageno, d.ordinal, p.status, p.text,"
	    " p.image_sha256, p.image_type, p.hocr_sha256, p.words_sha256,"
	    " p.width, p.height, p.dpi, p.confidence FROM pages p"
	    " JOIN files f ON f.id = p.file_id"
	    " JOIN documents d ON d.id = p.document_id ORDER BY 1, 2", out);
	dump_rows(a, "SELECT d.ordinal, x.key, x.value, x.raw, x.conf,"
	    " x.flagged, x.corrected FROM fields x JOIN documents d"
	    " ON d.id = x.document_id ORDER BY 1, 2", out);
}

static void
search(struct sohoa_archive *a, const char *query, struct sohoa_buf *out)
{
	struct sohoa_fts_query q;
	sqlite3 *db = sohoa_archive_db(a);
	sqlite3_stmt *st = NULL;

	sohoa_fts_query_init(&q);
	CHECK_INT_EQ(SOHOA_OK, sohoa_fts_query_build(ctx, query, &q));
	if (sqlite3_prepare_v2(db, "SELECT f.sha256 || ':' || d.first_page"
	    " FROM search_fts s JOIN documents d ON d.id = s.rowid"
	    " JOIN files f ON f.id = d.file_id WHERE search_fts MATCH ?"
	    " ORDER BY 1", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "search: %s\n", sqlite3_errmsg(db));
		check_failures++;
		sohoa_fts_query_release(&q);
		return;
	}
	sqlite3_bind_text(st, 1, q.expr.buf, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		sohoa_buf_addf(out, "%s\n", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sohoa_fts_query_release(&q);
}

static int
count_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* Export the fixture dossier to OUT; returns the files it says it wrote. */
static size_t
export_one(struct sohoa_archive *a, int format, const char *out)
{
	struct sohoa_export_opts o;
	struct sohoa_export_result r;
	size_t nfiles;

	memset(&o, 0, sizeof(o));
	o.dossier = FIXTURE_CODE;
	o.key_pem = path("keys/key.pem");
	o.cert_pem = path("keys/cert.pem");
	o.format = format;
	o.out_path = out;
	sohoa_export_result_init(&r);
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_export(a, &o, &r));
	if (sohoa_errcode(ctx) != SOHOA_OK)
		fprintf(stderr, "export: %s\n", sohoa_errmsg(ctx));
	CHECK_STR_EQ(out, r.path.buf);
	CHECK(strlen(r.sha256) == 64);
	CHECK(strstr(r.signer.buf, "CN=UBND xã Tân Lập") != NULL);
	CHECK(r.bytes > 1000);
	nfiles = r.nfiles;
	sohoa_export_result_release(&r);
	return nfiles;
}

/* BUNDLE verifies, as FORMAT, with NFILES members (0: any number). */
static void
verify_ok(const char *bundle, int format, size_t nfiles)
{
	struct sohoa_bundle *b = NULL;
	const struct sohoa_bundle_report *r;
	int rc;

	rc = sohoa_bundle_open(ctx, bundle, NULL, NULL, &b);
	CHECK_INT_EQ(SOHOA_OK, rc);
	if (rc != SOHOA_OK)
		fprintf(stderr, "verify: %s\n", sohoa_errmsg(ctx));
	if (b == NULL)
		return;
	r = sohoa_bundle_report(b);
	CHECK_INT_EQ(1, r->valid);
	CHECK_INT_EQ(format, r->format);
	CHECK_INT_EQ(1, r->self_signed);
	CHECK_INT_EQ(0, r->trusted);
	CHECK(strlen(r->signed_at) == 20);
	/* 2 docs: pdf + EAD_doc + fields + per page txt/hocr/jpg/words ... */
	CHECK(r->nfiles >= 25);
	/* what export said it wrote is what verify finds */
	if (nfiles > 0)
		CHECK_INT_EQ(nfiles, r->nfiles);
	sohoa_bundle_close(&b);
	CHECK(b == NULL);
	/* trusted when the CA is the signer's own certificate */
	rc = sohoa_bundle_open(ctx, bundle, path("keys/cert.pem"), NULL, &b);
	CHECK_INT_EQ(SOHOA_OK, rc);
	CHECK(b != NULL && sohoa_bundle_report(b)->trusted == 1);
	sohoa_bundle_close(&b);
	/* and refused against another CA */
	rc = sohoa_bundle_open(ctx, bundle, path("other/cert.pem"), NULL, &b);
	CHECK_INT_EQ(SOHOA_ERR_INVALID, rc);
	CHECK(strstr(sohoa_errmsg(ctx), "untrusted signer") != NULL);
	sohoa_bundle_close(&b);
}

static void
test_refused_export(struct sohoa_archive *a)
{
	struct sohoa_export_opts o;
	struct sohoa_export_result r;
	int64_t id;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, FIXTURE_CODE, 0,
	    &id));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_dossier_meta_store(a, id,
	    "maintenance", "09"));
	CHECK(strstr(sohoa_errmsg(ctx), "maintenance") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_dossier_meta_store(a, id,
	    "total_doc", "5"));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_dossier_meta_store(a, id,
	    "start_date", "31/02/2019"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id, "start_date",
	    "2019-01-02"));
	/* derived values: organ_name from the issuer field, dates, counts */
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id, "organ_name",
	    ""));
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id, "paperFileCode",
	    "G09.12.0042"));
	{
		struct sohoa_dossier_meta *m = NULL;
		size_t i;

		CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_load(a, id, &m));
		if (m != NULL) {
			CHECK_STR_EQ("ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
			    sohoa_dossier_meta_value(m, "organ_name"));
			CHECK_STR_EQ("02/01/2019",
			    sohoa_dossier_meta_value(m, "start_date"));
			CHECK_STR_EQ("20/03/2019",
			    sohoa_dossier_meta_value(m, "end_date"));
			CHECK_STR_EQ("3", sohoa_dossier_meta_value(m,
			    "number_of_page"));
			for (i = 0; i < m->n; i++)
				if (strcmp(m->items[i].key, "organ_name") == 0)
					CHECK_INT_EQ(SOHOA_META_DERIVED,
					    m->items[i].source);
			CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_validate(ctx, m));
		}
		sohoa_dossier_meta_destroy(&m);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id, "organ_name",
	    "UBND xã Tân Lập"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id,
	    "paper_file_code", ""));
	memset(&o, 0, sizeof(o));
	o.dossier = FIXTURE_CODE;
	o.key_pem = path("keys/key.pem");
	o.cert_pem = path("keys/cert.pem");
	o.out_path = path("refused.zip");
	sohoa_export_result_init(&r);
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_bundle_export(a, &o, &r));
	CHECK(strstr(sohoa_errmsg(ctx), "paper_file_code") != NULL);
	CHECK(access(path("refused.zip"), F_OK) != 0);
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id,
	    "paper_file_code", "G09.12.0042"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_dossier_meta_store(a, id, "start_date",
	    ""));
	/* the key of another certificate */
	o.cert_pem = path("other/cert.pem");
	CHECK(sohoa_bundle_export(a, &o, &r) != SOHOA_OK);
	CHECK(access(path("refused.zip"), F_OK) != 0);
	/* a directory that does not exist: no temporary file either */
	o.cert_pem = path("keys/cert.pem");
	o.out_path = path("nodir/x.zip");
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_bundle_export(a, &o, &r));
	CHECK_INT_EQ(0, count_entries(tmp, "refused.zip"));
	sohoa_export_result_release(&r);
}

/*
 * All or nothing: make the last step of an import fail (a trigger on
 * fields) and check that the archive holds nothing of the dossier, then
 * that the same import goes through once the obstacle is gone.
 */
static void
test_atomic_import(void)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_bundle *b = NULL;
	struct sohoa_import_result res;
	struct sohoa_buf d = SOHOA_BUF_INIT;
	sqlite3 *db;

	sohoa_import_result_init(&res);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("dst2"),
	    SOHOA_ARCHIVE_CREATE, &a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_open(ctx, path("hs.tar"), NULL,
	    NULL, &b));
	if (a == NULL || b == NULL)
		goto out;
	db = sohoa_archive_db(a);
	CHECK_INT_EQ(SQLITE_OK, sqlite3_exec(db, "CREATE TEMP TRIGGER no_fields"
	    " BEFORE INSERT ON main.fields BEGIN SELECT RAISE(ABORT,"
	    " 'disk full (test)'); END", NULL, NULL, NULL));
	CHECK_INT_EQ(SOHOA_ERR_DB, sohoa_bundle_import(a, b, &untrusted,
	    &res));
	CHECK(strstr(sohoa_errmsg(ctx), "disk full (test)") != NULL);
	dump_rows(a, "SELECT (SELECT count(*) FROM dossiers), (SELECT count(*)"
	    " FROM dossier_meta), (SELECT count(*) FROM files), (SELECT"
	    " count(*) FROM documents), (SELECT count(*) FROM pages)", &d);
	CHECK_STR_EQ("0|0|0|0|0\n", d.buf);
	CHECK_INT_EQ(SQLITE_OK, sqlite3_exec(db, "DROP TRIGGER no_fields", NULL,
	    NULL, NULL));
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_import(a, b, &untrusted, &res));
	CHECK_INT_EQ(1, res.changed);
	CHECK_INT_EQ(0, res.trusted);
	sohoa_buf_reset(&d);
	dump_rows(a, "SELECT (SELECT count(*) FROM documents), (SELECT count(*)"
	    " FROM pages), (SELECT count(*) FROM fields)", &d);
	CHECK_STR_EQ("2|3|8\n", d.buf);
out:
	sohoa_bundle_close(&b);
	sohoa_archive_close(&a);
	sohoa_import_result_release(&res);
	sohoa_buf_release(&d);
}

int
main(int argc, char **argv)
{
	struct sohoa_archive *src = NULL, *dst = NULL;
	struct sohoa_bundle *b = NULL;
	struct sohoa_import_result res;
	struct sohoa_buf d1 = SOHOA_BUF_INIT, d2 = SOHOA_BUF_INIT;
	struct sohoa_buf s1 = SOHOA_BUF_INIT, s2 = SOHOA_BUF_INIT;
	static const char *const queries[] = { "dao", "Nguyễn Thị Đào",
	    "khai tử", "ha noi", "linh", NULL };
	size_t i, nzip, ntar;
	int rc;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if ((argc == 4 || argc == 5) &&
	    strcmp(argv[1], "--make-archive") == 0) {
		rc = fixture_make(ctx, argv[2], argv[3]);
		if (rc == SOHOA_OK && argc == 5)
			rc = fixture_add_big(ctx, argv[2], argv[3],
			    (size_t)atoi(argv[4]));
		sohoa_ctx_destroy(&ctx);
		return rc == SOHOA_OK ? 0 : 1;
	}
	if (mkdtemp(tmp) == NULL)
		return 1;
	CHECK_INT_EQ(SOHOA_OK, fixture_make(ctx, path("src"), path("keys")));
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_keygen(ctx, path("other"),
	    "Someone else", NULL, SOHOA_KEYGEN_EC, NULL));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("src"), 0, &src));
	if (src == NULL)
		return check_done("test_bundle_roundtrip");

	nzip = export_one(src, SOHOA_BUNDLE_EARK, path("hs.zip"));
	ntar = export_one(src, SOHOA_BUNDLE_BAGIT, path("hs.tar"));
	dump_rows(src, "SELECT format, signer FROM exports ORDER BY id", &d1);
	CHECK_STR_EQ("eark|CN=UBND xã Tân Lập, O=UBND xã Tân Lập, C=VN\n"
	    "bagit|CN=UBND xã Tân Lập, O=UBND xã Tân Lập, C=VN\n", d1.buf);
	sohoa_buf_reset(&d1);
	CHECK_INT_EQ(0, count_entries(tmp, "hs.zip.tmp"));
	verify_ok(path("hs.zip"), SOHOA_BUNDLE_EARK, nzip);
	verify_ok(path("hs.tar"), SOHOA_BUNDLE_BAGIT, ntar);
	test_refused_export(src);
	test_atomic_import();

	/* import into a fresh archive */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("dst"),
	    SOHOA_ARCHIVE_CREATE, &dst));
	sohoa_import_result_init(&res);
	rc = sohoa_bundle_open(ctx, path("hs.zip"), NULL, NULL, &b);
	CHECK_INT_EQ(SOHOA_OK, rc);
	if (rc == SOHOA_OK && dst != NULL) {
		struct sohoa_trusted_info ti;
		struct sohoa_buf n = SOHOA_BUF_INIT;

		/* not trusted yet: refused, naming the signer, nothing written */
		rc = sohoa_bundle_import(dst, b, NULL, &res);
		CHECK_INT_EQ(SOHOA_ERR_UNTRUSTED, rc);
		CHECK(strstr(sohoa_errmsg(ctx), "signed by 'CN=UBND xã Tân Lập")
		    != NULL);
		CHECK(strstr(sohoa_errmsg(ctx), "self-signed") != NULL);
		CHECK(strstr(sohoa_errmsg(ctx), res.untrusted.buf) != NULL);
		dump_rows(dst, "SELECT (SELECT count(*) FROM documents) +"
		    " (SELECT count(*) FROM dossiers)", &n);
		CHECK_STR_EQ("0\n", n.buf);
		sohoa_buf_release(&n);
		sohoa_trusted_info_init(&ti);
		CHECK_INT_EQ(SOHOA_OK, sohoa_trust_add(dst, path("keys/cert.pem"),
		    &ti));
		CHECK_INT_EQ(1, ti.added);
		CHECK_INT_EQ(0, ti.is_ca);
		CHECK_INT_EQ(95, (int)ti.fingerprint.len);
		sohoa_trusted_info_release(&ti);
		rc = sohoa_bundle_import(dst, b, NULL, &res);
		CHECK_INT_EQ(SOHOA_OK, rc);
		if (rc != SOHOA_OK)
			fprintf(stderr, "import: %s\n", sohoa_errmsg(ctx));
		CHECK_INT_EQ(1, res.changed);
		CHECK_INT_EQ(2, res.ndocuments);
		CHECK_INT_EQ(3, res.npages);
		CHECK_INT_EQ(8, res.nfields);
		CHECK_STR_EQ(FIXTURE_CODE, res.dossier.buf);
	}
	sohoa_bundle_close(&b);
	if (dst != NULL) {
		dump(src, &d1);
		dump(dst, &d2);
		CHECK_STR_EQ(d1.buf, d2.buf);
		for (i = 0; queries[i] != NULL; i++) {
			sohoa_buf_reset(&s1);
			sohoa_buf_reset(&s2);
			search(src, queries[i], &s1);
			search(dst, queries[i], &s2);
			CHECK(s1.len > 0);
			CHECK_STR_EQ(s1.buf, s2.buf);
		}
		/* every blob the rows name is in the new store */
		sohoa_buf_reset(&d2);
		dump_rows(dst, "SELECT pdf_sha256 FROM documents UNION SELECT"
		    " image_sha256 FROM pages UNION SELECT hocr_sha256 FROM pages"
		    " UNION SELECT words_sha256 FROM pages UNION SELECT sha256"
		    " FROM files", &d2);
		{
			char *line = d2.buf, *nl;
			int nblobs = 0;

			while ((nl = strchr(line, '\n')) != NULL) {
				*nl = '\0';
				if (strcmp(line, "NULL") != 0) {
					CHECK(sohoa_store_has(dst, line));
					nblobs++;
				}
				line = nl + 1;
			}
			CHECK(nblobs >= 10);
		}
		/* again, from either format: nothing changes */
		sohoa_buf_reset(&d2);
		dump(dst, &d2);
		rc = sohoa_bundle_open(ctx, path("hs.zip"), NULL, NULL, &b);
		CHECK_INT_EQ(SOHOA_OK, rc);
		if (rc == SOHOA_OK) {
			CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_import(dst, b, NULL,
			    &res));
			CHECK_INT_EQ(0, res.changed);
			CHECK_INT_EQ(0, res.nblobs);
		}
		sohoa_bundle_close(&b);
		rc = sohoa_bundle_open(ctx, path("hs.tar"), NULL, NULL, &b);
		CHECK_INT_EQ(SOHOA_OK, rc);
		if (rc == SOHOA_OK) {
			CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_import(dst, b, NULL,
			    &res));
			CHECK_INT_EQ(0, res.changed);
		}
		sohoa_bundle_close(&b);
		sohoa_buf_reset(&d1);
		dump(dst, &d1);
		CHECK_STR_EQ(d2.buf, d1.buf);
		/* the imported dossier exports and verifies again */
		export_one(dst, SOHOA_BUNDLE_EARK, path("again.zip"));
		verify_ok(path("again.zip"), SOHOA_BUNDLE_EARK, 0);
	}
	sohoa_import_result_release(&res);
	sohoa_archive_close(&src);
	sohoa_archive_close(&dst);
	sohoa_buf_release(&d1);
	sohoa_buf_release(&d2);
	sohoa_buf_release(&s1);
	sohoa_buf_release(&s2);
	sohoa_ctx_destroy(&ctx);
	if (check_failures == 0) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmp);
	} else {
		fprintf(stderr, "files kept in %s\n", tmp);
	}
	return check_done("test_bundle_roundtrip");
}
