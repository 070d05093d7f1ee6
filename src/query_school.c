/*
 * query_school.c - the calendar, a student's absences and marks, and
 * the attendance report (SPEC 6), read from the read models in one
 * short read transaction each.
 *
 * A report folds, per student, what the projector keeps: enrolment
 * periods, the attendance of the range (one cursor range), its excuses
 * and departures (one range each), against the school days of the range
 * (settings and closed days, counted by prefix sums).  Nothing here
 * reads the log, and a calendar change needs no rewrite anywhere: marks
 * are derived when asked.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "query_school.h"
#include "rm_calendar.h"
#include "rm_days.h"
#include "rm_departures.h"
#include "rm_enrolment.h"
#include "rm_excuses.h"
#include "rm_roster.h"

/* Grow *p (n used, *cap slots of size) to hold one more. */
static int
reserve(void **p, size_t n, size_t *cap, size_t size)
{
	void *q;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	if ((q = realloc(*p, *cap * size)) == NULL)
		return -1;
	*p = q;
	return 0;
}

int
query_calendar_settings(rc_db *db, struct cal_settings *s)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_calendar_settings(db, txn, s);
	mdb_txn_abort(txn);
	return rc;
}

/* The span of school days of [from, to], in txn. */
static int
span_of(rc_db *db, MDB_txn *txn, int32_t from, int32_t to,
    struct cal_span *sp)
{
	struct cal_settings s;
	int32_t *closed = NULL;
	size_t n = 0;
	int rc;

	if ((rc = rm_calendar_settings(db, txn, &s)) != RC_OK ||
	    (rc = rm_calendar_closed_days(db, txn, from, to, &closed,
	    &n)) != RC_OK)
		return rc;
	rc = cal_span_init(sp, &s, from, to, closed, n);
	free(closed);
	return rc != 0 ? store_fail(db, RC_ESYS, "out of memory") : RC_OK;
}

/* ---- calendar --------------------------------------------------------- */

struct cal_fill {
	struct rc_calday *days;
	int32_t from;
};

static int
note_closed(void *arg, int32_t day, const char *reason, size_t len)
{
	struct cal_fill *f = arg;
	struct rc_calday *d = &f->days[day - f->from];

	if (len > RC_REASON_MAX)
		len = RC_REASON_MAX;
	d->closed = 1;
	memcpy(d->reason, reason, len);
	d->reason[len] = 0;
	return 0;
}

static int
calendar_in(rc_db *db, MDB_txn *txn, int32_t from, int32_t to,
    struct rc_calday *days)
{
	struct cal_fill f = { days, from };
	struct cal_span sp;
	int32_t d;
	int rc;

	if ((rc = span_of(db, txn, from, to, &sp)) != RC_OK)
		return rc;
	for (d = from; d <= to; d++) {
		days[d - from].day = d;
		days[d - from].weekday = (uint8_t)cal_weekday(d);
		days[d - from].school = (uint8_t)cal_span_school(&sp, d);
	}
	cal_span_free(&sp);
	return rm_calendar_walk_closed(db, txn, from, to, note_closed, &f);
}

int
query_calendar(rc_db *db, int32_t from, int32_t to, struct rc_calday **days,
    size_t *n)
{
	MDB_txn *txn;
	int rc;

	*days = NULL;
	*n = 0;
	if (to < from)
		return RC_OK;
	if ((*days = calloc((size_t)(to - from) + 1, sizeof(**days))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	if ((rc = store_read_begin(db, &txn)) == RC_OK) {
		rc = calendar_in(db, txn, from, to, *days);
		mdb_txn_abort(txn);
	}
	if (rc != RC_OK) {
		free(*days);
		*days = NULL;
		return rc;
	}
	*n = (size_t)(to - from) + 1;
	return RC_OK;
}

int
query_calday(rc_db *db, int32_t day, struct rc_calday *out)
{
	MDB_txn *txn;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = calendar_in(db, txn, day, day, out);
	mdb_txn_abort(txn);
	return rc;
}

/* ---- one student ------------------------------------------------------ */

/* The excused days of a student in a range, as a sorted array. */
struct day_set {
	int32_t *days;
	uint8_t *codes;
	size_t n, cap;
	int oom;
};

static int
keep_excuse(void *arg, int32_t day, uint8_t code)
{
	struct day_set *s = arg;

	size_t cap = s->cap;
	uint8_t *codes;

	if (reserve((void **)&s->days, s->n, &s->cap, sizeof(*s->days)) != 0) {
		s->oom = 1;
		return 1;
	}
	if (s->cap != cap) {
		if ((codes = realloc(s->codes, s->cap)) == NULL) {
			s->oom = 1;
			return 1;
		}
		s->codes = codes;
	}
	s->days[s->n] = day;
	s->codes[s->n++] = code;
	return 0;
}

static void
day_set_free(struct day_set *s)
{
	free(s->days);
	free(s->codes);
	memset(s, 0, sizeof(*s));
}

static int
excuses_of(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from, int32_t to,
    struct day_set *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = rm_excuses_walk(db, txn, sid, from, to, keep_excuse, s);
	if (rc == RC_OK && s->oom)
		rc = store_fail(db, RC_ESYS, "out of memory");
	if (rc != RC_OK)
		day_set_free(s);
	return rc;
}

/* The valid check-ins of sid in [from, to], by day. */
struct ci_list {
	struct cal_checkin *ci;
	size_t n, cap;
};

static int
checkins_in(rc_db *db, MDB_cursor *cur, uint32_t sid, int32_t from,
    int32_t to, struct ci_list *l)
{
	struct att_entry e;
	uint8_t key[8];
	MDB_val k, v;
	int32_t day;
	size_t i;
	int mrc, rc = RC_OK;

	l->n = 0;
	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)(from < 0 ? 0 : from));
	k.mv_data = key;
	k.mv_size = 8;
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || get_u32(k.mv_data) != sid)
			break;
		day = (int32_t)get_u32((uint8_t *)k.mv_data + 4);
		if (day > to)
			break;
		for (i = 0; i < v.mv_size / ENTRY_LEN; i++) {
			if (entry_decode(v.mv_data, v.mv_size, i, &e) != 0) {
				rc = store_fail(db, RC_ESYS, "an attendance "
				    "record is damaged");
				break;
			}
			if (e.voided)
				continue;
			if (reserve((void **)&l->ci, l->n, &l->cap,
			    sizeof(*l->ci)) != 0) {
				rc = store_fail(db, RC_ESYS, "out of memory");
				break;
			}
			l->ci[l->n].day = day;
			l->ci[l->n].status = e.status;
			l->ci[l->n].points = e.points;
			l->ci[l->n++].left = 0;
			break;
		}
		if (rc != RC_OK)
			break;
	}
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "attendance");
}

static int
checkins_of(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from, int32_t to,
    struct ci_list *l)
{
	MDB_cursor *cur;
	int mrc, rc;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ATTENDANCE], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "attendance");
	rc = checkins_in(db, cur, sid, from, to, l);
	mdb_cursor_close(cur);
	return rc;
}

struct left_ctx {
	struct ci_list *l;
	size_t pos;
};

static int
note_left(void *arg, int32_t day, uint32_t left)
{
	struct left_ctx *c = arg;

	(void)left;
	while (c->pos < c->l->n && c->l->ci[c->pos].day < day)
		c->pos++;
	if (c->pos < c->l->n && c->l->ci[c->pos].day == day)
		c->l->ci[c->pos].left = 1;
	return 0;
}

int
query_student_school(rc_db *db, const char *key, const int32_t *days,
    size_t n, int32_t today, struct rc_student_school *out)
{
	struct cal_period p[RM_PERIODS_MAX];
	struct roster_rec r;
	struct day_set ex;
	struct cal_span sp;
	struct ci_list l = { NULL, 0, 0 };
	MDB_txn *txn;
	uint32_t sid;
	size_t np, i, e = 0, c = 0, cap = 0;
	int32_t d;
	int rc, found;

	memset(out, 0, sizeof(*out));
	out->excused = calloc(n + 1, 1);
	out->has_left = calloc(n + 1, 1);
	out->left = calloc(n + 1, sizeof(*out->left));
	if (!out->excused || !out->has_left || !out->left) {
		query_student_school_free(out);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = rm_roster_find(db, txn, key, &sid, &r)) != RC_OK)
		goto out;
	for (i = 0; i < n && rc == RC_OK; i++) {
		rc = rm_excuses_get(db, txn, sid, days[i], &out->excused[i]);
		out->excused[i] = out->excused[i] != 0;
		if (rc == RC_OK)
			rc = rm_departures_get(db, txn, sid, days[i], &found,
			    &out->left[i], NULL, 0);
		out->has_left[i] = rc == RC_OK && found;
	}
	if (rc != RC_OK ||
	    (rc = rm_enrolment_periods(db, txn, sid, p, &np)) != RC_OK ||
	    np == 0 || p[0].start >= today)
		goto out;
	if ((rc = span_of(db, txn, p[0].start, today - 1, &sp)) != RC_OK)
		goto out;
	if ((rc = excuses_of(db, txn, sid, p[0].start, today - 1, &ex)) ==
	    RC_OK && (rc = checkins_of(db, txn, sid, p[0].start, today - 1,
	    &l)) == RC_OK) {
		for (d = p[0].start; d < today && rc == RC_OK; d++) {
			if (!cal_span_school(&sp, d) || !cal_enrolled(p, np, d))
				continue;
			while (c < l.n && l.ci[c].day < d)
				c++;
			if (c < l.n && l.ci[c].day == d)
				continue;
			while (e < ex.n && ex.days[e] < d)
				e++;
			if (reserve((void **)&out->absences, out->nabsences,
			    &cap, sizeof(*out->absences)) != 0) {
				rc = store_fail(db, RC_ESYS, "out of memory");
				break;
			}
			out->absences[out->nabsences].day = d;
			out->absences[out->nabsences].excused = e < ex.n &&
			    ex.days[e] == d;
			out->absences[out->nabsences++].code = e < ex.n &&
			    ex.days[e] == d ? ex.codes[e] : 0;
		}
		day_set_free(&ex);
	}
	cal_span_free(&sp);
out:
	free(l.ci);
	mdb_txn_abort(txn);
	if (rc != RC_OK)
		query_student_school_free(out);
	return rc;
}

void
query_student_school_free(struct rc_student_school *s)
{
	free(s->excused);
	free(s->has_left);
	free(s->left);
	free(s->absences);
	memset(s, 0, sizeof(*s));
}

static int
marks_in(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from, int32_t to,
    int32_t today, uint8_t *marks)
{
	struct cal_period p[RM_PERIODS_MAX];
	struct cal_day_facts f;
	struct ci_list l = { NULL, 0, 0 };
	struct day_set ex;
	struct cal_span sp;
	size_t np, c = 0, e = 0;
	int32_t d;
	int rc;

	if ((rc = rm_enrolment_periods(db, txn, sid, p, &np)) != RC_OK ||
	    (rc = span_of(db, txn, from, to, &sp)) != RC_OK)
		return rc;
	if ((rc = excuses_of(db, txn, sid, from, to, &ex)) == RC_OK) {
		if ((rc = checkins_of(db, txn, sid, from, to, &l)) == RC_OK)
			for (d = from; d <= to; d++) {
				while (c < l.n && l.ci[c].day < d)
					c++;
				while (e < ex.n && ex.days[e] < d)
					e++;
				f.day = d;
				f.today = today;
				f.school = cal_span_school(&sp, d);
				f.enrolled = cal_enrolled(p, np, d);
				f.status = c < l.n && l.ci[c].day == d ?
				    l.ci[c].status : 0;
				f.excused = e < ex.n && ex.days[e] == d;
				marks[d - from] = (uint8_t)cal_mark(&f);
			}
		day_set_free(&ex);
	}
	free(l.ci);
	cal_span_free(&sp);
	return rc;
}

int
query_marks_month(rc_db *db, const char *key, int32_t from, int32_t to,
    int32_t today, uint8_t *marks)
{
	struct roster_rec r;
	MDB_txn *txn;
	uint32_t sid;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = rm_roster_find(db, txn, key, &sid, &r)) == RC_OK)
		rc = marks_in(db, txn, sid, from, to, today, marks);
	mdb_txn_abort(txn);
	return rc;
}

/* ---- the report ------------------------------------------------------- */

/*
 * What a report reads, kept across its students: one cursor per tree,
 * opened once and moved per student, and one student's check-ins and
 * excuses in buffers that only grow.  Nothing is allocated per row.
 */
struct rep_io {
	MDB_cursor *att, *exc, *dep, *ros, *enr;
	struct ci_list l;
	struct day_set ex;
	size_t cap;		/* rows allocated in the report */
	int32_t first;		/* earliest enrolment start seen */
};

static int
rep_io_open(rc_db *db, MDB_txn *txn, struct rep_io *io)
{
	int mrc;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ATTENDANCE],
	    &io->att)) != 0 ||
	    (mrc = mdb_cursor_open(txn, db->dbi[DB_EXCUSES], &io->exc)) != 0 ||
	    (mrc = mdb_cursor_open(txn, db->dbi[DB_DEPARTURES],
	    &io->dep)) != 0 ||
	    (mrc = mdb_cursor_open(txn, db->dbi[DB_ROSTER], &io->ros)) != 0 ||
	    (mrc = mdb_cursor_open(txn, db->dbi[DB_ENROLMENT],
	    &io->enr)) != 0)
		return store_lmdb_fail(db, mrc, "report");
	return RC_OK;
}

static void
rep_io_close(struct rep_io *io)
{
	if (io->att)
		mdb_cursor_close(io->att);
	if (io->exc)
		mdb_cursor_close(io->exc);
	if (io->dep)
		mdb_cursor_close(io->dep);
	if (io->ros)
		mdb_cursor_close(io->ros);
	if (io->enr)
		mdb_cursor_close(io->enr);
	free(io->l.ci);
	day_set_free(&io->ex);
}

/*
 * sid's enrolment as it bears on the days from on.  A check-in before
 * registration moves the start earlier (cal_first_checkin), which only
 * matters when the start is after from: only then is it looked for.
 */
static int
periods_from(rc_db *db, struct rep_io *io, uint32_t sid, int32_t from,
    struct cal_period *p, size_t *np)
{
	int32_t first;
	int rc;

	if ((rc = rm_enrolment_get_cur(db, io->enr, sid, p, np)) != RC_OK ||
	    *np == 0 || p[0].start <= from)
		return rc;
	if ((rc = rm_days_first_cur(db, io->att, sid, &first)) != RC_OK)
		return rc;
	cal_first_checkin(p, *np, first);
	return RC_OK;
}

typedef int (*rep_fn)(rc_db *db, struct rep_io *io, void *ctx,
    uint32_t sid);

/* fn for every student in name order (or the one asked for). */
static int
each_student(rc_db *db, MDB_txn *txn, const struct rc_report_opts *o,
    struct rep_io *io, rep_fn fn, void *ctx)
{
	struct roster_rec r;
	MDB_cursor *cur;
	MDB_val k, v;
	uint32_t sid;
	int mrc, rc = RC_OK;

	if (o->student) {
		if ((rc = rm_roster_find(db, txn, o->student, &sid, &r)) !=
		    RC_OK)
			return rc;
		return fn(db, io, ctx, sid);
	}
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_NAMES], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "names");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (v.mv_size != 4) {
			rc = store_fail(db, RC_ESYS, "the names are damaged");
			break;
		}
		if ((rc = fn(db, io, ctx, get_u32(v.mv_data))) != RC_OK)
			break;
	}
	mdb_cursor_close(cur);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "names");
}

/* The earliest enrolment start (a report without a from, or a term). */
static int
note_first(rc_db *db, struct rep_io *io, void *ctx, uint32_t sid)
{
	struct cal_period p[RM_PERIODS_MAX];
	size_t np;
	int rc;

	(void)ctx;
	if ((rc = periods_from(db, io, sid, INT32_MIN, p, &np)) ==
	    RC_OK && np > 0 && p[0].start < io->first)
		io->first = p[0].start;
	return rc;
}

static int
keep_row(const struct rc_report_opts *o, const struct cal_row *row)
{
	if (!row->enrolled)
		return 0;
	if (o->below >= 0 && !cal_rate_below(row->rate, o->below))
		return 0;
	if (o->chronic && !row->chronic)
		return 0;
	return 1;
}

struct rep_ctx {
	const struct rc_report_opts *o;
	const struct cal_span *sp;
	struct rc_report *out;
};

/* sid's figures over the range: check-ins, departures, excuses. */
static int
tally_one(rc_db *db, struct rep_io *io, const struct rep_ctx *c,
    uint32_t sid, const struct cal_period *p, size_t np, struct cal_row *cr)
{
	struct left_ctx lc = { &io->l, 0 };
	int32_t from = c->out->from, to = c->out->to;
	int rc;

	io->ex.n = 0;
	if ((rc = checkins_in(db, io->att, sid, from, to, &io->l)) != RC_OK ||
	    (rc = rm_departures_walk_cur(db, io->dep, sid, from, to,
	    note_left, &lc)) != RC_OK ||
	    (rc = rm_excuses_walk_cur(db, io->exc, sid, from, to,
	    keep_excuse, &io->ex)) != RC_OK)
		return rc;
	if (io->ex.oom)
		return store_fail(db, RC_ESYS, "out of memory");
	cal_tally(c->sp, from, to, c->o->today, p, np, io->l.ci, io->l.n,
	    io->ex.days, io->ex.n, cr);
	return RC_OK;
}

/* One student's row, appended when it passes the filters. */
static int
report_one(rc_db *db, struct rep_io *io, void *ctx, uint32_t sid)
{
	const struct rep_ctx *c = ctx;
	struct rc_report *out = c->out;
	struct cal_period p[RM_PERIODS_MAX];
	struct rc_report_row *row;
	struct roster_rec r;
	struct cal_row cr;
	size_t np;
	int rc;

	if ((rc = periods_from(db, io, sid, out->from, p, &np)) !=
	    RC_OK || np == 0 || cal_enrolled_days(c->sp, p, np, out->from,
	    out->to) == 0)
		return rc;
	if ((rc = tally_one(db, io, c, sid, p, np, &cr)) != RC_OK ||
	    !keep_row(c->o, &cr))
		return rc;
	if (reserve((void **)&out->rows, out->n, &io->cap,
	    sizeof(*out->rows)) != 0)
		return store_fail(db, RC_ESYS, "out of memory");
	if ((rc = rm_roster_get_cur(db, io->ros, sid, &r)) != RC_OK)
		return rc;
	row = &out->rows[out->n++];
	event_id_text(r.id, row->id);
	memcpy(row->name, r.name.s, r.name.len);
	row->name[r.name.len] = 0;
	memcpy(row->code, r.code.s, r.code.len);
	row->code[r.code.len] = 0;
	row->active = r.active;
	row->r = cr;
	out->sum_present += cr.present;
	out->sum_days += cr.school_days;
	out->sum_chronic += cr.chronic != 0;
	return RC_OK;
}

/* Rows for every student at once: one allocation, not a doubling. */
static int
reserve_rows(rc_db *db, MDB_txn *txn, const struct rc_report_opts *o,
    struct rep_io *io, struct rc_report *out)
{
	MDB_stat st;
	int mrc;

	io->cap = 1;
	if (!o->student) {
		if ((mrc = mdb_stat(txn, db->dbi[DB_NAMES], &st)) != 0)
			return store_lmdb_fail(db, mrc, "names");
		io->cap = st.ms_entries ? st.ms_entries : 1;
	}
	if ((out->rows = malloc(io->cap * sizeof(*out->rows))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	return RC_OK;
}

static int
report_in(rc_db *db, MDB_txn *txn, const struct rc_report_opts *o,
    struct rc_report *out)
{
	struct rep_io io;
	struct cal_settings s;
	struct cal_span sp;
	struct rep_ctx c = { o, &sp, out };
	int rc;

	memset(&io, 0, sizeof(io));
	io.first = o->today;
	if ((rc = rm_calendar_settings(db, txn, &s)) != RC_OK ||
	    (rc = rep_io_open(db, txn, &io)) != RC_OK)
		goto out;
	/* Without a from or a term, the report starts at the first start. */
	if (!o->has_from && s.term_start == CAL_NO_DAY &&
	    (rc = each_student(db, txn, o, &io, note_first, NULL)) != RC_OK)
		goto out;
	out->from = o->has_from ? o->from : s.term_start != CAL_NO_DAY ?
	    s.term_start : io.first;
	out->to = o->has_to ? o->to : o->today;
	if (out->to < out->from)
		goto out;
	if ((rc = reserve_rows(db, txn, o, &io, out)) != RC_OK ||
	    (rc = span_of(db, txn, out->from, out->to, &sp)) != RC_OK)
		goto out;
	out->school_days = cal_span_count(&sp, out->from,
	    out->to < o->today ? out->to : o->today);
	rc = each_student(db, txn, o, &io, report_one, &c);
	cal_span_free(&sp);
out:
	rep_io_close(&io);
	return rc;
}

int
query_report(rc_db *db, const struct rc_report_opts *o,
    struct rc_report *out)
{
	MDB_txn *txn;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = report_in(db, txn, o, out);
	mdb_txn_abort(txn);
	if (rc != RC_OK) {
		query_report_free(out);
		return rc;
	}
	out->sum_rate = cal_rate(out->sum_present, out->sum_days);
	query_report_sort(out->rows, out->n, o->by_rate);
	return RC_OK;
}

void
query_report_free(struct rc_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

/* Rows without a rate (no school day yet) sort last. */
static int
rate_key(const struct rc_report_row *r)
{
	return r->r.rate < 0 ? 100000 : r->r.rate;
}

struct rate_at {
	int key;
	size_t at;
};

/* By rate, then by place: equal rates stay in name order (stable). */
static int
cmp_rate_at(const void *pa, const void *pb)
{
	const struct rate_at *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* Sorts small keys; order[i] is the row shown i-th. */
int
query_report_order(const struct rc_report_row *rows, size_t n,
    uint32_t *order)
{
	struct rate_at *keys;
	size_t i;

	if ((keys = malloc((n ? n : 1) * sizeof(*keys))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		keys[i].key = rate_key(&rows[i]);
		keys[i].at = i;
	}
	qsort(keys, n, sizeof(*keys), cmp_rate_at);
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)keys[i].at;
	free(keys);
	return 0;
}

/* Moves each (large) row once, after sorting small keys. */
void
query_report_sort(struct rc_report_row *rows, size_t n, int by_rate)
{
	struct rc_report_row *tmp;
	uint32_t *order;
	size_t i;

	if (!by_rate || n < 2)
		return;
	tmp = malloc(n * sizeof(*tmp));
	order = malloc(n * sizeof(*order));
	if (tmp && order && query_report_order(rows, n, order) == 0) {
		for (i = 0; i < n; i++)
			tmp[i] = rows[order[i]];
		memcpy(rows, tmp, n * sizeof(*rows));
	}
	free(tmp);
	free(order);
}
