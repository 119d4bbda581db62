/* SPDX-License-Identifier: MIT */
/*
 * ratelimit.c: fixed-window attempt counters in a bounded table. Entries
 * live in one array allocated up front; a chained hash (by key digest)
 * finds them and a list ordered by window start says which one to forget
 * when the table is full. Nothing here knows about HTTP.
 */
#include "core/compat.h"
#include "auth/ratelimit.h"
#include "core/mem.h"
#include "crypto/crypto.h"

#include <pthread.h>

#define NIL SIZE_MAX

struct rl_entry {
	unsigned char digest[32];
	uint32_t count;
	int64_t window_end;
	size_t chain;        /* next entry in the same bucket */
	size_t older, newer; /* the age list, by window start */
	bool used;
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned max;
	int64_t window_ms;
	struct rl_entry *entries;
	size_t capacity, used;
	size_t *buckets;
	size_t mask;
	size_t oldest, newest; /* ends of the age list */
	size_t free_head;      /* unused entries, chained through 'chain' */
};

struct ratelimit *
ratelimit_new(unsigned max, int64_t window_ms, size_t capacity)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	size_t nb = 16, i;

	if (capacity == 0)
		capacity = 1;
	while (nb < capacity)
		nb *= 2;
	pthread_mutex_init(&rl->lock, NULL);
	rl->max = max;
	rl->window_ms = window_ms;
	rl->capacity = capacity;
	rl->entries = xcalloc(capacity, sizeof(*rl->entries));
	rl->buckets = xmalloc(nb * sizeof(*rl->buckets));
	rl->mask = nb - 1;
	for (i = 0; i < nb; i++)
		rl->buckets[i] = NIL;
	for (i = 0; i < capacity; i++)
		rl->entries[i].chain = i + 1 < capacity ? i + 1 : NIL;
	rl->free_head = 0;
	rl->oldest = rl->newest = NIL;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->entries);
	free(rl->buckets);
	free(rl);
}

static size_t
bucket_of(const struct ratelimit *rl, const unsigned char d[32])
{
	uint64_t h;

	memcpy(&h, d, sizeof(h));
	return (size_t)h & rl->mask;
}

static void
age_unlink(struct ratelimit *rl, size_t i)
{
	struct rl_entry *x = &rl->entries[i];

	if (x->older != NIL)
		rl->entries[x->older].newer = x->newer;
	else
		rl->oldest = x->newer;
	if (x->newer != NIL)
		rl->entries[x->newer].older = x->older;
	else
		rl->newest = x->older;
	x->older = x->newer = NIL;
}

static void
age_append(struct ratelimit *rl, size_t i)
{
	struct rl_entry *x = &rl->entries[i];

	x->older = rl->newest;
	x->newer = NIL;
	if (rl->newest != NIL)
		rl->entries[rl->newest].newer = i;
	else
		rl->oldest = i;
	rl->newest = i;
}

/* Forget the entry whose window opened first. */
static void
evict_oldest(struct ratelimit *rl)
{
	size_t i = rl->oldest, *p;
	struct rl_entry *x;

	if (i == NIL)
		return;
	x = &rl->entries[i];
	for (p = &rl->buckets[bucket_of(rl, x->digest)]; *p != NIL;
	     p = &rl->entries[*p].chain) {
		if (*p == i) {
			*p = x->chain;
			break;
		}
	}
	age_unlink(rl, i);
	x->used = false;
	x->chain = rl->free_head;
	rl->free_head = i;
	rl->used--;
}

bool
ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now_ms)
{
	unsigned char d[32];
	struct rl_entry *x = NULL;
	size_t b, i;
	bool limited;

	crypto_sha256(key, strlen(key), d);
	pthread_mutex_lock(&rl->lock);
	b = bucket_of(rl, d);
	for (i = rl->buckets[b]; i != NIL; i = rl->entries[i].chain) {
		if (memcmp(rl->entries[i].digest, d, sizeof(d)) == 0) {
			x = &rl->entries[i];
			break;
		}
	}
	if (x && now_ms >= x->window_end) {
		/* a new window: it is now the newest */
		x->count = 0;
		x->window_end = now_ms + rl->window_ms;
		age_unlink(rl, i);
		age_append(rl, i);
	}
	if (!x) {
		if (rl->free_head == NIL)
			evict_oldest(rl);
		i = rl->free_head;
		x = &rl->entries[i];
		rl->free_head = x->chain;
		memcpy(x->digest, d, sizeof(d));
		x->count = 0;
		x->window_end = now_ms + rl->window_ms;
		x->used = true;
		x->chain = rl->buckets[b];
		rl->buckets[b] = i;
		age_append(rl, i);
		rl->used++;
	}
	if (x->count < UINT32_MAX)
		x->count++;
	limited = x->count > rl->max;
	pthread_mutex_unlock(&rl->lock);
	return limited;
}

size_t
ratelimit_size(struct ratelimit *rl)
{
	size_t n;

	pthread_mutex_lock(&rl->lock);
	n = rl->used;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

static struct ratelimit *admin_limiter;
static pthread_once_t admin_once = PTHREAD_ONCE_INIT;

static void
admin_limiter_create(void)
{
	admin_limiter =
	    ratelimit_new(RATELIMIT_ADMIN_MAX, RATELIMIT_ADMIN_WINDOW_MS,
			  RATELIMIT_ADMIN_CAPACITY);
}

struct ratelimit *
ratelimit_admin(void)
{
	pthread_once(&admin_once, admin_limiter_create);
	return admin_limiter;
}
