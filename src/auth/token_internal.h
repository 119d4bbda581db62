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

#endif
