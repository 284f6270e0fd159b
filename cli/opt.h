/*
 * Command-line options of the sohoa commands, parsed in one place with
 * glibc's getopt_long, so that every command takes the same forms:
 * "--jobs 2", "--jobs=2", "-j 2", "-j2", bundled flags ("-qj2"), long
 * names shortened while unambiguous, options after operands, and "--" to
 * end the options.  Every command also takes -h/--help, -q/--quiet,
 * -v/--verbose and (archive commands) --archive DIR.  A usage error
 * prints two lines and the command returns EXIT_USAGE:
 *
 *	sohoa ingest: option '--jobs' needs a value
 *	see 'sohoa ingest --help'
 *
 * How a command declares and reads its options:
 *
 *	enum { OPT_DOSSIER = CLI_OPT_LONG, OPT_JSON };
 *
 *	static const struct cli_opt options[] = {
 *		{ "dossier", OPT_DOSSIER, "ID", "put every file in dossier ID" },
 *		{ "jobs",    'j',         "N",  "OCR worker threads\n"
 *		                                "(default: number of cores)" },
 *		{ "json",    OPT_JSON,    NULL, "print a summary as JSON" },
 *		{ NULL, 0, NULL, NULL }
 *	};
 *	static const struct cli_help help = {
 *		"[--dossier ID] [-j N] [--json] PATH...",	(after "sohoa ingest")
 *		"Clean up, OCR and store every page of ...\n",	(before the options)
 *		options,
 *		"Exit status: 0 done, 1 some inputs failed, ...\n",	(after them)
 *	};
 *
 *	struct cli_parser p;
 *	int c;
 *
 *	cli_parse_init(&p, cli, &help, argc, argv);
 *	while ((c = cli_parse(&p)) != CLI_OPT_END) {
 *		switch (c) {
 *		case 'j':
 *			if (cli_opt_int(&p, 1, 256, &jobs) != 0)
 *				return EXIT_USAGE;
 *			break;
 *		case OPT_DOSSIER:
 *			dossier = p.arg;
 *			break;
 *		case OPT_JSON:
 *			json = 1;
 *			break;
 *		default:	(CLI_OPT_EXIT: --help was printed or an error)
 *			return p.status;
 *		}
 *	}
 *	if (cli_operands(&p, 1, -1, "PATH") != 0)
 *		return EXIT_USAGE;
 *	(the operands are p.argv[0] .. p.argv[p.argc - 1])
 *
 * A value (p.arg) points into argv and lives as long as it.
 */
#ifndef SOHOA_CLI_OPT_H
#define SOHOA_CLI_OPT_H

#include <getopt.h>
#include <stdio.h>

struct cli;

/* Keys of long-only options start here (short ones are their letter). */
#define CLI_OPT_LONG 256

enum {
	CLI_OPT_END = -1,	/* no more options: operands follow */
	CLI_OPT_EXIT = -2,	/* help printed or usage error: return p.status */
};

struct cli_opt {
	const char *name;	/* long name, without "--" */
	int key;		/* a letter (also the short option) or >= CLI_OPT_LONG */
	const char *value;	/* what the value is called ("N"), NULL: a flag */
	const char *help;	/* one line or more, "\n" between them */
};

struct cli_help {
	const char *usage;	/* what follows "usage: sohoa CMD "; more lines
				 * start with "\n" and spaces */
	const char *about;	/* paragraphs printed before the options */
	const struct cli_opt *opts;	/* ends with a NULL name; may be NULL */
	const char *more;	/* paragraphs printed after them */
};

/* Options every command takes, and the commands' parsing state. */
#define CLI_OPT_MAX 40

struct cli_parser {
	struct cli *cli;
	const struct cli_help *help;
	int argc;		/* all args, then (after CLI_OPT_END) operands */
	char **argv;		/* argv[0] is the command name until the end */
	const char *arg;	/* the value of the option just returned */
	const char *opt;	/* its name as typed: "--jobs" or "-j" */
	char optbuf[48];
	int status;		/* with CLI_OPT_EXIT: EXIT_DONE or EXIT_USAGE */
	struct option longopts[CLI_OPT_MAX + 1];
	char shortopts[2 * CLI_OPT_MAX + 2];
};

/*
 * Prepare to parse ARGV (ARGV[0] is the command's name) for command
 * CLI->name described by HELP.  Options are permuted to the front of
 * ARGV, operands keep their order.
 */
void cli_parse_init(struct cli_parser *p, struct cli *cli,
    const struct cli_help *help, int argc, char **argv);

/*
 * The next option's key (with its value in p->arg), CLI_OPT_END when the
 * options are over (p->argc and p->argv then hold the operands), or
 * CLI_OPT_EXIT after printing the help (p->status EXIT_DONE) or a usage
 * error (p->status EXIT_USAGE).  The common options are handled here.
 */
int cli_parse(struct cli_parser *p);

/*
 * The value of the option just returned as an integer from MIN to MAX in
 * *PV.  Returns 0, or prints a usage error and returns EXIT_USAGE.
 */
int cli_opt_int(struct cli_parser *p, long min, long max, int *pv);

/*
 * Check that there are from MIN to MAX operands (MAX < 0: no limit).
 * WHAT names the missing one ("DOC_ID").  Returns 0, or prints a usage
 * error and returns EXIT_USAGE.
 */
int cli_operands(struct cli_parser *p, int min, int max, const char *what);

/* Print the full help of command NAME to F. */
void cli_help_print(FILE *f, const char *name, const struct cli_help *h,
    int archive);

#endif
