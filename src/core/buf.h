/* SPDX-License-Identifier: MIT */
/*
 * buf.h: a growable byte buffer, always NUL-terminated.
 *
 * Invariants: 'ptr' is never NULL after buf_init() (it points at a static
 * empty string until the first append), 'ptr[len]' is '\0', 'alloc' is the
 * size of the heap block (0 while unallocated). Fields are read-only for
 * callers; use the functions to change them.
 */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include <stddef.h>

struct buf {
	char *ptr;
	size_t len;
	size_t alloc;
};

#define BUF_INIT { buf_empty, 0, 0 }
extern char buf_empty[];

void buf_init(struct buf *b);
/* Free the contents and leave 'b' initialised and empty. */
void buf_release(struct buf *b);
/* Like buf_release() but wipes the bytes first (secrets). */
void buf_release_secret(struct buf *b);
/* Empty the buffer, keeping its allocation. */
void buf_reset(struct buf *b);
/* Hand the string to the caller (free with free()); 'b' is left empty. */
char *buf_detach(struct buf *b, size_t *len);

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
