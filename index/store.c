/*
 * Content-addressed store: DIR/store/ab/abcdef... holds the blob whose
 * SHA-256 is abcdef...  A blob is written to DIR/store/tmp, fsync'ed and
 * renamed into place (then its directory is fsync'ed), so a name in the
 * store always means complete content, even after a power cut; the rows
 * that name a blob are committed only after it is in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sohoa/tmp.h"
#include "archive_private.h"

#define BLOCK (64 * 1024)

static int
valid_hex(const char *sha256)
{
	size_t i;

	if (sha256 == NULL)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((sha256[i] >= '0' && sha256[i] <= '9') ||
		    (sha256[i] >= 'a' && sha256[i] <= 'f')))
			return 0;
	return sha256[64] == '\0';
}

void
sohoa_sha256_mem(const void *data, size_t len, char psha256[SOHOA_SHA256_HEX])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	sohoa_hex(md, 32, psha256);
}

/* Read FD to the end into MDCTX, copying to OUTFD when it is >= 0. */
static int
hash_fd(struct sohoa_ctx *ctx, int fd, const char *path, EVP_MD_CTX *mdctx,
    int outfd, const char *outpath)
{
	unsigned char *block;
	ssize_t n, w, off;
	int rc = SOHOA_OK;

	block = malloc(BLOCK);
	if (block == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	for (;;) {
		n = read(fd, block, BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read '%s': %s",
			    path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(mdctx, block, (size_t)n);
		for (off = 0; outfd >= 0 && off < n; off += w) {
			w = write(outfd, block + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				rc = sohoa_set_error(ctx, SOHOA_ERR_IO,
				    "cannot write '%s': %s", outpath, strerror(errno));
				goto out;
			}
		}
	}
out:
	free(block);
	return rc;
}

int
sohoa_sha256_file(struct sohoa_ctx *ctx, const char *path,
    char psha256[SOHOA_SHA256_HEX])
{
	EVP_MD_CTX *mdctx = NULL;
	unsigned char md[32];
	unsigned int mdlen = 0;
	int fd, rc;

	psha256[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot open '%s': %s",
		    path, strerror(errno));
	mdctx = EVP_MD_CTX_new();
	if (mdctx == NULL || !EVP_DigestInit_ex(mdctx, EVP_sha256(), NULL)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "cannot start SHA-256");
		goto out;
	}
	rc = hash_fd(ctx, fd, path, mdctx, -1, NULL);
	if (rc == SOHOA_OK) {
		EVP_DigestFinal_ex(mdctx, md, &mdlen);
		sohoa_hex(md, 32, psha256);
	}
out:
	EVP_MD_CTX_free(mdctx);
	close(fd);
	return rc;
}

int
sohoa_store_path(const struct sohoa_archive *a, const char *sha256,
    struct sohoa_buf *out)
{
	if (!valid_hex(sha256))
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT,
		    "'%s' is not a SHA-256", sha256 ? sha256 : "(null)");
	return sohoa_buf_addf(out, "%s/store/%.2s/%s", a->dir, sha256, sha256);
}

int
sohoa_store_has(const struct sohoa_archive *a, const char *sha256)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct stat st;
	int has = 0;

	if (valid_hex(sha256) &&
	    sohoa_buf_addf(&path, "%s/store/%.2s/%s", a->dir, sha256,
	    sha256) == SOHOA_OK)
		has = stat(path.buf, &st) == 0 && S_ISREG(st.st_mode);
	sohoa_buf_release(&path);
	return has;
}

/* Open a new temporary file in DIR/store/tmp; its name goes to TMP. */
static int
make_temp(struct sohoa_archive *a, struct sohoa_buf *tmp, int *pfd)
{
	int rc;

	*pfd = -1;
	rc = sohoa_buf_addf(tmp, "%s/store/tmp/blob-XXXXXX", a->dir);
	if (rc != SOHOA_OK)
		return sohoa_set_error(a->ctx, rc, "out of memory");
	*pfd = mkstemp(tmp->buf);
	if (*pfd < 0)
		return sohoa_set_error(a->ctx, SOHOA_ERR_IO,
		    "cannot create a file in '%s/store/tmp': %s", a->dir,
		    strerror(errno));
	return SOHOA_OK;
}

/* Sync and close FD, then move TMP into place as blob SHA256. */
static int
commit_temp(struct sohoa_archive *a, const char *tmp, int fd,
    const char *sha256)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT, final = SOHOA_BUF_INIT;
	int rc;

	if (fchmod(fd, 0444) != 0 || (!a->sync_defer && fsync(fd) != 0)) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot sync '%s': %s",
		    tmp, strerror(errno));
		close(fd);
		return rc;
	}
	if (close(fd) != 0)
		return sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    tmp, strerror(errno));
	rc = sohoa_buf_addf(&dir, "%s/store/%.2s", a->dir, sha256);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&final, "%s/%s", dir.buf, sha256);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, rc, "out of memory");
		goto out;
	}
	if (mkdir(dir.buf, 0755) == 0) {
		/* a new store/ab must itself survive a power cut */
		dir.buf[dir.len - 3] = '\0';
		if (!a->sync_defer)
			rc = sohoa_fsync_dir(a->ctx, dir.buf);
		dir.buf[dir.len - 3] = '/';
		if (rc != SOHOA_OK)
			goto out;
	} else if (errno != EEXIST) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot create '%s': %s",
		    dir.buf, strerror(errno));
		goto out;
	}
	if (rename(tmp, final.buf) != 0) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO,
		    "cannot rename '%s' to '%s': %s", tmp, final.buf,
		    strerror(errno));
		goto out;
	}
	/*
	 * The rename itself must survive a power cut before a row names it:
	 * now, or (deferred) by the commit that writes the rows.
	 */
	if (a->sync_defer)
		a->sync_owed = 1;
	else
		rc = sohoa_fsync_dir(a->ctx, dir.buf);
out:
	sohoa_buf_release(&final);
	sohoa_buf_release(&dir);
	return rc;
}

static int
write_all(struct sohoa_ctx *ctx, int fd, const void *data, size_t len,
    const char *path)
{
	const unsigned char *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return sohoa_set_error(ctx, SOHOA_ERR_IO,
			    "cannot write '%s': %s", path, strerror(errno));
		p += w;
		len -= (size_t)w;
	}
	return SOHOA_OK;
}

int
sohoa_store_put_mem(struct sohoa_archive *a, const void *data, size_t len,
    char psha256[SOHOA_SHA256_HEX])
{
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	char hex[SOHOA_SHA256_HEX];
	int fd = -1, rc;

	psha256[0] = '\0';
	sohoa_sha256_mem(data, len, hex);
	if (sohoa_store_has(a, hex)) {
		memcpy(psha256, hex, SOHOA_SHA256_HEX);
		return SOHOA_OK;
	}
	rc = make_temp(a, &tmp, &fd);
	if (rc == SOHOA_OK)
		rc = write_all(a->ctx, fd, data, len, tmp.buf);
	if (rc == SOHOA_OK) {
		rc = commit_temp(a, tmp.buf, fd, hex);
		fd = -1;
	}
	if (rc == SOHOA_OK)
		memcpy(psha256, hex, SOHOA_SHA256_HEX);
	if (fd >= 0)
		close(fd);
	if (rc != SOHOA_OK && tmp.len > 0)
		unlink(tmp.buf);
	sohoa_buf_release(&tmp);
	return rc;
}

int
sohoa_store_put_file(struct sohoa_archive *a, const char *path,
    const char *expect, char psha256[SOHOA_SHA256_HEX])
{
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	EVP_MD_CTX *mdctx = NULL;
	unsigned char md[32];
	unsigned int mdlen = 0;
	char hex[SOHOA_SHA256_HEX];
	int in = -1, fd = -1, rc;

	psha256[0] = '\0';
	if (expect != NULL && sohoa_store_has(a, expect)) {
		memcpy(psha256, expect, SOHOA_SHA256_HEX);
		return SOHOA_OK;
	}
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot open '%s': %s",
		    path, strerror(errno));
	mdctx = EVP_MD_CTX_new();
	if (mdctx == NULL || !EVP_DigestInit_ex(mdctx, EVP_sha256(), NULL)) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_CRYPTO,
		    "cannot start SHA-256");
		goto out;
	}
	rc = make_temp(a, &tmp, &fd);
	if (rc != SOHOA_OK)
		goto out;
	rc = hash_fd(a->ctx, in, path, mdctx, fd, tmp.buf);
	if (rc != SOHOA_OK)
		goto out;
	EVP_DigestFinal_ex(mdctx, md, &mdlen);
	sohoa_hex(md, 32, hex);
	if (expect != NULL && strcmp(hex, expect) != 0) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO,
		    "'%s' changed while it was being read", path);
		goto out;
	}
	if (sohoa_store_has(a, hex)) {
		/* dedup: somebody stored the same content meanwhile */
		close(fd);
		fd = -1;
		unlink(tmp.buf);
		sohoa_buf_reset(&tmp);
	} else {
		rc = commit_temp(a, tmp.buf, fd, hex);
		fd = -1;
		if (rc != SOHOA_OK)
			goto out;
		sohoa_buf_reset(&tmp);
	}
	memcpy(psha256, hex, SOHOA_SHA256_HEX);
out:
	if (fd >= 0)
		close(fd);
	if (rc != SOHOA_OK && tmp.len > 0)
		unlink(tmp.buf);
	sohoa_buf_release(&tmp);
	EVP_MD_CTX_free(mdctx);
	close(in);
	return rc;
}

int
sohoa_store_read(struct sohoa_archive *a, const char *sha256,
    struct sohoa_buf *out)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	char hex[SOHOA_SHA256_HEX];
	size_t start = out->len;
	ssize_t n;
	int fd = -1, rc;

	rc = sohoa_store_path(a, sha256, &path);
	if (rc != SOHOA_OK)
		goto out;
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = sohoa_set_error(a->ctx, errno == ENOENT ? SOHOA_ERR_NOTFOUND :
		    SOHOA_ERR_IO, "cannot open '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	for (;;) {
		rc = sohoa_buf_grow(out, BLOCK);
		if (rc != SOHOA_OK) {
			rc = sohoa_set_error(a->ctx, rc, "cannot read '%s': too large",
			    path.buf);
			goto out;
		}
		n = read(fd, out->buf + out->len, BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO,
			    "cannot read '%s': %s", path.buf, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = '\0';
	}
	sohoa_sha256_mem(out->buf + start, out->len - start, hex);
	if (strcmp(hex, sha256) != 0)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INVALID,
		    "blob '%s' in the store is damaged (its SHA-256 is %s)",
		    path.buf, hex);
out:
	if (rc != SOHOA_OK)
		sohoa_buf_truncate(out, start);
	if (fd >= 0)
		close(fd);
	sohoa_buf_release(&path);
	return rc;
}

int
sohoa_store_verify(struct sohoa_archive *a, const char *sha256, int *pstate)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	char got[SOHOA_SHA256_HEX];
	struct stat st;
	int rc;

	*pstate = SOHOA_BLOB_MISSING;
	rc = sohoa_store_path(a, sha256, &path);
	if (rc != SOHOA_OK)
		goto out;
	if (stat(path.buf, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	/* a blob that cannot even be read is as good as damaged */
	if (sohoa_sha256_file(a->ctx, path.buf, got) != SOHOA_OK) {
		sohoa_clear_error(a->ctx);
		*pstate = SOHOA_BLOB_DAMAGED;
		goto out;
	}
	*pstate = strcmp(got, sha256) == 0 ? SOHOA_BLOB_OK : SOHOA_BLOB_DAMAGED;
out:
	sohoa_buf_release(&path);
	return rc;
}

/*
 * Keep a damaged blob (store/damaged/SHA.TIME), never delete it: a hard
 * link, so that its name in the store stays until the good copy is
 * renamed over it (a kill in between must not leave the name empty).
 */
static int
set_aside(struct sohoa_archive *a, const char *sha256)
{
	struct sohoa_buf from = SOHOA_BUF_INIT, to = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_store_path(a, sha256, &from);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&to, "%s/store/damaged", a->dir);
	if (rc != SOHOA_OK)
		goto out;
	if (mkdir(to.buf, 0755) != 0 && errno != EEXIST) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot create '%s':"
		    " %s", to.buf, strerror(errno));
		goto out;
	}
	sohoa_buf_addf(&to, "/%s.%ld", sha256, (long)time(NULL));
	if (link(from.buf, to.buf) != 0 && errno != ENOENT && errno != EEXIST)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot keep '%s'"
		    " aside: %s", from.buf, strerror(errno));
out:
	sohoa_buf_release(&from);
	sohoa_buf_release(&to);
	return rc;
}

int
sohoa_store_heal(struct sohoa_archive *a, const char *path,
    const char *sha256, int *phealed)
{
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	EVP_MD_CTX *mdctx = NULL;
	unsigned char md[32];
	unsigned int mdlen = 0;
	char hex[SOHOA_SHA256_HEX];
	int in = -1, fd = -1, rc, state;

	*phealed = 0;
	rc = sohoa_store_verify(a, sha256, &state);
	if (rc != SOHOA_OK || state == SOHOA_BLOB_OK)
		return rc;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return sohoa_set_error(a->ctx, SOHOA_ERR_IO, "cannot open '%s':"
		    " %s", path, strerror(errno));
	mdctx = EVP_MD_CTX_new();
	if (mdctx == NULL || !EVP_DigestInit_ex(mdctx, EVP_sha256(), NULL)) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_CRYPTO,
		    "cannot start SHA-256");
		goto out;
	}
	rc = make_temp(a, &tmp, &fd);
	if (rc == SOHOA_OK)
		rc = hash_fd(a->ctx, in, path, mdctx, fd, tmp.buf);
	if (rc != SOHOA_OK)
		goto out;
	EVP_DigestFinal_ex(mdctx, md, &mdlen);
	sohoa_hex(md, 32, hex);
	if (strcmp(hex, sha256) != 0) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INVALID, "'%s' is not"
		    " blob %s (its SHA-256 is %s)", path, sha256, hex);
		goto out;
	}
	if (state == SOHOA_BLOB_DAMAGED)
		rc = set_aside(a, sha256);
	if (rc != SOHOA_OK)
		goto out;
	rc = commit_temp(a, tmp.buf, fd, hex);
	fd = -1;
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(&tmp);
		*phealed = 1;
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp.len > 0)
		unlink(tmp.buf);
	sohoa_buf_release(&tmp);
	EVP_MD_CTX_free(mdctx);
	close(in);
	return rc;
}
