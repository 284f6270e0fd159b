/*
 * Inside of the web server, for the files of web/ only: the server, one
 * request, the message catalogue, sessions and the login limiter, HTML
 * output, and the handlers of each page.
 *
 * A request is handled on one libmicrohttpd worker thread from its first
 * call to its last; it uses that thread's context and archive handle
 * (struct web_thread), so handlers never share a handle.
 */
#ifndef SOHOA_WEB_PRIVATE_H
#define SOHOA_WEB_PRIVATE_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/search.h"
#include "sohoa/users.h"
#include "sohoa/web.h"

struct MHD_Daemon;
struct MHD_Connection;
struct MHD_PostProcessor;
struct sohoa_archive;
struct sohoa_document;
struct sohoa_doctypes;
struct sohoa_field_change;
struct sohoa_event;

/*
 * Put the file web/PATH in the library as the NUL-terminated array SYM
 * (the assembler reads it at build time; CMake knows the object depends
 * on it), as index/archive_schema.c embeds the schema.
 */
#define WEB_EMBED(sym, path) \
	__asm__(".section .rodata\n" \
	    ".global " #sym "\n" \
	    ".type " #sym ", @object\n" \
	    ".balign 16\n" \
	    #sym ":\n" \
	    ".incbin \"" SOHOA_SOURCE_DIR "/web/" path "\"\n" \
	    ".byte 0\n" \
	    ".size " #sym ", . - " #sym "\n" \
	    ".previous\n")

/* ---- message catalogue (i18n.c) ---------------------------------------- */

struct web_catalog;

/*
 * Load the catalogue of LANG ("vi") compiled into the library from
 * web/i18n/LANG.txt: "key = text" lines, '#' comments.  A duplicate key
 * or a line without '=' is an error naming the line.
 */
int web_catalog_load(struct sohoa_ctx *ctx, const char *lang,
    struct web_catalog **pcat);
void web_catalog_destroy(struct web_catalog **pcat);
/* The text of KEY, NULL when the catalogue has none. */
const char *web_catalog_get(const struct web_catalog *cat, const char *key);
/* The languages compiled in, NULL-terminated. */
const char *const *web_catalog_languages(void);

/* ---- sessions and the login limiter (session.c) ------------------------ */

/* 256 random bits as hex, and its NUL */
#define WEB_TOKEN_LEN 65

struct web_session {
	char id[WEB_TOKEN_LEN];
	char csrf[WEB_TOKEN_LEN];
	char user[65];
	int role;			/* enum sohoa_role */
	char changed_at[48];		/* the user's changed_at at login */
	time_t created, seen;
};

struct web_sessions;

int web_sessions_new(int idle, int max, struct web_sessions **ps);
void web_sessions_destroy(struct web_sessions **ps);
/*
 * Make a session for USER (a fresh id and CSRF token, never one the
 * client sent) and copy it to OUT.  SOHOA_ERR_CRYPTO when no random
 * bytes can be had.
 */
int web_session_create(struct web_sessions *s, const char *user, int role,
    const char *changed_at, struct web_session *out);
/*
 * Copy the live session ID to OUT and mark it used: 1 when found, 0 when
 * unknown or expired (an expired one is dropped).
 */
int web_session_find(struct web_sessions *s, const char *id,
    struct web_session *out);
void web_session_drop(struct web_sessions *s, const char *id);
/* 1 when A and B are equal tokens (constant time), 0 otherwise. */
int web_token_equal(const char *a, const char *b);

/*
 * Login attempts: failures are counted per client address and per
 * (address, user name) in a window; web_limit_wait says how many seconds
 * the client must wait before it may try again (0: it may try now).
 */
int web_limit_wait(struct web_sessions *s, const char *ip, const char *user);
void web_limit_fail(struct web_sessions *s, const char *ip, const char *user);
void web_limit_ok(struct web_sessions *s, const char *ip, const char *user);

/* ---- the server and a request (server.c) ------------------------------- */

struct sohoa_web {
	struct MHD_Daemon *mhd;
	char *archive;
	char *tmpdir;			/* ARCHIVE/.web-tmp: uploads, exports */
	char *url;
	char *sign_cert, *sign_key;
	struct web_catalog *cat;
	struct sohoa_doctypes *doctypes;	/* type names (read-only) */
	struct web_sessions *sessions;
	char **hosts;			/* Host header values allowed */
	size_t nhosts;
	int tls;
	int port;
	pthread_key_t tkey;		/* struct web_thread of each worker */
	int tkey_made;
	char *tls_cert_pem, *tls_key_pem;
	void (*log)(void *arg, const char *line);
	void *log_arg;
	pthread_mutex_t log_lock;
};

/* A worker thread's own context and archive handle. */
struct web_thread {
	struct sohoa_ctx *ctx;
	struct sohoa_archive *a;
};

/* One form field or upload (POST bodies). */
struct web_field {
	char *key;
	struct sohoa_buf value;
};

enum web_body {
	WEB_BODY_NONE = 0,
	WEB_BODY_FORM,		/* urlencoded or multipart, by the post processor */
	WEB_BODY_RAW,		/* JSON and anything else: kept as is */
};

/* Bytes of a form or JSON body we accept, and of an uploaded bundle. */
#define WEB_BODY_MAX (256 * 1024)
#define WEB_UPLOAD_MAX ((uint64_t)4 << 30)

struct web_req {
	struct sohoa_web *w;
	struct MHD_Connection *conn;
	char *raw_uri;			/* as sent, before unescaping */
	const char *url;		/* path, unescaped by libmicrohttpd */
	const char *method;
	int started;			/* the first call has been handled */
	int refused;			/* status of a response made at once */
	int api;			/* under /api/: JSON errors */
	const struct web_route *route;
	int64_t id[2];			/* numeric path parameters */
	char ip[64];
	struct timespec t0;

	struct web_thread *t;
	struct sohoa_ctx *ctx;		/* == t->ctx */
	struct sohoa_archive *a;	/* == t->a */

	int authed;
	struct web_session sess;

	int body_kind;
	int too_large;
	struct MHD_PostProcessor *pp;
	struct web_field *fields;
	size_t nfields;
	struct sohoa_buf body;		/* WEB_BODY_RAW */
	int upload_fd;			/* file part of a multipart body */
	char *upload_path;
	uint64_t upload_size;
	char *upload_name;

	/* the response */
	int status;
	const char *ctype;
	struct sohoa_buf out;
	char *location;
	char *cookie;
	char *disposition;
	int file_fd;			/* send this file instead of out */
	uint64_t file_size;
};

/* Methods a route answers. */
enum { WEB_GET = 1, WEB_POST = 2 };

enum web_route_flags {
	WEB_PUBLIC = 1 << 0,		/* no session needed */
	WEB_API = 1 << 1,		/* JSON errors */
	WEB_NO_CSRF = 1 << 2,		/* POST without the token (login) */
	WEB_UPLOAD = 1 << 3,		/* multipart body with a file */
	WEB_BINARY = 1 << 4,		/* not a page: 401, no redirect to login */
};

struct web_route {
	int method;
	const char *pattern;		/* "/documents/#/pages/#": # a number */
	int role;			/* least role allowed */
	unsigned flags;
	int (*fn)(struct web_req *r);	/* returns the HTTP status */
};

/* A form field's value (NULL when absent); the last one of a name wins. */
const char *web_form(const struct web_req *r, const char *key);
/* A query-string argument (NULL when absent). */
const char *web_arg(const struct web_req *r, const char *key);
/* A request header (NULL when absent). */
const char *web_header(const struct web_req *r, const char *name);

/* Redirect (303) to LOCATION, a path of ours; returns 303. */
int web_redirect(struct web_req *r, const char *location);
/*
 * An error for STATUS: a JSON {"error": MSG} under /api/, else a page
 * with the catalogue's title for STATUS and MSG.  MSG is shown escaped.
 * Returns STATUS.
 */
int web_error(struct web_req *r, int status, const char *msg);
/*
 * Same; under /api/ the JSON also has "detail": DETAIL (the library's
 * message, in English, for a program or the person who reads its log).
 */
int web_error_detail(struct web_req *r, int status, const char *msg,
    const char *detail);
/* Same, with the text of catalogue key KEY. */
int web_error_t(struct web_req *r, int status, const char *key);
/* An error from the library: its code picks the status, its message. */
int web_fail(struct web_req *r);
/* Record an event by the signed-in user (who, source "web"). */
int web_event(struct web_req *r, const char *action, int64_t doc_id,
    int64_t dossier_id, const char *key, const char *old_value,
    const char *new_value);
/* Write one log line (printf-style) if the server logs. */
void web_log(struct sohoa_web *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- HTML (html.c) ------------------------------------------------------ */

/* The one escaping function: & < > " ' become entities. */
void html_esc(struct sohoa_buf *out, const char *s);
void html_escn(struct sohoa_buf *out, const char *s, size_t n);
/* Markup of our own (string literals only), appended as is. */
void html_raw(struct web_req *r, const char *markup);
/* User or archive text, escaped. */
void html_text(struct web_req *r, const char *s);
/* A number. */
void html_int(struct web_req *r, long long v);
/* The catalogue text of KEY, escaped (KEY itself when missing). */
void html_t(struct web_req *r, const char *key);
/*
 * The catalogue text of KEY with {1}, {2} ... replaced by the escaped
 * strings that follow (NULL-terminated).
 */
void html_tf(struct web_req *r, const char *key, ...);
/* Same, not escaped, appended to OUT (for attributes and messages). */
void web_tf(const struct web_req *r, struct sohoa_buf *out, const char *key,
    ...);
/* Catalogue text (borrowed; KEY itself when missing). */
const char *web_t(const struct web_req *r, const char *key);
/*
 * Catalogue text of PREFIX.NAME, else of FALLBACK_PREFIX.NAME, else NAME
 * ("type.birth" -> "Giấy khai sinh").
 */
const char *web_t2(const struct web_req *r, const char *prefix,
    const char *name);
/* The Vietnamese label of field KEY of a document of type DOC_TYPE. */
const char *web_field_label(const struct web_req *r, const char *doc_type,
    const char *key);

/* ISO date or time "YYYY-MM-DD..." shown as DD/MM/YYYY[ HH:MM]. */
void html_date(struct web_req *r, const char *iso, int with_time);
/* The same text, not escaped, appended to OUT. */
void web_date_str(const char *iso, int with_time, struct sohoa_buf *out);
/*
 * S escaped, with the text between OPEN and CLOSE markers put in <mark>.
 */
void html_marked(struct web_req *r, const char *s, const char *open,
    const char *close);
/* A hidden input with the session's CSRF token. */
void html_csrf(struct web_req *r);
/* Attribute value: ' name="VALUE"' with VALUE escaped. */
void html_attr(struct web_req *r, const char *name, const char *value);
/* Start a page: head, header with the menu for the user's role. */
void html_begin(struct web_req *r, const char *title, const char *active);
void html_end(struct web_req *r);
/* Append S to OUT as a URL query value (percent-encoded). */
void web_urlenc(struct sohoa_buf *out, const char *s);

/*
 * Put <mark> around the words of TEXT that match a word of QUERY after
 * folding (case, diacritics, đ), a word ending in '*' as a prefix.
 * TEXT is escaped.
 */
void html_highlight(struct web_req *r, const char *text, const char *query);

/*
 * An event for a person (events.c): the field it is about (DOC_TYPE names
 * the labels, NULL for any type), and what changed.
 */
void html_event_field(struct web_req *r, const struct sohoa_event *ev,
    const char *doc_type);
void html_event_change(struct web_req *r, const struct sohoa_event *ev);

/* DD/MM/YYYY, MM/YYYY, YYYY or ISO -> ISO "YYYY[-MM[-DD]]" in OUT; -1 bad. */
int web_date_to_iso(const char *s, struct sohoa_buf *out);

/* ---- static files (assets.c) ------------------------------------------ */

int web_asset(struct web_req *r);

/* ---- pages and API (page_*.c, api.c) ---------------------------------- */

int page_login(struct web_req *r);
int page_login_post(struct web_req *r);
int page_logout(struct web_req *r);
int page_home(struct web_req *r);
int page_search(struct web_req *r);
int page_document(struct web_req *r);
int page_document_image(struct web_req *r);
int page_field_crop(struct web_req *r);
int page_document_fields(struct web_req *r);
int page_document_accept(struct web_req *r);
int page_document_type(struct web_req *r);
int page_document_reread(struct web_req *r);
int page_document_text(struct web_req *r);
int page_review(struct web_req *r);
int page_review_accept(struct web_req *r);
int page_review_fields(struct web_req *r);
int page_review_type(struct web_req *r);
int page_status(struct web_req *r);
int page_status_retry(struct web_req *r);
int page_dossiers(struct web_req *r);
int page_dossier(struct web_req *r);
int page_dossier_meta(struct web_req *r);
int page_dossier_export(struct web_req *r);
int page_bundle_upload(struct web_req *r);
int page_audit(struct web_req *r);
int page_users(struct web_req *r);
int page_users_post(struct web_req *r);

int api_login(struct web_req *r);
int api_logout(struct web_req *r);
int api_me(struct web_req *r);
int api_search(struct web_req *r);
int api_document(struct web_req *r);
int api_document_fields(struct web_req *r);
int api_document_accept(struct web_req *r);
int api_document_history(struct web_req *r);
int api_status(struct web_req *r);

/* ---- shared by pages and API ------------------------------------------ */

/* A search as the page and the API take it from the query string. */
struct web_query {
	struct sohoa_search_opts opts;
	struct sohoa_search_field field;
	struct sohoa_buf from, to, fkey;
	int page;			/* 1-based, the page's paging */
	int empty;			/* no words and no filter */
	const char *error;		/* catalogue key when it is bad */
};

/* Read q, type, dossier, from, to, field|fkey+fval, limit, p: 0 or 400. */
int web_query_parse(struct web_req *r, struct web_query *q);
void web_query_release(struct web_query *q);
/* <option>s of the document types (and "any type" when ANY). */
void web_type_options(struct web_req *r, const char *selected, int any);
/* The person's name in a document title, NULL when it has none. */
const char *web_title_name(const char *title, const char *doc_type);

/*
 * Load document r->id[0] (SOHOA_ERR_NOTFOUND -> 404) into *pdoc.
 */
int web_load_document(struct web_req *r, struct sohoa_document **pdoc);
/* Record that the signed-in user looked at D: 0, or 503 made. */
int web_record_view(struct web_req *r, const struct sohoa_document *d);
/*
 * Accept flagged field KEY of D as read (sohoa_records_field_accept): 0,
 * or the HTTP status for the error on r->ctx (nothing made).
 */
int web_accept(struct web_req *r, const struct sohoa_document *d,
    const char *key);
/*
 * Sign USER in after a right password: a new session, its cookie on the
 * response and a login event.  Returns 0 or an HTTP status for an error.
 */
int web_sign_in(struct web_req *r, const char *user);
/*
 * Check NAME's password with the login limiter: 0 signed in, else the
 * HTTP status (401 wrong, 429 too many tries) with *pwait the seconds to
 * wait.
 */
int web_check_login(struct web_req *r, const char *name,
    const char *password, int *pwait);
/* What web_set_fields did, or why it refused. */
struct web_set_result {
	struct sohoa_field_change *changes;	/* old and stored values */
	size_t n;
	const char *bad_key;		/* the field refused, or NULL */
	struct sohoa_buf msg;		/* why, for a person (Vietnamese) */
	struct sohoa_buf detail;	/* the library's message */
};

/*
 * Correct fields KEYS[i] = VALUES[i] of document D as the signed-in user
 * (sohoa_records_field_set: checked, all or none, in the history).
 * Returns 0, or the HTTP status with RES saying why.  Release RES with
 * web_set_result_release() either way.
 */
int web_set_fields(struct web_req *r, const struct sohoa_document *d,
    const char *const *keys, const char *const *values, size_t n,
    struct web_set_result *res);
void web_set_result_release(struct web_set_result *res);

#endif
