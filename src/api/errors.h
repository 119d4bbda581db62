/* SPDX-License-Identifier: MIT */
/*
 * errors.h: the one table that maps enum err_code to an HTTP status and to
 * Strapi's error envelope
 *   {"data":null,"error":{"status":N,"name":"...","message":"...","details":{}}}
 * Handlers never build error JSON by hand.
 */
#ifndef API_ERRORS_H
#define API_ERRORS_H

#include <stdbool.h>

#include "core/err.h"
#include "http/http.h"

/* HTTP status for an error code. */
int api_error_status(int code);
/* Strapi's error name for an error code ("ValidationError", ...). */
const char *api_error_name(int code);

/*
 * A new envelope for 'e'. In production, 5xx messages are replaced by the
 * generic status text and details are dropped (internals stay hidden).
 */
json_t *api_error_envelope(const struct err *e, bool production);

/* Fill 'resp' with the envelope for 'e' (405 becomes text/plain). */
void api_error_respond(struct http_resp *resp, const struct err *e,
		       bool production);

#endif
