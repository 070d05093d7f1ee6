/*
 * projector.h - core-internal: turns events into the read side.
 *
 * Everything here runs inside a write transaction the caller owns; the
 * caller advances the checkpoint and commits.  See record.h for the
 * layout of what it writes.
 */
#ifndef ROLLCALL_PROJECTOR_H
#define ROLLCALL_PROJECTOR_H

#include "command.h"
#include "record.h"
#include "store.h"

/*
 * The checkpoint: last event applied and its hash (0 and zeros if none),
 * and the format of the read side that wrote it.
 */
int proj_checkpoint(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format);
int proj_set_checkpoint(rc_db *db, MDB_txn *txn, uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN]);

/*
 * Apply one event.  RC_OK when applied; RC_REFUSED (db->err says why)
 * when it cannot be, having written nothing; RC_ESYS on storage errors.
 */
int proj_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev);

/*
 * Decode and apply one stored record; an event that cannot be applied is
 * recorded in `errors` and skipped.  Returns RC_OK or RC_ESYS.
 */
int proj_apply_record(rc_db *db, MDB_txn *txn, uint64_t seq,
    const uint8_t *rec, size_t len);

/*
 * Whether proj_catch_up() has work: events past the checkpoint, or a
 * read side written in another format.
 */
int proj_stale(rc_db *db, MDB_txn *txn, int *stale);

/*
 * Apply every event after the checkpoint (up to the head) and advance
 * the checkpoint; a read side of another format is replayed whole.
 * progress may be NULL.
 */
int proj_catch_up(rc_db *db, MDB_txn *txn, rc_progress_fn progress,
    void *ctx);

/*
 * Replay the whole log into an empty read side: figures are summed in
 * memory (one slot per student) and written once, in key order, at the
 * end.  proj_replay_end() frees what proj_replay_begin() took even when
 * the replay failed (ok = 0), and then writes nothing.
 */
int proj_replay_begin(rc_db *db, MDB_txn *txn);
int proj_replay_end(rc_db *db, MDB_txn *txn, int ok);

/*
 * Imports and replays keep attendance in memory and write it after the
 * log, at the end or whenever this many days are pending.
 */
extern size_t proj_pending_limit;

/*
 * Many events in one transaction (an import): figures are kept in memory
 * from here, seeded from the stored ones, and written once by
 * proj_batch_end() (ok = 0 only frees).
 */
int proj_batch_begin(rc_db *db, MDB_txn *txn);
int proj_batch_end(rc_db *db, MDB_txn *txn, int ok);

/* Empty the read side and replay this database's whole log into it. */
int proj_replay(rc_db *db, MDB_txn *txn, rc_progress_fn progress,
    void *ctx);

/* Empty every read sub-database. */
int proj_clear(rc_db *db, MDB_txn *txn);

/* The sid the next registration will get (students so far + 1). */
int proj_next_sid(rc_db *db, MDB_txn *txn, uint32_t *sid);

/* The policy in force (defaults when never changed). */
int proj_policy(rc_db *db, MDB_txn *txn, struct rc_policy *p);

/*
 * Find a student by id text or email (by email, an active student first,
 * else the last removed one who had it).
 * Returns RC_OK with *sid and *r (pointing into the transaction's pages:
 * valid until the next write), or RC_REFUSED "unknown student ...".
 */
int proj_find(rc_db *db, MDB_txn *txn, const char *key, uint32_t *sid,
    struct roster_rec *r);

/* By binary id; RC_REFUSED when unknown. */
int proj_find_id(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint32_t *sid, struct roster_rec *r);

/* Sid of the active student holding email (folded), or 0. */
int proj_email_owner(rc_db *db, MDB_txn *txn, const char *email,
    uint32_t *sid);

/* A student's figures (zeros when none yet). */
int proj_figures(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct rc_figures *f);

/*
 * The check-ins of (sid, day): *val points at the entries (n of them),
 * valid until the next write.  n = 0 when none.
 */
int proj_day_entries(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    const uint8_t **val, size_t *n);

#endif
