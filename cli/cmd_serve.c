/*
 * sohoa serve: the archive's web interface (library: sohoa/web.h) until
 * Ctrl-C or SIGTERM.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/users.h"
#include "sohoa/web.h"
#include "cli.h"
#include "opt.h"

enum {
	OPT_LISTEN = CLI_OPT_LONG, OPT_TLS_CERT, OPT_TLS_KEY, OPT_SIGN_CERT,
	OPT_SIGN_KEY, OPT_ALLOW_HOST, OPT_THREADS,
};

static const struct cli_opt options[] = {
	{ "listen", OPT_LISTEN, "ADDR:PORT", "where to listen (default "
	    SOHOA_WEB_LISTEN ",\nthis machine only; 0.0.0.0:8080 for the LAN,\n"
	    "or the machine's LAN address; port 0 takes\na free one)" },
	{ "tls-cert", OPT_TLS_CERT, "FILE", "serve HTTPS with this PEM "
	    "certificate..." },
	{ "tls-key", OPT_TLS_KEY, "FILE", "...and its PEM key" },
	{ "sign-cert", OPT_SIGN_CERT, "FILE", "certificate and key that sign "
	    "the bundles" },
	{ "sign-key", OPT_SIGN_KEY, "FILE", "archivists export (see 'sohoa "
	    "keygen')" },
	{ "allow-host", OPT_ALLOW_HOST, "NAME", "a host name people type to "
	    "reach this\nmachine (the addresses it listens on are\nalways "
	    "allowed; other Host headers are\nrefused); may be repeated" },
	{ "threads", OPT_THREADS, "N", "worker threads (default 4)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--listen ADDR:PORT]\n"
	"                   [--tls-cert FILE --tls-key FILE]\n"
	"                   [--sign-cert FILE --sign-key FILE]\n"
	"                   [--allow-host NAME]... [--threads N] [-q]",
	"Serve the archive to browsers on the office network: search, documents,\n"
	"the review queue, dossiers, status and the audit log, in Vietnamese,\n"
	"for the users of 'sohoa user' (a role each).  A JSON API with the keys\n"
	"of the commands' --json output is under /api/.  One line per request\n"
	"goes to standard error (not with -q).  Ctrl-C or SIGTERM stops it.\n",
	options,
	"Exit status: 0 stopped cleanly, 1 failed, 2 usage.\n",
};

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "sohoa: %s\n", line);
}

static int
count_user(void *arg, const struct sohoa_user *u)
{
	(void)u;
	(*(int *)arg)++;
	return 0;
}

/* Warn when nobody could sign in. */
static void
check_users(struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	int n = 0;

	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK)
		return;
	if (sohoa_user_list(a, count_user, &n) == SOHOA_OK && n == 0)
		cli_error("no users yet: add the first with 'sohoa user add "
		    "NAME --role admin --archive %s'", cli_esc(cli->archive));
	sohoa_archive_close(&a);
}

int cmd_serve(int argc, char **argv, struct cli *cli);

int
cmd_serve(int argc, char **argv, struct cli *cli)
{
	struct sohoa_web_opts o;
	struct sohoa_web *web = NULL;
	struct cli_parser p;
	const char **hosts;
	size_t nhosts = 0;
	sigset_t set;
	int c, sig, ret;

	memset(&o, 0, sizeof(o));
	hosts = calloc((size_t)argc + 1, sizeof(*hosts));
	if (hosts == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_LISTEN:
			o.listen = p.arg;
			break;
		case OPT_TLS_CERT:
			o.tls_cert = p.arg;
			break;
		case OPT_TLS_KEY:
			o.tls_key = p.arg;
			break;
		case OPT_SIGN_CERT:
			o.sign_cert = p.arg;
			break;
		case OPT_SIGN_KEY:
			o.sign_key = p.arg;
			break;
		case OPT_ALLOW_HOST:
			hosts[nhosts++] = p.arg;
			break;
		case OPT_THREADS:
			if (cli_opt_int(&p, 1, 64, &o.threads) != 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		default:
			ret = p.status;
			goto out;
		}
	}
	if (cli_operands(&p, 0, 0, NULL) != 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	o.archive = cli->archive;
	o.allow_hosts = hosts;
	if (cli->verbosity >= 0)
		o.log = log_line;
	/*
	 * The stop signals are taken by sigwait() below: blocked before the
	 * server's threads start, so that they inherit the mask and none of
	 * them is interrupted instead.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (sohoa_web_start(cli->ctx, &o, &web) != SOHOA_OK) {
		ret = cli_fail(cli, "cannot serve");
		goto out;
	}
	check_users(cli);
	fprintf(stderr, "sohoa: serving '%s' at %s (Ctrl-C stops)\n",
	    cli_esc(cli->archive), sohoa_web_url(web));
	fflush(stderr);
	do {
		if (sigwait(&set, &sig) != 0)
			break;
	} while (sig != SIGINT && sig != SIGTERM);
	cli_info(cli, "stopping");
	sohoa_web_stop(&web);
	/* a stop asked for is how a server ends: not an interruption */
	ret = EXIT_DONE;
out:
	free(hosts);
	return ret;
}
