/* SPDX-License-Identifier: MIT */
/*
 * resp.c: building a struct http_resp (status, headers, JSON body). Sending
 * it is http/server.c's job; nothing here knows about sockets.
 */
#include "core/compat.h"
#include "http/http.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"

#define JSON_CONTENT_TYPE HTTP_JSON_TYPE
#define JSON_DUMP_FLAGS                                                        \
	(JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |                \
	 JSON_REAL_PRECISION(15))

void
http_resp_init(struct http_resp *r)
{
	r->status = 0;
	r->content_type = NULL;
	buf_init(&r->body);
	r->static_body = NULL;
	r->static_len = 0;
	r->n_headers = 0;
}

void
http_resp_release(struct http_resp *r)
{
	size_t i;

	for (i = 0; i < r->n_headers; i++) {
		if (!r->headers[i].owned)
			continue;
		/* ours: copied by http_resp_header() */
		free((void *)(uintptr_t)r->headers[i].name);
		free((void *)(uintptr_t)r->headers[i].value);
	}
	buf_release(&r->body);
	http_resp_init(r);
}

void
http_resp_header(struct http_resp *r, const char *name, const char *value)
{
	struct http_header *h;

	if (r->n_headers >= HTTP_MAX_RESP_HEADERS)
		return;
	h = &r->headers[r->n_headers++];
	h->name = xstrdup(name);
	h->value = xstrdup(value);
	h->owned = true;
}

void
http_resp_header_static(struct http_resp *r, const char *name,
			const char *value)
{
	struct http_header *h;

	if (r->n_headers >= HTTP_MAX_RESP_HEADERS)
		return;
	h = &r->headers[r->n_headers++];
	h->name = name;
	h->value = value;
	h->owned = false;
}

void
http_resp_body_static(struct http_resp *r, int status, const char *content_type,
		      const char *data, size_t len)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->body);
	r->static_body = data;
	r->static_len = len;
}

static int
dump_to_buf(const char *data, size_t len, void *cls)
{
	buf_add(cls, data, len);
	return 0;
}

int
http_json_append(struct buf *b, json_t *v)
{
	return json_dump_callback(v, dump_to_buf, b, JSON_DUMP_FLAGS) ? -1 : 0;
}

void
http_resp_json_new(struct http_resp *r, int status, json_t *v)
{
	r->status = status;
	r->content_type = NULL;
	buf_reset(&r->body);
	r->static_body = NULL;
	r->static_len = 0;
	if (!v)
		return;
	if (json_dump_callback(v, dump_to_buf, &r->body, JSON_DUMP_FLAGS)) {
		/* only a value jansson cannot encode gets here (a bug) */
		log_error("cannot encode a response body as json");
		buf_reset(&r->body);
		r->status = 500;
	} else {
		r->content_type = JSON_CONTENT_TYPE;
	}
	json_decref(v);
}
