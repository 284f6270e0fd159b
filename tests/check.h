/*
 * Tiny assertion helpers for the test programs (after libarchive's
 * assertEqualIntA): each failed check prints file, line and both values,
 * and the program exits 1 at the end if any failed.
 */
#ifndef SOHOA_TESTS_CHECK_H
#define SOHOA_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_INT_EQ(want, got) do { \
	long long w_ = (long long)(want), g_ = (long long)(got); \
	check_count++; \
	if (w_ != g_) { \
		fprintf(stderr, "%s:%d: %s: want %lld, got %lld\n", __FILE__, __LINE__, #got, w_, g_); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR_EQ(want, got) do { \
	const char *w_ = (want), *g_ = (got); \
	check_count++; \
	if (w_ == NULL || g_ == NULL ? w_ != g_ : strcmp(w_, g_) != 0) { \
		fprintf(stderr, "%s:%d: %s: want \"%s\", got \"%s\"\n", __FILE__, __LINE__, #got, \
		    w_ ? w_ : "(null)", g_ ? g_ : "(null)"); \
		check_failures++; \
	} \
} while (0)

/* Call at the end of main(): prints a summary, returns the exit status. */
static inline int
check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
