/* SPDX-License-Identifier: MIT */
/*
 * app.h: one served (or administered) project: its configuration, content
 * types, store and token service, opened together and closed together.
 * Everything in a struct app is read-only once app_open() returns, except
 * through the store and token service, which are thread-safe.
 */
#ifndef APP_APP_H
#define APP_APP_H

#include <stdbool.h>

#include "auth/api_token.h"
#include "config/config.h"
#include "core/err.h"
#include "http/http.h"
#include "http/qs.h"
#include "query/query.h"
#include "schema/schema.h"
#include "storage/store.h"

struct gql_schema;

struct app {
	struct config cfg;
	struct schema_registry reg;
	struct store *store;
	struct token_service *tokens;
	struct qs_limits qs_limits;
	struct query_limits query_limits;
	char **cors_origins; /* NULL-terminated; NULL means any origin */
	/* the GraphQL schema generated from 'reg' (read-only once built) */
	struct gql_schema *graphql_schema;
	/*
	 * The first hex digits of this instance's API_TOKEN_SALT fingerprint
	 * (app_salt_fingerprint()), shown by GET /_health so operators can
	 * spot an instance whose salt differs from the others'.
	 */
	char salt_fingerprint[17];
	/* unique among the apps this process opened (never reused) */
	uint64_t serial;
	/* each worker thread's share of TOLLGATE_CONTENT_CACHE_BYTES */
	size_t content_cache_share;
};

enum app_open_flags {
	/* first run: generate .env secrets when there is no .env and no database */
	APP_FIRST_RUN = 1 << 0,
	/* create the default tokens when the store is empty */
	APP_DEFAULT_TOKENS = 1 << 1,
	/*
	 * open the configuration and the store only: no migration, no schema
	 * sync, no first-run work ('tollgate migrate')
	 */
	APP_STORE_ONLY = 1 << 2,
};

/*
 * Open the project in 'dir'. Fails (with a message for the operator in 'e')
 * when the configuration is invalid, a schema is invalid, the database
 * cannot be opened, or API_TOKEN_SALT is missing.
 */
int app_open(struct app *app, const char *dir, unsigned flags, struct err *e);
void app_close(struct app *app);

/*
 * The keyed fingerprint of a salt: HMAC-SHA256 keyed by the salt over a
 * fixed label, as 64 hex digits plus NUL. It identifies the salt without
 * revealing it (salts are long random strings); the database records the
 * fingerprint of the salt its tokens were made with, never the salt.
 */
int app_salt_fingerprint(const char *salt, char out[65]);

/*
 * Write a new project's .env into 'dir' with freshly generated secrets
 * (API_TOKEN_SALT, ENCRYPTION_KEY, ADMIN_JWT_SECRET) and the defaults of the
 * other settings. Keys already in an existing .env are kept.
 */
int app_write_env(const char *dir, struct err *e);

/* The HTTP entry point (an http_handler_fn); 'app' is a struct app. */
void app_handle(void *app, struct http_req *req, struct http_resp *resp);

/* The 413 response (an http_server_options.too_large hook). */
void app_too_large(void *app, struct http_resp *resp);

#endif
