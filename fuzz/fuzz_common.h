/*
 * Helpers shared by the fuzz targets: the input written to a private
 * temporary file, for readers that only take a path.
 */
#ifndef SOHOA_FUZZ_COMMON_H
#define SOHOA_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A directory of our own under $TMPDIR (or /tmp), made once per process
 * and removed at exit; appends NAME to it.  Returns a malloc'd path, or
 * exits: a fuzzer that cannot write its input has nothing to do.
 */
static char *fuzz_dir;

/* A malloc'd "A/B" (B may be ""); exits when out of memory. */
static inline char *
fuzz_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p == NULL)
		abort();
	snprintf(p, n, "%s%s%s", a, *b ? "/" : "", b);
	return p;
}

static inline void
fuzz_cleanup(void)
{
	char *cmd;

	if (fuzz_dir == NULL)
		return;
	/* the directory holds only what the target wrote into it */
	cmd = fuzz_join("rm -rf", fuzz_dir);
	cmd[6] = ' ';
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove '%s'\n", fuzz_dir);
	free(cmd);
	free(fuzz_dir);
	fuzz_dir = NULL;
}

static inline char *
fuzz_path(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	if (fuzz_dir == NULL) {
		fuzz_dir = fuzz_join(tmp != NULL && *tmp != '\0' ? tmp :
		    "/tmp", "sohoa-fuzz.XXXXXX");
		if (mkdtemp(fuzz_dir) == NULL) {
			perror("fuzz: mkdtemp");
			exit(1);
		}
		atexit(fuzz_cleanup);
	}
	return fuzz_join(fuzz_dir, name);
}

/* Write DATA to PATH, replacing it.  Exits on failure. */
static inline void
fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* DATA as a NUL-terminated string (malloc'd). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
