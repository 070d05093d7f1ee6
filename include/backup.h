/*
 * backup.h - backups a school office can rely on (SPEC section 7).
 *
 * A backup is a new directory holding a compacted copy of the database's
 * data.mdb, taken from one read snapshot while other processes keep
 * writing (record by record, envcopy.h), synced, opened and verified (the hash
 * chain and a replay compared with the copied read side) under a
 * temporary name beside it, and only then renamed into place.  So a
 * directory with a backup's name is always a finished, verified backup;
 * a crash leaves at most a NAME.tmp-XXXXXX beside it.
 *
 * The copy carries everything in the LMDB environment: the log, the read
 * side and whatever a database keeps outside the read side (the
 * checkpoint, origin, keys, the backup records below).
 *
 * Where things are kept, outside the read side (LMDB's main database,
 * beside the checkpoint; rebuild never touches them, and they are not
 * events: taking a backup changes nothing a replay could):
 *   "\0backup"         the last backup taken: i64 at (µs UTC) | u64
 *                      events | u64 bytes | path
 *   "\0backup-failed"  the last automatic backup that failed, cleared by
 *                      the next automatic one that succeeds: i64 at |
 *                      reason
 * The settings (backup-dir, backup-keep) are config events, in the read
 * side like the policy (rm_backup.h).
 */
#ifndef ROLLCALL_BACKUP_H
#define ROLLCALL_BACKUP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "event.h"

#define BACKUP_KEEP_DEFAULT 14	/* as RM_BACKUP_KEEP_DEFAULT */
#define BACKUP_KEEP_MAX 1000
/* Automatic backups are named PREFIX YYYY-MM-DDTHHMM (local time). */
#define BACKUP_PREFIX "rollcall-"
#define BACKUP_NAME_LEN 24	/* "rollcall-2026-12-04T0802" */

struct rc_backup_settings {
	char dir[RC_CONFIG_TEXT_MAX + 1];	/* "" when unset */
	unsigned keep;				/* 1..BACKUP_KEEP_MAX */
};

/* The backup settings in force. */
int backup_settings(rc_db *db, struct rc_backup_settings *s);

/*
 * The value to store for `config backup-dir DIR`: DIR made absolute
 * (against the working directory), without trailing slashes, checked
 * (UTF-8, no control characters, fits, not inside the database's own
 * directory).  RC_OK, or RC_REFUSED with db_error() saying why.
 */
int backup_dir_value(rc_db *db, const char *dir, char *out, size_t len);

struct rc_backup {
	char path[PATH_MAX];	/* absolute */
	uint64_t events;
	uint64_t bytes;		/* of the copied data.mdb */
};

/*
 * Take a backup of db into the new directory dest, which must not exist
 * (RC_REFUSED, as when its parent is missing or it lies inside the
 * database's directory).  Storage errors (a full or read-only disk) are
 * RC_ESYS; a copy that does not verify is RC_REFUSED.  On any error
 * nothing is left behind.  On RC_OK fills *out and records the backup as
 * the last one taken (best effort: a database we may only read is still
 * backed up).
 */
int backup_take(rc_db *db, const char *dest, struct rc_backup *out);

struct rc_backup_daily {
	int taken;		/* 1: taken now (b is it); 0: not due */
	int busy;		/* 0 taken: another process is taking it */
	char today[BACKUP_NAME_LEN + 1]; /* !taken && !busy: today's */
	struct rc_backup b;
	size_t removed;		/* old ones removed to keep backup-keep */
};

/*
 * The automatic backup: when backup-dir holds no backup of today (local
 * day, ROLLCALL_NOW honoured), take rollcall-YYYY-MM-DDTHHMM there and
 * remove the oldest of its own backups beyond backup-keep.  It removes
 * only directories named by that pattern that hold nothing but a
 * data.mdb (and a lock.mdb).  A failure is recorded (see above) and
 * returned; RC_REFUSED when backup-dir is not set.
 */
int backup_daily(rc_db *db, struct rc_backup_daily *out);

struct rc_backup_state {
	int64_t last_at;	/* µs UTC of the last backup taken; 0 none */
	char last_path[PATH_MAX];
	uint64_t last_events, last_bytes;
	int64_t failed_at;	/* µs UTC of a failure not yet made good */
	char failure[256];
	struct rc_backup_settings set;
	size_t kept;		/* automatic backups in set.dir */
	int today;		/* one of them is of today */
};

/*
 * What status shows.  Reads the records above and lists backup-dir (a
 * missing directory counts no backups; it is not an error here).
 */
int backup_state(rc_db *db, struct rc_backup_state *st);

#endif
