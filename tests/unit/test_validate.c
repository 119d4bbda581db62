/* SPDX-License-Identifier: MIT */
/*
 * test_validate.c: entry validation against spec §3-§4 (every row of the
 * error tables, the multi-error example, coercions, defaults, draft and
 * update modes), stored values to response JSON, and filter values.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "schema/schema.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define MAX_FIELDS 40

static struct schema_registry reg;
static const struct content_type *product, *post, *homepage, *gadget;

/* Attribute types and options the fixtures lack. */
static const char gadget_schema[] =
	"{\"kind\":\"collectionType\",\"info\":{\"singularName\":\"gadget\","
	"\"pluralName\":\"gadgets\"},\"attributes\":{"
	"\"pin\":{\"type\":\"password\",\"minLength\":4},"
	"\"code\":{\"type\":\"string\",\"regex\":\"^\\\\d{3}$\"},"
	"\"big\":{\"type\":\"biginteger\",\"required\":true},"
	"\"day\":{\"type\":\"date\",\"required\":true},"
	"\"when\":{\"type\":\"datetime\",\"unique\":true},"
	"\"data\":{\"type\":\"json\",\"required\":true},"
	"\"mail\":{\"type\":\"email\",\"minLength\":5},"
	"\"ratio\":{\"type\":\"float\",\"min\":0.5,\"max\":1e21},"
	"\"level\":{\"type\":\"integer\",\"min\":1.7,\"max\":9.9},"
	"\"tag\":{\"type\":\"uid\"},"
	"\"kind\":{\"type\":\"enumeration\",\"enum\":[\"1\",\"true\"],"
	"\"required\":true},"
	"\"note\":{\"type\":\"string\",\"regex\":\"^[a-z/]+$\"},"
	"\"must\":{\"type\":\"string\",\"regex\":\"^[a-z]+$\","
	"\"required\":true},"
	"\"flag\":{\"type\":\"boolean\",\"unique\":true},"
	"\"cat\":{\"type\":\"enumeration\",\"enum\":[\"a\"],\"unique\":true},"
	"\"score\":{\"type\":\"decimal\",\"unique\":true}}}";

/* A gadget body that passes, to which a test adds or overrides keys. */
static const char gadget_ok[] =
	"{\"big\":1,\"day\":\"2024-01-01\",\"data\":{},\"kind\":\"1\","
	"\"must\":\"abc\"";

static int
setup(void **state)
{
	struct err e = ERR_INIT;
	const char *env = getenv("TOLLGATE_FIXTURES");
	const char *slash = strrchr(__FILE__, '/');
	char *dir;
	json_t *j;

	(void)state;
	if (env && *env)
		dir = xstrdup(env);
	else if (slash)
		dir = xasprintf("%.*s/../fixtures", (int)(slash - __FILE__),
				__FILE__);
	else
		dir = xstrdup("../fixtures");
	schema_registry_init(&reg);
	if (schema_registry_load(&reg, dir, &e) != 0) {
		fprintf(stderr, "loading %s: %s\n", dir, e.msg);
		free(dir);
		return -1;
	}
	free(dir);
	j = json_loads(gadget_schema, 0, NULL);
	if (!j || schema_registry_add(&reg, "gadget", "gadget.json", j, &e)) {
		fprintf(stderr, "gadget: %s\n", e.msg);
		json_decref(j);
		return -1;
	}
	json_decref(j);
	schema_registry_finish(&reg);
	product = schema_find_singular(&reg, "product");
	post = schema_find_singular(&reg, "post");
	homepage = schema_find_singular(&reg, "homepage");
	gadget = schema_find_singular(&reg, "gadget");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	schema_registry_release(&reg);
	return 0;
}

/* ---- running the validator -------------------------------------------- */

/* Values other entries hold: what the unique callback reports taken. */
static bool
taken(void *ctx, const struct field *f, const struct sqlval *v)
{
	int *calls = ctx;

	(*calls)++;
	if (v->kind == SV_TEXT)
		return !strcmp(v->s, "Widget") || !strcmp(v->s, "widget") ||
		       !strcmp(v->s, "t1");
	if (v->kind == SV_INT && f->type == ATTR_DATETIME)
		return v->i == 0;
	if (v->kind == SV_REAL)
		return v->d == 7.5;
	return false;
}

struct run {
	const struct content_type *ct;
	struct sqlval vals[MAX_FIELDS];
	bool present[MAX_FIELDS];
	struct err e;
	int rc;
	int unique_calls;
};

static void
run(struct run *r, const struct content_type *ct, const char *body,
    enum validate_mode mode)
{
	json_error_t jerr;
	json_t *data = json_loads(body, JSON_DECODE_ANY | JSON_ALLOW_NUL,
				  &jerr);

	if (!data)
		fail_msg("bad test JSON %s: %s", body, jerr.text);
	memset(r, 0, sizeof(*r));
	r->ct = ct;
	r->rc = schema_validate_entry(ct, data, mode, taken, &r->unique_calls,
				      r->vals, r->present, &r->e);
	json_decref(data);
}

static void
run_release(struct run *r)
{
	size_t i;

	for (i = 0; i < MAX_FIELDS; i++)
		sqlval_release(&r->vals[i]);
	err_release(&r->e);
}

static size_t
idx(const struct content_type *ct, const char *name)
{
	const struct field *f = schema_field(ct, name);

	if (!f)
		fail_msg("no field %s", name);
	return (size_t)(f - ct->fields);
}

static const struct sqlval *
val(struct run *r, const char *name)
{
	size_t i = idx(r->ct, name);

	if (!r->present[i])
		fail_msg("%s is not present", name);
	return &r->vals[i];
}

static void
expect_absent(struct run *r, const char *name)
{
	size_t i = idx(r->ct, name);

	assert_false(r->present[i]);
	assert_int_equal(r->vals[i].kind, SV_NULL);
}

static void
expect_text(struct run *r, const char *name, const char *s)
{
	const struct sqlval *v = val(r, name);

	assert_int_equal(v->kind, SV_TEXT);
	assert_string_equal(v->s, s);
}

static void
expect_int(struct run *r, const char *name, int64_t i)
{
	const struct sqlval *v = val(r, name);

	assert_int_equal(v->kind, SV_INT);
	assert_int_equal(v->i, i);
}

static void
expect_real(struct run *r, const char *name, double d)
{
	const struct sqlval *v = val(r, name);

	assert_int_equal(v->kind, SV_REAL);
	assert_true(v->d == d);
}

static void
expect_null(struct run *r, const char *name)
{
	assert_int_equal(val(r, name)->kind, SV_NULL);
}

/* Expect success; the caller then looks at the values. */
static void
ok(struct run *r, const struct content_type *ct, const char *body,
   enum validate_mode mode)
{
	run(r, ct, body, mode);
	if (r->rc != 0)
		fail_msg("%s: unexpected error: %s", body, r->e.msg);
}

static char *
details_text(const struct err *e)
{
	if (!e->details)
		return xstrdup("{}");
	return json_dumps(e->details, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Expect ERR_VALIDATION with 'msg' and details dumped as 'details'. */
static void
fails(const struct content_type *ct, const char *body, enum validate_mode mode,
      const char *msg, const char *details)
{
	struct run r;
	char *d;
	size_t i;

	run(&r, ct, body, mode);
	if (r.rc != ERR_VALIDATION)
		fail_msg("%s: expected a validation error, got %d", body,
			 r.rc);
	assert_int_equal(r.e.code, ERR_VALIDATION);
	assert_string_equal(r.e.msg, msg);
	d = details_text(&r.e);
	assert_string_equal(d, details);
	free(d);
	/* nothing is left behind on failure */
	for (i = 0; i < ct->n_fields; i++) {
		assert_false(r.present[i]);
		assert_int_equal(r.vals[i].kind, SV_NULL);
	}
	run_release(&r);
}

/* One attribute error: its message, and the value JSON (NULL: none). */
static void
fails1(const struct content_type *ct, const char *body,
       enum validate_mode mode, const char *attr, const char *msg,
       const char *value)
{
	json_t *item = json_object(), *errs = json_array(),
	       *d = json_object();
	char *want;

	json_object_set_new(item, "path", json_pack("[s]", attr));
	json_object_set_new(item, "message", json_string(msg));
	json_object_set_new(item, "name", json_string("ValidationError"));
	if (value)
		json_object_set_new(item, "value",
				    json_loads(value,
					       JSON_DECODE_ANY | JSON_ALLOW_NUL,
					       NULL));
	json_array_append_new(errs, item);
	json_object_set_new(d, "errors", errs);
	want = json_dumps(d, JSON_COMPACT);
	fails(ct, body, mode, msg, want);
	free(want);
	json_decref(d);
}

static char *
gadget_body(const char *extra)
{
	return xasprintf("%s%s%s}", gadget_ok, *extra ? "," : "", extra);
}

static void
gadget_fails1(const char *extra, const char *attr, const char *msg,
	      const char *value)
{
	char *body = gadget_body(extra);

	fails1(gadget, body, VALIDATE_CREATE, attr, msg, value);
	free(body);
}

static void
gadget_ok_run(struct run *r, const char *extra)
{
	char *body = gadget_body(extra);

	ok(r, gadget, body, VALIDATE_CREATE);
	free(body);
}

/* ---- body-level keys -------------------------------------------------- */

static void
test_invalid_keys(void **state)
{
	struct run r;

	(void)state;
	fails(product, "{\"name\":\"x\",\"foo\":\"bar\",\"baz\":1}",
	      VALIDATE_CREATE, "Invalid key foo",
	      "{\"key\":\"foo\",\"path\":null,\"source\":\"body\"}");
	/* first unknown key in body order, before any attribute error */
	fails(product, "{\"name\":\"W\",\"baz\":1,\"foo\":\"bar\"}",
	      VALIDATE_UPDATE, "Invalid key baz",
	      "{\"key\":\"baz\",\"path\":null,\"source\":\"body\"}");
	fails(product, "{\"id\":1,\"name\":\"Widget2\"}", VALIDATE_CREATE,
	      "Invalid key id", "{\"key\":\"id\",\"source\":\"body\"}");
	fails(product, "{\"documentId\":\"x\"}", VALIDATE_UPDATE,
	      "Invalid key documentId",
	      "{\"key\":\"documentId\",\"source\":\"body\"}");
	fails(product, "{\"createdAt\":\"2024-01-01\"}", VALIDATE_CREATE,
	      "Invalid key createdAt",
	      "{\"key\":\"createdAt\",\"path\":\"createdAt\",\"source\":"
	      "\"body\"}");
	fails(post, "{\"updatedAt\":null}", VALIDATE_DRAFT,
	      "Invalid key updatedAt",
	      "{\"key\":\"updatedAt\",\"path\":\"updatedAt\",\"source\":"
	      "\"body\"}");
	fails(homepage, "{\"createdBy\":1}", VALIDATE_UPDATE,
	      "Invalid key createdBy",
	      "{\"key\":\"createdBy\",\"path\":\"createdBy\",\"source\":"
	      "\"body\"}");
	/* publishedAt is ignored, with and without draft & publish */
	ok(&r, product, "{\"name\":\"Widget2\",\"publishedAt\":\"2020-01-01\"}",
	   VALIDATE_CREATE);
	expect_absent(&r, "publishedAt");
	run_release(&r);
	ok(&r, post, "{\"title\":\"t\",\"publishedAt\":null}", VALIDATE_CREATE);
	expect_absent(&r, "publishedAt");
	run_release(&r);
	/* private attributes are writable */
	ok(&r, product, "{\"name\":\"Widget2\",\"secretNote\":\"hidden\"}",
	   VALIDATE_CREATE);
	expect_text(&r, "secretNote", "hidden");
	run_release(&r);
	/* not an object */
	fails(product, "[]", VALIDATE_CREATE,
	      "Missing \"data\" payload in the request body", "{}");
}

/* ---- spec §4: one row each -------------------------------------------- */

static void
test_required(void **state)
{
	(void)state;
	fails1(product, "{\"sku\":\"ABC-1\"}", VALIDATE_CREATE, "name",
	       "name must be defined.", NULL);
	fails1(product, "{}", VALIDATE_CREATE, "name", "name must be defined.",
	       NULL);
	fails1(product, "{\"name\":null}", VALIDATE_CREATE, "name",
	       "name must be a `string` type, but the final value was: "
	       "`null`.",
	       "null");
	fails1(product, "{\"name\":null}", VALIDATE_UPDATE, "name",
	       "name must be a `string` type, but the final value was: "
	       "`null`.",
	       "null");
	fails1(homepage, "{\"tagline\":\"x\"}", VALIDATE_CREATE, "heading",
	       "heading must be defined.", NULL);
	/* yup.mixed() types: null meets the required test itself */
	fails1(gadget,
	       "{\"big\":null,\"day\":\"2024-01-01\",\"data\":{},\"kind\":"
	       "\"1\",\"must\":\"abc\"}",
	       VALIDATE_CREATE, "big", "big must be defined.", "null");
	fails1(gadget, "{\"big\":null}", VALIDATE_UPDATE, "big",
	       "big cannot be null.", "null");
	fails1(gadget, "{\"day\":null}", VALIDATE_UPDATE, "day",
	       "day cannot be null.", "null");
	fails1(gadget, "{\"data\":null}", VALIDATE_UPDATE, "data",
	       "data cannot be null.", "null");
	fails1(gadget, "{\"kind\":null}", VALIDATE_UPDATE, "kind",
	       "kind must be a `string` type, but the final value was: "
	       "`null`.",
	       "null");
}

static void
test_unique(void **state)
{
	struct run r;

	(void)state;
	fails1(product, "{\"name\":\"Widget\"}", VALIDATE_CREATE, "name",
	       "This attribute must be unique", "\"Widget\"");
	fails1(product, "{\"name\":\"Widget\"}", VALIDATE_UPDATE, "name",
	       "This attribute must be unique", "\"Widget\"");
	/* uid is always unique, even without the option */
	fails1(product, "{\"name\":\"Widget2\",\"slug\":\"widget\"}",
	       VALIDATE_CREATE, "slug", "This attribute must be unique",
	       "\"widget\"");
	gadget_fails1("\"tag\":\"t1\"", "tag", "This attribute must be unique",
		      "\"t1\"");
	gadget_fails1("\"when\":0", "when", "This attribute must be unique",
		      "0");
	gadget_fails1("\"score\":\"7.5\"", "score",
		      "This attribute must be unique", "7.5");
	/* checked on non-null values only, and not for enumerations,
	 * booleans and json */
	ok(&r, product, "{\"name\":\"Widget2\",\"slug\":null}",
	   VALIDATE_CREATE);
	assert_int_equal(r.unique_calls, 1); /* name */
	run_release(&r);
	gadget_ok_run(&r, "\"flag\":true,\"cat\":\"a\"");
	assert_int_equal(r.unique_calls, 0);
	run_release(&r);
	/* no callback: no unique test */
	{
		json_t *d = json_loads("{\"name\":\"Widget\"}", 0, NULL);
		struct sqlval v[MAX_FIELDS];
		bool p[MAX_FIELDS];
		size_t i;

		memset(v, 0, sizeof(v));
		memset(p, 0, sizeof(p));
		assert_int_equal(schema_validate_entry(product, d,
						       VALIDATE_CREATE, NULL,
						       NULL, v, p, NULL),
				 0);
		for (i = 0; i < MAX_FIELDS; i++)
			sqlval_release(&v[i]);
		json_decref(d);
	}
}

static void
test_lengths(void **state)
{
	char body[128];

	(void)state;
	fails1(product, "{\"name\":\"W\"}", VALIDATE_CREATE, "name",
	       "name must be at least 2 characters", "\"W\"");
	fails1(product, "{\"name\":\"\"}", VALIDATE_CREATE, "name",
	       "name must be at least 2 characters", "\"\"");
	snprintf(body, sizeof(body), "{\"name\":\"%041d\"}", 0);
	fails1(product, body, VALIDATE_CREATE, "name",
	       "name must be at most 40 characters",
	       "\"00000000000000000000000000000000000000000\"");
	/* lengths count UTF-16 units, like JavaScript */
	fails1(product, "{\"name\":\"\xc3\xa9\"}", VALIDATE_CREATE, "name",
	       "name must be at least 2 characters", "\"\xc3\xa9\"");
	{
		struct run r;

		ok(&r, product, "{\"name\":\"\xf0\x9f\x98\x80\"}",
		   VALIDATE_CREATE);
		run_release(&r);
		ok(&r, product, "{\"name\":\"\xc3\xa9\xc3\xa9\"}",
		   VALIDATE_CREATE);
		run_release(&r);
	}
	/* minLength on passwords too */
	gadget_fails1("\"pin\":\"123\"", "pin",
		      "pin must be at least 4 characters", "\"123\"");
}

static void
test_enumeration(void **state)
{
	struct run r;

	(void)state;
	fails1(product, "{\"name\":\"Widget2\",\"category\":\"delta\"}",
	       VALIDATE_CREATE, "category",
	       "category must be one of the following values: alpha, beta, "
	       "gamma, ",
	       "\"delta\"");
	fails1(product, "{\"category\":{}}", VALIDATE_UPDATE, "category",
	       "category must be a `string` type, but the final value was: "
	       "`{}`.",
	       "{}");
	/* numbers and booleans are cast to strings first */
	gadget_ok_run(&r, "\"kind\":1");
	expect_text(&r, "kind", "1");
	run_release(&r);
	gadget_ok_run(&r, "\"kind\":true");
	expect_text(&r, "kind", "true");
	run_release(&r);
	gadget_fails1("\"kind\":2.5", "kind",
		      "kind must be one of the following values: 1, true, ",
		      "\"2.5\"");
	/* null is allowed when not required */
	ok(&r, product, "{\"name\":\"Widget2\",\"category\":null}",
	   VALIDATE_CREATE);
	expect_null(&r, "category");
	run_release(&r);
}

static void
test_email(void **state)
{
	static const char *const good[] = {
		"a@b.co", "first.last+tag@example.com", "x@sub.domain.org",
		"\\\"quoted name\\\"@ex.com", "u@d-1.x_y.io",
		"\xc3\xa9l\xc3\xa8ve@\xc3\xa9\x63ole.fr", "A@B.CO",
	};
	static const char *const bad[] = {
		"not-an-email", "x", "a@b", "a@b.c1", "a..b@c.com", ".a@c.com",
		"a@-b.com", "a b@c.com", "a@b.com.", "@b.com", "a@b_.com",
		"a@\xf0\x9f\x98\x80.com",
	};
	struct run r;
	size_t i;
	char *body, *value;

	(void)state;
	fails1(product, "{\"name\":\"Widget2\",\"contact\":\"not-an-email\"}",
	       VALIDATE_CREATE, "contact", "contact must be a valid email",
	       "\"not-an-email\"");
	fails1(product, "{\"name\":\"Widget2\",\"contact\":\"\"}",
	       VALIDATE_CREATE, "contact", "contact cannot be empty", "\"\"");
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		body = xasprintf("{\"contact\":\"%s\"}", good[i]);
		ok(&r, product, body, VALIDATE_UPDATE);
		run_release(&r);
		free(body);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		body = xasprintf("{\"contact\":\"%s\"}", bad[i]);
		value = xasprintf("\"%s\"", bad[i]);
		fails1(product, body, VALIDATE_UPDATE, "contact",
		       "contact must be a valid email", value);
		free(value);
		free(body);
	}
	/* email's "cannot be empty" replaces any minLength */
	gadget_ok_run(&r, "\"mail\":\"a@b.c\"");
	run_release(&r);
}

static void
test_regex(void **state)
{
	struct run r;

	(void)state;
	fails1(product, "{\"sku\":\"abc-1\"}", VALIDATE_UPDATE, "sku",
	       "sku must match the following: \"/^[A-Z]{3}-[0-9]+$/\"",
	       "\"abc-1\"");
	ok(&r, product, "{\"sku\":\"ABC-1\"}", VALIDATE_UPDATE);
	expect_text(&r, "sku", "ABC-1");
	run_release(&r);
	/* an empty string skips the regex unless required */
	ok(&r, product, "{\"sku\":\"\"}", VALIDATE_UPDATE);
	run_release(&r);
	gadget_fails1("\"must\":\"\"", "must",
		      "must must match the following: \"/^[a-z]+$/\"", "\"\"");
	/* JavaScript escapes: \d works; '/' prints escaped */
	gadget_fails1("\"code\":\"12a\"", "code",
		      "code must match the following: \"/^\\d{3}$/\"",
		      "\"12a\"");
	gadget_ok_run(&r, "\"code\":\"123\"");
	run_release(&r);
	gadget_fails1("\"note\":\"A\"", "note",
		      "note must match the following: \"/^[a-z/]+$/\"",
		      "\"A\"");
	gadget_ok_run(&r, "\"note\":\"a/b\"");
	run_release(&r);
}

static void
test_uid(void **state)
{
	struct run r;

	(void)state;
	fails1(product, "{\"slug\":\"has space\"}", VALIDATE_UPDATE, "slug",
	       "slug must match the following: \"/^[A-Za-z0-9-_.~]*$/\"",
	       "\"has space\"");
	ok(&r, product, "{\"slug\":\"A-z_0.9~\"}", VALIDATE_UPDATE);
	expect_text(&r, "slug", "A-z_0.9~");
	run_release(&r);
	/* not generated from targetField */
	ok(&r, product, "{\"name\":\"Widget2\"}", VALIDATE_CREATE);
	expect_absent(&r, "slug");
	run_release(&r);
}

static void
test_numbers(void **state)
{
	(void)state;
	fails1(product, "{\"stock\":-1}", VALIDATE_UPDATE, "stock",
	       "stock must be greater than or equal to 0", "-1");
	fails1(product, "{\"stock\":1001}", VALIDATE_UPDATE, "stock",
	       "stock must be less than or equal to 1000", "1001");
	fails1(product, "{\"stock\":1.5}", VALIDATE_UPDATE, "stock",
	       "stock must be an integer", "1.5");
	fails1(product, "{\"stock\":\"abc\"}", VALIDATE_UPDATE, "stock",
	       "stock must be a `number` type, but the final value was: "
	       "`NaN` (cast from the value `\"abc\"`).",
	       "null");
	fails1(product, "{\"price\":true}", VALIDATE_UPDATE, "price",
	       "price must be a `number` type, but the final value was: "
	       "`NaN` (cast from the value `true`).",
	       "null");
	fails1(product, "{\"amount\":\"\"}", VALIDATE_UPDATE, "amount",
	       "amount must be a `number` type, but the final value was: "
	       "`NaN` (cast from the value `\"\"`).",
	       "null");
	fails1(product, "{\"price\":[1]}", VALIDATE_UPDATE, "price",
	       "price must be a `number` type, but the final value was: "
	       "`NaN` (cast from the value `[\n  \"1\"\n]`).",
	       "null");
	fails1(product, "{\"price\":\"Infinity\"}", VALIDATE_UPDATE, "price",
	       "price must be a `number` type, but the final value was: "
	       "`Infinity` (cast from the value `\"Infinity\"`).",
	       "null");
	/* every failing test is reported: integer, then min */
	fails(product, "{\"stock\":-1.5}", VALIDATE_UPDATE, "2 errors occurred",
	      "{\"errors\":[{\"path\":[\"stock\"],\"message\":\"stock must "
	      "be an integer\",\"name\":\"ValidationError\",\"value\":-1.5},"
	      "{\"path\":[\"stock\"],\"message\":\"stock must be greater "
	      "than or equal to 0\",\"name\":\"ValidationError\",\"value\":"
	      "-1.5}]}");
	/* the value is the cast one */
	fails1(product, "{\"stock\":\"-1\"}", VALIDATE_UPDATE, "stock",
	       "stock must be greater than or equal to 0", "-1");
	/* integer bounds are truncated; float bounds print like JS */
	gadget_fails1("\"level\":0", "level",
		      "level must be greater than or equal to 1", "0");
	gadget_fails1("\"level\":10", "level",
		      "level must be less than or equal to 9", "10");
	gadget_fails1("\"ratio\":0.25", "ratio",
		      "ratio must be greater than or equal to 0.5", "0.25");
	gadget_fails1("\"ratio\":2e21", "ratio",
		      "ratio must be less than or equal to 1e+21", "2e21");
	/* beyond int64 an integer cannot be stored: same message */
	fails(product, "{\"stock\":\"1e19\"}", VALIDATE_UPDATE,
	      "2 errors occurred",
	      "{\"errors\":[{\"path\":[\"stock\"],\"message\":\"stock must "
	      "be an integer\",\"name\":\"ValidationError\",\"value\":1e19},"
	      "{\"path\":[\"stock\"],\"message\":\"stock must be less than "
	      "or equal to 1000\",\"name\":\"ValidationError\",\"value\":"
	      "1e19}]}");
}

static void
test_biginteger(void **state)
{
	struct run r;

	(void)state;
	fails1(product, "{\"bigValue\":1.5}", VALIDATE_UPDATE, "bigValue",
	       "bigValue must be a valid integer", "1.5");
	fails1(product, "{\"bigValue\":\"abc\"}", VALIDATE_UPDATE, "bigValue",
	       "bigValue must be a valid integer", "\"abc\"");
	fails1(product, "{\"bigValue\":true}", VALIDATE_UPDATE, "bigValue",
	       "bigValue must be a valid integer", "true");
	fails1(product, "{\"bigValue\":\"1.0\"}", VALIDATE_UPDATE, "bigValue",
	       "bigValue must be a valid integer", "\"1.0\"");
	fails1(product, "{\"bigValue\":\"12345678901234567890\"}",
	       VALIDATE_UPDATE, "bigValue", "bigValue must be a valid integer",
	       "\"12345678901234567890\"");
	fails1(product, "{\"bigValue\":{}}", VALIDATE_UPDATE, "bigValue",
	       "bigValue must be a valid integer", "{}");
	/* exact: no loss above 2^53, unlike Strapi on SQLite */
	ok(&r, product, "{\"bigValue\":\"9007199254740993\"}", VALIDATE_UPDATE);
	expect_int(&r, "bigValue", 9007199254740993LL);
	run_release(&r);
	ok(&r, product, "{\"bigValue\":\"-5\"}", VALIDATE_UPDATE);
	expect_int(&r, "bigValue", -5);
	run_release(&r);
	ok(&r, product, "{\"bigValue\":123}", VALIDATE_UPDATE);
	expect_int(&r, "bigValue", 123);
	run_release(&r);
	ok(&r, product, "{\"bigValue\":1e3}", VALIDATE_UPDATE);
	expect_int(&r, "bigValue", 1000);
	run_release(&r);
	ok(&r, product, "{\"bigValue\":\"9223372036854775807\"}",
	   VALIDATE_UPDATE);
	expect_int(&r, "bigValue", INT64_MAX);
	run_release(&r);
}

static void
test_boolean(void **state)
{
	static const struct {
		const char *in;
		int64_t out;
	} good[] = {
		{ "true", 1 },	 { "false", 0 },    { "\"true\"", 1 },
		{ "\"false\"", 0 }, { "\"t\"", 1 },	{ "\"f\"", 0 },
		{ "\"1\"", 1 },	 { "\"0\"", 0 },    { "1", 1 },
		{ "0", 0 },	 { "1.0", 1 },	    { "\"TRUE\"", 1 },
		{ "\"False\"", 0 },
	};
	struct run r;
	size_t i;
	char *body;

	(void)state;
	fails1(product, "{\"active\":\"abc\"}", VALIDATE_UPDATE, "active",
	       "active must be a `boolean` type, but the final value was: "
	       "`\"abc\"`.",
	       "\"abc\"");
	fails1(product, "{\"active\":2}", VALIDATE_UPDATE, "active",
	       "active must be a `boolean` type, but the final value was: "
	       "`2`.",
	       "2");
	fails1(product, "{\"active\":\"T\"}", VALIDATE_UPDATE, "active",
	       "active must be a `boolean` type, but the final value was: "
	       "`\"T\"`.",
	       "\"T\"");
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		body = xasprintf("{\"active\":%s}", good[i].in);
		ok(&r, product, body, VALIDATE_UPDATE);
		expect_int(&r, "active", good[i].out);
		run_release(&r);
		free(body);
	}
}

static void
test_string_type(void **state)
{
	(void)state;
	fails1(product, "{\"name\":12345}", VALIDATE_CREATE, "name",
	       "name must be a `string` type, but the final value was: "
	       "`12345`.",
	       "12345");
	fails1(product, "{\"name\":true}", VALIDATE_CREATE, "name",
	       "name must be a `string` type, but the final value was: "
	       "`true`.",
	       "true");
	fails1(product, "{\"name\":1.5e300}", VALIDATE_CREATE, "name",
	       "name must be a `string` type, but the final value was: "
	       "`1.5e+300`.",
	       "1.5e300");
	/* objects print as yup does: JSON.stringify with leaves as text */
	fails1(product, "{\"name\":{\"a\":1,\"b\":[true,null,\"x\"]}}",
	       VALIDATE_CREATE, "name",
	       "name must be a `string` type, but the final value was: "
	       "`{\n  \"a\": \"1\",\n  \"b\": [\n    \"true\",\n    "
	       "\"null\",\n    \"\\\"x\\\"\"\n  ]\n}`.",
	       "{\"a\":1,\"b\":[true,null,\"x\"]}");
	fails1(product, "{\"description\":[]}", VALIDATE_UPDATE, "description",
	       "description must be a `string` type, but the final value "
	       "was: `[]`.",
	       "[]");
	fails1(product, "{\"description\":[1.5,-0.0,1e21]}", VALIDATE_UPDATE,
	       "description",
	       "description must be a `string` type, but the final value "
	       "was: `[\n  \"1.5\",\n  \"-0\",\n  \"1e+21\"\n]`.",
	       "[1.5,-0.0,1e21]");
	fails1(product, "{\"description\":\"a\\u0000b\"}", VALIDATE_UPDATE,
	       "description",
	       "description must not contain the NUL character",
	       "\"a\\u0000b\"");
}

static void
test_multi_error_example(void **state)
{
	(void)state;
	/* spec §4, verbatim: schema order, not body order */
	fails(product, "{\"name\":\"W\",\"stock\":1001,\"contact\":\"x\"}",
	      VALIDATE_CREATE, "3 errors occurred",
	      "{\"errors\":["
	      "{\"path\":[\"name\"],\"message\":\"name must be at least 2 "
	      "characters\",\"name\":\"ValidationError\",\"value\":\"W\"},"
	      "{\"path\":[\"contact\"],\"message\":\"contact must be a valid "
	      "email\",\"name\":\"ValidationError\",\"value\":\"x\"},"
	      "{\"path\":[\"stock\"],\"message\":\"stock must be less than "
	      "or equal to 1000\",\"name\":\"ValidationError\",\"value\":"
	      "1001}]}");
	/* missing required comes in its schema place too */
	fails(product, "{\"active\":\"abc\",\"sku\":\"x\"}", VALIDATE_CREATE,
	      "3 errors occurred",
	      "{\"errors\":["
	      "{\"path\":[\"name\"],\"message\":\"name must be defined.\","
	      "\"name\":\"ValidationError\"},"
	      "{\"path\":[\"sku\"],\"message\":\"sku must match the "
	      "following: \\\"/^[A-Z]{3}-[0-9]+$/\\\"\",\"name\":"
	      "\"ValidationError\",\"value\":\"x\"},"
	      "{\"path\":[\"active\"],\"message\":\"active must be a "
	      "`boolean` type, but the final value was: `\\\"abc\\\"`.\","
	      "\"name\":\"ValidationError\",\"value\":\"abc\"}]}");
}

/* ---- date, time, datetime --------------------------------------------- */

static void
test_temporal_formats(void **state)
{
	static const char *const bad_times[] = {
		"09:30", "9:30:00", "25:00:00", "abc", "09:60:00", "09:30:00.",
		"09:30:00.1234", "09:30:00\n123",
	};
	struct run r;
	size_t i;
	char *body;

	(void)state;
	fails(product, "{\"releaseDate\":\"2024-13-45\"}", VALIDATE_UPDATE,
	      "Invalid format, expected yyyy-MM-dd", "{}");
	fails(product, "{\"releaseDate\":\"2024-02-30\"}", VALIDATE_UPDATE,
	      "Invalid date", "{}");
	fails(product, "{\"releaseDate\":20240101}", VALIDATE_UPDATE,
	      "Invalid format, expected yyyy-MM-dd", "{}");
	for (i = 0; i < ARRAY_SIZE(bad_times); i++) {
		json_t *s = json_string(bad_times[i]);
		char *t = json_dumps(s, JSON_ENCODE_ANY);

		body = xasprintf("{\"openingTime\":%s}", t);
		fails(product, body, VALIDATE_UPDATE,
		      "Invalid time format, expected HH:mm:ss.SSS", "{}");
		free(body);
		free(t);
		json_decref(s);
	}
	fails(product, "{\"openingTime\":930}", VALIDATE_UPDATE,
	      "Expected a string, got a number", "{}");
	fails(product, "{\"launchAt\":\"yesterday\"}", VALIDATE_UPDATE,
	      "Invalid format, expected a timestamp or an ISO date", "{}");
	fails(product, "{\"launchAt\":1.5}", VALIDATE_UPDATE,
	      "Invalid format, expected a timestamp or an ISO date", "{}");
	fails(product, "{\"launchAt\":true}", VALIDATE_UPDATE,
	      "Invalid format, expected a timestamp or an ISO date", "{}");
	/* after every attribute error, and one at a time in schema order */
	fails1(product, "{\"launchAt\":\"x\",\"name\":\"W\"}", VALIDATE_CREATE,
	       "name", "name must be at least 2 characters", "\"W\"");
	fails(product,
	      "{\"launchAt\":\"x\",\"openingTime\":\"y\",\"name\":\"Widget2\"}",
	      VALIDATE_CREATE, "Invalid time format, expected HH:mm:ss.SSS",
	      "{}");

	ok(&r, product, "{\"openingTime\":\"09:30:15.123\"}", VALIDATE_UPDATE);
	expect_text(&r, "openingTime", "09:30:15.123");
	run_release(&r);
	ok(&r, product, "{\"openingTime\":\"09:30:00\"}", VALIDATE_UPDATE);
	expect_text(&r, "openingTime", "09:30:00.000");
	run_release(&r);
	ok(&r, product, "{\"openingTime\":\"23:59:59.5\"}", VALIDATE_UPDATE);
	expect_text(&r, "openingTime", "23:59:59.500");
	run_release(&r);
	/* Strapi's pattern has an unescaped '.': any one character */
	ok(&r, product, "{\"openingTime\":\"09:30:00,25\"}", VALIDATE_UPDATE);
	expect_text(&r, "openingTime", "09:30:00.250");
	run_release(&r);
}

static void
test_coercions(void **state)
{
	struct run r;

	(void)state;
	/* spec §3's example body */
	ok(&r, product,
	   "{\"name\":\"Widget\\u00e9\",\"sku\":\"ABC-1\",\"description\":"
	   "\"plain text\",\"content\":\"# Rich\\n\\ntext\",\"contact\":"
	   "\"a@b.co\",\"slug\":\"widget2\",\"category\":\"beta\",\"stock\":5,"
	   "\"bigValue\":\"9007199254740993\",\"price\":1.5,\"amount\":12.34,"
	   "\"active\":false,\"releaseDate\":\"2024-05-06\",\"openingTime\":"
	   "\"09:30:00\",\"launchAt\":\"2024-05-06T10:00:00+02:00\",\"meta\":"
	   "{\"a\":[1,2],\"b\":null},\"secretNote\":\"hidden\"}",
	   VALIDATE_CREATE);
	expect_text(&r, "name", "Widget\xc3\xa9");
	expect_text(&r, "content", "# Rich\n\ntext");
	expect_text(&r, "category", "beta");
	expect_int(&r, "stock", 5);
	expect_int(&r, "bigValue", 9007199254740993LL);
	expect_real(&r, "price", 1.5);
	expect_real(&r, "amount", 12.34);
	expect_int(&r, "active", 0);
	expect_text(&r, "releaseDate", "2024-05-06");
	expect_text(&r, "openingTime", "09:30:00.000");
	expect_int(&r, "launchAt", 1714982400000LL);
	expect_text(&r, "meta", "{\"a\":[1,2],\"b\":null}");
	expect_absent(&r, "id");
	expect_absent(&r, "createdAt");
	assert_int_equal(r.unique_calls, 2); /* name, slug */
	run_release(&r);

	/* numeric strings */
	ok(&r, product,
	   "{\"stock\":\"5\",\"price\":\"2.5\",\"amount\":\"12.34\","
	   "\"bigValue\":7}",
	   VALIDATE_UPDATE);
	expect_int(&r, "stock", 5);
	expect_real(&r, "price", 2.5);
	expect_real(&r, "amount", 12.34);
	expect_int(&r, "bigValue", 7);
	run_release(&r);
	/* JavaScript's unary plus: white space removed, hex, exponents */
	ok(&r, product,
	   "{\"stock\":\" 1 0 \",\"price\":\"0x10\",\"amount\":\"1e3\"}",
	   VALIDATE_UPDATE);
	expect_int(&r, "stock", 10);
	expect_real(&r, "price", 16);
	expect_real(&r, "amount", 1000);
	run_release(&r);
	ok(&r, product, "{\"stock\":5.0,\"price\":\".5\",\"amount\":-3}",
	   VALIDATE_UPDATE);
	expect_int(&r, "stock", 5);
	expect_real(&r, "price", 0.5);
	expect_real(&r, "amount", -3);
	run_release(&r);

	/* dates: the date part of a datetime; datetimes: offsets, dates,
	 * epoch milliseconds */
	ok(&r, product,
	   "{\"releaseDate\":\"2024-05-06T23:30:00-05:00\",\"launchAt\":"
	   "\"2024-05-06\"}",
	   VALIDATE_UPDATE);
	expect_text(&r, "releaseDate", "2024-05-06");
	expect_int(&r, "launchAt", 1714953600000LL);
	run_release(&r);
	ok(&r, product, "{\"launchAt\":1714982400000}", VALIDATE_UPDATE);
	expect_int(&r, "launchAt", 1714982400000LL);
	run_release(&r);
	ok(&r, product, "{\"launchAt\":\"1714982400000\"}", VALIDATE_UPDATE);
	expect_int(&r, "launchAt", 1714982400000LL);
	run_release(&r);
	ok(&r, product, "{\"launchAt\":\"2024-05-06T10:00:00.123Z\"}",
	   VALIDATE_UPDATE);
	expect_int(&r, "launchAt", 1714989600123LL);
	run_release(&r);
	ok(&r, product, "{\"launchAt\":\"2024\"}", VALIDATE_UPDATE);
	expect_int(&r, "launchAt", 1704067200000LL);
	run_release(&r);

	/* enumeration null, and nulls in general */
	ok(&r, product,
	   "{\"category\":null,\"stock\":null,\"launchAt\":null,\"meta\":null,"
	   "\"active\":null}",
	   VALIDATE_UPDATE);
	expect_null(&r, "category");
	expect_null(&r, "stock");
	expect_null(&r, "launchAt");
	expect_null(&r, "meta");
	expect_null(&r, "active");
	run_release(&r);

	/* json: any value, compact, key order kept */
	ok(&r, product, "{\"meta\":\"str\"}", VALIDATE_UPDATE);
	expect_text(&r, "meta", "\"str\"");
	run_release(&r);
	ok(&r, product, "{\"meta\":[1, {\"z\": 1, \"a\": 2}]}",
	   VALIDATE_UPDATE);
	expect_text(&r, "meta", "[1,{\"z\":1,\"a\":2}]");
	run_release(&r);
	ok(&r, product, "{\"meta\":false}", VALIDATE_UPDATE);
	expect_text(&r, "meta", "false");
	run_release(&r);

	/* passwords are stored as given */
	gadget_ok_run(&r, "\"pin\":\"s3cret!\"");
	expect_text(&r, "pin", "s3cret!");
	expect_int(&r, "big", 1);
	expect_text(&r, "day", "2024-01-01");
	expect_text(&r, "data", "{}");
	run_release(&r);
}

/* ---- modes ------------------------------------------------------------ */

static void
test_defaults(void **state)
{
	struct run r;

	(void)state;
	ok(&r, product, "{\"name\":\"Widget2\"}", VALIDATE_CREATE);
	expect_text(&r, "category", "alpha");
	expect_int(&r, "active", 1);
	expect_absent(&r, "stock");
	expect_absent(&r, "sku");
	run_release(&r);
	/* given values win, null included */
	ok(&r, product, "{\"name\":\"Widget2\",\"category\":\"gamma\","
			"\"active\":null}",
	   VALIDATE_CREATE);
	expect_text(&r, "category", "gamma");
	expect_null(&r, "active");
	run_release(&r);
	ok(&r, product, "{\"stock\":1}", VALIDATE_UPDATE);
	expect_absent(&r, "category");
	expect_absent(&r, "active");
	expect_absent(&r, "name");
	expect_int(&r, "stock", 1);
	run_release(&r);
	ok(&r, product, "{}", VALIDATE_DRAFT);
	expect_text(&r, "category", "alpha");
	expect_int(&r, "active", 1);
	expect_absent(&r, "name");
	run_release(&r);
}

static void
test_draft_mode(void **state)
{
	struct run r;

	(void)state;
	/* spec §8: POST ?status=draft {"rating":1} -> title null */
	ok(&r, post, "{\"rating\":1}", VALIDATE_DRAFT);
	expect_absent(&r, "title");
	expect_int(&r, "rating", 1);
	run_release(&r);
	fails1(post, "{\"rating\":1}", VALIDATE_CREATE, "title",
	       "title must be defined.", NULL);
	ok(&r, post, "{\"title\":null}", VALIDATE_DRAFT);
	expect_null(&r, "title");
	run_release(&r);
	/* given values are still type-checked */
	fails1(post, "{\"title\":123}", VALIDATE_DRAFT, "title",
	       "title must be a `string` type, but the final value was: "
	       "`123`.",
	       "123");
	fails1(post, "{\"rating\":\"x\"}", VALIDATE_DRAFT, "rating",
	       "rating must be a `number` type, but the final value was: "
	       "`NaN` (cast from the value `\"x\"`).",
	       "null");
	/* Strapi skips minLength on drafts, not maxLength */
	ok(&r, product, "{\"name\":\"W\"}", VALIDATE_DRAFT);
	expect_text(&r, "name", "W");
	run_release(&r);
	fails1(product,
	       "{\"name\":\"00000000000000000000000000000000000000000\"}",
	       VALIDATE_DRAFT, "name", "name must be at most 40 characters",
	       "\"00000000000000000000000000000000000000000\"");
	/* the required mixed types accept null in drafts */
	ok(&r, gadget, "{\"big\":null,\"data\":null}", VALIDATE_DRAFT);
	expect_null(&r, "big");
	run_release(&r);
}

static void
test_update_mode(void **state)
{
	struct run r;

	(void)state;
	ok(&r, product, "{}", VALIDATE_UPDATE);
	assert_int_equal(r.unique_calls, 0);
	run_release(&r);
	ok(&r, homepage, "{\"featured\":3}", VALIDATE_UPDATE);
	expect_absent(&r, "heading");
	expect_int(&r, "featured", 3);
	run_release(&r);
	fails1(homepage, "{\"heading\":null}", VALIDATE_UPDATE, "heading",
	       "heading must be a `string` type, but the final value was: "
	       "`null`.",
	       "null");
	/* a single type created by PUT validates like create */
	fails1(homepage, "{\"tagline\":\"x\"}", VALIDATE_CREATE, "heading",
	       "heading must be defined.", NULL);
}

/* ---- output ----------------------------------------------------------- */

static void
expect_json(const struct content_type *ct, const char *name,
	    struct sqlval v, const char *want)
{
	json_t *j = schema_value_to_json(schema_field(ct, name), &v);
	char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
	json_decref(j);
}

static struct sqlval
sv_int(int64_t i)
{
	struct sqlval v = { SV_INT, i, 0, NULL };

	return v;
}

static struct sqlval
sv_real(double d)
{
	struct sqlval v = { SV_REAL, 0, d, NULL };

	return v;
}

static struct sqlval
sv_text(const char *s)
{
	struct sqlval v = { SV_TEXT, 0, 0, NULL };

	v.s = (char *)(uintptr_t)s;
	return v;
}

static void
test_value_to_json(void **state)
{
	struct sqlval null = { SV_NULL, 0, 0, NULL };

	(void)state;
	expect_json(product, "id", sv_int(2), "2");
	expect_json(product, "documentId", sv_text("it8r2vyp2gsoacesatu9rdnf"),
		    "\"it8r2vyp2gsoacesatu9rdnf\"");
	expect_json(product, "name", sv_text("Widget"), "\"Widget\"");
	expect_json(product, "content", sv_text("# Rich\n\ntext"),
		    "\"# Rich\\n\\ntext\"");
	expect_json(product, "category", sv_text("beta"), "\"beta\"");
	expect_json(product, "stock", sv_int(5), "5");
	expect_json(product, "bigValue", sv_int(9007199254740993LL),
		    "\"9007199254740993\"");
	expect_json(product, "bigValue", sv_int(-5), "\"-5\"");
	expect_json(product, "price", sv_real(1.5), "1.5");
	expect_json(product, "price", sv_real(1000.0), "1000");
	expect_json(product, "price", sv_real(-0.0), "0");
	expect_json(product, "price", sv_real(1e300), "1.0000000000000001e300");
	expect_json(product, "amount", sv_real(12.34), "12.34");
	expect_json(product, "amount", sv_int(3), "3");
	expect_json(product, "active", sv_int(0), "false");
	expect_json(product, "active", sv_int(1), "true");
	expect_json(product, "releaseDate", sv_text("2024-05-06"),
		    "\"2024-05-06\"");
	expect_json(product, "openingTime", sv_text("09:30:00.000"),
		    "\"09:30:00.000\"");
	expect_json(product, "launchAt", sv_int(1714982400000LL),
		    "\"2024-05-06T08:00:00.000Z\"");
	expect_json(product, "createdAt", sv_int(1795811021316LL),
		    "\"2026-11-27T20:23:41.316Z\"");
	expect_json(product, "launchAt", sv_text("2024-05-06T10:00:00+02:00"),
		    "\"2024-05-06T08:00:00.000Z\"");
	expect_json(product, "meta", sv_text("{\"a\":[1,2],\"b\":null}"),
		    "{\"a\":[1,2],\"b\":null}");
	expect_json(product, "meta", sv_text("\"str\""), "\"str\"");
	expect_json(product, "meta", sv_text("[1"), "\"[1\"");
	expect_json(product, "name", sv_text("bad\xff"), "\"bad\xef\xbf\xbd\"");
	expect_json(product, "name", null, "null");
	expect_json(product, "meta", null, "null");
	assert_true(json_is_null(
		schema_value_to_json(schema_field(product, "stock"), NULL)));
	/* lenient about how a database hands values back */
	expect_json(product, "stock", sv_real(7.0), "7");
	expect_json(product, "stock", sv_text("8"), "8");
	expect_json(product, "bigValue", sv_text("123"), "\"123\"");
	expect_json(product, "active", sv_text("true"), "true");
	expect_json(product, "name", sv_int(42), "\"42\"");
	expect_json(product, "releaseDate", sv_int(1714982400000LL),
		    "\"2024-05-06\"");
}

static void
test_sqlval(void **state)
{
	struct sqlval v = { SV_NULL, 0, 0, NULL };

	(void)state;
	sqlval_set_text(&v, "abc");
	assert_int_equal(v.kind, SV_TEXT);
	assert_string_equal(v.s, "abc");
	sqlval_set_text(&v, "def");
	assert_string_equal(v.s, "def");
	sqlval_release(&v);
	assert_int_equal(v.kind, SV_NULL);
	assert_null(v.s);
	sqlval_set_text(&v, NULL);
	assert_int_equal(v.kind, SV_NULL);
	sqlval_release(NULL);
}

/* ---- filter values ---------------------------------------------------- */

static void
filter_ok(const struct content_type *ct, const char *name, const char *in,
	  struct sqlval *out)
{
	struct err e = ERR_INIT;

	if (schema_filter_value(schema_field(ct, name), in, out, &e) != 0)
		fail_msg("%s=%s: %s", name, in, e.msg);
}

static void
filter_int_is(const char *name, const char *in, int64_t want)
{
	struct sqlval v;

	filter_ok(product, name, in, &v);
	assert_int_equal(v.kind, SV_INT);
	assert_int_equal(v.i, want);
}

static void
filter_text_is(const char *name, const char *in, const char *want)
{
	struct sqlval v;

	filter_ok(product, name, in, &v);
	assert_int_equal(v.kind, SV_TEXT);
	assert_string_equal(v.s, want);
	sqlval_release(&v);
}

static void
filter_fails(const char *name, const char *in, const char *msg)
{
	struct err e = ERR_INIT;
	struct sqlval v;

	assert_int_equal(schema_filter_value(schema_field(product, name), in,
					     &v, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, msg);
	assert_null(e.details);
	assert_int_equal(v.kind, SV_NULL);
}

static void
test_filter_values(void **state)
{
	struct sqlval v;

	(void)state;
	filter_int_is("stock", "5", 5);
	filter_int_is("stock", "-3", -3);
	filter_int_is("stock", "+3", 3);
	filter_int_is("id", "7", 7);
	filter_int_is("bigValue", "9223372036854775807", INT64_MAX);
	filter_fails("stock", "abc",
		     "Invalid value \"abc\" for stock: expected an integer");
	filter_fails("stock", "1.5",
		     "Invalid value \"1.5\" for stock: expected an integer");
	filter_fails("stock", "", "Invalid value \"\" for stock: expected an "
				  "integer");
	filter_fails("stock", "null",
		     "Invalid value \"null\" for stock: expected an integer");
	filter_fails("stock", " 5",
		     "Invalid value \" 5\" for stock: expected an integer");
	filter_fails("id", "x\n\xff",
		     "Invalid value \"x??\" for id: expected an integer");
	filter_fails("bigValue", "9223372036854775808",
		     "Invalid value \"9223372036854775808\" for bigValue: "
		     "expected an integer");
	filter_fails("stock",
		     "12345678901234567890123456789012345678901234567890123456"
		     "78901234567890",
		     "Invalid value \"1234567890123456789012345678901234567890"
		     "123456789012345678901234...\" for stock: expected an "
		     "integer");

	filter_ok(product, "price", "1.5", &v);
	assert_int_equal(v.kind, SV_REAL);
	assert_true(v.d == 1.5);
	filter_ok(product, "amount", "1e3", &v);
	assert_true(v.d == 1000);
	filter_ok(product, "amount", "-2", &v);
	assert_true(v.d == -2);
	filter_fails("price", "abc",
		     "Invalid value \"abc\" for price: expected a number");
	filter_fails("price", "inf",
		     "Invalid value \"inf\" for price: expected a number");
	filter_fails("price", "nan",
		     "Invalid value \"nan\" for price: expected a number");
	filter_fails("price", "0x10",
		     "Invalid value \"0x10\" for price: expected a number");
	filter_fails("price", "1e999",
		     "Invalid value \"1e999\" for price: expected a number");
	filter_fails("price", "1.5x",
		     "Invalid value \"1.5x\" for price: expected a number");

	filter_int_is("active", "true", 1);
	filter_int_is("active", "t", 1);
	filter_int_is("active", "1", 1);
	filter_int_is("active", "false", 0);
	filter_int_is("active", "f", 0);
	filter_int_is("active", "0", 0);
	filter_int_is("active", "maybe", 1);
	filter_int_is("active", "FALSE", 1);
	filter_int_is("active", "", 0);

	filter_text_is("releaseDate", "2024-01-15", "2024-01-15");
	filter_text_is("releaseDate", "2024-01-15T10:00:00Z", "2024-01-15");
	filter_fails("releaseDate", "notadate",
		     "Invalid format, expected yyyy-MM-dd");
	filter_fails("releaseDate", "2024-02-30", "Invalid date");
	filter_text_is("openingTime", "09:30:00", "09:30:00.000");
	filter_text_is("openingTime", "09:30:15.1", "09:30:15.100");
	filter_fails("openingTime", "09:30",
		     "Invalid time format, expected HH:mm:ss.SSS");
	filter_int_is("launchAt", "2024-02-01", 1706745600000LL);
	filter_int_is("launchAt", "2024-02-01T00:00:00.000Z", 1706745600000LL);
	filter_int_is("launchAt", "1714982400000", 1714982400000LL);
	filter_int_is("launchAt", "-1000", -1000);
	filter_int_is("createdAt", "2024-05", 1714521600000LL);
	filter_fails("launchAt", "yesterday",
		     "Invalid format, expected a timestamp or an ISO date");
	filter_fails("launchAt", "99999999999999999",
		     "Invalid format, expected a timestamp or an ISO date");

	filter_text_is("name", "Apple", "Apple");
	filter_text_is("documentId", "abc", "abc");
	filter_text_is("category", "delta", "delta");
	filter_text_is("meta", "{\"a\"", "{\"a\"");
}

/* ---- the date helpers directly ---------------------------------------- */

static void
test_parsers(void **state)
{
	char out[16];
	int64_t ms;

	(void)state;
	assert_int_equal(schema_parse_date("2024-02-29", out, NULL), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(schema_parse_date("2023-02-29", out, NULL),
			 ERR_VALIDATION);
	assert_int_equal(schema_parse_date("2024-1-01", out, NULL),
			 ERR_VALIDATION);
	assert_int_equal(schema_parse_date("2024-00-01", out, NULL),
			 ERR_VALIDATION);
	assert_int_equal(schema_parse_date("", out, NULL), ERR_VALIDATION);
	/* Strapi keeps a valid date prefix */
	assert_int_equal(schema_parse_date("2024-05-06garbage", out, NULL), 0);
	assert_string_equal(out, "2024-05-06");
	assert_int_equal(schema_parse_time("00:00:00.1", out, NULL), 0);
	assert_string_equal(out, "00:00:00.100");
	assert_int_equal(schema_parse_time("24:00:00", out, NULL),
			 ERR_VALIDATION);
	assert_int_equal(schema_parse_time("", out, NULL), ERR_VALIDATION);
	assert_int_equal(schema_parse_datetime("2024-05-06T10:00+02:00", &ms,
					       NULL),
			 0);
	assert_int_equal(ms, 1714982400000LL);
	assert_int_equal(schema_parse_datetime("2024-13", &ms, NULL),
			 ERR_VALIDATION);
	assert_int_equal(schema_parse_datetime("-", &ms, NULL),
			 ERR_VALIDATION);
	assert_int_equal(schema_parse_datetime("", &ms, NULL), ERR_VALIDATION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_keys),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_enumeration),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_biginteger),
		cmocka_unit_test(test_boolean),
		cmocka_unit_test(test_string_type),
		cmocka_unit_test(test_multi_error_example),
		cmocka_unit_test(test_temporal_formats),
		cmocka_unit_test(test_coercions),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_draft_mode),
		cmocka_unit_test(test_update_mode),
		cmocka_unit_test(test_value_to_json),
		cmocka_unit_test(test_sqlval),
		cmocka_unit_test(test_filter_values),
		cmocka_unit_test(test_parsers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
