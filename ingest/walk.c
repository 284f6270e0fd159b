/*
 * Walking the ingest inputs: files as given, folders recursed in name
 * order so that pages keep their scanning order across runs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sohoa/buf.h"
#include "ingest_private.h"

/* Deeper folders than this are refused (a symlink loop, most likely). */
#define MAX_DEPTH 32

int
ingest_is_image_name(const char *name)
{
	static const char *const ext[] = { "tif", "tiff", "png", "jpg", "jpeg",
	    "pnm", "pbm", "pgm", "ppm" };
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL)
		return 0;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

static int
add(struct inputs *list, const char *path, const char *error)
{
	struct input *v;

	if (list->n == list->alloc) {
		list->alloc = list->alloc ? 2 * list->alloc : 32;
		v = realloc(list->v, list->alloc * sizeof(*v));
		if (v == NULL)
			return SOHOA_ERR_NOMEM;
		list->v = v;
	}
	v = &list->v[list->n];
	v->path = strdup(path);
	v->error = error ? strdup(error) : NULL;
	if (v->path == NULL || (error != NULL && v->error == NULL)) {
		free(v->path);
		free(v->error);
		return SOHOA_ERR_NOMEM;
	}
	list->n++;
	return SOHOA_OK;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct inputs *list, const char *path, int depth, int given);

static int
walk_dir(struct inputs *list, const char *path, int depth)
{
	struct sohoa_buf sub = SOHOA_BUF_INIT, msg = SOHOA_BUF_INIT;
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, alloc = 0, i;
	DIR *d;
	int rc = SOHOA_OK;

	if (depth > MAX_DEPTH)
		return add(list, path, "folders nested too deep (a link loop?)");
	d = opendir(path);
	if (d == NULL) {
		if (sohoa_buf_addf(&msg, "cannot open folder: %s",
		    strerror(errno)) != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		rc = add(list, path, msg.buf);
		sohoa_buf_release(&msg);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			nn = realloc(names, alloc * sizeof(*names));
			if (nn == NULL) {
				rc = SOHOA_ERR_NOMEM;
				goto out;
			}
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (names[n] == NULL) {
			rc = SOHOA_ERR_NOMEM;
			goto out;
		}
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		sohoa_buf_reset(&sub);
		rc = sohoa_buf_addf(&sub, "%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
		if (rc == SOHOA_OK)
			rc = walk(list, sub.buf, depth + 1, 0);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	sohoa_buf_release(&sub);
	return rc;
}

static int
walk(struct inputs *list, const char *path, int depth, int given)
{
	struct sohoa_buf msg = SOHOA_BUF_INIT;
	struct stat st;
	int rc;

	if (stat(path, &st) != 0) {
		if (!given && errno == ENOENT)
			return SOHOA_OK;	/* a dangling link in a folder */
		if (sohoa_buf_addf(&msg, "%s", strerror(errno)) != SOHOA_OK)
			return SOHOA_ERR_NOMEM;
		rc = add(list, path, msg.buf);
		sohoa_buf_release(&msg);
		return rc;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(list, path, depth);
	if (!S_ISREG(st.st_mode))
		return given ? add(list, path, "not a regular file") : SOHOA_OK;
	/* in folders, only images: scans sit next to notes and JSON */
	if (!given && !ingest_is_image_name(path))
		return SOHOA_OK;
	return add(list, path, NULL);
}

int
ingest_walk(struct sohoa_ctx *ctx, const char *const *paths, size_t n,
    struct inputs *list)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = walk(list, paths[i], 0, 1);
		if (rc != SOHOA_OK)
			return sohoa_set_error(ctx, rc, "out of memory");
	}
	return SOHOA_OK;
}

void
ingest_inputs_release(struct inputs *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		free(list->v[i].path);
		free(list->v[i].error);
	}
	free(list->v);
	list->v = NULL;
	list->n = list->alloc = 0;
}
