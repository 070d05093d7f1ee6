/*
 * rm_pin.c - the admin PIN read model (SPEC 8): meta "pin" holds the
 * Argon2id string of the PIN in force, absent when there is none.
 */
#include <string.h>

#include "rm_pin.h"

#define PIN_KEY "pin"

int
rm_pin_get(rc_db *db, MDB_txn *txn, char *out, size_t cap, int *set)
{
	MDB_val v;
	int rc, found;

	*set = 0;
	out[0] = 0;
	if ((rc = rs_get(db, txn, DB_META, PIN_KEY, sizeof(PIN_KEY) - 1, &v,
	    &found)) != RC_OK)
		return rc;
	if (!found)
		return RC_OK;
	if (v.mv_size == 0 || v.mv_size >= cap)
		return store_fail(db, RC_ESYS, "the stored PIN is damaged");
	memcpy(out, v.mv_data, v.mv_size);
	out[v.mv_size] = 0;
	*set = 1;
	return RC_OK;
}

static int
pin_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	(void)step;
	if (ev->type == EV_ADMIN_PIN_CLEARED)
		return rs_del(db, txn, DB_META, PIN_KEY, sizeof(PIN_KEY) - 1);
	if (ev->type != EV_ADMIN_PIN_SET)
		return RC_OK;
	return rs_put(db, txn, DB_META, PIN_KEY, sizeof(PIN_KEY) - 1,
	    ev->u.pin.hash.s, ev->u.pin.hash.len);
}

const struct read_model rm_pin = {
	.name = "pin",
	.apply = pin_apply,
};
