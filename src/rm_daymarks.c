/*
 * rm_daymarks.c - the day index (a read model):
 * daymarks  u32 day -> u32 sid | u32 arrived << 13 | status << 11 |
 *           points + 1024, one sorted duplicate (MDB_DUPSORT |
 *           MDB_DUPFIXED, 8 bytes) per counted check-in of the day.
 *
 * Attendance is keyed by student and day, so a day read there touches
 * one leaf per student: on the school year, 2,000 lookups in 2,000
 * leaves, which cost a `day` process three times a `student` one.  Here
 * a day's marks are a few adjacent pages.  The attendance model says
 * which check-in starts or stops counting (proj_step); this one follows.
 *
 * In bulk (a replay, an import, a replica's catch-up) the changes are
 * collected in memory and written at the end in (day, sid) order, each
 * day's run with one MDB_MULTIPLE put.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "radix.h"
#include "rm_daymarks.h"
#include "rm_days.h"

#define MARK_LEN 8
#define POINTS_BIAS 1024	/* |points| <= 1000 (event.c) */

/* Pending changes: key day << 32 | sid, val the mark << 1 | counts. */
struct daymarks_mem {
	struct radix_kv *op;
	size_t n, cap;
};

static int
mark_encode(uint32_t sid, const struct att_entry *e, uint8_t out[MARK_LEN])
{
	if (e->arrived >= 86400 || e->status > 3 ||
	    e->points < -1000 || e->points > 1000)
		return -1;
	put_u32(out, sid);
	put_u32(out + 4, e->arrived << 13 | (uint32_t)e->status << 11 |
	    (uint32_t)(e->points + POINTS_BIAS));
	return 0;
}

static int
mark_decode(const uint8_t *p, uint32_t *sid, struct att_entry *e)
{
	uint32_t v = get_u32(p + 4);

	memset(e, 0, sizeof(*e));
	*sid = get_u32(p);
	e->arrived = v >> 13;
	e->status = (uint8_t)(v >> 11 & 3);
	e->points = (int16_t)((int32_t)(v & 2047) - POINTS_BIAS);
	if (*sid == 0 || e->arrived >= 86400 || e->status < ST_EARLY ||
	    e->status > ST_LATE || e->points < -1000 || e->points > 1000)
		return -1;
	return 0;
}

static struct daymarks_mem *
mem(rc_db *db)
{
	struct rs_mem *m = rs_mem(db);

	return m ? m->daymarks : NULL;
}

static uint64_t
day_bits(int32_t day)
{
	return (uint64_t)(uint32_t)day << 32;
}

/* Position cur on sid's mark of day; *found = 0 when it has none. */
static int
find_mark(rc_db *db, MDB_cursor *cur, const uint8_t key[4], uint32_t sid,
    int *found)
{
	uint8_t probe[MARK_LEN] = { 0 };
	MDB_val k = { 4, (void *)key }, v = { MARK_LEN, probe };
	int mrc;

	*found = 0;
	put_u32(probe, sid);
	mrc = mdb_cursor_get(cur, &k, &v, MDB_GET_BOTH_RANGE);
	if (mrc == MDB_NOTFOUND)
		return RC_OK;
	if (mrc != 0)
		return store_lmdb_fail(db, mrc, "daymarks");
	*found = v.mv_size == MARK_LEN && get_u32(v.mv_data) == sid;
	return RC_OK;
}

/* Take sid's mark of day out of the tree (it must be there). */
static int
del_mark(rc_db *db, MDB_cursor *cur, int32_t day, uint32_t sid)
{
	uint8_t key[4];
	int rc, found, mrc;

	put_u32(key, (uint32_t)day);
	if ((rc = find_mark(db, cur, key, sid, &found)) != RC_OK)
		return rc;
	if (!found)
		return store_fail(db, RC_ESYS, "the day index is damaged "
		    "(no mark for a counted check-in)");
	if ((mrc = mdb_cursor_del(cur, 0)) != 0)
		return store_lmdb_fail(db, mrc, "daymarks");
	return RC_OK;
}

static int
buffer_op(rc_db *db, struct daymarks_mem *d, int32_t day, uint32_t sid,
    const uint8_t mark[MARK_LEN], int counts)
{
	struct radix_kv *q;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 4096;
		if ((q = realloc(d->op, d->cap * sizeof(*q))) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		d->op = q;
	}
	d->op[d->n].key = day_bits(day) | sid;
	d->op[d->n].val = (uint64_t)get_u32(mark + 4) << 1 | (counts != 0);
	d->n++;
	return RC_OK;
}

static int write_ops(rc_db *db, MDB_txn *txn, struct daymarks_mem *d);

static int
daymarks_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct daymarks_mem *d = mem(db);
	uint8_t key[4], mark[MARK_LEN];
	MDB_val k = { 4, key }, v = { MARK_LEN, mark };
	MDB_cursor *cur;
	int32_t day;
	int mrc, rc;

	if (ev->type == EV_ATTENDANCE_RECORDED && step->sign > 0)
		day = ev->u.att.day;
	else if (ev->type == EV_ATTENDANCE_VOIDED && step->sign < 0)
		day = ev->u.vd.day;
	else
		return RC_OK;
	if (mark_encode(step->sid, &step->entry, mark) != 0)
		return store_fail(db, RC_ESYS, "a check-in out of range "
		    "for the day index");
	if (d != NULL && d->op != NULL) {
		rc = buffer_op(db, d, day, step->sid, mark, step->sign > 0);
		/* as the attendance model's overlay, written when this full */
		if (rc == RC_OK && d->n >= rm_days_pending_limit)
			rc = write_ops(db, txn, d);
		return rc;
	}
	if (step->sign > 0) {
		put_u32(key, (uint32_t)day);
		if ((mrc = mdb_put(txn, db->dbi[DB_DAYMARKS], &k, &v, 0)) != 0)
			return store_lmdb_fail(db, mrc, "daymarks");
		return RC_OK;
	}
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_DAYMARKS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "daymarks");
	rc = del_mark(db, cur, day, step->sid);
	mdb_cursor_close(cur);
	return rc;
}

/* ---- bulk ------------------------------------------------------------- */

static int
daymarks_bulk_begin(rc_db *db, MDB_txn *txn, enum rs_bulk how)
{
	struct rs_mem *m = rs_mem(db);
	struct daymarks_mem *d;

	(void)txn;
	(void)how;
	if (m == NULL || (m->daymarks == NULL &&
	    (m->daymarks = calloc(1, sizeof(*m->daymarks))) == NULL))
		return store_fail(db, RC_ESYS, "out of memory");
	d = m->daymarks;
	d->n = 0;
	d->cap = m->bulk_expect < 4096 ? 4096 :
	    m->bulk_expect < rm_days_pending_limit ? m->bulk_expect :
	    rm_days_pending_limit;
	free(d->op);
	if ((d->op = malloc(d->cap * sizeof(*d->op))) == NULL) {
		d->cap = 0;
		return store_fail(db, RC_ESYS, "out of memory");
	}
	return RC_OK;
}

/*
 * Write one day's new marks (sorted by sid) with one put, appended when
 * they all sort after the day's stored ones: LMDB then fills each page
 * (a sorted run put in the middle splits pages in half).
 */
static int
put_run(rc_db *db, MDB_cursor *cur, uint32_t day, uint8_t *marks, size_t n)
{
	uint8_t key[4];
	MDB_val k = { 4, key }, v[2];
	unsigned flags = MDB_MULTIPLE | MDB_APPENDDUP;
	int mrc;

	if (n == 0)
		return RC_OK;
	put_u32(key, day);
	mrc = mdb_cursor_get(cur, &k, &v[0], MDB_SET);
	if (mrc == 0)
		mrc = mdb_cursor_get(cur, &k, &v[0], MDB_LAST_DUP);
	if (mrc == 0 && (v[0].mv_size != MARK_LEN ||
	    memcmp(v[0].mv_data, marks, MARK_LEN) >= 0))
		flags = MDB_MULTIPLE;
	else if (mrc != 0 && mrc != MDB_NOTFOUND)
		return store_lmdb_fail(db, mrc, "daymarks");
	k.mv_size = 4;
	k.mv_data = key;
	v[0].mv_size = MARK_LEN;
	v[0].mv_data = marks;
	v[1].mv_size = n;
	v[1].mv_data = NULL;
	if ((mrc = mdb_cursor_put(cur, &k, v, flags)) != 0)
		return store_lmdb_fail(db, mrc, "daymarks");
	return RC_OK;
}

/*
 * Fold each (day, sid)'s changes, in log order, into its last: a first
 * change that stops a check-in counting means its mark is stored (from
 * before the bulk) and goes; a last one that starts one is put.
 */
static int
write_ops(rc_db *db, MDB_txn *txn, struct daymarks_mem *d)
{
	uint8_t *run = NULL;
	size_t i, j, nrun = 0;
	uint32_t run_day = 0;
	MDB_cursor *cur;
	int mrc, rc = RC_OK;

	if (d->n == 0)
		return RC_OK;
	if (radix_sort(d->op, d->n, 0, NULL) != 0 ||
	    (run = malloc(d->n * MARK_LEN)) == NULL) {
		free(run);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_DAYMARKS], &cur)) != 0) {
		free(run);
		return store_lmdb_fail(db, mrc, "daymarks");
	}
	for (i = 0; i < d->n && rc == RC_OK; i = j) {
		uint32_t day = (uint32_t)(d->op[i].key >> 32);
		uint32_t sid = (uint32_t)d->op[i].key;

		for (j = i + 1; j < d->n && d->op[j].key == d->op[i].key; j++)
			;
		if (day != run_day) {
			rc = put_run(db, cur, run_day, run, nrun);
			run_day = day;
			nrun = 0;
		}
		if (rc == RC_OK && !(d->op[i].val & 1))
			rc = del_mark(db, cur, (int32_t)day, sid);
		if (rc == RC_OK && (d->op[j - 1].val & 1)) {
			put_u32(run + nrun * MARK_LEN, sid);
			put_u32(run + nrun * MARK_LEN + 4,
			    (uint32_t)(d->op[j - 1].val >> 1));
			nrun++;
		}
	}
	if (rc == RC_OK)
		rc = put_run(db, cur, run_day, run, nrun);
	mdb_cursor_close(cur);
	free(run);
	d->n = 0;
	return rc;
}

static int
daymarks_bulk_end(rc_db *db, MDB_txn *txn, int ok)
{
	struct daymarks_mem *d = mem(db);
	int rc = RC_OK;

	if (d == NULL)
		return RC_OK;
	if (ok)
		rc = write_ops(db, txn, d);
	free(d->op);
	d->op = NULL;
	d->n = d->cap = 0;
	return rc;
}

static void
daymarks_free(struct rs_mem *m)
{
	if (m->daymarks != NULL)
		free(m->daymarks->op);
	free(m->daymarks);
	m->daymarks = NULL;
}

const struct read_model rm_daymarks = {
	.name = "daymarks",
	.apply = daymarks_apply,
	.bulk_begin = daymarks_bulk_begin,
	.bulk_end = daymarks_bulk_end,
	.free_mem = daymarks_free,
};

/* ---- reading ---------------------------------------------------------- */

int
rm_daymarks_each(rc_db *db, MDB_txn *txn, int32_t day, rm_daymark_fn fn,
    void *arg)
{
	struct att_entry e;
	uint8_t key[4];
	MDB_val k = { 4, key }, v;
	MDB_cursor *cur;
	uint32_t sid;
	size_t i;
	int mrc, rc = RC_OK;

	put_u32(key, (uint32_t)day);
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_DAYMARKS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "daymarks");
	mrc = mdb_cursor_get(cur, &k, &v, MDB_SET);
	if (mrc == 0)
		mrc = mdb_cursor_get(cur, &k, &v, MDB_GET_MULTIPLE);
	while (mrc == 0 && rc == RC_OK) {
		if (v.mv_size % MARK_LEN != 0) {
			rc = store_fail(db, RC_ESYS, "the day index is damaged");
			break;
		}
		for (i = 0; i < v.mv_size / MARK_LEN && rc == RC_OK; i++) {
			if (mark_decode((uint8_t *)v.mv_data + i * MARK_LEN,
			    &sid, &e) != 0)
				rc = store_fail(db, RC_ESYS,
				    "the day index is damaged");
			else
				rc = fn(arg, sid, &e);
		}
		if (rc == RC_OK)
			mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_MULTIPLE);
	}
	mdb_cursor_close(cur);
	if (rc != RC_OK)
		return rc;
	return store_walk_end(db, mrc, "daymarks");
}
