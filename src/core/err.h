/* SPDX-License-Identifier: MIT */
/*
 * err.h: error codes and the error record that user-visible failures fill.
 *
 * Fallible functions return 0 on success or a negative enum err_code. When
 * the failure is one a client should see, they also fill the optional last
 * parameter 'struct err *e' (which may be NULL). api/errors.c maps each code
 * to an HTTP status and to Strapi's error envelope; nothing else builds
 * error JSON.
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H

#include <jansson.h>

enum err_code {
	ERR_OK = 0,
	ERR_VALIDATION = -1,   /* 400 ValidationError */
	ERR_APPLICATION = -2,  /* 400 ApplicationError */
	ERR_SYNTAX = -3,       /* 400 SyntaxError (malformed JSON; no details) */
	ERR_PAGINATION = -4,   /* 400 PaginationError */
	ERR_BAD_REQUEST = -5,  /* 400 BadRequestError */
	ERR_UNAUTHORIZED = -6, /* 401 UnauthorizedError */
	ERR_FORBIDDEN = -7,    /* 403 ForbiddenError */
	ERR_POLICY = -8,       /* 403 PolicyError */
	ERR_NOT_FOUND = -9,    /* 404 NotFoundError */
	ERR_METHOD = -10,      /* 405, text/plain, with an Allow header */
	ERR_TOO_LARGE = -11,   /* 413 PayloadTooLargeError */
	ERR_RATE_LIMIT = -12,  /* 429 RateLimitError */
	ERR_INTERNAL = -13,    /* 500 InternalServerError */
	ERR_STORAGE = -14,     /* 500, a database failure */
	ERR_UNAVAILABLE = -15, /* 503 ServiceUnavailableError */
	ERR_CONFLICT = -16,    /* a unique constraint; mapped by the caller */
	ERR_IO = -17,          /* file system (start-up and CLI) */
};

struct err {
	int code;          /* an enum err_code, 0 while unset */
	char msg[512];     /* short message, as the client sees it */
	json_t *details;   /* owned; NULL means {} */
};

#define ERR_INIT { 0, "", NULL }

/*
 * Fill 'e' (when not NULL) with 'code' and a formatted message and return
 * 'code', so call sites read: return err_set(e, ERR_INVALID, "...", x);
 * Any previous details are released.
 */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like err_set() and attach 'details' (stolen, may be NULL). */
int err_set_details_new(struct err *e, int code, json_t *details,
			const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Free the details and reset to ERR_INIT. */
void err_release(struct err *e);
/* Move 'from' into 'to' (releasing what 'to' held). */
void err_move(struct err *to, struct err *from);

/*
 * Validation errors in Strapi's shape: details.errors is an array of
 * {path:[...], message, name:"ValidationError", value?}. err_add_validation
 * appends one (the 'value' is borrowed and copied; pass NULL to omit it;
 * 'path' is a NULL-terminated list of segments, or NULL for []).
 * err_finish_validation() sets the message to the single error's message or
 * "N errors occurred" and returns ERR_VALIDATION, or 0 when none was added.
 */
void err_add_validation(struct err *e, const char *const *path,
			json_t *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int err_finish_validation(struct err *e);

#endif
