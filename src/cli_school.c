/*
 * cli_school.c - the command line of SPEC 6: excuse, checkout, close,
 * reopen, calendar and report, and the calendar settings of `config`.
 *
 * As in cli_show.c, CSV and JSON records are built once as cli_field
 * arrays so the two formats carry the same names; tables are for
 * people and escape what they print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "clock.h"
#include "command.h"
#include "event.h"
#include "query_school.h"

#define RIGHT_COLS(a, b) ((~0u << (a)) & ~(~0u << ((b) + 1)))

/* The checks of a day range that need no database (exit 1). */
static int
check_span(int32_t from, int32_t to, const char *first, int max)
{
	char a[16], b[16];

	clock_format_day(from, a);
	clock_format_day(to, b);
	if (to < from) {
		cli_error("--to %s is before %s %s", b, first, a);
		return RC_REFUSED;
	}
	if (max > 0 && to - from >= max) {
		cli_error("the range %s to %s is longer than a year (%d days "
		    "at most)", a, b, max);
		return RC_REFUSED;
	}
	return RC_OK;
}

/* ---- excuse ----------------------------------------------------------- */

int
cli_excuse_check(const struct cli *c)
{
	if (c->withdraw && (c->reason || c->note)) {
		cli_error("excuse --withdraw takes no --reason or --note");
		return RC_USAGE;
	}
	if (!c->withdraw && c->reason == NULL) {
		cli_error("excuse needs --reason (or --withdraw)");
		return RC_USAGE;
	}
	if (c->reason && event_excuse_code(c->reason) == 0) {
		cli_error("unknown reason '%s' (illness, medical, family, "
		    "religious, school_activity, other)", c->reason);
		return RC_REFUSED;
	}
	return check_span(c->day, c->to, "--day", RC_SPAN_MAX);
}

int
cli_excuse(struct cli *c)
{
	char a[16], b[16];
	size_t n = 0;
	int rc;

	if (c->withdraw)
		rc = command_excuse_withdraw(c->db, c->pos[0], c->day, c->to,
		    &n);
	else
		rc = command_excuse(c->db, c->pos[0], c->day, c->to, c->reason,
		    c->note, &n);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	clock_format_day(c->day, a);
	clock_format_day(c->to, b);
	if (c->fmt == FMT_TABLE) {
		printf("%s %zu school day%s from %s to %s\n", c->withdraw ?
		    "withdrew the excuse of" : "excused", n, n == 1 ? "" : "s",
		    a, b);
		return RC_OK;
	}
	{
		struct cli_field f[] = {
			{ "from", CF_STR, a, 0 },
			{ "to", CF_STR, b, 0 },
			{ "days", CF_INT, NULL, (long long)n },
			{ "withdrawn", CF_BOOL, NULL, c->withdraw },
		};

		cli_record(c->fmt, f, 4);
	}
	return RC_OK;
}

/* ---- checkout --------------------------------------------------------- */

int
cli_checkout(struct cli *c)
{
	struct rc_checkout out;
	char day[16], arrived[16], left[16];
	int rc;

	rc = command_checkout(c->db, c->pos[0], c->has_at ? &c->at : NULL,
	    c->reason, &out);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	clock_format_day(out.day, day);
	clock_format_time(out.arrived, arrived);
	clock_format_time(out.left, left);
	if (c->fmt == FMT_TABLE) {
		char *name = cli_escape(out.name);

		printf("%s left on %s at %s (arrived %s)\n", name, day, left,
		    arrived);
		free(name);
		return RC_OK;
	}
	{
		struct cli_field f[] = {
			{ "id", CF_STR, out.id, 0 },
			{ "name", CF_TEXT, out.name, 0 },
			{ "day", CF_STR, day, 0 },
			{ "arrived", CF_STR, arrived, 0 },
			{ "left_at", CF_STR, left, 0 },
		};

		cli_record(c->fmt, f, 5);
	}
	return RC_OK;
}

/* ---- close and reopen ------------------------------------------------- */

static void
range_record(const struct cli *c, const char *verb, size_t n)
{
	char a[16], b[16];
	struct cli_field f[] = {
		{ "from", CF_STR, a, 0 },
		{ "to", CF_STR, b, 0 },
		{ "days", CF_INT, NULL, (long long)n },
	};

	clock_format_day(c->day, a);
	clock_format_day(c->to, b);
	if (c->fmt == FMT_TABLE)
		printf("%s %zu day%s from %s to %s\n", verb, n,
		    n == 1 ? "" : "s", a, b);
	else
		cli_record(c->fmt, f, 3);
}

int
cli_close(struct cli *c)
{
	int rc;

	if ((rc = check_span(c->day, c->to, "the day", RC_SPAN_MAX)) != RC_OK)
		return rc;
	if ((rc = command_close(c->db, c->day, c->to, c->reason)) != RC_OK)
		return cli_fail(c, rc);
	range_record(c, "closed", (size_t)(c->to - c->day) + 1);
	return RC_OK;
}

int
cli_reopen(struct cli *c)
{
	size_t n = 0;
	int rc;

	if ((rc = check_span(c->day, c->to, "the day", RC_SPAN_MAX)) != RC_OK)
		return rc;
	if ((rc = command_reopen(c->db, c->day, c->to, &n)) != RC_OK)
		return cli_fail(c, rc);
	range_record(c, "reopened", n);
	return RC_OK;
}

/* ---- calendar --------------------------------------------------------- */

/* First and last day of the month holding day. */
static void
month_of(int32_t day, int32_t *first, int32_t *last)
{
	int y;
	unsigned m, d;

	clock_civil_from_days(day, &y, &m, &d);
	*first = clock_days_from_civil(y, m, 1);
	*last = m == 12 ? clock_days_from_civil(y + 1, 1, 1) - 1 :
	    clock_days_from_civil(y, m + 1, 1) - 1;
}

#define CALENDAR_MAX 3660	/* ten years of days in one listing */

static void
calendar_fields(const struct rc_calday *d, char *day, struct cli_field f[4])
{
	clock_format_day(d->day, day);
	f[0] = (struct cli_field){ "day", CF_STR, day, 0 };
	f[1] = (struct cli_field){ "weekday", CF_STR,
	    cal_weekday_name(d->weekday), 0 };
	f[2] = (struct cli_field){ "school_day", CF_BOOL, NULL, d->school };
	f[3] = (struct cli_field){ "closed", CF_TEXT,
	    d->closed ? d->reason : NULL, 0 };
}

static void
calendar_print(const struct cli *c, const struct rc_calday *days, size_t n)
{
	static const char *const headers[] = {
		"DAY", "WEEKDAY", "SCHOOL DAY", "CLOSED"
	};
	struct cli_field f[4];
	struct cli_table *t;
	const char *cells[4];
	char day[16];
	size_t i;

	if (c->fmt == FMT_JSON) {
		putchar('[');
		for (i = 0; i < n; i++) {
			calendar_fields(&days[i], day, f);
			cli_jw_item(i, 1);
			cli_jw_fields(f, 4, 1, 0);
		}
		cli_jw_close(']', n, 0);
		putchar('\n');
		return;
	}
	if (c->fmt == FMT_CSV) {
		memset(f, 0, sizeof(f));
		calendar_fields(&days[0], day, f);
		cli_csv_header(f, 4);
		for (i = 0; i < n; i++) {
			calendar_fields(&days[i], day, f);
			cli_csv_row(f, 4);
		}
		return;
	}
	t = cli_table_new(4, headers, 0);
	for (i = 0; i < n; i++) {
		calendar_fields(&days[i], day, f);
		cells[0] = day;
		cells[1] = f[1].s;
		cells[2] = days[i].school ? "yes" : days[i].closed ? "closed" :
		    "no";
		cells[3] = days[i].closed ? days[i].reason : "";
		cli_table_add(t, cells);
	}
	cli_table_print(t, "");
	cli_table_free(t);
}

int
cli_calendar(struct cli *c)
{
	struct rc_calday *days = NULL;
	int32_t from, to, first, last;
	size_t n = 0;
	int rc;

	month_of(c->has_from_day ? c->from_day : c->has_to ? c->to :
	    c->now.day, &first, &last);
	from = c->has_from_day ? c->from_day : first;
	to = c->has_to ? c->to : last;
	if ((rc = check_span(from, to, "--from", 0)) != RC_OK)
		return rc;
	if (to - from >= CALENDAR_MAX) {
		cli_error("the range is longer than %d days", CALENDAR_MAX);
		return RC_REFUSED;
	}
	if ((rc = query_calendar(c->db, from, to, &days, &n)) != RC_OK)
		return cli_fail(c, rc);
	calendar_print(c, days, n);
	free(days);
	return RC_OK;
}

/* ---- report ----------------------------------------------------------- */

int
cli_report_check(const struct cli *c)
{
	if (c->has_from_day && c->has_to)
		return check_span(c->from_day, c->to, "--from", 0);
	return RC_OK;
}

#define NREPORT_FIELDS 15

static void
report_fields(const struct rc_report_row *r, struct cli_field f[])
{
	const struct cli_field tmpl[NREPORT_FIELDS] = {
		{ "id", CF_STR, r->id, 0 },
		{ "name", CF_TEXT, r->name, 0 },
		{ "code", CF_TEXT, r->code[0] ? r->code : NULL, 0 },
		{ "active", CF_BOOL, NULL, r->active },
		{ "school_days", CF_INT, NULL, r->r.school_days },
		{ "present", CF_INT, NULL, r->r.present },
		{ "early", CF_INT, NULL, r->r.early },
		{ "on_time", CF_INT, NULL, r->r.on_time },
		{ "late", CF_INT, NULL, r->r.late },
		{ "excused", CF_INT, NULL, r->r.excused },
		{ "absent", CF_INT, NULL, r->r.absent },
		{ "left_early", CF_INT, NULL, r->r.left_early },
		{ "rate", CF_RATE, NULL, r->r.rate },
		{ "chronic", CF_BOOL, NULL, r->r.chronic },
		{ "points", CF_INT, NULL, r->r.points },
	};

	memcpy(f, tmpl, sizeof(tmpl));
}

static void
report_json(const struct rc_report *rep)
{
	struct cli_field f[NREPORT_FIELDS];
	char from[16], to[16];
	size_t i;
	struct cli_field sum[] = {
		{ "students", CF_INT, NULL, (long long)rep->n },
		{ "present", CF_INT, NULL, (long long)rep->sum_present },
		{ "school_days", CF_INT, NULL, (long long)rep->sum_days },
		{ "rate", CF_RATE, NULL, rep->sum_rate },
		{ "chronic", CF_INT, NULL, (long long)rep->sum_chronic },
	};

	clock_format_day(rep->from, from);
	clock_format_day(rep->to, to);
	/* Streamed (src/cli_json.c): a report may have thousands of rows. */
	putchar('{');
	cli_jw_item(0, 1);
	cli_jw_key("from");
	cli_jw_str(from);
	cli_jw_item(1, 1);
	cli_jw_key("to");
	cli_jw_str(to);
	cli_jw_item(2, 1);
	cli_jw_key("school_days");
	cli_jw_int(rep->school_days);
	cli_jw_item(3, 1);
	cli_jw_key("students");
	putchar('[');
	for (i = 0; i < rep->n; i++) {
		report_fields(&rep->rows[i], f);
		cli_jw_item(i, 2);
		cli_jw_fields(f, NREPORT_FIELDS, 2, 0);
	}
	cli_jw_close(']', rep->n, 1);
	cli_jw_item(4, 1);
	cli_jw_key("summary");
	cli_jw_fields(sum, 5, 1, 0);
	cli_jw_close('}', 5, 0);
	putchar('\n');
}

static void
report_csv(const struct rc_report *rep)
{
	struct cli_field f[NREPORT_FIELDS];
	struct rc_report_row none;
	size_t i;

	memset(&none, 0, sizeof(none));
	report_fields(&none, f);
	cli_csv_header(f, NREPORT_FIELDS);
	for (i = 0; i < rep->n; i++) {
		report_fields(&rep->rows[i], f);
		cli_csv_row(f, NREPORT_FIELDS);
	}
}

static void
report_table(const struct rc_report *rep)
{
	static const char *const headers[] = {
		"NAME", "CODE", "DAYS", "PRESENT", "EARLY", "ON TIME", "LATE",
		"EXCUSED", "ABSENT", "LEFT", "RATE", "POINTS", "CHRONIC"
	};
	char num[10][24], from[16], to[16], rate[16];
	const char *cells[13];
	struct cli_table *t;
	size_t i, k;

	clock_format_day(rep->from, from);
	clock_format_day(rep->to, to);
	printf("Attendance from %s to %s: %u school day%s so far\n\n", from,
	    to, rep->school_days, rep->school_days == 1 ? "" : "s");
	t = cli_table_new(13, headers, RIGHT_COLS(2, 11));
	for (i = 0; i < rep->n; i++) {
		const struct cal_row *r = &rep->rows[i].r;
		long long v[9] = { r->school_days, r->present, r->early,
		    r->on_time, r->late, r->excused, r->absent, r->left_early,
		    r->points };

		for (k = 0; k < 9; k++)
			snprintf(num[k], sizeof(num[k]), "%lld", v[k]);
		cal_format_rate(r->rate, rate);
		snprintf(num[9], sizeof(num[9]), "%s%s", r->rate < 0 ? "-" :
		    rate, r->rate < 0 ? "" : "%");
		cells[0] = rep->rows[i].name;
		cells[1] = rep->rows[i].code[0] ? rep->rows[i].code : "-";
		for (k = 0; k < 8; k++)
			cells[k + 2] = num[k];
		cells[10] = num[9];
		cells[11] = num[8];
		cells[12] = r->chronic ? "chronic" : "";
		cli_table_add(t, cells);
	}
	if (rep->n)
		cli_table_print(t, "");
	cli_table_free(t);
	cal_format_rate(rep->sum_rate, rate);
	printf("%s%zu student%s: present %llu of %llu school days (%s%s), "
	    "%zu chronically absent\n", rep->n ? "\n" : "", rep->n,
	    rep->n == 1 ? "" : "s", (unsigned long long)rep->sum_present,
	    (unsigned long long)rep->sum_days, rep->sum_rate < 0 ? "-" : rate,
	    rep->sum_rate < 0 ? "" : "%", rep->sum_chronic);
}

int
cli_report(struct cli *c)
{
	struct rc_report_opts o;
	struct rc_report rep;
	int rc;

	memset(&o, 0, sizeof(o));
	o.has_from = c->has_from_day;
	o.from = c->from_day;
	o.has_to = c->has_to;
	o.to = c->to;
	o.today = c->now.day;
	o.student = c->student;
	o.below = c->below;
	o.chronic = c->chronic;
	o.by_rate = c->sort && strcmp(c->sort, "rate") == 0;
	if ((rc = query_report(c->db, &o, &rep)) != RC_OK)
		return cli_fail(c, rc);
	if (rep.to < rep.from) {
		char a[16], b[16];

		clock_format_day(rep.from, a);
		clock_format_day(rep.to, b);
		cli_error("--to %s is before the report's start %s", b, a);
		query_report_free(&rep);
		return RC_REFUSED;
	}
	if (c->fmt == FMT_JSON)
		report_json(&rep);
	else if (c->fmt == FMT_CSV)
		report_csv(&rep);
	else
		report_table(&rep);
	query_report_free(&rep);
	return RC_OK;
}

/* ---- config ----------------------------------------------------------- */

struct cal_text {
	char days[32], start[16], end[16];
};

static void
calendar_settings_fields(const struct cal_settings *s, struct cal_text *t,
    struct cli_field f[3])
{
	cal_format_weekdays(s->weekdays, t->days);
	if (s->term_start != CAL_NO_DAY)
		clock_format_day(s->term_start, t->start);
	if (s->term_end != CAL_NO_DAY)
		clock_format_day(s->term_end, t->end);
	f[0] = (struct cli_field){ "school-days", CF_STR, t->days, 0 };
	f[1] = (struct cli_field){ "term-start", CF_STR,
	    s->term_start != CAL_NO_DAY ? t->start : NULL, 0 };
	f[2] = (struct cli_field){ "term-end", CF_STR,
	    s->term_end != CAL_NO_DAY ? t->end : NULL, 0 };
}

int
cli_config_calendar_show(struct cli *c, const char *key)
{
	struct cal_settings s;
	struct cal_text t;
	struct cli_field f[3];
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = query_calendar_settings(c->db, &s)) != RC_OK)
		return cli_fail(c, rc);
	calendar_settings_fields(&s, &t, f);
	for (i = 0; i < 3; i++) {
		if (strcmp(f[i].key, key) != 0)
			continue;
		if (c->fmt != FMT_TABLE)
			cli_record(c->fmt, &f[i], 1);
		else
			printf("%s\n", f[i].s ? f[i].s : "");
	}
	return RC_OK;
}

int
cli_config_calendar_rows(struct cli *c, struct cli_table *table)
{
	struct cal_settings s;
	struct cal_text t;
	struct cli_field f[3];
	const char *cells[2];
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = query_calendar_settings(c->db, &s)) != RC_OK)
		return cli_fail(c, rc);
	calendar_settings_fields(&s, &t, f);
	for (i = 0; i < 3; i++) {
		cells[0] = f[i].key;
		cells[1] = f[i].s ? f[i].s : "(unset)";
		cli_table_add(table, cells);
	}
	return RC_OK;
}

int
cli_config_all(struct cli *c, const struct cli_field *policy, size_t n)
{
	struct cal_settings s;
	struct cal_text t;
	struct cli_field f[16];
	int rc;

	memset(&t, 0, sizeof(t));
	if (n > 13)
		n = 13;
	if ((rc = query_calendar_settings(c->db, &s)) != RC_OK)
		return cli_fail(c, rc);
	memcpy(f, policy, n * sizeof(*f));
	calendar_settings_fields(&s, &t, f + n);
	cli_record(c->fmt, f, n + 3);
	return RC_OK;
}
