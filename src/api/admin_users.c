/* SPDX-License-Identifier: MIT */
/*
 * admin_users.c: the Admin API routes for administrators: init,
 * register-admin, login, logout, users/me, users, roles and the permission
 * catalogue. Handlers turn requests into calls of the administrators
 * service (auth/admin_users.h) and its results into Strapi's JSON; the
 * rules and validation live in the service.
 */
#include "core/compat.h"
#include "api/admin.h"
#include "auth/admin_session.h"
#include "auth/admin_users.h"
#include "auth/api_token.h"
#include "auth/ratelimit.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/timeutil.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
time_json(int64_t ms)
{
	char iso[32];

	if (ms == TIME_NULL)
		return json_null();
	time_iso8601(ms, iso);
	return json_string(iso);
}

json_t *
admin_user_json(const struct admin_user *u, bool with_roles)
{
	json_t *o = json_object(), *roles, *r;
	size_t i;

	json_object_set_new(o, "id", json_integer(u->id));
	json_object_set_new(o, "documentId", str_or_null(u->document_id));
	json_object_set_new(o, "firstname", str_or_null(u->firstname));
	json_object_set_new(o, "lastname", str_or_null(u->lastname));
	json_object_set_new(o, "username", str_or_null(u->username));
	json_object_set_new(o, "email", str_or_null(u->email));
	json_object_set_new(o, "isActive", json_boolean(u->is_active));
	json_object_set_new(o, "blocked", json_boolean(u->blocked));
	json_object_set_new(o, "preferedLanguage",
			    str_or_null(u->prefered_language));
	json_object_set_new(o, "createdAt", time_json(u->created_at));
	json_object_set_new(o, "updatedAt", time_json(u->updated_at));
	/* admin::user has no draft & publish: published when created */
	json_object_set_new(o, "publishedAt", time_json(u->created_at));
	json_object_set_new(o, "locale", json_null());
	if (!with_roles)
		return o;
	roles = json_array();
	for (i = 0; i < u->n_roles; i++) {
		r = json_object();
		json_object_set_new(r, "id", json_integer(u->roles[i].id));
		json_object_set_new(r, "name", str_or_null(u->roles[i].name));
		json_object_set_new(r, "description",
				    str_or_null(u->roles[i].description));
		json_object_set_new(r, "code", str_or_null(u->roles[i].code));
		json_array_append_new(roles, r);
	}
	json_object_set_new(o, "roles", roles);
	return o;
}

/*
 * A role as Strapi's query layer returns it (every column of admin::role),
 * with "usersCount" appended where Strapi counts them (find, findOne).
 */
static json_t *
role_json(const struct admin_role *r, bool with_count)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "documentId", str_or_null(r->document_id));
	json_object_set_new(o, "name", str_or_null(r->name));
	json_object_set_new(o, "code", str_or_null(r->code));
	json_object_set_new(o, "description", str_or_null(r->description));
	json_object_set_new(o, "createdAt", time_json(r->created_at));
	json_object_set_new(o, "updatedAt", time_json(r->updated_at));
	json_object_set_new(o, "publishedAt", time_json(r->created_at));
	json_object_set_new(o, "locale", json_null());
	if (with_count)
		json_object_set_new(o, "usersCount",
				    json_integer(r->users_count));
	return o;
}

static json_t *
permissions_json(const struct admin_permission *p, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, admin_permission_json(&p[i]));
	return list;
}

static int
storage_failed(int rc, struct err *e)
{
	if (rc == ERR_UNAVAILABLE)
		return err_set(e, rc, "Service Unavailable");
	return err_set(e, ERR_STORAGE, "Internal Server Error");
}

/* The ":id" capture as a row id; 0 (no such row) when it is not one. */
static int64_t
param_id(const struct admin_req *r)
{
	int64_t id = 0;

	if (!admin_parse_id(r->params[0], &id))
		return 0;
	return id;
}

/* ---- authentication ----------------------------------------------------- */

/*
 * Strapi's admin rateLimit middleware, before anything else on the route:
 * the key is "<lower-cased email or unknownEmail>:<path>:<ip>".
 */
static int
rate_limited(struct admin_req *r, const char *path, struct err *e)
{
	json_t *v = json_object_get(r->body, "email");
	struct buf key = BUF_INIT;
	size_t start;
	bool limited;
	char *p;

	if (json_is_string(v) && json_string_length(v)) {
		start = key.len;
		buf_addstr(&key, json_string_value(v));
		for (p = key.ptr + start; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	} else if (json_is_integer(v)) {
		buf_addf(&key, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_boolean(v)) {
		buf_addstr(&key, json_is_true(v) ? "true" : "false");
	} else {
		buf_addstr(&key, "unknownEmail");
	}
	buf_addf(&key, ":%s:%s", path, r->client_ip ? r->client_ip : "");
	limited =
	    ratelimit_hit(ratelimit_admin(), key.ptr, (int64_t)time_mono_ms());
	buf_release(&key);
	if (limited)
		return err_set(e, ERR_RATE_LIMIT,
			       "Too many requests, please try again later.");
	return 0;
}

/* {token, accessToken, user} for a new session of 'u'. */
static int
respond_session(struct admin_req *r, const struct admin_user *u,
		bool with_roles, struct err *e)
{
	char *jwt = NULL;
	json_t *data;
	int rc;

	rc = admin_session_issue(r->app->store, r->app->cfg.admin_jwt_secret,
				 u->id, &jwt, e);
	if (rc < 0)
		return rc;
	data = json_object();
	json_object_set_new(data, "token", json_string(jwt));
	json_object_set_new(data, "accessToken", json_string(jwt));
	json_object_set_new(data, "user", admin_user_json(u, with_roles));
	secret_free(jwt);
	admin_respond(r, 200, data);
	return 0;
}

static int
no_jwt_secret(struct err *e)
{
	return err_set(e, ERR_INTERNAL,
		       "Missing ADMIN_JWT_SECRET: admin sessions are disabled");
}

static int
h_init(struct admin_req *r, struct err *e)
{
	bool exist = false;
	json_t *data;
	int rc;

	rc = admin_users_exist(r->app, &exist, e);
	if (rc < 0)
		return rc;
	data = json_object();
	json_object_set_new(data, "uuid", json_false());
	json_object_set_new(data, "hasAdmin", json_boolean(exist));
	json_object_set_new(data, "menuLogo", json_null());
	json_object_set_new(data, "authLogo", json_null());
	admin_respond(r, 200, data);
	return 0;
}

static int
h_register_admin(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int rc;

	rc = rate_limited(r, "/admin/register-admin", e);
	if (rc < 0)
		return rc;
	/* refused before anything is created: no session could be issued */
	if (!r->app->cfg.admin_jwt_secret || !*r->app->cfg.admin_jwt_secret)
		return no_jwt_secret(e);
	rc = admin_users_register_first(r->app, r->body, &u, e);
	if (rc < 0)
		return rc;
	rc = respond_session(r, &u, true, e);
	admin_user_release(&u);
	return rc;
}

static int
h_login(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int rc;

	rc = rate_limited(r, "/admin/login", e);
	if (rc < 0)
		return rc;
	rc = admin_users_login(r->app, r->body, &u, e);
	if (rc < 0)
		return rc;
	rc = respond_session(r, &u, false, e);
	admin_user_release(&u);
	return rc;
}

static int
h_logout(struct admin_req *r, struct err *e)
{
	int rc;

	if (r->auth->sid[0]) {
		rc = admin_session_end(r->app->store, r->auth->sid);
		if (rc < 0 && rc != ERR_NOT_FOUND)
			return storage_failed(rc, e);
	}
	admin_respond(r, 200, json_object());
	return 0;
}

/* ---- the caller -----------------------------------------------------------
 */

static int
h_me(struct admin_req *r, struct err *e)
{
	(void)e;
	admin_respond(r, 200, admin_user_json(&r->auth->user, true));
	return 0;
}

static int
h_me_update(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int rc;

	rc = admin_users_update_profile(r->app, r->auth->user.id, r->body, &u,
					e);
	if (rc < 0)
		return rc;
	/* a new password ends the user's other sessions, not this one */
	if (json_object_get(r->body, "password") &&
	    store_session_delete_user(r->app->store, u.id, r->auth->sid) < 0) {
		admin_user_release(&u);
		return err_set(e, ERR_STORAGE, "Internal Server Error");
	}
	admin_respond(r, 200, admin_user_json(&u, true));
	admin_user_release(&u);
	return 0;
}

static int
h_me_permissions(struct admin_req *r, struct err *e)
{
	struct admin_permission *p = NULL;
	size_t n = 0;
	int rc;

	if (r->auth->token_id) {
		/* an admin token acts with its own permissions */
		rc = store_token_admin_permissions(r->app->store,
						   r->auth->token_id, &p, &n);
		if (rc < 0)
			return storage_failed(rc, e);
	} else {
		rc = admin_users_permissions(r->app, &r->auth->user, &p, &n, e);
		if (rc < 0)
			return rc;
	}
	admin_respond(r, 200, permissions_json(p, n));
	admin_permissions_free(p, n);
	return 0;
}

/* ---- users ----------------------------------------------------------------
 */

/* A positive integer query value, or 'dflt'. */
static int64_t
query_int(json_t *q, const char *key, int64_t dflt)
{
	const char *s = json_string_value(json_object_get(q, key));
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return dflt;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return dflt;
	return v;
}

static int
h_users_list(struct admin_req *r, struct err *e)
{
	struct admin_user *users = NULL;
	int64_t page, size, total = 0;
	json_t *q = NULL, *results, *pg, *data;
	size_t i, n = 0;
	int rc;

	rc = qs_parse(r->req->query, r->req->query_len, &r->app->qs_limits, &q,
		      e);
	if (rc < 0)
		return rc;
	page = query_int(q, "page", 1);
	size = query_int(q, "pageSize", ADMIN_USERS_PAGE_SIZE);
	json_decref(q);
	if (size > ADMIN_USERS_MAX_PAGE_SIZE)
		size = ADMIN_USERS_MAX_PAGE_SIZE;
	if (page > INT64_MAX / size)
		page = INT64_MAX / size;
	rc = store_admin_user_list(r->app->store, (page - 1) * size, size,
				   &users, &n, &total);
	if (rc < 0)
		return storage_failed(rc, e);
	results = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(results,
				      admin_user_json(&users[i], true));
		admin_user_release(&users[i]);
	}
	free(users);
	pg = json_object();
	json_object_set_new(pg, "page", json_integer(page));
	json_object_set_new(pg, "pageSize", json_integer(size));
	json_object_set_new(pg, "pageCount",
			    json_integer((total + size - 1) / size));
	json_object_set_new(pg, "total", json_integer(total));
	data = json_object();
	json_object_set_new(data, "results", results);
	json_object_set_new(data, "pagination", pg);
	admin_respond(r, 200, data);
	return 0;
}

static int
h_users_create(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int rc;

	rc = admin_users_create(r->app, r->body, &r->auth->perms, &u, e);
	if (rc < 0)
		return rc;
	admin_respond(r, 201, admin_user_json(&u, true));
	admin_user_release(&u);
	return 0;
}

static int
h_users_get(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int64_t id = param_id(r);
	int rc;

	if (!id)
		return err_set(e, ERR_NOT_FOUND, "User does not exist");
	rc = store_admin_user_get(r->app->store, id, &u);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "User does not exist");
	if (rc < 0)
		return storage_failed(rc, e);
	admin_respond(r, 200, admin_user_json(&u, true));
	admin_user_release(&u);
	return 0;
}

static int
h_users_update(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int rc;

	/* an id that names no row still gets its body validated, then 404 */
	rc = admin_users_update(r->app, param_id(r), r->body, &r->auth->perms,
				&u, e);
	if (rc < 0)
		return rc;
	/* a password set by an administrator ends the user's sessions */
	if (json_object_get(r->body, "password") &&
	    store_session_delete_user(r->app->store, u.id,
				      u.id == r->auth->user.id ? r->auth->sid
							       : NULL) < 0) {
		admin_user_release(&u);
		return err_set(e, ERR_STORAGE, "Internal Server Error");
	}
	admin_respond(r, 200, admin_user_json(&u, true));
	admin_user_release(&u);
	return 0;
}

static int
h_users_delete(struct admin_req *r, struct err *e)
{
	struct admin_user u;
	int64_t id = param_id(r);
	int rc;

	if (!id)
		return err_set(e, ERR_NOT_FOUND, "User not found");
	rc = admin_users_delete(r->app, id, &u, e);
	if (rc < 0)
		return rc;
	admin_respond(r, 200, admin_user_json(&u, true));
	admin_user_release(&u);
	return 0;
}

static int
h_users_batch_delete(struct admin_req *r, struct err *e)
{
	struct admin_user *users = NULL;
	json_t *list;
	size_t i, n = 0;
	int rc;

	rc = admin_users_delete_many(r->app, r->body, r->auth->user.id, &users,
				     &n, e);
	if (rc < 0)
		return rc;
	list = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(list, admin_user_json(&users[i], true));
		admin_user_release(&users[i]);
	}
	free(users);
	admin_respond(r, 200, list);
	return 0;
}

/* ---- roles ----------------------------------------------------------------
 */

static int
role_not_found(struct err *e)
{
	return err_set(e, ERR_NOT_FOUND, "role.notFound");
}

static int
h_roles_list(struct admin_req *r, struct err *e)
{
	struct admin_role *roles = NULL;
	json_t *list;
	size_t i, n = 0;
	int rc;

	rc = store_admin_role_list(r->app->store, &roles, &n);
	if (rc < 0)
		return storage_failed(rc, e);
	list = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(list, role_json(&roles[i], true));
		admin_role_release(&roles[i]);
	}
	free(roles);
	admin_respond(r, 200, list);
	return 0;
}

static int
h_roles_get(struct admin_req *r, struct err *e)
{
	struct admin_role role;
	int64_t id = param_id(r);
	int rc;

	if (!id)
		return role_not_found(e);
	rc = store_admin_role_get(r->app->store, id, &role);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	if (rc < 0)
		return storage_failed(rc, e);
	admin_respond(r, 200, role_json(&role, true));
	admin_role_release(&role);
	return 0;
}

static int
h_roles_create(struct admin_req *r, struct err *e)
{
	struct admin_role role;
	int rc;

	rc = admin_roles_create(r->app, r->body, &role, e);
	if (rc < 0)
		return rc;
	admin_respond(r, 201, role_json(&role, false));
	admin_role_release(&role);
	return 0;
}

static int
h_roles_update(struct admin_req *r, struct err *e)
{
	struct admin_role role;
	int rc;

	rc = admin_roles_update(r->app, param_id(r), r->body, &role, e);
	if (rc < 0)
		return rc;
	admin_respond(r, 200, role_json(&role, false));
	admin_role_release(&role);
	return 0;
}

static int
h_roles_delete(struct admin_req *r, struct err *e)
{
	struct admin_role role;
	bool deleted = false;
	int rc;

	rc = admin_roles_delete(r->app, r->params[0], &role, &deleted, e);
	if (rc < 0)
		return rc;
	admin_respond(r, 200, deleted ? role_json(&role, false) : json_null());
	admin_role_release(&role);
	return 0;
}

static int
h_roles_batch_delete(struct admin_req *r, struct err *e)
{
	struct admin_role *roles = NULL;
	json_t *list;
	size_t i, n = 0;
	int rc;

	rc = admin_roles_delete_many(r->app, r->body, &roles, &n, e);
	if (rc < 0)
		return rc;
	list = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(list, role_json(&roles[i], false));
		admin_role_release(&roles[i]);
	}
	free(roles);
	admin_respond(r, 200, list);
	return 0;
}

static int
h_role_permissions(struct admin_req *r, struct err *e)
{
	struct admin_permission *p = NULL;
	int64_t id = param_id(r);
	size_t n = 0;
	int rc;

	if (!id)
		return role_not_found(e);
	rc = store_admin_role_permissions(r->app->store, id, &p, &n);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	if (rc < 0)
		return storage_failed(rc, e);
	admin_respond(r, 200, permissions_json(p, n));
	admin_permissions_free(p, n);
	return 0;
}

static int
h_role_permissions_update(struct admin_req *r, struct err *e)
{
	struct admin_permission *p = NULL;
	size_t n = 0;
	int rc;

	rc = admin_roles_set_permissions(r->app, param_id(r), r->body,
					 &r->auth->perms, &p, &n, e);
	if (rc < 0)
		return rc;
	admin_respond(r, 200, permissions_json(p, n));
	admin_permissions_free(p, n);
	return 0;
}

static int
h_permissions(struct admin_req *r, struct err *e)
{
	(void)e;
	admin_respond(r, 200, rbac_catalogue_json(&r->app->reg));
	return 0;
}

/*
 * Strapi's routes and policies. "/admin/users/me" and the batch routes
 * come before "/admin/users/:id", which would capture them.
 */
const struct admin_route admin_user_routes[] = {
    {"GET", "/admin/init", h_init, NULL, ROUTE_PUBLIC},
    {"POST", "/admin/register-admin", h_register_admin, NULL, ROUTE_PUBLIC},
    {"POST", "/admin/login", h_login, NULL, ROUTE_PUBLIC},
    {"POST", "/admin/logout", h_logout, NULL, 0},
    {"GET", "/admin/users/me", h_me, NULL, 0},
    {"PUT", "/admin/users/me", h_me_update, NULL, 0},
    {"GET", "/admin/users/me/permissions", h_me_permissions, NULL, 0},
    {"GET", "/admin/users", h_users_list, "admin::users.read", 0},
    {"POST", "/admin/users", h_users_create, "admin::users.create", 0},
    {"POST", "/admin/users/batch-delete", h_users_batch_delete,
     "admin::users.delete", 0},
    {"GET", "/admin/users/:id", h_users_get, "admin::users.read", 0},
    {"PUT", "/admin/users/:id", h_users_update, "admin::users.update", 0},
    {"DELETE", "/admin/users/:id", h_users_delete, "admin::users.delete", 0},
    {"GET", "/admin/roles", h_roles_list, "admin::roles.read", 0},
    {"POST", "/admin/roles", h_roles_create, "admin::roles.create", 0},
    {"POST", "/admin/roles/batch-delete", h_roles_batch_delete,
     "admin::roles.delete", 0},
    {"GET", "/admin/roles/:id/permissions", h_role_permissions,
     "admin::roles.read", 0},
    {"PUT", "/admin/roles/:id/permissions", h_role_permissions_update,
     "admin::roles.update", 0},
    {"GET", "/admin/roles/:id", h_roles_get, "admin::roles.read", 0},
    {"PUT", "/admin/roles/:id", h_roles_update, "admin::roles.update", 0},
    {"DELETE", "/admin/roles/:id", h_roles_delete, "admin::roles.delete", 0},
    /* any authenticated administrator, as in Strapi */
    {"GET", "/admin/permissions", h_permissions, NULL, 0},
};
const size_t admin_user_n_routes = ARRAY_SIZE(admin_user_routes);
