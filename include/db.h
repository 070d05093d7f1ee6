/*
 * db.h - opening a rollcall database and asking about it.
 *
 * A database is one LMDB environment directory holding the event log and
 * the read side.  The handle is opaque; front ends never see LMDB.
 *
 * Every core function returns one of the RC_* codes below, which are also
 * the process exit statuses of the command line.  When a call fails,
 * db_error() returns one clear sentence saying why; it stays valid until
 * the next call on the same handle.
 */
#ifndef ROLLCALL_DB_H
#define ROLLCALL_DB_H

#include <stddef.h>
#include <stdint.h>

enum {
	RC_OK = 0,	/* success */
	RC_REFUSED = 1,	/* validation, unknown student, duplicate, ... */
	RC_USAGE = 2,	/* bad command line */
	RC_ESYS = 3	/* storage or system error */
};

typedef struct rc_db rc_db;

/* Progress: done of total events so far; return non-zero to cancel. */
typedef int (*rc_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Open the database in directory `dir`.  A database that does not exist
 * yet reads as empty and is created (mode 0700/0600) by the first
 * command that appends an event, so reading or a refusal creates no
 * directory and no file.  A data file that exists but is empty,
 * truncated or not rollcall's is refused.  On failure returns RC_ESYS
 * and writes a message naming the file to err.  The read side is not
 * caught up here; the first command or db_catch_up() does that.
 */
int db_open(const char *dir, rc_db **out, char *err, size_t errlen);

/* db_open, and when the database is created, its missing parents too. */
#define DB_OPEN_PARENTS 1
int db_open_flags(const char *dir, int flags, rc_db **out, char *err,
    size_t errlen);
void db_close(rc_db *db);

/* Message of the last failed call on db. */
const char *db_error(const rc_db *db);

/* The directory the database lives in (as given to db_open). */
const char *db_path(const rc_db *db);

/*
 * Resolve the database directory: `opt` (--db) if non-NULL, else
 * $ROLLCALL_DB, else $XDG_DATA_HOME/rollcall (an absolute one only),
 * else ~/.local/share/rollcall.  Creates nothing.  Returns RC_OK, or
 * RC_ESYS when no home can be found or it does not fit.
 * db_resolve also says whether it is the default place (whose missing
 * parents rollcall may create: pass DB_OPEN_PARENTS to db_open_flags).
 */
int db_resolve_path(const char *opt, char *buf, size_t len);
int db_resolve(const char *opt, char *buf, size_t len, int *is_default);

/*
 * Who writes through this handle (SPEC 7): every event it appends from
 * now on records actor, desk and source.  actor NULL means
 * $ROLLCALL_ACTOR, else the effective user's login name (the CLI passes
 * --as); desk NULL means $ROLLCALL_DESK, else the host name; source is
 * "cli", "tui" or "kiosk" (imports record "import" themselves, with a
 * batch id of their own).  Actor and desk must be 1 to 64 printable
 * characters.  Returns RC_OK, or RC_REFUSED with db_error() naming the
 * bad value and where it came from; then every write through the handle
 * is refused with that sentence until a call succeeds (so a front end
 * that only reads may ignore the refusal).  Without a call, the first
 * write resolves the defaults with "cli".
 * Front ends call it once after db_open(): the TUI with "tui", the kiosk
 * with "kiosk".
 */
int db_set_author(rc_db *db, const char *actor, const char *desk,
    const char *source);

/*
 * The same check without a database, for a front end that must refuse
 * before it opens (and so creates) one.  Returns RC_OK or RC_REFUSED
 * with the sentence in err.
 */
int db_check_author(const char *actor, const char *desk, const char *source,
    char *err, size_t errlen);

/*
 * The database's origin (SPEC 7): a UUID given when it was created, or
 * at the first write of this release to an older database, kept in the
 * environment beside the log, never in the read side.  Writes its text
 * form to out, or "" when it has none yet (a database no write of this
 * release has touched).  Returns RC_OK or RC_ESYS.
 */
int db_origin(rc_db *db, char out[37]);

/*
 * Apply any events appended (by this or another process) that the read
 * side has not seen yet, in one write transaction.  Commands do this
 * themselves; the TUI calls it when db_poll() says something changed.
 */
int db_catch_up(rc_db *db);

/* Whether the database was opened read-only (no write permission). */
int db_read_only(rc_db *db);

/*
 * Cheap change detector for a polling front end: sets *changed to 1 when
 * another transaction has committed since the last call (LMDB's last
 * transaction id moved).  Never opens a transaction.
 */
int db_poll(rc_db *db, int *changed);

#endif
