/* SPDX-License-Identifier: MIT */
/*
 * store.c: choose a backend at open and dispatch every store_* call through
 * its vtable, plus the row helpers shared by all backends. No SQL here.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "storage/store_impl.h"

void
token_row_init(struct token_row *t)
{
	memset(t, 0, sizeof(*t));
	t->kind = TOKEN_KIND_CONTENT_API;
	t->type = TOKEN_READ_ONLY;
	t->last_used_at = TIME_NULL;
	t->expires_at = TIME_NULL;
}

void
token_row_release(struct token_row *t)
{
	size_t i;

	free(t->name);
	free(t->description);
	free(t->encrypted_key);
	for (i = 0; i < t->n_permissions; i++)
		free(t->permissions[i]);
	free(t->permissions);
	token_row_init(t);
}

void
store_rows_release(struct store_rows *r)
{
	/* the values own nothing: their texts are all in r->text */
	free(r->v);
	free(r->text);
	r->v = NULL;
	r->n_rows = 0;
	r->n_cols = 0;
	r->text = NULL;
	r->text_len = 0;
	r->text_alloc = 0;
}

void
admin_permission_release(struct admin_permission *p)
{
	free(p->action);
	free(p->subject);
	free(p->properties);
	free(p->conditions);
	memset(p, 0, sizeof(*p));
}

void
admin_permissions_free(struct admin_permission *p, size_t n)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		admin_permission_release(&p[i]);
	free(p);
}

void
admin_role_init(struct admin_role *r)
{
	memset(r, 0, sizeof(*r));
}

void
admin_role_release(struct admin_role *r)
{
	free(r->document_id);
	free(r->name);
	free(r->code);
	free(r->description);
	admin_role_init(r);
}

void
admin_user_init(struct admin_user *u)
{
	memset(u, 0, sizeof(*u));
}

void
admin_user_release(struct admin_user *u)
{
	size_t i;

	free(u->document_id);
	free(u->firstname);
	free(u->lastname);
	free(u->username);
	free(u->email);
	secret_free(u->password);
	free(u->prefered_language);
	for (i = 0; i < u->n_roles; i++)
		admin_role_release(&u->roles[i]);
	free(u->roles);
	admin_user_init(u);
}

int
store_open(const struct store_options *o, struct store **out, struct err *e)
{
	const struct store_ops *ops;
	const char *client;
	struct store *s;
	int ret;

	*out = NULL;
	client = o->client && *o->client ? o->client : "sqlite";
	if (!strcmp(client, "sqlite"))
		ops = &store_sqlite_ops;
	else if (!strcmp(client, "postgres"))
#ifdef TOLLGATE_WITH_POSTGRES
		ops = &store_pg_ops;
#else
		return err_set(e, ERR_VALIDATION,
			       "postgres support is not built in");
#endif
	else
		return err_set(e, ERR_VALIDATION,
			       "unknown database client '%.64s'", client);

	s = xcalloc(1, sizeof(*s));
	s->ops = ops;
	ret = ops->open(s, o, e);
	if (ret) {
		free(s);
		return ret;
	}
	ret = o->no_migrate ? 0 : ops->migrate(s, e);
	if (ret) {
		ops->close(s);
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	s->ops->close(s);
	free(s);
}

void
store_thread_release(struct store *s)
{
	if (s)
		s->ops->thread_release(s);
}

const char *
store_backend_name(const struct store *s)
{
	return s->ops->name;
}

int
store_begin(struct store *s)
{
	return s->ops->begin(s);
}

int
store_commit(struct store *s)
{
	return s->ops->commit(s);
}

int
store_rollback(struct store *s)
{
	return s->ops->rollback(s);
}

int
store_sync_schema(struct store *s, const struct schema_registry *reg,
		  struct err *e)
{
	return s->ops->sync_schema(s, reg, e);
}

int
store_meta_get(struct store *s, const char *key, char **value)
{
	return s->ops->meta_get(s, key, value);
}

int
store_meta_set(struct store *s, const char *key, const char *value)
{
	return s->ops->meta_set(s, key, value);
}

int
store_token_insert(struct store *s, struct token_row *t)
{
	return s->ops->token_insert(s, t);
}

int
store_token_get(struct store *s, int64_t id, struct token_row *t)
{
	return s->ops->token_get(s, id, t);
}

int
store_token_get_by_hash(struct store *s, const char *hash, struct token_row *t)
{
	return s->ops->token_get_by_hash(s, hash, t);
}

int
store_token_name_taken(struct store *s, const char *name, int64_t exclude_id,
		       int kind_or_any, bool *taken)
{
	return s->ops->token_name_taken(s, name, exclude_id, kind_or_any,
					taken);
}

int
store_token_list(struct store *s, int kind, struct token_row **rows, size_t *n)
{
	return s->ops->token_list(s, kind, rows, n);
}

int
store_token_update(struct store *s, const struct token_row *t, unsigned flags)
{
	return s->ops->token_update(s, t, flags);
}

int
store_token_delete(struct store *s, int64_t id)
{
	return s->ops->token_delete(s, id);
}

int
store_token_touch(struct store *s, int64_t id, int64_t now, int64_t min_age)
{
	return s->ops->token_touch(s, id, now, min_age);
}

int
store_token_count(struct store *s, int64_t *n)
{
	return s->ops->token_count(s, n);
}

int
store_token_generation(struct store *s, uint64_t *gen)
{
	return s->ops->token_generation(s, gen);
}

int
store_token_prune_permissions(struct store *s,
			      const struct schema_registry *reg,
			      int64_t *removed)
{
	return s->ops->token_prune_permissions(s, reg, removed);
}

int
store_admin_user_count(struct store *s, int64_t *n)
{
	return s->ops->admin_user_count(s, n);
}

bool
store_content_version(struct store *s, uint64_t *v)
{
	return s->ops->content_version(s, v);
}

int
store_content_find(struct store *s, const struct content_type *ct,
		   const struct query *q, enum pub_filter pub,
		   struct store_rows *out, int64_t *total, struct err *e)
{
	return s->ops->content_find(s, ct, q, pub, out, total, e);
}

int
store_content_get(struct store *s, const struct content_type *ct,
		  const char *document_id, const struct filter *extra,
		  enum pub_filter pub, struct store_rows *out)
{
	return s->ops->content_get(s, ct, document_id, extra, pub, out);
}

int
store_content_get_id(struct store *s, const struct content_type *ct, int64_t id,
		     struct store_rows *out)
{
	return s->ops->content_get_id(s, ct, id, out);
}

int
store_content_insert(struct store *s, const struct content_type *ct,
		     const struct sqlval *vals, const bool *present,
		     int64_t *new_id)
{
	return s->ops->content_insert(s, ct, vals, present, new_id);
}

int
store_content_update(struct store *s, const struct content_type *ct, int64_t id,
		     const struct sqlval *vals, const bool *present)
{
	return s->ops->content_update(s, ct, id, vals, present);
}

int
store_content_delete_id(struct store *s, const struct content_type *ct,
			int64_t id)
{
	return s->ops->content_delete_id(s, ct, id);
}

int
store_content_delete_document(struct store *s, const struct content_type *ct,
			      const char *document_id, enum pub_filter pub)
{
	return s->ops->content_delete_document(s, ct, document_id, pub);
}

int
store_content_unique_taken(struct store *s, const struct content_type *ct,
			   const struct field *f, const struct sqlval *v,
			   const char *exclude_document_id, bool *taken)
{
	return s->ops->content_unique_taken(s, ct, f, v, exclude_document_id,
					    taken);
}

int
store_admin_user_insert(struct store *s, struct admin_user *u)
{
	return s->ops->user_insert(s, u);
}

int
store_admin_user_get(struct store *s, int64_t id, struct admin_user *u)
{
	return s->ops->user_get(s, id, u);
}

int
store_admin_user_get_by_email(struct store *s, const char *email,
			      struct admin_user *u)
{
	return s->ops->user_get_by_email(s, email, u);
}

int
store_admin_user_list(struct store *s, int64_t offset, int64_t limit,
		      struct admin_user **users, size_t *n, int64_t *total)
{
	return s->ops->user_list(s, offset, limit, users, n, total);
}

int
store_admin_user_update(struct store *s, const struct admin_user *u,
			unsigned flags)
{
	return s->ops->user_update(s, u, flags);
}

int
store_admin_user_delete(struct store *s, int64_t id)
{
	return s->ops->user_delete(s, id);
}

int
store_admin_role_insert(struct store *s, struct admin_role *r)
{
	return s->ops->role_insert(s, r);
}

int
store_admin_role_get(struct store *s, int64_t id, struct admin_role *r)
{
	return s->ops->role_get(s, id, r);
}

int
store_admin_role_get_by_code(struct store *s, const char *code,
			     struct admin_role *r)
{
	return s->ops->role_get_by_code(s, code, r);
}

int
store_admin_role_list(struct store *s, struct admin_role **roles, size_t *n)
{
	return s->ops->role_list(s, roles, n);
}

int
store_admin_role_update(struct store *s, const struct admin_role *r)
{
	return s->ops->role_update(s, r);
}

int
store_admin_role_delete(struct store *s, int64_t id)
{
	return s->ops->role_delete(s, id);
}

int
store_admin_role_permissions(struct store *s, int64_t role_id,
			     struct admin_permission **perms, size_t *n)
{
	return s->ops->role_permissions(s, role_id, perms, n);
}

int
store_admin_role_set_permissions(struct store *s, int64_t role_id,
				 const struct admin_permission *perms, size_t n)
{
	return s->ops->role_set_permissions(s, role_id, perms, n);
}

int
store_token_admin_permissions(struct store *s, int64_t token_id,
			      struct admin_permission **perms, size_t *n)
{
	return s->ops->token_admin_permissions(s, token_id, perms, n);
}

int
store_token_set_admin_permissions(struct store *s, int64_t token_id,
				  const struct admin_permission *perms,
				  size_t n)
{
	return s->ops->token_set_admin_permissions(s, token_id, perms, n);
}

int
store_session_insert(struct store *s, const char *sid, int64_t user_id,
		     int64_t expires_at)
{
	return s->ops->session_insert(s, sid, user_id, expires_at);
}

int
store_session_check(struct store *s, const char *sid, int64_t user_id,
		    int64_t now, bool *valid)
{
	return s->ops->session_check(s, sid, user_id, now, valid);
}

int
store_session_delete(struct store *s, const char *sid)
{
	return s->ops->session_delete(s, sid);
}

int
store_session_delete_user(struct store *s, int64_t user_id,
			  const char *keep_sid)
{
	return s->ops->session_delete_user(s, user_id, keep_sid);
}

int
store_public_actions(struct store *s, char ***actions, size_t *n)
{
	return s->ops->public_actions(s, actions, n);
}

int
store_set_public_actions(struct store *s, char *const *actions, size_t n)
{
	return s->ops->set_public_actions(s, actions, n);
}

int
store_admin_generation(struct store *s, uint64_t *gen)
{
	return s->ops->admin_generation(s, gen);
}

int
store_migrate(struct store *s, struct err *e)
{
	return s->ops->migrate(s, e);
}

int
store_migrations(struct store *s, struct store_migration **list, size_t *n)
{
	return s->ops->migrations(s, list, n);
}

int
store_lock_bootstrap(struct store *s)
{
	return s->ops->lock_bootstrap(s);
}

int
store_rows_read(struct store *s, const char *table, const char *const *cols,
		size_t n_cols, const char *order_by, store_row_fn fn, void *ctx)
{
	return s->ops->rows_read(s, table, cols, n_cols, order_by, fn, ctx);
}

int
store_rows_insert(struct store *s, const char *table, const char *const *cols,
		  size_t n_cols, const struct sqlval *row)
{
	return s->ops->rows_insert(s, table, cols, n_cols, row);
}

int
store_rows_clear(struct store *s, const char *table)
{
	return s->ops->rows_clear(s, table);
}

int
store_rows_finish(struct store *s, const char *table, bool has_id)
{
	return s->ops->rows_finish(s, table, has_id);
}
