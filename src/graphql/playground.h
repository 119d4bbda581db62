/* SPDX-License-Identifier: MIT */
/*
 * playground.h: the HTML pages GET /graphql answers to a browser. With the
 * GRAPHQL_PLAYGROUND setting off, the small landing page that stands in for
 * Apollo Server's production landing page (what Strapi sends in
 * production); with it on, a GraphiQL IDE built from files embedded into
 * the binary (third_party/graphiql/assets, turned into gql_graphiql_assets[]
 * by cmake/embed.cmake), so the page loads nothing from the network.
 *
 * Assets are served under GQL_ASSETS_PREFIX "<hash>/<name>", where <hash>
 * is the first GQL_ASSET_HASH_LEN hex digits of the file's SHA-256: a file
 * that changes gets a new URL, so responses may be cached for good.
 */
#ifndef GRAPHQL_PLAYGROUND_H
#define GRAPHQL_PLAYGROUND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define GQL_ASSETS_PREFIX "/graphql/assets/"
#define GQL_ASSET_HASH_LEN 16

struct gql_asset {
	const char *path; /* "/graphiql.min.js" */
	const unsigned char *data;
	size_t len;
	const char *sha256; /* lower-case hex */
};

/* The embedded GraphiQL files (generated); the array ends with a NULL path. */
extern const struct gql_asset gql_graphiql_assets[];
extern const size_t gql_graphiql_n_assets;

/* The landing page; a static string. */
const char *gql_landing_html(void);

/*
 * Append the GraphiQL page to 'out'. Its scripts and style sheets are
 * assets of this module; 'nonce' (letters and digits only) is the nonce
 * the page's Content-Security-Policy gives to style elements, which
 * GraphiQL adds while it runs.
 */
void gql_graphiql_html(struct buf *out, const char *nonce);

/*
 * The asset served at 'path' (a full request path under GQL_ASSETS_PREFIX),
 * or NULL when there is none: an unknown name, or a hash that is not the
 * file's. '*type' receives its Content-Type (a static string).
 */
const struct gql_asset *gql_asset_find(const char *path, const char **type);

#endif
