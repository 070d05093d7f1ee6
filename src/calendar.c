/*
 * calendar.c - school days, enrolment, marks and rates: pure rules.
 *
 * Everything is in whole days and integers: a rate is computed in
 * tenths of a percent with integer rounding, never through a double,
 * so that 6.25 is 6.3 on every machine.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "policy.h"

static const char *const weekday_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

void
cal_default(struct cal_settings *s)
{
	s->weekdays = CAL_DEFAULT_WEEKDAYS;
	s->term_start = CAL_NO_DAY;
	s->term_end = CAL_NO_DAY;
}

/* 1970-01-01 was a Thursday (3). */
int
cal_weekday(int32_t day)
{
	int w = (int)((day + 3) % 7);

	return w < 0 ? w + 7 : w;
}

const char *
cal_weekday_name(int weekday)
{
	return weekday >= 0 && weekday < 7 ? weekday_names[weekday] : "?";
}

static void
copy_bad(char *bad, size_t badlen, const char *s, size_t n)
{
	if (badlen == 0)
		return;
	if (n >= badlen)
		n = badlen - 1;
	memcpy(bad, s, n);
	bad[n] = 0;
}

/* One word of the list, trimmed: its weekday, or -1. */
static int
weekday_word(const char *s, size_t n)
{
	int i;

	if (n != 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (strncasecmp(s, weekday_names[i], 3) == 0)
			return i;
	return -1;
}

int
cal_parse_weekdays(const char *s, uint8_t *mask, char *bad, size_t badlen)
{
	const char *p = s, *end;
	size_t n;
	int wd;

	*mask = 0;
	copy_bad(bad, badlen, "", 0);
	for (;;) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if ((wd = weekday_word(p, n)) < 0) {
			/* An empty word in a longer list names the list. */
			if (n == 0 && (end || *mask))
				copy_bad(bad, badlen, s, strlen(s));
			else
				copy_bad(bad, badlen, p, n);
			return -1;
		}
		*mask |= (uint8_t)(1u << wd);
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

void
cal_format_weekdays(uint8_t mask, char *buf)
{
	size_t len = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < 7; i++)
		if (mask & (1u << i))
			len += (size_t)sprintf(buf + len, "%s%s",
			    len ? "," : "", weekday_names[i]);
}

int
cal_regular_day(const struct cal_settings *s, int32_t day)
{
	if (!(s->weekdays & (1u << cal_weekday(day))))
		return 0;
	if (s->term_start != CAL_NO_DAY && day < s->term_start)
		return 0;
	if (s->term_end != CAL_NO_DAY && day > s->term_end)
		return 0;
	return 1;
}

/* ---- spans ------------------------------------------------------------ */

int
cal_span_init(struct cal_span *sp, const struct cal_settings *s,
    int32_t from, int32_t to, const int32_t *closed, size_t nclosed)
{
	size_t n, i, c = 0;
	int32_t d;
	int school;

	sp->from = from;
	sp->to = to < from ? from - 1 : to;
	n = (size_t)(sp->to - sp->from) + 1;
	if ((sp->prefix = malloc((n + 1) * sizeof(*sp->prefix))) == NULL)
		return -1;
	sp->prefix[0] = 0;
	while (c < nclosed && closed[c] < from)
		c++;
	for (i = 0; i < n; i++) {
		d = from + (int32_t)i;
		school = cal_regular_day(s, d);
		if (c < nclosed && closed[c] == d) {
			school = 0;
			c++;
		}
		sp->prefix[i + 1] = sp->prefix[i] + (uint32_t)school;
	}
	return 0;
}

void
cal_span_free(struct cal_span *sp)
{
	free(sp->prefix);
	sp->prefix = NULL;
}

int
cal_span_school(const struct cal_span *sp, int32_t day)
{
	size_t i;

	if (day < sp->from || day > sp->to)
		return 0;
	i = (size_t)(day - sp->from);
	return sp->prefix[i + 1] != sp->prefix[i];
}

uint32_t
cal_span_count(const struct cal_span *sp, int32_t a, int32_t b)
{
	if (a < sp->from)
		a = sp->from;
	if (b > sp->to)
		b = sp->to;
	if (b < a)
		return 0;
	return sp->prefix[b - sp->from + 1] - sp->prefix[a - sp->from];
}

/* ---- enrolment -------------------------------------------------------- */

void
cal_first_checkin(struct cal_period *p, size_t n, int32_t first_checkin)
{
	if (n > 0 && first_checkin != CAL_NO_DAY && first_checkin < p[0].start)
		p[0].start = first_checkin;
}

int
cal_enrolled(const struct cal_period *p, size_t n, int32_t day)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (day >= p[i].start && day < p[i].end)
			return 1;
	return 0;
}

uint32_t
cal_enrolled_days(const struct cal_span *sp, const struct cal_period *p,
    size_t n, int32_t a, int32_t b)
{
	uint32_t sum = 0;
	int32_t lo, hi;
	size_t i;

	for (i = 0; i < n; i++) {
		lo = p[i].start > a ? p[i].start : a;
		/* end is excluded (and CAL_OPEN is INT32_MAX). */
		hi = p[i].end - 1 < b ? p[i].end - 1 : b;
		if (lo <= hi)
			sum += cal_span_count(sp, lo, hi);
	}
	return sum;
}

/* ---- marks ------------------------------------------------------------ */

enum cal_mark
cal_mark(const struct cal_day_facts *f)
{
	if (!f->school || !f->enrolled)
		return MARK_NONE;
	if (f->status >= ST_EARLY && f->status <= ST_LATE)
		return (enum cal_mark)f->status;
	if (f->excused)
		return MARK_EXCUSED;
	if (f->day < f->today)
		return MARK_ABSENT;
	return MARK_PENDING;
}

const char *
cal_mark_name(enum cal_mark m)
{
	switch (m) {
	case MARK_EARLY:
		return "early";
	case MARK_ON_TIME:
		return "on_time";
	case MARK_LATE:
		return "late";
	case MARK_EXCUSED:
		return "excused";
	case MARK_ABSENT:
		return "absent";
	case MARK_PENDING:
		return "pending";
	case MARK_NONE:
		break;
	}
	return "";
}

int32_t
cal_net_points(uint8_t status, int32_t points, int excused)
{
	return status == ST_LATE && excused ? 0 : points;
}

/* ---- reports ---------------------------------------------------------- */

/* Whether day is in the sorted list (pos walks forward across calls). */
static int
in_sorted(const int32_t *a, size_t n, size_t *pos, int32_t day)
{
	while (*pos < n && a[*pos] < day)
		(*pos)++;
	return *pos < n && a[*pos] == day;
}

/* The present days and their figures; *today_in when in today. */
static void
tally_present(const struct cal_span *sp, int32_t from, int32_t to,
    int32_t today, const struct cal_period *p, size_t np,
    const struct cal_checkin *ci, size_t nci, const int32_t *exc,
    size_t nexc, struct cal_row *row, int *today_in)
{
	size_t i, pos = 0;
	int excused;

	*today_in = 0;
	for (i = 0; i < nci; i++) {
		if (ci[i].day < from || ci[i].day > to || ci[i].day > today ||
		    !cal_span_school(sp, ci[i].day) ||
		    !cal_enrolled(p, np, ci[i].day))
			continue;
		excused = in_sorted(exc, nexc, &pos, ci[i].day);
		row->present++;
		/* Added, not branched on: the split is random (reports). */
		row->early += ci[i].status == ST_EARLY;
		row->late += ci[i].status == ST_LATE;
		row->left_early += ci[i].left != 0;
		row->points += cal_net_points(ci[i].status, ci[i].points,
		    excused);
		*today_in |= ci[i].day == today;
	}
	row->on_time = row->present - row->early - row->late;
}

/* Excused school days before today without a valid check-in. */
static uint32_t
tally_excused(const struct cal_span *sp, int32_t from, int32_t last,
    const struct cal_period *p, size_t np, const struct cal_checkin *ci,
    size_t nci, const int32_t *exc, size_t nexc)
{
	uint32_t n = 0;
	size_t i, c = 0;

	for (i = 0; i < nexc; i++) {
		if (exc[i] < from || exc[i] > last ||
		    !cal_span_school(sp, exc[i]) ||
		    !cal_enrolled(p, np, exc[i]))
			continue;
		while (c < nci && ci[c].day < exc[i])
			c++;
		if (c < nci && ci[c].day == exc[i])
			continue;
		n++;
	}
	return n;
}

void
cal_tally(const struct cal_span *sp, int32_t from, int32_t to,
    int32_t today, const struct cal_period *p, size_t np,
    const struct cal_checkin *ci, size_t nci, const int32_t *exc,
    size_t nexc, struct cal_row *row)
{
	int32_t last = to < today - 1 ? to : today - 1;
	uint32_t past;
	int today_in;

	memset(row, 0, sizeof(*row));
	row->enrolled = cal_enrolled_days(sp, p, np, from, to) > 0;
	past = cal_enrolled_days(sp, p, np, from, last);
	tally_present(sp, from, to, today, p, np, ci, nci, exc, nexc, row,
	    &today_in);
	row->school_days = past + (uint32_t)today_in;
	row->excused = tally_excused(sp, from, last, p, np, ci, nci, exc,
	    nexc);
	/* Every counted day is present, excused or absent. */
	row->absent = row->school_days - row->present - row->excused;
	row->rate = cal_rate(row->present, row->school_days);
	row->chronic = cal_chronic(row->excused + row->absent,
	    row->school_days);
}

int32_t
cal_rate(uint64_t present, uint64_t days)
{
	if (days == 0)
		return -1;
	/* round(1000 p / d) half up = floor((2000 p + d) / 2d) */
	return (int32_t)((2000 * present + days) / (2 * days));
}

void
cal_format_rate(int32_t rate, char *buf)
{
	if (rate < 0)
		buf[0] = 0;
	else
		sprintf(buf, "%d.%d", (int)(rate / 10), (int)(rate % 10));
}

int
cal_chronic(uint32_t missed, uint32_t days)
{
	return days >= 10 && (uint64_t)missed * 10 >= days;
}

int
cal_parse_percent(const char *s, int32_t *thousandths)
{
	int32_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits >= 3)
			return -1;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, fdigits++) {
			if (fdigits >= 3)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (fdigits == 0)
			return -1;
	}
	if (*s != 0 || digits == 0)
		return -1;
	while (fdigits++ < 3)
		frac *= 10;
	*thousandths = whole * 1000 + frac;
	return *thousandths > 100000 ? -1 : 0;
}

int
cal_rate_below(int32_t rate, int32_t thousandths)
{
	return rate >= 0 && (int64_t)rate * 100 < thousandths;
}
