/*
 * A document: its page images (zoomable), fields with confidence and
 * review flags, OCR text with the search words marked, and its history;
 * clerks correct fields in place.  Also the page image itself and the
 * corrections posted by the form.  Every view is recorded for the audit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/pipeline.h"
#include "sohoa/records.h"
#include "sohoa/utf8.h"
#include "web_private.h"

int
web_load_document(struct web_req *r, struct sohoa_document **pdoc)
{
	if (sohoa_archive_document_load(r->a, r->id[0], pdoc) != SOHOA_OK)
		return web_fail(r);
	return 0;
}

int
web_record_view(struct web_req *r, const struct sohoa_document *d)
{
	if (web_event(r, SOHOA_EV_VIEW, d->id, d->dossier_id, NULL, NULL,
	    NULL) == SOHOA_OK)
		return 0;
	/* a view that cannot be recorded is not shown */
	web_log(r->w, "cannot record a view: %s", sohoa_errmsg(r->ctx));
	return web_error(r, 503, NULL);
}

int
web_accept(struct web_req *r, const struct sohoa_document *d,
    const char *key)
{
	if (key == NULL)
		return 400;
	if (sohoa_records_field_accept(r->a, d->id, key) == SOHOA_OK)
		return 0;
	switch (sohoa_errcode(r->ctx)) {
	case SOHOA_ERR_BUSY: return 409;
	case SOHOA_ERR_NOTFOUND: return 404;
	case SOHOA_ERR_INPUT: return 400;
	default:
		web_log(r->w, "cannot accept a field of %lld: %s",
		    (long long)d->id, sohoa_errmsg(r->ctx));
		return 500;
	}
}

static int
date_key(const char *key)
{
	return strstr(key, "date") != NULL;
}

/* A field value as a person reads it: dates as DD/MM/YYYY */
static void
field_value(struct web_req *r, const char *key, const char *value)
{
	if (date_key(key))
		html_date(r, value, 0);
	else
		html_text(r, value);
}

/* The same for an input's value attribute */
static void
field_value_attr(struct web_req *r, const char *key, const char *value)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;

	if (date_key(key))
		web_date_str(value, 0, &v);
	else
		sohoa_buf_adds(&v, value);
	html_attr(r, "value", v.buf);
	sohoa_buf_release(&v);
}

/* ---- corrections -------------------------------------------------------- */

/*
 * Why a value a person typed for KEY was refused, in the catalogue's
 * words: by what the field holds (the library's own message is English,
 * for the command line, and goes to the log).
 */
static void
check_message(struct web_req *r, const char *doc_type, const char *key,
    const char *value, struct sohoa_buf *out)
{
	const char *type = sohoa_doctypes_field_type(r->w->doctypes, doc_type,
	    key);
	const char *p = value;
	const char *what;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		what = web_t(r, "check.empty");
	else if (strcmp(key, "doc_type") == 0)
		what = web_t(r, "check.doc_type");
	else if (type == NULL)
		what = web_t(r, "check.unknown_key");
	else
		what = web_t2(r, "check", type);
	if (what == type)	/* no text for this type */
		what = web_t(r, "check.other");
	web_tf(r, out, "check.refused", web_field_label(r, doc_type, key),
	    what, NULL);
}

int
web_set_fields(struct web_req *r, const struct sohoa_document *d,
    const char *const *keys, const char *const *values, size_t n,
    struct web_set_result *res)
{
	struct sohoa_field_change *ch;
	struct sohoa_buf tmp = SOHOA_BUF_INIT;
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	sohoa_buf_init(&res->msg);
	/* each value first, so the refusal names its field */
	for (i = 0; i < n; i++) {
		sohoa_buf_reset(&tmp);
		if (sohoa_field_check(r->ctx, r->w->doctypes, d->doc_type,
		    keys[i], values[i], 0, &tmp) != SOHOA_OK) {
			sohoa_buf_release(&tmp);
			res->bad_key = keys[i];
			sohoa_buf_adds(&res->detail, sohoa_errmsg(r->ctx));
			check_message(r, d->doc_type, keys[i], values[i],
			    &res->msg);
			return sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT ? 400 :
			    500;
		}
	}
	sohoa_buf_release(&tmp);
	ch = calloc(n ? n : 1, sizeof(*ch));
	if (ch == NULL)
		return 500;
	for (i = 0; i < n; i++) {
		ch[i].key = keys[i];
		ch[i].value = values[i];
	}
	rc = sohoa_records_field_set(r->a, r->w->doctypes, d->id, ch, n, 0);
	if (rc == SOHOA_OK) {
		res->changes = ch;
		res->n = n;
		return 0;
	}
	sohoa_field_changes_release(ch, n);
	free(ch);
	sohoa_buf_adds(&res->detail, sohoa_errmsg(r->ctx));
	switch (rc) {
	case SOHOA_ERR_INPUT:
		web_tf(r, &res->msg, "check.input", NULL);
		return 400;
	case SOHOA_ERR_NOTFOUND:
		return 404;
	case SOHOA_ERR_BUSY:
		web_tf(r, &res->msg, "error.busy", NULL);
		return 409;
	default:
		web_log(r->w, "cannot correct document %lld: %s",
		    (long long)d->id, sohoa_errmsg(r->ctx));
		return 500;
	}
}

void
web_set_result_release(struct web_set_result *res)
{
	if (res->changes != NULL)
		sohoa_field_changes_release(res->changes, res->n);
	free(res->changes);
	res->changes = NULL;
	sohoa_buf_release(&res->msg);
	sohoa_buf_release(&res->detail);
}

/* ---- the page ----------------------------------------------------------- */

struct history {
	struct web_req *r;
	const char *doc_type;
	int n;
};

static int
history_row(void *arg, const struct sohoa_event *ev)
{
	struct history *h = arg;
	struct web_req *r = h->r;

	h->n++;
	html_raw(r, "<tr><td>");
	html_date(r, ev->at, 1);
	html_raw(r, "</td><td>");
	html_text(r, ev->who);
	html_raw(r, "</td><td>");
	html_text(r, web_t2(r, "ev", ev->action));
	html_raw(r, "</td><td>");
	html_event_field(r, ev, h->doc_type);
	html_raw(r, "</td><td>");
	html_event_change(r, ev);
	html_raw(r, "</td></tr>");
	return 0;
}

static void
history_html(struct web_req *r, const struct sohoa_document *d)
{
	struct sohoa_event_filter f;
	struct history h = { r, d->doc_type, 0 };
	size_t mark;

	memset(&f, 0, sizeof(f));
	f.document_id = d->id;
	f.action = "!" SOHOA_EV_VIEW;
	f.limit = 200;
	html_raw(r, "<section class=\"history\"><h2>");
	html_t(r, "doc.history");
	html_raw(r, "</h2><table id=\"history\"><thead><tr><th>");
	html_t(r, "history.when");
	html_raw(r, "</th><th>");
	html_t(r, "history.who");
	html_raw(r, "</th><th>");
	html_t(r, "history.what");
	html_raw(r, "</th><th>");
	html_t(r, "history.field");
	html_raw(r, "</th><th>");
	html_t(r, "history.change");
	html_raw(r, "</th></tr></thead><tbody>");
	mark = r->out.len;
	if (sohoa_archive_event_list(r->a, &f, history_row, &h) != SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		web_log(r->w, "history of %lld: %s", (long long)d->id,
		    sohoa_errmsg(r->ctx));
	}
	if (h.n == 0) {
		html_raw(r, "<tr><td colspan=\"5\" class=\"none\">");
		html_t(r, "doc.no_history");
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table></section>");
}

static void
conf_html(struct web_req *r, float conf)
{
	char pct[16];

	snprintf(pct, sizeof(pct), "%.0f%%", (double)conf);
	html_raw(r, "<span class=\"conf\">");
	html_text(r, pct);
	html_raw(r, "</span>");
}

/* The text as read, when it says more than the value (not just spaces) */
static int
raw_differs(const char *raw, const char *value)
{
	size_t n;

	if (raw == NULL)
		return 0;
	while (*raw == ' ')
		raw++;
	n = strlen(raw);
	while (n > 0 && raw[n - 1] == ' ')
		n--;
	return strlen(value) != n || strncmp(raw, value, n) != 0;
}

static void
field_row(struct web_req *r, const struct sohoa_document *d,
    const struct sohoa_doc_field *f, const char *err_key,
    const char *err_msg)
{
	struct sohoa_buf id = SOHOA_BUF_INIT;
	int clerk = r->sess.role >= SOHOA_ROLE_CLERK;
	const char *label = web_field_label(r, d->doc_type, f->key);

	sohoa_buf_addf(&id, "f-%s", f->key);
	html_raw(r, "<tr");
	html_attr(r, "id", id.buf);
	if (f->flagged)
		html_raw(r, " class=\"flagged\"");
	else if (f->corrected)
		html_raw(r, " class=\"corrected\"");
	html_raw(r, "><th scope=\"row\">");
	html_text(r, label);
	html_raw(r, "</th><td>");
	if (clerk) {
		html_raw(r, "<form class=\"edit\" method=\"post\"");
		sohoa_buf_reset(&id);
		sohoa_buf_addf(&id, "/documents/%lld/fields",
		    (long long)d->id);
		html_attr(r, "action", id.buf);
		html_raw(r, ">");
		sohoa_buf_reset(&id);
		sohoa_buf_addf(&id, "v-%s", f->key);
		html_csrf(r);
		html_raw(r, "<input type=\"hidden\" name=\"key\"");
		html_attr(r, "value", f->key);
		html_raw(r, "><input class=\"value\" name=\"value\"");
		html_attr(r, "id", id.buf);
		html_attr(r, "aria-label", label);
		if (err_key != NULL && strcmp(err_key, f->key) == 0 &&
		    web_form(r, "value") != NULL)
			html_attr(r, "value", web_form(r, "value"));
		else
			field_value_attr(r, f->key, f->value);
		if (sohoa_field_unread(f->value, f->raw))
			html_attr(r, "placeholder",
			    web_t(r, "review.not_read_short"));
		html_raw(r, "><button type=\"submit\">");
		html_t(r, "doc.save");
		html_raw(r, "</button></form>");
		if (err_key != NULL && strcmp(err_key, f->key) == 0) {
			html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
			html_text(r, err_msg);
			html_raw(r, "</p>");
		}
	} else {
		html_raw(r, "<span class=\"value\">");
		if (sohoa_field_unread(f->value, f->raw))
			html_t(r, "review.not_read_short");
		else
			field_value(r, f->key, f->value);
		html_raw(r, "</span>");
	}
	sohoa_buf_reset(&id);
	if (date_key(f->key))
		web_date_str(f->value, 0, &id);
	else
		sohoa_buf_adds(&id, f->value);
	if (raw_differs(f->raw, id.buf)) {
		html_raw(r, "<div class=\"raw\">");
		html_t(r, "doc.raw");
		html_raw(r, " <q>");
		html_text(r, f->raw);
		html_raw(r, "</q></div>");
	}
	html_raw(r, "</td><td>");
	conf_html(r, f->conf);
	if (f->flagged) {
		html_raw(r, " <span class=\"tag warn\">");
		html_t(r, "doc.flagged");
		html_raw(r, "</span>");
		if (clerk) {
			html_raw(r, "<form class=\"accept\" method=\"post\"");
			sohoa_buf_reset(&id);
			sohoa_buf_addf(&id, "/documents/%lld/accept",
			    (long long)d->id);
			html_attr(r, "action", id.buf);
			html_raw(r, ">");
			html_csrf(r);
			html_raw(r, "<input type=\"hidden\" name=\"key\"");
			html_attr(r, "value", f->key);
			html_raw(r, "><button type=\"submit\" class=\"plain\"");
			sohoa_buf_reset(&id);
			sohoa_buf_addf(&id, "accept-%s", f->key);
			html_attr(r, "id", id.buf);
			html_attr(r, "title", web_t(r, "doc.accept_hint"));
			html_raw(r, ">");
			html_t(r, "doc.accept");
			html_raw(r, "</button></form>");
		}
	} else if (f->corrected) {
		html_raw(r, " <span class=\"tag ok\">");
		html_t(r, "doc.corrected");
		html_raw(r, "</span>");
	}
	html_raw(r, "</td></tr>");
	sohoa_buf_release(&id);
}

/*
 * Fields in the order a form prints them (the doctypes/ files), unknown
 * keys after, in theirs; the type is in the header, not a field to type.
 */
static const char *const field_order[] = {
	"doc_number", "issuer", "issue_date", "subject", "full_name",
	"spouse_name", "birth_date", "sex", "ethnicity", "nationality",
	"birth_place", "hometown", "residence", "personal_id",
	"marital_status", "death_date", "death_place", "death_cause",
	"mother_name", "father_name", "registration_place",
	"registration_date", "signer", NULL,
};

static void
for_each_field(struct web_req *r, const struct sohoa_document *d,
    const char *err_key, const char *err_msg)
{
	size_t i, k;

	for (k = 0; field_order[k] != NULL; k++)
		for (i = 0; i < d->nfields; i++)
			if (strcmp(d->fields[i].key, field_order[k]) == 0)
				field_row(r, d, &d->fields[i], err_key,
				    err_msg);
	for (i = 0; i < d->nfields; i++) {
		if (strcmp(d->fields[i].key, "doc_type") == 0)
			continue;
		for (k = 0; field_order[k] != NULL; k++)
			if (strcmp(d->fields[i].key, field_order[k]) == 0)
				break;
		if (field_order[k] == NULL)
			field_row(r, d, &d->fields[i], err_key, err_msg);
	}
}

/* Cleanup steps a clerk may leave out when a page is read again */
static const struct {
	const char *name;
	unsigned bit;
} steps[] = {
	{ "background", SOHOA_CLEAN_BACKGROUND },
	{ "stamp", SOHOA_CLEAN_STAMP },
	{ "binarize", SOHOA_CLEAN_BINARIZE },
	{ "deskew", SOHOA_CLEAN_DESKEW },
	{ "border", SOHOA_CLEAN_BORDER },
	{ "leaders", SOHOA_CLEAN_LEADERS },
};

/* Read a page again: turned as a person says, or without a cleanup step */
static void
reread_form(struct web_req *r, const struct sohoa_document *d, size_t page)
{
	static const char *const turns[] = { "auto", "0", "90", "180", "270" };
	struct sohoa_buf k = SOHOA_BUF_INIT;
	size_t i;

	sohoa_buf_addf(&r->out, "<details class=\"page-tools\"><summary>");
	html_t(r, "doc.reread");
	sohoa_buf_addf(&r->out, "</summary><form method=\"post\" "
	    "action=\"/documents/%lld/pages/%zu/reread\">", (long long)d->id,
	    page + 1);
	html_csrf(r);
	sohoa_buf_addf(&r->out, "<label for=\"rotate-%zu\">", page + 1);
	html_t(r, "doc.rotate");
	sohoa_buf_addf(&r->out, "</label><select id=\"rotate-%zu\" "
	    "name=\"rotate\">", page + 1);
	for (i = 0; i < sizeof(turns) / sizeof(turns[0]); i++) {
		html_raw(r, "<option");
		html_attr(r, "value", turns[i]);
		html_raw(r, ">");
		sohoa_buf_reset(&k);
		sohoa_buf_addf(&k, "doc.rotate_%s", turns[i]);
		html_t(r, k.buf);
		html_raw(r, "</option>");
	}
	html_raw(r, "</select><fieldset><legend>");
	html_t(r, "doc.without");
	html_raw(r, "</legend>");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		html_raw(r, "<label class=\"check\"><input type=\"checkbox\" "
		    "name=\"without\"");
		html_attr(r, "value", steps[i].name);
		html_raw(r, "> ");
		sohoa_buf_reset(&k);
		sohoa_buf_addf(&k, "step.%s", steps[i].name);
		html_t(r, k.buf);
		html_raw(r, "</label>");
	}
	html_raw(r, "</fieldset><input name=\"why\"");
	html_attr(r, "placeholder", web_t(r, "doc.why"));
	html_attr(r, "aria-label", web_t(r, "doc.why"));
	sohoa_buf_addf(&r->out, "><button type=\"submit\" "
	    "id=\"reread-%zu\">", page + 1);
	html_t(r, "doc.reread_go");
	html_raw(r, "</button><p class=\"hint\">");
	html_t(r, "doc.reread_hint");
	html_raw(r, "</p></form></details>");
	sohoa_buf_release(&k);
}

static void
pages_html(struct web_req *r, const struct sohoa_document *d)
{
	struct sohoa_buf u = SOHOA_BUF_INIT;
	char num[32];
	size_t i;

	html_raw(r, "<section class=\"pages\" id=\"pages\"><h2>");
	html_t(r, "doc.pages");
	html_raw(r, "</h2><div class=\"zoom\" role=\"group\"><button "
	    "type=\"button\" data-zoom=\"-1\">−</button><button "
	    "type=\"button\" data-zoom=\"0\">");
	html_t(r, "doc.zoom_fit");
	html_raw(r, "</button><button type=\"button\" data-zoom=\"1\">+"
	    "</button></div>");
	for (i = 0; i < d->npages; i++) {
		const struct sohoa_doc_page *p = &d->pages[i];

		snprintf(num, sizeof(num), "%zu", i + 1);
		html_raw(r, "<figure>");
		if (p->image_sha256[0]) {
			html_raw(r, "<div class=\"frame\"><img class=\"page-img\"");
			sohoa_buf_reset(&u);
			sohoa_buf_addf(&u, "/documents/%lld/pages/%zu",
			    (long long)d->id, i + 1);
			html_attr(r, "src", u.buf);
			sohoa_buf_reset(&u);
			web_tf(r, &u, "doc.page_n", num, NULL);
			html_attr(r, "alt", u.buf);
			sohoa_buf_addf(&r->out, " width=\"%d\" height=\"%d\">"
			    "</div>", p->width, p->height);
		} else {
			html_raw(r, "<p class=\"none\">");
			html_t(r, "doc.no_image");
			html_raw(r, "</p>");
		}
		html_raw(r, "<figcaption>");
		html_tf(r, "doc.page_n", num, NULL);
		html_raw(r, " · ");
		html_text(r, web_t2(r, "page", sohoa_page_status_name(
		    p->status)));
		if (p->error != NULL) {
			html_raw(r, " · ");
			html_text(r, p->error);
		}
		html_raw(r, "</figcaption>");
		if (r->sess.role >= SOHOA_ROLE_CLERK)
			reread_form(r, d, i);
		html_raw(r, "</figure>");
	}
	html_raw(r, "</section>");
	sohoa_buf_release(&u);
}

/* The lines of TEXT, each in a span a clerk's click can pick (app.js) */
static void
lines_html(struct web_req *r, const char *text, const char *q,
    size_t *pnlines)
{
	struct sohoa_buf line = SOHOA_BUF_INIT;
	const char *p = text, *end;
	size_t n = 0;

	while (*p) {
		end = p + strcspn(p, "\n");
		sohoa_buf_reset(&line);
		sohoa_buf_add(&line, p, (size_t)(end - p));
		sohoa_buf_addf(&r->out, "<span class=\"ln\" data-line=\"%zu\">",
		    n + 1);
		html_highlight(r, line.buf, q);
		html_raw(r, "</span>\n");
		n++;
		p = *end ? end + 1 : end;
	}
	sohoa_buf_release(&line);
	*pnlines = n;
}

/* Correct one line: the line by its number (and a start of its text) */
static void
line_form(struct web_req *r, const struct sohoa_document *d, size_t page,
    const char *text, size_t nlines)
{
	struct sohoa_buf label = SOHOA_BUF_INIT;
	const char *p = text, *end;
	size_t n = 0, len;

	sohoa_buf_addf(&r->out, "<form class=\"line-form\" method=\"post\" "
	    "action=\"/documents/%lld/pages/%zu/text\">", (long long)d->id,
	    page + 1);
	html_csrf(r);
	sohoa_buf_addf(&r->out, "<label for=\"line-%zu\">", page + 1);
	html_t(r, "doc.line");
	sohoa_buf_addf(&r->out, "</label><select id=\"line-%zu\" name=\"line\">",
	    page + 1);
	while (*p && n < nlines) {
		end = p + strcspn(p, "\n");
		len = sohoa_utf8_clip(p, (size_t)(end - p), 48);
		sohoa_buf_reset(&label);
		sohoa_buf_addf(&label, "%zu: ", n + 1);
		sohoa_buf_add(&label, p, len);
		sohoa_buf_addf(&r->out, "<option value=\"%zu\">", n + 1);
		html_text(r, label.buf);
		html_raw(r, "</option>");
		n++;
		p = *end ? end + 1 : end;
	}
	sohoa_buf_addf(&r->out, "</select><input class=\"value\" name=\"text\" "
	    "id=\"line-text-%zu\"", page + 1);
	html_attr(r, "aria-label", web_t(r, "doc.line_text"));
	html_raw(r, "><button type=\"submit\" class=\"plain\">");
	html_t(r, "doc.line_save");
	html_raw(r, "</button></form>");
	sohoa_buf_release(&label);
}

static void
text_html(struct web_req *r, const struct sohoa_document *d, const char *q)
{
	char num[32];
	size_t i, nlines;

	html_raw(r, "<section class=\"ocr\"><h2>");
	html_t(r, "doc.text");
	html_raw(r, "</h2>");
	for (i = 0; i < d->npages; i++) {
		snprintf(num, sizeof(num), "%zu", i + 1);
		sohoa_buf_addf(&r->out, "<h3 id=\"text-%zu\">", i + 1);
		html_tf(r, "doc.page_n", num, NULL);
		sohoa_buf_addf(&r->out, "</h3><pre class=\"text\" "
		    "id=\"page-text-%zu\">", i + 1);
		lines_html(r, d->pages[i].text, q, &nlines);
		html_raw(r, "</pre>");
		if (r->sess.role >= SOHOA_ROLE_CLERK && nlines > 0)
			line_form(r, d, i, d->pages[i].text, nlines);
	}
	html_raw(r, "</section>");
}

/*
 * The page for document D; ERR_KEY / ERR_MSG put a message by the field
 * a correction of which was refused.
 */
static int
render(struct web_req *r, const struct sohoa_document *d, int status,
    const char *err_key, const char *err_msg)
{
	const char *name = web_title_name(d->title, d->doc_type);
	const char *q = web_arg(r, "q"), *saved = web_arg(r, "saved");

	html_begin(r, name ? name : web_t2(r, "type", d->doc_type), "search");
	html_raw(r, "<article class=\"doc\"><header class=\"doc-head\">"
	    "<h1 id=\"doc-title\">");
	html_text(r, name ? name : web_t2(r, "type", d->doc_type));
	html_raw(r, "</h1><p class=\"meta\"><span class=\"type\" "
	    "id=\"doc-type\">");
	html_text(r, web_t2(r, "type", d->doc_type));
	html_raw(r, "</span><span>");
	if (d->doc_date != NULL)
		html_date(r, d->doc_date, 0);
	else
		html_t(r, "doc.no_date");
	html_raw(r, "</span><span>");
	html_t(r, "doc.dossier");
	sohoa_buf_addf(&r->out, " <a href=\"/dossiers/%lld\">",
	    (long long)d->dossier_id);
	html_text(r, d->dossier ? d->dossier : "—");
	html_raw(r, "</a></span><span>");
	html_t(r, "doc.file");
	html_raw(r, " ");
	html_text(r, d->file_name);
	html_raw(r, "</span><span>");
	html_t(r, "doc.confidence");
	html_raw(r, " ");
	conf_html(r, d->confidence);
	html_raw(r, "</span></p>");
	if (r->sess.role >= SOHOA_ROLE_CLERK) {
		html_raw(r, "<form class=\"type-form\" method=\"post\"");
		sohoa_buf_addf(&r->out, " action=\"/documents/%lld/type\">",
		    (long long)d->id);
		html_csrf(r);
		html_raw(r, "<label for=\"doc-type-select\">");
		html_t(r, "search.type");
		html_raw(r, "</label><select id=\"doc-type-select\" "
		    "name=\"doc_type\">");
		web_type_options(r, d->doc_type, 0);
		html_raw(r, "</select><button type=\"submit\" class=\"plain\" "
		    "id=\"doc-type-save\">");
		html_t(r, "doc.type_save");
		html_raw(r, "</button></form>");
	}
	html_raw(r, "</header>");
	if (d->deleted_at != NULL) {
		struct sohoa_buf when = SOHOA_BUF_INIT;

		web_date_str(d->deleted_at, 1, &when);
		html_raw(r, "<p class=\"msg bad\" id=\"deleted\">");
		html_tf(r, "doc.deleted", when.buf, d->deleted_by ?
		    d->deleted_by : "?", d->deleted_why ? d->deleted_why : "",
		    NULL);
		html_raw(r, "</p>");
		sohoa_buf_release(&when);
	}
	if (saved != NULL && status == 200) {
		html_raw(r, "<p class=\"msg good\" role=\"status\" id=\"saved\">");
		html_tf(r, "doc.saved", web_field_label(r, d->doc_type, saved),
		    NULL);
		html_raw(r, "</p>");
	}
	if (web_arg(r, "accepted") != NULL && status == 200) {
		html_raw(r, "<p class=\"msg good\" role=\"status\" id=\"saved\">");
		html_tf(r, "doc.accepted", web_field_label(r, d->doc_type,
		    web_arg(r, "accepted")), NULL);
		html_raw(r, "</p>");
	}
	if (web_arg(r, "reread") != NULL && status == 200) {
		html_raw(r, "<p class=\"msg good\" role=\"status\" id=\"saved\">");
		html_tf(r, "doc.reread_done", web_arg(r, "reread"), NULL);
		html_raw(r, "</p>");
	}
	if (web_arg(r, "edited") != NULL && status == 200) {
		html_raw(r, "<p class=\"msg good\" role=\"status\" id=\"saved\">");
		html_tf(r, "doc.line_done", web_arg(r, "edited"), NULL);
		html_raw(r, "</p>");
	}
	if (web_arg(r, "typed") != NULL && status == 200) {
		html_raw(r, "<p class=\"msg good\" role=\"status\" id=\"saved\">");
		html_tf(r, "doc.typed", web_t2(r, "type", d->doc_type), NULL);
		html_raw(r, "</p>");
	}
	if (err_msg != NULL && err_key == NULL) {
		html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
		html_text(r, err_msg);
		html_raw(r, "</p>");
	}
	html_raw(r, "<div class=\"doc-grid\">");
	pages_html(r, d);
	html_raw(r, "<section class=\"fields\"><h2>");
	html_t(r, "doc.fields");
	html_raw(r, "</h2>");
	if (d->nfields == 0) {
		html_raw(r, "<p class=\"none\">");
		html_t(r, "doc.no_fields");
		html_raw(r, "</p>");
	} else {
		html_raw(r, "<table id=\"fields\"><thead><tr><th>");
		html_t(r, "doc.field");
		html_raw(r, "</th><th>");
		html_t(r, "doc.value");
		html_raw(r, "</th><th>");
		html_t(r, "doc.confidence");
		html_raw(r, "</th></tr></thead><tbody>");
		for_each_field(r, d, err_key, err_msg);
		html_raw(r, "</tbody></table>");
	}
	html_raw(r, "</section></div>");
	text_html(r, d, q);
	history_html(r, d);
	html_raw(r, "</article>");
	html_end(r);
	return status;
}

int
page_document(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	status = web_record_view(r, d);
	if (status == 0)
		status = render(r, d, 200, NULL, NULL);
	sohoa_document_destroy(&d);
	return status;
}

/* Back to D's page, saying WHAT happened to field KEY, at that field. */
static int
field_redirect(struct web_req *r, const struct sohoa_document *d,
    const char *what, const char *key)
{
	struct sohoa_buf loc = SOHOA_BUF_INIT;
	int status;

	sohoa_buf_addf(&loc, "/documents/%lld?%s=", (long long)d->id, what);
	web_urlenc(&loc, key);
	sohoa_buf_adds(&loc, "#f-");
	web_urlenc(&loc, key);
	status = web_redirect(r, loc.buf);
	sohoa_buf_release(&loc);
	return status;
}

int
page_document_fields(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct web_set_result res;
	const char *key = web_form(r, "key"), *value = web_form(r, "value");
	int status;

	memset(&res, 0, sizeof(res));
	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	if (key == NULL || value == NULL) {
		status = render(r, d, 400, NULL, web_t(r, "error.400"));
		goto out;
	}
	status = web_set_fields(r, d, &key, &value, 1, &res);
	if (status == 400 || status == 409) {
		status = render(r, d, status, key, res.msg.buf);
		goto out;
	}
	if (status != 0) {
		status = web_error(r, status, NULL);
		goto out;
	}
	status = field_redirect(r, d, "saved", key);
out:
	web_set_result_release(&res);
	sohoa_document_destroy(&d);
	return status;
}

int
page_document_accept(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	const char *key = web_form(r, "key");
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	status = web_accept(r, d, key);
	if (status == 409 || status == 400) {
		status = render(r, d, status, NULL, web_t(r, status == 409 ?
		    "error.busy" : "error.400"));
	} else if (status != 0) {
		status = web_error(r, status, NULL);
	} else {
		status = field_redirect(r, d, "accepted", key);
	}
	sohoa_document_destroy(&d);
	return status;
}

int
page_document_type(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_buf loc = SOHOA_BUF_INIT;
	const char *type = web_form(r, "doc_type");
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	if (type == NULL || sohoa_records_doc_type_set(r->a, r->w->doctypes,
	    d->id, type) != SOHOA_OK) {
		if (type != NULL && sohoa_errcode(r->ctx) != SOHOA_ERR_INPUT &&
		    sohoa_errcode(r->ctx) != SOHOA_ERR_BUSY)
			status = web_fail(r);
		else
			status = render(r, d, type == NULL ||
			    sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT ? 400 :
			    409, NULL, web_t(r, type == NULL ||
			    sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT ?
			    "check.doc_type" : "error.busy"));
	} else {
		sohoa_buf_addf(&loc, "/documents/%lld?typed=1",
		    (long long)d->id);
		status = web_redirect(r, loc.buf);
	}
	sohoa_buf_release(&loc);
	sohoa_document_destroy(&d);
	return status;
}

/* The K-th page's id (r->id[1], counted from 1), or an HTTP status made */
static int
page_id(struct web_req *r, const struct sohoa_document *d, int64_t *pid)
{
	if (r->id[1] > (int64_t)d->npages)
		return web_error_t(r, 404, "doc.no_page");
	*pid = d->pages[r->id[1] - 1].id;
	return 0;
}

/* A form's values of NAME (repeated checkboxes), each looked up in STEPS */
static unsigned
steps_off(const struct web_req *r)
{
	unsigned bits = 0;
	size_t i, k;

	for (i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i].key, "without") != 0)
			continue;
		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
			if (strcmp(r->fields[i].value.buf, steps[k].name) == 0)
				bits |= steps[k].bit;
	}
	return bits;
}

int
page_document_reread(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_reread_opts o;
	struct sohoa_buf loc = SOHOA_BUF_INIT;
	const char *rotate = web_form(r, "rotate"), *why = web_form(r, "why");
	int64_t pid = 0;
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	status = page_id(r, d, &pid);
	if (status != 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.rotate = -1;
	if (rotate != NULL && strcmp(rotate, "auto") != 0) {
		if (strcmp(rotate, "0") != 0 && strcmp(rotate, "90") != 0 &&
		    strcmp(rotate, "180") != 0 && strcmp(rotate, "270") != 0) {
			status = render(r, d, 400, NULL, web_t(r, "error.400"));
			goto out;
		}
		o.rotate = atoi(rotate);
	}
	o.disable = steps_off(r);
	o.why = why != NULL && *why ? why : NULL;
	/* an OCR engine is loaded: this takes seconds */
	if (sohoa_records_page_reread(r->a, r->w->doctypes, pid, &o, NULL) !=
	    SOHOA_OK) {
		web_log(r->w, "reread of page %lld: %s", (long long)pid,
		    sohoa_errmsg(r->ctx));
		status = sohoa_errcode(r->ctx) == SOHOA_ERR_BUSY ? render(r, d,
		    409, NULL, web_t(r, "error.busy")) : render(r, d, 500, NULL,
		    web_t(r, "doc.reread_failed"));
		goto out;
	}
	sohoa_buf_addf(&loc, "/documents/%lld?reread=%lld#pages",
	    (long long)d->id, (long long)r->id[1]);
	status = web_redirect(r, loc.buf);
out:
	sohoa_buf_release(&loc);
	sohoa_document_destroy(&d);
	return status;
}

int
page_document_text(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_buf loc = SOHOA_BUF_INIT;
	const char *line = web_form(r, "line"), *text = web_form(r, "text");
	int64_t pid = 0;
	char *end;
	long n = 0;
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	status = page_id(r, d, &pid);
	if (status != 0)
		goto out;
	if (line != NULL)
		n = strtol(line, &end, 10);
	if (line == NULL || *end != '\0' || n < 1 || n > 100000 ||
	    text == NULL) {
		status = render(r, d, 400, NULL, web_t(r, "error.400"));
		goto out;
	}
	if (sohoa_archive_page_text_edit(r->a, pid, (int)n - 1, text) !=
	    SOHOA_OK) {
		web_log(r->w, "text of page %lld: %s", (long long)pid,
		    sohoa_errmsg(r->ctx));
		status = sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT ||
		    sohoa_errcode(r->ctx) == SOHOA_ERR_NOTFOUND ? render(r, d, 400,
		    NULL, web_t(r, "doc.line_bad")) : sohoa_errcode(r->ctx) ==
		    SOHOA_ERR_BUSY ? render(r, d, 409, NULL, web_t(r,
		    "error.busy")) : web_fail(r);
		goto out;
	}
	sohoa_buf_addf(&loc, "/documents/%lld?edited=%lld#text-%lld",
	    (long long)d->id, (long long)r->id[1], (long long)r->id[1]);
	status = web_redirect(r, loc.buf);
out:
	sohoa_buf_release(&loc);
	sohoa_document_destroy(&d);
	return status;
}

/* GET /documents/N/pages/K and /api/...: the K-th page's view image */
int
page_document_image(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	const struct sohoa_doc_page *p;
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	if (r->id[1] > (int64_t)d->npages) {
		status = web_error_t(r, 404, "doc.no_page");
		goto out;
	}
	p = &d->pages[r->id[1] - 1];
	if (p->image_sha256[0] == '\0') {
		status = web_error_t(r, 404, "doc.no_image");
		goto out;
	}
	if (sohoa_store_read(r->a, p->image_sha256, &r->out) != SOHOA_OK) {
		status = web_fail(r);
		goto out;
	}
	r->ctype = strcmp(p->image_type, "png") == 0 ? "image/png" :
	    "image/jpeg";
	status = 200;
out:
	sohoa_document_destroy(&d);
	return status;
}
