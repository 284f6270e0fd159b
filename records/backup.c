/*
 * Backup and restore of a whole archive, in one file.
 *
 * A backup is a tar (pax) holding sohoa-backup/sohoa.db, a consistent
 * copy taken with SQLite's online backup API (an ingest may go on
 * writing: the copy is one read transaction of WAL), every blob that
 * copy names under sohoa-backup/store/, and sohoa-backup/manifest-
 * sha256.txt, which `sha256sum -c` reads.  Blobs are immutable and named
 * by their hash, so reading them after the copy is consistent too; each
 * is hashed as it is written, and a damaged one stops the backup (run
 * 'sohoa check --repair' first).
 *
 * Restore trusts nothing in the file: only those names are taken, every
 * blob must hash to its name, the copy of the database must match the
 * manifest, open as an archive and name no blob the file lacks; only
 * then is the folder renamed into place.  An archive already there is
 * moved aside, never deleted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/records.h"
#include "sohoa/tmp.h"

#define TOP "sohoa-backup/"
/* A blob's path in the backup: TOP "store/ab/" + 64 hex. */
#define BLOB_NAME_LEN (sizeof(TOP) - 1 + 6 + 3 + 64)

struct names {
	char **v;
	size_t n, alloc;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_release(struct names *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int
collect(void *arg, const struct sohoa_blob_ref *ref)
{
	struct names *s = arg;
	char **v;

	if (ref->sha256 == NULL)
		return 0;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 256;
		v = realloc(s->v, s->alloc * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		s->v = v;
	}
	if ((s->v[s->n] = strdup(ref->sha256)) == NULL)
		return SOHOA_ERR_NOMEM;
	s->n++;
	return 0;
}

/* The blobs archive DIR's database names, sorted, each once. */
static int
blobs_of(struct sohoa_ctx *ctx, const char *dir, struct names *s)
{
	struct sohoa_archive *snap = NULL;
	size_t i, j;
	int rc;

	rc = sohoa_archive_open(ctx, dir, SOHOA_ARCHIVE_READONLY, &snap);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_blob_list(snap, collect, s);
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(ctx, rc, "out of memory");
	sohoa_archive_close(&snap);
	if (rc != SOHOA_OK || s->n == 0)
		return rc;
	qsort(s->v, s->n, sizeof(*s->v), cmp_str);
	for (i = 1, j = 1; i < s->n; i++) {
		if (strcmp(s->v[i], s->v[j - 1]) == 0)
			free(s->v[i]);
		else
			s->v[j++] = s->v[i];
	}
	s->n = j;
	return SOHOA_OK;
}

static int
ar_fail(struct sohoa_ctx *ctx, struct archive *ar, const char *path)
{
	return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s", path,
	    archive_error_string(ar) ? archive_error_string(ar) : "unknown");
}

/*
 * Add the file at SRC as NAME, hashing it on the way: *SHA gets its
 * SHA-256, which must be EXPECT when that is not NULL.
 */
static int
add_file(struct sohoa_ctx *ctx, struct archive *ar, const char *out,
    const char *src, const char *name, const char *expect,
    char sha[SOHOA_SHA256_HEX], uint64_t *pbytes)
{
	struct archive_entry *e = NULL;
	EVP_MD_CTX *md = NULL;
	unsigned char buf[65536], d[32];
	struct stat st;
	ssize_t n;
	size_t i;
	int fd, rc = SOHOA_OK;

	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read '%s': %s",
		    src, strerror(errno));
		goto out;
	}
	e = archive_entry_new();
	md = EVP_MD_CTX_new();
	if (e == NULL || md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(),
	    NULL)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0444);
	archive_entry_set_size(e, st.st_size);
	archive_entry_set_mtime(e, st.st_mtime, 0);
	if (archive_write_header(ar, e) != ARCHIVE_OK) {
		rc = ar_fail(ctx, ar, out);
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(md, buf, (size_t)n);
		if (archive_write_data(ar, buf, (size_t)n) != n) {
			rc = ar_fail(ctx, ar, out);
			goto out;
		}
		*pbytes += (uint64_t)n;
	}
	if (n < 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read '%s': %s",
		    src, strerror(errno));
		goto out;
	}
	EVP_DigestFinal_ex(md, d, NULL);
	for (i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", d[i]);
	if (expect != NULL && strcmp(sha, expect) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID, "'%s' is damaged"
		    " (its SHA-256 is not its name): run 'sohoa check --repair'"
		    " before backing up", src);
out:
	if (fd >= 0)
		close(fd);
	archive_entry_free(e);
	EVP_MD_CTX_free(md);
	return rc;
}

static int
add_mem(struct sohoa_ctx *ctx, struct archive *ar, const char *out,
    const char *name, const struct sohoa_buf *b)
{
	struct archive_entry *e = archive_entry_new();
	int rc = SOHOA_OK;

	if (e == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0444);
	archive_entry_set_size(e, (la_int64_t)b->len);
	archive_entry_set_mtime(e, time(NULL), 0);
	if (archive_write_header(ar, e) != ARCHIVE_OK ||
	    archive_write_data(ar, b->buf, b->len) != (la_ssize_t)b->len)
		rc = ar_fail(ctx, ar, out);
	archive_entry_free(e);
	return rc;
}


/* Remove what killed runs left beside PATH: PATH + SUFFIX + XXXXXX. */
static void
sweep_beside(const char *path, const char *suffix)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT, name = SOHOA_BUF_INIT;
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		sohoa_buf_adds(&dir, ".");
	else
		sohoa_buf_add(&dir, path, slash == path ? 1 :
		    (size_t)(slash - path));
	sohoa_buf_addf(&name, "%s%s", slash ? slash + 1 : path, suffix);
	sohoa_tmp_sweep(dir.buf, name.buf);
	sohoa_buf_release(&dir);
	sohoa_buf_release(&name);
}

static int
fsync_parent(const char *path)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash == NULL)
		sohoa_buf_adds(&dir, ".");
	else
		sohoa_buf_add(&dir, path, slash == path ? 1 :
		    (size_t)(slash - path));
	fd = open(dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	sohoa_buf_release(&dir);
	return SOHOA_OK;
}

int
sohoa_records_backup(struct sohoa_archive *a, const char *out,
    unsigned flags, struct sohoa_backup_result *res)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_tmp file, snap;
	struct sohoa_buf prefix = SOHOA_BUF_INIT, src = SOHOA_BUF_INIT;
	struct sohoa_buf name = SOHOA_BUF_INIT, manifest = SOHOA_BUF_INIT;
	struct sohoa_buf info = SOHOA_BUF_INIT, detail = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	struct names blobs;
	struct archive *ar = NULL;
	struct sohoa_json j;
	char sha[SOHOA_SHA256_HEX];
	size_t i;
	int rc;

	sohoa_backup_result_release(res);
	memset(&blobs, 0, sizeof(blobs));
	sohoa_tmp_init(&file);
	sohoa_tmp_init(&snap);
	sweep_beside(out, ".tmp-");
	sweep_beside(out, ".db-");
	rc = sohoa_archive_output_check(a, out, flags);
	if (rc != SOHOA_OK)
		return rc;
	/* temporary files beside the backup, held, swept if we are killed */
	sohoa_buf_addf(&prefix, "%s.tmp-", out);
	rc = sohoa_tmp_file(ctx, prefix.buf, &file);
	sohoa_buf_reset(&prefix);
	sohoa_buf_addf(&prefix, "%s.db-", out);
	if (rc == SOHOA_OK)
		rc = sohoa_tmp_dir(ctx, prefix.buf, &snap);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_snapshot(a, snap.path.buf);
	if (rc == SOHOA_OK)
		rc = blobs_of(ctx, snap.path.buf, &blobs);
	if (rc != SOHOA_OK)
		goto out;
	ar = archive_write_new();
	if (ar == NULL || archive_write_set_format_pax_restricted(ar) !=
	    ARCHIVE_OK || archive_write_open_fd(ar, file.fd) != ARCHIVE_OK) {
		rc = ar ? ar_fail(ctx, ar, out) :
		    sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	sohoa_buf_adds(&info, "sohoa-backup 1\nsohoa " SOHOA_VERSION "\nmade ");
	sohoa_archive_now(&info);
	sohoa_buf_addf(&info, "\nfrom %s\nblobs %zu\n", sohoa_archive_dir(a),
	    blobs.n);
	rc = add_mem(ctx, ar, out, TOP "backup-info.txt", &info);
	sohoa_buf_addf(&src, "%s/sohoa.db", snap.path.buf);
	if (rc == SOHOA_OK)
		rc = add_file(ctx, ar, out, src.buf, TOP "sohoa.db", NULL, sha,
		    &res->bytes);
	if (rc == SOHOA_OK)
		sohoa_buf_addf(&manifest, "%s  sohoa.db\n", sha);
	for (i = 0; rc == SOHOA_OK && i < blobs.n; i++) {
		sohoa_buf_reset(&src);
		sohoa_buf_reset(&name);
		sohoa_store_path(a, blobs.v[i], &src);
		sohoa_buf_addf(&name, TOP "store/%.2s/%s", blobs.v[i],
		    blobs.v[i]);
		rc = add_file(ctx, ar, out, src.buf, name.buf, blobs.v[i], sha,
		    &res->bytes);
		if (rc == SOHOA_OK)
			sohoa_buf_addf(&manifest, "%s  store/%.2s/%s\n", sha,
			    blobs.v[i], blobs.v[i]);
		res->blobs++;
	}
	if (rc == SOHOA_OK)
		rc = add_mem(ctx, ar, out, TOP "manifest-sha256.txt", &manifest);
	if (rc == SOHOA_OK && archive_write_close(ar) != ARCHIVE_OK)
		rc = ar_fail(ctx, ar, out);
	if (rc == SOHOA_OK && fsync(file.fd) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    file.path.buf, strerror(errno));
	if (rc == SOHOA_OK && rename(file.path.buf, out) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot rename '%s' to"
		    " '%s': %s", file.path.buf, out, strerror(errno));
	if (rc != SOHOA_OK)
		goto out;
	sohoa_tmp_release(&file);
	fsync_parent(out);
	rc = sohoa_sha256_file(ctx, out, res->sha256);
	if (rc != SOHOA_OK)
		goto out;
	sohoa_json_init(&j, &detail, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "sha256");
	sohoa_json_str(&j, res->sha256);
	sohoa_json_key(&j, "blobs");
	sohoa_json_int(&j, (long long)res->blobs);
	sohoa_json_key(&j, "bytes");
	sohoa_json_int(&j, (long long)res->bytes);
	sohoa_json_obj_close(&j);
	memset(&ev, 0, sizeof(ev));
	ev.action = SOHOA_EV_BACKUP;
	ev.new_value = out;
	ev.detail = detail.buf;
	rc = sohoa_archive_event_add(a, &ev, NULL);
out:
	if (ar != NULL)
		archive_write_free(ar);
	sohoa_tmp_remove(&file);
	sohoa_tmp_remove(&snap);
	names_release(&blobs);
	sohoa_buf_release(&prefix);
	sohoa_buf_release(&src);
	sohoa_buf_release(&name);
	sohoa_buf_release(&manifest);
	sohoa_buf_release(&info);
	sohoa_buf_release(&detail);
	return rc;
}

void
sohoa_backup_result_release(struct sohoa_backup_result *r)
{
	sohoa_buf_release(&r->aside);
	r->sha256[0] = '\0';
	r->blobs = 0;
	r->bytes = 0;
}

/* ---- restore ----------------------------------------------------------- */

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* What NAME may be: 1 the database, 2 a blob, 3 the manifest, 4 info. */
static int
member_kind(const char *name)
{
	const char *p;

	if (strncmp(name, TOP, sizeof(TOP) - 1) != 0)
		return 0;
	p = name + sizeof(TOP) - 1;
	if (strcmp(p, "sohoa.db") == 0)
		return 1;
	if (strcmp(p, "manifest-sha256.txt") == 0)
		return 3;
	if (strcmp(p, "backup-info.txt") == 0)
		return 4;
	if (strlen(name) == BLOB_NAME_LEN && strncmp(p, "store/", 6) == 0 &&
	    p[8] == '/' && is_hex(p + 6, 2) && is_hex(p + 9, 64) &&
	    strncmp(p + 6, p + 9, 2) == 0)
		return 2;
	return 0;
}

/* Write the entry's data to PATH (new), hashing it into SHA. */
static int
extract(struct sohoa_ctx *ctx, struct archive *ar, const char *from,
    const char *path, char sha[SOHOA_SHA256_HEX])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char buf[65536], d[32];
	la_ssize_t n;
	size_t i;
	int fd, rc = SOHOA_OK;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0 || md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(),
	    NULL)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot create '%s': %s",
		    path, strerror(errno));
		goto out;
	}
	while ((n = archive_read_data(ar, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(md, buf, (size_t)n);
		if (write(fd, buf, (size_t)n) != n) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write"
			    " '%s': %s", path, strerror(errno));
			goto out;
		}
	}
	if (n < 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' is damaged: %s",
		    from, archive_error_string(ar));
		goto out;
	}
	if (fsync(fd) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    path, strerror(errno));
	EVP_DigestFinal_ex(md, d, NULL);
	for (i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", d[i]);
out:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(md);
	return rc;
}

/* Every blob the restored database names must have come along. */
static int
check_complete(void *arg, const struct sohoa_blob_ref *ref)
{
	struct sohoa_archive *a = arg;

	if (ref->sha256 != NULL && !sohoa_store_has(a, ref->sha256))
		return sohoa_set_error(sohoa_archive_ctx(a), SOHOA_ERR_INVALID,
		    "the backup lacks %s (%s)", ref->sha256, ref->what);
	return 0;
}

/* An archive in DIR already: moved to DIR.before-restore-TIME. */
static int
move_aside(struct sohoa_ctx *ctx, const char *dir, struct sohoa_buf *aside)
{
	sohoa_buf_addf(aside, "%s.before-restore-%ld", dir, (long)time(NULL));
	if (rename(dir, aside->buf) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot move '%s' aside:"
		    " %s", dir, strerror(errno));
	return SOHOA_OK;
}

int
sohoa_records_restore(struct sohoa_ctx *ctx, const char *backup,
    const char *dir, unsigned flags, struct sohoa_backup_result *res)
{
	struct sohoa_tmp tmp;
	struct sohoa_buf prefix = SOHOA_BUF_INIT, path = SOHOA_BUF_INIT;
	struct sohoa_buf manifest = SOHOA_BUF_INIT, aside = SOHOA_BUF_INIT;
	struct sohoa_buf line = SOHOA_BUF_INIT;
	struct sohoa_archive *a = NULL;
	struct archive *ar = NULL;
	struct archive_entry *e;
	struct sohoa_db_check chk;
	struct sohoa_event ev;
	char sha[SOHOA_SHA256_HEX], dbsha[SOHOA_SHA256_HEX] = "";
	const char *name;
	struct stat st;
	la_ssize_t n;
	int rc = SOHOA_OK, r, kind, ndb = 0;

	sohoa_backup_result_release(res);
	sohoa_tmp_init(&tmp);
	sweep_beside(dir, ".restore-");
	if (stat(dir, &st) == 0) {
		sohoa_buf_addf(&path, "%s/sohoa.db", dir);
		if (stat(path.buf, &st) == 0 && !(flags & SOHOA_OUTPUT_FORCE)) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' holds an"
			    " archive already: restore elsewhere, or --force to"
			    " move it aside first", dir);
			goto out;
		}
	}
	sohoa_buf_reset(&path);
	sohoa_buf_addf(&prefix, "%s.restore-", dir);
	rc = sohoa_tmp_dir(ctx, prefix.buf, &tmp);
	if (rc != SOHOA_OK)
		goto out;
	sohoa_buf_addf(&path, "%s/store", tmp.path.buf);
	if ((rc = sohoa_mkdir(ctx, path.buf, 0755)) != SOHOA_OK)
		goto out;
	ar = archive_read_new();
	if (ar == NULL || archive_read_support_format_tar(ar) != ARCHIVE_OK ||
	    archive_read_open_filename(ar, backup, 65536) != ARCHIVE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read '%s':"
		    " %s", backup, ar ? archive_error_string(ar) :
		    "out of memory");
		goto out;
	}
	while (rc == SOHOA_OK && (r = archive_read_next_header(ar, &e)) ==
	    ARCHIVE_OK) {
		name = archive_entry_pathname(e);
		kind = name && archive_entry_filetype(e) == AE_IFREG ?
		    member_kind(name) : 0;
		if (kind == 0) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' is not a"
			    " sohoa backup: it holds '%s'", backup,
			    name ? name : "(no name)");
			break;
		}
		sohoa_buf_reset(&path);
		if (kind == 1) {
			sohoa_buf_addf(&path, "%s/sohoa.db", tmp.path.buf);
			rc = extract(ctx, ar, backup, path.buf, dbsha);
			ndb++;
		} else if (kind == 2) {
			const char *h = name + sizeof(TOP) - 1 + 9;

			sohoa_buf_addf(&path, "%s/store/%.2s", tmp.path.buf, h);
			rc = sohoa_mkdir(ctx, path.buf, 0755);
			sohoa_buf_addf(&path, "/%s", h);
			if (rc == SOHOA_OK)
				rc = extract(ctx, ar, backup, path.buf, sha);
			if (rc == SOHOA_OK && strcmp(sha, h) != 0)
				rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID,
				    "'%s' is damaged: '%s' does not match its"
				    " SHA-256", backup, name);
			res->blobs++;
		} else if (kind == 3) {
			char buf[4096];

			while ((n = archive_read_data(ar, buf, sizeof(buf))) > 0 &&
			    manifest.len < ((size_t)64 << 20))
				sohoa_buf_add(&manifest, buf, (size_t)n);
		}
	}
	if (rc == SOHOA_OK && r != ARCHIVE_EOF)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' is damaged: %s",
		    backup, archive_error_string(ar));
	if (rc == SOHOA_OK && ndb != 1)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' is not a sohoa"
		    " backup: it has %d databases", backup, ndb);
	/* the database is the one the backup's manifest names */
	sohoa_buf_addf(&line, "%s  sohoa.db\n", dbsha);
	if (rc == SOHOA_OK && strstr(manifest.buf, line.buf) == NULL)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID, "'%s' is damaged:"
		    " its database does not match its manifest", backup);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_open(ctx, tmp.path.buf, 0, &a);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_check_db(a, 0, &chk);
	if (rc == SOHOA_OK && strcmp(chk.integrity, "ok") != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID, "the database in"
		    " '%s' is damaged: %s", backup, chk.integrity);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_blob_list(a, check_complete, a);
	if (rc == SOHOA_OK) {
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_RESTORE;
		ev.new_value = backup;
		ev.key = dbsha;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	sohoa_archive_close(&a);
	if (rc != SOHOA_OK)
		goto out;
	sohoa_buf_reset(&path);
	sohoa_buf_addf(&path, "%s/sohoa.db", dir);
	if (stat(path.buf, &st) == 0)
		rc = move_aside(ctx, dir, &aside);
	else if (stat(dir, &st) == 0 && rmdir(dir) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not empty:"
		    " restore into a new folder", dir);
	if (rc == SOHOA_OK && rename(tmp.path.buf, dir) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot rename '%s' to"
		    " '%s': %s", tmp.path.buf, dir, strerror(errno));
	if (rc != SOHOA_OK)
		goto out;
	sohoa_tmp_release(&tmp);
	fsync_parent(dir);
	sohoa_buf_add(&res->aside, aside.buf, aside.len);
	memcpy(res->sha256, dbsha, sizeof(dbsha));
out:
	if (ar != NULL)
		archive_read_free(ar);
	sohoa_tmp_remove(&tmp);
	sohoa_buf_release(&prefix);
	sohoa_buf_release(&path);
	sohoa_buf_release(&manifest);
	sohoa_buf_release(&aside);
	sohoa_buf_release(&line);
	return rc;
}
