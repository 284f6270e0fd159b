/*
 * Fuzz target for the bundle reader: the input is a bundle file (ZIP or
 * tar) as received from another office.  sohoa_bundle_open() checks the
 * entries, extracts them to a private directory, checks the manifest,
 * the checksums and the CMS signature.  Any answer is fine (valid, not
 * valid, I/O error) as long as it comes with a message, a not-valid
 * bundle has a reason, and nothing crashes, leaks or leaves files behind.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sohoa/sohoa.h"
#include "sohoa/bundle.h"
#include "fuzz_common.h"

static struct sohoa_ctx *ctx;
static char *path;

/* Small limits, so that a bomb is refused quickly rather than unpacked. */
static const struct sohoa_bundle_limits limits = {
	.max_entry = 8u << 20,
	.max_total = 32u << 20,
	.max_entries = 2000,
	.max_ratio = 100,
	.ratio_floor = 1u << 20,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL)
		abort();
	path = fuzz_path("bundle.zip");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sohoa_bundle *b = NULL;
	const struct sohoa_bundle_report *r;
	int rc;

	fuzz_write(path, data, size);
	rc = sohoa_bundle_open(ctx, path, NULL, &limits, &b);
	if (rc == SOHOA_OK || rc == SOHOA_ERR_INVALID) {
		if (b == NULL)
			abort();
		r = sohoa_bundle_report(b);
		if (r == NULL || (rc == SOHOA_OK) != (r->valid != 0) ||
		    (rc != SOHOA_OK && (r->reason == NULL ||
		    r->reason[0] == '\0')))
			abort();
		sohoa_bundle_close(&b);
	} else if (b != NULL) {
		abort();
	}
	if (rc != SOHOA_OK && sohoa_errmsg(ctx)[0] == '\0')
		abort();
	return 0;
}
