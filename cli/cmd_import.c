/*
 * sohoa import: verify a bundle, check its signer is trusted here, then
 * merge its dossier into the archive (one transaction; the archive's
 * newer values are kept and the differences listed; importing it again
 * changes nothing).
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa import [--ca CA.pem] [--untrusted] [--json] FILE\n"
"\n"
"Verify the bundle FILE as 'sohoa verify' does, check that its signer is\n"
"trusted by this archive ('sohoa trust'), then merge its dossier into the\n"
"archive (created when missing), all in one transaction.  Documents the\n"
"archive lacks are added; for documents it has, a value is taken from\n"
"the bundle only when a person set it there later than here.  The\n"
"archive's other values stay, nothing is deleted or moved to another\n"
"dossier, and every difference is listed as a conflict.  Every value\n"
"taken is in the history ('sohoa history') with the bundle as source.\n"
"Importing the same bundle again changes nothing.\n"
"\n"
"  --ca CA.pem  also trust signers whose certificate chains to CA.pem\n"
"  --untrusted  import even though the signer is not trusted here (the\n"
"               signer and its certificate's fingerprint are printed)\n"
"  --json       print {\"dossier\", \"documents\", \"added\", \"updated\",\n"
"               \"unchanged\", \"skipped\", \"fields_taken\", \"pages\",\n"
"               \"fields\", \"blobs\", \"changed\", \"signer\",\n"
"               \"fingerprint\", \"trusted\", \"conflicts\": [{\"document\",\n"
"               \"key\", \"local\", \"bundle\", \"why\"}]}\n"
"\n"
"Exit status: 0 done, 3 the bundle is not valid, 1 failed or the signer\n"
"is not trusted (nothing was written in either case), 2 usage.\n";

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
	struct sohoa_import_opts opts;
	size_t k;
	int json = 0, i, rc, ret = EXIT_DONE;

	memset(&opts, 0, sizeof(opts));

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--ca") == 0 && i + 1 < argc) {
			ca = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--untrusted") == 0) {
			opts.flags |= SOHOA_IMPORT_UNTRUSTED;
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
	    &a) != SOHOA_OK) {
		ret = cli_fail(cli, "cannot import");
		goto out;
	}
	sohoa_archive_set_actor(a, cli_who(), "cli");
	rc = sohoa_bundle_import(a, b, &opts, &res);
	if (rc != SOHOA_OK) {
		ret = cli_fail(cli, rc == SOHOA_ERR_UNTRUSTED ? NULL :
		    "cannot import");
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
		sohoa_json_key(&j, "added");
		sohoa_json_int(&j, (long long)res.added);
		sohoa_json_key(&j, "updated");
		sohoa_json_int(&j, (long long)res.updated);
		sohoa_json_key(&j, "unchanged");
		sohoa_json_int(&j, (long long)res.unchanged);
		sohoa_json_key(&j, "skipped");
		sohoa_json_int(&j, (long long)res.skipped);
		sohoa_json_key(&j, "fields_taken");
		sohoa_json_int(&j, (long long)res.fields_taken);
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
		sohoa_json_key(&j, "fingerprint");
		sohoa_json_str(&j, r->fingerprint);
		sohoa_json_key(&j, "trusted");
		sohoa_json_bool(&j, res.trusted);
		sohoa_json_key(&j, "conflicts");
		sohoa_json_arr_open(&j);
		for (k = 0; k < res.nconflicts; k++) {
			const struct sohoa_import_conflict *c = &res.conflicts[k];

			sohoa_json_obj_open(&j);
			sohoa_json_key(&j, "document");
			if (c->doc_id)
				sohoa_json_int(&j, (long long)c->doc_id);
			else
				sohoa_json_null(&j);
			sohoa_json_key(&j, "key");
			sohoa_json_str(&j, c->key);
			sohoa_json_key(&j, "local");
			sohoa_json_str(&j, c->local);
			sohoa_json_key(&j, "bundle");
			sohoa_json_str(&j, c->bundle);
			sohoa_json_key(&j, "why");
			sohoa_json_str(&j, c->why);
			sohoa_json_obj_close(&j);
		}
		sohoa_json_arr_close(&j);
		sohoa_json_obj_close(&j);
	} else {
		if (!res.trusted)
			cli_error("warning: %s; imported because of --untrusted",
			    res.untrusted.buf);
		if (res.changed)
			sohoa_buf_addf(&out, "imported dossier '%s' (signed by"
			    " %s%s): %zu documents added, %zu updated (%zu"
			    " values taken), %zu unchanged, %zu not taken;"
			    " %zu new blobs", res.dossier.buf, r->signer,
			    res.trusted ? ", trusted" : ", NOT trusted",
			    res.added, res.updated, res.fields_taken,
			    res.unchanged, res.skipped, res.nblobs);
		else
			sohoa_buf_addf(&out, "dossier '%s' is already up to"
			    " date: nothing changed", res.dossier.buf);
		for (k = 0; k < res.nconflicts; k++) {
			const struct sohoa_import_conflict *c = &res.conflicts[k];

			sohoa_buf_addf(&out, "\nconflict: ");
			if (c->doc_id)
				sohoa_buf_addf(&out, "document %lld ",
				    (long long)c->doc_id);
			if (c->key)
				sohoa_buf_addf(&out, "%s ", c->key);
			sohoa_buf_addf(&out, "kept '%s', bundle has '%s': %s",
			    c->local ? c->local : "",
			    c->bundle ? c->bundle : "", c->why);
		}
	}
	ret = cli_print(&out);
out:
	sohoa_import_result_release(&res);
	sohoa_bundle_close(&b);
	sohoa_archive_close(&a);
	sohoa_buf_release(&out);
	return ret;
}
