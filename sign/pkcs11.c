/*
 * Keys held by a PKCS#11 token (a USB token from the office's CA, an HSM,
 * SoftHSM in the tests), reached through OpenSSL's "pkcs11" engine
 * (libp11, Debian package libengine-pkcs11-openssl).  The private key
 * never leaves the token: OpenSSL hands each signature to it.
 *
 * Why the engine: Debian 12 ships OpenSSL 3.0, where ENGINE is deprecated
 * but works; the provider that replaces it (pkcs11-provider) is not in
 * bookworm.  libp11 0.4.12 reads only part of RFC 7512, so the URI is
 * read here first: the PIN must not be in it (it would show in the
 * process list), module-path picks the token's module, and the engine
 * gets only the attributes it knows.  The engine's own messages go to
 * stderr, so it is made quiet and its errors (PKCS#11 return values in
 * OpenSSL's error queue) are turned into one line each.
 *
 *   sign_pkcs11_load / sign_pkcs11_release
 */
/* ENGINE_* are deprecated in OpenSSL 3.0: see above */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/ui.h>
#include <openssl/x509.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "sign_private.h"

/* The engine's name and where Debian's package comes from. */
#define ENGINE_ID "pkcs11"
#define ENGINE_PACKAGE "libengine-pkcs11-openssl"
/* libp11 puts PKCS#11 return values in the queue under this library. */
#define CKR_LIB "PKCS#11 module"
#define P11_LIB "libp11"

/* PKCS#11 return values (PKCS#11 v2.40, 3.0) that get their own line. */
#define CKR_DEVICE_ERROR 0x30UL
#define CKR_DEVICE_REMOVED 0x32UL
#define CKR_FUNCTION_CANCELED 0x50UL
#define CKR_PIN_INCORRECT 0xA0UL
#define CKR_PIN_INVALID 0xA1UL
#define CKR_PIN_LEN_RANGE 0xA2UL
#define CKR_PIN_EXPIRED 0xA3UL
#define CKR_PIN_LOCKED 0xA4UL
#define CKR_TOKEN_NOT_PRESENT 0xE0UL
#define CKR_TOKEN_NOT_RECOGNIZED 0xE1UL
#define CKR_USER_PIN_NOT_INITIALIZED 0x102UL

/* What the URI says, decoded, and what the engine gets of it. */
struct uri {
	struct sohoa_buf engine;	/* "pkcs11:" + what libp11 reads */
	struct sohoa_buf token;		/* token label, or "" */
	struct sohoa_buf object;	/* object label, or "" */
	struct sohoa_buf id;		/* CKA_ID as written, or "" */
	struct sohoa_buf module;	/* module-path, or "" */
};

/* What happened while the engine asked for the PIN. */
struct pin_ui {
	const struct sohoa_signer_opts *opts;
	const char *token;	/* label or NULL */
	int asked;		/* the token was found and logged into */
	int no_pin;		/* a PIN was needed, none can be asked */
	int cancelled;		/* opts->pin gave up */
	int min, max;		/* set when the PIN had a bad length */
};

/* The signer's engine-side state (s->ui). */
struct token_ui {
	UI_METHOD *method;
	struct pin_ui pin;
	struct sohoa_buf token;
};

static void
uri_init(struct uri *u)
{
	sohoa_buf_init(&u->engine);
	sohoa_buf_init(&u->token);
	sohoa_buf_init(&u->object);
	sohoa_buf_init(&u->id);
	sohoa_buf_init(&u->module);
}

static void
uri_release(struct uri *u)
{
	sohoa_buf_release(&u->engine);
	sohoa_buf_release(&u->token);
	sohoa_buf_release(&u->object);
	sohoa_buf_release(&u->id);
	sohoa_buf_release(&u->module);
}

/* Percent-decode [S, S+LEN) into OUT; -1 on a bad escape or a NUL. */
static int
pct_decode(const char *s, size_t len, struct sohoa_buf *out)
{
	size_t i;
	int hi, lo;
	char c;

	sohoa_buf_reset(out);
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			hi = sohoa_hex_digit((unsigned char)s[i + 1]);
			lo = sohoa_hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi | lo) == 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (sohoa_buf_add(out, &c, 1) != SOHOA_OK)
			return -1;
	}
	return 0;
}

static int
bad_uri(struct sohoa_ctx *ctx, const char *why, const char *name, size_t n)
{
	return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "bad PKCS#11 URI: %s"
	    " '%.*s'", why, (int)n, name);
}

/*
 * One attribute NAME=VALUE of the path (QUERY 0) or the query (1).
 * Kept for the engine: token, object, id, serial, model, manufacturer.
 */
static int
uri_attr(struct sohoa_ctx *ctx, const char *a, size_t n, int query,
    struct uri *u)
{
	static const char *const engine_attrs[] = { "token", "object", "id",
	    "serial", "model", "manufacturer", NULL };
	const char *eq = memchr(a, '=', n);
	struct sohoa_buf *into = NULL;
	struct sohoa_buf value = SOHOA_BUF_INIT;
	size_t k, vlen;
	const char *v;
	int i, rc = SOHOA_OK;

	if (eq == NULL || eq == a)
		return bad_uri(ctx, "no NAME=VALUE in", a, n);
	k = (size_t)(eq - a);
	v = eq + 1;
	vlen = n - k - 1;
	if (pct_decode(v, vlen, &value) != 0) {
		rc = bad_uri(ctx, "bad %-escape in", a, n);
		goto out;
	}
	if ((k == 9 && strncmp(a, "pin-value", 9) == 0) ||
	    (k == 10 && strncmp(a, "pin-source", 10) == 0)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "the PIN must not"
		    " be in the PKCS#11 URI (it would show in the list of"
		    " processes): remove '%.*s', it is asked for", (int)k, a);
		goto out;
	}
	if (query) {
		if (k == 11 && strncmp(a, "module-path", 11) == 0)
			into = &u->module;
		else
			rc = bad_uri(ctx, "unknown query attribute", a, k);
		goto take;
	}
	if (k == 4 && strncmp(a, "type", 4) == 0) {
		if (strcmp(value.buf, "private") != 0)
			rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "the key URI"
			    " names a '%s' object, not a private key",
			    value.buf);
		goto out;	/* the engine looks for a private key anyway */
	}
	for (i = 0; engine_attrs[i] != NULL; i++)
		if (strlen(engine_attrs[i]) == k &&
		    strncmp(a, engine_attrs[i], k) == 0)
			break;
	if (engine_attrs[i] == NULL) {
		rc = bad_uri(ctx, "attribute not supported by the PKCS#11"
		    " engine", a, k);
		goto out;
	}
	rc = sohoa_buf_addf(&u->engine, "%s%.*s", u->engine.len > 7 ? ";" :
	    "", (int)n, a);
	into = i == 0 ? &u->token : i == 1 ? &u->object : i == 2 ? &u->id :
	    NULL;
	if (i == 2) {
		/* the id is shown as written, %-escapes and all */
		sohoa_buf_reset(&value);
		rc = sohoa_buf_add(&value, v, vlen);
	}
take:
	if (rc == SOHOA_OK && into != NULL) {
		sohoa_buf_reset(into);
		rc = sohoa_buf_add(into, value.buf, value.len);
	}
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(ctx, rc, "out of memory");
out:
	sohoa_buf_release(&value);
	return rc;
}

/* Read "pkcs11:path?query" (RFC 7512, section 2.3). */
static int
uri_parse(struct sohoa_ctx *ctx, const char *s, struct uri *u)
{
	const char *p = s + 7, *q, *end;
	int rc, query = 0;

	if (strlen(s) > 4096)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "the PKCS#11 URI is too long");
	rc = sohoa_buf_adds(&u->engine, "pkcs11:");
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	while (*p != '\0') {
		q = p + strcspn(p, query ? "&" : ";?");
		end = q;
		if (end > p) {
			rc = uri_attr(ctx, p, (size_t)(end - p), query, u);
			if (rc != SOHOA_OK)
				return rc;
		}
		if (*q == '?')
			query = 1;
		p = *q != '\0' ? q + 1 : q;
	}
	return SOHOA_OK;
}

/* ---- the PIN -------------------------------------------------------- */

/*
 * The engine's prompt: the PIN comes from opts->pin, never from the
 * engine's own console prompt, so that a program without a terminal
 * fails clearly instead of reading stdin.
 */
static int
ui_read(UI *ui, UI_STRING *uis)
{
	struct pin_ui *p = UI_get0_user_data(ui);
	char buf[256];
	int len, rc;

	if (UI_get_string_type(uis) != UIT_PROMPT &&
	    UI_get_string_type(uis) != UIT_VERIFY)
		return 1;
	if (p == NULL)
		return 0;
	p->asked = 1;
	if (p->opts->pin == NULL) {
		p->no_pin = 1;
		return 0;
	}
	memset(buf, 0, sizeof(buf));
	if (p->opts->pin(p->opts->pin_arg, p->token, buf, sizeof(buf)) != 0) {
		OPENSSL_cleanse(buf, sizeof(buf));
		p->cancelled = 1;
		return -1;
	}
	buf[sizeof(buf) - 1] = '\0';
	len = (int)strlen(buf);
	if (len < UI_get_result_minsize(uis) ||
	    len > UI_get_result_maxsize(uis)) {
		p->min = UI_get_result_minsize(uis);
		p->max = UI_get_result_maxsize(uis);
		OPENSSL_cleanse(buf, sizeof(buf));
		return 0;
	}
	rc = UI_set_result(ui, uis, buf);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc >= 0 ? 1 : 0;
}

/* ---- errors --------------------------------------------------------- */

/* "token 'X'" or "the token" */
static const char *
token_name(const struct uri *u, struct sohoa_buf *b)
{
	sohoa_buf_reset(b);
	if (u->token.len > 0)
		sohoa_buf_addf(b, "token '%s'", u->token.buf);
	else
		sohoa_buf_adds(b, "the token");
	return b->buf;
}

/* "object 'Y'", "the object with id %01" or "a private key" */
static const char *
object_name(const struct uri *u, const char *what, struct sohoa_buf *b)
{
	sohoa_buf_reset(b);
	if (u->object.len > 0)
		sohoa_buf_addf(b, "object '%s'", u->object.buf);
	else if (u->id.len > 0)
		sohoa_buf_addf(b, "object with id '%s'", u->id.buf);
	else
		sohoa_buf_addf(b, "%s", what);
	return b->buf;
}

/* One line for a PKCS#11 return value. */
static int
ckr_error(struct sohoa_ctx *ctx, unsigned long ckr, const char *reason,
    const char *tok, const char *what)
{
	switch (ckr) {
	case CKR_PIN_INCORRECT:
	case CKR_PIN_INVALID:
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "wrong PIN for %s", tok);
	case CKR_PIN_LEN_RANGE:
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "wrong PIN for %s (not the length the token takes)", tok);
	case CKR_PIN_LOCKED:
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "the %s is"
		    " locked (too many wrong PINs): unlock it with the tool"
		    " of its certificate authority",
		    strncmp(tok, "the ", 4) == 0 ? tok + 4 : tok);
	case CKR_PIN_EXPIRED:
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "the PIN of %s has expired: change it first", tok);
	case CKR_USER_PIN_NOT_INITIALIZED:
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "%s has no user PIN set yet", tok);
	case CKR_DEVICE_REMOVED:
	case CKR_TOKEN_NOT_PRESENT:
		return sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "%s was removed", tok);
	case CKR_TOKEN_NOT_RECOGNIZED:
	case CKR_DEVICE_ERROR:
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "%s does not answer (%s)", tok, reason);
	case CKR_FUNCTION_CANCELED:
		return sohoa_set_error(ctx, SOHOA_ERR_CANCELLED,
		    "%s: cancelled", tok);
	default:
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "cannot read the %s from %s: %s", what, tok, reason);
	}
}

/*
 * The engine failed to give WHAT ("private key", "certificate"): say why
 * in one line from what the PIN prompt saw and the error queue, which is
 * drained.
 */
static int
load_error(struct sohoa_ctx *ctx, const struct uri *u,
    const struct pin_ui *p, const char *what)
{
	struct sohoa_buf tb = SOHOA_BUF_INIT, ob = SOHOA_BUF_INIT;
	unsigned long e, ckr = 0, p11 = 0;
	const char *lib, *tok = token_name(u, &tb), *obj;
	char reason[160] = "";
	int rc;

	while ((e = ERR_get_error()) != 0) {
		lib = ERR_lib_error_string(e);
		if (lib == NULL || ckr != 0)
			continue;
		if (strcmp(lib, CKR_LIB) == 0)
			ckr = ERR_GET_REASON(e);
		else if (strcmp(lib, P11_LIB) == 0 && p11 == 0)
			p11 = e;
		else
			continue;
		snprintf(reason, sizeof(reason), "%s",
		    ERR_reason_error_string(e) ? ERR_reason_error_string(e) :
		    "unknown error");
	}
	obj = object_name(u, strcmp(what, "certificate") == 0 ?
	    "certificate" : "private key", &ob);
	if (p->cancelled)
		rc = sohoa_set_error(ctx, SOHOA_ERR_CANCELLED,
		    "no PIN was given for %s", tok);
	else if (p->no_pin)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "%s needs its PIN, and nothing can ask for it", tok);
	else if (p->max > 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "the PIN for %s"
		    " must have %d to %d characters", tok, p->min, p->max);
	else if (ckr != 0)
		rc = ckr_error(ctx, ckr, reason, tok, what);
	else if (p11 != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "cannot use the"
		    " PKCS#11 module%s%s%s: %s", u->module.len ? " '" : "",
		    u->module.buf, u->module.len ? "'" : "", reason);
	else if (p->asked && strcmp(what, "certificate") == 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "no certificate"
		    " for %s on %s (pass the certificate file)", obj, tok);
	else if (p->asked)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "no %s on %s", obj, tok);
	else if (u->token.len > 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "%s is not"
		    " plugged in", tok);
	else
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "no token holds"
		    " %s (name one with token=LABEL in the URI)", obj);
	sohoa_buf_release(&tb);
	sohoa_buf_release(&ob);
	return rc;
}

/* ---- loading -------------------------------------------------------- */

void
sign_pkcs11_release(struct sohoa_signer *s)
{
	ENGINE *e = s->engine;
	struct token_ui *t = s->ui;

	if (e != NULL) {
		/* the engine outlives us: it must not call back into T */
		ENGINE_ctrl(e, ENGINE_CTRL_SET_USER_INTERFACE, 0, NULL, NULL);
		ENGINE_ctrl(e, ENGINE_CTRL_SET_CALLBACK_DATA, 0, NULL, NULL);
		ENGINE_finish(e);
		ENGINE_free(e);
		ERR_clear_error();
	}
	if (t != NULL) {
		UI_destroy_method(t->method);
		sohoa_buf_release(&t->token);
		free(t);
	}
	s->engine = NULL;
	s->ui = NULL;
}

/* The engine, quiet, on the module of U, initialised, into S. */
static int
start_engine(struct sohoa_ctx *ctx, const struct uri *u,
    struct sohoa_signer *s)
{
	ENGINE *e;
	void *h;

	/*
	 * Try the module first: libp11 prints dlopen's complaint on stderr
	 * and keeps only "Unable to load PKCS#11 module" for us.
	 */
	if (u->module.len > 0) {
		if (access(u->module.buf, R_OK) != 0)
			return sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
			    "cannot read the PKCS#11 module '%s': %s",
			    u->module.buf, strerror(errno));
		h = dlopen(u->module.buf, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL)
			return sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
			    "cannot load the PKCS#11 module '%s': %s",
			    u->module.buf, dlerror());
		dlclose(h);
	}
	e = ENGINE_by_id(ENGINE_ID);
	if (e == NULL) {
		ERR_clear_error();
		return sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND, "OpenSSL's"
		    " PKCS#11 engine is not installed (Debian package '%s')",
		    ENGINE_PACKAGE);
	}
	/*
	 * QUIET: no messages of the engine on stderr.  FORCE_LOGIN: log in
	 * before looking for the key, so that a key the token shows
	 * without a login still signs, and a wrong PIN shows now.
	 */
	if (!ENGINE_ctrl_cmd_string(e, "QUIET", NULL, 0) ||
	    !ENGINE_ctrl_cmd_string(e, "FORCE_LOGIN", NULL, 0) ||
	    (u->module.len > 0 && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH",
	    u->module.buf, 0)) || !ENGINE_init(e)) {
		ENGINE_free(e);
		return sign_ssl_error(ctx, "cannot start OpenSSL's PKCS#11"
		    " engine");
	}
	s->engine = e;
	return SOHOA_OK;
}

int
sign_pkcs11_load(struct sohoa_ctx *ctx, const char *uri,
    const struct sohoa_signer_opts *opts, int want_cert,
    struct sohoa_signer *s)
{
	struct uri u;
	struct token_ui *t = NULL;
	struct {
		const char *uri;
		X509 *cert;
	} cp;
	ENGINE *e;
	int rc;

	uri_init(&u);
	rc = uri_parse(ctx, uri, &u);
	if (rc == SOHOA_OK)
		rc = start_engine(ctx, &u, s);
	if (rc != SOHOA_OK)
		goto out;
	e = s->engine;
	t = calloc(1, sizeof(*t));
	if (t == NULL || (t->method = UI_create_method("sohoa PIN")) == NULL ||
	    UI_method_set_reader(t->method, ui_read) != 0) {
		if (t != NULL)
			UI_destroy_method(t->method);
		free(t);
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	sohoa_buf_init(&t->token);
	s->ui = t;
	t->pin.opts = opts;
	if (u.token.len > 0) {
		sohoa_buf_adds(&t->token, u.token.buf);
		t->pin.token = t->token.buf;
	}
	/*
	 * Also the engine's default, for a key that wants its PIN again at
	 * each signature (CKA_ALWAYS_AUTHENTICATE).
	 */
	ENGINE_ctrl(e, ENGINE_CTRL_SET_USER_INTERFACE, 0, t->method, NULL);
	ENGINE_ctrl(e, ENGINE_CTRL_SET_CALLBACK_DATA, 0, &t->pin, NULL);
	ERR_clear_error();
	s->key = ENGINE_load_private_key(e, u.engine.buf, t->method, &t->pin);
	if (s->key == NULL) {
		rc = load_error(ctx, &u, &t->pin, "private key");
		goto out;
	}
	if (want_cert) {
		cp.uri = u.engine.buf;
		cp.cert = NULL;
		if (!ENGINE_ctrl_cmd(e, "LOAD_CERT_CTRL", 0, &cp, NULL, 0) ||
		    cp.cert == NULL) {
			rc = load_error(ctx, &u, &t->pin, "certificate");
			goto out;
		}
		s->cert = cp.cert;
	}
	ERR_clear_error();
out:
	uri_release(&u);
	return rc;
}
