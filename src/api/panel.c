/* SPDX-License-Identifier: MIT */
/* panel.c: serving the embedded admin panel. */
#include "core/compat.h"
#include "api/panel.h"

#define CSP                                                                   \
	"default-src 'self'; script-src 'self'; style-src 'self'; "           \
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; "         \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static const struct panel_asset *
find(const char *rel)
{
	size_t i;

	for (i = 0; i < panel_n_assets; i++)
		if (!strcmp(panel_assets[i].path, rel))
			return &panel_assets[i];
	return NULL;
}

static bool
wants_html(const struct http_req *req)
{
	const char *accept = req->header(req, "Accept");

	return accept && strstr(accept, "text/html");
}

bool
panel_serve(const struct http_req *req, struct http_resp *resp)
{
	const char *rel = req->path + 6; /* after "/admin" */
	const char *last = strrchr(req->path, '/');
	const struct panel_asset *a = NULL;

	if (!*rel || !strcmp(rel, "/"))
		a = find("/index.html");
	else
		a = find(rel);
	if (!a && last && !strchr(last, '.') && wants_html(req))
		a = find("/index.html");
	if (!a)
		return false;
	resp->status = 200;
	resp->content_type = content_type(a->path);
	buf_reset(&resp->body);
	buf_add(&resp->body, a->data, a->len);
	http_resp_header(resp, "Content-Security-Policy", CSP);
	http_resp_header(resp, "Cache-Control", "no-cache");
	return true;
}
