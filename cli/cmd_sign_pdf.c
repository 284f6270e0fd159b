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
#include "cli.h"

static const char usage[] =
"usage: sohoa sign-pdf --key KEY.pem --cert CERT.pem --office NAME\n"
"                      [-o OUT.pdf] IN.pdf\n"
"\n"
"Sign IN.pdf with the office's key: a PAdES signature (ETSI.CAdES.detached,\n"
"CMS with SHA-256) appended as an incremental update, so a PDF/A file stays\n"
"PDF/A.  Page 1 shows NAME and the signing time (ISO 8601, +07:00) at its top\n"
"right in Times New Roman metrics (Liberation Serif), 10 pt, black.\n"
"\n"
"  --key KEY.pem     private key (PEM, unencrypted)\n"
"  --cert CERT.pem   signer's certificate, then its chain (PEM)\n"
"  --office NAME     office name shown in the signature, e.g. 'UBND xã Tân "
    "Lập'\n"
"  -o OUT.pdf        write here (default: replace IN.pdf)\n"
"\n"
"Check the result with 'pdfsig OUT.pdf'.\n";

int cmd_sign_pdf(int argc, char **argv, struct cli *cli);

int
cmd_sign_pdf(int argc, char **argv, struct cli *cli)
{
	const char *key = NULL, *cert = NULL, *office = NULL, *out = NULL,
	    *in = NULL;
	struct sohoa_pdf_signer *signer = NULL;
	struct sohoa_buf name = SOHOA_BUF_INIT;
	char when[26];
	time_t now;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i],
		    "-h") == 0) {
			fputs(usage, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
			key = argv[++i];
		} else if (strcmp(argv[i], "--cert") == 0 && i + 1 < argc) {
			cert = argv[++i];
		} else if (strcmp(argv[i], "--office") == 0 && i + 1 < argc) {
			office = argv[++i];
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error("unknown option '%s'", argv[i]);
			return cli_usage(usage);
		} else if (in == NULL) {
			in = argv[i];
		} else {
			cli_error("only one PDF at a time ('%s')", argv[i]);
			return cli_usage(usage);
		}
	}
	if (key == NULL || cert == NULL || office == NULL || in == NULL) {
		cli_error("sign-pdf needs --key, --cert, --office and a PDF");
		return cli_usage(usage);
	}
	if (out == NULL)
		out = in;
	/* text from the command line is normalised to NFC at the edge */
	if (sohoa_utf8_nfc(office, strlen(office), &name) != SOHOA_OK) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	rc = sohoa_pdf_signer_load(cli->ctx, key, cert, &signer);
	if (rc == SOHOA_OK) {
		now = time(NULL);
		rc = sohoa_pdf_sign(cli->ctx, signer, in, out, name.buf, now);
		if (rc == SOHOA_OK) {
			sohoa_pdf_format_time(now, when);
			fprintf(stderr, "signed '%s' as '%s' at %s\n", out,
			    name.buf,
			    when);
		}
	}
	sohoa_pdf_signer_destroy(&signer);
	sohoa_buf_release(&name);
	if (rc != SOHOA_OK)
		return cli_fail(cli, "cannot sign");
	return EXIT_DONE;
}
