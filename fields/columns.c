/*
 * Two people side by side: a table whose columns are headed by the
 * people's roles ("VỢ" | "CHỒNG", in either order) and whose rows carry
 * one label for both ("Họ, chữ đệm, tên:"), as a marriage certificate
 * lays the wife and the husband out.  Read as a grid, a row gives the
 * label twice on one line ("Họ, chữ đệm, tên: NGUYỄN KIM HIỀN Họ, chữ
 * đệm, tên: Vũ Minh Trực"), or once on each of two lines; each value goes
 * to the field whose `column` heads its column (doctypes/README.md).
 *
 *   column_fields
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "sohoa/fields.h"
#include "fields_private.h"
#include "extract_private.h"

/*
 * How far below the title the heads may stand, the row below them, and
 * the other column's first cell below the first one's.
 */
#define HEAD_WITHIN 12
#define ROW_WITHIN 4
#define BLOCK_WITHIN 8

struct head {
	size_t field;		/* the field of the column */
	int x;			/* the word's centre; -1 when not known */
};

struct cell {
	const struct xline *l;
	size_t line;
	size_t label;		/* byte where the shared label starts */
	size_t a, b;		/* the value's bytes */
	int x;			/* the label's left; -1 when not known */
};

/* The box of the token of L holding byte AT: its centre or left, or -1. */
static int
x_at(const struct xline *l, size_t at, int centre)
{
	size_t i;

	for (i = 0; i < l->ntoks; i++) {
		const struct tok *t = &l->toks[i];

		if (t->start <= at && at < t->end)
			return t->x1 <= 0 ? -1 : centre ?
			    (t->x0 + t->x1) / 2 : t->x0;
	}
	return -1;
}

/* The field of T whose column word is the key K[S, E), or (size_t)-1. */
static size_t
column_of(const struct dt_type *t, const struct fkey *k, size_t s, size_t e)
{
	size_t i, j;

	for (i = 0; i < t->nfields; i++)
		for (j = 0; j < t->fields[i].column.n; j++)
			if (t->fields[i].column.v[j].keylen == e - s &&
			    memcmp(t->fields[i].column.v[j].key, k->key + s,
			    e - s) == 0)
				return i;
	return (size_t)-1;
}

/* Byte of line L's first letter or digit (specks before it: "| Họ"). */
static size_t
first_letter(const struct xline *l)
{
	return l->k.len > 0 ? l->k.off[0] : 0;
}

/* End of the word of K that starts at key offset S. */
static size_t
word_end(const struct fkey *k, size_t s)
{
	size_t e = s + 1;

	while (e < k->len && !k->wend[e])
		e++;
	return e;
}

/*
 * The heads on line L when every word of it is a column word of T ("VỢ
 * CHỒNG", "Chồng Vợ", or one alone when OCR lost the other), specks of
 * two letters aside ("Mã —— CHỒNG vợ"): their number, at most two, in H
 * in the line's order; 0 when it is no line of heads.
 */
static size_t
heads_of(const struct dt_type *t, const struct xline *l, struct head *h)
{
	size_t s, e, f, n = 0;

	for (s = 0; s < l->k.len; s = e) {
		e = word_end(&l->k, s);
		f = column_of(t, &l->k, s, e);
		if (f == (size_t)-1 && e - s <= 2)
			continue;
		if (f == (size_t)-1 || n == 2 || (n == 1 && h[0].field == f))
			return 0;
		h[n].field = f;
		h[n].x = x_at(l, l->k.off[s], 1);
		n++;
	}
	return n;
}

/*
 * 1 when the label ending at key offset END of line L is one of its own:
 * a colon follows, or no column word does ("Họ, chữ đệm, tên vợ:" names
 * its column itself; "tên: Võ Ngọc Nhạn" is a name after the colon).
 */
static int
shared_label(const struct dt_type *t, const struct xline *l, size_t end)
{
	const char *after = l->text + xline_key_end(l, end);

	while (*after == ' ')
		after++;
	return *after == ':' || end >= l->k.len ||
	    column_of(t, &l->k, end, word_end(&l->k, end)) == (size_t)-1;
}

/*
 * The cells of line L (line number LI): each place where field F's
 * column label starts a word and is shared (shared_label); at most MAX
 * into C.  A cell's value runs to the next cell or the line's end.
 */
static size_t
cells_of(const struct dt_type *t, const struct dt_field *f,
    const struct xline *l, size_t li, struct cell *c, size_t max)
{
	size_t s, j, end, n = 0;

	for (s = 0; s < l->k.len && n < max; s++) {
		if (!l->k.wstart[s])
			continue;
		for (j = 0; j < f->column_labels.n; j++) {
			const struct dt_phrase *ph = &f->column_labels.v[j];

			if (fkey_match_at(&l->k, s, ph->key, ph->keylen,
			    fkey_allowed(ph->keylen), &end) == (size_t)-1)
				continue;
			if (!shared_label(t, l, end))
				continue;
			c[n].l = l;
			c[n].line = li;
			c[n].label = l->k.off[s];
			c[n].a = xline_key_end(l, end);
			while (c[n].a < l->len && (l->text[c[n].a] == ' ' ||
			    l->text[c[n].a] == ':'))
				c[n].a++;
			c[n].b = l->len;
			c[n].x = x_at(l, l->k.off[s], 0);
			if (n > 0)
				c[n - 1].b = c[n].label;
			n++;
			s = end - 1;
			break;
		}
	}
	return n;
}

/*
 * The first row of two cells within ROW_WITHIN lines below line HL: both
 * on one line, or one on a line and the other opening a line within
 * BLOCK_WITHIN below it (OCR read a column as a block).
 */
static int
first_row(const struct doc *d, const struct dt_field *f, size_t hl,
    struct cell *c)
{
	size_t li, lj, n;

	for (li = hl + 1; li < d->nlines && li <= hl + ROW_WITHIN; li++) {
		n = cells_of(d->t, f, &d->lines[li], li, c, 2);
		if (n == 2)
			return 1;
		for (lj = li + 1; n == 1 && lj < d->nlines &&
		    lj <= li + BLOCK_WITHIN; lj++)
			if (cells_of(d->t, f, &d->lines[lj], lj, c + 1, 2) ==
			    1 && c[1].label == first_letter(&d->lines[lj]))
				return 1;
		if (n == 1)
			return 0;
	}
	return 0;
}

/*
 * 1 when line L holds a label of a column's field or the shared label F
 * has (a person's row: the heads, if any, stood above it).
 */
static int
names_a_person(const struct doc *d, const struct xline *l,
    const struct dt_field *f)
{
	struct cell c[2];
	size_t i;

	for (i = 0; i < l->nhits; i++) {
		const struct hit *h = &d->hits[l->first_hit + i];

		if (h->kind == HIT_FIELD && d->t->fields[h->idx].column.n > 0)
			return 1;
	}
	return cells_of(d->t, f, l, 0, c, 2) > 0;
}

/* The other field with a column than F, or (size_t)-1. */
static size_t
other_column(const struct dt_type *t, size_t f)
{
	size_t i;

	for (i = 0; i < t->nfields; i++)
		if (i != f && t->fields[i].column.n > 0)
			return i;
	return (size_t)-1;
}

/*
 * Which field each cell's value is: FOR[k] for cell C[k].  Two heads:
 * the left one heads the left cell when the boxes tell, else they go in
 * the order read.  One head (OCR lost the other): it heads the cell it
 * stands over, left of the right cell's label, which only the boxes
 * tell.  0 when it cannot be told.
 */
static int
assign(const struct dt_type *t, const struct head *h, size_t nh,
    const struct cell *c, size_t *pfor)
{
	int boxes = c[0].x >= 0 && c[1].x >= 0;
	size_t left = boxes && c[1].x < c[0].x ? 1 : 0, k;

	if (nh == 2) {
		/* the left head's index, when the boxes tell */
		k = boxes && h[0].x >= 0 && h[1].x >= 0 && h[1].x < h[0].x ?
		    1 : 0;
		pfor[left] = h[k].field;
		pfor[1 - left] = h[1 - k].field;
		return 1;
	}
	if (!boxes || h[0].x < 0 || other_column(t, h[0].field) == (size_t)-1)
		return 0;
	/* the head stands over the left cell when left of the right one */
	k = h[0].x < c[1 - left].x ? left : 1 - left;
	pfor[k] = h[0].field;
	pfor[1 - k] = other_column(t, h[0].field);
	return 1;
}

int
column_fields(const struct doc *d, struct result *res)
{
	const struct dt_type *t = d->t;
	const struct dt_field *f = NULL;
	struct head h[2];
	struct cell c[2];
	size_t hl, nh = 0, i, pfor[2];
	int rc = SOHOA_OK;

	for (i = 0; i < t->nfields && f == NULL; i++)
		if (t->fields[i].column.n > 0 &&
		    t->fields[i].column_labels.n > 0)
			f = &t->fields[i];
	if (f == NULL)
		return SOHOA_OK;
	/* the heads stand above the people (not the signatures' "Vợ Chồng") */
	for (hl = d->title; hl < d->nlines && hl <= d->title + HEAD_WITHIN &&
	    !names_a_person(d, &d->lines[hl], f); hl++)
		if ((nh = heads_of(t, &d->lines[hl], h)) > 0)
			break;
	if (nh == 0 || !first_row(d, f, hl, c) || !assign(t, h, nh, c, pfor))
		return SOHOA_OK;
	for (i = 0; i < 2 && rc == SOHOA_OK; i++)
		rc = xline_take(d, &t->fields[pfor[i]], c[i].line, c[i].a,
		    c[i].b, &res[pfor[i]], NULL);
	return rc;
}
