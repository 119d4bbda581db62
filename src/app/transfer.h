/* SPDX-License-Identifier: MIT */
/*
 * transfer.h: a whole project's data as one JSON document, to move it
 * between backends (SQLite <-> PostgreSQL) with 'tollgate export|import'.
 *
 * The document holds every row of the server's own tables (tokens with their
 * hashes and encrypted keys, token permissions, administrators with their
 * password hashes, roles, role and admin-token permissions, public actions,
 * the server's settings in tollgate_meta) and of every content type's table,
 * values as stored (ids, timestamps in ms). Admin sessions and the cache
 * generations are not exported: after an import administrators log in again
 * and every cache starts afresh. The document is secret material (hashes,
 * encrypted keys): the CLI writes it with mode 0600.
 *
 *   { "format": "tollgate-export", "version": 1, "backend": "sqlite",
 *     "schemaVersion": 2, "exportedAt": "...",
 *     "tables": [ { "name": "admin_users", "columns": [...],
 *                   "rows": [[...], ...] }, ... ] }
 */
#ifndef APP_TRANSFER_H
#define APP_TRANSFER_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"
#include "core/err.h"

/* The project's data as a new JSON document ('*out', json_decref()). */
int transfer_export(struct app *app, json_t **out, struct err *e);

/*
 * Replace the project's data with the document's, in one transaction.
 * Refuses (ERR_CONFLICT) when the project already holds tokens,
 * administrators or entries, unless 'force'. ERR_VALIDATION when the
 * document is not an export, or names a table or column this project does
 * not have. '*rows' (may be NULL) receives the number of rows imported.
 */
int transfer_import(struct app *app, json_t *doc, bool force, long long *rows,
		    struct err *e);

#endif
