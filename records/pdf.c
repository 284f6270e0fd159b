/*
 * Document -> archival PDF, in one place: the PDF/A of a stored document,
 * built from its pages' view images and word boxes in the store, put in
 * the store and recorded as the document's PDF.  Ingest, 'sohoa pdf' and
 * every change that alters a document's pages (split, merge, rotate,
 * re-read) call this, so the same document always gives the same bytes.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sohoa/archive.h"
#include "sohoa/pdf.h"
#include "sohoa/records.h"

/* Info/XMP metadata from the document and its dossier. */
static void
fill_meta(struct sohoa_archive *a, const struct sohoa_document *doc,
    struct sohoa_buf *title, struct sohoa_buf *author,
    struct sohoa_pdf_meta *m)
{
	memset(m, 0, sizeof(*m));
	if (doc->title != NULL && *doc->title)
		sohoa_buf_adds(title, doc->title);
	else
		sohoa_buf_addf(title, "%s %s.%d", doc->doc_type ?
		    doc->doc_type : "document", doc->dossier ? doc->dossier : "",
		    doc->ordinal);
	m->title = title->buf;
	/* the dossier's office, when its metadata names one */
	if (sohoa_archive_dossier_meta_get(a, doc->dossier_id, "office",
	    author) == SOHOA_OK && author->len > 0)
		m->author = author->buf;
	sohoa_clear_error(sohoa_archive_ctx(a));
	m->subject = doc->doc_type;
	m->lang = "vi";
	/* the document's creation time when it is ISO 8601 with an offset */
	if (doc->created_at != NULL && sohoa_pdf_date_valid(doc->created_at))
		m->create_date = doc->created_at;
}

int
sohoa_records_pdf(struct sohoa_archive *a, int64_t doc_id,
    const char *out_path, unsigned flags, char psha[SOHOA_SHA256_HEX])
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_document *doc = NULL;
	struct sohoa_page *page = NULL;
	struct sohoa_pdf_writer *w = NULL;
	struct sohoa_pdf_page pp;
	struct sohoa_pdf_meta meta;
	struct sohoa_buf title = SOHOA_BUF_INIT, author = SOHOA_BUF_INIT;
	struct sohoa_buf tmp = SOHOA_BUF_INIT, img = SOHOA_BUF_INIT;
	char sha[SOHOA_SHA256_HEX];
	size_t i, n = 0;
	int rc;

	if (psha != NULL)
		psha[0] = '\0';
	if (out_path != NULL &&
	    (rc = sohoa_archive_output_check(a, out_path, flags)) != SOHOA_OK)
		return rc;
	rc = sohoa_archive_document_load(a, doc_id, &doc);
	if (rc != SOHOA_OK)
		return rc;
	fill_meta(a, doc, &title, &author, &meta);
	if (out_path != NULL)
		rc = sohoa_buf_adds(&tmp, out_path);
	else
		rc = sohoa_buf_addf(&tmp, "%s/store/tmp/doc-%lld-%ld.pdf",
		    sohoa_archive_dir(a), (long long)doc_id, (long)getpid());
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
	/* one page in memory at a time: its words; the image stays a file */
	for (i = 0; i < doc->npages && rc == SOHOA_OK; i++) {
		const struct sohoa_doc_page *dp = &doc->pages[i];

		if (dp->image_sha256[0] == '\0')
			continue;	/* a failed page has no image */
		if (w == NULL) {
			rc = sohoa_pdf_writer_open(ctx, tmp.buf, &meta, &w);
			if (rc != SOHOA_OK)
				break;
		}
		rc = sohoa_archive_page_load(a, dp->id, SOHOA_PAGE_LOAD_WORDS,
		    &page);
		if (rc != SOHOA_OK)
			break;
		sohoa_buf_reset(&img);
		rc = sohoa_store_path(a, dp->image_sha256, &img);
		if (rc != SOHOA_OK)
			break;
		memset(&pp, 0, sizeof(pp));
		pp.image_path = img.buf;
		pp.image_type = dp->image_type[0] ? dp->image_type : NULL;
		pp.width = dp->width;
		pp.height = dp->height;
		pp.dpi = dp->dpi;
		pp.words = page->words;
		pp.nwords = page->nwords;
		rc = sohoa_pdf_writer_add_page(w, &pp);
		sohoa_page_destroy(&page);
		n++;
	}
	if (rc == SOHOA_OK && n == 0) {
		/* nothing to show: no PDF, and no stale one either */
		rc = sohoa_archive_document_set_pdf(a, doc_id, NULL);
		goto out;
	}
	if (rc == SOHOA_OK)
		rc = sohoa_pdf_writer_finish(w);
	sohoa_pdf_writer_close(&w);
	if (rc == SOHOA_OK)
		rc = sohoa_store_put_file(a, tmp.buf, NULL, sha);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_set_pdf(a, doc_id, sha);
	if (rc == SOHOA_OK && psha != NULL)
		memcpy(psha, sha, SOHOA_SHA256_HEX);
out:
	if (out_path == NULL && tmp.len > 0)
		unlink(tmp.buf);
	sohoa_pdf_writer_close(&w);
	sohoa_page_destroy(&page);
	sohoa_document_destroy(&doc);
	sohoa_buf_release(&title);
	sohoa_buf_release(&author);
	sohoa_buf_release(&tmp);
	sohoa_buf_release(&img);
	return rc;
}
