/*
 * Search benchmark: builds an archive of N synthetic documents of
 * Vietnamese civil-status records (seeded; the forms of doctypes/ with
 * their labels, motto and signature blocks, 3% of words without their
 * marks as OCR leaves them), indexes it twice - with sohoa's index
 * (search_fts, learning the boilerplate first, as a rebuild does) and
 * with a plain FTS5 table (unicode61 remove_diacritics 2, default
 * options) of the document's title, fields and text - and prints, side
 * by side in one run:
 *
 *   - build time and bytes per page of both indexes;
 *   - latency (median per query, p50/p99 over all runs) of a fixed set
 *     of queries and of the judged queries;
 *   - precision at 1 and MRR of judged queries (bench/judged.h) made
 *     from randomly chosen documents: names with and without marks, IDs,
 *     partial IDs, kinds, kind + name, dates, name + year, places, typos.
 *
 *   search_bench [--pages N] [--dir DIR] [--seed S] [--runs R]
 *                [--judged DOCS] [--keep] [--reuse]
 *                [--min-p1 X] [--min-mrr Y]
 *
 * --reuse runs the queries again on the archive a --keep run left in
 * DIR.  --min-p1/--min-mrr make it exit 1 when sohoa's judged scores are
 * lower (the CTest search_bench_judged).  One page per document.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/archive.h"
#include "sohoa/search.h"
#include "sohoa/utf8.h"
#include "fts.h"
#include "judged.h"

/* ---- vocabulary -------------------------------------------------- */

/* Surnames with rough frequencies (per mille) of the Vietnamese population. */
static const struct {
	const char *name;
	int weight;
} surnames[] = {
	{ "Nguyễn", 380 }, { "Trần", 110 }, { "Lê", 95 }, { "Phạm", 71 },
	{ "Hoàng", 41 }, { "Huỳnh", 30 }, { "Phan", 45 }, { "Vũ", 25 },
	{ "Võ", 14 }, { "Đặng", 21 }, { "Bùi", 20 }, { "Đỗ", 14 },
	{ "Hồ", 13 }, { "Ngô", 13 }, { "Dương", 10 }, { "Lý", 5 },
	{ "Đinh", 8 }, { "Đoàn", 6 }, { "Trương", 6 }, { "Lương", 5 },
	{ "Mai", 4 }, { "Trịnh", 5 }, { "Cao", 4 }, { "Lâm", 4 },
	{ "Tạ", 3 }, { "Hà", 4 }, { "Quách", 2 }, { "Lệ", 1 },
	{ "Kiều", 2 }, { "Châu", 2 }, { "Thái", 2 }, { "Tôn", 1 },
	{ "Ông", 1 }, { "Khổng", 1 }, { "Đàm", 1 }, { "Vương", 2 },
};

static const char *middle_m[] = {
	"Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình",
	"Ngọc", "Trọng", "Quang", "Thế", "Bá", "Tiến", "Mạnh", "Anh", "Gia",
};
static const char *middle_f[] = {
	"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Phương",
	"Bích", "Diệu", "Hồng", "Mỹ", "Khánh", "Bảo", "Thùy",
};
static const char *given_m[] = {
	"Đức", "Dũng", "Hùng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn",
	"Thắng", "Cường", "Hiếu", "Khoa", "Phúc", "Quân", "Trung", "Vinh",
	"Bình", "An", "Huy", "Khánh", "Lâm", "Lộc", "Nghĩa", "Phong", "Quý",
	"Tâm", "Thành", "Thịnh", "Toàn", "Trí", "Tùng", "Việt", "Bảo",
	"Đạt", "Duy", "Giang", "Hậu", "Hòa", "Kiên", "Lợi", "Mạnh", "Nhân",
	"Quang", "Tài", "Thái", "Thông", "Tiến", "Tú", "Vũ", "Khiêm", "Thụ",
	"Tám", "Lực", "Định", "Đông", "Hưng", "Kỳ",
};
static const char *given_f[] = {
	"Hoa", "Lan", "Mai", "Hương", "Linh", "Trang", "Hà", "Thảo", "Ngọc",
	"Anh", "Hằng", "Nhung", "Phương", "Thủy", "Yến", "Vy", "Chi", "Dung",
	"Giang", "Hạnh", "Hiền", "Huyền", "Lê", "Lệ", "Loan", "My", "Nga",
	"Ngân", "Nhi", "Oanh", "Quyên", "Tâm", "Thanh", "Thơ", "Thu", "Trâm",
	"Tuyết", "Uyên", "Vân", "Xuân", "Đào", "Liên", "Hồng", "Cúc", "Huệ",
	"Diệp", "Kiều", "Ly", "Nguyệt", "Sương",
};
static const char *provinces[] = {
	"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang",
	"Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
	"Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận",
	"Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
	"Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương",
	"Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
	"Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
	"Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
	"Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
	"Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
	"Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
	"Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
};
static const char *districts[] = {
	"Hòn Đất", "Châu Thành", "Phú Quốc", "Gò Quao", "Ba Vì", "Đông Anh",
	"Sóc Sơn", "Thanh Trì", "Gia Lâm", "Hoài Đức", "Củ Chi", "Bình Chánh",
	"Cần Giờ", "Nhà Bè", "Hóc Môn", "Tân Uyên", "Bến Cát", "Dầu Tiếng",
	"Cái Nước", "Năm Căn", "Ngọc Hiển", "Krông Pắc", "Ea Kar", "Buôn Đôn",
	"Mường Tè", "Sìn Hồ", "Tam Đường", "Bắc Hà", "Sa Pa", "Mộc Châu",
	"Quỳnh Lưu", "Diễn Châu", "Nghi Lộc", "Hương Sơn", "Kỳ Anh", "Đức Thọ",
	"Lệ Thủy", "Quảng Trạch", "Vĩnh Linh", "Hải Lăng", "Duy Xuyên",
	"Điện Bàn", "Núi Thành", "Sơn Tịnh", "Tuy Phước", "Hoài Nhơn",
	"Cam Lâm", "Diên Khánh", "Ninh Hải", "Hàm Thuận Bắc", "Đức Linh",
};
static const char *communes[] = {
	"Sơn Kim", "Bình Sơn", "Mỹ Lâm", "Thổ Sơn", "Nam Thái Sơn",
	"Lình Huỳnh",
	"Mỹ Hiệp Sơn", "Sơn Bình", "Tân Lập", "Tân Tiến", "Hòa Bình", "Hòa An",
	"Phước Long", "Phước Hòa", "An Thạnh", "An Hòa", "Đông Hòa", "Tây Hòa",
	"Vĩnh Thạnh", "Vĩnh Phú", "Long Hưng", "Long Phước", "Thạnh Lộc",
	"Xuân Thới", "Tân Hiệp", "Đức Hòa", "Nghĩa Trung", "Quảng Phú",
	"Cẩm Thành", "Kim Liên", "Đông Sơn", "Yên Phong", "Thuận Thành",
	"Lạc Long Quân", "Trần Phú", "Lê Lợi", "Quang Trung", "Hùng Vương",
};
static const char *ethnic[] = {
	"Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái",
	"Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Dao", "Ê Đê",
};
static const char *causes[] = {
	"bệnh già", "tai nạn giao thông", "bệnh tim mạch", "bệnh phổi",
	"đột quỵ", "ung thư", "bệnh hiểm nghèo", "tai nạn lao động",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const char *hamlets[] = {
	"Thôn Thượng", "Thôn Trung", "Thôn Hạ", "Thôn Đông", "Thôn Tây",
	"Ấp Bình An", "Ấp Phú Hòa", "Xóm Chùa", "Xóm Mới", "Bản Na",
};
static const char *purposes[] = {
	"Bổ sung hồ sơ vay vốn ngân hàng.", "Bổ sung hồ sơ xin việc.",
	"Đăng ký kết hôn.", "Làm thủ tục mua bán nhà đất.",
	"Bổ sung hồ sơ đi học.",
};
static const char *subjects[] = {
	"Về việc cải chính hộ tịch cho",
	"Về việc cho phép thay đổi họ, chữ đệm, tên cho",
	"Về việc xác định lại dân tộc cho",
	"Về việc bổ sung thông tin hộ tịch cho",
};

/* ---- a seeded generator ------------------------------------------ */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int
pick(int n)
{
	return (int)(rng() % (uint64_t)n);
}

static const char *
surname(void)
{
	static int total;
	int r, i;

	if (total == 0)
		for (i = 0; i < (int)N(surnames); i++)
			total += surnames[i].weight;
	r = pick(total);
	for (i = 0; i < (int)N(surnames); i++) {
		r -= surnames[i].weight;
		if (r < 0)
			return surnames[i].name;
	}
	return surnames[0].name;
}

static void
person(struct sohoa_buf *b, int female)
{
	sohoa_buf_reset(b);
	sohoa_buf_addf(b, "%s %s %s", surname(),
	    female ? middle_f[pick(N(middle_f))] : middle_m[pick(N(middle_m))],
	    female ? given_f[pick(N(given_f))] : given_m[pick(N(given_m))]);
}

struct place {
	const char *commune, *district, *province;
};

static void
new_place(struct place *p)
{
	p->commune = communes[pick(N(communes))];
	p->district = districts[pick(N(districts))];
	p->province = provinces[pick(N(provinces))];
}

/* "xã C, huyện D, tỉnh P" into B (appended). */
static void
place_str(struct sohoa_buf *b, const struct place *p)
{
	sohoa_buf_addf(b, "xã %s, huyện %s, tỉnh %s", p->commune, p->district,
	    p->province);
}

/*
 * OCR is not perfect: a few words lose their marks.  Done on the page text
 * only; extracted fields are as a clerk would correct them.
 */
static void
noisy(struct sohoa_buf *b, const char *text)
{
	const char *p = text, *e;
	struct sohoa_buf w = SOHOA_BUF_INIT;

	while (*p) {
		e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		if (pick(100) < 3) {
			sohoa_buf_reset(&w);
			sohoa_utf8_fold_n(p, (size_t)(e - p), &w);
			sohoa_buf_add(b, w.buf, w.len);
		} else {
			sohoa_buf_add(b, p, (size_t)(e - p));
		}
		if (*e == ' ' || *e == '\n')
			sohoa_buf_addch(b, *e++);
		p = e;
	}
	sohoa_buf_release(&w);
}

#define MAXF 20

/* One document: its type, title, date, page text and fields. */
struct gdoc {
	const char *type;
	struct sohoa_buf title, text, body;
	char date[11];
	int nf;
	const char *key[MAXF];
	struct sohoa_buf val[MAXF];
};

static void
fput(struct gdoc *d, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (d->nf >= MAXF)
		return;
	d->key[d->nf] = key;
	sohoa_buf_reset(&d->val[d->nf]);
	va_start(ap, fmt);
	sohoa_buf_vaddf(&d->val[d->nf], fmt, ap);
	va_end(ap);
	d->nf++;
}

static const char *
fget(const struct gdoc *d, const char *key)
{
	int i;

	for (i = 0; i < d->nf; i++)
		if (strcmp(d->key[i], key) == 0)
			return d->val[i].buf;
	return "";
}

struct date {
	int y, m, d;
};

static void
rand_date(struct date *t, int from, int to)
{
	t->y = from + pick(to - from + 1);
	t->m = 1 + pick(12);
	t->d = 1 + pick(28);
}

/* The commune office a dossier comes from. */
struct office {
	struct place p;
	struct sohoa_buf signer;
};

static void
header(struct gdoc *d, const struct office *o, const char *number,
    const struct date *issue)
{
	sohoa_buf_addf(&d->text, "ỦY BAN NHÂN DÂN\nXÃ %s\nSố: %s\n"
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
	    "%s, ngày %02d tháng %02d năm %04d\n", o->p.commune, number,
	    o->p.commune, issue->d, issue->m, issue->y);
	fput(d, "doc_number", "%s", number);
	fput(d, "issue_date", "%04d-%02d-%02d", issue->y, issue->m, issue->d);
	fput(d, "issuer", "ỦY BAN NHÂN DÂN XÃ %s", o->p.commune);
}

static void
signature(struct gdoc *d, const struct office *o, const char *who)
{
	sohoa_buf_addf(&d->text, "%s\n(Ký, ghi rõ họ, chữ đệm, tên, chức vụ "
	    "và đóng dấu)\nCHỦ TỊCH\n%s\n", who, o->signer.buf);
	fput(d, "signer", "%s", o->signer.buf);
}

static void
gen_doc(struct gdoc *d, const struct office *o, int64_t n)
{
	struct sohoa_buf name = SOHOA_BUF_INIT, other = SOHOA_BUF_INIT;
	struct sohoa_buf num = SOHOA_BUF_INIT, pl = SOHOA_BUF_INIT;
	struct sohoa_buf mother = SOHOA_BUF_INIT, father = SOHOA_BUF_INIT;
	struct place bp, hp, rp;
	struct date bd, reg, issue, dd;
	char id[48];	/* 12 digits; room for what the compiler fears */
	int female = pick(2), kind = pick(100), i;

	sohoa_buf_reset(&d->title);
	sohoa_buf_reset(&d->text);
	sohoa_buf_reset(&d->body);
	d->nf = 0;
	person(&name, female);
	rand_date(&bd, 1930, 2023);
	rand_date(&reg, bd.y < 2000 ? 2000 : bd.y, 2024);
	rand_date(&issue, reg.y, 2025);
	snprintf(id, sizeof(id), "0%02d%d%02d%06d", 1 + pick(95), female +
	    (bd.y >= 2000 ? 2 : 0), bd.y % 100, pick(1000000));
	new_place(&bp);
	new_place(&hp);
	new_place(&rp);
	if (kind < 45) {
		d->type = "birth";
		sohoa_buf_addf(&num, "%lld/%d/TLKS-BS", (long long)n % 997,
		    issue.y);
		header(d, o, num.buf, &issue);
		person(&mother, 1);
		person(&father, 0);
		sohoa_buf_addf(&d->text, "%s\nHọ, chữ đệm, tên: %s\n"
		    "Ngày, tháng, năm sinh: %02d/%02d/%04d\n"
		    "Giới tính: %s Dân tộc: %s Quốc tịch: Việt Nam\n"
		    "Nơi sinh: Trạm Y tế ", pick(2) ? "TRÍCH LỤC KHAI SINH" :
		    "GIẤY KHAI SINH", name.buf, bd.d, bd.m, bd.y,
		    female ? "Nữ" : "Nam", ethnic[pick(N(ethnic))]);
		place_str(&d->text, &bp);
		sohoa_buf_adds(&d->text, "\nQuê quán: ");
		place_str(&d->text, &hp);
		sohoa_buf_addf(&d->text, "\nSố định danh cá nhân: %s\n"
		    "Họ, chữ đệm, tên người mẹ: %s\nNăm sinh: %d Dân tộc: Kinh "
		    "Quốc tịch: Việt Nam\nNơi cư trú: %s, ", id, mother.buf,
		    bd.y - 20 - pick(15), hamlets[pick(N(hamlets))]);
		place_str(&d->text, &rp);
		sohoa_buf_addf(&d->text, "\nHọ, chữ đệm, tên người cha: %s\n"
		    "Năm sinh: %d Dân tộc: Kinh Quốc tịch: Việt Nam\n"
		    "Nơi cư trú: %s, ", father.buf, bd.y - 22 - pick(15),
		    hamlets[pick(N(hamlets))]);
		place_str(&d->text, &rp);
		sohoa_buf_adds(&d->text, "\nNơi đăng ký khai sinh: Ủy ban nhân "
		    "dân ");
		place_str(&d->text, &o->p);
		sohoa_buf_addf(&d->text, "\nNgày, tháng, năm đăng ký: "
		    "%02d/%02d/%04d\n", reg.d, reg.m, reg.y);
		signature(d, o, "NGƯỜI KÝ TRÍCH LỤC");
		fput(d, "full_name", "%s", name.buf);
		fput(d, "birth_date", "%04d-%02d-%02d", bd.y, bd.m, bd.d);
		fput(d, "sex", "%s", female ? "Nữ" : "Nam");
		sohoa_buf_reset(&pl);
		sohoa_buf_adds(&pl, "Trạm Y tế ");
		place_str(&pl, &bp);
		fput(d, "birth_place", "%s", pl.buf);
		sohoa_buf_reset(&pl);
		place_str(&pl, &hp);
		fput(d, "hometown", "%s", pl.buf);
		fput(d, "personal_id", "%s", id);
		fput(d, "mother_name", "%s", mother.buf);
		fput(d, "father_name", "%s", father.buf);
		sohoa_buf_reset(&pl);
		sohoa_buf_adds(&pl, "Ủy ban nhân dân ");
		place_str(&pl, &o->p);
		fput(d, "registration_place", "%s", pl.buf);
		fput(d, "registration_date", "%04d-%02d-%02d", reg.y, reg.m,
		    reg.d);
	} else if (kind < 60) {
		d->type = "death";
		sohoa_buf_addf(&num, "%lld/TLKT-BS", (long long)n % 9973);
		header(d, o, num.buf, &issue);
		rand_date(&dd, reg.y - 1 < bd.y ? bd.y : reg.y - 1, reg.y);
		sohoa_buf_addf(&d->text, "TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: "
		    "%s\nNgày, tháng, năm sinh: %02d/%02d/%04d\n"
		    "Giới tính: %s Dân tộc: %s Quốc tịch: Việt Nam\n"
		    "Số định danh cá nhân: %s\nĐã chết vào lúc: %02d giờ %02d "
		    "phút, ngày %02d/%02d/%04d\nNơi chết: Tại nhà, ", name.buf,
		    bd.d, bd.m, bd.y, female ? "Nữ" : "Nam",
		    ethnic[pick(N(ethnic))], id, pick(24), pick(60), dd.d, dd.m,
		    dd.y);
		place_str(&d->text, &rp);
		sohoa_buf_addf(&d->text, "\nNguyên nhân chết: %s\n"
		    "Nơi đăng ký khai tử: Ủy ban nhân dân ",
		    causes[pick(N(causes))]);
		place_str(&d->text, &o->p);
		sohoa_buf_addf(&d->text, "\nNgày, tháng, năm đăng ký: "
		    "%02d/%02d/%04d\n", reg.d, reg.m, reg.y);
		signature(d, o, "NGƯỜI KÝ TRÍCH LỤC");
		fput(d, "full_name", "%s", name.buf);
		fput(d, "birth_date", "%04d-%02d-%02d", bd.y, bd.m, bd.d);
		fput(d, "personal_id", "%s", id);
		fput(d, "death_date", "%04d-%02d-%02d", dd.y, dd.m, dd.d);
		sohoa_buf_reset(&pl);
		sohoa_buf_adds(&pl, "Tại nhà, ");
		place_str(&pl, &rp);
		fput(d, "death_place", "%s", pl.buf);
		sohoa_buf_reset(&pl);
		sohoa_buf_adds(&pl, "Ủy ban nhân dân ");
		place_str(&pl, &o->p);
		fput(d, "registration_place", "%s", pl.buf);
		fput(d, "registration_date", "%04d-%02d-%02d", reg.y, reg.m,
		    reg.d);
	} else if (kind < 75) {
		/* the husband is the record's person; the wife his spouse */
		d->type = "marriage";
		person(&name, 0);
		person(&other, 1);
		snprintf(id, sizeof(id), "0%02d%d%02d%06d", 1 + pick(95),
		    bd.y >= 2000 ? 2 : 0, bd.y % 100, pick(1000000));
		sohoa_buf_addf(&num, "%lld/%d", (long long)n % 997, reg.y);
		header(d, o, num.buf, &reg);
		sohoa_buf_addf(&d->text, "GIẤY CHỨNG NHẬN KẾT HÔN\n"
		    "Họ, chữ đệm, tên vợ: %s\nNgày, tháng, năm sinh: "
		    "%02d/%02d/%04d\nDân tộc: Kinh Quốc tịch: Việt Nam\n"
		    "Nơi cư trú: %s, ", other.buf, 1 + pick(28),
		    1 + pick(12), bd.y + pick(5), hamlets[pick(N(hamlets))]);
		place_str(&d->text, &hp);
		sohoa_buf_addf(&d->text, "\nHọ, chữ đệm, tên chồng: %s\n"
		    "Ngày, tháng, năm sinh: %02d/%02d/%04d\n"
		    "Dân tộc: Kinh Quốc tịch: Việt Nam\nGiấy tờ tùy thân: Căn "
		    "cước công dân số %s\nNơi cư trú: %s, ", name.buf, bd.d,
		    bd.m, bd.y, id, hamlets[pick(N(hamlets))]);
		place_str(&d->text, &rp);
		sohoa_buf_adds(&d->text, "\nNơi đăng ký kết hôn: Ủy ban nhân "
		    "dân ");
		place_str(&d->text, &o->p);
		sohoa_buf_addf(&d->text, "\nNgày, tháng, năm đăng ký: "
		    "%02d/%02d/%04d\nVợ\n(Ký, ghi rõ họ, chữ đệm, tên)\n%s\n"
		    "Chồng\n(Ký, ghi rõ họ, chữ đệm, tên)\n%s\n", reg.d, reg.m,
		    reg.y, other.buf, name.buf);
		signature(d, o, "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN");
		fput(d, "full_name", "%s", name.buf);
		fput(d, "spouse_name", "%s", other.buf);
		fput(d, "birth_date", "%04d-%02d-%02d", bd.y, bd.m, bd.d);
		fput(d, "personal_id", "%s", id);
		sohoa_buf_reset(&pl);
		sohoa_buf_adds(&pl, "Ủy ban nhân dân ");
		place_str(&pl, &o->p);
		fput(d, "registration_place", "%s", pl.buf);
		fput(d, "registration_date", "%04d-%02d-%02d", reg.y, reg.m,
		    reg.d);
	} else if (kind < 90) {
		d->type = "marital_status";
		sohoa_buf_addf(&num, "%lld/UBND-XNTTHN", (long long)n % 997);
		header(d, o, num.buf, &issue);
		sohoa_buf_addf(&d->text, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\n"
		    "ỦY BAN NHÂN DÂN XÃ %s\nXét đề nghị của %s %s về việc cấp "
		    "Giấy xác nhận tình trạng hôn nhân\ncho %s %s,\n"
		    "XÁC NHẬN:\nHọ, chữ đệm, tên: %s\nNgày, tháng, năm sinh: "
		    "%02d/%02d/%04d\nGiới tính: %s Dân tộc: %s Quốc tịch: Việt "
		    "Nam\nSố định danh cá nhân: %s\nNơi cư trú: %s, ",
		    o->p.commune, female ? "bà" : "ông", name.buf,
		    female ? "bà" : "ông", name.buf, name.buf, bd.d, bd.m,
		    bd.y, female ? "Nữ" : "Nam", ethnic[pick(N(ethnic))], id,
		    hamlets[pick(N(hamlets))]);
		place_str(&d->text, &o->p);
		i = pick(3);
		sohoa_buf_reset(&other);
		if (i == 0)
			sohoa_buf_adds(&other, "Hiện tại chưa đăng ký kết hôn "
			    "với ai");
		else if (i == 1)
			sohoa_buf_adds(&other, "Chưa đăng ký kết hôn với ai");
		else
			sohoa_buf_addf(&other, "%s đã chết, hiện tại chưa đăng "
			    "ký kết hôn với ai", female ? "Chồng" : "Vợ");
		sohoa_buf_addf(&d->text, "\nTình trạng hôn nhân: %s\nGiấy này có "
		    "giá trị sử dụng trong thời hạn 6 tháng kể từ ngày cấp, "
		    "được sử dụng để:\n%s\nTM. ỦY BAN NHÂN DÂN\n", other.buf,
		    purposes[pick(N(purposes))]);
		sohoa_buf_addf(&d->text, "CHỦ TỊCH\n%s\n", o->signer.buf);
		fput(d, "signer", "%s", o->signer.buf);
		fput(d, "full_name", "%s", name.buf);
		fput(d, "birth_date", "%04d-%02d-%02d", bd.y, bd.m, bd.d);
		fput(d, "sex", "%s", female ? "Nữ" : "Nam");
		fput(d, "personal_id", "%s", id);
		sohoa_buf_reset(&pl);
		sohoa_buf_addf(&pl, "%s, ", hamlets[pick(N(hamlets))]);
		place_str(&pl, &o->p);
		fput(d, "residence", "%s", pl.buf);
		fput(d, "marital_status", "%s", other.buf);
	} else {
		d->type = "decision";
		sohoa_buf_addf(&num, "%lld/QĐ-UBND", (long long)n % 997);
		header(d, o, num.buf, &issue);
		sohoa_buf_reset(&other);
		sohoa_buf_addf(&other, "%s %s %s", subjects[pick(N(subjects))],
		    female ? "bà" : "ông", name.buf);
		sohoa_buf_addf(&d->text, "QUYẾT ĐỊNH\n%s\nCHỦ TỊCH ỦY BAN NHÂN "
		    "DÂN XÃ %s\nCăn cứ Luật Tổ chức chính quyền địa phương ngày "
		    "19 tháng 6 năm 2015;\nCăn cứ Luật Hộ tịch ngày 20 tháng 11 "
		    "năm 2014;\nCăn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng "
		    "11 năm 2015 của Chính phủ;\nTheo đề nghị của công chức Tư "
		    "pháp - Hộ tịch.\nQUYẾT ĐỊNH:\nĐiều 1. Cho phép cải chính "
		    "nội dung trong Giấy khai sinh của %s %s, sinh năm %d, nơi "
		    "cư trú: %s, ", other.buf, o->p.commune,
		    female ? "bà" : "ông", name.buf, bd.y,
		    hamlets[pick(N(hamlets))]);
		place_str(&d->text, &o->p);
		sohoa_buf_addf(&d->text, ".\nĐiều 2. Quyết định này có hiệu lực "
		    "kể từ ngày ký.\nĐiều 3. Văn phòng Ủy ban nhân dân xã, công "
		    "chức Tư pháp - Hộ tịch và %s %s chịu trách nhiệm thi hành "
		    "Quyết định này.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
		    "TM. ỦY BAN NHÂN DÂN\n", female ? "bà" : "ông", name.buf);
		sohoa_buf_addf(&d->text, "CHỦ TỊCH\n%s\n", o->signer.buf);
		fput(d, "signer", "%s", o->signer.buf);
		fput(d, "subject", "%s", other.buf);
	}
	/* the archive's title: "<type>: <name or subject>" */
	sohoa_buf_addf(&d->title, "%s: %s", d->type,
	    *fget(d, "full_name") ? fget(d, "full_name") : fget(d, "subject"));
	snprintf(d->date, sizeof(d->date), "%s",
	    *fget(d, "registration_date") ? fget(d, "registration_date") :
	    fget(d, "issue_date"));
	noisy(&d->body, d->text.buf);
	sohoa_buf_release(&name);
	sohoa_buf_release(&other);
	sohoa_buf_release(&num);
	sohoa_buf_release(&pl);
	sohoa_buf_release(&mother);
	sohoa_buf_release(&father);
}

/* ---- timing ------------------------------------------------------ */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), dcmp);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

static void
die_sql(sqlite3 *db, const char *what)
{
	fprintf(stderr, "search_bench: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die_sql(db, sql);
}

/* ---- building ---------------------------------------------------- */

#define DOSSIER_DOCS 50

static void
load(sqlite3 *db, int64_t npages)
{
	sqlite3_stmt *dos, *file, *doc, *page, *field;
	struct gdoc d;
	struct office o;
	int64_t i, dossier = 0, fid, did;
	char sha[65];
	int k;

	memset(&d, 0, sizeof(d));
	sohoa_buf_init(&d.title);
	sohoa_buf_init(&d.text);
	sohoa_buf_init(&d.body);
	for (k = 0; k < MAXF; k++)
		sohoa_buf_init(&d.val[k]);
	sohoa_buf_init(&o.signer);
	if (sqlite3_prepare_v2(db, "INSERT INTO dossiers(code, created_at) "
	    "VALUES (printf('HS-%04d-%05d', 2000 + ?1 % 25, ?1), '2024')", -1,
	    &dos, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO files(sha256, dossier_id, path, "
	    "name, format, size, npages, done, ingested_at) VALUES (?1, ?2, "
	    "'scan.tif', 'scan.tif', 'tiff', 1, 1, 1, '2024')", -1, &file,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO documents(dossier_id, file_id, "
	    "first_page, npages, ordinal, doc_type, title, doc_date, "
	    "created_at) VALUES (?1, ?2, 0, 1, ?3, ?4, ?5, ?6, '2024')", -1,
	    &doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO pages(file_id, document_id, "
	    "pageno, status, text) VALUES (?1, ?2, 0, 'ok', ?3)", -1, &page,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO fields(document_id, key, value) "
	    "VALUES (?1, ?2, ?3)", -1, &field, NULL) != SQLITE_OK)
		die_sql(db, "prepare");
	exec(db, "BEGIN");
	for (i = 0; i < npages; i++) {
		if (i % DOSSIER_DOCS == 0) {
			/* a dossier: the records of one commune office */
			new_place(&o.p);
			person(&o.signer, pick(2));
			sqlite3_bind_int64(dos, 1, ++dossier);
			if (sqlite3_step(dos) != SQLITE_DONE)
				die_sql(db, "insert dossier");
			sqlite3_reset(dos);
		}
		gen_doc(&d, &o, i);
		snprintf(sha, sizeof(sha), "%064lld", (long long)i);
		sqlite3_bind_text(file, 1, sha, -1, SQLITE_STATIC);
		sqlite3_bind_int64(file, 2, dossier);
		if (sqlite3_step(file) != SQLITE_DONE)
			die_sql(db, "insert file");
		sqlite3_reset(file);
		fid = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(doc, 1, dossier);
		sqlite3_bind_int64(doc, 2, fid);
		sqlite3_bind_int64(doc, 3, i % DOSSIER_DOCS + 1);
		sqlite3_bind_text(doc, 4, d.type, -1, SQLITE_STATIC);
		sqlite3_bind_text(doc, 5, d.title.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(doc, 6, d.date, -1, SQLITE_STATIC);
		if (sqlite3_step(doc) != SQLITE_DONE)
			die_sql(db, "insert document");
		sqlite3_reset(doc);
		did = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(page, 1, fid);
		sqlite3_bind_int64(page, 2, did);
		sqlite3_bind_text(page, 3, d.body.buf, -1, SQLITE_STATIC);
		if (sqlite3_step(page) != SQLITE_DONE)
			die_sql(db, "insert page");
		sqlite3_reset(page);
		for (k = 0; k < d.nf; k++) {
			sqlite3_bind_int64(field, 1, did);
			sqlite3_bind_text(field, 2, d.key[k], -1, SQLITE_STATIC);
			sqlite3_bind_text(field, 3, d.val[k].buf, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(field) != SQLITE_DONE)
				die_sql(db, "insert field");
			sqlite3_reset(field);
		}
		if (i % 20000 == 19999) {
			exec(db, "COMMIT");
			exec(db, "BEGIN");
		}
	}
	exec(db, "COMMIT");
	sqlite3_finalize(dos);
	sqlite3_finalize(file);
	sqlite3_finalize(doc);
	sqlite3_finalize(page);
	sqlite3_finalize(field);
	sohoa_buf_release(&d.title);
	sohoa_buf_release(&d.text);
	sohoa_buf_release(&d.body);
	for (k = 0; k < MAXF; k++)
		sohoa_buf_release(&d.val[k]);
	sohoa_buf_release(&o.signer);
}

/* sohoa's index as a rebuild makes it: learn the boilerplate, index. */
static double
build_sohoa(struct sohoa_ctx *ctx, sqlite3 *db)
{
	double t0 = now();

	exec(db, "BEGIN");
	if (sohoa_fts_rebuild(ctx, db) != SOHOA_OK) {
		fprintf(stderr, "search_bench: %s\n", sohoa_errmsg(ctx));
		exit(1);
	}
	exec(db, "COMMIT");
	return now() - t0;
}

/* The plain table: each document's title, fields and text as they are. */
static double
build_plain(struct sohoa_ctx *ctx, sqlite3 *db, int64_t n)
{
	struct sohoa_fts_indexer *ix = NULL;
	double t0 = now();
	int64_t i;

	if (sohoa_fts_indexer_new(ctx, db, "bench_plain",
	    SOHOA_FTS_INDEXER_PLAIN, &ix) != SOHOA_OK) {
		fprintf(stderr, "search_bench: %s\n", sohoa_errmsg(ctx));
		exit(1);
	}
	exec(db, "BEGIN");
	for (i = 1; i <= n; i++) {
		if (sohoa_fts_indexer_add(ix, i) != SOHOA_OK) {
			fprintf(stderr, "search_bench: %s\n", sohoa_errmsg(ctx));
			exit(1);
		}
		if (i % 20000 == 0) {
			exec(db, "COMMIT");
			exec(db, "BEGIN");
		}
	}
	exec(db, "COMMIT");
	sohoa_fts_indexer_destroy(&ix);
	return now() - t0;
}

static double
table_bytes(sqlite3 *db, const char *like)
{
	sqlite3_stmt *st;
	double v = 0;

	if (sqlite3_prepare_v2(db, "SELECT total(pgsize) FROM dbstat "
	    "WHERE name LIKE ?1", -1, &st, NULL) != SQLITE_OK)
		die_sql(db, "dbstat");
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- the plain pipeline ------------------------------------------- */

/* Filters of a query, for both pipelines. */
struct filt {
	const char *type;
	const char *from, *to;
	const char *fkey, *fval;
};

/* The cut-off of the plain pipeline, as find_cut() in index/search.c. */
static int64_t
plain_cut(sqlite3 *db, const char *expr, const char *where,
    const char *fval)
{
	char sql[1024];
	sqlite3_stmt *st = NULL;
	int64_t cut = 0;

	snprintf(sql, sizeof(sql), "SELECT bench_plain.rowid FROM bench_plain"
	    "%s WHERE bench_plain MATCH ?1%s ORDER BY bench_plain.rowid DESC "
	    "LIMIT 1 OFFSET %d", *where ? " JOIN documents d ON d.id = "
	    "bench_plain.rowid" : "", where, SOHOA_SEARCH_RANK_CAP);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	if (fval != NULL && strstr(where, "?2") != NULL)
		sqlite3_bind_text(st, 2, fval, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		cut = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	return cut;
}

static int
plain_rank(sqlite3 *db, const char *expr, const char *where,
    const char *fval, int64_t cut, int64_t *ids, int limit)
{
	char sql[1024];
	sqlite3_stmt *st = NULL;
	int n = 0;

	/* the same rank function and weights, without sohoa's tiers */
	snprintf(sql, sizeof(sql), "SELECT bench_plain.rowid, sohoa_rank("
	    "bench_plain, '', 0, 10.0, 4.0, 1.0) AS r FROM bench_plain%s "
	    "WHERE bench_plain MATCH ?1 AND bench_plain.rowid >= %lld%s ORDER "
	    "BY r DESC, bench_plain.rowid DESC LIMIT %d", *where ? " JOIN "
	    "documents d ON d.id = bench_plain.rowid" : "", (long long)cut,
	    where, limit);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	if (fval != NULL && strstr(where, "?2") != NULL)
		sqlite3_bind_text(st, 2, fval, -1, SQLITE_STATIC);
	while (n < limit && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * What plain FTS5 gives with the same cut-off and rank function: the
 * query in FTS5's syntax, snippet() on the hits, the document rows.
 * The best LIMIT ids go to IDS; returns how many, -1 when FTS5 refused
 * the query.
 */
static int
plain_search(sqlite3 *db, const char *expr, const struct filt *f,
    int64_t *ids, int limit)
{
	char where[512], sql[2048];
	sqlite3_stmt *snip = NULL, *doc = NULL;
	int64_t cut, lo, hi;
	size_t len;
	int n, i;

	where[0] = '\0';
	if (f->type)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND d.doc_type = '%s'", f->type);
	if (f->from)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND d.doc_date >= '%s'", f->from);
	if (f->to)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND d.doc_date <= '%s~'", f->to);
	if (f->fkey)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND EXISTS (SELECT 1 FROM fields x WHERE x.document_id = "
		    "d.id AND x.key = '%s' AND x.value = ?2)", f->fkey);
	cut = plain_cut(db, expr, "", NULL);
	if (cut < 0)
		return -1;
	n = plain_rank(db, expr, where, f->fval, cut, ids, limit);
	if (cut > 0 && *where && n < limit) {
		cut = plain_cut(db, expr, where, f->fval);
		n = plain_rank(db, expr, where, f->fval, cut, ids, limit);
	}
	if (n > 0) {
		lo = hi = ids[0];
		len = (size_t)snprintf(sql, sizeof(sql), "SELECT CASE WHEN "
		    "rowid IN (");
		for (i = 0; i < n; i++) {
			len += (size_t)snprintf(sql + len, sizeof(sql) - len,
			    "%s%lld", i ? "," : "", (long long)ids[i]);
			if (ids[i] < lo)
				lo = ids[i];
			if (ids[i] > hi)
				hi = ids[i];
		}
		snprintf(sql + len, sizeof(sql) - len, ") THEN snippet("
		    "bench_plain, -1, '[', ']', '…', 16) END FROM bench_plain "
		    "WHERE bench_plain MATCH ?1 AND rowid BETWEEN %lld AND "
		    "%lld", (long long)lo, (long long)hi);
		if (sqlite3_prepare_v2(db, sql, -1, &snip, NULL) != SQLITE_OK)
			die_sql(db, sql);
		sqlite3_bind_text(snip, 1, expr, -1, SQLITE_STATIC);
		while (sqlite3_step(snip) == SQLITE_ROW)
			;
		sqlite3_finalize(snip);
	}
	if (sqlite3_prepare_v2(db, "SELECT d.doc_type, d.doc_date, s.code FROM "
	    "documents d LEFT JOIN dossiers s ON s.id = d.dossier_id WHERE "
	    "d.id = ?1", -1, &doc, NULL) != SQLITE_OK)
		die_sql(db, "prepare documents");
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(doc, 1, ids[i]);
		sqlite3_step(doc);
		sqlite3_reset(doc);
	}
	sqlite3_finalize(doc);
	return n;
}

/* Every word of Q as an FTS5 string: what a plain search box sends. */
static void
plain_quote(const char *q, char *out, size_t size)
{
	size_t n = 0;
	const char *p = q, *e;

	out[0] = '\0';
	while (*p) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e && *e != ' '; e++)
			;
		n += (size_t)snprintf(out + n, size > n ? size - n : 0,
		    "%s\"%.*s\"", n ? " " : "", (int)(e - p), p);
		p = e;
	}
}

/* ---- truth --------------------------------------------------------- */

struct truth {
	sqlite3_stmt *doc, *fields;
	char *type;
	char *key[JUDGED_FIELDS], *value[JUDGED_FIELDS];
	int n;
};

static void
truth_release(struct truth *t)
{
	int i;

	free(t->type);
	t->type = NULL;
	for (i = 0; i < t->n; i++) {
		free(t->key[i]);
		free(t->value[i]);
	}
	t->n = 0;
}

/* The fields of document ID: they are the truth, the generator wrote them. */
static void
truth_get(struct truth *t, int64_t id, struct judged_doc *d)
{
	truth_release(t);
	memset(d, 0, sizeof(*d));
	sqlite3_bind_int64(t->doc, 1, id);
	if (sqlite3_step(t->doc) == SQLITE_ROW)
		t->type = strdup((const char *)sqlite3_column_text(t->doc, 0));
	sqlite3_reset(t->doc);
	sqlite3_bind_int64(t->fields, 1, id);
	while (t->n < JUDGED_FIELDS && sqlite3_step(t->fields) == SQLITE_ROW) {
		t->key[t->n] = strdup((const char *)sqlite3_column_text(
		    t->fields, 0));
		t->value[t->n] = strdup((const char *)sqlite3_column_text(
		    t->fields, 1));
		t->n++;
	}
	sqlite3_reset(t->fields);
	d->doc_type = t->type;
	d->nfields = t->n;
	memcpy(d->key, t->key, sizeof(d->key[0]) * (size_t)t->n);
	memcpy(d->value, t->value, sizeof(d->value[0]) * (size_t)t->n);
}

/* Rank (1-based) of the first of IDS that answers Q; 0 if none does. */
static int
first_relevant(struct truth *t, const struct judged_query *q,
    const int64_t *ids, int n)
{
	struct judged_doc d;
	int i;

	for (i = 0; i < n && i < JUDGED_TOP; i++) {
		truth_get(t, ids[i], &d);
		if (judged_relevant(q, &d))
			return i + 1;
	}
	return 0;
}

/* ---- querying ---------------------------------------------------- */

struct query {
	const char *label;
	const char *q;		/* sohoa query */
	const char *plain;	/* the same in FTS5's syntax */
	const char *type;	/* --type */
	const char *from, *to;
	int field;		/* 1: personal_id, 2: full_name, 3: an ID's
				   first 9 digits as the query */
};

static const struct query queries[] = {
	{ "common surname", "nguyen", "nguyen", NULL, NULL, NULL, 0 },
	{ "full name folded", "nguyen van duc", "nguyen van duc", NULL, NULL,
	    NULL, 0 },
	{ "full name exact", "Nguyễn Văn Đức", "Nguyễn Văn Đức", NULL, NULL,
	    NULL, 0 },
	{ "Lê (exact)", "Lê Thị Hoa", "Lê Thị Hoa", NULL, NULL, NULL, 0 },
	{ "rare name", "ong ich khiem", "ong ich khiem", NULL, NULL, NULL, 0 },
	{ "phrase place", "\"Hòn Đất\"", "\"Hòn Đất\"", NULL, NULL, NULL, 0 },
	{ "phrase folded", "\"kien giang\"", "\"kien giang\"", NULL, NULL,
	    NULL, 0 },
	{ "phrase 3 words", "\"tran thi mai\"", "\"tran thi mai\"", NULL,
	    NULL, NULL, 0 },
	{ "prefix", "Nguy*", "Nguy*", NULL, NULL, NULL, 0 },
	{ "prefix name", "pham thi ng*", "pham thi ng*", NULL, NULL, NULL,
	    0 },
	{ "OR", "dao OR cuc", "dao OR cuc", NULL, NULL, NULL, 0 },
	{ "NOT", "le thi hoa NOT \"ha noi\"", "le thi hoa NOT \"ha noi\"",
	    NULL, NULL, NULL, 0 },
	{ "kind", "khai tu", "khai tu", NULL, NULL, NULL, 0 },
	{ "kind marriage", "ket hon", "ket hon", NULL, NULL, NULL, 0 },
	{ "kind + name", "khai sinh nguyen van duc",
	    "khai sinh nguyen van duc", NULL, NULL, NULL, 0 },
	{ "place + name", "hoang duc tho", "hoang duc tho", NULL, NULL, NULL,
	    0 },
	{ "date", "12/03/2019", "\"12/03/2019\"", NULL, NULL, NULL, 0 },
	{ "type filter", "nguyen van", "nguyen van", "death", NULL, NULL, 0 },
	{ "date filter", "tran minh", "tran minh", NULL, "2015", "2016-06",
	    0 },
	{ "field personal_id", "", NULL, NULL, NULL, NULL, 1 },
	{ "field full_name", "", NULL, NULL, NULL, NULL, 2 },
	{ "partial id", "", NULL, NULL, NULL, NULL, 3 },
	{ "typo (fuzzy)", "khiem quyen dcu", "khiem quyen dcu", NULL, NULL,
	    NULL, 0 },
};

static void
usage(void)
{
	fprintf(stderr, "usage: search_bench [--pages N] [--dir DIR] "
	    "[--seed S] [--runs R] [--judged DOCS] [--keep] [--reuse] "
	    "[--min-p1 X] [--min-mrr Y]\n");
	exit(2);
}

/* Run OPTS through sohoa; the best ids to IDS, their number returned. */
static int
sohoa_run(struct sohoa_ctx *ctx, sqlite3 *db, const struct sohoa_search_opts *o,
    int64_t *ids, int limit)
{
	struct sohoa_search_result *r = NULL;
	int n = 0;

	if (sohoa_search_db(ctx, db, o, &r) != SOHOA_OK) {
		fprintf(stderr, "search_bench: '%s': %s\n", o->query,
		    sohoa_errmsg(ctx));
		exit(1);
	}
	for (n = 0; n < (int)r->nhits && n < limit; n++)
		ids[n] = r->hits[n].doc_id;
	n = (int)r->nhits;
	sohoa_search_result_destroy(&r);
	return n;
}

int
main(int argc, char **argv)
{
	struct sohoa_ctx *ctx;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf path = SOHOA_BUF_INIT;
	struct sohoa_search_opts o;
	struct sohoa_search_field f;
	struct judged_set set;
	struct judged_scores js, jp;
	struct judged_doc jd;
	struct truth truth;
	struct filt fl;
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t npages = 1000000, ids[SOHOA_SEARCH_LIMIT], pids[
	    SOHOA_SEARCH_LIMIT];
	uint64_t seed = 20261124;
	int runs = 5, keep = 0, reuse = 0, i, j, nq = (int)N(queries);
	int njudged = 40, nh, nhp, reuse_ok;
	const char *dir = NULL;
	char tmpl[] = "/tmp/sohoa-bench-XXXXXX", cmd[700], expr[600];
	char sid[16], sname[128], sprefix[16];
	double t0, t_load = 0, t_sohoa = 0, t_plain = 0, *sa, *pa, dt;
	double *all_s, *all_p, b_sohoa, b_plain, b_words, b_learn, b_base;
	double p50s, p50p, min_p1 = -1, min_mrr = -1, p1, mrr, p1p, mrrp;
	size_t ns = 0, nalloc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pages") == 0 && i + 1 < argc)
			npages = atoll(argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--judged") == 0 && i + 1 < argc)
			njudged = atoi(argv[++i]);
		else if (strcmp(argv[i], "--min-p1") == 0 && i + 1 < argc)
			min_p1 = atof(argv[++i]);
		else if (strcmp(argv[i], "--min-mrr") == 0 && i + 1 < argc)
			min_mrr = atof(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0)
			keep = 1;
		else if (strcmp(argv[i], "--reuse") == 0)
			reuse = keep = 1;
		else
			usage();
	}
	if (npages < 100 || runs < 1 || njudged < 0 || (reuse && dir == NULL))
		usage();
	rng_state = seed ? seed : 1;
	if (dir == NULL) {
		if (mkdtemp(tmpl) == NULL) {
			perror("search_bench: mkdtemp");
			return 1;
		}
		dir = tmpl;
	}
	sohoa_global_init();
	ctx = sohoa_ctx_new();
	/* the real schema and search tables, through the archive */
	if (sohoa_archive_open(ctx, dir, SOHOA_ARCHIVE_CREATE, &a) != SOHOA_OK) {
		fprintf(stderr, "search_bench: %s\n", sohoa_errmsg(ctx));
		return 1;
	}
	sohoa_archive_close(&a);
	sohoa_buf_addf(&path, "%s/sohoa.db", dir);
	if (sqlite3_open(path.buf, &db) != SQLITE_OK)
		die_sql(db, "open");
	if (sohoa_fts_open(ctx, db) != SOHOA_OK) {
		fprintf(stderr, "search_bench: %s\n", sohoa_errmsg(ctx));
		return 1;
	}
	/* the same settings for both indexes */
	exec(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -200000");
	exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS bench_plain USING fts5("
	    "title, fields, body, tokenize = 'unicode61 remove_diacritics 2')");
	printf("search_bench: %lld pages (1 page per document), seed %llu, "
	    "in %s\n", (long long)npages, (unsigned long long)seed, dir);
	fflush(stdout);
	reuse_ok = 0;
	if (reuse) {
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM documents", -1,
		    &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
			die_sql(db, "reuse");
		npages = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		reuse_ok = npages > 0;
		printf("reusing %lld pages: build times not measured\n",
		    (long long)npages);
	}
	if (!reuse_ok) {
		t0 = now();
		load(db, npages);
		t_load = now() - t0;
		fprintf(stderr, "search_bench: %lld documents loaded in %.1f s\n",
		    (long long)npages, t_load);
		t_sohoa = build_sohoa(ctx, db);
		fprintf(stderr, "search_bench: sohoa index in %.1f s\n",
		    t_sohoa);
		t_plain = build_plain(ctx, db, npages);
		fprintf(stderr, "search_bench: plain index in %.1f s\n",
		    t_plain);
		exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	}
	/* values of a document a third of the way in, for field queries */
	if (sqlite3_prepare_v2(db, "SELECT (SELECT value FROM fields WHERE "
	    "document_id = d.id AND key = 'personal_id'), (SELECT value FROM "
	    "fields WHERE document_id = d.id AND key = 'full_name') FROM "
	    "documents d WHERE d.id >= ?1 AND d.doc_type = 'birth' ORDER BY "
	    "d.id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		die_sql(db, "sample values");
	sqlite3_bind_int64(st, 1, npages / 3);
	if (sqlite3_step(st) != SQLITE_ROW)
		die_sql(db, "sample values");
	snprintf(sid, sizeof(sid), "%s", sqlite3_column_text(st, 0));
	snprintf(sname, sizeof(sname), "%s", sqlite3_column_text(st, 1));
	snprintf(sprefix, sizeof(sprefix), "%.9s", sid);
	sqlite3_finalize(st);

	b_sohoa = table_bytes(db, "search_fts%");
	b_words = table_bytes(db, "search_words%");
	b_learn = table_bytes(db, "search_lines%") + table_bytes(db,
	    "search_boiler%") + table_bytes(db, "search_counted%");
	b_plain = table_bytes(db, "bench_plain%");
	b_base = table_bytes(db, "%") - b_sohoa - b_words - b_learn - b_plain;
	printf("\nload (documents, pages, fields rows): %.1f s\n", t_load);
	printf("%-28s %12s %12s %8s\n", "", "sohoa", "plain", "ratio");
	if (!reuse_ok) {
		printf("%-28s %12.1f %12.1f %8.2f\n", "index build (s)",
		    t_sohoa, t_plain, t_sohoa / t_plain);
		printf("%-28s %12.0f %12.0f %8.2f\n",
		    "pages indexed per second", (double)npages / t_sohoa,
		    (double)npages / t_plain, t_plain / t_sohoa);
	}
	printf("%-28s %12.0f %12.0f %8.2f\n", "index bytes per page",
	    (b_sohoa + b_words + b_learn) / (double)npages,
	    b_plain / (double)npages, (b_sohoa + b_words + b_learn) / b_plain);
	printf("  (sohoa: search_fts %.0f + word list %.0f + boilerplate "
	    "learning %.0f bytes per page; both include FTS5's copy of the "
	    "text)\n", b_sohoa / (double)npages, b_words / (double)npages,
	    b_learn / (double)npages);
	printf("%-28s %12.0f\n", "archive rows bytes per page",
	    b_base / (double)npages);

	/* the judged queries, made from randomly chosen documents */
	memset(&set, 0, sizeof(set));
	memset(&truth, 0, sizeof(truth));
	if (sqlite3_prepare_v2(db, "SELECT doc_type FROM documents WHERE id = "
	    "?1", -1, &truth.doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT key, value FROM fields WHERE "
	    "document_id = ?1 ORDER BY key", -1, &truth.fields, NULL) !=
	    SQLITE_OK)
		die_sql(db, "prepare truth");
	rng_state = seed * 7 + 1;
	for (i = 0; i < njudged; i++) {
		truth_get(&truth, 1 + (int64_t)(rng() % (uint64_t)npages), &jd);
		if (judged_make(&set, &jd, (unsigned)i, i < 10) != 0) {
			fprintf(stderr, "search_bench: out of memory\n");
			return 1;
		}
	}

	nalloc = (size_t)(runs * nq) + set.n + 1;
	sa = calloc((size_t)runs, sizeof(double));
	pa = calloc((size_t)runs, sizeof(double));
	all_s = calloc(nalloc, sizeof(double));
	all_p = calloc(nalloc, sizeof(double));
	if (!sa || !pa || !all_s || !all_p)
		return 1;
	printf("\nquery latency, ms (median of %d runs after one warm-up; "
	    "20 hits with snippets)\n", runs);
	printf("%-18s %-26s %8s %8s %6s %6s %6s\n", "", "query", "sohoa",
	    "plain", "ratio", "hits", "plain");
	for (i = 0; i < nq; i++) {
		const struct query *q = &queries[i];

		memset(&o, 0, sizeof(o));
		memset(&fl, 0, sizeof(fl));
		o.query = q->q;
		o.doc_type = fl.type = q->type;
		o.date_from = fl.from = q->from;
		o.date_to = fl.to = q->to;
		if (q->field == 1 || q->field == 2) {
			f.key = fl.fkey = q->field == 1 ? "personal_id" :
			    "full_name";
			f.value = fl.fval = q->field == 1 ? sid : sname;
			o.fields = &f;
			o.nfields = 1;
			/* plain: the value as a phrase on its column */
			snprintf(expr, sizeof(expr), "fields : \"%s\"",
			    f.value);
		} else if (q->field == 3) {
			o.query = sprefix;
			snprintf(expr, sizeof(expr), "\"%s\"*", sprefix);
		} else {
			snprintf(expr, sizeof(expr), "%s", q->plain);
		}
		nh = nhp = 0;
		for (j = -1; j < runs; j++) {
			t0 = now();
			nh = sohoa_run(ctx, db, &o, ids, SOHOA_SEARCH_LIMIT);
			dt = (now() - t0) * 1000;
			if (j >= 0) {
				sa[j] = dt;
				all_s[ns] = dt;
			}
			t0 = now();
			nhp = plain_search(db, expr, &fl, pids,
			    SOHOA_SEARCH_LIMIT);
			dt = (now() - t0) * 1000;
			if (j >= 0) {
				pa[j] = dt;
				all_p[ns++] = dt;
			}
		}
		p50s = pct(sa, (size_t)runs, 0.5);
		p50p = pct(pa, (size_t)runs, 0.5);
		snprintf(cmd, sizeof(cmd), "%s%s", q->field == 1 ?
		    "--field personal_id" : q->field == 2 ? "--field full_name" :
		    q->field == 3 ? sprefix : q->q, "");
		printf("%-18s %-26.26s %8.2f %8.2f %6.2f %6d %6d\n", q->label,
		    cmd, p50s, p50p, p50p > 0 ? p50s / p50p : 0, nh, nhp);
		fflush(stdout);
	}
	p50s = pct(all_s, ns, 0.5);
	p50p = pct(all_p, ns, 0.5);
	printf("\n%-28s %12s %12s %8s\n", "fixed queries", "sohoa", "plain",
	    "ratio");
	printf("%-28s %12.2f %12.2f %8.2f\n", "p50 (ms)", p50s, p50p,
	    p50s / p50p);
	printf("%-28s %12.2f %12.2f %8.2f\n", "p99 (ms)", pct(all_s, ns,
	    0.99), pct(all_p, ns, 0.99), pct(all_s, ns, 0.99) /
	    pct(all_p, ns, 0.99));

	/* judged: relevance of the first ten, and the time of each */
	memset(&js, 0, sizeof(js));
	memset(&jp, 0, sizeof(jp));
	{
		size_t n0 = ns, k;
		double *js_t = all_s + n0, *jp_t = all_p + n0;

		for (k = 0; k < set.n; k++) {
			const struct judged_query *q = &set.q[k];
			int nj, njp, rank;

			memset(&o, 0, sizeof(o));
			memset(&fl, 0, sizeof(fl));
			o.query = q->query;
			o.limit = JUDGED_TOP;
			plain_quote(q->query, expr, sizeof(expr));
			/* warm up, then once timed */
			sohoa_run(ctx, db, &o, ids, JUDGED_TOP);
			t0 = now();
			nj = sohoa_run(ctx, db, &o, ids, JUDGED_TOP);
			all_s[ns] = (now() - t0) * 1000;
			plain_search(db, expr, &fl, pids, JUDGED_TOP);
			t0 = now();
			njp = plain_search(db, expr, &fl, pids, JUDGED_TOP);
			all_p[ns++] = (now() - t0) * 1000;
			rank = first_relevant(&truth, q, ids, nj);
			judged_add(&js, q->category, rank);
			judged_add(&jp, q->category, njp < 0 ? 0 :
			    first_relevant(&truth, q, pids, njp));
			if (getenv("SOHOA_BENCH_VERBOSE") != NULL &&
			    (rank != 1 || all_s[ns - 1] > 20))
				fprintf(stderr, "judged: %s '%s': first relevant "
				    "at %d of %d, %.1f ms\n", q->category,
				    q->query, rank, nj, all_s[ns - 1]);
		}
		printf("\njudged queries (%zu, from %d documents): precision "
		    "at 1 and MRR of the first %d hits\n", set.n, njudged,
		    JUDGED_TOP);
		printf("%-8s %-12s %5s %8s %8s\n", "", "category", "n", "P@1",
		    "MRR");
		judged_print(&js, "sohoa");
		judged_print(&jp, "plain");
		printf("\n%-28s %12s %12s %8s\n", "judged queries", "sohoa",
		    "plain", "ratio");
		printf("%-28s %12.2f %12.2f %8.2f\n", "p50 (ms)",
		    pct(js_t, set.n, 0.5), pct(jp_t, set.n, 0.5),
		    pct(js_t, set.n, 0.5) / pct(jp_t, set.n, 0.5));
		printf("%-28s %12.2f %12.2f %8.2f\n", "p99 (ms)",
		    pct(js_t, set.n, 0.99), pct(jp_t, set.n, 0.99),
		    pct(js_t, set.n, 0.99) / pct(jp_t, set.n, 0.99));
	}
	printf("\n%-28s %12s %12s %8s\n", "all queries", "sohoa", "plain",
	    "ratio");
	printf("%-28s %12.2f %12.2f %8.2f\n", "p50 (ms)", pct(all_s, ns, 0.5),
	    pct(all_p, ns, 0.5), pct(all_s, ns, 0.5) / pct(all_p, ns, 0.5));
	printf("%-28s %12.2f %12.2f %8.2f\n", "p99 (ms)", pct(all_s, ns, 0.99),
	    pct(all_p, ns, 0.99), pct(all_s, ns, 0.99) / pct(all_p, ns,
	    0.99));
	printf("%-28s %12.2f %12.2f\n", "max (ms)", all_s[ns - 1],
	    all_p[ns - 1]);

	judged_total(&js, &p1, &mrr);
	judged_total(&jp, &p1p, &mrrp);
	printf("\njudged: sohoa P@1 %.3f MRR %.3f; plain P@1 %.3f MRR %.3f\n",
	    p1, mrr, p1p, mrrp);
	i = 0;
	if (min_p1 >= 0 && p1 + 1e-9 < min_p1) {
		fprintf(stderr, "search_bench: precision at 1 %.3f is below "
		    "%.3f\n", p1, min_p1);
		i = 1;
	}
	if (min_mrr >= 0 && mrr + 1e-9 < min_mrr) {
		fprintf(stderr, "search_bench: MRR %.3f is below %.3f\n", mrr,
		    min_mrr);
		i = 1;
	}

	truth_release(&truth);
	sqlite3_finalize(truth.doc);
	sqlite3_finalize(truth.fields);
	judged_set_release(&set);
	free(sa);
	free(pa);
	free(all_s);
	free(all_p);
	sqlite3_close(db);
	sohoa_ctx_destroy(&ctx);
	if (!keep && dir == tmpl) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "search_bench: cannot remove %s\n", dir);
	}
	sohoa_buf_release(&path);
	(void)pids;
	return i;
}
