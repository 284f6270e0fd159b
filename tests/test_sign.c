/*
 * Tests of the signer (sign/): keys and certificates from PEM files (RSA
 * and EC demo pairs made by sohoa_signer_keygen), the one-line errors for
 * files that are missing, not keys, protected by a passphrase or not
 * matching the certificate, and what each CMS profile signs: both verify
 * with OpenSSL against the certificate and carry ESS
 * signing-certificate-v2; a bundle's carries signing-time = WHEN, a PDF's
 * (PAdES B-B) none.  A signature fed in pieces verifies like one made in
 * one call.  PKCS#11 URIs that are refused before any token is touched.
 * Tokens themselves are tested in cli_token.sh (SoftHSM2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/sign.h"
#include "check.h"

static char dir[] = "/tmp/sohoa-test-sign-XXXXXX";
static struct sohoa_ctx *ctx;

static const char *
at(const char *rel)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, rel);
	return buf[k];
}

static X509 *
read_cert(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

/*
 * Check DER, a detached CMS over DATA, against the certificate in
 * CERT_PEM as trust anchor; then what its signed attributes are.
 * *PTIME is the signing time, or -1 when there is none.
 */
static void
check_cms(const struct sohoa_buf *der, const char *data, size_t len,
    const char *cert_pem, time_t *ptime)
{
	BIO *sig = BIO_new_mem_buf(der->buf, (int)der->len);
	BIO *content = BIO_new_mem_buf(data, (int)len);
	X509_STORE *store = X509_STORE_new();
	X509 *anchor = read_cert(cert_pem);
	CMS_ContentInfo *cms = sig ? d2i_CMS_bio(sig, NULL) : NULL;
	CMS_SignerInfo *si;
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *t;
	struct tm tm;
	int i;

	*ptime = -1;
	CHECK(cms != NULL && anchor != NULL && store != NULL);
	if (cms == NULL || anchor == NULL || store == NULL)
		goto out;
	X509_STORE_add_cert(store, anchor);
	CHECK_INT_EQ(1, CMS_verify(cms, NULL, store, content, NULL,
	    CMS_BINARY));
	ERR_print_errors_fp(stderr);
	CHECK(CMS_is_detached(cms) == 1);
	CHECK_INT_EQ(1, sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)));
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	CHECK(CMS_signed_get_attr_by_NID(si,
	    NID_id_smime_aa_signingCertificateV2, -1) >= 0);
	CHECK(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) >=
	    0);
	CHECK(CMS_signed_get_attr_by_NID(si, NID_SMIMECapabilities, -1) < 0);
	i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (i >= 0) {
		attr = CMS_signed_get_attr(si, i);
		t = X509_ATTRIBUTE_get0_type(attr, 0);
		if (t != NULL && ASN1_TIME_to_tm((const ASN1_TIME *)
		    t->value.asn1_string, &tm) == 1)
			*ptime = timegm(&tm);
	}
out:
	CMS_ContentInfo_free(cms);
	X509_free(anchor);
	X509_STORE_free(store);
	BIO_free(sig);
	BIO_free(content);
}

static void
test_profiles(const char *name, unsigned flags)
{
	static const char data[] = "<mets:mets>một hồ sơ</mets:mets>\n";
	struct sohoa_signer *s = NULL;
	struct sohoa_sign_cms *c = NULL;
	struct sohoa_buf der = SOHOA_BUF_INIT, subject = SOHOA_BUF_INIT;
	char keys[64], key[600], cert[600];
	time_t when = 1795498205, t;	/* 2026-11-24T05:30:05Z */

	snprintf(keys, sizeof(keys), "%s", name);
	snprintf(key, sizeof(key), "%s/key.pem", at(keys));
	snprintf(cert, sizeof(cert), "%s/cert.pem", at(keys));
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_keygen(ctx, at(keys),
	    "UBND xã Tân Lập", "UBND huyện Tân Lập", flags, &subject));
	CHECK_STR_EQ("CN=UBND xã Tân Lập, O=UBND huyện Tân Lập, C=VN",
	    subject.buf);
	CHECK_INT_EQ(SOHOA_OK, sohoa_signer_load(ctx, key, cert, NULL, &s));
	if (s == NULL) {
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
		goto out;
	}
	CHECK_STR_EQ(subject.buf, sohoa_signer_subject(s));

	/* a bundle's: signing time = WHEN */
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms(ctx, s, SOHOA_SIGN_CMS, when,
	    data, sizeof(data) - 1, &der));
	CHECK(der.len > 0 && der.len <= sohoa_signer_max_size(s));
	check_cms(&der, data, sizeof(data) - 1, cert, &t);
	CHECK_INT_EQ(when, t);

	/* a PDF's (PAdES B-B): no signing time, made in pieces */
	sohoa_buf_reset(&der);
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms_begin(ctx, s, SOHOA_SIGN_PADES,
	    when, &c));
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms_update(c, data, 5));
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms_update(c, data + 5, 0));
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms_update(c, data + 5,
	    sizeof(data) - 1 - 5));
	CHECK_INT_EQ(SOHOA_OK, sohoa_sign_cms_finish(c, &der));
	sohoa_sign_cms_destroy(&c);
	CHECK(c == NULL);
	check_cms(&der, data, sizeof(data) - 1, cert, &t);
	CHECK_INT_EQ(-1, t);
	/* and over other bytes it does not verify */
	{
		BIO *sig = BIO_new_mem_buf(der.buf, (int)der.len);
		BIO *other = BIO_new_mem_buf("x", 1);
		CMS_ContentInfo *cms = d2i_CMS_bio(sig, NULL);

		CHECK(cms != NULL && CMS_verify(cms, NULL, NULL, other, NULL,
		    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1);
		ERR_clear_error();
		CMS_ContentInfo_free(cms);
		BIO_free(sig);
		BIO_free(other);
	}
out:
	sohoa_signer_destroy(&s);
	CHECK(s == NULL);
	sohoa_buf_release(&der);
	sohoa_buf_release(&subject);
}

/* A file with TEXT in it. */
static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_load_errors(void)
{
	struct sohoa_signer *s = NULL;
	struct sohoa_buf cmd = SOHOA_BUF_INIT;
	char rsa_key[600], rsa_cert[600], ec_key[600], enc[600];
	const char *msg;

	snprintf(rsa_key, sizeof(rsa_key), "%s", at("rsa/key.pem"));
	snprintf(rsa_cert, sizeof(rsa_cert), "%s", at("rsa/cert.pem"));
	snprintf(ec_key, sizeof(ec_key), "%s", at("ec/key.pem"));
	snprintf(enc, sizeof(enc), "%s", at("enc.pem"));

	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_signer_load(ctx, at("none.pem"),
	    rsa_cert, NULL, &s));
	CHECK(strstr(sohoa_errmsg(ctx), "cannot open key") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_signer_load(ctx, rsa_key,
	    at("none.pem"), NULL, &s));
	CHECK_INT_EQ(SOHOA_ERR_CRYPTO, sohoa_signer_load(ctx, rsa_cert,
	    rsa_cert, NULL, &s));
	CHECK(strstr(sohoa_errmsg(ctx), "holds no private key") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_CRYPTO, sohoa_signer_load(ctx, rsa_key,
	    rsa_key, NULL, &s));
	CHECK(strstr(sohoa_errmsg(ctx), "no PEM certificate") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_signer_load(ctx, rsa_key, NULL,
	    NULL, &s));
	CHECK(s == NULL);

	/* the other pair's key: one plain line naming the certificate */
	CHECK_INT_EQ(SOHOA_ERR_CRYPTO, sohoa_signer_load(ctx, ec_key,
	    rsa_cert, NULL, &s));
	msg = sohoa_errmsg(ctx);
	CHECK(strncmp(msg, "the key does not match the certificate in '",
	    43) == 0);
	CHECK(strchr(msg, '\n') == NULL && strstr(msg, "routines") == NULL);
	CHECK(s == NULL);

	/* a passphrase is never asked: the key is refused, saying why */
	sohoa_buf_addf(&cmd, "openssl pkey -in '%s' -aes256 -passout pass:x "
	    "-out '%s'", rsa_key, enc);
	CHECK_INT_EQ(0, system(cmd.buf));
	CHECK_INT_EQ(SOHOA_ERR_CRYPTO, sohoa_signer_load(ctx, enc, rsa_cert,
	    NULL, &s));
	CHECK(strstr(sohoa_errmsg(ctx), "protected by a passphrase") != NULL);
	put(at("junk.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
	    "-----END PRIVATE KEY-----\n");
	CHECK_INT_EQ(SOHOA_ERR_CRYPTO, sohoa_signer_load(ctx,
	    at("junk.pem"), rsa_cert, NULL, &s));
	CHECK(ERR_peek_error() == 0);	/* the queue is left empty */
	sohoa_buf_release(&cmd);
}

/* URIs refused before any module or token is touched. */
static void
test_uris(void)
{
	static const struct { const char *uri, *want; } bad[] = {
		{ "pkcs11:token=a;object=b;pin-value=1234",
		    "the PIN must not be in the PKCS#11 URI" },
		{ "pkcs11:token=a?pin-source=file:/etc/pin",
		    "the PIN must not be in the PKCS#11 URI" },
		{ "pkcs11:token=a%2", "bad %-escape" },
		{ "pkcs11:token=a%zz", "bad %-escape" },
		{ "pkcs11:token=a%00b", "bad %-escape" },
		{ "pkcs11:object", "no NAME=VALUE" },
		{ "pkcs11:slot-id=3", "not supported" },
		{ "pkcs11:token=a?module-name=softhsm2", "unknown query" },
		{ "pkcs11:token=a;type=cert", "names a 'cert' object" },
		{ "pkcs11:token=a?module-path=/nonexistent/p11.so",
		    "cannot read the PKCS#11 module '/nonexistent/p11.so'" },
	};
	struct sohoa_signer *s = NULL;
	size_t i;
	int rc;

	CHECK_INT_EQ(1, sohoa_signer_is_token("pkcs11:token=a"));
	CHECK_INT_EQ(1, sohoa_signer_is_token("PKCS11:token=a"));
	CHECK_INT_EQ(0, sohoa_signer_is_token("keys/key.pem"));
	CHECK_INT_EQ(0, sohoa_signer_is_token(NULL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = sohoa_signer_load(ctx, bad[i].uri, NULL, NULL, &s);
		CHECK(rc != SOHOA_OK);
		CHECK(s == NULL);
		if (strstr(sohoa_errmsg(ctx), bad[i].want) == NULL) {
			fprintf(stderr, "'%s': '%s'\n", bad[i].uri,
			    sohoa_errmsg(ctx));
			CHECK(!"the reason for a bad URI");
		}
	}
}

int
main(void)
{
	char cmd[600];

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL || mkdtemp(dir) == NULL)
		return 1;
	test_profiles("rsa", 0);
	test_profiles("ec", SOHOA_KEYGEN_EC);
	test_load_errors();
	test_uris();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_sign");
}
