/*
 * command.h - every change to a database, one write transaction each.
 *
 * A command catches the read side up to the head, validates against it,
 * appends its event(s), applies them, advances the checkpoint and commits
 * durably.  It returns RC_OK only after the commit; on any error nothing
 * is written and db_error(db) says why.
 *
 * STUDENT arguments are a student id (UUID text), an email address or a
 * student code (SPEC 8).
 */
#ifndef ROLLCALL_COMMAND_H
#define ROLLCALL_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "event.h"
#include "clock.h"

/*
 * A student's details as typed: NULL leaves a field out.  `clear` has
 * UPD_EMAIL, UPD_CODE and UPD_GENDER bits for details an edit removes.
 */
struct rc_details {
	const char *name, *email, *code, *gender;
	unsigned clear;
};

/*
 * Register a student: a name, and an email or a code or both (RC_USAGE
 * when neither).  Writes the new id text.
 */
int command_add(rc_db *db, const struct rc_details *d, char id[RC_ID_TEXT]);

/*
 * Correct details, set or clear (d->clear) optional ones; values equal
 * to the stored ones record nothing (and succeed).  A student keeps an
 * email or a code: clearing the last one is refused.
 */
int command_update(rc_db *db, const char *student,
    const struct rc_details *d);

/* Register a student; gender may be NULL.  Writes the new id text. */
int command_register(rc_db *db, const char *name, const char *email,
    const char *gender, char id[RC_ID_TEXT]);

/*
 * Correct details; NULL leaves a field as it is.  Values equal to the
 * stored ones record nothing (and succeed).  At least one must be given.
 */
int command_edit(rc_db *db, const char *student, const char *name,
    const char *email, const char *gender);

int command_remove(rc_db *db, const char *student);

/*
 * Re-admit a removed student with their history (student_restored).
 * Refused when the student is active, or their email is now another
 * active student's.
 */
int command_restore(rc_db *db, const char *student);

/*
 * Erase a removed student's personal data (SPEC 7, src/command_erase.c):
 * destroy their key (keys.h) and append student_erased, in one write
 * transaction.  RC_REFUSED for an active student ("remove them first"),
 * one already erased, and one any of whose personal data an earlier
 * release recorded in clear text (the log is never rewritten, so it
 * could not be erased); RC_ESYS when their key is already missing or
 * damaged.
 */
int command_erase(rc_db *db, const char *student);

/*
 * Why a check-in was refused, for a front end that words it its own way
 * (the kiosk): never by matching the message's text.
 */
enum rc_refusal {
	RF_NONE = 0,
	RF_UNKNOWN,		/* no student has that id, email or code */
	RF_REMOVED,		/* name: the removed student */
	RF_ALREADY_IN,		/* name, day and arrived: the standing one */
	RF_OTHER		/* a time in the future, a bad clock, ... */
};

struct rc_checkin {
	char id[RC_ID_TEXT];
	char name[RC_NAME_MAX + 1];
	int32_t day;
	uint32_t arrived;
	uint8_t status;
	int32_t points;
	int64_t total;		/* the student's points after this one */
	uint8_t refused;	/* enum rc_refusal: on RC_REFUSED, why */
};

/*
 * Check a student in at `at` (local), or now when at is NULL.  A time in
 * the future is refused.  On RC_OK fills *out.
 */
int command_checkin(rc_db *db, const char *student,
    const struct rc_local *at, struct rc_checkin *out);

/* Void the valid check-in of `day`; reason may be NULL or empty. */
int command_void(rc_db *db, const char *student, int32_t day,
    const char *reason);

/*
 * Change a setting: key is "start-time" (HH:MM), "window-minutes"
 * (1-120), "points" (0-1000), "backup-dir" (a directory, made absolute)
 * or "backup-keep" (1-1000).  value NULL is --unset: back to the default,
 * or unset for backup-dir.  Setting the value in force is a no-op that
 * succeeds without an event.  On RC_OK, *policy (when not NULL) is the
 * policy now in force, so callers need not read it back.
 */
int command_config(rc_db *db, const char *key, const char *value,
    struct rc_policy *policy);

/*
 * As command_config, and *backup (when not NULL) the backup settings
 * now in force, read in the same transaction: a caller that shows what
 * it changed needs no second read that could fail after the commit.
 */
struct rc_backup_settings;
int command_config_all(rc_db *db, const char *key, const char *value,
    struct rc_policy *policy, struct rc_backup_settings *backup);

/*
 * The calendar settings: "school-days" (a comma list of mon ... sun),
 * "term-start" and "term-end" (YYYY-MM-DD).  value NULL is --unset
 * (school-days back to mon-fri, a term bound to none).  A term ending
 * before it starts is refused.  The value in force records nothing.
 */
int command_config_calendar(rc_db *db, const char *key, const char *value);

/* Whether key is one of command_config_calendar's. */
int command_is_calendar_key(const char *key);

/* ---- school days, absences (SPEC 6; src/command_school.c) ------------- */

/*
 * Close every day of [from, to] (at most 366 days) for reason (required,
 * validated); refused naming the day when one is closed already.
 */
int command_close(rc_db *db, int32_t from, int32_t to, const char *reason);

/* Reopen the closed days of [from, to]; refused when there are none.
 * *n (may be NULL) is how many were reopened. */
int command_reopen(rc_db *db, int32_t from, int32_t to, size_t *n);

/*
 * Excuse each school day of [from, to] for the student (reason: a code
 * of event.h's EXCUSE_REASONS by name; note may be NULL).  Refused when
 * the range is longer than a year or reaches more than a year ahead,
 * starts before the student's enrolment, holds no school day, or holds
 * a day already excused.  *days (may be NULL) is how many were excused.
 */
int command_excuse(rc_db *db, const char *student, int32_t from,
    int32_t to, const char *reason, const char *note, size_t *days);

/* Take back the excused days of [from, to]; refused when none. */
int command_excuse_withdraw(rc_db *db, const char *student, int32_t from,
    int32_t to, size_t *days);

struct rc_checkout {
	char id[RC_ID_TEXT];
	char name[RC_NAME_MAX + 1];
	int32_t day;
	uint32_t arrived, left;
};

/*
 * Record an early departure at `at` (local; now when NULL): refused in
 * the future, without a valid check-in that day, before its arrival, or
 * when the day has a departure already.  reason may be NULL.
 */
int command_checkout(rc_db *db, const char *student,
    const struct rc_local *at, const char *reason, struct rc_checkout *out);

/* ---- compact (SPEC 7; src/compact.c) --------------------------------- */

/*
 * Rewrite the database into the smallest file with the same data and no
 * stale bytes (src/compact.c), atomically.  RC_REFUSED while another
 * process has it open; RC_ESYS (db_error() says "disk full" when it is)
 * leaves the old file.  *before and *after are the file's sizes.  On
 * RC_OK the handle can only be closed.
 */
int command_compact(rc_db *db, uint64_t *before, uint64_t *after);

/*
 * Imports: all rows checked first; on any bad row nothing is written and
 * `bad` is called once per bad row with its line number and reason (the
 * command then returns RC_REFUSED).  On success *count is the number of
 * rows recorded.
 */
typedef void (*rc_bad_row_fn)(void *ctx, unsigned long line,
    const char *reason);
int command_import_students(rc_db *db, const char *path, rc_bad_row_fn bad,
    void *ctx, size_t *count);
int command_import_attendance(rc_db *db, const char *path, rc_bad_row_fn bad,
    void *ctx, size_t *count);

/*
 * import students with options (issue 16).  merge: a row whose email
 * matches an active student updates what differs (an empty name or
 * gender cell keeps the stored value) instead of being refused.  warn,
 * when not NULL, is told once the names of the header's columns that
 * are ignored (joined by ", ") before any row is judged.  On RC_OK, *n
 * counts the rows that added, updated and left unchanged a student.
 */
typedef void (*rc_warn_fn)(void *ctx, const char *unknown_columns);
struct rc_import_opts {
	int merge;
	rc_bad_row_fn bad;
	rc_warn_fn warn;
	void *ctx;		/* for bad and warn */
};
struct rc_import_counts {
	size_t added, updated, unchanged;
};
int command_import_students_opts(rc_db *db, const char *path,
    const struct rc_import_opts *o, struct rc_import_counts *n);

/* Throw the read side away and replay the whole log. */
int command_rebuild(rc_db *db, rc_progress_fn progress, void *ctx);

/*
 * Replay the log into a temporary environment under $TMPDIR, compare it
 * with the stored read side and check the hash chain.  `diff` is called
 * for each difference found (at most a few); returns RC_OK when clean,
 * RC_REFUSED when something differs, RC_ESYS when it could not run.
 */
typedef void (*rc_diff_fn)(void *ctx, const char *what);
int command_verify(rc_db *db, rc_progress_fn progress, rc_diff_fn diff,
    void *ctx);

#endif
