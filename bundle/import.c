/*
 * Import: a verified bundle, whose signer this archive trusts, merged
 * into an archive.  This file answers the bundle's questions (is it
 * valid, who signed it, is that signer trusted here, where is each blob);
 * the rows are merged by the archive (index/archive_import.c), through
 * the rows the bundle carries in metadata/other/sohoa.json, listed and
 * hashed in the signed manifest like every member.
 *
 *   sohoa_bundle_import
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "bundle_private.h"

/* The blobs of one bundle, for the archive's merge. */
struct blobs {
	const struct sohoa_bundle *b;
	struct sohoa_buf path;
};

static const char *
blob_path(void *arg, const char *sha256)
{
	struct blobs *bl = arg;
	const struct bundle_member *m = bundle_find_hash(bl->b, sha256);

	if (m == NULL)
		return NULL;
	sohoa_buf_reset(&bl->path);
	if (sohoa_buf_addf(&bl->path, "%s/%s", bl->b->tmpdir.path.buf,
	    m->name) != SOHOA_OK)
		return NULL;
	return bl->path.buf;
}

/* sohoa.json, read whole (it is the text of a dossier, not its images). */
static int
read_rows(struct sohoa_ctx *ctx, const struct sohoa_bundle *b,
    struct sohoa_buf *out)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	char buf[65536];
	FILE *f;
	size_t n;
	int rc = SOHOA_OK;

	sohoa_buf_addf(&path, "%s/%s", b->pkgdir.buf, PKG_SOHOA_JSON);
	f = fopen(path.buf, "rb");
	if (f == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "bundle '%s' has no"
		    " '%s': it was not made by sohoa", b->path.buf,
		    PKG_SOHOA_JSON);
		goto out;
	}
	while (rc == SOHOA_OK && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = sohoa_buf_add(out, buf, n);
	fclose(f);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "'%s' is too large",
		    PKG_SOHOA_JSON);
out:
	sohoa_buf_release(&path);
	return rc;
}

int
sohoa_bundle_import(struct sohoa_archive *a, const struct sohoa_bundle *b,
    const struct sohoa_import_opts *opts, struct sohoa_import_result *res)
{
	static const struct sohoa_import_opts defaults;
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_import_source src;
	struct sohoa_buf rows = SOHOA_BUF_INIT;
	struct blobs bl;
	char sha[SOHOA_SHA256_HEX];
	int rc, trusted = 0;

	if (opts == NULL)
		opts = &defaults;
	sohoa_import_result_release(res);
	sohoa_import_result_init(res);
	bl.b = b;
	sohoa_buf_init(&bl.path);
	if (!b->report.valid)
		return sohoa_set_error(ctx, SOHOA_ERR_INVALID, "bundle '%s' is not"
		    " valid: %s", b->path.buf, b->reason.buf);
	/* whose word this archive takes is its own decision */
	res->trusted = b->report.trusted;
	if (!res->trusted) {
		rc = sohoa_trust_check(a, b, &trusted, &res->untrusted);
		if (rc != SOHOA_OK)
			goto out;
		res->trusted = trusted;
	}
	if (!res->trusted && !(opts->flags & SOHOA_IMPORT_UNTRUSTED)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_UNTRUSTED, "bundle '%s' was"
		    " not imported: %s (check the fingerprint with the sender,"
		    " then 'sohoa trust add CERT.pem', or import with"
		    " --untrusted)", b->path.buf, res->untrusted.buf);
		goto out;
	}
	rc = sohoa_sha256_file(ctx, b->path.buf, sha);
	if (rc == SOHOA_OK)
		rc = read_rows(ctx, b, &rows);
	if (rc != SOHOA_OK)
		goto out;
	memset(&src, 0, sizeof(src));
	src.path = b->path.buf;
	src.sha256 = sha;
	src.signer = b->report.signer;
	src.fingerprint = b->report.fingerprint;
	src.blob_path = blob_path;
	src.meta_check = sohoa_dossier_meta_check;
	src.arg = &bl;
	rc = sohoa_archive_import(a, rows.buf, rows.len, &src, res);
out:
	sohoa_buf_release(&rows);
	sohoa_buf_release(&bl.path);
	return rc;
}
