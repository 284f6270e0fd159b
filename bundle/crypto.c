/*
 * OpenSSL for reading bundles: the check of a package's CMS detached
 * signature, with an optional CA file, and what it says about its signer.
 * Signing and keys are sign/'s (sohoa/sign.h).
 *
 *   bundle_cms_verify
 *   bundle_ssl_error / bundle_x509_name / bundle_x509_fingerprint
 *   bundle_uuid
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "bundle_private.h"
#include "sign_private.h"

/* Certificates are named and OpenSSL errors told as sign/ does. */
int
bundle_ssl_error(struct sohoa_ctx *ctx, const char *what)
{
	return sign_ssl_error(ctx, what);
}

int
bundle_uuid(struct sohoa_buf *out)
{
	unsigned char u[16];
	char hex[33];

	if (RAND_bytes(u, sizeof(u)) != 1)
		return SOHOA_ERR_CRYPTO;
	u[6] = (u[6] & 0x0f) | 0x40;	/* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	sohoa_hex(u, sizeof(u), hex);
	return sohoa_buf_addf(out, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
}

int
bundle_x509_name(const X509_NAME *name, struct sohoa_buf *out)
{
	return sign_x509_name(name, out);
}

void
cms_info_init(struct cms_info *ci)
{
	sohoa_buf_init(&ci->signer);
	sohoa_buf_init(&ci->issuer);
	sohoa_buf_init(&ci->signed_at);
	sohoa_buf_init(&ci->fingerprint);
	ci->self_signed = 0;
	ci->trusted = 0;
	ci->cert = NULL;
	ci->certs = NULL;
}

void
cms_info_release(struct cms_info *ci)
{
	sohoa_buf_release(&ci->signer);
	sohoa_buf_release(&ci->issuer);
	sohoa_buf_release(&ci->signed_at);
	sohoa_buf_release(&ci->fingerprint);
	X509_free(ci->cert);
	sk_X509_pop_free(ci->certs, X509_free);
	ci->cert = NULL;
	ci->certs = NULL;
}

int
bundle_x509_fingerprint(X509 *cert, struct sohoa_buf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	int rc = SOHOA_OK;

	if (X509_digest(cert, EVP_sha256(), md, &n) != 1) {
		ERR_clear_error();
		return SOHOA_ERR_CRYPTO;
	}
	for (i = 0; i < n && rc == SOHOA_OK; i++)
		rc = sohoa_buf_addf(out, "%02x", md[i]);
	return rc;
}

static void
signing_time(CMS_ContentInfo *cms, struct sohoa_buf *out)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si;
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *t;
	struct tm tm;
	int i;

	if (sis == NULL || sk_CMS_SignerInfo_num(sis) < 1)
		return;
	si = sk_CMS_SignerInfo_value(sis, 0);
	i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (i < 0)
		return;
	attr = CMS_signed_get_attr(si, i);
	t = X509_ATTRIBUTE_get0_type(attr, 0);
	if (t == NULL || (t->type != V_ASN1_UTCTIME &&
	    t->type != V_ASN1_GENERALIZEDTIME))
		return;
	if (ASN1_TIME_to_tm((const ASN1_TIME *)t->value.asn1_string, &tm) != 1)
		return;
	sohoa_buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

int
bundle_cms_verify(struct sohoa_ctx *ctx, const void *sig, size_t siglen,
    const void *data, size_t len, const char *ca_pem, struct cms_info *info)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(X509) *signers = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *sctx = NULL;
	BIO *sbio = NULL, *content = NULL;
	X509 *signer;
	int rc = SOHOA_OK, err;

	sbio = BIO_new_mem_buf(sig, (int)siglen);
	content = BIO_new_mem_buf(data, (int)len);
	if (sbio == NULL || content == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	cms = d2i_CMS_bio(sbio, NULL);
	if (cms == NULL) {
		ERR_clear_error();
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID,
		    "the signature is not a DER CMS signed-data structure");
		goto out;
	}
	/* the signature itself first, so a bad one is not called untrusted */
	if (CMS_verify(cms, NULL, NULL, content, NULL,
	    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		struct sohoa_buf why = SOHOA_BUF_INIT;
		unsigned long e;
		char line[256];

		while ((e = ERR_get_error()) != 0) {
			ERR_error_string_n(e, line, sizeof(line));
			sohoa_buf_addf(&why, "%s%s", why.len ? "; " : "", line);
		}
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID,
		    "bad signature (%s)", why.buf);
		sohoa_buf_release(&why);
		goto out;
	}
	signers = CMS_get0_signers(cms);
	if (signers == NULL || sk_X509_num(signers) != 1) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID,
		    "the signature must have exactly one signer");
		goto out;
	}
	signer = sk_X509_value(signers, 0);
	/* kept for the archive's trust list (bundle/trust.c) */
	if (X509_up_ref(signer) != 1) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	X509_free(info->cert);
	info->cert = signer;
	sk_X509_pop_free(info->certs, X509_free);
	info->certs = CMS_get1_certs(cms);
	bundle_x509_fingerprint(signer, &info->fingerprint);
	bundle_x509_name(X509_get_subject_name(signer), &info->signer);
	bundle_x509_name(X509_get_issuer_name(signer), &info->issuer);
	info->self_signed = X509_self_signed(signer, 0) == 1;
	/*
	 * Without a CA nothing else checks the certificate's own signature:
	 * a damaged self-signed certificate must not pass.
	 */
	if (info->self_signed && X509_self_signed(signer, 1) != 1) {
		ERR_clear_error();
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID,
		    "the signer's self-signed certificate is damaged (its"
		    " signature does not verify)");
		goto out;
	}
	signing_time(cms, &info->signed_at);
	if (ca_pem == NULL)
		goto out;
	store = X509_STORE_new();
	sctx = X509_STORE_CTX_new();
	if (store == NULL || sctx == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	if (X509_STORE_load_file(store, ca_pem) != 1) {
		rc = bundle_ssl_error(ctx, "cannot read the CA file");
		sohoa_wrap_error(ctx, "'%s': ", ca_pem);
		goto out;
	}
	if (X509_STORE_CTX_init(sctx, store, signer, info->certs) != 1) {
		rc = bundle_ssl_error(ctx, "cannot check the signer");
		goto out;
	}
	/* the same purpose as `openssl cms -verify` */
	X509_STORE_CTX_set_purpose(sctx, X509_PURPOSE_SMIME_SIGN);
	if (X509_verify_cert(sctx) != 1) {
		err = X509_STORE_CTX_get_error(sctx);
		ERR_clear_error();
		rc = sohoa_set_error(ctx, SOHOA_ERR_INVALID,
		    "untrusted signer '%s': %s", info->signer.buf,
		    X509_verify_cert_error_string(err));
		goto out;
	}
	info->trusted = 1;
out:
	sk_X509_free(signers);
	X509_STORE_CTX_free(sctx);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	BIO_free(sbio);
	BIO_free(content);
	return rc;
}
