/*
 * projector.c - applies events to the read side (layout in record.h).
 *
 * Each apply checks everything it needs before its first write, so an
 * event it refuses leaves the read side untouched and can be recorded
 * as a projection error while the desk carries on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "projector.h"
#include "text.h"

/* In LMDB's main database (record.h): the NUL keeps it from names. */
static const char checkpoint_key[] = "\0checkpoint";
static const char policy_key[] = "policy";

static MDB_val
val(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *)p;
	v.mv_size = n;
	return v;
}

/* get with MDB_NOTFOUND mapped to *found = 0. */
static int
get(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    MDB_val *v, int *found)
{
	MDB_val k = val(key, klen);
	int rc;

	rc = mdb_get(txn, db->dbi[dbi], &k, v);
	*found = rc == 0;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, store_db_name(dbi));
	return RC_OK;
}

static int
put(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    const void *data, size_t dlen)
{
	MDB_val k = val(key, klen), v = val(data, dlen);
	int rc;

	if ((rc = mdb_put(txn, db->dbi[dbi], &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, store_db_name(dbi));
	return RC_OK;
}

static int
del(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen)
{
	MDB_val k = val(key, klen);
	int rc;

	rc = mdb_del(txn, db->dbi[dbi], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, store_db_name(dbi));
	return RC_OK;
}

/* ---- checkpoint and policy ------------------------------------------ */

/*
 * Before format 2 the checkpoint lived in `meta` under this key.  It
 * stays there as a marker of the format (seq 0), written with a read
 * side's first checkpoint, so that a build of another format, which
 * looks only here, sees a read side not its own and replays instead of
 * applying the log on top of it.
 */
static const char marker_key[] = "checkpoint";

static int
decode_checkpoint(rc_db *db, const MDB_val *v, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format)
{
	/* Before formats were numbered the checkpoint had no such field. */
	if (v->mv_size == CHECKPOINT_LEN - 4)
		*format = 0;
	else if (v->mv_size == CHECKPOINT_LEN)
		*format = get_u32((uint8_t *)v->mv_data + 8 + EVENT_HASH_LEN);
	else
		return store_fail(db, RC_ESYS, "the checkpoint is damaged");
	*seq = get_u64(v->mv_data);
	memcpy(hash, (uint8_t *)v->mv_data + 8, EVENT_HASH_LEN);
	return RC_OK;
}

static void
encode_checkpoint(uint8_t buf[CHECKPOINT_LEN], uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN])
{
	put_u64(buf, seq);
	memcpy(buf + 8, hash, EVENT_HASH_LEN);
	put_u32(buf + 8 + EVENT_HASH_LEN, READ_FORMAT);
}

/* The checkpoint, and the format of the read side that wrote it. */
static int
checkpoint_get(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format)
{
	MDB_val k = val(checkpoint_key, sizeof(checkpoint_key) - 1), v;
	int rc, marked;

	rc = get(db, txn, DB_META, marker_key, sizeof(marker_key) - 1, &v,
	    &marked);
	if (rc != RC_OK)
		return rc;
	if (marked && ((rc = decode_checkpoint(db, &v, seq, hash, format)) !=
	    RC_OK || *format != READ_FORMAT))
		return rc;
	rc = mdb_get(txn, db->main_dbi, &k, &v);
	if (rc == 0)
		return decode_checkpoint(db, &v, seq, hash, format);
	if (rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, "checkpoint");
	*seq = 0;
	memset(hash, 0, EVENT_HASH_LEN);
	*format = READ_FORMAT;
	return RC_OK;
}

/* The marker of a read side of this format (see marker_key). */
static int
mark_format(rc_db *db, MDB_txn *txn)
{
	static const uint8_t zero[EVENT_HASH_LEN];
	uint8_t buf[CHECKPOINT_LEN];

	encode_checkpoint(buf, 0, zero);
	return put(db, txn, DB_META, marker_key, sizeof(marker_key) - 1, buf,
	    sizeof(buf));
}

int
proj_checkpoint(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format)
{
	return checkpoint_get(db, txn, seq, hash, format);
}

int
proj_set_checkpoint(rc_db *db, MDB_txn *txn, uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN])
{
	uint8_t buf[CHECKPOINT_LEN];
	MDB_val k = val(checkpoint_key, sizeof(checkpoint_key) - 1);
	MDB_val v = val(buf, sizeof(buf));
	int rc;

	encode_checkpoint(buf, seq, hash);
	/* The first checkpoint of a read side comes with its marker. */
	rc = mdb_put(txn, db->main_dbi, &k, &v, MDB_NOOVERWRITE);
	if (rc == 0)
		return mark_format(db, txn);
	v = val(buf, sizeof(buf));	/* KEYEXIST set it to the old one */
	if (rc != MDB_KEYEXIST ||
	    (rc = mdb_put(txn, db->main_dbi, &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "checkpoint");
	return RC_OK;
}

int
proj_policy(rc_db *db, MDB_txn *txn, struct rc_policy *p)
{
	MDB_val v;
	int rc, found;

	rc = get(db, txn, DB_META, policy_key, sizeof(policy_key) - 1, &v,
	    &found);
	if (rc != RC_OK)
		return rc;
	if (!found) {
		policy_default(p);
		return RC_OK;
	}
	if (policy_decode(v.mv_data, v.mv_size, p) != 0)
		return store_fail(db, RC_ESYS, "the stored policy is damaged");
	return RC_OK;
}

/* ---- lookups ---------------------------------------------------------- */

static int
roster_get(rc_db *db, MDB_txn *txn, uint32_t sid, struct roster_rec *r)
{
	uint8_t key[4];
	MDB_val v;
	int rc, found;

	put_u32(key, sid);
	if ((rc = get(db, txn, DB_ROSTER, key, 4, &v, &found)) != RC_OK)
		return rc;
	if (!found || roster_decode(v.mv_data, v.mv_size, r) != 0)
		return store_fail(db, RC_ESYS,
		    "the roster entry of student %u is damaged", sid);
	return RC_OK;
}

/*
 * While replaying, id -> sid | active is also kept in an open-addressing
 * table (ids are random, so their first bytes hash well): the replay of
 * a check-in then reads no index at all.
 */
struct id_slot {
	uint8_t id[RC_ID_LEN];
	uint32_t sid;		/* 0: empty slot */
	uint8_t active;
};

static struct id_slot *
slot_of(struct id_slot *tab, size_t cap, const uint8_t id[RC_ID_LEN])
{
	size_t i = (get_u32(id) ^ get_u32(id + 8)) & (cap - 1);

	while (tab[i].sid != 0 && memcmp(tab[i].id, id, RC_ID_LEN) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int
remember_id(rc_db *db, const uint8_t id[RC_ID_LEN], uint32_t sid, int active)
{
	struct id_slot *tab, *s;
	size_t i, cap;

	if (2 * (db->ids_n + 1) > db->ids_cap) {
		cap = db->ids_cap ? db->ids_cap * 2 : 1024;
		if ((tab = calloc(cap, sizeof(*tab))) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		for (i = 0; i < db->ids_cap; i++)
			if (db->ids[i].sid != 0)
				*slot_of(tab, cap, db->ids[i].id) = db->ids[i];
		free(db->ids);
		db->ids = tab;
		db->ids_cap = cap;
	}
	s = slot_of(db->ids, db->ids_cap, id);
	if (s->sid == 0)
		db->ids_n++;
	memcpy(s->id, id, RC_ID_LEN);
	s->sid = sid;
	s->active = (uint8_t)active;
	return RC_OK;
}

/*
 * The ids index maps a student id to sid | active, so that check-ins,
 * the commonest events, are judged without reading the roster.
 */
static int
find_sid(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint32_t *sid, int *active)
{
	char text[RC_ID_TEXT];
	const struct id_slot *s;
	const uint8_t *p;
	MDB_val v;
	int rc, found;

	if (db->ids && (s = slot_of(db->ids, db->ids_cap, id))->sid != 0) {
		*sid = s->sid;
		*active = s->active;
		return RC_OK;
	}
	if (txn == db->write_txn && db->seen_sid != 0 &&
	    memcmp(db->seen_id, id, RC_ID_LEN) == 0) {
		*sid = db->seen_sid;
		*active = db->seen_active;
		return RC_OK;
	}
	if ((rc = get(db, txn, DB_IDS, id, RC_ID_LEN, &v, &found)) != RC_OK)
		return rc;
	if (!found) {
		event_id_text(id, text);
		return store_fail(db, RC_REFUSED, "unknown student %s", text);
	}
	p = v.mv_data;
	if (v.mv_size != 5 || p[4] > 1)
		return store_fail(db, RC_ESYS, "the id index is damaged");
	*sid = get_u32(p);
	*active = p[4];
	return RC_OK;
}

static int
put_id(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN], uint32_t sid,
    int active)
{
	uint8_t v[5];
	int rc;

	if (db->ids && (rc = remember_id(db, id, sid, active)) != RC_OK)
		return rc;
	if (db->seen_sid == sid)
		db->seen_active = (uint8_t)active;
	put_u32(v, sid);
	v[4] = (uint8_t)active;
	return put(db, txn, DB_IDS, id, RC_ID_LEN, v, sizeof(v));
}

/*
 * The student a command just found: its check-in or removal event is
 * applied next, and then needs no ids lookup (store.c forgets it when
 * the transaction ends).
 */
static void
remember_seen(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r)
{
	if (txn != db->write_txn)
		return;
	memcpy(db->seen_id, r->id, RC_ID_LEN);
	db->seen_sid = sid;
	db->seen_active = r->active;
}

int
proj_find_id(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint32_t *sid, struct roster_rec *r)
{
	int rc, active;

	if ((rc = find_sid(db, txn, id, sid, &active)) != RC_OK ||
	    (rc = roster_get(db, txn, *sid, r)) != RC_OK)
		return rc;
	remember_seen(db, txn, *sid, r);
	return RC_OK;
}

int
proj_email_owner(rc_db *db, MDB_txn *txn, const char *email, uint32_t *sid)
{
	char folded[RC_EMAIL_MAX * 2 + 1];
	size_t n;
	MDB_val v;
	int rc, found;

	*sid = 0;
	n = text_fold(email, strlen(email), folded, sizeof(folded));
	if (n == 0 || n > 511)
		return RC_OK;
	if ((rc = get(db, txn, DB_EMAILS, folded, n, &v, &found)) != RC_OK)
		return rc;
	if (found && v.mv_size == 4)
		*sid = get_u32(v.mv_data);
	return RC_OK;
}

/*
 * The most recently registered removed student with this email, or 0.
 * Only asked when no active student has it, so the scan is off the
 * common path; it lets "Ada has been removed" beat "unknown student".
 */
static int
removed_owner(rc_db *db, MDB_txn *txn, const char *email, uint32_t *sid)
{
	char want[RC_EMAIL_MAX * 2 + 1], got[RC_EMAIL_MAX * 2 + 1];
	struct roster_rec r;
	MDB_cursor *cur;
	MDB_val k, v;
	int mrc;

	*sid = 0;
	text_fold(email, strlen(email), want, sizeof(want));
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ROSTER], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "roster");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_LAST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_PREV)) {
		if (k.mv_size != 4 || roster_decode(v.mv_data, v.mv_size, &r) ||
		    r.active)
			continue;
		text_fold(r.email.s, r.email.len, got, sizeof(got));
		if (strcmp(want, got) == 0) {
			*sid = get_u32(k.mv_data);
			break;
		}
	}
	mdb_cursor_close(cur);
	return store_walk_end(db, mrc, "roster");
}

int
proj_find(rc_db *db, MDB_txn *txn, const char *key, uint32_t *sid,
    struct roster_rec *r)
{
	uint8_t id[RC_ID_LEN];
	char shown[120];
	int rc;

	if (event_id_parse(key, id) == 0)
		return proj_find_id(db, txn, id, sid, r);
	if ((rc = proj_email_owner(db, txn, key, sid)) != RC_OK)
		return rc;
	if (*sid == 0 && (rc = removed_owner(db, txn, key, sid)) != RC_OK)
		return rc;
	if (*sid == 0) {
		text_escape(key, strlen(key), shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "unknown student %s", shown);
	}
	if ((rc = roster_get(db, txn, *sid, r)) != RC_OK)
		return rc;
	remember_seen(db, txn, *sid, r);
	return RC_OK;
}

int
proj_figures(rc_db *db, MDB_txn *txn, uint32_t sid, struct rc_figures *f)
{
	uint8_t key[4];
	MDB_val v;
	int rc, found;

	memset(f, 0, sizeof(*f));
	if (db->figs) {
		if (sid < db->nfigs)
			*f = db->figs[sid];
		return RC_OK;
	}
	if (txn == db->write_txn && db->figs_sid == sid) {
		*f = db->figs_last;
		return RC_OK;
	}
	put_u32(key, sid);
	if ((rc = get(db, txn, DB_POINTS, key, 4, &v, &found)) != RC_OK)
		return rc;
	if (found && points_decode(v.mv_data, v.mv_size, f) != 0)
		return store_fail(db, RC_ESYS,
		    "the points of student %u are damaged", sid);
	return RC_OK;
}

/*
 * While importing or replaying, attendance values wait here by
 * (sid, day) and are written after the log: the attendance leaves then
 * sit together in the file instead of between log pages, so a day's
 * query (one leaf per student) maps fewer pages.  A replay writes in key
 * order: each leaf is touched once and comes out full (so after a
 * rebuild each student's next check-in splits one).  An import writes
 * in row order, which leaves leaves about two-thirds full: room for the
 * days that follow it.
 */
struct ov_slot {
	uint64_t key;		/* sid << 32 | day; 0: empty (sids start at 1) */
	uint64_t val;		/* arena offset << 16 | length */
};

struct overlay {
	struct ov_slot *tab;
	size_t cap, n;
	uint8_t *arena;
	size_t alen, acap;
	int stored;		/* the tree may hold keys too: look there */
	int in_row_order;	/* write in the order days came (imports) */
};

/* Pending days before they are written out; ~80 bytes each meanwhile. */
size_t proj_pending_limit = 1 << 20;

static uint64_t
att_key64(uint32_t sid, int32_t day)
{
	return (uint64_t)sid << 32 | (uint32_t)day;
}

static struct ov_slot *
ov_slot(const struct overlay *ov, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) &
	    (ov->cap - 1);

	while (ov->tab[i].key != 0 && ov->tab[i].key != key)
		i = (i + 1) & (ov->cap - 1);
	return &ov->tab[i];
}

static int
ov_grow(rc_db *db, struct overlay *ov)
{
	struct ov_slot *old = ov->tab, *s;
	size_t i, oldcap = ov->cap;

	ov->cap = oldcap ? oldcap * 2 : 4096;
	if ((ov->tab = calloc(ov->cap, sizeof(*ov->tab))) == NULL) {
		ov->tab = old;
		ov->cap = oldcap;
		return store_fail(db, RC_ESYS, "out of memory");
	}
	for (i = 0; i < oldcap; i++)
		if (old[i].key != 0) {
			s = ov_slot(ov, old[i].key);
			*s = old[i];
		}
	free(old);
	return RC_OK;
}

static void
ov_free(struct overlay *ov)
{
	if (ov == NULL)
		return;
	free(ov->tab);
	free(ov->arena);
	free(ov);
}

static uint64_t
slot_order(const struct ov_slot *s, int by_val)
{
	return by_val ? s->val : s->key;
}

/*
 * Sort n slots by key (or by value: arena offset, the order they came
 * in): LSD radix, 11 bits a pass, skipping passes where all agree.
 */
static int
sort_slots(struct ov_slot *a, size_t n, int by_val)
{
	struct ov_slot *tmp, *src = a, *dst;
	size_t count[2048], i, sum, c;
	unsigned shift;

	if (n < 2)
		return 0;
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL)
		return -1;
	dst = tmp;
	for (shift = 0; shift < 64; shift += 11) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(slot_order(&src[i], by_val) >> shift) & 2047]++;
		if (count[(slot_order(&src[0], by_val) >> shift) & 2047] == n)
			continue;
		for (i = 0, sum = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(slot_order(&src[i], by_val) >> shift) &
			    2047]++] = src[i];
		dst = src;
		src = src == a ? tmp : a;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
	return 0;
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
write_sorted(rc_db *db, MDB_txn *txn, const struct ov_slot *s, size_t n)
{
	uint8_t key[8], last[8];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t i;
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
		k = val(key, 8);
		v = val(db->ov->arena + (s[i].val >> 16), s[i].val & 0xffff);
		if (!beyond && !db->ov->in_row_order)
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
	struct overlay *ov = db->ov;
	struct ov_slot *s = ov->tab;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < ov->cap; i++)
		if (ov->tab[i].key != 0)
			s[n++] = ov->tab[i];
	if (sort_slots(s, n, ov->in_row_order) != 0)
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
	const struct ov_slot *s;
	uint8_t key[8];

	*found = 0;
	if (db->ov) {
		s = db->ov->cap ? ov_slot(db->ov, att_key64(sid, day)) : NULL;
		if (s && s->key != 0) {
			*v = val(db->ov->arena + (s->val >> 16),
			    s->val & 0xffff);
			*found = 1;
			return RC_OK;
		}
		if (!db->ov->stored)
			return RC_OK;
	}
	day_key(key, sid, day);
	return get(db, txn, DB_ATTENDANCE, key, 8, v, found);
}

static int
ov_put(rc_db *db, MDB_txn *txn, uint64_t key, const uint8_t *data,
    size_t len)
{
	struct overlay *ov = db->ov;
	struct ov_slot *s;
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
	s = ov_slot(ov, key);
	if (s->key == 0)
		ov->n++;
	s->key = key;
	memcpy(ov->arena + ov->alen, data, len);
	s->val = (uint64_t)ov->alen << 16 | len;
	ov->alen += len;
	if (ov->n >= proj_pending_limit)
		return ov_flush(db, txn);
	return RC_OK;
}

/* Store a day's entries: pending, or now. */
static int
att_put(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
    const uint8_t *data, size_t len)
{
	uint8_t key[8];

	if (db->ov)
		return ov_put(db, txn, att_key64(sid, day), data, len);
	day_key(key, sid, day);
	return put(db, txn, DB_ATTENDANCE, key, 8, data, len);
}

int
proj_day_entries(rc_db *db, MDB_txn *txn, uint32_t sid, int32_t day,
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

/* ---- appliers --------------------------------------------------------- */

static int
put_roster(rc_db *db, MDB_txn *txn, uint32_t sid, const struct roster_rec *r)
{
	uint8_t key[4], buf[ROSTER_MAX];

	put_u32(key, sid);
	return put(db, txn, DB_ROSTER, key, 4, buf, roster_encode(r, buf));
}

static int
put_sid(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    uint32_t sid)
{
	uint8_t v[4];

	put_u32(v, sid);
	return put(db, txn, dbi, key, klen, v, 4);
}

static size_t
fold_email(const struct rc_text *email, char *out, size_t cap)
{
	return text_fold(email->s, email->len, out, cap);
}

static int
email_taken(rc_db *db, MDB_txn *txn, const struct rc_text *email,
    uint32_t except, int *taken)
{
	char folded[RC_EMAIL_MAX * 2 + 1];
	size_t n = fold_email(email, folded, sizeof(folded));
	MDB_val v;
	int rc, found;

	*taken = 0;
	if ((rc = get(db, txn, DB_EMAILS, folded, n, &v, &found)) != RC_OK)
		return rc;
	*taken = found && (v.mv_size != 4 || get_u32(v.mv_data) != except);
	return RC_OK;
}

static int
apply_registered(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct roster_rec r;
	char folded[RC_EMAIL_MAX * 2 + 1];
	uint8_t nkey[512];
	MDB_val v;
	uint32_t sid = 0;
	int rc, found, taken;

	if ((rc = get(db, txn, DB_IDS, ev->id, RC_ID_LEN, &v, &found)) != RC_OK)
		return rc;
	if (found)
		return store_fail(db, RC_REFUSED, "student already registered");
	if ((rc = email_taken(db, txn, &ev->u.reg.email, 0, &taken)) != RC_OK)
		return rc;
	if (taken)
		return store_fail(db, RC_REFUSED, "email already in use");
	if ((rc = proj_next_sid(db, txn, &sid)) != RC_OK)
		return rc;

	memcpy(r.id, ev->id, RC_ID_LEN);
	r.active = 1;
	r.gender = ev->u.reg.gender;
	r.reg_day = ev->u.reg.day;
	r.registered_at = ev->recorded_at;
	r.name = ev->u.reg.name;
	r.email = ev->u.reg.email;
	if ((rc = put_roster(db, txn, sid, &r)) != RC_OK ||
	    (rc = put_id(db, txn, ev->id, sid, 1)) != RC_OK ||
	    (rc = put_sid(db, txn, DB_EMAILS, folded,
	    fold_email(&r.email, folded, sizeof(folded)), sid)) != RC_OK ||
	    (rc = put_sid(db, txn, DB_NAMES, nkey, names_key(r.name.s,
	    r.name.len, r.id, nkey, sizeof(nkey)), sid)) != RC_OK)
		return rc;
	return RC_OK;
}

int
proj_next_sid(rc_db *db, MDB_txn *txn, uint32_t *sid)
{
	MDB_stat st;
	int rc;

	if ((rc = mdb_stat(txn, db->dbi[DB_ROSTER], &st)) != 0)
		return store_lmdb_fail(db, rc, "roster");
	*sid = (uint32_t)st.ms_entries + 1;
	return RC_OK;
}

/* An active student's record, copied out of the transaction's pages. */
struct student_copy {
	uint32_t sid;
	struct roster_rec r;
	char name[RC_NAME_MAX], email[RC_EMAIL_MAX];
};

static int
find_active(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    struct student_copy *c)
{
	int rc;

	if ((rc = proj_find_id(db, txn, id, &c->sid, &c->r)) != RC_OK)
		return rc;
	if (!c->r.active)
		return store_fail(db, RC_REFUSED, "student is removed");
	/* Copy: the page it points into may move on our first write. */
	memcpy(c->name, c->r.name.s, c->r.name.len);
	memcpy(c->email, c->r.email.s, c->r.email.len);
	c->r.name.s = c->name;
	c->r.email.s = c->email;
	return RC_OK;
}

static int
apply_updated(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct student_copy c;
	char folded[RC_EMAIL_MAX * 2 + 1];
	uint8_t nkey[512];
	uint8_t f = ev->u.upd.fields;
	int rc, taken;

	if ((rc = find_active(db, txn, ev->id, &c)) != RC_OK)
		return rc;
	if (f & UPD_EMAIL) {
		rc = email_taken(db, txn, &ev->u.upd.email, c.sid, &taken);
		if (rc != RC_OK)
			return rc;
		if (taken)
			return store_fail(db, RC_REFUSED, "email already in use");
		if ((rc = del(db, txn, DB_EMAILS, folded, fold_email(&c.r.email,
		    folded, sizeof(folded)))) != RC_OK)
			return rc;
		c.r.email = ev->u.upd.email;
		if ((rc = put_sid(db, txn, DB_EMAILS, folded, fold_email(
		    &c.r.email, folded, sizeof(folded)), c.sid)) != RC_OK)
			return rc;
	}
	if (f & UPD_NAME) {
		if ((rc = del(db, txn, DB_NAMES, nkey, names_key(c.r.name.s,
		    c.r.name.len, c.r.id, nkey, sizeof(nkey)))) != RC_OK)
			return rc;
		c.r.name = ev->u.upd.name;
		if ((rc = put_sid(db, txn, DB_NAMES, nkey, names_key(c.r.name.s,
		    c.r.name.len, c.r.id, nkey, sizeof(nkey)), c.sid)) != RC_OK)
			return rc;
	}
	if (f & UPD_GENDER)
		c.r.gender = ev->u.upd.gender;
	return put_roster(db, txn, c.sid, &c.r);
}

static int
apply_removed(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct student_copy c;
	char folded[RC_EMAIL_MAX * 2 + 1];
	int rc;

	if ((rc = find_active(db, txn, ev->id, &c)) != RC_OK)
		return rc;
	if ((rc = del(db, txn, DB_EMAILS, folded, fold_email(&c.r.email,
	    folded, sizeof(folded)))) != RC_OK)
		return rc;
	c.r.active = 0;
	if ((rc = put_id(db, txn, c.r.id, c.sid, 0)) != RC_OK)
		return rc;
	return put_roster(db, txn, c.sid, &c.r);
}

/* The slot of sid in the in-memory figures, growing the table. */
static struct rc_figures *
replay_slot(rc_db *db, uint32_t sid)
{
	struct rc_figures *p;
	uint8_t *d;
	size_t n;

	if (sid >= db->nfigs) {
		n = db->nfigs ? db->nfigs : 1024;
		while (n <= sid)
			n *= 2;
		if ((p = realloc(db->figs, n * sizeof(*p))) == NULL)
			return NULL;
		db->figs = p;
		if ((d = realloc(db->figs_dirty, n)) == NULL)
			return NULL;
		db->figs_dirty = d;
		memset(p + db->nfigs, 0, (n - db->nfigs) * sizeof(*p));
		memset(d + db->nfigs, 0, n - db->nfigs);
		db->nfigs = n;
	}
	db->figs_dirty[sid] = 1;
	return &db->figs[sid];
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

/* Add (sign 1) or take back (sign -1) a check-in's share of the figures. */
static int
count_figures(rc_db *db, MDB_txn *txn, uint32_t sid, uint8_t status,
    int32_t points, int sign)
{
	struct rc_figures f, *slot;
	uint8_t key[4], buf[POINTS_LEN];
	int rc;

	if (db->figs) {
		if ((slot = replay_slot(db, sid)) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		count(slot, status, points, sign);
		return RC_OK;
	}
	if ((rc = proj_figures(db, txn, sid, &f)) != RC_OK)
		return rc;
	count(&f, status, points, sign);
	if (txn == db->write_txn) {
		db->figs_sid = sid;
		db->figs_last = f;
	}
	put_u32(key, sid);
	/* Zero figures are not stored: a replay must write the same keys. */
	if (f.present == 0 && f.points == 0)
		return del(db, txn, DB_POINTS, key, 4);
	points_encode(&f, buf);
	return put(db, txn, DB_POINTS, key, 4, buf, POINTS_LEN);
}

static int
apply_recorded(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct att_entry e, old;
	uint8_t key[8], buf[256 * ENTRY_LEN];
	uint32_t sid;
	MDB_val k = val(key, 8), v;
	size_t n;
	int rc, active, found;

	if ((rc = find_sid(db, txn, ev->id, &sid, &active)) != RC_OK)
		return rc;
	if (!active)
		return store_fail(db, RC_REFUSED, "student is removed");
	e.seq = ev->seq;
	e.arrived = ev->u.att.arrived;
	e.status = ev->u.att.status;
	e.voided = 0;
	e.points = (int16_t)ev->u.att.points;
	entry_encode(&e, buf);
	if (db->ov) {
		rc = att_get(db, txn, sid, ev->u.att.day, &v, &found);
		if (rc != RC_OK)
			return rc;
	} else {
		/* The first check-in of a day, by far the commonest: one
		 * descent. */
		day_key(key, sid, ev->u.att.day);
		v = val(buf, ENTRY_LEN);
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
	} else if (db->ov)
		rc = att_put(db, txn, sid, ev->u.att.day, buf, ENTRY_LEN);
	if (rc != RC_OK)
		return rc;
	return count_figures(db, txn, sid, e.status, e.points, 1);
}

static int
apply_voided(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct att_entry e;
	uint8_t buf[256 * ENTRY_LEN];
	const uint8_t *old;
	uint32_t sid;
	size_t n;
	int rc, i, active;

	if ((rc = find_sid(db, txn, ev->id, &sid, &active)) != RC_OK)
		return rc;
	rc = proj_day_entries(db, txn, sid, ev->u.vd.day, &old, &n);
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
	return count_figures(db, txn, sid, e.status, e.points, -1);
}

static int
apply_config(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct rc_policy p;
	uint8_t buf[POLICY_LEN];
	int rc;

	if ((rc = proj_policy(db, txn, &p)) != RC_OK)
		return rc;
	switch (ev->u.cfg.key) {
	case CFG_START_TIME:
		p.start = ev->u.cfg.value;
		break;
	case CFG_WINDOW:
		p.window = (uint16_t)ev->u.cfg.value;
		break;
	case CFG_POINTS:
		p.points = (uint16_t)ev->u.cfg.value;
		break;
	default:
		return store_fail(db, RC_REFUSED, "unknown setting");
	}
	policy_encode(&p, buf);
	return put(db, txn, DB_META, policy_key, sizeof(policy_key) - 1, buf,
	    POLICY_LEN);
}

int
proj_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		return apply_registered(db, txn, ev);
	case EV_STUDENT_UPDATED:
		return apply_updated(db, txn, ev);
	case EV_STUDENT_REMOVED:
		return apply_removed(db, txn, ev);
	case EV_ATTENDANCE_RECORDED:
		return apply_recorded(db, txn, ev);
	case EV_ATTENDANCE_VOIDED:
		return apply_voided(db, txn, ev);
	case EV_CONFIG_CHANGED:
		return apply_config(db, txn, ev);
	}
	return store_fail(db, RC_REFUSED, "unknown event type %u", ev->type);
}

static int
record_error(rc_db *db, MDB_txn *txn, uint64_t seq, const char *reason)
{
	uint8_t key[8];

	put_u64(key, seq);
	return put(db, txn, DB_ERRORS, key, 8, reason, strlen(reason));
}

int
proj_apply_record(rc_db *db, MDB_txn *txn, uint64_t seq, const uint8_t *rec,
    size_t len)
{
	struct rc_event ev;
	const char *why = NULL;
	char reason[sizeof(db->err)];
	int rc;

	if (event_decode(rec, len, &ev, &why) != 0)
		snprintf(reason, sizeof(reason), "%s", why);
	else if (ev.seq != seq)
		snprintf(reason, sizeof(reason),
		    "record carries sequence %llu", (unsigned long long)ev.seq);
	else if ((rc = proj_apply(db, txn, &ev)) == RC_OK)
		return RC_OK;
	else if (rc != RC_REFUSED)
		return rc;
	else
		snprintf(reason, sizeof(reason), "%s", db->err);
	db->err[0] = 0;
	return record_error(db, txn, seq, reason);
}

int
proj_stale(rc_db *db, MDB_txn *txn, int *stale)
{
	uint8_t h1[EVENT_HASH_LEN], h2[EVENT_HASH_LEN];
	uint64_t head, cp;
	uint32_t format;
	int rc;

	*stale = 0;
	if ((rc = store_head(db, txn, &head, h1)) != RC_OK ||
	    (rc = checkpoint_get(db, txn, &cp, h2, &format)) != RC_OK)
		return rc;
	*stale = head > cp || format != READ_FORMAT;
	return RC_OK;
}

int
proj_catch_up(rc_db *db, MDB_txn *txn, rc_progress_fn progress, void *ctx)
{
	uint8_t key[8], hash[EVENT_HASH_LEN];
	uint64_t cp, head, seq;
	uint32_t format;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, mrc;

	if ((rc = checkpoint_get(db, txn, &cp, hash, &format)) != RC_OK ||
	    (rc = store_head(db, txn, &head, hash)) != RC_OK)
		return rc;
	/* Written by a build with another layout: start the read side over. */
	if (format != READ_FORMAT)
		return proj_replay(db, txn, progress, ctx);
	/* The next append chains onto this head: spare it another look. */
	db->tail_seq = head;
	memcpy(db->tail_hash, hash, EVENT_HASH_LEN);
	db->tail_valid = 1;
	if (head <= cp)
		return RC_OK;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_EVENTS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "cannot read the log");
	put_u64(key, cp + 1);
	k = val(key, 8);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8) {
			rc = store_fail(db, RC_ESYS, "the log has a damaged key");
			break;
		}
		seq = get_u64(k.mv_data);
		rc = proj_apply_record(db, txn, seq, v.mv_data, v.mv_size);
		if (rc != RC_OK)
			break;
		if (progress && seq % 4096 == 0 &&
		    progress(ctx, seq, head) != 0) {
			rc = store_fail(db, RC_REFUSED, "cancelled");
			break;
		}
	}
	mdb_cursor_close(cur);
	if (rc != RC_OK)
		return rc;
	if ((rc = store_walk_end(db, mrc, "cannot read the log")) != RC_OK)
		return rc;
	if (progress)
		progress(ctx, head, head);
	/* head's hash was computed above; the checkpoint names it. */
	return proj_set_checkpoint(db, txn, head, hash);
}

/*
 * Write the figures that changed, in sid order.  After a replay the tree
 * is empty and every put appends, so pages fill up; zero figures are
 * never stored (the incremental path deletes them too).
 */
static int
write_figures(rc_db *db, MDB_txn *txn)
{
	uint8_t key[4], buf[POINTS_LEN];
	MDB_val k, v;
	size_t sid;
	int rc;

	for (sid = 1; sid < db->nfigs; sid++) {
		if (!db->figs_dirty[sid])
			continue;
		put_u32(key, (uint32_t)sid);
		k = val(key, 4);
		if (db->figs[sid].present == 0 && db->figs[sid].points == 0) {
			if (!db->figs_append &&
			    (rc = del(db, txn, DB_POINTS, key, 4)) != RC_OK)
				return rc;
			continue;
		}
		points_encode(&db->figs[sid], buf);
		v = val(buf, POINTS_LEN);
		rc = mdb_put(txn, db->dbi[DB_POINTS], &k, &v,
		    db->figs_append ? MDB_APPEND : 0);
		if (rc != 0)
			return store_lmdb_fail(db, rc, "points");
	}
	return RC_OK;
}

static void
free_memory_side(rc_db *db)
{
	ov_free(db->ov);
	db->ov = NULL;
	free(db->figs);
	free(db->figs_dirty);
	free(db->ids);
	db->figs = NULL;
	db->figs_dirty = NULL;
	db->ids = NULL;
	db->nfigs = db->ids_cap = db->ids_n = 0;
	db->figs_append = 0;
}

static int
alloc_memory_side(rc_db *db, size_t nfigs)
{
	db->nfigs = nfigs;
	db->figs = calloc(nfigs, sizeof(*db->figs));
	db->figs_dirty = calloc(nfigs, 1);
	if (db->figs == NULL || db->figs_dirty == NULL) {
		free_memory_side(db);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	return RC_OK;
}

int
proj_batch_begin(rc_db *db, MDB_txn *txn)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint32_t next = 0, sid;
	int rc, mrc;

	if ((rc = proj_next_sid(db, txn, &next)) != RC_OK ||
	    (rc = alloc_memory_side(db, next + 1024)) != RC_OK)
		return rc;
	if ((db->ov = calloc(1, sizeof(*db->ov))) == NULL) {
		free_memory_side(db);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	db->ov->stored = db->ov->in_row_order = 1;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_POINTS], &cur)) != 0) {
		free_memory_side(db);
		return store_lmdb_fail(db, mrc, "points");
	}
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 4 || (sid = get_u32(k.mv_data)) >= next ||
		    points_decode(v.mv_data, v.mv_size, &db->figs[sid]) != 0) {
			rc = store_fail(db, RC_ESYS, "the points are damaged");
			break;
		}
	}
	mdb_cursor_close(cur);
	if (rc == RC_OK)
		rc = store_walk_end(db, mrc, "points");
	if (rc != RC_OK)
		free_memory_side(db);
	return rc;
}

int
proj_batch_end(rc_db *db, MDB_txn *txn, int ok)
{
	int rc = RC_OK;

	if (ok && (db->ov == NULL || (rc = ov_flush(db, txn)) == RC_OK))
		rc = write_figures(db, txn);
	free_memory_side(db);
	return rc;
}

int
proj_replay_begin(rc_db *db, MDB_txn *txn)
{
	int rc;

	if ((rc = proj_clear(db, txn)) != RC_OK ||
	    (rc = alloc_memory_side(db, 1024)) != RC_OK)
		return rc;
	db->figs_append = 1;
	db->ov = calloc(1, sizeof(*db->ov));
	if ((db->ids = calloc(1024, sizeof(*db->ids))) == NULL ||
	    db->ov == NULL) {
		free_memory_side(db);
		return store_fail(db, RC_ESYS, "out of memory");
	}
	db->ids_cap = 1024;
	return RC_OK;
}

int
proj_replay_end(rc_db *db, MDB_txn *txn, int ok)
{
	return proj_batch_end(db, txn, ok);
}

int
proj_replay(rc_db *db, MDB_txn *txn, rc_progress_fn progress, void *ctx)
{
	int rc;

	if ((rc = proj_replay_begin(db, txn)) != RC_OK)
		return rc;
	rc = proj_catch_up(db, txn, progress, ctx);
	if (rc != RC_OK) {
		proj_replay_end(db, txn, 0);
		return rc;
	}
	return proj_replay_end(db, txn, 1);
}

int
proj_clear(rc_db *db, MDB_txn *txn)
{
	MDB_val k = val(checkpoint_key, sizeof(checkpoint_key) - 1);
	int i, rc;

	for (i = DB_FIRST_READ; i < DB_COUNT; i++)
		if ((rc = mdb_drop(txn, db->dbi[i], 0)) != 0)
			return store_lmdb_fail(db, rc, store_db_name(i));
	rc = mdb_del(txn, db->main_dbi, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, "checkpoint");
	db->seen_sid = 0;
	db->figs_sid = 0;
	return RC_OK;
}
