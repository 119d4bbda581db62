/* SPDX-License-Identifier: MIT */
/*
 * playground.c: the pages of playground.h. Neither loads anything from the
 * network: the GraphiQL page only refers to the embedded files and to one
 * small script of ours that mounts GraphiQL, an asset like the others so
 * that the page's Content-Security-Policy needs no inline script.
 */
#include "core/compat.h"
#include "graphql/playground.h"
#include "crypto/crypto.h"

#include <pthread.h>

/*
 * Mounts GraphiQL 3 (the UMD build, with React 18 as globals) on #graphiql.
 * GraphiQL's headers pane is where a user puts "Authorization: Bearer ...".
 * shouldPersistHeaders: false keeps the pane out of localStorage, but
 * GraphiQL's query history and favourites still save each entry's headers
 * there; the storage given to GraphiQL drops them, so API tokens are never
 * written to disk. The scroll lock of GraphiQL's dialogs adds a style
 * element, stamped with __webpack_nonce__ when that global is set.
 */
static const char init_js[] =
    "/* tollgate: mount GraphiQL on #graphiql */\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var root = document.getElementById('graphiql');\n"
    "  window.__webpack_nonce__ = root.getAttribute('data-style-nonce');\n"
    "  var fetcher = GraphiQL.createFetcher({\n"
    "    url: root.getAttribute('data-endpoint'),\n"
    "  });\n"
    "  var query = '# GraphiQL for this server\\'s GraphQL API.\\n' +\n"
    "    '#\\n' +\n"
    "    '# Put an API token in the Headers tab below:\\n' +\n"
    "    '#   { \"Authorization\": \"Bearer <token>\" }\\n' +\n"
    "    '# then run the query (Ctrl-Enter).\\n' +\n"
    "    '\\n' +\n"
    "    'query {\\n' +\n"
    "    '  __typename\\n' +\n"
    "    '}\\n';\n"
    "  function withoutHeaders(value) {\n"
    "    try {\n"
    "      var o = JSON.parse(value);\n"
    "      Object.keys(o).forEach(function (k) {\n"
    "        if (Array.isArray(o[k])) o[k].forEach(function (entry) {\n"
    "          if (entry && typeof entry === 'object') delete entry.headers;\n"
    "        });\n"
    "      });\n"
    "      return JSON.stringify(o);\n"
    "    } catch (e) {\n"
    "      return value;\n"
    "    }\n"
    "  }\n"
    "  var local = window.localStorage;\n"
    "  var storage = {\n"
    "    getItem: function (k) { return local.getItem(k); },\n"
    "    setItem: function (k, v) {\n"
    "      local.setItem(k, /:(queries|favorites)$/.test(k) ?\n"
    "        withoutHeaders(v) : v);\n"
    "    },\n"
    "    removeItem: function (k) { local.removeItem(k); },\n"
    "    clear: function () { local.clear(); },\n"
    "    key: function (i) { return local.key(i); },\n"
    "    get length() { return local.length; },\n"
    "  };\n"
    "  root.textContent = '';\n"
    "  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, {\n"
    "    fetcher: fetcher,\n"
    "    storage: storage,\n"
    "    defaultQuery: query,\n"
    "    isHeadersEditorEnabled: true,\n"
    "    shouldPersistHeaders: false,\n"
    "    defaultEditorToolsVisibility: 'headers',\n"
    "  }));\n"
    "})();\n";

static struct gql_asset init_asset = {"/tollgate-graphiql.js",
				      (const unsigned char *)init_js,
				      sizeof(init_js) - 1, NULL};
static char init_sha256[65];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
hash_init_js(void)
{
	unsigned char md[32];

	crypto_sha256(init_js, sizeof(init_js) - 1, md);
	crypto_hex(md, sizeof(md), init_sha256);
	init_asset.sha256 = init_sha256;
}

static const struct gql_asset *
our_init_asset(void)
{
	pthread_once(&init_once, hash_init_js);
	return &init_asset;
}

static const struct {
	const char *ext;
	const char *type;
} types[] = {
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
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

/* The asset named 'name' ("graphiql.min.js"), whatever its hash. */
static const struct gql_asset *
by_name(const char *name)
{
	const struct gql_asset *a = our_init_asset();
	size_t i;

	if (!strcmp(a->path + 1, name))
		return a;
	for (i = 0; i < gql_graphiql_n_assets; i++)
		if (!strcmp(gql_graphiql_assets[i].path + 1, name))
			return &gql_graphiql_assets[i];
	return NULL;
}

const struct gql_asset *
gql_asset_find(const char *path, const char **type)
{
	const char *rest, *name;
	const struct gql_asset *a;

	if (strncmp(path, GQL_ASSETS_PREFIX, strlen(GQL_ASSETS_PREFIX)))
		return NULL;
	rest = path + strlen(GQL_ASSETS_PREFIX);
	if (strlen(rest) <= GQL_ASSET_HASH_LEN ||
	    rest[GQL_ASSET_HASH_LEN] != '/')
		return NULL;
	name = rest + GQL_ASSET_HASH_LEN + 1;
	a = by_name(name);
	if (!a || strncmp(a->sha256, rest, GQL_ASSET_HASH_LEN))
		return NULL;
	*type = content_type(a->path);
	return a;
}

/* The URL of asset 'name', which exists. */
static void
add_url(struct buf *out, const char *name)
{
	const struct gql_asset *a = by_name(name);

	buf_addf(out, "%s%.*s%s", GQL_ASSETS_PREFIX, GQL_ASSET_HASH_LEN,
		 a->sha256, a->path);
}

static void
add_script(struct buf *out, const char *name)
{
	buf_addstr(out, "<script src=\"");
	add_url(out, name);
	buf_addstr(out, "\"></script>\n");
}

/* The empty icon spares the browser a request for /favicon.ico. */
void
gql_graphiql_html(struct buf *out, const char *nonce)
{
	buf_addstr(out, "<!DOCTYPE html>\n"
			"<html lang=\"en\">\n"
			"<head>\n"
			"<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, "
			"initial-scale=1\">\n"
			"<title>GraphiQL</title>\n"
			"<link rel=\"icon\" href=\"data:,\">\n"
			"<link rel=\"stylesheet\" href=\"");
	add_url(out, "graphiql.min.css");
	buf_addf(out,
		 "\">\n"
		 "<style nonce=\"%s\">html, body { height: 100%%; margin: 0; "
		 "} #graphiql { height: 100vh; }</style>\n"
		 "</head>\n"
		 "<body>\n"
		 "<div id=\"graphiql\" data-endpoint=\"/graphql\" "
		 "data-style-nonce=\"%s\">Loading GraphiQL...</div>\n"
		 "<noscript>GraphiQL needs JavaScript.</noscript>\n",
		 nonce, nonce);
	add_script(out, "react.production.min.js");
	add_script(out, "react-dom.production.min.js");
	add_script(out, "graphiql.min.js");
	add_script(out, init_asset.path + 1);
	buf_addstr(out, "</body>\n</html>\n");
}

const char *
gql_landing_html(void)
{
	return "<!DOCTYPE html>\n"
	       "<html lang=\"en\">\n"
	       "<head>\n"
	       "<meta charset=\"utf-8\" />\n"
	       "<title>Apollo Server</title>\n"
	       "<meta name=\"viewport\" content=\"width=device-width, "
	       "initial-scale=1\" />\n"
	       "</head>\n"
	       "<body>\n"
	       "<h1>Welcome to the GraphQL endpoint</h1>\n"
	       "<p>Send GraphQL operations to this URL with POST (JSON body "
	       "<code>{\"query\": ...}</code>) or GET "
	       "(<code>?query=...</code> with an "
	       "<code>apollo-require-preflight</code> header).</p>\n"
	       "</body>\n"
	       "</html>\n";
}
