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
	const char *client;   /* "sqlite" */
	const char *filename; /* SQLite file, relative to the project dir */
	const char *project_dir;
	int busy_timeout_ms;  /* default 5000 */
};

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
 */
struct store_rows {
	struct sqlval *v;
	size_t n_rows;
	size_t n_cols;
};
void store_rows_release(struct store_rows *r);
static inline const struct sqlval *
store_rows_at(const struct store_rows *r, size_t row, size_t col)
{
	return &r->v[row * r->n_cols + col];
}

/* Which versions of a draft & publish type a read sees. */
enum pub_filter { PUB_ANY = 0, PUB_PUBLISHED, PUB_DRAFT };

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
};

extern const struct store_ops store_sqlite_ops;

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
 * costs no database round trip when nothing changed.
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

#endif
