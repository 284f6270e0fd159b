/*
 * Shared inside sign/, and with bundle/crypto.c for naming certificates
 * the same way when it verifies them: the signer, OpenSSL error text,
 * PKCS#11 loading.
 */
#ifndef SOHOA_SIGN_PRIVATE_H
#define SOHOA_SIGN_PRIVATE_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sohoa/sign.h"

struct sohoa_signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;		/* the rest of the chain */
	size_t certs_len;		/* DER bytes of cert and chain */
	struct sohoa_buf subject;
	void *engine;			/* the PKCS#11 ENGINE, or NULL */
	void *ui;			/* its PIN UI_METHOD, or NULL */
};

/*
 * Record the OpenSSL error queue on CTX as "WHAT: <openssl errors>",
 * draining it; returns SOHOA_ERR_CRYPTO.
 */
int sign_ssl_error(struct sohoa_ctx *ctx, const char *what);

/* One-line subject or issuer NAME, CN first ("CN=…, O=…"), to OUT. */
int sign_x509_name(const X509_NAME *name, struct sohoa_buf *out);

/*
 * Load the private key named by the PKCS#11 URI into S (S->key,
 * S->engine, S->ui) and, when WANT_CERT, the certificate stored with it
 * into S->cert.  Errors are one line on CTX (see sohoa_signer_load).
 */
int sign_pkcs11_load(struct sohoa_ctx *ctx, const char *uri,
    const struct sohoa_signer_opts *opts, int want_cert,
    struct sohoa_signer *s);
/* Let go of S's engine and UI after its key is freed. */
void sign_pkcs11_release(struct sohoa_signer *s);

#endif
