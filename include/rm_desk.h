/*
 * rm_desk.h - core-internal: the desk's own settings' read model
 * (rm_desk.c): `quiet` (config key 10), kept in `meta` (record.h).
 */
#ifndef ROLLCALL_RM_DESK_H
#define ROLLCALL_RM_DESK_H

#include "readside.h"

extern const struct read_model rm_desk;

/* Whether `config quiet on` is in force: *on 1 or 0 (never set: 0). */
int rm_desk_quiet(rc_db *db, MDB_txn *txn, int *on);

#endif
