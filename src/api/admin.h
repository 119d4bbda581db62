/* SPDX-License-Identifier: MIT */
/*
 * admin.h: the Admin API (/admin/...) and the content manager
 * (/content-manager/...): authentication of administrators (session JWTs
 * and admin tokens, never content-API tokens), permission policies, and the
 * route tables of each area.
 *
 * Order for every request, as Strapi's: unknown route 404, then
 * authentication (401 "Missing or invalid credentials", or the admin-token
 * strategy's own message), then the route's permission (403 PolicyError
 * "Policy Failed"), then the handler.
 */
#ifndef API_ADMIN_H
#define API_ADMIN_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"
#include "auth/rbac.h"

/* Who is calling: an administrator by session, or an admin token. */
struct admin_auth {
	struct admin_user user; /* the caller, or the token's owner */
	bool super_admin;
	struct rbac_set perms;  /* the role permissions, or the token's */
	int64_t token_id;       /* admin token id; 0 for a session */
	char sid[48];           /* session id; "" for an admin token */
};

struct admin_req {
	struct app *app;
	struct http_req *req;
	struct http_resp *resp;
	struct admin_auth *auth; /* NULL on public routes */
	const char *params[3];   /* ":x" captures in pattern order */
	json_t *body;            /* the parsed JSON body; NULL when none */
	const char *client_ip;   /* for rate limiting */
};

typedef int (*admin_handler_fn)(struct admin_req *r, struct err *e);

enum admin_route_flags {
	ROUTE_PUBLIC = 1 << 0, /* no authentication (init, login, register) */
};

struct admin_route {
	const char *method;  /* "GET", ... */
	const char *pattern; /* "/admin/users/:id" */
	admin_handler_fn fn;
	/*
	 * The permission the caller needs (hasPermissions); NULL means any
	 * authenticated administrator. Content-manager routes check their
	 * subject-bound permission in the handler.
	 */
	const char *action;
	unsigned flags;
};

/* api/admin_users.c: init, register-admin, login, logout, users/me, users, roles, permissions. */
extern const struct admin_route admin_user_routes[];
extern const size_t admin_user_n_routes;
/* api/admin_tokens.c: api-tokens, admin-tokens, content-api permissions/routes/public. */
extern const struct admin_route admin_token_routes[];
extern const size_t admin_token_n_routes;
/* api/content_manager.c: /content-manager/collection-types and single-types. */
extern const struct admin_route admin_cm_routes[];
extern const size_t admin_cm_n_routes;

/*
 * Serve a request under /admin or /content-manager. Returns 0 when a
 * response was produced, or a negative error (with 'e') for the caller to
 * send, ERR_NOT_FOUND when no route matches.
 */
int admin_dispatch(struct app *app, struct http_req *req,
		   struct http_resp *resp, struct err *e);

/* Whether some Admin API route (any method) has a pattern matching 'path'. */
bool admin_route_exists(const char *path);

/* Respond {"data": data} ('data' stolen). */
void admin_respond(struct admin_req *r, int status, json_t *data);

/* Parse a positive decimal id; false for anything else. */
bool admin_parse_id(const char *s, int64_t *id);

/* Whether the caller holds 'action' (on 'subject', NULL when none). */
bool admin_can(const struct admin_req *r, const char *action,
	       const char *subject);

/*
 * The user object of the transcript: id, documentId, firstname, lastname,
 * username, email, isActive, blocked, preferedLanguage, createdAt,
 * updatedAt, publishedAt, locale, and "roles" [{id,name,description,code}]
 * when 'with_roles'. Never the password. A new reference.
 * (api/admin_users.c)
 */
json_t *admin_user_json(const struct admin_user *u, bool with_roles);

#endif
