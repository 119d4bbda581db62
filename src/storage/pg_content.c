/* SPDX-License-Identifier: MIT */
/*
 * pg_content.c: content tables on PostgreSQL: finding, reading and writing
 * entries, and creating tables, columns and indexes for the schema, as
 * storage/sqlite.c does on SQLite (same names, same column order).
 *
 * Values read back follow the field's stored kind (query/sql.h's
 * sql_column_kind()), converted from the server's text as SQLite converts
 * a cell to the column's declared type, so a column left with another type
 * by an older schema reads as it would on SQLite.
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "query/sql.h"
#include "storage/backend.h"
#include "storage/pg_internal.h"

#include <libpq-fe.h>

/* Append the placeholder of the last parameter pushed. */
static void
add_param(struct buf *b, const struct pgs_params *p)
{
	buf_addf(b, "$%zu", p->n);
}

/* Binds collected by query/sql.c, in order. */
static void
add_binds(struct pgs_params *p, const struct sql_binds *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		pgs_add_val(p, &b->v[i]);
}

/* One cell into 'v'; a text goes into the text block of 'out'. */
static void
read_value(const PGresult *r, int row, int col, const struct field *f,
	   struct store_rows *out, struct sqlval *v)
{
	const char *s;
	Oid type;

	memset(v, 0, sizeof(*v));
	if (PQgetisnull(r, row, col)) {
		v->kind = SV_NULL;
		return;
	}
	s = PQgetvalue(r, row, col);
	type = PQftype(r, col);
	switch (sql_column_kind(f)) {
	case SV_INT:
		v->kind = SV_INT;
		if (type == PGS_BOOLOID)
			v->i = s[0] == 't';
		else if (type == PGS_FLOAT4OID || type == PGS_FLOAT8OID ||
			 type == PGS_NUMERICOID)
			v->i = (int64_t)strtod(s, NULL);
		else
			v->i = strtoll(s, NULL, 10);
		break;
	case SV_REAL:
		v->kind = SV_REAL;
		v->d = type == PGS_BOOLOID ? (s[0] == 't') : strtod(s, NULL);
		break;
	case SV_TEXT:
	default:
		backend_rows_text(out, v, s, (size_t)PQgetlength(r, row, col));
		break;
	}
}

/*
 * Read every row of 'res' into 'out', fresh from backend_rows_init()
 * (columns are ct->fields). The result is all in memory, so the text block
 * is sized exactly before the copy.
 */
static void
read_rows(const PGresult *res, const struct content_type *ct,
	  struct store_rows *out)
{
	size_t n = (size_t)PQntuples(res), i, j, bytes = 0;
	enum sqlval_kind k;

	if (n == 0)
		return;
	for (j = 0; j < ct->n_fields; j++) {
		k = sql_column_kind(&ct->fields[j]);
		if (k == SV_INT || k == SV_REAL)
			continue; /* read_value() copies every other kind */
		for (i = 0; i < n; i++)
			if (!PQgetisnull(res, (int)i, (int)j))
				bytes += (size_t)PQgetlength(res, (int)i,
							     (int)j) + 1;
	}
	backend_rows_text_reserve(out, bytes);
	out->v = xrealloc(out->v,
			  (out->n_rows + n) * ct->n_fields * sizeof(*out->v));
	for (i = 0; i < n; i++) {
		for (j = 0; j < ct->n_fields; j++)
			read_value(res, (int)i, (int)j, &ct->fields[j], out,
				   &out->v[out->n_rows * ct->n_fields + j]);
		out->n_rows++;
	}
	backend_rows_text_done(out);
}

/*
 * Every statement that changes the table moves content_generation (and
 * notifies every instance), so cached list counts know when to recount.
 */
static int
content_trigger(struct pg_conn *c, const char *table)
{
	struct buf sql = BUF_INIT;
	int ret;

	buf_addstr(&sql, "CREATE OR REPLACE TRIGGER tollgate_content_changed"
			 " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ");
	sql_quote_ident(&sql, table);
	buf_addstr(&sql, " FOR EACH STATEMENT"
			 " EXECUTE FUNCTION tollgate_content_bump()");
	ret = pgs_exec(c, sql.ptr, false, NULL, "create a content trigger",
		       NULL);
	buf_release(&sql);
	return ret;
}

int
pgs_content_find(struct store *s, const struct content_type *ct,
		 const struct query *qy, enum pub_filter pub,
		 struct store_rows *out, int64_t *total, struct err *e)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct sql_binds binds;
	struct pgs_params p;
	int64_t limit = -1, offset = 0;
	bool in_tx = false, cacheable;
	struct pg_conn *c;
	uint64_t gen = 0;
	PGresult *res;
	int ret, ret2;

	backend_rows_init(out, ct);
	if (total)
		*total = 0;
	sql_binds_init(&binds);
	pgs_params_init(&p);
	ret = pgs_conn_get(s, &c);
	if (ret)
		goto out;

	buf_addstr(&where, " WHERE ");
	sql_render_filter(&sql_dialect_pg, qy ? qy->filter : NULL, &where,
			  &binds);
	backend_add_pub_cond(&where, ct, pub);
	if (qy && pub == PUB_DRAFT && qy->has_published >= 0) {
		const char *doc =
		    backend_sys_column(ct, SYS_DOCUMENT_ID, "document_id");

		buf_addstr(&where, qy->has_published ? " AND EXISTS ("
						     : " AND NOT EXISTS (");
		buf_addstr(&where, "SELECT 1 FROM ");
		sql_quote_ident(&where, ct->table);
		buf_addstr(&where, " AS tg_pub WHERE tg_pub.");
		sql_quote_ident(&where, doc);
		buf_addstr(&where, " = tg_outer.");
		sql_quote_ident(&where, doc);
		buf_addstr(&where, " AND tg_pub.");
		sql_quote_ident(&where, backend_sys_column(ct, SYS_PUBLISHED_AT,
							   "published_at"));
		buf_addstr(&where, " IS NOT NULL)");
	}
	if (qy) {
		limit = query_limit(qy);
		offset = query_offset(qy);
		if (limit <= 0)
			limit = -1;
		if (offset < 0)
			offset = 0;
	}

	if (total) {
		/* before the snapshot: a commit after it moves the generation */
		gen = pgs_content_generation(c);
		/* the page and the count from one snapshot */
		ret = pgs_tx_enter(c, false);
		if (ret)
			goto out;
		in_tx = true;
	}

	add_binds(&p, &binds);
	backend_add_select(&sql, ct);
	buf_add(&sql, where.ptr, where.len);
	buf_addch(&sql, ' ');
	sql_render_order_for(&sql_dialect_pg, qy, &sql);
	pgs_add_opt(&p, limit, -1);
	buf_addf(&sql, " LIMIT $%zu", p.n);
	pgs_add_i64(&p, offset);
	buf_addf(&sql, " OFFSET $%zu", p.n);
	ret = pgs_query(c, sql.ptr, true, &p, "find entries", &res);
	if (ret)
		goto out;
	read_rows(res, ct, out);
	PQclear(res);
	if (!total)
		goto out;

	/* COUNT(*) walks the table: unfiltered counts are kept (see
	 * pg_internal.h) */
	cacheable = (!qy || !qy->filter) &&
		    !(qy && pub == PUB_DRAFT && qy->has_published >= 0);
	if (cacheable && pgs_count_cached(c, ct, pub, gen, total))
		goto out;
	pgs_params_release(&p);
	add_binds(&p, &binds);
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT COUNT(*) FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " AS tg_outer");
	buf_add(&sql, where.ptr, where.len);
	ret = pgs_query(c, sql.ptr, true, &p, "count entries", &res);
	if (ret)
		goto out;
	if (PQntuples(res) > 0)
		*total = pgs_i64(res, 0, 0);
	PQclear(res);
	if (cacheable)
		pgs_count_store(c, ct, pub, gen, *total);
out:
	if (in_tx) {
		ret2 = pgs_tx_finish(c, ret);
		if (!ret)
			ret = ret2;
	}
	pgs_params_release(&p);
	sql_binds_release(&binds);
	buf_release(&where);
	buf_release(&sql);
	if (ret) {
		store_rows_release(out);
		backend_rows_init(out, ct);
		if (total)
			*total = 0;
		pgs_set_db_err(e, ret);
	}
	return ret;
}

int
pgs_content_get(struct store *s, const struct content_type *ct,
		const char *document_id, const struct filter *extra,
		enum pub_filter pub, struct store_rows *out)
{
	struct buf sql = BUF_INIT;
	struct sql_binds binds;
	struct sqlval doc;
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	int ret;

	backend_rows_init(out, ct);
	sql_binds_init(&binds);
	pgs_params_init(&p);
	ret = pgs_conn_get(s, &c);
	if (ret)
		goto out;
	/* the document id is $1: the filter's placeholders follow it */
	memset(&doc, 0, sizeof(doc));
	sqlval_set_text(&doc, document_id ? document_id : "");
	sql_binds_push(&binds, &doc);
	sqlval_release(&doc);
	backend_add_select(&sql, ct);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql,
			backend_sys_column(ct, SYS_DOCUMENT_ID, "document_id"));
	buf_addstr(&sql, " = $1");
	backend_add_pub_cond(&sql, ct, pub);
	if (extra) {
		buf_addstr(&sql, " AND ");
		sql_render_filter(&sql_dialect_pg, extra, &sql, &binds);
	}
	buf_addstr(&sql, " ORDER BY \"id\" LIMIT 1");
	add_binds(&p, &binds);
	ret = pgs_query(c, sql.ptr, extra == NULL, &p, "get an entry", &res);
	if (ret)
		goto out;
	read_rows(res, ct, out);
	PQclear(res);
out:
	pgs_params_release(&p);
	sql_binds_release(&binds);
	buf_release(&sql);
	if (ret) {
		store_rows_release(out);
		backend_rows_init(out, ct);
	}
	return ret;
}

int
pgs_content_get_id(struct store *s, const struct content_type *ct, int64_t id,
		   struct store_rows *out)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	int ret;

	backend_rows_init(out, ct);
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	backend_add_select(&sql, ct);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	buf_addstr(&sql, " = $1");
	pgs_params_init(&p);
	pgs_add_i64(&p, id);
	ret = pgs_query(c, sql.ptr, true, &p, "get an entry by id", &res);
	pgs_params_release(&p);
	buf_release(&sql);
	if (ret)
		return ret;
	read_rows(res, ct, out);
	PQclear(res);
	return 0;
}

int
pgs_content_insert(struct store *s, const struct content_type *ct,
		   const struct sqlval *vals, const bool *present,
		   int64_t *new_id)
{
	struct buf sql = BUF_INIT, values = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	size_t i;
	int ret;

	if (new_id)
		*new_id = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	buf_addstr(&sql, "INSERT INTO ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " (");
	for (i = 0; i < ct->n_fields; i++) {
		if (!present[i])
			continue;
		if (p.n) {
			buf_addstr(&sql, ", ");
			buf_addstr(&values, ", ");
		}
		sql_quote_ident(&sql, ct->fields[i].column);
		pgs_add_val(&p, &vals[i]);
		add_param(&values, &p);
	}
	buf_addstr(&sql, ") VALUES (");
	if (p.n)
		buf_add(&sql, values.ptr, values.len);
	buf_addch(&sql, ')');
	if (p.n == 0) {
		buf_reset(&sql);
		buf_addstr(&sql, "INSERT INTO ");
		sql_quote_ident(&sql, ct->table);
		buf_addstr(&sql, " DEFAULT VALUES");
	}
	buf_addstr(&sql, " RETURNING ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	ret = pgs_query(c, sql.ptr, true, &p, "insert an entry", &res);
	pgs_conn_dirty(c); /* list counts and the content generation */
	pgs_params_release(&p);
	buf_release(&values);
	buf_release(&sql);
	if (ret)
		return ret;
	if (new_id && PQntuples(res) > 0)
		*new_id = pgs_i64(res, 0, 0);
	PQclear(res);
	return 0;
}

int
pgs_content_update(struct store *s, const struct content_type *ct, int64_t id,
		   const struct sqlval *vals, const bool *present)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	int64_t changes = 0;
	size_t i;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	buf_addstr(&sql, "UPDATE ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " SET ");
	for (i = 0; i < ct->n_fields; i++) {
		if (!present[i])
			continue;
		if (p.n)
			buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, ct->fields[i].column);
		buf_addstr(&sql, " = ");
		pgs_add_val(&p, &vals[i]);
		add_param(&sql, &p);
	}
	if (p.n == 0)
		goto out;
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	pgs_add_i64(&p, id);
	buf_addstr(&sql, " = ");
	add_param(&sql, &p);
	ret = pgs_exec(c, sql.ptr, true, &p, "update an entry", &changes);
	pgs_conn_dirty(c); /* list counts and the content generation */
	if (ret == 0 && changes == 0)
		ret = ERR_NOT_FOUND;
out:
	pgs_params_release(&p);
	buf_release(&sql);
	return ret;
}

int
pgs_content_delete_id(struct store *s, const struct content_type *ct,
		      int64_t id)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	int64_t changes = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "DELETE FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	buf_addstr(&sql, " = $1");
	pgs_params_init(&p);
	pgs_add_i64(&p, id);
	ret = pgs_exec(c, sql.ptr, true, &p, "delete an entry", &changes);
	pgs_conn_dirty(c); /* list counts and the content generation */
	pgs_params_release(&p);
	buf_release(&sql);
	if (ret == 0 && changes == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

int
pgs_content_delete_document(struct store *s, const struct content_type *ct,
			    const char *document_id, enum pub_filter pub)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "DELETE FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql,
			backend_sys_column(ct, SYS_DOCUMENT_ID, "document_id"));
	buf_addstr(&sql, " = $1");
	backend_add_pub_cond(&sql, ct, pub);
	pgs_params_init(&p);
	pgs_add_text(&p, document_id ? document_id : "");
	ret = pgs_exec(c, sql.ptr, true, &p, "delete a document", NULL);
	pgs_conn_dirty(c); /* list counts and the content generation */
	pgs_params_release(&p);
	buf_release(&sql);
	return ret;
}

int
pgs_content_unique_taken(struct store *s, const struct content_type *ct,
			 const struct field *f, const struct sqlval *v,
			 const char *exclude_document_id, bool *taken)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	int ret;

	*taken = false;
	if (v->kind == SV_NULL)
		return 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "SELECT 1 FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, f->column);
	buf_addstr(&sql, " = $1");
	pgs_params_init(&p);
	pgs_add_val(&p, v);
	if (exclude_document_id) {
		buf_addstr(&sql, " AND ");
		sql_quote_ident(&sql, backend_sys_column(ct, SYS_DOCUMENT_ID,
							 "document_id"));
		buf_addstr(&sql, " <> $2");
		pgs_add_text(&p, exclude_document_id);
	}
	/*
	 * Every document of a draft & publish type has a draft, and Strapi
	 * compares drafts with drafts: a published version still holding an
	 * old value does not count.
	 */
	if (ct->draft_publish)
		backend_add_pub_cond(&sql, ct, PUB_DRAFT);
	buf_addstr(&sql, " LIMIT 1");
	ret = pgs_query(c, sql.ptr, true, &p, "check a unique value", &res);
	pgs_params_release(&p);
	buf_release(&sql);
	if (ret)
		return ret;
	*taken = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

/* ---- schema sync ----------------------------------------------------- */

#define TEXT_C "TEXT COLLATE \"C\""

static const char *
col_type_sql(enum sqlval_kind k)
{
	switch (k) {
	case SV_INT:
		return "BIGINT";
	case SV_REAL:
		return "DOUBLE PRECISION";
	case SV_TEXT:
	default:
		return TEXT_C;
	}
}

/* Columns every content table has besides its attributes. */
static const struct sys_col {
	const char *name;
	const char *def; /* for CREATE TABLE */
	const char *add; /* for ALTER TABLE ADD COLUMN */
} sys_cols[] = {
    {"id", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", NULL},
    {"document_id", TEXT_C " NOT NULL", TEXT_C},
    {"created_at", "BIGINT", "BIGINT"},
    {"updated_at", "BIGINT", "BIGINT"},
    {"published_at", "BIGINT", "BIGINT"},
    {"created_by_id", "BIGINT", "BIGINT"},
    {"updated_by_id", "BIGINT", "BIGINT"},
    {"locale", TEXT_C, TEXT_C},
};

static bool
is_sys_col(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sys_cols); i++)
		if (!strcmp(sys_cols[i].name, name))
			return true;
	return false;
}

/* SQLite's reserved names, and the server's own ("pg_" is its prefix). */
static bool
reserved_table(const char *t)
{
	return !strncmp(t, "tollgate_", 9) || !strncmp(t, "sqlite_", 7) ||
	       !strncmp(t, "pg_", 3) || !strcmp(t, "strapi_api_tokens") ||
	       !strcmp(t, "strapi_api_token_permissions") ||
	       !strcmp(t, "admin_users") || !strcmp(t, "admin_roles") ||
	       !strcmp(t, "admin_users_roles_lnk") ||
	       !strcmp(t, "admin_permissions") || !strcmp(t, "admin_sessions");
}

/* The columns of 'table' as the search_path finds it (none: no table). */
static int
table_columns(struct pg_conn *c, const char *table, struct name_set *cols)
{
	struct buf name = BUF_INIT;
	struct pgs_params p;
	PGresult *res;
	int ret, row;

	sql_quote_ident(&name, table);
	pgs_params_init(&p);
	pgs_add_text(&p, name.ptr);
	buf_release(&name);
	ret = pgs_query(c,
			"SELECT attname FROM pg_attribute"
			" WHERE attrelid = to_regclass($1)"
			" AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
			false, &p, "read a table's columns", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	for (row = 0; row < PQntuples(res); row++)
		backend_name_set_add(cols, PQgetvalue(res, row, 0));
	PQclear(res);
	return 0;
}

static int
create_table(struct pg_conn *c, const struct content_type *ct)
{
	struct name_set seen = {NULL, 0};
	struct buf sql = BUF_INIT;
	const struct field *f;
	size_t i;
	int ret;

	buf_addstr(&sql, "CREATE TABLE ");
	sql_quote_ident(&sql, ct->table);
	buf_addf(&sql, " (\"id\" %s, \"document_id\" %s", sys_cols[0].def,
		 sys_cols[1].def);
	for (i = 0; i < ct->n_fields; i++) {
		f = &ct->fields[i];
		if (is_sys_col(f->column) ||
		    backend_name_set_has(&seen, f->column))
			continue;
		backend_name_set_add(&seen, f->column);
		buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, f->column);
		buf_addf(&sql, " %s", col_type_sql(sql_column_kind(f)));
	}
	for (i = 2; i < ARRAY_SIZE(sys_cols); i++) {
		buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, sys_cols[i].name);
		buf_addf(&sql, " %s", sys_cols[i].def);
	}
	buf_addch(&sql, ')');
	ret = pgs_exec(c, sql.ptr, false, NULL, "create a content table", NULL);
	backend_name_set_release(&seen);
	buf_release(&sql);
	return ret;
}

static int
add_column(struct pg_conn *c, const char *table, const char *column,
	   const char *type)
{
	struct buf sql = BUF_INIT;
	int ret;

	buf_addstr(&sql, "ALTER TABLE ");
	sql_quote_ident(&sql, table);
	buf_addstr(&sql, " ADD COLUMN ");
	sql_quote_ident(&sql, column);
	buf_addf(&sql, " %s", type);
	ret = pgs_exec(c, sql.ptr, false, NULL, "add a content column", NULL);
	if (ret == 0)
		log_info("database: added column '%s' to table '%s'", column,
			 table);
	buf_release(&sql);
	return ret;
}

/*
 * Attribute indexes keep NULLs first, as the rendered ORDER BY asks
 * (SQLite's order), so a sort in either direction can walk them.
 */
static int
create_index(struct pg_conn *c, const char *table, const char *suffix,
	     const char *const *cols, size_t n, bool nulls_first)
{
	struct buf sql = BUF_INIT, name = BUF_INIT;
	size_t i;
	int ret;

	buf_addf(&name, "%s_%s", table, suffix);
	buf_addstr(&sql, "CREATE INDEX IF NOT EXISTS ");
	sql_quote_ident(&sql, name.ptr);
	buf_addstr(&sql, " ON ");
	sql_quote_ident(&sql, table);
	buf_addstr(&sql, " (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, cols[i]);
		if (nulls_first)
			buf_addstr(&sql, " NULLS FIRST");
	}
	buf_addch(&sql, ')');
	ret = pgs_exec(c, sql.ptr, false, NULL, "create a content index", NULL);
	buf_release(&name);
	buf_release(&sql);
	return ret;
}

static int
sync_type(struct pg_conn *c, const struct content_type *ct)
{
	static const char *const doc_cols[] = {"document_id", "locale",
					       "published_at"};
	struct name_set cols = {NULL, 0};
	struct buf suffix = BUF_INIT;
	const struct field *f;
	size_t i;
	int ret;

	ret = table_columns(c, ct->table, &cols);
	if (ret)
		goto out;
	if (cols.n == 0) {
		ret = create_table(c, ct);
		if (ret)
			goto out;
	} else {
		for (i = 1; i < ARRAY_SIZE(sys_cols) && ret == 0; i++) {
			if (backend_name_set_has(&cols, sys_cols[i].name))
				continue;
			ret = add_column(c, ct->table, sys_cols[i].name,
					 sys_cols[i].add);
			backend_name_set_add(&cols, sys_cols[i].name);
		}
		for (i = 0; i < ct->n_fields && ret == 0; i++) {
			f = &ct->fields[i];
			if (backend_name_set_has(&cols, f->column))
				continue;
			ret = add_column(c, ct->table, f->column,
					 col_type_sql(sql_column_kind(f)));
			backend_name_set_add(&cols, f->column);
		}
		if (ret)
			goto out;
	}
	ret = create_index(c, ct->table, "documents_idx", doc_cols,
			   ARRAY_SIZE(doc_cols), false);
	if (ret == 0)
		ret = content_trigger(c, ct->table);
	for (i = 0; i < ct->n_fields && ret == 0; i++) {
		const char *one[1];

		f = &ct->fields[i];
		if (f->sys != SYS_NONE || !backend_indexed(f))
			continue;
		one[0] = f->column;
		buf_reset(&suffix);
		buf_addf(&suffix, "%s_%s", f->column,
			 (f->flags & FIELD_UNIQUE) ? "unique_idx" : "idx");
		ret = create_index(c, ct->table, suffix.ptr, one, 1, true);
	}
out:
	buf_release(&suffix);
	backend_name_set_release(&cols);
	return ret;
}

int
pgs_sync_schema(struct store *s, const struct schema_registry *reg,
		struct err *e)
{
	const struct content_type *ct = NULL;
	struct pg_conn *c;
	size_t i;
	int ret;

	for (i = 0; i < reg->n_types; i++)
		if (reserved_table(reg->types[i].table))
			return err_set(e, ERR_VALIDATION,
				       "content type '%s' uses the reserved "
				       "table name '%s'",
				       reg->types[i].uid, reg->types[i].table);
	ret = pgs_conn_get(s, &c);
	if (ret)
		return pgs_set_db_err(e, ret);
	ret = pgs_tx_enter(c, true);
	if (ret)
		return err_set(e, ret,
			       "cannot lock the database to create "
			       "content tables");
	for (i = 0; i < reg->n_types && ret == 0; i++) {
		ct = &reg->types[i];
		ret = sync_type(c, ct);
	}
	ret = pgs_tx_finish(c, ret);
	if (ret)
		return err_set(e, ret, "cannot create the table of '%s'",
			       ct ? ct->uid : "?");
	return 0;
}
