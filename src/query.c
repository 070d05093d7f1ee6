/*
 * query.c - the read side, as the screens and the command line see it.
 *
 * Each query is one short read transaction; results are copied out into
 * caller-owned arrays before it ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bytes.h"
#include "keys.h"
#include "readside.h"
#include "rm_desk.h"
#include "rm_collation.h"
#include "rm_figures.h"
#include "rm_pin.h"
#include "rm_policy.h"
#include "rm_roster.h"
#include "query.h"
#include "rm_calendar.h"
#include "rm_departures.h"
#include "rm_enrolment.h"
#include "rm_daymarks.h"
#include "rm_excuses.h"

const char *
query_gender_name(unsigned gender)
{
	switch (gender) {
	case GENDER_FEMALE:
		return "female";
	case GENDER_MALE:
		return "male";
	case GENDER_OTHER:
		return "other";
	}
	return NULL;
}

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

static void
copy_text(char *dst, const struct rc_text *t)
{
	memcpy(dst, t->s, t->len);
	dst[t->len] = 0;
}

static void
fill_student(struct rc_student *s, const struct roster_rec *r)
{
	event_id_text(r->id, s->id);
	copy_text(s->name, &r->name);
	copy_text(s->email, &r->email);
	copy_text(s->code, &r->code);
	s->gender = r->gender;
	s->active = r->active;
	s->erased = r->erased;
	s->reg_day = r->reg_day;
	s->registered_at = r->registered_at;
}

/*
 * A row's used bytes only: a struct copy moved 800 bytes a student,
 * most of them unused text room (half the roster query, in-process).
 */
static void
copy_student(struct rc_student *d, const struct rc_student *s)
{
	memcpy(d->id, s->id, sizeof(d->id));
	strcpy(d->name, s->name);
	strcpy(d->email, s->email);
	strcpy(d->code, s->code);
	d->gender = s->gender;
	d->active = s->active;
	d->erased = s->erased;
	d->reg_day = s->reg_day;
	d->registered_at = s->registered_at;
	d->fig = s->fig;
}

/*
 * A sub-database keyed by sid, read in one sequential walk: vals[sid]
 * points into the transaction's pages (valid until it ends).  Walking
 * in key order is several times faster than a get per student.
 */
struct by_sid {
	MDB_val *vals;
	size_t n;
};

/* One empty slot per student (sids run from 1). */
static int
alloc_by_sid(rc_db *db, MDB_txn *txn, struct by_sid *t)
{
	uint32_t next;
	int rc;

	t->vals = NULL;
	t->n = 0;
	if ((rc = rm_roster_next_sid(db, txn, &next)) != RC_OK)
		return rc;
	t->n = next;
	if ((t->vals = calloc(t->n, sizeof(*t->vals))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	return RC_OK;
}

static int
load_by_sid(rc_db *db, MDB_txn *txn, int dbi, struct by_sid *t)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint32_t sid;
	int mrc, rc;

	if ((rc = alloc_by_sid(db, txn, t)) != RC_OK)
		return rc;
	if ((mrc = mdb_cursor_open(txn, db->dbi[dbi], &cur)) != 0)
		return store_lmdb_fail(db, mrc, store_db_name(dbi));
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 4 || (sid = get_u32(k.mv_data)) >= t->n) {
			rc = store_fail(db, RC_ESYS, "%s has a damaged key",
			    store_db_name(dbi));
			break;
		}
		t->vals[sid] = v;
	}
	mdb_cursor_close(cur);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, store_db_name(dbi));
}

/*
 * Walk the roster in name order, calling fn for each student (sid and
 * record, valid during the call).  fn returns an RC code; non-OK stops.
 */
typedef int (*student_fn)(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r, void *ctx);

static int
each_by_name(rc_db *db, MDB_txn *txn, student_fn fn, void *ctx)
{
	struct roster_rec r;
	struct by_sid roster;
	MDB_cursor *cur;
	MDB_val k, v;
	uint32_t sid;
	int rc, mrc;

	if ((rc = load_by_sid(db, txn, DB_ROSTER, &roster)) != RC_OK) {
		free(roster.vals);
		return rc;
	}
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_NAMES], &cur)) != 0) {
		free(roster.vals);
		return store_lmdb_fail(db, mrc, "names");
	}
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (v.mv_size != 4 || (sid = get_u32(v.mv_data)) >= roster.n ||
		    roster_decode(roster.vals[sid].mv_data,
		    roster.vals[sid].mv_size, &r) != 0) {
			rc = store_fail(db, RC_ESYS, "the roster is damaged");
			break;
		}
		if ((rc = fn(db, txn, sid, &r, ctx)) != RC_OK)
			break;
	}
	mdb_cursor_close(cur);
	free(roster.vals);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "names");
}

struct students_ctx {
	int all, pass;
	struct by_sid points;
	struct rc_student row;		/* the one being handed out */
	rc_student_fn fn;
	void *arg;
};

static int
each_student(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r, void *arg)
{
	struct students_ctx *c = arg;
	struct rc_student *s = &c->row;
	MDB_val *v = &c->points.vals[sid];

	(void)txn;
	if (!r->active && !c->all)
		return RC_OK;
	fill_student(s, r);
	memset(&s->fig, 0, sizeof(s->fig));
	if (v->mv_data && points_decode(v->mv_data, v->mv_size, &s->fig) != 0)
		return store_fail(db, RC_ESYS, "the points of a student are "
		    "damaged");
	return c->fn(c->arg, c->pass, s);
}

int
query_students_each(rc_db *db, int include_removed, int passes,
    rc_student_fn fn, void *arg)
{
	struct students_ctx *c;
	MDB_txn *txn;
	int rc;

	/* one row, reused: its text fields are most of a page */
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	c->all = include_removed;
	c->fn = fn;
	c->arg = arg;
	if ((rc = store_read_begin(db, &txn)) != RC_OK) {
		free(c);
		return rc;
	}
	rc = load_by_sid(db, txn, DB_POINTS, &c->points);
	for (c->pass = 0; c->pass < passes && rc == RC_OK; c->pass++)
		rc = each_by_name(db, txn, each_student, c);
	mdb_txn_abort(txn);
	free(c->points.vals);
	free(c);
	return rc;
}

struct student_rows {
	rc_db *db;
	struct rc_student *rows;
	size_t n, cap;
};

static int
keep_student(void *arg, int pass, const struct rc_student *s)
{
	struct student_rows *a = arg;

	(void)pass;
	if (reserve((void **)&a->rows, a->n, &a->cap, sizeof(*a->rows)) != 0)
		return store_fail(a->db, RC_ESYS, "out of memory");
	copy_student(&a->rows[a->n++], s);
	return RC_OK;
}

int
query_students(rc_db *db, int include_removed, struct rc_student **rows,
    size_t *n)
{
	struct student_rows a = { db, NULL, 0, 0 };
	MDB_stat st;
	MDB_txn *txn;
	int rc;

	/*
	 * The rows at once, as many as names (a hint: grown if more come):
	 * grown by doubling, 10,000 rows (8 MB) were copied four times over.
	 * Not faulted in ahead: after the first, malloc finds them in its
	 * heap, and populating them again each time cost a third of the
	 * query.
	 */
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = mdb_stat(txn, db->dbi[DB_NAMES], &st)) != 0) {
		mdb_txn_abort(txn);
		return store_lmdb_fail(db, rc, "names");
	}
	mdb_txn_abort(txn);
	if (st.ms_entries > 0 &&
	    (a.rows = malloc(st.ms_entries * sizeof(*a.rows))) != NULL)
		a.cap = st.ms_entries;
	rc = query_students_each(db, include_removed, 1, keep_student, &a);
	if (rc != RC_OK) {
		free(a.rows);
		a.rows = NULL;
		a.n = 0;
	}
	*rows = a.rows;
	*n = a.n;
	return rc;
}

/*
 * A student's excused days, read in one walk: a get per late day cost
 * half of a student's record (46 descents of the excuses tree).
 */
struct excused {
	struct {
		int32_t day;
		uint8_t code;
	} *v;
	size_t n, cap, at;	/* at: the first not before the day looked up */
	int oom;
};

static int
keep_excused(void *ctx, int32_t day, uint8_t code)
{
	struct excused *x = ctx;

	if (reserve((void **)&x->v, x->n, &x->cap, sizeof(*x->v)) != 0)
		return x->oom = 1;
	x->v[x->n].day = day;
	x->v[x->n++].code = code;
	return 0;
}

/* The excuse code of day (0: none); days are asked in order. */
static uint8_t
excused_on(struct excused *x, int32_t day)
{
	while (x->at < x->n && x->v[x->at].day < day)
		x->at++;
	return x->at < x->n && x->v[x->at].day == day ? x->v[x->at].code : 0;
}

/* Append the entries of one attendance value (one day) to *att. */
static int
add_day(rc_db *db, int32_t day, const MDB_val *v, struct excused *x,
    struct rc_attendance **att, size_t *n, size_t *cap)
{
	struct att_entry e;
	struct rc_attendance *a;
	size_t i;

	for (i = 0; i < v->mv_size / ENTRY_LEN; i++) {
		if (entry_decode(v->mv_data, v->mv_size, i, &e) != 0)
			return store_fail(db, RC_ESYS,
			    "an attendance record is damaged");
		if (reserve((void **)att, *n, cap, sizeof(**att)) != 0)
			return store_fail(db, RC_ESYS, "out of memory");
		a = &(*att)[(*n)++];
		a->day = day;
		a->arrived = e.arrived;
		a->status = e.status;
		a->voided = e.voided;
		a->seq = e.seq;
		if (!e.voided)
			rm_excuses_net_code(&e, excused_on(x, day));
		a->points = e.points;
	}
	return RC_OK;
}

static int
attendance_of(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct rc_attendance **att, size_t *n)
{
	struct excused x;
	uint8_t key[8];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t cap = 0;
	int rc = RC_OK, mrc;

	memset(&x, 0, sizeof(x));
	if ((rc = rm_excuses_walk(db, txn, sid, 0, INT32_MAX, keep_excused,
	    &x)) != RC_OK || x.oom) {
		free(x.v);
		return x.oom ? store_fail(db, RC_ESYS, "out of memory") : rc;
	}
	put_u32(key, sid);
	put_u32(key + 4, 0);
	k.mv_size = 8;
	k.mv_data = key;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ATTENDANCE], &cur)) != 0) {
		free(x.v);
		return store_lmdb_fail(db, mrc, "attendance");
	}
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || get_u32(k.mv_data) != sid)
			break;
		rc = add_day(db, (int32_t)get_u32((uint8_t *)k.mv_data + 4),
		    &v, &x, att, n, &cap);
		if (rc != RC_OK)
			break;
	}
	mdb_cursor_close(cur);
	free(x.v);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "attendance");
}

int
query_student(rc_db *db, const char *key, struct rc_student *st,
    struct rc_attendance **att, size_t *natt)
{
	struct roster_rec r;
	MDB_txn *txn;
	uint32_t sid;
	int rc;

	*att = NULL;
	*natt = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = rm_roster_find(db, txn, key, &sid, &r)) == RC_OK) {
		fill_student(st, &r);
		rc = rm_figures_get(db, txn, sid, &st->fig);
	}
	if (rc == RC_OK)
		rc = attendance_of(db, txn, sid, att, natt);
	mdb_txn_abort(txn);
	if (rc != RC_OK) {
		free(*att);
		*att = NULL;
		*natt = 0;
	}
	return rc;
}

/* An absent student, kept in name order while the present go out. */
struct day_absent {
	uint32_t sid;
	uint8_t excuse;
};

struct day_ctx {
	rc_db *db;
	int32_t day;
	int school;			/* the day is a school day */
	struct att_entry *valid;	/* by sid; status 0: none that day */
	size_t nsid;
	int pass;
	struct day_absent *absent;	/* found on the first pass */
	size_t na, capa;
	struct rc_present p;		/* the row being handed out */
	struct rc_absent a;
	rc_day_fn fn;
	void *arg;
};

static int
put_present(rc_db *db, MDB_txn *txn, struct day_ctx *c, uint32_t sid,
    const struct roster_rec *r, const struct att_entry *e)
{
	struct rc_present *p = &c->p;
	struct att_entry net = *e;
	uint8_t code;
	int rc, found;

	p->left = 0;
	if ((rc = rm_excuses_get(db, txn, sid, c->day, &code)) != RC_OK ||
	    (rc = rm_departures_get(db, txn, sid, c->day, &found, &p->left,
	    NULL, 0)) != RC_OK)
		return rc;
	rm_excuses_net_code(&net, code);
	event_id_text(r->id, p->id);
	copy_text(p->name, &r->name);
	copy_text(p->code, &r->code);
	p->arrived = e->arrived;
	p->status = e->status;
	p->points = net.points;
	p->excused = code != 0;
	p->has_left = (uint8_t)found;
	return c->fn(c->arg, c->pass, p, NULL);
}

static int
note_absent(rc_db *db, MDB_txn *txn, struct day_ctx *c, uint32_t sid)
{
	uint8_t code;
	int rc;

	if ((rc = rm_excuses_get(db, txn, sid, c->day, &code)) != RC_OK)
		return rc;
	if (reserve((void **)&c->absent, c->na, &c->capa,
	    sizeof(*c->absent)) != 0)
		return store_fail(db, RC_ESYS, "out of memory");
	c->absent[c->na].sid = sid;
	c->absent[c->na++].excuse = code;
	return RC_OK;
}

/* The absent after the present, in the name order they were found in. */
static int
put_absent(rc_db *db, MDB_txn *txn, struct day_ctx *c)
{
	struct rc_absent *a = &c->a;
	struct roster_rec r;
	size_t i;
	int rc = RC_OK;

	for (i = 0; i < c->na && rc == RC_OK; i++) {
		if ((rc = rm_roster_get(db, txn, c->absent[i].sid, &r)) != RC_OK)
			break;
		event_id_text(r.id, a->id);
		copy_text(a->name, &r.name);
		a->excuse = c->absent[i].excuse;
		copy_text(a->code, &r.code);
		rc = c->fn(c->arg, c->pass, NULL, a);
	}
	return rc;
}

/* Whether sid was enrolled on the day (SPEC 6). */
static int
enrolled_on(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day, int *yes)
{
	struct cal_period p[RM_PERIODS_MAX];
	size_t n;
	int rc;

	*yes = 0;
	if ((rc = rm_enrolment_get(db, txn, sid, p, &n)) != RC_OK || n == 0)
		return rc;
	/* Only a day before registration needs the first check-in. */
	if (day < p[0].start &&
	    (rc = rm_enrolment_periods(db, txn, sid, p, &n)) != RC_OK)
		return rc;
	*yes = cal_enrolled(p, n, day);
	return RC_OK;
}

static int
day_student(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r, void *arg)
{
	struct day_ctx *c = arg;
	int rc, yes;

	if (sid < c->nsid && c->valid[sid].status != 0)
		return put_present(db, txn, c, sid, r, &c->valid[sid]);
	if (!c->school || c->pass > 0)
		return RC_OK;	/* the absent are found once */
	if ((rc = enrolled_on(db, txn, sid, c->day, &yes)) != RC_OK)
		return rc;
	return yes ? note_absent(db, txn, c, sid) : RC_OK;
}

/* Whether the day is a school day: school-days, the term, not closed. */
static int
school_day(rc_db *db, MDB_txn *txn, int32_t day, int *yes)
{
	struct cal_settings s;
	int32_t *closed = NULL;
	size_t n = 0;
	int rc;

	if ((rc = rm_calendar_settings(db, txn, &s)) != RC_OK ||
	    (rc = rm_calendar_closed_days(db, txn, day, day, &closed,
	    &n)) != RC_OK)
		return rc;
	free(closed);
	*yes = cal_regular_day(&s, day) && n == 0;
	return RC_OK;
}

/* A counted check-in of the day, by sid (rm_daymarks_each). */
static int
keep_mark(void *arg, uint32_t sid, const struct att_entry *e)
{
	struct day_ctx *c = arg;

	if (sid >= c->nsid)
		return store_fail(c->db, RC_ESYS, "the day index is damaged "
		    "(a student the roster does not have)");
	c->valid[sid] = *e;
	return RC_OK;
}

/* The day's counted check-ins: one range of the day index. */
static int
load_day(rc_db *db, MDB_txn *txn, struct day_ctx *c)
{
	uint32_t next;
	int rc;

	if ((rc = rm_roster_next_sid(db, txn, &next)) != RC_OK)
		return rc;
	c->nsid = next;
	c->db = db;
	if ((c->valid = calloc(c->nsid ? c->nsid : 1,
	    sizeof(*c->valid))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	return rm_daymarks_each(db, txn, c->day, keep_mark, c);
}

int
query_day_each(rc_db *db, int32_t day, int passes, rc_day_fn fn, void *arg)
{
	struct day_ctx *c;
	MDB_txn *txn;
	int rc;

	/* its two rows, reused, are most of a page */
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	c->day = day;
	c->fn = fn;
	c->arg = arg;
	if ((rc = store_read_begin(db, &txn)) != RC_OK) {
		free(c);
		return rc;
	}
	if ((rc = school_day(db, txn, day, &c->school)) == RC_OK)
		rc = load_day(db, txn, c);
	for (c->pass = 0; c->pass < passes && rc == RC_OK; c->pass++)
		if ((rc = each_by_name(db, txn, day_student, c)) == RC_OK)
			rc = put_absent(db, txn, c);
	mdb_txn_abort(txn);
	free(c->valid);
	free(c->absent);
	free(c);
	return rc;
}

struct day_rows {
	rc_db *db;
	struct rc_present *present;
	size_t np, capp;
	struct rc_absent *absent;
	size_t na, capa;
};

static int
keep_day_row(void *arg, int pass, const struct rc_present *p,
    const struct rc_absent *a)
{
	struct day_rows *d = arg;

	(void)pass;
	if (p != NULL) {
		if (reserve((void **)&d->present, d->np, &d->capp,
		    sizeof(*d->present)) != 0)
			return store_fail(d->db, RC_ESYS, "out of memory");
		d->present[d->np++] = *p;
		return RC_OK;
	}
	if (reserve((void **)&d->absent, d->na, &d->capa,
	    sizeof(*d->absent)) != 0)
		return store_fail(d->db, RC_ESYS, "out of memory");
	d->absent[d->na++] = *a;
	return RC_OK;
}

int
query_day(rc_db *db, int32_t day, struct rc_present **present,
    size_t *npresent, struct rc_absent **absent, size_t *nabsent)
{
	struct day_rows d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.db = db;
	if ((rc = query_day_each(db, day, 1, keep_day_row, &d)) != RC_OK) {
		free(d.present);
		free(d.absent);
		memset(&d, 0, sizeof(d));
	}
	*present = d.present;
	*npresent = d.np;
	*absent = d.absent;
	*nabsent = d.na;
	return rc;
}

/* The marks of the students with a valid check-in, from the roster. */
static int
marks_of(rc_db *db, MDB_txn *txn, const struct day_ctx *c,
    struct rc_mark *marks, size_t *n)
{
	struct roster_rec r;
	struct by_sid roster;
	size_t sid;
	int rc;

	if ((rc = load_by_sid(db, txn, DB_ROSTER, &roster)) != RC_OK) {
		free(roster.vals);
		return rc;
	}
	for (sid = 1; sid < c->nsid && sid < roster.n; sid++) {
		if (c->valid[sid].status == 0)
			continue;
		if (roster_decode(roster.vals[sid].mv_data,
		    roster.vals[sid].mv_size, &r) != 0) {
			rc = store_fail(db, RC_ESYS, "the roster is damaged");
			break;
		}
		event_id_text(r.id, marks[*n].id);
		marks[*n].arrived = c->valid[sid].arrived;
		marks[(*n)++].status = c->valid[sid].status;
	}
	free(roster.vals);
	return rc;
}

int
query_marks(rc_db *db, int32_t day, struct rc_mark **marks, size_t *n)
{
	struct day_ctx c;
	MDB_txn *txn;
	int rc;

	memset(&c, 0, sizeof(c));
	c.day = day;
	*marks = NULL;
	*n = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = load_day(db, txn, &c);
	if (rc == RC_OK &&
	    (*marks = calloc(c.nsid ? c.nsid : 1, sizeof(**marks))) == NULL)
		rc = store_fail(db, RC_ESYS, "out of memory");
	if (rc == RC_OK)
		rc = marks_of(db, txn, &c, *marks, n);
	mdb_txn_abort(txn);
	free(c.valid);
	if (rc != RC_OK) {
		free(*marks);
		*marks = NULL;
		*n = 0;
	}
	return rc;
}

int
query_events(rc_db *db, uint64_t from, uint64_t limit, rc_event_fn fn,
    void *ctx)
{
	struct rc_event ev;
	const char *why;
	char reason[sizeof(db->err)];
	uint8_t key[8], opened[SEAL_PLAIN_MAX], hash[EVENT_HASH_LEN];
	uint64_t count = 0, walked = 0, head, total;
	struct store_map_walk walk;
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	int rc, mrc, ok, failed = RC_OK;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = store_head(db, txn, &head, hash)) != RC_OK) {
		mdb_txn_abort(txn);
		return rc;
	}
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_EVENTS], &cur)) != 0) {
		mdb_txn_abort(txn);
		return store_lmdb_fail(db, mrc, "cannot read the log");
	}
	/* How long the walk is, so that the map's account can tell whether
	 * all of it fits (store_map_trim). */
	total = head >= from ? head - (from ? from : 1) + 1 : 0;
	if (limit && limit < total)
		total = limit;
	store_map_mark(db, &walk);
	put_u64(key, from);
	k.mv_size = 8;
	k.mv_data = key;
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (limit && count++ == limit)
			break;
		why = NULL;
		ok = event_decode(v.mv_data, v.mv_size, &ev, &why) == 0;
		/* Shown opened, or erased; a lost key is shown as damage. */
		if (ok && (rc = keys_open(db, txn, &ev, opened)) != RC_OK) {
			if (rc != RC_REFUSED) {
				failed = rc;
				break;
			}
			rc = RC_OK;
			snprintf(reason, sizeof(reason), "%s", db->err);
			why = reason;
			ok = 0;
		}
		if (!ok && event_decode_header(v.mv_data, v.mv_size, &ev,
		    &why) != 0) {
			memset(&ev, 0, sizeof(ev));
			if (k.mv_size == 8)
				ev.seq = get_u64(k.mv_data);
		}
		if (fn(ctx, &ev, ok, why) != 0)
			break;
		if (++walked % 1024 == 0)
			store_map_trim(db, &walk, v.mv_data, (size_t)walked,
			    (size_t)total);
	}
	store_map_done(db, &walk);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (failed != RC_OK)
		return failed;
	return store_walk_end(db, mrc, "cannot read the log");
}

static uint64_t
file_size(const char *dir)
{
	char file[PATH_MAX + 16];
	struct stat st;

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	return stat(file, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static int
entries(rc_db *db, MDB_txn *txn, int i, size_t *n)
{
	MDB_stat st;
	int rc;

	if ((rc = mdb_stat(txn, db->dbi[i], &st)) != 0)
		return store_lmdb_fail(db, rc, store_db_name(i));
	*n = st.ms_entries;
	return RC_OK;
}

/*
 * Active students: the ids index holds every student with an active
 * byte, and (SPEC 8) a student may be in neither the emails nor the
 * codes index alone, so neither counts them.
 */
static int
count_active(rc_db *db, MDB_txn *txn, size_t *n)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int mrc;

	*n = 0;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_IDS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "ids");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if (v.mv_size == 5 && ((const uint8_t *)v.mv_data)[4] == 1)
			(*n)++;
	mdb_cursor_close(cur);
	return store_walk_end(db, mrc, "ids");
}

/* Published position and replica mark (SPEC 9), beside the checkpoint. */
static int
shipping(rc_db *db, MDB_txn *txn, struct rc_status *st)
{
	uint8_t buf[RC_ID_LEN];
	size_t len;
	int rc, found;

	rc = store_meta_get(db, txn, META_PUBLISHED, buf, sizeof(buf), &len,
	    &st->published_known);
	if (rc != RC_OK)
		return rc;
	if (st->published_known && len == 8)
		st->published = get_u64(buf);
	rc = store_meta_get(db, txn, META_REPLICA_OF, buf, sizeof(buf), &len,
	    &found);
	if (rc == RC_OK && found && len == RC_ID_LEN)
		event_id_text(buf, st->replica_of);
	return rc;
}

int
query_status(rc_db *db, struct rc_status *st)
{
	uint8_t hash[EVENT_HASH_LEN];
	uint32_t format = READ_FORMAT;
	MDB_txn *txn;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = store_head(db, txn, &st->head, hash)) == RC_OK &&
	    (rc = rs_checkpoint(db, txn, &st->checkpoint, hash,
	    &format)) == RC_OK &&
	    (rc = rm_policy_get(db, txn, &st->policy)) == RC_OK &&
	    (rc = count_active(db, txn, &st->students)) == RC_OK &&
	    (rc = entries(db, txn, DB_ROSTER, &st->students_all)) == RC_OK &&
	    (rc = entries(db, txn, DB_ERRORS, &st->errors)) == RC_OK)
		rc = shipping(db, txn, st);
	mdb_txn_abort(txn);
	/* Another build's read side counts for nothing until replayed. */
	if (format != READ_FORMAT)
		st->checkpoint = 0;
	st->db_bytes = file_size(db->path);
	st->schema = EVENT_SCHEMA;
	if (rc == RC_OK)
		rc = db_origin(db, st->origin);
	return rc;
}

int
query_errors(rc_db *db, struct rc_proj_error **rows, size_t *n)
{
	struct rc_proj_error *e;
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	size_t cap = 0, len;
	int rc = RC_OK, mrc;

	*rows = NULL;
	*n = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ERRORS], &cur)) != 0) {
		mdb_txn_abort(txn);
		return store_lmdb_fail(db, mrc, "errors");
	}
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (reserve((void **)rows, *n, &cap, sizeof(**rows)) != 0) {
			rc = store_fail(db, RC_ESYS, "out of memory");
			break;
		}
		e = &(*rows)[(*n)++];
		e->seq = k.mv_size == 8 ? get_u64(k.mv_data) : 0;
		len = v.mv_size < sizeof(e->reason) - 1 ? v.mv_size :
		    sizeof(e->reason) - 1;
		memcpy(e->reason, v.mv_data, len);
		e->reason[len] = 0;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "errors");
}

int
query_policy(rc_db *db, struct rc_policy *p)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_policy_get(db, txn, p);
	mdb_txn_abort(txn);
	return rc;
}

int
query_quiet(rc_db *db, int *on)
{
	MDB_txn *txn;
	int rc;

	*on = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_desk_quiet(db, txn, on);
	mdb_txn_abort(txn);
	return rc;
}

int
query_collation(rc_db *db, char *tag)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_collation_get(db, txn, tag);
	mdb_txn_abort(txn);
	return rc;
}

int
query_pin_set(rc_db *db, int *set)
{
	char hash[RC_PIN_HASH_MAX + 1];
	MDB_txn *txn;
	int rc;

	*set = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_pin_get(db, txn, hash, sizeof(hash), set);
	mdb_txn_abort(txn);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}
