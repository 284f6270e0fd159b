/*
 * Shard archives merged into one archive (sohoa merge --archive PROVINCE
 * SHARD...).  First every shard is locked, so that no ingest writes it
 * meanwhile, and checked: a finished shard of the same run as the others
 * (same N, same walk of the input), SQLite's integrity and foreign keys,
 * its search index, and every blob its rows name read back against its
 * SHA-256.  One refused shard stops the merge before anything is written.
 * Then the shards' files are merged in the order of the input's walk, in
 * one transaction, each as its shard's ingest stored it
 * (sohoa_shard_merge_file): documents get the ids and the numbers in
 * their dossiers that one 'sohoa ingest' of the whole input would have
 * given them, a copy of a scan met earlier in the walk is skipped as
 * ingest skips it, and a second merge of the same shards changes nothing.
 *
 *   sohoa_cluster_merge
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/bundle.h"
#include "sohoa/cluster.h"
#include "sohoa/fields.h"
#include "sohoa/records.h"

struct shard {
	const char *dir;
	struct sohoa_archive *a;
	struct sohoa_shard_info info;
	struct sohoa_buf source;	/* "shard:K/N" */
	struct sohoa_shard_merge m;
};

struct merge {
	struct sohoa_archive *a;
	struct sohoa_ctx *ctx;
	const struct sohoa_merge_opts *opts;
	struct shard *v;
	size_t n;
	size_t total;
	struct sohoa_doctypes *dt;	/* for fields read again */
};

static int
progress(struct merge *mg, const char *shard, size_t done)
{
	struct sohoa_merge_progress p;

	if (mg->opts == NULL || mg->opts->progress == NULL)
		return SOHOA_OK;
	p.shard = shard;
	p.done = done;
	p.total = mg->total;
	if (mg->opts->progress(mg->opts->arg, &p) != 0)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_CANCELLED, "merge"
		    " interrupted: nothing was merged");
	return SOHOA_OK;
}

/* ---- checks ------------------------------------------------------------ */

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

struct blobs {
	char **v;
	size_t n, alloc;
	struct sohoa_ctx *ctx;
};

static int
list_blob(void *arg, const struct sohoa_blob_ref *ref)
{
	struct blobs *b = arg;
	char **v;

	if (ref->sha256 == NULL)
		return 0;	/* a document without its PDF: the db check's */
	if (b->n == b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 1024;
		v = realloc(b->v, b->alloc * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		b->v = v;
	}
	if ((b->v[b->n] = strdup(ref->sha256)) == NULL)
		return SOHOA_ERR_NOMEM;
	b->n++;
	return 0;
}

/* Every blob the shard's rows name, read back against its SHA-256. */
static int
check_blobs(struct merge *mg, struct shard *s)
{
	struct blobs b;
	size_t i;
	int rc, state;

	memset(&b, 0, sizeof(b));
	rc = sohoa_archive_blob_list(s->a, list_blob, &b);
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(mg->ctx, rc, "out of memory");
	if (rc == SOHOA_OK && b.n > 0)
		qsort(b.v, b.n, sizeof(*b.v), cmp_str);
	for (i = 0; rc == SOHOA_OK && i < b.n; i++) {
		if (i > 0 && strcmp(b.v[i], b.v[i - 1]) == 0)
			continue;
		rc = sohoa_store_verify(s->a, b.v[i], &state);
		if (rc == SOHOA_OK && state != SOHOA_BLOB_OK)
			rc = sohoa_set_error(mg->ctx, SOHOA_ERR_INVALID, "shard"
			    " '%s' is damaged: blob %s is %s (restore it with"
			    " 'sohoa check --repair --archive %s --from SCANS',"
			    " or ingest the shard again into a new archive)",
			    s->dir, b.v[i], state == SOHOA_BLOB_MISSING ?
			    "missing" : "damaged (its content has another"
			    " SHA-256)", s->dir);
	}
	for (i = 0; i < b.n; i++)
		free(b.v[i]);
	free(b.v);
	return rc;
}

static int
check_db(struct merge *mg, struct shard *s)
{
	struct sohoa_db_check r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = sohoa_archive_check_db(s->a, 0, &r);
	if (rc != SOHOA_OK)
		return rc;
	if (strcmp(r.integrity, "ok") != 0)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_INVALID, "shard '%s'"
		    " is damaged: its database fails SQLite's integrity check"
		    " (%s)", s->dir, r.integrity);
	if (r.foreign_keys > 0)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_INVALID, "shard '%s'"
		    " is damaged: %d rows refer to rows that do not exist",
		    s->dir, r.foreign_keys);
	if (!r.fts_ok || r.fts_missing > 0 || r.fts_stale > 0)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_INVALID, "shard '%s'"
		    " is damaged: its search index does not match its documents"
		    " (run 'sohoa check --repair --archive %s')", s->dir, s->dir);
	return SOHOA_OK;
}

/*
 * A document whose pages the merge put together otherwise than its
 * shard did (a skipped copy's pages went on it there, or it took the
 * pages that went on a copy's document): its fields read again from
 * all its pages and its PDF made, as ingest does.
 */
static int
remake(void *arg, struct sohoa_archive *a, int64_t doc)
{
	struct merge *mg = arg;
	int rc;

	rc = sohoa_records_read_fields(a, mg->dt, doc);
	if (rc == SOHOA_OK)
		rc = sohoa_records_pdf(a, doc, NULL, 0, NULL);
	return rc;
}

/* Open, lock and check shard I against the first one. */
static int
open_shard(struct merge *mg, size_t i)
{
	struct shard *s = &mg->v[i], *first = &mg->v[0];
	struct sohoa_shard_info *in = &s->info;
	size_t k;
	int rc;

	rc = progress(mg, s->dir, 0);
	if (rc == SOHOA_OK)
		/* writable: FTS5's integrity check is an INSERT (it writes
		 * nothing); the lock below keeps ingests out meanwhile */
		rc = sohoa_archive_open(mg->ctx, s->dir, 0, &s->a);
	if (rc == SOHOA_OK && strcmp(sohoa_archive_dir(mg->a), s->dir) == 0)
		rc = sohoa_set_error(mg->ctx, SOHOA_ERR_INPUT, "'%s' is the"
		    " archive merged into, not a shard", s->dir);
	if (rc != SOHOA_OK)
		return rc;
	/* no ingest may write it while it is merged */
	rc = sohoa_archive_lock(s->a);
	if (rc == SOHOA_ERR_BUSY)
		return sohoa_wrap_error(mg->ctx, "shard '%s' is being written: ",
		    s->dir);
	if (rc == SOHOA_OK)
		rc = sohoa_shard_info(s->a, in);
	if (rc != SOHOA_OK)
		return rc;
	if (in->nshards == 0)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_INPUT, "'%s' is not a"
		    " shard archive (one made by 'sohoa ingest --shard K/N')",
		    s->dir);
	if (in->nshards != first->info.nshards ||
	    strcmp(in->digest, first->info.digest) != 0)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_INPUT, "shards '%s'"
		    " (%d/%d) and '%s' (%d/%d) are not of the same run: %s"
		    " (run every shard again with the same input; each skips"
		    " what it has)", first->dir, first->info.shard,
		    first->info.nshards, s->dir, in->shard, in->nshards,
		    in->nshards != first->info.nshards ? "another number of"
		    " shards" : "they did not see the same input");
	for (k = 0; k < i; k++)
		if (mg->v[k].info.shard == in->shard)
			return sohoa_set_error(mg->ctx, SOHOA_ERR_INPUT, "'%s'"
			    " and '%s' are both shard %d/%d", mg->v[k].dir,
			    s->dir, in->shard, in->nshards);
	if (!in->complete)
		return sohoa_set_error(mg->ctx, SOHOA_ERR_INPUT, "shard '%s'"
		    " (%d/%d) is not finished: %d of %s pages stored%s; run its"
		    " ingest again ('sohoa cluster submit --resume' resubmits"
		    " the shards that stopped)", s->dir, in->shard, in->nshards,
		    in->pages_done, in->pages_total < 0 ? "its" : "the",
		    in->files_pending > 0 ? ", a file half-done" : "");
	rc = check_db(mg, s);
	if (rc == SOHOA_OK)
		rc = check_blobs(mg, s);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_buf_addf(&s->source, "shard:%d/%d", in->shard, in->nshards);
	if (rc != SOHOA_OK)
		return sohoa_set_error(mg->ctx, rc, "out of memory");
	s->m.shard = s->a;
	s->m.source = s->source.buf;
	s->m.digest = in->digest;
	s->m.meta_check = sohoa_dossier_meta_check;
	s->m.remake = remake;
	s->m.remake_arg = mg;
	return SOHOA_OK;
}

/* ---- the merge ---------------------------------------------------------- */

static int
merge_progress(void *arg, size_t done, size_t total)
{
	struct merge *mg = arg;

	mg->total = total;
	return progress(mg, NULL, done) != SOHOA_OK;
}

static void
add_counts(struct sohoa_merge_result *res, const struct sohoa_shard_merge *m)
{
	res->files += m->files;
	res->copies += m->copies;
	res->documents += m->documents;
	res->updated += m->updated;
	res->pages += m->pages;
	res->events += m->events;
	res->conflicts += m->conflicts;
	res->failures += m->failures;
}

int
sohoa_cluster_merge(struct sohoa_archive *a, const char *const *shards,
    size_t nshards, const struct sohoa_merge_opts *opts,
    struct sohoa_merge_result *res)
{
	struct sohoa_shard_merge **ms = NULL;
	struct merge mg;
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&mg, 0, sizeof(mg));
	mg.a = a;
	mg.ctx = sohoa_archive_ctx(a);
	mg.opts = opts;
	if (nshards == 0)
		return sohoa_set_error(mg.ctx, SOHOA_ERR_INPUT, "no shard to"
		    " merge");
	mg.v = calloc(nshards, sizeof(*mg.v));
	if (mg.v == NULL)
		return sohoa_set_error(mg.ctx, SOHOA_ERR_NOMEM, "out of memory");
	mg.n = nshards;
	for (i = 0; i < nshards; i++) {
		mg.v[i].dir = shards[i];
		sohoa_buf_init(&mg.v[i].source);
	}
	rc = sohoa_archive_lock(a);
	if (rc == SOHOA_OK)
		rc = sohoa_doctypes_load(mg.ctx, opts != NULL ? opts->doctypes :
		    NULL, &mg.dt);
	for (i = 0; i < nshards && rc == SOHOA_OK; i++)
		rc = open_shard(&mg, i);
	if (rc == SOHOA_OK) {
		ms = calloc(nshards, sizeof(*ms));
		if (ms == NULL)
			rc = sohoa_set_error(mg.ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	}
	for (i = 0; i < nshards && rc == SOHOA_OK; i++)
		ms[i] = &mg.v[i].m;
	if (rc == SOHOA_OK) {
		rc = sohoa_shard_merge(a, ms, nshards, merge_progress, &mg,
		    &res->changed);
	}
	for (i = 0; i < nshards && rc == SOHOA_OK; i++)
		add_counts(res, &mg.v[i].m);
	res->shards = rc == SOHOA_OK ? nshards : 0;
	for (i = 0; i < nshards; i++) {
		sohoa_archive_close(&mg.v[i].a);
		sohoa_buf_release(&mg.v[i].source);
	}
	free(mg.v);
	free(ms);
	sohoa_doctypes_destroy(&mg.dt);
	return rc;
}
