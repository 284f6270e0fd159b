/*
 * Bundles that must be refused, made with libarchive: '..' and absolute
 * paths, links, devices and FIFOs, duplicates, oversized members and a
 * compression bomb, names that are not UTF-8, members outside the package
 * folder, members not listed in the manifest, and every kind of member of
 * a good bundle changed by one byte or missing.  Each must fail with
 * SOHOA_ERR_INVALID naming the member, and leave nothing extracted.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/sign.h"
#include "bundle_private.h"
#include "check.h"
#include "test_bundle_fixture.h"

static char tmp[] = "/tmp/sohoa-test-hostile-XXXXXX";
static struct sohoa_ctx *ctx;
static char scratch[600];	/* TMPDIR for the library: must stay empty */

static const char *
path(const char *rel)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmp, rel);
	return buf[k];
}

static int
scratch_empty(void)
{
	DIR *d = opendir(scratch);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n == 0;
}

/* ---- crafting --------------------------------------------------------- */

struct entry {
	const char *name;
	int type;		/* AE_IFREG, AE_IFLNK ... */
	const char *link;	/* symlink target or hardlink name */
	const char *data;
	size_t size;
};

static void
craft(const char *out, int zip, const struct entry *e, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae;
	size_t i;

	if (zip)
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	archive_write_open_filename(a, out);
	for (i = 0; i < n; i++) {
		ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_filetype(ae, (unsigned)e[i].type);
		archive_entry_set_perm(ae, 0644);
		if (e[i].type == AE_IFLNK)
			archive_entry_set_symlink(ae, e[i].link);
		else if (e[i].link != NULL)
			archive_entry_set_hardlink(ae, e[i].link);
		if (e[i].type == AE_IFCHR)
			archive_entry_set_rdev(ae, 0x0103);
		archive_entry_set_size(ae, e[i].type == AE_IFREG &&
		    e[i].link == NULL ? (la_int64_t)e[i].size : 0);
		archive_write_header(a, ae);
		if (e[i].type == AE_IFREG && e[i].link == NULL && e[i].size)
			archive_write_data(a, e[i].data, e[i].size);
		archive_entry_free(ae);
	}
	archive_write_close(a);
	archive_write_free(a);
}

/* Open OUT, expect SOHOA_ERR_INVALID with WANT in the message. */
static void
refused_l(int line, const char *out, const char *want,
    const struct sohoa_bundle_limits *lim)
{
	struct sohoa_bundle *b = NULL;
	int rc;

	rc = sohoa_bundle_open(ctx, out, NULL, lim, &b);
	if (rc != SOHOA_ERR_INVALID ||
	    strstr(sohoa_errmsg(ctx), want) == NULL) {
		fprintf(stderr, "%s:%d: want refusal with \"%s\", got %d: %s\n",
		    __FILE__, line, want, rc, sohoa_errmsg(ctx));
		check_failures++;
	}
	check_count++;
	CHECK(strstr(sohoa_errmsg(ctx), "is not valid: ") != NULL);
	sohoa_bundle_close(&b);
	CHECK(scratch_empty());
}
#define refused(out, want, lim) refused_l(__LINE__, out, want, lim)

static void
test_crafted(void)
{
	static char zeros[4 << 20];
	const char *ok = "hello";
	struct sohoa_bundle_limits lim;
	struct entry e[3];
	int zip;

	memset(e, 0, sizeof(e));
	for (zip = 0; zip < 2; zip++) {
		const char *out = path(zip ? "h.zip" : "h.tar");

		e[0] = (struct entry){ "pkg/../../evil.txt", AE_IFREG, NULL,
		    ok, 5 };
		craft(out, zip, e, 1);
		refused(out, "'..' path component", NULL);
		e[0].name = "/tmp/evil.txt";
		craft(out, zip, e, 1);
		refused(out, "absolute path", NULL);
		e[0] = (struct entry){ "pkg/link", AE_IFLNK, "/etc/passwd",
		    NULL, 0 };
		craft(out, zip, e, 1);
		refused(out, "'pkg/link' is a symbolic link", NULL);
		e[0] = (struct entry){ "pkg/a.txt", AE_IFREG, NULL, ok, 5 };
		e[1] = (struct entry){ "pkg/a.txt", AE_IFREG, NULL, ok, 5 };
		craft(out, zip, e, 2);
		refused(out, "'pkg/a.txt' appears more than once", NULL);
		e[1] = (struct entry){ "other/b.txt", AE_IFREG, NULL, ok, 5 };
		craft(out, zip, e, 2);
		refused(out, "outside the package folder", NULL);
		e[0] = (struct entry){ "pkg/./a.txt", AE_IFREG, NULL, ok, 5 };
		craft(out, zip, e, 1);
		refused(out, "'.' path component", NULL);
		/* one member over the per-entry limit */
		memset(&lim, 0, sizeof(lim));
		lim.max_entry = 1000;
		e[0] = (struct entry){ "pkg/big.bin", AE_IFREG, NULL, zeros,
		    5000 };
		craft(out, zip, e, 1);
		refused(out, "'pkg/big.bin' is too large", &lim);
		/* a total over the limit */
		memset(&lim, 0, sizeof(lim));
		lim.max_total = 6000;
		e[1] = (struct entry){ "pkg/big2.bin", AE_IFREG, NULL, zeros,
		    5000 };
		craft(out, zip, e, 2);
		refused(out, "add up to more than 6000 bytes", &lim);
	}
	/* tar only: hard links, devices, FIFOs, raw non-UTF-8 names */
	e[0] = (struct entry){ "pkg/a.txt", AE_IFREG, NULL, ok, 5 };
	e[1] = (struct entry){ "pkg/hard", AE_IFREG, "pkg/a.txt", NULL, 0 };
	craft(path("h.tar"), 0, e, 2);
	refused(path("h.tar"), "'pkg/hard' is a hard link", NULL);
	e[0] = (struct entry){ "pkg/tty", AE_IFCHR, NULL, NULL, 0 };
	craft(path("h.tar"), 0, e, 1);
	refused(path("h.tar"), "'pkg/tty' is a device file", NULL);
	e[0] = (struct entry){ "pkg/fifo", AE_IFIFO, NULL, NULL, 0 };
	craft(path("h.tar"), 0, e, 1);
	refused(path("h.tar"), "'pkg/fifo' is a device file, FIFO", NULL);
	{
		/* a ustar header written by hand: pax would encode the name */
		unsigned char hdr[512 * 4];
		unsigned sum = 0;
		size_t i;
		int fd;

		memset(hdr, 0, sizeof(hdr));
		memcpy(hdr, "pkg/\xff\xfe.txt", 11);
		memcpy(hdr + 100, "0000644", 7);
		memcpy(hdr + 108, "0000000", 7);
		memcpy(hdr + 116, "0000000", 7);
		memcpy(hdr + 124, "00000000005", 11);
		memcpy(hdr + 136, "00000000000", 11);
		hdr[156] = '0';
		memcpy(hdr + 257, "ustar", 6);
		memcpy(hdr + 263, "00", 2);
		memset(hdr + 148, ' ', 8);
		for (i = 0; i < 512; i++)
			sum += hdr[i];
		snprintf((char *)hdr + 148, 8, "%06o", sum);
		memcpy(hdr + 512, "hello", 5);
		fd = open(path("raw.tar"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(write(fd, hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr));
		close(fd);
		refused(path("raw.tar"), "not valid UTF-8", NULL);
	}
	/* a compression bomb: 4 MiB of zeros deflate to a few KiB */
	memset(&lim, 0, sizeof(lim));
	lim.ratio_floor = 1 << 20;
	e[0] = (struct entry){ "pkg/zeros.bin", AE_IFREG, NULL, zeros,
	    sizeof(zeros) };
	craft(path("bomb.zip"), 1, e, 1);
	refused(path("bomb.zip"), "compression bomb", &lim);
	/* not an archive at all */
	craft(path("empty.tar"), 0, e, 0);
	refused(path("empty.tar"), "is not valid", NULL);
}

/* ---- changing one member of a good bundle ----------------------------- */

enum { KEEP, FLIP, DROP, ADD };

/*
 * Copy bundle SRC to DST, applying ACTION to the member whose name ends
 * with SUFFIX.  Returns the full member name touched (static) or NULL.
 */
static const char *
repack(const char *src, const char *dst, int zip, const char *suffix,
    int action)
{
	static char touched[700];
	struct archive *in = archive_read_new(), *out = archive_write_new();
	struct archive_entry *e;
	char *buf = NULL;
	int done = 0;

	touched[0] = '\0';
	archive_read_support_format_zip(in);
	archive_read_support_format_tar(in);
	if (archive_read_open_filename(in, src, 65536) != ARCHIVE_OK)
		return NULL;
	if (zip)
		archive_write_set_format_zip(out);
	else
		archive_write_set_format_pax_restricted(out);
	archive_write_open_filename(out, dst);
	while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		size_t n = (size_t)archive_entry_size(e), len = strlen(name);
		size_t slen = strlen(suffix);
		int hit = !done && len >= slen &&
		    strcmp(name + len - slen, suffix) == 0;

		buf = realloc(buf, n ? n : 1);
		if (n)
			archive_read_data(in, buf, n);
		if (hit) {
			done = 1;
			snprintf(touched, sizeof(touched), "%s", name);
			if (action == DROP)
				continue;
			if (action == FLIP && n)
				buf[n / 2] ^= 0x01;
			if (action == ADD) {
				struct archive_entry *x = archive_entry_clone(e);
				char extra[600];

				snprintf(extra, sizeof(extra), "%s.extra", name);
				snprintf(touched, sizeof(touched), "%s", extra);
				archive_entry_set_pathname(x, extra);
				archive_write_header(out, x);
				archive_write_data(out, buf, n);
				archive_entry_free(x);
			}
		}
		archive_write_header(out, e);
		if (n)
			archive_write_data(out, buf, n);
	}
	free(buf);
	archive_read_free(in);
	archive_write_close(out);
	archive_write_free(out);
	return touched[0] ? touched : NULL;
}

static void
test_members(const char *good, int zip, const char *const *suffixes)
{
	const char *bad = path(zip ? "bad.zip" : "bad.tar");
	const char *name;
	char want[600];
	size_t i;

	for (i = 0; suffixes[i] != NULL; i++) {
		name = repack(good, bad, zip, suffixes[i], FLIP);
		CHECK(name != NULL);
		if (name == NULL)
			continue;
		snprintf(want, sizeof(want), "'%s'", name);
		refused(bad, want, NULL);
		name = repack(good, bad, zip, suffixes[i], DROP);
		snprintf(want, sizeof(want), "%s", strrchr(name, '/') + 1);
		refused(bad, want, NULL);
	}
	name = repack(good, bad, zip, suffixes[0], ADD);
	snprintf(want, sizeof(want), "'%s' is not listed in", name);
	refused(bad, want, NULL);
	/* an untouched copy still verifies: the checks above are real */
	repack(good, bad, zip, "no-such-member", FLIP);
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_verify(ctx, bad, NULL));
}

/*
 * Damage the raw bundle file at random (a fixed seed, so runs repeat):
 * every result must be "valid" only when the bytes are unchanged in
 * substance, otherwise SOHOA_ERR_INVALID -- never a crash, a leak (under
 * ASan) or an extracted file left behind.
 */
static void
test_random_damage(const char *good, const char *name)
{
	unsigned long seed = 20261124;
	struct sohoa_buf data = SOHOA_BUF_INIT;
	char buf[65536];
	FILE *f = fopen(good, "rb");
	size_t n;
	int i, valid = 0, refused = 0;

	if (f == NULL) {
		CHECK(f != NULL);
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sohoa_buf_add(&data, buf, n);
	fclose(f);
	for (i = 0; i < 100; i++) {
		struct sohoa_buf bad = SOHOA_BUF_INIT;
		int k, rc;

		sohoa_buf_add(&bad, data.buf, data.len);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			bad.buf[(seed >> 17) % bad.len] ^= (char)(1 + (seed >> 9) % 255);
		}
		f = fopen(path(name), "wb");
		fwrite(bad.buf, 1, bad.len, f);
		fclose(f);
		rc = sohoa_bundle_verify(ctx, path(name), NULL);
		if (rc == SOHOA_OK)
			valid++;
		else if (rc == SOHOA_ERR_INVALID)
			refused++;
		else
			fprintf(stderr, "random damage %d: %d %s\n", i, rc,
			    sohoa_errmsg(ctx));
		CHECK(rc == SOHOA_OK || rc == SOHOA_ERR_INVALID);
		CHECK(scratch_empty());
		sohoa_buf_release(&bad);
	}
	/* bytes in padding or unused header fields may change harmlessly */
	CHECK(refused > 85);
	printf("%s: %d damaged copies refused, %d still valid\n", name,
	    refused, valid);
	sohoa_buf_release(&data);
}

/*
 * A bundle whose METS.xml is correctly signed and matches every member,
 * but lacks the Thông tư tree (no EAD.xml, PREMIS, representation METS):
 * well-formed, not a dossier package.
 */
static void
test_signed_incomplete(void)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	struct sohoa_buf mets = SOHOA_BUF_INIT, sig = SOHOA_BUF_INIT;
	struct entry e[3];
	struct sohoa_signer *signer = NULL;
	char sha[65], up[65];
	size_t i;

	sohoa_sha256_mem(pdf, sizeof(pdf) - 1, sha);
	for (i = 0; i < 65; i++)
		up[i] = (char)(sha[i] >= 'a' && sha[i] <= 'f' ? sha[i] - 32 :
		    sha[i]);
	sohoa_buf_addf(&mets, "<?xml version=\"1.0\"?>\n<mets:mets"
	    " xmlns:mets=\"http://www.loc.gov/METS/\""
	    " xmlns:xlink=\"http://www.w3.org/1999/xlink\"><mets:fileSec>"
	    "<mets:fileGrp><mets:file ID=\"a\" SIZE=\"%zu\" CHECKSUM=\"%s\""
	    " CHECKSUMTYPE=\"SHA-256\"><mets:FLocat xlink:href=\""
	    "representations/rep1/data/x.1.pdf\"/></mets:file></mets:fileGrp>"
	    "</mets:fileSec></mets:mets>\n", sizeof(pdf) - 1, up);
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_load(ctx, path("keys/key.pem"),
	    path("keys/cert.pem"), NULL, &signer));
	if (signer == NULL)
		goto out;
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms(ctx, signer, SOHOA_SIGN_CMS,
	    time(NULL), mets.buf, mets.len, &sig));
	e[0] = (struct entry){ "pkg/METS.xml", AE_IFREG, NULL, mets.buf,
	    mets.len };
	e[1] = (struct entry){ "pkg/METS.xml.p7s", AE_IFREG, NULL, sig.buf,
	    sig.len };
	e[2] = (struct entry){ "pkg/representations/rep1/data/x.1.pdf",
	    AE_IFREG, NULL, pdf, sizeof(pdf) - 1 };
	craft(path("incomplete.zip"), 1, e, 3);
	refused(path("incomplete.zip"), "'pkg/metadata/descriptive/EAD.xml'"
	    " is missing", NULL);
	/* the same with the PDF changed: now the checksum fails first */
	e[2].data = "%PDF-1.4\n%%EOF\r";
	craft(path("incomplete.zip"), 1, e, 3);
	refused(path("incomplete.zip"), "'pkg/representations/rep1/data/x.1.pdf'"
	    " does not match its SHA-256 in METS.xml", NULL);
out:
	sohoa_signer_destroy(&signer);
	sohoa_buf_release(&mets);
	sohoa_buf_release(&sig);
}

/* ---- BagIt tag files re-signed: RFC 8493 edge cases --------------- */

#define BAG_MAX 64

struct bag {
	struct entry e[BAG_MAX];
	struct sohoa_buf data[BAG_MAX];
	size_t n;
};

static void
bag_load(struct bag *bag, const char *tar)
{
	struct archive *in = archive_read_new();
	struct archive_entry *ae;
	char buf[65536];
	la_ssize_t k;

	memset(bag, 0, sizeof(*bag));
	archive_read_support_format_tar(in);
	if (archive_read_open_filename(in, tar, 65536) != ARCHIVE_OK) {
		CHECK(!"cannot read the good bag");
		archive_read_free(in);
		return;
	}
	while (bag->n < BAG_MAX && archive_read_next_header(in, &ae) ==
	    ARCHIVE_OK) {
		if (archive_entry_filetype(ae) != AE_IFREG)
			continue;
		sohoa_buf_init(&bag->data[bag->n]);
		while ((k = archive_read_data(in, buf, sizeof(buf))) > 0)
			sohoa_buf_add(&bag->data[bag->n], buf, (size_t)k);
		bag->e[bag->n].name = strdup(archive_entry_pathname(ae));
		bag->e[bag->n].type = AE_IFREG;
		bag->n++;
	}
	archive_read_free(in);
}

static void
bag_release(struct bag *bag)
{
	size_t i;

	for (i = 0; i < bag->n; i++) {
		free((char *)bag->e[i].name);
		sohoa_buf_release(&bag->data[i]);
	}
	bag->n = 0;
}

/* The member of BAG whose name ends in "/" REL, or NULL. */
static struct sohoa_buf *
bag_get(struct bag *bag, const char *rel)
{
	size_t i, n, r = strlen(rel);

	for (i = 0; i < bag->n; i++) {
		n = strlen(bag->e[i].name);
		if (n > r && bag->e[i].name[n - r - 1] == '/' &&
		    strcmp(bag->e[i].name + n - r, rel) == 0 &&
		    strchr(bag->e[i].name, '/') == bag->e[i].name + n - r - 1)
			return &bag->data[i];
	}
	return NULL;
}

/* Replace every line end of T (LF as export writes it) by EOL. */
static void
set_eol(struct sohoa_buf *t, const char *eol)
{
	struct sohoa_buf o = SOHOA_BUF_INIT;
	size_t i;

	for (i = 0; i < t->len; i++) {
		if (t->buf[i] == '\n')
			sohoa_buf_adds(&o, eol);
		else
			sohoa_buf_addch(&o, t->buf[i]);
	}
	sohoa_buf_release(t);
	*t = o;
}

/*
 * Write BAG to OUT with its tag manifest made again over the tag files
 * (lines ending in EOL) and signed again with the test key, as an office
 * whose tools write such a bag would.
 */
static void
bag_write(struct bag *bag, const char *out, const char *eol)
{
	static const char *const tags[] = { "bagit.txt", "bag-info.txt",
	    "manifest-sha256.txt" };
	struct sohoa_buf *tm = bag_get(bag, "tagmanifest-sha256.txt");
	struct sohoa_buf *sig = bag_get(bag, "tagmanifest-sha256.txt.p7s");
	struct sohoa_signer *signer = NULL;
	char sha[65];
	size_t i;

	if (tm == NULL || sig == NULL) {
		CHECK(!"the good bag has no signed tag manifest");
		return;
	}
	sohoa_buf_reset(tm);
	for (i = 0; i < 3; i++) {
		struct sohoa_buf *t = bag_get(bag, tags[i]);

		sohoa_sha256_mem(t->buf, t->len, sha);
		sohoa_buf_addf(tm, "%s  %s%s", sha, tags[i], eol);
	}
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_load(ctx, path("keys/key.pem"),
	    path("keys/cert.pem"), NULL, &signer));
	sohoa_buf_reset(sig);
	if (signer != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms(ctx, signer,
		    SOHOA_SIGN_CMS, time(NULL), tm->buf, tm->len, sig));
	for (i = 0; i < bag->n; i++) {
		bag->e[i].data = bag->data[i].buf;
		bag->e[i].size = bag->data[i].len;
	}
	craft(out, 0, bag->e, bag->n);
	sohoa_signer_destroy(&signer);
}

/* A bag's tag files changed by EDIT, re-signed: refused with WANT. */
static void
bag_case(const char *good, const char *name, const char *eol,
    void (*edit)(struct bag *), const char *want)
{
	const char *out = path("edge.tar");
	struct bag bag;

	bag_load(&bag, good);
	if (bag.n == 0)
		return;
	edit(&bag);
	bag_write(&bag, out, eol);
	if (want != NULL) {
		refused(out, want, NULL);
	} else {
		int rc = sohoa_bundle_verify(ctx, out, NULL);

		CHECK_INT_EQ(SOHOA_OK, rc);
		if (rc != SOHOA_OK)
			fprintf(stderr, "bag %s: %s\n", name, sohoa_errmsg(ctx));
		CHECK(scratch_empty());
	}
	bag_release(&bag);
}

static void
edit_none(struct bag *bag)
{
	(void)bag;
}

static void
edit_bom(struct bag *bag)
{
	struct sohoa_buf *t = bag_get(bag, "bagit.txt"), o = SOHOA_BUF_INIT;

	sohoa_buf_adds(&o, "\xef\xbb\xbf");
	sohoa_buf_add(&o, t->buf, t->len);
	sohoa_buf_release(t);
	*t = o;
}

static void
edit_version(struct bag *bag, const char *v)
{
	struct sohoa_buf *t = bag_get(bag, "bagit.txt");

	sohoa_buf_reset(t);
	sohoa_buf_addf(t, "BagIt-Version: %s\n"
	    "Tag-File-Character-Encoding: UTF-8\n", v);
}

static void
edit_v109(struct bag *bag)
{
	edit_version(bag, "1.0.9");
}

static void
edit_v097(struct bag *bag)
{
	edit_version(bag, "0.97");
}

static void
edit_third_line(struct bag *bag)
{
	sohoa_buf_adds(bag_get(bag, "bagit.txt"), "Extra: yes\n");
}

/* The first payload line twice. */
static void
edit_dup(struct bag *bag)
{
	struct sohoa_buf *t = bag_get(bag, "manifest-sha256.txt");
	const char *nl = memchr(t->buf, '\n', t->len);
	struct sohoa_buf o = SOHOA_BUF_INIT;

	if (nl == NULL)
		return;
	sohoa_buf_add(&o, t->buf, (size_t)(nl - t->buf) + 1);
	sohoa_buf_add(&o, t->buf, t->len);
	sohoa_buf_release(t);
	*t = o;
}

static void
edit_eol(struct bag *bag, const char *eol)
{
	set_eol(bag_get(bag, "bagit.txt"), eol);
	set_eol(bag_get(bag, "bag-info.txt"), eol);
	set_eol(bag_get(bag, "manifest-sha256.txt"), eol);
}

static void
edit_cr(struct bag *bag)
{
	edit_eol(bag, "\r");
}

static void
edit_crlf(struct bag *bag)
{
	edit_eol(bag, "\r\n");
}

/*
 * RFC 8493 cases a bag from another office may present, each in a bag
 * whose signature is good: a byte order mark in bagit.txt (forbidden),
 * a version this reader does not implement, a third declaration line, a
 * payload file listed twice (invalid); CR-only and CRLF line ends in
 * every tag file (valid in 1.0) and a 0.97 bag (same layout).
 */
static void
test_bag_edges(const char *good_path)
{
	char good[512];

	/* path() answers from a ring of buffers the cases reuse */
	snprintf(good, sizeof(good), "%s", good_path);
	bag_case(good, "resigned", "\n", edit_none, NULL);
	bag_case(good, "bom", "\n", edit_bom, "starts with a byte order mark");
	bag_case(good, "version-1.0.9", "\n", edit_v109,
	    "declares BagIt-Version '1.0.9'");
	bag_case(good, "third-line", "\n", edit_third_line,
	    "is not a BagIt declaration");
	bag_case(good, "listed-twice", "\n", edit_dup,
	    "' more than once");
	bag_case(good, "cr", "\r", edit_cr, NULL);
	bag_case(good, "crlf", "\r\n", edit_crlf, NULL);
	bag_case(good, "version-0.97", "\n", edit_v097, NULL);
}

/*
 * An import extracts under the archive's store/tmp, never into $TMPDIR
 * (issue 14, item 10), in a folder held while the bundle is open; what
 * a killed import left there is removed by the next one.
 */
static void
test_import_tmp(const char *good)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_bundle *b = NULL;
	char store_tmp[600], stale[700];
	DIR *d;
	struct dirent *e;
	int held = 0;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("src"), 0, &a));
	if (a == NULL)
		return;
	snprintf(store_tmp, sizeof(store_tmp), "%s/store/tmp", path("src"));
	/* as a killed import leaves it: nobody holds it */
	snprintf(stale, sizeof(stale), "%s/bundle-KILLED", store_tmp);
	CHECK(mkdir(stale, 0700) == 0);
	snprintf(stale, sizeof(stale), "%s/bundle-KILLED/page.tif", store_tmp);
	fclose(fopen(stale, "w"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_open_import(a, good, NULL, NULL,
	    &b));
	CHECK(scratch_empty());
	d = opendir(store_tmp);
	while (d != NULL && (e = readdir(d)) != NULL) {
		CHECK(strcmp(e->d_name, "bundle-KILLED") != 0);
		if (strncmp(e->d_name, "bundle-", 7) == 0 &&
		    strlen(e->d_name) == 13)
			held++;
	}
	if (d != NULL)
		closedir(d);
	CHECK_INT_EQ(1, held);
	sohoa_bundle_close(&b);
	held = 0;
	d = opendir(store_tmp);
	while (d != NULL && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "bundle-", 7) == 0)
			held++;
	if (d != NULL)
		closedir(d);
	CHECK_INT_EQ(0, held);
	sohoa_archive_close(&a);
}

int
main(void)
{
	static const char *const eark[] = { ".pdf", "/METS.xml",
	    "METS.xml.p7s", "EAD.xml", "PREMIS.xml", "rep1/METS.xml",
	    "EAD_doc_2.xml", "page-001.txt", "page-002.hocr", "page-001.jpg",
	    "page-002.words", "fields.json", "sohoa.json", ".tif", ".png",
	    NULL };
	static const char *const bagit[] = { ".pdf", "bagit.txt",
	    "bag-info.txt", "/manifest-sha256.txt", "tagmanifest-sha256.txt",
	    "tagmanifest-sha256.txt.p7s", "data/METS.xml", "EAD.xml",
	    "page-001.txt", "sohoa.json", ".tif", NULL };
	struct sohoa_archive *a = NULL;
	struct sohoa_export_opts o;
	struct sohoa_export_result r;
	int fmt;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (mkdtemp(tmp) == NULL)
		return 1;
	snprintf(scratch, sizeof(scratch), "%s/scratch", tmp);
	mkdir(scratch, 0700);
	setenv("TMPDIR", scratch, 1);
	test_crafted();

	CHECK_INT_EQ(SOHOA_OK, fixture_make(ctx, path("src"), path("keys")));
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, path("src"), 0, &a));
	for (fmt = 0; a != NULL && fmt < 2; fmt++) {
		memset(&o, 0, sizeof(o));
		o.dossier = FIXTURE_CODE;
		o.key_pem = path("keys/key.pem");
		o.cert_pem = path("keys/cert.pem");
		o.format = fmt;
		o.out_path = path(fmt ? "good.tar" : "good.zip");
		sohoa_export_result_init(&r);
		CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_export(a, &o, &r));
		sohoa_export_result_release(&r);
		CHECK_INT_EQ(SOHOA_OK, sohoa_bundle_verify(ctx, o.out_path,
		    NULL));
		CHECK(scratch_empty());
	}
	sohoa_archive_close(&a);
	test_signed_incomplete();
	test_members(path("good.zip"), 1, eark);
	test_members(path("good.tar"), 0, bagit);
	test_bag_edges(path("good.tar"));
	test_import_tmp(path("good.zip"));
	test_random_damage(path("good.zip"), "damaged.zip");
	test_random_damage(path("good.tar"), "damaged.tar");
	sohoa_ctx_destroy(&ctx);
	if (check_failures == 0) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmp);
	} else {
		fprintf(stderr, "files kept in %s\n", tmp);
	}
	return check_done("test_bundle_hostile");
}
