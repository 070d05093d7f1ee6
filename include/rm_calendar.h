/*
 * rm_calendar.h - core-internal: the calendar read model (rm_calendar.c):
 * the calendar settings (school-days, term-start, term-end) and the
 * closed days with their reasons.
 */
#ifndef ROLLCALL_RM_CALENDAR_H
#define ROLLCALL_RM_CALENDAR_H

#include "calendar.h"
#include "readside.h"

/*
 * Applies config_changed (calendar keys only), day_closed and
 * day_reopened; refuses (having written nothing) a closing that names
 * a closed day, or a reopening none.
 */
extern const struct read_model rm_calendar;

/* The settings in force (defaults when never changed). */
int rm_calendar_settings(rc_db *db, MDB_txn *txn, struct cal_settings *s);

/*
 * Call fn for each closed day of [from, to], in order; the reason lives
 * only during the call.  fn returns non-zero to stop.
 */
typedef int (*rm_closed_fn)(void *ctx, int32_t day, const char *reason,
    size_t len);
int rm_calendar_walk_closed(rc_db *db, MDB_txn *txn, int32_t from,
    int32_t to, rm_closed_fn fn, void *ctx);

/*
 * The closed days of [from, to], sorted, in a malloc'd array (NULL when
 * none) for cal_span_init().
 */
int rm_calendar_closed_days(rc_db *db, MDB_txn *txn, int32_t from,
    int32_t to, int32_t **days, size_t *n);

#endif
