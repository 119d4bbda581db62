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
 * with free()). Parameters: m=19 MiB, t=2, p=1, OWASP's recommended
 * argon2id configuration (a hash costs 19 MiB of memory while it runs, which
 * keeps two concurrent logins inside the server's memory budget). Hashes
 * made with other parameters (older releases used m=64 MiB, t=3) still
 * verify: the parameters are read from the encoded string. 0, ERR_VALIDATION when 'password' is NULL or longer than
 * PASSWORD_MAX_LEN bytes, or ERR_INTERNAL.
 */
int password_hash(const char *password, char **out);

/*
 * Check 'password' against an encoded hash in constant time. 0 when it
 * matches, ERR_UNAUTHORIZED when it does not or 'encoded' is NULL/malformed.
 */
int password_verify(const char *encoded, const char *password);

/*
 * Strapi's password rules, as yup words them, added to 'e' as validation
 * errors on path 'field' (8+ characters, at most 72 bytes, a lower-case
 * letter, an upper-case letter, a digit), in this order (the words are
 * Strapi's with 'field' for "password"; characters are counted as
 * JavaScript counts them, UTF-16 units; the letters and digits are ASCII):
 *   "password must be at least 8 characters"
 *   "password must be less than 73 bytes"
 *   "password must contain at least one lowercase character"
 *   "password must contain at least one uppercase character"
 *   "password must contain at least one number"
 * The value of each error is the password as a JSON string (as Strapi
 * echoes it), left out when it is not valid UTF-8. A NULL password adds
 * nothing. Returns the number of errors added ('e' may be NULL).
 */
struct err;
int password_check_rules(const char *password, const char *field,
			 struct err *e);

#endif
