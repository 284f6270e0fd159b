/*
 * Loading the signer of the commands that sign (export, sign-pdf): the
 * --key/--cert/--pin-stdin options, their help, and the PIN prompt.
 */
#ifndef SOHOA_CLI_SIGNER_H
#define SOHOA_CLI_SIGNER_H

#include "cli.h"

struct sohoa_signer;

/* The help lines of --key, --cert and --pin-stdin, shared. */
#define CLI_HELP_KEY \
	"the signer's private key: a PEM file, or a\n" \
	"token's PKCS#11 URI (pkcs11:token=…;object=…)"
#define CLI_HELP_CERT \
	"its certificate, then its chain (PEM); with\n" \
	"a token, default: the certificate on the token"
#define CLI_HELP_PIN_STDIN \
	"read the token's PIN from the first line of\n" \
	"stdin (default: ask on the terminal)"

/*
 * Load the signer KEY + CERT (CERT may be NULL for a token key), asking
 * a token's PIN on the terminal or, with FROM_STDIN, reading it from
 * stdin.  Returns EXIT_DONE with *psigner set (sohoa_signer_destroy), or
 * prints the reason as one line and returns EXIT_FAILED.
 */
int cli_signer_load(struct cli *cli, const char *key, const char *cert,
    int from_stdin, struct sohoa_signer **psigner);

#endif
