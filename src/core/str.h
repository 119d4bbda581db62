/* SPDX-License-Identifier: MIT */
/* str.h: small string helpers shared by the parsers. */
#ifndef CORE_STR_H
#define CORE_STR_H

/* The value of hex digit 'c' (either case), or -1. */
static inline int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
