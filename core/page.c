/*
 * Lifetime of pages and field lists (include/sohoa/page.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/page.h"

void
sohoa_page_release(struct sohoa_page *page)
{
	size_t i;

	if (page == NULL)
		return;
	for (i = 0; i < page->nwords; i++)
		free(page->words[i].text);
	free(page->words);
	free(page->text);
	free(page->hocr);
	free(page->image);
	free(page->error);
	memset(page, 0, sizeof(*page));
}

void
sohoa_page_destroy(struct sohoa_page **ppage)
{
	if (ppage == NULL || *ppage == NULL)
		return;
	sohoa_page_release(*ppage);
	free(*ppage);
	*ppage = NULL;
}

void
sohoa_fields_init(struct sohoa_fields *f)
{
	memset(f, 0, sizeof(*f));
}

void
sohoa_fields_release(struct sohoa_fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].value);
		free(f->v[i].raw);
	}
	free(f->v);
	sohoa_fields_init(f);
}

static char *
dup_or_null(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

int
sohoa_field_unread(const char *value, const char *raw)
{
	return (value == NULL || *value == '\0') && (raw == NULL ||
	    *raw == '\0');
}

int
sohoa_fields_set(struct sohoa_fields *f, const char *key, const char *value,
    const char *raw, float conf, int flagged)
{
	struct sohoa_field nf, *slot = NULL;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			slot = &f->v[i];
	nf.key = strdup(key);
	nf.value = strdup(value != NULL ? value : "");
	nf.raw = dup_or_null(raw);
	nf.conf = conf;
	nf.flagged = flagged;
	if (nf.key == NULL || nf.value == NULL || (raw != NULL && nf.raw == NULL))
		goto nomem;
	if (slot == NULL) {
		if (f->n == f->alloc) {
			size_t na = f->alloc ? 2 * f->alloc : 16;
			struct sohoa_field *nv = realloc(f->v, na * sizeof(*nv));

			if (nv == NULL)
				goto nomem;
			f->v = nv;
			f->alloc = na;
		}
		slot = &f->v[f->n++];
	} else {
		free(slot->key);
		free(slot->value);
		free(slot->raw);
	}
	*slot = nf;
	return SOHOA_OK;
nomem:
	free(nf.key);
	free(nf.value);
	free(nf.raw);
	return SOHOA_ERR_NOMEM;
}

const struct sohoa_field *
sohoa_fields_get(const struct sohoa_fields *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			return &f->v[i];
	return NULL;
}
