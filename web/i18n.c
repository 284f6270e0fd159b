/*
 * Message catalogues: everything the web interface shows a person comes
 * from web/i18n/<lang>.txt, compiled into the library with .incbin (as
 * index/archive_schema.c embeds the schema), so the binary needs no data
 * file.  Adding a language is adding a file with the same keys and a line
 * in the table below.
 *
 * Format: UTF-8, one "key = text" per line; blank lines and lines
 * starting with '#' are skipped; spaces around '=' and at the ends are
 * dropped.  Texts may hold {1}, {2} ... for values filled in by the page.
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/utf8.h"
#include "web_private.h"

WEB_EMBED(sohoa_web_i18n_vi, "i18n/vi.txt");
extern const char sohoa_web_i18n_vi[];

static const struct {
	const char *lang;
	const char *text;
} catalogs[] = {
	{ "vi", sohoa_web_i18n_vi },
};

static const char *const languages[] = { "vi", NULL };

struct entry {
	char *key;
	char *text;
};

struct web_catalog {
	struct entry *v;
	size_t n;
};

const char *const *
web_catalog_languages(void)
{
	return languages;
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
	    ((const struct entry *)b)->key);
}

static char *
trimmed(const char *s, size_t n)
{
	char *d;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	d = malloc(n + 1);
	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int
parse(struct sohoa_ctx *ctx, const char *lang, const char *text,
    struct web_catalog *cat)
{
	const char *line = text, *end, *eq;
	struct entry *v;
	size_t alloc = 0, lineno = 0, i;

	for (; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		lineno++;
		while (line < end && (*line == ' ' || *line == '\t'))
			line++;
		if (line == end || *line == '#' || *line == '\r')
			continue;
		eq = memchr(line, '=', (size_t)(end - line));
		if (eq == NULL || eq == line)
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "web/i18n/"
			    "%s.txt line %zu: not 'key = text'", lang, lineno);
		if (cat->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			v = realloc(cat->v, alloc * sizeof(*v));
			if (v == NULL)
				goto nomem;
			cat->v = v;
		}
		v = &cat->v[cat->n];
		v->key = trimmed(line, (size_t)(eq - line));
		v->text = trimmed(eq + 1, (size_t)(end - eq - 1));
		if (v->key == NULL || v->text == NULL) {
			free(v->key);
			free(v->text);
			goto nomem;
		}
		cat->n++;
		if (!sohoa_utf8_valid(v->text, strlen(v->text)))
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "web/i18n/"
			    "%s.txt line %zu: not UTF-8", lang, lineno);
	}
	if (cat->n > 1)
		qsort(cat->v, cat->n, sizeof(*cat->v), entry_cmp);
	for (i = 1; i < cat->n; i++)
		if (strcmp(cat->v[i - 1].key, cat->v[i].key) == 0)
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "web/i18n/"
			    "%s.txt: key '%s' is given twice", lang,
			    cat->v[i].key);
	return SOHOA_OK;
nomem:
	return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
}

int
web_catalog_load(struct sohoa_ctx *ctx, const char *lang,
    struct web_catalog **pcat)
{
	struct web_catalog *cat;
	size_t i;
	int rc;

	*pcat = NULL;
	for (i = 0; i < sizeof(catalogs) / sizeof(catalogs[0]); i++)
		if (strcmp(catalogs[i].lang, lang) == 0)
			break;
	if (i == sizeof(catalogs) / sizeof(catalogs[0]))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "no message "
		    "catalogue for language '%s' (there is: vi)", lang);
	cat = calloc(1, sizeof(*cat));
	if (cat == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = parse(ctx, lang, catalogs[i].text, cat);
	if (rc != SOHOA_OK) {
		web_catalog_destroy(&cat);
		return rc;
	}
	*pcat = cat;
	return SOHOA_OK;
}

void
web_catalog_destroy(struct web_catalog **pcat)
{
	size_t i;

	if (pcat == NULL || *pcat == NULL)
		return;
	for (i = 0; i < (*pcat)->n; i++) {
		free((*pcat)->v[i].key);
		free((*pcat)->v[i].text);
	}
	free((*pcat)->v);
	free(*pcat);
	*pcat = NULL;
}

const char *
web_catalog_get(const struct web_catalog *cat, const char *key)
{
	struct entry k, *e;

	if (cat == NULL || key == NULL)
		return NULL;
	k.key = (char *)key;
	e = bsearch(&k, cat->v, cat->n, sizeof(*cat->v), entry_cmp);
	return e != NULL ? e->text : NULL;
}
