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
#include "cli.h"

static const char usage_text[] =
"usage: sohoa search [--archive DIR] [--json] [--type T] [--dossier ID]\n"
"                    [--from DATE] [--to DATE] [--field KEY=VALUE]...\n"
"                    [--limit N] [--no-fuzzy] [--rank-all] QUERY...\n"
"\n"
"Search the text, titles and fields of the archive's documents.  Case and\n"
"diacritics do not matter ('nguyen van duc' finds 'Nguyễn Văn Đức'), but\n"
"words typed with diacritics rank documents spelt exactly so first.\n"
"\n"
"Query: words (all must appear), \"a phrase\", prefix*, a OR b, a AND b,\n"
"NOT a or -a, and parentheses.  Operators are upper case.  With no query,\n"
"the documents the filters keep are listed, newest first.  When a query\n"
"of plain words finds little, near spellings of name words are tried\n"
"too (OCR errors); those hits come last, marked '~'.\n"
"\n"
"  --json             print a JSON array of {doc_id, dossier, doc_type, date,\n"
"                     score, snippet}, best first (matches in «»)\n"
"  --type T           only documents of type T (birth, death, marriage...)\n"
"  --dossier ID       only documents of dossier ID (its code)\n"
"  --from DATE        only documents dated DATE or later (YYYY[-MM[-DD]])\n"
"  --to DATE          only documents dated DATE or earlier\n"
"  --field KEY=VALUE  only documents whose field KEY is VALUE (case and\n"
"                     diacritics ignored); may be repeated\n"
"  --limit N          at most N hits (default 20, at most 1000)\n"
"  --no-fuzzy         do not try near spellings\n"
"  --rank-all         rank every match; by default a query matching more\n"
"                     than 2000 documents ranks the 2000 most recent\n"
"                     (slow on a large archive)\n"
"\n"
"doc_id is what 'sohoa show' takes.\n"
"Exit status: 0 done (with or without hits), 1 failed, 2 usage.\n";

static int
opt_value(int argc, char **argv, int *pi, const char *name,
    const char **pval)
{
	size_t n = strlen(name);
	const char *a = argv[*pi];

	if (strcmp(a, name) == 0) {
		if (*pi + 1 >= argc) {
			cli_error("option '%s' needs a value", name);
			return -1;
		}
		*pval = argv[++*pi];
		return 1;
	}
	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*pval = a + n + 1;
		return 1;
	}
	return 0;
}

static int
print_json(const struct sohoa_search_result *r)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	const struct sohoa_search_hit *h;
	size_t i;
	int rc;

	sohoa_json_init(&j, &out, 0);
	sohoa_json_arr_open(&j);
	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "doc_id");
		sohoa_json_int(&j, h->doc_id);
		sohoa_json_key(&j, "dossier");
		sohoa_json_str(&j, h->dossier);
		sohoa_json_key(&j, "doc_type");
		sohoa_json_str(&j, h->doc_type);
		sohoa_json_key(&j, "date");
		sohoa_json_str(&j, h->date);
		sohoa_json_key(&j, "score");
		sohoa_json_num(&j, h->score);
		sohoa_json_key(&j, "exact");
		sohoa_json_int(&j, h->exact);
		sohoa_json_key(&j, "fuzzy");
		sohoa_json_bool(&j, h->fuzzy);
		sohoa_json_key(&j, "title");
		sohoa_json_str(&j, h->title);
		sohoa_json_key(&j, "snippet");
		sohoa_json_str(&j, h->snippet);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_arr_close(&j);
	if (j.rc != 0) {
		cli_error("cannot write the results: out of memory");
		rc = EXIT_FAILED;
	} else {
		rc = cli_print(&out);
	}
	sohoa_buf_release(&out);
	return rc;
}

static int
print_text(const struct sohoa_search_result *r)
{
	const struct sohoa_search_hit *h;
	size_t i;

	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		printf("%lld  %s  %s  %s  score %.2f%s\n    %s\n",
		    (long long)h->doc_id, *h->dossier ? h->dossier : "-",
		    h->doc_type, h->date ? h->date : "-", h->score,
		    h->fuzzy ? "  ~" : "", h->snippet);
	}
	if (fflush(stdout) != 0) {
		cli_error("cannot write to standard output: %s",
		    strerror(errno));
		return EXIT_FAILED;
	}
	return EXIT_DONE;
}

static int
parse_limit(const char *s, int *plimit)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 1 ||
	    v > SOHOA_SEARCH_LIMIT_MAX)
		return -1;
	*plimit = (int)v;
	return 0;
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
	const char *val;
	char *kv, *eq;
	int i, json = 0, r, rc = EXIT_FAILED, dashdash = 0;

	memset(&opts, 0, sizeof(opts));
	fields = calloc((size_t)argc + 1, sizeof(*fields));
	if (fields == NULL) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (dashdash || arg[0] != '-' || arg[1] == '\0' ||
		    (arg[1] != '-' && strcmp(arg, "-h") != 0)) {
			/* words; "-word" excludes a word, as in the query */
			if ((query.len > 0 && sohoa_buf_addch(&query,
			    ' ') != SOHOA_OK) ||
			    sohoa_buf_adds(&query, arg) != SOHOA_OK) {
				cli_error("out of memory");
				goto out;
			}
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = 1;
		} else if (strcmp(arg, "--help") == 0 ||
		    strcmp(arg, "-h") == 0) {
			fputs(usage_text, stdout);
			rc = EXIT_DONE;
			goto out;
		} else if (strcmp(arg, "--json") == 0) {
			json = 1;
		} else if (strcmp(arg, "--no-fuzzy") == 0) {
			opts.flags |= SOHOA_SEARCH_NO_FUZZY;
		} else if (strcmp(arg, "--rank-all") == 0) {
			opts.rank_cap = INT_MAX;
		} else if ((r = opt_value(argc, argv, &i, "--type",
		    &val)) != 0) {
			if (r < 0)
				goto usage;
			opts.doc_type = val;
		} else if ((r = opt_value(argc, argv, &i, "--dossier",
		    &val)) != 0) {
			if (r < 0)
				goto usage;
			opts.dossier = val;
		} else if ((r = opt_value(argc, argv, &i, "--from",
		    &val)) != 0) {
			if (r < 0)
				goto usage;
			opts.date_from = val;
		} else if ((r = opt_value(argc, argv, &i, "--to", &val)) != 0) {
			if (r < 0)
				goto usage;
			opts.date_to = val;
		} else if ((r = opt_value(argc, argv, &i, "--limit",
		    &val)) != 0) {
			if (r < 0)
				goto usage;
			if (parse_limit(val, &opts.limit) != 0) {
				cli_error("--limit must be a number from 1 "
				    "to %d", SOHOA_SEARCH_LIMIT_MAX);
				goto usage;
			}
		} else if ((r = opt_value(argc, argv, &i, "--field",
		    &val)) != 0) {
			if (r < 0)
				goto usage;
			/* split in place: argv is ours to modify */
			kv = (char *)val;
			eq = strchr(kv, '=');
			if (eq == NULL || eq == kv) {
				cli_error("--field needs KEY=VALUE, not "
				    "'%s'", val);
				goto usage;
			}
			*eq = '\0';
			fields[opts.nfields].key = kv;
			fields[opts.nfields].value = eq + 1;
			opts.nfields++;
		} else {
			cli_error("unknown option '%s'", arg);
			goto usage;
		}
	}
	opts.fields = fields;
	opts.query = query.buf;
	if (json) {
		opts.hl_open = "«";
		opts.hl_close = "»";
	} else if (isatty(STDOUT_FILENO)) {
		opts.hl_open = "\033[1m";
		opts.hl_close = "\033[0m";
	}
	if (query.len == 0 && opts.doc_type == NULL && opts.dossier == NULL &&
	    opts.date_from == NULL && opts.date_to == NULL &&
	    opts.nfields == 0)
		goto usage;
	/* read-only: searching must never wait for, or block, an ingest */
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK) {
		rc = cli_fail(cli, NULL);
		goto out;
	}
	if (sohoa_search(cli->ctx, sohoa_archive_db(a), &opts, &res) !=
	    SOHOA_OK) {
		rc = cli_fail(cli, "cannot search");
		goto out;
	}
	rc = json ? print_json(res) : print_text(res);
	if (res->nhits == 0)
		cli_error("no documents match");
	if (res->corrected != NULL)
		fprintf(stderr, "sohoa: few exact matches; also tried near "
		    "spellings: %s\n", res->corrected);
	if (res->capped)
		fprintf(stderr, "sohoa: more than %d documents match; only the "
		    "%d most recent were ranked (add words or filters, or "
		    "use --rank-all)\n", SOHOA_SEARCH_RANK_CAP,
		    SOHOA_SEARCH_RANK_CAP);
	goto out;
usage:
	rc = cli_usage(usage_text);
out:
	sohoa_search_result_destroy(&res);
	sohoa_archive_close(&a);
	sohoa_buf_release(&query);
	free(fields);
	return rc;
}
