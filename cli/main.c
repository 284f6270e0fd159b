/*
 * The sohoa command: reads the global options, looks the subcommand up
 * in a table and runs it.  Each subcommand lives in cli/cmd_<name>.c with
 * its help and options (cli/opt.h).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sohoa/sohoa.h"
#include "cli.h"
#include "opt.h"

/*
 * Subcommands are weak so that a build without one of them still links;
 * the table says so instead of crashing.
 */
#define CMD(name) int name(int, char **, struct cli *) __attribute__((weak))
CMD(cmd_init); CMD(cmd_ingest); CMD(cmd_extract); CMD(cmd_status);
CMD(cmd_show); CMD(cmd_set); CMD(cmd_search); CMD(cmd_dossier);
CMD(cmd_export); CMD(cmd_verify); CMD(cmd_import); CMD(cmd_keygen);
CMD(cmd_sign_pdf); CMD(cmd_pdf); CMD(cmd_trust); CMD(cmd_history);
CMD(cmd_accept); CMD(cmd_move); CMD(cmd_split); CMD(cmd_merge);
CMD(cmd_delete); CMD(cmd_undelete); CMD(cmd_purge); CMD(cmd_undo); CMD(cmd_check);
CMD(cmd_backup); CMD(cmd_restore_archive); CMD(cmd_rotate); CMD(cmd_reread);
CMD(cmd_replace); CMD(cmd_edit_text); CMD(cmd_failures);
CMD(cmd_serve); CMD(cmd_user); CMD(cmd_audit); CMD(cmd_watch); CMD(cmd_sheet);
CMD(cmd_cluster);

enum { CMD_ARCHIVE = 1 };

static const struct cmd {
	const char *name;
	cmd_fn fn;
	unsigned flags;
	const char *help;
} commands[] = {
	{ "init",     cmd_init,     CMD_ARCHIVE, "create an archive" },
	{ "ingest",   cmd_ingest,   CMD_ARCHIVE, "clean, OCR and store scanned pages" },
	{ "watch",    cmd_watch,    CMD_ARCHIVE, "ingest what scanners drop into a folder" },
	{ "status",   cmd_status,   CMD_ARCHIVE, "list failed pages and pages or fields to review" },
	{ "show",     cmd_show,     CMD_ARCHIVE, "print a document's metadata, text and fields" },
	{ "set",      cmd_set,      CMD_ARCHIVE, "correct fields of a document (checked by type)" },
	{ "accept",   cmd_accept,   CMD_ARCHIVE, "keep flagged values as they were read" },
	{ "history",  cmd_history,  CMD_ARCHIVE, "who changed a document, when, from what to what" },
	{ "move",     cmd_move,     CMD_ARCHIVE, "move a document to another dossier" },
	{ "split",    cmd_split,    CMD_ARCHIVE, "split a document in two at a page" },
	{ "merge",    cmd_merge,    CMD_ARCHIVE, "merge shard archives; or append one document to another" },
	{ "delete",   cmd_delete,   CMD_ARCHIVE, "delete a document (kept as a tombstone)" },
	{ "undelete", cmd_undelete, CMD_ARCHIVE, "bring back a deleted document" },
	{ "purge",    cmd_purge,    CMD_ARCHIVE, "remove a deleted document for good" },
	{ "rotate",   cmd_rotate,   CMD_ARCHIVE, "turn a page and read it again" },
	{ "reread",   cmd_reread,   CMD_ARCHIVE, "read a page again (other cleanup steps)" },
	{ "replace",  cmd_replace,  CMD_ARCHIVE, "replace a page by a re-scan" },
	{ "edit-text", cmd_edit_text, CMD_ARCHIVE, "correct a line of a page's OCR text" },
	{ "failures", cmd_failures, CMD_ARCHIVE, "list, clear or retry what failed" },
	{ "undo",     cmd_undo,     CMD_ARCHIVE, "undo a change of the history" },
	{ "check",    cmd_check,    CMD_ARCHIVE, "fixity of every stored file; --repair" },
	{ "backup",   cmd_backup,   CMD_ARCHIVE, "the whole archive in one checked file" },
	{ "restore",  cmd_restore_archive, CMD_ARCHIVE, "an archive from a backup file" },
	{ "search",   cmd_search,   CMD_ARCHIVE, "full-text search of the archive" },
	{ "dossier",  cmd_dossier,  CMD_ARCHIVE, "list dossiers, show or set their metadata" },
	{ "export",   cmd_export,   CMD_ARCHIVE, "write a signed bundle of a dossier" },
	{ "import",   cmd_import,   CMD_ARCHIVE, "verify a bundle and merge it into the archive" },
	{ "trust",    cmd_trust,    CMD_ARCHIVE, "certificates whose bundles import" },
	{ "pdf",      cmd_pdf,      CMD_ARCHIVE, "write a document's archival PDF" },
	{ "serve",    cmd_serve,    CMD_ARCHIVE, "serve the archive to browsers (web interface)" },
	{ "user",     cmd_user,     CMD_ARCHIVE, "add, list, disable users of the web interface" },
	{ "audit",    cmd_audit,    CMD_ARCHIVE, "print who did what: logins, views, changes" },
	{ "cluster",  cmd_cluster,  CMD_ARCHIVE, "ingest a backlog on a Slurm cluster (submit, status)" },
	{ "extract",  cmd_extract,  0, "clean up and OCR one image without an archive" },
	{ "verify",   cmd_verify,   0, "check a bundle's checksums, signature and signer" },
	{ "keygen",   cmd_keygen,   0, "make a demo signing key and certificate" },
	{ "sign-pdf", cmd_sign_pdf, 0, "add a PAdES signature to a PDF" },
	{ "sheet",    cmd_sheet,    0, "print a separator sheet (a new dossier or document)" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: sohoa [--archive DIR] [-q | -v] <command> [options] "
	    "[args]\n"
	    "       sohoa --help | --version\n\n"
	    "Offline digitization and archival of Vietnamese commune records.\n"
	    "\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].fn != NULL)
			fprintf(f, "  %-9s %s\n", commands[i].name,
			    commands[i].help);
	fprintf(f, "\noptions (before the command, or after it):\n"
	    "  --archive DIR  the archive of archive commands (default\n"
	    "                 $SOHOA_ARCHIVE, else ./archive)\n"
	    "  -q, --quiet    no progress or information messages, only errors\n"
	    "  -v, --verbose  more messages (ingest: one line per file)\n"
	    "  -h, --help     print this help and exit\n"
	    "  --version      print sohoa's version and exit\n"
	    "\n'sohoa <command> --help' (or 'sohoa help <command>') describes a "
	    "command.\n"
	    "\nExit status:\n"
	    "  0    done\n"
	    "  1    failed, or some inputs failed (each one is named on stderr)\n"
	    "  2    usage error: nothing was done\n"
	    "  3    the bundle is not valid (verify, import)\n"
	    "  130  stopped by Ctrl-C (SIGINT): the command stops cleanly and\n"
	    "       keeps what it finished (ingest: the pages stored); a second\n"
	    "       Ctrl-C stops at once\n"
	    "  143  stopped by SIGTERM, the same way\n");
}

/* One line naming the commands, for the usage error of a bare 'sohoa'. */
static void
command_list(char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < NCOMMANDS && n < size; i++)
		if (commands[i].fn != NULL)
			n += (size_t)snprintf(out + n, size - n, "%s%s",
			    n ? ", " : "", commands[i].name);
}

static void
on_signal(int sig)
{
	if (cli_interrupted)
		_exit(128 + sig);
	cli_interrupted = sig;
}

/*
 * Ctrl-C and SIGTERM ask the command to stop (cli_interrupted); a second
 * one ends the process.  A signal the caller ignores, as a shell does for
 * the jobs it runs in the background, stays ignored.
 */
static void
catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
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

enum { OPT_VERSION = CLI_OPT_LONG, OPT_ARCHIVE };

/*
 * The options before the command.  Returns the index of the command in
 * ARGV, or -1 after printing the help, the version or a usage error with
 * the exit status in *PSTATUS.
 */
static int
global_options(int argc, char **argv, struct cli *cli, int *pstatus)
{
	static const struct option longopts[] = {
		{ "archive", required_argument, NULL, OPT_ARCHIVE },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	char list[256];
	int c;

	*pstatus = EXIT_USAGE;
	opterr = 0;
	/* '+': stop at the command; its own options are its business */
	while ((c = getopt_long(argc, argv, "+:hqv", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			*pstatus = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
			return -1;
		case OPT_VERSION:
			printf("sohoa %s\n", SOHOA_VERSION);
			*pstatus = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
			return -1;
		case 'q':
			cli->verbosity = -1;
			break;
		case 'v':
			cli->verbosity = 1;
			break;
		case OPT_ARCHIVE:
			if (*optarg == '\0') {
				cli_error("option '--archive' needs a folder");
				goto hint;
			}
			cli->archive = optarg;
			break;
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			goto hint;
		default:
			if (optopt != 0)
				cli_error("unknown option '-%c'", optopt);
			else
				cli_error("unknown option '%s'", argv[optind - 1]);
			goto hint;
		}
	}
	if (optind < argc)
		return optind;
	command_list(list, sizeof(list));
	cli_error("no command given (%s)", list);
hint:
	fputs("see 'sohoa --help'\n", stderr);
	return -1;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const struct cmd *cmd = NULL;
	const char *archive;
	char **orig_argv = argv, *help_argv[3];
	size_t i;
	int first, rc;

	memset(&cli, 0, sizeof(cli));
	first = global_options(argc, argv, &cli, &rc);
	if (first < 0)
		return rc;
	/* 'sohoa help CMD' is 'sohoa CMD --help' */
	if (strcmp(argv[first], "help") == 0) {
		if (first + 1 >= argc) {
			usage(stdout);
			return fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
		}
		help_argv[0] = argv[first + 1];
		help_argv[1] = (char *)"--help";
		help_argv[2] = NULL;
		argv = help_argv;
		argc = 2;
		first = 0;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[first], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL) {
		cli_error("'%s' is not a sohoa command", argv[first]);
		fputs("see 'sohoa --help'\n", stderr);
		return EXIT_USAGE;
	}
	if (cmd->fn == NULL) {
		cli_error("'%s' is not available in this build", cmd->name);
		return EXIT_FAILED;
	}
	if (cli.archive != NULL && !(cmd->flags & CMD_ARCHIVE)) {
		cli.name = cmd->name;
		return cli_usage(&cli, "option '--archive' does not apply to "
		    "'%s'", cmd->name);
	}
	limit_openmp(orig_argv);
	sohoa_global_init();
	cli.ctx = sohoa_ctx_new();
	if (cli.ctx == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	cli.name = cmd->name;
	cli.takes_archive = (cmd->flags & CMD_ARCHIVE) != 0;
	cli.tty = isatty(STDERR_FILENO);
	if (cli.takes_archive && cli.archive == NULL) {
		archive = getenv("SOHOA_ARCHIVE");
		cli.archive = archive != NULL && *archive ? archive :
		    "./archive";
	}
	catch_signals();
	rc = cmd->fn(argc - first, argv + first, &cli);
	sohoa_ctx_destroy(&cli.ctx);
	if (cli_interrupted && rc != EXIT_USAGE)
		rc = 128 + cli_interrupted;
	return rc;
}
