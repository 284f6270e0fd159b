/*
 * Shared by the sohoa subcommands: the command signature, archive
 * resolution, and small output helpers.  Only cli/ may print or exit.
 */
#ifndef SOHOA_CLI_H
#define SOHOA_CLI_H

#include <stdio.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

/* Exit codes of every subcommand. */
enum {
	EXIT_DONE = 0,		/* everything asked was done */
	EXIT_FAILED = 1,	/* it failed, or some inputs failed (see messages) */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_INVALID = 3,	/* verify: the bundle is not valid */
};

struct cli {
	struct sohoa_ctx *ctx;	/* main thread's context */
	const char *archive;	/* resolved archive dir (CMD_ARCHIVE commands) */
	int tty;		/* stderr is a terminal */
};

typedef int (*cmd_fn)(int argc, char **argv, struct cli *cli);

/* Print "sohoa: <message>\n" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the context's message as one error line; returns EXIT_FAILED. */
int cli_fail(struct cli *cli, const char *what);
/* Print usage text to stderr and return EXIT_USAGE. */
int cli_usage(const char *usage);

/*
 * Pull "--archive DIR" out of argv (shifting the rest down) and resolve
 * it with SOHOA_ARCHIVE and ./archive.  Called by main for CMD_ARCHIVE.
 */
const char *cli_resolve_archive(int *pargc, char **argv);

/*
 * Who is making changes, for the archive's history: $SOHOA_USER, else
 * $USER, else "unknown".
 */
const char *cli_who(void);

/* Write BUF to stdout followed by a newline; returns 0 or EXIT_FAILED. */
int cli_print(const struct sohoa_buf *buf);

/* Set by the SIGINT handler; long commands stop cleanly when non-zero. */
extern volatile int cli_interrupted;
void cli_catch_interrupt(void);

#endif
