/*
 * Helpers shared by the sohoa subcommands (cli.h): error, usage and
 * information lines on stderr, terminal-safe text, writing results.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/fields.h"
#include "sohoa/utf8.h"
#include "cli.h"

volatile sig_atomic_t cli_interrupted;

/* Print PREFIX and the formatted message, escaped, as one line. */
static void
vline(const char *prefix, const char *fmt, va_list ap)
{
	struct sohoa_buf msg = SOHOA_BUF_INIT, safe = SOHOA_BUF_INIT;

	if (sohoa_buf_vaddf(&msg, fmt, ap) != SOHOA_OK ||
	    sohoa_utf8_term_escape(msg.buf, msg.len, 0, &safe) != SOHOA_OK)
		fprintf(stderr, "%sout of memory\n", prefix);
	else
		fprintf(stderr, "%s%s\n", prefix, safe.buf);
	sohoa_buf_release(&msg);
	sohoa_buf_release(&safe);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("sohoa: ", fmt, ap);
	va_end(ap);
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
cli_usage(const struct cli *cli, const char *fmt, ...)
{
	struct sohoa_buf prefix = SOHOA_BUF_INIT;
	va_list ap;

	if (sohoa_buf_addf(&prefix, "sohoa %s: ", cli->name) != SOHOA_OK) {
		fputs("sohoa: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	va_start(ap, fmt);
	vline(prefix.buf, fmt, ap);
	va_end(ap);
	fprintf(stderr, "see 'sohoa %s --help'\n", cli->name);
	sohoa_buf_release(&prefix);
	return EXIT_USAGE;
}

void
cli_info(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->verbosity < 0)
		return;
	va_start(ap, fmt);
	vline("sohoa: ", fmt, ap);
	va_end(ap);
}

/*
 * A ring of buffers so that one printf can take several escaped strings;
 * they are kept for the next calls and reused, never freed.
 */
static const char *
esc(const char *s, unsigned flags)
{
	static struct sohoa_buf ring[8] = {
		SOHOA_BUF_INIT, SOHOA_BUF_INIT, SOHOA_BUF_INIT, SOHOA_BUF_INIT,
		SOHOA_BUF_INIT, SOHOA_BUF_INIT, SOHOA_BUF_INIT, SOHOA_BUF_INIT,
	};
	static unsigned next;
	struct sohoa_buf *b = &ring[next++ % 8];

	sohoa_buf_reset(b);
	if (s == NULL)
		return "";
	if (sohoa_utf8_term_escape(s, strlen(s), flags, b) != SOHOA_OK)
		return "(out of memory)";
	return b->buf;
}

const char *
cli_esc(const char *s)
{
	return esc(s, 0);
}

const char *
cli_esc_text(const char *s)
{
	return esc(s, SOHOA_TERM_MULTILINE);
}

/*
 * Commands escape each value they put in BUF (a newline in a name must
 * not start a line); this pass, which keeps line feeds, is a second
 * guard and leaves JSON as it is (json.c leaves no control in it).
 */
int
cli_print(const struct sohoa_buf *buf)
{
	struct sohoa_buf safe = SOHOA_BUF_INIT;
	int ret = EXIT_DONE;

	if (sohoa_utf8_term_escape(buf->buf, buf->len, SOHOA_TERM_MULTILINE,
	    &safe) != SOHOA_OK) {
		cli_error("cannot write the output: out of memory");
		ret = EXIT_FAILED;
	} else if (fwrite(safe.buf, 1, safe.len, stdout) != safe.len ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		ret = EXIT_FAILED;
	}
	sohoa_buf_release(&safe);
	return ret;
}

int
cli_unread_page(const struct sohoa_doctypes *dt, const char *doc_type,
    const char *key, int npages)
{
	if (npages <= 0)
		return -1;
	switch (sohoa_doctypes_field_end(dt, doc_type, key)) {
	case SOHOA_FIELD_END_FIRST:
		return 0;
	case SOHOA_FIELD_END_LAST:
		return npages - 1;
	default:
		return -1;
	}
}

const char *
cli_who(void)
{
	const char *who = getenv("SOHOA_USER");

	if (who == NULL || *who == '\0')
		who = getenv("USER");
	if (who == NULL || *who == '\0')
		who = "unknown";
	return who;
}
