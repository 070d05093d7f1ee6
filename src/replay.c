/*
 * replay.c - rebuild and verify: the two commands that replay the whole
 * log, the first into the read side, the second into a scratch copy that
 * it then compares with the stored read side.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "command.h"
#include "keys.h"
#include "projector.h"

struct replay_ctx {
	rc_progress_fn progress;
	void *ctx;
};

static int
rebuild_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct replay_ctx *c = arg;

	return proj_replay(db, txn, c->progress, c->ctx);
}

int
command_rebuild(rc_db *db, rc_progress_fn progress, void *ctx)
{
	struct replay_ctx c = { progress, ctx };

	return store_write(db, rebuild_txn, &c);
}

/* ---- verify ----------------------------------------------------------- */

#define MAX_DIFFS 10

struct verify {
	rc_db *db;		/* the database verified */
	MDB_txn *txn;		/* one read snapshot of it, for the whole run */
	rc_db *scratch;		/* the replayed copy */
	rc_progress_fn progress;
	void *ctx;
	char diffs[MAX_DIFFS][256];
	size_t ndiffs;
	uint64_t head, cp;	/* the snapshot's head and checkpoint */
	uint8_t head_hash[EVENT_HASH_LEN], cp_hash[EVENT_HASH_LEN];
	int other_format;	/* then its sub-databases are not compared */
};

static void
diff(struct verify *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
diff(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	if (v->ndiffs == MAX_DIFFS)
		return;
	va_start(ap, fmt);
	vsnprintf(v->diffs[v->ndiffs++], sizeof(v->diffs[0]), fmt, ap);
	va_end(ap);
}

/* Check one record's place in the chain; `prev` becomes its hash. */
static void
check_link(struct verify *v, uint64_t expect, const MDB_val *k,
    const MDB_val *val, uint8_t prev[EVENT_HASH_LEN])
{
	struct rc_event ev;
	const char *why;
	uint64_t seq = get_u64(k->mv_data);

	if (seq != expect)
		diff(v, "events: event %llu is missing (the log jumps from "
		    "%llu to %llu)", (unsigned long long)expect,
		    (unsigned long long)expect - 1, (unsigned long long)seq);
	if (event_decode_header(val->mv_data, val->mv_size, &ev, &why) != 0)
		diff(v, "events: event %llu is damaged (%s)",
		    (unsigned long long)seq, why);
	else if (ev.seq != seq)
		diff(v, "events: event %llu carries sequence %llu",
		    (unsigned long long)seq, (unsigned long long)ev.seq);
	else if (memcmp(ev.prev, prev, EVENT_HASH_LEN) != 0)
		diff(v, "events: hash chain broken at event %llu (event %llu "
		    "or the one before it was changed)",
		    (unsigned long long)seq, (unsigned long long)seq);
	event_hash(val->mv_data, val->mv_size, prev);
}

/*
 * Sealed personal data must open (SPEC 7): a lost or damaged key, or a
 * tombstone the log does not back, is damage even when the stored read
 * side, projected while the key was there or already without it,
 * agrees with the replay.  An erased student's records are fine.
 */
static int
check_sealed(struct verify *v, uint64_t seq, const MDB_val *val)
{
	const uint8_t *p = val->mv_data;
	uint8_t opened[SEAL_PLAIN_MAX];
	struct rc_event ev;
	int rc;

	/* Only registrations and updates seal: skip the rest unread. */
	if (val->mv_size < EVENT_HEADER_LEN || (p[1] != EV_STUDENT_REGISTERED &&
	    p[1] != EV_STUDENT_UPDATED) || p[2] < EVENT_SEALED_SINCE)
		return RC_OK;
	if (event_decode(val->mv_data, val->mv_size, &ev, NULL) != 0 ||
	    ev.seal != SEAL_CLOSED)
		return RC_OK;	/* damaged records are the replay's to name */
	rc = keys_open(v->db, v->txn, &ev, opened);
	if (rc == RC_REFUSED) {
		diff(v, "events: event %llu: %s", (unsigned long long)seq,
		    db_error(v->db));
		return RC_OK;
	}
	return rc == RC_OK ? RC_OK : store_fail(v->scratch, rc, "%s",
	    db_error(v->db));
}

/* Replay the snapshot's log into the scratch copy, checking the chain. */
static int
replay_events(struct verify *v, rc_db *scratch, MDB_txn *stxn)
{
	uint8_t prev[EVENT_HASH_LEN] = { 0 };
	uint64_t expect = 1, seq = 0;
	MDB_cursor *cur;
	MDB_val k, val;
	int rc = RC_OK, mrc;

	if ((mrc = mdb_cursor_open(v->txn, v->db->dbi[DB_EVENTS], &cur)) != 0)
		return store_lmdb_fail(scratch, mrc, "cannot read the log");
	for (mrc = mdb_cursor_get(cur, &k, &val, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
		if (k.mv_size != 8) {
			diff(v, "events: a key is damaged");
			continue;
		}
		check_link(v, expect, &k, &val, prev);
		seq = get_u64(k.mv_data);
		expect = seq + 1;
		if ((rc = check_sealed(v, seq, &val)) != RC_OK)
			break;
		rc = proj_apply_record(scratch, stxn, seq, val.mv_data,
		    val.mv_size);
		if (rc != RC_OK)
			break;
		if (v->progress && seq % 4096 == 0 &&
		    v->progress(v->ctx, seq, v->head) != 0) {
			rc = store_fail(scratch, RC_REFUSED, "cancelled");
			break;
		}
	}
	mdb_cursor_close(cur);
	if (rc != RC_OK)
		return rc;
	if ((rc = store_walk_end(scratch, mrc, "cannot read the log")) != 0)
		return rc;
	if (v->progress)
		v->progress(v->ctx, v->head, v->head);
	if (seq == 0)
		return RC_OK;
	return rs_set_checkpoint(scratch, stxn, seq, prev);
}

/* The scratch copy is built the way rebuild builds the read side. */
static int
replay_txn(rc_db *scratch, MDB_txn *stxn, void *arg)
{
	struct verify *v = arg;
	int rc;

	v->ndiffs = 0;
	/* Sealed records open with the keys of the database verified. */
	scratch->key_src = v->db;
	scratch->key_txn = v->txn;
	if ((rc = proj_replay_begin(scratch, stxn, v->head)) != RC_OK)
		return rc;
	rc = replay_events(v, scratch, stxn);
	if (rc != RC_OK) {
		proj_replay_end(scratch, stxn, 0);
		return rc;
	}
	return proj_replay_end(scratch, stxn, 1);
}

/* Describe a key for a person: text when printable, else hex. */
static void
key_text(const MDB_val *k, char *buf, size_t cap)
{
	const uint8_t *p = k->mv_data;
	size_t i, n = 0;
	int printable = k->mv_size > 0;

	for (i = 0; i < k->mv_size; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			printable = 0;
	if (printable) {
		snprintf(buf, cap, "'%.*s'", (int)(k->mv_size > 60 ? 60 :
		    k->mv_size), (const char *)p);
		return;
	}
	for (i = 0; i < k->mv_size && n + 3 < cap && i < 24; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%02x", p[i]);
	if (i < k->mv_size && n + 4 < cap)
		snprintf(buf + n, cap - n, "...");
}

static int
val_cmp(const MDB_val *a, const MDB_val *b)
{
	size_t n = a->mv_size < b->mv_size ? a->mv_size : b->mv_size;
	int c = memcmp(a->mv_data, b->mv_data, n);

	if (c != 0)
		return c;
	return a->mv_size < b->mv_size ? -1 : a->mv_size > b->mv_size;
}

/* Compare sub-database i of the snapshot with the replayed one. */
static int
compare_db(struct verify *v, MDB_txn *stxn, int i)
{
	MDB_cursor *a = NULL, *b = NULL;
	MDB_val ka, va, kb, vb;
	char key[128];
	const char *name = store_db_name(i);
	int ra, rb, c, rc = RC_OK;

	if (mdb_cursor_open(v->txn, v->db->dbi[i], &a) != 0 ||
	    mdb_cursor_open(stxn, v->scratch->dbi[i], &b) != 0) {
		rc = store_fail(v->db, RC_ESYS, "cannot read %s", name);
		goto out;
	}
	ra = mdb_cursor_get(a, &ka, &va, MDB_FIRST);
	rb = mdb_cursor_get(b, &kb, &vb, MDB_FIRST);
	while (ra == 0 || rb == 0) {
		if ((ra != 0 && ra != MDB_NOTFOUND) ||
		    (rb != 0 && rb != MDB_NOTFOUND))
			break;
		c = ra != 0 ? 1 : rb != 0 ? -1 : val_cmp(&ka, &kb);
		if (c < 0) {
			key_text(&ka, key, sizeof(key));
			diff(v, "%s: key %s should not be there", name, key);
			break;
		}
		if (c > 0) {
			key_text(&kb, key, sizeof(key));
			diff(v, "%s: key %s is missing", name, key);
			break;
		}
		if (val_cmp(&va, &vb) != 0) {
			key_text(&ka, key, sizeof(key));
			diff(v, "%s: the value of key %s differs from a "
			    "replay of the log", name, key);
			break;
		}
		ra = mdb_cursor_get(a, &ka, &va, MDB_NEXT);
		rb = mdb_cursor_get(b, &kb, &vb, MDB_NEXT);
	}
	if ((ra != 0 && ra != MDB_NOTFOUND) || (rb != 0 && rb != MDB_NOTFOUND))
		rc = store_lmdb_fail(v->db, ra != 0 && ra != MDB_NOTFOUND ?
		    ra : rb, name);
out:
	if (a)
		mdb_cursor_close(a);
	if (b)
		mdb_cursor_close(b);
	return rc;
}

/*
 * Read the snapshot's checkpoint.  A read side of another format is not
 * compared, only named.
 */
static int
check_format(struct verify *v)
{
	uint32_t format;
	int rc;

	rc = rs_checkpoint(v->db, v->txn, &v->cp, v->cp_hash, &format);
	if (rc != RC_OK)
		return rc;
	v->other_format = format != READ_FORMAT;
	if (v->other_format)
		diff(v, "checkpoint: the read side was written by another "
		    "version of rollcall (format %u, not %u): run rebuild",
		    (unsigned)format, (unsigned)READ_FORMAT);
	return RC_OK;
}

/* The checkpoint must name the head and its hash: catches truncation. */
static void
check_checkpoint(struct verify *v)
{
	if (v->cp > v->head)
		diff(v, "events: the log ends at event %llu but the read side "
		    "has applied event %llu: events were removed",
		    (unsigned long long)v->head, (unsigned long long)v->cp);
	else if (v->cp < v->head)
		diff(v, "checkpoint: the read side has applied events up to %llu "
		    "of %llu", (unsigned long long)v->cp,
		    (unsigned long long)v->head);
	else if (memcmp(v->cp_hash, v->head_hash, EVENT_HASH_LEN) != 0)
		diff(v, "events: event %llu differs from the one the read "
		    "side applied", (unsigned long long)v->cp);
}

static int
compare_all(struct verify *v)
{
	MDB_txn *stxn;
	int i, rc;

	check_checkpoint(v);
	if ((rc = store_read_begin(v->scratch, &stxn)) != RC_OK)
		return store_fail(v->db, rc, "%s", db_error(v->scratch));
	for (i = DB_FIRST_READ; i < DB_COUNT && rc == RC_OK; i++)
		rc = compare_db(v, stxn, i);
	mdb_txn_abort(stxn);
	return rc;
}

static void
remove_scratch(const char *dir)
{
	char file[PATH_MAX + 16];

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	unlink(file);
	snprintf(file, sizeof(file), "%s/lock.mdb", dir);
	unlink(file);
	rmdir(dir);
}

static int
run_verify(struct verify *v, const char *dir)
{
	MDB_envinfo info;
	char err[512];
	int rc;

	if (store_open(dir, MDB_NOSYNC | MDB_NOMETASYNC, &v->scratch, err,
	    sizeof(err)) != RC_OK)
		return store_fail(v->db, RC_ESYS, "verify: %s", err);
	/* Size the copy like the original so the replay rarely restarts. */
	mdb_env_info(v->db->env, &info);
	mdb_env_set_mapsize(v->scratch->env, info.me_mapsize);
	if ((rc = store_read_begin(v->db, &v->txn)) != RC_OK)
		goto out;
	if ((rc = store_head(v->db, v->txn, &v->head, v->head_hash)) != RC_OK)
		goto out;
	/* Another build's read side: nothing to compare a replay with. */
	if ((rc = check_format(v)) != RC_OK || v->other_format)
		goto out;
	if ((rc = store_write(v->scratch, replay_txn, v)) != RC_OK) {
		store_fail(v->db, rc, "verify: %s", db_error(v->scratch));
		goto out;
	}
	rc = compare_all(v);
out:
	if (v->txn)
		mdb_txn_abort(v->txn);
	db_close(v->scratch);
	return rc;
}

int
command_verify(rc_db *db, rc_progress_fn progress, rc_diff_fn report,
    void *ctx)
{
	struct verify *v;
	char dir[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	size_t i;
	int rc;

	if (tmp == NULL || *tmp == 0)
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/rollcall-verify.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		return store_fail(db, RC_ESYS, "verify: cannot create a "
		    "scratch directory in %s: %s", tmp, strerror(errno));
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		remove_scratch(dir);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	v->db = db;
	v->progress = progress;
	v->ctx = ctx;
	rc = run_verify(v, dir);
	remove_scratch(dir);
	if (rc == RC_OK && v->ndiffs > 0) {
		for (i = 0; i < v->ndiffs; i++)
			if (report)
				report(ctx, v->diffs[i]);
		rc = store_fail(db, RC_REFUSED, "verify found %zu "
		    "difference%s", v->ndiffs, v->ndiffs == 1 ? "" : "s");
	}
	free(v);
	return rc;
}
