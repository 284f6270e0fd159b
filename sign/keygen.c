/*
 * The demo key and self-signed certificate of `sohoa keygen`.  Offices
 * sign with the key and certificate their CA issued (on a token, most
 * often); this pair is for trying sohoa and for the tests.
 *
 *   sohoa_signer_keygen
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "sohoa/tmp.h"
#include "sign_private.h"

static int
add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (ext == NULL)
		return 0;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* Write the PEM text in BIO to DIR/NAME, whole or not at all. */
static int
write_pem(struct sohoa_ctx *ctx, const char *dir, const char *name,
    BIO *pem, mode_t mode)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	char *data;
	long n;
	int rc;

	n = BIO_get_mem_data(pem, &data);
	rc = sohoa_buf_addf(&path, "%s/%s", dir, name);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "out of memory");
	else
		rc = sohoa_tmp_write(ctx, path.buf, data,
		    n > 0 ? (size_t)n : 0, mode);
	sohoa_buf_release(&path);
	return rc;
}

/* SOHOA_ERR_INPUT when DIR/NAME exists. */
static int
refuse_existing(struct sohoa_ctx *ctx, const char *dir, const char *name)
{
	struct sohoa_buf p = SOHOA_BUF_INIT;
	int rc = SOHOA_OK;

	if (sohoa_buf_addf(&p, "%s/%s", dir, name) != SOHOA_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	else if (access(p.buf, F_OK) == 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' already"
		    " exists (pass --force to replace it)", p.buf);
	sohoa_buf_release(&p);
	return rc;
}

int
sohoa_signer_keygen(struct sohoa_ctx *ctx, const char *dir, const char *cn,
    const char *org, unsigned flags, struct sohoa_buf *psubject)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	X509_NAME *name;
	BIGNUM *serial = NULL;
	BIO *kbio = NULL, *cbio = NULL;
	int rc = SOHOA_OK;

	if (cn == NULL || *cn == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "the certificate needs a common name (--cn NAME)");
	if (sohoa_mkdir(ctx, dir, 0700) != SOHOA_OK)
		return sohoa_errcode(ctx);
	if (flags & SOHOA_KEYGEN_EC)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	if (key == NULL) {
		rc = sign_ssl_error(ctx, "cannot make a key");
		goto out;
	}
	cert = X509_new();
	serial = BN_new();
	if (cert == NULL || serial == NULL ||
	    !X509_set_version(cert, X509_VERSION_3) ||
	    !BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
	    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) == NULL ||
	    X509_gmtime_adj(X509_getm_notBefore(cert), 0) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(cert), 3652, 0, NULL) == NULL ||
	    !X509_set_pubkey(cert, key)) {
		rc = sign_ssl_error(ctx, "cannot make the certificate");
		goto out;
	}
	name = X509_get_subject_name(cert);
	if (!X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8,
	    (const unsigned char *)"VN", -1, -1, 0) ||
	    (org != NULL && *org != '\0' &&
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)org, -1, -1, 0)) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name)) {
		rc = sign_ssl_error(ctx,
		    "cannot set the certificate's subject");
		goto out;
	}
	if (!add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(cert, NID_key_usage,
	    "critical,digitalSignature,nonRepudiation") ||
	    !add_ext(cert, NID_subject_key_identifier, "hash") ||
	    !add_ext(cert, NID_authority_key_identifier, "keyid:always") ||
	    !X509_sign(cert, key, EVP_sha256())) {
		rc = sign_ssl_error(ctx, "cannot sign the certificate");
		goto out;
	}
	kbio = BIO_new(BIO_s_mem());
	cbio = BIO_new(BIO_s_mem());
	if (kbio == NULL || cbio == NULL ||
	    !PEM_write_bio_PrivateKey(kbio, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(cbio, cert)) {
		rc = sign_ssl_error(ctx, "cannot encode the key");
		goto out;
	}
	/* check both first, so that no half pair is left behind */
	if (!(flags & SOHOA_KEYGEN_FORCE)) {
		rc = refuse_existing(ctx, dir, "key.pem");
		if (rc == SOHOA_OK)
			rc = refuse_existing(ctx, dir, "cert.pem");
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = write_pem(ctx, dir, "key.pem", kbio, 0600);
	if (rc == SOHOA_OK)
		rc = write_pem(ctx, dir, "cert.pem", cbio, 0644);
	if (rc == SOHOA_OK && psubject != NULL)
		rc = sign_x509_name(X509_get_subject_name(cert), psubject);
out:
	BIO_free(kbio);
	BIO_free(cbio);
	BN_free(serial);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}
