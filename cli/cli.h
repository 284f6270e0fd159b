/*
 * Shared by the sohoa subcommands: the command signature, exit codes,
 * messages and terminal-safe output.  Only cli/ may print or exit.
 * Options are parsed with cli/opt.h.
 */
#ifndef SOHOA_CLI_H
#define SOHOA_CLI_H

#include <signal.h>
#include <stdio.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

/*
 * Exit codes of sohoa and every subcommand (as OCRmyPDF's: a script can
 * tell "bad input" from "bad command line" from "stopped").  'sohoa
 * --help' and README.md list them too.
 */
enum {
	EXIT_DONE = 0,		/* everything asked was done */
	EXIT_FAILED = 1,	/* it failed, or some inputs failed (see messages) */
	EXIT_USAGE = 2,		/* bad command line: nothing was done */
	EXIT_INVALID = 3,	/* verify, import: the bundle is not valid */
	EXIT_INTERRUPTED = 130,	/* stopped by Ctrl-C (SIGINT); what was
				 * finished is kept */
	EXIT_TERMINATED = 143,	/* stopped by SIGTERM, the same way */
};

struct cli {
	struct sohoa_ctx *ctx;	/* main thread's context */
	const char *name;	/* the command: "ingest" */
	int takes_archive;	/* the command works on an archive */
	const char *archive;	/* resolved archive dir (takes_archive) */
	int verbosity;		/* -1 quiet (-q), 0, 1 verbose (-v) */
	int tty;		/* stderr is a terminal */
};

typedef int (*cmd_fn)(int argc, char **argv, struct cli *cli);

/*
 * Print "sohoa: <message>\n" to stderr.  The whole message goes through
 * cli_esc: a file name or a reason quoted from input cannot move the
 * cursor, clear the screen or break the line.
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the context's message as one error line; returns EXIT_FAILED. */
int cli_fail(struct cli *cli, const char *what);
/*
 * A usage error: print "sohoa CMD: <message>" and "see 'sohoa CMD
 * --help'" to stderr; returns EXIT_USAGE.
 */
int cli_usage(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An information line ("sohoa: <message>"), not shown with -q. */
void cli_info(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * S made safe to print on a terminal (sohoa_utf8_term_escape): control
 * characters and invalid UTF-8 shown as escapes, one line.  The result
 * stays valid until 8 more calls of cli_esc; NULL gives "".
 */
const char *cli_esc(const char *s);
/* The same keeping line feeds and tabs, for text of several lines. */
const char *cli_esc_text(const char *s);

/*
 * Who is making changes, for the archive's history: $SOHOA_USER, else
 * $USER, else "unknown".
 */
const char *cli_who(void);

struct sohoa_doctypes;
/*
 * The page (0-based) of a document of NPAGES pages that its field KEY,
 * not read, is printed on by the rules of DOC_TYPE in DT
 * (sohoa_doctypes_field_end): the last for the signer block, the first
 * for the header; -1 when the type does not say (or DT is NULL).
 */
int cli_unread_page(const struct sohoa_doctypes *dt, const char *doc_type,
    const char *key, int npages);

/* Write BUF to stdout followed by a newline; returns 0 or EXIT_FAILED. */
int cli_print(const struct sohoa_buf *buf);

/*
 * The signal that asked to stop (SIGINT, SIGTERM), 0 while none came.
 * Long commands check it and stop cleanly; main() then exits with
 * 128 + the signal.  A second signal ends the process at once.
 */
extern volatile sig_atomic_t cli_interrupted;

#endif
