/* SPDX-License-Identifier: MIT */
/*
 * test_store.c: the storage contract (storage/store.h): migrations, tokens
 * and the token generation (seen by other connections, including a raw one
 * outside the store), content tables, filters, sorting, paging and draft &
 * publish. Run against SQLite with a temporary database file, then against
 * PostgreSQL when TOLLGATE_TEST_PG_URL names a server (each test in a fresh
 * schema, dropped after it); without it that group is skipped, loudly.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "storage/store.h"
#include "lib/rawdb.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

/* ---- hand-built content types ---------------------------------------- */

struct ftmpl {
	const char *name;
	const char *column;
	enum attr_type type;
	enum sys_field sys;
	unsigned flags;
};

static void
build_type(struct content_type *ct, const char *uid, const char *table,
	   bool draft_publish, const struct ftmpl *t, size_t n)
{
	size_t i;

	memset(ct, 0, sizeof(*ct));
	ct->uid = xstrdup(uid);
	ct->table = xstrdup(table);
	ct->plural = xstrdup(table);
	ct->draft_publish = draft_publish;
	ct->fields = xcalloc(n, sizeof(*ct->fields));
	ct->n_fields = n;
	for (i = 0; i < n; i++) {
		struct field *f = &ct->fields[i];

		f->name = xstrdup(t[i].name);
		f->column = xstrdup(t[i].column);
		f->type = t[i].type;
		f->sys = t[i].sys;
		f->flags = t[i].flags | (t[i].sys ? FIELD_SYSTEM : 0);
		f->min_length = -1;
		f->max_length = -1;
		if (!t[i].sys && !ct->attrs)
			ct->attrs = f;
		if (!t[i].sys)
			ct->n_attrs++;
	}
}

static void
free_type(struct content_type *ct)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++) {
		free(ct->fields[i].name);
		free(ct->fields[i].column);
	}
	free(ct->fields);
	free(ct->uid);
	free(ct->table);
	free(ct->plural);
}

/* clang-format off */
#define SYSF_HEAD \
	{ "id", "id", ATTR_INTEGER, SYS_ID, 0 }, \
	{ "documentId", "document_id", ATTR_STRING, SYS_DOCUMENT_ID, 0 }
#define SYSF_TAIL \
	{ "createdAt", "created_at", ATTR_DATETIME, SYS_CREATED_AT, 0 }, \
	{ "updatedAt", "updated_at", ATTR_DATETIME, SYS_UPDATED_AT, 0 }, \
	{ "publishedAt", "published_at", ATTR_DATETIME, SYS_PUBLISHED_AT, 0 }

static const struct ftmpl post_fields[] = {
	SYSF_HEAD,
	{ "title", "title", ATTR_STRING, SYS_NONE, FIELD_REQUIRED },
	{ "rating", "rating", ATTR_INTEGER, SYS_NONE, 0 },
	SYSF_TAIL,
};

static const struct ftmpl product_fields[] = {
	SYSF_HEAD,
	{ "name", "name", ATTR_STRING, SYS_NONE, FIELD_UNIQUE },
	{ "stock", "stock", ATTR_INTEGER, SYS_NONE, 0 },
	{ "price", "price", ATTR_FLOAT, SYS_NONE, 0 },
	{ "description", "description", ATTR_TEXT, SYS_NONE, 0 },
	{ "releaseDate", "release_date", ATTR_DATE, SYS_NONE, 0 },
	SYSF_TAIL,
};

/* product_fields plus one attribute: a later version of the schema */
static const struct ftmpl product_fields_v2[] = {
	SYSF_HEAD,
	{ "name", "name", ATTR_STRING, SYS_NONE, FIELD_UNIQUE },
	{ "stock", "stock", ATTR_INTEGER, SYS_NONE, 0 },
	{ "price", "price", ATTR_FLOAT, SYS_NONE, 0 },
	{ "description", "description", ATTR_TEXT, SYS_NONE, 0 },
	{ "releaseDate", "release_date", ATTR_DATE, SYS_NONE, 0 },
	{ "colour", "colour", ATTR_STRING, SYS_NONE, 0 },
	SYSF_TAIL,
};
/* clang-format on */

/* column indexes */
enum { C_ID = 0, C_DOC = 1 };
enum {
	P_NAME = 2,
	P_STOCK,
	P_PRICE,
	P_DESC,
	P_REL,
	P_CREATED,
	P_UPDATED,
	P_PUBLISHED
};
enum { T_TITLE = 2, T_RATING, T_CREATED, T_UPDATED, T_PUBLISHED };

static char act_post_find[] = "api::post.post.find";
static char act_product_find[] = "api::product.product.find";
static char act_product_find_one[] = "api::product.product.findOne";
/* single types leave NULL slots for the actions they lack */
static char *test_actions[] = {
    act_post_find,
    NULL,
    act_product_find,
    act_product_find_one,
};

static void
build_registry(struct schema_registry *reg, bool v2)
{
	memset(reg, 0, sizeof(*reg));
	reg->n_types = 2;
	reg->types = xcalloc(2, sizeof(*reg->types));
	build_type(&reg->types[0], "api::post.post", "posts", true, post_fields,
		   ARRAY_SIZE(post_fields));
	if (v2)
		build_type(&reg->types[1], "api::product.product", "products",
			   false, product_fields_v2,
			   ARRAY_SIZE(product_fields_v2));
	else
		build_type(&reg->types[1], "api::product.product", "products",
			   false, product_fields, ARRAY_SIZE(product_fields));
	reg->actions = test_actions;
	reg->n_actions = ARRAY_SIZE(test_actions);
}

static void
free_registry(struct schema_registry *reg)
{
	size_t i;

	for (i = 0; i < reg->n_types; i++)
		free_type(&reg->types[i]);
	free(reg->types);
	memset(reg, 0, sizeof(*reg));
}

/* ---- fixture --------------------------------------------------------- */

/* The backend of the group running: SQLite, then PostgreSQL. */
static bool on_pg;
static const char *pg_url;
static unsigned schema_seq;

/* SQL text for the backend under test. */
#define BK(sqlite_sql, pg_sql) (on_pg ? (pg_sql) : (sqlite_sql))

/* How long a change watcher may take to notice another handle's change. */
#define WATCH_US (on_pg ? 400000 : 120000)

struct fx {
	char dir[64];
	char path[128];
	char schema[64];
	struct store *s;
	struct schema_registry reg;
};

static struct store *
open_store(const struct fx *fx)
{
	struct store_options o = {.client = "sqlite", .filename = "db/data.db", .project_dir = fx->dir};
	struct store_options po = {.client = "postgres", .url = pg_url, .schema = fx->schema};
	struct err e = ERR_INIT;
	struct store *s = NULL;
	int rc;

	rc = store_open(on_pg ? &po : &o, &s, &e);
	if (rc)
		fail_msg("store_open: %s", e.msg);
	err_release(&e);
	return s;
}

/* A separate, plain connection: another process would do this. */
static void
raw_exec(const struct fx *fx, const char *sql)
{
	rawdb_exec(fx->path, pg_url, on_pg ? fx->schema : NULL, sql);
}

static int64_t
raw_int(const struct fx *fx, const char *sql)
{
	return rawdb_int(fx->path, pg_url, on_pg ? fx->schema : NULL, sql);
}

static int
setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof(*fx));
	struct err e = ERR_INIT;

	if (on_pg) {
		snprintf(fx->schema, sizeof(fx->schema), "tg_store_%ld_%u",
			 (long)getpid(), ++schema_seq);
		rawdb_pg_drop_schema(pg_url, fx->schema);
	} else {
		snprintf(fx->dir, sizeof(fx->dir), "/tmp/tg-store-XXXXXX");
		if (!mkdtemp(fx->dir))
			return -1;
		snprintf(fx->path, sizeof(fx->path), "%s/db/data.db",
			 fx->dir);
	}
	fx->s = open_store(fx);
	build_registry(&fx->reg, false);
	if (store_sync_schema(fx->s, &fx->reg, &e))
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[200];

	store_close(fx->s);
	free_registry(&fx->reg);
	if (on_pg) {
		rawdb_pg_drop_schema(pg_url, fx->schema);
		free(fx);
		return 0;
	}
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s/db", fx->dir);
	rmdir(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static uint64_t
gen_of(struct store *s)
{
	uint64_t g = 0;

	assert_int_equal(store_token_generation(s, &g), 0);
	return g;
}

/*
 * A change made through another handle (another connection, as another
 * process would be) is seen once the store's change watcher notices it,
 * within a few of its periods: poll, bounded. Returns the last value read.
 */
static uint64_t
gen_until(struct store *s, uint64_t want, bool greater)
{
	uint64_t g = 0;
	int i;

	for (i = 0; i < 1000; i++) { /* 10 s at most */
		g = gen_of(s);
		if (greater ? g > want : g == want)
			return g;
		usleep(10000);
	}
	return g;
}

/* A token with a 128-char key derived from 'seed'. */
static void
make_token(struct token_row *t, const char *name, enum token_kind kind,
	   enum token_type type, int seed, const char *const *perms)
{
	char hex[9];
	size_t i;

	token_row_init(t);
	t->name = xstrdup(name);
	t->description = xstrdup("desc");
	t->kind = kind;
	t->type = type;
	snprintf(hex, sizeof(hex), "%08x", (unsigned)seed);
	memset(t->access_key, 'a', 128);
	memcpy(t->access_key, hex, 8);
	t->access_key[128] = '\0';
	t->created_at = 1000;
	t->updated_at = 1000;
	for (i = 0; perms && perms[i]; i++) {
		t->permissions =
		    xrealloc(t->permissions, (i + 1) * sizeof(*t->permissions));
		t->permissions[i] = xstrdup(perms[i]);
		t->n_permissions = i + 1;
	}
}

static int64_t
insert_token(struct store *s, const char *name, enum token_kind kind,
	     enum token_type type, int seed, const char *const *perms)
{
	struct token_row t;
	int64_t id;

	make_token(&t, name, kind, type, seed, perms);
	assert_int_equal(store_token_insert(s, &t), 0);
	assert_true(t.id > 0);
	id = t.id;
	token_row_release(&t);
	return id;
}

/* ---- migrations ------------------------------------------------------ */

static void
test_open_and_migrate(void **state)
{
	struct fx *fx = *state;
	struct store_options o = {.client = "sqlite", .filename = "db/data.db", .project_dir = fx->dir};
	struct err e = ERR_INIT;
	struct store *s2 = NULL;
	struct stat sb;
	char p[128];

	assert_string_equal(store_backend_name(fx->s),
			    on_pg ? "postgres" : "sqlite");
	if (!on_pg) {
		snprintf(p, sizeof(p), "%s/db", fx->dir);
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0700);
	}

	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 3);
	assert_int_equal(
	    raw_int(fx, "SELECT MAX(version) FROM tollgate_migrations"), 3);
	assert_int_equal(raw_int(fx, "SELECT value FROM tollgate_meta"
				     " WHERE key = 'token_generation'"),
			 0);

	/* reopening applies nothing twice */
	insert_token(fx->s, "keep", TOKEN_KIND_CONTENT_API, TOKEN_READ_ONLY, 1,
		     NULL);
	store_close(fx->s);
	fx->s = open_store(fx);
	s2 = open_store(fx);
	store_close(s2);
	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 3);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM strapi_api_tokens"),
			 1);
	assert_int_equal(raw_int(fx, "SELECT value FROM tollgate_meta"
				     " WHERE key = 'token_generation'"),
			 1);

	/* the file is in WAL mode */
	if (!on_pg) {
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
		sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
				    "wal");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}

	/* clients */
	o.client = "postgres";
#ifdef TOLLGATE_WITH_POSTGRES
	/* nothing listens on port 1: unavailable, at once */
	o.host = "127.0.0.1";
	o.port = 1;
	assert_int_equal(store_open(&o, &s2, &e), ERR_UNAVAILABLE);
	o.host = NULL;
	o.port = 0;
#else
	assert_int_equal(store_open(&o, &s2, &e), ERR_VALIDATION);
	assert_string_equal(e.msg, "postgres support is not built in");
#endif
	assert_null(s2);
	err_release(&e);
	o.client = "oracle";
	assert_int_equal(store_open(&o, &s2, &e), ERR_VALIDATION);
	o.client = "sqlite";
	o.filename = NULL;
	assert_int_equal(store_open(&o, &s2, &e), ERR_VALIDATION);

	/* a database from a newer build is refused */
	raw_exec(fx, "INSERT INTO tollgate_migrations VALUES(999, 0)");
	o.filename = "db/data.db";
	if (on_pg) {
		o.client = "postgres";
		o.url = pg_url;
		o.schema = fx->schema;
	}
	assert_int_equal(store_open(&o, &s2, &e), ERR_STORAGE);
	assert_null(s2);
	raw_exec(fx, "DELETE FROM tollgate_migrations WHERE version = 999");
	err_release(&e);
}

static void
test_memory_store(void **state)
{
	struct store_options o = {.client = "sqlite", .filename = ":memory:"};
	struct err e = ERR_INIT;
	struct store *m = NULL;
	struct token_row t;
	int64_t n = -1;

	(void)state;
	if (on_pg)
		skip(); /* SQLite only */
	assert_int_equal(store_open(&o, &m, &e), 0);
	insert_token(m, "mem", TOKEN_KIND_CONTENT_API, TOKEN_READ_ONLY, 3,
		     NULL);
	assert_int_equal(store_token_count(m, &n), 0);
	assert_int_equal(n, 1);
	/* after this thread's connection goes, the data stays */
	store_thread_release(m);
	assert_int_equal(store_token_count(m, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(gen_of(m), 1);
	assert_int_equal(store_token_get(m, 1, &t), 0);
	assert_string_equal(t.name, "mem");
	token_row_release(&t);
	store_close(m);
}

/* ---- tokens ---------------------------------------------------------- */

static void
test_token_insert_get(void **state)
{
	static const char *const perms[] = {"api::z.z.find", "api::a.a.find",
					    "api::m.m.create", NULL};
	struct fx *fx = *state;
	struct token_row t, g;
	int64_t n;

	make_token(&t, "first", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM, 7, perms);
	t.encrypted_key = xstrdup("v1:iv:ct:tag");
	t.expires_at = 5000;
	t.lifespan = 4000;
	assert_int_equal(store_token_insert(fx->s, &t), 0);
	assert_int_equal(t.id, 1);

	assert_int_equal(store_token_get(fx->s, t.id, &g), 0);
	assert_int_equal(g.id, t.id);
	assert_string_equal(g.name, "first");
	assert_string_equal(g.description, "desc");
	assert_int_equal(g.kind, TOKEN_KIND_CONTENT_API);
	assert_int_equal(g.type, TOKEN_CUSTOM);
	assert_string_equal(g.access_key, t.access_key);
	assert_string_equal(g.encrypted_key, "v1:iv:ct:tag");
	assert_true(g.last_used_at == TIME_NULL);
	assert_int_equal(g.expires_at, 5000);
	assert_int_equal(g.lifespan, 4000);
	assert_int_equal(g.created_at, 1000);
	assert_int_equal(g.updated_at, 1000);
	assert_int_equal(g.owner_id, 0);
	assert_int_equal(g.n_permissions, 3);
	assert_string_equal(g.permissions[0], "api::a.a.find");
	assert_string_equal(g.permissions[1], "api::m.m.create");
	assert_string_equal(g.permissions[2], "api::z.z.find");
	token_row_release(&g);

	assert_int_equal(store_token_get_by_hash(fx->s, t.access_key, &g), 0);
	assert_int_equal(g.id, t.id);
	assert_int_equal(g.n_permissions, 3);
	token_row_release(&g);

	assert_int_equal(store_token_get(fx->s, 99, &g), ERR_NOT_FOUND);
	assert_int_equal(store_token_get_by_hash(fx->s, "nope", &g),
			 ERR_NOT_FOUND);

	/* the same hash twice is a conflict, and leaves nothing behind */
	token_row_release(&t);
	make_token(&t, "second", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM, 7,
		   perms);
	assert_int_equal(store_token_insert(fx->s, &t), ERR_CONFLICT);
	token_row_release(&t);
	assert_int_equal(store_token_count(fx->s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM"
				     " strapi_api_token_permissions"),
			 3);

	/* unlimited lifespan and no expiry are NULLs; admin with owner */
	make_token(&t, "adm", TOKEN_KIND_ADMIN, TOKEN_FULL_ACCESS, 8, NULL);
	t.owner_id = 42;
	assert_int_equal(store_token_insert(fx->s, &t), 0);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM strapi_api_tokens"
				     " WHERE name = 'adm' AND lifespan IS NULL"
				     " AND expires_at IS NULL"
				     " AND kind = 'admin'"
				     " AND type = 'full-access'"
				     " AND admin_user_owner_id = 42"),
			 1);
	assert_int_equal(store_token_get(fx->s, t.id, &g), 0);
	assert_int_equal(g.kind, TOKEN_KIND_ADMIN);
	assert_int_equal(g.owner_id, 42);
	assert_int_equal(g.lifespan, 0);
	assert_true(g.expires_at == TIME_NULL);
	assert_int_equal(g.n_permissions, 0);
	assert_null(g.encrypted_key);
	token_row_release(&g);
	token_row_release(&t);
}

static void
test_token_list(void **state)
{
	static const char *const p1[] = {"b", "a", NULL};
	static const char *const p2[] = {"c", NULL};
	struct fx *fx = *state;
	struct token_row *rows;
	int64_t beta1, beta2, alpha, Alpha, adm;
	size_t n, i;

	beta1 = insert_token(fx->s, "beta", TOKEN_KIND_CONTENT_API,
			     TOKEN_CUSTOM, 1, p1);
	alpha = insert_token(fx->s, "alpha", TOKEN_KIND_CONTENT_API,
			     TOKEN_READ_ONLY, 2, NULL);
	adm = insert_token(fx->s, "admin one", TOKEN_KIND_ADMIN,
			   TOKEN_FULL_ACCESS, 3, NULL);
	Alpha = insert_token(fx->s, "Alpha", TOKEN_KIND_CONTENT_API,
			     TOKEN_FULL_ACCESS, 4, NULL);
	beta2 = insert_token(fx->s, "beta", TOKEN_KIND_CONTENT_API,
			     TOKEN_CUSTOM, 5, p2);

	assert_int_equal(
	    store_token_list(fx->s, TOKEN_KIND_CONTENT_API, &rows, &n), 0);
	assert_int_equal(n, 4);
	/* binary order: upper case first; equal names by id */
	assert_int_equal(rows[0].id, Alpha);
	assert_int_equal(rows[1].id, alpha);
	assert_int_equal(rows[2].id, beta1);
	assert_int_equal(rows[3].id, beta2);
	assert_int_equal(rows[2].n_permissions, 2);
	assert_string_equal(rows[2].permissions[0], "a");
	assert_string_equal(rows[2].permissions[1], "b");
	assert_int_equal(rows[3].n_permissions, 1);
	assert_string_equal(rows[3].permissions[0], "c");
	assert_int_equal(rows[0].n_permissions, 0);
	for (i = 0; i < n; i++)
		token_row_release(&rows[i]);
	free(rows);

	assert_int_equal(store_token_list(fx->s, TOKEN_KIND_ADMIN, &rows, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, adm);
	token_row_release(&rows[0]);
	free(rows);

	assert_int_equal(store_token_list(fx->s, -1, &rows, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(rows[0].id, Alpha);
	assert_int_equal(rows[1].id, adm); /* "Alpha" < "admin one" < "alpha" */
	for (i = 0; i < n; i++)
		token_row_release(&rows[i]);
	free(rows);

	/* an empty list */
	raw_exec(fx, "DELETE FROM strapi_api_tokens");
	assert_int_equal(store_token_list(fx->s, -1, &rows, &n), 0);
	assert_int_equal(n, 0);
	assert_null(rows);
}

static void
test_token_update(void **state)
{
	static const char *const p1[] = {"x", "y", NULL};
	struct fx *fx = *state;
	struct token_row t, g;
	int64_t id;

	id = insert_token(fx->s, "orig", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM,
			  1, p1);

	/* only the flagged fields change (plus updated_at) */
	make_token(&t, "renamed", TOKEN_KIND_ADMIN, TOKEN_FULL_ACCESS, 9, NULL);
	t.id = id;
	t.updated_at = 2000;
	free(t.description);
	t.description = xstrdup("new desc");
	assert_int_equal(store_token_update(fx->s, &t, TOKEN_UPD_NAME), 0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_string_equal(g.name, "renamed");
	assert_string_equal(g.description, "desc");
	assert_int_equal(g.type, TOKEN_CUSTOM);
	assert_int_equal(g.kind, TOKEN_KIND_CONTENT_API);
	assert_int_equal(g.updated_at, 2000);
	assert_int_equal(g.created_at, 1000);
	assert_int_equal(g.n_permissions, 2);
	token_row_release(&g);

	t.updated_at = 3000;
	t.lifespan = 604800000;
	t.expires_at = 3000 + 604800000LL;
	t.encrypted_key = xstrdup("v1:new");
	assert_int_equal(
	    store_token_update(fx->s, &t,
			       TOKEN_UPD_DESCRIPTION | TOKEN_UPD_TYPE |
				   TOKEN_UPD_LIFESPAN | TOKEN_UPD_KEY),
	    0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_string_equal(g.description, "new desc");
	assert_int_equal(g.type, TOKEN_FULL_ACCESS);
	assert_int_equal(g.lifespan, 604800000);
	assert_int_equal(g.expires_at, 3000 + 604800000LL);
	assert_string_equal(g.access_key, t.access_key);
	assert_string_equal(g.encrypted_key, "v1:new");
	assert_int_equal(g.kind, TOKEN_KIND_CONTENT_API);
	assert_int_equal(g.n_permissions, 2);
	token_row_release(&g);

	/* the permission set is replaced; lifespan back to unlimited */
	t.permissions = xcalloc(2, sizeof(*t.permissions));
	t.permissions[0] = xstrdup("z");
	t.permissions[1] = xstrdup("a");
	t.n_permissions = 2;
	t.lifespan = 0;
	t.expires_at = TIME_NULL;
	t.updated_at = 4000;
	assert_int_equal(store_token_update(fx->s, &t,
					    TOKEN_UPD_PERMISSIONS |
						TOKEN_UPD_LIFESPAN |
						TOKEN_UPD_KIND),
			 0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_int_equal(g.n_permissions, 2);
	assert_string_equal(g.permissions[0], "a");
	assert_string_equal(g.permissions[1], "z");
	assert_int_equal(g.lifespan, 0);
	assert_true(g.expires_at == TIME_NULL);
	assert_int_equal(g.kind, TOKEN_KIND_ADMIN);
	assert_int_equal(g.updated_at, 4000);
	token_row_release(&g);

	/* an update inside an outer transaction nests and rolls back */
	assert_int_equal(store_begin(fx->s), 0);
	t.updated_at = 5000;
	assert_int_equal(store_token_update(
			     fx->s, &t, TOKEN_UPD_PERMISSIONS | TOKEN_UPD_NAME),
			 0);
	free(t.name);
	t.name = xstrdup("in tx");
	assert_int_equal(store_token_update(fx->s, &t, TOKEN_UPD_NAME), 0);
	assert_int_equal(store_rollback(fx->s), 0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_string_equal(g.name, "renamed");
	assert_int_equal(g.updated_at, 4000);
	token_row_release(&g);

	t.id = 999;
	assert_int_equal(store_token_update(fx->s, &t, TOKEN_UPD_NAME),
			 ERR_NOT_FOUND);
	token_row_release(&t);
}

static void
test_token_delete(void **state)
{
	static const char *const p[] = {"a", "b", NULL};
	struct fx *fx = *state;
	struct token_row g;
	int64_t id, other;

	id = insert_token(fx->s, "gone", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM,
			  1, p);
	other = insert_token(fx->s, "stays", TOKEN_KIND_CONTENT_API,
			     TOKEN_CUSTOM, 2, p);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM"
				     " strapi_api_token_permissions"),
			 4);
	assert_int_equal(store_token_delete(fx->s, id), 0);
	assert_int_equal(store_token_get(fx->s, id, &g), ERR_NOT_FOUND);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM"
				     " strapi_api_token_permissions"),
			 2);
	assert_int_equal(store_token_delete(fx->s, id), ERR_NOT_FOUND);
	assert_int_equal(store_token_get(fx->s, other, &g), 0);
	assert_int_equal(g.n_permissions, 2);
	token_row_release(&g);
}

static void
test_token_touch(void **state)
{
	const int64_t hour = 3600000;
	struct fx *fx = *state;
	struct token_row g;
	int64_t id;

	id = insert_token(fx->s, "t", TOKEN_KIND_CONTENT_API, TOKEN_READ_ONLY,
			  1, NULL);
	assert_int_equal(store_token_touch(fx->s, id, 10000, hour), 0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_int_equal(g.last_used_at, 10000);
	assert_int_equal(g.updated_at, 10000);
	token_row_release(&g);

	/* too recent: unchanged */
	assert_int_equal(store_token_touch(fx->s, id, 10000 + hour - 1, hour),
			 0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_int_equal(g.last_used_at, 10000);
	token_row_release(&g);

	/* exactly min_age old: written */
	assert_int_equal(store_token_touch(fx->s, id, 10000 + hour, hour), 0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_int_equal(g.last_used_at, 10000 + hour);
	assert_int_equal(g.updated_at, 10000 + hour);
	token_row_release(&g);

	/* a missing token is not an error */
	assert_int_equal(store_token_touch(fx->s, 999, 1, hour), 0);
}

static void
test_token_name_taken(void **state)
{
	struct fx *fx = *state;
	int64_t dup, adm;
	bool taken;

	dup = insert_token(fx->s, "dup", TOKEN_KIND_CONTENT_API,
			   TOKEN_READ_ONLY, 1, NULL);
	adm = insert_token(fx->s, "adm", TOKEN_KIND_ADMIN, TOKEN_FULL_ACCESS, 2,
			   NULL);

	assert_int_equal(store_token_name_taken(fx->s, "dup", 0,
						TOKEN_KIND_CONTENT_API, &taken),
			 0);
	assert_true(taken);
	assert_int_equal(
	    store_token_name_taken(fx->s, "dup", 0, TOKEN_KIND_ADMIN, &taken),
	    0);
	assert_false(taken);
	assert_int_equal(store_token_name_taken(fx->s, "dup", 0, -1, &taken),
			 0);
	assert_true(taken);
	assert_int_equal(store_token_name_taken(fx->s, "dup", dup,
						TOKEN_KIND_CONTENT_API, &taken),
			 0);
	assert_false(taken);
	assert_int_equal(store_token_name_taken(fx->s, "DUP", 0, -1, &taken),
			 0);
	assert_false(taken);
	assert_int_equal(
	    store_token_name_taken(fx->s, "adm", 0, TOKEN_KIND_ADMIN, &taken),
	    0);
	assert_true(taken);
	assert_int_equal(store_token_name_taken(fx->s, "adm", adm, -1, &taken),
			 0);
	assert_false(taken);

	/* rows from before kinds existed (NULL kind) are content-API tokens */
	raw_exec(fx, "INSERT INTO strapi_api_tokens(name, access_key, kind,"
		     " created_at, updated_at)"
		     " VALUES('legacy', 'legacyhash', NULL, 1, 1)");
	assert_int_equal(store_token_name_taken(fx->s, "legacy", 0,
						TOKEN_KIND_CONTENT_API, &taken),
			 0);
	assert_true(taken);
	assert_int_equal(store_token_name_taken(fx->s, "legacy", 0,
						TOKEN_KIND_ADMIN, &taken),
			 0);
	assert_false(taken);
	{
		struct token_row g;

		assert_int_equal(
		    store_token_get_by_hash(fx->s, "legacyhash", &g), 0);
		assert_int_equal(g.kind, TOKEN_KIND_CONTENT_API);
		assert_int_equal(g.type, TOKEN_READ_ONLY);
		assert_string_equal(g.description, "");
		token_row_release(&g);
	}
}

static void
test_token_generation(void **state)
{
	static const char *const p[] = {"a", NULL};
	struct fx *fx = *state;
	struct store *other;
	struct token_row t;
	uint64_t g0, g1, g2, g3;
	int64_t id;

	g0 = gen_of(fx->s);
	assert_int_equal(gen_of(fx->s), g0); /* stable */

	id = insert_token(fx->s, "gen", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM, 1,
			  p);
	g1 = gen_of(fx->s);
	assert_true(g1 > g0);

	/* another handle (another connection) sees the same value */
	other = open_store(fx);
	assert_int_equal(gen_of(other), g1);

	/* a touch moves nothing */
	assert_int_equal(store_token_touch(fx->s, id, 50000, 1), 0);
	assert_int_equal(gen_of(fx->s), g1);
	assert_int_equal(gen_of(other), g1);

	/* a change through the other handle is seen here */
	make_token(&t, "gen2", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM, 1, NULL);
	t.id = id;
	t.updated_at = 60000;
	assert_int_equal(store_token_update(other, &t, TOKEN_UPD_NAME), 0);
	g2 = gen_until(fx->s, g1, true);
	assert_true(g2 > g1);
	assert_int_equal(gen_of(other), g2);

	/* permissions alone move it */
	assert_int_equal(store_token_update(other, &t, TOKEN_UPD_PERMISSIONS),
			 0);
	g3 = gen_until(fx->s, g2, true);
	assert_true(g3 > g2);
	token_row_release(&t);

	/* a person editing expires_at in the sqlite3 shell */
	raw_exec(fx, "UPDATE strapi_api_tokens SET expires_at = 1");
	g1 = gen_until(fx->s, g3, true);
	assert_true(g1 > g3);
	assert_int_equal(gen_until(other, g1, false), g1);
	/* ... or only last_used_at: no move */
	raw_exec(fx, "UPDATE strapi_api_tokens SET last_used_at = 7,"
		     " updated_at = 7");
	usleep(WATCH_US); /* the watcher had time to look */
	assert_int_equal(gen_of(fx->s), g1);

	/* a rolled back change leaves it where it was */
	assert_int_equal(store_begin(fx->s), 0);
	insert_token(fx->s, "tx", TOKEN_KIND_CONTENT_API, TOKEN_READ_ONLY, 2,
		     NULL);
	assert_true(gen_of(fx->s) > g1);
	assert_int_equal(store_rollback(fx->s), 0);
	assert_int_equal(gen_of(fx->s), g1);
	assert_int_equal(gen_of(other), g1);

	/* delete */
	assert_int_equal(store_token_delete(other, id), 0);
	g2 = gen_until(fx->s, g1, true);
	assert_true(g2 > g1);
	store_close(other);
}

static void
test_token_prune(void **state)
{
	static const char *const p[] = {"api::post.post.find",
					"api::gone.gone.find",
					"api::product.product.find", NULL};
	static const char *const q[] = {"api::gone.gone.find",
					"api::other.other.delete", NULL};
	struct fx *fx = *state;
	struct token_row g;
	int64_t id, removed = -1;
	uint64_t g0;

	id = insert_token(fx->s, "p", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM, 1,
			  p);
	insert_token(fx->s, "q", TOKEN_KIND_CONTENT_API, TOKEN_CUSTOM, 2, q);
	g0 = gen_of(fx->s);
	assert_int_equal(
	    store_token_prune_permissions(fx->s, &fx->reg, &removed), 0);
	assert_int_equal(removed, 3);
	assert_true(gen_of(fx->s) > g0);
	assert_int_equal(store_token_get(fx->s, id, &g), 0);
	assert_int_equal(g.n_permissions, 2);
	assert_string_equal(g.permissions[0], "api::post.post.find");
	assert_string_equal(g.permissions[1], "api::product.product.find");
	token_row_release(&g);

	g0 = gen_of(fx->s);
	assert_int_equal(
	    store_token_prune_permissions(fx->s, &fx->reg, &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(gen_of(fx->s), g0);
}

static void
test_meta_and_counts(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	int64_t n = -1;

	assert_int_equal(store_meta_get(fx->s, "missing", &v), 0);
	assert_null(v);
	assert_int_equal(store_meta_set(fx->s, "k", "one"), 0);
	assert_int_equal(store_meta_set(fx->s, "k", "two"), 0);
	assert_int_equal(store_meta_get(fx->s, "k", &v), 0);
	assert_string_equal(v, "two");
	free(v);

	assert_int_equal(store_admin_user_count(fx->s, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_count(fx->s, &n), 0);
	assert_int_equal(n, 0);
	insert_token(fx->s, "a", TOKEN_KIND_CONTENT_API, TOKEN_READ_ONLY, 1,
		     NULL);
	insert_token(fx->s, "b", TOKEN_KIND_ADMIN, TOKEN_READ_ONLY, 2, NULL);
	assert_int_equal(store_token_count(fx->s, &n), 0);
	assert_int_equal(n, 2);
}

/* ---- threads --------------------------------------------------------- */

struct worker {
	struct store *s;
	int base;
	int failures;
	uint64_t last_gen;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct token_row t, g;
	char name[32];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "w%d-%d", w->base, i);
		make_token(&t, name, TOKEN_KIND_CONTENT_API, TOKEN_READ_ONLY,
			   w->base * 100 + i, NULL);
		if (store_token_insert(w->s, &t))
			w->failures++;
		else if (store_token_get_by_hash(w->s, t.access_key, &g))
			w->failures++;
		else
			token_row_release(&g);
		token_row_release(&t);
		if (store_token_generation(w->s, &w->last_gen))
			w->failures++;
	}
	store_thread_release(w->s);
	return NULL;
}

static void
test_threads(void **state)
{
	struct fx *fx = *state;
	struct worker w[4];
	pthread_t th[4];
	int64_t n;
	size_t i;

	for (i = 0; i < 4; i++) {
		w[i].s = fx->s;
		w[i].base = (int)i + 1;
		w[i].failures = 0;
		assert_int_equal(
		    pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(store_token_count(fx->s, &n), 0);
	assert_int_equal(n, 80);
	assert_int_equal(gen_of(fx->s), 80);
}

/* ---- content --------------------------------------------------------- */

static const struct content_type *
products(const struct fx *fx)
{
	return &fx->reg.types[1];
}

static const struct content_type *
posts(const struct fx *fx)
{
	return &fx->reg.types[0];
}

static struct sqlval
T(const char *s) {
	struct sqlval v = {SV_TEXT, 0, 0, xstrdup(s)};

	return v;
}

static struct sqlval
I(int64_t i) {
	struct sqlval v = {SV_INT, i, 0, NULL};

	return v;
}

static struct sqlval
R(double d) {
	struct sqlval v = {SV_REAL, 0, d, NULL};

	return v;
}

static void
release_vals(struct sqlval *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sqlval_release(&v[i]);
}

/* Insert a product; stock < 0 and desc NULL store NULLs. */
static int64_t
add_product(struct fx *fx, const char *doc, const char *name, int64_t stock,
	    const char *desc, double price)
{
	const struct content_type *ct = products(fx);
	struct sqlval v[16];
	bool present[16];
	int64_t id = 0;
	size_t i;

	memset(v, 0, sizeof(v));
	memset(present, 0, sizeof(present));
	v[C_DOC] = T(doc);
	v[P_NAME] = T(name);
	if (stock >= 0)
		v[P_STOCK] = I(stock);
	if (desc)
		v[P_DESC] = T(desc);
	v[P_PRICE].kind = SV_REAL;
	v[P_PRICE].d = price;
	v[P_CREATED].kind = SV_INT;
	v[P_CREATED].i = 1000;
	v[P_UPDATED].kind = SV_INT;
	v[P_UPDATED].i = 1000;
	v[P_PUBLISHED].kind = SV_INT;
	v[P_PUBLISHED].i = 1000;
	for (i = 1; i < ct->n_fields; i++)
		present[i] = true;
	assert_int_equal(store_content_insert(fx->s, ct, v, present, &id), 0);
	assert_true(id > 0);
	release_vals(v, ARRAY_SIZE(v));
	return id;
}

/* The spec's product data set (strapi-content-api.md section 5). */
static void
add_fruit(struct fx *fx)
{
	add_product(fx, "docapple", "Apple", 10, "Red fruit", 1.5);
	add_product(fx, "docbanana", "banana", 20, "yellow FRUIT", 0.25);
	add_product(fx, "doccherry", "Cherry", 30, NULL, 3);
	add_product(fx, "docdate", "date", -1, "Dried fruit", 2);
	add_product(fx, "docelder", "Elderberry", 0, "Berry 100%", 5);
}

static struct filter *
fcond(const struct field *f, enum filter_op op, int n, ...)
{
	struct filter *c = xcalloc(1, sizeof(*c));
	va_list ap;
	int i;

	c->kind = FILTER_COND;
	c->field = f;
	c->op = op;
	c->n_values = (size_t)n;
	c->values = xcalloc((size_t)n + 1, sizeof(*c->values));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		c->values[i] = va_arg(ap, struct sqlval);
	va_end(ap);
	return c;
}

static struct filter *
fgroup(enum filter_kind kind, int n, ...)
{
	struct filter *g = xcalloc(1, sizeof(*g));
	va_list ap;
	int i;

	g->kind = kind;
	g->n_children = (size_t)n;
	g->children = xcalloc((size_t)n + 1, sizeof(*g->children));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		g->children[i] = va_arg(ap, struct filter *);
	va_end(ap);
	return g;
}

static void
ffree(struct filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n_children; i++)
		ffree(f->children[i]);
	free(f->children);
	for (i = 0; i < f->n_values; i++)
		sqlval_release(&f->values[i]);
	free(f->values);
	free(f);
}

static void
query_offset_init(struct query *q, int64_t start, int64_t limit)
{
	memset(q, 0, sizeof(*q));
	q->pg.offset_mode = true;
	q->pg.start = start;
	q->pg.limit = limit;
	q->pg.with_count = true;
	q->has_published = -1;
}

/*
 * Run 'f' (consumed) over the products and compare the names, in order,
 * with the NULL-terminated list in the arguments.
 */
static void
expect_names(struct fx *fx, struct filter *f, ...)
{
	const struct content_type *ct = products(fx);
	struct store_rows rows;
	struct err e = ERR_INIT;
	struct query q;
	const char *name;
	int64_t total = -1;
	size_t i = 0;
	va_list ap;

	query_offset_init(&q, 0, 100);
	q.filter = f;
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, &total, &e), 0);
	va_start(ap, f);
	while ((name = va_arg(ap, const char *))) {
		assert_true(i < rows.n_rows);
		assert_string_equal(store_rows_at(&rows, i, P_NAME)->s, name);
		i++;
	}
	va_end(ap);
	assert_int_equal(rows.n_rows, i);
	assert_int_equal(total, (int64_t)i);
	store_rows_release(&rows);
	ffree(f);
}

static void
test_content_filters(void **state)
{
	struct fx *fx = *state;
	const struct field *name = &products(fx)->fields[P_NAME];
	const struct field *stock = &products(fx)->fields[P_STOCK];
	const struct field *desc = &products(fx)->fields[P_DESC];
	const struct field *price = &products(fx)->fields[P_PRICE];
	struct filter *f;

	add_fruit(fx);
	expect_names(fx, NULL, "Apple", "banana", "Cherry", "date",
		     "Elderberry", NULL);
	expect_names(fx, fcond(name, OP_EQ, 1, T("Apple")), "Apple", NULL);
	expect_names(fx, fcond(name, OP_EQ, 1, T("apple")), NULL);
	expect_names(fx, fcond(name, OP_EQ, 2, T("Apple"), T("date")), "Apple",
		     "date", NULL);
	expect_names(fx, fcond(name, OP_EQI, 1, T("apple")), "Apple", NULL);
	expect_names(fx, fcond(stock, OP_NE, 1, I(10)), "banana", "Cherry",
		     "Elderberry", NULL);
	expect_names(fx, fcond(name, OP_NEI, 1, T("apple")), "banana", "Cherry",
		     "date", "Elderberry", NULL);
	expect_names(fx, fcond(stock, OP_LT, 1, I(20)), "Apple", "Elderberry",
		     NULL);
	expect_names(fx, fcond(stock, OP_GTE, 1, I(20)), "banana", "Cherry",
		     NULL);
	expect_names(fx, fcond(stock, OP_IN, 2, I(10), I(30)), "Apple",
		     "Cherry", NULL);
	expect_names(fx, fcond(stock, OP_NOTIN, 2, I(10), I(30)), "banana",
		     "Elderberry", NULL);
	expect_names(fx, fcond(name, OP_CONTAINS, 1, T("an")), "banana", NULL);
	/* SQLite's LIKE ignores ASCII case, as Strapi on SQLite shows */
	expect_names(fx, fcond(name, OP_CONTAINS, 1, T("AN")), "banana", NULL);
	expect_names(fx, fcond(desc, OP_NOTCONTAINS, 1, T("Berry")), "Apple",
		     "banana", "date", NULL);
	expect_names(fx, fcond(desc, OP_CONTAINSI, 1, T("FRUIT")), "Apple",
		     "banana", "date", NULL);
	expect_names(fx, fcond(desc, OP_NOTCONTAINSI, 1, T("fruit")),
		     "Elderberry", NULL);
	expect_names(fx, fcond(name, OP_STARTSWITH, 1, T("a")), "Apple", NULL);
	expect_names(fx, fcond(name, OP_STARTSWITHI, 1, T("a")), "Apple", NULL);
	expect_names(fx, fcond(name, OP_ENDSWITH, 1, T("y")), "Cherry",
		     "Elderberry", NULL);
	expect_names(fx, fcond(name, OP_ENDSWITHI, 1, T("Y")), "Cherry",
		     "Elderberry", NULL);
	/* wildcards in values match literally */
	expect_names(fx, fcond(desc, OP_CONTAINS, 1, T("%")), "Elderberry",
		     NULL);
	expect_names(fx, fcond(desc, OP_CONTAINS, 1, T("_")), NULL);
	expect_names(fx, fcond(desc, OP_CONTAINS, 1, T("0%")), "Elderberry",
		     NULL);

	f = fcond(desc, OP_NULL, 0);
	f->flag = true;
	expect_names(fx, f, "Cherry", NULL);
	f = fcond(stock, OP_NOTNULL, 0);
	f->flag = false;
	expect_names(fx, f, "date", NULL);
	expect_names(fx, fcond(stock, OP_BETWEEN, 2, I(10), I(20)), "Apple",
		     "banana", NULL);
	expect_names(fx,
		     fgroup(FILTER_OR, 2, fcond(name, OP_EQ, 1, T("Apple")),
			    fcond(stock, OP_GTE, 1, I(30))),
		     "Apple", "Cherry", NULL);
	expect_names(fx,
		     fgroup(FILTER_NOT, 1, fcond(name, OP_EQ, 1, T("Apple"))),
		     "banana", "Cherry", "date", "Elderberry", NULL);
	expect_names(fx,
		     fgroup(FILTER_AND, 2, fcond(stock, OP_GT, 1, I(0)),
			    fcond(desc, OP_CONTAINSI, 1, T("fruit"))),
		     "Apple", "banana", NULL);

	/*
	 * Text operators on numbers see SQLite's text form of them, and a
	 * value of another kind than its column is no error, on every
	 * backend (PostgreSQL would refuse both as written for SQLite).
	 */
	expect_names(fx, fcond(stock, OP_CONTAINS, 1, T("0")), "Apple",
		     "banana", "Cherry", "Elderberry", NULL);
	expect_names(fx, fcond(price, OP_CONTAINS, 1, T(".0")), "Cherry",
		     "date", "Elderberry", NULL);
	expect_names(fx, fcond(price, OP_STARTSWITH, 1, T("0.2")), "banana",
		     NULL);
	expect_names(fx, fcond(price, OP_NOTCONTAINSI, 1, T(".")), NULL);
	expect_names(fx, fcond(stock, OP_EQI, 1, T("10")), "Apple", NULL);
	expect_names(fx, fcond(price, OP_EQI, 1, T("3.0")), "Cherry", NULL);
	expect_names(fx, fcond(stock, OP_EQ, 1, T("10")), "Apple", NULL);
	expect_names(fx, fcond(stock, OP_EQ, 1, T("ten")), NULL);
	expect_names(fx, fcond(stock, OP_IN, 2, T("20"), I(30)), "banana",
		     "Cherry", NULL);
	expect_names(fx, fcond(name, OP_EQ, 1, I(5)), NULL);
	expect_names(fx, fcond(price, OP_GT, 1, I(2)), "Cherry",
		     "Elderberry", NULL);
	expect_names(fx, fcond(stock, OP_LT, 1, R(10.5)), "Apple",
		     "Elderberry", NULL);
	/* bytes that are not UTF-8 match nothing, and fail nothing */
	expect_names(fx, fcond(name, OP_EQ, 1, T("\xff")), NULL);
	expect_names(fx, fcond(desc, OP_CONTAINS, 1, T("fr\xc3uit")), NULL);
	/* case folding is ASCII only, as SQLite's */
	expect_names(fx, fcond(name, OP_EQI, 1, T("\xc3\x89lderberry")), NULL);

	/* an injection attempt is only a value */
	expect_names(fx, fcond(name, OP_EQ, 1, T("x' OR '1'='1")), NULL);
	expect_names(
	    fx, fcond(name, OP_CONTAINS, 1, T("'); DROP TABLE products; --")),
	    NULL);
	expect_names(fx, NULL, "Apple", "banana", "Cherry", "date",
		     "Elderberry", NULL);
}

static void
test_content_sort_page(void **state)
{
	struct fx *fx = *state;
	const struct content_type *ct = products(fx);
	struct sort_key by_name[] = {{&ct->fields[P_NAME], false}};
	struct sort_key by_stock[] = {{&ct->fields[P_STOCK], true}};
	struct store_rows rows;
	struct err e = ERR_INIT;
	struct query q;
	int64_t total;
	const struct sqlval *v;

	add_fruit(fx);
	query_offset_init(&q, 0, 100);
	q.sort = by_name;
	q.n_sort = 1;
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, NULL, &e), 0);
	assert_int_equal(rows.n_rows, 5);
	assert_int_equal(rows.n_cols, ct->n_fields);
	assert_string_equal(store_rows_at(&rows, 0, P_NAME)->s, "Apple");
	assert_string_equal(store_rows_at(&rows, 1, P_NAME)->s, "Cherry");
	assert_string_equal(store_rows_at(&rows, 2, P_NAME)->s, "Elderberry");
	assert_string_equal(store_rows_at(&rows, 3, P_NAME)->s, "banana");
	assert_string_equal(store_rows_at(&rows, 4, P_NAME)->s, "date");
	store_rows_release(&rows);

	/* desc: NULL last on SQLite */
	q.sort = by_stock;
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, NULL, &e), 0);
	assert_string_equal(store_rows_at(&rows, 0, P_NAME)->s, "Cherry");
	assert_string_equal(store_rows_at(&rows, 3, P_NAME)->s, "Elderberry");
	assert_string_equal(store_rows_at(&rows, 4, P_NAME)->s, "date");
	assert_int_equal(store_rows_at(&rows, 4, P_STOCK)->kind, SV_NULL);
	store_rows_release(&rows);

	/* page: rows 2-3 of 5 by id */
	query_offset_init(&q, 1, 2);
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, &total, &e), 0);
	assert_int_equal(rows.n_rows, 2);
	assert_int_equal(total, 5);
	assert_string_equal(store_rows_at(&rows, 0, P_NAME)->s, "banana");
	assert_string_equal(store_rows_at(&rows, 1, P_NAME)->s, "Cherry");
	/* values come back by declared type */
	v = store_rows_at(&rows, 0, C_ID);
	assert_int_equal(v->kind, SV_INT);
	assert_int_equal(v->i, 2);
	v = store_rows_at(&rows, 0, C_DOC);
	assert_int_equal(v->kind, SV_TEXT);
	assert_string_equal(v->s, "docbanana");
	v = store_rows_at(&rows, 0, P_PRICE);
	assert_int_equal(v->kind, SV_REAL);
	assert_true(v->d == 0.25);
	v = store_rows_at(&rows, 1, P_PRICE); /* stored from an integer */
	assert_int_equal(v->kind, SV_REAL);
	assert_true(v->d == 3.0);
	v = store_rows_at(&rows, 1, P_DESC);
	assert_int_equal(v->kind, SV_NULL);
	v = store_rows_at(&rows, 1, P_REL);
	assert_int_equal(v->kind, SV_NULL);
	v = store_rows_at(&rows, 1, P_PUBLISHED);
	assert_int_equal(v->kind, SV_INT);
	assert_int_equal(v->i, 1000);
	store_rows_release(&rows);

	/* past the end: no rows, total still counted */
	query_offset_init(&q, 10, 2);
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, &total, &e), 0);
	assert_int_equal(rows.n_rows, 0);
	assert_int_equal(total, 5);
	store_rows_release(&rows);

	/* total counts all matches, not the page */
	query_offset_init(&q, 0, 1);
	q.filter = fcond(&ct->fields[P_STOCK], OP_GTE, 1, I(10));
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, &total, &e), 0);
	assert_int_equal(rows.n_rows, 1);
	assert_int_equal(total, 3);
	store_rows_release(&rows);
	ffree(q.filter);
	err_release(&e);
}

static void
add_post(struct fx *fx, const char *doc, const char *title, int64_t rating,
	 int64_t published_at)
{
	const struct content_type *ct = posts(fx);
	struct sqlval v[8];
	bool present[8];
	int64_t id;
	size_t i;

	memset(v, 0, sizeof(v));
	memset(present, 0, sizeof(present));
	v[C_DOC] = T(doc);
	v[T_TITLE] = T(title);
	v[T_RATING].kind = SV_INT;
	v[T_RATING].i = rating;
	v[T_CREATED].kind = SV_INT;
	v[T_CREATED].i = 1;
	v[T_UPDATED].kind = SV_INT;
	v[T_UPDATED].i = 1;
	if (published_at) {
		v[T_PUBLISHED].kind = SV_INT;
		v[T_PUBLISHED].i = published_at;
	}
	for (i = 1; i < ct->n_fields; i++)
		present[i] = true;
	assert_int_equal(store_content_insert(fx->s, ct, v, present, &id), 0);
	release_vals(v, ARRAY_SIZE(v));
}

static size_t
count_posts(struct fx *fx, enum pub_filter pub, int has_published,
	    const char *first_title)
{
	const struct content_type *ct = posts(fx);
	struct store_rows rows;
	struct err e = ERR_INIT;
	struct query q;
	int64_t total;
	size_t n;

	query_offset_init(&q, 0, 100);
	q.has_published = has_published;
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, pub, &rows, &total, &e), 0);
	n = rows.n_rows;
	assert_int_equal(total, (int64_t)n);
	if (first_title) {
		assert_true(n > 0);
		assert_string_equal(store_rows_at(&rows, 0, T_TITLE)->s,
				    first_title);
	}
	store_rows_release(&rows);
	return n;
}

static void
test_content_draft_publish(void **state)
{
	struct fx *fx = *state;
	const struct content_type *ct = posts(fx);
	struct store_rows rows;
	struct filter *f;

	add_post(fx, "docA", "A draft", 1, 0);
	add_post(fx, "docA", "A live", 1, 5000);
	add_post(fx, "docB", "B draft", 2, 0);

	assert_int_equal(count_posts(fx, PUB_PUBLISHED, -1, "A live"), 1);
	assert_int_equal(count_posts(fx, PUB_DRAFT, -1, "A draft"), 2);
	assert_int_equal(count_posts(fx, PUB_ANY, -1, "A draft"), 3);
	assert_int_equal(count_posts(fx, PUB_DRAFT, 1, "A draft"), 1);
	assert_int_equal(count_posts(fx, PUB_DRAFT, 0, "B draft"), 1);
	/* hasPublishedVersion only applies to drafts */
	assert_int_equal(count_posts(fx, PUB_PUBLISHED, 0, "A live"), 1);

	assert_int_equal(
	    store_content_get(fx->s, ct, "docA", NULL, PUB_PUBLISHED, &rows),
	    0);
	assert_int_equal(rows.n_rows, 1);
	assert_string_equal(store_rows_at(&rows, 0, T_TITLE)->s, "A live");
	assert_int_equal(store_rows_at(&rows, 0, T_PUBLISHED)->i, 5000);
	store_rows_release(&rows);
	assert_int_equal(
	    store_content_get(fx->s, ct, "docA", NULL, PUB_DRAFT, &rows), 0);
	assert_int_equal(rows.n_rows, 1);
	assert_string_equal(store_rows_at(&rows, 0, T_TITLE)->s, "A draft");
	assert_int_equal(store_rows_at(&rows, 0, T_PUBLISHED)->kind, SV_NULL);
	store_rows_release(&rows);
	assert_int_equal(
	    store_content_get(fx->s, ct, "docB", NULL, PUB_PUBLISHED, &rows),
	    0);
	assert_int_equal(rows.n_rows, 0);
	store_rows_release(&rows);

	/* the extra filter must also match */
	f = fcond(&ct->fields[T_RATING], OP_EQ, 1, I(2));
	assert_int_equal(
	    store_content_get(fx->s, ct, "docB", f, PUB_DRAFT, &rows), 0);
	assert_int_equal(rows.n_rows, 1);
	store_rows_release(&rows);
	assert_int_equal(
	    store_content_get(fx->s, ct, "docA", f, PUB_DRAFT, &rows), 0);
	assert_int_equal(rows.n_rows, 0);
	store_rows_release(&rows);
	ffree(f);

	/* unique values: drafts are compared with drafts */
	{
		struct sqlval live = T("A live"), draft = T("A draft");
		const struct field *title = &ct->fields[T_TITLE];
		bool taken = true;

		assert_int_equal(store_content_unique_taken(
				     fx->s, ct, title, &live, "docX", &taken),
				 0);
		assert_false(taken);
		assert_int_equal(store_content_unique_taken(
				     fx->s, ct, title, &draft, "docX", &taken),
				 0);
		assert_true(taken);
		assert_int_equal(store_content_unique_taken(
				     fx->s, ct, title, &draft, "docA", &taken),
				 0);
		assert_false(taken);
		sqlval_release(&live);
		sqlval_release(&draft);
	}

	/* republish: drop the published version only */
	assert_int_equal(
	    store_content_delete_document(fx->s, ct, "docA", PUB_PUBLISHED), 0);
	assert_int_equal(count_posts(fx, PUB_PUBLISHED, -1, NULL), 0);
	assert_int_equal(count_posts(fx, PUB_DRAFT, -1, "A draft"), 2);
	/* nothing to delete is not an error */
	assert_int_equal(
	    store_content_delete_document(fx->s, ct, "docA", PUB_PUBLISHED), 0);
	assert_int_equal(
	    store_content_delete_document(fx->s, ct, "docA", PUB_ANY), 0);
	assert_int_equal(count_posts(fx, PUB_ANY, -1, "B draft"), 1);
}

static void
test_content_get_update_delete(void **state)
{
	struct fx *fx = *state;
	const struct content_type *ct = products(fx);
	const struct field *name = &ct->fields[P_NAME];
	struct sqlval v[16];
	bool present[16];
	struct store_rows rows;
	struct sqlval apple = T("Apple"), nothing = {SV_NULL, 0, 0, NULL};
	int64_t id;
	bool taken;

	add_fruit(fx);

	assert_int_equal(
	    store_content_get(fx->s, ct, "docapple", NULL, PUB_ANY, &rows), 0);
	assert_int_equal(rows.n_rows, 1);
	id = store_rows_at(&rows, 0, C_ID)->i;
	assert_string_equal(store_rows_at(&rows, 0, P_NAME)->s, "Apple");
	store_rows_release(&rows);
	assert_int_equal(
	    store_content_get(fx->s, ct, "nope", NULL, PUB_ANY, &rows), 0);
	assert_int_equal(rows.n_rows, 0);
	store_rows_release(&rows);

	assert_int_equal(store_content_get_id(fx->s, ct, id, &rows), 0);
	assert_int_equal(rows.n_rows, 1);
	assert_string_equal(store_rows_at(&rows, 0, C_DOC)->s, "docapple");
	store_rows_release(&rows);

	/* unique checks */
	assert_int_equal(store_content_unique_taken(fx->s, ct, name, &apple,
						    "docbanana", &taken),
			 0);
	assert_true(taken);
	assert_int_equal(store_content_unique_taken(fx->s, ct, name, &apple,
						    "docapple", &taken),
			 0);
	assert_false(taken);
	assert_int_equal(
	    store_content_unique_taken(fx->s, ct, name, &apple, NULL, &taken),
	    0);
	assert_true(taken);
	assert_int_equal(
	    store_content_unique_taken(fx->s, ct, name, &nothing, NULL, &taken),
	    0);
	assert_false(taken);
	sqlval_release(&apple);

	/* update only the present fields */
	memset(v, 0, sizeof(v));
	memset(present, 0, sizeof(present));
	v[P_STOCK].kind = SV_INT;
	v[P_STOCK].i = 77;
	present[P_STOCK] = true;
	v[P_DESC].kind = SV_NULL;
	present[P_DESC] = true;
	assert_int_equal(store_content_update(fx->s, ct, id, v, present), 0);
	assert_int_equal(store_content_get_id(fx->s, ct, id, &rows), 0);
	assert_int_equal(store_rows_at(&rows, 0, P_STOCK)->i, 77);
	assert_int_equal(store_rows_at(&rows, 0, P_DESC)->kind, SV_NULL);
	assert_string_equal(store_rows_at(&rows, 0, P_NAME)->s, "Apple");
	store_rows_release(&rows);
	assert_int_equal(store_content_update(fx->s, ct, 999, v, present),
			 ERR_NOT_FOUND);

	assert_int_equal(store_content_delete_id(fx->s, ct, id), 0);
	assert_int_equal(store_content_get_id(fx->s, ct, id, &rows), 0);
	assert_int_equal(rows.n_rows, 0);
	store_rows_release(&rows);
	assert_int_equal(store_content_delete_id(fx->s, ct, id), ERR_NOT_FOUND);
}

static void
test_content_schema_evolves(void **state)
{
	struct fx *fx = *state;
	struct schema_registry v2;
	struct err e = ERR_INIT;
	struct store_rows rows;
	const struct content_type *ct;
	struct sqlval v[16];
	bool present[16];
	int64_t id;

	add_product(fx, "d1", "Old", 1, NULL, 1);
	/* idempotent */
	assert_int_equal(store_sync_schema(fx->s, &fx->reg, &e), 0);

	build_registry(&v2, true);
	assert_int_equal(store_sync_schema(fx->s, &v2, &e), 0);
	assert_int_equal(store_sync_schema(fx->s, &v2, &e), 0);
	ct = &v2.types[1];
	assert_int_equal(raw_int(fx, BK("SELECT COUNT(*) FROM"
					" pragma_table_info('products')"
					" WHERE name = 'colour'",
					"SELECT COUNT(*) FROM"
					" information_schema.columns WHERE"
					" table_schema = current_schema()"
					" AND table_name = 'products'"
					" AND column_name = 'colour'")),
			 1);
	/* documents, name (unique), stock, price, release_date, colour; not
	 * the text column description (nor PostgreSQL's primary key) */
	assert_int_equal(raw_int(fx, BK("SELECT COUNT(*) FROM sqlite_master"
					" WHERE type = 'index'"
					" AND tbl_name = 'products'",
					"SELECT COUNT(*) FROM pg_indexes"
					" WHERE schemaname = current_schema()"
					" AND tablename = 'products'"
					" AND indexname <> 'products_pkey'")),
			 6);
	assert_int_equal(raw_int(fx, BK("SELECT COUNT(*) FROM sqlite_master"
					" WHERE type = 'index'"
					" AND name = 'products_colour_idx'",
					"SELECT COUNT(*) FROM pg_indexes"
					" WHERE schemaname = current_schema()"
					" AND indexname ="
					" 'products_colour_idx'")),
			 1);
	assert_int_equal(raw_int(fx, BK("SELECT COUNT(*) FROM sqlite_master"
					" WHERE type = 'index'"
					" AND sql LIKE '%description%'",
					"SELECT COUNT(*) FROM pg_indexes"
					" WHERE schemaname = current_schema()"
					" AND indexdef LIKE"
					" '%description%'")),
			 0);

	memset(v, 0, sizeof(v));
	memset(present, 0, sizeof(present));
	v[C_DOC] = T("d2");
	v[7] = T("red"); /* colour */
	present[C_DOC] = present[7] = true;
	assert_int_equal(store_content_insert(fx->s, ct, v, present, &id), 0);
	release_vals(v, ARRAY_SIZE(v));
	assert_int_equal(
	    store_content_get(fx->s, ct, "d1", NULL, PUB_ANY, &rows), 0);
	assert_string_equal(store_rows_at(&rows, 0, P_NAME)->s, "Old");
	assert_int_equal(store_rows_at(&rows, 0, 7)->kind, SV_NULL);
	store_rows_release(&rows);
	assert_int_equal(
	    store_content_get(fx->s, ct, "d2", NULL, PUB_ANY, &rows), 0);
	assert_string_equal(store_rows_at(&rows, 0, 7)->s, "red");
	store_rows_release(&rows);

	/* a type may not take over the server's own tables */
	free(v2.types[1].table);
	v2.types[1].table = xstrdup("strapi_api_tokens");
	assert_int_equal(store_sync_schema(fx->s, &v2, &e), ERR_VALIDATION);
	free_registry(&v2);
	err_release(&e);
}

/* ---- the fixture project's schemas ----------------------------------- */

/* TOLLGATE_FIXTURES, or tests/fixtures next to this file. */
static char *
fixtures_dir(void)
{
	const char *env = getenv("TOLLGATE_FIXTURES");
	const char *slash;

	if (env && *env)
		return xstrdup(env);
	slash = strrchr(__FILE__, '/');
	if (!slash)
		return xstrdup("../fixtures");
	return xasprintf("%.*s/../fixtures", (int)(slash - __FILE__), __FILE__);
}

static void
test_fixture_schemas(void **state)
{
	struct fx *fx = *state;
	struct schema_registry reg;
	struct err e = ERR_INIT;
	const struct content_type *ct;
	struct store_rows rows;
	struct sqlval *v;
	struct query q;
	bool *present;
	char *dir = fixtures_dir();
	size_t i;
	int64_t id, total;

	schema_registry_init(&reg);
	if (schema_registry_load(&reg, dir, &e))
		fail_msg("schema_registry_load(%s): %s", dir, e.msg);
	free(dir);
	assert_int_equal(store_sync_schema(fx->s, &reg, &e), 0);
	assert_int_equal(store_sync_schema(fx->s, &reg, &e), 0);
	assert_int_equal(raw_int(fx, BK("SELECT COUNT(*) FROM sqlite_master"
					" WHERE type = 'table' AND name IN"
					" ('articles', 'homepages',"
					" 'products')",
					"SELECT COUNT(*) FROM"
					" information_schema.tables WHERE"
					" table_schema = current_schema()"
					" AND table_name IN ('articles',"
					" 'homepages', 'products')")),
			 3);
	assert_int_equal(raw_int(fx,
				 BK("SELECT COUNT(*) FROM"
				    " pragma_table_info('products') WHERE"
				    " (name = 'release_date' AND type = 'TEXT')"
				    " OR (name = 'launch_at' AND"
				    " type = 'INTEGER')"
				    " OR (name = 'price' AND type = 'REAL')"
				    " OR (name = 'big_value' AND"
				    " type = 'INTEGER')"
				    " OR (name = 'meta' AND type = 'TEXT')",
				    "SELECT COUNT(*) FROM"
				    " information_schema.columns WHERE"
				    " table_schema = current_schema() AND"
				    " table_name = 'products' AND"
				    " ((column_name = 'release_date' AND"
				    " data_type = 'text' AND"
				    " collation_name = 'C')"
				    " OR (column_name = 'launch_at' AND"
				    " data_type = 'bigint')"
				    " OR (column_name = 'price' AND"
				    " data_type = 'double precision')"
				    " OR (column_name = 'big_value' AND"
				    " data_type = 'bigint')"
				    " OR (column_name = 'meta' AND"
				    " data_type = 'text'))")),
			 5);

	/* a row of every attribute type round-trips by declared type */
	ct = schema_find_plural(&reg, "products");
	assert_non_null(ct);
	v = xcalloc(ct->n_fields, sizeof(*v));
	present = xcalloc(ct->n_fields, sizeof(*present));
	for (i = 0; i < ct->n_fields; i++) {
		const struct field *f = &ct->fields[i];

		if (f->sys == SYS_ID)
			continue;
		present[i] = true;
		switch (f->type) {
		case ATTR_INTEGER:
		case ATTR_BIGINTEGER:
		case ATTR_BOOLEAN:
		case ATTR_DATETIME:
			v[i].kind = SV_INT;
			v[i].i = 1;
			break;
		case ATTR_FLOAT:
		case ATTR_DECIMAL:
			v[i].kind = SV_REAL;
			v[i].d = 2.5;
			break;
		default:
			sqlval_set_text(&v[i], f->name);
			break;
		}
	}
	assert_int_equal(store_content_insert(fx->s, ct, v, present, &id), 0);
	query_init(&q);
	assert_int_equal(
	    store_content_find(fx->s, ct, &q, PUB_ANY, &rows, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(rows.n_rows, 1);
	assert_int_equal(rows.n_cols, ct->n_fields);
	for (i = 0; i < ct->n_fields; i++) {
		const struct sqlval *got = store_rows_at(&rows, 0, i);

		if (ct->fields[i].sys == SYS_ID) {
			assert_int_equal(got->kind, SV_INT);
			assert_int_equal(got->i, id);
			continue;
		}
		assert_int_equal(got->kind, v[i].kind);
		if (got->kind == SV_TEXT)
			assert_string_equal(got->s, v[i].s);
		else if (got->kind == SV_INT)
			assert_int_equal(got->i, v[i].i);
		else
			assert_true(got->d == v[i].d);
	}
	store_rows_release(&rows);
	query_release(&q);
	for (i = 0; i < ct->n_fields; i++)
		sqlval_release(&v[i]);
	free(v);
	free(present);
	schema_registry_release(&reg);
	err_release(&e);
}

int
main(void)
{
	int failed;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_and_migrate, setup,
					    teardown),
	    cmocka_unit_test(test_memory_store),
	    cmocka_unit_test_setup_teardown(test_token_insert_get, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_token_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_token_update, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_token_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_token_touch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_token_name_taken, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_token_generation, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_token_prune, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_meta_and_counts, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_content_filters, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_content_sort_page, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_content_draft_publish, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_content_get_update_delete,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_content_schema_evolves, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_fixture_schemas, setup,
					    teardown),
	};

	log_setup(LOG_ERROR, 0);
	failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	pg_url = getenv("TOLLGATE_TEST_PG_URL");
	if (!pg_url || !*pg_url) {
		printf("[  SKIPPED ] postgres: TOLLGATE_TEST_PG_URL is not set\n");
		return failed;
	}
	on_pg = true;
	failed += cmocka_run_group_tests_name("postgres", tests, NULL, NULL);
	return failed;
}
