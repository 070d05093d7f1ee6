/*
 * projector.h - core-internal: turns events into the read side.
 *
 * The projector routes each event through the read models of its table
 * (projector.c; each model in its own rm_*.c) and keeps the checkpoint.
 * Everything here runs inside a write transaction the caller owns (a
 * command, or db_catch_up); the caller advances the checkpoint
 * (readside.h) and commits.  The store below never calls in here.
 */
#ifndef ROLLCALL_PROJECTOR_H
#define ROLLCALL_PROJECTOR_H

#include "readside.h"

/*
 * Apply one event.  RC_OK when applied; RC_REFUSED (db->err says why)
 * when it cannot be, having written nothing; RC_ESYS on storage errors.
 */
int proj_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev);

/*
 * Decode and apply one stored record; an event that cannot be applied is
 * handed to the models' `refused` (the errors model records it) and
 * skipped.  Returns RC_OK or RC_ESYS.
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
 * Replay the whole log into an empty read side: the models keep their
 * state in memory and write it once, in key order, at the end.
 * proj_replay_end() frees what proj_replay_begin() took even when the
 * replay failed (ok = 0), and then writes nothing.  events: how many
 * will come (0: db's own log's length; verify's scratch has no log).
 */
int proj_replay_begin(rc_db *db, MDB_txn *txn, uint64_t events);
int proj_replay_end(rc_db *db, MDB_txn *txn, int ok);

/*
 * Many events in one transaction (an import): the models keep state in
 * memory from here, seeded from the stored read side, and write it once
 * at proj_batch_end() (ok = 0 only frees).  expect: about how many
 * events will come (0: unknown), so that memory is taken once.
 */
int proj_batch_begin(rc_db *db, MDB_txn *txn, size_t expect);
int proj_batch_end(rc_db *db, MDB_txn *txn, int ok);

/*
 * proj_catch_up() for many events at once (a replica's catch-up): the
 * models keep their state in memory meanwhile, as for an import, and
 * write it once, in key order, before it returns.  expect: about how
 * many events are behind (as for proj_batch_begin).
 */
int proj_catch_up_many(rc_db *db, MDB_txn *txn, size_t expect);

/* Empty the read side and replay this database's whole log into it. */
int proj_replay(rc_db *db, MDB_txn *txn, rc_progress_fn progress,
    void *ctx);

#endif
