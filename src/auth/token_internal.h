/* SPDX-License-Identifier: MIT */
/*
 * token_internal.h: what api_token.c shares with admin_token.c, the other
 * half of the one token service (content-API and admin tokens). Not for
 * use outside src/auth.
 */
#ifndef AUTH_TOKEN_INTERNAL_H
#define AUTH_TOKEN_INTERNAL_H

#include "auth/api_token.h"
#include "crypto/crypto.h"

struct token_service {
	struct store *store;
	const struct schema_registry *reg;
	char *salt;
	size_t salt_len;
	char *enc_key; /* NULL: keys are shown once */
	size_t n_words; /* permission bitmap words */
	uint64_t serial; /* tells thread caches of different services apart */
	struct touch_writer *writer; /* lastUsedAt, off the request path */
};


/* ISO-8601 string, or JSON null for TIME_NULL. A new reference. */
json_t *tok_time_json(int64_t ms);
/* Map a store failure to the client's 500/503 error. */
int tok_storage_failed(int rc, struct err *e);
/* lodash trim(): null/undefined -> "", scalars stringified. A new string. */
char *tok_lodash_trim(json_t *v);
/* Validation of a (trimmed) name: "name must be at least 1 characters", ... */
void tok_check_name(struct err *e, const char *name, bool required);
/* lifespan: null or one of the allowed values; '*out' is 0 for unlimited. */
void tok_check_lifespan(struct err *e, json_t *v, int64_t *out);
/* ApplicationError "Name already taken" when another token (of 'kind', or
 * any kind for -1) other than 'exclude' has 'name'. */
int tok_name_taken(struct token_service *ts, const char *name,
		   int64_t exclude, int kind, struct err *e);
/* A fresh key: plaintext into 'key' (the caller wipes it), hash and
 * encrypted copy into 't'. */
int tok_new_key(struct token_service *ts, struct token_row *t,
		char key[CRYPTO_KEY_HEX_LEN + 1], struct err *e);
/* "this field has unspecified keys: ..." for keys of 'body' not in 'allowed'. */
void tok_check_unknown_keys(json_t *body, const char *const *allowed, size_t n,
			    struct err *e);

/* Uses queued for the lastUsedAt writer at most (a power of two). */
#define TOKEN_TOUCH_QUEUE 1024

/*
 * Record that token 'id' (a content-API or admin token) was used at 'at':
 * queued for the background writer, which sets lastUsedAt (and updatedAt)
 * when it is null or at least TOKEN_LAST_USED_MIN_AGE older. Never blocks
 * and never touches the database on the calling thread. False when the
 * queue is full (the use is dropped: call again on a later use).
 */
bool tok_touch_later(struct token_service *ts, int64_t id, int64_t at);

/* ---- for tests and diagnostics ---------------------------------------- */

/* The calling thread's token cache (api_token.c). */
struct token_cache_stats {
	uint64_t hits;              /* verified tokens found */
	uint64_t misses;            /* looked up in the store */
	uint64_t refused_hits;      /* refused hashes found */
	uint64_t evictions;         /* verified tokens pushed out (CLOCK) */
	uint64_t refused_evictions; /* refused hashes pushed out */
	uint64_t resets;            /* emptied: first use, generation moved */
	size_t entries;             /* verified tokens held now */
	size_t refused_entries;     /* refused hashes held now */
	size_t bytes;               /* memory of both tables now */
};
void token_cache_stats(struct token_cache_stats *out);

/*
 * Empty the calling thread's cache, zero its statistics and bound it at 'max'
 * verified tokens and 'refused_max' refused hashes (each rounded up to a power
 * of two, at least 64; 0 restores the default). Tests use small bounds.
 */
void token_cache_set_limits(size_t max, size_t refused_max);

/* The lastUsedAt writer of a service. */
struct token_writer_stats {
	uint64_t queued;    /* uses queued by request threads */
	uint64_t dropped;   /* uses dropped: the queue was full */
	uint64_t taken;     /* uses taken from the queue */
	uint64_t coalesced; /* of those, repeats of a token in the same batch */
	uint64_t written;   /* token rows handed to the store */
	uint64_t failed;    /* token rows whose write failed */
	uint64_t batches;   /* transactions committed */
};
void token_writer_stats(struct token_service *ts,
			struct token_writer_stats *out);
/* Hold the writer (uses queue up, and drop once the queue is full) or let
 * it go on. token_service_free() lets it go and waits for it. */
void token_writer_pause(struct token_service *ts, bool paused);

#endif
