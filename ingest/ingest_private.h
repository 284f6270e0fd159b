/*
 * Private to ingest/: the list of input files built by walking the paths
 * given on the command line.
 */
#ifndef SOHOA_INGEST_PRIVATE_H
#define SOHOA_INGEST_PRIVATE_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/ingest.h"

struct input {
	char *path;		/* as found: the given path, or dir + "/" + name */
	char *error;		/* set when the path itself cannot be read */
};

struct inputs {
	struct input *v;
	size_t n, alloc;
};

/*
 * Append the files under PATHS to LIST: a file is taken as given; a
 * folder is walked in byte order of names, hidden entries skipped, and
 * only files with an image extension taken.  A path that does not exist
 * or cannot be read becomes an input with its error set, so the run
 * reports it and goes on.  Returns SOHOA_OK or SOHOA_ERR_NOMEM.
 */
int ingest_walk(struct sohoa_ctx *ctx, const char *const *paths, size_t n,
    struct inputs *list);
void ingest_inputs_release(struct inputs *list);

/* 1 when NAME ends in an image extension we read (.tif, .png, ...). */
int ingest_is_image_name(const char *name);

#endif
