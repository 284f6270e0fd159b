/*
 * Reading and verifying a bundle, trusting nothing in it.
 *
 * Pass 1 reads only the entry headers and refuses the bundle for any
 * unsafe entry: absolute or '..' paths, links, device files and FIFOs,
 * duplicates, names that are not UTF-8 or hold control characters,
 * encrypted entries, entries or totals over the limits, and a total far
 * larger than the bundle file (a compression bomb).  Pass 2 extracts the
 * regular files into a private temporary directory (0700, O_EXCL |
 * O_NOFOLLOW), counting the bytes really produced against the sizes the
 * headers declared and hashing them.  Only then are the manifests read:
 * the signature over METS.xml (or the BagIt tag manifest) is checked, and
 * every member must be listed with the right size and SHA-256.
 *
 * The directory is $TMPDIR/sohoa-bundle-XXXXXX, or ARCHIVE/store/tmp/
 * bundle-XXXXXX for an import, held (sohoa/tmp.h) while the bundle is
 * open: those a killed verify or import left are removed by the next.
 *
 *   sohoa_bundle_open / _open_import / _close / _report
 *   sohoa_bundle_verify
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/tmp.h"
#include "sohoa/utf8.h"
#include "bundle_private.h"

#define DEF_MAX_ENTRY ((uint64_t)4 << 30)
#define DEF_MAX_TOTAL ((uint64_t)64 << 30)
#define DEF_MAX_ENTRIES 200000
#define DEF_MAX_RATIO 100
#define DEF_RATIO_FLOOR ((uint64_t)16 << 20)

/* A manifest bigger than this is not one sohoa wrote. */
#define MAX_MANIFEST ((size_t)256 << 20)

struct reader {
	struct sohoa_bundle *b;
	struct sohoa_bundle_limits lim;
	uint64_t file_size;
	const char *tmp_prefix;	/* where to extract: PREFIX + XXXXXX */
};

/* Record why the bundle is not valid; returns SOHOA_ERR_INVALID. */
static int
invalid(struct sohoa_bundle *b, const char *member, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
invalid(struct sohoa_bundle *b, const char *member, const char *fmt, ...)
{
	va_list ap;

	sohoa_buf_reset(&b->reason);
	va_start(ap, fmt);
	sohoa_buf_vaddf(&b->reason, fmt, ap);
	va_end(ap);
	sohoa_buf_reset(&b->member);
	if (member != NULL)
		sohoa_buf_adds(&b->member, member);
	return SOHOA_ERR_INVALID;
}

static int
nomem(struct sohoa_bundle *b)
{
	return sohoa_set_error(b->ctx, SOHOA_ERR_NOMEM, "out of memory");
}

/* ---- pass 1: entry headers -------------------------------------------- */

/* Why NAME is not a safe relative path, or NULL. */
static const char *
unsafe_path(const char *name)
{
	const char *p, *c;
	size_t len = strlen(name);

	if (len == 0)
		return "has an empty name";
	if (!sohoa_utf8_valid(name, len))
		return "has a name that is not valid UTF-8";
	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return "has a control character or backslash in its name";
	if (name[0] == '/')
		return "has an absolute path";
	for (c = name; *c; c = *p ? p + 1 : p) {
		p = strchr(c, '/');
		if (p == NULL)
			p = c + strlen(c);
		if (p == c && *p)
			return "has an empty path component";
		if ((p - c == 2 && c[0] == '.' && c[1] == '.'))
			return "has a '..' path component";
		if (p - c == 1 && c[0] == '.')
			return "has a '.' path component";
	}
	return NULL;
}

static int
cmp_member(const void *x, const void *y)
{
	const struct bundle_member *a = x, *b = y;

	return strcmp(a->name, b->name);
}

static int
open_reader(struct reader *r, struct archive **par)
{
	struct archive *ar = archive_read_new();

	*par = NULL;
	if (ar == NULL)
		return nomem(r->b);
	/* only what export writes: ZIP and uncompressed tar */
	archive_read_support_format_zip(ar);
	archive_read_support_format_tar(ar);
	if (archive_read_open_filename(ar, r->b->path.buf, 65536) !=
	    ARCHIVE_OK) {
		int rc = invalid(r->b, NULL, "not a ZIP or tar file (%s)",
		    archive_error_string(ar));

		archive_read_free(ar);
		return rc;
	}
	*par = ar;
	return SOHOA_OK;
}

static int
scan(struct reader *r)
{
	struct sohoa_bundle *b = r->b;
	struct archive *ar = NULL;
	struct archive_entry *e;
	uint64_t total = 0, count = 0;
	size_t i;
	int rc, st;

	rc = open_reader(r, &ar);
	if (rc != SOHOA_OK)
		return rc;
	for (;;) {
		const char *name, *why;
		mode_t type;
		la_int64_t size;

		st = archive_read_next_header(ar, &e);
		if (st == ARCHIVE_EOF)
			break;
		name = st == ARCHIVE_FATAL ? NULL : archive_entry_pathname(e);
		if (st != ARCHIVE_OK) {
			rc = invalid(b, name, "cannot read entry %llu%s%s%s: %s",
			    (unsigned long long)count + 1, name ? " '" : "",
			    name ? name : "", name ? "'" : "",
			    archive_error_string(ar));
			goto out;
		}
		if (++count > r->lim.max_entries) {
			rc = invalid(b, NULL, "it has more than %llu entries",
			    (unsigned long long)r->lim.max_entries);
			goto out;
		}
		if (name == NULL) {
			rc = invalid(b, NULL, "entry %llu has no usable name",
			    (unsigned long long)count);
			goto out;
		}
		type = archive_entry_filetype(e);
		if (archive_entry_hardlink(e) != NULL) {
			rc = invalid(b, name, "'%s' is a hard link", name);
			goto out;
		}
		if (type == AE_IFLNK || archive_entry_symlink(e) != NULL) {
			rc = invalid(b, name, "'%s' is a symbolic link", name);
			goto out;
		}
		if (type != AE_IFREG && type != AE_IFDIR) {
			rc = invalid(b, name, "'%s' is a device file, FIFO or"
			    " socket, not a regular file", name);
			goto out;
		}
		if (archive_entry_is_encrypted(e)) {
			rc = invalid(b, name, "'%s' is encrypted", name);
			goto out;
		}
		{
			/* a directory may end in one '/' */
			struct sohoa_buf n = SOHOA_BUF_INIT;

			sohoa_buf_adds(&n, name);
			if (type == AE_IFDIR && n.len > 1 &&
			    n.buf[n.len - 1] == '/')
				sohoa_buf_truncate(&n, n.len - 1);
			why = unsafe_path(n.buf);
			sohoa_buf_release(&n);
		}
		if (why != NULL) {
			rc = invalid(b, name, "'%s' %s", name, why);
			goto out;
		}
		if (type == AE_IFDIR) {
			archive_read_data_skip(ar);
			continue;
		}
		if (!archive_entry_size_is_set(e)) {
			rc = invalid(b, name, "'%s' does not declare its size",
			    name);
			goto out;
		}
		size = archive_entry_size(e);
		if (size < 0 || (uint64_t)size > r->lim.max_entry) {
			rc = invalid(b, name, "'%s' is too large (%lld bytes,"
			    " the limit is %llu)", name, (long long)size,
			    (unsigned long long)r->lim.max_entry);
			goto out;
		}
		total += (uint64_t)size;
		if (total > r->lim.max_total) {
			rc = invalid(b, name, "its members add up to more than"
			    " %llu bytes", (unsigned long long)r->lim.max_total);
			goto out;
		}
		if (b->n == b->alloc) {
			size_t na = b->alloc ? 2 * b->alloc : 64;
			struct bundle_member *nm = realloc(b->m,
			    na * sizeof(*nm));

			if (nm == NULL) {
				rc = nomem(b);
				goto out;
			}
			b->m = nm;
			b->alloc = na;
		}
		memset(&b->m[b->n], 0, sizeof(b->m[b->n]));
		b->m[b->n].name = strdup(name);
		if (b->m[b->n].name == NULL) {
			rc = nomem(b);
			goto out;
		}
		b->m[b->n].size = (uint64_t)size;
		b->n++;
		/* headers only: the data is read in pass 2 */
		archive_read_data_skip(ar);
	}
	if (total > r->lim.ratio_floor &&
	    total / r->lim.max_ratio > r->file_size) {
		rc = invalid(b, NULL, "its members expand to %llu bytes from a"
		    " %llu-byte file (a compression bomb?)",
		    (unsigned long long)total, (unsigned long long)r->file_size);
		goto out;
	}
	if (b->n == 0) {
		rc = invalid(b, NULL, "it holds no files");
		goto out;
	}
	/* sorted copy to find duplicates; order of b->m is kept */
	{
		struct bundle_member *s = malloc(b->n * sizeof(*s));

		if (s == NULL) {
			rc = nomem(b);
			goto out;
		}
		memcpy(s, b->m, b->n * sizeof(*s));
		qsort(s, b->n, sizeof(*s), cmp_member);
		for (i = 1; i < b->n; i++)
			if (strcmp(s[i - 1].name, s[i].name) == 0)
				break;
		if (i < b->n)
			rc = invalid(b, s[i].name, "'%s' appears more than once",
			    s[i].name);
		free(s);
	}
out:
	archive_read_free(ar);
	return rc;
}

/* ---- pass 2: extraction into the private directory -------------------- */

static int
make_parents(struct reader *r, const char *name)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	const char *p;
	int rc = SOHOA_OK;

	for (p = strchr(name, '/'); p != NULL && rc == SOHOA_OK;
	    p = strchr(p + 1, '/')) {
		sohoa_buf_reset(&path);
		sohoa_buf_addf(&path, "%s/%.*s", r->b->tmpdir.path.buf,
		    (int)(p - name), name);
		if (mkdir(path.buf, 0700) != 0 && errno != EEXIST) {
			rc = sohoa_set_error(r->b->ctx, SOHOA_ERR_IO,
			    "cannot create '%s': %s", path.buf,
			    strerror(errno));
		}
	}
	sohoa_buf_release(&path);
	return rc;
}

static int
extract_one(struct reader *r, struct archive *ar, struct bundle_member *m)
{
	struct sohoa_bundle *b = r->b;
	struct sohoa_buf path = SOHOA_BUF_INIT;
	unsigned char buf[65536], md[32];
	EVP_MD_CTX *ctx = NULL;
	uint64_t total = 0;
	la_ssize_t n;
	int fd = -1, rc;

	rc = make_parents(r, m->name);
	if (rc != SOHOA_OK)
		return rc;
	sohoa_buf_addf(&path, "%s/%s", b->tmpdir.path.buf, m->name);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		/* a file and a directory of the same name, for instance */
		rc = invalid(b, m->name, "'%s' cannot be extracted: %s",
		    m->name, strerror(errno));
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		rc = nomem(b);
		goto out;
	}
	while ((n = archive_read_data(ar, buf, sizeof(buf))) > 0) {
		total += (uint64_t)n;
		if (total > m->size) {
			rc = invalid(b, m->name, "'%s' holds more data than its"
			    " header declares", m->name);
			goto out;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		if (write(fd, buf, (size_t)n) != n) {
			rc = sohoa_set_error(b->ctx, SOHOA_ERR_IO,
			    "cannot write '%s': %s", path.buf, strerror(errno));
			goto out;
		}
	}
	if (n < 0) {
		rc = invalid(b, m->name, "cannot read '%s': %s", m->name,
		    archive_error_string(ar));
		goto out;
	}
	if (total != m->size) {
		rc = invalid(b, m->name, "'%s' is shorter than its header"
		    " declares", m->name);
		goto out;
	}
	EVP_DigestFinal_ex(ctx, md, NULL);
	sohoa_hex(md, sizeof(md), m->sha256);
out:
	EVP_MD_CTX_free(ctx);
	if (fd >= 0 && close(fd) != 0 && rc == SOHOA_OK)
		rc = sohoa_set_error(b->ctx, SOHOA_ERR_IO, "cannot write '%s':"
		    " %s", path.buf, strerror(errno));
	sohoa_buf_release(&path);
	return rc;
}

static int
extract(struct reader *r)
{
	struct sohoa_bundle *b = r->b;
	struct archive *ar = NULL;
	struct archive_entry *e;
	size_t i = 0;
	int rc, st;

	/* held while the bundle is open: see sohoa/tmp.h */
	rc = sohoa_tmp_dir(b->ctx, r->tmp_prefix, &b->tmpdir);
	if (rc != SOHOA_OK)
		return rc;
	rc = open_reader(r, &ar);
	if (rc != SOHOA_OK)
		return rc;
	while ((st = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		if (archive_entry_filetype(e) != AE_IFREG) {
			archive_read_data_skip(ar);
			continue;
		}
		/* the same entries in the same order as pass 1 */
		if (i >= b->n || strcmp(archive_entry_pathname(e),
		    b->m[i].name) != 0) {
			rc = invalid(b, NULL, "its entries changed while it was"
			    " read");
			goto out;
		}
		rc = extract_one(r, ar, &b->m[i]);
		if (rc != SOHOA_OK)
			goto out;
		i++;
	}
	if (st != ARCHIVE_EOF || i != b->n)
		rc = invalid(b, NULL, "cannot read it to the end: %s",
		    archive_error_string(ar) ? archive_error_string(ar) :
		    "entries changed while it was read");
out:
	archive_read_free(ar);
	return rc;
}

/* ---- manifests -------------------------------------------------------- */

static int
cmp_name(const void *x, const void *y)
{
	const struct bundle_member *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

static int
cmp_hash(const void *x, const void *y)
{
	const struct bundle_member *const *a = x, *const *b = y;

	return strcmp((*a)->sha256, (*b)->sha256);
}

/* Lookup tables, so that a bundle of 100,000 members is not quadratic. */
static int
index_members(struct sohoa_bundle *b)
{
	size_t i;

	b->byname = malloc(b->n * sizeof(*b->byname));
	b->byhash = malloc(b->n * sizeof(*b->byhash));
	if (b->byname == NULL || b->byhash == NULL)
		return nomem(b);
	for (i = 0; i < b->n; i++)
		b->byname[i] = b->byhash[i] = &b->m[i];
	qsort(b->byname, b->n, sizeof(*b->byname), cmp_name);
	qsort(b->byhash, b->n, sizeof(*b->byhash), cmp_hash);
	return SOHOA_OK;
}

const struct bundle_member *
bundle_find(const struct sohoa_bundle *b, const char *name)
{
	struct bundle_member key, *kp = &key, **hit;

	if (b->byname == NULL)
		return NULL;
	key.name = (char *)name;
	hit = bsearch(&kp, b->byname, b->n, sizeof(*b->byname), cmp_name);
	return hit ? *hit : NULL;
}

const struct bundle_member *
bundle_find_hash(const struct sohoa_bundle *b, const char *sha256)
{
	struct bundle_member key, *kp = &key, **hit;

	if (b->byhash == NULL || strlen(sha256) != 64)
		return NULL;
	memcpy(key.sha256, sha256, 65);
	hit = bsearch(&kp, b->byhash, b->n, sizeof(*b->byhash), cmp_hash);
	return hit ? *hit : NULL;
}

static struct bundle_member *
find_rel(struct sohoa_bundle *b, const char *rel)
{
	struct sohoa_buf name = SOHOA_BUF_INIT;
	const struct bundle_member *m;

	sohoa_buf_addf(&name, "%s/%s", b->root.buf, rel);
	m = bundle_find(b, name.buf);
	sohoa_buf_release(&name);
	return (struct bundle_member *)m;
}

/* Read an extracted member (relative to the root) into OUT. */
static int
read_member(struct sohoa_bundle *b, const char *rel, struct sohoa_buf *out)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct bundle_member *m = find_rel(b, rel);
	char buf[65536];
	FILE *f;
	size_t n;
	int rc = SOHOA_OK;

	if (m == NULL)
		return invalid(b, rel, "'%s/%s' is missing", b->root.buf, rel);
	if (m->size > MAX_MANIFEST)
		return invalid(b, m->name, "'%s' is too large", m->name);
	sohoa_buf_addf(&path, "%s/%s", b->tmpdir.path.buf, m->name);
	f = fopen(path.buf, "rb");
	if (f == NULL) {
		rc = sohoa_set_error(b->ctx, SOHOA_ERR_IO, "cannot read '%s': %s",
		    path.buf, strerror(errno));
		goto out;
	}
	while (rc == SOHOA_OK && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = sohoa_buf_add(out, buf, n);
	fclose(f);
out:
	sohoa_buf_release(&path);
	return rc;
}

/* Check member REL against SIZE (or -1) and HEX from manifest WHAT. */
static int
check_entry(struct sohoa_bundle *b, const char *rel, long long size,
    const char *hex, const char *what)
{
	struct bundle_member *m;
	size_t i;

	m = find_rel(b, rel);
	if (m == NULL)
		return invalid(b, rel, "'%s/%s' is listed in %s but missing",
		    b->root.buf, rel, what);
	if (strlen(hex) != 64)
		return invalid(b, m->name, "%s has no SHA-256 for '%s'", what,
		    m->name);
	for (i = 0; i < 64; i++) {
		char c = hex[i];

		if (c >= 'A' && c <= 'F')
			c += 32;
		if (c != m->sha256[i])
			break;
	}
	if (i < 64 || (size >= 0 && (uint64_t)size != m->size))
		return invalid(b, m->name, "'%s' does not match its SHA-256 in"
		    " %s", m->name, what);
	m->listed = 1;
	return SOHOA_OK;
}

static int
check_signature(struct sohoa_bundle *b, const char *content_rel,
    const char *sig_rel, const char *ca_pem)
{
	struct sohoa_buf data = SOHOA_BUF_INIT, sig = SOHOA_BUF_INIT;
	const char *msg, *cname, *sname;
	int rc;

	rc = read_member(b, content_rel, &data);
	if (rc == SOHOA_OK)
		rc = read_member(b, sig_rel, &sig);
	if (rc != SOHOA_OK)
		goto out;
	cname = find_rel(b, content_rel)->name;
	sname = find_rel(b, sig_rel)->name;
	rc = bundle_cms_verify(b->ctx, sig.buf, sig.len, data.buf, data.len,
	    ca_pem, &b->sig);
	if (rc != SOHOA_ERR_INVALID)
		goto out;
	msg = sohoa_errmsg(b->ctx);
	if (strncmp(msg, "untrusted", 9) == 0)
		rc = invalid(b, sname, "%s", msg);
	else if (strncmp(msg, "the ", 4) == 0)
		/* the signature file itself is damaged */
		rc = invalid(b, sname, "'%s' is not a good signature: %s",
		    sname, msg);
	else
		rc = invalid(b, cname, "'%s' does not match its signature"
		    " '%s': %s", cname, sname, msg);
out:
	if (rc == SOHOA_OK) {
		find_rel(b, content_rel)->listed = 1;
		find_rel(b, sig_rel)->listed = 1;
	}
	sohoa_buf_release(&data);
	sohoa_buf_release(&sig);
	return rc;
}

/* A href from METS: relative, no '..' (it only names members). */
static int
check_mets(struct sohoa_bundle *b)
{
	struct sohoa_buf x = SOHOA_BUF_INIT, href = SOHOA_BUF_INIT;
	struct sohoa_buf sum = SOHOA_BUF_INIT, size = SOHOA_BUF_INIT;
	struct sohoa_buf type = SOHOA_BUF_INIT;
	size_t pos = 0, s, e, fs, fe;
	int rc, pass, nfiles = 0;

	rc = read_member(b, "METS.xml", &x);
	for (pass = 0; rc == SOHOA_OK && pass < 2; pass++) {
		const char *tag = pass ? "mets:file" : "mets:mdRef";

		pos = 0;
		while (rc == SOHOA_OK &&
		    xml_next_tag(x.buf, x.len, &pos, tag, &s, &e)) {
			xml_attr(x.buf, s, e, "SIZE", &size);
			xml_attr(x.buf, s, e, "CHECKSUM", &sum);
			xml_attr(x.buf, s, e, "CHECKSUMTYPE", &type);
			if (pass == 0) {
				xml_attr(x.buf, s, e, "xlink:href", &href);
			} else {
				size_t p2 = pos;

				if (!xml_next_tag(x.buf, x.len, &p2,
				    "mets:FLocat", &fs, &fe)) {
					rc = invalid(b, NULL, "METS.xml has a"
					    " file without a location");
					break;
				}
				xml_attr(x.buf, fs, fe, "xlink:href", &href);
			}
			if (href.len == 0 || unsafe_path(href.buf) != NULL) {
				rc = invalid(b, NULL, "METS.xml lists a bad"
				    " path '%s'", href.buf);
				break;
			}
			if (strcmp(type.buf, "SHA-256") != 0 ||
			    size.len == 0 || size.len > 19) {
				rc = invalid(b, NULL, "METS.xml lists '%s'"
				    " without SIZE and a SHA-256 CHECKSUM",
				    href.buf);
				break;
			}
			rc = check_entry(b, href.buf, atoll(size.buf),
			    sum.buf, "METS.xml");
			nfiles++;
		}
	}
	if (rc == SOHOA_OK && nfiles == 0)
		rc = invalid(b, NULL, "METS.xml lists no files");
	sohoa_buf_release(&x);
	sohoa_buf_release(&href);
	sohoa_buf_release(&sum);
	sohoa_buf_release(&size);
	sohoa_buf_release(&type);
	return rc;
}

/*
 * The next line of a BagIt tag file TEXT at *POS: [*pstart, *pend)
 * without its end, which may be LF, CR or CRLF (RFC 8493 section 2.1.2
 * allows all three; a Mac editor writes CR alone).  Returns 0 at the end.
 */
static int
next_line(const struct sohoa_buf *text, size_t *pos, size_t *pstart,
    size_t *pend)
{
	size_t i = *pos;

	if (i >= text->len)
		return 0;
	*pstart = i;
	while (i < text->len && text->buf[i] != '\n' && text->buf[i] != '\r')
		i++;
	*pend = i;
	if (i < text->len && text->buf[i] == '\r')
		i++;
	if (i < text->len && text->buf[i] == '\n' &&
	    (i == *pend || text->buf[i - 1] == '\r'))
		i++;
	*pos = i;
	return 1;
}

/*
 * Check every line of a BagIt manifest REL ("hex  path"); with PAYLOAD,
 * paths must be under data/.  Paths are percent-decoded when the bag is
 * 1.0 (0.97 had no encoding).  A path listed twice makes the bag invalid.
 * The bytes and count of the entries go to *pbytes and *pcount.
 */
static int
check_bag_manifest(struct sohoa_bundle *b, const char *rel, int payload,
    int decode, uint64_t *pbytes, uint64_t *pcount)
{
	struct sohoa_buf text = SOHOA_BUF_INIT, path = SOHOA_BUF_INIT;
	struct bundle_member *m;
	char hex[65];
	size_t pos = 0, i, eol, j;
	int rc;

	*pbytes = *pcount = 0;
	rc = read_member(b, rel, &text);
	while (rc == SOHOA_OK && next_line(&text, &pos, &i, &eol)) {
		if (eol - i < 66 || (text.buf[i + 64] != ' ' &&
		    text.buf[i + 64] != '\t')) {
			rc = invalid(b, NULL, "'%s' has a malformed line", rel);
			break;
		}
		memcpy(hex, text.buf + i, 64);
		hex[64] = '\0';
		j = i + 64;
		while (j < eol && (text.buf[j] == ' ' || text.buf[j] == '\t'))
			j++;
		sohoa_buf_reset(&path);
		for (; j < eol; j++) {
			const unsigned char *c = (const unsigned char *)text.buf + j;
			int h1, h2;

			if (decode && *c == '%' && j + 2 < eol &&
			    (h1 = sohoa_hex_digit(c[1])) >= 0 &&
			    (h2 = sohoa_hex_digit(c[2])) >= 0) {
				sohoa_buf_addch(&path, h1 * 16 + h2);
				j += 2;
			} else {
				sohoa_buf_addch(&path, text.buf[j]);
			}
		}
		if (unsafe_path(path.buf) != NULL ||
		    (payload && strncmp(path.buf, "data/", 5) != 0) ||
		    (!payload && strncmp(path.buf, "data/", 5) == 0)) {
			rc = invalid(b, NULL, "'%s' lists a bad path '%s'", rel,
			    path.buf);
			break;
		}
		m = find_rel(b, path.buf);
		if (m != NULL && m->seen) {
			rc = invalid(b, m->name, "'%s' lists '%s' more than once",
			    rel, path.buf);
			break;
		}
		rc = check_entry(b, path.buf, -1, hex, rel);
		if (rc == SOHOA_OK) {
			m->seen = 1;
			*pbytes += m->size;
			(*pcount)++;
		}
	}
	sohoa_buf_release(&text);
	sohoa_buf_release(&path);
	return rc;
}

/*
 * bagit.txt: exactly "BagIt-Version: M.N" and
 * "Tag-File-Character-Encoding: UTF-8", no byte order mark (RFC 8493
 * section 2.1.1).  Only the versions this reader implements pass: 1.0
 * and 0.97 (the same layout, without percent-encoded paths); *pdecode
 * says whether manifest paths are percent-encoded.
 */
static int
check_bag_declaration(struct sohoa_bundle *b, int *pdecode)
{
	static const char vlabel[] = "BagIt-Version: ";
	static const char elabel[] = "Tag-File-Character-Encoding: ";
	struct sohoa_buf t = SOHOA_BUF_INIT, v = SOHOA_BUF_INIT;
	size_t pos = 0, s[3], e[3];
	int n, rc;

	*pdecode = 1;
	rc = read_member(b, "bagit.txt", &t);
	if (rc != SOHOA_OK)
		goto out;
	if (t.len >= 3 && memcmp(t.buf, "\xef\xbb\xbf", 3) == 0) {
		rc = invalid(b, NULL, "'%s/bagit.txt' starts with a byte order"
		    " mark, which BagIt forbids", b->root.buf);
		goto out;
	}
	for (n = 0; n < 3 && next_line(&t, &pos, &s[n], &e[n]); n++)
		;
	if (n != 2 || e[0] - s[0] <= sizeof(vlabel) - 1 ||
	    memcmp(t.buf + s[0], vlabel, sizeof(vlabel) - 1) != 0 ||
	    e[1] - s[1] != sizeof(elabel) - 1 + 5 ||
	    memcmp(t.buf + s[1], elabel, sizeof(elabel) - 1) != 0 ||
	    strncasecmp(t.buf + s[1] + sizeof(elabel) - 1, "UTF-8", 5) != 0) {
		rc = invalid(b, NULL, "'%s/bagit.txt' is not a BagIt"
		    " declaration (two lines: 'BagIt-Version: 1.0' and"
		    " 'Tag-File-Character-Encoding: UTF-8')", b->root.buf);
		goto out;
	}
	sohoa_buf_add(&v, t.buf + s[0] + sizeof(vlabel) - 1,
	    e[0] - s[0] - (sizeof(vlabel) - 1));
	if (strcmp(v.buf, "0.97") == 0) {
		*pdecode = 0;
	} else if (strcmp(v.buf, "1.0") != 0) {
		rc = invalid(b, NULL, "'%s/bagit.txt' declares BagIt-Version"
		    " '%s'; this reader implements 1.0 and 0.97", b->root.buf,
		    v.buf);
	}
out:
	sohoa_buf_release(&t);
	sohoa_buf_release(&v);
	return rc;
}

/* The Payload-Oxum of bag-info.txt, when there is one, must be OXUM. */
static int
check_oxum(struct sohoa_bundle *b, const char *oxum)
{
	static const char label[] = "Payload-Oxum:";
	struct sohoa_buf t = SOHOA_BUF_INIT;
	size_t pos = 0, s, e, n = strlen(oxum);
	int rc;

	rc = read_member(b, "bag-info.txt", &t);
	while (rc == SOHOA_OK && next_line(&t, &pos, &s, &e)) {
		if (e - s < sizeof(label) - 1 ||
		    strncasecmp(t.buf + s, label, sizeof(label) - 1) != 0)
			continue;
		s += sizeof(label) - 1;
		while (s < e && (t.buf[s] == ' ' || t.buf[s] == '\t'))
			s++;
		if (e - s != n || memcmp(t.buf + s, oxum, n) != 0)
			rc = invalid(b, NULL, "the Payload-Oxum in bag-info.txt"
			    " is not %s", oxum);
	}
	sohoa_buf_release(&t);
	return rc;
}

static int
check_bag(struct sohoa_bundle *b, const char *ca_pem)
{
	static const char *const tags[] = { "bagit.txt", "bag-info.txt",
	    "manifest-sha256.txt", NULL };
	struct sohoa_buf oxum = SOHOA_BUF_INIT;
	uint64_t bytes, count, tb, tc;
	size_t i;
	int rc, decode;

	rc = check_bag_declaration(b, &decode);
	if (rc == SOHOA_OK)
		rc = check_signature(b, "tagmanifest-sha256.txt", PKG_SIG_BAGIT,
		    ca_pem);
	if (rc == SOHOA_OK)
		rc = check_bag_manifest(b, "tagmanifest-sha256.txt", 0, decode,
		    &tb, &tc);
	for (i = 0; rc == SOHOA_OK && tags[i] != NULL; i++)
		if (!find_rel(b, tags[i]) || !find_rel(b, tags[i])->listed)
			rc = invalid(b, tags[i], "'%s/%s' is not covered by the"
			    " signed tag manifest", b->root.buf, tags[i]);
	if (rc == SOHOA_OK)
		rc = check_bag_manifest(b, "manifest-sha256.txt", 1, decode,
		    &bytes, &count);
	if (rc == SOHOA_OK) {
		sohoa_buf_addf(&oxum, "%llu.%llu", (unsigned long long)bytes,
		    (unsigned long long)count);
		rc = check_oxum(b, oxum.buf);
	}
	sohoa_buf_release(&oxum);
	return rc;
}

/*
 * The Thông tư 05/2025 tree must be complete: a bundle that lists and
 * signs fewer files is well-formed but not a dossier package.
 */
static int
check_tree(struct sohoa_bundle *b, const char *prefix)
{
	static const char *const need[] = { "METS.xml", "METS.xml.p7s",
	    "metadata/descriptive/EAD.xml", "metadata/preservation/PREMIS.xml",
	    "representations/rep1/METS.xml", NULL };
	struct sohoa_buf rel = SOHOA_BUF_INIT;
	size_t i, pdfs = 0, plen;
	int rc = SOHOA_OK;

	for (i = 0; rc == SOHOA_OK && need[i] != NULL; i++) {
		sohoa_buf_reset(&rel);
		sohoa_buf_addf(&rel, "%s%s", prefix, need[i]);
		if (find_rel(b, rel.buf) == NULL)
			rc = invalid(b, NULL, "'%s/%s' is missing", b->root.buf,
			    rel.buf);
	}
	sohoa_buf_reset(&rel);
	sohoa_buf_addf(&rel, "%s/%srepresentations/rep1/data/", b->root.buf,
	    prefix);
	plen = rel.len;
	for (i = 0; i < b->n; i++)
		if (strncmp(b->m[i].name, rel.buf, plen) == 0)
			pdfs++;
	if (rc == SOHOA_OK && pdfs == 0)
		rc = invalid(b, NULL, "'%s' holds no document", rel.buf);
	sohoa_buf_release(&rel);
	return rc;
}

/* The top folder: every member must be under the same one. */
static int
find_root(struct sohoa_bundle *b)
{
	const char *slash = strchr(b->m[0].name, '/');
	size_t len, i;

	if (slash == NULL)
		return invalid(b, b->m[0].name, "'%s' is not inside the"
		    " package folder", b->m[0].name);
	len = (size_t)(slash - b->m[0].name);
	for (i = 1; i < b->n; i++)
		if (strncmp(b->m[i].name, b->m[0].name, len) != 0 ||
		    b->m[i].name[len] != '/')
			return invalid(b, b->m[i].name, "'%s' is outside the"
			    " package folder '%.*s'", b->m[i].name, (int)len,
			    b->m[0].name);
	return sohoa_buf_add(&b->root, b->m[0].name, len);
}

static void
fill_report(struct sohoa_bundle *b, int valid)
{
	struct sohoa_bundle_report *r = &b->report;
	size_t i;

	r->valid = valid;
	r->nfiles = b->n;
	r->bytes = 0;
	for (i = 0; i < b->n; i++)
		r->bytes += b->m[i].size;
	r->root = b->root.buf;
	r->signer = b->sig.signer.buf;
	r->issuer = b->sig.issuer.buf;
	r->signed_at = b->sig.signed_at.buf;
	r->fingerprint = b->sig.fingerprint.buf;
	r->self_signed = b->sig.self_signed;
	r->trusted = b->sig.trusted;
	r->reason = b->reason.buf;
	r->member = b->member.buf;
}

static int
verify(struct sohoa_bundle *b, const char *ca_pem,
    const struct sohoa_bundle_limits *limits, const char *tmp_prefix)
{
	struct reader r;
	struct stat st;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.b = b;
	r.tmp_prefix = tmp_prefix;
	if (limits != NULL)
		r.lim = *limits;
	if (r.lim.max_entry == 0)
		r.lim.max_entry = DEF_MAX_ENTRY;
	if (r.lim.max_total == 0)
		r.lim.max_total = DEF_MAX_TOTAL;
	if (r.lim.max_entries == 0)
		r.lim.max_entries = DEF_MAX_ENTRIES;
	if (r.lim.max_ratio == 0)
		r.lim.max_ratio = DEF_MAX_RATIO;
	if (r.lim.ratio_floor == 0)
		r.lim.ratio_floor = DEF_RATIO_FLOOR;
	if (stat(b->path.buf, &st) != 0)
		return sohoa_set_error(b->ctx, SOHOA_ERR_IO,
		    "cannot read bundle '%s': %s", b->path.buf, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sohoa_set_error(b->ctx, SOHOA_ERR_INPUT,
		    "bundle '%s' is not a regular file", b->path.buf);
	r.file_size = (uint64_t)st.st_size;
	rc = scan(&r);
	if (rc == SOHOA_OK)
		rc = find_root(b);
	if (rc == SOHOA_OK)
		rc = extract(&r);
	if (rc == SOHOA_OK)
		rc = index_members(b);
	if (rc != SOHOA_OK)
		goto out;
	if (find_rel(b, "bagit.txt") != NULL) {
		b->report.format = SOHOA_BUNDLE_BAGIT;
		rc = check_bag(b, ca_pem);
		if (rc == SOHOA_OK)
			rc = check_tree(b, "data/");
		sohoa_buf_addf(&b->pkgdir, "%s/%s/data", b->tmpdir.path.buf,
		    b->root.buf);
	} else if (find_rel(b, "METS.xml") != NULL) {
		b->report.format = SOHOA_BUNDLE_EARK;
		rc = check_signature(b, "METS.xml", PKG_SIG_EARK, ca_pem);
		if (rc == SOHOA_OK)
			rc = check_mets(b);
		if (rc == SOHOA_OK)
			rc = check_tree(b, "");
		sohoa_buf_addf(&b->pkgdir, "%s/%s", b->tmpdir.path.buf,
		    b->root.buf);
	} else {
		rc = invalid(b, NULL, "'%s' holds neither METS.xml nor"
		    " bagit.txt", b->root.buf);
	}
	for (i = 0; rc == SOHOA_OK && i < b->n; i++)
		if (!b->m[i].listed)
			rc = invalid(b, b->m[i].name, "'%s' is not listed in %s",
			    b->m[i].name, b->report.format == SOHOA_BUNDLE_BAGIT ?
			    (strncmp(b->m[i].name + b->root.len + 1, "data/",
			    5) == 0 ? "manifest-sha256.txt" :
			    "tagmanifest-sha256.txt") : "METS.xml");
out:
	return rc;
}

/* Open and verify PATH, extracting it into TMP_PREFIX + XXXXXX. */
static int
open_bundle(struct sohoa_ctx *ctx, const char *path, const char *ca_pem,
    const struct sohoa_bundle_limits *limits, const char *tmp_prefix,
    struct sohoa_bundle **pbundle)
{
	struct sohoa_bundle *b;
	locale_t utf8, old = (locale_t)0;
	int rc;

	*pbundle = NULL;
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	b->ctx = ctx;
	sohoa_buf_init(&b->path);
	sohoa_tmp_init(&b->tmpdir);
	sohoa_buf_init(&b->root);
	sohoa_buf_init(&b->pkgdir);
	sohoa_buf_init(&b->reason);
	sohoa_buf_init(&b->member);
	cms_info_init(&b->sig);
	sohoa_buf_adds(&b->path, path);
	/*
	 * libarchive converts names to the locale's charset: read them as
	 * UTF-8 whatever the process locale, in this thread only.
	 */
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (utf8 != (locale_t)0)
		old = uselocale(utf8);
	rc = verify(b, ca_pem, limits, tmp_prefix);
	if (utf8 != (locale_t)0) {
		uselocale(old);
		freelocale(utf8);
	}
	fill_report(b, rc == SOHOA_OK);
	if (rc == SOHOA_ERR_INVALID) {
		sohoa_set_error(ctx, rc, "bundle '%s' is not valid: %s", path,
		    b->reason.buf);
		*pbundle = b;
		return rc;
	}
	if (rc != SOHOA_OK) {
		sohoa_bundle_close(&b);
		return rc;
	}
	*pbundle = b;
	return SOHOA_OK;
}

/*
 * $TMPDIR/sohoa-bundle-XXXXXX, after removing those that killed verifies
 * and imports left there (nobody holds them).
 */
static int
tmp_prefix(struct sohoa_ctx *ctx, struct sohoa_buf *out)
{
	sohoa_tmp_sweep(sohoa_tmp_root(), "sohoa-bundle-");
	if (sohoa_buf_addf(out, "%s/sohoa-bundle-", sohoa_tmp_root()) !=
	    SOHOA_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	return SOHOA_OK;
}

int
sohoa_bundle_open(struct sohoa_ctx *ctx, const char *path,
    const char *ca_pem, const struct sohoa_bundle_limits *limits,
    struct sohoa_bundle **pbundle)
{
	struct sohoa_buf prefix = SOHOA_BUF_INIT;
	int rc;

	*pbundle = NULL;
	rc = tmp_prefix(ctx, &prefix);
	if (rc == SOHOA_OK)
		rc = open_bundle(ctx, path, ca_pem, limits, prefix.buf,
		    pbundle);
	sohoa_buf_release(&prefix);
	return rc;
}

int
sohoa_bundle_open_import(struct sohoa_archive *a, const char *path,
    const char *ca_pem, const struct sohoa_bundle_limits *limits,
    struct sohoa_bundle **pbundle)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_buf prefix = SOHOA_BUF_INIT;
	int rc;

	*pbundle = NULL;
	/* what killed verifies and imports left, in both places */
	rc = tmp_prefix(ctx, &prefix);
	sohoa_buf_reset(&prefix);
	if (rc == SOHOA_OK && sohoa_buf_addf(&prefix, "%s/store/tmp",
	    sohoa_archive_dir(a)) != SOHOA_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (rc == SOHOA_OK) {
		sohoa_tmp_sweep(prefix.buf, "bundle-");
		if (sohoa_buf_adds(&prefix, "/bundle-") != SOHOA_OK)
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	}
	if (rc == SOHOA_OK)
		rc = open_bundle(ctx, path, ca_pem, limits, prefix.buf,
		    pbundle);
	sohoa_buf_release(&prefix);
	return rc;
}

const struct sohoa_bundle_report *
sohoa_bundle_report(const struct sohoa_bundle *b)
{
	return &b->report;
}

void
sohoa_bundle_close(struct sohoa_bundle **pbundle)
{
	struct sohoa_bundle *b = *pbundle;
	size_t i;

	if (b == NULL)
		return;
	/* the extracted tree, whatever a hostile bundle made of it */
	sohoa_tmp_remove(&b->tmpdir);
	for (i = 0; i < b->n; i++)
		free(b->m[i].name);
	free(b->byname);
	free(b->byhash);
	free(b->m);
	sohoa_buf_release(&b->path);
	sohoa_buf_release(&b->root);
	sohoa_buf_release(&b->pkgdir);
	sohoa_buf_release(&b->reason);
	sohoa_buf_release(&b->member);
	cms_info_release(&b->sig);
	free(b);
	*pbundle = NULL;
}

int
sohoa_bundle_verify(struct sohoa_ctx *ctx, const char *path,
    const char *ca_pem)
{
	struct sohoa_bundle *b = NULL;
	int rc;

	rc = sohoa_bundle_open(ctx, path, ca_pem, NULL, &b);
	sohoa_bundle_close(&b);
	return rc;
}
