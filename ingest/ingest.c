/*
 * Ingest: scan files in, pages OCR'd by worker threads, everything stored
 * in the archive by the calling (main) thread.
 *
 *   sohoa_ingest_run            the whole run
 *   sohoa_ingest_stats_release
 *   sohoa_ingest_dossier_for    default dossier of a file
 *
 * Threads: each worker owns a struct sohoa_engine, a context and the file
 * it is reading, and decodes and recognises its pages; the main thread
 * hands out page numbers, owns the archive (the only SQLite writer) and is
 * the only one to call the progress callback.  They share two queues.
 * Memory: at most one decoded page per worker, and at most jobs +
 * QUEUE_AHEAD pages in flight (results included), however long the file:
 * the main thread stores a result before it queues the next page when
 * that many are in flight.
 *
 * Crash safety: blobs are content-addressed and atomic; a page row is
 * written in its own statement once its blobs are in place; the documents
 * of a file, their fields, index rows and the file's done flag are written
 * in one transaction once all its pages are stored.  A killed run leaves
 * complete pages and files only, and the next run skips done files (by
 * SHA-256), skips stored pages and finishes the rest.  A document whose
 * PDF cannot be stored (a full disk) rolls that transaction back: the
 * file is a failure, stays not done, and the next run finishes it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

#include "sohoa/archive.h"
#include "sohoa/barcode.h"
#include "sohoa/cluster.h"
#include "sohoa/fields.h"
#include "sohoa/ingest.h"
#include "sohoa/pdf.h"
#include "sohoa/records.h"
#include "sohoa/pipeline.h"
#include "sohoa/utf8.h"
#include "ingest_private.h"
#include "queue.h"

/* Pages waiting for a worker, beyond one per worker. */
#define QUEUE_AHEAD 2

/* A file being ingested (main thread only). */
struct file {
	struct file *next;		/* in order of input */
	const char *path;		/* borrowed from the inputs */
	char sha256[SOHOA_SHA256_HEX];
	int64_t id;
	int npages;
	int pending;			/* pages in the workers */
	int queued_all;			/* every page read or queued */
	int failed;			/* a page failed */
	int stored_before;		/* done in an earlier run: only hands
					   on its last document (carry) */
	char **codes;			/* per page read in this run: its codes
					   (job->codes; "" for none); NULL for
					   pages an earlier run stored */
};

struct worker {
	pthread_t thread;
	int started;
	struct sohoa_ctx *ctx;
	struct sohoa_engine *eng;
	const struct sohoa_engine_opts *eopts;	/* shared, read-only */
	struct job *ready;			/* to report the engine is loaded */
	struct sohoa_image *img;		/* the file being read */
	const char *img_path;
	int pdf_text;				/* enum sohoa_pdf_text */
	struct queue *jobs, *results;
};

struct run {
	struct sohoa_archive *a;
	struct sohoa_ctx *ctx;
	const struct sohoa_ingest_opts *opts;
	struct sohoa_ingest_stats *stats;
	struct sohoa_doctypes *dt;
	struct queue jobs, results;
	struct worker *workers;
	struct sohoa_engine_opts eopts;
	int nworkers;
	int inflight;
	int files_total, pages_total, pages_done;
	int cancelled;
	struct file *head, *tail;	/* files with pages still to store */
	struct sohoa_ingest_carry *carry;	/* opts->carry or our own */
	struct timespec t0;
};

/* ---- what runs hand on, by folder ------------------------------------- */

struct folder_carry {
	char *folder;
	int64_t doc;		/* the document its last file ended with */
	int64_t page;		/* that file's last page, 0 when none */
	char *dossier;		/* its last dossier sheet's code, or NULL */
};

struct sohoa_ingest_carry {
	struct folder_carry *v;
	size_t n;
};

int
sohoa_ingest_carry_new(struct sohoa_ingest_carry **pcarry)
{
	*pcarry = calloc(1, sizeof(**pcarry));
	return *pcarry != NULL ? SOHOA_OK : SOHOA_ERR_NOMEM;
}

void
sohoa_ingest_carry_destroy(struct sohoa_ingest_carry **pcarry)
{
	size_t i;

	if (pcarry == NULL || *pcarry == NULL)
		return;
	for (i = 0; i < (*pcarry)->n; i++) {
		free((*pcarry)->v[i].folder);
		free((*pcarry)->v[i].dossier);
	}
	free((*pcarry)->v);
	free(*pcarry);
	*pcarry = NULL;
}

/* The state of the folder holding PATH, made when new; NULL: no memory. */
static struct folder_carry *
carry_folder(struct sohoa_ingest_carry *c, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash != NULL ? (size_t)(slash - path) : 0, i;
	struct folder_carry *v;

	for (i = 0; i < c->n; i++)
		if (strlen(c->v[i].folder) == len &&
		    strncmp(c->v[i].folder, path, len) == 0)
			return &c->v[i];
	v = realloc(c->v, (c->n + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	c->v = v;
	v = &c->v[c->n];
	memset(v, 0, sizeof(*v));
	v->folder = strndup(path, len);
	if (v->folder == NULL)
		return NULL;
	c->n++;
	return v;
}

static double
elapsed(const struct run *r)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - r->t0.tv_sec) +
	    (t.tv_nsec - r->t0.tv_nsec) / 1e9;
}

static int
emit(struct run *r, int type, const char *path, int pageno,
    const char *reason, const struct file *f, int ndocs)
{
	struct sohoa_ingest_event ev;

	if (r->opts->progress == NULL)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.path = path;
	ev.pageno = pageno;
	ev.reason = reason;
	ev.files_total = r->files_total;
	ev.pages_total = r->pages_total;
	ev.pages_done = r->pages_done;
	ev.pages_failed = r->stats->pages_failed;
	ev.seconds = elapsed(r);
	ev.file_pages = f ? f->npages : 0;
	ev.file_documents = ndocs;
	if (r->opts->progress(r->opts->arg, &ev) != 0)
		r->cancelled = 1;
	return r->cancelled;
}

/*
 * The reason alone: library messages often start "cannot read 'PATH'...: ",
 * and the failure line adds the path and page itself.
 */
static const char *
bare_reason(const char *path, const char *reason)
{
	const char *p, *colon;
	size_t n = strlen(path);

	if (reason == NULL || *reason == '\0')
		return "unknown error";
	if (strncmp(reason, "cannot ", 7) != 0)
		return reason;
	for (p = strchr(reason, '\''); p != NULL; p = strchr(p + 1, '\''))
		if (strncmp(p + 1, path, n) == 0 && p[n + 1] == '\'')
			break;
	if (p == NULL)
		return reason;
	colon = strstr(p + n + 2, ": ");
	return colon != NULL && colon[2] != '\0' ? colon + 2 : reason;
}

/* Note a failure in the stats, the archive and the progress output. */
static int
failure(struct run *r, const char *path, int pageno, const char *reason,
    int record_in_archive)
{
	struct sohoa_ingest_stats *s = r->stats;
	struct sohoa_ingest_failure *v;
	int rc = SOHOA_OK;

	reason = bare_reason(path, reason);

	s->failed++;
	if (s->nfailures % 16 == 0) {
		v = realloc(s->failures, (s->nfailures + 16) * sizeof(*v));
		if (v == NULL)
			return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
		s->failures = v;
	}
	v = &s->failures[s->nfailures];
	v->path = strdup(path);
	v->reason = strdup(reason ? reason : "unknown error");
	v->pageno = pageno;
	if (v->path == NULL || v->reason == NULL) {
		free(v->path);
		free(v->reason);
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	s->nfailures++;
	if (record_in_archive)
		rc = sohoa_archive_failure_add(r->a, path, pageno, reason);
	emit(r, pageno >= 0 ? SOHOA_INGEST_PAGE_FAILED : SOHOA_INGEST_FILE_FAILED,
	    path, pageno, reason, NULL, 0);
	return rc;
}

void
sohoa_ingest_stats_release(struct sohoa_ingest_stats *stats)
{
	size_t i;

	if (stats == NULL)
		return;
	for (i = 0; i < stats->nfailures; i++) {
		free(stats->failures[i].path);
		free(stats->failures[i].reason);
	}
	free(stats->failures);
	for (i = 0; i < stats->nnot_scans; i++) {
		free(stats->not_scans[i].path);
		free(stats->not_scans[i].reason);
	}
	free(stats->not_scans);
	memset(stats, 0, sizeof(*stats));
}

int
sohoa_ingest_dossier_for(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_buf *out)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT;
	const char *slash = strrchr(path, '/'), *name;
	char *real = NULL;
	size_t dlen, nlen;
	int rc;

	/* the folder part, without its trailing slashes */
	dlen = slash != NULL ? (size_t)(slash - path) : 0;
	while (dlen > 0 && path[dlen - 1] == '/')
		dlen--;
	for (name = path + dlen; name > path && name[-1] != '/'; name--)
		;
	nlen = (size_t)(path + dlen - name);
	if ((nlen == 1 && name[0] == '.') || (nlen == 2 && name[0] == '.' &&
	    name[1] == '.')) {
		rc = sohoa_buf_add(&dir, path, dlen);
		if (rc != SOHOA_OK)
			goto out;
		real = realpath(dir.buf, NULL);
		if (real == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_IO,
			    "cannot resolve '%s': %s", dir.buf, strerror(errno));
			goto out;
		}
		name = strrchr(real, '/');
		name = name != NULL ? name + 1 : real;
		nlen = strlen(name);
	}
	if (nlen == 0)
		rc = sohoa_buf_adds(out, "unsorted");
	else
		rc = sohoa_utf8_nfc(name, nlen, out);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "out of memory");
out:
	free(real);
	sohoa_buf_release(&dir);
	return rc;
}

/* ---- workers ---------------------------------------------------------- */

/*
 * Decode the job's page in the worker: decoding a 300 dpi page takes tens
 * of milliseconds, and done on the main thread it would hold back the
 * other workers.  The worker keeps its file open while its pages come.
 */
static int
decode(struct worker *w, struct job *job)
{
	int rc;

	if (w->img != NULL && strcmp(w->img_path, job->path) != 0)
		sohoa_image_close(&w->img);
	if (w->img == NULL) {
		rc = sohoa_image_open(w->ctx, job->path, &w->img);
		if (rc != SOHOA_OK)
			return rc;
		w->img_path = job->path;
	}
	return sohoa_image_read_page(w->ctx, w->img, job->pageno, &job->pix);
}

/*
 * Look for codes on the decoded page, then make its page: a separator
 * sheet is not read (its text is its code; it is BLANK, so no document's
 * page), a PDF page keeps its own text when asked to, any other is
 * cleaned up and OCR'd.  The other codes go back in JOB->codes.
 */
static int
read_page(struct worker *w, struct job *job)
{
	struct sohoa_codes codes;
	struct sohoa_buf sep = SOHOA_BUF_INIT, other = SOHOA_BUF_INIT;
	struct sohoa_word *words = NULL;
	size_t nwords = 0, i;
	int rc = SOHOA_OK;

	if (sohoa_barcode_scan(w->ctx, job->pix, &codes) != SOHOA_OK) {
		/* no codes is not a reason to lose the page */
		sohoa_clear_error(w->ctx);
		memset(&codes, 0, sizeof(codes));
	}
	for (i = 0; i < codes.n && rc == SOHOA_OK; i++) {
		if (sohoa_barcode_separator(codes.v[i].data, NULL) !=
		    SOHOA_SEPARATOR_NONE) {
			if (sep.len == 0)
				rc = sohoa_buf_addf(&sep, "%s\n", codes.v[i].data);
		} else {
			rc = sohoa_buf_addf(&other, "%s:%s\n", codes.v[i].type,
			    codes.v[i].data);
		}
	}
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
	else if (sep.len > 0)
		rc = sohoa_engine_page(w->eng, job->pix, job->pageno, NULL, 0,
		    sep.buf, SOHOA_PAGE_BLANK, &job->page);
	else if (w->pdf_text == SOHOA_PDF_TEXT_KEEP &&
	    (rc = sohoa_image_page_words(w->ctx, w->img, job->pageno, job->pix,
	    &words, &nwords)) == SOHOA_OK && nwords > 0)
		rc = sohoa_engine_page(w->eng, job->pix, job->pageno, words,
		    nwords, NULL, SOHOA_PAGE_OK, &job->page);
	else if (rc == SOHOA_OK)
		rc = sohoa_engine_process(w->eng, job->pix, job->pageno,
		    &job->page);
	if (rc == SOHOA_OK)
		job->codes = sohoa_buf_detach(&other, NULL);
	sohoa_words_free(&words, nwords);
	sohoa_codes_release(&codes);
	sohoa_buf_release(&sep);
	sohoa_buf_release(&other);
	return rc;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;	/* w->ctx and w->eng belong to this thread */
	struct job *job;

	/*
	 * Each worker loads its own engine (the language data takes a good
	 * part of a second), in parallel, and reports with a job of page -1.
	 */
	job = w->ready;
	w->ready = NULL;
	job->rc = sohoa_engine_new(w->ctx, w->eopts, &w->eng);
	if (job->rc != SOHOA_OK)
		job->error = strdup(sohoa_errmsg(w->ctx));
	ingest_queue_push(w->results, job);
	if (w->eng == NULL)
		return NULL;
	while ((job = ingest_queue_pop(w->jobs)) != NULL) {
		job->rc = decode(w, job);
		if (job->rc == SOHOA_OK)
			job->rc = read_page(w, job);
		if (job->rc != SOHOA_OK)
			job->error = strdup(*sohoa_errmsg(w->ctx) ?
			    sohoa_errmsg(w->ctx) : sohoa_strerror(job->rc));
		pixDestroy(&job->pix);
		ingest_queue_push(w->results, job);
	}
	sohoa_image_close(&w->img);
	return NULL;
}

static void job_free(struct job *job);

static int
start_workers(struct run *r, int n)
{
	struct worker *w;
	struct job *job;
	int i, started = 0, rc = SOHOA_OK;

	r->workers = calloc((size_t)n, sizeof(*r->workers));
	if (r->workers == NULL)
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	r->nworkers = n;
	memset(&r->eopts, 0, sizeof(r->eopts));
	r->eopts.lang = r->opts->lang;
	r->eopts.want_image = 1;
	r->eopts.want_hocr = 1;
	for (i = 0; i < n; i++) {
		w = &r->workers[i];
		w->jobs = &r->jobs;
		w->results = &r->results;
		w->eopts = &r->eopts;
		w->pdf_text = r->opts->pdf_text;
		w->ctx = sohoa_ctx_new();
		w->ready = calloc(1, sizeof(*w->ready));
		if (w->ctx == NULL || w->ready == NULL) {
			rc = sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
			break;
		}
		w->ready->pageno = -1;
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			rc = sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM,
			    "cannot start a worker thread: %s", strerror(errno));
			break;
		}
		w->started = 1;
		started++;
	}
	/* a missing language fails the run here, before any page is read */
	for (i = 0; i < started; i++) {
		job = ingest_queue_pop(&r->results);
		if (job->rc != SOHOA_OK && rc == SOHOA_OK)
			rc = sohoa_set_error(r->ctx, job->rc, "%s", job->error ?
			    job->error : sohoa_strerror(job->rc));
		job_free(job);
	}
	return rc;
}

static void
stop_workers(struct run *r)
{
	int i;

	ingest_queue_close(&r->jobs);
	for (i = 0; i < r->nworkers; i++) {
		if (r->workers[i].started)
			pthread_join(r->workers[i].thread, NULL);
		sohoa_engine_destroy(&r->workers[i].eng);
		sohoa_ctx_destroy(&r->workers[i].ctx);
		free(r->workers[i].ready);	/* a thread that never started */
	}
	free(r->workers);
	r->workers = NULL;
	r->nworkers = 0;
}

static void
job_free(struct job *job)
{
	if (job == NULL)
		return;
	pixDestroy(&job->pix);
	sohoa_page_destroy(&job->page);
	free(job->error);
	free(job->codes);
	free(job);
}

static void
file_free(struct file *f)
{
	int i;

	if (f == NULL)
		return;
	for (i = 0; f->codes != NULL && i < f->npages; i++)
		free(f->codes[i]);
	free(f->codes);
	free(f);
}

/* ---- documents of a file ---------------------------------------------- */

static void
pages_free(struct sohoa_page **pages, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sohoa_page_destroy(&pages[i]);
	free(pages);
}

/*
 * Load the stored pages of F without their words, for splitting: memory
 * is the text of the file, not its images.  Words are loaded per
 * document by doc_words().
 */
static int
load_pages(struct run *r, struct file *f, struct sohoa_page ***ppages,
    int64_t **pids)
{
	struct sohoa_page **pages;
	int64_t *ids;
	int i, rc = SOHOA_OK;

	*ppages = NULL;
	*pids = NULL;
	pages = calloc((size_t)f->npages + 1, sizeof(*pages));
	ids = calloc((size_t)f->npages + 1, sizeof(*ids));
	if (pages == NULL || ids == NULL) {
		free(pages);
		free(ids);
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < f->npages && rc == SOHOA_OK; i++) {
		rc = sohoa_archive_page_find(r->a, f->id, i, &ids[i]);
		if (rc == SOHOA_OK && ids[i] == 0)
			rc = sohoa_set_error(r->ctx, SOHOA_ERR_DB,
			    "page %d of '%s' is missing from the archive", i + 1,
			    f->path);
		if (rc == SOHOA_OK)
			rc = sohoa_archive_page_load(r->a, ids[i], 0, &pages[i]);
	}
	if (rc != SOHOA_OK) {
		pages_free(pages, (size_t)f->npages);
		free(ids);
		return rc;
	}
	*ppages = pages;
	*pids = ids;
	return SOHOA_OK;
}

/*
 * Load (LOAD) or drop the word boxes of pages B..E-1, so that only one
 * document's words are in memory at a time.
 */
static int
doc_words(struct run *r, struct sohoa_page **pages, const int64_t *ids,
    size_t b, size_t e, int load)
{
	struct sohoa_page *p;
	size_t i, k;
	int rc;

	for (i = b; i < e; i++) {
		if (load) {
			rc = sohoa_archive_page_load(r->a, ids[i],
			    SOHOA_PAGE_LOAD_WORDS, &p);
			if (rc != SOHOA_OK)
				return rc;
			sohoa_page_destroy(&pages[i]);
			pages[i] = p;
		} else {
			for (k = 0; k < pages[i]->nwords; k++)
				free(pages[i]->words[k].text);
			free(pages[i]->words);
			pages[i]->words = NULL;
			pages[i]->nwords = 0;
		}
	}
	return SOHOA_OK;
}

/*
 * The codes on page I of F that are no separator ("QR-Code:text" lines):
 * read by the worker in this run, or, for a page an earlier run stored,
 * from its stored view image (a killed run finished later).
 */
static int
page_codes(struct run *r, struct file *f, const struct sohoa_page *page,
    int64_t id, int i, struct sohoa_buf *out)
{
	struct sohoa_page *p = NULL;
	struct sohoa_codes codes;
	PIX *pix = NULL;
	size_t k;
	int rc;

	if (f->codes[i] != NULL)
		return sohoa_buf_adds(out, f->codes[i]);
	if (page->status == SOHOA_PAGE_BLANK || page->status ==
	    SOHOA_PAGE_FAILED)
		return SOHOA_OK;
	rc = sohoa_archive_page_load(r->a, id, SOHOA_PAGE_LOAD_IMAGE, &p);
	if (rc == SOHOA_OK && p->image != NULL)
		pix = pixReadMem(p->image, p->image_len);
	sohoa_page_destroy(&p);
	if (pix == NULL || sohoa_barcode_scan(r->ctx, pix, &codes) !=
	    SOHOA_OK) {
		/* no codes is no reason to fail the file */
		pixDestroy(&pix);
		sohoa_clear_error(r->ctx);
		return SOHOA_OK;
	}
	for (k = 0; k < codes.n && rc == SOHOA_OK; k++)
		if (sohoa_barcode_separator(codes.v[k].data, NULL) ==
		    SOHOA_SEPARATOR_NONE)
			rc = sohoa_buf_addf(out, "%s:%s\n", codes.v[k].type,
			    codes.v[k].data);
	sohoa_codes_release(&codes);
	pixDestroy(&pix);
	return rc;
}

/*
 * The first QR code (field qr_code: TT 01/2022 papers print one that
 * links to the record) and the first other barcode (field barcode) on
 * pages B..E-1, added to FIELDS.
 */
static int
code_fields(struct run *r, struct file *f, struct sohoa_page **pages,
    const int64_t *ids, size_t b, size_t e, struct sohoa_fields *fields)
{
	struct sohoa_buf all = SOHOA_BUF_INIT;
	const char *line, *nl, *colon;
	int qr = 0, bar = 0, rc = SOHOA_OK;
	size_t i;
	char *v;

	for (i = b; i < e && rc == SOHOA_OK; i++)
		rc = page_codes(r, f, pages[i], ids[i], (int)i, &all);
	for (line = all.buf; rc == SOHOA_OK && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		colon = strchr(line, ':');
		if (nl == NULL || colon == NULL || colon > nl)
			break;
		if (strncmp(line, "QR-Code:", 8) == 0 ? qr++ : bar++)
			continue;
		v = strndup(colon + 1, (size_t)(nl - colon - 1));
		if (v == NULL)
			rc = SOHOA_ERR_NOMEM;
		else
			rc = sohoa_fields_set(fields, strncmp(line, "QR-Code:", 8) ==
			    0 ? "qr_code" : "barcode", v, v, 100, 0);
		free(v);
	}
	sohoa_buf_release(&all);
	return rc == SOHOA_OK ? rc : sohoa_set_error(r->ctx, rc,
	    "out of memory");
}

/* Which separator page PAGE is (stored BLANK with its code as text). */
static int
separator(const struct sohoa_page *page, struct sohoa_buf *dossier)
{
	struct sohoa_buf line = SOHOA_BUF_INIT;
	int kind;

	if (page->status != SOHOA_PAGE_BLANK || page->text == NULL ||
	    strncmp(page->text, SOHOA_CODE_PREFIX, strlen(SOHOA_CODE_PREFIX)) !=
	    0 || sohoa_buf_add(&line, page->text, strcspn(page->text, "\n")) !=
	    SOHOA_OK)
		return SOHOA_SEPARATOR_NONE;
	kind = sohoa_barcode_separator(line.buf, dossier);
	sohoa_buf_release(&line);
	return kind;
}

/*
 * The documents the pages of F make, as ranges of its pages.  CONT is
 * the folder's last document (0: none) and PREV that document's last
 * page: put in front of F's pages, it lets the one rule that splits
 * pages (sohoa_records_doc_ranges) say whether F's first page opens a
 * document; when it does not, *pcont is 1 and the first range goes on
 * that document.
 */
static int
file_ranges(struct run *r, struct sohoa_page **pages, int n,
    struct sohoa_page *prev, struct sohoa_doc_range **pranges,
    size_t *pnranges, int *pcont)
{
	const struct sohoa_page **all = NULL;
	struct sohoa_doc_range *v = NULL;
	size_t nv = 0, i, k = 0, off = prev != NULL;
	int rc;

	*pranges = NULL;
	*pnranges = 0;
	*pcont = 0;
	all = calloc((size_t)n + 1, sizeof(*all));
	if (all == NULL)
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (prev != NULL)
		all[0] = prev;
	for (i = 0; i < (size_t)n; i++)
		all[off + i] = pages[i];
	rc = sohoa_records_doc_ranges(r->ctx, r->dt, all, (size_t)n + off, &v,
	    &nv);
	free(all);
	if (rc != SOHOA_OK)
		return rc;
	for (i = 0; i < nv; i++) {
		if (off && v[i].first == 0) {
			if (v[i].count == 1)
				continue;	/* the page before, on its own */
			*pcont = 1;
			v[k].first = 0;
			v[k++].count = v[i].count - 1;
			continue;
		}
		v[k].first = v[i].first - off;
		v[k++].count = v[i].count;
	}
	*pranges = v;
	*pnranges = k;
	return SOHOA_OK;
}

/*
 * The document the range B..E-1 of F makes: its fields, its codes, its
 * dossier; or, with CONT, its pages go on document CONT.  *pdoc gets the
 * document the pages are in.  When its PDF cannot be stored, *ppdf is
 * set and the message says so.
 */
static int
write_document(struct run *r, struct file *f, struct sohoa_page **pages,
    const int64_t *ids, size_t b, size_t e, const char *dossier,
    int64_t cont, int64_t *pdoc, int *pndocs, int *ppdf)
{
	struct sohoa_fields fields;
	struct sohoa_buf msg = SOHOA_BUF_INIT;
	const char *doc_type = "other";
	char pdf[SOHOA_SHA256_HEX];
	int64_t doc_id = 0;
	int rc;

	*pdoc = 0;
	sohoa_fields_init(&fields);
	rc = doc_words(r, pages, ids, b, e, 1);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_doc_extract(r->ctx, r->dt,
	    (const struct sohoa_page *const *)pages + b, e - b, &doc_type,
	    &fields);
	if (rc != SOHOA_OK) {
		sohoa_buf_addf(&msg, "cannot extract fields: %s",
		    sohoa_errmsg(r->ctx));
		rc = failure(r, f->path, (int)b, msg.buf, 1);
		if (rc != SOHOA_OK)
			goto out;
		doc_type = "other";
		sohoa_fields_release(&fields);
		sohoa_fields_init(&fields);
	}
	rc = code_fields(r, f, pages, ids, b, e, &fields);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_add(r->a, f->id, (int)b, (int)(e - b),
		    doc_type, &fields, &doc_id);
	if (rc != SOHOA_OK)
		goto out;
	if (cont != 0) {
		/*
		 * The pages go on the folder's last document (a merge, kept in
		 * its history), whose fields are read again from all its pages.
		 * When that document is gone (deleted or merged by a person
		 * since), this one stands on its own.
		 */
		rc = sohoa_archive_begin(r->a);
		if (rc == SOHOA_OK && sohoa_archive_document_merge(r->a, cont,
		    doc_id) == SOHOA_OK) {
			rc = sohoa_archive_commit(r->a);
			doc_id = cont;
			r->stats->continued++;
			if (rc == SOHOA_OK)
				rc = sohoa_records_read_fields(r->a,
				    r->dt, cont);
		} else if (rc == SOHOA_OK) {
			sohoa_archive_rollback(r->a);
			sohoa_clear_error(r->ctx);
			cont = 0;
		}
		if (rc != SOHOA_OK)
			goto out;
	}
	*pdoc = doc_id;
	if (cont == 0)
		(*pndocs)++;
	if (cont == 0 && dossier != NULL) {
		rc = sohoa_archive_document_move(r->a, doc_id, dossier);
		if (rc != SOHOA_OK)
			goto out;
	}
	/* the one document -> PDF of the library (records/pdf.c) */
	rc = sohoa_records_pdf(r->a, doc_id, NULL, 0, pdf);
	if (rc != SOHOA_OK) {
		/*
		 * A document without its PDF must not pass for done (a full
		 * disk, bug 0014): the caller rolls back all of the file's
		 * documents and the file stays not done, so the next run
		 * makes them again from the pages already stored.
		 */
		sohoa_buf_addf(&msg, "the PDF of pages %zu-%zu cannot be stored:"
		    " %s (the next run reads the file again)", b + 1, e,
		    sohoa_errmsg(r->ctx));
		rc = sohoa_set_error(r->ctx, SOHOA_ERR_IO, "%s", msg.buf);
		*ppdf = 1;
		goto out;
	}
out:
	if (rc == SOHOA_OK)
		doc_words(r, pages, ids, b, e, 0);
	sohoa_buf_release(&msg);
	sohoa_fields_release(&fields);
	return rc;
}

/* The carry's dossier: that of its document (sheet mode). */
static int
carry_dossier(struct run *r, struct folder_carry *fc)
{
	struct sohoa_document *d = NULL;
	char *code;
	int rc;

	rc = sohoa_archive_document_load(r->a, fc->doc, &d);
	if (rc == SOHOA_OK && d->dossier != NULL) {
		code = strdup(d->dossier);
		if (code == NULL)
			rc = sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		else {
			free(fc->dossier);
			fc->dossier = code;
		}
	}
	sohoa_document_destroy(&d);
	return rc;
}

/*
 * F was done by an earlier run (a resumed or repeated ingest): the next
 * file of its folder goes on the document its last page is in, as it
 * would have in one run.
 */
static int
carry_stored(struct run *r, struct file *f, struct folder_carry *fc)
{
	struct sohoa_page_source src;
	int *pagenos = NULL;
	size_t n = 0;
	int64_t pid = 0;
	int rc;

	fc->doc = 0;
	fc->page = 0;
	rc = sohoa_archive_file_pages(r->a, f->id, &pagenos, &n);
	if (rc == SOHOA_OK && n > 0)
		rc = sohoa_archive_page_find(r->a, f->id, pagenos[n - 1], &pid);
	free(pagenos);
	if (rc != SOHOA_OK || pid == 0)
		return rc;
	memset(&src, 0, sizeof(src));
	rc = sohoa_archive_page_source(r->a, pid, &src);
	if (rc == SOHOA_OK && src.document_id != 0) {
		fc->doc = src.document_id;
		fc->page = pid;
	}
	sohoa_page_source_release(&src);
	/*
	 * Sheet mode: the dossier the sheets had sent that document to holds
	 * for the files after it, as the sheet itself would have in one run.
	 */
	if (rc == SOHOA_OK && fc->doc != 0 &&
	    r->opts->dossier_from == SOHOA_DOSSIER_FROM_SHEET)
		rc = carry_dossier(r, fc);
	return rc;
}

/*
 * All pages of F are stored: split them into documents (going on the
 * folder's last document when F's first page opens none), send them to
 * the dossiers separator sheets name, extract fields, and write the
 * documents and the file's done flag in one transaction.
 */
static int
finish_file(struct run *r, struct file *f)
{
	struct sohoa_page **pages = NULL, *prev = NULL;
	struct sohoa_buf sheet = SOHOA_BUF_INIT, cur = SOHOA_BUF_INIT;
	struct sohoa_doc_range *ranges = NULL;
	struct folder_carry *fc;
	size_t nranges = 0, i, k = 0, b, e;
	int64_t *ids = NULL, doc = 0, last_doc = 0;
	int rc, ndocs = 0, in_tx = 0, cont = 0, have_cur = 0, kind, pdf = 0;

	fc = carry_folder(r->carry, f->path);
	if (fc == NULL)
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (f->stored_before)
		return carry_stored(r, f, fc);
	rc = load_pages(r, f, &pages, &ids);
	if (rc != SOHOA_OK)
		goto out;
	if (fc->doc != 0 && fc->page != 0 &&
	    sohoa_archive_page_load(r->a, fc->page, 0, &prev) != SOHOA_OK) {
		sohoa_clear_error(r->ctx);	/* gone: nothing to go on */
		prev = NULL;
	}
	rc = file_ranges(r, pages, f->npages, prev, &ranges, &nranges, &cont);
	if (rc != SOHOA_OK)
		goto out;
	/* a dossier sheet met in this folder before holds in sheet mode */
	if (r->opts->dossier_from == SOHOA_DOSSIER_FROM_SHEET &&
	    fc->dossier != NULL) {
		rc = sohoa_buf_adds(&cur, fc->dossier);
		have_cur = 1;
	}
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_begin(r->a);
	if (rc != SOHOA_OK)
		goto out;
	in_tx = 1;
	for (i = 0; i <= nranges; i++) {
		b = i < nranges ? ranges[i].first : (size_t)f->npages;
		/* the sheets before this document say where it goes */
		for (; k < b; k++) {
			sohoa_buf_reset(&sheet);
			kind = separator(pages[k], &sheet);
			if (kind != SOHOA_SEPARATOR_NONE)
				r->stats->separators++;
			if (kind == SOHOA_SEPARATOR_DOSSIER) {
				sohoa_buf_reset(&cur);
				if (sohoa_buf_adds(&cur, sheet.buf) != SOHOA_OK) {
					rc = sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM,
					    "out of memory");
					goto out;
				}
				have_cur = 1;
			}
		}
		if (i == nranges)
			break;
		e = b + ranges[i].count;
		k = e;
		rc = write_document(r, f, pages, ids, b, e, have_cur ? cur.buf :
		    NULL, i == 0 && cont ? fc->doc : 0, &doc, &ndocs, &pdf);
		if (pdf) {
			struct sohoa_buf msg = SOHOA_BUF_INIT;

			sohoa_buf_adds(&msg, sohoa_errmsg(r->ctx));
			sohoa_archive_rollback(r->a);
			in_tx = 0;
			rc = failure(r, f->path, -1, msg.buf, 1);
			sohoa_buf_release(&msg);
			goto out;
		}
		if (rc != SOHOA_OK)
			goto out;
		/* the document the file's last page is in, for the next file */
		last_doc = e == (size_t)f->npages ? doc : 0;
	}
	rc = sohoa_archive_file_done(r->a, f->id);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_commit(r->a);
	if (rc != SOHOA_OK)
		goto out;
	in_tx = 0;
	fc->doc = last_doc;
	fc->page = f->npages > 0 ? ids[f->npages - 1] : 0;
	if (r->opts->dossier_from == SOHOA_DOSSIER_FROM_SHEET && have_cur) {
		free(fc->dossier);
		fc->dossier = strdup(cur.buf);
	}
	r->stats->files++;
	r->stats->documents += ndocs;
	emit(r, SOHOA_INGEST_FILE_DONE, f->path, -1, NULL, f, ndocs);
out:
	if (in_tx)
		sohoa_archive_rollback(r->a);
	sohoa_buf_release(&sheet);
	sohoa_buf_release(&cur);
	sohoa_page_destroy(&prev);
	free(ranges);
	free(ids);
	if (pages != NULL)
		pages_free(pages, (size_t)f->npages);
	return rc;
}

/* Finish the files at the head of the list whose pages are all stored. */
static int
finish_ready(struct run *r)
{
	struct file *f;
	int rc = SOHOA_OK;

	while ((f = r->head) != NULL && f->queued_all && f->pending == 0) {
		r->head = f->next;
		if (r->head == NULL)
			r->tail = NULL;
		rc = finish_file(r, f);
		file_free(f);
		if (rc != SOHOA_OK)
			break;
	}
	return rc;
}

/* ---- storing results -------------------------------------------------- */

static int
store_page(struct run *r, struct file *f, struct sohoa_page *page)
{
	int64_t id;
	int rc;

	rc = sohoa_archive_page_add(r->a, f->id, page, &id);
	if (rc != SOHOA_OK)
		return rc;
	r->stats->pages++;
	r->pages_done++;
	if (page->status == SOHOA_PAGE_BLANK)
		r->stats->blank++;
	else if (page->status == SOHOA_PAGE_LOWCONF)
		r->stats->low_confidence++;
	if (page->status == SOHOA_PAGE_FAILED) {
		f->failed = 1;
		r->stats->pages_failed++;
		return failure(r, f->path, page->pageno, page->error, 0);
	}
	emit(r, SOHOA_INGEST_PAGE_DONE, f->path, page->pageno, NULL, f, 0);
	return SOHOA_OK;
}

static int
store_failed_page(struct run *r, struct file *f, int pageno,
    const char *reason)
{
	int64_t id;
	int rc;

	reason = bare_reason(f->path, reason);
	rc = sohoa_archive_page_add_failed(r->a, f->id, pageno, reason, &id);
	if (rc != SOHOA_OK)
		return rc;
	r->stats->pages++;
	r->stats->pages_failed++;
	r->pages_done++;
	f->failed = 1;
	return failure(r, f->path, pageno, reason, 0);
}

/* Wait for one result and store it. */
static int
take_result(struct run *r)
{
	struct job *job;
	struct file *f;
	int rc;

	job = ingest_queue_pop(&r->results);
	if (job == NULL)
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM,
		    "ingest workers stopped");
	r->inflight--;
	f = job->file;
	f->pending--;
	if (job->rc == SOHOA_OK && job->pageno >= 0 && job->pageno < f->npages) {
		free(f->codes[job->pageno]);
		f->codes[job->pageno] = job->codes != NULL ? job->codes :
		    strdup("");
		job->codes = NULL;
	}
	if (job->rc == SOHOA_OK && job->page != NULL)
		rc = store_page(r, f, job->page);
	else
		rc = store_failed_page(r, f, job->pageno, job->error ?
		    job->error : sohoa_strerror(job->rc));
	job_free(job);
	if (rc == SOHOA_OK)
		rc = finish_ready(r);
	return rc;
}

/* ---- the run ---------------------------------------------------------- */

/* The walk asks here whether to go on (Ctrl-C in a long or deep walk). */
static int
walk_check(void *arg, const char *path)
{
	return emit(arg, SOHOA_INGEST_WALK, path, -1, NULL, NULL, 0);
}

/* A file in a folder that is no scan: listed, not a failure. */
static int
not_scan(struct run *r, const char *path, const char *reason)
{
	struct sohoa_ingest_stats *s = r->stats;
	struct sohoa_ingest_failure *v;

	if (s->nnot_scans % 16 == 0) {
		v = realloc(s->not_scans, (s->nnot_scans + 16) * sizeof(*v));
		if (v == NULL)
			return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		s->not_scans = v;
	}
	v = &s->not_scans[s->nnot_scans];
	v->path = strdup(path);
	v->reason = strdup(reason ? reason : "not a scan");
	v->pageno = -1;
	if (v->path == NULL || v->reason == NULL) {
		free(v->path);
		free(v->reason);
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	s->nnot_scans++;
	emit(r, SOHOA_INGEST_FILE_NOT_SCAN, path, -1, v->reason, NULL, 0);
	return SOHOA_OK;
}

/* What the first pass found out about one input. */
struct plan {
	char sha256[SOHOA_SHA256_HEX];
	int todo;		/* 1: to read in this run */
	int64_t done_id;	/* done in an earlier run: its file id */
	int npages;
	int stored;		/* pages already in the archive */
	int64_t size;
	const char *format;	/* static string from the reader */
};

struct path_is {
	const char *path;
	int same;
};

static int
path_is(void *arg, const struct sohoa_file_info *f)
{
	struct path_is *p = arg;

	p->same = strcmp(f->path, p->path) == 0;
	return SOHOA_OK;
}

/* 1 when the stored file whose original is SHA256 was ingested as PATH. */
static int
same_path(struct run *r, const char *sha256, const char *path)
{
	struct path_is p = { path, 0 };

	if (sohoa_archive_file_get(r->a, sha256, path_is, &p) != SOHOA_OK)
		sohoa_clear_error(r->ctx);
	return p.same;
}

static int
plan_inputs(struct run *r, const struct inputs *in, struct plan *plan)
{
	struct sohoa_image *img = NULL;
	struct stat st;
	int64_t id;
	int *pagenos = NULL;
	size_t i, j, npg;
	int done, rc;

	for (i = 0; i < in->n; i++) {
		const char *path = in->v[i].path;

		/* hashing a long list of big scans takes a while too */
		if (emit(r, SOHOA_INGEST_WALK, path, -1, NULL, NULL, 0))
			return sohoa_set_error(r->ctx, SOHOA_ERR_CANCELLED,
			    "interrupted while looking at the scans: nothing"
			    " was stored; run the same command again");
		if (in->v[i].not_scan) {
			rc = not_scan(r, path, in->v[i].error);
			if (rc != SOHOA_OK)
				return rc;
			continue;
		}
		if (in->v[i].error != NULL) {
			rc = failure(r, path, -1, in->v[i].error, 1);
			if (rc != SOHOA_OK)
				return rc;
			continue;
		}
		if (sohoa_sha256_file(r->ctx, path, plan[i].sha256) != SOHOA_OK ||
		    stat(path, &st) != 0) {
			rc = failure(r, path, -1, sohoa_errmsg(r->ctx), 1);
			if (rc != SOHOA_OK)
				return rc;
			continue;
		}
		plan[i].size = st.st_size;
		rc = sohoa_archive_file_find(r->a, plan[i].sha256, &id, &done);
		if (rc != SOHOA_OK)
			return rc;
		/*
		 * Done by an earlier run at this very path (a resumed run): it
		 * keeps its place in its folder.  A copy of a scan stored from
		 * elsewhere is no page of this folder and hands nothing on.
		 */
		if (done && id != 0 && same_path(r, plan[i].sha256, path))
			plan[i].done_id = id;
		for (j = 0; j < i && !done; j++)
			if (plan[j].todo && strcmp(plan[j].sha256, plan[i].sha256) == 0)
				done = 1;	/* same content twice in this run */
		if (done) {
			int healed = 0;

			/*
			 * Stored already; but if the store's copy was lost or
			 * damaged, this intact scan restores it (issue 14).
			 */
			if (id != 0 && sohoa_store_heal(r->a, path,
			    plan[i].sha256, &healed) != SOHOA_OK)
				sohoa_clear_error(r->ctx);
			if (healed)
				r->stats->healed++;
			r->stats->skipped++;
			emit(r, SOHOA_INGEST_FILE_SKIPPED, path, -1, NULL, NULL, 0);
			continue;
		}
		if (sohoa_image_open(r->ctx, path, &img) != SOHOA_OK) {
			rc = failure(r, path, -1, sohoa_errmsg(r->ctx), 1);
			if (rc != SOHOA_OK)
				return rc;
			continue;
		}
		plan[i].npages = sohoa_image_page_count(img);
		plan[i].format = sohoa_image_format(img);
		sohoa_image_close(&img);
		if (id != 0) {
			rc = sohoa_archive_file_pages(r->a, id, &pagenos, &npg);
			if (rc != SOHOA_OK)
				return rc;
			free(pagenos);
			pagenos = NULL;
			plan[i].stored = (int)npg;
		}
		plan[i].todo = 1;
		r->files_total++;
		r->pages_total += plan[i].npages - plan[i].stored;
	}
	return SOHOA_OK;
}

/* Put the original in the store and make sure the file row exists. */
static int
add_file(struct run *r, const char *path, const struct plan *p,
    struct file *f)
{
	struct sohoa_buf dossier = SOHOA_BUF_INIT;
	struct sohoa_file_info fi;
	const char *name;
	char sha[SOHOA_SHA256_HEX];
	int rc;

	rc = sohoa_store_put_file(r->a, path, p->sha256, sha);
	if (rc != SOHOA_OK)
		return rc;
	if (r->opts->dossier != NULL && *r->opts->dossier)
		rc = sohoa_buf_adds(&dossier, r->opts->dossier);
	else
		rc = sohoa_ingest_dossier_for(r->ctx, path, &dossier);
	if (rc != SOHOA_OK)
		goto out;
	memset(&fi, 0, sizeof(fi));
	memcpy(fi.sha256, sha, sizeof(sha));
	rc = sohoa_archive_begin(r->a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_dossier_get(r->a, dossier.buf, 1, &fi.dossier_id);
	name = strrchr(path, '/');
	fi.path = path;
	fi.name = name ? name + 1 : path;
	fi.format = p->format;
	fi.size = p->size;
	fi.npages = p->npages;
	if (rc == SOHOA_OK)
		rc = sohoa_archive_file_add(r->a, &fi, &f->id);
	/* an earlier failure of this path is forgotten: it is read again now */
	if (rc == SOHOA_OK)
		rc = sohoa_archive_failure_clear(r->a, path);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_commit(r->a);
	else
		sohoa_archive_rollback(r->a);
out:
	sohoa_buf_release(&dossier);
	return rc;
}

/*
 * Hand the pages of one file to the workers, storing results whenever
 * enough pages are in flight.  Errors returned are fatal to the run; a
 * bad file or page is recorded and SOHOA_OK returned.
 */
static int
feed_file(struct run *r, const char *path, const struct plan *p)
{
	struct file *f = NULL;
	struct job *job;
	int *stored = NULL;
	size_t nstored = 0, k = 0;
	int pageno, rc;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	f->path = path;
	f->npages = p->npages;
	memcpy(f->sha256, p->sha256, sizeof(f->sha256));
	f->codes = calloc((size_t)f->npages + 1, sizeof(*f->codes));
	if (f->codes == NULL) {
		free(f);
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	rc = add_file(r, path, p, f);
	if (rc == SOHOA_ERR_IO || rc == SOHOA_ERR_INPUT) {
		/* the file went away or changed under us: that file only */
		rc = failure(r, path, -1, sohoa_errmsg(r->ctx), 1);
		goto out;
	}
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_file_pages(r->a, f->id, &stored, &nstored);
	if (rc != SOHOA_OK)
		goto out;
	/* from here the file is in the list and finish_ready frees it */
	if (r->tail != NULL)
		r->tail->next = f;
	else
		r->head = f;
	r->tail = f;
	for (pageno = 0; pageno < f->npages; pageno++) {
		while (k < nstored && stored[k] < pageno)
			k++;
		if (k < nstored && stored[k] == pageno)
			continue;	/* stored by an earlier run */
		while (r->inflight >= r->nworkers + QUEUE_AHEAD) {
			rc = take_result(r);
			if (rc != SOHOA_OK)
				goto out_listed;
		}
		if (r->cancelled)
			break;
		job = calloc(1, sizeof(*job));
		if (job == NULL) {
			rc = sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
			goto out_listed;
		}
		job->file = f;
		job->path = path;
		job->pageno = pageno;
		f->pending++;
		r->inflight++;
		ingest_queue_push(&r->jobs, job);
	}
	/* a cancelled file stays not done; the next run finishes it */
	f->queued_all = !r->cancelled;
out_listed:
	f = NULL;
	if (rc == SOHOA_OK)
		rc = finish_ready(r);
out:
	file_free(f);
	free(stored);
	return rc;
}

/* F, done by an earlier run, takes its place in the list (its carry). */
static int
feed_stored(struct run *r, const char *path, int64_t file_id)
{
	struct file *f;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return sohoa_set_error(r->ctx, SOHOA_ERR_NOMEM, "out of memory");
	f->path = path;
	f->id = file_id;
	f->stored_before = 1;
	f->queued_all = 1;
	if (r->tail != NULL)
		r->tail->next = f;
	else
		r->head = f;
	r->tail = f;
	return finish_ready(r);
}

/*
 * Remove temporary files a killed run left in store/tmp.  We hold the
 * writer lock, so nobody else is writing there.
 */
static void
clean_tmp(struct run *r)
{
	struct sohoa_buf dir = SOHOA_BUF_INIT, path = SOHOA_BUF_INIT;
	struct dirent *de;
	DIR *d;

	if (sohoa_buf_addf(&dir, "%s/store/tmp", sohoa_archive_dir(r->a)) !=
	    SOHOA_OK)
		goto out;
	d = opendir(dir.buf);
	if (d == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "blob-", 5) != 0 &&
		    strncmp(de->d_name, "doc-", 4) != 0)
			continue;
		sohoa_buf_reset(&path);
		if (sohoa_buf_addf(&path, "%s/%s", dir.buf, de->d_name) == SOHOA_OK)
			unlink(path.buf);
	}
	closedir(d);
out:
	sohoa_buf_release(&path);
	sohoa_buf_release(&dir);
}

int
sohoa_ingest_run(struct sohoa_archive *a, const struct sohoa_ingest_opts *opts,
    const char *const *paths, size_t npaths, struct sohoa_ingest_stats *stats)
{
	struct sohoa_ingest_opts defaults;
	struct inputs in = { NULL, 0, 0 };
	struct plan *plan = NULL;
	struct run r;
	struct file *f;
	struct job *job;
	size_t i;
	long ncpu;
	int jobs, rc, queues = 0;

	memset(stats, 0, sizeof(*stats));
	memset(&r, 0, sizeof(r));
	if (opts == NULL) {
		memset(&defaults, 0, sizeof(defaults));
		opts = &defaults;
	}
	r.a = a;
	r.ctx = sohoa_archive_ctx(a);
	r.opts = opts;
	r.stats = stats;
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	r.carry = opts->carry;
	if (r.carry == NULL && sohoa_ingest_carry_new(&r.carry) != SOHOA_OK)
		return sohoa_set_error(r.ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = sohoa_archive_lock(a);
	if (rc != SOHOA_OK)
		goto out;
	clean_tmp(&r);
	rc = sohoa_doctypes_load(r.ctx, opts->doctypes, &r.dt);
	if (rc != SOHOA_OK)
		goto out;
	rc = ingest_walk(r.ctx, paths, npaths, walk_check, &r, &in);
	if (rc == SOHOA_ERR_CANCELLED)
		sohoa_set_error(r.ctx, rc, "interrupted while looking for scans:"
		    " nothing was stored; run the same command again");
	if (rc == SOHOA_OK && opts->nshards > 0)
		rc = ingest_shard_select(a, paths, npaths, opts->shard,
		    opts->nshards, &in);
	if (rc != SOHOA_OK)
		goto out;
	plan = calloc(in.n + 1, sizeof(*plan));
	if (plan == NULL) {
		rc = sohoa_set_error(r.ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = plan_inputs(&r, &in, plan);
	if (rc == SOHOA_OK && opts->nshards > 0)
		rc = sohoa_shard_planned(a, r.pages_total);
	if (rc != SOHOA_OK)
		goto out;
	emit(&r, SOHOA_INGEST_START, NULL, -1, NULL, NULL, 0);
	if (r.files_total == 0 || r.cancelled)
		goto out;
	if (ingest_queue_init(&r.jobs) != 0 || ingest_queue_init(&r.results) != 0) {
		rc = sohoa_set_error(r.ctx, SOHOA_ERR_NOMEM, "cannot make a queue");
		goto out;
	}
	queues = 1;
	jobs = opts->jobs;
	if (jobs <= 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = ncpu > 0 ? (int)ncpu : 1;
	}
	if (jobs > r.pages_total)
		jobs = r.pages_total > 0 ? r.pages_total : 1;
	rc = start_workers(&r, jobs);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < in.n && rc == SOHOA_OK && !r.cancelled; i++)
		if (plan[i].todo)
			rc = feed_file(&r, in.v[i].path, &plan[i]);
		else if (plan[i].done_id != 0)
			rc = feed_stored(&r, in.v[i].path, plan[i].done_id);
	/* what is in the workers is finished and stored, even when stopping */
	while (r.inflight > 0) {
		int rc2 = take_result(&r);	/* counts the page off even on error */

		if (rc == SOHOA_OK)
			rc = rc2;
	}
	if (rc == SOHOA_OK)
		rc = finish_ready(&r);
	if (rc == SOHOA_OK && r.cancelled)
		rc = sohoa_set_error(r.ctx, SOHOA_ERR_CANCELLED,
		    "interrupted: %d pages stored; run the same command again "
		    "to finish", r.pages_done);
out:
	/* a shard's whole share went through (some files may have failed) */
	if (rc == SOHOA_OK && !r.cancelled && opts->nshards > 0)
		rc = sohoa_shard_finished(a);
	if (queues) {
		stop_workers(&r);
		while (r.results.head != NULL) {
			job = ingest_queue_pop(&r.results);
			job_free(job);
		}
		while (r.jobs.head != NULL) {
			job = ingest_queue_pop(&r.jobs);
			job_free(job);
		}
		ingest_queue_release(&r.jobs);
		ingest_queue_release(&r.results);
	} else if (r.workers != NULL)
		stop_workers(&r);
	while ((f = r.head) != NULL) {
		r.head = f->next;
		file_free(f);
	}
	stats->seconds = elapsed(&r);
	free(plan);
	ingest_inputs_release(&in);
	sohoa_doctypes_destroy(&r.dt);
	if (r.carry != opts->carry)
		sohoa_ingest_carry_destroy(&r.carry);
	return rc;
}
