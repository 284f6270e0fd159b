/*
 * Dossier metadata for export (Thông tư 05/2025 EAD.xml, 18 fields): the
 * keys, their code lists and formats, what is derived from the archive
 * (counts, dates, title) and the defaults, and validation before export.
 *
 *   sohoa_dossier_meta_keys / _element / _help / _check / _store
 *   sohoa_dossier_meta_load / _destroy / _value / _validate
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/archive.h"
#include "sohoa/bundle.h"
#include "sohoa/utf8.h"
#include "bundle_private.h"

enum kind {
	K_TEXT,		/* free text up to max code points */
	K_CODE,		/* two-digit code 01..max */
	K_CODES,	/* one or more codes, comma separated */
	K_DATE,		/* DD/MM/YYYY, MM/YYYY or YYYY */
	K_NUMBER,	/* digits, at most max of them */
	K_BOOL,		/* 0 or 1 */
	K_DERIVED,	/* computed, cannot be set */
};

static const struct key {
	const char *key;
	const char *element;	/* EAD.xml element, NULL when not in EAD */
	int kind;
	int max;
	const char *def;	/* default value, NULL when none */
	const char *help;
} keys[] = {
	{ "file_code", "fileCode", K_TEXT, 100, NULL,
	  "mã hồ sơ, e.g. H49.64.33.2001.160 (default: the dossier's code)" },
	{ "title", "title", K_TEXT, 1000, NULL,
	  "tiêu đề hồ sơ (default: from the documents' types)" },
	{ "maintenance", "maintenance", K_CODE, 7, "01",
	  "thời hạn lưu trữ: 01 Vĩnh viễn, 02 70 năm, 03 50 năm, 04 30 năm,"
	  " 05 20 năm, 06 10 năm, 07 Khác" },
	{ "mode", "mode", K_CODE, 3, "02",
	  "chế độ sử dụng: 01 Công khai, 02 Sử dụng có điều kiện, 03 Mật" },
	{ "language", "language", K_CODES, 11, "01",
	  "ngôn ngữ, one or more of: 01 Tiếng Việt, 02 Anh, 03 Pháp, 04 Nga,"
	  " 05 Trung, 06 Việt-Anh, 07 Việt-Nga, 08 Việt-Pháp, 09 Hán Nôm,"
	  " 10 Việt-Trung, 11 Khác" },
	{ "start_date", "startDate", K_DATE, 0, NULL,
	  "thời gian bắt đầu: DD/MM/YYYY, MM/YYYY or YYYY (default: the"
	  " earliest document date)" },
	{ "end_date", "endDate", K_DATE, 0, NULL,
	  "thời gian kết thúc: DD/MM/YYYY, MM/YYYY or YYYY (default: the"
	  " latest document date)" },
	{ "keyword", "keyword", K_TEXT, 100, NULL, "từ khóa" },
	{ "total_doc", "totalDoc", K_DERIVED, 10, NULL,
	  "tổng số tài liệu (counted from the archive)" },
	{ "number_of_paper", "numberOfPaper", K_NUMBER, 10, NULL,
	  "số lượng tờ (default: the number of scanned pages)" },
	{ "number_of_page", "numberOfPage", K_DERIVED, 10, NULL,
	  "số lượng trang (counted from the archive)" },
	{ "format", "format", K_CODE, 3, NULL,
	  "tình trạng vật lý: 01 Tốt, 02 Bình thường, 03 Hỏng" },
	{ "infor_sign", "inforSign", K_TEXT, 30, NULL, "ký hiệu thông tin" },
	{ "confidence_level", "confidenceLevel", K_CODE, 3, "02",
	  "mức độ tin cậy: 01 Gốc điện tử, 02 Số hóa, 03 Hỗn hợp" },
	{ "paper_file_code", "paperFileCode", K_TEXT, 100, NULL,
	  "mã hồ sơ gốc giấy [mã cơ quan lưu trữ].[số kho/giá/hộp].[số hồ sơ"
	  " giấy]; required for a digitized dossier" },
	{ "risk_recovery", "riskRecovery", K_BOOL, 1, "0",
	  "chế độ dự phòng: 1 có, 0 không" },
	{ "risk_recovery_status", "riskRecoveryStatus", K_CODE, 2, NULL,
	  "tình trạng dự phòng: 01 đã dự phòng, 02 chưa (required when"
	  " risk_recovery is 1)" },
	{ "description", "description", K_TEXT, 2000, NULL,
	  "ghi chú: who compiled the dossier, clarifications" },
	{ "organ_name", NULL, K_TEXT, 200, NULL,
	  "cơ quan, tổ chức ban hành, for each document's organName (default:"
	  " the most frequent 'issuer' field)" },
	{ "fonds_code", NULL, K_TEXT, 100, NULL,
	  "mã phông lưu trữ, written in METS as the office's identification"
	  " code" },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *key_names[NKEYS + 1];

const char *const *
sohoa_dossier_meta_keys(void)
{
	size_t i;

	/* filled on first use; the same values every time */
	for (i = 0; i < NKEYS; i++)
		key_names[i] = keys[i].key;
	key_names[NKEYS] = NULL;
	return key_names;
}

/* KEY is a sohoa key ("paper_file_code") or its EAD element ("paperFileCode"). */
static const struct key *
find_key(const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	for (i = 0; i < NKEYS; i++)
		if (keys[i].element != NULL && strcmp(keys[i].element, key) == 0)
			return &keys[i];
	return NULL;
}

const char *
sohoa_dossier_meta_element(const char *key)
{
	const struct key *k = find_key(key);

	return k ? k->element : NULL;
}

const char *
sohoa_dossier_meta_help(const char *key)
{
	const struct key *k = find_key(key);

	return k ? k->help : NULL;
}

const char *
sohoa_meta_source_name(int source)
{
	switch (source) {
	case SOHOA_META_SET: return "set";
	case SOHOA_META_DERIVED: return "derived";
	case SOHOA_META_DEFAULT: return "default";
	default: return "unset";
	}
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* "7", "07" -> "07" when 1..max; -1 when not a code */
static int
parse_code(const char *s, size_t n, int max)
{
	int v;

	if (n == 0 || n > 2 || !all_digits(s, n))
		return -1;
	v = atoi(s);
	if (n == 2 && s[0] != '0' && v < 10)
		return -1;
	return v >= 1 && v <= max ? v : -1;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/*
 * Accept DD/MM/YYYY, MM/YYYY, YYYY and ISO YYYY-MM-DD / YYYY-MM, and
 * write the Thông tư form.
 */
static int
parse_date(const char *s, struct sohoa_buf *out)
{
	int d = 0, m = 0, y = 0;
	size_t n = strlen(s);

	if (n == 10 && s[2] == '/' && s[5] == '/' && all_digits(s, 2) &&
	    all_digits(s + 3, 2) && all_digits(s + 6, 4)) {
		d = atoi(s);
		m = atoi(s + 3);
		y = atoi(s + 6);
	} else if (n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) &&
	    all_digits(s + 5, 2) && all_digits(s + 8, 2)) {
		y = atoi(s);
		m = atoi(s + 5);
		d = atoi(s + 8);
	} else if (n == 7 && s[2] == '/' && all_digits(s, 2) &&
	    all_digits(s + 3, 4)) {
		m = atoi(s);
		y = atoi(s + 3);
	} else if (n == 7 && s[4] == '-' && all_digits(s, 4) &&
	    all_digits(s + 5, 2)) {
		y = atoi(s);
		m = atoi(s + 5);
	} else if (n == 4 && all_digits(s, 4)) {
		y = atoi(s);
	} else {
		return 0;
	}
	if (y < 1000 || (m != 0 && (m < 1 || m > 12)) ||
	    (d != 0 && (m == 0 || d > days_in_month(y, m))))
		return 0;
	if (out == NULL)
		return 1;
	if (d)
		sohoa_buf_addf(out, "%02d/%02d/%04d", d, m, y);
	else if (m)
		sohoa_buf_addf(out, "%02d/%04d", m, y);
	else
		sohoa_buf_addf(out, "%04d", y);
	return 1;
}

/* YYYYMMDD-ish number of a DD/MM/YYYY | MM/YYYY | YYYY for comparison */
static long
date_key(const char *s, int end)
{
	size_t n = strlen(s);

	if (n == 10)
		return atol(s + 6) * 10000 + atol(s + 3) * 100 + atol(s);
	if (n == 7)
		return atol(s + 3) * 10000 + atol(s) * 100 + (end ? 31 : 1);
	if (n == 4)
		return atol(s) * 10000 + (end ? 1231 : 101);
	return 0;
}

static int
check_value(struct sohoa_ctx *ctx, const struct key *k, const char *value,
    struct sohoa_buf *norm)
{
	size_t n = strlen(value), i, j;
	int v;

	switch (k->kind) {
	case K_DERIVED:
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "'%s' is counted from the archive and cannot be set",
		    k->key);
	case K_TEXT:
		if (!sohoa_utf8_valid(value, n))
			goto bad;
		if (sohoa_utf8_length(value, n) > (size_t)k->max)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "'%s' is longer than %d characters", k->key,
			    k->max);
		if (norm)
			return sohoa_utf8_nfc(value, n, norm);
		return SOHOA_OK;
	case K_CODE:
		v = parse_code(value, n, k->max);
		if (v < 0)
			goto bad;
		if (norm)
			sohoa_buf_addf(norm, "%02d", v);
		return SOHOA_OK;
	case K_CODES:
		for (i = 0; i <= n; i = j + 1) {
			for (j = i; j < n && value[j] != ','; j++)
				;
			while (i < j && value[i] == ' ')
				i++;
			v = parse_code(value + i, j - i, k->max);
			if (v < 0)
				goto bad;
			if (norm)
				sohoa_buf_addf(norm, "%s%02d",
				    i > 0 ? "," : "", v);
		}
		return SOHOA_OK;
	case K_DATE:
		if (!parse_date(value, norm))
			goto bad;
		return SOHOA_OK;
	case K_NUMBER:
		if (!all_digits(value, n) || n > (size_t)k->max)
			goto bad;
		if (norm)
			sohoa_buf_adds(norm, value);
		return SOHOA_OK;
	case K_BOOL:
		if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0)
			goto bad;
		if (norm)
			sohoa_buf_adds(norm, value);
		return SOHOA_OK;
	}
bad:
	return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
	    "'%s' cannot be '%s' (%s)", k->key, value, k->help);
}

int
sohoa_dossier_meta_check(struct sohoa_ctx *ctx, const char *key,
    const char *value, struct sohoa_buf *pnorm)
{
	const struct key *k = find_key(key);

	if (k == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "'%s' is not a dossier metadata key (see 'sohoa dossier"
		    " --help')", key);
	return check_value(ctx, k, value, pnorm);
}

int
sohoa_dossier_meta_store(struct sohoa_archive *a, int64_t id,
    const char *key, const char *value)
{
	struct sohoa_buf norm = SOHOA_BUF_INIT;
	struct sohoa_ctx *ctx = sohoa_archive_ctx(a);
	const struct key *k = find_key(key);
	int rc;

	if (k == NULL || *value == '\0') {
		if (k == NULL)
			return sohoa_dossier_meta_check(ctx, key, value, NULL);
		return sohoa_archive_dossier_meta_set(a, id, k->key, NULL);
	}
	rc = sohoa_dossier_meta_check(ctx, key, value, &norm);
	/* stored under the sohoa key whichever name was given */
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_meta_set(a, id, k->key, norm.buf);
	sohoa_buf_release(&norm);
	return rc;
}

void
sohoa_dossier_meta_destroy(struct sohoa_dossier_meta **pmeta)
{
	struct sohoa_dossier_meta *m = *pmeta;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->items[i].value);
	free(m->items);
	free(m->code);
	free(m);
	*pmeta = NULL;
}

const char *
sohoa_dossier_meta_value(const struct sohoa_dossier_meta *meta,
    const char *key)
{
	size_t i;

	for (i = 0; i < meta->n; i++)
		if (strcmp(meta->items[i].key, key) == 0)
			return meta->items[i].value;
	return "";
}

static int
set_item(struct sohoa_dossier_meta *m, const char *key, const char *value,
    int source)
{
	size_t i;
	char *v;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->items[i].key, key) == 0)
			break;
	if (i == m->n)
		return SOHOA_ERR_INPUT;
	v = strdup(value);
	if (v == NULL)
		return SOHOA_ERR_NOMEM;
	free(m->items[i].value);
	m->items[i].value = v;
	m->items[i].source = source;
	return SOHOA_OK;
}

static int
stored_cb(void *arg, const char *key, const char *value)
{
	struct sohoa_dossier_meta *m = arg;

	/* keys sohoa does not know (yet) are kept in the archive, not shown */
	if (find_key(key) == NULL || find_key(key)->kind == K_DERIVED)
		return 0;
	return set_item(m, key, value, SOHOA_META_SET) == SOHOA_ERR_NOMEM;
}

/* Vietnamese name of a sohoa document type, for derived titles. */
static const char *
type_label(const char *t)
{
	static const struct { const char *pat, *label; } labels[] = {
		{ "birth", "giấy khai sinh" }, { "khai_sinh", "giấy khai sinh" },
		{ "death", "trích lục khai tử" }, { "khai_tu", "trích lục khai tử" },
		{ "marri", "giấy chứng nhận kết hôn" },
		{ "ket_hon", "giấy chứng nhận kết hôn" },
		{ "decision", "quyết định" }, { "quyet_dinh", "quyết định" },
		{ "marital", "giấy xác nhận tình trạng hôn nhân" },
	};
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strstr(t, labels[i].pat) != NULL)
			return labels[i].label;
	return "tài liệu khác";
}

struct title {
	struct sohoa_buf buf;
	int ntypes;
};

/* "Hồ sơ HS-2019-0042: giấy khai sinh (3), trích lục khai tử (1)" */
static int
add_type(void *arg, const char *doc_type, int n)
{
	struct title *t = arg;

	sohoa_buf_addf(&t->buf, "%s%s (%d)", t->ntypes++ ? ", " : "",
	    type_label(doc_type), n);
	return 0;
}

static int
derive(struct sohoa_archive *a, struct sohoa_dossier_meta *m)
{
	struct sohoa_dossier_stats s;
	struct sohoa_buf v = SOHOA_BUF_INIT;
	struct title t;
	int rc;

	sohoa_buf_init(&s.issuer);
	sohoa_buf_init(&t.buf);
	t.ntypes = 0;
	rc = sohoa_archive_dossier_stats(a, m->id, &s);
	if (rc != SOHOA_OK)
		goto out;
	sohoa_buf_addf(&v, "%d", s.documents);
	set_item(m, "total_doc", v.buf, SOHOA_META_DERIVED);
	sohoa_buf_reset(&v);
	sohoa_buf_addf(&v, "%d", s.pages);
	set_item(m, "number_of_page", v.buf, SOHOA_META_DERIVED);
	if (*sohoa_dossier_meta_value(m, "number_of_paper") == '\0')
		set_item(m, "number_of_paper", v.buf, SOHOA_META_DERIVED);
	sohoa_buf_reset(&v);
	if (*sohoa_dossier_meta_value(m, "start_date") == '\0' &&
	    s.first_date[0] && parse_date(s.first_date, &v))
		set_item(m, "start_date", v.buf, SOHOA_META_DERIVED);
	sohoa_buf_reset(&v);
	if (*sohoa_dossier_meta_value(m, "end_date") == '\0' &&
	    s.last_date[0] && parse_date(s.last_date, &v))
		set_item(m, "end_date", v.buf, SOHOA_META_DERIVED);
	if (*sohoa_dossier_meta_value(m, "organ_name") == '\0' && s.issuer.len)
		set_item(m, "organ_name", s.issuer.buf, SOHOA_META_DERIVED);
	if (*sohoa_dossier_meta_value(m, "title") != '\0' || s.documents == 0)
		goto out;
	sohoa_buf_addf(&t.buf, "Hồ sơ %s: ", m->code);
	rc = sohoa_archive_dossier_types(a, m->id, add_type, &t);
	if (rc == SOHOA_OK)
		set_item(m, "title", t.buf.buf, SOHOA_META_DERIVED);
out:
	sohoa_buf_release(&s.issuer);
	sohoa_buf_release(&t.buf);
	sohoa_buf_release(&v);
	return rc;
}

int
sohoa_dossier_meta_load(struct sohoa_archive *a, int64_t id,
    struct sohoa_dossier_meta **pmeta)
{
	struct sohoa_dossier_meta *m;
	struct sohoa_buf code = SOHOA_BUF_INIT;
	size_t i;
	int rc;

	*pmeta = NULL;
	rc = sohoa_archive_dossier_code(a, id, &code);
	if (rc != SOHOA_OK)
		return rc;
	m = calloc(1, sizeof(*m));
	if (m == NULL || (m->items = calloc(NKEYS, sizeof(*m->items))) == NULL) {
		free(m);
		sohoa_buf_release(&code);
		return sohoa_set_error(sohoa_archive_ctx(a), SOHOA_ERR_NOMEM,
		    "out of memory");
	}
	m->id = id;
	m->code = sohoa_buf_detach(&code, NULL);
	m->n = NKEYS;
	for (i = 0; i < NKEYS; i++) {
		m->items[i].key = keys[i].key;
		m->items[i].value = strdup(keys[i].def ? keys[i].def : "");
		m->items[i].source = keys[i].def ? SOHOA_META_DEFAULT :
		    SOHOA_META_UNSET;
		if (m->items[i].value == NULL)
			rc = SOHOA_ERR_NOMEM;
	}
	if (rc == SOHOA_OK)
		rc = sohoa_archive_dossier_meta_list(a, id, stored_cb, m);
	if (rc == SOHOA_OK &&
	    *sohoa_dossier_meta_value(m, "file_code") == '\0')
		rc = set_item(m, "file_code", m->code, SOHOA_META_DERIVED);
	if (rc == SOHOA_OK)
		rc = derive(a, m);
	if (rc != SOHOA_OK) {
		sohoa_dossier_meta_destroy(&m);
		if (rc == SOHOA_ERR_NOMEM)
			sohoa_set_error(sohoa_archive_ctx(a), rc,
			    "out of memory");
		return rc;
	}
	*pmeta = m;
	return SOHOA_OK;
}

int
sohoa_dossier_meta_validate(struct sohoa_ctx *ctx,
    const struct sohoa_dossier_meta *meta)
{
	struct sohoa_buf all = SOHOA_BUF_INIT;
	const char *conf, *v, *s, *e;
	size_t i;
	int nbad = 0, rc;

#define PROBLEM(...) do { \
	sohoa_buf_adds(&all, nbad++ ? "\n  " : "\n  "); \
	sohoa_buf_addf(&all, __VA_ARGS__); \
} while (0)
	for (i = 0; i < meta->n; i++) {
		const struct key *k = find_key(meta->items[i].key);

		v = meta->items[i].value;
		if (k == NULL || k->kind == K_DERIVED || *v == '\0')
			continue;
		if (check_value(ctx, k, v, NULL) != SOHOA_OK)
			PROBLEM("%s", sohoa_errmsg(ctx));
	}
	if (*sohoa_dossier_meta_value(meta, "title") == '\0')
		PROBLEM("'title' is not set (sohoa dossier set %s title=...)",
		    meta->code);
	conf = sohoa_dossier_meta_value(meta, "confidence_level");
	if ((strcmp(conf, "02") == 0 || strcmp(conf, "03") == 0) &&
	    *sohoa_dossier_meta_value(meta, "paper_file_code") == '\0')
		PROBLEM("'paper_file_code' is required for a digitized dossier"
		    " (confidence_level %s): sohoa dossier set %s"
		    " paper_file_code=<mã cơ quan lưu trữ>.<số hộp>.<số hồ sơ>",
		    conf, meta->code);
	if (strcmp(sohoa_dossier_meta_value(meta, "risk_recovery"), "1") == 0 &&
	    *sohoa_dossier_meta_value(meta, "risk_recovery_status") == '\0')
		PROBLEM("'risk_recovery_status' is required when risk_recovery"
		    " is 1 (01 đã dự phòng, 02 chưa)");
	s = sohoa_dossier_meta_value(meta, "start_date");
	e = sohoa_dossier_meta_value(meta, "end_date");
	if (*s && *e && parse_date(s, NULL) && parse_date(e, NULL) &&
	    date_key(s, 0) > date_key(e, 1))
		PROBLEM("'start_date' %s is after 'end_date' %s", s, e);
	if (strcmp(sohoa_dossier_meta_value(meta, "total_doc"), "0") == 0)
		PROBLEM("dossier '%s' has no documents", meta->code);
#undef PROBLEM
	if (nbad == 0) {
		sohoa_buf_release(&all);
		sohoa_clear_error(ctx);
		return SOHOA_OK;
	}
	rc = sohoa_set_error(ctx, SOHOA_ERR_INPUT,
	    "dossier '%s' has %d invalid metadata field%s:%s", meta->code,
	    nbad, nbad == 1 ? "" : "s", all.buf);
	sohoa_buf_release(&all);
	return rc;
}
