/*
 * command_erase.c - `erase STUDENT --yes` (SPEC 7): the end of a removed
 * student's personal data.  Their key is destroyed and student_erased
 * appended, in one write transaction: the log and its hash chain stay
 * as they were, but the sealed name, email, code and gender in it can
 * no longer be opened, and the read side keeps the student, with their
 * id, days and figures, as "[erased]".  Until `compact` rewrites the
 * file, the old bytes may linger in free pages; backups taken before
 * still hold the key (README, Erasure).
 */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "command_txn.h"
#include "keys.h"
#include "rm_history.h"
#include "rm_roster.h"
#include "text.h"

/*
 * Whether an earlier release recorded any of the student's personal
 * data in clear text: a registration or update older than sealing.
 * Their history index names every event about them.
 */
static int
in_clear_text(rc_db *db, MDB_txn *txn, uint32_t sid, int *clear)
{
	struct rc_event ev;
	const uint8_t *rec;
	uint64_t *seqs;
	size_t n, i, len;
	int rc;

	*clear = 0;
	if ((rc = rm_history_seqs(db, txn, sid, &seqs, &n)) != RC_OK)
		return rc;
	for (i = 0; i < n && !*clear; i++) {
		if ((rc = store_record(db, txn, seqs[i], &rec, &len)) != RC_OK)
			break;
		if (event_decode_header(rec, len, &ev, NULL) != 0) {
			rc = store_fail(db, RC_ESYS, "event %llu is damaged: "
			    "run verify", (unsigned long long)seqs[i]);
			break;
		}
		*clear = (ev.type == EV_STUDENT_REGISTERED ||
		    ev.type == EV_STUDENT_UPDATED) &&
		    ev.version < EVENT_SEALED_SINCE;
	}
	free(seqs);
	return rc;
}

static int
erase_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	char shown[RC_NAME_MAX * 4 + 1];
	struct roster_rec r;
	struct rc_event ev;
	enum key_state key;
	uint32_t sid;
	int rc, clear;

	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = rm_roster_find(db, txn, arg, &sid, &r)) != RC_OK)
		return rc;
	if (r.erased)
		return store_fail(db, RC_REFUSED, "this student's personal "
		    "data is already erased");
	text_escape(r.name.s, r.name.len, shown, sizeof(shown));
	if (r.active)
		return store_fail(db, RC_REFUSED, "%s is an active student: "
		    "remove them first", shown);
	memset(&ev, 0, sizeof(ev));
	memcpy(ev.id, r.id, RC_ID_LEN);
	if ((rc = in_clear_text(db, txn, sid, &clear)) != RC_OK)
		return rc;
	if (clear)
		return store_fail(db, RC_REFUSED, "%s cannot be erased: an "
		    "earlier release of rollcall recorded their personal data "
		    "in the log in clear text, and the log is never rewritten",
		    shown);
	if ((rc = keys_state(db, txn, ev.id, &key)) != RC_OK)
		return rc;
	if (key == KEY_ERASED)
		return store_fail(db, RC_REFUSED, "this student's personal "
		    "data is already erased");
	if (key != KEY_PRESENT)
		return store_fail(db, RC_ESYS, "the key of %s is %s: run "
		    "verify", shown, key == KEY_MISSING ? "missing" :
		    "damaged");
	ev.type = EV_STUDENT_ERASED;
	if ((rc = command_txn_emit(db, txn, &ev)) != RC_OK)
		return rc;
	return keys_destroy(db, txn, ev.id, ev.seq);
}

int
command_erase(rc_db *db, const char *student)
{
	return store_write(db, erase_txn, (void *)student);
}
