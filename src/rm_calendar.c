/*
 * rm_calendar.c - the calendar read model: settings and closed days.
 *
 *   meta    "calendar" -> u8 weekdays | u32 term_start | u32 term_end
 *                         (ffffffff: unset); absent means the defaults
 *   closed  u32 day -> reason text (1-500 bytes)
 *
 * A closing covers every day of its range whatever its weekday, so that
 * a later change of school-days finds the holiday still closed.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "rm_calendar.h"

#define CALENDAR_KEY "calendar"
#define CALENDAR_LEN 9

static int32_t
term_day(uint32_t v)
{
	return v == CFG_NO_DAY ? CAL_NO_DAY : (int32_t)v;
}

int
rm_calendar_settings(rc_db *db, MDB_txn *txn, struct cal_settings *s)
{
	const uint8_t *p;
	MDB_val v;
	int rc, found;

	cal_default(s);
	rc = rs_get(db, txn, DB_META, CALENDAR_KEY, sizeof(CALENDAR_KEY) - 1,
	    &v, &found);
	if (rc != RC_OK || !found)
		return rc;
	p = v.mv_data;
	if (v.mv_size != CALENDAR_LEN || p[0] == 0 || p[0] > 0x7f)
		return store_fail(db, RC_ESYS, "the calendar settings are "
		    "damaged");
	s->weekdays = p[0];
	s->term_start = term_day(get_u32(p + 1));
	s->term_end = term_day(get_u32(p + 5));
	return RC_OK;
}

static int
apply_setting(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct cal_settings s;
	uint8_t buf[CALENDAR_LEN];
	int rc;

	if ((rc = rm_calendar_settings(db, txn, &s)) != RC_OK)
		return rc;
	switch (ev->u.cfg.key) {
	case CFG_SCHOOL_DAYS:
		s.weekdays = (uint8_t)ev->u.cfg.value;
		break;
	case CFG_TERM_START:
		s.term_start = term_day(ev->u.cfg.value);
		break;
	case CFG_TERM_END:
		s.term_end = term_day(ev->u.cfg.value);
		break;
	default:
		return RC_OK;
	}
	buf[0] = s.weekdays;
	put_u32(buf + 1, s.term_start == CAL_NO_DAY ? CFG_NO_DAY :
	    (uint32_t)s.term_start);
	put_u32(buf + 5, s.term_end == CAL_NO_DAY ? CFG_NO_DAY :
	    (uint32_t)s.term_end);
	return rs_put(db, txn, DB_META, CALENDAR_KEY, sizeof(CALENDAR_KEY) - 1,
	    buf, CALENDAR_LEN);
}

int
rm_calendar_walk_closed(rc_db *db, MDB_txn *txn, int32_t from, int32_t to,
    rm_closed_fn fn, void *ctx)
{
	uint8_t key[4];
	MDB_cursor *cur;
	MDB_val k, v;
	int32_t day;
	int mrc;

	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_CLOSED], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "closed");
	put_u32(key, (uint32_t)(from < 0 ? 0 : from));
	k = rs_val(key, 4);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 4) {
			mdb_cursor_close(cur);
			return store_fail(db, RC_ESYS, "the closed days are "
			    "damaged");
		}
		day = (int32_t)get_u32(k.mv_data);
		if (day > to || fn(ctx, day, v.mv_data, v.mv_size) != 0)
			break;
	}
	mdb_cursor_close(cur);
	return store_walk_end(db, mrc, "closed");
}

struct day_list {
	int32_t *days;
	size_t n, cap;
	int oom;
};

static int
keep_day(void *arg, int32_t day, const char *reason, size_t len)
{
	struct day_list *l = arg;
	int32_t *p;

	(void)reason;
	(void)len;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		if ((p = realloc(l->days, l->cap * sizeof(*p))) == NULL) {
			l->oom = 1;
			return 1;
		}
		l->days = p;
	}
	l->days[l->n++] = day;
	return 0;
}

int
rm_calendar_closed_days(rc_db *db, MDB_txn *txn, int32_t from, int32_t to,
    int32_t **days, size_t *n)
{
	struct day_list l = { NULL, 0, 0, 0 };
	int rc;

	rc = rm_calendar_walk_closed(db, txn, from, to, keep_day, &l);
	if (rc == RC_OK && l.oom)
		rc = store_fail(db, RC_ESYS, "out of memory");
	if (rc != RC_OK) {
		free(l.days);
		l.days = NULL;
		l.n = 0;
	}
	*days = l.days;
	*n = l.n;
	return rc;
}

static int
count_day(void *arg, int32_t day, const char *reason, size_t len)
{
	(void)day;
	(void)reason;
	(void)len;
	++*(size_t *)arg;
	return 0;
}

/* Check first (nothing closed yet), then write: a refusal writes nothing. */
static int
apply_closed(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	uint8_t key[4];
	size_t n = 0;
	int32_t d;
	int rc;

	rc = rm_calendar_walk_closed(db, txn, ev->u.cal.from, ev->u.cal.to,
	    count_day, &n);
	if (rc != RC_OK)
		return rc;
	if (n > 0)
		return store_fail(db, RC_REFUSED, "a day of the range is "
		    "already closed");
	for (d = ev->u.cal.from; d <= ev->u.cal.to; d++) {
		put_u32(key, (uint32_t)d);
		if ((rc = rs_put(db, txn, DB_CLOSED, key, 4,
		    ev->u.cal.reason.s, ev->u.cal.reason.len)) != RC_OK)
			return rc;
	}
	return RC_OK;
}

static int
apply_reopened(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct day_list l = { NULL, 0, 0, 0 };
	uint8_t key[4];
	size_t i;
	int rc;

	if ((rc = rm_calendar_closed_days(db, txn, ev->u.cal.from,
	    ev->u.cal.to, &l.days, &l.n)) != RC_OK)
		return rc;
	if (l.n == 0)
		rc = store_fail(db, RC_REFUSED, "no closed day to reopen");
	for (i = 0; i < l.n && rc == RC_OK; i++) {
		put_u32(key, (uint32_t)l.days[i]);
		rc = rs_del(db, txn, DB_CLOSED, key, 4);
	}
	free(l.days);
	return rc;
}

static int
calendar_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev,
    struct proj_step *step)
{
	(void)step;
	switch (ev->type) {
	case EV_CONFIG_CHANGED:
		return apply_setting(db, txn, ev);
	case EV_DAY_CLOSED:
		return apply_closed(db, txn, ev);
	case EV_DAY_REOPENED:
		return apply_reopened(db, txn, ev);
	}
	return RC_OK;
}

const struct read_model rm_calendar = {
	.name = "calendar",
	.apply = calendar_apply,
};
