/*
 * clock.c - the clock (with ROLLCALL_NOW) and local dates and times.
 *
 * Local days are counted with Howard Hinnant's days_from_civil and
 * civil_from_days (http://howardhinnant.github.io/date_algorithms.html),
 * which are exact over the whole proleptic Gregorian calendar.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"

/* ------------------------------------------------------------------ */
/* Calendar arithmetic */

int32_t
clock_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + (int64_t)doe - 719468);
}

void
clock_civil_from_days(int32_t day, int *y, unsigned *m, unsigned *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int y, unsigned m)
{
	static const unsigned char len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

/* ------------------------------------------------------------------ */
/* Strict parsing: exact digit counts, fixed separators, nothing more */

/* Reads exactly n ASCII digits; strtol would accept signs and spaces. */
static int
digits(const char *s, int n, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

/* "YYYY-MM-DD" at s (no terminator check) into a local day. */
static int
parse_date(const char *s, int32_t *day)
{
	unsigned y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month((int)y, m))
		return -1;
	*day = clock_days_from_civil((int)y, m, d);
	return 0;
}

/* "HH:MM" at s (no terminator check) into seconds since midnight. */
static int
parse_hhmm(const char *s, uint32_t *sec)
{
	unsigned h, m;

	if (digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &m))
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*sec = h * 3600 + m * 60;
	return 0;
}

int
clock_parse_day(const char *s, int32_t *day)
{
	int32_t v;

	if (s == NULL || parse_date(s, &v) || s[10] != '\0')
		return -1;
	*day = v;
	return 0;
}

int
clock_parse_hhmm(const char *s, uint32_t *sec)
{
	uint32_t v;

	if (s == NULL || parse_hhmm(s, &v) || s[5] != '\0')
		return -1;
	*sec = v;
	return 0;
}

int
clock_parse_datetime(const char *s, struct rc_local *out)
{
	int32_t day;
	uint32_t sec;
	unsigned ss = 0;

	if (s == NULL || parse_date(s, &day) || s[10] != 'T' ||
	    parse_hhmm(s + 11, &sec))
		return -1;
	if (s[16] == ':') {
		if (digits(s + 17, 2, &ss) || ss > 59 || s[19] != '\0')
			return -1;
	} else if (s[16] != '\0')
		return -1;
	out->day = day;
	out->sec = sec + ss;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The clock */

/* Floor division, so instants before 1970 land in the right second. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

void
clock_to_local(int64_t utc_us, struct rc_local *local)
{
	time_t t = (time_t)floor_div(utc_us, 1000000);
	struct tm tm;
	uint32_t sec;

	if (localtime_r(&t, &tm) == NULL) {
		local->day = 0;
		local->sec = 0;
		return;
	}
	local->day = clock_days_from_civil(tm.tm_year + 1900,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
	sec = (uint32_t)(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	local->sec = sec > 86399 ? 86399 : sec;	/* a leap second */
}

/*
 * A local wall-clock time to an instant.  The local day and time are
 * taken as given, so a time in a DST gap keeps the hour the user wrote.
 */
static int
local_to_utc(const struct rc_local *l, int64_t *utc_us)
{
	struct tm tm = { 0 };
	int y;
	unsigned m, d;
	time_t t;

	clock_civil_from_days(l->day, &y, &m, &d);
	tm.tm_year = y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)(l->sec / 3600);
	tm.tm_min = (int)(l->sec / 60 % 60);
	tm.tm_sec = (int)(l->sec % 60);
	tm.tm_isdst = -1;
	errno = 0;
	t = mktime(&tm);
	if (t == (time_t)-1 && errno != 0)
		return -1;
	*utc_us = (int64_t)t * 1000000;
	return 0;
}

/* An empty ROLLCALL_NOW counts as unset, as an empty NO_COLOR does. */
int
clock_now(int64_t *utc_us, struct rc_local *local)
{
	const char *env = getenv("ROLLCALL_NOW");
	struct rc_local l;
	struct timespec ts;
	int64_t us;

	if (env != NULL && *env != '\0') {
		if (clock_parse_datetime(env, &l) || local_to_utc(&l, &us))
			return -1;
		*utc_us = us;
		*local = l;
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	*utc_us = us;
	clock_to_local(us, local);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Formatting */

/*
 * Two digits of v (below 100) at p.  By hand, not snprintf: a day's
 * answer formats two times a row, and snprintf was a third of its
 * instructions (about 3,500 a time).
 */
static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Days outside years 0000-9999 have no YYYY-MM-DD form. */
void
clock_format_day(int32_t day, char *buf)
{
	int y;
	unsigned m, d;

	clock_civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = m = d = 0;
	put2(buf, (unsigned)y / 100);
	put2(buf + 2, (unsigned)y % 100);
	buf[4] = '-';
	put2(buf + 5, m % 13u);
	buf[7] = '-';
	put2(buf + 8, d % 32u);
	buf[10] = '\0';
}

void
clock_format_time(uint32_t sec, char *buf)
{
	sec %= 86400;
	put2(buf, sec / 3600);
	buf[2] = ':';
	put2(buf + 3, sec / 60 % 60);
	buf[5] = ':';
	put2(buf + 6, sec % 60);
	buf[8] = '\0';
}

void
clock_format_hhmm(uint32_t sec, char *buf)
{
	sec %= 86400;
	put2(buf, sec / 3600);
	buf[2] = ':';
	put2(buf + 3, sec / 60 % 60);
	buf[5] = '\0';
}

/* Years outside 0000-9999 cannot be written in 27 characters. */
void
clock_format_utc(int64_t utc_us, char *buf)
{
	/* Split without multiplying back: INT64_MIN must not overflow. */
	int64_t s = utc_us / 1000000, r = utc_us % 1000000;
	unsigned us;
	time_t t;
	struct tm tm;
	unsigned y;

	if (r < 0) {
		r += 1000000;
		s -= 1;
	}
	us = (unsigned)r;
	t = (time_t)s;
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900) {
		snprintf(buf, 28, "%s", "0000-00-00T00:00:00.000000Z");
		return;
	}
	y = (unsigned)(tm.tm_year + 1900) % 10000u;
	snprintf(buf, 28, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ", y,
	    (unsigned)tm.tm_mon % 12u + 1, (unsigned)tm.tm_mday % 32u,
	    (unsigned)tm.tm_hour % 24u, (unsigned)tm.tm_min % 60u,
	    (unsigned)tm.tm_sec % 61u, us % 1000000u);
}
