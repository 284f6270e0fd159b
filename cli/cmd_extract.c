/*
 * sohoa extract: clean up and OCR every page of one image file without
 * an archive, extract the fields of the documents it holds, and print
 * the result as readable text or as one JSON object (the interface the
 * accuracy benchmarks use).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/fields.h"
#include "sohoa/json.h"
#include "sohoa/page.h"
#include "sohoa/pipeline.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG, OPT_LANG, OPT_NO_CLEANUP, OPT_DISABLE };

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "print one JSON object: {\"pages\", \"doc_type\",\n"
	    "\"text\" (pages separated by \\f), \"confidence\",\n"
	    "\"fields\", \"review\" (keys of the fields a person\n"
	    "should check), \"missing\" (those of them not read at\n"
	    "all: every form of the type has them, their value is\n"
	    "\"\"), and \"documents\" [{\"pages\", \"doc_type\",\n"
	    "\"fields\", \"review\", \"missing\"}] when the file\n"
	    "holds several documents}" },
	{ "lang", OPT_LANG, "L", "Tesseract languages (default vie), e.g.\n"
	    "Vietnamese or vie+Vietnamese" },
	{ "no-cleanup", OPT_NO_CLEANUP, NULL, "OCR the pages as scanned (for\n"
	    "comparison)" },
	{ "disable", OPT_DISABLE, "STEPS", "skip cleanup steps, comma-separated:\n"
	    "orient, border, background, deskew, stamp,\n"
	    "binarize, leaders, upscale, blank (for measuring\n"
	    "each step)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--json] [--lang L] [--no-cleanup] [--disable STEPS]\n"
	"                     IMAGE",
	"Clean up and OCR every page of IMAGE (TIFF, PNG, JPEG, PNM or a scanner's\n"
	"PDF) without an archive, then classify the document(s) and extract their\n"
	"fields.\n",
	options,
	"Exit status: 0 done, 1 the file or a page could not be read, 2 usage.\n",
};

static const struct {
	const char *name;
	unsigned bit;
} steps[] = {
	{ "orient", SOHOA_CLEAN_ORIENT },
	{ "border", SOHOA_CLEAN_BORDER },
	{ "background", SOHOA_CLEAN_BACKGROUND },
	{ "deskew", SOHOA_CLEAN_DESKEW },
	{ "stamp", SOHOA_CLEAN_STAMP },
	{ "binarize", SOHOA_CLEAN_BINARIZE },
	{ "leaders", SOHOA_CLEAN_LEADERS },
	{ "upscale", SOHOA_CLEAN_UPSCALE },
	{ "blank", SOHOA_CLEAN_BLANK },
};

/* "leaders,deskew" -> bits; a usage error names the bad step. */
static int
parse_steps(const struct cli *cli, const char *list, unsigned *pbits)
{
	const char *p = list, *end;
	size_t i, n;

	*pbits = 0;
	while (*p) {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
			if (strlen(steps[i].name) == n &&
			    strncmp(steps[i].name, p, n) == 0)
				break;
		if (i == sizeof(steps) / sizeof(steps[0]))
			return cli_usage(cli, "unknown cleanup step '%.*s'",
			    (int)n, p);
		*pbits |= steps[i].bit;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

struct doc {
	size_t first, last;	/* page indexes */
	const char *type;
	struct sohoa_fields fields;
};

struct result {
	struct sohoa_page **pages;
	size_t npages;
	struct doc *docs;
	size_t ndocs;
	int failed;		/* pages that could not be read */
};

static void
result_release(struct result *r)
{
	size_t i;

	for (i = 0; i < r->npages; i++)
		sohoa_page_destroy(&r->pages[i]);
	free(r->pages);
	for (i = 0; i < r->ndocs; i++)
		sohoa_fields_release(&r->docs[i].fields);
	free(r->docs);
	memset(r, 0, sizeof(*r));
}

/* A placeholder for a page that failed, so page numbers stay aligned. */
static struct sohoa_page *
failed_page(int pageno, const char *why)
{
	struct sohoa_page *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->pageno = pageno;
	p->status = SOHOA_PAGE_FAILED;
	p->text = strdup("");
	p->error = strdup(why);
	if (p->text == NULL || p->error == NULL)
		sohoa_page_destroy(&p);
	return p;
}

/* Load, clean and OCR every page; a page that fails is reported alone. */
static int
read_pages(struct cli *cli, const char *path,
    const struct sohoa_engine_opts *opts, struct result *r)
{
	struct sohoa_image *img = NULL;
	struct sohoa_engine *eng = NULL;
	PIX *pix = NULL;
	int i, n, rc;

	rc = sohoa_image_open(cli->ctx, path, &img);
	if (rc == SOHOA_OK)
		rc = sohoa_engine_new(cli->ctx, opts, &eng);
	if (rc != SOHOA_OK)
		goto out;
	n = sohoa_image_page_count(img);
	r->pages = calloc((size_t)n, sizeof(*r->pages));
	if (r->pages == NULL) {
		rc = sohoa_set_error(cli->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n && !cli_interrupted; i++) {
		rc = sohoa_image_read_page(cli->ctx, img, i, &pix);
		if (rc == SOHOA_OK) {
			rc = sohoa_engine_process(eng, pix, i, &r->pages[i]);
			if (rc != SOHOA_OK)
				sohoa_wrap_error(cli->ctx, "cannot read page %d "
				    "of '%s': ", i + 1, path);
		}
		pixDestroy(&pix);
		if (rc == SOHOA_ERR_NOMEM)
			goto out;
		if (rc != SOHOA_OK) {
			cli_error("%s", sohoa_errmsg(cli->ctx));
			r->failed++;
			r->pages[i] = failed_page(i, sohoa_errmsg(cli->ctx));
			if (r->pages[i] == NULL) {
				rc = sohoa_set_error(cli->ctx, SOHOA_ERR_NOMEM,
				    "out of memory");
				goto out;
			}
		}
		r->npages++;
	}
	rc = SOHOA_OK;
	if (cli_interrupted)
		rc = sohoa_set_error(cli->ctx, SOHOA_ERR_CANCELLED,
		    "interrupted");
out:
	sohoa_engine_destroy(&eng);
	sohoa_image_close(&img);
	return rc;
}

/*
 * Split the pages into documents as ingest does (the library's one rule)
 * and extract each one's fields.
 */
static int
extract_docs(struct cli *cli, struct result *r)
{
	struct sohoa_doctypes *dt = NULL;
	struct sohoa_doc_range *ranges = NULL;
	size_t nranges = 0, i;
	int rc;

	rc = sohoa_doctypes_load(cli->ctx, NULL, &dt);
	if (rc == SOHOA_OK)
		rc = sohoa_records_doc_ranges(cli->ctx, dt,
		    (const struct sohoa_page *const *)r->pages, r->npages,
		    &ranges, &nranges);
	if (rc != SOHOA_OK)
		goto out;
	r->docs = calloc(nranges ? nranges : 1, sizeof(*r->docs));
	if (r->docs == NULL) {
		rc = sohoa_set_error(cli->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nranges && rc == SOHOA_OK; i++) {
		struct doc *d = &r->docs[r->ndocs++];

		d->first = ranges[i].first;
		d->last = ranges[i].first + ranges[i].count - 1;
		d->type = "other";
		sohoa_fields_init(&d->fields);
		rc = sohoa_doc_extract(cli->ctx, dt,
		    (const struct sohoa_page *const *)r->pages + d->first,
		    ranges[i].count, &d->type, &d->fields);
	}
out:
	free(ranges);
	sohoa_doctypes_destroy(&dt);
	return rc;
}

/* Mean confidence of the pages that were read (blank pages excluded). */
static double
mean_confidence(const struct result *r)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < r->npages; i++)
		if (r->pages[i]->status == SOHOA_PAGE_OK ||
		    r->pages[i]->status == SOHOA_PAGE_LOWCONF) {
			sum += r->pages[i]->confidence;
			n++;
		}
	return n ? sum / n : 0;
}

static void
json_fields(struct sohoa_json *j, const struct sohoa_fields *f)
{
	size_t i;

	sohoa_json_obj_open(j);
	for (i = 0; i < f->n; i++) {
		sohoa_json_key(j, f->v[i].key);
		sohoa_json_str(j, f->v[i].value);
	}
	sohoa_json_obj_close(j);
}

/*
 * The keys of the fields flagged for a person to review, as an array;
 * with UNREAD, only those not read at all (their value is "").
 */
static void
json_review(struct sohoa_json *j, const struct sohoa_fields *f, int unread)
{
	size_t i;

	sohoa_json_arr_open(j);
	for (i = 0; f != NULL && i < f->n; i++)
		if (f->v[i].flagged && (!unread ||
		    sohoa_field_unread(f->v[i].value, f->v[i].raw)))
			sohoa_json_str(j, f->v[i].key);
	sohoa_json_arr_close(j);
}

static int
print_json(const struct result *r)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, text = SOHOA_BUF_INIT;
	struct sohoa_json j;
	const struct doc *d;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < r->npages && rc == SOHOA_OK; i++) {
		if (i > 0)
			rc = sohoa_buf_addch(&text, '\f');
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(&text, r->pages[i]->text);
	}
	sohoa_json_init(&j, &out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "pages");
	sohoa_json_int(&j, (long long)r->npages);
	sohoa_json_key(&j, "doc_type");
	sohoa_json_str(&j, r->ndocs ? r->docs[0].type : "other");
	sohoa_json_key(&j, "text");
	sohoa_json_strn(&j, text.buf, text.len);
	sohoa_json_key(&j, "confidence");
	sohoa_json_num(&j, (double)(long long)(mean_confidence(r) * 10 + 0.5)
	    / 10);
	sohoa_json_key(&j, "fields");
	if (r->ndocs) {
		json_fields(&j, &r->docs[0].fields);
	} else {
		sohoa_json_obj_open(&j);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_key(&j, "review");
	json_review(&j, r->ndocs ? &r->docs[0].fields : NULL, 0);
	sohoa_json_key(&j, "missing");
	json_review(&j, r->ndocs ? &r->docs[0].fields : NULL, 1);
	if (r->ndocs > 1) {
		sohoa_json_key(&j, "documents");
		sohoa_json_arr_open(&j);
		for (i = 0; i < r->ndocs; i++) {
			d = &r->docs[i];
			sohoa_json_obj_open(&j);
			sohoa_json_key(&j, "pages");
			sohoa_json_arr_open(&j);
			sohoa_json_int(&j, (long long)d->first + 1);
			sohoa_json_int(&j, (long long)d->last + 1);
			sohoa_json_arr_close(&j);
			sohoa_json_key(&j, "doc_type");
			sohoa_json_str(&j, d->type);
			sohoa_json_key(&j, "fields");
			json_fields(&j, &d->fields);
			sohoa_json_key(&j, "review");
			json_review(&j, &d->fields, 0);
			sohoa_json_key(&j, "missing");
			json_review(&j, &d->fields, 1);
			sohoa_json_obj_close(&j);
		}
		sohoa_json_arr_close(&j);
	}
	sohoa_json_obj_close(&j);
	if (rc == SOHOA_OK)
		rc = j.rc;
	if (rc == SOHOA_OK)
		rc = cli_print(&out) == EXIT_DONE ? SOHOA_OK : SOHOA_ERR_IO;
	else
		cli_error("out of memory");
	sohoa_buf_release(&out);
	sohoa_buf_release(&text);
	return rc;
}

static const char *
status_name(int status)
{
	switch (status) {
	case SOHOA_PAGE_BLANK: return "blank";
	case SOHOA_PAGE_LOWCONF: return "low confidence";
	case SOHOA_PAGE_FAILED: return "failed";
	}
	return "ok";
}

/*
 * KEY: VALUE, "(check)" when flagged; a value not read at all says so,
 * and one that did not parse shows what was read.
 */
static void
print_field(const struct sohoa_field *f)
{
	printf("%s: ", cli_esc(f->key));
	if (sohoa_field_unread(f->value, f->raw))
		printf("(not read)");
	else if (*f->value == '\0')
		printf("(read \"%s\", not valid)", cli_esc(f->raw));
	else
		printf("%s", cli_esc(f->value));
	printf("%s\n", f->flagged ? "  (check)" : "");
}

static int
print_text(const struct result *r)
{
	const struct sohoa_page *p;
	const struct doc *d;
	size_t i, k;

	for (i = 0; i < r->npages; i++) {
		p = r->pages[i];
		printf("== page %zu: %s, confidence %.0f, turned %d, skew "
		    "%.2f ==\n", i + 1, status_name(p->status), p->confidence,
		    p->orientation, p->skew);
		fputs(cli_esc_text(p->text), stdout);
		if (*p->text && p->text[strlen(p->text) - 1] != '\n')
			putchar('\n');
	}
	for (i = 0; i < r->ndocs; i++) {
		d = &r->docs[i];
		printf("== document %zu: pages %zu-%zu, %s ==\n", i + 1,
		    d->first + 1, d->last + 1, cli_esc(d->type));
		for (k = 0; k < d->fields.n; k++)
			print_field(&d->fields.v[k]);
	}
	if (fflush(stdout) != 0) {
		cli_error("cannot write to standard output");
		return SOHOA_ERR_IO;
	}
	return SOHOA_OK;
}

/* Called from main.c's command table (declared weak there). */
int cmd_extract(int argc, char **argv, struct cli *cli);

int
cmd_extract(int argc, char **argv, struct cli *cli)
{
	struct sohoa_engine_opts opts;
	struct result r;
	struct cli_parser p;
	const char *path;
	int c, json = 0, rc;

	memset(&opts, 0, sizeof(opts));
	memset(&r, 0, sizeof(r));
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_NO_CLEANUP:
			opts.no_cleanup = 1;
			break;
		case OPT_LANG:
			opts.lang = p.arg;
			break;
		case OPT_DISABLE:
			if (parse_steps(cli, p.arg, &opts.disable) != 0)
				return EXIT_USAGE;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, 1, "IMAGE") != 0)
		return EXIT_USAGE;
	path = p.argv[0];
	rc = read_pages(cli, path, &opts, &r);
	if (rc != SOHOA_OK) {
		result_release(&r);
		return cli_fail(cli, NULL);
	}
	if (r.failed == (int)r.npages) {
		result_release(&r);
		return EXIT_FAILED;	/* each page's reason is printed */
	}
	rc = extract_docs(cli, &r);
	if (rc != SOHOA_OK) {
		result_release(&r);
		return cli_fail(cli, "cannot extract fields");
	}
	rc = json ? print_json(&r) : print_text(&r);
	c = rc != SOHOA_OK || r.failed ? EXIT_FAILED : EXIT_DONE;
	result_release(&r);
	return c;
}
