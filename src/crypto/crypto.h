/* SPDX-License-Identifier: MIT */
/*
 * crypto.h: every use of OpenSSL goes through here (the only module that
 * includes <openssl/...>). Key bytes never leave this module: callers hand
 * in the configured secret strings and get back hashes, ciphertexts or
 * verdicts.
 *
 * Formats (compatible with Strapi 5):
 *  - access key: 128 random bytes as 256 lower-case hex characters;
 *  - stored hash: HMAC-SHA512 keyed by the salt string's UTF-8 bytes over
 *    the access key's bytes, as 128 lower-case hex characters;
 *  - encrypted copy: AES-256-GCM, key = SHA-256(key string), 16-byte random
 *    IV, no AAD, stored as "v1:<iv hex>:<ciphertext hex>:<tag hex>".
 */
#ifndef CRYPTO_CRYPTO_H
#define CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_KEY_HEX_LEN 256
#define CRYPTO_HASH_HEX_LEN 128
#define CRYPTO_DOCUMENT_ID_LEN 24

/* Fill 'buf' with 'n' cryptographically secure random bytes. 0 or ERR_INTERNAL. */
int crypto_random(void *buf, size_t n);

/* Lower-case hex of 'n' bytes into 'out' (2n+1 bytes, NUL-terminated). */
void crypto_hex(const void *data, size_t n, char *out);

/*
 * A new access key: 256 lower-case hex characters plus NUL in 'out'.
 * Wipe it with secret_wipe() when done. 0 or ERR_INTERNAL.
 */
int crypto_access_key(char out[CRYPTO_KEY_HEX_LEN + 1]);

/*
 * HMAC-SHA512 of 'msg' keyed by 'key' (both byte strings) as 128 hex chars
 * plus NUL in 'out'. 0 or ERR_INTERNAL. Safe from any thread: each thread
 * keeps, per digest, the last key it was given set up in an OpenSSL
 * context (and a copy of it to recognise it), so a run of calls with one
 * key (the salt) sets it up once; the copy is wiped when another key
 * replaces it and when the thread exits.
 */
int crypto_hmac_sha512_hex(const void *key, size_t keylen, const void *msg,
			   size_t msglen, char out[CRYPTO_HASH_HEX_LEN + 1]);

/*
 * HMAC-SHA256 raw (32 bytes), for JWT signing and keyed fingerprints; keyed
 * per thread as crypto_hmac_sha512_hex() is.
 */
int crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
		       size_t msglen, unsigned char out[32]);

/* SHA-256 of 'msg' (32 bytes). */
void crypto_sha256(const void *msg, size_t len, unsigned char out[32]);

/* Constant-time equality of two byte ranges of the same length. */
bool crypto_equal(const void *a, const void *b, size_t n);

/*
 * Encrypt the NUL-terminated 'plaintext' under the key string 'keystr' into
 * the "v1:iv:ct:tag" form. Returns a new string (free with free()) or NULL
 * on failure or when 'keystr' is NULL/empty.
 */
char *crypto_encrypt_v1(const char *keystr, const char *plaintext);

/*
 * Decrypt a "v1:..." value. On success stores a new NUL-terminated string
 * in '*out' (the caller wipes and frees it with secret_free()) and returns 0.
 * Returns ERR_VALIDATION for a malformed value or an unsupported version,
 * ERR_UNAUTHORIZED when authentication fails (wrong key or altered data).
 */
int crypto_decrypt_v1(const char *keystr, const char *enc, char **out);

/*
 * A new random secret for .env generation: 'nbytes' random bytes in
 * standard base64 (as Strapi's generated secrets). Free with secret_free().
 */
char *crypto_secret_base64(size_t nbytes);

/*
 * A new document id: 24 characters from [a-z0-9], the first a letter,
 * in 'out' (25 bytes with NUL).
 */
int crypto_document_id(char out[CRYPTO_DOCUMENT_ID_LEN + 1]);

/* Base64url without padding (JWT) of 'n' bytes; a new string. */
char *crypto_base64url(const void *data, size_t n);
/* Decode base64url (padding optional) into a new buffer; NULL if malformed. */
unsigned char *crypto_base64url_decode(const char *s, size_t len, size_t *outlen);

#endif
