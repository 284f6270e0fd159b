/*
 * A page read again, as a clerk asks: turned by hand when the pipeline
 * got its orientation wrong, read without a cleanup step that hurt it,
 * replaced by a re-scan, or retried after it failed.  The page is read
 * from its original in the store (or the re-scan), its new reading
 * replaces the old one (kept in the history for undo), the fields of its
 * document are read again where no person set them, and the document's
 * PDF is made again.
 */
#include <stdlib.h>
#include <string.h>
#include <leptonica/allheaders.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/pipeline.h"
#include "sohoa/records.h"
#include "records_private.h"

/* Decode, turn and recognise the page; *ppage is the new reading. */
static int
read_page(struct sohoa_ctx *ctx, const char *path, int pageno,
    const struct sohoa_reread_opts *o, struct sohoa_page **ppage)
{
	struct sohoa_engine_opts eo;
	struct sohoa_engine *eng = NULL;
	struct sohoa_image *img = NULL;
	PIX *pix = NULL, *turned = NULL;
	int rc;

	*ppage = NULL;
	memset(&eo, 0, sizeof(eo));
	eo.lang = o->lang;
	eo.disable = o->disable;
	eo.want_image = 1;
	eo.want_hocr = 1;
	/* a person said which way is up: the pipeline does not guess */
	if (o->rotate >= 0)
		eo.disable |= SOHOA_CLEAN_ORIENT;
	rc = sohoa_image_open(ctx, path, &img);
	if (rc == SOHOA_OK)
		rc = sohoa_image_read_page(ctx, img, pageno, &pix);
	if (rc == SOHOA_OK && o->rotate > 0) {
		turned = pixRotateOrth(pix, o->rotate / 90);
		if (turned == NULL)
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "cannot turn the page");
		else {
			pixCopyResolution(turned, pix);
			pixDestroy(&pix);
			pix = turned;
		}
	}
	if (rc == SOHOA_OK)
		rc = sohoa_engine_new(ctx, &eo, &eng);
	if (rc == SOHOA_OK)
		rc = sohoa_engine_process(eng, pix, pageno, ppage);
	if (rc == SOHOA_OK && o->rotate > 0)
		(*ppage)->orientation = o->rotate;
	sohoa_engine_destroy(&eng);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	return rc;
}

int
sohoa_records_page_reread(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t page_id,
    const struct sohoa_reread_opts *o, int64_t *pdoc)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_page_source src;
	struct sohoa_page *page = NULL;
	struct sohoa_fields none;
	struct sohoa_buf what = SOHOA_BUF_INIT;
	char rescan[SOHOA_SHA256_HEX] = "";
	const char *action, *path;
	int64_t doc = 0;
	int rc, pageno;

	if (pdoc != NULL)
		*pdoc = 0;
	memset(&src, 0, sizeof(src));
	sohoa_fields_init(&none);
	if (o->rotate != -1 && o->rotate != 0 && o->rotate != 90 &&
	    o->rotate != 180 && o->rotate != 270)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "a page turns by 0,"
		    " 90, 180 or 270 degrees, not %d", o->rotate);
	rc = sohoa_archive_page_source(a, page_id, &src);
	if (rc != SOHOA_OK)
		goto out;
	path = src.path.buf;
	pageno = src.pageno;
	action = src.failed ? SOHOA_EV_PAGE_RETRY : SOHOA_EV_PAGE_ROTATE;
	if (o->rescan != NULL) {
		/* the re-scan is an original too: it goes to the store */
		rc = sohoa_store_put_file(a, o->rescan, NULL, rescan);
		if (rc != SOHOA_OK)
			goto out;
		path = o->rescan;
		pageno = 0;
		action = SOHOA_EV_PAGE_REPLACE;
	}
	rc = read_page(ctx, path, pageno, o, &page);
	if (rc != SOHOA_OK)
		goto out;
	page->pageno = src.pageno;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	/* what was done, in a few words, unless the clerk said why */
	if (o->why == NULL || *o->why == '\0') {
		if (o->rescan != NULL)
			sohoa_buf_adds(&what, "replaced by a re-scan");
		else if (o->rotate >= 0)
			sohoa_buf_addf(&what, "turned %d degrees", o->rotate);
		else
			sohoa_buf_adds(&what, src.failed ? "retried" :
			    "read again");
		if (o->disable)
			sohoa_buf_adds(&what, " with cleanup steps left out");
	} else
		sohoa_buf_adds(&what, o->why);
	rc = sohoa_archive_page_replace(a, page_id, page,
	    rescan[0] ? rescan : NULL, action, what.buf);
	doc = src.document_id;
	/* a page retried that was in no document becomes one */
	if (rc == SOHOA_OK && doc == 0 && page->status != SOHOA_PAGE_FAILED &&
	    page->status != SOHOA_PAGE_BLANK)
		rc = sohoa_archive_document_add(a, src.file_id, src.pageno, 1,
		    "other", &none, &doc);
	if (rc == SOHOA_OK && doc != 0)
		rc = records_read_fields(a, dt, doc, 0);
	if (rc == SOHOA_OK && doc != 0)
		rc = sohoa_records_pdf(a, doc, NULL, 0, NULL);
	rc = sohoa_archive_end(a, rc);
	if (rc == SOHOA_OK && pdoc != NULL)
		*pdoc = doc;
out:
	sohoa_page_destroy(&page);
	sohoa_page_source_release(&src);
	sohoa_fields_release(&none);
	sohoa_buf_release(&what);
	return rc;
}

int
sohoa_records_retry_failed(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt,
    int (*each)(void *arg, int64_t page_id, int ok, const char *why),
    void *arg, size_t *pok, size_t *pn)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_reread_opts o;
	struct sohoa_page_source s;
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc, ok;

	*pok = 0;
	*pn = 0;
	rc = sohoa_archive_failed_pages(a, &ids, &n);
	if (rc != SOHOA_OK)
		return rc;
	*pn = n;
	memset(&o, 0, sizeof(o));
	o.rotate = -1;
	for (i = 0; i < n; i++) {
		const char *why = NULL;

		ok = 0;
		if (sohoa_records_page_reread(a, dt, ids[i], &o, NULL) !=
		    SOHOA_OK) {
			if (sohoa_errcode(ctx) == SOHOA_ERR_NOMEM ||
			    sohoa_errcode(ctx) == SOHOA_ERR_BUSY) {
				rc = sohoa_errcode(ctx);
				break;
			}
			why = sohoa_errmsg(ctx);
		} else if (sohoa_archive_page_source(a, ids[i], &s) ==
		    SOHOA_OK) {
			/* read, but failing again, is still a failure */
			ok = !s.failed;
			sohoa_page_source_release(&s);
		}
		if (ok)
			(*pok)++;
		sohoa_clear_error(ctx);
		if (each != NULL && each(arg, ids[i], ok, why) != 0) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_CANCELLED,
			    "interrupted after %zu of %zu failed pages", i + 1,
			    n);
			break;
		}
	}
	free(ids);
	return rc;
}
