/*
 * Tests of the archive (index/archive*.c, index/store.c): create/open,
 * the content store (atomic, dedup, checked reads), dossiers and their
 * metadata, pages with word boxes, documents, field corrections with
 * history, transactions and the writer lock.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sohoa/archive.h"
#include "archive_private.h"
#include "check.h"

static char tmpdir[64];

static void
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_archive_XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

static int
count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
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

static void
test_open_missing(struct sohoa_ctx *ctx)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_buf dir = SOHOA_BUF_INIT;

	sohoa_buf_addf(&dir, "%s/none", tmpdir);
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_archive_open(ctx, dir.buf, 0, &a));
	CHECK(a == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "no archive in '") != NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "run 'sohoa init'") != NULL);
	sohoa_buf_release(&dir);
}

static void
test_store(struct sohoa_archive *a)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, data = SOHOA_BUF_INIT;
	struct sohoa_buf tmp = SOHOA_BUF_INIT, file = SOHOA_BUF_INIT;
	char sha[SOHOA_SHA256_HEX], sha2[SOHOA_SHA256_HEX];
	FILE *f;

	/* SHA-256("abc"), FIPS 180-2 */
	CHECK_INT_EQ(SOHOA_OK, sohoa_store_put_mem(a, "abc", 3, sha));
	CHECK_STR_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    sha);
	CHECK(sohoa_store_has(a, sha));
	CHECK_INT_EQ(SOHOA_OK, sohoa_store_path(a, sha, &path));
	CHECK(strstr(path.buf, "/store/ba/ba7816bf") != NULL);
	/* dedup: same content, same name, one file */
	CHECK_INT_EQ(SOHOA_OK, sohoa_store_put_mem(a, "abc", 3, sha2));
	CHECK_STR_EQ(sha, sha2);
	sohoa_buf_addf(&tmp, "%s/store/tmp", sohoa_archive_dir(a));
	CHECK_INT_EQ(0, count_dir(tmp.buf));	/* no temp file left */
	sohoa_buf_reset(&tmp);
	sohoa_buf_addf(&tmp, "%s/store/ba", sohoa_archive_dir(a));
	CHECK_INT_EQ(1, count_dir(tmp.buf));
	CHECK_INT_EQ(SOHOA_OK, sohoa_store_read(a, sha, &data));
	CHECK_STR_EQ("abc", data.buf);

	/* a file: stored whole, hash checked against the expected one */
	sohoa_buf_addf(&file, "%s/orig.bin", tmpdir);
	f = fopen(file.buf, "wb");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs("original scan bytes", f);
		fclose(f);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_sha256_file(NULL, file.buf, sha));
	CHECK_INT_EQ(SOHOA_OK, sohoa_store_put_file(a, file.buf, sha, sha2));
	CHECK_STR_EQ(sha, sha2);
	sohoa_buf_reset(&data);
	CHECK_INT_EQ(SOHOA_OK, sohoa_store_read(a, sha, &data));
	CHECK_STR_EQ("original scan bytes", data.buf);
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_store_put_file(a, file.buf,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    sha2));
	CHECK_STR_EQ("", sha2);
	sohoa_buf_reset(&tmp);
	sohoa_buf_addf(&tmp, "%s/store/tmp", sohoa_archive_dir(a));
	CHECK_INT_EQ(0, count_dir(tmp.buf));

	/* a damaged blob is refused on read */
	sohoa_buf_reset(&path);
	sohoa_store_path(a, sha, &path);
	chmod(path.buf, 0644);
	f = fopen(path.buf, "wb");
	if (f != NULL) {
		fputs("tampered", f);
		fclose(f);
	}
	sohoa_buf_reset(&data);
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_store_read(a, sha, &data));
	CHECK_INT_EQ(0, (int)data.len);
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_store_read(a,
	    "1111111111111111111111111111111111111111111111111111111111111111",
	    &data));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_store_path(a, "../etc/passwd", &data));
	sohoa_buf_release(&file);
	sohoa_buf_release(&tmp);
	sohoa_buf_release(&data);
	sohoa_buf_release(&path);
}

static int
meta_cb(void *arg, const char *key, const char *value)
{
	struct sohoa_buf *b = arg;

	sohoa_buf_addf(b, "%s=%s;", key, value);
	return 0;
}

static int
dossier_cb(void *arg, const struct sohoa_dossier_info *d)
{
	struct sohoa_buf *b = arg;

	sohoa_buf_addf(b, "%s:%d;", d->code, d->ndocuments);
	return 0;
}

static void
test_dossiers(struct sohoa_archive *a)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	int64_t id, id2;

	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_archive_dossier_get(a, "HS-1", 0, &id));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "HS-1", 1, &id));
	CHECK(id > 0);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "HS-1", 1, &id2));
	CHECK_INT_EQ(id, id2);
	/* codes are stored as NFC: decomposed input finds the same dossier */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "H\xc3\xb4", 1, &id2));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "Ho\xcc\x82", 0, &id));
	CHECK_INT_EQ(id2, id);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "HS-1", 0, &id));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_meta_set(a, id, "title",
	    "Hồ sơ khai sinh"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_meta_set(a, id, "language", "vi"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_meta_set(a, id, "title",
	    "Hồ sơ khai sinh 2024"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_meta_get(a, id, "title", &b));
	CHECK_STR_EQ("Hồ sơ khai sinh 2024", b.buf);
	sohoa_buf_reset(&b);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_meta_list(a, id, meta_cb, &b));
	CHECK_STR_EQ("language=vi;title=Hồ sơ khai sinh 2024;", b.buf);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_meta_set(a, id, "language", NULL));
	sohoa_buf_reset(&b);
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND,
	    sohoa_archive_dossier_meta_get(a, id, "language", &b));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_code(a, id, &b));
	CHECK_STR_EQ("HS-1", b.buf);
	sohoa_buf_reset(&b);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_list(a, dossier_cb, &b));
	CHECK_STR_EQ("HS-1:0;Hô:0;", b.buf);
	sohoa_buf_release(&b);
}

static struct sohoa_page *
make_page(int pageno, int status, const char *text)
{
	struct sohoa_page *p = calloc(1, sizeof(*p));

	p->pageno = pageno;
	p->status = status;
	p->width = 100;
	p->height = 200;
	p->dpi = 300;
	p->confidence = status == SOHOA_PAGE_LOWCONF ? 50.0f : 91.5f;
	p->text = strdup(text);
	p->hocr = strdup("<div class='ocr_page'></div>");
	p->nwords = 2;
	p->words = calloc(2, sizeof(*p->words));
	p->words[0].text = strdup("Nguyễn");
	p->words[0].x0 = 1; p->words[0].y0 = 2; p->words[0].x1 = 30; p->words[0].y1 = 12;
	p->words[0].conf = 95.5f;
	p->words[1].text = strdup("An");
	p->words[1].x0 = 35; p->words[1].y0 = 2; p->words[1].x1 = 50; p->words[1].y1 = 12;
	p->words[1].conf = 88; p->words[1].line = 0; p->words[1].block = 1;
	p->image = malloc(4);
	memcpy(p->image, "\x89PNG", 4);
	p->image_len = 4;
	strcpy(p->image_type, "png");
	return p;
}

static int
doc_cb(void *arg, const struct sohoa_document *d)
{
	struct sohoa_buf *b = arg;

	sohoa_buf_addf(b, "%lld:%s:%d;", (long long)d->id, d->doc_type, d->ordinal);
	return 0;
}

static void
test_documents(struct sohoa_archive *a)
{
	struct sohoa_file_info fi;
	struct sohoa_page *p = NULL, *q = NULL;
	struct sohoa_document *d = NULL;
	struct sohoa_fields fields;
	struct sohoa_buf b = SOHOA_BUF_INIT;
	struct sohoa_archive_counts c;
	int64_t fid, pid, pid2, did, dossier;
	int *pagenos = NULL, done;
	size_t n = 0;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "HS-1", 0, &dossier));
	memset(&fi, 0, sizeof(fi));
	sohoa_sha256_mem("file", 4, fi.sha256);
	fi.dossier_id = dossier;
	fi.path = "scans/HS-1/a.tif";
	fi.name = "a.tif";
	fi.format = "tiff";
	fi.size = 4;
	fi.npages = 3;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_add(a, &fi, &fid));
	CHECK(fid > 0);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_find(a, fi.sha256, &pid, &done));
	CHECK_INT_EQ(fid, pid);
	CHECK_INT_EQ(0, done);

	p = make_page(0, SOHOA_PAGE_OK, "GIẤY KHAI SINH\nHọ tên: Nguyễn An\n");
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_page_add(a, fid, p, &pid));
	CHECK(pid > 0);
	/* storing the same page again keeps the first row */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_page_add(a, fid, p, &pid2));
	CHECK_INT_EQ(pid, pid2);
	sohoa_page_destroy(&p);
	p = make_page(1, SOHOA_PAGE_LOWCONF, "mờ\n");
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_page_add(a, fid, p, &pid2));
	sohoa_page_destroy(&p);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_page_add_failed(a, fid, 2,
	    "truncated strip", &pid2));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_pages(a, fid, &pagenos, &n));
	CHECK_INT_EQ(3, (int)n);
	if (n == 3)
		CHECK_INT_EQ(2, pagenos[2]);
	free(pagenos);

	/* a page comes back as the pipeline made it */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_page_load(a, pid, SOHOA_PAGE_LOAD_WORDS |
	    SOHOA_PAGE_LOAD_IMAGE | SOHOA_PAGE_LOAD_HOCR, &q));
	CHECK(q != NULL);
	if (q != NULL) {
		CHECK_STR_EQ("GIẤY KHAI SINH\nHọ tên: Nguyễn An\n", q->text);
		CHECK_INT_EQ(2, (int)q->nwords);
		if (q->nwords == 2) {
			CHECK_STR_EQ("Nguyễn", q->words[0].text);
			CHECK_INT_EQ(30, q->words[0].x1);
			CHECK_INT_EQ(95, (int)q->words[0].conf);
			CHECK_INT_EQ(1, q->words[1].block);
		}
		CHECK_INT_EQ(4, (int)q->image_len);
		CHECK_STR_EQ("png", q->image_type);
		CHECK_STR_EQ("<div class='ocr_page'></div>", q->hocr);
		CHECK_INT_EQ(300, q->dpi);
	}
	sohoa_page_destroy(&q);

	/* a document with fields, in one transaction with the file's done flag */
	sohoa_fields_init(&fields);
	sohoa_fields_set(&fields, "full_name", "Nguyễn An", "Nguyen An", 93, 0);
	sohoa_fields_set(&fields, "birth_date", "2024-03-05", "05/03/2024", 60, 1);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_add(a, fid, 0, 2, "birth",
	    &fields, &did));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_done(a, fid));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	sohoa_fields_release(&fields);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_file_find(a, fi.sha256, &pid, &done));
	CHECK_INT_EQ(1, done);

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_load(a, did, &d));
	if (d != NULL) {
		CHECK_STR_EQ("HS-1", d->dossier);
		CHECK_STR_EQ("birth", d->doc_type);
		CHECK_STR_EQ("birth: Nguyễn An", d->title);
		CHECK_STR_EQ("2024-03-05", d->doc_date);
		CHECK_INT_EQ(1, d->ordinal);
		CHECK_INT_EQ(2, (int)d->npages);
		CHECK_INT_EQ(2, (int)d->nfields);
		CHECK_INT_EQ(71, (int)(d->confidence + 0.5f));	/* (91.5+50)/2 */
		CHECK_STR_EQ(fi.sha256, d->file_sha256);
		if (d->npages == 2) {
			CHECK_INT_EQ(SOHOA_PAGE_LOWCONF, d->pages[1].status);
			CHECK(d->pages[0].image_sha256[0] != '\0');
			CHECK(d->pages[0].words_sha256[0] != '\0');
		}
		if (d->nfields == 2) {
			CHECK_STR_EQ("birth_date", d->fields[0].key);
			CHECK_INT_EQ(1, d->fields[0].flagged);
		}
	}
	sohoa_document_destroy(&d);
	CHECK(d == NULL);

	/* a correction keeps the old value, who and when */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_field_set(a, did, "birth_date",
	    "2024-03-06", "chị Lan"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_field_set(a, did, "place", "Hà Nội",
	    "chị Lan"));
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_archive_field_set(a, did + 100,
	    "place", "x", "y"));
	CHECK_INT_EQ(2, query_int(a, "SELECT count(*) FROM field_history"));
	CHECK_INT_EQ(1, query_int(a, "SELECT count(*) FROM field_history WHERE"
	    " key = 'birth_date' AND old_value = '2024-03-05' AND new_value ="
	    " '2024-03-06' AND who = 'chị Lan' AND at LIKE '20%T%'"));
	CHECK_INT_EQ(1, query_int(a, "SELECT count(*) FROM field_history WHERE"
	    " key = 'place' AND old_value IS NULL"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_load(a, did, &d));
	if (d != NULL && d->nfields == 3) {
		CHECK_STR_EQ("2024-03-06", d->fields[0].value);
		CHECK_INT_EQ(1, d->fields[0].corrected);
		CHECK_INT_EQ(0, d->fields[0].flagged);
		CHECK_STR_EQ("2024-03-06", d->doc_date);
	} else
		CHECK(!"document with 3 fields");
	sohoa_document_destroy(&d);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_list(a, 0, doc_cb, &b));
	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "%lld:birth:1;", (long long)did);
	{
		struct sohoa_buf got = SOHOA_BUF_INIT;

		sohoa_archive_document_list(a, dossier, doc_cb, &got);
		CHECK_STR_EQ(b.buf, got.buf);
		sohoa_buf_release(&got);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_counts(a, &c));
	CHECK_INT_EQ(3, c.pages);
	CHECK_INT_EQ(1, c.pages_failed);
	CHECK_INT_EQ(1, c.pages_lowconf);
	CHECK_INT_EQ(1, c.documents);
	CHECK_INT_EQ(0, c.fields_flagged);
	CHECK_INT_EQ(2, c.fields_corrected);
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_archive_document_load(a, 999, &d));
	sohoa_buf_release(&b);

	/*
	 * Fields not read at all (empty, no raw): the title is not made of
	 * an empty name; read again, a field still not read leaves what is
	 * stored, and one read now replaces the empty value.
	 */
	sohoa_fields_init(&fields);
	sohoa_fields_set(&fields, "full_name", "", NULL, 0, 1);
	sohoa_fields_set(&fields, "subject", "Về việc cải chính", "x", 90, 0);
	sohoa_fields_set(&fields, "signer", "Lê Văn Ba", "Lê Văn Ba", 90, 0);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_add(a, fid, 1, 1,
	    "decision", &fields, &did));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	sohoa_fields_release(&fields);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_load(a, did, &d));
	if (d != NULL)
		CHECK_STR_EQ("decision: Về việc cải chính", d->title);
	sohoa_document_destroy(&d);
	sohoa_fields_init(&fields);
	sohoa_fields_set(&fields, "full_name", "Trần Thị Tư", "Tran Thi Tu", 90,
	    0);
	sohoa_fields_set(&fields, "signer", "", NULL, 0, 1);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_reread(a, did, NULL,
	    &fields));
	sohoa_fields_release(&fields);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_document_load(a, did, &d));
	if (d != NULL && d->nfields == 3) {
		CHECK_STR_EQ("full_name", d->fields[0].key);
		CHECK_STR_EQ("Trần Thị Tư", d->fields[0].value);
		CHECK_STR_EQ("signer", d->fields[1].key);
		CHECK_STR_EQ("Lê Văn Ba", d->fields[1].value);
	} else
		CHECK(!"document with 3 fields");
	sohoa_document_destroy(&d);
}

static void
test_transactions(struct sohoa_archive *a)
{
	int64_t id;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "kept", 1, &id));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "dropped", 1, &id));
	sohoa_archive_rollback(a);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "kept", 0, &id));
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_archive_dossier_get(a, "dropped", 0, &id));
	CHECK_INT_EQ(SOHOA_ERR_DB, sohoa_archive_commit(a));
}

static void
test_lock_and_readers(struct sohoa_ctx *ctx, struct sohoa_archive *a)
{
	struct sohoa_archive *b = NULL, *r = NULL;
	struct sohoa_ctx *ctx2 = sohoa_ctx_new();
	int64_t id;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_lock(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx2, tmpdir, 0, &b));
	CHECK_INT_EQ(SOHOA_ERR_BUSY, sohoa_archive_lock(b));
	CHECK(strstr(sohoa_errmsg(ctx2), "is writing to") != NULL);
	/* WAL: a reader sees committed data while a write is open */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_begin(a));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(a, "in-flight", 1, &id));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx2, tmpdir,
	    SOHOA_ARCHIVE_READONLY, &r));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_dossier_get(r, "kept", 0, &id));
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_archive_dossier_get(r, "in-flight", 0, &id));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_commit(a));
	sohoa_archive_close(&r);
	sohoa_archive_close(&b);
	sohoa_ctx_destroy(&ctx2);
	(void)ctx;
}

int
main(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_archive *a = NULL;
	struct sohoa_buf cmd = SOHOA_BUF_INIT;

	sohoa_global_init();
	make_tmpdir();
	test_open_missing(ctx);
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, tmpdir, SOHOA_ARCHIVE_CREATE, &a));
	if (a == NULL) {
		fprintf(stderr, "cannot create archive: %s\n", sohoa_errmsg(ctx));
		return 1;
	}
	CHECK_INT_EQ(1, query_int(a, "SELECT count(*) FROM pragma_journal_mode"
	    " WHERE journal_mode = 'wal'"));
	CHECK_INT_EQ(1, query_int(a, "PRAGMA foreign_keys"));
	CHECK_INT_EQ(2, query_int(a, "PRAGMA synchronous"));	/* FULL */
	test_store(a);
	test_dossiers(a);
	test_documents(a);
	test_transactions(a);
	test_lock_and_readers(ctx, a);
	CHECK_INT_EQ(1, query_int(a, "SELECT count(*) FROM pragma_integrity_check"
	    " WHERE integrity_check = 'ok'"));
	sohoa_archive_close(&a);
	CHECK(a == NULL);
	/* opening again (schema statements run again) keeps everything */
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, tmpdir, 0, &a));
	if (a != NULL)
		CHECK_INT_EQ(3, query_int(a, "SELECT count(*) FROM pages"));
	sohoa_archive_close(&a);
	sohoa_buf_addf(&cmd, "chmod -R u+w '%s' && rm -rf '%s'", tmpdir, tmpdir);
	if (system(cmd.buf) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	sohoa_buf_release(&cmd);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_index_archive");
}
