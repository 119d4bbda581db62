/* SPDX-License-Identifier: MIT */
/*
 * mem.h: allocation wrappers. Allocation failure aborts the process (every
 * request-driven size is bounded, so running out of memory is not an input
 * error). Everything else is returned to the caller, never aborted on.
 */
#ifndef CORE_MEM_H
#define CORE_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Return a new NUL-terminated copy; free with free(). xstrdup(NULL) is NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; free with free(). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Wipe 'n' bytes at 'p' in a way the compiler cannot drop, for secrets.
 * secret_free() wipes a NUL-terminated string then frees it; NULL is a no-op.
 */
void secret_wipe(void *p, size_t n);
void secret_free(char *s);

#endif
