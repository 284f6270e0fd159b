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
#include "opt.h"

enum { OPT_CA = CLI_OPT_LONG, OPT_UNTRUSTED, OPT_JSON };

static const struct cli_opt options[] = {
	{ "ca", OPT_CA, "CA.pem", "also trust signers whose certificate\n"
	    "chains to CA.pem" },
	{ "untrusted", OPT_UNTRUSTED, NULL, "import even though the signer is not\n"
	    "trusted here (its name and fingerprint are printed)" },
	{ "json", OPT_JSON, NULL, "print {\"dossier\", \"documents\", \"added\",\n"
	    "\"updated\", \"unchanged\", \"skipped\", \"fields_taken\",\n"
	    "\"pages\", \"fields\", \"blobs\", \"changed\", \"signer\",\n"
	    "\"fingerprint\", \"trusted\", \"conflicts\": [{\"document\",\n"
	    "\"key\", \"local\", \"bundle\", \"why\"}]}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--ca CA.pem] [--untrusted] [--json] FILE",
	"Verify the bundle FILE as 'sohoa verify' does, check that its signer is\n"
	"trusted by this archive ('sohoa trust'), then merge its dossier into the\n"
	"archive (created when missing), all in one transaction.  Documents the\n"
	"archive lacks are added; for documents it has, a value is taken from\n"
	"the bundle only when a person set it there later than here.  The\n"
	"archive's other values stay, nothing is deleted or moved to another\n"
	"dossier, and every difference is listed as a conflict.  Every value\n"
	"taken is in the history ('sohoa history') with the bundle as source.\n"
	"Importing the same bundle again changes nothing.\n",
	options,
	"Exit status: 0 done, 3 the bundle is not valid, 1 failed or the signer\n"
	"is not trusted (nothing was written in either case), 2 usage, 130\n"
	"stopped by Ctrl-C (nothing was written unless the import had\n"
	"finished).\n",
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
	struct sohoa_import_opts opts;
	struct cli_parser p;
	size_t k;
	int json = 0, c, rc, ret = EXIT_DONE;

	memset(&opts, 0, sizeof(opts));
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_CA:
			ca = p.arg;
			break;
		case OPT_UNTRUSTED:
			opts.flags |= SOHOA_IMPORT_UNTRUSTED;
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
	/*
	 * Into an archive that exists, the bundle is extracted under its
	 * store (never in $TMPDIR); a new one is made only once the bundle
	 * checked out, so a bad bundle leaves nothing behind.
	 */
	rc = sohoa_archive_open(cli->ctx, cli->archive, 0, &a);
	if (rc == SOHOA_OK)
		rc = sohoa_bundle_open_import(a, path, ca, NULL, &b);
	else if (rc == SOHOA_ERR_NOTFOUND)
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
	if (a == NULL && sohoa_archive_open(cli->ctx, cli->archive,
	    SOHOA_ARCHIVE_CREATE, &a) != SOHOA_OK) {
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
			const struct sohoa_import_conflict *cf = &res.conflicts[k];

			sohoa_json_obj_open(&j);
			sohoa_json_key(&j, "document");
			if (cf->doc_id)
				sohoa_json_int(&j, (long long)cf->doc_id);
			else
				sohoa_json_null(&j);
			sohoa_json_key(&j, "key");
			sohoa_json_str(&j, cf->key);
			sohoa_json_key(&j, "local");
			sohoa_json_str(&j, cf->local);
			sohoa_json_key(&j, "bundle");
			sohoa_json_str(&j, cf->bundle);
			sohoa_json_key(&j, "why");
			sohoa_json_str(&j, cf->why);
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
			    " %zu new blobs", cli_esc(res.dossier.buf),
			    cli_esc(r->signer), res.trusted ? ", trusted" :
			    ", NOT trusted", res.added, res.updated,
			    res.fields_taken, res.unchanged, res.skipped,
			    res.nblobs);
		else
			sohoa_buf_addf(&out, "dossier '%s' is already up to"
			    " date: nothing changed", cli_esc(res.dossier.buf));
		for (k = 0; k < res.nconflicts; k++) {
			const struct sohoa_import_conflict *cf = &res.conflicts[k];

			sohoa_buf_adds(&out, "\nconflict: ");
			if (cf->doc_id)
				sohoa_buf_addf(&out, "document %lld ",
				    (long long)cf->doc_id);
			if (cf->key)
				sohoa_buf_addf(&out, "%s ", cli_esc(cf->key));
			sohoa_buf_addf(&out, "kept '%s', bundle has '%s': %s",
			    cli_esc(cf->local), cli_esc(cf->bundle),
			    cli_esc(cf->why));
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
