/* SPDX-License-Identifier: MIT */
/*
 * store.h: the storage interface. Everything above this header is backend
 * neutral; only storage/sqlite.c (and later storage/pg.c) speak a database.
 *
 * Threads: a struct store may be used from any number of threads at once.
 * Each thread gets its own database connection on first use (no lock is
 * taken on the request path); store_thread_release() closes the calling
 * thread's connection, store_close() closes them all. Transactions
 * (store_begin/commit/rollback) belong to the calling thread's connection.
 *
 * Errors: ERR_NOT_FOUND for a missing row where documented, ERR_STORAGE for
 * a database failure (logged here, with no values), ERR_UNAVAILABLE when the
 * database is busy past the busy timeout.
 *
 * Times are UTC milliseconds; TIME_NULL marks an SQL NULL time.
 */
#ifndef STORAGE_STORE_H
#define STORAGE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "query/query.h"
#include "schema/schema.h"

#define TIME_NULL INT64_MIN

struct store;

struct store_options {
	const char *client;   /* "sqlite" or "postgres" */
	const char *filename; /* SQLite file, relative to the project dir */
	const char *project_dir;
	int busy_timeout_ms;  /* default 5000 */
	/* PostgreSQL: 'url' (a libpq URI) wins over the separate fields */
	const char *url;
	const char *host;
	unsigned port;
	const char *name;
	const char *username;
	const char *password;
	bool ssl;             /* sslmode=require (else prefer) */
	const char *schema;   /* NULL or "public": the default schema */
	unsigned pool_max;    /* most connections; 0: 16 */
	bool no_migrate;      /* open only ('migrate status'); do not migrate */
};

/* One schema migration, applied or pending (store_migrations()). */
struct store_migration {
	int64_t version;
	const char *name;     /* static */
	int64_t applied_at;   /* TIME_NULL while pending */
};

/*
 * Called by store_rows_read() for each row: 'row' holds n_cols values,
 * valid during the call only. A non-zero return stops the walk and is
 * returned.
 */
typedef int (*store_row_fn)(void *ctx, const struct sqlval *row);

/* ---- tokens ---------------------------------------------------------- */

enum token_kind { TOKEN_KIND_CONTENT_API = 0, TOKEN_KIND_ADMIN = 1 };
enum token_type { TOKEN_READ_ONLY = 0, TOKEN_FULL_ACCESS, TOKEN_CUSTOM };

/*
 * One row of the token table. Strings are owned by the row and freed by
 * token_row_release(); 'access_key' is the HMAC hash, never the plaintext.
 */
struct token_row {
	int64_t id;
	char *name;
	char *description;
	enum token_kind kind;
	enum token_type type;
	char access_key[129];
	char *encrypted_key;   /* NULL when not viewable */
	int64_t last_used_at;  /* TIME_NULL if never */
	int64_t expires_at;    /* TIME_NULL if unlimited */
	int64_t lifespan;      /* ms, 0 if unlimited */
	int64_t created_at;
	int64_t updated_at;
	int64_t owner_id;      /* admin tokens: owning admin user; else 0 */
	char **permissions;    /* custom tokens: action UIDs, sorted, unique */
	size_t n_permissions;
};

void token_row_init(struct token_row *t);
void token_row_release(struct token_row *t);

/* What token_update() changes. */
enum token_update_flags {
	TOKEN_UPD_NAME = 1 << 0,
	TOKEN_UPD_DESCRIPTION = 1 << 1,
	TOKEN_UPD_TYPE = 1 << 2,
	TOKEN_UPD_PERMISSIONS = 1 << 3, /* replace the permission set */
	TOKEN_UPD_LIFESPAN = 1 << 4,    /* lifespan and expires_at */
	TOKEN_UPD_KEY = 1 << 5,         /* access_key and encrypted_key */
	TOKEN_UPD_KIND = 1 << 6,
};

/* ---- content rows ---------------------------------------------------- */

/*
 * Rows as values: n_rows x n_cols sqlvals, column j being ct->fields[j].
 * Owned by the struct; store_rows_release() frees them.
 *
 * The texts of all the values live in one block, 'text', which the struct
 * owns: a backend makes one allocation per result rather than one per text
 * value (a page of 25 entries has hundreds). So an SV_TEXT value's 's' is
 * borrowed from the rows, valid until store_rows_release(): never free it,
 * release the value (sqlval_release()) or take the pointer over; copy the
 * value (sqlval_copy()) to keep it longer.
 */
struct store_rows {
	struct sqlval *v;
	size_t n_rows;
	size_t n_cols;
	char *text;        /* every text value's bytes and NUL; owned */
	size_t text_len;   /* bytes of 'text' in use */
	size_t text_alloc; /* its size (for the backend filling it) */
};
void store_rows_release(struct store_rows *r);
static inline const struct sqlval *
store_rows_at(const struct store_rows *r, size_t row, size_t col)
{
	return &r->v[row * r->n_cols + col];
}

/* Which versions of a draft & publish type a read sees. */
enum pub_filter { PUB_ANY = 0, PUB_PUBLISHED, PUB_DRAFT };

/* ---- administrators, roles, permissions --------------------------------- */

/*
 * One row of admin_permissions: granted to a role (role_id) or held by an
 * admin token (token_id). 'properties' and 'conditions' are JSON texts
 * ("{}" and "[]" when empty); 'subject' is a content-type UID or NULL.
 */
struct admin_permission {
	int64_t id;
	char *action;
	char *subject;
	char *properties;
	char *conditions;
	int64_t created_at;
	int64_t updated_at;
};
void admin_permission_release(struct admin_permission *p);
void admin_permissions_free(struct admin_permission *p, size_t n);

struct admin_role {
	int64_t id;
	char *document_id;
	char *name;
	char *code;        /* "strapi-super-admin", "strapi-editor", ... */
	char *description;
	int64_t users_count; /* filled by role_get/role_list */
	int64_t created_at;
	int64_t updated_at;
};
void admin_role_init(struct admin_role *r);
void admin_role_release(struct admin_role *r);

struct admin_user {
	int64_t id;
	char *document_id;
	char *firstname;
	char *lastname;  /* may be NULL */
	char *username;  /* may be NULL */
	char *email;     /* stored lower-cased */
	char *password;  /* argon2id encoded hash; NULL until set. Never output */
	bool is_active;
	bool blocked;
	char *prefered_language; /* Strapi's spelling */
	int64_t created_at;
	int64_t updated_at;
	struct admin_role *roles; /* loaded by user_get/user_list */
	size_t n_roles;
};
void admin_user_init(struct admin_user *u);
void admin_user_release(struct admin_user *u);

enum admin_user_update_flags {
	USER_UPD_FIRSTNAME = 1 << 0,
	USER_UPD_LASTNAME = 1 << 1,
	USER_UPD_USERNAME = 1 << 2,
	USER_UPD_EMAIL = 1 << 3,
	USER_UPD_PASSWORD = 1 << 4,
	USER_UPD_ACTIVE = 1 << 5,
	USER_UPD_BLOCKED = 1 << 6,
	USER_UPD_LANGUAGE = 1 << 7,
	USER_UPD_ROLES = 1 << 8, /* replace the role set with u->roles[].id */
};

/* ---- the backend vtable ---------------------------------------------- */

struct store_ops {
	const char *name;
	int (*open)(struct store *s, const struct store_options *o, struct err *e);
	void (*close)(struct store *s);
	void (*thread_release)(struct store *s);

	int (*begin)(struct store *s);
	int (*commit)(struct store *s);
	int (*rollback)(struct store *s);

	int (*migrate)(struct store *s, struct err *e);
	int (*sync_schema)(struct store *s, const struct schema_registry *reg,
			   struct err *e);
	int (*meta_get)(struct store *s, const char *key, char **value);
	int (*meta_set)(struct store *s, const char *key, const char *value);

	int (*token_insert)(struct store *s, struct token_row *t);
	int (*token_get)(struct store *s, int64_t id, struct token_row *t);
	int (*token_get_by_hash)(struct store *s, const char *hash,
				 struct token_row *t);
	int (*token_name_taken)(struct store *s, const char *name,
				int64_t exclude_id, int kind_or_any, bool *taken);
	int (*token_list)(struct store *s, int kind, struct token_row **rows,
			  size_t *n);
	int (*token_update)(struct store *s, const struct token_row *t,
			    unsigned flags);
	int (*token_delete)(struct store *s, int64_t id);
	int (*token_touch)(struct store *s, int64_t id, int64_t now,
			   int64_t min_age);
	int (*token_count)(struct store *s, int64_t *n);
	int (*token_generation)(struct store *s, uint64_t *gen);
	int (*token_prune_permissions)(struct store *s,
				       const struct schema_registry *reg,
				       int64_t *removed);
	int (*admin_user_count)(struct store *s, int64_t *n);

	bool (*content_version)(struct store *s, uint64_t *v);
	int (*content_find)(struct store *s, const struct content_type *ct,
			    const struct query *q, enum pub_filter pub,
			    struct store_rows *out, int64_t *total,
			    struct err *e);
	int (*content_get)(struct store *s, const struct content_type *ct,
			   const char *document_id, const struct filter *extra,
			   enum pub_filter pub, struct store_rows *out);
	int (*content_get_id)(struct store *s, const struct content_type *ct,
			      int64_t id, struct store_rows *out);
	int (*content_insert)(struct store *s, const struct content_type *ct,
			      const struct sqlval *vals, const bool *present,
			      int64_t *new_id);
	int (*content_update)(struct store *s, const struct content_type *ct,
			      int64_t id, const struct sqlval *vals,
			      const bool *present);
	int (*content_delete_id)(struct store *s, const struct content_type *ct,
				 int64_t id);
	int (*content_delete_document)(struct store *s,
				       const struct content_type *ct,
				       const char *document_id,
				       enum pub_filter pub);
	int (*content_unique_taken)(struct store *s,
				    const struct content_type *ct,
				    const struct field *f,
				    const struct sqlval *v,
				    const char *exclude_document_id,
				    bool *taken);
	/* administrators (see the store_admin_* functions below) */
	int (*user_insert)(struct store *s, struct admin_user *u);
	int (*user_get)(struct store *s, int64_t id, struct admin_user *u);
	int (*user_get_by_email)(struct store *s, const char *email,
				 struct admin_user *u);
	int (*user_list)(struct store *s, int64_t offset, int64_t limit,
			 struct admin_user **users, size_t *n, int64_t *total);
	int (*user_update)(struct store *s, const struct admin_user *u,
			   unsigned flags);
	int (*user_delete)(struct store *s, int64_t id);
	int (*role_insert)(struct store *s, struct admin_role *r);
	int (*role_get)(struct store *s, int64_t id, struct admin_role *r);
	int (*role_get_by_code)(struct store *s, const char *code,
				struct admin_role *r);
	int (*role_list)(struct store *s, struct admin_role **roles, size_t *n);
	int (*role_update)(struct store *s, const struct admin_role *r);
	int (*role_delete)(struct store *s, int64_t id);
	int (*role_permissions)(struct store *s, int64_t role_id,
				struct admin_permission **perms, size_t *n);
	int (*role_set_permissions)(struct store *s, int64_t role_id,
				    const struct admin_permission *perms,
				    size_t n);
	int (*token_admin_permissions)(struct store *s, int64_t token_id,
				       struct admin_permission **perms,
				       size_t *n);
	int (*token_set_admin_permissions)(struct store *s, int64_t token_id,
					   const struct admin_permission *perms,
					   size_t n);
	int (*session_insert)(struct store *s, const char *sid, int64_t user_id,
			      int64_t expires_at);
	int (*session_check)(struct store *s, const char *sid, int64_t user_id,
			     int64_t now, bool *valid);
	int (*session_delete)(struct store *s, const char *sid);
	int (*session_delete_user)(struct store *s, int64_t user_id,
				   const char *keep_sid);
	int (*public_actions)(struct store *s, char ***actions, size_t *n);
	int (*set_public_actions)(struct store *s, char *const *actions,
				  size_t n);
	int (*admin_generation)(struct store *s, uint64_t *gen);

	/* schema migrations, bootstrap lock, whole-table transfer */
	int (*migrations)(struct store *s, struct store_migration **list,
			  size_t *n);
	int (*lock_bootstrap)(struct store *s);
	int (*rows_read)(struct store *s, const char *table,
			 const char *const *cols, size_t n_cols,
			 const char *order_by, store_row_fn fn, void *ctx);
	int (*rows_insert)(struct store *s, const char *table,
			   const char *const *cols, size_t n_cols,
			   const struct sqlval *row);
	int (*rows_clear)(struct store *s, const char *table);
	int (*rows_finish)(struct store *s, const char *table, bool has_id);
};

extern const struct store_ops store_sqlite_ops;
#ifdef TOLLGATE_WITH_POSTGRES
extern const struct store_ops store_pg_ops;
#endif

/* ---- the public functions (dispatch through the vtable) -------------- */

/*
 * Open the store named by o->client ("sqlite"; "postgres" when built with
 * it) and apply migrations. On success '*out' is a new store (free with
 * store_close()). ERR_VALIDATION for an unknown client, ERR_STORAGE/ERR_IO
 * when the database cannot be opened.
 */
int store_open(const struct store_options *o, struct store **out,
	       struct err *e);
void store_close(struct store *s);
void store_thread_release(struct store *s);
const char *store_backend_name(const struct store *s);

int store_begin(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);

/* Create missing content tables, columns and indexes for 'reg'. */
int store_sync_schema(struct store *s, const struct schema_registry *reg,
		      struct err *e);

/* A small key/value table for the server's own state. '*value' is new (free()), NULL when absent. */
int store_meta_get(struct store *s, const char *key, char **value);
int store_meta_set(struct store *s, const char *key, const char *value);

/*
 * Tokens. Every change (insert, update, delete) increases the token
 * generation in the same transaction, so every connection, in this process
 * or another (the CLI), can notice it with store_token_generation(), which
 * costs no database call when nothing changed. A change made through this
 * store is seen by every thread at once; one made by another process within
 * the backend's watch period: SQLite, a watcher thread looks for other
 * connections' commits every 50 ms; PostgreSQL, a listener is notified
 * (LISTEN/NOTIFY) and checks every 250 ms in case a notification is lost.
 *
 * token_insert: t->id, created_at, updated_at are set by the caller except
 *   id, which is filled in. Permissions are inserted too.
 * token_get / token_get_by_hash: ERR_NOT_FOUND when absent. Any kind.
 * token_name_taken: kind_or_any is a token_kind or -1 for any kind.
 * token_list: kind or -1; sorted by name (binary), then id. '*rows' is a new
 *   array of n rows; release each and free() the array.
 * token_update: writes the fields named by 'flags' plus updated_at.
 *   ERR_NOT_FOUND when the row is gone.
 * token_delete: ERR_NOT_FOUND when absent; deletes permissions too.
 * token_touch: set last_used_at (and updated_at) to 'now' when it is NULL or
 *   at least 'min_age' ms old. Does not change the token generation.
 * token_prune_permissions: delete permission rows whose action 'reg' no
 *   longer registers (start-up).
 */
int store_token_insert(struct store *s, struct token_row *t);
int store_token_get(struct store *s, int64_t id, struct token_row *t);
int store_token_get_by_hash(struct store *s, const char *hash,
			    struct token_row *t);
int store_token_name_taken(struct store *s, const char *name,
			   int64_t exclude_id, int kind_or_any, bool *taken);
int store_token_list(struct store *s, int kind, struct token_row **rows,
		     size_t *n);
int store_token_update(struct store *s, const struct token_row *t,
		       unsigned flags);
int store_token_delete(struct store *s, int64_t id);
int store_token_touch(struct store *s, int64_t id, int64_t now,
		      int64_t min_age);
int store_token_count(struct store *s, int64_t *n);
int store_token_generation(struct store *s, uint64_t *gen);
int store_token_prune_permissions(struct store *s,
				  const struct schema_registry *reg,
				  int64_t *removed);
int store_admin_user_count(struct store *s, int64_t *n);

/*
 * Content.
 * content_find: the page of rows matching q->filter (plus 'pub' and, for
 *   drafts, q->has_published), ordered by q->sort then id, offset/limit from
 *   q->pg. '*total' (when not NULL) receives the count of all matches.
 * content_get: the row with 'document_id' that also matches 'extra' (may be
 *   NULL) and 'pub'; out->n_rows is 0 or 1.
 * content_insert: 'vals'/'present' are indexed like ct->fields; the caller
 *   supplies documentId, createdAt, updatedAt, publishedAt. '*new_id'
 *   receives the row id.
 * content_update: writes the present fields of row 'id'.
 * content_delete_document: deletes the rows of the document that match 'pub'.
 */
int store_content_find(struct store *s, const struct content_type *ct,
		       const struct query *q, enum pub_filter pub,
		       struct store_rows *out, int64_t *total, struct err *e);
int store_content_get(struct store *s, const struct content_type *ct,
		      const char *document_id, const struct filter *extra,
		      enum pub_filter pub, struct store_rows *out);
int store_content_get_id(struct store *s, const struct content_type *ct,
			 int64_t id, struct store_rows *out);
int store_content_insert(struct store *s, const struct content_type *ct,
			 const struct sqlval *vals, const bool *present,
			 int64_t *new_id);
int store_content_update(struct store *s, const struct content_type *ct,
			 int64_t id, const struct sqlval *vals,
			 const bool *present);
int store_content_delete_id(struct store *s, const struct content_type *ct,
			    int64_t id);
int store_content_delete_document(struct store *s,
				  const struct content_type *ct,
				  const char *document_id, enum pub_filter pub);
int store_content_unique_taken(struct store *s, const struct content_type *ct,
			       const struct field *f, const struct sqlval *v,
			       const char *exclude_document_id, bool *taken);

/*
 * A counter that moves after every committed change the content could
 * depend on, without a database round trip or a lock: '*v' is set and true
 * is returned when the backend can tell. Read it before a read begins; a
 * result made from that read may be reused while the counter keeps the
 * value read. Changes made by this process move it as soon as they commit;
 * changes made elsewhere (another process on the SQLite file, another
 * instance on PostgreSQL) as soon as the backend notices them (SQLite's
 * change watcher, every 50 ms; PostgreSQL's NOTIFY listener, with its
 * 250 ms fallback). False when the backend cannot follow changes cheaply
 * (SQLite without its watcher thread): nothing may be reused then.
 */
bool store_content_version(struct store *s, uint64_t *v);

/*
 * Administrators, roles and their permissions.
 *
 * user_insert: fills u->id; u->roles[].id (when n_roles) are linked.
 * user_get / user_get_by_email: ERR_NOT_FOUND when absent; roles loaded
 *   (id, name, code, description). Emails compare case-insensitively.
 * user_list: ordered by id; '*users' is a new array (release each, free()).
 * user_update: the fields named by 'flags' plus updated_at; ERR_NOT_FOUND.
 * user_delete: deletes the user, their sessions, their admin tokens (with
 *   those tokens' permissions) and role links; ERR_NOT_FOUND.
 * role_*: ERR_NOT_FOUND when absent; role_list ordered by id with
 *   users_count; role_delete refuses (ERR_CONFLICT) while users hold it.
 * role_set_permissions / token_set_admin_permissions: replace the whole set
 *   in one transaction (ids and timestamps are assigned by the store).
 * session_*: server-side admin sessions (JWT ids). session_check sets
 *   '*valid' when the session exists, belongs to 'user_id' and has not
 *   expired at 'now'. Deleting a user deletes their sessions.
 * public_actions: the content-API action UIDs granted to unauthenticated
 *   requests (sorted); '*actions' is a new NULL-terminated array of new
 *   strings (free each, then the array). set_public_actions replaces it.
 * admin_generation: like store_token_generation(), for everything the
 *   admin authorisation depends on (users' active/blocked flags and roles,
 *   roles, permissions, sessions, admin tokens, public actions), so caches
 *   of sessions and abilities can be dropped the moment any of it changes.
 */
int store_admin_user_insert(struct store *s, struct admin_user *u);
int store_admin_user_get(struct store *s, int64_t id, struct admin_user *u);
int store_admin_user_get_by_email(struct store *s, const char *email,
				  struct admin_user *u);
int store_admin_user_list(struct store *s, int64_t offset, int64_t limit,
			  struct admin_user **users, size_t *n,
			  int64_t *total);
int store_admin_user_update(struct store *s, const struct admin_user *u,
			    unsigned flags);
int store_admin_user_delete(struct store *s, int64_t id);
int store_admin_role_insert(struct store *s, struct admin_role *r);
int store_admin_role_get(struct store *s, int64_t id, struct admin_role *r);
int store_admin_role_get_by_code(struct store *s, const char *code,
				 struct admin_role *r);
int store_admin_role_list(struct store *s, struct admin_role **roles,
			  size_t *n);
int store_admin_role_update(struct store *s, const struct admin_role *r);
int store_admin_role_delete(struct store *s, int64_t id);
int store_admin_role_permissions(struct store *s, int64_t role_id,
				 struct admin_permission **perms, size_t *n);
int store_admin_role_set_permissions(struct store *s, int64_t role_id,
				     const struct admin_permission *perms,
				     size_t n);
int store_token_admin_permissions(struct store *s, int64_t token_id,
				  struct admin_permission **perms, size_t *n);
int store_token_set_admin_permissions(struct store *s, int64_t token_id,
				      const struct admin_permission *perms,
				      size_t n);
int store_session_insert(struct store *s, const char *sid, int64_t user_id,
			 int64_t expires_at);
int store_session_check(struct store *s, const char *sid, int64_t user_id,
			int64_t now, bool *valid);
int store_session_delete(struct store *s, const char *sid);
/* End every session of 'user_id' but 'keep_sid' (NULL: all), e.g. after a
 * password change. */
int store_session_delete_user(struct store *s, int64_t user_id,
			      const char *keep_sid);
int store_public_actions(struct store *s, char ***actions, size_t *n);
int store_set_public_actions(struct store *s, char *const *actions, size_t n);
int store_admin_generation(struct store *s, uint64_t *gen);

/*
 * Migrations and the start-up lock.
 *
 * store_open() applies pending migrations under a lock (several instances
 * starting together on one PostgreSQL migrate once) unless o->no_migrate.
 * store_migrate() applies them on a store opened with no_migrate.
 * store_migrations: every migration this build knows, in version order,
 *   with applied_at from the database; '*list' is a new array (free()).
 * store_lock_bootstrap: inside store_begin()..commit, serialise with every
 *   other process on the same database until the transaction ends (first
 *   run work such as the default tokens happens once).
 */
int store_migrate(struct store *s, struct err *e);
int store_migrations(struct store *s, struct store_migration **list,
		     size_t *n);
int store_lock_bootstrap(struct store *s);

/*
 * Whole-table access for export and import (storage/transfer.h), never for
 * requests. Table and column names are quoted by the backend; they come
 * from transfer.c's fixed list and the schema, never from input.
 * rows_read: every row of 'table', columns 'cols', ordered by 'order_by'
 *   (a column list such as "id" or "user_id, role_id").
 * rows_insert: one row, values as given (ids included); triggers fire.
 * rows_clear: delete every row of 'table'.
 * rows_finish: after an import, make new ids continue after the largest
 *   one (PostgreSQL sequences); 'has_id' says the table has an id column.
 */
int store_rows_read(struct store *s, const char *table,
		    const char *const *cols, size_t n_cols,
		    const char *order_by, store_row_fn fn, void *ctx);
int store_rows_insert(struct store *s, const char *table,
		      const char *const *cols, size_t n_cols,
		      const struct sqlval *row);
int store_rows_clear(struct store *s, const char *table);
int store_rows_finish(struct store *s, const char *table, bool has_id);

#endif
