/*
 * CMS (RFC 5652) detached signatures made by a signer, streamed: the one
 * way sohoa signs, for bundles and PDFs.  SHA-256; signed attributes
 * content-type, message-digest and ESS signing-certificate-v2 (RFC 5035:
 * binds the signer's certificate, as CAdES and PAdES require), plus
 * signing-time for a bundle; certificate and chain embedded; no
 * S/MIME capabilities (nothing here is mail).
 *
 *   sohoa_sign_cms_begin / _update / _finish / _destroy, sohoa_sign_cms
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "sign_private.h"

struct sohoa_sign_cms {
	struct sohoa_ctx *ctx;
	const struct sohoa_signer *s;
	enum sohoa_sign_profile profile;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	BIO *in;		/* CMS_dataInit's digesting chain */
	int failed;
};

void
sohoa_sign_cms_destroy(struct sohoa_sign_cms **pcms)
{
	struct sohoa_sign_cms *c = *pcms;

	if (c == NULL)
		return;
	*pcms = NULL;
	BIO_free_all(c->in);
	CMS_ContentInfo_free(c->cms);
	free(c);
}

int
sohoa_sign_cms_begin(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    enum sohoa_sign_profile profile, time_t when,
    struct sohoa_sign_cms **pcms)
{
	const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP |
	    CMS_CADES;
	struct sohoa_sign_cms *c;
	ASN1_TIME *t = NULL;
	int rc = SOHOA_OK;

	*pcms = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	c->ctx = ctx;
	c->s = s;
	c->profile = profile;
	ERR_clear_error();
	c->cms = CMS_sign(NULL, NULL, s->chain, NULL, flags | CMS_PARTIAL);
	if (c->cms == NULL) {
		rc = sign_ssl_error(ctx, "cannot start the signature");
		goto out;
	}
	/* CMS_CADES adds ESS signing-certificate-v2 for SHA-256 */
	c->si = CMS_add1_signer(c->cms, s->cert, s->key, EVP_sha256(), flags);
	if (c->si == NULL) {
		rc = sign_ssl_error(ctx, "cannot add the signer");
		goto out;
	}
	if (profile == SOHOA_SIGN_CMS) {
		t = ASN1_TIME_set(NULL, when);
		if (t == NULL || !CMS_signed_add1_attr_by_NID(c->si,
		    NID_pkcs9_signingTime, t->type, t, -1)) {
			rc = sign_ssl_error(ctx, "cannot add the signing time");
			goto out;
		}
	}
	c->in = CMS_dataInit(c->cms, NULL);
	if (c->in == NULL) {
		rc = sign_ssl_error(ctx, "cannot start the digest");
		goto out;
	}
	*pcms = c;
	c = NULL;
out:
	ASN1_TIME_free(t);
	sohoa_sign_cms_destroy(&c);
	return rc;
}

int
sohoa_sign_cms_update(struct sohoa_sign_cms *c, const void *data, size_t len)
{
	const char *p = data;
	int n;

	while (len > 0 && !c->failed) {
		n = len > 1 << 30 ? 1 << 30 : (int)len;
		if (BIO_write(c->in, p, n) != n) {
			c->failed = 1;
			return sign_ssl_error(c->ctx, "cannot digest the data");
		}
		p += n;
		len -= (size_t)n;
	}
	return c->failed ? SOHOA_ERR_CRYPTO : SOHOA_OK;
}

/*
 * OpenSSL 3.0's CMS_SignerInfo_sign() always adds a signing-time
 * attribute when there is none (3.2 has CMS_NO_SIGNING_TIME for this).
 * PAdES B-B must not carry one (EN 319 142-1, 5.2.1: the time is /M), so
 * take it out again and sign the remaining attributes the way
 * CMS_SignerInfo_sign() does: their DER as a SET OF, digested with
 * SHA-256 and signed with the signer's key (on the token, for a token).
 */
static int
drop_signing_time(struct sohoa_sign_cms *c)
{
	STACK_OF(X509_ATTRIBUTE) *attrs = NULL;
	EVP_MD_CTX *md = NULL;
	unsigned char *der = NULL, *sig = NULL;
	size_t siglen = 0;
	int i, n, derlen, rc = SOHOA_OK;

	i = CMS_signed_get_attr_by_NID(c->si, NID_pkcs9_signingTime, -1);
	if (i >= 0)
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(c->si, i));
	attrs = sk_X509_ATTRIBUTE_new_null();
	n = CMS_signed_get_attr_count(c->si);
	for (i = 0; attrs != NULL && i < n; i++)
		if (!sk_X509_ATTRIBUTE_push(attrs,
		    CMS_signed_get_attr(c->si, i)))
			break;
	if (attrs == NULL || i < n) {
		rc = sohoa_set_error(c->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* PKCS7_ATTR_SIGN is the DER SET OF that CMS signs, sorted */
	derlen = ASN1_item_i2d((ASN1_VALUE *)attrs, &der,
	    ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
	md = EVP_MD_CTX_new();
	if (derlen <= 0 || md == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
	    c->s->key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, der, (size_t)derlen) != 1 ||
	    (sig = OPENSSL_malloc(siglen)) == NULL ||
	    EVP_DigestSign(md, sig, &siglen, der, (size_t)derlen) != 1) {
		rc = sign_ssl_error(c->ctx, "cannot sign");
		goto out;
	}
	ASN1_STRING_set0(CMS_SignerInfo_get0_signature(c->si), sig,
	    (int)siglen);
	sig = NULL;
out:
	OPENSSL_free(sig);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	sk_X509_ATTRIBUTE_free(attrs);
	return rc;
}

int
sohoa_sign_cms_finish(struct sohoa_sign_cms *c, struct sohoa_buf *out)
{
	unsigned char *der = NULL;
	int len, rc;

	if (c->failed)
		return SOHOA_ERR_CRYPTO;
	c->failed = 1;		/* finished: nothing more goes in */
	(void)BIO_flush(c->in);
	if (!CMS_dataFinal(c->cms, c->in))
		return sign_ssl_error(c->ctx, "cannot sign");
	if (c->profile == SOHOA_SIGN_PADES) {
		rc = drop_signing_time(c);
		if (rc != SOHOA_OK)
			return rc;
	}
	len = i2d_CMS_ContentInfo(c->cms, &der);
	if (len <= 0)
		return sign_ssl_error(c->ctx, "cannot encode the signature");
	rc = sohoa_buf_add(out, der, (size_t)len);
	OPENSSL_free(der);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(c->ctx, rc, "out of memory");
	return rc;
}

int
sohoa_sign_cms(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    enum sohoa_sign_profile profile, time_t when, const void *data,
    size_t len, struct sohoa_buf *out)
{
	struct sohoa_sign_cms *c = NULL;
	int rc;

	rc = sohoa_sign_cms_begin(ctx, s, profile, when, &c);
	if (rc == SOHOA_OK)
		rc = sohoa_sign_cms_update(c, data, len);
	if (rc == SOHOA_OK)
		rc = sohoa_sign_cms_finish(c, out);
	sohoa_sign_cms_destroy(&c);
	return rc;
}
