/*
 * rm_excuses.c - the excuses read model.
 *
 *   excuses  u32 sid | u32 day -> u8 reason code | note text (0-500)
 *
 * One key per excused day, as the event named it: a later calendar
 * change moves nothing here (the report just does not count an excuse
 * on a day that is no longer a school day).
 */
#include <string.h>

#include "bytes.h"
#include "rm_days.h"
#include "rm_excuses.h"
#include "rm_figures.h"

static void
excuse_key(uint8_t key[8], uint32_t sid, int32_t day)
{
	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)day);
}

/* Whether the excuses tree is empty (its count is in the transaction). */
static int
no_excuses(rc_db *db, MDB_txn *txn, int *none)
{
	MDB_stat st;
	int rc;

	if ((rc = mdb_stat(txn, db->dbi[DB_EXCUSES], &st)) != 0)
		return store_lmdb_fail(db, rc, "excuses");
	*none = st.ms_entries == 0;
	return RC_OK;
}

int
rm_excuses_get(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    uint8_t *code)
{
	uint8_t key[8];
	MDB_val v;
	int rc, found, none = 0;

	*code = 0;
	/* Most schools excuse little: an empty tree needs no descent. */
	if ((rc = no_excuses(db, txn, &none)) != RC_OK || none)
		return rc;
	excuse_key(key, sid, day);
	if ((rc = rs_get(db, txn, DB_EXCUSES, key, 8, &v, &found)) != RC_OK)
		return rc;
	if (!found)
		return RC_OK;
	if (v.mv_size < 1 || ((uint8_t *)v.mv_data)[0] == 0)
		return store_fail(db, RC_ESYS, "an excuse is damaged");
	*code = ((uint8_t *)v.mv_data)[0];
	return RC_OK;
}

int
rm_excuses_net(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    struct att_entry *e)
{
	uint8_t code;
	int rc;

	if (e->status != ST_LATE || e->points == 0)
		return RC_OK;
	if ((rc = rm_excuses_get(db, txn, sid, day, &code)) != RC_OK)
		return rc;
	rm_excuses_net_code(e, code);
	return RC_OK;
}

void
rm_excuses_net_code(struct att_entry *e, uint8_t code)
{
	if (e->status == ST_LATE && code != 0)
		e->points = 0;
}

int
rm_excuses_walk_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    int32_t from, int32_t to, rm_excuse_fn fn, void *ctx)
{
	uint8_t key[8];
	MDB_val k, v;
	int32_t day;
	int mrc, rc = RC_OK;

	excuse_key(key, sid, from < 0 ? 0 : from);
	k = rs_val(key, 8);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || v.mv_size < 1) {
			rc = store_fail(db, RC_ESYS, "an excuse is damaged");
			break;
		}
		day = (int32_t)get_u32((uint8_t *)k.mv_data + 4);
		if (get_u32(k.mv_data) != sid || day > to ||
		    fn(ctx, day, ((uint8_t *)v.mv_data)[0]) != 0)
			break;
	}
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "excuses");
}

int
rm_excuses_walk(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from,
    int32_t to, rm_excuse_fn fn, void *ctx)
{
	MDB_cursor *cur;
	int mrc, rc;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_EXCUSES], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "excuses");
	rc = rm_excuses_walk_cur(db, cur, sid, from, to, fn, ctx);
	mdb_cursor_close(cur);
	return rc;
}

/*
 * The points a valid late check-in of (sid, day) gives back (sign -1,
 * an excuse now stands) or costs again (sign 1, withdrawn).
 */
static int
move_points(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day, int sign)
{
	struct att_entry e;
	int rc, found;

	if ((rc = rm_days_valid(db, txn, sid, day, &e, &found)) != RC_OK)
		return rc;
	if (!found || e.status != ST_LATE)
		return RC_OK;
	return rm_figures_add_points(db, txn, sid, sign * e.points);
}

static int
apply_excused(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    uint32_t sid)
{
	uint8_t key[8], val[1 + RC_REASON_MAX], code;
	int32_t d;
	int rc;

	for (d = ev->u.exc.from; d <= ev->u.exc.to; d++) {
		if (!event_names_day(ev, d))
			continue;
		if ((rc = rm_excuses_get(db, txn, sid, d, &code)) != RC_OK)
			return rc;
		if (code != 0)
			return store_fail(db, RC_REFUSED, "a day is already "
			    "excused");
	}
	val[0] = ev->u.exc.reason;
	memcpy(val + 1, ev->u.exc.note.s, ev->u.exc.note.len);
	for (d = ev->u.exc.from; d <= ev->u.exc.to; d++) {
		if (!event_names_day(ev, d))
			continue;
		excuse_key(key, sid, d);
		if ((rc = rs_put(db, txn, DB_EXCUSES, key, 8, val,
		    1 + ev->u.exc.note.len)) != RC_OK ||
		    (rc = move_points(db, txn, sid, d, -1)) != RC_OK)
			return rc;
	}
	return RC_OK;
}

static int
apply_withdrawn(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    uint32_t sid)
{
	uint8_t key[8], code;
	int32_t d;
	int rc, any = 0;

	for (d = ev->u.exc.from; d <= ev->u.exc.to && !any; d++)
		if (event_names_day(ev, d)) {
			if ((rc = rm_excuses_get(db, txn, sid, d, &code)) !=
			    RC_OK)
				return rc;
			any = code != 0;
		}
	if (!any)
		return store_fail(db, RC_REFUSED, "no excused day to withdraw");
	for (d = ev->u.exc.from; d <= ev->u.exc.to; d++) {
		if (!event_names_day(ev, d))
			continue;
		if ((rc = rm_excuses_get(db, txn, sid, d, &code)) != RC_OK)
			return rc;
		if (code == 0)
			continue;
		excuse_key(key, sid, d);
		if ((rc = rs_del(db, txn, DB_EXCUSES, key, 8)) != RC_OK ||
		    (rc = move_points(db, txn, sid, d, 1)) != RC_OK)
			return rc;
	}
	return RC_OK;
}

/*
 * A check-in starting or stopping to count (step, from the days model)
 * counts its net points for the figures model after this one.
 */
static int
excuses_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	switch (ev->type) {
	case EV_ATTENDANCE_RECORDED:
		return rm_excuses_net(db, txn, step->sid, ev->u.att.day,
		    &step->entry);
	case EV_ATTENDANCE_VOIDED:
		return rm_excuses_net(db, txn, step->sid, ev->u.vd.day,
		    &step->entry);
	case EV_ABSENCE_EXCUSED:
		return apply_excused(db, txn, ev, step->sid);
	case EV_EXCUSE_WITHDRAWN:
		return apply_withdrawn(db, txn, ev, step->sid);
	}
	return RC_OK;
}

const struct read_model rm_excuses = {
	.name = "excuses",
	.apply = excuses_apply,
};
