/*
 * Reorganising documents (records.h): the archive does the rows and the
 * history (index/archive_reorg.c); this adds what needs the document
 * types or the PDF writer: fields read for a document a split made, and
 * the PDFs of documents whose pages changed.
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/records.h"

/* Read the fields of DOC_ID from its stored pages (a new document). */
static int
read_fields(struct sohoa_archive *a, const struct sohoa_doctypes *dt,
    int64_t doc_id)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_document *d = NULL;
	struct sohoa_page **pages = NULL;
	struct sohoa_fields f;
	const char *type = NULL;
	size_t i, n = 0;
	int rc;

	sohoa_fields_init(&f);
	rc = sohoa_archive_document_load(a, doc_id, &d);
	if (rc != SOHOA_OK)
		return rc;
	if (d->nfields > 0)
		goto out;	/* a document that came back has its own */
	pages = calloc(d->npages ? d->npages : 1, sizeof(*pages));
	if (pages == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < d->npages && rc == SOHOA_OK; i++, n++)
		rc = sohoa_archive_page_load(a, d->pages[i].id,
		    SOHOA_PAGE_LOAD_WORDS, &pages[i]);
	if (rc == SOHOA_OK)
		rc = sohoa_doc_extract(ctx, dt,
		    (const struct sohoa_page *const *)pages, n, &type, &f);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_reread(a, doc_id, type, &f);
out:
	for (i = 0; i < n; i++)
		sohoa_page_destroy(&pages[i]);
	free(pages);
	sohoa_fields_release(&f);
	sohoa_document_destroy(&d);
	return rc;
}

/* The PDFs of documents whose pages changed, when they are live. */
static int
pdfs(struct sohoa_archive *a, const int64_t *docs, size_t n)
{
	struct sohoa_document *d = NULL;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (docs[i] == 0)
			continue;
		rc = sohoa_archive_document_load(a, docs[i], &d);
		if (rc == SOHOA_OK && d->deleted_at == NULL)
			rc = sohoa_records_pdf(a, docs[i], NULL, 0, NULL);
		sohoa_document_destroy(&d);
	}
	return rc;
}

static int
done(struct sohoa_archive *a, int rc)
{
	if (rc == SOHOA_OK)
		return sohoa_archive_commit(a);
	sohoa_archive_rollback(a);
	return rc;
}

int
sohoa_records_split(struct sohoa_archive *a, const struct sohoa_doctypes *dt,
    int64_t doc_id, int at, int64_t *pnew)
{
	int64_t docs[2] = { doc_id, 0 };
	int rc;

	*pnew = 0;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_archive_document_split(a, doc_id, at, &docs[1]);
	if (rc == SOHOA_OK)
		rc = read_fields(a, dt, docs[1]);
	if (rc == SOHOA_OK)
		rc = pdfs(a, docs, 2);
	rc = done(a, rc);
	if (rc == SOHOA_OK)
		*pnew = docs[1];
	return rc;
}

int
sohoa_records_merge(struct sohoa_archive *a, int64_t into, int64_t from)
{
	int rc;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_archive_document_merge(a, into, from);
	if (rc == SOHOA_OK)
		rc = pdfs(a, &into, 1);
	return done(a, rc);
}

int
sohoa_records_undo(struct sohoa_archive *a, int64_t event_id)
{
	int64_t docs[2];
	int rc;

	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_archive_undo(a, event_id, docs);
	if (rc == SOHOA_OK)
		rc = pdfs(a, docs, 2);
	return done(a, rc);
}
