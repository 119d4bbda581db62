/* SPDX-License-Identifier: MIT */
/*
 * content_cache.h: rendered Content API read responses (find, findOne,
 * single types), kept per worker thread so a repeated read costs no query
 * and no JSON writing, and the request path takes no lock.
 *
 * An entry is keyed by the request's decoded path and raw query string
 * (the response of a Content API read depends on nothing else once the
 * request is authorised: permissions decide whether it is answered, not
 * what it says) and tagged with the store's content version read before
 * the handler ran (store_content_version()). A thread drops every entry
 * the first time it sees the version move, so an entry never outlives the
 * data it was made from: this process's writes are seen at once, other
 * processes' and instances' as soon as the store notices them.
 *
 * Only 200 responses with a JSON body and no header of the handler's own
 * are kept; errors are made again each time. Memory is bounded per thread
 * (the setting TOLLGATE_CONTENT_CACHE_BYTES shared out among the worker
 * threads); the least recently used entries (CLOCK) go first; an entry
 * larger than an eighth of a thread's share is not kept.
 */
#ifndef API_CONTENT_CACHE_H
#define API_CONTENT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "api/content.h"

/*
 * Answer the read 'c' from the cache, or run 'fn' and keep its response.
 * 'per_thread_bytes' is each thread's share (0: run 'fn' and keep nothing).
 * Returns what 'fn' returns (0 on a hit).
 */
int content_cache_serve(struct content_req *c, size_t per_thread_bytes,
			int (*fn)(struct content_req *, struct err *),
			struct err *e);

/* The calling thread's figures, for tests and diagnostics. */
struct content_cache_stats {
	uint64_t hits;
	uint64_t misses;
	uint64_t stores;    /* responses kept */
	uint64_t evictions; /* entries dropped to make room */
	uint64_t flushes;   /* times every entry went (version moved) */
	size_t entries;
	size_t bytes;
};
void content_cache_stats(struct content_cache_stats *out);

/* Free the calling thread's entries and zero its figures (entries are
 * also freed at thread exit). */
void content_cache_thread_clear(void);

#endif
