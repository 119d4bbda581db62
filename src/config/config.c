/* SPDX-License-Identifier: MIT */
/*
 * config.c: turns text into struct config fields, driven by the table in
 * keys.c, and loads a project's settings in order: defaults, the .env file,
 * the process environment. The .env syntax lives in dotenv.c; printing
 * settings is left to the CLI.
 *
 * An empty value means "not set here": the loaders skip it, so a lower
 * layer's value stands, and config_set() restores the default (NULL for a
 * secret).
 */
#include "core/compat.h"
#include "config/config.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A real .env holds a few hundred bytes; anything this big is a mistake. */
#define DOTENV_MAX_SIZE (1 << 20)

/* How a CONFIG_ENUM setting is stored, which struct config_key cannot say. */
enum enum_store {
	STORE_STRING,     /* char *: the value itself */
	STORE_INDEX_BOOL, /* bool: true for the second value */
	STORE_LOG_LEVEL,  /* int: log_level_parse() */
};

struct enum_spec {
	const char *env;
	enum enum_store store;
	const char *const *values; /* NULL-terminated */
	bool open; /* any other value means the first one (NODE_ENV=test) */
};

static const char *const client_values[] = { "sqlite", "postgres", NULL };
static const char *const node_env_values[] = { "development", "production",
					       NULL };
static const char *const level_values[] = { "error", "warn", "info", "debug",
					    NULL };
static const char *const format_values[] = { "text", "json", NULL };
static const char *const auto_values[] = { "auto", "true", "false", NULL };

static const struct enum_spec enum_specs[] = {
	{ "DATABASE_CLIENT", STORE_STRING, client_values, false },
	/* as Strapi: only "production" is production */
	{ "NODE_ENV", STORE_INDEX_BOOL, node_env_values, true },
	{ "LOG_LEVEL", STORE_LOG_LEVEL, level_values, false },
	{ "LOG_FORMAT", STORE_INDEX_BOOL, format_values, false },
	{ "GRAPHQL_INTROSPECTION", STORE_STRING, auto_values, false },
	{ "GRAPHQL_PLAYGROUND", STORE_STRING, auto_values, false },
};

/* The C type of each CONFIG_UINT field, which struct config_key cannot say. */
enum uint_store { STORE_UNSIGNED, STORE_SIZE, STORE_INT64 };

static enum uint_store
uint_store_of(const struct config_key *k)
{
	switch (k->offset) {
	case offsetof(struct config, port):
	case offsetof(struct config, threads):
	case offsetof(struct config, max_connections):
	case offsetof(struct config, idle_timeout_s):
	case offsetof(struct config, database_port):
	case offsetof(struct config, database_pool_max):
		return STORE_UNSIGNED;
	case offsetof(struct config, max_body):
	case offsetof(struct config, max_header_bytes):
	case offsetof(struct config, max_json_depth):
	case offsetof(struct config, max_filter_depth):
	case offsetof(struct config, graphql_max_bytes):
	case offsetof(struct config, graphql_max_depth):
	case offsetof(struct config, graphql_max_aliases):
	case offsetof(struct config, content_cache_bytes):
		return STORE_SIZE;
	case offsetof(struct config, default_page_size):
	case offsetof(struct config, max_page_size):
		return STORE_INT64;
	}
	BUG("numeric setting with an unknown field type");
}

static const struct config_key *
find_key(const char *env)
{
	size_t i;

	for (i = 0; i < config_n_keys; i++)
		if (!strcmp(config_keys[i].env, env))
			return &config_keys[i];
	return NULL;
}

static const struct enum_spec *
find_enum(const struct config_key *k)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(enum_specs); i++)
		if (!strcmp(enum_specs[i].env, k->env))
			return &enum_specs[i];
	BUG("enum setting without values");
}

static void *
field(struct config *c, const struct config_key *k)
{
	return (char *)c + k->offset;
}

/* The string field of 'k', or NULL when the setting is not a string. */
static char **
string_field(struct config *c, const struct config_key *k)
{
	if (k->type == CONFIG_STRING ||
	    (k->type == CONFIG_ENUM && find_enum(k)->store == STORE_STRING))
		return field(c, k);
	return NULL;
}

static void
set_string(struct config *c, const struct config_key *k, const char *value)
{
	char **p = string_field(c, k);

	if (k->flags & CONFIG_SECRET)
		secret_free(*p);
	else
		free(*p);
	*p = xstrdup(value);
}

/* Strict decimal: digits only, no sign, no blanks, no overflow. */
static bool
parse_uint(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int
set_uint(struct config *c, const struct config_key *k, const char *value,
	 struct err *e)
{
	void *p = field(c, k);
	uint64_t v;

	if (!parse_uint(value, &v) || v < k->min || v > k->max)
		return err_set(e, ERR_VALIDATION,
			       "invalid value for %s: '%.64s' (expected an "
			       "integer from %llu to %llu)",
			       k->env, value, (unsigned long long)k->min,
			       (unsigned long long)k->max);
	switch (uint_store_of(k)) {
	case STORE_UNSIGNED:
		*(unsigned *)p = (unsigned)v;
		break;
	case STORE_SIZE:
		*(size_t *)p = (size_t)v;
		break;
	case STORE_INT64:
		*(int64_t *)p = (int64_t)v;
		break;
	}
	return 0;
}

static int
set_bool(struct config *c, const struct config_key *k, const char *value,
	 struct err *e)
{
	bool *p = field(c, k);

	if (!strcmp(value, "true") || !strcmp(value, "1"))
		*p = true;
	else if (!strcmp(value, "false") || !strcmp(value, "0"))
		*p = false;
	else
		return err_set(e, ERR_VALIDATION,
			       "invalid value for %s: '%.64s' (expected true "
			       "or false)",
			       k->env, value);
	return 0;
}

/* "a, b or c" from a NULL-terminated list; a new string. */
static char *
join_values(const char *const *values)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; values[i]; i++) {
		if (i > 0)
			buf_addstr(&b, values[i + 1] ? ", " : " or ");
		buf_addstr(&b, values[i]);
	}
	return buf_detach(&b, NULL);
}

static int
enum_index(const struct enum_spec *spec, const char *value)
{
	int i;

	if (spec->store == STORE_LOG_LEVEL)
		return log_level_parse(value);
	for (i = 0; spec->values[i]; i++)
		if (!strcmp(spec->values[i], value))
			return i;
	return -1;
}

static int
set_enum(struct config *c, const struct config_key *k, const char *value,
	 struct err *e)
{
	const struct enum_spec *spec = find_enum(k);
	int i = enum_index(spec, value);
	char *expected;

	if (i < 0 && spec->open)
		i = 0;
	if (i < 0) {
		expected = join_values(spec->values);
		err_set(e, ERR_VALIDATION,
			"invalid value for %s: '%.64s' (expected %s)", k->env,
			value, expected);
		free(expected);
		return ERR_VALIDATION;
	}
	switch (spec->store) {
	case STORE_STRING:
		set_string(c, k, value);
		break;
	case STORE_INDEX_BOOL:
		*(bool *)field(c, k) = i == 1;
		break;
	case STORE_LOG_LEVEL:
		*(int *)field(c, k) = i;
		break;
	}
	return 0;
}

/* Store 'value' (NULL only for a string without default) into 'k'. */
static int
apply(struct config *c, const struct config_key *k, const char *value,
      struct err *e)
{
	if (!value && k->type != CONFIG_STRING)
		BUG("setting without a default");
	switch (k->type) {
	case CONFIG_STRING:
		set_string(c, k, value);
		return 0;
	case CONFIG_UINT:
		return set_uint(c, k, value, e);
	case CONFIG_BOOL:
		return set_bool(c, k, value, e);
	case CONFIG_ENUM:
		return set_enum(c, k, value, e);
	}
	BUG("unknown setting type");
}

void
config_init(struct config *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->project_dir = xstrdup(".");
	for (i = 0; i < config_n_keys; i++)
		if (apply(c, &config_keys[i], config_keys[i].def, NULL))
			BUG("invalid default in config_keys[]");
}

void
config_release(struct config *c)
{
	char **p;
	size_t i;

	for (i = 0; i < config_n_keys; i++) {
		p = string_field(c, &config_keys[i]);
		if (!p)
			continue;
		if (config_keys[i].flags & CONFIG_SECRET)
			secret_free(*p);
		else
			free(*p);
	}
	free(c->project_dir);
	memset(c, 0, sizeof(*c));
}

int
config_set(struct config *c, const char *env, const char *value, struct err *e)
{
	const struct config_key *k = find_key(env);

	if (!k)
		return err_set(e, ERR_VALIDATION, "unknown setting '%.64s'",
			       env);
	if (!value || !*value)
		value = k->def;
	return apply(c, k, value, e);
}

static bool
auto_switch(const char *v, bool production)
{
	if (v && !strcmp(v, "true"))
		return true;
	if (v && !strcmp(v, "false"))
		return false;
	return !production;
}

bool
config_graphql_introspection(const struct config *c)
{
	return auto_switch(c->graphql_introspection, c->production);
}

/* 'dir' and 'name' joined with one '/'; a new string. */
static char *
join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

char *
config_database_path(const struct config *c)
{
	const char *name = c->database_filename;

	if (name[0] == '/' || !strcmp(name, ":memory:"))
		return xstrdup(name);
	return join_path(c->project_dir, name);
}

struct load_ctx {
	struct config *c;
	struct err *e;
};

/* dotenv_parse() callback: unknown keys belong to other tools (Strapi). */
static int
load_pair(void *ctx, const char *key, const char *value)
{
	struct load_ctx *l = ctx;

	if (!*value || !find_key(key))
		return 0;
	return config_set(l->c, key, value, l->e);
}

static int
load_dotenv(struct config *c, const char *path, struct err *e)
{
	struct buf text = BUF_INIT;
	struct err sub = ERR_INIT;
	struct load_ctx l = { c, &sub };
	int ret;

	ret = dotenv_read_file(path, &text, NULL, e);
	if (ret == ERR_NOT_FOUND)
		return 0;
	if (ret == 0)
		ret = dotenv_parse(text.ptr, text.len, load_pair, &l, &sub);
	if (ret && sub.code)
		err_set(e, ret, "%s: %s", path, sub.msg);
	err_release(&sub);
	buf_release_secret(&text);
	return ret;
}

static int
load_environment(struct config *c, struct err *e)
{
	const char *value;
	size_t i;
	int ret;

	for (i = 0; i < config_n_keys; i++) {
		value = getenv(config_keys[i].env);
		if (!value || !*value)
			continue;
		ret = config_set(c, config_keys[i].env, value, e);
		if (ret)
			return ret;
	}
	return 0;
}

static int
check_settings(const struct config *c, struct err *e)
{
	if (c->default_page_size > c->max_page_size)
		return err_set(e, ERR_VALIDATION,
			       "TOLLGATE_DEFAULT_PAGE_SIZE (%lld) exceeds "
			       "TOLLGATE_MAX_PAGE_SIZE (%lld)",
			       (long long)c->default_page_size,
			       (long long)c->max_page_size);
	return 0;
}

/*
 * 'c' must have been initialised with config_init(); whatever it held is
 * released first. On failure it holds a partial configuration, to be
 * released by the caller as usual.
 */
int
config_load(struct config *c, const char *project_dir, struct err *e)
{
	char *path;
	int ret;

	config_release(c);
	config_init(c);
	free(c->project_dir);
	c->project_dir = xstrdup(project_dir ? project_dir : ".");
	path = join_path(c->project_dir, ".env");
	ret = load_dotenv(c, path, e);
	free(path);
	if (ret == 0)
		ret = load_environment(c, e);
	if (ret == 0)
		ret = check_settings(c, e);
	return ret;
}
