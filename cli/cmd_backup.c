/*
 * sohoa backup and sohoa restore: the whole archive in one checked file,
 * and back.
 */
#include <stdio.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

enum { OPT_FORCE = CLI_OPT_LONG, OPT_JSON };

static const struct cli_opt backup_opts[] = {
	{ "output", 'o', "FILE", "the backup file (required; never inside the\n"
	    "archive); it appears only when complete" },
	{ "force", OPT_FORCE, NULL, "replace FILE when it exists" },
	{ "json", OPT_JSON, NULL, "print {\"path\", \"sha256\", \"blobs\", \"bytes\"}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help backup_help = {
	"[--archive DIR] -o FILE [--force] [--json]",
	"Write the whole archive to FILE (a tar): a consistent copy of its\n"
	"database, taken while an ingest may go on writing, every stored file\n"
	"(scans, page images, PDFs) the copy names, and a SHA-256 manifest that\n"
	"'sha256sum -c' can check.  Every stored file is checked as it is\n"
	"copied: a damaged one stops the backup ('sohoa check --repair').\n"
	"Recorded in the history.  Bring it back with 'sohoa restore'.\n",
	backup_opts,
	"Exit status: 0 done, 1 failed (FILE is not written), 2 usage.\n",
};

static const struct cli_opt restore_opts[] = {
	{ "force", OPT_FORCE, NULL, "an archive already in DIR is moved aside\n"
	    "(DIR.before-restore-TIME), never deleted" },
	{ "json", OPT_JSON, NULL, "print {\"archive\", \"sha256\", \"blobs\",\n"
	    "\"aside\"}" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help restore_help = {
	"[--archive DIR] [--force] [--json] FILE",
	"Make the archive DIR again from the backup FILE ('sohoa backup').\n"
	"Nothing in FILE is trusted: only the names a backup has are taken,\n"
	"every stored file must match its SHA-256, the database must match the\n"
	"manifest, pass SQLite's integrity check and find every file it names;\n"
	"only then does the archive appear in DIR.\n",
	restore_opts,
	"Exit status: 0 done, 1 failed (DIR is left as it was), 2 usage.\n",
};

int cmd_backup(int argc, char **argv, struct cli *cli);
int cmd_restore_archive(int argc, char **argv, struct cli *cli);

int
cmd_backup(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_backup_result r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct cli_parser p;
	const char *file = NULL;
	unsigned flags = 0;
	int json = 0, c, ret = EXIT_FAILED;

	memset(&r, 0, sizeof(r));
	cli_parse_init(&p, cli, &backup_help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		if (c == 'o')
			file = p.arg;
		else if (c == OPT_FORCE)
			flags |= SOHOA_OUTPUT_FORCE;
		else if (c == OPT_JSON)
			json = 1;
		else
			return p.status;
	}
	if (cli_operands(&p, 0, 0, NULL) != 0)
		return EXIT_USAGE;
	if (file == NULL)
		return cli_usage(cli, "say where with -o FILE");
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, cli_who(), "cli") != SOHOA_OK ||
	    sohoa_records_backup(a, file, flags, &r) != SOHOA_OK) {
		ret = cli_fail(cli, "cannot back up");
		goto out;
	}
	if (json) {
		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "path");
		sohoa_json_str(&j, file);
		sohoa_json_key(&j, "sha256");
		sohoa_json_str(&j, r.sha256);
		sohoa_json_key(&j, "blobs");
		sohoa_json_int(&j, (long long)r.blobs);
		sohoa_json_key(&j, "bytes");
		sohoa_json_int(&j, (long long)r.bytes);
		sohoa_json_obj_close(&j);
		ret = cli_print(&out);
	} else {
		printf("wrote '%s': the database and %zu stored files, %llu"
		    " bytes, sha256 %s\n", cli_esc(file), r.blobs,
		    (unsigned long long)r.bytes, r.sha256);
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	}
out:
	sohoa_backup_result_release(&r);
	sohoa_buf_release(&out);
	sohoa_archive_close(&a);
	return ret;
}

int
cmd_restore_archive(int argc, char **argv, struct cli *cli)
{
	struct sohoa_backup_result r;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct cli_parser p;
	unsigned flags = 0;
	int json = 0, c, ret = EXIT_FAILED;

	memset(&r, 0, sizeof(r));
	cli_parse_init(&p, cli, &restore_help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		if (c == OPT_FORCE)
			flags |= SOHOA_OUTPUT_FORCE;
		else if (c == OPT_JSON)
			json = 1;
		else
			return p.status;
	}
	if (cli_operands(&p, 1, 1, "FILE (the backup)") != 0)
		return EXIT_USAGE;
	if (sohoa_records_restore(cli->ctx, p.argv[0], cli->archive, flags, &r)
	    != SOHOA_OK) {
		ret = cli_fail(cli, "cannot restore");
		goto out;
	}
	if (json) {
		sohoa_json_init(&j, &out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "archive");
		sohoa_json_str(&j, cli->archive);
		sohoa_json_key(&j, "sha256");
		sohoa_json_str(&j, r.sha256);
		sohoa_json_key(&j, "blobs");
		sohoa_json_int(&j, (long long)r.blobs);
		sohoa_json_key(&j, "aside");
		sohoa_json_str(&j, r.aside.len ? r.aside.buf : NULL);
		sohoa_json_obj_close(&j);
		ret = cli_print(&out);
	} else {
		if (r.aside.len)
			cli_info(cli, "the archive that was there is now in '%s'",
			    cli_esc(r.aside.buf));
		printf("restored '%s' into '%s': the database and %zu stored"
		    " files, all checked\n", cli_esc(p.argv[0]),
		    cli_esc(cli->archive), r.blobs);
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	}
out:
	sohoa_backup_result_release(&r);
	sohoa_buf_release(&out);
	return ret;
}
