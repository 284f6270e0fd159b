/*
 * Fuzz target for what lies behind a good signature: METS.xml parsing,
 * the member checks, and import.  fuzz_bundle mostly stops at the
 * signature or a checksum, because a mutated bundle no longer matches
 * its signed manifest; here the harness plays an office with its own
 * key.  It starts from the committed E-ARK bundle
 * fuzz/corpus/bundle/eark-hs-2019-0042.zip, puts the input in one member
 * (first byte: 0 METS.xml, 1 metadata/other/sohoa.json, 2 a fields.json,
 * 3 metadata/descriptive/EAD.xml), fixes that member's SIZE and CHECKSUM
 * in METS.xml, signs METS.xml again, writes the ZIP and opens it.  A
 * bundle that verifies is imported into an archive.  Findings: crashes,
 * sanitizer reports, leaks, and an import that fails but changes the
 * archive (import is all or nothing) or leaves it failing
 * PRAGMA quick_check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "bundle_private.h"
#include "fuzz_common.h"

#define NMEMBERS_MAX 64

struct member {
	char *name;
	unsigned char *data;
	size_t len;
};

static struct member tmpl[NMEMBERS_MAX];
static size_t ntmpl;
static struct sohoa_ctx *ctx;
static struct sohoa_archive *archive;
static EVP_PKEY *key;
static X509 *cert;
static STACK_OF(X509) *chain;
static char *path;

/* Members the input may replace, by the end of their name. */
static const char *const targets[] = {
	"/METS.xml",
	"/metadata/other/sohoa.json",
	"/G09.2019.42.1/fields.json",
	"/metadata/descriptive/EAD.xml",
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_signed: %s: %s\n", what,
	    ctx ? sohoa_errmsg(ctx) : "");
	exit(1);
}

static int
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && strcmp(s + n - m, end) == 0 &&
	    (end[0] != '/' || strcmp(end, "/METS.xml") != 0 ||
	    strchr(s, '/') == s + n - m);	/* the root METS.xml only */
}

static void
load_template(void)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	char *src = fuzz_join(SOHOA_SOURCE_DIR,
	    "fuzz/corpus/bundle/eark-hs-2019-0042.zip");
	la_ssize_t got;

	archive_read_support_format_zip(ar);
	if (archive_read_open_filename(ar, src, 65536) != ARCHIVE_OK)
		die(archive_error_string(ar));
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		struct member *m = &tmpl[ntmpl];
		size_t size = (size_t)archive_entry_size(e);

		if (ntmpl == NMEMBERS_MAX)
			die("too many members in the template");
		m->name = strdup(archive_entry_pathname(e));
		m->data = malloc(size ? size : 1);
		if (m->name == NULL || m->data == NULL)
			abort();
		got = archive_read_data(ar, m->data, size);
		if (got < 0 || (size_t)got != size)
			die("short member in the template");
		m->len = size;
		ntmpl++;
	}
	archive_read_free(ar);
	free(src);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *keys, *kp, *cp, *dir;

	(void)argc;
	(void)argv;
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL)
		abort();
	load_template();
	keys = fuzz_path("keys");
	if (sohoa_bundle_keygen(ctx, keys, "fuzz", NULL, SOHOA_KEYGEN_EC,
	    NULL) != SOHOA_OK)
		die("keygen");
	kp = fuzz_join(keys, "key.pem");
	cp = fuzz_join(keys, "cert.pem");
	if (bundle_load_key(ctx, kp, &key) != SOHOA_OK ||
	    bundle_load_certs(ctx, cp, &cert, &chain) != SOHOA_OK)
		die("load key");
	free(kp);
	free(cp);
	free(keys);
	dir = fuzz_path("archive");
	if (sohoa_archive_open(ctx, dir, SOHOA_ARCHIVE_CREATE, &archive) !=
	    SOHOA_OK)
		die("archive");
	free(dir);
	path = fuzz_path("bundle.zip");
	return 0;
}

/* Upper-case hex SHA-256, as METS.xml writes it. */
static void
sha256_upper(const void *data, size_t len, char hex[SOHOA_SHA256_HEX])
{
	size_t i;

	sohoa_sha256_mem(data, len, hex);
	for (i = 0; hex[i]; i++)
		if (hex[i] >= 'a' && hex[i] <= 'f')
			hex[i] = (char)(hex[i] - 'a' + 'A');
}

/*
 * In METS text X, the tag holding CHECKSUM="OLD" gets SIZE="LEN" and
 * CHECKSUM="NEW".  A METS without it is left as it is.
 */
static void
fix_mets(struct sohoa_buf *x, const char *old, const char *new, size_t len)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	char *c, *start, *end, *sz, *q;

	c = strstr(x->buf, old);
	if (c == NULL)
		return;
	for (start = c; start > x->buf && *start != '<'; start--)
		;
	end = strchr(c, '>');
	sz = strstr(start, " SIZE=\"");
	if (end == NULL || sz == NULL || sz > end)
		return;
	sz += 7;
	q = strchr(sz, '"');
	if (q == NULL || q > c)
		return;
	sohoa_buf_add(&out, x->buf, (size_t)(sz - x->buf));
	sohoa_buf_addf(&out, "%zu", len);
	sohoa_buf_add(&out, q, (size_t)(c - q));
	sohoa_buf_adds(&out, new);
	sohoa_buf_adds(&out, c + strlen(old));
	sohoa_buf_reset(x);
	sohoa_buf_add(x, out.buf, out.len);
	sohoa_buf_release(&out);
}

static int
add_member(struct archive *aw, const char *name, const void *data,
    size_t len)
{
	struct archive_entry *e = archive_entry_new();
	int ok;

	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	ok = archive_write_header(aw, e) == ARCHIVE_OK &&
	    (len == 0 || archive_write_data(aw, data, len) == (la_ssize_t)len);
	archive_entry_free(e);
	return ok;
}

/* The template with member WHICH replaced by DATA, re-signed, in PATH. */
static void
write_bundle(size_t which, const uint8_t *data, size_t size)
{
	struct sohoa_buf mets = SOHOA_BUF_INIT, sig = SOHOA_BUF_INIT;
	char old[SOHOA_SHA256_HEX], new[SOHOA_SHA256_HEX];
	struct archive *aw;
	size_t i, imets = ntmpl, isig = ntmpl;

	for (i = 0; i < ntmpl; i++) {
		if (ends_with(tmpl[i].name, "/METS.xml"))
			imets = i;
		else if (ends_with(tmpl[i].name, "/METS.xml.p7s") &&
		    strchr(tmpl[i].name, '/') == strrchr(tmpl[i].name, '/'))
			isig = i;
	}
	if (imets == ntmpl || isig == ntmpl)
		die("template without METS.xml and its signature");
	if (which == imets) {
		sohoa_buf_add(&mets, data, size);
	} else {
		sohoa_buf_add(&mets, tmpl[imets].data, tmpl[imets].len);
		sha256_upper(tmpl[which].data, tmpl[which].len, old);
		sha256_upper(data, size, new);
		fix_mets(&mets, old, new, size);
	}
	if (bundle_cms_sign(ctx, key, cert, chain, mets.buf, mets.len, &sig) !=
	    SOHOA_OK)
		die("sign");
	aw = archive_write_new();
	archive_write_set_format_zip(aw);
	if (archive_write_open_filename(aw, path) != ARCHIVE_OK)
		die(archive_error_string(aw));
	for (i = 0; i < ntmpl; i++) {
		const void *d = tmpl[i].data;
		size_t n = tmpl[i].len;

		if (i == imets) {
			d = mets.buf;
			n = mets.len;
		} else if (i == isig) {
			d = sig.buf;
			n = sig.len;
		} else if (i == which) {
			d = data;
			n = size;
		}
		if (!add_member(aw, tmpl[i].name, d, n))
			die(archive_error_string(aw));
	}
	if (archive_write_close(aw) != ARCHIVE_OK)
		die(archive_error_string(aw));
	archive_write_free(aw);
	sohoa_buf_release(&mets);
	sohoa_buf_release(&sig);
}

/* Rows of the archive, to tell whether a failed import changed it. */
static void
counts(struct sohoa_buf *out)
{
	sqlite3_stmt *st = NULL;

	sohoa_buf_reset(out);
	if (sqlite3_prepare_v2(sohoa_archive_db(archive), "SELECT "
	    "(SELECT count(*) FROM dossiers), (SELECT count(*) FROM files), "
	    "(SELECT count(*) FROM documents), (SELECT count(*) FROM pages), "
	    "(SELECT count(*) FROM fields), (SELECT count(*) FROM "
	    "dossier_meta), (SELECT total(length(text)) FROM pages), "
	    "(SELECT total(length(value)) FROM fields)", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		abort();
	sohoa_buf_addf(out, "%s %s %s %s %s %s %s %s",
	    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
	    sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
	    sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
	    sqlite3_column_text(st, 6), sqlite3_column_text(st, 7));
	sqlite3_finalize(st);
}

static void
quick_check(void)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(sohoa_archive_db(archive),
	    "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		fprintf(stderr, "fuzz_signed: quick_check failed\n");
		abort();
	}
	sqlite3_finalize(st);
}

static const struct sohoa_import_opts untrusted = { SOHOA_IMPORT_UNTRUSTED };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sohoa_bundle *b = NULL;
	struct sohoa_import_result res;
	struct sohoa_buf before = SOHOA_BUF_INIT, after = SOHOA_BUF_INIT;
	size_t which = ntmpl, i;
	int rc;

	if (size < 1 || size > 65536)
		return 0;
	for (i = 0; i < ntmpl; i++)
		if (ends_with(tmpl[i].name, targets[data[0] % NTARGETS]))
			which = i;
	if (which == ntmpl)
		die("template member missing");
	write_bundle(which, data + 1, size - 1);
	rc = sohoa_bundle_open(ctx, path, NULL, NULL, &b);
	if (rc == SOHOA_OK) {
		counts(&before);
		sohoa_import_result_init(&res);
		/* merged into the archive earlier runs filled: the merge path */
		rc = sohoa_bundle_import(archive, b, &untrusted, &res);
		if (rc != SOHOA_OK) {
			if (sohoa_errmsg(ctx)[0] == '\0')
				abort();
			counts(&after);
			if (strcmp(before.buf, after.buf) != 0) {
				fprintf(stderr, "fuzz_signed: failed import "
				    "changed the archive: %s -> %s (%s)\n",
				    before.buf, after.buf, sohoa_errmsg(ctx));
				abort();
			}
		}
		quick_check();
		if (getenv("FUZZ_VERBOSE") != NULL)
			fprintf(stderr, "import: %s\n", rc == SOHOA_OK ?
			    "ok" : sohoa_errmsg(ctx));
		sohoa_import_result_release(&res);
	} else if (rc == SOHOA_ERR_INVALID) {
		if (getenv("FUZZ_VERBOSE") != NULL)
			fprintf(stderr, "not valid: %s\n", sohoa_errmsg(ctx));
		if (b == NULL || sohoa_bundle_report(b)->reason[0] == '\0')
			abort();
	} else if (b != NULL) {
		abort();
	}
	sohoa_bundle_close(&b);
	sohoa_buf_release(&before);
	sohoa_buf_release(&after);
	return 0;
}
