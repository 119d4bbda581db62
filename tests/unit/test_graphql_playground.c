/* SPDX-License-Identifier: MIT */
/*
 * test_graphql_playground.c: the GraphiQL page and its embedded files
 * (graphql/playground.h): every file the page names is found by its URL,
 * with the right type and the bytes its hash names; other paths are not.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "crypto/crypto.h"
#include "graphql/playground.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

static const char *
find_type(const char *path)
{
	const char *type = NULL;

	return gql_asset_find(path, &type) ? type : NULL;
}

static void
test_embedded_files(void **state)
{
	static const char *const expected[] = {
	    "/LICENSE-graphiql.txt",    "/LICENSE-react-dom.txt",
	    "/LICENSE-react.txt",       "/graphiql.min.css",
	    "/graphiql.min.js",         "/react-dom.production.min.js",
	    "/react.production.min.js",
	};
	size_t i;

	(void)state;
	assert_int_equal(gql_graphiql_n_assets, ARRAY_SIZE(expected));
	for (i = 0; i < gql_graphiql_n_assets; i++) {
		const struct gql_asset *a = &gql_graphiql_assets[i];
		unsigned char md[32];
		char hex[65];

		assert_string_equal(a->path, expected[i]);
		assert_true(a->len > 1000);
		/* the embedded hash is the bytes' */
		crypto_sha256(a->data, a->len, md);
		crypto_hex(md, sizeof(md), hex);
		assert_string_equal(a->sha256, hex);
	}
	assert_null(gql_graphiql_assets[gql_graphiql_n_assets].path);
}

/* Every URL in 'html' after 'attr="' that starts with the assets prefix. */
static size_t
check_urls(const char *html, const char *attr, const char *const *types,
	   size_t n_types)
{
	const char *p = html;
	size_t n = 0;

	while ((p = strstr(p, attr))) {
		char url[256];
		const char *end, *type;
		size_t len, i;

		p += strlen(attr);
		end = strchr(p, '"');
		assert_non_null(end);
		len = (size_t)(end - p);
		assert_true(len < sizeof(url));
		memcpy(url, p, len);
		url[len] = '\0';
		if (!strcmp(url, "data:,"))
			continue;
		assert_memory_equal(url, GQL_ASSETS_PREFIX,
				    strlen(GQL_ASSETS_PREFIX));
		type = find_type(url);
		assert_non_null(type);
		for (i = 0; i < n_types; i++)
			if (!strcmp(type, types[i]))
				break;
		assert_true(i < n_types);
		n++;
	}
	return n;
}

static void
test_page(void **state)
{
	static const char *const scripts[] = {"text/javascript; charset=utf-8"};
	static const char *const sheets[] = {"text/css; charset=utf-8"};
	struct buf b = BUF_INIT;

	(void)state;
	gql_graphiql_html(&b, "0123abcd");
	assert_non_null(strstr(b.ptr, "<style nonce=\"0123abcd\">"));
	assert_non_null(strstr(b.ptr, "data-style-nonce=\"0123abcd\""));
	assert_null(strstr(b.ptr, "http://"));
	assert_null(strstr(b.ptr, "https://"));
	assert_int_equal(check_urls(b.ptr, "<script src=\"", scripts, 1), 4);
	assert_int_equal(check_urls(b.ptr, "stylesheet\" href=\"", sheets, 1),
			 1);
	/* the mount script comes last */
	assert_non_null(strstr(b.ptr, "/tollgate-graphiql.js\"></script>\n"
				      "</body>"));
	buf_release(&b);
}

static void
test_lookup(void **state)
{
	const struct gql_asset *js = NULL;
	char path[256], other[17];
	const char *type = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < gql_graphiql_n_assets; i++)
		if (!strcmp(gql_graphiql_assets[i].path, "/graphiql.min.js"))
			js = &gql_graphiql_assets[i];
	assert_non_null(js);
	snprintf(path, sizeof(path), "%s%.16s%s", GQL_ASSETS_PREFIX, js->sha256,
		 js->path);
	assert_ptr_equal(gql_asset_find(path, &type), js);
	assert_string_equal(type, "text/javascript; charset=utf-8");

	/* another file's hash, a hash too short or too long */
	snprintf(other, sizeof(other), "%.16s", gql_graphiql_assets[0].sha256);
	snprintf(path, sizeof(path), "%s%s/graphiql.min.js", GQL_ASSETS_PREFIX,
		 other);
	assert_null(find_type(path));
	snprintf(path, sizeof(path), "%s%.15s/graphiql.min.js",
		 GQL_ASSETS_PREFIX, js->sha256);
	assert_null(find_type(path));
	snprintf(path, sizeof(path), "%s%.17s/graphiql.min.js",
		 GQL_ASSETS_PREFIX, js->sha256);
	assert_null(find_type(path));
	/* no name, an unknown one, a longer path, another prefix */
	snprintf(path, sizeof(path), "%s%.16s/", GQL_ASSETS_PREFIX, js->sha256);
	assert_null(find_type(path));
	snprintf(path, sizeof(path), "%s%.16s/graphiql.js", GQL_ASSETS_PREFIX,
		 js->sha256);
	assert_null(find_type(path));
	snprintf(path, sizeof(path), "%s%.16s/x/graphiql.min.js",
		 GQL_ASSETS_PREFIX, js->sha256);
	assert_null(find_type(path));
	snprintf(path, sizeof(path), "/admin/assets/%.16s/graphiql.min.js",
		 js->sha256);
	assert_null(find_type(path));
	assert_null(find_type(GQL_ASSETS_PREFIX));
	assert_null(find_type("/graphql"));
	assert_null(find_type(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_embedded_files),
	    cmocka_unit_test(test_page),
	    cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
