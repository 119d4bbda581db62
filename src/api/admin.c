/* SPDX-License-Identifier: MIT */
/*
 * admin.c: the Admin API's front door: route matching over the route
 * tables of each area, administrator authentication (session JWT, then
 * admin token; a content-API token is never accepted here), the
 * hasPermissions policy, and body parsing.
 */
#include "core/compat.h"
#include "api/admin.h"
#include "api/content.h"
#include "api/errors.h"
#include "auth/admin_session.h"
#include "core/log.h"

struct route_table {
	const struct admin_route *routes;
	const size_t *n;
};

static const struct route_table tables[] = {
	{ admin_user_routes, &admin_user_n_routes },
	{ admin_token_routes, &admin_token_n_routes },
	{ admin_cm_routes, &admin_cm_n_routes },
};

/*
 * Match 'path' against 'pattern' segment by segment; ":x" segments capture
 * a non-empty segment into 'params' (pointers into 'buf', a copy of the
 * path split at its slashes). One trailing slash is tolerated.
 */
static bool
match(const char *pattern, const char *path, char *buf, size_t buflen,
      const char *params[3])
{
	char *segs[16], *s, *slash;
	const char *p = pattern + 1, *pe;
	size_t len = strlen(path), ns = 0, i = 0, np = 0;

	if (len >= buflen || path[0] != '/')
		return false;
	memcpy(buf, path, len + 1);
	if (len > 1 && buf[len - 1] == '/')
		buf[len - 1] = '\0';
	for (s = buf + 1;; s = slash + 1) {
		if (ns == ARRAY_SIZE(segs))
			return false;
		segs[ns++] = s;
		slash = strchr(s, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	for (;;) {
		pe = strchrnul(p, '/');
		if (i >= ns)
			return false;
		if (*p == ':') {
			if (!*segs[i] || np >= 3)
				return false;
			params[np++] = segs[i];
		} else if (strlen(segs[i]) != (size_t)(pe - p) ||
			   strncmp(segs[i], p, (size_t)(pe - p))) {
			return false;
		}
		i++;
		if (!*pe)
			break;
		p = pe + 1;
	}
	return i == ns;
}

bool
admin_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return false;
	*id = v;
	return true;
}

void
admin_respond(struct admin_req *r, int status, json_t *data)
{
	json_t *body = json_object();

	json_object_set_new(body, "data", data ? data : json_null());
	http_resp_json_new(r->resp, status, body);
}

bool
admin_can(const struct admin_req *r, const char *action, const char *subject)
{
	if (!r->auth)
		return false;
	if (r->auth->super_admin && !r->auth->token_id)
		return true;
	return rbac_allows(&r->auth->perms, action, subject);
}

static void
auth_release(struct admin_auth *a)
{
	admin_user_release(&a->user);
	rbac_set_release(&a->perms);
}

static int
invalid_credentials(struct err *e)
{
	return err_set(e, ERR_UNAUTHORIZED, "Missing or invalid credentials");
}

/* Session JWT first, then admin token, as Strapi's strategy order. */
static int
authenticate(struct app *app, struct http_req *req, struct admin_auth *a,
	     struct err *e)
{
	const char *tok;
	size_t len;
	int64_t uid = 0;
	int rc;

	if (!token_parse_bearer(req->header(req, "Authorization"), &tok, &len))
		return invalid_credentials(e);
	if (admin_session_verify(app->store, app->cfg.admin_jwt_secret, tok,
				 len, &uid, a->sid) == 0) {
		rc = store_admin_user_get(app->store, uid, &a->user);
		if (rc < 0 || !a->user.is_active || a->user.blocked)
			return invalid_credentials(e);
		rc = rbac_load_user(app->store, &a->user, &a->super_admin,
				    &a->perms);
		if (rc < 0)
			return err_set(e, ERR_STORAGE, "Internal Server Error");
		return 0;
	}
	a->sid[0] = '\0';
	rc = token_service_authenticate_admin(app->tokens, tok, len,
					      &a->token_id, &a->user, &a->perms,
					      e);
	if (rc == AUTH_OK) {
		/* a token acts with its own permissions, never as super admin */
		a->super_admin = false;
		req->token_id = a->token_id;
		return 0;
	}
	if (rc < 0)
		return rc;
	return invalid_credentials(e);
}

static const struct admin_route *
find_route(const char *method, const char *path, char *buf, size_t buflen,
	   const char *params[3], struct buf *allow)
{
	bool head = !strcmp(method, "HEAD");
	size_t t, i;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < *tables[t].n; i++) {
			const struct admin_route *rt = &tables[t].routes[i];

			if (!match(rt->pattern, path, buf, buflen, params))
				continue;
			if (!strcmp(rt->method, method) ||
			    (head && !strcmp(rt->method, "GET")))
				return rt;
			if (allow->len)
				buf_addstr(allow, ", ");
			buf_addstr(allow, rt->method);
		}
	}
	return NULL;
}

bool
admin_route_exists(const char *path)
{
	const char *params[3];
	char buf[1024];
	size_t t, i;

	for (t = 0; t < ARRAY_SIZE(tables); t++)
		for (i = 0; i < *tables[t].n; i++)
			if (match(tables[t].routes[i].pattern, path, buf,
				  sizeof(buf), params))
				return true;
	return false;
}

int
admin_dispatch(struct app *app, struct http_req *req, struct http_resp *resp,
	       struct err *e)
{
	struct admin_req r = { app, req, resp, NULL, { NULL }, NULL, NULL };
	struct buf allow = BUF_INIT;
	const struct admin_route *rt;
	struct admin_auth auth;
	char pathbuf[1024];
	int rc;

	memset(&auth, 0, sizeof(auth));
	admin_user_init(&auth.user);
	rbac_set_init(&auth.perms);
	r.client_ip = req->remote_addr ? req->remote_addr : "";
	rt = find_route(req->method, req->path, pathbuf, sizeof(pathbuf),
			r.params, &allow);
	if (!rt) {
		if (allow.len) {
			http_resp_header(resp, "Allow", allow.ptr);
			rc = err_set(e, ERR_METHOD, "Method Not Allowed");
		} else {
			rc = err_set(e, ERR_NOT_FOUND, "Not Found");
		}
		goto out;
	}
	if (!(rt->flags & ROUTE_PUBLIC)) {
		rc = authenticate(app, req, &auth, e);
		if (rc < 0)
			goto out;
		r.auth = &auth;
		if (rt->action && !admin_can(&r, rt->action, NULL)) {
			rc = err_set(e, ERR_POLICY, "Policy Failed");
			goto out;
		}
	}
	rc = content_parse_body(app, req, &r.body, e);
	if (rc < 0)
		goto out;
	rc = rt->fn(&r, e);
out:
	json_decref(r.body);
	auth_release(&auth);
	buf_release(&allow);
	return rc;
}
