/*
 * HTML output.  Every byte of text that is not a literal of ours goes
 * through html_esc(), the one escaping function; catalogue texts do too.
 * Pages share one frame (html_begin / html_end): the head with the style
 * sheet and the script (both served from the binary, no inline script so
 * the CSP can forbid it), and the menu the user's role allows.
 *
 *   html_esc / html_text / html_t / html_tf   escaped output
 *   html_date / html_marked / html_highlight  dates, snippets, hits
 *   html_begin / html_end / html_csrf         the frame and forms
 *   web_t / web_t2 / web_field_label          catalogue look-ups
 *   web_urlenc / web_date_to_iso              URLs and typed dates
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/utf8.h"
#include "web_private.h"

void
html_escn(struct sohoa_buf *out, const char *s, size_t n)
{
	size_t i, start = 0;
	const char *ent;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		sohoa_buf_add(out, s + start, i - start);
		sohoa_buf_adds(out, ent);
		start = i + 1;
	}
	sohoa_buf_add(out, s + start, n - start);
}

void
html_esc(struct sohoa_buf *out, const char *s)
{
	if (s != NULL)
		html_escn(out, s, strlen(s));
}

void
html_raw(struct web_req *r, const char *markup)
{
	sohoa_buf_adds(&r->out, markup);
}

void
html_text(struct web_req *r, const char *s)
{
	html_esc(&r->out, s);
}

void
html_int(struct web_req *r, long long v)
{
	sohoa_buf_addf(&r->out, "%lld", v);
}

const char *
web_t(const struct web_req *r, const char *key)
{
	const char *t = web_catalog_get(r->w->cat, key);

	return t != NULL ? t : key;
}

const char *
web_t2(const struct web_req *r, const char *prefix, const char *name)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	const char *t;

	if (name == NULL)
		return "";
	sohoa_buf_addf(&k, "%s.%s", prefix, name);
	t = web_catalog_get(r->w->cat, k.buf);
	sohoa_buf_release(&k);
	return t != NULL ? t : name;
}

const char *
web_field_label(const struct web_req *r, const char *doc_type,
    const char *key)
{
	struct sohoa_buf k = SOHOA_BUF_INIT;
	const char *t = NULL;

	/* a type may name a field its own way: a marriage's full_name */
	if (doc_type != NULL) {
		sohoa_buf_addf(&k, "field.%s.%s", doc_type, key);
		t = web_catalog_get(r->w->cat, k.buf);
		sohoa_buf_release(&k);
	}
	return t != NULL ? t : web_t2(r, "field", key);
}

void
html_t(struct web_req *r, const char *key)
{
	html_esc(&r->out, web_t(r, key));
}

/* TEXT with {1}..{9} replaced by ARGS, escaped when ESC */
static void
fill(struct sohoa_buf *out, const char *text, const char *const *args,
    size_t nargs, int esc)
{
	const char *p;
	size_t k;

	for (p = text; *p; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			k = (size_t)(p[1] - '1');
			if (k < nargs && esc)
				html_esc(out, args[k]);
			else if (k < nargs)
				sohoa_buf_adds(out, args[k]);
			p += 2;
		} else if (esc) {
			html_escn(out, p, 1);
		} else {
			sohoa_buf_addch(out, *p);
		}
	}
}

static size_t
collect(va_list ap, const char **args, size_t max)
{
	const char *arg;
	size_t n = 0;

	while (n < max && (arg = va_arg(ap, const char *)) != NULL)
		args[n++] = arg;
	return n;
}

void
html_tf(struct web_req *r, const char *key, ...)
{
	const char *args[9];
	size_t n;
	va_list ap;

	va_start(ap, key);
	n = collect(ap, args, 9);
	va_end(ap);
	fill(&r->out, web_t(r, key), args, n, 1);
}

void
web_tf(const struct web_req *r, struct sohoa_buf *out, const char *key, ...)
{
	const char *args[9];
	size_t n;
	va_list ap;

	va_start(ap, key);
	n = collect(ap, args, 9);
	va_end(ap);
	fill(out, web_t(r, key), args, n, 0);
}

void
html_attr(struct web_req *r, const char *name, const char *value)
{
	sohoa_buf_addf(&r->out, " %s=\"", name);
	html_esc(&r->out, value);
	sohoa_buf_addch(&r->out, '"');
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void
web_date_str(const char *iso, int with_time, struct sohoa_buf *out)
{
	size_t n = iso ? strlen(iso) : 0;

	if (n == 0)
		return;
	if (n >= 10 && digits(iso, 4) && iso[4] == '-' && digits(iso + 5, 2) &&
	    iso[7] == '-' && digits(iso + 8, 2)) {
		sohoa_buf_addf(out, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
		if (with_time && n >= 16 && iso[10] == 'T' &&
		    digits(iso + 11, 2) && iso[13] == ':' && digits(iso + 14, 2))
			sohoa_buf_addf(out, " %.5s", iso + 11);
	} else if (n == 7 && digits(iso, 4) && iso[4] == '-' &&
	    digits(iso + 5, 2)) {
		sohoa_buf_addf(out, "%.2s/%.4s", iso + 5, iso);
	} else {
		sohoa_buf_adds(out, iso);
	}
}

void
html_date(struct web_req *r, const char *iso, int with_time)
{
	struct sohoa_buf d = SOHOA_BUF_INIT;

	web_date_str(iso, with_time, &d);
	html_esc(&r->out, d.buf);
	sohoa_buf_release(&d);
}

int
web_date_to_iso(const char *s, struct sohoa_buf *out)
{
	int part[3], np = 0, d = 0, m = 0, y;
	const char *p = s;
	char *end;
	long v;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return -1;
	/* already ISO: YYYY, YYYY-MM, YYYY-MM-DD */
	if (strlen(p) >= 4 && digits(p, 4) && (p[4] == '\0' || p[4] == '-')) {
		v = strtol(p, &end, 10);
		y = (int)v;
		if (*end == '-') {
			m = (int)strtol(end + 1, &end, 10);
			if (*end == '-')
				d = (int)strtol(end + 1, &end, 10);
		}
		if (*end != '\0')
			return -1;
		goto check;
	}
	while (np < 3) {
		if (*p < '0' || *p > '9')
			return -1;
		v = strtol(p, &end, 10);
		if (v < 0 || v > 9999)
			return -1;
		part[np++] = (int)v;
		p = end;
		if (*p == '\0')
			break;
		if (*p != '/' && *p != '-' && *p != '.')
			return -1;
		p++;
	}
	if (*p != '\0')
		return -1;
	y = part[np - 1];
	if (np == 3) {
		d = part[0];
		m = part[1];
	} else if (np == 2) {
		m = part[0];
	}
check:
	if (y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31 ||
	    (d > 0 && m == 0))
		return -1;
	if (d > 0)
		sohoa_buf_addf(out, "%04d-%02d-%02d", y, m, d);
	else if (m > 0)
		sohoa_buf_addf(out, "%04d-%02d", y, m);
	else
		sohoa_buf_addf(out, "%04d", y);
	return 0;
}

void
html_marked(struct web_req *r, const char *s, const char *open,
    const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	const char *p = s, *a, *b;

	if (s == NULL)
		return;
	while ((a = strstr(p, open)) != NULL &&
	    (b = strstr(a + lo, close)) != NULL) {
		html_escn(&r->out, p, (size_t)(a - p));
		html_raw(r, "<mark>");
		html_escn(&r->out, a + lo, (size_t)(b - a - lo));
		html_raw(r, "</mark>");
		p = b + lc;
	}
	html_esc(&r->out, p);
}

void
html_csrf(struct web_req *r)
{
	html_raw(r, "<input type=\"hidden\" name=\"csrf\"");
	html_attr(r, "value", r->sess.csrf);
	html_raw(r, ">");
}

void
web_urlenc(struct sohoa_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; p != NULL && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~' || *p == '/')
			sohoa_buf_addch(out, *p);
		else {
			sohoa_buf_addch(out, '%');
			sohoa_buf_addch(out, hex[*p >> 4]);
			sohoa_buf_addch(out, hex[*p & 15]);
		}
	}
}

/* ---- hits in a text ----------------------------------------------------- */

/* letters, digits and marks make words, as in the index's tokenizer */
static int
word_cp(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	if (cp == 0xD7 || cp == 0xF7 || cp < 0xC0 ||
	    (cp >= 0x2000 && cp <= 0x2BFF) || cp == 0xFFFD)
		return 0;
	return 1;
}

struct qword {
	char *folded;
	int prefix;
};

static size_t
word_end(const char *s, size_t n, size_t i, int want)
{
	int32_t cp;
	size_t k;

	while (i < n) {
		k = sohoa_utf8_decode(s + i, n - i, &cp);
		if (word_cp(cp) != want)
			break;
		i += k;
	}
	return i;
}

/* The words of QUERY to look for: operators and excluded words left out */
static size_t
query_words(const char *q, struct qword *v, size_t max)
{
	struct sohoa_buf f = SOHOA_BUF_INIT;
	size_t n = strlen(q), i = 0, e, nw = 0;
	int after_not = 0, neg;

	while (i < n && nw < max) {
		i = word_end(q, n, i, 0);
		if (i >= n)
			break;
		/* "-word" and "NOT word" are words the hit does not have */
		neg = after_not || (i > 0 && q[i - 1] == '-');
		after_not = 0;
		e = word_end(q, n, i, 1);
		if ((e - i == 3 && strncmp(q + i, "AND", 3) == 0) ||
		    (e - i == 2 && strncmp(q + i, "OR", 2) == 0)) {
			i = e;
			continue;
		}
		if (e - i == 3 && strncmp(q + i, "NOT", 3) == 0) {
			after_not = 1;
			i = e;
			continue;
		}
		if (!neg) {
			sohoa_buf_reset(&f);
			if (sohoa_utf8_fold_n(q + i, e - i, &f) == SOHOA_OK &&
			    f.len > 0) {
				v[nw].folded = sohoa_buf_detach(&f, NULL);
				v[nw].prefix = e < n && q[e] == '*';
				nw++;
			}
		}
		i = e;
	}
	sohoa_buf_release(&f);
	return nw;
}

void
html_highlight(struct web_req *r, const char *text, const char *query)
{
	struct qword qw[32];
	struct sohoa_buf f = SOHOA_BUF_INIT;
	size_t n, nq, i = 0, e, k, ql;
	int hit;

	if (text == NULL)
		return;
	n = strlen(text);
	nq = query != NULL ? query_words(query, qw, 32) : 0;
	if (nq == 0) {
		html_esc(&r->out, text);
		return;
	}
	while (i < n) {
		e = word_end(text, n, i, 0);
		html_escn(&r->out, text + i, e - i);
		i = e;
		if (i >= n)
			break;
		e = word_end(text, n, i, 1);
		sohoa_buf_reset(&f);
		sohoa_utf8_fold_n(text + i, e - i, &f);
		hit = 0;
		for (k = 0; k < nq && !hit; k++) {
			ql = strlen(qw[k].folded);
			hit = qw[k].prefix ? strncmp(f.buf, qw[k].folded,
			    ql) == 0 : strcmp(f.buf, qw[k].folded) == 0;
		}
		if (hit)
			html_raw(r, "<mark>");
		html_escn(&r->out, text + i, e - i);
		if (hit)
			html_raw(r, "</mark>");
		i = e;
	}
	for (k = 0; k < nq; k++)
		free(qw[k].folded);
	sohoa_buf_release(&f);
}

/* ---- the frame ---------------------------------------------------------- */

struct menu_item {
	const char *href;
	const char *key;
	const char *name;	/* what html_begin's ACTIVE names */
	int role;
};

static const struct menu_item menu[] = {
	{ "/search", "menu.search", "search", SOHOA_ROLE_OFFICER },
	{ "/review", "menu.review", "review", SOHOA_ROLE_CLERK },
	{ "/dossiers", "menu.dossiers", "dossiers", SOHOA_ROLE_OFFICER },
	{ "/status", "menu.status", "status", SOHOA_ROLE_OFFICER },
	{ "/audit", "menu.audit", "audit", SOHOA_ROLE_ADMIN },
	{ "/users", "menu.users", "users", SOHOA_ROLE_ADMIN },
};

void
html_begin(struct web_req *r, const char *title, const char *active)
{
	size_t i;

	r->ctype = "text/html; charset=utf-8";
	html_raw(r, "<!DOCTYPE html>\n<html lang=\"");
	html_t(r, "lang");
	html_raw(r, "\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>");
	html_text(r, title);
	html_raw(r, " · ");
	html_t(r, "app.name");
	html_raw(r, "</title><link rel=\"icon\" href=\"/assets/icon.svg\">"
	    "<link rel=\"stylesheet\" href=\"/assets/style.css\">"
	    "<script src=\"/assets/app.js\" defer></script>");
	if (r->authed) {
		html_raw(r, "<meta name=\"csrf-token\"");
		html_attr(r, "content", r->sess.csrf);
		html_raw(r, ">");
	}
	html_raw(r, "</head><body><header class=\"top\">"
	    "<a class=\"brand\" href=\"/search\">");
	html_t(r, "app.name");
	html_raw(r, "</a>");
	if (r->authed) {
		html_raw(r, "<nav>");
		for (i = 0; i < sizeof(menu) / sizeof(menu[0]); i++) {
			if (r->sess.role < menu[i].role)
				continue;
			html_raw(r, "<a");
			html_attr(r, "href", menu[i].href);
			if (active != NULL && strcmp(active, menu[i].name) == 0)
				html_raw(r, " class=\"on\" aria-current=\"page\"");
			html_raw(r, ">");
			html_t(r, menu[i].key);
			html_raw(r, "</a>");
		}
		html_raw(r, "</nav><form class=\"who\" method=\"post\" "
		    "action=\"/logout\"><span>");
		html_text(r, r->sess.user);
		html_raw(r, " · ");
		html_text(r, web_t2(r, "role", sohoa_role_name(r->sess.role)));
		html_raw(r, "</span>");
		html_csrf(r);
		html_raw(r, "<button type=\"submit\" id=\"logout\">");
		html_t(r, "menu.logout");
		html_raw(r, "</button></form>");
	}
	html_raw(r, "</header><main>");
}

void
html_end(struct web_req *r)
{
	html_raw(r, "</main><footer>sohoa " SOHOA_VERSION "</footer>"
	    "</body></html>\n");
}
