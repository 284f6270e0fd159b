/*
 * sohoa merge: shard archives of a cluster run into one archive
 * (cluster/merge.c does the work).  The same name joins two documents
 * ('sohoa merge DOC_ID OTHER_ID', cli/cmd_reorg.c): operands that are all
 * document ids mean that; folders are shards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/cluster.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

int64_t cli_parse_doc_id(const char *s);
int cmd_merge(int argc, char **argv, struct cli *cli);
int cmd_merge_documents(int argc, char **argv, struct cli *cli);

enum { OPT_JSON = CLI_OPT_LONG, OPT_DOCTYPES };

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "print what was merged as JSON on stdout:\n"
	    "shards, changed, files, documents, updated, pages,\n"
	    "copies_skipped, events, conflicts, failures" },
	{ "doctypes", OPT_DOCTYPES, "DIR", "document type rules, those the"
	    " shards were\ningested with (default: $SOHOA_DOCTYPES or the\n"
	    "built-in ones): a document whose files the\n"
	    "merge puts together otherwise than its shard\n"
	    "did has its fields read again" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--json] [--doctypes DIR] SHARD...\n"
	"       sohoa merge [--archive DIR] [--who NAME] DOC_ID OTHER_ID",
	"Merge the shard archives SHARD... of a cluster run (made by 'sohoa\n"
	"ingest --shard K/N', see 'sohoa cluster') into the archive, which is\n"
	"created when missing.  Nothing is written until every shard passed its\n"
	"checks: locked (an ingest still writing it is refused), finished, of\n"
	"the same run as the others (same N, same input), its database sound,\n"
	"and every blob its rows name read back against its SHA-256.  Then all\n"
	"of it goes in one transaction, the shards' files in the order of the\n"
	"input, so that documents get the ids and numbers one 'sohoa ingest' of\n"
	"the same input would have given them: dossiers split across shards are\n"
	"joined, a copy of a scan met earlier is skipped, and corrections made\n"
	"in a shard come with their history (a value the archive has changed\n"
	"since is kept, as 'sohoa import' keeps it).  Merging the same shards\n"
	"again changes nothing.  Give all the shards of a run in one merge:\n"
	"shards merged later are added after what the archive holds, as a later\n"
	"ingest would add them.\n"
	"\n"
	"With two document ids instead, append the pages of document OTHER_ID\n"
	"to document DOC_ID (a document scanned as two); --who NAME says who\n"
	"(default $SOHOA_USER, else $USER).  A shard folder named like a number\n"
	"is given as ./12.\n",
	options,
	"Exit status: 0 done (or nothing to merge), 1 a shard was refused or the\n"
	"merge failed (nothing was merged), 2 usage, 130 stopped by Ctrl-C\n"
	"(nothing was merged).\n",
};

/* The operands are all document ids: the other 'merge'. */
static int
names_documents(int argc, char **argv)
{
	int i, n = 0, ids = 0, opts = 1;

	for (i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (opts && argv[i][0] == '-' && argv[i][1] != '\0') {
			if (strcmp(argv[i], "--who") == 0 ||
			    strcmp(argv[i], "--archive") == 0)
				i++;	/* its value */
			continue;
		}
		n++;
		ids += cli_parse_doc_id(argv[i]) != 0;
	}
	return n > 0 && ids == n;
}

struct prog {
	struct cli *cli;
	int last;
};

static int
on_progress(void *arg, const struct sohoa_merge_progress *p)
{
	struct prog *pr = arg;
	int pct;

	if (cli_interrupted)
		return 1;
	if (p->shard != NULL) {
		cli_info(pr->cli, "checking shard '%s'", cli_esc(p->shard));
		return 0;
	}
	pct = p->total > 0 ? (int)(100 * p->done / p->total) : 100;
	if (pct / 10 != pr->last / 10 || p->done == p->total) {
		cli_info(pr->cli, "merged %zu of %zu files (%d%%)", p->done,
		    p->total, pct);
		pr->last = pct;
	}
	return 0;
}

static void
result_json(const struct sohoa_merge_result *r, struct sohoa_buf *out)
{
	struct sohoa_json j;

	sohoa_json_init(&j, out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "shards");
	sohoa_json_int(&j, (long long)r->shards);
	sohoa_json_key(&j, "changed");
	sohoa_json_bool(&j, r->changed);
	sohoa_json_key(&j, "files");
	sohoa_json_int(&j, (long long)r->files);
	sohoa_json_key(&j, "documents");
	sohoa_json_int(&j, (long long)r->documents);
	sohoa_json_key(&j, "updated");
	sohoa_json_int(&j, (long long)r->updated);
	sohoa_json_key(&j, "pages");
	sohoa_json_int(&j, (long long)r->pages);
	sohoa_json_key(&j, "copies_skipped");
	sohoa_json_int(&j, (long long)r->copies);
	sohoa_json_key(&j, "events");
	sohoa_json_int(&j, (long long)r->events);
	sohoa_json_key(&j, "conflicts");
	sohoa_json_int(&j, (long long)r->conflicts);
	sohoa_json_key(&j, "failures");
	sohoa_json_int(&j, (long long)r->failures);
	sohoa_json_obj_close(&j);
}

int
cmd_merge(int argc, char **argv, struct cli *cli)
{
	struct sohoa_merge_result res;
	struct sohoa_merge_opts opts;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct cli_parser p;
	struct prog pr;
	const char *doctypes = NULL;
	int json = 0, c, rc, ret = EXIT_FAILED;

	if (names_documents(argc, argv))
		return cmd_merge_documents(argc, argv, cli);
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_DOCTYPES:
			doctypes = p.arg;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, -1, "SHARD (shard archives to merge, or"
	    " DOC_ID OTHER_ID)") != 0)
		return EXIT_USAGE;
	memset(&res, 0, sizeof(res));
	memset(&pr, 0, sizeof(pr));
	pr.cli = cli;
	pr.last = -1;
	memset(&opts, 0, sizeof(opts));
	opts.progress = on_progress;
	opts.arg = &pr;
	opts.doctypes = doctypes;
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_CREATE,
	    &a) != SOHOA_OK || sohoa_archive_set_actor(a, cli_who(), "cli") !=
	    SOHOA_OK)
		goto fail;
	rc = sohoa_cluster_merge(a, (const char *const *)p.argv,
	    (size_t)p.argc, &opts, &res);
	if (rc != SOHOA_OK)
		goto fail;
	if (!res.changed)
		cli_info(cli, "nothing to merge: '%s' has all of these shards"
		    " already", cli_esc(cli->archive));
	else
		cli_info(cli, "merged %zu shard%s into '%s': %zu files, %zu"
		    " documents, %zu pages outside documents, %zu copies"
		    " skipped, %zu history entries, %zu values kept",
		    res.shards, res.shards == 1 ? "" : "s",
		    cli_esc(cli->archive), res.files, res.documents, res.pages,
		    res.copies, res.events, res.conflicts);
	ret = EXIT_DONE;
	if (json) {
		result_json(&res, &out);
		ret = cli_print(&out);
	}
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_archive_close(&a);
	sohoa_buf_release(&out);
	return ret;
}
