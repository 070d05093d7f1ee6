/*
 * keys.h - core-internal: the students' keys (SPEC 7), storage layer.
 *
 * The `keys` sub-database sits beside the log, outside the read side:
 * rebuild never drops it and verify does not compare it (it is no
 * projection of the log, and the log cannot make it again).  One record
 * per student who has personal data sealed (seal.h):
 *
 *   id[16] -> key[32]      the student's key
 *   id[16] -> u64 seq      a tombstone: the key was destroyed by the
 *                          student_erased event at seq
 *
 * A student registered by an earlier release gets a key with their first
 * sealed edit.  Reading a sealed record needs its student's key: a
 * tombstone whose event really is that student's erasure gives the
 * stand-in fields of an erased student (seal_erased); anything else
 * that keeps a record shut (no key, a key of the wrong size, a key that
 * does not open it, a tombstone the log does not back) is damage,
 * reported as such and never shown as an erasure.
 */
#ifndef ROLLCALL_KEYS_H
#define ROLLCALL_KEYS_H

#include "seal.h"
#include "store.h"

enum key_state { KEY_PRESENT, KEY_ERASED, KEY_MISSING, KEY_DAMAGED };

/*
 * Seal ev's clear personal fields under its student's key, making the
 * key when the student has none, into buf (see seal_event).  RC_OK;
 * RC_REFUSED for a student erased, or fields that cannot be sealed;
 * RC_ESYS for a damaged key or a storage error.
 */
int keys_seal(rc_db *db, MDB_txn *txn, struct rc_event *ev,
    uint8_t buf[RC_SEALED_MAX]);

/*
 * Open a decoded record's personal fields when they are sealed (does
 * nothing otherwise): SEAL_OPEN with the fields pointing into buf, or
 * SEAL_ERASED.  RC_REFUSED (db->err: "the personal data of student ID
 * cannot be read: why") when it is damaged; RC_ESYS on storage errors.
 * The keys and the log read are db's in txn, or, while db->key_src is
 * set (verify's scratch copy), those of key_src in key_txn.
 */
int keys_open(rc_db *db, MDB_txn *txn, struct rc_event *ev,
    uint8_t buf[SEAL_PLAIN_MAX]);

/* The state of a student's key (KEY_ERASED: any tombstone). */
int keys_state(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    enum key_state *state);

/*
 * For the keys bucket (SPEC 9, logship.c): read a student's key (key
 * gets it when *state is KEY_PRESENT), and store one a replica received.
 */
int keys_get(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint8_t key[SEAL_KEY_LEN], enum key_state *state);
int keys_put(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    const uint8_t key[SEAL_KEY_LEN]);

/* Destroy a student's key, leaving the tombstone of the event at seq. */
int keys_destroy(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint64_t seq);

#endif
