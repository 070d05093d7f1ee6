/*
 * record.h - the read side's layout: its sub-databases, their keys and
 * records, the checkpoint, and their codecs.  Pure: the projector (which
 * writes the read side) and the queries (which read it) both decode with
 * these, so there is one description of the bytes.
 *
 * Sub-databases of the read side (all keys big-endian):
 *
 *   (main)      "\0checkpoint" -> u64 seq | hash[32] | u32 format
 *                                 last event applied, by read side format
 *   meta        "policy"     -> u32 start | u16 window | u16 points
 *               "backup-dir" -> text (absent when unset)
 *               "backup-keep" -> u32
 *               "pin"        -> the admin PIN's Argon2id string, when set
 *   roster      u32 sid -> roster record (below)      every student
 *   points      u32 sid -> i64 points | u32 present | u32 early |
 *                          u32 late | u32 on_time | i32 last day
 *   ids         id[16] -> u32 sid | u8 active
 *   emails      folded email -> u32 sid               active students only
 *               code in lower case -> u32 sid         (SPEC 8; no @ in it)
 *   names       folded name | 0x00 | id[16] -> u32 sid   every student
 *   attendance  u32 sid | u32 day -> entry[n]         check-ins of a day
 *   closed      u32 day -> reason text                closed days (rm_calendar.c)
 *   excuses     u32 sid | u32 day -> excuse (rm_excuses.c)
 *   departures  u32 sid | u32 day -> departure (rm_departures.c)
 *   enrolment   u32 sid -> periods (rm_enrolment.c)
 *   errors      u64 seq -> reason text                projection errors
 *   history     u32 sid -> u64 seq, sorted duplicates   events about a
 *                                                      student but its
 *                                                      check-ins (those are
 *                                                      attendance entries)
 *   dayindex    u32 day | u32 sid / 64 -> mark[n]     the counted check-ins
 *                                                      of a day, by sid
 *                                                      (rm_daymarks.c)
 *
 * The checkpoint lives in LMDB's main database, beside the sub-database
 * records: every commit rewrites that page anyway, so moving the
 * checkpoint costs no page (in its own tree it cost one more 4 KiB page
 * per command).  The NUL keeps it apart from database names, and tools
 * like mdb_stat skip such keys.
 *
 * A sid is a student's number in registration order (1, 2, ...): small
 * fixed keys keep the trees shallow, and replaying the log gives every
 * student the same number again.
 *
 * Roster record:
 *   id[16] | u8 active | u8 gender | u32 reg_day | u64 registered_at |
 *   u16 name_len | u16 email_len | name | email [| u8 code_len | code]
 * The code trailer (SPEC 8) is there only when the student has a code,
 * so a read side written before codes existed is this layout already.
 * Email or code may be empty, not both, except for a student whose
 * personal data was erased (SPEC 7): gender has ROSTER_ERASED (0x80)
 * set, the name is RC_ERASED_NAME and email and code are empty.  No
 * read side written before erasure has the bit, so it is this layout
 * too.
 *
 * Attendance entry (12 bytes; a day holds one per check-in, voided ones
 * included, oldest first):
 *   u48 seq | u32 arrived << 3 | status << 1 | voided | i16 points
 * The policy that judged it is in its event (seq), not repeated here:
 * an entry a check-in, so every byte is a byte per event of the store
 * (48 bits of seq outlast any log a map can hold).
 */
#ifndef ROLLCALL_RECORD_H
#define ROLLCALL_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "policy.h"

/*
 * The read side's sub-databases, opened by the store after the log
 * (store.h); a read model that needs a new one adds a row here.
 */
#define READ_DBS(X) \
	X(DB_META, "meta") \
	X(DB_ROSTER, "roster") \
	X(DB_POINTS, "points") \
	X(DB_IDS, "ids") \
	X(DB_EMAILS, "emails") \
	X(DB_NAMES, "names") \
	X(DB_ATTENDANCE, "attendance") \
	X(DB_CLOSED, "closed") \
	X(DB_EXCUSES, "excuses") \
	X(DB_DEPARTURES, "departures") \
	X(DB_ENROLMENT, "enrolment") \
	X(DB_ERRORS, "errors") \
	X(DB_HISTORY, "history") \
	X(DB_DAYMARKS, "dayindex")

/* Keys of LMDB's main database and of `meta` (sizes without the NUL). */
#define CHECKPOINT_KEY "\0checkpoint"	/* main database */
#define MARKER_KEY "checkpoint"		/* meta: format marker (projector.c) */
#define POLICY_KEY "policy"		/* meta */
#define BACKUP_DIR_KEY "backup-dir"	/* meta (rm_backup.c) */
#define BACKUP_KEEP_KEY "backup-keep"	/* meta (rm_backup.c) */
#define QUIET_KEY "quiet"		/* meta (rm_desk.c) */
#define COLLATION_KEY "collation"	/* meta (rm_collation.c) */
#define NAMES_ICU_KEY "names-icu"	/* meta (rm_collation.c) */

#define ROSTER_FIXED 34
#define ROSTER_ERASED 0x80	/* in the gender byte */
#define ROSTER_MAX (ROSTER_FIXED + RC_NAME_MAX + RC_EMAIL_MAX + 1 + \
    RC_CODE_MAX)
#define POINTS_LEN 24
#define ENTRY_LEN 12
/*
 * The read side's layout version.  A read side written under another one
 * is thrown away and replayed by the next write (projector.c).
 */
#define READ_FORMAT 12	/* 3: the history index; 4: SPEC 6; 5: restores;
			   6: email keys in NFC, case folded;
			   7: names keyed by ICU collation;
			   8: check-ins left out of history (attendance
			   entries carry their seqs);
			   9: figures carry the last day checked in;
			   10: the day index as duplicates;
			   11: the day index (dayindex), 64 students
			   a record;
			   12: figures without the last day (the day
			   index made it unused) */
#define CHECKPOINT_LEN (8 + EVENT_HASH_LEN + 4)
#define POLICY_LEN 8

struct roster_rec {
	uint8_t id[RC_ID_LEN];
	uint8_t active;
	uint8_t gender;
	uint8_t erased;		/* personal data erased (SPEC 7) */
	int32_t reg_day;
	int64_t registered_at;
	struct rc_text name, email, code; /* point into the decoded buffer */
};

struct att_entry {
	uint64_t seq;
	uint32_t arrived;
	uint8_t status;
	uint8_t voided;
	int16_t points;
};

/* Encode into buf (ROSTER_MAX bytes); returns the length. */
size_t roster_encode(const struct roster_rec *r, uint8_t *buf);
/* Returns 0, or -1 when the bytes are not a valid record. */
int roster_decode(const void *buf, size_t len, struct roster_rec *r);

void points_encode(const struct rc_figures *f, uint8_t buf[POINTS_LEN]);
int points_decode(const void *buf, size_t len, struct rc_figures *f);

void entry_encode(const struct att_entry *e, uint8_t buf[ENTRY_LEN]);
/* Entry i of an attendance value; -1 when out of range or damaged. */
int entry_decode(const void *buf, size_t len, size_t i, struct att_entry *e);

void checkpoint_encode(uint8_t buf[CHECKPOINT_LEN], uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN]);
/*
 * Returns 0, or -1 when damaged.  A checkpoint written before formats
 * were numbered has no format field: *format = 0.
 */
int checkpoint_decode(const void *buf, size_t len, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format);

void policy_encode(const struct rc_policy *p, uint8_t buf[POLICY_LEN]);
int policy_decode(const void *buf, size_t len, struct rc_policy *p);

/*
 * Key of `names`: the name's collation sort key (collate.h, without its
 * last 0 byte), 0, id, so that the index lists names in the database's
 * collation, equal names by id.  Returns the length (<= 511; a longer
 * sort key is cut).
 */
#define NAMES_KEY_MAX 511
size_t names_key(const uint8_t *sortkey, size_t klen,
    const uint8_t id[RC_ID_LEN], uint8_t *buf, size_t cap);

#endif
