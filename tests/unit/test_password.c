/* SPDX-License-Identifier: MIT */
/*
 * test_password.c: argon2id hashing and verification, and Strapi's password
 * rules with the messages and order of its register-admin transcript.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "crypto/password.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

static void
test_round_trip(void **state)
{
	char *hash = NULL;

	(void)state;
	assert_int_equal(password_hash("Correct horse 1", &hash), 0);
	assert_non_null(hash);
	assert_true(strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	/* 16-byte salt and 32-byte hash: 22 and 43 base64 characters */
	assert_int_equal(strlen(hash), 31 + 22 + 1 + 43);
	assert_int_equal(password_verify(hash, "Correct horse 1"), 0);
	free(hash);
}

static void
test_wrong_password(void **state)
{
	char *hash = NULL;

	(void)state;
	assert_int_equal(password_hash("Admin12345", &hash), 0);
	assert_int_equal(password_verify(hash, "admin12345"), ERR_UNAUTHORIZED);
	assert_int_equal(password_verify(hash, "Admin1234"), ERR_UNAUTHORIZED);
	assert_int_equal(password_verify(hash, ""), ERR_UNAUTHORIZED);
	assert_int_equal(password_verify(hash, NULL), ERR_UNAUTHORIZED);
	free(hash);
}

/* Hashes made with an older release's parameters (m=64 MiB, t=3) verify. */
static void
test_older_parameters(void **state)
{
	static const char old[] = "$argon2id$v=19$m=65536,t=3,p=1$"
				  "dG9sbGdhdGUtb2xkLXNhbHQ$"
				  "Kxj+oZim1dGmS8eDbtnMsVTtxYqqGKukKQPziPls7xA";

	(void)state;
	assert_int_equal(password_verify(old, "Admin12345"), 0);
	assert_int_equal(password_verify(old, "Admin12346"), ERR_UNAUTHORIZED);
}

static void
test_malformed_hash(void **state)
{
	char *hash = NULL, *cut;
	char big[600];

	(void)state;
	assert_int_equal(password_verify(NULL, "Admin12345"), ERR_UNAUTHORIZED);
	assert_int_equal(password_verify("", "Admin12345"), ERR_UNAUTHORIZED);
	assert_int_equal(password_verify("not a hash", "Admin12345"),
			 ERR_UNAUTHORIZED);
	assert_int_equal(password_verify("$argon2id$", "Admin12345"),
			 ERR_UNAUTHORIZED);
	assert_int_equal(
	    password_verify("$argon2id$v=19$m=65536,t=3,p=1$!!!$???",
			    "Admin12345"),
	    ERR_UNAUTHORIZED);
	/* bcrypt, as an imported Strapi database would hold */
	assert_int_equal(
	    password_verify("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad"
			    "68LJZdL17lhWy",
			    "Admin12345"),
	    ERR_UNAUTHORIZED);
	/* argon2i is not argon2id */
	assert_int_equal(password_hash("Admin12345", &hash), 0);
	memcpy(hash, "$argon2i$", 9);
	memmove(hash + 9, hash + 10, strlen(hash + 10) + 1);
	assert_int_equal(password_verify(hash, "Admin12345"), ERR_UNAUTHORIZED);
	free(hash);
	/* truncated */
	assert_int_equal(password_hash("Admin12345", &hash), 0);
	cut = xstrndup(hash, strlen(hash) - 5);
	assert_int_equal(password_verify(cut, "Admin12345"), ERR_UNAUTHORIZED);
	free(cut);
	free(hash);
	/* oversize */
	memcpy(big, "$argon2id$", 10);
	memset(big + 10, 'A', sizeof(big) - 11);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(password_verify(big, "Admin12345"), ERR_UNAUTHORIZED);
}

static void
test_fresh_salt(void **state)
{
	char *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(password_hash("Same Password 1", &a), 0);
	assert_int_equal(password_hash("Same Password 1", &b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(password_verify(a, "Same Password 1"), 0);
	assert_int_equal(password_verify(b, "Same Password 1"), 0);
	free(a);
	free(b);
}

static void
test_length_limit(void **state)
{
	char pw[PASSWORD_MAX_LEN + 2];
	char sentinel[] = "unchanged";
	char *hash = sentinel;

	(void)state;
	memset(pw, 'a', sizeof(pw) - 1);
	pw[sizeof(pw) - 1] = '\0';
	assert_int_equal(password_hash(pw, &hash), ERR_VALIDATION);
	assert_null(hash);
	assert_int_equal(password_hash(NULL, &hash), ERR_VALIDATION);
	assert_null(hash);
	/* exactly the limit is accepted */
	pw[PASSWORD_MAX_LEN] = '\0';
	assert_int_equal(password_hash(pw, &hash), 0);
	assert_int_equal(password_verify(hash, pw), 0);
	/* a longer candidate is refused, not truncated */
	pw[PASSWORD_MAX_LEN] = 'a';
	assert_int_equal(password_verify(hash, pw), ERR_UNAUTHORIZED);
	free(hash);
}

/* Check the validation errors of 'e' against 'msgs' (NULL-terminated). */
static void
expect_errors(struct err *e, const char *value, const char *const *msgs)
{
	json_t *errors = json_object_get(e->details, "errors");
	json_t *item, *path;
	size_t i, n = 0;

	while (msgs[n])
		n++;
	assert_int_equal(json_array_size(errors), n);
	for (i = 0; i < n; i++) {
		item = json_array_get(errors, i);
		assert_string_equal(
		    json_string_value(json_object_get(item, "message")),
		    msgs[i]);
		assert_string_equal(
		    json_string_value(json_object_get(item, "name")),
		    "ValidationError");
		assert_string_equal(
		    json_string_value(json_object_get(item, "value")), value);
		path = json_object_get(item, "path");
		assert_int_equal(json_array_size(path), 1);
		assert_string_equal(json_string_value(json_array_get(path, 0)),
				    "password");
	}
}

static void
check_rules(const char *pw, const char *const *msgs)
{
	struct err e = ERR_INIT;
	int n = 0;

	while (msgs[n])
		n++;
	assert_int_equal(password_check_rules(pw, "password", &e), n);
	if (n)
		expect_errors(&e, pw, msgs);
	else
		assert_null(e.details);
	err_release(&e);
}

static void
test_rules(void **state)
{
	static const char *const x[] = {
	    "password must be at least 8 characters",
	    "password must contain at least one uppercase character",
	    "password must contain at least one number", NULL};
	static const char *const lower8[] = {
	    "password must contain at least one uppercase character",
	    "password must contain at least one number", NULL};
	static const char *const upper9[] = {
	    "password must contain at least one lowercase character", NULL};
	static const char *const none[] = {NULL};
	static const char *const empty[] = {
	    "password must be at least 8 characters",
	    "password must contain at least one lowercase character",
	    "password must contain at least one uppercase character",
	    "password must contain at least one number", NULL};

	(void)state;
	check_rules("x", x);
	check_rules("abcdefgh", lower8);
	check_rules("ABCDEFGH1", upper9);
	check_rules("Abcdefg1", none);
	check_rules("", empty);
	/* non-ASCII letters count as characters but not as letters */
	check_rules("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "Ab1",
		    none);
}

static void
test_rules_long(void **state)
{
	static const char *const long_ok_classes[] = {
	    "password must be less than 73 bytes", NULL};
	static const char *const long_lower[] = {
	    "password must be less than 73 bytes",
	    "password must contain at least one uppercase character",
	    "password must contain at least one number", NULL};
	static const char *const none[] = {NULL};
	char pw[101];

	(void)state;
	memset(pw, 'x', 100);
	pw[100] = '\0';
	memcpy(pw, "Aa1", 3);
	check_rules(pw, long_ok_classes);
	memset(pw, 'a', 100);
	check_rules(pw, long_lower);
	/* 72 bytes is the last length allowed */
	pw[72] = '\0';
	memcpy(pw, "Aa1", 3);
	check_rules(pw, none);
	pw[72] = 'a';
	pw[73] = '\0';
	check_rules(pw, long_ok_classes);
}

static void
test_rules_message(void **state)
{
	struct err e = ERR_INIT;

	(void)state;
	assert_int_equal(password_check_rules("x", "password", &e), 3);
	assert_int_equal(err_finish_validation(&e), ERR_VALIDATION);
	assert_string_equal(e.msg, "3 errors occurred");
	err_release(&e);
	/* no record to fill: still counted */
	assert_int_equal(password_check_rules("x", "password", NULL), 3);
	assert_int_equal(password_check_rules(NULL, "password", &e), 0);
	assert_null(e.details);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_wrong_password),
	    cmocka_unit_test(test_older_parameters),
	    cmocka_unit_test(test_malformed_hash),
	    cmocka_unit_test(test_fresh_salt),
	    cmocka_unit_test(test_length_limit),
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_rules_long),
	    cmocka_unit_test(test_rules_message),
	};

	/* malformed stored hashes are logged as warnings; keep the output clean
	 */
	log_setup(LOG_ERROR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
