/* SPDX-License-Identifier: MIT */
/*
 * value.h: GraphQL input values: coercing literals (AST values) and
 * variables (JSON) to a type, the scalars' parse rules, and the printing
 * and suggestion helpers that graphql-js's error messages are made of.
 *
 * Coerced values are jansson values (new references): Int as an integer,
 * Float as a real, String/ID/Date/Time/DateTime as strings (Time
 * normalised to HH:mm:ss.SSS), Long as an integer, Boolean, JSON as given,
 * an enum as its internal value string, an input object as an object whose
 * keys follow the type's field order, lists as arrays. An absent value
 * ("undefined" in graphql-js) is NULL, an explicit null is json_null().
 *
 * Messages follow graphql-js 16 word for word.
 */
#ifndef GRAPHQL_VALUE_H
#define GRAPHQL_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "graphql/ast.h"
#include "graphql/schema.h"

/* How a scalar or enum parse failed (graphql-js error classes). */
enum gql_parse_rc {
	GQL_PARSE_OK = 0,
	GQL_PARSE_GQL_ERROR, /* a GraphQLError: 'msg' is used as is */
	GQL_PARSE_ERROR,     /* a plain Error: callers prefix 'msg' */
	GQL_PARSE_UNDEFINED, /* no value and no message */
};

/*
 * Parse literal 'v' (no variables: callers substitute them) for the leaf
 * type 't' (scalar or enum). On GQL_PARSE_OK '*out' is a new value; else
 * 'msg' holds the message (see enum gql_parse_rc).
 */
enum gql_parse_rc gql_parse_literal(const struct gql_stype *t,
				    const struct gql_value *v, json_t **out,
				    struct buf *msg);

/* Parse a JSON variable value 'in' (borrowed) for the leaf type 't'. */
enum gql_parse_rc gql_parse_json(const struct gql_stype *t, json_t *in,
				 json_t **out, struct buf *msg);

/*
 * graphql-js valueFromAST(): the coerced value of literal 'v' for type 't',
 * with 'vars' (coerced variables; absent keys are undefined). NULL when the
 * value is invalid or undefined; callers have validated the document, so
 * this is only reached through runtime variable values.
 */
json_t *gql_value_from_ast(const struct gql_stype *t, const struct gql_value *v,
			   json_t *vars);

/* Untyped (JSON scalar): literal to JSON with variables substituted. */
json_t *gql_value_untyped(const struct gql_value *v, json_t *vars);

/*
 * graphql-js coerceInputValue() for a variable: coerce JSON 'in' to 't'.
 * Each problem calls 'on_error' with the path inside the variable (as
 * printPathArray prints it, e.g. ".name" or "[0]"; "" at the top), the
 * offending value and the message. Returns the coerced value (new) or
 * NULL when there were errors.
 */
typedef void (*gql_coerce_error_fn)(void *ctx, const char *path, json_t *value,
				    const char *message);
json_t *gql_coerce_input(const struct gql_stype *t, json_t *in,
			 gql_coerce_error_fn on_error, void *ctx);

/* graphql-js print() of an AST value, appended to 'out'. */
void gql_print_value(struct buf *out, const struct gql_value *v);
/* graphql-js print() of an AST type reference. */
void gql_print_type_ref(struct buf *out, const struct gql_type *t);
/* graphql-js inspect() of a JSON value, appended to 'out'. */
void gql_inspect(struct buf *out, json_t *v);
/* A JavaScript String(number) of 'd' into 'out' (at least 32 bytes). */
void gql_js_number(double d, char *out, size_t size);

/*
 * graphql-js suggestionList(): the options close to 'input', best first;
 * returns how many were written to 'out' (room for 'n' pointers).
 */
size_t gql_suggestions(const char *input, const char *const *options, size_t n,
		       const char **out);
/*
 * graphql-js didYouMean(): appends " Did you mean [sub ]"a", "b", or "c"?"
 * (at most five) to 'out', or nothing when there is no suggestion.
 */
void gql_did_you_mean(struct buf *out, const char *sub,
		      const char *const *suggestions, size_t n);

#endif
