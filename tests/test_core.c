/*
 * Tests for core: buffers, UTF-8 normalisation and Vietnamese folding,
 * the JSON writer, field lists and error messages.
 */
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/json.h"
#include "sohoa/page.h"
#include "check.h"

static void
fold_is(const char *in, const char *want)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;

	CHECK_INT_EQ(SOHOA_OK, sohoa_utf8_fold(in, &out));
	CHECK_STR_EQ(want, out.buf);
	sohoa_buf_release(&out);
}

static void
test_fold_vietnamese(void)
{
	fold_is("Nguyễn Thị Đào", "nguyen thi dao");
	fold_is("NGUYỄN VĂN ĐỨC", "nguyen van duc");
	fold_is("Hòn Đất", "hon dat");
	fold_is("Ủy ban nhân dân xã Ấp Bắc", "uy ban nhan dan xa ap bac");
	fold_is("Trương Thị Lệ", "truong thi le");
	/* NFD input folds the same as NFC */
	fold_is("Le\xcc\xa3", "le");
	fold_is("Số: 12/QĐ-UBND", "so: 12/qd-ubnd");
}

static int
same_untoned(const char *a, const char *b)
{
	struct sohoa_buf x = SOHOA_BUF_INIT, y = SOHOA_BUF_INIT;
	int r;

	CHECK_INT_EQ(SOHOA_OK, sohoa_utf8_untone(a, &x));
	CHECK_INT_EQ(SOHOA_OK, sohoa_utf8_untone(b, &y));
	r = strcmp(x.buf, y.buf) == 0;
	sohoa_buf_release(&x);
	sohoa_buf_release(&y);
	return r;
}

/* Tone marks and đ go, the vowel marks that make other letters stay. */
static void
test_untone(void)
{
	CHECK(same_untoned("Chỉ", "chi"));
	CHECK(same_untoned("QUẦN", "Quân"));
	CHECK(same_untoned("Thể", "Thế"));
	CHECK(same_untoned("Đuy", "Duy"));
	CHECK(!same_untoned("Tám", "Tâm"));
	CHECK(same_untoned("Hồ", "Hổ"));
	CHECK(!same_untoned("Lưu", "Lưu Lưu"));
	CHECK(!same_untoned("Ơn", "Ôn"));
}

static void
test_nfc(void)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	/* "ệ" as e + circumflex + dot below (NFD) becomes one code point */
	const char *nfd = "Le\xcc\x82\xcc\xa3";

	CHECK_INT_EQ(SOHOA_OK, sohoa_utf8_nfc(nfd, strlen(nfd), &out));
	CHECK_STR_EQ("Lệ", out.buf);
	sohoa_buf_reset(&out);
	/* invalid bytes are replaced, not refused */
	CHECK_INT_EQ(SOHOA_OK, sohoa_utf8_nfc("a\xff" "b", 3, &out));
	CHECK_STR_EQ("a\xef\xbf\xbd" "b", out.buf);
	sohoa_buf_release(&out);
}

static void
test_clip(void)
{
	const char *s = "Đức";	/* Đ is 2 bytes, ứ is 3 */

	CHECK_INT_EQ(2, sohoa_utf8_clip(s, strlen(s), 3));
	CHECK_INT_EQ(5, sohoa_utf8_clip(s, strlen(s), 5));
	CHECK_INT_EQ(3, sohoa_utf8_length(s, strlen(s)));
}

static void
test_json(void)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;

	sohoa_json_init(&j, &out, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "text");
	sohoa_json_str(&j, "a\"b\\c\n\fĐ\x01");
	sohoa_json_key(&j, "n");
	sohoa_json_int(&j, 3);
	sohoa_json_key(&j, "list");
	sohoa_json_arr_open(&j);
	sohoa_json_arr_close(&j);
	sohoa_json_key(&j, "bad");
	sohoa_json_str(&j, "x\xc3");
	sohoa_json_obj_close(&j);
	CHECK_INT_EQ(SOHOA_OK, j.rc);
	CHECK_STR_EQ("{\"text\":\"a\\\"b\\\\c\\n\\fĐ\\u0001\",\"n\":3,"
	    "\"list\":[],\"bad\":\"x\xef\xbf\xbd\"}", out.buf);
	sohoa_buf_release(&out);
}

static void
test_fields(void)
{
	struct sohoa_fields f;

	sohoa_fields_init(&f);
	CHECK_INT_EQ(SOHOA_OK, sohoa_fields_set(&f, "full_name", "Lê Văn A", NULL, 90, 0));
	CHECK_INT_EQ(SOHOA_OK, sohoa_fields_set(&f, "sex", "Nam", "Nam", 95, 0));
	CHECK_INT_EQ(SOHOA_OK, sohoa_fields_set(&f, "full_name", "Lê Văn B", NULL, 40, 1));
	CHECK_INT_EQ(2, f.n);
	CHECK_STR_EQ("Lê Văn B", sohoa_fields_get(&f, "full_name")->value);
	CHECK(sohoa_fields_get(&f, "nope") == NULL);
	sohoa_fields_release(&f);
}

static void
test_errors(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();

	CHECK(ctx != NULL);
	CHECK_STR_EQ("", sohoa_errmsg(ctx));
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_set_error(ctx, SOHOA_ERR_IO,
	    "cannot open '%s'", "x.tif"));
	sohoa_wrap_error(ctx, "page %d: ", 3);
	CHECK_STR_EQ("page 3: cannot open 'x.tif'", sohoa_errmsg(ctx));
	CHECK_INT_EQ(SOHOA_ERR_IO, sohoa_errcode(ctx));
	sohoa_ctx_destroy(&ctx);
	CHECK(ctx == NULL);
	sohoa_ctx_destroy(&ctx);
}

int
main(void)
{
	test_fold_vietnamese();
	test_untone();
	test_nfc();
	test_clip();
	test_json();
	test_fields();
	test_errors();
	return check_done("test_core");
}
