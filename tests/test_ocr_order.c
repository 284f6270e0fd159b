/*
 * Reading order of a page's words (ocr/tess_order.c, sohoa_tess_text), on
 * word boxes as Tesseract gave them for pages of varied seed 1001 (300 dpi,
 * 2480 pixels wide): the header's two columns come one after the other
 * even when a speck lies between them and the row is no wider apart than
 * two of its box's heights, or with no gap at all, or with a gap inside
 * one of them; a row of labels and a line with dashes are not split.
 * Tables of the third generator's seeds read cell by cell, columns of
 * verse a column after the other, and random boxes lose no word.  No
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

/*
 * seed 5104 clean/marriage-clean-03: Tesseract read the CHỒNG | VỢ table
 * column by column, the full-width lines below it in the left column's
 * flow; read row by row, cell by cell, the signatures one block after the
 * other.
 */
static const struct box table[] = {
	{ 776, 584, 950, 629, 0, 0, "CHỒNG" }, { 1765, 594, 1831, 641, 0, 0, "VỢ" },
	{ 416, 709, 485, 749, 1, 1, "Họ," }, { 499, 705, 572, 740, 1, 1, "chữ" },
	{ 580, 705, 672, 750, 1, 1, "đệm," }, { 686, 706, 756, 740, 1, 1, "tên:" },
	{ 769, 696, 870, 741, 1, 1, "Trân" }, { 888, 700, 1011, 752, 1, 1, "Đông" },
	{ 1031, 701, 1213, 753, 1, 1, "Phương" },
	{ 415, 819, 524, 866, 2, 2, "Ngày," },
	{ 538, 819, 661, 867, 2, 2, "tháng," }, { 675, 823, 760, 854, 2, 2, "năm" },
	{ 773, 821, 863, 855, 2, 2, "sinh:" },
	{ 878, 816, 1158, 858, 2, 2, "09/05/1974" },
	{ 391, 919, 392, 923, 3, 3, "-" }, { 416, 933, 496, 967, 3, 3, "Dân" },
	{ 508, 933, 575, 977, 3, 3, "tộc:" }, { 591, 927, 690, 968, 3, 3, "Kinh" },
	{ 416, 1002, 516, 1052, 4, 3, "Quốc" },
	{ 529, 1006, 613, 1049, 4, 3, "tịch:" },
	{ 626, 999, 717, 1049, 4, 3, "Việt" },
	{ 736, 1002, 844, 1041, 4, 3, "Nam" },
	{ 391, 1564, 461, 1596, 5, 4, "Nơi" },
	{ 474, 1562, 565, 1610, 5, 4, "đăng" },
	{ 577, 1563, 623, 1609, 5, 4, "ký" }, { 634, 1560, 693, 1597, 5, 4, "kết" },
	{ 706, 1563, 791, 1597, 5, 4, "hôn:" },
	{ 818, 1539, 874, 1603, 5, 4, "Ủy" }, { 892, 1551, 974, 1592, 5, 4, "ban" },
	{ 994, 1552, 1106, 1593, 5, 4, "nhân" },
	{ 1125, 1552, 1209, 1593, 5, 4, "dân" },
	{ 1229, 1552, 1408, 1606, 5, 4, "phường" },
	{ 1428, 1554, 1495, 1605, 5, 4, "Mỹ" },
	{ 1514, 1554, 1675, 1602, 5, 4, "Phước," },
	{ 1691, 1554, 1824, 1595, 5, 4, "thành" },
	{ 1844, 1551, 1932, 1606, 5, 4, "phố" },
	{ 1949, 1552, 2034, 1596, 5, 4, "Bến" },
	{ 2054, 1556, 2141, 1604, 5, 4, "Cát," },
	{ 2157, 1532, 2259, 1597, 5, 4, "tỉnh" },
	{ 391, 1686, 500, 1733, 6, 5, "Ngày," },
	{ 513, 1686, 637, 1734, 6, 5, "tháng," },
	{ 651, 1689, 736, 1721, 6, 5, "năm" },
	{ 748, 1687, 839, 1735, 6, 5, "đăng" },
	{ 851, 1688, 905, 1735, 6, 5, "ký:" },
	{ 934, 1679, 1205, 1722, 6, 5, "05/02/2011" },
	{ 797, 1779, 921, 1828, 7, 6, "Chồng" },
	{ 665, 2033, 763, 2068, 8, 7, "Tran" },
	{ 779, 2032, 890, 2082, 8, 7, "Dông" },
	{ 901, 2031, 1056, 2083, 8, 7, "Phương" },
	{ 1351, 713, 1420, 753, 9, 8, "Họ," },
	{ 1434, 709, 1507, 743, 9, 8, "chữ" },
	{ 1515, 709, 1607, 753, 9, 8, "đệm," },
	{ 1621, 709, 1691, 744, 9, 8, "tên:" },
	{ 1704, 704, 1764, 744, 9, 8, "Võ" },
	{ 1784, 700, 1907, 756, 9, 8, "Hồng" },
	{ 1926, 701, 2021, 751, 9, 8, "Quế" },
	{ 1350, 823, 1459, 870, 10, 8, "Ngày," },
	{ 1473, 823, 1596, 871, 10, 8, "tháng," },
	{ 1610, 826, 1695, 858, 10, 8, "năm" },
	{ 1708, 824, 1798, 858, 10, 8, "sinh:" },
	{ 1814, 820, 1829, 858, 10, 8, "1" },
	{ 1842, 820, 2091, 862, 10, 8, "7/07/1986" },
	{ 1350, 936, 1431, 971, 11, 9, "Dân" },
	{ 1443, 937, 1510, 981, 11, 9, "tộc:" },
	{ 1527, 931, 1625, 971, 11, 9, "Kinh" },
	{ 1351, 1005, 1451, 1055, 12, 9, "Quốc" },
	{ 1464, 1009, 1548, 1053, 12, 9, "tịch:" },
	{ 1561, 1003, 1652, 1053, 12, 9, "Việt" },
	{ 1671, 1005, 1779, 1044, 12, 9, "Nam" },
	{ 1768, 1790, 1821, 1828, 13, 10, "Vợ" },
	{ 1660, 2037, 1710, 2071, 14, 11, "Võ" },
	{ 1722, 2037, 1834, 2086, 14, 11, "Hùng" },
	{ 1842, 2038, 1935, 2086, 14, 11, "Quế" },
};

/*
 * seed 5104 clean/marriage-clean-02 (200 dpi): the table's rows read
 * whole, both cells on a line, one of them with its cells closer than
 * line_parts' gap; a cell of two lines is read whole, left then right.
 */
static const struct box rows[] = {
	{ 273, 494, 321, 521, 0, 0, "Họ," }, { 331, 491, 375, 515, 0, 0, "chữ" },
	{ 390, 482, 450, 529, 0, 0, "đệm," }, { 460, 491, 508, 515, 0, 0, "tên:" },
	{ 519, 486, 605, 515, 0, 0, "Danh" }, { 618, 486, 669, 524, 0, 0, "Thị" },
	{ 684, 488, 752, 516, 0, 0, "Som" }, { 768, 489, 854, 525, 0, 0, "Nang" },
	{ 928, 496, 976, 523, 0, 0, "Họ," }, { 986, 493, 1031, 517, 0, 0, "chữ" },
	{ 1042, 484, 1100, 528, 0, 0, "đệm," },
	{ 1114, 493, 1162, 517, 0, 0, "tên:" },
	{ 1174, 488, 1259, 518, 0, 0, "Danh" },
	{ 1273, 488, 1312, 518, 0, 0, "Sô" },
	{ 1326, 488, 1429, 518, 0, 0, "Phanh" },
	{ 273, 587, 348, 620, 1, 1, "Ngày," },
	{ 358, 587, 444, 620, 1, 1, "tháng," }, { 454, 589, 512, 611, 1, 1, "năm" },
	{ 521, 588, 583, 611, 1, 1, "sinh:" },
	{ 594, 582, 801, 616, 1, 1, "26/12/1981" },
	{ 927, 589, 1003, 622, 1, 1, "Ngày," },
	{ 1013, 589, 1098, 622, 1, 1, "tháng," },
	{ 1108, 591, 1167, 613, 1, 1, "năm" },
	{ 1176, 590, 1238, 613, 1, 1, "sinh:" },
	{ 1250, 584, 1456, 618, 1, 1, "16/06/1985" },
	{ 273, 682, 328, 706, 2, 2, "Dân" }, { 337, 683, 383, 713, 2, 2, "tộc:" },
	{ 395, 677, 504, 707, 2, 2, "Khmer" }, { 927, 685, 983, 709, 2, 2, "Dân" },
	{ 992, 685, 1038, 716, 2, 2, "tộc:" },
	{ 1049, 680, 1180, 710, 2, 2, "Khơ-me" },
	{ 273, 748, 343, 783, 3, 2, "Quếc" }, { 352, 751, 409, 781, 3, 2, "tịch:" },
	{ 418, 745, 487, 783, 3, 2, "Việt" }, { 501, 748, 575, 775, 3, 2, "Nam" },
	{ 928, 751, 997, 785, 3, 2, "Quốc" },
	{ 1006, 753, 1064, 784, 3, 2, "tịch:" },
	{ 1073, 748, 1141, 785, 3, 2, "Việt" },
	{ 1156, 750, 1229, 778, 3, 2, "Nam" }, { 272, 849, 320, 871, 4, 3, "Nơi" },
	{ 329, 847, 357, 871, 4, 3, "cử" }, { 367, 848, 411, 871, 4, 3, "trú:" },
	{ 421, 834, 465, 880, 4, 3, "Âp" }, { 477, 842, 535, 872, 4, 3, "Trà" },
	{ 550, 842, 622, 877, 4, 3, "Kha," }, { 637, 845, 675, 873, 4, 3, "xã" },
	{ 689, 845, 724, 873, 4, 3, "1a" }, { 739, 843, 823, 877, 4, 3, "RBol," },
	{ 837, 843, 881, 881, 4, 3, "thị" }, { 926, 851, 975, 873, 4, 3, "Nơi" },
	{ 986, 849, 1015, 873, 4, 3, "cử" }, { 1021, 850, 1066, 874, 4, 3, "trú:" },
	{ 1077, 844, 1167, 874, 4, 3, "Phụm" },
	{ 1181, 847, 1223, 874, 4, 3, "Ta" }, { 1237, 837, 1285, 879, 4, 3, "Ôt," },
	{ 1300, 848, 1338, 875, 4, 3, "xã" }, { 1353, 845, 1417, 875, 4, 3, "Hòa" },
	{ 1430, 846, 1547, 883, 4, 3, "Thạnh," },
	{ 272, 904, 310, 931, 5, 4, "xã" }, { 323, 904, 408, 940, 5, 4, "Ayun" },
	{ 424, 904, 473, 936, 5, 4, "Pa," }, { 487, 901, 553, 932, 5, 4, "tỉnh" },
	{ 567, 905, 621, 932, 5, 4, "Gia" }, { 636, 905, 682, 932, 5, 4, "Lai" },
	{ 928, 904, 1027, 942, 5, 4, "huyện" },
	{ 1041, 907, 1113, 934, 5, 4, "Tam" },
	{ 1128, 904, 1211, 939, 5, 4, "Bình," },
	{ 1225, 904, 1292, 934, 5, 4, "tỉnh" },
	{ 1305, 905, 1380, 934, 5, 4, "Vĩnh" },
	{ 1396, 908, 1473, 943, 5, 4, "Long" },
	{ 272, 1009, 333, 1044, 6, 4, "Giấy" },
	{ 341, 1011, 365, 1035, 6, 4, "tờ" }, { 377, 1012, 418, 1044, 6, 4, "tùy" },
	{ 427, 1012, 494, 1036, 6, 4, "thân:" },
	{ 504, 1007, 568, 1036, 6, 4, "Căn" },
	{ 582, 1007, 666, 1037, 6, 4, "cước" }, { 680, 997, 715, 1037, 6, 4, "số" },
	{ 927, 1011, 987, 1046, 6, 4, "Giấy" },
	{ 997, 1014, 1021, 1037, 6, 4, "tờ" },
	{ 1031, 1014, 1073, 1046, 6, 4, "tùy" },
	{ 1081, 1014, 1149, 1038, 6, 4, "thân:" },
	{ 1159, 999, 1197, 1038, 6, 4, "Số" },
	{ 1211, 1009, 1283, 1046, 6, 4, "định" },
	{ 1297, 1009, 1379, 1039, 6, 4, "danh" },
	{ 1393, 1009, 1429, 1039, 6, 4, "cá" },
	{ 1444, 1010, 1536, 1039, 6, 4, "nhân:" },
	{ 272, 1068, 532, 1097, 7, 4, "064181996867" },
	{ 926, 1070, 1187, 1099, 7, 4, "086085732149" },
	{ 257, 1166, 305, 1188, 8, 5, "Nơi" },
	{ 314, 1165, 377, 1198, 8, 5, "đăng" },
	{ 386, 1165, 414, 1197, 8, 5, "ký" }, { 427, 1163, 468, 1189, 8, 5, "kết" },
	{ 477, 1165, 536, 1189, 8, 5, "hôn:" },
	{ 552, 1150, 595, 1196, 8, 5, "Ủy" }, { 608, 1159, 667, 1188, 8, 5, "ban" },
	{ 682, 1159, 764, 1189, 8, 5, "nhân" },
	{ 778, 1159, 839, 1189, 8, 5, "dân" }, { 853, 1162, 891, 1189, 8, 5, "xã" },
	{ 906, 1160, 970, 1189, 8, 5, "Hòa" },
	{ 983, 1160, 1100, 1197, 8, 5, "Thạnh," },
	{ 1116, 1160, 1216, 1198, 8, 5, "huyện" },
	{ 1229, 1163, 1301, 1191, 8, 5, "Tam" },
	{ 1317, 1161, 1399, 1195, 8, 5, "Bình," },
	{ 1414, 1160, 1480, 1191, 8, 5, "tỉnh" },
};

/*
 * seed 5105 mild/marriage-mild-01 (200 dpi): the title read after the
 * table's first rows below it, "Nơi đăng ký kết hôn" after the
 * signatures below it.
 */
static const struct box late[] = {
	{ 236, 266, 274, 292, 0, 0, "Số:" },
	{ 292, 266, 387, 288, 0, 0, "21/2014" },
	{ 508, 391, 610, 421, 1, 1, "CHỒNG" }, { 251, 468, 293, 496, 2, 1, "Họ," },
	{ 303, 467, 353, 490, 2, 1, "chữ" }, { 362, 467, 429, 495, 2, 1, "đệm," },
	{ 439, 467, 489, 490, 2, 1, "tên:" }, { 502, 469, 552, 498, 2, 1, "Ngô" },
	{ 564, 469, 613, 490, 2, 1, "Bửu" }, { 627, 469, 684, 497, 2, 1, "Diệp" },
	{ 251, 537, 320, 566, 3, 2, "Ngày," },
	{ 330, 537, 413, 566, 3, 2, "tháng," }, { 425, 537, 480, 560, 3, 2, "năm" },
	{ 491, 537, 551, 560, 3, 2, "sinh:" },
	{ 565, 540, 698, 561, 3, 2, "19/10/1976" },
	{ 617, 307, 702, 347, 4, 3, "GIẤY" }, { 713, 309, 854, 347, 4, 3, "CHỨNG" },
	{ 868, 318, 976, 354, 4, 3, "NHẠN" }, { 990, 307, 1056, 347, 4, 3, "KẾT" },
	{ 1069, 310, 1151, 347, 4, 3, "HÔN" }, { 1189, 397, 1232, 427, 5, 4, "VỢ" },
	{ 901, 469, 942, 496, 6, 4, "Họ," }, { 952, 467, 1002, 490, 6, 4, "chữ" },
	{ 1011, 467, 1078, 496, 6, 4, "đệm," },
	{ 1088, 467, 1138, 490, 6, 4, "tên:" },
	{ 1151, 465, 1249, 498, 6, 4, "Nguyễn" },
	{ 1260, 468, 1300, 495, 6, 4, "Thị" },
	{ 1313, 469, 1352, 495, 6, 4, "Bội" },
	{ 901, 537, 969, 566, 7, 5, "Ngày," },
	{ 979, 537, 1063, 566, 7, 5, "tháng," },
	{ 1074, 538, 1130, 560, 7, 5, "năm" },
	{ 1141, 537, 1201, 560, 7, 5, "sinh:" },
	{ 1212, 540, 1347, 562, 7, 5, "08/10/1980" },
	{ 237, 953, 305, 982, 8, 6, "Ngày," },
	{ 315, 953, 399, 982, 8, 6, "tháng," }, { 410, 953, 466, 976, 8, 6, "năm" },
	{ 476, 953, 542, 982, 8, 6, "đăng" }, { 552, 953, 587, 981, 8, 6, "ký:" },
	{ 610, 950, 743, 972, 8, 6, "13/02/2014" },
	{ 542, 1025, 578, 1050, 9, 7, "Vợ" },
	{ 388, 1053, 427, 1080, 10, 7, "(Ký," },
	{ 436, 1054, 471, 1081, 10, 7, "ghi" },
	{ 482, 1055, 505, 1076, 10, 7, "rõ" },
	{ 514, 1054, 549, 1080, 10, 7, "họ," },
	{ 559, 1054, 605, 1076, 10, 7, "chữ" },
	{ 613, 1054, 674, 1081, 10, 7, "đệm," },
	{ 683, 1054, 731, 1079, 10, 7, "tên)" },
	{ 463, 1183, 560, 1215, 11, 8, "Nguyễn" },
	{ 571, 1187, 608, 1215, 11, 8, "Thị" },
	{ 617, 1187, 657, 1215, 11, 8, "Bội" },
	{ 237, 906, 281, 929, 12, 9, "Nơi" }, { 291, 905, 357, 934, 12, 9, "đăng" },
	{ 367, 906, 395, 934, 12, 9, "ký" }, { 405, 904, 444, 929, 12, 9, "kết" },
	{ 455, 905, 511, 929, 12, 9, "hôn:" }, { 534, 899, 567, 932, 12, 9, "Ủy" },
	{ 579, 903, 623, 925, 12, 9, "ban" }, { 636, 903, 698, 925, 12, 9, "nhân" },
	{ 710, 903, 755, 925, 12, 9, "dân" }, { 767, 905, 795, 925, 12, 9, "xã" },
	{ 805, 904, 839, 925, 12, 9, "An" }, { 852, 903, 920, 929, 12, 9, "Ninh," },
	{ 932, 903, 1010, 933, 12, 9, "huyện" },
	{ 1022, 903, 1089, 925, 12, 9, "Châu" },
	{ 1100, 903, 1190, 929, 12, 9, "Thành," },
	{ 1201, 903, 1251, 925, 12, 9, "tỉnh" },
	{ 1263, 903, 1305, 925, 12, 9, "Sóc" },
	{ 1316, 904, 1391, 933, 12, 9, "Trăng" },
	{ 1170, 1021, 1249, 1050, 13, 10, "Chồng" },
	{ 1038, 1053, 1077, 1080, 14, 10, "(Ký," },
	{ 1086, 1054, 1121, 1081, 14, 10, "ghi" },
	{ 1132, 1055, 1155, 1076, 14, 10, "rõ" },
	{ 1164, 1054, 1199, 1081, 14, 10, "họ," },
	{ 1209, 1054, 1255, 1076, 14, 10, "chữ" },
	{ 1263, 1054, 1324, 1080, 14, 10, "đệm," },
	{ 1333, 1053, 1381, 1079, 14, 10, "tên)" },
	{ 1121, 1188, 1172, 1215, 15, 11, "Ngô" },
	{ 1183, 1187, 1232, 1210, 15, 11, "Bửu" },
	{ 1242, 1188, 1299, 1215, 15, 11, "Diệp" },
};

/*
 * samples/real/vietsample2-p2 (a song sheet, 300 dpi): two columns of
 * verse, stanzas side by side, one line with a colon ("Cuội nghe:"):
 * no table, read a column after the other.
 */
static const struct box verse[] = {
	{ 382, 599, 490, 645, 0, 0, "Bóng" }, { 503, 601, 605, 646, 0, 0, "trăng" },
	{ 618, 591, 721, 647, 0, 0, "trắng" }, { 735, 602, 806, 647, 0, 0, "ngà" },
	{ 384, 656, 439, 692, 1, 0, "Có" }, { 456, 657, 521, 702, 1, 0, "cây" },
	{ 536, 656, 581, 693, 1, 0, "đa" }, { 594, 663, 632, 693, 1, 0, "to" },
	{ 383, 714, 439, 750, 2, 0, "Có" }, { 453, 705, 562, 761, 2, 0, "thằng" },
	{ 577, 715, 671, 758, 2, 0, "Cuội" }, { 686, 716, 746, 762, 2, 0, "già" },
	{ 383, 760, 455, 807, 3, 0, "Ôm" }, { 470, 772, 546, 814, 3, 0, "một" },
	{ 561, 763, 635, 808, 3, 0, "mối" }, { 651, 784, 721, 809, 3, 0, "mơ." },
	{ 381, 830, 482, 875, 4, 0, "Lặng" }, { 497, 830, 567, 875, 4, 0, "yên" },
	{ 580, 836, 617, 866, 4, 0, "ta" }, { 631, 830, 691, 867, 4, 0, "nói" },
	{ 707, 831, 801, 873, 4, 0, "Cuội" }, { 817, 832, 921, 878, 4, 0, "nghe:" },
	{ 381, 876, 436, 922, 5, 0, "“Ở" }, { 452, 898, 547, 933, 5, 0, "cung" },
	{ 560, 889, 663, 934, 5, 0, "trăng" }, { 678, 888, 748, 924, 5, 0, "mãi" },
	{ 764, 888, 836, 925, 5, 0, "làm" }, { 852, 889, 931, 925, 5, 0, "chỉ”" },
	{ 1361, 598, 1456, 644, 6, 1, "Sáng" },
	{ 1471, 599, 1525, 635, 6, 1, "rơi" },
	{ 1540, 590, 1663, 646, 6, 1, "xuống" },
	{ 1678, 600, 1740, 636, 6, 1, "đời" },
	{ 1361, 656, 1455, 702, 7, 1, "Sáng" },
	{ 1471, 656, 1529, 693, 7, 1, "leo" },
	{ 1545, 657, 1603, 693, 7, 1, "lên" },
	{ 1618, 658, 1684, 704, 7, 1, "cây" },
	{ 1360, 713, 1455, 759, 8, 1, "Sáng" },
	{ 1471, 714, 1545, 750, 8, 1, "mỏi" },
	{ 1561, 714, 1653, 751, 8, 1, "chân" },
	{ 1667, 706, 1720, 751, 8, 1, "rồi" },
	{ 1360, 771, 1455, 817, 9, 1, "Sáng" },
	{ 1469, 763, 1555, 818, 9, 1, "ngồi" },
	{ 1570, 763, 1694, 819, 9, 1, "xuống" },
	{ 1709, 773, 1786, 820, 9, 1, "đây." },
	{ 1358, 828, 1462, 874, 10, 1, "Cùng" },
	{ 1476, 830, 1581, 875, 10, 1, "trông" },
	{ 1597, 829, 1666, 866, 10, 1, "ánh" },
	{ 1682, 831, 1769, 877, 10, 1, "sáng" },
	{ 1785, 831, 1870, 867, 10, 1, "cười" },
	{ 1886, 832, 1947, 868, 10, 1, "vui" },
	{ 1357, 886, 1425, 928, 11, 1, "Chị" },
	{ 1441, 898, 1499, 922, 11, 1, "em" },
	{ 1512, 893, 1550, 923, 11, 1, "ta" },
	{ 1563, 887, 1633, 934, 11, 1, "hãy" },
	{ 1648, 888, 1719, 924, 11, 1, "đùa" },
	{ 1733, 888, 1817, 925, 11, 1, "chơi" },
};

/*
 * Whatever the boxes, the text holds every word once: pages of random
 * lines (columns, jumps up, rows of two parts, labels, late lines) from a
 * fixed seed, each word a number, counted back from the text.
 */
static void
check_words_kept(void)
{
	enum { NPAGES = 300, MAXW = 120 };
	static const char *words[] = { "Họ:", "tên", "Dân", "tộc:" };
	struct sohoa_page page;
	struct sohoa_word w[MAXW];
	char text[MAXW][16];
	unsigned seed = 12345, n, i, k, lines, line, x, y, seen[MAXW];
	unsigned tab, row, nk;
	struct sohoa_buf out = SOHOA_BUF_INIT;
	const char *p;
	char *end;
	int pg, bad = 0;

#define RND(m) (seed = seed * 1103515245u + 12345u, (seed >> 16) % (m))
	for (pg = 0; pg < NPAGES; pg++) {
		memset(&page, 0, sizeof(page));
		lines = 2 + RND(30);
		n = 0;
		tab = RND(2);
		for (line = 0; line < lines && n < MAXW; line++) {
			/*
			 * a table: the left column's rows, then the right
			 * one's from the top again, a line anywhere now and
			 * then; else a column's line, a jump up, anywhere
			 */
			if (tab) {
				row = line < lines / 2 ? line : line - lines / 2;
				x = line < lines / 2 ? 400 : 1300;
				y = 300 + 70 * row + (row / 2) * 40;
				if (RND(6) == 0)
					y = 300 + RND(2000);
			} else {
				x = RND(3) == 0 ? 1300 + RND(40) :
				    400 + RND(40);
				y = RND(4) == 0 ? 300 + RND(2000) :
				    300 + 70 * line;
			}
			nk = 1 + RND(6);
			for (k = 0; k < nk && n < MAXW; k++, n++) {
				if (k == 1 && RND(3) == 0)
					x += 700;	/* a second part */
				w[n].x0 = (int)x;
				w[n].x1 = (int)x + 40 + (int)RND(80);
				w[n].y0 = (int)y + (int)RND(5);
				w[n].y1 = w[n].y0 + 40 + (int)RND(20);
				w[n].line = (int)line;
				w[n].block = (int)(line / (1 + RND(4)));
				w[n].conf = 90;
				if (k < 4 && RND(tab ? 2 : 4) == 0)
					snprintf(text[n], sizeof(text[n]), "%s",
					    words[k]);
				else
					snprintf(text[n], sizeof(text[n]), "%u",
					    n);
				w[n].text = text[n];
				x = (unsigned)w[n].x1 + 10;
			}
		}
		page.words = w;
		page.nwords = n;
		out.len = 0;
		if (sohoa_tess_text(&page, 2480, &out) != SOHOA_OK) {
			bad++;
			continue;
		}
		/* numbered words once each, labels as many as there were */
		memset(seen, 0, sizeof(seen));
		k = 0;
		for (p = out.buf; p != NULL && *p != '\0'; ) {
			while (*p == ' ' || *p == '\n')
				p++;
			if (*p == '\0')
				break;
			if (*p >= '0' && *p <= '9') {
				i = (unsigned)strtoul(p, &end, 10);
				if (i < MAXW)
					seen[i]++;
				p = end;
			} else {
				k++;
				while (*p != '\0' && *p != ' ' && *p != '\n')
					p++;
			}
		}
		for (line = 0, i = 0; i < n; i++) {
			if (text[i][0] < '0' || text[i][0] > '9')
				line++;		/* a word of the list */
			else if (seen[i] != 1)
				break;
		}
		if (i < n || k != line)
			bad++;
	}
#undef RND
	sohoa_buf_release(&out);
	CHECK_INT_EQ(0, bad);
}

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
	check_text(table, sizeof(table) / sizeof(table[0]), 2480,
	    "CHỒNG VỢ\n"
	    "\n"
	    "Họ, chữ đệm, tên: Trân Đông Phương\n"
	    "\n"
	    "Họ, chữ đệm, tên: Võ Hồng Quế\n"
	    "\n"
	    "Ngày, tháng, năm sinh: 09/05/1974\n"
	    "\n"
	    "Ngày, tháng, năm sinh: 1 7/07/1986\n"
	    "\n"
	    "- Dân tộc: Kinh\n"
	    "\n"
	    "Dân tộc: Kinh\n"
	    "\n"
	    "Quốc tịch: Việt Nam\n"
	    "\n"
	    "Quốc tịch: Việt Nam\n"
	    "\n"
	    "Nơi đăng ký kết hôn: Ủy ban nhân dân phường Mỹ Phước, thành phố "
	    "Bến Cát, tỉnh\n"
	    "\n"
	    "Ngày, tháng, năm đăng ký: 05/02/2011\n"
	    "\n"
	    "Chồng\n"
	    "\n"
	    "Tran Dông Phương\n"
	    "\n"
	    "Vợ\n"
	    "\n"
	    "Võ Hùng Quế\n", "a table read by columns");
	check_text(rows, sizeof(rows) / sizeof(rows[0]), 1653,
	    "Họ, chữ đệm, tên: Danh Thị Som Nang Họ, chữ đệm, tên: Danh Sô "
	    "Phanh\n"
	    "\n"
	    "Ngày, tháng, năm sinh: 26/12/1981 Ngày, tháng, năm sinh: "
	    "16/06/1985\n"
	    "\n"
	    "Dân tộc: Khmer Dân tộc: Khơ-me\n"
	    "Quếc tịch: Việt Nam Quốc tịch: Việt Nam\n"
	    "\n"
	    "Nơi cử trú: Âp Trà Kha, xã 1a RBol, thị\n"
	    "xã Ayun Pa, tỉnh Gia Lai\n"
	    "Nơi cử trú: Phụm Ta Ôt, xã Hòa Thạnh,\n"
	    "huyện Tam Bình, tỉnh Vĩnh Long\n"
	    "Giấy tờ tùy thân: Căn cước số\n"
	    "064181996867\n"
	    "Giấy tờ tùy thân: Số định danh cá nhân:\n"
	    "086085732149\n"
	    "\n"
	    "Nơi đăng ký kết hôn: Ủy ban nhân dân xã Hòa Thạnh, huyện Tam "
	    "Bình, tỉnh\n", "a table read by rows");
	check_text(late, sizeof(late) / sizeof(late[0]), 1653,
	    "Số: 21/2014\n"
	    "\n"
	    "GIẤY CHỨNG NHẠN KẾT HÔN\n"
	    "\n"
	    "CHỒNG\n"
	    "\n"
	    "VỢ\n"
	    "\n"
	    "Họ, chữ đệm, tên: Ngô Bửu Diệp\n"
	    "\n"
	    "Họ, chữ đệm, tên: Nguyễn Thị Bội\n"
	    "\n"
	    "Ngày, tháng, năm sinh: 19/10/1976\n"
	    "\n"
	    "Ngày, tháng, năm sinh: 08/10/1980\n"
	    "\n"
	    "Nơi đăng ký kết hôn: Ủy ban nhân dân xã An Ninh, huyện Châu "
	    "Thành, tỉnh Sóc Trăng\n"
	    "\n"
	    "Ngày, tháng, năm đăng ký: 13/02/2014\n"
	    "\n"
	    "Vợ\n"
	    "(Ký, ghi rõ họ, chữ đệm, tên)\n"
	    "\n"
	    "Nguyễn Thị Bội\n"
	    "\n"
	    "Chồng\n"
	    "(Ký, ghi rõ họ, chữ đệm, tên)\n"
	    "\n"
	    "Ngô Bửu Diệp\n", "lines read late");
	check_text(verse, sizeof(verse) / sizeof(verse[0]), 2550,
	    "Bóng trăng trắng ngà\n"
	    "Có cây đa to\n"
	    "Có thằng Cuội già\n"
	    "Ôm một mối mơ.\n"
	    "Lặng yên ta nói Cuội nghe:\n"
	    "“Ở cung trăng mãi làm chỉ”\n"
	    "\n"
	    "Sáng rơi xuống đời\n"
	    "Sáng leo lên cây\n"
	    "Sáng mỏi chân rồi\n"
	    "Sáng ngồi xuống đây.\n"
	    "Cùng trông ánh sáng cười vui\n"
	    "Chị em ta hãy đùa chơi\n", "two columns of verse");
	check_words_kept();
	return check_done("test_ocr_order");
}
