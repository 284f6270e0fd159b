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
 * decoded by Leptonica from its directory offset, so reading page n does
 * not re-scan the n-1 directories before it.
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
#define MAX_TIFF_PAGES 100000

enum fmt { FMT_TIFF, FMT_PNG, FMT_JPEG, FMT_PNM };

static const char *const fmt_names[] = { "tiff", "png", "jpeg", "pnm" };

struct tiff_page {
	uint64_t offset;	/* of the page's directory */
	uint32_t w, h;
	double dpi;		/* from the tags, 0 when absent */
};

struct sohoa_image {
	char *path;
	enum fmt fmt;
	int npages;
	off_t size;		/* bytes in the file */
	TIFF *tif;		/* TIFF only: kept open for the tags */
	char tiff_msg[160];	/* first libtiff error or decoder warning */
	struct tiff_page *pages;	/* TIFF only: npages entries */
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
	unsigned char head[256];
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
		    "cannot read '%s': not a TIFF, PNG, JPEG or PNM image",
		    path);
		goto out;
	}
	if (img->fmt == FMT_TIFF)
		rc = tiff_open(ctx, img);
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
	uint32_t i, n = TIFFNumberOfStrips(tif);

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

static int
tiff_read(struct sohoa_ctx *ctx, struct sohoa_image *img, int pageno,
    PIX **ppix)
{
	const struct tiff_page *p = &img->pages[pageno];
	size_t offset = (size_t)p->offset;
	PIX *pix;
	int dpi;

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
	pix = pixReadFromMultipageTiff(img->path, &offset);
	if (pix == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "cannot read page %d of '%s': corrupt image data",
		    pageno + 1, img->path);
	if (pixGetWidth(pix) != (l_int32)p->w ||
	    pixGetHeight(pix) != (l_int32)p->h) {
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
