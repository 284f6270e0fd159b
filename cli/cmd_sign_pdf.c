/*
 * sohoa sign-pdf: add the office's PAdES signature to a PDF (incremental
 * update; the visible block at the top right of page 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/pdf.h"
#include "sohoa/sign.h"
#include "cli.h"
#include "opt.h"
#include "signer.h"

enum { OPT_KEY = CLI_OPT_LONG, OPT_CERT, OPT_PIN_STDIN, OPT_OFFICE };

static const struct cli_opt options[] = {
	{ "key", OPT_KEY, "KEY", CLI_HELP_KEY },
	{ "cert", OPT_CERT, "CERT.pem", CLI_HELP_CERT },
	{ "pin-stdin", OPT_PIN_STDIN, NULL, CLI_HELP_PIN_STDIN },
	{ "office", OPT_OFFICE, "NAME", "office name shown in the signature, e.g.\n"
	    "'UBND xã Tân Lập'" },
	{ "output", 'o', "OUT.pdf", "write here (default: replace IN.pdf)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"--key KEY [--cert CERT.pem] [--pin-stdin] --office NAME\n"
	"                      [-o OUT.pdf] IN.pdf",
	"Sign IN.pdf with the office's key (a PEM file, or held by a USB token or an\n"
	"HSM: its PKCS#11 URI): a PAdES baseline B-B signature (ETSI.CAdES.detached,\n"
	"CMS with SHA-256) appended as an incremental update, so a PDF/A file stays\n"
	"PDF/A.  Page 1 shows NAME and the signing time (ISO 8601, +07:00) at its top\n"
	"right in Times New Roman metrics (Liberation Serif), 10 pt, black.\n",
	options,
	"Check the result with 'pdfsig OUT.pdf'.\n"
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

int cmd_sign_pdf(int argc, char **argv, struct cli *cli);

int
cmd_sign_pdf(int argc, char **argv, struct cli *cli)
{
	const char *key = NULL, *cert = NULL, *office = NULL, *out = NULL,
	    *in;
	struct cli_parser p;
	struct sohoa_signer *signer = NULL;
	struct sohoa_buf name = SOHOA_BUF_INIT;
	char when[26];
	time_t now;
	int c, rc, pin_stdin = 0;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_KEY:
			key = p.arg;
			break;
		case OPT_CERT:
			cert = p.arg;
			break;
		case OPT_PIN_STDIN:
			pin_stdin = 1;
			break;
		case OPT_OFFICE:
			office = p.arg;
			break;
		case 'o':
			out = p.arg;
			break;
		default:
			return p.status;
		}
	}
	if (key == NULL || (cert == NULL && !sohoa_signer_is_token(key)) ||
	    office == NULL)
		return cli_usage(cli, "missing %s", key == NULL ? "--key KEY" :
		    office == NULL ? "--office NAME" : "--cert CERT.pem");
	if (cli_operands(&p, 1, 1, "IN.pdf") != 0)
		return EXIT_USAGE;
	in = p.argv[0];
	if (out == NULL)
		out = in;
	/* text from the command line is normalised to NFC at the edge */
	if (sohoa_utf8_nfc(office, strlen(office), &name) != SOHOA_OK) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	rc = cli_signer_load(cli, key, cert, pin_stdin, &signer);
	if (rc != EXIT_DONE)
		goto out;
	now = time(NULL);
	if (sohoa_pdf_sign(cli->ctx, signer, in, out, name.buf, now) !=
	    SOHOA_OK) {
		rc = cli_fail(cli, "cannot sign");
		goto out;
	}
	sohoa_pdf_format_time(now, when);
	cli_info(cli, "signed '%s' as '%s' at %s", out, name.buf, when);
out:
	sohoa_signer_destroy(&signer);
	sohoa_buf_release(&name);
	return rc;
}
