/*
 * rm_departures.c - the departures read model.
 *
 *   departures  u32 sid | u32 day -> u32 left | reason text (0-500)
 *
 * A departure belongs to the valid check-in of its day: voiding that
 * check-in deletes it, so a new check-in may get a new one.
 */
#include <string.h>

#include "bytes.h"
#include "rm_days.h"
#include "rm_departures.h"

static void
dep_key(uint8_t key[8], uint32_t sid, int32_t day)
{
	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)day);
}

int
rm_departures_get(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    int *found, uint32_t *left, char *reason, size_t cap)
{
	uint8_t key[8];
	MDB_val v;
	size_t n;
	int rc;

	*left = 0;
	if (reason && cap)
		reason[0] = 0;
	dep_key(key, sid, day);
	if ((rc = rs_get(db, txn, DB_DEPARTURES, key, 8, &v, found)) != RC_OK ||
	    !*found)
		return rc;
	if (v.mv_size < 4)
		return store_fail(db, RC_ESYS, "a departure is damaged");
	*left = get_u32(v.mv_data);
	if (reason && cap) {
		n = v.mv_size - 4 < cap - 1 ? v.mv_size - 4 : cap - 1;
		memcpy(reason, (uint8_t *)v.mv_data + 4, n);
		reason[n] = 0;
	}
	return RC_OK;
}

int
rm_departures_walk_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    int32_t from, int32_t to, rm_departure_fn fn, void *ctx)
{
	uint8_t key[8];
	MDB_val k, v;
	int32_t day;
	int mrc, rc = RC_OK;

	dep_key(key, sid, from < 0 ? 0 : from);
	k = rs_val(key, 8);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || v.mv_size < 4) {
			rc = store_fail(db, RC_ESYS, "a departure is damaged");
			break;
		}
		day = (int32_t)get_u32((uint8_t *)k.mv_data + 4);
		if (get_u32(k.mv_data) != sid || day > to ||
		    fn(ctx, day, get_u32(v.mv_data)) != 0)
			break;
	}
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "departures");
}

int
rm_departures_walk(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from,
    int32_t to, rm_departure_fn fn, void *ctx)
{
	MDB_cursor *cur;
	int mrc, rc;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_DEPARTURES], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "departures");
	rc = rm_departures_walk_cur(db, cur, sid, from, to, fn, ctx);
	mdb_cursor_close(cur);
	return rc;
}

static int
apply_departure(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    uint32_t sid)
{
	uint8_t key[8], val[4 + RC_REASON_MAX];
	struct att_entry e;
	uint32_t left;
	int rc, found;

	if ((rc = rm_days_valid(db, txn, sid, ev->u.dep.day, &e, &found)) !=
	    RC_OK)
		return rc;
	if (!found)
		return store_fail(db, RC_REFUSED, "no check-in that day");
	if (ev->u.dep.left < e.arrived)
		return store_fail(db, RC_REFUSED, "departure before arrival");
	if ((rc = rm_departures_get(db, txn, sid, ev->u.dep.day, &found,
	    &left, NULL, 0)) != RC_OK)
		return rc;
	if (found)
		return store_fail(db, RC_REFUSED, "already left that day");
	dep_key(key, sid, ev->u.dep.day);
	put_u32(val, ev->u.dep.left);
	memcpy(val + 4, ev->u.dep.reason.s, ev->u.dep.reason.len);
	return rs_put(db, txn, DB_DEPARTURES, key, 8, val,
	    4 + ev->u.dep.reason.len);
}

static int
departures_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	uint8_t key[8];

	if (ev->type == EV_DEPARTURE_RECORDED)
		return apply_departure(db, txn, ev, step->sid);
	if (ev->type != EV_ATTENDANCE_VOIDED)
		return RC_OK;
	dep_key(key, step->sid, ev->u.vd.day);
	return rs_del(db, txn, DB_DEPARTURES, key, 8);
}

const struct read_model rm_departures = {
	.name = "departures",
	.apply = departures_apply,
};
