/*
 * rm_desk.c - the desk's settings' read model: meta "quiet", present
 * only while quiet is on, so that a replay writes exactly the same keys
 * and a database that never set it needs nothing.
 */
#include "rm_desk.h"

int
rm_desk_quiet(rc_db *db, MDB_txn *txn, int *on)
{
	MDB_val v;
	int rc, found;

	*on = 0;
	rc = rs_get(db, txn, DB_META, QUIET_KEY, sizeof(QUIET_KEY) - 1, &v,
	    &found);
	if (rc != RC_OK)
		return rc;
	*on = found;
	return RC_OK;
}

static int
desk_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	(void)step;
	if (ev->type != EV_CONFIG_CHANGED || ev->u.cfg.key != CFG_QUIET)
		return RC_OK;
	if (!ev->u.cfg.value)
		return rs_del(db, txn, DB_META, QUIET_KEY,
		    sizeof(QUIET_KEY) - 1);
	return rs_put(db, txn, DB_META, QUIET_KEY, sizeof(QUIET_KEY) - 1,
	    "", 0);
}

const struct read_model rm_desk = {
	.name = "desk",
	.apply = desk_apply,
};
