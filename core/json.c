/*
 * JSON writer.  Strings are escaped here and nowhere else; invalid UTF-8
 * is replaced by U+FFFD so the output is always valid JSON.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/json.h"
#include "sohoa/utf8.h"

int
sohoa_json_quote(struct sohoa_buf *out, const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;
	int rc;

	if ((rc = sohoa_buf_addch(out, '"')) != SOHOA_OK)
		return rc;
	while (i < len && rc == SOHOA_OK) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			switch (c) {
			case '"': rc = sohoa_buf_adds(out, "\\\""); break;
			case '\\': rc = sohoa_buf_adds(out, "\\\\"); break;
			case '\n': rc = sohoa_buf_adds(out, "\\n"); break;
			case '\r': rc = sohoa_buf_adds(out, "\\r"); break;
			case '\t': rc = sohoa_buf_adds(out, "\\t"); break;
			case '\f': rc = sohoa_buf_adds(out, "\\f"); break;
			case '\b': rc = sohoa_buf_adds(out, "\\b"); break;
			default:
				if (c < 0x20 || c == 0x7f)
					rc = sohoa_buf_addf(out, "\\u%04x", c);
				else
					rc = sohoa_buf_addch(out, c);
			}
			i++;
			continue;
		}
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1)
			rc = sohoa_utf8_add_cp(out, 0xFFFD);
		else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
		    cp == 0x2029)
			/* C1 controls too: JSON allows them raw, and some
			 * terminals act on U+009B as CSI when it is printed */
			rc = sohoa_buf_addf(out, "\\u%04x", (unsigned)cp);
		else
			rc = sohoa_buf_add(out, s + i, n);
		i += n;
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addch(out, '"');
	return rc;
}

void
sohoa_json_init(struct sohoa_json *j, struct sohoa_buf *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void
put(struct sohoa_json *j, const char *s)
{
	if (j->rc == SOHOA_OK)
		j->rc = sohoa_buf_adds(j->out, s);
}

static void
indent(struct sohoa_json *j)
{
	int i;

	if (!j->pretty)
		return;
	put(j, "\n");
	for (i = 0; i < j->depth; i++)
		put(j, "  ");
}

/* Called before every value or key: commas and indentation. */
static void
before_value(struct sohoa_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			put(j, ",");
		j->first[j->depth] = 0;
		indent(j);
	}
}

static void
open_(struct sohoa_json *j, const char *s)
{
	before_value(j);
	put(j, s);
	if (j->depth + 1 >= SOHOA_JSON_DEPTH) {
		if (j->rc == SOHOA_OK)
			j->rc = SOHOA_ERR_INPUT;
		return;
	}
	j->depth++;
	j->first[j->depth] = 1;
}

static void
close_(struct sohoa_json *j, const char *s)
{
	int empty;

	if (j->depth == 0) {
		if (j->rc == SOHOA_OK)
			j->rc = SOHOA_ERR_INPUT;
		return;
	}
	empty = j->first[j->depth];
	j->depth--;
	if (!empty)
		indent(j);
	put(j, s);
}

void sohoa_json_obj_open(struct sohoa_json *j) { open_(j, "{"); }
void sohoa_json_obj_close(struct sohoa_json *j) { close_(j, "}"); }
void sohoa_json_arr_open(struct sohoa_json *j) { open_(j, "["); }
void sohoa_json_arr_close(struct sohoa_json *j) { close_(j, "]"); }

void
sohoa_json_key(struct sohoa_json *j, const char *key)
{
	before_value(j);
	if (j->rc == SOHOA_OK)
		j->rc = sohoa_json_quote(j->out, key, strlen(key));
	put(j, j->pretty ? ": " : ":");
	j->after_key = 1;
}

void
sohoa_json_strn(struct sohoa_json *j, const char *s, size_t len)
{
	before_value(j);
	if (j->rc == SOHOA_OK)
		j->rc = sohoa_json_quote(j->out, s, len);
}

void
sohoa_json_str(struct sohoa_json *j, const char *s)
{
	if (s == NULL) {
		sohoa_json_null(j);
		return;
	}
	sohoa_json_strn(j, s, strlen(s));
}

void
sohoa_json_int(struct sohoa_json *j, long long v)
{
	before_value(j);
	if (j->rc == SOHOA_OK)
		j->rc = sohoa_buf_addf(j->out, "%lld", v);
}

void
sohoa_json_num(struct sohoa_json *j, double v)
{
	before_value(j);
	if (isnan(v) || isinf(v))
		put(j, "null");
	else if (j->rc == SOHOA_OK)
		j->rc = sohoa_buf_addf(j->out, "%.6g", v);
}

void
sohoa_json_bool(struct sohoa_json *j, int v)
{
	before_value(j);
	put(j, v ? "true" : "false");
}

void
sohoa_json_null(struct sohoa_json *j)
{
	before_value(j);
	put(j, "null");
}

void
sohoa_json_raw(struct sohoa_json *j, const char *json)
{
	before_value(j);
	put(j, json);
}

/*
 * Reading JSON: SQLite's JSON functions parse it, on a private in-memory
 * connection, so that no parser of our own sees what a client sends.
 */
int
sohoa_json_object_each(struct sohoa_ctx *ctx, const char *json, size_t len,
    int (*cb)(void *arg, const char *key, const char *value,
    const char *type), void *arg)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = SOHOA_OK, step, valid = 0;

	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT json_valid(?1) AND json_type(?1) ="
	    " 'object'", -1, &st, NULL) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "cannot read JSON: %s",
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	valid = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (!valid) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "not a JSON object");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT key, value, type FROM json_each(?1)",
	    -1, &st, NULL) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "cannot read JSON: %s",
		    sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = cb(arg, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "cannot read JSON: %s",
		    sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
