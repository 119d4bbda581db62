/* SPDX-License-Identifier: MIT */
/*
 * exec.h: runs one GraphQL request the way Strapi 5's Apollo Server 4 does:
 *
 *   parse -> validate -> pick the operation -> (GET: queries only)
 *   -> coerce variables -> execute -> {"errors":[...],"data":...}
 *
 * and reports the HTTP status Apollo would use: 400 with no "data" key for
 * parse (GRAPHQL_PARSE_FAILED), validation (GRAPHQL_VALIDATION_FAILED),
 * operation resolution (OPERATION_RESOLUTION_FAILURE) and variable
 * (BAD_USER_INPUT) errors; 405 for a mutation over GET; 200 otherwise,
 * with field errors (and null propagation) in the body.
 *
 * Root fields run the REST API's code: query/query.h builds the query from
 * the arguments (filters, sort, pagination, status) as the query string
 * would, storage/store.h reads, api/content.h validates and writes. Each
 * root field first checks its action (<uid>.find, findOne, create, update,
 * delete) against the request's token, or against the public role when
 * there is none; a denied field is a FORBIDDEN error.
 *
 * The transport (methods, CSRF rule, request bodies, authentication) is
 * api/graphql.c's.
 */
#ifndef GRAPHQL_EXEC_H
#define GRAPHQL_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app/app.h"
#include "graphql/ast.h"
#include "graphql/schema.h"

/* What a request may do and its bounds. Borrowed for the request. */
struct gql_context {
	struct app *app;
	const struct gql_schema *schema;
	/* the authenticated token, or NULL: the public role applies */
	const struct token_auth *auth;
	bool introspection; /* __schema / __type allowed */
	size_t max_bytes;   /* document size */
	size_t max_depth;   /* graphql-depth-limit (0: none) */
	size_t max_aliases; /* (0: none) */
};

struct gql_request {
	const char *query; /* the document text */
	size_t query_len;
	const char *operation_name; /* NULL when not given */
	json_t *variables;          /* borrowed object, or NULL */
	bool get;                   /* an HTTP GET: only queries may run */
};

struct gql_result {
	int status;        /* HTTP status */
	json_t *body;      /* new: the response object */
	const char *allow; /* an Allow header for 405, else NULL */
};

/*
 * Run 'req' with 'ctx'. Always fills 'out' (release the body with
 * json_decref()); storage failures inside resolvers become field errors.
 */
void gql_run(const struct gql_context *ctx, const struct gql_request *req,
	     struct gql_result *out);

/*
 * A request-level error response body {"errors":[{"message","extensions":
 * {"code"}}]} (a new reference), as Apollo sends for BAD_REQUEST.
 */
json_t *gql_request_error(const char *message, const char *code);

#endif
