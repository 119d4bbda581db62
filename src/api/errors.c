/* SPDX-License-Identifier: MIT */
/* errors.c: enum err_code -> HTTP status and Strapi's error envelope. */
#include "core/compat.h"
#include "api/errors.h"

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

void
api_error_respond(struct http_resp *resp, const struct err *e, bool production)
{
	if (e->code == ERR_METHOD) {
		resp->status = 405;
		resp->content_type = "text/plain; charset=utf-8";
		buf_reset(&resp->body);
		buf_addstr(&resp->body, "Method Not Allowed");
		return;
	}
	http_resp_json_new(resp, api_error_status(e->code),
			   api_error_envelope(e, production));
}
