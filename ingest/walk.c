/*
 * Walking the ingest inputs: files as given, folders recursed in the
 * order a scanner numbers its files ("scan2" before "scan10": glibc's
 * versionsort), so that pages keep their scanning order across runs.
 *
 * Nothing in a walked folder is passed over without a word: a file is
 * taken when its name says it is a scan (.tif, .pdf, ...) or its first
 * bytes do (a JPEG named "scan0003"); any other file, and any hidden
 * entry, is listed as not a scan with the reason (what it looks like).
 *
 * Each real folder (device + inode) is walked once, however many links
 * lead to it: the folders themselves first, then the links to folders,
 * in the order they were met, so that a folder's files are found under
 * its own name rather than a link's, and a link back up the tree
 * ("x -> .") is a folder already walked.  What cannot hold a scan is
 * reported, one input with an error each: a link to nothing, a FIFO, a
 * socket, a device, a folder with no scan in it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sohoa/buf.h"
#include "ingest_private.h"

/* Deeper folders than this are refused (a real tree that deep is odd). */
#define MAX_DEPTH 32
#define NO_SCANS "no scans in this folder (no TIFF, PNG, JPEG, PNM or PDF" \
	" file)"
#define HIDDEN "hidden (its name starts with '.'), not looked at"
/* Bytes looked at to tell what a file is. */
#define SNIFF 1024
/* Entries looked at between two calls of the cancel check. */
#define CHECK_EVERY 256

/* Folders already walked, by device and inode (open addressing). */
struct seen {
	struct dirid {
		dev_t dev;
		ino_t ino;
		int used;
	} *v;
	size_t n, cap;
};

struct walker {
	struct inputs *list;
	struct seen seen;
	char **links;		/* links to folders, walked after the folders */
	size_t nlinks, alinks, next;
	int (*check)(void *arg, const char *path);
	void *arg;
	unsigned ticks;
	int cancelled;
};

int
ingest_is_image_name(const char *name)
{
	static const char *const ext[] = { "tif", "tiff", "png", "jpg", "jpeg",
	    "pnm", "pbm", "pgm", "ppm", "pdf" };
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL)
		return 0;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

static int
add_input(struct inputs *list, const char *path, const char *error,
    int not_scan)
{
	struct input *v;

	if (list->n == list->alloc) {
		list->alloc = list->alloc ? 2 * list->alloc : 32;
		v = realloc(list->v, list->alloc * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		list->v = v;
	}
	v = &list->v[list->n];
	v->not_scan = not_scan;
	v->path = strdup(path);
	v->error = error ? strdup(error) : NULL;
	if (v->path == NULL || (error != NULL && v->error == NULL)) {
		free(v->path);
		free(v->error);
		return SOHOA_ERR_NOMEM;
	}
	list->n++;
	return SOHOA_OK;
}

static int
add(struct inputs *list, const char *path, const char *error)
{
	return add_input(list, path, error, 0);
}

/* Inputs from BEFORE on that are more than a listing of no scans. */
static int
added_real(const struct inputs *list, size_t before)
{
	for (; before < list->n; before++)
		if (!list->v[before].not_scan)
			return 1;
	return 0;
}

static int
has_magic(const unsigned char *h, size_t n, size_t at, const char *m,
    size_t mlen)
{
	return n >= at + mlen && memcmp(h + at, m, mlen) == 0;
}

/* Valid UTF-8 text (or Latin-1-ish text): no control bytes but space. */
static int
looks_text(const unsigned char *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (h[i] < 0x20 && h[i] != '\n' && h[i] != '\r' && h[i] != '\t' &&
		    h[i] != '\f')
			return 0;
	return n > 0;
}

/*
 * What the file whose first N bytes are H is, when it is not a scan the
 * reader takes (a static string), or NULL when it is one: TIFF, PNG,
 * JPEG, PNM, PDF, told by content as the reader does.
 */
const char *
ingest_not_scan_reason(const unsigned char *h, size_t n)
{
	static const struct {
		size_t at;
		const char *magic;
		size_t len;
		const char *what;
	} kinds[] = {
		{ 0, "PK\3\4", 4, "a ZIP archive (an Office or OpenDocument "
		    "file, or .zip)" },
		{ 0, "\xd0\xcf\x11\xe0", 4, "an old Office document (.doc, .xls)" },
		{ 0, "GIF8", 4, "a GIF image" },
		{ 0, "BM", 2, "a BMP image" },
		{ 8, "WEBP", 4, "a WebP image" },
		{ 4, "ftypheic", 8, "a HEIC image" },
		{ 4, "ftypmif1", 8, "a HEIF image" },
		{ 4, "ftypavif", 8, "an AVIF image" },
		{ 0, "\0\0\0\x0cjP  ", 8, "a JPEG 2000 image" },
		{ 0, "\xff\x4f\xff\x51", 4, "a JPEG 2000 image" },
		{ 0, "\x97JB2", 4, "a JBIG2 file" },
		{ 0, "AT&TFORM", 8, "a DjVu document" },
		{ 0, "{\\rtf", 5, "an RTF document" },
		{ 0, "\x1f\x8b", 2, "a gzip file" },
		{ 0, "7z\xbc\xaf", 4, "a 7-Zip archive" },
		{ 0, "Rar!", 4, "a RAR archive" },
		{ 0, "SQLite format 3", 15, "an SQLite database" },
		{ 0, "<?xml", 5, "an XML file" },
		{ 0, "\xef\xbb\xbf", 3, "a text file" },
	};
	size_t i;

	if ((n >= 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 ||
	    h[2] == 43) && h[3] == 0) || (h[0] == 'M' && h[1] == 'M' &&
	    h[2] == 0 && (h[3] == 42 || h[3] == 43)))) ||
	    has_magic(h, n, 0, "\x89PNG\r\n\x1a\n", 8) ||
	    has_magic(h, n, 0, "\xff\xd8\xff", 3) ||
	    (n >= 3 && h[0] == 'P' && h[1] >= '1' && h[1] <= '6' &&
	    (h[2] == ' ' || h[2] == '\n' || h[2] == '\r' || h[2] == '\t' ||
	    h[2] == '#')) || memmem(h, n, "%PDF-", 5) != NULL)
		return NULL;
	if (n == 0)
		return "an empty file";
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (has_magic(h, n, kinds[i].at, kinds[i].magic, kinds[i].len))
			return kinds[i].what;
	if (looks_text(h, n))
		return n > 0 && (h[0] == '{' || h[0] == '[') ? "a JSON or text "
		    "file" : h[0] == '<' ? "an HTML or XML file" : "a text file";
	return "not an image or PDF sohoa reads";
}

const char *
sohoa_ingest_not_scan(const char *path)
{
	unsigned char head[SNIFF];
	const char *name = strrchr(path, '/');
	ssize_t n;
	int fd;

	name = name != NULL ? name + 1 : path;
	if (name[0] == '.')
		return HIDDEN;
	if (ingest_is_image_name(name))
		return NULL;
	/* O_NONBLOCK: a file swapped for a FIFO must not hang the walk */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return NULL;
	return ingest_not_scan_reason(head, (size_t)n);
}

/*
 * A file met in a folder whose name is no scan's: taken when its first
 * bytes are a scan's, else listed as not a scan.  A file that cannot be
 * opened is taken, so that the reader says why it cannot be read.
 */
static int
add_by_content(struct inputs *list, const char *path)
{
	const char *why = sohoa_ingest_not_scan(path);

	return add_input(list, path, why, why != NULL);
}

/* An input whose error is WHAT followed by strerror(ERR). */
static int
add_errno(struct inputs *list, const char *path, const char *what, int err)
{
	struct sohoa_buf msg = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_buf_addf(&msg, "%s%s", what, strerror(err));
	if (rc == SOHOA_OK)
		rc = add(list, path, msg.buf);
	sohoa_buf_release(&msg);
	return rc;
}

static size_t
seen_slot(const struct seen *s, dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)ino * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)dev;
	size_t i = (size_t)(h ^ (h >> 29)) & (s->cap - 1);

	while (s->v[i].used && (s->v[i].dev != dev || s->v[i].ino != ino))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/*
 * Mark the folder ST as walked: 1 when it is new, 0 when it was walked
 * already, -1 when out of memory.
 */
static int
seen_add(struct seen *s, const struct stat *st)
{
	struct dirid *old = s->v;
	size_t i, cap = s->cap;

	if (2 * (s->n + 1) > s->cap) {
		s->cap = cap ? 2 * cap : 64;
		s->v = calloc(s->cap, sizeof(*s->v));
		if (s->v == NULL) {
			s->v = old;
			s->cap = cap;
			return -1;
		}
		for (i = 0; i < cap; i++)
			if (old[i].used)
				s->v[seen_slot(s, old[i].dev, old[i].ino)] = old[i];
		free(old);
	}
	i = seen_slot(s, st->st_dev, st->st_ino);
	if (s->v[i].used)
		return 0;
	s->v[i].dev = st->st_dev;
	s->v[i].ino = st->st_ino;
	s->v[i].used = 1;
	s->n++;
	return 1;
}

/* Ask the caller whether to go on; sets w->cancelled. */
static int
keep_going(struct walker *w, const char *path)
{
	if (w->cancelled)
		return 0;
	if (w->check != NULL && w->check(w->arg, path) != 0)
		w->cancelled = 1;
	return !w->cancelled;
}

static int
queue_link(struct walker *w, const char *path)
{
	char **v;

	if (w->nlinks == w->alinks) {
		w->alinks = w->alinks ? 2 * w->alinks : 16;
		v = realloc(w->links, w->alinks * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		w->links = v;
	}
	if ((w->links[w->nlinks] = strdup(path)) == NULL)
		return SOHOA_ERR_NOMEM;
	w->nlinks++;
	return SOHOA_OK;
}

/* What a file that is not a file or a folder is, for the message. */
static const char *
kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe), not a file";
	if (S_ISSOCK(mode))
		return "a socket, not a file";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device, not a file";
	return "not a regular file";
}

/* Why the link PATH leads nowhere (stat set ERR). */
static int
add_broken_link(struct inputs *list, const char *path, int err)
{
	struct sohoa_buf msg = SOHOA_BUF_INIT, target = SOHOA_BUF_INIT;
	struct stat lst;
	char *t = NULL;
	ssize_t n = -1;
	int rc = SOHOA_OK;

	if (lstat(path, &lst) == 0 && (t = malloc((size_t)lst.st_size + 1)))
		n = readlink(path, t, (size_t)lst.st_size + 1);
	if (n >= 0 && n <= lst.st_size)
		rc = sohoa_buf_add(&target, t, (size_t)n);
	free(t);
	if (rc != SOHOA_OK)
		;
	else if (err == ELOOP)
		rc = sohoa_buf_adds(&msg, "a link in a loop of links");
	else if (err == ENOENT || err == ENOTDIR)
		rc = sohoa_buf_addf(&msg, "a broken link (its target '%s' does"
		    " not exist)", target.buf);
	else
		rc = sohoa_buf_addf(&msg, "a link to '%s', which cannot be"
		    " read: %s", target.buf, strerror(err));
	if (rc == SOHOA_OK)
		rc = add(list, path, msg.buf);
	sohoa_buf_release(&msg);
	sohoa_buf_release(&target);
	return rc;
}

/* Scanner numbering: "scan2" before "scan10" (glibc versionsort). */
static int
cmp_names(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names in folder PATH in scanner order; hidden ones are listed as
 * not scans.
 */
static int
read_names(struct walker *w, DIR *d, const char *path, char ***pnames,
    size_t *pn)
{
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, alloc = 0;

	*pnames = NULL;
	*pn = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++w->ticks % CHECK_EVERY == 0 && !keep_going(w, path))
			break;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			nn = realloc(names, alloc * sizeof(*names));
			if (nn == NULL)
				goto nomem;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*pnames = names;
	*pn = n;
	return SOHOA_OK;
nomem:
	while (n > 0)
		free(names[--n]);
	free(names);
	return SOHOA_ERR_NOMEM;
}

static int walk_dir(struct walker *w, const char *path, int depth,
    size_t *pfound);

/*
 * One entry PATH met in a folder: a folder is walked, a link to a folder
 * queued, an image file taken, other files skipped, and what cannot be a
 * file reported.  *pfound counts what became an input (or was queued).
 */
static int
walk_entry(struct walker *w, const char *path, int depth, size_t *pfound,
    int *pempty)
{
	struct stat lst, st;
	size_t before = w->list->n, found = 0;
	int rc;

	*pempty = 0;
	if (lstat(path, &lst) != 0) {
		(*pfound)++;
		return add_errno(w->list, path, "", errno);
	}
	if (S_ISLNK(lst.st_mode)) {
		if (stat(path, &st) != 0) {
			(*pfound)++;
			return add_broken_link(w->list, path, errno);
		}
		if (S_ISDIR(st.st_mode)) {
			(*pfound)++;
			return queue_link(w, path);
		}
	} else {
		st = lst;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = walk_dir(w, path, depth + 1, &found);
		*pfound += found;
		*pempty = rc == SOHOA_OK && found == 0 &&
		    !added_real(w->list, before) && !w->cancelled;
		return rc;
	}
	if (S_ISREG(st.st_mode)) {
		/* scans sit next to notes and JSON: those are listed, not read */
		if (ingest_is_image_name(path)) {
			(*pfound)++;
			return add(w->list, path, NULL);
		}
		rc = add_by_content(w->list, path);
		if (rc == SOHOA_OK && !w->list->v[w->list->n - 1].not_scan)
			(*pfound)++;
		return rc;
	}
	(*pfound)++;
	return add(w->list, path, kind(st.st_mode));
}

/*
 * Walk folder PATH (not walked before).  *pfound gets the number of
 * inputs found under it.  Sub-folders that held nothing are reported
 * here when PATH held something else, so that an empty tree is reported
 * once, at its top.
 */
static int
walk_dir(struct walker *w, const char *path, int depth, size_t *pfound)
{
	struct sohoa_buf sub = SOHOA_BUF_INIT;
	char **names = NULL, **empty = NULL;
	size_t n = 0, nempty = 0, i;
	struct stat st;
	DIR *d;
	int rc = SOHOA_OK, isempty;

	*pfound = 0;
	if (depth > MAX_DEPTH) {
		*pfound = 1;
		return add(w->list, path, "folders nested too deep");
	}
	d = opendir(path);
	if (d == NULL) {
		*pfound = 1;
		return add_errno(w->list, path, "cannot open folder: ", errno);
	}
	if (fstat(dirfd(d), &st) == 0) {
		isempty = seen_add(&w->seen, &st);
		if (isempty < 0) {
			rc = SOHOA_ERR_NOMEM;
			goto out;
		}
		if (isempty == 0) {
			/* walked already, through another path or a link */
			*pfound = 1;
			goto out;
		}
	}
	if (!keep_going(w, path))
		goto out;
	rc = read_names(w, d, path, &names, &n);
	if (rc == SOHOA_OK && n > 0 && (empty = calloc(n, sizeof(*empty))) ==
	    NULL)
		rc = SOHOA_ERR_NOMEM;
	for (i = 0; i < n && rc == SOHOA_OK && !w->cancelled; i++) {
		if (++w->ticks % CHECK_EVERY == 0 && !keep_going(w, path))
			break;
		sohoa_buf_reset(&sub);
		rc = sohoa_buf_addf(&sub, "%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
		if (rc != SOHOA_OK)
			break;
		if (names[i][0] == '.') {
			/* a hidden entry: a viewer's cache, a file being copied */
			rc = add_input(w->list, sub.buf, HIDDEN, 1);
			continue;
		}
		rc = walk_entry(w, sub.buf, depth, pfound, &isempty);
		if (rc == SOHOA_OK && isempty)
			empty[nempty++] = names[i];
	}
	for (i = 0; rc == SOHOA_OK && *pfound > 0 && i < nempty; i++) {
		sohoa_buf_reset(&sub);
		rc = sohoa_buf_addf(&sub, "%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", empty[i]);
		if (rc == SOHOA_OK)
			rc = add(w->list, sub.buf, NO_SCANS);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(empty);
	closedir(d);
	sohoa_buf_release(&sub);
	return rc;
}

/*
 * A path the user gave, or a link to a folder met on the way: a file is
 * taken whatever its name, a folder walked (and reported when it held no
 * scan at all).
 */
static int
walk_top(struct walker *w, const char *path, int given)
{
	struct stat st, lst;
	size_t before = w->list->n, found = 0;
	int rc;

	if (stat(path, &st) != 0) {
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			return add_broken_link(w->list, path, errno);
		return add_errno(w->list, path, "", errno);
	}
	if (S_ISDIR(st.st_mode)) {
		rc = walk_dir(w, path, 0, &found);
		if (rc == SOHOA_OK && found == 0 && !added_real(w->list, before) &&
		    !w->cancelled)
			rc = add(w->list, path, NO_SCANS);
		return rc;
	}
	if (!given)
		return SOHOA_OK;	/* a link queued as a folder changed */
	if (!S_ISREG(st.st_mode))
		return add(w->list, path, kind(st.st_mode));
	return add(w->list, path, NULL);
}

int
ingest_walk(struct sohoa_ctx *ctx, const char *const *paths, size_t n,
    int (*check)(void *arg, const char *path), void *arg,
    struct inputs *list)
{
	struct walker w;
	size_t i;
	int rc = SOHOA_OK;

	memset(&w, 0, sizeof(w));
	w.list = list;
	w.check = check;
	w.arg = arg;
	for (i = 0; i < n && rc == SOHOA_OK && keep_going(&w, paths[i]); i++)
		rc = walk_top(&w, paths[i], 1);
	/* then the links to folders, in the order met (more may be queued) */
	for (w.next = 0; w.next < w.nlinks && rc == SOHOA_OK &&
	    keep_going(&w, w.links[w.next]); w.next++)
		rc = walk_top(&w, w.links[w.next], 0);
	for (i = 0; i < w.nlinks; i++)
		free(w.links[i]);
	free(w.links);
	free(w.seen.v);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	if (w.cancelled)
		return sohoa_set_error(ctx, SOHOA_ERR_CANCELLED,
		    "interrupted while looking for scans");
	return SOHOA_OK;
}

void
ingest_inputs_release(struct inputs *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		free(list->v[i].path);
		free(list->v[i].error);
	}
	free(list->v);
	list->v = NULL;
	list->n = list->alloc = 0;
}
