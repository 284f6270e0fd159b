/*
 * sohoa ingest: clean, OCR and store scanned pages (ingest/ingest.c does
 * the work; this file parses options and prints).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/ingest.h"
#include "sohoa/json.h"
#include "sohoa/utf8.h"
#include "cli.h"
#include "opt.h"
#include "progress.h"

enum { OPT_DOSSIER = CLI_OPT_LONG, OPT_JSON, OPT_LANG, OPT_DOCTYPES,
	OPT_PDF_TEXT, OPT_DOSSIER_FROM, OPT_SHARD };

static const struct cli_opt options[] = {
	{ "dossier", OPT_DOSSIER, "ID", "put every file in dossier ID" },
	{ "dossier-from", OPT_DOSSIER_FROM, "folder|sheet", "where a file's"
	    " documents go: its folder's\ndossier, a dossier sheet holding to"
	    " the end of\nits file (folder, the default); or the last\n"
	    "dossier sheet met in the folder, across files\n(sheet)" },
	{ "jobs", 'j', "N", "OCR worker threads (default: number of cores)" },
	{ "json", OPT_JSON, NULL,
	    "print a summary as JSON on stdout: files, pages\n"
	    "(read, failed ones included), pages_failed,\n"
	    "documents, skipped, blank, failed (pages, files\n"
	    "and documents), low_confidence, seconds,\n"
	    "pages_per_minute, separators, continued,\n"
	    "failures [{path, page, reason}] (page numbers\n"
	    "count from 1; page null for a whole file),\n"
	    "not_scans [{path, reason}]" },
	{ "lang", OPT_LANG, "L", "Tesseract languages (default vie)" },
	{ "pdf-text", OPT_PDF_TEXT, "ocr|keep", "a PDF page that has text"
	    " already: OCR it (ocr,\nthe default) or keep its text (keep;"
	    " needs\npdftotext)" },
	{ "doctypes", OPT_DOCTYPES, "DIR", "document type rules (default:"
	    " $SOHOA_DOCTYPES\nor the installed ones)" },
	{ "shard", OPT_SHARD, "K/N", "read only shard K of N of the input, for a\n"
	    "cluster (see 'sohoa cluster'): the files whose\n"
	    "path below the PATH they are found under hashes\n"
	    "to K; the archive is that shard's, for 'sohoa\n"
	    "merge'.  Exit status 0 once the shard is done,\n"
	    "even when some scans could not be read (they\n"
	    "are recorded, and merged with the rest)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--dossier ID]\n"
	"                    [--dossier-from folder|sheet] [--pdf-text ocr|keep]\n"
	"                    [-j N] [--json] [--lang L] [--doctypes DIR]\n"
	"                    [--shard K/N] PATH...",
	"Clean up, OCR and store every page of the scans in PATH: image files\n"
	"(TIFF incl. multi-page and G4, PNG, JPEG, PNM), scanners' PDFs and\n"
	"folders, walked in the order a scanner numbers files (scan2 before\n"
	"scan10).  In folders, a file is taken when its name or its first bytes\n"
	"say it is a scan; any other file, and hidden entries, are listed in\n"
	"the summary as not scans, with what they are.\n"
	"\n"
	"A PDF page that is one scanned image is read from that image, at its\n"
	"own resolution; other pages (text, drawings, JBIG2) are rendered by\n"
	"pdftoppm (poppler-utils).  Encrypted, broken and oversized PDFs fail\n"
	"with one line, and the run goes on.\n"
	"\n"
	"Pages make documents by their content, not by file: a file whose first\n"
	"page opens no document (no motto, no title) continues the last document\n"
	"of the file before it in the same folder.  A separator sheet ('sohoa\n"
	"sheet') with the QR code SOHOA:DOSSIER=ID sends the pages after it to\n"
	"dossier ID; SOHOA:SPLIT (or PATCHT) starts a new document; sheets are\n"
	"no document's page.  Other QR codes and barcodes on a document's pages\n"
	"are stored as its fields qr_code and barcode.\n"
	"\n"
	"Each file goes to dossier ID, or else to the dossier named after the\n"
	"folder its path names (backlog/HS-2019-0042/p1.tif -> HS-2019-0042;\n"
	"through a link, the link's name; './p1.tif' -> the current folder's\n"
	"name).  A bare file name ('p1.tif', as *.tif gives) names no folder and\n"
	"goes to dossier 'unsorted': give --dossier ID, or the folder ('.').\n"
	"A folder reached twice through links is walked once; links to nothing,\n"
	"FIFOs, sockets, devices and folders without scans get one line each and\n"
	"are recorded like unreadable files.\n"
	"\n"
	"Running it again is safe: files already ingested are skipped by content\n"
	"(SHA-256; a stored copy that was lost or damaged is restored from the\n"
	"file), pages already stored are not read again, and a run that was\n"
	"interrupted or killed is finished.  Only one ingest writes to an archive\n"
	"at a time; searches keep working meanwhile.\n",
	options,
	"Progress goes to stderr: a bar that fits the terminal's width when\n"
	"stderr is a terminal, nothing otherwise; one line per failure:\n"
	"\"sohoa: cannot read 'x.tif' page 3: <reason>\"; with -v one line per\n"
	"file; then a summary (not with -q, nor with --json when stderr is not\n"
	"a terminal).  A page that could not be read is counted as failed, not\n"
	"stored.  Failures are also recorded in the archive ('sohoa status').\n"
	"Ctrl-C stops after the pages being read: what is stored stays, and\n"
	"the same command run again finishes the job.\n"
	"\n"
	"Exit status: 0 every file and page was ingested (or already was);\n"
	"1 some files or pages could not be read (the rest is stored), or the\n"
	"archive could not be written; 2 usage; 130 stopped by Ctrl-C (143 by\n"
	"SIGTERM).\n",
};

static void
summary_json(const struct sohoa_ingest_stats *s, struct sohoa_buf *out)
{
	struct sohoa_json j;
	size_t i;

	sohoa_json_init(&j, out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "files");
	sohoa_json_int(&j, s->files);
	sohoa_json_key(&j, "pages");
	sohoa_json_int(&j, s->pages);
	sohoa_json_key(&j, "pages_failed");
	sohoa_json_int(&j, s->pages_failed);
	sohoa_json_key(&j, "documents");
	sohoa_json_int(&j, s->documents);
	sohoa_json_key(&j, "skipped");
	sohoa_json_int(&j, s->skipped);
	sohoa_json_key(&j, "restored");
	sohoa_json_int(&j, s->healed);
	sohoa_json_key(&j, "blank");
	sohoa_json_int(&j, s->blank);
	sohoa_json_key(&j, "failed");
	sohoa_json_int(&j, s->failed);
	sohoa_json_key(&j, "low_confidence");
	sohoa_json_int(&j, s->low_confidence);
	sohoa_json_key(&j, "seconds");
	sohoa_json_num(&j, s->seconds);
	sohoa_json_key(&j, "pages_per_minute");
	sohoa_json_num(&j, s->seconds > 0 ? s->pages * 60.0 / s->seconds : 0);
	sohoa_json_key(&j, "separators");
	sohoa_json_int(&j, s->separators);
	sohoa_json_key(&j, "continued");
	sohoa_json_int(&j, s->continued);
	sohoa_json_key(&j, "failures");
	sohoa_json_arr_open(&j);
	for (i = 0; i < s->nfailures; i++) {
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "path");
		sohoa_json_str(&j, s->failures[i].path);
		sohoa_json_key(&j, "page");
		if (s->failures[i].pageno >= 0)
			sohoa_json_int(&j, s->failures[i].pageno + 1);
		else
			sohoa_json_null(&j);
		sohoa_json_key(&j, "reason");
		sohoa_json_str(&j, s->failures[i].reason);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_arr_close(&j);
	sohoa_json_key(&j, "not_scans");
	sohoa_json_arr_open(&j);
	for (i = 0; i < s->nnot_scans; i++) {
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "path");
		sohoa_json_str(&j, s->not_scans[i].path);
		sohoa_json_key(&j, "reason");
		sohoa_json_str(&j, s->not_scans[i].reason);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_arr_close(&j);
	sohoa_json_obj_close(&j);
}

/*
 * "sohoa: 8 pages stored from 3 files (4 documents), 1 skipped, 1 blank,
 * 0 low confidence, 3 failed (2 pages, 1 file), 26.7 pages/min".  A page
 * that failed is stored as a record of the failure, not as a page read.
 */
static void
summary(const struct cli *cli, const struct sohoa_ingest_stats *s)
{
	struct sohoa_buf why = SOHOA_BUF_INIT;
	int files = 0, other;
	size_t i;

	for (i = 0; i < s->nfailures; i++)
		if (s->failures[i].pageno < 0)
			files++;
	other = s->failed - s->pages_failed - files;
	if (s->failed > 0) {
		sohoa_buf_addf(&why, " (%d page%s, %d file%s", s->pages_failed,
		    s->pages_failed == 1 ? "" : "s", files,
		    files == 1 ? "" : "s");
		if (other > 0)
			sohoa_buf_addf(&why, ", %d other", other);
		sohoa_buf_addch(&why, ')');
	}
	cli_info(cli, "%d page%s stored from %d file%s (%d document%s), "
	    "%d skipped, %d blank, %d low confidence, %d failed%s, "
	    "%.1f pages/min", s->pages - s->pages_failed,
	    s->pages - s->pages_failed == 1 ? "" : "s", s->files,
	    s->files == 1 ? "" : "s", s->documents,
	    s->documents == 1 ? "" : "s", s->skipped, s->blank,
	    s->low_confidence, s->failed, why.buf,
	    s->seconds > 0 ? s->pages * 60.0 / s->seconds : 0.0);
	if (s->healed > 0)
		cli_info(cli, "%d stored scan%s that had been lost or damaged"
		    " restored from these files", s->healed,
		    s->healed == 1 ? "" : "s");
	if (s->separators > 0 || s->continued > 0)
		cli_info(cli, "%d separator sheet%s, %d file%s going on the "
		    "document of the file before", s->separators,
		    s->separators == 1 ? "" : "s", s->continued,
		    s->continued == 1 ? "" : "s");
	for (i = 0; i < s->nnot_scans; i++)
		cli_info(cli, "left out '%s': not a scan (%s)",
		    s->not_scans[i].path, s->not_scans[i].reason);
	sohoa_buf_release(&why);
}

int cmd_ingest(int argc, char **argv, struct cli *cli);

int
cmd_ingest(int argc, char **argv, struct cli *cli)
{
	struct sohoa_ingest_opts opts;
	struct sohoa_ingest_stats stats;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT, dossier = SOHOA_BUF_INIT;
	struct progress prog;
	struct cli_parser p;
	const char **paths = NULL;
	size_t npaths = 0;
	int json = 0, c, rc, ret = EXIT_FAILED;

	memset(&opts, 0, sizeof(opts));
	memset(&stats, 0, sizeof(stats));
	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_DOSSIER:
			sohoa_buf_reset(&dossier);
			if (*p.arg == '\0') {
				ret = cli_usage(cli, "option '%s' needs a "
				    "non-empty ID", p.opt);
				goto out;
			}
			if (sohoa_utf8_nfc(p.arg, strlen(p.arg), &dossier) !=
			    SOHOA_OK) {
				cli_error("out of memory");
				goto out;
			}
			opts.dossier = dossier.buf;
			break;
		case 'j':
			if ((ret = cli_opt_int(&p, 1, 256, &opts.jobs)) != 0)
				goto out;
			break;
		case OPT_LANG:
			opts.lang = p.arg;
			break;
		case OPT_DOCTYPES:
			opts.doctypes = p.arg;
			break;
		case OPT_PDF_TEXT:
			if (strcmp(p.arg, "ocr") == 0)
				opts.pdf_text = SOHOA_PDF_TEXT_OCR;
			else if (strcmp(p.arg, "keep") == 0)
				opts.pdf_text = SOHOA_PDF_TEXT_KEEP;
			else {
				ret = cli_usage(cli, "option '%s' takes ocr or keep,"
				    " not '%s'", p.opt, p.arg);
				goto out;
			}
			break;
		case OPT_DOSSIER_FROM:
			if (strcmp(p.arg, "folder") == 0)
				opts.dossier_from = SOHOA_DOSSIER_FROM_FOLDER;
			else if (strcmp(p.arg, "sheet") == 0)
				opts.dossier_from = SOHOA_DOSSIER_FROM_SHEET;
			else {
				ret = cli_usage(cli, "option '%s' takes folder or "
				    "sheet, not '%s'", p.opt, p.arg);
				goto out;
			}
			break;
		case OPT_SHARD:
			if (sscanf(p.arg, "%d/%d%n", &opts.shard, &opts.nshards,
			    &c) != 2 || p.arg[c] != '\0' || opts.nshards < 1 ||
			    opts.nshards > 100000 || opts.shard < 0 ||
			    opts.shard >= opts.nshards) {
				ret = cli_usage(cli, "'%s' is not a shard: K/N"
				    " with 0 <= K < N (e.g. 0/3)",
				    cli_esc(p.arg));
				goto out;
			}
			break;
		default:
			ret = p.status;
			goto out;
		}
	}
	if ((ret = cli_operands(&p, 1, -1, "PATH (files or folders to "
	    "ingest)")) != 0)
		goto out;
	ret = EXIT_FAILED;
	paths = (const char **)p.argv;
	npaths = (size_t)p.argc;
	/* who ingests: the history names them for a sheet's move or a merge */
	if (sohoa_archive_open(cli->ctx, cli->archive, 0, &a) != SOHOA_OK ||
	    sohoa_archive_set_actor(a, cli_who(), "cli") != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	cli_progress_init(&prog, cli);
	opts.progress = cli_progress_ingest;
	opts.arg = &prog;
	rc = sohoa_ingest_run(a, &opts, paths, npaths, &stats);
	cli_progress_done(&prog);
	if (rc != SOHOA_OK)
		cli_error("%s", sohoa_errmsg(cli->ctx));
	if (json) {
		summary_json(&stats, &out);
		if (cli_print(&out) != EXIT_DONE)
			rc = SOHOA_ERR_IO;
	}
	if (!json || cli->tty)
		summary(cli, &stats);
	/* a shard is done when its run went through: failures are recorded */
	ret = rc == SOHOA_OK && (stats.failed == 0 || opts.nshards > 0) ?
	    EXIT_DONE : EXIT_FAILED;
out:
	sohoa_ingest_stats_release(&stats);
	sohoa_archive_close(&a);
	sohoa_buf_release(&out);
	sohoa_buf_release(&dossier);
	return ret;
}
