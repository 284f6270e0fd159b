/*
 * Temporary files and folders held by an flock(2) while in use, the
 * sweep that removes those whose holder died, and files written whole
 * through them (see sohoa/tmp.h).
 *
 * The lock is on the file or folder itself, so it lives exactly as long
 * as its holder's descriptor: a SIGKILL, a crash or a power cut drops it.
 * A sweeper takes the lock before it removes anything; the maker takes it
 * right after making the name and then checks the name is still there
 * (a sweeper may have come in between), trying a new name if not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sohoa/tmp.h"

/* mkstemp's and mkdtemp's random part. */
#define RANDOM_LEN 6
/* Folders deeper than this are left to the next sweep (file limit). */
#define MAX_DEPTH 256

void
sohoa_tmp_init(struct sohoa_tmp *t)
{
	sohoa_buf_init(&t->path);
	t->fd = -1;
	t->isdir = 0;
}

/* Lock FD and check that it still has a name (not swept meanwhile). */
static int
hold(int fd)
{
	struct stat st;

	if (flock(fd, LOCK_EX) != 0 || fstat(fd, &st) != 0)
		return -1;
	return st.st_nlink > 0 ? 0 : 1;
}

static int
make(struct sohoa_ctx *ctx, const char *prefix, int isdir,
    struct sohoa_tmp *t)
{
	int tries, r, fd;

	sohoa_tmp_release(t);
	t->isdir = isdir;
	for (tries = 0; tries < 10; tries++) {
		sohoa_buf_reset(&t->path);
		if (sohoa_buf_addf(&t->path, "%sXXXXXX", prefix) != SOHOA_OK)
			return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		if (isdir) {
			if (mkdtemp(t->path.buf) == NULL)
				break;
			fd = open(t->path.buf, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		} else {
			fd = mkstemp(t->path.buf);
			if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
				close(fd);
				fd = -1;
			}
		}
		/* a folder swept before it could be opened: again */
		if (fd < 0 && isdir && errno == ENOENT)
			continue;
		if (fd < 0)
			break;
		r = hold(fd);
		if (r == 0) {
			t->fd = fd;
			return SOHOA_OK;
		}
		close(fd);
		if (r < 0)
			break;
		/* swept between its making and its locking: again */
	}
	r = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot create a temporary %s"
	    " '%s': %s", isdir ? "folder" : "file", t->path.buf,
	    strerror(errno));
	sohoa_buf_release(&t->path);
	return r;
}

int
sohoa_tmp_file(struct sohoa_ctx *ctx, const char *prefix,
    struct sohoa_tmp *t)
{
	return make(ctx, prefix, 0, t);
}

int
sohoa_tmp_dir(struct sohoa_ctx *ctx, const char *prefix,
    struct sohoa_tmp *t)
{
	return make(ctx, prefix, 1, t);
}

void
sohoa_tmp_release(struct sohoa_tmp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	sohoa_buf_release(&t->path);
}

/*
 * Remove everything in the open folder FD, never following a link: each
 * entry is looked at and removed relative to its folder's descriptor, so
 * swapping a folder for a link meanwhile leads nowhere.
 */
static void
empty_dir(int fd, int depth)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	int sub;

	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth >= MAX_DEPTH)
				continue;
			sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				empty_dir(sub, depth + 1);
			unlinkat(fd, de->d_name, AT_REMOVEDIR);
		} else {
			unlinkat(fd, de->d_name, 0);
		}
	}
	closedir(d);
}

/* Remove PATH (a file, or a folder and what it holds). */
static void
remove_path(const char *path, int isdir)
{
	int fd;

	if (!isdir) {
		unlink(path);
		return;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		empty_dir(fd, 0);
	rmdir(path);
}

void
sohoa_tmp_remove(struct sohoa_tmp *t)
{
	if (t->path.len > 0)
		remove_path(t->path.buf, t->isdir);
	sohoa_tmp_release(t);
}

int
sohoa_tmp_sweep(const char *dir, const char *name_prefix)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	size_t plen = strlen(name_prefix);
	struct dirent *de;
	struct stat st, fst;
	DIR *d;
	int fd, n = 0;

	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != plen + RANDOM_LEN ||
		    strncmp(de->d_name, name_prefix, plen) != 0)
			continue;
		sohoa_buf_reset(&path);
		if (sohoa_buf_addf(&path, "%s/%s", dir, de->d_name) != SOHOA_OK)
			break;
		if (lstat(path.buf, &st) != 0 || st.st_uid != geteuid() ||
		    (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
			continue;
		fd = open(path.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd < 0)
			continue;
		/* held: someone is using it; ours now: its holder died */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &fst) == 0 &&
		    fst.st_dev == st.st_dev && fst.st_ino == st.st_ino) {
			if (S_ISDIR(st.st_mode)) {
				/* emptied through the descriptor we checked */
				int dfd = dup(fd);

				if (dfd >= 0)
					empty_dir(dfd, 0);
				rmdir(path.buf);
			} else {
				unlink(path.buf);
			}
			n++;
		}
		close(fd);
	}
	if (d != NULL)
		closedir(d);
	sohoa_buf_release(&path);
	return n;
}

/* The folder part of PATH into OUT: "." for a bare name, "/" for "/x". */
static int
parent_of(const char *path, struct sohoa_buf *out)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return sohoa_buf_adds(out, ".");
	if (slash == path)
		return sohoa_buf_adds(out, "/");
	return sohoa_buf_add(out, path, (size_t)(slash - path));
}

int
sohoa_fsync_dir(struct sohoa_ctx *ctx, const char *dir)
{
	int fd, rc = SOHOA_OK;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot open folder"
		    " '%s': %s", dir, strerror(errno));
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot flush folder"
		    " '%s' to disk: %s", dir, strerror(errno));
	close(fd);
	return rc;
}

int
sohoa_mkdir(struct sohoa_ctx *ctx, const char *dir, unsigned mode)
{
	if (mkdir(dir, (mode_t)mode) != 0 && errno != EEXIST)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot create '%s': %s",
		    dir, strerror(errno));
	return SOHOA_OK;
}

int
sohoa_tmp_file_for(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_tmp *t)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT, prefix = SOHOA_BUF_INIT;
	const char *base = strrchr(path, '/');
	int rc;

	base = base != NULL ? base + 1 : path;
	rc = parent_of(path, &dir);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&prefix, "%s.tmp-", base);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
	/* what killed writers of the same name left */
	sohoa_tmp_sweep(dir.buf, prefix.buf);
	sohoa_buf_reset(&prefix);
	rc = sohoa_buf_addf(&prefix, "%s.tmp-", path);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "out of memory");
	else
		rc = sohoa_tmp_file(ctx, prefix.buf, t);
out:
	sohoa_buf_release(&dir);
	sohoa_buf_release(&prefix);
	return rc;
}

int
sohoa_tmp_commit(struct sohoa_ctx *ctx, struct sohoa_tmp *t,
    const char *path, mode_t mode)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT;
	int rc;

	if (t->fd < 0 || t->isdir || t->path.len == 0)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "no temporary file to commit as '%s'", path);
	if (fchmod(t->fd, mode) != 0 || fsync(t->fd) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s':"
		    " %s", t->path.buf, strerror(errno));
	/* still held while it takes its name: no sweeper can take it */
	if (rename(t->path.buf, path) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot rename '%s'"
		    " to '%s': %s", t->path.buf, path, strerror(errno));
	sohoa_tmp_release(t);
	/* the rename itself must survive a power cut */
	rc = parent_of(path, &dir);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "out of memory");
	else
		rc = sohoa_fsync_dir(ctx, dir.buf);
	sohoa_buf_release(&dir);
	return rc;
}

int
sohoa_tmp_write(struct sohoa_ctx *ctx, const char *path, const void *data,
    size_t len, mode_t mode)
{
	struct sohoa_tmp t;
	const char *p = data;
	size_t done = 0;
	ssize_t n;
	int rc;

	sohoa_tmp_init(&t);
	rc = sohoa_tmp_file_for(ctx, path, &t);
	while (rc == SOHOA_OK && done < len) {
		n = write(t.fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write"
			    " '%s': %s", t.path.buf, strerror(errno));
		else
			done += (size_t)n;
	}
	if (rc == SOHOA_OK)
		rc = sohoa_tmp_commit(ctx, &t, path, mode);
	sohoa_tmp_remove(&t);
	return rc;
}

const char *
sohoa_tmp_root(void)
{
	const char *t = getenv("TMPDIR");

	return t != NULL && *t ? t : "/tmp";
}
