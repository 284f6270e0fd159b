/*
 * Temporary files and folders that a killed process does not leave for
 * ever.  Each is made under a random name after a prefix and held by an
 * flock(2) for as long as it is in use; the kernel drops the lock when
 * its holder dies, however it dies.  sohoa_tmp_sweep() removes the ones
 * nobody holds, and the commands that make such files sweep at start:
 * export (OUT.tmp-XXXXXX beside the bundle), verify and import (the
 * extracted bundle).
 *
 * The same held files make the files that must appear whole or not at
 * all (a bundle, a PDF, a key): written beside their final name, then
 * flushed to disk, renamed and their folder flushed, so that a crash or a
 * power cut leaves the old file or the new one, never a part.
 *
 *   sohoa_tmp_init / _file / _dir / _release / _remove
 *   sohoa_tmp_sweep
 *   sohoa_tmp_file_for / sohoa_tmp_commit    write a file whole
 *   sohoa_tmp_write                          the same for bytes in memory
 *   sohoa_fsync_dir
 */
#ifndef SOHOA_TMP_H
#define SOHOA_TMP_H

#include <stddef.h>
#include <sys/types.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

struct sohoa_tmp {
	struct sohoa_buf path;	/* the file or folder made */
	int fd;			/* holds the lock (the file itself, open
				   read-write, for a file); -1 when none */
	int isdir;
};

void sohoa_tmp_init(struct sohoa_tmp *t);

/*
 * Make the file PREFIX + six random characters (mode 0600), open
 * read-write in t->fd, and hold it.  PREFIX is a path ("out.zip.tmp-").
 * Returns SOHOA_OK, or SOHOA_ERR_IO with the message on CTX.
 */
int sohoa_tmp_file(struct sohoa_ctx *ctx, const char *prefix,
    struct sohoa_tmp *t);

/* The same for a folder (mode 0700). */
int sohoa_tmp_dir(struct sohoa_ctx *ctx, const char *prefix,
    struct sohoa_tmp *t);

/*
 * Let go of T without removing anything (the file was renamed to its
 * final name, say): the lock is dropped, the path freed, and T is empty
 * again (as after sohoa_tmp_init).
 */
void sohoa_tmp_release(struct sohoa_tmp *t);

/* Remove what T names (a folder with everything in it), then release. */
void sohoa_tmp_remove(struct sohoa_tmp *t);

/*
 * Remove the entries of folder DIR named NAME_PREFIX + six characters
 * that nobody holds: what killed processes left.  Only entries owned by
 * the caller's user are touched, and a folder is removed without
 * following any link in it.  Returns how many were removed; a failure
 * only leaves litter.
 */
int sohoa_tmp_sweep(const char *dir, const char *name_prefix);

/*
 * Start writing PATH whole: sweep what killed writers left beside it
 * (PATH.tmp-XXXXXX nobody holds), then make and hold a new
 * PATH.tmp-XXXXXX in the same folder (sohoa_tmp_file), so that the final
 * rename stays within one file system.  Write through t->fd (or a dup of
 * it), then sohoa_tmp_commit(); on any failure sohoa_tmp_remove(t).
 */
int sohoa_tmp_file_for(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_tmp *t);

/*
 * Finish what sohoa_tmp_file_for() began: give the file MODE, fsync it,
 * rename it to PATH (replacing what was there), release T and fsync
 * PATH's folder so that the new name survives a power cut.  On failure
 * before the rename T is left for sohoa_tmp_remove(); once renamed, T is
 * released whatever happens (a failed folder fsync is still an error:
 * the file is complete, but its name may not be on the disk yet).
 */
int sohoa_tmp_commit(struct sohoa_ctx *ctx, struct sohoa_tmp *t,
    const char *path, mode_t mode);

/* Write LEN bytes of DATA as PATH with MODE, whole or not at all. */
int sohoa_tmp_write(struct sohoa_ctx *ctx, const char *path,
    const void *data, size_t len, mode_t mode);

/*
 * fsync the folder DIR, so that names just made or renamed in it are on
 * the disk.  A file system that cannot fsync a folder (EINVAL) is not an
 * error.  Returns SOHOA_OK or SOHOA_ERR_IO.
 */
int sohoa_fsync_dir(struct sohoa_ctx *ctx, const char *dir);
/*
 * Make the folder DIR with MODE; one that is there already is fine.
 * Returns SOHOA_OK or SOHOA_ERR_IO ("cannot create 'DIR': why").
 */
int sohoa_mkdir(struct sohoa_ctx *ctx, const char *dir, unsigned mode);

/* The folder for private temporary files: $TMPDIR, else /tmp (borrowed). */
const char *sohoa_tmp_root(void);

#endif
