/* SPDX-License-Identifier: MIT */
/*
 * jwt.c: HS256 JSON Web Tokens (RFC 7519) for admin sessions. Verification
 * is deliberately narrow: one algorithm, unpadded base64url segments, JSON
 * objects without duplicate keys, and a mandatory numeric "exp". Every
 * failure is the same ERR_UNAUTHORIZED, so callers cannot leak why.
 */
#include "core/compat.h"
#include "crypto/jwt.h"
#include "core/err.h"
#include "core/mem.h"
#include "crypto/crypto.h"

#define JWT_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
#define MAC_LEN 32
#define MAC_B64_LEN 43 /* base64url of 32 bytes, unpadded */
#define CLOCK_LEEWAY_S 60

/* HMAC-SHA256 of 'input' as unpadded base64url: a new string, or NULL. */
static char *
sign_input(const char *secret, const char *input, size_t len)
{
	unsigned char mac[MAC_LEN];
	char *sig = NULL;

	if (crypto_hmac_sha256(secret, strlen(secret), input, len, mac) == 0)
		sig = crypto_base64url(mac, sizeof(mac));
	secret_wipe(mac, sizeof(mac));
	return sig;
}

char *
jwt_sign(const char *secret, json_t *claims)
{
	char *header = NULL, *payload = NULL, *json = NULL, *sig = NULL;
	char *input = NULL, *token = NULL;

	if (!secret || !*secret || !json_is_object(claims))
		return NULL;
	json = json_dumps(claims, JSON_COMPACT);
	if (!json)
		goto out;
	header = crypto_base64url(JWT_HEADER, strlen(JWT_HEADER));
	payload = crypto_base64url(json, strlen(json));
	input = xasprintf("%s.%s", header, payload);
	sig = sign_input(secret, input, strlen(input));
	if (!sig)
		goto out;
	token = xasprintf("%s.%s", input, sig);
out:
	secret_free(sig);
	free(input);
	free(payload);
	free(header);
	free(json);
	return token;
}

/* A non-empty run of the unpadded base64url alphabet. */
static bool
is_b64url(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Decode one segment as a JSON object: a new reference, or NULL. */
static json_t *
decode_object(const char *s, size_t len)
{
	unsigned char *raw;
	size_t rawlen;
	json_t *obj;

	raw = crypto_base64url_decode(s, len, &rawlen);
	if (!raw)
		return NULL;
	obj =
	    json_loadb((const char *)raw, rawlen, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (obj && !json_is_object(obj)) {
		json_decref(obj);
		obj = NULL;
	}
	return obj;
}

static bool
header_ok(const json_t *header)
{
	const json_t *alg = json_object_get(header, "alg");
	const json_t *typ = json_object_get(header, "typ");

	if (!json_is_string(alg) || strcmp(json_string_value(alg), "HS256"))
		return false;
	if (typ && (!json_is_string(typ) ||
		    strcmp(json_string_value(typ), "JWT") != 0))
		return false;
	/* we understand no extension, so any critical one is refused */
	return json_object_get(header, "crit") == NULL;
}

/* "nbf"/"iat": optional, but a number not in the future when present. */
static bool
not_future(const json_t *claims, const char *name, int64_t now_s)
{
	const json_t *v = json_object_get(claims, name);

	if (!v)
		return true;
	return json_is_number(v) &&
	       json_number_value(v) <= (double)now_s + CLOCK_LEEWAY_S;
}

static bool
claims_ok(const json_t *claims, int64_t now_s)
{
	const json_t *exp = json_object_get(claims, "exp");

	if (!json_is_number(exp) || !(json_number_value(exp) > (double)now_s))
		return false;
	return not_future(claims, "nbf", now_s) &&
	       not_future(claims, "iat", now_s);
}

int
jwt_verify(const char *secret, const char *token, size_t len, int64_t now_s,
	   json_t **claims)
{
	const char *dot1, *dot2, *sigp;
	size_t hlen, plen, slen;
	json_t *header = NULL, *payload = NULL;
	char *expect = NULL;
	int ret = ERR_UNAUTHORIZED;

	*claims = NULL;
	if (!secret || !*secret || !token || len == 0 || len > JWT_MAX_LEN)
		return ERR_UNAUTHORIZED;
	/* structure: exactly three non-empty base64url segments */
	dot1 = memchr(token, '.', len);
	if (!dot1)
		goto out;
	dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token));
	if (!dot2)
		goto out;
	sigp = dot2 + 1;
	hlen = (size_t)(dot1 - token);
	plen = (size_t)(dot2 - dot1 - 1);
	slen = len - (size_t)(sigp - token);
	if (!is_b64url(token, hlen) || !is_b64url(dot1 + 1, plen) ||
	    !is_b64url(sigp, slen))
		goto out;
	/* algorithm */
	header = decode_object(token, hlen);
	if (!header || !header_ok(header))
		goto out;
	/* signature, before the payload is parsed */
	if (slen != MAC_B64_LEN)
		goto out;
	expect = sign_input(secret, token, (size_t)(dot2 - token));
	if (!expect || !crypto_equal(expect, sigp, MAC_B64_LEN))
		goto out;
	/* claims */
	payload = decode_object(dot1 + 1, plen);
	if (!payload || !claims_ok(payload, now_s))
		goto out;
	*claims = payload;
	payload = NULL;
	ret = 0;
out:
	secret_free(expect);
	json_decref(payload);
	json_decref(header);
	return ret;
}
