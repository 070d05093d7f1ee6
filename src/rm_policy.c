/*
 * rm_policy.c - the policy read model: the settings in force (meta
 * "policy"; layout in record.h), changed by config_changed events.
 */
#include "rm_policy.h"

int
rm_policy_get(rc_db *db, MDB_txn *txn, struct rc_policy *p)
{
	MDB_val v;
	int rc, found;

	rc = rs_get(db, txn, DB_META, POLICY_KEY, sizeof(POLICY_KEY) - 1, &v,
	    &found);
	if (rc != RC_OK)
		return rc;
	if (!found) {
		policy_default(p);
		return RC_OK;
	}
	if (policy_decode(v.mv_data, v.mv_size, p) != 0)
		return store_fail(db, RC_ESYS, "the stored policy is damaged");
	return RC_OK;
}

static int
policy_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct rc_policy p;
	uint8_t buf[POLICY_LEN];
	int rc;

	(void)step;
	if (ev->type != EV_CONFIG_CHANGED)
		return RC_OK;
	if ((rc = rm_policy_get(db, txn, &p)) != RC_OK)
		return rc;
	switch (ev->u.cfg.key) {
	case CFG_START_TIME:
		p.start = ev->u.cfg.value;
		break;
	case CFG_WINDOW:
		p.window = (uint16_t)ev->u.cfg.value;
		break;
	case CFG_POINTS:
		p.points = (uint16_t)ev->u.cfg.value;
		break;
	case CFG_SCHOOL_DAYS:
	case CFG_TERM_START:
	case CFG_TERM_END:
		return RC_OK;	/* the calendar's (rm_calendar.c) */
	case CFG_BACKUP_DIR:
	case CFG_BACKUP_KEEP:
		return RC_OK;	/* the backup settings' (rm_backup.c) */
	case CFG_QUIET:
		return RC_OK;	/* the desk's (rm_desk.c) */
	case CFG_COLLATION:
		return RC_OK;	/* the name order's (rm_collation.c) */
	default:
		return store_fail(db, RC_REFUSED, "unknown setting");
	}
	policy_encode(&p, buf);
	return rs_put(db, txn, DB_META, POLICY_KEY, sizeof(POLICY_KEY) - 1,
	    buf, POLICY_LEN);
}

const struct read_model rm_policy = {
	.name = "policy",
	.apply = policy_apply,
};
