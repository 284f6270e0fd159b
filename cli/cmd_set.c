/*
 * sohoa set: a clerk corrects fields of a document.  The values are
 * checked by field type and stored with their history by records/;
 * 'sohoa history' shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

enum { OPT_WHO = CLI_OPT_LONG, OPT_NEW_KEY, OPT_JSON };

static const struct cli_opt options[] = {
	{ "who", OPT_WHO, "NAME", "who corrects (default $SOHOA_USER, else\n"
	    "$USER, else 'unknown')" },
	{ "new-key", OPT_NEW_KEY, NULL, "allow a KEY that no document type lists\n"
	    "(stored as free text)" },
	{ "json", OPT_JSON, NULL, "print {\"document\": ID, \"who\": NAME,\n"
	    "\"changes\": [{\"key\", \"old\" (null when new),\n"
	    "\"new\", \"changed\"}]}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--who NAME] [--new-key] [--json] DOC_ID KEY=VALUE...",
	"Correct fields of document DOC_ID.  Each VALUE is checked as its field\n"
	"is typed: dates as DD/MM/YYYY (or YYYY-MM-DD; stored YYYY-MM-DD, a real\n"
	"day), a personal ID as 12 digits with a province code, sex as Nam or\n"
	"Nữ, an ethnic group or nationality as the official list writes it, a\n"
	"name in letters; control characters are refused.  KEY must be a field\n"
	"of some document type ('sohoa show' prints them) unless --new-key.\n"
	"doc_type=TYPE changes the document's type (birth, death, marriage,\n"
	"marital_status, decision, other) in search, titles and export.\n"
	"\n"
	"Each field gets VALUE and is marked corrected (no longer flagged for\n"
	"review); its old value, who and when are kept in the archive's history\n"
	"('sohoa history DOC_ID'), and the document is re-indexed for search.\n"
	"All the changes are made together or none is.  A value already stored\n"
	"changes nothing.  To keep a flagged value as it was read, use\n"
	"'sohoa accept'.\n",
	options,
	"Exit status: 0 done, 1 failed or a value was refused (nothing\n"
	"changed), 2 usage.\n",
};

int64_t cli_parse_doc_id(const char *s);

int cmd_set(int argc, char **argv, struct cli *cli);

int
cmd_set(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_doctypes *dt = NULL;
	struct sohoa_field_change *ch = NULL;
	struct sohoa_buf keys = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct cli_parser p;
	const char *who = NULL, *eq;
	char *k;
	unsigned flags = 0;
	int64_t id;
	size_t n = 0, i;
	int json = 0, c, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_WHO:
			who = p.arg;
			break;
		case OPT_NEW_KEY:
			flags |= SOHOA_FIELD_NEW_KEY;
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 2, -1, "DOC_ID KEY=VALUE") != 0)
		return EXIT_USAGE;
	id = cli_parse_doc_id(p.argv[0]);
	if (id == 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    p.argv[0]);
	ch = calloc((size_t)p.argc, sizeof(*ch));
	if (ch == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	/* the keys, cut out of KEY=VALUE, live in one buffer */
	for (i = 1; i < (size_t)p.argc; i++) {
		eq = strchr(p.argv[i], '=');
		if (eq == NULL || eq == p.argv[i] ||
		    strspn(p.argv[i], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    (size_t)(eq - p.argv[i])) {
			ret = cli_usage(cli, "'%s' is not KEY=VALUE",
			    cli_esc(p.argv[i]));
			goto out;
		}
		sohoa_buf_add(&keys, p.argv[i], (size_t)(eq - p.argv[i]) + 1);
		ch[n++].value = eq + 1;
	}
	for (i = 0, k = keys.buf; i < n; i++, k += strlen(k) + 1) {
		k[strcspn(k, "=")] = '\0';
		ch[i].key = k;
	}
	if (who == NULL || *who == '\0')
		who = cli_who();
	if (sohoa_doctypes_load(cli->ctx, NULL, &dt) != SOHOA_OK ||
	    sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, who, "cli") != SOHOA_OK ||
	    sohoa_records_field_set(a, dt, id, ch, n, flags) != SOHOA_OK) {
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
	for (i = 0; i < n; i++) {
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "key");
		sohoa_json_str(&j, ch[i].key);
		sohoa_json_key(&j, "old");
		sohoa_json_str(&j, ch[i].old);
		sohoa_json_key(&j, "new");
		sohoa_json_str(&j, ch[i].stored);
		sohoa_json_key(&j, "changed");
		sohoa_json_bool(&j, ch[i].changed);
		sohoa_json_obj_close(&j);
		if (json)
			continue;
		if (ch[i].changed)
			printf("document %lld: %s = %s (was %s)\n", (long long)id,
			    cli_esc(ch[i].key), cli_esc(ch[i].stored),
			    ch[i].old == NULL ? "not set" :
			    ch[i].old[0] == '\0' ? "empty" :
			    cli_esc(ch[i].old));
		else
			printf("document %lld: %s = %s (unchanged)\n",
			    (long long)id, cli_esc(ch[i].key),
			    cli_esc(ch[i].stored));
	}
	sohoa_json_arr_close(&j);
	sohoa_json_obj_close(&j);
	if (json)
		ret = cli_print(&out);
	else
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
out:
	sohoa_field_changes_release(ch, n);
	free(ch);
	sohoa_buf_release(&keys);
	sohoa_buf_release(&out);
	sohoa_doctypes_destroy(&dt);
	sohoa_archive_close(&a);
	return ret;
}
