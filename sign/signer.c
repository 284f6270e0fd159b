/*
 * The signer: a private key (from a PEM file, or held by a PKCS#11 token:
 * sign/pkcs11.c) with the certificate that names it and the chain that
 * goes into every signature.  Loading checks that key and certificate
 * belong together and says so in one line when they do not.
 *
 *   sohoa_signer_load / _destroy / _is_token / _subject / _max_size
 *   sign_ssl_error / sign_x509_name
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "sign_private.h"

/*
 * Room for what a signature adds to its certificates: the signature
 * value (up to RSA-8192), the signed attributes, algorithm identifiers
 * and the SignerInfo around them.
 */
#define CMS_OVERHEAD 4096

int
sign_ssl_error(struct sohoa_ctx *ctx, const char *what)
{
	unsigned long e, first = 0;
	const char *reason;

	/* the first error queued is the cause; the rest say who called */
	while ((e = ERR_get_error()) != 0)
		if (first == 0)
			first = e;
	reason = first != 0 ? ERR_reason_error_string(first) : NULL;
	if (reason == NULL && first != 0)
		reason = "unknown OpenSSL error";
	return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "%s%s%s", what,
	    reason ? ": " : "", reason ? reason : "");
}

int
sign_x509_name(const X509_NAME *name, struct sohoa_buf *out)
{
	BIO *bio;
	char *p;
	long n;
	int rc;

	bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return SOHOA_ERR_NOMEM;
	/* RFC 2253 order reversed (CN first), UTF-8 kept as is */
	X509_NAME_print_ex(bio, name, 0,
	    (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SEP_MASK) |
	    XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_DN_REV);
	n = BIO_get_mem_data(bio, &p);
	rc = sohoa_buf_add(out, p, n > 0 ? (size_t)n : 0);
	BIO_free(bio);
	return rc;
}

int
sohoa_signer_is_token(const char *key)
{
	return key != NULL && strncasecmp(key, "pkcs11:", 7) == 0;
}

/* No passphrase is asked for a PEM key: an encrypted one is refused. */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(int *)arg = 1;
	return -1;
}

static int
load_pem_key(struct sohoa_ctx *ctx, const char *path, EVP_PKEY **pkey)
{
	BIO *bio;
	int encrypted = 0;

	*pkey = NULL;
	bio = BIO_new_file(path, "r");
	if (bio == NULL) {
		ERR_clear_error();
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open key '%s': %s", path, strerror(errno));
	}
	*pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, &encrypted);
	BIO_free(bio);
	ERR_clear_error();
	if (*pkey == NULL && encrypted)
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "the key in '%s'"
		    " is protected by a passphrase (sohoa reads unencrypted"
		    " PEM keys; keep a protected key on a token)", path);
	if (*pkey == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "'%s' holds no"
		    " private key (PEM)", path);
	return SOHOA_OK;
}

/* The first certificate of PATH into S->cert, the others into the chain. */
static int
load_pem_certs(struct sohoa_ctx *ctx, const char *path, struct sohoa_signer *s)
{
	BIO *bio;
	X509 *x;
	int rc = SOHOA_OK;

	bio = BIO_new_file(path, "r");
	if (bio == NULL) {
		ERR_clear_error();
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open certificate '%s': %s", path, strerror(errno));
	}
	X509_free(s->cert);
	s->cert = NULL;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (s->cert == NULL) {
			s->cert = x;
		} else if (!sk_X509_push(s->chain, x)) {
			X509_free(x);
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			break;
		}
	}
	/* the loop ends on "no start line": not an error once we have one */
	ERR_clear_error();
	BIO_free(bio);
	if (rc == SOHOA_OK && s->cert == NULL)
		rc = sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "no PEM certificate in '%s'", path);
	return rc;
}

void
sohoa_signer_destroy(struct sohoa_signer **psigner)
{
	struct sohoa_signer *s = *psigner;

	if (s == NULL)
		return;
	*psigner = NULL;
	/* the key first: a token key needs its engine until it is gone */
	EVP_PKEY_free(s->key);
	sign_pkcs11_release(s);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	sohoa_buf_release(&s->subject);
	free(s);
}

int
sohoa_signer_load(struct sohoa_ctx *ctx, const char *key,
    const char *cert_pem, const struct sohoa_signer_opts *opts,
    struct sohoa_signer **psigner)
{
	static const struct sohoa_signer_opts none;
	struct sohoa_signer *s;
	int rc, i, len, token = sohoa_signer_is_token(key);

	*psigner = NULL;
	if (opts == NULL)
		opts = &none;
	if (key == NULL || *key == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "no signing key given");
	if (cert_pem == NULL && !token)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "the key '%s'"
		    " needs its certificate (a PEM file)", key);
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->chain = sk_X509_new_null()) == NULL) {
		free(s);
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	sohoa_buf_init(&s->subject);
	ERR_clear_error();
	if (token)
		rc = sign_pkcs11_load(ctx, key, opts, cert_pem == NULL, s);
	else
		rc = load_pem_key(ctx, key, &s->key);
	if (rc == SOHOA_OK && cert_pem != NULL)
		rc = load_pem_certs(ctx, cert_pem, s);
	if (rc != SOHOA_OK)
		goto out;
	/*
	 * Compares the public halves only, so it works for a token key
	 * whose private half never leaves the token.
	 */
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		rc = sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "the key does not"
		    " match the certificate%s%s%s", cert_pem ? " in '" : "",
		    cert_pem ? cert_pem : "", cert_pem ? "'" : "");
		goto out;
	}
	len = i2d_X509(s->cert, NULL);
	s->certs_len = len > 0 ? (size_t)len : 0;
	for (i = 0; i < sk_X509_num(s->chain); i++) {
		len = i2d_X509(sk_X509_value(s->chain, i), NULL);
		s->certs_len += len > 0 ? (size_t)len : 0;
	}
	rc = sign_x509_name(X509_get_subject_name(s->cert), &s->subject);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
	*psigner = s;
	s = NULL;
out:
	sohoa_signer_destroy(&s);
	return rc;
}

const char *
sohoa_signer_subject(const struct sohoa_signer *s)
{
	return s->subject.buf;
}

size_t
sohoa_signer_max_size(const struct sohoa_signer *s)
{
	return s->certs_len + CMS_OVERHEAD;
}
