/*
 * Reading order of a page's words, from their boxes alone: Tesseract's
 * blocks and lines made into the page's plain text in the order a reader
 * takes them -- a header's two blocks one after the other.
 *
 *   sohoa_tess_text
 */
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

	if (l[i].nseg != 2)
		return 0;
	side[0] = l[i].part[0];
	side[1] = l[i].part[1];
	split = (side[0].x1 + side[1].x0) / 2;
	*psplit = split;
	for (j = i + 1; j < nl; j++) {
		const struct tline *t = &l[j];
		const struct seg *p[2] = { NULL, NULL };

		if (t->row.y0 - l[j - 1].row.y1 > 6 * (t->row.y1 - t->row.y0))
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
	for (i = 0; i < nl && rc == SOHOA_OK; i = end) {
		run = block_run(l, nl, i, page_w, &split);
		end = i + (run ? run : 1);
		if (run == 0 && i + 1 < nl && one_sided(&l[i], page_w / 2)) {
			/*
			 * Tesseract may have put the upper rows of the two
			 * blocks into separate blocks of one-sided lines
			 * ("Vợ", "(Ký ...)", then "Chồng", "(Ký ...)") before
			 * the row that holds both: take them into the run.
			 */
			for (j = i; j < nl && one_sided(&l[j], page_w / 2); j++)
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
