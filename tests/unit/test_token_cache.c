/* SPDX-License-Identifier: MIT */
/*
 * test_token_cache.c: the authentication path's per-thread caches (bounds,
 * CLOCK eviction, refused hashes, invalidation by generation) and the
 * background lastUsedAt writer (queueing, coalescing, the bounded queue,
 * flushing on shutdown), against a temporary SQLite store.
 */
#include "core/compat.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "auth/api_token.h"
#include "auth/token_internal.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"

struct fixture {
	char dir[64];
	struct schema_registry reg;
	struct store *store;
	struct token_service *ts;
};

static const char *
fixtures_dir(void)
{
	const char *d = getenv("TOLLGATE_FIXTURES");

	return d ? d : "tests/fixtures";
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct store_options so = {0};
	struct err e = ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/tg-tcache-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	schema_registry_init(&f->reg);
	assert_int_equal(schema_registry_load(&f->reg, fixtures_dir(), &e), 0);
	so.client = "sqlite";
	so.filename = "data.db";
	so.project_dir = f->dir;
	so.busy_timeout_ms = 2000;
	assert_int_equal(store_open(&so, &f->store, &e), 0);
	assert_int_equal(store_sync_schema(f->store, &f->reg, &e), 0);
	f->ts = token_service_new(f->store, &f->reg, "a salt", NULL);
	token_cache_set_limits(0, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	token_service_free(f->ts);
	token_service_thread_release();
	token_cache_set_limits(0, 0);
	store_close(f->store);
	schema_registry_release(&f->reg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* 'n' read-only tokens in one transaction: their ids and bearer headers. */
static void
make_tokens(struct fixture *f, size_t n, int64_t *ids, char **headers)
{
	static unsigned serial;
	struct err e = ERR_INIT;
	json_t *body, *out;
	size_t i;

	assert_int_equal(store_begin(f->store), 0);
	for (i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "t%u", serial++);
		body = json_pack("{s:s}", "name", name);
		out = NULL;
		assert_int_equal(token_service_create(f->ts, body, &out, &e),
				 0);
		ids[i] = json_integer_value(json_object_get(out, "id"));
		headers[i] = xasprintf(
		    "Bearer %s",
		    json_string_value(json_object_get(out, "accessKey")));
		token_json_wipe(out);
		json_decref(out);
		json_decref(body);
	}
	assert_int_equal(store_commit(f->store), 0);
	err_release(&e);
}

static void
free_headers(char **headers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(headers[i]);
}

static void
auth_ok(struct fixture *f, const char *header, int64_t id)
{
	struct err e = ERR_INIT;
	struct token_auth a;

	assert_int_equal(token_service_authenticate(f->ts, header, &a, &e),
			 AUTH_OK);
	assert_int_equal(a.id, id);
	err_release(&e);
}

static int64_t
last_used(struct fixture *f, int64_t id)
{
	struct token_row t;
	int64_t v;

	token_row_init(&t);
	assert_int_equal(store_token_get(f->store, id, &t), 0);
	v = t.last_used_at;
	token_row_release(&t);
	return v;
}

#define HOT 8
#define COLD 292
#define PER_ROUND 40 /* cold tokens per round */

/*
 * More tokens rotate through the cache than it holds: the hot subset, used
 * every round, keeps hitting; only the cold stream misses.
 */
static void
test_hot_subset_survives_rotation(void **state)
{
	struct fixture *f = *state;
	int64_t ids[HOT + COLD];
	char *headers[HOT + COLD];
	struct token_cache_stats before, after;
	size_t round, i, cold = 0;

	make_tokens(f, HOT + COLD, ids, headers);
	token_cache_set_limits(64, 64);
	for (round = 0; round < 30; round++) {
		token_cache_stats(&before);
		for (i = 0; i < HOT; i++)
			auth_ok(f, headers[i], ids[i]);
		for (i = 0; i < PER_ROUND; i++, cold++)
			auth_ok(f, headers[HOT + cold % COLD],
				ids[HOT + cold % COLD]);
		token_cache_stats(&after);
		assert_true(after.entries <= 64);
		if (round == 0)
			continue;
		/* every hot use hits; the cold stream (292 > 64) misses */
		assert_int_equal(after.hits - before.hits, HOT);
		assert_int_equal(after.misses - before.misses, PER_ROUND);
	}
	assert_true(after.evictions > 0);
	assert_int_equal(after.resets, 1);
	free_headers(headers, HOT + COLD);
}

/* A rotation that fits the bound misses once per token, then only hits. */
static void
test_rotation_within_bound_hits(void **state)
{
	struct fixture *f = *state;
	int64_t ids[100];
	char *headers[100];
	struct token_cache_stats st;
	size_t round, i;

	make_tokens(f, 100, ids, headers);
	token_cache_set_limits(128, 64);
	for (round = 0; round < 5; round++)
		for (i = 0; i < 100; i++)
			auth_ok(f, headers[i], ids[i]);
	token_cache_stats(&st);
	assert_int_equal(st.misses, 100);
	assert_int_equal(st.hits, 400);
	assert_int_equal(st.evictions, 0);
	assert_int_equal(st.entries, 100);
	/* 128 entries of 81 bytes, with the index, as api_token.h states;
	 * no refused hash yet, so no table for them */
	assert_int_equal(st.bytes, 128 * 81);
	free_headers(headers, 100);
}

/* Any token change drops every cached entry, verified or refused. */
static void
test_generation_drops_everything(void **state)
{
	struct fixture *f = *state;
	int64_t ids[11];
	char *headers[11];
	struct token_cache_stats st;
	struct err e = ERR_INIT;
	struct token_auth a;
	json_t *out = NULL;
	size_t i;

	make_tokens(f, 10, ids, headers);
	for (i = 0; i < 10; i++)
		auth_ok(f, headers[i], ids[i]);
	assert_int_equal(
	    token_service_authenticate(f->ts, "Bearer unknown", &a, &e),
	    ERR_UNAUTHORIZED);
	token_cache_stats(&st);
	assert_int_equal(st.entries, 10);
	assert_int_equal(st.refused_entries, 1);
	assert_int_equal(st.resets, 1);

	/* a change to one token (here: a new one) moves the generation */
	make_tokens(f, 1, ids + 10, headers + 10);
	auth_ok(f, headers[0], ids[0]);
	token_cache_stats(&st);
	assert_int_equal(st.resets, 2);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.refused_entries, 0);
	assert_int_equal(st.misses, 12);

	/* and a deleted token is refused at once */
	assert_int_equal(token_service_delete(f->ts, ids[0], &out, &e), 0);
	json_decref(out);
	assert_int_equal(token_service_authenticate(f->ts, headers[0], &a, &e),
			 ERR_UNAUTHORIZED);
	assert_string_equal(e.msg, "Missing or invalid credentials");
	free_headers(headers, 11);
	err_release(&e);
}

/* Refused hashes are remembered, within their own bound. */
static void
test_refused_bounded(void **state)
{
	struct fixture *f = *state;
	struct token_cache_stats st;
	struct err e = ERR_INIT;
	struct token_auth a;
	char header[64];
	int64_t id;
	char *ok;
	int i;

	make_tokens(f, 1, &id, &ok);
	token_cache_set_limits(64, 64);
	auth_ok(f, ok, id);
	for (i = 0; i < 200; i++) {
		snprintf(header, sizeof(header), "Bearer unknown-%d", i);
		assert_int_equal(
		    token_service_authenticate(f->ts, header, &a, &e),
		    ERR_UNAUTHORIZED);
	}
	token_cache_stats(&st);
	assert_int_equal(st.refused_entries, 64);
	assert_int_equal(st.refused_evictions, 200 - 64);
	/* the flood did not push the valid token out */
	assert_int_equal(st.entries, 1);
	auth_ok(f, ok, id);
	/* the latest refused hash is still known */
	assert_int_equal(
	    token_service_authenticate(f->ts, "Bearer unknown-199", &a, &e),
	    ERR_UNAUTHORIZED);
	token_cache_stats(&st);
	assert_int_equal(st.refused_hits, 1);
	assert_int_equal(st.hits, 1);
	free(ok);
	err_release(&e);
}

/* ---- the lastUsedAt writer --------------------------------------------- */

struct thread_arg {
	struct fixture *f;
	const char *header;
	int64_t id;
};

static void *
auth_thread(void *p)
{
	struct thread_arg *t = p;

	auth_ok(t->f, t->header, t->id);
	token_service_thread_release();
	return NULL;
}

/* Uses from several threads while the writer is held: one write. */
static void
test_writer_coalesces(void **state)
{
	struct fixture *f = *state;
	struct token_writer_stats ws;
	struct thread_arg arg;
	pthread_t th[3];
	int64_t id, t0 = time_now_ms();
	char *h;
	int i;

	make_tokens(f, 1, &id, &h);
	token_writer_pause(f->ts, true);
	auth_ok(f, h, id);
	auth_ok(f, h, id); /* this thread recorded it already */
	arg.f = f;
	arg.header = h;
	arg.id = id;
	for (i = 0; i < 3; i++)
		assert_int_equal(
		    pthread_create(&th[i], NULL, auth_thread, &arg), 0);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	/* nothing written while the writer is held */
	assert_int_equal(last_used(f, id), TIME_NULL);
	token_writer_pause(f->ts, false);
	token_service_sync(f->ts);
	token_writer_stats(f->ts, &ws);
	assert_int_equal(ws.queued, 4);
	assert_int_equal(ws.taken, 4);
	assert_int_equal(ws.coalesced, 3);
	assert_int_equal(ws.written, 1);
	assert_int_equal(ws.dropped, 0);
	assert_int_equal(ws.failed, 0);
	assert_true(last_used(f, id) >= t0);
	assert_true(last_used(f, id) <= time_now_ms());
	free(h);
}

/* A full queue drops uses (never waits); a later use queues again. */
static void
test_writer_queue_bounded(void **state)
{
	struct fixture *f = *state;
	struct token_writer_stats ws;
	int64_t id, now = time_now_ms();
	char *h;
	int i;

	make_tokens(f, 1, &id, &h);
	token_writer_pause(f->ts, true);
	for (i = 0; i < TOKEN_TOUCH_QUEUE; i++)
		assert_true(tok_touch_later(f->ts, 100000 + i, now));
	assert_false(tok_touch_later(f->ts, 100000 + i, now));
	/* the real token's use is dropped too, and not counted as recorded */
	auth_ok(f, h, id);
	token_writer_stats(f->ts, &ws);
	assert_int_equal(ws.queued, TOKEN_TOUCH_QUEUE);
	assert_int_equal(ws.dropped, 2);
	token_writer_pause(f->ts, false);
	token_service_sync(f->ts);
	assert_int_equal(last_used(f, id), TIME_NULL);
	/* the next use of the token is recorded */
	auth_ok(f, h, id);
	token_service_sync(f->ts);
	assert_true(last_used(f, id) >= now);
	token_writer_stats(f->ts, &ws);
	assert_int_equal(ws.taken, TOKEN_TOUCH_QUEUE + 1);
	assert_int_equal(ws.dropped, 2);
	free(h);
}

/* Freeing the service writes what is still queued, even when held. */
static void
test_writer_flushes_on_free(void **state)
{
	struct fixture *f = *state;
	int64_t ids[3], now = time_now_ms();
	char *h[3];
	int i;

	make_tokens(f, 3, ids, h);
	token_writer_pause(f->ts, true);
	for (i = 0; i < 3; i++)
		auth_ok(f, h[i], ids[i]);
	for (i = 0; i < 3; i++)
		assert_int_equal(last_used(f, ids[i]), TIME_NULL);
	token_service_free(f->ts);
	f->ts = NULL;
	for (i = 0; i < 3; i++) {
		assert_true(last_used(f, ids[i]) >= now);
		assert_true(last_used(f, ids[i]) <= time_now_ms());
	}
	free_headers(h, 3);
}

/* The write keeps the hourly rule: a recent lastUsedAt is not moved. */
static void
test_writer_keeps_hourly_rule(void **state)
{
	struct fixture *f = *state;
	int64_t id, now = time_now_ms();
	char *h;

	make_tokens(f, 1, &id, &h);
	assert_true(tok_touch_later(f->ts, id, now - 1000));
	token_service_sync(f->ts);
	assert_int_equal(last_used(f, id), now - 1000);
	assert_true(tok_touch_later(f->ts, id, now));
	token_service_sync(f->ts);
	assert_int_equal(last_used(f, id), now - 1000);
	/* and a management read sees a use without an explicit sync */
	{
		struct err e = ERR_INIT;
		json_t *out = NULL;
		char iso[32];

		assert_true(
		    tok_touch_later(f->ts, id, now + TOKEN_LAST_USED_MIN_AGE));
		assert_int_equal(token_service_get(f->ts, id, &out, &e), 0);
		time_iso8601(now + TOKEN_LAST_USED_MIN_AGE, iso);
		assert_string_equal(
		    json_string_value(json_object_get(out, "lastUsedAt")), iso);
		json_decref(out);
	}
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hot_subset_survives_rotation,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotation_within_bound_hits,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generation_drops_everything,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_bounded, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_writer_coalesces, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_writer_queue_bounded, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_writer_flushes_on_free, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_writer_keeps_hourly_rule,
					    setup, teardown),
	};

	log_setup(LOG_ERROR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
