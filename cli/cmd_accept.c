/*
 * sohoa accept: a clerk looked at flagged values and they are right as
 * read.  The flags go and the acceptance is in the history.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

enum { OPT_WHO = CLI_OPT_LONG };

static const struct cli_opt options[] = {
	{ "who", OPT_WHO, "NAME", "who accepts (default $SOHOA_USER, else\n"
	    "$USER, else 'unknown')" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--who NAME] DOC_ID KEY...",
	"Say that the flagged fields KEY of document DOC_ID are right as they\n"
	"were read: they are no longer flagged for review ('sohoa status'), and\n"
	"who accepted them and when is kept in the history ('sohoa history').\n"
	"All the keys are accepted together or none is.  To change a value, use\n"
	"'sohoa set'.\n",
	options,
	"Exit status: 0 done, 1 failed (nothing changed), 2 usage.\n",
};

int64_t cli_parse_doc_id(const char *s);

int cmd_accept(int argc, char **argv, struct cli *cli);

int
cmd_accept(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct cli_parser p;
	const char *who = NULL;
	int64_t id;
	int c, i, rc, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_WHO:
			who = p.arg;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 2, -1, "DOC_ID KEY") != 0)
		return EXIT_USAGE;
	id = cli_parse_doc_id(p.argv[0]);
	if (id == 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    cli_esc(p.argv[0]));
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, who && *who ? who : cli_who(), "cli")
	    != SOHOA_OK || sohoa_archive_begin(a) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	for (i = 1, rc = SOHOA_OK; i < p.argc && rc == SOHOA_OK; i++)
		rc = sohoa_records_field_accept(a, id, p.argv[i]);
	rc = sohoa_archive_end(a, rc);
	if (rc != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	for (i = 1; i < p.argc; i++)
		printf("document %lld: %s accepted as read\n", (long long)id,
		    cli_esc(p.argv[i]));
	ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
out:
	sohoa_archive_close(&a);
	return ret;
}
