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

/* Streamed (query_students_each): nothing kept per student. */
struct students_out {
	struct cli_table *t;
	size_t n;
};

static int
students_csv_row(void *arg, int pass, const struct rc_student *s)
{
	struct cli_field f[NSTUDENT_FIELDS];

	(void)arg;
	(void)pass;
	student_fields(s, f);
	cli_csv_row(f, NSTUDENT_FIELDS);
	return RC_OK;
}

static int
students_json_row(void *arg, int pass, const struct rc_student *s)
{
	struct students_out *o = arg;
	struct cli_field f[NSTUDENT_FIELDS];

	(void)pass;
	student_fields(s, f);
	cli_jw_item(o->n++, 1);
	cli_jw_fields(f, NSTUDENT_FIELDS, 1, 0);
	return RC_OK;
}

/* A table measures its columns on the first pass, prints on the second. */
static int
students_table_row(void *arg, int pass, const struct rc_student *s)
{
	struct students_out *o = arg;
	char num[5][CLI_INT_TEXT + 1];
	const char *cells[11], *g = query_gender_name(s->gender);

	cli_int_text(s->fig.points, num[0]);
	cli_int_text(s->fig.present, num[1]);
	cli_int_text(s->fig.early, num[2]);
	cli_int_text(s->fig.on_time, num[3]);
	cli_int_text(s->fig.late, num[4]);
	cells[0] = s->name;
	cells[1] = s->email[0] ? s->email : "-";
	cells[2] = s->code[0] ? s->code : "-";
	cells[3] = g ? g : "-";
	cells[4] = num[0];
	cells[5] = num[1];
	cells[6] = num[2];
	cells[7] = num[3];
	cells[8] = num[4];
	cells[9] = s->id;
	cells[10] = s->active ? "active" : "removed";
	if (pass == 0)
		cli_table_measure(o->t, cells);
	else
		cli_table_put(o->t, cells, "");
	return RC_OK;
}

static int
students_table(struct cli *c, struct students_out *o)
{
	static const char *const headers[] = {
		"NAME", "EMAIL", "CODE", "GENDER", "POINTS", "PRESENT",
		"EARLY", "ON TIME", "LATE", "ID", "STATE"
	};
	int rc;

	o->t = cli_table_new(c->all ? 11 : 10, headers, RIGHT_COLS(4, 8));
	rc = query_students_each(c->db, c->all, 2, students_table_row, o);
	if (rc == RC_OK)
		cli_table_head(o->t, "");	/* when there were no rows */
	cli_table_free(o->t);
	return rc;
}

int
cli_students(struct cli *c)
{
	struct cli_field f[NSTUDENT_FIELDS];
	struct students_out o = { NULL, 0 };
	struct rc_student none;
	int rc;

	switch (c->fmt) {
	case FMT_CSV:
		memset(&none, 0, sizeof(none));
		student_fields(&none, f);
		cli_csv_header(f, NSTUDENT_FIELDS);
		rc = query_students_each(c->db, c->all, 1, students_csv_row,
		    &o);
		break;
	case FMT_JSON:
		putchar('[');
		rc = query_students_each(c->db, c->all, 1, students_json_row,
		    &o);
		if (rc == RC_OK) {
			cli_jw_close(']', o.n, 0);
			putchar('\n');
		}
		break;
	default:
		rc = students_table(c, &o);
		break;
	}
	return rc == RC_OK ? RC_OK : cli_fail(c, rc);
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

/*
 * A day streams its rows (query_day_each): present ones in name order,
 * then absent ones.  A table measures on the first pass and prints on
 * the second, keeping only the absent sections (a few rows) whole.
 */
struct day_out {
	char day[16];
	struct rc_calday cal;
	int today;
	size_t np, na;			/* rows seen in this pass */
	size_t count[4], nexc;		/* the table's first pass */
	struct cli_table *present, *excused, *absent;
	int head;			/* the table's lines above the rows */
};

/* The text of a present row's cells; time buffers of 16 bytes. */
static void
present_text(const struct rc_present *p, char *arrived, char *left)
{
	clock_format_time(p->arrived, arrived);
	if (p->has_left)
		clock_format_time(p->left, left);
}

static void
day_table_head(struct day_out *o)
{
	if (o->head)
		return;
	o->head = 1;
	printf("%s: %zu present (%zu early, %zu on time, %zu late), "
	    "%zu %s\n", o->day, o->np, o->count[ST_EARLY],
	    o->count[ST_ON_TIME], o->count[ST_LATE], o->na,
	    o->today ? "not in yet" : "absent");
	if (o->cal.closed) {
		char *why = cli_escape(o->cal.reason);

		printf("closed: %s\n", why);
		free(why);
	} else if (!o->cal.school)
		printf("not a school day\n");
	printf("\nPresent (%zu)\n", o->np);
}

/* First pass: count, measure the present, keep the absent sections. */
static void
day_table_first(struct day_out *o, const struct rc_present *p,
    const char *const *cells, const struct rc_absent *a)
{
	const char *ac[3];

	if (p != NULL) {
		o->np++;
		if (p->status <= ST_LATE)
			o->count[p->status]++;
		cli_table_measure(o->present, cells);
		return;
	}
	o->na++;
	o->nexc += a->excuse != 0;
	ac[0] = a->name;
	ac[1] = a->code[0] ? a->code : "-";
	ac[2] = event_excuse_name(a->excuse);
	cli_table_add(a->excuse ? o->excused : o->absent, ac);
}

static int
day_table_row(void *arg, int pass, const struct rc_present *p,
    const struct rc_absent *a)
{
	struct day_out *o = arg;
	char arrived[16], pts[16], left[16];
	const char *cells[6] = { "", "", "", "", "", "" };

	if (p != NULL) {
		present_text(p, arrived, left);
		cli_points(p->points, pts, sizeof(pts));
		cells[0] = p->name;
		cells[1] = p->code[0] ? p->code : "-";
		cells[2] = arrived;
		cells[3] = policy_status_name(p->status);
		cells[4] = pts;
		cells[5] = p->has_left ? left : "";
	}
	if (pass == 0)
		day_table_first(o, p, cells, a);
	else if (p != NULL) {
		day_table_head(o);
		cli_table_put(o->present, cells, "  ");
	}
	return RC_OK;
}

/* One section of absent students: excused (with reason) or not. */
static void
absent_section(struct cli_table *t, const char *title)
{
	size_t n = cli_table_rows(t);

	printf("\n%s (%zu)\n", title, n);
	if (n)
		cli_table_print(t, "  ");
}

static int
day_table(struct cli *c, struct day_out *o)
{
	static const char *const ph[] = {
		"NAME", "CODE", "ARRIVED", "STATUS", "POINTS", "LEFT"
	};
	static const char *const ah[] = { "NAME", "CODE", "REASON" };
	int rc;

	o->today = c->day == c->now.day;
	o->present = cli_table_new(6, ph, RIGHT_COLS(4, 4));
	o->excused = cli_table_new(3, ah, 0);
	o->absent = cli_table_new(2, ah, 0);
	rc = query_day_each(c->db, c->day, 2, day_table_row, o);
	if (rc == RC_OK) {
		day_table_head(o);
		absent_section(o->excused, "Excused");
		absent_section(o->absent, o->today ? "Not in yet" :
		    "Absent, not excused");
	}
	cli_table_free(o->present);
	cli_table_free(o->excused);
	cli_table_free(o->absent);
	return rc;
}

/* Streamed (src/cli_json.c): a day lists the whole roster. */
static void
day_json_present(const struct rc_present *p, size_t i)
{
	char arrived[16], left[16];
	struct cli_field f[] = {
		{ "id", CF_STR, p->id, 0 },
		{ "name", CF_TEXT, p->name, 0 },
		{ "code", CF_TEXT, opt(p->code), 0 },
		{ "arrived", CF_STR, arrived, 0 },
		{ "status", CF_STR, policy_status_name(p->status), 0 },
		{ "points", CF_INT, NULL, p->points },
		{ "left_at", CF_STR, p->has_left ? left : NULL, 0 },
	};

	present_text(p, arrived, left);
	cli_jw_item(i, 2);
	cli_jw_fields(f, 7, 2, 0);
}

/* The present list ends where the absent one begins. */
static void
day_json_absent_open(struct day_out *o)
{
	cli_jw_close(']', o->np, 1);
	cli_jw_item(4, 1);
	cli_jw_key("absent");
	putchar('[');
}

static int
day_json_row(void *arg, int pass, const struct rc_present *p,
    const struct rc_absent *a)
{
	struct day_out *o = arg;

	(void)pass;
	if (p != NULL) {
		day_json_present(p, o->np++);
		return RC_OK;
	}
	if (o->na == 0)
		day_json_absent_open(o);
	{
		struct cli_field f[] = {
			{ "id", CF_STR, a->id, 0 },
			{ "name", CF_TEXT, a->name, 0 },
			{ "code", CF_TEXT, opt(a->code), 0 },
			{ "excused", CF_BOOL, NULL, a->excuse != 0 },
			{ "reason", CF_STR, event_excuse_name(a->excuse), 0 },
		};

		cli_jw_item(o->na++, 2);
		cli_jw_fields(f, 5, 2, 0);
	}
	return RC_OK;
}

static int
day_json(struct cli *c, struct day_out *o)
{
	int rc;

	putchar('{');
	cli_jw_item(0, 1);
	cli_jw_key("day");
	cli_jw_str(o->day);
	cli_jw_item(1, 1);
	cli_jw_key("school_day");
	fputs(o->cal.school ? "true" : "false", stdout);
	cli_jw_item(2, 1);
	cli_jw_key("closed");
	if (o->cal.closed)
		cli_jw_str(o->cal.reason);
	else
		fputs("null", stdout);
	cli_jw_item(3, 1);
	cli_jw_key("present");
	putchar('[');
	if ((rc = query_day_each(c->db, c->day, 1, day_json_row, o)) != RC_OK)
		return rc;
	if (o->na == 0)
		day_json_absent_open(o);
	cli_jw_close(']', o->na, 1);
	cli_jw_close('}', 5, 0);
	putchar('\n');
	return RC_OK;
}

/*
 * One table: present rows first, then absent ones with empty times.
 * Columns added later go last, so scripts reading by position keep
 * working; excused and reason as in JSON (SPEC 6).
 */
#define DAY_CSV_FIELDS(day) { \
	{ "day", CF_STR, day, 0 }, \
	{ "id", CF_STR, NULL, 0 }, \
	{ "name", CF_TEXT, NULL, 0 }, \
	{ "present", CF_BOOL, NULL, 1 }, \
	{ "arrived", CF_STR, NULL, 0 }, \
	{ "status", CF_STR, NULL, 0 }, \
	{ "points", CF_STR, NULL, 0 }, \
	{ "code", CF_TEXT, NULL, 0 }, \
	{ "left_at", CF_STR, NULL, 0 }, \
	{ "excused", CF_BOOL, NULL, 0 }, \
	{ "reason", CF_STR, NULL, 0 }, \
}
#define NDAY_CSV_FIELDS 11

static int
day_csv_row(void *arg, int pass, const struct rc_present *p,
    const struct rc_absent *a)
{
	struct day_out *o = arg;
	struct cli_field f[NDAY_CSV_FIELDS] = DAY_CSV_FIELDS(o->day);
	char arrived[16], pts[CLI_INT_TEXT + 1], left[16];

	(void)pass;
	if (p != NULL) {
		present_text(p, arrived, left);
		cli_int_text(p->points, pts);
		f[1].s = p->id;
		f[2].s = p->name;
		f[4].s = arrived;
		f[5].s = policy_status_name(p->status);
		f[6].s = pts;
		f[7].s = opt(p->code);
		f[8].s = p->has_left ? left : NULL;
		f[9].n = p->excused != 0;
	} else {
		f[1].s = a->id;
		f[2].s = a->name;
		f[3].n = 0;
		f[7].s = opt(a->code);
		f[9].n = a->excuse != 0;
		f[10].s = event_excuse_name(a->excuse);
	}
	cli_csv_row(f, NDAY_CSV_FIELDS);
	return RC_OK;
}

static int
day_csv(struct cli *c, struct day_out *o)
{
	const struct cli_field f[NDAY_CSV_FIELDS] = DAY_CSV_FIELDS(o->day);

	cli_csv_header(f, NDAY_CSV_FIELDS);
	return query_day_each(c->db, c->day, 1, day_csv_row, o);
}

int
cli_day(struct cli *c)
{
	struct day_out o;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = query_calday(c->db, c->day, &o.cal)) != RC_OK)
		return cli_fail(c, rc);
	clock_format_day(c->day, o.day);
	if (c->fmt == FMT_JSON)
		rc = day_json(c, &o);
	else if (c->fmt == FMT_CSV)
		rc = day_csv(c, &o);
	else
		rc = day_table(c, &o);
	return rc == RC_OK ? RC_OK : cli_fail(c, rc);
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
