/* SPDX-License-Identifier: MIT */
/*
 * http.h: the request and response that handlers see. They carry no
 * libmicrohttpd types, so handlers can be unit-tested and fuzzed without
 * sockets; http/server.c (the only libmicrohttpd user) fills a struct
 * http_req, calls the application's handler, and sends the struct http_resp.
 *
 * Lifetimes: every pointer in a struct http_req is borrowed and valid until
 * the handler returns.
 */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

#define HTTP_MAX_RESP_HEADERS 16

struct http_req {
	const char *method; /* "GET", ... */
	const char *path;   /* decoded path without the query, e.g. "/api/articles" */
	const char *query;  /* raw query string without '?', "" when none */
	size_t query_len;
	const char *body;   /* NULL when none */
	size_t body_len;
	/* case-insensitive header lookup; NULL when absent */
	const char *(*header)(const struct http_req *req, const char *name);
	void *conn;        /* the adapter's, for header() */
	const char *remote_addr; /* the peer's address ("127.0.0.1", "::1") */
	/* set by the handler for the access log */
	int64_t token_id;
};

struct http_header {
	const char *name;
	const char *value;
	bool owned; /* copies, freed with the response */
};

/*
 * The body is 'static_body' when set (bytes that outlive every response,
 * sent without a copy), else 'body'. Setting either kind of body through the
 * functions below clears the other.
 */
struct http_resp {
	int status;
	const char *content_type; /* static string; NULL means no body */
	struct buf body;
	const char *static_body;
	size_t static_len;
	struct http_header headers[HTTP_MAX_RESP_HEADERS];
	size_t n_headers;
};

void http_resp_init(struct http_resp *r);
void http_resp_release(struct http_resp *r);
/* Add a response header (both copied). Silently ignored beyond the maximum. */
void http_resp_header(struct http_resp *r, const char *name, const char *value);
/* The same for strings that outlive the response (literals): not copied. */
void http_resp_header_static(struct http_resp *r, const char *name,
			     const char *value);

/*
 * Set status and a body of 'len' bytes at 'data', which must outlive every
 * response (static or built once): sent as it is, without a copy.
 * 'content_type' is a static string.
 */
void http_resp_body_static(struct http_resp *r, int status,
			   const char *content_type, const char *data,
			   size_t len);
#define HTTP_JSON_TYPE "application/json; charset=utf-8"

/*
 * Append 'v' (borrowed) as JSON to 'b', the way every response body is
 * written (compact, key order kept, reals with 15 significant digits).
 * 0, or -1 when jansson cannot encode it.
 */
int http_json_append(struct buf *b, json_t *v);

/* Set status and a JSON body from 'v' (stolen; NULL sends no body). */
void http_resp_json_new(struct http_resp *r, int status, json_t *v);

/* The application's entry point; must always set resp->status. */
typedef void (*http_handler_fn)(void *app, struct http_req *req,
				struct http_resp *resp);

struct http_server_options {
	const char *host;
	unsigned port;          /* 0 picks a free port */
	unsigned threads;       /* worker threads (0: one per core) */
	unsigned max_connections;
	unsigned idle_timeout_s;
	size_t max_body;        /* larger bodies get 413 */
	size_t max_header_bytes;/* per-connection memory for headers */
	/* produce the 413 body (the server cannot call the app for it) */
	void (*too_large)(void *app, struct http_resp *resp);
	/* log each request (method, path, status, ms, token id) */
	int access_log;
};

struct http_server;

/* The worker threads a server starts when options ask for 0: one per core. */
unsigned http_default_threads(void);

/*
 * Start listening and serving on worker threads. '*out' is the new server;
 * the actual port (when 0 was asked) from http_server_port().
 * ERR_IO when the address cannot be bound.
 */
int http_server_start(const struct http_server_options *o,
		      http_handler_fn handler, void *app,
		      struct http_server **out, struct err *e);
unsigned http_server_port(const struct http_server *s);
/* Stop accepting, finish requests in flight, free the server. */
void http_server_stop(struct http_server *s);

#endif
