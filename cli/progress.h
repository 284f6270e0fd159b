/*
 * Ingest progress on stderr: a bar redrawn in place that fits the
 * terminal's width when stderr is a terminal, nothing when it is not;
 * one line per failure in both cases; with -v one line per file; with
 * -q only the failures.
 */
#ifndef SOHOA_CLI_PROGRESS_H
#define SOHOA_CLI_PROGRESS_H

#include "sohoa/buf.h"
#include "sohoa/ingest.h"

struct cli;

struct progress {
	const struct cli *cli;	/* verbosity and whether stderr is a tty */
	int drawn;		/* a bar is on the screen, to clear before a line */
	int stopping;		/* "stopping" was said after Ctrl-C */
	struct sohoa_ingest_event last;	/* for redrawing after a line */
	struct sohoa_buf name;	/* last page's file name, escaped */
};

/* Prepare P for an ingest run by CLI. */
void cli_progress_init(struct progress *p, const struct cli *cli);

/*
 * The ingest progress callback: ARG is a struct progress.  Returns
 * non-zero (stop) once Ctrl-C or SIGTERM came.
 */
int cli_progress_ingest(void *arg, const struct sohoa_ingest_event *ev);

/* End the bar's line, if one is drawn, and release P. */
void cli_progress_done(struct progress *p);

/*
 * Append to OUT the bar for DONE of TOTAL pages read (FAILED of them
 * could not be), in at most WIDTH columns: "[#####.....] 12/45 pages,
 * 1 failed  26.7 pages/min  ETA 12:21  file.tif p3".  What does not fit
 * is left out, the least useful first.  NAME must be escaped already; it
 * may be NULL.
 */
int cli_progress_format(struct sohoa_buf *out, int width, int done,
    int failed, int total, double seconds, const char *name, int pageno);

#endif
