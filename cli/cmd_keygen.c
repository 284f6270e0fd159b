/*
 * sohoa keygen: make a demo signing key and self-signed certificate for
 * bundles (and PDF signatures).  Real offices use the key and certificate
 * their CA issued instead.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_CN = CLI_OPT_LONG, OPT_ORG, OPT_EC, OPT_FORCE, OPT_JSON };

static const struct cli_opt options[] = {
	{ "output", 'o', "DIR", "where to write them (default: the current\n"
	    "directory)" },
	{ "cn", OPT_CN, "NAME", "the signer's common name (default: \"sohoa\n"
	    "demo signer\")" },
	{ "org", OPT_ORG, "NAME", "the organisation, e.g. \"UBND xã Tân Lập\"" },
	{ "ec", OPT_EC, NULL, "ECDSA P-256 instead of RSA-3072" },
	{ "force", OPT_FORCE, NULL, "replace existing key.pem and cert.pem" },
	{ "json", OPT_JSON, NULL, "print {\"key\", \"cert\", \"subject\"}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[-o DIR] [--cn NAME] [--org NAME] [--ec] [--force]\n"
	"                    [--json]",
	"Make a demo signing key DIR/key.pem (mode 0600) and a self-signed X.509\n"
	"certificate DIR/cert.pem (10 years, keyUsage digitalSignature and\n"
	"nonRepudiation, CA:FALSE) for 'sohoa export'.  Offices use the key and\n"
	"certificate their CA issued instead.\n",
	options,
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

int cmd_keygen(int argc, char **argv, struct cli *cli);

int
cmd_keygen(int argc, char **argv, struct cli *cli)
{
	const char *dir = ".", *cn = "sohoa demo signer", *org = NULL;
	struct sohoa_buf subject = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	struct sohoa_buf key = SOHOA_BUF_INIT, cert = SOHOA_BUF_INIT;
	unsigned flags = 0;
	struct cli_parser p;
	int json = 0, c, rc;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case 'o':
			dir = p.arg;
			break;
		case OPT_CN:
			cn = p.arg;
			break;
		case OPT_ORG:
			org = p.arg;
			break;
		case OPT_EC:
			flags |= SOHOA_KEYGEN_EC;
			break;
		case OPT_FORCE:
			flags |= SOHOA_KEYGEN_FORCE;
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
	if (sohoa_signer_keygen(cli->ctx, dir, cn, org, flags, &subject) !=
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
		sohoa_buf_addf(&out, "wrote '%s' and '%s' for %s",
		    cli_esc(key.buf), cli_esc(cert.buf), cli_esc(subject.buf));
	}
	rc = cli_print(&out);
	sohoa_buf_release(&subject);
	sohoa_buf_release(&out);
	sohoa_buf_release(&key);
	sohoa_buf_release(&cert);
	return rc;
}
