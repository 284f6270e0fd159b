/*
 * Minimal JSON writer.  All user text goes through sohoa_json_str(), which
 * escapes it; nothing is ever printed straight into JSON.
 */
#ifndef SOHOA_JSON_H
#define SOHOA_JSON_H

#include "sohoa/buf.h"

/*
 * A writer appends to a buffer and keeps track of commas.  Nesting deeper
 * than SOHOA_JSON_DEPTH is refused (returns SOHOA_ERR_INPUT).
 */
#define SOHOA_JSON_DEPTH 32

struct sohoa_json {
	struct sohoa_buf *out;
	int depth;
	int pretty;
	unsigned char first[SOHOA_JSON_DEPTH];	/* no element yet at depth */
	int after_key;
	int rc;		/* first error, sticky: check once at the end */
};

void sohoa_json_init(struct sohoa_json *j, struct sohoa_buf *out, int pretty);
void sohoa_json_obj_open(struct sohoa_json *j);
void sohoa_json_obj_close(struct sohoa_json *j);
void sohoa_json_arr_open(struct sohoa_json *j);
void sohoa_json_arr_close(struct sohoa_json *j);
void sohoa_json_key(struct sohoa_json *j, const char *key);
void sohoa_json_str(struct sohoa_json *j, const char *s);	/* NULL -> null */
void sohoa_json_strn(struct sohoa_json *j, const char *s, size_t len);
void sohoa_json_int(struct sohoa_json *j, long long v);
void sohoa_json_num(struct sohoa_json *j, double v);	/* %.6g, NaN -> null */
void sohoa_json_bool(struct sohoa_json *j, int v);
void sohoa_json_null(struct sohoa_json *j);
/* Append already-valid JSON text as one value. */
void sohoa_json_raw(struct sohoa_json *j, const char *json);

/* Append S as a quoted, escaped JSON string to OUT. */
int sohoa_json_quote(struct sohoa_buf *out, const char *s, size_t len);

/*
 * Call CB for each member of the JSON object JSON (LEN bytes): its key,
 * its value as text (objects and arrays as JSON, null as NULL) and its
 * type ("text", "integer", "real", "true", "false", "null", "object",
 * "array").  Text that is not a JSON object is SOHOA_ERR_INPUT; a
 * non-zero return of CB stops and is returned.  SQLite's JSON functions
 * do the parsing.
 */
int sohoa_json_object_each(struct sohoa_ctx *ctx, const char *json,
    size_t len, int (*cb)(void *arg, const char *key, const char *value,
    const char *type), void *arg);

#endif
