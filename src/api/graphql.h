/* SPDX-License-Identifier: MIT */
/*
 * graphql.h: the /graphql endpoint, as Strapi 5's GraphQL plugin serves it
 * (Koa body parser, then the content-API authentication, then Apollo
 * Server 4's HTTP handling): POST {query, variables, operationName} as
 * JSON, GET with a query string, the CSRF-prevention rule, the landing
 * page for browsers, and the request errors with Apollo's wording. The
 * GraphQL work itself is graphql/exec.h's.
 */
#ifndef API_GRAPHQL_H
#define API_GRAPHQL_H

#include "app/app.h"

/* Whether 'path' is the GraphQL endpoint ("/graphql", "/graphql/") or one of
 * the GraphiQL page's files under "/graphql/assets/". */
bool graphql_path(const char *path);

/*
 * Handle a request to /graphql. Fills 'resp' and returns 0, or returns a
 * negative err_code with 'e' filled for the failures answered in the REST
 * envelope (malformed JSON, an invalid token), as Strapi does.
 */
int graphql_handle(struct app *app, struct http_req *req,
		   struct http_resp *resp, struct err *e);

#endif
