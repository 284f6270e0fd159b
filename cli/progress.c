/*
 * Ingest progress on stderr (see progress.h).  The bar is redrawn with
 * "\r" and erase-to-end-of-line, and kept one column short of the
 * terminal's width: a line that reaches the last column wraps on some
 * terminals, and then every redraw scrolls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sohoa/utf8.h"
#include "cli.h"
#include "progress.h"

/* Columns of the terminal on stderr, read at each draw (it may change). */
static int
term_width(void)
{
	struct winsize ws;
	const char *env;
	long n;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	env = getenv("COLUMNS");
	n = env != NULL ? strtol(env, NULL, 10) : 0;
	return n > 0 && n < 10000 ? (int)n : 80;
}

static void
eta_text(char *out, size_t size, long eta)
{
	if (eta < 0)
		snprintf(out, size, "--:--");
	else if (eta >= 3600)
		snprintf(out, size, "%ld:%02ld:%02ld", eta / 3600, eta / 60 % 60,
		    eta % 60);
	else
		snprintf(out, size, "%02ld:%02ld", eta / 60, eta % 60);
}

int
cli_progress_format(struct sohoa_buf *out, int width, int done, int failed,
    int total, double seconds, const char *name, int pageno)
{
	/* the optional parts, most useful first */
	char counts[64], part[3][48], etas[24];
	double rate = seconds > 0 ? done * 60.0 / seconds : 0;
	long eta = rate > 0 && total >= done ? (long)((total - done) * 60.0 /
	    rate + 0.5) : -1;
	size_t start = out->len, len, cols, room;
	int np = 0, bar, used, fill, i, rc = SOHOA_OK;

	snprintf(counts, sizeof(counts), "%d/%d pages", done, total);
	if (failed > 0)
		snprintf(part[np++], sizeof(part[0]), "%d failed", failed);
	eta_text(etas, sizeof(etas), eta);
	snprintf(part[np++], sizeof(part[0]), "ETA %s", etas);
	snprintf(part[np++], sizeof(part[0]), "%.1f pages/min", rate);
	/* the bar: a third of the line, 10 to 30 columns */
	bar = width / 3;
	bar = bar < 10 ? 10 : bar > 30 ? 30 : bar;
	used = bar + 3 + (int)strlen(counts);
	if (used > width) {
		bar -= used - width;
		used = width;
	}
	if (bar >= 3) {
		fill = total > 0 ? (int)((long)bar * done / total) : 0;
		rc = sohoa_buf_addch(out, '[');
		for (i = 0; i < bar && rc == SOHOA_OK; i++)
			rc = sohoa_buf_addch(out, i < fill ? '#' : '.');
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(out, "] ");
	} else {
		used -= bar + 3;
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(out, counts);
	for (i = 0; i < np && rc == SOHOA_OK; i++) {
		len = strlen(part[i]);
		if (used + 2 + (int)len > width)
			break;
		rc = sohoa_buf_addf(out, "%s%s", i == 0 && failed > 0 ? ", " :
		    "  ", part[i]);
		used += 2 + (int)len;
	}
	/* the file name gets what is left, if that is enough to read it */
	if (name != NULL && rc == SOHOA_OK && width - used >= 12) {
		rc = sohoa_buf_adds(out, "  ");
		room = (size_t)(width - used - 2 - 5);
		len = sohoa_utf8_clip_cols(name, strlen(name), room, &cols);
		if (len < strlen(name))	/* cut: say so */
			len = sohoa_utf8_clip_cols(name, len, room - 1, &cols);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(out, name, len);
		if (rc == SOHOA_OK && len < strlen(name))
			rc = sohoa_buf_adds(out, "…");
		if (rc == SOHOA_OK && pageno >= 0)
			rc = sohoa_buf_addf(out, " p%d", pageno + 1);
	}
	/* and whatever was counted wrong, the line never wraps */
	if (rc == SOHOA_OK)
		sohoa_buf_truncate(out, start + sohoa_utf8_clip_cols(out->buf +
		    start, out->len - start, width > 0 ? (size_t)width : 0,
		    NULL));
	return rc;
}

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
draw(struct progress *p)
{
	struct sohoa_buf line = SOHOA_BUF_INIT;
	const struct sohoa_ingest_event *ev = &p->last;

	if (!p->cli->tty || p->cli->verbosity < 0)
		return;
	if (cli_progress_format(&line, term_width() - 1, ev->pages_done,
	    ev->pages_failed, ev->pages_total, ev->seconds, p->name.len ?
	    p->name.buf : NULL, ev->pageno) == SOHOA_OK) {
		fprintf(stderr, "\r%s\033[K", line.buf);
		fflush(stderr);
		p->drawn = 1;
	}
	sohoa_buf_release(&line);
}

void
cli_progress_init(struct progress *p, const struct cli *cli)
{
	memset(p, 0, sizeof(*p));
	p->cli = cli;
	sohoa_buf_init(&p->name);
	p->last.pageno = -1;
}

int
cli_progress_ingest(void *arg, const struct sohoa_ingest_event *ev)
{
	struct progress *p = arg;
	const struct cli *cli = p->cli;
	int verbose = cli->verbosity > 0;

	/* looking through folders: nothing to count yet, but Ctrl-C works */
	if (ev->type == SOHOA_INGEST_WALK)
		return cli_interrupted != 0;
	/* the counts of every event are the latest; the page is not */
	p->last.pages_total = ev->pages_total;
	p->last.files_total = ev->files_total;
	p->last.pages_done = ev->pages_done;
	p->last.pages_failed = ev->pages_failed;
	p->last.seconds = ev->seconds;
	if (ev->type == SOHOA_INGEST_PAGE_DONE ||
	    ev->type == SOHOA_INGEST_PAGE_FAILED) {
		p->last.pageno = ev->pageno;
		sohoa_buf_reset(&p->name);
		sohoa_utf8_term_escape(base(ev->path), strlen(base(ev->path)),
		    0, &p->name);
	}
	switch (ev->type) {
	case SOHOA_INGEST_START:
		if (verbose && !cli->tty && ev->pages_total > 0)
			cli_info(cli, "%d pages in %d files to read",
			    ev->pages_total, ev->files_total);
		break;
	case SOHOA_INGEST_FILE_SKIPPED:
		if (verbose) {
			clear(p);
			cli_info(cli, "skipped '%s': already in the archive",
			    ev->path);
		}
		break;
	case SOHOA_INGEST_FILE_FAILED:
		clear(p);
		cli_error("cannot read '%s': %s", ev->path, ev->reason);
		break;
	case SOHOA_INGEST_PAGE_FAILED:
		clear(p);
		cli_error("cannot read '%s' page %d: %s", ev->path,
		    ev->pageno + 1, ev->reason);
		break;
	case SOHOA_INGEST_PAGE_DONE:
		break;
	case SOHOA_INGEST_FILE_DONE:
		if (verbose) {
			clear(p);
			cli_info(cli, "ingested '%s': %d page%s, %d document%s",
			    ev->path, ev->file_pages,
			    ev->file_pages == 1 ? "" : "s", ev->file_documents,
			    ev->file_documents == 1 ? "" : "s");
		}
		break;
	}
	if (cli_interrupted && !p->stopping) {
		p->stopping = 1;
		clear(p);
		cli_info(cli, "stopping after the pages being read (%s)",
		    cli_interrupted == SIGINT ? "Ctrl-C again stops at once" :
		    "a second SIGTERM stops at once");
	}
	draw(p);
	return cli_interrupted != 0;
}

void
cli_progress_done(struct progress *p)
{
	clear(p);
	sohoa_buf_release(&p->name);
}
