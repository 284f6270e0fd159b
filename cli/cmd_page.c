/*
 * A page read again, as a clerk asks: sohoa rotate, reread, replace,
 * edit-text; and sohoa failures (list, clear, retry).  Each change is in
 * the history, and 'sohoa undo' brings the old reading back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/pipeline.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

int64_t cli_parse_doc_id(const char *s);

enum { OPT_WHY = CLI_OPT_LONG, OPT_WITHOUT, OPT_LANG, OPT_WHO };

static const struct cli_opt page_opts[] = {
	{ "why", OPT_WHY, "TEXT", "why, kept with the change" },
	{ "without", OPT_WITHOUT, "STEP", "(reread) leave a cleanup step out:\n"
	    "orient, border, background, deskew, stamp,\n"
	    "binarize, leaders, upscale; may be repeated" },
	{ "lang", OPT_LANG, "LANGS", "Tesseract languages (default vie)" },
	{ "who", OPT_WHO, "NAME", "who makes the change (default $SOHOA_USER,\n"
	    "else $USER)" },
	{ NULL, 0, NULL, NULL }
};

static const char exit_text[] =
	"Exit status: 0 done, 1 failed (nothing changed), 2 usage.\n";

static const struct cli_help rotate_help = {
	"[--archive DIR] [--why TEXT] DOC_ID PAGE DEGREES",
	"Turn page PAGE (1-based) of document DOC_ID by DEGREES (90, 180 or\n"
	"270, clockwise, from the scan as it was made; 0 undoes a turn the\n"
	"pipeline chose) and read it again: the text, the fields of the\n"
	"document that no person set, and its PDF follow.  The old reading is\n"
	"kept in the history; 'sohoa undo' brings it back.\n",
	page_opts, exit_text,
};

static const struct cli_help reread_help = {
	"[--without STEP]... [--lang LANGS] DOC_ID PAGE",
	"Read page PAGE of document DOC_ID again from its scan, as it would be\n"
	"read in an ingest, or without the cleanup steps named (a step that\n"
	"hurt this page).  The text, the fields no person set and the PDF\n"
	"follow; the old reading is kept in the history.\n",
	page_opts, exit_text,
};

static const struct cli_help replace_help = {
	"[--archive DIR] [--why TEXT] DOC_ID PAGE FILE",
	"Replace page PAGE of document DOC_ID by a re-scan: the first page of\n"
	"FILE is stored as the page's original and read.  The old scan stays\n"
	"in the archive, and the history keeps the old reading.\n",
	page_opts, exit_text,
};

static const struct cli_help edit_help = {
	"[--archive DIR] DOC_ID PAGE LINE TEXT",
	"Correct line LINE (1-based) of the OCR text of page PAGE of document\n"
	"DOC_ID to TEXT, for search and 'sohoa show'.  The PDF's text layer\n"
	"keeps the words as read.  Recorded; 'sohoa undo' takes it back.\n",
	page_opts, exit_text,
};

static const struct cli_help failures_help = {
	"[--archive DIR] [list | clear [PATH] | retry]",
	"list   what could not be read: files (unreadable, not an image) and\n"
	"       pages, with the reason ('sohoa status' shows them too)\n"
	"clear  forget the unreadable files recorded (those of PATH, or all):\n"
	"       for a file that was thrown away or will not be scanned again\n"
	"retry  read every failed page again from its stored scan; a page that\n"
	"       reads now joins the archive as a document of its own (merge it\n"
	"       into its neighbour with 'sohoa merge' if it belongs there)\n"
	"Each clear and each page read again is in the history.\n",
	page_opts,
	"Exit status: 0 done (retry: every page now reads), 1 failed or pages\n"
	"still fail, 2 usage.\n",
};

static int
clean_step(const char *s, unsigned *pbit)
{
	static const struct { const char *name; unsigned bit; } steps[] = {
		{ "orient", SOHOA_CLEAN_ORIENT },
		{ "border", SOHOA_CLEAN_BORDER },
		{ "background", SOHOA_CLEAN_BACKGROUND },
		{ "deskew", SOHOA_CLEAN_DESKEW },
		{ "stamp", SOHOA_CLEAN_STAMP },
		{ "binarize", SOHOA_CLEAN_BINARIZE },
		{ "leaders", SOHOA_CLEAN_LEADERS },
		{ "upscale", SOHOA_CLEAN_UPSCALE },
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(s, steps[i].name) == 0) {
			*pbit = steps[i].bit;
			return 0;
		}
	return -1;
}

enum verb { ROTATE, REREAD, REPLACE, EDIT };

static int
run(int argc, char **argv, struct cli *cli, enum verb v,
    const struct cli_help *help, int nargs, const char *what)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_doctypes *dt = NULL;
	struct sohoa_reread_opts o;
	struct cli_parser p;
	const char *who = NULL;
	int64_t doc, page = 0, in = 0;
	long n, x = 0;
	char *end;
	unsigned bit;
	int c, rc, ret = EXIT_FAILED;

	memset(&o, 0, sizeof(o));
	o.rotate = -1;
	cli_parse_init(&p, cli, help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_WHY:
			o.why = p.arg;
			break;
		case OPT_WITHOUT:
			if (clean_step(p.arg, &bit) != 0)
				return cli_usage(cli, "'%s' is not a cleanup step",
				    cli_esc(p.arg));
			o.disable |= bit;
			break;
		case OPT_LANG:
			o.lang = p.arg;
			break;
		case OPT_WHO:
			who = p.arg;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, nargs, nargs, what) != 0)
		return EXIT_USAGE;
	doc = cli_parse_doc_id(p.argv[0]);
	n = strtol(p.argv[1], &end, 10);
	if (doc == 0 || *end != '\0' || n < 1)
		return cli_usage(cli, "'%s %s' is not a document id and a page"
		    " number (from 1)", cli_esc(p.argv[0]), cli_esc(p.argv[1]));
	if (v == ROTATE || v == EDIT) {
		x = strtol(p.argv[2], &end, 10);
		if (*end != '\0' || (v == ROTATE && x % 90 != 0) ||
		    (v == EDIT && x < 1))
			return cli_usage(cli, v == ROTATE ? "'%s' is not 0, 90,"
			    " 180 or 270" : "'%s' is not a line number (from 1)",
			    cli_esc(p.argv[2]));
		o.rotate = (int)(((x % 360) + 360) % 360);
	}
	if (v == REPLACE)
		o.rescan = p.argv[2];
	if (v != EDIT && sohoa_doctypes_load(cli->ctx, NULL, &dt) != SOHOA_OK)
		goto fail;
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, who && *who ? who : cli_who(), "cli") !=
	    SOHOA_OK || sohoa_archive_page_find_in(a, doc, (int)n, &page) !=
	    SOHOA_OK)
		goto fail;
	if (v == EDIT)
		rc = sohoa_archive_page_text_edit(a, page, (int)x - 1,
		    p.argv[3]);
	else {
		cli_info(cli, "reading page %ld of document %lld again...", n,
		    (long long)doc);
		rc = sohoa_records_page_reread(a, dt, page, &o, &in);
	}
	if (rc != SOHOA_OK)
		goto fail;
	printf("document %lld page %ld: %s\n", (long long)doc, n,
	    v == ROTATE ? "turned and read again" : v == REREAD ?
	    "read again" : v == REPLACE ? "replaced by the re-scan and read" :
	    "line corrected");
	ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_doctypes_destroy(&dt);
	sohoa_archive_close(&a);
	return ret;
}

int cmd_rotate(int argc, char **argv, struct cli *cli);
int cmd_reread(int argc, char **argv, struct cli *cli);
int cmd_replace(int argc, char **argv, struct cli *cli);
int cmd_edit_text(int argc, char **argv, struct cli *cli);
int cmd_failures(int argc, char **argv, struct cli *cli);

int
cmd_rotate(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, ROTATE, &rotate_help, 3,
	    "DOC_ID PAGE DEGREES");
}

int
cmd_reread(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, REREAD, &reread_help, 2, "DOC_ID PAGE");
}

int
cmd_replace(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, REPLACE, &replace_help, 3,
	    "DOC_ID PAGE FILE");
}

int
cmd_edit_text(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, EDIT, &edit_help, 4,
	    "DOC_ID PAGE LINE TEXT");
}

static int
list_one(void *arg, const struct sohoa_review_item *it)
{
	int *pn = arg;

	if (it->kind == SOHOA_REVIEW_FAILED_FILE)
		printf("file '%s': %s\n", cli_esc(it->path), cli_esc(it->reason));
	else if (it->kind == SOHOA_REVIEW_FAILED_PAGE)
		printf("page %d of '%s'%s: %s\n", it->pageno + 1,
		    cli_esc(it->path), it->doc_id ? "" : " (in no document)",
		    cli_esc(it->reason));
	else
		return 0;
	(*pn)++;
	return 0;
}

/* A page retried: its error when it cannot be read again; stop on ^C. */
static int
retried(void *arg, int64_t page_id, int ok, const char *why)
{
	(void)arg;
	(void)page_id;
	(void)ok;
	if (why != NULL)
		cli_error("%s", why);
	return cli_interrupted;
}

int
cmd_failures(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_doctypes *dt = NULL;
	struct cli_parser p;
	const char *verb = "list";
	size_t n = 0, ok = 0;
	int c, k = 0, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, &failures_help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END)
		if (c != OPT_WHO && c != OPT_WHY)
			return p.status;
	if (cli_operands(&p, 0, 2, "list, clear [PATH] or retry") != 0)
		return EXIT_USAGE;
	if (p.argc > 0)
		verb = p.argv[0];
	if (strcmp(verb, "list") && strcmp(verb, "clear") && strcmp(verb,
	    "retry"))
		return cli_usage(cli, "'%s' is not list, clear or retry",
		    cli_esc(verb));
	if (p.argc > 1 && strcmp(verb, "clear") != 0)
		return cli_usage(cli, "'%s' takes no argument", verb);
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, cli_who(), "cli") != SOHOA_OK)
		goto fail;
	if (strcmp(verb, "list") == 0) {
		if (sohoa_archive_review_list(a, list_one, &k) != SOHOA_OK)
			goto fail;
		if (k == 0)
			printf("nothing failed\n");
		ret = EXIT_DONE;
	} else if (strcmp(verb, "clear") == 0) {
		if (sohoa_archive_failures_forget(a, p.argc > 1 ? p.argv[1] :
		    NULL, &k) != SOHOA_OK)
			goto fail;
		printf("%d unreadable file%s forgotten\n", k, k == 1 ? "" : "s");
		ret = EXIT_DONE;
	} else {
		if (sohoa_doctypes_load(cli->ctx, NULL, &dt) != SOHOA_OK ||
		    sohoa_records_retry_failed(a, dt, retried, NULL, &ok, &n) !=
		    SOHOA_OK)
			goto fail;
		printf("%zu of %zu failed pages read now\n", ok, n);
		ret = ok == n ? EXIT_DONE : EXIT_FAILED;
	}
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_doctypes_destroy(&dt);
	sohoa_archive_close(&a);
	return ret;
}
