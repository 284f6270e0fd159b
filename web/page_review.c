/*
 * The review queue: flagged fields and documents of type 'other', oldest
 * document first, one at a time, with the crop of the page where the
 * value was read beside it.  A clerk accepts the value as read (Enter),
 * or corrects it (Tab, type, Enter) and goes on to the next; the type of
 * an 'other' document is chosen from the list.  Every action goes
 * through sohoa/records.h and is in the history.
 *
 *   GET  /review?skip=N       the queue, N items skipped
 *   POST /review/accept       key, doc: the value is right as read
 *   POST /review/fields       key, value, doc: corrected
 *   POST /review/type         doc_type, doc: the document's type
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/records.h"
#include "sohoa/search.h"
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
	size_t want;		/* stop the walk after this many fields */
	int full;
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

static int
push(struct queue *q, int64_t doc, const char *key, const char *value,
    float conf)
{
	struct item *v;

	if (q->n == q->alloc) {
		q->alloc = q->alloc ? q->alloc * 2 : 64;
		v = realloc(q->v, q->alloc * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		q->v = v;
	}
	v = &q->v[q->n];
	memset(v, 0, sizeof(*v));
	v->doc = doc;
	v->conf = conf;
	if ((key != NULL && (v->key = strdup(key)) == NULL) ||
	    (value != NULL && (v->value = strdup(value)) == NULL)) {
		free(v->key);
		return SOHOA_ERR_NOMEM;
	}
	q->n++;
	return SOHOA_OK;
}

static int
on_review(void *arg, const struct sohoa_review_item *it)
{
	struct queue *q = arg;
	int rc;

	if (it->kind != SOHOA_REVIEW_FLAGGED_FIELD)
		return 0;
	if (q->n >= q->want) {
		q->full = 1;
		return 1;	/* enough for this page */
	}
	rc = push(q, it->doc_id, it->key, it->value, it->conf);
	if (rc == SOHOA_OK)
		q->v[q->n - 1].unread = sohoa_field_unread(it->value, it->raw);
	return rc;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	if (x->key == NULL || y->key == NULL)
		return x->key == NULL ? (y->key == NULL ? 0 : -1) : 1;
	return strcmp(x->key, y->key);
}

/*
 * The queue up to WANT fields: flagged fields (by document, as the
 * archive lists them) and 'other' documents (up to the search limit),
 * merged oldest document first.
 */
static int
load_queue(struct web_req *r, size_t want, struct queue *q)
{
	struct sohoa_search_opts o;
	struct sohoa_search_result *res = NULL;
	size_t i;
	int rc;

	memset(q, 0, sizeof(*q));
	q->want = want;
	rc = sohoa_archive_review_list(r->a, on_review, q);
	if (rc != SOHOA_OK && rc != 1)
		return rc;
	memset(&o, 0, sizeof(o));
	o.doc_type = "other";
	o.limit = SOHOA_SEARCH_LIMIT_MAX;
	o.flags = SOHOA_SEARCH_NO_FUZZY;
	rc = sohoa_search(r->a, &o, &res);
	if (rc != SOHOA_OK)
		return rc;
	for (i = 0; i < res->nhits && rc == SOHOA_OK; i++)
		/* past the last field loaded, it would come later anyway */
		if (!q->full || q->n == 0 || res->hits[i].doc_id <=
		    q->v[q->n - 1].doc)
			rc = push(q, res->hits[i].doc_id, NULL, NULL, 0);
	sohoa_search_result_destroy(&res);
	if (rc != SOHOA_OK)
		return sohoa_set_error(r->ctx, rc, "out of memory");
	if (q->n > 1)
		qsort(q->v, q->n, sizeof(*q->v), item_cmp);
	return SOHOA_OK;
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

static void
current_field(struct web_req *r, const struct item *it,
    const struct sohoa_document *d, size_t skip, const char *err)
{
	struct sohoa_buf u = SOHOA_BUF_INIT;
	int missing = it->unread;
	int page = missing && d->npages > 0 && d->pages[0].image_sha256[0];
	char pct[16];

	html_raw(r, "<div class=\"review-item\" id=\"review-item\"><div "
	    "class=\"crop-box\">");
	/* not read: the whole first page, where the clerk reads it */
	if (page)
		sohoa_buf_addf(&u, "/documents/%lld/pages/1",
		    (long long)it->doc);
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
	html_raw(r, "><p class=\"hint\"><a");
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
	hidden_int(r, "skip", (long long)skip);
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
	hidden_int(r, "skip", (long long)skip);
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
	html_raw(r, "</button><a class=\"skip\" id=\"skip\"");
	sohoa_buf_reset(&u);
	sohoa_buf_addf(&u, "/review?skip=%zu", skip + 1);
	html_attr(r, "href", u.buf);
	html_raw(r, ">");
	html_t(r, "review.skip");
	html_raw(r, "</a></div></form><p class=\"keys\">");
	html_t(r, "review.keys");
	html_raw(r, "</p></div></div>");
	sohoa_buf_release(&u);
}

static void
current_type(struct web_req *r, const struct item *it,
    const struct sohoa_document *d, size_t skip, const char *err)
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
	hidden_int(r, "skip", (long long)skip);
	html_raw(r, "<label for=\"review-type\">");
	html_t(r, "search.type");
	html_raw(r, "</label><select id=\"review-type\" name=\"doc_type\">");
	web_type_options(r, d->doc_type, 0);
	html_raw(r, "</select><div class=\"actions\"><button type=\"submit\" "
	    "id=\"save-next\">");
	html_t(r, "review.save_next");
	html_raw(r, "</button><a class=\"skip\" id=\"skip\"");
	sohoa_buf_reset(&u);
	sohoa_buf_addf(&u, "/review?skip=%zu", skip + 1);
	html_attr(r, "href", u.buf);
	html_raw(r, ">");
	html_t(r, "review.skip");
	html_raw(r, "</a></div></form></div></div>");
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

static size_t
skip_arg(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v < 100000 ? (size_t)v : 0;
}

/* The queue page; ERR is a refusal to show by the current item */
static int
render(struct web_req *r, int status, size_t skip, const char *err)
{
	struct queue q;
	struct sohoa_document *d = NULL;
	struct sohoa_archive_counts c;
	char n[32];

	html_begin(r, web_t(r, "review.title"), "review");
	html_raw(r, "<h1>");
	html_t(r, "review.title");
	html_raw(r, "</h1>");
	if (load_queue(r, skip + NEXT_SHOWN + 1, &q) != SOHOA_OK ||
	    sohoa_archive_counts(r->a, &c) != SOHOA_OK) {
		web_log(r->w, "review queue: %s", sohoa_errmsg(r->ctx));
		queue_release(&q);
		return web_error(r, 500, NULL);
	}
	snprintf(n, sizeof(n), "%d", c.fields_flagged);
	html_raw(r, "<p class=\"count\" id=\"review-count\">");
	html_tf(r, "review.count", n, NULL);
	html_raw(r, "</p>");
	if (skip >= q.n) {
		html_raw(r, "<p class=\"msg good\" id=\"review-done\">");
		html_t(r, skip > 0 && q.n > 0 ? "review.end" : "review.empty");
		html_raw(r, "</p>");
		if (skip > 0 && q.n > 0) {
			/* the skipped ones are still there */
			html_raw(r, "<p><a href=\"/review\">");
			html_t(r, "review.again");
			html_raw(r, "</a></p>");
		}
		goto out;
	}
	r->id[0] = q.v[skip].doc;
	if (sohoa_archive_document_load(r->a, q.v[skip].doc, &d) !=
	    SOHOA_OK) {
		web_log(r->w, "review queue: %s", sohoa_errmsg(r->ctx));
		html_raw(r, "<p class=\"msg bad\">");
		html_t(r, "error.500");
		html_raw(r, "</p>");
		goto out;
	}
	if (q.v[skip].key != NULL)
		current_field(r, &q.v[skip], d, skip, err);
	else
		current_type(r, &q.v[skip], d, skip, err);
	next_items(r, &q, skip + 1);
out:
	html_end(r);
	sohoa_document_destroy(&d);
	queue_release(&q);
	return status;
}

int
page_review(struct web_req *r)
{
	return render(r, 200, skip_arg(web_arg(r, "skip")), NULL);
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
 * Done with an item: the same position now holds the next one (or, when
 * the item stays in the queue, the next position does).
 */
static int
next(struct web_req *r, int stays)
{
	char loc[64];
	size_t skip = skip_arg(web_form(r, "skip")) + (stays ? 1 : 0);

	if (skip == 0)
		return web_redirect(r, "/review");
	snprintf(loc, sizeof(loc), "/review?skip=%zu", skip);
	return web_redirect(r, loc);
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
		status = render(r, 409, skip_arg(web_form(r, "skip")),
		    web_t(r, "error.busy"));
	else if (status != 0)
		status = web_error(r, status, NULL);
	else
		status = next(r, 0);
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
		status = next(r, 0);
	else if (status == 400 || status == 409)
		status = render(r, status, skip_arg(web_form(r, "skip")),
		    res.msg.buf);
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
		status = next(r, strcmp(type, "other") == 0);
	else if (sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT)
		status = render(r, 400, skip_arg(web_form(r, "skip")),
		    web_t(r, "check.doc_type"));
	else
		status = web_fail(r);
	sohoa_document_destroy(&d);
	return status;
}
