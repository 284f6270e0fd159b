/*
 * Sharded ingest (a province's backlog on a cluster): which of the walked
 * files are this shard's, and what the shard archive must remember for a
 * merge to number documents as one machine would.
 *
 * A file's shard is decided by the folder holding it, relative to the
 * PATH it was found under ("HS-2019-0042" for backlog/HS-2019-0042/p1.tif,
 * whether the backlog is given as "backlog", "/mnt/nfs/backlog/" or
 * "./backlog"; "" for files right in PATH or given by name): the first 8
 * bytes of that key's SHA-256, read as a big-endian number, modulo N.
 * A folder, not a file: a file whose first page opens no document goes
 * on the last document of the file before it in its folder, and sheets
 * send the files after them to a dossier, so one shard must read all of
 * a folder for the merge to equal one ingest.  A flat backlog (every
 * scan in one folder) is therefore one shard's work: split it into
 * folders, as dossiers are.  It needs no read of the file (a content
 * hash would make every shard read the whole backlog to find its share)
 * and does not depend on where the share is mounted, nor on the order
 * of a listing.  Every shard still walks all the folders (names only),
 * so it knows each of its files' place in the whole walk: the merge
 * replays the shards' files in that order.
 *
 *   sohoa_ingest_shard_of   the shard of a key
 *   ingest_shard_select     keep a shard's share of the walk, recorded
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "sohoa/cluster.h"
#include "ingest_private.h"

/* The rule by which shards share the walk, for the walk's digest. */
#define SHARD_RULE "folder\t"

int
sohoa_ingest_shard_of(const char *key, int nshards)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	uint64_t v = 0;
	int i;

	if (nshards <= 1)
		return 0;
	EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 8; i++)
		v = (v << 8) | md[i];
	return (int)(v % (uint64_t)nshards);
}

/*
 * The path of PATH (as the walk found it) below the first of PATHS it lies
 * under, or its base name when it is one of PATHS itself.  *pgiven gets
 * the index of that PATH (NPATHS when none holds it).
 */
static const char *
rel_path(const char *path, const char *const *paths, size_t npaths,
    size_t *pgiven)
{
	const char *slash;
	size_t i, n;

	for (i = 0; i < npaths; i++) {
		n = strlen(paths[i]);
		if (strcmp(path, paths[i]) == 0) {
			/* a file given by name: its own name */
			while (n > 1 && path[n - 1] == '/')
				n--;
			for (slash = path + n; slash > path && slash[-1] != '/';
			    slash--)
				;
			*pgiven = i;
			return slash;
		}
		if (n > 0 && strncmp(path, paths[i], n) == 0 &&
		    (paths[i][n - 1] == '/' || path[n] == '/')) {
			*pgiven = i;
			return path + n + (path[n] == '/');
		}
	}
	*pgiven = npaths;
	return path;
}

/* The shard key of the relative path REL: its folder ("" when none). */
static int
folder_key(const char *rel, struct sohoa_buf *key)
{
	const char *slash = strrchr(rel, '/');

	sohoa_buf_reset(key);
	return sohoa_buf_add(key, rel, slash != NULL ? (size_t)(slash - rel) :
	    0);
}

int
ingest_shard_select(struct sohoa_archive *a, const char *const *paths,
    size_t npaths, int shard, int nshards, struct inputs *in)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_shard_walk w;
	EVP_MD_CTX *md = NULL;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char hex[SOHOA_SHA256_HEX], num[32];
	const char **mine = NULL;
	size_t *order = NULL, i, n = 0, kept = 0, given;
	struct sohoa_buf key = SOHOA_BUF_INIT;
	const char *rel;
	int rc = SOHOA_OK;

	if (nshards <= 0 || shard < 0 || shard >= nshards)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "shard %d of %d does"
		    " not exist (K/N with 0 <= K < N)", shard, nshards);
	mine = calloc(in->n + 1, sizeof(*mine));
	order = calloc(in->n + 1, sizeof(*order));
	md = EVP_MD_CTX_new();
	if (mine == NULL || order == NULL || md == NULL ||
	    !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	/*
	 * The whole walk, as keys, goes into one digest: shards that saw
	 * the same input have the same one, which the merge checks.  The
	 * rule that shares it out comes first: a shard stopped under
	 * another rule (by file, until 2026-12-06) and resumed under this
	 * one holds files of other shards' folders, and is not of this run.
	 */
	EVP_DigestUpdate(md, SHARD_RULE, strlen(SHARD_RULE));
	for (i = 0; i < in->n; i++) {
		rel = rel_path(in->v[i].path, paths, npaths, &given);
		snprintf(num, sizeof(num), "%zu\t", given);
		EVP_DigestUpdate(md, num, strlen(num));
		EVP_DigestUpdate(md, rel, strlen(rel) + 1);
		if (folder_key(rel, &key) != SOHOA_OK) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
			goto out;
		}
		if (sohoa_ingest_shard_of(key.buf != NULL ? key.buf : "",
		    nshards) != shard)
			continue;
		mine[n] = in->v[i].path;
		order[n++] = i;
	}
	EVP_DigestFinal_ex(md, digest, &dlen);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	memset(&w, 0, sizeof(w));
	w.shard = shard;
	w.nshards = nshards;
	w.digest = hex;
	w.nwalk = in->n;
	w.paths = mine;
	w.order = order;
	w.n = n;
	rc = sohoa_shard_record(a, &w);
	if (rc != SOHOA_OK)
		goto out;
	/* keep this shard's inputs, in walk order */
	for (i = 0; i < in->n; i++) {
		if (kept < n && order[kept] == i) {
			in->v[kept++] = in->v[i];
			continue;
		}
		free(in->v[i].path);
		free(in->v[i].error);
	}
	in->n = kept;
out:
	sohoa_buf_release(&key);
	EVP_MD_CTX_free(md);
	free(mine);
	free(order);
	return rc;
}
