/*
 * test_calendar.c - school days, enrolment, marks, rates and the report
 * row of one student (SPEC section 6): every rule and its boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "policy.h"

/* 2026-11-02 is a Monday. */
#define MON clock_days_from_civil(2026, 11, 2)

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(cal_weekday(0), 3);		/* 1970-01-01 Thu */
	assert_int_equal(cal_weekday(MON), 0);
	assert_int_equal(cal_weekday(MON + 6), 6);
	assert_int_equal(cal_weekday(MON + 7), 0);
	assert_string_equal(cal_weekday_name(cal_weekday(MON + 2)), "wed");
}

static void
test_parse_weekdays(void **state)
{
	char bad[32], buf[32];
	uint8_t m;

	(void)state;
	assert_int_equal(cal_parse_weekdays("mon,tue,wed,thu,fri", &m, bad,
	    sizeof(bad)), 0);
	assert_int_equal(m, 0x1f);
	assert_int_equal(cal_parse_weekdays(" Sat , SUN", &m, bad,
	    sizeof(bad)), 0);
	assert_int_equal(m, 0x60);
	assert_int_equal(cal_parse_weekdays("", &m, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "");
	assert_int_equal(cal_parse_weekdays("mon,funday", &m, bad,
	    sizeof(bad)), -1);
	assert_string_equal(bad, "funday");
	assert_int_equal(cal_parse_weekdays("mon,,tue", &m, bad,
	    sizeof(bad)), -1);
	assert_string_equal(bad, "mon,,tue");
	assert_int_equal(cal_parse_weekdays("monday", &m, bad, sizeof(bad)),
	    -1);
	cal_format_weekdays(0x55, buf);
	assert_string_equal(buf, "mon,wed,fri,sun");
}

static void
test_regular_day(void **state)
{
	struct cal_settings s;

	(void)state;
	cal_default(&s);
	assert_true(cal_regular_day(&s, MON));
	assert_true(cal_regular_day(&s, MON + 4));
	assert_false(cal_regular_day(&s, MON + 5));	/* Saturday */
	s.term_start = MON + 1;
	s.term_end = MON + 3;
	assert_false(cal_regular_day(&s, MON));
	assert_true(cal_regular_day(&s, MON + 1));	/* bounds included */
	assert_true(cal_regular_day(&s, MON + 3));
	assert_false(cal_regular_day(&s, MON + 4));
}

static void
test_span(void **state)
{
	struct cal_settings s;
	struct cal_span sp;
	int32_t closed[] = { MON - 30, MON + 2, MON + 5, MON + 100 };

	(void)state;
	cal_default(&s);
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 13, closed, 4), 0);
	assert_true(cal_span_school(&sp, MON));
	assert_false(cal_span_school(&sp, MON + 2));	/* closed */
	assert_false(cal_span_school(&sp, MON + 5));	/* closed Saturday */
	assert_false(cal_span_school(&sp, MON + 20));	/* outside */
	assert_int_equal(cal_span_count(&sp, MON, MON + 13), 9);
	assert_int_equal(cal_span_count(&sp, MON - 5, MON + 1), 2);
	assert_int_equal(cal_span_count(&sp, MON + 5, MON + 6), 0);
	assert_int_equal(cal_span_count(&sp, MON + 3, MON + 2), 0);
	cal_span_free(&sp);
}

static void
test_enrolment(void **state)
{
	struct cal_settings s;
	struct cal_span sp;
	/* Registered Wednesday, removed the next Tuesday, restored Thu. */
	struct cal_period p[2] = {
		{ MON + 2, MON + 8 }, { MON + 10, CAL_OPEN }
	};

	(void)state;
	cal_default(&s);
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 13, NULL, 0), 0);
	assert_false(cal_enrolled(p, 2, MON + 1));
	assert_true(cal_enrolled(p, 2, MON + 2));
	assert_true(cal_enrolled(p, 2, MON + 7));
	assert_false(cal_enrolled(p, 2, MON + 8));	/* removal day */
	assert_false(cal_enrolled(p, 2, MON + 9));
	assert_true(cal_enrolled(p, 2, MON + 10));
	assert_true(cal_enrolled(p, 2, MON + 5000));
	/* Wed-Fri, Mon; then Thu, Fri. */
	assert_int_equal(cal_enrolled_days(&sp, p, 2, MON, MON + 13), 6);
	/* A check-in before registration moves the start back. */
	cal_first_checkin(p, 2, MON);
	assert_int_equal(cal_enrolled_days(&sp, p, 2, MON, MON + 13), 8);
	cal_first_checkin(p, 2, MON + 1);
	assert_int_equal(p[0].start, MON);
	cal_first_checkin(p, 2, CAL_NO_DAY);
	assert_int_equal(p[0].start, MON);
	cal_span_free(&sp);
}

static void
test_registered_on_closed_day(void **state)
{
	struct cal_settings s;
	struct cal_span sp;
	int32_t closed[] = { MON };
	struct cal_period p = { MON, CAL_OPEN };
	struct cal_row row;

	(void)state;
	cal_default(&s);
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 6, closed, 1), 0);
	/* Today is Wednesday: Tuesday counts, the closed Monday does not. */
	cal_tally(&sp, MON, MON + 6, MON + 2, &p, 1, NULL, 0, NULL, 0, &row);
	assert_int_equal(row.school_days, 1);
	assert_int_equal(row.absent, 1);
	assert_true(row.enrolled);
	/* A range of the closed day only: not enrolled on a school day. */
	cal_tally(&sp, MON, MON, MON + 2, &p, 1, NULL, 0, NULL, 0, &row);
	assert_false(row.enrolled);
	assert_int_equal(row.rate, -1);
	cal_span_free(&sp);
}

static void
test_marks(void **state)
{
	struct cal_day_facts f = { MON, MON + 1, 1, 1, 0, 0 };

	(void)state;
	assert_int_equal(cal_mark(&f), MARK_ABSENT);
	f.excused = 1;
	assert_int_equal(cal_mark(&f), MARK_EXCUSED);
	f.status = ST_LATE;
	assert_int_equal(cal_mark(&f), MARK_LATE);	/* present wins */
	f.status = 0;
	f.excused = 0;
	f.today = MON;				/* today: not absent yet */
	assert_int_equal(cal_mark(&f), MARK_PENDING);
	f.school = 0;
	assert_int_equal(cal_mark(&f), MARK_NONE);
	f.school = 1;
	f.enrolled = 0;
	assert_int_equal(cal_mark(&f), MARK_NONE);
	assert_string_equal(cal_mark_name(MARK_ON_TIME), "on_time");
	assert_string_equal(cal_mark_name(MARK_EXCUSED), "excused");
}

static void
test_net_points(void **state)
{
	(void)state;
	assert_int_equal(cal_net_points(ST_LATE, -5, 0), -5);
	assert_int_equal(cal_net_points(ST_LATE, -5, 1), 0);
	/* A later policy (say 10 points) changes nothing stored. */
	assert_int_equal(cal_net_points(ST_LATE, -3, 0), -3);
	assert_int_equal(cal_net_points(ST_EARLY, 5, 1), 5);
	assert_int_equal(cal_net_points(ST_ON_TIME, 0, 1), 0);
}

/* Two weeks, today the second Wednesday; enrolled throughout. */
static void
test_tally(void **state)
{
	struct cal_settings s;
	struct cal_span sp;
	struct cal_period p = { MON - 100, CAL_OPEN };
	struct cal_checkin ci[] = {
		{ MON, ST_EARLY, 5, 0 },
		{ MON + 1, ST_LATE, -5, 1 },	/* late, excused, left early */
		{ MON + 5, ST_ON_TIME, 0, 0 },	/* Saturday: not counted */
		{ MON + 7, ST_LATE, -5, 0 },
		{ MON + 9, ST_ON_TIME, 0, 0 },	/* today, in */
	};
	int32_t exc[] = { MON + 1, MON + 2, MON + 8, MON + 10 };
	struct cal_row row;

	(void)state;
	cal_default(&s);
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 13, NULL, 0), 0);
	cal_tally(&sp, MON, MON + 13, MON + 9, &p, 1, ci, 5, exc, 4, &row);
	/* Mon..Fri, Mon, Tue past (7) + today in (1). */
	assert_int_equal(row.school_days, 8);
	assert_int_equal(row.present, 4);
	assert_int_equal(row.early, 1);
	assert_int_equal(row.late, 2);
	assert_int_equal(row.on_time, 1);
	/* Wed and the next Tue excused; Thursday's advance one not yet. */
	assert_int_equal(row.excused, 2);
	assert_int_equal(row.absent, 2);		/* Thu, Fri */
	assert_int_equal(row.left_early, 1);
	assert_int_equal(row.points, 5 + 0 + -5 + 0);
	assert_int_equal(row.rate, 500);
	assert_false(row.chronic);			/* fewer than 10 */
	/* Today not in yet: today does not count, nor is absent. */
	cal_tally(&sp, MON, MON + 13, MON + 9, &p, 1, ci, 4, exc, 4, &row);
	assert_int_equal(row.school_days, 7);
	assert_int_equal(row.absent, 2);
	/* The excuse withdrawn: Tuesday's late counts its -5 again. */
	cal_tally(&sp, MON, MON + 13, MON + 9, &p, 1, ci, 5, exc + 2, 2,
	    &row);
	assert_int_equal(row.points, 5 - 5 - 5);
	assert_int_equal(row.excused, 1);
	assert_int_equal(row.absent, 3);
	cal_span_free(&sp);
}

static void
test_removed_mid_range(void **state)
{
	struct cal_settings s;
	struct cal_span sp;
	struct cal_period p = { MON - 10, MON + 3 };	/* removed Thursday */
	struct cal_row row;

	(void)state;
	cal_default(&s);
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 13, NULL, 0), 0);
	cal_tally(&sp, MON, MON + 13, MON + 12, &p, 1, NULL, 0, NULL, 0, &row);
	assert_int_equal(row.school_days, 3);
	assert_int_equal(row.absent, 3);
	assert_int_equal(row.rate, 0);
	/* A range wholly after the removal: no row. */
	cal_tally(&sp, MON + 7, MON + 13, MON + 12, &p, 1, NULL, 0, NULL, 0,
	    &row);
	assert_false(row.enrolled);
	cal_span_free(&sp);
}

static void
test_closing_is_retroactive(void **state)
{
	struct cal_settings s;
	struct cal_span sp;
	struct cal_period p = { MON, CAL_OPEN };
	int32_t closed[] = { MON + 1 };
	struct cal_checkin ci[] = { { MON + 1, ST_LATE, -5, 0 } };
	int32_t exc[] = { MON + 2 };
	struct cal_row row;

	(void)state;
	cal_default(&s);
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 4, closed, 1), 0);
	/* A check-in on a closed day and an excuse: neither counts there. */
	cal_tally(&sp, MON, MON + 4, MON + 7, &p, 1, ci, 1, exc, 1, &row);
	assert_int_equal(row.school_days, 4);
	assert_int_equal(row.present, 0);
	assert_int_equal(row.points, 0);
	assert_int_equal(row.excused, 1);
	assert_int_equal(row.absent, 3);
	cal_span_free(&sp);
	/* Term bounds cut the same way. */
	s.term_end = MON + 2;
	assert_int_equal(cal_span_init(&sp, &s, MON, MON + 4, NULL, 0), 0);
	cal_tally(&sp, MON, MON + 4, MON + 7, &p, 1, NULL, 0, NULL, 0, &row);
	assert_int_equal(row.school_days, 3);
	cal_span_free(&sp);
}

static void
test_rate(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(cal_rate(1, 16), 63);		/* 6.25 -> 6.3 */
	assert_int_equal(cal_rate(15, 16), 938);	/* 93.75 -> 93.8 */
	assert_int_equal(cal_rate(2, 3), 667);
	assert_int_equal(cal_rate(1, 3), 333);
	assert_int_equal(cal_rate(1, 8), 125);
	assert_int_equal(cal_rate(1, 80), 13);		/* 1.25 -> 1.3 */
	assert_int_equal(cal_rate(0, 5), 0);
	assert_int_equal(cal_rate(5, 5), 1000);
	assert_int_equal(cal_rate(0, 0), -1);
	/* Large sums stay exact. */
	assert_int_equal(cal_rate(3999999, 4000000), 1000);
	assert_int_equal(cal_rate(3997999, 4000000), 999);
	cal_format_rate(63, buf);
	assert_string_equal(buf, "6.3");
	cal_format_rate(1000, buf);
	assert_string_equal(buf, "100.0");
	cal_format_rate(0, buf);
	assert_string_equal(buf, "0.0");
	cal_format_rate(-1, buf);
	assert_string_equal(buf, "");
}

static void
test_chronic(void **state)
{
	(void)state;
	assert_false(cal_chronic(9, 9));	/* fewer than 10 days */
	assert_true(cal_chronic(1, 10));	/* exactly 10% */
	assert_false(cal_chronic(1, 11));
	assert_true(cal_chronic(2, 20));
	assert_false(cal_chronic(1, 20));
	assert_false(cal_chronic(0, 100));
}

static void
test_percent(void **state)
{
	int32_t v;

	(void)state;
	assert_int_equal(cal_parse_percent("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cal_parse_percent("100", &v), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(cal_parse_percent("87.5", &v), 0);
	assert_int_equal(v, 87500);
	assert_int_equal(cal_parse_percent("100.001", &v), -1);
	assert_int_equal(cal_parse_percent("101", &v), -1);
	assert_int_equal(cal_parse_percent("-1", &v), -1);
	assert_int_equal(cal_parse_percent("", &v), -1);
	assert_int_equal(cal_parse_percent("9.", &v), -1);
	assert_int_equal(cal_parse_percent("1e2", &v), -1);
	assert_int_equal(cal_parse_percent("1000", &v), -1);
	assert_true(cal_rate_below(899, 90000));
	assert_false(cal_rate_below(900, 90000));
	assert_false(cal_rate_below(-1, 90000));
	assert_false(cal_rate_below(0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_parse_weekdays),
		cmocka_unit_test(test_regular_day),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_enrolment),
		cmocka_unit_test(test_registered_on_closed_day),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_net_points),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_removed_mid_range),
		cmocka_unit_test(test_closing_is_retroactive),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_chronic),
		cmocka_unit_test(test_percent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
