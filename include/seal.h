/*
 * seal.h - personal data sealed under a student's own key (SPEC 7).
 *
 * Pure: libsodium, no LMDB.  From schema version 5 a registration's or
 * an update's personal fields (name, email, code, gender) reach the log
 * only as a blob: XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf)
 * of event_personal_encode()'s plaintext, under a random 32-byte key of
 * that student's own, with a random 24-byte nonce:
 *
 *   nonce[24] | ciphertext | tag[16]
 *
 * The additional data it authenticates is the record's version, type,
 * update fields (0 for a registration) and student id, so a blob copied
 * to another student or record does not open.  Where the keys are kept,
 * and what destroying one means, is keys.h's.
 */
#ifndef ROLLCALL_SEAL_H
#define ROLLCALL_SEAL_H

#include <stdint.h>

#include "event.h"

#define SEAL_KEY_LEN 32
/* The plaintext of the longest blob. */
#define SEAL_PLAIN_MAX (RC_SEALED_MAX - RC_SEAL_NONCE - RC_SEAL_TAG)

/* A fresh random key. */
void seal_key_new(uint8_t key[SEAL_KEY_LEN]);

/*
 * Seal ev's clear personal fields (a registration or update of version
 * EVENT_SEALED_SINCE or later) under key into buf, which ev->sealed then
 * points at; ev->seal becomes SEAL_OPEN, the clear fields stay for the
 * projector.  Returns 0, or -1 when the fields are invalid.
 */
int seal_event(const uint8_t key[SEAL_KEY_LEN], struct rc_event *ev,
    uint8_t buf[RC_SEALED_MAX]);

/*
 * Open a decoded record's blob (ev->seal == SEAL_CLOSED) with key into
 * buf, which ev's personal fields then point into (so buf must outlive
 * their use); ev->seal becomes SEAL_OPEN.  Returns 0, or -1 with a
 * reason in *why: the wrong key, a changed blob, or fields that open
 * but are not valid.
 */
int seal_open(const uint8_t key[SEAL_KEY_LEN], struct rc_event *ev,
    uint8_t buf[SEAL_PLAIN_MAX], const char **why);

/*
 * The fields of a student whose key was destroyed: name RC_ERASED_NAME,
 * email and code empty, no gender; ev->seal becomes SEAL_ERASED.
 */
void seal_erased(struct rc_event *ev);

/*
 * The same stand-ins, named RC_WITHHELD_NAME: a replica's record whose
 * key stayed on the origin (keys_open).
 */
void seal_withheld(struct rc_event *ev);

#endif
