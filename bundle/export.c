/*
 * Export: one signed bundle per dossier, streamed with libarchive.
 *
 * The order matters because METS.xml must carry the SHA-256 of every file
 * and the signature covers METS.xml: store blobs are named by their
 * SHA-256 already, so their checksums and sizes are known without reading
 * them; the small generated files (XML, text, JSON) are made in memory and
 * hashed; then METS.xml is written and signed; only then are the members
 * streamed into OUT.tmp-XXXXXX, each blob re-hashed as it is copied (a
 * damaged store fails the export), and the file is committed whole
 * (sohoa_tmp_commit: fsync, rename, fsync of the folder).  The temporary
 * file is held (sohoa/tmp.h) while it is written, so the next export to
 * OUT can tell what a killed one left (no lock) from what a running one is
 * writing, and removes the former; so is the folder where --sign-pdfs
 * signs the PDFs.  One signer (sohoa/sign.h) signs METS.xml, the BagIt
 * tag manifest and the PDFs, so a token asks for its PIN once.
 *
 *   sohoa_bundle_export
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/tmp.h"
#include "sohoa/json.h"
#include "sohoa/pdf.h"
#include "sohoa/sign.h"
#include "sohoa/utf8.h"
#include "bundle_private.h"

enum group {
	G_OTHER,	/* metadata/other */
	G_DESC,		/* metadata/descriptive */
	G_PRES,		/* metadata/preservation */
	G_REPMETS,	/* representations/rep1/METS.xml */
	G_REPDESC,	/* representations/rep1/metadata/descriptive */
	G_DATA,		/* representations/rep1/data */
	G_SUPP,		/* representations/rep1/supplementary */
};

struct member {
	char *name;		/* path in the package tree */
	struct sohoa_buf mem;	/* content, when generated */
	int blob;		/* content is the store blob sha256 */
	char sha256[65];
	uint64_t size;
	const char *mime;
	int group;
	char id[48];		/* METS ID-uuid */
};

struct pkg {
	struct sohoa_archive *a;
	struct sohoa_ctx *ctx;
	const struct sohoa_export_opts *opts;
	struct sohoa_dossier_meta *meta;
	const char *fc;			/* fileCode */
	struct sohoa_buf stem;		/* fileCode made safe for file names */
	struct sohoa_buf now;		/* ISO 8601 with offset */
	struct sohoa_buf objid;
	struct sohoa_document **docs;
	int64_t *ids;
	size_t ndocs;
	char (*pdf)[65];		/* per document: the PDF to ship */
	struct member *m;
	size_t n, alloc;
	struct sohoa_buf mets, sig;
	struct sohoa_buf mets_sig;	/* bags: METS.xml's own, in data/ */
	const struct sohoa_signer *signer;
	struct sohoa_signer *own_signer;	/* loaded from the PEM files */
	time_t when;			/* of the signatures */
	struct sohoa_tmp tmpdir;	/* for signed PDFs */
};

static int
nomem(struct pkg *p)
{
	return sohoa_set_error(p->ctx, SOHOA_ERR_NOMEM, "out of memory");
}

static struct member *
add_member(struct pkg *p, const char *name, const char *mime, int group)
{
	struct member *m;
	struct sohoa_buf id = SOHOA_BUF_INIT;

	if (p->n == p->alloc) {
		size_t na = p->alloc ? 2 * p->alloc : 64;
		struct member *nm = realloc(p->m, na * sizeof(*nm));

		if (nm == NULL)
			return NULL;
		p->m = nm;
		p->alloc = na;
	}
	m = &p->m[p->n];
	memset(m, 0, sizeof(*m));
	sohoa_buf_init(&m->mem);
	m->name = strdup(name);
	if (m->name == NULL)
		return NULL;
	m->mime = mime;
	m->group = group;
	sohoa_buf_adds(&id, "ID-");
	bundle_uuid(&id);
	snprintf(m->id, sizeof(m->id), "%s", id.buf);
	sohoa_buf_release(&id);
	p->n++;
	return m;
}

/* A generated member: CONTENT is moved into it and hashed. */
static int
add_mem(struct pkg *p, const char *name, const char *mime, int group,
    struct sohoa_buf *content)
{
	struct member *m = add_member(p, name, mime, group);

	if (m == NULL)
		return nomem(p);
	m->mem = *content;
	sohoa_buf_init(content);
	m->size = m->mem.len;
	sohoa_sha256_mem(m->mem.buf, m->mem.len, m->sha256);
	return SOHOA_OK;
}

/* A member streamed from the store; only its size is read now. */
static int
add_blob(struct pkg *p, const char *name, const char *mime, int group,
    const char *sha256)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct member *m;
	struct stat st;
	int rc = SOHOA_OK;

	rc = sohoa_store_path(p->a, sha256, &path);
	if (rc != SOHOA_OK)
		return nomem(p);
	if (stat(path.buf, &st) != 0) {
		rc = sohoa_set_error(p->ctx, SOHOA_ERR_NOTFOUND,
		    "blob %s for '%s' is missing from the store '%s'",
		    sha256, name, path.buf);
		goto out;
	}
	m = add_member(p, name, mime, group);
	if (m == NULL) {
		rc = nomem(p);
		goto out;
	}
	m->blob = 1;
	snprintf(m->sha256, sizeof(m->sha256), "%s", sha256);
	m->size = (uint64_t)st.st_size;
out:
	sohoa_buf_release(&path);
	return rc;
}

static void
free_members(struct pkg *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->m[i].name);
		sohoa_buf_release(&p->m[i].mem);
	}
	free(p->m);
	p->m = NULL;
	p->n = p->alloc = 0;
}

/* Characters allowed in member names: the rest becomes '_'. */
static void
safe_name(const char *s, struct sohoa_buf *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')
			sohoa_buf_addch(out, c);
		else
			sohoa_buf_addch(out, '_');
	}
	if (out->len == 0 || out->buf[0] == '.')
		sohoa_buf_adds(out, "_");
}

static const char *
image_ext(const char *type, const char **pmime)
{
	if (type != NULL && strcmp(type, "png") == 0) {
		*pmime = "image/png";
		return "png";
	}
	if (type != NULL && (strcmp(type, "tiff") == 0 ||
	    strcmp(type, "tif") == 0)) {
		*pmime = "image/tiff";
		return "tif";
	}
	if (type != NULL && strcmp(type, "pnm") == 0) {
		*pmime = "image/x-portable-anymap";
		return "pnm";
	}
	*pmime = "image/jpeg";
	return "jpg";
}

/* ---- loading the dossier ---------------------------------------------- */

static int
list_cb(void *arg, const struct sohoa_document *d)
{
	struct pkg *p = arg;
	int64_t *ni;

	ni = realloc(p->ids, (p->ndocs + 1) * sizeof(*ni));
	if (ni == NULL)
		return SOHOA_ERR_NOMEM;
	p->ids = ni;
	p->ids[p->ndocs++] = d->id;
	return 0;
}

/* Each document with its pages' text and its fields, in dossier order. */
static int
load_documents(struct pkg *p)
{
	size_t i;
	int rc;

	rc = sohoa_archive_document_list(p->a, p->meta->id, list_cb, p);
	if (rc == SOHOA_ERR_NOMEM)
		return nomem(p);
	if (rc != SOHOA_OK)
		return rc;
	if (p->ndocs == 0)
		return sohoa_set_error(p->ctx, SOHOA_ERR_INPUT,
		    "dossier '%s' has no documents", p->meta->code);
	p->docs = calloc(p->ndocs, sizeof(*p->docs));
	p->pdf = calloc(p->ndocs, sizeof(*p->pdf));
	if (p->docs == NULL || p->pdf == NULL)
		return nomem(p);
	for (i = 0; i < p->ndocs; i++) {
		rc = sohoa_archive_document_load(p->a, p->ids[i], &p->docs[i]);
		if (rc != SOHOA_OK)
			return rc;
	}
	return SOHOA_OK;
}

/*
 * The PDF that goes in the bundle for each document: the stored one, or,
 * with --sign-pdfs, a PAdES-signed copy put in the store next to it.
 */
static int
pick_pdfs(struct pkg *p)
{
	struct sohoa_buf in = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < p->ndocs; i++)
		if (p->docs[i]->pdf_sha256[0] == '\0')
			return sohoa_set_error(p->ctx, SOHOA_ERR_NOTFOUND,
			    "document %d of dossier '%s' has no PDF (run"
			    " 'sohoa pdf' first)", p->docs[i]->ordinal,
			    p->meta->code);
	for (i = 0; i < p->ndocs; i++)
		memcpy(p->pdf[i], p->docs[i]->pdf_sha256, 65);
	if (!p->opts->sign_pdfs)
		return SOHOA_OK;
	if (p->opts->office == NULL || *p->opts->office == '\0')
		return sohoa_set_error(p->ctx, SOHOA_ERR_INPUT,
		    "--sign-pdfs needs the office's name (--office NAME)");
	/* what killed exports left there first */
	sohoa_tmp_sweep(sohoa_tmp_root(), "sohoa-export-");
	sohoa_buf_addf(&out, "%s/sohoa-export-", sohoa_tmp_root());
	rc = sohoa_tmp_dir(p->ctx, out.buf, &p->tmpdir);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < p->ndocs && rc == SOHOA_OK; i++) {
		sohoa_buf_reset(&in);
		sohoa_buf_reset(&out);
		sohoa_store_path(p->a, p->pdf[i], &in);
		sohoa_buf_addf(&out, "%s/%zu.pdf", p->tmpdir.path.buf, i + 1);
		rc = sohoa_pdf_sign(p->ctx, p->signer, in.buf, out.buf,
		    p->opts->office, p->when);
		if (rc == SOHOA_OK)
			rc = sohoa_store_put_file(p->a, out.buf, NULL, p->pdf[i]);
		unlink(out.buf);
	}
out:
	sohoa_buf_release(&in);
	sohoa_buf_release(&out);
	return rc;
}

/* ---- generated files -------------------------------------------------- */

static const char *
field(const struct sohoa_document *d, const char *const *names)
{
	size_t i, k;

	for (k = 0; names[k] != NULL; k++)
		for (i = 0; i < d->nfields; i++)
			if (strcmp(d->fields[i].key, names[k]) == 0 &&
			    d->fields[i].value != NULL &&
			    *d->fields[i].value != '\0')
				return d->fields[i].value;
	return NULL;
}

/* Thông tư code of a sohoa document type (32 Khác for civil status). */
static const char *
type_code(const char *t)
{
	if (strstr(t, "decision") != NULL || strstr(t, "quyet_dinh") != NULL)
		return "02";
	if (strstr(t, "report") != NULL || strstr(t, "bao_cao") != NULL)
		return "14";
	if (strstr(t, "minutes") != NULL || strstr(t, "bien_ban") != NULL)
		return "20";
	return "32";
}

/* ISO YYYY-MM-DD... -> DD/MM/YYYY, "" when not a date */
static void
vn_date(const char *iso, struct sohoa_buf *out)
{
	if (iso != NULL && strlen(iso) >= 10 && iso[4] == '-' && iso[7] == '-')
		sohoa_buf_addf(out, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* Append S clipped to MAX code points, whole UTF-8 sequences only. */
static void
clip(struct sohoa_buf *out, const char *s, size_t max)
{
	size_t len = strlen(s), bytes = 0, cps = 0;

	while (bytes < len && cps < max) {
		int32_t cp;

		bytes += sohoa_utf8_decode(s + bytes, len - bytes, &cp);
		cps++;
	}
	sohoa_buf_add(out, s, bytes);
}

static int
make_ead(struct pkg *p)
{
	struct sohoa_buf x = SOHOA_BUF_INIT;
	const char *const *k;

	sohoa_buf_adds(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!-- Thông tư 05/2025/TT-BNV: dữ liệu hồ sơ lưu trữ (SIP_hoso) -->\n"
	    "<simpledc>\n");
	for (k = sohoa_dossier_meta_keys(); *k != NULL; k++) {
		const char *el = sohoa_dossier_meta_element(*k);

		if (el != NULL)
			xml_elem(&x, 1, el, sohoa_dossier_meta_value(p->meta, *k));
	}
	if (sohoa_buf_adds(&x, "</simpledc>\n") != SOHOA_OK) {
		sohoa_buf_release(&x);
		return nomem(p);
	}
	return add_mem(p, "metadata/descriptive/EAD.xml", "text/xml", G_DESC,
	    &x);
}

static int
make_ead_doc(struct pkg *p, size_t i)
{
	static const char *const number_keys[] = { "doc_number", "number",
	    "registration_number", "certificate_number", "so", NULL };
	static const char *const organ_keys[] = { "issuer", "authority",
	    "registration_authority", "registration_place", "organ", NULL };
	const struct sohoa_document *d = p->docs[i];
	const struct sohoa_dossier_meta *mt = p->meta;
	struct sohoa_buf x = SOHOA_BUF_INIT, v = SOHOA_BUF_INIT;
	struct sohoa_buf name = SOHOA_BUF_INIT;
	const char *num = field(d, number_keys), *organ = field(d, organ_keys);
	const char *slash;
	int rc;

	sohoa_buf_adds(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!-- Thông tư 05/2025/TT-BNV: dữ liệu tài liệu lưu trữ -->\n"
	    "<simpledc>\n");
	sohoa_buf_addf(&v, "%s.%d", p->fc, d->ordinal);
	xml_elem(&x, 1, "docId", v.buf);
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "%s.%07d", p->fc, d->ordinal);
	xml_elem(&x, 1, "docCode", v.buf);
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "%d", d->ordinal);
	xml_elem(&x, 1, "docOrdinal", v.buf);
	xml_elem(&x, 1, "maintenance",
	    sohoa_dossier_meta_value(mt, "maintenance"));
	xml_elem(&x, 1, "typeName", type_code(d->doc_type));
	/* "12/2019/QĐ-UBND": số 12, ký hiệu 2019/QĐ-UBND */
	sohoa_buf_reset(&v);
	slash = num ? strchr(num, '/') : NULL;
	if (num != NULL)
		clip(&v, num, slash ? (size_t)(slash - num) : 11);
	if (slash != NULL && v.len > (size_t)(slash - num))
		sohoa_buf_truncate(&v, (size_t)(slash - num));
	xml_elem(&x, 1, "codeNumber", v.buf);
	sohoa_buf_reset(&v);
	if (slash != NULL)
		clip(&v, slash + 1, 30);
	xml_elem(&x, 1, "codeNotation", v.buf);
	sohoa_buf_reset(&v);
	vn_date(d->doc_date, &v);
	xml_elem(&x, 1, "issuedDate", v.buf);
	sohoa_buf_reset(&v);
	clip(&v, organ ? organ : sohoa_dossier_meta_value(mt, "organ_name"),
	    200);
	xml_elem(&x, 1, "organName", v.buf);
	sohoa_buf_reset(&v);
	clip(&v, d->title && *d->title ? d->title : d->doc_type, 500);
	xml_elem(&x, 1, "subject", v.buf);
	xml_elem(&x, 1, "language", sohoa_dossier_meta_value(mt, "language"));
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "%zu", d->npages);
	xml_elem(&x, 1, "numberOfPage", v.buf);
	xml_elem(&x, 1, "inforSign", "");
	xml_elem(&x, 1, "keyword", "");
	xml_elem(&x, 1, "mode", sohoa_dossier_meta_value(mt, "mode"));
	xml_elem(&x, 1, "confidenceLevel",
	    sohoa_dossier_meta_value(mt, "confidence_level"));
	xml_elem(&x, 1, "autograph", "");
	xml_elem(&x, 1, "format", sohoa_dossier_meta_value(mt, "format"));
	xml_elem(&x, 1, "riskRecovery",
	    sohoa_dossier_meta_value(mt, "risk_recovery"));
	xml_elem(&x, 1, "riskRecoveryStatus",
	    sohoa_dossier_meta_value(mt, "risk_recovery_status"));
	xml_elem(&x, 1, "process", "");
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "Số hóa, nhận dạng ký tự (OCR) bằng sohoa; độ tin"
	    " cậy OCR trung bình %.0f%%", d->confidence);
	xml_elem(&x, 1, "description", v.buf);
	rc = sohoa_buf_adds(&x, "</simpledc>\n");
	sohoa_buf_addf(&name,
	    "representations/rep1/metadata/descriptive/EAD_doc_%d.xml",
	    d->ordinal);
	if (rc == SOHOA_OK)
		rc = add_mem(p, name.buf, "text/xml", G_REPDESC, &x);
	else
		rc = nomem(p);
	sohoa_buf_release(&x);
	sohoa_buf_release(&v);
	sohoa_buf_release(&name);
	return rc;
}

static void
json_fields(struct sohoa_json *j, const struct sohoa_document *d)
{
	size_t i;

	sohoa_json_arr_open(j);
	for (i = 0; i < d->nfields; i++) {
		const struct sohoa_doc_field *f = &d->fields[i];

		sohoa_json_obj_open(j);
		sohoa_json_key(j, "key");
		sohoa_json_str(j, f->key);
		sohoa_json_key(j, "value");
		sohoa_json_str(j, f->value);
		sohoa_json_key(j, "raw");
		sohoa_json_str(j, f->raw);
		sohoa_json_key(j, "conf");
		sohoa_json_num(j, f->conf);
		sohoa_json_key(j, "flagged");
		sohoa_json_bool(j, f->flagged);
		sohoa_json_key(j, "corrected");
		sohoa_json_bool(j, f->corrected);
		/* import keeps the newer of two values by these */
		sohoa_json_key(j, "changed_at");
		sohoa_json_str(j, f->changed_at);
		sohoa_json_key(j, "changed_by");
		sohoa_json_str(j, f->changed_by);
		sohoa_json_obj_close(j);
	}
	sohoa_json_arr_close(j);
}

/* The payload of one document: PDF, EAD_doc, text, hOCR, images, fields. */
static int
add_document(struct pkg *p, size_t i, struct sohoa_json *sj)
{
	const struct sohoa_document *d = p->docs[i];
	struct sohoa_buf name = SOHOA_BUF_INIT, dir = SOHOA_BUF_INIT;
	struct sohoa_buf x = SOHOA_BUF_INIT;
	struct sohoa_json j;
	const char *mime;
	size_t k;
	int rc;

	sohoa_buf_addf(&name, "representations/rep1/data/%s.%d.pdf",
	    p->stem.buf, d->ordinal);
	rc = add_blob(p, name.buf, "application/pdf", G_DATA, p->pdf[i]);
	if (rc == SOHOA_OK)
		rc = make_ead_doc(p, i);
	sohoa_buf_addf(&dir, "representations/rep1/supplementary/%s.%d",
	    p->stem.buf, d->ordinal);

	sohoa_json_obj_open(sj);
	sohoa_json_key(sj, "ordinal");
	sohoa_json_int(sj, d->ordinal);
	sohoa_json_key(sj, "doc_type");
	sohoa_json_str(sj, d->doc_type);
	sohoa_json_key(sj, "title");
	sohoa_json_str(sj, d->title);
	sohoa_json_key(sj, "doc_date");
	sohoa_json_str(sj, d->doc_date);
	sohoa_json_key(sj, "confidence");
	sohoa_json_num(sj, d->confidence);
	sohoa_json_key(sj, "file_sha256");
	sohoa_json_str(sj, d->file_sha256);
	sohoa_json_key(sj, "first_page");
	sohoa_json_int(sj, d->first_page);
	sohoa_json_key(sj, "npages");
	sohoa_json_int(sj, (long long)d->npages);
	sohoa_json_key(sj, "pdf_sha256");
	sohoa_json_str(sj, p->pdf[i]);
	sohoa_json_key(sj, "pdf");
	sohoa_json_str(sj, name.buf);
	sohoa_json_key(sj, "created_at");
	sohoa_json_str(sj, d->created_at);
	sohoa_json_key(sj, "pages");
	sohoa_json_arr_open(sj);
	for (k = 0; k < d->npages && rc == SOHOA_OK; k++) {
		const struct sohoa_doc_page *pg = &d->pages[k];

		sohoa_buf_reset(&name);
		/* named by place in the document: it may go on over files */
		sohoa_buf_addf(&name, "%s/page-%03zu.txt", dir.buf, k + 1);
		sohoa_buf_adds(&x, pg->text);
		rc = add_mem(p, name.buf, "text/plain", G_SUPP, &x);
		if (rc == SOHOA_OK && pg->hocr_sha256[0]) {
			sohoa_buf_reset(&name);
			sohoa_buf_addf(&name, "%s/page-%03zu.hocr", dir.buf,
			    k + 1);
			rc = add_blob(p, name.buf, "text/html", G_SUPP,
			    pg->hocr_sha256);
		}
		if (rc == SOHOA_OK && pg->image_sha256[0]) {
			const char *ext = image_ext(pg->image_type, &mime);

			sohoa_buf_reset(&name);
			sohoa_buf_addf(&name, "%s/page-%03zu.%s", dir.buf,
			    k + 1, ext);
			rc = add_blob(p, name.buf, mime, G_SUPP,
			    pg->image_sha256);
		}
		if (rc == SOHOA_OK && pg->words_sha256[0]) {
			sohoa_buf_reset(&name);
			sohoa_buf_addf(&name, "%s/page-%03zu.words", dir.buf,
			    k + 1);
			rc = add_blob(p, name.buf, "text/plain", G_SUPP,
			    pg->words_sha256);
		}
		sohoa_json_obj_open(sj);
		sohoa_json_key(sj, "file_sha256");
		sohoa_json_str(sj, pg->file_sha256);
		sohoa_json_key(sj, "pageno");
		sohoa_json_int(sj, pg->pageno);
		sohoa_json_key(sj, "status");
		sohoa_json_str(sj, sohoa_page_status_name(pg->status));
		sohoa_json_key(sj, "orientation");
		sohoa_json_int(sj, pg->orientation);
		sohoa_json_key(sj, "skew");
		sohoa_json_num(sj, pg->skew);
		sohoa_json_key(sj, "confidence");
		sohoa_json_num(sj, pg->confidence);
		sohoa_json_key(sj, "width");
		sohoa_json_int(sj, pg->width);
		sohoa_json_key(sj, "height");
		sohoa_json_int(sj, pg->height);
		sohoa_json_key(sj, "dpi");
		sohoa_json_int(sj, pg->dpi);
		sohoa_json_key(sj, "image_sha256");
		sohoa_json_str(sj, pg->image_sha256[0] ? pg->image_sha256 : NULL);
		sohoa_json_key(sj, "image_type");
		sohoa_json_str(sj, pg->image_type[0] ? pg->image_type : NULL);
		sohoa_json_key(sj, "hocr_sha256");
		sohoa_json_str(sj, pg->hocr_sha256[0] ? pg->hocr_sha256 : NULL);
		sohoa_json_key(sj, "words_sha256");
		sohoa_json_str(sj, pg->words_sha256[0] ? pg->words_sha256 : NULL);
		sohoa_json_key(sj, "text");
		sohoa_json_str(sj, pg->text);
		sohoa_json_key(sj, "error");
		sohoa_json_str(sj, pg->error);
		sohoa_json_obj_close(sj);
	}
	sohoa_json_arr_close(sj);
	sohoa_json_key(sj, "fields");
	json_fields(sj, d);
	sohoa_json_obj_close(sj);

	if (rc == SOHOA_OK) {
		sohoa_buf_reset(&x);
		sohoa_json_init(&j, &x, 1);
		json_fields(&j, d);
		sohoa_buf_addch(&x, '\n');
		sohoa_buf_reset(&name);
		sohoa_buf_addf(&name, "%s/fields.json", dir.buf);
		rc = j.rc != SOHOA_OK ? nomem(p) :
		    add_mem(p, name.buf, "application/json", G_SUPP, &x);
	}
	sohoa_buf_release(&x);
	sohoa_buf_release(&name);
	sohoa_buf_release(&dir);
	return rc;
}

struct file_row {
	char sha256[65];
	char *name, *format;
	int64_t size;
	int npages;
};

/* What sohoa.json says of one original scan. */
struct original {
	struct pkg *p;
	struct sohoa_json *sj;
	struct sohoa_buf name;
};

static int
add_original(void *arg, const struct sohoa_file_info *f)
{
	struct original *o = arg;
	const char *mime, *ext = image_ext(f->format, &mime);
	int rc;

	sohoa_buf_reset(&o->name);
	sohoa_buf_addf(&o->name,
	    "representations/rep1/supplementary/originals/%s.%s", f->sha256,
	    ext);
	rc = add_blob(o->p, o->name.buf, mime, G_SUPP, f->sha256);
	sohoa_json_obj_open(o->sj);
	sohoa_json_key(o->sj, "sha256");
	sohoa_json_str(o->sj, f->sha256);
	sohoa_json_key(o->sj, "name");
	sohoa_json_str(o->sj, f->name);
	sohoa_json_key(o->sj, "format");
	sohoa_json_str(o->sj, f->format);
	sohoa_json_key(o->sj, "size");
	sohoa_json_int(o->sj, f->size);
	sohoa_json_key(o->sj, "npages");
	sohoa_json_int(o->sj, f->npages);
	sohoa_json_key(o->sj, "member");
	sohoa_json_str(o->sj, o->name.buf);
	sohoa_json_obj_close(o->sj);
	return rc;
}

/* 1 when SHA is the original of a page before page K of document I. */
static int
original_seen(const struct pkg *p, size_t i, size_t k, const char *sha)
{
	const struct sohoa_document *d;
	size_t a, b;

	for (a = 0; a <= i; a++) {
		d = p->docs[a];
		if (strcmp(d->file_sha256, sha) == 0 && a < i)
			return 1;
		for (b = 0; b < (a < i ? d->npages : k); b++)
			if (strcmp(d->pages[b].file_sha256, sha) == 0)
				return 1;
	}
	return 0;
}

/*
 * The original scans, once each, with what sohoa.json needs of them: the
 * documents' own and those of pages a document took from the files
 * after it (a document can go on over files).
 */
static int
add_originals(struct pkg *p, struct sohoa_json *sj)
{
	const struct sohoa_document *d;
	struct original o;
	size_t i, k;
	int rc = SOHOA_OK;

	o.p = p;
	o.sj = sj;
	sohoa_buf_init(&o.name);
	sohoa_json_arr_open(sj);
	for (i = 0; i < p->ndocs && rc == SOHOA_OK; i++) {
		d = p->docs[i];
		if (!original_seen(p, i, 0, d->file_sha256))
			rc = sohoa_archive_file_get(p->a, d->file_sha256,
			    add_original, &o);
		for (k = 0; k < d->npages && rc == SOHOA_OK; k++)
			if (strcmp(d->pages[k].file_sha256, d->file_sha256) != 0 &&
			    !original_seen(p, i, k, d->pages[k].file_sha256))
				rc = sohoa_archive_file_get(p->a,
				    d->pages[k].file_sha256, add_original, &o);
	}
	sohoa_json_arr_close(sj);
	sohoa_buf_release(&o.name);
	return rc;
}

static int
make_payload(struct pkg *p)
{
	struct sohoa_buf js = SOHOA_BUF_INIT;
	struct sohoa_json j;
	size_t i;
	int rc = SOHOA_OK;

	sohoa_json_init(&j, &js, 1);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "format");
	sohoa_json_str(&j, "sohoa-dossier");
	sohoa_json_key(&j, "version");
	sohoa_json_int(&j, 1);
	sohoa_json_key(&j, "dossier");
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "code");
	sohoa_json_str(&j, p->meta->code);
	sohoa_json_key(&j, "meta");
	sohoa_json_obj_open(&j);
	for (i = 0; i < p->meta->n; i++) {
		if (p->meta->items[i].source != SOHOA_META_SET)
			continue;
		sohoa_json_key(&j, p->meta->items[i].key);
		sohoa_json_str(&j, p->meta->items[i].value);
	}
	sohoa_json_obj_close(&j);
	sohoa_json_obj_close(&j);
	sohoa_json_key(&j, "files");
	rc = add_originals(p, &j);
	sohoa_json_key(&j, "documents");
	sohoa_json_arr_open(&j);
	for (i = 0; i < p->ndocs && rc == SOHOA_OK; i++)
		rc = add_document(p, i, &j);
	sohoa_json_arr_close(&j);
	sohoa_json_obj_close(&j);
	sohoa_buf_addch(&js, '\n');
	if (rc == SOHOA_OK && j.rc != SOHOA_OK)
		rc = nomem(p);
	if (rc == SOHOA_OK)
		rc = add_mem(p, PKG_SOHOA_JSON, "application/json", G_OTHER,
		    &js);
	if (rc == SOHOA_OK)
		rc = make_ead(p);
	sohoa_buf_release(&js);
	return rc;
}

/* ---- PREMIS and METS -------------------------------------------------- */

static void
upper_hex(const char *sha, char out[65])
{
	size_t i;

	for (i = 0; i < 64 && sha[i]; i++)
		out[i] = (sha[i] >= 'a' && sha[i] <= 'f') ? sha[i] - 32 : sha[i];
	out[i] = '\0';
}

static int
make_premis(struct pkg *p)
{
	struct sohoa_buf x = SOHOA_BUF_INIT, uuid = SOHOA_BUF_INIT;
	const char *organ = sohoa_dossier_meta_value(p->meta, "organ_name");
	const char *first = NULL;
	size_t i;

	for (i = 0; i < p->ndocs; i++)
		if (p->docs[i]->created_at != NULL && (first == NULL ||
		    strcmp(p->docs[i]->created_at, first) < 0))
			first = p->docs[i]->created_at;
	sohoa_buf_adds(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<premis:premis xmlns:premis=\"http://www.loc.gov/premis/v3\""
	    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	    " version=\"3.0\">\n");
	for (i = 0; i < p->n; i++) {
		const struct member *m = &p->m[i];
		const char *fmt = NULL;

		if (m->group != G_DATA && !(m->group == G_SUPP &&
		    strstr(m->name, "/originals/") != NULL))
			continue;
		if (m->group == G_DATA)
			fmt = "fmt/477";	/* PDF/A-2b */
		else if (strcmp(m->mime, "image/tiff") == 0)
			fmt = "fmt/353";
		sohoa_buf_adds(&x, "\t<premis:object xsi:type=\"premis:file\">\n"
		    "\t\t<premis:objectIdentifier>\n"
		    "\t\t\t<premis:objectIdentifierType>local"
		    "</premis:objectIdentifierType>\n");
		xml_elem(&x, 3, "premis:objectIdentifierValue", m->name);
		sohoa_buf_addf(&x, "\t\t</premis:objectIdentifier>\n"
		    "\t\t<premis:objectCharacteristics>\n"
		    "\t\t\t<premis:compositionLevel>0</premis:compositionLevel>\n"
		    "\t\t\t<premis:fixity>\n"
		    "\t\t\t\t<premis:messageDigestAlgorithm>SHA-256"
		    "</premis:messageDigestAlgorithm>\n"
		    "\t\t\t\t<premis:messageDigest>%s</premis:messageDigest>\n"
		    "\t\t\t\t<premis:messageDigestOriginator>sohoa"
		    "</premis:messageDigestOriginator>\n"
		    "\t\t\t</premis:fixity>\n"
		    "\t\t\t<premis:size>%llu</premis:size>\n"
		    "\t\t\t<premis:format>\n"
		    "\t\t\t\t<premis:formatDesignation><premis:formatName>%s"
		    "</premis:formatName></premis:formatDesignation>\n",
		    m->sha256, (unsigned long long)m->size, m->mime);
		if (fmt != NULL)
			sohoa_buf_addf(&x, "\t\t\t\t<premis:formatRegistry>"
			    "<premis:formatRegistryName>PRONOM"
			    "</premis:formatRegistryName><premis:formatRegistryKey>"
			    "%s</premis:formatRegistryKey></premis:formatRegistry>\n",
			    fmt);
		sohoa_buf_adds(&x, "\t\t\t</premis:format>\n"
		    "\t\t</premis:objectCharacteristics>\n"
		    "\t</premis:object>\n");
	}
	/* digitization is 'transfer' in Thông tư 05/2025 [S] */
	bundle_uuid(&uuid);
	sohoa_buf_addf(&x, "\t<premis:event>\n"
	    "\t\t<premis:eventIdentifier><premis:eventIdentifierType>UUID"
	    "</premis:eventIdentifierType><premis:eventIdentifierValue>uuid-%s"
	    "</premis:eventIdentifierValue></premis:eventIdentifier>\n"
	    "\t\t<premis:eventType>transfer</premis:eventType>\n",
	    uuid.buf);
	xml_elem(&x, 2, "premis:eventDateTime", first ? first : p->now.buf);
	sohoa_buf_adds(&x, "\t\t<premis:eventDetailInformation>"
	    "<premis:eventDetail>Số hóa tài liệu nền giấy: quét, làm sạch ảnh,"
	    " nhận dạng ký tự (OCR), tạo PDF/A hai lớp</premis:eventDetail>"
	    "</premis:eventDetailInformation>\n"
	    "\t\t<premis:eventOutcomeInformation><premis:eventOutcome>success"
	    "</premis:eventOutcome></premis:eventOutcomeInformation>\n"
	    "\t\t<premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>"
	    "local</premis:linkingAgentIdentifierType>"
	    "<premis:linkingAgentIdentifierValue>sohoa"
	    "</premis:linkingAgentIdentifierValue></premis:linkingAgentIdentifier>\n");
	for (i = 0; i < p->n; i++) {
		if (p->m[i].group != G_DATA)
			continue;
		sohoa_buf_adds(&x, "\t\t<premis:linkingObjectIdentifier>"
		    "<premis:linkingObjectIdentifierType>local"
		    "</premis:linkingObjectIdentifierType>"
		    "<premis:linkingObjectIdentifierValue>");
		xml_esc(&x, p->m[i].name);
		sohoa_buf_adds(&x, "</premis:linkingObjectIdentifierValue>"
		    "</premis:linkingObjectIdentifier>\n");
	}
	sohoa_buf_adds(&x, "\t</premis:event>\n");
	sohoa_buf_reset(&uuid);
	bundle_uuid(&uuid);
	sohoa_buf_addf(&x, "\t<premis:event>\n"
	    "\t\t<premis:eventIdentifier><premis:eventIdentifierType>UUID"
	    "</premis:eventIdentifierType><premis:eventIdentifierValue>uuid-%s"
	    "</premis:eventIdentifierValue></premis:eventIdentifier>\n"
	    "\t\t<premis:eventType>information package creation"
	    "</premis:eventType>\n", uuid.buf);
	xml_elem(&x, 2, "premis:eventDateTime", p->now.buf);
	sohoa_buf_adds(&x, "\t\t<premis:eventDetailInformation><premis:eventDetail>"
	    "sohoa export, chữ ký số CMS (PKCS#7) tách rời trên METS.xml"
	    "</premis:eventDetail></premis:eventDetailInformation>\n"
	    "\t\t<premis:eventOutcomeInformation><premis:eventOutcome>success"
	    "</premis:eventOutcome></premis:eventOutcomeInformation>\n"
	    "\t\t<premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>"
	    "local</premis:linkingAgentIdentifierType>"
	    "<premis:linkingAgentIdentifierValue>");
	xml_esc(&x, sohoa_signer_subject(p->signer));
	sohoa_buf_adds(&x, "</premis:linkingAgentIdentifierValue>"
	    "</premis:linkingAgentIdentifier>\n\t</premis:event>\n"
	    "\t<premis:agent>\n\t\t<premis:agentIdentifier>"
	    "<premis:agentIdentifierType>local</premis:agentIdentifierType>"
	    "<premis:agentIdentifierValue>sohoa</premis:agentIdentifierValue>"
	    "</premis:agentIdentifier>\n");
	sohoa_buf_addf(&x, "\t\t<premis:agentName>sohoa %s</premis:agentName>\n"
	    "\t\t<premis:agentType>software</premis:agentType>\n"
	    "\t</premis:agent>\n", SOHOA_VERSION);
	sohoa_buf_adds(&x, "\t<premis:agent>\n\t\t<premis:agentIdentifier>"
	    "<premis:agentIdentifierType>local</premis:agentIdentifierType>"
	    "<premis:agentIdentifierValue>");
	xml_esc(&x, sohoa_signer_subject(p->signer));
	sohoa_buf_adds(&x, "</premis:agentIdentifierValue>"
	    "</premis:agentIdentifier>\n");
	xml_elem(&x, 2, "premis:agentName", *organ ? organ :
	    sohoa_signer_subject(p->signer));
	sohoa_buf_adds(&x, "\t\t<premis:agentType>organization"
	    "</premis:agentType>\n\t</premis:agent>\n</premis:premis>\n");
	sohoa_buf_release(&uuid);
	return add_mem(p, "metadata/preservation/PREMIS.xml", "text/xml",
	    G_PRES, &x);
}

static void
mets_file(struct sohoa_buf *x, const struct member *m, const char *href,
    const char *created)
{
	char up[65];

	upper_hex(m->sha256, up);
	sohoa_buf_addf(x, "\t\t\t<mets:file ID=\"%s\" MIMETYPE=\"%s\""
	    " SIZE=\"%llu\" CREATED=\"%s\" CHECKSUM=\"%s\""
	    " CHECKSUMTYPE=\"SHA-256\">\n\t\t\t\t<mets:FLocat LOCTYPE=\"URL\""
	    " xlink:type=\"simple\" xlink:href=\"", m->id, m->mime,
	    (unsigned long long)m->size, created, up);
	xml_esc(x, href);
	sohoa_buf_adds(x, "\"/>\n\t\t\t</mets:file>\n");
}

static void
mets_mdref(struct sohoa_buf *x, const struct member *m, const char *href,
    const char *mdtype, const char *created)
{
	char up[65];

	upper_hex(m->sha256, up);
	sohoa_buf_addf(x, "\t\t<mets:mdRef LOCTYPE=\"URL\" xlink:type=\"simple\""
	    " xlink:href=\"");
	xml_esc(x, href);
	sohoa_buf_addf(x, "\" %s MIMETYPE=\"text/xml\" SIZE=\"%llu\""
	    " CREATED=\"%s\" CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\"/>\n",
	    mdtype, (unsigned long long)m->size, created, up);
}

static void
mets_head(struct pkg *p, struct sohoa_buf *x, const char *objid,
    const char *label)
{
	const char *organ = sohoa_dossier_meta_value(p->meta, "organ_name");
	const char *fonds = sohoa_dossier_meta_value(p->meta, "fonds_code");

	sohoa_buf_addf(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\""
	    " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
	    " xmlns:csip=\"https://DILCIS.eu/XML/METS/CSIPExtensionMETS\""
	    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	    " OBJID=\"%s\" LABEL=\"", objid);
	xml_esc(x, label);
	sohoa_buf_addf(x, "\" TYPE=\"Hồ sơ\" csip:CONTENTINFORMATIONTYPE=\"OTHER\""
	    " csip:OTHERCONTENTINFORMATIONTYPE=\"TT05/2025/TT-BNV\""
	    " PROFILE=\"https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml\">\n"
	    "\t<mets:metsHdr CREATEDATE=\"%s\" RECORDSTATUS=\"NEW\""
	    " csip:OAISPACKAGETYPE=\"SIP\">\n"
	    "\t\t<mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\""
	    " OTHERTYPE=\"SOFTWARE\">\n\t\t\t<mets:name>sohoa</mets:name>\n"
	    "\t\t\t<mets:note csip:NOTETYPE=\"SOFTWARE VERSION\">%s</mets:note>\n"
	    "\t\t</mets:agent>\n", p->now.buf, SOHOA_VERSION);
	sohoa_buf_adds(x, "\t\t<mets:agent ROLE=\"CREATOR\""
	    " TYPE=\"ORGANIZATION\">\n");
	xml_elem(x, 3, "mets:name", *organ ? organ :
	    sohoa_signer_subject(p->signer));
	if (*fonds) {
		sohoa_buf_adds(x, "\t\t\t<mets:note csip:NOTETYPE="
		    "\"IDENTIFICATIONCODE\">");
		xml_esc(x, fonds);
		sohoa_buf_adds(x, "</mets:note>\n");
	}
	sohoa_buf_adds(x, "\t\t</mets:agent>\n\t</mets:metsHdr>\n");
}

#define REP "representations/rep1/"

static int
make_rep_mets(struct pkg *p)
{
	struct sohoa_buf x = SOHOA_BUF_INIT, id = SOHOA_BUF_INIT;
	size_t i;
	int any;

	sohoa_buf_addf(&id, "%s-rep1", p->objid.buf);
	mets_head(p, &x, id.buf, sohoa_dossier_meta_value(p->meta, "title"));
	for (i = 0; i < p->n; i++) {
		if (p->m[i].group != G_REPDESC)
			continue;
		sohoa_buf_addf(&x, "\t<mets:dmdSec ID=\"dmd-%s\" CREATED=\"%s\""
		    " STATUS=\"CURRENT\">\n", p->m[i].id, p->now.buf);
		mets_mdref(&x, &p->m[i], p->m[i].name + strlen(REP),
		    "MDTYPE=\"OTHER\" OTHERMDTYPE=\"EAD_doc\"", p->now.buf);
		sohoa_buf_adds(&x, "\t</mets:dmdSec>\n");
	}
	sohoa_buf_addf(&x, "\t<mets:fileSec ID=\"fs-%s\">\n", p->objid.buf);
	for (any = 0; any < 2; any++) {
		sohoa_buf_addf(&x, "\t\t<mets:fileGrp ID=\"grp-%s-%s\""
		    " USE=\"%s\">\n", any ? "supp" : "data", p->objid.buf,
		    any ? "Other" : "Data");
		for (i = 0; i < p->n; i++)
			if (p->m[i].group == (any ? G_SUPP : G_DATA))
				mets_file(&x, &p->m[i],
				    p->m[i].name + strlen(REP), p->now.buf);
		sohoa_buf_adds(&x, "\t\t</mets:fileGrp>\n");
	}
	sohoa_buf_addf(&x, "\t</mets:fileSec>\n"
	    "\t<mets:structMap ID=\"sm-%s\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">\n"
	    "\t\t<mets:div ID=\"div-%s\" LABEL=\"rep1\">\n"
	    "\t\t\t<mets:div LABEL=\"Data\">\n", p->objid.buf, p->objid.buf);
	for (i = 0; i < p->n; i++)
		if (p->m[i].group == G_DATA)
			sohoa_buf_addf(&x, "\t\t\t\t<mets:fptr FILEID=\"%s\"/>\n",
			    p->m[i].id);
	sohoa_buf_adds(&x, "\t\t\t</mets:div>\n\t\t</mets:div>\n"
	    "\t</mets:structMap>\n</mets:mets>\n");
	sohoa_buf_release(&id);
	return add_mem(p, REP "METS.xml", "text/xml", G_REPMETS, &x);
}

/*
 * The root METS lists every file of the package with its size and
 * SHA-256 (not only the representation METS, as CSIP would allow), so
 * that its one signature covers the whole bundle directly.
 */
static int
make_mets(struct pkg *p)
{
	struct sohoa_buf *x = &p->mets;
	const struct member *ead = NULL, *premis = NULL;
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->m[i].group == G_DESC)
			ead = &p->m[i];
		if (p->m[i].group == G_PRES)
			premis = &p->m[i];
	}
	mets_head(p, x, p->objid.buf, sohoa_dossier_meta_value(p->meta,
	    "title"));
	sohoa_buf_addf(x, "\t<mets:dmdSec ID=\"dmd-%s\" CREATED=\"%s\""
	    " STATUS=\"CURRENT\">\n", ead->id, p->now.buf);
	mets_mdref(x, ead, ead->name, "MDTYPE=\"OTHER\" OTHERMDTYPE=\"EAD\"",
	    p->now.buf);
	sohoa_buf_addf(x, "\t</mets:dmdSec>\n\t<mets:amdSec>\n"
	    "\t\t<mets:digiprovMD ID=\"amd-%s\" CREATED=\"%s\""
	    " STATUS=\"CURRENT\">\n", premis->id, p->now.buf);
	mets_mdref(x, premis, premis->name, "MDTYPE=\"PREMIS\"", p->now.buf);
	sohoa_buf_addf(x, "\t\t</mets:digiprovMD>\n\t</mets:amdSec>\n"
	    "\t<mets:fileSec ID=\"fs-%s\">\n", p->objid.buf);
	sohoa_buf_addf(x, "\t\t<mets:fileGrp ID=\"grp-other-%s\""
	    " USE=\"Other\">\n", p->objid.buf);
	for (i = 0; i < p->n; i++)
		if (p->m[i].group == G_OTHER)
			mets_file(x, &p->m[i], p->m[i].name, p->now.buf);
	sohoa_buf_addf(x, "\t\t</mets:fileGrp>\n"
	    "\t\t<mets:fileGrp ID=\"grp-rep1-%s\""
	    " USE=\"Representations/rep1\">\n", p->objid.buf);
	for (i = 0; i < p->n; i++)
		if (p->m[i].group >= G_REPMETS)
			mets_file(x, &p->m[i], p->m[i].name, p->now.buf);
	sohoa_buf_addf(x, "\t\t</mets:fileGrp>\n\t</mets:fileSec>\n"
	    "\t<mets:structMap ID=\"sm-%s\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">\n"
	    "\t\t<mets:div ID=\"div-%s\" LABEL=\"%s\">\n"
	    "\t\t\t<mets:div LABEL=\"Metadata\" DMDID=\"dmd-%s\""
	    " ADMID=\"amd-%s\"/>\n\t\t\t<mets:div LABEL=\"Other\">\n",
	    p->objid.buf, p->objid.buf, p->objid.buf, ead->id, premis->id);
	for (i = 0; i < p->n; i++)
		if (p->m[i].group == G_OTHER)
			sohoa_buf_addf(x, "\t\t\t\t<mets:fptr FILEID=\"%s\"/>\n",
			    p->m[i].id);
	sohoa_buf_adds(x, "\t\t\t</mets:div>\n"
	    "\t\t\t<mets:div LABEL=\"Representations/rep1\">\n"
	    "\t\t\t\t<mets:mptr LOCTYPE=\"URL\" xlink:type=\"simple\""
	    " xlink:href=\"representations/rep1/METS.xml\""
	    " xlink:title=\"rep1\"/>\n\t\t\t</mets:div>\n\t\t</mets:div>\n"
	    "\t</mets:structMap>\n");
	if (sohoa_buf_adds(x, "</mets:mets>\n") != SOHOA_OK)
		return nomem(p);
	return SOHOA_OK;
}

/* ---- BagIt tag files -------------------------------------------------- */

static void
bag_path(struct sohoa_buf *out, const char *name)
{
	/* RFC 8493 2.1.3: CR, LF and % are percent-encoded in manifests */
	for (; *name; name++) {
		if (*name == '%')
			sohoa_buf_adds(out, "%25");
		else if (*name == '\n')
			sohoa_buf_adds(out, "%0A");
		else if (*name == '\r')
			sohoa_buf_adds(out, "%0D");
		else
			sohoa_buf_addch(out, *name);
	}
}

static void
bag_value(struct sohoa_buf *out, const char *label, const char *value)
{
	sohoa_buf_addf(out, "%s: ", label);
	for (; *value; value++)
		sohoa_buf_addch(out, *value == '\n' || *value == '\r' ? ' ' :
		    *value);
	sohoa_buf_addch(out, '\n');
}

struct bag {
	struct sohoa_buf bagit, info, manifest, tagmanifest;
};

static void
human_size(uint64_t n, struct sohoa_buf *out)
{
	static const char *const unit[] = { "bytes", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		sohoa_buf_addf(out, "%llu bytes", (unsigned long long)n);
	else
		sohoa_buf_addf(out, "%.1f %s", v, unit[u]);
}

static int
make_bag(struct pkg *p, struct bag *b, const char *mets_sha,
    const char *sig_sha)
{
	const char *organ = sohoa_dossier_meta_value(p->meta, "organ_name");
	struct sohoa_buf v = SOHOA_BUF_INIT;
	uint64_t bytes = p->mets.len + p->sig.len;
	char sha[65];
	size_t i;

	sohoa_buf_adds(&b->bagit, "BagIt-Version: 1.0\n"
	    "Tag-File-Character-Encoding: UTF-8\n");
	sohoa_buf_addf(&b->manifest, "%s  data/METS.xml\n%s  data/%s\n",
	    mets_sha, sig_sha, PKG_SIG_EARK);
	for (i = 0; i < p->n; i++) {
		sohoa_buf_addf(&b->manifest, "%s  data/", p->m[i].sha256);
		bag_path(&b->manifest, p->m[i].name);
		sohoa_buf_addch(&b->manifest, '\n');
		bytes += p->m[i].size;
	}
	bag_value(&b->info, "Source-Organization", *organ ? organ :
	    sohoa_signer_subject(p->signer));
	bag_value(&b->info, "External-Identifier",
	    sohoa_dossier_meta_value(p->meta, "file_code"));
	bag_value(&b->info, "Internal-Sender-Identifier", p->meta->code);
	bag_value(&b->info, "External-Description",
	    sohoa_dossier_meta_value(p->meta, "title"));
	sohoa_buf_add(&v, p->now.buf, p->now.len >= 10 ? 10 : p->now.len);
	bag_value(&b->info, "Bagging-Date", v.buf);
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "%llu.%zu", (unsigned long long)bytes, p->n + 2);
	bag_value(&b->info, "Payload-Oxum", v.buf);
	sohoa_buf_reset(&v);
	human_size(bytes, &v);
	bag_value(&b->info, "Bag-Size", v.buf);
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "sohoa %s", SOHOA_VERSION);
	bag_value(&b->info, "Bag-Software-Agent", v.buf);
	bag_value(&b->info, "Bag-Group-Identifier", p->objid.buf);
	sohoa_sha256_mem(b->bagit.buf, b->bagit.len, sha);
	sohoa_buf_addf(&b->tagmanifest, "%s  bagit.txt\n", sha);
	sohoa_sha256_mem(b->info.buf, b->info.len, sha);
	sohoa_buf_addf(&b->tagmanifest, "%s  bag-info.txt\n", sha);
	sohoa_sha256_mem(b->manifest.buf, b->manifest.len, sha);
	sohoa_buf_addf(&b->tagmanifest, "%s  manifest-sha256.txt\n", sha);
	sohoa_buf_release(&v);
	return b->tagmanifest.len ? SOHOA_OK : nomem(p);
}

/* ---- writing ---------------------------------------------------------- */

struct sink {
	int fd;
	EVP_MD_CTX *md;
	uint64_t bytes;
	int err;
};

static la_ssize_t
sink_write(struct archive *ar, void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(s->fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			s->err = errno;
			archive_set_error(ar, errno, "%s", strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	EVP_DigestUpdate(s->md, buf, len);
	s->bytes += len;
	return (la_ssize_t)len;
}

static int
ar_error(struct pkg *p, struct archive *ar, const char *what)
{
	return sohoa_set_error(p->ctx, SOHOA_ERR_IO, "cannot write %s: %s",
	    what, archive_error_string(ar) ? archive_error_string(ar) :
	    "unknown error");
}

static int
write_header(struct pkg *p, struct archive *ar, const char *path,
    uint64_t size)
{
	struct archive_entry *e = archive_entry_new();
	time_t now = time(NULL);
	int r;

	if (e == NULL)
		return nomem(p);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, now, 0);
	r = archive_write_header(ar, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return ar_error(p, ar, path);
	return SOHOA_OK;
}

/* Member PREFIX + NAME holding DATA. */
static int
write_mem(struct pkg *p, struct archive *ar, const char *prefix,
    const char *name, const struct sohoa_buf *data)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	int rc;

	sohoa_buf_addf(&path, "%s%s", prefix, name);
	rc = write_header(p, ar, path.buf, data->len);
	if (rc == SOHOA_OK && data->len > 0 &&
	    archive_write_data(ar, data->buf, data->len) !=
	    (la_ssize_t)data->len)
		rc = ar_error(p, ar, path.buf);
	sohoa_buf_release(&path);
	return rc;
}

/* Copy a blob from the store into the bundle, checking its SHA-256. */
static int
write_blob(struct pkg *p, struct archive *ar, const char *path,
    const struct member *m)
{
	struct sohoa_buf src = SOHOA_BUF_INIT;
	unsigned char buf[65536], md[32];
	char hex[65];
	EVP_MD_CTX *ctx = NULL;
	uint64_t total = 0;
	int fd = -1, rc;
	ssize_t n;

	rc = write_header(p, ar, path, m->size);
	if (rc != SOHOA_OK)
		return rc;
	sohoa_store_path(p->a, m->sha256, &src);
	fd = open(src.buf, O_RDONLY);
	ctx = EVP_MD_CTX_new();
	if (fd < 0 || ctx == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		rc = sohoa_set_error(p->ctx, SOHOA_ERR_IO,
		    "cannot read blob '%s': %s", src.buf, strerror(errno));
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		total += (uint64_t)n;
		if (total > m->size)
			break;
		if (archive_write_data(ar, buf, (size_t)n) != n) {
			rc = ar_error(p, ar, path);
			goto out;
		}
	}
	if (n < 0) {
		rc = sohoa_set_error(p->ctx, SOHOA_ERR_IO,
		    "cannot read blob '%s': %s", src.buf, strerror(errno));
		goto out;
	}
	EVP_DigestFinal_ex(ctx, md, NULL);
	sohoa_hex(md, sizeof(md), hex);
	if (total != m->size || strcmp(hex, m->sha256) != 0)
		rc = sohoa_set_error(p->ctx, SOHOA_ERR_INVALID,
		    "blob '%s' in the store does not match its SHA-256 (the"
		    " store is damaged, or it changed during the export)",
		    src.buf);
out:
	EVP_MD_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	sohoa_buf_release(&src);
	return rc;
}

static int
write_members(struct pkg *p, struct archive *ar, const char *prefix)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < p->n && rc == SOHOA_OK; i++) {
		sohoa_buf_reset(&path);
		sohoa_buf_addf(&path, "%s%s", prefix, p->m[i].name);
		if (p->m[i].blob)
			rc = write_blob(p, ar, path.buf, &p->m[i]);
		else
			rc = write_mem(p, ar, prefix, p->m[i].name,
			    &p->m[i].mem);
	}
	sohoa_buf_release(&path);
	return rc;
}

static int
write_bundle(struct pkg *p, const char *out, struct sohoa_export_result *res)
{
	struct sohoa_buf prefix = SOHOA_BUF_INIT;
	struct sohoa_tmp tmp;
	struct bag bag;
	struct archive *ar = NULL;
	struct sink sink = { -1, NULL, 0, 0 };
	unsigned char md[32];
	char mets_sha[65], sig_sha[65], tsha[65];
	int rc = SOHOA_OK, bagit = p->opts->format == SOHOA_BUNDLE_BAGIT;

	sohoa_tmp_init(&tmp);
	memset(&bag, 0, sizeof(bag));
	sohoa_buf_init(&bag.bagit);
	sohoa_buf_init(&bag.info);
	sohoa_buf_init(&bag.manifest);
	sohoa_buf_init(&bag.tagmanifest);
	sohoa_sha256_mem(p->mets.buf, p->mets.len, mets_sha);
	sohoa_sha256_mem(p->sig.buf, p->sig.len, sig_sha);
	if (bagit) {
		struct sohoa_buf tsig = SOHOA_BUF_INIT;

		rc = make_bag(p, &bag, mets_sha, sig_sha);
		if (rc == SOHOA_OK)
			rc = sohoa_sign_cms(p->ctx, p->signer, SOHOA_SIGN_CMS,
			    p->when, bag.tagmanifest.buf, bag.tagmanifest.len,
			    &tsig);
		if (rc != SOHOA_OK) {
			sohoa_buf_release(&tsig);
			goto out;
		}
		/*
		 * The tag manifest's signature, an unlisted tag file; METS.xml's
		 * own, listed in the manifest above, is kept to go in data/ as
		 * it is (signing again could give other bytes: another second).
		 */
		p->mets_sig = p->sig;
		p->sig = tsig;
	}
	/*
	 * OUT.tmp-XXXXXX, held while it is written: the OUT.tmp-* files
	 * beside OUT that nobody holds are what killed exports left.
	 */
	rc = sohoa_tmp_file_for(p->ctx, out, &tmp);
	if (rc != SOHOA_OK)
		goto out;
	sink.fd = tmp.fd;
	sink.md = EVP_MD_CTX_new();
	ar = archive_write_new();
	if (sink.md == NULL || ar == NULL ||
	    EVP_DigestInit_ex(sink.md, EVP_sha256(), NULL) != 1) {
		rc = nomem(p);
		goto out;
	}
	if (bagit) {
		if (archive_write_set_format_pax_restricted(ar) != ARCHIVE_OK)
			rc = ar_error(p, ar, "the tar format");
	} else {
		if (archive_write_set_format_zip(ar) != ARCHIVE_OK ||
		    archive_write_set_options(ar,
		    "zip:compression=deflate") != ARCHIVE_OK)
			rc = ar_error(p, ar, "the zip format");
	}
	if (rc != SOHOA_OK)
		goto out;
	archive_write_set_bytes_in_last_block(ar, 1);
	if (archive_write_open(ar, &sink, NULL, sink_write, NULL) !=
	    ARCHIVE_OK) {
		rc = ar_error(p, ar, tmp.path.buf);
		goto out;
	}
	sohoa_buf_addf(&prefix, "%s/", p->objid.buf);
	if (bagit) {
		rc = write_mem(p, ar, prefix.buf, "bagit.txt", &bag.bagit);
		if (rc == SOHOA_OK)
			rc = write_mem(p, ar, prefix.buf, "bag-info.txt",
			    &bag.info);
		if (rc == SOHOA_OK)
			rc = write_mem(p, ar, prefix.buf, "manifest-sha256.txt",
			    &bag.manifest);
		if (rc == SOHOA_OK)
			rc = write_mem(p, ar, prefix.buf,
			    "tagmanifest-sha256.txt", &bag.tagmanifest);
		if (rc == SOHOA_OK)
			rc = write_mem(p, ar, prefix.buf, PKG_SIG_BAGIT,
			    &p->sig);
		sohoa_buf_adds(&prefix, "data/");
	}
	if (rc == SOHOA_OK)
		rc = write_mem(p, ar, prefix.buf, "METS.xml", &p->mets);
	/* inside a bag, data/ still carries METS.xml's own signature */
	if (rc == SOHOA_OK)
		rc = write_mem(p, ar, prefix.buf, PKG_SIG_EARK,
		    bagit ? &p->mets_sig : &p->sig);
	if (rc == SOHOA_OK)
		rc = write_members(p, ar, prefix.buf);
	if (rc == SOHOA_OK && archive_write_close(ar) != ARCHIVE_OK)
		rc = ar_error(p, ar, tmp.path.buf);
	if (rc == SOHOA_OK)
		rc = sohoa_tmp_commit(p->ctx, &tmp, out, 0644);
	if (rc != SOHOA_OK)
		goto out;
	EVP_DigestFinal_ex(sink.md, md, NULL);
	sohoa_hex(md, sizeof(md), tsha);
	memcpy(res->sha256, tsha, sizeof(tsha));
	res->bytes = sink.bytes;
	/* METS.xml and its signature; a bag adds its five tag files */
	res->nfiles = p->n + 2 + (bagit ? 5 : 0);
out:
	if (ar != NULL)
		archive_write_free(ar);
	sohoa_tmp_remove(&tmp);
	EVP_MD_CTX_free(sink.md);
	sohoa_buf_release(&prefix);
	sohoa_buf_release(&bag.bagit);
	sohoa_buf_release(&bag.info);
	sohoa_buf_release(&bag.manifest);
	sohoa_buf_release(&bag.tagmanifest);
	return rc;
}

static int
record_export(struct pkg *p, const struct sohoa_export_result *res)
{
	char *abs = realpath(res->path.buf, NULL);
	int rc;

	rc = sohoa_archive_export_record(p->a, p->meta->id, abs ? abs :
	    res->path.buf, res->sha256, sohoa_bundle_format_name(p->opts->format),
	    res->signer.buf);
	if (rc != SOHOA_OK)
		sohoa_wrap_error(p->ctx, "bundle '%s' written, but the export"
		    " could not be recorded: ", res->path.buf);
	free(abs);
	return rc;
}

const char *
sohoa_bundle_format_name(int format)
{
	return format == SOHOA_BUNDLE_BAGIT ? "bagit" : "eark";
}

void
sohoa_export_result_init(struct sohoa_export_result *r)
{
	memset(r, 0, sizeof(*r));
	sohoa_buf_init(&r->path);
	sohoa_buf_init(&r->signer);
}

void
sohoa_export_result_release(struct sohoa_export_result *r)
{
	sohoa_buf_release(&r->path);
	sohoa_buf_release(&r->signer);
}

int
sohoa_bundle_export(struct sohoa_archive *a,
    const struct sohoa_export_opts *opts, struct sohoa_export_result *res)
{
	struct pkg p;
	int64_t id;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.ctx = sohoa_archive_ctx(a);
	p.opts = opts;
	sohoa_buf_init(&p.stem);
	sohoa_buf_init(&p.now);
	sohoa_buf_init(&p.objid);
	sohoa_buf_init(&p.mets);
	sohoa_buf_init(&p.sig);
	sohoa_buf_init(&p.mets_sig);
	sohoa_tmp_init(&p.tmpdir);
	sohoa_buf_reset(&res->path);
	sohoa_buf_reset(&res->signer);

	rc = sohoa_archive_dossier_get(a, opts->dossier, 0, &id);
	if (rc == SOHOA_OK)
		rc = sohoa_dossier_meta_load(a, id, &p.meta);
	if (rc == SOHOA_OK)
		rc = sohoa_dossier_meta_validate(p.ctx, p.meta);
	if (rc == SOHOA_OK && opts->signer == NULL)
		rc = sohoa_signer_load(p.ctx, opts->key_pem, opts->cert_pem,
		    NULL, &p.own_signer);
	if (rc != SOHOA_OK)
		goto out;
	p.signer = opts->signer != NULL ? opts->signer : p.own_signer;
	p.when = time(NULL);
	p.fc = sohoa_dossier_meta_value(p.meta, "file_code");
	safe_name(p.fc, &p.stem);
	sohoa_archive_now(&p.now);
	sohoa_buf_adds(&p.objid, "uuid-");
	bundle_uuid(&p.objid);
	rc = load_documents(&p);
	if (rc == SOHOA_OK)
		rc = pick_pdfs(&p);
	if (rc == SOHOA_OK)
		rc = make_payload(&p);
	if (rc == SOHOA_OK)
		rc = make_premis(&p);
	if (rc == SOHOA_OK)
		rc = make_rep_mets(&p);
	if (rc == SOHOA_OK)
		rc = make_mets(&p);
	if (rc == SOHOA_OK)
		rc = sohoa_sign_cms(p.ctx, p.signer, SOHOA_SIGN_CMS, p.when,
		    p.mets.buf, p.mets.len, &p.sig);
	if (rc != SOHOA_OK)
		goto out;
	if (opts->out_path != NULL && *opts->out_path != '\0')
		sohoa_buf_adds(&res->path, opts->out_path);
	else
		sohoa_buf_addf(&res->path, "%s.%s", p.stem.buf,
		    opts->format == SOHOA_BUNDLE_BAGIT ? "tar" : "zip");
	sohoa_buf_adds(&res->signer, sohoa_signer_subject(p.signer));
	/* never into the archive, never over a file unless asked */
	rc = sohoa_archive_output_check(a, res->path.buf, opts->flags);
	if (rc == SOHOA_OK)
		rc = write_bundle(&p, res->path.buf, res);
	if (rc == SOHOA_OK)
		rc = record_export(&p, res);
out:
	sohoa_tmp_remove(&p.tmpdir);
	for (i = 0; p.docs != NULL && i < p.ndocs; i++)
		sohoa_document_destroy(&p.docs[i]);
	free(p.docs);
	free(p.ids);
	free(p.pdf);
	free_members(&p);
	sohoa_dossier_meta_destroy(&p.meta);
	sohoa_signer_destroy(&p.own_signer);
	sohoa_buf_release(&p.stem);
	sohoa_buf_release(&p.now);
	sohoa_buf_release(&p.objid);
	sohoa_buf_release(&p.mets);
	sohoa_buf_release(&p.sig);
	sohoa_buf_release(&p.mets_sig);
	return rc;
}
