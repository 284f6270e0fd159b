/*
 * A province's backlog on a cluster: sharded ingest, the merge of shard
 * archives into one archive, and the Slurm jobs that run them.
 *
 *   sohoa_shard_record / _planned / _finished / _info      a shard archive's state
 *                                               (index/archive_shard.c)
 *   sohoa_shard_files / _merge                  shards' rows into an
 *                                               archive, in walk order
 *   sohoa_cluster_merge                         shards into one archive,
 *                                               verified (cluster/merge.c)
 *   sohoa_cluster_plan_* / _submit / _status    the Slurm side
 *                                               (cluster/slurm.c)
 *
 * A shard archive is an ordinary archive made by 'sohoa ingest --shard
 * K/N': its meta table says which shard it is and what the whole walk of
 * the input was (a digest), and its table shard_inputs gives each of its
 * files' place in that walk.  Merging replays the shards' files in that
 * order, so documents get the ids and numbers one machine would have
 * given them.
 */
#ifndef SOHOA_CLUSTER_H
#define SOHOA_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"

/* ---- shard archives (index/archive_shard.c) --------------------------- */

/* What a sharded ingest records once it has walked its input. */
struct sohoa_shard_walk {
	int shard, nshards;		/* K of N */
	const char *digest;		/* hex SHA-256 of the whole walk */
	size_t nwalk;			/* entries in the whole walk */
	const char *const *paths;	/* this shard's inputs, as found */
	const size_t *order;		/* their places in the whole walk */
	size_t n;
};

/*
 * Record W in shard archive A (one transaction): the shard, the walk's
 * digest, and each input's place.  A shard archive belongs to one shard:
 * another K/N is SOHOA_ERR_INPUT.
 */
int sohoa_shard_record(struct sohoa_archive *a, const struct sohoa_shard_walk *w);
/*
 * The run has planned its share: PAGES_TO_READ pages are left to read,
 * besides those stored.  'sohoa cluster status' counts on it.
 */
int sohoa_shard_planned(struct sohoa_archive *a, int pages_to_read);
/* The run went through its whole share (some files may have failed). */
int sohoa_shard_finished(struct sohoa_archive *a);

struct sohoa_shard_info {
	int shard, nshards;		/* nshards 0: not a shard archive */
	char digest[SOHOA_SHA256_HEX];	/* of the whole walk */
	int64_t nwalk;
	int inputs;			/* inputs of this shard in the walk */
	int pages_total;		/* -1 until a run has planned it */
	int pages_done;			/* stored, read or failed */
	int pages_failed;
	int files_failed;		/* could not be read at all */
	int files_pending;		/* started, documents not written */
	int complete;			/* planned, every page stored, every
					   file finished */
};

/* Fill INFO from archive A (a shard archive or not). */
int sohoa_shard_info(struct sohoa_archive *a, struct sohoa_shard_info *info);
/*
 * Fill INFO from the shard archive in DIR without taking part in its
 * database's locks and shared memory (SQLite's immutable=1), so that a
 * shard being written on another node of a network file system is read
 * without risk to it: the counts are those of its last checkpoint (exact
 * once the shard's ingest has ended), and a read that meets a checkpoint
 * half-written fails (try again).
 */
int sohoa_shard_peek(struct sohoa_ctx *ctx, const char *dir,
    struct sohoa_shard_info *info);

/* One file of a shard archive. */
struct sohoa_shard_file {
	const char *sha256;
	const char *path;	/* as the shard's walk found it */
	int64_t order;		/* place in the whole walk, -1 when unknown */
};

/* Call CB for each file of shard archive A, in walk order. */
int sohoa_shard_files(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_shard_file *f), void *arg);

/* Merging one shard's files into an archive, and what it did. */
struct sohoa_shard_merge {
	struct sohoa_archive *shard;	/* read from */
	const char *source;		/* the history's source: "shard:K/N" */
	const char *digest;		/* of the shard's walk, for the record */
	/* dossier metadata checks (sohoa_dossier_meta_check) */
	int (*meta_check)(struct sohoa_ctx *ctx, const char *key,
	    const char *value, struct sohoa_buf *pnorm);
	/*
	 * A document whose pages the merge put together otherwise than the
	 * shard did (a skipped copy's pages went on it there, or it took
	 * the pages that went on a skipped copy's document): read its fields
	 * again and make its PDF, as ingest does (NULL: left as is).
	 */
	int (*remake)(void *arg, struct sohoa_archive *a, int64_t doc);
	void *remake_arg;
	size_t files;			/* files new to the archive */
	size_t copies;			/* copies of a file met earlier: skipped */
	size_t documents;		/* documents added */
	size_t updated;			/* documents that took values */
	size_t pages;			/* pages added */
	size_t events;			/* history entries carried over */
	size_t conflicts;		/* values the archive kept */
	size_t failures;		/* unreadable inputs carried over */
};

/*
 * Merge the files of the shards M[0..N-1] (opened, locked and checked by
 * the caller) into archive A, in one transaction, in the order of the
 * whole walk of the input (ties, and files outside the walk, by path):
 * each file as its shard's ingest stored it, after what A holds (its file
 * row; its documents through sohoa_archive_import, matched by file and
 * first page, fields kept by who set them last, numbered at the end of
 * their dossiers; its pages and blobs, each checked against its hash;
 * the history of its documents), then what each shard could not read.
 * A copy of a file A has under another path is skipped, as ingest skips
 * it.  Documents that go on across files are made as ingest made them:
 * each file's part added, then merged into the document before (after
 * a skipped copy: the document the file before the copy ended with, as
 * in ingest).  After the last file, a document whose pages no shard
 * document has is given to the caller's remake.  PROGRESS (may be NULL)
 * is called with the files done of TOTAL; a non-zero return stops and
 * rolls back.  When something changed, one
 * event records the merge, and *pchanged is 1.  A second call with the
 * same shards changes nothing.
 */
int sohoa_shard_merge(struct sohoa_archive *a, struct sohoa_shard_merge *const *m,
    size_t n, int (*progress)(void *arg, size_t done, size_t total),
    void *arg, int *pchanged);

/* ---- the merge (cluster/merge.c) -------------------------------------- */

struct sohoa_merge_progress {
	const char *shard;	/* the shard being checked, or NULL */
	size_t done, total;	/* files merged of all shards' */
};

struct sohoa_merge_opts {
	/* progress on the calling thread; non-zero stops (nothing kept) */
	int (*progress)(void *arg, const struct sohoa_merge_progress *p);
	void *arg;
	const char *doctypes;	/* the shards' doctypes dir, NULL: default */
};

struct sohoa_merge_result {
	size_t shards;
	size_t files, copies, documents, updated, pages, events, conflicts,
	    failures;
	int changed;		/* 0 when the archive had it all already */
};

/*
 * Merge the shard archives SHARDS (folders) into archive A, in one
 * transaction: first each shard is locked (no ingest may write it
 * meanwhile), checked to be a finished shard of the same run as the
 * others (same N, same walk of the input), and verified (SQLite's
 * integrity and foreign keys, the search index, and every blob it names
 * read back against its SHA-256); then all their files are merged in the
 * order of the input's walk, so that documents get the ids and numbers a
 * single 'sohoa ingest' of the same input would have given them.  Any
 * refused shard stops the merge before anything is written, with a
 * message naming it.  Merging the same shards again changes nothing.
 */
int sohoa_cluster_merge(struct sohoa_archive *a, const char *const *shards,
    size_t nshards, const struct sohoa_merge_opts *opts,
    struct sohoa_merge_result *res);

/* ---- the Slurm side (cluster/slurm.c) ----------------------------------- */

/*
 * A cluster run lives in its own folder (the work folder, by default
 * PROVINCE.cluster next to the province archive): the job scripts
 * ingest.sbatch (one array task per shard) and merge.sbatch, the shard
 * archives shard-K-of-N/, the jobs' logs in logs/, and the file
 * 'submitted' with one line per submission.
 */
struct sohoa_cluster;

struct sohoa_cluster_opts {
	const char *archive;	/* the province archive (need not exist yet) */
	const char *work;	/* the run's folder; NULL: ARCHIVE.cluster */
	int nshards;
	const char *partition;	/* NULL: the cluster's default */
	const char *const *sbatch;	/* more sbatch options ("--time=8:00:00") */
	size_t nsbatch;
	const char *const *paths;	/* what to ingest, as given */
	size_t npaths;
	const char *sohoa;	/* the sohoa the nodes run (absolute path) */
	const char *doctypes;	/* NULL, or the rules' folder (absolute) */
};

/*
 * Write the job scripts of a new run (or the same run again) in the work
 * folder, created when missing.  A folder holding a run with another
 * number of shards is refused.  *pc is closed with sohoa_cluster_close.
 */
int sohoa_cluster_prepare(struct sohoa_ctx *ctx,
    const struct sohoa_cluster_opts *opts, struct sohoa_cluster **pc);
/* Open the run of ARCHIVE in WORK (NULL: ARCHIVE.cluster). */
int sohoa_cluster_open(struct sohoa_ctx *ctx, const char *archive,
    const char *work, struct sohoa_cluster **pc);
void sohoa_cluster_close(struct sohoa_cluster **pc);

/* The run's folder, number of shards and province archive (borrowed). */
const char *sohoa_cluster_work(const struct sohoa_cluster *c);
int sohoa_cluster_nshards(const struct sohoa_cluster *c);
const char *sohoa_cluster_archive(const struct sohoa_cluster *c);
/* The archive of shard K appended to OUT. */
int sohoa_cluster_shard_dir(const struct sohoa_cluster *c, int k,
    struct sohoa_buf *out);

/*
 * Submit the shards TASKS[0..N-1] (all when TASKS is NULL) as one job
 * array of ingest.sbatch, then merge.sbatch with --dependency=afterok on
 * it (with no shard to run: the merge alone), with 'sbatch --parsable';
 * a merge job of an earlier submission still pending is cancelled first
 * (scancel).  *parray (0 when no shard ran) and *pmerge get the job ids;
 * the submission is recorded in the run's folder.
 */
int sohoa_cluster_submit(struct sohoa_cluster *c, const int *tasks, size_t n,
    int64_t *parray, int64_t *pmerge);

enum sohoa_task_state {
	SOHOA_TASK_UNKNOWN = 0,	/* never submitted, or Slurm forgot it */
	SOHOA_TASK_PENDING,
	SOHOA_TASK_RUNNING,
	SOHOA_TASK_DONE,	/* COMPLETED */
	SOHOA_TASK_FAILED,	/* FAILED, CANCELLED, TIMEOUT, NODE_FAIL ... */
};

/* A shard as the archive and Slurm see it. */
struct sohoa_cluster_shard {
	int k;
	int exists;			/* its archive was made */
	struct sohoa_shard_info info;	/* when it exists */
	int64_t job;			/* its latest array job, 0 when none */
	int state;			/* enum sohoa_task_state */
	char slurm_state[32];		/* Slurm's word ("FAILED"), or "" */
};

struct sohoa_cluster_status {
	struct sohoa_cluster_shard *shards;	/* nshards of them */
	int nshards;
	int64_t merge_job;		/* the latest merge job, 0 when none */
	int merge_state;		/* enum sohoa_task_state */
	char merge_slurm[32];
	char merge_reason[64];		/* why it waits ("Dependency") */
};

/*
 * How far the run is: every shard's archive (read-only) and the states
 * Slurm gives its latest jobs ('scontrol show job'; a job Slurm no longer
 * knows is SOHOA_TASK_UNKNOWN).  Release S with _status_release.
 */
int sohoa_cluster_status(struct sohoa_cluster *c,
    struct sohoa_cluster_status *s);
void sohoa_cluster_status_release(struct sohoa_cluster_status *s);
/* "pending", "running", "done", "failed", "unknown" */
const char *sohoa_task_state_name(int state);

#endif
