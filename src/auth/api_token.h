/* SPDX-License-Identifier: MIT */
/*
 * api_token.h: the token service, one for both kinds of token (content-API
 * tokens now, admin tokens with the Admin API). It owns the rules of the
 * seed and of Strapi 5: key generation, hashing with the salt, encrypted
 * copies for viewable keys, types, lifespans, permissions, default tokens,
 * and authentication of a bearer header.
 *
 * Management functions take and return JSON in the Admin API's shapes, so
 * the CLI and the HTTP API share one implementation:
 *   token object: {id, kind, name, description, lastUsedAt, type, lifespan,
 *                  expiresAt, createdAt, updatedAt, permissions[, accessKey]}
 * 'lifespan' is null or a decimal string of milliseconds, as Strapi sends it.
 *
 * Authentication costs no database round trip while nothing changed: each
 * worker thread keeps its own cache of verified tokens (no locks), dropped
 * whenever the store's token generation moves (a change by this process or
 * by the CLI). A cache entry never outlives a change, so a revoked,
 * regenerated or expired token cannot work again.
 *
 * Memory: per thread that authenticates, at most TOKEN_CACHE_MAX verified
 * tokens (81 bytes each with the index, so 10.1 MiB at most, plus
 * the bitmaps of custom tokens when the schema has more than 64 actions)
 * and TOKEN_CACHE_REFUSED_MAX refused hashes (41 bytes each, 656 KiB). The
 * tables grow by doubling as tokens are seen and are freed when the
 * generation moves; past the bound, CLOCK eviction keeps the tokens in use.
 *
 * lastUsedAt is written by one background thread per service, never by the
 * thread that authenticates (see token_service_sync()).
 */
#ifndef AUTH_API_TOKEN_H
#define AUTH_API_TOKEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "auth/rbac.h"
#include "schema/schema.h"
#include "storage/store.h"

#define TOKEN_LIFESPAN_7D 604800000LL
#define TOKEN_LIFESPAN_30D 2592000000LL
#define TOKEN_LIFESPAN_90D 7776000000LL
#define TOKEN_LAST_USED_MIN_AGE 3600000LL /* lastUsedAt written at most hourly */
#define TOKEN_MAX_BEARER_LEN 1024         /* longer bearer values are unknown tokens */
#define TOKEN_CACHE_MAX 131072        /* verified tokens cached per thread */
#define TOKEN_CACHE_REFUSED_MAX 16384 /* refused hashes cached per thread */

struct token_service;

/*
 * A new service over 'store' and 'reg' (both borrowed; they must outlive it).
 * 'salt' is required (copied; wiped on free). 'encryption_key' may be NULL:
 * keys are then shown once only.
 */
struct token_service *token_service_new(struct store *store,
					const struct schema_registry *reg,
					const char *salt,
					const char *encryption_key);
/*
 * Free the service: the lastUsedAt writer first writes every use still
 * queued (the store must still be open), then stops.
 */
void token_service_free(struct token_service *ts);

/*
 * Wait until every use recorded so far by any thread is written (bounded:
 * 5 s for a stuck database). The management functions below call it before
 * they read or change tokens, so a token read back through this process
 * shows its latest use. Not inside a transaction of the calling thread: the
 * writer would wait for it.
 */
void token_service_sync(struct token_service *ts);

/* Whether created keys can be shown again (an encryption key is set). */
bool token_service_viewable(const struct token_service *ts);

/*
 * POST /admin/api-tokens semantics: 'body' (borrowed) with name,
 * description, type, lifespan, permissions; other keys ignored. On success
 * '*out' is the new token object with its plaintext "accessKey" (a new
 * reference; the caller wipes it with token_json_wipe() before freeing).
 * Errors as Strapi words them (ValidationError details, ApplicationError
 * "Name already taken").
 */
int token_service_create(struct token_service *ts, json_t *body, json_t **out,
			 struct err *e);

/* GET list: a new array sorted by name, without keys. */
int token_service_list(struct token_service *ts, json_t **out, struct err *e);
/*
 * The same tokens handed to 'fn' one at a time, in the same order, as
 * JSON objects 'fn' borrows (numbered from 0): a list of 10,000 tokens
 * never exists as one tree of JSON values.
 */
int token_service_list_each(struct token_service *ts,
			    void (*fn)(json_t *token, size_t i, void *ctx),
			    void *ctx, struct err *e);

/*
 * GET one. "accessKey" is the plaintext when the encrypted copy decrypts,
 * null when it does not (key changed), absent when none was stored.
 * ERR_NOT_FOUND "API Token not found".
 */
int token_service_get(struct token_service *ts, int64_t id, json_t **out,
		      struct err *e);

/*
 * PUT semantics: name, description, type, permissions, and (as the seed
 * allows) lifespan, which renews expiresAt from now. Any other key fails
 * with "this field has unspecified keys: ...".
 */
int token_service_update(struct token_service *ts, int64_t id, json_t *body,
			 json_t **out, struct err *e);

/* A new key for token 'id': '*out' = {id, accessKey, kind}. ERR_NOT_FOUND. */
int token_service_regenerate(struct token_service *ts, int64_t id,
			     json_t **out, struct err *e);

/* Delete: '*out' is the deleted token object, or JSON null when absent. */
int token_service_delete(struct token_service *ts, int64_t id, json_t **out,
			 struct err *e);

/*
 * First boot: when there is no admin user and no token at all, create
 * "Read Only" and "Full Access" (unlimited). '*created' is set to true when
 * it did.
 */
int token_service_ensure_defaults(struct token_service *ts, bool *created,
				  struct err *e);

/* Wipe the "accessKey" string inside a token object before it is freed. */
void token_json_wipe(json_t *token);

/* ---- admin tokens (kind "admin") -------------------------------------- */

/*
 * Admin tokens authenticate on the Admin API. Each is owned by the
 * administrator who created it and holds a subset of the owner's
 * permissions (the ceiling): enforced on create and update, and again at
 * every authentication against the owner's current permissions, so a role
 * change re-clamps a token at once. The caller of each function:
 */
struct token_caller {
	int64_t user_id;
	bool super_admin;
	const struct rbac_set *perms; /* the caller's own permissions */
};

/*
 * Admin token object: {id, kind:"admin", name, description, lastUsedAt,
 * lifespan, expiresAt, createdAt, updatedAt, adminPermissions:[{id, action,
 * actionParameters, subject, properties, conditions}], adminUserOwner:{id,
 * firstname, lastname, username, email}[, accessKey]}.
 *
 * create: body {name, description, lifespan, adminPermissions}; "type" or
 *   "permissions" → BadRequestError; unknown action → ValidationError
 *   "Unknown admin action: X"; beyond the caller's own permissions (unless
 *   super admin) → ValidationError "Cannot assign admin permissions that
 *   exceed your own. Exceeding: ...". Owner = the caller. 201 with accessKey.
 * list: super admins see every admin token, others their own.
 * get: 404 when missing or when the caller is neither owner nor super
 *   admin; accessKey (when viewable) for the owner only.
 * update: name, description, adminPermissions, lifespan (renews); owner or
 *   super admin, else ERR_FORBIDDEN; the ceiling is the owner's.
 * regenerate: owner only (ERR_FORBIDDEN otherwise); {id, accessKey, kind}.
 * delete: 404 when missing; owner or super admin, else ERR_FORBIDDEN.
 * owner_permissions: the owner's permissions; owner or super admin.
 */
int token_service_admin_create(struct token_service *ts, json_t *body,
			       const struct token_caller *c, json_t **out,
			       struct err *e);
int token_service_admin_list(struct token_service *ts,
			     const struct token_caller *c, json_t **out,
			     struct err *e);
int token_service_admin_get(struct token_service *ts, int64_t id,
			    const struct token_caller *c, json_t **out,
			    struct err *e);
int token_service_admin_update(struct token_service *ts, int64_t id,
			       json_t *body, const struct token_caller *c,
			       json_t **out, struct err *e);
int token_service_admin_regenerate(struct token_service *ts, int64_t id,
				   const struct token_caller *c, json_t **out,
				   struct err *e);
int token_service_admin_delete(struct token_service *ts, int64_t id,
			       const struct token_caller *c, json_t **out,
			       struct err *e);
int token_service_admin_owner_permissions(struct token_service *ts,
					  int64_t id,
					  const struct token_caller *c,
					  json_t **out, struct err *e);

/*
 * After a change of roles or role permissions: remove from the admin
 * tokens of 'owner_id' (0: of every owner) the permissions their owner no
 * longer holds. Giving a permission back to the role does not give it back
 * to the token (Strapi's rule).
 */
int token_service_admin_reclamp(struct token_service *ts, int64_t owner_id,
				struct err *e);

/*
 * Authenticate a bearer value as an admin token. AUTH_DECLINED when it is
 * not one (unknown, or a content-API token); AUTH_OK with '*owner' (roles
 * loaded; release with admin_user_release()) and 'perms' (initialised by
 * the caller) filled with the token's effective permissions; or
 * ERR_UNAUTHORIZED "Token expired", "Token owner not found",
 * "Token owner is deactivated". Touches lastUsedAt like API tokens.
 */
int token_service_authenticate_admin(struct token_service *ts,
				     const char *token, size_t len,
				     int64_t *token_id, struct admin_user *owner,
				     struct rbac_set *perms, struct err *e);

/* The JSON of an admin permission row. A new reference. */
json_t *admin_permission_json(const struct admin_permission *p);

/* ---- authentication ---------------------------------------------------- */

enum auth_result {
	AUTH_DECLINED = 0, /* no usable bearer header: the public role applies */
	AUTH_OK = 1,       /* 'out' describes the token */
};

struct token_auth {
	int64_t id;
	enum token_type type;
	/* custom tokens: bitmap over reg->actions (bit i = action i allowed) */
	const uint64_t *allowed;
	size_t n_words;
};

/*
 * Authenticate an Authorization header value (may be NULL). Returns
 * AUTH_DECLINED when there is no header or it is not exactly
 * "<bearer> <token>" (scheme case-insensitive, whitespace-separated);
 * AUTH_OK when the token is a valid content-API token; or a negative error:
 * ERR_UNAUTHORIZED "Missing or invalid credentials" (unknown, revoked,
 * admin-kind) or "Token expired". 'out' borrows from the calling thread's
 * cache: valid until the next call on this thread.
 * lastUsedAt is recorded when null or at least an hour old: queued for the
 * background writer (no database write, no lock on this thread; normally
 * written within a millisecond or two, one transaction for a burst).
 */
int token_service_authenticate(struct token_service *ts, const char *header,
			       struct token_auth *out, struct err *e);

/* Whether the token may run action number 'action' (schema_action_index). */
bool token_auth_allows(const struct token_service *ts,
		       const struct token_auth *a, int action);

/*
 * Split an Authorization value into the token part: true and '*tok'/'*len'
 * pointing into 'header' when it is exactly "<bearer> <token>". Exposed for
 * unit tests.
 */
bool token_parse_bearer(const char *header, const char **tok, size_t *len);

/* Release the calling thread's cache (worker thread exit). */
void token_service_thread_release(void);

#endif
