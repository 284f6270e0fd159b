/*
 * PDF input: scanner PDFs read page by page with qpdf's C API.
 *
 *   pdf_in_open / _close     read the file, count its pages (capped)
 *   pdf_in_read_page         one page as a viewer shows it
 *   pdf_in_page_words        its text layer, when it has one
 *
 * A scanner writes each page as one image drawn over the whole page.
 * Such a page is read from the image's own bytes, at its own resolution:
 * DCT (JPEG) through libjpeg, CCITT G3/G4 wrapped in a one-strip TIFF
 * for libtiff, JPX through OpenJPEG, Flate and plain samples inflated
 * here.  Which page is "one image" is decided by reading its content
 * stream: one image XObject (possibly inside form XObjects), drawn
 * axis-aligned, perhaps under a white background or a clip that does
 * not cut it, perhaps with invisible (OCR) text; nothing else painted.
 * Every other page -- born-digital text, drawings, several images, JBIG2,
 * transparency -- is rendered by poppler's pdftoppm in a separate process
 * when it is installed (design notes 2.3: GPL code stays out of the
 * binary), else refused with a line saying why.
 *
 * Bombs: the page tree is counted here, capped, before qpdf builds its
 * page list; every image's declared size is checked before decoding;
 * Flate data and content streams are inflated here into buffers of the
 * size the image declares (qpdf's own decoder has no cap); the renderer
 * runs with memory, CPU and output limits.  Object streams are still
 * inflated by qpdf itself.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <qpdf/qpdf-c.h>
#include <tiffio.h>
#include <zlib.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "sohoa/pipeline.h"
#include "sohoa/utf8.h"
#include "pipeline_private.h"

/* Decoded content of one page (all its streams and forms) at most. */
#define MAX_CONTENT ((size_t)16 << 20)
/* Graphics state nesting (q) and form XObject nesting we follow. */
#define MAX_GSTACK 64
#define MAX_FORMS 4
#define MAX_TREE_DEPTH 64
/* Resolution of rendered pages when no image says otherwise. */
#define RENDER_DPI 300
/* Confidence given to the words of a PDF's own text layer. */
#define PDF_TEXT_CONF 90
/* What a renderer process may use. */
#define TOOL_MEMORY ((unsigned long long)3 << 30)
#define TOOL_CPU 300
#define TOOL_WALL 600

struct page_info {
	double crop[4];		/* x0 y0 x1 y1, user space */
	int rotate;		/* 0, 90, 180, 270 clockwise */
	double dw, dh;		/* displayed size, points */
	int nimages;
	int has_text;		/* shows text (visible or not) */
	const char *why;	/* why it must be rendered (static), or NULL */
	qpdf_oh image;		/* the one image */
	double m[6];		/* CTM it was drawn with */
	double box[4];		/* its box as displayed: x0 y0 x1 y1, y down */
	int mono;		/* render as bilevel */
	double dpi;		/* of the first image met, 0 when none */
};

struct pdf_in {
	char *path;
	qpdf_data q;
	int npages;
	int cur;		/* page whose info is in PI, -1 */
	struct page_info pi;
	int rendered;		/* PI's page was rendered, not extracted */
};

/* ---- errors ------------------------------------------------------------ */

/*
 * qpdf's message without the file name in front ("x.pdf (offset 12):
 * ...") and on one line.
 */
static const char *
qpdf_reason(struct pdf_in *p, struct sohoa_buf *b)
{
	qpdf_error e = qpdf_get_error(p->q);
	const char *m = e ? qpdf_get_error_message_detail(p->q, e) : NULL;
	size_t i;

	sohoa_buf_reset(b);
	if (m == NULL || *m == '\0')
		m = e ? qpdf_get_error_full_text(p->q, e) : "unknown error";
	if (sohoa_buf_adds(b, m) != SOHOA_OK)
		return "out of memory";
	for (i = 0; i < b->len; i++)
		if (b->buf[i] == '\n' || b->buf[i] == '\r')
			b->buf[i] = ' ';
	return b->buf;
}

/* Forget qpdf's warnings (they pile up on the handle otherwise). */
static void
drop_warnings(qpdf_data q)
{
	while (qpdf_more_warnings(q))
		qpdf_next_warning(q);
}

/* "cannot read page N of 'PATH': <what FMT says>" */
__attribute__((format(printf, 4, 5)))
static int
page_error(struct sohoa_ctx *ctx, const struct pdf_in *p, int pageno,
    const char *fmt, ...)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sohoa_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read page %d of "
	    "'%s': %s", pageno + 1, p->path, b.buf);
	sohoa_buf_release(&b);
	return rc;
}

/* ---- objects ----------------------------------------------------------- */

static double
num(qpdf_data q, qpdf_oh oh, double def)
{
	return qpdf_oh_is_number(q, oh) ? qpdf_oh_get_numeric_value(q, oh) :
	    def;
}

static int
key_int(qpdf_data q, qpdf_oh dict, const char *key, int def)
{
	qpdf_oh v = qpdf_oh_get_key(q, dict, key);
	double d;

	if (!qpdf_oh_is_number(q, v))
		return def;
	d = qpdf_oh_get_numeric_value(q, v);
	return d >= -1e9 && d <= 1e9 ? (int)d : def;
}

static int
key_bool(qpdf_data q, qpdf_oh dict, const char *key, int def)
{
	qpdf_oh v = qpdf_oh_get_key(q, dict, key);

	return qpdf_oh_is_bool(q, v) ? qpdf_oh_get_bool_value(q, v) : def;
}

/* A one-element array stands for its element (Filter, DecodeParms). */
static qpdf_oh
single(qpdf_data q, qpdf_oh v, int *pmany)
{
	*pmany = 0;
	if (!qpdf_oh_is_array(q, v))
		return v;
	if (qpdf_oh_get_array_n_items(q, v) == 1)
		return qpdf_oh_get_array_item(q, v, 0);
	*pmany = qpdf_oh_get_array_n_items(q, v) > 1;
	return qpdf_oh_new_null(q);
}

/*
 * The stream's data, raw (as stored: decrypted, still encoded), into a
 * malloc'd buffer.  qpdf reads exactly /Length bytes, so this is as big
 * as the file allows.
 */
static int
raw_data(qpdf_data q, qpdf_oh s, unsigned char **pbuf, size_t *plen)
{
	QPDF_BOOL filtered = 0;

	*pbuf = NULL;
	*plen = 0;
	if (qpdf_oh_get_stream_data(q, s, qpdf_dl_none, &filtered, pbuf,
	    plen) & QPDF_ERRORS)
		return -1;
	return 0;
}

/*
 * Inflate zlib data IN into *pout, at most CAP bytes: a Flate stream
 * that says it holds a 100x100 image is never allowed to grow past that
 * (a few KiB of zeroes inflate to gigabytes).  *plen gets what came out;
 * data past CAP is ignored, as viewers do.  -1: not zlib data or cut
 * short (a reason in *pwhy).
 */
static int
inflate_capped(const unsigned char *in, size_t inlen, size_t cap,
    unsigned char **pout, size_t *plen, const char **pwhy)
{
	z_stream z;
	unsigned char *out;
	int zr;

	*pout = NULL;
	*plen = 0;
	*pwhy = NULL;
	out = malloc(cap > 0 ? cap : 1);
	if (out == NULL) {
		*pwhy = "out of memory";
		return -1;
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		free(out);
		*pwhy = "out of memory";
		return -1;
	}
	z.next_in = (unsigned char *)in;
	z.avail_in = inlen > UINT32_MAX ? UINT32_MAX : (uInt)inlen;
	z.next_out = out;
	z.avail_out = cap > UINT32_MAX ? UINT32_MAX : (uInt)cap;
	zr = inflate(&z, Z_FINISH);
	*plen = (size_t)(z.next_out - out);
	inflateEnd(&z);
	if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_MEM_ERROR ||
	    (zr != Z_STREAM_END && z.avail_out > 0)) {
		free(out);
		*plen = 0;
		*pwhy = zr == Z_DATA_ERROR || zr == Z_NEED_DICT ?
		    "corrupt Flate data" : zr == Z_MEM_ERROR ? "out of memory" :
		    "Flate data cut short (truncated file?)";
		return -1;
	}
	*pout = out;
	return 0;
}

/* ---- opening ----------------------------------------------------------- */

/* Object ids of the /Pages nodes met, to catch a tree that loops. */
struct nodes {
	int *v;
	size_t n, alloc;
};

static int
nodes_add(struct nodes *s, int id)
{
	size_t i;
	int *v;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return 1;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 64;
		v = realloc(s->v, s->alloc * sizeof(*v));
		if (v == NULL)
			return -1;
		s->v = v;
	}
	s->v[s->n++] = id;
	return 0;
}

/*
 * Count the leaves under page tree node NODE into *pcount, stopping past
 * PIPELINE_MAX_PAGES: a page tree can name one page object a million
 * times from a few KiB of compressed object stream, and qpdf would copy
 * each before we could say no.  Returns a reason or NULL.
 */
static const char *
count_pages(qpdf_data q, qpdf_oh node, int depth, struct nodes *seen,
    long *pcount)
{
	qpdf_oh kids, kid;
	const char *why = NULL;
	int i, n, id;

	if (depth > MAX_TREE_DEPTH)
		return "its page tree is nested too deep";
	kids = qpdf_oh_get_key(q, node, "/Kids");
	if (!qpdf_oh_is_array(q, kids)) {
		(*pcount)++;	/* a page */
		return NULL;
	}
	id = qpdf_oh_get_object_id(q, node);
	if (id > 0) {
		switch (nodes_add(seen, id)) {
		case 1:
			return "its page tree loops";
		case -1:
			return "out of memory";
		}
	}
	n = qpdf_oh_get_array_n_items(q, kids);
	for (i = 0; i < n && why == NULL; i++) {
		kid = qpdf_oh_get_array_item(q, kids, i);
		if (qpdf_oh_is_dictionary(q, kid))
			why = count_pages(q, kid, depth + 1, seen, pcount);
		qpdf_oh_release(q, kid);
		if (*pcount > PIPELINE_MAX_PAGES)
			why = "more than 100000 pages";
	}
	qpdf_oh_release(q, kids);
	return why;
}

void
pdf_in_close(struct pdf_in **ppdf)
{
	struct pdf_in *p;

	if (ppdf == NULL || *ppdf == NULL)
		return;
	p = *ppdf;
	if (p->q != NULL)
		qpdf_cleanup(&p->q);
	free(p->path);
	free(p);
	*ppdf = NULL;
}

int
pdf_in_open(struct sohoa_ctx *ctx, const char *path, struct pdf_in **ppdf,
    int *pnpages)
{
	struct sohoa_buf why = SOHOA_BUF_INIT;
	struct nodes seen = { NULL, 0, 0 };
	struct pdf_in *p;
	const char *bad;
	qpdf_oh pages;
	long count = 0;
	int rc = SOHOA_OK, r;

	*ppdf = NULL;
	*pnpages = 0;
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->path = strdup(path)) == NULL ||
	    (p->q = qpdf_init()) == NULL) {
		pdf_in_close(&p);
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	p->cur = -1;
	qpdf_silence_errors(p->q);
	qpdf_set_suppress_warnings(p->q, QPDF_TRUE);
	r = qpdf_read(p->q, path, "");
	if (r & QPDF_ERRORS) {
		qpdf_error e = qpdf_get_error(p->q);

		if (e != NULL && qpdf_get_error_code(p->q, e) == qpdf_e_password)
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read "
			    "'%s': the PDF is encrypted with a password (save "
			    "it without one, e.g. 'qpdf --decrypt --password=PW "
			    "in.pdf out.pdf')", path);
		else
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read "
			    "'%s': broken PDF: %s", path, e == NULL ?
			    "unknown error" : qpdf_get_error_message_detail(p->q,
			    e));
		goto out;
	}
	pages = qpdf_oh_get_key(p->q, qpdf_get_root(p->q), "/Pages");
	if (!qpdf_oh_is_dictionary(p->q, pages)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read '%s': "
		    "broken PDF: it has no page tree", path);
		goto out;
	}
	bad = count_pages(p->q, pages, 0, &seen, &count);
	if (bad == NULL && qpdf_has_error(p->q))
		bad = qpdf_reason(p, &why);
	if (bad != NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read '%s': %s",
		    path, bad);
		goto out;
	}
	/* inherited /Resources, /MediaBox, /Rotate, once for all pages */
	if (qpdf_push_inherited_attributes_to_page(p->q) & QPDF_ERRORS) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read '%s': "
		    "broken PDF: %s", path, qpdf_reason(p, &why));
		goto out;
	}
	p->npages = qpdf_get_num_pages(p->q);
	if (p->npages < 0 || qpdf_has_error(p->q)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read '%s': "
		    "broken PDF: %s", path, qpdf_reason(p, &why));
		goto out;
	}
	if (p->npages > PIPELINE_MAX_PAGES) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read '%s': "
		    "more than %d pages", path, PIPELINE_MAX_PAGES);
		goto out;
	}
	qpdf_oh_release_all(p->q);
	drop_warnings(p->q);
	*pnpages = p->npages;
	*ppdf = p;
	p = NULL;
out:
	free(seen.v);
	sohoa_buf_release(&why);
	pdf_in_close(&p);
	return rc;
}

/* ---- the page's geometry ---------------------------------------------- */

/* A box from array V (4 numbers), normalised x0 < x1, y0 < y1. */
static int
get_box(qpdf_data q, qpdf_oh v, double b[4])
{
	double t;
	int i;

	if (!qpdf_oh_is_array(q, v) || qpdf_oh_get_array_n_items(q, v) != 4)
		return -1;
	for (i = 0; i < 4; i++)
		b[i] = num(q, qpdf_oh_get_array_item(q, v, i), 0);
	if (b[0] > b[2]) {
		t = b[0]; b[0] = b[2]; b[2] = t;
	}
	if (b[1] > b[3]) {
		t = b[1]; b[1] = b[3]; b[3] = t;
	}
	return b[2] - b[0] >= 1 && b[3] - b[1] >= 1 ? 0 : -1;
}

/* User space point (UX, UY) as displayed: points from the top left. */
static void
to_display(const struct page_info *pi, double ux, double uy, double *px,
    double *py)
{
	double dx = ux - pi->crop[0], dy = pi->crop[3] - uy;
	double wc = pi->crop[2] - pi->crop[0], hc = pi->crop[3] - pi->crop[1];

	switch (pi->rotate) {
	case 90:
		*px = hc - dy;
		*py = dx;
		break;
	case 180:
		*px = wc - dx;
		*py = hc - dy;
		break;
	case 270:
		*px = dy;
		*py = wc - dx;
		break;
	default:
		*px = dx;
		*py = dy;
	}
}

/* Matrix product R = A x B (A applied first), PDF's [a b c d e f]. */
static void
mat_mul(const double a[6], const double b[6], double r[6])
{
	double t[6];

	t[0] = a[0] * b[0] + a[1] * b[2];
	t[1] = a[0] * b[1] + a[1] * b[3];
	t[2] = a[2] * b[0] + a[3] * b[2];
	t[3] = a[2] * b[1] + a[3] * b[3];
	t[4] = a[4] * b[0] + a[5] * b[2] + b[4];
	t[5] = a[4] * b[1] + a[5] * b[3] + b[5];
	memcpy(r, t, sizeof(t));
}

/* Displayed bounding box of the rectangle (x0,y0)-(x1,y1) under M. */
static void
display_box(const struct page_info *pi, const double m[6], double x0,
    double y0, double x1, double y1, double box[4])
{
	double px[4] = { x0, x1, x0, x1 }, py[4] = { y0, y0, y1, y1 };
	double dx, dy;
	int i;

	for (i = 0; i < 4; i++) {
		to_display(pi, m[0] * px[i] + m[2] * py[i] + m[4],
		    m[1] * px[i] + m[3] * py[i] + m[5], &dx, &dy);
		if (i == 0 || dx < box[0])
			box[0] = dx;
		if (i == 0 || dx > box[2])
			box[2] = dx;
		if (i == 0 || dy < box[1])
			box[1] = dy;
		if (i == 0 || dy > box[3])
			box[3] = dy;
	}
}

/* M maps axes to axes (no shear, no rotation by other than 90s). */
static int
axis_aligned(const double m[6])
{
	double big = fabs(m[0]) + fabs(m[1]) + fabs(m[2]) + fabs(m[3]);

	return big > 0 && ((fabs(m[1]) + fabs(m[2]) < 1e-4 * big) ||
	    (fabs(m[0]) + fabs(m[3]) < 1e-4 * big));
}

/* ---- reading the content ---------------------------------------------- */

enum colour { COLOUR_BLACK, COLOUR_WHITE, COLOUR_OTHER };

struct gstate {
	double m[6];
	double clip[4];		/* displayed box of the clip */
	int clipped;
	int fill;		/* enum colour */
	int tr;			/* text render mode */
};

struct parser {
	struct pdf_in *p;
	struct page_info *pi;
	struct gstate gs[MAX_GSTACK];
	int depth;
	double nums[8];
	int nnum;		/* numbers among the operands, in order */
	int nops;		/* operands since the last operator */
	char name[128];		/* last name operand */
	int path;		/* a path is being built */
	int path_rect;		/* it is one rectangle, in rect */
	double rect[4];
	int clip_next;		/* W or W* seen: the path clips */
	int forms;		/* form XObjects entered */
	size_t content_total;
};

static void
not_simple(struct parser *ps, const char *why)
{
	if (ps->pi->why == NULL)
		ps->pi->why = why;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\0';
}

static int
is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static void
set_fill(struct parser *ps, int n)
{
	struct gstate *g = &ps->gs[ps->depth];
	int i, all1 = 1, all0 = 1;

	if (ps->nnum != ps->nops || n != ps->nnum) {
		g->fill = COLOUR_OTHER;	/* a pattern, or a name */
		return;
	}
	for (i = 0; i < n; i++) {
		if (ps->nums[i] < 0.999)
			all1 = 0;
		if (ps->nums[i] > 0.001)
			all0 = 0;
	}
	if (n == 4)	/* CMYK: black is K = 1, white is all 0 */
		g->fill = all0 ? COLOUR_WHITE : ps->nums[3] > 0.999 &&
		    ps->nums[0] < 0.001 && ps->nums[1] < 0.001 &&
		    ps->nums[2] < 0.001 ? COLOUR_BLACK : COLOUR_OTHER;
	else
		g->fill = all1 ? COLOUR_WHITE : all0 ? COLOUR_BLACK :
		    COLOUR_OTHER;
}

static int parse(struct parser *ps, const unsigned char *s, size_t n,
    qpdf_oh resources);

/* Filters we decode ourselves; JBIG2 and the rest go to the renderer. */
static const char *
image_filter_check(qpdf_data q, qpdf_oh dict, int *pmono)
{
	const char *f;
	qpdf_oh v;
	int many;

	*pmono = 0;
	v = single(q, qpdf_oh_get_key(q, dict, "/Filter"), &many);
	if (many)
		return "an image encoded with several filters";
	if (qpdf_oh_is_null(q, v))
		return NULL;
	if (!qpdf_oh_is_name(q, v))
		return "an image with a broken /Filter";
	f = qpdf_oh_get_name(q, v);
	if (strcmp(f, "/FlateDecode") == 0 || strcmp(f, "/DCTDecode") == 0 ||
	    strcmp(f, "/CCITTFaxDecode") == 0 || strcmp(f, "/JPXDecode") == 0)
		return NULL;
	if (strcmp(f, "/JBIG2Decode") == 0) {
		*pmono = 1;
		return "a JBIG2 image, which only an outside decoder reads";
	}
	return "an image encoded with a filter sohoa does not decode itself";
}

/* An image XObject drawn with the current state. */
static void
draw_image(struct parser *ps, qpdf_oh img, qpdf_oh dict)
{
	qpdf_data q = ps->p->q;
	struct page_info *pi = ps->pi;
	const struct gstate *g = &ps->gs[ps->depth];
	double box[4], w, h, wlen, hlen;
	const char *why;
	int mono;

	pi->nimages++;
	display_box(pi, g->m, 0, 0, 1, 1, box);
	w = key_int(q, dict, "/Width", 0);
	h = key_int(q, dict, "/Height", 0);
	/* the image's width runs along (a, b), its height along (c, d) */
	wlen = hypot(g->m[0], g->m[1]);
	hlen = hypot(g->m[2], g->m[3]);
	if (pi->dpi == 0 && w > 0 && h > 0 && wlen > 0 && hlen > 0)
		pi->dpi = fmax(w / wlen, h / hlen) * 72;
	if (pi->nimages > 1) {
		not_simple(ps, "several images on one page");
		return;
	}
	why = image_filter_check(q, dict, &mono);
	if (mono)
		pi->mono = 1;
	if (why != NULL)
		not_simple(ps, why);
	if (key_bool(q, dict, "/ImageMask", 0)) {
		pi->mono = 1;
		if (g->fill != COLOUR_BLACK)
			not_simple(ps, "an image mask painted in a colour");
	}
	if (qpdf_oh_has_key(q, dict, "/SMask") ||
	    qpdf_oh_has_key(q, dict, "/Mask"))
		not_simple(ps, "an image with transparency (a mask)");
	if (!axis_aligned(g->m))
		not_simple(ps, "an image drawn at an angle");
	if (g->clipped && (g->clip[0] > box[0] + 1 || g->clip[1] > box[1] + 1 ||
	    g->clip[2] < box[2] - 1 || g->clip[3] < box[3] - 1))
		not_simple(ps, "an image cut by a clipping path");
	pi->image = img;
	memcpy(pi->m, g->m, sizeof(pi->m));
	memcpy(pi->box, box, sizeof(pi->box));
}

/* A form XObject: its content read with its matrix and resources. */
static int
draw_form(struct parser *ps, qpdf_oh form, qpdf_oh dict, qpdf_oh resources)
{
	qpdf_data q = ps->p->q;
	unsigned char *raw = NULL, *data = NULL;
	const char *why = NULL;
	size_t rawlen = 0, len = 0;
	qpdf_oh v, res;
	double fm[6] = { 1, 0, 0, 1, 0, 0 };
	int i, many, rc = 0, saved = ps->depth;

	if (ps->forms >= MAX_FORMS || ps->depth + 1 >= MAX_GSTACK) {
		not_simple(ps, "form XObjects nested too deep");
		return 0;
	}
	v = qpdf_oh_get_key(q, dict, "/Matrix");
	if (qpdf_oh_is_array(q, v) && qpdf_oh_get_array_n_items(q, v) == 6)
		for (i = 0; i < 6; i++)
			fm[i] = num(q, qpdf_oh_get_array_item(q, v, i), fm[i]);
	res = qpdf_oh_get_key(q, dict, "/Resources");
	if (!qpdf_oh_is_dictionary(q, res))
		res = resources;
	v = single(q, qpdf_oh_get_key(q, dict, "/Filter"), &many);
	if (raw_data(q, form, &raw, &rawlen) != 0)
		return -1;
	if (!many && qpdf_oh_is_null(q, v)) {
		data = raw;
		len = rawlen;
		raw = NULL;
	} else if (!many && qpdf_oh_is_name_and_equals(q, v, "/FlateDecode")) {
		if (inflate_capped(raw, rawlen, MAX_CONTENT - ps->content_total,
		    &data, &len, &why) != 0) {
			not_simple(ps, why);
			goto out;
		}
	} else {
		not_simple(ps, "a form XObject with unusual encoding");
		goto out;
	}
	ps->content_total += len;
	ps->depth++;
	ps->gs[ps->depth] = ps->gs[ps->depth - 1];
	mat_mul(fm, ps->gs[saved].m, ps->gs[ps->depth].m);
	ps->forms++;
	rc = parse(ps, data, len, res);
	ps->forms--;
	ps->depth = saved;
out:
	free(raw);
	free(data);
	return rc;
}

/* Do NAME: look the XObject up and draw it. */
static int
do_xobject(struct parser *ps, qpdf_oh resources)
{
	qpdf_data q = ps->p->q;
	qpdf_oh xo, dict;

	xo = qpdf_oh_get_key(q, qpdf_oh_get_key(q, resources, "/XObject"),
	    ps->name);
	if (!qpdf_oh_is_stream(q, xo)) {
		not_simple(ps, "a missing XObject");
		return 0;
	}
	dict = qpdf_oh_get_dict(q, xo);
	if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict,
	    "/Subtype"), "/Image")) {
		draw_image(ps, xo, dict);
		return 0;
	}
	if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict,
	    "/Subtype"), "/Form"))
		return draw_form(ps, xo, dict, resources);
	not_simple(ps, "an XObject that is neither an image nor a form");
	return 0;
}

/* The path just ended (painted or not) and may clip. */
static void
end_path(struct parser *ps)
{
	struct gstate *g = &ps->gs[ps->depth];
	double box[4];

	if (ps->clip_next) {
		if (!ps->path_rect || !axis_aligned(g->m)) {
			not_simple(ps, "a clipping path");
		} else {
			display_box(ps->pi, g->m, ps->rect[0], ps->rect[1],
			    ps->rect[2], ps->rect[3], box);
			if (g->clipped) {
				box[0] = fmax(box[0], g->clip[0]);
				box[1] = fmax(box[1], g->clip[1]);
				box[2] = fmin(box[2], g->clip[2]);
				box[3] = fmin(box[3], g->clip[3]);
			}
			memcpy(g->clip, box, sizeof(box));
			g->clipped = 1;
		}
	}
	ps->path = ps->path_rect = ps->clip_next = 0;
}

static int
op(struct parser *ps, const char *o, qpdf_oh resources)
{
	struct gstate *g = &ps->gs[ps->depth];
	double m[6];
	int i;

	switch (o[0]) {
	case 'q':
		if (o[1] == '\0') {
			if (ps->depth + 1 >= MAX_GSTACK) {
				not_simple(ps, "graphics states nested too deep");
				return 1;
			}
			ps->gs[ps->depth + 1] = *g;
			ps->depth++;
			return 0;
		}
		break;
	case 'Q':
		if (o[1] == '\0') {
			if (ps->depth > 0)
				ps->depth--;
			return 0;
		}
		break;
	case 'c':
		if (strcmp(o, "cm") == 0 && ps->nnum == 6 && ps->nops == 6) {
			for (i = 0; i < 6; i++)
				m[i] = ps->nums[i];
			mat_mul(m, g->m, g->m);
			return 0;
		}
		if (o[1] == '\0') {		/* curveto */
			ps->path = 1;
			ps->path_rect = 0;
			return 0;
		}
		break;
	case 'D':
		if (strcmp(o, "Do") == 0 && ps->nops == 1 && ps->name[0])
			return do_xobject(ps, resources) != 0 ? -1 : 0;
		break;
	case 'B':
		if (strcmp(o, "BI") == 0) {
			not_simple(ps, "an inline image");
			return 1;	/* its data cannot be skipped safely */
		}
		if (strcmp(o, "BT") == 0 || strcmp(o, "BX") == 0 ||
		    strcmp(o, "BMC") == 0 || strcmp(o, "BDC") == 0)
			return 0;
		break;
	case 'T':
		if (strcmp(o, "Tr") == 0 && ps->nnum == 1) {
			g->tr = (int)ps->nums[0];
			return 0;
		}
		if (strcmp(o, "Tj") == 0 || strcmp(o, "TJ") == 0) {
			ps->pi->has_text = 1;
			/* 3: invisible, the usual OCR layer over a scan */
			if (g->tr != 3)
				not_simple(ps, "visible text");
			return 0;
		}
		return 0;	/* text state and positioning */
	case '\'':
	case '"':
		ps->pi->has_text = 1;
		if (g->tr != 3)
			not_simple(ps, "visible text");
		return 0;
	case 'W':
		if (o[1] == '\0' || strcmp(o, "W*") == 0) {
			ps->clip_next = 1;
			return 0;
		}
		break;
	case 'n':
		if (o[1] == '\0') {
			end_path(ps);
			return 0;
		}
		break;
	case 'r':
		if (strcmp(o, "re") == 0 && ps->nnum == 4) {
			ps->path_rect = !ps->path;
			ps->path = 1;
			ps->rect[0] = ps->nums[0];
			ps->rect[1] = ps->nums[1];
			ps->rect[2] = ps->nums[0] + ps->nums[2];
			ps->rect[3] = ps->nums[1] + ps->nums[3];
			return 0;
		}
		if (strcmp(o, "rg") == 0) {
			set_fill(ps, 3);
			return 0;
		}
		if (strcmp(o, "ri") == 0)
			return 0;
		break;
	case 'g':
		if (o[1] == '\0') {
			set_fill(ps, 1);
			return 0;
		}
		if (strcmp(o, "gs") == 0)
			return 0;
		break;
	case 'k':
		if (o[1] == '\0') {
			set_fill(ps, 4);
			return 0;
		}
		break;
	case 's':
		if (strcmp(o, "sc") == 0 || strcmp(o, "scn") == 0) {
			set_fill(ps, ps->nnum);
			return 0;
		}
		if (strcmp(o, "sh") == 0) {
			not_simple(ps, "a shading");
			return 0;
		}
		if (o[1] == '\0') {
			not_simple(ps, "drawings (lines or shapes)");
			end_path(ps);
			return 0;
		}
		break;
	case 'f':
	case 'F':
		/* a white background before the image hides nothing */
		if (o[1] == '\0' || strcmp(o, "f*") == 0) {
			if (g->fill != COLOUR_WHITE || ps->pi->nimages > 0)
				not_simple(ps, "drawings (lines or shapes)");
			end_path(ps);
			return 0;
		}
		break;
	case 'm':
	case 'l':
	case 'v':
	case 'y':
	case 'h':
		if (o[1] == '\0') {
			ps->path_rect = 0;
			ps->path = 1;
			return 0;
		}
		break;
	case 'S':
	case 'b':
		if (o[1] == '\0' || strcmp(o, "b*") == 0) {
			not_simple(ps, "drawings (lines or shapes)");
			end_path(ps);
			return 0;
		}
		break;
	case 'E':
		if (strcmp(o, "ET") == 0 || strcmp(o, "EMC") == 0 ||
		    strcmp(o, "EX") == 0)
			return 0;
		break;
	case 'd':
		if (strcmp(o, "d0") == 0 || strcmp(o, "d1") == 0 ||
		    strcmp(o, "d") == 0)
			return 0;
		break;
	case 'i':
	case 'j':
	case 'J':
	case 'M':
	case 'w':
		if (o[1] == '\0')
			return 0;
		if (strcmp(o, "MP") == 0)
			return 0;
		break;
	case 'C':
	case 'G':
	case 'K':
	case 'R':
		return 0;	/* stroke colour, colour spaces */
	}
	if (strcmp(o, "B") == 0 || strcmp(o, "B*") == 0) {
		not_simple(ps, "drawings (lines or shapes)");
		end_path(ps);
		return 0;
	}
	if (strcmp(o, "cs") == 0) {
		g->fill = COLOUR_BLACK;	/* the initial colour of any space */
		return 0;
	}
	if (strcmp(o, "DP") == 0)
		return 0;
	if (strcmp(o, "T*") == 0)
		return 0;
	return 0;	/* unknown operators are ignored, as viewers do */
}

/*
 * Read content stream S of N bytes with RESOURCES: 0, or -1 when qpdf
 * failed on an object (the error is on the handle).
 */
static int
parse(struct parser *ps, const unsigned char *s, size_t n, qpdf_oh resources)
{
	char tok[64];
	size_t i = 0, j;
	int arr = 0, dict = 0, paren, r;

	while (i < n) {
		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '%') {
			while (i < n && s[i] != '\n' && s[i] != '\r')
				i++;
			continue;
		}
		if (s[i] == '(') {	/* a string, with nesting and escapes */
			for (paren = 1, i++; i < n && paren > 0; i++) {
				if (s[i] == '\\')
					i++;
				else if (s[i] == '(')
					paren++;
				else if (s[i] == ')')
					paren--;
			}
			if (!arr && !dict)
				ps->nops++;
			continue;
		}
		if (s[i] == '<' && i + 1 < n && s[i + 1] == '<') {
			dict++;
			i += 2;
			continue;
		}
		if (s[i] == '>' && i + 1 < n && s[i + 1] == '>') {
			if (dict > 0 && --dict == 0 && !arr)
				ps->nops++;
			i += 2;
			continue;
		}
		if (s[i] == '<') {	/* a hex string */
			while (i < n && s[i] != '>')
				i++;
			i++;
			if (!arr && !dict)
				ps->nops++;
			continue;
		}
		if (s[i] == '[' || s[i] == ']') {
			if (s[i] == '[')
				arr++;
			else if (arr > 0 && --arr == 0 && !dict)
				ps->nops++;
			i++;
			continue;
		}
		if (s[i] == '{' || s[i] == '}' || s[i] == ')' || s[i] == '>') {
			i++;
			continue;
		}
		/* a name, a number or an operator */
		j = i + 1;
		while (j < n && !is_space(s[j]) && !is_delim(s[j]))
			j++;
		if (j - i >= sizeof(tok)) {
			i = j;
			if (!arr && !dict)
				ps->nops++;
			continue;
		}
		memcpy(tok, s + i, j - i);
		tok[j - i] = '\0';
		i = j;
		if (arr || dict)
			continue;
		if (tok[0] == '/') {
			snprintf(ps->name, sizeof(ps->name), "%s", tok);
			ps->nops++;
		} else if ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' ||
		    tok[0] == '+' || tok[0] == '.') {
			if (ps->nnum < 8)
				ps->nums[ps->nnum++] = strtod(tok, NULL);
			ps->nops++;
		} else if (strcmp(tok, "true") == 0 || strcmp(tok, "false") == 0 ||
		    strcmp(tok, "null") == 0) {
			ps->nops++;
		} else {
			r = op(ps, tok, resources);
			if (r < 0)
				return -1;
			if (r > 0)
				return 0;	/* stop reading: the why is set */
			ps->nnum = ps->nops = 0;
			ps->name[0] = '\0';
		}
	}
	return 0;
}

/* The page's content streams, inflated here (capped); NULL when odd. */
static int
page_content(struct parser *ps, qpdf_oh page, struct sohoa_buf *out)
{
	qpdf_data q = ps->p->q;
	qpdf_oh c, s, f;
	unsigned char *raw = NULL, *data = NULL;
	const char *why = NULL;
	size_t rawlen, len;
	int i, n, many;

	c = qpdf_oh_get_key(q, page, "/Contents");
	n = qpdf_oh_is_array(q, c) ? qpdf_oh_get_array_n_items(q, c) :
	    qpdf_oh_is_stream(q, c) ? 1 : 0;
	for (i = 0; i < n; i++) {
		s = qpdf_oh_is_array(q, c) ? qpdf_oh_get_array_item(q, c, i) : c;
		if (!qpdf_oh_is_stream(q, s))
			continue;
		f = single(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, s),
		    "/Filter"), &many);
		if (raw_data(q, s, &raw, &rawlen) != 0)
			return -1;
		if (!many && qpdf_oh_is_null(q, f)) {
			data = raw;
			len = rawlen;
			raw = NULL;
		} else if (!many && qpdf_oh_is_name_and_equals(q, f,
		    "/FlateDecode")) {
			if (inflate_capped(raw, rawlen, MAX_CONTENT - out->len,
			    &data, &len, &why) != 0) {
				not_simple(ps, why);
				free(raw);
				return 0;
			}
		} else {
			not_simple(ps, "page content with unusual encoding");
			free(raw);
			return 0;
		}
		/* streams are joined as if by a space (PDF 7.8.2) */
		if (sohoa_buf_add(out, data, len) != SOHOA_OK ||
		    sohoa_buf_addch(out, '\n') != SOHOA_OK) {
			free(raw);
			free(data);
			return -2;
		}
		free(raw);
		free(data);
		raw = data = NULL;
		if (out->len >= MAX_CONTENT) {
			not_simple(ps, "page content over 16 MiB");
			return 0;
		}
	}
	return 0;
}

/* Look at page PAGENO: its geometry and whether it is one image. */
static int
analyse(struct sohoa_ctx *ctx, struct pdf_in *p, int pageno)
{
	struct sohoa_buf content = SOHOA_BUF_INIT, why = SOHOA_BUF_INIT;
	struct page_info *pi = &p->pi;
	struct parser *ps = NULL;
	qpdf_data q = p->q;
	qpdf_oh page, res;
	int rc = SOHOA_OK, r;

	if (p->cur == pageno)
		return SOHOA_OK;
	p->cur = -1;
	qpdf_oh_release_all(q);
	memset(pi, 0, sizeof(*pi));
	page = qpdf_get_page_n(q, (size_t)pageno);
	if (qpdf_has_error(q) || !qpdf_oh_is_dictionary(q, page)) {
		rc = page_error(ctx, p, pageno, "broken page object: %s",
		    qpdf_has_error(q) ? qpdf_reason(p, &why) : "not a dictionary");
		goto out;
	}
	if (get_box(q, qpdf_oh_get_key(q, page, "/CropBox"), pi->crop) != 0 &&
	    get_box(q, qpdf_oh_get_key(q, page, "/MediaBox"), pi->crop) != 0) {
		/* PDF 1.7 says /MediaBox is required; viewers assume Letter */
		pi->crop[0] = pi->crop[1] = 0;
		pi->crop[2] = 612;
		pi->crop[3] = 792;
	}
	pi->rotate = key_int(q, page, "/Rotate", 0) % 360;
	if (pi->rotate < 0)
		pi->rotate += 360;
	if (pi->rotate % 90 != 0)
		pi->rotate = 0;
	pi->dw = pi->crop[2] - pi->crop[0];
	pi->dh = pi->crop[3] - pi->crop[1];
	if (pi->rotate == 90 || pi->rotate == 270) {
		double t = pi->dw;

		pi->dw = pi->dh;
		pi->dh = t;
	}
	ps = calloc(1, sizeof(*ps));
	if (ps == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	ps->p = p;
	ps->pi = pi;
	ps->gs[0].m[0] = ps->gs[0].m[3] = 1;
	ps->gs[0].fill = COLOUR_BLACK;
	r = page_content(ps, page, &content);
	if (r == -2) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	res = qpdf_oh_get_key(q, page, "/Resources");
	ps->content_total = content.len;
	if (r == 0 && pi->why == NULL)
		r = parse(ps, (const unsigned char *)content.buf, content.len,
		    res);
	if (r != 0 || qpdf_has_error(q)) {
		rc = page_error(ctx, p, pageno, "broken PDF: %s",
		    qpdf_reason(p, &why));
		goto out;
	}
	if (pi->why == NULL && pi->nimages == 0)
		pi->why = pi->has_text ? "only text, no scanned image" :
		    "no scanned image";
	p->cur = pageno;
out:
	drop_warnings(q);
	free(ps);
	sohoa_buf_release(&content);
	sohoa_buf_release(&why);
	return rc;
}

/* ---- decoding the image ------------------------------------------------ */

/* The image's bytes as stored (raw_data), or a line saying why not. */
static int
image_bytes(struct sohoa_ctx *ctx, struct pdf_in *p, int pageno,
    qpdf_oh img, unsigned char **pbuf, size_t *plen)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	int rc;

	if (raw_data(p->q, img, pbuf, plen) == 0)
		return SOHOA_OK;
	rc = page_error(ctx, p, pageno, "broken image stream: %s",
	    qpdf_reason(p, &b));
	sohoa_buf_release(&b);
	return rc;
}

/* The colour space of an image: components, and a palette if indexed. */
struct cspace {
	int ncomp;		/* 1 grey, 3 RGB, 4 CMYK */
	int indexed;
	int hival;
	unsigned char pal[256][3];	/* indexed: RGB of each entry */
};

static int
base_space(qpdf_data q, qpdf_oh cs, int *pn)
{
	const char *name;
	qpdf_oh first;

	*pn = 0;
	if (qpdf_oh_is_array(q, cs) && qpdf_oh_get_array_n_items(q, cs) >= 1) {
		first = qpdf_oh_get_array_item(q, cs, 0);
		if (qpdf_oh_is_name_and_equals(q, first, "/ICCBased")) {
			*pn = key_int(q, qpdf_oh_get_dict(q,
			    qpdf_oh_get_array_item(q, cs, 1)), "/N", 0);
			return *pn == 1 || *pn == 3 || *pn == 4 ? 0 : -1;
		}
		if (qpdf_oh_is_name_and_equals(q, first, "/CalGray"))
			*pn = 1;
		else if (qpdf_oh_is_name_and_equals(q, first, "/CalRGB"))
			*pn = 3;
		return *pn ? 0 : -1;
	}
	if (!qpdf_oh_is_name(q, cs))
		return -1;
	name = qpdf_oh_get_name(q, cs);
	if (strcmp(name, "/DeviceGray") == 0 || strcmp(name, "/G") == 0)
		*pn = 1;
	else if (strcmp(name, "/DeviceRGB") == 0 || strcmp(name, "/RGB") == 0)
		*pn = 3;
	else if (strcmp(name, "/DeviceCMYK") == 0 || strcmp(name, "/CMYK") == 0)
		*pn = 4;
	return *pn ? 0 : -1;
}

static void
cmyk_to_rgb(const unsigned char *c, unsigned char *rgb)
{
	int i;

	for (i = 0; i < 3; i++)
		rgb[i] = (unsigned char)((255 - c[i]) * (255 - c[3]) / 255);
}

/* The image's colour space; -1 with a reason when not one we take. */
static int
colour_space(qpdf_data q, qpdf_oh cs, struct cspace *c, const char **pwhy)
{
	qpdf_oh base, lookup;
	unsigned char *data = NULL;
	const char *str;
	size_t len = 0, k;
	int nb, i;

	memset(c, 0, sizeof(*c));
	if (qpdf_oh_is_array(q, cs) && qpdf_oh_get_array_n_items(q, cs) == 4 &&
	    qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, cs, 0),
	    "/Indexed")) {
		base = qpdf_oh_get_array_item(q, cs, 1);
		c->hival = (int)num(q, qpdf_oh_get_array_item(q, cs, 2), -1);
		lookup = qpdf_oh_get_array_item(q, cs, 3);
		if (base_space(q, base, &nb) != 0 || c->hival < 0 ||
		    c->hival > 255) {
			*pwhy = "an indexed image with an unusual palette";
			return -1;
		}
		if (qpdf_oh_is_string(q, lookup)) {
			str = qpdf_oh_get_binary_string_value(q, lookup, &len);
			data = malloc(len ? len : 1);
			if (data != NULL && len > 0)
				memcpy(data, str, len);
		} else if (qpdf_oh_is_stream(q, lookup)) {
			if (qpdf_oh_get_stream_data(q, lookup, qpdf_dl_generalized,
			    NULL, &data, &len) & QPDF_ERRORS)
				data = NULL;
		}
		if (data == NULL || len < (size_t)(c->hival + 1) * (size_t)nb) {
			free(data);
			*pwhy = "an indexed image with a broken palette";
			return -1;
		}
		for (i = 0; i <= c->hival; i++) {
			k = (size_t)i * (size_t)nb;
			if (nb == 1)
				c->pal[i][0] = c->pal[i][1] = c->pal[i][2] = data[k];
			else if (nb == 3)
				memcpy(c->pal[i], data + k, 3);
			else
				cmyk_to_rgb(data + k, c->pal[i]);
		}
		free(data);
		c->indexed = 1;
		c->ncomp = 1;
		return 0;
	}
	if (base_space(q, cs, &c->ncomp) != 0) {
		*pwhy = "an image in a colour space sohoa does not convert"
		    " itself";
		return -1;
	}
	return 0;
}

/* /Decode [1 0 ...]: the samples run the other way (all components). */
static int
decode_inverted(qpdf_data q, qpdf_oh dict, int *pinv)
{
	qpdf_oh d = qpdf_oh_get_key(q, dict, "/Decode");
	int i, n, inv = 0, straight = 0;
	double lo, hi;

	*pinv = 0;
	if (!qpdf_oh_is_array(q, d))
		return 0;
	n = qpdf_oh_get_array_n_items(q, d);
	for (i = 0; i + 1 < n; i += 2) {
		lo = num(q, qpdf_oh_get_array_item(q, d, i), 0);
		hi = num(q, qpdf_oh_get_array_item(q, d, i + 1), 1);
		if (lo == 1 && hi == 0)
			inv++;
		else if (lo == 0 && hi == 1)
			straight++;
		else
			return -1;
	}
	if (inv && straight)
		return -1;
	*pinv = inv > 0;
	return 0;
}

/* Undo PNG predictors (10-15) in place: rows of 1 + ROWBYTES bytes. */
static int
png_unfilter(unsigned char *d, size_t len, size_t rowbytes, size_t bpp,
    size_t rows, unsigned char **pout)
{
	unsigned char *out, *prev, *cur, *in;
	size_t r, i;
	int a, b, c, p, pa, pb, pc;

	*pout = NULL;
	if (len < rows * (rowbytes + 1))
		return -1;
	out = calloc(rows ? rows : 1, rowbytes ? rowbytes : 1);
	if (out == NULL)
		return -2;
	for (r = 0; r < rows; r++) {
		in = d + r * (rowbytes + 1);
		cur = out + r * rowbytes;
		prev = r > 0 ? cur - rowbytes : NULL;
		for (i = 0; i < rowbytes; i++) {
			a = i >= bpp ? cur[i - bpp] : 0;
			b = prev ? prev[i] : 0;
			c = prev && i >= bpp ? prev[i - bpp] : 0;
			switch (in[0]) {
			case 0: p = 0; break;
			case 1: p = a; break;
			case 2: p = b; break;
			case 3: p = (a + b) / 2; break;
			case 4:
				pa = abs(b - c);
				pb = abs(a - c);
				pc = abs(a + b - 2 * c);
				p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
				break;
			default:
				free(out);
				return -1;
			}
			cur[i] = (unsigned char)(in[1 + i] + p);
		}
	}
	*pout = out;
	return 0;
}

/*
 * Samples of a W x H image, NCOMP components of BPC bits, rows padded to
 * bytes, into a PIX: 1 bpp grey (PDF: 0 is black; Leptonica: 1 is
 * black), 2/4/8 bpp grey, 16 bits to 8, RGB and CMYK to 32 bpp, indexed
 * to a colour-mapped PIX.
 */
static PIX *
samples_to_pix(const unsigned char *d, int w, int h, int bpc,
    const struct cspace *cs, int invert)
{
	size_t rowbytes = ((size_t)w * (size_t)cs->ncomp * (size_t)bpc + 7) / 8;
	const unsigned char *row;
	l_uint32 *line;
	PIX *pix;
	PIXCMAP *cmap;
	int x, y, i, depth, step = bpc / 8;
	unsigned char px[4];

	if (cs->indexed) {
		depth = bpc;
		pix = pixCreate(w, h, depth);
		if (pix == NULL)
			return NULL;
		cmap = pixcmapCreate(depth);
		for (i = 0; i <= cs->hival && i < (1 << depth); i++)
			pixcmapAddColor(cmap, cs->pal[i][0], cs->pal[i][1],
			    cs->pal[i][2]);
		pixSetColormap(pix, cmap);
	} else if (cs->ncomp == 1) {
		pix = pixCreate(w, h, bpc == 16 ? 8 : bpc);
	} else {
		pix = pixCreate(w, h, 32);
	}
	if (pix == NULL)
		return NULL;
	for (y = 0; y < h; y++) {
		row = d + (size_t)y * rowbytes;
		line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
		if (cs->ncomp == 1 && bpc <= 8) {
			/* packed the same way, MSB first: copy, swap later */
			memcpy(line, row, rowbytes);
			continue;
		}
		for (x = 0; x < w; x++) {
			if (cs->ncomp == 1) {	/* 16 bits */
				SET_DATA_BYTE(line, x, row[(size_t)x * 2]);
				continue;
			}
			for (i = 0; i < cs->ncomp; i++)
				px[i] = row[((size_t)x * cs->ncomp + i) * step];
			if (invert)
				for (i = 0; i < cs->ncomp; i++)
					px[i] = (unsigned char)(255 - px[i]);
			if (cs->ncomp == 4)
				cmyk_to_rgb(px, px);
			composeRGBPixel(px[0], px[1], px[2], line + x);
		}
	}
	if (cs->ncomp == 1 && bpc <= 8) {
		pixEndianByteSwap(pix);
		/* grey 1 bpp: PDF's 0 is black, Leptonica's 1 is black */
		if (!cs->indexed && (bpc == 1) != (invert != 0))
			pixInvert(pix, pix);
		pixSetPadBits(pix, 0);
	} else if (cs->ncomp == 1 && invert) {
		pixInvert(pix, pix);
	}
	return pix;
}

/* Flate or plain samples. */
static int
decode_samples(struct pdf_in *p, int pageno, qpdf_oh img, qpdf_oh dict,
    int w, int h, int flate, struct sohoa_ctx *ctx, PIX **ppix)
{
	qpdf_data q = p->q;
	struct cspace *cs = NULL;
	unsigned char *raw = NULL, *data = NULL, *rows = NULL;
	const unsigned char *samples;
	const char *why = NULL;
	size_t rawlen = 0, len = 0, rowbytes, need, prow;
	qpdf_oh parms;
	int bpc, pred, colors, pbpc, columns, inv = 0, many, mask, rc;

	*ppix = NULL;
	mask = key_bool(q, dict, "/ImageMask", 0);
	bpc = mask ? 1 : key_int(q, dict, "/BitsPerComponent", 0);
	cs = calloc(1, sizeof(*cs));
	if (cs == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (mask)
		cs->ncomp = 1;
	else if (colour_space(q, qpdf_oh_get_key(q, dict, "/ColorSpace"), cs,
	    &why) != 0) {
		rc = page_error(ctx, p, pageno, "%s", why);
		goto out;
	}
	if (decode_inverted(q, dict, &inv) != 0 || (cs->indexed && inv)) {
		rc = page_error(ctx, p, pageno, "%s", "an image with an unusual "
		    "/Decode array");
		goto out;
	}
	if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
		rc = page_error(ctx, p, pageno, "%s", "an image with a broken "
		    "/BitsPerComponent");
		goto out;
	}
	if ((cs->ncomp > 1 && bpc < 8) || (cs->indexed && bpc > 8)) {
		rc = page_error(ctx, p, pageno, "%s", "an image with an unusual "
		    "sample size");
		goto out;
	}
	rowbytes = ((size_t)w * (size_t)cs->ncomp * (size_t)bpc + 7) / 8;
	need = rowbytes * (size_t)h;
	rc = image_bytes(ctx, p, pageno, img, &raw, &rawlen);
	if (rc != SOHOA_OK)
		goto out;
	samples = raw;
	len = rawlen;
	if (flate) {
		parms = single(q, qpdf_oh_get_key(q, dict, "/DecodeParms"), &many);
		pred = key_int(q, parms, "/Predictor", 1);
		colors = key_int(q, parms, "/Colors", 1);
		pbpc = key_int(q, parms, "/BitsPerComponent", 8);
		columns = key_int(q, parms, "/Columns", 1);
		if (pred > 1 && (colors != cs->ncomp || pbpc != bpc ||
		    columns != w || (pred == 2 && bpc != 8) ||
		    (pred > 2 && pred < 10) || pred > 15)) {
			rc = page_error(ctx, p, pageno, "%s", "an image with "
			    "unusual predictor parameters");
			goto out;
		}
		prow = pred >= 10 ? rowbytes + 1 : rowbytes;
		if (inflate_capped(raw, rawlen, prow * (size_t)h, &data, &len,
		    &why) != 0) {
			rc = page_error(ctx, p, pageno, "%s", why);
			goto out;
		}
		if (pred >= 10) {
			rc = png_unfilter(data, len, rowbytes,
			    ((size_t)cs->ncomp * (size_t)bpc + 7) / 8,
			    (size_t)h, &rows);
			if (rc != 0) {
				rc = rc == -2 ? sohoa_set_error(ctx,
				    SOHOA_ERR_NOMEM, "out of memory") :
				    page_error(ctx, p, pageno, "%s", "corrupt "
				    "image data (bad PNG predictor rows)");
				goto out;
			}
			samples = rows;
			len = rowbytes * (size_t)h;
		} else {
			samples = data;
			if (pred == 2 && len >= need) {
				size_t x, y, nc = (size_t)cs->ncomp;

				for (y = 0; y < (size_t)h; y++)
					for (x = nc; x < rowbytes; x++)
						data[y * rowbytes + x] += data[y *
						    rowbytes + x - nc];
			}
		}
	}
	if (len < need) {
		rc = page_error(ctx, p, pageno, "%s", "image data cut short "
		    "(truncated file?)");
		goto out;
	}
	*ppix = samples_to_pix(samples, w, h, bpc, cs, inv);
	rc = *ppix != NULL ? SOHOA_OK : sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
	    "out of memory");
out:
	free(cs);
	free(raw);
	free(data);
	free(rows);
	return rc;
}

/* ---- CCITT: a one-strip TIFF in memory ----------------------------------- */

struct memtiff {
	const unsigned char *d;
	size_t len, pos;
	char msg[160];
};

static tsize_t
mt_read(thandle_t h, tdata_t buf, tsize_t n)
{
	struct memtiff *m = h;
	size_t k = m->pos < m->len ? m->len - m->pos : 0;

	if ((size_t)n < k)
		k = (size_t)n;
	memcpy(buf, m->d + m->pos, k);
	m->pos += k;
	return (tsize_t)k;
}

static tsize_t
mt_write(thandle_t h, tdata_t buf, tsize_t n)
{
	(void)h;
	(void)buf;
	(void)n;
	return -1;
}

static toff_t
mt_seek(thandle_t h, toff_t off, int whence)
{
	struct memtiff *m = h;
	uint64_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ?
	    m->len : 0;

	m->pos = (size_t)(base + off);
	return m->pos;
}

static int
mt_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t
mt_size(thandle_t h)
{
	return ((struct memtiff *)h)->len;
}

static int
mt_map(thandle_t h, tdata_t *pbase, toff_t *psize)
{
	(void)h;
	(void)pbase;
	(void)psize;
	return 0;
}

static void
mt_unmap(thandle_t h, tdata_t base, toff_t size)
{
	(void)h;
	(void)base;
	(void)size;
}

__attribute__((format(printf, 4, 0)))
static int
mt_error(TIFF *tif, void *user, const char *module, const char *fmt,
    va_list ap)
{
	struct memtiff *m = user;

	(void)tif;
	(void)module;
	if (m->msg[0] == '\0')
		vsnprintf(m->msg, sizeof(m->msg), fmt, ap);
	return 1;
}

__attribute__((format(printf, 4, 0)))
static int
mt_warning(TIFF *tif, void *user, const char *module, const char *fmt,
    va_list ap)
{
	size_t n = module != NULL ? strlen(module) : 0;

	/* only a decoder's warnings mean the data is damaged (load.c) */
	if (n >= 6 && strcmp(module + n - 6, "Decode") == 0)
		return mt_error(tif, user, module, fmt, ap);
	return 1;
}

static void
put16(unsigned char *b, unsigned v)
{
	b[0] = (unsigned char)(v & 0xff);
	b[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b + 2, v >> 16);
}

/*
 * A little-endian TIFF of one strip holding the CCITT data as stored,
 * Photometric MinIsWhite (the fax convention libtiff and the PDF filter
 * share when /BlackIs1 is false, design notes 2.2).
 */
static unsigned char *
ccitt_tiff(const unsigned char *data, size_t len, int w, int h, int k,
    int byte_align, size_t *ptlen)
{
	enum { NTAGS = 10 };
	size_t ifd = 8, dataoff = ifd + 2 + NTAGS * 12 + 4, i = 0;
	unsigned char *t, *e;
	struct { unsigned tag, type; uint32_t val; } tags[NTAGS] = {
		{ 256, 4, (uint32_t)w }, { 257, 4, (uint32_t)h },
		{ 258, 3, 1 }, { 259, 3, k < 0 ? 4 : 3 }, { 262, 3, 0 },
		{ 273, 4, (uint32_t)dataoff }, { 277, 3, 1 },
		{ 278, 4, (uint32_t)h }, { 279, 4, (uint32_t)len },
		{ k < 0 ? 293 : 292, 4, (uint32_t)((k > 0 ? 1 : 0) |
		    (byte_align && k >= 0 ? 4 : 0)) },
	};

	*ptlen = 0;
	if (len > UINT32_MAX - dataoff)
		return NULL;
	t = malloc(dataoff + len);
	if (t == NULL)
		return NULL;
	memcpy(t, "II*\0", 4);
	put32(t + 4, (uint32_t)ifd);
	put16(t + ifd, NTAGS);
	for (i = 0; i < NTAGS; i++) {
		e = t + ifd + 2 + i * 12;
		put16(e, tags[i].tag);
		put16(e + 2, tags[i].type);
		put32(e + 4, 1);
		put32(e + 8, 0);
		if (tags[i].type == 3)
			put16(e + 8, tags[i].val);
		else
			put32(e + 8, tags[i].val);
	}
	put32(t + ifd + 2 + NTAGS * 12, 0);
	memcpy(t + dataoff, data, len);
	*ptlen = dataoff + len;
	return t;
}

static int
decode_ccitt(struct pdf_in *p, int pageno, qpdf_oh img, qpdf_oh dict,
    int w, int h, struct sohoa_ctx *ctx, PIX **ppix)
{
	qpdf_data q = p->q;
	struct memtiff mt;
	TIFFOpenOptions *opts;
	TIFF *tif = NULL;
	unsigned char *raw = NULL, *t = NULL, *buf = NULL;
	size_t rawlen = 0, tlen = 0;
	qpdf_oh parms;
	int k, columns, rows, black1, inv = 0, many, rc = SOHOA_OK;
	tmsize_t ssize;

	*ppix = NULL;
	parms = single(q, qpdf_oh_get_key(q, dict, "/DecodeParms"), &many);
	k = key_int(q, parms, "/K", 0);
	columns = key_int(q, parms, "/Columns", 1728);
	rows = key_int(q, parms, "/Rows", 0);
	black1 = key_bool(q, parms, "/BlackIs1", 0);
	if (rows <= 0)
		rows = h;	/* /Rows may be left out: the image's /Height */
	if (columns != w || rows != h)
		return page_error(ctx, p, pageno, "%s", "CCITT parameters that"
		    " do not match the image's size");
	if (decode_inverted(q, dict, &inv) != 0)
		return page_error(ctx, p, pageno, "%s", "an image with an "
		    "unusual /Decode array");
	rc = image_bytes(ctx, p, pageno, img, &raw, &rawlen);
	if (rc != SOHOA_OK)
		return rc;
	t = ccitt_tiff(raw, rawlen, w, h, k, key_bool(q, parms,
	    "/EncodedByteAlign", 0), &tlen);
	if (t == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	/*
	 * libtiff fills a damaged fax strip and only warns; the strip is
	 * decoded once here with our handlers so that a damaged page fails
	 * rather than passing for a blank one (bug 0001, load.c).
	 */
	memset(&mt, 0, sizeof(mt));
	mt.d = t;
	mt.len = tlen;
	opts = TIFFOpenOptionsAlloc();
	if (opts == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	TIFFOpenOptionsSetErrorHandlerExtR(opts, mt_error, &mt);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, mt_warning, &mt);
	tif = TIFFClientOpenExt("ccitt", "rm", &mt, mt_read, mt_write, mt_seek,
	    mt_close, mt_size, mt_map, mt_unmap, opts);
	TIFFOpenOptionsFree(opts);
	ssize = tif != NULL ? TIFFStripSize(tif) : 0;
	if (tif == NULL || ssize <= 0 || (buf = malloc((size_t)ssize)) == NULL ||
	    TIFFReadEncodedStrip(tif, 0, buf, ssize) < 0 || mt.msg[0]) {
		rc = page_error(ctx, p, pageno, "corrupt CCITT image data%s%s",
		    mt.msg[0] ? ": " : "", mt.msg);
		goto out;
	}
	*ppix = pixReadMemTiff(t, tlen, 0);
	if (*ppix == NULL || pixGetWidth(*ppix) != w ||
	    pixGetHeight(*ppix) != h || pixGetDepth(*ppix) != 1) {
		pixDestroy(ppix);
		rc = page_error(ctx, p, pageno, "%s", "corrupt CCITT image data");
		goto out;
	}
	/* what the fax data calls black is white when /BlackIs1 is true */
	if (black1 != inv)
		pixInvert(*ppix, *ppix);
out:
	if (tif != NULL)
		TIFFClose(tif);
	free(buf);
	free(t);
	free(raw);
	return rc;
}

/* DCT (JPEG) and JPX (JPEG 2000): the codec reads the bytes as they are. */
static int
decode_codec(struct pdf_in *p, int pageno, qpdf_oh img, qpdf_oh dict,
    int jpx, struct sohoa_ctx *ctx, PIX **ppix)
{
	qpdf_data q = p->q;
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	l_int32 w = 0, h = 0, bps = 0, spp = 0, extra = 0, cmyk = 0, nwarn = 0;
	int inv = 0, rc = SOHOA_OK;

	*ppix = NULL;
	rc = image_bytes(ctx, p, pageno, img, &raw, &rawlen);
	if (rc != SOHOA_OK)
		return rc;
	if ((jpx ? readHeaderMemJp2k(raw, rawlen, &w, &h, &bps, &spp, &extra) :
	    readHeaderMemJpeg(raw, rawlen, &w, &h, &spp, &extra, &cmyk)) != 0) {
		rc = page_error(ctx, p, pageno, "%s", jpx ? "corrupt JPEG 2000 "
		    "data" : "corrupt JPEG data");
		goto out;
	}
	if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > SOHOA_MAX_PIXELS) {
		rc = page_error(ctx, p, pageno, "%s", "an image over the size "
		    "limit");
		goto out;
	}
	*ppix = jpx ? pixReadMemJp2k(raw, rawlen, 1, NULL, 0, 0) :
	    pixReadMemJpeg(raw, rawlen, 0, 1, &nwarn, 0);
	if (*ppix == NULL || nwarn > 0) {
		pixDestroy(ppix);
		rc = page_error(ctx, p, pageno, "%s", jpx ? "corrupt JPEG 2000 "
		    "data" : "corrupt or truncated JPEG data");
		goto out;
	}
	if (!jpx && decode_inverted(q, dict, &inv) == 0 && inv && !cmyk)
		pixInvert(*ppix, *ppix);
out:
	free(raw);
	return rc;
}

/* Turn P, in the image's own order, the way the page shows it. */
static PIX *
orient_image(PIX *pix, const struct page_info *pi)
{
	double r[2], d[2], ox, oy, x, y;
	const double *m = pi->m;
	int rh, dh, rpos, dpos;
	PIX *t;

	/* where the image's right and down directions point when shown */
	to_display(pi, 0, 0, &ox, &oy);
	to_display(pi, m[0], m[1], &x, &y);
	r[0] = x - ox;
	r[1] = y - oy;
	to_display(pi, -m[2], -m[3], &x, &y);
	d[0] = x - ox;
	d[1] = y - oy;
	rh = fabs(r[0]) > fabs(r[1]);
	dh = fabs(d[0]) > fabs(d[1]);
	rpos = (rh ? r[0] : r[1]) > 0;
	dpos = (dh ? d[0] : d[1]) > 0;
	if (rh && !dh) {		/* no quarter turn */
		if (!rpos)
			pixFlipLR(pix, pix);
		if (!dpos)
			pixFlipTB(pix, pix);
		return pix;
	}
	/* right points down: a quarter turn clockwise; up: anticlockwise */
	t = pixRotate90(pix, rpos ? 1 : -1);
	pixDestroy(&pix);
	if (t == NULL)
		return NULL;
	/* after the turn, down points left (cw) or right (ccw) */
	if ((rpos && dpos) || (!rpos && !dpos))
		pixFlipLR(t, t);
	return t;
}

/* Decode the page's one image and show it as the page does. */
static int
extract(struct sohoa_ctx *ctx, struct pdf_in *p, int pageno, PIX **ppix)
{
	const struct page_info *pi = &p->pi;
	qpdf_data q = p->q;
	qpdf_oh dict = qpdf_oh_get_dict(q, pi->image), f;
	const char *filter = "";
	double dx, dy;
	int w, h, many, rc, dpi;
	PIX *pix = NULL, *t;

	*ppix = NULL;
	w = key_int(q, dict, "/Width", 0);
	h = key_int(q, dict, "/Height", 0);
	if (w <= 0 || h <= 0)
		return page_error(ctx, p, pageno, "%s", "an image with no size");
	if ((uint64_t)w * (uint64_t)h > SOHOA_MAX_PIXELS)
		return page_error(ctx, p, pageno, "%dx%d pixels is over the "
		    "limit of %zu", w, h, SOHOA_MAX_PIXELS);
	f = single(q, qpdf_oh_get_key(q, dict, "/Filter"), &many);
	if (qpdf_oh_is_name(q, f))
		filter = qpdf_oh_get_name(q, f);
	if (strcmp(filter, "/DCTDecode") == 0)
		rc = decode_codec(p, pageno, pi->image, dict, 0, ctx, &pix);
	else if (strcmp(filter, "/JPXDecode") == 0)
		rc = decode_codec(p, pageno, pi->image, dict, 1, ctx, &pix);
	else if (strcmp(filter, "/CCITTFaxDecode") == 0)
		rc = decode_ccitt(p, pageno, pi->image, dict, w, h, ctx, &pix);
	else
		rc = decode_samples(p, pageno, pi->image, dict, w, h,
		    strcmp(filter, "/FlateDecode") == 0, ctx, &pix);
	if (rc != SOHOA_OK)
		return rc;
	pix = orient_image(pix, pi);
	if (pix == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	/* the resolution the page gives it; pixels not square are squared */
	dx = (pi->box[2] - pi->box[0]) / 72;
	dy = (pi->box[3] - pi->box[1]) / 72;
	if (dx > 0 && dy > 0) {
		double rx = pixGetWidth(pix) / dx, ry = pixGetHeight(pix) / dy;

		if (fabs(rx - ry) > 0.02 * fmax(rx, ry)) {
			t = rx > ry ? pixScale(pix, 1, (float)(rx / ry)) :
			    pixScale(pix, (float)(ry / rx), 1);
			pixDestroy(&pix);
			if (t == NULL)
				return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
				    "out of memory");
			pix = t;
			rx = ry = fmax(rx, ry);
		}
		dpi = sohoa_image_estimate_dpi(pixGetWidth(pix),
		    pixGetHeight(pix), rx);
	} else {
		dpi = sohoa_image_estimate_dpi(pixGetWidth(pix),
		    pixGetHeight(pix), 0);
	}
	pixSetResolution(pix, dpi, dpi);
	*ppix = pix;
	return SOHOA_OK;
}

/* ---- rendering by pdftoppm -------------------------------------------- */

/* PATH as an argument no program takes for an option. */
static int
path_arg(const char *path, struct sohoa_buf *out)
{
	return sohoa_buf_addf(out, "%s%s", path[0] == '-' ? "./" : "", path);
}

static int
render(struct sohoa_ctx *ctx, struct pdf_in *p, int pageno, PIX **ppix)
{
	const struct page_info *pi = &p->pi;
	struct sohoa_buf tool = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	struct sohoa_buf err = SOHOA_BUF_INIT, arg = SOHOA_BUF_INIT;
	struct pipeline_tool_limits lim;
	char first[16], last[16], res[16];
	const char *argv[12];
	double dpi, px;
	int n = 0, rc;
	PIX *pix;

	*ppix = NULL;
	if (!pipeline_tool_find("pdftoppm", &tool)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read page %d"
		    " of '%s': it is not one scanned image (%s), and such pages"
		    " are rendered by pdftoppm: install poppler-utils",
		    pageno + 1, p->path, pi->why);
		goto out;
	}
	/*
	 * The image's own resolution when there is one (nothing is gained
	 * by resampling it; the cleanup upscales low ones), kept in bounds.
	 */
	dpi = pi->dpi > 0 ? fmin(fmax(pi->dpi, 70), 600) : RENDER_DPI;
	px = pi->dw / 72 * pi->dh / 72;
	if (px * dpi * dpi > (double)SOHOA_MAX_PIXELS)
		dpi = floor(sqrt((double)SOHOA_MAX_PIXELS / px));
	if (dpi < 50) {
		rc = page_error(ctx, p, pageno, "%s", "the page is too large to"
		    " render");
		goto out;
	}
	snprintf(first, sizeof(first), "%d", pageno + 1);
	snprintf(last, sizeof(last), "%d", pageno + 1);
	snprintf(res, sizeof(res), "%d", (int)dpi);
	if (path_arg(p->path, &arg) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	argv[n++] = tool.buf;
	argv[n++] = "-f";
	argv[n++] = first;
	argv[n++] = "-l";
	argv[n++] = last;
	argv[n++] = "-r";
	argv[n++] = res;
	argv[n++] = "-cropbox";
	if (pi->mono)
		argv[n++] = "-mono";
	argv[n++] = arg.buf;
	argv[n] = NULL;
	lim.memory = TOOL_MEMORY;
	lim.cpu_seconds = TOOL_CPU;
	lim.wall_seconds = TOOL_WALL;
	lim.max_output = (size_t)(px * dpi * dpi * 3 * 1.05) + 65536;
	rc = pipeline_tool_run(ctx, argv, &lim, &out, &err);
	if (rc != SOHOA_OK) {
		size_t i;

		for (i = 0; i < err.len; i++)
			if (err.buf[i] == '\n' || err.buf[i] == '\r')
				err.buf[i] = ' ';
		sohoa_buf_reset(&arg);
		sohoa_buf_addf(&arg, "%s%s%s", sohoa_errmsg(ctx),
		    err.len ? ": " : "", err.buf);
		rc = page_error(ctx, p, pageno, "cannot render it: %s", arg.buf);
		goto out;
	}
	pix = pixReadMemPnm((const l_uint8 *)out.buf, out.len);
	if (pix == NULL) {
		rc = page_error(ctx, p, pageno, "%s", "pdftoppm made no image of"
		    " it");
		goto out;
	}
	pixSetResolution(pix, (int)dpi, (int)dpi);
	*ppix = pix;
out:
	sohoa_buf_release(&tool);
	sohoa_buf_release(&out);
	sohoa_buf_release(&err);
	sohoa_buf_release(&arg);
	return rc;
}

int
pdf_in_read_page(struct sohoa_ctx *ctx, struct pdf_in *p, int pageno,
    PIX **ppix)
{
	int rc;

	*ppix = NULL;
	rc = analyse(ctx, p, pageno);
	if (rc != SOHOA_OK)
		return rc;
	p->rendered = p->pi.why != NULL;
	rc = p->rendered ? render(ctx, p, pageno, ppix) :
	    extract(ctx, p, pageno, ppix);
	drop_warnings(p->q);
	return rc;
}

/* ---- the text layer ---------------------------------------------------- */

/* Attribute NAME="number" of the tag at S, before its '>'. */
static double
attr(const char *s, const char *name)
{
	const char *end = strchr(s, '>'), *a;
	size_t n = strlen(name);

	for (a = strstr(s, name); a != NULL && (end == NULL || a < end);
	    a = strstr(a + 1, name))
		if (a[n] == '=' && a[n + 1] == '"' && (a == s || a[-1] == ' '))
			return strtod(a + n + 2, NULL);
	return 0;
}

/* Append the XML text S..E to OUT with its entities decoded. */
static int
unescape(const char *s, const char *e, struct sohoa_buf *out)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	size_t i, n;
	int rc = SOHOA_OK;

	while (s < e && rc == SOHOA_OK) {
		if (*s != '&') {
			rc = sohoa_buf_addch(out, *s++);
			continue;
		}
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			n = strlen(ents[i].ent);
			if ((size_t)(e - s) >= n && memcmp(s, ents[i].ent, n) == 0)
				break;
		}
		if (i < sizeof(ents) / sizeof(ents[0])) {
			rc = sohoa_buf_addch(out, ents[i].c);
			s += strlen(ents[i].ent);
		} else {
			rc = sohoa_buf_addch(out, *s++);
		}
	}
	return rc;
}

static void
words_free(struct sohoa_word *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i].text);
	free(w);
}

/*
 * Words of pdftotext -bbox-layout output X, mapped from the displayed
 * box BOX (points) onto a W x H image.
 */
static int
parse_words(const char *x, const double box[4], int w, int h,
    struct sohoa_word **pwords, size_t *pn)
{
	struct sohoa_buf t = SOHOA_BUF_INIT, nfc = SOHOA_BUF_INIT;
	struct sohoa_word *v = NULL, *nv;
	size_t n = 0, alloc = 0;
	const char *s = x, *gt, *end, *nl, *nb, *nw;
	double sx = w / (box[2] - box[0]), sy = h / (box[3] - box[1]);
	int line = -1, block = -1, rc = SOHOA_OK;

	*pwords = NULL;
	*pn = 0;
	for (;;) {
		nw = strstr(s, "<word ");
		if (nw == NULL)
			break;
		/* the lines and blocks opened before this word */
		for (nl = strstr(s, "<line "); nl != NULL && nl < nw;
		    nl = strstr(nl + 1, "<line "))
			line++;
		for (nb = strstr(s, "<block "); nb != NULL && nb < nw;
		    nb = strstr(nb + 1, "<block "))
			block++;
		gt = strchr(nw, '>');
		end = gt != NULL ? strstr(gt, "</word>") : NULL;
		if (end == NULL)
			break;
		sohoa_buf_reset(&t);
		sohoa_buf_reset(&nfc);
		rc = unescape(gt + 1, end, &t);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_nfc(t.buf, t.len, &nfc);
		if (rc != SOHOA_OK)
			goto fail;
		if (nfc.len > 0) {
			if (n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				nv = realloc(v, alloc * sizeof(*v));
				if (nv == NULL) {
					rc = SOHOA_ERR_NOMEM;
					goto fail;
				}
				v = nv;
			}
			memset(&v[n], 0, sizeof(v[n]));
			v[n].text = strdup(nfc.buf);
			if (v[n].text == NULL) {
				rc = SOHOA_ERR_NOMEM;
				goto fail;
			}
			v[n].x0 = (int)lround((attr(nw, "xMin") - box[0]) * sx);
			v[n].y0 = (int)lround((attr(nw, "yMin") - box[1]) * sy);
			v[n].x1 = (int)lround((attr(nw, "xMax") - box[0]) * sx);
			v[n].y1 = (int)lround((attr(nw, "yMax") - box[1]) * sy);
			v[n].x0 = v[n].x0 < 0 ? 0 : v[n].x0 > w ? w : v[n].x0;
			v[n].x1 = v[n].x1 < 0 ? 0 : v[n].x1 > w ? w : v[n].x1;
			v[n].y0 = v[n].y0 < 0 ? 0 : v[n].y0 > h ? h : v[n].y0;
			v[n].y1 = v[n].y1 < 0 ? 0 : v[n].y1 > h ? h : v[n].y1;
			/*
			 * A text layer says nothing of how sure its maker was:
			 * its words count as read (over the review mark), and
			 * fields still go to review when they do not validate.
			 */
			v[n].conf = PDF_TEXT_CONF;
			v[n].line = line < 0 ? 0 : line;
			v[n].block = block < 0 ? 0 : block;
			n++;
		}
		s = end + 7;
	}
	*pwords = v;
	*pn = n;
	v = NULL;
	n = 0;
fail:
	words_free(v, n);
	sohoa_buf_release(&t);
	sohoa_buf_release(&nfc);
	return rc;
}

int
pdf_in_page_words(struct sohoa_ctx *ctx, struct pdf_in *p, int pageno,
    int w, int h, struct sohoa_word **pwords, size_t *pn)
{
	struct sohoa_buf tool = SOHOA_BUF_INIT, out = SOHOA_BUF_INIT;
	struct sohoa_buf err = SOHOA_BUF_INIT, arg = SOHOA_BUF_INIT;
	struct pipeline_tool_limits lim;
	char first[16];
	const char *argv[14];
	double whole[4];
	int n = 0, rc;

	*pwords = NULL;
	*pn = 0;
	rc = analyse(ctx, p, pageno);
	/* a page read only up to what made it rendered may have text too */
	if (rc != SOHOA_OK || (!p->pi.has_text && p->pi.why == NULL))
		return rc;
	if (!pipeline_tool_find("pdftotext", &tool)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read the text"
		    " of page %d of '%s': keeping a PDF's text needs pdftotext "
		    "(install poppler-utils), or read it again with OCR",
		    pageno + 1, p->path);
		goto out;
	}
	snprintf(first, sizeof(first), "%d", pageno + 1);
	if (path_arg(p->path, &arg) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	argv[n++] = tool.buf;
	argv[n++] = "-f";
	argv[n++] = first;
	argv[n++] = "-l";
	argv[n++] = first;
	argv[n++] = "-cropbox";
	argv[n++] = "-bbox-layout";
	argv[n++] = "-enc";
	argv[n++] = "UTF-8";
	argv[n++] = arg.buf;
	argv[n++] = "-";
	argv[n] = NULL;
	lim.memory = TOOL_MEMORY;
	lim.cpu_seconds = TOOL_CPU;
	lim.wall_seconds = TOOL_WALL;
	lim.max_output = (size_t)64 << 20;
	rc = pipeline_tool_run(ctx, argv, &lim, &out, &err);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT, "cannot read the text"
		    " of page %d of '%s': %s", pageno + 1, p->path,
		    sohoa_errmsg(ctx));
		goto out;
	}
	/* a rendered page is the whole page; an extracted one, its image */
	whole[0] = whole[1] = 0;
	whole[2] = p->pi.dw;
	whole[3] = p->pi.dh;
	rc = parse_words(out.buf, p->pi.why != NULL ? whole : p->pi.box, w, h,
	    pwords, pn);
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "out of memory");
out:
	sohoa_buf_release(&tool);
	sohoa_buf_release(&out);
	sohoa_buf_release(&err);
	sohoa_buf_release(&arg);
	return rc;
}
