/*
 * Tests of what the review queue rests on: the archive's paged review
 * list (sohoa_archive_review_page: every flagged field and 'other'
 * document once, in order, a page at a time, past any cap), and where a
 * document type prints a field (sohoa_doctypes_field_end), which the
 * queue shows the page of for a field not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "archive_private.h"
#include "check.h"

/* More items than the old queue's 1000-document search cap */
#define NDOCS 1500

static char tmpdir[64];

static void
test_field_end(struct sohoa_ctx *ctx)
{
	struct sohoa_doctypes *dt = NULL;

	if (sohoa_doctypes_load(ctx, NULL, &dt) != SOHOA_OK) {
		fprintf(stderr, "cannot load doctypes: %s\n", sohoa_errmsg(ctx));
		CHECK(0);
		return;
	}
	/* the signer block closes the document */
	CHECK_INT_EQ(SOHOA_FIELD_END_LAST,
	    sohoa_doctypes_field_end(dt, "birth", "signer"));
	CHECK_INT_EQ(SOHOA_FIELD_END_LAST,
	    sohoa_doctypes_field_end(dt, "decision", "signer"));
	/* the header block, the number and the place-date line open it */
	CHECK_INT_EQ(SOHOA_FIELD_END_FIRST,
	    sohoa_doctypes_field_end(dt, "death", "issuer"));
	CHECK_INT_EQ(SOHOA_FIELD_END_FIRST,
	    sohoa_doctypes_field_end(dt, "death", "doc_number"));
	CHECK_INT_EQ(SOHOA_FIELD_END_FIRST,
	    sohoa_doctypes_field_end(dt, "marital_status", "issue_date"));
	CHECK_INT_EQ(SOHOA_FIELD_END_FIRST,
	    sohoa_doctypes_field_end(dt, "decision", "subject"));
	/* the body has no end of its own */
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(dt, "death", "full_name"));
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(dt, "birth", "registration_date"));
	/* nor what the types do not know */
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(dt, "other", "signer"));
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(dt, "nosuchtype", "signer"));
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(dt, "birth", "nosuchkey"));
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(dt, "birth", NULL));
	CHECK_INT_EQ(SOHOA_FIELD_END_ANY,
	    sohoa_doctypes_field_end(NULL, "birth", "signer"));
	sohoa_doctypes_destroy(&dt);
}

/* An item as "doc:key;" ("doc:*;" for an 'other' document) */
struct seen {
	struct sohoa_buf all;
	int n;
	int64_t doc;		/* the last one */
	char key[32];
	int other;		/* 1: the last one is an 'other' document */
};

static int
on_item(void *arg, const struct sohoa_review_item *it)
{
	struct seen *s = arg;

	s->n++;
	s->doc = it->doc_id;
	s->other = it->kind == SOHOA_REVIEW_OTHER_DOCUMENT;
	snprintf(s->key, sizeof(s->key), "%s", it->key ? it->key : "");
	CHECK(it->doc_type != NULL && it->npages == 1);
	CHECK(s->other == (it->key == NULL));
	sohoa_buf_addf(&s->all, "%lld:%s;", (long long)it->doc_id,
	    s->other ? "*" : it->key);
	return 0;
}

/* The flagged fields of the whole list, as the queue lists them */
static int
on_listed(void *arg, const struct sohoa_review_item *it)
{
	int *n = arg;

	if (it->kind == SOHOA_REVIEW_FLAGGED_FIELD) {
		(*n)++;
		CHECK(it->doc_type != NULL && it->npages == 1);
	}
	return 0;
}

static void
exec_sql(struct sohoa_archive *a, const char *sql)
{
	CHECK_INT_EQ(SQLITE_OK, sqlite3_exec(sohoa_archive_db(a), sql, NULL,
	    NULL, NULL));
}

/*
 * NDOCS documents: every third of type 'other' with no field, the rest
 * with one to three flagged fields among unflagged ones; a few flagged
 * fields corrected and a few documents deleted, which are not listed.
 * WANT gets the queue as it must come out.
 */
static void
fill(struct sohoa_archive *a, struct sohoa_buf *want)
{
	struct sohoa_file_info fi;
	struct sohoa_fields f;
	int64_t fid, dossier, did;
	int i;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "HS-R", 1,
	    &dossier));
	memset(&fi, 0, sizeof(fi));
	sohoa_sha256_mem("review", 6, fi.sha256);
	fi.dossier_id = dossier;
	fi.path = "scans/HS-R/r.tif";
	fi.name = "r.tif";
	fi.format = "tiff";
	fi.size = 6;
	fi.npages = NDOCS;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_add(a, &fi, &fid));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	for (i = 0; i < NDOCS; i++) {
		sohoa_fields_init(&f);
		if (i % 3 == 0) {
			CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_add(a, fid,
			    i, 1, "other", &f, &did));
			sohoa_buf_addf(want, "%lld:*;", (long long)did);
			sohoa_fields_release(&f);
			continue;
		}
		/* keys out of order: the list sorts them */
		sohoa_fields_set(&f, "signer", "", NULL, 0, 1);
		sohoa_fields_set(&f, "full_name", "Lò Văn A", "Lò Văn A", 95, 0);
		if (i % 3 == 2)
			sohoa_fields_set(&f, "birth_date", "2001-02-03",
			    "3/2/2001", 40, 1);
		if (i % 5 == 0)
			sohoa_fields_set(&f, "doc_number", "12", "I2", 50, 1);
		CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_add(a, fid, i,
		    1, "birth", &f, &did));
		sohoa_fields_release(&f);
		if (i % 7 == 1)
			continue;	/* deleted below */
		if (i % 3 == 2)
			sohoa_buf_addf(want, "%lld:birth_date;", (long long)did);
		if (i % 5 == 0)
			sohoa_buf_addf(want, "%lld:doc_number;", (long long)did);
		if (i % 11 != 4)
			sohoa_buf_addf(want, "%lld:signer;", (long long)did);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	/* ids follow i + 1: a person corrected some, deleted others */
	exec_sql(a, "UPDATE fields SET corrected = 1 WHERE key = 'signer'"
	    " AND (document_id - 1) % 11 = 4");
	exec_sql(a, "UPDATE documents SET deleted_at = '2026-12-07'"
	    " WHERE (id - 1) % 7 = 1 AND doc_type = 'birth'");
}

/* Walk the queue LIMIT items at a time, each page after the last item */
static void
walk(struct sohoa_archive *a, int limit, struct seen *s)
{
	struct sohoa_review_range r;
	int pages = 0, before;

	memset(&r, 0, sizeof(r));
	r.limit = limit;
	do {
		before = s->n;
		CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item,
		    s));
		CHECK(s->n - before <= limit);
		r.doc_id = s->doc;
		r.key = s->other ? NULL : s->key;
		r.after = 1;
		pages++;
	} while (s->n > before && pages < 10 * NDOCS);
}

static void
test_pages(struct sohoa_archive *a)
{
	struct sohoa_buf want = SOHOA_BUF_INIT;
	struct sohoa_review_range r;
	struct sohoa_archive_counts c;
	struct seen s;
	int nfields = 0, nitems = 0, nf, nd;
	size_t i;

	fill(a, &want);
	for (i = 0; i < want.len; i++)
		nitems += want.buf[i] == ';';
	CHECK(nitems > 1500);
	/* all at once, and in pages of 1, 7 and 1000: the same, in order */
	memset(&s, 0, sizeof(s));
	sohoa_buf_init(&s.all);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, NULL, on_item, &s));
	CHECK_STR_EQ(want.buf, s.all.buf);
	CHECK_INT_EQ(nitems, s.n);
	sohoa_buf_release(&s.all);
	for (i = 0; i < 3; i++) {
		static const int limits[] = { 1, 7, 1000 };

		memset(&s, 0, sizeof(s));
		sohoa_buf_init(&s.all);
		walk(a, limits[i], &s);
		CHECK_STR_EQ(want.buf, s.all.buf);
		CHECK_INT_EQ(nitems, s.n);
		sohoa_buf_release(&s.all);
	}
	/* the same flagged fields as status lists, and as it counts them */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_list(a, on_listed,
	    &nfields));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_counts(a, &c));
	CHECK_INT_EQ(c.fields_flagged, nfields);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_count(a, &nf, &nd));
	CHECK_INT_EQ(nfields, nf);
	CHECK_INT_EQ((NDOCS + 2) / 3, nd);
	memset(&s, 0, sizeof(s));
	sohoa_buf_init(&s.all);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, NULL, on_item, &s));
	CHECK_INT_EQ(nfields, s.n - (NDOCS + 2) / 3);
	sohoa_buf_release(&s.all);

	/* from an item (a page shown again), and from after it */
	memset(&r, 0, sizeof(r));
	r.doc_id = 3;		/* birth_date, signer; 4 'other'; 5 none */
	r.key = "signer";
	r.limit = 2;
	memset(&s, 0, sizeof(s));
	sohoa_buf_init(&s.all);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item, &s));
	CHECK_STR_EQ("3:signer;4:*;", s.all.buf);
	sohoa_buf_reset(&s.all);
	r.after = 1;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item, &s));
	CHECK_STR_EQ("4:*;6:birth_date;", s.all.buf);
	/* after an 'other' document: its fields, then the next document */
	sohoa_buf_reset(&s.all);
	r.doc_id = 4;
	r.key = NULL;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item, &s));
	CHECK_STR_EQ("6:birth_date;6:doc_number;", s.all.buf);
	/* an item handled meanwhile neither shifts nor repeats the next */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_field_accept(a, 6, "birth_date"));
	sohoa_buf_reset(&s.all);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item, &s));
	CHECK_STR_EQ("6:doc_number;6:signer;", s.all.buf);
	r.doc_id = 6;
	r.key = "birth_date";
	sohoa_buf_reset(&s.all);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item, &s));
	CHECK_STR_EQ("6:doc_number;6:signer;", s.all.buf);
	/* past the end: nothing */
	r.doc_id = NDOCS + 1;
	r.key = NULL;
	sohoa_buf_reset(&s.all);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_review_page(a, &r, on_item, &s));
	CHECK_STR_EQ("", s.all.buf);
	sohoa_buf_release(&s.all);
	sohoa_buf_release(&want);
}

/* The callback's non-zero return stops the walk and is returned */
static int
stop_at_two(void *arg, const struct sohoa_review_item *it)
{
	int *n = arg;

	(void)it;
	return ++*n == 2 ? 42 : 0;
}

static void
test_stop(struct sohoa_archive *a)
{
	int n = 0;

	CHECK_INT_EQ(42, sohoa_archive_review_page(a, NULL, stop_at_two, &n));
	CHECK_INT_EQ(2, n);
}

int
main(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_archive *a = NULL;
	struct sohoa_buf cmd = SOHOA_BUF_INIT;

	sohoa_global_init();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_review_XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_field_end(ctx);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, tmpdir,
	    SOHOA_ARCHIVE_CREATE, &a));
	if (a == NULL) {
		fprintf(stderr, "cannot create archive: %s\n", sohoa_errmsg(ctx));
		return 1;
	}
	test_pages(a);
	test_stop(a);
	sohoa_archive_close(&a);
	sohoa_buf_addf(&cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd.buf) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	sohoa_buf_release(&cmd);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_review");
}
