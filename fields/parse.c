/*
 * The value parsers by type name (sohoa_parse_value): each type's parser
 * lives with its kind (parse_date.c, parse_id.c, parse_list.c,
 * parse_name.c, parse_text.c); the folded keys and edit distance they
 * share are in fkey.c.
 */
#include <ctype.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"
#include "parse_private.h"

int
sohoa_parse_value(const char *type, const char *s, struct sohoa_buf *out,
    int *pfixed)
{
	const char *v;
	int y, m, d, rc;

	if (pfixed != NULL)
		*pfixed = 0;
	if (strcmp(type, "date") == 0 || strcmp(type, "date_words") == 0) {
		if (strcmp(type, "date") == 0)
			rc = sohoa_parse_date(s, &y, &m, &d);
		else
			rc = sohoa_parse_date_words(s, &y, &m, &d);
		/* figures read through look-alike letters are less sure */
		if (rc == SOHOA_OK && pfixed != NULL &&
		    strcmp(type, "date") == 0 &&
		    (*pfixed = parse_date_lookalikes(s, y, m, d)) < 0)
			return SOHOA_ERR_NOMEM;
		return rc == SOHOA_OK ? sohoa_format_date(y, m, d, out) : rc;
	}
	if (strcmp(type, "date_text") == 0) {
		rc = parse_date_text(s, &y, &m, &d);
		return rc == SOHOA_OK ? sohoa_format_date(y, m, d, out) : rc;
	}
	if (strcmp(type, "year") == 0)
		return parse_year(s, out, pfixed);
	if (strcmp(type, "sex") == 0 || strcmp(type, "ethnicity") == 0 ||
	    strcmp(type, "nationality") == 0) {
		rc = parse_list_value(type, s, &v, pfixed);
		return rc == SOHOA_OK ? sohoa_buf_adds(out, v) : rc;
	}
	if (strcmp(type, "personal_id") == 0)
		return sohoa_parse_personal_id(s, out, pfixed);
	if (strcmp(type, "doc_number") == 0)
		return sohoa_parse_doc_number(s, out, pfixed);
	if (strcmp(type, "name") == 0)
		return sohoa_parse_name(s, out, pfixed);
	if (strcmp(type, "place") == 0)
		return parse_place(s, out, pfixed);
	if (strcmp(type, "unit") == 0)
		return parse_unit_caps(s, out, pfixed);
	return parse_phrases(s, 0, out, pfixed);
}
