/*
 * The crop of a page where a field's value was read, for the review
 * queue: the field's text as read is looked up in the page's stored word
 * boxes (sohoa_archive_page_load with SOHOA_PAGE_LOAD_WORDS), and the
 * lines it sits on, label included, are cut out of the view image with
 * Leptonica.  Fields carry no box of their own, so the words are matched
 * after folding (case, marks, punctuation), as a reader would match them.
 *
 *   GET /documents/N/crop?key=KEY   -> image/png or image/jpeg
 */
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "sohoa/archive.h"
#include "sohoa/page.h"
#include "sohoa/utf8.h"
#include "web_private.h"

/* Widest crop sent, in pixels: a field line is readable at this width */
#define CROP_MAX_WIDTH 1400

/* The letters and digits of S, folded, appended to OUT */
static void
fold_alnum(const char *s, struct sohoa_buf *out)
{
	struct sohoa_buf f = SOHOA_BUF_INIT;
	size_t i;

	sohoa_utf8_fold(s, &f);
	for (i = 0; i < f.len; i++) {
		unsigned char c = (unsigned char)f.buf[i];

		/* ASCII letters and digits, and any non-ASCII letter byte */
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c >= 0x80)
			sohoa_buf_addch(out, c);
	}
	sohoa_buf_release(&f);
}

/*
 * Words FIRST..*PLAST of PAGE read TARGET (folded, letters and digits
 * only): the first run of words whose letters make TARGET, else the
 * longest run whose letters make a prefix of it (at least half).
 * Returns 1 when found.
 */
static int
locate(const struct sohoa_page *page, const char *target, size_t *pfirst,
    size_t *plast)
{
	struct sohoa_buf run = SOHOA_BUF_INIT, w = SOHOA_BUF_INIT;
	size_t tlen = strlen(target), i, j, best = 0;
	int found = 0;

	for (i = 0; i < page->nwords && found != 2; i++) {
		sohoa_buf_reset(&run);
		for (j = i; j < page->nwords && run.len < tlen; j++) {
			sohoa_buf_reset(&w);
			fold_alnum(page->words[j].text, &w);
			if (w.len == 0) {
				if (run.len == 0)
					break;
				continue;
			}
			if (strncmp(target + run.len, w.buf,
			    tlen - run.len < w.len ? tlen - run.len : w.len)
			    != 0)
				break;
			sohoa_buf_add(&run, w.buf, w.len);
			if (run.len >= tlen) {
				*pfirst = i;
				*plast = j;
				found = 2;
				break;
			}
			if (run.len > best && run.len * 2 >= tlen) {
				best = run.len;
				*pfirst = i;
				*plast = j;
				found = 1;
			}
		}
	}
	sohoa_buf_release(&run);
	sohoa_buf_release(&w);
	return found != 0;
}

/* The box of the lines FIRST..LAST are on, label included, with a margin */
static BOX *
line_box(const struct sohoa_page *page, size_t first, size_t last)
{
	int x0 = page->width, y0 = page->height, x1 = 0, y1 = 0, m;
	int l0 = page->words[first].line, l1 = page->words[last].line;
	size_t i;

	for (i = 0; i < page->nwords; i++) {
		const struct sohoa_word *wd = &page->words[i];

		if (wd->line < l0 || wd->line > l1 ||
		    wd->block != page->words[first].block)
			continue;
		if (wd->x0 < x0)
			x0 = wd->x0;
		if (wd->y0 < y0)
			y0 = wd->y0;
		if (wd->x1 > x1)
			x1 = wd->x1;
		if (wd->y1 > y1)
			y1 = wd->y1;
	}
	if (x1 <= x0 || y1 <= y0)
		return NULL;
	m = (y1 - y0) / (l1 - l0 + 1);	/* a line's height around it */
	x0 = x0 - m > 0 ? x0 - m : 0;
	y0 = y0 - m > 0 ? y0 - m : 0;
	x1 = x1 + m < page->width ? x1 + m : page->width;
	y1 = y1 + m < page->height ? y1 + m : page->height;
	return boxCreate(x0, y0, x1 - x0, y1 - y0);
}

static int
send_crop(struct web_req *r, const struct sohoa_page *page, BOX *box)
{
	PIX *pix = NULL, *clip = NULL, *small = NULL;
	l_uint8 *data = NULL;
	size_t size = 0;
	int png, status = 500;

	pix = pixReadMem(page->image, page->image_len);
	if (pix != NULL)
		clip = pixClipRectangle(pix, box, NULL);
	if (clip == NULL)
		goto out;
	if (pixGetWidth(clip) > CROP_MAX_WIDTH)
		small = pixScale(clip, (l_float32)CROP_MAX_WIDTH /
		    (l_float32)pixGetWidth(clip), (l_float32)CROP_MAX_WIDTH /
		    (l_float32)pixGetWidth(clip));
	png = pixGetDepth(clip) == 1 || pixGetColormap(clip) != NULL;
	if (pixWriteMem(&data, &size, small ? small : clip, png ? IFF_PNG :
	    IFF_JFIF_JPEG) != 0 || data == NULL)
		goto out;
	if (sohoa_buf_add(&r->out, data, size) != SOHOA_OK)
		goto out;
	r->ctype = png ? "image/png" : "image/jpeg";
	status = 200;
out:
	if (status != 200)
		web_log(r->w, "cannot crop a page of document %lld",
		    (long long)r->id[0]);
	lept_free(data);
	pixDestroy(&small);
	pixDestroy(&clip);
	pixDestroy(&pix);
	return status == 200 ? 200 : web_error(r, 500, NULL);
}

int
page_field_crop(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_page *page = NULL;
	struct sohoa_buf target = SOHOA_BUF_INIT;
	const struct sohoa_doc_field *f = NULL;
	const char *key = web_arg(r, "key");
	size_t i, first = 0, last = 0;
	BOX *box = NULL;
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	for (i = 0; key != NULL && i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			f = &d->fields[i];
	if (f == NULL) {
		status = web_error_t(r, 404, "review.no_field");
		goto out;
	}
	fold_alnum(f->raw != NULL ? f->raw : f->value, &target);
	for (i = 0; i < d->npages && target.len > 0; i++) {
		if (d->pages[i].image_sha256[0] == '\0')
			continue;
		sohoa_page_destroy(&page);
		if (sohoa_archive_page_load(r->a, d->pages[i].id,
		    SOHOA_PAGE_LOAD_WORDS | SOHOA_PAGE_LOAD_IMAGE, &page) !=
		    SOHOA_OK) {
			status = web_fail(r);
			goto out;
		}
		if (page->image != NULL && locate(page, target.buf, &first,
		    &last) && (box = line_box(page, first, last)) != NULL)
			break;
	}
	if (box == NULL) {
		status = web_error_t(r, 404, "review.not_found");
		goto out;
	}
	status = send_crop(r, page, box);
out:
	boxDestroy(&box);
	sohoa_page_destroy(&page);
	sohoa_buf_release(&target);
	sohoa_document_destroy(&d);
	return status;
}
