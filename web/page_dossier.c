/*
 * Dossiers (hồ sơ): the list, one dossier with its Thông tư 05/2025
 * metadata and its documents; archivists set metadata (checked as 'sohoa
 * dossier set' checks it), export the signed bundle and download it, and
 * upload a bundle to verify it or import it.  Everything goes through
 * sohoa/bundle.h; bundles are written and read in ARCHIVE/.web-tmp and
 * removed once sent or read.
 *
 *   GET  /dossiers              the list (+ the upload form)
 *   GET  /dossiers/N            one dossier
 *   POST /dossiers/N/meta       key, value
 *   POST /dossiers/N/export     format: the bundle as a download
 *   POST /bundles               file, action (verify | import)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/history.h"
#include "web_private.h"

/* ---- the list ----------------------------------------------------------- */

struct list {
	struct web_req *r;
	int n;
};

static int
dossier_row(void *arg, const struct sohoa_dossier_info *d)
{
	struct list *l = arg;
	struct web_req *r = l->r;

	l->n++;
	sohoa_buf_addf(&r->out, "<tr><td><a href=\"/dossiers/%lld\">",
	    (long long)d->id);
	html_text(r, d->code);
	sohoa_buf_addf(&r->out, "</a></td><td class=\"num\">%d</td>"
	    "<td class=\"num\">%d</td><td>", d->ndocuments, d->npages);
	html_date(r, d->created_at, 0);
	html_raw(r, "</td></tr>");
	return 0;
}

static void
upload_form(struct web_req *r)
{
	html_raw(r, "<section class=\"panel\" id=\"upload\"><h2>");
	html_t(r, "bundle.upload");
	html_raw(r, "</h2><p class=\"hint\">");
	html_t(r, "bundle.upload_hint");
	html_raw(r, "</p><form method=\"post\" action=\"/bundles\" "
	    "enctype=\"multipart/form-data\">");
	html_csrf(r);
	html_raw(r, "<div class=\"col\"><label for=\"bundle-file\">");
	html_t(r, "bundle.file");
	html_raw(r, "</label><input type=\"file\" id=\"bundle-file\" "
	    "name=\"bundle\" accept=\".zip,.tar\" required></div>"
	    "<label class=\"check\"><input type=\"checkbox\" "
	    "name=\"untrusted\" value=\"1\" id=\"bundle-untrusted\"> ");
	html_t(r, "bundle.take_untrusted");
	html_raw(r, "</label>"
	    "<button type=\"submit\" name=\"action\" value=\"verify\" "
	    "id=\"bundle-verify\" class=\"plain\">");
	html_t(r, "bundle.verify");
	html_raw(r, "</button><button type=\"submit\" name=\"action\" "
	    "value=\"import\" id=\"bundle-import\">");
	html_t(r, "bundle.import");
	html_raw(r, "</button></form></section>");
}

int
page_dossiers(struct web_req *r)
{
	struct list l = { r, 0 };
	size_t mark;

	html_begin(r, web_t(r, "dossier.list"), "dossiers");
	html_raw(r, "<h1>");
	html_t(r, "dossier.list");
	html_raw(r, "</h1><table id=\"dossiers\"><thead><tr><th>");
	html_t(r, "dossier.code");
	html_raw(r, "</th><th>");
	html_t(r, "dossier.documents");
	html_raw(r, "</th><th>");
	html_t(r, "dossier.pages");
	html_raw(r, "</th><th>");
	html_t(r, "dossier.created");
	html_raw(r, "</th></tr></thead><tbody>");
	mark = r->out.len;
	if (sohoa_archive_dossier_list(r->a, dossier_row, &l) != SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		return web_fail(r);
	}
	if (l.n == 0) {
		html_raw(r, "<tr><td colspan=\"4\" class=\"none\">");
		html_t(r, "dossier.none");
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table>");
	if (r->sess.role >= SOHOA_ROLE_ARCHIVIST)
		upload_form(r);
	html_end(r);
	return 200;
}

/* ---- one dossier -------------------------------------------------------- */

static int
doc_row(void *arg, const struct sohoa_document *d)
{
	struct list *l = arg;
	struct web_req *r = l->r;
	const char *name = web_title_name(d->title, d->doc_type);

	l->n++;
	sohoa_buf_addf(&r->out, "<tr><td class=\"num\">%d</td><td>"
	    "<a href=\"/documents/%lld\">", d->ordinal, (long long)d->id);
	html_text(r, name ? name : "—");
	html_raw(r, "</a></td><td>");
	html_text(r, web_t2(r, "type", d->doc_type));
	html_raw(r, "</td><td>");
	if (d->doc_date != NULL)
		html_date(r, d->doc_date, 0);
	html_raw(r, "</td></tr>");
	return 0;
}

static void
meta_rows(struct web_req *r, int64_t id, const struct sohoa_dossier_meta *m,
    const char *err_key, const char *err_msg)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	int archivist = r->sess.role >= SOHOA_ROLE_ARCHIVIST;
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct sohoa_dossier_meta_item *it = &m->items[i];
		int derived = it->source == SOHOA_META_DERIVED &&
		    (strcmp(it->key, "total_doc") == 0 ||
		    strcmp(it->key, "number_of_page") == 0);

		sohoa_buf_reset(&k);
		sohoa_buf_addf(&k, "m-%s", it->key);
		html_raw(r, "<tr");
		html_attr(r, "id", k.buf);
		html_raw(r, "><th scope=\"row\">");
		html_text(r, web_t2(r, "meta", it->key));
		html_raw(r, "<div class=\"raw\">");
		sohoa_buf_reset(&k);
		sohoa_buf_addf(&k, "meta.%s.help", it->key);
		html_t(r, k.buf);
		html_raw(r, "</div></th><td>");
		if (archivist && !derived) {
			html_raw(r, "<form class=\"edit\" method=\"post\"");
			sohoa_buf_addf(&r->out, " action=\"/dossiers/%lld/meta\">",
			    (long long)id);
			html_csrf(r);
			html_raw(r, "<input type=\"hidden\" name=\"key\"");
			html_attr(r, "value", it->key);
			html_raw(r, "><input class=\"value\" name=\"value\"");
			sohoa_buf_reset(&k);
			sohoa_buf_addf(&k, "mv-%s", it->key);
			html_attr(r, "id", k.buf);
			html_attr(r, "aria-label", web_t2(r, "meta", it->key));
			if (err_key != NULL && strcmp(err_key, it->key) == 0 &&
			    web_form(r, "value") != NULL)
				html_attr(r, "value", web_form(r, "value"));
			else if (it->source == SOHOA_META_SET)
				html_attr(r, "value", it->value);
			else
				html_attr(r, "placeholder", it->value);
			html_raw(r, "><button type=\"submit\">");
			html_t(r, "doc.save");
			html_raw(r, "</button></form>");
		} else {
			html_text(r, *it->value ? it->value : "—");
		}
		if (err_key != NULL && strcmp(err_key, it->key) == 0) {
			html_raw(r, "<p class=\"msg bad\" role=\"alert\">");
			html_text(r, err_msg);
			html_raw(r, "</p>");
		}
		html_raw(r, "</td><td><span class=\"tag\">");
		html_text(r, web_t2(r, "meta_source",
		    sohoa_meta_source_name(it->source)));
		html_raw(r, "</span></td></tr>");
	}
	sohoa_buf_release(&k);
}

static void
docs_html(struct web_req *r)
{
	struct list l = { r, 0 };
	size_t mark;

	html_raw(r, "<section><h2>");
	html_t(r, "dossier.documents");
	html_raw(r, "</h2><table id=\"dossier-docs\"><thead><tr><th>#</th><th>");
	html_t(r, "dossier.name");
	html_raw(r, "</th><th>");
	html_t(r, "search.type");
	html_raw(r, "</th><th>");
	html_t(r, "dossier.date");
	html_raw(r, "</th></tr></thead><tbody>");
	mark = r->out.len;
	if (sohoa_archive_document_list(r->a, r->id[0], doc_row, &l) !=
	    SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		web_log(r->w, "documents of dossier %lld: %s",
		    (long long)r->id[0], sohoa_errmsg(r->ctx));
	}
	html_raw(r, "</tbody></table></section>");
}

/*
 * The dossier page.  ERR_KEY/ERR_MSG: a refused metadata value;
 * EXPORT_MSG: why an export could not be made.
 */
static int
render(struct web_req *r, int status, const char *err_key,
    const char *err_msg, const char *export_msg)
{
	struct sohoa_dossier_meta *m = NULL;
	struct sohoa_buf problems = SOHOA_BUF_INIT;
	int valid;

	if (sohoa_dossier_meta_load(r->a, r->id[0], &m) != SOHOA_OK)
		return web_fail(r);
	valid = sohoa_dossier_meta_validate(r->ctx, m) == SOHOA_OK;
	if (!valid)
		sohoa_buf_adds(&problems, sohoa_errmsg(r->ctx));
	html_begin(r, m->code, "dossiers");
	html_raw(r, "<h1 id=\"dossier-code\">");
	html_tf(r, "dossier.title", m->code, NULL);
	html_raw(r, "</h1>");
	if (web_arg(r, "saved") != NULL && status == 200) {
		html_raw(r, "<p class=\"msg good\" id=\"saved\">");
		html_tf(r, "doc.saved", web_t2(r, "meta", web_arg(r, "saved")),
		    NULL);
		html_raw(r, "</p>");
	}
	if (export_msg != NULL) {
		html_raw(r, "<p class=\"msg bad\" role=\"alert\" "
		    "id=\"export-error\">");
		html_text(r, export_msg);
		html_raw(r, "</p>");
	}
	/* export: what is missing first, in words, then the button */
	html_raw(r, "<section class=\"panel\" id=\"export\"><h2>");
	html_t(r, "dossier.export");
	html_raw(r, "</h2>");
	if (!valid) {
		html_raw(r, "<p class=\"msg bad\" id=\"meta-problems\">");
		html_t(r, "dossier.invalid");
		html_raw(r, "</p><details><summary>");
		html_t(r, "dossier.details");
		html_raw(r, "</summary><pre class=\"text\">");
		html_text(r, problems.buf);
		html_raw(r, "</pre></details>");
	} else {
		html_raw(r, "<p class=\"msg good\" id=\"meta-ok\">");
		html_t(r, "dossier.valid");
		html_raw(r, "</p>");
	}
	if (r->sess.role >= SOHOA_ROLE_ARCHIVIST && valid &&
	    r->w->sign_key != NULL) {
		html_raw(r, "<form method=\"post\"");
		sohoa_buf_addf(&r->out, " action=\"/dossiers/%lld/export\">",
		    (long long)r->id[0]);
		html_csrf(r);
		html_raw(r, "<div class=\"col\"><label for=\"format\">");
		html_t(r, "dossier.format");
		html_raw(r, "</label><select id=\"format\" name=\"format\">"
		    "<option value=\"eark\">");
		html_t(r, "dossier.format_eark");
		html_raw(r, "</option><option value=\"bagit\">");
		html_t(r, "dossier.format_bagit");
		html_raw(r, "</option></select></div><button type=\"submit\" "
		    "id=\"export-go\">");
		html_t(r, "dossier.export_go");
		html_raw(r, "</button></form>");
	} else if (r->sess.role >= SOHOA_ROLE_ARCHIVIST &&
	    r->w->sign_key == NULL) {
		html_raw(r, "<p class=\"hint\">");
		html_t(r, "dossier.no_key");
		html_raw(r, "</p>");
	}
	html_raw(r, "</section>");
	docs_html(r);
	html_raw(r, "<section><h2>");
	html_t(r, "dossier.meta");
	html_raw(r, "</h2><table id=\"meta\"><thead><tr><th>");
	html_t(r, "dossier.meta_key");
	html_raw(r, "</th><th>");
	html_t(r, "doc.value");
	html_raw(r, "</th><th>");
	html_t(r, "dossier.meta_source");
	html_raw(r, "</th></tr></thead><tbody>");
	meta_rows(r, r->id[0], m, err_key, err_msg);
	html_raw(r, "</tbody></table></section>");
	html_end(r);
	sohoa_buf_release(&problems);
	sohoa_dossier_meta_destroy(&m);
	return status;
}

int
page_dossier(struct web_req *r)
{
	return render(r, 200, NULL, NULL, NULL);
}

int
page_dossier_meta(struct web_req *r)
{
	const char *key = web_form(r, "key"), *value = web_form(r, "value");
	struct sohoa_buf loc = SOHOA_BUF_INIT, code = SOHOA_BUF_INIT;
	int status;

	if (sohoa_archive_dossier_code(r->a, r->id[0], &code) != SOHOA_OK)
		return web_fail(r);
	sohoa_buf_release(&code);
	if (key == NULL || value == NULL)
		return web_error(r, 400, NULL);
	if (sohoa_dossier_meta_store(r->a, r->id[0], key, value) != SOHOA_OK) {
		if (sohoa_errcode(r->ctx) != SOHOA_ERR_INPUT)
			return web_fail(r);
		web_log(r->w, "dossier %lld: %s", (long long)r->id[0],
		    sohoa_errmsg(r->ctx));
		return render(r, 400, key, web_t(r, "dossier.bad_value"),
		    NULL);
	}
	sohoa_buf_addf(&loc, "/dossiers/%lld?saved=", (long long)r->id[0]);
	web_urlenc(&loc, key);
	sohoa_buf_adds(&loc, "#m-");
	web_urlenc(&loc, key);
	status = web_redirect(r, loc.buf);
	sohoa_buf_release(&loc);
	return status;
}

/* ---- export ------------------------------------------------------------- */

/* "HS-2024-0001.zip" as a header value: ASCII, no quotes */
static void
disposition(struct web_req *r, const char *code, const char *ext)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;
	const char *p;

	sohoa_buf_adds(&d, "attachment; filename=\"");
	for (p = code; *p; p++)
		sohoa_buf_addch(&d, ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' &&
		    *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_') ? *p : '_');
	sohoa_buf_addf(&d, ".%s\"; filename*=UTF-8''", ext);
	web_urlenc(&d, code);
	sohoa_buf_addf(&d, ".%s", ext);
	free(r->disposition);
	r->disposition = sohoa_buf_detach(&d, NULL);
}

int
page_dossier_export(struct web_req *r)
{
	struct sohoa_export_opts o;
	struct sohoa_export_result res;
	struct sohoa_buf code = SOHOA_BUF_INIT, dir = SOHOA_BUF_INIT;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	const char *format = web_form(r, "format");
	struct stat st;
	int status, fd = -1;

	sohoa_export_result_init(&res);
	if (sohoa_archive_dossier_code(r->a, r->id[0], &code) != SOHOA_OK) {
		status = web_fail(r);
		goto out;
	}
	if (r->w->sign_key == NULL) {
		status = render(r, 409, NULL, NULL, web_t(r, "dossier.no_key"));
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.dossier = code.buf;
	o.key_pem = r->w->sign_key;
	o.cert_pem = r->w->sign_cert;
	o.format = format != NULL && strcmp(format, "bagit") == 0 ?
	    SOHOA_BUNDLE_BAGIT : SOHOA_BUNDLE_EARK;
	/* a directory of its own, so two exports never meet */
	sohoa_buf_addf(&dir, "%s/export-XXXXXX", r->w->tmpdir);
	if (mkdtemp(dir.buf) == NULL) {
		web_log(r->w, "cannot make '%s': %s", dir.buf, strerror(errno));
		status = web_error(r, 500, NULL);
		goto out;
	}
	sohoa_buf_addf(&out, "%s/bundle.%s", dir.buf,
	    o.format == SOHOA_BUNDLE_BAGIT ? "tar" : "zip");
	o.out_path = out.buf;
	if (sohoa_bundle_export(r->a, &o, &res) != SOHOA_OK) {
		web_log(r->w, "export of '%s': %s", code.buf,
		    sohoa_errmsg(r->ctx));
		status = sohoa_errcode(r->ctx) == SOHOA_ERR_INPUT ?
		    render(r, 409, NULL, NULL, web_t(r, "dossier.export_failed")) :
		    web_error(r, 500, NULL);
		goto out;
	}
	fd = open(out.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		web_log(r->w, "cannot read '%s': %s", out.buf, strerror(errno));
		status = web_error(r, 500, NULL);
		goto out;
	}
	/* the library recorded the export (sohoa_archive_export_record) */
	r->file_fd = fd;
	r->file_size = (uint64_t)st.st_size;
	fd = -1;
	r->ctype = o.format == SOHOA_BUNDLE_BAGIT ? "application/x-tar" :
	    "application/zip";
	disposition(r, code.buf, o.format == SOHOA_BUNDLE_BAGIT ? "tar" :
	    "zip");
	status = 200;
out:
	if (fd >= 0)
		close(fd);
	/* the open descriptor keeps the file until it is sent */
	if (out.len > 0)
		unlink(out.buf);
	if (dir.len > 0)
		rmdir(dir.buf);
	sohoa_export_result_release(&res);
	sohoa_buf_release(&code);
	sohoa_buf_release(&dir);
	sohoa_buf_release(&out);
	return status;
}

/* ---- upload: verify, import --------------------------------------------- */

static void
report_row(struct web_req *r, const char *key, const char *value)
{
	html_raw(r, "<tr><th scope=\"row\">");
	html_t(r, key);
	html_raw(r, "</th><td>");
	html_text(r, value);
	html_raw(r, "</td></tr>");
}

static void
report_html(struct web_req *r, const struct sohoa_bundle_report *rep,
    int trusted)
{
	char n[64];

	html_raw(r, "<table id=\"bundle-report\"><tbody>");
	report_row(r, "bundle.name", r->upload_name ? r->upload_name : "");
	report_row(r, "bundle.format", web_t(r, rep->format ==
	    SOHOA_BUNDLE_BAGIT ? "dossier.format_bagit" :
	    "dossier.format_eark"));
	snprintf(n, sizeof(n), "%zu", rep->nfiles);
	report_row(r, "bundle.files", n);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)rep->bytes);
	report_row(r, "bundle.bytes", n);
	report_row(r, "bundle.signer", rep->signer);
	report_row(r, "bundle.issuer", rep->issuer);
	html_raw(r, "<tr><th scope=\"row\">");
	html_t(r, "bundle.signed_at");
	html_raw(r, "</th><td>");
	if (*rep->signed_at) {
		html_date(r, rep->signed_at, 1);
		html_raw(r, " UTC");
	}
	html_raw(r, "</td></tr>");
	report_row(r, "bundle.trust", web_t(r, trusted ? "bundle.trusted" :
	    rep->self_signed ? "bundle.self_signed" : "bundle.not_trusted"));
	html_raw(r, "</tbody></table>");
}

static void
count_row(struct web_req *r, const char *key, size_t n)
{
	char num[32];

	snprintf(num, sizeof(num), "%zu", n);
	report_row(r, key, num);
}

/* What an import did: counts, and the values the archive kept */
static void
import_html(struct web_req *r, const struct sohoa_import_result *res)
{
	size_t i;

	html_raw(r, "<p class=\"msg good\" id=\"imported\">");
	if (res->changed)
		html_tf(r, "bundle.imported", res->dossier.buf, NULL);
	else
		html_tf(r, "bundle.unchanged", res->dossier.buf, NULL);
	html_raw(r, "</p><table id=\"import-counts\"><tbody>");
	count_row(r, "bundle.added", res->added);
	count_row(r, "bundle.updated", res->updated);
	count_row(r, "bundle.kept", res->unchanged);
	count_row(r, "bundle.skipped", res->skipped);
	count_row(r, "bundle.fields_taken", res->fields_taken);
	html_raw(r, "</tbody></table>");
	if (res->nconflicts > 0) {
		html_raw(r, "<h2>");
		html_t(r, "bundle.conflicts");
		html_raw(r, "</h2><table id=\"conflicts\"><thead><tr><th>");
		html_t(r, "review.document");
		html_raw(r, "</th><th>");
		html_t(r, "doc.field");
		html_raw(r, "</th><th>");
		html_t(r, "bundle.local");
		html_raw(r, "</th><th>");
		html_t(r, "bundle.theirs");
		html_raw(r, "</th></tr></thead><tbody>");
		for (i = 0; i < res->nconflicts; i++) {
			const struct sohoa_import_conflict *k =
			    &res->conflicts[i];

			html_raw(r, "<tr><td>");
			if (k->doc_id > 0)
				sohoa_buf_addf(&r->out, "<a href=\"/documents/"
				    "%lld\">%lld</a>", (long long)k->doc_id,
				    (long long)k->doc_id);
			html_raw(r, "</td><td>");
			html_text(r, k->key ? web_field_label(r, NULL, k->key) :
			    "—");
			html_raw(r, "</td><td>");
			html_text(r, k->local ? k->local : "—");
			html_raw(r, "</td><td>");
			html_text(r, k->bundle ? k->bundle : "—");
			html_raw(r, "</td></tr>");
		}
		html_raw(r, "</tbody></table>");
	}
	sohoa_buf_addf(&r->out, "<p><a id=\"imported-link\" "
	    "href=\"/dossiers/%lld\">", (long long)res->dossier_id);
	html_t(r, "bundle.open_dossier");
	html_raw(r, "</a></p>");
}

int
page_bundle_upload(struct web_req *r)
{
	struct sohoa_bundle *b = NULL;
	struct sohoa_import_result res;
	struct sohoa_import_opts opts;
	const struct sohoa_bundle_report *rep;
	const char *action = web_form(r, "action");
	struct sohoa_buf why = SOHOA_BUF_INIT;
	int rc, import, trusted = 0, status = 200;

	sohoa_import_result_init(&res);
	memset(&opts, 0, sizeof(opts));
	import = action != NULL && strcmp(action, "import") == 0;
	if (web_form(r, "untrusted") != NULL)
		opts.flags |= SOHOA_IMPORT_UNTRUSTED;
	if (r->upload_path == NULL || r->upload_size == 0)
		return web_error_t(r, 400, "bundle.no_file");
	/* an import extracts under the archive, never in $TMPDIR */
	rc = import ? sohoa_bundle_open_import(r->a, r->upload_path, NULL,
	    NULL, &b) : sohoa_bundle_open(r->ctx, r->upload_path, NULL, NULL,
	    &b);
	if (rc != SOHOA_OK && rc != SOHOA_ERR_INVALID) {
		web_log(r->w, "upload '%s': %s", r->upload_name,
		    sohoa_errmsg(r->ctx));
		sohoa_bundle_close(&b);
		return web_error_t(r, rc == SOHOA_ERR_FORMAT ||
		    rc == SOHOA_ERR_INPUT ? 400 : 500, "bundle.unreadable");
	}
	rep = sohoa_bundle_report(b);
	html_begin(r, web_t(r, import ? "bundle.import_title" :
	    "bundle.verify_title"), "dossiers");
	html_raw(r, "<h1>");
	html_t(r, import ? "bundle.import_title" : "bundle.verify_title");
	html_raw(r, "</h1>");
	if (rc == SOHOA_ERR_INVALID) {
		html_raw(r, "<p class=\"msg bad\" id=\"bundle-invalid\">");
		html_t(r, "bundle.invalid");
		html_raw(r, "</p><p class=\"hint\">");
		html_tf(r, "bundle.reason", rep->reason, *rep->member ?
		    rep->member : "—", NULL);
		html_raw(r, "</p>");
		status = import ? 400 : 200;
		goto report;
	}
	if (sohoa_trust_check(r->a, b, &trusted, &why) != SOHOA_OK)
		trusted = 0;
	html_raw(r, "<p class=\"msg good\" id=\"bundle-valid\">");
	html_t(r, "bundle.valid");
	html_raw(r, "</p>");
	if (!import)
		goto report;
	rc = sohoa_bundle_import(r->a, b, &opts, &res);
	if (rc == SOHOA_ERR_UNTRUSTED) {
		/* a person must say they take a signer this archive does not know */
		html_raw(r, "<p class=\"msg bad\" id=\"import-untrusted\">");
		html_t(r, "bundle.untrusted");
		html_raw(r, "</p>");
		status = 409;
	} else if (rc != SOHOA_OK) {
		web_log(r->w, "import of '%s': %s", r->upload_name,
		    sohoa_errmsg(r->ctx));
		html_raw(r, "<p class=\"msg bad\" id=\"import-failed\">");
		html_t(r, rc == SOHOA_ERR_BUSY ? "error.busy" :
		    "bundle.import_failed");
		html_raw(r, "</p>");
		status = rc == SOHOA_ERR_BUSY ? 409 : 500;
	} else {
		import_html(r, &res);
	}
report:
	report_html(r, rep, trusted);
	html_raw(r, "<p><a href=\"/dossiers\">");
	html_t(r, "bundle.back");
	html_raw(r, "</a></p>");
	html_end(r);
	sohoa_buf_release(&why);
	sohoa_import_result_release(&res);
	sohoa_bundle_close(&b);
	return status;
}
