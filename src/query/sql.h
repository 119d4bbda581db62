/* SPDX-License-Identifier: MIT */
/*
 * sql.h: render the backend-neutral pieces of a struct query as SQL text
 * with placeholders, plus the list of values to bind in order. Identifiers
 * come only from the schema (struct field.column and the table name);
 * request text only ever reaches the bind list.
 */
#ifndef QUERY_SQL_H
#define QUERY_SQL_H

#include "core/buf.h"
#include "query/query.h"

struct sql_dialect {
	/* append a placeholder for bind parameter number 'n' (1-based) */
	void (*placeholder)(struct buf *sql, size_t n);
	/* true when LIKE is case-sensitive (PostgreSQL): case-insensitive
	 * operators then use ILIKE / LOWER() */
	bool like_case_sensitive;
	/*
	 * true when columns are strictly typed (PostgreSQL, whose text
	 * columns are COLLATE "C"): filters then read as SQLite's do and can
	 * raise no type error. Every LIKE folds ASCII case (ILIKE, as
	 * SQLite's LIKE does); text operators on numeric columns compare
	 * SQLite's text form of the number; a value of another kind than its
	 * column is compared as text; ORDER BY puts NULLs first ascending.
	 */
	bool strict_types;
};

extern const struct sql_dialect sql_dialect_sqlite; /* "?" */
extern const struct sql_dialect sql_dialect_pg;     /* "$n" */

/* Values collected while rendering; owned by the struct. */
struct sql_binds {
	struct sqlval *v;
	size_t n, alloc;
};
void sql_binds_init(struct sql_binds *b);
void sql_binds_release(struct sql_binds *b);
/* Append a copy of 'v'. */
void sql_binds_push(struct sql_binds *b, const struct sqlval *v);

/*
 * Append a boolean SQL expression for 'f' (e.g. "(\"title\" = ? AND ...)")
 * to 'sql' and its values to 'binds'. A NULL filter renders "1=1".
 * Column names are double-quoted. LIKE patterns escape %, _ and \ with
 * ESCAPE '\'. $ne / $notIn / $notContains exclude NULLs as Strapi does.
 */
void sql_render_filter(const struct sql_dialect *d, const struct filter *f,
		       struct buf *sql, struct sql_binds *binds);

/* Append "ORDER BY ..." for the sort keys, ending with "id" as a tiebreak. */
void sql_render_order(const struct query *q, struct buf *sql);
/* The same for dialect 'd' (sql_render_order() is SQLite's). */
void sql_render_order_for(const struct sql_dialect *d, const struct query *q,
			  struct buf *sql);

/*
 * How field 'f' is stored: SV_INT (integers, booleans, datetimes, id and
 * the timestamps), SV_REAL (float, decimal) or SV_TEXT (everything else).
 */
enum sqlval_kind sql_column_kind(const struct field *f);

/* Append a double-quoted identifier (doubling any embedded quote). */
void sql_quote_ident(struct buf *sql, const char *ident);

#endif
