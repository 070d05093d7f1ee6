/*
 * rm_policy.h - core-internal: the policy read model (rm_policy.c): the
 * settings in force, folded from config_changed events.
 */
#ifndef ROLLCALL_RM_POLICY_H
#define ROLLCALL_RM_POLICY_H

#include "readside.h"

extern const struct read_model rm_policy;

/* The policy in force (defaults when never changed). */
int rm_policy_get(rc_db *db, MDB_txn *txn, struct rc_policy *p);

#endif
