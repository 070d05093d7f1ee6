/*
 * rm_excuses.h - core-internal: the excuses read model (rm_excuses.c):
 * which days of a student an excuse stands for, with its reason code.
 */
#ifndef ROLLCALL_RM_EXCUSES_H
#define ROLLCALL_RM_EXCUSES_H

#include "readside.h"

/*
 * Applies absence_excused and absence_excuse_withdrawn, refusing
 * (having written nothing) an excuse that names a day already excused,
 * or a withdrawal no excused day.  An excuse given or taken back on a
 * day with a valid late check-in moves the student's points by that
 * check-in's stored points; a late check-in recorded or voided on an
 * excused day counts 0 points (it sits before the figures model).
 */
extern const struct read_model rm_excuses;

/* The excuse of (sid, day): *code 0 when none. */
int rm_excuses_get(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    uint8_t *code);

/*
 * A check-in's net share of the points: a late one on an excused day
 * counts 0 (e->points is set to 0 then).
 */
int rm_excuses_net(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    struct att_entry *e);
/* The same, given the day's excuse code (0: none) read already. */
void rm_excuses_net_code(struct att_entry *e, uint8_t code);

/*
 * Call fn for each excused day of sid in [from, to], in order.  fn
 * returns non-zero to stop.
 */
typedef int (*rm_excuse_fn)(void *ctx, int32_t day, uint8_t code);
int rm_excuses_walk(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from,
    int32_t to, rm_excuse_fn fn, void *ctx);
/* The same through cur, a cursor on excuses (kept across students). */
int rm_excuses_walk_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    int32_t from, int32_t to, rm_excuse_fn fn, void *ctx);

#endif
