/*
 * What the loaded document types say about a field key: its value type.
 * Used to check a value a person types (records/field.c) against the
 * same rules extraction reads it with.
 */
#include <string.h>

#include "fields_private.h"

const char *
sohoa_doctypes_field_type(const struct sohoa_doctypes *dt,
    const char *doc_type, const char *key)
{
	const struct dt_type *t;
	size_t i, j;

	if (dt == NULL || key == NULL || key[0] == '_')
		return NULL;
	for (i = 0; i < dt->n; i++) {
		t = &dt->types[i];
		if (doc_type != NULL && strcmp(doc_type, "other") != 0 &&
		    strcmp(t->name, doc_type) != 0)
			continue;
		for (j = 0; j < t->nfields; j++)
			if (strcmp(t->fields[j].key, key) == 0)
				return t->fields[j].type;
	}
	/* a key of another type of document is still a known key */
	if (doc_type != NULL && strcmp(doc_type, "other") != 0)
		return sohoa_doctypes_field_type(dt, NULL, key);
	return NULL;
}

int
sohoa_date_valid(int year, int month, int day)
{
	return parse_date_valid(year, month, day);
}
