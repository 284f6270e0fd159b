/*
 * The signing key of 'sohoa export' and 'sohoa sign-pdf': a PEM file or a
 * token's PKCS#11 URI, and where a token's PIN comes from.  The PIN is
 * asked on the terminal (/dev/tty, without echo, through OpenSSL's
 * prompt, which puts the terminal back even on Ctrl-C) or, with
 * --pin-stdin, read from the first line of stdin.  It is never an
 * argument (the list of processes would show it) and never printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "cli.h"
#include "signer.h"

struct pin_state {
	int no_tty;		/* a PIN was needed, and no terminal */
};

static int
pin_stdin(void *arg, const char *token, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;
	char c;

	(void)arg;
	(void)token;
	for (;;) {
		r = read(STDIN_FILENO, &c, 1);
		if (r < 0 && errno == EINTR && !cli_interrupted)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

static int
pin_tty(void *arg, const char *token, char *buf, size_t size)
{
	struct pin_state *st = arg;
	struct sohoa_buf prompt = SOHOA_BUF_INIT;
	int fd, r;

	/* OpenSSL's prompt would read stdin when there is no terminal */
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		st->no_tty = 1;
		return -1;
	}
	close(fd);
	if (token != NULL)
		sohoa_buf_addf(&prompt, "PIN for token '%s': ", cli_esc(token));
	else
		sohoa_buf_adds(&prompt, "PIN for the token: ");
	r = EVP_read_pw_string_min(buf, 0, (int)size - 1, prompt.buf, 0);
	sohoa_buf_release(&prompt);
	if (r == -2)
		raise(SIGINT);	/* the prompt caught Ctrl-C: pass it on */
	if (r != 0) {
		OPENSSL_cleanse(buf, size);
		return -1;
	}
	return 0;
}

int
cli_signer_load(struct cli *cli, const char *key, const char *cert,
    int from_stdin, struct sohoa_signer **psigner)
{
	struct pin_state st = { 0 };
	struct sohoa_signer_opts opts;
	const char *errmsg;

	memset(&opts, 0, sizeof(opts));
	opts.pin = from_stdin ? pin_stdin : pin_tty;
	opts.pin_arg = &st;
	if (sohoa_signer_load(cli->ctx, key, cert, &opts, psigner) ==
	    SOHOA_OK)
		return EXIT_DONE;
	errmsg = sohoa_errmsg(cli->ctx);
	if (st.no_tty)
		cli_error("%s: no terminal to ask for it (pass --pin-stdin and"
		    " give it on stdin)", errmsg);
	else
		cli_error("%s", errmsg);
	return EXIT_FAILED;
}
