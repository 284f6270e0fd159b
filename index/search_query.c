/*
 * The search query language, parsed here and turned into an FTS5
 * expression, so that no user text ever reaches FTS5's own parser:
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*          implicit AND
 *   unary   := "NOT" unary | "-" primary | primary
 *   primary := "(" or ")" | '"' words '"' ["*"] | word ["*"]
 *
 * Operators are upper case (a lower-case "or" is a word).  Every term is
 * reduced to its folded tokens and written as a quoted FTS5 string of
 * letters and digits only.  A term typed with diacritics becomes
 * ("folded" OR "<exact>"), where the second string starts with
 * SOHOA_FTS_EXACT and matches only the spelling typed: it matches a
 * subset of the first, so the documents found do not change, but
 * sohoa_rank() can rank those documents first.  FTS5 has no unary NOT,
 * so an AND group is written as (positives) NOT (negatives), and a group
 * of negatives alone is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "fts.h"

#define QUERY_MAX 1024		/* bytes */
#define TERMS_MAX 32
#define DEPTH_MAX 16
#define TOKEN_CHARS 96

enum lex {
	L_END, L_WORD, L_PHRASE, L_LP, L_RP, L_AND, L_OR, L_NOT, L_MINUS,
};

struct parser {
	struct sohoa_ctx *ctx;
	const char *s;
	size_t len, pos;
	/* the current token */
	enum lex tok;
	const char *text;
	size_t tlen;
	int prefix;
	int nterms, depth, ops;
	struct sohoa_fts_query *q;
	sohoa_fts_expand_fn expand;
	void *expand_arg;
};

/* An expression and the exact mask of its phrases, built together. */
struct out {
	struct sohoa_buf e, m;
};

static void
out_init(struct out *o)
{
	sohoa_buf_init(&o->e);
	sohoa_buf_init(&o->m);
}

static void
out_release(struct out *o)
{
	sohoa_buf_release(&o->e);
	sohoa_buf_release(&o->m);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
perr(struct parser *p, const char *msg)
{
	return sohoa_set_error(p->ctx, SOHOA_ERR_INPUT, "%s", msg);
}

static int
lex(struct parser *p)
{
	const char *s = p->s;
	size_t start, end;

	p->prefix = 0;
	p->text = NULL;
	p->tlen = 0;
again:
	while (p->pos < p->len && is_space(s[p->pos]))
		p->pos++;
	if (p->pos >= p->len) {
		p->tok = L_END;
		return SOHOA_OK;
	}
	switch (s[p->pos]) {
	case '(':
		p->pos++;
		p->tok = L_LP;
		return SOHOA_OK;
	case ')':
		p->pos++;
		p->tok = L_RP;
		return SOHOA_OK;
	case '"':
		start = ++p->pos;
		while (p->pos < p->len && s[p->pos] != '"')
			p->pos++;
		if (p->pos >= p->len)
			return perr(p, "unbalanced quote in query");
		p->text = s + start;
		p->tlen = p->pos - start;
		p->pos++;
		if (p->pos < p->len && s[p->pos] == '*') {
			p->prefix = 1;
			p->pos++;
		}
		p->tok = L_PHRASE;
		return SOHOA_OK;
	case '-':
		if (p->pos + 1 < p->len && !is_space(s[p->pos + 1]) &&
		    s[p->pos + 1] != ')' && s[p->pos + 1] != '-') {
			p->pos++;
			p->tok = L_MINUS;
			return SOHOA_OK;
		}
		break;
	}
	start = p->pos;
	while (p->pos < p->len && !is_space(s[p->pos]) && s[p->pos] != '"' &&
	    s[p->pos] != '(' && s[p->pos] != ')')
		p->pos++;
	end = p->pos;
	if (end - start == 3 && memcmp(s + start, "AND", 3) == 0) {
		p->tok = L_AND;
		return SOHOA_OK;
	}
	if (end - start == 2 && memcmp(s + start, "OR", 2) == 0) {
		p->tok = L_OR;
		return SOHOA_OK;
	}
	if (end - start == 3 && memcmp(s + start, "NOT", 3) == 0) {
		p->tok = L_NOT;
		return SOHOA_OK;
	}
	if (end > start && s[end - 1] == '*') {
		p->prefix = 1;
		end--;
		while (end > start && s[end - 1] == '*')
			end--;
	}
	p->text = s + start;
	p->tlen = end - start;
	{
		int ntok, differ;

		if (sohoa_fts_terms(p->text, p->tlen, NULL, NULL, &ntok,
		    &differ) != SOHOA_OK)
			return sohoa_set_error(p->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		if (ntok == 0 && p->prefix)
			return perr(p, "'*' must follow a word in query");
		if (ntok == 0)
			goto again;	/* punctuation alone: not a term */
	}
	p->tok = L_WORD;
	return SOHOA_OK;
}

/* Keep positive term P as a word of the query (for simple queries). */
static int
keep_word(struct parser *p, const struct sohoa_buf *fold,
    const struct sohoa_buf *exact, int ntok, int differ, int prefix)
{
	struct sohoa_fts_query *q = p->q;
	struct sohoa_fts_word *w;

	w = realloc(q->words, sizeof(*w) * (size_t)(q->nw + 1));
	if (w == NULL)
		return SOHOA_ERR_NOMEM;
	q->words = w;
	w = &q->words[q->nw];
	memset(w, 0, sizeof(*w));
	w->fold = strdup(fold->buf);
	if (w->fold == NULL)
		return SOHOA_ERR_NOMEM;
	q->nw++;
	if (differ && !prefix && (w->exact = strdup(exact->buf)) == NULL)
		return SOHOA_ERR_NOMEM;
	w->ntok = ntok;
	w->prefix = prefix;
	w->phrase = p->tok == L_PHRASE || ntok > 1;
	return SOHOA_OK;
}

/* All digits, LO to HI of them. */
static int
digits(const char *s, size_t lo, size_t hi)
{
	size_t n = strlen(s), i;

	if (n < lo || n > hi)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * FOLD (three space-separated tokens) is a date "d m yyyy" or "yyyy m d":
 * append the spellings it may have in the text and the fields, as an
 * FTS5 OR of phrases, to OUT, one '0' per phrase to MASK, and the date as
 * fields hold it ("yyyy mm dd") to *PISO.  *PDONE is 0 if it is no date.
 */
static int
date_alternatives(const char *fold, struct out *o, int *pdone, char **piso)
{
	char t[3][8], alt[3][24];
	int d, m, y, n, i, j, rc;

	*pdone = 0;
	if (sscanf(fold, "%7s %7s %7s%n", t[0], t[1], t[2], &n) != 3 ||
	    fold[n] != '\0')
		return SOHOA_OK;
	if (digits(t[0], 1, 2) && digits(t[1], 1, 2) && digits(t[2], 4, 4)) {
		d = atoi(t[0]);
		m = atoi(t[1]);
		y = atoi(t[2]);
	} else if (digits(t[0], 4, 4) && digits(t[1], 1, 2) &&
	    digits(t[2], 1, 2)) {
		y = atoi(t[0]);
		m = atoi(t[1]);
		d = atoi(t[2]);
	} else {
		return SOHOA_OK;
	}
	if (d < 1 || d > 31 || m < 1 || m > 12)
		return SOHOA_OK;
	/* as printed on forms, as fields store it, without leading zeros */
	snprintf(alt[0], sizeof(alt[0]), "%02d %02d %04d", d, m, y);
	snprintf(alt[1], sizeof(alt[1]), "%04d %02d %02d", y, m, d);
	snprintf(alt[2], sizeof(alt[2]), "%d %d %04d", d, m, y);
	rc = sohoa_buf_addch(&o->e, '(');
	for (i = 0; i < 3 && rc == SOHOA_OK; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(alt[i], alt[j]) == 0)
				break;
		if (j < i)
			continue;
		rc = sohoa_buf_addf(&o->e, "%s\"%s\"", i ? " OR " : "",
		    alt[i]);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addch(&o->m, '0');
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addch(&o->e, ')');
	*pdone = 1;
	free(*piso);
	if (rc == SOHOA_OK && (*piso = strdup(alt[1])) == NULL)
		rc = SOHOA_ERR_NOMEM;
	return rc;
}

/*
 * A prefix of FOLD's last token: the words it stands for, as an FTS5 OR
 * of phrases, when the caller can list them (a prefix of a common
 * syllable, "ng", matches hundreds of thousands of documents through
 * hundreds of words, which FTS5 would merge in full).  *PDONE is 0 when
 * it could not.
 */
static int
expand_prefix(struct parser *p, const char *fold, struct out *o, int *pdone,
    char **plist)
{
	struct sohoa_buf words = SOHOA_BUF_INIT;
	const char *last = strrchr(fold, ' '), *w, *e;
	size_t head;
	int rc, n = 0;

	*pdone = 0;
	if (p->expand == NULL)
		return SOHOA_OK;
	last = last != NULL ? last + 1 : fold;
	head = (size_t)(last - fold);
	rc = p->expand(p->expand_arg, last, &words);
	if (rc != SOHOA_OK || words.len == 0)
		goto out;
	rc = sohoa_buf_addch(&o->e, '(');
	for (w = words.buf; rc == SOHOA_OK && *w; w = *e ? e + 1 : e) {
		e = strchr(w, ' ');
		if (e == NULL)
			e = w + strlen(w);
		rc = sohoa_buf_addf(&o->e, "%s\"%.*s%.*s\"", n++ ? " OR " : "",
		    (int)head, fold, (int)(e - w), w);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addch(&o->m, '0');
	}
	if (rc == SOHOA_OK)
		rc = sohoa_buf_addch(&o->e, ')');
	*pdone = 1;
	if (rc == SOHOA_OK && plist != NULL) {
		free(*plist);
		*plist = sohoa_buf_detach(&words, NULL);
	}
out:
	sohoa_buf_release(&words);
	return rc;
}

/*
 * Write the current word or phrase as an FTS5 term to OUT.  NEG: it is
 * excluded, so the exact alternative would only cost time.
 */
static int
term(struct parser *p, int neg, struct out *o)
{
	struct sohoa_buf fold = SOHOA_BUF_INIT, exact = SOHOA_BUF_INIT;
	const char *last;
	int ntok, differ, rc, prefix = p->prefix, done = 0;

	if (++p->nterms > TERMS_MAX) {
		rc = sohoa_set_error(p->ctx, SOHOA_ERR_INPUT,
		    "too many terms in query (at most %d)", TERMS_MAX);
		goto out;
	}
	rc = sohoa_fts_terms(p->text, p->tlen, &fold, &exact, &ntok, &differ);
	if (rc != SOHOA_OK) {
		rc = sohoa_set_error(p->ctx, rc, "out of memory");
		goto out;
	}
	if (ntok == 0) {
		rc = perr(p, "empty phrase in query");
		goto out;
	}
	/* part of a personal ID, typed from its start */
	if (!prefix && p->tok == L_WORD && digits(fold.buf, 6, 11))
		prefix = 1;
	if (!prefix && ntok == 3) {
		rc = date_alternatives(fold.buf, o, &done, &p->q->date);
		if (done)
			p->q->simple = 0;
	}
	if (rc == SOHOA_OK && !neg) {
		p->q->nwords++;
		rc = keep_word(p, &fold, &exact, ntok, differ, prefix);
	}
	/* numbers are looked up by FTS5: few words share a long prefix */
	last = strrchr(fold.buf, ' ');
	last = last != NULL ? last + 1 : fold.buf;
	if (rc == SOHOA_OK && !done && prefix && !digits(last, 1, TOKEN_CHARS))
		rc = expand_prefix(p, fold.buf, o, &done, neg ? NULL :
		    &p->q->words[p->q->nw - 1].expand);
	if (rc != SOHOA_OK || done)
		goto nomem;
	/*
	 * No exact alternative for a prefix: FTS5 would merge the doclists
	 * of every exact word that starts so.
	 */
	if (!neg && differ && !prefix) {
		p->q->has_exact = 1;
		rc = sohoa_buf_addf(&o->e, "(\"%s\" OR \"%c%s\")", fold.buf,
		    SOHOA_FTS_EXACT, exact.buf);
		if (rc == SOHOA_OK)
			rc = sohoa_buf_adds(&o->m, "01");
	} else {
		rc = sohoa_buf_addf(&o->e, "\"%s\"%s", fold.buf,
		    prefix ? "*" : "");
		if (rc == SOHOA_OK)
			rc = sohoa_buf_addch(&o->m, '0');
	}
nomem:
	if (rc != SOHOA_OK)
		rc = sohoa_set_error(p->ctx, rc, "out of memory");
out:
	sohoa_buf_release(&fold);
	sohoa_buf_release(&exact);
	return rc;
}

static int parse_or(struct parser *p, int neg, struct out *o);

static int
starts_unary(enum lex t)
{
	return t == L_WORD || t == L_PHRASE || t == L_LP || t == L_NOT ||
	    t == L_MINUS;
}

/* primary: a group, a phrase or a word; the token after it is read. */
static int
parse_primary(struct parser *p, int neg, struct out *o)
{
	int rc;

	switch (p->tok) {
	case L_LP:
		if (++p->depth > DEPTH_MAX)
			return perr(p, "parentheses nested too deep in query");
		if ((rc = lex(p)) != SOHOA_OK)
			return rc;
		if (p->tok == L_RP)
			return perr(p, "empty parentheses in query");
		if ((rc = sohoa_buf_addch(&o->e, '(')) != SOHOA_OK ||
		    (rc = parse_or(p, neg, o)) != SOHOA_OK)
			return rc;
		if (p->tok != L_RP)
			return perr(p, "unbalanced parenthesis in query");
		p->depth--;
		p->q->simple = 0;
		if (sohoa_buf_addch(&o->e, ')') != SOHOA_OK)
			return sohoa_set_error(p->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		return lex(p);
	case L_WORD:
	case L_PHRASE:
		if ((rc = term(p, neg, o)) != SOHOA_OK)
			return rc;
		return lex(p);
	case L_RP:
		return perr(p, "unbalanced parenthesis in query");
	case L_AND:
		return perr(p, "AND needs a term on each side");
	case L_OR:
		return perr(p, "OR needs a term on each side");
	case L_NOT:
	case L_MINUS:
	case L_END:
	default:
		return perr(p, "NOT needs a term after it");
	}
}

/*
 * and: collect positive and negative operands, then write
 * (p1 AND p2 ...) NOT (n1 OR n2 ...).
 */
static int
parse_and(struct parser *p, int neg, struct out *o)
{
	struct out pos, negs, *dst;
	int npos = 0, nneg = 0, rc = SOHOA_OK, is_neg;

	out_init(&pos);
	out_init(&negs);
	if (p->tok == L_AND) {
		rc = perr(p, "AND needs a term on each side");
		goto out;
	}
	if (p->tok == L_OR) {
		rc = perr(p, "OR needs a term on each side");
		goto out;
	}
	for (;;) {
		is_neg = 0;
		while (p->tok == L_NOT || p->tok == L_MINUS) {
			is_neg = !is_neg;
			p->q->simple = 0;
			if ((rc = lex(p)) != SOHOA_OK)
				goto out;
		}
		if (is_neg && !(p->tok == L_WORD || p->tok == L_PHRASE ||
		    p->tok == L_LP)) {
			rc = perr(p, "NOT needs a term after it");
			goto out;
		}
		dst = is_neg ? &negs : &pos;
		if (dst->e.len > 0 && sohoa_buf_adds(&dst->e, is_neg ? " OR " :
		    " AND ") != SOHOA_OK)
			goto nomem;
		if ((rc = parse_primary(p, neg || is_neg, dst)) != SOHOA_OK)
			goto out;
		if (is_neg)
			nneg++;
		else
			npos++;
		if (p->tok == L_AND) {
			if ((rc = lex(p)) != SOHOA_OK)
				goto out;
			if (!starts_unary(p->tok)) {
				rc = perr(p, "AND needs a term on each side");
				goto out;
			}
			continue;
		}
		if (!starts_unary(p->tok))
			break;
	}
	if (npos == 0) {
		rc = perr(p, "NOT needs something to search for besides the "
		    "excluded words");
		goto out;
	}
	/* phrases are numbered in the order written: masks follow */
	if (nneg == 0)
		rc = sohoa_buf_addf(&o->e, npos > 1 ? "(%s)" : "%s", pos.e.buf);
	else
		rc = sohoa_buf_addf(&o->e, "(%s) NOT (%s)", pos.e.buf,
		    negs.e.buf);
	if (rc != SOHOA_OK ||
	    sohoa_buf_add(&o->m, pos.m.buf, pos.m.len) != SOHOA_OK ||
	    sohoa_buf_add(&o->m, negs.m.buf, negs.m.len) != SOHOA_OK)
		goto nomem;
	goto out;
nomem:
	rc = sohoa_set_error(p->ctx, SOHOA_ERR_NOMEM, "out of memory");
out:
	out_release(&pos);
	out_release(&negs);
	return rc;
}

static int
parse_or(struct parser *p, int neg, struct out *o)
{
	int rc, first = 1;

	for (;;) {
		if (!first && sohoa_buf_adds(&o->e, " OR ") != SOHOA_OK)
			return sohoa_set_error(p->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
		if ((rc = parse_and(p, neg, o)) != SOHOA_OK)
			return rc;
		if (p->tok != L_OR)
			return SOHOA_OK;
		p->q->simple = 0;
		first = 0;
		if ((rc = lex(p)) != SOHOA_OK)
			return rc;
		if (!starts_unary(p->tok))
			return perr(p, "OR needs a term on each side");
	}
}

void
sohoa_fts_query_init(struct sohoa_fts_query *q)
{
	memset(q, 0, sizeof(*q));
	sohoa_buf_init(&q->expr);
	sohoa_buf_init(&q->exact_mask);
}

void
sohoa_fts_query_release(struct sohoa_fts_query *q)
{
	int i;

	sohoa_buf_release(&q->expr);
	sohoa_buf_release(&q->exact_mask);
	for (i = 0; i < q->nw; i++) {
		free(q->words[i].fold);
		free(q->words[i].exact);
		free(q->words[i].expand);
	}
	free(q->words);
	free(q->date);
	memset(q, 0, sizeof(*q));
	sohoa_buf_init(&q->expr);
	sohoa_buf_init(&q->exact_mask);
}

/* Refuse what no keyboard types: control characters, broken UTF-8. */
static int
check_text(struct sohoa_ctx *ctx, const char *s, size_t len)
{
	size_t i;

	if (len > QUERY_MAX)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "query too long (more than %d bytes)", QUERY_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !is_space((char)c)) || c == 0x7F)
			return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
			    "control character in query");
	}
	if (!sohoa_utf8_valid(s, len))
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT,
		    "query is not valid UTF-8");
	return SOHOA_OK;
}

int
sohoa_fts_query_build(struct sohoa_ctx *ctx, const char *query,
    struct sohoa_fts_query *q)
{
	return sohoa_fts_query_build_expand(ctx, query, NULL, NULL, q);
}

int
sohoa_fts_query_build_expand(struct sohoa_ctx *ctx, const char *query,
    sohoa_fts_expand_fn expand, void *arg, struct sohoa_fts_query *q)
{
	struct sohoa_buf nfc = SOHOA_BUF_INIT;
	struct parser p;
	struct out o;
	size_t len;
	int rc;

	out_init(&o);
	sohoa_fts_query_release(q);
	q->simple = 1;
	if (query == NULL)
		query = "";
	len = strlen(query);
	if ((rc = check_text(ctx, query, len)) != SOHOA_OK)
		goto out;
	/* a query typed in NFD must match text stored in NFC */
	if ((rc = sohoa_utf8_nfc(query, len, &nfc)) != SOHOA_OK) {
		rc = sohoa_set_error(ctx, rc, "cannot read the query");
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.s = nfc.buf;
	p.len = nfc.len;
	p.q = q;
	p.expand = expand;
	p.expand_arg = arg;
	if ((rc = lex(&p)) != SOHOA_OK)
		goto out;
	if (p.tok == L_END) {
		q->simple = 0;
		goto out;	/* no words: filters alone */
	}
	if ((rc = parse_or(&p, 0, &o)) != SOHOA_OK)
		goto out;
	if (p.tok == L_RP)
		rc = perr(&p, "unbalanced parenthesis in query");
	else if (p.tok != L_END)
		rc = perr(&p, "cannot parse query");
	else if (sohoa_buf_add(&q->expr, o.e.buf, o.e.len) != SOHOA_OK ||
	    sohoa_buf_add(&q->exact_mask, o.m.buf, o.m.len) != SOHOA_OK)
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	/* a date and other words: no date alone (a lone NOT is refused) */
	if (rc == SOHOA_OK && p.nterms != 1) {
		free(q->date);
		q->date = NULL;
	}
out:
	out_release(&o);
	if (rc != SOHOA_OK)
		sohoa_fts_query_release(q);
	sohoa_buf_release(&nfc);
	return rc;
}
