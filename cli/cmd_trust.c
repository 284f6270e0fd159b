/*
 * sohoa trust: the certificates whose bundles this archive imports
 * without --untrusted.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG };

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "(list) print [{\"fingerprint\", \"subject\",\n"
	    "\"issuer\", \"not_after\", \"ca\", \"added_at\", \"added_by\"}]" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"add [--archive DIR] CERT.pem\n"
	"       sohoa trust list [--archive DIR] [--json]\n"
	"       sohoa trust remove [--archive DIR] FINGERPRINT",
	"'sohoa import' takes a bundle only when its signer is trusted here: its\n"
	"certificate was added, or it was issued by a CA certificate that was\n"
	"added.  Before adding a certificate somebody sent, compare its\n"
	"fingerprint (printed by 'add' and by 'sohoa verify') with the sender by\n"
	"another way (telephone, in person).  Every change is recorded in the\n"
	"archive's history.\n"
	"\n"
	"  add     trust the first certificate in CERT.pem (a signer's own, or a\n"
	"          CA's); the archive is created when missing\n"
	"  list    the trusted certificates: fingerprint, CA or signer, subject,\n"
	"          valid until, who added it and when\n"
	"  remove  stop trusting the certificate whose SHA-256 fingerprint starts\n"
	"          with FINGERPRINT (8 hex digits or more, colons allowed)\n",
	options,
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

int cmd_trust(int argc, char **argv, struct cli *cli);

struct list {
	struct sohoa_json j;
	int json;
	int n;
};

static int
print_one(void *arg, const struct sohoa_trusted *t)
{
	struct list *l = arg;

	l->n++;
	if (!l->json) {
		printf("%s  %-6s  %s  (until %.10s; added by %s on %.10s)\n",
		    cli_esc(t->fingerprint), t->is_ca ? "CA" : "signer",
		    cli_esc(t->subject), cli_esc(t->not_after),
		    cli_esc(t->added_by), cli_esc(t->added_at));
		return 0;
	}
	sohoa_json_obj_open(&l->j);
	sohoa_json_key(&l->j, "fingerprint");
	sohoa_json_str(&l->j, t->fingerprint);
	sohoa_json_key(&l->j, "subject");
	sohoa_json_str(&l->j, t->subject);
	sohoa_json_key(&l->j, "issuer");
	sohoa_json_str(&l->j, t->issuer);
	sohoa_json_key(&l->j, "not_after");
	sohoa_json_str(&l->j, t->not_after);
	sohoa_json_key(&l->j, "ca");
	sohoa_json_bool(&l->j, t->is_ca);
	sohoa_json_key(&l->j, "added_at");
	sohoa_json_str(&l->j, t->added_at);
	sohoa_json_key(&l->j, "added_by");
	sohoa_json_str(&l->j, t->added_by);
	sohoa_json_obj_close(&l->j);
	return 0;
}

int
cmd_trust(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_trusted_info info;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct list l;
	const char *verb, *arg;
	struct cli_parser p;
	int json = 0, c, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, 2, "add CERT.pem, list or remove FINGERPRINT")
	    != 0)
		return EXIT_USAGE;
	verb = p.argv[0];
	arg = p.argc > 1 ? p.argv[1] : NULL;
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "remove") != 0)
		return cli_usage(cli, "'%s' is not add, list or remove", verb);
	if ((strcmp(verb, "list") == 0) != (arg == NULL))
		return cli_usage(cli, arg == NULL ? "'%s' needs its argument" :
		    "'%s' takes no argument", verb);
	sohoa_trusted_info_init(&info);
	if (sohoa_archive_open(cli->ctx, cli->archive, strcmp(verb, "add") == 0 ?
	    SOHOA_ARCHIVE_CREATE : 0, &a) != SOHOA_OK)
		goto fail;
	sohoa_archive_set_actor(a, cli_who(), "cli");
	if (strcmp(verb, "add") == 0) {
		if (sohoa_trust_add(a, arg, &info) != SOHOA_OK)
			goto fail;
		printf("%s %s: %s\n  SHA-256 %s\n  valid until %s\n",
		    info.added ? "trusted" : "already trusted",
		    info.is_ca ? "CA" : "signer", cli_esc(info.subject.buf),
		    cli_esc(info.fingerprint.buf), cli_esc(info.not_after.buf));
		ret = EXIT_DONE;
	} else if (strcmp(verb, "remove") == 0) {
		if (sohoa_archive_trusted_remove(a, arg) != SOHOA_OK)
			goto fail;
		printf("no longer trusted: %s\n", cli_esc(arg));
		ret = EXIT_DONE;
	} else {
		memset(&l, 0, sizeof(l));
		l.json = json;
		sohoa_json_init(&l.j, &out, 0);
		sohoa_json_arr_open(&l.j);
		if (sohoa_archive_trusted_list(a, print_one, &l) != SOHOA_OK)
			goto fail;
		sohoa_json_arr_close(&l.j);
		if (json)
			ret = cli_print(&out);
		else {
			if (l.n == 0)
				cli_info(cli, "no certificate is trusted yet "
				    "('sohoa trust add CERT.pem')");
			ret = EXIT_DONE;
		}
	}
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_trusted_info_release(&info);
	sohoa_buf_release(&out);
	sohoa_archive_close(&a);
	return ret;
}
