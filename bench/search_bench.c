/*
 * Search benchmark: builds an archive of N synthetic pages of Vietnamese
 * civil-status text (seeded, no OCR), indexes it twice - with the sohoa
 * tokenizer (search_fts) and with a plain FTS5 unicode61
 * remove_diacritics 2 table (bench_plain) of the same columns - and
 * prints build time, database size per page and query latency p50/p99
 * for a fixed set of queries on both, with the ratios.
 *
 *   search_bench [--pages N] [--dir DIR] [--seed S] [--runs R] [--keep]
 *                [--reuse]
 *
 * --reuse runs the queries again on the archive a --keep run left in DIR.
 *
 * One document per page.  Not part of the test suite: 1,000,000 pages
 * take a while and about 2.5 GB of disk.
 */
#include <errno.h>
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
static const char *jobs[] = {
	"làm ruộng", "công nhân", "giáo viên", "buôn bán", "cán bộ",
	"nội trợ", "lái xe", "thợ may", "bác sĩ", "kỹ sư", "học sinh",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

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
	sohoa_buf_addf(b, "%s %s %s", surname(),
	    female ? middle_f[pick(N(middle_f))] : middle_m[pick(N(middle_m))],
	    female ? given_f[pick(N(given_f))] : given_m[pick(N(given_m))]);
}

static void
place(struct sohoa_buf *b)
{
	sohoa_buf_addf(b, "xã %s, huyện %s, tỉnh %s",
	    communes[pick(N(communes))], districts[pick(N(districts))],
	    provinces[pick(N(provinces))]);
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
		while (*e && *e != ' ')
			e++;
		if (pick(100) < 3) {
			sohoa_buf_reset(&w);
			sohoa_utf8_fold_n(p, (size_t)(e - p), &w);
			sohoa_buf_add(b, w.buf, w.len);
		} else {
			sohoa_buf_add(b, p, (size_t)(e - p));
		}
		if (*e == ' ')
			sohoa_buf_addch(b, *e++);
		p = e;
	}
	sohoa_buf_release(&w);
}

struct doc {
	const char *type;
	struct sohoa_buf title, body, date, name, id, bdate, bplace, father,
	    mother;
};

static const char header[] =
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n";

static void
gen_doc(struct doc *d, int64_t n)
{
	struct sohoa_buf t = SOHOA_BUF_INIT, pl = SOHOA_BUF_INIT;
	int female = pick(2), kind = pick(100), by, ry;

	sohoa_buf_reset(&d->title);
	sohoa_buf_reset(&d->body);
	sohoa_buf_reset(&d->date);
	sohoa_buf_reset(&d->name);
	sohoa_buf_reset(&d->id);
	sohoa_buf_reset(&d->bdate);
	sohoa_buf_reset(&d->bplace);
	sohoa_buf_reset(&d->father);
	sohoa_buf_reset(&d->mother);
	person(&d->name, female);
	person(&d->father, 0);
	person(&d->mother, 1);
	place(&d->bplace);
	by = 1930 + pick(95);
	ry = by < 2000 ? 2000 + pick(25) : by + pick(2025 - by);
	sohoa_buf_addf(&d->bdate, "%04d-%02d-%02d", by, 1 + pick(12),
	    1 + pick(28));
	sohoa_buf_addf(&d->date, "%04d-%02d-%02d", ry, 1 + pick(12),
	    1 + pick(28));
	sohoa_buf_addf(&d->id, "0%02d%d%02d%06d", pick(96), female +
	    (by >= 2000 ? 2 : 0), by % 100, pick(1000000));
	sohoa_buf_adds(&t, header);
	if (kind < 55) {
		d->type = "birth";
		sohoa_buf_addf(&d->title, "Giấy khai sinh: %s", d->name.buf);
		sohoa_buf_addf(&t, "GIẤY KHAI SINH\nSố: %lld/%d\n"
		    "Họ, chữ đệm, tên: %s\n"
		    "Ngày, tháng, năm sinh: %.2s/%.2s/%.4s\n"
		    "Giới tính: %s Dân tộc: %s Quốc tịch: Việt Nam\n"
		    "Nơi sinh: Trạm Y tế %s\nQuê quán: ", (long long)n % 997,
		    ry, d->name.buf, d->bdate.buf + 8, d->bdate.buf + 5,
		    d->bdate.buf, female ? "Nữ" : "Nam", ethnic[pick(N(ethnic))],
		    d->bplace.buf);
		place(&t);
		sohoa_buf_addf(&t, "\nSố định danh cá nhân: %s\n"
		    "Họ, chữ đệm, tên người mẹ: %s Năm sinh: %d Dân tộc: Kinh "
		    "Quốc tịch: Việt Nam Nơi cư trú: ", d->id.buf, d->mother.buf,
		    by - 20 - pick(15));
		place(&t);
		sohoa_buf_addf(&t, "\nHọ, chữ đệm, tên người cha: %s Năm sinh: "
		    "%d Dân tộc: Kinh Quốc tịch: Việt Nam Nơi cư trú: ",
		    d->father.buf, by - 22 - pick(15));
		place(&t);
		sohoa_buf_addf(&t, "\nNgười đi khai sinh: %s Quan hệ với người "
		    "được khai sinh: Cha\nNơi đăng ký khai sinh: Ủy ban nhân dân ",
		    d->father.buf);
		place(&t);
		sohoa_buf_addf(&t, "\nNgày, tháng, năm đăng ký: %.2s/%.2s/%.4s\n"
		    "NGƯỜI KÝ GIẤY KHAI SINH\nChủ tịch\n", d->date.buf + 8,
		    d->date.buf + 5, d->date.buf);
		person(&t, pick(2));
	} else if (kind < 75) {
		d->type = "death";
		sohoa_buf_addf(&d->title, "Trích lục khai tử: %s", d->name.buf);
		sohoa_buf_addf(&t, "TRÍCH LỤC KHAI TỬ\nSố: %lld/TLKT-BS\n"
		    "Họ, chữ đệm, tên: %s\nNgày, tháng, năm sinh: %.2s/%.2s/%.4s\n"
		    "Giới tính: %s Dân tộc: %s Quốc tịch: Việt Nam\n"
		    "Số định danh cá nhân: %s\nĐã chết vào lúc: %d giờ %d phút, "
		    "ngày %.2s/%.2s/%.4s\nNơi chết: ", (long long)n % 9973,
		    d->name.buf, d->bdate.buf + 8, d->bdate.buf + 5, d->bdate.buf,
		    female ? "Nữ" : "Nam", ethnic[pick(N(ethnic))], d->id.buf,
		    pick(24), pick(60), d->date.buf + 8, d->date.buf + 5,
		    d->date.buf);
		place(&t);
		sohoa_buf_addf(&t, "\nNguyên nhân chết: %s\nNgười đi khai tử: %s "
		    "Quan hệ với người đã chết: con\nNơi đăng ký khai tử: Ủy ban "
		    "nhân dân ", causes[pick(N(causes))], d->father.buf);
		place(&t);
		sohoa_buf_addf(&t, "\nNgày đăng ký: %.2s/%.2s/%.4s\n",
		    d->date.buf + 8, d->date.buf + 5, d->date.buf);
	} else if (kind < 90) {
		d->type = "marriage";
		sohoa_buf_addf(&d->title, "Giấy chứng nhận kết hôn: %s",
		    d->name.buf);
		sohoa_buf_addf(&t, "GIẤY CHỨNG NHẬN KẾT HÔN\nHọ, chữ đệm, tên "
		    "vợ: %s Ngày sinh: %.2s/%.2s/%.4s Dân tộc: Kinh Quốc tịch: "
		    "Việt Nam\nNơi cư trú: ", d->name.buf, d->bdate.buf + 8,
		    d->bdate.buf + 5, d->bdate.buf);
		place(&t);
		sohoa_buf_addf(&t, "\nSố định danh cá nhân: %s\nHọ, chữ đệm, tên "
		    "chồng: %s Dân tộc: Kinh Quốc tịch: Việt Nam\nNơi cư trú: ",
		    d->id.buf, d->father.buf);
		place(&t);
		sohoa_buf_addf(&t, "\nNghề nghiệp: %s\nNơi đăng ký kết hôn: Ủy ban "
		    "nhân dân ", jobs[pick(N(jobs))]);
		place(&t);
		sohoa_buf_addf(&t, "\nNgày, tháng, năm đăng ký: %.2s/%.2s/%.4s\n"
		    "Chữ ký của vợ Chữ ký của chồng\n", d->date.buf + 8,
		    d->date.buf + 5, d->date.buf);
	} else {
		d->type = "residence";
		sohoa_buf_addf(&d->title, "Giấy xác nhận cư trú: %s",
		    d->name.buf);
		sohoa_buf_addf(&t, "GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ\n"
		    "Công an xã xác nhận: Ông/Bà %s\nSố định danh cá nhân: %s\n"
		    "Ngày, tháng, năm sinh: %.2s/%.2s/%.4s Giới tính: %s\n"
		    "Nơi thường trú: ", d->name.buf, d->id.buf, d->bdate.buf + 8,
		    d->bdate.buf + 5, d->bdate.buf, female ? "Nữ" : "Nam");
		place(&t);
		sohoa_buf_addf(&t, "\nNơi ở hiện tại: ");
		place(&t);
		sohoa_buf_addf(&t, "\nHọ và tên chủ hộ: %s Quan hệ với chủ hộ: "
		    "con\nNghề nghiệp: %s\nGiấy này có giá trị 30 ngày kể từ ngày "
		    "ký\n", d->father.buf, jobs[pick(N(jobs))]);
	}
	noisy(&d->body, t.buf);
	sohoa_buf_release(&t);
	sohoa_buf_release(&pl);
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

static void
load(sqlite3 *db, int64_t npages, struct sohoa_buf *sample_ids,
    struct sohoa_buf *sample_names)
{
	sqlite3_stmt *dos, *file, *doc, *page, *field;
	struct doc d;
	int64_t i, dossier = 0, fid, did;
	char sha[65];
	const char *keys[6];
	struct sohoa_buf *vals[6];
	int k, nk;

	memset(&d, 0, sizeof(d));
	sohoa_buf_init(&d.title);
	sohoa_buf_init(&d.body);
	sohoa_buf_init(&d.date);
	sohoa_buf_init(&d.name);
	sohoa_buf_init(&d.id);
	sohoa_buf_init(&d.bdate);
	sohoa_buf_init(&d.bplace);
	sohoa_buf_init(&d.father);
	sohoa_buf_init(&d.mother);
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
		if (i % 50 == 0) {
			sqlite3_bind_int64(dos, 1, ++dossier);
			if (sqlite3_step(dos) != SQLITE_DONE)
				die_sql(db, "insert dossier");
			sqlite3_reset(dos);
		}
		gen_doc(&d, i);
		snprintf(sha, sizeof(sha), "%064lld", (long long)i);
		sqlite3_bind_text(file, 1, sha, -1, SQLITE_STATIC);
		sqlite3_bind_int64(file, 2, dossier);
		if (sqlite3_step(file) != SQLITE_DONE)
			die_sql(db, "insert file");
		sqlite3_reset(file);
		fid = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(doc, 1, dossier);
		sqlite3_bind_int64(doc, 2, fid);
		sqlite3_bind_int64(doc, 3, i % 50 + 1);
		sqlite3_bind_text(doc, 4, d.type, -1, SQLITE_STATIC);
		sqlite3_bind_text(doc, 5, d.title.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(doc, 6, d.date.buf, -1, SQLITE_STATIC);
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
		nk = 0;
		keys[nk] = "full_name";
		vals[nk++] = &d.name;
		keys[nk] = "personal_id";
		vals[nk++] = &d.id;
		keys[nk] = "birth_date";
		vals[nk++] = &d.bdate;
		if (strcmp(d.type, "birth") == 0) {
			keys[nk] = "birth_place";
			vals[nk++] = &d.bplace;
			keys[nk] = "father_name";
			vals[nk++] = &d.father;
			keys[nk] = "mother_name";
			vals[nk++] = &d.mother;
		} else if (strcmp(d.type, "marriage") == 0) {
			keys[nk] = "husband_name";
			vals[nk++] = &d.father;
		}
		for (k = 0; k < nk; k++) {
			sqlite3_bind_int64(field, 1, did);
			sqlite3_bind_text(field, 2, keys[k], -1, SQLITE_STATIC);
			sqlite3_bind_text(field, 3, vals[k]->buf, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(field) != SQLITE_DONE)
				die_sql(db, "insert field");
			sqlite3_reset(field);
		}
		/* keep a few real values for the field-filter queries */
		if (i == npages / 3) {
			sohoa_buf_adds(sample_ids, d.id.buf);
			sohoa_buf_adds(sample_names, d.name.buf);
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
	sohoa_buf_release(&d.body);
	sohoa_buf_release(&d.date);
	sohoa_buf_release(&d.name);
	sohoa_buf_release(&d.id);
	sohoa_buf_release(&d.bdate);
	sohoa_buf_release(&d.bplace);
	sohoa_buf_release(&d.father);
	sohoa_buf_release(&d.mother);
}

/* Index every document into TABLE (NULL: search_fts), as ingest would. */
static double
build(struct sohoa_ctx *ctx, sqlite3 *db, const char *table, int64_t n)
{
	struct sohoa_fts_indexer *ix = NULL;
	double t0 = now();
	int64_t i;

	if (sohoa_fts_indexer_new(ctx, db, table, table != NULL ?
	    SOHOA_FTS_INDEXER_PLAIN : 0, &ix) != SOHOA_OK) {
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
			fprintf(stderr, "\r  %s: %lld pages", table ? table :
			    "search_fts", (long long)i);
		}
	}
	exec(db, "COMMIT");
	fprintf(stderr, "\n");
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

/* ---- querying ---------------------------------------------------- */

struct query {
	const char *label;
	const char *q;		/* sohoa query, also given to plain FTS5 */
	const char *type;	/* --type */
	const char *from, *to;
	int field;		/* 1: personal_id, 2: full_name filter */
};

static const struct query queries[] = {
	{ "common surname", "nguyen", NULL, NULL, NULL, 0 },
	{ "full name folded", "nguyen van duc", NULL, NULL, NULL, 0 },
	{ "full name exact", "Nguyễn Văn Đức", NULL, NULL, NULL, 0 },
	{ "Lê (exact)", "Lê Thị Hoa", NULL, NULL, NULL, 0 },
	{ "rare name", "ong ich khiem", NULL, NULL, NULL, 0 },
	{ "phrase place", "\"Hòn Đất\"", NULL, NULL, NULL, 0 },
	{ "phrase folded", "\"kien giang\"", NULL, NULL, NULL, 0 },
	{ "phrase 3 words", "\"tran thi mai\"", NULL, NULL, NULL, 0 },
	{ "prefix", "Nguy*", NULL, NULL, NULL, 0 },
	{ "prefix name", "pham thi ng*", NULL, NULL, NULL, 0 },
	{ "OR", "dao OR cuc", NULL, NULL, NULL, 0 },
	{ "NOT", "le thi hoa NOT \"ha noi\"", NULL, NULL, NULL, 0 },
	{ "boilerplate", "khai sinh", NULL, NULL, NULL, 0 },
	{ "place + name", "hoang duc tho", NULL, NULL, NULL, 0 },
	{ "type filter", "nguyen van", "death", NULL, NULL, 0 },
	{ "date filter", "tran minh", NULL, "2015", "2016-06", 0 },
	{ "field personal_id", "", NULL, NULL, NULL, 1 },
	{ "field full_name", "", NULL, NULL, NULL, 2 },
	{ "typo (fuzzy)", "khiem quyen dcu", NULL, NULL, NULL, 0 },
};

/* The cut-off of the plain pipeline, as find_cut() in index/search.c. */
static int64_t
plain_cut(sqlite3 *db, const char *expr, const char *where,
    const char *field_value)
{
	char sql[1024];
	sqlite3_stmt *st = NULL;
	int64_t cut = 0;

	snprintf(sql, sizeof(sql), "SELECT bench_plain.rowid FROM bench_plain"
	    "%s WHERE bench_plain MATCH ?1%s ORDER BY bench_plain.rowid DESC "
	    "LIMIT 1 OFFSET %d", *where ? " JOIN documents d ON d.id = "
	    "bench_plain.rowid" : "", where, SOHOA_SEARCH_RANK_CAP);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die_sql(db, sql);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	if (field_value != NULL && strstr(where, "?2") != NULL)
		sqlite3_bind_text(st, 2, field_value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		cut = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	return cut;
}

static int
plain_rank(sqlite3 *db, const char *expr, const char *where,
    const char *field_value, int64_t cut, int64_t *ids)
{
	char sql[1024];
	sqlite3_stmt *st = NULL;
	int n = 0;

	/* the same rank function: the ratio is the cost of the tokenizer */
	snprintf(sql, sizeof(sql), "SELECT bench_plain.rowid, sohoa_rank("
	    "bench_plain, '', 10.0, 5.0, 1.0) AS r FROM bench_plain%s WHERE "
	    "bench_plain MATCH ?1 AND bench_plain.rowid >= %lld%s ORDER BY r "
	    "DESC LIMIT 20", *where ? " JOIN documents d ON d.id = "
	    "bench_plain.rowid" : "", (long long)cut, where);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die_sql(db, sql);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	if (field_value != NULL && strstr(where, "?2") != NULL)
		sqlite3_bind_text(st, 2, field_value, -1, SQLITE_STATIC);
	while (n < 20 && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * The plain table gets the same pipeline without the Vietnamese parts:
 * cut-off, sohoa_rank() top 20 (FTS5's bm25() reads each row's column
 * sizes and counts every match for its IDF: ten times slower on large
 * match sets, see notes/search.md), snippets.  The query goes to MATCH
 * as written (fixed strings in FTS5's own syntax).
 */
static int
plain_search(sqlite3 *db, const struct query *q, const char *expr,
    const char *field_value, int *pnhits)
{
	char where[512];
	sqlite3_stmt *snip = NULL, *doc = NULL;
	int64_t cut, ids[20];
	int n, i;

	*pnhits = 0;
	where[0] = '\0';
	if (q->type)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND d.doc_type = '%s'", q->type);
	if (q->from)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND d.doc_date >= '%s'", q->from);
	if (q->to)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND d.doc_date <= '%s~'", q->to);
	if (q->field)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " AND EXISTS (SELECT 1 FROM fields x WHERE x.document_id = "
		    "d.id AND x.key = '%s' AND x.value = ?2)", q->field == 1 ?
		    "personal_id" : "full_name");
	cut = plain_cut(db, expr, "", NULL);
	n = plain_rank(db, expr, where, field_value, cut, ids);
	if (cut > 0 && *where && n < 20) {
		cut = plain_cut(db, expr, where, field_value);
		n = plain_rank(db, expr, where, field_value, cut, ids);
	}
	/* snippets as index/search.c does: one walk, snippet() on hits */
	if (n > 0) {
		char sql[1024];
		size_t len;
		int64_t lo = ids[0], hi = ids[0];

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
	*pnhits = n;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: search_bench [--pages N] [--dir DIR] "
	    "[--seed S] [--runs R] [--keep] [--reuse]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sohoa_ctx *ctx;
	struct sohoa_archive *a = NULL;
	struct sohoa_buf path = SOHOA_BUF_INIT, ids = SOHOA_BUF_INIT;
	struct sohoa_buf names = SOHOA_BUF_INIT, fold = SOHOA_BUF_INIT;
	struct sohoa_search_opts o;
	struct sohoa_search_field f;
	struct sohoa_search_result *r = NULL;
	sqlite3 *db;
	int64_t npages = 1000000;
	uint64_t seed = 20261124;
	int runs = 5, keep = 0, reuse = 0, i, j, nq = (int)N(queries);
	int nhits_plain, ntok, differ;
	const char *dir = NULL;
	char tmpl[] = "/tmp/sohoa-bench-XXXXXX", cmd[600], expr[256];
	double t0, t_load, t_sohoa, t_plain, *sa, *pa, *all_s, *all_p, dt;
	double b_sohoa, b_plain, b_words, b_base, p50s, p99s, p50p, p99p;
	size_t ns = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pages") == 0 && i + 1 < argc)
			npages = atoll(argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0)
			keep = 1;
		else if (strcmp(argv[i], "--reuse") == 0)
			reuse = keep = 1;
		else
			usage();
	}
	if (npages < 100 || runs < 1 || (reuse && dir == NULL))
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
	    "title, fields, body, tokenize = 'unicode61 remove_diacritics 2', "
	    "prefix = '2 3 4')");
	printf("search_bench: %lld pages (1 page per document), seed %llu, "
	    "in %s\n", (long long)npages, (unsigned long long)seed, dir);
	fflush(stdout);

	if (reuse) {
		sqlite3_stmt *st;

		/* the values load() would have picked */
		if (sqlite3_prepare_v2(db, "WITH c(n) AS (SELECT count(*) FROM "
		    "documents) SELECT n, (SELECT value FROM fields WHERE "
		    "document_id = n / 3 + 1 AND key = 'personal_id'), (SELECT "
		    "value FROM fields WHERE document_id = n / 3 + 1 AND key = "
		    "'full_name') FROM c", -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW)
			die_sql(db, "reuse");
		npages = sqlite3_column_int64(st, 0);
		sohoa_buf_adds(&ids, (const char *)sqlite3_column_text(st, 1));
		sohoa_buf_adds(&names, (const char *)sqlite3_column_text(st, 2));
		sqlite3_finalize(st);
		t_load = t_sohoa = t_plain = 0;
		printf("reusing %lld pages: build times not measured\n",
		    (long long)npages);
	} else {
		t0 = now();
		load(db, npages, &ids, &names);
		t_load = now() - t0;
		t_sohoa = build(ctx, db, NULL, npages);
		t_plain = build(ctx, db, "bench_plain", npages);
		exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	}

	b_sohoa = table_bytes(db, "search_fts%");
	b_words = table_bytes(db, "search_words%");
	b_plain = table_bytes(db, "bench_plain%");
	b_base = table_bytes(db, "%") - b_sohoa - b_words - b_plain;
	printf("\nbuild (documents, pages, fields rows): %.1f s\n", t_load);
	printf("%-28s %12s %12s %8s\n", "", "sohoa", "plain", "ratio");
	if (!reuse) {
		printf("%-28s %12.1f %12.1f %8.2f\n", "index build (s)",
		    t_sohoa, t_plain, t_sohoa / t_plain);
		printf("%-28s %12.0f %12.0f %8.2f\n",
		    "pages indexed per second", (double)npages / t_sohoa,
		    (double)npages / t_plain, t_plain / t_sohoa);
	}
	printf("%-28s %12.0f %12.0f %8.2f\n", "index bytes per page",
	    (b_sohoa + b_words) / (double)npages, b_plain / (double)npages,
	    (b_sohoa + b_words) / b_plain);
	printf("  (sohoa: search_fts %.0f + word list %.0f bytes per page; "
	    "both include the FTS5 copy of the text)\n",
	    b_sohoa / (double)npages, b_words / (double)npages);
	printf("%-28s %12.0f\n", "archive rows bytes per page",
	    b_base / (double)npages);

	/* queries */
	sa = calloc((size_t)runs, sizeof(double));
	pa = calloc((size_t)runs, sizeof(double));
	all_s = calloc((size_t)(runs * nq), sizeof(double));
	all_p = calloc((size_t)(runs * nq), sizeof(double));
	if (!sa || !pa || !all_s || !all_p)
		return 1;
	printf("\nquery latency, ms (median of %d runs after one warm-up; "
	    "20 hits with snippets)\n", runs);
	printf("%-18s %-26s %8s %8s %6s %6s %6s\n", "", "query", "sohoa",
	    "plain", "ratio", "hits", "plain");
	for (i = 0; i < nq; i++) {
		const struct query *q = &queries[i];
		const char *fv = q->field == 1 ? ids.buf : q->field == 2 ?
		    names.buf : NULL;
		size_t nh = 0;

		memset(&o, 0, sizeof(o));
		o.query = q->q;
		o.doc_type = q->type;
		o.date_from = q->from;
		o.date_to = q->to;
		if (q->field) {
			f.key = q->field == 1 ? "personal_id" : "full_name";
			f.value = fv;
			o.fields = &f;
			o.nfields = 1;
		}
		/* plain: a field value becomes a phrase on its column */
		if (q->field) {
			sohoa_buf_reset(&fold);
			sohoa_fts_terms(fv, strlen(fv), &fold, NULL, &ntok,
			    &differ);
			snprintf(expr, sizeof(expr), "fields : \"%s\"", fv);
		} else {
			snprintf(expr, sizeof(expr), "%s", q->q);
		}
		for (j = -1; j < runs; j++) {
			t0 = now();
			if (sohoa_search_db(ctx, db, &o, &r) != SOHOA_OK) {
				fprintf(stderr, "search_bench: '%s': %s\n", q->q,
				    sohoa_errmsg(ctx));
				return 1;
			}
			dt = (now() - t0) * 1000;
			nh = r->nhits;
			sohoa_search_result_destroy(&r);
			if (j >= 0) {
				sa[j] = dt;
				all_s[ns] = dt;
			}
			t0 = now();
			plain_search(db, q, expr, fv, &nhits_plain);
			dt = (now() - t0) * 1000;
			if (j >= 0) {
				pa[j] = dt;
				all_p[ns++] = dt;
			}
		}
		p50s = pct(sa, (size_t)runs, 0.5);
		p50p = pct(pa, (size_t)runs, 0.5);
		snprintf(cmd, sizeof(cmd), "%s%s%s", q->q, q->field ? "--field " :
		    "", q->field == 1 ? "personal_id" : q->field == 2 ?
		    "full_name" : "");
		printf("%-18s %-26.26s %8.2f %8.2f %6.2f %6zu %6d\n", q->label,
		    cmd, p50s, p50p, p50p > 0 ? p50s / p50p : 0, nh,
		    nhits_plain);
		fflush(stdout);
	}
	p50s = pct(all_s, ns, 0.5);
	p99s = pct(all_s, ns, 0.99);
	p50p = pct(all_p, ns, 0.5);
	p99p = pct(all_p, ns, 0.99);
	printf("\n%-28s %12s %12s %8s\n", "all queries", "sohoa", "plain",
	    "ratio");
	printf("%-28s %12.2f %12.2f %8.2f\n", "p50 (ms)", p50s, p50p,
	    p50s / p50p);
	printf("%-28s %12.2f %12.2f %8.2f\n", "p99 (ms)", p99s, p99p,
	    p99s / p99p);
	printf("%-28s %12.2f %12s\n", "max (ms)", all_s[ns - 1], "");

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
	sohoa_buf_release(&ids);
	sohoa_buf_release(&names);
	sohoa_buf_release(&fold);
	return 0;
}
