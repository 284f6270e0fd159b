/*
 * The sohoa command: looks the subcommand up in a table and runs it.
 * Each subcommand lives in cli/cmd_<name>.c with its usage and options.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sohoa/sohoa.h"
#include "cli.h"

/*
 * Subcommands are weak so that a build without one of them still links;
 * the table says so instead of crashing.
 */
#define CMD(name) int name(int, char **, struct cli *) __attribute__((weak))
CMD(cmd_init); CMD(cmd_ingest); CMD(cmd_extract); CMD(cmd_status);
CMD(cmd_show); CMD(cmd_set); CMD(cmd_search); CMD(cmd_dossier);
CMD(cmd_export); CMD(cmd_verify); CMD(cmd_import); CMD(cmd_keygen);
CMD(cmd_sign_pdf); CMD(cmd_pdf);
CMD(cmd_serve); CMD(cmd_user); CMD(cmd_audit);

enum { CMD_ARCHIVE = 1 };

static const struct cmd {
	const char *name;
	cmd_fn fn;
	unsigned flags;
	const char *help;
} commands[] = {
	{ "init",     cmd_init,     CMD_ARCHIVE, "create an archive" },
	{ "ingest",   cmd_ingest,   CMD_ARCHIVE, "clean, OCR and store scanned pages" },
	{ "status",   cmd_status,   CMD_ARCHIVE, "list failed pages and pages or fields to review" },
	{ "show",     cmd_show,     CMD_ARCHIVE, "print a document's metadata, text and fields" },
	{ "set",      cmd_set,      CMD_ARCHIVE, "correct a field of a document" },
	{ "search",   cmd_search,   CMD_ARCHIVE, "full-text search of the archive" },
	{ "dossier",  cmd_dossier,  CMD_ARCHIVE, "list dossiers, show or set their metadata" },
	{ "export",   cmd_export,   CMD_ARCHIVE, "write a signed bundle of a dossier" },
	{ "import",   cmd_import,   CMD_ARCHIVE, "verify a bundle and load it into the archive" },
	{ "pdf",      cmd_pdf,      CMD_ARCHIVE, "write a document's archival PDF" },
	{ "serve",    cmd_serve,    CMD_ARCHIVE, "serve the archive to browsers (web interface)" },
	{ "user",     cmd_user,     CMD_ARCHIVE, "add, list, disable users of the web interface" },
	{ "audit",    cmd_audit,    CMD_ARCHIVE, "print who did what: logins, views, changes" },
	{ "extract",  cmd_extract,  0, "clean up and OCR one image without an archive" },
	{ "verify",   cmd_verify,   0, "check a bundle's checksums, signature and signer" },
	{ "keygen",   cmd_keygen,   0, "make a demo signing key and certificate" },
	{ "sign-pdf", cmd_sign_pdf, 0, "add a PAdES signature to a PDF" },
};

volatile int cli_interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	if (cli_interrupted)
		_exit(130);
	cli_interrupted = 1;
}

void
cli_catch_interrupt(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sohoa: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_fail(struct cli *cli, const char *what)
{
	if (what != NULL && *what)
		cli_error("%s: %s", what, sohoa_errmsg(cli->ctx));
	else
		cli_error("%s", sohoa_errmsg(cli->ctx));
	return EXIT_FAILED;
}

int
cli_usage(const char *usage)
{
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int
cli_print(const struct sohoa_buf *buf)
{
	if (fwrite(buf->buf, 1, buf->len, stdout) != buf->len ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		return EXIT_FAILED;
	}
	return EXIT_DONE;
}

const char *
cli_resolve_archive(int *pargc, char **argv)
{
	const char *dir = NULL;
	int i, j;

	for (i = 1; i < *pargc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--archive") == 0 && i + 1 < *pargc) {
			dir = argv[i + 1];
			for (j = i; j + 2 <= *pargc; j++)
				argv[j] = argv[j + 2];
			*pargc -= 2;
			i--;
		} else if (strncmp(argv[i], "--archive=", 10) == 0) {
			dir = argv[i] + 10;
			for (j = i; j + 1 <= *pargc; j++)
				argv[j] = argv[j + 1];
			*pargc -= 1;
			i--;
		}
	}
	if (dir == NULL)
		dir = getenv("SOHOA_ARCHIVE");
	if (dir == NULL || *dir == '\0')
		dir = "./archive";
	return dir;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: sohoa <command> [options] [args]\n\n"
	    "Offline digitization and archival of Vietnamese commune records.\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].fn != NULL)
			fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nArchive commands take --archive DIR (default $SOHOA_ARCHIVE, "
	    "else ./archive).\n'sohoa <command> --help' describes a command.\n"
	    "Exit status: 0 done, 1 failed (or some inputs failed), 2 usage error,\n"
	    "3 bundle not valid (verify).\n");
}

/*
 * Debian's libtesseract uses OpenMP, and libgomp reads OMP_THREAD_LIMIT
 * only when it loads: one engine per worker thread each spinning its own
 * OpenMP team makes a page several times slower (tesseract#3109).  Set the
 * limit and re-execute once, before anything else runs.
 */
static void
limit_openmp(char **argv)
{
	if (getenv("OMP_THREAD_LIMIT") != NULL)
		return;
	if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	/* no /proc: carry on with OpenMP's default */
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const struct cmd *cmd = NULL;
	size_t i;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sohoa %s\n", SOHOA_VERSION);
		return EXIT_DONE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL) {
		cli_error("'%s' is not a sohoa command (see 'sohoa --help')", argv[1]);
		return EXIT_USAGE;
	}
	if (cmd->fn == NULL) {
		cli_error("'%s' is not available in this build", cmd->name);
		return EXIT_FAILED;
	}
	limit_openmp(argv);
	sohoa_global_init();
	memset(&cli, 0, sizeof(cli));
	cli.ctx = sohoa_ctx_new();
	if (cli.ctx == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	cli.tty = isatty(STDERR_FILENO);
	argc--;
	argv++;
	if (cmd->flags & CMD_ARCHIVE)
		cli.archive = cli_resolve_archive(&argc, argv);
	rc = cmd->fn(argc, argv, &cli);
	sohoa_ctx_destroy(&cli.ctx);
	return rc;
}
