/*
 * rm_backup.c - the backup settings' read model: meta "backup-dir" (the
 * text; absent when unset, so a replay writes exactly the same keys) and
 * "backup-keep" (u32), from config_changed events.
 */
#include <string.h>

#include "bytes.h"
#include "rm_backup.h"

int
rm_backup_get(rc_db *db, MDB_txn *txn, char *dir, size_t dirlen,
    unsigned *keep)
{
	MDB_val v;
	int rc, found;

	dir[0] = 0;
	*keep = RM_BACKUP_KEEP_DEFAULT;
	rc = rs_get(db, txn, DB_META, BACKUP_DIR_KEY,
	    sizeof(BACKUP_DIR_KEY) - 1, &v, &found);
	if (rc != RC_OK)
		return rc;
	if (found) {
		if (v.mv_size >= dirlen)
			return store_fail(db, RC_ESYS,
			    "the stored backup-dir is damaged");
		memcpy(dir, v.mv_data, v.mv_size);
		dir[v.mv_size] = 0;
	}
	rc = rs_get(db, txn, DB_META, BACKUP_KEEP_KEY,
	    sizeof(BACKUP_KEEP_KEY) - 1, &v, &found);
	if (rc != RC_OK)
		return rc;
	if (found) {
		if (v.mv_size != 4)
			return store_fail(db, RC_ESYS,
			    "the stored backup-keep is damaged");
		*keep = get_u32(v.mv_data);
	}
	return RC_OK;
}

static int
backup_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	uint8_t num[4];

	(void)step;
	if (ev->type != EV_CONFIG_CHANGED)
		return RC_OK;
	if (ev->u.cfg.key == CFG_BACKUP_KEEP) {
		put_u32(num, ev->u.cfg.value);
		return rs_put(db, txn, DB_META, BACKUP_KEEP_KEY,
		    sizeof(BACKUP_KEEP_KEY) - 1, num, sizeof(num));
	}
	if (ev->u.cfg.key != CFG_BACKUP_DIR)
		return RC_OK;
	if (ev->u.cfg.text.len == 0)
		return rs_del(db, txn, DB_META, BACKUP_DIR_KEY,
		    sizeof(BACKUP_DIR_KEY) - 1);
	return rs_put(db, txn, DB_META, BACKUP_DIR_KEY,
	    sizeof(BACKUP_DIR_KEY) - 1, ev->u.cfg.text.s, ev->u.cfg.text.len);
}

const struct read_model rm_backup = {
	.name = "backup",
	.apply = backup_apply,
};
