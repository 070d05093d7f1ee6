/*
 * rm_history.c - the per-student event index (a read model, SPEC 7):
 * history  u32 sid -> u64 seq, one sorted duplicate per event about the
 * student (MDB_DUPSORT | MDB_DUPFIXED: 8 bytes an event), so that
 * `history` and the desk's `h` read one cursor and one log record per
 * line, never a walk of the log.
 *
 * Check-ins are not indexed here: each one is an attendance entry
 * already, and the entry carries its seq (record.h; voided ones stay), so
 * a student's history is this index and their attendance entries merged
 * by seq.  They are nearly every event, and a duplicate each cost a
 * check-in one more page and a rebuild a third of its work (LMDB grows a
 * DUPFIXED sub-page four values at a time).
 *
 * Applying an event adds one duplicate.  In bulk (a replay or an import)
 * the pairs are collected in memory, sorted by sid (each student's seqs
 * arrive in order) and each student's run written with one MDB_MULTIPLE
 * put.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "rm_history.h"
#include "rm_roster.h"

struct pair {
	uint32_t sid;
	uint64_t seq;
};

struct history_mem {
	int bulk;
	struct pair *p;
	size_t n, cap;
};

static struct history_mem *
mem(rc_db *db)
{
	struct rs_mem *m = rs_mem(db);

	if (m == NULL)
		return NULL;
	if (m->history == NULL)
		m->history = calloc(1, sizeof(*m->history));
	return m->history;
}

static int
buffer_pair(rc_db *db, struct history_mem *h, uint32_t sid, uint64_t seq)
{
	struct pair *q;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 4096;
		if ((q = realloc(h->p, h->cap * sizeof(*q))) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		h->p = q;
	}
	h->p[h->n].sid = sid;
	h->p[h->n].seq = seq;
	h->n++;
	return RC_OK;
}

/* Every event with a student id (event_type_has_id). */
static int
history_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct history_mem *h = mem(db);
	struct roster_rec r;
	uint8_t key[4], seq[8];
	MDB_val k = { 4, key }, v = { 8, seq };
	uint32_t sid = step->sid;
	int rc;

	if (!event_type_has_id(ev->type) ||
	    ev->type == EV_ATTENDANCE_RECORDED)	/* in attendance (above) */
		return RC_OK;
	if (sid == 0 && (rc = rm_roster_find_id(db, txn, ev->id, &sid,
	    &r)) != RC_OK)
		return rc;
	if (h != NULL && h->bulk)
		return buffer_pair(db, h, sid, ev->seq);
	put_u32(key, sid);
	put_u64(seq, ev->seq);
	if ((rc = mdb_put(txn, db->dbi[DB_HISTORY], &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "history");
	return RC_OK;
}

static int
history_bulk_begin(rc_db *db, MDB_txn *txn, enum rs_bulk how)
{
	struct history_mem *h = mem(db);

	(void)txn;
	(void)how;
	if (h == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	h->bulk = 1;
	h->n = 0;
	return RC_OK;
}

/* Sort by sid, keeping each student's seqs in log order (stable). */
static int
sort_pairs(rc_db *db, struct history_mem *h, struct pair **out)
{
	struct pair *sorted;
	size_t *start, i, max = 0;

	for (i = 0; i < h->n; i++)
		if (h->p[i].sid > max)
			max = h->p[i].sid;
	sorted = malloc((h->n ? h->n : 1) * sizeof(*sorted));
	start = calloc(max + 2, sizeof(*start));
	if (sorted == NULL || start == NULL) {
		free(sorted);
		free(start);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	for (i = 0; i < h->n; i++)
		start[h->p[i].sid + 1]++;
	for (i = 1; i <= max + 1; i++)
		start[i] += start[i - 1];
	for (i = 0; i < h->n; i++)
		sorted[start[h->p[i].sid]++] = h->p[i];
	free(start);
	*out = sorted;
	return RC_OK;
}

/* Write one student's seqs (sorted) with one MDB_MULTIPLE put. */
static int
write_run(rc_db *db, MDB_cursor *cur, const struct pair *p, size_t n,
    uint8_t *vals)
{
	uint8_t key[4];
	MDB_val k = { 4, key }, v[2];
	size_t i;
	int rc;

	put_u32(key, p[0].sid);
	for (i = 0; i < n; i++)
		put_u64(vals + 8 * i, p[i].seq);
	v[0].mv_size = 8;
	v[0].mv_data = vals;
	v[1].mv_size = n;
	v[1].mv_data = NULL;
	if ((rc = mdb_cursor_put(cur, &k, v, MDB_MULTIPLE)) != 0)
		return store_lmdb_fail(db, rc, "history");
	return RC_OK;
}

static int
write_pairs(rc_db *db, MDB_txn *txn, const struct pair *p, size_t n)
{
	MDB_cursor *cur;
	uint8_t *vals;
	size_t i, j;
	int rc = RC_OK, mrc;

	if (n == 0)
		return RC_OK;
	if ((vals = malloc(8 * n)) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_HISTORY], &cur)) != 0) {
		free(vals);
		return store_lmdb_fail(db, mrc, "history");
	}
	for (i = 0; i < n && rc == RC_OK; i = j) {
		for (j = i + 1; j < n && p[j].sid == p[i].sid; j++)
			;
		rc = write_run(db, cur, p + i, j - i, vals);
	}
	mdb_cursor_close(cur);
	free(vals);
	return rc;
}

static int
history_bulk_end(rc_db *db, MDB_txn *txn, int ok)
{
	struct history_mem *h = mem(db);
	struct pair *sorted = NULL;
	int rc = RC_OK;

	if (h == NULL)
		return RC_OK;
	h->bulk = 0;
	if (ok && (rc = sort_pairs(db, h, &sorted)) == RC_OK)
		rc = write_pairs(db, txn, sorted, h->n);
	free(sorted);
	free(h->p);
	h->p = NULL;
	h->n = h->cap = 0;
	return ok ? rc : RC_OK;
}

static void
history_free(struct rs_mem *m)
{
	if (m->history)
		free(m->history->p);
	free(m->history);
	m->history = NULL;
}

const struct read_model rm_history = {
	.name = "history",
	.apply = history_apply,
	.bulk_begin = history_bulk_begin,
	.bulk_end = history_bulk_end,
	.free_mem = history_free,
};

int
rm_history_first(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t *seq)
{
	uint8_t key[4];
	MDB_val k = { 4, key }, v;
	int rc;

	put_u32(key, sid);
	rc = mdb_get(txn, db->dbi[DB_HISTORY], &k, &v);
	if (rc == MDB_NOTFOUND)
		return store_fail(db, RC_ESYS, "the history index has no "
		    "events of this student: run rebuild");
	if (rc != 0)
		return store_lmdb_fail(db, rc, "history");
	if (v.mv_size != 8)
		return store_fail(db, RC_ESYS, "the history index is damaged");
	*seq = get_u64(v.mv_data);
	return RC_OK;
}


static int
cmp_seq(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
add_seq(rc_db *db, uint64_t **out, size_t *n, size_t *cap, uint64_t seq)
{
	uint64_t *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		if ((p = realloc(*out, *cap * sizeof(*p))) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		*out = p;
	}
	(*out)[(*n)++] = seq;
	return RC_OK;
}

/* The indexed seqs of sid (not check-ins). */
static int
indexed_seqs(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t **out,
    size_t *n, size_t *cap)
{
	uint8_t key[4];
	MDB_val k = { 4, key }, v;
	MDB_cursor *cur;
	size_t i;
	int rc = RC_OK, mrc;

	put_u32(key, sid);
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_HISTORY], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "history");
	mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	/* Whole pages of seqs at a time: DUPFIXED values sit packed. */
	if (mrc == 0)
		mrc = mdb_cursor_get(cur, &k, &v, MDB_GET_MULTIPLE);
	while (rc == RC_OK && mrc == 0) {
		for (i = 0; i + 8 <= v.mv_size && rc == RC_OK; i += 8)
			rc = add_seq(db, out, n, cap,
			    get_u64((uint8_t *)v.mv_data + i));
		if (rc == RC_OK)
			mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_MULTIPLE);
	}
	mdb_cursor_close(cur);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "history");
}

/* The seqs of sid's check-ins, voided ones too: their attendance entries. */
static int
checkin_seqs(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t **out,
    size_t *n, size_t *cap)
{
	uint8_t key[8];
	MDB_val k = { 8, key }, v;
	MDB_cursor *cur;
	struct att_entry e;
	size_t i;
	int rc = RC_OK, mrc;

	put_u32(key, sid);
	put_u32(key + 4, 0);	/* days are u32 in keys: all sort after 0 */
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ATTENDANCE], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "attendance");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	    mrc == 0 && rc == RC_OK;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || get_u32(k.mv_data) != sid)
			break;
		if (v.mv_size % ENTRY_LEN != 0) {
			rc = store_fail(db, RC_ESYS,
			    "attendance record is damaged");
			break;
		}
		for (i = 0; i < v.mv_size / ENTRY_LEN && rc == RC_OK; i++) {
			if (entry_decode(v.mv_data, v.mv_size, i, &e) != 0)
				rc = store_fail(db, RC_ESYS,
				    "attendance record is damaged");
			else
				rc = add_seq(db, out, n, cap, e.seq);
		}
	}
	mdb_cursor_close(cur);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "attendance");
}

int
rm_history_seqs(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t **seqs,
    size_t *n)
{
	uint64_t *out = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*seqs = NULL;
	*n = 0;
	if ((rc = indexed_seqs(db, txn, sid, &out, &count, &cap)) != RC_OK ||
	    (rc = checkin_seqs(db, txn, sid, &out, &count, &cap)) != RC_OK) {
		free(out);
		return rc;
	}
	/* Imports may record earlier days later: order by seq, not by day. */
	qsort(out, count, sizeof(*out), cmp_seq);
	*seqs = out;
	*n = count;
	return RC_OK;
}
