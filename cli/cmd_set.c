/*
 * sohoa set: a clerk corrects fields of a document; the old values, who
 * and when are kept in field_history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_WHO = CLI_OPT_LONG, OPT_JSON };

static const struct cli_opt options[] = {
	{ "who", OPT_WHO, "NAME", "who corrects (default $SOHOA_USER, else\n"
	    "$USER, else 'unknown')" },
	{ "json", OPT_JSON, NULL, "print {\"document\": ID, \"who\": NAME,\n"
	    "\"changes\": [{\"key\", \"old\" (null when new),\n"
	    "\"new\"}]}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--who NAME] [--json] DOC_ID KEY=VALUE...",
	"Correct fields of document DOC_ID.  Each field gets VALUE and is marked\n"
	"corrected (no longer flagged for review); its old value, who made the\n"
	"change and when are kept in the archive's history, and the document is\n"
	"re-indexed for search.  All the changes are made together or not at all.\n"
	"KEY is a field name as 'sohoa show' prints it (letters, digits, _).\n",
	options,
	"Exit status: 0 done, 1 failed (nothing changed), 2 usage.\n",
};

int64_t cli_parse_doc_id(const char *s);

static int
valid_key(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static const char *
field_value(const struct sohoa_document *d, const char *key)
{
	size_t i;

	for (i = 0; d != NULL && i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			return d->fields[i].value;
	return NULL;
}

int cmd_set(int argc, char **argv, struct cli *cli);

int
cmd_set(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_document *d = NULL;
	struct sohoa_buf key = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct cli_parser p;
	const char *who = NULL, *id_arg, *eq, *old;
	int64_t id;
	int json = 0, c, i, rc, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_WHO:
			who = p.arg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, -1, "DOC_ID") != 0 ||
	    cli_operands(&p, 2, -1, "KEY=VALUE") != 0)
		return EXIT_USAGE;
	for (i = 1; i < p.argc; i++) {
		eq = strchr(p.argv[i], '=');
		if (eq == NULL || !valid_key(p.argv[i],
		    (size_t)(eq - p.argv[i])))
			return cli_usage(cli, "'%s' is not KEY=VALUE",
			    p.argv[i]);
	}
	id_arg = p.argv[0];
	id = cli_parse_doc_id(id_arg);
	if (id == 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    id_arg);
	if (who == NULL || *who == '\0')
		who = getenv("SOHOA_USER");
	if (who == NULL || *who == '\0')
		who = getenv("USER");
	if (who == NULL || *who == '\0')
		who = "unknown";
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	if (sohoa_archive_document_load(a, id, &d) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	sohoa_json_init(&j, &out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "document");
	sohoa_json_int(&j, id);
	sohoa_json_key(&j, "who");
	sohoa_json_str(&j, who);
	sohoa_json_key(&j, "changes");
	sohoa_json_arr_open(&j);
	rc = sohoa_archive_begin(a);
	for (i = 1; i < p.argc && rc == SOHOA_OK; i++) {
		eq = strchr(p.argv[i], '=');
		sohoa_buf_reset(&key);
		if (sohoa_buf_add(&key, p.argv[i], (size_t)(eq - p.argv[i])) !=
		    SOHOA_OK) {
			rc = sohoa_set_error(cli->ctx, SOHOA_ERR_NOMEM, "out of memory");
			break;
		}
		rc = sohoa_archive_field_set(a, id, key.buf, eq + 1, who);
		if (rc != SOHOA_OK)
			break;
		old = field_value(d, key.buf);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "key");
		sohoa_json_str(&j, key.buf);
		sohoa_json_key(&j, "old");
		sohoa_json_str(&j, old);
		sohoa_json_key(&j, "new");
		sohoa_json_str(&j, eq + 1);
		sohoa_json_obj_close(&j);
		if (!json)
			printf("document %lld: %s = %s (was %s)\n", (long long)id,
			    cli_esc(key.buf), cli_esc(eq + 1), old ?
			    cli_esc(old) : "not set");
	}
	sohoa_json_arr_close(&j);
	sohoa_json_obj_close(&j);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_commit(a);
	else
		sohoa_archive_rollback(a);
	if (rc != SOHOA_OK)
		ret = cli_fail(cli, NULL);
	else if (json)
		ret = cli_print(&out);
	else
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
out:
	sohoa_buf_release(&out);
	sohoa_buf_release(&key);
	sohoa_document_destroy(&d);
	sohoa_archive_close(&a);
	return ret;
}
