/* SPDX-License-Identifier: MIT */
/*
 * config.h: every setting in one table (config/keys.c): its environment
 * name, type, default, bounds and flags. Values come from, in increasing
 * precedence: defaults, the project's .env, the process environment,
 * command-line flags. Settings flagged CONFIG_SECRET are never printed.
 */
#ifndef CONFIG_CONFIG_H
#define CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

struct config {
	char *project_dir;
	char *host;
	unsigned port;
	char *api_token_salt;   /* secret; NULL when unset */
	char *encryption_key;   /* secret; NULL when unset */
	char *admin_jwt_secret; /* secret; NULL when unset */
	char *database_client;
	char *database_filename;
	char *database_url;      /* secret; NULL when unset */
	char *database_host;
	unsigned database_port;
	char *database_name;
	char *database_username;
	char *database_password; /* secret; NULL when unset */
	bool database_ssl;
	char *database_schema;
	unsigned database_pool_max; /* 0: worker threads + 4 */
	bool production;        /* NODE_ENV=production */
	int log_level;          /* enum log_level */
	bool log_json;
	char *cors_origins;     /* "*" or a comma-separated list */
	unsigned threads;
	unsigned max_connections;
	unsigned idle_timeout_s;
	size_t max_body;
	size_t max_header_bytes;
	size_t max_json_depth;
	size_t max_filter_depth;
	int64_t default_page_size;
	int64_t max_page_size;
	size_t content_cache_bytes; /* rendered read responses; 0: off */
	size_t graphql_max_bytes;   /* GraphQL document size */
	size_t graphql_max_depth;   /* depth limit (graphql-depth-limit) */
	size_t graphql_max_aliases; /* aliases per document, 0: no limit */
	char *graphql_introspection; /* "auto", "true" or "false" */
	char *graphql_playground;    /* "auto", "true" or "false" */
};

enum config_type { CONFIG_STRING, CONFIG_UINT, CONFIG_BOOL, CONFIG_ENUM };
enum config_flags {
	CONFIG_SECRET = 1 << 0,
};

struct config_key {
	const char *env;         /* "PORT" */
	enum config_type type;
	const char *def;         /* default as text; NULL for none */
	uint64_t min, max;       /* CONFIG_UINT bounds */
	unsigned flags;
	size_t offset;           /* into struct config */
	const char *help;
};

extern const struct config_key config_keys[];
extern const size_t config_n_keys;

void config_init(struct config *c);
/* Free every string, wiping secrets. */
void config_release(struct config *c);

/*
 * Load the configuration of the project in 'project_dir': defaults, then
 * '<project_dir>/.env' when present, then the environment. A bad value
 * fails with ERR_VALIDATION naming the variable.
 */
int config_load(struct config *c, const char *project_dir, struct err *e);

/* Set one setting by env name from text (used by loaders and CLI flags). */
int config_set(struct config *c, const char *env, const char *value,
	       struct err *e);

/*
 * Whether GraphQL introspection is on: GRAPHQL_INTROSPECTION, whose "auto"
 * follows NODE_ENV as Apollo's default does (on in development, off in
 * production).
 */
bool config_graphql_introspection(const struct config *c);

/* Path of the SQLite database (project_dir joined with the filename); new string. */
char *config_database_path(const struct config *c);

/* ---- .env files ------------------------------------------------------ */

/*
 * Parse a .env file's text: KEY=VALUE lines, '#' comments, optional
 * "export ", single or double quotes (double quotes understand \n).
 * Calls 'fn' for each pair. Returns 0, or ERR_VALIDATION with the line
 * number of a malformed line.
 */
int dotenv_parse(const char *text, size_t len,
		 int (*fn)(void *ctx, const char *key, const char *value),
		 void *ctx, struct err *e);

/*
 * Read the .env file at 'path' into 'text' (at most 1 MiB), growing the
 * buffer once to the file's size so no reallocation leaves copies of its
 * secrets behind; release it with buf_release_secret(). Stores the file's
 * permission bits in 'mode' when not NULL. ERR_NOT_FOUND when the file does
 * not exist, ERR_IO otherwise.
 */
struct buf;
int dotenv_read_file(const char *path, struct buf *text, mode_t *mode,
		     struct err *e);

/*
 * Set 'key' in the .env file at 'path' to 'value': replace its line when
 * present, else append; create the file (mode 0600) when missing.
 */
int dotenv_write_key(const char *path, const char *key, const char *value,
		     struct err *e);

#endif
