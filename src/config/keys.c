/* SPDX-License-Identifier: MIT */
/*
 * keys.c: the one table of every setting. Adding a setting means adding a
 * field to struct config and a row here; loading, validation, .env files
 * and `config check` all walk this table. Enum values are listed in
 * config.c, which struct config_key has no room for.
 */
#include "core/compat.h"
#include "config/config.h"

#define FIELD(name) offsetof(struct config, name)

const struct config_key config_keys[] = {
	{
	    .env = "HOST",
	    .type = CONFIG_STRING,
	    .def = "127.0.0.1",
	    .offset = FIELD(host),
	    .help = "address the HTTP server listens on",
	},
	{
	    .env = "PORT",
	    .type = CONFIG_UINT,
	    .def = "1337",
	    .min = 0,
	    .max = 65535,
	    .offset = FIELD(port),
	    .help = "TCP port the HTTP server listens on",
	},
	{
	    .env = "API_TOKEN_SALT",
	    .type = CONFIG_STRING,
	    .flags = CONFIG_SECRET,
	    .offset = FIELD(api_token_salt),
	    .help = "HMAC key for API token hashes; changing it revokes them",
	},
	{
	    .env = "ENCRYPTION_KEY",
	    .type = CONFIG_STRING,
	    .flags = CONFIG_SECRET,
	    .offset = FIELD(encryption_key),
	    .help = "key for the viewable copies of API tokens",
	},
	{
	    .env = "ADMIN_JWT_SECRET",
	    .type = CONFIG_STRING,
	    .flags = CONFIG_SECRET,
	    .offset = FIELD(admin_jwt_secret),
	    .help = "HMAC key signing admin session tokens",
	},
	{
	    .env = "DATABASE_CLIENT",
	    .type = CONFIG_ENUM,
	    .def = "sqlite",
	    .offset = FIELD(database_client),
	    .help = "storage backend: sqlite or postgres",
	},
	{
	    .env = "DATABASE_FILENAME",
	    .type = CONFIG_STRING,
	    .def = ".tmp/data.db",
	    .offset = FIELD(database_filename),
	    .help = "SQLite file, relative to the project directory",
	},
	{
	    .env = "NODE_ENV",
	    .type = CONFIG_ENUM,
	    .def = "development",
	    .offset = FIELD(production),
	    .help = "development or production",
	},
	{
	    .env = "LOG_LEVEL",
	    .type = CONFIG_ENUM,
	    .def = "info",
	    .offset = FIELD(log_level),
	    .help = "least severe level logged: error, warn, info or debug",
	},
	{
	    .env = "LOG_FORMAT",
	    .type = CONFIG_ENUM,
	    .def = "text",
	    .offset = FIELD(log_json),
	    .help = "log line format: text or json",
	},
	{
	    .env = "CORS_ORIGIN",
	    .type = CONFIG_STRING,
	    .def = "*",
	    .offset = FIELD(cors_origins),
	    .help = "allowed CORS origins: * or a comma-separated list",
	},
	{
	    .env = "TOLLGATE_THREADS",
	    .type = CONFIG_UINT,
	    .def = "0",
	    .min = 0,
	    .max = 256,
	    .offset = FIELD(threads),
	    .help = "worker threads (0 means one per CPU core)",
	},
	{
	    .env = "TOLLGATE_MAX_CONNECTIONS",
	    .type = CONFIG_UINT,
	    .def = "1024",
	    .min = 1,
	    .max = 65536,
	    .offset = FIELD(max_connections),
	    .help = "most client connections open at once",
	},
	{
	    .env = "TOLLGATE_IDLE_TIMEOUT",
	    .type = CONFIG_UINT,
	    .def = "30",
	    .min = 1,
	    .max = 3600,
	    .offset = FIELD(idle_timeout_s),
	    .help = "seconds before an idle connection is closed",
	},
	{
	    .env = "TOLLGATE_MAX_BODY",
	    .type = CONFIG_UINT,
	    .def = "1048576",
	    .min = 1024,
	    .max = 1073741824,
	    .offset = FIELD(max_body),
	    .help = "largest request body in bytes",
	},
	{
	    .env = "TOLLGATE_MAX_HEADER_BYTES",
	    .type = CONFIG_UINT,
	    .def = "32768",
	    .min = 1024,
	    .max = 1048576,
	    .offset = FIELD(max_header_bytes),
	    .help = "largest request line plus headers in bytes",
	},
	{
	    .env = "TOLLGATE_MAX_JSON_DEPTH",
	    .type = CONFIG_UINT,
	    .def = "32",
	    .min = 1,
	    .max = 1024,
	    .offset = FIELD(max_json_depth),
	    .help = "deepest nesting accepted in a JSON body",
	},
	{
	    .env = "TOLLGATE_MAX_FILTER_DEPTH",
	    .type = CONFIG_UINT,
	    .def = "10",
	    .min = 1,
	    .max = 100,
	    .offset = FIELD(max_filter_depth),
	    .help = "deepest nesting accepted in a filters query",
	},
	{
	    .env = "TOLLGATE_DEFAULT_PAGE_SIZE",
	    .type = CONFIG_UINT,
	    .def = "25",
	    .min = 1,
	    .max = 1000,
	    .offset = FIELD(default_page_size),
	    .help = "page size when a request names none",
	},
	{
	    .env = "TOLLGATE_MAX_PAGE_SIZE",
	    .type = CONFIG_UINT,
	    .def = "100",
	    .min = 1,
	    .max = 1000,
	    .offset = FIELD(max_page_size),
	    .help = "largest page size a request may ask for",
	},
};

const size_t config_n_keys = ARRAY_SIZE(config_keys);
