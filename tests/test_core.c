/*
 * Tests for core: buffers, UTF-8 normalisation and Vietnamese folding,
 * the JSON writer, field lists and error messages.
 */
#include <stdio.h>
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

/* Control characters never reach the output raw, C1 ones included. */
static void
test_json_controls(void)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;

	sohoa_json_init(&j, &out, 0);
	sohoa_json_str(&j, "\x1b[2J\r\x7f\xc2\x9b" "31m\xe2\x80\xa8Lê");
	CHECK_INT_EQ(SOHOA_OK, j.rc);
	CHECK_STR_EQ("\"\\u001b[2J\\r\\u007f\\u009b31m\\u2028Lê\"", out.buf);
	sohoa_buf_release(&out);
}

static void
esc_is_l(int line, const char *in, size_t len, unsigned flags,
    const char *want)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;

	CHECK_INT_EQ(SOHOA_OK, sohoa_utf8_term_escape(in, len, flags, &out));
	if (strcmp(out.buf, want) != 0) {
		fprintf(stderr, "%s:%d: escaped '%s', want '%s'\n", __FILE__,
		    line, out.buf, want);
		check_failures++;
	}
	sohoa_buf_release(&out);
}
#define esc_is(in, flags, want) \
	esc_is_l(__LINE__, in, sizeof(in) - 1, flags, want)

static void
test_term_escape(void)
{
	/* Vietnamese, in NFC and NFD, and plain ASCII stay as they are */
	esc_is("Nguyễn Thị Đào, xã Tân Lập", 0, "Nguyễn Thị Đào, xã Tân Lập");
	esc_is("Nguye\xcc\x82\xcc\x83n", 0, "Nguye\xcc\x82\xcc\x83n");
	esc_is("a\\x1b b", 0, "a\\x1b b");	/* a backslash is kept */
	/* the screen-clearing member name of a hostile bundle */
	esc_is("\x1b[2J\x1b[32mbundle is valid\x1b[0m", 0,
	    "\\x1b[2J\\x1b[32mbundle is valid\\x1b[0m");
	/* a file name stays on one line */
	esc_is("a\nb\rc\td", 0, "a\\nb\\rc\\td");
	esc_is("a\nb\rc\td", SOHOA_TERM_MULTILINE, "a\nb\\rc\td");
	/* other C0, DEL, C1 (U+009B is CSI), bidi override, separators */
	esc_is("\x01\x07\x08\x7f", 0, "\\x01\\x07\\x08\\x7f");
	esc_is("x\xc2\x9b" "2Jy", 0, "x\\u009b2Jy");
	esc_is("abc\xe2\x80\xaetxt.exe", 0, "abc\\u202etxt.exe");
	esc_is("\xe2\x81\xa6x\xe2\x80\xa8", 0, "\\u2066x\\u2028");
	/* invalid UTF-8: lone bytes, a cut sequence, overlong, surrogate */
	esc_is("a\xff\xfe" "b", 0, "a\\xff\\xfeb");
	esc_is("\xc3", 0, "\\xc3");
	esc_is("\xc0\xaf", 0, "\\xc0\\xaf");
	esc_is("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");
	/* a NUL inside the given length */
	esc_is("a\0b", 0, "a\\x00b");
	/* U+FFFD written out is text, not an invalid byte */
	esc_is("\xef\xbf\xbd", 0, "\xef\xbf\xbd");
}

static void
test_clip_cols(void)
{
	const char *s = "Đức 中文";	/* 中 and 文 take two columns each */
	size_t cols;

	CHECK_INT_EQ(strlen(s), sohoa_utf8_clip_cols(s, strlen(s), 100, &cols));
	CHECK_INT_EQ(8, cols);
	/* "Đức " is 4 columns, 中 would be 6: stop before it */
	CHECK_INT_EQ(7, sohoa_utf8_clip_cols(s, strlen(s), 5, &cols));
	CHECK_INT_EQ(4, cols);
	/* a combining mark takes no column and is not cut off its letter */
	CHECK_INT_EQ(3, sohoa_utf8_clip_cols("e\xcc\x82x", 4, 1, &cols));
	CHECK_INT_EQ(1, cols);
	CHECK_INT_EQ(0, sohoa_utf8_clip_cols(s, strlen(s), 0, NULL));
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
	test_json_controls();
	test_term_escape();
	test_clip_cols();
	test_fields();
	test_errors();
	return check_done("test_core");
}
