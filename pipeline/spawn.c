/*
 * Running an external program (poppler's pdftoppm and pdftotext) as a
 * separate process: GPL code stays outside the binary, and a hostile PDF
 * can only hurt a child that has a memory, CPU and output limit.
 *
 *   pipeline_tool_find    look a program up in $PATH
 *   pipeline_tool_run     run it, collect its output (capped)
 *
 * The child gets its own process group (a Ctrl-C at the terminal stops
 * sohoa cleanly; it must not kill the renderer of a page being finished),
 * /dev/null as stdin, and RLIMIT_AS / RLIMIT_CPU set right after it is
 * spawned (posix_spawn cannot set limits; prlimit on the new pid can).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sohoa/buf.h"
#include "pipeline_private.h"

extern char **environ;

int
pipeline_tool_find(const char *name, struct sohoa_buf *out)
{
	const char *path = getenv("PATH"), *p, *end;
	struct stat st;
	size_t len;

	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		sohoa_buf_reset(out);
		if (len > 0 && sohoa_buf_add(out, p, len) == SOHOA_OK &&
		    sohoa_buf_addf(out, "/%s", name) == SOHOA_OK &&
		    stat(out->buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out->buf, X_OK) == 0)
			return 1;
		if (end == NULL)
			break;
	}
	sohoa_buf_reset(out);
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Read what FD has into OUT: -1 at its end, 1 when OUT would pass CAP
 * bytes (with TRIM, what passes CAP is read and dropped instead).
 */
static int
drain(int fd, struct sohoa_buf *out, size_t cap, int trim)
{
	char buf[65536];
	ssize_t n;
	size_t take;

	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1;
	take = (size_t)n;
	if (out->len + take > cap) {
		if (!trim)
			return 1;
		take = cap > out->len ? cap - out->len : 0;
	}
	return sohoa_buf_add(out, buf, take) == SOHOA_OK ? 0 : 1;
}

int
pipeline_tool_run(struct sohoa_ctx *ctx, const char *const *argv,
    const struct pipeline_tool_limits *lim, struct sohoa_buf *out,
    struct sohoa_buf *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct pollfd pf[2];
	struct rlimit rl;
	int pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int status, rc = SOHOA_OK, over = 0, r, open_fds;
	double t0 = now(), left;
	pid_t pid = -1;

	if (pipe2(pout, O_CLOEXEC) != 0 || pipe2(perr, O_CLOEXEC) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot run '%s': %s",
		    argv[0], strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	{
		sigset_t def;

		sigemptyset(&def);
		sigaddset(&def, SIGPIPE);
		sigaddset(&def, SIGINT);
		sigaddset(&def, SIGTERM);
		posix_spawnattr_setsigdefault(&attr, &def);
	}
	r = posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pout[1]);
	close(perr[1]);
	pout[1] = perr[1] = -1;
	if (r != 0) {
		pid = -1;
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot run '%s': %s",
		    argv[0], strerror(r));
		goto out;
	}
	/*
	 * The limits apply from here: the child has barely started, and a
	 * decoder bomb takes longer than this to blow up.
	 */
	rl.rlim_cur = rl.rlim_max = lim->memory;
	prlimit(pid, RLIMIT_AS, &rl, NULL);
	rl.rlim_cur = rl.rlim_max = lim->cpu_seconds;
	prlimit(pid, RLIMIT_CPU, &rl, NULL);
	pf[0].fd = pout[0];
	pf[1].fd = perr[0];
	pf[0].events = pf[1].events = POLLIN;
	open_fds = 2;
	while (open_fds > 0 && !over) {
		left = lim->wall_seconds - (now() - t0);
		if (left <= 0) {
			over = 2;
			break;
		}
		r = poll(pf, 2, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR) {
			over = 3;
			break;
		}
		if (r <= 0)
			continue;
		if (pf[0].revents) {
			r = drain(pf[0].fd, out, lim->max_output, 0);
			if (r == 1)
				over = 1;
			else if (r < 0) {
				pf[0].fd = -1;
				open_fds--;
			}
		}
		if (pf[1].revents && pf[1].fd >= 0) {
			/* only the start of the complaint is kept */
			r = drain(pf[1].fd, err, 4096, 1);
			if (r < 0) {
				pf[1].fd = -1;
				open_fds--;
			}
		}
	}
	if (over)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (over == 1)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' wrote more "
		    "than %zu bytes", argv[0], lim->max_output);
	else if (over == 2)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' took more "
		    "than %d seconds", argv[0], lim->wall_seconds);
	else if (over)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read the output"
		    " of '%s': %s", argv[0], strerror(errno));
	else if (WIFSIGNALED(status))
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' was killed by"
		    " signal %d%s", argv[0], WTERMSIG(status),
		    WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGXCPU ||
		    WTERMSIG(status) == SIGSEGV ? " (over its memory or time "
		    "limit?)" : "");
	else if (WEXITSTATUS(status) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' failed (exit"
		    " status %d)", argv[0], WEXITSTATUS(status));
out:
	if (pout[0] >= 0)
		close(pout[0]);
	if (perr[0] >= 0)
		close(perr[0]);
	if (pout[1] >= 0)
		close(pout[1]);
	if (perr[1] >= 0)
		close(perr[1]);
	return rc;
}
