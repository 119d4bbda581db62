/* SPDX-License-Identifier: MIT */
/* rawdb.c: see rawdb.h. */
#include "rawdb.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

PGconn *
rawdb_pg_connect(const char *url, const char *schema)
{
	PGconn *db = PQconnectdb(url);
	char sql[128];

	if (PQstatus(db) != CONNECTION_OK)
		fail_msg("raw connect: %s", PQerrorMessage(db));
	PQsetNoticeProcessor(db, quiet, NULL);
	if (schema) {
		snprintf(sql, sizeof(sql), "SET search_path TO \"%s\"", schema);
		PQclear(PQexec(db, sql));
	}
	return db;
}

void
rawdb_pg_drop_schema(const char *url, const char *schema)
{
	PGconn *db = rawdb_pg_connect(url, NULL);
	char sql[128];

	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS \"%s\" CASCADE",
		 schema);
	PQclear(PQexec(db, sql));
	PQfinish(db);
}

void
rawdb_exec(const char *path, const char *url, const char *schema,
	   const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	if (schema) {
		PGconn *pg = rawdb_pg_connect(url, schema);
		PGresult *res = PQexec(pg, sql);

		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK)
			fail_msg("raw exec: %s", PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(pg);
		return;
	}
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("raw exec: %s", msg);
	sqlite3_close(db);
}

int64_t
rawdb_int(const char *path, const char *url, const char *schema,
	  const char *sql)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	int64_t v = -1;

	if (schema) {
		PGconn *pg = rawdb_pg_connect(url, schema);
		PGresult *res = PQexec(pg, sql);

		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			fail_msg("raw query: %s", PQresultErrorMessage(res));
		if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
			v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		PQfinish(pg);
		return v;
	}
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}
