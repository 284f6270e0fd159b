/*
 * Fuzz target for field extraction: every value parser of fields.h on
 * the input as OCR text, and sohoa_doc_split + sohoa_doc_extract on pages
 * made from it.  The first byte picks a confidence and a split point so
 * that multi-page documents are reached too.  Parsers must return
 * SOHOA_OK or SOHOA_ERR_INPUT with a well-formed value; anything else, a
 * crash or a sanitizer report is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/fields.h"
#include "sohoa/page.h"
#include "fuzz_common.h"

static struct sohoa_ctx *ctx;
static struct sohoa_doctypes *dt;

static const char *const types[] = {
	"name", "date_text", "year", "ethnicity", "nationality", "place",
	"doc_number", "text",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	if (ctx == NULL || sohoa_doctypes_load(ctx, NULL, &dt) != SOHOA_OK) {
		fprintf(stderr, "fuzz_fields: %s\n",
		    ctx ? sohoa_errmsg(ctx) : "out of memory");
		exit(1);
	}
	return 0;
}

static void
ok_or_input(int rc)
{
	if (rc != SOHOA_OK && rc != SOHOA_ERR_INPUT)
		abort();
}

static int
valid_date(int y, int m, int d)
{
	return y >= 1800 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31;
}

static void
parsers(const char *s)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	const char *v;
	long n;
	int y, m, d, fixed, rc;
	size_t i;

	rc = sohoa_parse_date(s, &y, &m, &d);
	ok_or_input(rc);
	if (rc == SOHOA_OK) {
		if (!valid_date(y, m, d))
			abort();
		ok_or_input(sohoa_format_date(y, m, d, &out));
		if (out.len != 10)
			abort();
		sohoa_buf_reset(&out);
	}
	rc = sohoa_parse_date_words(s, &y, &m, &d);
	ok_or_input(rc);
	if (rc == SOHOA_OK && !valid_date(y, m, d))
		abort();
	ok_or_input(sohoa_parse_number_words(s, &n));

	rc = sohoa_parse_personal_id(s, &out, &fixed);
	ok_or_input(rc);
	if (rc == SOHOA_OK) {
		if (out.len != 12 || strspn(out.buf, "0123456789") != 12)
			abort();
		ok_or_input(sohoa_check_personal_id(out.buf, 0, 0));
		ok_or_input(sohoa_check_personal_id(out.buf, 1990, 1));
	}
	sohoa_buf_reset(&out);
	ok_or_input(sohoa_check_personal_id(s, 2001, 2));
	if (strlen(s) == 3)
		(void)sohoa_province_name(s);

	/* the others through sohoa_parse_value, which calls each of them */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		ok_or_input(sohoa_parse_value(types[i], s, &out, &fixed));
		sohoa_buf_reset(&out);
	}
	ok_or_input(sohoa_parse_sex(s, &v, &fixed));
	(void)sohoa_edit_distance(s, "Nguyễn Văn Đức", 5);
	sohoa_buf_release(&out);
}

/* Classify and extract the document made of the pages of TEXT. */
static void
extract(const char *text, size_t split, float conf)
{
	struct sohoa_page *pages[2] = { NULL, NULL };
	const struct sohoa_page *cpages[2];
	struct sohoa_fields fields;
	const char *type = NULL;
	size_t *starts = NULL, nstarts = 0, np = 1, i;
	char *first = NULL;

	if (split > 0 && split < strlen(text)) {
		first = strndup(text, split);
		if (first == NULL)
			abort();
		if (sohoa_page_from_text(first, conf, &pages[0]) != SOHOA_OK ||
		    sohoa_page_from_text(text + split, conf, &pages[1]) !=
		    SOHOA_OK)
			goto out;
		np = 2;
	} else if (sohoa_page_from_text(text, conf, &pages[0]) != SOHOA_OK) {
		goto out;
	}
	for (i = 0; i < np; i++) {
		pages[i]->pageno = (int)i;
		cpages[i] = pages[i];
	}
	sohoa_fields_init(&fields);
	if (sohoa_doc_split(ctx, dt, cpages, np, &starts, &nstarts) ==
	    SOHOA_OK && (nstarts < 1 || nstarts > np))
		abort();
	free(starts);
	if (sohoa_doc_extract(ctx, dt, cpages, np, &type, &fields) ==
	    SOHOA_OK && type == NULL)
		abort();
	sohoa_fields_release(&fields);
out:
	for (i = 0; i < 2; i++)
		sohoa_page_destroy(&pages[i]);
	free(first);
}

/*
 * The parsers get one field value at a time, a piece of one OCR line: run
 * them on each of the first lines, cut to VALUE_MAX bytes.
 */
#define VALUE_MAX 256
#define LINES_MAX 4

static void
lines(const char *s)
{
	char line[VALUE_MAX + 1];
	const char *nl;
	size_t len;
	int i;

	for (i = 0; i < LINES_MAX && *s != '\0'; i++) {
		nl = strchr(s, '\n');
		len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		memcpy(line, s, len < VALUE_MAX ? len : VALUE_MAX);
		line[len < VALUE_MAX ? len : VALUE_MAX] = '\0';
		parsers(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || size > 2048)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	lines(s);
	extract(s, (data[0] & 0x0f) * (size / 16 + 1),
	    (float)(data[0] >> 4) * 6.5f);
	free(s);
	return 0;
}
