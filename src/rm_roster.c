/*
 * rm_roster.c - the roster read model: every student by sid (roster),
 * and the indexes that find one: ids (id -> sid | active), emails
 * (active students only) and names (name order).  Layout in record.h.
 *
 * Each apply checks everything it needs before its first write, so an
 * event it refuses leaves the read side untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "rm_collation.h"
#include "rm_roster.h"
#include "text.h"
#include "validate.h"

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

struct roster_mem {
	struct id_slot *ids;	/* during a replay only */
	size_t ids_cap, ids_n;
	/*
	 * The student a command last resolved in this write transaction
	 * (seen_gen): its check-in or removal event is applied next, and
	 * then needs no ids lookup.
	 */
	uint64_t seen_gen;
	uint8_t seen_id[RC_ID_LEN];
	uint32_t seen_sid;	/* 0: none */
	uint8_t seen_active;
};

/* This model's memory; NULL when the handle has none (no cache then). */
static struct roster_mem *
mem(const rc_db *db)
{
	struct rs_mem *m = rs_mem(db);

	if (m && m->roster == NULL)
		m->roster = calloc(1, sizeof(*m->roster));
	return m ? m->roster : NULL;
}

/* ---- lookups ---------------------------------------------------------- */

int
rm_roster_get(rc_db *db, MDB_txn *txn, uint32_t sid, struct roster_rec *r)
{
	uint8_t key[4];
	MDB_val v;
	int rc, found;

	put_u32(key, sid);
	if ((rc = rs_get(db, txn, DB_ROSTER, key, 4, &v, &found)) != RC_OK)
		return rc;
	if (!found || roster_decode(v.mv_data, v.mv_size, r) != 0)
		return store_fail(db, RC_ESYS,
		    "the roster entry of student %u is damaged", sid);
	return RC_OK;
}

int
rm_roster_get_cur(rc_db *db, MDB_cursor *cur, uint32_t sid,
    struct roster_rec *r)
{
	uint8_t key[4];
	MDB_val k, v;
	int mrc;

	put_u32(key, sid);
	k = rs_val(key, 4);
	mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	if (mrc != 0 && mrc != MDB_NOTFOUND)
		return store_lmdb_fail(db, mrc, "roster");
	if (mrc != 0 || roster_decode(v.mv_data, v.mv_size, r) != 0)
		return store_fail(db, RC_ESYS,
		    "the roster entry of student %u is damaged", sid);
	return RC_OK;
}

static struct id_slot *
slot_of(struct id_slot *tab, size_t cap, const uint8_t id[RC_ID_LEN])
{
	size_t i = (get_u32(id) ^ get_u32(id + 8)) & (cap - 1);

	while (tab[i].sid != 0 && memcmp(tab[i].id, id, RC_ID_LEN) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int
remember_id(rc_db *db, struct roster_mem *m, const uint8_t id[RC_ID_LEN],
    uint32_t sid, int active)
{
	struct id_slot *tab, *s;
	size_t i, cap;

	if (2 * (m->ids_n + 1) > m->ids_cap) {
		cap = m->ids_cap ? m->ids_cap * 2 : 1024;
		if ((tab = calloc(cap, sizeof(*tab))) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
		for (i = 0; i < m->ids_cap; i++)
			if (m->ids[i].sid != 0)
				*slot_of(tab, cap, m->ids[i].id) = m->ids[i];
		free(m->ids);
		m->ids = tab;
		m->ids_cap = cap;
	}
	s = slot_of(m->ids, m->ids_cap, id);
	if (s->sid == 0)
		m->ids_n++;
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
	struct roster_mem *m = mem(db);
	char text[RC_ID_TEXT];
	const struct id_slot *s;
	const uint8_t *p;
	MDB_val v;
	int rc, found;

	if (m && m->ids && (s = slot_of(m->ids, m->ids_cap, id))->sid != 0) {
		*sid = s->sid;
		*active = s->active;
		return RC_OK;
	}
	if (m && m->seen_sid != 0 && rs_cache_ok(db, txn, m->seen_gen) &&
	    memcmp(m->seen_id, id, RC_ID_LEN) == 0) {
		*sid = m->seen_sid;
		*active = m->seen_active;
		return RC_OK;
	}
	if ((rc = rs_get(db, txn, DB_IDS, id, RC_ID_LEN, &v, &found)) != RC_OK)
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
	struct roster_mem *m = mem(db);
	uint8_t v[5];
	int rc;

	if (m && m->ids && (rc = remember_id(db, m, id, sid, active)) != RC_OK)
		return rc;
	if (m && m->seen_sid == sid)
		m->seen_active = (uint8_t)active;
	put_u32(v, sid);
	v[4] = (uint8_t)active;
	return rs_put(db, txn, DB_IDS, id, RC_ID_LEN, v, sizeof(v));
}

/* The student a command just found (see struct roster_mem). */
static void
remember_seen(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r)
{
	struct roster_mem *m;

	if (txn != db->write_txn || (m = mem(db)) == NULL)
		return;
	m->seen_gen = db->write_gen;
	memcpy(m->seen_id, r->id, RC_ID_LEN);
	m->seen_sid = sid;
	m->seen_active = r->active;
}

void
rm_roster_remember(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r)
{
	remember_seen(db, txn, sid, r);
}

int
rm_roster_find_id(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    uint32_t *sid, struct roster_rec *r)
{
	int rc, active;

	if ((rc = find_sid(db, txn, id, sid, &active)) != RC_OK ||
	    (rc = rm_roster_get(db, txn, *sid, r)) != RC_OK)
		return rc;
	remember_seen(db, txn, *sid, r);
	return RC_OK;
}

int
rm_roster_email_owner(rc_db *db, MDB_txn *txn, const char *email, uint32_t *sid)
{
	char folded[TEXT_KEY_MAX + 1];
	size_t n;
	MDB_val v;
	int rc, found;

	*sid = 0;
	n = text_email_key(email, strlen(email), folded);
	if (n == 0)
		return RC_OK;
	if ((rc = rs_get(db, txn, DB_EMAILS, folded, n, &v, &found)) != RC_OK)
		return rc;
	if (found && v.mv_size == 4)
		*sid = get_u32(v.mv_data);
	return RC_OK;
}

/*
 * ---- student codes (SPEC 8) ---------------------------------------------
 *
 * Codes share the emails index (record.h): a code never has an @ and an
 * email always has one, so their keys cannot meet, and a read side
 * written before codes has the index already.
 */

int
rm_roster_code_owner(rc_db *db, MDB_txn *txn, const char *code, size_t len,
    uint32_t *sid)
{
	char key[RC_CODE_MAX + 1];
	MDB_val v;
	int rc, found;

	*sid = 0;
	if (validate_code_bytes(code, len) != 0)
		return RC_OK;
	validate_code_key(code, len, key);
	if ((rc = rs_get(db, txn, DB_EMAILS, key, len, &v, &found)) != RC_OK)
		return rc;
	if (found && v.mv_size == 4)
		*sid = get_u32(v.mv_data);
	return RC_OK;
}

/* Index an active student's code under sid (nothing for no code). */
static int
code_put(rc_db *db, MDB_txn *txn, const struct rc_text *code, uint32_t sid)
{
	char key[RC_CODE_MAX + 1];
	uint8_t v[4];

	if (code->len == 0)
		return RC_OK;
	validate_code_key(code->s, code->len, key);
	put_u32(v, sid);
	return rs_put(db, txn, DB_EMAILS, key, code->len, v, 4);
}

static int
code_del(rc_db *db, MDB_txn *txn, const struct rc_text *code)
{
	char key[RC_CODE_MAX + 1];

	if (code->len == 0)
		return RC_OK;
	validate_code_key(code->s, code->len, key);
	return rs_del(db, txn, DB_EMAILS, key, code->len);
}

/* Refuse a code another active student holds (as emails are refused). */
static int
code_check_free(rc_db *db, MDB_txn *txn, const struct rc_text *code,
    uint32_t self)
{
	uint32_t owner;
	int rc;

	if (code->len == 0)
		return RC_OK;
	if ((rc = rm_roster_code_owner(db, txn, code->s, code->len,
	    &owner)) != RC_OK)
		return rc;
	if (owner != 0 && owner != self)
		return store_fail(db, RC_REFUSED, "code already in use");
	return RC_OK;
}

/* The most recently registered removed student with this code, or 0. */
static int
removed_code_owner(rc_db *db, MDB_txn *txn, const char *code, uint32_t *sid)
{
	char want[RC_CODE_MAX + 1], got[RC_CODE_MAX + 1];
	struct roster_rec r;
	MDB_cursor *cur;
	MDB_val k, v;
	int mrc;

	*sid = 0;
	if (validate_code_bytes(code, strlen(code)) != 0)
		return RC_OK;
	validate_code_key(code, strlen(code), want);
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ROSTER], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "roster");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_LAST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_PREV)) {
		if (k.mv_size != 4 || roster_decode(v.mv_data, v.mv_size, &r) ||
		    r.active || r.code.len == 0)
			continue;
		validate_code_key(r.code.s, r.code.len, got);
		if (strcmp(want, got) == 0) {
			*sid = get_u32(k.mv_data);
			break;
		}
	}
	mdb_cursor_close(cur);
	return store_walk_end(db, mrc, "roster");
}

/* ---- end of student codes ---------------------------------------------- */

/*
 * The most recently registered removed student with this email, or 0.
 * Only asked when no active student has it, so the scan is off the
 * common path; it lets "Ada has been removed" beat "unknown student".
 */
static int
removed_owner(rc_db *db, MDB_txn *txn, const char *email, uint32_t *sid)
{
	char want[TEXT_KEY_MAX + 1], got[TEXT_KEY_MAX + 1];
	struct roster_rec r;
	MDB_cursor *cur;
	MDB_val k, v;
	int mrc;

	*sid = 0;
	text_email_key(email, strlen(email), want);
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ROSTER], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "roster");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_LAST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_PREV)) {
		if (k.mv_size != 4 || roster_decode(v.mv_data, v.mv_size, &r) ||
		    r.active)
			continue;
		text_email_key(r.email.s, r.email.len, got);
		if (strcmp(want, got) == 0) {
			*sid = get_u32(k.mv_data);
			break;
		}
	}
	mdb_cursor_close(cur);
	return store_walk_end(db, mrc, "roster");
}

int
rm_roster_find(rc_db *db, MDB_txn *txn, const char *key, uint32_t *sid,
    struct roster_rec *r)
{
	uint8_t id[RC_ID_LEN];
	char shown[120];
	int rc;

	if (event_id_parse(key, id) == 0)
		return rm_roster_find_id(db, txn, id, sid, r);
	/* A code has no @ and an email must: one key lookup either way. */
	if (strchr(key, '@') == NULL) {
		if ((rc = rm_roster_code_owner(db, txn, key, strlen(key),
		    sid)) != RC_OK)
			return rc;
		if (*sid == 0 &&
		    (rc = removed_code_owner(db, txn, key, sid)) != RC_OK)
			return rc;
	} else if ((rc = rm_roster_email_owner(db, txn, key, sid)) != RC_OK)
		return rc;
	else if (*sid == 0 && (rc = removed_owner(db, txn, key, sid)) != RC_OK)
		return rc;
	if (*sid == 0) {
		text_escape(key, strlen(key), shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "unknown student %s", shown);
	}
	if ((rc = rm_roster_get(db, txn, *sid, r)) != RC_OK)
		return rc;
	remember_seen(db, txn, *sid, r);
	return RC_OK;
}
/* ---- appliers --------------------------------------------------------- */

static int
put_roster(rc_db *db, MDB_txn *txn, uint32_t sid, const struct roster_rec *r)
{
	uint8_t key[4], buf[ROSTER_MAX];

	put_u32(key, sid);
	return rs_put(db, txn, DB_ROSTER, key, 4, buf, roster_encode(r, buf));
}

static int
put_sid(rc_db *db, MDB_txn *txn, int dbi, const void *key, size_t klen,
    uint32_t sid)
{
	uint8_t v[4];

	put_u32(v, sid);
	return rs_put(db, txn, dbi, key, klen, v, 4);
}

static size_t
fold_email(const struct rc_text *email, char *out, size_t cap)
{
	(void)cap;	/* TEXT_KEY_MAX + 1: NFC and case folding (SPEC 1) */
	return text_email_key(email->s, email->len, out);
}

/* Index an active student's email under sid (nothing for none). */
static int
email_put(rc_db *db, MDB_txn *txn, const struct rc_text *email, uint32_t sid)
{
	char folded[TEXT_KEY_MAX + 1];

	if (email->len == 0)
		return RC_OK;
	return put_sid(db, txn, DB_EMAILS, folded, fold_email(email, folded,
	    sizeof(folded)), sid);
}

static int
email_del(rc_db *db, MDB_txn *txn, const struct rc_text *email)
{
	char folded[TEXT_KEY_MAX + 1];

	if (email->len == 0)
		return RC_OK;
	return rs_del(db, txn, DB_EMAILS, folded, fold_email(email, folded,
	    sizeof(folded)));
}

static int
email_taken(rc_db *db, MDB_txn *txn, const struct rc_text *email,
    uint32_t except, int *taken)
{
	char folded[TEXT_KEY_MAX + 1];
	size_t n = fold_email(email, folded, sizeof(folded));
	MDB_val v;
	int rc, found;

	*taken = 0;
	if (email->len == 0)
		return RC_OK;
	if ((rc = rs_get(db, txn, DB_EMAILS, folded, n, &v, &found)) != RC_OK)
		return rc;
	*taken = found && (v.mv_size != 4 || get_u32(v.mv_data) != except);
	return RC_OK;
}

/*
 * A name's key in the names index, in the database's collation (SPEC 3
 * "Name order"): the collator runs here, when a name is projected, so
 * that queries only walk the index.
 */
static int
name_key(rc_db *db, MDB_txn *txn, const struct rc_text *name,
    const uint8_t id[RC_ID_LEN], uint8_t nkey[NAMES_KEY_MAX], size_t *n)
{
	char tag[COLLATE_TAG_MAX + 1], why[256];
	uint8_t sortkey[NAMES_KEY_MAX];
	size_t klen;
	int rc;

	if ((rc = rm_collation_get(db, txn, tag)) != RC_OK)
		return rc;
	klen = collate_key(tag, name->s, name->len, sortkey, sizeof(sortkey),
	    why, sizeof(why));
	if (klen == 0)
		return store_fail(db, RC_ESYS, "collation %s: %s", tag, why);
	*n = names_key(sortkey, klen, id, nkey, NAMES_KEY_MAX);
	return RC_OK;
}

static int
apply_registered(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct roster_rec r;
	uint8_t nkey[NAMES_KEY_MAX];
	size_t nlen;
	MDB_val v;
	uint32_t sid = 0;
	int rc, found, taken;

	if ((rc = rs_get(db, txn, DB_IDS, ev->id, RC_ID_LEN, &v,
	    &found)) != RC_OK)
		return rc;
	if (found)
		return store_fail(db, RC_REFUSED, "student already registered");
	if ((rc = email_taken(db, txn, &ev->u.reg.email, 0, &taken)) != RC_OK)
		return rc;
	if (taken)
		return store_fail(db, RC_REFUSED, "email already in use");
	if ((rc = code_check_free(db, txn, &ev->u.reg.code, 0)) != RC_OK ||
	    (rc = rm_roster_next_sid(db, txn, &sid)) != RC_OK)
		return rc;

	memcpy(r.id, ev->id, RC_ID_LEN);
	r.active = 1;
	/* Replayed after an erasure: the stand-ins (seal_erased). */
	r.erased = ev->seal == SEAL_ERASED;
	r.gender = ev->u.reg.gender;
	r.reg_day = ev->u.reg.day;
	r.registered_at = ev->recorded_at;
	r.name = ev->u.reg.name;
	r.email = ev->u.reg.email;
	r.code = ev->u.reg.code;
	if ((rc = put_roster(db, txn, sid, &r)) != RC_OK ||
	    (rc = put_id(db, txn, ev->id, sid, 1)) != RC_OK ||
	    (rc = email_put(db, txn, &r.email, sid)) != RC_OK ||
	    (rc = code_put(db, txn, &r.code, sid)) != RC_OK ||
	    (rc = name_key(db, txn, &r.name, r.id, nkey, &nlen)) != RC_OK ||
	    (rc = put_sid(db, txn, DB_NAMES, nkey, nlen, sid)) != RC_OK ||
	    (rc = rm_collation_mark_current(db, txn)) != RC_OK)
		return rc;
	return RC_OK;
}

int
rm_roster_next_sid(rc_db *db, MDB_txn *txn, uint32_t *sid)
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
	char name[RC_NAME_MAX], email[RC_EMAIL_MAX], code[RC_CODE_MAX];
};

static int
find_active(rc_db *db, MDB_txn *txn, const uint8_t id[RC_ID_LEN],
    struct student_copy *c)
{
	int rc;

	if ((rc = rm_roster_find_id(db, txn, id, &c->sid, &c->r)) != RC_OK)
		return rc;
	if (!c->r.active)
		return store_fail(db, RC_REFUSED, "student is removed");
	/* Copy: the page it points into may move on our first write. */
	memcpy(c->name, c->r.name.s, c->r.name.len);
	memcpy(c->email, c->r.email.s, c->r.email.len);
	memcpy(c->code, c->r.code.s, c->r.code.len);
	c->r.name.s = c->name;
	c->r.email.s = c->email;
	c->r.code.s = c->code;
	return RC_OK;
}

/*
 * Everything an update needs, before its first write: a free email and
 * code, and (SPEC 8) an email or a code left.
 */
static int
check_update(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    const struct student_copy *c)
{
	uint8_t f = ev->u.upd.fields;
	size_t email, code;
	int rc, taken;

	if (f & UPD_EMAIL) {
		rc = email_taken(db, txn, &ev->u.upd.email, c->sid, &taken);
		if (rc != RC_OK)
			return rc;
		if (taken)
			return store_fail(db, RC_REFUSED, "email already in use");
	}
	if ((f & UPD_CODE) &&
	    (rc = code_check_free(db, txn, &ev->u.upd.code, c->sid)) != RC_OK)
		return rc;
	email = f & UPD_EMAIL ? ev->u.upd.email.len : c->r.email.len;
	code = f & UPD_CODE ? ev->u.upd.code.len : c->r.code.len;
	if (email == 0 && code == 0)
		return store_fail(db, RC_REFUSED,
		    "a student needs an email or a code");
	return RC_OK;
}

static int
apply_updated(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct student_copy c;
	uint8_t nkey[NAMES_KEY_MAX];
	size_t nlen;
	uint8_t f = ev->u.upd.fields;
	int rc;

	if ((rc = find_active(db, txn, ev->id, &c)) != RC_OK)
		return rc;
	/* Replayed after an erasure: what it changed is gone for good. */
	if (ev->seal == SEAL_ERASED)
		return RC_OK;
	if ((rc = check_update(db, txn, ev, &c)) != RC_OK)
		return rc;
	if (f & UPD_EMAIL) {
		if ((rc = email_del(db, txn, &c.r.email)) != RC_OK)
			return rc;
		c.r.email = ev->u.upd.email;
		if ((rc = email_put(db, txn, &c.r.email, c.sid)) != RC_OK)
			return rc;
	}
	if (f & UPD_CODE) {
		if ((rc = code_del(db, txn, &c.r.code)) != RC_OK)
			return rc;
		c.r.code = ev->u.upd.code;
		if ((rc = code_put(db, txn, &c.r.code, c.sid)) != RC_OK)
			return rc;
	}
	if (f & UPD_NAME) {
		if ((rc = name_key(db, txn, &c.r.name, c.r.id, nkey,
		    &nlen)) != RC_OK ||
		    (rc = rs_del(db, txn, DB_NAMES, nkey, nlen)) != RC_OK)
			return rc;
		c.r.name = ev->u.upd.name;
		if ((rc = name_key(db, txn, &c.r.name, c.r.id, nkey,
		    &nlen)) != RC_OK ||
		    (rc = put_sid(db, txn, DB_NAMES, nkey, nlen, c.sid)) != RC_OK)
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
	int rc;

	if ((rc = find_active(db, txn, ev->id, &c)) != RC_OK)
		return rc;
	if ((rc = email_del(db, txn, &c.r.email)) != RC_OK ||
	    (rc = code_del(db, txn, &c.r.code)) != RC_OK)
		return rc;
	c.r.active = 0;
	if ((rc = put_id(db, txn, c.r.id, c.sid, 0)) != RC_OK)
		return rc;
	return put_roster(db, txn, c.sid, &c.r);
}

/*
 * student_restored (issue 16): the removed student is active again, with
 * their email back in the index; refused when an active student has
 * taken that email since.
 */
static int
apply_restored(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct roster_rec r;
	char name[RC_NAME_MAX], email[RC_EMAIL_MAX], code[RC_CODE_MAX];
	uint32_t sid;
	int rc, taken;

	if ((rc = rm_roster_find_id(db, txn, ev->id, &sid, &r)) != RC_OK)
		return rc;
	if (r.active)
		return store_fail(db, RC_REFUSED, "student is not removed");
	if (r.erased)
		return store_fail(db, RC_REFUSED, "student's personal data "
		    "was erased");
	/* Copy: the page it points into may move on our first write. */
	memcpy(name, r.name.s, r.name.len);
	memcpy(email, r.email.s, r.email.len);
	memcpy(code, r.code.s, r.code.len);
	r.name.s = name;
	r.email.s = email;
	r.code.s = code;
	if ((rc = email_taken(db, txn, &r.email, sid, &taken)) != RC_OK)
		return rc;
	if (taken)
		return store_fail(db, RC_REFUSED, "email already in use");
	if ((rc = code_check_free(db, txn, &r.code, sid)) != RC_OK)
		return rc;
	r.active = 1;
	if ((rc = email_put(db, txn, &r.email, sid)) != RC_OK ||
	    (rc = code_put(db, txn, &r.code, sid)) != RC_OK ||
	    (rc = put_id(db, txn, r.id, sid, 1)) != RC_OK)
		return rc;
	return put_roster(db, txn, sid, &r);
}

/*
 * student_erased (SPEC 7): the roster forgets the removed student's
 * name, email, code and gender, keeping id, days and figures.  A removed
 * student is in neither the emails nor the codes index already.
 */
static int
apply_erased(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct roster_rec r;
	uint8_t nkey[NAMES_KEY_MAX];
	size_t nlen;
	uint32_t sid;
	int rc;

	if ((rc = rm_roster_find_id(db, txn, ev->id, &sid, &r)) != RC_OK)
		return rc;
	if (r.active)
		return store_fail(db, RC_REFUSED, "student is not removed");
	if ((rc = name_key(db, txn, &r.name, r.id, nkey, &nlen)) != RC_OK ||
	    (rc = rs_del(db, txn, DB_NAMES, nkey, nlen)) != RC_OK)
		return rc;
	r.name.s = RC_ERASED_NAME;
	r.name.len = sizeof(RC_ERASED_NAME) - 1;
	r.email.len = r.code.len = 0;
	r.gender = GENDER_NONE;
	r.erased = 1;
	if ((rc = put_roster(db, txn, sid, &r)) != RC_OK)
		return rc;
	if ((rc = name_key(db, txn, &r.name, r.id, nkey, &nlen)) != RC_OK)
		return rc;
	return put_sid(db, txn, DB_NAMES, nkey, nlen, sid);
}

/*
 * Events that name a student: resolve it for the models after this one
 * (step), refusing unknown ones, and removed ones' check-ins.
 */
static int
resolve(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	int rc, active;

	if ((rc = find_sid(db, txn, ev->id, &step->sid, &active)) != RC_OK)
		return rc;
	step->active = (uint8_t)active;
	if (!active && ev->type == EV_ATTENDANCE_RECORDED)
		return store_fail(db, RC_REFUSED, "student is removed");
	return RC_OK;
}

static int
roster_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	int rc = RC_OK;

	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		rc = apply_registered(db, txn, ev);
		break;
	case EV_STUDENT_UPDATED:
		return apply_updated(db, txn, ev);
	case EV_STUDENT_REMOVED:
		rc = apply_removed(db, txn, ev);
		break;
	case EV_STUDENT_RESTORED:
		rc = apply_restored(db, txn, ev);
		break;
	case EV_STUDENT_ERASED:
		rc = apply_erased(db, txn, ev);
		break;
	case EV_ATTENDANCE_RECORDED:
	case EV_ATTENDANCE_VOIDED:
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
	case EV_DEPARTURE_RECORDED:
		break;
	case EV_CONFIG_CHANGED:
		/* A new name order: rm_collation (before us) holds its tag. */
		if (ev->u.cfg.key == CFG_COLLATION)
			return rm_roster_rekey_names(db, txn);
		return RC_OK;
	default:
		return RC_OK;
	}
	/* The enrolment model needs the sid of a registration or removal. */
	return rc == RC_OK ? resolve(db, txn, ev, step) : rc;
}

int
rm_roster_rekey_names(rc_db *db, MDB_txn *txn)
{
	uint8_t nkey[NAMES_KEY_MAX];
	struct roster_rec r;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t nlen;
	uint32_t sid;
	int rc = RC_OK, mrc;

	if ((mrc = mdb_drop(txn, db->dbi[DB_NAMES], 0)) != 0)
		return store_lmdb_fail(db, mrc, "names");
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_ROSTER], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "roster");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 4 || roster_decode(v.mv_data, v.mv_size, &r)) {
			rc = store_fail(db, RC_ESYS, "a roster record is "
			    "damaged");
			break;
		}
		sid = get_u32(k.mv_data);
		/* The roster's pages stay put: only names is written. */
		if ((rc = name_key(db, txn, &r.name, r.id, nkey,
		    &nlen)) != RC_OK ||
		    (rc = put_sid(db, txn, DB_NAMES, nkey, nlen, sid)) != RC_OK)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != RC_OK)
		return rc;
	return store_walk_end(db, mrc, "roster");
}

/* ---- rebuild ---------------------------------------------------------- */

static int
roster_bulk_begin(rc_db *db, MDB_txn *txn, enum rs_bulk how)
{
	struct roster_mem *m = mem(db);

	(void)txn;
	if (m == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	m->seen_sid = 0;	/* a replay starts from an empty roster */
	if (how != RS_REPLAY)
		return RC_OK;
	if ((m->ids = calloc(1024, sizeof(*m->ids))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	m->ids_cap = 1024;
	m->ids_n = 0;
	return RC_OK;
}

/* Nothing to write: every index was written as it went. */
static int
roster_bulk_end(rc_db *db, MDB_txn *txn, int ok)
{
	struct roster_mem *m = mem(db);

	(void)txn;
	(void)ok;
	if (m) {
		free(m->ids);
		m->ids = NULL;
		m->ids_cap = m->ids_n = 0;
	}
	return RC_OK;
}

static void
roster_free(struct rs_mem *m)
{
	if (m->roster)
		free(m->roster->ids);
	free(m->roster);
	m->roster = NULL;
}

const struct read_model rm_roster = {
	.name = "roster",
	.apply = roster_apply,
	.bulk_begin = roster_bulk_begin,
	.bulk_end = roster_bulk_end,
	.free_mem = roster_free,
};
