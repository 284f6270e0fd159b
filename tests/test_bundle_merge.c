/*
 * Import merges (issue 14, item 1): re-importing an older genuine bundle
 * used to revert clerks' corrections, move documents back into the
 * bundle's dossier and delete fields the bundle did not list, with no
 * history; a self-signed key that copied the office's name imported like
 * the genuine one.  Item 4: after an ingest and an import into the same
 * dossier two documents had ordinal 1 and export wrote a bundle its own
 * verify refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "archive_private.h"
#include "sohoa/bundle.h"
#include "sohoa/sign.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/records.h"
#include "check.h"
#include "test_bundle_fixture.h"

static char tmp[] = "/tmp/sohoa-test-merge-XXXXXX";
static struct sohoa_ctx *ctx;
static struct sohoa_doctypes *dt;

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
sql(struct sohoa_archive *a, const char *q)
{
	char *err = NULL;

	if (sqlite3_exec(sohoa_archive_db(a), q, NULL, NULL, &err) !=
	    SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", q, err);
		check_failures++;
	}
	sqlite3_free(err);
}

static char *
value(struct sohoa_archive *a, const char *q)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(sohoa_archive_db(a), q, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

#define CHECK_SQL(a, want, q) do { \
	char *v_ = value((a), (q)); \
	CHECK_STR_EQ((want), v_); \
	free(v_); \
} while (0)

static void
export(struct sohoa_archive *a, const char *keys, const char *out)
{
	struct sohoa_export_opts o;
	struct sohoa_export_result r;
	char key[512], cert[512];

	snprintf(key, sizeof(key), "%s/key.pem", keys);
	snprintf(cert, sizeof(cert), "%s/cert.pem", keys);
	memset(&o, 0, sizeof(o));
	o.dossier = FIXTURE_CODE;
	o.key_pem = key;
	o.cert_pem = cert;
	o.format = SOHOA_BUNDLE_EARK;
	o.out_path = out;
	sohoa_export_result_init(&r);
	unlink(out);
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_export(a, &o, &r));
	if (sohoa_errcode(ctx) != SOHOA_OK)
		fprintf(stderr, "export: %s\n", sohoa_errmsg(ctx));
	sohoa_export_result_release(&r);
}

/* Import BUNDLE into A; returns the code, RES filled. */
static int
import(struct sohoa_archive *a, const char *bundle,
    struct sohoa_import_result *res)
{
	struct sohoa_bundle *b = NULL;
	int rc;

	rc = sohoa_bundle_open(ctx, bundle, NULL, NULL, &b);
	CHECK_INT_EQ(SOHOA_OK, rc);
	if (rc == SOHOA_OK)
		rc = sohoa_bundle_import(a, b, NULL, res);
	sohoa_bundle_close(&b);
	return rc;
}

static void
set(struct sohoa_archive *a, int64_t doc, const char *key, const char *v)
{
	struct sohoa_field_change c;

	memset(&c, 0, sizeof(c));
	c.key = key;
	c.value = v;
	CHECK_INT_EQ(SOHOA_OK, sohoa_records_field_set(a, dt, doc, &c, 1, 0));
	sohoa_field_changes_release(&c, 1);
}

static int
has_conflict(const struct sohoa_import_result *r, const char *key,
    const char *why)
{
	size_t i;

	for (i = 0; i < r->nconflicts; i++)
		if ((key == NULL ? r->conflicts[i].key == NULL :
		    r->conflicts[i].key != NULL &&
		    strcmp(r->conflicts[i].key, key) == 0) &&
		    strstr(r->conflicts[i].why, why) != NULL)
			return 1;
	return 0;
}

static void
test_merge(void)
{
	struct sohoa_archive *src = NULL, *dst = NULL;
	struct sohoa_import_result res;
	struct sohoa_trusted_info ti;

	sohoa_import_result_init(&res);
	sohoa_trusted_info_init(&ti);
	CHECK_INT_EQ(SOHOA_OK, fixture_make(ctx, path("src"), path("keys")));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("src"), 0, &src));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("dst"),
	    SOHOA_ARCHIVE_CREATE, &dst));
	if (src == NULL || dst == NULL)
		goto out;
	sohoa_archive_set_actor(src, "anh Ba", "cli");
	sohoa_archive_set_actor(dst, "chị Lan", "cli");
	export(src, path("keys"), path("b1.zip"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_trust_add(dst, path("keys/cert.pem"), &ti));
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b1.zip"), &res));
	CHECK_INT_EQ(2, res.added);

	/* a clerk corrects a name here; the old bundle comes back */
	set(dst, 1, "full_name", "Nguyễn Thị Đào");
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b1.zip"), &res));
	CHECK_SQL(dst, "Nguyễn Thị Đào", "SELECT value FROM fields WHERE"
	    " document_id = 1 AND key = 'full_name'");
	CHECK_INT_EQ(0, res.fields_taken);
	CHECK(has_conflict(&res, "full_name", "set later"));
	CHECK_SQL(dst, "1", "SELECT count(*) FROM events WHERE action ="
	    " 'import_conflict' AND key = 'full_name'");
	/* the same again: nothing at all changes, no second conflict event */
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b1.zip"), &res));
	CHECK_INT_EQ(0, res.changed);
	CHECK_SQL(dst, "1", "SELECT count(*) FROM events WHERE action ="
	    " 'import_conflict'");

	/*
	 * Corrections on both sides, at times set here: the later wins,
	 * field by field.
	 */
	set(src, 2, "full_name", "Phạm Tường Lĩnh");
	set(src, 1, "birth_date", "13/03/2019");
	set(dst, 1, "birth_date", "14/03/2019");
	set(src, 1, "doc_number", "42/2019/TLKS");
	set(dst, 1, "doc_number", "42/2019/TLKS-BS");
	sql(src, "UPDATE fields SET changed_at = '2031-01-01T08:00:00+07:00'"
	    " WHERE document_id = 1 AND key IN ('birth_date', 'doc_number')");
	sql(dst, "UPDATE fields SET changed_at = '2031-01-01T07:30:00+07:00'"
	    " WHERE document_id = 1 AND key = 'birth_date'");
	/* 01:30 UTC is later than 08:00+07:00 (01:00 UTC): offsets count */
	sql(dst, "UPDATE fields SET changed_at = '2031-01-01T01:30:00+00:00'"
	    " WHERE document_id = 1 AND key = 'doc_number'");
	/* a field only this archive has, and a document filed elsewhere */
	set(dst, 2, "death_cause", "Bệnh");
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(dst, "HS-KHAC", 1,
	    &(int64_t){0}));
	sql(dst, "UPDATE documents SET dossier_id = (SELECT id FROM dossiers"
	    " WHERE code = 'HS-KHAC') WHERE id = 2");
	export(src, path("keys"), path("b2.zip"));
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b2.zip"), &res));
	CHECK_SQL(dst, "Phạm Tường Lĩnh", "SELECT value FROM fields WHERE"
	    " document_id = 2 AND key = 'full_name'");
	CHECK_SQL(dst, "2019-03-13", "SELECT value FROM fields WHERE"
	    " document_id = 1 AND key = 'birth_date'");
	CHECK_SQL(dst, "42/2019/TLKS-BS", "SELECT value FROM fields WHERE"
	    " document_id = 1 AND key = 'doc_number'");
	CHECK_SQL(dst, "Nguyễn Thị Đào", "SELECT value FROM fields WHERE"
	    " document_id = 1 AND key = 'full_name'");
	CHECK_SQL(dst, "Bệnh", "SELECT value FROM fields WHERE"
	    " document_id = 2 AND key = 'death_cause'");
	CHECK_SQL(dst, "HS-KHAC", "SELECT code FROM dossiers x JOIN documents"
	    " d ON d.dossier_id = x.id WHERE d.id = 2");
	CHECK_INT_EQ(2, res.fields_taken);
	CHECK(has_conflict(&res, "doc_number", "set later"));
	CHECK(has_conflict(&res, "dossier", "not moved"));
	/* who made a taken value, and that it came through the bundle */
	CHECK_SQL(dst, "anh Ba|chị Lan", "SELECT e.who || '|' || (SELECT who"
	    " FROM events WHERE document_id = 2 AND key = 'death_cause')"
	    " FROM events e WHERE e.document_id = 2 AND e.key = 'full_name'"
	    " AND e.source LIKE 'bundle:%'");
	/* three imports changed something: b1, b1 again (its conflict), b2 */
	CHECK_SQL(dst, "3", "SELECT count(*) FROM events WHERE action ="
	    " 'import' AND document_id IS NULL AND detail LIKE"
	    " '%\"trusted\":true%'");

	/* a document deleted here is not brought back */
	sql(dst, "UPDATE documents SET deleted_at = '2031-02-01T00:00:00Z'"
	    " WHERE id = 1");
	set(src, 1, "registration_date", "21/03/2019");
	sql(src, "UPDATE fields SET changed_at = '2032-01-01T00:00:00Z'"
	    " WHERE document_id = 1 AND key = 'registration_date'");
	export(src, path("keys"), path("b3.zip"));
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b3.zip"), &res));
	CHECK_SQL(dst, "2031-02-01T00:00:00Z", "SELECT deleted_at FROM"
	    " documents WHERE id = 1");
	CHECK_SQL(dst, "2019-03-20", "SELECT value FROM fields WHERE"
	    " document_id = 1 AND key = 'registration_date'");
	CHECK(has_conflict(&res, NULL, "deleted here"));
	CHECK_INT_EQ(1, res.skipped);
out:
	sohoa_trusted_info_release(&ti);
	sohoa_import_result_release(&res);
	sohoa_archive_close(&src);
	sohoa_archive_close(&dst);
}

/* A key that copies the office's name is not the office's key. */
static void
test_impostor(void)
{
	struct sohoa_archive *src = NULL, *dst = NULL;
	struct sohoa_import_result res;
	struct sohoa_trusted_info ti;
	int rc;

	sohoa_import_result_init(&res);
	sohoa_trusted_info_init(&ti);
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_keygen(ctx, path("fake"),
	    "UBND xã Tân Lập", "UBND xã Tân Lập", 0, NULL));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("src"), 0, &src));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("dst3"),
	    SOHOA_ARCHIVE_CREATE, &dst));
	if (src == NULL || dst == NULL)
		goto out;
	export(src, path("fake"), path("fake.zip"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_trust_add(dst, path("keys/cert.pem"), &ti));
	rc = import(dst, path("fake.zip"), &res);
	CHECK_INT_EQ(SOHOA_ERR_UNTRUSTED, rc);
	CHECK(strstr(sohoa_errmsg(ctx), "signed by 'CN=UBND xã Tân Lập") != NULL);
	CHECK_SQL(dst, "0", "SELECT count(*) FROM documents");
	/* the genuine one still imports */
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b1.zip"), &res));
	CHECK_INT_EQ(2, res.added);
	/* removing the trust refuses the genuine one too */
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_archive_trusted_remove(dst, "zz"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_trusted_remove(dst,
	    ti.fingerprint.buf));
	CHECK_INT_EQ(SOHOA_ERR_UNTRUSTED, import(dst, path("b1.zip"), &res));
	CHECK_SQL(dst, "trust_add,trust_remove", "SELECT group_concat(action)"
	    " FROM (SELECT action FROM events WHERE action LIKE 'trust%'"
	    " ORDER BY id)");
out:
	sohoa_trusted_info_release(&ti);
	sohoa_import_result_release(&res);
	sohoa_archive_close(&src);
	sohoa_archive_close(&dst);
}

/* Item 4: a document ingested here and an imported one share a number. */
static void
test_ordinals(void)
{
	struct sohoa_archive *dst = NULL;
	struct sohoa_import_result res;
	struct sohoa_trusted_info ti;
	struct sohoa_bundle *b = NULL;

	sohoa_import_result_init(&res);
	sohoa_trusted_info_init(&ti);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("dst4"),
	    SOHOA_ARCHIVE_CREATE, &dst));
	if (dst == NULL)
		goto out;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(dst, FIXTURE_CODE, 1,
	    &(int64_t){0}));
	sohoa_archive_close(&dst);
	/* the local document, numbered 1 in the dossier */
	CHECK_INT_EQ(SOHOA_OK, fixture_add_big(ctx, path("dst4"), path("keys"),
	    1));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("dst4"), 0, &dst));
	if (dst == NULL)
		goto out;
	CHECK_INT_EQ(SOHOA_OK, sohoa_trust_add(dst, path("keys/cert.pem"), &ti));
	CHECK_INT_EQ(SOHOA_OK, import(dst, path("b1.zip"), &res));
	CHECK_SQL(dst, "1,2,3", "SELECT group_concat(ordinal) FROM (SELECT"
	    " ordinal FROM documents ORDER BY ordinal)");
	dst != NULL ? export(dst, path("keys"), path("mixed.zip")) : (void)0;
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_open(ctx, path("mixed.zip"), NULL,
	    NULL, &b));
	if (b != NULL)
		CHECK_INT_EQ(1, sohoa_bundle_report(b)->valid);
	sohoa_bundle_close(&b);
out:
	sohoa_trusted_info_release(&ti);
	sohoa_import_result_release(&res);
	sohoa_archive_close(&dst);
}

int
main(void)
{
	char cmd[600];

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(tmp) == NULL)
		return 1;
	if (sohoa_doctypes_load(ctx, NULL, &dt) != SOHOA_OK) {
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
		return 1;
	}
	test_merge();
	test_impostor();
	test_ordinals();
	sohoa_doctypes_destroy(&dt);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		check_failures++;
	sohoa_ctx_destroy(&ctx);
	return check_done("test_bundle_merge");
}
