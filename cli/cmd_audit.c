/*
 * sohoa audit: the archive's history -- logins, views, corrections, type
 * changes, exports, imports, user changes -- newest first (library:
 * sohoa/history.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/web.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa audit [--archive DIR] [--json] [--document N] [--action A]\n"
"                   [--who NAME] [--since DATE] [--limit N]\n"
"\n"
"Print the archive's history, newest first: who did what and when, from\n"
"the command line or the web interface (logins and failed logins, views\n"
"of documents, corrections, type changes, exports, imports, user\n"
"changes), with the old and new values.\n"
"\n"
"  --document N  only events of document N\n"
"  --action A    only action A (login, login_failed, view, field_set,\n"
"                field_accept, doc_type, export, import, user_add,\n"
"                user_change ...); !A: all but A\n"
"  --who NAME    only events by NAME\n"
"  --since DATE  only events at or after DATE (YYYY-MM-DD[THH:MM])\n"
"  --limit N     at most N events (default 100; 0: all)\n"
"  --json        print [{id, at, who, source, action, document, dossier,\n"
"                key, old, new, detail}]\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage.\n";

struct out {
	struct sohoa_json *j;
};

static int
print_cb(void *arg, const struct sohoa_event *ev)
{
	struct out *o = arg;

	if (o->j != NULL) {
		sohoa_json_event(o->j, ev);
		return 0;
	}
	printf("%s  %-12s %-4s %-14s", ev->at, ev->who, ev->source,
	    ev->action);
	if (ev->document_id > 0)
		printf(" document %lld", (long long)ev->document_id);
	if (ev->key != NULL)
		printf(" %s", ev->key);
	if (ev->old_value != NULL || ev->new_value != NULL)
		printf(": %s -> %s", ev->old_value ? ev->old_value : "-",
		    ev->new_value ? ev->new_value : "-");
	putchar('\n');
	return 0;
}

static int
number(const char *s, long long lo, long long hi, long long *pv)
{
	char *end;

	errno = 0;
	*pv = strtoll(s, &end, 10);
	return errno == 0 && *s != '\0' && *end == '\0' && *pv >= lo &&
	    *pv <= hi ? 0 : -1;
}

int cmd_audit(int argc, char **argv, struct cli *cli);

int
cmd_audit(int argc, char **argv, struct cli *cli)
{
	struct sohoa_event_filter f;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf buf = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct out o = { NULL };
	long long v;
	int i, json = 0, ret = EXIT_FAILED;

	memset(&f, 0, sizeof(f));
	f.limit = 100;
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] :
		    NULL;

		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(opt, "--json") == 0) {
			json = 1;
			continue;
		}
		if (val == NULL) {
			cli_error("unexpected argument '%s'", opt);
			return cli_usage(usage_text);
		}
		i++;
		if (strcmp(opt, "--document") == 0) {
			if (number(val, 1, INT64_MAX, &v) != 0) {
				cli_error("'%s' is not a document id", val);
				return cli_usage(usage_text);
			}
			f.document_id = v;
		} else if (strcmp(opt, "--action") == 0) {
			f.action = val;
		} else if (strcmp(opt, "--who") == 0) {
			f.who = val;
		} else if (strcmp(opt, "--since") == 0) {
			f.since = val;
		} else if (strcmp(opt, "--limit") == 0) {
			if (number(val, 0, 1000000000, &v) != 0) {
				cli_error("--limit takes a number");
				return cli_usage(usage_text);
			}
			f.limit = (int)v;
		} else {
			cli_error("unknown option '%s'", opt);
			return cli_usage(usage_text);
		}
	}
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
