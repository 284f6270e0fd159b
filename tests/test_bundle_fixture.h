/*
 * A small archive with real content for the bundle tests, built through
 * the archive API without OCR: two scanned files (a PNG and a two-page
 * TIFF made with Leptonica), three pages with Vietnamese text, hOCR, word
 * boxes and view images, two documents with fields, a PDF per document
 * (the pdf module's PDF/A-2b), and the
 * dossier metadata export needs.  Also a demo key and certificate.
 */
#ifndef SOHOA_TEST_BUNDLE_FIXTURE_H
#define SOHOA_TEST_BUNDLE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/sign.h"
#include "sohoa/page.h"
#include "sohoa/pdf.h"

#define FIXTURE_CODE "HS-2019-0042"

struct fixture_page {
	const char *text;
	const char *words[8];
};

static const struct fixture_page fixture_pages[3] = {
	{ "GIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN THỊ ĐÀO\n"
	  "Ngày, tháng, năm sinh: 12/03/2019\n",
	  { "GIẤY", "KHAI", "SINH", "NGUYỄN", "THỊ", "ĐÀO", NULL } },
	{ "TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: PHẠM TƯỜNG LĨNH\n",
	  { "TRÍCH", "LỤC", "KHAI", "TỬ", "PHẠM", "TƯỜNG", "LĨNH", NULL } },
	{ "Nơi chết: Bệnh viện Đa khoa thành phố Hà Nội\n"
	  "Ngày, tháng, năm đăng ký: 24/01/2019\n",
	  { "Nơi", "chết:", "Bệnh", "viện", "Hà", "Nội", NULL } },
};

/* A 400x300 page with a few dark bars where words would be. */
static PIX *
fixture_pix(int seed)
{
	PIX *pix = pixCreate(400, 300, 32);
	int i;

	pixSetAll(pix);
	for (i = 0; i < 6; i++) {
		BOX *box = boxCreate(20 + 10 * seed, 20 + 40 * i, 200 + 20 * i, 18);

		pixRenderBoxArb(pix, box, 3, 10 * i, 20, 90);
		boxDestroy(&box);
	}
	return pix;
}

static int
fixture_page(struct sohoa_page *pg, int pageno, int which)
{
	const struct fixture_page *fp = &fixture_pages[which];
	struct sohoa_buf hocr = SOHOA_BUF_INIT;
	PIX *pix = fixture_pix(which);
	l_uint8 *data = NULL;
	size_t size = 0, n, i;

	memset(pg, 0, sizeof(*pg));
	pg->pageno = pageno;
	pg->width = 400;
	pg->height = 300;
	pg->dpi = 200;
	pg->confidence = 91.5f;
	pg->status = SOHOA_PAGE_OK;
	pg->text = strdup(fp->text);
	for (n = 0; fp->words[n] != NULL; n++)
		;
	pg->words = calloc(n, sizeof(*pg->words));
	pg->nwords = n;
	sohoa_buf_addf(&hocr, "<div class='ocr_page' id='page_%d'>", pageno + 1);
	for (i = 0; i < n; i++) {
		pg->words[i].text = strdup(fp->words[i]);
		pg->words[i].x0 = 20 + 60 * (int)(i % 5);
		pg->words[i].y0 = 20 + 40 * (int)(i / 5);
		pg->words[i].x1 = pg->words[i].x0 + 50;
		pg->words[i].y1 = pg->words[i].y0 + 18;
		pg->words[i].conf = 90;
		pg->words[i].line = (int)(i / 5);
		sohoa_buf_addf(&hocr, "<span class='ocrx_word' title='bbox %d %d"
		    " %d %d'>%s</span>", pg->words[i].x0, pg->words[i].y0,
		    pg->words[i].x1, pg->words[i].y1, fp->words[i]);
	}
	sohoa_buf_adds(&hocr, "</div>\n");
	pg->hocr = sohoa_buf_detach(&hocr, NULL);
	pixWriteMemJpeg(&data, &size, pix, 85, 0);
	pg->image = malloc(size);
	memcpy(pg->image, data, size);
	pg->image_len = size;
	strcpy(pg->image_type, "jpeg");
	lept_free(data);
	pixDestroy(&pix);
	return pg->text && pg->words && pg->hocr && pg->image ? 0 : -1;
}

static int
fixture_pdf(struct sohoa_archive *a, const char *tmpdir, int doc,
    struct sohoa_page **pages, size_t npages, char sha[SOHOA_SHA256_HEX])
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_pdf_page *pp = calloc(npages, sizeof(*pp));
	struct sohoa_buf *img = calloc(npages, sizeof(*img));
	size_t i;
	int rc;

	if (pp == NULL || img == NULL)
		return SOHOA_ERR_NOMEM;
	for (i = 0; i < npages; i++) {
		FILE *f;

		sohoa_buf_init(&img[i]);
		sohoa_buf_addf(&img[i], "%s/p%d-%zu.jpg", tmpdir, doc, i);
		f = fopen(img[i].buf, "wb");
		fwrite(pages[i]->image, 1, pages[i]->image_len, f);
		fclose(f);
		pp[i].image_path = img[i].buf;
		pp[i].image_type = "jpeg";
		pp[i].width = pages[i]->width;
		pp[i].height = pages[i]->height;
		pp[i].dpi = pages[i]->dpi;
		pp[i].words = pages[i]->words;
		pp[i].nwords = pages[i]->nwords;
	}
	sohoa_buf_addf(&out, "%s/doc%d.pdf", tmpdir, doc);
	rc = sohoa_pdf_write(sohoa_archive_ctx(a), pp, npages, NULL, out.buf);
	if (rc == SOHOA_OK)
		rc = sohoa_store_put_file(a, out.buf, NULL, sha);
	unlink(out.buf);
	for (i = 0; i < npages; i++) {
		unlink(img[i].buf);
		sohoa_buf_release(&img[i]);
	}
	free(pp);
	free(img);
	sohoa_buf_release(&out);
	return rc;
}

/*
 * Make the archive DIR (created) with dossier FIXTURE_CODE, and a key and
 * certificate in KEYDIR.  Returns SOHOA_OK or prints why.
 */
static int
fixture_make(struct sohoa_ctx *ctx, const char *dir, const char *keydir)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_page pg[3];
	struct sohoa_page *pp[3];
	struct sohoa_fields f1, f2;
	struct sohoa_file_info fi;
	struct sohoa_buf tif = SOHOA_BUF_INIT;
	char sha1[SOHOA_SHA256_HEX], sha2[SOHOA_SHA256_HEX];
	char pdf[SOHOA_SHA256_HEX];
	int64_t dossier, file1, file2, doc1, doc2, pid;
	l_uint8 *png = NULL;
	size_t pngsize = 0;
	PIXA *pixa;
	PIX *pix;
	struct stat st;
	int rc, i, npg = 0;

	sohoa_fields_init(&f1);
	sohoa_fields_init(&f2);
	rc = sohoa_signer_keygen(ctx, keydir, "UBND xã Tân Lập",
	    "UBND xã Tân Lập", SOHOA_KEYGEN_FORCE, NULL);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_open(ctx, dir, SOHOA_ARCHIVE_CREATE, &a);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < 3; i++) {
		fixture_page(&pg[i], i == 0 ? 0 : i - 1, i);
		pp[i] = &pg[i];
	}
	npg = 3;
	/* the originals: a PNG, and a two-page TIFF */
	pix = fixture_pix(7);
	pixWriteMem(&png, &pngsize, pix, IFF_PNG);
	pixDestroy(&pix);
	rc = sohoa_archive_begin(a);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_get(a, FIXTURE_CODE, 1, &dossier);
	if (rc == SOHOA_OK)
		rc = sohoa_store_put_mem(a, png, pngsize, sha1);
	sohoa_buf_addf(&tif, "%s/../fixture-orig.tif", dir);
	pixa = pixaCreate(2);
	pixaAddPix(pixa, fixture_pix(1), L_INSERT);
	pixaAddPix(pixa, fixture_pix(2), L_INSERT);
	unlink(tif.buf);
	pixaWriteMultipageTiff(tif.buf, pixa);
	pixaDestroy(&pixa);
	if (rc == SOHOA_OK)
		rc = sohoa_store_put_file(a, tif.buf, NULL, sha2);
	stat(tif.buf, &st);
	if (rc != SOHOA_OK)
		goto fail;
	memset(&fi, 0, sizeof(fi));
	fi.dossier_id = dossier;
	memcpy(fi.sha256, sha1, sizeof(sha1));
	fi.path = "scans/khai-sinh-0042.png";
	fi.name = "khai-sinh-0042.png";
	fi.format = "png";
	fi.size = (int64_t)pngsize;
	fi.npages = 1;
	rc = sohoa_archive_file_add(a, &fi, &file1);
	memcpy(fi.sha256, sha2, sizeof(sha2));
	fi.path = "scans/khai-tu 2019.tif";
	fi.name = "khai-tu 2019.tif";
	fi.format = "tiff";
	fi.size = (int64_t)st.st_size;
	fi.npages = 2;
	if (rc == SOHOA_OK)
		rc = sohoa_archive_file_add(a, &fi, &file2);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_page_add(a, file1, &pg[0], &pid);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_page_add(a, file2, &pg[1], &pid);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_page_add(a, file2, &pg[2], &pid);
	sohoa_fields_set(&f1, "full_name", "NGUYỄN THỊ ĐÀO", "NGUYỄN THỊ ĐÀO",
	    95, 0);
	sohoa_fields_set(&f1, "birth_date", "2019-03-12", "12/03/2019", 93, 0);
	sohoa_fields_set(&f1, "registration_date", "2019-03-20", "20/03/2019",
	    88, 0);
	sohoa_fields_set(&f1, "doc_number", "42/2019/KS", NULL, 55, 1);
	sohoa_fields_set(&f2, "full_name", "PHẠM TƯỜNG LĨNH", NULL, 92, 0);
	sohoa_fields_set(&f2, "registration_date", "2019-01-24", "24/01/2019",
	    90, 0);
	sohoa_fields_set(&f2, "issuer", "ỦY BAN NHÂN DÂN XÃ TÂN LẬP", NULL,
	    80, 0);
	/* not read at all: empty, no raw, listed for review */
	sohoa_fields_set(&f2, "doc_number", "", NULL, 0, 1);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_add(a, file1, 0, 1, "birth", &f1,
		    &doc1);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_add(a, file2, 0, 2, "death", &f2,
		    &doc2);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_file_done(a, file1);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_file_done(a, file2);
	if (rc == SOHOA_OK)
		rc = fixture_pdf(a, keydir, 1, pp, 1, pdf);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_set_pdf(a, doc1, pdf);
	if (rc == SOHOA_OK)
		rc = fixture_pdf(a, keydir, 2, pp + 1, 2, pdf);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_set_pdf(a, doc2, pdf);
	if (rc == SOHOA_OK)
		rc = sohoa_dossier_meta_store(a, dossier, "paper_file_code",
		    "G09.12.0042");
	if (rc == SOHOA_OK)
		rc = sohoa_dossier_meta_store(a, dossier, "organ_name",
		    "UBND xã Tân Lập");
	if (rc == SOHOA_OK)
		rc = sohoa_dossier_meta_store(a, dossier, "file_code",
		    "G09.2019.42");
	if (rc == SOHOA_OK)
		rc = sohoa_dossier_meta_store(a, dossier, "description",
		    "Lập hồ sơ: Nguyễn Văn Bình, công chức tư pháp - hộ tịch");
fail:
	if (rc == SOHOA_OK)
		rc = sohoa_archive_commit(a);
	else
		sohoa_archive_rollback(a);
out:
	if (rc != SOHOA_OK)
		fprintf(stderr, "fixture: %s\n", sohoa_errmsg(ctx));
	if (tif.len)
		unlink(tif.buf);
	sohoa_buf_release(&tif);
	lept_free(png);
	for (i = 0; i < npg; i++)
		sohoa_page_release(&pg[i]);
	sohoa_fields_release(&f1);
	sohoa_fields_release(&f2);
	sohoa_archive_close(&a);
	return rc;
}

/*
 * Add a third document of NPAGES pages (one scanned file) to dossier
 * FIXTURE_CODE in DIR: for measuring export on a large dossier.
 */
static inline int
fixture_add_big(struct sohoa_ctx *ctx, const char *dir, const char *keydir,
    size_t npages)
{
	struct sohoa_archive *a = NULL;
	struct sohoa_page *pg = calloc(npages, sizeof(*pg));
	struct sohoa_page **pp = calloc(npages, sizeof(*pp));
	struct sohoa_fields f;
	struct sohoa_file_info fi;
	struct sohoa_buf orig = SOHOA_BUF_INIT;
	char sha[SOHOA_SHA256_HEX], pdf[SOHOA_SHA256_HEX];
	int64_t dossier, file, doc, pid;
	size_t i;
	int rc;

	sohoa_fields_init(&f);
	if (pg == NULL || pp == NULL)
		return SOHOA_ERR_NOMEM;
	rc = sohoa_archive_open(ctx, dir, 0, &a);
	if (rc != SOHOA_OK)
		goto out;
	for (i = 0; i < npages; i++) {
		fixture_page(&pg[i], (int)i, (int)(i % 3));
		pp[i] = &pg[i];
		/* the "original" is the pages' images one after the other */
		sohoa_buf_add(&orig, pg[i].image, pg[i].image_len);
	}
	rc = sohoa_archive_begin(a);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_get(a, FIXTURE_CODE, 0, &dossier);
	if (rc == SOHOA_OK)
		rc = sohoa_store_put_mem(a, orig.buf, orig.len, sha);
	memset(&fi, 0, sizeof(fi));
	fi.dossier_id = dossier;
	memcpy(fi.sha256, sha, sizeof(sha));
	fi.path = "scans/so-dang-ky.tif";
	fi.name = "so-dang-ky.tif";
	fi.format = "tiff";
	fi.size = (int64_t)orig.len;
	fi.npages = (int)npages;
	if (rc == SOHOA_OK)
		rc = sohoa_archive_file_add(a, &fi, &file);
	for (i = 0; rc == SOHOA_OK && i < npages; i++)
		rc = sohoa_archive_page_add(a, file, &pg[i], &pid);
	sohoa_fields_set(&f, "full_name", "TRẦN VĂN BA", NULL, 90, 0);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_add(a, file, 0, (int)npages,
		    "birth_register", &f, &doc);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_file_done(a, file);
	if (rc == SOHOA_OK)
		rc = fixture_pdf(a, keydir, 3, pp, npages, pdf);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_document_set_pdf(a, doc, pdf);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_commit(a);
	else
		sohoa_archive_rollback(a);
out:
	if (rc != SOHOA_OK)
		fprintf(stderr, "fixture: %s\n", sohoa_errmsg(ctx));
	for (i = 0; i < npages; i++)
		sohoa_page_release(&pg[i]);
	free(pg);
	free(pp);
	sohoa_fields_release(&f);
	sohoa_buf_release(&orig);
	sohoa_archive_close(&a);
	return rc;
}

#endif
