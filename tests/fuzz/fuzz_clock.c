/*
 * fuzz_clock.c - libFuzzer harness for the date and time parsers.
 *
 * The parsers are strict: whatever they accept is exactly the canonical
 * text the formatters write back, and the calendar arithmetic round
 * trips.  The formatters must stay inside their documented buffer sizes
 * for any value.
 *
 * regress/clock/ holds the instant (INT64_MIN) on which
 * clock_format_utc() once overflowed a signed multiplication: a damaged
 * record's recorded_at can hold any value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_clock: %s: '%s'\n", what, s);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_local l;
	char *s, *day, *tm, *hm, *utc, canon[32];
	int32_t d, d2;
	uint32_t sec;
	int64_t us = 0;
	int y;
	unsigned m, dd;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	/* Exact documented sizes: 11, 9, 6 and 28 bytes. */
	day = malloc(11), tm = malloc(9), hm = malloc(6), utc = malloc(28);
	if (!day || !tm || !hm || !utc)
		abort();

	if (clock_parse_datetime(s, &l) == 0) {
		if (l.sec >= 86400)
			die("datetime: time out of range", s);
		clock_format_day(l.day, day);
		clock_format_time(l.sec, tm);
		snprintf(canon, sizeof canon, "%sT%s", day, tm);
		if (strcmp(canon, s) != 0 &&
		    !(strlen(s) == 16 && strncmp(canon, s, 16) == 0 &&
		    strcmp(canon + 16, ":00") == 0))
			die("datetime accepted a non-canonical form", s);
	}
	if (clock_parse_day(s, &d) == 0) {
		clock_format_day(d, day);
		if (strcmp(day, s) != 0)
			die("day accepted a non-canonical form", s);
		clock_civil_from_days(d, &y, &m, &dd);
		if (clock_days_from_civil(y, m, dd) != d)
			die("day: calendar round trip", s);
	}
	if (clock_parse_hhmm(s, &sec) == 0) {
		clock_format_hhmm(sec, hm);
		if (strcmp(hm, s) != 0 || sec % 60 != 0 || sec >= 86400)
			die("hhmm accepted a non-canonical form", s);
	}

	/* Arbitrary numbers through the formatters and the calendar. */
	for (i = 0; i < size && i < 8; i++)
		us = (int64_t)((uint64_t)us << 8 | data[i]);
	clock_format_utc(us, utc);
	if (strlen(utc) != 27)
		die("utc: wrong length", utc);
	d = (int32_t)(uint32_t)us;
	if (d >= 0 && d <= 2932896) {
		clock_civil_from_days(d, &y, &m, &dd);
		d2 = clock_days_from_civil(y, m, dd);
		if (d2 != d || m < 1 || m > 12 || dd < 1 || dd > 31)
			die("calendar round trip", s);
		clock_format_day(d, day);
		if (clock_parse_day(day, &d2) != 0 || d2 != d)
			die("formatted day does not parse back", day);
	}
	clock_format_time((uint32_t)us, tm);
	clock_format_hhmm((uint32_t)us, hm);
	clock_to_local(us, &l);

	free(s), free(day), free(tm), free(hm), free(utc);
	return 0;
}
