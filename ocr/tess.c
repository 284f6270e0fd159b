/*
 * Tesseract wrapper: loads the language data once per engine, recognises
 * cleaned pages, and turns Tesseract's result iterator into sohoa words.
 *
 *   sohoa_tess_new / _destroy    one TessBaseAPI (+ one for OSD)
 *   sohoa_tess_orient            orientation of a page (OSD)
 *   sohoa_tess_confidence        mean confidence, to compare rotations
 *   sohoa_tess_recognize         text, words, confidence, hOCR of a page
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "tess_private.h"

/* Where Debian's tesseract-ocr packages put their data. */
#define DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"

struct sohoa_tess {
	TessBaseAPI *api;	/* recognition, language LANG */
	TessBaseAPI *osd;	/* orientation detection, "osd"; may be NULL */
};

/* The Debian package that ships LANG.traineddata. */
static const char *
lang_package(const char *lang, struct sohoa_buf *out)
{
	if (strcmp(lang, "Vietnamese") == 0)
		sohoa_buf_adds(out, "tesseract-ocr-script-viet");
	else if (strcmp(lang, "osd") == 0)
		sohoa_buf_adds(out, "tesseract-ocr-osd");
	else
		sohoa_buf_addf(out, "tesseract-ocr-%s", lang);
	return out->buf;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The directory Tesseract will load from: the caller's, TESSDATA_PREFIX,
 * or Debian's default.  NULL when none exists (Tesseract then uses its
 * compiled-in path and we cannot check ahead).
 */
static const char *
data_dir(const char *tessdata)
{
	const char *env;

	if (tessdata != NULL && *tessdata)
		return tessdata;
	env = getenv("TESSDATA_PREFIX");
	if (env != NULL && *env)
		return env;
	return is_dir(DEFAULT_TESSDATA) ? DEFAULT_TESSDATA : NULL;
}

/*
 * Check that every "+"-separated model of LANGS is in DIR before asking
 * Tesseract, which would print its own multi-line complaint to stderr.
 */
static int
check_langs(struct sohoa_ctx *ctx, const char *dir, const char *langs)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, name = SOHOA_BUF_INIT;
	struct sohoa_buf pkg = SOHOA_BUF_INIT;
	const char *p = langs, *end;
	struct stat st;
	int rc = SOHOA_OK;

	if (*langs == '\0')
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "empty OCR language");
	while (rc == SOHOA_OK && *p) {
		end = strchr(p, '+');
		if (end == NULL)
			end = p + strlen(p);
		sohoa_buf_reset(&name);
		sohoa_buf_reset(&path);
		sohoa_buf_reset(&pkg);
		if (sohoa_buf_add(&name, p, (size_t)(end - p)) != SOHOA_OK ||
		    sohoa_buf_addf(&path, "%s/%s.traineddata", dir,
		    name.buf) != SOHOA_OK) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			break;
		}
		if (name.len == 0 || stat(path.buf, &st) != 0)
			rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
			    "cannot load OCR language '%s': no '%s' "
			    "(install the Debian package %s)", name.buf,
			    path.buf, lang_package(name.buf, &pkg));
		p = *end ? end + 1 : end;
	}
	sohoa_buf_release(&path);
	sohoa_buf_release(&name);
	sohoa_buf_release(&pkg);
	return rc;
}

/* Create and initialise one TessBaseAPI for LANG. */
static int
api_new(struct sohoa_ctx *ctx, const char *tessdata, const char *lang,
    TessBaseAPI **papi)
{
	struct sohoa_buf pkg = SOHOA_BUF_INIT;
	const char *dir = data_dir(tessdata);
	TessBaseAPI *api;
	int rc;

	*papi = NULL;
	if (dir != NULL && (rc = check_langs(ctx, dir, lang)) != SOHOA_OK)
		return rc;
	api = TessBaseAPICreate();
	if (api == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (TessBaseAPIInit3(api, dir, lang) != 0) {
		TessBaseAPIDelete(api);
		rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
		    "cannot load OCR language '%s' from '%s' (install the "
		    "Debian package %s)", lang, dir ? dir : "default tessdata",
		    lang_package(lang, &pkg));
		sohoa_buf_release(&pkg);
		return rc;
	}
	/* Tesseract's own chatter ("Estimating resolution...") goes nowhere. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	*papi = api;
	return SOHOA_OK;
}

int
sohoa_tess_new(struct sohoa_ctx *ctx, const char *lang, const char *tessdata,
    int want_osd, struct sohoa_tess **ptess)
{
	struct sohoa_tess *t;
	int rc;

	*ptess = NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = api_new(ctx, tessdata, lang != NULL ? lang : "vie", &t->api);
	if (rc == SOHOA_OK && want_osd)
		rc = api_new(ctx, tessdata, "osd", &t->osd);
	if (rc != SOHOA_OK) {
		sohoa_tess_destroy(&t);
		return rc;
	}
	TessBaseAPISetPageSegMode(t->api, PSM_AUTO);
	*ptess = t;
	return SOHOA_OK;
}

void
sohoa_tess_destroy(struct sohoa_tess **ptess)
{
	struct sohoa_tess *t;

	if (ptess == NULL || *ptess == NULL)
		return;
	t = *ptess;
	if (t->api != NULL) {
		TessBaseAPIEnd(t->api);
		TessBaseAPIDelete(t->api);
	}
	if (t->osd != NULL) {
		TessBaseAPIEnd(t->osd);
		TessBaseAPIDelete(t->osd);
	}
	free(t);
	*ptess = NULL;
}

int
sohoa_tess_orient(struct sohoa_ctx *ctx, struct sohoa_tess *t, PIX *pix,
    int dpi, int *pdeg, float *pconf)
{
	int deg = 0;
	float conf = 0, script_conf = 0;
	const char *script = NULL;

	*pdeg = 0;
	*pconf = 0;
	if (t->osd == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_OCR,
		    "orientation detection is not loaded");
	TessBaseAPISetImage2(t->osd, pix);
	TessBaseAPISetSourceResolution(t->osd, dpi);
	/*
	 * Tesseract reports the page's counter-clockwise rotation; sohoa
	 * stores the clockwise turn that makes it upright.
	 */
	if (TessBaseAPIDetectOrientationScript(t->osd, &deg, &conf, &script,
	    &script_conf)) {
		*pdeg = (360 - deg) % 360;
		*pconf = conf;
	}
	TessBaseAPIClear(t->osd);
	return SOHOA_OK;
}

int
sohoa_tess_confidence(struct sohoa_ctx *ctx, struct sohoa_tess *t, PIX *pix,
    int dpi, float *pconf)
{
	*pconf = 0;
	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		TessBaseAPIClear(t->api);
		return sohoa_set_error(ctx, SOHOA_ERR_OCR,
		    "text recognition failed");
	}
	*pconf = (float)TessBaseAPIMeanTextConf(t->api);
	TessBaseAPIClear(t->api);
	return SOHOA_OK;
}

static int
clip(int v, int max)
{
	return v < 0 ? 0 : v > max ? max : v;
}

/* Walk the words of the last recognition into PAGE->words. */
static int
collect_words(struct sohoa_ctx *ctx, TessBaseAPI *api, double scale,
    int view_w, int view_h, struct sohoa_page *page)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT;
	TessResultIterator *ri;
	const TessPageIterator *pi;
	struct sohoa_word *w;
	size_t alloc = 0;
	int line = -1, block = -1, l, t, r, b;
	char *text;
	int rc = SOHOA_OK;

	ri = TessBaseAPIGetIterator(api);
	if (ri == NULL)
		return SOHOA_OK;	/* nothing found on the page */
	pi = TessResultIteratorGetPageIteratorConst(ri);
	do {
		if (TessPageIteratorIsAtBeginningOf(pi, RIL_BLOCK))
			block++;
		if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE))
			line++;
		text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		if (text == NULL || *text == '\0' ||
		    !TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b)) {
			TessDeleteText(text);
			continue;
		}
		sohoa_buf_reset(&nfc);
		rc = sohoa_utf8_nfc(text, strlen(text), &nfc);
		TessDeleteText(text);
		if (rc == SOHOA_OK && page->nwords == alloc) {
			size_t na = alloc ? 2 * alloc : 256;

			w = realloc(page->words, na * sizeof(*w));
			if (w == NULL)
				rc = SOHOA_ERR_NOMEM;
			else {
				page->words = w;
				alloc = na;
			}
		}
		if (rc != SOHOA_OK)
			break;
		w = &page->words[page->nwords];
		w->text = sohoa_buf_detach(&nfc, NULL);
		w->x0 = clip((int)(l * scale), view_w);
		w->y0 = clip((int)(t * scale), view_h);
		w->x1 = clip((int)(r * scale + 0.5), view_w);
		w->y1 = clip((int)(b * scale + 0.5), view_h);
		w->conf = TessResultIteratorConfidence(ri, RIL_WORD);
		w->line = line < 0 ? 0 : line;
		w->block = block < 0 ? 0 : block;
		if (w->text == NULL) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		page->nwords++;
	} while (TessResultIteratorNext(ri, RIL_WORD));
	TessResultIteratorDelete(ri);
	sohoa_buf_release(&nfc);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	return SOHOA_OK;
}

int
sohoa_tess_recognize(struct sohoa_ctx *ctx, struct sohoa_tess *t, PIX *pix,
    int dpi, double scale, int view_w, int view_h, int want_hocr,
    struct sohoa_page *page)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT;
	char *text = NULL, *hocr = NULL;
	int rc;

	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
		    "text recognition failed");
		goto out;
	}
	text = TessBaseAPIGetUTF8Text(t->api);
	if (text == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
		    "text recognition returned nothing");
		goto out;
	}
	if ((rc = sohoa_utf8_nfc(text, strlen(text), &nfc)) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
	rc = collect_words(ctx, t->api, scale, view_w, view_h, page);
	if (rc != SOHOA_OK)
		goto out;
	if (want_hocr) {
		hocr = TessBaseAPIGetHOCRText(t->api, page->pageno);
		if (hocr == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
			    "cannot make hOCR of the page");
			goto out;
		}
		page->hocr = strdup(hocr);
		if (page->hocr == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			goto out;
		}
	}
	page->confidence = page->nwords ?
	    (float)TessBaseAPIMeanTextConf(t->api) : 0.0f;
	page->text = sohoa_buf_detach(&nfc, NULL);
	if (page->text == NULL)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
out:
	TessDeleteText(hocr);
	TessDeleteText(text);
	sohoa_buf_release(&nfc);
	TessBaseAPIClear(t->api);
	return rc;
}
