/*
 * Signed dossier bundles: one file per hồ sơ that proves itself.
 *
 *   sohoa_dossier_meta_*         dossier metadata (Thông tư 05/2025 EAD.xml)
 *   sohoa_bundle_export          write a signed bundle (E-ARK ZIP or BagIt tar)
 *   sohoa_bundle_open / _close   read and verify a bundle
 *   sohoa_bundle_import          load a verified bundle into an archive
 *
 * Two formats carry the same payload (notes/bundle.md has the layout):
 *   SOHOA_BUNDLE_EARK   ZIP with the Thông tư 05/2025 (E-ARK CSIP) tree:
 *                       METS.xml lists SIZE and SHA-256 of every file and
 *                       METS.xml.p7s is a CMS detached signature over it;
 *   SOHOA_BUNDLE_BAGIT  tar (pax) holding a BagIt 1.0 bag whose data/ is
 *                       that same tree; tagmanifest-sha256.txt.p7s is a CMS
 *                       detached signature over the tag manifest.
 * Both signatures verify with a stock
 *   openssl cms -verify -binary -inform DER -content FILE -in FILE.p7s ...
 *
 * Reading a bundle never trusts it: every entry is checked (paths, types,
 * duplicates, sizes, compression ratio, UTF-8 names) before anything is
 * extracted, extraction goes to a private temporary directory (held while
 * in use, swept by the next verify or import when its holder was killed),
 * and the archive is written only after the whole bundle verified.
 */
#ifndef SOHOA_BUNDLE_H
#define SOHOA_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/buf.h"

struct sohoa_archive;
struct sohoa_signer;

enum sohoa_bundle_format {
	SOHOA_BUNDLE_EARK = 0,	/* ZIP, Thông tư 05/2025 / E-ARK tree */
	SOHOA_BUNDLE_BAGIT,	/* tar, BagIt 1.0 (RFC 8493) */
};

/* "eark" / "bagit" */
const char *sohoa_bundle_format_name(int format);

/* ---- dossier metadata ------------------------------------------------- */

/*
 * The dossier's metadata as exported: what `sohoa dossier set` stored,
 * filled in with values derived from the archive (counts, dates, title)
 * and defaults (confidence level 02 Số hóa ...).  Keys are listed by
 * sohoa_dossier_meta_keys(); values are NFC UTF-8, "" when unset.
 */
struct sohoa_dossier_meta {
	int64_t id;
	char *code;			/* dossiers.code */
	size_t n;
	struct sohoa_dossier_meta_item {
		const char *key;	/* static */
		char *value;		/* owned, never NULL */
		int source;		/* enum sohoa_meta_source */
	} *items;
};

enum sohoa_meta_source {
	SOHOA_META_UNSET = 0,
	SOHOA_META_SET,		/* stored with `sohoa dossier set` */
	SOHOA_META_DERIVED,	/* computed from documents, pages, fields */
	SOHOA_META_DEFAULT,	/* the default value */
};

/* "unset", "set", "derived", "default" */
const char *sohoa_meta_source_name(int source);

/*
 * The known keys in EAD.xml order, NULL-terminated (static).  Each has an
 * EAD element name (sohoa_dossier_meta_element) and a one-line help
 * (sohoa_dossier_meta_help) naming its code list.
 */
const char *const *sohoa_dossier_meta_keys(void);
const char *sohoa_dossier_meta_element(const char *key);
const char *sohoa_dossier_meta_help(const char *key);

/*
 * KEY may be a sohoa key ("paper_file_code") or its EAD.xml element name
 * ("paperFileCode") here and in sohoa_dossier_meta_store.
 *
 * Check VALUE for KEY against its code list or format: SOHOA_ERR_INPUT
 * with a message naming the key and the allowed values when it does not
 * fit; an unknown or derived-only key is SOHOA_ERR_INPUT too.  When
 * PNORM is not NULL the normalised value (dates as DD/MM/YYYY, codes
 * zero-padded, "1" -> "01") is appended to it.
 */
int sohoa_dossier_meta_check(struct sohoa_ctx *ctx, const char *key,
    const char *value, struct sohoa_buf *pnorm);

/*
 * Store KEY=VALUE for dossier ID after sohoa_dossier_meta_check (VALUE
 * "" removes the key).
 */
int sohoa_dossier_meta_store(struct sohoa_archive *a, int64_t id,
    const char *key, const char *value);

/*
 * Load the metadata of dossier ID into *pmeta (free with
 * sohoa_dossier_meta_destroy(&meta)).
 */
int sohoa_dossier_meta_load(struct sohoa_archive *a, int64_t id,
    struct sohoa_dossier_meta **pmeta);
void sohoa_dossier_meta_destroy(struct sohoa_dossier_meta **pmeta);
/* The value of KEY in META ("" when unset or unknown; borrowed). */
const char *sohoa_dossier_meta_value(const struct sohoa_dossier_meta *meta,
    const char *key);

/*
 * Check every value of META and the rules between them (paper_file_code
 * required for a digitized dossier, risk_recovery_status when
 * risk_recovery is 1, start date before end date ...).  Returns SOHOA_OK,
 * or SOHOA_ERR_INPUT with one line per problem in the message, each
 * naming the key and what it allows.
 */
int sohoa_dossier_meta_validate(struct sohoa_ctx *ctx,
    const struct sohoa_dossier_meta *meta);

/* ---- export ----------------------------------------------------------- */

struct sohoa_export_opts {
	const char *dossier;	/* dossier code */
	/*
	 * Who signs (sohoa/sign.h): SIGNER when set, else the PEM files
	 * KEY_PEM and CERT_PEM (the certificate, then any chain) are
	 * loaded for this export.
	 */
	const struct sohoa_signer *signer;
	const char *key_pem;
	const char *cert_pem;
	int format;		/* enum sohoa_bundle_format */
	const char *out_path;	/* NULL: "<code>.zip" / "<code>.tar" in the cwd */
	int sign_pdfs;		/* add a PAdES signature to each document's PDF */
	const char *office;	/* office name shown in the PDF signature */
	unsigned flags;		/* SOHOA_OUTPUT_FORCE: replace OUT_PATH */
};

/* What an export made. */
struct sohoa_export_result {
	struct sohoa_buf path;		/* the bundle written */
	char sha256[65];		/* of the whole bundle file */
	struct sohoa_buf signer;	/* subject of the signing certificate */
	size_t nfiles;			/* members listed in the manifest */
	uint64_t bytes;			/* size of the bundle file */
};

/* Prepare R for sohoa_bundle_export; free its buffers with _release. */
void sohoa_export_result_init(struct sohoa_export_result *r);
void sohoa_export_result_release(struct sohoa_export_result *r);

/*
 * Write the signed bundle of dossier OPTS->dossier from archive A.  The
 * dossier metadata must validate (sohoa_dossier_meta_validate) and every
 * document must have its PDF in the store.  Blobs are streamed from the
 * store (memory stays bounded by the text of the dossier, not by its
 * images), each checked against its SHA-256 as it is copied.  The bundle
 * is written to OUT.tmp-XXXXXX, fsync'ed and renamed to OUT, so OUT is
 * either the complete bundle or untouched.  The export is recorded in the
 * archive's exports table.  RESULT is filled on success.
 */
int sohoa_bundle_export(struct sohoa_archive *a,
    const struct sohoa_export_opts *opts, struct sohoa_export_result *result);

/* ---- reading and verifying -------------------------------------------- */

/* Limits on what a bundle may hold; zero fields take the defaults. */
struct sohoa_bundle_limits {
	uint64_t max_entry;	/* bytes of one member: 4 GiB */
	uint64_t max_total;	/* bytes of all members: 64 GiB */
	uint64_t max_entries;	/* members: 200000 */
	uint64_t max_ratio;	/* total size / bundle file size: 100 */
	uint64_t ratio_floor;	/* ratio not checked below this total: 16 MiB */
};

/* A bundle that was read and verified. */
struct sohoa_bundle;

/* What verification found. */
struct sohoa_bundle_report {
	int format;		/* enum sohoa_bundle_format */
	int valid;		/* 1 when everything checked out */
	size_t nfiles;		/* members checked against the manifest */
	uint64_t bytes;		/* their total size */
	const char *root;	/* the package's top folder in the bundle */
	const char *signer;	/* subject of the signing certificate */
	const char *issuer;	/* its issuer */
	const char *signed_at;	/* signing time (ISO 8601 UTC) or "" */
	const char *fingerprint; /* SHA-256 of the signer's certificate, hex */
	int self_signed;	/* the signer's certificate is self-signed */
	int trusted;		/* chain checked against the CA file and good */
	const char *reason;	/* why it is not valid ("" when valid) */
	const char *member;	/* the member the reason is about, or "" */
};

/*
 * Read the bundle at PATH and verify it: entry safety, structure, every
 * checksum, the CMS signature, and, when CA_PEM is not NULL, the signer's
 * certificate chain against the certificates in CA_PEM.  LIMITS may be
 * NULL (defaults).
 *
 * Returns SOHOA_OK with *pbundle set when the bundle is valid; the report
 * (sohoa_bundle_report) and the extracted files stay available until
 * sohoa_bundle_close(&bundle), which removes the temporary directory.
 * A bundle that is not valid is SOHOA_ERR_INVALID, with the message
 * "bundle 'x.zip' is not valid: <reason>" on CTX; *pbundle is still set
 * so the caller can read the report, and must be closed.  Other codes
 * (SOHOA_ERR_IO, SOHOA_ERR_NOMEM ...) leave *pbundle NULL.
 */
int sohoa_bundle_open(struct sohoa_ctx *ctx, const char *path,
    const char *ca_pem, const struct sohoa_bundle_limits *limits,
    struct sohoa_bundle **pbundle);
/*
 * Like sohoa_bundle_open, for importing into archive A (messages on A's
 * context): the bundle is extracted under A's store/tmp, on the store's
 * file system and never in $TMPDIR, where a killed import would leave
 * citizens' scans for anyone to read.  What killed verifies and imports
 * left there and in $TMPDIR is removed first.  sohoa_bundle_open itself
 * extracts into $TMPDIR, in a folder held while the bundle is open and
 * removed by the next open once its holder is gone.
 */
int sohoa_bundle_open_import(struct sohoa_archive *a, const char *path,
    const char *ca_pem, const struct sohoa_bundle_limits *limits,
    struct sohoa_bundle **pbundle);
/* Remove the extracted files and free B; NULL-safe, sets *pbundle NULL. */
void sohoa_bundle_close(struct sohoa_bundle **pbundle);
/* What verification found (borrowed: valid until sohoa_bundle_close). */
const struct sohoa_bundle_report *sohoa_bundle_report(
    const struct sohoa_bundle *b);

/*
 * Shortcut: open, verify and close.  The result is the return code
 * (SOHOA_OK, SOHOA_ERR_INVALID ...) and CTX's message.
 */
int sohoa_bundle_verify(struct sohoa_ctx *ctx, const char *path,
    const char *ca_pem);

/* ---- repair ----------------------------------------------------------- */

struct sohoa_check_result;

/*
 * Restore, from the valid bundle B, every blob R lists as missing or
 * damaged that B carries (matched by SHA-256; see sohoa_records_check);
 * those problems are marked repaired.  *phealed counts them.
 */
int sohoa_bundle_heal(struct sohoa_archive *a, const struct sohoa_bundle *b,
    struct sohoa_check_result *r, size_t *phealed);

/* ---- trusted signers ------------------------------------------------ */

/* What sohoa_trust_add added. */
struct sohoa_trusted_info {
	struct sohoa_buf fingerprint;	/* "ab:cd:...", as people compare it */
	struct sohoa_buf subject;
	struct sohoa_buf not_after;
	int is_ca;
	int added;			/* 0: it was trusted already */
};

void sohoa_trusted_info_init(struct sohoa_trusted_info *info);
void sohoa_trusted_info_release(struct sohoa_trusted_info *info);

/*
 * Trust the certificate in the PEM file PEM_PATH (its first one) for
 * bundles imported into A: a signer's own certificate, or a CA whose
 * certificates' bundles are then trusted.  Recorded in the history.
 * sohoa_archive_trusted_list / _remove list and remove them.
 */
int sohoa_trust_add(struct sohoa_archive *a, const char *pem_path,
    struct sohoa_trusted_info *pinfo);

/*
 * Is the signer of the valid bundle B trusted by A: its certificate is
 * listed, or its chain (as the bundle carries it) verifies to a listed
 * CA?  *ptrusted gets 1 or 0; when 0, WHY gets one line naming the
 * signer, its issuer and its certificate's fingerprint.
 */
int sohoa_trust_check(struct sohoa_archive *a, const struct sohoa_bundle *b,
    int *ptrusted, struct sohoa_buf *why);

/* ---- import ----------------------------------------------------------- */

enum sohoa_import_flags {
	SOHOA_IMPORT_UNTRUSTED = 1 << 0,	/* take a signer not trusted */
};

struct sohoa_import_opts {
	unsigned flags;		/* enum sohoa_import_flags */
};

/*
 * Merge the valid bundle B into archive A.  The bundle's signer must be
 * trusted by A (sohoa_trust_check, or the CA given to sohoa_bundle_open)
 * unless OPTS has SOHOA_IMPORT_UNTRUSTED: otherwise SOHOA_ERR_UNTRUSTED,
 * naming the signer and the certificate's fingerprint.  OPTS may be NULL.
 *
 * Blobs go to the content store first (content-addressed, so a blob left
 * by an interrupted import is harmless), then everything is written in
 * one transaction.  The archive's records win unless the bundle's are
 * newer: a document the archive lacks is added to the bundle's dossier
 * (after its documents, keeping its number when free); a document it has
 * (same file and first page) takes a field value only when a person set
 * it later than the archive's value was set, and keeps every other
 * value, reporting the difference as a conflict; nothing is deleted, a
 * document filed in another dossier is not moved, a deleted one is not
 * brought back.  Every value taken is in the history with the bundle as
 * its source.  Importing the same bundle again changes nothing.
 */
int sohoa_bundle_import(struct sohoa_archive *a, const struct sohoa_bundle *b,
    const struct sohoa_import_opts *opts, struct sohoa_import_result *result);

#endif
