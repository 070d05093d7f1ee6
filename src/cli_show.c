/*
 * cli_show.c - the command line's read commands: students, student, day,
 * events and status, each in table, CSV and JSON form.
 *
 * Records for CSV and JSON are built once as cli_field arrays, so the
 * two formats always carry the same names; tables are laid out for
 * people and escape everything they print.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "cli.h"
#include "clock.h"
#include "event.h"
#include "event_json.h"
#include "policy.h"
#include "query.h"
#include "query_school.h"
#include "text.h"

#define NSTUDENT_FIELDS 11

/* An optional text: NULL (null in JSON, empty in CSV) when empty. */
static const char *
opt(const char *s)
{
	return s[0] ? s : NULL;
}

/* Right-alignment mask of columns a..b. */
#define RIGHT_COLS(a, b) ((~0u << (a)) & ~(~0u << ((b) + 1)))

static void
student_fields(const struct rc_student *s, struct cli_field f[])
{
	const struct cli_field tmpl[NSTUDENT_FIELDS] = {
		{ "id", CF_STR, s->id, 0 },
		{ "name", CF_TEXT, s->name, 0 },
		{ "email", CF_TEXT, opt(s->email), 0 },
		{ "gender", CF_STR, query_gender_name(s->gender), 0 },
		{ "active", CF_BOOL, NULL, s->active },
		{ "points", CF_INT, NULL, s->fig.points },
		{ "days_present", CF_INT, NULL, s->fig.present },
		{ "days_early", CF_INT, NULL, s->fig.early },
		{ "days_late", CF_INT, NULL, s->fig.late },
		{ "days_on_time", CF_INT, NULL, s->fig.on_time },
		/* Last: columns of CSV written before codes keep their place. */
		{ "code", CF_TEXT, opt(s->code), 0 },
	};

	memcpy(f, tmpl, sizeof(tmpl));
}

/* ---- students --------------------------------------------------------- */

static void
students_table(const struct rc_student *rows, size_t n, int all)
{
	static const char *const headers[] = {
		"NAME", "EMAIL", "CODE", "GENDER", "POINTS", "PRESENT",
		"EARLY", "ON TIME", "LATE", "ID", "STATE"
	};
	char num[5][CLI_INT_TEXT + 1];
	const char *cells[11];
	struct cli_table *t;
	const char *g;
	size_t i;

	t = cli_table_new(all ? 11 : 10, headers, RIGHT_COLS(4, 8));
	for (i = 0; i < n; i++) {
		cli_int_text(rows[i].fig.points, num[0]);
		cli_int_text(rows[i].fig.present, num[1]);
		cli_int_text(rows[i].fig.early, num[2]);
		cli_int_text(rows[i].fig.on_time, num[3]);
		cli_int_text(rows[i].fig.late, num[4]);
		g = query_gender_name(rows[i].gender);
		cells[0] = rows[i].name;
		cells[1] = rows[i].email[0] ? rows[i].email : "-";
		cells[2] = rows[i].code[0] ? rows[i].code : "-";
		cells[3] = g ? g : "-";
		cells[4] = num[0];
		cells[5] = num[1];
		cells[6] = num[2];
		cells[7] = num[3];
		cells[8] = num[4];
		cells[9] = rows[i].id;
		cells[10] = rows[i].active ? "active" : "removed";
		cli_table_add(t, cells);
	}
	cli_table_print(t, "");
	cli_table_free(t);
}

int
cli_students(struct cli *c)
{
	struct cli_field f[NSTUDENT_FIELDS];
	struct rc_student *rows = NULL, none;
	size_t n = 0, i;
	int rc;

	if ((rc = query_students(c->db, c->all, &rows, &n)) != RC_OK)
		return cli_fail(c, rc);
	switch (c->fmt) {
	case FMT_CSV:
		memset(&none, 0, sizeof(none));
		student_fields(&none, f);
		cli_csv_header(f, NSTUDENT_FIELDS);
		for (i = 0; i < n; i++) {
			student_fields(&rows[i], f);
			cli_csv_row(f, NSTUDENT_FIELDS);
		}
		break;
	case FMT_JSON:
		putchar('[');
		for (i = 0; i < n; i++) {
			student_fields(&rows[i], f);
			cli_jw_item(i, 1);
			cli_jw_fields(f, NSTUDENT_FIELDS, 1, 0);
		}
		cli_jw_close(']', n, 0);
		putchar('\n');
		break;
	default:
		students_table(rows, n, c->all);
		break;
	}
	free(rows);
	return RC_OK;
}

/* ---- student ---------------------------------------------------------- */

struct att_text {
	char day[16], arrived[16], points[16];
};

static void
att_text(const struct rc_attendance *a, struct att_text *t)
{
	clock_format_day(a->day, t->day);
	clock_format_time(a->arrived, t->arrived);
	cli_points(a->points, t->points, sizeof(t->points));
}

static void
student_details(const struct rc_student *s)
{
	struct cli_table *t = cli_table_new(2, NULL, 0);
	char reg[16], pts[24], days[96];
	const char *g = query_gender_name(s->gender);
	const char *rows[][2] = {
		{ "name", s->name },
		{ "email", s->email[0] ? s->email : "-" },
		{ "code", s->code[0] ? s->code : "-" },
		{ "gender", g ? g : "-" },
		{ "id", s->id },
		{ "state", s->active ? "active" : "removed" },
		{ "registered", reg },
		{ "points", pts },
		{ "present", days },
	};
	size_t i;

	clock_format_day(s->reg_day, reg);
	snprintf(pts, sizeof(pts), "%lld", (long long)s->fig.points);
	snprintf(days, sizeof(days), "%u day%s: %u early, %u on time, "
	    "%u late", s->fig.present, s->fig.present == 1 ? "" : "s",
	    s->fig.early, s->fig.on_time, s->fig.late);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cli_table_add(t, rows[i]);
	cli_table_print(t, "");
	cli_table_free(t);
}

static void
student_table(const struct rc_student *s, const struct rc_attendance *att,
    size_t n)
{
	static const char *const headers[] = {
		"DAY", "ARRIVED", "STATUS", "POINTS", ""
	};
	struct cli_table *t;
	struct att_text at;
	const char *cells[5];
	size_t i;

	student_details(s);
	putchar('\n');
	if (n == 0) {
		puts("no attendance recorded");
		return;
	}
	t = cli_table_new(5, headers, RIGHT_COLS(3, 3));
	for (i = 0; i < n; i++) {
		att_text(&att[i], &at);
		cells[0] = at.day;
		cells[1] = at.arrived;
		cells[2] = policy_status_name(att[i].status);
		cells[3] = at.points;
		cells[4] = att[i].voided ? "voided" : "";
		cli_table_add(t, cells);
	}
	cli_table_print(t, "");
	cli_table_free(t);
}

/*
 * Streamed (src/cli_json.c): the student's fields, then the attendance
 * and the absences of past school days (SPEC 6), by day.
 */
static void
student_json(const struct rc_student *s, const struct rc_attendance *att,
    size_t n, const struct rc_student_school *sc)
{
	struct cli_field f[NSTUDENT_FIELDS];
	struct att_text at;
	char left[16], day[16];
	size_t i;

	student_fields(s, f);
	cli_jw_fields(f, NSTUDENT_FIELDS, 0, 1);
	cli_jw_item(NSTUDENT_FIELDS, 1);
	cli_jw_key("attendance");
	putchar('[');
	for (i = 0; i < n; i++) {
		int has_left = !att[i].voided && sc->has_left[i];
		struct cli_field a[] = {
			{ "day", CF_STR, at.day, 0 },
			{ "arrived", CF_STR, at.arrived, 0 },
			{ "status", CF_STR, policy_status_name(att[i].status),
			    0 },
			{ "points", CF_INT, NULL, att[i].points },
			{ "voided", CF_BOOL, NULL, att[i].voided },
			{ "excused", CF_BOOL, NULL, sc->excused[i] },
			{ "left_at", CF_STR, has_left ? left : NULL, 0 },
		};

		att_text(&att[i], &at);
		clock_format_time(sc->left[i], left);
		cli_jw_item(i, 2);
		cli_jw_fields(a, 7, 2, 0);
	}
	cli_jw_close(']', n, 1);
	cli_jw_item(NSTUDENT_FIELDS + 1, 1);
	cli_jw_key("absences");
	putchar('[');
	for (i = 0; i < sc->nabsences; i++) {
		const struct rc_absence *ab = &sc->absences[i];
		struct cli_field a[] = {
			{ "day", CF_STR, day, 0 },
			{ "status", CF_STR, ab->excused ? "excused" : "absent",
			    0 },
			{ "reason", CF_STR, ab->excused ?
			    event_excuse_name(ab->code) : NULL, 0 },
		};

		clock_format_day(ab->day, day);
		cli_jw_item(i, 2);
		cli_jw_fields(a, 3, 2, 0);
	}
	cli_jw_close(']', sc->nabsences, 1);
	cli_jw_close('}', NSTUDENT_FIELDS + 2, 0);
	putchar('\n');
}

/*
 * CSV has no nesting: one row per attendance day, each carrying the
 * student's fields first (a student with no attendance gets one row with
 * the day's columns empty).  The day's points are "day_points" since
 * "points" is the student's total.
 */
static void
student_csv(const struct rc_student *s, const struct rc_attendance *att,
    size_t n)
{
	struct cli_field f[NSTUDENT_FIELDS + 5];
	struct att_text at;
	size_t i;

	memset(&at, 0, sizeof(at));
	student_fields(s, f);
	f[NSTUDENT_FIELDS] = (struct cli_field){ "day", CF_STR, NULL, 0 };
	f[NSTUDENT_FIELDS + 1] =
	    (struct cli_field){ "arrived", CF_STR, NULL, 0 };
	f[NSTUDENT_FIELDS + 2] =
	    (struct cli_field){ "status", CF_STR, NULL, 0 };
	f[NSTUDENT_FIELDS + 3] =
	    (struct cli_field){ "day_points", CF_STR, NULL, 0 };
	f[NSTUDENT_FIELDS + 4] =
	    (struct cli_field){ "voided", CF_STR, NULL, 0 };
	cli_csv_header(f, NSTUDENT_FIELDS + 5);
	if (n == 0)
		cli_csv_row(f, NSTUDENT_FIELDS + 5);
	for (i = 0; i < n; i++) {
		att_text(&att[i], &at);
		snprintf(at.points, sizeof(at.points), "%ld",
		    (long)att[i].points);
		f[NSTUDENT_FIELDS].s = at.day;
		f[NSTUDENT_FIELDS + 1].s = at.arrived;
		f[NSTUDENT_FIELDS + 2].s = policy_status_name(att[i].status);
		f[NSTUDENT_FIELDS + 3].s = at.points;
		f[NSTUDENT_FIELDS + 4].s = att[i].voided ? "true" : "false";
		cli_csv_row(f, NSTUDENT_FIELDS + 5);
	}
}

int
cli_student(struct cli *c)
{
	struct rc_student s;
	struct rc_attendance *att = NULL;
	struct rc_student_school sc;
	int32_t *days;
	size_t n = 0, i;
	int rc;

	if ((rc = query_student(c->db, c->pos[0], &s, &att, &n)) != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_JSON) {
		if ((days = calloc(n + 1, sizeof(*days))) == NULL)
			cli_oom();
		for (i = 0; i < n; i++)
			days[i] = att[i].day;
		rc = query_student_school(c->db, c->pos[0], days, n,
		    c->now.day, &sc);
		free(days);
		if (rc != RC_OK) {
			free(att);
			return cli_fail(c, rc);
		}
		student_json(&s, att, n, &sc);
		query_student_school_free(&sc);
	} else if (c->fmt == FMT_CSV)
		student_csv(&s, att, n);
	else
		student_table(&s, att, n);
	free(att);
	return RC_OK;
}

/* ---- day -------------------------------------------------------------- */

struct day_lists {
	char day[16];
	struct rc_calday cal;
	struct rc_present *present;
	size_t npresent;
	struct rc_absent *absent;
	size_t nabsent;
};

/* How many absent students have an excuse. */
static size_t
excused_count(const struct day_lists *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nabsent; i++)
		n += d->absent[i].excuse != 0;
	return n;
}

/* One section of absent students: excused (with reason) or not. */
static void
absent_section(const struct day_lists *d, int excused, const char *title,
    size_t n)
{
	static const char *const ah[] = { "NAME", "CODE", "REASON" };
	struct cli_table *t;
	const char *cells[3];
	size_t i;

	printf("\n%s (%zu)\n", title, n);
	t = cli_table_new(excused ? 3 : 2, ah, 0);
	for (i = 0; i < d->nabsent; i++) {
		if ((d->absent[i].excuse != 0) != excused)
			continue;
		cells[0] = d->absent[i].name;
		cells[1] = d->absent[i].code[0] ? d->absent[i].code : "-";
		cells[2] = event_excuse_name(d->absent[i].excuse);
		cli_table_add(t, cells);
	}
	if (n)
		cli_table_print(t, "  ");
	cli_table_free(t);
}

static void
day_table(const struct day_lists *d, int today)
{
	static const char *const ph[] = {
		"NAME", "CODE", "ARRIVED", "STATUS", "POINTS", "LEFT"
	};
	size_t i, count[4] = { 0, 0, 0, 0 }, nexc = excused_count(d);
	struct cli_table *t;
	char arrived[16], pts[16], left[16];
	const char *cells[6];

	for (i = 0; i < d->npresent; i++)
		if (d->present[i].status <= ST_LATE)
			count[d->present[i].status]++;
	printf("%s: %zu present (%zu early, %zu on time, %zu late), "
	    "%zu %s\n", d->day, d->npresent, count[ST_EARLY],
	    count[ST_ON_TIME], count[ST_LATE], d->nabsent,
	    today ? "not in yet" : "absent");
	if (d->cal.closed) {
		char *why = cli_escape(d->cal.reason);

		printf("closed: %s\n", why);
		free(why);
	} else if (!d->cal.school)
		printf("not a school day\n");
	printf("\nPresent (%zu)\n", d->npresent);
	t = cli_table_new(6, ph, RIGHT_COLS(4, 4));
	for (i = 0; i < d->npresent; i++) {
		clock_format_time(d->present[i].arrived, arrived);
		if (d->present[i].has_left)
			clock_format_time(d->present[i].left, left);
		cli_points(d->present[i].points, pts, sizeof(pts));
		cells[0] = d->present[i].name;
		cells[1] = d->present[i].code[0] ? d->present[i].code : "-";
		cells[2] = arrived;
		cells[3] = policy_status_name(d->present[i].status);
		cells[4] = pts;
		cells[5] = d->present[i].has_left ? left : "";
		cli_table_add(t, cells);
	}
	if (d->npresent)
		cli_table_print(t, "  ");
	cli_table_free(t);
	absent_section(d, 1, "Excused", nexc);
	absent_section(d, 0, today ? "Not in yet" : "Absent, not excused",
	    d->nabsent - nexc);
}

/* Streamed (src/cli_json.c): a day lists the whole roster. */
static void
day_json(const struct day_lists *d)
{
	char arrived[16], left[16];
	size_t i;

	putchar('{');
	cli_jw_item(0, 1);
	cli_jw_key("day");
	cli_jw_str(d->day);
	cli_jw_item(1, 1);
	cli_jw_key("school_day");
	fputs(d->cal.school ? "true" : "false", stdout);
	cli_jw_item(2, 1);
	cli_jw_key("closed");
	if (d->cal.closed)
		cli_jw_str(d->cal.reason);
	else
		fputs("null", stdout);
	cli_jw_item(3, 1);
	cli_jw_key("present");
	putchar('[');
	for (i = 0; i < d->npresent; i++) {
		struct cli_field f[] = {
			{ "id", CF_STR, d->present[i].id, 0 },
			{ "name", CF_TEXT, d->present[i].name, 0 },
			{ "code", CF_TEXT, opt(d->present[i].code), 0 },
			{ "arrived", CF_STR, arrived, 0 },
			{ "status", CF_STR,
			    policy_status_name(d->present[i].status), 0 },
			{ "points", CF_INT, NULL, d->present[i].points },
			{ "left_at", CF_STR, d->present[i].has_left ? left :
			    NULL, 0 },
		};

		clock_format_time(d->present[i].arrived, arrived);
		if (d->present[i].has_left)
			clock_format_time(d->present[i].left, left);
		cli_jw_item(i, 2);
		cli_jw_fields(f, 7, 2, 0);
	}
	cli_jw_close(']', d->npresent, 1);
	cli_jw_item(4, 1);
	cli_jw_key("absent");
	putchar('[');
	for (i = 0; i < d->nabsent; i++) {
		struct cli_field f[] = {
			{ "id", CF_STR, d->absent[i].id, 0 },
			{ "name", CF_TEXT, d->absent[i].name, 0 },
			{ "code", CF_TEXT, opt(d->absent[i].code), 0 },
			{ "excused", CF_BOOL, NULL, d->absent[i].excuse != 0 },
			{ "reason", CF_STR,
			    event_excuse_name(d->absent[i].excuse), 0 },
		};

		cli_jw_item(i, 2);
		cli_jw_fields(f, 5, 2, 0);
	}
	cli_jw_close(']', d->nabsent, 1);
	cli_jw_close('}', 5, 0);
	putchar('\n');
}

/*
 * One table: present rows first, then absent ones with empty times.
 * Columns added later go last, so scripts reading by position keep
 * working; excused and reason as in JSON (SPEC 6).
 */
static void
day_csv(const struct day_lists *d)
{
	struct cli_field f[] = {
		{ "day", CF_STR, d->day, 0 },
		{ "id", CF_STR, NULL, 0 },
		{ "name", CF_TEXT, NULL, 0 },
		{ "present", CF_BOOL, NULL, 1 },
		{ "arrived", CF_STR, NULL, 0 },
		{ "status", CF_STR, NULL, 0 },
		{ "points", CF_STR, NULL, 0 },
		{ "code", CF_TEXT, NULL, 0 },
		{ "left_at", CF_STR, NULL, 0 },
		{ "excused", CF_BOOL, NULL, 0 },
		{ "reason", CF_STR, NULL, 0 },
	};
	const size_t nf = sizeof(f) / sizeof(f[0]);
	char arrived[16], pts[CLI_INT_TEXT + 1], left[16];
	size_t i;

	cli_csv_header(f, nf);
	for (i = 0; i < d->npresent; i++) {
		clock_format_time(d->present[i].arrived, arrived);
		if (d->present[i].has_left)
			clock_format_time(d->present[i].left, left);
		cli_int_text(d->present[i].points, pts);
		f[1].s = d->present[i].id;
		f[2].s = d->present[i].name;
		f[4].s = arrived;
		f[5].s = policy_status_name(d->present[i].status);
		f[6].s = pts;
		f[7].s = opt(d->present[i].code);
		f[8].s = d->present[i].has_left ? left : NULL;
		f[9].n = d->present[i].excused != 0;
		cli_csv_row(f, nf);
	}
	f[3].n = 0;
	f[4].s = f[5].s = f[6].s = f[8].s = NULL;
	for (i = 0; i < d->nabsent; i++) {
		f[1].s = d->absent[i].id;
		f[2].s = d->absent[i].name;
		f[7].s = opt(d->absent[i].code);
		f[9].n = d->absent[i].excuse != 0;
		f[10].s = event_excuse_name(d->absent[i].excuse);
		cli_csv_row(f, nf);
	}
}

int
cli_day(struct cli *c)
{
	struct day_lists d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = query_day(c->db, c->day, &d.present, &d.npresent, &d.absent,
	    &d.nabsent);
	if (rc == RC_OK)
		rc = query_calday(c->db, c->day, &d.cal);
	if (rc != RC_OK) {
		free(d.present);
		free(d.absent);
		return cli_fail(c, rc);
	}
	clock_format_day(c->day, d.day);
	if (c->fmt == FMT_JSON)
		day_json(&d);
	else if (c->fmt == FMT_CSV)
		day_csv(&d);
	else
		day_table(&d, c->day == c->now.day);
	free(d.present);
	free(d.absent);
	return RC_OK;
}

/* ---- events ----------------------------------------------------------- */

static volatile sig_atomic_t stop_following;

static void
on_stop(int sig)
{
	(void)sig;
	stop_following = 1;
}

struct ev_out {
	struct cli *c;
	uint64_t last;		/* last sequence printed */
	size_t n;		/* events printed */
};

/*
 * The jsonl object of an event.  One that could not be decoded fully
 * still shows what its framing says, with data null and the reason.
 */
static json_t *
event_object(const struct rc_event *ev, int ok, const char *why)
{
	const char *type = event_type_name(ev->type);
	char at[32];
	json_t *o;

	if (ok && (o = event_json(ev)) != NULL)
		return o;
	if ((o = json_object()) == NULL)
		cli_oom();
	clock_format_utc(ev->recorded_at, at);
	cli_json_set(o, "seq", json_integer((json_int_t)ev->seq));
	if (ev->type == 0) {
		/* Not even the framing could be read: nothing to show. */
		cli_json_set(o, "type", json_null());
		cli_json_set(o, "version", json_null());
		cli_json_set(o, "recorded_at", json_null());
	} else {
		cli_json_set(o, "type", type ? json_string(type) :
		    json_integer(ev->type));
		cli_json_set(o, "version", json_integer(ev->version));
		cli_json_set(o, "recorded_at", json_string(at));
	}
	cli_json_set(o, "data", json_null());
	/* Its metadata cannot be trusted either: all four are null. */
	cli_json_set(o, "actor", json_null());
	cli_json_set(o, "desk", json_null());
	cli_json_set(o, "source", json_null());
	cli_json_set(o, "batch", json_null());
	cli_json_set(o, "error", cli_json_str(ok ? "cannot show its data" :
	    why ? why : "damaged"));
	return o;
}

/*
 * Compact JSON of o[key], or "" when it is null or missing: strings as
 * they are in o, anything else in cli_json_text's buffer (an offset,
 * *in set); o outlives the row.
 */
static const char *
compact(json_t *o, const char *key, size_t *at, int *in)
{
	json_t *v = json_object_get(o, key);
	size_t len;

	*in = 0;
	if (v == NULL || json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	*at = cli_json_text(v, JSON_COMPACT | JSON_ENCODE_ANY, &len);
	*in = 1;
	return NULL;
}

static const struct cli_field event_csv_fields[] = {
	{ "seq", CF_STR, NULL, 0 },
	{ "type", CF_STR, NULL, 0 },
	{ "version", CF_STR, NULL, 0 },
	{ "recorded_at", CF_STR, NULL, 0 },
	{ "data", CF_STR, NULL, 0 },
	{ "error", CF_STR, NULL, 0 },
	{ "actor", CF_TEXT, NULL, 0 },
	{ "desk", CF_TEXT, NULL, 0 },
	{ "source", CF_STR, NULL, 0 },
	{ "batch", CF_STR, NULL, 0 },
};

#define EVENT_COLS (sizeof(event_csv_fields) / sizeof(event_csv_fields[0]))

/* CSV and table share the text of each column. */
static void
event_text_row(json_t *o, int table)
{
	static const char *const keys[EVENT_COLS] = {
		"seq", "type", "version", "recorded_at", "data", "error",
		"actor", "desk", "source", "batch"
	};
	static char *shown;	/* the table's escaped data, kept */
	static size_t cap;
	struct cli_field f[EVENT_COLS];
	const char *v[EVENT_COLS], *w;
	size_t i, at[EVENT_COLS];
	int in[EVENT_COLS];

	cli_json_text_reset();
	for (i = 0; i < EVENT_COLS; i++)
		v[i] = compact(o, keys[i], &at[i], &in[i]);
	/* the buffer may have moved while it grew: pointers only now */
	for (i = 0; i < EVENT_COLS; i++)
		if (in[i])
			v[i] = cli_json_text_at(at[i]);
	if (!table) {
		memcpy(f, event_csv_fields, sizeof(f));
		for (i = 0; i < EVENT_COLS; i++)
			f[i].s = v[i];
		cli_csv_row(f, EVENT_COLS);
	} else {
		/* Fixed widths, so that a followed log stays aligned. */
		w = v[5][0] ? v[5] : v[4];
		if (strlen(w) >= cap / 4) {
			cap = strlen(w) * 8 + 64;	/* escapes: 4x at most */
			if ((shown = realloc(shown, cap)) == NULL)
				cli_oom();
		}
		text_escape(w, strlen(w), shown, cap);
		if (v[5][0])
			printf("%6s  %-27s  %-19s  (cannot decode: %s)\n",
			    v[0], v[3][0] ? v[3] : "-", v[1][0] ? v[1] : "?",
			    shown);
		else
			printf("%6s  %-27s  %-19s  %s\n", v[0], v[3], v[1],
			    shown);
	}
}

static int
print_event(void *ctx, const struct rc_event *ev, int ok, const char *why)
{
	struct ev_out *out = ctx;
	json_t *o = event_object(ev, ok, why);

	out->last = ev->seq;
	switch (out->c->fmt) {
	case FMT_JSON:
		/* One event's tree at a time, never the whole log's. */
		cli_jw_item(out->n++, 1);
		cli_jw_json(o, 1);
		json_decref(o);
		return 0;
	case FMT_JSONL:
		cli_json_print(o, 1);
		return stop_following;
	default:
		event_text_row(o, out->c->fmt == FMT_TABLE);
		json_decref(o);
		return stop_following;
	}
}

/* Has the reader of stdout gone away?  Waits up to `ms` to find out. */
static int
stdout_gone(int ms)
{
	struct pollfd pfd = { STDOUT_FILENO, 0, 0 };

	if (poll(&pfd, 1, ms) > 0 &&
	    (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)))
		return 1;
	return 0;
}

/*
 * --follow: poll the database every 200 ms and print what was appended
 * since the last event printed, until a signal or the reader leaves.
 */
static int
follow(struct ev_out *out)
{
	struct sigaction sa;
	int changed, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop_following) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			/* A closed pipe is the reader leaving, not an error. */
			out->c->out_closed = errno == EPIPE;
			break;
		}
		if (stdout_gone(200)) {
			out->c->out_closed = 1;
			break;
		}
		if ((rc = db_poll(out->c->db, &changed)) != RC_OK)
			return cli_fail(out->c, rc);
		if (changed && (rc = query_events(out->c->db, out->last + 1,
		    0, print_event, out)) != RC_OK)
			return cli_fail(out->c, rc);
	}
	return RC_OK;
}

int
cli_events(struct cli *c)
{
	struct ev_out out = { c, c->from - 1, 0 };
	struct sigaction sa;
	int changed, rc;

	if (c->follow) {
		/* A closed pipe ends the follow quietly, not by a signal. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL);
		/* Note the log's state before reading, so nothing is missed. */
		if ((rc = db_poll(c->db, &changed)) != RC_OK)
			return cli_fail(c, rc);
	}
	if (c->fmt == FMT_JSON)
		putchar('[');
	if (c->fmt == FMT_CSV)
		cli_csv_header(event_csv_fields, EVENT_COLS);
	if ((rc = query_events(c->db, c->from, 0, print_event, &out)) !=
	    RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_JSON) {
		cli_jw_close(']', out.n, 0);
		putchar('\n');
	}
	if (c->follow)
		return follow(&out);
	return RC_OK;
}

/* ---- status ----------------------------------------------------------- */

/* "error  seq N: reason", the reason escaped with the rest. */
static void
add_error_row(struct cli_table *t, const struct rc_proj_error *e)
{
	char line[sizeof(e->reason) + 32];
	const char *cells[2] = { "error", line };

	snprintf(line, sizeof(line), "seq %llu: %s",
	    (unsigned long long)e->seq, e->reason);
	cli_table_add(t, cells);
}

static void
status_table(struct cli *c, const struct rc_status *st,
    const struct rc_backup_state *bs, const struct rc_proj_error *err,
    size_t nerr)
{
	struct cli_table *t = cli_table_new(2, NULL, 0);
	char v[9][96], hhmm[8];
	const char *rows[][2] = {
		{ "head", v[0] }, { "checkpoint", v[1] }, { "lag", v[2] },
		{ "errors", v[3] }, { "students", v[4] },
		{ "database", db_path(c->db) }, { "size", v[5] },
		{ "policy", v[6] },
		{ "origin", st->origin[0] ? st->origin : "-" },
		{ "schema", v[7] }, { "published", v[8] },
		{ "replica_of", st->replica_of[0] ? st->replica_of : "-" },
	};
	size_t i;

	snprintf(v[0], sizeof(v[0]), "%llu", (unsigned long long)st->head);
	snprintf(v[1], sizeof(v[1]), "%llu",
	    (unsigned long long)st->checkpoint);
	snprintf(v[2], sizeof(v[2]), "%llu", (unsigned long long)
	    (st->head > st->checkpoint ? st->head - st->checkpoint : 0));
	snprintf(v[3], sizeof(v[3]), "%zu", st->errors);
	snprintf(v[4], sizeof(v[4]), "%zu active (%zu including removed)",
	    st->students, st->students_all);
	snprintf(v[5], sizeof(v[5]), "%llu bytes (%.1f MiB)",
	    (unsigned long long)st->db_bytes, st->db_bytes / 1048576.0);
	clock_format_hhmm(st->policy.start, hhmm);
	snprintf(v[6], sizeof(v[6]), "start-time %s, window-minutes %u, "
	    "points %u", hhmm, (unsigned)st->policy.window,
	    (unsigned)st->policy.points);
	snprintf(v[7], sizeof(v[7]), "%u", st->schema);
	if (st->published_known)
		snprintf(v[8], sizeof(v[8]), "%llu",
		    (unsigned long long)st->published);
	else
		snprintf(v[8], sizeof(v[8]), "-");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cli_table_add(t, rows[i]);
	cli_backup_status_rows(t, bs);
	for (i = 0; i < nerr; i++)
		add_error_row(t, &err[i]);
	cli_table_print(t, "");
	cli_table_free(t);
}

static void
status_json(struct cli *c, const struct rc_status *st,
    const struct rc_backup_state *bs, const struct rc_proj_error *err,
    size_t nerr)
{
	struct cli_field f[] = {
		{ "head", CF_INT, NULL, (long long)st->head },
		{ "checkpoint", CF_INT, NULL, (long long)st->checkpoint },
		{ "errors", CF_INT, NULL, 0 },	/* replaced by the list */
		{ "students", CF_INT, NULL, (long long)st->students },
		{ "db_path", CF_STR, db_path(c->db), 0 },
		{ "db_bytes", CF_INT, NULL, (long long)st->db_bytes },
		{ "origin", CF_STR, st->origin[0] ? st->origin : NULL, 0 },
		{ "schema", CF_INT, NULL, (long long)st->schema },
		{ "replica_of", CF_STR, st->replica_of[0] ? st->replica_of :
		    NULL, 0 },
	};
	size_t nf = sizeof(f) / sizeof(f[0]), i, k;
	struct cli_field b[2];
	char at[32];

	if (c->fmt == FMT_CSV) {
		f[2].n = (long long)st->errors;
		cli_record(FMT_CSV, f, nf);
		return;
	}
	/* Streamed: the errors listed in third place, published after. */
	cli_jw_fields(f, 2, 0, 1);
	cli_jw_item(2, 1);
	cli_jw_key("errors");
	putchar('[');
	for (i = 0; i < nerr; i++) {
		struct cli_field e[] = {
			{ "seq", CF_INT, NULL, (long long)err[i].seq },
			{ "reason", CF_STR, err[i].reason, 0 },
		};

		cli_jw_item(i, 2);
		cli_jw_fields(e, 2, 2, 0);
	}
	cli_jw_close(']', nerr, 1);
	for (k = 3; k < nf; k++)
		cli_jw_field(&f[k], k, 1);
	/* null until the stream has acknowledged something */
	cli_jw_item(k++, 1);
	cli_jw_key("published");
	if (st->published_known)
		cli_jw_int((long long)st->published);
	else
		fputs("null", stdout);
	cli_backup_status_fields(bs, at, b);
	cli_jw_field(&b[0], k++, 1);
	cli_jw_field(&b[1], k++, 1);
	cli_jw_close('}', k, 0);
	putchar('\n');
}

int
cli_status(struct cli *c)
{
	struct rc_status st;
	struct rc_backup_state bs;
	struct rc_proj_error *err = NULL;
	size_t nerr = 0;
	int rc;

	if ((rc = query_status(c->db, &st)) != RC_OK ||
	    (rc = backup_state(c->db, &bs)) != RC_OK ||
	    (rc = query_errors(c->db, &err, &nerr)) != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_TABLE)
		status_table(c, &st, &bs, err, nerr);
	else
		status_json(c, &st, &bs, err, nerr);
	free(err);
	return RC_OK;
}
