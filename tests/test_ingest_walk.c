/*
 * Tests of the ingest input walk and the default dossier rule (no OCR):
 * scanner order of names (versionsort), hidden entries and files that
 * are no scans listed with what they are (issue 16), a scan without a
 * scan's name taken by its content, missing paths reported as inputs
 * with an error, dossier = folder name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sohoa/ingest.h"
#include "ingest_private.h"
#include "check.h"

static char dir[64];

static void
touch(const char *rel)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("x", f);
		fclose(f);
	}
}

/* A file REL holding the N bytes DATA. */
static void
write_head(const char *rel, const char *data, size_t n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	if (f != NULL) {
		fwrite(data, 1, n, f);
		fclose(f);
	}
}

int
main(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct inputs in = { NULL, 0, 0 };
	struct sohoa_buf b = SOHOA_BUF_INIT, p = SOHOA_BUF_INIT;
	const char *paths[3];
	char cwd[4096];
	size_t i;

	snprintf(dir, sizeof(dir), "/tmp/test_ingest_XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	sohoa_buf_addf(&b, "%s/HS-2019-0042", dir);
	mkdir(b.buf, 0755);
	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "%s/HS-2019-0042/sub", dir);
	mkdir(b.buf, 0755);
	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "%s/.cache", dir);
	mkdir(b.buf, 0755);
	touch("HS-2019-0042/p10.tif");
	touch("HS-2019-0042/p02.TIF");
	touch("HS-2019-0042/notes.txt");
	touch("HS-2019-0042/.p01.tif");
	touch("HS-2019-0042/sub/a.jpeg");
	touch(".cache/x.png");
	touch("readme.json");

	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "%s/readme.json", dir);	/* named: always taken */
	paths[0] = dir;
	paths[1] = b.buf;
	paths[2] = "/nonexistent/scan.tif";
	CHECK_INT_EQ(SOHOA_OK, ingest_walk(ctx, paths, 3, NULL, NULL, &in));
	sohoa_buf_reset(&p);
	for (i = 0; i < in.n; i++)
		sohoa_buf_addf(&p, "%s%s;", in.v[i].path + (strncmp(in.v[i].path,
		    dir, strlen(dir)) == 0 ? strlen(dir) : 0),
		    in.v[i].not_scan ? "?" : in.v[i].error ? "!" : "");
	/* '?': listed as no scan; '!': cannot be read; the named file taken */
	CHECK_STR_EQ("/.cache?;/HS-2019-0042/.p01.tif?;/HS-2019-0042/notes.txt?;"
	    "/HS-2019-0042/p02.TIF;/HS-2019-0042/p10.tif;"
	    "/HS-2019-0042/sub/a.jpeg;/readme.json?;/readme.json;"
	    "/nonexistent/scan.tif!;", p.buf);
	for (i = 0; i < in.n; i++)
		if (strstr(in.v[i].path, "notes.txt") != NULL)
			CHECK_STR_EQ("a text file", in.v[i].error);
	ingest_inputs_release(&in);
	CHECK(ingest_is_image_name("a.Tiff"));
	CHECK(ingest_is_image_name("a.PDF"));
	CHECK(!ingest_is_image_name("tif"));

	/* scanner numbering, and a scan known by its first bytes */
	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "%s/scans", dir);
	mkdir(b.buf, 0755);
	touch("scans/scan10.tif");
	touch("scans/scan2.tif");
	touch("scans/scan1.pdf");
	touch("scans/SCAN0001.JPG");
	write_head("scans/scan0003", "\xff\xd8\xff\xe0", 4);
	write_head("scans/scan0004", "%PDF-1.4\n", 9);
	write_head("scans/Thumbs.db", "\xd0\xcf\x11\xe0\0\0", 6);
	write_head("scans/photo.gif", "GIF89a", 6);
	write_head("scans/empty", "", 0);
	paths[0] = b.buf;
	CHECK_INT_EQ(SOHOA_OK, ingest_walk(ctx, paths, 1, NULL, NULL, &in));
	sohoa_buf_reset(&p);
	for (i = 0; i < in.n; i++)
		sohoa_buf_addf(&p, "%s%s%s;", strrchr(in.v[i].path, '/') + 1,
		    in.v[i].not_scan ? "?" : "", in.v[i].not_scan ?
		    in.v[i].error : "");
	CHECK_STR_EQ("SCAN0001.JPG;Thumbs.db?an old Office document (.doc, "
	    ".xls);empty?an empty file;photo.gif?a GIF image;scan0003;"
	    "scan0004;scan1.pdf;scan2.tif;scan10.tif;", p.buf);
	ingest_inputs_release(&in);

	sohoa_buf_reset(&p);
	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "%s/HS-2019-0042/p10.tif", dir);
	CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, b.buf, &p));
	CHECK_STR_EQ("HS-2019-0042", p.buf);
	/*
	 * A bare name names no folder: 'unsorted', not the folder the clerk
	 * stands in; './a.jpeg' names the current folder (bug 0014).
	 */
	if (getcwd(cwd, sizeof(cwd)) != NULL) {
		sohoa_buf_reset(&b);
		sohoa_buf_addf(&b, "%s/HS-2019-0042/sub", dir);
		if (chdir(b.buf) == 0) {
			sohoa_buf_reset(&p);
			CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "a.jpeg", &p));
			CHECK_STR_EQ("unsorted", p.buf);
			sohoa_buf_reset(&p);
			CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "./a.jpeg", &p));
			CHECK_STR_EQ("sub", p.buf);
			sohoa_buf_reset(&p);
			CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "../sub/a.jpeg", &p));
			CHECK_STR_EQ("sub", p.buf);
			sohoa_buf_reset(&p);
			CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "../p10.tif", &p));
			CHECK_STR_EQ("HS-2019-0042", p.buf);
			if (chdir(cwd) != 0)
				CHECK(!"chdir back");
		}
	}
	/* the name as written: no file system look-up needed */
	sohoa_buf_reset(&p);
	CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "/nonexistent/x.tif", &p));
	CHECK_STR_EQ("nonexistent", p.buf);
	sohoa_buf_reset(&p);
	CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "backlog//HS-1//x.tif", &p));
	CHECK_STR_EQ("HS-1", p.buf);
	sohoa_buf_reset(&p);
	CHECK_INT_EQ(SOHOA_OK, sohoa_ingest_dossier_for(ctx, "/x.tif", &p));
	CHECK_STR_EQ("unsorted", p.buf);
	sohoa_buf_reset(&p);
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_ingest_dossier_for(ctx, "/nonexistent/../x.tif", &p));

	sohoa_buf_reset(&b);
	sohoa_buf_addf(&b, "rm -rf '%s'", dir);
	if (system(b.buf) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	sohoa_buf_release(&b);
	sohoa_buf_release(&p);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_ingest_walk");
}
