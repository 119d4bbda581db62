/* SPDX-License-Identifier: MIT */
/* transfer.c: export and import of a whole project (see transfer.h). */
#include "core/compat.h"
#include "app/transfer.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "storage/store.h"

#include <inttypes.h>

#define EXPORT_FORMAT "tollgate-export"
#define EXPORT_VERSION 1
#define MAX_COLS 512

/*
 * The server's own tables, in insertion order (parents first); cleared in
 * the reverse order. Meta is handled key by key (its counters stay).
 */
struct sys_table {
	const char *name;
	const char *const *cols;
	size_t n_cols;
	const char *order_by;
	bool has_id;
};

#define COLS(...)                                                              \
	(const char *const[]){ __VA_ARGS__ },                                  \
	    sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *)

static const struct sys_table sys_tables[] = {
    {"admin_users",
     COLS("id", "document_id", "firstname", "lastname", "username", "email",
	  "password", "is_active", "blocked", "prefered_language",
	  "created_at", "updated_at"),
     "id", true},
    {"admin_roles",
     COLS("id", "document_id", "name", "code", "description", "created_at",
	  "updated_at"),
     "id", true},
    {"admin_users_roles_lnk", COLS("user_id", "role_id"), "user_id, role_id",
     false},
    {"strapi_api_tokens",
     COLS("id", "document_id", "name", "description", "type", "access_key",
	  "encrypted_key", "last_used_at", "expires_at", "lifespan", "kind",
	  "admin_user_owner_id", "created_at", "updated_at"),
     "id", true},
    {"strapi_api_token_permissions",
     COLS("id", "token_id", "action", "created_at", "updated_at"), "id",
     true},
    {"admin_permissions",
     COLS("id", "document_id", "action", "subject", "properties",
	  "conditions", "role_id", "api_token_id", "created_at",
	  "updated_at"),
     "id", true},
    {"tollgate_public_actions", COLS("action"), "action", false},
};

/* Cleared on import (sessions of the replaced administrators), not exported. */
static const char sessions_table[] = "admin_sessions";

/* The meta keys that are caches' counters, not data. */
static bool
meta_key_skipped(const char *key)
{
	return !strcmp(key, "token_generation") ||
	       !strcmp(key, "admin_generation") ||
	       !strcmp(key, "content_generation");
}

/* Content columns: the system columns, then each attribute's once. */
static size_t
content_columns(const struct content_type *ct, const char **cols)
{
	static const char *const sys[] = {
	    "id",	  "document_id",   "created_at",    "updated_at",
	    "published_at", "created_by_id", "updated_by_id", "locale",
	};
	size_t n = 0, i, j;

	for (i = 0; i < ARRAY_SIZE(sys); i++)
		cols[n++] = sys[i];
	for (i = 0; i < ct->n_fields && n < MAX_COLS; i++) {
		const char *c = ct->fields[i].column;

		for (j = 0; j < n; j++)
			if (!strcmp(cols[j], c))
				break;
		if (j == n)
			cols[n++] = c;
	}
	return n;
}

/* ---- export ------------------------------------------------------------ */

static json_t *
value_json(const struct sqlval *v)
{
	switch (v->kind) {
	case SV_INT:
		return json_integer(v->i);
	case SV_REAL:
		return json_real(v->d);
	case SV_TEXT:
		return json_string(v->s ? v->s : "");
	case SV_NULL:
	default:
		return json_null();
	}
}

struct read_ctx {
	json_t *rows;
	size_t n_cols;
	bool meta; /* tollgate_meta: skip the counters */
};

static int
collect_row(void *ctx, const struct sqlval *row)
{
	struct read_ctx *rc = ctx;
	json_t *r;
	size_t i;

	if (rc->meta && row[0].kind == SV_TEXT && meta_key_skipped(row[0].s))
		return 0;
	r = json_array();
	for (i = 0; i < rc->n_cols; i++) {
		json_t *v = value_json(&row[i]);

		if (!v) { /* text that is not UTF-8 */
			json_decref(r);
			return ERR_VALIDATION;
		}
		json_array_append_new(r, v);
	}
	json_array_append_new(rc->rows, r);
	return 0;
}

static int
export_table(struct app *app, json_t *tables, const char *name,
	     const char *const *cols, size_t n_cols, const char *order_by,
	     struct err *e)
{
	struct read_ctx rc = { json_array(), n_cols, false };
	json_t *t, *jc;
	size_t i;
	int ret;

	rc.meta = !strcmp(name, "tollgate_meta");
	ret = store_rows_read(app->store, name, cols, n_cols, order_by,
			      collect_row, &rc);
	if (ret < 0) {
		json_decref(rc.rows);
		if (ret == ERR_VALIDATION)
			return err_set(e, ret,
				       "table %s holds text that is not UTF-8",
				       name);
		return err_set(e, ret, "cannot read table %s", name);
	}
	jc = json_array();
	for (i = 0; i < n_cols; i++)
		json_array_append_new(jc, json_string(cols[i]));
	t = json_object();
	json_object_set_new(t, "name", json_string(name));
	json_object_set_new(t, "columns", jc);
	json_object_set_new(t, "rows", rc.rows);
	json_array_append_new(tables, t);
	return 0;
}

static int64_t
schema_version(struct app *app)
{
	struct store_migration *m = NULL;
	int64_t v = 0;
	size_t n = 0, i;

	if (store_migrations(app->store, &m, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (m[i].applied_at != TIME_NULL && m[i].version > v)
			v = m[i].version;
	free(m);
	return v;
}

int
transfer_export(struct app *app, json_t **out, struct err *e)
{
	static const char *const meta_cols[] = { "key", "value" };
	const char *cols[MAX_COLS];
	char when[32];
	json_t *doc, *tables;
	size_t i, n;
	int ret;

	*out = NULL;
	tables = json_array();
	doc = json_object();
	json_object_set_new(doc, "format", json_string(EXPORT_FORMAT));
	json_object_set_new(doc, "version", json_integer(EXPORT_VERSION));
	json_object_set_new(doc, "backend",
			    json_string(store_backend_name(app->store)));
	json_object_set_new(doc, "schemaVersion",
			    json_integer(schema_version(app)));
	time_iso8601(time_now_ms(), when);
	json_object_set_new(doc, "exportedAt", json_string(when));
	json_object_set_new(doc, "tables", tables);

	/* one snapshot for the whole document */
	ret = store_begin(app->store);
	if (ret < 0) {
		json_decref(doc);
		return err_set(e, ret, "cannot start reading the database");
	}
	ret = export_table(app, tables, "tollgate_meta", meta_cols, 2, "key",
			   e);
	for (i = 0; ret == 0 && i < ARRAY_SIZE(sys_tables); i++)
		ret = export_table(app, tables, sys_tables[i].name,
				   sys_tables[i].cols, sys_tables[i].n_cols,
				   sys_tables[i].order_by, e);
	for (i = 0; ret == 0 && i < app->reg.n_types; i++) {
		const struct content_type *ct = &app->reg.types[i];

		n = content_columns(ct, cols);
		ret = export_table(app, tables, ct->table, cols, n, "\"id\"",
				   e);
	}
	store_rollback(app->store);
	if (ret < 0) {
		json_decref(doc);
		return ret;
	}
	*out = doc;
	return 0;
}

/* ---- import -------------------------------------------------------------- */

static bool
json_to_value(json_t *j, struct sqlval *v)
{
	memset(v, 0, sizeof(*v));
	switch (json_typeof(j)) {
	case JSON_NULL:
		v->kind = SV_NULL;
		return true;
	case JSON_INTEGER:
		v->kind = SV_INT;
		v->i = json_integer_value(j);
		return true;
	case JSON_REAL:
		v->kind = SV_REAL;
		v->d = json_real_value(j);
		return true;
	case JSON_STRING:
		v->kind = SV_TEXT;
		v->s = (char *)(uintptr_t)json_string_value(j); /* borrowed */
		return true;
	case JSON_TRUE:
	case JSON_FALSE:
		v->kind = SV_INT;
		v->i = json_is_true(j);
		return true;
	default:
		return false;
	}
}

/* The table the document names: which columns this project has for it. */
struct target {
	const char *name;
	const char *cols[MAX_COLS];
	size_t n_cols;
	bool has_id;
	bool content;
};

static bool
find_target(struct app *app, const char *name, struct target *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < ARRAY_SIZE(sys_tables); i++) {
		if (strcmp(sys_tables[i].name, name))
			continue;
		t->name = sys_tables[i].name;
		memcpy(t->cols, sys_tables[i].cols,
		       sys_tables[i].n_cols * sizeof(char *));
		t->n_cols = sys_tables[i].n_cols;
		t->has_id = sys_tables[i].has_id;
		return true;
	}
	for (i = 0; i < app->reg.n_types; i++) {
		const struct content_type *ct = &app->reg.types[i];

		if (strcmp(ct->table, name))
			continue;
		t->name = ct->table;
		t->n_cols = content_columns(ct, t->cols);
		t->has_id = true;
		t->content = true;
		return true;
	}
	return false;
}

/* Does the project already hold data an import would replace? */
static int
project_empty(struct app *app, bool *empty, struct err *e)
{
	int64_t users = 0, tokens = 0;
	size_t i;
	int ret;

	*empty = false;
	ret = store_admin_user_count(app->store, &users);
	if (ret == 0)
		ret = store_token_count(app->store, &tokens);
	if (ret < 0)
		return err_set(e, ret, "cannot read the project's data");
	if (users || tokens)
		return 0;
	for (i = 0; i < app->reg.n_types; i++) {
		struct query q;
		struct store_rows rows = { 0 };
		int64_t total = 0;

		memset(&q, 0, sizeof(q));
		q.pg.offset_mode = true;
		q.pg.limit = 1;
		q.pg.with_count = true;
		q.has_published = -1;
		ret = store_content_find(app->store, &app->reg.types[i], &q,
					 PUB_ANY, &rows, &total, e);
		store_rows_release(&rows);
		if (ret < 0)
			return ret;
		if (total)
			return 0;
	}
	*empty = true;
	return 0;
}

static int
import_meta(struct app *app, json_t *t, long long *count, struct err *e)
{
	json_t *rows = json_object_get(t, "rows"), *r;
	size_t i;
	int ret;

	json_array_foreach(rows, i, r) {
		const char *k = json_string_value(json_array_get(r, 0));
		const char *v = json_string_value(json_array_get(r, 1));

		if (!k || !v || json_array_size(r) != 2)
			return err_set(e, ERR_VALIDATION,
				       "tollgate_meta row %zu is not a key "
				       "and a text value",
				       i);
		if (meta_key_skipped(k))
			continue;
		ret = store_meta_set(app->store, k, v);
		if (ret < 0)
			return err_set(e, ret, "cannot write tollgate_meta");
		(*count)++;
	}
	return 0;
}

/* Check one table of the document against its target; map its columns. */
static int
check_table(struct app *app, json_t *t, struct target *tg, const char **cols,
	    size_t *n_cols, struct err *e)
{
	const char *name = json_string_value(json_object_get(t, "name"));
	json_t *jc = json_object_get(t, "columns"), *c;
	size_t i, j;

	if (!name || !json_is_array(jc) ||
	    !json_is_array(json_object_get(t, "rows")))
		return err_set(e, ERR_VALIDATION,
			       "a table of the document has no name, columns "
			       "or rows");
	if (!find_target(app, name, tg))
		return err_set(e, ERR_VALIDATION,
			       "the document has table '%.100s', which this "
			       "project does not have (are its content types "
			       "the same?)",
			       name);
	if (json_array_size(jc) == 0 || json_array_size(jc) > MAX_COLS)
		return err_set(e, ERR_VALIDATION,
			       "table %s: bad column list", tg->name);
	json_array_foreach(jc, i, c) {
		const char *cn = json_string_value(c);

		for (j = 0; cn && j < tg->n_cols; j++)
			if (!strcmp(tg->cols[j], cn))
				break;
		if (!cn || j == tg->n_cols)
			return err_set(e, ERR_VALIDATION,
				       "table %s: column '%.100s' does not "
				       "exist in this project",
				       tg->name, cn ? cn : "?");
		cols[i] = tg->cols[j];
	}
	*n_cols = json_array_size(jc);
	return 0;
}

static int
import_rows(struct app *app, const struct target *tg, const char **cols,
	    size_t n_cols, json_t *rows, long long *count, struct err *e)
{
	struct sqlval vals[MAX_COLS];
	json_t *r, *v;
	size_t i, j;
	int ret;

	json_array_foreach(rows, i, r) {
		if (json_array_size(r) != n_cols)
			return err_set(e, ERR_VALIDATION,
				       "table %s, row %zu: %zu values for "
				       "%zu columns",
				       tg->name, i, json_array_size(r),
				       n_cols);
		json_array_foreach(r, j, v) {
			if (!json_to_value(v, &vals[j]))
				return err_set(e, ERR_VALIDATION,
					       "table %s, row %zu: value %zu "
					       "is not a scalar",
					       tg->name, i, j);
		}
		ret = store_rows_insert(app->store, tg->name, cols, n_cols,
					vals);
		if (ret < 0)
			return err_set(e, ret,
				       "table %s, row %zu cannot be written "
				       "(duplicate or invalid value)",
				       tg->name, i);
		(*count)++;
	}
	return 0;
}

/* Clear every table an import fills, children first. */
static int
clear_all(struct app *app, struct err *e)
{
	size_t i;
	int ret;

	ret = store_rows_clear(app->store, sessions_table);
	for (i = ARRAY_SIZE(sys_tables); ret == 0 && i-- > 0;)
		ret = store_rows_clear(app->store, sys_tables[i].name);
	for (i = 0; ret == 0 && i < app->reg.n_types; i++)
		ret = store_rows_clear(app->store, app->reg.types[i].table);
	if (ret < 0)
		return err_set(e, ret, "cannot clear the project's tables");
	return 0;
}

/* A table of the document, checked, with its place in the insertion order. */
struct plan {
	json_t *t;
	struct target tg;
	const char *cols[MAX_COLS];
	size_t n_cols;
	size_t rank; /* index in sys_tables[]; content tables after them */
};

static int
cmp_plan(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;

	return (x->rank > y->rank) - (x->rank < y->rank);
}

static size_t
rank_of(const struct target *tg)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(sys_tables); k++)
		if (!strcmp(tg->name, sys_tables[k].name))
			return k;
	return ARRAY_SIZE(sys_tables);
}

/*
 * Check every table before writing anything, then clear, then fill: meta
 * first, system tables parents first, content tables last.
 */
static int
import_tables(struct app *app, json_t *tables, long long *count,
	      struct err *e)
{
	struct plan *plans;
	json_t *t, *meta = NULL;
	size_t i, n = 0;
	int ret = 0;

	plans = xcalloc(json_array_size(tables) + 1, sizeof(*plans));
	json_array_foreach(tables, i, t) {
		const char *name =
		    json_string_value(json_object_get(t, "name"));

		if (name && !strcmp(name, "tollgate_meta")) {
			meta = t;
			continue;
		}
		ret = check_table(app, t, &plans[n].tg, plans[n].cols,
				  &plans[n].n_cols, e);
		if (ret < 0)
			goto out;
		plans[n].t = t;
		plans[n].rank = rank_of(&plans[n].tg);
		n++;
	}
	qsort(plans, n, sizeof(*plans), cmp_plan);
	ret = clear_all(app, e);
	if (ret == 0 && meta)
		ret = import_meta(app, meta, count, e);
	for (i = 0; ret == 0 && i < n; i++) {
		const struct target *tg = &plans[i].tg;

		ret = import_rows(app, tg, plans[i].cols, plans[i].n_cols,
				  json_object_get(plans[i].t, "rows"), count, e);
		if (ret == 0) {
			ret = store_rows_finish(app->store, tg->name,
						tg->has_id);
			if (ret < 0)
				err_set(e, ret, "cannot finish table %s",
					tg->name);
		}
	}
out:
	free(plans);
	return ret;
}

int
transfer_import(struct app *app, json_t *doc, bool force, long long *rows,
		struct err *e)
{
	json_t *tables = json_object_get(doc, "tables");
	const char *fmt = json_string_value(json_object_get(doc, "format"));
	long long count = 0;
	bool empty = false;
	int ret;

	if (rows)
		*rows = 0;
	if (!fmt || strcmp(fmt, EXPORT_FORMAT) || !json_is_array(tables))
		return err_set(e, ERR_VALIDATION,
			       "not a tollgate export (no \"format\": \"%s\" "
			       "with \"tables\")",
			       EXPORT_FORMAT);
	if (json_integer_value(json_object_get(doc, "version")) !=
	    EXPORT_VERSION)
		return err_set(e, ERR_VALIDATION,
			       "unsupported export version (this build reads "
			       "version %d)",
			       EXPORT_VERSION);
	if (json_integer_value(json_object_get(doc, "schemaVersion")) >
	    schema_version(app))
		return err_set(e, ERR_VALIDATION,
			       "the export comes from a newer database "
			       "schema than this build's");
	if (!force) {
		ret = project_empty(app, &empty, e);
		if (ret < 0)
			return ret;
		if (!empty)
			return err_set(e, ERR_CONFLICT,
				       "the project already holds data "
				       "(administrators, tokens or entries); "
				       "--force replaces all of it");
	}
	ret = store_begin(app->store);
	if (ret < 0)
		return err_set(e, ret, "cannot start the import transaction");
	ret = import_tables(app, tables, &count, e);
	if (ret < 0) {
		store_rollback(app->store);
		return ret;
	}
	ret = store_commit(app->store);
	if (ret < 0)
		return err_set(e, ret, "cannot commit the import");
	if (rows)
		*rows = count;
	return 0;
}
