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
	char *error;		/* set when the path itself cannot be read, or
				   (NOT_SCAN) why it is not a scan */
	int not_scan;		/* a file in a folder that is no scan: listed,
				   not read, not a failure */
};

struct inputs {
	struct input *v;
	size_t n, alloc;
};

/*
 * Append the files under PATHS to LIST: a file is taken as given; a
 * folder is walked in scanner order of names (versionsort), and files
 * with a scan's extension or a scan's first bytes are taken; hidden
 * entries and other files become inputs with NOT_SCAN set and their
 * reason in ERROR.  Each real folder is walked
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

/* 1 when NAME ends in an extension of a scan we read (.tif, .pdf, ...). */
int ingest_is_image_name(const char *name);
/*
 * Why a file whose first N bytes (up to 1 KiB) are H is not a scan ("a
 * text file", "a GIF image", ...), or NULL when it is one.
 */
const char *ingest_not_scan_reason(const unsigned char *h, size_t n);

#endif
