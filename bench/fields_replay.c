/*
 * OCR a scan once, then replay field extraction on what OCR read, in
 * milliseconds: for trying rules of fields/ on a sample set without
 * reading every page again (notes/fields.md, "Session 6").
 *
 *   fields_replay dump IMAGE OUT     clean up and OCR every page of IMAGE
 *                                    (as 'sohoa extract' does) and write
 *                                    the pages to OUT
 *   fields_replay extract OUT        split OUT's pages into documents and
 *                                    extract their fields; prints what
 *                                    'sohoa extract --json' prints
 *   fields_replay extract --retext OUT
 *                                    the same, each page's text first
 *                                    made again from its words (to try
 *                                    a reading order, ocr/tess_order.c)
 *
 * bench/accuracy.py --ocr-cache DIR runs both.  OUT is a text file of
 * this program's own: a page count, then per page a header line ("P
 * pageno width height dpi confidence status nwords", or "F pageno" for a
 * page that failed), its text, and one line per word (box, confidence,
 * line, block) followed by the word; strings are written as a byte count
 * on its own line, the bytes, and a newline.  The doc types are those of
 * sohoa_doctypes_load (SOHOA_DOCTYPES, else the installed or source tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/json.h"
#include "sohoa/page.h"
#include "sohoa/pipeline.h"
#include "sohoa/fields.h"
#include "sohoa/records.h"
#include "tess_look.h"

static void
put_str(FILE *f, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	fprintf(f, "%zu\n", n);
	if (n > 0)
		fwrite(s, 1, n, f);
	fputc('\n', f);
}

/* A string written by put_str, malloc'd; NULL at a malformed file. */
static char *
get_str(FILE *f)
{
	size_t n;
	char *s;

	if (fscanf(f, "%zu", &n) != 1 || fgetc(f) != '\n' || n > 1 << 26)
		return NULL;
	s = malloc(n + 1);
	if (s == NULL || (n > 0 && fread(s, 1, n, f) != n)) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	(void)fgetc(f);
	return s;
}

static int
dump(struct sohoa_ctx *ctx, const char *path, const char *out)
{
	struct sohoa_image *img = NULL;
	struct sohoa_engine *eng = NULL;
	struct sohoa_engine_opts o;
	FILE *f = NULL;
	int i, n, rc;

	memset(&o, 0, sizeof(o));
	rc = sohoa_image_open(ctx, path, &img);
	if (rc == SOHOA_OK)
		rc = sohoa_engine_new(ctx, &o, &eng);
	if (rc != SOHOA_OK) {
		fprintf(stderr, "fields_replay: %s\n", sohoa_errmsg(ctx));
		goto out;
	}
	f = fopen(out, "w");
	if (f == NULL) {
		perror(out);
		rc = SOHOA_ERR_IO;
		goto out;
	}
	n = sohoa_image_page_count(img);
	fprintf(f, "%d\n", n);
	for (i = 0; i < n; i++) {
		PIX *pix = NULL;
		struct sohoa_page *p = NULL;
		size_t k;

		if (sohoa_image_read_page(ctx, img, i, &pix) != SOHOA_OK ||
		    sohoa_engine_process(eng, pix, i, &p) != SOHOA_OK) {
			fprintf(stderr, "fields_replay: %s: page %d: %s\n", path,
			    i + 1, sohoa_errmsg(ctx));
			fprintf(f, "F %d\n", i);
			pixDestroy(&pix);
			continue;
		}
		pixDestroy(&pix);
		fprintf(f, "P %d %d %d %d %.4f %d %zu\n", p->pageno, p->width,
		    p->height, p->dpi, p->confidence, p->status, p->nwords);
		put_str(f, p->text);
		for (k = 0; k < p->nwords; k++) {
			const struct sohoa_word *w = &p->words[k];

			fprintf(f, "%d %d %d %d %.4f %d %d\n", w->x0, w->y0,
			    w->x1, w->y1, w->conf, w->line, w->block);
			put_str(f, w->text);
		}
		sohoa_page_destroy(&p);
	}
	if (fclose(f) != 0) {
		perror(out);
		rc = SOHOA_ERR_IO;
	}
out:
	sohoa_engine_destroy(&eng);
	sohoa_image_close(&img);
	return rc == SOHOA_OK ? 0 : 1;
}

/* Read one page of a dump into *PP (free with sohoa_page_destroy). */
static int
read_page(FILE *f, struct sohoa_page **pp)
{
	struct sohoa_page *p = calloc(1, sizeof(*p));
	char tag[2];
	size_t k;

	*pp = p;
	if (p == NULL || fscanf(f, " %1s", tag) != 1)
		return -1;
	if (tag[0] == 'F') {
		p->status = SOHOA_PAGE_FAILED;
		p->text = strdup("");
		return fscanf(f, "%d", &p->pageno) == 1 && p->text != NULL ?
		    0 : -1;
	}
	if (tag[0] != 'P' || fscanf(f, "%d %d %d %d %f %d %zu", &p->pageno,
	    &p->width, &p->height, &p->dpi, &p->confidence, &p->status,
	    &p->nwords) != 7 || fgetc(f) != '\n' || p->nwords > 1 << 20)
		return -1;
	p->text = get_str(f);
	p->words = calloc(p->nwords + 1, sizeof(*p->words));
	if (p->text == NULL || p->words == NULL)
		return -1;
	for (k = 0; k < p->nwords; k++) {
		struct sohoa_word *w = &p->words[k];

		if (fscanf(f, "%d %d %d %d %f %d %d", &w->x0, &w->y0, &w->x1,
		    &w->y1, &w->conf, &w->line, &w->block) != 7 ||
		    fgetc(f) != '\n' || (w->text = get_str(f)) == NULL)
			return -1;
	}
	return 0;
}

static void
json_fields(struct sohoa_json *j, const struct sohoa_fields *f, int review)
{
	size_t i;

	if (review)
		sohoa_json_arr_open(j);
	else
		sohoa_json_obj_open(j);
	for (i = 0; i < f->n; i++) {
		if (review) {
			if (f->v[i].flagged)
				sohoa_json_str(j, f->v[i].key);
			continue;
		}
		sohoa_json_key(j, f->v[i].key);
		sohoa_json_str(j, f->v[i].value);
	}
	if (review)
		sohoa_json_arr_close(j);
	else
		sohoa_json_obj_close(j);
}

/* Page P's text made again from its words, as OCR makes it. */
static int
retext(struct sohoa_page *p)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	char *t;

	if (p->status == SOHOA_PAGE_FAILED)
		return 0;
	if (sohoa_tess_text(p, p->width, &b) != SOHOA_OK ||
	    (t = sohoa_buf_detach(&b, NULL)) == NULL) {
		sohoa_buf_release(&b);
		return -1;
	}
	free(p->text);
	p->text = t;
	return 0;
}

static int
extract(struct sohoa_ctx *ctx, const char *path, int again)
{
	struct sohoa_doctypes *dt = NULL;
	struct sohoa_doc_range *ranges = NULL;
	struct sohoa_page **pages = NULL;
	struct sohoa_fields *fs = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT, text = SOHOA_BUF_INIT;
	struct sohoa_json j;
	const char **types = NULL;
	size_t nranges = 0, i, np = 0;
	FILE *f = fopen(path, "r");
	int n = 0, rc = 1;

	if (f == NULL || fscanf(f, "%d", &n) != 1 || n < 0 || n > 100000) {
		fprintf(stderr, "fields_replay: %s: not a dump\n", path);
		goto out;
	}
	pages = calloc((size_t)n + 1, sizeof(*pages));
	if (pages == NULL)
		goto out;
	for (np = 0; np < (size_t)n; np++) {
		if (read_page(f, &pages[np]) != 0) {
			fprintf(stderr, "fields_replay: %s: page %zu is "
			    "malformed\n", path, np + 1);
			np++;
			goto out;
		}
		if (again && retext(pages[np]) != 0) {
			fprintf(stderr, "fields_replay: out of memory\n");
			np++;
			goto out;
		}
	}
	if (sohoa_doctypes_load(ctx, NULL, &dt) != SOHOA_OK ||
	    sohoa_records_doc_ranges(ctx, dt,
	    (const struct sohoa_page *const *)pages, np, &ranges,
	    &nranges) != SOHOA_OK) {
		fprintf(stderr, "fields_replay: %s\n", sohoa_errmsg(ctx));
		goto out;
	}
	fs = calloc(nranges + 1, sizeof(*fs));
	types = calloc(nranges + 1, sizeof(*types));
	if (fs == NULL || types == NULL)
		goto out;
	for (i = 0; i < nranges; i++) {
		sohoa_fields_init(&fs[i]);
		types[i] = "other";
		if (sohoa_doc_extract(ctx, dt, (const struct sohoa_page *const *)
		    pages + ranges[i].first, ranges[i].count, &types[i],
		    &fs[i]) != SOHOA_OK) {
			fprintf(stderr, "fields_replay: %s\n",
			    sohoa_errmsg(ctx));
			goto out;
		}
	}
	for (i = 0; i < np; i++) {
		if (i > 0)
			sohoa_buf_addch(&text, '\f');
		sohoa_buf_adds(&text, pages[i]->text);
	}
	/* the keys 'sohoa extract --json' prints that scoring reads */
	sohoa_json_init(&j, &out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "pages");
	sohoa_json_int(&j, (long long)np);
	sohoa_json_key(&j, "doc_type");
	sohoa_json_str(&j, nranges > 0 ? types[0] : "other");
	sohoa_json_key(&j, "text");
	sohoa_json_strn(&j, text.buf, text.len);
	sohoa_json_key(&j, "fields");
	if (nranges > 0) {
		json_fields(&j, &fs[0], 0);
	} else {
		sohoa_json_obj_open(&j);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_key(&j, "review");
	if (nranges > 0) {
		json_fields(&j, &fs[0], 1);
	} else {
		sohoa_json_arr_open(&j);
		sohoa_json_arr_close(&j);
	}
	if (nranges > 1) {
		sohoa_json_key(&j, "documents");
		sohoa_json_arr_open(&j);
		for (i = 0; i < nranges; i++) {
			sohoa_json_obj_open(&j);
			sohoa_json_key(&j, "doc_type");
			sohoa_json_str(&j, types[i]);
			sohoa_json_key(&j, "fields");
			json_fields(&j, &fs[i], 0);
			sohoa_json_key(&j, "review");
			json_fields(&j, &fs[i], 1);
			sohoa_json_obj_close(&j);
		}
		sohoa_json_arr_close(&j);
	}
	sohoa_json_obj_close(&j);
	if (j.rc == SOHOA_OK && fwrite(out.buf, 1, out.len, stdout) == out.len &&
	    putchar('\n') != EOF)
		rc = 0;
out:
	if (f != NULL)
		fclose(f);
	for (i = 0; fs != NULL && i < nranges; i++)
		sohoa_fields_release(&fs[i]);
	for (i = 0; pages != NULL && i < np; i++)
		sohoa_page_destroy(&pages[i]);
	free(fs);
	free(types);
	free(pages);
	free(ranges);
	sohoa_doctypes_destroy(&dt);
	sohoa_buf_release(&out);
	sohoa_buf_release(&text);
	return rc;
}

int
main(int argc, char **argv)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	int rc = 2;

	if (ctx == NULL)
		return 1;
	if (argc == 4 && strcmp(argv[1], "dump") == 0)
		rc = dump(ctx, argv[2], argv[3]);
	else if (argc == 3 && strcmp(argv[1], "extract") == 0)
		rc = extract(ctx, argv[2], 0);
	else if (argc == 4 && strcmp(argv[1], "extract") == 0 &&
	    strcmp(argv[2], "--retext") == 0)
		rc = extract(ctx, argv[3], 1);
	else
		fprintf(stderr, "usage: fields_replay dump IMAGE OUT\n"
		    "       fields_replay extract [--retext] OUT\n");
	sohoa_ctx_destroy(&ctx);
	return rc;
}
