/*
 * rm_departures.h - core-internal: the departures read model
 * (rm_departures.c): early departures, one per student per day.
 */
#ifndef ROLLCALL_RM_DEPARTURES_H
#define ROLLCALL_RM_DEPARTURES_H

#include "readside.h"

/*
 * Applies departure_recorded (refused, having written nothing, without
 * a valid check-in that day, before its arrival, or when the day has a
 * departure already) and attendance_voided (the departure goes with
 * the check-in it ended).
 */
extern const struct read_model rm_departures;

/* The departure of (sid, day): *found, its time and reason (copied into
 * reason, cap bytes, NUL-terminated; may be NULL). */
int rm_departures_get(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    int *found, uint32_t *left, char *reason, size_t cap);

/* Call fn for each departure of sid in [from, to], in order. */
typedef int (*rm_departure_fn)(void *ctx, int32_t day, uint32_t left);
int rm_departures_walk(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t from,
    int32_t to, rm_departure_fn fn, void *ctx);
/* The same through cur, a cursor on departures (kept across students). */
int rm_departures_walk_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    int32_t from, int32_t to, rm_departure_fn fn, void *ctx);

#endif
