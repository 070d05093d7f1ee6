/*
 * rm_figures.h - core-internal: the figures read model (rm_figures.c):
 * each student's points and counts of check-ins by status.
 */
#ifndef ROLLCALL_RM_FIGURES_H
#define ROLLCALL_RM_FIGURES_H

#include "readside.h"

extern const struct read_model rm_figures;

/* A student's figures (zeros when none yet). */
int rm_figures_get(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct rc_figures *f);

/*
 * Move sid's points by delta alone (an excuse given or withdrawn on a
 * late day: SPEC 6), in memory during a bulk run.
 */
int rm_figures_add_points(rc_db *db, MDB_txn *txn, uint32_t sid,
    int32_t delta);

#endif
