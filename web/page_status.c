/*
 * The status page: what the archive holds (sohoa_archive_counts), how
 * much of it needed no person (documents with no field to review and
 * every page read well), and what needs one: files and pages that could
 * not be read, with the reason, and ingests that were interrupted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/records.h"
#include "web_private.h"

/* Failed files and pages listed at most */
#define FAILED_SHOWN 200

struct walk {
	struct web_req *r;
	int64_t *docs;		/* documents that need a person, sorted */
	size_t ndocs, alloc;
	int nfailed, npending;
	int pass;		/* 0: collect documents, 1: write rows */
};

static int
on_item(void *arg, const struct sohoa_review_item *it)
{
	struct walk *w = arg;
	struct web_req *r = w->r;
	int64_t *v;
	char page[32];

	if (w->pass == 0) {
		if (it->doc_id <= 0 || (it->kind != SOHOA_REVIEW_FLAGGED_FIELD &&
		    it->kind != SOHOA_REVIEW_LOWCONF_PAGE))
			return 0;
		if (w->ndocs > 0 && w->docs[w->ndocs - 1] == it->doc_id)
			return 0;
		if (w->ndocs == w->alloc) {
			w->alloc = w->alloc ? w->alloc * 2 : 256;
			v = realloc(w->docs, w->alloc * sizeof(*v));
			if (v == NULL)
				return SOHOA_ERR_NOMEM;
			w->docs = v;
		}
		w->docs[w->ndocs++] = it->doc_id;
		return 0;
	}
	if (it->kind != SOHOA_REVIEW_FAILED_FILE &&
	    it->kind != SOHOA_REVIEW_FAILED_PAGE &&
	    it->kind != SOHOA_REVIEW_PENDING_FILE)
		return 0;
	if (it->kind == SOHOA_REVIEW_PENDING_FILE)
		w->npending++;
	else
		w->nfailed++;
	if (w->nfailed + w->npending > FAILED_SHOWN)
		return 0;
	html_raw(r, "<tr><td>");
	html_text(r, it->path);
	html_raw(r, "</td><td class=\"num\">");
	if (it->pageno >= 0) {
		snprintf(page, sizeof(page), "%d", it->pageno + 1);
		html_text(r, page);
	} else {
		html_raw(r, "—");
	}
	html_raw(r, "</td><td>");
	if (it->kind == SOHOA_REVIEW_PENDING_FILE)
		html_t(r, "status.pending");
	else
		html_text(r, it->reason);
	html_raw(r, "</td></tr>");
	return 0;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
card(struct web_req *r, const char *key, long long n, const char *cls)
{
	html_raw(r, "<div class=\"card");
	if (cls != NULL && n > 0) {
		html_raw(r, " ");
		html_raw(r, cls);
	}
	html_raw(r, "\"><span class=\"n\">");
	html_int(r, n);
	html_raw(r, "</span><span class=\"l\">");
	html_t(r, key);
	html_raw(r, "</span></div>");
}

/* One row of the recent ingests: the day, files, pages, failed, documents. */
static int
day_row(void *arg, const struct sohoa_ingest_day *d)
{
	struct web_req *r = arg;

	html_raw(r, "<tr><td>");
	html_date(r, d->day, 0);
	html_raw(r, "</td><td class=\"num\">");
	html_int(r, d->files);
	html_raw(r, "</td><td class=\"num\">");
	html_int(r, d->pages);
	html_raw(r, "</td><td class=\"num\">");
	html_int(r, d->pages_failed);
	html_raw(r, "</td><td class=\"num\">");
	html_int(r, d->documents);
	html_raw(r, "</td></tr>");
	return 0;
}

/* What the office ingested on the last days it did. */
static void
recent_table(struct web_req *r)
{
	static const char *const head[] = { "status.col_day",
	    "status.col_files", "status.col_pages", "status.col_failed",
	    "status.col_documents" };
	size_t i, mark;

	html_raw(r, "<h2>");
	html_t(r, "status.recent");
	html_raw(r, "</h2><table id=\"recent\"><thead><tr>");
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		html_raw(r, i > 0 ? "<th class=\"num\">" : "<th>");
		html_t(r, head[i]);
		html_raw(r, "</th>");
	}
	html_raw(r, "</tr></thead><tbody>");
	mark = r->out.len;
	if (sohoa_archive_recent_days(r->a, 7, day_row, r) != SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		web_log(r->w, "status: %s", sohoa_errmsg(r->ctx));
	}
	html_raw(r, "</tbody></table>");
}

int
page_status(struct web_req *r)
{
	struct sohoa_archive_counts c;
	struct walk w;
	size_t i, distinct = 0, mark;
	char pct[32];

	memset(&w, 0, sizeof(w));
	w.r = r;
	if (sohoa_archive_counts(r->a, &c) != SOHOA_OK ||
	    sohoa_archive_review_list(r->a, on_item, &w) != SOHOA_OK) {
		free(w.docs);
		return web_fail(r);
	}
	if (w.ndocs > 1)
		qsort(w.docs, w.ndocs, sizeof(*w.docs), id_cmp);
	for (i = 0; i < w.ndocs; i++)
		if (i == 0 || w.docs[i] != w.docs[i - 1])
			distinct++;
	free(w.docs);
	w.docs = NULL;
	html_begin(r, web_t(r, "status.title"), "status");
	html_raw(r, "<h1>");
	html_t(r, "status.title");
	html_raw(r, "</h1>");
	if (web_arg(r, "retried") != NULL && web_arg(r, "of") != NULL) {
		html_raw(r, "<p class=\"msg good\" role=\"status\" "
		    "id=\"saved\">");
		html_tf(r, "status.retried", web_arg(r, "retried"),
		    web_arg(r, "of"));
		html_raw(r, "</p>");
	}
	html_raw(r, "<div class=\"cards\" id=\"counts\">");
	card(r, "status.dossiers", c.dossiers, NULL);
	card(r, "status.documents", c.documents, NULL);
	card(r, "status.pages", c.pages, NULL);
	card(r, "status.pages_ok", c.pages_ok, NULL);
	card(r, "status.pages_blank", c.pages_blank, NULL);
	card(r, "status.pages_lowconf", c.pages_lowconf, "warn");
	card(r, "status.pages_failed", c.pages_failed, "bad");
	card(r, "status.fields_flagged", c.fields_flagged, "warn");
	card(r, "status.fields_corrected", c.fields_corrected, NULL);
	card(r, "status.failures", c.failures, "bad");
	html_raw(r, "</div><h2>");
	html_t(r, "status.paperless");
	html_raw(r, "</h2><p id=\"paperless\">");
	if (c.documents > 0) {
		snprintf(pct, sizeof(pct), "%.1f%%", 100.0 *
		    (double)((size_t)c.documents - distinct) /
		    (double)c.documents);
		html_tf(r, "status.paperless_text", pct, NULL);
	} else {
		html_t(r, "status.empty");
	}
	html_raw(r, "</p>");
	recent_table(r);
	html_raw(r, "<h2>");
	html_t(r, "status.failed");
	html_raw(r, "</h2><table id=\"failed\"><thead><tr><th>");
	html_t(r, "status.file");
	html_raw(r, "</th><th>");
	html_t(r, "status.page");
	html_raw(r, "</th><th>");
	html_t(r, "status.reason");
	html_raw(r, "</th></tr></thead><tbody>");
	mark = r->out.len;
	w.pass = 1;
	if (sohoa_archive_review_list(r->a, on_item, &w) != SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		web_log(r->w, "status: %s", sohoa_errmsg(r->ctx));
	}
	if (w.nfailed + w.npending == 0) {
		html_raw(r, "<tr><td colspan=\"3\" class=\"none\">");
		html_t(r, "status.no_failed");
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table>");
	/* clerks read the failed pages again from their stored scans */
	if (c.pages_failed > 0 && r->sess.role >= SOHOA_ROLE_CLERK) {
		html_raw(r, "<form method=\"post\" action=\"/status/retry\">");
		html_csrf(r);
		html_raw(r, "<button type=\"submit\" id=\"retry\">");
		html_t(r, "status.retry");
		html_raw(r, "</button><p class=\"hint\">");
		html_t(r, "status.retry_hint");
		html_raw(r, "</p></form>");
	}
	if (w.nfailed + w.npending > FAILED_SHOWN) {
		snprintf(pct, sizeof(pct), "%d", FAILED_SHOWN);
		html_raw(r, "<p class=\"hint\">");
		html_tf(r, "status.more", pct, NULL);
		html_raw(r, "</p>");
	}
	html_end(r);
	return 200;
}

/* POST /status/retry: every failed page read again (seconds a page). */
int
page_status_retry(struct web_req *r)
{
	struct sohoa_buf loc = SOHOA_BUF_INIT;
	size_t ok = 0, n = 0;
	int status;

	if (sohoa_records_retry_failed(r->a, r->w->doctypes, NULL, NULL, &ok,
	    &n) != SOHOA_OK) {
		web_log(r->w, "retry of the failed pages: %s",
		    sohoa_errmsg(r->ctx));
		return web_error_t(r, sohoa_errcode(r->ctx) == SOHOA_ERR_BUSY ?
		    409 : 500, sohoa_errcode(r->ctx) == SOHOA_ERR_BUSY ?
		    "error.busy" : "status.retry_failed");
	}
	sohoa_buf_addf(&loc, "/status?retried=%zu&of=%zu", ok, n);
	status = web_redirect(r, loc.buf);
	sohoa_buf_release(&loc);
	return status;
}
