/*
 * Free text, places and units: a small vocabulary of address, medical and
 * decision phrases fixes wrong marks on whole phrases, provinces are set
 * from the list, a unit in capitals read as in a header.
 *
 *   sohoa_parse_text, parse_phrases, parse_place, parse_unit_caps,
 *   parse_year
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"
#include "parse_private.h"

static int fix_named_person(struct sohoa_buf *v, int *pfixed);

int
sohoa_parse_text(const char *s, struct sohoa_buf *out, int *pfixed)
{
	size_t before = out->len;
	int changed, rc;

	if (pfixed != NULL)
		*pfixed = 0;
	rc = text_clean(s, 1, out, &changed);
	if (rc != SOHOA_OK)
		return rc;
	/* Ð (eth), which OCR takes for Đ */
	if (text_eth(out->buf + before, out->len - before) > 0 &&
	    pfixed != NULL)
		*pfixed = 1;
	/* a closing bracket or quote belongs to the text */
	if (out->len == before)
		return SOHOA_ERR_INPUT;
	return SOHOA_OK;
}

int
parse_year(const char *s, struct sohoa_buf *out, int *pfixed)
{
	char *t;
	const char *p;
	int fixes, y = 0, n = 0, rc = SOHOA_ERR_INPUT;

	t = parse_fix_digits(s, &fixes);
	if (t == NULL)
		return SOHOA_ERR_NOMEM;
	for (p = t; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n < 5)
				y = y * 10 + (*p - '0');
			n++;
		} else if (n > 0)
			break;
	}
	if (n == 4 && y >= 1800 && y <= 2199)
		rc = sohoa_buf_addf(out, "%d", y);
	if (pfixed != NULL)
		*pfixed = fixes > 0;
	free(t);
	return rc;
}

/*
 * Phrases of addresses, causes of death and decision subjects whose marks
 * OCR often gets wrong ("Ủy bạn nhân dân", "Bệnh viên", "Ủng thư phối").
 * A run of words that folds to one of them is written as here.  The
 * wording of the civil-status procedures themselves (Luật Hộ tịch:
 * "xác định lại dân tộc", "bổ sung thông tin hộ tịch", a woman who "chưa
 * có chồng") is in every such document, whoever made it.
 */
static const char *const vocab[] = {
	"chưa đăng ký kết hôn với ai", "chưa đăng ký kết hôn", "Tai biến mạch máu não",
	"Tai nạn giao thông", "Nhồi máu cơ tim", "Ủy ban nhân dân",
	"Trung tâm Y tế", "Trạm Y tế", "Bệnh viện", "Đa khoa", "Sản Nhi",
	"Tổ dân phố", "thành phố", "thị trấn", "thị xã", "Ung thư phổi",
	"Ung thư gan", "Ung thư", "Bệnh già", "Suy tim", "Suy hô hấp",
	"Suy thận mạn", "Suy thận", "Viêm phổi", "Xơ gan", "Đột quỵ",
	"số hóa sổ hộ tịch", "sổ hộ tịch",
	"thay đổi", "cải chính", "hộ tịch", "Tổ công tác", "rà soát",
	"số hóa", "tài liệu lưu trữ", "Gia đình văn hóa", "hộ cận nghèo",
	"hộ nghèo", "chữ đệm", "danh sách", "kết hôn", "đăng ký", "ly hôn",
	"hiện tại", "Có vợ là bà", "Có chồng là ông", "Vợ đã chết",
	"Chồng đã chết", "Kế hoạch", "danh hiệu", "Quyết định",
	"xác định lại", "dân tộc", "bổ sung", "thông tin", "có chồng",
	"chưa có chồng", "chưa có vợ",
	"có vợ", "cho ông", "lần nào", "Bệnh hiểm nghèo", "Bệnh tim",
};

/* Address words, corrected only when written in small letters. */
static const char *const place_words[] = {
	"tỉnh", "huyện", "xã", "phường", "thôn", "xóm", "quận",
};

/*
 * Does phrase P (its words folded into PK, NP of them) match the words
 * of W from I?  Each word must fold the same; punctuation only at the
 * ends of a phrase of two words, so that "tỉnh, Hà" does not pass as
 * one phrase.
 */
static int
phrase_at(const char *s, const struct vword *w, size_t n, size_t i,
    const struct vword *pk, size_t np)
{
	size_t j;

	if (i + np > n)
		return 0;
	for (j = 0; j < np; j++) {
		if (strcmp(w[i + j].key.buf, pk[j].key.buf) != 0 ||
		    w[i + j].key.len == 0)
			return 0;
		/*
		 * a phrase of three words or more is one whole: a sign
		 * inside it is a speck ("Uỷ, ban nhân dân")
		 */
		if (j + 1 < np && w[i + j].ce != w[i + j].end && np < 3)
			return 0;
		if (j > 0 && w[i + j].cs != w[i + j].start)
			return 0;
	}
	/* a phrase in capitals (a heading) is left as printed */
	return !(w[i].ce - w[i].cs > 1 && text_all_upper(s + w[i].cs,
	    w[i].ce - w[i].cs));
}

/* Bytes of the first word of phrase P. */
static size_t
pk_first_len(const char *p)
{
	const char *e = strchr(p, ' ');

	return e == NULL ? strlen(p) : (size_t)(e - p);
}

#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))
#define NPLACE (sizeof(place_words) / sizeof(place_words[0]))

/* A phrase of the vocabulary, split into words once per call. */
struct vphrase {
	struct vword *w;
	size_t n;
};

/*
 * 1 when S (N bytes) is REP (REPN bytes) in either tone placement,
 * whatever the case of its letters ("Uỷ ban nhân dân" for "Ủy ban nhân
 * dân").
 */
static int
lower_tone_same(const char *s, size_t n, const char *rep, size_t repn)
{
	struct sohoa_buf t = SOHOA_BUF_INIT, u = SOHOA_BUF_INIT,
	    a = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT;
	int r;

	r = sohoa_buf_add(&t, s, n) == SOHOA_OK &&
	    sohoa_buf_add(&u, rep, repn) == SOHOA_OK &&
	    sohoa_utf8_lower(t.buf, &a) == SOHOA_OK &&
	    sohoa_utf8_lower(u.buf, &b) == SOHOA_OK &&
	    tone_same(a.buf, a.len, b.buf, b.len);
	sohoa_buf_release(&t);
	sohoa_buf_release(&u);
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	return r;
}

/*
 * The unit word OCR read with one letter wrong at word I of address V
 * ("thành phế Thủ Đức"): the units are a closed set, so a run of one or
 * two words in small letters that opens an address part, is one letter
 * off a unit of five letters or more, and comes before a name or a
 * number, is that unit.  "tỉnh", of four, too ("tỉih Vĩnh Phúc"): no
 * other unit is within two letters of it.  Its words in *PSPAN; NULL
 * when none.
 */
static const char *
unit_slip(const char *v, const struct vword *w, size_t n, size_t i,
    size_t *pspan)
{
	static const char *const units_low[][2] = {
		{ "thành phố", "thanhpho" }, { "thị trấn", "thitran" },
		{ "thị xã", "thixa" }, { "huyện", "huyen" },
		{ "phường", "phuong" }, { "tỉnh", "tinh" },
	};
	struct sohoa_buf k = SOHOA_BUF_INIT;
	const char *rep = NULL;
	size_t u, j, np;

	if (i > 0 && w[i - 1].ce == w[i - 1].end)
		return NULL;
	for (u = 0; u < sizeof(units_low) / sizeof(units_low[0]) &&
	    rep == NULL; u++) {
		np = strchr(units_low[u][0], ' ') != NULL ? 2 : 1;
		if (i + np >= n)
			continue;
		sohoa_buf_reset(&k);
		for (j = i; j < i + np; j++)
			if (!text_starts_lower(v + w[j].cs,
			    w[j].ce - w[j].cs) ||
			    (j + 1 < i + np && w[j].ce != w[j].end) ||
			    sohoa_buf_add(&k, w[j].key.buf, w[j].key.len) !=
			    SOHOA_OK)
				break;
		if (j < i + np || w[i + np - 1].ce != w[i + np - 1].end ||
		    k.buf[0] != units_low[u][1][0] ||
		    sohoa_edit_distance(k.buf, units_low[u][1], 1) != 1)
			continue;
		if (text_starts_upper(v + w[i + np].cs,
		    w[i + np].ce - w[i + np].cs) ||
		    isdigit((unsigned char)v[w[i + np].cs])) {
			rep = units_low[u][0];
			*pspan = np;
		}
	}
	sohoa_buf_release(&k);
	return rep;
}

/* 1 when the N bytes of S hold an ơ, any tone, any case ("Tờ 12"). */
static int
horn_o(const char *s, size_t n)
{
	size_t i = 0, k;
	int32_t cp;

	while (i < n && (k = sohoa_utf8_decode(s + i, n - i, &cp)) > 0) {
		if (cp == 0x01A0 || cp == 0x01A1 ||
		    (cp >= 0x1EDA && cp <= 0x1EE3))
			return 1;
		i += k;
	}
	return 0;
}

/*
 * The village unit that opens an address ("Bán Pá Khôm", "Âp Chợ"): the
 * first word, before a name or a number, that folds like one of these
 * closed words is that word with its marks; NULL when none.  "Tổ" only
 * before a number ("Tô 12"): "Tô Hiệu" is a street, "Tờ 12, thửa 345"
 * a land map's sheet.
 */
static const char *
village_slip(const char *v, const struct vword *w, size_t n)
{
	static const char *const villages[][2] = {
		{ "Ấp", "ap" }, { "Bản", "ban" }, { "Buôn", "buon" },
		{ "Thôn", "thon" }, { "Xóm", "xom" }, { "Khóm", "khom" },
		{ "Tổ", "to" },
	};
	size_t u;

	if (n < 2 || w[0].ce != w[0].end || w[0].cs != w[0].start ||
	    !text_starts_upper(v + w[0].cs, w[0].ce - w[0].cs) ||
	    text_all_upper(v + w[0].cs, w[0].ce - w[0].cs) ||
	    !(text_starts_upper(v + w[1].cs, w[1].ce - w[1].cs) ||
	    isdigit((unsigned char)v[w[1].cs])))
		return NULL;
	for (u = 0; u < sizeof(villages) / sizeof(villages[0]); u++)
		if (strcmp(w[0].key.buf, villages[u][1]) == 0 &&
		    (strcmp(villages[u][1], "to") != 0 ||
		    (isdigit((unsigned char)v[w[1].cs]) &&
		    !horn_o(v + w[0].cs, w[0].ce - w[0].cs))))
			return villages[u][0];
	return NULL;
}

/*
 * 1 when the N bytes of S are "uy" with a mark on the y ("Uỷ", "Uÿ",
 * "Ủỷ"): the old tone placement, which marks the y ("Uỷ ban"); the new
 * one marks the u and leaves the y bare, so a mark OCR saw on the y is
 * the old style's, whatever it read on the u.
 */
static int
marked_y(const char *s, size_t n)
{
	int32_t u, y;
	size_t a;

	a = sohoa_utf8_decode(s, n, &u);
	if (a == 0 || a >= n || sohoa_utf8_decode(s + a, n - a, &y) != n - a)
		return 0;
	return (u == 'U' || u == 'u' || u == 0x1EE6 || u == 0x1EE7) &&
	    (y == 0x1EF7 || y == 0x00FF || y == 0x1EF6);
}

/*
 * Append phrase REP for the SPAN words of S at W to OUT, word by word: a
 * word read as REP's in the other tone placement is kept as read ("Uỷ
 * ban nhân dần" -> "Uỷ ban nhân dân"; the first word with a mark on its
 * y: "Ủỷ ban" -> "Uỷ ban"); KEEP_FIRST: the first word stays as read (its
 * case differs from REP's).
 */
static int
add_phrase(struct sohoa_buf *out, const char *s, const struct vword *w,
    size_t span, const char *rep, int keep_first)
{
	struct vword *rw = NULL;
	size_t rn = 0, j;
	int rc;

	rc = text_split_words(rep, &rw, &rn);
	for (j = 0; j < rn && rc == SOHOA_OK; j++) {
		const char *a = s + w[j].cs, *b = rep + rw[j].cs;
		size_t an = w[j].ce - w[j].cs, bn = rw[j].ce - rw[j].cs;

		if (j > 0)
			rc = sohoa_buf_addch(out, ' ');
		if (rc != SOHOA_OK)
			break;
		if (j >= span || rn != span)
			rc = sohoa_buf_add(out, b, bn);
		else if ((j == 0 && keep_first) ||
		    (lower_tone_same(a, an, b, bn) && text_has_upper(a, an) ==
		    text_has_upper(b, bn)))
			rc = sohoa_buf_add(out, a, an);
		else if (j == 0 && marked_y(a, an) &&
		    lower_tone_same("Uỷ", strlen("Uỷ"), b, bn))
			rc = sohoa_buf_adds(out, text_has_upper(b, bn) ?
			    "Uỷ" : "uỷ");
		else
			rc = sohoa_buf_add(out, b, bn);
	}
	text_free_words(rw, rn);
	return rc;
}

/* Rewrite text V (in place) with the vocabulary; PLACE adds address words. */
static int
vocab_fix(struct sohoa_buf *v, int place, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	struct vphrase ph[NVOCAB + NPLACE];
	size_t n = 0, i, k, copied = 0, at;
	int rc;

	memset(ph, 0, sizeof(ph));
	rc = text_split_words(v->buf, &w, &n);
	for (k = 0; k < NVOCAB + NPLACE && rc == SOHOA_OK && n > 0; k++)
		rc = text_split_words(k < NVOCAB ? vocab[k] : place_words[k - NVOCAB],
		    &ph[k].w, &ph[k].n);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		const char *rep = NULL;
		size_t span = 0;

		for (k = 0; k < NVOCAB && rep == NULL; k++)
			if (phrase_at(v->buf, w, n, i, ph[k].w, ph[k].n)) {
				rep = vocab[k];
				span = ph[k].n;
			}
		for (k = NVOCAB; place && k < NVOCAB + NPLACE && rep == NULL;
		    k++)
			if (phrase_at(v->buf, w, n, i, ph[k].w, ph[k].n) &&
			    !text_has_upper(v->buf + w[i].cs, w[i].ce - w[i].cs)) {
				rep = place_words[k - NVOCAB];
				span = 1;
			}
		/* ", và Xuân Giang": "và" does not start an address part */
		if (rep == NULL && place && i > 0 && i + 1 < n &&
		    strcmp(w[i].key.buf, "va") == 0 &&
		    w[i - 1].ce != w[i - 1].end &&
		    text_starts_upper(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs)) {
			rep = "xã";
			span = 1;
		}
		if (rep == NULL && place)
			rep = unit_slip(v->buf, w, n, i, &span);
		if (rep == NULL && place && i == 0 &&
		    (rep = village_slip(v->buf, w, n)) != NULL)
			span = 1;
		/* "nấm 2019": the word before a year is "năm" */
		if (rep == NULL && i + 1 < n && strcmp(w[i].key.buf,
		    "nam") == 0 &&
		    !text_has_upper(v->buf + w[i].cs, w[i].ce - w[i].cs) &&
		    w[i + 1].key.len == 4 &&
		    isdigit((unsigned char)w[i + 1].key.buf[0])) {
			rep = "năm";
			span = 1;
		}
		if (rep == NULL || rc != SOHOA_OK)
			continue;
		/* "Uỷ ban", "Thuỷ": the old tone placement is no slip */
		if (lower_tone_same(v->buf + w[i].cs,
		    w[i + span - 1].ce - w[i].cs, rep, strlen(rep))) {
			i += span - 1;
			continue;
		}
		/*
		 * Keep what is around the phrase, replace the phrase itself;
		 * a capital at the start of a sentence stays ("Chưa ...").
		 */
		if (sohoa_buf_add(&out, v->buf + copied, w[i].cs - copied) !=
		    SOHOA_OK) {
			rc = SOHOA_ERR_NOMEM;
			break;
		}
		at = out.len;
		rc = add_phrase(&out, v->buf, w + i, span, rep,
		    text_has_upper(v->buf + w[i].cs, w[i].ce - w[i].cs) !=
		    text_has_upper(rep, pk_first_len(rep)));
		if (rc != SOHOA_OK)
			break;
		if (w[i + span - 1].ce - w[i].cs != out.len - at ||
		    memcmp(out.buf + at, v->buf + w[i].cs, out.len - at) != 0)
			*pfixed = 1;
		copied = w[i + span - 1].ce;
		i += span - 1;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	for (k = 0; k < NVOCAB + NPLACE; k++)
		text_free_words(ph[k].w, ph[k].n);
	text_free_words(w, n);
	sohoa_buf_release(&out);
	return rc;
}

/*
 * Address parts are separated by ", ": OCR gives ",." and ",tỉnh"; a
 * stray ".," or ",." becomes one comma followed by a space, and a colon,
 * which no address holds, is dropped.
 */
static int
space_commas(struct sohoa_buf *v)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < v->len && rc == SOHOA_OK; i++) {
		char c = v->buf[i];

		/* "phố 4. xã": a full stop before a small letter is a comma */
		if (c == '.' && i + 2 < v->len && v->buf[i + 1] == ' ' &&
		    islower((unsigned char)v->buf[i + 2]) && i >= 2 &&
		    (v->buf[i - 2] != ' ' ||
		    isdigit((unsigned char)v->buf[i - 1])))
			c = ',';
		/* "thành phố. Hà Nội": no full stop inside an address */
		if (c == '.' && i > 0 && i + 2 < v->len &&
		    v->buf[i + 1] == ' ' &&
		    ((unsigned char)v->buf[i - 1] >= 0x80 ||
		    islower((unsigned char)v->buf[i - 1])) &&
		    text_starts_upper(v->buf + i + 2, v->len - i - 2))
			continue;
		/* "nhân: dân", "Hoà, : xã": an address holds no colon */
		if (c == ':') {
			while (i + 1 < v->len && v->buf[i + 1] == ' ' &&
			    (out.len == 0 || out.buf[out.len - 1] == ' '))
				i++;
			continue;
		}
		/* "Trà .Côn": a speck before a word */
		if (c == '.' && i > 0 && v->buf[i - 1] == ' ' &&
		    i + 1 < v->len && v->buf[i + 1] != ' ' &&
		    v->buf[i + 1] != '.')
			continue;
		if (c == ',' || (c == '.' && i + 1 < v->len &&
		    v->buf[i + 1] == ',')) {
			while (i + 1 < v->len && (v->buf[i + 1] == '.' ||
			    v->buf[i + 1] == ','))
				i++;
			rc = sohoa_buf_addch(&out, ',');
			if (rc == SOHOA_OK && i + 1 < v->len &&
			    v->buf[i + 1] != ' ')
				rc = sohoa_buf_addch(&out, ' ');
			continue;
		}
		rc = sohoa_buf_addch(&out, c);
	}
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, out.buf, out.len);
	}
	sohoa_buf_release(&out);
	return rc;
}

/*
 * How far the folded words READ are from KNOWN: 0 the same, 1 one letter
 * off (READ of six letters or more), else 2.
 */
static size_t
key_distance(const char *read, size_t readlen, const char *known)
{
	if (strcmp(read, known) == 0)
		return 0;
	return readlen >= 6 ? sohoa_edit_distance(read, known, 1) : 2;
}

/*
 * The province of the list nearest the folded words KEY (KEYLEN long), by
 * key_distance: its name, "TP. " of a city left out, and the distance in
 * *PD; NULL when every one is 2 away.
 */
static const char *
province_near(const char *key, size_t keylen, size_t *pd, int *prc)
{
	struct sohoa_buf ek = SOHOA_BUF_INIT;
	const char *best = NULL;
	size_t p, d;

	*pd = 2;
	*prc = SOHOA_OK;
	for (p = 0; parse_province_at(p) != NULL && *pd > 0; p++) {
		const char *name = parse_province_at(p);

		if (strncmp(name, "TP. ", 4) == 0)
			name += 4;
		sohoa_buf_reset(&ek);
		*prc = fkey_simple(name, &ek);
		if (*prc != SOHOA_OK)
			break;
		d = key_distance(key, keylen, ek.buf);
		if (d < *pd) {
			*pd = d;
			best = name;
		}
	}
	sohoa_buf_release(&ek);
	return *prc == SOHOA_OK ? best : NULL;
}

/*
 * The province after "tỉnh" / "thành phố" in an address, restored from
 * the list of provinces when OCR changed its marks or one letter
 * ("Hài Phòng", "Thanh Hoá").  The words up to the next comma are the
 * name.  (A province cut at the line's end, "tỉnh Nghệ", is written out
 * by field extraction, province_cut, which flags it.)
 */
static int
fix_provinces(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, k = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, j, e, d, copied = 0;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 0; i + 1 < n && rc == SOHOA_OK; i++) {
		const char *best;

		if (!((strcmp(w[i].key.buf, "tinh") == 0 &&
		    w[i].ce == w[i].end) || (strcmp(w[i].key.buf, "pho") == 0 &&
		    i > 0 && strcmp(w[i - 1].key.buf, "thanh") == 0)))
			continue;
		/*
		 * the name: up to five words, ending at a comma or the end
		 * ("Bà Rịa - Vũng Tàu", its dash a word)
		 */
		for (e = i + 1; e < n && e < i + 6; e++)
			if (w[e].ce != w[e].end || e + 1 == n)
				break;
		if (e >= n || e == i + 6)
			continue;
		/*
		 * "thành phố" is a province only at the end of an address;
		 * before one it is a district-level city ("thành phố Phổ
		 * Yên, tỉnh Thái Nguyên"), which no list here holds.
		 */
		if (strcmp(w[i].key.buf, "pho") == 0 && e + 1 < n)
			continue;
		sohoa_buf_reset(&k);
		for (j = i + 1; j <= e && rc == SOHOA_OK; j++)
			rc = sohoa_buf_add(&k, w[j].key.buf, w[j].key.len);
		if (rc != SOHOA_OK)
			break;
		best = province_near(k.buf, k.len, &d, &rc);
		if (rc != SOHOA_OK || best == NULL)
			continue;
		if (tone_same(v->buf + w[i + 1].cs, w[e].ce - w[i + 1].cs,
		    best, strlen(best)))
			continue;
		rc = sohoa_buf_add(&out, v->buf + copied, w[i + 1].cs - copied);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(&out, best);
		copied = w[e].ce;
		*pfixed = 1;
		i = e;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&out);
	sohoa_buf_release(&k);
	return rc;
}

/*
 * A city or town named after its province ("thành phố Sóc Trăng, tỉnh
 * Sóc Trăng", "thành phố Vũng Tàu, tỉnh Bà Rịa - Vũng Tàu") is spelt as
 * the province that closes the address, once that is a name of the list:
 * a city read a mark or a letter off it ("Sóc Trắng", "Vũng Tầàu") takes
 * the province's words.  Other cities and districts are left as read (no
 * list of them here).
 */
static int
city_of_province(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT, k = SOHOA_BUF_INIT,
	    ck = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, j, t, e, m, o, d, np = 0, copied = 0, *pw = NULL;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	if (rc != SOHOA_OK || n < 4)
		goto out;
	for (t = n - 1; t > 0; t--)
		if (strcmp(w[t - 1].key.buf, "tinh") == 0 &&
		    w[t - 1].ce == w[t - 1].end)
			break;
	if (t == 0)
		goto out;
	pw = malloc((n - t) * sizeof(*pw));
	if (pw == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	for (j = t; j < n; j++) {
		if (w[j].key.len > 0) {
			pw[np++] = j;
			rc = sohoa_buf_add(&k, w[j].key.buf, w[j].key.len);
		}
		if (rc != SOHOA_OK || (w[j].ce != w[j].end && j + 1 < n))
			goto out;
	}
	if (np == 0 || province_near(k.buf, k.len, &d, &rc) == NULL ||
	    rc != SOHOA_OK || d != 0)
		goto out;
	for (i = 1; i + 1 < t - 1 && rc == SOHOA_OK; i++) {
		if (!((strcmp(w[i].key.buf, "pho") == 0 &&
		    strcmp(w[i - 1].key.buf, "thanh") == 0) ||
		    (strcmp(w[i].key.buf, "xa") == 0 &&
		    strcmp(w[i - 1].key.buf, "thi") == 0)) ||
		    w[i].ce != w[i].end)
			continue;
		for (e = i + 1; e < t - 1 && w[e].ce == w[e].end; e++)
			;
		m = e - i;
		if (e >= t - 1 || m > np)
			continue;
		sohoa_buf_reset(&ck);
		for (j = i + 1; j <= e && rc == SOHOA_OK; j++)
			rc = sohoa_buf_add(&ck, w[j].key.buf, w[j].key.len);
		/* the province's first words, or its last */
		for (o = 0; o + m <= np && rc == SOHOA_OK;
		    o = o == 0 && np > m ? np - m : np) {
			struct sohoa_buf pk = SOHOA_BUF_INIT;
			const char *a = v->buf + w[pw[o]].cs;
			size_t alen = w[pw[o + m - 1]].ce - w[pw[o]].cs;

			for (j = o; j < o + m && rc == SOHOA_OK; j++)
				rc = sohoa_buf_add(&pk, w[pw[j]].key.buf,
				    w[pw[j]].key.len);
			d = key_distance(ck.buf, ck.len, pk.buf);
			sohoa_buf_release(&pk);
			if (rc != SOHOA_OK || d > 1 ||
			    pw[o + m - 1] - pw[o] != m - 1 ||
			    tone_same(v->buf + w[i + 1].cs,
			    w[e].ce - w[i + 1].cs, a, alen))
				continue;
			rc = sohoa_buf_add(&out, v->buf + copied,
			    w[i + 1].cs - copied);
			if (rc == SOHOA_OK)
				rc = sohoa_buf_add(&out, a, alen);
			copied = w[e].ce;
			*pfixed = 1;
			break;
		}
		i = e;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
out:
	free(pw);
	text_free_words(w, n);
	sohoa_buf_release(&out);
	sohoa_buf_release(&k);
	sohoa_buf_release(&ck);
	return rc;
}

/* 1 when word W of S is a capitalised word standing alone in its part. */
static int
lone_capital(const char *s, const struct vword *w, size_t n, size_t i,
    int before)
{
	const struct vword *o;

	if (i >= n || w[i].ce == w[i].cs ||
	    !text_starts_upper(s + w[i].cs, w[i].ce - w[i].cs))
		return 0;
	if (before) {
		if (w[i].cs != w[i].start)
			return 0;
		if (i == 0)
			return 1;
		o = &w[i - 1];
		return o->ce != o->end ||
		    !text_starts_upper(s + o->cs, o->ce - o->cs);
	}
	if (w[i].ce != w[i].end || i + 1 == n)
		return 1;
	o = &w[i + 1];
	return !text_starts_upper(s + o->cs, o->ce - o->cs);
}

/*
 * 1 when word I of S is a speck standing alone inside an address: a sign
 * no address writes ("Ấp € Chợ"), or a dash between two names of one
 * syllable each ("huyện Vĩnh - Cửu"): the dashed names of the official
 * list have two syllables or more on each side ("Bà Rịa - Vũng Tàu").
 */
static int
place_speck(const char *s, const struct vword *w, size_t n, size_t i)
{
	const char *x = s + w[i].start;
	size_t len = w[i].end - w[i].start, k, step;
	int32_t cp;

	if (i == 0 || i + 1 == n || w[i - 1].ce != w[i - 1].end)
		return 0;
	if (len == 1 && x[0] == '-')
		return lone_capital(s, w, n, i - 1, 1) &&
		    lone_capital(s, w, n, i + 1, 0);
	/*
	 * an apostrophe before one small letter ("U Minh 'h Thượng"): the
	 * glottal stop of Ê Đê and Jrai names follows a capital ("H'leo")
	 */
	if (x[0] == '\'' && len > 1 && sohoa_utf8_decode(x + 1, len - 1,
	    &cp) == len - 1 && sohoa_utf8_case_cp(cp) < 0)
		return 1;
	for (k = 0; k < len; k += step) {
		step = sohoa_utf8_decode(x + k, len - k, &cp);
		if (step == 0 || text_is_letter(cp) || (cp < 0x80 &&
		    (isdigit((int)cp) || strchr("-/,.;:()'\"", (int)cp) !=
		    NULL)))
			return 0;
	}
	return 1;
}

/* Specks standing alone inside an address (place_speck) dropped. */
static int
drop_place_specks(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, copied = 0;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (!place_speck(v->buf, w, n, i))
			continue;
		rc = sohoa_buf_add(&out, v->buf + copied, w[i].start - copied);
		copied = w[i + 1].start;
		*pfixed = 1;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&out);
	return rc;
}

/*
 * A last word of one letter that is no vowel ("Bệnh hiểm nghèo l") is a
 * speck OCR read after the value, when two words or more stand before it.
 */
static void
drop_last_speck(struct sohoa_buf *v, int *pfixed)
{
	const char *sp = strrchr(v->buf, ' ');
	size_t at;

	if (sp == NULL || sp == v->buf || strchr(v->buf, ' ') == sp ||
	    sp[1] == '\0' || sp[2] != '\0' ||
	    !isalpha((unsigned char)sp[1]) ||
	    strchr("aeiouyAEIOUY", sp[1]) != NULL)
		return;
	at = (size_t)(sp - v->buf);
	while (at > 0 && v->buf[at - 1] == ' ')
		at--;
	sohoa_buf_truncate(v, at);
	*pfixed = 1;
}

/*
 * A word read with a capital I for a small l in the middle of a sentence
 * ("Đã Iy hôn"): I and small letters, followed by a word in small
 * letters, no syllable as read and one with l ("ly").
 */
static int
capital_i(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf low = SOHOA_BUF_INIT, word = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 0; i + 1 < n && rc == SOHOA_OK; i++) {
		const char *x = v->buf + w[i].cs;
		size_t len = w[i].ce - w[i].cs;

		if (len < 2 || x[0] != 'I' || w[i].cs != w[i].start ||
		    !text_starts_lower(x + 1, len - 1) ||
		    text_has_upper(x + 1, len - 1) ||
		    !text_starts_lower(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs))
			continue;
		sohoa_buf_reset(&word);
		sohoa_buf_reset(&low);
		rc = sohoa_buf_add(&word, x, len);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_lower(word.buf, &low);
		if (rc != SOHOA_OK)
			break;
		if (text_syllable(low.buf))
			continue;
		low.buf[0] = 'l';
		if (!text_syllable(low.buf))
			continue;
		v->buf[w[i].cs] = 'l';
		*pfixed = 1;
	}
	text_free_words(w, n);
	sohoa_buf_release(&low);
	sohoa_buf_release(&word);
	return rc;
}

/*
 * A letter OCR read twice, once alone: a word of one small letter that
 * is the first letter of the word after it ("là ô ông Thái") or the last
 * of the word before it ("xã ã Hoằng"), marks and all.  Dropped.
 */
static int
drop_stutter(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, copied = 0, k;
	int32_t cp;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		const char *x = v->buf + w[i].start;
		size_t len = w[i].end - w[i].start;

		k = sohoa_utf8_decode(x, len, &cp);
		if (k == 0 || k != len || sohoa_utf8_case_cp(cp) >= 0 ||
		    !((i + 1 < n && w[i + 1].ce - w[i + 1].cs > len &&
		    w[i + 1].cs == w[i + 1].start &&
		    memcmp(v->buf + w[i + 1].cs, x, len) == 0) ||
		    (i > 0 && w[i - 1].ce - w[i - 1].cs > len &&
		    w[i - 1].ce == w[i - 1].end &&
		    memcmp(v->buf + w[i - 1].ce - len, x, len) == 0)))
			continue;
		rc = sohoa_buf_add(&out, v->buf + copied, w[i].start - copied);
		copied = i + 1 < n ? w[i + 1].start : w[i].end;
		*pfixed = 1;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		while (rc == SOHOA_OK && out.len > 0 &&
		    out.buf[out.len - 1] == ' ')
			sohoa_buf_truncate(&out, out.len - 1);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&out);
	return rc;
}

/*
 * "cho. cháu": a full stop glued to a word in small letters, with a
 * sentence going on in small letters after it, is a speck (a sentence
 * opens with a capital; "TP. Hồ Chí Minh", "v.v." are not touched).
 */
static int
drop_inner_stops(struct sohoa_buf *v, int *pfixed)
{
	struct vword *w = NULL;
	size_t n = 0, i, at, k;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = n; rc == SOHOA_OK && i-- > 1;) {
		const struct vword *a = &w[i - 1], *b = &w[i];

		at = a->ce;
		if (a->end != at + 1 || v->buf[at] != '.' ||
		    a->ce - a->cs < 2 || a->cs != a->start ||
		    text_has_upper(v->buf + a->cs, a->ce - a->cs) ||
		    memchr(v->buf + a->cs, '.', a->ce - a->cs) != NULL ||
		    b->cs != b->start ||
		    !text_starts_lower(v->buf + b->cs, b->ce - b->cs))
			continue;
		for (k = at; k + 1 < v->len; k++)
			v->buf[k] = v->buf[k + 1];
		sohoa_buf_truncate(v, v->len - 1);
		*pfixed = 1;
	}
	text_free_words(w, n);
	return rc;
}

/*
 * 1 when word X (LEN bytes) of an address is a title-case name word read
 * with a capital I after its first letter ("xã ÁI Quốc", "Uông BÍ"): the
 * rest of its letters are small but for capital I-s, and it is then a
 * syllable.  A Roman numeral ("Tam Xuân II") has no marks and only the
 * letters IVXLCDM.
 */
static int
inner_capital_i(const char *x, size_t len)
{
	static const char *const caps[] = { "I", "Í", "Ì", "Ỉ", "Ĩ", "Ị" };
	size_t k, step, c, found = 0;
	int32_t cp;

	if (len < 2 || !text_starts_upper(x, len) ||
	    strspn(x, "IVXLCDM") >= len)
		return 0;
	k = sohoa_utf8_decode(x, len, &cp);
	for (; k < len; k += step) {
		step = sohoa_utf8_decode(x + k, len - k, &cp);
		if (step == 0 || !text_is_letter(cp))
			return 0;
		if (sohoa_utf8_case_cp(cp) < 0)
			continue;
		for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++)
			if (strlen(caps[c]) == step &&
			    memcmp(x + k, caps[c], step) == 0)
				break;
		if (c == sizeof(caps) / sizeof(caps[0]))
			return 0;
		found++;
	}
	return found > 0;
}

/*
 * 1 when word X (LEN bytes) of an address opens with a capital F before
 * a small vowel ("Buôn Fa Sup"): Vietnamese writes no f, nor do the Ê Đê,
 * Jrai and M'nông names of the official list (no word of places.tsv
 * opens with F); it is the E of "Ea" (water) with its lowest bar lost.
 */
static int
f_for_e(const char *x, size_t len)
{
	return len >= 2 && x[0] == 'F' && strchr("aeiouy", x[1]) != NULL;
}

/*
 * Letter slips of one word of an address, each mended in place (the
 * mended letters are as long as the read ones): a capital I inside a
 * title-case word, an F for an E, the glide o read as u (text_ua_slip).
 * A capital I is taken for a slip only beside a word with small letters
 * (an address in capitals keeps its "ÁI").
 */
static int
place_letter_slips(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf low = SOHOA_BUF_INIT, word = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, len, step;
	int32_t cp;
	long at;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		char *x = v->buf + w[i].cs;

		len = w[i].ce - w[i].cs;
		if (len < 2 || !text_starts_upper(x, len))
			continue;
		sohoa_buf_reset(&word);
		sohoa_buf_reset(&low);
		rc = sohoa_buf_add(&word, x, len);
		if (rc == SOHOA_OK)
			rc = sohoa_utf8_lower(word.buf, &low);
		if (rc != SOHOA_OK || low.len != len)
			continue;
		if (inner_capital_i(x, len) && text_syllable(low.buf) &&
		    ((i > 0 && text_has_lower(v->buf + w[i - 1].cs,
		    w[i - 1].ce - w[i - 1].cs)) || (i + 1 < n &&
		    text_has_lower(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs)))) {
			step = sohoa_utf8_decode(x, len, &cp);
			memcpy(x + step, low.buf + step, len - step);
			*pfixed = 1;
		} else if (f_for_e(x, len)) {
			x[0] = 'E';
			*pfixed = 1;
		} else if (!text_has_upper(x + 1, len - 1) &&
		    (at = text_ua_slip(low.buf)) >= 0) {
			x[at] = 'o';
			*pfixed = 1;
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&low);
	sohoa_buf_release(&word);
	return rc;
}

/* WORD lower-cased in place; *PSYL: it is then a syllable. */
static int
lower_syllable(struct sohoa_buf *word, int *psyl)
{
	struct sohoa_buf t = SOHOA_BUF_INIT;
	int rc;

	*psyl = 0;
	rc = sohoa_utf8_lower(word->buf, &t);
	if (rc == SOHOA_OK) {
		*psyl = text_syllable(t.buf);
		sohoa_buf_release(word);
		*word = t;
	} else
		sohoa_buf_release(&t);
	return rc;
}

/*
 * 1 when word I of the words W of S ends a unit word, alone ("xã", "thôn")
 * or with the word before it ("thị trấn").
 */
static int
unit_ends(const char *s, const struct vword *w, size_t i)
{
	unsigned units = TEXT_UNIT_ADMIN | TEXT_UNIT_VILLAGE;

	if (text_unit_at(s + w[i].cs, w[i].ce - w[i].cs, units) ==
	    w[i].ce - w[i].cs)
		return 1;
	return i > 0 && text_unit_at(s + w[i - 1].start, w[i].ce -
	    w[i - 1].start, units) == w[i].ce - w[i - 1].start;
}

/*
 * "xã la RVê": a small "la" (or "1a") between a unit word and a word
 * that is no Vietnamese syllable is the prefix "Ia" (water) of Jrai and
 * Ê Đê place names, its I read as l or 1 (L has a foot): the name after
 * a unit opens with a capital.  Before a syllable it may be "La" ("xã
 * la Bằng" in Thái Nguyên): the known places tell (respell.c).
 */
static int
ia_prefix(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf low = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i;
	int rc, syl;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 1; i + 1 < n && rc == SOHOA_OK; i++) {
		char *x = v->buf + w[i].start;

		if (w[i].end - w[i].start != 2 || (x[0] != 'l' &&
		    x[0] != '1') || x[1] != 'a' ||
		    w[i - 1].ce != w[i - 1].end ||
		    !text_starts_upper(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs) ||
		    w[i + 1].cs != w[i + 1].start)
			continue;
		sohoa_buf_reset(&low);
		rc = sohoa_buf_add(&low, v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs);
		if (rc == SOHOA_OK)
			rc = lower_syllable(&low, &syl);
		if (rc != SOHOA_OK || syl)
			continue;
		if (unit_ends(v->buf, w, i - 1)) {
			x[0] = 'I';
			*pfixed = 1;
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&low);
	return rc;
}

/*
 * "Ủy ban nhân dân, xã Hoằng Lưu": a committee is named by its unit, so
 * a comma between "nhân dân" and a unit word is a speck.
 */
static int
committee_comma(struct sohoa_buf *v, int *pfixed)
{
	struct vword *w = NULL;
	size_t n = 0, i, at;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = n; rc == SOHOA_OK && i-- > 2;) {
		at = w[i - 1].ce;
		if (strcmp(w[i - 2].key.buf, "nhan") != 0 ||
		    strcmp(w[i - 1].key.buf, "dan") != 0 ||
		    w[i - 1].end != at + 1 || v->buf[at] != ',' ||
		    w[i].cs != w[i].start ||
		    !text_starts_lower(v->buf + w[i].cs, w[i].ce - w[i].cs))
			continue;
		if (text_unit_at(v->buf + w[i].start, v->len - w[i].start,
		    TEXT_UNIT_ADMIN) == 0)
			continue;
		memmove(v->buf + at, v->buf + at + 1, v->len - at);
		sohoa_buf_truncate(v, v->len - 1);
		*pfixed = 1;
	}
	text_free_words(w, n);
	return rc;
}

/* Free text with the vocabulary applied (PLACE: an address). */
int
parse_phrases(const char *s, int place, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	size_t i;
	int rc, fixed = 0;

	rc = sohoa_parse_text(s, &v, pfixed);
	if (rc == SOHOA_OK)
		drop_last_speck(&v, &fixed);
	if (rc == SOHOA_OK)
		rc = capital_i(&v, &fixed);
	if (rc == SOHOA_OK)
		rc = drop_stutter(&v, &fixed);
	if (rc == SOHOA_OK && place)
		rc = space_commas(&v);
	if (rc == SOHOA_OK && place)
		rc = drop_place_specks(&v, &fixed);
	if (rc == SOHOA_OK && place)
		rc = place_letter_slips(&v, &fixed);
	if (rc == SOHOA_OK && place)
		rc = ia_prefix(&v, &fixed);
	if (rc == SOHOA_OK && place)
		rc = committee_comma(&v, &fixed);
	if (rc == SOHOA_OK)
		rc = vocab_fix(&v, place, &fixed);
	if (rc == SOHOA_OK && place)
		rc = fix_provinces(&v, &fixed);
	if (rc == SOHOA_OK && place)
		rc = city_of_province(&v, &fixed);
	if (rc == SOHOA_OK && !place)
		rc = drop_inner_stops(&v, &fixed);
	if (rc == SOHOA_OK && !place)
		rc = fix_named_person(&v, &fixed);
	/* the ';' OCR reads for ',' between address parts */
	for (i = 0; place && i < v.len; i++)
		if (v.buf[i] == ';')
			v.buf[i] = ',';
	if (rc == SOHOA_OK)
		rc = sohoa_buf_add(out, v.buf, v.len);
	if (rc == SOHOA_OK && pfixed != NULL && fixed)
		*pfixed = 1;
	sohoa_buf_release(&v);
	return rc;
}

/*
 * 1 when word W of S is one capital and an apostrophe, the glottal stop
 * of Ê Đê, Jrai and Ba Na names ("H' Neng", "Ea H'leo").
 */
static int
glottal(const char *s, const struct vword *w)
{
	return w->end == w->ce + 1 && s[w->ce] == '\'' &&
	    w->ce == w->cs + 1 && text_glottal_capital((unsigned char)s[w->cs]);
}

/* Administrative unit words, as printed in capitals in headers. */
static const char *const units[] = {
	"XÃ", "PHƯỜNG", "THỊ TRẤN", "THỊ XÃ", "HUYỆN", "QUẬN", "TỈNH",
	"THÀNH PHỐ",
};

/*
 * 1 when words W[0] and W[1] are KEY (a folded unit word) read in two at
 * a letter read twice: "TRÁ ẤN" for "TRẤN" ("tra" + "an" is "tran" with
 * its a doubled).
 */
static int
split_word(const struct vword *w, const char *key)
{
	const char *a = w[0].key.buf, *b = w[1].key.buf;
	size_t an = w[0].key.len, bn = w[1].key.len, kn = strlen(key);

	return an > 0 && bn > 0 && an + bn == kn + 1 && an < kn &&
	    memcmp(a, key, an) == 0 && a[an - 1] == b[0] &&
	    memcmp(b + 1, key + an, bn - 1) == 0;
}

/* Append the N bytes of S in capitals (Vietnamese letters). */
static int
add_upper(struct sohoa_buf *out, const char *s, size_t n)
{
	size_t i = 0, k;
	int32_t cp;
	int rc = SOHOA_OK;

	while (i < n && rc == SOHOA_OK) {
		k = sohoa_utf8_decode(s + i, n - i, &cp);
		if ((cp >= 'a' && cp <= 'z') ||
		    (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
			cp -= 32;
		else if (cp == 0x103 || cp == 0x111 || cp == 0x129 ||
		    cp == 0x169 || cp == 0x1A1)
			cp -= 1;
		else if (cp == 0x1B0)
			cp = 0x1AF;
		else if (cp >= 0x1EA0 && cp <= 0x1EF9 && (cp & 1))
			cp -= 1;
		rc = sohoa_utf8_add_cp(out, cp);
		i += k;
	}
	return rc;
}

/*
 * 1 when word I of the N words W of S is the last word of a unit's name
 * read in small letters, its capital aside ("UBND XÃ ĐÔNG cửu", "XÃ TÂN
 * AN Hội"): the last of the line, after a word of the name in capitals,
 * a syllable with nothing glued to it.  Beside the name in a two-column
 * header stand more words ("Độc lập", "Tân Hải, ngày …"), never one.
 */
static int
small_last(const char *s, const struct vword *w, size_t n, size_t i,
    size_t span)
{
	struct sohoa_buf low = SOHOA_BUF_INIT, word = SOHOA_BUF_INIT;
	const char *x = s + w[i].cs;
	size_t len = w[i].ce - w[i].cs, c1;
	int32_t cp;
	int r;

	if (i + 1 != n || i == span || w[i].cs != w[i].start ||
	    w[i].ce != w[i].end || len < 2)
		return 0;
	c1 = sohoa_utf8_decode(x, len, &cp);
	if (!text_has_lower(x + c1, len - c1) ||
	    text_has_upper(x + c1, len - c1) ||
	    !text_all_upper(s + w[i - 1].cs, w[i - 1].ce - w[i - 1].cs) ||
	    w[i - 1].ce != w[i - 1].end)
		return 0;
	r = sohoa_buf_add(&word, x, len) == SOHOA_OK &&
	    sohoa_utf8_lower(word.buf, &low) == SOHOA_OK &&
	    text_syllable(low.buf);
	sohoa_buf_release(&word);
	sohoa_buf_release(&low);
	return r;
}

/*
 * 1 when word W of S is one consonant alone, without the apostrophe of
 * "H' NENG": no syllable, so no word of a place's name but a speck the
 * seal or the scan left inside it ("XÃ N MINH QUANG"; "XÃ NA Ư" holds
 * vowels).
 */
static int
lone_consonant(const char *s, const struct vword *w)
{
	return w->ce - w->cs == 1 && w->ce == w->end && isupper(
	    (unsigned char)s[w->cs]) && strchr("AEIOUY", s[w->cs]) == NULL &&
	    !glottal(s, w);
}

/*
 * An administrative unit in capitals, as in the issuer block of a header:
 * "XÃ TÂN HẢI".  The unit word is restored ("XÀ" -> "XÃ"); the name runs
 * over the following words in capitals (so "Độc lập", "Tân Hải, ngày"
 * beside it in a two-column header are left out).
 */
int
parse_unit_caps(const char *s, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	struct vword *w = NULL, *pk = NULL;
	size_t n = 0, np = 0, i, k, span = 0, end, first, ustart = 0;
	const char *unit = NULL;
	int rc, changed;

	rc = text_clean(s, 1, &v, &changed);
	if (rc == SOHOA_OK && text_eth(v.buf, v.len) > 0 && pfixed != NULL)
		*pfixed = 1;
	if (rc == SOHOA_OK)
		rc = text_split_words(v.buf, &w, &n);
	/*
	 * The unit word at the start; when the name after it opens with a
	 * unit word again, that one is the unit (a word read twice, "XÃ XÃ
	 * ĐỒNG TIẾN", or a stray one, "XÃ THỊ XÃ VIỆT YÊN").
	 */
	for (first = 0; rc == SOHOA_OK && first < n; first = span) {
		const char *u = NULL;
		size_t us = 0;

		for (k = 0; k < sizeof(units) / sizeof(units[0]) &&
		    u == NULL && rc == SOHOA_OK; k++) {
			size_t extra = 0;

			text_free_words(pk, np);
			pk = NULL;
			np = 0;
			rc = text_split_words(units[k], &pk, &np);
			for (i = 0; rc == SOHOA_OK && i < np &&
			    first + i + extra < n; i++) {
				if (strcmp(w[first + i + extra].key.buf,
				    pk[i].key.buf) == 0)
					continue;
				/* "TRÁ ẤN": one word split */
				if (first == 0 && i > 0 && extra == 0 &&
				    first + i + 1 < n && split_word(
				    &w[first + i], pk[i].key.buf)) {
					extra = 1;
					continue;
				}
				break;
			}
			/* a unit inside a name is one written with its marks */
			if (rc == SOHOA_OK && i == np && (first == 0 ||
			    (w[first + np - 1].ce - w[first].cs ==
			    strlen(units[k]) && memcmp(v.buf + w[first].cs,
			    units[k], strlen(units[k])) == 0))) {
				u = units[k];
				us = np + extra;
				if (extra && pfixed != NULL)
					*pfixed = 1;
			}
		}
		if (u == NULL)
			break;
		if (unit != NULL && pfixed != NULL)
			*pfixed = 1;
		unit = u;
		ustart = first;
		span = first + us;
	}
	if (rc != SOHOA_OK)
		goto out;
	rc = SOHOA_ERR_INPUT;
	if (unit == NULL)
		goto out;
	for (end = span; end < n; end++) {
		const char *x = v.buf + w[end].cs;
		size_t len = w[end].ce - w[end].cs;

		/* a ward or town may be numbered ("PHƯỜNG 13") */
		int number = len > 0 && len <= 3 && end == span &&
		    strspn(x, "0123456789") >= len;
		int32_t cp;
		/*
		 * one letter or digit, in one byte or more ("XÃ NA Ư", "XÃ
		 * TÂN PHƯỚC 1"); a sign alone after the name is a speck
		 * ("XÃ DIÊN LÂM ˆ")
		 */
		int one = len > 0 && sohoa_utf8_decode(x, len, &cp) == len &&
		    (text_is_letter(cp) || (cp >= '0' && cp <= '9'));

		if (!number && len > 0 && small_last(v.buf, w, n, end, span))
			continue;
		if (!number && (len == 0 || text_has_lower(x, len) ||
		    (!one && !text_all_upper(x, len))))
			break;
		/*
		 * a comma ends the name ("TÂN HẢI, ngày"); an apostrophe
		 * after one letter is the name's ("XÃ H' NENG")
		 */
		if (glottal(v.buf, &w[end]))
			continue;
		if (w[end].ce != w[end].end) {
			end++;
			break;
		}
	}
	if (end == span)
		goto out;
	if (memcmp(v.buf + w[ustart].cs, unit, strlen(unit)) != 0 &&
	    pfixed != NULL)
		*pfixed = 1;
	rc = sohoa_buf_adds(out, unit);
	/*
	 * "PHƯỜNG II" for ward 11: a commune's Roman numeral follows its
	 * name, never the unit alone (see unit_number)
	 */
	if (end == span + 1 && w[span].ce - w[span].cs <= 2 &&
	    strspn(v.buf + w[span].cs, "Il") >= w[span].ce - w[span].cs &&
	    (strcmp(unit, "PHƯỜNG") == 0 || strcmp(unit, "QUẬN") == 0)) {
		for (i = w[span].cs; i < w[span].ce; i++)
			v.buf[i] = '1';
		if (pfixed != NULL)
			*pfixed = 1;
	}
	for (i = span; i < end && rc == SOHOA_OK; i++) {
		if (i + 1 < end && lone_consonant(v.buf, &w[i])) {
			if (pfixed != NULL)
				*pfixed = 1;
			continue;
		}
		rc = sohoa_buf_addch(out, ' ');
		if (rc == SOHOA_OK && small_last(v.buf, w, n, i, span)) {
			rc = add_upper(out, v.buf + w[i].cs, w[i].ce - w[i].cs);
			if (pfixed != NULL)
				*pfixed = 1;
		} else if (rc == SOHOA_OK)
			rc = sohoa_buf_add(out, v.buf + w[i].cs,
			    (glottal(v.buf, &w[i]) ? w[i].end : w[i].ce) -
			    w[i].cs);
	}
out:
	text_free_words(pk, np);
	text_free_words(w, n);
	sohoa_buf_release(&v);
	return rc;
}

/*
 * A person named inside free text ("Có chồng là ông Trân Thành Chuẩn"):
 * the surname after "ông" / "bà" is restored like a name's.
 */
static int
fix_named_person(struct sohoa_buf *v, int *pfixed)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, i, copied = 0, lead;
	int rc;

	rc = text_split_words(v->buf, &w, &n);
	for (i = 0; i + 2 < n && rc == SOHOA_OK; i++) {
		const char *x = v->buf + w[i].start;

		if (!((w[i].end - w[i].start == strlen("ông") &&
		    memcmp(x, "ông", strlen("ông")) == 0) ||
		    (w[i].end - w[i].start == strlen("bà") &&
		    memcmp(x, "bà", strlen("bà")) == 0)) ||
		    !text_starts_upper(v->buf + w[i + 1].cs,
		    w[i + 1].ce - w[i + 1].cs) ||
		    !text_starts_upper(v->buf + w[i + 2].cs,
		    w[i + 2].ce - w[i + 2].cs))
			continue;
		/* no name opens with a sign: "ông -Rmah Blui" */
		lead = w[i + 1].start + strspn(v->buf + w[i + 1].start, "-~_");
		if (lead != w[i + 1].cs)
			lead = w[i + 1].start;
		else if (lead != w[i + 1].start)
			*pfixed = 1;
		rc = sohoa_buf_add(&out, v->buf + copied, w[i + 1].start -
		    copied);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_add(&out, v->buf + lead,
			    w[i + 1].cs - lead);
		if (rc == SOHOA_OK)
			rc = name_fix_surname(v->buf + w[i + 1].cs,
			    w[i + 1].ce - w[i + 1].cs,
			    text_all_upper(v->buf + w[i + 1].cs,
			    w[i + 1].ce - w[i + 1].cs), 1, &out, pfixed);
		copied = w[i + 1].ce;
	}
	if (rc == SOHOA_OK && copied > 0) {
		rc = sohoa_buf_add(&out, v->buf + copied, v->len - copied);
		if (rc == SOHOA_OK) {
			sohoa_buf_reset(v);
			rc = sohoa_buf_add(v, out.buf, out.len);
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&out);
	return rc;
}

/*
 * A ward or district numbered with digits read as letters: "phường II",
 * "Phường Il" for 11.  Communes of one name are numbered with Roman
 * numerals after the name ("Tam Xuân I"), never by a numeral alone, so a
 * unit word followed only by I and l is a number.
 */
static int
unit_number(struct sohoa_buf *v, int *pfixed)
{
	static const char *const wards[] = {
		"phường ", "Phường ", "quận ", "Quận ",
	};
	size_t u, at, e, k;

	for (u = 0; u < sizeof(wards) / sizeof(wards[0]); u++) {
		char *p = v->buf;

		while ((p = strstr(p, wards[u])) != NULL) {
			at = (size_t)(p - v->buf) + strlen(wards[u]);
			p += strlen(wards[u]);
			if (at > strlen(wards[u]) && p[-1 - strlen(wards[u])] !=
			    ' ')
				continue;
			for (e = at; v->buf[e] == 'I' || v->buf[e] == 'l';
			    e++)
				;
			if (e == at || e - at > 2 || (v->buf[e] != ',' &&
			    v->buf[e] != '\0'))
				continue;
			for (k = at; k < e; k++)
				v->buf[k] = '1';
			*pfixed = 1;
		}
	}
	return SOHOA_OK;
}

/*
 * "Tại nhà Khóm 2, …": a death at home is written "Tại nhà, " and the
 * address; the comma OCR lost before a capitalised word comes back.
 */
static int
home_comma(struct sohoa_buf *v)
{
	static const char home[] = "Tại nhà ";
	struct sohoa_buf t = SOHOA_BUF_INIT;
	int rc;

	if (strncmp(v->buf, home, strlen(home)) != 0 ||
	    !text_starts_upper(v->buf + strlen(home),
	    v->len - strlen(home)))
		return SOHOA_OK;
	rc = sohoa_buf_add(&t, v->buf, strlen(home) - 1);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&t, ", ");
	if (rc == SOHOA_OK)
		rc = sohoa_buf_adds(&t, v->buf + strlen(home));
	if (rc == SOHOA_OK) {
		sohoa_buf_reset(v);
		rc = sohoa_buf_add(v, t.buf, t.len);
	}
	sohoa_buf_release(&t);
	return rc;
}

/*
 * Bytes of S that spell province NAME word for word, marks and tone
 * placement aside ("Thanh Hoá" for "Thanh Hóa"), up to a word's end; 0
 * when S does not open with it.
 */
static size_t
spells_province(const char *s, const char *name)
{
	struct sohoa_buf a = SOHOA_BUF_INIT, b = SOHOA_BUF_INIT;
	size_t n = 0, words = 1, i;
	int ok;

	for (i = 0; name[i] != '\0'; i++)
		words += name[i] == ' ';
	while (s[n] != '\0' && words > 0) {
		n += strcspn(s + n, " ");
		if (--words > 0 && s[n] == ' ')
			n++;
	}
	ok = words == 0 && fkey_simple_n(s, n, &a) == SOHOA_OK &&
	    fkey_simple(name, &b) == SOHOA_OK && a.len > 0 &&
	    strcmp(a.buf, b.buf) == 0;
	/* a word's end: "Nam Định" is not "Nam" */
	while (ok && n > 0 && strchr(",.;:", s[n - 1]) != NULL)
		n--;
	sohoa_buf_release(&a);
	sohoa_buf_release(&b);
	return ok ? n : 0;
}

/*
 * An address ends with its province: what the line went on with after
 * the last "tỉnh …" or "thành phố …" naming a province ("…, tỉnh Lai
 * Châu, từ dân tộc Kinh sang dân tộc Mông", "…, thành phố Cần Thơ Nội
 * dung trước khi thay đổi …") is the sentence's, cut off and marked.
 */
static int
province_end(struct sohoa_buf *v, int *pfixed)
{
	static const char *const levels[] = {
		"tỉnh ", "Tỉnh ", "thành phố ", "Thành phố ",
	};
	size_t i, k, p, n, end = 0;
	const char *name;

	for (i = 0; i < v->len; i++) {
		if (i > 0 && v->buf[i - 1] != ' ')
			continue;
		for (k = 0; k < sizeof(levels) / sizeof(levels[0]); k++) {
			size_t ul = strlen(levels[k]);

			if (strncmp(v->buf + i, levels[k], ul) != 0)
				continue;
			for (p = 0; (name = parse_province_at(p)) != NULL;
			    p++)
				if ((n = spells_province(v->buf + i + ul,
				    name)) > 0 && i + ul + n > end)
					end = i + ul + n;
		}
	}
	if (end == 0 || end >= v->len)
		return SOHOA_OK;
	/* nothing but a stop or a closing sign after it */
	for (i = end; i < v->len && strchr(" .,;:)\"'", v->buf[i]) != NULL;
	    i++)
		;
	if (i == v->len)
		return SOHOA_OK;
	/* an address written from the province down goes on after it */
	for (; i < v->len; i++)
		if ((i == end || v->buf[i - 1] == ' ') && text_unit_at(
		    v->buf + i, v->len - i, TEXT_UNIT_ADMIN |
		    TEXT_UNIT_VILLAGE) > 0)
			return SOHOA_OK;
	v->buf[end] = '\0';
	v->len = end;
	*pfixed = 1;
	return SOHOA_OK;
}

/* A place: an address or the name of a hospital. */
int
parse_place(const char *s, struct sohoa_buf *out, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	int rc, fixed = 0;

	rc = parse_phrases(s, 1, &v, pfixed);
	if (rc == SOHOA_OK)
		rc = unit_number(&v, &fixed);
	if (rc == SOHOA_OK)
		rc = province_end(&v, &fixed);
	if (rc == SOHOA_OK)
		rc = home_comma(&v);
	if (rc == SOHOA_OK)
		rc = sohoa_buf_add(out, v.buf, v.len);
	if (rc == SOHOA_OK && pfixed != NULL && fixed)
		*pfixed = 1;
	sohoa_buf_release(&v);
	return rc;
}
