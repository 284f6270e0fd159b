/*
 * Values from closed lists: sex, the 54 ethnic groups, nationality.
 *
 *   sohoa_parse_sex, sohoa_parse_ethnicity, sohoa_parse_nationality
 *   parse_list_value, parse_list_end
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

/* ---- lists ---- */

/*
 * Best entry of LIST for S by folded key; exact key wins, else the unique
 * nearest within a small distance.  Returns the index or -1.
 */
static int
list_match(const char *s, const char *const *list, size_t n,
    const char *const *alias_from, const char *const *alias_to,
    size_t nalias, int *pfixed)
{
	struct sohoa_buf key = SOHOA_BUF_INIT, ek = SOHOA_BUF_INIT;
	size_t i, best = (size_t)-1, bestd = (size_t)-1, maxd;
	int tie = 0, idx = -1;

	*pfixed = 0;
	if (fkey_simple(s, &key) != SOHOA_OK || key.len == 0)
		goto out;
	/* "rn" is often "m" misread */
	for (i = 0; i + 1 < key.len; i++)
		if (key.buf[i] == 'r' && key.buf[i + 1] == 'n') {
			key.buf[i] = 'm';
			memmove(key.buf + i + 1, key.buf + i + 2,
			    key.len - i - 1);
			key.len--;
		}
	for (i = 0; i < nalias; i++) {
		sohoa_buf_reset(&ek);
		if (fkey_simple(alias_from[i], &ek) != SOHOA_OK)
			goto out;
		if (strcmp(ek.buf, key.buf) == 0) {
			size_t j;

			for (j = 0; j < n; j++)
				if (strcmp(list[j], alias_to[i]) == 0)
					idx = (int)j;
			goto out;
		}
	}
	/* two slips in a word of four letters still leave one best entry */
	maxd = key.len >= 4 ? 2 : key.len == 3 ? 1 : 0;
	for (i = 0; i < n; i++) {
		size_t d;

		sohoa_buf_reset(&ek);
		if (fkey_simple(list[i], &ek) != SOHOA_OK)
			goto out;
		/* and a short entry ("Anh", "Ý") must be read nearly right */
		d = sohoa_edit_distance(key.buf, ek.buf, maxd);
		if (d > maxd || d > (ek.len >= 4 ? 2u : ek.len == 3 ? 1u : 0u))
			continue;
		if (d < bestd) {
			bestd = d;
			best = i;
			tie = 0;
		} else if (d == bestd)
			tie = 1;
	}
	if (best != (size_t)-1 && !tie) {
		idx = (int)best;
		*pfixed = bestd > 0;
	}
out:
	sohoa_buf_release(&key);
	sohoa_buf_release(&ek);
	return idx;
}

int
sohoa_parse_sex(const char *s, const char **pvalue, int *pfixed)
{
	static const char *const sexes[] = { "Nam", "Nữ" };
	static const char *const afrom[] = { "Trai", "Gái", "Male", "Female" };
	static const char *const ato[] = { "Nam", "Nữ", "Nam", "Nữ" };
	int fixed, i;

	*pvalue = NULL;
	i = list_match(s, sexes, 2, afrom, ato, 4, &fixed);
	if (pfixed != NULL)
		*pfixed = fixed;
	if (i < 0) {
		/* "Nữ" folds to "nu", two letters: allow the usual OCR forms */
		struct sohoa_buf k = SOHOA_BUF_INIT;

		if (fkey_simple(s, &k) == SOHOA_OK &&
		    (strcmp(k.buf, "nu") == 0 || strcmp(k.buf, "nir") == 0 ||
		    strcmp(k.buf, "nii") == 0 || strcmp(k.buf, "mu") == 0 ||
		    strcmp(k.buf, "nù") == 0))
			i = 1;
		if (pfixed != NULL && i == 1)
			*pfixed = strcmp(k.buf, "nu") != 0;
		sohoa_buf_release(&k);
	}
	if (i < 0)
		return SOHOA_ERR_INPUT;
	*pvalue = sexes[i];
	return SOHOA_OK;
}

/* The 54 ethnic groups, as the official list writes them. */
static const char *const ethnicities[] = {
	"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông",
	"Dao", "Gia Rai", "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho",
	"Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ", "Xtiêng",
	"Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
	"Giẻ Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào",
	"La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự",
	"Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La",
	"Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
};

int
sohoa_parse_ethnicity(const char *s, const char **pvalue, int *pfixed)
{
	static const char *const afrom[] = {
		"Mèo", "Khơ Me", "Khơ-me", "Bru", "Vân Kiều",
		"Tà Ôi Pa Cô", "Sán Chỉ", "Xtiêng", "Ra-glai", "Rơ-măm",
	};
	static const char *const ato[] = {
		"Mông", "Khmer", "Khmer", "Bru - Vân Kiều",
		"Bru - Vân Kiều", "Tà Ôi", "Sán Chay", "Xtiêng", "Ra Glai",
		"Rơ Măm",
	};
	struct sohoa_buf k = SOHOA_BUF_INIT;
	int fixed, i;

	*pvalue = NULL;
	/* the common spelling H'Mông is kept as printed */
	if (fkey_simple(s, &k) == SOHOA_OK && strcmp(k.buf, "hmong") == 0) {
		sohoa_buf_release(&k);
		if (pfixed != NULL)
			*pfixed = 0;
		*pvalue = "H'Mông";
		return SOHOA_OK;
	}
	sohoa_buf_release(&k);
	i = list_match(s, ethnicities,
	    sizeof(ethnicities) / sizeof(ethnicities[0]),
	    afrom, ato, sizeof(afrom) / sizeof(afrom[0]), &fixed);
	if (pfixed != NULL)
		*pfixed = fixed;
	if (i < 0)
		return SOHOA_ERR_INPUT;
	*pvalue = ethnicities[i];
	return SOHOA_OK;
}

size_t
sohoa_ethnicity_count(void)
{
	return sizeof(ethnicities) / sizeof(ethnicities[0]);
}

int
sohoa_parse_nationality(const char *s, const char **pvalue, int *pfixed)
{
	static const char *const nations[] = {
		"Việt Nam", "Lào", "Campuchia", "Trung Quốc", "Thái Lan",
		"Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Pháp", "Đức", "Anh", "Nga",
		"Úc", "Canada", "Đài Loan", "Singapore", "Malaysia",
		"Indonesia", "Philippines", "Myanmar", "Ấn Độ", "Ý",
		"Tây Ban Nha", "Ba Lan", "Séc", "Hà Lan", "Bỉ", "Thụy Điển",
		"Na Uy", "Đan Mạch", "Phần Lan", "Thụy Sĩ", "Cu Ba", "Brunei",
		"Đông Timor", "New Zealand", "Ukraina", "Hungary", "Bungari",
		"Rumani", "Mông Cổ", "Triều Tiên",
	};
	static const char *const afrom[] = {
		"Việt nam", "VN", "Mỹ", "Kampuchea", "Cam-pu-chia", "Hàn",
		    "Nhật",
		"Australia", "Ô-xtrây-li-a", "Xin-ga-po", "Ma-lai-xi-a",
	};
	static const char *const ato[] = {
		"Việt Nam", "Việt Nam", "Hoa Kỳ", "Campuchia", "Campuchia",
		"Hàn Quốc", "Nhật Bản", "Úc", "Úc", "Singapore", "Malaysia",
	};
	int fixed, i;

	*pvalue = NULL;
	i = list_match(s, nations, sizeof(nations) / sizeof(nations[0]),
	    afrom, ato, sizeof(afrom) / sizeof(afrom[0]), &fixed);
	if (pfixed != NULL)
		*pfixed = fixed;
	if (i < 0)
		return SOHOA_ERR_INPUT;
	*pvalue = nations[i];
	return SOHOA_OK;
}


static int
list_value(const char *type, const char *s, const char **pv, int *pfixed)
{
	if (type[0] == 's')
		return sohoa_parse_sex(s, pv, pfixed);
	if (type[0] == 'e')
		return sohoa_parse_ethnicity(s, pv, pfixed);
	return sohoa_parse_nationality(s, pv, pfixed);
}

/* The longest run of S's first one to three words that is in the list. */
static int
list_prefix(const char *type, const char *s, const char **pv, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT, pre = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, k;
	int rc, found = 0;

	rc = text_clean(s, 1, &v, &found);
	found = 0;
	if (rc == SOHOA_OK)
		rc = text_split_words(v.buf, &w, &n);
	for (k = n > 3 ? 3 : n > 1 ? n - 1 : 0; k >= 1 && rc == SOHOA_OK &&
	    !found; k--) {
		sohoa_buf_reset(&pre);
		rc = sohoa_buf_add(&pre, v.buf, w[k - 1].ce);
		if (rc == SOHOA_OK && list_value(type, pre.buf, pv, pfixed) ==
		    SOHOA_OK) {
			found = 1;
			/* what followed was not read: less sure */
			if (pfixed != NULL)
				*pfixed = 1;
		}
	}
	text_free_words(w, n);
	sohoa_buf_release(&v);
	sohoa_buf_release(&pre);
	if (rc != SOHOA_OK)
		return rc;
	return found ? SOHOA_OK : SOHOA_ERR_INPUT;
}

/*
 * The last one to three words of S that are in the list: the value
 * before a label when the label in front of it was not recognised
 * ("Cơi tính: Nữ").
 */
static int
list_suffix(const char *type, const char *s, const char **pv, int *pfixed)
{
	struct sohoa_buf v = SOHOA_BUF_INIT;
	struct vword *w = NULL;
	size_t n = 0, k;
	int rc, found = 0;

	rc = text_clean(s, 1, &v, &found);
	found = 0;
	if (rc == SOHOA_OK)
		rc = text_split_words(v.buf, &w, &n);
	for (k = n > 3 ? 3 : n; k >= 1 && rc == SOHOA_OK && !found; k--)
		if (list_value(type, v.buf + w[n - k].cs, pv, pfixed) ==
		    SOHOA_OK) {
			found = 1;
			if (pfixed != NULL)
				*pfixed = 1;
		}
	text_free_words(w, n);
	sohoa_buf_release(&v);
	if (rc != SOHOA_OK)
		return rc;
	return found ? SOHOA_OK : SOHOA_ERR_INPUT;
}

int
parse_list_end(const char *type, const char *s, struct sohoa_buf *out,
    int *pfixed)
{
	const char *v;
	int rc;

	if (strcmp(type, "sex") != 0 && strcmp(type, "ethnicity") != 0 &&
	    strcmp(type, "nationality") != 0)
		return SOHOA_ERR_INPUT;
	rc = list_suffix(type, s, &v, pfixed);
	return rc == SOHOA_OK ? sohoa_buf_adds(out, v) : rc;
}


int
parse_list_value(const char *type, const char *s, const char **pv,
    int *pfixed)
{
	int rc = list_value(type, s, pv, pfixed);

	/*
	 * A garbled label after the value ("Kinh Quốc ch. Việt Nam"): the
	 * first words alone may be the value.
	 */
	if (rc == SOHOA_ERR_INPUT)
		rc = list_prefix(type, s, pv, pfixed);
	return rc;
}
