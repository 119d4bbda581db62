/* SPDX-License-Identifier: MIT */
/*
 * backend.h: what the storage backends (sqlite.c, pg.c, pg_content.c) share
 * that does not speak to a database: SQL text for the content tables, the
 * token and role row helpers, small name sets. For backends only.
 */
#ifndef STORAGE_BACKEND_H
#define STORAGE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "storage/store.h"

/* A small set of names (columns seen), owned strings. */
struct name_set {
	char **v;
	size_t n;
};

/* Whether 'reg' registers the content-API action UID 'action'. */
bool backend_action_registered(const struct schema_registry *reg,
			       const char *action);

/* Append "col1", "col2", ... (identifiers quoted). */
void backend_add_cols(struct buf *sql, const char *const *cols, size_t n_cols);

/* Append " AND published_at IS [NOT] NULL" for 'pub' (nothing for PUB_ANY). */
void backend_add_pub_cond(struct buf *b, const struct content_type *ct,
			  enum pub_filter pub);

/* Append "SELECT <each field's column>" in ct->fields order. */
void backend_add_select(struct buf *b, const struct content_type *ct);

/* qsort() order of struct token_row by id. */
int backend_cmp_row_id(const void *a, const void *b);

/*
 * Emails fold ASCII letters only, as SQLite's NOCASE does, so the C side
 * and the unique index agree on which two addresses are the same.
 */
void backend_email_fold(char *s);

/*
 * Which attributes get an index: unique ones (every write checks them),
 * and the scalar types people filter by range and sort on (numbers, dates,
 * enumerations, uids, emails, short strings). Long text, rich text, JSON,
 * booleans and passwords do not: an index would cost every write and help
 * no query. Private attributes cannot be filtered or sorted on.
 */
bool backend_indexed(const struct field *f);

/* The stored texts of token kinds ("content-api", "admin") and types. */
const char *backend_kind_text(enum token_kind k);
const char *backend_type_text(enum token_type t);

/* add copies 'name'; release frees every name and empties the set. */
void backend_name_set_add(struct name_set *ns, const char *name);
bool backend_name_set_has(const struct name_set *ns, const char *name);
void backend_name_set_release(struct name_set *ns);

/* An empty result with ct->n_fields columns. */
void backend_rows_init(struct store_rows *out, const struct content_type *ct);

/*
 * Filling a result's text block (store.h, struct store_rows): make room for
 * at least 'bytes' more, when the reader knows them up front (else the
 * block grows by doubling).
 */
void backend_rows_text_reserve(struct store_rows *out, size_t bytes);

/*
 * Make 'v' (a value of 'out') an SV_TEXT copy of the 'n' bytes at 's' in
 * the block, NUL added. Until backend_rows_text_done() it holds the copy's
 * offset in 'i' and a NULL 's', since the block may still move as it grows.
 */
void backend_rows_text(struct store_rows *out, struct sqlval *v, const char *s,
		       size_t n);

/*
 * Point every text value of 'out' at its copy. Call it once the last row
 * is read: rows added after it could move the block from under them.
 */
void backend_rows_text_done(struct store_rows *out);

/* The column of a system field, or its conventional name. */
const char *backend_sys_column(const struct content_type *ct,
			       enum sys_field sys, const char *fallback);

/* Append 'action' (taken over) to t->permissions. */
void backend_token_add_permission(struct token_row *t, char *action);

#endif
