/*
 * sohoa serve: the archive's web interface (library: sohoa/web.h) until
 * Ctrl-C or SIGTERM.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/users.h"
#include "sohoa/web.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa serve [--archive DIR] [--listen ADDR:PORT]\n"
"                   [--tls-cert FILE --tls-key FILE]\n"
"                   [--sign-cert FILE --sign-key FILE]\n"
"                   [--allow-host NAME]... [--threads N] [--quiet]\n"
"\n"
"Serve the archive to browsers on the office network: search, documents,\n"
"the review queue, dossiers and status, in Vietnamese, for the users of\n"
"'sohoa user' (a role each).  A JSON API with the keys of the --json\n"
"output of the commands is under /api/.  Ctrl-C or SIGTERM stops it.\n"
"\n"
"  --listen ADDR:PORT  where to listen (default " SOHOA_WEB_LISTEN ",\n"
"                      this machine only; 0.0.0.0:8080 for the LAN, or\n"
"                      the machine's LAN address; port 0 picks a free one)\n"
"  --tls-cert FILE     serve HTTPS with this PEM certificate ...\n"
"  --tls-key FILE      ... and its PEM key\n"
"  --sign-cert FILE    certificate and key that sign the bundles\n"
"  --sign-key FILE     archivists export (see 'sohoa keygen')\n"
"  --allow-host NAME   a host name people type to reach this machine\n"
"                      (the addresses it listens on are always allowed;\n"
"                      other Host headers are refused)\n"
"  --threads N         worker threads (default 4)\n"
"  --quiet             no line per request on standard error\n"
"\n"
"Exit status: 0 stopped cleanly, 1 failed, 2 usage.\n";

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
		    "NAME --role admin --archive %s'", cli->archive);
	sohoa_archive_close(&a);
}

static int
value_of(int argc, char **argv, int *pi, const char *name, const char **pv)
{
	size_t n = strlen(name);

	if (strcmp(argv[*pi], name) == 0) {
		if (*pi + 1 >= argc) {
			cli_error("option '%s' needs a value", name);
			return -1;
		}
		*pv = argv[++*pi];
		return 1;
	}
	if (strncmp(argv[*pi], name, n) == 0 && argv[*pi][n] == '=') {
		*pv = argv[*pi] + n + 1;
		return 1;
	}
	return 0;
}

int cmd_serve(int argc, char **argv, struct cli *cli);

int
cmd_serve(int argc, char **argv, struct cli *cli)
{
	struct sohoa_web_opts o;
	struct sohoa_web *web = NULL;
	const char **hosts;
	const char *threads = NULL;
	size_t nhosts = 0;
	sigset_t set;
	char *end;
	int i, r, sig, quiet = 0, ret = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	hosts = calloc((size_t)argc + 1, sizeof(*hosts));
	if (hosts == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	for (i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			ret = EXIT_DONE;
			goto out;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = 1;
		} else if ((r = value_of(argc, argv, &i, "--listen", &v)) != 0) {
			if (r < 0)
				goto usage;
			o.listen = v;
		} else if ((r = value_of(argc, argv, &i, "--tls-cert",
		    &v)) != 0) {
			if (r < 0)
				goto usage;
			o.tls_cert = v;
		} else if ((r = value_of(argc, argv, &i, "--tls-key", &v)) != 0) {
			if (r < 0)
				goto usage;
			o.tls_key = v;
		} else if ((r = value_of(argc, argv, &i, "--sign-cert",
		    &v)) != 0) {
			if (r < 0)
				goto usage;
			o.sign_cert = v;
		} else if ((r = value_of(argc, argv, &i, "--sign-key",
		    &v)) != 0) {
			if (r < 0)
				goto usage;
			o.sign_key = v;
		} else if ((r = value_of(argc, argv, &i, "--allow-host",
		    &v)) != 0) {
			if (r < 0)
				goto usage;
			hosts[nhosts++] = v;
		} else if ((r = value_of(argc, argv, &i, "--threads",
		    &threads)) != 0) {
			if (r < 0)
				goto usage;
		} else {
			cli_error("unexpected argument '%s'", argv[i]);
			goto usage;
		}
	}
	if (threads != NULL) {
		errno = 0;
		o.threads = (int)strtol(threads, &end, 10);
		if (errno != 0 || *end != '\0' || o.threads < 1 ||
		    o.threads > 64) {
			cli_error("--threads takes a number from 1 to 64");
			goto usage;
		}
	}
	o.archive = cli->archive;
	o.allow_hosts = hosts;
	if (!quiet)
		o.log = log_line;
	/*
	 * Block the stop signals before the server's threads start, so they
	 * inherit the mask and only sigwait() below sees them.
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
	    cli->archive, sohoa_web_url(web));
	fflush(stderr);
	do {
		if (sigwait(&set, &sig) != 0)
			break;
	} while (sig != SIGINT && sig != SIGTERM);
	fprintf(stderr, "sohoa: stopping\n");
	sohoa_web_stop(&web);
	ret = EXIT_DONE;
	goto out;
usage:
	ret = cli_usage(usage_text);
out:
	free(hosts);
	return ret;
}
