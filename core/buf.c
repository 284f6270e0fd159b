/*
 * sohoa_buf: growable NUL-terminated buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

char sohoa_buf_empty[1];

void
sohoa_buf_init(struct sohoa_buf *b)
{
	b->buf = sohoa_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
sohoa_buf_release(struct sohoa_buf *b)
{
	if (b->alloc)
		free(b->buf);
	sohoa_buf_init(b);
}

char *
sohoa_buf_detach(struct sohoa_buf *b, size_t *plen)
{
	char *s;

	if (plen != NULL)
		*plen = b->len;
	if (b->alloc == 0) {
		s = malloc(1);
		if (s != NULL)
			s[0] = '\0';
	} else {
		s = b->buf;
	}
	sohoa_buf_init(b);
	return s;
}

void
sohoa_buf_reset(struct sohoa_buf *b)
{
	sohoa_buf_truncate(b, 0);
}

void
sohoa_buf_truncate(struct sohoa_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->buf[len] = '\0';
}

int
sohoa_buf_grow(struct sohoa_buf *b, size_t extra)
{
	size_t need, n;
	char *p;

	if (extra > SOHOA_BUF_MAX || b->len + extra > SOHOA_BUF_MAX)
		return SOHOA_ERR_NOMEM;
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return SOHOA_OK;
	n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	p = b->alloc ? realloc(b->buf, n) : malloc(n);
	if (p == NULL)
		return SOHOA_ERR_NOMEM;
	if (b->alloc == 0)
		p[0] = '\0';
	b->buf = p;
	b->alloc = n;
	return SOHOA_OK;
}

int
sohoa_buf_add(struct sohoa_buf *b, const void *data, size_t len)
{
	int rc;

	if (len == 0)
		return SOHOA_OK;
	if ((rc = sohoa_buf_grow(b, len)) != SOHOA_OK)
		return rc;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return SOHOA_OK;
}

int
sohoa_buf_adds(struct sohoa_buf *b, const char *s)
{
	return sohoa_buf_add(b, s, strlen(s));
}

int
sohoa_buf_addch(struct sohoa_buf *b, int c)
{
	char ch = (char)c;

	return sohoa_buf_add(b, &ch, 1);
}

int
sohoa_buf_vaddf(struct sohoa_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return SOHOA_ERR_INPUT;
	if ((rc = sohoa_buf_grow(b, (size_t)n)) != SOHOA_OK)
		return rc;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return SOHOA_OK;
}

int
sohoa_buf_addf(struct sohoa_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sohoa_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
sohoa_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int
sohoa_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
