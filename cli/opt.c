/*
 * The one option parser of the sohoa commands (see opt.h): a command's
 * table becomes getopt_long's long options and short option string, the
 * options every command takes are added and handled here, and getopt's
 * errors become one line plus a hint.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"

/* Keys of the common options, above any a command may use. */
enum {
	OPT_ARCHIVE = CLI_OPT_LONG + 1000,
};

static const struct cli_opt common[] = {
	{ "archive", OPT_ARCHIVE, "DIR", "the archive (default $SOHOA_ARCHIVE,"
	    " else ./archive)" },
	{ "quiet", 'q', NULL, "no progress or information messages, only "
	    "errors" },
	{ "verbose", 'v', NULL, "more messages (ingest: one line per file)" },
	{ "help", 'h', NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL }
};

static int
is_short(int key)
{
	return key > ' ' && key < 127 && key != ':' && key != '?' &&
	    key != '-';
}

static void
add(struct cli_parser *p, int *nl, int *ns, const struct cli_opt *o)
{
	struct option *lo;

	/* the tables are ours: running out is a programming error */
	if (*nl >= CLI_OPT_MAX) {
		cli_error("too many options for '%s'", p->cli->name);
		abort();
	}
	lo = &p->longopts[(*nl)++];
	lo->name = o->name;
	lo->has_arg = o->value != NULL ? required_argument : no_argument;
	lo->flag = NULL;
	lo->val = o->key;
	if (is_short(o->key)) {
		p->shortopts[(*ns)++] = (char)o->key;
		if (o->value != NULL)
			p->shortopts[(*ns)++] = ':';
	}
}

void
cli_parse_init(struct cli_parser *p, struct cli *cli,
    const struct cli_help *help, int argc, char **argv)
{
	const struct cli_opt *o;
	int nl = 0, ns = 0;

	memset(p, 0, sizeof(*p));
	p->cli = cli;
	p->help = help;
	p->argc = argc;
	p->argv = argv;
	/* ':' first: a missing value is told apart from an unknown option */
	p->shortopts[ns++] = ':';
	for (o = help->opts; o != NULL && o->name != NULL; o++)
		add(p, &nl, &ns, o);
	for (o = common; o->name != NULL; o++)
		if (o->key != OPT_ARCHIVE || cli->takes_archive)
			add(p, &nl, &ns, o);
	p->shortopts[ns] = '\0';
	/* 0, not 1: glibc then starts afresh (main parsed its own options) */
	optind = 0;
	opterr = 0;
}

static const struct cli_opt *
find_key(const struct cli_parser *p, int key)
{
	const struct cli_opt *o;

	for (o = p->help->opts; o != NULL && o->name != NULL; o++)
		if (o->key == key)
			return o;
	for (o = common; o->name != NULL; o++)
		if (o->key == key)
			return o;
	return NULL;
}

/* Note the option as the user typed it, "--jobs" or "-j", in p->opt. */
static void
set_typed(struct cli_parser *p, int key, int islong)
{
	const struct cli_opt *o = find_key(p, key);

	if (islong && o != NULL)
		snprintf(p->optbuf, sizeof(p->optbuf), "--%s", o->name);
	else
		snprintf(p->optbuf, sizeof(p->optbuf), "-%c", key);
	p->opt = p->optbuf;
}

/* "--name[=value]" that getopt_long refused: unknown or ambiguous. */
static int
bad_long(struct cli_parser *p, const char *a)
{
	const struct option *lo;
	size_t n = strcspn(a + 2, "=");
	char names[256];
	int matches = 0, len = 0;

	names[0] = '\0';
	for (lo = p->longopts; lo->name != NULL; lo++)
		if (strncmp(lo->name, a + 2, n) == 0 && len >= 0 &&
		    len < (int)sizeof(names))
			len += snprintf(names + len, sizeof(names) - (size_t)len,
			    "%s--%s", matches++ ? ", " : "", lo->name);
	if (matches > 1)
		return cli_usage(p->cli, "option '%.*s' is ambiguous (%s)",
		    (int)n + 2, a, names);
	return cli_usage(p->cli, "unknown option '%.*s'", (int)n + 2, a);
}

static int
error(struct cli_parser *p, int c)
{
	const char *a = optind > 0 && optind <= p->argc ? p->argv[optind - 1] :
	    "";

	if (c == ':') {
		/* only at the end of argv: the element is the option itself */
		set_typed(p, optopt, strncmp(a, "--", 2) == 0);
		return cli_usage(p->cli, "option '%s' needs a value", p->opt);
	}
	/* '?' for a known key: a value given to a flag ("--json=1") */
	if (optopt != 0 && find_key(p, optopt) != NULL &&
	    strncmp(a, "--", 2) == 0)
		return cli_usage(p->cli, "option '--%s' takes no value",
		    find_key(p, optopt)->name);
	if (optopt != 0)
		return cli_usage(p->cli, "unknown option '-%c'", optopt);
	return bad_long(p, a);
}

int
cli_parse(struct cli_parser *p)
{
	struct cli *cli = p->cli;
	int c, li = -1;

	p->arg = NULL;
	p->opt = NULL;
	c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, &li);
	if (c == -1) {
		p->argv += optind;
		p->argc -= optind;
		return CLI_OPT_END;
	}
	if (c == ':' || c == '?') {
		p->status = error(p, c);
		return CLI_OPT_EXIT;
	}
	p->arg = optarg;
	set_typed(p, c, li >= 0);
	switch (c) {
	case 'h':
		cli_help_print(stdout, cli->name, p->help, cli->takes_archive);
		p->status = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
		return CLI_OPT_EXIT;
	case 'q':
		cli->verbosity = -1;
		return cli_parse(p);
	case 'v':
		cli->verbosity = 1;
		return cli_parse(p);
	case OPT_ARCHIVE:
		if (*optarg == '\0') {
			p->status = cli_usage(cli, "option '--archive' needs "
			    "a folder");
			return CLI_OPT_EXIT;
		}
		cli->archive = optarg;
		return cli_parse(p);
	}
	return c;
}

int
cli_opt_int(struct cli_parser *p, long min, long max, int *pv)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(p->arg, &end, 10);
	if (errno != 0 || end == p->arg || *end != '\0' || v < min ||
	    v > max)
		return cli_usage(p->cli, "option '%s' needs a number from "
		    "%ld to %ld, not '%s'", p->opt, min, max, p->arg);
	*pv = (int)v;
	return 0;
}

int
cli_operands(struct cli_parser *p, int min, int max, const char *what)
{
	if (p->argc < min)
		return cli_usage(p->cli, "missing %s", what);
	if (max >= 0 && p->argc > max)
		return cli_usage(p->cli, "unexpected argument '%s'",
		    p->argv[max]);
	return 0;
}

/* One option's line(s): "  -j, --jobs N     help", help lines aligned. */
static void
print_opt(FILE *f, const struct cli_opt *o, int col)
{
	const char *h = o->help, *nl;
	int n;

	if (is_short(o->key))
		n = fprintf(f, "  -%c, --%s", o->key, o->name);
	else
		n = fprintf(f, "      --%s", o->name);
	if (o->value != NULL)
		n += fprintf(f, " %s", o->value);
	if (n + 2 > col) {
		fputc('\n', f);
		n = 0;
	}
	do {
		nl = strchr(h, '\n');
		fprintf(f, "%*s%.*s\n", col - n, "", nl != NULL ?
		    (int)(nl - h) : (int)strlen(h), h);
		n = 0;
		h = nl != NULL ? nl + 1 : NULL;
	} while (h != NULL && *h != '\0');
}

static int
opt_width(const struct cli_opt *o)
{
	return 10 + (int)strlen(o->name) +
	    (o->value != NULL ? 1 + (int)strlen(o->value) : 0);
}

void
cli_help_print(FILE *f, const char *name, const struct cli_help *h,
    int archive)
{
	const struct cli_opt *o;
	int col = 0;

	for (o = h->opts; o != NULL && o->name != NULL; o++)
		if (opt_width(o) + 2 > col)
			col = opt_width(o) + 2;
	for (o = common; o->name != NULL; o++)
		if (opt_width(o) + 2 > col)
			col = opt_width(o) + 2;
	if (col > 24)
		col = 24;
	fprintf(f, "usage: sohoa %s %s\n", name, h->usage);
	if (h->about != NULL)
		fprintf(f, "\n%s", h->about);
	if (h->opts != NULL && h->opts->name != NULL) {
		fputs("\noptions:\n", f);
		for (o = h->opts; o->name != NULL; o++)
			print_opt(f, o, col);
	}
	fputs("\ncommon options:\n", f);
	for (o = common; o->name != NULL; o++)
		if (o->key != OPT_ARCHIVE || archive)
			print_opt(f, o, col);
	if (h->more != NULL)
		fprintf(f, "\n%s", h->more);
}
