/*
 * The JSON API under /api/: the same keys as the command line's --json
 * output, so a script can move from one to the other.  Bodies are read
 * with SQLite's JSON functions (as bundle/import.c reads sohoa.json),
 * not by a parser of our own.  Errors are {"error": "..."} with the
 * status that says what went wrong (400, 401, 403, 404, 409, 413, 429).
 *
 *   POST /api/login                 {"user","password"} -> cookie + token
 *   POST /api/logout
 *   GET  /api/me                    who is signed in
 *   GET  /api/search?q=&type=&dossier=&from=&to=&field=&limit=
 *   GET  /api/documents/N           = sohoa show --json N
 *   GET  /api/documents/N/pages/K   the K-th page's image
 *   GET  /api/documents/N/history   its events
 *   POST /api/documents/N/fields    {"KEY": "VALUE"} = sohoa set --json
 *   POST /api/documents/N/accept    {"key": "KEY"}: flagged value is right
 *   GET  /api/status                counts as in sohoa status --json
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/records.h"
#include "web_private.h"

static int
json_body(struct web_req *r)
{
	const char *type = web_header(r, "Content-Type");

	/* a form on another site cannot send this type without CORS */
	if (type == NULL || strncasecmp(type, "application/json", 16) != 0)
		return web_error_t(r, 400, "api.need_json");
	if (r->body.len == 0)
		return web_error_t(r, 400, "api.bad_json");
	return 0;
}

struct member {
	const char *name;
	struct sohoa_buf *out;
	int found;
};

static int
find_member(void *arg, const char *key, const char *value, const char *type)
{
	struct member *m = arg;

	if (key != NULL && strcmp(key, m->name) == 0 && type != NULL &&
	    strcmp(type, "text") == 0) {
		m->found = 1;
		return sohoa_buf_adds(m->out, value ? value : "");
	}
	return 0;
}

/*
 * The string member NAME of the JSON object in the body, appended to OUT:
 * 0, or -1 when the body is not an object with NAME a string.
 */
static int
json_text(struct web_req *r, const char *name, struct sohoa_buf *out)
{
	struct member m = { name, out, 0 };

	if (sohoa_json_object_each(r->ctx, r->body.buf, r->body.len,
	    find_member, &m) != SOHOA_OK || !m.found)
		return -1;
	return 0;
}

static int
reply(struct web_req *r, struct sohoa_json *j)
{
	r->ctype = "application/json";
	if (j->rc != SOHOA_OK)
		return web_error(r, 500, NULL);
	return 200;
}

int
api_login(struct web_req *r)
{
	struct sohoa_buf user = SOHOA_BUF_INIT, pw = SOHOA_BUF_INIT;
	struct sohoa_json j;
	int status, wait;

	status = json_body(r);
	if (status != 0)
		return status;
	if (json_text(r, "user", &user) != 0 ||
	    json_text(r, "password", &pw) != 0) {
		status = web_error_t(r, 400, "api.login_body");
		goto out;
	}
	status = web_check_login(r, user.buf, pw.buf, &wait);
	if (status == 429) {
		char secs[32];
		struct sohoa_buf m = SOHOA_BUF_INIT;

		snprintf(secs, sizeof(secs), "%d", wait);
		web_tf(r, &m, "login.wait", secs, NULL);
		status = web_error(r, 429, m.buf);
		sohoa_buf_release(&m);
		goto out;
	}
	if (status == 401 || status == 400) {
		status = web_error_t(r, 401, "login.wrong");
		goto out;
	}
	if (status == 0)
		status = web_sign_in(r, user.buf);
	if (status != 0) {
		status = web_error(r, status, NULL);
		goto out;
	}
	sohoa_json_init(&j, &r->out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "user");
	sohoa_json_str(&j, r->sess.user);
	sohoa_json_key(&j, "role");
	sohoa_json_str(&j, sohoa_role_name(r->sess.role));
	sohoa_json_key(&j, "csrf_token");
	sohoa_json_str(&j, r->sess.csrf);
	sohoa_json_obj_close(&j);
	status = reply(r, &j);
out:
	sohoa_buf_release(&user);
	if (pw.len > 0)
		memset(pw.buf, 0, pw.len);
	sohoa_buf_release(&pw);
	return status;
}

int
api_me(struct web_req *r)
{
	struct sohoa_json j;

	sohoa_json_init(&j, &r->out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "user");
	sohoa_json_str(&j, r->sess.user);
	sohoa_json_key(&j, "role");
	sohoa_json_str(&j, sohoa_role_name(r->sess.role));
	sohoa_json_key(&j, "csrf_token");
	sohoa_json_str(&j, r->sess.csrf);
	sohoa_json_obj_close(&j);
	return reply(r, &j);
}

int
api_document(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_json j;
	int status;

	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	status = web_record_view(r, d);
	if (status != 0) {
		sohoa_document_destroy(&d);
		return status;
	}
	sohoa_json_init(&j, &r->out, 0);
	sohoa_document_json(&j, d);
	sohoa_document_destroy(&d);
	return reply(r, &j);
}


struct kv {
	char **keys, **values;
	size_t n;
	int bad;		/* a value that is not a string */
};

static int
add_kv(void *arg, const char *key, const char *value, const char *type)
{
	struct kv *kv = arg;
	char **k2, **v2;

	if (type == NULL || strcmp(type, "text") != 0) {
		kv->bad = 1;
		return 1;
	}
	k2 = realloc(kv->keys, (kv->n + 1) * sizeof(*k2));
	if (k2 != NULL)
		kv->keys = k2;
	v2 = realloc(kv->values, (kv->n + 1) * sizeof(*v2));
	if (v2 != NULL)
		kv->values = v2;
	if (k2 == NULL || v2 == NULL)
		return SOHOA_ERR_NOMEM;
	kv->keys[kv->n] = strdup(key);
	kv->values[kv->n] = strdup(value ? value : "");
	kv->n++;
	if (kv->keys[kv->n - 1] == NULL || kv->values[kv->n - 1] == NULL)
		return SOHOA_ERR_NOMEM;
	return 0;
}

/* Read {"KEY": "VALUE", ...} into KEYS/VALUES (malloc'd copies). */
static int
read_fields(struct web_req *r, char ***pkeys, char ***pvalues, size_t *pn)
{
	struct kv kv = { NULL, NULL, 0, 0 };
	int rc, status = 0;

	rc = sohoa_json_object_each(r->ctx, r->body.buf, r->body.len, add_kv,
	    &kv);
	if (kv.bad || rc == SOHOA_ERR_INPUT || (rc == SOHOA_OK && kv.n == 0))
		status = web_error_t(r, 400, "api.fields_body");
	else if (rc != SOHOA_OK)
		status = web_error(r, 500, NULL);
	*pkeys = kv.keys;
	*pvalues = kv.values;
	*pn = kv.n;
	return status;
}

int
api_document_fields(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct web_set_result res;
	struct sohoa_json j;
	char **keys = NULL, **values = NULL;
	size_t n = 0, i;
	int status;

	memset(&res, 0, sizeof(res));
	status = json_body(r);
	if (status != 0)
		return status;
	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	status = read_fields(r, &keys, &values, &n);
	if (status != 0)
		goto out;
	status = web_set_fields(r, d, (const char *const *)keys,
	    (const char *const *)values, n, &res);
	if (status != 0) {
		status = web_error_detail(r, status, res.msg.len ? res.msg.buf :
		    NULL, res.detail.len ? res.detail.buf : NULL);
		goto out;
	}
	/* what 'sohoa set --json' prints */
	sohoa_json_init(&j, &r->out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "document");
	sohoa_json_int(&j, d->id);
	sohoa_json_key(&j, "who");
	sohoa_json_str(&j, r->sess.user);
	sohoa_json_key(&j, "changes");
	sohoa_json_arr_open(&j);
	for (i = 0; i < res.n; i++) {
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "key");
		sohoa_json_str(&j, res.changes[i].key);
		sohoa_json_key(&j, "old");
		sohoa_json_str(&j, res.changes[i].old);
		sohoa_json_key(&j, "new");
		sohoa_json_str(&j, res.changes[i].stored);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_arr_close(&j);
	sohoa_json_obj_close(&j);
	status = reply(r, &j);
out:
	web_set_result_release(&res);
	for (i = 0; i < n; i++) {
		free(keys[i]);
		free(values[i]);
	}
	free(keys);
	free(values);
	sohoa_document_destroy(&d);
	return status;
}

int
api_document_accept(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_buf key = SOHOA_BUF_INIT;
	struct sohoa_json j;
	int status;

	status = json_body(r);
	if (status != 0)
		return status;
	status = web_load_document(r, &d);
	if (status != 0)
		return status;
	if (json_text(r, "key", &key) != 0) {
		status = web_error_t(r, 400, "api.accept_body");
		goto out;
	}
	status = web_accept(r, d, key.buf);
	if (status != 0) {
		status = web_error_detail(r, status, NULL, status == 500 ? NULL :
		    sohoa_errmsg(r->ctx));
		goto out;
	}
	sohoa_json_init(&j, &r->out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "document");
	sohoa_json_int(&j, d->id);
	sohoa_json_key(&j, "who");
	sohoa_json_str(&j, r->sess.user);
	sohoa_json_key(&j, "accepted");
	sohoa_json_str(&j, key.buf);
	sohoa_json_obj_close(&j);
	status = reply(r, &j);
out:
	sohoa_buf_release(&key);
	sohoa_document_destroy(&d);
	return status;
}

static int
history_cb(void *arg, const struct sohoa_event *ev)
{
	sohoa_event_json(arg, ev);
	return 0;
}

int
api_document_history(struct web_req *r)
{
	struct sohoa_document *d = NULL;
	struct sohoa_event_filter f;
	struct sohoa_json j;
	int status;

	/* the document must exist, even when it has no events yet */
	status = web_load_document(r, &d);
	sohoa_document_destroy(&d);
	if (status != 0)
		return status;
	memset(&f, 0, sizeof(f));
	f.document_id = r->id[0];
	f.action = "!" SOHOA_EV_VIEW;
	sohoa_json_init(&j, &r->out, 0);
	sohoa_json_arr_open(&j);
	if (sohoa_archive_event_list(r->a, &f, history_cb, &j) != SOHOA_OK)
		return web_fail(r);
	sohoa_json_arr_close(&j);
	return reply(r, &j);
}

int
api_status(struct web_req *r)
{
	struct sohoa_archive_counts c;
	struct sohoa_json j;

	if (sohoa_archive_counts(r->a, &c) != SOHOA_OK)
		return web_fail(r);
	sohoa_json_init(&j, &r->out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "counts");
	sohoa_json_obj_open(&j);
#define N(name) sohoa_json_key(&j, #name); sohoa_json_int(&j, c.name)
	N(dossiers); N(files); N(files_pending); N(documents); N(pages);
	N(pages_ok); N(pages_blank); N(pages_lowconf); N(pages_failed);
	N(fields); N(fields_flagged); N(fields_corrected); N(failures);
#undef N
	sohoa_json_obj_close(&j);
	sohoa_json_obj_close(&j);
	return reply(r, &j);
}
