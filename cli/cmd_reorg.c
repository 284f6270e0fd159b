/*
 * Reorganising without losing anything: sohoa move, split, merge,
 * delete, restore, purge and undo.  Each is one call of the library,
 * recorded in the history with who made it; 'sohoa undo' takes any of
 * them back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

int64_t cli_parse_doc_id(const char *s);

enum { OPT_WHO = CLI_OPT_LONG, OPT_WHY, OPT_YES };

static const struct cli_opt who_opt[] = {
	{ "who", OPT_WHO, "NAME", "who makes the change (default $SOHOA_USER,\n"
	    "else $USER, else 'unknown')" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_opt delete_opts[] = {
	{ "why", OPT_WHY, "TEXT", "why it is deleted (required; kept in the\n"
	    "history)" },
	{ "who", OPT_WHO, "NAME", "who deletes it (default $SOHOA_USER, else\n"
	    "$USER, else 'unknown')" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_opt purge_opts[] = {
	{ "yes", OPT_YES, NULL, "really remove it (required)" },
	{ "who", OPT_WHO, "NAME", "who purges it (default $SOHOA_USER, else\n"
	    "$USER, else 'unknown')" },
	{ NULL, 0, NULL, NULL }
};

static const char exit_text[] =
	"Exit status: 0 done, 1 failed (nothing changed), 2 usage.\n";

static const struct cli_help move_help = {
	"[--archive DIR] [--who NAME] DOC_ID DOSSIER",
	"Move document DOC_ID to dossier DOSSIER (created when missing), after\n"
	"its documents.  Recorded in the history; 'sohoa undo' moves it back.\n",
	who_opt, exit_text,
};

static const struct cli_help split_help = {
	"[--archive DIR] [--who NAME] DOC_ID PAGE",
	"Split document DOC_ID before its page PAGE (1-based, 2 or more): those\n"
	"pages become a new document, numbered right after it, whose type and\n"
	"fields are read from its pages.  Both PDFs are made again.  The new\n"
	"document's id is printed.  Recorded; 'sohoa undo' joins them again.\n",
	who_opt, exit_text,
};

static const struct cli_help merge_help = {
	"[--archive DIR] [--who NAME] DOC_ID OTHER_ID",
	"Append the pages of document OTHER_ID to document DOC_ID (a document\n"
	"scanned as two).  OTHER_ID's fields that DOC_ID lacks come along; the\n"
	"rest of OTHER_ID is kept, deleted, for 'sohoa undo' to bring back.\n",
	who_opt, exit_text,
};

static const struct cli_help delete_help = {
	"[--archive DIR] [--who NAME] --why TEXT DOC_ID",
	"Delete document DOC_ID: it leaves lists, search and exports, but its\n"
	"pages, fields and history stay (a tombstone with who, when and why).\n"
	"'sohoa undelete' brings it back; only 'sohoa purge' removes it.\n",
	delete_opts, exit_text,
};

static const struct cli_help restore_help = {
	"[--archive DIR] [--who NAME] DOC_ID",
	"Bring back deleted document DOC_ID, at its number in its dossier when\n"
	"that is free, else after the others.  Recorded in the history.\n",
	who_opt, exit_text,
};

static const struct cli_help purge_help = {
	"[--archive DIR] [--who NAME] --yes DOC_ID",
	"Remove deleted document DOC_ID for good: its fields and its row go,\n"
	"its pages stay with their scanned file, and the history keeps that it\n"
	"was purged, by whom.  Only a deleted document can be purged; this\n"
	"cannot be undone.  For an administrator.\n",
	purge_opts, exit_text,
};

static const struct cli_help undo_help = {
	"[--archive DIR] [--who NAME] EVENT",
	"Undo change #EVENT of the history ('sohoa history DOC_ID' numbers\n"
	"them): a correction, an accepted value, a type change, a move, a\n"
	"deletion, a restore, a split or a merge.  Refused when the record\n"
	"changed since (undo the later change first).  The undo is itself\n"
	"recorded.\n",
	who_opt, exit_text,
};

enum verb { MOVE, SPLIT, MERGE, DELETE, RESTORE, PURGE, UNDO };

static int
run(int argc, char **argv, struct cli *cli, enum verb v,
    const struct cli_help *help, int nargs, const char *what)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_doctypes *dt = NULL;
	struct cli_parser p;
	const char *who = NULL, *why = NULL;
	int64_t id, other = 0;
	long page = 0;
	char *end;
	int yes = 0, c, rc, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_WHO:
			who = p.arg;
			break;
		case OPT_WHY:
			why = p.arg;
			break;
		case OPT_YES:
			yes = 1;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, nargs, nargs, what) != 0)
		return EXIT_USAGE;
	id = cli_parse_doc_id(p.argv[0]);
	if (id == 0)
		return cli_usage(cli, "'%s' is not %s (a number)",
		    cli_esc(p.argv[0]), v == UNDO ? "a change's number" :
		    "a document id");
	if (v == SPLIT) {
		page = strtol(p.argv[1], &end, 10);
		if (*end != '\0' || page < 2 || page > 100000)
			return cli_usage(cli, "'%s' is not a page number (2 or"
			    " more)", cli_esc(p.argv[1]));
	}
	if (v == MERGE && (other = cli_parse_doc_id(p.argv[1])) == 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    cli_esc(p.argv[1]));
	if (v == DELETE && (why == NULL || *why == '\0'))
		return cli_usage(cli, "say why with --why TEXT");
	if (v == PURGE && !yes)
		return cli_usage(cli, "purging cannot be undone: add --yes");
	if (v == SPLIT && sohoa_doctypes_load(cli->ctx, NULL, &dt) != SOHOA_OK)
		goto fail;
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, who && *who ? who : cli_who(), "cli") !=
	    SOHOA_OK)
		goto fail;
	switch (v) {
	case MOVE:
		rc = sohoa_archive_document_move(a, id, p.argv[1]);
		break;
	case SPLIT:
		rc = sohoa_records_split(a, dt, id, (int)page - 1, &other);
		break;
	case MERGE:
		rc = sohoa_records_merge(a, id, other);
		break;
	case DELETE:
		rc = sohoa_archive_document_delete(a, id, why);
		break;
	case RESTORE:
		rc = sohoa_archive_document_restore(a, id);
		break;
	case PURGE:
		rc = sohoa_archive_document_purge(a, id);
		break;
	default:
		rc = sohoa_records_undo(a, id);
		break;
	}
	if (rc != SOHOA_OK)
		goto fail;
	switch (v) {
	case MOVE:
		printf("document %lld moved to dossier '%s'\n", (long long)id,
		    cli_esc(p.argv[1]));
		break;
	case SPLIT:
		printf("%lld\n", (long long)other);
		cli_info(cli, "document %lld split before page %ld: pages %ld on"
		    " are document %lld", (long long)id, page, page,
		    (long long)other);
		break;
	case MERGE:
		printf("document %lld merged into document %lld\n",
		    (long long)other, (long long)id);
		break;
	case DELETE:
		printf("document %lld deleted ('sohoa undelete %lld' brings it"
		    " back)\n", (long long)id, (long long)id);
		break;
	case RESTORE:
		printf("document %lld restored\n", (long long)id);
		break;
	case PURGE:
		printf("document %lld purged\n", (long long)id);
		break;
	default:
		printf("#%lld undone\n", (long long)id);
		break;
	}
	ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	goto out;
fail:
	ret = cli_fail(cli, NULL);
out:
	sohoa_doctypes_destroy(&dt);
	sohoa_archive_close(&a);
	return ret;
}

int cmd_move(int argc, char **argv, struct cli *cli);
int cmd_split(int argc, char **argv, struct cli *cli);
int cmd_merge_documents(int argc, char **argv, struct cli *cli);
int cmd_delete(int argc, char **argv, struct cli *cli);
int cmd_undelete(int argc, char **argv, struct cli *cli);
int cmd_purge(int argc, char **argv, struct cli *cli);
int cmd_undo(int argc, char **argv, struct cli *cli);

int
cmd_move(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, MOVE, &move_help, 2, "DOC_ID DOSSIER");
}

int
cmd_split(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, SPLIT, &split_help, 2, "DOC_ID PAGE");
}

/* 'sohoa merge DOC_ID OTHER_ID' (cli/cmd_merge.c sends it here) */
int
cmd_merge_documents(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, MERGE, &merge_help, 2, "DOC_ID OTHER_ID");
}

int
cmd_delete(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, DELETE, &delete_help, 1, "DOC_ID");
}

int
cmd_undelete(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, RESTORE, &restore_help, 1, "DOC_ID");
}

int
cmd_purge(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, PURGE, &purge_help, 1, "DOC_ID");
}

int
cmd_undo(int argc, char **argv, struct cli *cli)
{
	return run(argc, argv, cli, UNDO, &undo_help, 1, "EVENT");
}
