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

static const char usage_text[] =
"usage: sohoa import [--ca CA.pem] [--json] FILE\n"
"\n"
"Verify the bundle FILE as 'sohoa verify' does, then load its dossier,\n"
"documents, page text, fields, original scans and PDFs into the archive\n"
"(created when missing), all in one transaction, and index them for\n"
"search.  Importing the same bundle again changes nothing.\n"
"\n"
"  --ca CA.pem  refuse a bundle whose signer does not chain to CA.pem;\n"
"               without it any correctly signed bundle is accepted and\n"
"               its signer is printed\n"
"  --json       print {\"dossier\", \"documents\", \"pages\", \"fields\",\n"
"               \"blobs\", \"changed\", \"signer\", \"trusted\"}\n"
"\n"
"Exit status: 0 done, 3 the bundle is not valid (nothing was written),\n"
"1 failed (nothing was written), 2 usage.\n";

int cmd_import(int argc, char **argv, struct cli *cli);

int
cmd_import(int argc, char **argv, struct cli *cli)
{
	const char *ca = NULL, *path = NULL;
	struct sohoa_bundle *b = NULL;
	struct sohoa_archive *a = NULL;
	struct sohoa_import_result res;
	const struct sohoa_bundle_report *r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int json = 0, i, rc, ret = EXIT_DONE;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--ca") == 0 && i + 1 < argc) {
			ca = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error("unknown option '%s' (see 'sohoa import --help')",
			    argv[i]);
			return cli_usage(usage_text);
		} else if (path == NULL) {
			path = argv[i];
		} else {
			return cli_usage(usage_text);
		}
	}
	if (path == NULL)
		return cli_usage(usage_text);
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
		    res.dossier.buf, res.ndocuments, res.npages, res.nfields,
		    res.nblobs, r->signer, r->trusted ? ", trusted" :
		    ", not checked against a CA");
	} else {
		sohoa_buf_addf(&out, "dossier '%s' is already up to date: nothing"
		    " changed", res.dossier.buf);
	}
	ret = cli_print(&out);
out:
	sohoa_import_result_release(&res);
	sohoa_bundle_close(&b);
	sohoa_archive_close(&a);
	sohoa_buf_release(&out);
	return ret;
}
