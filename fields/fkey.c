/*
 * Folded keys and edit distance, in one place for every matcher of field
 * extraction: text folded (lower case, no marks, đ -> d) to its letters
 * and digits with a map back to the original bytes and word marks, and
 * labels, titles and known names matched on it with a small Levenshtein
 * distance.
 *
 *   fkey_build / fkey_release / fkey_simple / fkey_simple_n
 *   fkey_allowed / fkey_match_at / fkey_contains
 *   sohoa_edit_distance
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"

static int
is_key_cp(int32_t cp)
{
	if (cp < 0x80)
		return isalnum(cp);
	/* other letters (after folding) count; punctuation and spaces do not */
	return cp >= 0xC0 && !(cp >= 0x2000 && cp <= 0x206F) &&
	    cp != 0xFFFD && cp != 0x00D7 && cp != 0x00F7;
}

int
fkey_build(const char *s, size_t n, struct fkey *k)
{
	struct sohoa_buf key = SOHOA_BUF_INIT;
	size_t i = 0, step, cap = n + 1;
	int32_t cp, f;
	int rc = SOHOA_OK, inword = 0;

	memset(k, 0, sizeof(*k));
	k->off = malloc(cap * sizeof(*k->off));
	k->wstart = calloc(cap, 1);
	k->wend = calloc(cap, 1);
	if (k->off == NULL || k->wstart == NULL || k->wend == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	while (i < n) {
		size_t before = key.len;

		step = sohoa_utf8_decode(s + i, n - i, &cp);
		f = sohoa_utf8_fold_cp(cp);
		/* combining marks of text in NFD fold to nothing */
		if (cp >= 0x300 && cp <= 0x36F) {
			i += step;
			continue;
		}
		if (!is_key_cp(f)) {
			if (inword)
				k->wend[key.len] = 1;
			inword = 0;
			i += step;
			continue;
		}
		if (f < 0x80)
			rc = sohoa_buf_addch(&key, (char)f);
		else
			rc = sohoa_utf8_add_cp(&key, f);
		if (rc != SOHOA_OK)
			goto out;
		if (!inword)
			k->wstart[before] = 1;
		inword = 1;
		for (; before < key.len; before++)
			k->off[before] = i;
		i += step;
	}
	k->wend[key.len] = 1;
	k->off[key.len] = n;
	k->len = key.len;
	k->key = sohoa_buf_detach(&key, NULL);
	if (k->key == NULL)
		rc = SOHOA_ERR_NOMEM;
out:
	sohoa_buf_release(&key);
	if (rc != SOHOA_OK)
		fkey_release(k);
	return rc;
}

void
fkey_release(struct fkey *k)
{
	free(k->key);
	free(k->off);
	free(k->wstart);
	free(k->wend);
	memset(k, 0, sizeof(*k));
}

int
fkey_simple(const char *s, struct sohoa_buf *out)
{
	return fkey_simple_n(s, strlen(s), out);
}

int
fkey_simple_n(const char *s, size_t n, struct sohoa_buf *out)
{
	struct fkey k;
	int rc;

	rc = fkey_build(s, n, &k);
	if (rc != SOHOA_OK)
		return rc;
	rc = sohoa_buf_add(out, k.key, k.len);
	fkey_release(&k);
	return rc;
}

size_t
fkey_allowed(size_t len)
{
	if (len <= 4)
		return 0;
	if (len <= 9)
		return 1;
	if (len <= 16)
		return 2;
	if (len <= 24)
		return 3;
	return 4;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t
fkey_match_at(const struct fkey *k, size_t start, const char *needle,
    size_t nlen, size_t maxd, size_t *pend)
{
	/* one DP column per hay byte; the needle is short (a label) */
	size_t col[128], prev[128];
	size_t i, j, best = (size_t)-1, bestend = 0, rowmin;

	*pend = 0;
	if (nlen == 0 || nlen >= 127 || start >= k->len)
		return (size_t)-1;
	/*
	 * The phrase starts here: its first letter is read right, or for a
	 * long phrase at least the next two are ("Minh, ngày" is not "Sinh
	 * ngày").  Without this a long phrase would swallow a short
	 * word before it as "insertions" ("TUL Độc lập").
	 */
	if (needle[0] != k->key[start] && (nlen < 10 || start + 2 >= k->len ||
	    needle[1] != k->key[start + 1] || needle[2] != k->key[start + 2]))
		return (size_t)-1;
	for (i = 0; i <= nlen; i++)
		prev[i] = i;
	for (j = start; j < k->len && j < start + nlen + maxd; j++) {
		col[0] = j - start + 1;
		rowmin = col[0];
		for (i = 1; i <= nlen; i++) {
			size_t sub = prev[i - 1] +
			    (needle[i - 1] == k->key[j] ? 0 : 1);

			col[i] = min3(sub, prev[i] + 1, col[i - 1] + 1);
			if (col[i] < rowmin)
				rowmin = col[i];
		}
		memcpy(prev, col, (nlen + 1) * sizeof(prev[0]));
		/* prefer the longest match at the smallest distance */
		if (k->wend[j + 1] && prev[nlen] <= maxd &&
		    (best == (size_t)-1 || prev[nlen] <= best)) {
			best = prev[nlen];
			bestend = j + 1;
		}
		if (rowmin > maxd)
			break;
	}
	if (best != (size_t)-1)
		*pend = bestend;
	return best;
}

int
fkey_contains(const struct fkey *k, const char *needle, size_t nlen,
    size_t maxd, size_t *pdist)
{
	size_t s, d, end, best = (size_t)-1;

	for (s = 0; s < k->len; s++) {
		if (!k->wstart[s])
			continue;
		d = fkey_match_at(k, s, needle, nlen, maxd, &end);
		if (d != (size_t)-1 && (best == (size_t)-1 || d < best))
			best = d;
		if (best == 0)
			break;
	}
	if (pdist != NULL)
		*pdist = best;
	return best != (size_t)-1;
}

static int
decode_all(const char *s, int32_t **pv, size_t *pn)
{
	size_t len = strlen(s), i = 0, n = 0;
	int32_t *v;

	*pv = NULL;
	*pn = 0;
	v = malloc((len + 1) * sizeof(*v));
	if (v == NULL)
		return SOHOA_ERR_NOMEM;
	while (i < len)
		i += sohoa_utf8_decode(s + i, len - i, &v[n++]);
	*pv = v;
	*pn = n;
	return SOHOA_OK;
}

size_t
sohoa_edit_distance(const char *a, const char *b, size_t max)
{
	int32_t *va = NULL, *vb = NULL;
	size_t na, nb, i, j, *row = NULL, d = max + 1, diag, tmp, rowmin;

	if (decode_all(a, &va, &na) != SOHOA_OK ||
	    decode_all(b, &vb, &nb) != SOHOA_OK)
		goto out;
	if ((na > nb ? na - nb : nb - na) > max)
		goto out;
	row = malloc((nb + 1) * sizeof(*row));
	if (row == NULL)
		goto out;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		rowmin = row[0];
		for (j = 1; j <= nb; j++) {
			size_t best = diag + (va[i - 1] == vb[j - 1] ? 0 : 1);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			diag = tmp;
			if (best < rowmin)
				rowmin = best;
		}
		if (rowmin > max)
			goto out;
	}
	d = row[nb] > max ? max + 1 : row[nb];
out:
	free(va);
	free(vb);
	free(row);
	return d;
}
