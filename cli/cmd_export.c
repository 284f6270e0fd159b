/*
 * sohoa export: write the signed bundle of one dossier (E-ARK ZIP in the
 * Thông tư 05/2025 layout, or a BagIt tar).
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/json.h"
#include "sohoa/sign.h"
#include "cli.h"
#include "opt.h"
#include "signer.h"

enum {
	OPT_DOSSIER = CLI_OPT_LONG, OPT_KEY, OPT_CERT, OPT_PIN_STDIN,
	OPT_FORMAT, OPT_SIGN_PDFS, OPT_OFFICE, OPT_JSON, OPT_FORCE,
};

static const struct cli_opt options[] = {
	{ "dossier", OPT_DOSSIER, "CODE", "the dossier to export" },
	{ "key", OPT_KEY, "KEY", CLI_HELP_KEY },
	{ "cert", OPT_CERT, "CERT.pem", CLI_HELP_CERT },
	{ "pin-stdin", OPT_PIN_STDIN, NULL, CLI_HELP_PIN_STDIN },
	{ "format", OPT_FORMAT, "F", "eark: ZIP, E-ARK tree, METS.xml.p7s signs\n"
	    "METS.xml (default)\n"
	    "bagit: tar, BagIt 1.0 bag of the same tree,\n"
	    "tagmanifest-sha256.txt.p7s signs the tag manifest" },
	{ "sign-pdfs", OPT_SIGN_PDFS, NULL,
	    "add the office's PAdES signature to each PDF" },
	{ "office", OPT_OFFICE, "NAME", "the office's name shown in that signature" },
	{ "output", 'o', "FILE", "the bundle (default: <mã hồ sơ>.zip or .tar\n"
	    "here); it appears only when complete, never\n"
	    "inside the archive" },
	{ "force", OPT_FORCE, NULL, "replace FILE when it exists" },
	{ "json", OPT_JSON, NULL, "print {\"path\", \"sha256\", \"format\", \"files\",\n"
	    "\"bytes\", \"signer\"}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"--dossier CODE --key KEY [--cert CERT.pem] [--pin-stdin]\n"
	"                    [--format eark|bagit] [--sign-pdfs --office NAME]\n"
	"                    [-o FILE] [--json]",
	"Write one signed bundle of dossier CODE: every document's PDF, the\n"
	"original scans, OCR text, hOCR, page images and fields, with the\n"
	"Thông tư 05/2025 metadata (METS.xml, EAD.xml, EAD_doc, PREMIS.xml) and a\n"
	"CMS signature made with KEY and CERT.pem.  KEY may be held by a USB token\n"
	"or an HSM: give its PKCS#11 URI, and the PIN is asked once.  The\n"
	"dossier's metadata must be complete first ('sohoa dossier check CODE').\n",
	options,
	"Check a bundle with 'sohoa verify FILE' or, for the signature alone:\n"
	"  openssl cms -verify -binary -inform DER -in METS.xml.p7s \\\n"
	"      -content METS.xml -CAfile CERT.pem -out /dev/null\n"
	"\n"
	"Exit status: 0 done, 1 failed, 2 usage, 130 stopped by Ctrl-C (no\n"
	"bundle is left half-written).\n",
};

int cmd_export(int argc, char **argv, struct cli *cli);

int
cmd_export(int argc, char **argv, struct cli *cli)
{
	struct sohoa_export_opts o;
	struct sohoa_export_result res;
	struct sohoa_archive *a = NULL;
	struct sohoa_signer *signer = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct cli_parser p;
	int json = 0, pin_stdin = 0, c, ret = EXIT_DONE;

	memset(&o, 0, sizeof(o));
	o.format = SOHOA_BUNDLE_EARK;
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_DOSSIER:
			o.dossier = p.arg;
			break;
		case OPT_KEY:
			o.key_pem = p.arg;
			break;
		case OPT_CERT:
			o.cert_pem = p.arg;
			break;
		case OPT_PIN_STDIN:
			pin_stdin = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(p.arg, "eark") == 0)
				o.format = SOHOA_BUNDLE_EARK;
			else if (strcmp(p.arg, "bagit") == 0)
				o.format = SOHOA_BUNDLE_BAGIT;
			else
				return cli_usage(cli, "unknown bundle format "
				    "'%s' (eark or bagit)", p.arg);
			break;
		case OPT_SIGN_PDFS:
			o.sign_pdfs = 1;
			break;
		case OPT_OFFICE:
			o.office = p.arg;
			break;
		case 'o':
			o.out_path = p.arg;
			break;
		case OPT_FORCE:
			o.flags |= SOHOA_OUTPUT_FORCE;
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 0, 0, NULL) != 0)
		return EXIT_USAGE;
	if (o.dossier == NULL || o.key_pem == NULL || (o.cert_pem == NULL &&
	    !sohoa_signer_is_token(o.key_pem)))
		return cli_usage(cli, "missing %s", o.dossier == NULL ?
		    "--dossier CODE" : o.key_pem == NULL ? "--key KEY" :
		    "--cert CERT.pem");
	if (o.sign_pdfs && o.office == NULL)
		return cli_usage(cli, "--sign-pdfs needs --office NAME");
	sohoa_export_result_init(&res);
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	/* once, before the work: a token asks for its PIN here */
	ret = cli_signer_load(cli, o.key_pem, o.cert_pem, pin_stdin, &signer);
	if (ret != EXIT_DONE)
		goto out;
	o.signer = signer;
	/*
	 * One step the library does not stop inside: a first Ctrl-C takes
	 * effect when the bundle is complete (main then exits 130); a second
	 * ends the process at once, leaving only OUT.tmp-XXXXXX, which the
	 * next export next to OUT removes.
	 */
	if (sohoa_bundle_export(a, &o, &res) != SOHOA_OK) {
		ret = cli_fail(cli, "cannot export");
		goto out;
	}
	if (json) {
		struct sohoa_json j;

		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "path");
		sohoa_json_str(&j, res.path.buf);
		sohoa_json_key(&j, "sha256");
		sohoa_json_str(&j, res.sha256);
		sohoa_json_key(&j, "format");
		sohoa_json_str(&j, sohoa_bundle_format_name(o.format));
		sohoa_json_key(&j, "files");
		sohoa_json_int(&j, (long long)res.nfiles);
		sohoa_json_key(&j, "bytes");
		sohoa_json_int(&j, (long long)res.bytes);
		sohoa_json_key(&j, "signer");
		sohoa_json_str(&j, res.signer.buf);
		sohoa_json_obj_close(&j);
	} else {
		sohoa_buf_addf(&out, "wrote '%s': %s, %zu files, %llu bytes,"
		    " sha256 %s, signed by %s", cli_esc(res.path.buf),
		    sohoa_bundle_format_name(o.format), res.nfiles,
		    (unsigned long long)res.bytes, res.sha256,
		    cli_esc(res.signer.buf));
	}
	ret = cli_print(&out);
out:
	sohoa_export_result_release(&res);
	sohoa_buf_release(&out);
	sohoa_archive_close(&a);
	sohoa_signer_destroy(&signer);
	return ret;
}
