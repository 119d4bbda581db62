/* SPDX-License-Identifier: MIT */
/*
 * crypto.c: the OpenSSL adapter. Random bytes, SHA-256, HMAC, the
 * AES-256-GCM "v1" format of viewable token keys, base64 and document ids.
 * The only state kept between calls is each thread's keyed HMAC contexts
 * (see hmac()); other derived keys live on the stack and are wiped before
 * returning. Nothing else in the tree includes <openssl/...>.
 */
#include "core/compat.h"
#include "core/str.h"
#include "crypto/crypto.h"
#include "core/err.h"
#include "core/mem.h"

#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>

#define AES_KEY_LEN 32
#define GCM_IV_LEN 16
#define GCM_TAG_LEN 16
#define ACCESS_KEY_BYTES (CRYPTO_KEY_HEX_LEN / 2)

/*
 * Longest run handed to one OpenSSL call that takes an int length. A
 * multiple of 3, so base64 chunks concatenate without inner padding.
 */
#define CHUNK_MAX ((size_t)3 << 20)

/*
 * Stands in for the NULL pointer of an empty input: OpenSSL reads a NULL
 * HMAC key as "keep the previous key" rather than as an empty one.
 */
static const unsigned char empty_input[1];

struct v1_value {
	unsigned char iv[GCM_IV_LEN];
	unsigned char tag[GCM_TAG_LEN];
	unsigned char *ct;
	size_t ctlen;
};

int
crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t chunk;

	while (n > 0) {
		chunk = n < CHUNK_MAX ? n : CHUNK_MAX;
		if (RAND_bytes(p, (int)chunk) != 1)
			return ERR_INTERNAL;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

void
crypto_hex(const void *data, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int
crypto_access_key(char out[CRYPTO_KEY_HEX_LEN + 1])
{
	unsigned char raw[ACCESS_KEY_BYTES];
	int ret;

	out[0] = '\0';
	ret = crypto_random(raw, sizeof(raw));
	if (ret == 0)
		crypto_hex(raw, sizeof(raw), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return ret;
}

/* ---- HMAC, keyed once per thread ------------------------------------ */

enum hmac_digest { HMAC_SHA256, HMAC_SHA512, HMAC_N_DIGESTS };

/* not const: OSSL_PARAM takes a non-const pointer (it only reads it) */
static char hmac_digest_name[HMAC_N_DIGESTS][8] = {
	[HMAC_SHA256] = "SHA256",
	[HMAC_SHA512] = "SHA512",
};

/*
 * Setting an HMAC key up costs two runs of the compression function (the
 * padded key as the inner and the outer block) plus fetching the MAC and
 * the digest from the provider store, and EVP_Q_mac() does it all on every
 * call: two thirds of its time for an access key. The callers pass the same
 * key nearly every time (API_TOKEN_SALT on every authenticated request, the
 * JWT secret), so each thread keeps, per digest, one context keyed with the
 * key it last saw and a copy of that key to recognise it. A call with that
 * key only restarts the context from its keyed state (EVP_MAC_init() with
 * no key); another key re-keys it.
 *
 * The key copies are secrets: wiped before they are freed, on a re-key and
 * at thread exit (hmac_tls_free(), a thread-specific key's destructor).
 * OpenSSL wipes its own copy and the keyed state when a context is re-keyed
 * or freed. A thread that never exits (the main thread) keeps its copy
 * until the process ends, as the configuration keeps the salt.
 */
struct hmac_keyed {
	EVP_MAC_CTX *ctx;   /* keyed with 'key'; NULL until first use */
	unsigned char *key; /* a copy of the key; wiped before it is freed */
	size_t keylen;
};

struct hmac_tls {
	struct hmac_keyed d[HMAC_N_DIGESTS];
};

static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;
static pthread_key_t hmac_tls_key;
static bool hmac_tls_key_ok;
static _Thread_local struct hmac_tls *hmac_tls;

static void
hmac_keyed_forget(struct hmac_keyed *k)
{
	if (k->key) {
		OPENSSL_cleanse(k->key, k->keylen);
		free(k->key);
	}
	k->key = NULL;
	k->keylen = 0;
}

/* The thread-specific key's destructor: the thread is exiting. */
static void
hmac_tls_free(void *arg)
{
	struct hmac_tls *t = arg;
	size_t i;

	for (i = 0; i < HMAC_N_DIGESTS; i++) {
		EVP_MAC_CTX_free(t->d[i].ctx);
		hmac_keyed_forget(&t->d[i]);
	}
	free(t);
}

static void
hmac_tls_key_create(void)
{
	hmac_tls_key_ok = pthread_key_create(&hmac_tls_key, hmac_tls_free) == 0;
}

/* The calling thread's context for 'dg', created on first use; or NULL. */
static struct hmac_keyed *
hmac_keyed_get(enum hmac_digest dg)
{
	struct hmac_tls *t = hmac_tls;
	struct hmac_keyed *k;
	OSSL_PARAM params[2];
	EVP_MAC *mac;

	if (!t) {
		/*
		 * Without the destructor a thread's key copy would outlive
		 * it: fall back to the one-shot path rather than keep it.
		 */
		if (pthread_once(&hmac_once, hmac_tls_key_create) ||
		    !hmac_tls_key_ok)
			return NULL;
		t = xcalloc(1, sizeof(*t));
		if (pthread_setspecific(hmac_tls_key, t)) {
			free(t);
			return NULL;
		}
		hmac_tls = t;
	}
	k = &t->d[dg];
	if (k->ctx)
		return k;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return NULL;
	k->ctx = EVP_MAC_CTX_new(mac); /* holds its own reference */
	EVP_MAC_free(mac);
	if (!k->ctx)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     hmac_digest_name[dg], 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(k->ctx, params)) {
		EVP_MAC_CTX_free(k->ctx);
		k->ctx = NULL;
		return NULL;
	}
	return k;
}

/* The one-shot path, when no per-thread context can be had. */
static int
hmac_once_only(enum hmac_digest dg, const void *key, size_t keylen,
	       const void *msg, size_t msglen, unsigned char *out,
	       size_t outsize)
{
	size_t outlen = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, hmac_digest_name[dg], NULL, key,
		       keylen, msg, msglen, out, outsize, &outlen) ||
	    outlen != outsize)
		return ERR_INTERNAL;
	return 0;
}

static int
hmac(enum hmac_digest dg, const void *key, size_t keylen, const void *msg,
     size_t msglen, unsigned char *out, size_t outsize)
{
	struct hmac_keyed *k;
	size_t outlen = 0;

	if (!key)
		key = empty_input;
	if (!msg)
		msg = empty_input;
	k = hmac_keyed_get(dg);
	if (!k)
		return hmac_once_only(dg, key, keylen, msg, msglen, out,
				      outsize);
	if (k->key && k->keylen == keylen &&
	    CRYPTO_memcmp(k->key, key, keylen) == 0) {
		/* no key: start again from the keyed state */
		if (!EVP_MAC_init(k->ctx, NULL, 0, NULL))
			goto fail;
	} else {
		/* forget the old key first: a failed re-key leaves none */
		hmac_keyed_forget(k);
		if (!EVP_MAC_init(k->ctx, key, keylen, NULL))
			goto fail;
		k->key = xmalloc(keylen ? keylen : 1);
		memcpy(k->key, key, keylen);
		k->keylen = keylen;
	}
	if (!EVP_MAC_update(k->ctx, msg, msglen) ||
	    !EVP_MAC_final(k->ctx, out, &outlen, outsize) || outlen != outsize)
		goto fail;
	return 0;
fail:
	/* a context in an unknown state is not used again */
	EVP_MAC_CTX_free(k->ctx);
	k->ctx = NULL;
	hmac_keyed_forget(k);
	return ERR_INTERNAL;
}

int
crypto_hmac_sha512_hex(const void *key, size_t keylen, const void *msg,
		       size_t msglen, char out[CRYPTO_HASH_HEX_LEN + 1])
{
	unsigned char mac[CRYPTO_HASH_HEX_LEN / 2];
	int ret;

	out[0] = '\0';
	ret = hmac(HMAC_SHA512, key, keylen, msg, msglen, mac, sizeof(mac));
	if (ret == 0)
		crypto_hex(mac, sizeof(mac), out);
	OPENSSL_cleanse(mac, sizeof(mac));
	return ret;
}

int
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
		   size_t msglen, unsigned char out[32])
{
	return hmac(HMAC_SHA256, key, keylen, msg, msglen, out, 32);
}

void
crypto_sha256(const void *msg, size_t len, unsigned char out[32])
{
	if (!msg)
		msg = empty_input;
	if (!EVP_Digest(msg, len, out, NULL, EVP_sha256(), NULL))
		BUG("sha-256 failed");
}

bool
crypto_equal(const void *a, const void *b, size_t n)
{
	return n == 0 || CRYPTO_memcmp(a, b, n) == 0;
}

/* ---- AES-256-GCM "v1" values ----------------------------------------- */

static void
derive_key(const char *keystr, unsigned char key[AES_KEY_LEN])
{
	crypto_sha256(keystr, strlen(keystr), key);
}

/* Set up 'ctx' for AES-256-GCM with our 16-byte IV; 'enc' is 1 or 0. */
static bool
gcm_init(EVP_CIPHER_CTX *ctx, int enc, const unsigned char *key,
	 const unsigned char *iv)
{
	return EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
				 enc) == 1 &&
	       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, GCM_IV_LEN,
				   NULL) == 1 &&
	       EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) == 1;
}

static char *
format_v1(const unsigned char *iv, const unsigned char *ct, size_t ctlen,
	  const unsigned char *tag)
{
	char ivhex[2 * GCM_IV_LEN + 1], taghex[2 * GCM_TAG_LEN + 1];
	char *cthex = xmalloc(2 * ctlen + 1);
	char *s;

	crypto_hex(iv, GCM_IV_LEN, ivhex);
	crypto_hex(ct, ctlen, cthex);
	crypto_hex(tag, GCM_TAG_LEN, taghex);
	s = xasprintf("v1:%s:%s:%s", ivhex, cthex, taghex);
	free(cthex);
	return s;
}

char *
crypto_encrypt_v1(const char *keystr, const char *plaintext)
{
	unsigned char key[AES_KEY_LEN], iv[GCM_IV_LEN], tag[GCM_TAG_LEN];
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char *ct = NULL;
	char *ret = NULL;
	size_t len;
	int n, fin;

	if (!keystr || !*keystr || !plaintext)
		return NULL;
	len = strlen(plaintext);
	if (len > INT_MAX - GCM_TAG_LEN || crypto_random(iv, sizeof(iv)))
		return NULL;
	derive_key(keystr, key);
	ct = xmalloc(len);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !gcm_init(ctx, 1, key, iv))
		goto out;
	if (EVP_EncryptUpdate(ctx, ct, &n, (const unsigned char *)plaintext,
			      (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, ct + n, &fin) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, tag) !=
		1)
		goto out;
	ret = format_v1(iv, ct, (size_t)n + (size_t)fin, tag);
out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	free(ct);
	return ret;
}

/* Decode 'len' hex digits (an even number) into 'out'; false if malformed. */
static bool
hex_decode(const char *s, size_t len, unsigned char *out)
{
	size_t i;
	int hi, lo;

	if (len % 2)
		return false;
	for (i = 0; i < len; i += 2) {
		hi = hex_digit(s[i]);
		lo = hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

/*
 * Split "v1:<iv>:<ct>:<tag>" into its decoded parts. The ciphertext buffer
 * is new (free it). ERR_VALIDATION for any deviation from the format.
 */
static int
parse_v1(const char *enc, struct v1_value *v)
{
	const char *part[4];
	size_t len[4];
	const char *p = enc;
	const char *colon;
	int i;

	v->ct = NULL;
	for (i = 0; i < 3; i++) {
		colon = strchr(p, ':');
		if (!colon)
			return ERR_VALIDATION;
		part[i] = p;
		len[i] = (size_t)(colon - p);
		p = colon + 1;
	}
	if (strchr(p, ':'))
		return ERR_VALIDATION;
	part[3] = p;
	len[3] = strlen(p);
	if (len[0] != 2 || memcmp(part[0], "v1", 2) != 0)
		return ERR_VALIDATION;
	if (len[1] != 2 * sizeof(v->iv) || len[3] != 2 * sizeof(v->tag) ||
	    len[2] / 2 > INT_MAX)
		return ERR_VALIDATION;
	v->ctlen = len[2] / 2;
	v->ct = xmalloc(v->ctlen);
	if (!hex_decode(part[1], len[1], v->iv) ||
	    !hex_decode(part[2], len[2], v->ct) ||
	    !hex_decode(part[3], len[3], v->tag)) {
		free(v->ct);
		v->ct = NULL;
		return ERR_VALIDATION;
	}
	return 0;
}

/*
 * Without a key nothing can be authenticated, so a missing key reads like a
 * wrong one (ERR_UNAUTHORIZED): Strapi answers both with "accessKey": null.
 */
int
crypto_decrypt_v1(const char *keystr, const char *enc, char **out)
{
	unsigned char key[AES_KEY_LEN];
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char *pt = NULL;
	struct v1_value v;
	int ret, n, fin;

	*out = NULL;
	if (!enc)
		return ERR_VALIDATION;
	ret = parse_v1(enc, &v);
	if (ret)
		return ret;
	if (!keystr || !*keystr) {
		free(v.ct);
		return ERR_UNAUTHORIZED;
	}
	ret = ERR_INTERNAL;
	derive_key(keystr, key);
	pt = xmalloc(v.ctlen + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !gcm_init(ctx, 0, key, v.iv) ||
	    EVP_DecryptUpdate(ctx, pt, &n, v.ct, (int)v.ctlen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG_LEN,
				v.tag) != 1)
		goto out;
	if (EVP_DecryptFinal_ex(ctx, pt + n, &fin) != 1) {
		ret = ERR_UNAUTHORIZED;
		goto out;
	}
	pt[n + fin] = '\0';
	*out = (char *)pt;
	pt = NULL;
	ret = 0;
out:
	if (pt) {
		OPENSSL_cleanse(pt, v.ctlen + 1);
		free(pt);
	}
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	free(v.ct);
	return ret;
}

/* ---- base64 and identifiers ------------------------------------------ */

/* Standard padded base64 of 'n' bytes; a new string. */
static char *
base64_encode(const unsigned char *data, size_t n)
{
	char *s = xmalloc(4 * ((n + 2) / 3) + 1);
	char *p = s;
	size_t chunk;

	*p = '\0';
	while (n > 0) {
		chunk = n < CHUNK_MAX ? n : CHUNK_MAX;
		p += EVP_EncodeBlock((unsigned char *)p, data, (int)chunk);
		data += chunk;
		n -= chunk;
	}
	return s;
}

char *
crypto_secret_base64(size_t nbytes)
{
	unsigned char *raw = xmalloc(nbytes);
	char *s = NULL;

	if (crypto_random(raw, nbytes) == 0)
		s = base64_encode(raw, nbytes);
	OPENSSL_cleanse(raw, nbytes);
	free(raw);
	return s;
}

char *
crypto_base64url(const void *data, size_t n)
{
	char *s = base64_encode(data, n);
	char *p;

	for (p = s; *p && *p != '='; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
	}
	*p = '\0';
	return s;
}

static int
base64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * Length of 's' without its padding: at most two '=', and only when they
 * complete a multiple of four characters. SIZE_MAX when the padding is bad.
 */
static size_t
unpadded_len(const char *s, size_t len)
{
	size_t pad = 0;

	while (pad < len && s[len - 1 - pad] == '=')
		pad++;
	if (pad == 0)
		return len;
	if (pad > 2 || len % 4 != 0)
		return SIZE_MAX;
	return len - pad;
}

/*
 * Non-canonical input (a lone trailing character, or set bits left over
 * after the last byte) is rejected, so each byte string has one encoding.
 */
unsigned char *
crypto_base64url_decode(const char *s, size_t len, size_t *outlen)
{
	unsigned char *out, *p;
	unsigned acc = 0, bits = 0;
	size_t i;
	int v;

	len = unpadded_len(s, len);
	if (len == SIZE_MAX || len % 4 == 1)
		return NULL;
	out = xmalloc(len / 4 * 3 + 3);
	p = out;
	for (i = 0; i < len; i++) {
		v = base64url_value(s[i]);
		if (v < 0)
			goto bad;
		acc = (acc << 6 | (unsigned)v) & 0xfff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*p++ = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)
		goto bad;
	*p = '\0';
	if (outlen)
		*outlen = (size_t)(p - out);
	return out;
bad:
	free(out);
	return NULL;
}

/* A uniform index below 'span' (at most 256) by rejection sampling. */
static int
random_index(unsigned char *pool, size_t poolsize, size_t *used, unsigned span,
	     unsigned *idx)
{
	unsigned limit = 256 - 256 % span;
	unsigned b;

	do {
		if (*used == poolsize) {
			if (crypto_random(pool, poolsize))
				return ERR_INTERNAL;
			*used = 0;
		}
		b = pool[(*used)++];
	} while (b >= limit);
	*idx = b % span;
	return 0;
}

int
crypto_document_id(char out[CRYPTO_DOCUMENT_ID_LEN + 1])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char pool[64];
	size_t used = sizeof(pool);
	unsigned idx;
	size_t i;

	out[0] = '\0';
	for (i = 0; i < CRYPTO_DOCUMENT_ID_LEN; i++) {
		if (random_index(pool, sizeof(pool), &used, i == 0 ? 26 : 36,
				 &idx)) {
			out[0] = '\0';
			return ERR_INTERNAL;
		}
		out[i] = alphabet[idx];
	}
	out[i] = '\0';
	return 0;
}
