/* SPDX-License-Identifier: MIT */
/*
 * admin_session.c: administrator sessions: a store row per session (so
 * logout and deactivation end it at once) and an HS256 JWT naming it.
 */
#include "core/compat.h"
#include "auth/admin_session.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "crypto/jwt.h"

int
admin_session_issue(struct store *store, const char *secret, int64_t user_id,
		    char **jwt, struct err *e)
{
	unsigned char raw[18];
	char sid[48];
	int64_t now = time_now_ms(), exp = now + ADMIN_SESSION_TTL_MS;
	json_t *claims;
	int rc;

	*jwt = NULL;
	if (!secret || !*secret)
		return err_set(e, ERR_INTERNAL,
			       "Missing ADMIN_JWT_SECRET: admin sessions are "
			       "disabled");
	if (crypto_random(raw, sizeof(raw)) < 0)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	crypto_hex(raw, sizeof(raw), sid);
	rc = store_session_insert(store, sid, user_id, exp);
	if (rc < 0)
		return err_set(e, rc == ERR_UNAVAILABLE ? rc : ERR_STORAGE,
			       "Internal Server Error");
	claims = json_pack("{s:I,s:s,s:s,s:I,s:I}", "userId", (json_int_t)user_id,
			   "sessionId", sid, "type", "access", "iat",
			   (json_int_t)(now / 1000), "exp",
			   (json_int_t)(exp / 1000));
	*jwt = jwt_sign(secret, claims);
	json_decref(claims);
	secret_wipe(sid, sizeof(sid));
	if (!*jwt)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	return 0;
}

int
admin_session_verify(struct store *store, const char *secret,
		     const char *bearer, size_t len, int64_t *user_id,
		     char sid[48])
{
	json_t *claims = NULL, *juid;
	const char *s, *type;
	bool valid = false;
	int rc = ERR_UNAUTHORIZED;

	if (!secret || !*secret || len > JWT_MAX_LEN)
		return ERR_UNAUTHORIZED;
	if (jwt_verify(secret, bearer, len, time_now_ms() / 1000, &claims) < 0)
		return ERR_UNAUTHORIZED;
	juid = json_object_get(claims, "userId");
	s = json_string_value(json_object_get(claims, "sessionId"));
	type = json_string_value(json_object_get(claims, "type"));
	if (!json_is_integer(juid) || !s || strlen(s) >= 48 || !type ||
	    strcmp(type, "access"))
		goto out;
	if (store_session_check(store, s, json_integer_value(juid),
				time_now_ms(), &valid) < 0 ||
	    !valid)
		goto out;
	*user_id = json_integer_value(juid);
	snprintf(sid, 48, "%s", s);
	rc = 0;
out:
	json_decref(claims);
	return rc;
}

int
admin_session_end(struct store *store, const char *sid)
{
	if (!sid || !*sid)
		return 0;
	return store_session_delete(store, sid);
}
