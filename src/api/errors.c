/* SPDX-License-Identifier: MIT */
/* errors.c: enum err_code -> HTTP status and Strapi's error envelope. */
#include "core/compat.h"
#include "api/errors.h"
#include "core/buf.h"

#include <pthread.h>

struct err_map {
	int code;
	int status;
	const char *name;
	bool details; /* whether the envelope carries a details object */
};

static const struct err_map err_table[] = {
	{ ERR_VALIDATION, 400, "ValidationError", true },
	{ ERR_APPLICATION, 400, "ApplicationError", true },
	{ ERR_SYNTAX, 400, "SyntaxError", false },
	{ ERR_PAGINATION, 400, "PaginationError", true },
	{ ERR_BAD_REQUEST, 400, "BadRequestError", true },
	{ ERR_UNAUTHORIZED, 401, "UnauthorizedError", true },
	{ ERR_FORBIDDEN, 403, "ForbiddenError", true },
	{ ERR_POLICY, 403, "PolicyError", true },
	{ ERR_NOT_FOUND, 404, "NotFoundError", true },
	{ ERR_METHOD, 405, "MethodNotAllowedError", true },
	{ ERR_TOO_LARGE, 413, "PayloadTooLargeError", true },
	{ ERR_RATE_LIMIT, 429, "RateLimitError", true },
	{ ERR_INTERNAL, 500, "InternalServerError", false },
	{ ERR_STORAGE, 500, "InternalServerError", false },
	{ ERR_IO, 500, "InternalServerError", false },
	{ ERR_UNAVAILABLE, 503, "ServiceUnavailableError", true },
	{ ERR_CONFLICT, 400, "ApplicationError", true },
};

static const struct err_map *
lookup(int code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(err_table); i++)
		if (err_table[i].code == code)
			return &err_table[i];
	return &err_table[12]; /* InternalServerError */
}

int
api_error_status(int code)
{
	return lookup(code)->status;
}

const char *
api_error_name(int code)
{
	return lookup(code)->name;
}

json_t *
api_error_envelope(const struct err *e, bool production)
{
	const struct err_map *m = lookup(e->code);
	json_t *env = json_object(), *err = json_object();
	const char *msg = e->msg[0] ? e->msg : m->name;

	if (m->status >= 500 && (production || !e->msg[0]))
		msg = m->status == 503 ? "Service Unavailable"
				       : "Internal Server Error";
	json_object_set_new(env, "data", json_null());
	json_object_set_new(err, "status", json_integer(m->status));
	json_object_set_new(err, "name", json_string(m->name));
	json_object_set_new(err, "message", json_string(msg));
	if (m->details)
		json_object_set_new(err, "details",
				    e->details && !(production && m->status >= 500)
					    ? json_incref(e->details)
					    : json_object());
	json_object_set_new(env, "error", err);
	return env;
}

/*
 * The errors every unauthenticated or mistaken request gets, rendered once
 * through the same envelope code (so byte for byte the same) and then sent
 * without building JSON per request.
 */
struct fixed_body {
	int code;
	const char *msg;
	const char *body; /* built once, never freed */
	size_t len;
};

static struct fixed_body fixed_bodies[] = {
    {ERR_UNAUTHORIZED, "Missing or invalid credentials", NULL, 0},
    {ERR_UNAUTHORIZED, "Token expired", NULL, 0},
    {ERR_FORBIDDEN, "Forbidden", NULL, 0},
    {ERR_NOT_FOUND, "Not Found", NULL, 0},
};
static pthread_once_t fixed_once = PTHREAD_ONCE_INIT;

static void
fixed_render(void)
{
	struct fixed_body *f;
	struct err e;
	struct buf b;
	json_t *env;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixed_bodies); i++) {
		f = &fixed_bodies[i];
		memset(&e, 0, sizeof(e));
		e.code = f->code;
		snprintf(e.msg, sizeof(e.msg), "%s", f->msg);
		env = api_error_envelope(&e, false);
		buf_init(&b);
		if (http_json_append(&b, env) == 0)
			f->body = buf_detach(&b, &f->len);
		buf_release(&b);
		json_decref(env);
	}
}

/* The pre-rendered envelope for 'e', or NULL. */
static const struct fixed_body *
fixed_lookup(const struct err *e)
{
	size_t i;

	if (e->details)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(fixed_bodies); i++)
		if (fixed_bodies[i].code == e->code &&
		    !strcmp(fixed_bodies[i].msg, e->msg))
			break;
	if (i == ARRAY_SIZE(fixed_bodies))
		return NULL;
	pthread_once(&fixed_once, fixed_render);
	return fixed_bodies[i].body ? &fixed_bodies[i] : NULL;
}

static const char method_not_allowed[] = "Method Not Allowed";

void
api_error_respond(struct http_resp *resp, const struct err *e, bool production)
{
	const struct fixed_body *f;

	if (e->code == ERR_METHOD) {
		http_resp_body_static(resp, 405, "text/plain; charset=utf-8",
				      method_not_allowed,
				      sizeof(method_not_allowed) - 1);
		return;
	}
	f = fixed_lookup(e);
	if (f) {
		http_resp_body_static(resp, api_error_status(e->code),
				      HTTP_JSON_TYPE, f->body, f->len);
		return;
	}
	http_resp_json_new(resp, api_error_status(e->code),
			   api_error_envelope(e, production));
}
