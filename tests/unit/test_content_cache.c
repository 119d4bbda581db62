/* SPDX-License-Identifier: MIT */
/*
 * test_content_cache.c: the per-thread cache of Content API reads, driven
 * with a stand-in store (whose content version the test moves) and a
 * stand-in handler (which counts its calls and renders a body from the
 * request): hits, misses, the version and owner rules, what is not kept,
 * and the memory bound.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/content_cache.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "http/http.h"
#include "storage/store_impl.h"

static uint64_t version;
static bool version_known;
static int calls;
static int answer_status;
static size_t answer_pad; /* extra body bytes */
static bool answer_header;

static bool
fake_version(struct store *s, uint64_t *v)
{
	(void)s;
	*v = version;
	return version_known;
}

static const struct store_ops fake_ops = {
    .content_version = fake_version,
};

static int
handler(struct content_req *c, struct err *e)
{
	size_t i;

	(void)e;
	calls++;
	c->resp->status = answer_status;
	c->resp->content_type = HTTP_JSON_TYPE;
	buf_reset(&c->resp->body);
	buf_addf(&c->resp->body, "{\"path\":\"%s\",\"query\":\"%.*s\",\"v\":%d,\"pad\":\"",
		 c->req->path, (int)c->req->query_len, c->req->query, calls);
	for (i = 0; i < answer_pad; i++)
		buf_addch(&c->resp->body, 'x');
	buf_addstr(&c->resp->body, "\"}");
	if (answer_header)
		http_resp_header(c->resp, "X-Own", "1");
	return 0;
}

static int
failing_handler(struct content_req *c, struct err *e)
{
	(void)c;
	calls++;
	return err_set(e, ERR_VALIDATION, "bad query");
}

struct fixture {
	struct store store;
	struct app app;
};

static struct fixture fx;

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.store.ops = &fake_ops;
	fx.app.store = &fx.store;
	fx.app.serial = 1;
	version = 1;
	version_known = true;
	calls = 0;
	answer_status = 200;
	answer_pad = 0;
	answer_header = false;
	content_cache_thread_clear();
	return 0;
}

/* One GET of 'path'?'query'; the body (a new string) in '*body'. */
static int
get(size_t share, const char *path, const char *query, char **body,
    int (*fn)(struct content_req *, struct err *))
{
	struct http_req req = { 0 };
	struct http_resp resp;
	struct content_req c = { 0 };
	struct err e = ERR_INIT;
	int rc;

	http_resp_init(&resp);
	req.method = "GET";
	req.path = path;
	req.query = query;
	req.query_len = strlen(query);
	c.app = &fx.app;
	c.req = &req;
	c.resp = &resp;
	rc = content_cache_serve(&c, share, fn, &e);
	if (body)
		*body = rc == 0 ? xstrndup(resp.body.ptr, resp.body.len) : NULL;
	if (rc == 0)
		assert_int_equal(resp.status, answer_status);
	http_resp_release(&resp);
	err_release(&e);
	return rc;
}

static void
test_hit_returns_the_same_body(void **state)
{
	char *a, *b;

	(void)state;
	assert_int_equal(get(1 << 20, "/api/articles", "sort=id", &a, handler), 0);
	assert_int_equal(get(1 << 20, "/api/articles", "sort=id", &b, handler), 0);
	assert_int_equal(calls, 1);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
test_key_is_path_and_query(void **state)
{
	struct content_cache_stats st;

	(void)state;
	get(1 << 20, "/api/articles", "", NULL, handler);
	get(1 << 20, "/api/articles", "sort=id", NULL, handler);
	get(1 << 20, "/api/articlesx", "", NULL, handler);
	/* "/api/a" + "?b" must not meet "/api/a?b" + "" */
	get(1 << 20, "/api/a", "b", NULL, handler);
	get(1 << 20, "/api/a?b", "", NULL, handler);
	/* nor "/api/a?b" + "c" meet "/api/a" + "b?c" */
	get(1 << 20, "/api/a", "b?c", NULL, handler);
	get(1 << 20, "/api/a?b", "c", NULL, handler);
	assert_int_equal(calls, 7);
	get(1 << 20, "/api/articles", "sort=id", NULL, handler);
	get(1 << 20, "/api/a", "b", NULL, handler);
	assert_int_equal(calls, 7);
	content_cache_stats(&st);
	assert_int_equal(st.entries, 7);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 7);
}

static void
test_version_move_drops_everything(void **state)
{
	struct content_cache_stats st;
	char *a, *b;

	(void)state;
	get(1 << 20, "/api/articles", "", &a, handler);
	get(1 << 20, "/api/posts", "", NULL, handler);
	version++;
	get(1 << 20, "/api/articles", "", &b, handler);
	assert_int_equal(calls, 3);
	assert_string_not_equal(a, b); /* made again: the handler's count moved */
	content_cache_stats(&st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.flushes, 1);
	free(a);
	free(b);
}

static void
test_unknown_version_keeps_nothing(void **state)
{
	(void)state;
	version_known = false;
	get(1 << 20, "/api/articles", "", NULL, handler);
	get(1 << 20, "/api/articles", "", NULL, handler);
	assert_int_equal(calls, 2);
}

static void
test_disabled(void **state)
{
	struct content_cache_stats st;

	(void)state;
	get(0, "/api/articles", "", NULL, handler);
	get(0, "/api/articles", "", NULL, handler);
	assert_int_equal(calls, 2);
	content_cache_stats(&st);
	assert_int_equal(st.entries, 0);
}

static void
test_other_app_does_not_see_entries(void **state)
{
	(void)state;
	get(1 << 20, "/api/articles", "", NULL, handler);
	fx.app.serial = 2; /* same version, same address: another app */
	get(1 << 20, "/api/articles", "", NULL, handler);
	assert_int_equal(calls, 2);
}

static void
test_errors_and_others_are_not_kept(void **state)
{
	(void)state;
	assert_int_equal(get(1 << 20, "/api/x", "", NULL, failing_handler),
			 ERR_VALIDATION);
	assert_int_equal(get(1 << 20, "/api/x", "", NULL, failing_handler),
			 ERR_VALIDATION);
	assert_int_equal(calls, 2);
	answer_status = 201;
	get(1 << 20, "/api/y", "", NULL, handler);
	get(1 << 20, "/api/y", "", NULL, handler);
	assert_int_equal(calls, 4);
	answer_status = 200;
	answer_header = true;
	get(1 << 20, "/api/z", "", NULL, handler);
	get(1 << 20, "/api/z", "", NULL, handler);
	assert_int_equal(calls, 6);
}

static void
test_large_entry_not_kept(void **state)
{
	(void)state;
	answer_pad = 20000; /* over an eighth of 64 KiB */
	get(64 * 1024, "/api/big", "", NULL, handler);
	get(64 * 1024, "/api/big", "", NULL, handler);
	assert_int_equal(calls, 2);
}

static void
test_bytes_stay_bounded_and_recent_entries_stay(void **state)
{
	struct content_cache_stats st;
	const size_t share = 64 * 1024;
	char q[32];
	int i;

	(void)state;
	answer_pad = 1000;
	for (i = 0; i < 500; i++) {
		snprintf(q, sizeof(q), "page=%d", i);
		get(share, "/api/articles", q, NULL, handler);
		/* keep page=0 in use: CLOCK must spare it */
		get(share, "/api/articles", "page=0", NULL, handler);
		content_cache_stats(&st);
		assert_true(st.bytes <= share);
	}
	content_cache_stats(&st);
	assert_true(st.evictions > 400);
	assert_true(st.entries > 10);
	calls = 0;
	get(share, "/api/articles", "page=0", NULL, handler);
	get(share, "/api/articles", "page=499", NULL, handler);
	assert_int_equal(calls, 0);
	get(share, "/api/articles", "page=1", NULL, handler);
	assert_int_equal(calls, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_hit_returns_the_same_body, setup),
	    cmocka_unit_test_setup(test_key_is_path_and_query, setup),
	    cmocka_unit_test_setup(test_version_move_drops_everything, setup),
	    cmocka_unit_test_setup(test_unknown_version_keeps_nothing, setup),
	    cmocka_unit_test_setup(test_disabled, setup),
	    cmocka_unit_test_setup(test_other_app_does_not_see_entries, setup),
	    cmocka_unit_test_setup(test_errors_and_others_are_not_kept, setup),
	    cmocka_unit_test_setup(test_large_entry_not_kept, setup),
	    cmocka_unit_test_setup(test_bytes_stay_bounded_and_recent_entries_stay,
				   setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
