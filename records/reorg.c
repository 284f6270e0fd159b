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
#include "records_private.h"

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
		rc = records_read_fields(a, dt, docs[1], 1);
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
