/*
 * Reading order of a page's words (ocr/tess.c, sohoa_tess_text), on word
 * boxes as Tesseract gave them for pages of varied seed 1001 (300 dpi,
 * 2480 pixels wide): the header's two columns come one after the other
 * even when a speck lies between them and the row is no wider apart than
 * two of its box's heights, or with no gap at all, or with a gap inside
 * one of them; a row of labels and a line with dashes are not split.  No
 * OCR runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "tess_look.h"
#include "check.h"

struct box {
	int x0, y0, x1, y1, line, block;
	const char *text;
};

/* The text of words B[0..N) on a page PAGE_W wide, compared with WANT. */
static void
check_text(const struct box *b, size_t n, int page_w, const char *want,
    const char *what)
{
	struct sohoa_page page;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	size_t i;

	memset(&page, 0, sizeof(page));
	page.words = calloc(n, sizeof(*page.words));
	CHECK(page.words != NULL);
	if (page.words == NULL)
		return;
	for (i = 0; i < n; i++) {
		page.words[i].x0 = b[i].x0;
		page.words[i].y0 = b[i].y0;
		page.words[i].x1 = b[i].x1;
		page.words[i].y1 = b[i].y1;
		page.words[i].line = b[i].line;
		page.words[i].block = b[i].block;
		page.words[i].conf = 90;
		page.words[i].text = (char *)b[i].text;
	}
	page.nwords = n;
	CHECK_INT_EQ(SOHOA_OK, sohoa_tess_text(&page, page_w, &out));
	if (out.buf == NULL || strcmp(out.buf, want) != 0) {
		fprintf(stderr, "%s: got\n%s\nwant\n%s\n", what,
		    out.buf ? out.buf : "(nothing)", want);
		CHECK(0);
	}
	free(page.words);	/* the texts are the table's */
	sohoa_buf_release(&out);
}

/*
 * seed 1001 clean/birth-clean-02: "HOÀIÂN" and "CỘNG" are 118 pixels
 * apart, less than two of the row's box heights (74, taller by the marks
 * and the speck "ˆ" between them).
 */
static const struct box header[] = {
	{ 345, 192, 509, 232, 0, 0, "UBND" }, { 531, 183, 733, 241, 0, 0, "HUYỆN" },
	{ 754, 184, 996, 233, 0, 0, "HOÀIÂN" }, { 1056, 175, 1088, 249, 0, 0, "ˆ" },
	{ 1114, 182, 1280, 242, 0, 0, "CỘNG" }, { 1303, 185, 1431, 232, 0, 0, "HOÀ" },
	{ 1448, 186, 1524, 232, 0, 0, "XÃ" }, { 1543, 183, 1653, 243, 0, 0, "HỘI" },
	{ 1675, 180, 1802, 234, 0, 0, "CHỦ" }, { 1823, 187, 2019, 234, 0, 0, "NGHĨA" },
	{ 2035, 187, 2173, 245, 0, 0, "VIỆT" }, { 2193, 198, 2329, 234, 0, 0, "NAM" },
	{ 200, 271, 378, 310, 1, 0, "UBND" }, { 399, 271, 509, 321, 1, 0, "THỊ" },
	{ 530, 255, 697, 310, 1, 0, "TRẤN" }, { 717, 261, 884, 312, 1, 0, "TĂNG" },
	{ 909, 273, 1029, 323, 1, 0, "BẠT" }, { 1050, 254, 1140, 313, 1, 0, "HỔ" },
	{ 1312, 267, 1420, 321, 1, 0, "Độc" }, { 1442, 268, 1528, 321, 1, 0, "lập" },
	{ 1551, 293, 1567, 300, 1, 0, "-" }, { 1588, 272, 1668, 321, 1, 0, "Tự" },
	{ 1684, 270, 1751, 312, 1, 0, "do" }, { 1774, 293, 1790, 301, 1, 0, "-" },
	{ 1814, 271, 1968, 322, 1, 0, "Hạnh" }, { 1988, 269, 2131, 322, 1, 0, "phúc" },
	{ 388, 379, 463, 426, 2, 1, "Số:" }, { 486, 386, 952, 430, 2, 1, "44/2022/TLKS-BS" },
	{ 1170, 384, 1297, 436, 2, 1, "Tăng" }, { 1315, 386, 1407, 435, 2, 1, "Bạt" },
	{ 1422, 377, 1513, 432, 2, 1, "Hổ," }, { 1537, 383, 1661, 437, 2, 1, "ngày" },
	{ 1677, 387, 1743, 426, 2, 1, "27" }, { 1763, 384, 1909, 438, 2, 1, "tháng" },
	{ 1931, 387, 1992, 427, 2, 1, "08" }, { 2015, 386, 2121, 427, 2, 1, "năm" },
	{ 2141, 388, 2270, 428, 2, 1, "2022" },
	{ 903, 538, 1135, 597, 3, 2, "TRÍCH" }, { 1161, 550, 1302, 609, 3, 2, "LỤC" },
	{ 1329, 551, 1514, 597, 3, 2, "KHAI" }, { 1542, 551, 1725, 598, 3, 2, "SINH" },
};

/*
 * seed 1002 clean/marital_status-clean-01: the district's name runs up to
 * the motto, a word's space apart; the row below tells the blocks.
 */
static const struct box joined[] = {
	{ 291, 245, 455, 284, 0, 0, "UBND" }, { 477, 235, 679, 293, 0, 0, "HUYỆN" },
	{ 698, 230, 853, 285, 0, 0, "TRẦN" }, { 871, 236, 990, 285, 0, 0, "VĂN" },
	{ 1009, 236, 1148, 285, 0, 0, "THỜI" }, { 1171, 233, 1336, 293, 0, 0, "CỘNG" },
	{ 1361, 236, 1488, 283, 0, 0, "HÒA" }, { 1506, 236, 1582, 282, 0, 0, "XÃ" },
	{ 1601, 233, 1711, 293, 0, 0, "HỘI" }, { 1732, 230, 1859, 284, 0, 0, "CHỦ" },
	{ 1880, 237, 2076, 284, 0, 0, "NGHĨA" }, { 2093, 237, 2230, 294, 0, 0, "VIỆT" },
	{ 2251, 247, 2385, 283, 0, 0, "NAM" },
	{ 420, 319, 598, 358, 1, 0, "UBND" }, { 619, 309, 697, 357, 1, 0, "XÃ" },
	{ 716, 310, 883, 358, 1, 0, "TRẦN" }, { 906, 318, 1019, 369, 1, 0, "HỢI" },
	{ 1370, 313, 1476, 366, 1, 0, "Độc" }, { 1499, 313, 1586, 366, 1, 0, "lập" },
	{ 1608, 338, 1624, 345, 1, 0, "-" }, { 1646, 317, 1726, 367, 1, 0, "Tự" },
	{ 1742, 316, 1809, 356, 1, 0, "do" }, { 1832, 339, 1848, 346, 1, 0, "-" },
	{ 1871, 316, 2026, 367, 1, 0, "Hạnh" }, { 2046, 314, 2189, 367, 1, 0, "phúc" },
};

/*
 * seed 101 clean/marital_status-clean-01: the motto's boxes leave a gap
 * inside it ("do -" to "Hạnh", once the dash is a speck) as wide as two
 * of its words' heights: a row of two parts both right of the blocks'
 * split is still the right block's.
 */
static const struct box motto[] = {
	{ 419, 228, 563, 263, 0, 0, "UBND" }, { 579, 217, 653, 262, 0, 0, "XÃ" },
	{ 666, 228, 774, 262, 0, 0, "KIM" }, { 790, 216, 943, 263, 0, 0, "ĐỒNG" },
	{ 1217, 217, 1363, 270, 0, 0, "CỘNG" }, { 1378, 216, 1490, 260, 0, 0, "HÒA" },
	{ 1502, 217, 1572, 260, 0, 0, "XÃ" }, { 1587, 217, 1681, 270, 0, 0, "HỘI" },
	{ 1698, 217, 1805, 260, 0, 0, "CHỦ" }, { 1820, 217, 1987, 260, 0, 0, "NGHĨA" },
	{ 1997, 217, 2118, 270, 0, 0, "VIỆT" }, { 2131, 227, 2248, 260, 0, 0, "NAM" },
	{ 1416, 296, 1474, 332, 1, 1, "Độc" }, { 1516, 296, 1550, 332, 1, 1, "lập" },
	{ 1598, 318, 1612, 323, 1, 1, "-" }, { 1626, 296, 1733, 333, 1, 1, "Tự" },
	{ 1708, 267, 1755, 346, 1, 1, "do" }, { 1774, 318, 1788, 323, 1, 1, "-" },
	{ 1900, 296, 1927, 332, 1, 1, "Hạnh" }, { 1971, 295, 2020, 332, 1, 1, "phú" },
	{ 503, 331, 565, 369, 2, 1, "Số:" }, { 584, 333, 861, 369, 2, 1, "34/XNTTHN" },
};

/* Label rows, left-aligned with wide gaps: never a pair of blocks. */
static const struct box labels[] = {
	{ 349, 900, 470, 945, 0, 0, "Giới" }, { 490, 900, 600, 945, 0, 0, "tính:" },
	{ 620, 900, 690, 945, 0, 0, "Nữ" },
	{ 1000, 900, 1100, 945, 0, 0, "Dân" }, { 1120, 900, 1210, 945, 0, 0, "tộc:" },
	{ 1230, 900, 1330, 945, 0, 0, "Kinh" },
	{ 349, 970, 480, 1015, 1, 0, "Quốc" }, { 500, 970, 600, 1015, 1, 0, "tịch:" },
	{ 620, 970, 720, 1015, 1, 0, "Việt" }, { 740, 970, 840, 1015, 1, 0, "Nam" },
	{ 1000, 970, 1100, 1015, 1, 0, "Dân" }, { 1120, 970, 1210, 1015, 1, 0, "tộc:" },
	{ 1230, 970, 1330, 1015, 1, 0, "Kinh" },
};

int
main(void)
{
	sohoa_global_init();
	check_text(header, sizeof(header) / sizeof(header[0]), 2480,
	    "UBND HUYỆN HOÀIÂN ˆ\n"
	    "UBND THỊ TRẤN TĂNG BẠT HỔ\n"
	    "Số: 44/2022/TLKS-BS\n"
	    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	    "Độc lập - Tự do - Hạnh phúc\n"
	    "Tăng Bạt Hổ, ngày 27 tháng 08 năm 2022\n"
	    "\n"
	    "TRÍCH LỤC KHAI SINH\n", "two-column header with a speck");
	check_text(joined, sizeof(joined) / sizeof(joined[0]), 2480,
	    "UBND HUYỆN TRẦN VĂN THỜI\n"
	    "UBND XÃ TRẦN HỢI\n"
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	    "Độc lập - Tự do - Hạnh phúc\n", "header row read without a gap");
	check_text(motto, sizeof(motto) / sizeof(motto[0]), 2480,
	    "UBND XÃ KIM ĐỒNG\n"
	    "Số: 34/XNTTHN\n"
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	    "Độc lập - Tự do - Hạnh phú\n", "a gap inside the motto");
	check_text(labels, sizeof(labels) / sizeof(labels[0]), 2480,
	    "Giới tính: Nữ Dân tộc: Kinh\n"
	    "Quốc tịch: Việt Nam Dân tộc: Kinh\n", "label rows");
	return check_done("test_ocr_order");
}
