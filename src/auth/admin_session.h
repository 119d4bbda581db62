/* SPDX-License-Identifier: MIT */
/*
 * admin_session.h: administrator sessions. A session is a row in the store
 * (so logout and deactivation end it at once) named by a random id, and
 * the client holds an HS256 JWT {userId, sessionId, type:"access", iat, exp}
 * signed with ADMIN_JWT_SECRET.
 */
#ifndef AUTH_ADMIN_SESSION_H
#define AUTH_ADMIN_SESSION_H

#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"

#define ADMIN_SESSION_TTL_MS (7LL * 24 * 3600 * 1000)

/*
 * Start a session for user 'user_id': '*jwt' is a new string (free with
 * secret_free()). ERR_INTERNAL without a secret.
 */
int admin_session_issue(struct store *store, const char *secret,
			int64_t user_id, char **jwt, struct err *e);

/*
 * Check a bearer value: a JWT we signed, unexpired, whose session still
 * exists. On success '*user_id' and 'sid' (48 bytes) are filled and 0 is
 * returned; ERR_UNAUTHORIZED otherwise (the caller then tries admin tokens).
 */
int admin_session_verify(struct store *store, const char *secret,
			 const char *bearer, size_t len, int64_t *user_id,
			 char sid[48]);

/* End session 'sid' (logout). */
int admin_session_end(struct store *store, const char *sid);

#endif
