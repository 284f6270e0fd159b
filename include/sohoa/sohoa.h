/*
 * sohoa: offline digitization and archival of Vietnamese commune records.
 *
 * This header holds what every part of the library shares: the per-thread
 * context that carries the last error message, the return codes, and the
 * one-time global initialisation.
 */
#ifndef SOHOA_SOHOA_H
#define SOHOA_SOHOA_H

#include <stddef.h>
#include <stdint.h>

#define SOHOA_VERSION "0.1.0"

enum sohoa_rc {
	SOHOA_OK = 0,
	SOHOA_ERR_INPUT,	/* bad user input: option, path, query */
	SOHOA_ERR_FORMAT,	/* image or bundle we cannot read */
	SOHOA_ERR_OCR,		/* engine failed or language data missing */
	SOHOA_ERR_INVALID,	/* bundle checked and found not valid */
	SOHOA_ERR_IO,
	SOHOA_ERR_NOMEM,
	SOHOA_ERR_DB,
	SOHOA_ERR_CRYPTO,
	SOHOA_ERR_NOTFOUND,
	SOHOA_ERR_BUSY,		/* another process holds the archive */
	SOHOA_ERR_CANCELLED,	/* stopped by the caller (Ctrl-C) */
	SOHOA_ERR_UNTRUSTED,	/* a valid bundle whose signer is not trusted */
};

/*
 * A context carries the message of the last error for one thread.  Each
 * thread that calls into the library owns its own context; a context is
 * never shared between threads.
 */
struct sohoa_ctx;

/*
 * Create a context.  Returns NULL only when out of memory.  Free it with
 * sohoa_ctx_destroy(&ctx).
 */
struct sohoa_ctx *sohoa_ctx_new(void);
void sohoa_ctx_destroy(struct sohoa_ctx **pctx);

/*
 * Record an error on CTX and return RC, so that callers can write
 * "return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot open '%s'", path);".
 * CTX may be NULL (the message is then dropped).
 */
int sohoa_set_error(struct sohoa_ctx *ctx, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prefix the current message with more context: "cannot ingest 'x': "
 * + old message.  Returns the code of the current error.
 */
int sohoa_wrap_error(struct sohoa_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message of the last error on CTX (borrowed; "" when none). */
const char *sohoa_errmsg(const struct sohoa_ctx *ctx);
/* The code of the last error on CTX, SOHOA_OK when none. */
int sohoa_errcode(const struct sohoa_ctx *ctx);
void sohoa_clear_error(struct sohoa_ctx *ctx);

/* Generic text for a code, for when there is no context. */
const char *sohoa_strerror(int rc);

/*
 * Call once, before any thread starts: routes Leptonica's messages away
 * from stderr and prepares OpenSSL.  Safe to call more than once.
 */
int sohoa_global_init(void);

struct sohoa_buf;

/*
 * Put in OUT the path of sohoa's data file or folder NAME ("doctypes"):
 * the value of the environment variable ENV when set (ENV may be NULL),
 * else <prefix>/share/sohoa/NAME next to the running program's
 * <prefix>/bin, else the source tree's NAME when the program runs from
 * the build tree, else the installed prefix sohoa was built for.
 * Returns SOHOA_OK, or SOHOA_ERR_NOTFOUND when none of these exists (the
 * message on CTX names where it looked).
 */
int sohoa_data_path(struct sohoa_ctx *ctx, const char *name, const char *env,
    struct sohoa_buf *out);

#endif
