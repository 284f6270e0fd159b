/*
 * sohoa init: create an archive (DIR/sohoa.db and DIR/store/).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sohoa/archive.h"
#include "cli.h"
#include "opt.h"

static const struct cli_help help = {
	"[--archive DIR]",
	"Create an archive in DIR (default $SOHOA_ARCHIVE, else ./archive): the\n"
	"database sohoa.db and the content store store/.  Running it on an\n"
	"existing archive changes nothing.\n",
	NULL,
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

int cmd_init(int argc, char **argv, struct cli *cli);

int
cmd_init(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_buf db = SOHOA_BUF_INIT;
	struct cli_parser p;
	struct stat st;
	int existed;

	cli_parse_init(&p, cli, &help, argc, argv);
	if (cli_parse(&p) != CLI_OPT_END)
		return p.status;
	if (cli_operands(&p, 0, 0, NULL) != 0)
		return EXIT_USAGE;
	if (sohoa_buf_addf(&db, "%s/sohoa.db", cli->archive) != SOHOA_OK) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	existed = stat(db.buf, &st) == 0;
	sohoa_buf_release(&db);
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_CREATE,
	    &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	sohoa_archive_close(&a);
	cli_info(cli, "%s archive in '%s'", existed ? "existing" : "created",
	    cli->archive);
	return EXIT_DONE;
}
