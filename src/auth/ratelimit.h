/* SPDX-License-Identifier: MIT */
/*
 * ratelimit.h: an in-process attempt counter with fixed windows, as the
 * memory store behind Strapi's admin rateLimit middleware: the first hit
 * on a key opens a window of 'window_ms'; every hit in it counts, and once
 * more than 'max' hits were counted the key is limited until the window
 * ends. Hits made while limited still count but never extend the window.
 *
 * Per process: counts live in this process's memory only. Several server
 * processes (or a restart) each count on their own, so the effective limit
 * is 'max' per process and per window. Keys are kept as SHA-256 digests,
 * so no email address is held in memory.
 *
 * Bounded: a limiter holds at most 'capacity' keys. When a new key arrives
 * and the table is full, the key whose window opened first is forgotten
 * (expired windows go first, since they are never the newest). A client
 * that sends more distinct keys than 'capacity' within a window can thus
 * make the limiter forget an older key's count: the bound trades that for
 * memory that cannot grow without limit.
 *
 * Thread-safe: every call takes the limiter's mutex (login and
 * registration are not hot paths).
 */
#ifndef AUTH_RATELIMIT_H
#define AUTH_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strapi's admin authentication limits: 5 attempts per 5 minutes. */
#define RATELIMIT_ADMIN_MAX 5
#define RATELIMIT_ADMIN_WINDOW_MS (5LL * 60 * 1000)
#define RATELIMIT_ADMIN_CAPACITY 8192

struct ratelimit;

/*
 * A new limiter allowing 'max' hits per key per 'window_ms', remembering
 * at most 'capacity' keys (at least 1). Free with ratelimit_free().
 */
struct ratelimit *ratelimit_new(unsigned max, int64_t window_ms,
				size_t capacity);
/* Free 'rl'; NULL is a no-op. */
void ratelimit_free(struct ratelimit *rl);

/*
 * Count one attempt on 'key' (a NUL-terminated string, borrowed) at time
 * 'now_ms' (any clock, consistently). Returns true when the attempt is over
 * the limit and must be refused, false when it may proceed.
 */
bool ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now_ms);

/* How many keys 'rl' remembers now (for tests and diagnostics). */
size_t ratelimit_size(struct ratelimit *rl);

/*
 * The process-wide limiter of admin login and registration attempts
 * (RATELIMIT_ADMIN_*), created on first use and never freed. Its keys are
 * "<lower-cased email>:<path>:<client ip>", as Strapi's.
 */
struct ratelimit *ratelimit_admin(void);

#endif
