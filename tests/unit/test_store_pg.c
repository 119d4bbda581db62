/* SPDX-License-Identifier: MIT */
/*
 * test_store_pg.c: the parts of the storage contract that matter most with
 * several instances on one server: migrations listed and applied once,
 * the bootstrap lock, whole-table transfer (rows_*), last_used_at never
 * moving back. These run on SQLite, then on PostgreSQL when
 * TOLLGATE_TEST_PG_URL names a server, which also gets its own tests: a
 * connection the server drops (ERR_UNAVAILABLE, never a false success,
 * then a reconnect), the generation seen by another store within a second
 * (even with the notification lost), concurrent first opens, the pool
 * limit. Each PostgreSQL test runs in a fresh schema, dropped after it.
 */
#include "core/compat.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "storage/store.h"
#include "lib/rawdb.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <unistd.h>
#include <cmocka.h>

static bool on_pg;
static const char *pg_url;
static unsigned seq;

struct fx {
	char dir[64];
	char schema[64];
	char url[512]; /* pg_url naming this fixture's connections */
	struct store *s;
};

static struct store_options
options(const struct fx *fx)
{
	struct store_options o = {0};

	if (on_pg) {
		o.client = "postgres";
		o.url = fx->url;
		o.schema = fx->schema;
	} else {
		o.client = "sqlite";
		o.filename = "data.db";
		o.project_dir = fx->dir;
	}
	return o;
}

static struct store *
open_store(const struct fx *fx)
{
	struct store_options o = options(fx);
	struct err e = ERR_INIT;
	struct store *s = NULL;

	if (store_open(&o, &s, &e))
		fail_msg("store_open: %s", e.msg);
	err_release(&e);
	return s;
}

static int64_t
raw_int(const struct fx *fx, const char *sql)
{
	return rawdb_int(NULL, pg_url, fx->schema, sql);
}

static void
raw_exec(const struct fx *fx, const char *sql)
{
	rawdb_exec(NULL, pg_url, fx->schema, sql);
}

/* Server-side connections of this fixture's stores (by their name). */
static int64_t
count_backends(const struct fx *fx)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM pg_stat_activity"
		 " WHERE application_name = '%s'",
		 fx->schema);
	return raw_int(fx, sql);
}

/* End every connection of this fixture's stores, as a restart would. */
static void
kill_backends(const struct fx *fx)
{
	char sql[256];
	int i;

	snprintf(sql, sizeof(sql),
		 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
		 " WHERE application_name = '%s'",
		 fx->schema);
	raw_exec(fx, sql);
	for (i = 0; i < 100 && count_backends(fx) > 0; i++)
		usleep(10000);
}

/* Without opening a store (for tests that open their own). */
static void
fx_prepare(struct fx *fx)
{
	if (on_pg) {
		snprintf(fx->schema, sizeof(fx->schema), "tg_pg_%ld_%u",
			 (long)getpid(), ++seq);
		snprintf(fx->url, sizeof(fx->url), "%s%sapplication_name=%s",
			 pg_url, strchr(pg_url, '?') ? "&" : "?", fx->schema);
		rawdb_pg_drop_schema(pg_url, fx->schema);
	} else {
		snprintf(fx->dir, sizeof(fx->dir), "/tmp/tg-pgc-XXXXXX");
		if (!mkdtemp(fx->dir))
			fail_msg("mkdtemp failed");
	}
}

static int
setup_bare(void **state)
{
	struct fx *fx = xcalloc(1, sizeof(*fx));

	fx_prepare(fx);
	*state = fx;
	return 0;
}

static int
setup(void **state)
{
	struct fx *fx;

	setup_bare(state);
	fx = *state;
	fx->s = open_store(fx);
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[200];

	store_close(fx->s);
	if (on_pg) {
		rawdb_pg_drop_schema(pg_url, fx->schema);
	} else {
		snprintf(p, sizeof(p), "%s/data.db", fx->dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/data.db-wal", fx->dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/data.db-shm", fx->dir);
		unlink(p);
		rmdir(fx->dir);
	}
	free(fx);
	return 0;
}

static int64_t
add_token(struct store *s, const char *name, int seed)
{
	static char perm[] = "api::a.a.find";
	char *perms[1] = {perm};
	struct token_row t;
	int64_t id;

	token_row_init(&t);
	t.name = xstrdup(name);
	t.description = xstrdup("d");
	t.type = TOKEN_CUSTOM;
	memset(t.access_key, 'a', 128);
	snprintf(t.access_key, 9, "%08x", (unsigned)seed);
	t.access_key[8] = 'a';
	t.created_at = t.updated_at = 1000;
	t.permissions = perms;
	t.n_permissions = 1;
	assert_int_equal(store_token_insert(s, &t), 0);
	id = t.id;
	t.permissions = NULL;
	t.n_permissions = 0;
	token_row_release(&t);
	return id;
}

static uint64_t
tgen(struct store *s)
{
	uint64_t g = 0;

	assert_int_equal(store_token_generation(s, &g), 0);
	return g;
}

/* ---- on both backends ------------------------------------------------ */

static void
test_migrations_list(void **state)
{
	struct fx *fx = *state;
	struct store_options o = options(fx);
	struct store_migration *m = NULL;
	struct err e = ERR_INIT;
	struct store *s = NULL;
	size_t n = 0;

	/* opened only: everything pending, nothing created */
	o.no_migrate = true;
	assert_int_equal(store_open(&o, &s, &e), 0);
	assert_int_equal(store_migrations(s, &m, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].version, 1);
	assert_string_equal(m[0].name, "initial tokens schema");
	assert_int_equal(m[0].applied_at, TIME_NULL);
	assert_int_equal(m[1].version, 2);
	assert_string_equal(m[1].name,
			    "administrators, roles, permissions, sessions");
	assert_int_equal(m[1].applied_at, TIME_NULL);
	assert_int_equal(m[2].version, 3);
	assert_string_equal(m[2].name, "content change counter");
	assert_int_equal(m[2].applied_at, TIME_NULL);
	free(m);

	assert_int_equal(store_migrate(s, &e), 0);
	assert_int_equal(store_migrations(s, &m, &n), 0);
	assert_int_equal(n, 3);
	assert_true(m[0].applied_at > 0);
	assert_true(m[1].applied_at >= m[0].applied_at);
	assert_true(m[2].applied_at >= m[1].applied_at);
	free(m);
	/* again: nothing to do */
	assert_int_equal(store_migrate(s, &e), 0);
	store_close(s);
	err_release(&e);
	fx->s = open_store(fx);
}

/* last_used_at moves forward only, however the touches cross. */
static void
test_touch_monotonic(void **state)
{
	struct fx *fx = *state;
	struct store *other = open_store(fx);
	struct token_row t;
	int64_t id;

	id = add_token(fx->s, "t", 1);
	assert_int_equal(store_token_touch(fx->s, id, 5000, 0), 0);
	/* an instance whose clock is behind */
	assert_int_equal(store_token_touch(other, id, 4000, 0), 0);
	assert_int_equal(store_token_touch(other, id, 4999, 0), 0);
	assert_int_equal(store_token_get(fx->s, id, &t), 0);
	assert_int_equal(t.last_used_at, 5000);
	assert_int_equal(t.updated_at, 5000);
	token_row_release(&t);
	assert_int_equal(store_token_touch(other, id, 9000, 1000), 0);
	assert_int_equal(store_token_get(fx->s, id, &t), 0);
	assert_int_equal(t.last_used_at, 9000);
	token_row_release(&t);
	store_close(other);
}

struct boot_ctx {
	struct fx *fx;
	double acquired_ms;
	int rc;
};

static void *
boot_main(void *arg)
{
	struct boot_ctx *b = arg;
	struct store *s = open_store(b->fx);

	b->rc = store_begin(s);
	if (b->rc == 0)
		b->rc = store_lock_bootstrap(s);
	b->acquired_ms = time_mono_ms();
	if (b->rc == 0)
		b->rc = store_commit(s);
	store_close(s);
	return NULL;
}

static void
test_lock_bootstrap(void **state)
{
	struct fx *fx = *state;
	struct boot_ctx b = {fx, 0, -1};
	pthread_t th;
	double released;

	/* only inside a transaction */
	assert_int_equal(store_lock_bootstrap(fx->s), ERR_INTERNAL);

	assert_int_equal(store_begin(fx->s), 0);
	assert_int_equal(store_lock_bootstrap(fx->s), 0);
	assert_int_equal(pthread_create(&th, NULL, boot_main, &b), 0);
	usleep(300000);
	released = time_mono_ms();
	assert_int_equal(store_commit(fx->s), 0);
	pthread_join(th, NULL);
	assert_int_equal(b.rc, 0);
	/* the other one got through only once this one let go */
	assert_true(b.acquired_ms >= released);
}

struct collect {
	struct sqlval *v;
	size_t n_rows, n_cols;
};

static int
collect_row(void *ctx, const struct sqlval *row)
{
	struct collect *c = ctx;
	size_t j;

	c->v = xrealloc(c->v, (c->n_rows + 1) * c->n_cols * sizeof(*c->v));
	for (j = 0; j < c->n_cols; j++) {
		struct sqlval *d = &c->v[c->n_rows * c->n_cols + j];

		*d = row[j];
		if (row[j].kind == SV_TEXT)
			d->s = xstrdup(row[j].s);
	}
	c->n_rows++;
	return 0;
}

static void
collect_release(struct collect *c)
{
	size_t i;

	for (i = 0; i < c->n_rows * c->n_cols; i++)
		sqlval_release(&c->v[i]);
	free(c->v);
}

static int
stop_after_one(void *ctx, const struct sqlval *row)
{
	int *seen = ctx;

	(void)row;
	(*seen)++;
	return 7;
}

static void
test_rows_round_trip(void **state)
{
	static const char *const cols[] = {"id", "name", "encrypted_key",
					   "lifespan", "created_at"};
	struct fx *fx = *state;
	struct collect c = {NULL, 0, ARRAY_SIZE(cols)};
	int64_t a, b;
	int seen = 0;

	a = add_token(fx->s, "alpha", 1);
	b = add_token(fx->s, "beta", 2);
	assert_int_equal(store_rows_read(fx->s, "strapi_api_tokens", cols,
					 ARRAY_SIZE(cols), "id", collect_row,
					 &c),
			 0);
	assert_int_equal(c.n_rows, 2);
	assert_int_equal(c.v[0].kind, SV_INT);
	assert_int_equal(c.v[0].i, a);
	assert_int_equal(c.v[1].kind, SV_TEXT);
	assert_string_equal(c.v[1].s, "alpha");
	assert_int_equal(c.v[2].kind, SV_NULL);
	assert_int_equal(c.v[c.n_cols].i, b);

	/* a callback's non-zero return stops the walk and is returned */
	assert_int_equal(store_rows_read(fx->s, "strapi_api_tokens", cols,
					 ARRAY_SIZE(cols), "id", stop_after_one,
					 &seen),
			 7);
	assert_int_equal(seen, 1);

	/* a missing table is an error, not a crash */
	assert_int_equal(store_rows_read(fx->s, "no_such_table", cols, 1, NULL,
					 collect_row, &c),
			 ERR_STORAGE);
	collect_release(&c);
}

/* Export a table, clear it, import it back, and carry on with new ids. */
static void
test_rows_import(void **state)
{
	static const char *const cols[] = {
	    "id",         "name", "description", "type",
	    "access_key", "kind", "created_at",  "updated_at"};
	struct fx *fx = *state;
	struct collect c = {NULL, 0, ARRAY_SIZE(cols)};
	struct token_row t;
	uint64_t g0;
	int64_t a, b, n, fresh;
	size_t i;

	a = add_token(fx->s, "alpha", 1);
	b = add_token(fx->s, "beta", 2);
	assert_int_equal(store_token_delete(fx->s, a), 0);
	assert_int_equal(store_rows_read(fx->s, "strapi_api_tokens", cols,
					 ARRAY_SIZE(cols), "id", collect_row,
					 &c),
			 0);
	assert_int_equal(c.n_rows, 1);
	assert_int_equal(c.v[0].i, b);

	g0 = tgen(fx->s);
	assert_int_equal(store_begin(fx->s), 0);
	assert_int_equal(store_rows_clear(fx->s, "strapi_api_tokens"), 0);
	for (i = 0; i < c.n_rows; i++)
		assert_int_equal(store_rows_insert(fx->s, "strapi_api_tokens",
						   cols, ARRAY_SIZE(cols),
						   &c.v[i * c.n_cols]),
				 0);
	assert_int_equal(store_rows_finish(fx->s, "strapi_api_tokens", true),
			 0);
	assert_int_equal(store_rows_finish(fx->s, "tollgate_meta", false), 0);
	assert_int_equal(store_commit(fx->s), 0);
	collect_release(&c);
	/* the delete and the insert fired the generation triggers */
	assert_true(tgen(fx->s) > g0);

	assert_int_equal(store_token_count(fx->s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_token_get(fx->s, b, &t), 0);
	assert_string_equal(t.name, "beta");
	assert_int_equal(t.type, TOKEN_CUSTOM);
	token_row_release(&t);
	/* new ids continue after the largest one */
	fresh = add_token(fx->s, "gamma", 3);
	assert_true(fresh > b);

	/* an empty table: ids restart, and nothing breaks */
	assert_int_equal(store_rows_clear(fx->s, "strapi_api_tokens"), 0);
	assert_int_equal(store_rows_finish(fx->s, "strapi_api_tokens", true),
			 0);
	assert_true(add_token(fx->s, "delta", 4) > 0);
}

/* ---- PostgreSQL only ------------------------------------------------- */

static void
test_pg_reconnect(void **state)
{
	struct fx *fx = *state;
	struct token_row t;
	int64_t n = -1, id;
	int rc, i;

	if (!on_pg)
		skip();
	id = add_token(fx->s, "before", 1);
	/* this thread's connection and the listener's (which connects on its
	 * own thread: wait for it, bounded) */
	for (i = 0; i < 200 && count_backends(fx) < 2; i++)
		usleep(25000);
	assert_int_equal(count_backends(fx), 2);

	/* idle: the next call fails cleanly or reconnects, then works */
	kill_backends(fx);
	rc = store_token_count(fx->s, &n);
	assert_true(rc == 0 || rc == ERR_UNAVAILABLE);
	for (i = 0; i < 50 && store_token_count(fx->s, &n); i++)
		usleep(50000);
	assert_int_equal(n, 1);

	/* inside a transaction: every call fails until it ends, and the
	 * commit is no success */
	assert_int_equal(store_begin(fx->s), 0);
	add_token(fx->s, "lost", 2);
	kill_backends(fx);
	assert_int_equal(store_token_count(fx->s, &n), ERR_UNAVAILABLE);
	assert_int_equal(store_token_count(fx->s, &n), ERR_UNAVAILABLE);
	assert_int_equal(store_begin(fx->s), ERR_UNAVAILABLE);
	assert_int_equal(store_commit(fx->s), ERR_UNAVAILABLE);
	for (i = 0; i < 50 && store_token_count(fx->s, &n); i++)
		usleep(50000);
	assert_int_equal(n, 1);
	assert_int_equal(store_token_get_by_hash(fx->s, "nothing", &t),
			 ERR_NOT_FOUND);

	/* the same, ended by a rollback */
	assert_int_equal(store_begin(fx->s), 0);
	kill_backends(fx);
	assert_int_equal(store_token_delete(fx->s, id), ERR_UNAVAILABLE);
	assert_int_equal(store_rollback(fx->s), 0);
	assert_int_equal(store_token_get(fx->s, id, &t), 0);
	token_row_release(&t);

	/* the listener came back too: a change elsewhere is seen */
	{
		uint64_t g0 = tgen(fx->s), g = g0;

		raw_exec(fx, "UPDATE strapi_api_tokens SET name = 'x'");
		for (i = 0; i < 300 && g == g0; i++) {
			usleep(10000);
			g = tgen(fx->s);
		}
		assert_true(g > g0);
	}
}

static void
test_pg_generation_elsewhere(void **state)
{
	struct fx *fx = *state;
	struct store *other;
	uint64_t g0, g;
	double t0, took;
	int i;

	if (!on_pg)
		skip();
	other = open_store(fx);
	g0 = tgen(other);
	t0 = time_mono_ms();
	add_token(fx->s, "seen", 1);
	/* this store: at once, no waiting */
	assert_true(tgen(fx->s) > g0);
	for (g = g0, i = 0; g <= g0 && i < 200; i++) {
		usleep(5000);
		g = tgen(other);
	}
	took = time_mono_ms() - t0;
	assert_true(g > g0);
	assert_true(took < 1000);

	/* a change that notifies nobody is still seen, by the periodic read */
	g0 = tgen(other);
	raw_exec(fx, "UPDATE tollgate_meta SET value ="
		     " CAST(CAST(value AS BIGINT) + 5 AS TEXT)"
		     " WHERE key = 'token_generation'");
	t0 = time_mono_ms();
	for (g = g0, i = 0; g < g0 + 5 && i < 200; i++) {
		usleep(5000);
		g = tgen(other);
	}
	took = time_mono_ms() - t0;
	assert_int_equal(g, g0 + 5);
	assert_true(took < 1000);

	/* the admin generation, the same way */
	{
		uint64_t a0 = 0, a = 0;

		assert_int_equal(store_admin_generation(other, &a0), 0);
		assert_int_equal(store_set_public_actions(fx->s, NULL, 0), 0);
		raw_exec(fx, "INSERT INTO tollgate_public_actions"
			     " VALUES('api::x.x.find')");
		for (a = a0, i = 0; a <= a0 && i < 200; i++) {
			usleep(5000);
			assert_int_equal(store_admin_generation(other, &a), 0);
		}
		assert_true(a > a0);
	}
	store_close(other);
}

struct opener {
	struct fx *fx;
	struct store *s;
	int rc;
};

static void *
opener_main(void *arg)
{
	struct opener *o = arg;
	struct store_options so = options(o->fx);
	struct err e = ERR_INIT;

	o->rc = store_open(&so, &o->s, &e);
	err_release(&e);
	return NULL;
}

static void
test_pg_concurrent_open(void **state)
{
	struct fx *fx = *state;
	struct opener o[3];
	pthread_t th[3];
	size_t i;

	if (!on_pg)
		skip();
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i].fx = fx;
		o[i].s = NULL;
		o[i].rc = -1;
		assert_int_equal(
		    pthread_create(&th[i], NULL, opener_main, &o[i]), 0);
	}
	for (i = 0; i < ARRAY_SIZE(o); i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		assert_int_equal(o[i].rc, 0);
		store_close(o[i].s);
	}
	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 3);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM tollgate_meta"), 3);
	fx->s = open_store(fx);
}

struct pool_ctx {
	struct store *s;
	int rc;
};

static void *
pool_main(void *arg)
{
	struct pool_ctx *p = arg;
	int64_t n;

	p->rc = store_token_count(p->s, &n);
	store_thread_release(p->s);
	return NULL;
}

static void
test_pg_pool_limit(void **state)
{
	struct fx *fx = *state;
	struct store_options o = options(fx);
	struct err e = ERR_INIT;
	struct pool_ctx p = {NULL, 1};
	pthread_t th;
	int64_t n;

	if (!on_pg)
		skip();
	o.pool_max = 1;
	assert_int_equal(store_open(&o, &p.s, &e), 0);
	/* this thread holds the only connection: another thread waits not */
	assert_int_equal(pthread_create(&th, NULL, pool_main, &p), 0);
	pthread_join(th, NULL);
	assert_int_equal(p.rc, ERR_UNAVAILABLE);
	/* once this thread lets go, the other one gets it */
	store_thread_release(p.s);
	assert_int_equal(pthread_create(&th, NULL, pool_main, &p), 0);
	pthread_join(th, NULL);
	assert_int_equal(p.rc, 0);
	assert_int_equal(store_token_count(p.s, &n), 0);
	store_close(p.s);
	err_release(&e);
}

/* A duplicate unique value is ERR_CONFLICT, as SQLite says it. */
static void
test_pg_conflict(void **state)
{
	struct fx *fx = *state;
	struct admin_user u;
	struct admin_role r;

	admin_role_init(&r);
	r.name = xstrdup("R");
	r.code = xstrdup("r");
	assert_int_equal(store_admin_role_insert(fx->s, &r), 0);
	free(r.name);
	r.name = xstrdup("R2");
	assert_int_equal(store_admin_role_insert(fx->s, &r), ERR_CONFLICT);
	admin_role_release(&r);

	admin_user_init(&u);
	u.email = xstrdup("A@b.c");
	assert_int_equal(store_admin_user_insert(fx->s, &u), 0);
	admin_user_release(&u);
	admin_user_init(&u);
	u.email = xstrdup("a@B.C");
	assert_int_equal(store_admin_user_insert(fx->s, &u), ERR_CONFLICT);
	admin_user_release(&u);
	/* and the store goes on */
	assert_int_equal(store_admin_user_get_by_email(fx->s, "A@B.C", &u), 0);
	assert_string_equal(u.email, "a@b.c");
	admin_user_release(&u);
}

/*
 * A database at version 1 (version 2's objects removed, an admin with a
 * mixed-case email added meanwhile) is brought to version 2 on open.
 */
static void
test_pg_migrate_from_v1(void **state)
{
	struct fx *fx = *state;
	struct admin_user u;
	uint64_t g;

	if (!on_pg)
		skip();
	store_close(fx->s);
	fx->s = NULL;
	raw_exec(fx,
		 "DROP TABLE admin_roles, admin_users_roles_lnk,"
		 " admin_permissions, admin_sessions,"
		 " tollgate_public_actions CASCADE;"
		 " DROP FUNCTION tollgate_admin_bump() CASCADE;"
		 " DROP INDEX admin_users_email_nocase_idx;"
		 " DROP FUNCTION tollgate_content_bump() CASCADE;"
		 " DELETE FROM tollgate_meta WHERE key IN"
		 " ('admin_generation', 'content_generation');"
		 " DELETE FROM tollgate_migrations WHERE version >= 2;"
		 " INSERT INTO admin_users(email, is_active)"
		 " VALUES('Old@Example.COM', 1)");
	fx->s = open_store(fx);
	assert_int_equal(
	    raw_int(fx, "SELECT MAX(version) FROM tollgate_migrations"), 3);
	assert_int_equal(
	    store_admin_user_get_by_email(fx->s, "OLD@example.com", &u), 0);
	assert_string_equal(u.email, "old@example.com");
	admin_user_release(&u);
	assert_int_equal(store_admin_generation(fx->s, &g), 0);
	assert_int_equal(g, 0);
	add_token(fx->s, "t", 1);
	assert_int_equal(
	    raw_int(fx, "SELECT CAST(value AS BIGINT) FROM tollgate_meta"
			" WHERE key = 'admin_generation'"),
	    0);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM pg_trigger"
				     " WHERE tgname LIKE 'admin_users_gen_%'"
				     " AND tgrelid = 'admin_users'::regclass"),
			 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrations_list, setup_bare,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_touch_monotonic, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_lock_bootstrap, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_rows_round_trip, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_rows_import, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pg_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pg_reconnect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pg_generation_elsewhere, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_pg_concurrent_open, setup_bare,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_pg_pool_limit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_pg_migrate_from_v1, setup,
					    teardown),
	};
	int failed;

	log_setup(LOG_ERROR, 0);
	failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	pg_url = getenv("TOLLGATE_TEST_PG_URL");
	if (!pg_url || !*pg_url) {
		printf("[  SKIPPED ] postgres: TOLLGATE_TEST_PG_URL is not "
		       "set\n");
		return failed;
	}
	on_pg = true;
	failed += cmocka_run_group_tests_name("postgres", tests, NULL, NULL);
	return failed;
}
