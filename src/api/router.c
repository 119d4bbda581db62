/* SPDX-License-Identifier: MIT */
/*
 * router.c: the HTTP entry point. Matches a path to a route, applies CORS
 * and security headers, authenticates the bearer token and checks the
 * route's action before any lookup (Strapi's order: 404 for unknown routes,
 * 405 for wrong methods, then 401/403, then the handler).
 */
#include "core/compat.h"
#include "api/admin.h"
#include "api/content.h"
#include "api/content_cache.h"
#include "api/errors.h"
#include "api/graphql.h"
#include "api/panel.h"
#include "core/log.h"
#include "core/mem.h"

#include <strings.h>

#define ALLOW_COLLECTION "HEAD, GET, POST"
#define ALLOW_ITEM "HEAD, GET, PUT, DELETE"
#define ALLOW_HEALTH "HEAD, GET"

static const char *
origin_allowed(const struct app *app, const char *origin)
{
	char *const *o;

	if (!origin || !*origin)
		return NULL;
	if (!app->cors_origins)
		return origin; /* "*": echo, as Strapi's credentials mode does */
	for (o = app->cors_origins; *o; o++)
		if (!strcmp(*o, origin))
			return origin;
	return NULL;
}

static void
common_headers(const struct app *app, struct http_req *req,
	       struct http_resp *resp)
{
	const char *origin = origin_allowed(app, req->header(req, "Origin"));

	http_resp_header_static(resp, "X-Content-Type-Options", "nosniff");
	http_resp_header_static(resp, "X-Frame-Options", "SAMEORIGIN");
	http_resp_header_static(resp, "Referrer-Policy", "no-referrer");
	http_resp_header_static(resp, "Vary", "Origin");
	if (origin) {
		http_resp_header(resp, "Access-Control-Allow-Origin", origin);
		http_resp_header_static(resp,
					"Access-Control-Allow-Credentials",
					"true");
	}
}

static void
preflight(const struct app *app, struct http_req *req, struct http_resp *resp,
	  const char *allow)
{
	const char *hdrs = req->header(req, "Access-Control-Request-Headers");

	resp->status = 204;
	resp->content_type = NULL;
	if (origin_allowed(app, req->header(req, "Origin")) &&
	    req->header(req, "Access-Control-Request-Method")) {
		http_resp_header(resp, "Access-Control-Allow-Methods",
				 "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS");
		http_resp_header(resp, "Access-Control-Allow-Headers",
				 hdrs && *hdrs ? hdrs
					       : "Content-Type,Authorization,"
						 "Origin,Accept");
		return;
	}
	http_resp_header(resp, "Allow", allow);
}

/* 'allow' is one of the ALLOW_ literals */
static int
method_not_allowed(struct http_resp *resp, const char *allow, struct err *e)
{
	http_resp_header_static(resp, "Allow", allow);
	return err_set(e, ERR_METHOD, "Method Not Allowed");
}

enum route_kind { ROUTE_NONE, ROUTE_COLLECTION, ROUTE_ITEM, ROUTE_SINGLE };

/*
 * Split "/api/<name>[/<id>]" (one trailing slash allowed) and find the
 * content type. 'id' is copied into 'idbuf'.
 */
static enum route_kind
match_api(const struct app *app, const char *path,
	  const struct content_type **ct, char *idbuf, size_t idlen)
{
	char name[128];
	const char *p = path + 5, *slash;
	size_t n, rest;

	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (!n || n >= sizeof(name))
		return ROUTE_NONE;
	memcpy(name, p, n);
	name[n] = '\0';
	idbuf[0] = '\0';
	if (slash) {
		p = slash + 1;
		rest = strlen(p);
		if (rest && p[rest - 1] == '/')
			rest--;
		if (memchr(p, '/', rest) || rest >= idlen)
			return ROUTE_NONE;
		memcpy(idbuf, p, rest);
		idbuf[rest] = '\0';
	}
	*ct = schema_find_plural(&app->reg, name);
	if (*ct && !(*ct)->single)
		return idbuf[0] ? ROUTE_ITEM : ROUTE_COLLECTION;
	*ct = schema_find_singular(&app->reg, name);
	if (*ct && (*ct)->single && !idbuf[0])
		return ROUTE_SINGLE;
	return ROUTE_NONE;
}

/*
 * The content-API actions granted to unauthenticated requests, cached per
 * thread and reloaded only when the admin generation moves.
 */
#define PUBLIC_WORDS 64 /* room for 4096 actions; more fall back to the store */

struct public_cache {
	const struct app *app;
	uint64_t gen;
	bool loaded;
	uint64_t bits[PUBLIC_WORDS];
};

static _Thread_local struct public_cache pubcache;

bool
content_public_allows(struct app *app, int action)
{
	struct public_cache *pc = &pubcache;
	char **actions = NULL;
	size_t n = 0, i;
	uint64_t gen;

	if (action < 0 || (size_t)action >= PUBLIC_WORDS * 64)
		return false;
	if (store_admin_generation(app->store, &gen) < 0)
		return false;
	if (!pc->loaded || pc->app != app || pc->gen != gen) {
		memset(pc->bits, 0, sizeof(pc->bits));
		pc->loaded = false;
		if (store_public_actions(app->store, &actions, &n) < 0)
			return false;
		for (i = 0; i < n; i++) {
			int a = schema_action_index(&app->reg, actions[i]);

			if (a >= 0 && (size_t)a < PUBLIC_WORDS * 64)
				pc->bits[a / 64] |= (uint64_t)1 << (a % 64);
			free(actions[i]);
		}
		free(actions);
		pc->app = app;
		pc->gen = gen;
		pc->loaded = true;
	}
	return (pc->bits[action / 64] >> (action % 64)) & 1;
}

/* Authenticate and authorise 'action' on 'ct'. */
static int
guard(struct app *app, struct http_req *req, const struct content_type *ct,
      enum ct_action action, struct err *e)
{
	struct token_auth auth;
	int rc;

	rc = token_service_authenticate(
		app->tokens, req->header(req, "Authorization"), &auth, e);
	if (rc < 0)
		return rc;
	if (rc == AUTH_DECLINED) /* the public role: nothing unless granted */
		return content_public_allows(app, (int)ct->action_base + (int)action)
			       ? 0
			       : err_set(e, ERR_FORBIDDEN, "Forbidden");
	req->token_id = auth.id;
	if (!token_auth_allows(app->tokens, &auth,
			       (int)ct->action_base + (int)action))
		return err_set(e, ERR_FORBIDDEN, "Forbidden");
	return 0;
}

static int
route_api(struct app *app, struct http_req *req, struct http_resp *resp,
	  bool head_or_get, struct err *e)
{
	struct content_req c = { app, req, resp, NULL, NULL };
	const char *m = req->method;
	enum route_kind kind;
	enum ct_action action;
	char id[256];
	int (*fn)(struct content_req *, struct err *);
	int rc;

	kind = match_api(app, req->path, &c.ct, id, sizeof(id));
	if (kind == ROUTE_NONE)
		return err_set(e, ERR_NOT_FOUND, "Not Found");
	if (kind == ROUTE_COLLECTION) {
		if (head_or_get) {
			action = ACTION_FIND;
			fn = content_find;
		} else if (!strcmp(m, "POST")) {
			action = ACTION_CREATE;
			fn = content_create;
		} else {
			return method_not_allowed(resp, ALLOW_COLLECTION, e);
		}
	} else {
		if (head_or_get) {
			action = kind == ROUTE_ITEM ? ACTION_FIND_ONE : ACTION_FIND;
			fn = kind == ROUTE_ITEM ? content_find_one : content_find;
		} else if (!strcmp(m, "PUT")) {
			action = ACTION_UPDATE;
			fn = content_update;
		} else if (!strcmp(m, "DELETE")) {
			action = ACTION_DELETE;
			fn = content_delete;
		} else {
			return method_not_allowed(resp, ALLOW_ITEM, e);
		}
		if (kind == ROUTE_ITEM)
			c.document_id = id;
	}
	rc = guard(app, req, c.ct, action, e);
	if (rc < 0)
		return rc;
	if (head_or_get)
		return content_cache_serve(&c, app->content_cache_share, fn, e);
	return fn(&c, e);
}

static bool
is_panel_path(const char *path)
{
	return !strcmp(path, "/admin") || !strncmp(path, "/admin/", 7);
}

void
app_handle(void *vapp, struct http_req *req, struct http_resp *resp)
{
	struct app *app = vapp;
	struct err e = ERR_INIT;
	bool head_or_get = !strcmp(req->method, "GET") ||
			   !strcmp(req->method, "HEAD");
	bool is_api = !strncmp(req->path, "/api/", 5);
	int rc = 0;

	common_headers(app, req, resp);
	if (!strcmp(req->method, "OPTIONS")) {
		preflight(app, req, resp,
			  is_api ? ALLOW_ITEM : ALLOW_HEALTH);
		return;
	}
	if (!strcmp(req->path, "/_health")) {
		if (!head_or_get) {
			rc = method_not_allowed(resp, ALLOW_HEALTH, &e);
		} else {
			resp->status = 204;
			resp->content_type = NULL;
			http_resp_header_static(resp, "strapi",
						"You are so French!");
			/* tells apart instances whose salts differ */
			http_resp_header(resp, "x-tollgate-salt-fingerprint",
					 app->salt_fingerprint);
		}
	} else if (is_api) {
		rc = route_api(app, req, resp, head_or_get, &e);
	} else if (graphql_path(req->path)) {
		rc = graphql_handle(app, req, resp, &e);
	} else if (head_or_get && is_panel_path(req->path) &&
		   !admin_route_exists(req->path) && panel_serve(req, resp)) {
		rc = 0; /* the admin panel's pages and files */
	} else if (!strncmp(req->path, "/admin/", 7) ||
		   !strncmp(req->path, "/content-manager/", 17)) {
		rc = admin_dispatch(app, req, resp, &e);
	} else {
		rc = err_set(&e, ERR_NOT_FOUND, "Not Found");
	}
	if (rc < 0) {
		if (api_error_status(rc) >= 500)
			log_error("%s %.200s: %s", req->method, req->path, e.msg);
		if (!e.code)
			err_set(&e, rc, "%s", "");
		api_error_respond(resp, &e, app->cfg.production);
	}
	err_release(&e);
}

void
app_too_large(void *vapp, struct http_resp *resp)
{
	struct app *app = vapp;
	struct err e = ERR_INIT;

	err_set(&e, ERR_TOO_LARGE, "request entity too large");
	api_error_respond(resp, &e, app->cfg.production);
	err_release(&e);
}
