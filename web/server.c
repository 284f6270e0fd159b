/*
 * The web server: libmicrohttpd with its thread pool, the route table,
 * and what every request goes through before its handler runs -- the
 * Host allowlist (DNS rebinding), the path check (no '..' or encoded
 * variant reaches a handler), the session and the role, the body (forms
 * and uploads through libmicrohttpd's post processor, JSON kept raw,
 * both capped) and the CSRF token of every POST.  Every response carries
 * the same security headers (CSP without inline script, nosniff, no
 * framing, no caching of personal data).
 *
 *   sohoa_web_start / _stop / _url      the server
 *   web_form / web_arg / web_header     what a request sent
 *   web_redirect / web_error / web_fail responses
 *   web_event / web_log                 history and log
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/history.h"
#include "sohoa/utf8.h"
#include "web_private.h"

#define COOKIE_NAME "sohoa_sid"

static const struct web_route routes[] = {
	{ WEB_GET,  "/", SOHOA_ROLE_OFFICER, 0, page_home },
	{ WEB_GET,  "/login", 0, WEB_PUBLIC, page_login },
	{ WEB_POST, "/login", 0, WEB_PUBLIC | WEB_NO_CSRF, page_login_post },
	{ WEB_POST, "/logout", SOHOA_ROLE_OFFICER, 0, page_logout },
	{ WEB_GET,  "/assets/style.css", 0, WEB_PUBLIC, web_asset },
	{ WEB_GET,  "/assets/app.js", 0, WEB_PUBLIC, web_asset },
	{ WEB_GET,  "/assets/icon.svg", 0, WEB_PUBLIC, web_asset },
	{ WEB_GET,  "/search", SOHOA_ROLE_OFFICER, 0, page_search },
	{ WEB_GET,  "/status", SOHOA_ROLE_OFFICER, 0, page_status },
	{ WEB_POST, "/status/retry", SOHOA_ROLE_CLERK, 0, page_status_retry },
	{ WEB_GET,  "/dossiers", SOHOA_ROLE_OFFICER, 0, page_dossiers },
	{ WEB_GET,  "/dossiers/#", SOHOA_ROLE_OFFICER, 0, page_dossier },
	{ WEB_POST, "/dossiers/#/meta", SOHOA_ROLE_ARCHIVIST, 0,
	  page_dossier_meta },
	{ WEB_POST, "/dossiers/#/export", SOHOA_ROLE_ARCHIVIST, 0,
	  page_dossier_export },
	{ WEB_POST, "/bundles", SOHOA_ROLE_ARCHIVIST, WEB_UPLOAD,
	  page_bundle_upload },
	{ WEB_GET,  "/audit", SOHOA_ROLE_ADMIN, 0, page_audit },
	{ WEB_GET,  "/users", SOHOA_ROLE_ADMIN, 0, page_users },
	{ WEB_POST, "/users", SOHOA_ROLE_ADMIN, 0, page_users_post },
	{ WEB_GET,  "/documents/#", SOHOA_ROLE_OFFICER, 0, page_document },
	{ WEB_GET,  "/documents/#/pages/#", SOHOA_ROLE_OFFICER, WEB_BINARY,
	  page_document_image },
	{ WEB_GET,  "/documents/#/crop", SOHOA_ROLE_OFFICER, WEB_BINARY,
	  page_field_crop },
	{ WEB_POST, "/documents/#/fields", SOHOA_ROLE_CLERK, 0,
	  page_document_fields },
	{ WEB_POST, "/documents/#/pages/#/reread", SOHOA_ROLE_CLERK, 0,
	  page_document_reread },
	{ WEB_POST, "/documents/#/pages/#/text", SOHOA_ROLE_CLERK, 0,
	  page_document_text },
	{ WEB_POST, "/documents/#/accept", SOHOA_ROLE_CLERK, 0,
	  page_document_accept },
	{ WEB_POST, "/documents/#/type", SOHOA_ROLE_CLERK, 0,
	  page_document_type },
	{ WEB_GET,  "/review", SOHOA_ROLE_CLERK, 0, page_review },
	{ WEB_POST, "/review/accept", SOHOA_ROLE_CLERK, 0, page_review_accept },
	{ WEB_POST, "/review/fields", SOHOA_ROLE_CLERK, 0, page_review_fields },
	{ WEB_POST, "/review/type", SOHOA_ROLE_CLERK, 0, page_review_type },

	{ WEB_POST, "/api/login", 0, WEB_API | WEB_PUBLIC | WEB_NO_CSRF,
	  api_login },
	{ WEB_POST, "/api/logout", SOHOA_ROLE_OFFICER, WEB_API, api_logout },
	{ WEB_GET,  "/api/me", SOHOA_ROLE_OFFICER, WEB_API, api_me },
	{ WEB_GET,  "/api/search", SOHOA_ROLE_OFFICER, WEB_API, api_search },
	{ WEB_GET,  "/api/status", SOHOA_ROLE_OFFICER, WEB_API, api_status },
	{ WEB_GET,  "/api/documents/#", SOHOA_ROLE_OFFICER, WEB_API,
	  api_document },
	{ WEB_GET,  "/api/documents/#/pages/#", SOHOA_ROLE_OFFICER, WEB_API,
	  page_document_image },
	{ WEB_GET,  "/api/documents/#/history", SOHOA_ROLE_OFFICER, WEB_API,
	  api_document_history },
	{ WEB_POST, "/api/documents/#/fields", SOHOA_ROLE_CLERK, WEB_API,
	  api_document_fields },
	{ WEB_POST, "/api/documents/#/accept", SOHOA_ROLE_CLERK, WEB_API,
	  api_document_accept },
};

#define CSP "default-src 'none'; script-src 'self'; style-src 'self';" \
	" img-src 'self'; connect-src 'self'; form-action 'self';" \
	" frame-ancestors 'none'; base-uri 'none'"

/* ---- log --------------------------------------------------------------- */

void
web_log(struct sohoa_web *w, const char *fmt, ...)
{
	struct sohoa_buf line = SOHOA_BUF_INIT, safe = SOHOA_BUF_INIT;
	va_list ap;
	int rc;

	if (w->log == NULL)
		return;
	va_start(ap, fmt);
	rc = sohoa_buf_vaddf(&line, fmt, ap);
	va_end(ap);
	/*
	 * Paths and names come from the network: a control character or a
	 * broken byte in them cannot forge a line or reach a terminal.
	 */
	if (rc == SOHOA_OK)
		rc = sohoa_utf8_term_escape(line.buf, line.len, 0, &safe);
	if (rc == SOHOA_OK) {
		pthread_mutex_lock(&w->log_lock);
		w->log(w->log_arg, safe.buf);
		pthread_mutex_unlock(&w->log_lock);
	}
	sohoa_buf_release(&line);
	sohoa_buf_release(&safe);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct sohoa_web *w = cls;
	struct sohoa_buf line = SOHOA_BUF_INIT;
	va_list cp;

	va_copy(cp, ap);
	if (sohoa_buf_vaddf(&line, fmt, cp) == SOHOA_OK) {
		while (line.len > 0 && line.buf[line.len - 1] == '\n')
			sohoa_buf_truncate(&line, line.len - 1);
		web_log(w, "libmicrohttpd: %s", line.buf);
	}
	va_end(cp);
	sohoa_buf_release(&line);
}

/* ---- each worker thread's archive handle -------------------------------- */

static void
thread_free(void *p)
{
	struct web_thread *t = p;

	if (t == NULL)
		return;
	sohoa_archive_close(&t->a);
	sohoa_ctx_destroy(&t->ctx);
	free(t);
}

/*
 * The calling worker's handle, opened on first use and kept until the
 * thread ends (libmicrohttpd joins its workers at stop, which runs the
 * key's destructor).  NULL on failure, with the reason logged.
 */
static struct web_thread *
thread_get(struct sohoa_web *w)
{
	struct web_thread *t = pthread_getspecific(w->tkey);

	if (t != NULL)
		return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL || (t->ctx = sohoa_ctx_new()) == NULL) {
		free(t);
		return NULL;
	}
	if (sohoa_archive_open(t->ctx, w->archive, 0, &t->a) != SOHOA_OK) {
		web_log(w, "cannot open the archive: %s", sohoa_errmsg(t->ctx));
		thread_free(t);
		return NULL;
	}
	sohoa_archive_set_actor(t->a, NULL, "web");
	if (pthread_setspecific(w->tkey, t) != 0) {
		thread_free(t);
		return NULL;
	}
	return t;
}

/* ---- request state ------------------------------------------------------ */

static void
req_free(struct web_req *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i].key);
		sohoa_buf_release(&r->fields[i].value);
	}
	free(r->fields);
	sohoa_buf_release(&r->body);
	if (r->upload_fd >= 0)
		close(r->upload_fd);
	if (r->upload_path != NULL)
		unlink(r->upload_path);
	free(r->upload_path);
	free(r->upload_name);
	if (r->file_fd >= 0)
		close(r->file_fd);
	sohoa_buf_release(&r->out);
	free(r->location);
	free(r->cookie);
	free(r->disposition);
	free(r->raw_uri);
	free(r);
}

static struct web_req *
req_new(struct sohoa_web *w, const char *uri)
{
	struct web_req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->w = w;
	r->upload_fd = -1;
	r->file_fd = -1;
	sohoa_buf_init(&r->body);
	sohoa_buf_init(&r->out);
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	if (uri != NULL && (r->raw_uri = strdup(uri)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

/* libmicrohttpd: the URI as it came, before unescaping */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct web_req *r = req_new(cls, uri);

	if (r != NULL)
		r->conn = conn;
	return r;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	req_free(*con_cls);
	*con_cls = NULL;
}

const char *
web_header(const struct web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
web_arg(const struct web_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
web_form(const struct web_req *r, const char *key)
{
	size_t i;

	for (i = r->nfields; i > 0; i--)
		if (strcmp(r->fields[i - 1].key, key) == 0)
			return r->fields[i - 1].value.buf;
	return NULL;
}

/* ---- responses ---------------------------------------------------------- */

int
web_redirect(struct web_req *r, const char *location)
{
	free(r->location);
	r->location = strdup(location);
	sohoa_buf_reset(&r->out);
	r->ctype = "text/plain; charset=utf-8";
	return r->location != NULL ? MHD_HTTP_SEE_OTHER :
	    MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static const char *
status_key(int status)
{
	switch (status) {
	case 400: return "error.400";
	case 401: return "error.401";
	case 403: return "error.403";
	case 404: return "error.404";
	case 405: return "error.405";
	case 409: return "error.409";
	case 413: return "error.413";
	case 421: return "error.421";
	case 429: return "error.429";
	case 503: return "error.503";
	default: return "error.500";
	}
}

int
web_error(struct web_req *r, int status, const char *msg)
{
	return web_error_detail(r, status, msg, NULL);
}

int
web_error_detail(struct web_req *r, int status, const char *msg,
    const char *detail)
{
	struct sohoa_json j;

	sohoa_buf_reset(&r->out);
	free(r->location);
	r->location = NULL;
	if (msg == NULL || *msg == '\0')
		msg = web_t(r, status_key(status));
	if (r->api) {
		r->ctype = "application/json";
		sohoa_json_init(&j, &r->out, 0);
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "error");
		sohoa_json_str(&j, msg);
		if (detail != NULL) {
			sohoa_json_key(&j, "detail");
			sohoa_json_str(&j, detail);
		}
		sohoa_json_obj_close(&j);
		return status;
	}
	html_begin(r, web_t(r, status_key(status)), NULL);
	html_raw(r, "<section class=\"error\"><h1>");
	html_t(r, status_key(status));
	html_raw(r, "</h1><p>");
	html_text(r, msg);
	html_raw(r, "</p><p><a href=\"/search\">");
	html_t(r, "error.back");
	html_raw(r, "</a></p></section>");
	html_end(r);
	return status;
}

int
web_error_t(struct web_req *r, int status, const char *key)
{
	return web_error(r, status, web_t(r, key));
}

int
web_fail(struct web_req *r)
{
	int status;

	switch (sohoa_errcode(r->ctx)) {
	case SOHOA_ERR_INPUT:
	case SOHOA_ERR_FORMAT:
	case SOHOA_ERR_INVALID:
		status = 400;
		break;
	case SOHOA_ERR_NOTFOUND:
		status = 404;
		break;
	case SOHOA_ERR_BUSY:
		status = 409;
		break;
	default:
		status = 500;
		web_log(r->w, "%s %s: %s", r->method, r->url,
		    sohoa_errmsg(r->ctx));
		/* no library internals on a page: the log has them */
		return web_error(r, status, NULL);
	}
	return web_error(r, status, sohoa_errmsg(r->ctx));
}

int
web_event(struct web_req *r, const char *action, int64_t doc_id,
    int64_t dossier_id, const char *key, const char *old_value,
    const char *new_value)
{
	struct sohoa_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.action = action;
	ev.document_id = doc_id;
	ev.dossier_id = dossier_id;
	ev.key = key;
	ev.old_value = old_value;
	ev.new_value = new_value;
	return sohoa_archive_event_add(r->a, &ev, NULL);
}

static void
add_headers(struct web_req *r, struct MHD_Response *resp, int status)
{
	const char *cache = "no-store";

	if (r->route != NULL && r->route->fn == web_asset && status == 200)
		cache = "max-age=600";
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    r->ctype ? r->ctype : "text/html; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
	    "same-origin");
	if (r->w->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	if (r->location != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    r->location);
	if (r->cookie != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
		    r->cookie);
	if (r->disposition != NULL)
		MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_CONTENT_DISPOSITION, r->disposition);
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result
respond(struct web_req *r, int status)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len;
	char *body;

	if (r->file_fd >= 0 && status == 200) {
		resp = MHD_create_response_from_fd((size_t)r->file_size,
		    r->file_fd);
		if (resp != NULL)
			r->file_fd = -1;	/* the response closes it */
	} else {
		body = sohoa_buf_detach(&r->out, &len);
		resp = MHD_create_response_from_buffer(len, body,
		    MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(body);
	}
	if (resp == NULL)
		return MHD_NO;
	add_headers(r, resp, status);
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	/* the path only: queries hold names people searched for */
	web_log(r->w, "%s %s %d %s %.1f ms", r->method, r->url, status,
	    r->authed ? r->sess.user : "-", ms_since(&r->t0));
	return ret;
}

/* ---- checks before a handler runs -------------------------------------- */

/* Host names (with port) this server answers to */
static int
host_allowed(const struct web_req *r)
{
	const char *host = web_header(r, MHD_HTTP_HEADER_HOST);
	size_t i;

	if (host == NULL)
		return 0;
	for (i = 0; i < r->w->nhosts; i++)
		if (strcasecmp(host, r->w->hosts[i]) == 0)
			return 1;
	return 0;
}

/*
 * An Origin header, when the browser sends one, must be this server: a
 * page elsewhere cannot post here even with a stolen token.
 */
static int
origin_allowed(const struct web_req *r)
{
	const char *origin = web_header(r, "Origin");
	const char *site = web_header(r, "Sec-Fetch-Site");
	const char *rest;
	size_t i;

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return 0;
	if (origin == NULL)
		return 1;
	if (strncmp(origin, "http://", 7) == 0 && !r->w->tls)
		rest = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0 && r->w->tls)
		rest = origin + 8;
	else
		return 0;
	for (i = 0; i < r->w->nhosts; i++)
		if (strcasecmp(rest, r->w->hosts[i]) == 0)
			return 1;
	return 0;
}

/*
 * No request path may climb out of where it points: a '..' segment, a
 * backslash, an empty segment, a control character or invalid UTF-8
 * after unescaping, or an escaped dot, slash, backslash, percent or NUL
 * in the path as sent, is refused before any route is looked at.
 */
static int
path_safe(const struct web_req *r)
{
	static const char *const bad_escapes[] = {
		"%2e", "%2f", "%5c", "%25", "%00", NULL,
	};
	const char *p, *u = r->url;
	size_t i, n;

	if (u == NULL || u[0] != '/')
		return 0;
	n = strlen(u);
	if (!sohoa_utf8_valid(u, n))
		return 0;
	for (p = u; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	if (strstr(u, "//") != NULL || strstr(u, "/../") != NULL ||
	    strstr(u, "/./") != NULL)
		return 0;
	if ((n >= 3 && strcmp(u + n - 3, "/..") == 0) ||
	    (n >= 2 && strcmp(u + n - 2, "/.") == 0))
		return 0;
	if (strstr(u, "..") != NULL)
		return 0;
	if (r->raw_uri != NULL) {
		n = strcspn(r->raw_uri, "?");
		for (p = r->raw_uri; p < r->raw_uri + n; p++) {
			if (*p != '%')
				continue;
			for (i = 0; bad_escapes[i] != NULL; i++)
				if (strncasecmp(p, bad_escapes[i], 3) == 0)
					return 0;
		}
	}
	return 1;
}

/* A path parameter: 1 to 18 digits, no sign, not zero */
static int
parse_id(const char *s, size_t n, int64_t *pid)
{
	int64_t v = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v <= 0)
		return -1;
	*pid = v;
	return 0;
}

/* 1 when URL matches PATTERN, with its numbers in ids[] */
static int
match(const char *pattern, const char *url, int64_t ids[2])
{
	const char *p = pattern, *u = url, *end;
	int k = 0;

	while (*p && *u) {
		if (*p == '#') {
			end = u + strcspn(u, "/");
			if (k >= 2 || parse_id(u, (size_t)(end - u), &ids[k]) != 0)
				return 0;
			k++;
			p++;
			u = end;
		} else if (*p++ != *u++) {
			return 0;
		}
	}
	return *p == '\0' && *u == '\0';
}

static const struct web_route *
find_route(struct web_req *r, int method, int *pwrong_method)
{
	size_t i;
	int64_t ids[2];

	*pwrong_method = 0;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		ids[0] = ids[1] = 0;
		if (!match(routes[i].pattern, r->url, ids))
			continue;
		if (!(routes[i].method & method)) {
			*pwrong_method = 1;
			continue;
		}
		r->id[0] = ids[0];
		r->id[1] = ids[1];
		return &routes[i];
	}
	return NULL;
}

struct user_check {
	const struct web_session *sess;
	int ok;
	int role;
};

static int
user_still_ok(void *arg, const struct sohoa_user *u)
{
	struct user_check *c = arg;

	c->ok = !u->disabled && u->changed_at != NULL &&
	    strcmp(u->changed_at, c->sess->changed_at) == 0;
	c->role = u->role;
	return 0;
}

/*
 * The session named by the cookie, if it is live and its user is still
 * as when they signed in (a role, password or state change since ends
 * it).
 */
static void
authenticate(struct web_req *r)
{
	const char *id = MHD_lookup_connection_value(r->conn,
	    MHD_COOKIE_KIND, COOKIE_NAME);
	struct user_check c;

	r->authed = 0;
	if (id == NULL || strlen(id) != WEB_TOKEN_LEN - 1)
		return;
	if (!web_session_find(r->w->sessions, id, &r->sess))
		return;
	memset(&c, 0, sizeof(c));
	c.sess = &r->sess;
	if (sohoa_user_get(r->a, r->sess.user, user_still_ok, &c) != SOHOA_OK ||
	    !c.ok) {
		web_session_drop(r->w->sessions, id);
		return;
	}
	r->sess.role = c.role;
	r->authed = 1;
	sohoa_archive_set_actor(r->a, r->sess.user, "web");
}

static void
client_ip(struct web_req *r)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	socklen_t len;

	snprintf(r->ip, sizeof(r->ip), "?");
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if (getnameinfo(sa, len, r->ip, sizeof(r->ip), NULL, 0,
	    NI_NUMERICHOST) != 0)
		snprintf(r->ip, sizeof(r->ip), "?");
}

/* ---- bodies ------------------------------------------------------------- */

static struct web_field *
field_for(struct web_req *r, const char *key, uint64_t off)
{
	struct web_field *f;

	/* a continued value goes on the field it started */
	if (off > 0 && r->nfields > 0 &&
	    strcmp(r->fields[r->nfields - 1].key, key) == 0)
		return &r->fields[r->nfields - 1];
	if (r->nfields >= 256)
		return NULL;
	f = realloc(r->fields, (r->nfields + 1) * sizeof(*f));
	if (f == NULL)
		return NULL;
	r->fields = f;
	f = &r->fields[r->nfields];
	f->key = strdup(key);
	if (f->key == NULL)
		return NULL;
	sohoa_buf_init(&f->value);
	r->nfields++;
	return f;
}

static int
upload_chunk(struct web_req *r, const char *filename, const char *data,
    size_t size)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	ssize_t n;
	size_t done = 0;

	if (r->upload_fd < 0) {
		if (r->upload_path != NULL)
			return -1;	/* one file per request */
		if (sohoa_buf_addf(&path, "%s/upload-XXXXXX", r->w->tmpdir) !=
		    SOHOA_OK)
			return -1;
		r->upload_fd = mkstemp(path.buf);
		if (r->upload_fd < 0) {
			web_log(r->w, "cannot make a file for an upload in "
			    "'%s': %s", r->w->tmpdir, strerror(errno));
			sohoa_buf_release(&path);
			return -1;
		}
		r->upload_path = sohoa_buf_detach(&path, NULL);
		r->upload_name = strdup(filename);
		if (r->upload_name == NULL)
			return -1;
	}
	if (r->upload_size + size > WEB_UPLOAD_MAX) {
		r->too_large = 1;
		return -1;
	}
	while (done < size) {
		n = write(r->upload_fd, data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			web_log(r->w, "cannot write an upload to '%s': %s",
			    r->upload_path, strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	r->upload_size += size;
	return 0;
}

static enum MHD_Result
on_post_data(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off,
    size_t size)
{
	struct web_req *r = cls;
	struct web_field *f;
	size_t total = 0, i;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (key == NULL)
		return MHD_NO;
	if (filename != NULL) {
		if (!(r->route->flags & WEB_UPLOAD))
			return MHD_NO;
		return upload_chunk(r, filename, data, size) == 0 ? MHD_YES :
		    MHD_NO;
	}
	for (i = 0; i < r->nfields; i++)
		total += r->fields[i].value.len + strlen(r->fields[i].key);
	if (total + size > WEB_BODY_MAX) {
		r->too_large = 1;
		return MHD_NO;
	}
	f = field_for(r, key, off);
	if (f == NULL || sohoa_buf_add(&f->value, data, size) != SOHOA_OK)
		return MHD_NO;
	return MHD_YES;
}

/* Prepare to read the body of a POST; 0 or an HTTP status to refuse. */
static int
body_begin(struct web_req *r)
{
	const char *len = web_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *type = web_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	uint64_t max = r->route->flags & WEB_UPLOAD ? WEB_UPLOAD_MAX :
	    WEB_BODY_MAX;
	char *end;
	unsigned long long n;

	if (len != NULL) {
		errno = 0;
		n = strtoull(len, &end, 10);
		if (errno != 0 || *end != '\0' || n > max + 64 * 1024)
			return 413;
	}
	if (type != NULL &&
	    (strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0 ||
	    strncasecmp(type, "multipart/form-data", 19) == 0)) {
		r->pp = MHD_create_post_processor(r->conn, 16 * 1024,
		    on_post_data, r);
		if (r->pp == NULL)
			return 400;
		r->body_kind = WEB_BODY_FORM;
	} else {
		if (r->route->flags & WEB_UPLOAD)
			return 400;
		r->body_kind = WEB_BODY_RAW;
	}
	return 0;
}

static void
body_chunk(struct web_req *r, const char *data, size_t size)
{
	if (r->too_large)
		return;
	if (r->body_kind == WEB_BODY_FORM) {
		if (MHD_post_process(r->pp, data, size) != MHD_YES &&
		    !r->too_large)
			r->too_large = -1;	/* malformed or could not store */
		return;
	}
	if (r->body.len + size > WEB_BODY_MAX) {
		r->too_large = 1;
		return;
	}
	if (sohoa_buf_add(&r->body, data, size) != SOHOA_OK)
		r->too_large = -1;
}

static int
csrf_ok(const struct web_req *r)
{
	const char *token = web_header(r, "X-CSRF-Token");

	if (token == NULL)
		token = web_form(r, "csrf");
	return token != NULL && web_token_equal(token, r->sess.csrf);
}

/* ---- the handler -------------------------------------------------------- */

static int
method_of(const char *m)
{
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return WEB_GET;
	if (strcmp(m, "POST") == 0)
		return WEB_POST;
	return 0;
}

/*
 * Everything a request must pass before its body is read.  Returns 0 to
 * go on, else the status of a response already prepared.
 */
static int
begin(struct web_req *r)
{
	int method = method_of(r->method), wrong_method, status;
	struct sohoa_buf next = SOHOA_BUF_INIT;

	client_ip(r);
	r->api = strncmp(r->url, "/api/", 5) == 0 || strcmp(r->url, "/api") == 0;
	if (!host_allowed(r))
		return web_error_t(r, 421, "error.host");
	if (!path_safe(r))
		return web_error_t(r, 400, "error.path");
	if (method == 0)
		return web_error(r, 405, NULL);
	r->route = find_route(r, method, &wrong_method);
	if (r->route == NULL)
		return web_error(r, wrong_method ? 405 : 404, NULL);
	if (r->route->flags & WEB_API)
		r->api = 1;
	if (r->route->fn == web_asset)
		return 0;
	r->t = thread_get(r->w);
	if (r->t == NULL)
		return web_error(r, 503, NULL);
	r->ctx = r->t->ctx;
	r->a = r->t->a;
	sohoa_clear_error(r->ctx);
	sohoa_archive_set_actor(r->a, "anonymous", "web");
	authenticate(r);
	if (!r->authed && !(r->route->flags & WEB_PUBLIC)) {
		if (r->api || method != WEB_GET ||
		    (r->route->flags & WEB_BINARY))
			return web_error(r, 401, NULL);
		/*
		 * A person following a link: sign in, then come back to it
		 * as sent, query included (a search, a place in the review
		 * queue); the login page takes only a path of ours.
		 */
		sohoa_buf_adds(&next, "/login?next=");
		web_urlenc(&next, r->raw_uri != NULL ? r->raw_uri : r->url);
		status = web_redirect(r, next.buf);
		sohoa_buf_release(&next);
		return status;
	}
	if (r->authed && r->sess.role < r->route->role)
		return web_error_t(r, 403, "error.role");
	if (method == WEB_POST) {
		if (!origin_allowed(r))
			return web_error_t(r, 403, "error.origin");
		status = body_begin(r);
		if (status != 0)
			return web_error(r, status, NULL);
	}
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct sohoa_web *w = cls;
	struct web_req *r = *con_cls;

	(void)version;
	if (r == NULL) {
		r = req_new(w, NULL);
		if (r == NULL)
			return MHD_NO;
		r->conn = conn;
		*con_cls = r;
	}
	if (!r->started) {
		r->started = 1;
		r->url = url;
		r->method = method;
		r->refused = begin(r);
		/* a refused body is not read: the connection closes */
		if (r->refused != 0 && method_of(method) == WEB_POST)
			return respond(r, r->refused);
		/*
		 * Anything else is answered on the next call: libmicrohttpd
		 * closes a connection whose response is queued in the first
		 * one, and keep-alive matters to a page with its images.
		 */
		return MHD_YES;
	}
	if (r->refused != 0)
		return respond(r, r->refused);
	if (method_of(method) != WEB_POST)
		return respond(r, r->route->fn(r));
	if (*upload_data_size > 0) {
		body_chunk(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* the whole body is in */
	if (r->pp != NULL) {
		MHD_destroy_post_processor(r->pp);
		r->pp = NULL;
	}
	if (r->too_large > 0)
		return respond(r, web_error(r, 413, NULL));
	if (r->too_large < 0)
		return respond(r, web_error(r, 400, NULL));
	if (!(r->route->flags & WEB_NO_CSRF) && !csrf_ok(r))
		return respond(r, web_error_t(r, 403, "error.csrf"));
	return respond(r, r->route->fn(r));
}

/* ---- start and stop ----------------------------------------------------- */

static int
add_host(struct sohoa_web *w, const char *host, int port)
{
	char **h;
	struct sohoa_buf b = SOHOA_BUF_INIT;

	if (strchr(host, ':') != NULL && host[0] != '[')
		sohoa_buf_addf(&b, "[%s]:%d", host, port);
	else
		sohoa_buf_addf(&b, "%s:%d", host, port);
	h = realloc(w->hosts, (w->nhosts + 2) * sizeof(*h));
	if (h == NULL || b.len == 0) {
		sohoa_buf_release(&b);
		if (h != NULL)
			w->hosts = h;
		return SOHOA_ERR_NOMEM;
	}
	w->hosts = h;
	w->hosts[w->nhosts++] = sohoa_buf_detach(&b, NULL);
	/* the default port may be left out of Host */
	if ((port == 80 && !w->tls) || (port == 443 && w->tls)) {
		w->hosts[w->nhosts] = strdup(host);
		if (w->hosts[w->nhosts] == NULL)
			return SOHOA_ERR_NOMEM;
		w->nhosts++;
	}
	return SOHOA_OK;
}

/* Every address of this machine's interfaces (for a wildcard listen) */
static int
add_interface_hosts(struct sohoa_web *w, int family)
{
	struct ifaddrs *ifa = NULL, *i;
	char name[NI_MAXHOST];
	socklen_t len;
	int rc = SOHOA_OK;

	if (getifaddrs(&ifa) != 0)
		return SOHOA_OK;
	for (i = ifa; i != NULL && rc == SOHOA_OK; i = i->ifa_next) {
		if (i->ifa_addr == NULL || (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6))
			continue;
		if (family == AF_INET && i->ifa_addr->sa_family != AF_INET)
			continue;
		len = i->ifa_addr->sa_family == AF_INET6 ?
		    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		if (getnameinfo(i->ifa_addr, len, name, sizeof(name), NULL, 0,
		    NI_NUMERICHOST) != 0 || strchr(name, '%') != NULL)
			continue;
		rc = add_host(w, name, w->port);
	}
	freeifaddrs(ifa);
	return rc;
}

static int
make_hosts(struct sohoa_web *w, const struct sockaddr *sa, const char *addr,
    const struct sohoa_web_opts *o)
{
	char hostname[256];
	size_t i;
	int rc = SOHOA_OK, wildcard = 0, loopback = 0;

	if (sa->sa_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)sa)->
		    sin_addr.s_addr);

		wildcard = a == INADDR_ANY;
		loopback = (a >> 24) == 127;
	} else {
		const struct in6_addr *a6 =
		    &((const struct sockaddr_in6 *)sa)->sin6_addr;

		wildcard = IN6_IS_ADDR_UNSPECIFIED(a6);
		loopback = IN6_IS_ADDR_LOOPBACK(a6);
	}
	if (!wildcard)
		rc = add_host(w, addr, w->port);
	if (rc == SOHOA_OK && (loopback || wildcard)) {
		rc = add_host(w, "localhost", w->port);
		if (rc == SOHOA_OK && !(loopback && strcmp(addr,
		    "127.0.0.1") == 0))
			rc = add_host(w, "127.0.0.1", w->port);
	}
	if (rc == SOHOA_OK && wildcard) {
		rc = add_interface_hosts(w, sa->sa_family);
		if (rc == SOHOA_OK && gethostname(hostname,
		    sizeof(hostname)) == 0) {
			hostname[sizeof(hostname) - 1] = '\0';
			rc = add_host(w, hostname, w->port);
		}
	}
	for (i = 0; rc == SOHOA_OK && o->allow_hosts != NULL &&
	    o->allow_hosts[i] != NULL; i++)
		rc = add_host(w, o->allow_hosts[i], w->port);
	return rc;
}

/* "ADDR:PORT" or "[V6]:PORT" -> a socket address */
static int
parse_listen(struct sohoa_ctx *ctx, const char *listen,
    struct sockaddr_storage *ss, char *addr, size_t addrlen)
{
	struct addrinfo hints, *ai = NULL;
	const char *colon, *host = listen;
	size_t hostlen;
	char *end;
	long port;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (close == NULL || close[1] != ':')
			goto bad;
		host = listen + 1;
		hostlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL)
			goto bad;
		hostlen = (size_t)(colon - listen);
	}
	if (hostlen == 0 || hostlen >= addrlen)
		goto bad;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port < 0 ||
	    port > 65535)
		goto bad;
	memcpy(addr, host, hostlen);
	addr[hostlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(addr, NULL, &hints, &ai) != 0 || ai == NULL)
		goto bad;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port =
		    htons((uint16_t)port);
	return SOHOA_OK;
bad:
	return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not an address "
	    "to listen on (ADDR:PORT with a numeric address, such as "
	    "127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080)", listen);
}

static int
read_pem(struct sohoa_ctx *ctx, const char *path, char **pout)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	*pout = NULL;
	f = fopen(path, "rb");
	if (f == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read '%s': %s",
		    path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (b.len + n > 1024 * 1024 ||
		    sohoa_buf_add(&b, chunk, n) != SOHOA_OK) {
			fclose(f);
			sohoa_buf_release(&b);
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "'%s' is too large for a PEM file", path);
		}
	fclose(f);
	if (strstr(b.buf, "-----BEGIN ") == NULL) {
		sohoa_buf_release(&b);
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not a PEM "
		    "file", path);
	}
	*pout = sohoa_buf_detach(&b, NULL);
	return SOHOA_OK;
}

/* ARCHIVE/.web-tmp holds uploads and exports while they are sent */
static int
make_tmpdir(struct sohoa_ctx *ctx, struct sohoa_web *w)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;

	if (sohoa_buf_addf(&b, "%s/.web-tmp", w->archive) != SOHOA_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (mkdir(b.buf, 0700) != 0 && errno != EEXIST) {
		sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot make '%s': %s",
		    b.buf, strerror(errno));
		sohoa_buf_release(&b);
		return SOHOA_ERR_IO;
	}
	w->tmpdir = sohoa_buf_detach(&b, NULL);
	return SOHOA_OK;
}

static char *
dup_opt(const char *s, int *pfail)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*pfail = 1;
	return d;
}

int
sohoa_web_start(struct sohoa_ctx *ctx, const struct sohoa_web_opts *o,
    struct sohoa_web **pweb)
{
	struct sohoa_web *w = NULL;
	struct sohoa_archive *a = NULL;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	struct sohoa_buf url = SOHOA_BUF_INIT;
	struct MHD_OptionItem tls_opts[3] = {
		{ MHD_OPTION_END, 0, NULL },
		{ MHD_OPTION_END, 0, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	char addr[128];
	unsigned flags;
	int rc, fail = 0, threads;

	*pweb = NULL;
	if (o->archive == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "no archive given");
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "TLS needs both "
		    "a certificate and its key (--tls-cert and --tls-key)");
	if ((o->sign_cert == NULL) != (o->sign_key == NULL))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "signing exports "
		    "needs both a certificate and its key");
	rc = parse_listen(ctx, o->listen ? o->listen : SOHOA_WEB_LISTEN, &ss,
	    addr, sizeof(addr));
	if (rc != SOHOA_OK)
		return rc;
	/* the archive must be there; opening it also brings its schema up */
	rc = sohoa_archive_open(ctx, o->archive, 0, &a);
	sohoa_archive_close(&a);
	if (rc != SOHOA_OK)
		return rc;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	pthread_mutex_init(&w->log_lock, NULL);
	w->log = o->log;
	w->log_arg = o->log_arg;
	w->tls = o->tls_cert != NULL;
	w->archive = dup_opt(o->archive, &fail);
	w->sign_cert = dup_opt(o->sign_cert, &fail);
	w->sign_key = dup_opt(o->sign_key, &fail);
	if (fail) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (w->tls && ((rc = read_pem(ctx, o->tls_cert,
	    &w->tls_cert_pem)) != SOHOA_OK || (rc = read_pem(ctx, o->tls_key,
	    &w->tls_key_pem)) != SOHOA_OK))
		goto fail;
	rc = make_tmpdir(ctx, w);
	if (rc != SOHOA_OK)
		goto fail;
	rc = web_catalog_load(ctx, o->lang ? o->lang : "vi", &w->cat);
	if (rc != SOHOA_OK)
		goto fail;
	rc = sohoa_doctypes_load(ctx, NULL, &w->doctypes);
	if (rc != SOHOA_OK)
		goto fail;
	rc = web_sessions_new(o->session_idle > 0 ? o->session_idle : 1800,
	    o->session_max > 0 ? o->session_max : 43200, &w->sessions);
	if (rc != SOHOA_OK) {
		sohoa_set_error(ctx, rc, "out of memory");
		goto fail;
	}
	if (pthread_key_create(&w->tkey, thread_free) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "cannot make a "
		    "thread key");
		goto fail;
	}
	w->tkey_made = 1;
	threads = o->threads > 0 ? o->threads : 4;
	if (w->tls) {
		tls_opts[0].option = MHD_OPTION_HTTPS_MEM_CERT;
		tls_opts[0].ptr_value = w->tls_cert_pem;
		tls_opts[1].option = MHD_OPTION_HTTPS_MEM_KEY;
		tls_opts[1].ptr_value = w->tls_key_pem;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (w->tls)
		flags |= MHD_USE_TLS;
	w->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, w,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, w,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
	    MHD_OPTION_ARRAY, tls_opts,
	    MHD_OPTION_END);
	if (w->mhd == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot listen on '%s' "
		    "(the port may be in use, or the TLS certificate and key "
		    "may not match)", o->listen ? o->listen : SOHOA_WEB_LISTEN);
		goto fail;
	}
	di = MHD_get_daemon_info(w->mhd, MHD_DAEMON_INFO_BIND_PORT);
	w->port = di != NULL ? di->port : 0;
	rc = make_hosts(w, (struct sockaddr *)&ss, addr, o);
	if (rc == SOHOA_OK && sohoa_buf_addf(&url, "%s://%s/", w->tls ?
	    "https" : "http", w->hosts[0]) == SOHOA_OK)
		w->url = sohoa_buf_detach(&url, NULL);
	if (rc != SOHOA_OK || w->url == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto fail;
	}
	*pweb = w;
	return SOHOA_OK;
fail:
	sohoa_buf_release(&url);
	sohoa_web_stop(&w);
	return rc;
}

const char *
sohoa_web_url(const struct sohoa_web *w)
{
	return w->url;
}

void
sohoa_web_stop(struct sohoa_web **pweb)
{
	struct sohoa_web *w;
	size_t i;

	if (pweb == NULL || *pweb == NULL)
		return;
	w = *pweb;
	if (w->mhd != NULL)
		MHD_stop_daemon(w->mhd);
	if (w->tkey_made)
		pthread_key_delete(w->tkey);
	web_sessions_destroy(&w->sessions);
	web_catalog_destroy(&w->cat);
	sohoa_doctypes_destroy(&w->doctypes);
	for (i = 0; i < w->nhosts; i++)
		free(w->hosts[i]);
	free(w->hosts);
	if (w->tmpdir != NULL)
		rmdir(w->tmpdir);	/* left when something is still in it */
	free(w->tmpdir);
	free(w->archive);
	free(w->url);
	free(w->sign_cert);
	free(w->sign_key);
	free(w->tls_cert_pem);
	free(w->tls_key_pem);
	pthread_mutex_destroy(&w->log_lock);
	free(w);
	*pweb = NULL;
}
