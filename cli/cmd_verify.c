/*
 * sohoa verify: check a bundle's entries, checksums, signature and signer
 * without an archive.  Exit 0 valid, 3 not valid, 1 could not check.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/json.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa verify [--ca CA.pem] [--json] FILE\n"
"\n"
"Check the bundle FILE made by 'sohoa export': every entry is safe (no\n"
"links, '..' or absolute paths, devices, duplicates, oversized members),\n"
"every member is listed in METS.xml (eark) or the BagIt manifests with the\n"
"right size and SHA-256, and the CMS signature over METS.xml or the tag\n"
"manifest is good.\n"
"\n"
"  --ca CA.pem  also require the signer's certificate to chain to a\n"
"               certificate in CA.pem; without it the signer is reported\n"
"               but not trusted (the bundle can still be valid)\n"
"  --json       print one JSON object with the result\n"
"\n"
"Exit status: 0 valid, 3 not valid (the reason names the member), 1 the\n"
"file could not be checked, 2 usage.\n";

static void
summary(const char *path, const struct sohoa_bundle_report *r,
    const char *ca, struct sohoa_buf *out)
{
	sohoa_buf_addf(out, "bundle '%s' is valid: %zu files, %s, signed by %s",
	    path, r->nfiles, sohoa_bundle_format_name(r->format), r->signer);
	if (*r->signed_at)
		sohoa_buf_addf(out, " on %s", r->signed_at);
	if (ca != NULL)
		sohoa_buf_addf(out, " (trusted: chains to '%s')", ca);
	else if (r->self_signed)
		sohoa_buf_adds(out, " (self-signed; signer not checked against"
		    " a CA: pass --ca)");
	else
		sohoa_buf_addf(out, " (issued by %s; signer not checked against"
		    " a CA: pass --ca)", r->issuer);
}

int cmd_verify(int argc, char **argv, struct cli *cli);

int
cmd_verify(int argc, char **argv, struct cli *cli)
{
	const char *ca = NULL, *path = NULL;
	struct sohoa_bundle *b = NULL;
	const struct sohoa_bundle_report *r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	int json = 0, i, rc, ret;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--ca") == 0 && i + 1 < argc) {
			ca = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error("unknown option '%s' (see 'sohoa verify --help')",
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
	rc = sohoa_bundle_open(cli->ctx, path, ca, NULL, &b);
	if (b == NULL)
		return cli_fail(cli, NULL);
	r = sohoa_bundle_report(b);
	if (json) {
		struct sohoa_json j;

		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "bundle");
		sohoa_json_str(&j, path);
		sohoa_json_key(&j, "valid");
		sohoa_json_bool(&j, r->valid);
		sohoa_json_key(&j, "format");
		sohoa_json_str(&j, sohoa_bundle_format_name(r->format));
		sohoa_json_key(&j, "files");
		sohoa_json_int(&j, (long long)r->nfiles);
		sohoa_json_key(&j, "bytes");
		sohoa_json_int(&j, (long long)r->bytes);
		sohoa_json_key(&j, "signer");
		sohoa_json_str(&j, *r->signer ? r->signer : NULL);
		sohoa_json_key(&j, "issuer");
		sohoa_json_str(&j, *r->issuer ? r->issuer : NULL);
		sohoa_json_key(&j, "signed_at");
		sohoa_json_str(&j, *r->signed_at ? r->signed_at : NULL);
		sohoa_json_key(&j, "self_signed");
		sohoa_json_bool(&j, r->self_signed);
		sohoa_json_key(&j, "trusted");
		sohoa_json_bool(&j, r->trusted);
		sohoa_json_key(&j, "reason");
		sohoa_json_str(&j, r->valid ? NULL : r->reason);
		sohoa_json_key(&j, "member");
		sohoa_json_str(&j, *r->member ? r->member : NULL);
		sohoa_json_obj_close(&j);
		ret = cli_print(&out);
	} else if (rc == SOHOA_OK) {
		summary(path, r, ca, &out);
		ret = cli_print(&out);
	} else {
		cli_error("%s", sohoa_errmsg(cli->ctx));
		ret = EXIT_INVALID;
	}
	if (rc != SOHOA_OK && ret == EXIT_DONE)
		ret = EXIT_INVALID;
	sohoa_bundle_close(&b);
	sohoa_buf_release(&out);
	return ret;
}
