/*
 * Corrections a person makes: a typed value is checked by the type its
 * field has in the document types (the rules extraction reads it with),
 * stored in the form extraction stores (dates ISO, IDs as 12 digits), and
 * written with its history.  OCR is lenient with what it reads; a person
 * is held to the printed form, so nothing garbled gets in as "corrected".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/records.h"
#include "sohoa/utf8.h"
#include "records_private.h"

/* Longest value a person may type, in bytes. */
#define VALUE_MAX 1000

static int
bad(struct sohoa_ctx *ctx, const char *key, const char *value,
    const char *what)
{
	return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "%s: '%s' is not %s", key,
	    value, what);
}

/*
 * NFC, no control characters, spaces trimmed and runs of spaces made one.
 * Appends to OUT.
 */
static int
clean(struct sohoa_ctx *ctx, const char *key, const char *value,
    struct sohoa_buf *out)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT;
	size_t len = strlen(value), i, start = out->len;
	int32_t cp;
	size_t n;
	int space = 0, rc;

	if (len > VALUE_MAX)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "%s: the value is longer than %d bytes", key, VALUE_MAX);
	if (!sohoa_utf8_valid(value, len))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "%s: the value is not valid UTF-8", key);
	for (i = 0; i < len; i += n) {
		n = sohoa_utf8_decode(value + i, len - i, &cp);
		if (n == 0)
			n = 1;
		/* C0, DEL and C1 controls: tabs and newlines included */
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
		    cp == 0x2029)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "%s: the value has a control character (U+%04X)",
			    key, (unsigned)cp);
	}
	rc = sohoa_utf8_nfc(value, len, &nfc);
	for (i = 0; rc == SOHOA_OK && i < nfc.len; i++) {
		if (nfc.buf[i] == ' ') {
			space = out->len > start;
			continue;
		}
		if (space)
			rc = sohoa_buf_addch(out, ' ');
		space = 0;
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addch(out, nfc.buf[i]);
	}
	sohoa_buf_release(&nfc);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	return SOHOA_OK;
}

/* Read N digits (1..max) at *ps into *pv; returns the count read. */
static int
digits(const char **ps, int max, int *pv)
{
	int n = 0;

	*pv = 0;
	while (n < max && isdigit((unsigned char)**ps)) {
		*pv = *pv * 10 + (**ps - '0');
		(*ps)++;
		n++;
	}
	return n;
}

/* DD/MM/YYYY, D-M-YYYY, DD.MM.YYYY or YYYY-MM-DD, a real day. */
static int
check_date(struct sohoa_ctx *ctx, const char *key, const char *s,
    struct sohoa_buf *out)
{
	const char *p = s;
	int a, b, c, na, nb, nc, y, m, d;
	char sep;

	na = digits(&p, 4, &a);
	sep = *p;
	if (na == 0 || (sep != '/' && sep != '-' && sep != '.'))
		goto no;
	p++;
	nb = digits(&p, 2, &b);
	if (nb == 0 || *p != sep)
		goto no;
	p++;
	nc = digits(&p, 4, &c);
	if (nc == 0 || *p != '\0')
		goto no;
	if (na == 4 && nc <= 2 && sep == '-') {
		y = a, m = b, d = c;
	} else if (na <= 2 && nc == 4) {
		d = a, m = b, y = c;
	} else
		goto no;
	if (!sohoa_date_valid(y, m, d))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "%s: '%s' is not a real day", key, s);
	if (sohoa_format_date(y, m, d, out) != SOHOA_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	return SOHOA_OK;
no:
	return bad(ctx, key, s, "a date (DD/MM/YYYY or YYYY-MM-DD)");
}

static int
check_year(struct sohoa_ctx *ctx, const char *key, const char *s,
    struct sohoa_buf *out)
{
	const char *p = s;
	int y;

	if (digits(&p, 4, &y) != 4 || *p != '\0' || y < 1800 || y > 2199)
		return bad(ctx, key, s, "a year (YYYY)");
	return sohoa_buf_addf(out, "%04d", y);
}

/* 12 digits (spaces, dots and dashes between groups allowed). */
static int
check_id(struct sohoa_ctx *ctx, const char *key, const char *s,
    struct sohoa_buf *out)
{
	char id[13], prov[4];
	size_t n = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n == 12)
				goto no;
			id[n++] = *p;
		} else if (*p != ' ' && *p != '.' && *p != '-')
			goto no;
	}
	if (n != 12)
		goto no;
	id[12] = '\0';
	memcpy(prov, id, 3);
	prov[3] = '\0';
	if (sohoa_province_name(prov) == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "%s: '%s' starts with %s, which is no province's code", key,
		    s, prov);
	return sohoa_buf_adds(out, id);
no:
	return bad(ctx, key, s, "a personal ID (12 digits)");
}

/* "12/2020/TLKS-BS", "125/QĐ-UBND", "123": a number, then /parts. */
static int
check_doc_number(struct sohoa_ctx *ctx, const char *key, const char *s,
    struct sohoa_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!isdigit(*p))
		goto no;
	for (; *p; p++)
		if (*p == ' ' || (*p < 0x80 && !isalnum(*p) && *p != '/' &&
		    *p != '-' && *p != '.'))
			goto no;
	return sohoa_buf_adds(out, s);
no:
	return bad(ctx, key, s, "a document number (as '12/2020/TLKS-BS')");
}

/* Letters (any script, with marks), spaces, and . ' - inside names. */
static int
check_name(struct sohoa_ctx *ctx, const char *key, const char *s,
    struct sohoa_buf *out)
{
	size_t len = strlen(s), i, n;
	int32_t cp;
	int letters = 0;

	for (i = 0; i < len; i += n) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			n = 1;
		if (cp < 0x80 && !isalpha((int)cp) && cp != ' ' && cp != '.' &&
		    cp != '\'' && cp != '-')
			return bad(ctx, key, s, "a name (letters and spaces)");
		if (cp >= 0x80 || isalpha((int)cp))
			letters++;
	}
	if (letters == 0)
		return bad(ctx, key, s, "a name (letters and spaces)");
	return sohoa_buf_adds(out, s);
}

/* A value of a list: its official spelling, or a hint when near one. */
static int
check_list(struct sohoa_ctx *ctx, const char *key, const char *type,
    const char *s, struct sohoa_buf *out)
{
	const char *v = NULL;
	int fixed = 0, rc;

	if (strcmp(type, "sex") == 0)
		rc = sohoa_parse_sex(s, &v, &fixed);
	else if (strcmp(type, "ethnicity") == 0)
		rc = sohoa_parse_ethnicity(s, &v, &fixed);
	else
		rc = sohoa_parse_nationality(s, &v, &fixed);
	if (rc == SOHOA_OK && !fixed)
		return sohoa_buf_adds(out, v);
	/* a nationality missing from our short list is still a nationality */
	if (strcmp(type, "nationality") == 0 && rc != SOHOA_OK)
		return check_name(ctx, key, s, out);
	if (rc == SOHOA_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "%s: '%s' is not as the official list writes it (did you"
		    " mean '%s'?)", key, s, v);
	return bad(ctx, key, s, strcmp(type, "sex") == 0 ? "'Nam' or 'Nữ'" :
	    "one of the 54 ethnic groups of Viet Nam");
}

static int
check_doc_type(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const char *s, struct sohoa_buf *out)
{
	size_t i, n = sohoa_doctypes_count(dt);
	struct sohoa_buf list = SOHOA_BUF_INIT;
	int rc;

	if (strcmp(s, "other") == 0)
		return sohoa_buf_adds(out, s);
	for (i = 0; i < n; i++)
		if (strcmp(s, sohoa_doctypes_name(dt, i)) == 0)
			return sohoa_buf_adds(out, s);
	for (i = 0; i < n; i++)
		sohoa_buf_addf(&list, "%s, ", sohoa_doctypes_name(dt, i));
	rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "doc_type: '%s' is not a"
	    " document type (%sother)", s, list.buf);
	sohoa_buf_release(&list);
	return rc;
}

int
sohoa_field_check(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const char *doc_type, const char *key, const char *value,
    unsigned flags, struct sohoa_buf *out)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	const char *type;
	size_t i;
	int rc;

	for (i = 0; key[i]; i++)
		if (!(islower((unsigned char)key[i]) ||
		    isdigit((unsigned char)key[i]) || key[i] == '_'))
			break;
	if (i == 0 || key[i] != '\0' || i > 64 || key[0] == '_')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not a"
		    " field name (lower-case letters, digits and _)", key);
	rc = clean(ctx, key, value, &v);
	if (rc != SOHOA_OK)
		goto out;
	if (v.len == 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "%s: the value is"
		    " empty", key);
		goto out;
	}
	if (strcmp(key, "doc_type") == 0) {
		rc = check_doc_type(ctx, dt, v.buf, out);
		goto out;
	}
	type = sohoa_doctypes_field_type(dt, doc_type, key);
	if (type == NULL) {
		if (!(flags & SOHOA_FIELD_NEW_KEY)) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not"
			    " a field of any document type (check the spelling,"
			    " or add it with --new-key)", key);
			goto out;
		}
		type = "text";
	}
	if (strncmp(type, "date", 4) == 0)
		rc = check_date(ctx, key, v.buf, out);
	else if (strcmp(type, "year") == 0)
		rc = check_year(ctx, key, v.buf, out);
	else if (strcmp(type, "personal_id") == 0)
		rc = check_id(ctx, key, v.buf, out);
	else if (strcmp(type, "doc_number") == 0)
		rc = check_doc_number(ctx, key, v.buf, out);
	else if (strcmp(type, "name") == 0)
		rc = check_name(ctx, key, v.buf, out);
	else if (strcmp(type, "sex") == 0 || strcmp(type, "ethnicity") == 0 ||
	    strcmp(type, "nationality") == 0)
		rc = check_list(ctx, key, type, v.buf, out);
	else
		rc = sohoa_buf_add(out, v.buf, v.len);	/* place, unit, text */
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(ctx, rc, "out of memory");
out:
	sohoa_buf_release(&v);
	return rc;
}

static const char *
stored_value(const struct sohoa_document *d, const char *key)
{
	size_t i;

	if (strcmp(key, "doc_type") == 0)
		return d->doc_type;
	for (i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			return d->fields[i].value;
	return NULL;
}

void
sohoa_field_changes_release(struct sohoa_field_change *changes, size_t n)
{
	size_t i;

	for (i = 0; changes != NULL && i < n; i++) {
		free(changes[i].old);
		free(changes[i].stored);
		changes[i].old = changes[i].stored = NULL;
		changes[i].changed = 0;
	}
}

int
sohoa_records_field_set(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id,
    struct sohoa_field_change *changes, size_t n, unsigned flags)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_document *d = NULL;
	struct sohoa_buf v = SOHOA_BUF_INIT;
	const char *old;
	size_t i, j;
	int rc;

	rc = sohoa_archive_document_load(a, doc_id, &d);
	if (rc != SOHOA_OK)
		return rc;
	/* check everything before writing anything */
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(changes[i].key, changes[j].key) == 0)
				rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT,
				    "%s: given twice", changes[i].key);
		if (rc != SOHOA_OK)
			break;
		sohoa_buf_reset(&v);
		rc = sohoa_field_check(ctx, dt, d->doc_type, changes[i].key,
		    changes[i].value, flags, &v);
		if (rc != SOHOA_OK)
			break;
		old = stored_value(d, changes[i].key);
		changes[i].stored = sohoa_buf_detach(&v, NULL);
		changes[i].old = old ? strdup(old) : NULL;
		changes[i].changed = old == NULL ||
		    strcmp(old, changes[i].stored) != 0;
		if (changes[i].stored == NULL || (old && !changes[i].old))
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	}
	if (rc == SOHOA_OK)
		rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (!changes[i].changed)
			continue;
		if (strcmp(changes[i].key, "doc_type") == 0)
			rc = sohoa_archive_document_set_type(a, doc_id,
			    changes[i].stored);
		else
			rc = sohoa_archive_field_set(a, doc_id, changes[i].key,
			    changes[i].stored, NULL);
	}
	rc = sohoa_archive_end(a, rc);
out:
	if (rc != SOHOA_OK)
		sohoa_field_changes_release(changes, n);
	sohoa_buf_release(&v);
	sohoa_document_destroy(&d);
	return rc;
}

int
sohoa_records_field_accept(struct sohoa_archive *a, int64_t doc_id,
    const char *key)
{
	return sohoa_archive_field_accept(a, doc_id, key);
}

int
sohoa_records_doc_type_set(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id, const char *doc_type)
{
	struct sohoa_field_change c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.key = "doc_type";
	c.value = doc_type;
	rc = sohoa_records_field_set(a, dt, doc_id, &c, 1, 0);
	sohoa_field_changes_release(&c, 1);
	return rc;
}

int
records_read_fields(struct sohoa_archive *a, const struct sohoa_doctypes *dt,
    int64_t doc_id, int only_new)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	struct sohoa_document *d = NULL;
	struct sohoa_page **pages = NULL;
	struct sohoa_fields f;
	const char *type = NULL;
	size_t i, n = 0;
	int rc;

	sohoa_fields_init(&f);
	rc = sohoa_archive_document_load(a, doc_id, &d);
	if (rc != SOHOA_OK)
		return rc;
	if (only_new && d->nfields > 0)
		goto out;
	pages = calloc(d->npages ? d->npages : 1, sizeof(*pages));
	if (pages == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < d->npages && rc == SOHOA_OK; i++, n++)
		rc = sohoa_archive_page_load(a, d->pages[i].id,
		    SOHOA_PAGE_LOAD_WORDS, &pages[i]);
	if (rc == SOHOA_OK)
		rc = sohoa_doc_extract(ctx, dt,
		    (const struct sohoa_page *const *)pages, n, &type, &f);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_reread(a, doc_id, type, &f);
out:
	for (i = 0; i < n; i++)
		sohoa_page_destroy(&pages[i]);
	free(pages);
	sohoa_fields_release(&f);
	sohoa_document_destroy(&d);
	return rc;
}

int
sohoa_records_read_fields(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id)
{
	return records_read_fields(a, dt, doc_id, 0);
}
