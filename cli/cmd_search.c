/*
 * sohoa search: full-text search of the archive (library: sohoa/search.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sohoa/archive.h"
#include "sohoa/json.h"
#include "sohoa/search.h"
#include "sohoa/utf8.h"
#include "cli.h"
#include "opt.h"

enum {
	OPT_JSON = CLI_OPT_LONG, OPT_TYPE, OPT_DOSSIER, OPT_FROM, OPT_TO,
	OPT_FIELD, OPT_NO_FUZZY, OPT_RANK_ALL,
};

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "print a JSON array of {doc_id, dossier,\n"
	    "doc_type, type_name, name, date, score, match,\n"
	    "exact, fuzzy, title, snippet}, best first\n"
	    "(matches in «»)" },
	{ "type", OPT_TYPE, "T", "only documents of type T (birth, death,\n"
	    "marriage...)" },
	{ "dossier", OPT_DOSSIER, "ID", "only documents of dossier ID (its\n"
	    "code)" },
	{ "from", OPT_FROM, "DATE", "only documents dated DATE or later\n"
	    "(YYYY[-MM[-DD]])" },
	{ "to", OPT_TO, "DATE", "only documents dated DATE or earlier" },
	{ "field", OPT_FIELD, "KEY=VALUE", "only documents whose field KEY is\n"
	    "VALUE (case and diacritics ignored); may be\n"
	    "repeated" },
	{ "limit", 'n', "N", "at most N hits (default 20, at most 1000)" },
	{ "no-fuzzy", OPT_NO_FUZZY, NULL, "do not try near spellings" },
	{ "rank-all", OPT_RANK_ALL, NULL, "rank every match; by default a query\n"
	    "matching more than 2000 documents ranks the\n"
	    "2000 most recent (slow on a large archive)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--json] [--type T] [--dossier ID]\n"
	"                    [--from DATE] [--to DATE] [--field KEY=VALUE]...\n"
	"                    [-n N] [--no-fuzzy] [--rank-all] [--] QUERY...",
	"Search the names, types, fields and text of the archive's documents.\n"
	"Case and diacritics do not matter ('nguyen van duc' finds 'Nguyễn Văn\n"
	"Đức'), but words typed with diacritics rank documents spelt exactly so\n"
	"first.  Documents where the words stand together come first: in the\n"
	"person's name or the type of document ('ket hon' puts marriage\n"
	"certificates first), then in a field (a parent, a place, an ID), then\n"
	"in the text, then in two or three groups ('khai sinh nguyen van duc'),\n"
	"then those that merely have all the words.  Form labels and the motto\n"
	"match nothing.  Each hit shows whose record it is, its type, date and\n"
	"dossier, and the text with every query word marked.\n"
	"\n"
	"Query: words (all must appear), \"a phrase\", prefix*, a OR b, a AND b,\n"
	"NOT a or -a, and parentheses.  Operators are upper case.  A date\n"
	"(12/03/2019) also finds 2019-03-12; six or more digits also find IDs\n"
	"that start with them.  A word -a given as an argument of its own goes\n"
	"after '--' ('sohoa search -- duc -van'), or inside a quoted query\n"
	"('sohoa search \"duc -van\"'), else it is read as an option.  With no\n"
	"query, the documents the filters keep are listed, newest first.  When\n"
	"the words side by side find nothing, near spellings are tried (OCR\n"
	"errors); those hits are marked '~ near spelling'.\n",
	options,
	"doc_id is what 'sohoa show' takes.\n"
	"Exit status: 0 done (with or without hits), 1 failed, 2 usage.\n",
};

static int
print_json(const struct sohoa_search_result *r)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	int rc;

	sohoa_json_init(&j, &out, 0);
	sohoa_search_result_json(&j, r);
	if (j.rc != 0) {
		cli_error("cannot write the results: out of memory");
		rc = EXIT_FAILED;
	} else {
		rc = cli_print(&out);
	}
	sohoa_buf_release(&out);
	return rc;
}

/*
 * Matches come between MARK_OPEN and MARK_CLOSE (stored text is UTF-8
 * in NFC, and has no such controls unless damaged): the text between them
 * is escaped like all data, and the marks become bold on, bold off.
 */
#define MARK_OPEN "\001"
#define MARK_CLOSE "\002"

static const char *
bold_snippet(const char *s, struct sohoa_buf *out)
{
	size_t n;

	sohoa_buf_reset(out);
	while (*s) {
		n = strcspn(s, MARK_OPEN MARK_CLOSE);
		if (sohoa_utf8_term_escape(s, n, 0, out) != SOHOA_OK)
			return "(out of memory)";
		s += n;
		if (*s == '\0')
			break;
		sohoa_buf_adds(out, *s == MARK_OPEN[0] ? "\033[1m" : "\033[0m");
		s++;
	}
	return out->buf;
}

/*
 * One hit: whose record it is, what it is, when, where it is filed, and
 * the text with the query's words marked; -v adds how it matched.
 */
static int
print_text(const struct sohoa_search_result *r, int bold, int verbose)
{
	const struct sohoa_search_hit *h;
	struct sohoa_buf snip = SOHOA_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		printf("%lld  %s", (long long)h->doc_id, h->name ?
		    cli_esc(h->name) : "-");
		printf("  %s", cli_esc(h->type_name));
		printf("  %s", h->date ? cli_esc(h->date) : "-");
		printf("  %s%s", *h->dossier ? cli_esc(h->dossier) : "-",
		    h->fuzzy ? "  ~ near spelling" : "");
		if (verbose > 0)
			printf("  (%s, score %.2f)", h->match ?
			    sohoa_search_match_name(h->match) : "listed",
			    h->score);
		printf("\n    %s\n", bold ? bold_snippet(h->snippet, &snip) :
		    cli_esc(h->snippet));
	}
	sohoa_buf_release(&snip);
	if (fflush(stdout) != 0) {
		cli_error("cannot write to standard output: %s",
		    strerror(errno));
		return EXIT_FAILED;
	}
	return EXIT_DONE;
}

int cmd_search(int argc, char **argv, struct cli *cli);

int
cmd_search(int argc, char **argv, struct cli *cli)
{
	struct sohoa_search_opts opts;
	struct sohoa_search_field *fields = NULL;
	struct sohoa_search_result *res = NULL;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf query = SOHOA_BUF_INIT;
	struct cli_parser p;
	char *kv, *eq;
	int i, c, json = 0, rc = EXIT_FAILED;

	memset(&opts, 0, sizeof(opts));
	fields = calloc((size_t)argc + 1, sizeof(*fields));
	if (fields == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_NO_FUZZY:
			opts.flags |= SOHOA_SEARCH_NO_FUZZY;
			break;
		case OPT_RANK_ALL:
			opts.rank_cap = INT_MAX;
			break;
		case OPT_TYPE:
			opts.doc_type = p.arg;
			break;
		case OPT_DOSSIER:
			opts.dossier = p.arg;
			break;
		case OPT_FROM:
			opts.date_from = p.arg;
			break;
		case OPT_TO:
			opts.date_to = p.arg;
			break;
		case 'n':
			if ((rc = cli_opt_int(&p, 1, SOHOA_SEARCH_LIMIT_MAX,
			    &opts.limit)) != 0)
				goto out;
			break;
		case OPT_FIELD:
			/* split in place: argv is ours to modify */
			kv = (char *)p.arg;
			eq = strchr(kv, '=');
			if (eq == NULL || eq == kv) {
				rc = cli_usage(cli, "option '%s' needs "
				    "KEY=VALUE, not '%s'", p.opt, p.arg);
				goto out;
			}
			*eq = '\0';
			fields[opts.nfields].key = kv;
			fields[opts.nfields].value = eq + 1;
			opts.nfields++;
			break;
		default:
			rc = p.status;
			goto out;
		}
	}
	for (i = 0; i < p.argc; i++)
		if ((query.len > 0 && sohoa_buf_addch(&query, ' ') !=
		    SOHOA_OK) || sohoa_buf_adds(&query, p.argv[i]) !=
		    SOHOA_OK) {
			cli_error("out of memory");
			rc = EXIT_FAILED;
			goto out;
		}
	opts.fields = fields;
	opts.query = query.buf;
	if (json) {
		opts.hl_open = "«";
		opts.hl_close = "»";
	} else if (isatty(STDOUT_FILENO)) {
		opts.hl_open = MARK_OPEN;
		opts.hl_close = MARK_CLOSE;
	}
	if (query.len == 0 && opts.doc_type == NULL && opts.dossier == NULL &&
	    opts.date_from == NULL && opts.date_to == NULL &&
	    opts.nfields == 0) {
		rc = cli_usage(cli, "missing QUERY (or a filter: --type, "
		    "--dossier, --from, --to, --field)");
		goto out;
	}
	/* read-only: searching must never wait for, or block, an ingest */
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK) {
		rc = cli_fail(cli, NULL);
		goto out;
	}
	if (sohoa_search(a, &opts, &res) !=
	    SOHOA_OK) {
		rc = cli_fail(cli, "cannot search");
		goto out;
	}
	rc = json ? print_json(res) : print_text(res, opts.hl_open != NULL,
	    cli->verbosity);
	if (res->nhits == 0)
		cli_info(cli, "no documents match");
	if (res->corrected != NULL)
		cli_info(cli, "few exact matches; also tried near spellings: %s",
		    res->corrected);
	if (res->capped)
		cli_info(cli, "more than %d documents match; only the %d most "
		    "recent were ranked (add words or filters, or use "
		    "--rank-all)", SOHOA_SEARCH_RANK_CAP,
		    SOHOA_SEARCH_RANK_CAP);
out:
	sohoa_search_result_destroy(&res);
	sohoa_archive_close(&a);
	sohoa_buf_release(&query);
	free(fields);
	return rc;
}
