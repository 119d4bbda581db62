/* SPDX-License-Identifier: MIT */
/*
 * content.h: the REST Content API handlers (/api/:pluralName[/:documentId],
 * /api/:singularName). The router has already authenticated and authorised
 * the request; a handler parses the query and body, talks to the store and
 * fills the response, or returns a negative err_code with 'e' filled.
 */
#ifndef API_CONTENT_H
#define API_CONTENT_H

#include "app/app.h"

struct content_req {
	struct app *app;
	struct http_req *req;
	struct http_resp *resp;
	const struct content_type *ct;
	const char *document_id; /* NULL for list routes and single types */
};

int content_find(struct content_req *c, struct err *e);
int content_find_one(struct content_req *c, struct err *e);
int content_create(struct content_req *c, struct err *e);
int content_update(struct content_req *c, struct err *e);
int content_delete(struct content_req *c, struct err *e);

/*
 * Parse a request body as JSON (or as a form-urlencoded qs tree) into
 * '*out' (new reference; NULL for an empty body). Bad JSON is ERR_SYNTAX
 * with a JavaScript-style message; nesting beyond 'max_depth' is
 * ERR_VALIDATION.
 */
int content_parse_body(const struct app *app, const struct http_req *req,
		       json_t **out, struct err *e);

#endif
