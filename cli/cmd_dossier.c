/*
 * sohoa dossier: list dossiers, show, set and check their archival
 * metadata (Thông tư 05/2025 EAD.xml fields) before export.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG };

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "print JSON (list, show)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[list] [--json]\n"
	"       sohoa dossier show CODE [--json]\n"
	"       sohoa dossier set CODE KEY=VALUE... (VALUE empty: unset)\n"
	"       sohoa dossier check CODE\n"
	"       sohoa dossier keys",
	"The metadata exported in EAD.xml (Thông tư 05/2025/TT-BNV): values set\n"
	"here, values derived from the archive (counts, dates, title) and the\n"
	"defaults (confidence_level 02 Số hóa, language 01, maintenance 01,\n"
	"mode 02).  'check' validates them as export does.  'keys' lists the keys\n"
	"and their code lists.\n",
	options,
	"Exit status: 0 done, 1 failed or (check) not valid, 2 usage.\n",
};

struct list_ctx {
	struct sohoa_json *j;
	struct sohoa_buf *out;
};

static int
list_cb(void *arg, const struct sohoa_dossier_info *d)
{
	struct list_ctx *l = arg;

	if (l->j != NULL) {
		sohoa_json_obj_open(l->j);
		sohoa_json_key(l->j, "code");
		sohoa_json_str(l->j, d->code);
		sohoa_json_key(l->j, "documents");
		sohoa_json_int(l->j, d->ndocuments);
		sohoa_json_key(l->j, "pages");
		sohoa_json_int(l->j, d->npages);
		sohoa_json_key(l->j, "created_at");
		sohoa_json_str(l->j, d->created_at);
		sohoa_json_obj_close(l->j);
	} else {
		sohoa_buf_addf(l->out, "%s%s\t%d documents\t%d pages",
		    l->out->len ? "\n" : "", cli_esc(d->code), d->ndocuments,
		    d->npages);
	}
	return 0;
}

static int
do_list(struct cli *cli, struct sohoa_archive *a, int json)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct list_ctx l = { json ? &j : NULL, &out };
	int ret;

	if (json) {
		sohoa_json_init(&j, &out, 0);
		sohoa_json_arr_open(&j);
	}
	if (sohoa_archive_dossier_list(a, list_cb, &l) != SOHOA_OK) {
		sohoa_buf_release(&out);
		return cli_fail(cli, "cannot list dossiers");
	}
	if (json)
		sohoa_json_arr_close(&j);
	ret = out.len || json ? cli_print(&out) : EXIT_DONE;
	sohoa_buf_release(&out);
	return ret;
}

static int
do_show(struct cli *cli, struct sohoa_archive *a, const char *code, int json)
{
	struct sohoa_dossier_meta *m = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int64_t id;
	size_t i;
	int valid, ret;

	if (sohoa_archive_dossier_get(a, code, 0, &id) != SOHOA_OK ||
	    sohoa_dossier_meta_load(a, id, &m) != SOHOA_OK)
		return cli_fail(cli, NULL);
	valid = sohoa_dossier_meta_validate(cli->ctx, m) == SOHOA_OK;
	if (json) {
		struct sohoa_json j;

		sohoa_json_init(&j, &out, 1);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "code");
		sohoa_json_str(&j, m->code);
		sohoa_json_key(&j, "meta");
		sohoa_json_obj_open(&j);
		for (i = 0; i < m->n; i++) {
			sohoa_json_key(&j, m->items[i].key);
			sohoa_json_obj_open(&j);
			sohoa_json_key(&j, "value");
			sohoa_json_str(&j, m->items[i].value);
			sohoa_json_key(&j, "source");
			sohoa_json_str(&j,
			    sohoa_meta_source_name(m->items[i].source));
			sohoa_json_key(&j, "element");
			sohoa_json_str(&j,
			    sohoa_dossier_meta_element(m->items[i].key));
			sohoa_json_obj_close(&j);
		}
		sohoa_json_obj_close(&j);
		sohoa_json_key(&j, "valid");
		sohoa_json_bool(&j, valid);
		sohoa_json_key(&j, "problems");
		sohoa_json_str(&j, valid ? NULL : sohoa_errmsg(cli->ctx));
		sohoa_json_obj_close(&j);
	} else {
		sohoa_buf_addf(&out, "dossier %s", cli_esc(m->code));
		for (i = 0; i < m->n; i++)
			sohoa_buf_addf(&out, "\n  %-21s %s%s%s%s",
			    cli_esc(m->items[i].key),
			    cli_esc(m->items[i].value),
			    m->items[i].source != SOHOA_META_SET ? "  (" : "",
			    m->items[i].source != SOHOA_META_SET ?
			    sohoa_meta_source_name(m->items[i].source) : "",
			    m->items[i].source != SOHOA_META_SET ? ")" : "");
		if (!valid)
			sohoa_buf_addf(&out, "\nnot ready for export: %s",
			    cli_esc(sohoa_errmsg(cli->ctx)));
	}
	ret = cli_print(&out);
	sohoa_buf_release(&out);
	sohoa_dossier_meta_destroy(&m);
	return ret;
}

static int
do_set(struct cli *cli, struct sohoa_archive *a, const char *code,
    int n, char **kv)
{
	struct sohoa_buf key = SOHOA_BUF_INIT;
	int64_t id;
	int i, rc;

	if (n == 0)
		return cli_usage(cli, "missing KEY=VALUE");
	for (i = 0; i < n; i++)
		if (strchr(kv[i], '=') == NULL)
			return cli_usage(cli, "'%s' is not KEY=VALUE", kv[i]);
	rc = sohoa_archive_begin(a);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_get(a, code, 0, &id);
	for (i = 0; rc == SOHOA_OK && i < n; i++) {
		const char *eq = strchr(kv[i], '=');

		sohoa_buf_reset(&key);
		sohoa_buf_add(&key, kv[i], (size_t)(eq - kv[i]));
		rc = sohoa_dossier_meta_store(a, id, key.buf, eq + 1);
	}
	sohoa_buf_release(&key);
	/* all or nothing: one bad value stores none of them */
	rc = sohoa_archive_end(a, rc);
	if (rc != SOHOA_OK)
		return cli_fail(cli, NULL);
	return EXIT_DONE;
}

static int
do_check(struct cli *cli, struct sohoa_archive *a, const char *code)
{
	struct sohoa_dossier_meta *m = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int64_t id;
	int ret;

	if (sohoa_archive_dossier_get(a, code, 0, &id) != SOHOA_OK ||
	    sohoa_dossier_meta_load(a, id, &m) != SOHOA_OK)
		return cli_fail(cli, NULL);
	if (sohoa_dossier_meta_validate(cli->ctx, m) != SOHOA_OK) {
		sohoa_dossier_meta_destroy(&m);
		return cli_fail(cli, NULL);
	}
	sohoa_buf_addf(&out, "dossier '%s' is ready for export", cli_esc(code));
	ret = cli_print(&out);
	sohoa_buf_release(&out);
	sohoa_dossier_meta_destroy(&m);
	return ret;
}

static int
do_keys(void)
{
	const char *const *k;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int ret;

	for (k = sohoa_dossier_meta_keys(); *k != NULL; k++)
		sohoa_buf_addf(&out, "%s%-21s %-18s %s", out.len ? "\n" : "",
		    *k, sohoa_dossier_meta_element(*k) ?
		    sohoa_dossier_meta_element(*k) : "-",
		    sohoa_dossier_meta_help(*k));
	ret = cli_print(&out);
	sohoa_buf_release(&out);
	return ret;
}

int cmd_dossier(int argc, char **argv, struct cli *cli);

int
cmd_dossier(int argc, char **argv, struct cli *cli)
{
	static const struct {
		const char *verb;
		int nargs;	/* operands after the verb; -1: one or more */
	} verbs[] = {
		{ "list", 0 }, { "show", 1 }, { "set", -1 }, { "check", 1 },
		{ "keys", 0 },
	};
	struct sohoa_archive *a = NULL;
	struct cli_parser p;
	const char *verb;
	size_t v;
	int json = 0, c, ret;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		if (c != OPT_JSON)
			return p.status;
		json = 1;
	}
	verb = p.argc > 0 ? p.argv[0] : "list";
	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (strcmp(verb, verbs[v].verb) == 0)
			break;
	if (v == sizeof(verbs) / sizeof(verbs[0]))
		return cli_usage(cli, "'%s' is not a dossier verb (list, show, "
		    "set, check, keys)", verb);
	if (p.argc > 0) {
		p.argc--;
		p.argv++;
	}
	if (verbs[v].nargs != 0 && cli_operands(&p, 1, -1, "CODE") != 0)
		return EXIT_USAGE;
	if (verbs[v].nargs >= 0 && cli_operands(&p, 0, verbs[v].nargs,
	    NULL) != 0)
		return EXIT_USAGE;
	if (verbs[v].nargs < 0 && cli_operands(&p, 2, -1, "KEY=VALUE") != 0)
		return EXIT_USAGE;
	if (strcmp(verb, "keys") == 0)
		return do_keys();
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	/* metadata changes are in the history: who made them */
	if (sohoa_archive_set_actor(a, cli_who(), "cli") != SOHOA_OK) {
		sohoa_archive_close(&a);
		return cli_fail(cli, NULL);
	}
	if (strcmp(verb, "list") == 0)
		ret = do_list(cli, a, json);
	else if (strcmp(verb, "show") == 0)
		ret = do_show(cli, a, p.argv[0], json);
	else if (strcmp(verb, "set") == 0)
		ret = do_set(cli, a, p.argv[0], p.argc - 1, p.argv + 1);
	else
		ret = do_check(cli, a, p.argv[0]);
	sohoa_archive_close(&a);
	return ret;
}
