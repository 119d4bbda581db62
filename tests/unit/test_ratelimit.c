/* SPDX-License-Identifier: MIT */
/* test_ratelimit.c: fixed windows, separate keys, the bound, threads. */
#include "core/compat.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>

#include "auth/ratelimit.h"

static void
test_window(void **state)
{
	struct ratelimit *rl = ratelimit_new(5, 1000, 16);
	int i;

	(void)state;
	/* five attempts pass, the sixth and later are refused */
	for (i = 0; i < 5; i++)
		assert_false(
		    ratelimit_hit(rl, "a@x.io:/admin/login:1.2.3.4", 100 + i));
	assert_true(ratelimit_hit(rl, "a@x.io:/admin/login:1.2.3.4", 200));
	assert_true(ratelimit_hit(rl, "a@x.io:/admin/login:1.2.3.4", 1099));
	/* refused hits do not extend the window: it ends 1000 ms after the
	 * first */
	assert_false(ratelimit_hit(rl, "a@x.io:/admin/login:1.2.3.4", 1100));
	for (i = 0; i < 4; i++)
		assert_false(
		    ratelimit_hit(rl, "a@x.io:/admin/login:1.2.3.4", 1101 + i));
	assert_true(ratelimit_hit(rl, "a@x.io:/admin/login:1.2.3.4", 1200));
	assert_int_equal(ratelimit_size(rl), 1);
	ratelimit_free(rl);
}

static void
test_keys_independent(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 60000, 16);

	(void)state;
	assert_false(ratelimit_hit(rl, "a:/admin/login:ip", 0));
	assert_false(ratelimit_hit(rl, "a:/admin/login:ip", 0));
	assert_true(ratelimit_hit(rl, "a:/admin/login:ip", 0));
	/* another email, path or address has its own count */
	assert_false(ratelimit_hit(rl, "b:/admin/login:ip", 0));
	assert_false(ratelimit_hit(rl, "a:/admin/register-admin:ip", 0));
	assert_false(ratelimit_hit(rl, "a:/admin/login:ip2", 0));
	assert_int_equal(ratelimit_size(rl), 4);
	ratelimit_free(rl);
}

static void
test_bounded_evicts_oldest(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 60000, 3);
	char key[32];
	int i;

	(void)state;
	assert_false(ratelimit_hit(rl, "k0", 0));
	assert_true(ratelimit_hit(rl, "k0", 1));
	assert_false(ratelimit_hit(rl, "k1", 2));
	assert_false(ratelimit_hit(rl, "k2", 3));
	assert_int_equal(ratelimit_size(rl), 3);
	/* a fourth key forgets k0, whose window opened first */
	assert_false(ratelimit_hit(rl, "k3", 4));
	assert_int_equal(ratelimit_size(rl), 3);
	assert_false(ratelimit_hit(rl, "k0", 5));
	/* k1 went to make room for k0; k3 is still remembered */
	assert_true(ratelimit_hit(rl, "k3", 6));
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "spray-%d", i);
		ratelimit_hit(rl, key, 10 + i);
	}
	assert_int_equal(ratelimit_size(rl), 3);
	ratelimit_free(rl);
}

static void
test_expired_window_is_renewed_and_aged(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 100, 2);

	(void)state;
	assert_false(ratelimit_hit(rl, "old", 0));
	assert_false(ratelimit_hit(rl, "new", 50));
	/* "old" opens a new window at 150: it is now the newest */
	assert_false(ratelimit_hit(rl, "old", 150));
	/* so a third key evicts "new", not "old" */
	assert_false(ratelimit_hit(rl, "third", 160));
	assert_true(ratelimit_hit(rl, "old", 170));
	ratelimit_free(rl);
}

struct worker {
	struct ratelimit *rl;
	int refused;
};

static void *
hammer(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < 1000; i++)
		if (ratelimit_hit(w->rl, "shared", 0))
			w->refused++;
	return NULL;
}

static void
test_threads(void **state)
{
	struct ratelimit *rl = ratelimit_new(5, 60000, 8);
	struct worker w[4];
	pthread_t t[4];
	int i, refused = 0;

	(void)state;
	for (i = 0; i < 4; i++) {
		w[i].rl = rl;
		w[i].refused = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		refused += w[i].refused;
	}
	/* exactly five of the 4000 attempts got through */
	assert_int_equal(refused, 4000 - 5);
	ratelimit_free(rl);
}

static void
test_admin_instance(void **state)
{
	struct ratelimit *rl = ratelimit_admin();
	int i;

	(void)state;
	assert_non_null(rl);
	assert_ptr_equal(rl, ratelimit_admin());
	for (i = 0; i < RATELIMIT_ADMIN_MAX; i++)
		assert_false(
		    ratelimit_hit(rl, "unknownEmail:/admin/login:t", 0));
	assert_true(ratelimit_hit(rl, "unknownEmail:/admin/login:t", 1));
	assert_false(ratelimit_hit(rl, "unknownEmail:/admin/login:t",
				   RATELIMIT_ADMIN_WINDOW_MS));
	ratelimit_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_keys_independent),
	    cmocka_unit_test(test_bounded_evicts_oldest),
	    cmocka_unit_test(test_expired_window_is_renewed_and_aged),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_admin_instance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
