/*
 * Bug 0003 (found while testing hostile inputs, issue 8): 'sohoa extract
 * scan.tif', where scan.tif is a FIFO (a named pipe, which a network
 * share or a careless script can leave among scans), hangs for ever:
 * sohoa_image_open() calls fopen() before it looks at the file type, and
 * opening a FIFO for reading blocks until a writer comes.  ('sohoa
 * ingest' checks S_ISREG in its walker first, so only extract and other
 * callers of the library hang.)  Expected: the open fails at once with
 * "cannot read '...': not a regular file" (as ingest says), and so does a
 * character device such as /dev/zero (which would otherwise be read for
 * ever by a reader that trusts read() to end).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/pipeline.h"
#include "check.h"

/* For the alarm handler: what to remove (unlink and rmdir are safe there). */
static const char *fifo_path, *dir_path;

static void
on_alarm(int sig)
{
	static const char msg[] = "test_bug_0003_image_open_fifo: "
	    "sohoa_image_open() still blocked after 10 s: FAIL\n";

	(void)sig;
	if (fifo_path != NULL)
		unlink(fifo_path);
	if (dir_path != NULL)
		rmdir(dir_path);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void
check_refused(struct sohoa_ctx *ctx, const char *path)
{
	struct sohoa_image *img = NULL;
	int rc;

	alarm(10);
	rc = sohoa_image_open(ctx, path, &img);
	alarm(0);
	CHECK(rc != SOHOA_OK);
	CHECK(img == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), path) != NULL);
	printf("%s: %s\n", path, sohoa_errmsg(ctx));
	sohoa_image_close(&img);
}

int
main(void)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT, fifo = SOHOA_BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	struct sohoa_ctx *ctx;

	signal(SIGALRM, on_alarm);
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	CHECK(ctx != NULL);
	CHECK_INT_EQ(SOHOA_OK, sohoa_buf_addf(&dir, "%s/test_bug_0003.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp"));
	CHECK(mkdtemp(dir.buf) != NULL);
	CHECK_INT_EQ(SOHOA_OK, sohoa_buf_addf(&fifo, "%s/scan.tif", dir.buf));
	CHECK_INT_EQ(0, mkfifo(fifo.buf, 0600));
	fifo_path = fifo.buf;
	dir_path = dir.buf;

	check_refused(ctx, fifo.buf);
	check_refused(ctx, "/dev/zero");

	unlink(fifo.buf);
	rmdir(dir.buf);
	sohoa_buf_release(&fifo);
	sohoa_buf_release(&dir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_bug_0003_image_open_fifo");
}
