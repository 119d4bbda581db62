/* SPDX-License-Identifier: MIT */
/* buf.c: growable NUL-terminated byte buffer. */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"

#include <stdarg.h>

char buf_empty[1];

void
buf_init(struct buf *b)
{
	b->ptr = buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->ptr);
	buf_init(b);
}

void
buf_release_secret(struct buf *b)
{
	if (b->alloc)
		secret_wipe(b->ptr, b->alloc);
	buf_release(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->ptr[0] = '\0';
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	p = b->alloc ? b->ptr : xstrdup("");
	buf_init(b);
	return p;
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t n;

	if (need <= b->alloc)
		return;
	n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	if (b->alloc) {
		b->ptr = xrealloc(b->ptr, n);
	} else {
		b->ptr = xmalloc(n);
		b->ptr[0] = '\0';
	}
	b->alloc = n;
}

void
buf_add(struct buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
