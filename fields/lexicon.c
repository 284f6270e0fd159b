/*
 * Lexicons of known spellings (doctypes/lexicon/names.tsv, places.tsv):
 * name syllables with a weight, and place names.  Field extraction looks
 * a word up by its folded key to put back the marks OCR got wrong
 * ("Chỉ" -> "Chi", "NGUYÊN VIỆT KHÁI" -> "NGUYỄN VIỆT KHÁI").
 *
 *   lex_load / lex_release
 *   lex_find      the entries that fold like a word
 *   lex_near      the one entry within one edit of a key
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "fields_private.h"

/* Lines longer than this (bytes) are not names or places. */
#define LEX_LINE_MAX 256

static int
cmp_entry(const void *a, const void *b)
{
	const struct lex_entry *p = a, *q = b;
	int c = strcmp(p->key, q->key);

	if (c != 0)
		return c;
	return (q->weight > p->weight) - (q->weight < p->weight);
}

void
lex_release(struct lexicon *lx)
{
	size_t i;

	for (i = 0; i < lx->n; i++) {
		free(lx->v[i].key);
		free(lx->v[i].word);
		free(lx->v[i].low);
		free(lx->v[i].where);
	}
	free(lx->v);
	memset(lx, 0, sizeof(*lx));
}

/* "Lâm Đồng,Gia Lai" -> "lamdong,gialai," into OUT. */
static int
fold_list(const char *list, struct sohoa_buf *out)
{
	struct sohoa_buf one = SOHOA_BUF_INIT;
	const char *p = list, *e;
	int rc = SOHOA_OK;

	while (rc == SOHOA_OK && *p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		sohoa_buf_reset(&one);
		rc = fkey_simple_n(p, (size_t)(e - p), &one);
		if (rc == SOHOA_OK && one.len > 0) {
			rc = sohoa_buf_add(out, one.buf, one.len);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_addch(out, ',');
		}
		p = *e ? e + 1 : e;
	}
	sohoa_buf_release(&one);
	return rc;
}

static int
add_entry(struct lexicon *lx, const char *word, long weight,
    const char *where)
{
	struct sohoa_buf key = SOHOA_BUF_INIT, low = SOHOA_BUF_INIT;
	struct sohoa_buf wh = SOHOA_BUF_INIT;
	struct lex_entry *e;
	int rc;

	if (lx->n == lx->alloc) {
		size_t na = lx->alloc ? 2 * lx->alloc : 1024;
		struct lex_entry *nv = realloc(lx->v, na * sizeof(*nv));

		if (nv == NULL)
			return SOHOA_ERR_NOMEM;
		lx->v = nv;
		lx->alloc = na;
	}
	rc = fkey_simple(word, &key);
	if (rc == SOHOA_OK)
		rc = sohoa_utf8_lower(word, &low);
	if (rc == SOHOA_OK && where != NULL)
		rc = fold_list(where, &wh);
	if (rc == SOHOA_OK && key.len > 0) {
		e = &lx->v[lx->n];
		e->key = strdup(key.buf);
		e->word = strdup(word);
		e->low = strdup(low.buf);
		e->where = wh.len > 0 ? strdup(wh.buf) : NULL;
		e->weight = weight;
		if (e->key == NULL || e->word == NULL || e->low == NULL ||
		    (wh.len > 0 && e->where == NULL)) {
			free(e->key);
			free(e->word);
			free(e->low);
			free(e->where);
			rc = SOHOA_ERR_NOMEM;
		} else
			lx->n++;
	}
	sohoa_buf_release(&key);
	sohoa_buf_release(&low);
	sohoa_buf_release(&wh);
	return rc;
}

/*
 * Read PATH: one entry per line, "word", "word<TAB>weight" or
 * "word<TAB>weight<TAB>province,province"; '#' starts a comment line,
 * and a line longer than LEX_LINE_MAX is skipped whole.  A missing file
 * is an empty lexicon (the corrections are a bonus, not a need); a file
 * that cannot be read is an error.
 */
int
lex_load(struct sohoa_ctx *ctx, const char *path, struct lexicon *lx)
{
	char line[LEX_LINE_MAX + 2];
	FILE *f;
	int rc = SOHOA_OK;

	memset(lx, 0, sizeof(*lx));
	f = fopen(path, "r");
	if (f == NULL)
		return errno == ENOENT ? SOHOA_OK : sohoa_set_error(ctx,
		    SOHOA_ERR_IO, "%s: %s", path, strerror(errno));
	while (rc == SOHOA_OK && fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		char *tab, *where = NULL;
		long weight = 1;
		int c;

		if (len > 0 && line[len - 1] != '\n' && !feof(f)) {
			/* not a name: drop the rest, not a second entry */
			while ((c = getc(f)) != EOF && c != '\n')
				;
			continue;
		}
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#' ||
		    !sohoa_utf8_valid(line, len))
			continue;
		tab = strchr(line, '\t');
		if (tab != NULL) {
			*tab = '\0';
			weight = strtol(tab + 1, NULL, 10);
			where = strchr(tab + 1, '\t');
			if (where != NULL)
				where++;
		}
		rc = add_entry(lx, line, weight > 0 ? weight : 1, where);
	}
	if (rc == SOHOA_OK && ferror(f))
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "%s: read error",
		    path);
	else if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(ctx, rc, "out of memory reading %s",
		    path);
	fclose(f);
	if (rc != SOHOA_OK) {
		lex_release(lx);
		return rc;
	}
	/* by key, heaviest first within a key */
	if (lx->n > 0)
		qsort(lx->v, lx->n, sizeof(*lx->v), cmp_entry);
	return SOHOA_OK;
}

/*
 * The entries whose key is KEY: a pointer to the first (the heaviest)
 * and their number in *PN, or NULL.
 */
const struct lex_entry *
lex_find(const struct lexicon *lx, const char *key, size_t *pn)
{
	size_t lo = 0, hi = lx->n, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(lx->v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < lx->n && strcmp(lx->v[lo + n].key, key) == 0)
		n++;
	*pn = n;
	return n > 0 ? &lx->v[lo] : NULL;
}

/*
 * The heaviest entry whose key is one edit from KEY when all such entries
 * share one key (a letter doubled or lost: "quaanghoa"); else NULL.
 */
const struct lex_entry *
lex_near(const struct lexicon *lx, const char *key)
{
	const struct lex_entry *hit = NULL;
	size_t i, len = strlen(key);

	for (i = 0; i < lx->n; i++) {
		size_t el = strlen(lx->v[i].key);

		if (el + 1 < len || el > len + 1 ||
		    sohoa_edit_distance(lx->v[i].key, key, 1) > 1)
			continue;
		if (hit != NULL && strcmp(hit->key, lx->v[i].key) != 0)
			return NULL;
		if (hit == NULL)
			hit = &lx->v[i];
	}
	return hit;
}

