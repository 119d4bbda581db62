/* SPDX-License-Identifier: MIT */
/* test_api_token.c: bearer parsing, the token service and authentication. */
#include "core/compat.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>

#include "auth/api_token.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"

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
	struct store_options so = { 0 };
	struct err e = ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/tg-token-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	schema_registry_init(&f->reg);
	assert_int_equal(schema_registry_load(&f->reg, fixtures_dir(), &e), 0);
	so.client = "sqlite";
	so.filename = "data.db";
	so.project_dir = f->dir;
	so.busy_timeout_ms = 2000;
	assert_int_equal(store_open(&so, &f->store, &e), 0);
	assert_int_equal(store_sync_schema(f->store, &f->reg, &e), 0);
	f->ts = token_service_new(f->store, &f->reg, "a salt", "an encryption key");
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
	store_close(f->store);
	schema_registry_release(&f->reg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void
test_bearer_parse(void **state)
{
	const char *tok;
	size_t len;

	(void)state;
	assert_true(token_parse_bearer("Bearer abc", &tok, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(tok, "abc", 3);
	assert_true(token_parse_bearer("bearer abc", &tok, &len));
	assert_true(token_parse_bearer("BEARER abc", &tok, &len));
	assert_true(token_parse_bearer("Bearer    abc", &tok, &len));
	assert_true(token_parse_bearer("Bearer\tabc ", &tok, &len));
	assert_int_equal(len, 3);
	assert_false(token_parse_bearer(NULL, &tok, &len));
	assert_false(token_parse_bearer("", &tok, &len));
	assert_false(token_parse_bearer("abc", &tok, &len));
	assert_false(token_parse_bearer("Basic abc", &tok, &len));
	assert_false(token_parse_bearer("Bearer abc def", &tok, &len));
	assert_false(token_parse_bearer("Bearer ", &tok, &len));
	assert_false(token_parse_bearer("Bearerx abc", &tok, &len));
	assert_false(token_parse_bearer("Token abc", &tok, &len));
	/* isspace()'s whole set separates, around and between the parts */
	assert_true(
	    token_parse_bearer(" \t\r\n\v\fBearer\v\fabc\r\n", &tok, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(tok, "abc", 3);
	assert_false(token_parse_bearer("Bearer\n", &tok, &len));
	assert_false(token_parse_bearer("Bearer abc\rdef", &tok, &len));
	/* other bytes do not, not even NBSP (0xa0) or NEL (0x85) */
	assert_true(token_parse_bearer("Bearer a\xa0\x85" "b", &tok, &len));
	assert_int_equal(len, 4);
}

/* Create a token from a JSON text; returns the new object. */
static json_t *
create(struct fixture *f, const char *body_text, struct err *e)
{
	json_t *body = json_loads(body_text, 0, NULL), *out = NULL;

	assert_non_null(body);
	token_service_create(f->ts, body, &out, e);
	json_decref(body);
	return out;
}

static char *
header_for(json_t *tok)
{
	return xasprintf("Bearer %s",
			 json_string_value(json_object_get(tok, "accessKey")));
}

static void
test_create_shapes(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	json_t *t;
	int64_t now = time_now_ms();
	char iso[32];

	t = create(f, "{\"name\":\"  ro  \",\"description\":5,\"foo\":1}", &e);
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "name")), "ro");
	assert_string_equal(json_string_value(json_object_get(t, "description")), "5");
	assert_string_equal(json_string_value(json_object_get(t, "type")), "read-only");
	assert_string_equal(json_string_value(json_object_get(t, "kind")), "content-api");
	assert_true(json_is_null(json_object_get(t, "lifespan")));
	assert_true(json_is_null(json_object_get(t, "expiresAt")));
	assert_int_equal(strlen(json_string_value(json_object_get(t, "accessKey"))), 256);
	json_decref(t);

	t = create(f, "{\"name\":\"fa\",\"type\":\"full-access\",\"lifespan\":604800000}", &e);
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "lifespan")), "604800000");
	time_iso8601(now + 604800000LL, iso);
	/* same minute as now + 7 days */
	assert_memory_equal(json_string_value(json_object_get(t, "expiresAt")), iso, 16);
	json_decref(t);
	err_release(&e);
}

static void
expect_error(struct fixture *f, const char *body, int code, const char *msg)
{
	struct err e = ERR_INIT;
	json_t *t = create(f, body, &e);

	assert_null(t);
	assert_int_equal(e.code, code);
	assert_string_equal(e.msg, msg);
	err_release(&e);
}

static void
test_create_errors(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;

	expect_error(f, "{\"type\":\"read-only\"}", ERR_VALIDATION, "2 errors occurred");
	expect_error(f, "{\"name\":\"   \"}", ERR_VALIDATION, "2 errors occurred");
	expect_error(f, "{\"name\":\"x\",\"type\":\"admin\"}", ERR_VALIDATION,
		     "type must be one of the following values: read-only, full-access, custom");
	expect_error(f, "{\"name\":\"x\",\"lifespan\":12345}", ERR_VALIDATION,
		     "lifespan must be one of the following values: , 604800000, 2592000000, 7776000000");
	expect_error(f, "{\"name\":\"x\",\"lifespan\":\"604800000\"}", ERR_VALIDATION,
		     "2 errors occurred");
	expect_error(f, "{\"name\":\"x\",\"type\":\"custom\"}", ERR_VALIDATION,
		     "Missing permissions attribute for custom token");
	expect_error(f, "{\"name\":\"x\",\"type\":\"custom\",\"permissions\":[\"api::nope.nope.find\",\"b\"]}",
		     ERR_VALIDATION, "Unknown permissions provided: api::nope.nope.find, b");
	expect_error(f, "{\"name\":\"x\",\"permissions\":[\"api::article.article.find\"]}",
		     ERR_VALIDATION, "Non-custom tokens should not reference permissions");
	expect_error(f, "{\"name\":\"x\",\"type\":\"custom\",\"permissions\":\"api::article.article.find\"}",
		     ERR_VALIDATION,
		     "permissions must be a `array` type, but the final value was: `\"api::article.article.find\"`.");
	json_decref(create(f, "{\"name\":\"dup\"}", &e));
	expect_error(f, "{\"name\":\" dup \"}", ERR_APPLICATION, "Name already taken");
	err_release(&e);
}

static void
test_authenticate(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct token_auth a;
	json_t *ro, *cu, *out = NULL;
	char *h_ro, *h_cu;
	int find = schema_action_index(&f->reg, "api::article.article.find");
	int create_a = schema_action_index(&f->reg, "api::article.article.create");
	int find_one = schema_action_index(&f->reg, "api::article.article.findOne");

	assert_true(find >= 0 && create_a >= 0 && find_one >= 0);
	ro = create(f, "{\"name\":\"ro\"}", &e);
	cu = create(f, "{\"name\":\"cu\",\"type\":\"custom\",\"permissions\":[\"api::article.article.create\"]}", &e);
	h_ro = header_for(ro);
	h_cu = header_for(cu);

	assert_int_equal(token_service_authenticate(f->ts, NULL, &a, &e), AUTH_DECLINED);
	assert_int_equal(token_service_authenticate(f->ts, "Basic x", &a, &e), AUTH_DECLINED);
	assert_int_equal(token_service_authenticate(f->ts, "Bearer nope", &a, &e), ERR_UNAUTHORIZED);
	assert_string_equal(e.msg, "Missing or invalid credentials");

	assert_int_equal(token_service_authenticate(f->ts, h_ro, &a, &e), AUTH_OK);
	assert_true(token_auth_allows(f->ts, &a, find));
	assert_true(token_auth_allows(f->ts, &a, find_one));
	assert_false(token_auth_allows(f->ts, &a, create_a));
	assert_int_equal(token_service_authenticate(f->ts, h_cu, &a, &e), AUTH_OK);
	assert_false(token_auth_allows(f->ts, &a, find));
	assert_true(token_auth_allows(f->ts, &a, create_a));

	/* lastUsedAt was set by the first use */
	assert_int_equal(token_service_get(f->ts, json_integer_value(json_object_get(ro, "id")), &out, &e), 0);
	assert_true(json_is_string(json_object_get(out, "lastUsedAt")));
	/* viewable: GET returns the same key */
	assert_string_equal(json_string_value(json_object_get(out, "accessKey")),
			    json_string_value(json_object_get(ro, "accessKey")));
	json_decref(out);

	/* regenerate: the old key stops at once, the cache notwithstanding */
	assert_int_equal(token_service_regenerate(f->ts, json_integer_value(json_object_get(ro, "id")), &out, &e), 0);
	assert_int_equal(token_service_authenticate(f->ts, h_ro, &a, &e), ERR_UNAUTHORIZED);
	free(h_ro);
	h_ro = header_for(out);
	json_decref(out);
	assert_int_equal(token_service_authenticate(f->ts, h_ro, &a, &e), AUTH_OK);

	/* update type: takes effect on the next authentication */
	{
		json_t *body = json_pack("{s:s,s:[s]}", "type", "custom", "permissions",
					 "api::article.article.find");

		assert_int_equal(token_service_update(f->ts, json_integer_value(json_object_get(cu, "id")), body, &out, &e), 0);
		json_decref(body);
		json_decref(out);
	}
	assert_int_equal(token_service_authenticate(f->ts, h_cu, &a, &e), AUTH_OK);
	assert_true(token_auth_allows(f->ts, &a, find));
	assert_false(token_auth_allows(f->ts, &a, create_a));

	/* delete */
	assert_int_equal(token_service_delete(f->ts, json_integer_value(json_object_get(cu, "id")), &out, &e), 0);
	assert_true(json_is_object(out));
	json_decref(out);
	assert_int_equal(token_service_authenticate(f->ts, h_cu, &a, &e), ERR_UNAUTHORIZED);
	assert_int_equal(token_service_delete(f->ts, 999, &out, &e), 0);
	assert_true(json_is_null(out));
	json_decref(out);

	free(h_ro);
	free(h_cu);
	json_decref(ro);
	json_decref(cu);
	err_release(&e);
}

static void
test_salt_change(void **state)
{
	struct fixture *f = *state;
	struct token_service *other;
	struct err e = ERR_INIT;
	struct token_auth a;
	json_t *t = create(f, "{\"name\":\"s\"}", &e);
	char *h = header_for(t);

	assert_int_equal(token_service_authenticate(f->ts, h, &a, &e), AUTH_OK);
	other = token_service_new(f->store, &f->reg, "another salt", NULL);
	assert_int_equal(token_service_authenticate(other, h, &a, &e), ERR_UNAUTHORIZED);
	token_service_free(other);
	assert_int_equal(token_service_authenticate(f->ts, h, &a, &e), AUTH_OK);
	free(h);
	json_decref(t);
	err_release(&e);
}

static void
test_defaults(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	bool created = false;
	json_t *list = NULL;

	assert_int_equal(token_service_ensure_defaults(f->ts, &created, &e), 0);
	assert_true(created);
	assert_int_equal(token_service_list(f->ts, &list, &e), 0);
	assert_int_equal(json_array_size(list), 2);
	/* sorted by name */
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "name")), "Full Access");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "name")), "Read Only");
	json_decref(list);
	assert_int_equal(token_service_ensure_defaults(f->ts, &created, &e), 0);
	assert_false(created);
	err_release(&e);
}

static void
test_update_rules(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	json_t *t = create(f, "{\"name\":\"u\"}", &e), *out = NULL, *body;
	int64_t id = json_integer_value(json_object_get(t, "id"));

	body = json_pack("{s:s}", "foo", "x");
	assert_int_equal(token_service_update(f->ts, id, body, &out, &e), ERR_VALIDATION);
	assert_string_equal(e.msg, "this field has unspecified keys: foo");
	json_decref(body);
	body = json_pack("{s:n}", "description");
	assert_int_equal(token_service_update(f->ts, id, body, &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "description")), "");
	json_decref(out);
	json_decref(body);
	body = json_pack("{s:s}", "type", "custom");
	assert_int_equal(token_service_update(f->ts, id, body, &out, &e), ERR_VALIDATION);
	assert_string_equal(e.msg, "Missing permissions attribute for custom token");
	json_decref(body);
	body = json_pack("{s:I}", "lifespan", (json_int_t)2592000000LL);
	assert_int_equal(token_service_update(f->ts, id, body, &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "lifespan")), "2592000000");
	assert_true(json_is_string(json_object_get(out, "expiresAt")));
	json_decref(out);
	json_decref(body);
	assert_int_equal(token_service_update(f->ts, 4242, NULL, &out, &e), ERR_NOT_FOUND);
	assert_string_equal(e.msg, "API Token not found");
	json_decref(t);
	err_release(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bearer_parse),
		cmocka_unit_test_setup_teardown(test_create_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authenticate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_salt_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
