/*
 * command_txn.h - core-internal: the steps every command's write
 * transaction is made of (command.c), for commands in other files.
 */
#ifndef ROLLCALL_COMMAND_TXN_H
#define ROLLCALL_COMMAND_TXN_H

#include "projector.h"

/* Catch the read side up to the head: the first step of every command. */
int command_txn_begin(rc_db *db, MDB_txn *txn);

/* Append ev (seq, prev, version and recorded_at filled), apply it and
 * move the checkpoint. */
int command_txn_emit(rc_db *db, MDB_txn *txn, struct rc_event *ev);

/* An active student by id or email; RC_REFUSED naming a removed one. */
int command_txn_find_active(rc_db *db, MDB_txn *txn, const char *student,
    uint32_t *sid, struct roster_rec *r);

#endif
