/*
 * query.h - what screens and the command line read.
 *
 * Every query reads the read side in one short read transaction (the log
 * only for query_events).  Arrays returned are malloc'd and owned by the
 * caller (free()); strings in them are NUL-terminated copies, as stored
 * (escape before printing).
 */
#ifndef ROLLCALL_QUERY_H
#define ROLLCALL_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "event.h"
#include "policy.h"

struct rc_student {
	char id[RC_ID_TEXT];
	char name[RC_NAME_MAX + 1];
	char email[RC_EMAIL_MAX + 1];	/* "" when none (SPEC 8) */
	char code[RC_CODE_MAX + 1];	/* "" when none */
	uint8_t gender;		/* enum gender */
	uint8_t active;
	uint8_t erased;		/* name "[erased]", no email, code, gender */
	int32_t reg_day;	/* local day of registration */
	int64_t registered_at;	/* µs UTC */
	struct rc_figures fig;
};

struct rc_attendance {
	int32_t day;
	uint32_t arrived;
	uint8_t status;
	int32_t points;		/* a valid one's: the day's net figure */
	uint8_t voided;
	uint64_t seq;		/* event that recorded it (and its policy) */
};

/* "female", "male", "other", or NULL for none. */
const char *query_gender_name(unsigned gender);

/* The roster sorted by name (case-insensitive) then id. */
int query_students(rc_db *db, int include_removed, struct rc_student **rows,
    size_t *n);

/*
 * The same rows streamed: fn gets each in turn (valid during the call
 * only), `passes` times over in one read transaction, with the pass
 * (0, 1, ...): a table measures its columns on the first and prints on
 * the second, from the same snapshot.  fn returns an RC code; anything
 * but RC_OK stops the walk and is returned.  Nothing is kept per row
 * (the array of 2,000 rows was 1.6 MB, some 400 fresh pages a listing).
 */
typedef int (*rc_student_fn)(void *ctx, int pass, const struct rc_student *s);
int query_students_each(rc_db *db, int include_removed, int passes,
    rc_student_fn fn, void *ctx);

/*
 * One student by id, email or code (an active student's first, else the
 * last removed one's), with the attendance record by day.
 */
int query_student(rc_db *db, const char *key, struct rc_student *st,
    struct rc_attendance **att, size_t *natt);

struct rc_present {
	char id[RC_ID_TEXT];
	char name[RC_NAME_MAX + 1];
	char code[RC_CODE_MAX + 1];	/* "" when none */
	uint32_t arrived;
	uint8_t status;
	int32_t points;		/* the day's net figure (SPEC 6) */
	uint8_t excused;	/* an excuse stands for the day */
	uint8_t has_left;	/* an early departure is recorded */
	uint32_t left;
};

struct rc_absent {
	char id[RC_ID_TEXT];
	char name[RC_NAME_MAX + 1];
	uint8_t excuse;		/* reason code of its excuse, 0 when none */
	char code[RC_CODE_MAX + 1];
};

/*
 * A day: valid check-ins (sorted by name) and the students enrolled
 * that day without one, when it is a school day (SPEC 6).
 */
int query_day(rc_db *db, int32_t day, struct rc_present **present,
    size_t *npresent, struct rc_absent **absent, size_t *nabsent);

/*
 * The same rows streamed, as query_students_each: fn gets each present
 * row (a NULL), then each absent one (p NULL), `passes` times over in
 * one read transaction.
 */
typedef int (*rc_day_fn)(void *ctx, int pass, const struct rc_present *p,
    const struct rc_absent *a);
int query_day_each(rc_db *db, int32_t day, int passes, rc_day_fn fn,
    void *ctx);

/* A valid check-in of a day, without the name: the desk's marks. */
struct rc_mark {
	char id[RC_ID_TEXT];
	uint32_t arrived;
	uint8_t status;
};

/* The day's valid check-ins in no set order; lighter than query_day. */
int query_marks(rc_db *db, int32_t day, struct rc_mark **marks, size_t *n);

/*
 * Walk the log from sequence `from` (1 = the start) for at most `limit`
 * events (0 = all), newest last.  `fn` gets each record decoded as far as
 * possible: ok = 0 with a reason when it could not be decoded fully.  The
 * event lives only during the call.  fn returns non-zero to stop.
 */
typedef int (*rc_event_fn)(void *ctx, const struct rc_event *ev, int ok,
    const char *why);
int query_events(rc_db *db, uint64_t from, uint64_t limit, rc_event_fn fn,
    void *ctx);

struct rc_proj_error {
	uint64_t seq;
	char reason[200];
};

struct rc_status {
	uint64_t head;		/* last sequence in the log */
	uint64_t checkpoint;	/* last sequence the read side applied */
	size_t errors;		/* projection errors recorded */
	size_t students;	/* active */
	size_t students_all;	/* including removed */
	uint64_t db_bytes;	/* size of the files on disk */
	struct rc_policy policy;
	char origin[RC_ID_TEXT]; /* "" until the database has one (SPEC 7) */
	unsigned schema;	/* newest event version this program writes */
	uint64_t published;	/* last seq the stream acknowledged (SPEC 9) */
	int published_known;	/* 0: never published */
	char replica_of[RC_ID_TEXT]; /* "" unless a replica */
};

int query_status(rc_db *db, struct rc_status *st);

/* Projection errors, oldest first. */
int query_errors(rc_db *db, struct rc_proj_error **rows, size_t *n);

int query_policy(rc_db *db, struct rc_policy *p);

/* Whether `config quiet on` silences the desk's beeps: *on 1 or 0. */
int query_quiet(rc_db *db, int *on);
/*
 * The `collation` setting in force (SPEC 3 "Name order") into tag
 * (COLLATE_TAG_MAX + 1 bytes, collate.h): "root" unless changed.
 */
int query_collation(rc_db *db, char *tag);

/* ---- who did what to one student (SPEC 7; src/query_history.c) ----- */

#define HISTORY_SUMMARY_MAX 640	/* bytes, NUL included */

/* One line of a history; strings are NUL-terminated copies. */
struct rc_history {
	uint64_t seq;
	int64_t recorded_at;		/* µs UTC */
	char type[32];			/* event type name */
	char actor[RC_LABEL_MAX + 1];	/* "" for events before version 2 */
	char desk[RC_LABEL_MAX + 1];
	char source[8];			/* "" likewise */
	char summary[HISTORY_SUMMARY_MAX]; /* one line, for people */
};

/*
 * Every event about the student (id or email, as query_student finds
 * them), oldest first, in *rows (malloc'd; caller frees).  RC_REFUSED
 * for an unknown student.
 */
int query_history(rc_db *db, const char *student, struct rc_history **rows,
    size_t *n);

/*
 * One line for people saying what ev did to its student: "registered",
 * "name and email changed", "checked in, early, +5 (2025-09-01
 * 08:50:00)", ...  Never personal data beyond a void's reason.  Pure.
 */
void history_summary(const struct rc_event *ev, char *buf, size_t cap);

/* Whether an admin PIN is set (SPEC 8): *set 1 or 0. */
int query_pin_set(rc_db *db, int *set);

#endif
