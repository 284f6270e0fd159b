/*
 * A cluster run under Slurm: the job scripts (an array of shard ingests,
 * then the merge), their submission with sbatch, and how far the run is
 * from the shard archives and 'scontrol show job'.  Slurm's programs are
 * run as processes (posix_spawnp, no shell); the scripts are plain bash
 * that an administrator can read and submit by hand.
 *
 *   sohoa_cluster_prepare / _open / _close     a run's folder
 *   sohoa_cluster_submit                       sbatch the shards, the merge
 *   sohoa_cluster_status / _status_release     shards and jobs
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sohoa/archive.h"
#include "sohoa/cluster.h"
#include "sohoa/tmp.h"

extern char **environ;

/* The record of a run's submissions, in its folder. */
#define SUBMITTED "submitted"
/* Lines of that file: "submit AT array ID tasks SPEC merge ID". */
#define MAX_TASKS_SPEC 4096

struct submission {
	int64_t array, merge;
	char *tasks;		/* "0-2", "1,4" or "" (merge alone) */
};

struct sohoa_cluster {
	struct sohoa_ctx *ctx;
	char *work;		/* absolute */
	char *archive;		/* absolute */
	int nshards;
	int width;		/* digits of shard numbers in folder names */
	struct submission *subs;
	size_t nsubs;
	const struct sohoa_cluster_opts *opts;	/* prepare only */
};

/* ---- helpers ------------------------------------------------------------ */

static int
nomem(struct sohoa_ctx *ctx)
{
	return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
}

/* PATH made absolute without resolving it (it may not exist yet). */
static int
absolute(struct sohoa_ctx *ctx, const char *path, char **pout)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	char *cwd = NULL;
	size_t n;
	int rc = SOHOA_OK;

	*pout = NULL;
	if (path[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (cwd == NULL)
			return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot tell the"
			    " current folder: %s", strerror(errno));
		rc = sohoa_buf_addf(&b, "%s/", cwd);
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&b, path);
	free(cwd);
	/* no trailing slashes, and no "/./" */
	n = b.len;
	while (n > 1 && b.buf[n - 1] == '/')
		n--;
	if (rc == SOHOA_OK && n >= 2 && strcmp(b.buf + n - 2, "/.") == 0)
		n -= 2;
	if (rc == SOHOA_OK)
		*pout = strndup(b.buf, n);
	sohoa_buf_release(&b);
	if (rc != SOHOA_OK || *pout == NULL)
		return nomem(ctx);
	return SOHOA_OK;
}

/* S in single quotes for bash. */
static int
shell_quote(struct sohoa_buf *out, const char *s)
{
	int rc = sohoa_buf_addch(out, '\'');

	for (; rc == SOHOA_OK && *s; s++)
		rc = *s == '\'' ? sohoa_buf_adds(out, "'\\''") :
		    sohoa_buf_addch(out, *s);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addch(out, '\'');
	return rc;
}

/*
 * A path that goes on an #SBATCH line: sbatch splits those lines at
 * blanks and reads % as a pattern, so neither may be in it.
 */
static int
sbatch_safe(struct sohoa_ctx *ctx, const char *what, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == '%' || *p == '"' || *p == '\'' ||
		    *p == '\\' || *p == 0x7f)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "%s '%s' has"
			    " a blank, a quote or a %%, which an #SBATCH line of"
			    " the job script cannot hold (choose another)", what,
			    s);
	return SOHOA_OK;
}

static int
write_file(struct sohoa_ctx *ctx, const char *path, const struct sohoa_buf *b,
    int mode)
{
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	int fd = -1, rc = SOHOA_OK;

	if (sohoa_buf_addf(&tmp, "%s.tmp", path) != SOHOA_OK)
		return nomem(ctx);
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, b->buf, b->len) != (ssize_t)b->len ||
	    fsync(fd) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    path, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == SOHOA_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    path, strerror(errno));
	if (rc == SOHOA_OK && rename(tmp.buf, path) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    path, strerror(errno));
	if (rc != SOHOA_OK)
		unlink(tmp.buf);
	sohoa_buf_release(&tmp);
	return rc;
}

/*
 * Run ARGV (a program found in PATH), its standard output in OUT (may be
 * NULL), its standard error passed on unless QUIET.  *pstatus is its exit
 * status, -1 when a signal ended it.
 */
static int
run(struct sohoa_ctx *ctx, char *const argv[], struct sohoa_buf *out,
    int quiet, int *pstatus)
{
	posix_spawn_file_actions_t fa;
	char block[4096];
	ssize_t n;
	pid_t pid;
	int fd[2] = { -1, -1 }, st, err, rc = SOHOA_OK;

	*pstatus = -1;
	if (pipe(fd) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot run '%s': %s",
		    argv[0], strerror(errno));
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
		    O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (err != 0) {
		close(fd[0]);
		return sohoa_set_error(ctx, err == ENOENT ? SOHOA_ERR_NOTFOUND :
		    SOHOA_ERR_IO, "cannot run '%s': %s%s", argv[0], strerror(err),
		    err == ENOENT ? " (install Slurm's clients: apt-get install"
		    " slurm-client, and set SLURM_CONF if the cluster needs it)" :
		    "");
	}
	while ((n = read(fd[0], block, sizeof(block))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out != NULL && rc == SOHOA_OK)
			rc = sohoa_buf_add(out, block, (size_t)n);
	}
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot wait for"
			    " '%s': %s", argv[0], strerror(errno));
	if (WIFEXITED(st))
		*pstatus = WEXITSTATUS(st);
	return rc == SOHOA_OK ? SOHOA_OK : nomem(ctx);
}

/* ---- the run's folder --------------------------------------------------- */

const char *
sohoa_cluster_work(const struct sohoa_cluster *c)
{
	return c->work;
}

int
sohoa_cluster_nshards(const struct sohoa_cluster *c)
{
	return c->nshards;
}

const char *
sohoa_cluster_archive(const struct sohoa_cluster *c)
{
	return c->archive;
}

int
sohoa_cluster_shard_dir(const struct sohoa_cluster *c, int k,
    struct sohoa_buf *out)
{
	return sohoa_buf_addf(out, "%s/shard-%0*d-of-%0*d", c->work, c->width,
	    k, c->width, c->nshards);
}

static void
set_width(struct sohoa_cluster *c)
{
	int n;

	c->width = 1;
	for (n = c->nshards - 1; n >= 10; n /= 10)
		c->width++;
	if (c->width < 3)
		c->width = 3;
}

void
sohoa_cluster_close(struct sohoa_cluster **pc)
{
	struct sohoa_cluster *c;
	size_t i;

	if (pc == NULL || *pc == NULL)
		return;
	c = *pc;
	for (i = 0; i < c->nsubs; i++)
		free(c->subs[i].tasks);
	free(c->subs);
	free(c->work);
	free(c->archive);
	free(c);
	*pc = NULL;
}

static int
new_cluster(struct sohoa_ctx *ctx, const char *archive, const char *work,
    struct sohoa_cluster **pc)
{
	struct sohoa_cluster *c;
	struct sohoa_buf w = SOHOA_BUF_INIT;
	int rc;

	*pc = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return nomem(ctx);
	c->ctx = ctx;
	rc = absolute(ctx, archive, &c->archive);
	if (rc == SOHOA_OK && work == NULL) {
		if (sohoa_buf_addf(&w, "%s.cluster", c->archive) != SOHOA_OK)
			rc = nomem(ctx);
		work = w.buf;
	}
	if (rc == SOHOA_OK)
		rc = absolute(ctx, work, &c->work);
	sohoa_buf_release(&w);
	if (rc != SOHOA_OK) {
		sohoa_cluster_close(&c);
		return rc;
	}
	*pc = c;
	return SOHOA_OK;
}

/* Read WORK/submitted: the number of shards and the submissions. */
static int
read_submitted(struct sohoa_cluster *c, int *pfound)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct submission *v;
	char line[MAX_TASKS_SPEC + 256], at[64], tasks[MAX_TASKS_SPEC];
	long long array, merge;
	int n, rc = SOHOA_OK;
	FILE *f;

	*pfound = 0;
	if (sohoa_buf_addf(&path, "%s/" SUBMITTED, c->work) != SOHOA_OK)
		return nomem(c->ctx);
	f = fopen(path.buf, "r");
	if (f == NULL) {
		if (errno != ENOENT)
			rc = sohoa_set_error(c->ctx, SOHOA_ERR_IO, "cannot read"
			    " '%s': %s", path.buf, strerror(errno));
		sohoa_buf_release(&path);
		return rc;
	}
	*pfound = 1;
	while (rc == SOHOA_OK && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "shards %d", &n) == 1) {
			c->nshards = n;
			continue;
		}
		tasks[0] = '\0';
		if (sscanf(line, "submit %63s array %lld tasks %4095s merge %lld",
		    at, &array, tasks, &merge) != 4)
			continue;
		v = realloc(c->subs, (c->nsubs + 1) * sizeof(*v));
		if (v == NULL) {
			rc = nomem(c->ctx);
			break;
		}
		c->subs = v;
		v[c->nsubs].array = array;
		v[c->nsubs].merge = merge;
		v[c->nsubs].tasks = strdup(strcmp(tasks, "-") == 0 ? "" : tasks);
		if (v[c->nsubs].tasks == NULL)
			rc = nomem(c->ctx);
		else
			c->nsubs++;
	}
	fclose(f);
	if (rc == SOHOA_OK && c->nshards <= 0)
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_FORMAT, "'%s' does not"
		    " say how many shards the run has", path.buf);
	set_width(c);
	sohoa_buf_release(&path);
	return rc;
}

int
sohoa_cluster_open(struct sohoa_ctx *ctx, const char *archive,
    const char *work, struct sohoa_cluster **pc)
{
	struct sohoa_cluster *c = NULL;
	int rc, found;

	*pc = NULL;
	rc = new_cluster(ctx, archive, work, &c);
	if (rc == SOHOA_OK)
		rc = read_submitted(c, &found);
	if (rc == SOHOA_OK && !found)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "no cluster run in"
		    " '%s' (start one with 'sohoa cluster submit', or give its"
		    " folder with --work)", c->work);
	if (rc != SOHOA_OK) {
		sohoa_cluster_close(&c);
		return rc;
	}
	*pc = c;
	return SOHOA_OK;
}

/* The lines every script starts its #SBATCH part with, after the name. */
static int
sbatch_lines(struct sohoa_cluster *c, struct sohoa_buf *b, const char *name,
    const char *log)
{
	const struct sohoa_cluster_opts *o = c->opts;
	size_t i;
	int rc;

	rc = sohoa_buf_addf(b, "#SBATCH --job-name=%s\n"
	    "#SBATCH --output=%s/logs/%s\n", name, c->work, log);
	if (rc == SOHOA_OK && o->partition != NULL)
		rc = sohoa_buf_addf(b, "#SBATCH --partition=%s\n", o->partition);
	for (i = 0; rc == SOHOA_OK && i < o->nsbatch; i++)
		rc = sohoa_buf_addf(b, "#SBATCH %s\n", o->sbatch[i]);
	return rc;
}

/* The variables both scripts set, and the shard archives' names. */
static int
common_vars(struct sohoa_cluster *c, struct sohoa_buf *b)
{
	int rc;

	rc = sohoa_buf_adds(b, "set -eu\nsohoa=");
	if (rc == SOHOA_OK)
		rc = shell_quote(b, c->opts->sohoa);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(b, "\nwork=");
	if (rc == SOHOA_OK)
		rc = shell_quote(b, c->work);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(b, "\nn=%d\n"
		    "shard_dir() { printf '%%s/shard-%%0%dd-of-%%0%dd' \"$work\""
		    " \"$1\" \"$n\"; }\n", c->nshards, c->width, c->width);
	return rc;
}

/* The rules both steps read with, when submit was given them. */
static int
doctypes_arg(struct sohoa_cluster *c, struct sohoa_buf *b)
{
	int rc;

	if (c->opts->doctypes == NULL)
		return SOHOA_OK;
	rc = sohoa_buf_adds(b, " --doctypes ");
	if (rc == SOHOA_OK)
		rc = shell_quote(b, c->opts->doctypes);
	return rc;
}

static int
ingest_script(struct sohoa_cluster *c, const char *now, struct sohoa_buf *b)
{
	const struct sohoa_cluster_opts *o = c->opts;
	struct sohoa_buf cwd = SOHOA_BUF_INIT;
	char *here;
	size_t i;
	int rc;

	rc = sohoa_buf_addf(b, "#!/bin/bash\n"
	    "# The ingest of a backlog in %d shards, one task of a Slurm job\n"
	    "# array per shard; written by 'sohoa cluster submit' (%s).\n"
	    "# Task K reads the scans whose path below the folder given hashes\n"
	    "# to K (of %d) into its own archive, shard-K-of-N in this folder;\n"
	    "# running a task again resumes it.  By hand:\n"
	    "#   sbatch ingest.sbatch                 every shard\n"
	    "#   sbatch --array=4,7 ingest.sbatch     shards 4 and 7 again\n"
	    "#   sbatch --dependency=afterok:JOBID merge.sbatch   then the merge\n",
	    c->nshards, now, c->nshards);
	if (rc == SOHOA_OK)
		rc = sbatch_lines(c, b, "sohoa-ingest", "ingest-%A-%a.out");
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(b, "#SBATCH --array=0-%d\n", c->nshards - 1);
	if (rc == SOHOA_OK)
		rc = common_vars(c, b);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(b, "k=${SLURM_ARRAY_TASK_ID:?run it as a job"
		    " array: sbatch --array=0-%d ingest.sbatch}\n", c->nshards - 1);
	/* the paths as given, from where they were given */
	here = getcwd(NULL, 0);
	if (here == NULL)
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_IO, "cannot tell the"
		    " current folder: %s", strerror(errno));
	else if (rc == SOHOA_OK)
		rc = shell_quote(&cwd, here);
	free(here);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(b, "cd -- %s\n"
		    "\"$sohoa\" init -q --archive \"$(shard_dir \"$k\")\"\n"
		    "exec \"$sohoa\" ingest -v --archive \"$(shard_dir \"$k\")\""
		    " --shard \"$k/$n\" \\\n"
		    "    --jobs \"${SLURM_CPUS_PER_TASK:-1}\"", cwd.buf);
	if (rc == SOHOA_OK)
		rc = doctypes_arg(c, b);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(b, " --");
	for (i = 0; rc == SOHOA_OK && i < o->npaths; i++) {
		rc = sohoa_buf_adds(b, " ");
		if (rc == SOHOA_OK)
			rc = shell_quote(b, o->paths[i]);
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addch(b, '\n');
	sohoa_buf_release(&cwd);
	return rc;
}

static int
merge_script(struct sohoa_cluster *c, const char *now, struct sohoa_buf *b)
{
	int rc;

	rc = sohoa_buf_addf(b, "#!/bin/bash\n"
	    "# The merge of the %d shards into the province archive, once\n"
	    "# every shard succeeded; written by 'sohoa cluster submit' (%s),\n"
	    "# which submits it with --dependency=afterok on the shards' job.\n"
	    "# By hand: sbatch --dependency=afterok:JOBID merge.sbatch\n",
	    c->nshards, now);
	if (rc == SOHOA_OK)
		rc = sbatch_lines(c, b, "sohoa-merge", "merge-%j.out");
	if (rc == SOHOA_OK)
		rc = common_vars(c, b);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(b, "shards=()\n"
		    "for ((k = 0; k < n; k++)); do shards+=(\"$(shard_dir \"$k\")\");"
		    " done\n"
		    "exec \"$sohoa\" merge --archive ");
	if (rc == SOHOA_OK)
		rc = shell_quote(b, c->archive);
	if (rc == SOHOA_OK)
		rc = doctypes_arg(c, b);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(b, " -- \"${shards[@]}\"\n");
	return rc;
}

int
sohoa_cluster_prepare(struct sohoa_ctx *ctx,
    const struct sohoa_cluster_opts *opts, struct sohoa_cluster **pc)
{
	struct sohoa_cluster *c = NULL;
	struct sohoa_buf b = SOHOA_BUF_INIT, path = SOHOA_BUF_INIT;
	struct sohoa_buf now = SOHOA_BUF_INIT;
	size_t i;
	int rc, found;

	*pc = NULL;
	if (opts->nshards < 1 || opts->nshards > 100000)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "%d shards: give 1 to"
		    " 100000", opts->nshards);
	for (i = 0; i < opts->nsbatch; i++)
		if (opts->sbatch[i][0] != '-' ||
		    sbatch_safe(ctx, "sbatch option", opts->sbatch[i]) != SOHOA_OK)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not an"
			    " sbatch option for the job scripts (give each as"
			    " --name=value, without blanks or quotes)",
			    opts->sbatch[i]);
	if (opts->partition != NULL && (rc = sbatch_safe(ctx, "partition",
	    opts->partition)) != SOHOA_OK)
		return rc;
	rc = new_cluster(ctx, opts->archive, opts->work, &c);
	if (rc == SOHOA_OK)
		rc = sbatch_safe(ctx, "the run's folder", c->work);
	if (rc == SOHOA_OK)
		rc = read_submitted(c, &found);
	if (rc == SOHOA_OK && found && c->nshards != opts->nshards)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' holds a run in %d"
		    " shards, not %d (resume it with 'sohoa cluster submit"
		    " --resume', or give another --work folder)", c->work,
		    c->nshards, opts->nshards);
	if (rc != SOHOA_OK)
		goto out;
	c->nshards = opts->nshards;
	set_width(c);
	c->opts = opts;
	rc = sohoa_mkdir(ctx, c->work, 0755);
	if (rc == SOHOA_OK && (rc = sohoa_buf_addf(&path, "%s/logs", c->work)) ==
	    SOHOA_OK)
		rc = sohoa_mkdir(ctx, path.buf, 0755);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_now(&now);
	if (rc == SOHOA_OK)
		rc = ingest_script(c, now.buf, &b);
	sohoa_buf_reset(&path);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&path, "%s/ingest.sbatch", c->work);
	if (rc == SOHOA_OK)
		rc = write_file(ctx, path.buf, &b, 0755);
	sohoa_buf_reset(&b);
	sohoa_buf_reset(&path);
	if (rc == SOHOA_OK)
		rc = merge_script(c, now.buf, &b);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&path, "%s/merge.sbatch", c->work);
	if (rc == SOHOA_OK)
		rc = write_file(ctx, path.buf, &b, 0755);
	if (rc == SOHOA_OK && !found) {
		sohoa_buf_reset(&b);
		sohoa_buf_reset(&path);
		rc = sohoa_buf_addf(&b, "# sohoa cluster: the submissions of this"
		    " run, one per line\nshards %d\narchive %s\n", c->nshards,
		    c->archive);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addf(&path, "%s/" SUBMITTED, c->work);
		if (rc == SOHOA_OK)
			rc = write_file(ctx, path.buf, &b, 0644);
	}
	if (rc == SOHOA_ERR_NOMEM)
		nomem(ctx);
out:
	c->opts = NULL;
	sohoa_buf_release(&b);
	sohoa_buf_release(&path);
	sohoa_buf_release(&now);
	if (rc != SOHOA_OK) {
		sohoa_cluster_close(&c);
		return rc;
	}
	*pc = c;
	return SOHOA_OK;
}

/* ---- Slurm's view ------------------------------------------------------- */

/* Is task K in SPEC ("0-99%10", "1,4-6")? */
static int
spec_has(const char *spec, int k)
{
	const char *p = spec;
	char *end;
	long a, z;

	while (*p) {
		a = strtol(p, &end, 10);
		if (end == p)
			return 0;
		z = a;
		p = end;
		if (*p == '-') {
			z = strtol(p + 1, &end, 10);
			p = end;
		}
		if (*p == ':')		/* a step: 0-9:2 */
			while (*p && *p != ',' && *p != '%')
				p++;
		if (k >= a && k <= z)
			return 1;
		if (*p == '%')
			break;
		if (*p == ',')
			p++;
		else if (*p)
			return 0;
	}
	return 0;
}

static int
state_of(const char *word)
{
	static const char *const running[] = { "RUNNING", "CONFIGURING",
	    "COMPLETING", "SUSPENDED", "STAGE_OUT", "RESIZING", "SIGNALING" };
	size_t i;

	if (strcmp(word, "PENDING") == 0 || strcmp(word, "REQUEUED") == 0)
		return SOHOA_TASK_PENDING;
	for (i = 0; i < sizeof(running) / sizeof(running[0]); i++)
		if (strcmp(word, running[i]) == 0)
			return SOHOA_TASK_RUNNING;
	if (strcmp(word, "COMPLETED") == 0)
		return SOHOA_TASK_DONE;
	return *word ? SOHOA_TASK_FAILED : SOHOA_TASK_UNKNOWN;
}

const char *
sohoa_task_state_name(int state)
{
	switch (state) {
	case SOHOA_TASK_PENDING:
		return "pending";
	case SOHOA_TASK_RUNNING:
		return "running";
	case SOHOA_TASK_DONE:
		return "done";
	case SOHOA_TASK_FAILED:
		return "failed";
	default:
		return "unknown";
	}
}

/* The value of KEY= in a 'scontrol -o' line, copied into OUT. */
static void
field(const char *line, const char *key, char *out, size_t size)
{
	const char *p = line;
	size_t n = strlen(key), len;

	out[0] = '\0';
	for (;;) {
		p = strstr(p, key);
		if (p == NULL)
			return;
		if ((p == line || p[-1] == ' ') && p[n] == '=')
			break;
		p += n;
	}
	p += n + 1;
	len = strcspn(p, " \n");
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/*
 * Slurm's state of JOB's task K (K < 0: the job itself): its word in
 * SLURM (size 32) and REASON (size 64).  A job Slurm does not know (any
 * more) leaves SLURM empty.
 */
static int
job_state(struct sohoa_cluster *c, int64_t job, int k, char *slurm,
    char *reason)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	char id[32], task[MAX_TASKS_SPEC], *line, *next;
	char *argv[] = { (char *)"scontrol", (char *)"-o", (char *)"show",
	    (char *)"job", id, NULL };
	int rc, status;

	slurm[0] = reason[0] = '\0';
	if (job <= 0)
		return SOHOA_OK;
	snprintf(id, sizeof(id), "%lld", (long long)job);
	rc = run(c->ctx, argv, &out, 1, &status);
	if (rc != SOHOA_OK || status != 0) {
		sohoa_buf_release(&out);
		return rc;	/* not known (any more) */
	}
	for (line = out.buf; line != NULL && *line; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		field(line, "ArrayTaskId", task, sizeof(task));
		if (k >= 0 && !spec_has(task, k))
			continue;
		field(line, "JobState", slurm, 32);
		field(line, "Reason", reason, 64);
		break;
	}
	sohoa_buf_release(&out);
	return SOHOA_OK;
}

void
sohoa_cluster_status_release(struct sohoa_cluster_status *s)
{
	free(s->shards);
	memset(s, 0, sizeof(*s));
}

int
sohoa_cluster_status(struct sohoa_cluster *c, struct sohoa_cluster_status *s)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT, db = SOHOA_BUF_INIT;
	struct sohoa_archive *a = NULL;
	struct sohoa_cluster_shard *sh;
	struct stat st;
	char reason[64];
	size_t j;
	int i, k, rc = SOHOA_OK;

	memset(s, 0, sizeof(*s));
	s->shards = calloc((size_t)c->nshards, sizeof(*s->shards));
	if (s->shards == NULL)
		return nomem(c->ctx);
	s->nshards = c->nshards;
	for (k = 0; k < c->nshards && rc == SOHOA_OK; k++) {
		sh = &s->shards[k];
		sh->k = k;
		sohoa_buf_reset(&dir);
		sohoa_buf_reset(&db);
		if (sohoa_cluster_shard_dir(c, k, &dir) != SOHOA_OK ||
		    sohoa_buf_addf(&db, "%s/sohoa.db", dir.buf) != SOHOA_OK) {
			rc = nomem(c->ctx);
			break;
		}
		/* the latest submission that ran this shard */
		for (j = c->nsubs; j-- > 0 && rc == SOHOA_OK;)
			if (spec_has(c->subs[j].tasks, k)) {
				sh->job = c->subs[j].array;
				rc = job_state(c, sh->job, k, sh->slurm_state,
				    reason);
				sh->state = state_of(sh->slurm_state);
				break;
			}
		if (rc != SOHOA_OK || stat(db.buf, &st) != 0)
			continue;
		sh->exists = 1;
		if (sh->state != SOHOA_TASK_RUNNING) {
			rc = sohoa_archive_open(c->ctx, dir.buf,
			    SOHOA_ARCHIVE_READONLY, &a);
			if (rc == SOHOA_OK)
				rc = sohoa_shard_info(a, &sh->info);
			sohoa_archive_close(&a);
			continue;
		}
		/*
		 * Being written, maybe on another node: read without taking
		 * part in its WAL (NFS has no coherent shared memory); a
		 * read that met a checkpoint half-written is tried again.
		 */
		for (i = 0; i < 3; i++) {
			rc = sohoa_shard_peek(c->ctx, dir.buf, &sh->info);
			if (rc == SOHOA_OK)
				break;
			usleep(200000);
		}
		if (rc != SOHOA_OK) {
			/* its counts stay unknown; the others are shown */
			sohoa_clear_error(c->ctx);
			memset(&sh->info, 0, sizeof(sh->info));
			sh->info.pages_total = -1;
			rc = SOHOA_OK;
		}
	}
	if (rc == SOHOA_OK && c->nsubs > 0) {
		s->merge_job = c->subs[c->nsubs - 1].merge;
		rc = job_state(c, s->merge_job, -1, s->merge_slurm,
		    s->merge_reason);
		s->merge_state = state_of(s->merge_slurm);
	}
	sohoa_buf_release(&dir);
	sohoa_buf_release(&db);
	if (rc != SOHOA_OK)
		sohoa_cluster_status_release(s);
	return rc;
}

/* ---- submitting --------------------------------------------------------- */

/* 'sbatch --parsable ARGS... SCRIPT': the job id in *pjob. */
static int
sbatch(struct sohoa_cluster *c, const char *opt1, const char *opt2,
    const char *script, int64_t *pjob)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, path = SOHOA_BUF_INIT;
	char *argv[6];
	int n = 0, rc, status;
	long long id;

	*pjob = 0;
	if (sohoa_buf_addf(&path, "%s/%s", c->work, script) != SOHOA_OK)
		return nomem(c->ctx);
	argv[n++] = (char *)"sbatch";
	argv[n++] = (char *)"--parsable";
	if (opt1 != NULL)
		argv[n++] = (char *)opt1;
	if (opt2 != NULL)
		argv[n++] = (char *)opt2;
	argv[n++] = path.buf;
	argv[n] = NULL;
	rc = run(c->ctx, argv, &out, 0, &status);
	/* "1234" or "1234;cluster" */
	if (rc == SOHOA_OK && (status != 0 || sscanf(out.buf, "%lld", &id) != 1))
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_IO, "sbatch did not"
		    " take '%s' (exit status %d; its message is above)",
		    path.buf, status);
	if (rc == SOHOA_OK)
		*pjob = id;
	sohoa_buf_release(&out);
	sohoa_buf_release(&path);
	return rc;
}

/* Append a submission to the run's record. */
static int
record(struct sohoa_cluster *c, int64_t array, const char *tasks,
    int64_t merge)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, line = SOHOA_BUF_INIT;
	struct sohoa_buf now = SOHOA_BUF_INIT;
	int fd, rc = SOHOA_OK;

	if (sohoa_buf_addf(&path, "%s/" SUBMITTED, c->work) != SOHOA_OK ||
	    sohoa_archive_now(&now) != SOHOA_OK) {
		rc = nomem(c->ctx);
		goto out;
	}
	if (sohoa_buf_addf(&line, "submit %s array %lld tasks %s merge %lld\n",
	    now.buf,
	    (long long)array, *tasks ? tasks : "-", (long long)merge) !=
	    SOHOA_OK) {
		rc = nomem(c->ctx);
		goto out;
	}
	fd = open(path.buf, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write(fd, line.buf, line.len) != (ssize_t)line.len ||
	    fsync(fd) != 0)
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_IO, "cannot record the"
		    " submission in '%s': %s", path.buf, strerror(errno));
	if (fd >= 0)
		close(fd);
out:
	sohoa_buf_release(&path);
	sohoa_buf_release(&line);
	sohoa_buf_release(&now);
	return rc;
}

int
sohoa_cluster_submit(struct sohoa_cluster *c, const int *tasks, size_t n,
    int64_t *parray, int64_t *pmerge)
{
	struct sohoa_buf spec = SOHOA_BUF_INIT, opt = SOHOA_BUF_INIT;
	char slurm[32], reason[64], id[32];
	char *cancel[] = { (char *)"scancel", id, NULL };
	int64_t old;
	size_t i;
	int rc = SOHOA_OK, status;

	*parray = *pmerge = 0;
	if (tasks == NULL)
		rc = sohoa_buf_addf(&spec, "0-%d", c->nshards - 1);
	for (i = 0; tasks != NULL && i < n && rc == SOHOA_OK; i++)
		rc = sohoa_buf_addf(&spec, "%s%d", i ? "," : "", tasks[i]);
	if (rc != SOHOA_OK || spec.len >= MAX_TASKS_SPEC) {
		rc = rc != SOHOA_OK ? nomem(c->ctx) :
		    sohoa_set_error(c->ctx, SOHOA_ERR_INPUT, "too many shards to"
		    " resubmit at once (submit them by hand: sbatch --array=..."
		    " %s/ingest.sbatch)", c->work);
		goto out;
	}
	/* an earlier merge still waiting would wait forever: it goes */
	old = c->nsubs > 0 ? c->subs[c->nsubs - 1].merge : 0;
	if (old > 0) {
		rc = job_state(c, old, -1, slurm, reason);
		if (rc == SOHOA_OK && state_of(slurm) == SOHOA_TASK_PENDING) {
			snprintf(id, sizeof(id), "%lld", (long long)old);
			rc = run(c->ctx, cancel, NULL, 0, &status);
		}
	}
	if (rc == SOHOA_OK && (tasks == NULL || n > 0)) {
		rc = sohoa_buf_addf(&opt, "--array=%s", spec.buf);
		if (rc == SOHOA_OK)
			rc = sbatch(c, opt.buf, NULL, "ingest.sbatch", parray);
	}
	sohoa_buf_reset(&opt);
	if (rc == SOHOA_OK && *parray > 0)
		rc = sohoa_buf_addf(&opt, "--dependency=afterok:%lld",
		    (long long)*parray);
	if (rc == SOHOA_OK)
		rc = sbatch(c, *parray > 0 ? opt.buf : NULL, NULL,
		    "merge.sbatch", pmerge);
	/* what was submitted is recorded, even when the merge was refused */
	if (*parray > 0 || *pmerge > 0) {
		int rc2 = record(c, *parray, *parray > 0 ? spec.buf : "",
		    *pmerge);

		if (rc == SOHOA_OK)
			rc = rc2;
	}
out:
	sohoa_buf_release(&spec);
	sohoa_buf_release(&opt);
	return rc;
}
