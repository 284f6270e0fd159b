/*
 * A bundle as a good copy for repair: a blob the archive has lost or
 * holds damaged is taken from the bundle's member of the same SHA-256.
 * The hash is the proof, so whoever signed the bundle does not matter.
 */
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/records.h"
#include "bundle_private.h"

int
sohoa_bundle_heal(struct sohoa_archive *a, const struct sohoa_bundle *b,
    struct sohoa_check_result *r, size_t *phealed)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	const struct bundle_member *m;
	size_t i;
	int rc = SOHOA_OK, healed;

	*phealed = 0;
	for (i = 0; rc == SOHOA_OK && i < r->nproblems; i++) {
		struct sohoa_check_problem *p = &r->problems[i];

		if (p->repaired || p->sha256 == NULL ||
		    (m = bundle_find_hash(b, p->sha256)) == NULL)
			continue;
		sohoa_buf_reset(&path);
		sohoa_buf_addf(&path, "%s/%s", b->tmpdir.path.buf, m->name);
		rc = sohoa_store_heal(a, path.buf, p->sha256, &healed);
		if (rc == SOHOA_OK && healed) {
			p->repaired = 1;
			(*phealed)++;
		}
	}
	sohoa_buf_release(&path);
	return rc;
}
