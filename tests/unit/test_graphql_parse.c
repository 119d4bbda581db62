/* SPDX-License-Identifier: MIT */
/*
 * test_graphql_parse.c: gql_parse() (graphql/parse.c, graphql/lex.c) on
 * every executable construct, string escapes and block-string dedent, and
 * malformed documents whose messages and locations were checked against
 * graphql-js 16.15 (the copy in tests/http/node_modules); the bounds in
 * struct gql_limits; and error paths freeing everything (run under ASan).
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/mem.h"
#include "graphql/ast.h"
#include "graphql/lex.h"

static struct gql_document *
parse_ok(const char *src)
{
	struct gql_document *doc = NULL;
	struct gql_error err;

	if (gql_parse(src, strlen(src), NULL, &doc, &err) != 0)
		fail_msg("gql_parse(\"%s\") failed: %s (%u:%u)", src,
			 err.message, err.loc.line, err.loc.column);
	assert_non_null(doc);
	return doc;
}

static void
check_error_lim(const char *src, size_t len, const struct gql_limits *lim,
		const char *msg, unsigned line, unsigned column)
{
	struct gql_document *doc = (struct gql_document *)&doc;
	struct gql_error err;

	if (gql_parse(src, len, lim, &doc, &err) == 0)
		fail_msg("gql_parse(\"%s\") succeeded, want \"%s\"", src, msg);
	assert_null(doc);
	if (strcmp(err.message, msg) != 0 || err.loc.line != line ||
	    err.loc.column != column)
		fail_msg("gql_parse(\"%s\")\n  got:  %s (%u:%u)\n  want: %s "
			 "(%u:%u)",
			 src, err.message, err.loc.line, err.loc.column, msg,
			 line, column);
}

static void
check_error(const char *src, const char *msg, unsigned line, unsigned column)
{
	check_error_lim(src, strlen(src), NULL, msg, line, column);
}

/* The first argument of the only field of "{ f(a: <literal>) }". */
static struct gql_value *
first_arg(struct gql_document *doc)
{
	struct gql_selection *f;

	assert_int_equal(doc->n_defs, 1);
	assert_non_null(doc->defs[0].selection_set);
	f = doc->defs[0].selection_set->items[0];
	assert_int_equal(f->kind, GQL_SEL_FIELD);
	assert_int_equal(f->n_args, 1);
	return f->args[0].value;
}

/* Parse '{ f(a: <literal>) }' and compare the string value with 'want'. */
static void
check_string(const char *literal, const char *want)
{
	struct gql_document *doc;
	struct gql_value *v;
	struct buf b = BUF_INIT;

	buf_addf(&b, "{ f(a: %s) }", literal);
	doc = parse_ok(b.ptr);
	v = first_arg(doc);
	assert_int_equal(v->kind, GQL_VALUE_STRING);
	if (strcmp(v->str, want) != 0)
		fail_msg("%s\n  got:  \"%s\"\n  want: \"%s\"", literal, v->str,
			 want);
	gql_document_free(doc);
	buf_release(&b);
}

static void
assert_loc(struct gql_loc loc, unsigned line, unsigned column)
{
	if (loc.line != line || loc.column != column)
		fail_msg("location %u:%u, want %u:%u", loc.line, loc.column,
			 line, column);
}

static void
test_shorthand_query(void **state)
{
	struct gql_document *doc;
	struct gql_definition *d;
	struct gql_selection *s;

	(void)state;
	doc = parse_ok("{ a }");
	assert_int_equal(doc->n_defs, 1);
	d = &doc->defs[0];
	assert_int_equal(d->kind, GQL_DEF_OPERATION);
	assert_int_equal(d->operation, GQL_OP_QUERY);
	assert_null(d->name);
	assert_int_equal(d->n_vars, 0);
	assert_int_equal(d->n_directives, 0);
	assert_loc(d->loc, 1, 1);
	assert_loc(d->selection_set->loc, 1, 1);
	assert_int_equal(d->selection_set->n_items, 1);
	s = d->selection_set->items[0];
	assert_int_equal(s->kind, GQL_SEL_FIELD);
	assert_string_equal(s->name, "a");
	assert_null(s->alias);
	assert_null(s->selection_set);
	assert_int_equal(s->n_args, 0);
	assert_loc(s->loc, 1, 3);
	gql_document_free(doc);
}

static void
test_operations(void **state)
{
	struct gql_document *doc;

	(void)state;
	doc = parse_ok("query Q { a }\n"
		       "mutation M { createArticle(data: {title: \"x\"}) "
		       "{ documentId } }\n"
		       "subscription { onEvent { id } }\n"
		       "query { b }");
	assert_int_equal(doc->n_defs, 4);
	assert_int_equal(doc->defs[0].operation, GQL_OP_QUERY);
	assert_string_equal(doc->defs[0].name, "Q");
	assert_int_equal(doc->defs[1].operation, GQL_OP_MUTATION);
	assert_string_equal(doc->defs[1].name, "M");
	assert_loc(doc->defs[1].loc, 2, 1);
	assert_int_equal(doc->defs[2].operation, GQL_OP_SUBSCRIPTION);
	assert_null(doc->defs[2].name);
	assert_loc(doc->defs[2].loc, 3, 1);
	assert_int_equal(doc->defs[3].operation, GQL_OP_QUERY);
	assert_null(doc->defs[3].name);
	gql_document_free(doc);

	/* directives on an operation may use variables */
	doc = parse_ok("query Q($v: Boolean) @live(if: $v) @cached { a }");
	assert_int_equal(doc->defs[0].n_directives, 2);
	assert_string_equal(doc->defs[0].directives[0].name, "live");
	assert_loc(doc->defs[0].directives[0].loc, 1, 22);
	assert_int_equal(doc->defs[0].directives[0].args[0].value->kind,
			 GQL_VALUE_VARIABLE);
	assert_string_equal(doc->defs[0].directives[1].name, "cached");
	assert_int_equal(doc->defs[0].directives[1].n_args, 0);
	gql_document_free(doc);

	/* keywords are names wherever a name is expected */
	doc = parse_ok("query query { query: mutation(fragment: on) { on } }");
	assert_string_equal(doc->defs[0].name, "query");
	assert_string_equal(doc->defs[0].selection_set->items[0]->alias,
			    "query");
	assert_string_equal(doc->defs[0].selection_set->items[0]->name,
			    "mutation");
	gql_document_free(doc);
}

static void
test_variable_definitions(void **state)
{
	struct gql_document *doc;
	struct gql_variable_definition *v;
	struct gql_type *t;

	(void)state;
	doc = parse_ok("query Q($id: ID!, $tags: [String!]! = [\"a\"], "
		       "$page: Int = 1 @deprecated(reason: \"x\"), "
		       "$f: ArticleFiltersInput = {title: {eq: \"x\"}}, "
		       "$m: [[Int]]) { a }");
	assert_int_equal(doc->defs[0].n_vars, 5);

	v = &doc->defs[0].vars[0];
	assert_string_equal(v->name, "id");
	assert_loc(v->loc, 1, 9);
	assert_null(v->default_value);
	t = v->type;
	assert_int_equal(t->kind, GQL_TYPE_NON_NULL);
	assert_loc(t->loc, 1, 14);
	assert_int_equal(t->of->kind, GQL_TYPE_NAMED);
	assert_string_equal(t->of->name, "ID");

	v = &doc->defs[0].vars[1];
	t = v->type;
	assert_int_equal(t->kind, GQL_TYPE_NON_NULL);
	assert_int_equal(t->of->kind, GQL_TYPE_LIST);
	assert_int_equal(t->of->of->kind, GQL_TYPE_NON_NULL);
	assert_string_equal(t->of->of->of->name, "String");
	assert_int_equal(v->default_value->kind, GQL_VALUE_LIST);
	assert_string_equal(v->default_value->items[0]->str, "a");

	v = &doc->defs[0].vars[2];
	assert_string_equal(v->default_value->str, "1");
	assert_int_equal(v->n_directives, 1);
	assert_string_equal(v->directives[0].name, "deprecated");
	assert_string_equal(v->directives[0].args[0].value->str, "x");

	v = &doc->defs[0].vars[3];
	assert_int_equal(v->default_value->kind, GQL_VALUE_OBJECT);
	assert_string_equal(v->default_value->fields[0].name, "title");

	v = &doc->defs[0].vars[4];
	assert_int_equal(v->type->kind, GQL_TYPE_LIST);
	assert_int_equal(v->type->of->kind, GQL_TYPE_LIST);
	assert_string_equal(v->type->of->of->name, "Int");
	gql_document_free(doc);

	/* descriptions (graphql-js 16.11+) are accepted and dropped */
	doc = parse_ok("\"op\" query Q(\"the id\" $id: ID) { a }\n"
		       "\"\"\"frag\"\"\" fragment F on T { a }");
	assert_int_equal(doc->n_defs, 2);
	assert_string_equal(doc->defs[0].vars[0].name, "id");
	assert_loc(doc->defs[0].vars[0].loc, 1, 14);
	assert_loc(doc->defs[0].loc, 1, 1);
	assert_int_equal(doc->defs[1].kind, GQL_DEF_FRAGMENT);
	gql_document_free(doc);
}

static void
test_fields(void **state)
{
	struct gql_document *doc;
	struct gql_selection *s, *t;

	(void)state;
	doc =
	    parse_ok("{ articles(filters:{title:{eq:\"x\"}}, "
		     "pagination:{page:1,pageSize:2}, sort:[\"title:asc\"]) "
		     "{ documentId title } first: article(documentId: \"abc\") "
		     "@include(if: true) { __typename author { name } } }");
	assert_int_equal(doc->defs[0].selection_set->n_items, 2);
	s = doc->defs[0].selection_set->items[0];
	assert_string_equal(s->name, "articles");
	assert_int_equal(s->n_args, 3);
	assert_string_equal(s->args[0].name, "filters");
	assert_loc(s->args[0].loc, 1, 12);
	assert_string_equal(s->args[1].name, "pagination");
	assert_string_equal(s->args[2].name, "sort");
	assert_int_equal(s->selection_set->n_items, 2);
	assert_string_equal(s->selection_set->items[1]->name, "title");

	t = doc->defs[0].selection_set->items[1];
	assert_string_equal(t->alias, "first");
	assert_string_equal(t->name, "article");
	assert_int_equal(t->n_directives, 1);
	assert_string_equal(t->directives[0].name, "include");
	assert_int_equal(t->directives[0].args[0].value->kind,
			 GQL_VALUE_BOOLEAN);
	assert_true(t->directives[0].args[0].value->boolean);
	assert_string_equal(t->selection_set->items[0]->name, "__typename");
	assert_string_equal(
	    t->selection_set->items[1]->selection_set->items[0]->name, "name");
	gql_document_free(doc);
}

static void
test_fragments(void **state)
{
	struct gql_document *doc;
	struct gql_selection_set *ss;
	struct gql_definition *f;

	(void)state;
	doc = parse_ok("query { a { ...F @skip(if: false) ... on Article "
		       "{ title } ... @include(if: true) { id } ... { x } } }\n"
		       "fragment F on Article @d { documentId }");
	ss = doc->defs[0].selection_set->items[0]->selection_set;
	assert_int_equal(ss->n_items, 4);

	assert_int_equal(ss->items[0]->kind, GQL_SEL_FRAGMENT_SPREAD);
	assert_string_equal(ss->items[0]->name, "F");
	assert_int_equal(ss->items[0]->n_directives, 1);
	assert_null(ss->items[0]->selection_set);
	assert_loc(ss->items[0]->loc, 1, 13);

	assert_int_equal(ss->items[1]->kind, GQL_SEL_INLINE_FRAGMENT);
	assert_string_equal(ss->items[1]->type_condition, "Article");
	assert_string_equal(ss->items[1]->selection_set->items[0]->name,
			    "title");

	assert_int_equal(ss->items[2]->kind, GQL_SEL_INLINE_FRAGMENT);
	assert_null(ss->items[2]->type_condition);
	assert_int_equal(ss->items[2]->n_directives, 1);

	assert_int_equal(ss->items[3]->kind, GQL_SEL_INLINE_FRAGMENT);
	assert_null(ss->items[3]->type_condition);
	assert_int_equal(ss->items[3]->n_directives, 0);

	f = &doc->defs[1];
	assert_int_equal(f->kind, GQL_DEF_FRAGMENT);
	assert_string_equal(f->name, "F");
	assert_string_equal(f->type_condition, "Article");
	assert_int_equal(f->n_directives, 1);
	assert_loc(f->loc, 2, 1);
	assert_string_equal(f->selection_set->items[0]->name, "documentId");
	gql_document_free(doc);

	/* "...on" followed by a name is a type condition, not a spread */
	doc = parse_ok("{ ...on T { a } ...onX }");
	ss = doc->defs[0].selection_set;
	assert_int_equal(ss->items[0]->kind, GQL_SEL_INLINE_FRAGMENT);
	assert_int_equal(ss->items[1]->kind, GQL_SEL_FRAGMENT_SPREAD);
	assert_string_equal(ss->items[1]->name, "onX");
	gql_document_free(doc);
}

static void
test_values(void **state)
{
	struct gql_document *doc;
	struct gql_value *l, *o;

	(void)state;
	doc = parse_ok(
	    "{ f(a: [0, -12, 1.5, -0.5e10, 3E-2, \"s\", \"\"\"b\"\"\", "
	    "true, false, null, ASC, $v, [], {}, {k: [1], "
	    "n: {m: null}}]) }");
	l = first_arg(doc);
	assert_int_equal(l->kind, GQL_VALUE_LIST);
	assert_loc(l->loc, 1, 8);
	assert_int_equal(l->n_items, 15);
	assert_int_equal(l->items[0]->kind, GQL_VALUE_INT);
	assert_string_equal(l->items[0]->str, "0");
	assert_int_equal(l->items[1]->kind, GQL_VALUE_INT);
	assert_string_equal(l->items[1]->str, "-12");
	assert_int_equal(l->items[2]->kind, GQL_VALUE_FLOAT);
	assert_string_equal(l->items[2]->str, "1.5");
	assert_string_equal(l->items[3]->str, "-0.5e10");
	assert_int_equal(l->items[4]->kind, GQL_VALUE_FLOAT);
	assert_string_equal(l->items[4]->str, "3E-2");
	assert_int_equal(l->items[5]->kind, GQL_VALUE_STRING);
	assert_string_equal(l->items[5]->str, "s");
	assert_int_equal(l->items[6]->kind, GQL_VALUE_STRING);
	assert_string_equal(l->items[6]->str, "b");
	assert_int_equal(l->items[7]->kind, GQL_VALUE_BOOLEAN);
	assert_true(l->items[7]->boolean);
	assert_int_equal(l->items[8]->kind, GQL_VALUE_BOOLEAN);
	assert_false(l->items[8]->boolean);
	assert_int_equal(l->items[9]->kind, GQL_VALUE_NULL);
	assert_int_equal(l->items[10]->kind, GQL_VALUE_ENUM);
	assert_string_equal(l->items[10]->str, "ASC");
	assert_int_equal(l->items[11]->kind, GQL_VALUE_VARIABLE);
	assert_string_equal(l->items[11]->str, "v");
	assert_int_equal(l->items[12]->kind, GQL_VALUE_LIST);
	assert_int_equal(l->items[12]->n_items, 0);
	assert_int_equal(l->items[13]->kind, GQL_VALUE_OBJECT);
	assert_int_equal(l->items[13]->n_fields, 0);
	o = l->items[14];
	assert_int_equal(o->kind, GQL_VALUE_OBJECT);
	assert_int_equal(o->n_fields, 2);
	assert_string_equal(o->fields[0].name, "k");
	assert_string_equal(o->fields[0].value->items[0]->str, "1");
	assert_string_equal(o->fields[1].name, "n");
	assert_int_equal(o->fields[1].value->fields[0].value->kind,
			 GQL_VALUE_NULL);
	gql_document_free(doc);

	/* names that only start like keywords are enum values */
	doc = parse_ok("{ f(a: trueish) }");
	assert_int_equal(first_arg(doc)->kind, GQL_VALUE_ENUM);
	assert_string_equal(first_arg(doc)->str, "trueish");
	gql_document_free(doc);

	/* object fields keep source order and duplicates */
	doc = parse_ok("{ f(a: {z: 1, a: 2, z: 3}) }");
	o = first_arg(doc);
	assert_int_equal(o->n_fields, 3);
	assert_string_equal(o->fields[0].name, "z");
	assert_string_equal(o->fields[2].value->str, "3");
	assert_loc(o->fields[1].loc, 1, 15);
	gql_document_free(doc);
}

static void
test_const_values(void **state)
{
	(void)state;
	check_error(
	    "query Q($a: Int = $b) { a }",
	    "Syntax Error: Unexpected variable \"$b\" in constant value.", 1,
	    19);
	check_error(
	    "query Q($a: [Int] = [1, $b]) { a }",
	    "Syntax Error: Unexpected variable \"$b\" in constant value.", 1,
	    25);
	check_error(
	    "query Q($a: In = {x: {y: $zz}}) { a }",
	    "Syntax Error: Unexpected variable \"$zz\" in constant value.", 1,
	    26);
	check_error(
	    "query Q($a: Int @d(x: $v)) { a }",
	    "Syntax Error: Unexpected variable \"$v\" in constant value.", 1,
	    23);
	check_error("query ($a: Int = $) { a }",
		    "Syntax Error: Unexpected \"$\".", 1, 18);
}

static void
test_string_escapes(void **state)
{
	(void)state;
	check_string("\"\"", "");
	check_string("\"plain text\"", "plain text");
	check_string("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
		     "\" \\ / \b \f \n \r \t");
	check_string("\"caf\\u00e9\"", "caf\xc3\xa9");
	check_string("\"\\u20AC\"", "\xe2\x82\xac");
	/* a JSON-style surrogate pair is one character */
	check_string("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80");
	/* variable width, as in the 2021+ drafts */
	check_string("\"\\u{1F600}\"", "\xf0\x9f\x98\x80");
	check_string("\"\\u{41}\\u{000041}\"", "AA");
	/* raw UTF-8 passes through */
	check_string("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
		     "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* malformed UTF-8 reads as U+FFFD, as Node decodes it */
	check_string("\"a\xff\"", "a\xef\xbf\xbd");
	check_string("\"\xe2\x82x\"", "\xef\xbf\xbdx");
	check_string("\"\xed\xa0\x80\"",
		     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");

	check_error("{ f(a: \"\\x\") }",
		    "Syntax Error: Invalid character escape sequence: \"\\x\".",
		    1, 9);
	check_error(
	    "{ f(a: \"\\uD83D\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1,
	    9);
	check_error(
	    "{ f(a: \"\\uDE00\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\".", 1,
	    9);
	check_error(
	    "{ f(a: \"\\uD83Dx\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1,
	    9);
	check_error(
	    "{ f(a: \"\\uXYZW\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\uXYZW\".", 1,
	    9);
	check_error(
	    "{ f(a: \"\\u12\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\u12\")\".", 1,
	    9);
	check_error("{ f(a: \"\\u{110000}\") }",
		    "Syntax Error: Invalid Unicode escape sequence: "
		    "\"\\u{110000}\".",
		    1, 9);
	check_error("{ f(a: \"\\u{D800}\") }",
		    "Syntax Error: Invalid Unicode escape sequence: "
		    "\"\\u{D800}\".",
		    1, 9);
	check_error("{ f(a: \"\\u{}\") }",
		    "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".",
		    1, 9);
	check_error(
	    "{ f(a: \"\\u{41\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\u{41\"\".", 1,
	    9);
	check_error("{ f(a: \"\\u{FFFFFFFF}\") }",
		    "Syntax Error: Invalid Unicode escape sequence: "
		    "\"\\u{FFFFFFFF\".",
		    1, 9);
	/* U+0000 cannot live in a NUL-terminated value (see lex.h) */
	check_error(
	    "{ f(a: \"\\u0000\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\u0000\".", 1,
	    9);
	check_error(
	    "{ f(a: \"\\u{0}\") }",
	    "Syntax Error: Invalid Unicode escape sequence: \"\\u{0}\".", 1, 9);
	check_error_lim(
	    "{ f(a: \"a\0b\") }", 15, NULL,
	    "Syntax Error: Invalid character within String: U+0000.", 1, 10);
}

static void
test_block_strings(void **state)
{
	(void)state;
	/* the spec's example (2.9.4): common indentation and blank edges go */
	check_string("\"\"\"\n"
		     "    Hello,\n"
		     "      World!\n"
		     "\n"
		     "    Yours,\n"
		     "      GraphQL.\n"
		     "  \"\"\"",
		     "Hello,\n  World!\n\nYours,\n  GraphQL.");
	/* the first line is never dedented and does not set the indent */
	check_string("\"\"\"  first\n  second\n\n third\n\"\"\"",
		     "  first\n second\n\nthird");
	/* blank lines of any width around the text are removed */
	check_string("\"\"\"\n\n   \n  text  \n \t \n\n\"\"\"", "text  ");
	check_string("\"\"\"\n\n   \n\"\"\"", "");
	check_string("\"\"\"\"\"\"", "");
	/* whitespace-only lines inside keep what is left past the indent */
	check_string("\"\"\"\n  a\n      \n  b\"\"\"", "a\n    \nb");
	/* tabs count as one character of indentation, like spaces */
	check_string("\"\"\"\n\t  x\n\t\ty\n\"\"\"", " x\ny");
	/* \r\n and \r end lines; the value joins them with \n */
	check_string("\"\"\"\r\n  a\r\n  b\r  c\"\"\"", "a\nb\nc");
	/* only \""" is an escape; everything else is raw */
	check_string("\"\"\"a \\\"\"\" b\"\"\"", "a \"\"\" b");
	check_string("\"\"\"\\n \\u0041 \"\" x\"\"\"", "\\n \\u0041 \"\" x");
	check_string("\"\"\"caf\xc3\xa9 \xff\"\"\"",
		     "caf\xc3\xa9 \xef\xbf\xbd");

	check_error("{ f(a: \"\"\"abc", "Syntax Error: Unterminated string.", 1,
		    14);
	check_error("{ f(a: \"\"\"a\nb\n\"\"\") }\n?",
		    "Syntax Error: Unexpected character: \"?\".", 4, 1);
	check_error_lim(
	    "{ f(a: \"\"\"\n\0\"\"\") }", 18, NULL,
	    "Syntax Error: Invalid character within String: U+0000.", 2, 1);
}

static void
test_ignored_tokens(void **state)
{
	struct gql_document *doc;
	struct gql_selection_set *ss;

	(void)state;
	/* BOM, commas, comments, tabs and every line terminator */
	doc = parse_ok("\xef\xbb\xbf# leading comment\r\n"
		       "{ a,,, b # trailing \xff comment\r"
		       "\tc\n"
		       ",d \xef\xbb\xbf e }");
	ss = doc->defs[0].selection_set;
	assert_loc(doc->defs[0].loc, 2, 1);
	assert_int_equal(ss->n_items, 5);
	assert_loc(ss->items[1]->loc, 2, 8);
	assert_loc(ss->items[2]->loc, 3, 2);
	assert_loc(ss->items[3]->loc, 4, 2);
	/* the BOM is one column */
	assert_loc(ss->items[4]->loc, 4, 6);
	gql_document_free(doc);

	/* columns count characters: each UTF-8 sequence is one */
	doc = parse_ok("{ a(x: \"\xc3\xa9\xe2\x82\xac\") b }");
	assert_loc(doc->defs[0].selection_set->items[1]->loc, 1, 14);
	gql_document_free(doc);
	check_error("{\n  a(x: \"\xc3\xa9\xc3\xa9\") ?\n}",
		    "Syntax Error: Unexpected character: \"?\".", 2, 14);
	/* a block string's lines count too */
	check_error("{\n  a(x: \"\"\"\n  one\n  two\"\"\")\n  b .\n}",
		    "Syntax Error: Unexpected character: \".\".", 5, 5);
	check_error("{\r\n  a\r\n  ?\r\n}",
		    "Syntax Error: Unexpected character: \"?\".", 3, 3);
}

struct error_case {
	const char *src;
	const char *msg;
	unsigned line, column;
};

/* Each checked against graphql-js 16.15's parse(). */
static const struct error_case error_cases[] = {
    {"", "Syntax Error: Unexpected <EOF>.", 1, 1},
    {"  # nothing\n", "Syntax Error: Unexpected <EOF>.", 2, 1},
    {"{ a", "Syntax Error: Expected Name, found <EOF>.", 1, 4},
    {"{ a }}", "Syntax Error: Unexpected \"}\".", 1, 6},
    {"{}", "Syntax Error: Expected Name, found \"}\".", 1, 2},
    {"{ a(x: 1.) }",
     "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
    {"{ a(x: 01) }",
     "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 9},
    {"{ a(x: 1x) }",
     "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 9},
    {"{ a(x: -) }",
     "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 9},
    {"{ a(x: 1e) }",
     "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
    {"{ a(x: 0.5.) }",
     "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
    {"{ a(x: 1.5", "Syntax Error: Expected Name, found <EOF>.", 1, 11},
    {"{ a(x: 1.",
     "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 10},
    {"{ a(x: 1\"s\") }", "Syntax Error: Expected Name, found String \"s\".", 1,
     9},
    {"{ a ? }", "Syntax Error: Unexpected character: \"?\".", 1, 5},
    {"{ a \xc3\xa9 }", "Syntax Error: Unexpected character: U+00E9.", 1, 5},
    {"{ a \xff }", "Syntax Error: Unexpected character: U+FFFD.", 1, 5},
    {"{ a \x01 }", "Syntax Error: Unexpected character: U+0001.", 1, 5},
    {"{ a . }", "Syntax Error: Unexpected character: \".\".", 1, 5},
    {"{ a 'x' }",
     "Syntax Error: Unexpected single quote character ('), did you mean to "
     "use a double quote (\")?",
     1, 5},
    {"{ a(x: \"abc\n\") }", "Syntax Error: Unterminated string.", 1, 12},
    {"{ a(x: \"abc", "Syntax Error: Unterminated string.", 1, 12},
    {"fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 1, 10},
    {"fragment F T { a }", "Syntax Error: Expected \"on\", found Name \"T\".",
     1, 12},
    {"fragment F on T", "Syntax Error: Expected \"{\", found <EOF>.", 1, 16},
    {"{ ... on }", "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {"{ ... }", "Syntax Error: Expected \"{\", found \"}\".", 1, 7},
    {"query Q($a Int) { a }",
     "Syntax Error: Expected \":\", found Name \"Int\".", 1, 12},
    {"query Q(a: Int) { a }", "Syntax Error: Expected \"$\", found Name \"a\".",
     1, 9},
    {"query Q($a: [Int) { a }", "Syntax Error: Expected \"]\", found \")\".", 1,
     17},
    {"query Q($a: Int!!) { a }", "Syntax Error: Expected \"$\", found \"!\".",
     1, 17},
    {"query Q() { a }", "Syntax Error: Expected \"$\", found \")\".", 1, 9},
    {"{ a(x: ) }", "Syntax Error: Unexpected \")\".", 1, 8},
    {"{ a() }", "Syntax Error: Expected Name, found \")\".", 1, 5},
    {"{ a(b: [1, 2) }", "Syntax Error: Unexpected \")\".", 1, 13},
    {"{ a(b: {c 1}) }", "Syntax Error: Expected \":\", found Int \"1\".", 1,
     11},
    {"{ a @ }", "Syntax Error: Expected Name, found \"}\".", 1, 7},
    {"{ a: }", "Syntax Error: Expected Name, found \"}\".", 1, 6},
    {"{ a(x: $) }", "Syntax Error: Expected Name, found \")\".", 1, 9},
    {"subscription", "Syntax Error: Expected \"{\", found <EOF>.", 1, 13},
    {"query Q { a } ?", "Syntax Error: Unexpected character: \"?\".", 1, 15},
    {"{ a } \"str\"", "Syntax Error: Unexpected <EOF>.", 1, 12},
    {"{ a } 123", "Syntax Error: Unexpected Int \"123\".", 1, 7},
    {"foo { a }", "Syntax Error: Unexpected Name \"foo\".", 1, 1},
    {"\"desc\" { a }",
     "Syntax Error: Unexpected description, descriptions are not supported "
     "on shorthand queries.",
     1, 1},
    {"\"desc\" foo { a }",
     "Syntax Error: Unexpected description, only GraphQL definitions support "
     "descriptions.",
     1, 1},
    {"\"desc\" \"more\" query { a }",
     "Syntax Error: Unexpected String \"more\".", 1, 8},
    {"fragment \"on\" on T { a }", "Syntax Error: Unexpected String \"on\".", 1,
     10},
};

static void
test_syntax_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(error_cases); i++)
		check_error(error_cases[i].src, error_cases[i].msg,
			    error_cases[i].line, error_cases[i].column);
}

static void
test_type_system_rejected(void **state)
{
	(void)state;
	/* graphql-js parses these and fails validation; we stop at the
	 * keyword (see parse.c) */
	check_error("type Foo { a: Int }",
		    "Syntax Error: Unexpected Name \"type\".", 1, 1);
	check_error("{ a }\nschema { query: Q }",
		    "Syntax Error: Unexpected Name \"schema\".", 2, 1);
	check_error("extend type Foo { b: Int }",
		    "Syntax Error: Unexpected Name \"extend\".", 1, 1);
	check_error("\"doc\" directive @d on FIELD",
		    "Syntax Error: Unexpected Name \"directive\".", 1, 7);
	check_error("scalar Date", "Syntax Error: Unexpected Name \"scalar\".",
		    1, 1);
	check_error("input I { a: Int }",
		    "Syntax Error: Unexpected Name \"input\".", 1, 1);
	check_error("enum E { A }", "Syntax Error: Unexpected Name \"enum\".",
		    1, 1);
	check_error("union U = A | B",
		    "Syntax Error: Unexpected Name \"union\".", 1, 1);
	check_error("interface I { a: Int }",
		    "Syntax Error: Unexpected Name \"interface\".", 1, 1);
}

static void
test_long_values_in_messages(void **state)
{
	struct buf b = BUF_INIT;
	struct gql_document *doc = NULL;
	struct gql_error err;
	size_t i;

	(void)state;
	/* a long token value is cut at a character boundary */
	buf_addstr(&b, "{ a(\"");
	for (i = 0; i < 200; i++)
		buf_addstr(&b, "\xc3\xa9");
	buf_addstr(&b, "\") }");
	assert_int_equal(gql_parse(b.ptr, b.len, NULL, &doc, &err), -1);
	assert_true(strncmp(err.message,
			    "Syntax Error: Expected Name, found String \"",
			    43) == 0);
	assert_loc(err.loc, 1, 5);
	assert_non_null(strstr(err.message, "\xc3\xa9...\"."));
	assert_true(strlen(err.message) < sizeof(err.message));
	buf_release(&b);

	/* a long variable name in a constant */
	buf_addstr(&b, "query ($a: Int = $");
	for (i = 0; i < 300; i++)
		buf_addch(&b, 'v');
	buf_addstr(&b, ") { a }");
	assert_int_equal(gql_parse(b.ptr, b.len, NULL, &doc, &err), -1);
	assert_true(strncmp(err.message,
			    "Syntax Error: Unexpected variable \"$vvv",
			    39) == 0);
	assert_loc(err.loc, 1, 18);
	buf_release(&b);
}

static void
test_limit_bytes(void **state)
{
	struct gql_limits lim = {10, 0, 0};
	struct gql_document *doc = NULL;
	struct gql_error err;

	(void)state;
	assert_int_equal(gql_parse("{ abcdef }", 10, &lim, &doc, &err), 0);
	gql_document_free(doc);
	check_error_lim("{ abcdefg }", 11, &lim,
			"Syntax Error: Document too large.", 1, 11);
	check_error_lim("{\n\n abcdefg }", 13, &lim,
			"Syntax Error: Document too large.", 3, 8);
}

/* "{ a { a { ... } } }" with 'n' selection sets */
static void
nested_sets(struct buf *b, size_t n)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_addstr(b, "{ a ");
	for (i = 0; i < n; i++)
		buf_addstr(b, "} ");
}

static void
test_limit_depth(void **state)
{
	struct gql_limits lim = {0, 5, 0};
	struct gql_document *doc = NULL;
	struct gql_error err;
	struct buf b = BUF_INIT;

	(void)state;
	nested_sets(&b, 5);
	assert_int_equal(gql_parse(b.ptr, b.len, &lim, &doc, &err), 0);
	gql_document_free(doc);
	nested_sets(&b, 6);
	check_error_lim(b.ptr, b.len, &lim,
			"Syntax Error: Document nested too deeply.", 1, 21);

	/* lists and objects count, and add to the selection sets */
	assert_int_equal(
	    gql_parse("{ a(x: [[{y: [1]}]]) { b } }", 28, &lim, &doc, &err), 0);
	gql_document_free(doc);
	check_error_lim("{ a(x: [[{y: [[1]]}]]) { b } }", 30, &lim,
			"Syntax Error: Document nested too deeply.", 1, 15);
	check_error_lim("{ a(x: {a: {b: {c: {d: {e: 1}}}}}) }", 36, &lim,
			"Syntax Error: Document nested too deeply.", 1, 24);
	/* the selection sets of fields and inline fragments */
	check_error_lim("{ a { b { c { d { e { f } } } } } }", 35, &lim,
			"Syntax Error: Document nested too deeply.", 1, 21);
	check_error_lim("{ ... { ... { ... { ... { ... { a } } } } } }", 45,
			&lim, "Syntax Error: Document nested too deeply.", 1,
			31);
	/* list types; a type's depth ends before the selection set */
	assert_int_equal(
	    gql_parse("query ($a: [[[[[Int]]]]]) { a }", 31, &lim, &doc, &err),
	    0);
	gql_document_free(doc);
	check_error_lim("query ($a: [[[[[[Int]]]]]]) { a }", 33, &lim,
			"Syntax Error: Document nested too deeply.", 1, 17);
	/* default limit: 64 */
	nested_sets(&b, 64);
	assert_int_equal(gql_parse(b.ptr, b.len, NULL, &doc, &err), 0);
	gql_document_free(doc);
	nested_sets(&b, 65);
	check_error_lim(b.ptr, b.len, NULL,
			"Syntax Error: Document nested too deeply.", 1, 257);
	/* a huge limit is still capped, so the stack stays bounded */
	lim.max_depth = SIZE_MAX;
	lim.max_bytes = 1 << 20;
	nested_sets(&b, 5000);
	check_error_lim(b.ptr, b.len, &lim,
			"Syntax Error: Document nested too deeply.", 1, 4001);
	buf_release(&b);
}

static void
test_limit_tokens(void **state)
{
	struct gql_limits lim = {0, 0, 5};
	struct gql_document *doc = NULL;
	struct gql_error err;

	(void)state;
	/* comments and commas are not tokens; <EOF> is not counted */
	assert_int_equal(gql_parse("{ a, b, c } # x", 15, &lim, &doc, &err), 0);
	gql_document_free(doc);
	check_error_lim("{ a b c d }", 11, &lim,
			"Syntax Error: Document has too many tokens.", 1, 11);
	check_error_lim("query Q($v: Int) { a }", 22, &lim,
			"Syntax Error: Document has too many tokens.", 1, 11);
}

static void
test_errors_free_everything(void **state)
{
	static const char big[] =
	    "\"d\" query Q($id: ID! = \"x\", $l: [[Int!]] = [[1]] @c(a: "
	    "{b: [1, 2.5, \"s\", \"\"\"bs\"\"\", true, null, E]})) @d(v: $id) "
	    "{ al: articles(filters: {title: {eq: $id}}, sort: [\"t:asc\"]) "
	    "@include(if: true) { ...F @skip(if: false) ... on A { x } "
	    "... @d { y } ... { z } } }\n"
	    "fragment F on Article @f(a: [$l, {k: $id}]) { documentId }";
	struct gql_document *doc = NULL;
	struct gql_error err;
	size_t n, len = strlen(big);

	(void)state;
	assert_int_equal(gql_parse(big, len, NULL, &doc, &err), 0);
	gql_document_free(doc);
	/* nearly every prefix fails somewhere inside a half-built tree;
	 * ASan and LSan report anything left behind */
	for (n = 0; n < len; n++) {
		doc = NULL;
		if (gql_parse(big, n, NULL, &doc, &err) == 0) {
			/* only the operation alone is complete */
			assert_int_equal(doc->n_defs, 1);
			gql_document_free(doc);
			continue;
		}
		assert_null(doc);
		assert_true(strncmp(err.message, "Syntax Error: ", 14) == 0);
	}
	/* and every token limit */
	for (n = 1; n < 150; n++) {
		struct gql_limits lim = {0, 0, 0};

		lim.max_tokens = n;
		doc = NULL;
		if (gql_parse(big, len, &lim, &doc, &err) == 0) {
			gql_document_free(doc);
			continue;
		}
		assert_string_equal(
		    err.message, "Syntax Error: Document has too many tokens.");
	}
	/* 'err' may be NULL; gql_document_free(NULL) is a no-op */
	assert_int_equal(gql_parse("{", 1, NULL, &doc, NULL), -1);
	assert_null(doc);
	gql_document_free(NULL);
	/* a NULL source is the empty document */
	check_error_lim(NULL, 0, NULL, "Syntax Error: Unexpected <EOF>.", 1, 1);
}

static void
test_lexer_tokens(void **state)
{
	static const char src[] = "query($v:[I!]=1.5e3)@d{...F ... on T|&}";
	static const enum gql_token_kind want[] = {
	    GQL_TOK_NAME,   GQL_TOK_PAREN_L, GQL_TOK_DOLLAR,
	    GQL_TOK_NAME,   GQL_TOK_COLON,   GQL_TOK_BRACKET_L,
	    GQL_TOK_NAME,   GQL_TOK_BANG,    GQL_TOK_BRACKET_R,
	    GQL_TOK_EQUALS, GQL_TOK_FLOAT,   GQL_TOK_PAREN_R,
	    GQL_TOK_AT,     GQL_TOK_NAME,    GQL_TOK_BRACE_L,
	    GQL_TOK_SPREAD, GQL_TOK_NAME,    GQL_TOK_SPREAD,
	    GQL_TOK_NAME,   GQL_TOK_NAME,    GQL_TOK_PIPE,
	    GQL_TOK_AMP,    GQL_TOK_BRACE_R, GQL_TOK_EOF,
	    GQL_TOK_EOF,
	};
	struct gql_lexer lx;
	struct gql_error err;
	char desc[64];
	size_t i;

	(void)state;
	gql_lex_init(&lx, src, strlen(src));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(gql_lex_next(&lx, &err), 0);
		assert_int_equal(lx.tok.kind, want[i]);
		if (i == 10) {
			assert_int_equal(lx.tok.value_len, 5);
			assert_memory_equal(lx.tok.value, "1.5e3", 5);
			gql_token_desc(&lx.tok, desc, sizeof(desc));
			assert_string_equal(desc, "Float \"1.5e3\"");
		}
	}
	gql_token_desc(&lx.tok, desc, sizeof(desc));
	assert_string_equal(desc, "<EOF>");
	assert_loc(lx.tok.loc, 1, 40);
	gql_lex_release(&lx);
	assert_string_equal(gql_token_kind_desc(GQL_TOK_SPREAD), "\"...\"");
	assert_string_equal(gql_token_kind_desc(GQL_TOK_BLOCK_STRING),
			    "BlockString");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shorthand_query),
	    cmocka_unit_test(test_operations),
	    cmocka_unit_test(test_variable_definitions),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_fragments),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_const_values),
	    cmocka_unit_test(test_string_escapes),
	    cmocka_unit_test(test_block_strings),
	    cmocka_unit_test(test_ignored_tokens),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_type_system_rejected),
	    cmocka_unit_test(test_long_values_in_messages),
	    cmocka_unit_test(test_limit_bytes),
	    cmocka_unit_test(test_limit_depth),
	    cmocka_unit_test(test_limit_tokens),
	    cmocka_unit_test(test_errors_free_everything),
	    cmocka_unit_test(test_lexer_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
