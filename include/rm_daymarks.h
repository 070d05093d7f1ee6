/*
 * rm_daymarks.h - core-internal: the day index (rm_daymarks.c): each
 * day's counted check-ins, by sid, so that a day is one range read.
 */
#ifndef ROLLCALL_RM_DAYMARKS_H
#define ROLLCALL_RM_DAYMARKS_H

#include "readside.h"

extern const struct read_model rm_daymarks;

/* Called for each counted check-in of a day; a non-zero return stops. */
typedef int (*rm_daymark_fn)(void *arg, uint32_t sid,
    const struct att_entry *e);

/*
 * Each counted (not voided) check-in of day, in sid order: e has the
 * arrival, status and points the attendance entry has (seq 0: not kept
 * here).  Returns RC_OK or fn's code.
 */
int rm_daymarks_each(rc_db *db, MDB_txn *txn, int32_t day, rm_daymark_fn fn,
    void *arg);

#endif
