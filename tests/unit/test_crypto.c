/* SPDX-License-Identifier: MIT */
/*
 * test_crypto.c: crypto/ against published vectors (RFC 4231, FIPS 180-2)
 * and against values computed with Node's crypto module, which is what
 * Strapi uses, so stored hashes and encrypted keys stay interchangeable.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "crypto/crypto.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
/* the reference for the per-thread keyed HMAC: OpenSSL's one-shot call */
#include <openssl/evp.h>

/* "0123456789abcdef" x 16: shaped like an access key. */
static char *
sample_key(void)
{
	char *s = xmalloc(CRYPTO_KEY_HEX_LEN + 1);
	size_t i;

	for (i = 0; i < 16; i++)
		memcpy(s + 16 * i, "0123456789abcdef", 16);
	s[CRYPTO_KEY_HEX_LEN] = '\0';
	return s;
}

static void
hmac512_check(const void *key, size_t keylen, const char *msg,
	      const char *expect)
{
	char out[CRYPTO_HASH_HEX_LEN + 1];

	assert_int_equal(
	    crypto_hmac_sha512_hex(key, keylen, msg, strlen(msg), out), 0);
	assert_string_equal(out, expect);
}

static void
test_hmac_sha512_rfc4231(void **state)
{
	unsigned char key1[20], key6[131];

	(void)state;
	memset(key1, 0x0b, sizeof(key1));
	memset(key6, 0xaa, sizeof(key6));
	/* RFC 4231 test case 1 */
	hmac512_check(key1, sizeof(key1), "Hi There",
		      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b3"
		      "0545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61"
		      "f1702e696c203a126854");
	/* test case 2 */
	hmac512_check("Jefe", 4, "what do ya want for nothing?",
		      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270c"
		      "d7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a"
		      "6b4b636e070a38bce737");
	/* test case 6 */
	hmac512_check(key6, sizeof(key6),
		      "Test Using Larger Than Block-Size Key - Hash Key First",
		      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b01"
		      "3783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f"
		      "0aec8b915a985d786598");
	/* test case 7 */
	hmac512_check(key6, sizeof(key6),
		      "This is a test using a larger than block-size key and a "
		      "larger than block-size data. The key needs to be hashed "
		      "before being used by the HMAC algorithm.",
		      "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a3"
		      "2d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0"
		      "446065c97440fa8c6a58");
}

/*
 * Node: crypto.createHmac('sha512', 'salt string').update(key).digest('hex'),
 * as Strapi hashes an access key with API_TOKEN_SALT.
 */
static void
test_hmac_sha512_strapi(void **state)
{
	char *key = sample_key();

	(void)state;
	hmac512_check("salt string", 11, key,
		      "d20d8f8a30387788d9921d387162c632c3d9cadf8f8f3248dfbf1a"
		      "e7967d5ae62bbc31f1cd30a64bd4872eec98f6a0aae30ce50ca6c7"
		      "c42ebe0358c87b93dd55");
	/* an empty key and message, passed as NULL pointers */
	hmac512_check(NULL, 0, "",
		      "b936cee86c9f87aa5d3c6f2e84cb5a4239a5fe50480a6ec66b70ab"
		      "5b1f4ac6730c6c515421b327ec1d69402e53dfb49ad7381eb067b3"
		      "38fd7b0cb22247225d47");
	free(key);
}

static void
test_hmac_sha256(void **state)
{
	static const char expect[] = "5bdcc146bf60754e6a042426089575c7"
				     "5a003f089d2739839dec58b964ec3843";
	unsigned char mac[32];
	char hex[65];

	(void)state;
	/* RFC 4231 test case 2, SHA-256 */
	assert_int_equal(crypto_hmac_sha256("Jefe", 4,
					    "what do ya want for nothing?", 28,
					    mac),
			 0);
	crypto_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex, expect);
}

/* OpenSSL's one-shot HMAC, which sets the key up on every call. */
static void
oneshot_hmac(const char *digest, const unsigned char *key, size_t keylen,
	     const unsigned char *msg, size_t msglen, unsigned char *out,
	     size_t outsize)
{
	static const unsigned char empty[1];
	size_t outlen = 0;

	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, digest, NULL,
				  keylen ? key : empty, keylen,
				  msglen ? msg : empty, msglen, out, outsize,
				  &outlen));
	assert_int_equal(outlen, outsize);
}

/*
 * Keys around both block sizes (64 and 128 bytes: longer ones are hashed
 * first), and two of one length that differ in their last byte only.
 */
static const size_t keyed_lens[] = { 0, 1, 11, 44, 44, 64, 65, 127, 128,
				     129, 300 };
#define N_KEYED (sizeof(keyed_lens) / sizeof(keyed_lens[0]))

static void
keyed_key(size_t i, unsigned char *key)
{
	size_t j;

	for (j = 0; j < keyed_lens[i]; j++)
		key[j] = (unsigned char)(7 * j + 1);
	if (keyed_lens[i])
		key[keyed_lens[i] - 1] ^= (unsigned char)i;
}

/*
 * Key 'ki' over a message of 'mlen' bytes through both crypto_ functions,
 * checked against the one-shot results.
 */
static void
keyed_check(size_t ki, size_t mlen)
{
	unsigned char key[300], msg[600], want[64], got[32];
	char hex[CRYPTO_HASH_HEX_LEN + 1], want_hex[CRYPTO_HASH_HEX_LEN + 1];
	size_t j;

	keyed_key(ki, key);
	for (j = 0; j < mlen; j++)
		msg[j] = (unsigned char)(j * 31 + ki);
	oneshot_hmac("SHA512", key, keyed_lens[ki], msg, mlen, want, 64);
	crypto_hex(want, 64, want_hex);
	assert_int_equal(crypto_hmac_sha512_hex(keyed_lens[ki] ? key : NULL,
						keyed_lens[ki], msg, mlen,
						hex),
			 0);
	assert_string_equal(hex, want_hex);
	oneshot_hmac("SHA256", key, keyed_lens[ki], msg, mlen, want, 32);
	assert_int_equal(crypto_hmac_sha256(key, keyed_lens[ki], msg, mlen,
					    got),
			 0);
	assert_memory_equal(got, want, 32);
}

/*
 * The keyed context is reused while the key stays the same and re-keyed
 * when it changes (to a key of another length, or of the same length with
 * other bytes), and then back: each result equals the one-shot HMAC.
 */
static void
test_hmac_keyed_matches_oneshot(void **state)
{
	static const size_t mlens[] = { 0, 1, 256, 599 };
	size_t i, k, m;

	(void)state;
	for (i = 0; i < N_KEYED; i++)
		for (m = 0; m < 4; m++)
			keyed_check(i, mlens[m]); /* one key, several times */
	for (k = 0; k < 3; k++)
		for (i = 0; i < N_KEYED; i++)
			keyed_check((i * 5 + k) % N_KEYED, 256);
	/* alternate between the two keys of one length */
	for (k = 0; k < 4; k++)
		keyed_check(3 + k % 2, 256);
}

static void *
keyed_thread(void *arg)
{
	size_t first = (size_t)(uintptr_t)arg, k;

	for (k = 0; k < 200; k++)
		keyed_check((first + k / 50) % N_KEYED, 256);
	return NULL;
}

/*
 * Threads key their own contexts: several at once with different keys,
 * each exiting (its context and key copy freed by the destructor, which
 * ASan and valgrind runs check) while the others go on.
 */
static void
test_hmac_keyed_threads(void **state)
{
	pthread_t t[4];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, keyed_thread,
						(void *)(uintptr_t)(i * 3)),
				 0);
	keyed_check(2, 256);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	keyed_check(2, 256);
}

static void
test_sha256(void **state)
{
	unsigned char md[32];
	char hex[65];

	(void)state;
	crypto_sha256("abc", 3, md);
	crypto_hex(md, sizeof(md), hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256(NULL, 0, md);
	crypto_hex(md, sizeof(md), hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

static void
test_hex(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x7f, 0xa5, 0xff };
	char hex[9];

	(void)state;
	crypto_hex(bytes, sizeof(bytes), hex);
	assert_string_equal(hex, "007fa5ff");
	crypto_hex(bytes, 0, hex);
	assert_string_equal(hex, "");
}

static size_t
count_parts(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == ':';
	return n;
}

static void
test_encrypt_round_trip(void **state)
{
	char *key = sample_key();
	char *enc, *dec = NULL;
	const char *iv, *ct, *tag;

	(void)state;
	enc = crypto_encrypt_v1("my encryption key", key);
	assert_non_null(enc);
	assert_int_equal(count_parts(enc), 4);
	assert_memory_equal(enc, "v1:", 3);
	iv = enc + 3;
	ct = strchr(iv, ':') + 1;
	tag = strchr(ct, ':') + 1;
	assert_int_equal(ct - iv - 1, 32);
	assert_int_equal(tag - ct - 1, 512);
	assert_int_equal(strlen(tag), 32);
	assert_int_equal(strspn(iv, "0123456789abcdef:"), strlen(iv));
	assert_int_equal(crypto_decrypt_v1("my encryption key", enc, &dec), 0);
	assert_string_equal(dec, key);
	secret_free(dec);
	free(enc);
	free(key);
}

static void
test_encrypt_fresh_iv(void **state)
{
	char *a, *b;

	(void)state;
	a = crypto_encrypt_v1("k", "same text");
	b = crypto_encrypt_v1("k", "same text");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void
test_encrypt_empty_plaintext(void **state)
{
	char *enc, *dec = NULL;

	(void)state;
	enc = crypto_encrypt_v1("k", "");
	assert_non_null(enc);
	assert_int_equal(crypto_decrypt_v1("k", enc, &dec), 0);
	assert_string_equal(dec, "");
	secret_free(dec);
	free(enc);
}

static void
test_encrypt_no_key(void **state)
{
	(void)state;
	assert_null(crypto_encrypt_v1(NULL, "x"));
	assert_null(crypto_encrypt_v1("", "x"));
}

/* Encrypted by Node with Strapi's algorithm and a fixed IV 000102...0f. */
static void
test_decrypt_strapi_vector(void **state)
{
	static const char enc[] =
	    "v1:000102030405060708090a0b0c0d0e0f:"
	    "40d9e9f736cb5dae1b51083e82857f708db9cca963a0695b4800d0573eb06d"
	    "1e0d1248ad8a656f743d3c8feb5fde4ca9266b3d321472f591a5b148a9dcf4"
	    "e73dd7bd6235b7c7664254dcae1df048f7cf0c8f7c2d35d100388053c1f7b2"
	    "818165d822aff1f47c1a98b5f847e7f5128ad17f1e0d4a09784e4770b174f2"
	    "4379bffa3fcac44b02b7f5b670b524fb5996c9e90b114644586fc967011d6d"
	    "85b437f0223b99edd2eba0fa5361f2da7569d08f1455b58e3b78908c675c6f"
	    "6954a4031dd70ba16d76f7fd3a2d324195930226367547a6b65f71757b088d"
	    "46ddc90494d26959afccb5395b3921f8bfdbd7369dc08076dd6a8d072e44a3"
	    "c38131f707d52b26:87b17bca1238ea14d566faeb7a70ba04";
	char *key = sample_key();
	char *dec = NULL;

	(void)state;
	assert_int_equal(crypto_decrypt_v1("my encryption key", enc, &dec), 0);
	assert_string_equal(dec, key);
	secret_free(dec);
	free(key);
}

static void
test_decrypt_wrong_key(void **state)
{
	char *enc, *dec = NULL;

	(void)state;
	enc = crypto_encrypt_v1("right key", "secret");
	assert_non_null(enc);
	assert_int_equal(crypto_decrypt_v1("wrong key", enc, &dec),
			 ERR_UNAUTHORIZED);
	assert_null(dec);
	assert_int_equal(crypto_decrypt_v1(NULL, enc, &dec), ERR_UNAUTHORIZED);
	assert_int_equal(crypto_decrypt_v1("", enc, &dec), ERR_UNAUTHORIZED);
	free(enc);
}

/* Decrypt 'enc' with the hex digit at 'pos' changed. */
static int
decrypt_altered(const char *enc, size_t pos)
{
	char *copy = xstrdup(enc);
	char *dec = NULL;
	int ret;

	copy[pos] = copy[pos] == '0' ? '1' : '0';
	ret = crypto_decrypt_v1("k", copy, &dec);
	assert_null(dec);
	free(copy);
	return ret;
}

static void
test_decrypt_tampered(void **state)
{
	char *enc, *dec = NULL;
	size_t ct, tag;

	(void)state;
	enc = crypto_encrypt_v1("k", "secret value");
	assert_non_null(enc);
	ct = (size_t)(strchr(enc + 3, ':') - enc) + 1;
	tag = (size_t)(strrchr(enc, ':') - enc) + 1;
	assert_int_equal(decrypt_altered(enc, 3), ERR_UNAUTHORIZED);
	assert_int_equal(decrypt_altered(enc, ct), ERR_UNAUTHORIZED);
	assert_int_equal(decrypt_altered(enc, ct + 23), ERR_UNAUTHORIZED);
	assert_int_equal(decrypt_altered(enc, tag + 5), ERR_UNAUTHORIZED);
	assert_int_equal(crypto_decrypt_v1("k", enc, &dec), 0);
	assert_string_equal(dec, "secret value");
	secret_free(dec);
	free(enc);
}

static void
test_decrypt_malformed(void **state)
{
	static const char iv[] = "000102030405060708090a0b0c0d0e0f";
	static const char tag[] = "87b17bca1238ea14d566faeb7a70ba04";
	char *bad[10];
	char *dec = NULL;
	size_t i;

	(void)state;
	bad[0] = xasprintf("v2:%s:00:%s", iv, tag);
	bad[1] = xasprintf("v1:%s:00", iv);
	bad[2] = xasprintf("v1:%s:00:%s:00", iv, tag);
	bad[3] = xasprintf("v1:%s:0g:%s", iv, tag);
	bad[4] = xasprintf("v1:%s:000:%s", iv, tag);
	bad[5] = xasprintf("v1:%.30s:00:%s", iv, tag);
	bad[6] = xasprintf("v1:%s:00:%.30s", iv, tag);
	bad[7] = xstrdup("");
	bad[8] = xstrdup("v1");
	bad[9] = xasprintf("V1:%s:00:%s", iv, tag);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(crypto_decrypt_v1("k", bad[i], &dec),
				 ERR_VALIDATION);
		assert_null(dec);
		free(bad[i]);
	}
	assert_int_equal(crypto_decrypt_v1("k", NULL, &dec), ERR_VALIDATION);
}

static void
test_access_key(void **state)
{
	char a[CRYPTO_KEY_HEX_LEN + 1], b[CRYPTO_KEY_HEX_LEN + 1];

	(void)state;
	assert_int_equal(crypto_access_key(a), 0);
	assert_int_equal(crypto_access_key(b), 0);
	assert_int_equal(strlen(a), CRYPTO_KEY_HEX_LEN);
	assert_int_equal(strspn(a, "0123456789abcdef"), CRYPTO_KEY_HEX_LEN);
	assert_string_not_equal(a, b);
	secret_wipe(a, sizeof(a));
	secret_wipe(b, sizeof(b));
}

static void
test_document_id(void **state)
{
	char id[CRYPTO_DOCUMENT_ID_LEN + 1], prev[CRYPTO_DOCUMENT_ID_LEN + 1];
	bool seen_digit = false, seen_late_letter = false;
	int i;

	(void)state;
	prev[0] = '\0';
	for (i = 0; i < 200; i++) {
		assert_int_equal(crypto_document_id(id), 0);
		assert_int_equal(strlen(id), CRYPTO_DOCUMENT_ID_LEN);
		assert_true(id[0] >= 'a' && id[0] <= 'z');
		assert_int_equal(strspn(id, "abcdefghijklmnopqrstuvwxyz"
					    "0123456789"),
				 CRYPTO_DOCUMENT_ID_LEN);
		seen_digit |= strpbrk(id, "0123456789") != NULL;
		seen_late_letter |= strpbrk(id + 1, "xyz") != NULL;
		assert_string_not_equal(id, prev);
		memcpy(prev, id, sizeof(id));
	}
	assert_true(seen_digit);
	assert_true(seen_late_letter);
}

static void
test_secret_base64(void **state)
{
	char *s;

	(void)state;
	s = crypto_secret_base64(16);
	assert_non_null(s);
	assert_int_equal(strlen(s), 24);
	assert_string_equal(s + 22, "==");
	assert_int_equal(strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				   "qrstuvwxyz0123456789+/"),
			 22);
	secret_free(s);
	s = crypto_secret_base64(0);
	assert_string_equal(s, "");
	secret_free(s);
}

static void
b64url_check(const char *data, size_t n, const char *expect)
{
	unsigned char *dec;
	size_t len = 99;
	char *enc;

	enc = crypto_base64url(data, n);
	assert_string_equal(enc, expect);
	dec = crypto_base64url_decode(enc, strlen(enc), &len);
	assert_non_null(dec);
	assert_int_equal(len, n);
	assert_memory_equal(dec, data, n);
	free(dec);
	free(enc);
}

static void
test_base64url_vectors(void **state)
{
	(void)state;
	/* RFC 4648 section 10, in the URL-safe alphabet without padding */
	b64url_check("", 0, "");
	b64url_check("f", 1, "Zg");
	b64url_check("fo", 2, "Zm8");
	b64url_check("foo", 3, "Zm9v");
	b64url_check("foob", 4, "Zm9vYg");
	b64url_check("fooba", 5, "Zm9vYmE");
	b64url_check("foobar", 6, "Zm9vYmFy");
	b64url_check("\xfb\xff\xbf", 3, "-_-_");
	b64url_check("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 27,
		     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
}

static void
test_base64url_round_trip(void **state)
{
	unsigned char data[300], *dec;
	size_t n, len;
	char *enc;

	(void)state;
	for (n = 0; n < sizeof(data); n++)
		data[n] = (unsigned char)(n * 37 + 11);
	for (n = 0; n <= sizeof(data); n++) {
		enc = crypto_base64url(data, n);
		assert_null(strpbrk(enc, "+/="));
		dec = crypto_base64url_decode(enc, strlen(enc), &len);
		assert_non_null(dec);
		assert_int_equal(len, n);
		assert_memory_equal(dec, data, n);
		free(dec);
		free(enc);
	}
}

static void
test_base64url_decode(void **state)
{
	static const char *const bad[] = {
		"Z",    "Zg=",   "Zg===", "Zh", "Zm9=",     "Z+g",
		"Zm/v", "Zm 9v", "Zm9v=", "=",  "Zm9vYg=a",
	};
	unsigned char *dec;
	size_t i, len;

	(void)state;
	dec = crypto_base64url_decode("Zg==", 4, &len);
	assert_non_null(dec);
	assert_int_equal(len, 1);
	assert_int_equal(dec[0], 'f');
	free(dec);
	dec = crypto_base64url_decode("Zm8=", 4, &len);
	assert_non_null(dec);
	assert_int_equal(len, 2);
	free(dec);
	/* the length bounds the input: the rest is ignored */
	dec = crypto_base64url_decode("Zm9v.rest", 4, &len);
	assert_non_null(dec);
	assert_memory_equal(dec, "foo", 3);
	free(dec);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_null(
		    crypto_base64url_decode(bad[i], strlen(bad[i]), &len));
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(crypto_equal("abc", "abc", 3));
	assert_false(crypto_equal("abc", "abd", 3));
	assert_false(crypto_equal("xbc", "abc", 3));
	assert_true(crypto_equal("abc", "abd", 2));
	assert_true(crypto_equal(NULL, NULL, 0));
}

static void
test_random(void **state)
{
	unsigned char a[32], b[32];

	(void)state;
	assert_int_equal(crypto_random(a, sizeof(a)), 0);
	assert_int_equal(crypto_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(crypto_random(a, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_sha512_rfc4231),
		cmocka_unit_test(test_hmac_sha512_strapi),
		cmocka_unit_test(test_hmac_sha256),
		cmocka_unit_test(test_hmac_keyed_matches_oneshot),
		cmocka_unit_test(test_hmac_keyed_threads),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_encrypt_round_trip),
		cmocka_unit_test(test_encrypt_fresh_iv),
		cmocka_unit_test(test_encrypt_empty_plaintext),
		cmocka_unit_test(test_encrypt_no_key),
		cmocka_unit_test(test_decrypt_strapi_vector),
		cmocka_unit_test(test_decrypt_wrong_key),
		cmocka_unit_test(test_decrypt_tampered),
		cmocka_unit_test(test_decrypt_malformed),
		cmocka_unit_test(test_access_key),
		cmocka_unit_test(test_document_id),
		cmocka_unit_test(test_secret_base64),
		cmocka_unit_test(test_base64url_vectors),
		cmocka_unit_test(test_base64url_round_trip),
		cmocka_unit_test(test_base64url_decode),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
