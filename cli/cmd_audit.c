/*
 * sohoa audit: the archive's history -- logins, views, corrections, type
 * changes, exports, imports, user changes -- newest first (library:
 * sohoa/history.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

int64_t cli_parse_doc_id(const char *s);

enum {
	OPT_JSON = CLI_OPT_LONG, OPT_DOCUMENT, OPT_ACTION, OPT_WHO, OPT_SINCE,
	OPT_LIMIT,
};

static const struct cli_opt options[] = {
	{ "document", OPT_DOCUMENT, "N", "only events of document N" },
	{ "action", OPT_ACTION, "A", "only action A (login, login_failed, view,\n"
	    "field_set, field_accept, doc_type, export,\nimport, user_add, "
	    "user_change ...); !A: all\nbut A" },
	{ "who", OPT_WHO, "NAME", "only events by NAME" },
	{ "since", OPT_SINCE, "DATE", "only events at or after DATE\n"
	    "(YYYY-MM-DD[THH:MM])" },
	{ "limit", OPT_LIMIT, "N", "at most N events (default 100; 0: all)" },
	{ "json", OPT_JSON, NULL, "print [{id, at, who, source, action,\n"
	    "document, dossier, key, old, new, detail,\nundoes, undone_by}]" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--json] [--document N] [--action A]\n"
	"                   [--who NAME] [--since DATE] [--limit N]",
	"Print the archive's history, newest first: who did what and when, from\n"
	"the command line or the web interface -- logins and failed logins,\n"
	"views of documents, corrections, type changes, exports, imports, user\n"
	"changes -- with the old and new values.  One document's history,\n"
	"oldest first, is 'sohoa history DOC_ID'.\n",
	options,
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

struct out {
	struct sohoa_json *j;
};

static int
print_cb(void *arg, const struct sohoa_event *ev)
{
	struct out *o = arg;

	if (o->j != NULL) {
		sohoa_event_json(o->j, ev);
		return 0;
	}
	/* "2026-12-06T11:34:10+07:00" shown to the second */
	printf("#%-5lld %.10s %.8s  %-12s %-4s %-14s", (long long)ev->id,
	    ev->at, ev->at && strlen(ev->at) > 11 ? ev->at + 11 : "",
	    cli_esc(ev->who), cli_esc(ev->source), cli_esc(ev->action));
	if (ev->document_id > 0)
		printf(" document %lld", (long long)ev->document_id);
	if (ev->key != NULL)
		printf(" %s", cli_esc(ev->key));
	if (strcmp(ev->action, SOHOA_EV_LOGIN) == 0 ||
	    strcmp(ev->action, SOHOA_EV_LOGIN_FAILED) == 0)
		printf(" from %s", cli_esc(ev->new_value));
	else if (ev->old_value != NULL || ev->new_value != NULL)
		printf(": %s -> %s", ev->old_value ? cli_esc(ev->old_value) :
		    "(none)", ev->new_value ? cli_esc(ev->new_value) : "(none)");
	putchar('\n');
	return 0;
}

int cmd_audit(int argc, char **argv, struct cli *cli);

int
cmd_audit(int argc, char **argv, struct cli *cli)
{
	struct sohoa_event_filter f;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf buf = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct cli_parser p;
	struct out o = { NULL };
	int c, json = 0, ret = EXIT_FAILED;

	memset(&f, 0, sizeof(f));
	f.limit = 100;
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_DOCUMENT:
			f.document_id = cli_parse_doc_id(p.arg);
			if (f.document_id == 0)
				return cli_usage(cli, "'%s' is not a document "
				    "id (a number)", cli_esc(p.arg));
			break;
		case OPT_ACTION:
			f.action = p.arg;
			break;
		case OPT_WHO:
			f.who = p.arg;
			break;
		case OPT_SINCE:
			f.since = p.arg;
			break;
		case OPT_LIMIT:
			if (cli_opt_int(&p, 0, 1000000000, &f.limit) != 0)
				return EXIT_USAGE;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 0, 0, NULL) != 0)
		return EXIT_USAGE;
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	if (json) {
		sohoa_json_init(&j, &buf, 0);
		sohoa_json_arr_open(&j);
		o.j = &j;
	}
	if (sohoa_archive_event_list(a, &f, print_cb, &o) != SOHOA_OK) {
		ret = cli_fail(cli, "cannot read the history");
		goto out;
	}
	if (json) {
		sohoa_json_arr_close(&j);
		ret = j.rc == SOHOA_OK ? cli_print(&buf) : EXIT_FAILED;
	} else {
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	}
out:
	sohoa_buf_release(&buf);
	sohoa_archive_close(&a);
	return ret;
}
