/* SPDX-License-Identifier: MIT */
/*
 * graphql.c: the /graphql transport. The order is Strapi's: the body is
 * parsed first (malformed JSON is the REST SyntaxError), the token is
 * authenticated next (401 in the REST envelope, before anything GraphQL),
 * then Apollo Server 4's steps: the browser landing page, the CSRF
 * prevention rule, the method, the request fields, and the GraphQL
 * pipeline (graphql/exec.c).
 *
 * With GRAPHQL_PLAYGROUND on, a browser gets GraphiQL instead of the
 * landing page, and /graphql/assets/ serves its files (no token needed);
 * with it off, those paths are unknown (404).
 *
 * The schema is generated per request from the app's registry: building it
 * costs little next to a database round trip, and holds no pointer into a
 * registry beyond the request (struct app has no place to cache it).
 */
#include "core/compat.h"
#include "api/graphql.h"
#include "api/content.h"
#include "core/mem.h"
#include "crypto/crypto.h"
#include "graphql/exec.h"
#include "graphql/playground.h"
#include "graphql/schema.h"

#include <ctype.h>
#include <strings.h>

#define CSRF_MESSAGE                                                           \
	"This operation has been blocked as a potential Cross-Site Request "   \
	"Forgery (CSRF). Please either specify a 'content-type' header (with " \
	"a type that is not one of application/x-www-form-urlencoded, "        \
	"multipart/form-data, text/plain) or provide a non-empty value for "   \
	"one of the following headers: x-apollo-operation-name, "              \
	"apollo-require-preflight\n"

/*
 * The page a browser gets, GraphiQL's, is strict: only this server's own
 * files, no inline script, no eval; styles from our files and from style
 * elements carrying the page's nonce (GraphiQL adds one while a dialog is
 * open); fonts and images of GraphiQL's style sheet are data: URLs.
 */
#define GRAPHIQL_CSP                                                           \
	"default-src 'none'; script-src 'self'; style-src 'self' 'nonce-%s'; " \
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "    \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
#define ASSET_CACHE "public, max-age=31536000, immutable"

bool
graphql_path(const char *path)
{
	return !strcmp(path, "/graphql") || !strcmp(path, "/graphql/") ||
	       !strncmp(path, GQL_ASSETS_PREFIX, strlen(GQL_ASSETS_PREFIX));
}

/* GRAPHQL_PLAYGROUND: "auto" is on unless NODE_ENV is production. */
static bool
playground_on(const struct config *c)
{
	const char *v = c->graphql_playground;

	if (v && !strcmp(v, "true"))
		return true;
	if (v && !strcmp(v, "false"))
		return false;
	return !c->production;
}

static void
respond_errors(struct http_resp *resp, int status, const char *message,
	       const char *allow)
{
	if (allow)
		http_resp_header(resp, "Allow", allow);
	http_resp_json_new(resp, status,
			   gql_request_error(message, "BAD_REQUEST"));
}

/* ---- content negotiation and CSRF ------------------------------------------
 */

/*
 * The q and specificity with which an Accept header takes 'type'
 * (negotiator's rules, simplified): an exact match 2, "type/(any)" 1,
 * "(any)/(any)" 0; -1 when not accepted. 'index' receives the matching entry's
 * position.
 */
static double
accept_q(const char *accept, const char *type, int *spec, int *index)
{
	const char *p = accept, *slash = strchr(type, '/');
	double best = -1;
	int i = 0;

	*spec = -1;
	*index = 1 << 20;
	while (*p) {
		size_t n = strcspn(p, ","), len;
		const char *semi = memchr(p, ';', n);
		char media[128];
		double q = 1;
		int s = -1;

		len = semi ? (size_t)(semi - p) : n;
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--, n--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len < sizeof(media)) {
			memcpy(media, p, len);
			media[len] = '\0';
			if (semi) {
				const char *qp = strstr(semi, "q=");

				if (qp && qp < p + n)
					q = strtod(qp + 2, NULL);
			}
			if (!strcasecmp(media, type))
				s = 2;
			else if (!strcmp(media, "*/*"))
				s = 0;
			else if (slash &&
				 !strncasecmp(media, type,
					      (size_t)(slash - type) + 1) &&
				 !strcmp(media + (slash - type) + 1, "*"))
				s = 1;
			if (s >= 0 && q > 0 &&
			    (q > best || (q == best && s > *spec))) {
				best = q;
				*spec = s;
				*index = i;
			}
		}
		p += n;
		if (*p == ',')
			p++;
		i++;
	}
	return best;
}

/* Apollo's prefersHTML(): a GET whose Accept prefers text/html to JSON. */
static bool
prefers_html(const struct http_req *req)
{
	const char *accept = req->header(req, "Accept");
	int hs, hi, js, ji;
	double h, j;

	if (strcmp(req->method, "GET") || !accept || !*accept)
		return false;
	h = accept_q(accept, "text/html", &hs, &hi);
	j = accept_q(accept, "application/json", &js, &ji);
	if (h <= 0)
		return false;
	if (h != j)
		return h > j;
	if (hs != js)
		return hs > js;
	return hi < ji;
}

/* The lower-cased type/subtype of a Content-Type, or false if unparsable. */
static bool
mime_essence(const char *ct, char *out, size_t size)
{
	size_t n = strcspn(ct, ";"), i;

	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	while (n && (*ct == ' ' || *ct == '\t'))
		ct++, n--;
	if (!n || n >= size || !memchr(ct, '/', n) || ct[0] == '/' ||
	    ct[n - 1] == '/')
		return false;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)ct[i]);
	out[n] = '\0';
	return true;
}

/* Apollo's preventCsrf(). */
static bool
csrf_ok(const struct http_req *req)
{
	const char *ct = req->header(req, "Content-Type");
	const char *h;
	char essence[128];

	if (ct) {
		if (!mime_essence(ct, essence, sizeof(essence)))
			return true;
		if (strcmp(essence, "application/x-www-form-urlencoded") &&
		    strcmp(essence, "multipart/form-data") &&
		    strcmp(essence, "text/plain"))
			return true;
	}
	h = req->header(req, "x-apollo-operation-name");
	if (h && *h)
		return true;
	h = req->header(req, "apollo-require-preflight");
	return h && *h;
}

/* ---- request fields
 * ------------------------------------------------------------ */

/* URLSearchParams.get(): the first value of 'name', decoded; new or NULL. */
static char *
search_param(const struct http_req *req, const char *name)
{
	const char *p = req->query, *end = req->query + req->query_len;
	size_t nlen = strlen(name);

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		const char *kend = eq ? eq : stop;
		char *key = qs_decode(p, (size_t)(kend - p));
		bool match = strlen(key) == nlen && !memcmp(key, name, nlen);

		free(key);
		if (match)
			return eq ? qs_decode(eq + 1, (size_t)(stop - eq - 1))
				  : xstrdup("");
		p = amp ? amp + 1 : end;
	}
	return NULL;
}

/* A JSON search parameter; 0, or -1 with the BAD_REQUEST message. */
static int
json_param(const struct http_req *req, const char *name, json_t **out,
	   struct buf *msg)
{
	char *s = search_param(req, name);
	json_error_t jerr;

	*out = NULL;
	if (!s)
		return 0;
	*out = json_loads(s, JSON_DECODE_ANY, &jerr);
	free(s);
	if (!*out) {
		buf_addf(msg, "The %s search parameter contains invalid JSON.",
			 name);
		return -1;
	}
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		buf_addf(
		    msg,
		    "The %s search parameter should contain a JSON-encoded "
		    "object.",
		    name);
		return -1;
	}
	return 0;
}

/* Apollo's checks of a POST body; 0, or -1 with the message. */
static int
post_fields(json_t *body, struct buf *msg)
{
	json_t *q, *v;

	if (!json_is_object(body) || !json_object_size(body)) {
		buf_addstr(msg,
			   "POST body missing, invalid Content-Type, or JSON "
			   "object has no keys.");
		return -1;
	}
	q = json_object_get(body, "query");
	if (q && !json_is_string(q) && !json_is_null(q) && !json_is_false(q) &&
	    !(json_is_integer(q) && !json_integer_value(q))) {
		buf_addstr(msg, "GraphQL queries must be strings.");
		return -1;
	}
	v = json_object_get(body, "variables");
	if (json_is_string(v)) {
		buf_addstr(msg, "`variables` in a POST body should be provided "
				"as an object, not a recursively JSON-encoded "
				"string.");
		return -1;
	}
	v = json_object_get(body, "extensions");
	if (json_is_string(v)) {
		buf_addstr(msg,
			   "`extensions` in a POST body should be provided "
			   "as an object, not a recursively JSON-encoded "
			   "string.");
		return -1;
	}
	if (v && !json_is_null(v) && !json_is_object(v)) {
		buf_addstr(msg,
			   "`extensions` in a POST body must be an object if "
			   "provided.");
		return -1;
	}
	v = json_object_get(body, "variables");
	if (v && !json_is_null(v) && !json_is_object(v)) {
		buf_addstr(msg,
			   "`variables` in a POST body must be an object if "
			   "provided.");
		return -1;
	}
	v = json_object_get(body, "operationName");
	if (v && !json_is_null(v) && !json_is_string(v)) {
		buf_addstr(msg,
			   "`operationName` in a POST body must be a string "
			   "if provided.");
		return -1;
	}
	return 0;
}

/* ---- the handler
 * ------------------------------------------------------------------ */

static void
respond_html(struct http_resp *resp, const char *html)
{
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	buf_reset(&resp->body);
	buf_addstr(&resp->body, html);
}

static int
respond_graphiql(struct http_resp *resp, struct err *e)
{
	unsigned char raw[16];
	char nonce[33], *csp;

	if (crypto_random(raw, sizeof(raw)) < 0)
		return err_set(e, ERR_INTERNAL, "no random bytes for a nonce");
	crypto_hex(raw, sizeof(raw), nonce);
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	buf_reset(&resp->body);
	gql_graphiql_html(&resp->body, nonce);
	csp = xasprintf(GRAPHIQL_CSP, nonce);
	http_resp_header(resp, "Content-Security-Policy", csp);
	free(csp);
	/* a new nonce each time; and /graphql answers JSON to other Accepts */
	http_resp_header(resp, "Cache-Control", "no-store");
	http_resp_header(resp, "Vary", "Accept");
	return 0;
}

/* GET/HEAD /graphql/assets/<hash>/<name>: a GraphiQL file. */
static int
serve_asset(struct app *app, const struct http_req *req, struct http_resp *resp,
	    struct err *e)
{
	const struct gql_asset *a = NULL;
	const char *type = NULL;

	if (playground_on(&app->cfg))
		a = gql_asset_find(req->path, &type);
	if (!a)
		return err_set(e, ERR_NOT_FOUND, "Not Found");
	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
		http_resp_header(resp, "Allow", "GET, HEAD");
		return err_set(e, ERR_METHOD, "Method Not Allowed");
	}
	resp->status = 200;
	resp->content_type = type;
	buf_reset(&resp->body);
	buf_add(&resp->body, a->data, a->len);
	http_resp_header(resp, "Cache-Control", ASSET_CACHE);
	return 0;
}

static void
run(struct app *app, const struct token_auth *auth, const char *query,
    const char *op_name, json_t *vars, bool get, struct http_resp *resp)
{
	struct gql_context ctx = {0};
	struct gql_request r = {0};
	struct gql_result res;

	ctx.app = app;
	ctx.schema = app->graphql_schema; /* built once, at start-up */
	ctx.auth = auth;
	ctx.introspection = config_graphql_introspection(&app->cfg);
	ctx.max_bytes = app->cfg.graphql_max_bytes;
	ctx.max_depth = app->cfg.graphql_max_depth;
	ctx.max_aliases = app->cfg.graphql_max_aliases;
	r.query = query;
	r.query_len = strlen(query);
	r.operation_name = op_name;
	r.variables = vars;
	r.get = get;
	gql_run(&ctx, &r, &res);
	if (res.allow)
		http_resp_header(resp, "Allow", res.allow);
	http_resp_json_new(resp, res.status, res.body);
}

int
graphql_handle(struct app *app, struct http_req *req, struct http_resp *resp,
	       struct err *e)
{
	bool get = !strcmp(req->method, "GET");
	bool post = !strcmp(req->method, "POST");
	struct token_auth auth, *authp = NULL;
	struct buf msg = BUF_INIT;
	json_t *body = NULL, *vars = NULL, *ext = NULL;
	char *query = NULL, *op_name = NULL;
	int rc = 0;

	if (!strncmp(req->path, GQL_ASSETS_PREFIX, strlen(GQL_ASSETS_PREFIX)))
		return serve_asset(app, req, resp, e);
	/* Koa's body parser runs first */
	if (post || !strcmp(req->method, "PUT") ||
	    !strcmp(req->method, "PATCH")) {
		rc = content_parse_body(app, req, &body, e);
		if (rc < 0)
			goto out;
	}
	rc = token_service_authenticate(
	    app->tokens, req->header(req, "Authorization"), &auth, e);
	if (rc < 0)
		goto out;
	if (rc == AUTH_OK) {
		req->token_id = auth.id;
		authp = &auth;
	}
	rc = 0;
	if (prefers_html(req)) {
		if (playground_on(&app->cfg))
			rc = respond_graphiql(resp, e);
		else
			respond_html(resp, gql_landing_html());
		goto out;
	}
	if (!csrf_ok(req)) {
		respond_errors(resp, 400, CSRF_MESSAGE, NULL);
		goto out;
	}
	if (!get && !post) {
		respond_errors(resp, 405,
			       "Apollo Server supports only GET/POST requests.",
			       "GET, POST");
		goto out;
	}
	if (get) {
		query = search_param(req, "query");
		op_name = search_param(req, "operationName");
		if (json_param(req, "variables", &vars, &msg) < 0 ||
		    json_param(req, "extensions", &ext, &msg) < 0) {
			respond_errors(resp, 400, msg.ptr, NULL);
			goto out;
		}
	} else {
		json_t *q, *o, *v;

		if (post_fields(body, &msg) < 0) {
			respond_errors(resp, 400, msg.ptr, NULL);
			goto out;
		}
		q = json_object_get(body, "query");
		o = json_object_get(body, "operationName");
		v = json_object_get(body, "variables");
		query =
		    json_is_string(q) ? xstrdup(json_string_value(q)) : NULL;
		op_name =
		    json_is_string(o) ? xstrdup(json_string_value(o)) : NULL;
		vars = json_is_object(v) ? json_incref(v) : NULL;
	}
	if (!query || !*query) {
		respond_errors(resp, 400,
			       "GraphQL operations must contain a non-empty "
			       "`query` or a `persistedQuery` extension.",
			       NULL);
		goto out;
	}
	run(app, authp, query, op_name, vars, get, resp);
out:
	free(query);
	free(op_name);
	json_decref(vars);
	json_decref(ext);
	json_decref(body);
	buf_release(&msg);
	return rc;
}
