/* SPDX-License-Identifier: MIT */
/*
 * jwt.h: compact JSON Web Tokens signed with HS256, for admin sessions.
 * Only "alg":"HS256" is accepted on verification (no "none", no RS/ES
 * confusion); the signature is compared in constant time.
 */
#ifndef CRYPTO_JWT_H
#define CRYPTO_JWT_H

#include <jansson.h>
#include <stdint.h>

#define JWT_MAX_LEN 4096 /* longer bearer values are not JWTs we issued */

/*
 * Sign 'claims' (borrowed; an object) with 'secret'. Returns a new string
 * "header.payload.signature" (free with free()), or NULL on failure or
 * when 'secret' is NULL/empty or 'claims' is not an object.
 */
char *jwt_sign(const char *secret, json_t *claims);

/*
 * Verify 'token' with 'secret' at time 'now_s' (seconds since the epoch):
 * structure, algorithm, signature, then "exp" (required, a number, must be
 * > now_s) and "nbf"/"iat" when present (not in the future beyond 60 s of
 * leeway). On success '*claims' is a new reference to the payload object.
 * The header must name "alg":"HS256", "typ" (optional) must be "JWT", and
 * "crit" must be absent; segments are unpadded base64url and both JSON
 * objects are refused with duplicate keys. Only 'len' bytes are read.
 * Returns 0, or ERR_UNAUTHORIZED for anything invalid or expired (also for
 * a NULL/empty secret).
 */
int jwt_verify(const char *secret, const char *token, size_t len,
	       int64_t now_s, json_t **claims);

#endif
