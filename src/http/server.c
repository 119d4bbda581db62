/* SPDX-License-Identifier: MIT */
/*
 * server.c: the libmicrohttpd adapter, and the only file that includes
 * <microhttpd.h>. It turns each MHD request into a struct http_req, calls
 * the application's handler on an MHD worker thread, and sends the struct
 * http_resp back. It enforces the body bound (413) and, through MHD's
 * per-connection memory pool, the header bound (MHD answers 431 itself).
 * It knows nothing about routes, JSON envelopes or authentication.
 */
#include "core/compat.h"
#include "core/str.h"
#include "http/http.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

/* How long http_server_stop() lets requests in flight finish. */
#define DRAIN_LIMIT_MS 5000.0
/*
 * Connection memory beyond the header bytes: MHD keeps one record per
 * header (about 64 bytes) in the same pool, and formats the response
 * headers there too.
 *
 * The pool is a per-request cost: libmicrohttpd 0.9.75 zeroes all of it
 * after every request of a keep-alive connection, and zeroes the unused
 * tail of the read buffer (half the pool) when it shrinks it. It is not
 * smaller because the bound must hold for a full header block of ordinary
 * headers: with the default 32768 bytes, the pool below (57,344 bytes)
 * takes 345 headers of 100 bytes (34,879 bytes in all); 40,960 bytes would
 * take only 246 of them (24,880 bytes). MHD_OPTION_CONNECTION_MEMORY_INCREMENT
 * does not help: the read buffer restarts at half the pool each request.
 */
#define POOL_SLACK_BYTES (16 * 1024)
/*
 * MHD cannot queue a response in the middle of an upload, so the rest of a
 * chunked body over the bound is read and dropped, up to this much, to let
 * the client see its 413; past it the connection is simply closed.
 */
#define DISCARD_LIMIT_BYTES (1024 * 1024)

/* A response kept for reuse (see resp_cache_find()); immutable once made. */
#define RESP_CACHE_SLOTS 16
#define RESP_CACHE_HEADERS 8

struct cached_resp {
	int status;
	const char *body;
	size_t len;
	const char *type;
	size_t n_headers;
	const char *names[RESP_CACHE_HEADERS];
	const char *values[RESP_CACHE_HEADERS];
	struct MHD_Response *mr;
};

struct http_server {
	struct MHD_Daemon *daemon;
	http_handler_fn handler;
	void *app;
	size_t max_body;
	void (*too_large)(void *app, struct http_resp *resp);
	int access_log;
	unsigned port;
	atomic_bool running;  /* MHD messages are errors until then */
	atomic_bool draining; /* stopping: new requests get 503 */
	atomic_uint inflight; /* requests taken on and not completed */
	uint64_t serial;      /* unique among this process's servers */
	pthread_mutex_t caches_lock; /* guards 'caches' */
	struct resp_slots *caches;   /* every thread's, freed at stop */
};

/*
 * One thread's reusable responses for one server. Each worker thread has
 * its own: libmicrohttpd counts a response's references under a mutex of
 * the response, and one response shared by every thread made that mutex a
 * point where workers waited for each other.
 */
struct resp_slots {
	struct cached_resp *slot[RESP_CACHE_SLOTS];
	struct resp_slots *next;
};

static _Atomic uint64_t next_server_serial;
/* the calling thread's slots, valid while its server's serial matches */
static _Thread_local uint64_t my_slots_serial;
static _Thread_local struct resp_slots *my_slots;

/* One per request: made by on_uri(), freed by on_completed(). */
struct req_ctx {
	struct http_server *srv;
	double start_ms;
	char *uri;  /* raw request target; the query points into it */
	char *path; /* decoded path */
	const char *query;
	size_t query_len;
	char *method;
	struct buf body;
	size_t discarded; /* body bytes dropped after too_large */
	bool started;     /* the access handler has seen this request */
	bool too_large;   /* the body passed max_body: answer 413 */
	bool answered;    /* a response has been queued */
	bool refused;     /* arrived while the server stops: 503 */
	int status;
	int64_t token_id;
};

/*
 * Decode %XX escapes of 'len' bytes at 's' into a new string ('+' stays:
 * it only means a space in a query). A malformed escape is kept literally,
 * and so is "%00": a C string cannot hold the byte, and a path with it
 * simply names nothing (404), as on Strapi.
 */
static char *
path_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len) {
			hi = hex_digit(s[i + 1]);
			lo = hex_digit(s[i + 2]);
			if (hi >= 0 && lo >= 0) {
				if (hi || lo) {
					out[o++] = (char)(hi << 4 | lo);
					i += 2;
					continue;
				}
			}
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/*
 * The origin-form part ("/path?query") of a request target. HTTP/1.1 lets
 * a client send the absolute form ("http://host/path?query") too.
 */
static const char *
origin_form(const char *uri)
{
	const char *p;

	if (!strncasecmp(uri, "http://", 7))
		p = uri + 7;
	else if (!strncasecmp(uri, "https://", 8))
		p = uri + 8;
	else
		return uri;
	p += strcspn(p, "/?");
	return p;
}

static void
ctx_free(struct req_ctx *c)
{
	free(c->uri);
	free(c->path);

	free(c->method);
	buf_release(&c->body);
	free(c);
}

/* MHD_OPTION_URI_LOG_CALLBACK: the raw target, before MHD parses it. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *s = cls;
	struct req_ctx *c = xcalloc(1, sizeof(*c));
	const char *p, *q;
	size_t plen;

	(void)conn;
	c->srv = s;
	c->start_ms = time_mono_ms();
	buf_init(&c->body);
	c->uri = xstrdup(uri ? uri : "");
	p = origin_form(c->uri);
	q = strchr(p, '?');
	plen = q ? (size_t)(q - p) : strlen(p);
	c->query = q ? q + 1 : "";
	c->query_len = strlen(c->query);
	c->path = plen ? path_decode(p, plen) : xstrdup("/");
	/*
	 * libmicrohttpd next splits the query into argument records in the
	 * connection's memory pool. A query of many short arguments fills
	 * the pool, and 0.9.75 then leaves the connection hanging instead of
	 * answering 431. We keep the raw query ourselves and never ask MHD
	 * for arguments, so end its copy right after the '?' (MHD owns the
	 * writable buffer 'uri' points into and writes there itself).
	 */
	q = uri ? strchr(uri, '?') : NULL;
	if (q)
		((char *)(uintptr_t)q)[1] = '\0';
	/* counted first, then checked: http_server_stop() does the reverse */
	atomic_fetch_add(&s->inflight, 1);
	if (atomic_load(&s->draining)) {
		atomic_fetch_sub(&s->inflight, 1);
		c->refused = true;
	}
	return c;
}

static const char *
req_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static bool
status_has_body(int status)
{
	return status >= 200 && status != 204 && status != 304;
}

/*
 * Responses made only of static parts (a static body and static headers,
 * such as the fixed 401 and 403 errors) are built once per server and
 * thread and queued again and again: libmicrohttpd counts the references
 * of a response and never changes it once queued. The slots belong to the
 * thread (no lock, no atomic); the server keeps a list of them only to free
 * them when it stops.
 */
static bool
resp_cacheable(const struct http_resp *r)
{
	size_t i;

	if (!r->static_body || !r->content_type ||
	    !status_has_body(r->status) || r->n_headers > RESP_CACHE_HEADERS)
		return false;
	for (i = 0; i < r->n_headers; i++)
		if (r->headers[i].owned)
			return false;
	return true;
}

static bool
resp_matches(const struct cached_resp *cr, const struct http_resp *r)
{
	size_t i;

	if (cr->status != r->status || cr->body != r->static_body ||
	    cr->len != r->static_len || cr->type != r->content_type ||
	    cr->n_headers != r->n_headers)
		return false;
	for (i = 0; i < r->n_headers; i++)
		if (cr->names[i] != r->headers[i].name ||
		    cr->values[i] != r->headers[i].value)
			return false;
	return true;
}

/* The calling thread's slots for 's' (made on its first use). */
static struct resp_slots *
thread_slots(struct http_server *s)
{
	struct resp_slots *rs;

	if (my_slots_serial == s->serial)
		return my_slots;
	rs = xcalloc(1, sizeof(*rs));
	pthread_mutex_lock(&s->caches_lock);
	rs->next = s->caches;
	s->caches = rs;
	pthread_mutex_unlock(&s->caches_lock);
	my_slots = rs;
	my_slots_serial = s->serial;
	return rs;
}

static struct MHD_Response *
resp_cache_find(struct http_server *s, const struct http_resp *r)
{
	struct resp_slots *rs = thread_slots(s);
	size_t i;

	for (i = 0; i < RESP_CACHE_SLOTS && rs->slot[i]; i++)
		if (resp_matches(rs->slot[i], r))
			return rs->slot[i]->mr;
	return NULL;
}

/* Keep 'mr' (built from 'r') for later requests: true when it was taken. */
static bool
resp_cache_add(struct http_server *s, const struct http_resp *r,
	       struct MHD_Response *mr)
{
	struct resp_slots *rs = thread_slots(s);
	struct cached_resp *cr;
	size_t i;

	for (i = 0; i < RESP_CACHE_SLOTS && rs->slot[i]; i++)
		;
	if (i == RESP_CACHE_SLOTS)
		return false;
	cr = xcalloc(1, sizeof(*cr));
	cr->status = r->status;
	cr->body = r->static_body;
	cr->len = r->static_len;
	cr->type = r->content_type;
	cr->n_headers = r->n_headers;
	for (i = 0; i < r->n_headers; i++) {
		cr->names[i] = r->headers[i].name;
		cr->values[i] = r->headers[i].value;
	}
	cr->mr = mr;
	for (i = 0; i < RESP_CACHE_SLOTS && rs->slot[i]; i++)
		;
	rs->slot[i] = cr;
	return true;
}

/* After the daemon stopped: no thread uses the slots any more. */
static void
resp_cache_clear(struct http_server *s)
{
	struct resp_slots *rs, *next;
	size_t i;

	for (rs = s->caches; rs; rs = next) {
		next = rs->next;
		for (i = 0; i < RESP_CACHE_SLOTS && rs->slot[i]; i++) {
			MHD_destroy_response(rs->slot[i]->mr);
			free(rs->slot[i]);
		}
		free(rs);
	}
	s->caches = NULL;
}

/* The MHD response for 'r' (the body is handed over to MHD); NULL on failure.
 */
static struct MHD_Response *
build_resp(struct http_resp *r, bool close)
{
	struct MHD_Response *mr;
	bool has_type = false, has_conn = false;
	size_t i, len = 0;
	char *data = NULL;

	if (r->content_type && status_has_body(r->status) && r->static_body) {
		/* bytes that outlive every response: no copy, no free */
		data = (char *)(uintptr_t)r->static_body;
		len = r->static_len;
		mr = MHD_create_response_from_buffer(len, data,
						     MHD_RESPMEM_PERSISTENT);
	} else {
		if (r->content_type && status_has_body(r->status))
			data = buf_detach(&r->body, &len);
		mr = MHD_create_response_from_buffer(len, data,
						     MHD_RESPMEM_MUST_FREE);
		if (!mr)
			free(data);
	}
	if (!mr) {
		log_error("cannot create a response");
		return NULL;
	}
	for (i = 0; i < r->n_headers; i++) {
		if (!strcasecmp(r->headers[i].name,
				MHD_HTTP_HEADER_CONTENT_TYPE))
			has_type = true;
		if (!strcasecmp(r->headers[i].name, MHD_HTTP_HEADER_CONNECTION))
			has_conn = true;
		if (MHD_add_response_header(mr, r->headers[i].name,
					    r->headers[i].value) != MHD_YES)
			log_warn("dropped response header '%.64s'",
				 r->headers[i].name);
	}
	if (data && !has_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type);
	if (close && !has_conn)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION,
					"close");
	return mr;
}

/* Queue 'r' on 'conn'. Returns the MHD verdict; MHD_NO closes the connection.
 */
static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct req_ctx *c, struct http_resp *r)
{
	struct http_server *s = c->srv;
	struct MHD_Response *mr;
	enum MHD_Result ret;
	bool draining, cacheable;

	if (r->status < 100 || r->status > 999) {
		log_error("handler left status %d for %s %s", r->status,
			  c->method ? c->method : "-", c->path ? c->path : "-");
		http_resp_release(r);
		r->status = 500;
	}
	/* once stopping, every response says "Connection: close" */
	draining = atomic_load_explicit(&s->draining, memory_order_relaxed);
	cacheable = !draining && resp_cacheable(r);
	mr = cacheable ? resp_cache_find(s, r) : NULL;
	if (mr) {
		ret = MHD_queue_response(conn, (unsigned)r->status, mr);
	} else {
		mr = build_resp(r, draining);
		if (!mr)
			return MHD_NO;
		ret = MHD_queue_response(conn, (unsigned)r->status, mr);
		if (!cacheable || !resp_cache_add(s, r, mr))
			MHD_destroy_response(mr);
	}
	if (ret == MHD_YES) {
		c->answered = true;
		c->status = r->status;
	}
	return ret;
}

static enum MHD_Result
send_too_large(struct MHD_Connection *conn, struct req_ctx *c)
{
	struct http_server *s = c->srv;
	struct http_resp r;
	enum MHD_Result ret;

	http_resp_init(&r);
	if (s->too_large)
		s->too_large(s->app, &r);
	r.status = 413;
	/* the body was refused, so this connection cannot carry another */
	http_resp_header(&r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = send_resp(conn, c, &r);
	http_resp_release(&r);
	return ret;
}

/* A request that arrived while the server stops. */
static enum MHD_Result
send_unavailable(struct MHD_Connection *conn, struct req_ctx *c)
{
	struct http_resp r;
	enum MHD_Result ret;

	http_resp_init(&r);
	r.status = 503;
	ret = send_resp(conn, c, &r);
	http_resp_release(&r);
	return ret;
}

/* The peer's numeric address into 'out'; "" when unknown. */
static void
peer_address(struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	out[0] = '\0';
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  out, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)len);
}

static enum MHD_Result
run_handler(struct MHD_Connection *conn, struct req_ctx *c)
{
	char addr[INET6_ADDRSTRLEN];
	struct http_server *s = c->srv;
	struct http_req req;
	struct http_resp r;
	enum MHD_Result ret;

	memset(&req, 0, sizeof(req));
	req.method = c->method;
	req.path = c->path;
	req.query = c->query;
	req.query_len = c->query_len;
	req.body = c->body.len ? c->body.ptr : NULL;
	req.body_len = c->body.len;
	req.header = req_header;
	req.conn = conn;
	peer_address(conn, addr, sizeof(addr));
	req.remote_addr = addr;
	http_resp_init(&r);
	s->handler(s->app, &req, &r);
	c->token_id = req.token_id;
	ret = send_resp(conn, c, &r);
	http_resp_release(&r);
	return ret;
}

/* Content-Length over 'max': the body is refused before it is read. */
static bool
declared_too_large(struct MHD_Connection *conn, size_t max)
{
	const char *v;
	unsigned long long n;
	char *end;

	v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (!v)
		return false;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (end == v)
		return false;
	return errno == ERANGE || n > max;
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url,
	  const char *method, const char *version, const char *upload_data,
	  size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct req_ctx *c = *con_cls;
	size_t n;

	(void)url;
	(void)version;
	if (!c)
		return MHD_NO;
	if (!c->started) {
		c->started = true;
		c->method = xstrdup(method);
		if (c->refused)
			return send_unavailable(conn, c);
		if (declared_too_large(conn, s->max_body))
			return send_too_large(conn, c);
		return MHD_YES;
	}
	if (*upload_data_size) {
		n = *upload_data_size;
		*upload_data_size = 0;
		if (!c->too_large && n > s->max_body - c->body.len) {
			c->too_large = true;
			buf_release(&c->body);
		}
		if (!c->too_large) {
			buf_add(&c->body, upload_data, n);
			return MHD_YES;
		}
		c->discarded += n;
		return c->discarded > DISCARD_LIMIT_BYTES ? MHD_NO : MHD_YES;
	}
	if (c->answered)
		return MHD_YES;
	if (c->too_large)
		return send_too_large(conn, c);
	return run_handler(conn, c);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct req_ctx *c = *con_cls;

	(void)conn;
	if (!c)
		return;
	*con_cls = NULL;
	if (s->access_log && c->answered)
		log_access(c->method ? c->method : "-",
			   c->path ? c->path : "-", c->status,
			   time_mono_ms() - c->start_ms, c->token_id);
	else if (!c->answered)
		log_debug("request ended without an application response "
			  "(reason %d)",
			  (int)toe);
	if (!c->refused)
		atomic_fetch_sub(&s->inflight, 1);
	ctx_free(c);
}

static void __attribute__((format(printf, 2, 0)))
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *s = cls;
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	/* once serving, MHD speaks mostly of misbehaving clients */
	if (atomic_load(&s->running))
		log_debug("libmicrohttpd: %s", msg);
	else
		log_error("libmicrohttpd: %s", msg);
}

unsigned
http_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

static void
opt_add(struct MHD_OptionItem *opts, size_t *n, enum MHD_OPTION option,
	intptr_t value)
{
	opts[*n].option = option;
	opts[*n].value = value;
	opts[*n].ptr_value = NULL;
	(*n)++;
}

static int
start_on(struct http_server *s, const struct http_server_options *o,
	 const struct addrinfo *ai)
{
	struct MHD_OptionItem opts[8];
	unsigned flags, threads;
	size_t n = 0;
	size_t pool;

	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
		MHD_USE_TURBO | MHD_USE_ITC;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	threads = o->threads ? o->threads : http_default_threads();
	if (threads > 1)
		opt_add(opts, &n, MHD_OPTION_THREAD_POOL_SIZE,
			(intptr_t)threads);
	if (o->max_connections)
		opt_add(opts, &n, MHD_OPTION_CONNECTION_LIMIT,
			(intptr_t)o->max_connections);
	if (o->idle_timeout_s)
		opt_add(opts, &n, MHD_OPTION_CONNECTION_TIMEOUT,
			(intptr_t)o->idle_timeout_s);
	if (o->max_header_bytes) {
		pool = o->max_header_bytes + o->max_header_bytes / 4 +
		       POOL_SLACK_BYTES;
		opt_add(opts, &n, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			(intptr_t)pool);
	}
	opt_add(opts, &n, MHD_OPTION_END, 0);

	s->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_access, s, MHD_OPTION_EXTERNAL_LOGGER,
	    on_mhd_log, s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_SOCK_ADDR,
	    ai->ai_addr, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	return s->daemon ? 0 : -1;
}

int
http_server_start(const struct http_server_options *o, http_handler_fn handler,
		  void *app, struct http_server **out, struct err *e)
{
	struct addrinfo hints, *res = NULL, *ai;
	const union MHD_DaemonInfo *info;
	struct http_server *s = NULL;
	const char *host = o->host && *o->host ? o->host : "0.0.0.0";
	char *node = NULL;
	char service[16];
	size_t hlen;
	int ret = ERR_IO;
	int rc;

	*out = NULL;
	if (o->port > 65535) {
		ret = err_set(e, ERR_IO, "invalid port %u", o->port);
		goto out;
	}
	hlen = strlen(host);
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']')
		node = xstrndup(host + 1, hlen - 2);
	else
		node = xstrdup(host);
	snprintf(service, sizeof(service), "%u", o->port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(node, service, &hints, &res);
	if (rc) {
		ret = err_set(e, ERR_IO, "cannot resolve host '%.200s': %s",
			      host, gai_strerror(rc));
		goto out;
	}

	s = xcalloc(1, sizeof(*s));
	s->handler = handler;
	s->app = app;
	s->max_body = o->max_body;
	s->too_large = o->too_large;
	s->access_log = o->access_log;
	atomic_init(&s->running, false);
	atomic_init(&s->draining, false);
	atomic_init(&s->inflight, 0);
	s->serial = atomic_fetch_add(&next_server_serial, 1) + 1;
	pthread_mutex_init(&s->caches_lock, NULL);
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (!start_on(s, o, ai))
			break;
	}
	if (!s->daemon) {
		ret = err_set(e, ERR_IO, "cannot listen on %.200s port %u",
			      host, o->port);
		goto out;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info && info->port ? info->port : o->port;
	atomic_store(&s->running, true);
	*out = s;
	s = NULL;
	ret = 0;
out:
	if (s)
		pthread_mutex_destroy(&s->caches_lock);
	free(s);
	if (res)
		freeaddrinfo(res);
	free(node);
	return ret;
}

unsigned
http_server_port(const struct http_server *s)
{
	return s->port;
}

/*
 * Stopping does not use MHD_quiesce_daemon(): with epoll worker threads
 * (0.9.75 and later) it races with the workers' own removal of the listen
 * socket from their epoll sets, and whichever side loses the race aborts
 * the process ("Failed to remove listen FD from epoll set"). Instead the
 * server keeps its socket while requests in flight finish, answers any new
 * request 503 with "Connection: close", then MHD_stop_daemon() closes the
 * socket and every connection.
 */
void
http_server_stop(struct http_server *s)
{
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	double deadline;

	if (!s)
		return;
	atomic_store(&s->draining, true);
	/* let requests in flight send their responses */
	deadline = time_mono_ms() + DRAIN_LIMIT_MS;
	while (atomic_load(&s->inflight) && time_mono_ms() < deadline)
		nanosleep(&nap, NULL);
	MHD_stop_daemon(s->daemon);
	resp_cache_clear(s);
	pthread_mutex_destroy(&s->caches_lock);
	free(s);
}
