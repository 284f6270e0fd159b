/*
 * Temporary files and folders that a killed process does not leave for
 * ever.  Each is made under a random name after a prefix and held by an
 * flock(2) for as long as it is in use; the kernel drops the lock when
 * its holder dies, however it dies.  sohoa_tmp_sweep() removes the ones
 * nobody holds, and the commands that make such files sweep at start:
 * export (OUT.tmp-XXXXXX beside the bundle), verify and import (the
 * extracted bundle).
 *
 *   sohoa_tmp_init / _file / _dir / _release / _remove
 *   sohoa_tmp_sweep
 */
#ifndef SOHOA_TMP_H
#define SOHOA_TMP_H

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

/* The folder for private temporary files: $TMPDIR, else /tmp (borrowed). */
const char *sohoa_tmp_root(void);

#endif
