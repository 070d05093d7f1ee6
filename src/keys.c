/*
 * keys.c - the students' keys, beside the log (SPEC 7): layout and rules
 * in include/keys.h.
 */
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "keys.h"

#define TOMB_LEN 8

/* Where keys are read: the handle's own, or verify's original's. */
static void
source(rc_db *db, MDB_txn *txn, rc_db **src, MDB_txn **stxn)
{
	*src = db->key_src ? db->key_src : db;
	*stxn = db->key_src ? db->key_txn : txn;
}

/* The key record of id; key (may be NULL) gets a present key's bytes. */
static int
key_get(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint8_t key[SEAL_KEY_LEN], uint64_t *tomb, enum key_state *state)
{
	MDB_val k = { RC_ID_LEN, (void *)id }, v;
	MDB_txn *stxn;
	rc_db *src;
	int rc;

	source(db, txn, &src, &stxn);
	rc = mdb_get(stxn, src->dbi[DB_KEYS], &k, &v);
	if (rc == MDB_NOTFOUND) {
		*state = KEY_MISSING;
		return RC_OK;
	}
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read the keys");
	if (v.mv_size == SEAL_KEY_LEN) {
		*state = KEY_PRESENT;
		if (key != NULL)
			memcpy(key, v.mv_data, SEAL_KEY_LEN);
	} else if (v.mv_size == TOMB_LEN) {
		*state = KEY_ERASED;
		if (tomb != NULL)
			*tomb = get_u64(v.mv_data);
	} else
		*state = KEY_DAMAGED;
	return RC_OK;
}

int
keys_state(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    enum key_state *state)
{
	return key_get(db, txn, id, NULL, NULL, state);
}

int
keys_get(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint8_t key[SEAL_KEY_LEN], enum key_state *state)
{
	return key_get(db, txn, id, key, NULL, state);
}

int
keys_put(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    const uint8_t key[SEAL_KEY_LEN])
{
	MDB_val k = { RC_ID_LEN, (void *)id }, v = { SEAL_KEY_LEN, (void *)key };
	int rc;

	if ((rc = mdb_put(txn, db->dbi[DB_KEYS], &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "cannot write the keys");
	return RC_OK;
}

int
keys_destroy(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint64_t seq)
{
	uint8_t tomb[TOMB_LEN];
	MDB_val k = { RC_ID_LEN, (void *)id }, v = { TOMB_LEN, tomb };
	int rc;

	/* A put over the key: LMDB rewrites its page, compact the rest. */
	put_u64(tomb, seq);
	if ((rc = mdb_put(txn, db->dbi[DB_KEYS], &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "cannot write the keys");
	return RC_OK;
}

/* The student's key, made now if they have none (their first seal). */
static int
key_for_sealing(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint8_t key[SEAL_KEY_LEN])
{
	MDB_val k = { RC_ID_LEN, (void *)id }, v = { SEAL_KEY_LEN, key };
	enum key_state state;
	int rc;

	if ((rc = key_get(db, txn, id, key, NULL, &state)) != RC_OK)
		return rc;
	if (state == KEY_PRESENT)
		return RC_OK;
	if (state == KEY_ERASED)
		return store_fail(db, RC_REFUSED, "this student's personal "
		    "data was erased");
	if (state == KEY_DAMAGED)
		return store_fail(db, RC_ESYS, "this student's key is "
		    "damaged: run verify");
	seal_key_new(key);
	if ((rc = mdb_put(txn, db->dbi[DB_KEYS], &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "cannot write the keys");
	return RC_OK;
}

int
keys_seal(rc_db *db, MDB_txn *txn, struct rc_event *ev,
    uint8_t buf[RC_SEALED_MAX])
{
	uint8_t key[SEAL_KEY_LEN];
	int rc;

	if ((rc = key_for_sealing(db, txn, ev->id, key)) != RC_OK)
		return rc;
	rc = seal_event(key, ev, buf);
	sodium_memzero(key, sizeof(key));
	if (rc != 0)
		return store_fail(db, RC_REFUSED, "event cannot be encoded");
	return RC_OK;
}

static int
damaged(rc_db *db, const struct rc_event *ev, const char *why)
{
	char idt[RC_ID_TEXT];

	event_id_text(ev->id, idt);
	return store_fail(db, RC_REFUSED, "the personal data of student %s "
	    "cannot be read: %s", idt, why);
}

/*
 * A tombstone counts only when the log holds, at its seq, this
 * student's student_erased: a key deleted or overwritten by other hands
 * must not pass for an erasure.
 */
static int
erasure_in_log(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    uint64_t seq, int *ok)
{
	uint8_t k8[8];
	MDB_val k = { 8, k8 }, v;
	struct rc_event er;
	MDB_txn *stxn;
	rc_db *src;
	int rc;

	*ok = 0;
	source(db, txn, &src, &stxn);
	put_u64(k8, seq);
	rc = mdb_get(stxn, src->dbi[DB_EVENTS], &k, &v);
	if (rc == MDB_NOTFOUND)
		return RC_OK;
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read the log");
	*ok = event_decode(v.mv_data, v.mv_size, &er, NULL) == 0 &&
	    er.type == EV_STUDENT_ERASED && er.seq == seq &&
	    memcmp(er.id, ev->id, RC_ID_LEN) == 0;
	return RC_OK;
}

/*
 * Whether the database whose keys are read is a replica (SPEC 9): its
 * students' keys are on the origin, which the log's copy does not
 * bring, so a missing key there is no damage.
 */
static int
on_replica(rc_db *db, MDB_txn *txn, int *is)
{
	uint8_t origin[RC_ID_LEN];
	MDB_txn *stxn;
	rc_db *src;
	size_t len;

	source(db, txn, &src, &stxn);
	return store_meta_get(src, stxn, META_REPLICA_OF, origin,
	    sizeof(origin), &len, is);
}

int
keys_open(rc_db *db, MDB_txn *txn, struct rc_event *ev,
    uint8_t buf[SEAL_PLAIN_MAX])
{
	uint8_t key[SEAL_KEY_LEN];
	enum key_state state;
	const char *why = NULL;
	uint64_t tomb = 0;
	int rc, ok;

	if (ev->seal != SEAL_CLOSED)
		return RC_OK;
	if ((rc = key_get(db, txn, ev->id, key, &tomb, &state)) != RC_OK)
		return rc;
	switch (state) {
	case KEY_MISSING:
		if ((rc = on_replica(db, txn, &ok)) != RC_OK)
			return rc;
		if (ok) {	/* the key stayed on the origin (SPEC 9) */
			seal_withheld(ev);
			return RC_OK;
		}
		return damaged(db, ev, "their key is missing");
	case KEY_DAMAGED:
		return damaged(db, ev, "their key is damaged");
	case KEY_ERASED:
		if ((rc = erasure_in_log(db, txn, ev, tomb, &ok)) != RC_OK)
			return rc;
		if (!ok)
			return damaged(db, ev, "their key is gone, and the log "
			    "records no erasure of them");
		seal_erased(ev);
		return RC_OK;
	case KEY_PRESENT:
		break;
	}
	rc = seal_open(key, ev, buf, &why);
	sodium_memzero(key, sizeof(key));
	return rc == 0 ? RC_OK : damaged(db, ev, why);
}
