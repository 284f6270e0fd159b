/*
 * The archive's trusted signers: certificates whose bundles import
 * without --untrusted.  An entry is either a signer's own certificate
 * (pinned by its SHA-256 fingerprint) or a CA certificate that issued
 * signers' certificates (the chain the bundle carries must verify up to
 * it).  A bundle checks out by itself (sohoa_bundle_open); whether this
 * archive takes its word is decided here.
 *
 *   sohoa_trust_add       read a certificate file, add it to the list
 *   sohoa_trust_check     is a bundle's signer trusted
 *
 * The rows are kept by index/trusted.c (sohoa_archive_trusted_*).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "sohoa/archive.h"
#include "bundle_private.h"

static int
asn1_time(const ASN1_TIME *t, struct sohoa_buf *out)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return sohoa_buf_adds(out, "");
	return sohoa_buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

/* "ab:cd:…" groups for people to compare over the phone. */
static int
pretty_fingerprint(const char *hex, struct sohoa_buf *out)
{
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; hex[i] && hex[i + 1] && rc == SOHOA_OK; i += 2)
		rc = sohoa_buf_addf(out, "%s%c%c", i ? ":" : "", hex[i],
		    hex[i + 1]);
	return rc;
}
int
sohoa_trust_add(struct sohoa_archive *a, const char *pem_path,
    struct sohoa_trusted_info *pinfo)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_buf fp = SOHOA_BUF_INIT, subject = SOHOA_BUF_INIT;
	struct sohoa_buf issuer = SOHOA_BUF_INIT, until = SOHOA_BUF_INIT;
	struct sohoa_buf pem = SOHOA_BUF_INIT;
	struct sohoa_trusted t;
	X509 *cert = NULL;
	BIO *in = NULL, *mem = NULL;
	BUF_MEM *bm;
	int rc = SOHOA_OK;

	in = BIO_new_file(pem_path, "rb");
	if (in == NULL) {
		ERR_clear_error();
		return sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read '%s'",
		    pem_path);
	}
	cert = PEM_read_bio_X509(in, NULL, NULL, NULL);
	if (cert == NULL) {
		ERR_clear_error();
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "'%s' holds no PEM"
		    " certificate", pem_path);
		goto out;
	}
	memset(&t, 0, sizeof(t));
	t.is_ca = X509_check_ca(cert) > 0 &&
	    (X509_get_extension_flags(cert) & EXFLAG_CA);
	mem = BIO_new(BIO_s_mem());
	if (mem == NULL || PEM_write_bio_X509(mem, cert) != 1 ||
	    bundle_x509_fingerprint(cert, &fp) != SOHOA_OK ||
	    bundle_x509_name(X509_get_subject_name(cert), &subject) !=
	    SOHOA_OK ||
	    bundle_x509_name(X509_get_issuer_name(cert), &issuer) != SOHOA_OK ||
	    asn1_time(X509_get0_notAfter(cert), &until) != SOHOA_OK) {
		rc = bundle_ssl_error(ctx, "cannot read the certificate");
		goto out;
	}
	BIO_get_mem_ptr(mem, &bm);
	if (sohoa_buf_add(&pem, bm->data, bm->length) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	t.fingerprint = fp.buf;
	t.subject = subject.buf;
	t.issuer = issuer.buf;
	t.not_after = until.buf;
	t.pem = pem.buf;
	rc = sohoa_archive_trusted_add(a, &t, &pinfo->added);
	if (rc == SOHOA_OK) {
		pinfo->is_ca = t.is_ca;
		pretty_fingerprint(fp.buf, &pinfo->fingerprint);
		sohoa_buf_add(&pinfo->subject, subject.buf, subject.len);
		sohoa_buf_add(&pinfo->not_after, until.buf, until.len);
	}
out:
	X509_free(cert);
	BIO_free(in);
	BIO_free(mem);
	sohoa_buf_release(&fp);
	sohoa_buf_release(&subject);
	sohoa_buf_release(&issuer);
	sohoa_buf_release(&until);
	sohoa_buf_release(&pem);
	return rc;
}

void
sohoa_trusted_info_init(struct sohoa_trusted_info *info)
{
	memset(info, 0, sizeof(*info));
	sohoa_buf_init(&info->fingerprint);
	sohoa_buf_init(&info->subject);
	sohoa_buf_init(&info->not_after);
}

void
sohoa_trusted_info_release(struct sohoa_trusted_info *info)
{
	sohoa_buf_release(&info->fingerprint);
	sohoa_buf_release(&info->subject);
	sohoa_buf_release(&info->not_after);
}

struct load {
	const char *fp;		/* the bundle signer's fingerprint */
	X509_STORE *store;
	int direct;		/* the signer's own certificate is listed */
	int ncas;
};

/* Add every trusted CA to the store; note a pin of the signer itself. */
static int
load_one(void *arg, const struct sohoa_trusted *t)
{
	struct load *l = arg;
	BIO *bio;
	X509 *c;

	if (strcmp(t->fingerprint, l->fp) == 0)
		l->direct = 1;
	if (!t->is_ca)
		return 0;
	bio = BIO_new_mem_buf(t->pem, -1);
	c = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	if (c != NULL && X509_STORE_add_cert(l->store, c) == 1)
		l->ncas++;
	X509_free(c);
	BIO_free(bio);
	ERR_clear_error();
	return 0;
}

int
sohoa_trust_check(struct sohoa_archive *a, const struct sohoa_bundle *b,
    int *ptrusted, struct sohoa_buf *why)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	const struct cms_info *si = &b->sig;
	struct sohoa_buf pretty = SOHOA_BUF_INIT;
	X509_STORE *store = NULL;
	X509_STORE_CTX *sctx = NULL;
	struct load l;
	int rc, err = 0;

	*ptrusted = 0;
	if (si->cert == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_INVALID, "bundle '%s' has"
		    " no signer certificate", b->path.buf);
	store = X509_STORE_new();
	sctx = X509_STORE_CTX_new();
	if (store == NULL || sctx == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	memset(&l, 0, sizeof(l));
	l.fp = si->fingerprint.buf;
	l.store = store;
	rc = sohoa_archive_trusted_list(a, load_one, &l);
	if (rc != SOHOA_OK || l.direct) {
		*ptrusted = l.direct;
		goto out;
	}
	if (l.ncas > 0) {
		/* a trusted intermediate CA is an anchor of its own */
		X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
		if (X509_STORE_CTX_init(sctx, store, si->cert, si->certs) != 1) {
			rc = bundle_ssl_error(ctx, "cannot check the signer");
			goto out;
		}
		X509_STORE_CTX_set_purpose(sctx, X509_PURPOSE_SMIME_SIGN);
		if (X509_verify_cert(sctx) == 1) {
			*ptrusted = 1;
			goto out;
		}
		err = X509_STORE_CTX_get_error(sctx);
		ERR_clear_error();
	}
	pretty_fingerprint(si->fingerprint.buf, &pretty);
	sohoa_buf_addf(why, "it is signed by '%s' (%s%s%s), certificate"
	    " SHA-256 %s, which this archive does not trust", si->signer.buf,
	    si->self_signed ? "self-signed" : "issued by '",
	    si->self_signed ? "" : si->issuer.buf,
	    si->self_signed ? "" : "'", pretty.buf);
	if (err != 0)
		sohoa_buf_addf(why, " (%s)", X509_verify_cert_error_string(err));
out:
	X509_STORE_CTX_free(sctx);
	X509_STORE_free(store);
	sohoa_buf_release(&pretty);
	return rc;
}
