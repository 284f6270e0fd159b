/*
 * Tesseract wrapper: loads the language data once per engine, recognises
 * cleaned pages, and turns Tesseract's result iterator into sohoa words.
 *
 *   sohoa_tess_new / _destroy    one TessBaseAPI (+ one for OSD)
 *   sohoa_tess_orient            orientation of a page (OSD)
 *   sohoa_tess_confidence        mean confidence, to compare rotations
 *   sohoa_tess_recognize         text, words, confidence, hOCR of a page
 *   sohoa_tess_unsure / _try     never worse than plain OCR of the page
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
#include "tess_look.h"

/* Where Debian's tesseract-ocr packages put their data. */
#define DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"

struct sohoa_tess {
	TessBaseAPI *api;	/* recognition, language LANG */
	TessBaseAPI *osd;	/* orientation detection, "osd"; may be NULL */
	TessBaseAPI *figures;	/* "eng", old-style figures read again
				   (tess_figures.c); NULL when not there */
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

/* 1 when model LANG is in the data directory Tesseract will load from. */
static int
has_lang(const char *tessdata, const char *lang)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	const char *dir = data_dir(tessdata);
	struct stat st;
	int r;

	r = dir != NULL && sohoa_buf_addf(&path, "%s/%s.traineddata", dir,
	    lang) == SOHOA_OK && stat(path.buf, &st) == 0;
	sohoa_buf_release(&path);
	return r;
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
	/*
	 * The English model comes with Tesseract itself (Debian's
	 * tesseract-ocr depends on tesseract-ocr-eng); without it numbers
	 * in old-style figures are only read once.
	 */
	if (rc == SOHOA_OK && strcmp(lang != NULL ? lang : "vie", "eng") != 0 &&
	    has_lang(tessdata, "eng") &&
	    api_new(ctx, tessdata, "eng", &t->figures) != SOHOA_OK)
		sohoa_clear_error(ctx);	/* a help, not a need */
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
	if (t->figures != NULL) {
		TessBaseAPIEnd(t->figures);
		TessBaseAPIDelete(t->figures);
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

/*
 * Leader dots that survive cleanup cling to the words written over them
 * ("..Nam", "2003..", "......").  Dots leading a word, a run of two or
 * more trailing ones, and words made only of dots are leader remnants in
 * these documents, never text.  Edits S in place.
 */
static void
tidy_word(char *s)
{
	size_t len = strlen(s), lead = 0, trail = 0;

	while (lead < len && (s[lead] == '.' || s[lead] == ','))
		lead++;
	if (lead == len) {
		if (len >= 2)
			s[0] = '\0';
		return;
	}
	while (trail < len - lead && s[len - 1 - trail] == '.')
		trail++;
	if (trail >= 2)
		len -= trail;
	memmove(s, s + lead, len - lead);
	s[len - lead] = '\0';
	/*
	 * A dot glued between two words of a value ("Trung.tâm",
	 * "Đăng,.tỉnh") is a leader dot showing between the letters; in
	 * these documents a dot after a lower-case letter never runs into
	 * the next word.  Digits ("1.5") and upper-case abbreviations stay.
	 */
	for (len = 1; s[len] != '\0'; len++) {
		unsigned char prev = (unsigned char)s[len - 1];
		unsigned char next = (unsigned char)s[len + 1];

		if (s[len] != '.' || next == '\0')
			continue;
		if (((prev >= 'a' && prev <= 'z') || prev >= 0x80 ||
		    prev == ',') && ((next >= 'a' && next <= 'z') ||
		    (next >= 'A' && next <= 'Z') || next >= 0x80))
			s[len] = ' ';
	}
}

static int
clip(int v, int max)
{
	return v < 0 ? 0 : v > max ? max : v;
}

int
sohoa_tess_words(struct sohoa_ctx *ctx, TessBaseAPI *api, int dx, int dy,
    double scale, int view_w, int view_h, int tidy, struct sohoa_page *page)
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
		if (tidy)
			tidy_word(text);
		if (*text == '\0') {
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
		w->x0 = clip((int)((l + dx) * scale), view_w);
		w->y0 = clip((int)((t + dy) * scale), view_h);
		w->x1 = clip((int)((r + dx) * scale + 0.5), view_w);
		w->y1 = clip((int)((b + dy) * scale + 0.5), view_h);
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


/*
 * Stamps and signatures that survive cleanup come out as short lines of
 * garbage ("xế Mw", "—~ /", "TYN Z") whose every word has a low
 * confidence, while a line of print has at least one word Tesseract is
 * sure of, even on the hard samples.  Such lines, and lines without a
 * letter or digit, are dropped from the words (and so from the text).
 */
#define LINE_MIN_BEST_CONF 70.0f
#define WORD_MIN_PUNCT_CONF 50.0f

/*
 * 1 when S has an ASCII letter or digit or any character outside ASCII
 * ("—", "ˆ" and "“" too): byte by byte, not the letter class of
 * sohoa_tess_count.  Which lines are dropped rides on it, so making it
 * that class would change readings: a change to measure on full OCR,
 * not a refactor.
 */
static int
has_alnum(const char *s)
{
	for (; *s; s++)
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || (unsigned char)*s >= 0xc0)
			return 1;
	return 0;
}

/* Keep or free the words [I, END) of a line part, compacting into *POUT. */
static void
keep_part(struct sohoa_word *w, size_t i, size_t end, size_t *pout)
{
	size_t j;
	float best = 0;
	int text = 0;

	for (j = i; j < end; j++) {
		if (w[j].conf > best)
			best = w[j].conf;
		text |= has_alnum(w[j].text);
	}
	for (j = i; j < end; j++) {
		/* a lone unsure "-" or "`" before a word is debris too */
		if (best >= LINE_MIN_BEST_CONF && text &&
		    (w[j].conf >= WORD_MIN_PUNCT_CONF || has_alnum(w[j].text)))
			w[(*pout)++] = w[j];
		else
			free(w[j].text);
	}
}

/*
 * The test is made on each part of a line (words separated by a gap
 * wider than three line heights): a signature scribble read on the same
 * row as "- UBND tỉnh (b/c);" is a part of its own.
 */
static void
drop_noise_lines(struct sohoa_page *page, int page_w)
{
	struct sohoa_word *w = page->words;
	size_t i, k, part, end, out = 0;
	int y0, y1, gap;

	for (i = 0; i < page->nwords; i = end) {
		y0 = w[i].y0;
		y1 = w[i].y1;
		for (end = i; end < page->nwords && w[end].line == w[i].line;
		    end++) {
			y0 = w[end].y0 < y0 ? w[end].y0 : y0;
			y1 = w[end].y1 > y1 ? w[end].y1 : y1;
		}
		gap = 3 * (y1 - y0);
		if (gap < page_w / 30)
			gap = page_w / 30;
		for (part = i, k = i + 1; k <= end; k++) {
			if (k == end || w[k].x0 - w[k - 1].x1 > gap) {
				keep_part(w, part, k, &out);
				part = k;
			}
		}
	}
	page->nwords = out;
}

int
sohoa_tess_rows(const struct sohoa_word *w, size_t n,
    struct sohoa_tess_row **prows, size_t *pnrows)
{
	struct sohoa_tess_row *r;
	size_t i, nr = 0;

	*prows = NULL;
	*pnrows = 0;
	if (n == 0)
		return SOHOA_OK;
	r = calloc(n, sizeof(*r));
	if (r == NULL)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if (i == 0 || w[i].line != w[i - 1].line) {
			r[nr].first = i;
			r[nr].x0 = w[i].x0;
			r[nr].y0 = w[i].y0;
			r[nr].x1 = w[i].x1;
			r[nr].y1 = w[i].y1;
			nr++;
		}
		r[nr - 1].n++;
		r[nr - 1].x0 = w[i].x0 < r[nr - 1].x0 ? w[i].x0 : r[nr - 1].x0;
		r[nr - 1].y0 = w[i].y0 < r[nr - 1].y0 ? w[i].y0 : r[nr - 1].y0;
		r[nr - 1].x1 = w[i].x1 > r[nr - 1].x1 ? w[i].x1 : r[nr - 1].x1;
		r[nr - 1].y1 = w[i].y1 > r[nr - 1].y1 ? w[i].y1 : r[nr - 1].y1;
	}
	*prows = r;
	*pnrows = nr;
	return SOHOA_OK;
}

int
sohoa_tess_splice(struct sohoa_page *page, size_t at, size_t drop,
    struct sohoa_word *src, size_t n)
{
	struct sohoa_word *w;
	size_t i;

	if (n > drop) {
		w = realloc(page->words,
		    (page->nwords - drop + n) * sizeof(*w));
		if (w == NULL)
			return SOHOA_ERR_NOMEM;
		page->words = w;
	}
	for (i = at; i < at + drop; i++)
		free(page->words[i].text);
	memmove(page->words + at + n, page->words + at + drop,
	    (page->nwords - at - drop) * sizeof(*page->words));
	for (i = 0; i < n; i++) {
		page->words[at + i] = src[i];
		src[i].text = NULL;	/* moved */
	}
	page->nwords = page->nwords - drop + n;
	return SOHOA_OK;
}

/*
 * 1 when word I (folded: FOLDED) is the label of a document number: "Số:"
 * or "Số" with a capital S, followed on its line by a word that starts
 * with a digit ("Số: 56", "Số 45/TLKT-BS") -- not the "số" of "Giấy tờ
 * tùy thân: CCCD số ...".
 */
static int
is_number_label(const struct sohoa_word *w, size_t n, size_t i,
    const char *folded)
{
	const char *next;

	if (w[i].text[0] != 'S' || strncmp(folded, "so", 2) != 0 ||
	    (folded[2] != '\0' && folded[2] != ':'))
		return 0;
	if (i + 1 >= n || w[i + 1].line != w[i].line)
		return 0;
	next = w[i + 1].text;
	return *next >= '0' && *next <= '9';
}

/*
 * 1 when the page has a "Số" word (the document number's label) in its
 * top third.  Words are in view coordinates.
 */
static int
has_number_label(const struct sohoa_page *page, int view_h)
{
	struct sohoa_buf f = SOHOA_BUF_INIT;
	size_t i;
	int found = 0;

	for (i = 0; i < page->nwords && !found; i++) {
		if (page->words[i].y1 > view_h / 3)
			continue;
		sohoa_buf_reset(&f);
		if (sohoa_utf8_fold(page->words[i].text, &f) == SOHOA_OK)
			found = is_number_label(page->words, page->nwords, i,
			    f.buf);
	}
	sohoa_buf_release(&f);
	return found;
}

/*
 * Tesseract's page layout analysis drops the short "Số: 56" line that
 * stands alone under the national motto of a Giấy khai sinh or a marriage
 * certificate (plain "tesseract -l vie" drops it too; sparse-text mode
 * reads it).  When the top third of the page has no "Số" word, read its
 * left half again in sparse-text mode and insert the line that starts
 * with "Số" into the words, before the first word below it.  The cost,
 * a small region, is paid only on such pages.
 */
static int
find_number_line(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    double scale, int view_w, int view_h, struct sohoa_page *page)
{
	struct sohoa_page tmp;
	struct sohoa_buf f = SOHOA_BUF_INIT;
	size_t i, first = 0, n = 0, at;
	int rc, found = 0, maxline = 0, block;

	memset(&tmp, 0, sizeof(tmp));
	TessBaseAPISetPageSegMode(api, PSM_SPARSE_TEXT);
	TessBaseAPISetRectangle(api, 0, 0, (int)pixGetWidth(pix) / 2,
	    (int)pixGetHeight(pix) / 3);
	if (TessBaseAPIRecognize(api, NULL) != 0) {
		rc = SOHOA_OK;	/* a second look that fails changes nothing */
		goto out;
	}
	rc = sohoa_tess_words(ctx, api, 0, 0, scale, view_w, view_h, 1, &tmp);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < tmp.nwords && !found; i++) {
		sohoa_buf_reset(&f);
		if (sohoa_utf8_fold(tmp.words[i].text, &f) == SOHOA_OK &&
		    is_number_label(tmp.words, tmp.nwords, i, f.buf)) {
			found = 1;
			first = i;
		}
	}
	if (!found)
		goto out;
	for (n = 0; first + n < tmp.nwords &&
	    tmp.words[first + n].line == tmp.words[first].line; n++)
		;
	for (i = 0; i < page->nwords; i++)
		if (page->words[i].line > maxline)
			maxline = page->words[i].line;
	for (at = 0; at < page->nwords; at++)
		if (page->words[at].y0 > tmp.words[first].y1)
			break;
	/* a line of its own, in the block of the word after it */
	block = at < page->nwords ? page->words[at].block : 0;
	for (i = 0; i < n; i++) {
		tmp.words[first + i].line = maxline + 1;
		tmp.words[first + i].block = block;
	}
	if (sohoa_tess_splice(page, at, 0, tmp.words + first, n) != SOHOA_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
out:
	sohoa_buf_release(&f);
	sohoa_page_release(&tmp);
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	return rc;
}

int
sohoa_tess_recognize(struct sohoa_ctx *ctx, struct sohoa_tess *t, PIX *pix,
    PIX *grey, int dpi, double scale, int view_w, int view_h, unsigned flags,
    struct sohoa_page *page)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT;
	char *text = NULL, *hocr = NULL;
	int rc, tidy = (flags & SOHOA_TESS_TIDY) != 0;

	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
		    "text recognition failed");
		goto out;
	}
	rc = sohoa_tess_words(ctx, t->api, 0, 0, scale, view_w, view_h, tidy,
	    page);
	if (rc != SOHOA_OK)
		goto out;
	/* hOCR and confidence of the whole page, before any second look */
	if (flags & SOHOA_TESS_HOCR) {
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
	if (tidy) {
		drop_noise_lines(page, view_w);
		if (page->nwords == 0)
			page->confidence = 0;
		if (page->nwords > 0 && !has_number_label(page, view_h)) {
			rc = find_number_line(ctx, t->api, pix, scale, view_w,
			    view_h, page);
			if (rc != SOHOA_OK)
				goto out;
		}
		/* before the signer's look: its title may be a lost line */
		if (page->nwords > 0) {
			rc = sohoa_tess_lost_lines(ctx, t->api, pix, dpi, scale,
			    view_w, view_h, page);
			if (rc == SOHOA_OK)
				rc = sohoa_tess_figures(ctx, t->figures, pix,
				    dpi, scale, view_w, view_h, page);
			if (rc != SOHOA_OK)
				goto out;
		}
		/* last: they leave the engine holding a cut-out of the page */
		if (page->nwords > 0) {
			rc = sohoa_tess_signer_row(ctx, t->api, pix,
			    (flags & SOHOA_TESS_GREY_INK) ? grey : NULL, dpi,
			    scale, view_w, view_h, page);
			if (rc == SOHOA_OK)
				rc = sohoa_tess_date_row(ctx, t->api,
				    grey != NULL ? grey : pix, dpi,
				    grey != NULL ? 1.0 : scale, view_w, view_h,
				    page);
			if (rc != SOHOA_OK)
				goto out;
		}
		rc = sohoa_tess_text(page, view_w, &nfc);
	} else {
		text = TessBaseAPIGetUTF8Text(t->api);
		if (text == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_OCR,
			    "text recognition returned nothing");
			goto out;
		}
		rc = sohoa_utf8_nfc(text, strlen(text), &nfc);
	}
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "out of memory");
		goto out;
	}
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

/* Letters and digits of the words of P: how much text was read. */
static size_t
page_letters(const struct sohoa_page *p)
{
	size_t i, n = 0;
	const char *c;

	for (i = 0; i < p->nwords; i++)
		for (c = p->words[i].text; c != NULL && *c != '\0'; c++)
			n += ((unsigned char)*c & 0xC0) != 0x80 &&
			    !(*c == '.' || *c == ',' || *c == ':' ||
			    *c == ';' || *c == '-' || *c == '_' || *c == '\'' ||
			    *c == '"' || *c == '|' || *c == '~');
	return n;
}

/*
 * Read IMG, a cut-out of the page, alone as one line at DPI and append
 * its words to OUT, placed as sohoa_tess_words places them (DX, DY in
 * IMG's pixels, then SCALE).  A recognition that fails reads nothing.
 */
static int
read_line(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *img, int dpi,
    int dx, int dy, double scale, int view_w, int view_h,
    struct sohoa_page *out)
{
	TessBaseAPISetImage2(api, img);
	TessBaseAPISetSourceResolution(api, dpi);
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	if (TessBaseAPIRecognize(api, NULL) != 0)
		return SOHOA_OK;
	return sohoa_tess_words(ctx, api, dx, dy, scale, view_w, view_h, 1,
	    out);
}

/*
 * The print's ink of grey cut-out GREY, binary: what is darker than
 * DARK_SHARE of the way from the print's darkest ink (the darkest 2% of
 * a row of words on paper) to the paper (the median).  A seal stamped
 * over the print is lighter than it in a grey scan (red ink, a grey
 * stamp), and the page's own ink cut (stage_binarize.c), halfway to the
 * paper, keeps the ring where it crosses the signer's name.  Of the ten
 * signers' rows of grey pages this reading changed on the tuning seeds,
 * 0.3 read nine right, 0.35 and 0.4 seven, 0.45 four (and the whole page
 * cut at 0.35 broke digits elsewhere).
 */
#define DARK_SHARE 0.3

static PIX *
dark_ink(PIX *grey)
{
	NUMA *h;
	l_float32 ink = 0, paper = 0;
	PIX *bin = NULL;

	h = pixGetGrayHistogram(grey, 1);
	if (h != NULL && numaHistogramGetValFromRank(h, 0.02, &ink) == 0 &&
	    numaHistogramGetValFromRank(h, 0.5, &paper) == 0 &&
	    paper - ink >= 40)
		bin = pixThresholdToBinary(grey,
		    (l_int32)(ink + (paper - ink) * DARK_SHARE));
	numaDestroy(&h);
	return bin;
}

/*
 * The part of PIX under BOX made ready to be read as HOW says, into
 * *PIMG: NULL when BOX is off the image.  SOHOA_ERR_NOMEM (no message)
 * when out of memory.
 */
static int
cut_out(PIX *pix, BOX *box, const struct sohoa_tess_cut *how, PIX **pimg)
{
	PIX *cut, *grey;

	*pimg = NULL;
	cut = pixClipRectangle(pix, box, NULL);
	if (cut == NULL)
		return SOHOA_OK;
	if (how->dark && pixGetDepth(cut) == 8) {
		PIX *bin = dark_ink(cut);

		if (bin != NULL) {
			pixDestroy(&cut);
			cut = bin;
		}
	}
	if (how->clear && pixGetDepth(cut) == 1) {
		/*
		 * Strokes that run out of the box (the seal's ring, a
		 * signature) are no part of the letters inside it.
		 */
		PIX *clean = pixRemoveBorderConnComps(cut, 8);

		if (clean != NULL) {
			pixDestroy(&cut);
			cut = clean;
		}
	}
	if (how->enlarge != 1.0f) {
		/* grey first, so that the enlarged strokes come out smooth */
		grey = pixGetDepth(cut) == 1 ?
		    pixConvert1To8(NULL, cut, 255, 0) : pixConvertTo8(cut, 0);
		pixDestroy(&cut);
		if (grey != NULL)
			cut = pixScaleGrayLI(grey, how->enlarge, how->enlarge);
		pixDestroy(&grey);
	}
	/* the margin last: an enlarged one would blur into the edge */
	if (cut != NULL)
		*pimg = pixAddBlackOrWhiteBorder(cut, how->border, how->border,
		    how->border, how->border, L_GET_WHITE_VAL);
	pixDestroy(&cut);
	return *pimg != NULL ? SOHOA_OK : SOHOA_ERR_NOMEM;
}

int
sohoa_tess_read_box(struct sohoa_ctx *ctx, TessBaseAPI *api, PIX *pix,
    BOX *box, const struct sohoa_tess_cut *how, int dpi, double scale,
    int view_w, int view_h, struct sohoa_page *out)
{
	PIX *img;
	l_int32 bx, by, bw, bh;
	int rc;

	boxGetGeometry(box, &bx, &by, &bw, &bh);
	rc = cut_out(pix, box, how, &img);
	if (rc != SOHOA_OK)
		return sohoa_set_error(ctx, rc, "out of memory");
	if (img == NULL)
		return SOHOA_OK;	/* off the image: nothing read */
	/*
	 * A word's box (x, y) in the enlarged cut-out is at x / enlarge
	 * + bx - border / enlarge in PIX.
	 */
	rc = read_line(ctx, api, img, (int)(dpi * how->enlarge),
	    (int)(bx * how->enlarge) - how->border,
	    (int)(by * how->enlarge) - how->border, scale / how->enlarge,
	    view_w, view_h, out);
	pixDestroy(&img);
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	return rc;
}

/*
 * Give PAGE the reading of RAW (text, words, hOCR, confidence); RAW gets
 * PAGE's, to be destroyed by the caller.
 */
static void
swap_reading(struct sohoa_page *page, struct sohoa_page *raw)
{
	struct sohoa_page t = *page;

	page->text = raw->text;
	page->hocr = raw->hocr;
	page->words = raw->words;
	page->nwords = raw->nwords;
	page->confidence = raw->confidence;
	raw->text = t.text;
	raw->hocr = t.hocr;
	raw->words = t.words;
	raw->nwords = t.nwords;
	raw->confidence = t.confidence;
}

int
sohoa_tess_unsure(const struct sohoa_page *page)
{
	return page->confidence < SOHOA_TESS_GUARD_CONF || page->nwords < 10;
}

int
sohoa_tess_try(struct sohoa_ctx *ctx, struct sohoa_tess *t, PIX *pix,
    PIX *grey, int dpi, double scale, int view_w, int view_h, unsigned flags,
    struct sohoa_page *page)
{
	struct sohoa_page *cand;
	size_t have, got;
	int rc;

	cand = calloc(1, sizeof(*cand));
	if (cand == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	cand->pageno = page->pageno;
	rc = sohoa_tess_recognize(ctx, t, pix, grey, dpi, scale, view_w,
	    view_h, flags, cand);
	if (rc == SOHOA_OK) {
		have = page_letters(page);
		got = page_letters(cand);
		/*
		 * The other reading is kept when it read the page more
		 * surely and about as much of it, or much more of it about
		 * as surely: cleanup then lost text (faint strokes thinned
		 * away, a line taken for noise).
		 */
		if ((cand->confidence >= page->confidence + 5 &&
		    got * 10 >= have * 8) ||
		    (got * 2 >= have * 3 &&
		    cand->confidence + 5 >= page->confidence))
			swap_reading(page, cand);
	}
	sohoa_page_destroy(&cand);
	return rc;
}
