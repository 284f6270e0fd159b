/*
 * sohoa keygen: make a demo signing key and self-signed certificate for
 * bundles (and PDF signatures).  Real offices use the key and certificate
 * their CA issued instead.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "sohoa/json.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa keygen [-o DIR] [--cn NAME] [--org NAME] [--ec] [--force]\n"
"                    [--json]\n"
"\n"
"Make a demo signing key DIR/key.pem (mode 0600) and a self-signed X.509\n"
"certificate DIR/cert.pem (10 years, keyUsage digitalSignature and\n"
"nonRepudiation, CA:FALSE) for 'sohoa export'.  Offices use the key and\n"
"certificate their CA issued instead.\n"
"\n"
"  -o DIR      where to write them (default: the current directory)\n"
"  --cn NAME   the signer's common name (default: \"sohoa demo signer\")\n"
"  --org NAME  the organisation, e.g. \"UBND xã Tân Lập\"\n"
"  --ec        ECDSA P-256 instead of RSA-3072\n"
"  --force     replace existing key.pem and cert.pem\n"
"  --json      print {\"key\", \"cert\", \"subject\"}\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage.\n";

int cmd_keygen(int argc, char **argv, struct cli *cli);

int
cmd_keygen(int argc, char **argv, struct cli *cli)
{
	const char *dir = ".", *cn = "sohoa demo signer", *org = NULL;
	struct sohoa_buf subject = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	struct sohoa_buf key = SOHOA_BUF_INIT, cert = SOHOA_BUF_INIT;
	unsigned flags = 0;
	int json = 0, i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--cn") == 0 && i + 1 < argc) {
			cn = argv[++i];
		} else if (strcmp(argv[i], "--org") == 0 && i + 1 < argc) {
			org = argv[++i];
		} else if (strcmp(argv[i], "--ec") == 0) {
			flags |= SOHOA_KEYGEN_EC;
		} else if (strcmp(argv[i], "--force") == 0) {
			flags |= SOHOA_KEYGEN_FORCE;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else {
			cli_error("unknown option '%s' (see 'sohoa keygen --help')",
			    argv[i]);
			return cli_usage(usage_text);
		}
	}
	if (sohoa_bundle_keygen(cli->ctx, dir, cn, org, flags, &subject) !=
	    SOHOA_OK)
		return cli_fail(cli, "cannot make a key");
	sohoa_buf_addf(&key, "%s/key.pem", dir);
	sohoa_buf_addf(&cert, "%s/cert.pem", dir);
	if (json) {
		struct sohoa_json j;

		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "key");
		sohoa_json_str(&j, key.buf);
		sohoa_json_key(&j, "cert");
		sohoa_json_str(&j, cert.buf);
		sohoa_json_key(&j, "subject");
		sohoa_json_str(&j, subject.buf);
		sohoa_json_obj_close(&j);
	} else {
		sohoa_buf_addf(&out, "wrote '%s' and '%s' for %s", key.buf,
		    cert.buf, subject.buf);
	}
	rc = cli_print(&out);
	sohoa_buf_release(&subject);
	sohoa_buf_release(&out);
	sohoa_buf_release(&key);
	sohoa_buf_release(&cert);
	return rc;
}
