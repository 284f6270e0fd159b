/*
 * Ingest progress on stderr (see progress.h).  The bar reads
 * "[ 120/450] 26.7 pages/min  ETA 12:21  file.tif p3".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

static const char *
base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path ? path : "";
}

static void
clear(struct progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		p->drawn = 0;
	}
}

static void
draw(struct progress *p, const struct sohoa_ingest_event *ev)
{
	double rate = ev->seconds > 0 ? ev->pages_done * 60.0 / ev->seconds : 0;
	long eta = rate > 0 ? (long)((ev->pages_total - ev->pages_done) * 60.0 /
	    rate + 0.5) : -1;
	char etas[32];

	if (eta < 0)
		snprintf(etas, sizeof(etas), "--:--");
	else if (eta >= 3600)
		snprintf(etas, sizeof(etas), "%ld:%02ld:%02ld", eta / 3600,
		    eta / 60 % 60, eta % 60);
	else
		snprintf(etas, sizeof(etas), "%02ld:%02ld", eta / 60, eta % 60);
	fprintf(stderr, "\r[%4d/%d] %.1f pages/min  ETA %s  %.40s p%d\033[K",
	    ev->pages_done, ev->pages_total, rate, etas, base(ev->path),
	    ev->pageno + 1);
	p->drawn = 1;
	fflush(stderr);
}

int
cli_progress_ingest(void *arg, const struct sohoa_ingest_event *ev)
{
	struct progress *p = arg;

	switch (ev->type) {
	case SOHOA_INGEST_START:
		if (!p->tty && ev->pages_total > 0)
			fprintf(stderr, "sohoa: %d pages in %d files to read\n",
			    ev->pages_total, ev->files_total);
		break;
	case SOHOA_INGEST_FILE_SKIPPED:
		if (!p->tty)
			fprintf(stderr, "sohoa: skipped '%s': already in the "
			    "archive\n", ev->path);
		break;
	case SOHOA_INGEST_FILE_FAILED:
		clear(p);
		cli_error("cannot read '%s': %s", ev->path, ev->reason);
		break;
	case SOHOA_INGEST_PAGE_FAILED:
		clear(p);
		cli_error("cannot read '%s' page %d: %s", ev->path, ev->pageno + 1,
		    ev->reason);
		break;
	case SOHOA_INGEST_PAGE_DONE:
		if (p->tty)
			draw(p, ev);
		break;
	case SOHOA_INGEST_FILE_DONE:
		if (!p->tty)
			fprintf(stderr, "sohoa: ingested '%s': %d page%s, "
			    "%d document%s\n", ev->path, ev->file_pages,
			    ev->file_pages == 1 ? "" : "s", ev->file_documents,
			    ev->file_documents == 1 ? "" : "s");
		break;
	}
	return cli_interrupted != 0;
}

void
cli_progress_done(struct progress *p)
{
	clear(p);
}
