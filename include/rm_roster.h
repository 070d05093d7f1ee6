/*
 * rm_roster.h - core-internal: the roster read model (rm_roster.c):
 * every student by sid, and the ids, emails and names indexes.
 */
#ifndef ROLLCALL_RM_ROSTER_H
#define ROLLCALL_RM_ROSTER_H

#include "readside.h"

extern const struct read_model rm_roster;

/* The sid the next registration will get (students so far + 1). */
int rm_roster_next_sid(rc_db *db, MDB_txn *txn, uint32_t *sid);

/*
 * Find a student by id text, email or code (by email or code, an active
 * student first, else the last removed one who had it).
 * Returns RC_OK with *sid and *r (pointing into the transaction's pages:
 * valid until the next write), or RC_REFUSED "unknown student ...".
 */
int rm_roster_find(rc_db *db, MDB_txn *txn, const char *key, uint32_t *sid,
    struct roster_rec *r);

/*
 * Tell the roster model that the command resolved sid (r) itself, as
 * rm_roster_find would have: its event then needs no ids lookup.
 */
void rm_roster_remember(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r);

/* By sid (r as for rm_roster_find); RC_ESYS when missing or damaged. */
int rm_roster_get(rc_db *db, MDB_txn *txn, uint32_t sid,
    struct roster_rec *r);
/* The same through cur, a cursor on roster kept across students. */
int rm_roster_get_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    struct roster_rec *r);

/* By binary id; RC_REFUSED when unknown. */
int rm_roster_find_id(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint32_t *sid, struct roster_rec *r);

/*
 * Sid of the active student holding code[0..len) (any case), or 0: one
 * key lookup in the codes index (SPEC 8).
 */
int rm_roster_code_owner(rc_db *db, MDB_txn *txn, const char *code,
    size_t len, uint32_t *sid);

/*
 * Key the whole names index afresh in the collation now in force (a new
 * `collation`, or a build with another ICU): every student, by sid.
 */
int rm_roster_rekey_names(rc_db *db, MDB_txn *txn);

/* Sid of the active student holding email (folded), or 0. */
int rm_roster_email_owner(rc_db *db, MDB_txn *txn, const char *email,
    uint32_t *sid);

#endif
