/*
 * rm_figures.c - the figures read model: each student's points and
 * check-ins by status (points; layout in record.h), moved by the
 * check-in that the attendance model says starts or stops counting.
 *
 * While replaying or importing, figures are summed in memory (one slot
 * per student) and written once, in sid order, at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "rm_figures.h"
#include "rm_roster.h"

struct figures_mem {
	/* While replaying or importing: figures by sid, and which moved. */
	struct rc_figures *figs;
	uint8_t *dirty;
	size_t n;
	int append;		/* replay: the points tree starts empty */
	/*
	 * The figures last written in this write transaction (last_gen):
	 * the command that printed them after a check-in reads no page.
	 */
	uint64_t last_gen;
	uint32_t last_sid;	/* 0: none */
	struct rc_figures last;
};

/* This model's memory; NULL when the handle has none (no cache then). */
static struct figures_mem *
mem(const rc_db *db)
{
	struct rs_mem *m = rs_mem(db);

	if (m && m->figures == NULL)
		m->figures = calloc(1, sizeof(*m->figures));
	return m ? m->figures : NULL;
}

int
rm_figures_get(rc_db *db, MDB_txn *txn, uint32_t sid, struct rc_figures *f)
{
	struct figures_mem *m = mem(db);
	uint8_t key[4];
	MDB_val v;
	int rc, found;

	memset(f, 0, sizeof(*f));
	if (m && m->figs) {
		if (sid < m->n)
			*f = m->figs[sid];
		return RC_OK;
	}
	if (m && m->last_sid == sid && rs_cache_ok(db, txn, m->last_gen)) {
		*f = m->last;
		return RC_OK;
	}
	put_u32(key, sid);
	if ((rc = rs_get(db, txn, DB_POINTS, key, 4, &v, &found)) != RC_OK)
		return rc;
	if (found && points_decode(v.mv_data, v.mv_size, f) != 0)
		return store_fail(db, RC_ESYS,
		    "the points of student %u are damaged", sid);
	return RC_OK;
}

/* The slot of sid in the in-memory figures, growing the table. */
static struct rc_figures *
bulk_slot(struct figures_mem *m, uint32_t sid)
{
	struct rc_figures *p;
	uint8_t *d;
	size_t n;

	if (sid >= m->n) {
		n = m->n ? m->n : 1024;
		while (n <= sid)
			n *= 2;
		if ((p = realloc(m->figs, n * sizeof(*p))) == NULL)
			return NULL;
		m->figs = p;
		if ((d = realloc(m->dirty, n)) == NULL)
			return NULL;
		m->dirty = d;
		memset(p + m->n, 0, (n - m->n) * sizeof(*p));
		memset(d + m->n, 0, n - m->n);
		m->n = n;
	}
	m->dirty[sid] = 1;
	return &m->figs[sid];
}

static void
count(struct rc_figures *f, uint8_t status, int32_t points, int sign)
{
	f->points += sign * points;
	f->present += sign;
	if (status == ST_EARLY)
		f->early += sign;
	else if (status == ST_LATE)
		f->late += sign;
	else
		f->on_time += sign;
}

/* Write f as sid's figures, remembering them for the command. */
static int
put_figures(rc_db *db, MDB_txn *txn, struct figures_mem *m, uint32_t sid,
    const struct rc_figures *f)
{
	uint8_t key[4], buf[POINTS_LEN];

	if (m && txn == db->write_txn) {
		m->last_gen = db->write_gen;
		m->last_sid = sid;
		m->last = *f;
	}
	put_u32(key, sid);
	/* Zero figures are not stored: a replay must write the same keys. */
	if (f->present == 0 && f->points == 0)
		return rs_del(db, txn, DB_POINTS, key, 4);
	points_encode(f, buf);
	return rs_put(db, txn, DB_POINTS, key, 4, buf, POINTS_LEN);
}

/* Add (sign 1) or take back (sign -1) a check-in's share of the figures. */
static int
figures_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct figures_mem *m = mem(db);
	struct rc_figures f, *slot;
	int rc;

	(void)ev;
	if (step->sign == 0)
		return RC_OK;
	if (m && m->figs) {
		if ((slot = bulk_slot(m, step->sid)) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		count(slot, step->entry.status, step->entry.points,
		    step->sign);
		return RC_OK;
	}
	if ((rc = rm_figures_get(db, txn, step->sid, &f)) != RC_OK)
		return rc;
	count(&f, step->entry.status, step->entry.points, step->sign);
	return put_figures(db, txn, m, step->sid, &f);
}

int
rm_figures_add_points(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t delta)
{
	struct figures_mem *m = mem(db);
	struct rc_figures f, *slot;
	int rc;

	if (delta == 0)
		return RC_OK;
	if (m && m->figs) {
		if ((slot = bulk_slot(m, sid)) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		slot->points += delta;
		return RC_OK;
	}
	if ((rc = rm_figures_get(db, txn, sid, &f)) != RC_OK)
		return rc;
	f.points += delta;
	return put_figures(db, txn, m, sid, &f);
}

/* ---- rebuild ---------------------------------------------------------- */

/*
 * Write the figures that changed, in sid order.  After a replay the tree
 * is empty and every put appends, so pages fill up; zero figures are
 * never stored (the incremental path deletes them too).
 */
static int
write_figures(rc_db *db, MDB_txn *txn, const struct figures_mem *m)
{
	uint8_t key[4], buf[POINTS_LEN];
	MDB_val k, v;
	size_t sid;
	int rc;

	for (sid = 1; sid < m->n; sid++) {
		if (!m->dirty[sid])
			continue;
		put_u32(key, (uint32_t)sid);
		k = rs_val(key, 4);
		if (m->figs[sid].present == 0 && m->figs[sid].points == 0) {
			if (!m->append &&
			    (rc = rs_del(db, txn, DB_POINTS, key, 4)) != RC_OK)
				return rc;
			continue;
		}
		points_encode(&m->figs[sid], buf);
		v = rs_val(buf, POINTS_LEN);
		rc = mdb_put(txn, db->dbi[DB_POINTS], &k, &v,
		    m->append ? MDB_APPEND : 0);
		if (rc != 0)
			return store_lmdb_fail(db, rc, "points");
	}
	return RC_OK;
}

static void
free_bulk(struct figures_mem *m)
{
	free(m->figs);
	free(m->dirty);
	m->figs = NULL;
	m->dirty = NULL;
	m->n = 0;
	m->append = 0;
}

/* An import starts from the stored figures, read in one walk. */
static int
load_figures(rc_db *db, MDB_txn *txn, struct figures_mem *m, uint32_t next)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint32_t sid;
	int rc = RC_OK, mrc;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_POINTS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "points");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 4 || (sid = get_u32(k.mv_data)) >= next ||
		    points_decode(v.mv_data, v.mv_size, &m->figs[sid]) != 0) {
			rc = store_fail(db, RC_ESYS, "the points are damaged");
			break;
		}
	}
	mdb_cursor_close(cur);
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "points");
}

static int
figures_bulk_begin(rc_db *db, MDB_txn *txn, enum rs_bulk how)
{
	struct figures_mem *m = mem(db);
	uint32_t next = 0;
	int rc;

	if (m == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	m->last_sid = 0;
	if (how != RS_REPLAY &&
	    (rc = rm_roster_next_sid(db, txn, &next)) != RC_OK)
		return rc;
	m->n = how != RS_REPLAY ? next + 1024 : 1024;
	m->figs = calloc(m->n, sizeof(*m->figs));
	m->dirty = calloc(m->n, 1);
	m->append = how == RS_REPLAY;
	if (m->figs == NULL || m->dirty == NULL) {
		free_bulk(m);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	if (how != RS_REPLAY && (rc = load_figures(db, txn, m, next)) != RC_OK) {
		free_bulk(m);
		return rc;
	}
	return RC_OK;
}

static int
figures_bulk_end(rc_db *db, MDB_txn *txn, int ok)
{
	struct figures_mem *m = mem(db);
	int rc = RC_OK;

	if (m == NULL || m->figs == NULL)
		return RC_OK;
	if (ok)
		rc = write_figures(db, txn, m);
	free_bulk(m);
	return rc;
}

static void
figures_free(struct rs_mem *m)
{
	if (m->figures)
		free_bulk(m->figures);
	free(m->figures);
	m->figures = NULL;
}

const struct read_model rm_figures = {
	.name = "figures",
	.apply = figures_apply,
	.bulk_begin = figures_bulk_begin,
	.bulk_end = figures_bulk_end,
	.free_mem = figures_free,
};
