/*
 * rm_days.c - the attendance read model: the check-ins of each
 * (student, day), voided ones included (attendance; layout in
 * record.h).  It refuses a second check-in of a day and a void with
 * nothing to void, and tells the models after it (step) which check-in
 * starts or stops counting.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "radix.h"
#include "rm_days.h"

/*
 * While importing or replaying, attendance values wait here by
 * (sid, day) and are written after the log: the attendance leaves then
 * sit together in the file instead of between log pages, so a report
 * (a range per student) maps fewer pages.  A replay writes in key
 * order: each leaf is touched once and comes out full (so after a
 * rebuild each student's next check-in splits one).  An import writes
 * in row order, which leaves leaves about two-thirds full: room for the
 * days that follow it.
 */

struct days_mem {
	/* key sid << 32 | day (0: empty; sids start at 1), val arena
	 * offset << 16 | length */
	struct radix_kv *tab;
	size_t cap, n;
	uint8_t *arena;
	size_t alen, acap;
	int stored;		/* the tree may hold keys too: look there */
	int in_row_order;	/* write in the order days came (imports) */
};

size_t rm_days_pending_limit = 1 << 20;

/* The overlay: NULL unless importing or replaying. */
static struct days_mem *
ov_of(const rc_db *db)
{
	struct rs_mem *m = rs_mem(db);

	return m ? m->days : NULL;
}

static uint64_t
att_key64(uint32_t sid, int32_t day)
{
	return (uint64_t)sid << 32 | (uint32_t)day;
}

static struct radix_kv *
ov_find(const struct days_mem *ov, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) &
	    (ov->cap - 1);

	while (ov->tab[i].key != 0 && ov->tab[i].key != key)
		i = (i + 1) & (ov->cap - 1);
	return &ov->tab[i];
}

static int
ov_grow(rc_db *db, struct days_mem *ov)
{
	struct radix_kv *old = ov->tab, *s;
	size_t i, oldcap = ov->cap;

	ov->cap = oldcap ? oldcap * 2 : 4096;
	if ((ov->tab = calloc(ov->cap, sizeof(*ov->tab))) == NULL) {
		ov->tab = old;
		ov->cap = oldcap;
		return store_fail(db, RC_ESYS, "out of memory");
	}
	for (i = 0; i < oldcap; i++)
		if (old[i].key != 0) {
			s = ov_find(ov, old[i].key);
			*s = old[i];
		}
	free(old);
	return RC_OK;
}

/*
 * Room for about n days at once, faulted in with one call: grown by
 * doubling, a year's replay rehashed 16 MB of slots into ever larger
 * tables (32 MB of fresh pages, a fault each).  Best effort: without it
 * the overlay grows as it goes.
 */
static void
ov_reserve(struct days_mem *ov, size_t n)
{
	size_t cap = 4096;

	if (n > rm_days_pending_limit)
		n = rm_days_pending_limit;
	if (n < cap / 2)
		return;
	while (cap < 2 * (n + 1))
		cap *= 2;
	if ((ov->tab = calloc(cap, sizeof(*ov->tab))) == NULL)
		return;
	ov->cap = cap;
	store_prefault(ov->tab, cap * sizeof(*ov->tab));
	if ((ov->arena = malloc(n * ENTRY_LEN)) != NULL) {
		ov->acap = n * ENTRY_LEN;
		store_prefault(ov->arena, ov->acap);
	}
}

static void
ov_free(struct days_mem *ov)
{
	if (ov == NULL)
		return;
	free(ov->tab);
	free(ov->arena);
	free(ov);
}

static void
day_key(uint8_t key[8], uint32_t sid, int32_t day)
{
	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)day);
}

/*
 * Write n sorted pending days through one cursor: MDB_APPEND past the
 * tree's last key (no descent), a plain put before it.
 */
static int
write_sorted(rc_db *db, MDB_txn *txn, const struct radix_kv *s, size_t n)
{
	uint8_t key[8], last[8];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t i;
	struct days_mem *ov = ov_of(db);
	int mrc, have_last, beyond = 0;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ATTENDANCE], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "attendance");
	mrc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if ((have_last = mrc == 0) && k.mv_size == 8)
		memcpy(last, k.mv_data, 8);
	else if (have_last)
		memset(last, 0xff, 8);	/* a damaged key: never append */
	if (mrc == MDB_NOTFOUND)
		mrc = 0;
	for (i = 0; i < n && mrc == 0; i++) {
		day_key(key, (uint32_t)(s[i].key >> 32),
		    (int32_t)(uint32_t)s[i].key);
		k = rs_val(key, 8);
		v = rs_val(ov->arena + (s[i].val >> 16), s[i].val & 0xffff);
		if (!beyond && !ov->in_row_order)
			beyond = !have_last || memcmp(key, last, 8) > 0;
		mrc = mdb_cursor_put(cur, &k, &v, beyond ? MDB_APPEND : 0);
	}
	mdb_cursor_close(cur);
	if (mrc != 0)
		return store_lmdb_fail(db, mrc, "attendance");
	return RC_OK;
}

/* Index of the valid (not voided) entry of a day, or -1. */
static int
valid_entry(const uint8_t *data, size_t n, struct att_entry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (entry_decode(data, n * ENTRY_LEN, i, e) == 0 && !e->voided)
			return (int)i;
	return -1;
}

/* Write every pending day out and empty the overlay. */
static int
ov_flush(rc_db *db, MDB_txn *txn)
{
	struct days_mem *ov = ov_of(db);
	struct radix_kv *s = ov->tab;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < ov->cap; i++)
		if (ov->tab[i].key != 0)
			s[n++] = ov->tab[i];
	/* The table is at least twice n: its tail is the sort's buffer. */
	if (radix_sort(s, n, ov->in_row_order,
	    ov->cap >= 2 * n ? ov->tab + n : NULL) != 0)
		return store_fail(db, RC_ESYS, "out of memory");
	if ((rc = write_sorted(db, txn, s, n)) != RC_OK)
		return rc;
	if (ov->tab)
		memset(ov->tab, 0, ov->cap * sizeof(*ov->tab));
	ov->n = ov->alen = 0;
	ov->stored = 1;
	return RC_OK;
}

/* A day's attendance value: pending in the overlay, or in the tree. */
static int
att_get(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day, MDB_val *v,
    int *found)
{
	struct days_mem *ov = ov_of(db);
	const struct radix_kv *s;
	uint8_t key[8];

	*found = 0;
	if (ov) {
		s = ov->cap ? ov_find(ov, att_key64(sid, day)) : NULL;
		if (s && s->key != 0) {
			*v = rs_val(ov->arena + (s->val >> 16),
			    s->val & 0xffff);
			*found = 1;
			return RC_OK;
		}
		if (!ov->stored)
			return RC_OK;
	}
	day_key(key, sid, day);
	return rs_get(db, txn, DB_ATTENDANCE, key, 8, v, found);
}

static int
ov_put(rc_db *db, MDB_txn *txn, uint64_t key, const uint8_t *data,
    size_t len)
{
	struct days_mem *ov = ov_of(db);
	struct radix_kv *s;
	uint8_t *p;
	size_t cap;
	int rc;

	if (2 * (ov->n + 1) > ov->cap && (rc = ov_grow(db, ov)) != RC_OK)
		return rc;
	if (ov->alen + len > ov->acap) {
		cap = ov->acap ? ov->acap * 2 : 65536;
		while (cap < ov->alen + len)
			cap *= 2;
		if ((p = realloc(ov->arena, cap)) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		ov->arena = p;
		ov->acap = cap;
	}
	s = ov_find(ov, key);
	if (s->key == 0)
		ov->n++;
	s->key = key;
	memcpy(ov->arena + ov->alen, data, len);
	s->val = (uint64_t)ov->alen << 16 | len;
	ov->alen += len;
	if (ov->n >= rm_days_pending_limit)
		return ov_flush(db, txn);
	return RC_OK;
}

/* Store a day's entries: pending, or now. */
static int
att_put(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    const uint8_t *data, size_t len)
{
	uint8_t key[8];

	if (ov_of(db))
		return ov_put(db, txn, att_key64(sid, day), data, len);
	day_key(key, sid, day);
	return rs_put(db, txn, DB_ATTENDANCE, key, 8, data, len);
}

int
rm_days_entries(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    const uint8_t **data, size_t *n)
{
	MDB_val v;
	int rc, found;

	*data = NULL;
	*n = 0;
	if ((rc = att_get(db, txn, sid, day, &v, &found)) != RC_OK)
		return rc;
	if (!found)
		return RC_OK;
	if (v.mv_size % ENTRY_LEN != 0 || v.mv_size > 255 * ENTRY_LEN)
		return store_fail(db, RC_ESYS, "attendance record is damaged");
	*data = v.mv_data;
	*n = v.mv_size / ENTRY_LEN;
	return RC_OK;
}

int
rm_days_valid(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    struct att_entry *e, int *found)
{
	const uint8_t *data;
	size_t n;
	int rc;

	*found = 0;
	if ((rc = rm_days_entries(db, txn, sid, day, &data, &n)) != RC_OK)
		return rc;
	*found = valid_entry(data, n, e) >= 0;
	return RC_OK;
}

int
rm_days_first_cur(rc_db *db, MDB_cursor *cur, uint32_t sid, int32_t *day)
{
	struct att_entry e;
	uint8_t key[8];
	MDB_val k, v;
	int mrc, rc = RC_OK;

	*day = -1;
	day_key(key, sid, 0);
	k = rs_val(key, 8);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || get_u32(k.mv_data) != sid)
			break;
		if (v.mv_size % ENTRY_LEN != 0) {
			rc = store_fail(db, RC_ESYS, "attendance record is "
			    "damaged");
			break;
		}
		if (valid_entry(v.mv_data, v.mv_size / ENTRY_LEN, &e) >= 0) {
			*day = (int32_t)get_u32((uint8_t *)k.mv_data + 4);
			break;
		}
	}
	return rc != RC_OK ? rc : store_walk_end(db, mrc, "attendance");
}

int
rm_days_first(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t *day)
{
	MDB_cursor *cur;
	int mrc, rc;

	*day = -1;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ATTENDANCE], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "attendance");
	rc = rm_days_first_cur(db, cur, sid, day);
	mdb_cursor_close(cur);
	return rc;
}

static int
apply_recorded(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct days_mem *ov = ov_of(db);
	struct att_entry e, old;
	uint8_t key[8], buf[256 * ENTRY_LEN];
	uint32_t sid = step->sid;
	MDB_val k = rs_val(key, 8), v;
	size_t n;
	int rc, found;

	e.seq = ev->seq;
	e.arrived = ev->u.att.arrived;
	e.status = ev->u.att.status;
	e.voided = 0;
	e.points = (int16_t)ev->u.att.points;
	entry_encode(&e, buf);
	if (ov) {
		rc = att_get(db, txn, sid, ev->u.att.day, &v, &found);
		if (rc != RC_OK)
			return rc;
	} else {
		/* The first check-in of a day, by far the commonest: one
		 * descent. */
		day_key(key, sid, ev->u.att.day);
		v = rs_val(buf, ENTRY_LEN);
		rc = mdb_put(txn, db->dbi[DB_ATTENDANCE], &k, &v,
		    MDB_NOOVERWRITE);
		if (rc != 0 && rc != MDB_KEYEXIST)
			return store_lmdb_fail(db, rc, "attendance");
		found = rc == MDB_KEYEXIST;
		rc = RC_OK;
	}
	if (found) {
		/* v is the day's entries so far: voided ones, or a valid one. */
		n = v.mv_size / ENTRY_LEN;
		if (v.mv_size % ENTRY_LEN != 0)
			return store_fail(db, RC_ESYS,
			    "attendance record is damaged");
		if (valid_entry(v.mv_data, n, &old) >= 0)
			return store_fail(db, RC_REFUSED,
			    "already checked in that day");
		if (n >= 255)
			return store_fail(db, RC_REFUSED,
			    "too many check-ins that day");
		memcpy(buf, v.mv_data, n * ENTRY_LEN);
		entry_encode(&e, buf + n * ENTRY_LEN);
		rc = att_put(db, txn, sid, ev->u.att.day, buf,
		    (n + 1) * ENTRY_LEN);
	} else if (ov)
		rc = att_put(db, txn, sid, ev->u.att.day, buf, ENTRY_LEN);
	if (rc != RC_OK)
		return rc;
	step->sign = 1;
	step->entry = e;
	return RC_OK;
}

static int
apply_voided(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	struct att_entry e;
	uint8_t buf[256 * ENTRY_LEN];
	const uint8_t *old;
	uint32_t sid = step->sid;
	size_t n;
	int rc, i;

	rc = rm_days_entries(db, txn, sid, ev->u.vd.day, &old, &n);
	if (rc != RC_OK)
		return rc;
	if ((i = valid_entry(old, n, &e)) < 0)
		return store_fail(db, RC_REFUSED, "no check-in to void that day");
	memcpy(buf, old, n * ENTRY_LEN);
	e.voided = 1;
	entry_encode(&e, buf + (size_t)i * ENTRY_LEN);
	if ((rc = att_put(db, txn, sid, ev->u.vd.day, buf,
	    n * ENTRY_LEN)) != RC_OK)
		return rc;
	step->sign = -1;
	step->entry = e;
	return RC_OK;
}


static int
days_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	switch (ev->type) {
	case EV_ATTENDANCE_RECORDED:
		return apply_recorded(db, txn, ev, step);
	case EV_ATTENDANCE_VOIDED:
		return apply_voided(db, txn, ev, step);
	}
	return RC_OK;
}

/* ---- rebuild ---------------------------------------------------------- */

static int
days_bulk_begin(rc_db *db, MDB_txn *txn, enum rs_bulk how)
{
	struct rs_mem *m = rs_mem(db);

	(void)txn;
	if (m == NULL || (m->days = calloc(1, sizeof(*m->days))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	/*
	 * An import or a replica's catch-up lands on stored days; an
	 * import writes in the order its rows come, a copy in key order
	 * (its groups are days of the whole roster: one cursor then puts
	 * each student's days into their leaf together, 30% fewer
	 * instructions than row order).
	 */
	m->days->stored = how != RS_REPLAY;
	m->days->in_row_order = how == RS_IMPORT;
	ov_reserve(m->days, m->bulk_expect);
	return RC_OK;
}

static int
days_bulk_end(rc_db *db, MDB_txn *txn, int ok)
{
	struct rs_mem *m = rs_mem(db);
	int rc = RC_OK;

	if (m == NULL || m->days == NULL)
		return RC_OK;
	if (ok)
		rc = ov_flush(db, txn);
	ov_free(m->days);
	m->days = NULL;
	return rc;
}

static void
days_free(struct rs_mem *m)
{
	ov_free(m->days);
	m->days = NULL;
}

const struct read_model rm_days = {
	.name = "attendance",
	.apply = days_apply,
	.bulk_begin = days_bulk_begin,
	.bulk_end = days_bulk_end,
	.free_mem = days_free,
};
