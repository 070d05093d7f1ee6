/*
 * logship.c - the storage side of publish and replica (SPEC 9).
 *
 * The log travels as its stored bytes: a replica appends exactly what
 * its origin wrote, so its hash chain is the origin's and verifies.  Two
 * values sit in LMDB's main database beside the checkpoint, outside the
 * read side that rebuild throws away: the published position and the
 * replica mark.
 */
#include <string.h>

#include "bytes.h"
#include "keys.h"
#include "logship.h"
#include "projector.h"
#include "store.h"

/* Records at once from which the read side is written in bulk. */
#define LOGSHIP_MANY 512

/* Where the origin lives (store.c of SPEC 7 keeps it under this key). */
#define META_ORIGIN "\0origin"

int
logship_walk(rc_db *db, uint64_t from, size_t max, logship_rec_fn fn,
    void *ctx)
{
	uint8_t key[8];
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	size_t n = 0;
	int rc, mrc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_EVENTS], &cur)) != 0) {
		mdb_txn_abort(txn);
		return store_lmdb_fail(db, mrc, "cannot read the log");
	}
	put_u64(key, from);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	rc = RC_OK;
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8) {
			rc = store_fail(db, RC_ESYS, "the log has a damaged key");
			break;
		}
		if (fn(ctx, get_u64(k.mv_data), v.mv_data, v.mv_size) != 0 ||
		    (max && ++n >= max))
			break;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (rc != RC_OK)
		return rc;
	return store_walk_end(db, mrc, "cannot read the log");
}

int
logship_record(rc_db *db, uint64_t seq, uint8_t buf[EVENT_MAX_LEN],
    size_t *len, int *found)
{
	uint8_t key[8];
	MDB_txn *txn;
	MDB_val k, v;
	int rc, mrc;

	*found = 0;
	*len = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	put_u64(key, seq);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	mrc = mdb_get(txn, db->dbi[DB_EVENTS], &k, &v);
	if (mrc == 0 && v.mv_size <= EVENT_MAX_LEN) {
		memcpy(buf, v.mv_data, v.mv_size);
		*len = v.mv_size;
		*found = 1;
	} else if (mrc == 0) {
		rc = store_fail(db, RC_ESYS, "event %llu is damaged (too long)",
		    (unsigned long long)seq);
	} else if (mrc != MDB_NOTFOUND) {
		rc = store_lmdb_fail(db, mrc, "cannot read the log");
	}
	mdb_txn_abort(txn);
	return rc;
}

int
logship_head(rc_db *db, uint64_t *seq, uint8_t hash[EVENT_HASH_LEN])
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = store_head(db, txn, seq, hash);
	mdb_txn_abort(txn);
	return rc;
}

int
logship_published(rc_db *db, uint64_t *seq, int *known)
{
	uint8_t buf[8];
	MDB_txn *txn;
	size_t len;
	int rc;

	*seq = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = store_meta_get(db, txn, META_PUBLISHED, buf, sizeof(buf), &len,
	    known);
	mdb_txn_abort(txn);
	if (rc == RC_OK && *known && len != sizeof(buf))
		return store_fail(db, RC_ESYS, "the published position is "
		    "damaged");
	if (rc == RC_OK && *known)
		*seq = get_u64(buf);
	return rc;
}

static int
set_published_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	uint8_t buf[8];

	put_u64(buf, *(const uint64_t *)arg);
	return store_meta_put(db, txn, META_PUBLISHED, buf, sizeof(buf));
}

int
logship_set_published(rc_db *db, uint64_t seq)
{
	return store_write(db, set_published_txn, &seq);
}

/* A database no write of this release touched gets its origin now. */
static int
origin_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	(void)arg;
	return store_ensure_origin(db, txn);
}

int
logship_origin(rc_db *db, char out[RC_ID_TEXT])
{
	int rc;

	if ((rc = db_origin(db, out)) != RC_OK || out[0])
		return rc;
	if ((rc = store_write(db, origin_txn, NULL)) != RC_OK)
		return rc;
	return db_origin(db, out);
}

static int
replica_mark(rc_db *db, MDB_txn *txn, uint8_t origin[RC_ID_LEN], int *is)
{
	size_t len;
	int rc;

	rc = store_meta_get(db, txn, META_REPLICA_OF, origin, RC_ID_LEN, &len,
	    is);
	if (rc == RC_OK && *is && len != RC_ID_LEN)
		return store_fail(db, RC_ESYS, "the database's replica mark "
		    "is damaged");
	return rc;
}

int
logship_replica_of(rc_db *db, uint8_t origin[RC_ID_LEN], int *is)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = replica_mark(db, txn, origin, is);
	mdb_txn_abort(txn);
	return rc;
}

/* Whether db may be (or is) a replica of origin; *mark: it needs the mark. */
static int
claimable(rc_db *db, MDB_txn *txn, const uint8_t origin[RC_ID_LEN],
    int *mark_it)
{
	uint8_t mark[RC_ID_LEN], hash[EVENT_HASH_LEN];
	char text[RC_ID_TEXT];
	uint64_t head;
	int rc, is;

	*mark_it = 0;
	if ((rc = replica_mark(db, txn, mark, &is)) != RC_OK)
		return rc;
	if (is && memcmp(mark, origin, RC_ID_LEN) == 0)
		return RC_OK;
	if (is) {
		event_id_text(mark, text);
		return store_fail(db, RC_REFUSED, "this database is a replica "
		    "of %s, not of that origin", text);
	}
	if ((rc = store_head(db, txn, &head, hash)) != RC_OK)
		return rc;
	if (head > 0)
		return store_fail(db, RC_REFUSED, "this database has events of "
		    "its own: a replica starts in an empty database");
	*mark_it = 1;
	return RC_OK;
}

/* Mark an empty database as a replica of origin, or check the mark. */
static int
claim(rc_db *db, MDB_txn *txn, const uint8_t origin[RC_ID_LEN])
{
	int rc, mark_it;

	if ((rc = claimable(db, txn, origin, &mark_it)) != RC_OK || !mark_it)
		return rc;
	if ((rc = store_meta_put(db, txn, META_REPLICA_OF, origin,
	    RC_ID_LEN)) != RC_OK)
		return rc;
	/* The pair (origin, seq) names an event everywhere (SPEC 7). */
	return store_meta_put(db, txn, META_ORIGIN, origin, RC_ID_LEN);
}

static int
claim_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	return claim(db, txn, arg);
}

int
logship_check_claim(rc_db *db, const uint8_t origin[RC_ID_LEN])
{
	MDB_txn *txn;
	int rc, mark_it;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = claimable(db, txn, origin, &mark_it);
	mdb_txn_abort(txn);
	return rc;
}

int
logship_claim(rc_db *db, const uint8_t origin[RC_ID_LEN])
{
	uint8_t mark[RC_ID_LEN];
	int rc, is;

	/* Already marked: nothing to write. */
	if ((rc = logship_replica_of(db, mark, &is)) != RC_OK)
		return rc;
	if (is && memcmp(mark, origin, RC_ID_LEN) == 0)
		return RC_OK;
	return store_write(db, claim_txn, (void *)origin);
}

int
logship_key(rc_db *db, const uint8_t id[RC_ID_LEN],
    uint8_t key[LOGSHIP_KEY_LEN], int *found)
{
	enum key_state state;
	MDB_txn *txn;
	int rc;

	*found = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = keys_get(db, txn, id, key, &state);
	mdb_txn_abort(txn);
	*found = rc == RC_OK && state == KEY_PRESENT;
	return rc;
}

/* The keys fetched for a batch, where the replica has no key record. */
static int
store_keys(rc_db *db, MDB_txn *txn, const struct logship_key *keys,
    size_t n)
{
	enum key_state state;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if ((rc = keys_state(db, txn, keys[i].id, &state)) != RC_OK)
			return rc;
		if (state == KEY_MISSING &&
		    (rc = keys_put(db, txn, keys[i].id, keys[i].key)) != RC_OK)
			return rc;
	}
	return RC_OK;
}

/* An erasure copied from the origin destroys the replica's key too. */
static int
copied_erasure(rc_db *db, MDB_txn *txn, const uint8_t *rec, size_t len,
    uint64_t seq)
{
	struct rc_event ev;

	if (len < EVENT_HEADER_LEN || rec[1] != EV_STUDENT_ERASED ||
	    event_decode(rec, len, &ev, NULL) != 0)
		return RC_OK;
	return keys_destroy(db, txn, ev.id, seq);
}

struct append_ctx {
	const uint8_t *origin;
	const struct logship_rec *recs;
	const struct logship_key *keys;
	size_t nkeys;
	size_t n, done;
	int bad;		/* record `done` was refused */
	char why[sizeof(((rc_db *)0)->err)];
};

static int
append_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct append_ctx *c = arg;
	const struct logship_rec *r;
	uint64_t seq;
	int rc;

	c->done = 0;
	c->bad = 0;
	if ((rc = claim(db, txn, c->origin)) != RC_OK ||
	    (rc = store_keys(db, txn, c->keys, c->nkeys)) != RC_OK)
		return rc;
	for (; c->done < c->n; c->done++) {
		r = &c->recs[c->done];
		rc = store_append_record(db, txn, r->rec, r->len, &seq);
		if (rc == RC_OK && seq != r->stream_seq)
			rc = store_fail(db, RC_REFUSED, "it holds event %llu",
			    (unsigned long long)seq);
		if (rc == RC_OK)
			rc = copied_erasure(db, txn, r->rec, r->len, seq);
		if (rc == RC_REFUSED) {
			/* Keep what came before; report this one after. */
			c->bad = 1;
			memcpy(c->why, db->err, sizeof(c->why));
			break;
		}
		if (rc != RC_OK)
			return rc;
	}
	if (c->done == 0)
		return RC_OK;
	/*
	 * A catch-up's thousands: the read models sum in memory and write
	 * each key once (an import's way); a follow's few, as a command.
	 */
	if (c->done >= LOGSHIP_MANY)
		return proj_catch_up_many(db, txn, c->done);
	return proj_catch_up(db, txn, NULL, NULL);
}

int
logship_append(rc_db *db, const uint8_t origin[RC_ID_LEN],
    const struct logship_rec *recs, size_t n, const struct logship_key *keys,
    size_t nkeys, size_t *done)
{
	struct append_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.origin = origin;
	c.recs = recs;
	c.keys = keys;
	c.nkeys = nkeys;
	c.n = n;
	rc = store_write(db, append_txn, &c);
	*done = rc == RC_OK ? c.done : 0;
	if (rc == RC_OK && c.bad)
		return store_fail(db, RC_REFUSED, "%s", c.why);
	return rc;
}
