/*
 * readside.c - the read side's storage, shared by its writer (projector
 * and read models) and its readers (query, verify): get/put helpers and
 * the checkpoint.  Layout in record.h.
 */
#include <string.h>

#include "readside.h"

int
rs_get(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    MDB_val *v, int *found)
{
	MDB_val k = rs_val(key, klen);
	int rc;

	rc = mdb_get(txn, db->dbi[dbi], &k, v);
	*found = rc == 0;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, store_db_name(dbi));
	return RC_OK;
}

int
rs_put(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    const void *data, size_t dlen)
{
	MDB_val k = rs_val(key, klen), v = rs_val(data, dlen);
	int rc;

	if ((rc = mdb_put(txn, db->dbi[dbi], &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, store_db_name(dbi));
	return RC_OK;
}

int
rs_del(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen)
{
	MDB_val k = rs_val(key, klen);
	int rc;

	rc = mdb_del(txn, db->dbi[dbi], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, store_db_name(dbi));
	return RC_OK;
}

/* ---- checkpoint ------------------------------------------------------- */

/*
 * Before format 2 the checkpoint lived in `meta` under MARKER_KEY.  It
 * stays there as a marker of the format (seq 0), written with a read
 * side's first checkpoint, so that a build of another format, which
 * looks only there, sees a read side not its own and replays instead of
 * applying the log on top of it.
 */
static int
decode(rc_db *db, const MDB_val *v, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format)
{
	if (checkpoint_decode(v->mv_data, v->mv_size, seq, hash, format) != 0)
		return store_fail(db, RC_ESYS, "the checkpoint is damaged");
	return RC_OK;
}

int
rs_checkpoint(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format)
{
	MDB_val k = rs_val(CHECKPOINT_KEY, sizeof(CHECKPOINT_KEY) - 1), v;
	int rc, marked;

	rc = rs_get(db, txn, DB_META, MARKER_KEY, sizeof(MARKER_KEY) - 1, &v,
	    &marked);
	if (rc != RC_OK)
		return rc;
	if (marked && ((rc = decode(db, &v, seq, hash, format)) != RC_OK ||
	    *format != READ_FORMAT))
		return rc;
	rc = mdb_get(txn, db->main_dbi, &k, &v);
	if (rc == 0)
		return decode(db, &v, seq, hash, format);
	if (rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, "checkpoint");
	*seq = 0;
	memset(hash, 0, EVENT_HASH_LEN);
	*format = READ_FORMAT;
	return RC_OK;
}

/* The marker of a read side of this format (see decode). */
static int
mark_format(rc_db *db, MDB_txn *txn)
{
	static const uint8_t zero[EVENT_HASH_LEN];
	uint8_t buf[CHECKPOINT_LEN];

	checkpoint_encode(buf, 0, zero);
	return rs_put(db, txn, DB_META, MARKER_KEY, sizeof(MARKER_KEY) - 1,
	    buf, sizeof(buf));
}

int
rs_set_checkpoint(rc_db *db, MDB_txn *txn, uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN])
{
	uint8_t buf[CHECKPOINT_LEN];
	MDB_val k = rs_val(CHECKPOINT_KEY, sizeof(CHECKPOINT_KEY) - 1);
	MDB_val v = rs_val(buf, sizeof(buf));
	int rc;

	checkpoint_encode(buf, seq, hash);
	/* The first checkpoint of a read side comes with its marker. */
	rc = mdb_put(txn, db->main_dbi, &k, &v, MDB_NOOVERWRITE);
	if (rc == 0)
		return mark_format(db, txn);
	v = rs_val(buf, sizeof(buf));	/* KEYEXIST set it to the old one */
	if (rc != MDB_KEYEXIST ||
	    (rc = mdb_put(txn, db->main_dbi, &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "checkpoint");
	return RC_OK;
}

int
rs_clear(rc_db *db, MDB_txn *txn)
{
	MDB_val k = rs_val(CHECKPOINT_KEY, sizeof(CHECKPOINT_KEY) - 1);
	int i, rc;

	for (i = DB_FIRST_READ; i < DB_COUNT; i++)
		if ((rc = mdb_drop(txn, db->dbi[i], 0)) != 0)
			return store_lmdb_fail(db, rc, store_db_name(i));
	rc = mdb_del(txn, db->main_dbi, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, "checkpoint");
	return RC_OK;
}
