/* SPDX-License-Identifier: MIT */
/*
 * pg_internal.h: what storage/pg.c (connections, statements, transactions,
 * tokens, administrators) shares with storage/pg_content.c (content tables
 * and their schema). For those two files only, never for callers.
 *
 * Every function here runs on the calling thread's connection, which
 * pgs_conn_get() finds or opens. Errors are negative err codes; database
 * failures are logged by pgs_query() (message only, never bound values),
 * and a lost server (the connection is then dropped) is ERR_UNAVAILABLE.
 */
#ifndef STORAGE_PG_INTERNAL_H
#define STORAGE_PG_INTERNAL_H

#include <libpq-fe.h>

#include "core/buf.h"
#include "storage/store_impl.h"

/* Type OIDs of the built-in types we send or read (pg_type.dat). */
#define PGS_BOOLOID 16
#define PGS_INT8OID 20
#define PGS_INT2OID 21
#define PGS_INT4OID 23
#define PGS_TEXTOID 25
#define PGS_FLOAT4OID 700
#define PGS_FLOAT8OID 701
#define PGS_NUMERICOID 1700

struct pg_conn;

/*
 * The parameters of one statement, sent as text. Each has a type OID: int8
 * and float8 for numbers, text for our own text columns, and 0 (let the
 * server infer it from the context) where a value meets a column whose
 * type the statement decides. Values are wiped when released (some are
 * secrets), and text that is not UTF-8 is mended (U+FFFD for each bad
 * byte), since the server refuses it where SQLite keeps it.
 */
struct pgs_params {
	char **v; /* NULL binds SQL NULL; owned */
	Oid *types;
	size_t n, alloc;
};

void pgs_params_init(struct pgs_params *p);
void pgs_params_release(struct pgs_params *p);
void pgs_add_i64(struct pgs_params *p, int64_t v);
/* 'v' == 'null_value' binds SQL NULL. */
void pgs_add_opt(struct pgs_params *p, int64_t v, int64_t null_value);
/* Text (copied) typed as text; NULL binds SQL NULL. */
void pgs_add_text(struct pgs_params *p, const char *s);
/* A value by its kind: int8, float8, or text with type 0 (inferred). */
void pgs_add_val(struct pgs_params *p, const struct sqlval *v);

/* The calling thread's ready connection to 's' (opened or reopened). */
int pgs_conn_get(struct store *s, struct pg_conn **out);

/*
 * Run one statement. 'cache': prepare it once per connection (keyed by its
 * text and parameter types) and run the prepared copy. On success '*res'
 * (when not NULL) is the result (PQclear() it); '*changes' (when not
 * NULL) the count of rows the statement touched.
 */
int pgs_query(struct pg_conn *c, const char *sql, bool cache,
	      const struct pgs_params *p, const char *what, PGresult **res);
int pgs_exec(struct pg_conn *c, const char *sql, bool cache,
	     const struct pgs_params *p, const char *what, int64_t *changes);

/*
 * Transactions on the connection: an outermost write level serialises
 * with every other writer on the database (as SQLite's BEGIN IMMEDIATE
 * does); an outermost read level is one snapshot; nested levels are
 * savepoints. pgs_tx_finish() leaves with commit when 'ret' is 0, else
 * rolls back, and returns the outcome.
 */
/*
 * List counts. pgs_conn_dirty: this connection's statement wrote; call it
 * after the statement (generations are read again at once outside a
 * transaction, else after it; its cached counts are dropped).
 * pgs_content_generation: the content counter as this instance knows it
 * (raised by its own commits at once, by other instances' through the
 * listener). A count is cached with the generation read before its
 * snapshot began and used while the generation has not moved; never
 * inside a caller's transaction.
 */
void pgs_conn_dirty(struct pg_conn *c);
uint64_t pgs_content_generation(const struct pg_conn *c);
bool pgs_count_cached(struct pg_conn *c, const struct content_type *ct,
		      int pub, uint64_t gen, int64_t *total);
void pgs_count_store(struct pg_conn *c, const struct content_type *ct,
		     int pub, uint64_t gen, int64_t total);

int pgs_tx_enter(struct pg_conn *c, bool write);
int pgs_tx_leave(struct pg_conn *c, bool commit);
int pgs_tx_finish(struct pg_conn *c, int ret);

/* Result cells: NULL reads as 0 / 'null_value' / NULL (a new string). */
int64_t pgs_i64(const PGresult *r, int row, int col);
int64_t pgs_opt(const PGresult *r, int row, int col, int64_t null_value);
double pgs_real(const PGresult *r, int row, int col);
char *pgs_text(const PGresult *r, int row, int col);

/* Fill 'e' for a database failure 'ret' ("the database is busy", ...). */
int pgs_set_db_err(struct err *e, int ret);

/* ---- pg_content.c ---------------------------------------------------- */

int pgs_content_find(struct store *s, const struct content_type *ct,
		     const struct query *q, enum pub_filter pub,
		     struct store_rows *out, int64_t *total, struct err *e);
int pgs_content_get(struct store *s, const struct content_type *ct,
		    const char *document_id, const struct filter *extra,
		    enum pub_filter pub, struct store_rows *out);
int pgs_content_get_id(struct store *s, const struct content_type *ct,
		       int64_t id, struct store_rows *out);
int pgs_content_insert(struct store *s, const struct content_type *ct,
		       const struct sqlval *vals, const bool *present,
		       int64_t *new_id);
int pgs_content_update(struct store *s, const struct content_type *ct,
		       int64_t id, const struct sqlval *vals,
		       const bool *present);
int pgs_content_delete_id(struct store *s, const struct content_type *ct,
			  int64_t id);
int pgs_content_delete_document(struct store *s, const struct content_type *ct,
				const char *document_id, enum pub_filter pub);
int pgs_content_unique_taken(struct store *s, const struct content_type *ct,
			     const struct field *f, const struct sqlval *v,
			     const char *exclude_document_id, bool *taken);
int pgs_sync_schema(struct store *s, const struct schema_registry *reg,
		    struct err *e);

#endif
