/*
 * sohoa pdf: write (or rewrite) a stored document's two-layer PDF/A-2b
 * from its page view images and word boxes in the archive, store it in
 * the content store and record it on the document.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/archive.h"
#include "sohoa/page.h"
#include "sohoa/pdf.h"
#include "sohoa/history.h"
#include "sohoa/records.h"
#include "cli.h"
#include "opt.h"

enum { OPT_FORCE = CLI_OPT_LONG };

static const struct cli_opt options[] = {
	{ "output", 'o', "OUT.pdf", "also write the PDF to OUT.pdf (never inside\n"
	    "the archive)" },
	{ "force", OPT_FORCE, NULL, "replace OUT.pdf when it exists" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [-o OUT.pdf] DOC_ID",
	"Write document DOC_ID's archival PDF: a two-layer PDF/A-2b (each page's\n"
	"colour view image under an invisible OCR text layer), stored in the\n"
	"archive and recorded on the document.  With -o, also write it to OUT.pdf.\n"
	"The file is not signed; sign it with 'sohoa sign-pdf' or export with\n"
	"--sign-pdfs.\n",
	options,
	"Prints the PDF's SHA-256 on stdout.\n"
	"Exit status: 0 done, 1 failed, 2 usage, 130 stopped by Ctrl-C.\n",
};

int cmd_pdf(int argc, char **argv, struct cli *cli);

int
cmd_pdf(int argc, char **argv, struct cli *cli)
{
	const char *out = NULL, *idarg;
	struct cli_parser p;
	struct sohoa_archive *a = NULL;
	char sha[SOHOA_SHA256_HEX];
	int64_t id;
	char *end;
	unsigned flags = 0;
	int c, rc;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		if (c == 'o')
			out = p.arg;
		else if (c == OPT_FORCE)
			flags |= SOHOA_OUTPUT_FORCE;
		else
			return p.status;
	}
	if (cli_operands(&p, 1, 1, "DOC_ID") != 0)
		return EXIT_USAGE;
	idarg = p.argv[0];
	errno = 0;
	id = strtoll(idarg, &end, 10);
	if (errno || *end || id <= 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    idarg);
	rc = sohoa_archive_open(cli->ctx, cli->archive, 0, &a);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_set_actor(a, cli_who(), "cli");
	if (rc == SOHOA_OK)
		rc = sohoa_records_pdf(a, id, out, flags, sha);
	if (rc == SOHOA_OK && sha[0] == '\0')
		rc = sohoa_set_error(cli->ctx, SOHOA_ERR_NOTFOUND, "document"
		    " %" PRId64 " has no page image to make a PDF of", id);
	sohoa_archive_close(&a);
	if (rc != SOHOA_OK)
		return cli_fail(cli, "cannot write the PDF");
	printf("%s\n", sha);
	cli_info(cli, "document %" PRId64 ": PDF %s%s%s", id, sha,
	    out ? " written to " : "", out ? cli_esc(out) : "");
	return EXIT_DONE;
}
