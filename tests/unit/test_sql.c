/* SPDX-License-Identifier: MIT */
/*
 * test_sql.c: query/sql.c renders filters and sort keys as SQL text plus a
 * bind list; values never reach the text.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "query/sql.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

static char n_id[] = "id", n_name[] = "name", c_name[] = "name";
static char n_stock[] = "stock", n_rel[] = "releaseDate";
static char c_rel[] = "release_date", n_odd[] = "odd", c_odd[] = "we\"ird";

static struct field f_id = {
    .name = n_id, .column = n_id, .type = ATTR_INTEGER, .sys = SYS_ID};
static struct field f_name = {
    .name = n_name, .column = c_name, .type = ATTR_STRING};
static struct field f_stock = {
    .name = n_stock, .column = n_stock, .type = ATTR_INTEGER};
static struct field f_rel = {.name = n_rel, .column = c_rel, .type = ATTR_DATE};
static struct field f_odd = {
    .name = n_odd, .column = c_odd, .type = ATTR_STRING};

static struct sqlval
vtext(const char *s)
{
	struct sqlval v = {SV_TEXT, 0, 0, xstrdup(s)};

	return v;
}

static struct sqlval
vint(int64_t i)
{
	struct sqlval v = {SV_INT, i, 0, NULL};

	return v;
}

static struct sqlval
vreal(double d)
{
	struct sqlval v = {SV_REAL, 0, d, NULL};

	return v;
}

static struct sqlval
vnull(void)
{
	struct sqlval v = {SV_NULL, 0, 0, NULL};

	return v;
}

/* A condition owning 'n' values (taken from the arguments). */
static struct filter *
cond(const struct field *f, enum filter_op op, size_t n, ...)
{
	struct filter *c = xcalloc(1, sizeof(*c));
	va_list ap;
	size_t i;

	c->kind = FILTER_COND;
	c->field = f;
	c->op = op;
	c->n_values = n;
	c->values = xcalloc(n ? n : 1, sizeof(*c->values));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		c->values[i] = va_arg(ap, struct sqlval);
	va_end(ap);
	return c;
}

static struct filter *
flagcond(const struct field *f, enum filter_op op, bool flag)
{
	struct filter *c = cond(f, op, 0);

	c->flag = flag;
	return c;
}

static struct filter *
group(enum filter_kind kind, size_t n, ...)
{
	struct filter *g = xcalloc(1, sizeof(*g));
	va_list ap;
	size_t i;

	g->kind = kind;
	g->n_children = n;
	g->children = xcalloc(n ? n : 1, sizeof(*g->children));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		g->children[i] = va_arg(ap, struct filter *);
	va_end(ap);
	return g;
}

static void
filter_free(struct filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n_children; i++)
		filter_free(f->children[i]);
	free(f->children);
	for (i = 0; i < f->n_values; i++)
		sqlval_release(&f->values[i]);
	free(f->values);
	free(f);
}

struct rendered {
	struct buf sql;
	struct sql_binds binds;
};

static void
render_with(const struct sql_dialect *d, struct filter *f, struct rendered *r)
{
	buf_init(&r->sql);
	sql_binds_init(&r->binds);
	sql_render_filter(d, f, &r->sql, &r->binds);
	filter_free(f);
}

static void
render(struct filter *f, struct rendered *r)
{
	render_with(&sql_dialect_sqlite, f, r);
}

static void
rendered_release(struct rendered *r)
{
	buf_release(&r->sql);
	sql_binds_release(&r->binds);
}

static void
expect(struct filter *f, const char *sql, size_t n_binds)
{
	struct rendered r;

	render(f, &r);
	assert_string_equal(r.sql.ptr, sql);
	assert_int_equal(r.binds.n, n_binds);
	rendered_release(&r);
}

static void
test_null_and_true(void **state)
{
	struct filter *t = xcalloc(1, sizeof(*t));

	(void)state;
	expect(NULL, "1=1", 0);
	t->kind = FILTER_TRUE;
	expect(t, "1=1", 0);
	expect(group(FILTER_AND, 0), "1=1", 0);
	expect(group(FILTER_OR, 0), "1=1", 0);
}

static void
test_eq_family(void **state)
{
	struct rendered r;

	(void)state;
	render(cond(&f_name, OP_EQ, 1, vtext("Apple")), &r);
	assert_string_equal(r.sql.ptr, "\"name\" = ?");
	assert_int_equal(r.binds.n, 1);
	assert_int_equal(r.binds.v[0].kind, SV_TEXT);
	assert_string_equal(r.binds.v[0].s, "Apple");
	rendered_release(&r);

	render(cond(&f_name, OP_EQ, 2, vtext("Apple"), vtext("date")), &r);
	assert_string_equal(r.sql.ptr, "\"name\" IN (?, ?)");
	assert_int_equal(r.binds.n, 2);
	assert_string_equal(r.binds.v[1].s, "date");
	rendered_release(&r);

	expect(cond(&f_name, OP_EQI, 1, vtext("apple")),
	       "LOWER(\"name\") = LOWER(?)", 1);
	expect(cond(&f_stock, OP_NE, 1, vint(10)), "\"stock\" <> ?", 1);
	expect(cond(&f_name, OP_NEI, 1, vtext("apple")),
	       "LOWER(\"name\") <> LOWER(?)", 1);
	expect(cond(&f_name, OP_EQ, 1, vnull()), "\"name\" IS NULL", 0);
	expect(cond(&f_name, OP_NE, 1, vnull()), "\"name\" IS NOT NULL", 0);
}

static void
test_comparisons(void **state)
{
	struct rendered r;

	(void)state;
	expect(cond(&f_stock, OP_LT, 1, vint(20)), "\"stock\" < ?", 1);
	expect(cond(&f_stock, OP_LTE, 1, vint(20)), "\"stock\" <= ?", 1);
	expect(cond(&f_stock, OP_GT, 1, vint(20)), "\"stock\" > ?", 1);
	expect(cond(&f_rel, OP_GTE, 1, vtext("2024-01-15")),
	       "\"release_date\" >= ?", 1);

	render(cond(&f_stock, OP_BETWEEN, 2, vint(10), vint(20)), &r);
	assert_string_equal(r.sql.ptr, "(\"stock\" >= ? AND \"stock\" <= ?)");
	assert_int_equal(r.binds.n, 2);
	assert_int_equal(r.binds.v[0].kind, SV_INT);
	assert_int_equal(r.binds.v[0].i, 10);
	assert_int_equal(r.binds.v[1].i, 20);
	rendered_release(&r);
	expect(cond(&f_stock, OP_BETWEEN, 1, vint(10)), "1=0", 0);
}

static void
test_in_lists(void **state)
{
	(void)state;
	expect(cond(&f_stock, OP_IN, 2, vint(10), vint(30)),
	       "\"stock\" IN (?, ?)", 2);
	expect(cond(&f_stock, OP_IN, 1, vint(10)), "\"stock\" IN (?)", 1);
	expect(cond(&f_stock, OP_NOTIN, 2, vint(10), vint(30)),
	       "\"stock\" NOT IN (?, ?)", 2);
	/* an empty list: IN matches nothing, NOT IN everything */
	expect(cond(&f_stock, OP_IN, 0), "1=0", 0);
	expect(cond(&f_stock, OP_NOTIN, 0), "1=1", 0);
	expect(cond(&f_stock, OP_EQ, 0), "1=0", 0);
}

static void
expect_like(enum filter_op op, const char *value, const char *sql,
	    const char *pattern)
{
	struct rendered r;

	render(cond(&f_name, op, 1, vtext(value)), &r);
	assert_string_equal(r.sql.ptr, sql);
	assert_int_equal(r.binds.n, 1);
	assert_int_equal(r.binds.v[0].kind, SV_TEXT);
	assert_string_equal(r.binds.v[0].s, pattern);
	rendered_release(&r);
}

static void
test_like_family(void **state)
{
	(void)state;
	expect_like(OP_CONTAINS, "an", "\"name\" LIKE ? ESCAPE '\\'", "%an%");
	expect_like(OP_NOTCONTAINS, "an", "\"name\" NOT LIKE ? ESCAPE '\\'",
		    "%an%");
	expect_like(OP_CONTAINSI, "FRUIT",
		    "LOWER(\"name\") LIKE LOWER(?) ESCAPE '\\'", "%FRUIT%");
	expect_like(OP_NOTCONTAINSI, "fruit",
		    "LOWER(\"name\") NOT LIKE LOWER(?) ESCAPE '\\'", "%fruit%");
	expect_like(OP_STARTSWITH, "A", "\"name\" LIKE ? ESCAPE '\\'", "A%");
	expect_like(OP_STARTSWITHI, "a",
		    "LOWER(\"name\") LIKE LOWER(?) ESCAPE '\\'", "a%");
	expect_like(OP_ENDSWITH, "y", "\"name\" LIKE ? ESCAPE '\\'", "%y");
	expect_like(OP_ENDSWITHI, "Y",
		    "LOWER(\"name\") LIKE LOWER(?) ESCAPE '\\'", "%Y");
}

static void
test_like_escaping(void **state)
{
	struct rendered r;

	(void)state;
	expect_like(OP_CONTAINS, "%", "\"name\" LIKE ? ESCAPE '\\'", "%\\%%");
	expect_like(OP_CONTAINS, "_", "\"name\" LIKE ? ESCAPE '\\'", "%\\_%");
	expect_like(OP_STARTSWITH, "50%_off\\x", "\"name\" LIKE ? ESCAPE '\\'",
		    "50\\%\\_off\\\\x%");

	/* numbers are matched through their text form */
	render(cond(&f_stock, OP_CONTAINS, 1, vint(10)), &r);
	assert_string_equal(r.binds.v[0].s, "%10%");
	rendered_release(&r);
	render(cond(&f_stock, OP_ENDSWITH, 1, vreal(1.5)), &r);
	assert_string_equal(r.binds.v[0].s, "%1.5");
	rendered_release(&r);
	/* NULL stays NULL and matches nothing */
	render(cond(&f_stock, OP_CONTAINS, 1, vnull()), &r);
	assert_int_equal(r.binds.n, 1);
	assert_int_equal(r.binds.v[0].kind, SV_NULL);
	rendered_release(&r);
}

static void
test_null_ops(void **state)
{
	(void)state;
	expect(flagcond(&f_name, OP_NULL, true), "\"name\" IS NULL", 0);
	expect(flagcond(&f_name, OP_NULL, false), "\"name\" IS NOT NULL", 0);
	expect(flagcond(&f_name, OP_NOTNULL, true), "\"name\" IS NOT NULL", 0);
	expect(flagcond(&f_name, OP_NOTNULL, false), "\"name\" IS NULL", 0);
}

static void
test_logic(void **state)
{
	struct rendered r;

	(void)state;
	render(group(FILTER_AND, 2,
		     group(FILTER_OR, 2, cond(&f_name, OP_EQ, 1, vtext("A")),
			   cond(&f_stock, OP_GTE, 1, vint(30))),
		     group(FILTER_NOT, 1, cond(&f_name, OP_EQ, 1, vtext("B")))),
	       &r);
	assert_string_equal(r.sql.ptr, "((\"name\" = ? OR \"stock\" >= ?) AND "
				       "NOT (\"name\" = ?))");
	assert_int_equal(r.binds.n, 3);
	assert_string_equal(r.binds.v[0].s, "A");
	assert_int_equal(r.binds.v[1].i, 30);
	assert_string_equal(r.binds.v[2].s, "B");
	rendered_release(&r);
}

static void
test_values_never_in_text(void **state)
{
	static const char *const evil[] = {
	    "x'); DROP TABLE products; --",
	    "\" OR 1=1 --",
	    "Robert'); DELETE FROM strapi_api_tokens;--",
	    "%' OR '1'='1",
	};
	struct rendered r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(evil); i++) {
		render(
		    group(FILTER_OR, 3, cond(&f_name, OP_EQ, 1, vtext(evil[i])),
			  cond(&f_name, OP_CONTAINSI, 1, vtext(evil[i])),
			  cond(&f_name, OP_IN, 2, vtext(evil[i]), vtext("ok"))),
		    &r);
		assert_null(strstr(r.sql.ptr, "DROP"));
		assert_null(strstr(r.sql.ptr, "DELETE"));
		assert_null(strstr(r.sql.ptr, "'1'"));
		assert_null(strstr(r.sql.ptr, "1=1"));
		assert_null(strchr(r.sql.ptr, ';'));
		assert_int_equal(r.binds.n, 4);
		assert_string_equal(r.binds.v[0].s, evil[i]);
		assert_string_equal(r.binds.v[2].s, evil[i]);
		rendered_release(&r);
	}
}

static void
test_quote_ident(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	sql_quote_ident(&b, "plain");
	assert_string_equal(b.ptr, "\"plain\"");
	buf_reset(&b);
	sql_quote_ident(&b, "a\"b");
	assert_string_equal(b.ptr, "\"a\"\"b\"");
	buf_release(&b);
	expect(cond(&f_odd, OP_EQ, 1, vtext("x")), "\"we\"\"ird\" = ?", 1);
}

static void
test_pg_dialect(void **state)
{
	struct rendered r;

	(void)state;
	render_with(&sql_dialect_pg,
		    group(FILTER_AND, 3, cond(&f_name, OP_EQ, 1, vtext("a")),
			  cond(&f_stock, OP_BETWEEN, 2, vint(1), vint(2)),
			  cond(&f_name, OP_CONTAINSI, 1, vtext("B"))),
		    &r);
	assert_string_equal(r.sql.ptr,
			    "(\"name\" = $1 AND (\"stock\" >= $2 AND "
			    "\"stock\" <= $3) AND \"name\" ILIKE $4 "
			    "ESCAPE '\\')");
	assert_int_equal(r.binds.n, 4);
	assert_string_equal(r.binds.v[3].s, "%B%");
	rendered_release(&r);
}

static void
test_binds_copy(void **state)
{
	struct sql_binds b;
	struct sqlval v = vtext("hello");

	(void)state;
	sql_binds_init(&b);
	sql_binds_push(&b, &v);
	sqlval_release(&v);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.v[0].s, "hello");
	sql_binds_release(&b);
	assert_int_equal(b.n, 0);
	assert_null(b.v);
}

static void
expect_order(struct sort_key *keys, size_t n, const char *sql)
{
	struct buf b = BUF_INIT;
	struct query q;

	memset(&q, 0, sizeof(q));
	q.sort = keys;
	q.n_sort = n;
	sql_render_order(&q, &b);
	assert_string_equal(b.ptr, sql);
	buf_release(&b);
}

static void
test_order(void **state)
{
	struct sort_key k1[] = {{&f_name, false}};
	struct sort_key k2[] = {{&f_rel, false}, {&f_stock, true}};
	struct sort_key k3[] = {{&f_id, true}, {&f_name, false}};
	struct buf b = BUF_INIT;

	(void)state;
	expect_order(NULL, 0, "ORDER BY \"id\" ASC");
	expect_order(k1, 1, "ORDER BY \"name\" ASC, \"id\" ASC");
	expect_order(k2, 2,
		     "ORDER BY \"release_date\" ASC, \"stock\" DESC, "
		     "\"id\" ASC");
	/* id already a key: no tiebreak */
	expect_order(k3, 2, "ORDER BY \"id\" DESC, \"name\" ASC");
	sql_render_order(NULL, &b);
	assert_string_equal(b.ptr, "ORDER BY \"id\" ASC");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_null_and_true),
	    cmocka_unit_test(test_eq_family),
	    cmocka_unit_test(test_comparisons),
	    cmocka_unit_test(test_in_lists),
	    cmocka_unit_test(test_like_family),
	    cmocka_unit_test(test_like_escaping),
	    cmocka_unit_test(test_null_ops),
	    cmocka_unit_test(test_logic),
	    cmocka_unit_test(test_values_never_in_text),
	    cmocka_unit_test(test_quote_ident),
	    cmocka_unit_test(test_pg_dialect),
	    cmocka_unit_test(test_binds_copy),
	    cmocka_unit_test(test_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
