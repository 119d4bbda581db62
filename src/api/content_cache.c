/* SPDX-License-Identifier: MIT */
/*
 * content_cache.c: the per-thread cache of rendered Content API reads (see
 * content_cache.h). Each worker thread owns one table, so lookups and
 * stores take no lock; the only shared state read on the request path is
 * the store's content version, an atomic counter.
 *
 * The table is a chained hash of entries (key and body in one allocation)
 * plus a ring of the same entries for CLOCK eviction: a hit sets the
 * entry's reference bit, the hand clears bits until it finds an entry
 * without one and drops it.
 */
#include "core/compat.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "api/content_cache.h"
#include "core/buf.h"
#include "core/mem.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "storage/store.h"

/* An entry larger than this share of the thread's bytes is not kept. */
#define ENTRY_SHARE 8
/* Most entries per thread (also bounds the ring and the bucket array). */
#define MAX_ENTRIES 4096
#define MIN_BUCKETS 64

struct cc_entry {
	struct cc_entry *next; /* bucket chain */
	uint64_t hash;
	size_t path_len;
	size_t key_len;  /* path, '?', query */
	size_t body_len; /* the body follows the key */
	size_t ring;     /* index in the ring */
	bool ref;        /* used since the hand last passed */
	char data[];
};

struct content_cache {
	uint64_t owner;   /* the app's serial; 0: unused */
	uint64_t version; /* the content version every entry belongs to */
	struct cc_entry **buckets;
	size_t n_buckets; /* a power of two, or 0 */
	struct cc_entry **ring;
	size_t n_ring, cap_ring, hand;
	size_t bytes;
	struct content_cache_stats stats;
};

static _Thread_local struct content_cache tcache;
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;
static uint64_t hash_seed;

/* ---- the table --------------------------------------------------------- */

static size_t
entry_cost(const struct cc_entry *x)
{
	return sizeof(*x) + x->key_len + x->body_len;
}

static void
cache_clear(struct content_cache *c)
{
	size_t i;

	for (i = 0; i < c->n_ring; i++)
		free(c->ring[i]);
	free(c->ring);
	free(c->buckets);
	c->ring = NULL;
	c->buckets = NULL;
	c->n_ring = c->cap_ring = c->hand = c->n_buckets = 0;
	c->bytes = 0;
}

void
content_cache_thread_clear(void)
{
	cache_clear(&tcache);
	tcache.owner = 0;
	memset(&tcache.stats, 0, sizeof(tcache.stats));
}

/* Worker threads exit without telling us: free their entries then. */
static void
cache_destroy(void *unused)
{
	(void)unused;
	content_cache_thread_clear();
}

static void
cache_key_create(void)
{
	if (pthread_key_create(&cache_key, cache_destroy) != 0)
		BUG("cannot create the content cache key");
	/* a seed nobody knows keeps crafted query strings from piling into
	 * one bucket; without one the table still works */
	if (crypto_random(&hash_seed, sizeof(hash_seed)))
		hash_seed = (uint64_t)(uintptr_t)&hash_seed;
}

/* A seeded 64-bit multiply-xorshift hash of the key's bytes. */
static uint64_t
key_hash(const char *p1, size_t n1, const char *p2, size_t n2)
{
	const uint64_t m = 0x9e3779b97f4a7c15ull;
	uint64_t h = hash_seed ^ ((n1 + n2) * m);
	const char *parts[2] = { p1, p2 };
	size_t lens[2] = { n1, n2 };
	size_t i, j;
	uint64_t w;

	for (j = 0; j < 2; j++) {
		const char *p = parts[j];
		size_t n = lens[j];

		for (i = 0; i + 8 <= n; i += 8) {
			memcpy(&w, p + i, 8);
			h = (h ^ w) * m;
			h ^= h >> 29;
		}
		w = 0;
		memcpy(&w, p + i, n - i);
		h = (h ^ w ^ (uint64_t)(n - i) << 56) * m;
		h ^= h >> 32;
	}
	return h;
}

static bool
key_equal(const struct cc_entry *x, uint64_t hash, const char *path,
	  size_t plen, const char *query, size_t qlen)
{
	return x->hash == hash && x->path_len == plen &&
	       x->key_len == plen + 1 + qlen && !memcmp(x->data, path, plen) &&
	       !memcmp(x->data + plen + 1, query, qlen);
}

static struct cc_entry *
lookup(struct content_cache *c, uint64_t hash, const char *path, size_t plen,
       const char *query, size_t qlen)
{
	struct cc_entry *x;

	if (!c->n_buckets)
		return NULL;
	for (x = c->buckets[hash & (c->n_buckets - 1)]; x; x = x->next)
		if (key_equal(x, hash, path, plen, query, qlen))
			return x;
	return NULL;
}

static void
unlink_entry(struct content_cache *c, struct cc_entry *x)
{
	struct cc_entry **pp = &c->buckets[x->hash & (c->n_buckets - 1)];

	while (*pp != x)
		pp = &(*pp)->next;
	*pp = x->next;
}

/* Drop the entry the CLOCK hand settles on. */
static void
evict_one(struct content_cache *c)
{
	struct cc_entry *x, *last;

	for (;;) {
		if (c->hand >= c->n_ring)
			c->hand = 0;
		x = c->ring[c->hand];
		if (!x->ref)
			break;
		x->ref = false;
		c->hand++;
	}
	unlink_entry(c, x);
	c->bytes -= entry_cost(x);
	/* the last entry of the ring takes the freed place */
	last = c->ring[--c->n_ring];
	c->ring[c->hand] = last;
	last->ring = c->hand;
	free(x);
	c->stats.evictions++;
}

/* Room for the table's arrays at their bound, allocated on first use. */
static bool
ensure_arrays(struct content_cache *c, size_t limit)
{
	size_t want = MIN_BUCKETS;

	if (c->buckets)
		return true;
	/* entries of about 1 KiB each at most fill the share */
	while (want < MAX_ENTRIES && want * 1024 < limit)
		want *= 2;
	c->buckets = calloc(want, sizeof(*c->buckets));
	c->ring = calloc(want, sizeof(*c->ring));
	if (!c->buckets || !c->ring) {
		free(c->buckets);
		free(c->ring);
		c->buckets = NULL;
		c->ring = NULL;
		return false;
	}
	c->n_buckets = c->cap_ring = want;
	return true;
}

static void
store_entry(struct content_cache *c, size_t limit, uint64_t hash,
	    const char *path, size_t plen, const char *query, size_t qlen,
	    const char *body, size_t blen)
{
	size_t klen = plen + 1 + qlen, cost;
	struct cc_entry *x, **b;

	cost = sizeof(*x) + klen + blen;
	if (cost > limit / ENTRY_SHARE || !ensure_arrays(c, limit))
		return;
	x = malloc(cost);
	if (!x)
		return;
	while (c->n_ring && (c->n_ring == c->cap_ring ||
			     c->bytes + cost > limit))
		evict_one(c);
	x->hash = hash;
	x->path_len = plen;
	x->key_len = klen;
	x->body_len = blen;
	x->ref = false;
	memcpy(x->data, path, plen);
	x->data[plen] = '?';
	memcpy(x->data + plen + 1, query, qlen);
	memcpy(x->data + klen, body, blen);
	b = &c->buckets[hash & (c->n_buckets - 1)];
	x->next = *b;
	*b = x;
	x->ring = c->n_ring;
	c->ring[c->n_ring++] = x;
	c->bytes += cost;
	c->stats.stores++;
}

/* ---- serving ----------------------------------------------------------- */

/* Whether the response 'fn' made may be kept ('n_headers': the router's
 * headers, there before 'fn' ran; a handler that adds one is not cached). */
static bool
keepable(const struct http_resp *r, size_t n_headers)
{
	return r->status == 200 && !r->static_body &&
	       r->n_headers == n_headers &&
	       r->content_type && !strcmp(r->content_type, HTTP_JSON_TYPE) &&
	       r->body.len > 0;
}

int
content_cache_serve(struct content_req *c, size_t per_thread_bytes,
		    int (*fn)(struct content_req *, struct err *),
		    struct err *e)
{
	struct content_cache *cc = &tcache;
	const struct http_req *req = c->req;
	struct http_resp *resp = c->resp;
	const char *query;
	size_t plen, qlen, n_headers;
	struct cc_entry *x;
	uint64_t version, hash;
	int rc;

	if (!per_thread_bytes ||
	    !store_content_version(c->app->store, &version))
		return fn(c, e);
	pthread_once(&cache_key_once, cache_key_create);
	if (cc->owner != c->app->serial || cc->version != version) {
		if (cc->n_ring)
			cc->stats.flushes++;
		cache_clear(cc);
		if (!cc->owner)
			pthread_setspecific(cache_key, cc);
		cc->owner = c->app->serial;
		cc->version = version;
	}
	plen = strlen(req->path);
	query = req->query ? req->query : "";
	qlen = req->query ? req->query_len : 0;
	hash = key_hash(req->path, plen, query, qlen);
	x = lookup(cc, hash, req->path, plen, query, qlen);
	if (x) {
		x->ref = true;
		cc->stats.hits++;
		resp->status = 200;
		resp->content_type = HTTP_JSON_TYPE;
		resp->static_body = NULL;
		resp->static_len = 0;
		buf_reset(&resp->body);
		buf_add(&resp->body, x->data + x->key_len, x->body_len);
		return 0;
	}
	cc->stats.misses++;
	n_headers = resp->n_headers;
	rc = fn(c, e);
	if (rc == 0 && keepable(resp, n_headers))
		store_entry(cc, per_thread_bytes, hash, req->path, plen,
			    query, qlen, resp->body.ptr, resp->body.len);
	return rc;
}

void
content_cache_stats(struct content_cache_stats *out)
{
	*out = tcache.stats;
	out->entries = tcache.n_ring;
	out->bytes = tcache.bytes;
}
