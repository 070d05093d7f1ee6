/*
 * rm_daymarks.c - the day index (a read model):
 * dayindex  u32 day | u32 sid / 64 -> mark[n], n <= 64, by sid
 *           mark: u32 sid | u32 arrived << 13 | status << 11 |
 *           points + 1024
 * the counted check-ins of each day, 64 students' worth a record.
 *
 * Attendance is keyed by student and day, so a day read there touches
 * one leaf per student: on the school year, 2,000 lookups in 2,000
 * leaves, which cost a `day` process three times a `student` one.  Here
 * a day is a few adjacent leaves.  The attendance model says which
 * check-in starts or stops counting (proj_step); this one follows.
 *
 * A record of at most 512 bytes stays in its leaf, seven to a page, and
 * a check-in rewrites one.  (As LMDB duplicates, a mark each, a replay
 * spent a quarter of its time inserting them one by one, and a check-in
 * touched the day's sub-tree and the tree above it.)  In bulk (a
 * replay, an import, a replica's catch-up) the changes are collected in
 * memory and written at the end in key order, each record once.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "radix.h"
#include "rm_daymarks.h"
#include "rm_days.h"

#define MARK_LEN 8
#define CHUNK_SIDS 64		/* students a record */
#define CHUNK_MAX (CHUNK_SIDS * MARK_LEN)
#define POINTS_BIAS 1024	/* |points| <= 1000 (event.c) */

/* Pending changes: key day << 32 | sid, val the mark << 1 | counts. */
struct daymarks_mem {
	struct radix_kv *op;
	size_t n, cap;
};

static int
mark_encode(uint32_t sid, const struct att_entry *e, uint8_t out[MARK_LEN])
{
	if (e->arrived >= 86400 || e->status < ST_EARLY ||
	    e->status > ST_LATE || e->points < -1000 || e->points > 1000)
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

static void
chunk_key(uint8_t key[8], uint32_t day, uint32_t sid)
{
	put_u32(key, day);
	put_u32(key + 4, sid / CHUNK_SIDS);
}

/* Index of sid's mark in a record, or where it would go; *hit if there. */
static size_t
mark_at(const uint8_t *rec, size_t n, uint32_t sid, int *hit)
{
	size_t i;
	uint32_t s;

	*hit = 0;
	for (i = 0; i < n; i++) {
		s = get_u32(rec + i * MARK_LEN);
		if (s >= sid) {
			*hit = s == sid;
			break;
		}
	}
	return i;
}

/*
 * Whether a record read back holds what its key says: marks of its 64
 * students only, in strictly increasing sid order (so at most 64 of them:
 * the merges below then never outgrow their buffers).
 */
static int
chunk_ok(const uint8_t key[8], const void *rec, size_t len)
{
	const uint8_t *p = rec;
	uint32_t hi = get_u32(key + 4), sid, prev = 0;
	size_t i;

	if (len == 0 || len > CHUNK_MAX || len % MARK_LEN != 0)
		return 0;
	for (i = 0; i < len / MARK_LEN; i++) {
		sid = get_u32(p + i * MARK_LEN);
		if (sid / CHUNK_SIDS != hi || (i > 0 && sid <= prev))
			return 0;
		prev = sid;
	}
	return 1;
}

/* Read sid's record of day into rec (CHUNK_MAX bytes): n marks. */
static int
get_chunk(rc_db *db, MDB_txn *txn, const uint8_t key[8], uint8_t *rec,
    size_t *n)
{
	MDB_val v;
	int rc, found;

	*n = 0;
	if ((rc = rs_get(db, txn, DB_DAYMARKS, key, 8, &v, &found)) != RC_OK)
		return rc;
	if (!found)
		return RC_OK;
	if (!chunk_ok(key, v.mv_data, v.mv_size))
		return store_fail(db, RC_ESYS, "the day index is damaged");
	memcpy(rec, v.mv_data, v.mv_size);
	*n = v.mv_size / MARK_LEN;
	return RC_OK;
}

static int
put_chunk(rc_db *db, MDB_txn *txn, const uint8_t key[8], const uint8_t *rec,
    size_t n)
{
	if (n == 0)
		return rs_del(db, txn, DB_DAYMARKS, key, 8);
	return rs_put(db, txn, DB_DAYMARKS, key, 8, rec, n * MARK_LEN);
}

/* One check-in starts (mark) or stops (mark NULL) counting, in place. */
static int
change_mark(rc_db *db, MDB_txn *txn, int32_t day, uint32_t sid,
    const uint8_t *mark)
{
	uint8_t key[8], rec[CHUNK_MAX];
	size_t n, i;
	int rc, hit;

	chunk_key(key, (uint32_t)day, sid);
	if ((rc = get_chunk(db, txn, key, rec, &n)) != RC_OK)
		return rc;
	i = mark_at(rec, n, sid, &hit);
	if (hit == (mark != NULL))
		return store_fail(db, RC_ESYS, "the day index is damaged "
		    "(its marks disagree with attendance)");
	if (mark) {
		memmove(rec + (i + 1) * MARK_LEN, rec + i * MARK_LEN,
		    (n - i) * MARK_LEN);
		memcpy(rec + i * MARK_LEN, mark, MARK_LEN);
		n++;
	} else {
		memmove(rec + i * MARK_LEN, rec + (i + 1) * MARK_LEN,
		    (n - i - 1) * MARK_LEN);
		n--;
	}
	return put_chunk(db, txn, key, rec, n);
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
	uint8_t mark[MARK_LEN];
	int32_t day;
	int rc;

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
	return change_mark(db, txn, day, step->sid, step->sign > 0 ? mark :
	    NULL);
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
 * The folded changes of one record (key), in sid order: each either
 * takes a stored mark away (del) or puts one (val != 0), or both.
 */
struct change {
	uint32_t sid;
	int del;
	uint32_t val;		/* the mark's second word; 0: none */
};

/*
 * Write one record: built from the changes alone when its key sorts
 * after every stored one (a replay's and a new day's case: appended, no
 * descent), else merged into what is stored.
 */
static int
write_chunk(rc_db *db, MDB_cursor *cur, const uint8_t key[8],
    const struct change *c, size_t nc, int beyond)
{
	uint8_t rec[CHUNK_MAX], out[CHUNK_MAX];
	MDB_val k = { 8, (void *)key }, v;
	size_t n = 0, m = 0, i = 0, j;
	int mrc, rc = RC_OK;

	if (!beyond) {
		mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
		if (mrc == 0) {
			if (!chunk_ok(key, v.mv_data, v.mv_size))
				return store_fail(db, RC_ESYS,
				    "the day index is damaged");
			memcpy(rec, v.mv_data, v.mv_size);
			n = v.mv_size / MARK_LEN;
		} else if (mrc != MDB_NOTFOUND)
			return store_lmdb_fail(db, mrc, "dayindex");
	}
	for (j = 0; j < nc && rc == RC_OK; j++) {
		for (; i < n && get_u32(rec + i * MARK_LEN) < c[j].sid; i++)
			memcpy(out + m++ * MARK_LEN, rec + i * MARK_LEN,
			    MARK_LEN);
		if (i < n && get_u32(rec + i * MARK_LEN) == c[j].sid) {
			if (!c[j].del)
				rc = RC_ESYS;
			i++;
		} else if (c[j].del)
			rc = RC_ESYS;
		if (c[j].val != 0) {
			put_u32(out + m * MARK_LEN, c[j].sid);
			put_u32(out + m++ * MARK_LEN + 4, c[j].val);
		}
	}
	if (rc != RC_OK)
		return store_fail(db, RC_ESYS, "the day index is damaged "
		    "(its marks disagree with attendance)");
	for (; i < n; i++)
		memcpy(out + m++ * MARK_LEN, rec + i * MARK_LEN, MARK_LEN);
	k.mv_size = 8;
	k.mv_data = (void *)key;
	if (m == 0) {
		if (n == 0)
			return RC_OK;
		mrc = mdb_cursor_del(cur, 0);
	} else {
		v.mv_size = m * MARK_LEN;
		v.mv_data = out;
		mrc = mdb_cursor_put(cur, &k, &v, beyond ? MDB_APPEND : 0);
	}
	return mrc != 0 ? store_lmdb_fail(db, mrc, "dayindex") : RC_OK;
}

/* Write record rec_of (day << 32 | sid / 64): appended past last. */
static int
write_rec(rc_db *db, MDB_cursor *cur, uint64_t rec_of, const struct change *c,
    size_t nc, const uint8_t *last)
{
	uint8_t key[8];

	chunk_key(key, (uint32_t)(rec_of >> 32), (uint32_t)rec_of * CHUNK_SIDS);
	return write_chunk(db, cur, key, c, nc, last == NULL ||
	    memcmp(key, last, 8) > 0);
}

/*
 * Fold each (day, sid)'s changes, in log order, into its last: a first
 * change that stops a check-in counting means its mark is stored (from
 * before the bulk, or an earlier write) and goes; a last one that
 * starts one is put.  Then write each record once, in key order.
 */
static int
write_ops(rc_db *db, MDB_txn *txn, struct daymarks_mem *d)
{
	struct change c[CHUNK_SIDS];
	uint8_t last[8];
	size_t i, j, nc = 0;
	uint64_t rec_of = UINT64_MAX, r;
	MDB_cursor *cur;
	MDB_val k, v;
	int mrc, rc = RC_OK, have_last;

	if (d->n == 0)
		return RC_OK;
	if (radix_sort(d->op, d->n, 0, NULL) != 0)
		return store_fail(db, RC_ESYS, "out of memory");
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_DAYMARKS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "dayindex");
	mrc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if ((have_last = mrc == 0) && k.mv_size == 8)
		memcpy(last, k.mv_data, 8);
	else if (have_last)
		memset(last, 0xff, 8);	/* a damaged key: never append */
	for (i = 0; i < d->n && rc == RC_OK; i = j) {
		uint32_t day = (uint32_t)(d->op[i].key >> 32);
		uint32_t sid = (uint32_t)d->op[i].key;

		for (j = i + 1; j < d->n && d->op[j].key == d->op[i].key; j++)
			;
		r = (uint64_t)day << 32 | sid / CHUNK_SIDS;
		if (r != rec_of && nc > 0) {
			rc = write_rec(db, cur, rec_of, c, nc,
			    have_last ? last : NULL);
			nc = 0;
		}
		rec_of = r;
		c[nc].sid = sid;
		c[nc].del = !(d->op[i].val & 1);
		c[nc].val = d->op[j - 1].val & 1 ?
		    (uint32_t)(d->op[j - 1].val >> 1) : 0;
		if (c[nc].del || c[nc].val != 0)
			nc++;
	}
	if (rc == RC_OK && nc > 0)
		rc = write_rec(db, cur, rec_of, c, nc, have_last ? last : NULL);
	mdb_cursor_close(cur);
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
	uint8_t key[8];
	MDB_val k = { 8, key }, v;
	MDB_cursor *cur;
	uint32_t sid;
	size_t i;
	int mrc, rc = RC_OK;

	chunk_key(key, (uint32_t)day, 0);
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_DAYMARKS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "dayindex");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	    mrc == 0 && rc == RC_OK;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || get_u32(k.mv_data) != (uint32_t)day)
			break;
		if (!chunk_ok(k.mv_data, v.mv_data, v.mv_size)) {
			rc = store_fail(db, RC_ESYS, "the day index is damaged");
			break;
		}
		for (i = 0; i < v.mv_size / MARK_LEN && rc == RC_OK; i++) {
			if (mark_decode((uint8_t *)v.mv_data + i * MARK_LEN,
			    &sid, &e) != 0 || sid / CHUNK_SIDS !=
			    get_u32((uint8_t *)k.mv_data + 4))
				rc = store_fail(db, RC_ESYS,
				    "the day index is damaged");
			else
				rc = fn(arg, sid, &e);
		}
	}
	mdb_cursor_close(cur);
	if (rc != RC_OK)
		return rc;
	return store_walk_end(db, mrc, "dayindex");
}
