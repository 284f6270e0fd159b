/*
 * sohoa watch: the scanner room's shared folder.  Files that scanners
 * (or people) drop into a folder are ingested once they are completely
 * written, each once; what was done is then moved aside or left.
 *
 * Watching is inotify(7) on the folder and every folder under it.  A file
 * is ready when nothing changed it for --settle seconds and no writer
 * holds it open (IN_MODIFY seen without its IN_CLOSE_WRITE): a scanner
 * writing a long PDF slowly is left alone until it closes the file.  A
 * ready batch is one sohoa_ingest_run (ingest/ingest.c), the archive
 * opened for it and closed after, so 'sohoa ingest' and 'sohoa serve'
 * work beside it.  What a batch found goes on to the next through a
 * struct sohoa_ingest_carry: a stack scanned one page a file makes its
 * documents across batches, and a dossier sheet holds (--dossier-from
 * sheet).
 *
 * Restarting is safe: every file in the folder is looked at again, and
 * ingest knows the ones stored already by SHA-256 (a file stored but not
 * yet moved is moved then).  A file that fails is left where it is and
 * not tried again until it changes (it is in 'sohoa status').  SIGTERM
 * and Ctrl-C stop after the pages being read; the next start finishes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/ingest.h"
#include "cli.h"
#include "opt.h"
#include "progress.h"

enum { OPT_DOSSIER_FROM = CLI_OPT_LONG, OPT_DONE, OPT_SETTLE, OPT_PDF_TEXT,
	OPT_LANG };

static const struct cli_opt options[] = {
	{ "dossier-from", OPT_DOSSIER_FROM, "folder|sheet", "a file's dossier:"
	    " its folder's name, a dossier\nsheet holding to the end of its file"
	    " (folder,\nthe default); or the last dossier sheet, across\nfiles"
	    " (sheet)" },
	{ "done", OPT_DONE, "move:DIR|leave", "what becomes of a file once"
	    " stored: moved\nunder DIR (its folders kept), or left (the\n"
	    "default)" },
	{ "settle", OPT_SETTLE, "S", "seconds a file must stay unchanged"
	    " (default 3)" },
	{ "pdf-text", OPT_PDF_TEXT, "ocr|keep", "a PDF page's own text: OCR"
	    " it again (default)\nor keep it" },
	{ "jobs", 'j', "N", "OCR worker threads (default: number of cores)" },
	{ "lang", OPT_LANG, "L", "Tesseract languages (default vie)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--dossier-from folder|sheet]\n"
	"                   [--done move:DIR|leave] [--settle S]\n"
	"                   [--pdf-text ocr|keep] [-j N] FOLDER",
	"Watch FOLDER (and the folders in it) and ingest every scan put there,\n"
	"once it is completely written: a file still growing, or held open by\n"
	"its writer, is left until it is done.  Each file is stored once (by\n"
	"its SHA-256); one that is not a scan is listed and left alone; one\n"
	"that cannot be read is named on stderr, recorded ('sohoa status') and\n"
	"left where it is until it changes.  With --done move:DIR a stored file\n"
	"is moved to the same place under DIR.  Dossiers are the folders'\n"
	"names, or come from separator sheets ('sohoa sheet').\n"
	"\n"
	"Stopping and starting again is safe: the folder is looked at again and\n"
	"what the archive has is skipped.  It runs beside 'sohoa serve' and\n"
	"'sohoa ingest' (it takes the archive only while it stores a batch).\n"
	"As a service: packaging/sohoa-watch@.service (README.md).\n",
	options,
	"One line a file on stderr: stored, already stored, left out, or why it\n"
	"failed (not with -q, but failures).\n"
	"\n"
	"Exit status: 130 stopped by Ctrl-C, 143 by SIGTERM (what was being\n"
	"read is finished); 1 the folder or archive cannot be used; 2 usage.\n",
};

/* How long a writer may hold a file open without writing before we go. */
#define WRITER_GIVE_UP 600
/* Seconds between two tries when another ingest holds the archive. */
#define BUSY_WAIT 5

enum cand_state { PENDING, STORED, FAILED, LEFT_OUT };

/* A file in the folder and what we know of it. */
struct cand {
	char *path;		/* FOLDER/relative, as given to ingest */
	off_t size;
	struct timespec mtime;
	double changed;		/* when we last saw it change */
	int writing;		/* modified, not closed yet */
	int state;		/* enum cand_state */
	int outcome;		/* in a batch: the ingest event that ended it */
};

struct watch {
	struct cli *cli;
	const char *dir;	/* FOLDER as given */
	const char *move_to;	/* --done move:DIR, or NULL */
	double settle;
	int ifd;		/* inotify */
	struct { int wd; char *path; } *wds;
	size_t nwds;
	struct cand *c;
	size_t n;
	struct sohoa_ingest_opts opts;
	struct sohoa_ingest_carry *carry;
	struct progress prog;
	double busy_until;
	int busy_said;
	int failed_setup;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct cand *
cand_find(struct watch *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->c[i].path, path) == 0)
			return &w->c[i];
	return NULL;
}

static void
cand_drop(struct watch *w, struct cand *c)
{
	free(c->path);
	*c = w->c[--w->n];
}

/*
 * PATH was made, written, closed, moved in, or found: note it.  CLOSED:
 * its writer closed it (or it was moved in whole); WRITTEN: it was
 * modified.
 */
static void
touch_file(struct watch *w, const char *path, int written, int closed)
{
	struct cand *c, *v;
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	c = cand_find(w, path);
	if (c == NULL) {
		v = realloc(w->c, (w->n + 1) * sizeof(*v));
		if (v == NULL)
			return;
		w->c = v;
		c = &w->c[w->n];
		memset(c, 0, sizeof(*c));
		c->path = strdup(path);
		if (c->path == NULL)
			return;
		w->n++;
		c->state = PENDING;
		c->size = -1;
	}
	/* a file done with comes back only when it changed */
	if (c->state != PENDING) {
		if (st.st_size == c->size && st.st_mtim.tv_sec ==
		    c->mtime.tv_sec && st.st_mtim.tv_nsec == c->mtime.tv_nsec)
			return;
		c->state = PENDING;
	}
	c->size = st.st_size;
	c->mtime = st.st_mtim;
	c->changed = now();
	if (written)
		c->writing = 1;
	if (closed)
		c->writing = 0;
}

static int
add_watch(struct watch *w, const char *path)
{
	void *v;
	int wd;

	wd = inotify_add_watch(w->ifd, path, IN_CLOSE_WRITE | IN_MOVED_TO |
	    IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF |
	    IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW);
	if (wd < 0) {
		cli_error("cannot watch '%s': %s%s", path, strerror(errno),
		    errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" :
		    "");
		return -1;
	}
	v = realloc(w->wds, (w->nwds + 1) * sizeof(*w->wds));
	if (v == NULL)
		return -1;
	w->wds = v;
	w->wds[w->nwds].wd = wd;
	w->wds[w->nwds].path = strdup(path);
	w->nwds++;
	return 0;
}

/* Watch folder PATH and what is under it; every file in it is noted. */
static int
scan_dir(struct watch *w, const char *path, int depth)
{
	struct sohoa_buf sub = SOHOA_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (depth > 32 || add_watch(w, path) != 0)
		return -1;
	d = opendir(path);
	if (d == NULL) {
		cli_error("cannot read folder '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sohoa_buf_reset(&sub);
		if (sohoa_buf_addf(&sub, "%s/%s", path, de->d_name) != SOHOA_OK)
			break;
		if (lstat(sub.buf, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && de->d_name[0] != '.')
			rc |= scan_dir(w, sub.buf, depth + 1);
		else if (S_ISREG(st.st_mode))
			touch_file(w, sub.buf, 0, 0);
	}
	closedir(d);
	sohoa_buf_release(&sub);
	return rc;
}

static const char *
wd_path(const struct watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->nwds; i++)
		if (w->wds[i].wd == wd)
			return w->wds[i].path;
	return NULL;
}

/* Read what inotify has; -1 when the watched folder itself went away. */
static int
read_events(struct watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct sohoa_buf path = SOHOA_BUF_INIT;
	const struct inotify_event *ev;
	const char *dir;
	ssize_t n;
	char *p;
	int rc = 0;

	while ((n = read(w->ifd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* events were lost: look at everything again */
				scan_dir(w, w->dir, 0);
				continue;
			}
			dir = wd_path(w, ev->wd);
			if (dir == NULL)
				continue;
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
				if (strcmp(dir, w->dir) == 0)
					rc = -1;
				continue;
			}
			if (ev->len == 0 || ev->name[0] == '\0')
				continue;
			sohoa_buf_reset(&path);
			if (sohoa_buf_addf(&path, "%s/%s", dir, ev->name) !=
			    SOHOA_OK)
				continue;
			if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
				struct cand *c = cand_find(w, path.buf);

				if (c != NULL)
					cand_drop(w, c);	/* gone */
				continue;
			}
			if (ev->mask & IN_ISDIR) {
				if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
				    ev->name[0] != '.')
					scan_dir(w, path.buf, 1);
				continue;
			}
			touch_file(w, path.buf, (ev->mask & IN_MODIFY) != 0,
			    (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0);
		}
	}
	sohoa_buf_release(&path);
	return rc;
}

/* Is C ready to ingest: unchanged (we look again) and not being written? */
static int
ready(struct watch *w, struct cand *c, double t)
{
	struct stat st;

	if (c->state != PENDING)
		return 0;
	if (lstat(c->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		cand_drop(w, c);	/* gone */
		return -1;
	}
	if (st.st_size != c->size || st.st_mtim.tv_sec != c->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != c->mtime.tv_nsec) {
		c->size = st.st_size;
		c->mtime = st.st_mtim;
		c->changed = t;
		return 0;
	}
	if (t - c->changed < w->settle)
		return 0;
	/* a writer holding it open: wait for its close, or for long */
	return !c->writing || t - c->changed >= WRITER_GIVE_UP;
}

/* Scanner order of the batch: by folder, then "scan2" before "scan10". */
static int
by_path(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	const char *sx = strrchr(x, '/'), *sy = strrchr(y, '/');
	size_t lx = sx ? (size_t)(sx - x) : 0, ly = sy ? (size_t)(sy - y) : 0;
	int c = strncmp(x, y, lx < ly ? lx : ly);

	if (c != 0 || lx != ly)
		return c != 0 ? c : lx < ly ? -1 : 1;
	return strverscmp(x + lx, y + ly);
}

/* Make the folders above PATH. */
static int
make_parents(const char *path)
{
	char *p = strdup(path), *s;
	int rc = 0;

	if (p == NULL)
		return -1;
	for (s = strchr(p + 1, '/'); s != NULL && rc == 0;
	    s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	free(p);
	return rc;
}

/* Copy SRC to DST (another file system), synced, then remove SRC. */
static int
copy_over(const char *src, const char *dst)
{
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	char buf[65536];
	ssize_t n = 0;
	int in, out = -1, rc = -1;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || sohoa_buf_addf(&tmp, "%s.part", dst) != SOHOA_OK)
		goto out;
	out = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0)
		goto out;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	if (n == 0 && fsync(out) == 0 && close(out) == 0) {
		out = -1;
		if (rename(tmp.buf, dst) == 0 && unlink(src) == 0)
			rc = 0;
	}
out:
	if (out >= 0) {
		close(out);
		unlink(tmp.buf);
	}
	if (in >= 0)
		close(in);
	sohoa_buf_release(&tmp);
	return rc;
}

/*
 * Move stored file PATH to the same place under --done move:DIR; a name
 * taken there gets "-2", "-3"... before its extension.
 */
static void
move_done(struct watch *w, const char *path)
{
	struct sohoa_buf dst = SOHOA_BUF_INIT;
	const char *rel = path + strlen(w->dir), *dot, *slash;
	struct stat st;
	int k;

	while (*rel == '/')
		rel++;
	for (k = 1; k < 1000; k++) {
		sohoa_buf_reset(&dst);
		slash = strrchr(rel, '/');
		dot = strrchr(rel, '.');
		if (dot == NULL || (slash != NULL && dot < slash) || dot == rel)
			dot = rel + strlen(rel);
		if (k == 1)
			sohoa_buf_addf(&dst, "%s/%s", w->move_to, rel);
		else
			sohoa_buf_addf(&dst, "%s/%.*s-%d%s", w->move_to,
			    (int)(dot - rel), rel, k, dot);
		if (lstat(dst.buf, &st) != 0)
			break;
	}
	if (make_parents(dst.buf) != 0 || (rename(path, dst.buf) != 0 &&
	    (errno != EXDEV || copy_over(path, dst.buf) != 0)))
		cli_error("cannot move '%s' to '%s': %s (it stays; it is "
		    "stored)", path, dst.buf, strerror(errno));
	else if (w->cli->verbosity > 0)
		cli_info(w->cli, "moved '%s' to '%s'", path, dst.buf);
	sohoa_buf_release(&dst);
}

/* What each file of the batch came to, then the CLI's own lines. */
static int
batch_progress(void *arg, const struct sohoa_ingest_event *ev)
{
	struct watch *w = arg;
	struct cand *c;

	if (ev->path != NULL && (ev->type == SOHOA_INGEST_FILE_DONE ||
	    ev->type == SOHOA_INGEST_FILE_SKIPPED ||
	    ev->type == SOHOA_INGEST_FILE_FAILED) &&
	    (c = cand_find(w, ev->path)) != NULL && c->outcome !=
	    SOHOA_INGEST_FILE_FAILED)
		c->outcome = ev->type;
	if (ev->type == SOHOA_INGEST_FILE_DONE && w->cli->verbosity >= 0 &&
	    w->cli->verbosity < 1)
		cli_info(w->cli, "stored '%s': %d page%s, %d document%s",
		    ev->path, ev->file_pages, ev->file_pages == 1 ? "" : "s",
		    ev->file_documents, ev->file_documents == 1 ? "" : "s");
	if (ev->type == SOHOA_INGEST_FILE_SKIPPED && w->cli->verbosity == 0)
		cli_info(w->cli, "'%s' is stored already", ev->path);
	return cli_progress_ingest(&w->prog, ev);
}

/* Ingest the files that are ready, as one batch. */
static int
run_batch(struct watch *w)
{
	struct sohoa_ingest_stats stats;
	struct sohoa_archive *a = NULL;
	const char **paths = NULL, *why;
	struct cand *c;
	double t = now();
	size_t i, n = 0;
	int r, rc = SOHOA_OK;

	if (t < w->busy_until)
		return SOHOA_OK;
	paths = calloc(w->n + 1, sizeof(*paths));
	if (paths == NULL)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < w->n; ) {
		c = &w->c[i];
		r = ready(w, c, t);
		if (r < 0)
			continue;	/* dropped: the next one is at i */
		i++;
		if (r == 0)
			continue;
		/* no scan: said once, left alone until it changes */
		why = sohoa_ingest_not_scan(c->path);
		if (why != NULL) {
			cli_info(w->cli, "left out '%s': not a scan (%s)",
			    c->path, why);
			c->state = LEFT_OUT;
			continue;
		}
		c->outcome = 0;
		paths[n++] = c->path;
	}
	if (n == 0)
		goto out;
	qsort(paths, n, sizeof(*paths), by_path);
	memset(&stats, 0, sizeof(stats));
	rc = sohoa_archive_open(w->cli->ctx, w->cli->archive, 0, &a);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_set_actor(a, cli_who(), "cli");
	if (rc == SOHOA_OK) {
		cli_progress_init(&w->prog, w->cli);
		w->opts.progress = batch_progress;
		w->opts.arg = w;
		rc = sohoa_ingest_run(a, &w->opts, paths, n, &stats);
		cli_progress_done(&w->prog);
	}
	sohoa_archive_close(&a);
	if (rc == SOHOA_ERR_BUSY) {
		/* another ingest has the archive: the files wait */
		if (!w->busy_said)
			cli_info(w->cli, "%s; waiting", sohoa_errmsg(w->cli->ctx));
		w->busy_said = 1;
		w->busy_until = now() + BUSY_WAIT;
		sohoa_ingest_stats_release(&stats);
		rc = SOHOA_OK;
		goto out;
	}
	w->busy_said = 0;
	for (i = 0; i < w->n; i++) {
		c = &w->c[i];
		if (c->state != PENDING || c->outcome == 0)
			continue;
		if (c->outcome == SOHOA_INGEST_FILE_FAILED) {
			c->state = FAILED;	/* tried again once it changes */
			continue;
		}
		c->state = STORED;
		if (w->move_to != NULL)
			move_done(w, c->path);
	}
	/* moved files are no longer here */
	for (i = 0; w->move_to != NULL && i < w->n; )
		if (w->c[i].state == STORED)
			cand_drop(w, &w->c[i]);
		else
			i++;
	if (rc != SOHOA_OK && rc != SOHOA_ERR_CANCELLED)
		cli_error("%s", sohoa_errmsg(w->cli->ctx));
	sohoa_ingest_stats_release(&stats);
out:
	free(paths);
	return rc;
}

/* Seconds until the next file could be ready (poll's timeout). */
static int
next_wait_ms(const struct watch *w)
{
	double t = now(), best = 5, left;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->c[i].state != PENDING)
			continue;
		left = w->c[i].changed + w->settle - t;
		if (left < best)
			best = left;
	}
	if (w->busy_until > t && w->busy_until - t < best)
		best = w->busy_until - t;
	if (best < 0.05)
		best = 0.05;
	return (int)(best * 1000) + 10;
}

/* The real path of P, or NULL. */
static char *
real(const char *p)
{
	return realpath(p, NULL);
}

/* Is A the folder B, or inside it?  (Both real paths.) */
static int
inside(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/' ||
	    (n == 1 && b[0] == '/'));
}

int cmd_watch(int argc, char **argv, struct cli *cli);

int
cmd_watch(int argc, char **argv, struct cli *cli)
{
	struct watch w;
	struct cli_parser p;
	struct pollfd pf;
	struct stat st;
	char *rdir = NULL, *rarch = NULL, *rmove = NULL, *end;
	const char *done = "leave";
	size_t i;
	int c, ret = EXIT_FAILED;

	memset(&w, 0, sizeof(w));
	w.cli = cli;
	w.ifd = -1;
	w.settle = 3;
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_DOSSIER_FROM:
			if (strcmp(p.arg, "folder") == 0)
				w.opts.dossier_from = SOHOA_DOSSIER_FROM_FOLDER;
			else if (strcmp(p.arg, "sheet") == 0)
				w.opts.dossier_from = SOHOA_DOSSIER_FROM_SHEET;
			else
				return cli_usage(cli, "option '%s' takes folder or "
				    "sheet, not '%s'", p.opt, p.arg);
			break;
		case OPT_DONE:
			done = p.arg;
			if (strcmp(done, "leave") != 0 && (strncmp(done, "move:", 5)
			    != 0 || done[5] == '\0'))
				return cli_usage(cli, "option '%s' takes move:DIR or "
				    "leave, not '%s'", p.opt, p.arg);
			break;
		case OPT_SETTLE:
			errno = 0;
			w.settle = strtod(p.arg, &end);
			if (errno != 0 || *end != '\0' || !(w.settle >= 0.1 &&
			    w.settle <= 3600))
				return cli_usage(cli, "option '%s' takes seconds "
				    "from 0.1 to 3600, not '%s'", p.opt, p.arg);
			break;
		case OPT_PDF_TEXT:
			if (strcmp(p.arg, "ocr") == 0)
				w.opts.pdf_text = SOHOA_PDF_TEXT_OCR;
			else if (strcmp(p.arg, "keep") == 0)
				w.opts.pdf_text = SOHOA_PDF_TEXT_KEEP;
			else
				return cli_usage(cli, "option '%s' takes ocr or "
				    "keep, not '%s'", p.opt, p.arg);
			break;
		case 'j':
			if ((ret = cli_opt_int(&p, 1, 256, &w.opts.jobs)) != 0)
				return ret;
			break;
		case OPT_LANG:
			w.opts.lang = p.arg;
			break;
		default:
			return p.status;
		}
	}
	if ((ret = cli_operands(&p, 1, 1, "FOLDER (the folder to watch)")) != 0)
		return ret;
	ret = EXIT_FAILED;
	w.dir = p.argv[0];
	/* the folder, without its trailing slashes (paths are built on it) */
	w.dir = strdup(w.dir);
	if (w.dir == NULL)
		goto nomem;
	for (end = (char *)w.dir + strlen(w.dir); end > w.dir + 1 &&
	    end[-1] == '/'; end--)
		end[-1] = '\0';
	if (stat(w.dir, &st) != 0) {
		cli_error("cannot watch '%s': %s", w.dir, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		ret = cli_usage(cli, "'%s' is not a folder", w.dir);
		goto out;
	}
	rdir = real(w.dir);
	rarch = real(cli->archive);
	if (rdir == NULL || rarch == NULL) {
		cli_error("no archive in '%s' (run 'sohoa init' or pass --archive"
		    " DIR)", cli->archive);
		goto out;
	}
	if (inside(rarch, rdir)) {
		ret = cli_usage(cli, "the archive '%s' is inside the watched "
		    "folder '%s'", cli->archive, w.dir);
		goto out;
	}
	if (strncmp(done, "move:", 5) == 0) {
		w.move_to = done + 5;
		if (mkdir(w.move_to, 0755) != 0 && errno != EEXIST) {
			cli_error("cannot make '%s': %s", w.move_to, strerror(errno));
			goto out;
		}
		rmove = real(w.move_to);
		if (rmove == NULL || inside(rmove, rdir) || inside(rmove, rarch)) {
			ret = cli_usage(cli, "--done move:%s: the folder must be "
			    "outside the watched folder and the archive",
			    w.move_to);
			goto out;
		}
	}
	if (sohoa_ingest_carry_new(&w.carry) != SOHOA_OK)
		goto nomem;
	w.opts.carry = w.carry;
	w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w.ifd < 0) {
		cli_error("cannot watch '%s': %s", w.dir, strerror(errno));
		goto out;
	}
	if (scan_dir(&w, w.dir, 0) != 0 && w.nwds == 0)
		goto out;
	cli_info(cli, "watching '%s' (%zu folder%s) for scans", w.dir, w.nwds,
	    w.nwds == 1 ? "" : "s");
	pf.fd = w.ifd;
	pf.events = POLLIN;
	while (!cli_interrupted) {
		if (poll(&pf, 1, next_wait_ms(&w)) < 0 && errno != EINTR) {
			cli_error("cannot watch '%s': %s", w.dir, strerror(errno));
			goto out;
		}
		if (cli_interrupted)
			break;
		if (read_events(&w) != 0) {
			cli_error("the watched folder '%s' was removed or moved",
			    w.dir);
			goto out;
		}
		if (run_batch(&w) == SOHOA_ERR_NOMEM)
			goto nomem;
	}
	ret = EXIT_DONE;	/* main() makes it 130 or 143 */
	goto out;
nomem:
	cli_error("out of memory");
out:
	if (w.ifd >= 0)
		close(w.ifd);
	for (i = 0; i < w.nwds; i++)
		free(w.wds[i].path);
	free(w.wds);
	for (i = 0; i < w.n; i++)
		free(w.c[i].path);
	free(w.c);
	sohoa_ingest_carry_destroy(&w.carry);
	free((char *)w.dir);
	free(rdir);
	free(rarch);
	free(rmove);
	return ret;
}
