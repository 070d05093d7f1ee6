/*
 * test_policy.c - the points policy: defaults and every boundary second.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "policy.h"

#define HMS(h, m, s) ((uint32_t)((h) * 3600 + (m) * 60 + (s)))

static void
judge(const struct rc_policy *p, uint32_t at, uint8_t want_status,
    int32_t want_points)
{
	uint8_t status = 0;
	int32_t points = 12345;

	policy_judge(p, at, &status, &points);
	assert_int_equal(status, want_status);
	assert_int_equal(points, want_points);
}

static void
test_default(void **state)
{
	struct rc_policy p;

	(void)state;
	memset(&p, 0xff, sizeof p);
	policy_default(&p);
	assert_int_equal(p.start, 9 * 3600);
	assert_int_equal(p.window, 5);
	assert_int_equal(p.points, 5);
}

/* The four seconds SPEC section 1 names, and their neighbours. */
static void
test_default_boundaries(void **state)
{
	struct rc_policy p;

	(void)state;
	policy_default(&p);
	judge(&p, HMS(0, 0, 0), ST_EARLY, 5);
	judge(&p, HMS(8, 54, 59), ST_EARLY, 5);
	judge(&p, HMS(8, 55, 0), ST_EARLY, 5);
	judge(&p, HMS(8, 55, 1), ST_ON_TIME, 0);
	judge(&p, HMS(9, 0, 0), ST_ON_TIME, 0);
	judge(&p, HMS(9, 4, 59), ST_ON_TIME, 0);
	judge(&p, HMS(9, 5, 0), ST_LATE, -5);
	judge(&p, HMS(9, 5, 1), ST_LATE, -5);
	judge(&p, HMS(23, 59, 59), ST_LATE, -5);
}

static void
test_changed_policy(void **state)
{
	struct rc_policy p = { HMS(8, 30, 0), 10, 7 };

	(void)state;
	judge(&p, HMS(8, 20, 0), ST_EARLY, 7);
	judge(&p, HMS(8, 20, 1), ST_ON_TIME, 0);
	judge(&p, HMS(8, 39, 59), ST_ON_TIME, 0);
	judge(&p, HMS(8, 40, 0), ST_LATE, -7);
	/* what was late under the defaults' window is on time here */
	judge(&p, HMS(8, 35, 0), ST_ON_TIME, 0);
}

static void
test_zero_points(void **state)
{
	struct rc_policy p = { HMS(9, 0, 0), 5, 0 };

	(void)state;
	judge(&p, HMS(8, 0, 0), ST_EARLY, 0);
	judge(&p, HMS(10, 0, 0), ST_LATE, 0);
}

static void
test_max_policy(void **state)
{
	struct rc_policy p = { HMS(12, 0, 0), 120, 1000 };

	(void)state;
	judge(&p, HMS(10, 0, 0), ST_EARLY, 1000);
	judge(&p, HMS(10, 0, 1), ST_ON_TIME, 0);
	judge(&p, HMS(13, 59, 59), ST_ON_TIME, 0);
	judge(&p, HMS(14, 0, 0), ST_LATE, -1000);
}

/* S < W*60: S - W must not wrap around to a huge unsigned value. */
static void
test_start_before_window(void **state)
{
	struct rc_policy p = { HMS(0, 2, 0), 5, 5 };

	(void)state;
	judge(&p, HMS(0, 0, 0), ST_ON_TIME, 0);
	judge(&p, HMS(0, 6, 59), ST_ON_TIME, 0);
	judge(&p, HMS(0, 7, 0), ST_LATE, -5);
	judge(&p, HMS(12, 0, 0), ST_LATE, -5);
}

/* S + W past midnight: nothing that day is late. */
static void
test_start_near_midnight(void **state)
{
	struct rc_policy p = { HMS(23, 58, 0), 5, 5 };

	(void)state;
	judge(&p, HMS(23, 53, 0), ST_EARLY, 5);
	judge(&p, HMS(23, 53, 1), ST_ON_TIME, 0);
	judge(&p, HMS(23, 59, 59), ST_ON_TIME, 0);
}

static void
test_status_name(void **state)
{
	(void)state;
	assert_string_equal(policy_status_name(ST_EARLY), "early");
	assert_string_equal(policy_status_name(ST_ON_TIME), "on_time");
	assert_string_equal(policy_status_name(ST_LATE), "late");
	assert_string_equal(policy_status_name(0), "?");
	assert_string_equal(policy_status_name(4), "?");
	assert_string_equal(policy_status_name(0xffffffffu), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_default_boundaries),
		cmocka_unit_test(test_changed_policy),
		cmocka_unit_test(test_zero_points),
		cmocka_unit_test(test_max_policy),
		cmocka_unit_test(test_start_before_window),
		cmocka_unit_test(test_start_near_midnight),
		cmocka_unit_test(test_status_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
