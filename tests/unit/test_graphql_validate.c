/* SPDX-License-Identifier: MIT */
/*
 * test_graphql_validate.c: gql_validate() against the schema generated
 * from tests/fixtures. The expected errors of the first table (message and
 * locations, in order) were produced by graphql-js 16.15's validate() on
 * the same schema (built from our introspection with buildClientSchema);
 * the second table holds the custom scalars' messages recorded from
 * Strapi (strapi-graphql.md section 7), which a client-side schema cannot
 * reproduce. Also: Apollo's introspection refusal, the depth and alias
 * bounds, and the schema's generated shape.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/mem.h"
#include "graphql/ast.h"
#include "graphql/schema.h"
#include "graphql/validate.h"

struct fixture {
	struct schema_registry reg;
	struct gql_schema *schema;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct err e = ERR_INIT;
	const char *dir = getenv("TOLLGATE_FIXTURES");

	schema_registry_init(&f->reg);
	assert_int_equal(
	    schema_registry_load(&f->reg, dir ? dir : "tests/fixtures", &e), 0);
	assert_int_equal(gql_schema_build(&f->reg, &f->schema, &e), 0);
	err_release(&e);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	gql_schema_free(f->schema);
	schema_registry_release(&f->reg);
	free(f);
	return 0;
}

/* The errors of validating 'src' as compact JSON [{message, locations}]. */
static char *
errors_of(struct fixture *f, const char *src,
	  const struct gql_validate_options *o, bool keep_extensions)
{
	struct gql_document *doc = NULL;
	struct gql_error perr;
	json_t *errors = NULL, *out = json_array(), *e;
	size_t i;
	char *s;

	if (gql_parse(src, strlen(src), NULL, &doc, &perr) != 0)
		fail_msg("parse failed: %s", perr.message);
	if (gql_validate(f->schema, doc, o, &errors) == 0)
		assert_null(errors);
	json_array_foreach(errors, i, e)
	{
		json_t *x = json_object();

		json_object_set(x, "message", json_object_get(e, "message"));
		if (json_object_get(e, "locations"))
			json_object_set(x, "locations",
					json_object_get(e, "locations"));
		if (keep_extensions)
			json_object_set(x, "extensions",
					json_object_get(e, "extensions"));
		else
			assert_string_equal(
			    json_string_value(json_object_get(
				json_object_get(e, "extensions"), "code")),
			    "GRAPHQL_VALIDATION_FAILED");
		json_array_append_new(out, x);
	}
	s = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(out);
	json_decref(errors);
	gql_document_free(doc);
	return s;
}

static void
check(struct fixture *f, const char *src, const char *want)
{
	struct gql_validate_options o = {true, 0, 0, src, strlen(src)};
	char *got = errors_of(f, src, &o, false);

	if (strcmp(got, want))
		fail_msg("%s\n  got:  %s\n  want: %s", src, got, want);
	free(got);
}

/* graphql-js 16.15 validate() on the same schema */
static const struct {
	const char *src, *want;
} graphql_js[] = {
    {"{ products { name } }", "[]"},
    {"query Q { __typename } query Q { __typename }",
     "[{\"message\":\"There can be only one operation named "
     "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,"
     "\"column\":30}]}]"},
    {"query($x: Int, $x: Int) { products(pagination: {page: $x}) { name } }",
     "[{\"message\":\"There can be only one variable named "
     "\\\"$x\\\".\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,"
     "\"column\":17}]}]"},
    {"{ a: products { name } a: posts { title } }",
     "[{\"message\":\"Fields \\\"a\\\" conflict because \\\"products\\\" and "
     "\\\"posts\\\" are different fields. Use different aliases on the fields "
     "to fetch both if this was "
     "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,"
     "\"column\":24}]}]"},
    {"{ products { name: sku } }", "[]"},
    {"{ products(sort: \"name\") { name } products(sort: \"sku\") { name } }",
     "[{\"message\":\"Fields \\\"products\\\" conflict because they have "
     "differing arguments. Use different aliases on the fields to fetch both "
     "if this was "
     "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,"
     "\"column\":35}]}]"},
    {"{ products { name { x } } }",
     "[{\"message\":\"Field \\\"name\\\" must not have a selection since type "
     "\\\"String!\\\" has no "
     "subfields.\",\"locations\":[{\"line\":1,\"column\":19}]}]"},
    {"{ products }",
     "[{\"message\":\"Field \\\"products\\\" of type \\\"[Product]!\\\" must "
     "have a selection of subfields. Did you mean \\\"products { ... "
     "}\\\"?\",\"locations\":[{\"line\":1,\"column\":3}]}]"},
    {"{ products_connection { nodes pageInfo { total } } }",
     "[{\"message\":\"Field \\\"nodes\\\" of type \\\"[Product!]!\\\" must "
     "have a selection of subfields. Did you mean \\\"nodes { ... "
     "}\\\"?\",\"locations\":[{\"line\":1,\"column\":25}]}]"},
    {"query { __typename } { __typename }",
     "[{\"message\":\"This anonymous operation must be the only defined "
     "operation.\",\"locations\":[{\"line\":1,\"column\":1}]},{\"message\":"
     "\"This anonymous operation must be the only defined "
     "operation.\",\"locations\":[{\"line\":1,\"column\":22}]}]"},
    {"{ ...F }", "[{\"message\":\"Unknown fragment "
		 "\\\"F\\\".\",\"locations\":[{\"line\":1,\"column\":6}]}]"},
    {"fragment F on Query { __typename } { __typename }",
     "[{\"message\":\"Fragment \\\"F\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":1}]}]"},
    {"fragment F on Query { ...G } fragment G on Query { ...F } { ...F }",
     "[{\"message\":\"Cannot spread fragment \\\"F\\\" within itself via "
     "\\\"G\\\".\",\"locations\":[{\"line\":1,\"column\":23},{\"line\":1,"
     "\"column\":52}]}]"},
    {"fragment F on Query { ...G } fragment G on Query { ...H } fragment H on "
     "Query { ...F } { ...F }",
     "[{\"message\":\"Cannot spread fragment \\\"F\\\" within itself via "
     "\\\"G\\\", "
     "\\\"H\\\".\",\"locations\":[{\"line\":1,\"column\":23},{\"line\":1,"
     "\"column\":52},{\"line\":1,\"column\":81}]}]"},
    {"fragment F on String { x } { ...F }",
     "[{\"message\":\"Fragment \\\"F\\\" cannot condition on non composite "
     "type \\\"String\\\".\",\"locations\":[{\"line\":1,\"column\":15}]}]"},
    {"{ ... on String { x } }",
     "[{\"message\":\"Fragment cannot condition on non composite type "
     "\\\"String\\\".\",\"locations\":[{\"line\":1,\"column\":10}]}]"},
    {"{ ... on Nope { x } }",
     "[{\"message\":\"Unknown type "
     "\\\"Nope\\\".\",\"locations\":[{\"line\":1,\"column\":10}]}]"},
    {"fragment F on Product { name } { ...F }",
     "[{\"message\":\"Fragment \\\"F\\\" cannot be spread here as objects of "
     "type \\\"Query\\\" can never be of type "
     "\\\"Product\\\".\",\"locations\":[{\"line\":1,\"column\":34}]}]"},
    {"{ products { ... on Post { title } } }",
     "[{\"message\":\"Fragment cannot be spread here as objects of type "
     "\\\"Product\\\" can never be of type "
     "\\\"Post\\\".\",\"locations\":[{\"line\":1,\"column\":14}]}]"},
    {"query($x: Product) { __typename }",
     "[{\"message\":\"Variable \\\"$x\\\" cannot be non-input type "
     "\\\"Product\\\".\",\"locations\":[{\"line\":1,\"column\":11}]},{"
     "\"message\":\"Variable \\\"$x\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":7}]}]"},
    {"query($x: Nope) { __typename }",
     "[{\"message\":\"Unknown type "
     "\\\"Nope\\\".\",\"locations\":[{\"line\":1,\"column\":11}]},{\"message\":"
     "\"Variable \\\"$x\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":7}]}]"},
    {"query($x: Int) { __typename }",
     "[{\"message\":\"Variable \\\"$x\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":7}]}]"},
    {"query Q($x: Int) { __typename }",
     "[{\"message\":\"Variable \\\"$x\\\" is never used in operation "
     "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":9}]}]"},
    {"{ products(pagination: {page: $p}) { name } }",
     "[{\"message\":\"Variable \\\"$p\\\" is not "
     "defined.\",\"locations\":[{\"line\":1,\"column\":31},{\"line\":1,"
     "\"column\":1}]}]"},
    {"query Q { products(pagination: {page: $p}) { name } }",
     "[{\"message\":\"Variable \\\"$p\\\" is not defined by operation "
     "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":39},{\"line\":1,"
     "\"column\":1}]}]"},
    {"query($p: String) { products(pagination: {page: $p}) { name } }",
     "[{\"message\":\"Variable \\\"$p\\\" of type \\\"String\\\" used in "
     "position expecting type "
     "\\\"Int\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,"
     "\"column\":49}]}]"},
    {"query($d: ID) { product(documentId: $d) { name } }",
     "[{\"message\":\"Variable \\\"$d\\\" of type \\\"ID\\\" used in position "
     "expecting type "
     "\\\"ID!\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,"
     "\"column\":37}]}]"},
    {"query($d: ID = \"x\") { product(documentId: $d) { name } }", "[]"},
    {"{ products @nope { name } }",
     "[{\"message\":\"Unknown directive "
     "\\\"@nope\\\".\",\"locations\":[{\"line\":1,\"column\":12}]}]"},
    {"{ products @skip(if: true) @skip(if: false) { name } }",
     "[{\"message\":\"The directive \\\"@skip\\\" can only be used once at "
     "this "
     "location.\",\"locations\":[{\"line\":1,\"column\":12},{\"line\":1,"
     "\"column\":28}]}]"},
    {"query @skip(if: true) { __typename }",
     "[{\"message\":\"Directive \\\"@skip\\\" may not be used on "
     "QUERY.\",\"locations\":[{\"line\":1,\"column\":7}]}]"},
    {"{ products @skip { name } }",
     "[{\"message\":\"Directive \\\"@skip\\\" argument \\\"if\\\" of type "
     "\\\"Boolean!\\\" is required, but it was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":12}]}]"},
    {"{ products @skip(if: true, foo: 1) { name } }",
     "[{\"message\":\"Unknown argument \\\"foo\\\" on directive "
     "\\\"@skip\\\".\",\"locations\":[{\"line\":1,\"column\":28}]}]"},
    {"{ products(filters: {name: {eq: 1}}) { name } }",
     "[{\"message\":\"String cannot represent a non string value: "
     "1\",\"locations\":[{\"line\":1,\"column\":33}]}]"},
    {"{ products(filters: {stock: {eq: \"x\"}}) { name } }",
     "[{\"message\":\"Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":34}]}]"},
    {"{ products(filters: {stock: {eq: 1.5}}) { name } }",
     "[{\"message\":\"Int cannot represent non-integer value: "
     "1.5\",\"locations\":[{\"line\":1,\"column\":34}]}]"},
    {"{ products(filters: {stock: {eq: 3000000000}}) { name } }",
     "[{\"message\":\"Int cannot represent non 32-bit signed integer value: "
     "3000000000\",\"locations\":[{\"line\":1,\"column\":34}]}]"},
    {"{ products(filters: {price: {eq: \"x\"}}) { name } }",
     "[{\"message\":\"Float cannot represent non numeric value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":34}]}]"},
    {"{ products(filters: {active: {eq: 1}}) { name } }",
     "[{\"message\":\"Boolean cannot represent a non boolean value: "
     "1\",\"locations\":[{\"line\":1,\"column\":35}]}]"},
    {"{ products(filters: {documentId: {eq: 1.5}}) { name } }",
     "[{\"message\":\"ID cannot represent a non-string and non-integer value: "
     "1.5\",\"locations\":[{\"line\":1,\"column\":39}]}]"},
    {"{ products(filters: 5) { name } }",
     "[{\"message\":\"Expected value of type \\\"ProductFiltersInput\\\", "
     "found 5.\",\"locations\":[{\"line\":1,\"column\":21}]}]"},
    {"{ products(filters: [5]) { name } }",
     "[{\"message\":\"Expected value of type \\\"ProductFiltersInput\\\", "
     "found [5].\",\"locations\":[{\"line\":1,\"column\":21}]}]"},
    {"{ products(pagination: {page: 1, page: 2}) { name } }",
     "[{\"message\":\"There can be only one input field named "
     "\\\"page\\\".\",\"locations\":[{\"line\":1,\"column\":25},{\"line\":1,"
     "\"column\":34}]}]"},
    {"{ products(status: DRAFTY) { name } }",
     "[{\"message\":\"Value \\\"DRAFTY\\\" does not exist in "
     "\\\"PublicationStatus\\\" enum. Did you mean the enum value "
     "\\\"DRAFT\\\"?\",\"locations\":[{\"line\":1,\"column\":20}]}]"},
    {"{ products(status: \"DRAFT\") { name } }",
     "[{\"message\":\"Enum \\\"PublicationStatus\\\" cannot represent non-enum "
     "value: \\\"DRAFT\\\". Did you mean the enum value "
     "\\\"DRAFT\\\"?\",\"locations\":[{\"line\":1,\"column\":20}]}]"},
    {"{ product(documentId: null) { name } }",
     "[{\"message\":\"Expected value of type \\\"ID!\\\", found "
     "null.\",\"locations\":[{\"line\":1,\"column\":23}]}]"},
    {"mutation { createProduct { name } }",
     "[{\"message\":\"Field \\\"createProduct\\\" argument \\\"data\\\" of "
     "type \\\"ProductInput!\\\" is required, but it was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":12}]}]"},
    {"mutation { createProduct(data: null) { name } }",
     "[{\"message\":\"Expected value of type \\\"ProductInput!\\\", found "
     "null.\",\"locations\":[{\"line\":1,\"column\":32}]}]"},
    {"mutation { createProduct(data: {nam: \"x\"}) { name } }",
     "[{\"message\":\"Field \\\"nam\\\" is not defined by type "
     "\\\"ProductInput\\\". Did you mean "
     "\\\"name\\\"?\",\"locations\":[{\"line\":1,\"column\":33}]}]"},
    {"mutation { createProduct(data: {name: \"x\", category: \"beta\"}) { name "
     "} }",
     "[{\"message\":\"Enum \\\"ENUM_PRODUCT_CATEGORY\\\" cannot represent "
     "non-enum value: \\\"beta\\\". Did you mean the enum value "
     "\\\"beta\\\"?\",\"locations\":[{\"line\":1,\"column\":54}]}]"},
    {"mutation { createProduct(data: {name: \"x\", meta: {a: [1, {b: $v}]}}) { "
     "name } }",
     "[{\"message\":\"Variable \\\"$v\\\" is not "
     "defined.\",\"locations\":[{\"line\":1,\"column\":62},{\"line\":1,"
     "\"column\":1}]}]"},
    {"{ products(sort: [\"a\", 1]) { name } }",
     "[{\"message\":\"String cannot represent a non string value: "
     "1\",\"locations\":[{\"line\":1,\"column\":24}]}]"},
    {"{ products(sort: 1) { name } }",
     "[{\"message\":\"String cannot represent a non string value: "
     "1\",\"locations\":[{\"line\":1,\"column\":18}]}]"},
    {"{ __type(name: \"Product\") { name fields { name } } }", "[]"},
    {"{ __type { name } }",
     "[{\"message\":\"Field \\\"__type\\\" argument \\\"name\\\" of type "
     "\\\"String!\\\" is required, but it was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":3}]}]"},
    {"{ __schema { types { name } nope } }",
     "[{\"message\":\"Cannot query field \\\"nope\\\" on type "
     "\\\"__Schema\\\".\",\"locations\":[{\"line\":1,\"column\":29}]}]"},
    {"{ products { __typename name } }", "[]"},
    {"{ products { ... { name } } }", "[]"},
    {"query($x: [Int!]!) { products(filters: {stock: {in: $x}}) { name } }",
     "[]"},
    {"query($x: [Int]) { products(filters: {stock: {in: [$x]}}) { name } }",
     "[{\"message\":\"Variable \\\"$x\\\" of type \\\"[Int]\\\" used in "
     "position expecting type "
     "\\\"Int\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,"
     "\"column\":52}]}]"},
    {"query($x: Int!) { products(filters: {stock: {in: [$x]}}) { name } }",
     "[]"},
    {"query($x: Boolean) { products @include(if: $x) { name } }",
     "[{\"message\":\"Variable \\\"$x\\\" of type \\\"Boolean\\\" used in "
     "position expecting type "
     "\\\"Boolean!\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,"
     "\"column\":44}]}]"},
    {"query($x: Boolean = true) { products @include(if: $x) { name } }", "[]"},
    {"subscription { products { name } }", "[]"},
    {"{ products(pagination: {page: 1}, pagination: {page: 2}) { name } }",
     "[{\"message\":\"There can be only one argument named "
     "\\\"pagination\\\".\",\"locations\":[{\"line\":1,\"column\":12},{"
     "\"line\":1,\"column\":35}]}]"},
    {"{ products { name } posts { title } product(documentId: \"x\") { nope } "
     "}",
     "[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Product\\\". "
     "Did you mean "
     "\\\"name\\\"?\",\"locations\":[{\"line\":1,\"column\":64}]}]"},
    {"query($f: ProductFiltersInput) { products(filters: $f) { name } }", "[]"},
    {"query($s: PublicationStatus) { products(status: $s) { name } }", "[]"},
    {"query($s: String) { products(status: $s) { name } }",
     "[{\"message\":\"Variable \\\"$s\\\" of type \\\"String\\\" used in "
     "position expecting type "
     "\\\"PublicationStatus\\\".\",\"locations\":[{\"line\":1,\"column\":7},{"
     "\"line\":1,\"column\":38}]}]"},
    {"{ article(documentId: \"x\") { title views } }", "[]"},
    {"{ products { name } } fragment Unused on Product { name }",
     "[{\"message\":\"Fragment \\\"Unused\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":23}]}]"},
    {"{ products { ... on Product { name } ... on Query { __typename } } }",
     "[{\"message\":\"Fragment cannot be spread here as objects of type "
     "\\\"Product\\\" can never be of type "
     "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":38}]}]"},
    {"query ($a: Int = \"x\") { __typename }",
     "[{\"message\":\"Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":18}]},{\"message\":"
     "\"Variable \\\"$a\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":8}]}]"},
    {"query ($a: Int!) { __typename }",
     "[{\"message\":\"Variable \\\"$a\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":8}]}]"},
    {"query Q($id: ID!) {\n  product(documentId: $id) {\n    name\n    nope\n  "
     "}\n  posts { title { x } }\n}",
     "[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Product\\\". "
     "Did you mean "
     "\\\"name\\\"?\",\"locations\":[{\"line\":4,\"column\":5}]},{\"message\":"
     "\"Field \\\"title\\\" must not have a selection since type "
     "\\\"String!\\\" has no "
     "subfields.\",\"locations\":[{\"line\":6,\"column\":17}]}]"},
    {"{ products { name @include(if: true) @deprecated } }",
     "[{\"message\":\"Directive \\\"@deprecated\\\" may not be used on "
     "FIELD.\",\"locations\":[{\"line\":1,\"column\":38}]}]"},
    {"query @include(if: true) { __typename }",
     "[{\"message\":\"Directive \\\"@include\\\" may not be used on "
     "QUERY.\",\"locations\":[{\"line\":1,\"column\":7}]}]"},
    {"fragment F on Product { name } { products { ...F ...F } }", "[]"},
    {"{ products_connection { nodes { name } pageInfo { total page nope } } }",
     "[{\"message\":\"Cannot query field \\\"nope\\\" on type "
     "\\\"Pagination\\\".\",\"locations\":[{\"line\":1,\"column\":62}]}]"},
    {"{ posts(filters: { or: [{ title: { eq: \"a\" } }, { rating: { gt: \"x\" "
     "} }] }) { title } }",
     "[{\"message\":\"Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":65}]}]"},
    {"{ products(filters: { not: { name: { contains: 5 } } }) { name } }",
     "[{\"message\":\"String cannot represent a non string value: "
     "5\",\"locations\":[{\"line\":1,\"column\":48}]}]"},
    {"mutation { updateProduct(data: {name: \"x\"}) { name } }",
     "[{\"message\":\"Field \\\"updateProduct\\\" argument \\\"documentId\\\" "
     "of type \\\"ID!\\\" is required, but it was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":12}]}]"},
    {"mutation { deleteHomepage(documentId: \"x\") { documentId } }",
     "[{\"message\":\"Unknown argument \\\"documentId\\\" on field "
     "\\\"Mutation.deleteHomepage\\\".\",\"locations\":[{\"line\":1,\"column\":"
     "27}]}]"},
    {"{ homepage(filters: {}) { heading } }",
     "[{\"message\":\"Unknown argument \\\"filters\\\" on field "
     "\\\"Query.homepage\\\".\",\"locations\":[{\"line\":1,\"column\":12}]}]"},
    {"query($n: Int = 5, $m: [String] = [\"a\", 1]) { __typename }",
     "[{\"message\":\"String cannot represent a non string value: "
     "1\",\"locations\":[{\"line\":1,\"column\":41}]},{\"message\":\"Variable "
     "\\\"$n\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":7}]},{\"message\":"
     "\"Variable \\\"$m\\\" is never "
     "used.\",\"locations\":[{\"line\":1,\"column\":20}]}]"},
    {"{ products(pagination: {pageSize: 1, limit: \"two\"}) { name } }",
     "[{\"message\":\"Int cannot represent non-integer value: "
     "\\\"two\\\"\",\"locations\":[{\"line\":1,\"column\":45}]}]"},
    {"{ products { name } products { name: sku } }",
     "[{\"message\":\"Fields \\\"products\\\" conflict because subfields "
     "\\\"name\\\" conflict because \\\"name\\\" and \\\"sku\\\" are different "
     "fields. Use different aliases on the fields to fetch both if this was "
     "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,"
     "\"column\":14},{\"line\":1,\"column\":21},{\"line\":1,\"column\":32}]}]"},
    {"{ products { name stock } products { stock: price name } }",
     "[{\"message\":\"Fields \\\"products\\\" conflict because subfields "
     "\\\"stock\\\" conflict because \\\"stock\\\" and \\\"price\\\" are "
     "different fields. Use different aliases on the fields to fetch both if "
     "this was "
     "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,"
     "\"column\":19},{\"line\":1,\"column\":27},{\"line\":1,\"column\":38}]}]"},
    {"{ products_connection { nodes { name } } products_connection { nodes { "
     "name: sku } pageInfo { total } } }",
     "[{\"message\":\"Fields \\\"products_connection\\\" conflict because "
     "subfields \\\"nodes\\\" conflict because subfields \\\"name\\\" conflict "
     "because \\\"name\\\" and \\\"sku\\\" are different fields. Use different "
     "aliases on the fields to fetch both if this was "
     "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,"
     "\"column\":25},{\"line\":1,\"column\":33},{\"line\":1,\"column\":42},{"
     "\"line\":1,\"column\":64},{\"line\":1,\"column\":72}]}]"},
    {"{ products { name } products { name } }", "[]"},
    {"{ products { name } ... on Query { products { name: documentId } } }",
     "[{\"message\":\"Fields \\\"products\\\" conflict because subfields "
     "\\\"name\\\" conflict because \\\"name\\\" and \\\"documentId\\\" are "
     "different fields. Use different aliases on the fields to fetch both if "
     "this was "
     "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,"
     "\"column\":14},{\"line\":1,\"column\":36},{\"line\":1,\"column\":47}]}]"},
};

static void
test_graphql_js_rules(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(graphql_js); i++)
		check(*state, graphql_js[i].src, graphql_js[i].want);
}

/* Strapi's scalars (strapi-graphql.md section 7 and graphql-scalars) */
static void
test_strapi_scalars(void **state)
{
	struct fixture *f = *state;

	check(f,
	      "{ products(filters: { category: { eq: \"beta\" } }) { name } }",
	      "[]");
	check(
	    f,
	    "mutation { createProduct(data: { name: \"x\", category: delta }) "
	    "{ name } }",
	    "[{\"message\":\"Value \\\"delta\\\" does not exist in "
	    "\\\"ENUM_PRODUCT_CATEGORY\\\" enum. Did you mean the enum value "
	    "\\\"beta\\\"?\",\"locations\":[{\"line\":1,\"column\":55}]}]");
	check(f,
	      "mutation { createProduct(data: { name: \"x\", openingTime: "
	      "\"10:00\" }) { name } }",
	      "[{\"message\":\"Expected value of type \\\"Time\\\", found "
	      "\\\"10:00\\\"; Invalid time format, expected HH:mm:ss.SSS\","
	      "\"locations\":[{\"line\":1,\"column\":58}]}]");
	check(f,
	      "mutation { createProduct(data: { name: \"x\", openingTime: "
	      "\"10:00:00\" }) { name } }",
	      "[]");
	check(f,
	      "mutation { createProduct(data: { name: \"x\", releaseDate: "
	      "\"2024-13-01\" }) { name } }",
	      "[{\"message\":\"Date cannot represent an invalid date-string "
	      "2024-13-01.\",\"locations\":[{\"line\":1,\"column\":58}]}]");
	check(f,
	      "mutation { createProduct(data: { name: \"x\", releaseDate: "
	      "\"2024-02-29\", launchAt: \"2024-05-06T10:00:00.000Z\", "
	      "bigValue: \"12345\", meta: { a: [1, null] } }) { name } }",
	      "[]");
	check(f,
	      "mutation { createProduct(data: { name: \"x\", launchAt: "
	      "\"tomorrow\" }) { name } }",
	      "[{\"message\":\"DateTime cannot represent an invalid "
	      "date-time-string tomorrow.\",\"locations\":[{\"line\":1,"
	      "\"column\":55}]}]");
	check(f,
	      "{ products(filters: { bigValue: { gt: \"150\" } }) { name } }",
	      "[]");
	check(
	    f, "{ products(filters: { bigValue: { gt: 1.5 } }) { name } }",
	    "[{\"message\":\"BigInt cannot represent non-integer value: 1.5\","
	    "\"locations\":[{\"line\":1,\"column\":39}]}]");
}

static void
test_introspection_switch(void **state)
{
	struct fixture *f = *state;
	const char *src = "{ __typename __schema { types { name } } }";
	struct gql_validate_options o = {false, 10, 30, src, strlen(src)};
	char *got = errors_of(f, src, &o, true);

	assert_string_equal(
	    got,
	    "[{\"message\":\"GraphQL introspection is not allowed by Apollo "
	    "Server, but the query contained __schema or __type. To enable "
	    "introspection, pass introspection: true to ApolloServer in "
	    "production\",\"locations\":[{\"line\":1,\"column\":14}],"
	    "\"extensions\":{\"validationErrorCode\":"
	    "\"INTROSPECTION_DISABLED\",\"code\":"
	    "\"GRAPHQL_VALIDATION_FAILED\"}}]");
	free(got);
	src = "{ __typename }";
	o.source = src;
	o.source_len = strlen(src);
	got = errors_of(f, src, &o, true);
	assert_string_equal(got, "[]");
	free(got);
	/* graphql-js 16.9's MaxIntrospectionDepthRule */
	src = "{ __schema { types { fields { type { fields { type { fields "
	      "{ name } } } } } } } }";
	o.introspection = true;
	o.source = src;
	o.source_len = strlen(src);
	got = errors_of(f, src, &o, false);
	assert_string_equal(got, "[{\"message\":\"Maximum introspection depth "
				 "exceeded\",\"locations\":[{\"line\":1,"
				 "\"column\":3}]}]");
	free(got);
}

static void
test_bounds(void **state)
{
	struct fixture *f = *state;
	const char *src = "query Deep { products { name } ...A } "
			  "fragment A on Query { posts { title } }";
	struct gql_validate_options o = {true, 1, 2, src, strlen(src)};
	char *got = errors_of(f, src, &o, false);

	assert_string_equal(got, "[]");
	free(got);
	/* graphql-depth-limit: depth counts selection sets below the root */
	o.max_depth = 0;
	o.max_aliases = 0;
	src = "{ a: products { name } }";
	o.source = src;
	o.source_len = strlen(src);
	got = errors_of(f, src, &o, false);
	assert_string_equal(got, "[]");
	free(got);
	{
		struct gql_validate_options d = {true, 1, 0, NULL, 0};

		src = "query Q { products { name { x { y } } } }";
		got = errors_of(f, src, &d, false);
		/* the depth error comes first, before the traversal's */
		assert_non_null(strstr(got,
				       "[{\"message\":\"'Q' exceeds maximum "
				       "operation depth of 1\","
				       "\"locations\":[{\"line\":1,"
				       "\"column\":29}]}"));
		free(got);
	}
	{
		struct gql_validate_options a = {true, 10, 2, NULL, 0};

		src = "{ a: products { name } b: products { name } c: posts { "
		      "title } }";
		got = errors_of(f, src, &a, false);
		assert_string_equal(got, "[{\"message\":\"Aliases limit of 2 "
					 "exceeded, found 3.\",\"locations\":"
					 "[{\"line\":1,\"column\":45}]}]");
		free(got);
	}
}

static void
test_error_limit(void **state)
{
	struct fixture *f = *state;
	struct buf b = BUF_INIT;
	struct gql_validate_options o = {true, 0, 0, NULL, 0};
	char *got;
	int i;

	buf_addstr(&b, "{");
	for (i = 0; i < 150; i++)
		buf_addf(&b, " f%d", i);
	buf_addstr(&b, " }");
	got = errors_of(f, b.ptr, &o, false);
	assert_non_null(strstr(got, "\"Too many validation errors, error limit "
				    "reached. Validation aborted.\"}]"));
	free(got);
	buf_release(&b);
}

static void
test_schema_shape(void **state)
{
	struct fixture *f = *state;
	const struct gql_stype *q = gql_schema_query(f->schema);
	const struct gql_stype *t;
	const struct gql_field_def *fd;
	char buf[128];

	fd = gql_field(f->schema, q, "products");
	assert_non_null(fd);
	assert_string_equal(gql_type_str(fd->type, buf, sizeof(buf)),
			    "[Product]!");
	assert_int_equal(fd->n_args, 6);
	assert_string_equal(fd->args[1].default_text, "{}");
	fd = gql_field(f->schema, q, "products_connection");
	assert_string_equal(gql_type_str(fd->type, buf, sizeof(buf)),
			    "ProductEntityResponseCollection");
	assert_null(gql_field(f->schema, q, "homepages"));
	assert_null(gql_field(f->schema, q, "homepage_connection"));
	fd = gql_field(f->schema, q, "homepage");
	assert_int_equal(fd->n_args, 3);
	t = gql_schema_type(f->schema, "Product");
	assert_null(gql_field(f->schema, t, "id"));
	assert_null(gql_field(f->schema, t, "secretNote"));
	fd = gql_field(f->schema, t, "name");
	assert_string_equal(gql_type_str(fd->type, buf, sizeof(buf)),
			    "String!");
	fd = gql_field(f->schema, t, "bigValue");
	assert_string_equal(gql_type_str(fd->type, buf, sizeof(buf)), "Long");
	fd = gql_field(f->schema, t, "amount");
	assert_string_equal(gql_type_str(fd->type, buf, sizeof(buf)), "Float");
	t = gql_schema_type(f->schema, "ProductInput");
	assert_non_null(
	    gql_arg(t->input_fields, t->n_input_fields, "secretNote"));
	assert_string_equal(t->input_fields[t->n_input_fields - 1].name,
			    "locale");
	t = gql_schema_type(f->schema, "ProductFiltersInput");
	assert_null(gql_arg(t->input_fields, t->n_input_fields, "secretNote"));
	assert_string_equal(
	    gql_type_str(
		gql_arg(t->input_fields, t->n_input_fields, "category")->type,
		buf, sizeof(buf)),
	    "StringFilterInput");
	t = gql_schema_type(f->schema, "ENUM_PRODUCT_CATEGORY");
	assert_int_equal(t->n_values, 3);
	assert_null(gql_schema_type(f->schema, "HomepageFiltersInput"));
	t = gql_schema_mutation(f->schema);
	assert_null(gql_field(f->schema, t, "createHomepage"));
	fd = gql_field(f->schema, t, "deleteHomepage");
	assert_int_equal(fd->n_args, 0);
	fd = gql_field(f->schema, t, "updateArticle");
	assert_string_equal(fd->args[0].name, "documentId");
	assert_string_equal(fd->args[1].name, "status");
	assert_string_equal(fd->args[2].name, "data");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_graphql_js_rules),
	    cmocka_unit_test(test_strapi_scalars),
	    cmocka_unit_test(test_introspection_switch),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_error_limit),
	    cmocka_unit_test(test_schema_shape),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
