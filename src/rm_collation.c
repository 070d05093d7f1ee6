/*
 * rm_collation.c - the name order's read model: meta "collation" (the
 * tag of config_changed key 7; absent while it is the default, root, so
 * a replay writes exactly the same keys) and meta "names-icu" (the ICU
 * version that made the name index's keys).
 *
 * A change of collation re-keys the whole name index in the event's own
 * transaction: the roster (after this model in the projector's order)
 * does that, asking rm_collation_get() for the new tag.
 */
#include <string.h>

#include "rm_collation.h"

int
rm_collation_get(rc_db *db, MDB_txn *txn, char *tag)
{
	MDB_val v;
	int rc, found;

	rc = rs_get(db, txn, DB_META, COLLATION_KEY,
	    sizeof(COLLATION_KEY) - 1, &v, &found);
	if (rc != RC_OK)
		return rc;
	if (!found) {
		memcpy(tag, COLLATE_DEFAULT, sizeof(COLLATE_DEFAULT));
		return RC_OK;
	}
	if (v.mv_size == 0 || v.mv_size > COLLATE_TAG_MAX)
		return store_fail(db, RC_ESYS, "the stored collation is "
		    "damaged");
	memcpy(tag, v.mv_data, v.mv_size);
	tag[v.mv_size] = 0;
	return RC_OK;
}

/*
 * "names-icu" is there exactly when the name index holds a key, so that
 * an empty read side (a database not made yet, a replay's start) is the
 * same whoever made it.
 */
static int
names_empty(rc_db *db, MDB_txn *txn, int *empty)
{
	MDB_stat st;
	int mrc;

	if ((mrc = mdb_stat(txn, db->dbi[DB_NAMES], &st)) != 0)
		return store_lmdb_fail(db, mrc, "names");
	*empty = st.ms_entries == 0;
	return RC_OK;
}

/* *current: "names-icu" is this build's ICU, or absent beside no names. */
static int
marked(rc_db *db, MDB_txn *txn, int *current, int *found)
{
	const char *want = collate_version();
	MDB_val v;
	int rc;

	rc = rs_get(db, txn, DB_META, NAMES_ICU_KEY, sizeof(NAMES_ICU_KEY) - 1,
	    &v, found);
	*current = rc == RC_OK && *found && v.mv_size == strlen(want) &&
	    memcmp(v.mv_data, want, v.mv_size) == 0;
	return rc;
}

int
rm_collation_current(rc_db *db, MDB_txn *txn, int *current)
{
	int rc, found;

	if ((rc = marked(db, txn, current, &found)) != RC_OK || found)
		return rc;
	return names_empty(db, txn, current);
}

int
rm_collation_mark_current(rc_db *db, MDB_txn *txn)
{
	const char *v = collate_version();
	int rc, current, found, empty = 0;

	if ((rc = marked(db, txn, &current, &found)) != RC_OK || current ||
	    (rc = names_empty(db, txn, &empty)) != RC_OK)
		return rc;
	if (empty)
		return rs_del(db, txn, DB_META, NAMES_ICU_KEY,
		    sizeof(NAMES_ICU_KEY) - 1);
	return rs_put(db, txn, DB_META, NAMES_ICU_KEY,
	    sizeof(NAMES_ICU_KEY) - 1, v, strlen(v));
}

static int
collation_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	const struct rc_text *t = &ev->u.cfg.text;

	(void)step;
	if (ev->type != EV_CONFIG_CHANGED || ev->u.cfg.key != CFG_COLLATION)
		return RC_OK;
	if (t->len == strlen(COLLATE_DEFAULT) &&
	    memcmp(t->s, COLLATE_DEFAULT, t->len) == 0)
		return rs_del(db, txn, DB_META, COLLATION_KEY,
		    sizeof(COLLATION_KEY) - 1);
	return rs_put(db, txn, DB_META, COLLATION_KEY,
	    sizeof(COLLATION_KEY) - 1, t->s, t->len);
}

const struct read_model rm_collation = {
	.name = "collation",
	.apply = collation_apply,
};
