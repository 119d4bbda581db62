/* SPDX-License-Identifier: MIT */
/*
 * test_query.c: Strapi's REST query parameters (query/parse.c) from raw
 * query strings, row by row against the spec's tables for filters, sort,
 * pagination, fields, populate and status, plus the bounds.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <inttypes.h>

#include "core/buf.h"
#include "core/mem.h"
#include "http/qs.h"
#include "query/query.h"

/* ---- a hand-built "product" type ---------------------------------------- */

struct field_def {
	const char *name, *column;
	enum attr_type type;
	enum sys_field sys;
	unsigned flags;
};

static const struct field_def product_defs[] = {
    {"id", "id", ATTR_INTEGER, SYS_ID, FIELD_SYSTEM},
    {"documentId", "document_id", ATTR_STRING, SYS_DOCUMENT_ID, FIELD_SYSTEM},
    {"name", "name", ATTR_STRING, SYS_NONE, FIELD_REQUIRED},
    {"description", "description", ATTR_TEXT, SYS_NONE, 0},
    {"category", "category", ATTR_ENUMERATION, SYS_NONE, 0},
    {"stock", "stock", ATTR_INTEGER, SYS_NONE, 0},
    {"bigValue", "big_value", ATTR_BIGINTEGER, SYS_NONE, 0},
    {"price", "price", ATTR_FLOAT, SYS_NONE, 0},
    {"active", "active", ATTR_BOOLEAN, SYS_NONE, 0},
    {"releaseDate", "release_date", ATTR_DATE, SYS_NONE, 0},
    {"launchAt", "launch_at", ATTR_DATETIME, SYS_NONE, 0},
    {"meta", "meta", ATTR_JSON, SYS_NONE, 0},
    {"secretNote", "secret_note", ATTR_STRING, SYS_NONE, FIELD_PRIVATE},
    {"pin", "pin", ATTR_PASSWORD, SYS_NONE, 0},
    {"createdAt", "created_at", ATTR_DATETIME, SYS_CREATED_AT, FIELD_SYSTEM},
    {"updatedAt", "updated_at", ATTR_DATETIME, SYS_UPDATED_AT, FIELD_SYSTEM},
    {"publishedAt", "published_at", ATTR_DATETIME, SYS_PUBLISHED_AT,
     FIELD_SYSTEM},
};

static struct content_type ct;

static int
setup_ct(void **state)
{
	size_t i, n = ARRAY_SIZE(product_defs);

	(void)state;
	memset(&ct, 0, sizeof(ct));
	ct.uid = xstrdup("api::product.product");
	ct.plural = xstrdup("products");
	ct.singular = xstrdup("product");
	ct.table = xstrdup("products");
	ct.fields = xcalloc(n, sizeof(*ct.fields));
	ct.n_fields = n;
	for (i = 0; i < n; i++) {
		struct field *f = &ct.fields[i];

		f->name = xstrdup(product_defs[i].name);
		f->column = xstrdup(product_defs[i].column);
		f->type = product_defs[i].type;
		f->sys = product_defs[i].sys;
		f->flags = product_defs[i].flags;
		f->min_length = -1;
		f->max_length = -1;
	}
	ct.attrs = &ct.fields[2];
	ct.n_attrs = n - 5;
	return 0;
}

static int
teardown_ct(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ct.n_fields; i++) {
		free(ct.fields[i].name);
		free(ct.fields[i].column);
	}
	free(ct.fields);
	free(ct.uid);
	free(ct.plural);
	free(ct.singular);
	free(ct.table);
	return 0;
}

static const struct field *
fld(const char *name)
{
	size_t i;

	for (i = 0; i < ct.n_fields; i++)
		if (!strcmp(ct.fields[i].name, name))
			return &ct.fields[i];
	fail_msg("no field %s", name);
	return NULL;
}

/* ---- helpers --------------------------------------------------------------
 */

static const struct query_limits lim_default = QUERY_LIMITS_DEFAULT;

static int
run_lim(const char *qs, const struct query_limits *lim, struct query *q,
	struct err *e)
{
	const struct qs_limits ql = QS_LIMITS_DEFAULT;
	json_t *params = NULL;
	int rc;

	rc = qs_parse(qs, strlen(qs), &ql, &params, e);
	if (rc)
		return rc;
	rc = query_parse(&ct, params, lim, q, e);
	json_decref(params);
	return rc;
}

static const char *const op_names[] = {
    [OP_EQ] = "eq",
    [OP_EQI] = "eqi",
    [OP_NE] = "ne",
    [OP_NEI] = "nei",
    [OP_LT] = "lt",
    [OP_LTE] = "lte",
    [OP_GT] = "gt",
    [OP_GTE] = "gte",
    [OP_IN] = "in",
    [OP_NOTIN] = "notIn",
    [OP_CONTAINS] = "contains",
    [OP_NOTCONTAINS] = "notContains",
    [OP_CONTAINSI] = "containsi",
    [OP_NOTCONTAINSI] = "notContainsi",
    [OP_STARTSWITH] = "startsWith",
    [OP_STARTSWITHI] = "startsWithi",
    [OP_ENDSWITH] = "endsWith",
    [OP_ENDSWITHI] = "endsWithi",
    [OP_NULL] = "null",
    [OP_NOTNULL] = "notNull",
    [OP_BETWEEN] = "between",
};

/* A filter tree as text: and(eq(name,'x'),gt(stock,5)), null(a,true)... */
static void
filter_str(const struct filter *f, struct buf *b)
{
	size_t i;

	if (!f) {
		buf_addstr(b, "-");
		return;
	}
	switch (f->kind) {
	case FILTER_AND:
	case FILTER_OR:
	case FILTER_NOT:
		buf_addstr(b, f->kind == FILTER_AND  ? "and("
			      : f->kind == FILTER_OR ? "or("
						     : "not(");
		for (i = 0; i < f->n_children; i++) {
			if (i)
				buf_addch(b, ',');
			filter_str(f->children[i], b);
		}
		buf_addch(b, ')');
		return;
	case FILTER_TRUE:
		buf_addstr(b, "true");
		return;
	case FILTER_COND:
		break;
	}
	buf_addf(b, "%s(%s", op_names[f->op], f->field->name);
	if (f->op == OP_NULL || f->op == OP_NOTNULL)
		buf_addstr(b, f->flag ? ",true" : ",false");
	for (i = 0; i < f->n_values; i++) {
		const struct sqlval *v = &f->values[i];

		switch (v->kind) {
		case SV_NULL:
			buf_addstr(b, ",NULL");
			break;
		case SV_INT:
			buf_addf(b, ",%" PRId64, v->i);
			break;
		case SV_REAL:
			buf_addf(b, ",%g", v->d);
			break;
		case SV_TEXT:
			buf_addf(b, ",'%s'", v->s);
			break;
		}
	}
	buf_addch(b, ')');
}

/* 'qs' must parse, and its filter must print as 'want'. */
static void
check_filter(const char *qs, const char *want)
{
	struct query q;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	int rc;

	query_init(&q);
	rc = run_lim(qs, &lim_default, &q, &e);
	if (rc)
		fail_msg("%s: failed (%d) %s", qs, rc, e.msg);
	filter_str(q.filter, &b);
	if (strcmp(b.ptr, want))
		fail_msg("%s\n  got:  %s\n  want: %s", qs, b.ptr, want);
	buf_release(&b);
	query_release(&q);
	err_release(&e);
}

/*
 * 'qs' must fail with 'code' and 'msg'; 'details' is the compact JSON of the
 * details ("{}" for none), or NULL to skip that check.
 */
static void
check_error_lim(const char *qs, const struct query_limits *lim, int code,
		const char *msg, const char *details)
{
	struct query q;
	struct err e = ERR_INIT;
	char *d;
	int rc;

	query_init(&q);
	rc = run_lim(qs, lim, &q, &e);
	if (rc != code || e.code != code)
		fail_msg("%s: returned %d (err %d \"%s\"), want %d", qs, rc,
			 e.code, e.msg, code);
	if (strcmp(e.msg, msg))
		fail_msg("%s\n  got:  %s\n  want: %s", qs, e.msg, msg);
	if (details) {
		d = e.details ? json_dumps(e.details,
					   JSON_COMPACT | JSON_PRESERVE_ORDER)
			      : xstrdup("{}");
		if (strcmp(d, details))
			fail_msg("%s details\n  got:  %s\n  want: %s", qs, d,
				 details);
		free(d);
	}
	/* a failed parse leaves the query as it was */
	assert_null(q.filter);
	assert_null(q.sort);
	assert_null(q.fields);
	query_release(&q);
	err_release(&e);
}

static void
check_error(const char *qs, int code, const char *msg, const char *details)
{
	check_error_lim(qs, &lim_default, code, msg, details);
}

static void
parse_ok(const char *qs, struct query *q)
{
	struct err e = ERR_INIT;
	int rc;

	query_init(q);
	rc = run_lim(qs, &lim_default, q, &e);
	if (rc)
		fail_msg("%s: failed (%d) %s", qs, rc, e.msg);
	err_release(&e);
}

#define INVALID_KEY(k, path, param)                                            \
	"{\"key\":\"" k "\",\"path\":" path                                    \
	",\"source\":\"query\",\"param\":\"" param "\"}"

/* ---- filters ------------------------------------------------------------- */

static void
test_filter_none(void **state)
{
	(void)state;
	check_filter("", "-");
	check_filter("foo=bar&locale=fr", "-");
	/* an object that ends up empty is no condition */
	check_filter("filters[toString]=1", "-");
	check_filter("filters[$or][0][constructor]=1", "-");
	check_filter("filters[$and][0][valueOf][x]=1", "-");
}

static void
test_filter_eq(void **state)
{
	(void)state;
	check_filter("filters[name][$eq]=Apple", "eq(name,'Apple')");
	check_filter("filters[name]=Apple", "eq(name,'Apple')");
	check_filter("filters[name][$eq]=apple", "eq(name,'apple')");
	check_filter("filters[name][$eq]=", "eq(name,'')");
	/* $eq with a list is IN */
	check_filter("filters[name][$eq][0]=Apple&filters[name][$eq][1]=date",
		     "in(name,'Apple','date')");
	check_filter("filters[name][$eq][]=Apple&filters[name][$eq][]=date",
		     "in(name,'Apple','date')");
	check_filter("filters[name][0]=Apple&filters[name][1]=date",
		     "in(name,'Apple','date')");
	check_filter("filters[name]=Apple&filters[name]=date",
		     "in(name,'Apple','date')");
	/* values are cast to the attribute's type */
	check_filter("filters[stock][$eq]=10", "eq(stock,10)");
	check_filter("filters[stock]=10", "eq(stock,10)");
	check_filter("filters[price][$eq]=1.5", "eq(price,1.5)");
	check_filter("filters[active][$eq]=true", "eq(active,1)");
	check_filter("filters[active][$eq]=f", "eq(active,0)");
	check_filter("filters[active][$eq]=maybe", "eq(active,1)");
	check_filter("filters[releaseDate][$eq]=2024-01-15",
		     "eq(releaseDate,'2024-01-15')");
	check_filter("filters[launchAt][$lt]=2024-02-01",
		     "lt(launchAt,1706745600000)");
	check_filter("filters[bigValue][$gt]=150", "gt(bigValue,150)");
	check_filter("filters[meta][$contains]=x", "contains(meta,'x')");
}

static void
test_filter_operators(void **state)
{
	(void)state;
	check_filter("filters[name][$eqi]=apple", "eqi(name,'apple')");
	check_filter("filters[stock][$ne]=10", "ne(stock,10)");
	check_filter("filters[name][$nei]=apple", "nei(name,'apple')");
	check_filter("filters[stock][$lt]=20", "lt(stock,20)");
	check_filter("filters[stock][$lte]=20", "lte(stock,20)");
	check_filter("filters[stock][$gt]=20", "gt(stock,20)");
	check_filter("filters[stock][$gte]=20", "gte(stock,20)");
	check_filter("filters[stock][$in][0]=10&filters[stock][$in][1]=30",
		     "in(stock,10,30)");
	check_filter("filters[stock][$in]=10", "in(stock,10)");
	check_filter("filters[stock][$in][30]=20", "in(stock,20)");
	check_filter(
	    "filters[stock][$notIn][0]=10&filters[stock][$notIn][1]=30",
	    "notIn(stock,10,30)");
	check_filter("filters[stock][$notIn]=10", "notIn(stock,10)");
	check_filter("filters[name][$contains]=an", "contains(name,'an')");
	check_filter("filters[description][$notContains]=Berry",
		     "notContains(description,'Berry')");
	check_filter("filters[description][$containsi]=FRUIT",
		     "containsi(description,'FRUIT')");
	check_filter("filters[description][$notContainsi]=fruit",
		     "notContainsi(description,'fruit')");
	check_filter("filters[name][$startsWith]=A", "startsWith(name,'A')");
	check_filter("filters[name][$startsWithi]=a", "startsWithi(name,'a')");
	check_filter("filters[name][$endsWith]=y", "endsWith(name,'y')");
	check_filter("filters[name][$endsWithi]=Y", "endsWithi(name,'Y')");
	check_filter("filters[name][$contains]=%25", "contains(name,'%')");
	check_filter("filters[name][$contains]=_", "contains(name,'_')");
	/* LIKE-style operators are not cast */
	check_filter("filters[stock][$contains]=1x", "contains(stock,'1x')");
	check_filter("filters[stock][$eqi]=abc", "eqi(stock,'abc')");
	check_filter("filters[description][$null]=true",
		     "null(description,true)");
	check_filter("filters[stock][$notNull]=false", "notNull(stock,false)");
	check_filter(
	    "filters[stock][$between][0]=10&filters[stock][$between][1]=20",
	    "between(stock,10,20)");
	/* several operators on one attribute, several attributes: AND */
	check_filter("filters[stock][$gte]=10&filters[stock][$lte]=20",
		     "and(gte(stock,10),lte(stock,20))");
	check_filter("filters[name]=A&filters[stock][$gt]=1",
		     "and(eq(name,'A'),gt(stock,1))");
	/* a list on a single-value operator: one condition per value, ORed */
	check_filter(
	    "filters[name][$contains][0]=a&filters[name][$contains][1]=b",
	    "or(contains(name,'a'),contains(name,'b'))");
	check_filter("filters[stock][$gt][0]=1", "gt(stock,1)");
	check_filter("filters[stock][$null][0]=true&filters[stock][$null][1]=0",
		     "or(null(stock,true),null(stock,false))");
}

static void
test_filter_system_fields(void **state)
{
	(void)state;
	check_filter("filters[id][$eq]=3", "eq(id,3)");
	check_filter("filters[id][$in][0]=1&filters[id][$in][1]=2",
		     "in(id,1,2)");
	check_filter("filters[documentId]=abc", "eq(documentId,'abc')");
	check_filter("filters[createdAt][$gt]=2024-01-01T00:00:00.000Z",
		     "gt(createdAt,1704067200000)");
	check_filter("filters[updatedAt][$notNull]=true",
		     "notNull(updatedAt,true)");
	check_filter("filters[publishedAt][$null]=true",
		     "null(publishedAt,true)");
}

static void
test_filter_null_values(void **state)
{
	static const struct {
		const char *v;
		bool flag;
	} rows[] = {
	    {"true", true},  {"t", true},    {"1", true},   {"false", false},
	    {"f", false},    {"0", false},   {"", false},   {"FALSE", true},
	    {"False", true}, {"no", true},   {"yes", true}, {"2", true},
	    {"%20", true},   {"null", true},
	};
	char qs[128], want[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		snprintf(qs, sizeof(qs), "filters[description][$null]=%s",
			 rows[i].v);
		snprintf(want, sizeof(want), "null(description,%s)",
			 rows[i].flag ? "true" : "false");
		check_filter(qs, want);
		snprintf(qs, sizeof(qs), "filters[stock][$notNull]=%s",
			 rows[i].v);
		snprintf(want, sizeof(want), "notNull(stock,%s)",
			 rows[i].flag ? "true" : "false");
		check_filter(qs, want);
	}
}

static void
test_filter_in_dropped(void **state)
{
	(void)state;
	/* $in with a non-array object value filters nothing */
	check_filter("filters[stock][$in][a]=20", "-");
	check_filter("filters[stock][$in][150]=20", "-");
	check_filter("filters[stock][$notIn][a]=20", "-");
	check_filter("filters[stock][$in][a]=20&filters[name]=x",
		     "eq(name,'x')");
	check_filter("filters[stock][$in][a]=20&filters[stock][$gt]=1",
		     "gt(stock,1)");
}

static void
test_filter_logical(void **state)
{
	(void)state;
	check_filter(
	    "filters[$or][0][name][$eq]=A&filters[$or][1][stock][$gte]=30",
	    "or(eq(name,'A'),gte(stock,30))");
	check_filter("filters[$and][0][name]=A&filters[$and][1][stock]=3",
		     "and(eq(name,'A'),eq(stock,3))");
	check_filter("filters[$or][][name]=A", "eq(name,'A')");
	/* index-keyed objects (beyond qs's array limit, or mixed) */
	check_filter("filters[$or][101][name]=A&filters[$or][102][name]=B",
		     "or(eq(name,'A'),eq(name,'B'))");
	check_filter("filters[$or][0][name]=A&filters[$or][150][name]=B",
		     "or(eq(name,'A'),eq(name,'B'))");
	/* nested groups */
	check_filter("filters[$or][0][$and][0][name]=A&filters[$or][0][$and][1]"
		     "[stock]=1&filters[$or][1][name]=B",
		     "or(and(eq(name,'A'),eq(stock,1)),eq(name,'B'))");
	/* an element that is a list ANDs its members */
	check_filter("filters[$or][0][0][name]=A&filters[$or][0][1][stock]=1&"
		     "filters[$or][1][name]=B",
		     "or(and(eq(name,'A'),eq(stock,1)),eq(name,'B'))");
	/* $not, at the root and on an attribute */
	check_filter("filters[$not][name][$eq]=Apple", "not(eq(name,'Apple'))");
	check_filter("filters[name][$not][$eq]=Apple", "not(eq(name,'Apple'))");
	check_filter("filters[name][$not]=Apple", "not(eq(name,'Apple'))");
	check_filter(
	    "filters[$not][$or][0][name]=A&filters[$not][$or][1][name]=B",
	    "not(or(eq(name,'A'),eq(name,'B')))");
	check_filter("filters[stock][$not][$gt]=1&filters[stock][$not][$lt]=9",
		     "not(and(gt(stock,1),lt(stock,9)))");
	/* a top-level list is ANDed */
	check_filter("filters[0][name]=A&filters[1][stock]=1",
		     "and(eq(name,'A'),eq(stock,1))");
	/* empty members are dropped */
	check_filter("filters[$or][0][toString]=1&filters[$or][1][name]=B",
		     "eq(name,'B')");
	check_filter("filters[$not][stock][$in][a]=1", "-");
}

static void
test_filter_invalid_keys(void **state)
{
	(void)state;
	check_error("filters[nope][$eq]=1", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "filters"));
	check_error("filters[nope]=1", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "filters"));
	check_error("filters[$or][0][nope]=1", ERR_VALIDATION,
		    "Invalid key nope", INVALID_KEY("nope", "null", "filters"));
	check_error("filters[$not][nope]=1", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "filters"));
	check_error("filters[secretNote][$eq]=x", ERR_VALIDATION,
		    "Invalid key secretNote",
		    INVALID_KEY("secretNote", "\"secretNote\"", "filters"));
	check_error("filters[secretNote]=x", ERR_VALIDATION,
		    "Invalid key secretNote",
		    INVALID_KEY("secretNote", "\"secretNote\"", "filters"));
	check_error("filters[$or][0][secretNote]=x", ERR_VALIDATION,
		    "Invalid key secretNote",
		    INVALID_KEY("secretNote", "\"secretNote\"", "filters"));
	check_error("filters[pin]=1", ERR_VALIDATION, "Invalid key pin",
		    INVALID_KEY("pin", "\"pin\"", "filters"));
	check_error("filters[name][$bogus]=1", ERR_VALIDATION,
		    "Invalid key $bogus at name",
		    INVALID_KEY("$bogus", "\"name\"", "filters"));
	check_error("filters[name][nope]=1", ERR_VALIDATION,
		    "Invalid key nope at name",
		    INVALID_KEY("nope", "\"name\"", "filters"));
	check_error("filters[name][$EQ]=1", ERR_VALIDATION,
		    "Invalid key $EQ at name",
		    INVALID_KEY("$EQ", "\"name\"", "filters"));
	check_error("filters[name][$not][$bogus]=1", ERR_VALIDATION,
		    "Invalid key $bogus at name",
		    INVALID_KEY("$bogus", "\"name\"", "filters"));
	check_error("filters[$bogus]=1", ERR_VALIDATION, "Invalid key $bogus",
		    INVALID_KEY("$bogus", "null", "filters"));
	/* the first bad key in order wins */
	check_error("filters[name]=x&filters[nope]=1&filters[zap]=2",
		    ERR_VALIDATION, "Invalid key nope", NULL);
	/* a key with a NUL byte is not the field it starts with */
	check_error("filters[name%00x]=1", ERR_VALIDATION, "Invalid key name",
		    "{\"key\":\"name\\u0000x\",\"path\":null,"
		    "\"source\":\"query\",\"param\":\"filters\"}");
	/* keys inside a non-array $or are still checked first */
	check_error("filters[$or][nope]=1", ERR_VALIDATION, "Invalid key nope",
		    NULL);
}

static void
test_filter_invalid_values(void **state)
{
	(void)state;
	check_error("filters=abc", ERR_VALIDATION,
		    "The filters parameter must be an object or an array",
		    "{}");
	check_error("filters=", ERR_VALIDATION,
		    "The filters parameter must be an object or an array",
		    "{}");
	check_error("filters[releaseDate][$gt]=notadate", ERR_VALIDATION,
		    "Invalid format, expected yyyy-MM-dd", "{}");
	check_error("filters[$or][name]=Apple", ERR_VALIDATION,
		    "Operator $or must be an array", "{}");
	check_error("filters[$and]=x", ERR_VALIDATION,
		    "Operator $and must be an array", "{}");
	check_error("filters[stock][$between][0]=10", ERR_VALIDATION,
		    "Operator $between requires exactly 2 values", "{}");
	check_error("filters[stock][$between]=10,20", ERR_VALIDATION,
		    "Operator $between requires exactly 2 values", "{}");
	check_error("filters[stock][$between][0]=1&filters[stock][$between][1]="
		    "2&filters[stock][$between][2]=3",
		    ERR_VALIDATION,
		    "Operator $between requires exactly 2 values", "{}");
	check_error("filters[stock][$between][a]=1", ERR_VALIDATION,
		    "Operator $between requires exactly 2 values", "{}");
	check_error("filters[$eq]=1", ERR_VALIDATION,
		    "Only $and, $or and $not can be used as root level "
		    "operators. Found $eq",
		    "{}");
	check_error("filters[name][$or][0][$eq]=1", ERR_VALIDATION,
		    "Undefined attribute level operator $or", "{}");
	check_error("filters[name][$eq][a]=1", ERR_VALIDATION,
		    "Invalid value for operator $eq on name", "{}");
	check_error("filters[name][$in][0][a]=1", ERR_VALIDATION,
		    "Invalid value for operator $in on name", "{}");
	check_error("filters[$or][0]=abc", ERR_VALIDATION,
		    "Filter conditions must be objects", "{}");
	check_error("filters[0]=abc", ERR_VALIDATION,
		    "Filter conditions must be objects", "{}");
	check_error("filters[$not]=abc", ERR_VALIDATION,
		    "Filter conditions must be objects", "{}");
	check_error("filters[name][$jsonSupersetOf]=1", ERR_VALIDATION,
		    "Undefined attribute level operator $jsonSupersetOf", "{}");
	/* Strapi answers 500 for these; we answer 400 */
	check_error("filters[stock][$eq]=abc", ERR_VALIDATION,
		    "Invalid value \"abc\" for stock: expected an integer",
		    NULL);
	check_error("filters[stock][$eq]=null", ERR_VALIDATION,
		    "Invalid value \"null\" for stock: expected an integer",
		    NULL);
	check_error("filters[stock][$in][0]=1&filters[stock][$in][1]=x",
		    ERR_VALIDATION,
		    "Invalid value \"x\" for stock: expected an integer", NULL);
	check_error("filters[id]=abc", ERR_VALIDATION,
		    "Invalid value \"abc\" for id: expected an integer", NULL);
}

static void
test_filter_bounds(void **state)
{
	struct query_limits lim = QUERY_LIMITS_DEFAULT;
	struct buf b = BUF_INIT;
	struct query q;
	struct err e = ERR_INIT;
	int i;

	(void)state;
	/* default depth 10: nine $not around an attribute is fine */
	buf_addstr(&b, "filters");
	for (i = 0; i < 9; i++)
		buf_addstr(&b, "[$not]");
	buf_addstr(&b, "[name]=x");
	query_init(&q);
	assert_int_equal(run_lim(b.ptr, &lim, &q, &e), 0);
	assert_non_null(q.filter);
	query_release(&q);
	buf_reset(&b);
	buf_addstr(&b, "filters");
	for (i = 0; i < 10; i++)
		buf_addstr(&b, "[$not]");
	buf_addstr(&b, "[name]=x");
	check_error(b.ptr, ERR_VALIDATION, "Filters are nested too deeply",
		    "{}");
	/* the bound holds even when the leaf would be dropped */
	buf_reset(&b);
	buf_addstr(&b, "filters");
	for (i = 0; i < 11; i++)
		buf_addstr(&b, "[$not]");
	buf_addstr(&b, "[stock][$in][a]=x");
	check_error(b.ptr, ERR_VALIDATION, "Filters are nested too deeply",
		    "{}");
	buf_release(&b);

	/* each attribute, $and, $or and $not is one level */
	lim.max_filter_depth = 1;
	query_init(&q);
	assert_int_equal(
	    run_lim("filters[name]=A&filters[stock][$gt]=1", &lim, &q, &e), 0);
	query_release(&q);
	check_error_lim("filters[$or][0][name]=A", &lim, ERR_VALIDATION,
			"Filters are nested too deeply", "{}");
	check_error_lim("filters[name][$not][$eq]=A", &lim, ERR_VALIDATION,
			"Filters are nested too deeply", "{}");
	check_error_lim("filters[$not][name]=A", &lim, ERR_VALIDATION,
			"Filters are nested too deeply", "{}");
	/* a bad key deeper than the bound: the bound wins */
	check_error_lim("filters[$or][0][$and][0][nope]=A", &lim,
			ERR_VALIDATION, "Filters are nested too deeply", "{}");
	lim.max_filter_depth = 2;
	query_init(&q);
	assert_int_equal(run_lim("filters[$not][name]=A", &lim, &q, &e), 0);
	query_release(&q);
	query_init(&q);
	assert_int_equal(
	    run_lim("filters[$or][0][name]=A&filters[$or][1][name][$eq]=B",
		    &lim, &q, &e),
	    0);
	query_release(&q);
	check_error_lim("filters[$or][0][$or][0][name]=A", &lim, ERR_VALIDATION,
			"Filters are nested too deeply", "{}");
	lim.max_filter_depth = 0;
	check_error_lim("filters[name]=A", &lim, ERR_VALIDATION,
			"Filters are nested too deeply", "{}");

	lim = (struct query_limits)QUERY_LIMITS_DEFAULT;
	lim.max_filter_nodes = 3;
	query_init(&q);
	assert_int_equal(
	    run_lim("filters[name]=a&filters[stock]=1&filters[price]=2", &lim,
		    &q, &e),
	    0);
	query_release(&q);
	check_error_lim(
	    "filters[name]=a&filters[stock]=1&filters[price]=2&filters[id]=3",
	    &lim, ERR_VALIDATION, "Too many filter conditions", "{}");
	check_error_lim(
	    "filters[name][$contains][0]=a&filters[name][$contains][1]=b&"
	    "filters[name][$contains][2]=c&filters[name][$contains][3]=d",
	    &lim, ERR_VALIDATION, "Too many filter conditions", "{}");
	/* an IN list is one condition */
	query_init(&q);
	assert_int_equal(
	    run_lim("filters[stock][$in][0]=1&filters[stock][$in][1]=2&filters["
		    "stock][$in][2]=3&filters[stock][$in][3]=4",
		    &lim, &q, &e),
	    0);
	query_release(&q);
	err_release(&e);
}

/* ---- sort ---------------------------------------------------------------- */

/* 'qs' must parse to the sort keys 'want' ("price:desc,name:asc"). */
static void
check_sort(const char *qs, const char *want)
{
	struct query q;
	struct buf b = BUF_INIT;
	size_t i;

	parse_ok(qs, &q);
	for (i = 0; i < q.n_sort; i++)
		buf_addf(&b, "%s%s:%s", i ? "," : "", q.sort[i].field->name,
			 q.sort[i].desc ? "desc" : "asc");
	if (strcmp(b.ptr, want))
		fail_msg("%s\n  got:  %s\n  want: %s", qs, b.ptr, want);
	buf_release(&b);
	query_release(&q);
}

static void
test_sort(void **state)
{
	(void)state;
	check_sort("", "");
	check_sort("sort=", "");
	check_sort("sort=price", "price:asc");
	check_sort("sort=price:asc", "price:asc");
	check_sort("sort=price:desc", "price:desc");
	check_sort("sort=price:DESC", "price:desc");
	check_sort("sort=price:ASC", "price:asc");
	check_sort("sort=price:Desc", "price:desc");
	check_sort("sort=category,price:desc", "category:asc,price:desc");
	check_sort("sort=name,,stock:desc,", "name:asc,stock:desc");
	check_sort("sort[0]=category&sort[1]=price:desc",
		   "category:asc,price:desc");
	check_sort("sort[]=category&sort[]=price:desc",
		   "category:asc,price:desc");
	check_sort("sort=category&sort=price:desc", "category:asc,price:desc");
	check_sort("sort[price]=desc", "price:desc");
	check_sort("sort[price]=desc&sort[name]=asc", "price:desc,name:asc");
	check_sort("sort[0][category]=asc&sort[1][price]=desc",
		   "category:asc,price:desc");
	check_sort("sort=price:desc:extra", "price:desc");
	/* system fields and json are sortable */
	check_sort("sort=id:desc", "id:desc");
	check_sort(
	    "sort=documentId,createdAt:desc,updatedAt,publishedAt",
	    "documentId:asc,createdAt:desc,updatedAt:asc,publishedAt:asc");
	check_sort("sort=meta", "meta:asc");
	/* a repeated column adds nothing to ORDER BY */
	check_sort("sort=name,name:desc", "name:asc");
	check_sort("sort=name:desc,stock,name", "name:desc,stock:asc");
}

static void
test_sort_errors(void **state)
{
	(void)state;
	check_error("sort=nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "sort"));
	check_error("sort=name,nope:desc", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "sort"));
	check_error("sort[0]=nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "sort"));
	check_error("sort[nope]=asc", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "sort"));
	check_error("sort[0][nope]=asc", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "sort"));
	check_error("sort=secretNote", ERR_VALIDATION, "Invalid key secretNote",
		    INVALID_KEY("secretNote", "\"secretNote\"", "sort"));
	check_error("sort[secretNote]=desc", ERR_VALIDATION,
		    "Invalid key secretNote",
		    INVALID_KEY("secretNote", "\"secretNote\"", "sort"));
	check_error("sort=pin", ERR_VALIDATION, "Invalid key pin",
		    INVALID_KEY("pin", "\"pin\"", "sort"));
	check_error("sort=name:sideways", ERR_VALIDATION,
		    "Invalid order. order can only be one of asc|desc|ASC|DESC",
		    "{}");
	check_error("sort[name]=sideways", ERR_VALIDATION,
		    "Invalid order. order can only be one of asc|desc|ASC|DESC",
		    "{}");
	check_error("sort=name:", ERR_VALIDATION,
		    "Invalid order. order can only be one of asc|desc|ASC|DESC",
		    "{}");
	/* an unknown key wins over a bad order anywhere in the list */
	check_error("sort=name:sideways,nope", ERR_VALIDATION,
		    "Invalid key nope", NULL);
	check_error("sort=:desc", ERR_VALIDATION, "Sort field cannot be empty",
		    "{}");
	check_error("sort[price][]=desc", ERR_VALIDATION,
		    "Invalid sort parameter. Expected a string, an array of "
		    "strings, a sort object or an array of sort objects",
		    "{}");
	/* nested sorts exist only for relations */
	check_error("sort=name.x", ERR_VALIDATION, "Invalid key x at name",
		    INVALID_KEY("x", "\"name\"", "sort"));
	check_error("sort[name][x]=asc", ERR_VALIDATION,
		    "Invalid key x at name",
		    INVALID_KEY("x", "\"name\"", "sort"));
	check_error("sort=nope.x", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "sort"));
	/* the filters are checked before the sort */
	check_error("sort=nope&filters[zap]=1", ERR_VALIDATION,
		    "Invalid key zap", NULL);
}

/* ---- pagination -----------------------------------------------------------
 */

/* 'qs' must parse to the meta 'want' for 'total' rows. */
static void
check_meta(const char *qs, int64_t total, const char *want)
{
	struct query q;
	json_t *m;
	char *got;

	parse_ok(qs, &q);
	m = query_pagination_meta(&q, total);
	got = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (strcmp(got, want))
		fail_msg("%s\n  got:  %s\n  want: %s", qs, got, want);
	free(got);
	json_decref(m);
	query_release(&q);
}

/* 'qs' must parse to offset 'off' and limit 'lim'. */
static void
check_window(const char *qs, int64_t off, int64_t lim)
{
	struct query q;

	parse_ok(qs, &q);
	if (query_offset(&q) != off || query_limit(&q) != lim)
		fail_msg("%s: offset %" PRId64 " limit %" PRId64
			 ", want %" PRId64 " %" PRId64,
			 qs, query_offset(&q), query_limit(&q), off, lim);
	query_release(&q);
}

static void
test_pagination_table(void **state)
{
	(void)state;
	check_meta("", 5,
		   "{\"page\":1,\"pageSize\":25,\"pageCount\":1,\"total\":5}");
	check_window("", 0, 25);
	check_meta("pagination[page]=3&pagination[pageSize]=2", 5,
		   "{\"page\":3,\"pageSize\":2,\"pageCount\":3,\"total\":5}");
	check_window("pagination[page]=3&pagination[pageSize]=2", 4, 2);
	check_meta("pagination[page]=4&pagination[pageSize]=2", 5,
		   "{\"page\":4,\"pageSize\":2,\"pageCount\":3,\"total\":5}");
	check_meta(
	    "pagination[page]=100000", 5,
	    "{\"page\":100000,\"pageSize\":25,\"pageCount\":1,\"total\":5}");
	check_window("pagination[page]=2", 25, 25);
	check_meta("pagination[start]=1&pagination[limit]=2", 5,
		   "{\"start\":1,\"limit\":2,\"total\":5}");
	check_window("pagination[start]=1&pagination[limit]=2", 1, 2);
	check_meta("pagination[start]=1", 5,
		   "{\"start\":1,\"limit\":25,\"total\":5}");
	check_meta("pagination[limit]=2", 5,
		   "{\"start\":0,\"limit\":2,\"total\":5}");
	check_window("pagination[start]=10", 10, 25);
	/* clamping */
	check_window("pagination[pageSize]=1000", 0, 100);
	check_window("pagination[pageSize]=101", 0, 100);
	check_window("pagination[pageSize]=100", 0, 100);
	check_window("pagination[limit]=1000", 0, 100);
	/* quirk: 0, negative and "" become 1 */
	check_meta("pagination[pageSize]=0", 5,
		   "{\"page\":1,\"pageSize\":1,\"pageCount\":5,\"total\":5}");
	check_window("pagination[pageSize]=-1", 0, 1);
	check_window("pagination[pageSize]=", 0, 1);
	check_window("pagination[limit]=0", 0, 1);
	check_window("pagination[limit]=-1", 0, 1);
	/* quirk: not a number becomes the maximum */
	check_window("pagination[pageSize]=abc", 0, 100);
	check_window("pagination[limit]=abc", 0, 100);
	/* Number() parsing */
	check_window("pagination[pageSize]=1e1", 0, 10);
	check_meta("pagination[page]=1e1", 0,
		   "{\"page\":10,\"pageSize\":25,\"pageCount\":0,\"total\":0}");
	check_window("pagination[pageSize]=%202", 0, 2);
	check_window("pagination[pageSize]=2%20", 0, 2);
	check_window("pagination[pageSize]=%092%0A", 0, 2);
	check_window("pagination[pageSize]=%C2%A02", 0, 2);
	check_window("pagination[pageSize][0]=2", 0, 2);
	check_window("pagination[pageSize]=0x10", 0, 16);
	check_window("pagination[pageSize]=%2B3", 0, 3);
	check_window("pagination[pageSize]=3.", 0, 3);
	check_window("pagination[pageSize]=Infinity", 0, 100);
	check_window("pagination[pageSize][0]=2&pagination[pageSize][1]=3", 0,
		     100);
	check_window("pagination[pageSize][a]=2", 0, 100);
	/* page 0, -1, "" are page 1 */
	check_window("pagination[page]=0", 0, 25);
	check_window("pagination[page]=-1", 0, 25);
	check_window("pagination[page]=", 0, 25);
	check_window("pagination[page]=-Infinity", 0, 25);
	check_window("pagination[start]=-1", 0, 25);
	check_window("pagination[start]=", 0, 25);
	/* ignored */
	check_window("pagination=abc", 0, 25);
	check_window("pagination[0]=1", 0, 25);
	check_window("foo=bar", 0, 25);
	check_window("start=1&limit=2", 0, 25);
	check_window("pagination[foo]=1", 0, 25);
}

static void
test_pagination_errors(void **state)
{
	(void)state;
	check_error(
	    "pagination[page]=abc", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got NaN",
	    "{}");
	check_error(
	    "pagination[start]=abc", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got NaN",
	    "{}");
	check_error(
	    "pagination[page]=1.5", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got 12.5",
	    "{}");
	check_error(
	    "pagination[page]=1.5&pagination[pageSize]=3", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got 1.5",
	    "{}");
	check_error(
	    "pagination[start]=1.5", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got 1.5",
	    "{}");
	check_error(
	    "pagination[page]=Infinity", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got Infinity",
	    "{}");
	check_error(
	    "pagination[pageSize]=2.7", ERR_VALIDATION,
	    "convertLimitQueryParams expected a positive integer got 2.7",
	    "{}");
	check_error(
	    "pagination[limit]=2.7", ERR_VALIDATION,
	    "convertLimitQueryParams expected a positive integer got 2.7",
	    "{}");
	check_error(
	    "pagination[page]=1&pagination[limit]=2", ERR_PAGINATION,
	    "Cannot use both page & offset pagination in the same query", "{}");
	check_error(
	    "pagination[start]=0&pagination[pageSize]=2", ERR_PAGINATION,
	    "Cannot use both page & offset pagination in the same query", "{}");
	check_error(
	    "pagination[page]=&pagination[start]=", ERR_PAGINATION,
	    "Cannot use both page & offset pagination in the same query", "{}");
	check_error("page=2", ERR_PAGINATION,
		    "Invalid pagination attributes. The page parameters are "
		    "incorrect and must be in the pagination object",
		    "{}");
	check_error("pageSize=2", ERR_PAGINATION,
		    "Invalid pagination attributes. The page parameters are "
		    "incorrect and must be in the pagination object",
		    "{}");
	check_error("pagination[withCount]=abc", ERR_VALIDATION,
		    "Invalid withCount parameter. Expected "
		    "\"t\",\"1\",\"true\",\"false\",\"0\",\"f\"",
		    "{}");
	check_error("pagination[withCount]=", ERR_VALIDATION,
		    "Invalid withCount parameter. Expected "
		    "\"t\",\"1\",\"true\",\"false\",\"0\",\"f\"",
		    "{}");
	check_error("pagination[withCount][0]=true", ERR_VALIDATION,
		    "Invalid withCount parameter. Expected "
		    "\"t\",\"1\",\"true\",\"false\",\"0\",\"f\"",
		    "{}");
	/* offsets past 2^53 are refused rather than overflowing */
	check_error("pagination[page]=1e300", ERR_VALIDATION,
		    "Pagination offset is too large", "{}");
	check_error("pagination[start]=1e17", ERR_VALIDATION,
		    "Pagination offset is too large", "{}");
	/* order: key validation, then the mode, then the numbers */
	check_error("pagination[page]=1&pagination[limit]=2&sort=nope",
		    ERR_VALIDATION, "Invalid key nope", NULL);
	check_error(
	    "pagination[page]=abc&pagination[limit]=2", ERR_PAGINATION,
	    "Cannot use both page & offset pagination in the same query", NULL);
	check_error("pagination[page]=abc&sort=name:bad", ERR_VALIDATION,
		    "Invalid order. order can only be one of asc|desc|ASC|DESC",
		    NULL);
	check_error(
	    "pagination[page]=abc&filters[stock]=x", ERR_VALIDATION,
	    "convertStartQueryParams expected a positive integer got NaN",
	    NULL);
	check_error("pagination[withCount]=abc&filters[stock]=x",
		    ERR_VALIDATION,
		    "Invalid value \"x\" for stock: expected an integer", NULL);
}

static void
test_pagination_with_count(void **state)
{
	static const char *const yes[] = {"true", "t", "1"};
	static const char *const no[] = {"false", "f", "0"};
	char qs[96];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		snprintf(qs, sizeof(qs), "pagination[withCount]=%s", yes[i]);
		check_meta(
		    qs, 3,
		    "{\"page\":1,\"pageSize\":25,\"pageCount\":1,\"total\":3}");
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		snprintf(qs, sizeof(qs), "pagination[withCount]=%s", no[i]);
		check_meta(qs, 3, "{\"page\":1,\"pageSize\":25}");
		snprintf(qs, sizeof(qs),
			 "pagination[start]=0&pagination[limit]=2&pagination["
			 "withCount]=%s",
			 no[i]);
		check_meta(qs, 3, "{\"start\":0,\"limit\":2}");
	}
	check_meta("", 0,
		   "{\"page\":1,\"pageSize\":25,\"pageCount\":0,\"total\":0}");
	check_meta("pagination[pageSize]=2", 5,
		   "{\"page\":1,\"pageSize\":2,\"pageCount\":3,\"total\":5}");
	check_meta("pagination[pageSize]=5", 5,
		   "{\"page\":1,\"pageSize\":5,\"pageCount\":1,\"total\":5}");
	check_meta("pagination[pageSize]=5", 6,
		   "{\"page\":1,\"pageSize\":5,\"pageCount\":2,\"total\":6}");
}

static void
test_pagination_limits(void **state)
{
	struct query_limits lim = {10, 50, 10, 200, false};
	struct err e = ERR_INIT;
	struct query q;
	json_t *m;
	char *s;

	(void)state;
	query_init(&q);
	assert_int_equal(run_lim("pagination[pageSize]=abc", &lim, &q, &e), 0);
	assert_int_equal(query_limit(&q), 50);
	query_release(&q);
	query_init(&q);
	assert_int_equal(run_lim("", &lim, &q, &e), 0);
	assert_int_equal(query_limit(&q), 10);
	assert_false(q.pg.with_count);
	m = query_pagination_meta(&q, 7);
	s = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"page\":1,\"pageSize\":10}");
	free(s);
	json_decref(m);
	query_release(&q);
	query_init(&q);
	assert_int_equal(run_lim("pagination[withCount]=t", &lim, &q, &e), 0);
	assert_true(q.pg.with_count);
	query_release(&q);
	/* NULL limits are the defaults */
	{
		json_t *params = json_object();

		query_init(&q);
		assert_int_equal(query_parse(&ct, params, NULL, &q, &e), 0);
		assert_int_equal(query_limit(&q), 25);
		query_release(&q);
		json_decref(params);
	}
	/* NULL params are no params */
	query_init(&q);
	assert_int_equal(query_parse(&ct, NULL, NULL, &q, &e), 0);
	assert_null(q.filter);
	query_release(&q);
	err_release(&e);
}

/* ---- fields, populate, status ---------------------------------------------
 */

static void
check_fields(const char *qs, const char *want)
{
	struct query q;
	struct buf b = BUF_INIT;
	size_t i;

	parse_ok(qs, &q);
	if (!q.fields)
		buf_addstr(&b, "*");
	for (i = 0; q.fields && i < q.n_fields; i++)
		buf_addf(&b, "%s%s", i ? "," : "", q.fields[i]->name);
	if (strcmp(b.ptr, want))
		fail_msg("%s\n  got:  %s\n  want: %s", qs, b.ptr, want);
	buf_release(&b);
	query_release(&q);
}

static void
test_fields(void **state)
{
	(void)state;
	check_fields("", "*");
	check_fields("fields[0]=name&fields[1]=stock", "name,stock");
	check_fields("fields=name,stock", "name,stock");
	check_fields("fields=stock,name", "stock,name");
	check_fields("fields[]=stock&fields[]=name", "stock,name");
	check_fields("fields=stock&fields=name", "stock,name");
	check_fields("fields=name,%20stock%20", "name,stock");
	check_fields("fields[0]=name,stock&fields[1]=price",
		     "name,stock,price");
	check_fields("fields[0]=id", "id");
	check_fields("fields[0]=documentId", "documentId");
	check_fields("fields=createdAt,updatedAt,publishedAt",
		     "createdAt,updatedAt,publishedAt");
	check_fields("fields[0]=*", "*");
	check_fields("fields=name,*", "*");
	check_fields("fields=name,stock,name", "name,stock");
	check_fields("fields[0]=name&fields[1]=name", "name");
}

static void
test_fields_errors(void **state)
{
	(void)state;
	check_error("fields[0]=nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "fields"));
	check_error("fields=name,nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "null", "fields"));
	check_error("fields[0]=secretNote", ERR_VALIDATION,
		    "Invalid key secretNote",
		    INVALID_KEY("secretNote", "null", "fields"));
	check_error("fields=pin", ERR_VALIDATION, "Invalid key pin",
		    INVALID_KEY("pin", "null", "fields"));
	check_error("fields[name]=1", ERR_VALIDATION,
		    "Invalid fields parameter. Expected a string or an array "
		    "of strings",
		    "{}");
	check_error("fields[0][a]=1", ERR_VALIDATION,
		    "Invalid fields parameter. Expected a string or an array "
		    "of strings",
		    "{}");
	check_error("fields=", ERR_VALIDATION,
		    "Invalid fields parameter. Field names cannot be empty",
		    "{}");
	check_error("fields=name,", ERR_VALIDATION,
		    "Invalid fields parameter. Field names cannot be empty",
		    "{}");
	/* order: sort keys before fields keys */
	check_error("fields=nope&sort=zap", ERR_VALIDATION, "Invalid key zap",
		    NULL);
}

static void
test_populate(void **state)
{
	struct query q;

	(void)state;
	parse_ok("populate=*", &q);
	query_release(&q);
	parse_ok("populate=", &q);
	query_release(&q);
	parse_ok("populate[0]=*", &q);
	query_release(&q);
	check_error("populate=nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "\"nope\"", "populate"));
	check_error("populate=*,nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "\"nope\"", "populate"));
	check_error("populate[0]=nope", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "\"nope\"", "populate"));
	check_error("populate[nope]=true", ERR_VALIDATION, "Invalid key nope",
		    INVALID_KEY("nope", "\"nope\"", "populate"));
	check_error("populate[nope][fields][0]=x", ERR_VALIDATION,
		    "Invalid key nope",
		    INVALID_KEY("nope", "\"nope\"", "populate"));
	/* even attribute names: there is nothing to populate */
	check_error("populate=name", ERR_VALIDATION, "Invalid key name",
		    INVALID_KEY("name", "\"name\"", "populate"));
	/* after fields */
	check_error("populate=nope&fields=zap", ERR_VALIDATION,
		    "Invalid key zap", NULL);
}

static void
test_status(void **state)
{
	struct query q;

	(void)state;
	parse_ok("", &q);
	assert_false(q.status_given);
	assert_int_equal(q.status, STATUS_PUBLISHED);
	assert_int_equal(q.has_published, -1);
	query_release(&q);
	parse_ok("status=published", &q);
	assert_true(q.status_given);
	assert_int_equal(q.status, STATUS_PUBLISHED);
	query_release(&q);
	parse_ok("status=draft", &q);
	assert_true(q.status_given);
	assert_int_equal(q.status, STATUS_DRAFT);
	query_release(&q);
	parse_ok("status=bogus", &q);
	assert_int_equal(q.status, STATUS_DRAFT);
	query_release(&q);
	parse_ok("status=", &q);
	assert_true(q.status_given);
	assert_int_equal(q.status, STATUS_DRAFT);
	query_release(&q);
	parse_ok("status[0]=published", &q);
	assert_int_equal(q.status, STATUS_DRAFT);
	query_release(&q);
	parse_ok("status=draft&hasPublishedVersion=true", &q);
	assert_int_equal(q.has_published, 1);
	query_release(&q);
	parse_ok("status=draft&hasPublishedVersion=false", &q);
	assert_int_equal(q.has_published, 0);
	query_release(&q);
	parse_ok("hasPublishedVersion=maybe", &q);
	assert_int_equal(q.has_published, -1);
	query_release(&q);
	parse_ok("locale=fr&foo=bar&_q=x", &q);
	assert_false(q.status_given);
	query_release(&q);
}

/* ---- the query object ---------------------------------------------------- */

static void
test_query_lifecycle(void **state)
{
	struct query q;
	struct err e = ERR_INIT;

	(void)state;
	query_init(&q);
	assert_null(q.filter);
	assert_false(q.pg.offset_mode);
	assert_int_equal(q.pg.page, 1);
	assert_true(q.pg.with_count);
	assert_int_equal(q.has_published, -1);
	query_release(&q);
	query_release(&q);

	/* a second parse replaces the first */
	assert_int_equal(run_lim("filters[name]=a&sort=name&fields=name",
				 &lim_default, &q, &e),
			 0);
	assert_non_null(q.filter);
	assert_int_equal(run_lim("sort=stock:desc", &lim_default, &q, &e), 0);
	assert_null(q.filter);
	assert_null(q.fields);
	assert_int_equal(q.n_sort, 1);
	assert_ptr_equal(q.sort[0].field, fld("stock"));
	assert_true(q.sort[0].desc);
	/* a failed parse keeps it */
	assert_int_equal(run_lim("sort=nope", &lim_default, &q, &e),
			 ERR_VALIDATION);
	assert_int_equal(q.n_sort, 1);
	query_release(&q);
	err_release(&e);

	/* fields point into the content type */
	parse_ok("fields=name&filters[stock]=1", &q);
	assert_ptr_equal(q.fields[0], fld("name"));
	assert_ptr_equal(q.filter->field, fld("stock"));
	query_release(&q);

	/* offsets of hand-made queries do not overflow */
	query_init(&q);
	q.pg.page = INT64_MAX;
	q.pg.page_size = 100;
	assert_int_equal(query_offset(&q), INT64_MAX);
	q.pg.page = 0;
	assert_int_equal(query_offset(&q), 0);
	query_release(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_filter_none),
	    cmocka_unit_test(test_filter_eq),
	    cmocka_unit_test(test_filter_operators),
	    cmocka_unit_test(test_filter_system_fields),
	    cmocka_unit_test(test_filter_null_values),
	    cmocka_unit_test(test_filter_in_dropped),
	    cmocka_unit_test(test_filter_logical),
	    cmocka_unit_test(test_filter_invalid_keys),
	    cmocka_unit_test(test_filter_invalid_values),
	    cmocka_unit_test(test_filter_bounds),
	    cmocka_unit_test(test_sort),
	    cmocka_unit_test(test_sort_errors),
	    cmocka_unit_test(test_pagination_table),
	    cmocka_unit_test(test_pagination_errors),
	    cmocka_unit_test(test_pagination_with_count),
	    cmocka_unit_test(test_pagination_limits),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_fields_errors),
	    cmocka_unit_test(test_populate),
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_query_lifecycle),
	};

	return cmocka_run_group_tests(tests, setup_ct, teardown_ct);
}
