/*
 * pin.c - the admin PIN (SPEC 8): validate, hash, check, and the two
 * commands that record it.  The Argon2id work happens outside any LMDB
 * transaction, so a slow hash never holds up another desk's write.
 */
#include <sodium.h>
#include <string.h>

#include "pin.h"
#include "projector.h"
#include "rm_pin.h"
#include "text.h"
#include "validate.h"

_Static_assert(PIN_HASH_BUF == crypto_pwhash_STRBYTES,
    "pin.h's PIN_HASH_BUF is libsodium's string size");

int
pin_validate(const char *pin, const char **why)
{
	size_t len = pin ? strlen(pin) : 0, i = 0, n, chars = 0;
	uint32_t cp;

	if (len > PIN_MAX_BYTES) {
		*why = "PIN is longer than 64 characters";
		return -1;
	}
	while (i < len) {
		if ((n = text_utf8_next(pin + i, len - i, &cp)) == 0) {
			*why = "PIN is not valid UTF-8";
			return -1;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			*why = "PIN contains control characters";
			return -1;
		}
		i += n;
		chars++;
	}
	if (chars < PIN_MIN_CHARS) {
		*why = "PIN is shorter than 4 characters";
		return -1;
	}
	if (chars > PIN_MAX_CHARS) {
		*why = "PIN is longer than 64 characters";
		return -1;
	}
	return 0;
}

/* The stored string, or "" with *set = 0; in one read transaction. */
static int
stored_hash(rc_db *db, char out[crypto_pwhash_STRBYTES], int *set)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_pin_get(db, txn, out, crypto_pwhash_STRBYTES, set);
	mdb_txn_abort(txn);
	return rc;
}

int
pin_check(rc_db *db, const char *pin, int *ok)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc, set;

	*ok = 0;
	if (sodium_init() < 0)
		return store_fail(db, RC_ESYS, "cannot start libsodium");
	if ((rc = stored_hash(db, hash, &set)) != RC_OK)
		return rc;
	if (set && pin != NULL)
		*ok = crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
	sodium_memzero(hash, sizeof(hash));
	return RC_OK;
}

int
pin_load(rc_db *db, char hash[PIN_HASH_BUF], int *set)
{
	return stored_hash(db, hash, set);
}

int
pin_matches(const char *hash, const char *pin)
{
	if (sodium_init() < 0 || hash == NULL || pin == NULL)
		return 0;
	return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

/* ---- the commands ------------------------------------------------------ */

struct pin_ctx {
	char hash[crypto_pwhash_STRBYTES];	/* set: the new one */
	char seen[crypto_pwhash_STRBYTES];	/* clear: the one checked */
};

static int
pin_txn(rc_db *db, MDB_txn *txn, void *arg, int type)
{
	struct pin_ctx *c = arg;
	char now[crypto_pwhash_STRBYTES];
	struct rc_event ev;
	uint8_t rec[EVENT_MAX_LEN];
	size_t len;
	int rc, set;

	if ((rc = proj_catch_up(db, txn, NULL, NULL)) != RC_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	ev.version = (uint8_t)event_type_version(ev.type);
	if (type == EV_ADMIN_PIN_SET) {
		ev.u.pin.hash.s = c->hash;
		ev.u.pin.hash.len = strlen(c->hash);
	} else {
		/* Another desk may have changed it since we checked. */
		if ((rc = rm_pin_get(db, txn, now, sizeof(now), &set)) != RC_OK)
			return rc;
		if (!set || strcmp(now, c->seen) != 0)
			return store_fail(db, RC_REFUSED, "the PIN was changed "
			    "meanwhile; try again");
	}
	if ((rc = store_append(db, txn, &ev, rec, &len)) != RC_OK ||
	    (rc = proj_apply(db, txn, &ev)) != RC_OK)
		return rc;
	return rs_set_checkpoint(db, txn, db->tail_seq, db->tail_hash);
}

static int
set_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	return pin_txn(db, txn, arg, EV_ADMIN_PIN_SET);
}

static int
clear_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	return pin_txn(db, txn, arg, EV_ADMIN_PIN_CLEARED);
}

int
command_pin_set(rc_db *db, const char *pin)
{
	struct pin_ctx c;
	const char *why;
	int rc;

	if (pin_validate(pin, &why) != 0)
		return store_fail(db, RC_REFUSED, "%s", why);
	if (sodium_init() < 0)
		return store_fail(db, RC_ESYS, "cannot start libsodium");
	memset(&c, 0, sizeof(c));
	if (crypto_pwhash_str(c.hash, pin, strlen(pin),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return store_fail(db, RC_ESYS,
		    "out of memory while hashing the PIN");
	rc = store_write(db, set_txn, &c);
	sodium_memzero(&c, sizeof(c));
	return rc;
}

int
command_pin_clear(rc_db *db, const char *current)
{
	struct pin_ctx c;
	int rc, set;

	if (sodium_init() < 0)
		return store_fail(db, RC_ESYS, "cannot start libsodium");
	memset(&c, 0, sizeof(c));
	if ((rc = db_catch_up(db)) != RC_OK ||
	    (rc = stored_hash(db, c.seen, &set)) != RC_OK)
		return rc;
	if (!set)
		return store_fail(db, RC_REFUSED, "no PIN is set");
	if (current == NULL || crypto_pwhash_str_verify(c.seen, current,
	    strlen(current)) != 0) {
		sodium_memzero(&c, sizeof(c));
		return store_fail(db, RC_REFUSED, "wrong PIN");
	}
	rc = store_write(db, clear_txn, &c);
	sodium_memzero(&c, sizeof(c));
	return rc;
}
