/* SPDX-License-Identifier: MIT */
/*
 * password.h: administrator password hashing with argon2id (libargon2; this
 * is the only file that includes <argon2.h>, in password.c). Hashes are
 * self-describing encoded strings ("$argon2id$v=19$m=...,t=...,p=...$salt$hash").
 */
#ifndef CRYPTO_PASSWORD_H
#define CRYPTO_PASSWORD_H

#define PASSWORD_MAX_LEN 256 /* longer passwords are refused before hashing */

/*
 * Hash 'password' with a fresh random salt into '*out' (a new string; free
 * with free()). Parameters: t=3, m=64 MiB, p=1 (OWASP's argon2id minimums
 * are exceeded). 0, or ERR_INTERNAL.
 */
int password_hash(const char *password, char **out);

/*
 * Check 'password' against an encoded hash in constant time. 0 when it
 * matches, ERR_UNAUTHORIZED when it does not or 'encoded' is NULL/malformed.
 */
int password_verify(const char *encoded, const char *password);

/*
 * Strapi's password rules, as yup words them, added to 'e' as validation
 * errors on path 'field' (8+ characters, at most 73 bytes, a lower-case
 * letter, an upper-case letter, a digit):
 *   "password must be at least 8 characters"
 *   "password must contain at least one lowercase character"
 *   "password must contain at least one uppercase character"
 *   "password must contain at least one number"
 * Returns the number of errors added.
 */
struct err;
int password_check_rules(const char *password, const char *field,
			 struct err *e);

#endif
