/* SPDX-License-Identifier: MIT */
/*
 * query.h: Strapi's REST query parameters (filters, sort, pagination,
 * fields, status) as data, checked against a content type.
 *
 *   qs tree (http/qs.h) --query_parse()--> struct query --storage--> SQL
 *
 * Nothing here knows SQL; query/sql.h renders a struct query for a dialect.
 * Every field a query names comes from the schema (struct field pointers
 * into the registry), never from request text, and every value is a bound
 * struct sqlval.
 */
#ifndef QUERY_QUERY_H
#define QUERY_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "schema/schema.h"

enum filter_op {
	OP_EQ, OP_EQI, OP_NE, OP_NEI,
	OP_LT, OP_LTE, OP_GT, OP_GTE,
	OP_IN, OP_NOTIN,
	OP_CONTAINS, OP_NOTCONTAINS, OP_CONTAINSI, OP_NOTCONTAINSI,
	OP_STARTSWITH, OP_STARTSWITHI, OP_ENDSWITH, OP_ENDSWITHI,
	OP_NULL, OP_NOTNULL, OP_BETWEEN,
};

enum filter_kind { FILTER_AND, FILTER_OR, FILTER_NOT, FILTER_COND, FILTER_TRUE };

struct filter {
	enum filter_kind kind;
	/* AND / OR / NOT: children (NOT has exactly one) */
	struct filter **children;
	size_t n_children;
	/* COND */
	const struct field *field;
	enum filter_op op;
	struct sqlval *values; /* EQ..: 1; IN/NOTIN: n (EQ with an array becomes IN); BETWEEN: 2 */
	size_t n_values;
	bool flag; /* NULL/NOTNULL: the parsed boolean */
};

struct sort_key {
	const struct field *field;
	bool desc;
};

struct pagination {
	bool offset_mode;  /* start/limit given (else page/pageSize) */
	int64_t page;      /* page mode, >= 1 */
	int64_t page_size; /* page mode, 1..max */
	int64_t start;     /* offset mode, >= 0 */
	int64_t limit;     /* offset mode, 1..max */
	bool with_count;
};

enum query_status { STATUS_PUBLISHED = 0, STATUS_DRAFT };

struct query {
	struct filter *filter;     /* NULL: no filtering */
	struct sort_key *sort;
	size_t n_sort;
	struct pagination pg;
	/* fields: NULL = all; else the requested fields in request order */
	const struct field **fields;
	size_t n_fields;
	enum query_status status;
	bool status_given;
	int has_published; /* hasPublishedVersion: -1 unset, 0 false, 1 true */
};

struct query_limits {
	int64_t default_page_size; /* 25 */
	int64_t max_page_size;     /* 100 */
	size_t max_filter_depth;   /* nesting of $and/$or/$not and fields */
	size_t max_filter_nodes;   /* total conditions */
	bool default_with_count;   /* true */
};

#define QUERY_LIMITS_DEFAULT { 25, 100, 10, 200, true }

void query_init(struct query *q);
void query_release(struct query *q);

/*
 * Build '*q' from the parsed query string 'params' (borrowed) for type 'ct'.
 * Unknown top-level parameters are ignored (as Strapi does). Errors are
 * Strapi's: ERR_VALIDATION "Invalid key nope" with details
 * {key, path, source:"query", param}, ERR_PAGINATION for mixed page/offset
 * modes, and a clean ERR_VALIDATION where Strapi itself would answer 500
 * (non-numeric integer filter, non-array $or, bad $between, empty fields).
 */
int query_parse(const struct content_type *ct, json_t *params,
		const struct query_limits *lim, struct query *q, struct err *e);

/* Offset and limit of the page to fetch. */
int64_t query_offset(const struct query *q);
int64_t query_limit(const struct query *q);

/*
 * The response's meta.pagination for 'total' rows (total is ignored when
 * with_count is false). A new reference.
 */
json_t *query_pagination_meta(const struct query *q, int64_t total);

#endif
