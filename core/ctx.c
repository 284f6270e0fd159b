/*
 * Per-thread context and error reporting.  A message is kept on the
 * context that the failing call received, as sqlite3_errmsg() keeps it on
 * the connection.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <leptonica/allheaders.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

struct sohoa_ctx {
	int rc;
	struct sohoa_buf msg;
};

struct sohoa_ctx *
sohoa_ctx_new(void)
{
	struct sohoa_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx != NULL)
		sohoa_buf_init(&ctx->msg);
	return ctx;
}

void
sohoa_ctx_destroy(struct sohoa_ctx **pctx)
{
	if (pctx == NULL || *pctx == NULL)
		return;
	sohoa_buf_release(&(*pctx)->msg);
	free(*pctx);
	*pctx = NULL;
}

int
sohoa_set_error(struct sohoa_ctx *ctx, int rc, const char *fmt, ...)
{
	va_list ap;

	if (ctx == NULL)
		return rc;
	ctx->rc = rc;
	sohoa_buf_reset(&ctx->msg);
	va_start(ap, fmt);
	if (sohoa_buf_vaddf(&ctx->msg, fmt, ap) != SOHOA_OK)
		sohoa_buf_reset(&ctx->msg);
	va_end(ap);
	return rc;
}

int
sohoa_wrap_error(struct sohoa_ctx *ctx, const char *fmt, ...)
{
	struct sohoa_buf prefix = SOHOA_BUF_INIT;
	va_list ap;

	if (ctx == NULL)
		return SOHOA_OK;
	va_start(ap, fmt);
	if (sohoa_buf_vaddf(&prefix, fmt, ap) == SOHOA_OK &&
	    sohoa_buf_add(&prefix, ctx->msg.buf, ctx->msg.len) == SOHOA_OK) {
		sohoa_buf_release(&ctx->msg);
		ctx->msg = prefix;
	} else {
		sohoa_buf_release(&prefix);
	}
	va_end(ap);
	return ctx->rc;
}

const char *
sohoa_errmsg(const struct sohoa_ctx *ctx)
{
	if (ctx == NULL)
		return "";
	if (ctx->rc != SOHOA_OK && ctx->msg.len == 0)
		return sohoa_strerror(ctx->rc);
	return ctx->msg.buf;
}

int
sohoa_errcode(const struct sohoa_ctx *ctx)
{
	return ctx == NULL ? SOHOA_OK : ctx->rc;
}

void
sohoa_clear_error(struct sohoa_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ctx->rc = SOHOA_OK;
	sohoa_buf_reset(&ctx->msg);
}

const char *
sohoa_strerror(int rc)
{
	switch (rc) {
	case SOHOA_OK: return "no error";
	case SOHOA_ERR_INPUT: return "bad input";
	case SOHOA_ERR_FORMAT: return "unreadable file format";
	case SOHOA_ERR_OCR: return "OCR engine failed";
	case SOHOA_ERR_INVALID: return "not valid";
	case SOHOA_ERR_IO: return "input/output error";
	case SOHOA_ERR_NOMEM: return "out of memory";
	case SOHOA_ERR_DB: return "database error";
	case SOHOA_ERR_CRYPTO: return "cryptography error";
	case SOHOA_ERR_NOTFOUND: return "not found";
	case SOHOA_ERR_BUSY: return "archive busy";
	case SOHOA_ERR_CANCELLED: return "cancelled";
	case SOHOA_ERR_UNTRUSTED: return "signer not trusted";
	}
	return "unknown error";
}

/*
 * Leptonica prints warnings for every odd TIFF tag; sohoa reports its own
 * one-line errors instead, so its messages are dropped unless asked for.
 */
static void
lept_quiet(const char *msg)
{
	if (getenv("SOHOA_DEBUG_LEPT") != NULL)
		fputs(msg, stderr);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
global_init_once(void)
{
	leptSetStderrHandler(lept_quiet);
	setMsgSeverity(L_SEVERITY_ERROR);
	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS, NULL);
}

int
sohoa_global_init(void)
{
	pthread_once(&init_once, global_init_once);
	return SOHOA_OK;
}
