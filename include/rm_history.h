/*
 * rm_history.h - core-internal: the history read model (rm_history.c):
 * every event about a student, by sid, oldest first.
 */
#ifndef ROLLCALL_RM_HISTORY_H
#define ROLLCALL_RM_HISTORY_H

#include "readside.h"

extern const struct read_model rm_history;

/* The first event indexed for sid (its registration). */
int rm_history_first(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t *seq);

/* The seqs of every event about sid, oldest first (malloc'd in *seqs). */
int rm_history_seqs(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t **seqs,
    size_t *n);

#endif
