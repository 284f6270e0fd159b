/*
 * Ingest progress on stderr: a one-line bar on a terminal, one quiet line
 * per file otherwise, and one line per failure in both cases.
 */
#ifndef SOHOA_CLI_PROGRESS_H
#define SOHOA_CLI_PROGRESS_H

#include "sohoa/ingest.h"

struct progress {
	int tty;		/* draw the updating bar */
	int drawn;		/* a bar is on the screen, to clear before a line */
};

/*
 * The ingest progress callback: ARG is a struct progress.  Returns
 * non-zero (stop) once Ctrl-C was pressed.
 */
int cli_progress_ingest(void *arg, const struct sohoa_ingest_event *ev);
/* End the bar's line, if one is drawn. */
void cli_progress_done(struct progress *p);

#endif
