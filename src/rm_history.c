/*
 * rm_history.c - the per-student event index (a read model, SPEC 7):
 * history  u32 sid -> u64 seq, one sorted duplicate per event about the
 * student (MDB_DUPSORT | MDB_DUPFIXED: 8 bytes an event), so that
 * `history` and the desk's `h` read one cursor and one log record per
 * line, never a walk of the log.
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

	if (!event_type_has_id(ev->type))
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


int
rm_history_seqs(rc_db *db, MDB_txn *txn, uint32_t sid, uint64_t **seqs,
    size_t *n)
{
	uint8_t key[4];
	MDB_val k = { 4, key }, v;
	MDB_cursor *cur;
	uint64_t *out = NULL;
	size_t count = 0, i;
	int rc = RC_OK, mrc;

	*seqs = NULL;
	*n = 0;
	put_u32(key, sid);
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_HISTORY], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "history");
	mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	if (mrc == 0)
		mrc = mdb_cursor_count(cur, &count);
	if (mrc == 0 && count > 0 &&
	    (out = malloc(count * sizeof(*out))) == NULL)
		rc = store_fail(db, RC_ESYS, "out of memory");
	/* Whole pages of seqs at a time: DUPFIXED values sit packed. */
	if (rc == RC_OK && mrc == 0)
		mrc = mdb_cursor_get(cur, &k, &v, MDB_GET_MULTIPLE);
	while (rc == RC_OK && mrc == 0) {
		for (i = 0; i + 8 <= v.mv_size && *n < count; i += 8)
			out[(*n)++] = get_u64((uint8_t *)v.mv_data + i);
		mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_MULTIPLE);
	}
	mdb_cursor_close(cur);
	if (rc == RC_OK)
		rc = store_walk_end(db, mrc, "history");
	if (rc != RC_OK) {
		free(out);
		*n = 0;
		return rc;
	}
	*seqs = out;
	return RC_OK;
}
