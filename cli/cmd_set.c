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

static const char usage_text[] =
"usage: sohoa set [--archive DIR] [--who NAME] [--json] DOC_ID KEY=VALUE...\n"
"\n"
"Correct fields of document DOC_ID.  Each field gets VALUE and is marked\n"
"corrected (no longer flagged for review); its old value, who made the\n"
"change and when are kept in the archive's history, and the document is\n"
"re-indexed for search.  All the changes are made together or not at all.\n"
"KEY is a field name as 'sohoa show' prints it (letters, digits, _).\n"
"\n"
"  --who NAME  who corrects (default $SOHOA_USER, else $USER, else\n"
"              'unknown')\n"
"  --json      print {\"document\": ID, \"who\": NAME, \"changes\": [{\"key\",\n"
"              \"old\" (null when new), \"new\"}]}\n"
"\n"
"Exit status: 0 done, 1 failed (nothing changed), 2 usage.\n";

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
	const char *who = NULL, *id_arg = NULL, *eq, *old;
	int64_t id;
	int first = 0, json = 0, i, rc, ret = EXIT_FAILED;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--who") == 0 && i + 1 < argc)
			who = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] == '-') {
			cli_error("unknown option '%s'", argv[i]);
			return cli_usage(usage_text);
		} else if (id_arg == NULL)
			id_arg = argv[i];
		else {
			if (first == 0)
				first = i;
			eq = strchr(argv[i], '=');
			if (eq == NULL || !valid_key(argv[i], (size_t)(eq - argv[i]))) {
				cli_error("'%s' is not KEY=VALUE", argv[i]);
				return cli_usage(usage_text);
			}
		}
	}
	if (id_arg == NULL || first == 0)
		return cli_usage(usage_text);
	id = cli_parse_doc_id(id_arg);
	if (id == 0) {
		cli_error("'%s' is not a document id (a number)", id_arg);
		return cli_usage(usage_text);
	}
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
	for (i = first; i < argc && rc == SOHOA_OK; i++) {
		if (strcmp(argv[i], "--who") == 0) {
			i++;
			continue;
		}
		if (strcmp(argv[i], "--json") == 0)
			continue;
		eq = strchr(argv[i], '=');
		sohoa_buf_reset(&key);
		if (sohoa_buf_add(&key, argv[i], (size_t)(eq - argv[i])) != SOHOA_OK) {
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
			    key.buf, eq + 1, old ? old : "not set");
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
