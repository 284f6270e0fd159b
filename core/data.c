/*
 * Where sohoa's data files are (doctypes/ and what may follow): found at
 * run time from the running program, so that an installed or copied
 * prefix works wherever it is, and a program in the build tree reads the
 * source tree's files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

/* CMakeLists.txt sets these for this file; the defaults are its own. */
#ifndef SOHOA_BIN_TO_DATA
#define SOHOA_BIN_TO_DATA "../share/sohoa"
#endif
#ifndef SOHOA_DATA_DIR
#define SOHOA_DATA_DIR "/usr/local/share/sohoa"
#endif
#ifndef SOHOA_BUILD_DIR
#define SOHOA_BUILD_DIR ""
#endif

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The folder of the running program, without the final '/'. */
static int
exe_dir(struct sohoa_buf *out)
{
	size_t size = 256;
	ssize_t n;
	char *slash;
	int rc;

	for (;;) {
		sohoa_buf_reset(out);
		rc = sohoa_buf_grow(out, size);
		if (rc != SOHOA_OK)
			return rc;
		n = readlink("/proc/self/exe", out->buf, size);
		if (n < 0)
			return SOHOA_ERR_NOTFOUND;
		if ((size_t)n < size)
			break;
		size *= 2;
	}
	out->len = (size_t)n;
	out->buf[n] = '\0';
	slash = strrchr(out->buf, '/');
	if (slash == NULL)
		return SOHOA_ERR_NOTFOUND;
	sohoa_buf_truncate(out, (size_t)(slash - out->buf));
	return SOHOA_OK;
}

/* Whether DIR is the build tree or a folder inside it (tests/, bench/). */
static int
in_build_tree(const char *dir)
{
	size_t n = strlen(SOHOA_BUILD_DIR);

	return n > 0 && strncmp(dir, SOHOA_BUILD_DIR, n) == 0 &&
	    (dir[n] == '\0' || dir[n] == '/');
}

int
sohoa_data_path(struct sohoa_ctx *ctx, const char *name, const char *env,
    struct sohoa_buf *out)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT;
	const char *v = env != NULL ? getenv(env) : NULL;
	int rc;

	sohoa_buf_reset(out);
	if (v != NULL && *v != '\0') {
		rc = sohoa_buf_adds(out, v);
		goto out;
	}
	rc = exe_dir(&dir);
	if (rc == SOHOA_ERR_NOMEM)
		goto out;
	if (rc == SOHOA_OK) {
		/* <prefix>/bin/sohoa reads <prefix>/share/sohoa/NAME */
		rc = sohoa_buf_addf(out, "%s/%s/%s", dir.buf,
		    SOHOA_BIN_TO_DATA, name);
		if (rc != SOHOA_OK || exists(out->buf))
			goto out;
		if (in_build_tree(dir.buf)) {
			sohoa_buf_reset(out);
			rc = sohoa_buf_addf(out, "%s/%s", SOHOA_SOURCE_DIR,
			    name);
			goto out;
		}
	}
	/* no /proc, or a copied program: the prefix it was built for */
	sohoa_buf_reset(out);
	rc = sohoa_buf_addf(out, "%s/%s", SOHOA_DATA_DIR, name);
	if (rc == SOHOA_OK && !exists(out->buf))
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "cannot find sohoa's '%s' in '%s/%s' or '%s'%s%s%s", name,
		    dir.len ? dir.buf : "/proc/self/exe", SOHOA_BIN_TO_DATA,
		    SOHOA_DATA_DIR, env ? " (set " : "", env ? env : "",
		    env ? " to the folder)" : "");
out:
	if (rc == SOHOA_ERR_NOMEM)
		sohoa_set_error(ctx, rc, "out of memory");
	sohoa_buf_release(&dir);
	return rc;
}
