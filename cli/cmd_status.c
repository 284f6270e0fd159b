/*
 * sohoa status: what the archive holds and what needs a person: failed
 * files and pages, interrupted ingests, low-confidence pages, flagged
 * fields.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG };

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "print one JSON object: {\"counts\": {...},\n"
	    "\"recent\": [{day, files, pages, pages_failed,\n"
	    "documents}], \"failed\": [{path, page, reason}],\n"
	    "\"pending\": [path], \"low_confidence\": [{path,\n"
	    "page, confidence, document}], \"flagged\":\n"
	    "[{document, key, value, confidence, path,\n"
	    "not_read, document_page}]}: not_read is true\n"
	    "for a field not read at all (value \"\" and no\n"
	    "raw reading), and document_page the page of its\n"
	    "document (from 1) its type prints it on, or null" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--json]",
	"Print the archive's counts and what was ingested on the last 7 days\n"
	"anything was (files, pages, failed pages, documents made), then what\n"
	"needs review: files and pages that could not be read (with the\n"
	"reason), files whose ingest was interrupted (run the ingest again),\n"
	"pages read with low confidence, and extracted fields flagged for\n"
	"review (correct them with 'sohoa set').  A field not read at all says\n"
	"which page of its document to look on when its type tells: the\n"
	"signer on the last, the number and issuer on the first.  Page numbers\n"
	"count from 1.\n",
	options,
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

/* JSON lists, in order, and the list of each enum sohoa_review_kind. */
static const char *const list_key[] = {
	"failed", "pending", "low_confidence", "flagged",
};
static const int kind_list[] = { 0, 0, 1, 2, 3 };
#define NLISTS 4
#define RECENT_DAYS 7

struct walk {
	struct sohoa_json *j;
	int open;		/* JSON list open, -1 none */
	int next;		/* next JSON list not yet written */
	int text_kind;		/* last heading printed, -1 none */
	struct sohoa_ctx *ctx;
	struct sohoa_doctypes *dt;	/* loaded at the first field not read */
	int dt_tried;
};

/*
 * The page of its document (from 1) that field IT, not read at all, is
 * printed on by its type; 0 when read, when the type does not say, or
 * when the document types cannot be loaded (the status is worth more
 * than the page).  They are loaded at the first field not read.
 */
static int
unread_page(struct walk *w, const struct sohoa_review_item *it)
{
	if (!sohoa_field_unread(it->value, it->raw))
		return 0;
	if (w->dt == NULL && !w->dt_tried) {
		w->dt_tried = 1;
		if (sohoa_doctypes_load(w->ctx, NULL, &w->dt) != SOHOA_OK)
			w->dt = NULL;
	}
	return cli_unread_page(w->dt, it->doc_type, it->key, it->npages) + 1;
}

/* Close the open list and write empty ones up to list K (excluded). */
static void
lists_until(struct walk *w, int k)
{
	if (w->open >= 0)
		sohoa_json_arr_close(w->j);
	w->open = -1;
	for (; w->next < k; w->next++) {
		sohoa_json_key(w->j, list_key[w->next]);
		sohoa_json_arr_open(w->j);
		sohoa_json_arr_close(w->j);
	}
}

static int
item_json(struct walk *w, const struct sohoa_review_item *it)
{
	struct sohoa_json *j = w->j;
	int k = kind_list[it->kind], page;

	if (w->open != k) {
		lists_until(w, k);
		sohoa_json_key(j, list_key[k]);
		sohoa_json_arr_open(j);
		w->open = k;
		w->next = k + 1;
	}
	if (it->kind == SOHOA_REVIEW_PENDING_FILE) {
		sohoa_json_str(j, it->path);
		return 0;
	}
	sohoa_json_obj_open(j);
	if (it->kind == SOHOA_REVIEW_FLAGGED_FIELD) {
		sohoa_json_key(j, "document");
		sohoa_json_int(j, it->doc_id);
		sohoa_json_key(j, "key");
		sohoa_json_str(j, it->key);
		sohoa_json_key(j, "value");
		sohoa_json_str(j, it->value);
		sohoa_json_key(j, "confidence");
		sohoa_json_num(j, it->conf);
		sohoa_json_key(j, "path");
		sohoa_json_str(j, it->path);
		sohoa_json_key(j, "not_read");
		sohoa_json_bool(j, sohoa_field_unread(it->value, it->raw));
		sohoa_json_key(j, "document_page");
		if ((page = unread_page(w, it)) > 0)
			sohoa_json_int(j, page);
		else
			sohoa_json_null(j);
	} else {
		sohoa_json_key(j, "path");
		sohoa_json_str(j, it->path);
		sohoa_json_key(j, "page");
		if (it->pageno >= 0)
			sohoa_json_int(j, it->pageno + 1);
		else
			sohoa_json_null(j);
		if (it->kind == SOHOA_REVIEW_LOWCONF_PAGE) {
			sohoa_json_key(j, "confidence");
			sohoa_json_num(j, it->conf);
			sohoa_json_key(j, "document");
			if (it->doc_id > 0)
				sohoa_json_int(j, it->doc_id);
			else
				sohoa_json_null(j);
		} else {
			sohoa_json_key(j, "reason");
			sohoa_json_str(j, it->reason);
		}
	}
	sohoa_json_obj_close(j);
	return 0;
}

static int
item_text(struct walk *w, const struct sohoa_review_item *it)
{
	int page;
	static const char *const heading[] = {
		"failed:", "failed:", "interrupted (run the ingest again):",
		"low confidence pages:", "fields to review ('sohoa set'):",
	};

	if (w->text_kind < 0 || strcmp(heading[w->text_kind],
	    heading[it->kind]) != 0)
		printf("\n%s\n", heading[it->kind]);
	w->text_kind = it->kind;
	switch (it->kind) {
	case SOHOA_REVIEW_FAILED_FILE:
		printf("  %s: %s\n", cli_esc(it->path), cli_esc(it->reason));
		break;
	case SOHOA_REVIEW_FAILED_PAGE:
		printf("  %s page %d: %s\n", cli_esc(it->path), it->pageno + 1,
		    cli_esc(it->reason));
		break;
	case SOHOA_REVIEW_PENDING_FILE:
		printf("  %s\n", cli_esc(it->path));
		break;
	case SOHOA_REVIEW_LOWCONF_PAGE:
		printf("  %s page %d: confidence %.0f", cli_esc(it->path),
		    it->pageno + 1, (double)it->conf);
		if (it->doc_id > 0)
			printf(" (document %lld)", (long long)it->doc_id);
		putchar('\n');
		break;
	case SOHOA_REVIEW_FLAGGED_FIELD:
		page = unread_page(w, it);
		if (page > 0 && it->npages > 1)
			printf("  document %lld %s: not read (page %d of %d)\n",
			    (long long)it->doc_id, cli_esc(it->key), page,
			    it->npages);
		else if (sohoa_field_unread(it->value, it->raw))
			printf("  document %lld %s: not read\n",
			    (long long)it->doc_id, cli_esc(it->key));
		else
			printf("  document %lld %s = %s (confidence %.0f)\n",
			    (long long)it->doc_id, cli_esc(it->key),
			    cli_esc(it->value), (double)it->conf);
		break;
	}
	return 0;
}

static int
on_item(void *arg, const struct sohoa_review_item *it)
{
	struct walk *w = arg;

	if (it->kind < 0 || it->kind > SOHOA_REVIEW_FLAGGED_FIELD)
		return 0;
	return w->j != NULL ? item_json(w, it) : item_text(w, it);
}

static void
counts_json(struct sohoa_json *j, const struct sohoa_archive_counts *c)
{
	sohoa_json_key(j, "counts");
	sohoa_json_obj_open(j);
#define N(name) sohoa_json_key(j, #name); sohoa_json_int(j, c->name)
	N(dossiers); N(files); N(files_pending); N(documents); N(pages);
	N(pages_ok); N(pages_blank); N(pages_lowconf); N(pages_failed);
	N(fields); N(fields_flagged); N(fields_corrected); N(failures);
#undef N
	sohoa_json_obj_close(j);
}

/* One day of 'recent': a JSON object, or a line of text. */
static int
day_out(void *arg, const struct sohoa_ingest_day *d)
{
	struct sohoa_json *j = arg;

	if (j == NULL) {
		printf("  %s: %d file%s, %d page%s (%d failed), %d document%s\n",
		    cli_esc(d->day), d->files, d->files == 1 ? "" : "s",
		    d->pages, d->pages == 1 ? "" : "s", d->pages_failed,
		    d->documents, d->documents == 1 ? "" : "s");
		return 0;
	}
	sohoa_json_obj_open(j);
	sohoa_json_key(j, "day");
	sohoa_json_str(j, d->day);
#define N(name) sohoa_json_key(j, #name); sohoa_json_int(j, d->name)
	N(files); N(pages); N(pages_failed); N(documents);
#undef N
	sohoa_json_obj_close(j);
	return 0;
}

/* The last days of ingest (RECENT_DAYS of them). */
static int
recent(struct sohoa_archive *a, struct sohoa_json *j)
{
	int rc;

	if (j != NULL) {
		sohoa_json_key(j, "recent");
		sohoa_json_arr_open(j);
	} else {
		printf("recent ingests:\n");
	}
	rc = sohoa_archive_recent_days(a, RECENT_DAYS, day_out, j);
	if (j != NULL)
		sohoa_json_arr_close(j);
	return rc;
}

int cmd_status(int argc, char **argv, struct cli *cli);

int
cmd_status(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_archive_counts c;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct walk w;
	struct cli_parser p;
	int json = 0, o, ret = EXIT_FAILED;

	memset(&w, 0, sizeof(w));
	w.open = w.text_kind = -1;
	w.ctx = cli->ctx;
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((o = cli_parse(&p)) != CLI_OPT_END) {
		if (o != OPT_JSON)
			return p.status;
		json = 1;
	}
	if (cli_operands(&p, 0, 0, NULL) != 0)
		return EXIT_USAGE;
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	if (sohoa_archive_counts(a, &c) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	if (json) {
		sohoa_json_init(&j, &out, 0);
		w.j = &j;
		sohoa_json_obj_open(&j);
		counts_json(&j, &c);
	} else {
		printf("%d dossiers, %d files (%d interrupted), %d documents\n"
		    "%d pages: %d ok, %d blank, %d low confidence, %d failed\n"
		    "%d fields: %d to review, %d corrected; %d files could not "
		    "be read\n", c.dossiers, c.files, c.files_pending,
		    c.documents, c.pages, c.pages_ok, c.pages_blank,
		    c.pages_lowconf, c.pages_failed, c.fields, c.fields_flagged,
		    c.fields_corrected, c.failures);
	}
	if ((json || c.files > 0) && recent(a, json ? &j : NULL) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	if (sohoa_archive_review_list(a, on_item, &w) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	if (json) {
		lists_until(&w, NLISTS);
		sohoa_json_obj_close(&j);
		if (j.rc != SOHOA_OK) {
			cli_error("out of memory");
			goto out;
		}
		ret = cli_print(&out);
	} else {
		if (w.text_kind < 0)
			printf("\nnothing to review\n");
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	}
out:
	sohoa_doctypes_destroy(&w.dt);
	sohoa_buf_release(&out);
	sohoa_archive_close(&a);
	return ret;
}
