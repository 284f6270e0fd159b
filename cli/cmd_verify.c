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
#include "opt.h"

enum { OPT_CA = CLI_OPT_LONG, OPT_JSON };

static const struct cli_opt options[] = {
	{ "ca", OPT_CA, "CA.pem", "also require the signer's certificate to\n"
	    "chain to a certificate in CA.pem; without it the\n"
	    "signer is reported but not trusted (the bundle can\n"
	    "still be valid)" },
	{ "json", OPT_JSON, NULL, "print one JSON object with the result" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--ca CA.pem] [--json] FILE",
	"Check the bundle FILE made by 'sohoa export': every entry is safe (no\n"
	"links, '..' or absolute paths, devices, duplicates, oversized members),\n"
	"every member is listed in METS.xml (eark) or the BagIt manifests with the\n"
	"right size and SHA-256, and the CMS signature over METS.xml or the tag\n"
	"manifest is good.\n",
	options,
	"Exit status: 0 valid, 3 not valid (the reason names the member), 1 the\n"
	"file could not be checked, 2 usage.\n",
};

static void
summary(const char *path, const struct sohoa_bundle_report *r,
    const char *ca, struct sohoa_buf *out)
{
	/* the signer's names come from a certificate in the bundle */
	sohoa_buf_addf(out, "bundle '%s' is valid: %zu files, %s, signed by %s",
	    cli_esc(path), r->nfiles, sohoa_bundle_format_name(r->format),
	    cli_esc(r->signer));
	if (*r->signed_at)
		sohoa_buf_addf(out, " on %s", cli_esc(r->signed_at));
	if (ca != NULL)
		sohoa_buf_addf(out, " (trusted: chains to '%s')", cli_esc(ca));
	else if (r->self_signed)
		sohoa_buf_adds(out, " (self-signed; signer not checked against"
		    " a CA: pass --ca)");
	else
		sohoa_buf_addf(out, " (issued by %s; signer not checked against"
		    " a CA: pass --ca)", cli_esc(r->issuer));
}

int cmd_verify(int argc, char **argv, struct cli *cli);

int
cmd_verify(int argc, char **argv, struct cli *cli)
{
	const char *ca = NULL, *path;
	struct sohoa_bundle *b = NULL;
	const struct sohoa_bundle_report *r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct cli_parser p;
	int json = 0, c, rc, ret;

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
