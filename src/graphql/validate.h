/* SPDX-License-Identifier: MIT */
/*
 * validate.h: the GraphQL specification's validation (section 5) of an
 * executable document against a schema, with graphql-js 16's rules,
 * wording and error order, followed by the rules Strapi's Apollo server
 * adds: Apollo's NoIntrospection (when introspection is off) and
 * graphql-depth-limit; and our alias bound.
 *
 * Rules: executable definitions (the parser), unique operation names, lone
 * anonymous operation, known type names, fragments on composite types,
 * variables are input types, scalar leafs, fields on correct type, unique
 * fragment names, known fragment names, no unused fragments, possible
 * fragment spreads, no fragment cycles, unique variable names, no undefined
 * variables, no unused variables, known directives, unique directives per
 * location, known argument names, unique argument names, values of correct
 * type, provided required arguments, variables in allowed position,
 * overlapping fields can be merged (same response name: same field and
 * arguments, compatible types), unique input field names, maximum
 * introspection depth.
 */
#ifndef GRAPHQL_VALIDATE_H
#define GRAPHQL_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "graphql/ast.h"
#include "graphql/schema.h"

struct gql_validate_options {
	bool introspection; /* false: __schema and __type are refused */
	size_t max_depth;   /* graphql-depth-limit's maxDepth; 0: no limit */
	size_t max_aliases; /* aliases in the document; 0: no limit */
	/* the document's text (may be NULL): some errors point at a name
	 * token the AST does not locate (operation, fragment, spread) */
	const char *source;
	size_t source_len;
};

/*
 * Validate 'doc'. Returns 0 when it is valid; otherwise -1 and '*errors' is
 * a new array of GraphQL errors in graphql-js's order, each
 *   {"message", "locations":[{"line","column"}...],
 *    "extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}
 * (Apollo's introspection error also carries "validationErrorCode").
 * At most 100 errors are reported, as graphql-js does.
 */
int gql_validate(const struct gql_schema *s, const struct gql_document *doc,
		 const struct gql_validate_options *o, json_t **errors);

/*
 * A GraphQL error object {"message", "locations"?, "path"?, "extensions"}
 * (a new reference), with 'n_locs' locations and 'code' in extensions
 * (NULL: no extensions). Shared by the validator and the executor.
 */
json_t *gql_error_new(const char *message, const struct gql_loc *locs,
		      size_t n_locs, const char *code);

#endif
