/*
 * Helpers shared by the PDF writer and signer: counting output, PDF and
 * XML string syntax, ISO 8601 and PDF dates, fonts, atomic files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"
#include "sohoa/utf8.h"
#include "sohoa/pdf.h"
#include "pdf_private.h"

void
out_add(struct pdf_out *o, const void *data, size_t len)
{
	if (o->err || len == 0)
		return;
	if (fwrite(data, 1, len, o->f) != len) {
		o->err = errno ? errno : EIO;
		return;
	}
	if (o->md != NULL)
		EVP_DigestUpdate(o->md, data, len);
	o->pos += (off_t)len;
}

void
out_adds(struct pdf_out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

void
out_addf(struct pdf_out *o, const char *fmt, ...)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sohoa_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc != SOHOA_OK && !o->err)
		o->err = ENOMEM;
	out_add(o, b.buf, b.len);
	sohoa_buf_release(&b);
}

int
out_copy_file(struct pdf_out *o, FILE *f, off_t len)
{
	char chunk[65536];
	size_t n;

	while (len > 0) {
		n = fread(chunk, 1, len < (off_t)sizeof(chunk) ?
		    (size_t)len : sizeof(chunk), f);
		if (n == 0)
			return -1;
		out_add(o, chunk, n);
		len -= (off_t)n;
	}
	return 0;
}

int
out_check(struct sohoa_ctx *ctx, const struct pdf_out *o, const char *path)
{
	if (o->err)
		return sohoa_set_error(ctx, o->err == ENOMEM ? SOHOA_ERR_NOMEM :
		    SOHOA_ERR_IO, "cannot write '%s': %s", path,
		    strerror(o->err));
	return SOHOA_OK;
}

int
pdf_add_text_string(struct sohoa_buf *b, const char *s)
{
	const char *p;
	size_t len = strlen(s), n;
	int32_t cp;
	int ascii = 1, rc;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			ascii = 0;
	if (ascii) {
		rc = sohoa_buf_addch(b, '(');
		for (p = s; *p && rc == SOHOA_OK; p++) {
			if (*p == '(' || *p == ')' || *p == '\\')
				rc = sohoa_buf_addch(b, '\\');
			if (rc == SOHOA_OK)
				rc = sohoa_buf_addch(b, *p);
		}
		return rc == SOHOA_OK ? sohoa_buf_addch(b, ')') : rc;
	}
	rc = sohoa_buf_adds(b, "<FEFF");
	for (p = s; (size_t)(p - s) < len && rc == SOHOA_OK; p += n) {
		n = sohoa_utf8_decode(p, len - (size_t)(p - s), &cp);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			rc = sohoa_buf_addf(b, "%04X%04X",
			    (unsigned)(0xD800 + (cp >> 10)),
			    (unsigned)(0xDC00 + (cp & 0x3FF)));
		} else {
			rc = sohoa_buf_addf(b, "%04X", (unsigned)cp);
		}
	}
	return rc == SOHOA_OK ? sohoa_buf_addch(b, '>') : rc;
}

int
pdf_add_xml_escaped(struct sohoa_buf *b, const char *s)
{
	int rc = SOHOA_OK;

	for (; *s && rc == SOHOA_OK; s++) {
		switch (*s) {
		case '&': rc = sohoa_buf_adds(b, "&amp;"); break;
		case '<': rc = sohoa_buf_adds(b, "&lt;"); break;
		case '>': rc = sohoa_buf_adds(b, "&gt;"); break;
		case '"': rc = sohoa_buf_adds(b, "&quot;"); break;
		case '\'': rc = sohoa_buf_adds(b, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters */
			if ((unsigned char)*s >= 0x20 || *s == '\t'
			    || *s == '\n')
				rc = sohoa_buf_addch(b, *s);
		}
	}
	return rc;
}

int
pdf_parse_iso(const char *s, struct tm *pt, int *poffset)
{
	int y, mo, d, h, mi, sec, oh, om, n = 0;
	char sign;

	memset(pt, 0, sizeof(*pt));
	*poffset = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
	    &n) != 6 || n != 19)
		return -1;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60 || h < 0 || mi < 0 || sec < 0)
		return -1;
	s += n;
	if (strcmp(s, "Z") == 0) {
		*poffset = 0;
	} else {
		if (sscanf(s, "%c%2d:%2d%n", &sign, &oh, &om, &n) != 3 ||
		    s[n] != '\0' || n != 6 || (sign != '+' && sign != '-') ||
		    oh > 14 || om > 59 || oh < 0 || om < 0)
			return -1;
		*poffset = (sign == '-' ? -1 : 1) * (oh * 60 + om);
	}
	pt->tm_year = y - 1900;
	pt->tm_mon = mo - 1;
	pt->tm_mday = d;
	pt->tm_hour = h;
	pt->tm_min = mi;
	pt->tm_sec = sec;
	return 0;
}

int
sohoa_pdf_date_valid(const char *s)
{
	struct tm t;
	int offset;

	return s != NULL && pdf_parse_iso(s, &t, &offset) == 0;
}

int
pdf_add_date(struct sohoa_buf *b, const struct tm *t, int offset)
{
	int a = offset < 0 ? -offset : offset;

	if (offset == 0)
		return sohoa_buf_addf(b, "D:%04d%02d%02d%02d%02d%02dZ",
		    t->tm_year + 1900, t->tm_mon + 1, t->tm_mday, t->tm_hour,
		    t->tm_min, t->tm_sec);
	return sohoa_buf_addf(b, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'",
	    t->tm_year + 1900, t->tm_mon + 1, t->tm_mday, t->tm_hour,
	    t->tm_min, t->tm_sec, offset < 0 ? '-' : '+', a / 60, a % 60);
}

void
sohoa_pdf_format_time(time_t when, char out[26])
{
	struct tm t;
	time_t local = when + 7 * 3600;	/* Vietnam: UTC+07:00 all year */
	char tmp[64];

	gmtime_r(&local, &t);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d+07:00",
	    (t.tm_year + 1900) % 10000, t.tm_mon + 1, t.tm_mday, t.tm_hour,
	    t.tm_min, t.tm_sec);
	memcpy(out, tmp, 25);
	out[25] = '\0';
}

int
pdf_read_font(struct sohoa_ctx *ctx, const char *path, const char *package,
    struct sohoa_buf *b)
{
	FILE *f;
	char chunk[65536];
	size_t n;
	int rc = SOHOA_OK;

	f = fopen(path, "rb");
	if (f == NULL)
		return sohoa_set_error(ctx, SOHOA_ERR_NOTFOUND,
		    "cannot open font '%s': %s (install the Debian package "
		    "'%s')",
		    path, strerror(errno), package);
	while (rc == SOHOA_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = sohoa_buf_add(b, chunk, n);
	if (rc == SOHOA_OK && ferror(f))
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot read font '%s'",
		    path);
	else if (rc != SOHOA_OK)
		rc = sohoa_set_error(ctx, rc, "font '%s' is too big", path);
	fclose(f);
	return rc;
}

int
pdf_temp_open(struct sohoa_ctx *ctx, const char *path, struct sohoa_tmp *t,
    FILE **pf)
{
	int fd, rc;

	*pf = NULL;
	rc = sohoa_tmp_file_for(ctx, path, t);
	if (rc != SOHOA_OK)
		return rc;
	/* a stream of its own; T's descriptor keeps holding the file */
	fd = dup(t->fd);
	*pf = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (*pf == NULL) {
		rc = sohoa_set_error(ctx, SOHOA_ERR_IO, "cannot open '%s': %s",
		    t->path.buf, strerror(errno));
		if (fd >= 0)
			close(fd);
		sohoa_tmp_remove(t);
	}
	return rc;
}

int
pdf_temp_commit(struct sohoa_ctx *ctx, FILE **pf, struct sohoa_tmp *t,
    const char *path)
{
	FILE *f = *pf;
	int bad;

	*pf = NULL;
	bad = fflush(f) != 0 || ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	if (bad)
		return sohoa_set_error(ctx, SOHOA_ERR_IO,
		    "cannot write '%s': %s", t->path.buf, strerror(errno));
	/* an archival copy is readable like any file */
	return sohoa_tmp_commit(ctx, t, path, 0644);
}
