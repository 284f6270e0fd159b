/*
 * Two-layer PDF/A-2b writer: each page is its view image (JPEG passed
 * through untouched as DCTDecode, PNG decoded with Leptonica and deflated,
 * 1-bit staying 1-bit) under invisible text (render mode 3) set from the OCR
 * word boxes in Tesseract's glyphless font, whose codes are UTF-16 units
 * mapped back to Unicode by a ToUnicode CMap -- so text extraction gives
 * the Vietnamese exactly as recognised, and each word is stretched (Tz)
 * over its box so that selection lands on it.
 *
 * The file is written front to back, one page at a time (bounded memory):
 *   1 Catalog, 2 Pages, 3 Info, 4 XMP, 5 sRGB ICC, 6-11 glyphless font,
 *   then image, contents and page objects per page; Pages, Catalog, the
 *   classic xref table and the trailer at the end.
 *
 * Entry points: sohoa_pdf_write, sohoa_pdf_writer_open, _add_page,
 * _finish, _close.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lcms2.h>
#include <leptonica/allheaders.h>
#include <openssl/evp.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/pdf.h"
#include "pdf_private.h"

enum {
	OBJ_CATALOG = 1, OBJ_PAGES, OBJ_INFO, OBJ_XMP, OBJ_ICC,
	OBJ_FONT, OBJ_CIDFONT, OBJ_FONTDESC, OBJ_FONTFILE, OBJ_CIDTOGID,
	OBJ_TOUNICODE, OBJ_FIRST_PAGE
};

/* Glyph advance of the glyphless font, in 1/1000 em. */
#define GLYPH_WIDTH 500

struct sohoa_pdf_writer {
	struct sohoa_ctx *ctx;
	char *path;		/* final name */
	struct sohoa_tmp tmp;	/* the file being written, held */
	FILE *f;
	struct pdf_out out;
	EVP_MD_CTX *md;		/* digest of the bytes, for the trailer /ID */
	off_t *offsets;		/* by object number */
	size_t aoffsets;
	int nextobj;
	int *kids;		/* page object numbers */
	size_t nkids, akids;
	char *lang;
	int finished;
};

static int
set_offset(struct sohoa_pdf_writer *w, int obj)
{
	off_t *v;
	size_t n;

	if ((size_t)obj >= w->aoffsets) {
		n = w->aoffsets ? 2 * w->aoffsets : 64;
		while (n <= (size_t)obj)
			n *= 2;
		v = realloc(w->offsets, n * sizeof(*v));
		if (v == NULL)
			return sohoa_set_error(w->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		memset(v + w->aoffsets, 0, (n - w->aoffsets) * sizeof(*v));
		w->offsets = v;
		w->aoffsets = n;
	}
	w->offsets[obj] = w->out.pos;
	return SOHOA_OK;
}

static int
begin_obj(struct sohoa_pdf_writer *w, int obj)
{
	int rc = set_offset(w, obj);

	if (rc == SOHOA_OK)
		out_addf(&w->out, "%d 0 obj\n", obj);
	return rc;
}

/* A whole object holding DICT (without the "<<" ">>"). */
static int
put_dict(struct sohoa_pdf_writer *w, int obj, const char *dict)
{
	int rc = begin_obj(w, obj);

	if (rc == SOHOA_OK)
		out_addf(&w->out, "<< %s >>\nendobj\n", dict);
	return rc;
}

/* A stream object: DICT entries, then LEN bytes of DATA. */
static int
put_stream(struct sohoa_pdf_writer *w, int obj, const char *dict,
    const void *data, size_t len)
{
	int rc = begin_obj(w, obj);

	if (rc != SOHOA_OK)
		return rc;
	out_addf(&w->out, "<< %s /Length %zu >>\nstream\n", dict, len);
	out_add(&w->out, data, len);
	out_adds(&w->out, "\nendstream\nendobj\n");
	return SOHOA_OK;
}

/* Deflate DATA with Leptonica's zlib wrapper and write it as a stream. */
static int
put_flate_stream(struct sohoa_pdf_writer *w, int obj, const char *dict,
    const void *data, size_t len)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;
	l_uint8 *z;
	size_t zlen = 0;
	int rc;

	z = zlibCompress((const l_uint8 *)data, len, &zlen);
	if (z == NULL)
		return sohoa_set_error(w->ctx, SOHOA_ERR_NOMEM,
		    "cannot compress a stream of %zu bytes", len);
	rc = sohoa_buf_addf(&d, "/Filter /FlateDecode%s%s", *dict ? " " : "",
	    dict);
	if (rc == SOHOA_OK)
		rc = put_stream(w, obj, d.buf, z, zlen);
	else
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
	lept_free(z);
	sohoa_buf_release(&d);
	return rc;
}

static int
info_entry(struct sohoa_buf *b, const char *key, const char *value)
{
	int rc;

	if (value == NULL || *value == '\0')
		return SOHOA_OK;
	rc = sohoa_buf_addf(b, " /%s ", key);
	return rc == SOHOA_OK ? pdf_add_text_string(b, value) : rc;
}

static int
xmp_entry(struct sohoa_buf *b, const char *open, const char *value,
    const char *close)
{
	int rc;

	if (value == NULL || *value == '\0')
		return SOHOA_OK;
	rc = sohoa_buf_adds(b, open);
	if (rc == SOHOA_OK)
		rc = pdf_add_xml_escaped(b, value);
	return rc == SOHOA_OK ? sohoa_buf_adds(b, close) : rc;
}

/*
 * The Info dictionary and the XMP packet say the same things: PDF/A
 * (ISO 19005-2, 6.6.2.3) wants every Info entry mirrored in XMP.
 */
static int
write_metadata(struct sohoa_pdf_writer *w, const struct sohoa_pdf_meta *m,
    const char *iso, const struct tm *t, int offset)
{
	struct sohoa_buf info = SOHOA_BUF_INIT, x = SOHOA_BUF_INIT;
	const char *creator = m->creator ? m->creator : "sohoa " SOHOA_VERSION;
	const char *producer = "sohoa " SOHOA_VERSION;
	int rc;

	rc = info_entry(&info, "Title", m->title);
	if (rc == SOHOA_OK)
		rc = info_entry(&info, "Author", m->author);
	if (rc == SOHOA_OK)
		rc = info_entry(&info, "Subject", m->subject);
	if (rc == SOHOA_OK)
		rc = info_entry(&info, "Keywords", m->keywords);
	if (rc == SOHOA_OK)
		rc = info_entry(&info, "Creator", creator);
	if (rc == SOHOA_OK)
		rc = info_entry(&info, "Producer", producer);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&info, " /CreationDate (");
	if (rc == SOHOA_OK)
		rc = pdf_add_date(&info, t, offset);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&info, ") /ModDate (");
	if (rc == SOHOA_OK)
		rc = pdf_add_date(&info, t, offset);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&info, ")");

	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&x,
		    "<?xpacket begin=\"\xEF\xBB\xBF\" "
		    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		    " <rdf:RDF xmlns:rdf="
		    "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		    "  <rdf:Description rdf:about=\"\"\n"
		    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		    "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
		    "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
		    "   <pdfaid:part>2</pdfaid:part>\n"
		    "   <pdfaid:conformance>B</pdfaid:conformance>\n"
		    "   <dc:format>application/pdf</dc:format>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x,
		    "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
		    m->title, "</rdf:li></rdf:Alt></dc:title>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <dc:creator><rdf:Seq><rdf:li>",
		    m->author, "</rdf:li></rdf:Seq></dc:creator>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x,
		    "   <dc:description><rdf:Alt><rdf:li "
		    "xml:lang=\"x-default\">",
		    m->subject, "</rdf:li></rdf:Alt></dc:description>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <dc:language><rdf:Bag><rdf:li>", w->lang,
		    "</rdf:li></rdf:Bag></dc:language>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <pdf:Keywords>", m->keywords,
		    "</pdf:Keywords>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <pdf:Producer>", producer,
		    "</pdf:Producer>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <xmp:CreatorTool>", creator,
		    "</xmp:CreatorTool>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <xmp:CreateDate>", iso,
		    "</xmp:CreateDate>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <xmp:ModifyDate>", iso,
		    "</xmp:ModifyDate>\n");
	if (rc == SOHOA_OK)
		rc = xmp_entry(&x, "   <xmp:MetadataDate>", iso,
		    "</xmp:MetadataDate>\n");
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&x, "  </rdf:Description>\n </rdf:RDF>\n"
		    "</x:xmpmeta>\n<?xpacket end=\"w\"?>");
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
		goto out;
	}
	rc = put_dict(w, OBJ_INFO, info.buf + 1);
	if (rc == SOHOA_OK)
		rc = put_stream(w, OBJ_XMP, "/Type /Metadata /Subtype /XML",
		    x.buf, x.len);
out:
	sohoa_buf_release(&info);
	sohoa_buf_release(&x);
	return rc;
}

/* The sRGB profile of the OutputIntent, made by lcms2. */
static int
write_icc(struct sohoa_pdf_writer *w)
{
	cmsHPROFILE h;
	cmsUInt32Number len = 0;
	void *mem = NULL;
	int rc = SOHOA_OK;

	h = cmsCreate_sRGBProfile();
	if (h == NULL)
		return sohoa_set_error(w->ctx, SOHOA_ERR_NOMEM,
		    "lcms2 cannot make an sRGB profile");
	/* ICC.1:2004-10 (4.2) is the version ISO 32000-1 refers to */
	cmsSetProfileVersion(h, 4.2);
	if (!cmsSaveProfileToMem(h, NULL, &len) || len < 128 ||
	    (mem = malloc(len)) == NULL || !cmsSaveProfileToMem(h, mem, &len))
		rc = sohoa_set_error(w->ctx, SOHOA_ERR_NOMEM,
		    "lcms2 cannot save the sRGB profile");
	else {
		/*
		 * lcms2 stamps the profile with the time it was made: a fixed
		 * date (ICC header bytes 24-35, big-endian) keeps the same
		 * document's PDF the same bytes whenever it is made.  The
		 * profile ID is not computed, so nothing else depends on it.
		 */
		static const unsigned char date[12] = {
			0x07, 0xd4, 0, 10, 0, 1, 0, 0, 0, 0, 0, 0 /* 2004-10-01 */
		};

		memcpy((unsigned char *)mem + 24, date, sizeof(date));
	}
	if (rc == SOHOA_OK)
		rc = put_flate_stream(w, OBJ_ICC, "/N 3", mem, len);
	free(mem);
	cmsCloseProfile(h);
	return rc;
}

/*
 * The text layer's font: a Type0 font with Identity-H encoding over
 * Tesseract's glyphless TrueType font.  Every CID maps to glyph 1 (an
 * empty glyph GLYPH_WIDTH wide); the CID is the UTF-16 code unit, which
 * the ToUnicode CMap turns back into Unicode.
 */
static int
write_glyphless_font(struct sohoa_pdf_writer *w)
{
	struct sohoa_buf ttf = SOHOA_BUF_INIT, d = SOHOA_BUF_INIT,
	    cmap = SOHOA_BUF_INIT;
	unsigned char *map = NULL;
	int rc, hi, n;

	rc = pdf_read_font(w->ctx, PDF_GLYPHLESS_FONT, PDF_GLYPHLESS_PACKAGE,
	    &ttf);
	if (rc != SOHOA_OK)
		goto out;
	rc = put_dict(w, OBJ_FONT, "/Type /Font /Subtype /Type0 "
	    "/BaseFont /GlyphLessFont /Encoding /Identity-H "
	    "/DescendantFonts [7 0 R] /ToUnicode 11 0 R");
	if (rc == SOHOA_OK)
		rc = put_dict(w, OBJ_CIDFONT,
		    "/Type /Font /Subtype /CIDFontType2 "
		    "/BaseFont /GlyphLessFont /CIDSystemInfo << "
		    "/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
		    "/FontDescriptor 8 0 R /CIDToGIDMap 10 0 R /DW 500");
	if (rc == SOHOA_OK)
		rc = put_dict(w, OBJ_FONTDESC, "/Type /FontDescriptor "
		    "/FontName /GlyphLessFont /Flags 5 "
		    "/FontBBox [0 0 500 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 "
		    "/StemV 80 /FontFile2 9 0 R");
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_buf_addf(&d, "/Length1 %zu", ttf.len);
	if (rc == SOHOA_OK)
		rc = put_flate_stream(w, OBJ_FONTFILE, d.buf, ttf.buf, ttf.len);
	if (rc != SOHOA_OK)
		goto out;

	map = malloc(2 * 65536);
	if (map == NULL) {
		rc = sohoa_set_error(w->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (n = 0; n < 65536; n++) {
		map[2 * n] = 0;
		map[2 * n + 1] = 1;
	}
	rc = put_flate_stream(w, OBJ_CIDTOGID, "", map, 2 * 65536);
	if (rc != SOHOA_OK)
		goto out;

	/*
	 * A bfrange may only vary in its last byte, so one range per high
	 * byte; surrogates (D8..DF) never appear alone and are left out.
	 * At most 100 entries per block.
	 */
	rc = sohoa_buf_adds(&cmap, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
	    "/Ordering (UCS) /Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	n = 0;
	for (hi = 0; hi < 256 && rc == SOHOA_OK; hi++) {
		if (hi >= 0xD8 && hi <= 0xDF)
			continue;
		if (n % 100 == 0)
			rc = sohoa_buf_addf(&cmap, "%s%d beginbfrange\n",
			    n ? "endbfrange\n" : "",
			    (248 - n) < 100 ? 248 - n : 100);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addf(&cmap,
			    "<%02X00> <%02XFF> <%02X00>\n",
			    hi, hi, hi);
		n++;
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&cmap, "endbfrange\nendcmap\nCMapName "
		    "currentdict /CMap defineresource pop\nend\nend\n");
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
	else
		rc = put_flate_stream(w, OBJ_TOUNICODE, "", cmap.buf, cmap.len);
out:
	free(map);
	sohoa_buf_release(&ttf);
	sohoa_buf_release(&d);
	sohoa_buf_release(&cmap);
	return rc;
}

int
sohoa_pdf_writer_open(struct sohoa_ctx *ctx, const char *out_path,
    const struct sohoa_pdf_meta *meta, struct sohoa_pdf_writer **pwriter)
{
	static const struct sohoa_pdf_meta none;
	struct sohoa_pdf_writer *w;
	char now[26];
	const char *iso;
	struct tm t;
	int offset, rc;

	*pwriter = NULL;
	if (meta == NULL)
		meta = &none;
	iso = meta->create_date;
	if (iso == NULL) {
		sohoa_pdf_format_time(time(NULL), now);
		iso = now;
	}
	if (pdf_parse_iso(iso, &t, &offset) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "'%s' is not an ISO 8601 date and time "
		    "(like 2026-11-24T12:30:05+07:00)", iso);
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	w->ctx = ctx;
	sohoa_tmp_init(&w->tmp);
	w->nextobj = OBJ_FIRST_PAGE;
	w->path = strdup(out_path);
	w->lang = strdup(meta->lang ? meta->lang : "vi");
	w->md = EVP_MD_CTX_new();
	if (w->path == NULL || w->lang == NULL || w->md == NULL ||
	    !EVP_DigestInit_ex(w->md, EVP_sha256(), NULL)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto fail;
	}
	rc = pdf_temp_open(ctx, out_path, &w->tmp, &w->f);
	if (rc != SOHOA_OK)
		goto fail;
	w->out.f = w->f;
	w->out.md = w->md;
	/* the binary comment marks the file as binary (ISO 19005-2, 6.1.2) */
	out_adds(&w->out, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
	rc = write_metadata(w, meta, iso, &t, offset);
	if (rc == SOHOA_OK)
		rc = write_icc(w);
	if (rc == SOHOA_OK)
		rc = write_glyphless_font(w);
	if (rc == SOHOA_OK)
		rc = out_check(ctx, &w->out, w->tmp.path.buf);
	if (rc != SOHOA_OK)
		goto fail;
	*pwriter = w;
	return SOHOA_OK;
fail:
	sohoa_pdf_writer_close(&w);
	return rc;
}

void
sohoa_pdf_writer_close(struct sohoa_pdf_writer **pwriter)
{
	struct sohoa_pdf_writer *w = *pwriter;

	if (w == NULL)
		return;
	*pwriter = NULL;
	if (w->f != NULL)
		fclose(w->f);
	/* after a commit T is empty and this does nothing */
	sohoa_tmp_remove(&w->tmp);
	EVP_MD_CTX_free(w->md);
	free(w->offsets);
	free(w->kids);
	free(w->path);
	free(w->lang);
	free(w);
}

/* Guess the type from the magic bytes when the caller did not say. */
static int
image_kind(struct sohoa_ctx *ctx, const struct sohoa_pdf_page *p, int *pjpeg)
{
	unsigned char m[8] = { 0 };
	FILE *f;
	size_t n;

	if (p->image_type != NULL && strcmp(p->image_type, "jpeg") == 0) {
		*pjpeg = 1;
		return SOHOA_OK;
	}
	if (p->image_type != NULL && strcmp(p->image_type, "png") == 0) {
		*pjpeg = 0;
		return SOHOA_OK;
	}
	if (p->image_type != NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "image type '%s' of '%s' is not 'jpeg' or 'png'",
		    p->image_type, p->image_path);
	f = fopen(p->image_path, "rb");
	if (f == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open '%s': %s",
		    p->image_path, strerror(errno));
	n = fread(m, 1, sizeof(m), f);
	fclose(f);
	if (n >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF)
		*pjpeg = 1;
	else if (n == 8 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0)
		*pjpeg = 0;
	else
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': not a JPEG or PNG image", p->image_path);
	return SOHOA_OK;
}

/* The image file as it is, for a grey or RGB JPEG. */
static int
put_jpeg_passthrough(struct sohoa_pdf_writer *w, int obj,
    const char *path, int width, int height, int spp)
{
	struct stat st;
	FILE *f;
	int rc;

	f = fopen(path, "rb");
	if (f == NULL)
		return sohoa_set_error(w->ctx, SOHOA_ERR_IO,
		    "cannot open '%s': %s",
		    path, strerror(errno));
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return sohoa_set_error(w->ctx, SOHOA_ERR_IO,
		    "cannot stat '%s': %s",
		    path, strerror(errno));
	}
	rc = begin_obj(w, obj);
	if (rc == SOHOA_OK) {
		out_addf(&w->out, "<< /Type /XObject /Subtype /Image /Width %d "
		    "/Height %d /ColorSpace /%s /BitsPerComponent 8 "
		    "/Filter /DCTDecode /Length %lld >>\nstream\n",
		    width, height, spp == 1 ? "DeviceGray" : "DeviceRGB",
		    (long long)st.st_size);
		if (out_copy_file(&w->out, f, st.st_size) != 0)
			rc = sohoa_set_error(w->ctx, SOHOA_ERR_IO,
			    "cannot read '%s': file changed while reading",
			    path);
		out_adds(&w->out, "\nendstream\nendobj\n");
	}
	fclose(f);
	return rc;
}

/*
 * Decode PIX into PDF raster rows: 1 bit grey (PDF's 0 is black,
 * Leptonica's 1 is black), 8 bit grey or 8 bit RGB; deflate.
 */
static int
put_pix(struct sohoa_pdf_writer *w, int obj, PIX *pix)
{
	struct sohoa_buf raw = SOHOA_BUF_INIT, d = SOHOA_BUF_INIT;
	l_uint32 *data, *line;
	l_int32 wd, ht, depth, wpl, x, y, r, g, b;
	size_t rowbytes;
	const char *cs;
	int rc, bpc;

	pixGetDimensions(pix, &wd, &ht, &depth);
	data = pixGetData(pix);
	wpl = pixGetWpl(pix);
	if (depth == 1) {
		rowbytes = ((size_t)wd + 7) / 8;
		bpc = 1;
		cs = "DeviceGray";
	} else if (depth == 8) {
		rowbytes = (size_t)wd;
		bpc = 8;
		cs = "DeviceGray";
	} else {
		rowbytes = 3 * (size_t)wd;
		bpc = 8;
		cs = "DeviceRGB";
	}
	rc = sohoa_buf_grow(&raw, rowbytes * (size_t)ht);
	if (rc != SOHOA_OK)
		return sohoa_set_error(w->ctx, rc, "image of %dx%d is too big",
		    wd, ht);
	for (y = 0; y < ht; y++) {
		line = data + (size_t)y * wpl;
		for (x = 0; (size_t)x < rowbytes && depth != 32; x++)
			raw.buf[raw.len++] = depth == 1 ?
			    (char)~GET_DATA_BYTE(line, x) :
			    (char)GET_DATA_BYTE(line, x);
		for (x = 0; x < wd && depth == 32; x++) {
			extractRGBValues(line[x], &r, &g, &b);
			raw.buf[raw.len++] = (char)r;
			raw.buf[raw.len++] = (char)g;
			raw.buf[raw.len++] = (char)b;
		}
	}
	rc = sohoa_buf_addf(&d, "/Type /XObject /Subtype /Image /Width %d "
	    "/Height %d /ColorSpace /%s /BitsPerComponent %d", wd, ht, cs, bpc);
	if (rc == SOHOA_OK)
		rc = put_flate_stream(w, obj, d.buf, raw.buf, raw.len);
	else
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
	sohoa_buf_release(&raw);
	sohoa_buf_release(&d);
	return rc;
}

/* Read a PNG (or a CMYK JPEG) with Leptonica, as 1, 8 or 32 bpp. */
static int
read_pix(struct sohoa_ctx *ctx, const char *path, PIX **ppix)
{
	PIX *pix, *t;
	l_int32 d;

	*ppix = NULL;
	pix = pixRead(path);
	if (pix == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read image '%s'", path);
	if (pixGetColormap(pix) != NULL) {
		t = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
		pixDestroy(&pix);
		pix = t;
	}
	d = pix ? pixGetDepth(pix) : 0;
	if (pix != NULL && d != 1 && d != 8 && d != 32) {
		t = d < 8 ? pixConvertTo8(pix, 0) : pixConvertTo32(pix);
		pixDestroy(&pix);
		pix = t;
	}
	if (pix == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot convert image '%s'", path);
	*ppix = pix;
	return SOHOA_OK;
}

static int
put_image(struct sohoa_pdf_writer *w, int obj, const struct sohoa_pdf_page *p,
    int *pwidth, int *pheight)
{
	PIX *pix = NULL;
	l_uint8 *jpg = NULL;
	size_t jlen = 0;
	l_int32 wd = 0, ht = 0, spp = 0, ycck = 0, cmyk = 0;
	struct sohoa_buf d = SOHOA_BUF_INIT;
	int jpeg = 0, rc;

	*pwidth = *pheight = 0;
	rc = image_kind(w->ctx, p, &jpeg);
	if (rc != SOHOA_OK)
		return rc;
	if (jpeg) {
		if (readHeaderJpeg(p->image_path, &wd, &ht, &spp, &ycck, &cmyk))
			return sohoa_set_error(w->ctx, SOHOA_ERR_FORMAT,
			    "cannot read '%s': not a JPEG image",
			    p->image_path);
	} else {
		rc = read_pix(w->ctx, p->image_path, &pix);
		if (rc != SOHOA_OK)
			return rc;
		pixGetDimensions(pix, &wd, &ht, NULL);
	}
	if ((p->width > 0 && p->width != wd) ||
	    (p->height > 0 && p->height != ht)) {
		rc = sohoa_set_error(w->ctx, SOHOA_ERR_FORMAT,
		    "image '%s' is %dx%d pixels, not %dx%d as its page says",
		    p->image_path, wd, ht, p->width, p->height);
		goto out;
	}
	*pwidth = wd;
	*pheight = ht;
	if (jpeg && (spp == 1 || spp == 3) && !cmyk && !ycck) {
		rc = put_jpeg_passthrough(w, obj, p->image_path, wd, ht, spp);
		goto out;
	}
	if (!jpeg) {
		rc = put_pix(w, obj, pix);
		goto out;
	}
	/*
	 * CMYK JPEG: PDF/A with an sRGB output intent cannot use DeviceCMYK,
	 * so convert to RGB and encode again.
	 */
	rc = read_pix(w->ctx, p->image_path, &pix);
	if (rc != SOHOA_OK)
		goto out;
	if (pixWriteMemJpeg(&jpg, &jlen, pix, 90, 0) != 0) {
		rc = sohoa_set_error(w->ctx, SOHOA_ERR_FORMAT,
		    "cannot encode '%s' as RGB JPEG", p->image_path);
		goto out;
	}
	rc = sohoa_buf_addf(&d, "/Type /XObject /Subtype /Image /Width %d "
	    "/Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
	    "/Filter /DCTDecode", wd, ht);
	if (rc == SOHOA_OK)
		rc = put_stream(w, obj, d.buf, jpg, jlen);
out:
	lept_free(jpg);
	sohoa_buf_release(&d);
	pixDestroy(&pix);
	return rc;
}

/* Append the UTF-16 code units of UTF-8 S as hex; count them in *PN. */
static int
add_utf16_hex(struct sohoa_buf *b, const char *s, size_t *pn)
{
	size_t len = strlen(s), i, k;
	int32_t cp;
	int rc = SOHOA_OK;

	for (i = 0; i < len && rc == SOHOA_OK; i += k) {
		k = sohoa_utf8_decode(s + i, len - i, &cp);
		/*
		 * The ToUnicode map has no surrogates: characters beyond the
		 * BMP (none in Vietnamese) become U+FFFD.
		 */
		if (cp >= 0x10000 || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		rc = sohoa_buf_addf(b, "%04X", (unsigned)cp);
		(*pn)++;
	}
	return rc;
}

/*
 * Invisible text: per line, one font size (the tallest box in points)
 * and the baseline at the line's lowest box edge; per word, the text
 * origin at its left edge and Tz to stretch it to its box.  A word that
 * is not last on its line carries a trailing space stretched up to the
 * next word, so copied text has its spaces.
 */
static int
add_text_layer(struct sohoa_buf *c, const struct sohoa_pdf_page *p,
    double scale, double page_h)
{
	const struct sohoa_word *wd = p->words, *nx;
	struct sohoa_buf hex = SOHOA_BUF_INIT;
	size_t i, j, k, nunits;
	int rc, ymax, hmax, right;
	double fs, tz;

	rc = sohoa_buf_adds(c, "BT\n3 Tr\n");
	for (i = 0; i < p->nwords && rc == SOHOA_OK; i = j) {
		ymax = 0;
		hmax = 0;
		for (j = i; j < p->nwords && wd[j].line == wd[i].line &&
		    wd[j].block == wd[i].block; j++) {
			if (wd[j].y1 > ymax)
				ymax = wd[j].y1;
			if (wd[j].y1 - wd[j].y0 > hmax)
				hmax = wd[j].y1 - wd[j].y0;
		}
		if (hmax <= 0)
			continue;
		fs = hmax * scale;
		rc = sohoa_buf_addf(c, "/F0 %.2f Tf\n", fs);
		for (k = i; k < j && rc == SOHOA_OK; k++) {
			if (wd[k].text == NULL || *wd[k].text == '\0' ||
			    wd[k].x1 <= wd[k].x0)
				continue;
			sohoa_buf_reset(&hex);
			nunits = 0;
			rc = add_utf16_hex(&hex, wd[k].text, &nunits);
			right = wd[k].x1;
			nx = k + 1 < j ? &wd[k + 1] : NULL;
			if (rc == SOHOA_OK && nx != NULL && nx->x0 > wd[k].x1) {
				rc = sohoa_buf_adds(&hex, "0020");
				nunits++;
				right = nx->x0;
			}
			if (rc != SOHOA_OK)
				break;
			tz = 100.0 * (right - wd[k].x0) * scale /
			    (nunits * fs * GLYPH_WIDTH / 1000.0);
			rc = sohoa_buf_addf(c,
			    "1 0 0 1 %.2f %.2f Tm %.2f Tz <%s> Tj\n",
			    wd[k].x0 * scale, page_h - ymax * scale, tz,
			    hex.buf);
		}
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(c, "ET\n");
	sohoa_buf_release(&hex);
	return rc;
}

static int
add_kid(struct sohoa_pdf_writer *w, int obj)
{
	int *v;
	size_t n;

	if (w->nkids == w->akids) {
		n = w->akids ? 2 * w->akids : 16;
		v = realloc(w->kids, n * sizeof(*v));
		if (v == NULL)
			return sohoa_set_error(w->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		w->kids = v;
		w->akids = n;
	}
	w->kids[w->nkids++] = obj;
	return SOHOA_OK;
}

int
sohoa_pdf_writer_add_page(struct sohoa_pdf_writer *w,
    const struct sohoa_pdf_page *p)
{
	struct sohoa_buf c = SOHOA_BUF_INIT, d = SOHOA_BUF_INIT;
	int img = w->nextobj, content = img + 1, page = img + 2;
	int wd, ht, dpi = p->dpi > 0 ? p->dpi : 200, rc;
	double scale = 72.0 / dpi, pw, ph;

	if (w->finished)
		return sohoa_set_error(w->ctx, SOHOA_ERR_INPUT,
		    "PDF '%s' is already finished", w->path);
	if (p->image_path == NULL)
		return sohoa_set_error(w->ctx, SOHOA_ERR_INPUT,
		    "page %zu of '%s' has no image", w->nkids + 1, w->path);
	w->nextobj += 3;
	rc = put_image(w, img, p, &wd, &ht);
	if (rc != SOHOA_OK)
		goto out;
	pw = wd * scale;
	ph = ht * scale;
	rc = sohoa_buf_addf(&c, "q\n%.4f 0 0 %.4f 0 0 cm\n/Im0 Do\nQ\n",
	    pw, ph);
	if (rc == SOHOA_OK && p->nwords > 0)
		rc = add_text_layer(&c, p, scale, ph);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addf(&d, "/Type /Page /Parent %d 0 R "
		    "/MediaBox [0 0 %.4f %.4f] "
		    "/Resources << /XObject << /Im0 %d 0 R >> "
		    "/Font << /F0 %d 0 R >> >> /Contents %d 0 R",
		    OBJ_PAGES, pw, ph, img, OBJ_FONT, content);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
		goto out;
	}
	rc = put_flate_stream(w, content, "", c.buf, c.len);
	if (rc == SOHOA_OK)
		rc = put_dict(w, page, d.buf);
	if (rc == SOHOA_OK)
		rc = add_kid(w, page);
	if (rc == SOHOA_OK)
		rc = out_check(w->ctx, &w->out, w->tmp.path.buf);
out:
	if (rc != SOHOA_OK)
		sohoa_wrap_error(w->ctx, "page %zu: ", w->nkids + 1);
	sohoa_buf_release(&c);
	sohoa_buf_release(&d);
	return rc;
}

int
sohoa_pdf_writer_finish(struct sohoa_pdf_writer *w)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0, i;
	char id[33];
	off_t xref;
	size_t k;
	int rc = SOHOA_OK, obj;

	if (w->finished)
		return SOHOA_OK;
	if (w->nkids == 0)
		return sohoa_set_error(w->ctx, SOHOA_ERR_INPUT,
		    "cannot write '%s': a document needs at least one page",
		    w->path);
	rc = sohoa_buf_addf(&d, "/Type /Pages /Count %zu /Kids [", w->nkids);
	for (k = 0; k < w->nkids && rc == SOHOA_OK; k++)
		rc = sohoa_buf_addf(&d, "%s%d 0 R", k ? " " : "", w->kids[k]);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&d, "]");
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
	else
		rc = put_dict(w, OBJ_PAGES, d.buf);
	if (rc != SOHOA_OK)
		goto out;
	sohoa_buf_reset(&d);
	rc = sohoa_buf_addf(&d, "/Type /Catalog /Pages %d 0 R /Metadata %d 0 R "
	    "/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 "
	    "/OutputConditionIdentifier (sRGB IEC61966-2.1) "
	    "/Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>] /Lang ",
	    OBJ_PAGES, OBJ_XMP, OBJ_ICC);
	if (rc == SOHOA_OK)
		rc = pdf_add_text_string(&d, w->lang);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(w->ctx, rc, "out of memory");
	else
		rc = put_dict(w, OBJ_CATALOG, d.buf);
	if (rc != SOHOA_OK)
		goto out;

	/* the ID is a digest of the content: same input, same file */
	EVP_DigestFinal_ex(w->md, dig, &dlen);
	w->out.md = NULL;
	for (i = 0; i < 16; i++)
		snprintf(id + 2 * i, 3, "%02x", dig[i]);
	xref = w->out.pos;
	out_addf(&w->out, "xref\n0 %d\n0000000000 65535 f \n", w->nextobj);
	for (obj = 1; obj < w->nextobj; obj++)
		out_addf(&w->out, "%010lld 00000 n \n",
		    (long long)w->offsets[obj]);
	out_addf(&w->out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R "
	    "/ID [<%s> <%s>] >>\nstartxref\n%lld\n%%%%EOF\n", w->nextobj,
	    OBJ_CATALOG, OBJ_INFO, id, id, (long long)xref);
	rc = out_check(w->ctx, &w->out, w->tmp.path.buf);
	if (rc == SOHOA_OK)
		rc = pdf_temp_commit(w->ctx, &w->f, &w->tmp, w->path);
	if (rc == SOHOA_OK)
		w->finished = 1;
out:
	sohoa_buf_release(&d);
	return rc;
}

int
sohoa_pdf_write(struct sohoa_ctx *ctx, const struct sohoa_pdf_page *pages,
    size_t npages, const struct sohoa_pdf_meta *meta, const char *out_path)
{
	struct sohoa_pdf_writer *w = NULL;
	size_t i;
	int rc;

	rc = sohoa_pdf_writer_open(ctx, out_path, meta, &w);
	for (i = 0; i < npages && rc == SOHOA_OK; i++)
		rc = sohoa_pdf_writer_add_page(w, &pages[i]);
	if (rc == SOHOA_OK)
		rc = sohoa_pdf_writer_finish(w);
	sohoa_pdf_writer_close(&w);
	return rc;
}
