/*
 * Page reader: recognises a scan by its content, checks each page's
 * declared size before decoding it, and decodes one page at a time.
 *
 *   sohoa_image_open / _close        open a file, count its pages
 *   sohoa_image_page_count / _format
 *   sohoa_image_read_page            decode one page into a PIX
 *   sohoa_image_estimate_dpi               resolution from tags or page size
 *
 * TIFF directories are walked once with libtiff at open time (no memory
 * mapping, so a 300-page file is never held in memory); each page is then
 * decoded from its directory offset, so reading page n does not re-scan
 * the n-1 directories before it.  Leptonica decodes the pages it reads
 * well (one sample per pixel in strips: bilevel G4, grey, palette);
 * libtiff's RGBA interface decodes the rest (colour, tiles, planes stored
 * apart, old JPEG) band by band, and floating-point samples are scaled
 * to 8 bits here.  The Orientation tag is honoured: the page comes out as
 * a viewer shows it.
 *
 * A PDF is one more multi-page source (pdf_in.c): its pages are the
 * images a scanner put in it, read at their own resolution, or pages
 * rendered by pdftoppm when they are not one image.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "sohoa/sohoa.h"
#include "sohoa/pipeline.h"
#include "pipeline_private.h"

/* More directories than this is a loop or a hostile file. */
#define MAX_TIFF_PAGES PIPELINE_MAX_PAGES
/* A PDF's header may follow some junk (PDF 1.7 annex H.3, note 13). */
#define PDF_HEADER_WITHIN 1024

enum fmt { FMT_TIFF, FMT_PNG, FMT_JPEG, FMT_PNM, FMT_PDF };

static const char *const fmt_names[] = { "tiff", "png", "jpeg", "pnm",
    "pdf" };

struct tiff_page {
	uint64_t offset;	/* of the page's directory */
	uint32_t w, h;		/* as stored (before the Orientation tag) */
	double dpi;		/* from the tags, 0 when absent */
	uint16_t orientation;	/* TIFF Orientation tag, 1-8 */
};

struct sohoa_image {
	char *path;
	enum fmt fmt;
	int npages;
	off_t size;		/* bytes in the file */
	TIFF *tif;		/* TIFF only: kept open for the tags */
	char tiff_msg[160];	/* first libtiff error or decoder warning */
	struct tiff_page *pages;	/* TIFF only: npages entries */
	struct pdf_in *pdf;	/* PDF only */
	int w, h;		/* other formats: the one page */
};

/*
 * libtiff's process-wide handlers are silenced (Leptonica replaces them
 * anyway while it decodes).  Our own handle gets per-handle handlers
 * (TIFFOpenExt): the first error, and the first warning of a decoder
 * ("Fax4Decode: Line length mismatch" means damaged data), are kept on
 * the image and quoted in the one-line message.
 */
static void
tiff_silent(const char *module, const char *fmt, va_list ap)
{
	(void)module;
	(void)fmt;
	(void)ap;
}

static pthread_once_t tiff_once = PTHREAD_ONCE_INIT;

static void
tiff_quiet(void)
{
	TIFFSetWarningHandler(tiff_silent);
	TIFFSetErrorHandler(tiff_silent);
}

__attribute__((format(printf, 4, 0)))
static void
keep_msg(struct sohoa_image *img, const char *module, int warning,
    const char *fmt, va_list ap)
{
	size_t n;

	if (img->tiff_msg[0] != '\0')
		return;
	n = module != NULL ? strlen(module) : 0;
	/* only a decoder's warnings mean the data is damaged */
	if (warning && (n < 6 || strcmp(module + n - 6, "Decode") != 0))
		return;
	vsnprintf(img->tiff_msg, sizeof(img->tiff_msg), fmt, ap);
	/*
	 * libtiff starts most messages with the file name, which our own
	 * message already quotes: drop it so the path is not said twice.
	 */
	n = strlen(img->path);
	if (strncmp(img->tiff_msg, img->path, n) == 0 &&
	    img->tiff_msg[n] == ':' && img->tiff_msg[n + 1] == ' ')
		memmove(img->tiff_msg, img->tiff_msg + n + 2,
		    strlen(img->tiff_msg + n + 2) + 1);
}

__attribute__((format(printf, 4, 0)))
static int
tiff_error(TIFF *tif, void *user, const char *module, const char *fmt,
    va_list ap)
{
	(void)tif;
	keep_msg(user, module, 0, fmt, ap);
	return 1;
}

__attribute__((format(printf, 4, 0)))
static int
tiff_warning(TIFF *tif, void *user, const char *module, const char *fmt,
    va_list ap)
{
	(void)tif;
	keep_msg(user, module, 1, fmt, ap);
	return 1;
}

int
sohoa_image_estimate_dpi(int w, int h, double tag_dpi)
{
	double shortside = w < h ? w : h, est;

	/*
	 * A tag is plausible when it makes the short side of the page
	 * between 2.5 and 17 inches (a receipt to A3) at 70..1200 dpi.
	 */
	if (tag_dpi >= 70 && tag_dpi <= 1200 && shortside / tag_dpi >= 2.5 &&
	    shortside / tag_dpi <= 17)
		return (int)lround(tag_dpi);
	est = shortside / (210 / 25.4);
	if (est < 150)
		est = 150;
	if (est > 600)
		est = 600;
	return (int)lround(est);
}

/* Resolution of the current TIFF directory from its tags, 0 if none. */
static double
tiff_dpi(TIFF *tif)
{
	float xres = 0;
	uint16_t unit = RESUNIT_INCH;

	if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) || !(xres > 0))
		return 0;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	if (unit == RESUNIT_CENTIMETER)
		return xres * 2.54;
	if (unit == RESUNIT_INCH)
		return xres;
	return 0;
}

static int
too_big(uint64_t w, uint64_t h)
{
	return w == 0 || h == 0 || w * h > SOHOA_MAX_PIXELS;
}

static int
big_error(struct sohoa_ctx *ctx, const char *path, int pageno, int npages,
    uint64_t w, uint64_t h)
{
	if (w == 0 || h == 0)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': empty image (%llux%llu)",
		    pageno + 1, path, (unsigned long long)w,
		    (unsigned long long)h);
	if (npages > 1)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': %llux%llu pixels is over "
		    "the limit of %zu", pageno + 1, path,
		    (unsigned long long)w, (unsigned long long)h,
		    SOHOA_MAX_PIXELS);
	return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
	    "cannot read '%s': %llux%llu pixels is over the limit of %zu",
	    path, (unsigned long long)w, (unsigned long long)h,
	    SOHOA_MAX_PIXELS);
}

/* Walk every directory once, recording where it is and its size. */
static int
tiff_open(struct sohoa_ctx *ctx, struct sohoa_image *img)
{
	struct tiff_page *p;
	int alloc = 0, more;
	uint32_t w, h;

	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();

	if (opts == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	TIFFOpenOptionsSetErrorHandlerExtR(opts, tiff_error, img);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, tiff_warning, img);
	img->tiff_msg[0] = '\0';
	/* "m": read, don't map, so pages are never all resident at once */
	img->tif = TIFFOpenExt(img->path, "rm", opts);
	TIFFOpenOptionsFree(opts);
	if (img->tif == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': broken TIFF header%s%s", img->path,
		    img->tiff_msg[0] ? ": " : "", img->tiff_msg);
	do {
		if (img->npages == MAX_TIFF_PAGES)
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "cannot read '%s': more than %d pages", img->path,
			    MAX_TIFF_PAGES);
		if (img->npages == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			p = realloc(img->pages, (size_t)alloc * sizeof(*p));
			if (p == NULL)
				return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
				    "out of memory");
			img->pages = p;
		}
		p = &img->pages[img->npages++];
		w = h = 0;
		TIFFGetField(img->tif, TIFFTAG_IMAGEWIDTH, &w);
		TIFFGetField(img->tif, TIFFTAG_IMAGELENGTH, &h);
		p->offset = TIFFCurrentDirOffset(img->tif);
		p->w = w;
		p->h = h;
		p->dpi = tiff_dpi(img->tif);
		p->orientation = ORIENTATION_TOPLEFT;
		TIFFGetFieldDefaulted(img->tif, TIFFTAG_ORIENTATION,
		    &p->orientation);
		if (p->orientation < 1 || p->orientation > 8)
			p->orientation = ORIENTATION_TOPLEFT;
		img->tiff_msg[0] = '\0';
		more = TIFFReadDirectory(img->tif);
	} while (more);
	/*
	 * A broken directory ends the chain: the pages before it stay
	 * readable, like any other page that fails alone.
	 */
	if (img->npages == 1 && too_big(img->pages[0].w, img->pages[0].h))
		return big_error(ctx, img->path, 0, 1, img->pages[0].w,
		    img->pages[0].h);
	return SOHOA_OK;
}

/* Last bytes of the file, to tell a truncated PNG or JPEG. */
static int
read_tail(FILE *f, off_t size, unsigned char *buf, size_t n, size_t *pgot)
{
	*pgot = 0;
	if (size < (off_t)n)
		n = (size_t)size;
	if (fseeko(f, size - (off_t)n, SEEK_SET) != 0)
		return -1;
	*pgot = fread(buf, 1, n, f);
	return 0;
}

static int
has_bytes(const unsigned char *buf, size_t len, const char *what, size_t wlen)
{
	size_t i;

	for (i = 0; i + wlen <= len; i++)
		if (memcmp(buf + i, what, wlen) == 0)
			return 1;
	return 0;
}

/* Recognise the format from the first bytes, not the name. */
static int
sniff(const unsigned char *h, size_t n, enum fmt *pfmt)
{
	if (n >= 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 ||
	    h[2] == 43) && h[3] == 0) || (h[0] == 'M' && h[1] == 'M' &&
	    h[2] == 0 && (h[3] == 42 || h[3] == 43))))
		*pfmt = FMT_TIFF;
	else if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		*pfmt = FMT_PNG;
	else if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		*pfmt = FMT_JPEG;
	else if (n >= 3 && h[0] == 'P' && h[1] >= '1' && h[1] <= '6' &&
	    (h[2] == ' ' || h[2] == '\n' || h[2] == '\r' || h[2] == '\t' ||
	    h[2] == '#'))
		*pfmt = FMT_PNM;
	else if (has_bytes(h, n < PDF_HEADER_WITHIN ? n : PDF_HEADER_WITHIN,
	    "%PDF-", 5))
		*pfmt = FMT_PDF;
	else
		return -1;
	return 0;
}

/* Next unsigned number of a PNM header at *PP (skipping space, comments). */
static long
pnm_number(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	long v = -1;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n' || *p == '#')) {
		if (*p == '#')
			while (p < end && *p != '\n')
				p++;
		else
			p++;
	}
	while (p < end && *p >= '0' && *p <= '9' && v < 1000000000L)
		v = (v < 0 ? 0 : 10 * v) + (*p++ - '0');
	*pp = p;
	return v;
}

/*
 * Bytes of pixel data a binary PNM (P4, P5, P6) declares, plus its header
 * length, from the first bytes HEAD; 0 when plain-text (P1-P3) or unclear.
 */
static uint64_t
pnm_expected(const unsigned char *head, size_t n)
{
	const unsigned char *p = head + 2, *end = head + n;
	long w, h, maxval = 1;
	uint64_t row;
	int kind = head[1] - '0';

	if (kind < 4)
		return 0;
	w = pnm_number(&p, end);
	h = pnm_number(&p, end);
	if (kind != 4)
		maxval = pnm_number(&p, end);
	if (w <= 0 || h <= 0 || maxval <= 0 || p >= end)
		return 0;
	p++;	/* the single whitespace before the data */
	row = kind == 4 ? ((uint64_t)w + 7) / 8 :
	    (uint64_t)w * (kind == 6 ? 3 : 1) * (maxval > 255 ? 2 : 1);
	return (uint64_t)(p - head) + row * (uint64_t)h;
}

/* PNG, JPEG, PNM: one page; check its header and that the file is whole. */
static int
single_open(struct sohoa_ctx *ctx, struct sohoa_image *img, FILE *f,
    const unsigned char *head, size_t nhead)
{
	unsigned char tail[64];
	size_t got;
	l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;

	if (pixReadHeader(img->path, &format, &w, &h, &bps, &spp, &cmap) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': broken %s header", img->path,
		    fmt_names[img->fmt]);
	if (too_big((uint64_t)w, (uint64_t)h))
		return big_error(ctx, img->path, 0, 1, (uint64_t)w,
		    (uint64_t)h);
	if (read_tail(f, img->size, tail, sizeof(tail), &got) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot read '%s': %s", img->path, strerror(errno));
	if ((img->fmt == FMT_PNG && !has_bytes(tail, got, "IEND", 4)) ||
	    (img->fmt == FMT_JPEG && !has_bytes(tail, got, "\xff\xd9", 2)) ||
	    (img->fmt == FMT_PNM && (uint64_t)img->size < pnm_expected(head,
	    nhead)))
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': truncated %s file", img->path,
		    img->fmt == FMT_PNG ? "PNG" : img->fmt == FMT_JPEG ? "JPEG" :
		    "PNM");
	img->w = w;
	img->h = h;
	img->npages = 1;
	return SOHOA_OK;
}

int
sohoa_image_open(struct sohoa_ctx *ctx, const char *path,
    struct sohoa_image **pimg)
{
	struct sohoa_image *img = NULL;
	unsigned char head[PDF_HEADER_WITHIN];
	struct stat st;
	FILE *f = NULL;
	size_t n;
	int rc;

	*pimg = NULL;
	pthread_once(&tiff_once, tiff_quiet);
	/*
	 * Look before opening: fopen() on a FIFO blocks until a writer
	 * comes, and a character device would be read for ever (bug 0003).
	 */
	if (stat(path, &st) != 0)
		return sohoa_set_error(ctx, errno == ENOENT ?
		    SOHOA_ERR_NOTFOUND : SOHOA_ERR_IO, "cannot read '%s': %s",
		    path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "cannot read '%s': is a directory", path);
	if (!S_ISREG(st.st_mode))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "cannot read '%s': not a regular file", path);
	f = fopen(path, "rb");
	if (f == NULL)
		return sohoa_set_error(ctx, errno == ENOENT ?
		    SOHOA_ERR_NOTFOUND : SOHOA_ERR_IO, "cannot read '%s': %s",
		    path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot read '%s': not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': empty file", path);
		goto out;
	}
	img = calloc(1, sizeof(*img));
	if (img == NULL || (img->path = strdup(path)) == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	img->size = st.st_size;
	n = fread(head, 1, sizeof(head), f);
	if (sniff(head, n, &img->fmt) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': not a TIFF, PNG, JPEG, PNM or PDF file",
		    path);
		goto out;
	}
	if (img->fmt == FMT_TIFF)
		rc = tiff_open(ctx, img);
	else if (img->fmt == FMT_PDF)
		rc = pdf_in_open(ctx, path, &img->pdf, &img->npages);
	else
		rc = single_open(ctx, img, f, head, n);
	if (rc == SOHOA_OK && img->npages == 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': no pages", path);
	if (rc == SOHOA_OK) {
		*pimg = img;
		img = NULL;
	}
out:
	sohoa_image_close(&img);
	if (f != NULL)
		fclose(f);
	return rc;
}

void
sohoa_image_close(struct sohoa_image **pimg)
{
	struct sohoa_image *img;

	if (pimg == NULL || *pimg == NULL)
		return;
	img = *pimg;
	if (img->tif != NULL)
		TIFFClose(img->tif);
	pdf_in_close(&img->pdf);
	free(img->pages);
	free(img->path);
	free(img);
	*pimg = NULL;
}

int
sohoa_image_page_count(const struct sohoa_image *img)
{
	return img->npages;
}

const char *
sohoa_image_format(const struct sohoa_image *img)
{
	return fmt_names[img->fmt];
}

/*
 * Check that the strips (or tiles) of the current directory lie inside
 * the file: a cut-off file is reported as truncated, not as a libtiff
 * read error halfway through decoding.
 */
static int
tiff_data_inside(TIFF *tif, off_t size)
{
	uint64_t *off = NULL, *cnt = NULL;
	uint32_t i, n = TIFFIsTiled(tif) ? TIFFNumberOfTiles(tif) :
	    TIFFNumberOfStrips(tif);

	if (!TIFFGetField(tif, TIFFTAG_STRIPOFFSETS, &off) ||
	    !TIFFGetField(tif, TIFFTAG_STRIPBYTECOUNTS, &cnt) ||
	    off == NULL || cnt == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (off[i] > (uint64_t)size || cnt[i] > (uint64_t)size -
		    off[i])
			return 0;
	return 1;
}

/*
 * Decode every strip (or tile) of the current directory into a scratch
 * buffer; -1 when libtiff fails or complains.  Costs a second decode of
 * the page (a few ms for G4), bought for knowing a page is whole.
 */
static int
tiff_check_strips(struct sohoa_image *img)
{
	TIFF *tif = img->tif;
	int tiled = TIFFIsTiled(tif);
	tmsize_t size = tiled ? TIFFTileSize(tif) : TIFFStripSize(tif);
	uint32_t i, n = tiled ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
	void *buf;
	int rc = 0;

	if (size <= 0 || (buf = malloc((size_t)size)) == NULL)
		return -1;
	img->tiff_msg[0] = '\0';
	for (i = 0; i < n && rc == 0; i++) {
		if ((tiled ? TIFFReadEncodedTile(tif, i, buf, size) :
		    TIFFReadEncodedStrip(tif, i, buf, size)) < 0 ||
		    img->tiff_msg[0] != '\0')
			rc = -1;
	}
	free(buf);
	return rc;
}

/*
 * Turn PIX, decoded in stored order, the way Orientation tag O says the
 * page is shown (TIFF 6.0 section 8: 2-4 mirror or turn the rows, 5-8
 * store the page's columns as rows).  Returns the new page (PIX is
 * consumed) or NULL when out of memory.
 */
static PIX *
orient(PIX *pix, int o)
{
	PIX *r;

	if (pix == NULL || o <= 1 || o > 8)
		return pix;
	if (o == 2 || o == 5 || o == 7)
		pixFlipLR(pix, pix);
	if (o == 3) {
		pixRotate180(pix, pix);
	} else if (o == 4) {
		pixFlipTB(pix, pix);
	} else if (o >= 5) {
		r = pixRotate90(pix, o == 5 || o == 8 ? -1 : 1);
		pixDestroy(&pix);
		pix = r;
	}
	return pix;
}

/*
 * Does Leptonica read the current directory right?  Its scanline path
 * does one sample per pixel in strips, including the Orientation tag;
 * it cannot read tiles, planes stored apart or float samples, and its
 * RGBA path (colour, old JPEG) mirrors pages tagged Orientation 8.
 */
static int
lept_reads(TIFF *tif)
{
	uint16_t spp = 1, bps = 1, fmt = SAMPLEFORMAT_UINT, comp = 0;

	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &fmt);
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
	return !TIFFIsTiled(tif) && spp == 1 && (bps == 1 || bps == 2 ||
	    bps == 4 || bps == 8 || bps == 16) && (fmt == SAMPLEFORMAT_UINT ||
	    fmt == SAMPLEFORMAT_VOID) && comp != COMPRESSION_OJPEG;
}

/* Rows decoded at a time by the RGBA and float readers. */
#define BAND_ROWS 256

/*
 * libtiff's RGBA interface, for colour, tiles, separate planes, 16-bit
 * colour and old JPEG: the page is read in bands of rows in stored order
 * (the requested orientation is the file's own, so libtiff flips nothing)
 * into an 8 bpp page for grey images, 32 bpp otherwise.
 */
static int
tiff_read_rgba(struct sohoa_ctx *ctx, struct sohoa_image *img, int pageno,
    PIX **ppix)
{
	const struct tiff_page *p = &img->pages[pageno];
	char emsg[1024];
	TIFFRGBAImage ri;
	uint32_t *band = NULL, y, x, n, v, *line;
	uint16_t bps = 1;
	PIX *pix = NULL, *bin;
	int grey, rc = SOHOA_OK;

	*ppix = NULL;
	emsg[0] = '\0';
	if (!TIFFRGBAImageOK(img->tif, emsg) ||
	    !TIFFRGBAImageBegin(&ri, img->tif, 1, emsg))
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': %s", pageno + 1, img->path,
		    emsg[0] ? emsg : "unsupported TIFF layout");
	ri.req_orientation = ri.orientation;
	grey = ri.photometric == PHOTOMETRIC_MINISBLACK ||
	    ri.photometric == PHOTOMETRIC_MINISWHITE;
	TIFFGetFieldDefaulted(img->tif, TIFFTAG_BITSPERSAMPLE, &bps);
	pix = pixCreate((l_int32)p->w, (l_int32)p->h, grey ? 8 : 32);
	band = malloc((size_t)p->w * BAND_ROWS * sizeof(*band));
	if (pix == NULL || band == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (y = 0; y < p->h; y += n) {
		n = p->h - y < BAND_ROWS ? p->h - y : BAND_ROWS;
		ri.row_offset = (int)y;
		ri.col_offset = 0;
		img->tiff_msg[0] = '\0';
		if (!TIFFRGBAImageGet(&ri, band, p->w, n)) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "cannot read page %d of '%s': corrupt image data%s%s",
			    pageno + 1, img->path, img->tiff_msg[0] ? ": " : "",
			    img->tiff_msg);
			goto out;
		}
		for (v = 0; v < n; v++) {
			line = pixGetData(pix) + (y + v) * pixGetWpl(pix);
			for (x = 0; x < p->w; x++) {
				uint32_t px = band[v * p->w + x];

				if (grey)
					SET_DATA_BYTE(line, x, TIFFGetR(px));
				else
					composeRGBPixel(TIFFGetR(px),
					    TIFFGetG(px), TIFFGetB(px), line + x);
			}
		}
	}
	/* a bilevel page stays bilevel (the cleanup treats it apart) */
	if (grey && bps == 1) {
		bin = pixThresholdToBinary(pix, 128);
		pixDestroy(&pix);
		pix = bin;
		if (pix == NULL)
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	}
out:
	TIFFRGBAImageEnd(&ri);
	free(band);
	if (rc == SOHOA_OK)
		*ppix = pix;
	else
		pixDestroy(&pix);
	return rc;
}

/* Sample I of a decoded strip or tile of float samples, scaled to 0-255. */
static int
float_sample(const void *buf, int bps, size_t i, double lo, double hi)
{
	double v = bps == 64 ? ((const double *)buf)[i] :
	    ((const float *)buf)[i];

	if (!(v > lo))		/* below the range, or NaN */
		return 0;
	if (v >= hi)
		return 255;
	return (int)lround((v - lo) / (hi - lo) * 255);
}

/*
 * Floating-point samples (32 or 64 bits; grey or RGB, in strips or
 * tiles, planes together or apart), which neither Leptonica nor the RGBA
 * interface reads.  Values run from SMinSampleValue to SMaxSampleValue
 * when the tags say so, else from 0 to 1 (what GIMP and ImageMagick
 * write), and are scaled to 8 bits.
 */
static int
tiff_read_float(struct sohoa_ctx *ctx, struct sohoa_image *img, int pageno,
    PIX **ppix)
{
	const struct tiff_page *p = &img->pages[pageno];
	TIFF *tif = img->tif;
	uint16_t spp = 1, bps = 32, planar = PLANARCONFIG_CONTIG, photo = 0;
	uint32_t tw, th, across, down, k, nchunks, x0, y0, r, c, s;
	double lo = 0, hi = 1, tlo, thi;
	int tiled = TIFFIsTiled(tif), per, planes, ncolor, v, rc = SOHOA_OK;
	tmsize_t size;
	void *buf = NULL;
	PIX *pix = NULL;

	*ppix = NULL;
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PHOTOMETRIC, &photo);
	ncolor = photo == PHOTOMETRIC_RGB && spp >= 3 ? 3 : 1;
	if ((bps != 32 && bps != 64) || spp < 1 || (photo != PHOTOMETRIC_RGB &&
	    photo != PHOTOMETRIC_MINISBLACK && photo != PHOTOMETRIC_MINISWHITE))
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': %d-bit floating-point samples"
		    " with photometric %d are not supported", pageno + 1,
		    img->path, bps, photo);
	if (TIFFGetField(tif, TIFFTAG_SMINSAMPLEVALUE, &tlo) &&
	    TIFFGetField(tif, TIFFTAG_SMAXSAMPLEVALUE, &thi) && thi > tlo) {
		lo = tlo;
		hi = thi;
	}
	per = planar == PLANARCONFIG_SEPARATE ? 1 : spp;
	planes = planar == PLANARCONFIG_SEPARATE ? spp : 1;
	if (tiled) {
		TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
		TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
		size = TIFFTileSize(tif);
		nchunks = TIFFNumberOfTiles(tif);
	} else {
		tw = p->w;
		th = p->h;
		TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &th);
		if (th == 0 || th > p->h)
			th = p->h;
		size = TIFFStripSize(tif);
		nchunks = TIFFNumberOfStrips(tif);
	}
	across = tw ? (p->w + tw - 1) / tw : 0;
	down = th ? (p->h + th - 1) / th : 0;
	if (tw == 0 || th == 0 || size <= 0 ||
	    (uint64_t)across * down * (uint64_t)planes != nchunks ||
	    (uint64_t)tw * th * (uint64_t)per * (bps / 8) > (uint64_t)size)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': inconsistent strip or tile"
		    " layout", pageno + 1, img->path);
	pix = pixCreate((l_int32)p->w, (l_int32)p->h, ncolor == 3 ? 32 : 8);
	buf = malloc((size_t)size);
	if (pix == NULL || buf == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (k = 0; k < nchunks; k++) {
		uint32_t plane = k / (across * down), idx = k % (across * down);

		if ((int)plane >= ncolor)
			continue;	/* alpha or extra samples */
		x0 = (idx % across) * tw;
		y0 = (idx / across) * th;
		if ((tiled ? TIFFReadEncodedTile(tif, k, buf, size) :
		    TIFFReadEncodedStrip(tif, k, buf, size)) < 0) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "cannot read page %d of '%s': corrupt image data%s%s",
			    pageno + 1, img->path, img->tiff_msg[0] ? ": " : "",
			    img->tiff_msg);
			goto out;
		}
		for (r = 0; r < th && y0 + r < p->h; r++) {
			l_uint32 *line = pixGetData(pix) + (y0 + r) *
			    pixGetWpl(pix);

			for (c = 0; c < tw && x0 + c < p->w; c++) {
				for (s = 0; s < (uint32_t)(per == 1 ? 1 : ncolor);
				    s++) {
					v = float_sample(buf, bps, ((size_t)r * tw +
					    c) * (size_t)per + s, lo, hi);
					if (photo == PHOTOMETRIC_MINISWHITE)
						v = 255 - v;
					if (ncolor == 1)
						SET_DATA_BYTE(line, x0 + c, v);
					else
						SET_DATA_BYTE(line + x0 + c,
						    per == 1 ? plane : s, v);
				}
			}
		}
	}
out:
	free(buf);
	if (rc == SOHOA_OK)
		*ppix = pix;
	else
		pixDestroy(&pix);
	return rc;
}

static int
tiff_read(struct sohoa_ctx *ctx, struct sohoa_image *img, int pageno,
    PIX **ppix)
{
	const struct tiff_page *p = &img->pages[pageno];
	size_t offset = (size_t)p->offset;
	uint16_t fmt = SAMPLEFORMAT_UINT;
	uint32_t sw = p->w, sh = p->h;
	PIX *pix = NULL;
	int dpi, rc = SOHOA_OK;

	if (too_big(p->w, p->h))
		return big_error(ctx, img->path, pageno, img->npages, p->w,
		    p->h);
	img->tiff_msg[0] = '\0';
	if (!TIFFSetSubDirectory(img->tif, p->offset))
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': broken directory%s%s",
		    pageno + 1, img->path, img->tiff_msg[0] ? ": " : "",
		    img->tiff_msg);
	if (!tiff_data_inside(img->tif, img->size))
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': truncated (image data past "
		    "the end of the file)", pageno + 1, img->path);
	/*
	 * libtiff reports a damaged strip ("Fax4Decode: Bad code word") but
	 * still fills it, and Leptonica, which silences libtiff, returns the
	 * page: a corrupt page would pass for a blank one (bug 0001).  So
	 * the strips are decoded once with our handle first, and any error
	 * or decoder warning fails the page.
	 */
	if (tiff_check_strips(img) != 0)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': corrupt image data%s%s",
		    pageno + 1, img->path, img->tiff_msg[0] ? ": " : "",
		    img->tiff_msg);
	TIFFGetFieldDefaulted(img->tif, TIFFTAG_SAMPLEFORMAT, &fmt);
	if (fmt == SAMPLEFORMAT_IEEEFP) {
		rc = tiff_read_float(ctx, img, pageno, &pix);
		pix = orient(pix, p->orientation);
	} else if (!lept_reads(img->tif)) {
		rc = tiff_read_rgba(ctx, img, pageno, &pix);
		pix = orient(pix, p->orientation);
	} else {
		/* Leptonica honours the Orientation tag itself here */
		pix = pixReadFromMultipageTiff(img->path, &offset);
	}
	if (rc != SOHOA_OK)
		return rc;
	if (p->orientation >= 5) {
		sw = p->h;
		sh = p->w;
	}
	if (pix == NULL || pixGetWidth(pix) != (l_int32)sw ||
	    pixGetHeight(pix) != (l_int32)sh) {
		pixDestroy(&pix);
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': corrupt image data",
		    pageno + 1, img->path);
	}
	dpi = sohoa_image_estimate_dpi((int)p->w, (int)p->h, p->dpi);
	pixSetResolution(pix, dpi, dpi);
	*ppix = pix;
	return SOHOA_OK;
}

int
sohoa_image_read_page(struct sohoa_ctx *ctx, struct sohoa_image *img,
    int pageno, PIX **ppix)
{
	PIX *pix;
	int dpi;

	*ppix = NULL;
	if (pageno < 0 || pageno >= img->npages)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "cannot read page %d of '%s': it has %d page%s",
		    pageno + 1, img->path, img->npages,
		    img->npages == 1 ? "" : "s");
	if (img->fmt == FMT_TIFF)
		return tiff_read(ctx, img, pageno, ppix);
	if (img->fmt == FMT_PDF)
		return pdf_in_read_page(ctx, img->pdf, pageno, ppix);
	pix = pixRead(img->path);
	if (pix == NULL || pixGetWidth(pix) != img->w ||
	    pixGetHeight(pix) != img->h) {
		pixDestroy(&pix);
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read '%s': corrupt %s image data", img->path,
		    fmt_names[img->fmt]);
	}
	dpi = sohoa_image_estimate_dpi(img->w, img->h, pixGetXRes(pix));
	pixSetResolution(pix, dpi, dpi);
	*ppix = pix;
	return SOHOA_OK;
}

int
sohoa_image_page_words(struct sohoa_ctx *ctx, struct sohoa_image *img,
    int pageno, const struct Pix *pix, struct sohoa_word **pwords,
    size_t *pn)
{
	*pwords = NULL;
	*pn = 0;
	if (img->fmt != FMT_PDF || pageno < 0 || pageno >= img->npages)
		return SOHOA_OK;
	return pdf_in_page_words(ctx, img->pdf, pageno,
	    pixGetWidth((PIX *)pix), pixGetHeight((PIX *)pix), pwords, pn);
}

void
sohoa_words_free(struct sohoa_word **pwords, size_t n)
{
	size_t i;

	if (pwords == NULL || *pwords == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*pwords)[i].text);
	free(*pwords);
	*pwords = NULL;
}
