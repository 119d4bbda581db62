/* SPDX-License-Identifier: MIT */
/*
 * test_qs.c: the qs bracket syntax (http/qs.c) against what npm qs gives
 * for the same strings: nesting, arrays and their limit, merging, decoding,
 * the depth bound and hostile bytes.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/mem.h"
#include "http/qs.h"

static const struct qs_limits lim_default = QS_LIMITS_DEFAULT;

/* Parse 'qs' and compare the compact JSON dump with 'want'. */
static void
check_lim(const char *qs, const struct qs_limits *lim, const char *want)
{
	struct err e = ERR_INIT;
	json_t *out = NULL;
	char *got;
	int rc;

	rc = qs_parse(qs, strlen(qs), lim, &out, &e);
	if (rc != 0)
		fail_msg("qs_parse(\"%s\") failed: %s", qs, e.msg);
	got = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER |
				  JSON_ENSURE_ASCII);
	if (!got || strcmp(got, want) != 0)
		fail_msg("qs_parse(\"%s\")\n  got:  %s\n  want: %s", qs,
			 got ? got : "(null)", want);
	free(got);
	json_decref(out);
	err_release(&e);
}

static void
check(const char *qs, const char *want)
{
	check_lim(qs, &lim_default, want);
}

static void
check_fails(const char *qs, const struct qs_limits *lim)
{
	struct err e = ERR_INIT;
	json_t *out = NULL;
	int rc;

	rc = qs_parse(qs, strlen(qs), lim, &out, &e);
	if (rc != ERR_VALIDATION)
		fail_msg("qs_parse(\"%s\") returned %d, want ERR_VALIDATION",
			 qs, rc);
	assert_null(out);
	assert_int_equal(e.code, ERR_VALIDATION);
	assert_string_equal(e.msg, "Query parameters are nested too deeply");
	err_release(&e);
}

static void
test_empty(void **state)
{
	json_t *out = NULL;

	(void)state;
	check("", "{}");
	check("&", "{}");
	check("&&&", "{}");
	check("=", "{}");
	check("=x", "{}");
	check("=x&a=1", "{\"a\":\"1\"}");
	assert_int_equal(qs_parse(NULL, 0, &lim_default, &out, NULL), 0);
	assert_int_equal(json_object_size(out), 0);
	json_decref(out);
	/* default limits when 'lim' is NULL */
	assert_int_equal(qs_parse("a=1", 3, NULL, &out, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(out, "a")), "1");
	json_decref(out);
}

static void
test_plain_pairs(void **state)
{
	(void)state;
	check("a=1", "{\"a\":\"1\"}");
	check("a=1&b=2", "{\"a\":\"1\",\"b\":\"2\"}");
	check("a", "{\"a\":\"\"}");
	check("a=", "{\"a\":\"\"}");
	check("a=b=c", "{\"a\":\"b=c\"}");
	check("a==", "{\"a\":\"=\"}");
	check("a=1&", "{\"a\":\"1\"}");
	check("&a=1", "{\"a\":\"1\"}");
	/* ';' and '.' are not separators */
	check("a=1;b=2", "{\"a\":\"1;b=2\"}");
	check("a.b=1", "{\"a.b\":\"1\"}");
	/* a leading '?' is part of the key, as in qs */
	check("?a=1", "{\"?a\":\"1\"}");
}

static void
test_duplicates(void **state)
{
	(void)state;
	check("a=1&a=2", "{\"a\":[\"1\",\"2\"]}");
	check("a=1&a=2&a=3", "{\"a\":[\"1\",\"2\",\"3\"]}");
	check("a=1&b=x&a=2", "{\"a\":[\"1\",\"2\"],\"b\":\"x\"}");
	check("a[b]=1&a[b]=2", "{\"a\":{\"b\":[\"1\",\"2\"]}}");
	/* same key after decoding */
	check("a[b]=1&a%5Bb%5D=2", "{\"a\":{\"b\":[\"1\",\"2\"]}}");
	/* the combined list becomes the element of [0] */
	check("a[0]=x&a[0]=y", "{\"a\":[[\"x\",\"y\"]]}");
	check("a[]=1&a[]=2", "{\"a\":[\"1\",\"2\"]}");
}

static void
test_nesting(void **state)
{
	(void)state;
	check("a[b]=c", "{\"a\":{\"b\":\"c\"}}");
	check("a[b][c]=d", "{\"a\":{\"b\":{\"c\":\"d\"}}}");
	check("a[b]=1&a[c]=2", "{\"a\":{\"b\":\"1\",\"c\":\"2\"}}");
	check("filters[name][$eq]=Apple",
	      "{\"filters\":{\"name\":{\"$eq\":\"Apple\"}}}");
	check("filters[$or][0][name][$eq]=A&filters[$or][1][stock][$gte]=30",
	      "{\"filters\":{\"$or\":[{\"name\":{\"$eq\":\"A\"}},"
	      "{\"stock\":{\"$gte\":\"30\"}}]}}");
	check("pagination[page]=3&pagination[pageSize]=2",
	      "{\"pagination\":{\"page\":\"3\",\"pageSize\":\"2\"}}");
	/* text after the last group is ignored */
	check("a[b]c=1", "{\"a\":{\"b\":\"1\"}}");
	check("a[b]c[d]=1", "{\"a\":{\"b\":{\"d\":\"1\"}}}");
	/* groups hold no brackets: the first clean group starts the chain */
	check("a[b[c]]=1", "{\"a[b\":{\"c\":\"1\"}}");
	check("a[b=1", "{\"a[b\":\"1\"}");
	check("a]=1", "{\"a]\":\"1\"}");
	check("a[]]=1", "{\"a\":[\"1\"]}");
	/* a key that starts with a group */
	check("[a]=1", "{\"a\":\"1\"}");
	check("[0]=x", "{\"0\":\"x\"}");
	check("[]=x", "{\"0\":\"x\"}");
	check("[a][b]=1", "{\"a\":{\"b\":\"1\"}}");
	/* the "]=" rule cuts at the first "]=", else at the first '=' */
	check("a[b=c]=d", "{\"a\":{\"b=c\":\"d\"}}");
	check("a=b]=c", "{\"a=b]\":\"c\"}");
	/* empty group names */
	check("a[][b]=1", "{\"a\":[{\"b\":\"1\"}]}");
	check("a[][b]=1&a[][c]=2", "{\"a\":[{\"b\":\"1\",\"c\":\"2\"}]}");
}

static void
test_arrays(void **state)
{
	(void)state;
	check("a[0]=x", "{\"a\":[\"x\"]}");
	check("a[0]=x&a[1]=y", "{\"a\":[\"x\",\"y\"]}");
	/* sparse indices are compacted in index order */
	check("a[1]=x&a[0]=y", "{\"a\":[\"y\",\"x\"]}");
	check("a[5]=x", "{\"a\":[\"x\"]}");
	check("a[3]=c&a[1]=a&a[2]=b", "{\"a\":[\"a\",\"b\",\"c\"]}");
	/* arrayLimit 100: 100 is an index, 101 a key */
	check("a[100]=x", "{\"a\":[\"x\"]}");
	check("a[101]=x", "{\"a\":{\"101\":\"x\"}}");
	check("a[150]=x", "{\"a\":{\"150\":\"x\"}}");
	check("filters[stock][$in][30]=20",
	      "{\"filters\":{\"stock\":{\"$in\":[\"20\"]}}}");
	check("filters[stock][$in][150]=20",
	      "{\"filters\":{\"stock\":{\"$in\":{\"150\":\"20\"}}}}");
	/* only canonical decimal indices */
	check("a[01]=x", "{\"a\":{\"01\":\"x\"}}");
	check("a[-1]=x", "{\"a\":{\"-1\":\"x\"}}");
	check("a[%2B1]=x", "{\"a\":{\"+1\":\"x\"}}");
	check("a[+1]=x", "{\"a\":{\" 1\":\"x\"}}");
	check("a[1a]=x", "{\"a\":{\"1a\":\"x\"}}");
	check("a[ 1]=x", "{\"a\":{\" 1\":\"x\"}}");
	check("a[99999999999999999999999]=x",
	      "{\"a\":{\"99999999999999999999999\":\"x\"}}");
	/* an unbracketed number is an object key */
	check("0=x", "{\"0\":\"x\"}");
	/* "[]" flattens an inner list */
	check("a[][0]=x", "{\"a\":[\"x\"]}");
	check("a[][]=x", "{\"a\":[\"x\"]}");
	check("a[0][0]=x", "{\"a\":[[\"x\"]]}");
	check("a[0][b]=1&a[1][b]=2", "{\"a\":[{\"b\":\"1\"},{\"b\":\"2\"}]}");
	check("a[0][b]=1&a[0][c]=2", "{\"a\":[{\"b\":\"1\",\"c\":\"2\"}]}");
	/* custom array limit */
	{
		struct qs_limits lim = {1000, 20, 2};

		check_lim("a[2]=x", &lim, "{\"a\":[\"x\"]}");
		check_lim("a[3]=x", &lim, "{\"a\":{\"3\":\"x\"}}");
	}
}

static void
test_merge(void **state)
{
	(void)state;
	/* an array meeting object keys becomes an object keyed by index */
	check("a[0]=x&a[b]=y", "{\"a\":{\"0\":\"x\",\"b\":\"y\"}}");
	check("a[b]=y&a[0]=x", "{\"a\":{\"0\":\"x\",\"b\":\"y\"}}");
	check("a[5]=x&a[b]=y", "{\"a\":{\"5\":\"x\",\"b\":\"y\"}}");
	check("a[1]=x&a[0]=y&a[b]=z",
	      "{\"a\":{\"0\":\"y\",\"1\":\"x\",\"b\":\"z\"}}");
	check("a[0]=x&a[150]=y", "{\"a\":{\"0\":\"x\",\"150\":\"y\"}}");
	/* a string meeting an object or a list */
	check("a=1&a[b]=2", "{\"a\":[\"1\",{\"b\":\"2\"}]}");
	check("a=1&a[]=2", "{\"a\":[\"1\",\"2\"]}");
	check("a=1&a[0]=2", "{\"a\":[\"1\",\"2\"]}");
	check("a=1&a[3]=2", "{\"a\":[\"1\",\"2\"]}");
	check("a[]=1&a=2", "{\"a\":[\"1\",\"2\"]}");
	/* an object meeting a string: the string becomes a key */
	check("a[b]=1&a=2", "{\"a\":{\"2\":\"true\",\"b\":\"1\"}}");
	check("a[b]=1&a=c", "{\"a\":{\"b\":\"1\",\"c\":\"true\"}}");
	check("a[b]=1&a=toString", "{\"a\":{\"b\":\"1\"}}");
	/* an empty string merges as nothing */
	check("a[b]=1&a=", "{\"a\":{\"b\":\"1\"}}");
	check("a[b]=1&a[b]x=", "{\"a\":{\"b\":\"1\"}}");
	/* two lists: colliding scalars are appended */
	check("a[0]=x&a[]=y", "{\"a\":[\"x\",\"y\"]}");
	check("a[0]=x&a[0][b]=y", "{\"a\":[\"x\",{\"b\":\"y\"}]}");
	check("a[0][b]=y&a[0]=x", "{\"a\":[{\"b\":\"y\"},\"x\"]}");
	/* logical filters in both index forms */
	check("f[$or][0][a]=1&f[$or][x][b]=2",
	      "{\"f\":{\"$or\":{\"0\":{\"a\":\"1\"},\"x\":{\"b\":\"2\"}}}}");
}

static void
test_key_order(void **state)
{
	(void)state;
	/* JavaScript enumerates index-like keys first, in numeric order */
	check("b=1&0=x&a=2", "{\"0\":\"x\",\"b\":\"1\",\"a\":\"2\"}");
	check("a[z]=1&a[10]=2&a[9]=3&a[y]=4",
	      "{\"a\":{\"9\":\"3\",\"10\":\"2\",\"z\":\"1\",\"y\":\"4\"}}");
	check("sort[price]=desc&sort[name]=asc",
	      "{\"sort\":{\"price\":\"desc\",\"name\":\"asc\"}}");
}

static void
test_prototype_keys(void **state)
{
	(void)state;
	check("toString=1&c=3", "{\"c\":\"3\"}");
	check("__proto__=1", "{}");
	check("__proto__[a]=1", "{}");
	check("a[__proto__]=1", "{}");
	check("a[constructor][prototype]=1&b=2", "{\"b\":\"2\"}");
	check("a[hasOwnProperty]=1", "{}");
	check("filters[valueOf]=1", "{}");
	/* only exact names */
	check("a[toStrings]=1", "{\"a\":{\"toStrings\":\"1\"}}");
	check("a[proto]=1", "{\"a\":{\"proto\":\"1\"}}");
}

static void
test_decoding(void **state)
{
	json_t *out = NULL;
	const char *v;

	(void)state;
	check("a=b+c", "{\"a\":\"b c\"}");
	check("a+b=c", "{\"a b\":\"c\"}");
	check("a=%20x%20", "{\"a\":\" x \"}");
	check("a=%2B", "{\"a\":\"+\"}");
	check("a=%26%3D", "{\"a\":\"&=\"}");
	check("a%5Bb%5D=c", "{\"a\":{\"b\":\"c\"}}");
	check("a%5bb%5d=c", "{\"a\":{\"b\":\"c\"}}");
	check("filters%5Bname%5D%5B%24eq%5D=x",
	      "{\"filters\":{\"name\":{\"$eq\":\"x\"}}}");
	check("a=%C3%A9", "{\"a\":\"\\u00E9\"}");
	/* a malformed escape keeps the whole string as it was */
	check("a=%", "{\"a\":\"%\"}");
	check("a=%4", "{\"a\":\"%4\"}");
	check("a=%ZZ", "{\"a\":\"%ZZ\"}");
	check("a=%ZZ%41+b", "{\"a\":\"%ZZ%41 b\"}");
	check("a=100%", "{\"a\":\"100%\"}");
	/* as do escapes that are not UTF-8 */
	check("a=%FF", "{\"a\":\"%FF\"}");
	check("a=%C3", "{\"a\":\"%C3\"}");
	check("a=%C0%80", "{\"a\":\"%C0%80\"}");
	check("a=%ED%A0%80", "{\"a\":\"%ED%A0%80\"}");
	/* raw bytes that are not UTF-8 become U+FFFD */
	check("a=\xff", "{\"a\":\"\\uFFFD\"}");
	check("a=x\xc3", "{\"a\":\"x\\uFFFD\"}");
	check("\xfe=1", "{\"\\uFFFD\":\"1\"}");
	check("a=\xc3\xa9", "{\"a\":\"\\u00E9\"}");
	/* %00 is kept, with its length */
	assert_int_equal(qs_parse("a=x%00y", 7, NULL, &out, NULL), 0);
	assert_int_equal(json_string_length(json_object_get(out, "a")), 3);
	json_decref(out);
	assert_int_equal(qs_parse("a%00b=1", 7, NULL, &out, NULL), 0);
	assert_null(json_object_get(out, "a"));
	assert_non_null(json_object_getn(out, "a\0b", 3));
	json_decref(out);
	/* the length is honoured: no read past 'len' */
	assert_int_equal(qs_parse("a=1&b=2", 3, NULL, &out, NULL), 0);
	assert_null(json_object_get(out, "b"));
	v = json_string_value(json_object_get(out, "a"));
	assert_string_equal(v, "1");
	json_decref(out);
}

static void
test_qs_decode(void **state)
{
	char *s;

	(void)state;
	s = qs_decode("a+b%20c", 7);
	assert_string_equal(s, "a b c");
	free(s);
	s = qs_decode("%7e%7E", 6);
	assert_string_equal(s, "~~");
	free(s);
	s = qs_decode("50%", 3);
	assert_string_equal(s, "50%");
	free(s);
	s = qs_decode("%e2%82%ac", 9);
	assert_string_equal(s, "\xe2\x82\xac");
	free(s);
	s = qs_decode("", 0);
	assert_string_equal(s, "");
	free(s);
	s = qs_decode("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = qs_decode("%4", 2);
	assert_string_equal(s, "%4");
	free(s);
}

static void
test_depth(void **state)
{
	struct qs_limits lim = {1000, 3, 100};
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	/* 20 groups are fine, 21 are not */
	buf_addstr(&b, "x");
	for (i = 0; i < 20; i++)
		buf_addf(&b, "[k%d]", i);
	buf_addstr(&b, "=1");
	{
		struct err e = ERR_INIT;
		json_t *out = NULL;

		assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
		json_decref(out);
	}
	buf_reset(&b);
	buf_addstr(&b, "x");
	for (i = 0; i < 21; i++)
		buf_addf(&b, "[k%d]", i);
	buf_addstr(&b, "=1");
	check_fails(b.ptr, &lim_default);
	buf_release(&b);

	check_lim("a[b][c][d]=1", &lim,
		  "{\"a\":{\"b\":{\"c\":{\"d\":\"1\"}}}}");
	check_fails("a[b][c][d][e]=1", &lim);
	check_fails("ok=1&a[b][c][d][e]=1", &lim);
	check_fails("[a][b][c][d]=1", &lim);
	/* a dropped key is dropped before the depth is counted */
	check_lim("a[toString][c][d][e]=1", &lim, "{}");
	/* the text after the last group does not count */
	check_lim("a[b][c][d]xyz=1", &lim,
		  "{\"a\":{\"b\":{\"c\":{\"d\":\"1\"}}}}");

	/* depth 0: brackets are not read at all */
	lim.max_depth = 0;
	check_lim("a[b][c]=1", &lim, "{\"a[b][c]\":\"1\"}");
}

static void
test_max_params(void **state)
{
	struct qs_limits lim = {2, 20, 100};
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	json_t *out = NULL;
	int i;

	(void)state;
	check_lim("a=1&b=2&c=3", &lim, "{\"a\":\"1\",\"b\":\"2\"}");
	/* empty parts count, as in qs's split */
	check_lim("&a=1&b=2", &lim, "{\"a\":\"1\"}");
	check_lim("a=1&a=2&a=3", &lim, "{\"a\":[\"1\",\"2\"]}");

	/* the default keeps the first 1000 pairs */
	for (i = 0; i < 1500; i++)
		buf_addf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
	assert_int_equal(json_object_size(out), 1000);
	assert_non_null(json_object_get(out, "k999"));
	assert_null(json_object_get(out, "k1000"));
	json_decref(out);
	buf_release(&b);
}

static void
test_hostile(void **state)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	json_t *out = NULL;
	size_t i;

	(void)state;
	/* a long run of '[' stays linear and is a plain key */
	for (i = 0; i < 200000; i++)
		buf_addch(&b, '[');
	buf_addstr(&b, "=1");
	assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
	assert_int_equal(json_object_size(out), 1);
	json_decref(out);

	/* "[[[[...]" then one group: parent is the run of '[' */
	buf_reset(&b);
	for (i = 0; i < 1000; i++)
		buf_addch(&b, '[');
	buf_addstr(&b, "a]=1");
	assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
	assert_int_equal(json_object_size(out), 1);
	json_decref(out);

	/* many closing brackets */
	buf_reset(&b);
	buf_addstr(&b, "a");
	for (i = 0; i < 100000; i++)
		buf_addch(&b, ']');
	buf_addstr(&b, "=1");
	assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
	json_decref(out);

	/* a thousand pairs into the same array and object */
	buf_reset(&b);
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%sa[]=%zu&b[k%zu]=1", i ? "&" : "", i, i);
	assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "a")), 500);
	assert_int_equal(json_object_size(json_object_get(out, "b")), 500);
	json_decref(out);

	/* every byte value as key and value */
	buf_reset(&b);
	for (i = 1; i < 256; i++) {
		buf_addch(&b, (char)i);
		buf_addch(&b, '=');
		buf_addch(&b, (char)i);
		buf_addch(&b, '&');
	}
	assert_int_equal(qs_parse(b.ptr, b.len, NULL, &out, &e), 0);
	{
		char *dump = json_dumps(out, JSON_COMPACT);

		/* every string in the tree is valid UTF-8 */
		assert_non_null(dump);
		free(dump);
	}
	json_decref(out);
	buf_release(&b);
	err_release(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_plain_pairs),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_nesting),
	    cmocka_unit_test(test_arrays),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_key_order),
	    cmocka_unit_test(test_prototype_keys),
	    cmocka_unit_test(test_decoding),
	    cmocka_unit_test(test_qs_decode),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_max_params),
	    cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
