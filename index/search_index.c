/*
 * Keeping search_fts in step with the documents: what each column holds,
 * which lines of the text are boilerplate, and the word list that
 * prefixes and near spellings are looked up in.
 *
 *   sohoa_fts_indexer_new / _add / _flush / _destroy
 *   sohoa_fts_index_document, sohoa_fts_delete_document
 *   sohoa_fts_rebuild
 *
 * Boilerplate is what the printed form says, not what was written in it:
 *
 *   - a label: the words just before a colon, from a capitalised word
 *     (or the start of the line, a number, a sentence break) to the
 *     colon, with only small words after the first ("Họ, chữ đệm, tên
 *     người mẹ:", "Giới tính: Nữ Dân tộc: Kinh": "Dân tộc", not "Nữ"),
 *     or a run of capitals ("XÁC NHẬN:");
 *   - a line that many documents of a type have: the motto, form titles,
 *     "(Ký, ghi rõ họ, chữ đệm, tên)", "CHỦ TỊCH".  These are learnt from
 *     the archive itself: every indexed document of a type until there
 *     are LEARN_ALL of them, then one in LEARN_EVERY, counts its lines
 *     (search_lines); once LEARN_MIN documents of a type (or in all) are
 *     counted, a line in at least BOIL_MIN documents and BOIL_SHARE of
 *     those of its type, or of all documents, is boilerplate
 *     (search_boiler), and so is a line within a few letters of one
 *     (OCR slips); it is forgotten again when it falls below DROP_SHARE
 *     everywhere (the first dossier's commune, learnt early, fades as
 *     others come).  While the archive is small, a change re-indexes
 *     every document; later documents get it as they come, and a
 *     rebuild (a layout change) learns from all of them first.
 *
 * Boilerplate stays in the stored text, between SOHOA_FTS_BOIL_OPEN and
 * _CLOSE, so snippets read as the page does; the tokenizer skips it.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "fts.h"

#define LEARN_ALL 1000
#define LEARN_EVERY 256
/* documents counted (of a type, or in all) before any line is learnt */
#define LEARN_MIN 10
#define BOIL_MIN 3
/* a line is learnt at this share of documents, forgotten below DROP */
#define BOIL_SHARE 0.35
#define DROP_SHARE 0.25
#define STR_(x) #x
#define STR(x) STR_(x)
/* documents indexed again when a new boilerplate line is learnt */
#define REINDEX_MAX 2000
/* a line key longer than this is never boilerplate */
#define LINE_MAX_KEY 300
/* a near-boilerplate line is compared when its key is this long */
#define NEAR_MIN 12
#define NEAR_MAX 96
/* words of a label, at most */
#define LABEL_WORDS 8
/* pending word counts before they are written */
#define WORDS_PENDING 200000

/* ---- a set of strings with counts (open addressing) --------------------- */

struct strset {
	char **key;
	long *n;
	size_t size, used;
};

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
strset_release(struct strset *t)
{
	size_t i;

	for (i = 0; i < t->size; i++)
		free(t->key[i]);
	free(t->key);
	free(t->n);
	memset(t, 0, sizeof(*t));
}

static void
strset_clear(struct strset *t)
{
	size_t i;

	for (i = 0; i < t->size; i++) {
		free(t->key[i]);
		t->key[i] = NULL;
		t->n[i] = 0;
	}
	t->used = 0;
}

/* The slot of S (LEN bytes) in T: where it is, or where it would go. */
static size_t
strset_slot(const struct strset *t, const char *s, size_t len)
{
	size_t i = hash(s, len) & (t->size - 1);

	while (t->key[i] != NULL && !(strncmp(t->key[i], s, len) == 0 &&
	    t->key[i][len] == '\0'))
		i = (i + 1) & (t->size - 1);
	return i;
}

static int
strset_grow(struct strset *t)
{
	struct strset g;
	size_t i, j;

	g.size = t->size ? t->size * 2 : 256;
	g.used = t->used;
	g.key = calloc(g.size, sizeof(*g.key));
	g.n = calloc(g.size, sizeof(*g.n));
	if (g.key == NULL || g.n == NULL) {
		free(g.key);
		free(g.n);
		return SOHOA_ERR_NOMEM;
	}
	for (i = 0; i < t->size; i++) {
		if (t->key[i] == NULL)
			continue;
		j = strset_slot(&g, t->key[i], strlen(t->key[i]));
		g.key[j] = t->key[i];
		g.n[j] = t->n[i];
	}
	free(t->key);
	free(t->n);
	*t = g;
	return SOHOA_OK;
}

/* Add ADD to the count of S; *PNEW is 1 when S was not there. */
static int
strset_add(struct strset *t, const char *s, size_t len, long add, int *pnew)
{
	size_t i;

	if (pnew != NULL)
		*pnew = 0;
	if ((t->used + 1) * 2 > t->size && strset_grow(t) != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	i = strset_slot(t, s, len);
	if (t->key[i] == NULL) {
		t->key[i] = malloc(len + 1);
		if (t->key[i] == NULL)
			return SOHOA_ERR_NOMEM;
		memcpy(t->key[i], s, len);
		t->key[i][len] = '\0';
		t->used++;
		if (pnew != NULL)
			*pnew = 1;
	}
	t->n[i] += add;
	return SOHOA_OK;
}

static int
strset_has(const struct strset *t, const char *s, size_t len)
{
	return t->size > 0 && t->key[strset_slot(t, s, len)] != NULL;
}

/* ---- the indexer ------------------------------------------------------- */

/* A learnt line, to compare with lines that are not quite it. */
struct near_key {
	char *key;
	size_t len, first;	/* bytes; of its first word */
	int nwords;
};

struct sohoa_fts_indexer {
	struct sohoa_ctx *ctx;
	sqlite3 *db;
	unsigned flags;
	int plain;
	sqlite3_stmt *doc, *fields, *pages, *del, *ins;
	sqlite3_stmt *word, *counted, *line, *boil, *total, *keep, *unboil;
	sqlite3_stmt *first;
	struct sohoa_buf title, kind, fields_text, body, key;
	struct strset boiler;	/* learnt lines */
	struct near_key *near;	/* the learnt keys short enough to compare */
	size_t nnear;
	struct strset titles;	/* keys of the types' titles */
	struct strset words;	/* head words and their new documents */
	struct strset doc_words, doc_lines;	/* of the current document */
	int learn;		/* learn from documents added */
};

static int
ix_db_error(struct sohoa_fts_indexer *ix, const char *what)
{
	int ec = sqlite3_errcode(ix->db);

	return sohoa_set_error(ix->ctx, ec == SQLITE_BUSY ||
	    ec == SQLITE_LOCKED ? SOHOA_ERR_BUSY : SOHOA_ERR_DB, "%s: %s", what,
	    sqlite3_errmsg(ix->db));
}

static int
ix_nomem(struct sohoa_fts_indexer *ix)
{
	return sohoa_set_error(ix->ctx, SOHOA_ERR_NOMEM, "out of memory");
}

static int
step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int
sohoa_fts_indexer_flush(struct sohoa_fts_indexer *ix)
{
	size_t i;
	int src = SQLITE_OK;

	if (ix->word == NULL)
		return SOHOA_OK;
	for (i = 0; i < ix->words.size && src == SQLITE_OK; i++) {
		/* a count of 0 still adds a word the list lacks */
		if (ix->words.key[i] == NULL)
			continue;
		sqlite3_bind_text(ix->word, 1, ix->words.key[i], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(ix->word, 2, ix->words.n[i]);
		src = step_done(ix->word);
	}
	strset_clear(&ix->words);
	if (src != SQLITE_OK)
		return ix_db_error(ix, "cannot write the search word list");
	return SOHOA_OK;
}

void
sohoa_fts_indexer_destroy(struct sohoa_fts_indexer **pix)
{
	struct sohoa_fts_indexer *ix = *pix;
	size_t i;

	if (ix == NULL)
		return;
	/* a failure here leaves counts short: they only order suggestions */
	sohoa_fts_indexer_flush(ix);
	sqlite3_finalize(ix->doc);
	sqlite3_finalize(ix->fields);
	sqlite3_finalize(ix->pages);
	sqlite3_finalize(ix->del);
	sqlite3_finalize(ix->ins);
	sqlite3_finalize(ix->word);
	sqlite3_finalize(ix->counted);
	sqlite3_finalize(ix->line);
	sqlite3_finalize(ix->boil);
	sqlite3_finalize(ix->total);
	sqlite3_finalize(ix->keep);
	sqlite3_finalize(ix->unboil);
	sqlite3_finalize(ix->first);
	sohoa_buf_release(&ix->title);
	sohoa_buf_release(&ix->kind);
	sohoa_buf_release(&ix->fields_text);
	sohoa_buf_release(&ix->body);
	sohoa_buf_release(&ix->key);
	strset_release(&ix->boiler);
	for (i = 0; i < ix->nnear; i++)
		free(ix->near[i].key);
	free(ix->near);
	strset_release(&ix->titles);
	strset_release(&ix->words);
	strset_release(&ix->doc_words);
	strset_release(&ix->doc_lines);
	free(ix);
	*pix = NULL;
}

/* Read search_boiler into memory. */
static int
load_boiler(struct sohoa_fts_indexer *ix)
{
	sqlite3_stmt *st = NULL;
	struct near_key *v, *k;
	const char *s;
	size_t n, i;
	int src, rc = SOHOA_OK;

	strset_clear(&ix->boiler);
	for (i = 0; i < ix->nnear; i++)
		free(ix->near[i].key);
	ix->nnear = 0;
	if (sqlite3_prepare_v2(ix->db, "SELECT line FROM search_boiler", -1,
	    &st, NULL) != SQLITE_OK)
		return ix_db_error(ix, "cannot read the search index");
	while (rc == SOHOA_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		n = (size_t)sqlite3_column_bytes(st, 0);
		if (s == NULL)
			continue;
		if (strset_add(&ix->boiler, s, n, 1, NULL) != SOHOA_OK) {
			rc = ix_nomem(ix);
			break;
		}
		if (n < NEAR_MIN || n > NEAR_MAX)
			continue;
		v = realloc(ix->near, (ix->nnear + 1) * sizeof(*v));
		if (v == NULL) {
			rc = ix_nomem(ix);
			break;
		}
		ix->near = v;
		k = &v[ix->nnear];
		if ((k->key = strdup(s)) == NULL) {
			rc = ix_nomem(ix);
			break;
		}
		ix->nnear++;
		k->len = n;
		k->first = strcspn(s, " ");
		k->nwords = 1;
		for (i = 0; i < n; i++)
			if (s[i] == ' ')
				k->nwords++;
	}
	if (rc == SOHOA_OK && src != SQLITE_DONE)
		rc = ix_db_error(ix, "cannot read the search index");
	sqlite3_finalize(st);
	return rc;
}

static int line_key(const char *s, size_t len, struct sohoa_buf *out);

/* The keys of the types' names and titles, never boilerplate. */
static int
load_titles(struct sohoa_fts_indexer *ix)
{
	const char *t, *p, *e;
	size_t i;

	for (i = 0; (t = sohoa_fts_type_titles(i)) != NULL; i++) {
		for (p = t; *p; p = *e ? e + 1 : e) {
			e = strchr(p, '\n');
			if (e == NULL)
				e = p + strlen(p);
			if (line_key(p, (size_t)(e - p), &ix->key) != SOHOA_OK ||
			    strset_add(&ix->titles, ix->key.buf, ix->key.len, 1,
			    NULL) != SOHOA_OK)
				return ix_nomem(ix);
		}
	}
	return SOHOA_OK;
}

static int
prepare(struct sohoa_fts_indexer *ix, const char *sql, sqlite3_stmt **pst)
{
	if (sqlite3_prepare_v2(ix->db, sql, -1, pst, NULL) != SQLITE_OK)
		return ix_db_error(ix, "cannot prepare the search index");
	return SOHOA_OK;
}

int
sohoa_fts_indexer_new(struct sohoa_ctx *ctx, sqlite3 *db, const char *table,
    unsigned flags, struct sohoa_fts_indexer **pix)
{
	struct sohoa_fts_indexer *ix;
	struct sohoa_buf sql = SOHOA_BUF_INIT;
	int rc = SOHOA_OK;

	*pix = NULL;
	ix = calloc(1, sizeof(*ix));
	if (ix == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	ix->ctx = ctx;
	ix->db = db;
	ix->flags = flags;
	ix->plain = (flags & SOHOA_FTS_INDEXER_PLAIN) != 0;
	ix->learn = !ix->plain && !(flags & SOHOA_FTS_INDEXER_NO_LEARN);
	sohoa_buf_init(&ix->title);
	sohoa_buf_init(&ix->kind);
	sohoa_buf_init(&ix->fields_text);
	sohoa_buf_init(&ix->body);
	sohoa_buf_init(&ix->key);
	if (table == NULL || !ix->plain)
		table = "search_fts";
	if ((rc = prepare(ix, "SELECT doc_type, title, deleted_at IS NOT NULL"
	    " FROM documents WHERE id = ?1", &ix->doc)) != SOHOA_OK ||
	    (rc = prepare(ix, "SELECT value FROM fields WHERE document_id = ?1"
	    " ORDER BY key", &ix->fields)) != SOHOA_OK ||
	    (rc = prepare(ix, "SELECT text FROM pages WHERE document_id = ?1"
	    " AND text <> '' ORDER BY file_id, pageno", &ix->pages)) !=
	    SOHOA_OK)
		goto out;
	if (sohoa_buf_addf(&sql, "DELETE FROM \"%s\" WHERE rowid = ?1",
	    table) != SOHOA_OK) {
		rc = ix_nomem(ix);
		goto out;
	}
	if ((rc = prepare(ix, sql.buf, &ix->del)) != SOHOA_OK)
		goto out;
	sohoa_buf_reset(&sql);
	if (sohoa_buf_addf(&sql, ix->plain ? "INSERT INTO \"%s\"(rowid, "
	    "title, fields, body) VALUES (?1, ?3, ?4, ?5)" : "INSERT INTO "
	    "\"%s\"(rowid, kind, title, fields, body) VALUES (?1, ?2, ?3, ?4,"
	    " ?5)", table) != SOHOA_OK) {
		rc = ix_nomem(ix);
		goto out;
	}
	if ((rc = prepare(ix, sql.buf, &ix->ins)) != SOHOA_OK)
		goto out;
	if (ix->plain)
		goto done;
	if ((rc = prepare(ix, "INSERT INTO search_words(word, n) VALUES (?1,"
	    " ?2) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
	    &ix->word)) != SOHOA_OK ||
	    (rc = prepare(ix, "INSERT OR IGNORE INTO search_counted(doc_id)"
	    " VALUES (?1)", &ix->counted)) != SOHOA_OK ||
	    (rc = prepare(ix, "INSERT INTO search_lines(doc_type, line, ndocs)"
	    " VALUES (?1, ?2, 1) ON CONFLICT DO UPDATE SET ndocs = ndocs + 1"
	    " RETURNING ndocs", &ix->line)) != SOHOA_OK ||
	    (rc = prepare(ix, "INSERT OR IGNORE INTO search_boiler(line)"
	    " VALUES (?1)", &ix->boil)) != SOHOA_OK ||
	    (rc = prepare(ix, "SELECT ndocs FROM search_lines WHERE doc_type ="
	    " ?1 AND line = ''", &ix->total)) != SOHOA_OK ||
	    (rc = prepare(ix, "SELECT 1 FROM search_lines l JOIN search_lines"
	    " t ON t.doc_type = l.doc_type AND t.line = '' WHERE l.line = ?1"
	    " AND t.ndocs >= " STR(LEARN_MIN) " AND l.ndocs >= "
	    STR(DROP_SHARE) " * t.ndocs LIMIT 1", &ix->keep)) != SOHOA_OK ||
	    (rc = prepare(ix, "DELETE FROM search_boiler WHERE line = ?1",
	    &ix->unboil)) != SOHOA_OK ||
	    (rc = prepare(ix, "INSERT OR IGNORE INTO search_boiler(line) "
	    "SELECT line FROM search_lines WHERE doc_type = ?1 AND line <> ''"
	    " AND ndocs >= " STR(BOIL_MIN) " AND ndocs >= " STR(BOIL_SHARE)
	    " * ?2", &ix->first)) != SOHOA_OK ||
	    (rc = load_boiler(ix)) != SOHOA_OK ||
	    (rc = load_titles(ix)) != SOHOA_OK)
		goto out;
done:
	*pix = ix;
	ix = NULL;
out:
	sohoa_buf_release(&sql);
	sohoa_fts_indexer_destroy(&ix);
	return rc;
}

/* ---- lines and labels --------------------------------------------------- */

/* The search key of a line: its folded words, one space apart. */
struct key_call {
	struct sohoa_buf *out;
	int rc;
};

static int
key_word(void *arg, const char *fold, size_t flen, size_t start, size_t end,
    int newline)
{
	struct key_call *k = arg;

	(void)start;
	(void)end;
	(void)newline;
	if ((k->out->len > 0 && sohoa_buf_addch(k->out, ' ') != SOHOA_OK) ||
	    sohoa_buf_add(k->out, fold, flen) != SOHOA_OK) {
		k->rc = SOHOA_ERR_NOMEM;
		return 1;
	}
	return k->out->len > LINE_MAX_KEY;
}

static int
line_key(const char *s, size_t len, struct sohoa_buf *out)
{
	struct key_call k = { out, SOHOA_OK };

	sohoa_buf_reset(out);
	sohoa_fts_words(s, len, key_word, &k);
	return k.rc;
}

#define KEY_WORDS 64

/*
 * Which words of KEY (a line's) are boilerplate: all of it when it is a
 * learnt line or within a few letters of one (an OCR slip), or a run of
 * words at its start (*PHEAD) or its end (*PTAIL) that is one: OCR reads
 * a two-column header row as one line, "PHƯỜNG CHƯƠNG MỸ Độc lập - Tự
 * do - Hạnh húc".  Returns 1 when the whole line is.  Only learnt lines
 * whose first word is where it would be are compared.
 */
static int
is_boiler(const struct sohoa_fts_indexer *ix, const char *key, size_t len,
    int *phead, int *ptail)
{
	const struct near_key *k;
	size_t i, ws[KEY_WORDS + 1], plen, wl;
	int max, kk, st, nwords = 0;

	*phead = *ptail = 0;
	if (len == 0 || len > LINE_MAX_KEY)
		return 0;
	if (strset_has(&ix->boiler, key, len))
		return 1;
	ws[nwords++] = 0;
	for (i = 0; i < len && nwords <= KEY_WORDS; i++)
		if (key[i] == ' ')
			ws[nwords++] = i + 1;
	if (nwords > KEY_WORDS)
		return 0;
	ws[nwords] = len + 1;
	for (i = 0; i < ix->nnear; i++) {
		k = &ix->near[i];
		max = (int)(k->len / 12) + 1;
		if (k->first == ws[1] - 1 && memcmp(k->key, key,
		    k->first) == 0) {
			if ((k->len > len ? k->len - len : len - k->len) <=
			    (size_t)max && len <= NEAR_MAX &&
			    sohoa_fts_distance(key, len, k->key, k->len,
			    max) <= max)
				return 1;
			/* the line's first words against the learnt line */
			for (kk = k->nwords - 1; k->nwords >= 3 &&
			    kk <= k->nwords + 1; kk++) {
				if (kk < 2 || kk >= nwords || kk <= *phead)
					continue;
				plen = ws[kk] - 1;
				if ((k->len > plen ? k->len - plen : plen -
				    k->len) <= (size_t)max &&
				    sohoa_fts_distance(key, plen, k->key,
				    k->len, max) <= max)
					*phead = kk;
			}
		}
		/* its last words */
		for (kk = k->nwords - 1; k->nwords >= 3 && kk <= k->nwords + 1;
		    kk++) {
			if (kk < 2 || kk >= nwords || kk <= *ptail)
				continue;
			st = nwords - kk;
			wl = ws[st + 1] - 1 - ws[st];
			if (wl != k->first || memcmp(key + ws[st], k->key,
			    wl) != 0)
				continue;
			plen = len - ws[st];
			if ((k->len > plen ? k->len - plen : plen - k->len) <=
			    (size_t)max && sohoa_fts_distance(key + ws[st],
			    plen, k->key, k->len, max) <= max)
				*ptail = kk;
		}
	}
	return *phead + *ptail >= nwords;
}

enum wcase { W_OTHER, W_LOWER, W_CAP, W_UPPER };

/* The case of the word at S (LEN bytes): digits make it W_OTHER. */
static enum wcase
word_case(const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;
	int c, first = 0, upper = 0, lower = 0, letters = 0;

	while (i < len) {
		n = sohoa_utf8_decode(s + i, len - i, &cp);
		i += n;
		if (cp >= '0' && cp <= '9')
			return W_OTHER;
		c = sohoa_utf8_case_cp(cp);
		if (c == 0)
			continue;
		if (letters++ == 0)
			first = c;
		if (c > 0)
			upper++;
		else
			lower++;
	}
	if (letters == 0)
		return W_OTHER;
	if (first < 0)
		return W_LOWER;
	if (lower == 0 && letters > 1)
		return W_UPPER;
	return W_CAP;
}

struct lw {
	size_t start, end;
};

struct line_words {
	struct lw *w;
	size_t n, alloc;
	int rc;
};

static int
collect_word(void *arg, const char *fold, size_t flen, size_t start,
    size_t end, int newline)
{
	struct line_words *l = arg;
	struct lw *v;

	(void)fold;
	(void)flen;
	(void)newline;
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 32;
		v = realloc(l->w, l->alloc * sizeof(*v));
		if (v == NULL) {
			l->rc = SOHOA_ERR_NOMEM;
			return 1;
		}
		l->w = v;
	}
	l->w[l->n].start = start;
	l->w[l->n].end = end;
	l->n++;
	return 0;
}

/* Does the text between two words end a sentence ('.', ';', brackets)? */
static int
breaks(const char *s, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (s[i] == '.' || s[i] == ';' || s[i] == '(' || s[i] == ')' ||
		    s[i] == ':')
			return 1;
	return 0;
}

/*
 * Append LINE (LEN bytes) to OUT with its labels between the boilerplate
 * marks.  A colon ends a label; the label runs back over small words to
 * the first capitalised one (a number, a sentence break, the previous
 * colon or the line's start may come first), or over a run of capitals.
 */
static int
add_labelled(const char *line, size_t len, struct sohoa_buf *out)
{
	struct line_words lw = { NULL, 0, 0, SOHOA_OK };
	size_t done = 0, c, i, k, first;
	int rc = SOHOA_OK, upper, ok;
	enum wcase wc;

	if (memchr(line, ':', len) == NULL)
		return sohoa_buf_add(out, line, len);
	sohoa_fts_words(line, len, collect_word, &lw);
	if (lw.rc != SOHOA_OK) {
		rc = lw.rc;
		goto out;
	}
	k = 0;		/* words before position c are lw.w[0..k) */
	for (c = 0; c < len && rc == SOHOA_OK; c++) {
		if (line[c] != ':')
			continue;
		while (k < lw.n && lw.w[k].end <= c)
			k++;
		/* walk back from word k - 1 */
		first = k;
		upper = 1;
		ok = 0;
		for (i = k; i > 0 && k - i < LABEL_WORDS; i--) {
			struct lw *w = &lw.w[i - 1];
			size_t gap_to = i < k ? lw.w[i].start : c;

			if (w->end < done || breaks(line, w->end, gap_to)) {
				ok = first < k;
				break;
			}
			wc = word_case(line + w->start, w->end - w->start);
			if (wc == W_OTHER) {
				ok = first < k;
				break;
			}
			if (wc == W_UPPER && !upper) {
				ok = 1;
				break;
			}
			if (wc != W_UPPER)
				upper = 0;
			first = i - 1;
			if (wc == W_CAP) {
				ok = 1;
				break;
			}
			if (i - 1 == 0)
				ok = 1;		/* the line starts the label */
		}
		if (i == 0 && first < k)
			ok = 1;
		if (!ok || first >= k)
			continue;
		if (sohoa_buf_add(out, line + done, lw.w[first].start - done) !=
		    SOHOA_OK || sohoa_buf_addch(out, SOHOA_FTS_BOIL_OPEN) !=
		    SOHOA_OK || sohoa_buf_add(out, line + lw.w[first].start,
		    c + 1 - lw.w[first].start) != SOHOA_OK ||
		    sohoa_buf_addch(out, SOHOA_FTS_BOIL_CLOSE) != SOHOA_OK)
			rc = SOHOA_ERR_NOMEM;
		done = c + 1;
	}
	if (rc == SOHOA_OK && sohoa_buf_add(out, line + done, len - done) !=
	    SOHOA_OK)
		rc = SOHOA_ERR_NOMEM;
out:
	free(lw.w);
	return rc;
}

/* The byte ranges of the words of a line, as line_key() counts them. */
struct span_call {
	size_t start[KEY_WORDS], end[KEY_WORDS];
	int n;
};

static int
word_span(void *arg, const char *fold, size_t flen, size_t start, size_t end,
    int newline)
{
	struct span_call *w = arg;

	(void)fold;
	(void)flen;
	(void)newline;
	if (w->n >= KEY_WORDS)
		return 1;
	w->start[w->n] = start;
	w->end[w->n] = end;
	w->n++;
	return 0;
}

/* Append TEXT between the boilerplate marks. */
static int
add_boiler(struct sohoa_buf *out, const char *text, size_t len)
{
	if (len == 0)
		return SOHOA_OK;
	if (sohoa_buf_addch(out, SOHOA_FTS_BOIL_OPEN) != SOHOA_OK ||
	    sohoa_buf_add(out, text, len) != SOHOA_OK ||
	    sohoa_buf_addch(out, SOHOA_FTS_BOIL_CLOSE) != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	return SOHOA_OK;
}

/*
 * Write the text of the pages in ix->body with its boilerplate marked,
 * and the keys of its lines in ix->doc_lines.
 */
static int
mark_body(struct sohoa_fts_indexer *ix, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	struct span_call sp;
	size_t n, a, z;
	int rc = SOHOA_OK, whole = 0, head, tail;

	while (p < end && rc == SOHOA_OK) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if ((rc = line_key(p, n, &ix->key)) != SOHOA_OK)
			break;
		whole = head = tail = 0;
		if (ix->key.len > 0 && ix->key.len <= LINE_MAX_KEY) {
			if (strset_add(&ix->doc_lines, ix->key.buf, ix->key.len,
			    1, NULL) != SOHOA_OK) {
				rc = SOHOA_ERR_NOMEM;
				break;
			}
			/* a form's title says which form: keep it */
			if (!strset_has(&ix->titles, ix->key.buf, ix->key.len))
				whole = is_boiler(ix, ix->key.buf, ix->key.len,
				    &head, &tail);
		}
		if (whole) {
			rc = add_boiler(&ix->body, p, n);
		} else if (head > 0 || tail > 0) {
			sp.n = 0;
			sohoa_fts_words(p, n, word_span, &sp);
			a = head > 0 && head <= sp.n ? sp.end[head - 1] : 0;
			z = tail > 0 && tail <= sp.n ? sp.start[sp.n - tail] : n;
			if (z < a)
				z = a;
			if ((rc = add_boiler(&ix->body, p, a)) == SOHOA_OK &&
			    (rc = add_labelled(p + a, z - a, &ix->body)) ==
			    SOHOA_OK)
				rc = add_boiler(&ix->body, p + z, n - z);
		} else {
			rc = add_labelled(p, n, &ix->body);
		}
		if (rc == SOHOA_OK && nl != NULL &&
		    sohoa_buf_addch(&ix->body, '\n') != SOHOA_OK)
			rc = SOHOA_ERR_NOMEM;
		p = nl != NULL ? nl + 1 : end;
	}
	return rc;
}

/*
 * Count the lines of the document just read (ix->doc_lines) for its type
 * and for all types, when it is one of those counted; *PNEW is 1 when a
 * line became boilerplate.
 */
static int
learn_error(struct sohoa_fts_indexer *ix, int64_t doc_id, int src)
{
	return sohoa_set_error(ix->ctx, src == SQLITE_BUSY ||
	    src == SQLITE_LOCKED ? SOHOA_ERR_BUSY : SOHOA_ERR_DB,
	    "cannot learn the boilerplate of document %lld: %s",
	    (long long)doc_id, sqlite3_errmsg(ix->db));
}

/*
 * Forget the learnt lines that fell below DROP_SHARE of every type (and
 * of all documents); *PCHANGED is 1 when one was.
 */
static int
forget(struct sohoa_fts_indexer *ix, int64_t doc_id, int *pchanged)
{
	sqlite3_stmt *st = NULL;
	char **lines = NULL, **v;
	size_t n = 0, i;
	int src, rc = SOHOA_OK, keep;

	if (sqlite3_prepare_v2(ix->db, "SELECT line FROM search_boiler", -1,
	    &st, NULL) != SQLITE_OK)
		return learn_error(ix, doc_id, sqlite3_errcode(ix->db));
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		v = realloc(lines, sizeof(*v) * (n + 1));
		if (v == NULL || (v[n] = strdup((const char *)
		    sqlite3_column_text(st, 0))) == NULL) {
			if (v != NULL)
				lines = v;
			rc = ix_nomem(ix);
			break;
		}
		lines = v;
		n++;
	}
	sqlite3_finalize(st);
	if (rc == SOHOA_OK && src != SQLITE_DONE)
		rc = learn_error(ix, doc_id, src);
	for (i = 0; rc == SOHOA_OK && i < n; i++) {
		sqlite3_bind_text(ix->keep, 1, lines[i], -1, SQLITE_STATIC);
		src = sqlite3_step(ix->keep);
		keep = src == SQLITE_ROW;
		sqlite3_reset(ix->keep);
		if (src != SQLITE_ROW && src != SQLITE_DONE) {
			rc = learn_error(ix, doc_id, src);
			break;
		}
		if (keep)
			continue;
		sqlite3_bind_text(ix->unboil, 1, lines[i], -1, SQLITE_STATIC);
		if ((src = step_done(ix->unboil)) != SQLITE_OK)
			rc = learn_error(ix, doc_id, src);
		*pchanged = 1;
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

/*
 * Count the lines of the document just read (ix->doc_lines) for its type
 * and for all types, when it is one of those counted; *PNEW is 1 when
 * what is boilerplate changed.
 */
/*
 * Is document DOC_ID of DOC_TYPE one whose lines are counted?  Past
 * LEARN_ALL documents of a type, one in LEARN_EVERY is.
 */
static int
counts(struct sohoa_fts_indexer *ix, int64_t doc_id, const char *doc_type,
    int *pyes)
{
	int64_t total = 0;
	int src;

	*pyes = 0;
	sqlite3_bind_text(ix->total, 1, doc_type, -1, SQLITE_STATIC);
	src = sqlite3_step(ix->total);
	if (src == SQLITE_ROW)
		total = sqlite3_column_int64(ix->total, 0);
	sqlite3_reset(ix->total);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return learn_error(ix, doc_id, src);
	*pyes = total < LEARN_ALL || doc_id % LEARN_EVERY == 0;
	return SOHOA_OK;
}

static int
learn(struct sohoa_fts_indexer *ix, int64_t doc_id, const char *doc_type,
    int *pnew)
{
	const char *types[2] = { doc_type, "*" };
	long total[2] = { 0, 0 }, nd;
	size_t i;
	int t, src = SQLITE_OK, is_boil, yes, rc;

	*pnew = 0;
	if ((rc = counts(ix, doc_id, doc_type, &yes)) != SOHOA_OK || !yes)
		return rc;
	sqlite3_bind_int64(ix->counted, 1, doc_id);
	if ((src = step_done(ix->counted)) != SQLITE_OK)
		return learn_error(ix, doc_id, src);
	if (sqlite3_changes(ix->db) == 0)
		return SOHOA_OK;	/* counted once already */
	for (t = 0; t < 2; t++) {
		sqlite3_bind_text(ix->line, 1, types[t], -1, SQLITE_STATIC);
		sqlite3_bind_text(ix->line, 2, "", 0, SQLITE_STATIC);
		src = sqlite3_step(ix->line);
		if (src == SQLITE_ROW)
			total[t] = sqlite3_column_int64(ix->line, 0);
		sqlite3_reset(ix->line);
		if (src != SQLITE_ROW)
			return learn_error(ix, doc_id, src);
	}
	/* enough documents now: what the earlier ones share is learnt */
	for (t = 0; t < 2; t++) {
		if (total[t] != LEARN_MIN)
			continue;
		sqlite3_bind_text(ix->first, 1, types[t], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ix->first, 2, total[t]);
		src = sqlite3_step(ix->first);
		sqlite3_reset(ix->first);
		if (src != SQLITE_DONE)
			return learn_error(ix, doc_id, src);
		if (sqlite3_changes(ix->db) > 0)
			*pnew = 1;
	}
	for (i = 0; i < ix->doc_lines.size; i++) {
		if (ix->doc_lines.key[i] == NULL)
			continue;
		is_boil = 0;
		for (t = 0; t < 2; t++) {
			sqlite3_bind_text(ix->line, 1, types[t], -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(ix->line, 2, ix->doc_lines.key[i], -1,
			    SQLITE_STATIC);
			src = sqlite3_step(ix->line);
			nd = src == SQLITE_ROW ?
			    sqlite3_column_int64(ix->line, 0) : 0;
			sqlite3_reset(ix->line);
			if (src != SQLITE_ROW)
				return learn_error(ix, doc_id, src);
			if (total[t] >= LEARN_MIN && nd >= BOIL_MIN &&
			    (double)nd >= BOIL_SHARE * (double)total[t])
				is_boil = 1;
		}
		if (!is_boil)
			continue;
		sqlite3_bind_text(ix->boil, 1, ix->doc_lines.key[i], -1,
		    SQLITE_STATIC);
		if ((src = step_done(ix->boil)) != SQLITE_OK)
			return learn_error(ix, doc_id, src);
		if (sqlite3_changes(ix->db) > 0)
			*pnew = 1;
	}
	/* more documents counted: some learnt lines may now be rare */
	return forget(ix, doc_id, pnew);
}

/* ---- one document ------------------------------------------------------- */

/* Append column 0 of every row of ST to OUT, SEP between them. */
static int
gather(sqlite3_stmt *st, int64_t doc_id, const char *sep,
    struct sohoa_buf *out, int *psqlrc)
{
	const char *s;
	size_t base = out->len;
	int rc;

	sqlite3_bind_int64(st, 1, doc_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		if (s == NULL || *s == '\0')
			continue;
		if ((out->len > base && sohoa_buf_adds(out, sep) != SOHOA_OK) ||
		    sohoa_buf_add(out, s,
		    (size_t)sqlite3_column_bytes(st, 0)) != SOHOA_OK) {
			sqlite3_reset(st);
			return SOHOA_ERR_NOMEM;
		}
	}
	sqlite3_reset(st);
	*psqlrc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	return SOHOA_OK;
}

/*
 * Count a folded word of a title or field for search_words, the list
 * prefixes and near spellings are looked up in.  Only words with a
 * letter: numbers and dates are not worth correcting.
 */
static int
head_word(void *arg, const char *fold, size_t flen, size_t start,
    size_t end, int newline)
{
	struct sohoa_fts_indexer *ix = arg;
	size_t i;
	int letter = 0;

	(void)start;
	(void)end;
	(void)newline;
	if (flen < 2 || flen > 40)
		return 0;
	for (i = 0; i < flen; i++)
		if (!(fold[i] >= '0' && fold[i] <= '9'))
			letter = 1;
	if (letter && strset_add(&ix->doc_words, fold, flen, 1, NULL) !=
	    SOHOA_OK)
		return 1;
	return 0;
}

static int
build_head(struct sohoa_fts_indexer *ix, const char *doc_type,
    const char *title)
{
	const char *name;
	size_t nlen;

	sohoa_buf_reset(&ix->kind);
	sohoa_buf_reset(&ix->title);
	sohoa_fts_title_name(title, doc_type, &name, &nlen);
	if (sohoa_buf_addch(&ix->kind, SOHOA_FTS_HEAD) != SOHOA_OK ||
	    sohoa_buf_adds(&ix->kind, sohoa_fts_type_name(doc_type, NULL)) !=
	    SOHOA_OK ||
	    (strcmp(sohoa_fts_type_name(doc_type, NULL), doc_type) != 0 &&
	    sohoa_buf_addf(&ix->kind, "\n%s", doc_type) != SOHOA_OK) ||
	    sohoa_buf_addch(&ix->title, SOHOA_FTS_HEAD) != SOHOA_OK ||
	    sohoa_buf_add(&ix->title, name, nlen) != SOHOA_OK)
		return SOHOA_ERR_NOMEM;
	return SOHOA_OK;
}

static int reindex_others(struct sohoa_fts_indexer *ix, int64_t doc_id);

/*
 * Read document DOC_ID and mark its boilerplate; insert it unless
 * LEARN_ONLY (a missing or deleted document is only removed).
 * *PNEWLINE is 1 when it taught a new boilerplate line.
 */
static int
add_doc(struct sohoa_fts_indexer *ix, int64_t doc_id, int learn_only,
    int *pnewline)
{
	struct sohoa_buf pages = SOHOA_BUF_INIT;
	char *doc_type = NULL, *title = NULL;
	int rc = SOHOA_OK, src, fresh = 0, isnew = 0;
	size_t i;

	*pnewline = 0;
	if (!learn_only) {
		sqlite3_bind_int64(ix->del, 1, doc_id);
		if ((src = step_done(ix->del)) != SQLITE_OK)
			goto dberr;
		fresh = sqlite3_changes(ix->db) == 0;
	}
	sqlite3_bind_int64(ix->doc, 1, doc_id);
	src = sqlite3_step(ix->doc);
	if (src == SQLITE_ROW && sqlite3_column_int(ix->doc, 2) == 0) {
		doc_type = strdup(sqlite3_column_text(ix->doc, 0) ?
		    (const char *)sqlite3_column_text(ix->doc, 0) : "other");
		title = strdup(sqlite3_column_text(ix->doc, 1) ?
		    (const char *)sqlite3_column_text(ix->doc, 1) : "");
		if (doc_type == NULL || title == NULL) {
			sqlite3_reset(ix->doc);
			goto nomem;
		}
	}
	sqlite3_reset(ix->doc);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		goto dberr;
	if (doc_type == NULL)
		goto out;	/* missing or deleted: out of the index */
	if (learn_only) {
		int yes;

		/* a rebuild's first pass reads only the documents it counts */
		if ((rc = counts(ix, doc_id, doc_type, &yes)) != SOHOA_OK ||
		    !yes)
			goto out;
	}
	sohoa_buf_reset(&ix->fields_text);
	sohoa_buf_reset(&ix->body);
	if (!ix->plain && sohoa_buf_addch(&ix->fields_text, SOHOA_FTS_HEAD) !=
	    SOHOA_OK)
		goto nomem;
	if (gather(ix->fields, doc_id, "\n", &ix->fields_text, &src) !=
	    SOHOA_OK)
		goto nomem;
	if (src != SQLITE_OK)
		goto dberr;
	if (gather(ix->pages, doc_id, "\n\n", &pages, &src) != SOHOA_OK)
		goto nomem;
	if (src != SQLITE_OK)
		goto dberr;
	if (ix->plain) {
		sohoa_buf_reset(&ix->title);
		if (sohoa_buf_adds(&ix->title, title) != SOHOA_OK ||
		    sohoa_buf_add(&ix->body, pages.buf, pages.len) != SOHOA_OK)
			goto nomem;
		goto insert;
	}
	if (build_head(ix, doc_type, title) != SOHOA_OK)
		goto nomem;
	strset_clear(&ix->doc_lines);
	if (sohoa_buf_addch(&ix->body, SOHOA_FTS_TEXT_PAIRS) != SOHOA_OK ||
	    (rc = mark_body(ix, pages.buf, pages.len)) != SOHOA_OK)
		goto nomem;
	if (ix->learn || learn_only) {
		if ((rc = learn(ix, doc_id, doc_type, &isnew)) != SOHOA_OK)
			goto out;
		if (isnew) {
			*pnewline = 1;
			if ((rc = load_boiler(ix)) != SOHOA_OK)
				goto out;
			sohoa_buf_reset(&ix->body);
			strset_clear(&ix->doc_lines);
			if (sohoa_buf_addch(&ix->body, SOHOA_FTS_TEXT_PAIRS) !=
			    SOHOA_OK || (rc = mark_body(ix, pages.buf,
			    pages.len)) != SOHOA_OK)
				goto nomem;
		}
	}
	if (learn_only)
		goto out;
	strset_clear(&ix->doc_words);
	sohoa_fts_words(ix->title.buf, ix->title.len, head_word, ix);
	sohoa_fts_words(ix->fields_text.buf, ix->fields_text.len, head_word,
	    ix);
	for (i = 0; i < ix->doc_words.size; i++)
		if (ix->doc_words.key[i] != NULL &&
		    strset_add(&ix->words, ix->doc_words.key[i],
		    strlen(ix->doc_words.key[i]), fresh, NULL) != SOHOA_OK)
			goto nomem;
insert:
	sqlite3_bind_int64(ix->ins, 1, doc_id);
	if (!ix->plain)
		sqlite3_bind_text(ix->ins, 2, ix->kind.buf, (int)ix->kind.len,
		    SQLITE_STATIC);
	sqlite3_bind_text(ix->ins, 3, ix->title.buf, (int)ix->title.len,
	    SQLITE_STATIC);
	sqlite3_bind_text(ix->ins, 4, ix->fields_text.buf,
	    (int)ix->fields_text.len, SQLITE_STATIC);
	sqlite3_bind_text(ix->ins, 5, ix->body.buf, (int)ix->body.len,
	    SQLITE_STATIC);
	src = step_done(ix->ins);
	sqlite3_clear_bindings(ix->ins);
	if (src != SQLITE_OK)
		goto dberr;
	if (ix->words.used > WORDS_PENDING)
		rc = sohoa_fts_indexer_flush(ix);
	goto out;
nomem:
	rc = sohoa_set_error(ix->ctx, SOHOA_ERR_NOMEM,
	    "cannot index document %lld: out of memory", (long long)doc_id);
	goto out;
dberr:
	rc = sohoa_set_error(ix->ctx, src == SQLITE_BUSY ||
	    src == SQLITE_LOCKED ? SOHOA_ERR_BUSY : SOHOA_ERR_DB,
	    "cannot index document %lld: %s", (long long)doc_id,
	    sqlite3_errmsg(ix->db));
out:
	free(doc_type);
	free(title);
	sohoa_buf_release(&pages);
	return rc;
}

int
sohoa_fts_indexer_add(struct sohoa_fts_indexer *ix, int64_t doc_id)
{
	int rc, newline;

	rc = add_doc(ix, doc_id, 0, &newline);
	if (rc == SOHOA_OK && newline)
		rc = reindex_others(ix, doc_id);
	return rc;
}

/* The ids of up to MAX live documents but SKIP, ordered; *PN of them. */
static int
doc_ids(struct sohoa_fts_indexer *ix, int64_t skip, int64_t max,
    int64_t **pids, size_t *pn)
{
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL, *v;
	size_t n = 0, alloc = 0;
	int rc = SOHOA_OK, src;

	*pids = NULL;
	*pn = 0;
	if (sqlite3_prepare_v2(ix->db, "SELECT id FROM documents WHERE"
	    " deleted_at IS NULL AND id <> ?1 ORDER BY id LIMIT ?2", -1, &st,
	    NULL) != SQLITE_OK)
		return ix_db_error(ix, "cannot list the documents to index");
	sqlite3_bind_int64(st, 1, skip);
	sqlite3_bind_int64(st, 2, max);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			v = realloc(ids, alloc * sizeof(*v));
			if (v == NULL) {
				rc = ix_nomem(ix);
				break;
			}
			ids = v;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc == SOHOA_OK && src != SQLITE_DONE)
		rc = ix_db_error(ix, "cannot list the documents to index");
	sqlite3_finalize(st);
	if (rc != SOHOA_OK) {
		free(ids);
		return rc;
	}
	*pids = ids;
	*pn = n;
	return SOHOA_OK;
}

/*
 * A line became boilerplate: while the archive is small, index the
 * other documents again so that it matches nowhere.
 */
static int
reindex_others(struct sohoa_fts_indexer *ix, int64_t doc_id)
{
	int64_t *ids = NULL;
	size_t n, i;
	int rc, learn = ix->learn, newline;

	rc = doc_ids(ix, doc_id, REINDEX_MAX + 1, &ids, &n);
	if (rc != SOHOA_OK || n > REINDEX_MAX)
		goto out;
	ix->learn = 0;
	for (i = 0; i < n && rc == SOHOA_OK; i++)
		rc = add_doc(ix, ids[i], 0, &newline);
	ix->learn = learn;
out:
	free(ids);
	return rc;
}

int
sohoa_fts_index_document(struct sohoa_ctx *ctx, sqlite3 *db, int64_t doc_id)
{
	struct sohoa_fts_indexer *ix = NULL;
	int rc;

	rc = sohoa_fts_indexer_new(ctx, db, NULL, 0, &ix);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_indexer_add(ix, doc_id);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_indexer_flush(ix);
	sohoa_fts_indexer_destroy(&ix);
	return rc;
}

int
sohoa_fts_delete_document(struct sohoa_ctx *ctx, sqlite3 *db, int64_t doc_id)
{
	sqlite3_stmt *st = NULL;
	int rc = SOHOA_OK;

	if (sqlite3_prepare_v2(db, "DELETE FROM search_fts WHERE rowid = ?1",
	    -1, &st, NULL) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot remove a "
		    "document from the search index: %s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot remove "
		    "document %lld from the search index: %s",
		    (long long)doc_id, sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_fts_rebuild(struct sohoa_ctx *ctx, sqlite3 *db)
{
	struct sohoa_fts_indexer *ix = NULL;
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc, newline;

	if (sqlite3_exec(db, "SAVEPOINT sohoa_fts_rebuild", NULL, NULL,
	    NULL) != SQLITE_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot rebuild the "
		    "search index: %s", sqlite3_errmsg(db));
	if (sohoa_fts_clear(db) != SQLITE_OK) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot rebuild the "
		    "search index: %s", sqlite3_errmsg(db));
		goto out;
	}
	/* learn from every document first, then index them all alike */
	rc = sohoa_fts_indexer_new(ctx, db, NULL, 0, &ix);
	if (rc == SOHOA_OK)
		rc = doc_ids(ix, 0, INT64_MAX, &ids, &n);
	for (i = 0; rc == SOHOA_OK && i < n; i++)
		rc = add_doc(ix, ids[i], 1, &newline);
	sohoa_fts_indexer_destroy(&ix);
	if (rc == SOHOA_OK)
		rc = sohoa_fts_indexer_new(ctx, db, NULL,
		    SOHOA_FTS_INDEXER_NO_LEARN, &ix);
	for (i = 0; rc == SOHOA_OK && i < n; i++)
		rc = add_doc(ix, ids[i], 0, &newline);
	if (rc == SOHOA_OK && ix != NULL)
		rc = sohoa_fts_indexer_flush(ix);
	sohoa_fts_indexer_destroy(&ix);
out:
	free(ids);
	if (rc != SOHOA_OK) {
		sqlite3_exec(db, "ROLLBACK TO sohoa_fts_rebuild; RELEASE "
		    "sohoa_fts_rebuild", NULL, NULL, NULL);
		return rc;
	}
	if (sqlite3_exec(db, "RELEASE sohoa_fts_rebuild", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_DB, "cannot rebuild the "
		    "search index: %s", sqlite3_errmsg(db));
	return SOHOA_OK;
}
