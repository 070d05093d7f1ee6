/*
 * rm_collation.h - core-internal: the name order's read model
 * (rm_collation.c): the `collation` setting in force (config key 7, SPEC
 * 3 "Name order") and the ICU version the name index was keyed with.
 * The name index itself is the roster's (rm_roster.c), which asks here
 * for the tag when it keys a name.
 */
#ifndef ROLLCALL_RM_COLLATION_H
#define ROLLCALL_RM_COLLATION_H

#include "collate.h"
#include "readside.h"

extern const struct read_model rm_collation;

/* The collation tag in force into tag (COLLATE_TAG_MAX + 1): "root" when never set. */
int rm_collation_get(rc_db *db, MDB_txn *txn, char *tag);

/*
 * Whether the name index was keyed by this build's ICU (*current 1), so
 * that a program built with another ICU re-keys it (projector.c).
 */
int rm_collation_current(rc_db *db, MDB_txn *txn, int *current);

/*
 * Record that the name index is keyed by this build's ICU (after a name
 * was keyed, or the index re-keyed): "names-icu" is kept only while the
 * index holds a name, so an empty read side is the same from any build.
 */
int rm_collation_mark_current(rc_db *db, MDB_txn *txn);

#endif
