/*
 * logship.h - the storage side of publish and replica (SPEC 9): the log's
 * records as stored bytes, the published position, the replica mark, and
 * appending an origin's records verbatim.  No NATS here: publish.c and
 * replica.c carry the bytes; this file keeps them in the database.
 */
#ifndef ROLLCALL_LOGSHIP_H
#define ROLLCALL_LOGSHIP_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "event.h"

#define LOGSHIP_KEY_LEN 32	/* SEAL_KEY_LEN */

/*
 * Walk the stored records from sequence `from` on, in one read
 * transaction, for at most `max` of them (0: all).  fn gets each record's
 * bytes, valid only during the call; it returns non-zero to stop.
 */
typedef int (*logship_rec_fn)(void *ctx, uint64_t seq, const uint8_t *rec,
    size_t len);
int logship_walk(rc_db *db, uint64_t from, size_t max, logship_rec_fn fn,
    void *ctx);

/*
 * Copy the record of `seq` into buf (EVENT_MAX_LEN bytes).  *found = 0
 * when the log has no such event.
 */
int logship_record(rc_db *db, uint64_t seq, uint8_t buf[EVENT_MAX_LEN],
    size_t *len, int *found);

/* Last sequence of the log and its record's hash (0 and zeros: empty). */
int logship_head(rc_db *db, uint64_t *seq, uint8_t hash[EVENT_HASH_LEN]);

/*
 * The last sequence the stream has acknowledged, kept with the database
 * (not in the read side); *known = 0 when never published.
 */
int logship_published(rc_db *db, uint64_t *seq, int *known);
int logship_set_published(rc_db *db, uint64_t seq);

/*
 * The database's origin as text, giving it one first if it has none yet
 * (a database no write of this release has touched).
 */
int logship_origin(rc_db *db, char out[RC_ID_TEXT]);

/*
 * Whether this database is a replica, and of which origin (binary id).
 */
int logship_replica_of(rc_db *db, uint8_t origin[RC_ID_LEN], int *is);

/*
 * Make the database a replica of `origin`, or check that it is one: an
 * empty database is marked (and takes the origin as its own); one that
 * holds its own events, or copies another origin, is refused.
 */
int logship_claim(rc_db *db, const uint8_t origin[RC_ID_LEN]);

/* The same test, writing nothing: RC_OK when logship_claim would pass. */
int logship_check_claim(rc_db *db, const uint8_t origin[RC_ID_LEN]);

/*
 * A student's key (SPEC 7, keys.h) for the keys bucket (SPEC 9): *found
 * = 0 when they have none (registered by an earlier release, erased, or
 * lost).
 */
int logship_key(rc_db *db, const uint8_t id[RC_ID_LEN],
    uint8_t key[LOGSHIP_KEY_LEN], int *found);

/* A key a replica fetched from the bucket, stored with the records. */
struct logship_key {
	uint8_t id[RC_ID_LEN];
	uint8_t key[LOGSHIP_KEY_LEN];
};

/* One record as it came from the stream, with the stream's sequence. */
struct logship_rec {
	uint64_t stream_seq;
	const uint8_t *rec;
	size_t len;
};

/*
 * Append an origin's records verbatim to this replica and project them,
 * in one write transaction, with the keys fetched for them (stored
 * first, for students who have none yet; a student_erased among the
 * records destroys the replica's copy of that key, as on the origin).  Each must be the next event of the log (its
 * stream sequence equal to its own, its prev the head's hash).  Records
 * before the first bad one are kept: *done says how many were appended;
 * then RC_REFUSED, db_error() giving the reason for record done.
 */
int logship_append(rc_db *db, const uint8_t origin[RC_ID_LEN],
    const struct logship_rec *recs, size_t n, const struct logship_key *keys,
    size_t nkeys, size_t *done);

#endif
