/*
 * Fuzz target for what lies behind a good signature: METS.xml parsing,
 * the member checks, and import.  fuzz_bundle mostly stops at the
 * signature or a checksum, because a mutated bundle no longer matches
 * its signed manifest; here the harness plays an office with its own
 * key.  It starts from the committed E-ARK bundle
 * fuzz/corpus/bundle/eark-hs-2019-0042.zip, puts the input in one member
 * (first byte: 0 METS.xml, 1 metadata/other/sohoa.json, 2 a fields.json,
 * 3 metadata/descriptive/EAD.xml), fixes that member's SIZE and CHECKSUM
 * in METS.xml, signs METS.xml again, writes the ZIP and opens it.  First
 * bytes 4-6 do the same to a tag file of the BagIt bag
 * fuzz/corpus/bundle/bagit-hs-2019-0042.tar (4 bagit.txt, 5 bag-info.txt,
 * 6 manifest-sha256.txt): the tag manifest is made again and signed, so
 * the RFC 8493 parsing (line ends, versions, duplicates, percent-encoded
 * paths, Payload-Oxum) is reached.  A bundle that verifies is imported
 * into an archive.  Findings: crashes,
 * sanitizer reports, leaks, and an import that fails but changes the
 * archive (import is all or nothing) or leaves it failing
 * PRAGMA quick_check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "archive_private.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/sign.h"
#include "bundle_private.h"
#include "fuzz_common.h"

#define NMEMBERS_MAX 64

struct member {
	char *name;
	unsigned char *data;
	size_t len;
};

/* A good bundle whose members the input replaces. */
struct tmpl {
	struct member m[NMEMBERS_MAX];
	size_t n;
};

static struct tmpl eark, bag;
static struct sohoa_ctx *ctx;
static struct sohoa_archive *archive;
static struct sohoa_signer *signer;
static char *path;

/* Members the input may replace, by the end of their name. */
static const char *const targets[] = {
	"/METS.xml",
	"/metadata/other/sohoa.json",
	"/G09.2019.42.1/fields.json",
	"/metadata/descriptive/EAD.xml",
	"/bagit.txt",			/* from here: the BagIt template */
	"/bag-info.txt",
	"/manifest-sha256.txt",
};
#define FIRST_BAG_TARGET 4
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
load_template(struct tmpl *t, const char *rel)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	char *src = fuzz_join(SOHOA_SOURCE_DIR, rel);
	la_ssize_t got;

	archive_read_support_format_zip(ar);
	archive_read_support_format_tar(ar);
	if (archive_read_open_filename(ar, src, 65536) != ARCHIVE_OK)
		die(archive_error_string(ar));
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		struct member *m = &t->m[t->n];
		size_t size = (size_t)archive_entry_size(e);

		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (t->n == NMEMBERS_MAX)
			die("too many members in the template");
		m->name = strdup(archive_entry_pathname(e));
		m->data = malloc(size ? size : 1);
		if (m->name == NULL || m->data == NULL)
			abort();
		got = archive_read_data(ar, m->data, size);
		if (got < 0 || (size_t)got != size)
			die("short member in the template");
		m->len = size;
		t->n++;
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
	load_template(&eark, "fuzz/corpus/bundle/eark-hs-2019-0042.zip");
	load_template(&bag, "fuzz/corpus/bundle/bagit-hs-2019-0042.tar");
	keys = fuzz_path("keys");
	if (sohoa_signer_keygen(ctx, keys, "fuzz", NULL, SOHOA_KEYGEN_EC,
	    NULL) != SOHOA_OK)
		die("keygen");
	kp = fuzz_join(keys, "key.pem");
	cp = fuzz_join(keys, "cert.pem");
	if (sohoa_signer_load(ctx, kp, cp, NULL, &signer) != SOHOA_OK)
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

/*
 * Write template T to PATH (ZIP or tar) with member WHICH holding
 * DATA/SIZE, member I1 holding B1 and member I2 holding B2.
 */
static void
write_archive(const struct tmpl *t, int zip, size_t which,
    const uint8_t *data, size_t size, size_t i1, const struct sohoa_buf *b1,
    size_t i2, const struct sohoa_buf *b2)
{
	struct archive *aw = archive_write_new();
	size_t i;

	if (zip)
		archive_write_set_format_zip(aw);
	else
		archive_write_set_format_pax_restricted(aw);
	if (archive_write_open_filename(aw, path) != ARCHIVE_OK)
		die(archive_error_string(aw));
	for (i = 0; i < t->n; i++) {
		const void *d = t->m[i].data;
		size_t n = t->m[i].len;

		if (i == i1) {
			d = b1->buf;
			n = b1->len;
		} else if (i == i2) {
			d = b2->buf;
			n = b2->len;
		} else if (i == which) {
			d = data;
			n = size;
		}
		if (!add_member(aw, t->m[i].name, d, n))
			die(archive_error_string(aw));
	}
	if (archive_write_close(aw) != ARCHIVE_OK)
		die(archive_error_string(aw));
	archive_write_free(aw);
}

/* The E-ARK template with member WHICH replaced by DATA, re-signed. */
static void
write_eark(size_t which, const uint8_t *data, size_t size)
{
	struct sohoa_buf mets = SOHOA_BUF_INIT, sig = SOHOA_BUF_INIT;
	char old[SOHOA_SHA256_HEX], new[SOHOA_SHA256_HEX];
	size_t i, imets = eark.n, isig = eark.n;

	for (i = 0; i < eark.n; i++) {
		if (ends_with(eark.m[i].name, "/METS.xml"))
			imets = i;
		else if (ends_with(eark.m[i].name, "/METS.xml.p7s") &&
		    strchr(eark.m[i].name, '/') == strrchr(eark.m[i].name, '/'))
			isig = i;
	}
	if (imets == eark.n || isig == eark.n)
		die("template without METS.xml and its signature");
	if (which == imets) {
		sohoa_buf_add(&mets, data, size);
	} else {
		sohoa_buf_add(&mets, eark.m[imets].data, eark.m[imets].len);
		sha256_upper(eark.m[which].data, eark.m[which].len, old);
		sha256_upper(data, size, new);
		fix_mets(&mets, old, new, size);
	}
	if (sohoa_sign_cms(ctx, signer, SOHOA_SIGN_CMS, time(NULL), mets.buf,
	    mets.len, &sig) != SOHOA_OK)
		die("sign");
	write_archive(&eark, 1, which, data, size, imets, &mets, isig, &sig);
	sohoa_buf_release(&mets);
	sohoa_buf_release(&sig);
}

/* The tag files the bag's tag manifest lists, in its order. */
static const char *const bag_tags[] = { "/bagit.txt", "/bag-info.txt",
    "/manifest-sha256.txt" };

/*
 * The BagIt template with tag file WHICH replaced by DATA, its tag
 * manifest made again and signed again.
 */
static void
write_bag(size_t which, const uint8_t *data, size_t size)
{
	struct sohoa_buf tm = SOHOA_BUF_INIT, sig = SOHOA_BUF_INIT;
	char hex[SOHOA_SHA256_HEX];
	size_t i, k, itm = bag.n, isig = bag.n;

	for (i = 0; i < bag.n; i++) {
		if (ends_with(bag.m[i].name, "/tagmanifest-sha256.txt"))
			itm = i;
		else if (ends_with(bag.m[i].name, "/tagmanifest-sha256.txt.p7s"))
			isig = i;
	}
	if (itm == bag.n || isig == bag.n)
		die("bag template without its signed tag manifest");
	for (k = 0; k < sizeof(bag_tags) / sizeof(bag_tags[0]); k++) {
		for (i = 0; i < bag.n; i++)
			if (ends_with(bag.m[i].name, bag_tags[k]))
				break;
		if (i == bag.n)
			die("bag template without a tag file");
		if (i == which)
			sohoa_sha256_mem(data, size, hex);
		else
			sohoa_sha256_mem(bag.m[i].data, bag.m[i].len, hex);
		sohoa_buf_addf(&tm, "%s  %s\n", hex, bag_tags[k] + 1);
	}
	if (sohoa_sign_cms(ctx, signer, SOHOA_SIGN_CMS, time(NULL), tm.buf,
	    tm.len, &sig) != SOHOA_OK)
		die("sign");
	write_archive(&bag, 0, which, data, size, itm, &tm, isig, &sig);
	sohoa_buf_release(&tm);
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
	size_t t, which, i;
	const struct tmpl *tp;
	int rc;

	if (size < 1 || size > 65536)
		return 0;
	t = data[0] % NTARGETS;
	tp = t >= FIRST_BAG_TARGET ? &bag : &eark;
	which = tp->n;
	for (i = 0; i < tp->n; i++)
		if (ends_with(tp->m[i].name, targets[t]))
			which = i;
	if (which == tp->n)
		die("template member missing");
	if (tp == &bag)
		write_bag(which, data + 1, size - 1);
	else
		write_eark(which, data + 1, size - 1);
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
