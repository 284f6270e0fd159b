/*
 * Document types: loading doctypes/<type>.conf, classifying a document by
 * title and wording (folded keys, fields/fkey.c), and splitting a run of
 * pages into documents.
 *
 *   sohoa_doctypes_load / _destroy / _count / _name
 *   sohoa_doctypes_field_end           where on a document a field stands
 *   sohoa_doc_classify
 *   sohoa_doc_split
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/fields.h"
#include "fields_private.h"

/* Every civil-status and administrative document opens with these. */
static const char *const motto_lines[] = {
	"Cộng hòa xã hội chủ nghĩa Việt Nam",
	"Độc lập - Tự do - Hạnh phúc",
};

/* ---- type names ---- */

/*
 * Type names are interned for the life of the process, so that the
 * doc_type a caller gets stays valid after the rules are destroyed (the
 * contract of sohoa_doc_extract).  A handful of names, never freed.
 */
struct interned {
	struct interned *next;
	char name[];
};

static struct interned *interned_names;
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *
intern(const char *name)
{
	struct interned *it;
	const char *r = NULL;
	size_t len = strlen(name);

	pthread_mutex_lock(&intern_lock);
	for (it = interned_names; it != NULL && r == NULL; it = it->next)
		if (strcmp(it->name, name) == 0)
			r = it->name;
	if (r == NULL) {
		it = malloc(sizeof(*it) + len + 1);
		if (it != NULL) {
			memcpy(it->name, name, len + 1);
			it->next = interned_names;
			interned_names = it;
			r = it->name;
		}
	}
	pthread_mutex_unlock(&intern_lock);
	return r;
}

/* ---- loading ---- */

int
dt_phrases_add(struct dt_phrases *p, const char *text)
{
	struct dt_phrase ph;
	struct sohoa_buf key = SOHOA_BUF_INIT;
	int rc;

	rc = fkey_simple(text, &key);
	if (rc != SOHOA_OK)
		return rc;
	if (p->n == p->alloc) {
		size_t na = p->alloc ? 2 * p->alloc : 8;
		struct dt_phrase *nv = realloc(p->v, na * sizeof(*nv));

		if (nv == NULL) {
			sohoa_buf_release(&key);
			return SOHOA_ERR_NOMEM;
		}
		p->v = nv;
		p->alloc = na;
	}
	ph.keylen = key.len;
	ph.key = sohoa_buf_detach(&key, NULL);
	ph.text = strdup(text);
	if (ph.key == NULL || ph.text == NULL) {
		free(ph.key);
		free(ph.text);
		return SOHOA_ERR_NOMEM;
	}
	p->v[p->n++] = ph;
	return SOHOA_OK;
}

static void
phrases_release(struct dt_phrases *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].text);
		free(p->v[i].key);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static void
type_release(struct dt_type *t)
{
	size_t i;

	free(t->path);
	phrases_release(&t->titles);
	phrases_release(&t->cues);
	phrases_release(&t->stops);
	for (i = 0; i < t->nfields; i++) {
		free(t->fields[i].key);
		free(t->fields[i].type);
		free(t->fields[i].section);
		free(t->fields[i].words);
		free(t->fields[i].same_as);
		free(t->fields[i].expect_with);
		phrases_release(&t->fields[i].before);
		phrases_release(&t->fields[i].labels);
		phrases_release(&t->fields[i].absent_on);
		phrases_release(&t->fields[i].column);
		phrases_release(&t->fields[i].column_labels);
		free(t->fields[i].follows);
		phrases_release(&t->fields[i].follows_words);
	}
	free(t->fields);
	for (i = 0; i < t->nsections; i++) {
		free(t->sections[i].name);
		phrases_release(&t->sections[i].starts);
	}
	free(t->sections);
	memset(t, 0, sizeof(*t));
}

void
sohoa_doctypes_destroy(struct sohoa_doctypes **pdt)
{
	struct sohoa_doctypes *dt;
	size_t i;

	if (pdt == NULL || *pdt == NULL)
		return;
	dt = *pdt;
	for (i = 0; i < dt->n; i++)
		type_release(&dt->types[i]);
	free(dt->types);
	phrases_release(&dt->motto);
	lex_release(&dt->surnames);
	lex_release(&dt->names);
	lex_release(&dt->places);
	free(dt);
	*pdt = NULL;
}

size_t
sohoa_doctypes_count(const struct sohoa_doctypes *dt)
{
	return dt == NULL ? 0 : dt->n;
}

const char *
sohoa_doctypes_name(const struct sohoa_doctypes *dt, size_t i)
{
	return dt == NULL || i >= dt->n ? NULL : dt->types[i].name;
}

int
sohoa_doctypes_field_end(const struct sohoa_doctypes *dt,
    const char *doc_type, const char *key)
{
	const struct dt_type *t;
	const struct dt_field *f;
	size_t i;

	if (dt == NULL || doc_type == NULL || key == NULL ||
	    (t = dt_find(dt, doc_type)) == NULL)
		return SOHOA_FIELD_END_ANY;
	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (strcmp(f->key, key) != 0)
			continue;
		if (f->where == DT_WHERE_AFTER)
			return SOHOA_FIELD_END_LAST;
		if (f->where == DT_WHERE_HEADER ||
		    f->where == DT_WHERE_PLACEDATE || f->within > 0)
			return SOHOA_FIELD_END_FIRST;
		return SOHOA_FIELD_END_ANY;
	}
	return SOHOA_FIELD_END_ANY;
}

const struct dt_type *
dt_find(const struct sohoa_doctypes *dt, const char *name)
{
	size_t i;

	for (i = 0; i < dt->n; i++)
		if (strcmp(dt->types[i].name, name) == 0)
			return &dt->types[i];
	return NULL;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static const char *const value_types[] = {
	"name", "date", "date_words", "year", "sex", "ethnicity",
	"nationality", "place", "personal_id", "doc_number", "text",
	"date_text", "unit",
};

static int
known_type(const char *t)
{
	size_t i;

	for (i = 0; i < sizeof(value_types) / sizeof(value_types[0]); i++)
		if (strcmp(value_types[i], t) == 0)
			return 1;
	return 0;
}

static int
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst == NULL ? SOHOA_ERR_NOMEM : SOHOA_OK;
}

static int
add_field(struct dt_type *t, const char *key, struct dt_field **pf)
{
	struct dt_field *f;

	*pf = NULL;
	if (t->nfields == t->afields) {
		size_t na = t->afields ? 2 * t->afields : 16;
		struct dt_field *nv = realloc(t->fields, na * sizeof(*nv));

		if (nv == NULL)
			return SOHOA_ERR_NOMEM;
		t->fields = nv;
		t->afields = na;
	}
	f = &t->fields[t->nfields];
	memset(f, 0, sizeof(*f));
	f->occurrence = 1;
	f->key = strdup(key);
	f->type = strdup("text");
	if (f->key == NULL || f->type == NULL) {
		free(f->key);
		free(f->type);
		return SOHOA_ERR_NOMEM;
	}
	t->nfields++;
	*pf = f;
	return SOHOA_OK;
}

static int
add_section(struct dt_type *t, const char *name, struct dt_section **ps)
{
	struct dt_section *s;

	*ps = NULL;
	if (t->nsections == t->asections) {
		size_t na = t->asections ? 2 * t->asections : 4;
		struct dt_section *nv = realloc(t->sections, na * sizeof(*nv));

		if (nv == NULL)
			return SOHOA_ERR_NOMEM;
		t->sections = nv;
		t->asections = na;
	}
	s = &t->sections[t->nsections];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (s->name == NULL)
		return SOHOA_ERR_NOMEM;
	t->nsections++;
	*ps = s;
	return SOHOA_OK;
}

static int
parse_where(const char *v, int *pwhere)
{
	static const char *const names[] = {
		"label", "line", "after", "header", "placedate",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i]) == 0) {
			*pwhere = (int)i;
			return 1;
		}
	return 0;
}

static int
yes(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "1") == 0 ||
	    strcmp(v, "true") == 0;
}

/* One "name = value" line inside [field KEY]. */
static int
field_option(struct sohoa_ctx *ctx, const char *path, int lineno,
    struct dt_field *f, const char *name, const char *v)
{
	if (strcmp(name, "type") == 0) {
		if (!known_type(v))
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: unknown value type '%s'", path, lineno, v);
		return set_str(&f->type, v);
	}
	if (strcmp(name, "label") == 0)
		return dt_phrases_add(&f->labels, v);
	if (strcmp(name, "section") == 0)
		return set_str(&f->section, v);
	if (strcmp(name, "words") == 0)
		return set_str(&f->words, v);
	if (strcmp(name, "same_as") == 0)
		return set_str(&f->same_as, v);
	if (strcmp(name, "before") == 0)
		return dt_phrases_add(&f->before, v);
	if (strcmp(name, "where") == 0) {
		if (!parse_where(v, &f->where))
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: unknown 'where' value '%s'", path, lineno,
			    v);
		return SOHOA_OK;
	}
	if (strcmp(name, "occurrence") == 0) {
		f->occurrence = atoi(v);
		if (f->occurrence < 1)
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: occurrence must be 1 or more", path,
			    lineno);
		return SOHOA_OK;
	}
	if (strcmp(name, "optional") == 0) {
		f->optional = yes(v);
		return SOHOA_OK;
	}
	if (strcmp(name, "not_caps") == 0) {
		f->not_caps = yes(v);
		return SOHOA_OK;
	}
	if (strcmp(name, "wrap") == 0) {
		f->wrap = yes(v);
		return SOHOA_OK;
	}
	if (strcmp(name, "under_title") == 0) {
		f->under_title = yes(v);
		return SOHOA_OK;
	}
	if (strcmp(name, "absent_on") == 0)
		return dt_phrases_add(&f->absent_on, v);
	if (strcmp(name, "column") == 0)
		return dt_phrases_add(&f->column, v);
	if (strcmp(name, "column_label") == 0)
		return dt_phrases_add(&f->column_labels, v);
	if (strcmp(name, "follows_word") == 0)
		return dt_phrases_add(&f->follows_words, v);
	if (strcmp(name, "follows") == 0) {
		free(f->follows);
		f->follows = strdup(v);
		return f->follows == NULL ? SOHOA_ERR_NOMEM : SOHOA_OK;
	}
	if (strcmp(name, "expect") == 0) {
		f->expect = yes(v);
		if (f->expect && f->key[0] == '_')
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: a hidden field cannot be expected", path,
			    lineno);
		return SOHOA_OK;
	}
	if (strcmp(name, "expect_with") == 0) {
		if (f->key[0] == '_')
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: a hidden field cannot be expected", path,
			    lineno);
		free(f->expect_with);
		f->expect_with = strdup(v);
		return f->expect_with == NULL ? SOHOA_ERR_NOMEM : SOHOA_OK;
	}
	if (strcmp(name, "keep_label") == 0) {
		f->keep_label = yes(v);
		return SOHOA_OK;
	}
	if (strcmp(name, "within") == 0) {
		f->within = atoi(v);
		return SOHOA_OK;
	}
	if (strcmp(name, "pick") == 0) {
		if (strcmp(v, "first") != 0 && strcmp(v, "last") != 0)
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: pick is 'first' or 'last'", path, lineno);
		f->pick_last = strcmp(v, "last") == 0;
		return SOHOA_OK;
	}
	return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
	    "%s:%d: unknown field option '%s'", path, lineno, name);
}

/* 1 when KEY names a field of T other than field I. */
static int
other_field(const struct dt_type *t, size_t i, const char *key)
{
	size_t k;

	for (k = 0; k < t->nfields; k++)
		if (k != i && strcmp(key, t->fields[k].key) == 0)
			return 1;
	return 0;
}

/*
 * Each 'absent_on' names one of the type's titles (a form of it); each
 * 'expect_with' and 'follows' another field of the type.
 */
static int
check_refs(struct sohoa_ctx *ctx, const char *path,
    const struct dt_type *t)
{
	const struct dt_phrase *a;
	size_t i, j, k;

	for (i = 0; i < t->nfields; i++)
		for (j = 0; j < t->fields[i].absent_on.n; j++) {
			a = &t->fields[i].absent_on.v[j];
			for (k = 0; k < t->titles.n; k++)
				if (strcmp(a->key, t->titles.v[k].key) == 0)
					break;
			if (k == t->titles.n)
				return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
				    "%s: field '%s': absent_on '%s' is not a "
				    "title of the type", path,
				    t->fields[i].key, a->text);
		}
	/* 'expect_with' and 'follows' name another field of the type */
	for (i = 0; i < t->nfields; i++) {
		const struct dt_field *f = &t->fields[i];
		const char *opt = NULL, *bad = NULL;

		if (f->expect_with != NULL &&
		    !other_field(t, i, f->expect_with)) {
			opt = "expect_with";
			bad = f->expect_with;
		} else if (f->follows != NULL &&
		    !other_field(t, i, f->follows)) {
			opt = "follows";
			bad = f->follows;
		}
		if (bad != NULL)
			return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s: field '%s': %s '%s' is no other field of the "
			    "type", path, f->key, opt, bad);
	}
	return SOHOA_OK;
}

static int
type_option(struct sohoa_ctx *ctx, const char *path, int lineno,
    struct dt_type *t, const char *name, const char *v)
{
	if (strcmp(name, "type") == 0 || strcmp(name, "name") == 0) {
		t->name = intern(v);
		return t->name == NULL ? SOHOA_ERR_NOMEM : SOHOA_OK;
	}
	if (strcmp(name, "title") == 0)
		return dt_phrases_add(&t->titles, v);
	if (strcmp(name, "cue") == 0)
		return dt_phrases_add(&t->cues, v);
	if (strcmp(name, "stop") == 0)
		return dt_phrases_add(&t->stops, v);
	if (strcmp(name, "header_lines") == 0) {
		t->header_lines = atoi(v);
		return SOHOA_OK;
	}
	return sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
	    "%s:%d: unknown option '%s'", path, lineno, name);
}

static int
load_file(struct sohoa_ctx *ctx, const char *path, struct dt_type *t)
{
	FILE *fp = NULL;
	char *line = NULL, *s, *eq;
	size_t cap = 0;
	ssize_t got;
	int lineno = 0, rc = SOHOA_OK;
	struct dt_field *field = NULL;
	struct dt_section *section = NULL;

	memset(t, 0, sizeof(*t));
	t->header_lines = 20;
	t->path = strdup(path);
	if (t->path == NULL)
		return SOHOA_ERR_NOMEM;
	fp = fopen(path, "r");
	if (fp == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open '%s': %s",
		    path, strerror(errno));
	while ((got = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']'), *arg;

			if (e == NULL) {
				rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
				    "%s:%d: missing ']'", path, lineno);
				goto out;
			}
			*e = '\0';
			s = trim(s + 1);
			arg = strchr(s, ' ');
			if (arg != NULL) {
				*arg++ = '\0';
				arg = trim(arg);
			}
			field = NULL;
			section = NULL;
			if (strcmp(s, "doctype") == 0)
				continue;
			if (arg == NULL || *arg == '\0' ||
			    (strcmp(s, "field") != 0 && strcmp(s,
			    "section") != 0)) {
				rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
				    "%s:%d: expected [doctype], [field KEY] or "
				    "[section NAME]", path, lineno);
				goto out;
			}
			if (strcmp(s, "field") == 0)
				rc = add_field(t, arg, &field);
			else
				rc = add_section(t, arg, &section);
			if (rc != SOHOA_OK)
				goto out;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s:%d: expected 'name = value'", path, lineno);
			goto out;
		}
		*eq = '\0';
		s = trim(s);
		eq = trim(eq + 1);
		if (field != NULL)
			rc = field_option(ctx, path, lineno, field, s, eq);
		else if (section != NULL) {
			if (strcmp(s, "prose") == 0)
				section->prose = yes(eq);
			else if (strcmp(s, "start") != 0)
				rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
				    "%s:%d: a section takes only 'start' "
				    "and 'prose'", path, lineno);
			else
				rc = dt_phrases_add(&section->starts, eq);
		} else
			rc = type_option(ctx, path, lineno, t, s, eq);
		if (rc != SOHOA_OK)
			goto out;
	}
	if (t->name == NULL)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "%s: no 'type = NAME' line", path);
	else if (t->titles.n == 0 && t->cues.n == 0)
		rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
		    "%s: no 'title' or 'cue' to recognise the type", path);
	else
		rc = check_refs(ctx, path, t);
out:
	if (rc == SOHOA_ERR_NOMEM)
		sohoa_set_error(ctx, rc, "out of memory loading '%s'", path);
	free(line);
	fclose(fp);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
sohoa_doctypes_load(struct sohoa_ctx *ctx, const char *dir,
    struct sohoa_doctypes **pdt)
{
	struct sohoa_doctypes *dt = NULL;
	struct sohoa_buf path = SOHOA_BUF_INIT, defdir = SOHOA_BUF_INIT;
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t nnames = 0, anames = 0, i;
	int rc = SOHOA_OK;

	*pdt = NULL;
	if (dir == NULL) {
		rc = sohoa_data_path(ctx, "doctypes", "SOHOA_DOCTYPES",
		    &defdir);
		if (rc != SOHOA_OK)
			goto out;
		dir = defdir.buf;
	}
	d = opendir(dir);
	if (d == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot open document types in '%s': %s (set "
		    "SOHOA_DOCTYPES to the doctypes/ folder)", dir,
		    strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 6 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		if (nnames == anames) {
			size_t na = anames ? 2 * anames : 16;
			char **nv = realloc(names, na * sizeof(*nv));

			if (nv == NULL)
				goto nomem;
			names = nv;
			anames = na;
		}
		names[nnames] = strdup(de->d_name);
		if (names[nnames] == NULL)
			goto nomem;
		nnames++;
	}
	if (nnames == 0) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "no document types (*.conf) in '%s'", dir);
		goto out;
	}
	/* sorted, so that results do not depend on directory order */
	qsort(names, nnames, sizeof(*names), cmp_str);
	dt = calloc(1, sizeof(*dt));
	if (dt == NULL)
		goto nomem;
	dt->types = calloc(nnames, sizeof(*dt->types));
	if (dt->types == NULL)
		goto nomem;
	dt->alloc = nnames;
	for (i = 0; i < sizeof(motto_lines) / sizeof(motto_lines[0]); i++) {
		rc = dt_phrases_add(&dt->motto, motto_lines[i]);
		if (rc != SOHOA_OK)
			goto nomem;
	}
	for (i = 0; i < nnames; i++) {
		sohoa_buf_reset(&path);
		rc = sohoa_buf_addf(&path, "%s/%s", dir, names[i]);
		if (rc != SOHOA_OK)
			goto nomem;
		rc = load_file(ctx, path.buf, &dt->types[dt->n]);
		dt->n++;
		if (rc != SOHOA_OK)
			goto out;
		if (dt_find(dt, dt->types[dt->n - 1].name) !=
		    &dt->types[dt->n - 1]) {
			rc = sohoa_set_error(ctx, SOHOA_ERR_FORMAT,
			    "%s: type '%s' is already defined", path.buf,
			    dt->types[dt->n - 1].name);
			goto out;
		}
	}
	/* known spellings, when the folder has them */
	for (i = 0; i < 3; i++) {
		static const char *const files[] = {
			"surnames.tsv", "names.tsv", "places.tsv",
		};
		struct lexicon *lx[] = { &dt->surnames, &dt->names,
			&dt->places };

		sohoa_buf_reset(&path);
		rc = sohoa_buf_addf(&path, "%s/lexicon/%s", dir, files[i]);
		if (rc != SOHOA_OK)
			goto nomem;
		rc = lex_load(ctx, path.buf, lx[i]);
		if (rc != SOHOA_OK)
			goto out;
	}
	*pdt = dt;
	dt = NULL;
	goto out;
nomem:
	rc = sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
	    "out of memory loading document types");
out:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	sohoa_buf_release(&path);
	sohoa_buf_release(&defdir);
	sohoa_doctypes_destroy(&dt);
	return rc;
}

/* ---- classification ---- */

/* Call FN on each line of TEXT (no '\n'); stops at MAXLINES (0 = all). */
struct line_iter {
	const char *p;
};

static int
next_line(struct line_iter *it, const char **pstart, size_t *plen)
{
	const char *e;

	if (it->p == NULL || *it->p == '\0')
		return 0;
	e = strchr(it->p, '\n');
	*pstart = it->p;
	*plen = e == NULL ? strlen(it->p) : (size_t)(e - it->p);
	it->p = e == NULL ? NULL : e + 1;
	return 1;
}

static int
page_blank(const struct sohoa_page *p)
{
	const char *s;

	if (p == NULL || p->status == SOHOA_PAGE_BLANK || p->text == NULL)
		return 1;
	for (s = p->text; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * How well a title phrase matches a line: the line must be mostly the
 * title (a title is a line of its own), so the line may carry only a few
 * extra letters ("(BẢN SAO)", stray marks).  Returns a score > 0 or 0.
 */
static int
title_score(const struct fkey *k, const struct dt_phrase *t)
{
	size_t s, d, end, maxd = fkey_allowed(t->keylen);
	int best = 0;

	if (k->len < t->keylen / 2)
		return 0;
	for (s = 0; s < k->len; s++) {
		size_t extra;
		int sc;

		if (!k->wstart[s])
			continue;
		/* the title starts near the beginning of the line */
		if (s > 8)
			break;
		d = fkey_match_at(k, s, t->key, t->keylen, maxd, &end);
		if (d == (size_t)-1)
			continue;
		extra = s + (k->len - end);
		if (extra > 12)
			continue;
		sc = (int)(t->keylen * 2) - (int)(d * 6) - (int)extra;
		if (sc > best)
			best = sc;
	}
	return best;
}

/*
 * Score of type T on the lines of the pages: the best title line in the
 * header area counts most, each wording cue found anywhere adds a little.
 */
static int
type_score(const struct dt_type *t, const struct sohoa_page *const *pages,
    size_t npages, int *ptitle)
{
	size_t pi, i, dist;
	int best = 0, cues = 0, rc;
	unsigned char *seen = NULL;

	*ptitle = 0;
	if (t->cues.n > 0) {
		seen = calloc(t->cues.n, 1);
		if (seen == NULL)
			return 0;
	}
	for (pi = 0; pi < npages; pi++) {
		struct line_iter it;
		const char *ls;
		size_t ll;
		int lineno = 0;

		if (page_blank(pages[pi]))
			continue;
		it.p = pages[pi]->text;
		while (next_line(&it, &ls, &ll)) {
			struct fkey k;

			rc = fkey_build(ls, ll, &k);
			if (rc != SOHOA_OK)
				break;
			if (pi == 0 && lineno < t->header_lines)
				for (i = 0; i < t->titles.n; i++) {
					int sc = title_score(&k,
					    &t->titles.v[i]);

					if (sc > best)
						best = sc;
				}
			for (i = 0; i < t->cues.n; i++)
				if (!seen[i] && fkey_contains(&k,
				    t->cues.v[i].key,
				    t->cues.v[i].keylen,
				    fkey_allowed(t->cues.v[i].keylen), &dist)) {
					seen[i] = 1;
					cues++;
				}
			/* blank lines and rules do not count as header lines */
			if (k.len > 0)
				lineno++;
			fkey_release(&k);
		}
	}
	free(seen);
	*ptitle = best;
	return best * 4 + cues * 3;
}

int
dt_classify(const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type, float *pconf)
{
	size_t i;
	int best = 0, second = 0, sc, title, best_title = 0;

	*pdoc_type = "other";
	*pconf = 50.0f;
	for (i = 0; i < dt->n; i++) {
		sc = type_score(&dt->types[i], pages, npages, &title);
		/* without a title line, several wording cues are needed */
		if (title == 0 && sc < 9)
			continue;
		if (sc > best) {
			second = best;
			best = sc;
			best_title = title;
			*pdoc_type = dt->types[i].name;
		} else if (sc > second)
			second = sc;
	}
	if (best > 0) {
		/* a clear title and a clear margin over the runner-up */
		float c = best_title > 0 ? 80.0f : 55.0f;

		c += (float)(best - second) / (float)best * 20.0f;
		*pconf = c > 100 ? 100 : c;
	}
	return SOHOA_OK;
}

int
sohoa_doc_classify(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type)
{
	float conf;

	(void)ctx;
	return dt_classify(dt, pages, npages, pdoc_type, &conf);
}

/* ---- splitting ---- */

/*
 * 1 when page P opens a document: a national-motto line or a title of any
 * type among its first lines.
 */
static int
page_starts_document(const struct sohoa_doctypes *dt,
    const struct sohoa_page *p)
{
	struct line_iter it;
	const char *ls;
	size_t ll, i, j, d;
	int lineno = 0, found = 0;

	it.p = p->text;
	while (!found && lineno < 12 && next_line(&it, &ls, &ll)) {
		struct fkey k;

		if (fkey_build(ls, ll, &k) != SOHOA_OK)
			return 0;
		if (k.len > 0)
			lineno++;
		for (i = 0; i < dt->motto.n && !found; i++)
			if (fkey_contains(&k, dt->motto.v[i].key,
			    dt->motto.v[i].keylen,
			    fkey_allowed(dt->motto.v[i].keylen), &d))
				found = 1;
		for (i = 0; i < dt->n && !found; i++)
			for (j = 0; j < dt->types[i].titles.n && !found; j++)
				if (title_score(&k,
				    &dt->types[i].titles.v[j]) > 0)
					found = 1;
		fkey_release(&k);
	}
	return found;
}

int
sohoa_doc_split(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    size_t **pstarts, size_t *pn)
{
	size_t *starts = NULL, n = 0, i;
	int after_blank = 1;

	*pstarts = NULL;
	*pn = 0;
	if (npages == 0)
		return SOHOA_OK;
	starts = malloc(npages * sizeof(*starts));
	if (starts == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
		    "out of memory splitting %zu pages", npages);
	for (i = 0; i < npages; i++) {
		/* a page that could not be read stays with its document */
		if (pages[i] != NULL && pages[i]->status == SOHOA_PAGE_FAILED) {
			if (n == 0)
				starts[n++] = i;
			after_blank = 0;
			continue;
		}
		if (page_blank(pages[i])) {
			after_blank = 1;
			continue;
		}
		if (after_blank || page_starts_document(dt, pages[i]))
			starts[n++] = i;
		after_blank = 0;
	}
	if (n == 0)
		starts[n++] = 0;
	*pstarts = starts;
	*pn = n;
	return SOHOA_OK;
}
