/* SPDX-License-Identifier: MIT */
/* backend.c: the helpers of backend.h. No database API here. */
#include "core/compat.h"
#include "core/mem.h"
#include "query/sql.h"
#include "storage/backend.h"

bool
backend_action_registered(const struct schema_registry *reg, const char *action)
{
	size_t i;

	for (i = 0; i < reg->n_actions; i++)
		if (reg->actions[i] && !strcmp(reg->actions[i], action))
			return true;
	return false;
}

/* "SELECT|INSERT ... "<table>"(<cols>)" pieces, identifiers quoted. */
void
backend_add_cols(struct buf *sql, const char *const *cols, size_t n_cols)
{
	size_t i;

	for (i = 0; i < n_cols; i++) {
		if (i)
			buf_addstr(sql, ", ");
		sql_quote_ident(sql, cols[i]);
	}
}

void
backend_add_pub_cond(struct buf *b, const struct content_type *ct,
		     enum pub_filter pub)
{
	if (pub == PUB_ANY)
		return;
	buf_addstr(b, " AND ");
	sql_quote_ident(
	    b, backend_sys_column(ct, SYS_PUBLISHED_AT, "published_at"));
	buf_addstr(b, pub == PUB_PUBLISHED ? " IS NOT NULL" : " IS NULL");
}

void
backend_add_select(struct buf *b, const struct content_type *ct)
{
	size_t i;

	buf_addstr(b, "SELECT ");
	for (i = 0; i < ct->n_fields; i++) {
		if (i)
			buf_addstr(b, ", ");
		sql_quote_ident(b, ct->fields[i].column);
	}
	buf_addstr(b, " FROM ");
	sql_quote_ident(b, ct->table);
	buf_addstr(b, " AS tg_outer");
}

int
backend_cmp_row_id(const void *a, const void *b)
{
	const struct token_row *x = *(const struct token_row *const *)a;
	const struct token_row *y = *(const struct token_row *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Emails fold ASCII letters only, as SQLite's NOCASE does, so the C side
 * and the unique index agree on which two addresses are the same.
 */
void
backend_email_fold(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * Which attributes get an index: unique ones (every write checks them),
 * and the scalar types people filter by range and sort on (numbers, dates,
 * enumerations, uids, emails, short strings). Long text, rich text, JSON,
 * booleans and passwords do not: an index would cost every write and help
 * no query. Private attributes cannot be filtered or sorted on.
 */
bool
backend_indexed(const struct field *f)
{
	if (f->flags & FIELD_UNIQUE)
		return true;
	if (f->flags & FIELD_PRIVATE)
		return false;
	switch (f->type) {
	case ATTR_STRING:
	case ATTR_EMAIL:
	case ATTR_UID:
	case ATTR_ENUMERATION:
	case ATTR_INTEGER:
	case ATTR_BIGINTEGER:
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
	case ATTR_DATE:
	case ATTR_TIME:
	case ATTR_DATETIME:
		return true;
	default:
		return false;
	}
}

const char *
backend_kind_text(enum token_kind k)
{
	return k == TOKEN_KIND_ADMIN ? "admin" : "content-api";
}

const char *
backend_type_text(enum token_type t)
{
	switch (t) {
	case TOKEN_FULL_ACCESS:
		return "full-access";
	case TOKEN_CUSTOM:
		return "custom";
	case TOKEN_READ_ONLY:
	default:
		return "read-only";
	}
}

void
backend_name_set_add(struct name_set *ns, const char *name)
{
	ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(name);
}

bool
backend_name_set_has(const struct name_set *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return true;
	return false;
}

void
backend_name_set_release(struct name_set *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

void
backend_rows_init(struct store_rows *out, const struct content_type *ct)
{
	out->v = NULL;
	out->n_rows = 0;
	out->n_cols = ct->n_fields;
	out->text = NULL;
	out->text_len = 0;
	out->text_alloc = 0;
}

/* A first block that holds a typical page's texts without growing. */
#define ROWS_TEXT_MIN 4096

static void
rows_text_resize(struct store_rows *out, size_t alloc)
{
	out->text = xrealloc(out->text, alloc);
	out->text_alloc = alloc;
}

void
backend_rows_text_reserve(struct store_rows *out, size_t bytes)
{
	if (out->text_alloc - out->text_len < bytes)
		rows_text_resize(out, out->text_len + bytes);
}

void
backend_rows_text(struct store_rows *out, struct sqlval *v, const char *s,
		  size_t n)
{
	size_t alloc;

	if (out->text_alloc - out->text_len <= n) {
		alloc = out->text_alloc ? out->text_alloc * 2 : ROWS_TEXT_MIN;
		while (alloc - out->text_len <= n)
			alloc *= 2;
		rows_text_resize(out, alloc);
	}
	if (n)
		memcpy(out->text + out->text_len, s, n);
	out->text[out->text_len + n] = '\0';
	v->kind = SV_TEXT;
	v->s = NULL;
	v->i = (int64_t)out->text_len;
	out->text_len += n + 1;
}

void
backend_rows_text_done(struct store_rows *out)
{
	size_t i, n = out->n_rows * out->n_cols;
	struct sqlval *v;

	for (i = 0; i < n; i++) {
		v = &out->v[i];
		if (v->kind == SV_TEXT && !v->s) {
			v->s = out->text + v->i;
			v->i = 0;
		}
	}
}

/* The column of a system field, or its conventional name. */
const char *
backend_sys_column(const struct content_type *ct, enum sys_field sys,
		   const char *fallback)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++)
		if (ct->fields[i].sys == sys)
			return ct->fields[i].column;
	return fallback;
}

void
backend_token_add_permission(struct token_row *t, char *action)
{
	t->permissions = xrealloc(t->permissions, (t->n_permissions + 1) *
						      sizeof(*t->permissions));
	t->permissions[t->n_permissions++] = action;
}
