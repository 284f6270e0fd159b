/*
 * The review queue: flagged fields and documents of type 'other', oldest
 * document first, one at a time, with the crop of the page where the
 * value was read beside it.  A clerk accepts the value as read (Enter),
 * or corrects it (Tab, type, Enter) and goes on to the next; the type of
 * an 'other' document is chosen from the list.  Every action goes
 * through sohoa/records.h and is in the history.
 *
 *   GET  /review                  the queue from its first item
 *   GET  /review?after=N&key=K    from the item after field K of
 *                                 document N (no key: after N's type)
 *   POST /review/accept           key, doc: the value is right as read
 *   POST /review/fields           key, value, doc: corrected
 *   POST /review/type             doc_type, doc: the document's type
 *
 * A place in the queue is the item before it, not a count of items
 * passed over, so what other clerks handle meanwhile neither skips nor
 * repeats one (the archive pages the queue: sohoa_archive_review_page).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/records.h"
#include "web_private.h"

/* Items listed under the current one */
#define NEXT_SHOWN 15

struct item {
	int64_t doc;
	char *key;		/* NULL: a document of type 'other' */
	char *value;
	float conf;
	int unread;		/* not read at all: no place to crop */
};

struct queue {
	struct item *v;
	size_t n, alloc;
};

static void
queue_release(struct queue *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		free(q->v[i].key);
		free(q->v[i].value);
	}
	free(q->v);
}

/* One item of the archive's queue, copied into Q */
static int
on_review(void *arg, const struct sohoa_review_item *it)
{
	struct queue *q = arg;
	struct item *v;

	if (q->n == q->alloc) {
		q->alloc = q->alloc ? q->alloc * 2 : 32;
		v = realloc(q->v, q->alloc * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		q->v = v;
	}
	v = &q->v[q->n];
	memset(v, 0, sizeof(*v));
	v->doc = it->doc_id;
	v->conf = it->conf;
	if ((it->key != NULL && (v->key = strdup(it->key)) == NULL) ||
	    (it->value != NULL && (v->value = strdup(it->value)) == NULL)) {
		free(v->key);
		return SOHOA_ERR_NOMEM;
	}
	v->unread = it->key != NULL && sohoa_field_unread(it->value, it->raw);
	q->n++;
	return SOHOA_OK;
}

/*
 * The items of the queue that RANGE asks for (flagged fields and 'other'
 * documents, by document): the archive pages it, so a backlog of any
 * length costs a page what a short one does.
 */
static int
load_queue(struct web_req *r, const struct sohoa_review_range *range,
    struct queue *q)
{
	int rc;

	memset(q, 0, sizeof(q[0]));
	rc = sohoa_archive_review_page(r->a, range, on_review, q);
	if (rc == SOHOA_ERR_NOMEM)
		return sohoa_set_error(r->ctx, rc, "out of memory");
	return rc;
}

static void
hidden(struct web_req *r, const char *name, const char *value)
{
	html_raw(r, "<input type=\"hidden\"");
	html_attr(r, "name", name);
	html_attr(r, "value", value);
	html_raw(r, ">");
}

static void
hidden_int(struct web_req *r, const char *name, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	hidden(r, name, num);
}

/* The queue from the item after field KEY of DOC (NULL: its type) */
static void
after_url(struct sohoa_buf *u, int64_t doc, const char *key)
{
	sohoa_buf_addf(u, "/review?after=%lld", (long long)doc);
	if (key != NULL) {
		sohoa_buf_adds(u, "&key=");
		web_urlenc(u, key);
	}
}

static void
skip_link(struct web_req *r, const struct item *it)
{
	struct sohoa_buf u = SOHOA_BUF_INIT;

	after_url(&u, it->doc, it->key);
	html_raw(r, "<a class=\"skip\" id=\"skip\"");
	html_attr(r, "href", u.buf);
	html_raw(r, ">");
	html_t(r, "review.skip");
	html_raw(r, "</a>");
	sohoa_buf_release(&u);
}

/*
 * The page (0-based) of D where field KEY, not read, is to be looked
 * for: the end of the document its type prints it at (the signer on the
 * last page, the number and issuer on the first), the first page for
 * the body.  Only a page with an image; -1 when there is none.
 */
static long
unread_page(const struct web_req *r, const struct sohoa_document *d,
    const char *key)
{
	long i, n = (long)d->npages;

	if (sohoa_doctypes_field_end(r->w->doctypes, d->doc_type, key) ==
	    SOHOA_FIELD_END_LAST) {
		for (i = n - 1; i >= 0; i--)
			if (d->pages[i].image_sha256[0] != '\0')
				return i;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (d->pages[i].image_sha256[0] != '\0')
			return i;
	return -1;
}

static void
current_field(struct web_req *r, const struct item *it,
    const struct sohoa_document *d, const char *err)
{
	struct sohoa_buf u = SOHOA_BUF_INIT;
	int missing = it->unread;
	long page = missing ? unread_page(r, d, it->key) : -1;
	char pct[16], num[24], of[24];

	html_raw(r, "<div class=\"review-item\" id=\"review-item\"><div "
	    "class=\"crop-box\">");
	/* not read: the whole page it belongs on, where the clerk reads it */
	if (page >= 0)
		sohoa_buf_addf(&u, "/documents/%lld/pages/%ld",
		    (long long)it->doc, page + 1);
	else {
		sohoa_buf_addf(&u, "/documents/%lld/crop?key=",
		    (long long)it->doc);
		web_urlenc(&u, it->key);
	}
	html_raw(r, "<img class=\"crop\" id=\"crop\"");
	html_attr(r, "src", u.buf);
	sohoa_buf_reset(&u);
	web_tf(r, &u, "review.crop_alt", web_field_label(r, d->doc_type,
	    it->key), NULL);
	html_attr(r, "alt", u.buf);
	html_raw(r, ">");
	if (page >= 0) {
		/* which page, so a clerk holding the paper turns to it */
		snprintf(num, sizeof(num), "%ld", page + 1);
		snprintf(of, sizeof(of), "%zu", d->npages);
		html_raw(r, "<p class=\"hint\" id=\"review-page\">");
		html_tf(r, "review.page_of", num, of, NULL);
		html_raw(r, "</p>");
	}
	html_raw(r, "<p class=\"hint\"><a");
	sohoa_buf_reset(&u);
	sohoa_buf_addf(&u, "/documents/%lld#f-", (long long)it->doc);
	web_urlenc(&u, it->key);
	html_attr(r, "href", u.buf);
	html_raw(r, ">");
	html_t(r, "review.open_doc");
	html_raw(r, "</a></p></div><div class=\"value\"><p class=\"meta\">"
	    "<span>");
	html_text(r, web_t2(r, "type", d->doc_type));
	html_raw(r, "</span><span>");
	html_text(r, web_title_name(d->title, d->doc_type) ?
	    web_title_name(d->title, d->doc_type) : "—");
	html_raw(r, "</span><span>");
	html_text(r, d->dossier ? d->dossier : "—");
	html_raw(r, "</span></p><h2 id=\"review-label\">");
	html_text(r, web_field_label(r, d->doc_type, it->key));
	html_raw(r, "</h2><p>");
	snprintf(pct, sizeof(pct), "%.0f%%", (double)it->conf);
	html_tf(r, "review.conf", pct, NULL);
	html_raw(r, "</p>");
	if (err != NULL) {
		html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
		html_text(r, err);
		html_raw(r, "</p>");
	}
	/* Enter anywhere but in the box: right as read */
	html_raw(r, "<form class=\"accept\" method=\"post\" "
	    "action=\"/review/accept\">");
	html_csrf(r);
	hidden_int(r, "doc", it->doc);
	hidden(r, "key", it->key);
	html_raw(r, "<p class=\"read\"><span class=\"hint\">");
	html_t(r, "review.read_as");
	html_raw(r, "</span> <strong id=\"review-value\">");
	sohoa_buf_reset(&u);
	if (strstr(it->key, "date") != NULL)
		web_date_str(it->value, 0, &u);
	else
		sohoa_buf_adds(&u, it->value);
	if (missing)
		html_t(r, "review.not_read");
	else
		html_text(r, u.buf);
	html_raw(r, "</strong></p><button type=\"submit\" id=\"accept\">");
	html_t(r, missing ? "review.accept_none" : "review.accept");
	html_raw(r, " <kbd>Enter</kbd></button></form>");
	/* Tab: into the box; Enter in it saves and goes on */
	html_raw(r, "<form class=\"correct\" method=\"post\" "
	    "action=\"/review/fields\">");
	html_csrf(r);
	hidden_int(r, "doc", it->doc);
	hidden(r, "key", it->key);
	html_raw(r, "<label for=\"review-input\">");
	html_t(r, "review.correct");
	html_raw(r, " <kbd>Tab</kbd></label><input class=\"value\" "
	    "id=\"review-input\" name=\"value\" autocomplete=\"off\"");
	if (err != NULL && web_form(r, "value") != NULL)
		html_attr(r, "value", web_form(r, "value"));
	else
		html_attr(r, "value", u.buf);
	html_raw(r, "><div class=\"actions\"><button type=\"submit\" "
	    "id=\"save-next\">");
	html_t(r, "review.save_next");
	html_raw(r, "</button>");
	skip_link(r, it);
	html_raw(r, "</div></form><p class=\"keys\">");
	html_t(r, "review.keys");
	html_raw(r, "</p></div></div>");
	sohoa_buf_release(&u);
}

static void
current_type(struct web_req *r, const struct item *it,
    const struct sohoa_document *d, const char *err)
{
	struct sohoa_buf u = SOHOA_BUF_INIT;

	html_raw(r, "<div class=\"review-item\" id=\"review-item\"><div "
	    "class=\"crop-box\">");
	if (d->npages > 0 && d->pages[0].image_sha256[0]) {
		sohoa_buf_addf(&u, "/documents/%lld/pages/1",
		    (long long)it->doc);
		html_raw(r, "<img class=\"crop\"");
		html_attr(r, "src", u.buf);
		html_attr(r, "alt", web_t(r, "review.page"));
		html_raw(r, ">");
	}
	html_raw(r, "<p class=\"hint\"><a");
	sohoa_buf_reset(&u);
	sohoa_buf_addf(&u, "/documents/%lld", (long long)it->doc);
	html_attr(r, "href", u.buf);
	html_raw(r, ">");
	html_t(r, "review.open_doc");
	html_raw(r, "</a></p></div><div class=\"value\"><h2 "
	    "id=\"review-label\">");
	html_t(r, "review.other");
	html_raw(r, "</h2><p class=\"hint\">");
	html_t(r, "review.other_hint");
	html_raw(r, "</p>");
	if (err != NULL) {
		html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
		html_text(r, err);
		html_raw(r, "</p>");
	}
	html_raw(r, "<form class=\"correct\" method=\"post\" "
	    "action=\"/review/type\">");
	html_csrf(r);
	hidden_int(r, "doc", it->doc);
	html_raw(r, "<label for=\"review-type\">");
	html_t(r, "search.type");
	html_raw(r, "</label><select id=\"review-type\" name=\"doc_type\">");
	web_type_options(r, d->doc_type, 0);
	html_raw(r, "</select><div class=\"actions\"><button type=\"submit\" "
	    "id=\"save-next\">");
	html_t(r, "review.save_next");
	html_raw(r, "</button>");
	skip_link(r, it);
	html_raw(r, "</div></form></div></div>");
	sohoa_buf_release(&u);
}

static void
next_items(struct web_req *r, const struct queue *q, size_t from)
{
	struct sohoa_buf u = SOHOA_BUF_INIT;
	char pct[16];
	size_t i;

	if (from >= q->n)
		return;
	html_raw(r, "<h2>");
	html_t(r, "review.next");
	html_raw(r, "</h2><table id=\"queue\"><thead><tr><th>");
	html_t(r, "review.document");
	html_raw(r, "</th><th>");
	html_t(r, "doc.field");
	html_raw(r, "</th><th>");
	html_t(r, "doc.value");
	html_raw(r, "</th><th>");
	html_t(r, "doc.confidence");
	html_raw(r, "</th></tr></thead><tbody>");
	for (i = from; i < q->n && i < from + NEXT_SHOWN; i++) {
		sohoa_buf_reset(&u);
		sohoa_buf_addf(&u, "/documents/%lld", (long long)q->v[i].doc);
		html_raw(r, "<tr><td><a");
		html_attr(r, "href", u.buf);
		sohoa_buf_addf(&r->out, ">%lld</a></td><td>",
		    (long long)q->v[i].doc);
		if (q->v[i].key == NULL) {
			html_t(r, "review.other");
			html_raw(r, "</td><td></td><td></td></tr>");
			continue;
		}
		html_text(r, web_field_label(r, NULL, q->v[i].key));
		html_raw(r, "</td><td>");
		sohoa_buf_reset(&u);
		if (strstr(q->v[i].key, "date") != NULL)
			web_date_str(q->v[i].value, 0, &u);
		else
			sohoa_buf_adds(&u, q->v[i].value);
		if (q->v[i].unread)
			html_t(r, "review.not_read_short");
		else
			html_text(r, u.buf);
		snprintf(pct, sizeof(pct), "%.0f%%", (double)q->v[i].conf);
		html_raw(r, "</td><td>");
		html_text(r, pct);
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table>");
	sohoa_buf_release(&u);
}

/*
 * The place in the queue a request names: "after" a document (and
 * "key" of it) in the query (a link) or in the form (a POST done with
 * its item); none is the start.  0, or 400 for a bad number.
 */
static int
place(const char *doc, const char *key,
    struct sohoa_review_range *range)
{
	char *end;
	long long v;

	memset(range, 0, sizeof(*range));
	range->limit = NEXT_SHOWN + 1;
	if (doc == NULL)
		return 0;
	v = strtoll(doc, &end, 10);
	if (*end != '\0' || v <= 0)
		return 400;
	range->doc_id = v;
	range->key = key != NULL && *key != '\0' ? key : NULL;
	range->after = 1;
	return 0;
}

/* *pempty: 1 when the queue holds nothing at all */
static int
queue_empty(struct web_req *r, int *pempty)
{
	struct sohoa_review_range all;
	struct queue q;
	int rc;

	memset(&all, 0, sizeof(all));
	all.limit = 1;
	rc = load_queue(r, &all, &q);
	*pempty = q.n == 0;
	queue_release(&q);
	return rc;
}

/*
 * The queue page from RANGE: its first item is the one worked on, the
 * next ones are listed under it; ERR is a refusal to show by that item.
 */
static int
render(struct web_req *r, int status, const struct sohoa_review_range *range,
    const char *err)
{
	struct queue q;
	struct sohoa_document *d = NULL;
	char n[32], m[32];
	int nfields, ndocs, empty = 1;

	html_begin(r, web_t(r, "review.title"), "review");
	html_raw(r, "<h1>");
	html_t(r, "review.title");
	html_raw(r, "</h1>");
	if (load_queue(r, range, &q) != SOHOA_OK ||
	    sohoa_archive_review_count(r->a, &nfields, &ndocs) != SOHOA_OK ||
	    (q.n == 0 && range->doc_id > 0 && queue_empty(r, &empty) !=
	    SOHOA_OK)) {
		web_log(r->w, "review queue: %s", sohoa_errmsg(r->ctx));
		queue_release(&q);
		return web_error(r, 500, NULL);
	}
	snprintf(n, sizeof(n), "%d", nfields);
	snprintf(m, sizeof(m), "%d", ndocs);
	html_raw(r, "<p class=\"count\" id=\"review-count\">");
	if (ndocs > 0)
		html_tf(r, "review.count_other", n, m, NULL);
	else
		html_tf(r, "review.count", n, NULL);
	html_raw(r, "</p>");
	if (q.n == 0) {
		html_raw(r, "<p class=\"msg good\" id=\"review-done\">");
		html_t(r, empty ? "review.empty" : "review.end");
		html_raw(r, "</p>");
		if (!empty) {
			/* the skipped ones are still there */
			html_raw(r, "<p><a href=\"/review\">");
			html_t(r, "review.again");
			html_raw(r, "</a></p>");
		}
		goto out;
	}
	r->id[0] = q.v[0].doc;
	if (sohoa_archive_document_load(r->a, q.v[0].doc, &d) != SOHOA_OK) {
		web_log(r->w, "review queue: %s", sohoa_errmsg(r->ctx));
		html_raw(r, "<p class=\"msg bad\">");
		html_t(r, "error.500");
		html_raw(r, "</p>");
		goto out;
	}
	if (q.v[0].key != NULL)
		current_field(r, &q.v[0], d, err);
	else
		current_type(r, &q.v[0], d, err);
	next_items(r, &q, 1);
out:
	html_end(r);
	sohoa_document_destroy(&d);
	queue_release(&q);
	return status;
}

int
page_review(struct web_req *r)
{
	struct sohoa_review_range range;

	if (place(web_arg(r, "after"), web_arg(r, "key"), &range) != 0)
		return web_error(r, 400, NULL);
	return render(r, 200, &range, NULL);
}

/* The queue again from the form's own item, with ERR beside it */
static int
again(struct web_req *r, int status, const char *err)
{
	struct sohoa_review_range range;

	if (place(web_form(r, "doc"), web_form(r, "key"), &range) != 0)
		return web_error(r, 400, NULL);
	range.after = 0;
	return render(r, status, &range, err);
}

/* The document a review form names, loaded; 0 or an HTTP status */
static int
form_document(struct web_req *r, struct sohoa_document **pdoc)
{
	const char *doc = web_form(r, "doc");
	char *end;
	long long v;

	*pdoc = NULL;
	if (doc == NULL)
		return web_error(r, 400, NULL);
	v = strtoll(doc, &end, 10);
	if (*end != '\0' || v <= 0)
		return web_error(r, 400, NULL);
	r->id[0] = v;
	return web_load_document(r, pdoc);
}

/*
 * Done with the form's item (accepted, corrected, typed, or left as it
 * is): on to the item after it.
 */
static int
next(struct web_req *r, const char *key)
{
	struct sohoa_buf loc = SOHOA_BUF_INIT;
	int status;

	after_url(&loc, r->id[0], key);
	status = web_redirect(r, loc.buf);
	sohoa_buf_release(&loc);
	return status;
}

int
page_review_accept(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	const char *key = web_form(r, "key");
	int status;

	status = form_document(r, &d);
	if (status != 0)
		return status;
	status = web_accept(r, d, key);
	if (status == 409)
		status = again(r, 409, web_t(r, "error.busy"));
	else if (status != 0)
		status = web_error(r, status, NULL);
	else
		status = next(r, key);
	sohoa_document_destroy(&d);
	return status;
}

int
page_review_fields(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct web_set_result res;
	const char *key = web_form(r, "key"), *value = web_form(r, "value");
	int status;

	memset(&res, 0, sizeof(res));
	status = form_document(r, &d);
	if (status != 0)
		return status;
	if (key == NULL || value == NULL)
		status = web_error(r, 400, NULL);
	else if ((status = web_set_fields(r, d, &key, &value, 1, &res)) == 0)
		status = next(r, key);
	else if (status == 400 || status == 409)
		status = again(r, status, res.msg.buf);
	else
		status = web_error(r, status, NULL);
	web_set_result_release(&res);
	sohoa_document_destroy(&d);
	return status;
}

int
page_review_type(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	const char *type = web_form(r, "doc_type");
	int status;

	status = form_document(r, &d);
	if (status != 0)
		return status;
	if (type == NULL)
		status = web_error(r, 400, NULL);
	else if (sohoa_records_doc_type_set(r->a, r->w->doctypes, d->id,
	    type) == SOHOA_OK)
		status = next(r, NULL);
	else if (sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT)
		status = again(r, 400, web_t(r, "check.doc_type"));
	else
		status = web_fail(r);
	sohoa_document_destroy(&d);
	return status;
}
