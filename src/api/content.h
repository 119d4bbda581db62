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
 * Whether unauthenticated requests may run content-API action number
 * 'action' (granted through /admin/content-api/public-permissions). Costs
 * no database round trip while nothing changed (api/router.c).
 */
bool content_public_allows(struct app *app, int action);

/*
 * The building blocks, shared with the content manager (api/content_manager.c).
 *
 * content_entry_json: row 'r' of 'rows' as the response object (id,
 *   documentId, the non-private attributes or q->fields, timestamps).
 * content_create_document: validate 'data' (the attributes object) and
 *   create a document; draft & publish types are published too unless
 *   q asks for status=draft. Responds {data, meta} with 'status'.
 * content_update_document: validate and apply 'data' to document 'doc';
 *   publishes unless q asks for status=draft. Responds 200.
 * content_single_document: the documentId of a single type's entry into
 *   'doc' (64 bytes), "" when there is none.
 * content_publish: replace document 'doc''s published row by a copy of its
 *   draft (required attributes checked); '*pub_id' receives the new row id.
 * content_write_create / content_write_update: the validation and writes
 *   of content_create_document / content_update_document without the
 *   response: '*row_id' receives the id of the row to show (the published
 *   row when the write published). c->req and c->resp are not used, so
 *   the GraphQL API calls them too. Update fails with ERR_NOT_FOUND when
 *   the document does not exist.
 */
json_t *content_entry_json(const struct content_type *ct,
			   const struct store_rows *rows, size_t r,
			   const struct query *q);
int content_create_document(struct content_req *c, json_t *data,
			    const struct query *q, int status, struct err *e);
int content_update_document(struct content_req *c, const char *doc,
			    json_t *data, const struct query *q,
			    struct err *e);
int content_write_create(struct content_req *c, json_t *data,
			 const struct query *q, int64_t *row_id,
			 struct err *e);
int content_write_update(struct content_req *c, const char *doc,
			 json_t *data, const struct query *q, int64_t *row_id,
			 struct err *e);
int content_single_document(struct content_req *c, char doc[64],
			    struct err *e);
int content_publish(struct content_req *c, const char *doc, int64_t now,
		    int64_t *pub_id, struct err *e);

/*
 * Parse a request body as JSON (or as a form-urlencoded qs tree) into
 * '*out' (new reference; NULL for an empty body). Bad JSON is ERR_SYNTAX
 * with a JavaScript-style message; nesting beyond 'max_depth' is
 * ERR_VALIDATION.
 */
int content_parse_body(const struct app *app, const struct http_req *req,
		       json_t **out, struct err *e);

#endif
