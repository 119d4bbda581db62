/* SPDX-License-Identifier: MIT */
/*
 * test_jwt.c: HS256 signing against the RFC 7519 / jwt.io example, and
 * verification refusing everything but well-formed, unexpired HS256 tokens
 * signed with our secret.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "crypto/crypto.h"
#include "crypto/jwt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define SECRET "a test secret of reasonable length"
#define NOW ((int64_t)1700000000)
#define HS256_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

/* A token of the given header and payload texts, HS256-signed with 'secret'. */
static char *
craft(const char *secret, const char *header, const char *payload)
{
	char *h = crypto_base64url(header, strlen(header));
	char *p = crypto_base64url(payload, strlen(payload));
	char *input = xasprintf("%s.%s", h, p);
	unsigned char mac[32];
	char *sig, *token;

	assert_int_equal(crypto_hmac_sha256(secret, strlen(secret), input,
					    strlen(input), mac),
			 0);
	sig = crypto_base64url(mac, sizeof(mac));
	token = xasprintf("%s.%s", input, sig);
	free(sig);
	free(input);
	free(p);
	free(h);
	return token;
}

static int
verify(const char *secret, const char *token, json_t **claims)
{
	return jwt_verify(secret, token, strlen(token), NOW, claims);
}

/* Rejected, and '*claims' cleared. */
static void
expect_reject(const char *secret, const char *token)
{
	json_t *sentinel = json_object();
	json_t *claims = sentinel;

	assert_int_equal(verify(secret, token, &claims), ERR_UNAUTHORIZED);
	assert_null(claims);
	json_decref(sentinel);
}

static json_t *
session_claims(int64_t exp)
{
	return json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)7, "sid",
			 "s3ss10n", "iat", (json_int_t)(NOW - 10), "exp",
			 (json_int_t)exp);
}

static void
test_sign_vector(void **state)
{
	json_t *claims;
	char *token;

	(void)state;
	/* the jwt.io example token */
	claims = json_pack("{s:s, s:s, s:I}", "sub", "1234567890", "name",
			   "John Doe", "iat", (json_int_t)1516239022);
	token = jwt_sign("your-256-bit-secret", claims);
	assert_non_null(token);
	assert_string_equal(token,
			    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
			    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIi"
			    "wiaWF0IjoxNTE2MjM5MDIyfQ."
			    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
	/* correctly signed, but without "exp" */
	expect_reject("your-256-bit-secret", token);
	free(token);
	/* refusals */
	assert_null(jwt_sign(NULL, claims));
	assert_null(jwt_sign("", claims));
	json_decref(claims);
	claims = json_array();
	assert_null(jwt_sign(SECRET, claims));
	json_decref(claims);
}

static void
test_round_trip(void **state)
{
	json_t *claims = session_claims(NOW + 3600), *out = NULL;
	char *token, *padded;

	(void)state;
	token = jwt_sign(SECRET, claims);
	assert_non_null(token);
	assert_int_equal(verify(SECRET, token, &out), 0);
	assert_non_null(out);
	assert_true(json_equal(out, claims));
	json_decref(out);
	/* only 'len' bytes are read */
	padded = xasprintf("%s.trailing", token);
	assert_int_equal(jwt_verify(SECRET, padded, strlen(token), NOW, &out),
			 0);
	json_decref(out);
	/* ... and nothing past them is a signature */
	expect_reject(SECRET, padded);
	free(padded);
	free(token);
	json_decref(claims);
}

static void
test_expired(void **state)
{
	json_t *claims = session_claims(NOW - 1), *out = NULL;
	char *token;

	(void)state;
	token = jwt_sign(SECRET, claims);
	expect_reject(SECRET, token);
	free(token);
	json_decref(claims);
	/* "exp" is the first second it is no longer valid */
	claims = session_claims(NOW);
	token = jwt_sign(SECRET, claims);
	expect_reject(SECRET, token);
	free(token);
	json_decref(claims);
	/* a fractional exp is a number too */
	token = craft(SECRET, HS256_HEADER, "{\"exp\":1700000000.5}");
	assert_int_equal(verify(SECRET, token, &out), 0);
	json_decref(out);
	free(token);
}

static void
test_tampered_payload(void **state)
{
	json_t *claims = session_claims(NOW + 3600);
	char *token, *other, *forged;
	const char *dot1, *dot2, *odot1, *odot2;

	(void)state;
	token = jwt_sign(SECRET, claims);
	json_object_set_new(claims, "id", json_integer(1));
	other = jwt_sign(SECRET, claims);
	/* the other token's payload with the first token's signature */
	dot1 = strchr(token, '.');
	dot2 = strchr(dot1 + 1, '.');
	odot1 = strchr(other, '.');
	odot2 = strchr(odot1 + 1, '.');
	forged = xasprintf("%.*s.%.*s%s", (int)(dot1 - token), token,
			   (int)(odot2 - odot1 - 1), odot1 + 1, dot2);
	expect_reject(SECRET, forged);
	free(forged);
	/* one changed character in the payload */
	forged = xstrdup(token);
	forged[dot1 - token + 5] ^= 0x01;
	expect_reject(SECRET, forged);
	free(forged);
	free(other);
	free(token);
	json_decref(claims);
}

static void
test_tampered_signature(void **state)
{
	json_t *claims = session_claims(NOW + 3600);
	char *token, *forged;
	size_t len;

	(void)state;
	token = jwt_sign(SECRET, claims);
	len = strlen(token);
	forged = xstrdup(token);
	forged[len - 10] = forged[len - 10] == 'A' ? 'B' : 'A';
	expect_reject(SECRET, forged);
	free(forged);
	/* a shorter or longer signature */
	forged = xstrndup(token, len - 1);
	expect_reject(SECRET, forged);
	free(forged);
	forged = xasprintf("%sA", token);
	expect_reject(SECRET, forged);
	free(forged);
	/* padding is not base64url as JWT writes it */
	forged = xasprintf("%s=", token);
	expect_reject(SECRET, forged);
	free(forged);
	free(token);
	json_decref(claims);
}

static void
test_wrong_secret(void **state)
{
	json_t *claims = session_claims(NOW + 3600);
	char *token;

	(void)state;
	token = jwt_sign(SECRET, claims);
	expect_reject("another secret", token);
	expect_reject(SECRET "x", token);
	expect_reject("", token);
	expect_reject(NULL, token);
	free(token);
	json_decref(claims);
}

static void
test_alg_none(void **state)
{
	const char *payload = "{\"id\":7,\"exp\":1800000000}";
	char *h, *p, *token;

	(void)state;
	h = crypto_base64url("{\"alg\":\"none\",\"typ\":\"JWT\"}", 27);
	p = crypto_base64url(payload, strlen(payload));
	token = xasprintf("%s.%s.", h, p);
	expect_reject(SECRET, token);
	free(token);
	/* even with a valid HMAC */
	token = craft(SECRET, "{\"alg\":\"none\",\"typ\":\"JWT\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	free(p);
	free(h);
}

static void
test_alg_other(void **state)
{
	const char *payload = "{\"id\":7,\"exp\":1800000000}";
	char *token;
	json_t *out = NULL;

	(void)state;
	token = craft(SECRET, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, "{\"alg\":\"hs256\",\"typ\":\"JWT\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, "{\"typ\":\"JWT\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, "{\"alg\":\"HS256\",\"alg\":\"HS256\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	token =
	    craft(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"b64\"]}", payload);
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, "{\"alg\":\"HS256\",\"typ\":\"JWE\"}", payload);
	expect_reject(SECRET, token);
	free(token);
	/* "typ" is optional */
	token = craft(SECRET, "{\"alg\":\"HS256\"}", payload);
	assert_int_equal(verify(SECRET, token, &out), 0);
	json_decref(out);
	free(token);
}

static void
test_claims(void **state)
{
	char *token;
	json_t *out = NULL;

	(void)state;
	/* missing or non-numeric exp */
	token = craft(SECRET, HS256_HEADER, "{\"id\":7}");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER, "{\"exp\":\"1800000000\"}");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER, "{\"exp\":null}");
	expect_reject(SECRET, token);
	free(token);
	/* nbf and iat: not beyond the leeway */
	token = craft(SECRET, HS256_HEADER,
		      "{\"exp\":1800000000,\"nbf\":1700000100}");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER,
		      "{\"exp\":1800000000,\"iat\":1700000100}");
	expect_reject(SECRET, token);
	free(token);
	token =
	    craft(SECRET, HS256_HEADER, "{\"exp\":1800000000,\"iat\":\"now\"}");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER,
		      "{\"exp\":1800000000,\"iat\":1700000030,"
		      "\"nbf\":1700000060}");
	assert_int_equal(verify(SECRET, token, &out), 0);
	json_decref(out);
	free(token);
	/* payloads that are not one JSON object */
	token = craft(SECRET, HS256_HEADER, "[1800000000]");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER, "{\"exp\":1800000000");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER, "{\"exp\":1,\"exp\":1800000000}");
	expect_reject(SECRET, token);
	free(token);
	token = craft(SECRET, HS256_HEADER, "{\"exp\":1800000000} {}");
	expect_reject(SECRET, token);
	free(token);
}

static void
test_garbage(void **state)
{
	json_t *sentinel = json_object();
	json_t *claims = sentinel;
	char big[JWT_MAX_LEN + 2];
	char *token, *cut;

	(void)state;
	expect_reject(SECRET, "");
	expect_reject(SECRET, "garbage");
	expect_reject(SECRET, "...");
	expect_reject(SECRET, "a.b.c");
	expect_reject(SECRET, "eyJ!.eyJ.c2ln");
	expect_reject(SECRET, "Bearer x.y.z");
	token = craft(SECRET, "{not json", "{\"exp\":1800000000}");
	expect_reject(SECRET, token);
	free(token);
	assert_int_equal(jwt_verify(SECRET, NULL, 0, NOW, &claims),
			 ERR_UNAUTHORIZED);
	assert_null(claims);
	/* an embedded NUL */
	token = craft(SECRET, HS256_HEADER, "{\"exp\":1800000000}");
	cut = xstrdup(token);
	cut[3] = '\0';
	claims = sentinel;
	assert_int_equal(jwt_verify(SECRET, cut, strlen(token), NOW, &claims),
			 ERR_UNAUTHORIZED);
	assert_null(claims);
	free(cut);
	free(token);
	/* oversize */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[100] = '.';
	big[200] = '.';
	expect_reject(SECRET, big);
	json_decref(sentinel);
}

static void
test_segments(void **state)
{
	json_t *claims = session_claims(NOW + 3600);
	char *token, *forged;
	const char *last;

	(void)state;
	token = jwt_sign(SECRET, claims);
	last = strrchr(token, '.');
	/* two segments */
	forged = xstrndup(token, (size_t)(last - token));
	expect_reject(SECRET, forged);
	free(forged);
	/* four segments */
	forged = xasprintf("%s.%s", token, last + 1);
	expect_reject(SECRET, forged);
	free(forged);
	forged = xasprintf("%s.", token);
	expect_reject(SECRET, forged);
	free(forged);
	/* empty header or payload */
	forged = xasprintf("%s", strchr(token, '.'));
	expect_reject(SECRET, forged);
	free(forged);
	free(token);
	json_decref(claims);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sign_vector),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_expired),
	    cmocka_unit_test(test_tampered_payload),
	    cmocka_unit_test(test_tampered_signature),
	    cmocka_unit_test(test_wrong_secret),
	    cmocka_unit_test(test_alg_none),
	    cmocka_unit_test(test_alg_other),
	    cmocka_unit_test(test_claims),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_segments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
