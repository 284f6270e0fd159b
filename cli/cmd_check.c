/*
 * sohoa check: fixity of the whole archive, and its repair from good
 * copies (scans, bundles).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

enum { OPT_REPAIR = CLI_OPT_LONG, OPT_FROM, OPT_JSON };

static const struct cli_opt options[] = {
	{ "repair", OPT_REPAIR, NULL, "mend what can be mended: the search index,\n"
	    "PDFs made again from the page images, blobs\n"
	    "restored from --from copies" },
	{ "from", OPT_FROM, "PATH", "a good copy to restore lost or damaged\n"
	    "files from: a scan, a folder of scans, or a bundle\n"
	    "(.zip, .tar) exported earlier; may be repeated" },
	{ "json", OPT_JSON, NULL, "print {\"ok\", \"integrity\", \"blobs\", \"bad\",\n"
	    "\"repaired\", \"index_fixed\", \"event\", \"problems\":\n"
	    "[{\"what\", \"sha256\", \"state\", \"repaired\"}]}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--repair [--from PATH]...] [--json]",
	"Check the whole archive: SQLite's integrity and foreign keys, the\n"
	"SHA-256 of every stored file (original scans, page images, hOCR, word\n"
	"boxes, PDFs) against its name, the search index against the documents,\n"
	"and a PDF for every document with page images.  The result is kept in\n"
	"the history as a fixity event ('sohoa audit').  With --repair, what\n"
	"can be mended is: the index is rebuilt, PDFs are made again, and a lost\n"
	"or damaged file is restored from a --from copy with the same SHA-256 (a\n"
	"damaged file is moved to store/damaged/, never deleted).  Re-ingesting\n"
	"a scan or importing a bundle also restores what they carry.\n",
	options,
	"Exit status: 0 everything is as it should be (after repair), 1 some-\n"
	"thing is wrong (the problems are listed), 2 usage, 130 interrupted.\n",
};

int cmd_check(int argc, char **argv, struct cli *cli);

static int
progress(void *arg, size_t done, size_t total)
{
	const struct cli *cli = arg;

	if (cli->tty && cli->verbosity >= 0 && (done % 64 == 0 || done == total))
		fprintf(stderr, "\rsohoa: checking files: %zu/%zu", done, total);
	return cli_interrupted != 0;
}

static int
is_bundle(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && (strcmp(path + n - 4, ".zip") == 0 ||
	    strcmp(path + n - 4, ".tar") == 0));
}

/* Restore what bundles among SOURCES carry; a first, unrecorded check. */
static int
heal_from_bundles(struct cli *cli, struct sohoa_archive *a,
    const char **sources, size_t n)
{
	struct sohoa_check_result first;
	struct sohoa_bundle *b = NULL;
	size_t i, healed;
	int rc = SOHOA_OK, any = 0;

	for (i = 0; i < n; i++)
		any |= is_bundle(sources[i]);
	if (!any)
		return SOHOA_OK;
	memset(&first, 0, sizeof(first));
	rc = sohoa_records_check(a, SOHOA_CHECK_NO_EVENT, NULL, 0, NULL, NULL,
	    &first);
	for (i = 0; rc == SOHOA_OK && i < n && first.bad > 0; i++) {
		if (!is_bundle(sources[i]))
			continue;
		rc = sohoa_bundle_open(cli->ctx, sources[i], NULL, NULL, &b);
		if (rc == SOHOA_OK)
			rc = sohoa_bundle_heal(a, b, &first, &healed);
		if (rc == SOHOA_OK && healed)
			cli_info(cli, "restored %zu files from '%s'", healed,
			    cli_esc(sources[i]));
		sohoa_bundle_close(&b);
	}
	sohoa_check_result_release(&first);
	return rc;
}

int
cmd_check(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_check_result r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct cli_parser p;
	const char **from = NULL, **v;
	size_t nfrom = 0, i;
	unsigned flags = 0;
	int json = 0, c, rc, ret = EXIT_FAILED;

	memset(&r, 0, sizeof(r));
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_REPAIR:
			flags |= SOHOA_CHECK_REPAIR;
			break;
		case OPT_FROM:
			v = realloc(from, (nfrom + 1) * sizeof(*from));
			if (v == NULL) {
				free((void *)from);
				cli_error("out of memory");
				return EXIT_FAILED;
			}
			from = v;
			from[nfrom++] = p.arg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			free((void *)from);
			return p.status;
		}
	}
	if (cli_operands(&p, 0, 0, "") != 0) {
		free((void *)from);
		return EXIT_USAGE;
	}
	if (nfrom > 0 && !(flags & SOHOA_CHECK_REPAIR)) {
		free((void *)from);
		return cli_usage(cli, "--from only makes sense with --repair");
	}
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, cli_who(), "cli") != SOHOA_OK)
		goto fail;
	/* repairs write: one writer at a time, as ingest and import */
	if ((flags & SOHOA_CHECK_REPAIR) && sohoa_archive_lock(a) != SOHOA_OK)
		goto fail;
	if ((flags & SOHOA_CHECK_REPAIR) &&
	    heal_from_bundles(cli, a, from, nfrom) != SOHOA_OK)
		goto fail;
	rc = sohoa_records_check(a, flags, from, nfrom,
	    progress, cli, &r);
	if (cli->tty && cli->verbosity >= 0)
		fputc('\n', stderr);
	if (rc == SOHOA_ERR_CANCELLED) {
		cli_error("interrupted: nothing was recorded");
		ret = EXIT_INTERRUPTED;
		goto out;
	}
	if (rc != SOHOA_OK)
		goto fail;
	if (json) {
		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "ok");
		sohoa_json_bool(&j, r.ok);
		sohoa_json_key(&j, "integrity");
		sohoa_json_str(&j, r.db.integrity);
		sohoa_json_key(&j, "blobs");
		sohoa_json_int(&j, (long long)r.blobs);
		sohoa_json_key(&j, "bad");
		sohoa_json_int(&j, (long long)r.bad);
		sohoa_json_key(&j, "repaired");
		sohoa_json_int(&j, (long long)r.repaired);
		sohoa_json_key(&j, "index_fixed");
		sohoa_json_int(&j, r.db.fts_fixed);
		sohoa_json_key(&j, "event");
		sohoa_json_int(&j, r.event_id);
		sohoa_json_key(&j, "problems");
		sohoa_json_arr_open(&j);
		for (i = 0; i < r.nproblems; i++) {
			sohoa_json_obj_open(&j);
			sohoa_json_key(&j, "what");
			sohoa_json_str(&j, r.problems[i].what);
			sohoa_json_key(&j, "sha256");
			sohoa_json_str(&j, r.problems[i].sha256);
			sohoa_json_key(&j, "state");
			sohoa_json_str(&j, r.problems[i].state ==
			    SOHOA_BLOB_DAMAGED ? "damaged" : "missing");
			sohoa_json_key(&j, "repaired");
			sohoa_json_bool(&j, r.problems[i].repaired);
			sohoa_json_obj_close(&j);
		}
		sohoa_json_arr_close(&j);
		sohoa_json_obj_close(&j);
		if (cli_print(&out) != EXIT_DONE)
			goto out;
	} else {
		printf("database: %s; foreign keys: %s; search index: %s\n",
		    cli_esc(r.db.integrity), r.db.foreign_keys ? "BROKEN" : "ok",
		    r.db.fts_ok && !r.db.fts_missing && !r.db.fts_stale ? "ok" :
		    r.db.fts_fixed ? "mended" : "out of step");
		printf("files: %zu checked, %zu missing or damaged, %zu"
		    " restored\n", r.blobs, r.bad, r.repaired);
		for (i = 0; i < r.nproblems; i++)
			printf("  %s %s%s%s\n", r.problems[i].repaired ?
			    "restored" : r.problems[i].state == SOHOA_BLOB_DAMAGED ?
			    "DAMAGED " : "MISSING ", cli_esc(r.problems[i].what),
			    r.problems[i].sha256 ? "  " : "",
			    r.problems[i].sha256 ? r.problems[i].sha256 : "");
		printf("%s (recorded as #%lld)\n", r.ok ? "the archive is sound" :
		    (flags & SOHOA_CHECK_REPAIR) ? "not everything could be"
		    " mended: give a good copy with --from" :
		    "problems found: 'sohoa check --repair [--from COPY]'",
		    (long long)r.event_id);
	}
	ret = r.ok ? EXIT_DONE : EXIT_FAILED;
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_check_result_release(&r);
	sohoa_buf_release(&out);
	sohoa_archive_close(&a);
	free((void *)from);
	return ret;
}
