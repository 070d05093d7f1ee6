/*
 * calendar.h - school days, enrolment, marks and rates (SPEC section 6).
 *
 * Pure rules, no storage: the read models keep the facts (settings,
 * closed days, enrolment periods, check-ins, excuses, departures) and
 * the queries fold them through these functions, so that every front
 * end and the reports agree on one reading of the SPEC.
 *
 * Days are local days (clock.h): days since 1970-01-01.
 */
#ifndef ROLLCALL_CALENDAR_H
#define ROLLCALL_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define CAL_DEFAULT_WEEKDAYS 0x1f	/* mon,tue,wed,thu,fri */
#define CAL_NO_DAY (-1)			/* an unset term bound */
#define CAL_OPEN INT32_MAX		/* a period not ended */

/* The calendar settings in force (config school-days, term-*). */
struct cal_settings {
	uint8_t weekdays;	/* bit 0 Monday ... bit 6 Sunday */
	int32_t term_start;	/* a day, or CAL_NO_DAY */
	int32_t term_end;	/* a day, or CAL_NO_DAY */
};

void cal_default(struct cal_settings *s);

/* Weekday of a day: 0 Monday ... 6 Sunday. */
int cal_weekday(int32_t day);

/* "mon" ... "sun". */
const char *cal_weekday_name(int weekday);

/*
 * Parse a comma list of weekdays ("mon,wed,fri"; any case, spaces
 * around names allowed) into a mask.  Returns 0, or -1 with the
 * offending word (escaped by the caller) copied into bad: "" for an
 * empty list.
 */
int cal_parse_weekdays(const char *s, uint8_t *mask, char *bad,
    size_t badlen);

/* "mon,tue,wed,thu,fri" into buf (at least 28 bytes). */
void cal_format_weekdays(uint8_t mask, char *buf);

/*
 * A school day by the settings alone: a day of school-days inside the
 * term.  Whether it is closed is the closed-days model's to say.
 */
int cal_regular_day(const struct cal_settings *s, int32_t day);

/*
 * The school days of a range [from, to], closures included, counted
 * fast: prefix[i] is how many school days lie in [from, from + i).
 */
struct cal_span {
	int32_t from, to;
	uint32_t *prefix;	/* to - from + 2 entries */
};

/*
 * Fill a span from the settings and the closed days (sorted, any range):
 * returns 0, or -1 when out of memory.  cal_span_free() releases it.
 */
int cal_span_init(struct cal_span *sp, const struct cal_settings *s,
    int32_t from, int32_t to, const int32_t *closed, size_t nclosed);
void cal_span_free(struct cal_span *sp);

/* Whether day (inside the span) is a school day. */
int cal_span_school(const struct cal_span *sp, int32_t day);

/* School days in [a, b] clipped to the span. */
uint32_t cal_span_count(const struct cal_span *sp, int32_t a, int32_t b);

/* ---- enrolment -------------------------------------------------------- */

/* Enrolled from start until end (excluded; CAL_OPEN when not ended). */
struct cal_period {
	int32_t start, end;
};

/*
 * The first period starts at the earlier of registration and the first
 * valid check-in (first_checkin: a day, or CAL_NO_DAY for none).
 */
void cal_first_checkin(struct cal_period *p, size_t n, int32_t first_checkin);

int cal_enrolled(const struct cal_period *p, size_t n, int32_t day);

/* School days of [a, b] (clipped to the span) on which p holds. */
uint32_t cal_enrolled_days(const struct cal_span *sp,
    const struct cal_period *p, size_t n, int32_t a, int32_t b);

/* ---- marks ------------------------------------------------------------ */

enum cal_mark {
	MARK_NONE = 0,		/* not a school day, or not enrolled */
	MARK_EARLY = 1,		/* = ST_EARLY, ST_ON_TIME, ST_LATE */
	MARK_ON_TIME = 2,
	MARK_LATE = 3,
	MARK_EXCUSED = 4,
	MARK_ABSENT = 5,	/* only once the day is over */
	MARK_PENDING = 6	/* today or later, not in (yet) */
};

/* What is known of one student's one day. */
struct cal_day_facts {
	int32_t day, today;
	int school;		/* a school day */
	int enrolled;
	uint8_t status;		/* of the valid check-in; 0 for none */
	int excused;		/* an excuse stands for the day */
};

enum cal_mark cal_mark(const struct cal_day_facts *f);

/* "early", "on_time", "late", "excused", "absent", "pending", "". */
const char *cal_mark_name(enum cal_mark m);

/*
 * The day's net points: a late arrival on an excused day counts 0 while
 * the excuse stands; anything else counts its stored points.
 */
int32_t cal_net_points(uint8_t status, int32_t points, int excused);

/* ---- reports ---------------------------------------------------------- */

/* A valid check-in as a report sees it (sorted by day, one per day). */
struct cal_checkin {
	int32_t day;
	uint8_t status;
	int32_t points;		/* as stored in its event */
	uint8_t left;		/* a departure is recorded */
};

struct cal_row {
	uint32_t school_days, present, early, on_time, late;
	uint32_t excused, absent, left_early;
	int64_t points;
	int32_t rate;		/* tenths of a percent, -1: none */
	int chronic;
	int enrolled;		/* enrolled on a school day of the range */
};

/*
 * One student's report row over [from, to] (the span covers at least
 * that): school days enrolled up to yesterday plus today if in; present
 * and its split, excused and absent days among them; departures on
 * present days; net points of the present days.  ci and exc are sorted
 * by day (exc: the days an excuse stands for).
 */
void cal_tally(const struct cal_span *sp, int32_t from, int32_t to,
    int32_t today, const struct cal_period *p, size_t np,
    const struct cal_checkin *ci, size_t nci, const int32_t *exc,
    size_t nexc, struct cal_row *row);

/*
 * present / days x 100 in tenths of a percent, rounded half up in
 * integers (6.25 gives 62.5 tenths, so 63); -1 when days is 0.
 */
int32_t cal_rate(uint64_t present, uint64_t days);

/* "93.8" into buf (at least 8 bytes); "" for -1. */
void cal_format_rate(int32_t rate, char *buf);

/* Missing 10% or more of at least 10 school days, for any reason. */
int cal_chronic(uint32_t missed, uint32_t days);

/*
 * Parse a percentage 0-100 with up to three decimals into thousandths
 * of a percent.  Returns 0 or -1.
 */
int cal_parse_percent(const char *s, int32_t *thousandths);

/* Whether a rate (tenths; -1 none) is below a percentage (thousandths). */
int cal_rate_below(int32_t rate, int32_t thousandths);

#endif
