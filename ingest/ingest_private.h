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
 * only files with an image extension taken.  Each real folder is walked
 * once (device + inode): links to folders are followed after the
 * folders themselves, and not at all to a folder walked already.  A
 * path that does not exist or cannot be read, a link to nothing, a FIFO,
 * socket or device, and a folder holding no scan become inputs with
 * their error set, so the run reports them and goes on.  CHECK (may be
 * NULL) is called with ARG for every folder and every few hundred
 * entries; a non-zero return stops the walk.  Returns SOHOA_OK,
 * SOHOA_ERR_CANCELLED or SOHOA_ERR_NOMEM, with the message on CTX.
 */
int ingest_walk(struct sohoa_ctx *ctx, const char *const *paths, size_t n,
    int (*check)(void *arg, const char *path), void *arg,
    struct inputs *list);
void ingest_inputs_release(struct inputs *list);

/*
 * Keep in LIST the inputs of shard SHARD of NSHARDS (ingest/shard.c), in
 * walk order, after recording in archive A where each stands in the whole
 * walk of PATHS (sohoa_shard_record).
 */
int ingest_shard_select(struct sohoa_archive *a, const char *const *paths,
    size_t npaths, int shard, int nshards, struct inputs *list);

/* 1 when NAME ends in an image extension we read (.tif, .png, ...). */
int ingest_is_image_name(const char *name);

#endif
