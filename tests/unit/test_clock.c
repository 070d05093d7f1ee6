/*
 * test_clock.c - calendar arithmetic, strict parsers, ROLLCALL_NOW and
 * time zones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"

#define D_2025_09_01 20332
#define US 1000000LL

static void
set_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

/* ------------------------------------------------------------------ */
/* days_from_civil / civil_from_days */

static void
test_known_days(void **state)
{
	(void)state;
	assert_int_equal(clock_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(clock_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(clock_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(clock_days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(clock_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(clock_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(clock_days_from_civil(2025, 9, 1), D_2025_09_01);
	assert_int_equal(clock_days_from_civil(9999, 12, 31), 2932896);
	assert_int_equal(clock_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(clock_days_from_civil(0, 3, 1), -719468);
}

/* Every day over 1-9999 (and a bit before year 0) goes there and back. */
static void
test_round_trip(void **state)
{
	int32_t day, prev_day = clock_days_from_civil(-10, 1, 1) - 1;
	int y, py = -11;
	unsigned m, d, pm = 12, pd = 31;

	(void)state;
	for (day = prev_day + 1; day <= 2932896 + 400; day++) {
		clock_civil_from_days(day, &y, &m, &d);
		assert_int_equal(clock_days_from_civil(y, m, d), day);
		/* each day is the calendar successor of the one before */
		if (d != pd + 1) {
			assert_int_equal(d, 1);
			assert_true(m == pm + 1 || (m == 1 && pm == 12));
			if (m == 1)
				assert_int_equal(y, py + 1);
		} else
			assert_int_equal(m, pm);
		py = y, pm = m, pd = d;
	}
}

/* An independent reference: the C library's own UTC calendar. */
static void
test_matches_gmtime(void **state)
{
	int32_t day;
	struct tm tm;
	time_t t;
	int y;
	unsigned m, d;

	(void)state;
	for (day = -1000; day < 60000; day++) {
		t = (time_t)day * 86400;
		assert_non_null(gmtime_r(&t, &tm));
		clock_civil_from_days(day, &y, &m, &d);
		assert_int_equal(y, tm.tm_year + 1900);
		assert_int_equal(m, tm.tm_mon + 1);
		assert_int_equal(d, tm.tm_mday);
	}
}

/* ------------------------------------------------------------------ */
/* Parsers */

static void
day_ok(const char *s, int32_t want)
{
	int32_t day = -12345;

	assert_int_equal(clock_parse_day(s, &day), 0);
	assert_int_equal(day, want);
}

static void
day_bad(const char *s)
{
	int32_t day = -12345;

	assert_int_equal(clock_parse_day(s, &day), -1);
	assert_int_equal(day, -12345);	/* untouched */
}

static void
test_parse_day(void **state)
{
	(void)state;
	day_ok("1970-01-01", 0);
	day_ok("2025-09-01", D_2025_09_01);
	day_ok("2024-02-29", 19782);
	day_ok("2000-02-29", 11016);
	day_ok("9999-12-31", 2932896);
	day_ok("2025-01-31", clock_days_from_civil(2025, 1, 31));
	day_ok("2025-04-30", clock_days_from_civil(2025, 4, 30));
	day_ok("2025-12-31", clock_days_from_civil(2025, 12, 31));

	day_bad("2023-02-29");	/* not a leap year */
	day_bad("2100-02-29");	/* divisible by 100 */
	day_bad("2024-02-30");
	day_bad("2025-04-31");
	day_bad("2025-06-31");
	day_bad("2025-01-32");
	day_bad("2025-00-10");
	day_bad("2025-13-01");
	day_bad("2025-01-00");
	day_bad("1969-12-31");	/* before 1970 */
	day_bad("0000-01-01");
	day_bad("10000-01-01");
	day_bad("2025-9-01");
	day_bad("2025-09-1");
	day_bad("25-09-01");
	day_bad("2025/09/01");
	day_bad("2025-09-01 ");
	day_bad(" 2025-09-01");
	day_bad("2025-09-01x");
	day_bad("2025-09-01T08:00");
	day_bad("+025-09-01");
	day_bad("2025-+9-01");
	day_bad("2025-09");
	day_bad("");
	day_bad(NULL);
}

static void
hhmm_ok(const char *s, uint32_t want)
{
	uint32_t sec = 777;

	assert_int_equal(clock_parse_hhmm(s, &sec), 0);
	assert_int_equal(sec, want);
}

static void
hhmm_bad(const char *s)
{
	uint32_t sec = 777;

	assert_int_equal(clock_parse_hhmm(s, &sec), -1);
	assert_int_equal(sec, 777);
}

static void
test_parse_hhmm(void **state)
{
	(void)state;
	hhmm_ok("00:00", 0);
	hhmm_ok("09:00", 32400);
	hhmm_ok("08:55", 32100);
	hhmm_ok("23:59", 86340);
	hhmm_bad("24:00");
	hhmm_bad("12:60");
	hhmm_bad("9:00");
	hhmm_bad("09:0");
	hhmm_bad("09:00:00");
	hhmm_bad("09:00 ");
	hhmm_bad(" 09:00");
	hhmm_bad("09-00");
	hhmm_bad("0a:00");
	hhmm_bad("");
	hhmm_bad(NULL);
}

static void
dt_ok(const char *s, int32_t day, uint32_t sec)
{
	struct rc_local l = { -5, 5 };

	assert_int_equal(clock_parse_datetime(s, &l), 0);
	assert_int_equal(l.day, day);
	assert_int_equal(l.sec, sec);
}

static void
dt_bad(const char *s)
{
	struct rc_local l = { -5, 5 };

	assert_int_equal(clock_parse_datetime(s, &l), -1);
	assert_int_equal(l.day, -5);
	assert_int_equal(l.sec, 5);
}

static void
test_parse_datetime(void **state)
{
	(void)state;
	dt_ok("2025-09-01T08:55", D_2025_09_01, 32100);
	dt_ok("2025-09-01T08:55:00", D_2025_09_01, 32100);
	dt_ok("2025-09-01T08:55:01", D_2025_09_01, 32101);
	dt_ok("2025-09-01T23:59:59", D_2025_09_01, 86399);
	dt_ok("1970-01-01T00:00", 0, 0);
	dt_ok("2024-02-29T12:00", 19782, 43200);
	dt_ok("9999-12-31T23:59:59", 2932896, 86399);

	dt_bad("2025-09-01T08:55:60");
	dt_bad("2025-09-01T24:00");
	dt_bad("2025-09-01T08:60");
	dt_bad("2025-09-01 08:55");
	dt_bad("2025-09-01t08:55");
	dt_bad("2025-09-01T08:55:");
	dt_bad("2025-09-01T08:55:0");
	dt_bad("2025-09-01T08:55:000");
	dt_bad("2025-09-01T08:55Z");
	dt_bad("2025-09-01T08:55 ");
	dt_bad(" 2025-09-01T08:55");
	dt_bad("2025-09-01T8:55");
	dt_bad("2025-09-01T");
	dt_bad("2025-09-01");
	dt_bad("2023-02-29T08:00");
	dt_bad("1969-12-31T23:59");
	dt_bad("");
	dt_bad(NULL);
}

/* ------------------------------------------------------------------ */
/* Time zones and the clock */

static void
local_is(int64_t utc_us, int32_t day, uint32_t sec)
{
	struct rc_local l = { -5, 5 };

	clock_to_local(utc_us, &l);
	assert_int_equal(l.day, day);
	assert_int_equal(l.sec, sec);
}

static void
test_to_local_tz(void **state)
{
	/* 2025-09-01T23:30:00Z */
	int64_t t = ((int64_t)D_2025_09_01 * 86400 + 84600) * US;

	(void)state;
	set_tz("UTC0");
	local_is(t, D_2025_09_01, 84600);
	local_is(t + 999999, D_2025_09_01, 84600);
	local_is(0, 0, 0);
	local_is(-1, -1, 86399);	/* floor, not truncation */
	set_tz("EST5");
	local_is(t, D_2025_09_01, 84600 - 5 * 3600);
	set_tz("JST-9");
	local_is(t, D_2025_09_01 + 1, 84600 + 9 * 3600 - 86400);
	/* daylight saving time follows the rule in TZ */
	set_tz("EST5EDT,M3.2.0,M11.1.0");
	local_is(t, D_2025_09_01, 84600 - 4 * 3600);
	local_is(t - 200LL * 86400 * US, D_2025_09_01 - 200,
	    84600 - 5 * 3600);	/* 2025-02-13: standard time */
}

static void
test_now_env(void **state)
{
	int64_t us = 0;
	struct rc_local l = { 0, 0 };
	int64_t midnight = (int64_t)D_2025_09_01 * 86400 * US;

	(void)state;
	set_tz("UTC0");
	setenv("ROLLCALL_NOW", "2025-09-01T08:55", 1);
	assert_int_equal(clock_now(&us, &l), 0);
	assert_int_equal(us, midnight + 32100 * US);
	assert_int_equal(l.day, D_2025_09_01);
	assert_int_equal(l.sec, 32100);

	setenv("ROLLCALL_NOW", "2025-09-01T08:55:01", 1);
	assert_int_equal(clock_now(&us, &l), 0);
	assert_int_equal(us, midnight + 32101 * US);
	assert_int_equal(l.sec, 32101);

	/* ROLLCALL_NOW is local time: the instant moves with TZ */
	set_tz("EST5");
	assert_int_equal(clock_now(&us, &l), 0);
	assert_int_equal(us, midnight + (32101 + 5 * 3600) * US);
	assert_int_equal(l.day, D_2025_09_01);
	assert_int_equal(l.sec, 32101);

	set_tz("CET-1CEST,M3.5.0,M10.5.0/3");	/* summer: UTC+2 */
	assert_int_equal(clock_now(&us, &l), 0);
	assert_int_equal(us, midnight + (32101 - 2 * 3600) * US);
	set_tz("JST-9");	/* the instant falls on the day before */
	setenv("ROLLCALL_NOW", "2025-09-01T08:00", 1);
	assert_int_equal(clock_now(&us, &l), 0);
	assert_int_equal(us, midnight - 3600 * US);
	assert_int_equal(l.day, D_2025_09_01);
	assert_int_equal(l.sec, 8 * 3600);

	/* a time in the spring-forward gap keeps the wall time written */
	set_tz("EST5EDT,M3.2.0,M11.1.0");
	setenv("ROLLCALL_NOW", "2025-03-09T02:30", 1);
	assert_int_equal(clock_now(&us, &l), 0);
	assert_int_equal(l.day, clock_days_from_civil(2025, 3, 9));
	assert_int_equal(l.sec, 2 * 3600 + 30 * 60);
	unsetenv("ROLLCALL_NOW");
}

static void
test_now_env_invalid(void **state)
{
	static const char *bad[] = {
		"2025-09-01", "2025-09-01T25:00", "2025-02-30T08:00",
		"yesterday", "2025-09-01T08:55 ", "2025-09-01 08:55",
	};
	int64_t us = 42;
	struct rc_local l = { 7, 7 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setenv("ROLLCALL_NOW", bad[i], 1);
		assert_int_equal(clock_now(&us, &l), -1);
	}
	unsetenv("ROLLCALL_NOW");
}

/* Without ROLLCALL_NOW (or with it empty) the system clock is read. */
static void
test_now_system(void **state)
{
	int64_t us = 0;
	struct rc_local l = { -5, 5 }, want;
	time_t before, after;

	(void)state;
	set_tz("JST-9");
	unsetenv("ROLLCALL_NOW");
	before = time(NULL);
	assert_int_equal(clock_now(&us, &l), 0);
	after = time(NULL);
	assert_true(us >= (int64_t)before * US);
	assert_true(us < ((int64_t)after + 1) * US);
	clock_to_local(us, &want);
	assert_int_equal(l.day, want.day);
	assert_int_equal(l.sec, want.sec);

	setenv("ROLLCALL_NOW", "", 1);
	assert_int_equal(clock_now(&us, &l), 0);
	assert_true(us >= (int64_t)before * US);
	unsetenv("ROLLCALL_NOW");
}

/* ------------------------------------------------------------------ */
/* Formatting */

static void
test_format(void **state)
{
	char day[11], t[9], hm[6], utc[28];

	(void)state;
	clock_format_day(0, day);
	assert_string_equal(day, "1970-01-01");
	clock_format_day(D_2025_09_01, day);
	assert_string_equal(day, "2025-09-01");
	clock_format_day(19782, day);
	assert_string_equal(day, "2024-02-29");
	clock_format_day(2932896, day);
	assert_string_equal(day, "9999-12-31");
	clock_format_day(2932897, day);		/* year 10000: no form */
	assert_string_equal(day, "0000-00-00");

	clock_format_time(0, t);
	assert_string_equal(t, "00:00:00");
	clock_format_time(32101, t);
	assert_string_equal(t, "08:55:01");
	clock_format_time(86399, t);
	assert_string_equal(t, "23:59:59");

	clock_format_hhmm(0, hm);
	assert_string_equal(hm, "00:00");
	clock_format_hhmm(9 * 3600 + 5 * 60 + 59, hm);
	assert_string_equal(hm, "09:05");
	clock_format_hhmm(86399, hm);
	assert_string_equal(hm, "23:59");

	clock_format_utc(0, utc);
	assert_string_equal(utc, "1970-01-01T00:00:00.000000Z");
	clock_format_utc(1756716900123456LL, utc);
	assert_string_equal(utc, "2025-09-01T08:55:00.123456Z");
	clock_format_utc(1756716900000001LL, utc);
	assert_string_equal(utc, "2025-09-01T08:55:00.000001Z");
	clock_format_utc(-1, utc);
	assert_string_equal(utc, "1969-12-31T23:59:59.999999Z");
}

/* The UTC form does not depend on TZ. */
static void
test_format_utc_ignores_tz(void **state)
{
	char utc[28];

	(void)state;
	set_tz("JST-9");
	clock_format_utc(1756716900123456LL, utc);
	assert_string_equal(utc, "2025-09-01T08:55:00.123456Z");
}

/* Parse and format agree with each other. */
static void
test_parse_format_round_trip(void **state)
{
	char buf[11], tbuf[9], dt[32];
	int32_t day, back;
	uint32_t sec;
	struct rc_local l;

	(void)state;
	for (day = 0; day < 2932897; day += 97) {
		clock_format_day(day, buf);
		assert_int_equal(clock_parse_day(buf, &back), 0);
		assert_int_equal(back, day);
	}
	for (sec = 0; sec < 86400; sec += 59) {
		clock_format_time(sec, tbuf);
		snprintf(dt, sizeof dt, "2025-09-01T%s", tbuf);
		assert_int_equal(clock_parse_datetime(dt, &l), 0);
		assert_int_equal(l.day, D_2025_09_01);
		assert_int_equal(l.sec, sec);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_matches_gmtime),
		cmocka_unit_test(test_parse_day),
		cmocka_unit_test(test_parse_hhmm),
		cmocka_unit_test(test_parse_datetime),
		cmocka_unit_test(test_to_local_tz),
		cmocka_unit_test(test_now_env),
		cmocka_unit_test(test_now_env_invalid),
		cmocka_unit_test(test_now_system),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_utc_ignores_tz),
		cmocka_unit_test(test_parse_format_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
