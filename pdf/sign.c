/*
 * PAdES signature of an archival PDF, as an incremental update: the signed
 * file is the original bytes unchanged, followed by new objects (a
 * Liberation Serif subset, the visible appearance, the /Sig dictionary, the
 * signature widget), rewritten page 1 and catalog, an xref section of the
 * same kind as the original's (table or stream) and a trailer with /Prev.
 * qpdf reads the original (so any well-formed PDF can be signed, not only
 * ours); the appended objects are written here.  The /Contents placeholder
 * is filled last with a DER CMS detached signature over the two
 * /ByteRange ranges, read back from the file in chunks, made by the
 * signer (sohoa/sign.h) with the PAdES baseline B-B attributes.
 *
 * Entry point: sohoa_pdf_sign.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <leptonica/allheaders.h>
#include <qpdf/qpdf-c.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/pdf.h"
#include "sohoa/sign.h"
#include "sohoa/tmp.h"
#include "pdf_private.h"

/*
 * The appearance: 10 pt text on 11.5 pt leading, 6 mm from the top edge and
 * 1 cm from the right.  Vietnamese administrative documents keep a 20-25 mm
 * top margin (Nghị định 30/2020), so the 10 mm high block sits in the
 * margin instead of over the national motto.
 */
#define SIG_FONT_SIZE 10.0
#define SIG_LEADING 11.5
#define SIG_PAD 2.0
#define SIG_MARGIN_TOP 17.0
#define SIG_MARGIN_RIGHT 28.35

/*
 * The signature block's font: Liberation Serif (Times New Roman's
 * metrics), as a Type0 font with Identity-H, CID = glyph id, subset with
 * HarfBuzz keeping glyph ids so the CIDs stay valid.
 */
struct sigfont {
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	unsigned upem;
	/* glyphs used: gid, width in 1/1000 em, Unicode */
	struct { unsigned gid, width; uint32_t cp; } used[256];
	size_t nused;
};

static void
sigfont_release(struct sigfont *f)
{
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	memset(f, 0, sizeof(*f));
}

static int
sigfont_load(struct sohoa_ctx *ctx, struct sigfont *f)
{
	memset(f, 0, sizeof(*f));
	f->blob = hb_blob_create_from_file_or_fail(PDF_SERIF_FONT);
	if (f->blob == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "cannot read font '%s' (install the Debian package '%s')",
		    PDF_SERIF_FONT, PDF_SERIF_PACKAGE);
	f->face = hb_face_create(f->blob, 0);
	f->font = hb_font_create(f->face);
	f->upem = hb_face_get_upem(f->face);
	if (f->upem == 0 || hb_face_get_glyph_count(f->face) == 0) {
		sigfont_release(f);
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "'%s' is not a usable TrueType font", PDF_SERIF_FONT);
	}
	return SOHOA_OK;
}

/*
 * Append UTF-8 S as hex glyph ids to HEX; add its width in points at
 * SIG_FONT_SIZE to *PWIDTH.  A character the font lacks is an error: PDF/A
 * forbids showing .notdef.
 */
static int
sigfont_encode(struct sohoa_ctx *ctx, struct sigfont *f, const char *s,
    struct sohoa_buf *hex, double *pwidth)
{
	size_t len = strlen(s), i, k, u;
	hb_codepoint_t gid;
	hb_position_t adv;
	int32_t cp;
	int rc = SOHOA_OK;
	unsigned wd;

	for (i = 0; i < len && rc == SOHOA_OK; i += k) {
		k = sohoa_utf8_decode(s + i, len - i, &cp);
		if (cp < 0x20)
			continue;
		if (!hb_font_get_nominal_glyph(f->font, (hb_codepoint_t)cp,
		    &gid) || gid == 0)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "character U+%04X of '%s' is not in "
			    "Liberation Serif", (unsigned)cp, s);
		adv = hb_font_get_glyph_h_advance(f->font, gid);
		wd = (unsigned)lround(adv * 1000.0 / f->upem);
		for (u = 0; u < f->nused && f->used[u].gid != gid; u++)
			;
		if (u == f->nused) {
			if (f->nused == sizeof(f->used) / sizeof(f->used[0]))
				return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
				    "the signature text uses too many "
				    "characters");
			f->used[u].gid = gid;
			f->used[u].width = wd;
			f->used[u].cp = (uint32_t)cp;
			f->nused++;
		}
		*pwidth += wd * SIG_FONT_SIZE / 1000.0;
		rc = sohoa_buf_addf(hex, "%04X", gid);
	}
	return rc;
}

/* Subset tag: six capitals from a hash of the glyph set (ISO 32000 9.6.4). */
static void
sigfont_tag(const struct sigfont *f, char tag[7])
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < f->nused; i++)
		h = (h ^ f->used[i].gid) * 16777619u;
	for (i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

/* The subset font file, glyph ids kept; *pblob to hb_blob_destroy(). */
static int
sigfont_subset(struct sohoa_ctx *ctx, const struct sigfont *f,
    hb_blob_t **pblob)
{
	hb_subset_input_t *in;
	hb_face_t *sub;
	size_t i;

	*pblob = NULL;
	in = hb_subset_input_create_or_fail();
	if (in == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	hb_set_add(hb_subset_input_glyph_set(in), 0);
	for (i = 0; i < f->nused; i++)
		hb_set_add(hb_subset_input_glyph_set(in), f->used[i].gid);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS);
	sub = hb_subset_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	if (sub == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot subset '%s'", PDF_SERIF_FONT);
	*pblob = hb_face_reference_blob(sub);
	hb_face_destroy(sub);
	return SOHOA_OK;
}

/* The font's bounding box from its 'head' table, in 1/1000 em. */
static void
sigfont_bbox(const struct sigfont *f, int bbox[4])
{
	hb_blob_t *head = hb_face_reference_table(f->face,
	    HB_TAG('h', 'e', 'a', 'd'));
	unsigned len = 0, i;
	const unsigned char *d = (const unsigned char *)hb_blob_get_data(head,
	    &len);

	for (i = 0; i < 4; i++)
		bbox[i] = len < 44 ? (i < 2 ? 0 : 1000) :
		    (int)lround((int16_t)((d[36 + 2 * i] << 8) |
		    d[37 + 2 * i]) * 1000.0 / f->upem);
	hb_blob_destroy(head);
}

/* ---- the incremental update ---- */

struct update {
	struct sohoa_ctx *ctx;
	struct pdf_out out;
	struct { int obj; off_t off; } *objs;	/* objects written, in order */
	size_t nobjs, aobjs;
};

static int
begin_obj(struct update *u, int obj)
{
	void *v;
	size_t n;

	if (u->nobjs == u->aobjs) {
		n = u->aobjs ? 2 * u->aobjs : 16;
		v = realloc(u->objs, n * sizeof(*u->objs));
		if (v == NULL)
			return sohoa_set_error(u->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		u->objs = v;
		u->aobjs = n;
	}
	u->objs[u->nobjs].obj = obj;
	u->objs[u->nobjs].off = u->out.pos;
	u->nobjs++;
	out_addf(&u->out, "%d 0 obj\n", obj);
	return SOHOA_OK;
}

static int
put_dict(struct update *u, int obj, const char *dict)
{
	int rc = begin_obj(u, obj);

	if (rc == SOHOA_OK)
		out_addf(&u->out, "%s\nendobj\n", dict);
	return rc;
}

static int
put_stream(struct update *u, int obj, const char *dict, const void *data,
    size_t len)
{
	int rc = begin_obj(u, obj);

	if (rc == SOHOA_OK) {
		out_addf(&u->out, "<< %s /Length %zu >>\nstream\n", dict, len);
		out_add(&u->out, data, len);
		out_adds(&u->out, "\nendstream\nendobj\n");
	}
	return rc;
}

static int
cmp_obj(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Find "startxref N" in the last kilobyte of F; -1 when missing. */
static off_t
find_startxref(FILE *f, off_t size, int *pclassic)
{
	char tail[1025], head[32];
	off_t from = size > 1024 ? size - 1024 : 0;
	size_t n;
	char *p, *last = NULL;
	long long v;

	*pclassic = 0;
	if (fseeko(f, from, SEEK_SET) != 0)
		return -1;
	n = fread(tail, 1, sizeof(tail) - 1, f);
	tail[n] = '\0';
	for (p = tail; p + 9 <= tail + n; p++)
		if (memcmp(p, "startxref", 9) == 0)
			last = p;
	if (last == NULL || sscanf(last + 9, "%lld", &v) != 1 || v < 0 ||
	    v >= size)
		return -1;
	if (fseeko(f, (off_t)v, SEEK_SET) != 0)
		return -1;
	n = fread(head, 1, sizeof(head) - 1, f);
	head[n] = '\0';
	p = head + strspn(head, " \t\r\n");
	*pclassic = strncmp(p, "xref", 4) == 0;
	return (off_t)v;
}

/*
 * What we need from the original, read with qpdf: the catalog and page 1
 * re-serialised with our additions, the trailer's /Root, /Info, /ID,
 * /Size, and page 1's MediaBox.
 */
struct original {
	int size;
	int root_obj, root_gen, page_obj, page_gen;
	struct sohoa_buf root;		/* "<< ... " without the closing ">>" */
	struct sohoa_buf page;		/* same */
	struct sohoa_buf annots;	/* existing /Annots items */
	struct sohoa_buf fields;	/* existing /AcroForm /Fields items */
	struct sohoa_buf acroform;	/* existing /AcroForm entries */
	size_t nfields;
	struct sohoa_buf info, id;	/* trailer entries, "" when absent */
	double box[4];			/* page 1 MediaBox */
};

static void
original_release(struct original *o)
{
	sohoa_buf_release(&o->root);
	sohoa_buf_release(&o->page);
	sohoa_buf_release(&o->annots);
	sohoa_buf_release(&o->fields);
	sohoa_buf_release(&o->acroform);
	sohoa_buf_release(&o->info);
	sohoa_buf_release(&o->id);
}

/* Unparse a dictionary and drop its closing ">>". */
static int
add_open_dict(struct sohoa_buf *b, const char *dict)
{
	const char *end = strrchr(dict, '>');

	if (end == NULL || end == dict || end[-1] != '>')
		return SOHOA_ERR_FORMAT;
	return sohoa_buf_add(b, dict, (size_t)(end - 1 - dict));
}

static int
add_array_items(qpdf_data q, qpdf_oh arr, struct sohoa_buf *b, size_t *pn)
{
	int i, n, rc = SOHOA_OK;

	if (!qpdf_oh_is_array(q, arr))
		return SOHOA_OK;
	n = qpdf_oh_get_array_n_items(q, arr);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		rc = sohoa_buf_addf(b, "%s ", qpdf_oh_unparse(q,
		    qpdf_oh_get_array_item(q, arr, i)));
		if (pn != NULL)
			(*pn)++;
	}
	return rc;
}

/* MediaBox of PAGE, looked up through /Parent when inherited. */
static int
media_box(qpdf_data q, qpdf_oh page, double box[4])
{
	qpdf_oh node = page, mb;
	int depth, i;

	for (depth = 0; depth < 64 && qpdf_oh_is_dictionary(q, node); depth++) {
		mb = qpdf_oh_get_key(q, node, "/MediaBox");
		if (qpdf_oh_is_array(q, mb) &&
		    qpdf_oh_get_array_n_items(q, mb) == 4) {
			for (i = 0; i < 4; i++)
				box[i] = qpdf_oh_get_numeric_value(q,
				    qpdf_oh_get_array_item(q, mb, i));
			return 0;
		}
		node = qpdf_oh_get_key(q, node, "/Parent");
	}
	return -1;
}

static int
read_original(struct sohoa_ctx *ctx, const char *path, struct original *o)
{
	qpdf_data q = qpdf_init();
	qpdf_oh trailer, root, page, af, key;
	int rc = SOHOA_OK;

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read PDF '%s': %s", path,
		    qpdf_get_error_full_text(q, qpdf_get_error(q)));
		goto out;
	}
	if (qpdf_is_encrypted(q)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "'%s' is encrypted (PDF/A forbids encryption)", path);
		goto out;
	}
	trailer = qpdf_get_trailer(q);
	root = qpdf_get_root(q);
	page = qpdf_get_page_n(q, 0);
	if (qpdf_has_error(q) || !qpdf_oh_is_dictionary(q, root) ||
	    !qpdf_oh_is_dictionary(q, page) ||
	    qpdf_oh_get_object_id(q, page) == 0 ||
	    qpdf_oh_get_object_id(q, root) == 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "'%s' has no catalog or no first page", path);
		goto out;
	}
	o->size = (int)qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, trailer,
	    "/Size"));
	o->root_obj = qpdf_oh_get_object_id(q, root);
	o->root_gen = qpdf_oh_get_generation(q, root);
	o->page_obj = qpdf_oh_get_object_id(q, page);
	o->page_gen = qpdf_oh_get_generation(q, page);
	if (media_box(q, page, o->box) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "page 1 of '%s' has no MediaBox", path);
		goto out;
	}
	key = qpdf_oh_get_key(q, trailer, "/Info");
	if (!qpdf_oh_is_null(q, key))
		rc = sohoa_buf_adds(&o->info, qpdf_oh_unparse(q, key));
	key = qpdf_oh_get_key(q, trailer, "/ID");
	if (rc == SOHOA_OK && qpdf_oh_is_array(q, key))
		rc = sohoa_buf_adds(&o->id, qpdf_oh_unparse(q, key));

	/* page 1 without /Annots; the old entries go into our new array */
	if (rc == SOHOA_OK)
		rc = add_array_items(q, qpdf_oh_get_key(q, page, "/Annots"),
		    &o->annots, NULL);
	qpdf_oh_remove_key(q, page, "/Annots");
	if (rc == SOHOA_OK)
		rc = add_open_dict(&o->page, qpdf_oh_unparse_resolved(q, page));

	/* the catalog, with the AcroForm kept apart to add our field */
	af = qpdf_oh_get_key(q, root, "/AcroForm");
	if (rc == SOHOA_OK && qpdf_oh_is_dictionary(q, af)) {
		rc = add_array_items(q, qpdf_oh_get_key(q, af, "/Fields"),
		    &o->fields, &o->nfields);
		qpdf_oh_remove_key(q, af, "/Fields");
		qpdf_oh_remove_key(q, af, "/SigFlags");
		/* PDF/A forbids NeedAppearances true */
		qpdf_oh_remove_key(q, af, "/NeedAppearances");
		if (rc == SOHOA_OK)
			rc = add_open_dict(&o->acroform,
			    qpdf_oh_unparse_resolved(q, af));
	}
	qpdf_oh_remove_key(q, root, "/AcroForm");
	if (rc == SOHOA_OK)
		rc = add_open_dict(&o->root, qpdf_oh_unparse_resolved(q, root));
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(ctx, rc, "out of memory");
	else if (rc != SOHOA_OK || qpdf_has_error(q))
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read the catalog or page 1 of '%s'", path);
out:
	qpdf_cleanup(&q);
	return rc;
}

/* ---- CMS ---- */

/*
 * DER CMS SignedData, detached, over bytes [0, A) and [B, END) of F, made
 * by S with the PAdES B-B attributes, into DER.
 */
static int
cms_sign_ranges(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    FILE *f, off_t a, off_t b, off_t end, time_t when, struct sohoa_buf *der)
{
	struct sohoa_sign_cms *c = NULL;
	char chunk[65536];
	off_t ranges[2][2] = { { 0, a }, { b, end } }, left;
	size_t n;
	int i, rc;

	rc = sohoa_sign_cms_begin(ctx, s, SOHOA_SIGN_PADES, when, &c);
	for (i = 0; i < 2 && rc == SOHOA_OK; i++) {
		if (fseeko(f, ranges[i][0], SEEK_SET) != 0) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_IO,
			    "cannot seek: %s", strerror(errno));
			break;
		}
		left = ranges[i][1] - ranges[i][0];
		for (; left > 0 && rc == SOHOA_OK; left -= (off_t)n) {
			n = fread(chunk, 1, left < (off_t)sizeof(chunk) ?
			    (size_t)left : sizeof(chunk), f);
			if (n == 0) {
				rc = sohoa_set_error(ctx, SOHOA_ERR_IO,
				    "cannot read back the signed ranges");
				break;
			}
			rc = sohoa_sign_cms_update(c, chunk, n);
		}
	}
	if (rc == SOHOA_OK)
		rc = sohoa_sign_cms_finish(c, der);
	sohoa_sign_cms_destroy(&c);
	return rc;
}

/* ---- putting it together ---- */

/*
 * Write the font objects FIRST .. FIRST+4: Type0, CIDFont, descriptor,
 * font file, ToUnicode.
 */
static int
put_font(struct update *u, const struct sigfont *f, int first)
{
	struct sohoa_buf d = SOHOA_BUF_INIT, cmap = SOHOA_BUF_INIT;
	hb_blob_t *sub = NULL;
	hb_position_t cap = 0;
	hb_font_extents_t ext;
	const char *data;
	unsigned len = 0;
	l_uint8 *z = NULL;
	size_t zlen = 0, i;
	char tag[7];
	int bbox[4], rc;

	sigfont_tag(f, tag);
	sigfont_bbox(f, bbox);
	memset(&ext, 0, sizeof(ext));
	hb_font_get_h_extents(f->font, &ext);
	hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
	rc = sohoa_buf_addf(&d, "<< /Type /Font /Subtype /Type0 /BaseFont "
	    "/%s+LiberationSerif /Encoding /Identity-H /DescendantFonts "
	    "[%d 0 R] /ToUnicode %d 0 R >>", tag, first + 1, first + 4);
	if (rc == SOHOA_OK)
		rc = put_dict(u, first, d.buf);
	sohoa_buf_reset(&d);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&d, "<< /Type /Font /Subtype /CIDFontType2 "
		    "/BaseFont /%s+LiberationSerif /CIDSystemInfo << /Registry "
		    "(Adobe) /Ordering (Identity) /Supplement 0 >> "
		    "/FontDescriptor %d 0 R /CIDToGIDMap /Identity "
		    "/DW 1000 /W [", tag, first + 2);
	for (i = 0; i < f->nused && rc == SOHOA_OK; i++)
		rc = sohoa_buf_addf(&d, "%u [%u] ", f->used[i].gid,
		    f->used[i].width);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&d, "] >>");
	if (rc == SOHOA_OK)
		rc = put_dict(u, first + 1, d.buf);
	sohoa_buf_reset(&d);
	/* Flags 34: serif, non-symbolic */
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&d, "<< /Type /FontDescriptor /FontName "
		    "/%s+LiberationSerif /Flags 34 /FontBBox [%d %d %d %d] "
		    "/ItalicAngle 0 /Ascent %ld /Descent %ld /CapHeight %ld "
		    "/StemV 80 /FontFile2 %d 0 R >>", tag,
		    bbox[0], bbox[1], bbox[2], bbox[3],
		    lround(ext.ascender * 1000.0 / f->upem),
		    lround(ext.descender * 1000.0 / f->upem),
		    lround(cap * 1000.0 / f->upem), first + 3);
	if (rc == SOHOA_OK)
		rc = put_dict(u, first + 2, d.buf);
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(u->ctx, rc, "out of memory");
	if (rc != SOHOA_OK)
		goto out;

	rc = sigfont_subset(u->ctx, f, &sub);
	if (rc != SOHOA_OK)
		goto out;
	data = hb_blob_get_data(sub, &len);
	z = zlibCompress((const l_uint8 *)data, len, &zlen);
	if (z == NULL) {
		rc = sohoa_set_error(u->ctx, SOHOA_ERR_NOMEM,
		    "cannot compress the font");
		goto out;
	}
	sohoa_buf_reset(&d);
	rc = sohoa_buf_addf(&d, "/Filter /FlateDecode /Length1 %u", len);
	if (rc == SOHOA_OK)
		rc = put_stream(u, first + 3, d.buf, z, zlen);

	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&cmap,
		    "/CIDInit /ProcSet findresource begin\n"
		    "12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		    "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
		    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
		    "endcodespacerange\n");
	for (i = 0; i < f->nused && rc == SOHOA_OK; i++) {
		if (i % 100 == 0)
			rc = sohoa_buf_addf(&cmap, "%s%zu beginbfchar\n",
			    i ? "endbfchar\n" : "",
			    f->nused - i < 100 ? f->nused - i : 100);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addf(&cmap, "<%04X> <%04X>\n",
			    f->used[i].gid, (unsigned)f->used[i].cp);
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&cmap,
		    "endbfchar\nendcmap\nCMapName currentdict "
		    "/CMap defineresource pop\nend\nend\n");
	if (rc == SOHOA_OK)
		rc = put_stream(u, first + 4, "", cmap.buf, cmap.len);
	else if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(u->ctx, rc, "out of memory");
out:
	lept_free(z);
	hb_blob_destroy(sub);
	sohoa_buf_release(&d);
	sohoa_buf_release(&cmap);
	return rc;
}

/* The xref section for the objects in U, then the trailer. */
static int
put_xref(struct update *u, const struct original *o, off_t prev, int classic,
    int xref_obj, int size)
{
	struct sohoa_buf b = SOHOA_BUF_INIT, idx = SOHOA_BUF_INIT;
	off_t start;
	size_t i, j;
	int rc = SOHOA_OK;
	unsigned char e[11];
	int k, byte;

	if (!classic) {
		rc = begin_obj(u, xref_obj);
		if (rc != SOHOA_OK)
			return rc;
	}
	qsort(u->objs, u->nobjs, sizeof(*u->objs), cmp_obj);
	start = u->out.pos;
	if (classic)
		out_adds(&u->out, "xref\n");
	/* subsections of consecutive object numbers */
	for (i = 0; i < u->nobjs && rc == SOHOA_OK; i = j) {
		j = i + 1;
		while (j < u->nobjs && u->objs[j].obj == u->objs[j - 1].obj + 1)
			j++;
		if (classic)
			out_addf(&u->out, "%d %zu\n", u->objs[i].obj, j - i);
		else
			rc = sohoa_buf_addf(&idx, "%s%d %zu", i ? " " : "",
			    u->objs[i].obj, j - i);
		for (k = (int)i; k < (int)j && rc == SOHOA_OK; k++) {
			if (classic) {
				out_addf(&u->out, "%010lld 00000 n \n",
				    (long long)u->objs[k].off);
				continue;
			}
			/* type 1, 8-byte offset, 2-byte generation */
			e[0] = 1;
			for (byte = 0; byte < 8; byte++)
				e[1 + byte] = (unsigned char)((uint64_t)
				    u->objs[k].off >> (8 * (7 - byte)));
			e[9] = e[10] = 0;
			rc = sohoa_buf_add(&b, e, sizeof(e));
		}
	}
	if (rc != SOHOA_OK)
		goto out;
	if (classic) {
		out_addf(&u->out, "trailer\n<< /Size %d /Root %d %d R%s%s%s%s "
		    "/Prev %lld >>\nstartxref\n%lld\n%%%%EOF\n",
		    size, o->root_obj, o->root_gen,
		    o->info.len ? " /Info " : "", o->info.buf,
		    o->id.len ? " /ID " : "", o->id.buf, (long long)prev,
		    (long long)start);
	} else {
		out_addf(&u->out,
		    "<< /Type /XRef /Size %d /Index [%s] /W [1 8 2] "
		    "/Root %d %d R%s%s%s%s /Prev %lld /Length %zu >>\nstream\n",
		    size, idx.buf, o->root_obj, o->root_gen,
		    o->info.len ? " /Info " : "", o->info.buf,
		    o->id.len ? " /ID " : "", o->id.buf, (long long)prev,
		    b.len);
		out_add(&u->out, b.buf, b.len);
		/* the xref stream's offset is where its "N 0 obj" began */
		for (i = 0; i < u->nobjs && u->objs[i].obj != xref_obj; i++)
			;
		out_addf(&u->out,
		    "\nendstream\nendobj\nstartxref\n%lld\n%%%%EOF\n",
		    (long long)u->objs[i].off);
	}
out:
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(u->ctx, rc, "out of memory");
	sohoa_buf_release(&b);
	sohoa_buf_release(&idx);
	return rc;
}

/* Where the visible block goes and what it says. */
struct layout {
	struct sohoa_buf hex1, hex2;	/* office name, time: glyph ids */
	double bw, bh;			/* block size, points */
	double x1, y1;			/* its top right corner on page 1 */
	double asc;			/* ascender at SIG_FONT_SIZE */
};

static int
layout_appearance(struct sohoa_ctx *ctx, struct sigfont *font,
    const char *office, time_t when, const struct original *o,
    struct layout *l)
{
	hb_font_extents_t ext;
	double w1 = 0, w2 = 0;
	char iso[26];
	int rc;

	sohoa_pdf_format_time(when, iso);
	rc = sigfont_encode(ctx, font, office, &l->hex1, &w1);
	if (rc == SOHOA_OK)
		rc = sigfont_encode(ctx, font, iso, &l->hex2, &w2);
	if (rc != SOHOA_OK)
		return rc;
	memset(&ext, 0, sizeof(ext));
	hb_font_get_h_extents(font->font, &ext);
	l->asc = ext.ascender * SIG_FONT_SIZE / font->upem;
	l->bw = (w1 > w2 ? w1 : w2) + 2 * SIG_PAD;
	l->bh = SIG_LEADING + SIG_FONT_SIZE * 1.25 + 2 * SIG_PAD;
	l->x1 = o->box[2] - SIG_MARGIN_RIGHT;
	/* a further signature goes below the ones already there */
	l->y1 = o->box[3] - SIG_MARGIN_TOP - (double)o->nfields *
	    (l->bh + SIG_PAD);
	return SOHOA_OK;
}

/* The appearance: black 10 pt text, two lines, no image. */
static int
put_appearance(struct update *u, const struct layout *l, int obj,
    int fontobj)
{
	struct sohoa_buf ap = SOHOA_BUF_INIT, d = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_buf_addf(&ap,
	    "q\nBT\n0 g\n/F1 %.1f Tf\n%.2f %.2f Td\n<%s> Tj\n"
	    "0 %.2f Td\n<%s> Tj\nET\nQ\n", SIG_FONT_SIZE, SIG_PAD,
	    l->bh - SIG_PAD - l->asc, l->hex1.buf, -SIG_LEADING, l->hex2.buf);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&d, "/Type /XObject /Subtype /Form "
		    "/BBox [0 0 %.2f %.2f] "
		    "/Resources << /Font << /F1 %d 0 R >> >>", l->bw, l->bh,
		    fontobj);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(u->ctx, rc, "out of memory");
	else
		rc = put_stream(u, obj, d.buf, ap.buf, ap.len);
	sohoa_buf_release(&ap);
	sohoa_buf_release(&d);
	return rc;
}

/*
 * The /Sig dictionary with room for CAPACITY bytes of DER: *PBR is where
 * the /ByteRange numbers go, [*PC0, *PC1) the "<...>" of /Contents.
 */
static int
put_signature_value(struct update *u, int obj, size_t capacity,
    const char *office, time_t when, off_t *pbr, off_t *pc0, off_t *pc1)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;
	time_t local = when + 7 * 3600;
	struct tm t;
	size_t i;
	int rc;

	gmtime_r(&local, &t);
	rc = sohoa_buf_adds(&d, "<< /Type /Sig /Filter /Adobe.PPKLite "
	    "/SubFilter /ETSI.CAdES.detached /M (");
	if (rc == SOHOA_OK)
		rc = pdf_add_date(&d, &t, 7 * 60);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&d, ") /Name ");
	if (rc == SOHOA_OK)
		rc = pdf_add_text_string(&d, office);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(u->ctx, rc, "out of memory");
	else
		rc = begin_obj(u, obj);
	if (rc == SOHOA_OK) {
		out_adds(&u->out, d.buf);
		out_adds(&u->out, " /ByteRange [");
		*pbr = u->out.pos;
		out_addf(&u->out, "%-48s] /Contents ", "0 0 0 0");
		*pc0 = u->out.pos;
		out_adds(&u->out, "<");
		for (i = 0; i < capacity; i++)
			out_adds(&u->out, "00");
		out_adds(&u->out, ">");
		*pc1 = u->out.pos;
		out_adds(&u->out, " >>\nendobj\n");
	}
	sohoa_buf_release(&d);
	return rc;
}

/* The widget, page 1 listing it, the catalog's AcroForm listing it. */
static int
put_field(struct update *u, const struct original *o,
    const struct layout *l, int widgetobj, int sigobj, int apobj)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;
	int rc;

	rc = sohoa_buf_addf(&d, "<< /Type /Annot /Subtype /Widget /FT /Sig "
	    "/T (Signature%zu) /V %d 0 R /F 132 /P %d %d R "
	    "/Rect [%.2f %.2f %.2f %.2f] /AP << /N %d 0 R >> >>",
	    o->nfields + 1, sigobj, o->page_obj, o->page_gen, l->x1 - l->bw,
	    l->y1 - l->bh, l->x1, l->y1, apobj);
	if (rc == SOHOA_OK)
		rc = put_dict(u, widgetobj, d.buf);
	sohoa_buf_reset(&d);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&d, "%s /Annots [%s%d 0 R] >>", o->page.buf,
		    o->annots.buf, widgetobj);
	if (rc == SOHOA_OK)
		rc = put_dict(u, o->page_obj, d.buf);
	sohoa_buf_reset(&d);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&d, "%s /AcroForm %s /Fields [%s%d 0 R] "
		    "/SigFlags 3 >> >>", o->root.buf,
		    o->acroform.len ? o->acroform.buf : "<<", o->fields.buf,
		    widgetobj);
	if (rc == SOHOA_OK)
		rc = put_dict(u, o->root_obj, d.buf);
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(u->ctx, rc, "out of memory");
	sohoa_buf_release(&d);
	return rc;
}

/*
 * The file F (named TMP) is complete up to END: write the /ByteRange
 * numbers at BR, sign [0, C0) and [C1, END), write the DER in hex after
 * the "<" at C0.
 */
static int
fill_signature(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    FILE *f, const char *tmp, off_t br, off_t c0, off_t c1, off_t end,
    size_t capacity, time_t when)
{
	struct sohoa_buf der = SOHOA_BUF_INIT;
	char brtext[64];
	int rc;
	size_t i;

	snprintf(brtext, sizeof(brtext), "0 %lld %lld %lld", (long long)c0,
	    (long long)c1, (long long)(end - c1));
	if (fflush(f) != 0 || fseeko(f, br, SEEK_SET) != 0 ||
	    fprintf(f, "%-48s", brtext) != 48 || fflush(f) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot write '%s': %s", tmp, strerror(errno));
	rc = cms_sign_ranges(ctx, s, f, c0, c1, end, when, &der);
	if (rc == SOHOA_OK && der.len > capacity)
		rc = sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "the signature (%zu bytes) does not fit its %zu-byte space",
		    der.len, capacity);
	else if (rc == SOHOA_OK && fseeko(f, c0 + 1, SEEK_SET) != 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot seek in '%s'",
		    tmp);
	for (i = 0; rc == SOHOA_OK && i < der.len; i++)
		fprintf(f, "%02X", (unsigned char)der.buf[i]);
	if (rc == SOHOA_OK &&
	    (fseeko(f, 0, SEEK_END) != 0 || ftello(f) != end))
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot write '%s'",
		    tmp);
	sohoa_buf_release(&der);
	return rc;
}

int
sohoa_pdf_sign(struct sohoa_ctx *ctx, const struct sohoa_signer *s,
    const char *in_pdf, const char *out_pdf, const char *office_name,
    time_t when)
{
	struct original o;
	struct update u;
	struct sigfont font;
	struct layout l;
	struct sohoa_tmp tmp;
	FILE *in = NULL, *f = NULL;
	int rc, classic, fontobj, apobj, sigobj, widgetobj;
	off_t insize, prev, br = 0, c0 = 0, c1 = 0;
	size_t capacity;

	memset(&o, 0, sizeof(o));
	memset(&u, 0, sizeof(u));
	memset(&font, 0, sizeof(font));
	memset(&l, 0, sizeof(l));
	sohoa_buf_init(&o.root);
	sohoa_buf_init(&o.page);
	sohoa_buf_init(&o.annots);
	sohoa_buf_init(&o.fields);
	sohoa_buf_init(&o.acroform);
	sohoa_buf_init(&o.info);
	sohoa_buf_init(&o.id);
	sohoa_buf_init(&l.hex1);
	sohoa_buf_init(&l.hex2);
	sohoa_tmp_init(&tmp);
	u.ctx = ctx;
	if (office_name == NULL || *office_name == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "the office name to show in the signature is empty");

	rc = read_original(ctx, in_pdf, &o);
	if (rc != SOHOA_OK)
		goto out;
	in = fopen(in_pdf, "rb");
	if (in == NULL || fseeko(in, 0, SEEK_END) != 0 ||
	    (insize = ftello(in)) <= 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read '%s': %s",
		    in_pdf, strerror(errno));
		goto out;
	}
	prev = find_startxref(in, insize, &classic);
	if (prev < 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "'%s' has no startxref at its end", in_pdf);
		goto out;
	}
	rc = sigfont_load(ctx, &font);
	if (rc == SOHOA_OK)
		rc = layout_appearance(ctx, &font, office_name, when, &o, &l);
	if (rc != SOHOA_OK)
		goto out;

	/* new objects after the original's: 5 font objects, then these */
	fontobj = o.size;
	apobj = fontobj + 5;
	sigobj = fontobj + 6;
	widgetobj = fontobj + 7;
	capacity = sohoa_signer_max_size(s);

	rc = pdf_temp_open(ctx, out_pdf, &tmp, &f);
	if (rc != SOHOA_OK)
		goto out;
	u.out.f = f;
	if (fseeko(in, 0, SEEK_SET) != 0 || out_copy_file(&u.out, in, insize)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot copy '%s'",
		    in_pdf);
		goto out;
	}
	fclose(in);
	in = NULL;
	out_adds(&u.out, "\n");
	rc = put_font(&u, &font, fontobj);
	if (rc == SOHOA_OK)
		rc = put_appearance(&u, &l, apobj, fontobj);
	if (rc == SOHOA_OK)
		rc = put_signature_value(&u, sigobj, capacity, office_name,
		    when, &br, &c0, &c1);
	if (rc == SOHOA_OK)
		rc = put_field(&u, &o, &l, widgetobj, sigobj, apobj);
	if (rc == SOHOA_OK)
		rc = put_xref(&u, &o, prev, classic, widgetobj + 1,
		    classic ? widgetobj + 1 : widgetobj + 2);
	if (rc == SOHOA_OK)
		rc = out_check(ctx, &u.out, tmp.path.buf);
	if (rc == SOHOA_OK)
		rc = fill_signature(ctx, s, f, tmp.path.buf, br, c0, c1,
		    u.out.pos, capacity, when);
	if (rc == SOHOA_OK)
		rc = pdf_temp_commit(ctx, &f, &tmp, out_pdf);
out:
	if (f != NULL)
		fclose(f);
	sohoa_tmp_remove(&tmp);
	if (in != NULL)
		fclose(in);
	free(u.objs);
	sigfont_release(&font);
	original_release(&o);
	sohoa_buf_release(&l.hex1);
	sohoa_buf_release(&l.hex2);
	return rc;
}
