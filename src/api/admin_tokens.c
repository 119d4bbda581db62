/* SPDX-License-Identifier: MIT */
/*
 * admin_tokens.c: /admin/api-tokens (content-API tokens), /admin/admin-tokens
 * and /admin/content-api/... (the action catalogue, the routes, and the
 * actions granted to unauthenticated requests). The rules live in the
 * token service; these handlers map HTTP to it.
 */
#include "core/compat.h"
#include "api/admin.h"
#include "core/mem.h"

/* ---- content-API tokens ---------------------------------------------------- */

static int
api_token_id(struct admin_req *r, int64_t *id, struct err *e)
{
	if (!admin_parse_id(r->params[0], id))
		return err_set(e, ERR_NOT_FOUND, "API Token not found");
	return 0;
}

/* Respond with 'out' (a token object holding a key: wiped after sending). */
static int
respond_token(struct admin_req *r, int rc, int status, json_t *out)
{
	if (rc < 0)
		return rc;
	admin_respond(r, status, json_incref(out));
	token_json_wipe(out);
	json_decref(out);
	return 0;
}

static int
api_create(struct admin_req *r, struct err *e)
{
	json_t *out = NULL;
	int rc = token_service_create(r->app->tokens, r->body, &out, e);

	return respond_token(r, rc, 201, out);
}

static void
list_append(json_t *token, size_t i, void *ctx)
{
	struct buf *body = ctx;

	if (i)
		buf_addch(body, ',');
	http_json_append(body, token);
}

/* {"data": [...]} written straight into the body: a store with many
 * tokens would otherwise hold the list twice, as JSON values and as text. */
static int
api_list(struct admin_req *r, struct err *e)
{
	struct http_resp *resp = r->resp;
	int rc;

	resp->static_body = NULL;
	resp->static_len = 0;
	buf_reset(&resp->body);
	buf_addstr(&resp->body, "{\"data\":[");
	rc = token_service_list_each(r->app->tokens, list_append, &resp->body,
				     e);
	if (rc < 0) {
		buf_reset(&resp->body);
		return rc;
	}
	buf_addstr(&resp->body, "]}");
	resp->status = 200;
	resp->content_type = HTTP_JSON_TYPE;
	return 0;
}

static int
api_get(struct admin_req *r, struct err *e)
{
	json_t *out = NULL;
	int64_t id;
	int rc = api_token_id(r, &id, e);

	if (rc == 0)
		rc = token_service_get(r->app->tokens, id, &out, e);
	return respond_token(r, rc, 200, out);
}

static int
api_update(struct admin_req *r, struct err *e)
{
	json_t *out = NULL;
	int64_t id;
	int rc = api_token_id(r, &id, e);

	if (rc == 0)
		rc = token_service_update(r->app->tokens, id, r->body, &out, e);
	return respond_token(r, rc, 200, out);
}

static int
api_delete(struct admin_req *r, struct err *e)
{
	json_t *out = NULL;
	int64_t id;
	int rc = 0;

	if (!admin_parse_id(r->params[0], &id))
		out = json_null(); /* nothing by that id: {data:null} */
	else
		rc = token_service_delete(r->app->tokens, id, &out, e);
	return respond_token(r, rc, 200, out);
}

static int
api_regenerate(struct admin_req *r, struct err *e)
{
	json_t *out = NULL;
	int64_t id;
	int rc = api_token_id(r, &id, e);

	if (rc == 0)
		rc = token_service_regenerate(r->app->tokens, id, &out, e);
	return respond_token(r, rc, 201, out);
}

/* ---- admin tokens ------------------------------------------------------------ */

static struct token_caller
caller(const struct admin_req *r)
{
	struct token_caller c;

	c.user_id = r->auth->user.id;
	c.super_admin = r->auth->super_admin;
	c.perms = &r->auth->perms;
	return c;
}

typedef int (*admin_token_fn)(struct token_service *, int64_t,
			      const struct token_caller *, json_t **,
			      struct err *);

static int
with_admin_token(struct admin_req *r, admin_token_fn fn, int status,
		 struct err *e)
{
	struct token_caller c = caller(r);
	json_t *out = NULL;
	int64_t id;
	int rc = api_token_id(r, &id, e);

	if (rc == 0)
		rc = fn(r->app->tokens, id, &c, &out, e);
	return respond_token(r, rc, status, out);
}

static int
adm_create(struct admin_req *r, struct err *e)
{
	struct token_caller c = caller(r);
	json_t *out = NULL;
	int rc = token_service_admin_create(r->app->tokens, r->body, &c, &out, e);

	return respond_token(r, rc, 201, out);
}

static int
adm_list(struct admin_req *r, struct err *e)
{
	struct token_caller c = caller(r);
	json_t *out = NULL;
	int rc = token_service_admin_list(r->app->tokens, &c, &out, e);

	return respond_token(r, rc, 200, out);
}

static int
adm_get(struct admin_req *r, struct err *e)
{
	return with_admin_token(r, token_service_admin_get, 200, e);
}

static int
adm_update(struct admin_req *r, struct err *e)
{
	struct token_caller c = caller(r);
	json_t *out = NULL;
	int64_t id;
	int rc = api_token_id(r, &id, e);

	if (rc == 0)
		rc = token_service_admin_update(r->app->tokens, id, r->body, &c,
						&out, e);
	return respond_token(r, rc, 200, out);
}

static int
adm_delete(struct admin_req *r, struct err *e)
{
	return with_admin_token(r, token_service_admin_delete, 200, e);
}

static int
adm_regenerate(struct admin_req *r, struct err *e)
{
	return with_admin_token(r, token_service_admin_regenerate, 201, e);
}

static int
adm_owner_permissions(struct admin_req *r, struct err *e)
{
	return with_admin_token(r, token_service_admin_owner_permissions, 200, e);
}

/* ---- the content-API catalogue ------------------------------------------------ */

static int
content_api_permissions(struct admin_req *r, struct err *e)
{
	const struct schema_registry *reg = &r->app->reg;
	json_t *data = json_object();
	size_t i, a;

	(void)e;
	for (i = 0; i < reg->n_types; i++) {
		const struct content_type *ct = &reg->types[i];
		json_t *actions = json_array();
		char key[256];

		for (a = 0; a < ACTION_COUNT_; a++)
			if (schema_has_action(ct, (enum ct_action)a))
				json_array_append_new(
					actions,
					json_string(schema_action_name((enum ct_action)a)));
		snprintf(key, sizeof(key), "api::%s", ct->api_name);
		/* the controller is the content-types folder: uid "api::x.<it>" */
		json_object_set_new(data, key,
				    json_pack("{s:{s:o}}", "controllers",
					      strchr(ct->uid, '.') + 1, actions));
	}
	admin_respond(r, 200, data);
	return 0;
}

static json_t *
route_json(const struct content_type *ct, const char *method, const char *path,
	   enum ct_action a)
{
	char uid[300];

	snprintf(uid, sizeof(uid), "%s.%s", ct->uid, schema_action_name(a));
	return json_pack("{s:s,s:s,s:s,s:{s:{s:[s]}},s:{s:s,s:s}}", "method",
			 method, "path", path, "handler", uid, "config", "auth",
			 "scope", uid, "info", "apiName", ct->api_name, "type",
			 "content-api");
}

static int
content_api_routes(struct admin_req *r, struct err *e)
{
	const struct schema_registry *reg = &r->app->reg;
	json_t *data = json_object();
	char key[256], list[300], item[320];
	size_t i;

	(void)e;
	for (i = 0; i < reg->n_types; i++) {
		const struct content_type *ct = &reg->types[i];
		json_t *routes = json_array();

		if (ct->single) {
			snprintf(list, sizeof(list), "/api/%s", ct->singular);
			json_array_append_new(routes, route_json(ct, "GET", list, ACTION_FIND));
			json_array_append_new(routes, route_json(ct, "PUT", list, ACTION_UPDATE));
			json_array_append_new(routes, route_json(ct, "DELETE", list, ACTION_DELETE));
		} else {
			snprintf(list, sizeof(list), "/api/%s", ct->plural);
			snprintf(item, sizeof(item), "/api/%s/:id", ct->plural);
			json_array_append_new(routes, route_json(ct, "GET", list, ACTION_FIND));
			json_array_append_new(routes, route_json(ct, "GET", item, ACTION_FIND_ONE));
			json_array_append_new(routes, route_json(ct, "POST", list, ACTION_CREATE));
			json_array_append_new(routes, route_json(ct, "PUT", item, ACTION_UPDATE));
			json_array_append_new(routes, route_json(ct, "DELETE", item, ACTION_DELETE));
		}
		snprintf(key, sizeof(key), "api::%s", ct->api_name);
		json_object_set_new(data, key, routes);
	}
	admin_respond(r, 200, data);
	return 0;
}

static json_t *
public_json(char **actions, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_string(actions[i]));
	return json_pack("{s:o}", "actions", list);
}

static void
free_actions(char **actions, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(actions[i]);
	free(actions);
}

static int
public_get(struct admin_req *r, struct err *e)
{
	char **actions = NULL;
	size_t n = 0;

	if (store_public_actions(r->app->store, &actions, &n) < 0)
		return err_set(e, ERR_STORAGE, "Internal Server Error");
	admin_respond(r, 200, public_json(actions, n));
	free_actions(actions, n);
	return 0;
}

static int
public_put(struct admin_req *r, struct err *e)
{
	json_t *list = json_object_get(r->body, "actions"), *v;
	const char *path[] = { "actions", NULL };
	char **actions;
	size_t i, n = 0;
	int rc;

	if (!json_is_array(list)) {
		err_add_validation(e, path, list,
				   "actions must be a `array` type");
		return err_finish_validation(e);
	}
	actions = xcalloc(json_array_size(list) + 1, sizeof(char *));
	json_array_foreach(list, i, v) {
		const char *a = json_string_value(v);

		if (!a || schema_action_index(&r->app->reg, a) < 0) {
			free_actions(actions, n);
			return err_set(e, ERR_VALIDATION,
				       "Unknown permissions provided: %.200s",
				       a ? a : "(not a string)");
		}
		actions[n++] = xstrdup(a);
	}
	rc = store_set_public_actions(r->app->store, actions, n);
	free_actions(actions, n);
	if (rc < 0)
		return err_set(e, ERR_STORAGE, "Internal Server Error");
	return public_get(r, e);
}

const struct admin_route admin_token_routes[] = {
	{ "POST", "/admin/api-tokens", api_create, "admin::api-tokens.create", 0 },
	{ "GET", "/admin/api-tokens", api_list, "admin::api-tokens.read", 0 },
	{ "GET", "/admin/api-tokens/:id", api_get, "admin::api-tokens.read", 0 },
	{ "PUT", "/admin/api-tokens/:id", api_update, "admin::api-tokens.update", 0 },
	{ "DELETE", "/admin/api-tokens/:id", api_delete, "admin::api-tokens.delete", 0 },
	{ "POST", "/admin/api-tokens/:id/regenerate", api_regenerate,
	  "admin::api-tokens.regenerate", 0 },
	{ "POST", "/admin/admin-tokens", adm_create, "admin::admin-tokens.create", 0 },
	{ "GET", "/admin/admin-tokens", adm_list, "admin::admin-tokens.read", 0 },
	{ "GET", "/admin/admin-tokens/:id", adm_get, "admin::admin-tokens.read", 0 },
	{ "PUT", "/admin/admin-tokens/:id", adm_update, "admin::admin-tokens.update", 0 },
	{ "DELETE", "/admin/admin-tokens/:id", adm_delete, "admin::admin-tokens.delete", 0 },
	{ "POST", "/admin/admin-tokens/:id/regenerate", adm_regenerate,
	  "admin::admin-tokens.regenerate", 0 },
	{ "GET", "/admin/admin-tokens/:id/owner-permissions", adm_owner_permissions,
	  "admin::admin-tokens.read", 0 },
	{ "GET", "/admin/content-api/permissions", content_api_permissions, NULL, 0 },
	{ "GET", "/admin/content-api/routes", content_api_routes, NULL, 0 },
	{ "GET", "/admin/content-api/public-permissions", public_get,
	  "admin::public-permissions.read", 0 },
	{ "PUT", "/admin/content-api/public-permissions", public_put,
	  "admin::public-permissions.update", 0 },
};
const size_t admin_token_n_routes = ARRAY_SIZE(admin_token_routes);
