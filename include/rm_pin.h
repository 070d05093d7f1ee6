/*
 * rm_pin.h - core-internal: the admin PIN read model (rm_pin.c): the
 * Argon2id string of the PIN in force (SPEC 8), folded from
 * admin_pin_set and admin_pin_cleared, kept in meta under "pin".
 */
#ifndef ROLLCALL_RM_PIN_H
#define ROLLCALL_RM_PIN_H

#include "readside.h"

extern const struct read_model rm_pin;

/*
 * The PIN's Argon2id string into out (cap bytes, NUL-terminated);
 * *set = 0 and "" when no PIN is set.  Only pin.c and query.c call it,
 * and never print it.
 */
int rm_pin_get(rc_db *db, MDB_txn *txn, char *out, size_t cap, int *set);

#endif
