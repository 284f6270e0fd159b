/*
 * sohoa cluster: a province's backlog on a Slurm cluster.  'submit'
 * writes the job scripts (cluster/slurm.c) and submits the shards as a
 * job array and the merge after them; 'submit --resume' submits again
 * the shards that stopped; 'status' shows how far each shard is.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sohoa/cluster.h"
#include "sohoa/fields.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

int cmd_cluster(int argc, char **argv, struct cli *cli);

enum { OPT_SHARDS = CLI_OPT_LONG, OPT_PARTITION, OPT_WORK, OPT_RESUME,
	OPT_WRITE_ONLY, OPT_JSON, OPT_DOCTYPES };

static const struct cli_opt options[] = {
	{ "shards", OPT_SHARDS, "N", "submit: how many shards (job array tasks)" },
	{ "partition", OPT_PARTITION, "P", "submit: the Slurm partition" },
	{ "work", OPT_WORK, "DIR", "the run's folder: job scripts, shard\n"
	    "archives, logs (default: the archive's path +\n"
	    "'.cluster'); on storage every node sees" },
	{ "resume", OPT_RESUME, NULL, "submit: submit again, alone, the shards\n"
	    "that failed or stopped, and the merge after them" },
	{ "doctypes", OPT_DOCTYPES, "DIR", "submit: the document type rules every\n"
	    "shard ingests and the merge reads with\n"
	    "(default: the nodes' $SOHOA_DOCTYPES or\n"
	    "built-in ones)" },
	{ "write-only", OPT_WRITE_ONLY, NULL, "submit: write the job scripts,\n"
	    "submit nothing (to submit by hand with sbatch)" },
	{ "json", OPT_JSON, NULL, "status: print it as JSON on stdout" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"submit [--archive DIR] --shards N [--partition P]\n"
	"                     [--work DIR] [--doctypes DIR] [--write-only]\n"
	"                     [-- SBATCH_OPTION...] PATH...\n"
	"       sohoa cluster submit [--archive DIR] [--work DIR] --resume\n"
	"       sohoa cluster status [--archive DIR] [--work DIR] [--json]",
	"Ingest a backlog too big for one machine on a Slurm cluster, into one\n"
	"archive (DIR, the province's).  'submit' writes two job scripts in the\n"
	"run's folder and submits them with sbatch: ingest.sbatch, a job array\n"
	"of N tasks where task K runs 'sohoa ingest --shard K/N --jobs\n"
	"$SLURM_CPUS_PER_TASK PATH...' into its own shard archive, and\n"
	"merge.sbatch, 'sohoa merge --archive DIR' of all the shards, with\n"
	"--dependency=afterok on the array.  The archive then holds what one\n"
	"'sohoa ingest PATH...' would have made.  The scripts are plain bash and\n"
	"can be submitted by hand (--write-only).  SBATCH_OPTIONs (after '--',\n"
	"each as --name=value) go into both scripts: --cpus-per-task=8,\n"
	"--time=12:00:00, --account=...  PATHs are read from the folder submit\n"
	"runs in, so they and the run's folder must be on storage every node\n"
	"sees, at the same place.\n"
	"\n"
	"'status' shows each shard's pages stored of its total, its failed\n"
	"pages and files, and its task's state, from the shard archives and\n"
	"'scontrol show job'; then the merge's.  A shard whose task failed or\n"
	"was killed (a node died) is submitted again, alone, by 'submit\n"
	"--resume': it goes on from the pages it stored, and a new merge waits\n"
	"for it.  A shard archive is only ever written by one task: a second\n"
	"one is refused by the archive's lock.\n",
	options,
	"Exit status: 0 done, 1 failed (Slurm refused a job, a folder cannot be\n"
	"written), 2 usage.\n",
};

struct args {
	int shards, resume, write_only, json;
	const char *partition, *work, *doctypes;
	const char **sbatch, **paths;
	size_t nsbatch, npaths;
};

static const char *
state_word(const struct sohoa_cluster_shard *sh)
{
	if (sh->exists && sh->info.complete)
		return "done";
	if (sh->state == SOHOA_TASK_PENDING || sh->state == SOHOA_TASK_RUNNING)
		return sohoa_task_state_name(sh->state);
	if (sh->state == SOHOA_TASK_FAILED)
		return "failed";
	return sh->exists ? "stopped" : "not started";
}

/* A shard that 'submit --resume' submits again. */
static int
needs_run(const struct sohoa_cluster_shard *sh)
{
	return !(sh->exists && sh->info.complete) &&
	    sh->state != SOHOA_TASK_PENDING && sh->state != SOHOA_TASK_RUNNING;
}

static void
status_json(struct sohoa_cluster *c, const struct sohoa_cluster_status *s,
    struct sohoa_buf *out)
{
	struct sohoa_json j;
	int k;

	sohoa_json_init(&j, out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "work");
	sohoa_json_str(&j, sohoa_cluster_work(c));
	sohoa_json_key(&j, "archive");
	sohoa_json_str(&j, sohoa_cluster_archive(c));
	sohoa_json_key(&j, "shards");
	sohoa_json_arr_open(&j);
	for (k = 0; k < s->nshards; k++) {
		const struct sohoa_cluster_shard *sh = &s->shards[k];

		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "shard");
		sohoa_json_int(&j, k);
		sohoa_json_key(&j, "state");
		sohoa_json_str(&j, state_word(sh));
		sohoa_json_key(&j, "pages_done");
		sohoa_json_int(&j, sh->exists ? sh->info.pages_done : 0);
		sohoa_json_key(&j, "pages_total");
		if (sh->exists && sh->info.pages_total >= 0)
			sohoa_json_int(&j, sh->info.pages_total);
		else
			sohoa_json_null(&j);
		sohoa_json_key(&j, "pages_failed");
		sohoa_json_int(&j, sh->exists ? sh->info.pages_failed : 0);
		sohoa_json_key(&j, "files_failed");
		sohoa_json_int(&j, sh->exists ? sh->info.files_failed : 0);
		sohoa_json_key(&j, "job");
		sohoa_json_int(&j, sh->job);
		sohoa_json_key(&j, "slurm");
		sohoa_json_str(&j, sh->slurm_state);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_arr_close(&j);
	sohoa_json_key(&j, "merge");
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "job");
	sohoa_json_int(&j, s->merge_job);
	sohoa_json_key(&j, "state");
	sohoa_json_str(&j, sohoa_task_state_name(s->merge_state));
	sohoa_json_key(&j, "slurm");
	sohoa_json_str(&j, s->merge_slurm);
	sohoa_json_key(&j, "reason");
	sohoa_json_str(&j, s->merge_reason);
	sohoa_json_obj_close(&j);
	sohoa_json_obj_close(&j);
}

static void
status_text(struct sohoa_cluster *c, const struct sohoa_cluster_status *s)
{
	char pages[48], failed[64], job[48];
	int k, nfailed = 0;

	printf("run '%s': %d shards into '%s'\n", cli_esc(sohoa_cluster_work(c)),
	    s->nshards, cli_esc(sohoa_cluster_archive(c)));
	printf("%-9s %-15s %-22s %-12s %s\n", "shard", "pages", "not read",
	    "job", "state");
	for (k = 0; k < s->nshards; k++) {
		const struct sohoa_cluster_shard *sh = &s->shards[k];
		const struct sohoa_shard_info *in = &sh->info;

		if (!sh->exists)
			snprintf(pages, sizeof(pages), "-");
		else if (in->pages_total < 0)
			snprintf(pages, sizeof(pages), "%d/?", in->pages_done);
		else
			snprintf(pages, sizeof(pages), "%d/%d", in->pages_done,
			    in->pages_total);
		if (sh->exists && (in->pages_failed || in->files_failed))
			snprintf(failed, sizeof(failed), "%d page%s, %d file%s",
			    in->pages_failed, in->pages_failed == 1 ? "" : "s",
			    in->files_failed, in->files_failed == 1 ? "" : "s");
		else
			snprintf(failed, sizeof(failed), "-");
		if (sh->job > 0)
			snprintf(job, sizeof(job), "%lld_%d", (long long)sh->job, k);
		else
			snprintf(job, sizeof(job), "-");
		printf("%d/%-7d %-15s %-22s %-12s %s%s%s%s\n", k, s->nshards, pages,
		    failed, job, state_word(sh), *sh->slurm_state ? " (" : "",
		    cli_esc(sh->slurm_state), *sh->slurm_state ? ")" : "");
		nfailed += needs_run(sh) && sh->exists;
	}
	if (s->merge_job > 0) {
		printf("merge: job %lld %s", (long long)s->merge_job,
		    sohoa_task_state_name(s->merge_state));
		if (*s->merge_slurm && *s->merge_reason &&
		    strcmp(s->merge_reason, "None") != 0)
			printf(" (%s, %s)", cli_esc(s->merge_slurm),
			    cli_esc(s->merge_reason));
		else if (*s->merge_slurm)
			printf(" (%s)", cli_esc(s->merge_slurm));
		printf("\n");
	}
	if (nfailed > 0)
		printf("%d shard%s stopped: 'sohoa cluster submit --resume' submits"
		    " %s again\n", nfailed, nfailed == 1 ? "" : "s",
		    nfailed == 1 ? "it" : "them");
	fflush(stdout);
}

static int
do_status(struct cli *cli, const struct args *a)
{
	struct sohoa_cluster *c = NULL;
	struct sohoa_cluster_status s;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int ret;

	memset(&s, 0, sizeof(s));
	if (sohoa_cluster_open(cli->ctx, cli->archive, a->work, &c) != SOHOA_OK ||
	    sohoa_cluster_status(c, &s) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	ret = EXIT_DONE;
	if (a->json) {
		status_json(c, &s, &out);
		ret = cli_print(&out);
	} else
		status_text(c, &s);
out:
	sohoa_cluster_status_release(&s);
	sohoa_cluster_close(&c);
	sohoa_buf_release(&out);
	return ret;
}

static void
submitted(struct cli *cli, struct sohoa_cluster *c, int64_t array,
    const char *which, int64_t merge)
{
	if (array > 0)
		cli_info(cli, "submitted %s as job %lld and the merge as job %lld"
		    " (it waits for every shard to succeed); follow them with"
		    " 'sohoa cluster status --archive %s'", which,
		    (long long)array, (long long)merge,
		    cli_esc(sohoa_cluster_archive(c)));
	else
		cli_info(cli, "every shard is done: submitted the merge as job"
		    " %lld", (long long)merge);
	printf("%lld %lld\n", (long long)array, (long long)merge);
	fflush(stdout);
}

static int
do_resume(struct cli *cli, const struct args *a)
{
	struct sohoa_cluster *c = NULL;
	struct sohoa_cluster_status s;
	struct sohoa_buf which = SOHOA_BUF_INIT, msg = SOHOA_BUF_INIT;
	int64_t array, merge;
	int *tasks = NULL, k, n = 0, ret = EXIT_FAILED;

	memset(&s, 0, sizeof(s));
	if (sohoa_cluster_open(cli->ctx, cli->archive, a->work, &c) != SOHOA_OK ||
	    sohoa_cluster_status(c, &s) != SOHOA_OK)
		goto fail;
	tasks = calloc((size_t)s.nshards, sizeof(*tasks));
	if (tasks == NULL) {
		cli_error("out of memory");
		goto out;
	}
	for (k = 0; k < s.nshards; k++)
		if (needs_run(&s.shards[k])) {
			tasks[n++] = k;
			sohoa_buf_addf(&which, "%s%d", n > 1 ? "," : "", k);
		}
	if (n == 0 && (s.merge_state == SOHOA_TASK_PENDING ||
	    s.merge_state == SOHOA_TASK_RUNNING ||
	    s.merge_state == SOHOA_TASK_DONE)) {
		cli_info(cli, "nothing to resume: every shard is done or on its"
		    " way, and the merge is %s",
		    sohoa_task_state_name(s.merge_state));
		ret = EXIT_DONE;
		goto out;
	}
	for (k = 0; k < s.nshards && n == 0; k++)
		if (!(s.shards[k].exists && s.shards[k].info.complete)) {
			/* shards still on their way: a new merge would wait */
			cli_error("shards are still pending or running and the"
			    " merge waits for them: nothing to resume");
			goto out;
		}
	if (sohoa_cluster_submit(c, tasks, (size_t)n, &array, &merge) !=
	    SOHOA_OK)
		goto fail;
	sohoa_buf_reset(&msg);
	sohoa_buf_addf(&msg, "shard%s %s", n == 1 ? "" : "s", which.buf);
	submitted(cli, c, array, msg.buf, merge);
	ret = EXIT_DONE;
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	free(tasks);
	sohoa_buf_release(&which);
	sohoa_buf_release(&msg);
	sohoa_cluster_status_release(&s);
	sohoa_cluster_close(&c);
	return ret;
}

static int
do_submit(struct cli *cli, const struct args *a)
{
	struct sohoa_cluster_opts o;
	struct sohoa_cluster *c = NULL;
	struct sohoa_cluster_status s;
	struct sohoa_doctypes *dt = NULL;
	struct stat st;
	char *self = NULL, *doctypes = NULL;
	int64_t array, merge;
	size_t i;
	int k, ret = EXIT_FAILED;

	memset(&s, 0, sizeof(s));
	if (a->shards <= 0)
		return cli_usage(cli, "say how many shards with --shards N");
	if (a->npaths == 0)
		return cli_usage(cli, "give the PATHs (files or folders) to"
		    " ingest");
	for (i = 0; i < a->npaths; i++)
		if (stat(a->paths[i], &st) != 0)
			return cli_usage(cli, "'%s' is not a file or folder here"
			    " (sbatch options after '--' take their value with"
			    " '=': --time=12:00:00)", cli_esc(a->paths[i]));
	/*
	 * Rules that do not load would fail every task: load them here once.
	 * The scripts name them by absolute path, as the merge does not run
	 * from the folder submit ran in.
	 */
	if (a->doctypes != NULL) {
		if (sohoa_doctypes_load(cli->ctx, a->doctypes, &dt) != SOHOA_OK)
			goto fail;
		sohoa_doctypes_destroy(&dt);
		if ((doctypes = realpath(a->doctypes, NULL)) == NULL) {
			cli_error("%s: %s", cli_esc(a->doctypes), strerror(errno));
			return EXIT_FAILED;
		}
	}
	/* the nodes run this same sohoa, from the same place */
	self = realpath("/proc/self/exe", NULL);
	memset(&o, 0, sizeof(o));
	o.archive = cli->archive;
	o.work = a->work;
	o.nshards = a->shards;
	o.partition = a->partition;
	o.sbatch = a->sbatch;
	o.nsbatch = a->nsbatch;
	o.paths = a->paths;
	o.npaths = a->npaths;
	o.sohoa = self != NULL ? self : "sohoa";
	o.doctypes = doctypes;
	if (sohoa_cluster_prepare(cli->ctx, &o, &c) != SOHOA_OK)
		goto fail;
	if (a->write_only) {
		printf("%s/ingest.sbatch\n%s/merge.sbatch\n",
		    cli_esc(sohoa_cluster_work(c)), cli_esc(sohoa_cluster_work(c)));
		fflush(stdout);
		cli_info(cli, "submit them with: sbatch ingest.sbatch, then"
		    " sbatch --dependency=afterok:JOBID merge.sbatch");
		ret = EXIT_DONE;
		goto out;
	}
	/* a run already under way would have two tasks per shard */
	if (sohoa_cluster_status(c, &s) != SOHOA_OK)
		goto fail;
	for (k = 0; k < s.nshards; k++)
		if (s.shards[k].state == SOHOA_TASK_PENDING ||
		    s.shards[k].state == SOHOA_TASK_RUNNING) {
			cli_error("the run in '%s' is under way (shard %d is %s):"
			    " see 'sohoa cluster status'",
			    sohoa_cluster_work(c), k,
			    sohoa_task_state_name(s.shards[k].state));
			goto out;
		}
	if (sohoa_cluster_submit(c, NULL, 0, &array, &merge) != SOHOA_OK)
		goto fail;
	submitted(cli, c, array, "the shards", merge);
	ret = EXIT_DONE;
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_cluster_status_release(&s);
	sohoa_cluster_close(&c);
	free(self);
	free(doctypes);
	return ret;
}

int
cmd_cluster(int argc, char **argv, struct cli *cli)
{
	struct cli_parser p;
	struct args a;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int c, i, ret, is_submit;

	memset(&a, 0, sizeof(a));
	is_submit = sub != NULL && strcmp(sub, "submit") == 0;
	if (sub == NULL || (!is_submit && strcmp(sub, "status") != 0)) {
		/* --help, or not a subcommand */
		cli_parse_init(&p, cli, &help, argc, argv);
		while ((c = cli_parse(&p)) != CLI_OPT_END)
			return p.status;
		return cli_usage(cli, sub == NULL ? "say what: submit or status" :
		    "'%s' is not 'submit' or 'status'", cli_esc(sub));
	}
	cli_parse_init(&p, cli, &help, argc - 1, argv + 1);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_SHARDS:
			if ((ret = cli_opt_int(&p, 1, 100000, &a.shards)) != 0)
				return ret;
			break;
		case OPT_PARTITION:
			a.partition = p.arg;
			break;
		case OPT_WORK:
			a.work = p.arg;
			break;
		case OPT_RESUME:
			a.resume = 1;
			break;
		case OPT_WRITE_ONLY:
			a.write_only = 1;
			break;
		case OPT_DOCTYPES:
			a.doctypes = p.arg;
			break;
		case OPT_JSON:
			a.json = 1;
			break;
		default:
			return p.status;
		}
	}
	if (!is_submit) {
		if (a.shards || a.partition || a.resume || a.write_only ||
		    a.doctypes)
			return cli_usage(cli, "status takes --work and --json");
		if (cli_operands(&p, 0, 0, NULL) != 0)
			return EXIT_USAGE;
		return do_status(cli, &a);
	}
	if (a.json)
		return cli_usage(cli, "--json is for status");
	if (a.resume) {
		if (a.shards || a.partition || a.write_only || a.doctypes ||
		    p.argc > 0)
			return cli_usage(cli, "--resume takes the run as it was"
			    " submitted: only --archive and --work");
		return do_resume(cli, &a);
	}
	/* operands: '-' ones came after '--' and are sbatch's, then PATHs */
	a.sbatch = calloc((size_t)p.argc + 1, sizeof(*a.sbatch));
	a.paths = calloc((size_t)p.argc + 1, sizeof(*a.paths));
	if (a.sbatch == NULL || a.paths == NULL) {
		free(a.sbatch);
		free(a.paths);
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	for (i = 0; i < p.argc; i++) {
		if (p.argv[i][0] == '-')
			a.sbatch[a.nsbatch++] = p.argv[i];
		else
			a.paths[a.npaths++] = p.argv[i];
	}
	ret = do_submit(cli, &a);
	free(a.sbatch);
	free(a.paths);
	return ret;
}
