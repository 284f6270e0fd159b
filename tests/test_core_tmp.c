/*
 * Tests of the held temporary files and folders (core/tmp.c): a held one
 * survives a sweep, one whose holder was killed is removed by the next
 * sweep, a folder is removed with what it holds without following links
 * out of it, and names that only look alike are left alone.  Files
 * written whole: the old content stays until the commit, the new one
 * appears with its mode and nothing else is left beside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sohoa/sohoa.h"
#include "sohoa/tmp.h"
#include "check.h"

static char dir[] = "/tmp/sohoa-test-tmp-XXXXXX";
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

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Can another open file description lock PATH?  (It is not held.) */
static int
lockable(const char *path)
{
	int fd = open(path, O_RDONLY), ok;

	if (fd < 0)
		return -1;
	ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
	close(fd);
	return ok;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_file(void)
{
	struct sohoa_tmp t;
	char prefix[600];

	sohoa_tmp_init(&t);
	snprintf(prefix, sizeof(prefix), "%s/out.zip.tmp-", dir);
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_file(ctx, prefix, &t));
	CHECK(t.fd >= 0);
	CHECK_INT_EQ(strlen(prefix) + 6, t.path.len);
	CHECK(strncmp(t.path.buf, prefix, strlen(prefix)) == 0);
	CHECK(write(t.fd, "abc", 3) == 3);
	CHECK_INT_EQ(0, lockable(t.path.buf));
	/* held: the sweep leaves it */
	CHECK_INT_EQ(0, sohoa_tmp_sweep(dir, "out.zip.tmp-"));
	CHECK(exists(t.path.buf));
	/* let go (as after a rename): not held any more, so swept */
	snprintf(prefix, sizeof(prefix), "%s", t.path.buf);
	sohoa_tmp_release(&t);
	CHECK_INT_EQ(-1, t.fd);
	CHECK_INT_EQ(0, t.path.len);
	CHECK_INT_EQ(1, lockable(prefix));
	CHECK_INT_EQ(0, sohoa_tmp_sweep(dir, "other.zip.tmp-"));
	CHECK(exists(prefix));
	CHECK_INT_EQ(1, sohoa_tmp_sweep(dir, "out.zip.tmp-"));
	CHECK(!exists(prefix));
	/* removed on demand */
	snprintf(prefix, sizeof(prefix), "%s/out.zip.tmp-", dir);
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_file(ctx, prefix, &t));
	snprintf(prefix, sizeof(prefix), "%s", t.path.buf);
	sohoa_tmp_remove(&t);
	CHECK(!exists(prefix));
	/* a folder that cannot be written in: a clear error */
	snprintf(prefix, sizeof(prefix), "%s/no-such-folder/x-", dir);
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_tmp_file(ctx, prefix, &t));
	CHECK(strstr(sohoa_errmsg(ctx), "no-such-folder") != NULL);
	CHECK_INT_EQ(-1, t.fd);
}

static char *
slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = '\0';
	if (f != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* How many entries of DIR start with PREFIX. */
static int
count(const char *prefix)
{
	char cmd[700];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^%s'", dir, prefix);
	p = popen(cmd, "r");
	if (p != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

static void
test_commit(void)
{
	struct sohoa_tmp t;
	struct stat st;
	char doc[600];

	snprintf(doc, sizeof(doc), "%s", at("doc.pdf"));
	sohoa_tmp_init(&t);
	write_file(doc, "old");
	/* what a killed writer left (nobody holds it) goes first */
	write_file(at("doc.pdf.tmp-AbCdEf"), "half");
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_file_for(ctx, doc, &t));
	CHECK(!exists(at("doc.pdf.tmp-AbCdEf")));
	CHECK(strncmp(t.path.buf, at("doc.pdf.tmp-"),
	    strlen(at("doc.pdf.tmp-"))) == 0);
	CHECK(write(t.fd, "new", 3) == 3);
	/* until the commit the old file is what a reader sees */
	CHECK_STR_EQ("old", slurp(doc));
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_commit(ctx, &t, doc, 0640));
	CHECK_INT_EQ(-1, t.fd);
	CHECK_INT_EQ(0, t.path.len);
	CHECK_STR_EQ("new", slurp(doc));
	CHECK(stat(doc, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK_INT_EQ(0, count("doc.pdf.tmp-"));
	sohoa_tmp_remove(&t);		/* after a commit: nothing to do */
	CHECK(exists(doc));

	/* a commit that cannot rename leaves the file to remove */
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_file_for(ctx, doc, &t));
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_tmp_commit(ctx, &t,
	    at("no-such-folder/doc.pdf"), 0644));
	CHECK(strstr(sohoa_errmsg(ctx), "cannot rename") != NULL);
	CHECK_INT_EQ(1, count("doc.pdf.tmp-"));
	sohoa_tmp_remove(&t);
	CHECK_INT_EQ(0, count("doc.pdf.tmp-"));
	CHECK_STR_EQ("new", slurp(doc));

	/* bytes in memory, whole, with their mode */
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_write(ctx, at("key.pem"), "secret",
	    6, 0600));
	CHECK_STR_EQ("secret", slurp(at("key.pem")));
	CHECK(stat(at("key.pem"), &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_tmp_write(ctx,
	    at("no-such-folder/key.pem"), "x", 1, 0600));
	CHECK_INT_EQ(0, count("key.pem.tmp-"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_fsync_dir(ctx, dir));
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_fsync_dir(ctx, at("no-such-folder")));
	unlink(doc);
	unlink(at("key.pem"));
}

/*
 * A folder with files, a sub-folder, and links to a file and a folder
 * outside: removing it removes the links, never what they point to.
 */
static void
test_dir(void)
{
	struct sohoa_tmp t;
	char prefix[600], p[700];

	mkdir(at("outside"), 0700);
	write_file(at("outside/keep.txt"), "keep");
	sohoa_tmp_init(&t);
	snprintf(prefix, sizeof(prefix), "%s/sohoa-bundle-", dir);
	CHECK_INT_EQ(SOHOA_OK, sohoa_tmp_dir(ctx, prefix, &t));
	CHECK_INT_EQ(0, lockable(t.path.buf));
	snprintf(p, sizeof(p), "%s/pkg", t.path.buf);
	CHECK(mkdir(p, 0700) == 0);
	snprintf(p, sizeof(p), "%s/pkg/page.tif", t.path.buf);
	write_file(p, "scan");
	snprintf(p, sizeof(p), "%s/pkg/to-file", t.path.buf);
	CHECK(symlink(at("outside/keep.txt"), p) == 0);
	snprintf(p, sizeof(p), "%s/to-dir", t.path.buf);
	CHECK(symlink(at("outside"), p) == 0);
	snprintf(prefix, sizeof(prefix), "%s", t.path.buf);
	sohoa_tmp_remove(&t);
	CHECK(!exists(prefix));
	CHECK(exists(at("outside/keep.txt")));
}

/* A child makes a held folder, fills it and is killed: swept after. */
static void
test_killed(void)
{
	char prefix[600], made[700];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	snprintf(prefix, sizeof(prefix), "%s/sohoa-bundle-", dir);
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		struct sohoa_tmp t;
		char p[700];

		close(fds[0]);
		sohoa_tmp_init(&t);
		if (sohoa_tmp_dir(ctx, prefix, &t) != SOHOA_OK)
			_exit(1);
		snprintf(p, sizeof(p), "%s/scan.tif", t.path.buf);
		write_file(p, "citizen's scan");
		if (write(fds[1], t.path.buf, t.path.len + 1) < 0)
			_exit(1);
		pause();	/* until killed */
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], made, sizeof(made) - 1);
	close(fds[0]);
	CHECK(n > 0);
	made[n > 0 ? n : 0] = '\0';
	/* while the child lives, its folder is held */
	CHECK_INT_EQ(0, sohoa_tmp_sweep(dir, "sohoa-bundle-"));
	CHECK(exists(made));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status));
	CHECK(exists(made));
	/* an unrelated name of the same look but another length stays */
	mkdir(at("sohoa-bundle-1234567"), 0700);
	CHECK_INT_EQ(1, sohoa_tmp_sweep(dir, "sohoa-bundle-"));
	CHECK(!exists(made));
	CHECK(exists(at("sohoa-bundle-1234567")));
	rmdir(at("sohoa-bundle-1234567"));
	/* a link named like one is not followed nor removed */
	CHECK(symlink(at("outside"), at("sohoa-bundle-LINK00")) == 0);
	CHECK_INT_EQ(0, sohoa_tmp_sweep(dir, "sohoa-bundle-"));
	CHECK(exists(at("sohoa-bundle-LINK00")));
	CHECK(exists(at("outside/keep.txt")));
}

int
main(void)
{
	char cmd[600];

	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(dir) == NULL)
		return 1;
	test_file();
	test_dir();
	test_killed();
	test_commit();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_core_tmp");
}
