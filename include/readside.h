/*
 * readside.h - core-internal: the read side in LMDB, as both its writer
 * (the projector and its read models) and its readers (query, verify)
 * use it: plain get/put on its sub-databases, the checkpoint, and the
 * contract every read model (src/rm_*.c) fulfils.  The bytes themselves
 * are described in record.h.
 */
#ifndef ROLLCALL_READSIDE_H
#define ROLLCALL_READSIDE_H

#include "record.h"
#include "store.h"

/* An MDB_val of n bytes at p (inline: every put and get makes some). */
static inline MDB_val
rs_val(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *)p;
	v.mv_size = n;
	return v;
}

/* get with MDB_NOTFOUND mapped to *found = 0; RC_OK or RC_ESYS. */
int rs_get(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    MDB_val *v, int *found);
int rs_put(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    const void *data, size_t dlen);
/* Deleting what is not there succeeds. */
int rs_del(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen);

/*
 * The checkpoint: last event applied and its hash (0 and zeros if none),
 * and the format of the read side that wrote it (READ_FORMAT when none).
 */
int rs_checkpoint(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format);
int rs_set_checkpoint(rc_db *db, MDB_txn *txn, uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN]);

/* Empty every read sub-database and forget the checkpoint. */
int rs_clear(rc_db *db, MDB_txn *txn);

/* ---- what read models keep in memory on the handle ------------------- */

/*
 * One pointer per read model that keeps memory (its own private struct;
 * no other file looks inside).  A new read model with memory adds one.
 */
struct rs_mem {
	struct roster_mem *roster;
	struct figures_mem *figures;
	struct days_mem *days;
	struct history_mem *history;
	struct daymarks_mem *daymarks;
	size_t bulk_expect;	/* events the bulk brings, about (0: unknown) */
};

/*
 * The handle's read-model memory: NULL until the projector first ran on
 * this handle (projector.c creates it and frees it at db_close), so a
 * getter finding none simply has no cache to use.
 */
static inline struct rs_mem *
rs_mem(const rc_db *db)
{
	return db->upper;
}

/*
 * Whether a cache tagged `gen` may be trusted in txn: only inside the
 * write transaction it was filled in (store.h, write_gen).
 */
static inline int
rs_cache_ok(const rc_db *db, MDB_txn *txn, uint64_t gen)
{
	return txn == db->write_txn && gen == db->write_gen;
}

/* ---- the read model contract ----------------------------------------- */

/*
 * What the read models earlier in the table learnt about an event, for
 * the later ones (the projector zeroes it for each event).
 */
struct proj_step {
	uint32_t sid;		/* the student the event names (0: none) */
	uint8_t active;
	int sign;		/* +1: entry now counts; -1: no longer; 0 */
	struct att_entry entry;
};

/*
 * How many events one transaction brings (bulk_begin), and in what
 * order: RS_COPY is an import's kind from another log (a replica's
 * catch-up), whose days come in log order, not a file's rows.
 */
enum rs_bulk { RS_REPLAY = 1, RS_IMPORT = 2, RS_COPY = 3 };

/*
 * A read model: its sub-databases, codecs and getters live in its own
 * file (rm_*.c, getters in rm_*.h); the projector knows it only through
 * this table row.  Every function may be NULL.
 */
struct read_model {
	const char *name;
	/*
	 * Apply one event (ignore types it does not follow).  The projector
	 * calls the models in table order; a model may refuse (RC_REFUSED,
	 * db->err says why) only before any model has written for the
	 * event, so that a refused event leaves the read side untouched.
	 */
	int (*apply)(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
	    struct proj_step *step);
	/* An event at seq was refused for `reason`: note it, or not. */
	int (*refused)(rc_db *db, MDB_txn *txn, uint64_t seq,
	    const char *reason);
	/*
	 * The rebuild writer: many events come in one transaction, into an
	 * empty read side (RS_REPLAY) or on top of the stored one
	 * (RS_IMPORT, RS_COPY); the model may keep its state in memory meanwhile
	 * and write it at bulk_end, in key order.  bulk_end(ok = 0) only
	 * frees.
	 */
	int (*bulk_begin)(rc_db *db, MDB_txn *txn, enum rs_bulk how);
	int (*bulk_end)(rc_db *db, MDB_txn *txn, int ok);
	/* Free what the model keeps in m (at db_close). */
	void (*free_mem)(struct rs_mem *m);
};

#endif
