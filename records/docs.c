/*
 * Which pages of a scanned file make which documents: the split the
 * document types decide (sohoa_doc_split), blank pages at a document's
 * edges left out, a run of pages none of which could be read no
 * document.  Ingest and 'sohoa extract' both use this, so a file gives
 * the same documents whichever reads it.
 */
#include <stdlib.h>

#include "sohoa/fields.h"
#include "sohoa/records.h"

static int
all_failed(const struct sohoa_page *const *pages, size_t b, size_t e)
{
	for (; b < e; b++)
		if (pages[b]->status != SOHOA_PAGE_FAILED)
			return 0;
	return 1;
}

int
sohoa_records_doc_ranges(struct sohoa_ctx *ctx,
    const struct sohoa_doctypes *dt, const struct sohoa_page *const *pages,
    size_t npages, struct sohoa_doc_range **pranges, size_t *pn)
{
	struct sohoa_doc_range *v = NULL;
	size_t *starts = NULL, nstarts = 0, i, b, e, n = 0;
	int rc = SOHOA_OK;

	*pranges = NULL;
	*pn = 0;
	if (npages == 0)
		return SOHOA_OK;
	if (sohoa_doc_split(ctx, dt, pages, npages, &starts, &nstarts) !=
	    SOHOA_OK || nstarts == 0) {
		/* keep the pages as one document rather than none */
		sohoa_clear_error(ctx);
		free(starts);
		starts = malloc(sizeof(*starts));
		if (starts == NULL)
			return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		starts[0] = 0;
		nstarts = 1;
	}
	v = calloc(nstarts, sizeof(*v));
	if (v == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nstarts; i++) {
		b = starts[i];
		e = i + 1 < nstarts ? starts[i + 1] : npages;
		if (b >= e || e > npages)
			continue;
		/* a blank separator page belongs to no document */
		while (b < e && pages[b]->status == SOHOA_PAGE_BLANK)
			b++;
		while (e > b && pages[e - 1]->status == SOHOA_PAGE_BLANK)
			e--;
		if (b == e || all_failed(pages, b, e))
			continue;	/* nothing read: the failed pages say why */
		v[n].first = b;
		v[n].count = e - b;
		n++;
	}
	*pranges = v;
	*pn = n;
	v = NULL;
out:
	free(v);
	free(starts);
	return rc;
}
