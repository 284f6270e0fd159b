/*
 * The search page and GET /api/search: one box (folded as on the command
 * line), filters on type, dossier, dates and one field, hits with the
 * person's name, the type in words, the date as DD/MM/YYYY, the dossier
 * and the snippet with its matches marked, and pages of results.  Both
 * run sohoa_search(); the API prints what 'sohoa search --json' prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/search.h"
#include "web_private.h"

#define PER_PAGE 20

/* Markers put around matches in snippets, turned into <mark> */
#define HL_OPEN "\x02"
#define HL_CLOSE "\x03"

/* Fields offered as a search filter */
static const char *const filter_keys[] = {
	"full_name", "personal_id", "birth_date", "doc_number",
	"father_name", "mother_name", "spouse_name", "registration_place",
	"issuer", "signer", NULL,
};

void
web_query_release(struct web_query *q)
{
	sohoa_buf_release(&q->from);
	sohoa_buf_release(&q->to);
	sohoa_buf_release(&q->fkey);
}

static int
date_arg(struct web_req *r, const char *name, struct sohoa_buf *out,
    const char **pval)
{
	const char *v = web_arg(r, name);

	*pval = NULL;
	if (v == NULL || *v == '\0')
		return 0;
	if (web_date_to_iso(v, out) != 0)
		return -1;
	*pval = out->buf;
	return 0;
}

static int
int_arg(const char *s, int lo, int hi, int *pv)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*pv = (int)v;
	return 0;
}

int
web_query_parse(struct web_req *r, struct web_query *q)
{
	const char *v, *eq, *fkey, *fval;

	memset(q, 0, sizeof(*q));
	sohoa_buf_init(&q->from);
	sohoa_buf_init(&q->to);
	sohoa_buf_init(&q->fkey);
	q->page = 1;
	q->opts.query = web_arg(r, "q");
	v = web_arg(r, "type");
	q->opts.doc_type = v != NULL && *v ? v : NULL;
	v = web_arg(r, "dossier");
	q->opts.dossier = v != NULL && *v ? v : NULL;
	if (date_arg(r, "from", &q->from, &q->opts.date_from) != 0 ||
	    date_arg(r, "to", &q->to, &q->opts.date_to) != 0) {
		q->error = "search.bad_date";
		return 400;
	}
	/* field=KEY=VALUE as on the command line, or the form's two boxes */
	fkey = web_arg(r, "fkey");
	fval = web_arg(r, "fval");
	v = web_arg(r, "field");
	if (v != NULL && *v) {
		eq = strchr(v, '=');
		if (eq == NULL || eq == v) {
			q->error = "search.bad_field";
			return 400;
		}
		sohoa_buf_add(&q->fkey, v, (size_t)(eq - v));
		q->field.key = q->fkey.buf;
		q->field.value = eq + 1;
		q->opts.fields = &q->field;
		q->opts.nfields = 1;
	} else if (fkey != NULL && *fkey && fval != NULL && *fval) {
		q->field.key = fkey;
		q->field.value = fval;
		q->opts.fields = &q->field;
		q->opts.nfields = 1;
	}
	if (int_arg(web_arg(r, "limit"), 1, SOHOA_SEARCH_LIMIT_MAX,
	    &q->opts.limit) != 0 ||
	    int_arg(web_arg(r, "p"), 1, SOHOA_SEARCH_LIMIT_MAX / PER_PAGE,
	    &q->page) != 0) {
		q->error = "search.bad_number";
		return 400;
	}
	q->empty = (q->opts.query == NULL || *q->opts.query == '\0') &&
	    q->opts.doc_type == NULL && q->opts.dossier == NULL &&
	    q->opts.date_from == NULL && q->opts.date_to == NULL &&
	    q->opts.nfields == 0;
	return 0;
}

/* ---- the page ----------------------------------------------------------- */

static void
option(struct web_req *r, const char *value, const char *label,
    const char *selected)
{
	html_raw(r, "<option");
	html_attr(r, "value", value);
	if (selected != NULL && strcmp(selected, value) == 0)
		html_raw(r, " selected");
	html_raw(r, ">");
	html_text(r, label);
	html_raw(r, "</option>");
}

struct dossier_opts {
	struct web_req *r;
	const char *selected;
};

static int
dossier_option(void *arg, const struct sohoa_dossier_info *d)
{
	struct dossier_opts *o = arg;

	option(o->r, d->code, d->code, o->selected);
	return 0;
}

void
web_type_options(struct web_req *r, const char *selected, int any)
{
	size_t i, n = sohoa_doctypes_count(r->w->doctypes);

	if (any)
		option(r, "", web_t(r, "search.any_type"), selected);
	for (i = 0; i < n; i++) {
		const char *t = sohoa_doctypes_name(r->w->doctypes, i);

		option(r, t, web_t2(r, "type", t), selected);
	}
	option(r, "other", web_t2(r, "type", "other"), selected);
}

static void
text_input(struct web_req *r, const char *id, const char *label_key,
    const char *value, const char *placeholder_key)
{
	html_raw(r, "<label");
	html_attr(r, "for", id);
	html_raw(r, ">");
	html_t(r, label_key);
	html_raw(r, "</label><input");
	html_attr(r, "id", id);
	html_attr(r, "name", id);
	if (value != NULL)
		html_attr(r, "value", value);
	if (placeholder_key != NULL)
		html_attr(r, "placeholder", web_t(r, placeholder_key));
	html_raw(r, ">");
}

static void
search_form(struct web_req *r, const struct web_query *q)
{
	struct dossier_opts d = { r, q->opts.dossier };
	const char *fkey = web_arg(r, "fkey");
	size_t i;
	int filtered = q->opts.doc_type || q->opts.dossier ||
	    q->opts.date_from || q->opts.date_to || q->opts.nfields;

	html_raw(r, "<form class=\"search\" method=\"get\" action=\"/search\" "
	    "role=\"search\"><div class=\"box\"><input type=\"search\" "
	    "id=\"q\" name=\"q\" autofocus");
	html_attr(r, "value", q->opts.query ? q->opts.query : "");
	html_attr(r, "placeholder", web_t(r, "search.placeholder"));
	html_attr(r, "aria-label", web_t(r, "search.title"));
	html_raw(r, "><button type=\"submit\" id=\"search-go\">");
	html_t(r, "search.submit");
	html_raw(r, "</button></div><details class=\"filters\"");
	if (filtered)
		html_raw(r, " open");
	html_raw(r, "><summary>");
	html_t(r, "search.filters");
	html_raw(r, "</summary><div class=\"grid\"><label for=\"type\">");
	html_t(r, "search.type");
	html_raw(r, "</label><select id=\"type\" name=\"type\">");
	web_type_options(r, q->opts.doc_type, 1);
	html_raw(r, "</select><label for=\"dossier\">");
	html_t(r, "search.dossier");
	html_raw(r, "</label><select id=\"dossier\" name=\"dossier\">");
	option(r, "", web_t(r, "search.any_dossier"), q->opts.dossier);
	sohoa_archive_dossier_list(r->a, dossier_option, &d);
	html_raw(r, "</select>");
	text_input(r, "from", "search.from", web_arg(r, "from"),
	    "date.placeholder");
	text_input(r, "to", "search.to", web_arg(r, "to"), "date.placeholder");
	html_raw(r, "<label for=\"fkey\">");
	html_t(r, "search.field");
	html_raw(r, "</label><span class=\"pair\"><select id=\"fkey\" "
	    "name=\"fkey\">");
	option(r, "", "—", fkey);
	for (i = 0; filter_keys[i] != NULL; i++)
		option(r, filter_keys[i], web_field_label(r, NULL,
		    filter_keys[i]), fkey);
	html_raw(r, "</select><input id=\"fval\" name=\"fval\"");
	html_attr(r, "aria-label", web_t(r, "search.field_value"));
	if (web_arg(r, "fval") != NULL)
		html_attr(r, "value", web_arg(r, "fval"));
	html_raw(r, "></span></div></details></form>");
}

/* The person's name: the title is "<type>: <name>" (index/archive_doc.c) */
const char *
web_title_name(const char *title, const char *doc_type)
{
	size_t n = doc_type ? strlen(doc_type) : 0;

	if (title == NULL)
		return NULL;
	if (n > 0 && strncmp(title, doc_type, n) == 0 && title[n] == ':' &&
	    title[n + 1] == ' ' && title[n + 2] != '\0')
		return title + n + 2;
	if (n > 0 && strcmp(title, doc_type) == 0)
		return NULL;
	return title;
}

/* The current query string with P set to PAGE */
static void
page_link(struct web_req *r, int page)
{
	static const char *const keep[] = {
		"q", "type", "dossier", "from", "to", "fkey", "fval", NULL,
	};
	struct sohoa_buf u = SOHOA_BUF_INIT;
	const char *v;
	size_t i;

	sohoa_buf_adds(&u, "/search?");
	for (i = 0; keep[i] != NULL; i++) {
		v = web_arg(r, keep[i]);
		if (v == NULL || *v == '\0')
			continue;
		sohoa_buf_addf(&u, "%s=", keep[i]);
		web_urlenc(&u, v);
		sohoa_buf_addch(&u, '&');
	}
	sohoa_buf_addf(&u, "p=%d", page);
	html_attr(r, "href", u.buf);
	sohoa_buf_release(&u);
}

static void
hit_html(struct web_req *r, const struct sohoa_search_hit *h, const char *q)
{
	struct sohoa_buf href = SOHOA_BUF_INIT;
	const char *name = h->name != NULL ? h->name :
	    web_title_name(h->title, h->doc_type);

	sohoa_buf_addf(&href, "/documents/%lld", (long long)h->doc_id);
	if (q != NULL && *q) {
		sohoa_buf_adds(&href, "?q=");
		web_urlenc(&href, q);
	}
	html_raw(r, "<li class=\"hit\"><h2><a class=\"hit-link\"");
	html_attr(r, "href", href.buf);
	html_raw(r, ">");
	html_text(r, name ? name : web_t2(r, "type", h->doc_type));
	html_raw(r, "</a>");
	if (h->fuzzy) {
		html_raw(r, " <span class=\"tag\">");
		html_t(r, "search.near");
		html_raw(r, "</span>");
	}
	html_raw(r, "</h2><p class=\"meta\"><span class=\"type\">");
	html_text(r, web_t2(r, "type", h->doc_type));
	html_raw(r, "</span><span class=\"date\">");
	if (h->date != NULL)
		html_date(r, h->date, 0);
	else
		html_t(r, "doc.no_date");
	html_raw(r, "</span><span class=\"dossier\">");
	html_text(r, *h->dossier ? h->dossier : "—");
	html_raw(r, "</span></p><p class=\"snippet\">");
	html_marked(r, h->snippet, HL_OPEN, HL_CLOSE);
	html_raw(r, "</p></li>");
	sohoa_buf_release(&href);
}

int
page_search(struct web_req *r)
{
	struct web_query q;
	struct sohoa_search_result *res = NULL;
	char n1[32], n2[32];
	size_t i, first, last;
	int status;

	status = web_query_parse(r, &q);
	html_begin(r, web_t(r, "search.title"), "search");
	html_raw(r, "<h1 class=\"sr-only\">");
	html_t(r, "search.title");
	html_raw(r, "</h1>");
	search_form(r, &q);
	if (status != 0) {
		html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
		html_t(r, q.error);
		html_raw(r, "</p>");
		goto out;
	}
	if (q.empty) {
		html_raw(r, "<p class=\"hint\">");
		html_t(r, "search.hint");
		html_raw(r, "</p>");
		goto out;
	}
	q.opts.limit = q.page * PER_PAGE + 1;
	if (q.opts.limit > SOHOA_SEARCH_LIMIT_MAX)
		q.opts.limit = SOHOA_SEARCH_LIMIT_MAX;
	q.opts.hl_open = HL_OPEN;
	q.opts.hl_close = HL_CLOSE;
	if (sohoa_search(r->a, &q.opts, &res) !=
	    SOHOA_OK) {
		status = sohoa_errcode(r->ctx) == SOHOA_ERR_NOTFOUND ? 404 :
		    sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT ? 400 : 500;
		html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
		if (status == 500) {
			web_log(r->w, "search: %s", sohoa_errmsg(r->ctx));
			html_t(r, "error.500");
		} else {
			html_tf(r, "search.error", sohoa_errmsg(r->ctx), NULL);
		}
		html_raw(r, "</p>");
		goto out;
	}
	first = (size_t)(q.page - 1) * PER_PAGE;
	last = first + PER_PAGE < res->nhits ? first + PER_PAGE : res->nhits;
	html_raw(r, "<p class=\"count\" id=\"count\">");
	if (res->nhits == 0) {
		html_t(r, "search.none");
	} else {
		snprintf(n1, sizeof(n1), "%zu", first + 1);
		snprintf(n2, sizeof(n2), "%zu", last);
		html_tf(r, "search.showing", n1, n2, NULL);
	}
	html_raw(r, "</p>");
	if (res->corrected != NULL) {
		html_raw(r, "<p class=\"hint\">");
		html_tf(r, "search.corrected", res->corrected, NULL);
		html_raw(r, "</p>");
	}
	if (res->capped) {
		html_raw(r, "<p class=\"hint\">");
		html_t(r, "search.capped");
		html_raw(r, "</p>");
	}
	html_raw(r, "<ol class=\"hits\" id=\"hits\">");
	for (i = first; i < last; i++)
		hit_html(r, &res->hits[i], q.opts.query);
	html_raw(r, "</ol><nav class=\"pages\">");
	if (q.page > 1) {
		html_raw(r, "<a rel=\"prev\"");
		page_link(r, q.page - 1);
		html_raw(r, ">");
		html_t(r, "search.prev");
		html_raw(r, "</a>");
	}
	if (res->nhits > last && q.page < SOHOA_SEARCH_LIMIT_MAX / PER_PAGE) {
		html_raw(r, "<a rel=\"next\" id=\"next-page\"");
		page_link(r, q.page + 1);
		html_raw(r, ">");
		html_t(r, "search.next");
		html_raw(r, "</a>");
	}
	html_raw(r, "</nav>");
out:
	html_end(r);
	sohoa_search_result_destroy(&res);
	web_query_release(&q);
	return status != 0 ? status : 200;
}

/* ---- the API ------------------------------------------------------------ */

int
api_search(struct web_req *r)
{
	struct web_query q;
	struct sohoa_search_result *res = NULL;
	struct sohoa_json j;
	int status;

	status = web_query_parse(r, &q);
	if (status != 0) {
		status = web_error_t(r, status, q.error);
		goto out;
	}
	if (q.empty) {
		status = web_error_t(r, 400, "search.hint");
		goto out;
	}
	/* the command line's markers, so the two print the same */
	q.opts.hl_open = "«";
	q.opts.hl_close = "»";
	if (sohoa_search(r->a, &q.opts, &res) !=
	    SOHOA_OK) {
		status = web_fail(r);
		goto out;
	}
	r->ctype = "application/json";
	sohoa_json_init(&j, &r->out, 0);
	sohoa_search_result_json(&j, res);
	status = j.rc == SOHOA_OK ? 200 : web_error(r, 500, NULL);
out:
	sohoa_search_result_destroy(&res);
	web_query_release(&q);
	return status;
}
