/* SPDX-License-Identifier: MIT */
/* app.c: opening a project: config, schemas, store, token service. */
#include "core/compat.h"
#include "app/app.h"
#include "auth/admin_users.h"
#include "graphql/schema.h"
#include "core/log.h"
#include "core/mem.h"
#include "crypto/crypto.h"
#include "http/http.h"

#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The .env lines of a new project, in the order Strapi writes them. */
static const char *const env_plain[][2] = {
	{ "HOST", "127.0.0.1" },
	{ "PORT", "1337" },
};
static const char *const env_secrets[] = { "API_TOKEN_SALT", "ENCRYPTION_KEY",
					   "ADMIN_JWT_SECRET" };
static const char *const env_tail[][2] = {
	{ "DATABASE_CLIENT", "sqlite" },
	{ "DATABASE_FILENAME", ".tmp/data.db" },
	{ "NODE_ENV", "development" },
};

static int
has_key(const char *text, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (!strncmp(q, "export ", 7))
			q += 7;
		if ((size_t)(end - q) > klen && !strncmp(q, key, klen) &&
		    (q[klen] == '=' || q[klen] == ' '))
			return 1;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

int
app_write_env(const char *dir, struct err *e)
{
	char *path = xasprintf("%s/.env", dir);
	struct buf envbuf = BUF_INIT;
	const char *text = NULL;
	size_t len = 0, i;
	int rc = 0;

	rc = dotenv_read_file(path, &envbuf, NULL, e);
	if (rc == ERR_NOT_FOUND) {
		rc = 0;
	} else if (rc == 0) {
		text = envbuf.ptr;
		len = envbuf.len;
	}

	for (i = 0; rc == 0 && i < ARRAY_SIZE(env_plain); i++)
		if (!text || !has_key(text, len, env_plain[i][0]))
			rc = dotenv_write_key(path, env_plain[i][0],
					      env_plain[i][1], e);
	for (i = 0; rc == 0 && i < ARRAY_SIZE(env_secrets); i++) {
		char *secret;

		if (text && has_key(text, len, env_secrets[i]))
			continue;
		secret = crypto_secret_base64(32);
		if (!secret) {
			rc = err_set(e, ERR_INTERNAL,
				     "cannot generate random secrets");
			break;
		}
		rc = dotenv_write_key(path, env_secrets[i], secret, e);
		secret_free(secret);
	}
	for (i = 0; rc == 0 && i < ARRAY_SIZE(env_tail); i++)
		if (!text || !has_key(text, len, env_tail[i][0]))
			rc = dotenv_write_key(path, env_tail[i][0],
					      env_tail[i][1], e);
	buf_release_secret(&envbuf);
	free(path);
	return rc;
}

static char **
split_origins(const char *s)
{
	char **out;
	size_t n = 1, i = 0;
	const char *p;

	if (!s || !*s || !strcmp(s, "*"))
		return NULL;
	for (p = s; *p; p++)
		n += *p == ',';
	out = xcalloc(n + 1, sizeof(char *));
	for (p = s; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len)
			out[i++] = xstrndup(p, len);
		p += end ? (size_t)(end - p) + 1 : strlen(p);
	}
	return out;
}

static int
load_config(struct app *app, const char *dir, unsigned flags, struct err *e)
{
	char *db_path, *env_path;
	bool first_run;
	int rc;

	rc = config_load(&app->cfg, dir, e);
	if (rc < 0)
		return rc;
	env_path = xasprintf("%s/.env", dir);
	db_path = config_database_path(&app->cfg);
	first_run = !file_exists(env_path) && !file_exists(db_path);
	free(env_path);
	free(db_path);
	if ((flags & APP_FIRST_RUN) && first_run && !app->cfg.api_token_salt) {
		log_info("first run: writing .env with new secrets");
		rc = app_write_env(dir, e);
		if (rc < 0)
			return rc;
		config_release(&app->cfg);
		config_init(&app->cfg);
		rc = config_load(&app->cfg, dir, e);
		if (rc < 0)
			return rc;
	}
	if (!app->cfg.api_token_salt)
		return err_set(e, ERR_VALIDATION,
			       "API_TOKEN_SALT is not set: add it to .env or the "
			       "environment (a long random string, e.g. from "
			       "'openssl rand -base64 32'); note that changing it "
			       "later invalidates every existing API token");
	return 0;
}

#define SALT_FINGERPRINT_LABEL "tollgate API_TOKEN_SALT fingerprint v1"
#define META_SALT_FINGERPRINT "api_token_salt_fingerprint"

int
app_salt_fingerprint(const char *salt, char out[65])
{
	unsigned char mac[32];
	int rc;

	rc = crypto_hmac_sha256(salt, strlen(salt), SALT_FINGERPRINT_LABEL,
				sizeof(SALT_FINGERPRINT_LABEL) - 1, mac);
	if (rc == 0)
		crypto_hex(mac, sizeof(mac), out);
	secret_wipe(mac, sizeof(mac));
	return rc;
}

/*
 * Compare this instance's salt with the one the database's tokens were made
 * with (by fingerprint) and record the current one. A different salt
 * invalidates every existing token (the seed's rule): say so, with how many.
 */
static int
check_salt(struct app *app, struct err *e)
{
	char fp[65], *recorded = NULL;
	int64_t n = 0;
	int rc;

	rc = app_salt_fingerprint(app->cfg.api_token_salt, fp);
	if (rc < 0)
		return err_set(e, rc, "cannot fingerprint API_TOKEN_SALT");
	memcpy(app->salt_fingerprint, fp, sizeof(app->salt_fingerprint) - 1);
	app->salt_fingerprint[sizeof(app->salt_fingerprint) - 1] = '\0';
	rc = store_meta_get(app->store, META_SALT_FINGERPRINT, &recorded);
	if (rc < 0)
		return err_set(e, rc, "cannot read the recorded salt fingerprint");
	if (recorded && !strcmp(recorded, fp)) {
		free(recorded);
		return 0;
	}
	if (recorded) {
		rc = store_token_count(app->store, &n);
		if (rc < 0) {
			free(recorded);
			return err_set(e, rc, "cannot count the API tokens");
		}
		log_warn("API_TOKEN_SALT differs from the salt this database's "
			 "tokens were made with (fingerprint %.16s, this "
			 "instance %.16s): the %lld existing token(s) no longer "
			 "authenticate; several instances must share one salt",
			 recorded, fp, (long long)n);
		free(recorded);
	}
	rc = store_meta_set(app->store, META_SALT_FINGERPRINT, fp);
	if (rc < 0)
		return err_set(e, rc, "cannot record the salt fingerprint");
	return 0;
}

/*
 * First-run work (roles, default tokens) and the salt check, in one
 * transaction under the store's bootstrap lock: instances starting together
 * on one database do it once.
 */
static int
bootstrap(struct app *app, unsigned flags, bool *created, struct err *e)
{
	int rc;

	*created = false;
	rc = store_begin(app->store);
	if (rc < 0)
		return err_set(e, rc, "cannot start the start-up transaction");
	rc = store_lock_bootstrap(app->store);
	if (rc < 0)
		err_set(e, rc, "cannot take the start-up lock");
	if (rc == 0)
		rc = admin_bootstrap(app, e);
	if (rc == 0 && (flags & APP_DEFAULT_TOKENS))
		rc = token_service_ensure_defaults(app->tokens, created, e);
	if (rc == 0)
		rc = check_salt(app, e);
	if (rc < 0) {
		store_rollback(app->store);
		*created = false;
		return rc;
	}
	rc = store_commit(app->store);
	if (rc < 0) {
		*created = false;
		return err_set(e, rc, "cannot commit the start-up work");
	}
	return 0;
}

/* Serials of opened apps: per-thread caches tell apps apart by them. */
static _Atomic uint64_t next_serial;

int
app_open(struct app *app, const char *dir, unsigned flags, struct err *e)
{
	struct store_options so = { 0 };
	const struct query_limits ql = QUERY_LIMITS_DEFAULT;
	const struct qs_limits qsl = QS_LIMITS_DEFAULT;
	int64_t pruned = 0;
	bool created = false;
	int rc;

	memset(app, 0, sizeof(*app));
	config_init(&app->cfg);
	schema_registry_init(&app->reg);
	rc = load_config(app, dir, flags, e);
	if (rc < 0)
		goto fail;
	log_setup(app->cfg.log_level, app->cfg.log_json);
	if (!app->cfg.encryption_key)
		log_warn("ENCRYPTION_KEY is not set: API token keys are shown "
			 "once, at creation, and cannot be viewed again");

	if (!app->cfg.admin_jwt_secret)
		log_warn("ADMIN_JWT_SECRET is not set: administrators cannot "
			 "log in (admin tokens still work)");

	rc = schema_registry_load(&app->reg, dir, e);
	if (rc < 0)
		goto fail;
	rc = gql_schema_build(&app->reg, &app->graphql_schema, e);
	if (rc < 0)
		goto fail;
	so.client = app->cfg.database_client;
	so.filename = app->cfg.database_filename;
	so.project_dir = dir;
	so.busy_timeout_ms = 5000;
	so.url = app->cfg.database_url;
	so.host = app->cfg.database_host;
	so.port = app->cfg.database_port;
	so.name = app->cfg.database_name;
	so.username = app->cfg.database_username;
	so.password = app->cfg.database_password;
	so.ssl = app->cfg.database_ssl;
	so.schema = app->cfg.database_schema;
	so.pool_max = app->cfg.database_pool_max;
	if (!so.pool_max)
		so.pool_max = (app->cfg.threads ? app->cfg.threads
						: http_default_threads()) + 4;
	so.no_migrate = flags & APP_STORE_ONLY;
	app->serial = atomic_fetch_add(&next_serial, 1) + 1;
	app->content_cache_share =
	    app->cfg.content_cache_bytes /
	    (app->cfg.threads ? app->cfg.threads : http_default_threads());
	rc = store_open(&so, &app->store, e);
	if (rc < 0)
		goto fail;
	if (flags & APP_STORE_ONLY)
		return 0;
	rc = store_sync_schema(app->store, &app->reg, e);
	if (rc < 0)
		goto fail;
	rc = store_token_prune_permissions(app->store, &app->reg, &pruned);
	if (rc < 0) {
		rc = err_set(e, rc, "cannot update token permissions");
		goto fail;
	}
	if (pruned)
		log_info("removed %lld token permission(s) for actions that no "
			 "longer exist", (long long)pruned);
	app->tokens = token_service_new(app->store, &app->reg,
					app->cfg.api_token_salt,
					app->cfg.encryption_key);
	rc = bootstrap(app, flags, &created, e);
	if (rc < 0)
		goto fail;
	if (created)
		log_info("created the default API tokens \"Read Only\" "
			 "and \"Full Access\"");
	app->qs_limits = qsl;
	app->query_limits = ql;
	app->query_limits.default_page_size = app->cfg.default_page_size;
	app->query_limits.max_page_size = app->cfg.max_page_size;
	app->query_limits.max_filter_depth = app->cfg.max_filter_depth;
	app->qs_limits.max_depth = app->cfg.max_filter_depth + 10;
	app->cors_origins = split_origins(app->cfg.cors_origins);
	return 0;
fail:
	app_close(app);
	return rc;
}

void
app_close(struct app *app)
{
	char **o;

	token_service_free(app->tokens);
	app->tokens = NULL;
	token_service_thread_release();
	if (app->store)
		store_close(app->store);
	app->store = NULL;
	gql_schema_free(app->graphql_schema);
	app->graphql_schema = NULL;
	schema_registry_release(&app->reg);
	config_release(&app->cfg);
	for (o = app->cors_origins; o && *o; o++)
		free(*o);
	free(app->cors_origins);
	app->cors_origins = NULL;
}
