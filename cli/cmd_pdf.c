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
#include "cli.h"
#include "opt.h"

static const struct cli_opt options[] = {
	{ "output", 'o', "OUT.pdf", "also write the PDF to OUT.pdf" },
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

/* Info/XMP metadata from the document and its dossier. */
struct meta_bufs {
	struct sohoa_buf title, author;
};

static void
fill_meta(struct sohoa_archive *a, const struct sohoa_document *doc,
    struct meta_bufs *b, struct sohoa_pdf_meta *m)
{
	memset(m, 0, sizeof(*m));
	if (doc->title != NULL && *doc->title)
		sohoa_buf_adds(&b->title, doc->title);
	else
		sohoa_buf_addf(&b->title, "%s %s.%d", doc->doc_type ?
		    doc->doc_type : "document",
		    doc->dossier ? doc->dossier : "",
		    doc->ordinal);
	m->title = b->title.buf;
	/* the dossier's office, when its metadata names one */
	if (sohoa_archive_dossier_meta_get(a, doc->dossier_id, "office",
	    &b->author) == SOHOA_OK && b->author.len > 0)
		m->author = b->author.buf;
	sohoa_clear_error(sohoa_archive_ctx(a));
	m->subject = doc->doc_type;
	m->lang = "vi";
	/* the document's creation time when it is ISO 8601 with an offset */
	if (doc->created_at != NULL && sohoa_pdf_date_valid(doc->created_at))
		m->create_date = doc->created_at;
}

int cmd_pdf(int argc, char **argv, struct cli *cli);

int
cmd_pdf(int argc, char **argv, struct cli *cli)
{
	const char *out = NULL, *idarg;
	struct cli_parser p;
	struct sohoa_archive *a = NULL;
	struct sohoa_document *doc = NULL;
	struct sohoa_page *page = NULL;
	struct sohoa_pdf_writer *w = NULL;
	struct sohoa_pdf_page pp;
	struct sohoa_pdf_meta meta;
	struct meta_bufs mb = { SOHOA_BUF_INIT, SOHOA_BUF_INIT };
	struct sohoa_buf tmp = SOHOA_BUF_INIT, img = SOHOA_BUF_INIT;
	char sha[SOHOA_SHA256_HEX];
	int64_t id;
	char *end;
	size_t i;
	int c, rc;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		if (c != 'o')
			return p.status;
		out = p.arg;
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
		rc = sohoa_archive_document_load(a, id, &doc);
	if (rc != SOHOA_OK)
		goto out;
	fill_meta(a, doc, &mb, &meta);
	if (out != NULL)
		rc = sohoa_buf_adds(&tmp, out);
	else
		rc = sohoa_buf_addf(&tmp, "%s/.pdf-%" PRId64 "-%ld.pdf",
		    sohoa_archive_dir(a), id, (long)getpid());
	if (rc == SOHOA_OK)
		rc = sohoa_pdf_writer_open(cli->ctx, tmp.buf, &meta, &w);
	/* one page in memory at a time: its words; the image stays a file */
	for (i = 0; i < doc->npages && rc == SOHOA_OK; i++) {
		if (doc->pages[i].image_sha256[0] == '\0')
			continue;	/* a failed page has no image */
		rc = sohoa_archive_page_load(a, doc->pages[i].id,
		    SOHOA_PAGE_LOAD_WORDS, &page);
		if (rc != SOHOA_OK)
			break;
		sohoa_buf_reset(&img);
		rc = sohoa_store_path(a, doc->pages[i].image_sha256, &img);
		if (rc != SOHOA_OK)
			break;
		memset(&pp, 0, sizeof(pp));
		pp.image_path = img.buf;
		pp.image_type = doc->pages[i].image_type[0] ?
		    doc->pages[i].image_type : NULL;
		pp.width = doc->pages[i].width;
		pp.height = doc->pages[i].height;
		pp.dpi = doc->pages[i].dpi;
		pp.words = page->words;
		pp.nwords = page->nwords;
		rc = sohoa_pdf_writer_add_page(w, &pp);
		sohoa_page_destroy(&page);
		if (cli_interrupted)
			rc = sohoa_set_error(cli->ctx, SOHOA_ERR_CANCELLED,
			    "interrupted");
	}
	if (rc == SOHOA_OK)
		rc = sohoa_pdf_writer_finish(w);
	sohoa_pdf_writer_close(&w);
	if (rc == SOHOA_OK)
		rc = sohoa_store_put_file(a, tmp.buf, NULL, sha);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_set_pdf(a, id, sha);
	if (out == NULL && tmp.len > 0)
		unlink(tmp.buf);
	if (rc == SOHOA_OK) {
		printf("%s\n", sha);
		cli_info(cli, "document %" PRId64 ": %zu pages, PDF %s%s%s", id,
		    doc->npages, sha, out ? " written to " : "",
		    out ? out : "");
	}
out:
	sohoa_page_destroy(&page);
	sohoa_document_destroy(&doc);
	sohoa_archive_close(&a);
	sohoa_buf_release(&mb.title);
	sohoa_buf_release(&mb.author);
	sohoa_buf_release(&tmp);
	sohoa_buf_release(&img);
	if (rc != SOHOA_OK)
		return cli_fail(cli, "cannot write the PDF");
	return EXIT_DONE;
}
