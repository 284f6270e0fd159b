/*
 * sohoa import: verify a bundle, then load its dossier into the archive
 * (one transaction; importing it again changes nothing).
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_CA = CLI_OPT_LONG, OPT_JSON };

static const struct cli_opt options[] = {
	{ "ca", OPT_CA, "CA.pem", "refuse a bundle whose signer does not chain\n"
	    "to CA.pem; without it any correctly signed bundle\n"
	    "is accepted and its signer is printed" },
	{ "json", OPT_JSON, NULL, "print {\"dossier\", \"documents\", \"pages\",\n"
	    "\"fields\", \"blobs\", \"changed\", \"signer\", \"trusted\"}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--ca CA.pem] [--json] FILE",
	"Verify the bundle FILE as 'sohoa verify' does, then load its dossier,\n"
	"documents, page text, fields, original scans and PDFs into the archive\n"
	"(created when missing), all in one transaction, and index them for\n"
	"search.  Importing the same bundle again changes nothing.\n",
	options,
	"Exit status: 0 done, 3 the bundle is not valid (nothing was written),\n"
	"1 failed (nothing was written), 2 usage, 130 stopped by Ctrl-C\n"
	"(nothing was written unless the import had finished).\n",
};

int cmd_import(int argc, char **argv, struct cli *cli);

int
cmd_import(int argc, char **argv, struct cli *cli)
{
	const char *ca = NULL, *path;
	struct sohoa_bundle *b = NULL;
	struct sohoa_archive *a = NULL;
	struct sohoa_import_result res;
	const struct sohoa_bundle_report *r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct cli_parser p;
	int json = 0, c, rc, ret = EXIT_DONE;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_CA:
			ca = p.arg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, 1, "FILE (the bundle)") != 0)
		return EXIT_USAGE;
	path = p.argv[0];
	sohoa_import_result_init(&res);
	rc = sohoa_bundle_open(cli->ctx, path, ca, NULL, &b);
	if (rc == SOHOA_ERR_INVALID) {
		cli_error("%s (nothing was imported)", sohoa_errmsg(cli->ctx));
		ret = EXIT_INVALID;
		goto out;
	}
	if (rc != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	r = sohoa_bundle_report(b);
	/*
	 * The library has no point to stop at inside a step: Ctrl-C during
	 * the check stops here, before the archive is touched; during the
	 * import (one transaction) it takes effect when that is done.
	 */
	if (cli_interrupted) {
		cli_error("interrupted: nothing was imported");
		ret = EXIT_FAILED;
		goto out;
	}
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_CREATE,
	    &a) != SOHOA_OK || sohoa_bundle_import(a, b, &res) != SOHOA_OK) {
		ret = cli_fail(cli, "cannot import");
		goto out;
	}
	if (json) {
		struct sohoa_json j;

		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "dossier");
		sohoa_json_str(&j, res.dossier.buf);
		sohoa_json_key(&j, "documents");
		sohoa_json_int(&j, (long long)res.ndocuments);
		sohoa_json_key(&j, "pages");
		sohoa_json_int(&j, (long long)res.npages);
		sohoa_json_key(&j, "fields");
		sohoa_json_int(&j, (long long)res.nfields);
		sohoa_json_key(&j, "blobs");
		sohoa_json_int(&j, (long long)res.nblobs);
		sohoa_json_key(&j, "changed");
		sohoa_json_bool(&j, res.changed);
		sohoa_json_key(&j, "signer");
		sohoa_json_str(&j, r->signer);
		sohoa_json_key(&j, "trusted");
		sohoa_json_bool(&j, r->trusted);
		sohoa_json_obj_close(&j);
	} else if (res.changed) {
		sohoa_buf_addf(&out, "imported dossier '%s': %zu documents,"
		    " %zu pages, %zu fields, %zu new blobs (signed by %s%s)",
		    cli_esc(res.dossier.buf), res.ndocuments, res.npages,
		    res.nfields, res.nblobs, cli_esc(r->signer), r->trusted ?
		    ", trusted" :
		    ", not checked against a CA");
	} else {
		sohoa_buf_addf(&out, "dossier '%s' is already up to date: nothing"
		    " changed", cli_esc(res.dossier.buf));
	}
	ret = cli_print(&out);
out:
	sohoa_import_result_release(&res);
	sohoa_bundle_close(&b);
	sohoa_archive_close(&a);
	sohoa_buf_release(&out);
	return ret;
}
