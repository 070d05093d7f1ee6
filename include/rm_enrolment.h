/*
 * rm_enrolment.h - core-internal: the enrolment read model
 * (rm_enrolment.c): the periods a student was on the roll, from
 * registration (or restore) until removal.
 */
#ifndef ROLLCALL_RM_ENROLMENT_H
#define ROLLCALL_RM_ENROLMENT_H

#include "calendar.h"
#include "readside.h"

#define RM_PERIODS_MAX 64	/* restores past this merge into the last */

/* Applies student_registered, student_removed and student_restored. */
extern const struct read_model rm_enrolment;

/*
 * A restore starts a new period on `day` (the model's own apply of
 * student_restored); back the day of the removal, the period goes on.
 */
int rm_enrolment_restore(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day);

/*
 * The periods of sid as registered and removed (the first valid
 * check-in is the caller's to fold in: cal_first_checkin), at most
 * RM_PERIODS_MAX, oldest first.  *n = 0 for an unknown sid.
 */
int rm_enrolment_get(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct cal_period p[RM_PERIODS_MAX], size_t *n);
/*
 * The same through cur, a cursor on enrolment kept across students: a
 * sid near the last one is found on the page the cursor is on.
 */
int rm_enrolment_get_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    struct cal_period p[RM_PERIODS_MAX], size_t *n);

/*
 * The periods with the first valid check-in folded in: the enrolment
 * every rule of SPEC 6 uses.
 */
int rm_enrolment_periods(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct cal_period p[RM_PERIODS_MAX], size_t *n);

#endif
