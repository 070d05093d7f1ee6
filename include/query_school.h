/*
 * query_school.h - what screens and the command line read about school
 * days, absences and reports (SPEC 6).
 *
 * Like query.h: one short read transaction per call, over the read
 * models kept by the projector (never a scan of the log); results are
 * caller-owned copies.
 */
#ifndef ROLLCALL_QUERY_SCHOOL_H
#define ROLLCALL_QUERY_SCHOOL_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "db.h"
#include "event.h"

/* The calendar settings in force. */
int query_calendar_settings(rc_db *db, struct cal_settings *s);

struct rc_calday {
	int32_t day;
	uint8_t weekday;	/* 0 Monday ... 6 Sunday */
	uint8_t school;		/* a school day */
	uint8_t closed;
	char reason[RC_REASON_MAX + 1];	/* when closed */
};

/* Each day of [from, to] (to - from < 3660), malloc'd in *days. */
int query_calendar(rc_db *db, int32_t from, int32_t to,
    struct rc_calday **days, size_t *n);

/* One day of the calendar. */
int query_calday(rc_db *db, int32_t day, struct rc_calday *out);

/* An absence of a past school day (student JSON "absences"). */
struct rc_absence {
	int32_t day;
	uint8_t excused;	/* else absent */
	uint8_t code;		/* the excuse's reason code, 0 when none */
};

/*
 * A student's school side: for each attendance day of query_student's
 * record (days, n of them, in its order), whether an excuse stands
 * (excused[i]) and the departure (left[i], has_left[i]); and the
 * absences of past school days (before today), by day.
 */
struct rc_student_school {
	uint8_t *excused;
	uint8_t *has_left;
	uint32_t *left;
	struct rc_absence *absences;
	size_t nabsences;
};

int query_student_school(rc_db *db, const char *key, const int32_t *days,
    size_t n, int32_t today, struct rc_student_school *out);
void query_student_school_free(struct rc_student_school *s);

/*
 * One student's marks for each day of [from, to] (cal_mark), for the
 * Student screen's month calendar: marks has to - from + 1 entries.
 */
int query_marks_month(rc_db *db, const char *key, int32_t from, int32_t to,
    int32_t today, uint8_t *marks);

/* ---- reports ---------------------------------------------------------- */

struct rc_report_opts {
	int has_from, has_to;
	int32_t from, to;	/* default: term-start or the first day, today */
	int32_t today;
	const char *student;	/* NULL: everyone */
	int32_t below;		/* thousandths of a percent; -1: no filter */
	int chronic;		/* keep chronic rows only */
	int by_rate;		/* sort by rate (lowest first), else by name */
};

struct rc_report_row {
	char id[RC_ID_TEXT];
	char name[RC_NAME_MAX + 1];
	char code[RC_CODE_MAX + 1];	/* "" when none (SPEC 8) */
	uint8_t active;
	struct cal_row r;
};

struct rc_report {
	int32_t from, to;
	uint32_t school_days;	/* calendar school days up to today */
	struct rc_report_row *rows;
	size_t n;
	/* the rows shown, added up */
	uint64_t sum_present, sum_days;
	int32_t sum_rate;
	size_t sum_chronic;
};

/*
 * The attendance report over a range (SPEC 6): one row per student
 * enrolled on a school day of it, removed ones included, in name order
 * (or by rate), after the filters.  RC_REFUSED for an unknown student.
 */
int query_report(rc_db *db, const struct rc_report_opts *o,
    struct rc_report *out);
void query_report_free(struct rc_report *r);

/* Sort rows by rate, lowest first, no rate last; ties keep their order. */
void query_report_sort(struct rc_report_row *rows, size_t n, int by_rate);
/*
 * The same order as row numbers, rows left in place: order[i] (n
 * slots) is the row to show i-th.  -1 when out of memory.
 */
int query_report_order(const struct rc_report_row *rows, size_t n,
    uint32_t *order);

#endif
