/*
 * For admins: the audit log (every event of the archive's history, as
 * 'sohoa audit' prints it, with filters and pages) and the users (add,
 * change a role, disable or enable, set a password), each change made
 * through sohoa/users.h, which records it.
 *
 *   GET  /audit?action=&who=&document=&since=&before=
 *   GET  /users
 *   POST /users        op = add | role | disable | enable | passwd
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "web_private.h"

#define AUDIT_PAGE 100

/* ---- audit -------------------------------------------------------------- */

static const char *const audit_actions[] = {
	SOHOA_EV_LOGIN, SOHOA_EV_LOGIN_FAILED, SOHOA_EV_VIEW,
	SOHOA_EV_FIELD_SET, SOHOA_EV_FIELD_ACCEPT, SOHOA_EV_DOC_TYPE,
	SOHOA_EV_EXPORT, SOHOA_EV_IMPORT, SOHOA_EV_USER_ADD,
	SOHOA_EV_USER_CHANGE, NULL,
};

struct audit {
	struct web_req *r;
	int n;
	int64_t last;
};

static int
audit_row(void *arg, const struct sohoa_event *ev)
{
	struct audit *a = arg;
	struct web_req *r = a->r;

	a->n++;
	a->last = ev->id;
	html_raw(r, "<tr><td>");
	html_date(r, ev->at, 1);
	html_raw(r, "</td><td>");
	html_text(r, ev->who);
	html_raw(r, "</td><td>");
	html_text(r, web_t2(r, "source", strncmp(ev->source, "bundle:", 7) ==
	    0 ? "bundle" : ev->source));
	html_raw(r, "</td><td>");
	html_text(r, web_t2(r, "ev", ev->action));
	html_raw(r, "</td><td>");
	if (ev->document_id > 0)
		sohoa_buf_addf(&r->out, "<a href=\"/documents/%lld\">%lld</a>",
		    (long long)ev->document_id, (long long)ev->document_id);
	else if (ev->dossier_id > 0)
		sohoa_buf_addf(&r->out, "<a href=\"/dossiers/%lld\">",
		    (long long)ev->dossier_id);
	if (ev->document_id <= 0 && ev->dossier_id > 0) {
		html_text(r, ev->key ? ev->key : "");
		html_raw(r, "</a>");
	}
	html_raw(r, "</td><td>");
	html_event_field(r, ev, NULL);
	html_raw(r, "</td><td>");
	html_event_change(r, ev);
	html_raw(r, "</td></tr>");
	return 0;
}

static int64_t
id_arg(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? v : -1;
}

int
page_audit(struct web_req *r)
{
	struct sohoa_event_filter f;
	struct audit a = { r, 0, 0 };
	struct sohoa_buf since = SOHOA_BUF_INIT, u = SOHOA_BUF_INIT;
	const char *action = web_arg(r, "action"), *who = web_arg(r, "who");
	const char *doc = web_arg(r, "document"), *s = web_arg(r, "since");
	int64_t before = id_arg(web_arg(r, "before"));
	size_t i, mark;
	int status = 200;

	memset(&f, 0, sizeof(f));
	f.limit = AUDIT_PAGE;
	f.action = action != NULL && *action ? action : NULL;
	f.who = who != NULL && *who ? who : NULL;
	f.document_id = id_arg(doc);
	f.before_id = before > 0 ? before : 0;
	if (s != NULL && *s && web_date_to_iso(s, &since) != 0)
		status = 400;
	f.since = since.len > 0 ? since.buf : NULL;
	if (f.document_id < 0 || before < 0)
		status = 400;
	html_begin(r, web_t(r, "audit.title"), "audit");
	html_raw(r, "<h1>");
	html_t(r, "audit.title");
	html_raw(r, "</h1><form class=\"panel filters-row\" method=\"get\" "
	    "action=\"/audit\"><div class=\"col\"><label for=\"action\">");
	html_t(r, "audit.action");
	html_raw(r, "</label><select id=\"action\" name=\"action\"><option "
	    "value=\"\">");
	html_t(r, "audit.any");
	html_raw(r, "</option>");
	for (i = 0; audit_actions[i] != NULL; i++) {
		html_raw(r, "<option");
		html_attr(r, "value", audit_actions[i]);
		if (f.action != NULL && strcmp(f.action, audit_actions[i]) == 0)
			html_raw(r, " selected");
		html_raw(r, ">");
		html_text(r, web_t2(r, "ev", audit_actions[i]));
		html_raw(r, "</option>");
	}
	html_raw(r, "<option value=\"!view\"");
	if (f.action != NULL && strcmp(f.action, "!view") == 0)
		html_raw(r, " selected");
	html_raw(r, ">");
	html_t(r, "audit.not_views");
	html_raw(r, "</option></select></div><div class=\"col\">"
	    "<label for=\"who\">");
	html_t(r, "history.who");
	html_raw(r, "</label><input id=\"who\" name=\"who\"");
	html_attr(r, "value", f.who ? f.who : "");
	html_raw(r, "></div><div class=\"col\"><label for=\"document\">");
	html_t(r, "review.document");
	html_raw(r, "</label><input id=\"document\" name=\"document\" "
	    "inputmode=\"numeric\"");
	html_attr(r, "value", doc ? doc : "");
	html_raw(r, "></div><div class=\"col\"><label for=\"since\">");
	html_t(r, "audit.since");
	html_raw(r, "</label><input id=\"since\" name=\"since\"");
	html_attr(r, "value", s ? s : "");
	html_attr(r, "placeholder", web_t(r, "date.placeholder"));
	html_raw(r, "></div><button type=\"submit\">");
	html_t(r, "audit.filter");
	html_raw(r, "</button></form>");
	if (status != 200) {
		html_raw(r, "<p class=\"msg bad\">");
		html_t(r, "audit.bad_filter");
		html_raw(r, "</p>");
		goto out;
	}
	html_raw(r, "<table id=\"audit\"><thead><tr><th>");
	html_t(r, "history.when");
	html_raw(r, "</th><th>");
	html_t(r, "history.who");
	html_raw(r, "</th><th>");
	html_t(r, "audit.source");
	html_raw(r, "</th><th>");
	html_t(r, "history.what");
	html_raw(r, "</th><th>");
	html_t(r, "audit.object");
	html_raw(r, "</th><th>");
	html_t(r, "history.field");
	html_raw(r, "</th><th>");
	html_t(r, "history.change");
	html_raw(r, "</th></tr></thead><tbody>");
	mark = r->out.len;
	if (sohoa_archive_event_list(r->a, &f, audit_row, &a) != SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		html_raw(r, "</tbody></table>");
		web_log(r->w, "audit: %s", sohoa_errmsg(r->ctx));
		status = 500;
		goto out;
	}
	if (a.n == 0) {
		html_raw(r, "<tr><td colspan=\"7\" class=\"none\">");
		html_t(r, "audit.none");
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table>");
	if (a.n == AUDIT_PAGE) {
		/* older events: the same filters, below the last id shown */
		sohoa_buf_adds(&u, "/audit?");
		if (f.action) {
			sohoa_buf_adds(&u, "action=");
			web_urlenc(&u, f.action);
			sohoa_buf_addch(&u, '&');
		}
		if (f.who) {
			sohoa_buf_adds(&u, "who=");
			web_urlenc(&u, f.who);
			sohoa_buf_addch(&u, '&');
		}
		if (f.document_id > 0)
			sohoa_buf_addf(&u, "document=%lld&",
			    (long long)f.document_id);
		if (s != NULL && *s) {
			sohoa_buf_adds(&u, "since=");
			web_urlenc(&u, s);
			sohoa_buf_addch(&u, '&');
		}
		sohoa_buf_addf(&u, "before=%lld", (long long)a.last);
		html_raw(r, "<nav class=\"pages\"><a id=\"older\"");
		html_attr(r, "href", u.buf);
		html_raw(r, ">");
		html_t(r, "audit.older");
		html_raw(r, "</a></nav>");
	}
out:
	html_end(r);
	sohoa_buf_release(&since);
	sohoa_buf_release(&u);
	return status;
}

/* ---- users -------------------------------------------------------------- */

static void
role_select(struct web_req *r, const char *id, int selected)
{
	int role;

	html_raw(r, "<select name=\"role\"");
	html_attr(r, "id", id);
	html_raw(r, ">");
	for (role = SOHOA_ROLE_OFFICER; role <= SOHOA_ROLE_ADMIN; role++) {
		html_raw(r, "<option");
		html_attr(r, "value", sohoa_role_name(role));
		if (role == selected)
			html_raw(r, " selected");
		html_raw(r, ">");
		html_text(r, web_t2(r, "role", sohoa_role_name(role)));
		html_raw(r, "</option>");
	}
	html_raw(r, "</select>");
}

static void
op_form_begin(struct web_req *r, const char *op, const char *name)
{
	html_raw(r, "<form class=\"inline\" method=\"post\" action=\"/users\">");
	html_csrf(r);
	html_raw(r, "<input type=\"hidden\" name=\"op\"");
	html_attr(r, "value", op);
	html_raw(r, "><input type=\"hidden\" name=\"name\"");
	html_attr(r, "value", name);
	html_raw(r, ">");
}

static int
user_row(void *arg, const struct sohoa_user *u)
{
	struct web_req *r = arg;
	struct sohoa_buf id = SOHOA_BUF_INIT;

	html_raw(r, "<tr");
	sohoa_buf_addf(&id, "u-%s", u->name);
	html_attr(r, "id", id.buf);
	html_raw(r, "><td>");
	html_text(r, u->name);
	html_raw(r, "</td><td>");
	op_form_begin(r, "role", u->name);
	sohoa_buf_reset(&id);
	sohoa_buf_addf(&id, "role-%s", u->name);
	role_select(r, id.buf, u->role);
	html_raw(r, "<button type=\"submit\" class=\"plain\">");
	html_t(r, "users.change");
	html_raw(r, "</button></form></td><td>");
	html_t(r, u->disabled ? "users.disabled" : "users.active");
	op_form_begin(r, u->disabled ? "enable" : "disable", u->name);
	html_raw(r, "<button type=\"submit\" class=\"plain\">");
	html_t(r, u->disabled ? "users.enable" : "users.disable");
	html_raw(r, "</button></form></td><td>");
	op_form_begin(r, "passwd", u->name);
	html_raw(r, "<input type=\"password\" name=\"password\" "
	    "autocomplete=\"new-password\" minlength=\"8\"");
	html_attr(r, "aria-label", web_t(r, "users.new_password"));
	html_attr(r, "placeholder", web_t(r, "users.new_password"));
	html_raw(r, "><button type=\"submit\" class=\"plain\">");
	html_t(r, "users.set_password");
	html_raw(r, "</button></form></td><td>");
	html_date(r, u->changed_at, 1);
	html_raw(r, "</td></tr>");
	sohoa_buf_release(&id);
	return 0;
}

static int
users_render(struct web_req *r, int status, const char *msg, int good)
{
	size_t mark;

	html_begin(r, web_t(r, "users.title"), "users");
	html_raw(r, "<h1>");
	html_t(r, "users.title");
	html_raw(r, "</h1>");
	if (msg != NULL) {
		html_raw(r, good ? "<p class=\"msg good\" id=\"users-msg\">" :
		    "<p class=\"msg bad\" role=\"alert\" id=\"users-msg\">");
		html_text(r, msg);
		html_raw(r, "</p>");
	}
	html_raw(r, "<table id=\"users\"><thead><tr><th>");
	html_t(r, "users.name");
	html_raw(r, "</th><th>");
	html_t(r, "users.role");
	html_raw(r, "</th><th>");
	html_t(r, "users.state");
	html_raw(r, "</th><th>");
	html_t(r, "users.password");
	html_raw(r, "</th><th>");
	html_t(r, "users.changed");
	html_raw(r, "</th></tr></thead><tbody>");
	mark = r->out.len;
	if (sohoa_user_list(r->a, user_row, r) != SOHOA_OK) {
		sohoa_buf_truncate(&r->out, mark);
		web_log(r->w, "users: %s", sohoa_errmsg(r->ctx));
	}
	html_raw(r, "</tbody></table><section class=\"panel\"><h2>");
	html_t(r, "users.add");
	html_raw(r, "</h2><form method=\"post\" action=\"/users\">");
	html_csrf(r);
	html_raw(r, "<input type=\"hidden\" name=\"op\" value=\"add\">"
	    "<div class=\"col\"><label for=\"new-name\">");
	html_t(r, "users.name");
	html_raw(r, "</label><input id=\"new-name\" name=\"name\" required "
	    "autocomplete=\"off\"></div><div class=\"col\"><label "
	    "for=\"new-role\">");
	html_t(r, "users.role");
	html_raw(r, "</label>");
	role_select(r, "new-role", SOHOA_ROLE_OFFICER);
	html_raw(r, "</div><div class=\"col\"><label for=\"new-password\">");
	html_t(r, "users.password");
	html_raw(r, "</label><input id=\"new-password\" name=\"password\" "
	    "type=\"password\" autocomplete=\"new-password\" minlength=\"8\" "
	    "required></div><button type=\"submit\" id=\"add-user\">");
	html_t(r, "users.add_go");
	html_raw(r, "</button></form><p class=\"hint\">");
	html_t(r, "users.hint");
	html_raw(r, "</p></section>");
	html_end(r);
	return status;
}

int
page_users(struct web_req *r)
{
	return users_render(r, 200, NULL, 0);
}

static int
exists(void *arg, const struct sohoa_user *u)
{
	(void)u;
	*(int *)arg = 1;
	return 0;
}

/* What is wrong with the form before the library is asked, or NULL */
static const char *
refusal(struct web_req *r, const char *op, const char *name, int role,
    const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	int found = 0;

	if (strcmp(op, "add") == 0 || strcmp(op, "role") == 0) {
		if (role == SOHOA_ROLE_NONE)
			return "users.bad_role";
	}
	if (strcmp(op, "add") == 0 || strcmp(op, "passwd") == 0) {
		if (n < SOHOA_PASSWORD_MIN || n > SOHOA_PASSWORD_MAX)
			return "users.bad_password";
	}
	if (strcmp(op, "add") == 0) {
		sohoa_user_get(r->a, name, exists, &found);
		if (found)
			return "users.exists";
	} else if (strcmp(op, "role") != 0 && strcmp(op, "passwd") != 0 &&
	    strcmp(op, "disable") != 0 && strcmp(op, "enable") != 0) {
		return "error.400";
	}
	return NULL;
}

int
page_users_post(struct web_req *r)
{
	const char *op = web_form(r, "op"), *name = web_form(r, "name");
	const char *pw = web_form(r, "password"), *why;
	struct sohoa_buf msg = SOHOA_BUF_INIT, norm = SOHOA_BUF_INIT;
	int role = sohoa_role_parse(web_form(r, "role")), rc, status;

	if (op == NULL || name == NULL)
		return users_render(r, 400, web_t(r, "error.400"), 0);
	if (sohoa_user_name_check(r->ctx, name, &norm) != SOHOA_OK) {
		status = users_render(r, 400, web_t(r, "users.bad_name"), 0);
		goto out;
	}
	/* an admin cannot lock themselves out */
	if (strcmp(norm.buf, r->sess.user) == 0 && (strcmp(op, "disable") == 0 ||
	    (strcmp(op, "role") == 0 && role != SOHOA_ROLE_ADMIN))) {
		status = users_render(r, 400, web_t(r, "users.not_self"), 0);
		goto out;
	}
	why = refusal(r, op, norm.buf, role, pw);
	if (why != NULL) {
		status = users_render(r, 400, web_t(r, why), 0);
		goto out;
	}
	if (strcmp(op, "add") == 0)
		rc = sohoa_user_add(r->a, norm.buf, role, pw);
	else if (strcmp(op, "role") == 0)
		rc = sohoa_user_set_role(r->a, norm.buf, role);
	else if (strcmp(op, "passwd") == 0)
		rc = sohoa_user_set_password(r->a, norm.buf, pw);
	else
		rc = sohoa_user_set_disabled(r->a, norm.buf,
		    strcmp(op, "disable") == 0);
	if (rc == SOHOA_ERR_NOTFOUND) {
		status = users_render(r, 404, web_t(r, "users.no_user"), 0);
	} else if (rc != SOHOA_OK) {
		status = web_fail(r);
	} else {
		/* a change to a user ends their sessions (server.c) */
		web_tf(r, &msg, "users.done", norm.buf, NULL);
		status = users_render(r, 200, msg.buf, 1);
	}
out:
	sohoa_buf_release(&msg);
	sohoa_buf_release(&norm);
	return status;
}
