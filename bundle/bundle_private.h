/*
 * Shared inside bundle/: OpenSSL helpers for verifying (signing is
 * sohoa/sign.h's), the member list of a package, XML escaping, and the
 * bundle handle.
 */
#ifndef SOHOA_BUNDLE_PRIVATE_H
#define SOHOA_BUNDLE_PRIVATE_H

#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sohoa/bundle.h"
#include "sohoa/tmp.h"


#define PKG_SIG_EARK "METS.xml.p7s"
#define PKG_SIG_BAGIT "tagmanifest-sha256.txt.p7s"
/* Machine-readable copy of the archive rows, read back by import. */
#define PKG_SOHOA_JSON "metadata/other/sohoa.json"

/* ---- crypto.c --------------------------------------------------------- */

/*
 * Record the OpenSSL error queue on CTX as "WHAT: <its first reason>",
 * draining it; returns SOHOA_ERR_CRYPTO.
 */
int bundle_ssl_error(struct sohoa_ctx *ctx, const char *what);

/* One-line RFC 2253-ish subject of CERT ("CN=…, O=…") appended to OUT. */
int bundle_x509_name(const X509_NAME *name, struct sohoa_buf *out);

struct cms_info {
	struct sohoa_buf signer;
	struct sohoa_buf issuer;
	struct sohoa_buf signed_at;
	struct sohoa_buf fingerprint;	/* SHA-256 of the signer's DER cert */
	int self_signed;
	int trusted;
	X509 *cert;			/* the signer's certificate (owned) */
	STACK_OF(X509) *certs;		/* every certificate the CMS carries */
};

void cms_info_init(struct cms_info *ci);
void cms_info_release(struct cms_info *ci);

/*
 * Check the DER CMS signature SIG over DATA.  With CA_PEM, the signer's
 * chain must also verify against it (SOHOA_ERR_INVALID "untrusted
 * signer: …" otherwise).  A bad signature is SOHOA_ERR_INVALID.
 */
int bundle_cms_verify(struct sohoa_ctx *ctx, const void *sig, size_t siglen,
    const void *data, size_t len, const char *ca_pem, struct cms_info *info);

/* Hex SHA-256 of CERT's DER encoding appended to OUT. */
int bundle_x509_fingerprint(X509 *cert, struct sohoa_buf *out);

/* A random UUID v4 appended to OUT. */
int bundle_uuid(struct sohoa_buf *out);

/* ---- xml.c: escaping and the tiny reader of our own METS ---- */

/* Append S XML-escaped (&<>"') to OUT. */
int xml_esc(struct sohoa_buf *out, const char *s);
/* <TAG>escaped value</TAG> on its own line with INDENT tabs. */
int xml_elem(struct sohoa_buf *out, int indent, const char *tag,
    const char *value);

/*
 * Find the next start tag named TAG (e.g. "mets:file") at or after *POS in
 * XML.  Returns 1 and sets *pstart and *pend around the tag's attributes
 * (between the name and '>'), advancing *POS past it; 0 when none.
 */
int xml_next_tag(const char *xml, size_t len, size_t *pos, const char *tag,
    size_t *pstart, size_t *pend);
/*
 * Value of attribute NAME in the attribute text [START, END) of a tag,
 * unescaped, into OUT (reset first).  Returns 1 when present.
 */
int xml_attr(const char *xml, size_t start, size_t end, const char *name,
    struct sohoa_buf *out);

/* ---- the bundle handle (verify.c) ------------------------------------- */

struct bundle_member {
	char *name;		/* path inside the bundle, '/'-separated */
	uint64_t size;
	char sha256[65];
	int listed;		/* found in the manifest */
	int seen;		/* in the BagIt manifest being read: twice is
				   invalid (payload and tag paths differ) */
};

struct sohoa_bundle {
	struct sohoa_ctx *ctx;
	struct sohoa_buf path;		/* the bundle file */
	struct sohoa_tmp tmpdir;	/* private extraction directory, held */
	struct sohoa_buf root;		/* top folder inside the bundle */
	struct sohoa_buf pkgdir;	/* tmpdir/root[/data]: the TT05 tree */
	struct bundle_member *m;
	size_t n, alloc;
	struct cms_info sig;
	struct sohoa_buf reason;
	struct sohoa_buf member;
	struct bundle_member **byname;	/* sorted by name, for lookups */
	struct bundle_member **byhash;	/* sorted by sha256 */
	struct sohoa_bundle_report report;
};

/* The member NAME (exact path in the bundle), or NULL. */
const struct bundle_member *bundle_find(const struct sohoa_bundle *b,
    const char *name);
/* A member whose content has SHA256 (lower-case hex), or NULL. */
const struct bundle_member *bundle_find_hash(const struct sohoa_bundle *b,
    const char *sha256);

#endif
