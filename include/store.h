/*
 * store.h - core-internal: the LMDB environment, the log, the hash chain
 * and map growth.  The store knows events and LMDB, nothing above: it
 * never projects.  Only the core below the public API (store, readside,
 * the read models rm_*.c, projector, command, query, replay) includes
 * this; front ends use db.h, command.h and query.h.
 */
#ifndef ROLLCALL_STORE_H
#define ROLLCALL_STORE_H

#include <limits.h>
#include <lmdb.h>
#include <stdint.h>

#include "author.h"
#include "db.h"
#include "event.h"
#include "record.h"

/*
 * The log and the students' keys (keys.h) first, then the read side
 * (record.h lists and describes it): from DB_FIRST_READ on is what
 * rebuild drops and verify compares.
 */
#define STORE_DBS(X) \
	X(DB_EVENTS, "events") \
	X(DB_KEYS, "keys") \
	READ_DBS(X)

enum store_db {
#define X(sym, name) sym,
	STORE_DBS(X)
#undef X
	DB_COUNT
};

#define DB_FIRST_READ DB_META

struct rc_db {
	MDB_env *env;
	MDB_dbi dbi[DB_COUNT];
	MDB_dbi main_dbi;	/* the catalog; holds the checkpoint too */
	char path[PATH_MAX];
	char err[512];
	int mdb_rc;		/* LMDB code behind the last failure */
	/* The log's tail as of the current write transaction. */
	int tail_valid;
	uint64_t tail_seq;
	uint8_t tail_hash[EVENT_HASH_LEN];
	int writable_checked;	/* this write txn may append (replica mark) */
	unsigned env_flags;	/* extra mdb_env_open flags (verify) */
	/*
	 * The write transaction store_write has open (NULL outside one),
	 * and a count of write transactions begun: layers above may keep
	 * caches that are good only inside one write transaction, tagged
	 * with write_gen (a retry after growing the map counts anew).
	 */
	MDB_txn *write_txn;
	uint64_t write_gen;
	/*
	 * State the layers above keep on the handle (the read models'
	 * memory, readside.h); the store only frees it, at db_close, with
	 * the function they left.
	 */
	void *upper;
	void (*upper_free)(void *upper);
	size_t last_txnid;	/* for db_poll */
	/* The metadata of the events this handle appends (SPEC 7). */
	struct rc_author author;
	int author_set;		/* 0 not yet, 1 set, -1 refused: see */
	char author_err[512];	/* db_set_author */
	int in_batch;		/* an import: source import, batch below */
	uint8_t batch[RC_ID_LEN];
	int has_origin;		/* seen in this process: no need to look */
	MDB_txn *origin_txn;	/* the write transaction that has one */
	int lock_fd;		/* lock.mdb, flock()ed shared while open */
	/*
	 * No data.mdb yet: an empty environment in memory stands in, so
	 * that reads and refused commands leave nothing on disk; the first
	 * write that appends creates the database (store.c).
	 */
	int absent;
	int make_parents;	/* the default place: create its parents */
	/*
	 * verify's scratch copy opens sealed records with the keys (and
	 * the log) of the database it checks, in that one's snapshot,
	 * rather than copying keys anywhere (keys.h).
	 */
	struct rc_db *key_src;
	MDB_txn *key_txn;
	/* Long walks' account of the map (store_map_trim). */
	size_t map_held;	/* bytes they mapped since it was let go */
	int map_fits;		/* the last one needed <= store_map_keep */
	unsigned long map_releases;	/* times it was let go (tests) */
};

/* Initial map size of new environments; tests set it small. */
extern size_t store_initial_mapsize;

/*
 * Open an environment in an existing directory `dir` with extra LMDB
 * flags (0, or MDB_NOSYNC for verify's scratch copy).
 */
int store_open(const char *dir, unsigned flags, rc_db **out, char *err,
    size_t errlen);

/* Name of sub-database i. */
const char *store_db_name(int i);

/* Set db->err from a format; returns code. */
int store_fail(rc_db *db, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set db->err from an LMDB error in `what`; returns RC_ESYS. */
int store_lmdb_fail(rc_db *db, int mdb_rc, const char *what);

/*
 * How a cursor walk ended: RC_OK when it ran out (MDB_NOTFOUND) or was
 * stopped early (0); otherwise the LMDB error, as RC_ESYS.
 */
int store_walk_end(rc_db *db, int mdb_rc, const char *what);

/*
 * Give the database its origin if it has none (in txn, a write
 * transaction); store_append does it, so a write that appends nothing
 * (a catch-up, a rebuild) leaves an old database without one.
 */
int store_ensure_origin(rc_db *db, MDB_txn *txn);

/* Begin a read-only transaction (handles MDB_MAP_RESIZED). */
int store_read_begin(rc_db *db, MDB_txn **txn);

/*
 * Run `fn` inside one write transaction and commit it durably.  On
 * MDB_MAP_FULL (from fn or the commit) the transaction is aborted, the
 * map grown and fn run again from the start, so fn must not keep side
 * effects outside the transaction.  fn returns an RC_* code (after
 * setting db->err); anything but RC_OK aborts.
 */
typedef int (*store_write_fn)(rc_db *db, MDB_txn *txn, void *ctx);
int store_write(rc_db *db, store_write_fn fn, void *ctx);

/*
 * Tell the store the log's head (seq and its record's hash), read by a
 * caller in this write transaction: the next append chains onto it
 * without looking again.
 */
void store_know_head(rc_db *db, uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN]);

/* Last sequence in the log and its record's hash (zeros when empty). */
int store_head(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN]);

/*
 * The record at seq, pointing into txn's pages (valid while it lasts).
 * RC_OK, or RC_ESYS (db->err) when the log does not hold it.
 */
int store_record(rc_db *db, MDB_txn *txn, uint64_t seq, const uint8_t **rec,
    size_t *len);

/*
 * Append an event at seq head+1 with prev = head hash and recorded_at
 * from the clock when ev->recorded_at is 0.  Fills ev->seq and ev->prev.
 * On success the record's bytes are in `rec`/`*len` for the projector.
 */
int store_append(rc_db *db, MDB_txn *txn, struct rc_event *ev,
    uint8_t rec[EVENT_MAX_LEN], size_t *len);

/*
 * RC_OK when this database takes commands; RC_REFUSED, naming the
 * origin, on a replica (checked once per write transaction; store_append
 * checks it too).
 */
int store_check_writable(rc_db *db, MDB_txn *txn);

/*
 * Append a record exactly as given, as a replica copies its origin's log:
 * its seq must be head+1 and its prev the head's hash.  Returns RC_OK
 * with the record's seq in *seq, or RC_REFUSED with the reason (not a
 * rollcall record, a gap, a hash that does not chain).
 */
int store_append_record(rc_db *db, MDB_txn *txn, const uint8_t *rec,
    size_t len, uint64_t *seq);

/*
 * Values kept in LMDB's main database beside the checkpoint, outside the
 * read side (rebuild never drops them): keys start with NUL.
 * store_meta_get sets *found and copies at most cap bytes (*len is the
 * stored length).
 */
int store_meta_get(rc_db *db, MDB_txn *txn, const char *key, void *buf,
    size_t cap, size_t *len, int *found);
int store_meta_put(rc_db *db, MDB_txn *txn, const char *key,
    const void *val, size_t len);

/* Main-database keys of publish and replica (SPEC 9). */
#define META_PUBLISHED "\0published"	/* u64: last seq the stream acked */
#define META_REPLICA_OF "\0replica_of"	/* id[16]: this copies that origin */

/*
 * Long walks (the log) bound the pages of LMDB's
 * map they keep mapped.  Begin with store_map_mark, call store_map_trim
 * now and then with a pointer into the map and how far the walk is
 * (done of total steps; total 0 when not known), and store_map_done
 * when the walk ends, early or not.  The map is let go (the pages stay
 * in the page cache) once walks have mapped more than store_map_budget
 * since it was last let go; a process whose last walk needed no more
 * than store_map_keep in all (a desk walking a small school's log again)
 * may keep up to that much instead, so that its next walk finds its
 * pages mapped.  See store.c.
 */
extern size_t store_map_budget;
extern size_t store_map_keep;
struct store_map_walk {
	size_t seen;		/* our resident file bytes at the last look */
	size_t grown;		/* bytes this walk mapped, let go or not */
	size_t need;		/* what it would map in all, guessed when */
};				/* first let go (0: not yet) */
void store_map_mark(rc_db *db, struct store_map_walk *w);
void store_map_trim(rc_db *db, struct store_map_walk *w,
    const void *inside, size_t done, size_t total);
void store_map_done(rc_db *db, struct store_map_walk *w);

/*
 * Fault in the whole pages of [p, p + len), memory just allocated and
 * about to be written through, in one call instead of a fault a page
 * (a fault is 10-20 us on a paravirtualised VM: 8 MB of rows, 2,000 of
 * them, were half the desk's start).  Best effort.
 */
void store_prefault(void *p, size_t len);

#endif
