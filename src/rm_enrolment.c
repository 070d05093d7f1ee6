/*
 * rm_enrolment.c - the enrolment read model.
 *
 *   enrolment  u32 sid -> n x (u32 start | u32 end), oldest first;
 *              end excluded, ffffffff while the period is open
 *
 * A period starts on the registration day (the event carries it) or the
 * local day a restore was recorded, and ends on the local day the removal was recorded.  The
 * first valid check-in, which may come before registration (history
 * imported from an earlier system), is folded in by the reader from the
 * attendance it reads anyway, so that voiding it needs nothing here.
 */
#include <string.h>

#include "bytes.h"
#include "clock.h"
#include "rm_days.h"
#include "rm_enrolment.h"

#define PERIOD_LEN 8

/* The stored periods of sid in v (found or not) into p. */
static int
periods_decode(rc_db *db, uint32_t sid, const MDB_val *v, int found,
    struct cal_period p[RM_PERIODS_MAX], size_t *n)
{
	const uint8_t *b;
	uint32_t end;
	size_t i;

	*n = 0;
	if (!found)
		return RC_OK;
	if (v->mv_size % PERIOD_LEN != 0 || v->mv_size == 0 ||
	    v->mv_size > RM_PERIODS_MAX * PERIOD_LEN)
		return store_fail(db, RC_ESYS, "the enrolment of student %u is "
		    "damaged", sid);
	b = v->mv_data;
	for (i = 0; i < v->mv_size / PERIOD_LEN; i++) {
		p[i].start = (int32_t)get_u32(b + i * PERIOD_LEN);
		end = get_u32(b + i * PERIOD_LEN + 4);
		p[i].end = end == CFG_NO_DAY ? CAL_OPEN : (int32_t)end;
	}
	*n = i;
	return RC_OK;
}

int
rm_enrolment_get(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct cal_period p[RM_PERIODS_MAX], size_t *n)
{
	uint8_t key[4];
	MDB_val v;
	int rc, found;

	*n = 0;
	put_u32(key, sid);
	if ((rc = rs_get(db, txn, DB_ENROLMENT, key, 4, &v, &found)) != RC_OK)
		return rc;
	return periods_decode(db, sid, &v, found, p, n);
}

int
rm_enrolment_get_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    struct cal_period p[RM_PERIODS_MAX], size_t *n)
{
	uint8_t key[4];
	MDB_val k, v;
	int mrc;

	*n = 0;
	put_u32(key, sid);
	k = rs_val(key, 4);
	mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	if (mrc != 0 && mrc != MDB_NOTFOUND)
		return store_lmdb_fail(db, mrc, "enrolment");
	return periods_decode(db, sid, &v, mrc == 0, p, n);
}

static int
put_periods(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct cal_period *p, size_t n)
{
	uint8_t key[4], buf[RM_PERIODS_MAX * PERIOD_LEN];
	size_t i;

	put_u32(key, sid);
	for (i = 0; i < n; i++) {
		put_u32(buf + i * PERIOD_LEN, (uint32_t)p[i].start);
		put_u32(buf + i * PERIOD_LEN + 4, p[i].end == CAL_OPEN ?
		    CFG_NO_DAY : (uint32_t)p[i].end);
	}
	return rs_put(db, txn, DB_ENROLMENT, key, 4, buf, n * PERIOD_LEN);
}

int
rm_enrolment_restore(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day)
{
	struct cal_period p[RM_PERIODS_MAX];
	size_t n;
	int rc;

	if ((rc = rm_enrolment_get(db, txn, sid, p, &n)) != RC_OK)
		return rc;
	if (n > 0 && p[n - 1].end == CAL_OPEN)
		return RC_OK;		/* never ended: nothing to start */
	if (n > 0 && p[n - 1].end >= day)
		p[n - 1].end = CAL_OPEN;	/* back the same day */
	else if (n == RM_PERIODS_MAX)
		p[n - 1].end = CAL_OPEN;
	else {
		p[n].start = day;
		p[n++].end = CAL_OPEN;
	}
	return put_periods(db, txn, sid, p, n);
}

static int
apply_removed(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day)
{
	struct cal_period p[RM_PERIODS_MAX];
	size_t n;
	int rc;

	if ((rc = rm_enrolment_get(db, txn, sid, p, &n)) != RC_OK)
		return rc;
	if (n == 0 || p[n - 1].end != CAL_OPEN)
		return RC_OK;
	p[n - 1].end = day > p[n - 1].start ? day : p[n - 1].start;
	return put_periods(db, txn, sid, p, n);
}

static int
enrolment_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct cal_period p;
	struct rc_local at;

	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		p.start = ev->u.reg.day;
		p.end = CAL_OPEN;
		return put_periods(db, txn, step->sid, &p, 1);
	case EV_STUDENT_REMOVED:
		clock_to_local(ev->recorded_at, &at);
		return apply_removed(db, txn, step->sid, at.day);
	case EV_STUDENT_RESTORED:
		clock_to_local(ev->recorded_at, &at);
		return rm_enrolment_restore(db, txn, step->sid, at.day);
	}
	return RC_OK;
}

const struct read_model rm_enrolment = {
	.name = "enrolment",
	.apply = enrolment_apply,
};

int
rm_enrolment_periods(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct cal_period p[RM_PERIODS_MAX], size_t *n)
{
	int32_t first;
	int rc;

	if ((rc = rm_enrolment_get(db, txn, sid, p, n)) != RC_OK || *n == 0)
		return rc;
	if ((rc = rm_days_first(db, txn, sid, &first)) != RC_OK)
		return rc;
	cal_first_checkin(p, *n, first);
	return RC_OK;
}
