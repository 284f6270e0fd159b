/*
 * sohoa history: every change made to a document, oldest first: who,
 * when, from where (the command line, the web, a bundle), what was before
 * and after.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG, OPT_VIEWS };

static const struct cli_opt options[] = {
	{ "views", OPT_VIEWS, NULL, "also list who looked at the document\n"
	    "(in the web interface)" },
	{ "json", OPT_JSON, NULL, "print [{\"id\", \"at\", \"who\", \"source\",\n"
	    "\"action\", \"key\", \"old\", \"new\", \"detail\",\n"
	    "\"undoes\", \"undone_by\"}], oldest first" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--views] [--json] DOC_ID",
	"Print the history of document DOC_ID, oldest first: corrections\n"
	"(field_set), accepted values (field_accept), type changes (doc_type),\n"
	"moves, splits, merges, rotations, deletions, imports and conflicts an\n"
	"import left, each with its number, time, who made it and from where\n"
	"(cli, web, or bundle:SHA-256 for an import), and the value before and\n"
	"after.  The whole archive's log is 'sohoa audit'.\n",
	options,
	"Exit status: 0 done, 1 failed (no such document), 2 usage.\n",
};

int64_t cli_parse_doc_id(const char *s);

int cmd_history(int argc, char **argv, struct cli *cli);

struct hist {
	struct sohoa_json j;
	int json;
	int n;
};

static int
print_event(void *arg, const struct sohoa_event *ev)
{
	struct hist *h = arg;

	h->n++;
	if (h->json) {
		sohoa_event_json(&h->j, ev);
		return 0;
	}
	/* "2026-12-06T11:34:10+07:00" shown to the minute */
	printf("#%-5lld %.10s %.5s  %-14s %-16s", (long long)ev->id,
	    cli_esc(ev->at), ev->at && strlen(ev->at) > 11 ?
	    cli_esc(ev->at + 11) : "",
	    cli_esc(ev->action), cli_esc(ev->who));
	if (ev->undoes) {
		printf(" #%lld\n", (long long)ev->undoes);
		return 0;
	}
	if (ev->key != NULL)
		printf(" %s:", cli_esc(ev->key));
	if (ev->old_value != NULL || ev->new_value != NULL)
		printf(" %s -> %s", ev->old_value ? cli_esc(ev->old_value) :
		    "(none)", ev->new_value ? cli_esc(ev->new_value) : "(none)");
	if (ev->source != NULL && strcmp(ev->source, "cli") != 0)
		printf("  [%s]", cli_esc(ev->source));
	if (ev->undone_by)
		printf("  (undone by #%lld)", (long long)ev->undone_by);
	putchar('\n');
	return 0;
}

int
cmd_history(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_document *d = NULL;
	struct sohoa_event_filter f;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct cli_parser p;
	struct hist h;
	int64_t id;
	int views = 0, c, ret = EXIT_FAILED;

	memset(&h, 0, sizeof(h));
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			h.json = 1;
			break;
		case OPT_VIEWS:
			views = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, 1, "DOC_ID") != 0)
		return EXIT_USAGE;
	id = cli_parse_doc_id(p.argv[0]);
	if (id == 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    cli_esc(p.argv[0]));
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK || sohoa_archive_document_load(a, id, &d) !=
	    SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	memset(&f, 0, sizeof(f));
	f.document_id = id;
	f.oldest_first = 1;
	if (!views)
		f.action = "!" SOHOA_EV_VIEW;
	sohoa_json_init(&h.j, &out, 0);
	sohoa_json_arr_open(&h.j);
	if (!h.json)
		printf("document %lld (%s, dossier %s)%s\n", (long long)id,
		    cli_esc(d->title), cli_esc(d->dossier),
		    d->deleted_at ? ", deleted" : "");
	if (sohoa_archive_event_list(a, &f, print_event, &h) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	sohoa_json_arr_close(&h.j);
	if (h.json)
		ret = cli_print(&out);
	else {
		if (h.n == 0)
			printf("no change since it was ingested\n");
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	}
out:
	sohoa_buf_release(&out);
	sohoa_document_destroy(&d);
	sohoa_archive_close(&a);
	return ret;
}
