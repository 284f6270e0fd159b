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
#include "cli.h"

static const char usage_text[] =
"usage: sohoa export --dossier CODE --key KEY.pem --cert CERT.pem\n"
"                    [--format eark|bagit] [--sign-pdfs --office NAME]\n"
"                    [-o FILE] [--json]\n"
"\n"
"Write one signed bundle of dossier CODE: every document's PDF, the\n"
"original scans, OCR text, hOCR, page images and fields, with the\n"
"Thông tư 05/2025 metadata (METS.xml, EAD.xml, EAD_doc, PREMIS.xml) and a\n"
"CMS signature made with KEY.pem and CERT.pem.  The dossier's metadata\n"
"must be complete first ('sohoa dossier check CODE').\n"
"\n"
"  --format eark   ZIP, E-ARK tree, METS.xml.p7s signs METS.xml (default)\n"
"  --format bagit  tar, BagIt 1.0 bag of the same tree,\n"
"                  tagmanifest-sha256.txt.p7s signs the tag manifest\n"
"  --sign-pdfs     add the office's PAdES signature to each PDF\n"
"  --office NAME   the office's name shown in that signature\n"
"  -o FILE         the bundle (default: <mã hồ sơ>.zip or .tar here); it\n"
"                  appears only when complete\n"
"  --json          print {\"path\", \"sha256\", \"format\", \"files\",\n"
"                  \"bytes\", \"signer\"}\n"
"\n"
"Check a bundle with 'sohoa verify FILE' or, for the signature alone:\n"
"  openssl cms -verify -binary -inform DER -in METS.xml.p7s \\\n"
"      -content METS.xml -CAfile CERT.pem -out /dev/null\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage.\n";

int cmd_export(int argc, char **argv, struct cli *cli);

int
cmd_export(int argc, char **argv, struct cli *cli)
{
	struct sohoa_export_opts o;
	struct sohoa_export_result res;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int json = 0, i, ret = EXIT_DONE;

	memset(&o, 0, sizeof(o));
	o.format = SOHOA_BUNDLE_EARK;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--dossier") == 0 && i + 1 < argc) {
			o.dossier = argv[++i];
		} else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
			o.key_pem = argv[++i];
		} else if (strcmp(argv[i], "--cert") == 0 && i + 1 < argc) {
			o.cert_pem = argv[++i];
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "eark") == 0) {
				o.format = SOHOA_BUNDLE_EARK;
			} else if (strcmp(argv[i], "bagit") == 0) {
				o.format = SOHOA_BUNDLE_BAGIT;
			} else {
				cli_error("unknown bundle format '%s' (eark or"
				    " bagit)", argv[i]);
				return EXIT_USAGE;
			}
		} else if (strcmp(argv[i], "--sign-pdfs") == 0) {
			o.sign_pdfs = 1;
		} else if (strcmp(argv[i], "--office") == 0 && i + 1 < argc) {
			o.office = argv[++i];
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			o.out_path = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else {
			cli_error("unknown option '%s' (see 'sohoa export --help')",
			    argv[i]);
			return cli_usage(usage_text);
		}
	}
	if (o.dossier == NULL || o.key_pem == NULL || o.cert_pem == NULL) {
		cli_error("export needs --dossier, --key and --cert");
		return cli_usage(usage_text);
	}
	if (o.sign_pdfs && o.office == NULL) {
		cli_error("--sign-pdfs needs --office NAME");
		return EXIT_USAGE;
	}
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	sohoa_export_result_init(&res);
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
		    " sha256 %s, signed by %s", res.path.buf,
		    sohoa_bundle_format_name(o.format), res.nfiles,
		    (unsigned long long)res.bytes, res.sha256, res.signer.buf);
	}
	ret = cli_print(&out);
out:
	sohoa_export_result_release(&res);
	sohoa_buf_release(&out);
	sohoa_archive_close(&a);
	return ret;
}
