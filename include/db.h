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
 * Open (creating if needed, mode 0700/0600) the database in directory
 * `dir`.  On failure returns RC_ESYS and writes a message to err.
 * The read side is not caught up here; the first command or
 * db_catch_up() does that.
 */
int db_open(const char *dir, rc_db **out, char *err, size_t errlen);
void db_close(rc_db *db);

/* Message of the last failed call on db. */
const char *db_error(const rc_db *db);

/* The directory the database lives in (as given to db_open). */
const char *db_path(const rc_db *db);

/*
 * Resolve the database directory: `opt` (--db) if non-NULL, else
 * $ROLLCALL_DB, else $XDG_DATA_HOME/rollcall, else ~/.local/share/rollcall.
 * Returns RC_OK, or RC_ESYS when no home can be found or it does not fit.
 */
int db_resolve_path(const char *opt, char *buf, size_t len);

/*
 * Apply any events appended (by this or another process) that the read
 * side has not seen yet, in one write transaction.  Commands do this
 * themselves; the TUI calls it when db_poll() says something changed.
 */
int db_catch_up(rc_db *db);

/*
 * Cheap change detector for a polling front end: sets *changed to 1 when
 * another transaction has committed since the last call (LMDB's last
 * transaction id moved).  Never opens a transaction.
 */
int db_poll(rc_db *db, int *changed);

#endif
