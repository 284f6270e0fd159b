/*
 * sohoa init: create an archive (DIR/sohoa.db and DIR/store/).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sohoa/archive.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa init [--archive DIR]\n"
"\n"
"Create an archive in DIR (default $SOHOA_ARCHIVE, else ./archive): the\n"
"database sohoa.db and the content store store/.  Running it on an\n"
"existing archive changes nothing.\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage.\n";

int cmd_init(int argc, char **argv, struct cli *cli);

int
cmd_init(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_buf db = SOHOA_BUF_INIT;
	struct stat st;
	int existed, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		}
		cli_error("unexpected argument '%s'", argv[i]);
		return cli_usage(usage_text);
	}
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
	fprintf(stderr, "sohoa: %s archive in '%s'\n",
	    existed ? "existing" : "created", cli->archive);
	return EXIT_DONE;
}
