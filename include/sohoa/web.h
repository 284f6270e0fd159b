/*
 * The archive's web interface, served by 'sohoa serve': search, documents,
 * the review queue, dossiers, status and the audit log in a browser, in
 * Vietnamese, for signed-in users with roles (sohoa/users.h), and a JSON
 * API under /api/ with the keys of the command line's --json output.
 *
 *   sohoa_web_start / _stop      run the server (libmicrohttpd thread pool)
 *   sohoa_web_url                where it listens
 *
 * The server opens its own archive handles, one per worker thread, so
 * the caller keeps no handle open while it runs.
 */
#ifndef SOHOA_WEB_H
#define SOHOA_WEB_H

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/json.h"

struct sohoa_document;
struct sohoa_event;
struct sohoa_search_result;
struct sohoa_web;

/* Address served when none is given. */
#define SOHOA_WEB_LISTEN "127.0.0.1:8080"

struct sohoa_web_opts {
	const char *archive;	/* archive directory (required) */
	const char *listen;	/* "ADDR:PORT", "[V6ADDR]:PORT"; NULL: the
				 * default; port 0 takes a free port */
	const char *tls_cert;	/* PEM certificate and key: serve HTTPS */
	const char *tls_key;	/* (both or neither) */
	const char *sign_cert;	/* certificate and key that sign exported */
	const char *sign_key;	/* bundles; NULL: export is not offered */
	const char *const *allow_hosts;	/* more Host names people type
				 * (NULL-terminated, may be NULL) */
	const char *lang;	/* message catalogue; NULL: "vi" */
	int threads;		/* worker threads; 0: 4 */
	int session_idle;	/* seconds a session lives unused; 0: 1800 */
	int session_max;	/* seconds a session lives at most; 0: 43200 */
	/*
	 * One line per request (method, path without its query, status,
	 * user, milliseconds) and per server error; NULL: none.  Called from
	 * worker threads, one line at a time.
	 */
	void (*log)(void *arg, const char *line);
	void *log_arg;
};

/*
 * Check the archive, load the message catalogue and start serving O.
 * On success *pweb is the running server, to stop with sohoa_web_stop().
 * A missing archive, a bad address or TLS files, or a port in use is an
 * error with the message on CTX.
 */
int sohoa_web_start(struct sohoa_ctx *ctx, const struct sohoa_web_opts *o,
    struct sohoa_web **pweb);
/*
 * Stop accepting, finish the requests under way, close every archive
 * handle and free the server; NULL-safe, sets *pweb NULL.
 */
void sohoa_web_stop(struct sohoa_web **pweb);

/* "http://127.0.0.1:8080/" (borrowed, valid until stop). */
const char *sohoa_web_url(const struct sohoa_web *w);

#endif
