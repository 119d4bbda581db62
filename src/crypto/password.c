/* SPDX-License-Identifier: MIT */
/*
 * password.c: argon2id hashing of administrator passwords (the only user of
 * <argon2.h>) and Strapi's password rules. It never logs or keeps a
 * password; the caller owns and wipes the plaintext.
 */
#include "core/compat.h"
#include "crypto/password.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "crypto/crypto.h"

#include <argon2.h>

#define HASH_T_COST 2
#define HASH_M_COST_KIB 19456
#define HASH_PARALLELISM 1
#define HASH_SALT_LEN 16
#define HASH_LEN 32

/*
 * Stored hashes are ours and short ("$argon2id$v=19$m=19456,t=2,p=1$" plus
 * 22 + 43 base64 characters); anything far longer, or of another variant,
 * is refused before libargon2 parses it.
 */
#define ENCODED_PREFIX "$argon2id$"
#define ENCODED_MAX_LEN 256

/* Strapi (bcrypt's limit): a password may be at most 72 bytes long. */
#define RULE_MAX_BYTES 72
#define RULE_MIN_CHARS 8

int
password_hash(const char *password, char **out)
{
	unsigned char salt[HASH_SALT_LEN];
	size_t pwlen, enclen;
	char *enc = NULL;
	int ret = ERR_INTERNAL;
	int rc;

	*out = NULL;
	if (!password)
		return ERR_VALIDATION;
	pwlen = strnlen(password, PASSWORD_MAX_LEN + 1);
	if (pwlen > PASSWORD_MAX_LEN)
		return ERR_VALIDATION;
	if (crypto_random(salt, sizeof(salt)))
		goto out;
	enclen =
	    argon2_encodedlen(HASH_T_COST, HASH_M_COST_KIB, HASH_PARALLELISM,
			      HASH_SALT_LEN, HASH_LEN, Argon2_id);
	enc = xmalloc(enclen);
	rc = argon2id_hash_encoded(HASH_T_COST, HASH_M_COST_KIB,
				   HASH_PARALLELISM, password, pwlen, salt,
				   sizeof(salt), HASH_LEN, enc, enclen);
	if (rc != ARGON2_OK) {
		log_error("password: argon2id hashing failed: %s",
			  argon2_error_message(rc));
		goto out;
	}
	*out = enc;
	enc = NULL;
	ret = 0;
out:
	free(enc);
	secret_wipe(salt, sizeof(salt));
	return ret;
}

int
password_verify(const char *encoded, const char *password)
{
	size_t pwlen;
	int rc;

	if (!encoded || !password)
		return ERR_UNAUTHORIZED;
	if (strncmp(encoded, ENCODED_PREFIX, strlen(ENCODED_PREFIX)) != 0 ||
	    strnlen(encoded, ENCODED_MAX_LEN + 1) > ENCODED_MAX_LEN)
		return ERR_UNAUTHORIZED;
	pwlen = strnlen(password, PASSWORD_MAX_LEN + 1);
	if (pwlen > PASSWORD_MAX_LEN)
		return ERR_UNAUTHORIZED;
	/* libargon2 compares the two hashes in constant time */
	rc = argon2id_verify(encoded, password, pwlen);
	if (rc == ARGON2_OK)
		return 0;
	if (rc != ARGON2_VERIFY_MISMATCH)
		log_warn("password: stored hash not usable: %s",
			 argon2_error_message(rc));
	return ERR_UNAUTHORIZED;
}

/*
 * yup's string().min() counts UTF-16 code units (JavaScript's length):
 * one per code point, two for those beyond the Basic Multilingual Plane
 * (four-byte UTF-8 sequences).
 */
static size_t
utf16_length(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		n += (*p & 0xf8) == 0xf0 ? 2 : 1;
	}
	return n;
}

/* JavaScript's /[a-z]/, /[A-Z]/ and /\d/ without the u flag: ASCII only. */
static bool
has_in_range(const char *s, char lo, char hi)
{
	for (; *s; s++)
		if (*s >= lo && *s <= hi)
			return true;
	return false;
}

/*
 * The order is the order of Strapi's schema (common-validators: min(8),
 * the byte-size test, then the three matches()), which is the order yup
 * reports them in.
 */
int
password_check_rules(const char *password, const char *field, struct err *e)
{
	const char *path[2] = {field, NULL};
	const char *name = field ? field : "password";
	json_t *value;
	int n = 0;

	if (!password)
		return 0;
	/* NULL when not valid UTF-8: the value is then left out */
	value = json_string(password);
	if (utf16_length(password) < RULE_MIN_CHARS) {
		err_add_validation(e, path, value,
				   "%s must be at least %d characters", name,
				   RULE_MIN_CHARS);
		n++;
	}
	if (strlen(password) > RULE_MAX_BYTES) {
		err_add_validation(e, path, value,
				   "%s must be less than %d bytes", name,
				   RULE_MAX_BYTES + 1);
		n++;
	}
	if (!has_in_range(password, 'a', 'z')) {
		err_add_validation(
		    e, path, value,
		    "%s must contain at least one lowercase character", name);
		n++;
	}
	if (!has_in_range(password, 'A', 'Z')) {
		err_add_validation(
		    e, path, value,
		    "%s must contain at least one uppercase character", name);
		n++;
	}
	if (!has_in_range(password, '0', '9')) {
		err_add_validation(e, path, value,
				   "%s must contain at least one number", name);
		n++;
	}
	json_decref(value);
	return n;
}
