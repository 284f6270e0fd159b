/*
 * Reading order of a page's words, from their boxes alone: Tesseract's
 * blocks and lines made into the page's plain text in the order a reader
 * takes them -- a header's two blocks one after the other, a table row
 * by row and cell by cell, a line read late put back in its place.
 *
 *   sohoa_tess_text
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/page.h"
#include "tess_look.h"

/*
 * Reading order.  Tesseract often reads a row of two side-by-side blocks
 * (the two-column header, the "Nơi nhận" / signer row) as one line:
 * "ỦY BAN NHÂN DÂN  CỘNG HÒA XÃ HỘI ...".  The documents are read block by
 * block, so such rows are found from the word boxes and written left
 * block first, then right block.  A row belongs to such a run when it
 * splits at one wide gap into two parts that line up with the parts of the
 * rows above it; the run counts only when one side is centred text, which
 * is what tells these blocks from label rows ("Dân tộc: Kinh   Quốc
 * tịch: Việt Nam"), whose parts are left-aligned.
 */
struct seg {
	int x0, x1;
};

struct tline {
	struct sohoa_tess_row row;	/* its words and their box */
	size_t split;		/* first word of the right part; n when none */
	int nseg;		/* parts separated by wide gaps */
	struct seg part[2];
	int block;		/* its first word's */
	int table;		/* put in order as a table's (order_tables) */
	int cell;		/* a two-part table's row: the x between its
				   columns (two_part_tables); 0 when not */
	int cell_first;		/* its first row of a cell */
	int tx0;		/* its first letter or digit's left: specks
				   before it ("| Họ") do not move it */
};

/*
 * The height of the row's words W[0..N) of text, on average: the row's
 * box is taller by its marks, its specks and what skew is left.
 */
static int
text_height(const struct sohoa_word *w, size_t n, int fallback)
{
	size_t i, k = 0;
	long sum = 0;

	for (i = 0; i < n; i++)
		if (sohoa_tess_count(w[i].text, SOHOA_TESS_ALNUM) > 0) {
			sum += w[i].y1 - w[i].y0;
			k++;
		}
	return k > 0 ? (int)(sum / (long)k) : fallback;
}

/*
 * The parts of line L: words apart by more than two text heights.  A
 * speck between two blocks ("HOÀI ÂN ˆ CỘNG HOÀ") neither makes a gap nor
 * bridges one; it goes with the part before it.
 */
static void
line_parts(const struct sohoa_word *w, struct tline *l, int page_w)
{
	const struct sohoa_tess_row *r = &l->row;
	int h = text_height(w + r->first, r->n, r->y1 - r->y0);
	int gap = 2 * h, i, prev = 0;

	if (gap < page_w / 30)
		gap = page_w / 30;
	l->tx0 = r->x0;
	for (i = 0; i < (int)r->n; i++)
		if (sohoa_tess_count(w[r->first + i].text,
		    SOHOA_TESS_ALNUM) > 0) {
			l->tx0 = w[r->first + i].x0;
			break;
		}
	l->nseg = 1;
	l->split = r->n;
	l->part[0].x0 = w[r->first].x0;
	l->part[0].x1 = w[r->first].x1;
	for (i = 1; i < (int)r->n; i++) {
		const struct sohoa_word *a = &w[r->first + prev];
		const struct sohoa_word *b = &w[r->first + i];

		if (sohoa_tess_count(b->text, SOHOA_TESS_ALNUM) == 0)
			continue;	/* a speck */
		prev = i;
		if (b->x0 - a->x1 > gap) {
			if (++l->nseg == 2) {
				l->split = (size_t)i;
				l->part[1].x0 = b->x0;
				l->part[1].x1 = b->x1;
			}
			continue;
		}
		if (l->nseg <= 2) {
			struct seg *p = &l->part[l->nseg - 1];

			if (b->x1 > p->x1)
				p->x1 = b->x1;
		}
	}
}

/* Alignment of two parts: 2 centred, 1 left-aligned only, 0 neither. */
static int
aligned(const struct seg *a, const struct seg *b, int tol)
{
	int ca = a->x0 + a->x1, cb = b->x0 + b->x1;

	if (abs(ca - cb) <= 2 * tol)
		return abs(a->x0 - b->x0) > tol ? 2 : 1;
	return abs(a->x0 - b->x0) <= tol ? 1 : 0;
}

/*
 * Length of the two-block run starting at line I (0 when none); the run
 * needs a two-part line first and one centred side.  *PSPLIT gets the x
 * that separates the two blocks.
 */
static size_t
block_run(const struct tline *l, size_t nl, size_t i, int page_w,
    int *psplit)
{
	struct seg side[2], whole;
	int centred[2] = { 0, 0 }, broken[2] = { 0, 0 };
	int tol = page_w / 50, split, k, a;
	size_t j;

	if (l[i].nseg != 2 || l[i].table)
		return 0;
	side[0] = l[i].part[0];
	side[1] = l[i].part[1];
	split = (side[0].x1 + side[1].x0) / 2;
	*psplit = split;
	for (j = i + 1; j < nl; j++) {
		const struct tline *t = &l[j];
		const struct seg *p[2] = { NULL, NULL };

		if (t->row.y0 - l[j - 1].row.y1 > 6 * (t->row.y1 - t->row.y0) ||
		    t->table)
			break;
		/*
		 * a row of both blocks: its parts start on either side of
		 * the split (a wider name under "ỦY BAN NHÂN DÂN" may reach
		 * past it; alignment below decides)
		 */
		if (t->nseg == 2 && t->part[0].x0 < split &&
		    t->part[1].x0 > split) {
			p[0] = &t->part[0];
			p[1] = &t->part[1];
		} else if (t->nseg == 1 && t->part[0].x1 < split) {
			p[0] = &t->part[0];
		} else if (t->nseg == 1 && t->part[0].x0 > split) {
			p[1] = &t->part[0];
		} else if (t->nseg == 2 && (t->part[1].x1 < split ||
		    t->part[0].x0 > split)) {
			/* a gap inside one block's row ("Tự do -   Hạnh") */
			whole.x0 = t->part[0].x0;
			whole.x1 = t->part[1].x1;
			p[whole.x1 < split ? 0 : 1] = &whole;
		} else {
			break;
		}
		for (k = 0; k < 2; k++) {
			if (p[k] == NULL)
				continue;
			a = aligned(&side[k], p[k], tol);
			if (a == 0)
				break;
			if (a == 2)
				centred[k] = 1;
			else if (abs((side[k].x0 + side[k].x1) -
			    (p[k]->x0 + p[k]->x1)) > 2 * tol)
				broken[k] = 1;	/* left-aligned, not centred */
		}
		if (k < 2)
			break;
		for (k = 0; k < 2; k++)
			if (p[k] != NULL)
				side[k] = *p[k];
	}
	if ((centred[0] && !broken[0]) || (centred[1] && !broken[1]))
		return j - i;
	return 0;
}

/* Lines A and B each of two parts starting at the same two places. */
static int
same_columns(const struct tline *a, const struct tline *b, int tol)
{
	return a->nseg == 2 && b->nseg == 2 &&
	    abs(a->part[0].x0 - b->part[0].x0) <= tol &&
	    abs(a->part[1].x0 - b->part[1].x0) <= tol;
}

/*
 * A row of such a table (below) whose cells stand closer than line_parts'
 * gap ("... xã Ia RBol, thị   Nơi cư trú: Phum Ta Ốt"): line L, of one
 * part starting where a two-part row near it starts, is cut before a word
 * that starts where that row's second part starts, more than a text
 * height after the word before it (a space is a third of one).
 */
static void
split_at_column(const struct sohoa_word *w, struct tline *l, size_t nl,
    size_t i, int page_w)
{
	const struct sohoa_tess_row *r = &l[i].row;
	int tol = page_w / 50, h;
	size_t j, k;

	if (l[i].nseg != 1 || r->n < 2)
		return;
	for (j = i > 3 ? i - 3 : 0; j < nl && j <= i + 3; j++)
		if (l[j].nseg == 2 && abs(l[j].part[0].x0 - r->x0) <= tol)
			break;
	if (j >= nl || j > i + 3)
		return;
	h = text_height(w + r->first, r->n, r->y1 - r->y0);
	for (k = 1; k < r->n; k++) {
		const struct sohoa_word *a = &w[r->first + k - 1];
		const struct sohoa_word *b = &w[r->first + k];

		if (abs(b->x0 - l[j].part[1].x0) <= tol && b->x0 - a->x1 > h) {
			l[i].nseg = 2;
			l[i].split = k;
			l[i].part[0].x1 = a->x1;
			l[i].part[1].x0 = b->x0;
			l[i].part[1].x1 = r->x1;
			return;
		}
	}
}

/*
 * Line L (words W) opens with a label: a word among its first six, with
 * a letter in it, ends in a colon ("Họ, chữ đệm, tên:", "Dân tộc:").
 */
static int
label_line(const struct sohoa_word *w, const struct tline *l)
{
	size_t i, n;

	for (i = 0; i < l->row.n && i < 6; i++) {
		const char *t = w[l->row.first + i].text;

		n = strlen(t);
		if (n >= 2 && t[n - 1] == ':' &&
		    sohoa_tess_count(t, SOHOA_TESS_LETTER) > 0)
			return 1;
	}
	return 0;
}

/*
 * The pitch from line A to line B below it (top to top); negative when B
 * is above A, -1 when more than three of A's heights lower (a
 * signature's room: no table's pitch).
 */
static int
pitch(const struct tline *a, const struct tline *b)
{
	int d = b->row.y0 - a->row.y0;

	return d > 3 * (a->row.y1 - a->row.y0) ? -1 : d;
}

/*
 * Line B, below line A of a column of a table, starts a cell of its own:
 * it opens with a label, or lies more than two of A's heights lower.  A
 * line without a label closer than that is the cell's wrapped value
 * ("huyện Hàm Yên, tỉnh Tuyên Quang") or its number ("008201669869").
 * Pitches alone do not tell: a cell's two labelled lines ("Dân tộc:",
 * "Quốc tịch:") may stand further apart than two cells do.
 */
static int
starts_cell(const struct sohoa_word *w, const struct tline *a,
    const struct tline *b)
{
	int d = pitch(a, b);

	return label_line(w, b) || d < 0 || d > 2 * (a->row.y1 - a->row.y0);
}

/*
 * A table of two columns whose rows Tesseract read whole, both cells on
 * one line ("Dân tộc: Khmer Dân tộc: Khơ-me"): rows of two parts that
 * start at the same two places, with rows between them of one part that
 * starts at either place (a cell's wrapped line on one side only).  A
 * cell of several lines ("Nơi cư trú: ..." wrapped) is read whole, left
 * cell then right one: each row of L[0..NL) (words W) in such a table
 * gets the x between the columns in `cell`, and `cell_first` where a
 * cell starts (starts_cell).
 */
static void
two_part_tables(const struct sohoa_word *w, struct tline *l, size_t nl,
    int page_w)
{
	int tol = page_w / 50, split;
	size_t i, j, k, two;

	for (i = 0; i < nl; i = j > i + 1 ? j : i + 1) {
		j = i;
		if (l[i].nseg != 2 || l[i].table || l[i].cell)
			continue;
		split = l[i].part[1].x0 - tol;
		two = 1;
		for (j = i + 1; j < nl; j++) {
			const struct tline *t = &l[j];

			if (t->table || pitch(&l[j - 1], t) < 0)
				break;
			if (t->nseg == 2 ? !same_columns(&l[i], t, tol) :
			    abs(t->part[0].x0 - l[i].part[1].x0) > tol &&
			    (abs(t->part[0].x0 - l[i].part[0].x0) > tol ||
			    t->part[0].x1 >= split))
				break;
			two += t->nseg == 2;
		}
		if (two < 2)
			continue;
		for (k = i; k < j; k++) {
			l[k].cell = split;
			l[k].cell_first = k == i ||
			    starts_cell(w, &l[k - 1], &l[k]);
		}
	}
}

/*
 * A row of the header whose two blocks Tesseract read with no gap between
 * them ("UBND HUYỆN TRẦN VĂN THỜI CỘNG HÒA XÃ HỘI ..."): line L, of one
 * part, is cut where both sides are centred over the two parts of the
 * line BELOW and neither is left-aligned with it (rows of labels are).
 * The cut whose sides' centres are nearest is taken.
 */
static void
split_by_below(const struct sohoa_word *w, struct tline *l,
    const struct tline *below, int page_w)
{
	const struct sohoa_tess_row *r = &l->row;
	struct seg a, b;
	int tol = page_w / 50, best = -1, off, k = 0;
	size_t i;

	if (l->nseg != 1 || below->nseg != 2 || r->n < 2 ||
	    below->row.y0 - r->y1 > 2 * (r->y1 - r->y0))
		return;
	for (i = 1; i < r->n; i++) {
		a.x0 = w[r->first].x0;
		a.x1 = w[r->first + i - 1].x1;
		b.x0 = w[r->first + i].x0;
		b.x1 = w[r->first + r->n - 1].x1;
		if (aligned(&a, &below->part[0], tol) != 2 ||
		    aligned(&b, &below->part[1], tol) != 2)
			continue;
		off = abs(a.x0 + a.x1 - below->part[0].x0 - below->part[0].x1) +
		    abs(b.x0 + b.x1 - below->part[1].x0 - below->part[1].x1);
		if (best < 0 || off < best) {
			best = off;
			k = (int)i;
			l->part[0] = a;
			l->part[1] = b;
		}
	}
	if (best >= 0) {
		l->nseg = 2;
		l->split = (size_t)k;
	}
}

/* How many of line T's words, from its first, are the left block's. */
static size_t
left_words(const struct tline *t, int split)
{
	if (t->part[t->nseg >= 2 ? 1 : 0].x1 < split)
		return t->row.n;
	if (t->part[0].x0 > split)
		return 0;
	return t->split;
}

/* Line T lies wholly on one side of SPLIT. */
static int
one_sided(const struct tline *t, int split)
{
	return t->nseg == 1 && (t->part[0].x1 < split || t->part[0].x0 > split);
}

/*
 * Columns.  Tesseract reads a page laid out in two columns one column
 * after the other, and puts a line that spans both (a full-width line
 * under a table) in the flow of the left one: a marriage certificate's
 * CHỒNG | VỢ table came out as the husband's cells, the place of
 * registration, then the wife's cells.  A table is read row by row, cell
 * by cell, as it was laid out; so where the reading jumps back up to a
 * column right of lines already read, the two columns' cells are taken
 * in turn by height, with a spanning line after the cells above it --
 * while both columns' cells are left-aligned and labelled.  A table's
 * cells are; a header's or a signer's block is centred, columns of verse
 * or prose have no labels, and those stay one block after the other.  A
 * cell is a labelled line and the lines of its value (starts_cell).
 */
struct cell {
	size_t first, n;	/* lines IDX[first .. first + n) of a column */
	int y0, y1;
	int aligned;		/* every line starts at the column's left */
};

/*
 * Cut the column of lines IDX[0..N) of L (words W) into cells C
 * (starts_cell), a new one too below a line of SPAN[0..NSPAN) that spans
 * both columns (the value it wraps is its own); returns how many.
 */
static size_t
column_cells(const struct sohoa_word *w, const struct tline *l,
    const size_t *idx, size_t n, const size_t *span, size_t nspan,
    struct cell *c, int tol)
{
	size_t i, j, nc = 0;
	int edge = INT_MAX, cut;

	for (i = 0; i < n; i++)
		if (l[idx[i]].tx0 < edge)
			edge = l[idx[i]].tx0;
	for (i = 0; i < n; i++) {
		const struct sohoa_tess_row *r = &l[idx[i]].row;

		cut = i == 0 || starts_cell(w, &l[idx[i - 1]], &l[idx[i]]);
		for (j = 0; j < nspan && !cut; j++)
			cut = l[span[j]].row.y0 > l[idx[i - 1]].row.y0 &&
			    l[span[j]].row.y0 < r->y0;
		if (cut) {
			c[nc].first = i;
			c[nc].n = 0;
			c[nc].y0 = r->y0;
			c[nc].y1 = r->y1;
			c[nc].aligned = 1;
			nc++;
		}
		c[nc - 1].n++;
		if (r->y1 > c[nc - 1].y1)
			c[nc - 1].y1 = r->y1;
		if (l[idx[i]].tx0 - edge > tol)
			c[nc - 1].aligned = 0;
	}
	return nc;
}

/*
 * The table among cells C[0..N): a head (a first cell not aligned, as
 * "CHỒNG" centred over its column) and the aligned cells after it, up to
 * the first that is not; returns where it ends, *PHEAD 1 when there is a
 * head.
 */
static size_t
table_span(const struct cell *c, size_t n, size_t *phead)
{
	size_t i = n > 0 && !c[0].aligned ? 1 : 0;

	*phead = i;
	while (i < n && c[i].aligned)
		i++;
	return i;
}

/*
 * Lines L[I0..J) (words W) read before the column L[J..K) right of them
 * at X: write the region's order to ORD (indices into L) when it holds a
 * table of at least two rows of labelled cells; returns 0 when it does
 * not (ORD is then unused); *PNTABLE gets how many of ORD's first are
 * the table's (its cells and the lines spanning them; the rest follows
 * as read).  TMP has room for K - I0 indices, CELLS for K - I0 cells.
 */
static int
table_order(const struct sohoa_word *w, const struct tline *l, size_t i0,
    size_t j, size_t k, int x, int tol, size_t *ord, size_t *tmp,
    struct cell *cells, size_t *pntable)
{
	size_t *left = tmp, *span, *right, nleft = 0, nspan = 0, nright;
	struct cell *lc = cells, *rc;
	size_t nlc, nrc, a, b, c, ta, tb, ha, hb, i, no = 0;
	int cut, rows = 0;

	for (i = i0; i < j; i++)
		if (l[i].row.x1 < x)
			left[nleft++] = i;
	span = left + nleft;
	for (i = i0; i < j; i++)
		if (l[i].row.x1 >= x)
			span[nspan++] = i;
	right = span + nspan;
	for (i = j; i < k; i++)
		right[i - j] = i;
	nright = k - j;
	nlc = column_cells(w, l, left, nleft, span, nspan, lc, tol);
	rc = lc + nlc;
	nrc = column_cells(w, l, right, nright, span, nspan, rc, tol);
	ta = table_span(lc, nlc, &ha);
	tb = table_span(rc, nrc, &hb);
	cut = ta < nlc ? lc[ta].y0 : INT_MAX;
	if (tb < nrc && rc[tb].y0 < cut)
		cut = rc[tb].y0;
	while (ta > 0 && lc[ta - 1].y0 >= cut)
		ta--;
	while (tb > 0 && rc[tb - 1].y0 >= cut)
		tb--;
	for (a = ha, b = hb; a < ta && b < tb; ) {
		if (lc[a].y1 < rc[b].y0)
			a++;
		else if (rc[b].y1 < lc[a].y0)
			b++;
		else {
			/* a left cell beside a right one, both labelled */
			rows += label_line(w, &l[left[lc[a].first]]) &&
			    label_line(w, &l[right[rc[b].first]]);
			a++;
			b++;
		}
	}
	/*
	 * no table: a header's blocks are centred, the cells of columns of
	 * text (verse, prose) are no label's
	 */
	if (rows < 2)
		return 0;
	/* the table's cells in turn, with the spanning lines above CUT */
	a = b = c = 0;
	for (;;) {
		int ya = a < ta ? lc[a].y0 : INT_MAX;
		int yb = b < tb ? rc[b].y0 : INT_MAX;
		int yc = c < nspan && l[span[c]].row.y0 < cut ?
		    l[span[c]].row.y0 : INT_MAX;

		if (ya == INT_MAX && yb == INT_MAX && yc == INT_MAX)
			break;
		if (yc < ya && yc < yb) {
			ord[no++] = span[c++];
		} else if (a < ta && (b == tb || lc[a].y0 < rc[b].y1)) {
			for (i = 0; i < lc[a].n; i++)
				ord[no++] = left[lc[a].first + i];
			a++;
		} else {
			for (i = 0; i < rc[b].n; i++)
				ord[no++] = right[rc[b].first + i];
			b++;
		}
	}
	*pntable = no;
	/*
	 * the rest as read: the left flow, then the right column (a line
	 * left out, the count tells, and the region stays as read)
	 */
	for (i = i0, a = 0; i < j; i++)
		if (l[i].row.x1 >= x ? l[i].row.y0 >= cut :
		    a++ >= lc[ta - 1].first + lc[ta - 1].n)
			ord[no++] = i;
	for (i = tb > 0 ? rc[tb - 1].first + rc[tb - 1].n : 0; i < nright;
	    i++)
		ord[no++] = right[i];
	return no == k - i0;
}

/*
 * The lines read before line J that reach below its top: L[*PI0..J), and
 * where they start and end (*PXL, *PXR, leftmost and rightmost) and
 * their bottom (*PYL).  0 when there are none.
 */
static int
flow_before(const struct tline *l, size_t j, size_t *pi0, int *pxl,
    int *pxr, int *pyl)
{
	size_t i0;

	*pxl = INT_MAX;
	*pxr = 0;
	*pyl = 0;
	for (i0 = j; i0 > 0 && l[i0 - 1].row.y1 > l[j].row.y0; i0--) {
		const struct sohoa_tess_row *r = &l[i0 - 1].row;

		*pxl = r->x0 < *pxl ? r->x0 : *pxl;
		*pxr = r->x1 > *pxr ? r->x1 : *pxr;
		*pyl = r->y1 > *pyl ? r->y1 : *pyl;
	}
	*pi0 = i0;
	return i0 < j;
}

/*
 * A line of the flow read late ("Nơi đăng ký kết hôn" read after the
 * signatures below it): line J, starting at the flow L[I0..J)'s left XL
 * and reaching into it, is put back in its place by height.  Returns 1
 * when it moved.
 */
static int
late_line(struct tline *l, size_t i0, size_t j, int xl, int tol)
{
	struct tline t = l[j];
	size_t m;

	if (t.row.x0 > xl + tol || t.row.x1 <= xl)
		return 0;
	for (m = i0; m < j && l[m].row.y0 < t.row.y0; m++)
		;
	memmove(l + m + 1, l + m, (j - m) * sizeof(*l));
	l[m] = t;
	return 1;
}

/*
 * A title (or a block) read after the rows below it: the lines from J on
 * that lie above the whole flow L[I0..J) and over it, between its left
 * XL and right XR (a header's right block, beside the left one, is not),
 * go before the flow, through COPY.  Returns how many moved.
 */
static size_t
titles_first(struct tline *l, size_t nl, size_t i0, size_t j, int xl,
    int xr, struct tline *copy)
{
	size_t i, m;
	int yt = INT_MAX;

	for (i = i0; i < j; i++)
		yt = l[i].row.y0 < yt ? l[i].row.y0 : yt;
	/* (a line beside the flow, not over it, is a column's head) */
	for (m = 0; j + m < nl && l[j + m].row.y1 <= yt &&
	    (m == 0 || l[j + m].row.y0 > l[j + m - 1].row.y0) &&
	    l[j + m].row.x0 < xr && l[j + m].row.x1 > xl; m++)
		;
	if (m == 0)
		return 0;
	memcpy(copy, l + j, m * sizeof(*l));
	memcpy(copy + m, l + i0, (j - i0) * sizeof(*l));
	memcpy(l + i0, copy, (j - i0 + m) * sizeof(*l));
	return m;
}

/*
 * Put the lines L[0..NL) (words W) of a page PAGE_W wide in reading order
 * where Tesseract read them out of it: a table of two columns read one
 * after the other (table_order), a line read late, a title read after
 * the rows below it; then cut the rows of a table read whole where its
 * columns part and mark its cells (split_at_column, two_part_tables).
 */
static int
order_tables(const struct sohoa_word *w, struct tline *l, size_t nl,
    int page_w)
{
	struct tline *copy = NULL;
	struct cell *cells = NULL;
	size_t *ord = NULL, *tmp = NULL, i0, j, k, i, ntable, moves = 0;
	int tol = page_w / 50, x, xl, xr, yl, h, rc = SOHOA_OK;

	copy = malloc(nl * sizeof(*copy));
	ord = malloc(nl * sizeof(*ord));
	tmp = malloc(nl * sizeof(*tmp));
	cells = malloc(nl * sizeof(*cells));
	if (copy == NULL || ord == NULL || tmp == NULL || cells == NULL) {
		rc = SOHOA_ERR_NOMEM;
		goto out;
	}
	for (j = 1; j < nl; j = k) {
		h = l[j].row.y1 - l[j].row.y0;
		k = j + 1;
		if (l[j].row.y0 >= l[j - 1].row.y0 - h ||
		    !flow_before(l, j, &i0, &xl, &xr, &yl))
			continue;	/* no jump back up beside lines read */
		/*
		 * a move sends a line higher, a title move the scan back to
		 * it: at most NL moves, so that the scan ends
		 */
		if (moves < nl && late_line(l, i0, j, xl, tol)) {
			moves++;
			continue;
		}
		if (moves < nl && (i = titles_first(l, nl, i0, j, xl, xr,
		    copy)) > 0) {
			moves++;
			k = i0 + i;
			continue;
		}
		/*
		 * the column: lines going down beside those, right of where
		 * they start (a signer's block below them is no part of it)
		 */
		x = l[j].row.x0;
		for (; k < nl; k++) {
			h = l[k - 1].row.y1 - l[k - 1].row.y0;
			if (l[k].row.y0 < l[k - 1].row.y0 - h / 2 ||
			    l[k].row.x0 <= xl + tol || l[k].row.y0 > yl)
				break;
			if (l[k].row.x0 < x)
				x = l[k].row.x0;
		}
		if (!table_order(w, l, i0, j, k, x, tol, ord, tmp, cells,
		    &ntable))
			continue;
		/* the table's lines are its own: no block_run over them */
		for (i = i0; i < k; i++) {
			copy[i] = l[ord[i - i0]];
			copy[i].table = i - i0 < ntable;
		}
		memcpy(l + i0, copy + i0, (k - i0) * sizeof(*l));
	}
	for (i = 0; i < nl; i++)
		split_at_column(w, l, nl, i, page_w);
	two_part_tables(w, l, nl, page_w);
out:
	free(copy);
	free(ord);
	free(tmp);
	free(cells);
	return rc;
}

static int
add_words(struct sohoa_buf *out, const struct sohoa_word *w, size_t first,
    size_t n)
{
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; i < n && rc == SOHOA_OK; i++) {
		if (i > 0)
			rc = sohoa_buf_addch(out, ' ');
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(out, w[first + i].text);
	}
	if (n > 0 && rc == SOHOA_OK)
		rc = sohoa_buf_addch(out, '\n');
	return rc;
}

int
sohoa_tess_text(const struct sohoa_page *page, int page_w,
    struct sohoa_buf *out)
{
	const struct sohoa_word *w = page->words;
	struct sohoa_tess_row *r;
	struct tline *l;
	size_t nl, i, j, k, run, end;
	int rc, split = 0;

	if (page->nwords == 0)
		return SOHOA_OK;
	rc = sohoa_tess_rows(w, page->nwords, &r, &nl);
	if (rc != SOHOA_OK)
		return rc;
	l = calloc(nl, sizeof(*l));
	if (l == NULL) {
		free(r);
		return SOHOA_ERR_NOMEM;
	}
	for (i = 0; i < nl; i++) {
		l[i].row = r[i];
		l[i].block = w[r[i].first].block;
		line_parts(w, &l[i], page_w);
	}
	free(r);
	for (i = nl - 1; i > 0; i--)
		split_by_below(w, &l[i - 1], &l[i], page_w);
	rc = order_tables(w, l, nl, page_w);
	for (i = 0; i < nl && rc == SOHOA_OK; i = end) {
		run = block_run(l, nl, i, page_w, &split);
		if (run == 0 && l[i].cell) {
			/* a cell of a two-part table: one side, the other */
			for (run = 1; i + run < nl && l[i + run].cell &&
			    !l[i + run].cell_first; run++)
				;
			split = l[i].cell;
			if (run == 1)
				run = 0;	/* a row alone stays one line */
		}
		end = i + (run ? run : 1);
		if (run == 0 && i + 1 < nl && !l[i].table &&
		    one_sided(&l[i], page_w / 2)) {
			/*
			 * Tesseract may have put the upper rows of the two
			 * blocks into separate blocks of one-sided lines
			 * ("Vợ", "(Ký ...)", then "Chồng", "(Ký ...)") before
			 * the row that holds both: take them into the run.
			 */
			for (j = i; j < nl && !l[j].table &&
			    one_sided(&l[j], page_w / 2); j++)
				;
			if (j > i && j < nl &&
			    (run = block_run(l, nl, j, page_w, &split)) != 0) {
				for (k = i; k < j && one_sided(&l[k], split); k++)
					;
				if (k == j)
					end = j + run;
				else
					run = 0;
			}
		}
		if (i > 0 && l[i].block != l[i - 1].block)
			rc = sohoa_buf_addch(out, '\n');
		if (run == 0) {
			if (rc == SOHOA_OK)
				rc = add_words(out, w, l[i].row.first,
				    l[i].row.n);
			continue;
		}
		for (j = i; j < end && rc == SOHOA_OK; j++)
			rc = add_words(out, w, l[j].row.first,
			    left_words(&l[j], split));
		for (j = i; j < end && rc == SOHOA_OK; j++) {
			k = left_words(&l[j], split);
			rc = add_words(out, w, l[j].row.first + k,
			    l[j].row.n - k);
		}
	}
	free(l);
	return rc;
}
