/*
 * Tests of the engine (cleanup + OCR) on the committed sample
 * samples/death-clean-g4.tif: key lines are found (compared by
 * containment, as engine versions move), words have boxes inside the
 * upright image, the same page turned a quarter is detected and turned
 * back, a blank page is not OCR'd, a signer's row that the page's
 * layout analysis drops is read by the second look at it, a page of
 * faint broken strokes is read again bold, an italic date line read
 * badly is read again larger, lines the page's layout lost are read
 * again, and a missing language is a clear error naming the Debian
 * package.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "sohoa/pipeline.h"
#include "check.h"

/*
 * Lines the OCR of any death-record sample must contain; the name,
 * personal-ID and signer lines are built from the sample's expected JSON,
 * so that a regenerated sample still tests the same thing.
 */
static const char *const fixed_lines[] = {
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	"Độc lập - Tự do - Hạnh phúc",
	"TRÍCH LỤC KHAI TỬ",
};

static struct sohoa_buf key_lines[3] = {
	SOHOA_BUF_INIT, SOHOA_BUF_INIT, SOHOA_BUF_INIT
};

static struct sohoa_ctx *ctx;

static void
check_line(const struct sohoa_page *page, const char *line, const char *what)
{
	if (strstr(page->text, line) == NULL) {
		fprintf(stderr, "%s: missing line \"%s\" in:\n%s\n", what, line,
		    page->text);
		CHECK(0);
	}
}

static void
check_key_lines(const struct sohoa_page *page, const char *what)
{
	size_t i;

	for (i = 0; i < sizeof(fixed_lines) / sizeof(fixed_lines[0]); i++)
		check_line(page, fixed_lines[i], what);
	for (i = 0; i < 3; i++)
		check_line(page, key_lines[i].buf, what);
}

/*
 * The value of "KEY": "..." in the JSON file PATH (values without
 * escapes, as names and numbers are), appended to OUT.
 */
static int
json_value(const char *path, const char *key, struct sohoa_buf *out)
{
	struct sohoa_buf text = SOHOA_BUF_INIT, pat = SOHOA_BUF_INIT;
	char chunk[4096];
	const char *p, *end;
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = -1;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sohoa_buf_add(&text, chunk, n);
	fclose(f);
	sohoa_buf_addf(&pat, "\"%s\": \"", key);
	p = strstr(text.buf, pat.buf);
	if (p != NULL) {
		p += pat.len;
		end = strchr(p, '"');
		if (end != NULL) {
			sohoa_buf_add(out, p, (size_t)(end - p));
			rc = 0;
		}
	}
	sohoa_buf_release(&text);
	sohoa_buf_release(&pat);
	return rc;
}

static void
check_words(const struct sohoa_page *page)
{
	size_t i;
	int bad = 0, lastline = -1;

	CHECK(page->nwords > 50);
	for (i = 0; i < page->nwords; i++) {
		const struct sohoa_word *w = &page->words[i];

		if (w->x0 < 0 || w->y0 < 0 || w->x1 > page->width ||
		    w->y1 > page->height || w->x0 >= w->x1 ||
		    w->y0 >= w->y1 || w->conf < 0 || w->conf > 100 ||
		    w->text[0] == '\0' || w->line < lastline)
			bad++;
		lastline = w->line;
	}
	CHECK_INT_EQ(0, bad);
}

/*
 * The first "TRÍCH" is the title's: in the top third, centred ("NGƯỜI KÝ
 * TRÍCH LỤC" comes later).
 */
static void
check_title_box(const struct sohoa_page *page)
{
	size_t i;
	int found = 0;

	for (i = 0; i < page->nwords; i++) {
		const struct sohoa_word *w = &page->words[i];

		if (strcmp(w->text, "TRÍCH") != 0)
			continue;
		found = 1;
		CHECK(w->y0 < page->height / 3);
		CHECK(w->x0 > page->width / 4 && w->x1 < page->width * 3 / 4);
		break;
	}
	CHECK(found);
}

static PIX *
read_sample(const char *name, const char *expected)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct sohoa_image *img = NULL;
	const char *dir = getenv("SOHOA_SOURCE_DIR");
	PIX *pix = NULL;

	sohoa_buf_addf(&path, "%s/samples/%s", dir ? dir : SOHOA_SOURCE_DIR,
	    expected);
	sohoa_buf_adds(&key_lines[0], "Họ, chữ đệm, tên: ");
	sohoa_buf_adds(&key_lines[1], "Số định danh cá nhân: ");
	/* the signer's name, which the stamp's ring crosses (stage_ring.c) */
	if (json_value(path.buf, "full_name", &key_lines[0]) != 0 ||
	    json_value(path.buf, "personal_id", &key_lines[1]) != 0 ||
	    json_value(path.buf, "signer", &key_lines[2]) != 0) {
		fprintf(stderr, "cannot read the names and ID from '%s'\n",
		    path.buf);
		CHECK(0);
	}
	sohoa_buf_reset(&path);
	sohoa_buf_addf(&path, "%s/samples/%s", dir ? dir : SOHOA_SOURCE_DIR,
	    name);
	if (sohoa_image_open(ctx, path.buf, &img) != SOHOA_OK ||
	    sohoa_image_read_page(ctx, img, 0, &pix) != SOHOA_OK)
		fprintf(stderr, "%s\n", sohoa_errmsg(ctx));
	sohoa_image_close(&img);
	sohoa_buf_release(&path);
	return pix;
}

static void
test_missing_language(void)
{
	struct sohoa_engine_opts opts;
	struct sohoa_engine *eng = NULL;

	memset(&opts, 0, sizeof(opts));
	opts.lang = "xyz";
	CHECK_INT_EQ(SOHOA_ERR_OCR, sohoa_engine_new(ctx, &opts, &eng));
	CHECK(eng == NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "tesseract-ocr-xyz") != NULL);
	CHECK(strstr(sohoa_errmsg(ctx), "'xyz'") != NULL);
}

static void
test_blank(struct sohoa_engine *eng)
{
	struct sohoa_page *page = NULL;
	PIX *pix = pixCreate(2480, 3508, 8);
	int i;

	pixSetAllArbitrary(pix, 235);
	/* a little scanner dust */
	for (i = 0; i < 40; i++)
		pixSetPixel(pix, 100 + 53 * i, 200 + 71 * i, 40);
	pixSetResolution(pix, 300, 300);
	CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, pix, 7, &page));
	if (page != NULL) {
		CHECK_INT_EQ(SOHOA_PAGE_BLANK, page->status);
		CHECK_STR_EQ("", page->text);
		CHECK_INT_EQ(0, (int)page->nwords);
		CHECK_INT_EQ(7, page->pageno);
		CHECK(page->image != NULL && page->image_len > 0);
	}
	sohoa_page_destroy(&page);
	CHECK(page == NULL);
	pixDestroy(&pix);
}

/*
 * The second look at the signer's row (ocr/tess_signer.c) must put the
 * signer's name of sample NAME (samples/varied/NAME.expected.json) in the
 * text, right of the page's middle, in the lower half, and below the
 * title "CHỦ TỊCH".
 *
 * mild/decision-mild-02.tif: Tesseract's layout analysis takes the row,
 * under the seal's ring and the signature, for a picture and reads
 * nothing there.  hard/marital_status-hard-02.jpg: the title's second row
 * reads "PHÓ CHỦ TịcH", which must not pass for a name read surely.
 * hard/birth-hard-02.tif: the look's sparse reading splits "Siu Thơm"
 * into two rows ("Thơm" is taller: the horn of the ơ), which it must
 * join into one line before cutting the row out.
 */
static void
test_signer_row(struct sohoa_engine *eng, const char *sample)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, name = SOHOA_BUF_INIT;
	struct sohoa_image *img = NULL;
	struct sohoa_page *page = NULL;
	const char *dir = getenv("SOHOA_SOURCE_DIR"), *p;
	PIX *pix = NULL;
	size_t i, stem;
	int title_y = -1, name_y = -1;

	sohoa_buf_addf(&path, "%s/samples/varied/%s",
	    dir ? dir : SOHOA_SOURCE_DIR, sample);
	stem = (size_t)(strrchr(path.buf, '.') - path.buf);
	path.len = stem;
	sohoa_buf_adds(&path, ".expected.json");
	CHECK_INT_EQ(0, json_value(path.buf, "signer", &name));
	path.len = stem;
	sohoa_buf_addf(&path, "%s", strrchr(sample, '.'));
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, path.buf, &img));
	if (img != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	if (pix != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, pix, 0, &page));
	if (page != NULL && name.buf != NULL) {
		p = strstr(page->text, name.buf);
		if (p == NULL)
			fprintf(stderr, "%s: signer '%s' missing in:\n%s\n",
			    sample, name.buf, page->text);
		CHECK(p != NULL);
		for (i = 0; i < page->nwords; i++) {
			const struct sohoa_word *w = &page->words[i];

			if (strcmp(w->text, "TỊCH") == 0 &&
			    w->x0 > page->width / 2)
				title_y = w->y1;
			if (strncmp(name.buf, w->text, strlen(w->text)) == 0 &&
			    w->x0 > page->width / 2 && name_y < 0)
				name_y = w->y0;
		}
		CHECK(title_y > page->height / 3);
		CHECK(name_y > title_y);
	}
	sohoa_page_destroy(&page);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	sohoa_buf_release(&path);
	sohoa_buf_release(&name);
}

/*
 * samples/varied/hard/death-hard-02.tif: light print on a 200 dpi bilevel
 * scan, strokes one or two pixels thin and broken.  Read as cleaned, the
 * personal ID line came out "Số định đanh ca nhân, 04905867478" (a digit
 * lost) and the place of death "Tại nha, Âu Phước THuỷ, …"; the bold
 * second reading (pipeline/engine.c) reads both right.
 */
static void
test_faint_bilevel(struct sohoa_engine *eng)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, id = SOHOA_BUF_INIT;
	struct sohoa_buf place = SOHOA_BUF_INIT;
	char *comma;
	struct sohoa_image *img = NULL;
	struct sohoa_page *page = NULL;
	const char *dir = getenv("SOHOA_SOURCE_DIR");
	PIX *pix = NULL;

	sohoa_buf_addf(&path, "%s/samples/varied/hard/death-hard-02",
	    dir ? dir : SOHOA_SOURCE_DIR);
	sohoa_buf_adds(&path, ".expected.json");
	CHECK_INT_EQ(0, json_value(path.buf, "personal_id", &id));
	CHECK_INT_EQ(0, json_value(path.buf, "death_place", &place));
	/* its first two parts: "Tại nhà, Ấp Phước Thuỷ" */
	if (place.buf != NULL && (comma = strchr(place.buf, ',')) != NULL &&
	    (comma = strchr(comma + 1, ',')) != NULL)
		*comma = '\0';
	path.len -= strlen(".expected.json");
	sohoa_buf_adds(&path, ".tif");
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, path.buf, &img));
	if (img != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	if (pix != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, pix, 0, &page));
	if (page != NULL && id.buf != NULL && place.buf != NULL) {
		check_line(page, id.buf, "faint bilevel page");
		check_line(page, place.buf, "faint bilevel page");
	}
	sohoa_page_destroy(&page);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	sohoa_buf_release(&path);
	sohoa_buf_release(&id);
	sohoa_buf_release(&place);
}

/*
 * samples/varied/hard/death-hard-03.jpg: the place-and-date line, in
 * italics, reads "ngày Ú tháng 2 năm 2025" on the page; the second look
 * at it (ocr/tess_date.c) must read the day, 1, from the sample's
 * issue_date.
 */
static void
test_date_row(struct sohoa_engine *eng)
{
	struct sohoa_buf path = SOHOA_BUF_INIT, date = SOHOA_BUF_INIT;
	struct sohoa_buf line = SOHOA_BUF_INIT;
	struct sohoa_image *img = NULL;
	struct sohoa_page *page = NULL;
	const char *dir = getenv("SOHOA_SOURCE_DIR");
	PIX *pix = NULL;
	int y = 0, m = 0, d = 0;

	sohoa_buf_addf(&path, "%s/samples/varied/hard/death-hard-03",
	    dir ? dir : SOHOA_SOURCE_DIR);
	sohoa_buf_adds(&path, ".expected.json");
	CHECK_INT_EQ(0, json_value(path.buf, "issue_date", &date));
	CHECK(date.buf != NULL && sscanf(date.buf, "%d-%d-%d", &y, &m, &d) == 3);
	sohoa_buf_addf(&line, "ngày %d tháng %d năm %d", d, m, y);
	path.len -= strlen(".expected.json");
	sohoa_buf_adds(&path, ".jpg");
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, path.buf, &img));
	if (img != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	if (pix != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, pix, 0, &page));
	if (page != NULL)
		check_line(page, line.buf, "italic date line");
	sohoa_page_destroy(&page);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	sohoa_buf_release(&path);
	sohoa_buf_release(&date);
	sohoa_buf_release(&line);
}

/*
 * Read FILE (under the source tree) with ENG: each of the N LINES must be
 * in its text, in order.  WHAT names the check in a failure.
 */
static void
lines_in_order(struct sohoa_engine *eng, const char *file,
    const char *const *lines, size_t n, const char *what)
{
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct sohoa_image *img = NULL;
	struct sohoa_page *page = NULL;
	const char *dir = getenv("SOHOA_SOURCE_DIR"), *p, *prev = NULL;
	PIX *pix = NULL;
	size_t i;

	sohoa_buf_addf(&path, "%s/%s", dir ? dir : SOHOA_SOURCE_DIR, file);
	CHECK_INT_EQ(SOHOA_OK, sohoa_image_open(ctx, path.buf, &img));
	if (img != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_image_read_page(ctx, img, 0, &pix));
	if (pix != NULL)
		CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, pix, 0, &page));
	for (i = 0; page != NULL && i < n; i++) {
		p = strstr(page->text, lines[i]);
		if (p == NULL || (prev != NULL && p < prev)) {
			fprintf(stderr, "%s: '%s' %s in:\n%s\n", what,
			    lines[i], p == NULL ? "missing" : "out of order",
			    page->text);
			CHECK(0);
		}
		prev = p != NULL ? p : prev;
	}
	sohoa_page_destroy(&page);
	pixDestroy(&pix);
	sohoa_image_close(&img);
	sohoa_buf_release(&path);
}

/*
 * samples/third/marriage-mild-02.tif: a table with dashed borders on a
 * bilevel page.  Tesseract's layout analysis of the cleaned page drops
 * the title, the table's first two rows and the line under the table
 * (plain tesseract on the scan keeps them); the second look at lost
 * lines (ocr/tess_lost.c) must put them back, in reading order: the
 * title, then the husband's name before the wife's, then the rows below.
 */
static void
test_lost_lines(struct sohoa_engine *eng)
{
	static const char *const lines[] = {
		"CHỨNG NHẬN KẾT HÔN",
		"Họ, chữ đệm, tên: Sình A Tủa",
		"Họ, chữ đệm, tên: Hoàng Phương Khánh",
		"Ngày, tháng, năm sinh: 15/02/2001",
		"Ngày, tháng, năm sinh: 15/02/1989",
		"Dân tộc:",
		"Nơi đăng ký kết hôn: Ủy ban nhân dân xã Thống Nhất",
	};

	lines_in_order(eng, "samples/third/marriage-mild-02.tif", lines,
	    sizeof(lines) / sizeof(lines[0]), "lost lines");
}

/*
 * Old-style figures (ocr/tess_figures.c): the Vietnamese model read
 * "ro/OL492s", "o6412s209977" and "2o/oo/2o22" on this page.
 */
static void
test_old_style_figures(struct sohoa_engine *eng)
{
	static const char *const lines[] = {
		"sinh: 19/01/1925",
		"nhân: 064125299977",
		"ký: 29/09/2022",
	};

	lines_in_order(eng, "samples/third/death-clean-02.tif", lines,
	    sizeof(lines) / sizeof(lines[0]),
	    "old-style figures (read again with the English model, "
	    "Debian package tesseract-ocr-eng)");
}

int
main(void)
{
	struct sohoa_engine_opts opts;
	struct sohoa_engine *eng = NULL;
	struct sohoa_page *page = NULL;
	PIX *pix, *turned;

	sohoa_global_init();
	ctx = sohoa_ctx_new();
	test_missing_language();

	memset(&opts, 0, sizeof(opts));
	opts.want_image = 1;
	opts.want_hocr = 1;
	if (sohoa_engine_new(ctx, &opts, &eng) != SOHOA_OK) {
		fprintf(stderr, "test_pipeline_ocr: %s\n", sohoa_errmsg(ctx));
		return 1;
	}
	pix = read_sample("death-clean-g4.tif", "death-clean-g4.expected.json");
	CHECK(pix != NULL);
	if (pix == NULL)
		return check_done("test_pipeline_ocr");

	CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, pix, 0, &page));
	if (page != NULL) {
		check_key_lines(page, "upright page");
		check_words(page);
		check_title_box(page);
		CHECK_INT_EQ(0, page->orientation);
		CHECK_INT_EQ(300, page->dpi);
		CHECK_INT_EQ(pixGetWidth(pix), page->width);
		CHECK(page->confidence > 70);
		CHECK_INT_EQ(SOHOA_PAGE_OK, page->status);
		CHECK_STR_EQ("png", page->image_type);	/* bilevel scan */
		CHECK(page->image_len > 1000 &&
		    memcmp(page->image, "\x89PNG", 4) == 0);
		CHECK(page->hocr != NULL &&
		    strstr(page->hocr, "ocr_page") != NULL);
	}
	sohoa_page_destroy(&page);

	/* a quarter turn clockwise needs three more to come back */
	turned = pixRotateOrth(pix, 1);
	CHECK_INT_EQ(SOHOA_OK, sohoa_engine_process(eng, turned, 1, &page));
	if (page != NULL) {
		CHECK_INT_EQ(270, page->orientation);
		CHECK_INT_EQ(pixGetWidth(pix), page->width);
		CHECK_INT_EQ(pixGetHeight(pix), page->height);
		check_key_lines(page, "page turned 90");
	}
	sohoa_page_destroy(&page);
	pixDestroy(&turned);

	test_blank(eng);
	test_signer_row(eng, "mild/decision-mild-02.tif");
	test_signer_row(eng, "hard/marital_status-hard-02.jpg");
	test_signer_row(eng, "hard/birth-hard-02.tif");
	test_faint_bilevel(eng);
	test_date_row(eng);
	test_lost_lines(eng);
	test_old_style_figures(eng);
	pixDestroy(&pix);
	sohoa_engine_destroy(&eng);
	CHECK(eng == NULL);
	sohoa_buf_release(&key_lines[0]);
	sohoa_buf_release(&key_lines[1]);
	sohoa_buf_release(&key_lines[2]);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_pipeline_ocr");
}
