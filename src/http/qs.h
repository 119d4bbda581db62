/* SPDX-License-Identifier: MIT */
/*
 * qs.h: the bracket query-string syntax of the 'qs' package that Strapi's
 * clients speak: "filters[name][$eq]=x&sort[0]=a&fields=a,b".
 *
 * The result is a jansson tree whose leaves are strings: objects for
 * "[key]" segments, arrays for "[]" and "[n]" segments (n <= array_limit;
 * sparse indices are compacted in index order, as qs does), so
 * "a[1]=x&a[0]=y" gives {"a":["y","x"]}. A larger index makes the level an
 * object with string keys ("150"). A key given twice without brackets
 * becomes an array ("a=1&a=2" -> ["1","2"]). Mixing an array and object keys
 * at one level turns the array into an object keyed "0","1",... (qs merge).
 * '+' decodes to a space and %XX to its byte; a malformed escape is kept
 * literally. Dots are not separators.
 */
#ifndef HTTP_QS_H
#define HTTP_QS_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

struct qs_limits {
	size_t max_params;  /* pairs beyond this are ignored (qs: 1000) */
	size_t max_depth;   /* bracket segments per key; deeper -> ERR_VALIDATION */
	size_t array_limit; /* largest index kept as an array index (qs: 20; we use 100) */
};

#define QS_LIMITS_DEFAULT { 1000, 20, 100 }

/*
 * Parse 'len' bytes of a raw query string (without the '?') into '*out'
 * (a new reference to an object; {} for an empty string). Returns 0, or
 * ERR_VALIDATION (with 'e') when a key nests deeper than max_depth.
 */
int qs_parse(const char *query, size_t len, const struct qs_limits *lim,
	     json_t **out, struct err *e);

/* Percent-decode 'len' bytes (and '+' as space) into a new string. */
char *qs_decode(const char *s, size_t len);

#endif
