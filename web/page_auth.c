/*
 * Signing in and out: the login form, the password check behind the
 * login limiter, the session cookie, and the login events of the audit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "web_private.h"

#define COOKIE_NAME "sohoa_sid"

/*
 * Where to go after signing in: a path of ours, else the search page.
 * Not "//host" nor "/\\host", and no control character or space at all:
 * browsers drop tabs and line ends from a URL ("/\t/host" is "//host"),
 * and a line end would break the Location header.
 */
static const char *
safe_next(const char *next)
{
	const unsigned char *p;

	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    strchr(next, '\\') != NULL || strstr(next, "..") != NULL ||
	    strncmp(next, "/login", 6) == 0)
		return "/search";
	for (p = (const unsigned char *)next; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "/search";
	return next;
}

struct user_row {
	int role;
	int found;
	struct sohoa_buf changed_at;
	struct sohoa_buf name;
};

static int
on_user(void *arg, const struct sohoa_user *u)
{
	struct user_row *row = arg;

	row->found = 1;
	row->role = u->role;
	sohoa_buf_adds(&row->changed_at, u->changed_at);
	sohoa_buf_adds(&row->name, u->name);
	return 0;
}

int
web_sign_in(struct web_req *r, const char *user)
{
	struct user_row row;
	struct sohoa_buf cookie = SOHOA_BUF_INIT;
	int status = 0;

	memset(&row, 0, sizeof(row));
	sohoa_buf_init(&row.changed_at);
	sohoa_buf_init(&row.name);
	if (sohoa_user_get(r->a, user, on_user, &row) != SOHOA_OK ||
	    !row.found) {
		status = 500;
		goto out;
	}
	if (web_session_create(r->w->sessions, row.name.buf, row.role,
	    row.changed_at.buf, &r->sess) != SOHOA_OK) {
		web_log(r->w, "cannot make a session: no random bytes");
		status = 500;
		goto out;
	}
	r->authed = 1;
	sohoa_archive_set_actor(r->a, r->sess.user, "web");
	sohoa_buf_addf(&cookie, COOKIE_NAME "=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=43200%s", r->sess.id,
	    r->w->tls ? "; Secure" : "");
	free(r->cookie);
	r->cookie = sohoa_buf_detach(&cookie, NULL);
	if (web_event(r, SOHOA_EV_LOGIN, 0, 0, NULL, NULL, r->ip) != SOHOA_OK)
		web_log(r->w, "cannot record a login: %s",
		    sohoa_errmsg(r->ctx));
out:
	sohoa_buf_release(&row.changed_at);
	sohoa_buf_release(&row.name);
	sohoa_buf_release(&cookie);
	return status;
}

int
web_check_login(struct web_req *r, const char *name, const char *password,
    int *pwait)
{
	struct sohoa_buf norm = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	const char *who;
	int rc;

	*pwait = 0;
	if (name == NULL || password == NULL)
		return 400;
	/* the limiter keys on the name as stored, or on what was typed */
	if (sohoa_user_name_check(NULL, name, &norm) != SOHOA_OK) {
		sohoa_buf_reset(&norm);
		sohoa_buf_add(&norm, name, strlen(name) > 64 ? 64 :
		    strlen(name));
	}
	who = norm.buf;
	*pwait = web_limit_wait(r->w->sessions, r->ip, who);
	if (*pwait > 0) {
		sohoa_buf_release(&norm);
		return 429;
	}
	rc = sohoa_user_verify(r->a, name, password);
	if (rc == SOHOA_OK) {
		web_limit_ok(r->w->sessions, r->ip, who);
		sohoa_buf_release(&norm);
		return 0;
	}
	if (rc != SOHOA_ERR_INVALID) {
		web_log(r->w, "cannot check a password: %s",
		    sohoa_errmsg(r->ctx));
		sohoa_buf_release(&norm);
		return 500;
	}
	web_limit_fail(r->w->sessions, r->ip, who);
	memset(&ev, 0, sizeof(ev));
	ev.action = SOHOA_EV_LOGIN_FAILED;
	ev.who = who;
	ev.new_value = r->ip;
	if (sohoa_archive_event_add(r->a, &ev, NULL) != SOHOA_OK)
		web_log(r->w, "cannot record a failed login: %s",
		    sohoa_errmsg(r->ctx));
	sohoa_buf_release(&norm);
	return 401;
}

static int
login_form(struct web_req *r, int status, const char *msg_key, int wait)
{
	char secs[32];

	r->authed = 0;	/* no menu on this page */
	html_begin(r, web_t(r, "login.title"), NULL);
	html_raw(r, "<section class=\"login\"><h1>");
	html_t(r, "login.title");
	html_raw(r, "</h1>");
	if (msg_key != NULL) {
		snprintf(secs, sizeof(secs), "%d", wait);
		html_raw(r, "<p class=\"msg bad\" role=\"alert\" id=\"login-error\">");
		html_tf(r, msg_key, secs, NULL);
		html_raw(r, "</p>");
	}
	html_raw(r, "<form method=\"post\" action=\"/login\">"
	    "<input type=\"hidden\" name=\"next\"");
	html_attr(r, "value", safe_next(web_arg(r, "next") ? web_arg(r, "next") :
	    web_form(r, "next")));
	html_raw(r, "><label for=\"name\">");
	html_t(r, "login.name");
	html_raw(r, "</label><input id=\"name\" name=\"name\" "
	    "autocomplete=\"username\" autofocus required");
	if (web_form(r, "name") != NULL)
		html_attr(r, "value", web_form(r, "name"));
	html_raw(r, "><label for=\"password\">");
	html_t(r, "login.password");
	html_raw(r, "</label><input id=\"password\" name=\"password\" "
	    "type=\"password\" autocomplete=\"current-password\" required>"
	    "<button type=\"submit\" id=\"login\">");
	html_t(r, "login.submit");
	html_raw(r, "</button></form></section>");
	html_end(r);
	return status;
}

int
page_login(struct web_req *r)
{
	if (r->authed)
		return web_redirect(r, safe_next(web_arg(r, "next")));
	return login_form(r, 200, NULL, 0);
}

int
page_login_post(struct web_req *r)
{
	const char *name = web_form(r, "name");
	int status, wait;

	status = web_check_login(r, name, web_form(r, "password"), &wait);
	if (status == 429)
		return login_form(r, 429, "login.wait", wait);
	if (status == 401 || status == 400)
		return login_form(r, 401, "login.wrong", 0);
	if (status != 0)
		return web_error(r, status, NULL);
	status = web_sign_in(r, name);
	if (status != 0)
		return web_error(r, status, NULL);
	return web_redirect(r, safe_next(web_form(r, "next")));
}

static void
sign_out(struct web_req *r)
{
	char cookie[128];

	web_session_drop(r->w->sessions, r->sess.id);
	snprintf(cookie, sizeof(cookie), COOKIE_NAME "=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0%s", r->w->tls ? "; Secure" : "");
	free(r->cookie);
	r->cookie = strdup(cookie);
	r->authed = 0;
}

int
page_logout(struct web_req *r)
{
	sign_out(r);
	return web_redirect(r, "/login");
}

int
api_logout(struct web_req *r)
{
	sign_out(r);
	r->ctype = "application/json";
	sohoa_buf_adds(&r->out, "{}");
	return 200;
}

int
page_home(struct web_req *r)
{
	return web_redirect(r, "/search");
}
