/*
 * sohoa show: a document's metadata, fields and text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/fields.h"
#include "sohoa/json.h"
#include "cli.h"
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG };

static const struct cli_opt options[] = {
	{ "json", OPT_JSON, NULL, "print one JSON object: id, dossier, ordinal,\n"
	    "doc_type, title, date, confidence, created_at,\n"
	    "pdf_sha256, file {path, name, sha256}, pages\n"
	    "[{page, status, confidence, orientation, skew,\n"
	    "width, height, dpi, image_sha256, error}], fields\n"
	    "{KEY: {value, raw, confidence, flagged,\n"
	    "corrected}}, text (pages separated by \\f)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"[--archive DIR] [--json] DOC_ID",
	"Print document DOC_ID (as listed by 'sohoa search' or 'sohoa status'):\n"
	"its dossier, source file and pages, type, confidence and date, its\n"
	"fields (with confidence, and whether flagged for review or corrected)\n"
	"and its text.  A field not read at all says which page to look on when\n"
	"its type tells (the signer on the last, the number on the first).\n"
	"Page numbers count from 1.\n",
	options,
	"Exit status: 0 done, 1 failed (no such document), 2 usage.\n",
};

/* Parse a document id; 0 when S is not one. */
int64_t cli_parse_doc_id(const char *s);

int64_t
cli_parse_doc_id(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return 0;
	return (int64_t)v;
}

static void
doc_json(const struct sohoa_document *d, struct sohoa_buf *out)
{
	struct sohoa_json j;

	sohoa_json_init(&j, out, 0);
	sohoa_document_json(&j, d);
}

/*
 * "(not read)", and where to look when its type says: the page (as the
 * pages are numbered below) the document's type prints field F on.
 */
static const char *
not_read(const struct sohoa_doctypes *dt, const struct sohoa_document *d,
    const struct sohoa_doc_field *f, char *buf, size_t size)
{
	int i = cli_unread_page(dt, d->doc_type, f->key, (int)d->npages);

	if (i < 0 || d->npages < 2)
		return "(not read)";
	snprintf(buf, size, "(not read: look on page %d)",
	    d->pages[i].pageno + 1);
	return buf;
}

/*
 * The document types, when D has a field not read and pages to choose
 * from; NULL otherwise, or when they cannot be loaded (the document is
 * shown without the page).  Free with sohoa_doctypes_destroy().
 */
static struct sohoa_doctypes *
types_for(struct cli *cli, const struct sohoa_document *d)
{
	struct sohoa_doctypes *dt = NULL;
	size_t i;

	if (d->npages < 2)
		return NULL;
	for (i = 0; i < d->nfields; i++)
		if (sohoa_field_unread(d->fields[i].value, d->fields[i].raw))
			break;
	if (i == d->nfields ||
	    sohoa_doctypes_load(cli->ctx, NULL, &dt) != SOHOA_OK)
		return NULL;
	return dt;
}

static void
doc_text(const struct sohoa_document *d, const struct sohoa_doctypes *dt)
{
	const struct sohoa_doc_field *f;
	size_t i, other;
	char where[64];

	/* all text from the archive goes through cli_esc: it is data */
	printf("document %lld: %s\n", (long long)d->id, cli_esc(d->title));
	printf("dossier:    %s (document %d)\n", d->dossier ?
	    cli_esc(d->dossier) : "-", d->ordinal);
	printf("type:       %s\n", cli_esc(d->doc_type));
	printf("date:       %s\n", d->doc_date ? cli_esc(d->doc_date) : "-");
	for (i = 0, other = 0; i < d->npages; i++)
		if (strcmp(d->pages[i].file_sha256, d->file_sha256) != 0)
			other++;
	printf("file:       %s, page%s %d", cli_esc(d->file_path),
	    d->npages - other > 1 ? "s" : "", d->first_page + 1);
	if (d->npages - other > 1)
		printf("-%zu", d->first_page + d->npages - other);
	/* a document that goes on over the files after its own */
	if (other > 0)
		printf(" and %zu page%s of the files after it", other,
		    other > 1 ? "s" : "");
	printf("\nconfidence: %.1f\n", (double)d->confidence);
	printf("stored:     %s\n", cli_esc(d->created_at));
	if (d->pdf_sha256[0])
		printf("pdf:        %s\n", cli_esc(d->pdf_sha256));
	if (d->nfields > 0)
		printf("\nfields:\n");
	for (i = 0; i < d->nfields; i++) {
		f = &d->fields[i];
		printf("  %-20s %s  (%.0f%s%s)\n", cli_esc(f->key),
		    sohoa_field_unread(f->value, f->raw) ?
		    not_read(dt, d, f, where, sizeof(where)) :
		    cli_esc(f->value),
		    (double)f->conf, f->flagged ? ", review" : "",
		    f->corrected ? ", corrected" : "");
	}
	for (i = 0; i < d->npages; i++) {
		printf("\n--- page %d (%s, confidence %.0f) ---\n",
		    d->pages[i].pageno + 1,
		    sohoa_page_status_name(d->pages[i].status),
		    (double)d->pages[i].confidence);
		if (d->pages[i].error)
			printf("error: %s\n", cli_esc(d->pages[i].error));
		fputs(cli_esc_text(d->pages[i].text), stdout);
	}
}

int cmd_show(int argc, char **argv, struct cli *cli);

int
cmd_show(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_document *d = NULL;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct cli_parser p;
	struct sohoa_doctypes *dt = NULL;
	const char *id_arg;
	int64_t id;
	int json = 0, c, ret = EXIT_FAILED;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		if (c != OPT_JSON)
			return p.status;
		json = 1;
	}
	if (cli_operands(&p, 1, 1, "DOC_ID") != 0)
		return EXIT_USAGE;
	id_arg = p.argv[0];
	id = cli_parse_doc_id(id_arg);
	if (id == 0)
		return cli_usage(cli, "'%s' is not a document id (a number)",
		    id_arg);
	if (sohoa_archive_open(cli->ctx, cli->archive, SOHOA_ARCHIVE_READONLY,
	    &a) != SOHOA_OK)
		return cli_fail(cli, NULL);
	if (sohoa_archive_document_load(a, id, &d) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	if (json) {
		doc_json(d, &out);
		ret = cli_print(&out);
	} else {
		dt = types_for(cli, d);
		doc_text(d, dt);
		sohoa_doctypes_destroy(&dt);
		ret = fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	}
out:
	sohoa_buf_release(&out);
	sohoa_document_destroy(&d);
	sohoa_archive_close(&a);
	return ret;
}
