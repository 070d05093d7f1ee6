/*
 * rm_days.h - core-internal: the attendance read model (rm_days.c):
 * each student's check-ins by day.
 */
#ifndef ROLLCALL_RM_DAYS_H
#define ROLLCALL_RM_DAYS_H

#include "readside.h"

extern const struct read_model rm_days;

/*
 * Imports and replays keep attendance in memory and write it after the
 * log, at the end or whenever this many days are pending (~80 bytes
 * each meanwhile).
 */
extern size_t rm_days_pending_limit;

/*
 * The check-ins of (sid, day): *val points at the entries (n of them),
 * valid until the next write.  n = 0 when none.
 */
int rm_days_entries(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    const uint8_t **val, size_t *n);

/* The valid (not voided) check-in of (sid, day); *found = 0 when none. */
int rm_days_valid(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    struct att_entry *e, int *found);

/*
 * Day of sid's first valid check-in, or -1 (CAL_NO_DAY) for none: read
 * from the stored tree (not during a replay).
 */
int rm_days_first(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t *day);
/* The same through cur, a cursor on attendance (kept across students). */
int rm_days_first_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    int32_t *day);

#endif
