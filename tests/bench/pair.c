/*
 * pair.c - rollcall and the raw-LMDB floor (or two databases) measured
 * interleaved, one operation of each in turn, in one process, so that the
 * machine's load (the disk here is shared, and its latency moves 10x
 * within seconds) falls on both alike and their ratio means something.
 *
 *   pair checkin KIND NAME DIR FILE  KIND NAME DIR FILE  FROM TO
 *   pair excuse ...  pair checkout ...   (the same arguments)
 *
 *       KIND is "rollcall" (command_checkin() through the core API) or
 *       "floor" (floor.c).  Rows [FROM, TO) of each FILE
 *       (student,arrived_at) are checked in, each as its own durable
 *       command, A then B, then B then A, and so on.  For each NAME
 *       prints the median and p99 latency and the mean KiB written per
 *       check-in (wchar: what the commit passed to the kernel,
 *       repeatable whatever the load).  excuse: each row's student is
 *       excused (illness) for the first weekday a week or more after
 *       the row's day; checkout: each row's student leaves at 23:00 on
 *       the row's day (rows a checkin pair recorded before).
 *
 *   pair queries FLOOR_DIR ROLLCALL_DIR DAY EMAIL REPS
 *
 *       REPS runs of each query on each database, in turn: the roster
 *       by name with figures (query_students), one student's record
 *       (query_student), a day's present and absent (query_day).
 *       Prints the medians as students, student, day and floor_*.
 *
 *   pair report ROLLCALL_DIR FROM TO REPS
 *
 *       The report of SPEC 6 over FROM..TO in-process (query_report),
 *       against its floor: raw LMDB cursors over the records a report
 *       needs, in the same transaction kind, decoding nothing but the
 *       keys: the names index in order, and for each student the roster
 *       record, the enrolment periods, and the ranges of attendance,
 *       excuses and departures of FROM..TO; the closed days once.
 *       Prints the medians as report_inproc and floor_report_scan.
 *
 *   pair history NAME ROLLCALL_DIR STUDENT REPS
 *
 *       One student's history (query_history: the per-student index and
 *       one log lookup a line), REPS times: prints NAME_median (us) and
 *       NAME_events, how many lines it had.
 *
 *   pair split SAMPLES SPANS
 *
 *       The samples a checkin, excuse or checkout run kept (PAIR_SAMPLES)
 *       split by time: those that started inside one of SPANS' lines
 *       "WHAT_span START END" (CLOCK_MONOTONIC ns, as `bench copy` and
 *       `bench now` print) and those that did not.  For each NAME prints
 *       NAME_during_median, NAME_between_median and how many of each.
 *       Both kinds come from the same minutes, so what the machine does
 *       meanwhile (its load, the file growing) falls on both alike.
 *
 * ROLLCALL_NOW (and TZ) come from the environment, as for the CLI.
 * PAIR_SHIFT_DAYS=N moves every row's time N days later, so that rows
 * used once can be checked in again on another day.  PAIR_SAMPLES=FILE
 * appends each write's "NAME START_NS LATENCY_NS" to FILE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "command.h"
#include "db.h"
#include "floor.h"
#include "query.h"
#include "query_school.h"
#include "record.h"
#include "store.h"
#include "util.h"

struct side {
	const char *name;
	rc_db *db;		/* KIND rollcall */
	struct floor *floor;	/* KIND floor */
	struct util_row *rows;
	size_t nrows;
	uint64_t *ns, *bytes, *at;
};

enum op { OP_CHECKIN, OP_EXCUSE, OP_CHECKOUT };

static void
rollcall_checkin(rc_db *db, const struct util_row *r)
{
	struct rc_checkin out;
	struct rc_local at;

	if (clock_parse_datetime(r->at, &at) != 0)
		util_die("bad time %s", r->at);
	if (command_checkin(db, r->student, &at, &out) != RC_OK)
		util_die("%s: %s", r->student, db_error(db));
}

/* The day an excuse row is for: a weekday a week or more after its own. */
static int32_t
excuse_day(const struct util_row *r)
{
	struct rc_local at;
	int32_t d;

	if (clock_parse_datetime(r->at, &at) != 0)
		util_die("bad time %s", r->at);
	/* day 0, 1970-01-01, was a Thursday: (d + 3) % 7 is 0 on Monday */
	for (d = at.day + 7; (d % 7 + 7 + 3) % 7 >= 5; d++)
		;
	return d;
}

/* The row's day at 23:00 (YYYY-MM-DDT23:00:00). */
static void
checkout_at(const struct util_row *r, char buf[32])
{
	snprintf(buf, 32, "%.10sT23:00:00", r->at);
}

static void
rollcall_op(rc_db *db, enum op op, const struct util_row *r)
{
	struct rc_checkout out;
	struct rc_local at;
	char when[32];
	int32_t d;

	if (op == OP_CHECKIN) {
		rollcall_checkin(db, r);
		return;
	}
	if (op == OP_EXCUSE) {
		d = excuse_day(r);
		if (command_excuse(db, r->student, d, d, "illness", NULL,
		    NULL) != RC_OK)
			util_die("excuse %s: %s", r->student, db_error(db));
		return;
	}
	checkout_at(r, when);
	if (clock_parse_datetime(when, &at) != 0 ||
	    command_checkout(db, r->student, &at, NULL, &out) != RC_OK)
		util_die("checkout %s: %s", r->student, db_error(db));
}

static void
floor_op(struct floor *f, enum op op, const struct util_row *r)
{
	char when[32];

	if (op == OP_CHECKIN) {
		floor_lib_checkin(f, r->student, r->at);
		return;
	}
	if (op == OP_EXCUSE) {
		clock_format_day(excuse_day(r), when);
		floor_lib_excuse(f, r->student, when);
		return;
	}
	checkout_at(r, when);
	floor_lib_checkout(f, r->student, when);
}

/* Each row N days later (PAIR_SHIFT_DAYS). */
static void
shift_rows(struct util_row *rows, size_t n, const char *days)
{
	struct rc_local at;
	char day[16], rest[16];
	long by = strtol(days, NULL, 10);
	size_t i;

	for (i = 0; i < n; i++) {
		if (clock_parse_datetime(rows[i].at, &at) != 0)
			util_die("bad time %s", rows[i].at);
		clock_format_day(at.day + (int32_t)by, day);
		snprintf(rest, sizeof(rest), "%.9s", rows[i].at + 10);
		snprintf(rows[i].at, sizeof(rows[i].at), "%.10s%s", day, rest);
	}
}

static void
side_open(struct side *s, char **arg, size_t n)
{
	const char *shift = getenv("PAIR_SHIFT_DAYS");
	char err[512];

	memset(s, 0, sizeof(*s));
	s->name = arg[1];
	util_read_rows(arg[3], &s->rows, &s->nrows);
	if (shift && *shift)
		shift_rows(s->rows, s->nrows, shift);
	if (strcmp(arg[0], "floor") == 0)
		s->floor = floor_lib_open(arg[2]);
	else if (strcmp(arg[0], "rollcall") == 0) {
		if (db_open(arg[2], &s->db, err, sizeof(err)) != RC_OK)
			util_die("%s", err);
		/* Catch up now: the first check-in must not pay for it. */
		if (db_catch_up(s->db) != RC_OK)
			util_die("%s", db_error(s->db));
	} else
		util_die("pair: kind is floor or rollcall, not %s", arg[0]);
	s->ns = calloc(n + 1, sizeof(*s->ns));
	s->bytes = calloc(n + 1, sizeof(*s->bytes));
	s->at = calloc(n + 1, sizeof(*s->at));
	if (s->ns == NULL || s->bytes == NULL || s->at == NULL)
		util_die("out of memory");
}

/* Run op on row on side s: sample i is its latency and bytes written. */
static void
side_op(struct side *s, enum op op, size_t row, size_t i)
{
	uint64_t w0, t0;

	if (row >= s->nrows)
		util_die("pair: %s has no row %zu", s->name, row);
	w0 = util_wchar();
	t0 = util_now_ns();
	if (s->floor)
		floor_op(s->floor, op, &s->rows[row]);
	else
		rollcall_op(s->db, op, &s->rows[row]);
	s->ns[i] = util_now_ns() - t0;
	s->at[i] = t0;
	s->bytes[i] = util_wchar() - w0;
}

/* Median and p99 latency and mean KiB written; then close. */
static void
side_report(struct side *s, size_t n)
{
	const char *keep = getenv("PAIR_SAMPLES");
	char fig[128];
	double sum = 0;
	FILE *f;
	size_t i;

	if (keep && *keep) {
		if ((f = fopen(keep, "a")) == NULL)
			util_die("%s: cannot append", keep);
		for (i = 0; i < n; i++)
			fprintf(f, "%s %llu %llu\n", s->name,
			    (unsigned long long)s->at[i],
			    (unsigned long long)s->ns[i]);
		if (fclose(f) != 0)
			util_die("%s: cannot write", keep);
	}
	for (i = 0; i < n; i++)
		sum += (double)s->bytes[i];
	snprintf(fig, sizeof(fig), "%s_median", s->name);
	util_figure(fig, (double)util_quantile(s->ns, n, 0.5) / 1e6, "ms");
	snprintf(fig, sizeof(fig), "%s_p99", s->name);
	util_figure(fig, (double)util_quantile(s->ns, n, 0.99) / 1e6, "ms");
	snprintf(fig, sizeof(fig), "%s_written", s->name);
	util_figure(fig, n ? sum / (double)n / 1024 : 0, "KiB");
	if (s->floor)
		floor_lib_close(s->floor);
	else
		db_close(s->db);
	free(s->rows);
	free(s->ns);
	free(s->bytes);
	free(s->at);
}

static int
pair_writes(int argc, char **argv, enum op op)
{
	struct side a, b;
	size_t from, to, i;

	if (argc != 12)
		util_die("usage: pair checkin|excuse|checkout KIND NAME DIR "
		    "FILE KIND NAME DIR FILE FROM TO");
	from = util_number(argv[10]);
	to = util_number(argv[11]);
	if (from > to)
		util_die("pair: rows %zu-%zu", from, to);
	side_open(&a, argv + 2, to - from);
	side_open(&b, argv + 6, to - from);
	for (i = 0; i < to - from; i++) {
		if (i % 2 == 0) {
			side_op(&a, op, from + i, i);
			side_op(&b, op, from + i, i);
		} else {
			side_op(&b, op, from + i, i);
			side_op(&a, op, from + i, i);
		}
	}
	side_report(&a, to - from);
	side_report(&b, to - from);
	return 0;
}

/* ---- queries ---------------------------------------------------------- */

static void
check(rc_db *db, int rc, const char *what)
{
	if (rc != RC_OK)
		util_die("%s: %s", what, db_error(db));
}

/* rollcall's side of floor_lib_queries(). */
static void
rollcall_queries(rc_db *db, int32_t day, const char *email,
    struct query_run *q)
{
	struct rc_student *rows, st;
	struct rc_attendance *att;
	struct rc_present *p;
	struct rc_absent *a;
	uint64_t t0;

	t0 = util_now_ns();
	check(db, query_students(db, 0, &rows, &q->students), "students");
	q->students_ns = util_now_ns() - t0;
	free(rows);
	t0 = util_now_ns();
	check(db, query_student(db, email, &st, &att, &q->days), "student");
	q->student_ns = util_now_ns() - t0;
	free(att);
	t0 = util_now_ns();
	check(db, query_day(db, day, &p, &q->present, &a, &q->absent), "day");
	q->day_ns = util_now_ns() - t0;
	free(p);
	free(a);
}

struct query_samples {
	uint64_t *students, *student, *day;
};

static void
samples_alloc(struct query_samples *s, size_t n)
{
	s->students = calloc(n + 1, sizeof(uint64_t));
	s->student = calloc(n + 1, sizeof(uint64_t));
	s->day = calloc(n + 1, sizeof(uint64_t));
	if (!s->students || !s->student || !s->day)
		util_die("out of memory");
}

static void
samples_keep(struct query_samples *s, size_t i, const struct query_run *q)
{
	s->students[i] = q->students_ns;
	s->student[i] = q->student_ns;
	s->day[i] = q->day_ns;
}

static void
samples_report(struct query_samples *s, size_t n, const char *prefix)
{
	char name[64];

	snprintf(name, sizeof(name), "%sstudents", prefix);
	util_figure(name, (double)util_quantile(s->students, n, 0.5) / 1e6,
	    "ms");
	snprintf(name, sizeof(name), "%sstudent", prefix);
	util_figure(name, (double)util_quantile(s->student, n, 0.5) / 1e3,
	    "us");
	snprintf(name, sizeof(name), "%sday", prefix);
	util_figure(name, (double)util_quantile(s->day, n, 0.5) / 1e6, "ms");
	free(s->students);
	free(s->student);
	free(s->day);
}

static void
sanity(const char *who, const struct query_run *q, const char *email,
    const char *day)
{
	fprintf(stderr, "%s queries: %zu students, %zu days for %s, %zu "
	    "present and %zu absent on %s\n", who, q->students, q->days,
	    email, q->present, q->absent, day);
}

static int
pair_queries(int argc, char **argv)
{
	struct query_samples fs, rs;
	struct query_run fq, rq;
	struct floor *f;
	char err[512];
	size_t reps, i;
	int32_t day;
	rc_db *db;

	if (argc != 7 || clock_parse_day(argv[4], &day) != 0)
		util_die("usage: pair queries FLOOR_DIR ROLLCALL_DIR DAY EMAIL "
		    "REPS");
	reps = util_number(argv[6]);
	f = floor_lib_open(argv[2]);
	if (db_open(argv[3], &db, err, sizeof(err)) != RC_OK)
		util_die("%s", err);
	check(db, db_catch_up(db), "catch up");
	samples_alloc(&fs, reps);
	samples_alloc(&rs, reps);
	for (i = 0; i < reps; i++) {
		floor_lib_queries(f, argv[4], argv[5], &fq);
		rollcall_queries(db, day, argv[5], &rq);
		samples_keep(&fs, i, &fq);
		samples_keep(&rs, i, &rq);
	}
	sanity("floor", &fq, argv[5], argv[4]);
	sanity("rollcall", &rq, argv[5], argv[4]);
	samples_report(&fs, reps, "floor_");
	samples_report(&rs, reps, "");
	floor_lib_close(f);
	db_close(db);
	return 0;
}

/* ---- report ----------------------------------------------------------- */

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Records of dbi from sid|from to sid|to; counted. */
static size_t
scan_range(MDB_txn *txn, MDB_dbi dbi, const uint8_t *sid, int32_t from,
    int32_t to)
{
	uint8_t lo[8];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;
	int rc;

	memcpy(lo, sid, 4);
	be32(lo + 4, (uint32_t)from);
	k.mv_data = lo;
	k.mv_size = 8;
	if (mdb_cursor_open(txn, dbi, &cur) != 0)
		util_die("cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const uint8_t *kp = k.mv_data;
		uint32_t day;

		if (k.mv_size != 8 || memcmp(kp, sid, 4) != 0)
			break;
		day = (uint32_t)kp[4] << 24 | (uint32_t)kp[5] << 16 |
		    (uint32_t)kp[6] << 8 | kp[7];
		if (day > (uint32_t)to)
			break;
		n++;
	}
	mdb_cursor_close(cur);
	return n;
}

/* Closed days of from..to (key: u32 day). */
static size_t
scan_closed(MDB_txn *txn, MDB_dbi dbi, int32_t from, int32_t to)
{
	uint8_t lo[4], hi[4];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;
	int rc;

	be32(lo, (uint32_t)from);
	be32(hi, (uint32_t)to);
	k.mv_data = lo;
	k.mv_size = 4;
	if (mdb_cursor_open(txn, dbi, &cur) != 0)
		util_die("cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 &&
	    k.mv_size == 4 && memcmp(k.mv_data, hi, 4) <= 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		n++;
	mdb_cursor_close(cur);
	return n;
}

/* The floor: every record a report reads, decoding only keys. */
static size_t
report_scan(rc_db *db, int32_t from, int32_t to)
{
	MDB_cursor *names;
	MDB_txn *txn;
	MDB_val k, v, kk, vv;
	size_t n = 0;
	int rc;

	if (store_read_begin(db, &txn) != RC_OK)
		util_die("%s", db_error(db));
	n += scan_closed(txn, db->dbi[DB_CLOSED], from, to);
	if (mdb_cursor_open(txn, db->dbi[DB_NAMES], &names) != 0)
		util_die("cursor");
	for (rc = mdb_cursor_get(names, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(names, &k, &v, MDB_NEXT)) {
		if (v.mv_size != 4)
			util_die("names: a value of %zu bytes", v.mv_size);
		kk = v;
		if (mdb_get(txn, db->dbi[DB_ROSTER], &kk, &vv) != 0)
			util_die("roster");
		kk = v;
		(void)mdb_get(txn, db->dbi[DB_ENROLMENT], &kk, &vv);
		n += scan_range(txn, db->dbi[DB_ATTENDANCE], v.mv_data, from,
		    to);
		n += scan_range(txn, db->dbi[DB_EXCUSES], v.mv_data, from, to);
		n += scan_range(txn, db->dbi[DB_DEPARTURES], v.mv_data, from,
		    to);
	}
	mdb_cursor_close(names);
	mdb_txn_abort(txn);
	return n;
}

static int
pair_report(int argc, char **argv)
{
	struct rc_report_opts o;
	struct rc_report r;
	struct rc_local now;
	int64_t now_us;
	uint64_t *ours, *floor, t0;
	size_t reps, i, recs = 0, rows = 0;
	char err[512];
	rc_db *db;

	memset(&o, 0, sizeof(o));
	o.below = -1;
	if (argc != 6 || clock_parse_day(argv[3], &o.from) != 0 ||
	    clock_parse_day(argv[4], &o.to) != 0)
		util_die("usage: pair report ROLLCALL_DIR FROM TO REPS");
	if (clock_now(&now_us, &now) != 0)
		util_die("pair: no clock");
	o.has_from = o.has_to = 1;
	o.today = now.day;
	reps = util_number(argv[5]);
	if (db_open(argv[2], &db, err, sizeof(err)) != RC_OK)
		util_die("%s", err);
	check(db, db_catch_up(db), "catch up");
	ours = calloc(reps + 1, sizeof(*ours));
	floor = calloc(reps + 1, sizeof(*floor));
	if (ours == NULL || floor == NULL)
		util_die("out of memory");
	for (i = 0; i < reps; i++) {
		t0 = util_now_ns();
		recs = report_scan(db, o.from, o.to);
		floor[i] = util_now_ns() - t0;
		t0 = util_now_ns();
		check(db, query_report(db, &o, &r), "report");
		ours[i] = util_now_ns() - t0;
		rows = r.n;
		query_report_free(&r);
	}
	fprintf(stderr, "report: %zu rows; floor: %zu records in range\n",
	    rows, recs);
	util_figure("report_inproc", (double)util_quantile(ours, reps, 0.5) /
	    1e6, "ms");
	util_figure("floor_report_scan",
	    (double)util_quantile(floor, reps, 0.5) / 1e6, "ms");
	util_figure("report_inproc_ratio", (double)util_quantile(ours, reps,
	    0.5) / (double)util_quantile(floor, reps, 0.5), "x");
	free(ours);
	free(floor);
	db_close(db);
	return 0;
}

static int
pair_history(int argc, char **argv)
{
	struct rc_history *rows;
	uint64_t *ns, t0;
	size_t reps, i, n = 0;
	char err[512], fig[128];
	rc_db *db;

	if (argc != 6)
		util_die("usage: pair history NAME ROLLCALL_DIR STUDENT REPS");
	reps = util_number(argv[5]);
	if (db_open(argv[3], &db, err, sizeof(err)) != RC_OK)
		util_die("%s", err);
	check(db, db_catch_up(db), "catch up");
	if ((ns = calloc(reps + 1, sizeof(*ns))) == NULL)
		util_die("out of memory");
	for (i = 0; i < reps; i++) {
		t0 = util_now_ns();
		check(db, query_history(db, argv[4], &rows, &n), "history");
		ns[i] = util_now_ns() - t0;
		free(rows);
	}
	snprintf(fig, sizeof(fig), "%s_median", argv[2]);
	util_figure(fig, (double)util_quantile(ns, reps, 0.5) / 1e3, "us");
	snprintf(fig, sizeof(fig), "%s_events", argv[2]);
	util_figure(fig, (double)n, "events");
	free(ns);
	db_close(db);
	return 0;
}

/* ---- samples split by spans ------------------------------------------ */

struct span {
	uint64_t from, to;
};

static struct span *
read_spans(const char *path, size_t *n)
{
	unsigned long long a, b;
	struct span *v = NULL, *nv;
	char word[64];
	size_t len;
	size_t cap = 0;
	char line[256];
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		util_die("%s: cannot open", path);
	*n = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%63s %llu %llu", word, &a, &b) != 3 ||
		    (len = strlen(word)) < 5 ||
		    strcmp(word + len - 5, "_span") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				util_die("out of memory");
			v = nv;
		}
		v[(*n)++] = (struct span){ a, b };
	}
	fclose(f);
	return v;
}

static int
inside(const struct span *v, size_t n, uint64_t t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t >= v[i].from && t <= v[i].to)
			return 1;
	return 0;
}

/* One name's samples: median during the spans and between them. */
static void
split_name(FILE *f, const char *name, const struct span *sp, size_t nsp)
{
	unsigned long long at, ns;
	uint64_t *in = NULL, *out = NULL, *nin_v, *nout_v;
	size_t nin = 0, nout = 0, cap = 0;
	char line[256], who[128], fig[160];

	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%127s %llu %llu", who, &at, &ns) != 3 ||
		    strcmp(who, name) != 0)
			continue;
		if (nin == cap || nout == cap) {
			cap = cap ? cap * 2 : 1024;
			nin_v = realloc(in, cap * sizeof(*in));
			nout_v = realloc(out, cap * sizeof(*out));
			if (nin_v == NULL || nout_v == NULL)
				util_die("out of memory");
			in = nin_v;
			out = nout_v;
		}
		if (inside(sp, nsp, at))
			in[nin++] = ns;
		else
			out[nout++] = ns;
	}
	if (nin == 0 || nout == 0)	/* no copy ran, or nothing else did */
		util_die("pair split: %s: %zu samples during, %zu between",
		    name, nin, nout);
	snprintf(fig, sizeof(fig), "%s_during_median", name);
	util_figure(fig, (double)util_quantile(in, nin, 0.5) / 1e6, "ms");
	snprintf(fig, sizeof(fig), "%s_during_samples", name);
	util_figure(fig, (double)nin, "samples");
	snprintf(fig, sizeof(fig), "%s_between_median", name);
	util_figure(fig, (double)util_quantile(out, nout, 0.5) / 1e6, "ms");
	snprintf(fig, sizeof(fig), "%s_between_samples", name);
	util_figure(fig, (double)nout, "samples");
	free(in);
	free(out);
}

static int
pair_split(int argc, char **argv)
{
	char line[256], who[128], seen[8][128];
	size_t nsp, nseen = 0, i;
	struct span *sp;
	FILE *f;

	if (argc != 4)
		util_die("usage: pair split SAMPLES SPANS");
	sp = read_spans(argv[3], &nsp);
	if ((f = fopen(argv[2], "r")) == NULL)
		util_die("%s: cannot open", argv[2]);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%127s", who) != 1)
			continue;
		for (i = 0; i < nseen && strcmp(seen[i], who) != 0; i++)
			;
		if (i < nseen || nseen == 8)
			continue;
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", who);
	}
	for (i = 0; i < nseen; i++)
		split_name(f, seen[i], sp, nsp);
	fclose(f);
	free(sp);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "checkin") == 0)
		return pair_writes(argc, argv, OP_CHECKIN);
	if (argc >= 2 && strcmp(argv[1], "excuse") == 0)
		return pair_writes(argc, argv, OP_EXCUSE);
	if (argc >= 2 && strcmp(argv[1], "checkout") == 0)
		return pair_writes(argc, argv, OP_CHECKOUT);
	if (argc >= 2 && strcmp(argv[1], "queries") == 0)
		return pair_queries(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "report") == 0)
		return pair_report(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "history") == 0)
		return pair_history(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "split") == 0)
		return pair_split(argc, argv);
	fprintf(stderr, "usage: pair checkin|excuse|checkout|queries|report "
	    "history|split ...\n");
	return 2;
}
