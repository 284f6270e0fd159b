/*
 * Signing: one key with its certificate, and the CMS signatures made with
 * it, for bundles (a detached CMS over METS.xml or the BagIt tag
 * manifest) and for PDFs (PAdES) alike.
 *
 *   sohoa_signer_load / _destroy   a key from a PEM file or a PKCS#11
 *                                  token, with its certificate and chain
 *   sohoa_signer_is_token          is this --key a PKCS#11 URI?
 *   sohoa_signer_subject           who signs ("CN=…, O=…, C=VN")
 *   sohoa_sign_cms_begin / _update / _finish / _destroy
 *                                  a DER CMS detached signature, streamed
 *   sohoa_sign_cms                 the same over bytes in memory
 *   sohoa_signer_keygen            demo key + self-signed certificate
 *
 * A token is reached through OpenSSL's PKCS#11 engine (libp11, Debian
 * package libengine-pkcs11-openssl), which loads the token's PKCS#11
 * module: the one named by the URI's module-path, else p11-kit's proxy,
 * which reaches every module registered with p11-kit.  One module per
 * process: the engine keeps the first one it loads.
 */
#ifndef SOHOA_SIGN_H
#define SOHOA_SIGN_H

#include <stddef.h>
#include <time.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

/* A signing key with its certificate and chain. */
struct sohoa_signer;

struct sohoa_signer_opts {
	/*
	 * Called when a token needs its PIN, with TOKEN its label (from
	 * the URI, or NULL when the URI does not name one): write the PIN
	 * NUL-terminated into BUF (SIZE bytes) and return 0, or return -1
	 * to give up (the load then fails with SOHOA_ERR_CANCELLED).
	 * NULL: a token that needs a PIN cannot be used.  The PIN is
	 * handed to the token and not kept by sohoa.
	 */
	int (*pin)(void *arg, const char *token, char *buf, size_t size);
	void *pin_arg;
};

/*
 * Load the signing key KEY and its certificate.  KEY is a PEM file (an
 * unencrypted private key) or a PKCS#11 URI (RFC 7512) naming a private
 * key on a token, e.g. "pkcs11:token=UBND%20x%C3%A3;object=signer";
 * the URI may add "?module-path=/usr/lib/…/vendor-pkcs11.so" and must not
 * carry the PIN (pin-value, pin-source): it comes from OPTS->pin.
 * CERT_PEM holds the signer's certificate, then any chain certificates
 * (they go into every signature).  With a token key CERT_PEM may be NULL:
 * the certificate stored on the token under the same id or label as the
 * key is used, without a chain.  Key and certificate must match.
 *
 * On success *psigner is set (free with sohoa_signer_destroy); on failure
 * it is NULL and CTX says why in one line: SOHOA_ERR_IO (a file cannot be
 * opened), SOHOA_ERR_CRYPTO ("the key does not match the certificate
 * in 'C'", "wrong PIN for token 'X'", "the token 'X' is locked", "no
 * object 'Y' on token 'X'", a file that is not PEM ...),
 * SOHOA_ERR_NOTFOUND (no such token, the engine is not installed),
 * SOHOA_ERR_INPUT (a bad URI), SOHOA_ERR_CANCELLED (OPTS->pin gave up).
 * OPTS may be NULL.  A loaded signer is read-only and may be shared by
 * threads, but a token signs one thing at a time: sign from one thread.
 */
int sohoa_signer_load(struct sohoa_ctx *ctx, const char *key,
    const char *cert_pem, const struct sohoa_signer_opts *opts,
    struct sohoa_signer **psigner);
void sohoa_signer_destroy(struct sohoa_signer **psigner);

/* 1 when KEY is a PKCS#11 URI ("pkcs11:..."), 0 for a file. */
int sohoa_signer_is_token(const char *key);

/*
 * The signer's certificate subject, CN first ("CN=UBND xã Tân Lập, O=...,
 * C=VN"), UTF-8; borrowed, valid while the signer lives.
 */
const char *sohoa_signer_subject(const struct sohoa_signer *s);

/*
 * Room a signature of S needs at most, in DER bytes (a PDF reserves it
 * before signing).
 */
size_t sohoa_signer_max_size(const struct sohoa_signer *s);

/* What the signed attributes say besides content type and digest. */
enum sohoa_sign_profile {
	/*
	 * Bundles (CAdES-BES): signing-time = WHEN and ESS
	 * signing-certificate-v2.
	 */
	SOHOA_SIGN_CMS,
	/*
	 * PAdES baseline B-B (ETSI EN 319 142-1): ESS
	 * signing-certificate-v2 and no signing-time, which the PDF's /M
	 * carries instead.
	 */
	SOHOA_SIGN_PADES,
};

/* A signature being made. */
struct sohoa_sign_cms;

/*
 * Begin a DER CMS SignedData, detached, SHA-256, signed by S with the
 * attributes of PROFILE, the signer's certificate and chain embedded.
 * Feed the signed bytes with _update, then _finish; free with _destroy
 * (also after a failure).  *pcms is NULL on failure.
 */
int sohoa_sign_cms_begin(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    enum sohoa_sign_profile profile, time_t when,
    struct sohoa_sign_cms **pcms);
int sohoa_sign_cms_update(struct sohoa_sign_cms *c, const void *data,
    size_t len);
/* Sign and append the DER encoding to OUT. */
int sohoa_sign_cms_finish(struct sohoa_sign_cms *c, struct sohoa_buf *out);
void sohoa_sign_cms_destroy(struct sohoa_sign_cms **pcms);

/* The same in one call over LEN bytes of DATA; the DER goes to OUT. */
int sohoa_sign_cms(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    enum sohoa_sign_profile profile, time_t when, const void *data,
    size_t len, struct sohoa_buf *out);

enum sohoa_keygen_flags {
	SOHOA_KEYGEN_EC = 1 << 0,	/* ECDSA P-256 instead of RSA-3072 */
	SOHOA_KEYGEN_FORCE = 1 << 1,	/* overwrite existing files */
};

/*
 * Make a demo signing key and a self-signed X.509 certificate (10 years,
 * keyUsage digitalSignature + nonRepudiation, basicConstraints CA:FALSE)
 * for subject CN=CN, O=ORG (ORG may be NULL), C=VN.  Writes DIR/key.pem
 * (PKCS#8 PEM, mode 0600) and DIR/cert.pem, each whole or not at all
 * (sohoa_tmp_write); DIR is created (0700) when missing.  Existing files
 * are an error unless FLAGS has SOHOA_KEYGEN_FORCE.  The subject of the
 * new certificate is appended to PSUBJECT when it is not NULL.
 */
int sohoa_signer_keygen(struct sohoa_ctx *ctx, const char *dir,
    const char *cn, const char *org, unsigned flags,
    struct sohoa_buf *psubject);

#endif
