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
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/bundle.h"
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
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *chain = NULL;
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
	CHECK_INT_EQ(SOHOA_OK, bundle_load_key(ctx, path("keys/key.pem"), &key));
	CHECK_INT_EQ(SOHOA_OK, bundle_load_certs(ctx, path("keys/cert.pem"),
	    &cert, &chain));
	if (key == NULL || cert == NULL)
		goto out;
	CHECK_INT_EQ(SOHOA_OK, bundle_cms_sign(ctx, key, cert, chain, mets.buf,
	    mets.len, &sig));
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
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(chain, X509_free);
	sohoa_buf_release(&mets);
	sohoa_buf_release(&sig);
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
