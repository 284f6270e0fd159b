/*
 * Growable, always NUL-terminated byte buffer (after git's strbuf and
 * curl's dynbuf).  buf is never NULL; growth is capped so that hostile
 * input cannot eat all memory.
 */
#ifndef SOHOA_BUF_H
#define SOHOA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sohoa_buf {
	char *buf;	/* never NULL; points at "" until something is added */
	size_t len;	/* bytes used, not counting the NUL */
	size_t alloc;	/* bytes allocated, 0 while buf points at the static "" */
};

extern char sohoa_buf_empty[];
#define SOHOA_BUF_INIT { sohoa_buf_empty, 0, 0 }

/* Largest buffer we agree to build: 1 GiB. */
#define SOHOA_BUF_MAX ((size_t)1 << 30)

void sohoa_buf_init(struct sohoa_buf *b);
/* Free the memory and reset B to empty. */
void sohoa_buf_release(struct sohoa_buf *b);
/* Take the string out of B (caller frees with free()); B is reset. */
char *sohoa_buf_detach(struct sohoa_buf *b, size_t *plen);
void sohoa_buf_reset(struct sohoa_buf *b);
void sohoa_buf_truncate(struct sohoa_buf *b, size_t len);

/* These return SOHOA_OK or SOHOA_ERR_NOMEM (when over SOHOA_BUF_MAX too). */
int sohoa_buf_grow(struct sohoa_buf *b, size_t extra);
int sohoa_buf_add(struct sohoa_buf *b, const void *data, size_t len);
int sohoa_buf_adds(struct sohoa_buf *b, const char *s);
int sohoa_buf_addch(struct sohoa_buf *b, int c);
int sohoa_buf_addf(struct sohoa_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sohoa_buf_vaddf(struct sohoa_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Write LEN bytes of IN as lower-case hex to OUT, which must hold
 * 2 * LEN + 1 bytes (NUL-terminated): digests in manifests and names.
 */
void sohoa_hex(const unsigned char *in, size_t len, char *out);
/* The value of the hex digit C (either case), -1 when C is none. */
int sohoa_hex_digit(int c);

#endif
