/*
 * A document and an event as JSON, with the keys 'sohoa show --json' and
 * 'sohoa history --json' print: one writer for the command line and the
 * web API (/api/documents/N, /api/audit), so the two cannot drift.
 *
 *   sohoa_document_json   a document, its pages, fields and text
 *   sohoa_event_json      one event of the history
 */
#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"

void
sohoa_document_json(struct sohoa_json *j, const struct sohoa_document *d)
{
	const struct sohoa_doc_page *p;
	const struct sohoa_doc_field *f;
	struct sohoa_buf text = SOHOA_BUF_INIT;
	size_t i;

	sohoa_json_obj_open(j);
	sohoa_json_key(j, "id");
	sohoa_json_int(j, d->id);
	sohoa_json_key(j, "dossier");
	sohoa_json_str(j, d->dossier);
	sohoa_json_key(j, "ordinal");
	sohoa_json_int(j, d->ordinal);
	sohoa_json_key(j, "doc_type");
	sohoa_json_str(j, d->doc_type);
	sohoa_json_key(j, "title");
	sohoa_json_str(j, d->title);
	sohoa_json_key(j, "date");
	sohoa_json_str(j, d->doc_date);
	sohoa_json_key(j, "confidence");
	sohoa_json_num(j, d->confidence);
	sohoa_json_key(j, "created_at");
	sohoa_json_str(j, d->created_at);
	sohoa_json_key(j, "pdf_sha256");
	sohoa_json_str(j, d->pdf_sha256[0] ? d->pdf_sha256 : NULL);
	sohoa_json_key(j, "file");
	sohoa_json_obj_open(j);
	sohoa_json_key(j, "path");
	sohoa_json_str(j, d->file_path);
	sohoa_json_key(j, "name");
	sohoa_json_str(j, d->file_name);
	sohoa_json_key(j, "sha256");
	sohoa_json_str(j, d->file_sha256);
	sohoa_json_obj_close(j);
	sohoa_json_key(j, "pages");
	sohoa_json_arr_open(j);
	for (i = 0; i < d->npages; i++) {
		p = &d->pages[i];
		sohoa_json_obj_open(j);
		sohoa_json_key(j, "page");
		sohoa_json_int(j, p->pageno + 1);
		/* of which original: a document can go on over files */
		sohoa_json_key(j, "file_sha256");
		sohoa_json_str(j, p->file_sha256);
		sohoa_json_key(j, "status");
		sohoa_json_str(j, sohoa_page_status_name(p->status));
		sohoa_json_key(j, "confidence");
		sohoa_json_num(j, p->confidence);
		sohoa_json_key(j, "orientation");
		sohoa_json_int(j, p->orientation);
		sohoa_json_key(j, "skew");
		sohoa_json_num(j, p->skew);
		sohoa_json_key(j, "width");
		sohoa_json_int(j, p->width);
		sohoa_json_key(j, "height");
		sohoa_json_int(j, p->height);
		sohoa_json_key(j, "dpi");
		sohoa_json_int(j, p->dpi);
		sohoa_json_key(j, "image_sha256");
		sohoa_json_str(j, p->image_sha256[0] ? p->image_sha256 : NULL);
		sohoa_json_key(j, "error");
		sohoa_json_str(j, p->error);
		sohoa_json_obj_close(j);
		if (i > 0 && sohoa_buf_addch(&text, '\f') != SOHOA_OK)
			j->rc = SOHOA_ERR_NOMEM;
		if (sohoa_buf_adds(&text, p->text) != SOHOA_OK)
			j->rc = SOHOA_ERR_NOMEM;
	}
	sohoa_json_arr_close(j);
	sohoa_json_key(j, "fields");
	sohoa_json_obj_open(j);
	for (i = 0; i < d->nfields; i++) {
		f = &d->fields[i];
		sohoa_json_key(j, f->key);
		sohoa_json_obj_open(j);
		sohoa_json_key(j, "value");
		sohoa_json_str(j, f->value);
		sohoa_json_key(j, "raw");
		sohoa_json_str(j, f->raw);
		sohoa_json_key(j, "confidence");
		sohoa_json_num(j, f->conf);
		sohoa_json_key(j, "flagged");
		sohoa_json_bool(j, f->flagged);
		sohoa_json_key(j, "corrected");
		sohoa_json_bool(j, f->corrected);
		sohoa_json_obj_close(j);
	}
	sohoa_json_obj_close(j);
	sohoa_json_key(j, "text");
	sohoa_json_strn(j, text.buf, text.len);
	sohoa_json_obj_close(j);
	sohoa_buf_release(&text);
}

void
sohoa_event_json(struct sohoa_json *j, const struct sohoa_event *ev)
{
	sohoa_json_obj_open(j);
	sohoa_json_key(j, "id");
	sohoa_json_int(j, ev->id);
	sohoa_json_key(j, "at");
	sohoa_json_str(j, ev->at);
	sohoa_json_key(j, "who");
	sohoa_json_str(j, ev->who);
	sohoa_json_key(j, "source");
	sohoa_json_str(j, ev->source);
	sohoa_json_key(j, "action");
	sohoa_json_str(j, ev->action);
	sohoa_json_key(j, "document");
	if (ev->document_id > 0)
		sohoa_json_int(j, ev->document_id);
	else
		sohoa_json_null(j);
	sohoa_json_key(j, "dossier");
	if (ev->dossier_id > 0)
		sohoa_json_int(j, ev->dossier_id);
	else
		sohoa_json_null(j);
	sohoa_json_key(j, "key");
	sohoa_json_str(j, ev->key);
	sohoa_json_key(j, "old");
	sohoa_json_str(j, ev->old_value);
	sohoa_json_key(j, "new");
	sohoa_json_str(j, ev->new_value);
	sohoa_json_key(j, "detail");
	if (ev->detail != NULL)
		sohoa_json_raw(j, ev->detail);
	else
		sohoa_json_null(j);
	sohoa_json_key(j, "undoes");
	if (ev->undoes > 0)
		sohoa_json_int(j, ev->undoes);
	else
		sohoa_json_null(j);
	sohoa_json_key(j, "undone_by");
	if (ev->undone_by > 0)
		sohoa_json_int(j, ev->undone_by);
	else
		sohoa_json_null(j);
	sohoa_json_obj_close(j);
}
