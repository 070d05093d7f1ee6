/*
 * pin.h - the admin PIN that guards the kiosk (SPEC 8).
 *
 * Only the PIN's Argon2id string (libsodium crypto_pwhash_str, the
 * interactive limits) is stored, in an admin_pin_set event and in the
 * read side; the read side's copy is what a check compares with.  No
 * function here hands the string out: callers learn "set" or "matches".
 */
#ifndef ROLLCALL_PIN_H
#define ROLLCALL_PIN_H

#include <stddef.h>

#include "db.h"

#define PIN_MIN_CHARS 4
#define PIN_MAX_CHARS 64
#define PIN_MAX_BYTES 256	/* 64 characters of at most 4 bytes */

/*
 * Check a PIN typed by a person: 4 to 64 characters of valid UTF-8, no
 * control characters.  Returns 0, or -1 with a reason in *why.  Pure.
 */
int pin_validate(const char *pin, const char **why);

/*
 * Set the admin PIN (replacing any): hashes it (about a tenth of a
 * second, outside the write transaction) and appends admin_pin_set.
 */
int command_pin_set(rc_db *db, const char *pin);

/*
 * Clear the admin PIN: RC_REFUSED when none is set or `current` is not
 * it; else appends admin_pin_cleared.
 */
int command_pin_clear(rc_db *db, const char *current);

/*
 * Whether pin is the admin PIN: *ok 1 or 0 (0 also when none is set).
 * Costs the Argon2id time; reads the read side in a short transaction
 * and holds none while hashing, so it may run on a thread of its own
 * with its own handle.
 */
int pin_check(rc_db *db, const char *pin, int *ok);

/*
 * For a front end that checks the PIN on a thread of its own (the kiosk
 * stays responsive while Argon2id runs): pin_load() copies the stored
 * string into hash (PIN_HASH_BUF bytes; *set 0 when none), and
 * pin_matches() compares without touching the database, so it may run
 * on any thread.  Wipe the copy (sodium_memzero) when done; never show
 * it.
 */
#define PIN_HASH_BUF 128	/* crypto_pwhash_STRBYTES */
int pin_load(rc_db *db, char hash[PIN_HASH_BUF], int *set);
int pin_matches(const char *hash, const char *pin);

#endif
