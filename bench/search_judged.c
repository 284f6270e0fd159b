/*
 * Judged queries over sample scans with ground truth (samples/README.md):
 * the queries of bench/judged.h are made from each document's true fields
 * and run through sohoa_search(); a hit is relevant when its document's
 * true fields say so.  Prints precision at 1 and MRR per kind of query.
 *
 *   search_judged [--archive DIR] [--min-p1 X] [--min-mrr Y] [-v]
 *                 PATH...
 *
 * PATH is a NAME.expected.json or a folder searched for them.  Without
 * --archive the documents are loaded from the truth (their true text and
 * fields) into a new archive, indexed one by one as ingest does: this
 * measures search alone, and is what the CTest search_judged_samples
 * runs.  With --archive DIR, an archive made by 'sohoa ingest' of the
 * same scans is searched (what OCR and field extraction made of them),
 * and its documents are matched to the truth by file path and page.
 * --min-p1 and --min-mrr make it exit 1 when the scores are lower.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"
#include "sohoa/search.h"
#include "archive_private.h"
#include "fts.h"
#include "judged.h"

/* One true document: its file, pages (1-based) and fields. */
struct tdoc {
	char *rel;		/* the file, relative to its PATH argument */
	char *dossier;		/* the folder a dossier file is in, or NULL */
	int first, last;
	char *doc_type;
	char *key[JUDGED_FIELDS], *value[JUDGED_FIELDS];
	int nfields;
	char **page;		/* the true text of its pages */
	int npages;
};

static struct tdoc *docs;
static int ndocs;
static sqlite3 *js;	/* an in-memory connection for JSON */
static int verbose;

static void
die(const char *msg, const char *what)
{
	fprintf(stderr, "search_judged: %s%s%s\n", msg, what ? ": " : "",
	    what ? what : "");
	exit(1);
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct sohoa_buf b = SOHOA_BUF_INIT;
	char tmp[65536];
	size_t n;

	if (f == NULL)
		die("cannot read", path);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		sohoa_buf_add(&b, tmp, n);
	fclose(f);
	return sohoa_buf_detach(&b, NULL);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s != NULL ? s : "");

	if (p == NULL)
		die("out of memory", NULL);
	return p;
}

/* Rows of SQL run on the JSON text J (bound as ?1), column 0 and 1. */
static int
json_rows(const char *sql, const char *j, const char *arg,
    int (*cb)(void *, const char *, const char *), void *a)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(js, sql, -1, &st, NULL) != SQLITE_OK)
		die("json", sqlite3_errmsg(js));
	sqlite3_bind_text(st, 1, j, -1, SQLITE_STATIC);
	if (arg != NULL)
		sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cb(a, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

static int
add_field(void *arg, const char *key, const char *value)
{
	struct tdoc *d = arg;

	if (key == NULL || value == NULL || strcmp(key, "doc_type") == 0 ||
	    d->nfields >= JUDGED_FIELDS)
		return 0;
	d->key[d->nfields] = xstrdup(key);
	d->value[d->nfields] = xstrdup(value);
	d->nfields++;
	return 0;
}

struct one {
	char *a, *b;
};

static int
take(void *arg, const char *a, const char *b)
{
	struct one *o = arg;

	o->a = a ? xstrdup(a) : NULL;
	o->b = b ? xstrdup(b) : NULL;
	return 0;
}

static int
count_row(void *arg, const char *a, const char *b)
{
	(void)arg;
	(void)a;
	(void)b;
	return 0;
}

/* The true documents of one NAME.expected.json. */
static void
load_truth(const char *path, const char *rel)
{
	char *j = read_file(path), *text, *p, *ff, *dir, *file;
	char **pages = NULL;
	struct one o = { NULL, NULL };
	struct tdoc *d;
	int npages = 0, n, i, k;
	char idx[32];

	memset(&o, 0, sizeof(o));
	json_rows("SELECT json_extract(?1, '$.text'), json_extract(?1, "
	    "'$.doc_type')", j, NULL, take, &o);
	text = o.a;
	if (text == NULL)
		die("no text in", path);
	/* pages are separated by form feeds */
	for (p = text;; p = ff + 1) {
		pages = realloc(pages, sizeof(*pages) * (size_t)(npages + 1));
		if (pages == NULL)
			die("out of memory", NULL);
		ff = strchr(p, '\f');
		if (ff != NULL)
			*ff = '\0';
		pages[npages++] = xstrdup(p);
		if (ff == NULL)
			break;
	}
	/* the file is "NAME.<ext>": the truth names NAME.expected.json */
	file = xstrdup(rel);
	file[strlen(file) - strlen(".expected.json")] = '\0';
	dir = strrchr(file, '/');
	free(o.b);
	n = json_rows("SELECT key, value FROM json_each(?1, '$.documents')",
	    j, NULL, count_row, NULL);
	for (i = 0; i < (n > 0 ? n : 1); i++) {
		docs = realloc(docs, sizeof(*docs) * (size_t)(ndocs + 1));
		if (docs == NULL)
			die("out of memory", NULL);
		d = &docs[ndocs++];
		memset(d, 0, sizeof(*d));
		d->rel = xstrdup(file);
		if (dir != NULL) {
			/* the folder a file is in is its dossier */
			const char *b = dir;

			while (b > file && b[-1] != '/')
				b--;
			d->dossier = strndup(b, (size_t)(dir - b));
		}
		snprintf(idx, sizeof(idx), "$.documents[%d]", i);
		if (n > 0) {
			memset(&o, 0, sizeof(o));
			json_rows("SELECT json_extract(?1, ?2 || '.doc_type'), "
			    "json_extract(?1, ?2 || '.pages[0]') || ' ' || "
			    "json_extract(?1, ?2 || '.pages[1]')", j, idx, take,
			    &o);
			d->doc_type = o.a;
			if (o.b == NULL || sscanf(o.b, "%d %d", &d->first,
			    &d->last) != 2)
				die("bad documents in", path);
			free(o.b);
			snprintf(idx, sizeof(idx), "$.documents[%d].fields", i);
		} else {
			memset(&o, 0, sizeof(o));
			json_rows("SELECT json_extract(?1, '$.doc_type'), NULL",
			    j, NULL, take, &o);
			d->doc_type = o.a;
			d->first = 1;
			d->last = npages;
			snprintf(idx, sizeof(idx), "$.fields");
		}
		json_rows("SELECT key, value FROM json_each(?1, ?2)", j, idx,
		    add_field, d);
		for (k = d->first; k <= d->last && k <= npages; k++) {
			d->page = realloc(d->page, sizeof(char *) *
			    (size_t)(d->npages + 1));
			if (d->page == NULL)
				die("out of memory", NULL);
			d->page[d->npages++] = xstrdup(pages[k - 1]);
		}
	}
	for (i = 0; i < npages; i++)
		free(pages[i]);
	free(pages);
	free(text);
	free(file);
	free(j);
}

/* Every NAME.expected.json at or below PATH (REL: its name there). */
static void
walk(const char *path, const char *rel)
{
	struct stat st;
	struct dirent **ents = NULL;
	struct sohoa_buf sub = SOHOA_BUF_INIT, subrel = SOHOA_BUF_INIT;
	size_t n;
	int i, ne;

	if (stat(path, &st) != 0)
		die("cannot read", path);
	if (!S_ISDIR(st.st_mode)) {
		n = strlen(path);
		if (n > 14 && strcmp(path + n - 14, ".expected.json") == 0)
			load_truth(path, rel);
		return;
	}
	/* sorted: documents are added in the same order on every machine */
	ne = scandir(path, &ents, NULL, alphasort);
	for (i = 0; i < ne; i++) {
		if (ents[i]->d_name[0] != '.') {
			sohoa_buf_reset(&sub);
			sohoa_buf_reset(&subrel);
			sohoa_buf_addf(&sub, "%s/%s", path, ents[i]->d_name);
			sohoa_buf_addf(&subrel, "%s%s%s", rel, *rel ? "/" : "",
			    ents[i]->d_name);
			walk(sub.buf, subrel.buf);
		}
		free(ents[i]);
	}
	free(ents);
	sohoa_buf_release(&sub);
	sohoa_buf_release(&subrel);
}

/* ---- the archive ----------------------------------------------------- */

/* Run SQL with ?1.. bound to the ints and texts given ("i" or "s"). */
static int64_t
run(sqlite3 *db, const char *sql, const char *kinds, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("sql", sqlite3_errmsg(db));
	va_start(ap, kinds);
	for (i = 0; kinds[i]; i++) {
		if (kinds[i] == 'i')
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		else
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *),
			    -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("sql", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(db);
}

/*
 * Load the true documents into archive A as ingest would store them (one
 * file per sample, its pages, a document per true document with its
 * fields, title and date), indexing each as it is stored.  *PMAP gets
 * the truth index (1-based) of each document id.
 */
static void
load_archive(struct sohoa_archive *a, int **pmap)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	sqlite3 *db = a->db;
	int64_t dossier, file = 0, doc;
	int *map, i, k;
	char sha[65];
	const char *last_rel = "";

	map = calloc((size_t)ndocs + 2, sizeof(*map));
	if (map == NULL)
		die("out of memory", NULL);
	for (i = 0; i < ndocs; i++) {
		struct tdoc *d = &docs[i];

		if (sohoa_archive_begin(a) != SOHOA_OK ||
		    sohoa_archive_dossier_get(a, d->dossier ? d->dossier :
		    "samples", 1, &dossier) != SOHOA_OK)
			die("archive", sohoa_errmsg(ctx));
		if (strcmp(last_rel, d->rel) != 0) {
			snprintf(sha, sizeof(sha), "%064d", i + 1);
			file = run(db, "INSERT INTO files(sha256, dossier_id, "
			    "path, name, format, size, npages, done, "
			    "ingested_at) VALUES (?1, ?2, ?3, ?3, 'tiff', 1, 1,"
			    " 1, '2024')", "sis", sha, dossier, d->rel);
			last_rel = d->rel;
		}
		doc = run(db, "INSERT INTO documents(dossier_id, file_id, "
		    "first_page, npages, ordinal, doc_type, created_at) VALUES "
		    "(?1, ?2, ?3, ?4, (SELECT coalesce(max(ordinal), 0) + 1 "
		    "FROM documents WHERE dossier_id = ?1), ?5, '2024')",
		    "iiiis", dossier, file, (int64_t)d->first - 1,
		    (int64_t)d->npages, d->doc_type ? d->doc_type : "other");
		for (k = 0; k < d->npages; k++)
			run(db, "INSERT INTO pages(file_id, document_id, pageno,"
			    " status, text) VALUES (?1, ?2, ?3, 'ok', ?4)",
			    "iiis", file, doc, (int64_t)(d->first - 1 + k),
			    d->page[k]);
		for (k = 0; k < d->nfields; k++)
			run(db, "INSERT INTO fields(document_id, key, value) "
			    "VALUES (?1, ?2, ?3)", "iss", doc, d->key[k],
			    d->value[k]);
		if (sohoa_archive_doc_summary(a, doc) != SOHOA_OK ||
		    sohoa_fts_index_document(ctx, db, doc) != SOHOA_OK ||
		    sohoa_archive_commit(a) != SOHOA_OK)
			die("index", sohoa_errmsg(ctx));
		if (doc <= ndocs)
			map[doc] = i + 1;
	}
	*pmap = map;
}

/*
 * Match the documents of an archive made by 'sohoa ingest' to the truth:
 * same file (its path ends with the truth's, less the extension) and a
 * first page inside the true document.
 */
static void
map_archive(struct sohoa_archive *a, int **pmap, int64_t *pmax)
{
	sqlite3_stmt *st;
	const char *path, *dot;
	int64_t id, max = 0;
	int *map = NULL, i, first;
	size_t n, r;

	if (sqlite3_prepare_v2(a->db, "SELECT d.id, f.path, d.first_page FROM "
	    "documents d JOIN files f ON f.id = d.file_id WHERE d.deleted_at "
	    "IS NULL ORDER BY d.id", -1, &st, NULL) != SQLITE_OK)
		die("archive", sqlite3_errmsg(a->db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		path = (const char *)sqlite3_column_text(st, 1);
		first = sqlite3_column_int(st, 2) + 1;
		if (id > max) {
			map = realloc(map, sizeof(*map) * (size_t)(id + 1));
			if (map == NULL)
				die("out of memory", NULL);
			memset(map + max + 1, 0, sizeof(*map) *
			    (size_t)(id - max));
			max = id;
		}
		dot = strrchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		for (i = 0; i < ndocs; i++) {
			r = strlen(docs[i].rel);
			if (r <= n && memcmp(path + n - r, docs[i].rel, r) ==
			    0 && (r == n || path[n - r - 1] == '/') &&
			    first >= docs[i].first && first <= docs[i].last) {
				map[id] = i + 1;
				break;
			}
		}
		if (verbose && (map == NULL || map[id] == 0))
			fprintf(stderr, "search_judged: document %lld (%s, page "
			    "%d) has no truth\n", (long long)id, path, first);
	}
	sqlite3_finalize(st);
	*pmap = map;
	*pmax = max;
}

static void
usage(void)
{
	fprintf(stderr, "usage: search_judged [--archive DIR] [--min-p1 X] "
	    "[--min-mrr Y] [-v] PATH...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sohoa_ctx *ctx;
	struct sohoa_archive *a = NULL;
	struct sohoa_search_opts o;
	struct sohoa_search_result *r = NULL;
	struct judged_set set;
	struct judged_scores sc;
	struct judged_doc jd;
	const char *archive = NULL;
	char tmpl[] = "/tmp/search-judged-XXXXXX", cmd[128];
	double min_p1 = -1, min_mrr = -1, p1, mrr;
	int64_t max = 0;
	int *map = NULL, i, k, rank, status = 0, kinds_done[8] = { 0 }, t;
	size_t q, h;
	static const char *const types[] = { "birth", "death", "marriage",
	    "marital_status", "decision" };

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--archive") == 0 && i + 1 < argc)
			archive = argv[++i];
		else if (strcmp(argv[i], "--min-p1") == 0 && i + 1 < argc)
			min_p1 = atof(argv[++i]);
		else if (strcmp(argv[i], "--min-mrr") == 0 && i + 1 < argc)
			min_mrr = atof(argv[++i]);
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else
			usage();
	}
	if (i >= argc)
		usage();
	if (sqlite3_open(":memory:", &js) != SQLITE_OK)
		die("sqlite", NULL);
	for (; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		struct stat st;

		/* a file is named as it is; a folder's files from it */
		if (stat(argv[i], &st) == 0 && !S_ISDIR(st.st_mode))
			walk(argv[i], base ? base + 1 : argv[i]);
		else
			walk(argv[i], "");
	}
	if (ndocs == 0)
		die("no NAME.expected.json found", NULL);
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (archive == NULL) {
		if (mkdtemp(tmpl) == NULL)
			die("cannot make a temporary folder", NULL);
		if (sohoa_archive_open(ctx, tmpl, SOHOA_ARCHIVE_CREATE, &a) !=
		    SOHOA_OK)
			die("archive", sohoa_errmsg(ctx));
		load_archive(a, &map);
		max = ndocs;
	} else {
		if (sohoa_archive_open(ctx, archive, SOHOA_ARCHIVE_READONLY,
		    &a) != SOHOA_OK)
			die("archive", sohoa_errmsg(ctx));
		map_archive(a, &map, &max);
	}
	/* the queries: each document's, and each kind's once */
	memset(&set, 0, sizeof(set));
	for (i = 0; i < ndocs; i++) {
		for (t = 0; t < 5; t++)
			if (docs[i].doc_type && strcmp(docs[i].doc_type,
			    types[t]) == 0)
				break;
		jd.doc_type = docs[i].doc_type;
		jd.nfields = docs[i].nfields;
		for (k = 0; k < jd.nfields; k++) {
			jd.key[k] = docs[i].key[k];
			jd.value[k] = docs[i].value[k];
		}
		if (judged_make(&set, &jd, (unsigned)i, t < 5 &&
		    !kinds_done[t]) != 0)
			die("out of memory", NULL);
		if (t < 5)
			kinds_done[t] = 1;
	}
	memset(&sc, 0, sizeof(sc));
	for (q = 0; q < set.n; q++) {
		memset(&o, 0, sizeof(o));
		o.query = set.q[q].query;
		o.limit = JUDGED_TOP;
		if (sohoa_search(a, &o, &r) != SOHOA_OK)
			die(set.q[q].query, sohoa_errmsg(ctx));
		rank = 0;
		for (h = 0; h < r->nhits && !rank; h++) {
			int64_t id = r->hits[h].doc_id;
			const struct tdoc *d;

			if (id > max || map[id] == 0)
				continue;
			d = &docs[map[id] - 1];
			jd.doc_type = d->doc_type;
			jd.nfields = d->nfields;
			for (k = 0; k < jd.nfields; k++) {
				jd.key[k] = d->key[k];
				jd.value[k] = d->value[k];
			}
			if (judged_relevant(&set.q[q], &jd))
				rank = (int)h + 1;
		}
		judged_add(&sc, set.q[q].category, rank);
		if (verbose && rank != 1)
			fprintf(stderr, "%s '%s': first relevant at %d of %zu"
			    "%s%s\n", set.q[q].category, set.q[q].query, rank,
			    r->nhits, r->nhits ? ", first: " : "", r->nhits ?
			    r->hits[0].title : "");
		sohoa_search_result_destroy(&r);
	}
	printf("search_judged: %d documents, %zu queries; precision at 1 and "
	    "MRR of the first %d hits\n", ndocs, set.n, JUDGED_TOP);
	printf("%-8s %-12s %5s %8s %8s\n", "", "category", "n", "P@1", "MRR");
	judged_print(&sc, archive ? "ocr" : "truth");
	judged_total(&sc, &p1, &mrr);
	if (min_p1 >= 0 && p1 + 1e-9 < min_p1) {
		fprintf(stderr, "search_judged: precision at 1 %.3f is below "
		    "%.3f\n", p1, min_p1);
		status = 1;
	}
	if (min_mrr >= 0 && mrr + 1e-9 < min_mrr) {
		fprintf(stderr, "search_judged: MRR %.3f is below %.3f\n", mrr,
		    min_mrr);
		status = 1;
	}
	judged_set_release(&set);
	sohoa_archive_close(&a);
	if (archive == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			fprintf(stderr, "search_judged: cannot remove %s\n",
			    tmpl);
	}
	sohoa_ctx_destroy(&ctx);
	sqlite3_close(js);
	free(map);
	return status;
}
