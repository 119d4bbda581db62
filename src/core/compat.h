/* SPDX-License-Identifier: MIT */
/*
 * compat.h: the first include of every .c file. Sets the feature macros once
 * and pulls in the headers every module uses.
 */
#ifndef CORE_COMPAT_H
#define CORE_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN __attribute__((noreturn))
#else
#define ATTR_PRINTF(f, a)
#define ATTR_NORETURN
#endif

/* BUG() marks a broken invariant; it stays on in release builds. */
#define BUG(msg) bug_fl(__FILE__, __LINE__, (msg))
void bug_fl(const char *file, int line, const char *msg) ATTR_NORETURN;

#endif
