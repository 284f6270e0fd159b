/*
 * Tests of the ingest input walk and the default dossier rule (no OCR):
 * name order, hidden entries, image names only inside folders, missing
 * paths reported as inputs with an error, dossier = folder name.
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
		    in.v[i].error ? "!" : "");
	CHECK_STR_EQ("/HS-2019-0042/p02.TIF;/HS-2019-0042/p10.tif;"
	    "/HS-2019-0042/sub/a.jpeg;/readme.json;/nonexistent/scan.tif!;",
	    p.buf);
	ingest_inputs_release(&in);
	CHECK(ingest_is_image_name("a.Tiff"));
	CHECK(!ingest_is_image_name("a.pdf"));
	CHECK(!ingest_is_image_name("tif"));

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
