/* SPDX-License-Identifier: MIT */
/*
 * rawdb.h: plain connections to a store's database for the storage tests,
 * as another process (the sqlite3 shell, psql, another instance) would
 * make them. Failures fail the running cmocka test.
 *
 * Where both backends are meant, 'schema' chooses: non-NULL runs on
 * PostgreSQL ('url', in that schema), NULL on the SQLite file 'path'.
 */
#ifndef TESTS_RAWDB_H
#define TESTS_RAWDB_H

#include <libpq-fe.h>
#include <stdint.h>

/* A connection to 'url' with notices silenced, in 'schema' (NULL: the
 * default search path). PQfinish() it. */
PGconn *rawdb_pg_connect(const char *url, const char *schema);
void rawdb_pg_drop_schema(const char *url, const char *schema);

/* Run 'sql' (several statements allowed). */
void rawdb_exec(const char *path, const char *url, const char *schema,
		const char *sql);
/* The first column of the first row of 'sql' as an integer; -1 for none. */
int64_t rawdb_int(const char *path, const char *url, const char *schema,
		  const char *sql);

#endif
