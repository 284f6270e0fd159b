/*
 * sohoa sheet: print a separator sheet, the page a clerk puts in front
 * of a dossier (or between documents) in the scanner's feeder.  The
 * sheet is drawn by pipeline/barcode.c and written as a one-page PDF by
 * the project's PDF writer (pdf/write.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

#include "sohoa/barcode.h"
#include "sohoa/pdf.h"
#include "sohoa/tmp.h"
#include "sohoa/utf8.h"
#include "cli.h"
#include "opt.h"

enum { OPT_DOSSIER = CLI_OPT_LONG, OPT_SPLIT, OPT_FORCE };

static const struct cli_opt options[] = {
	{ "dossier", OPT_DOSSIER, "ID", "a dossier sheet: the pages after it"
	    " go to\ndossier ID" },
	{ "split", OPT_SPLIT, NULL, "a split sheet: a new document starts "
	    "after it" },
	{ "output", 'o', "FILE", "the PDF to write (required)" },
	{ "force", OPT_FORCE, NULL, "replace FILE if it exists" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"(--dossier ID | --split) -o FILE [--force]",
	"Write a separator sheet as a one-page PDF (A4): a large QR code saying\n"
	"SOHOA:DOSSIER=ID or SOHOA:SPLIT, and what it says in plain letters.\n"
	"Print it, put it in front of a dossier's papers (or between two\n"
	"documents) in the scanner's feeder: 'sohoa ingest' and 'sohoa watch'\n"
	"send the pages after a dossier sheet to dossier ID, start a new\n"
	"document after a split sheet, and store no document page for a sheet.\n"
	"The same sheet can be printed once and used again.\n",
	options,
	"Exit status: 0 written, 1 it could not be written, 2 usage.\n",
};

int cmd_sheet(int argc, char **argv, struct cli *cli);

int
cmd_sheet(int argc, char **argv, struct cli *cli)
{
	struct sohoa_buf data = SOHOA_BUF_INIT, caption = SOHOA_BUF_INIT;
	struct sohoa_buf id = SOHOA_BUF_INIT, prefix = SOHOA_BUF_INIT;
	struct sohoa_tmp png;
	struct sohoa_pdf_page page;
	struct sohoa_pdf_meta meta;
	struct cli_parser p;
	struct stat st;
	const char *out = NULL, *dossier = NULL;
	PIX *pix = NULL;
	int c, split = 0, force = 0, ret = EXIT_FAILED;

	sohoa_tmp_init(&png);
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_DOSSIER:
			dossier = p.arg;
			break;
		case OPT_SPLIT:
			split = 1;
			break;
		case 'o':
			out = p.arg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		default:
			ret = p.status;
			goto done;
		}
	}
	if ((ret = cli_operands(&p, 0, 0, NULL)) != 0)
		goto done;
	if ((dossier == NULL) == !split) {
		ret = cli_usage(cli, "give either --dossier ID or --split");
		goto done;
	}
	if (out == NULL || *out == '\0') {
		ret = cli_usage(cli, "give the PDF to write with -o FILE");
		goto done;
	}
	ret = EXIT_FAILED;
	if (dossier != NULL) {
		if (sohoa_utf8_nfc(dossier, strlen(dossier), &id) != SOHOA_OK ||
		    sohoa_buf_addf(&data, SOHOA_CODE_PREFIX "DOSSIER=%s",
		    id.buf) != SOHOA_OK)
			goto nomem;
		/* the code must read back as the same dossier */
		sohoa_buf_reset(&prefix);
		if (sohoa_barcode_separator(data.buf, &prefix) !=
		    SOHOA_SEPARATOR_DOSSIER || strcmp(prefix.buf, id.buf) != 0) {
			ret = cli_usage(cli, "'%s' cannot be a dossier code (empty,"
			    " spaces around it, or control characters)", dossier);
			goto done;
		}
		if (sohoa_buf_addf(&caption, "SOHOA - TỜ TÁCH HỒ SƠ\n"
		    "Hồ sơ: %s", id.buf) != SOHOA_OK)
			goto nomem;
	} else if (sohoa_buf_adds(&data, SOHOA_CODE_PREFIX "SPLIT") !=
	    SOHOA_OK || sohoa_buf_adds(&caption, "SOHOA - TỜ TÁCH TÀI LIỆU")
	    != SOHOA_OK) {
		goto nomem;
	}
	if (!force && lstat(out, &st) == 0) {
		cli_error("'%s' exists already (--force replaces it)", out);
		goto done;
	}
	if (sohoa_barcode_sheet(cli->ctx, data.buf, caption.buf, &pix) !=
	    SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto done;
	}
	sohoa_buf_reset(&prefix);
	if (sohoa_buf_addf(&prefix, "%s/sohoa-sheet-", sohoa_tmp_root()) !=
	    SOHOA_OK)
		goto nomem;
	if (sohoa_tmp_file(cli->ctx, prefix.buf, &png) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto done;
	}
	if (pixWrite(png.path.buf, pix, IFF_PNG) != 0) {
		cli_error("cannot write '%s': %s", png.path.buf, strerror(errno));
		goto done;
	}
	memset(&page, 0, sizeof(page));
	page.image_path = png.path.buf;
	page.image_type = "png";
	page.dpi = 300;
	memset(&meta, 0, sizeof(meta));
	meta.title = data.buf;
	meta.subject = "sohoa separator sheet";
	if (sohoa_pdf_write(cli->ctx, &page, 1, &meta, out) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto done;
	}
	cli_info(cli, "wrote '%s': %s", out, data.buf);
	ret = EXIT_DONE;
	goto done;
nomem:
	cli_error("out of memory");
done:
	sohoa_tmp_remove(&png);
	pixDestroy(&pix);
	sohoa_buf_release(&data);
	sohoa_buf_release(&caption);
	sohoa_buf_release(&id);
	sohoa_buf_release(&prefix);
	return ret;
}
