/*
 * Bug 0014 (issue 14, item 3): two links to the folder they sit in
 * ("x -> .", "y -> .") made the ingest walk run for ever, every path
 * x/y/x/x/... a new one, the input list growing past 5 GB, deaf to
 * SIGTERM; dangling links, FIFOs, sockets and devices were skipped
 * without a word, and a folder with no scans said nothing either.
 *
 * Each real folder must be walked once (device + inode), under its own
 * name rather than a link's; a link to a folder outside is followed
 * once; what cannot be a scan gets one input with a reason; an empty
 * tree is reported once, at its top; and the walk asks its caller
 * whether to go on, so Ctrl-C stops it.  An alarm turns a hang into a
 * failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "sohoa/ingest.h"
#include "ingest_private.h"
#include "check.h"

static char dir[] = "/tmp/sohoa-test-0014-walk-XXXXXX";
static struct sohoa_ctx *ctx;

static const char *
at(const char *rel)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, rel);
	return buf[k];
}

static void
touch(const char *rel)
{
	FILE *f = fopen(at(rel), "w");

	if (f != NULL) {
		fputs("x", f);
		fclose(f);
	}
}

static void
on_alarm(int sig)
{
	(void)sig;
	/* write(2) is safe here; the walk is stuck */
	(void)!write(2, "test_bug_0014_walk_links: the walk did not end\n",
	    48);
	_exit(1);
}

/* The inputs as "rel[!reason]" lines, paths relative to DIR. */
static void
listing(const struct inputs *in, struct sohoa_buf *out)
{
	size_t i, n = strlen(dir);

	sohoa_buf_reset(out);
	for (i = 0; i < in->n; i++) {
		const char *p = in->v[i].path;

		sohoa_buf_addf(out, "%s%s%s\n", strncmp(p, dir, n) == 0 ?
		    p + n + 1 : p, in->v[i].error ? "!" : "",
		    in->v[i].error ? in->v[i].error : "");
	}
}

static int
has(const struct sohoa_buf *l, const char *line)
{
	return strstr(l->buf, line) != NULL;
}

static int checks_seen;

/* Stop after the second question. */
static int
stop_soon(void *arg, const char *path)
{
	(void)path;
	(void)arg;
	return ++checks_seen >= 2;
}

static int
count_only(void *arg, const char *path)
{
	(void)path;
	(void)arg;
	checks_seen++;
	return 0;
}

static void
test_tree(void)
{
	struct inputs in = { NULL, 0, 0 };
	struct sohoa_buf l = SOHOA_BUF_INIT;
	struct sockaddr_un sa;
	const char *paths[2];
	int sock, rc, have_dev;

	mkdir(at("in"), 0755);
	mkdir(at("in/sub"), 0755);
	mkdir(at("in/empty"), 0755);
	mkdir(at("in/notes"), 0755);
	mkdir(at("in/emptytree"), 0755);
	mkdir(at("in/emptytree/e1"), 0755);
	mkdir(at("in/emptytree/e1/e2"), 0755);
	mkdir(at("other"), 0755);
	touch("in/a.tif");
	touch("in/sub/b.png");
	touch("in/notes/readme.txt");
	touch("other/c.jpg");
	CHECK(symlink(".", at("in/x")) == 0);
	CHECK(symlink(".", at("in/y")) == 0);
	CHECK(symlink("..", at("in/sub/up")) == 0);
	CHECK(symlink("sub", at("in/alink")) == 0);	/* before 'sub' */
	CHECK(symlink("../other", at("in/zother")) == 0);
	CHECK(symlink("gone.tif", at("in/dangling.tif")) == 0);
	CHECK(symlink("loop2", at("in/loop1")) == 0);
	CHECK(symlink("loop1", at("in/loop2")) == 0);
	CHECK(mkfifo(at("in/fifo.tif"), 0644) == 0);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", at("in/sock"));
	CHECK(sock >= 0 && bind(sock, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	have_dev = mknod(at("in/null"), S_IFCHR | 0644, makedev(1, 3)) == 0;
	if (!have_dev)
		printf("note: cannot make a device file here (%s); that case"
		    " is not checked\n", strerror(errno));

	paths[0] = at("in");
	alarm(20);
	rc = ingest_walk(ctx, paths, 1, count_only, NULL, &in);
	alarm(0);
	CHECK_INT_EQ(SOHOA_OK, rc);
	listing(&in, &l);
	printf("%s", l.buf);
	/* each scan once, under its real folder's name */
	CHECK(has(&l, "in/a.tif\n"));
	CHECK(has(&l, "in/sub/b.png\n"));
	CHECK(!has(&l, "alink/"));
	CHECK(!has(&l, "in/x/") && !has(&l, "in/y/") && !has(&l, "up/"));
	/* a folder outside, through its link */
	CHECK(has(&l, "in/zother/c.jpg\n"));
	/* one reason each */
	CHECK(has(&l, "in/dangling.tif!a broken link (its target 'gone.tif'"
	    " does not exist)\n"));
	CHECK(has(&l, "in/loop1!a link in a loop of links\n"));
	CHECK(has(&l, "in/fifo.tif!a FIFO (named pipe), not a file\n"));
	CHECK(has(&l, "in/sock!a socket, not a file\n"));
	if (have_dev)
		CHECK(has(&l, "in/null!a device, not a file\n"));
	CHECK(has(&l, "in/empty!no scans in this folder"));
	CHECK(has(&l, "in/notes!no scans in this folder"));
	CHECK(has(&l, "in/emptytree!no scans in this folder"));
	CHECK(!has(&l, "e1"));
	/* and the note in it is listed as no scan (issue 16) */
	CHECK(has(&l, "in/notes/readme.txt!a text file\n"));
	CHECK_INT_EQ(12 + have_dev, in.n);
	CHECK(checks_seen >= 4);	/* asked at each folder */
	ingest_inputs_release(&in);

	/* a folder given on its own that holds nothing */
	paths[0] = at("in/emptytree");
	CHECK_INT_EQ(SOHOA_OK, ingest_walk(ctx, paths, 1, NULL, NULL, &in));
	listing(&in, &l);
	CHECK_STR_EQ("in/emptytree!" "no scans in this folder (no TIFF, PNG,"
	    " JPEG, PNM or PDF file)\n", l.buf);
	ingest_inputs_release(&in);

	/* given paths: a broken link and a FIFO say what they are */
	paths[0] = at("in/dangling.tif");
	paths[1] = at("in/fifo.tif");
	CHECK_INT_EQ(SOHOA_OK, ingest_walk(ctx, paths, 2, NULL, NULL, &in));
	listing(&in, &l);
	CHECK_STR_EQ("in/dangling.tif!a broken link (its target 'gone.tif'"
	    " does not exist)\nin/fifo.tif!a FIFO (named pipe), not a file\n",
	    l.buf);
	ingest_inputs_release(&in);
	if (sock >= 0)
		close(sock);
	sohoa_buf_release(&l);
}

/* A wide folder: the caller's "stop" ends the walk early. */
static void
test_cancel(void)
{
	struct inputs in = { NULL, 0, 0 };
	const char *paths[1];
	char name[64];
	int i, rc;

	mkdir(at("wide"), 0755);
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "wide/p%04d.tif", i);
		touch(name);
	}
	paths[0] = at("wide");
	checks_seen = 0;
	rc = ingest_walk(ctx, paths, 1, stop_soon, NULL, &in);
	CHECK_INT_EQ(SOHOA_ERR_CANCELLED, rc);
	CHECK(strstr(sohoa_errmsg(ctx), "interrupted") != NULL);
	CHECK(in.n < 3000);
	ingest_inputs_release(&in);
	CHECK_INT_EQ(SOHOA_OK, ingest_walk(ctx, paths, 1, NULL, NULL, &in));
	CHECK_INT_EQ(3000, in.n);
	ingest_inputs_release(&in);
}

int
main(void)
{
	char cmd[600];

	signal(SIGALRM, on_alarm);
	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(dir) == NULL)
		return 1;
	test_tree();
	test_cancel();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_bug_0014_walk_links");
}
