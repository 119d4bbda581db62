/* SPDX-License-Identifier: MIT */
/*
 * sql.c: render filters and sort keys as SQL text with placeholders for
 * SQLite and PostgreSQL. Identifiers come from the schema only; every value
 * a request carries goes to the bind list, never into the text. Building
 * whole statements (tables, limits, draft & publish) is the backends' job.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/mem.h"
#include "query/sql.h"

#include <inttypes.h>

static void
placeholder_sqlite(struct buf *sql, size_t n)
{
	(void)n;
	buf_addch(sql, '?');
}

static void
placeholder_pg(struct buf *sql, size_t n)
{
	buf_addf(sql, "$%zu", n);
}

const struct sql_dialect sql_dialect_sqlite = {placeholder_sqlite, false,
					       false};
const struct sql_dialect sql_dialect_pg = {placeholder_pg, true, true};

enum sqlval_kind
sql_column_kind(const struct field *f)
{
	switch (f->sys) {
	case SYS_ID:
	case SYS_CREATED_AT:
	case SYS_UPDATED_AT:
	case SYS_PUBLISHED_AT:
		return SV_INT;
	case SYS_DOCUMENT_ID:
		return SV_TEXT;
	case SYS_NONE:
	default:
		break;
	}
	switch (f->type) {
	case ATTR_INTEGER:
	case ATTR_BIGINTEGER:
	case ATTR_BOOLEAN:
	case ATTR_DATETIME:
		return SV_INT;
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		return SV_REAL;
	default:
		return SV_TEXT;
	}
}

void
sql_binds_init(struct sql_binds *b)
{
	b->v = NULL;
	b->n = 0;
	b->alloc = 0;
}

void
sql_binds_release(struct sql_binds *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		sqlval_release(&b->v[i]);
	free(b->v);
	sql_binds_init(b);
}

/* Take ownership of '*v' (its text, if any) as the next bind value. */
static void
binds_push_owned(struct sql_binds *b, struct sqlval *v)
{
	if (b->n == b->alloc) {
		b->alloc = b->alloc ? b->alloc * 2 : 8;
		b->v = xrealloc(b->v, b->alloc * sizeof(*b->v));
	}
	b->v[b->n++] = *v;
}

void
sql_binds_push(struct sql_binds *b, const struct sqlval *v)
{
	struct sqlval copy = *v;

	if (v->kind == SV_TEXT)
		copy.s = xstrdup(v->s ? v->s : "");
	else
		copy.s = NULL;
	binds_push_owned(b, &copy);
}

void
sql_quote_ident(struct buf *sql, const char *ident)
{
	const char *q;

	/*
	 * Whole runs between quotes at once: a list renders a few hundred
	 * identifier bytes per request, and a call per byte showed.
	 */
	buf_addch(sql, '"');
	while ((q = strchr(ident, '"')) != NULL) {
		buf_add(sql, ident, (size_t)(q - ident) + 1);
		buf_addch(sql, '"'); /* doubled */
		ident = q + 1;
	}
	buf_addstr(sql, ident);
	buf_addch(sql, '"');
}

/* Push 'v' and append its placeholder. */
static void
add_value(const struct sql_dialect *d, const struct sqlval *v, struct buf *sql,
	  struct sql_binds *binds)
{
	sql_binds_push(binds, v);
	d->placeholder(sql, binds->n);
}

/* The same, read as text when 'as_text' (strictly typed dialects). */
static void
add_value_as(const struct sql_dialect *d, const struct sqlval *v,
	     struct buf *sql, struct sql_binds *binds, bool as_text)
{
	if (!as_text) {
		add_value(d, v, sql, binds);
		return;
	}
	buf_addstr(sql, "CAST(");
	add_value(d, v, sql, binds);
	buf_addstr(sql, " AS TEXT)");
}

enum like_shape { LIKE_CONTAINS, LIKE_STARTS, LIKE_ENDS };

/*
 * The LIKE pattern for 'v': its text form with %, _ and \ escaped by \,
 * wrapped in % as the shape asks. A NULL value stays NULL (matches nothing).
 */
static void
like_pattern(const struct sqlval *v, enum like_shape shape, struct sqlval *out)
{
	struct buf b = BUF_INIT;
	char num[64];
	const char *src, *p;

	out->kind = SV_TEXT;
	out->i = 0;
	out->d = 0;
	switch (v->kind) {
	case SV_NULL:
		out->kind = SV_NULL;
		out->s = NULL;
		return;
	case SV_INT:
		snprintf(num, sizeof(num), "%" PRId64, v->i);
		src = num;
		break;
	case SV_REAL:
		snprintf(num, sizeof(num), "%.15g", v->d);
		src = num;
		break;
	case SV_TEXT:
	default:
		src = v->s ? v->s : "";
		break;
	}
	if (shape != LIKE_STARTS)
		buf_addch(&b, '%');
	for (p = src; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addch(&b, '\\');
		buf_addch(&b, *p);
	}
	if (shape != LIKE_ENDS)
		buf_addch(&b, '%');
	out->s = buf_detach(&b, NULL);
}

static void
add_column(struct buf *sql, const struct field *f)
{
	sql_quote_ident(sql, f->column);
}

/*
 * The column as text. On a strictly typed database a number reads as
 * SQLite's text form of it: integers plainly; reals with 15 significant
 * digits (the float-to-numeric cast rounds so) and ".0" when that shows no
 * point, as SQLite's "%!.15g" (in exponent range the server's own form).
 */
static void
add_column_text(const struct sql_dialect *d, struct buf *sql,
		const struct field *f)
{
	enum sqlval_kind k = sql_column_kind(f);

	if (!d->strict_types || k == SV_TEXT) {
		add_column(sql, f);
		return;
	}
	if (k == SV_INT) {
		buf_addstr(sql, "CAST(");
		add_column(sql, f);
		buf_addstr(sql, " AS TEXT)");
		return;
	}
	buf_addstr(sql, "(CASE WHEN ");
	add_column(sql, f);
	buf_addstr(sql, " = 0 OR (abs(");
	add_column(sql, f);
	buf_addstr(sql, ") >= 1e-4 AND abs(");
	add_column(sql, f);
	buf_addstr(sql, ") < 1e15) THEN CAST(CAST(");
	add_column(sql, f);
	buf_addstr(sql, " AS NUMERIC) AS TEXT) || CASE WHEN strpos(CAST(CAST(");
	add_column(sql, f);
	buf_addstr(sql, " AS NUMERIC) AS TEXT), '.') = 0 THEN '.0' ELSE '' END"
			" ELSE CAST(");
	add_column(sql, f);
	buf_addstr(sql, " AS TEXT) END)");
}

/*
 * Strictly typed: would comparing 'v' with the column raise a type error
 * (text against a number)? SQLite compares such pairs; here both sides
 * are then compared as text.
 */
static bool
kind_mismatch(const struct sql_dialect *d, const struct field *f,
	      const struct sqlval *v)
{
	if (!d->strict_types || v->kind == SV_NULL)
		return false;
	if (sql_column_kind(f) == SV_TEXT)
		return v->kind != SV_TEXT;
	return v->kind == SV_TEXT;
}

/* The column for a comparison, as text when 'as_text'. */
static void
add_operand(const struct sql_dialect *d, struct buf *sql, const struct field *f,
	    bool as_text)
{
	if (as_text)
		add_column_text(d, sql, f);
	else
		add_column(sql, f);
}

/*
 * "col [NOT] LIKE ? ESCAPE '\'". Case-insensitive forms compare lowered
 * text on SQLite and use ILIKE on PostgreSQL. SQLite's LIKE is already
 * case-insensitive for ASCII, which Strapi on SQLite also shows.
 */
static void
render_like(const struct sql_dialect *d, const struct filter *f,
	    enum like_shape shape, bool negate, bool ci, struct buf *sql,
	    struct sql_binds *binds)
{
	struct sqlval pat;
	const char *op;

	like_pattern(&f->values[0], shape, &pat);
	if (d->strict_types) {
		/* SQLite's LIKE folds ASCII case, as ILIKE does under "C" */
		add_column_text(d, sql, f->field);
		buf_addstr(sql, negate ? " NOT ILIKE " : " ILIKE ");
		binds_push_owned(binds, &pat);
		d->placeholder(sql, binds->n);
		buf_addstr(sql, " ESCAPE '\\'");
		return;
	}
	if (ci && !d->like_case_sensitive) {
		buf_addstr(sql, "LOWER(");
		add_column(sql, f->field);
		buf_addstr(sql, negate ? ") NOT LIKE LOWER(" : ") LIKE LOWER(");
		binds_push_owned(binds, &pat);
		d->placeholder(sql, binds->n);
		buf_addstr(sql, ") ESCAPE '\\'");
		return;
	}
	if (ci)
		op = negate ? " NOT ILIKE " : " ILIKE ";
	else
		op = negate ? " NOT LIKE " : " LIKE ";
	add_column(sql, f->field);
	buf_addstr(sql, op);
	binds_push_owned(binds, &pat);
	d->placeholder(sql, binds->n);
	buf_addstr(sql, " ESCAPE '\\'");
}

/* "col <op> ?" for one value. */
static void
render_cmp(const struct sql_dialect *d, const struct filter *f, const char *op,
	   struct buf *sql, struct sql_binds *binds)
{
	bool as_text = kind_mismatch(d, f->field, &f->values[0]);

	add_operand(d, sql, f->field, as_text);
	buf_addf(sql, " %s ", op);
	add_value_as(d, &f->values[0], sql, binds, as_text);
}

/*
 * "LOWER(col) <op> LOWER(?)" for one value. Strictly typed, the value is
 * lowered under "C" too (ASCII only, as SQLite's LOWER()).
 */
static void
render_cmp_ci(const struct sql_dialect *d, const struct filter *f,
	      const char *op, struct buf *sql, struct sql_binds *binds)
{
	buf_addstr(sql, "LOWER(");
	add_column_text(d, sql, f->field);
	buf_addf(sql, ") %s LOWER(", op);
	if (d->strict_types) {
		add_value_as(d, &f->values[0], sql, binds, true);
		buf_addstr(sql, " COLLATE \"C\")");
		return;
	}
	add_value(d, &f->values[0], sql, binds);
	buf_addch(sql, ')');
}

/* "col [NOT] IN (?, ...)"; an empty list is false for IN, true for NOT IN. */
static void
render_in(const struct sql_dialect *d, const struct filter *f, bool negate,
	  struct buf *sql, struct sql_binds *binds)
{
	bool as_text = false;
	size_t i;

	if (f->n_values == 0) {
		buf_addstr(sql, negate ? "1=1" : "1=0");
		return;
	}
	for (i = 0; i < f->n_values; i++)
		as_text = as_text || kind_mismatch(d, f->field, &f->values[i]);
	add_operand(d, sql, f->field, as_text);
	buf_addstr(sql, negate ? " NOT IN (" : " IN (");
	for (i = 0; i < f->n_values; i++) {
		if (i)
			buf_addstr(sql, ", ");
		add_value_as(d, &f->values[i], sql, binds, as_text);
	}
	buf_addch(sql, ')');
}

static void
render_null(const struct filter *f, bool is_null, struct buf *sql)
{
	add_column(sql, f->field);
	buf_addstr(sql, is_null ? " IS NULL" : " IS NOT NULL");
}

static void
render_cond(const struct sql_dialect *d, const struct filter *f,
	    struct buf *sql, struct sql_binds *binds)
{
	bool as_text;

	if (!f->field) {
		buf_addstr(sql, "1=0");
		return;
	}
	switch (f->op) {
	case OP_NULL:
		render_null(f, f->flag, sql);
		return;
	case OP_NOTNULL:
		render_null(f, !f->flag, sql);
		return;
	case OP_IN:
		render_in(d, f, false, sql, binds);
		return;
	case OP_NOTIN:
		render_in(d, f, true, sql, binds);
		return;
	case OP_EQ:
		if (f->n_values > 1) {
			render_in(d, f, false, sql, binds);
			return;
		}
		break;
	case OP_BETWEEN:
		if (f->n_values < 2) {
			buf_addstr(sql, "1=0");
			return;
		}
		as_text = kind_mismatch(d, f->field, &f->values[0]) ||
			  kind_mismatch(d, f->field, &f->values[1]);
		buf_addch(sql, '(');
		add_operand(d, sql, f->field, as_text);
		buf_addstr(sql, " >= ");
		add_value_as(d, &f->values[0], sql, binds, as_text);
		buf_addstr(sql, " AND ");
		add_operand(d, sql, f->field, as_text);
		buf_addstr(sql, " <= ");
		add_value_as(d, &f->values[1], sql, binds, as_text);
		buf_addch(sql, ')');
		return;
	default:
		break;
	}

	/* Every remaining operator takes exactly one value. */
	if (f->n_values == 0) {
		buf_addstr(sql, "1=0");
		return;
	}
	switch (f->op) {
	case OP_EQ:
		/* as knex does for where(col, null) */
		if (f->values[0].kind == SV_NULL)
			render_null(f, true, sql);
		else
			render_cmp(d, f, "=", sql, binds);
		break;
	case OP_NE:
		if (f->values[0].kind == SV_NULL)
			render_null(f, false, sql);
		else
			render_cmp(d, f, "<>", sql, binds);
		break;
	case OP_EQI:
		render_cmp_ci(d, f, "=", sql, binds);
		break;
	case OP_NEI:
		render_cmp_ci(d, f, "<>", sql, binds);
		break;
	case OP_LT:
		render_cmp(d, f, "<", sql, binds);
		break;
	case OP_LTE:
		render_cmp(d, f, "<=", sql, binds);
		break;
	case OP_GT:
		render_cmp(d, f, ">", sql, binds);
		break;
	case OP_GTE:
		render_cmp(d, f, ">=", sql, binds);
		break;
	case OP_CONTAINS:
		render_like(d, f, LIKE_CONTAINS, false, false, sql, binds);
		break;
	case OP_NOTCONTAINS:
		render_like(d, f, LIKE_CONTAINS, true, false, sql, binds);
		break;
	case OP_CONTAINSI:
		render_like(d, f, LIKE_CONTAINS, false, true, sql, binds);
		break;
	case OP_NOTCONTAINSI:
		render_like(d, f, LIKE_CONTAINS, true, true, sql, binds);
		break;
	case OP_STARTSWITH:
		render_like(d, f, LIKE_STARTS, false, false, sql, binds);
		break;
	case OP_STARTSWITHI:
		render_like(d, f, LIKE_STARTS, false, true, sql, binds);
		break;
	case OP_ENDSWITH:
		render_like(d, f, LIKE_ENDS, false, false, sql, binds);
		break;
	case OP_ENDSWITHI:
		render_like(d, f, LIKE_ENDS, false, true, sql, binds);
		break;
	default:
		buf_addstr(sql, "1=0");
		break;
	}
}

void
sql_render_filter(const struct sql_dialect *d, const struct filter *f,
		  struct buf *sql, struct sql_binds *binds)
{
	size_t i;

	if (!f) {
		buf_addstr(sql, "1=1");
		return;
	}
	switch (f->kind) {
	case FILTER_AND:
	case FILTER_OR:
		/* an empty group filters nothing, as knex drops empty groups */
		if (f->n_children == 0) {
			buf_addstr(sql, "1=1");
			return;
		}
		buf_addch(sql, '(');
		for (i = 0; i < f->n_children; i++) {
			if (i)
				buf_addstr(sql, f->kind == FILTER_AND ? " AND "
								      : " OR ");
			sql_render_filter(d, f->children[i], sql, binds);
		}
		buf_addch(sql, ')');
		return;
	case FILTER_NOT:
		if (f->n_children == 0) {
			buf_addstr(sql, "1=1");
			return;
		}
		buf_addstr(sql, "NOT (");
		for (i = 0; i < f->n_children; i++) {
			if (i)
				buf_addstr(sql, " AND ");
			sql_render_filter(d, f->children[i], sql, binds);
		}
		buf_addch(sql, ')');
		return;
	case FILTER_COND:
		render_cond(d, f, sql, binds);
		return;
	case FILTER_TRUE:
	default:
		buf_addstr(sql, "1=1");
		return;
	}
}

static bool
is_id_field(const struct field *f)
{
	return f->sys == SYS_ID || !strcmp(f->column, "id");
}

void
sql_render_order(const struct query *q, struct buf *sql)
{
	sql_render_order_for(&sql_dialect_sqlite, q, sql);
}

/* Strictly typed, NULLs sort as SQLite sorts them: first, ascending. */
void
sql_render_order_for(const struct sql_dialect *d, const struct query *q,
		     struct buf *sql)
{
	bool have_id = false, first = true;
	size_t i;

	buf_addstr(sql, "ORDER BY ");
	for (i = 0; q && i < q->n_sort; i++) {
		const struct field *f = q->sort[i].field;

		if (!f)
			continue;
		if (!first)
			buf_addstr(sql, ", ");
		first = false;
		add_column(sql, f);
		buf_addstr(sql, q->sort[i].desc ? " DESC" : " ASC");
		if (is_id_field(f))
			have_id = true;
		else if (d->strict_types)
			buf_addstr(sql, q->sort[i].desc ? " NULLS LAST"
							: " NULLS FIRST");
	}
	if (!have_id) {
		if (!first)
			buf_addstr(sql, ", ");
		buf_addstr(sql, "\"id\" ASC");
	}
}
