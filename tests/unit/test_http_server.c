/* SPDX-License-Identifier: MIT */
/*
 * test_http_server.c: the libmicrohttpd adapter over real sockets. A tiny
 * handler echoes what it was given as JSON; a minimal blocking HTTP/1.1
 * client checks decoding, bounds, HEAD/204/304, keep-alive and shutdown.
 */
#include "core/compat.h"
#include "http/http.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"

#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cmocka.h>

#define MAX_BODY 1024
#define MAX_HEADER_BYTES 4096

static atomic_int slow_entered;
static atomic_int slow_done;

static void
msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
echo_handler(void *app, struct http_req *req, struct http_resp *resp)
{
	json_t *o;

	(void)app;
	if (!strcmp(req->path, "/nocontent")) {
		http_resp_json_new(resp, 204, json_pack("{s:s}", "a", "b"));
		return;
	}
	if (!strcmp(req->path, "/notmodified")) {
		http_resp_json_new(resp, 304, json_pack("{s:s}", "a", "b"));
		http_resp_header(resp, "ETag", "\"x\"");
		return;
	}
	if (!strcmp(req->path, "/empty")) {
		resp->status = 200;
		return;
	}
	if (!strcmp(req->path, "/nostatus"))
		return;
	if (!strcmp(req->path, "/crlf")) {
		http_resp_header(resp, "X-Bad", "a\r\nInjected: 1");
		http_resp_header(resp, "X-Good", "ok");
		resp->status = 200;
		return;
	}
	if (!strcmp(req->path, "/slow")) {
		atomic_store(&slow_entered, 1);
		msleep(300);
		atomic_store(&slow_done, 1);
	}
	if (!strcmp(req->path, "/token"))
		req->token_id = 42;
	o = json_object();
	json_object_set_new(o, "method", json_string(req->method));
	json_object_set_new(o, "path", json_string(req->path));
	json_object_set_new(o, "query",
			    json_stringn(req->query, req->query_len));
	json_object_set_new(o, "body",
			    req->body ? json_stringn(req->body, req->body_len)
				      : json_null());
	json_object_set_new(o, "hdr", str_or_null(req->header(req, "X-Echo")));
	json_object_set_new(o, "hdr_lower",
			    str_or_null(req->header(req, "x-echo")));
	http_resp_header(resp, "X-Handled", "yes");
	http_resp_json_new(resp, 200, o);
}

static void
too_large(void *app, struct http_resp *resp)
{
	(void)app;
	http_resp_json_new(resp, 413, json_pack("{s:s}", "error", "too large"));
}

static struct http_server_options
test_options(void)
{
	struct http_server_options o;

	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = 0;
	o.threads = 2;
	o.max_connections = 64;
	o.idle_timeout_s = 5;
	o.max_body = MAX_BODY;
	o.max_header_bytes = MAX_HEADER_BYTES;
	o.too_large = too_large;
	return o;
}

/* ---- a minimal blocking HTTP/1.1 client ------------------------------ */

struct client {
	int fd;
	struct buf in; /* received, not yet consumed */
};

struct reply {
	int status;
	struct buf head; /* status line and headers */
	struct buf body;
	json_t *json; /* parsed body, when it is JSON */
};

static bool
client_open_at(struct client *c, const char *ip, unsigned port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { 5, 0 };
	socklen_t sl;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		sl = sizeof(*in4);
	} else {
		assert_int_equal(inet_pton(AF_INET6, ip, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*in6);
	}
	buf_init(&c->in);
	c->fd = socket(ss.ss_family, SOCK_STREAM, 0);
	assert_true(c->fd >= 0);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(c->fd, (struct sockaddr *)&ss, sl)) {
		close(c->fd);
		c->fd = -1;
		return false;
	}
	return true;
}

static void
client_open(struct client *c, unsigned port)
{
	assert_true(client_open_at(c, "127.0.0.1", port));
}

static void
client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	buf_release(&c->in);
}

/* Send everything; false when the peer stopped reading (not fatal). */
static bool
client_send(struct client *c, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static void
client_sendstr(struct client *c, const char *s)
{
	assert_true(client_send(c, s, strlen(s)));
}

/* Read more bytes into c->in; false on EOF, error or timeout. */
static bool
client_fill(struct client *c)
{
	char tmp[4096];
	ssize_t n;

	n = recv(c->fd, tmp, sizeof(tmp), 0);
	if (n <= 0)
		return false;
	buf_add(&c->in, tmp, (size_t)n);
	return true;
}

static void
client_consume(struct client *c, size_t n)
{
	struct buf rest = BUF_INIT;

	buf_add(&rest, c->in.ptr + n, c->in.len - n);
	buf_release(&c->in);
	c->in = rest;
}

/* The value of header 'name' in a reply head, copied to 'out'. */
static bool
reply_header(const struct reply *r, const char *name, char *out, size_t size)
{
	const char *p = strstr(r->head.ptr, "\r\n");
	size_t nlen = strlen(name);
	const char *eol;
	size_t vlen;

	while (p && p[2] && p[2] != '\r') {
		p += 2;
		eol = strstr(p, "\r\n");
		if (!eol)
			break;
		if (!strncasecmp(p, name, nlen) && p[nlen] == ':') {
			p += nlen + 1;
			while (*p == ' ')
				p++;
			vlen = (size_t)(eol - p);
			if (vlen >= size)
				vlen = size - 1;
			memcpy(out, p, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = eol;
	}
	return false;
}

/*
 * Read one reply. 'head_only' for a HEAD request (no body follows whatever
 * Content-Length says). False when the connection ended first.
 */
static bool
client_read(struct client *c, struct reply *r, bool head_only)
{
	char *end;
	char cl[32];
	size_t hlen, blen = 0;

	memset(r, 0, sizeof(*r));
	buf_init(&r->head);
	buf_init(&r->body);
	while (!(end = strstr(c->in.ptr, "\r\n\r\n")))
		if (!client_fill(c))
			return false;
	hlen = (size_t)(end - c->in.ptr) + 4;
	buf_add(&r->head, c->in.ptr, hlen);
	client_consume(c, hlen);
	if (sscanf(r->head.ptr, "HTTP/1.%*d %d", &r->status) != 1)
		return false;
	if (!head_only && r->status != 204 && r->status != 304 &&
	    reply_header(r, "Content-Length", cl, sizeof(cl)))
		blen = (size_t)strtoull(cl, NULL, 10);
	while (c->in.len < blen)
		if (!client_fill(c))
			return false;
	buf_add(&r->body, c->in.ptr, blen);
	client_consume(c, blen);
	if (r->body.len)
		r->json = json_loadb(r->body.ptr, r->body.len, 0, NULL);
	return true;
}

static void
reply_release(struct reply *r)
{
	buf_release(&r->head);
	buf_release(&r->body);
	json_decref(r->json);
	r->json = NULL;
}

/* True when the server closed the connection (EOF or reset, not a timeout). */
static bool
client_sees_close(struct client *c)
{
	char tmp[4096];
	ssize_t n;

	do
		n = recv(c->fd, tmp, sizeof(tmp), 0);
	while (n > 0);
	return n == 0 || errno == ECONNRESET;
}

static const char *
jstr(const struct reply *r, const char *key)
{
	assert_non_null(r->json);
	return json_string_value(json_object_get(r->json, key));
}

/* One request on a fresh connection. */
static void
roundtrip(unsigned port, const char *request, struct reply *r)
{
	struct client c;

	client_open(&c, port);
	client_sendstr(&c, request);
	assert_true(client_read(&c, r, false));
	client_close(&c);
}

/* ---- fixtures -------------------------------------------------------- */

static int
setup(void **state)
{
	struct http_server_options o = test_options();
	struct http_server *s = NULL;
	struct err e = ERR_INIT;

	log_setup(LOG_ERROR, 0);
	if (http_server_start(&o, echo_handler, NULL, &s, &e)) {
		fprintf(stderr, "start: %s\n", e.msg);
		err_release(&e);
		return -1;
	}
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	http_server_stop(*state);
	return 0;
}

static unsigned
port_of(void **state)
{
	return http_server_port(*state);
}

/* ---- tests ----------------------------------------------------------- */

static void
test_port_assigned(void **state)
{
	assert_true(port_of(state) > 0);
	assert_true(port_of(state) < 65536);
}

static void
test_path_decoded_query_raw(void **state)
{
	struct reply r;

	roundtrip(port_of(state),
		  "GET /api/caf%C3%A9s/a%2Fb+c%zz%4?filters[a][$eq]=x%20y&b=+ "
		  "HTTP/1.1\r\nHost: t\r\n\r\n",
		  &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "method"), "GET");
	assert_string_equal(jstr(&r, "path"), "/api/caf\xc3\xa9s/a/b+c%zz%4");
	assert_string_equal(jstr(&r, "query"), "filters[a][$eq]=x%20y&b=+");
	assert_true(json_is_null(json_object_get(r.json, "body")));
	reply_release(&r);
}

static void
test_no_query(void **state)
{
	struct reply r;

	roundtrip(port_of(state), "GET /plain HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/plain");
	assert_string_equal(jstr(&r, "query"), "");
	reply_release(&r);

	/* a second '?' belongs to the query */
	roundtrip(port_of(state), "GET /q?a=1?b HTTP/1.1\r\nHost: t\r\n\r\n",
		  &r);
	assert_string_equal(jstr(&r, "path"), "/q");
	assert_string_equal(jstr(&r, "query"), "a=1?b");
	reply_release(&r);
}

/*
 * A query of many short arguments within the header bound: MHD must not be
 * left to split it into records (0.9.75 then hung the connection).
 */
static void
test_many_query_args(void **state)
{
	struct buf req = BUF_INIT;
	struct buf want = BUF_INIT;
	struct reply r;
	int i;

	for (i = 0; i < 1500; i++)
		buf_addstr(&want, i ? "&a" : "a");
	buf_addf(&req, "GET /many?%s HTTP/1.1\r\nHost: t\r\n\r\n", want.ptr);
	roundtrip(port_of(state), req.ptr, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/many");
	assert_string_equal(jstr(&r, "query"), want.ptr);
	reply_release(&r);
	buf_release(&req);
	buf_release(&want);
}

static void
test_absolute_form(void **state)
{
	struct reply r;

	roundtrip(port_of(state),
		  "GET http://example.com/api/x%20y?a=%20 HTTP/1.1\r\n"
		  "Host: example.com\r\n\r\n",
		  &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/api/x y");
	assert_string_equal(jstr(&r, "query"), "a=%20");
	reply_release(&r);

	roundtrip(port_of(state),
		  "GET https://example.com?b HTTP/1.1\r\nHost: e\r\n\r\n", &r);
	assert_string_equal(jstr(&r, "path"), "/");
	assert_string_equal(jstr(&r, "query"), "b");
	reply_release(&r);
}

static void
test_nul_in_path(void **state)
{
	struct reply r;

	/* the escape is kept as typed: such a path names nothing */
	roundtrip(port_of(state), "GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/a%00b");
	reply_release(&r);
}

static void
test_body_and_headers(void **state)
{
	struct reply r;
	char v[64];

	roundtrip(port_of(state),
		  "POST /api/things HTTP/1.1\r\nHost: t\r\n"
		  "x-ECHO: Some Value\r\n"
		  "Content-Type: application/json\r\n"
		  "Content-Length: 13\r\n\r\n{\"data\":\"x\"}\n",
		  &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "method"), "POST");
	assert_string_equal(jstr(&r, "body"), "{\"data\":\"x\"}\n");
	assert_string_equal(jstr(&r, "hdr"), "Some Value");
	assert_string_equal(jstr(&r, "hdr_lower"), "Some Value");
	assert_true(reply_header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "application/json; charset=utf-8");
	assert_true(reply_header(&r, "x-handled", v, sizeof(v)));
	assert_string_equal(v, "yes");
	assert_false(reply_header(&r, "X-Powered-By", v, sizeof(v)));
	reply_release(&r);

	/* absent header: NULL */
	roundtrip(port_of(state), "GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_true(json_is_null(json_object_get(r.json, "hdr")));
	reply_release(&r);
}

static void
test_body_at_limit(void **state)
{
	struct client c;
	struct reply r;
	char body[MAX_BODY + 1];
	char head[128];

	memset(body, 'a', MAX_BODY);
	body[MAX_BODY] = '\0';
	snprintf(head, sizeof(head),
		 "PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n",
		 MAX_BODY);
	client_open(&c, port_of(state));
	client_sendstr(&c, head);
	client_sendstr(&c, body);
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_int_equal(strlen(jstr(&r, "body")), MAX_BODY);
	reply_release(&r);
	client_close(&c);
}

static void
test_413_content_length(void **state)
{
	struct client c;
	struct reply r;

	client_open(&c, port_of(state));
	client_sendstr(&c, "POST /x HTTP/1.1\r\nHost: t\r\n"
			   "Content-Type: application/json\r\n"
			   "Content-Length: 100000\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 413);
	assert_string_equal(jstr(&r, "error"), "too large");
	reply_release(&r);
	assert_true(client_sees_close(&c));
	client_close(&c);

	/* with Expect: no 100 Continue, the 413 straight away */
	client_open(&c, port_of(state));
	client_sendstr(&c, "POST /x HTTP/1.1\r\nHost: t\r\n"
			   "Expect: 100-continue\r\n"
			   "Content-Length: 1025\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 413);
	reply_release(&r);
	client_close(&c);

	/* a huge number is too large as well */
	client_open(&c, port_of(state));
	client_sendstr(&c, "POST /x HTTP/1.1\r\nHost: t\r\n"
			   "Content-Length: 99999999999999999999999\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_true(r.status == 413 || r.status == 400);
	reply_release(&r);
	client_close(&c);
}

static void
test_413_chunked(void **state)
{
	struct client c;
	struct reply r;
	char chunk[600];
	int i;

	memset(chunk, 'z', sizeof(chunk));
	client_open(&c, port_of(state));
	client_sendstr(&c, "POST /x HTTP/1.1\r\nHost: t\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n");
	for (i = 0; i < 4; i++) {
		if (!client_send(&c, "258\r\n", 5) ||
		    !client_send(&c, chunk, sizeof(chunk)) ||
		    !client_send(&c, "\r\n", 2))
			break;
		msleep(20);
	}
	client_send(&c, "0\r\n\r\n", 5);
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 413);
	assert_string_equal(jstr(&r, "error"), "too large");
	reply_release(&r);
	assert_true(client_sees_close(&c));
	client_close(&c);

	/* an endless chunked body is cut off, and the server lives on */
	client_open(&c, port_of(state));
	client_sendstr(&c, "POST /x HTTP/1.1\r\nHost: t\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n");
	for (i = 0; i < 16 * 1024; i++)
		if (!client_send(&c, "258\r\n", 5) ||
		    !client_send(&c, chunk, sizeof(chunk)) ||
		    !client_send(&c, "\r\n", 2))
			break;
	assert_true(i < 16 * 1024);
	client_close(&c);

	/* a chunked body under the limit arrives whole */
	client_open(&c, port_of(state));
	client_sendstr(&c, "POST /x HTTP/1.1\r\nHost: t\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n"
			   "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "body"), "abcdefg");
	reply_release(&r);
	client_close(&c);
}

static void
test_oversize_headers(void **state)
{
	struct client c;
	struct reply r;
	struct buf req = BUF_INIT;
	int i;

	buf_addstr(&req, "GET /x HTTP/1.1\r\nHost: t\r\n");
	for (i = 0; i < 200; i++) {
		buf_addf(&req, "X-Filler-%d: ", i);
		while (req.len % 512 != 510)
			buf_addch(&req, 'v');
		buf_addstr(&req, "\r\n");
	}
	buf_addstr(&req, "\r\n");
	client_open(&c, port_of(state));
	client_send(&c, req.ptr, req.len);
	assert_true(client_read(&c, &r, false));
	assert_true(r.status >= 400 && r.status < 500);
	reply_release(&r);
	client_close(&c);
	buf_release(&req);

	/* one enormous header line */
	buf_addstr(&req, "GET /x HTTP/1.1\r\nHost: t\r\nX-Big: ");
	for (i = 0; i < 64 * 1024; i++)
		buf_addch(&req, 'b');
	buf_addstr(&req, "\r\n\r\n");
	client_open(&c, port_of(state));
	client_send(&c, req.ptr, req.len);
	assert_true(client_read(&c, &r, false));
	assert_true(r.status >= 400 && r.status < 500);
	reply_release(&r);
	client_close(&c);
	buf_release(&req);

	/* many tiny headers: their records fill the connection's pool */
	buf_addstr(&req, "GET /x HTTP/1.1\r\nHost: t\r\n");
	for (i = 0; i < 3000; i++)
		buf_addstr(&req, "a:\r\n");
	buf_addstr(&req, "\r\n");
	client_open(&c, port_of(state));
	client_send(&c, req.ptr, req.len);
	assert_true(client_read(&c, &r, false));
	assert_true(r.status >= 400 && r.status < 500);
	reply_release(&r);
	client_close(&c);
	buf_release(&req);

	/* an enormous URI */
	buf_addstr(&req, "GET /x?");
	for (i = 0; i < 64 * 1024; i++)
		buf_addch(&req, 'q');
	buf_addstr(&req, " HTTP/1.1\r\nHost: t\r\n\r\n");
	client_open(&c, port_of(state));
	client_send(&c, req.ptr, req.len);
	assert_true(client_read(&c, &r, false));
	assert_true(r.status >= 400 && r.status < 500);
	reply_release(&r);
	client_close(&c);
	buf_release(&req);

	/* the server still answers */
	roundtrip(port_of(state), "GET /after HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/after");
	reply_release(&r);
}

static void
test_head_has_no_body(void **state)
{
	struct client c;
	struct reply r;

	client_open(&c, port_of(state));
	client_sendstr(&c, "HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, true));
	assert_int_equal(r.status, 200);
	reply_release(&r);
	/* no body bytes may follow: the next reply starts right here */
	client_sendstr(&c, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/next");
	assert_int_equal(c.in.len, 0);
	reply_release(&r);
	client_close(&c);
}

static void
test_no_body_statuses(void **state)
{
	struct client c;
	struct reply r;
	char v[64];

	client_open(&c, port_of(state));
	client_sendstr(&c, "GET /nocontent HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 204);
	if (reply_header(&r, "Content-Length", v, sizeof(v)))
		assert_string_equal(v, "0");
	reply_release(&r);

	client_sendstr(&c, "GET /notmodified HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 304);
	assert_true(reply_header(&r, "ETag", v, sizeof(v)));
	assert_string_equal(v, "\"x\"");
	reply_release(&r);

	client_sendstr(&c, "GET /empty HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	assert_true(reply_header(&r, "Content-Length", v, sizeof(v)));
	assert_string_equal(v, "0");
	reply_release(&r);

	/* the connection is still in step */
	client_sendstr(&c, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/next");
	assert_int_equal(c.in.len, 0);
	reply_release(&r);
	client_close(&c);
}

static void
test_handler_mistakes(void **state)
{
	struct reply r;
	char v[64];

	/* a handler that forgot the status: 500, no body */
	roundtrip(port_of(state), "GET /nostatus HTTP/1.1\r\nHost: t\r\n\r\n",
		  &r);
	assert_int_equal(r.status, 500);
	assert_int_equal(r.body.len, 0);
	reply_release(&r);

	/* a header value with CR/LF is dropped, never split */
	roundtrip(port_of(state), "GET /crlf HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.head.ptr, "Injected"));
	assert_false(reply_header(&r, "X-Bad", v, sizeof(v)));
	assert_true(reply_header(&r, "X-Good", v, sizeof(v)));
	assert_string_equal(v, "ok");
	reply_release(&r);
}

static void
test_keep_alive(void **state)
{
	struct client c;
	struct reply r;

	client_open(&c, port_of(state));
	client_sendstr(&c, "GET /one?a=1 HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/one");
	reply_release(&r);
	client_sendstr(&c, "POST /two HTTP/1.1\r\nHost: t\r\n"
			   "Content-Length: 3\r\n\r\nabc");
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/two");
	assert_string_equal(jstr(&r, "query"), "");
	assert_string_equal(jstr(&r, "body"), "abc");
	reply_release(&r);
	/* pipelined */
	client_sendstr(&c, "GET /three HTTP/1.1\r\nHost: t\r\n\r\n"
			   "GET /four HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&c, &r, false));
	assert_string_equal(jstr(&r, "path"), "/three");
	reply_release(&r);
	assert_true(client_read(&c, &r, false));
	assert_string_equal(jstr(&r, "path"), "/four");
	reply_release(&r);
	client_close(&c);
}

/* A body far larger than the header pool streams through it. */
static void
test_large_body(void **state)
{
	struct http_server_options o = test_options();
	struct http_server *s = NULL;
	struct client c;
	struct reply r;
	struct buf body = BUF_INIT;
	char head[128];
	size_t i;

	(void)state;
	o.max_body = 512 * 1024;
	assert_int_equal(http_server_start(&o, echo_handler, NULL, &s, NULL),
			 0);
	for (i = 0; i < 300 * 1024; i++)
		buf_addch(&body, (char)('a' + i % 26));
	snprintf(head, sizeof(head),
		 "PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n",
		 body.len);
	client_open(&c, http_server_port(s));
	client_sendstr(&c, head);
	assert_true(client_send(&c, body.ptr, body.len));
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "body"), body.ptr);
	reply_release(&r);
	client_close(&c);
	buf_release(&body);
	http_server_stop(s);
}

static void
test_bad_start(void **state)
{
	struct http_server_options o = test_options();
	struct http_server *s = (struct http_server *)1;
	struct err e = ERR_INIT;

	(void)state;
	o.port = 70000;
	assert_int_equal(http_server_start(&o, echo_handler, NULL, &s, &e),
			 ERR_IO);
	assert_null(s);
	assert_int_equal(e.code, ERR_IO);
	err_release(&e);

	/* an address this machine does not have (TEST-NET-1) */
	o = test_options();
	o.host = "192.0.2.1";
	assert_int_equal(http_server_start(&o, echo_handler, NULL, &s, &e),
			 ERR_IO);
	assert_null(s);
	err_release(&e);
}

static void
test_ipv6_and_localhost(void **state)
{
	struct http_server_options o = test_options();
	struct http_server *s = NULL;
	struct client c;
	struct reply r;
	bool v6 = false;

	(void)state;
	o.host = "[::1]";
	if (!http_server_start(&o, echo_handler, NULL, &s, NULL)) {
		v6 = true;
		assert_true(client_open_at(&c, "::1", http_server_port(s)));
		client_sendstr(&c, "GET /six HTTP/1.1\r\nHost: t\r\n\r\n");
		assert_true(client_read(&c, &r, false));
		assert_string_equal(jstr(&r, "path"), "/six");
		reply_release(&r);
		client_close(&c);
		http_server_stop(s);
		s = NULL;
	}

	o.host = "localhost";
	assert_int_equal(http_server_start(&o, echo_handler, NULL, &s, NULL),
			 0);
	if (client_open_at(&c, "127.0.0.1", http_server_port(s)) ||
	    (v6 && client_open_at(&c, "::1", http_server_port(s)))) {
		client_sendstr(&c, "GET /local HTTP/1.1\r\nHost: t\r\n\r\n");
		assert_true(client_read(&c, &r, false));
		assert_string_equal(jstr(&r, "path"), "/local");
		reply_release(&r);
		client_close(&c);
	} else {
		fail_msg("localhost server not reachable");
	}
	http_server_stop(s);
}

/* Run 'fn' with stderr sent to a file; returns what was written. */
static char *
capture_stderr_during(void (*fn)(unsigned), unsigned port)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	long size;
	char *out;
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	fn(port);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	size = ftell(tmp);
	rewind(tmp);
	out = calloc(1, (size_t)size + 1);
	assert_non_null(out);
	n = fread(out, 1, (size_t)size, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void
log_requests(unsigned port)
{
	struct reply r;
	int i;

	roundtrip(port,
		  "GET /logged?token=s3cret HTTP/1.1\r\nHost: t\r\n"
		  "Authorization: Bearer hidden-value\r\n\r\n",
		  &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	roundtrip(port, "GET /token HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	reply_release(&r);
	/* the line is written when MHD completes the request */
	for (i = 0; i < 50; i++)
		msleep(10);
}

static void
test_access_log(void **state)
{
	struct http_server_options o = test_options();
	struct http_server *s = NULL;
	char *out;

	(void)state;
	o.access_log = 1;
	log_setup(LOG_INFO, 0);
	assert_int_equal(http_server_start(&o, echo_handler, NULL, &s, NULL),
			 0);
	out = capture_stderr_during(log_requests, http_server_port(s));
	http_server_stop(s);
	log_setup(LOG_ERROR, 0);
	assert_non_null(strstr(out, "GET /logged 200"));
	assert_non_null(strstr(out, "GET /token 200"));
	assert_non_null(strstr(out, "token=42"));
	assert_null(strstr(out, "s3cret"));
	assert_null(strstr(out, "hidden-value"));
	free(out);
}

static void *
stop_main(void *s)
{
	http_server_stop(s);
	return NULL;
}

static void
test_graceful_stop(void **state)
{
	struct http_server_options o = test_options();
	struct http_server *s = NULL;
	struct client c, idle, late;
	struct reply r;
	pthread_t stopper;
	unsigned port;
	char hdr[32];
	double t0;
	int i;

	(void)state;
	assert_int_equal(http_server_start(&o, echo_handler, NULL, &s, NULL),
			 0);
	port = http_server_port(s);

	/* an idle keep-alive connection must not hold the stop up */
	client_open(&idle, port);
	client_sendstr(&idle, "GET /idle HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&idle, &r, false));
	reply_release(&r);

	atomic_store(&slow_entered, 0);
	atomic_store(&slow_done, 0);
	client_open(&c, port);
	client_sendstr(&c, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
	for (i = 0; i < 500 && !atomic_load(&slow_entered); i++)
		msleep(2);
	assert_true(atomic_load(&slow_entered));
	t0 = time_mono_ms();
	assert_int_equal(pthread_create(&stopper, NULL, stop_main, s), 0);
	/* while it drains, a new request is refused, and told to go away */
	msleep(100);
	assert_false(atomic_load(&slow_done));
	client_open(&late, port);
	client_sendstr(&late, "GET /late HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_true(client_read(&late, &r, false));
	assert_int_equal(r.status, 503);
	assert_true(reply_header(&r, "Connection", hdr, sizeof(hdr)));
	assert_string_equal(hdr, "close");
	reply_release(&r);
	assert_true(client_sees_close(&late));
	client_close(&late);
	pthread_join(stopper, NULL);
	assert_true(atomic_load(&slow_done));
	assert_true(time_mono_ms() - t0 < 2000.0);
	/* the request in flight got its whole response */
	assert_true(client_read(&c, &r, false));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(&r, "path"), "/slow");
	reply_release(&r);
	client_close(&c);
	assert_true(client_sees_close(&idle));
	client_close(&idle);

	/* nobody listens any more */
	assert_false(client_open_at(&c, "127.0.0.1", port));
	http_server_stop(NULL);
}

/* ---- stopping under load ----------------------------------------------- */

struct hammer {
	unsigned port;
	atomic_bool *stop;
	atomic_long *answered;
};

/*
 * Keep connections busy until told to stop: short keep-alive runs and
 * fresh connections, so both workers are inside their event loops.
 * Failures are expected once the server stops.
 */
static void *
hammer_main(void *p)
{
	static const char req[] = "GET /h HTTP/1.1\r\nHost: t\r\n\r\n";
	struct hammer *h = p;
	struct sockaddr_in in;
	struct timeval tv = {1, 0};
	char tmp[4096];
	int fd, i;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons((uint16_t)h->port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (!atomic_load(h->stop)) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			break;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (connect(fd, (struct sockaddr *)&in, sizeof(in))) {
			close(fd);
			continue;
		}
		for (i = 0; i < 4 && !atomic_load(h->stop); i++) {
			if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) <= 0 ||
			    recv(fd, tmp, sizeof(tmp), 0) <= 0)
				break;
			atomic_fetch_add(h->answered, 1);
		}
		close(fd);
	}
	return NULL;
}

/*
 * Stopping while both workers are busy must not abort inside
 * libmicrohttpd. MHD_quiesce_daemon() with epoll worker threads races with
 * the workers' own removal of the listen socket and can panic ("Failed to
 * remove listen FD from epoll set"), so http_server_stop() must not rely
 * on it. Many rounds, each stopped at a different moment of the load.
 */
static void
test_stop_under_load(void **state)
{
	struct http_server_options o = test_options();
	atomic_bool stop;
	atomic_long answered;
	struct hammer h;
	pthread_t th[4];
	int round, i;

	(void)state;
	atomic_init(&answered, 0);
	for (round = 0; round < 60; round++) {
		struct http_server *s = NULL;

		assert_int_equal(
		    http_server_start(&o, echo_handler, NULL, &s, NULL), 0);
		atomic_init(&stop, false);
		h.port = http_server_port(s);
		h.stop = &stop;
		h.answered = &answered;
		for (i = 0; i < 4; i++)
			assert_int_equal(
			    pthread_create(&th[i], NULL, hammer_main, &h), 0);
		msleep(5 + round % 7);
		http_server_stop(s);
		atomic_store(&stop, true);
		for (i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
	}
	assert_true(atomic_load(&answered) > 0);
}

static void
test_resp_helpers(void **state)
{
	struct http_resp r;
	int i;

	(void)state;
	http_resp_init(&r);
	for (i = 0; i < HTTP_MAX_RESP_HEADERS + 3; i++)
		http_resp_header(&r, "X-N", "v");
	assert_int_equal(r.n_headers, HTTP_MAX_RESP_HEADERS);
	http_resp_json_new(
	    &r, 201,
	    json_pack("{s:f,s:[i,s],s:n}", "r", 0.1, "a", 1, "\xc3\xa9", "z"));
	assert_int_equal(r.status, 201);
	assert_string_equal(r.content_type, "application/json; charset=utf-8");
	assert_string_equal(r.body.ptr, "{\"r\":0.1,\"a\":[1,\"\xc3\xa9\"],"
					"\"z\":null}");
	http_resp_json_new(&r, 200, json_string("bare"));
	assert_string_equal(r.body.ptr, "\"bare\"");
	http_resp_json_new(&r, 204, NULL);
	assert_null(r.content_type);
	assert_int_equal(r.body.len, 0);
	http_resp_release(&r);
	assert_int_equal(r.n_headers, 0);
	http_resp_release(&r);
}

int
main(void)
{
	const struct CMUnitTest shared[] = {
		cmocka_unit_test(test_port_assigned),
		cmocka_unit_test(test_path_decoded_query_raw),
		cmocka_unit_test(test_no_query),
		cmocka_unit_test(test_many_query_args),
		cmocka_unit_test(test_absolute_form),
		cmocka_unit_test(test_nul_in_path),
		cmocka_unit_test(test_body_and_headers),
		cmocka_unit_test(test_body_at_limit),
		cmocka_unit_test(test_413_content_length),
		cmocka_unit_test(test_413_chunked),
		cmocka_unit_test(test_oversize_headers),
		cmocka_unit_test(test_head_has_no_body),
		cmocka_unit_test(test_no_body_statuses),
		cmocka_unit_test(test_handler_mistakes),
		cmocka_unit_test(test_keep_alive),
	};
	const struct CMUnitTest own[] = {
	    cmocka_unit_test(test_resp_helpers),
	    cmocka_unit_test(test_large_body),
	    cmocka_unit_test(test_bad_start),
	    cmocka_unit_test(test_ipv6_and_localhost),
	    cmocka_unit_test(test_access_log),
	    cmocka_unit_test(test_graceful_stop),
	    cmocka_unit_test(test_stop_under_load),
	};
	int fails;

	fails =
	    cmocka_run_group_tests_name("http_server", shared, setup, teardown);
	fails += cmocka_run_group_tests_name("http_server_lifecycle", own, NULL,
					     NULL);
	return fails;
}
