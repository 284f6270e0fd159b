/*
 * OpenSSL for bundles: the demo key and self-signed certificate of
 * `sohoa keygen`, CMS (PKCS#7) detached signatures over a package's
 * manifest, and their verification with an optional CA file.
 *
 *   sohoa_bundle_keygen
 *   bundle_cms_sign / bundle_cms_verify
 *   bundle_load_key / bundle_load_certs / bundle_x509_name / bundle_uuid
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/bundle.h"
#include "bundle_private.h"

int
bundle_ssl_error(struct sohoa_ctx *ctx, const char *what)
{
	struct sohoa_buf msg = SOHOA_BUF_INIT;
	unsigned long e;
	char line[256];
	int rc;

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, line, sizeof(line));
		sohoa_buf_adds(&msg, msg.len ? "; " : "");
		sohoa_buf_adds(&msg, line);
	}
	rc = sohoa_set_error(ctx, SOHOA_ERR_CRYPTO, "%s%s%s", what,
	    msg.len ? ": " : "", msg.buf);
	sohoa_buf_release(&msg);
	return rc;
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
bundle_load_key(struct sohoa_ctx *ctx, const char *path, EVP_PKEY **pkey)
{
	BIO *bio;

	*pkey = NULL;
	bio = BIO_new_file(path, "r");
	if (bio == NULL) {
		ERR_clear_error();
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open key '%s': %s", path, strerror(errno));
	}
	*pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (*pkey == NULL)
		return bundle_ssl_error(ctx, "cannot read the private key");
	return SOHOA_OK;
}

int
bundle_load_certs(struct sohoa_ctx *ctx, const char *path, X509 **pcert,
    STACK_OF(X509) **pchain)
{
	STACK_OF(X509) *chain = NULL;
	X509 *cert = NULL, *x;
	BIO *bio;
	int rc = SOHOA_OK;

	*pcert = NULL;
	*pchain = NULL;
	bio = BIO_new_file(path, "r");
	if (bio == NULL) {
		ERR_clear_error();
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open certificate '%s': %s", path, strerror(errno));
	}
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (cert == NULL) {
		rc = bundle_ssl_error(ctx, "cannot read the certificate");
		goto out;
	}
	chain = sk_X509_new_null();
	if (chain == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(chain, x)) {
			X509_free(x);
			rc = SOHOA_ERR_NOMEM;
			goto out;
		}
	}
	ERR_clear_error();	/* the end of the file reads as an error */
	*pcert = cert;
	*pchain = chain;
	cert = NULL;
	chain = NULL;
out:
	X509_free(cert);
	sk_X509_pop_free(chain, X509_free);
	BIO_free(bio);
	return rc;
}

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

/*
 * Write PEM text from BIO to DIR/NAME through a temporary file in DIR,
 * fsync'ed and renamed, with MODE.
 */
static int
write_pem(struct sohoa_ctx *ctx, const char *dir, const char *name,
    BIO *pem, mode_t mode, int force)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, tmp = SOHOA_BUF_INIT;
	char *data;
	long n;
	int fd = -1, rc;

	n = BIO_get_mem_data(pem, &data);
	rc = sohoa_buf_addf(&path, "%s/%s", dir, name);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&tmp, "%s.tmp-XXXXXX", path.buf);
	if (rc != SOHOA_OK)
		goto out;
	if (!force && access(path.buf, F_OK) == 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "'%s' already exists (pass --force to replace it)",
		    path.buf);
		goto out;
	}
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot create '%s': %s",
		    tmp.buf, strerror(errno));
		sohoa_buf_reset(&tmp);
		goto out;
	}
	if (fchmod(fd, mode) != 0 ||
	    write(fd, data, (size_t)n) != (ssize_t)n || fsync(fd) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    tmp.buf, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s': %s",
		    tmp.buf, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, path.buf) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot rename '%s': %s",
		    tmp.buf, strerror(errno));
		goto out;
	}
	sohoa_buf_reset(&tmp);
out:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.buf);
	sohoa_buf_release(&tmp);
	sohoa_buf_release(&path);
	return rc;
}

int
sohoa_bundle_keygen(struct sohoa_ctx *ctx, const char *dir, const char *cn,
    const char *org, unsigned flags, struct sohoa_buf *psubject)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	X509_NAME *name;
	BIGNUM *serial = NULL;
	BIO *kbio = NULL, *cbio = NULL;
	int rc = SOHOA_OK, force = (flags & SOHOA_KEYGEN_FORCE) != 0;

	if (cn == NULL || *cn == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "the certificate needs a common name (--cn NAME)");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot create '%s': %s", dir, strerror(errno));
	if (flags & SOHOA_KEYGEN_EC)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	if (key == NULL) {
		rc = bundle_ssl_error(ctx, "cannot make a key");
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
		rc = bundle_ssl_error(ctx, "cannot make the certificate");
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
		rc = bundle_ssl_error(ctx, "cannot set the certificate's subject");
		goto out;
	}
	if (!add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(cert, NID_key_usage,
	    "critical,digitalSignature,nonRepudiation") ||
	    !add_ext(cert, NID_subject_key_identifier, "hash") ||
	    !add_ext(cert, NID_authority_key_identifier, "keyid:always") ||
	    !X509_sign(cert, key, EVP_sha256())) {
		rc = bundle_ssl_error(ctx, "cannot sign the certificate");
		goto out;
	}
	kbio = BIO_new(BIO_s_mem());
	cbio = BIO_new(BIO_s_mem());
	if (kbio == NULL || cbio == NULL ||
	    !PEM_write_bio_PrivateKey(kbio, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(cbio, cert)) {
		rc = bundle_ssl_error(ctx, "cannot encode the key");
		goto out;
	}
	if (!force) {
		struct sohoa_buf p = SOHOA_BUF_INIT;

		/* check both first, so that no half pair is left behind */
		sohoa_buf_addf(&p, "%s/cert.pem", dir);
		if (access(p.buf, F_OK) == 0)
			rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "'%s' already exists (pass --force to replace it)",
			    p.buf);
		sohoa_buf_release(&p);
		if (rc != SOHOA_OK)
			goto out;
	}
	rc = write_pem(ctx, dir, "key.pem", kbio, 0600, force);
	if (rc == SOHOA_OK)
		rc = write_pem(ctx, dir, "cert.pem", cbio, 0644, 1);
	if (rc == SOHOA_OK && psubject != NULL)
		rc = bundle_x509_name(X509_get_subject_name(cert), psubject);
out:
	BIO_free(kbio);
	BIO_free(cbio);
	BN_free(serial);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int
bundle_cms_sign(struct sohoa_ctx *ctx, EVP_PKEY *key, X509 *cert,
    STACK_OF(X509) *chain, const void *data, size_t len,
    struct sohoa_buf *out)
{
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL, *der = NULL;
	char *p;
	long n;
	int rc = SOHOA_OK;

	if (X509_check_private_key(cert, key) != 1) {
		rc = bundle_ssl_error(ctx,
		    "the key does not match the certificate");
		goto out;
	}
	in = BIO_new_mem_buf(data, (int)len);
	der = BIO_new(BIO_s_mem());
	if (in == NULL || der == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	/* signed attributes carry the signing time and the content digest */
	cms = CMS_sign(cert, key, chain, in, CMS_DETACHED | CMS_BINARY);
	if (cms == NULL || i2d_CMS_bio(der, cms) != 1) {
		rc = bundle_ssl_error(ctx, "cannot sign the manifest");
		goto out;
	}
	n = BIO_get_mem_data(der, &p);
	rc = sohoa_buf_add(out, p, (size_t)n);
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(der);
	return rc;
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
