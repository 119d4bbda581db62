/* SPDX-License-Identifier: MIT */
/*
 * panel.h: the admin panel's static files, embedded into the binary at
 * build time (cmake/embed.cmake turns every file under admin/ into
 * panel_assets[]), and served under /admin with a strict
 * Content-Security-Policy. The panel is a client of the Admin API only.
 */
#ifndef API_PANEL_H
#define API_PANEL_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

struct panel_asset {
	const char *path; /* "/index.html" */
	const unsigned char *data;
	size_t len;
};

/* The embedded files (generated); the array ends with a NULL path. */
extern const struct panel_asset panel_assets[];
extern const size_t panel_n_assets;

/*
 * Serve a GET/HEAD under /admin: "/admin" and "/admin/" give index.html; an
 * embedded file by its path; any other extension-less path whose Accept
 * header includes text/html gives index.html (the panel routes in the
 * browser). Returns true when 'resp' was filled.
 */
bool panel_serve(const struct http_req *req, struct http_resp *resp);

#endif
