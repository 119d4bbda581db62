/* SPDX-License-Identifier: MIT */
/*
 * fuzz_qs.c: libFuzzer target for the query-string path of a list request:
 * the input is a raw query string, parsed by qs_parse() and then checked by
 * query_parse() against a small hand-built content type with one field of
 * each value kind. Built with replay_main.c it replays a corpus instead.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "http/qs.h"
#include "query/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_field {
	const char *name;
	enum attr_type type;
	enum sys_field sys;
	unsigned flags;
};

static const struct fuzz_field fuzz_fields[] = {
    {"id", ATTR_INTEGER, SYS_ID, FIELD_SYSTEM},
    {"documentId", ATTR_STRING, SYS_DOCUMENT_ID, FIELD_SYSTEM},
    {"name", ATTR_STRING, SYS_NONE, 0},
    {"stock", ATTR_INTEGER, SYS_NONE, 0},
    {"bigValue", ATTR_BIGINTEGER, SYS_NONE, 0},
    {"price", ATTR_FLOAT, SYS_NONE, 0},
    {"active", ATTR_BOOLEAN, SYS_NONE, 0},
    {"releaseDate", ATTR_DATE, SYS_NONE, 0},
    {"openingTime", ATTR_TIME, SYS_NONE, 0},
    {"launchAt", ATTR_DATETIME, SYS_NONE, 0},
    {"meta", ATTR_JSON, SYS_NONE, 0},
    {"secretNote", ATTR_STRING, SYS_NONE, FIELD_PRIVATE},
    {"createdAt", ATTR_DATETIME, SYS_CREATED_AT, FIELD_SYSTEM},
    {"updatedAt", ATTR_DATETIME, SYS_UPDATED_AT, FIELD_SYSTEM},
    {"publishedAt", ATTR_DATETIME, SYS_PUBLISHED_AT, FIELD_SYSTEM},
};

/* Built once and kept for the life of the process. */
static struct content_type fuzz_ct;

static const struct content_type *
fuzz_type(void)
{
	size_t i, n = ARRAY_SIZE(fuzz_fields);

	if (fuzz_ct.fields)
		return &fuzz_ct;
	fuzz_ct.uid = xstrdup("api::product.product");
	fuzz_ct.plural = xstrdup("products");
	fuzz_ct.singular = xstrdup("product");
	fuzz_ct.table = xstrdup("products");
	fuzz_ct.draft_publish = true;
	fuzz_ct.fields = xcalloc(n, sizeof(*fuzz_ct.fields));
	fuzz_ct.n_fields = n;
	for (i = 0; i < n; i++) {
		struct field *f = &fuzz_ct.fields[i];

		f->name = xstrdup(fuzz_fields[i].name);
		f->column = xstrdup(fuzz_fields[i].name);
		f->type = fuzz_fields[i].type;
		f->sys = fuzz_fields[i].sys;
		f->flags = fuzz_fields[i].flags;
		f->min_length = -1;
		f->max_length = -1;
	}
	fuzz_ct.attrs = &fuzz_ct.fields[2];
	fuzz_ct.n_attrs = n - 5;
	return &fuzz_ct;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct qs_limits qsl = QS_LIMITS_DEFAULT;
	const struct query_limits ql = QUERY_LIMITS_DEFAULT;
	struct err e = ERR_INIT;
	struct query q;
	json_t *params = NULL, *meta;
	char *dec, *dump;

	/* bounded like a request line */
	if (size > 65536)
		return 0;
	dec = qs_decode((const char *)data, size);
	free(dec);
	query_init(&q);
	if (qs_parse((const char *)data, size, &qsl, &params, &e) == 0) {
		/* every string in the tree is UTF-8, so it always dumps */
		dump = json_dumps(params, JSON_COMPACT);
		if (!dump)
			BUG("qs tree does not dump");
		free(dump);
		if (query_parse(fuzz_type(), params, &ql, &q, &e) == 0) {
			if (query_limit(&q) < 1 ||
			    query_limit(&q) > ql.max_page_size ||
			    query_offset(&q) < 0)
				BUG("page window out of range");
			meta = query_pagination_meta(&q, (int64_t)size);
			json_decref(meta);
		} else if (!e.code || !e.msg[0]) {
			BUG("query_parse failed without an error");
		} else if (e.details) {
			dump = json_dumps(e.details, JSON_COMPACT);
			if (!dump)
				BUG("error details do not dump");
			free(dump);
		}
	}
	query_release(&q);
	json_decref(params);
	err_release(&e);
	return 0;
}
