/*
 * clock.h - the clock (with ROLLCALL_NOW) and local dates and times.
 *
 * A local day is the number of days since 1970-01-01 in the proleptic
 * Gregorian calendar, with no time zone attached: 2025-09-01 is one day,
 * wherever it is read.  A local time of day is seconds since midnight.
 */
#ifndef ROLLCALL_CLOCK_H
#define ROLLCALL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

struct rc_local {
	int32_t day;
	uint32_t sec;	/* 0..86399 */
};

/*
 * The current time: microseconds since the epoch (UTC) and the local
 * day and time, from ROLLCALL_NOW when set (local time) or the system
 * clock.  Returns 0, or -1 when ROLLCALL_NOW is set but invalid.
 */
int clock_now(int64_t *utc_us, struct rc_local *local);

/* Local day and time of an instant (honours TZ). */
void clock_to_local(int64_t utc_us, struct rc_local *local);

/* Parse "YYYY-MM-DDTHH:MM[:SS]" (years 1970-9999); returns 0 or -1. */
int clock_parse_datetime(const char *s, struct rc_local *out);

/* Parse "YYYY-MM-DD"; returns 0 or -1. */
int clock_parse_day(const char *s, int32_t *day);

/* Parse "HH:MM" (00:00-23:59) into seconds since midnight; 0 or -1. */
int clock_parse_hhmm(const char *s, uint32_t *sec);

/* Days since 1970-01-01 of a civil date, and back. */
int32_t clock_days_from_civil(int y, unsigned m, unsigned d);
void clock_civil_from_days(int32_t day, int *y, unsigned *m, unsigned *d);

/* Formatting into caller buffers (at least 11, 9, 6 and 28 bytes). */
void clock_format_day(int32_t day, char *buf);		/* YYYY-MM-DD */
void clock_format_time(uint32_t sec, char *buf);	/* HH:MM:SS */
void clock_format_hhmm(uint32_t sec, char *buf);	/* HH:MM */
void clock_format_utc(int64_t utc_us, char *buf);	/* ...T..Z, µs */

#endif
