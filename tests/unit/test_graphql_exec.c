/* SPDX-License-Identifier: MIT */
/*
 * test_graphql_exec.c: gql_run() end to end on the fixture content types
 * and a temporary SQLite store: queries, connections, filters, sort and
 * pagination through the REST query code, mutations through the REST
 * write code, the token matrix (public, read-only, full-access, custom),
 * null propagation, variables, fragments, directives, introspection,
 * and the request-level errors with their HTTP statuses. Expected bodies
 * follow strapi-graphql.md and the wire transcript section 13.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "app/app.h"
#include "core/mem.h"
#include "graphql/exec.h"
#include "graphql/schema.h"

struct fixture {
	char dir[64];
	struct app app;
	struct gql_schema *schema;
	uint64_t custom_bits[8];
	struct token_auth full, read_only, custom;
};

static const char *
fixtures_dir(void)
{
	const char *d = getenv("TOLLGATE_FIXTURES");

	return d ? d : "tests/fixtures";
}

static void
allow(struct fixture *f, const char *uid)
{
	int a = schema_action_index(&f->app.reg, uid);

	assert_true(a >= 0);
	f->custom_bits[a / 64] |= (uint64_t)1 << (a % 64);
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct store_options so = {0};
	struct err e = ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/tg-gqlexec-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	config_init(&f->app.cfg);
	schema_registry_init(&f->app.reg);
	assert_int_equal(schema_registry_load(&f->app.reg, fixtures_dir(), &e),
			 0);
	so.client = "sqlite";
	so.filename = "data.db";
	so.project_dir = f->dir;
	so.busy_timeout_ms = 2000;
	assert_int_equal(store_open(&so, &f->app.store, &e), 0);
	assert_int_equal(store_sync_schema(f->app.store, &f->app.reg, &e), 0);
	f->app.tokens =
	    token_service_new(f->app.store, &f->app.reg, "a salt", NULL);
	f->app.query_limits = (struct query_limits)QUERY_LIMITS_DEFAULT;
	f->app.qs_limits = (struct qs_limits)QS_LIMITS_DEFAULT;
	assert_int_equal(gql_schema_build(&f->app.reg, &f->schema, &e), 0);
	f->full.type = TOKEN_FULL_ACCESS;
	f->read_only.type = TOKEN_READ_ONLY;
	f->custom.type = TOKEN_CUSTOM;
	allow(f, "api::product.product.find");
	allow(f, "api::article.article.create");
	f->custom.allowed = f->custom_bits;
	f->custom.n_words = ARRAY_SIZE(f->custom_bits);
	err_release(&e);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	gql_schema_free(f->schema);
	token_service_free(f->app.tokens);
	token_service_thread_release();
	store_close(f->app.store);
	schema_registry_release(&f->app.reg);
	config_release(&f->app.cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

struct call {
	const struct token_auth *auth;
	const char *vars; /* JSON text or NULL */
	const char *op;   /* operationName or NULL */
	bool get;
	bool no_introspection;
	size_t max_aliases;
};

/* Run 'query'; returns the body as compact JSON and sets '*status'. */
static char *
run(struct fixture *f, const char *query, const struct call *c, int *status)
{
	struct gql_context ctx = {0};
	struct gql_request r = {0};
	struct gql_result res;
	json_error_t jerr;
	char *s;

	ctx.app = &f->app;
	ctx.schema = f->schema;
	ctx.auth = c ? c->auth : &f->full;
	ctx.introspection = !(c && c->no_introspection);
	ctx.max_bytes = 65536;
	ctx.max_depth = 10;
	ctx.max_aliases = c && c->max_aliases ? c->max_aliases : 30;
	r.query = query;
	r.query_len = strlen(query);
	r.operation_name = c ? c->op : NULL;
	r.variables = c && c->vars ? json_loads(c->vars, 0, &jerr) : NULL;
	r.get = c && c->get;
	gql_run(&ctx, &r, &res);
	json_decref(r.variables);
	*status = res.status;
	s = json_dumps(res.body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(res.body);
	return s;
}

static void
expect(struct fixture *f, const char *query, const struct call *c, int status,
       const char *want)
{
	int got_status;
	char *got = run(f, query, c, &got_status);

	if (got_status != status || strcmp(got, want))
		fail_msg("%s\n  got:  %d %s\n  want: %d %s", query, got_status,
			 got, status, want);
	free(got);
}

/* Like expect() but only checks that 'part' occurs in the body. */
static void
expect_has(struct fixture *f, const char *query, const struct call *c,
	   int status, const char *part)
{
	int got_status;
	char *got = run(f, query, c, &got_status);

	if (got_status != status || !strstr(got, part))
		fail_msg("%s\n  got:  %d %s\n  want %d containing: %s", query,
			 got_status, got, status, part);
	free(got);
}

/* The documentId of the first item of data.<field> in a body. */
static char *
first_doc(struct fixture *f, const char *query, const char *field)
{
	int status;
	char *body = run(f, query, NULL, &status);
	json_error_t jerr;
	json_t *j = json_loads(body, 0, &jerr), *d;
	char *out;

	assert_int_equal(status, 200);
	d = json_object_get(json_object_get(j, "data"), field);
	if (json_is_array(d))
		d = json_array_get(d, 0);
	out = xstrdup(json_string_value(json_object_get(d, "documentId")));
	assert_non_null(out);
	json_decref(j);
	free(body);
	return out;
}

static void
seed_products(struct fixture *f)
{
	static const char *const m =
	    "mutation {"
	    " a: createProduct(data: { name: \"Apple\", stock: 11, price: "
	    "1.5, bigValue: \"100\" }) { name }"
	    " b: createProduct(data: { name: \"banana\", stock: 20, price: "
	    "0.5, bigValue: 200 }) { name }"
	    " c: createProduct(data: { name: \"Cherry\", stock: 30, price: "
	    "3, bigValue: 300, category: gamma, releaseDate: \"2024-03-31\","
	    " launchAt: \"2024-03-31T23:59:59.000Z\" }) { name }"
	    " d: createProduct(data: { name: \"Damson\", stock: 5, price: "
	    "2 }) { name }"
	    " e: createProduct(data: { name: \"Elderberry\", stock: 0, "
	    "price: 10 }) { name } }";

	expect(f, m, NULL, 200,
	       "{\"data\":{\"a\":{\"name\":\"Apple\"},\"b\":{\"name\":"
	       "\"banana\"},\"c\":{\"name\":\"Cherry\"},\"d\":{\"name\":"
	       "\"Damson\"},\"e\":{\"name\":\"Elderberry\"}}}");
}

static void
test_queries(void **state)
{
	struct fixture *f = *state;
	char q[512], *doc;

	seed_products(f);
	expect(f,
	       "{ products(filters: { stock: { gte: 10 } }, sort: "
	       "[\"stock:desc\"], pagination: { page: 1, pageSize: 2 }) { name "
	       "stock bigValue price releaseDate launchAt category active meta "
	       "} }",
	       NULL, 200,
	       "{\"data\":{\"products\":[{\"name\":\"Cherry\",\"stock\":30,"
	       "\"bigValue\":300,\"price\":3,\"releaseDate\":\"2024-03-31\","
	       "\"launchAt\":\"2024-03-31T23:59:59.000Z\",\"category\":"
	       "\"gamma\",\"active\":true,\"meta\":null},{\"name\":\"banana\","
	       "\"stock\":20,\"bigValue\":200,\"price\":0.5,\"releaseDate\":"
	       "null,\"launchAt\":null,\"category\":\"alpha\",\"active\":true,"
	       "\"meta\":null}]}}");
	expect(
	    f,
	    "{ products_connection(pagination: { page: 1, pageSize: 2 }, "
	    "sort: \"name\") { nodes { name } pageInfo { total page pageSize "
	    "pageCount } } }",
	    NULL, 200,
	    "{\"data\":{\"products_connection\":{\"nodes\":[{\"name\":"
	    "\"Apple\"},{\"name\":\"Cherry\"}],\"pageInfo\":{\"total\":5,"
	    "\"page\":1,\"pageSize\":2,\"pageCount\":3}}}}");
	/* offset pagination reported as pages */
	expect(f,
	       "{ products_connection(pagination: { start: 3, limit: 2 }) { "
	       "pageInfo { total page pageSize pageCount } } }",
	       NULL, 200,
	       "{\"data\":{\"products_connection\":{\"pageInfo\":{\"total\":5,"
	       "\"page\":2,\"pageSize\":2,\"pageCount\":3}}}}");
	expect(f,
	       "{ products_connection(filters: { name: { eq: \"nope\" } }) { "
	       "nodes { name } pageInfo { total page pageSize pageCount } } }",
	       NULL, 200,
	       "{\"data\":{\"products_connection\":{\"nodes\":[],\"pageInfo\":"
	       "{\"total\":0,\"page\":1,\"pageSize\":25,\"pageCount\":0}}}}");
	/* logical operators, not, in, between, null, Long filters */
	expect(f,
	       "{ products(sort: \"name\", filters: { or: [{ name: { eq: "
	       "\"Apple\" } }, { stock: { gte: 30 } }] }) { name } }",
	       NULL, 200,
	       "{\"data\":{\"products\":[{\"name\":\"Apple\"},{\"name\":"
	       "\"Cherry\"}]}}");
	expect(f,
	       "{ products(sort: \"name\", filters: { not: { name: { eqi: "
	       "\"apple\" } }, stock: { between: [10, 20] } }) { name } }",
	       NULL, 200, "{\"data\":{\"products\":[{\"name\":\"banana\"}]}}");
	expect(f,
	       "{ products(sort: \"name\", filters: { stock: { in: [0, 30] }, "
	       "bigValue: { null: false } }) { name } }",
	       NULL, 200, "{\"data\":{\"products\":[{\"name\":\"Cherry\"}]}}");
	expect(f,
	       "{ products(sort: \"name\", filters: { bigValue: { gt: \"150\" "
	       "}, name: { not: { eq: \"Cherry\" } } }) { name } }",
	       NULL, 200, "{\"data\":{\"products\":[{\"name\":\"banana\"}]}}");
	expect(f,
	       "{ products(sort: \"name\", filters: { releaseDate: { eq: null "
	       "}, category: { eq: \"alpha\" }, price: { lt: 2 } }) { name } }",
	       NULL, 200,
	       "{\"data\":{\"products\":[{\"name\":\"Apple\"},{\"name\":"
	       "\"banana\"}]}}");
	/* the spec's fragment example */
	expect(
	    f,
	    "fragment P on Product { name stock }\nquery Q { cheap: "
	    "products(filters: { price: { lt: 2 } }, sort: \"price\") { ...P "
	    "} pricey: products(filters: { price: { gte: 2 } }, sort: "
	    "\"price\") { ...P price } }",
	    NULL, 200,
	    "{\"data\":{\"cheap\":[{\"name\":\"banana\",\"stock\":20},"
	    "{\"name\":\"Apple\",\"stock\":11}],\"pricey\":[{\"name\":"
	    "\"Damson\",\"stock\":5,\"price\":2},{\"name\":\"Cherry\","
	    "\"stock\":30,\"price\":3},{\"name\":\"Elderberry\",\"stock\":0,"
	    "\"price\":10}]}}");
	doc = first_doc(f,
			"{ products(filters: { name: { eq: \"Apple\" } }) { "
			"documentId } }",
			"products");
	snprintf(q, sizeof(q),
		 "{ product(documentId: \"%s\") { __typename documentId name } "
		 "none: product(documentId: \"unknown\") { name } }",
		 doc);
	{
		char want[256];

		snprintf(want, sizeof(want),
			 "{\"data\":{\"product\":{\"__typename\":\"Product\","
			 "\"documentId\":\"%s\",\"name\":\"Apple\"},\"none\":"
			 "null}}",
			 doc);
		expect(f, q, NULL, 200, want);
	}
	free(doc);
	/* runtime errors from the REST query code */
	expect(f, "{ products(sort: \"nope\") { name } }", NULL, 200,
	       "{\"errors\":[{\"message\":\"Invalid key nope\",\"path\":"
	       "[\"products\"],\"extensions\":{\"code\":\"BAD_USER_INPUT\","
	       "\"error\":{\"name\":\"ValidationError\",\"message\":\"Invalid "
	       "key nope\",\"details\":{\"key\":\"nope\",\"path\":null,"
	       "\"source\":\"query\",\"param\":\"sort\"}}}}],\"data\":null}");
	expect(f,
	       "{ products_connection(pagination: { page: 1, start: 1 }) { "
	       "nodes { name } } }",
	       NULL, 200,
	       "{\"errors\":[{\"message\":\"Cannot use both page & offset "
	       "pagination in the same query\",\"path\":[\"products_connection"
	       "\"],\"extensions\":{\"code\":\"STRAPI_PAGINATION_ERROR\","
	       "\"error\":{\"name\":\"PaginationError\",\"message\":\"Cannot "
	       "use both page & offset pagination in the same query\","
	       "\"details\":{}}}}],\"data\":{\"products_connection\":null}}");
	expect(f,
	       "{ products(filters: { name: { or: [\"Apple\"] } }) { name } }",
	       NULL, 200,
	       "{\"errors\":[{\"message\":\"Undefined attribute level operator "
	       "$or\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":"
	       "[\"products\"],\"extensions\":{\"code\":"
	       "\"INTERNAL_SERVER_ERROR\"}}],\"data\":null}");
}

static void
test_language(void **state)
{
	struct fixture *f = *state;
	struct call c = {0};

	seed_products(f);
	c.auth = &f->full;
	c.vars = "{\"n\":2,\"skip\":true}";
	expect(
	    f,
	    "query($n: Int = 1, $skip: Boolean!, $s: [String] = "
	    "[\"name:desc\"]) { products(pagination: { pageSize: $n }, sort: "
	    "$s) { name stock @skip(if: $skip) ... on Product @include(if: "
	    "true) { price } } }",
	    &c, 200,
	    "{\"data\":{\"products\":[{\"name\":\"banana\",\"price\":0.5},"
	    "{\"name\":\"Elderberry\",\"price\":10}]}}");
	c.vars = NULL;
	c.op = "B";
	expect(f, "query A { __typename } query B { posts { title } }", &c, 200,
	       "{\"data\":{\"posts\":[]}}");
	c.op = "C";
	expect(
	    f, "query A { __typename } query B { posts { title } }", &c, 400,
	    "{\"errors\":[{\"message\":\"Unknown operation named \\\"C\\\".\","
	    "\"extensions\":{\"code\":\"OPERATION_RESOLUTION_FAILURE\"}}]}");
	expect(f, "query A { __typename } query B { posts { title } }", NULL,
	       400,
	       "{\"errors\":[{\"message\":\"Must provide operation name if "
	       "query contains multiple operations.\",\"extensions\":{\"code\":"
	       "\"OPERATION_RESOLUTION_FAILURE\"}}]}");
	/* variables: coercion errors are 400 BAD_USER_INPUT */
	c.op = NULL;
	c.vars = "{\"n\":\"abc\"}";
	expect(
	    f,
	    "query($n: Int) { articles(pagination: { pageSize: $n }) { title "
	    "} }",
	    &c, 400,
	    "{\"errors\":[{\"message\":\"Variable \\\"$n\\\" got invalid value "
	    "\\\"abc\\\"; Int cannot represent non-integer value: "
	    "\\\"abc\\\"\",\"locations\":[{\"line\":1,\"column\":7}],"
	    "\"extensions\":{\"code\":\"BAD_USER_INPUT\"}}]}");
	c.vars = "{\"f\":{\"name\":{\"endsWithi\":\"a\"}}}";
	expect(
	    f,
	    "query($f: ProductFiltersInput) { products(filters: $f) { name } "
	    "}",
	    &c, 400,
	    "{\"errors\":[{\"message\":\"Variable \\\"$f\\\" got invalid value "
	    "{ endsWithi: \\\"a\\\" } at \\\"f.name\\\"; Field "
	    "\\\"endsWithi\\\" is not defined by type "
	    "\\\"StringFilterInput\\\". Did you mean \\\"endsWith\\\"?\","
	    "\"locations\":[{\"line\":1,\"column\":7}],\"extensions\":"
	    "{\"code\":\"BAD_USER_INPUT\"}}]}");
	c.vars = "{}";
	expect(
	    f,
	    "query($n: Int!) { products(pagination: { page: $n }) { name } }",
	    &c, 400,
	    "{\"errors\":[{\"message\":\"Variable \\\"$n\\\" of required type "
	    "\\\"Int!\\\" was not provided.\",\"locations\":[{\"line\":1,"
	    "\"column\":7}],\"extensions\":{\"code\":\"BAD_USER_INPUT\"}}]}");
	c.vars =
	    "{\"d\":{\"name\":\"Fig\",\"bigValue\":\"12345\",\"meta\":"
	    "{\"x\":[1]},\"category\":\"gamma\",\"openingTime\":\"10:00\"}}";
	expect(
	    f,
	    "mutation($d: ProductInput!) { createProduct(data: $d) { name "
	    "bigValue meta category openingTime } }",
	    &c, 400,
	    "{\"errors\":[{\"message\":\"Variable \\\"$d\\\" got invalid value "
	    "\\\"10:00\\\" at \\\"d.openingTime\\\"; Expected type "
	    "\\\"Time\\\". Invalid time format, expected HH:mm:ss.SSS\","
	    "\"locations\":[{\"line\":1,\"column\":10}],\"extensions\":"
	    "{\"code\":\"BAD_USER_INPUT\"}}]}");
	c.vars = "{\"d\":{\"name\":\"Fig\",\"bigValue\":\"12345\",\"meta\":"
		 "{\"x\":[1]},\"category\":\"gamma\",\"openingTime\":"
		 "\"10:00:00.000\"}}";
	expect(f,
	       "mutation($d: ProductInput!) { createProduct(data: $d) { name "
	       "bigValue meta category openingTime } }",
	       &c, 200,
	       "{\"data\":{\"createProduct\":{\"name\":\"Fig\",\"bigValue\":"
	       "12345,\"meta\":{\"x\":[1]},\"category\":\"gamma\","
	       "\"openingTime\":\"10:00:00.000\"}}}");
	/* transport-level rules of the pipeline */
	expect(f, "{ products { name }", NULL, 400,
	       "{\"errors\":[{\"message\":\"Syntax Error: Expected Name, found "
	       "<EOF>.\",\"locations\":[{\"line\":1,\"column\":20}],"
	       "\"extensions\":{\"code\":\"GRAPHQL_PARSE_FAILED\"}}]}");
	memset(&c, 0, sizeof(c));
	c.auth = &f->full;
	c.get = true;
	expect(f,
	       "mutation { deleteArticle(documentId: \"x\") { documentId } }",
	       &c, 405,
	       "{\"errors\":[{\"message\":\"GET requests only support query "
	       "operations, not mutation operations\",\"extensions\":{\"code\":"
	       "\"BAD_REQUEST\"}}]}");
	expect(f, "{ __typename }", &c, 200,
	       "{\"data\":{\"__typename\":\"Query\"}}");
	c.get = false;
	c.max_aliases = 2;
	expect(f, "{ a: __typename b: __typename c: __typename }", &c, 400,
	       "{\"errors\":[{\"message\":\"Aliases limit of 2 exceeded, found "
	       "3.\",\"locations\":[{\"line\":1,\"column\":31}],\"extensions\":"
	       "{\"code\":\"GRAPHQL_VALIDATION_FAILED\"}}]}");
}

static void
test_mutations(void **state)
{
	struct fixture *f = *state;
	char q[512], want[512], *doc;

	expect(
	    f,
	    "mutation { createProduct(data: { name: \"Gql\", locale: \"en\", "
	    "publishedAt: \"2024-01-01T00:00:00.000Z\" }) { name category "
	    "active } }",
	    NULL, 200,
	    "{\"data\":{\"createProduct\":{\"name\":\"Gql\",\"category\":"
	    "\"alpha\",\"active\":true}}}");
	expect(f,
	       "mutation { createProduct(data: { name: \"Gql\" }) { name } }",
	       NULL, 200,
	       "{\"errors\":[{\"message\":\"This attribute must be unique\","
	       "\"path\":[\"createProduct\"],\"extensions\":{\"code\":"
	       "\"BAD_USER_INPUT\",\"error\":{\"name\":\"ValidationError\","
	       "\"message\":\"This attribute must be unique\",\"details\":"
	       "{\"errors\":[{\"path\":[\"name\"],\"message\":\"This attribute "
	       "must be unique\",\"name\":\"ValidationError\",\"value\":"
	       "\"Gql\"}]}}}}],\"data\":{\"createProduct\":null}}");
	expect_has(f, "mutation { createProduct(data: { stock: 5 }) { name } }",
		   NULL, 200,
		   "\"message\":\"name must be defined.\",\"path\":"
		   "[\"createProduct\"]");
	doc = first_doc(f, "{ products { documentId } }", "products");
	snprintf(
	    q, sizeof(q),
	    "mutation { updateProduct(documentId: \"%s\", data: { stock: 7 "
	    "}) { name stock } }",
	    doc);
	expect(f, q, NULL, 200,
	       "{\"data\":{\"updateProduct\":{\"name\":\"Gql\",\"stock\":7}}}");
	expect(
	    f,
	    "mutation { updateProduct(documentId: \"nope\", data: { stock: 7 "
	    "}) { name } }",
	    NULL, 200, "{\"data\":{\"updateProduct\":null}}");
	snprintf(
	    q, sizeof(q),
	    "mutation { deleteProduct(documentId: \"%s\") { documentId } }",
	    doc);
	snprintf(want, sizeof(want),
		 "{\"data\":{\"deleteProduct\":{\"documentId\":\"%s\"}}}", doc);
	expect(f, q, NULL, 200, want);
	expect(f, q, NULL, 200, want); /* again: Strapi's quirk */
	free(doc);
	expect(f, "{ products { name } }", NULL, 200,
	       "{\"data\":{\"products\":[]}}");

	/* single types */
	expect(
	    f, "mutation { deleteHomepage { documentId } }", NULL, 200,
	    "{\"errors\":[{\"message\":\"Document not found\",\"path\":"
	    "[\"deleteHomepage\"],\"extensions\":{\"code\":"
	    "\"STRAPI_NOT_FOUND_ERROR\",\"error\":{\"name\":\"NotFoundError\","
	    "\"message\":\"Document not found\",\"details\":{}}}}],\"data\":"
	    "{\"deleteHomepage\":null}}");
	expect(f, "{ homepage { heading } }", NULL, 200,
	       "{\"data\":{\"homepage\":null}}");
	expect(f,
	       "mutation { updateHomepage(data: { heading: \"Hi\" }) { heading "
	       "tagline } }",
	       NULL, 200,
	       "{\"data\":{\"updateHomepage\":{\"heading\":\"Hi\",\"tagline\":"
	       "null}}}");
	expect(f,
	       "mutation { updateHomepage(data: { tagline: \"t\" }) { heading "
	       "tagline } }",
	       NULL, 200,
	       "{\"data\":{\"updateHomepage\":{\"heading\":\"Hi\",\"tagline\":"
	       "\"t\"}}}");
	expect(f, "{ homepage { heading } }", NULL, 200,
	       "{\"data\":{\"homepage\":{\"heading\":\"Hi\"}}}");
	expect_has(f, "mutation { deleteHomepage { documentId } }", NULL, 200,
		   "{\"data\":{\"deleteHomepage\":{\"documentId\":\"");

	/* draft & publish */
	expect_has(f,
		   "mutation { createPost(data: { title: \"Pub\" }) { title "
		   "publishedAt } }",
		   NULL, 200, "\"publishedAt\":\"20");
	expect(
	    f,
	    "mutation { createPost(status: DRAFT, data: { rating: 1 }) { "
	    "rating publishedAt } }",
	    NULL, 200,
	    "{\"data\":{\"createPost\":{\"rating\":1,\"publishedAt\":null}}}");
	expect(f, "{ posts { title } }", NULL, 200,
	       "{\"data\":{\"posts\":[{\"title\":\"Pub\"}]}}");
	/* a draft without its required title breaks Post.title: String! */
	expect(
	    f, "{ posts(status: DRAFT, sort: \"rating\") { title } }", NULL,
	    200,
	    "{\"errors\":[{\"message\":\"Cannot return null for non-nullable "
	    "field Post.title.\",\"locations\":[{\"line\":1,\"column\":42}],"
	    "\"path\":[\"posts\",1,\"title\"],\"extensions\":{\"code\":"
	    "\"INTERNAL_SERVER_ERROR\"}}],\"data\":{\"posts\":[{\"title\":"
	    "\"Pub\"},null]}}");
}

static void
test_auth(void **state)
{
	struct fixture *f = *state;
	struct call c = {0};

	/* no token: the public role, nothing granted */
	c.auth = NULL;
	expect(
	    f, "{ articles { documentId title views published } }", &c, 200,
	    "{\"errors\":[{\"message\":\"Forbidden access\",\"path\":"
	    "[\"articles\"],\"extensions\":{\"code\":\"FORBIDDEN\",\"error\":"
	    "{\"name\":\"ForbiddenError\",\"message\":\"Forbidden access\","
	    "\"details\":{}}}}],\"data\":null}");
	expect(f, "{ __typename }", &c, 200,
	       "{\"data\":{\"__typename\":\"Query\"}}");
	/* read-only: queries yes, mutations no */
	c.auth = &f->read_only;
	expect(f, "{ articles { title } }", &c, 200,
	       "{\"data\":{\"articles\":[]}}");
	expect(
	    f,
	    "mutation { createArticle(data: { title: \"gql\" }) { documentId "
	    "title } }",
	    &c, 200,
	    "{\"errors\":[{\"message\":\"Forbidden access\",\"path\":"
	    "[\"createArticle\"],\"extensions\":{\"code\":\"FORBIDDEN\","
	    "\"error\":{\"name\":\"ForbiddenError\",\"message\":\"Forbidden "
	    "access\",\"details\":{}}}}],\"data\":{\"createArticle\":null}}");
	/* custom: exactly its actions; non-null roots null the data */
	c.auth = &f->custom;
	expect_has(f,
		   "mutation { createArticle(data: { title: \"gql\" }) { title "
		   "} }",
		   &c, 200,
		   "{\"data\":{\"createArticle\":{\"title\":\"gql\"}}}");
	expect(
	    f,
	    "{ products_connection { pageInfo { total } } product(documentId: "
	    "\"x\") { name } }",
	    &c, 200,
	    "{\"errors\":[{\"message\":\"Forbidden access\",\"path\":"
	    "[\"product\"],\"extensions\":{\"code\":\"FORBIDDEN\",\"error\":"
	    "{\"name\":\"ForbiddenError\",\"message\":\"Forbidden access\","
	    "\"details\":{}}}}],\"data\":{\"products_connection\":"
	    "{\"pageInfo\":{\"total\":0}},\"product\":null}}");
	expect(f, "{ products { name } posts { title } }", &c, 200,
	       "{\"errors\":[{\"message\":\"Forbidden access\",\"path\":"
	       "[\"posts\"],\"extensions\":{\"code\":\"FORBIDDEN\",\"error\":"
	       "{\"name\":\"ForbiddenError\",\"message\":\"Forbidden access\","
	       "\"details\":{}}}}],\"data\":null}");
}

static void
test_introspection(void **state)
{
	struct fixture *f = *state;
	struct call c = {0};
	int status;
	char *body;

	c.auth = &f->full;
	expect(
	    f,
	    "{ __type(name: \"Pagination\") { kind name fields { name type { "
	    "kind ofType { name } } } } }",
	    &c, 200,
	    "{\"data\":{\"__type\":{\"kind\":\"OBJECT\",\"name\":"
	    "\"Pagination\",\"fields\":[{\"name\":\"total\",\"type\":{\"kind\""
	    ":\"NON_NULL\",\"ofType\":{\"name\":\"Int\"}}},{\"name\":\"page\","
	    "\"type\":{\"kind\":\"NON_NULL\",\"ofType\":{\"name\":\"Int\"}}},"
	    "{\"name\":\"pageSize\",\"type\":{\"kind\":\"NON_NULL\",\"ofType\""
	    ":{\"name\":\"Int\"}}},{\"name\":\"pageCount\",\"type\":{\"kind\""
	    ":\"NON_NULL\",\"ofType\":{\"name\":\"Int\"}}}]}}}");
	expect(
	    f,
	    "{ __type(name: \"PublicationStatus\") { enumValues { name } "
	    "inputFields { name } fields { name } } nope: __type(name: "
	    "\"Nope\") { name } }",
	    &c, 200,
	    "{\"data\":{\"__type\":{\"enumValues\":[{\"name\":\"DRAFT\"},"
	    "{\"name\":\"PUBLISHED\"}],\"inputFields\":null,\"fields\":null},"
	    "\"nope\":null}}");
	expect(
	    f,
	    "{ __schema { queryType { name } mutationType { name } "
	    "subscriptionType { name } directives { name locations args { "
	    "name defaultValue } } } }",
	    &c, 200,
	    "{\"data\":{\"__schema\":{\"queryType\":{\"name\":\"Query\"},"
	    "\"mutationType\":{\"name\":\"Mutation\"},\"subscriptionType\":"
	    "null,\"directives\":[{\"name\":\"include\",\"locations\":"
	    "[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_FRAGMENT\"],\"args\":"
	    "[{\"name\":\"if\",\"defaultValue\":null}]},{\"name\":\"skip\","
	    "\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\","
	    "\"INLINE_FRAGMENT\"],\"args\":[{\"name\":\"if\","
	    "\"defaultValue\":null}]},{\"name\":\"deprecated\",\"locations\":"
	    "[\"FIELD_DEFINITION\",\"ARGUMENT_DEFINITION\",\"ENUM_VALUE\","
	    "\"INPUT_FIELD_DEFINITION\"],\"args\":[{\"name\":\"reason\","
	    "\"defaultValue\":\"\\\"No longer supported\\\"\"}]},{\"name\":"
	    "\"specifiedBy\",\"locations\":[\"SCALAR\"],\"args\":[{\"name\":"
	    "\"url\",\"defaultValue\":null}]},{\"name\":\"oneOf\","
	    "\"locations\":[\"INPUT_OBJECT\"],\"args\":[]}]}}}");
	/* every named type appears, introspection types included */
	body = run(f, "{ __schema { types { name } } }", &c, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body, "{\"name\":\"ProductFiltersInput\"}"));
	assert_non_null(strstr(body, "{\"name\":\"__Directive\"}"));
	assert_non_null(strstr(body, "{\"name\":\"Long\"}"));
	free(body);
	c.no_introspection = true;
	expect(
	    f, "{ __schema { queryType { name } } }", &c, 400,
	    "{\"errors\":[{\"message\":\"GraphQL introspection is not allowed "
	    "by Apollo Server, but the query contained __schema or __type. "
	    "To enable introspection, pass introspection: true to "
	    "ApolloServer in production\",\"locations\":[{\"line\":1,"
	    "\"column\":3}],\"extensions\":{\"validationErrorCode\":"
	    "\"INTROSPECTION_DISABLED\",\"code\":"
	    "\"GRAPHQL_VALIDATION_FAILED\"}}]}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_queries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_language, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mutations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_auth, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_introspection, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
