/*
 * command_school.c - the commands of SPEC 6: close and reopen days,
 * excuse absences (and withdraw excuses), record early departures, and
 * the calendar settings.  Each is one write transaction, like every
 * command (command.c): validate against the read side, append, apply,
 * commit; nothing is written on any refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "command.h"
#include "command_txn.h"
#include "rm_calendar.h"
#include "rm_days.h"
#include "rm_departures.h"
#include "rm_enrolment.h"
#include "rm_excuses.h"
#include "text.h"
#include "validate.h"

#define SHOWN_NAME (RC_NAME_MAX * 4 + 1)

/* A range of days, checked before any transaction. */
static int
check_range(rc_db *db, int32_t from, int32_t to)
{
	char a[16], b[16];

	clock_format_day(from, a);
	clock_format_day(to, b);
	if (to < from)
		return store_fail(db, RC_REFUSED, "the range ends (%s) before "
		    "it starts (%s)", b, a);
	if (to - from >= RC_SPAN_MAX)
		return store_fail(db, RC_REFUSED, "the range %s to %s is "
		    "longer than a year (%d days at most)", a, b, RC_SPAN_MAX);
	return RC_OK;
}

static void
shown_name(const struct roster_rec *r, char out[SHOWN_NAME])
{
	text_escape(r->name.s, r->name.len, out, SHOWN_NAME);
}

/* ---- close and reopen ------------------------------------------------- */

struct close_ctx {
	int32_t from, to;
	char reason[RC_REASON_MAX + 1];
	size_t n;
};

static int
first_closed(void *arg, int32_t day, const char *reason, size_t len)
{
	struct close_ctx *c = arg;

	(void)reason;
	(void)len;
	c->from = day;		/* reused as the answer */
	c->n++;
	return 1;
}

static int
close_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct close_ctx *c = arg, seen = *c;
	struct rc_event ev;
	char day[16];
	int rc;

	seen.n = 0;
	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = rm_calendar_walk_closed(db, txn, c->from, c->to,
	    first_closed, &seen)) != RC_OK)
		return rc;
	if (seen.n > 0) {
		clock_format_day(seen.from, day);
		return store_fail(db, RC_REFUSED, "%s is already closed", day);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_DAY_CLOSED;
	ev.u.cal.from = c->from;
	ev.u.cal.to = c->to;
	ev.u.cal.reason.s = c->reason;
	ev.u.cal.reason.len = strlen(c->reason);
	return command_txn_emit(db, txn, &ev);
}

int
command_close(rc_db *db, int32_t from, int32_t to, const char *reason)
{
	struct close_ctx c;
	const char *why;
	int rc;

	if ((rc = check_range(db, from, to)) != RC_OK)
		return rc;
	if (reason == NULL)
		return store_fail(db, RC_USAGE, "close needs --reason");
	if (validate_reason(reason, c.reason, sizeof(c.reason), &why) != 0)
		return store_fail(db, RC_REFUSED, "%s", why);
	if (c.reason[0] == 0)
		return store_fail(db, RC_REFUSED, "reason is empty");
	c.from = from;
	c.to = to;
	return store_write(db, close_txn, &c);
}

static int
reopen_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct close_ctx *c = arg;
	struct rc_event ev;
	int32_t *days = NULL;
	char a[16], b[16];
	int rc;

	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = rm_calendar_closed_days(db, txn, c->from, c->to, &days,
	    &c->n)) != RC_OK)
		return rc;
	free(days);
	if (c->n == 0) {
		clock_format_day(c->from, a);
		clock_format_day(c->to, b);
		if (c->from == c->to)
			return store_fail(db, RC_REFUSED, "%s is not closed", a);
		return store_fail(db, RC_REFUSED, "no day from %s to %s is "
		    "closed", a, b);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_DAY_REOPENED;
	ev.u.cal.from = c->from;
	ev.u.cal.to = c->to;
	return command_txn_emit(db, txn, &ev);
}

int
command_reopen(rc_db *db, int32_t from, int32_t to, size_t *n)
{
	struct close_ctx c;
	int rc;

	if ((rc = check_range(db, from, to)) != RC_OK)
		return rc;
	c.from = from;
	c.to = to;
	c.n = 0;
	rc = store_write(db, reopen_txn, &c);
	if (n)
		*n = rc == RC_OK ? c.n : 0;
	return rc;
}

/* ---- excuse ----------------------------------------------------------- */

struct excuse_ctx {
	const char *student;
	int32_t from, to;
	uint8_t code;		/* 0: withdraw */
	char note[RC_REASON_MAX + 1];
	size_t days;
};

/* Name the day bit of ev (its from is the range's start meanwhile). */
static void
mark_day(uint8_t map[RC_DAYMAP_LEN], int32_t i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

/*
 * Make the event's range tight around the days it names (the encoding
 * wants its first and last bits set): shift the map to the first one.
 */
static void
tighten(struct rc_event *ev, const uint8_t map[RC_DAYMAP_LEN], int32_t from,
    int32_t to)
{
	int32_t d, first = -1, last = -1;

	for (d = from; d <= to; d++)
		if ((map[(d - from) / 8] >> ((d - from) % 8)) & 1) {
			if (first < 0)
				first = d;
			last = d;
		}
	memset(ev->u.exc.days, 0, RC_DAYMAP_LEN);
	ev->u.exc.from = first;
	ev->u.exc.to = last;
	for (d = first; d <= last; d++)
		if ((map[(d - from) / 8] >> ((d - from) % 8)) & 1)
			mark_day(ev->u.exc.days, d - first);
}

/* The school days of the range, by the calendar now; *n of them. */
static int
school_days(rc_db *db, MDB_txn *txn, int32_t from, int32_t to,
    uint8_t map[RC_DAYMAP_LEN], size_t *n)
{
	struct cal_settings s;
	struct cal_span sp;
	int32_t *closed = NULL, d;
	size_t nclosed = 0;
	int rc;

	memset(map, 0, RC_DAYMAP_LEN);
	*n = 0;
	if ((rc = rm_calendar_settings(db, txn, &s)) != RC_OK ||
	    (rc = rm_calendar_closed_days(db, txn, from, to, &closed,
	    &nclosed)) != RC_OK)
		return rc;
	rc = cal_span_init(&sp, &s, from, to, closed, nclosed);
	free(closed);
	if (rc != 0)
		return store_fail(db, RC_ESYS, "out of memory");
	for (d = from; d <= to; d++)
		if (cal_span_school(&sp, d)) {
			mark_day(map, d - from);
			++*n;
		}
	cal_span_free(&sp);
	return RC_OK;
}

/* Refuse a range starting before the student's enrolment. */
static int
check_enrolled(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r, int32_t from)
{
	struct cal_period p[RM_PERIODS_MAX];
	char name[SHOWN_NAME], a[16], b[16];
	size_t n;
	int rc;

	if ((rc = rm_enrolment_periods(db, txn, sid, p, &n)) != RC_OK)
		return rc;
	if (n > 0 && from >= p[0].start)
		return RC_OK;
	shown_name(r, name);
	clock_format_day(from, a);
	clock_format_day(n > 0 ? p[0].start : r->reg_day, b);
	return store_fail(db, RC_REFUSED, "cannot excuse %s on %s, before "
	    "their registration on %s", name, a, b);
}

static int
excuse_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct excuse_ctx *c = arg;
	struct roster_rec r;
	struct rc_event ev;
	uint8_t map[RC_DAYMAP_LEN], code;
	char name[SHOWN_NAME], a[16], b[16];
	uint32_t sid;
	int32_t d;
	int rc;

	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = command_txn_find_active(db, txn, c->student, &sid,
	    &r)) != RC_OK)
		return rc;
	shown_name(&r, name);
	memset(&ev, 0, sizeof(ev));
	memcpy(ev.id, r.id, RC_ID_LEN);
	if ((rc = check_enrolled(db, txn, sid, &r, c->from)) != RC_OK ||
	    (rc = school_days(db, txn, c->from, c->to, map, &c->days)) !=
	    RC_OK)
		return rc;
	clock_format_day(c->from, a);
	clock_format_day(c->to, b);
	if (c->days == 0)
		return store_fail(db, RC_REFUSED, c->from == c->to ?
		    "%s is not a school day" : "no school day from %s to %s",
		    a, b);
	for (d = c->from; d <= c->to; d++) {
		if (!((map[(d - c->from) / 8] >> ((d - c->from) % 8)) & 1))
			continue;
		if ((rc = rm_excuses_get(db, txn, sid, d, &code)) != RC_OK)
			return rc;
		if (code != 0) {
			clock_format_day(d, a);
			return store_fail(db, RC_REFUSED, "%s is already "
			    "excused on %s (%s)", name, a,
			    event_excuse_name(code));
		}
	}
	ev.type = EV_ABSENCE_EXCUSED;
	ev.u.exc.reason = c->code;
	ev.u.exc.note.s = c->note;
	ev.u.exc.note.len = strlen(c->note);
	tighten(&ev, map, c->from, c->to);
	return command_txn_emit(db, txn, &ev);
}

static int
withdraw_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct excuse_ctx *c = arg;
	struct roster_rec r;
	struct rc_event ev;
	uint8_t map[RC_DAYMAP_LEN], code;
	char name[SHOWN_NAME], a[16], b[16];
	uint32_t sid;
	int32_t d;
	int rc;

	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = command_txn_find_active(db, txn, c->student, &sid,
	    &r)) != RC_OK)
		return rc;
	memset(map, 0, sizeof(map));
	c->days = 0;
	for (d = c->from; d <= c->to; d++) {
		if ((rc = rm_excuses_get(db, txn, sid, d, &code)) != RC_OK)
			return rc;
		if (code != 0) {
			mark_day(map, d - c->from);
			c->days++;
		}
	}
	if (c->days == 0) {
		shown_name(&r, name);
		clock_format_day(c->from, a);
		clock_format_day(c->to, b);
		if (c->from == c->to)
			return store_fail(db, RC_REFUSED, "%s is not excused "
			    "on %s", name, a);
		return store_fail(db, RC_REFUSED, "%s has no excused day "
		    "from %s to %s", name, a, b);
	}
	memset(&ev, 0, sizeof(ev));
	memcpy(ev.id, r.id, RC_ID_LEN);
	ev.type = EV_EXCUSE_WITHDRAWN;
	tighten(&ev, map, c->from, c->to);
	return command_txn_emit(db, txn, &ev);
}

/* The checks of both excuse forms that need no database. */
static int
excuse_range(rc_db *db, int32_t from, int32_t to)
{
	struct rc_local now;
	int64_t us;
	char a[16];
	int rc;

	if ((rc = check_range(db, from, to)) != RC_OK)
		return rc;
	if (clock_now(&us, &now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	if (to > now.day + RC_SPAN_MAX) {
		clock_format_day(to, a);
		return store_fail(db, RC_REFUSED, "%s is more than a year "
		    "ahead", a);
	}
	return RC_OK;
}

int
command_excuse(rc_db *db, const char *student, int32_t from, int32_t to,
    const char *reason, const char *note, size_t *days)
{
	struct excuse_ctx c;
	char shown[64];
	const char *why;
	int rc;

	if (days)
		*days = 0;
	if (reason == NULL)
		return store_fail(db, RC_USAGE, "excuse needs --reason");
	if ((c.code = (uint8_t)event_excuse_code(reason)) == 0) {
		text_escape(reason, strlen(reason), shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "unknown reason '%s' "
		    "(illness, medical, family, religious, school_activity, "
		    "other)", shown);
	}
	c.note[0] = 0;
	if (note && validate_reason(note, c.note, sizeof(c.note), &why) != 0)
		return store_fail(db, RC_REFUSED, "note: %s", why);
	if ((rc = excuse_range(db, from, to)) != RC_OK)
		return rc;
	c.student = student;
	c.from = from;
	c.to = to;
	c.days = 0;
	rc = store_write(db, excuse_txn, &c);
	if (days && rc == RC_OK)
		*days = c.days;
	return rc;
}

int
command_excuse_withdraw(rc_db *db, const char *student, int32_t from,
    int32_t to, size_t *days)
{
	struct excuse_ctx c;
	int rc;

	if (days)
		*days = 0;
	if ((rc = check_range(db, from, to)) != RC_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	c.student = student;
	c.from = from;
	c.to = to;
	rc = store_write(db, withdraw_txn, &c);
	if (days && rc == RC_OK)
		*days = c.days;
	return rc;
}

/* ---- checkout --------------------------------------------------------- */

struct checkout_ctx {
	const char *student;
	const struct rc_local *at;
	char reason[RC_REASON_MAX + 1];
	struct rc_checkout *out;
};

static int
checkout_refusal(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r, const struct rc_local *at)
{
	struct att_entry e;
	char name[SHOWN_NAME], day[16], t1[16], t2[16];
	uint32_t left;
	int rc, found;

	shown_name(r, name);
	clock_format_day(at->day, day);
	if ((rc = rm_days_valid(db, txn, sid, at->day, &e, &found)) !=
	    RC_OK)
		return rc;
	if (!found)
		return store_fail(db, RC_REFUSED, "%s has no check-in on %s",
		    name, day);
	clock_format_time(at->sec, t1);
	clock_format_time(e.arrived, t2);
	if (at->sec < e.arrived)
		return store_fail(db, RC_REFUSED, "departure at %s is before "
		    "%s's arrival at %s", t1, name, t2);
	if ((rc = rm_departures_get(db, txn, sid, at->day, &found, &left,
	    NULL, 0)) != RC_OK)
		return rc;
	if (found) {
		clock_format_time(left, t1);
		return store_fail(db, RC_REFUSED, "%s already left on %s at %s",
		    name, day, t1);
	}
	return RC_OK;
}

static int
checkout_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct checkout_ctx *c = arg;
	struct roster_rec r;
	struct rc_event ev;
	struct rc_local now, at;
	struct att_entry e;
	uint32_t sid;
	int64_t us;
	int rc, found;

	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = command_txn_find_active(db, txn, c->student, &sid,
	    &r)) != RC_OK)
		return rc;
	if (clock_now(&us, &now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	at = c->at ? *c->at : now;
	if (at.day > now.day || (at.day == now.day && at.sec > now.sec))
		return store_fail(db, RC_REFUSED, "departure time is in the "
		    "future");
	if ((rc = checkout_refusal(db, txn, sid, &r, &at)) != RC_OK ||
	    (rc = rm_days_valid(db, txn, sid, at.day, &e, &found)) !=
	    RC_OK)
		return rc;
	event_id_text(r.id, c->out->id);
	memcpy(c->out->name, r.name.s, r.name.len);
	c->out->name[r.name.len] = 0;
	c->out->day = at.day;
	c->out->arrived = e.arrived;
	c->out->left = at.sec;
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_DEPARTURE_RECORDED;
	ev.recorded_at = us;
	memcpy(ev.id, r.id, RC_ID_LEN);
	ev.u.dep.day = at.day;
	ev.u.dep.left = at.sec;
	ev.u.dep.reason.s = c->reason;
	ev.u.dep.reason.len = strlen(c->reason);
	return command_txn_emit(db, txn, &ev);
}

int
command_checkout(rc_db *db, const char *student, const struct rc_local *at,
    const char *reason, struct rc_checkout *out)
{
	struct checkout_ctx c;
	struct rc_checkout scratch;
	const char *why;

	c.reason[0] = 0;
	if (reason && validate_reason(reason, c.reason, sizeof(c.reason),
	    &why) != 0)
		return store_fail(db, RC_REFUSED, "%s", why);
	c.student = student;
	c.at = at;
	c.out = out ? out : &scratch;
	return store_write(db, checkout_txn, &c);
}

/* ---- calendar settings ------------------------------------------------ */

struct calcfg_ctx {
	uint8_t key;
	uint32_t value;
};

static int
calcfg_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct calcfg_ctx *c = arg;
	struct cal_settings s;
	struct rc_event ev;
	uint32_t cur;
	int32_t start, end;
	char a[16], b[16];
	int rc;

	if ((rc = command_txn_begin(db, txn)) != RC_OK ||
	    (rc = rm_calendar_settings(db, txn, &s)) != RC_OK)
		return rc;
	start = c->key == CFG_TERM_START ? (c->value == CFG_NO_DAY ?
	    CAL_NO_DAY : (int32_t)c->value) : s.term_start;
	end = c->key == CFG_TERM_END ? (c->value == CFG_NO_DAY ?
	    CAL_NO_DAY : (int32_t)c->value) : s.term_end;
	if (start != CAL_NO_DAY && end != CAL_NO_DAY && end < start) {
		clock_format_day(start, a);
		clock_format_day(end, b);
		return store_fail(db, RC_REFUSED, "term-end %s is before "
		    "term-start %s", b, a);
	}
	if (c->key == CFG_SCHOOL_DAYS)
		cur = s.weekdays;
	else
		cur = (c->key == CFG_TERM_START ? s.term_start : s.term_end) ==
		    CAL_NO_DAY ? CFG_NO_DAY : (uint32_t)(c->key ==
		    CFG_TERM_START ? s.term_start : s.term_end);
	if (cur == c->value)
		return RC_OK;
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_CONFIG_CHANGED;
	ev.u.cfg.key = c->key;
	ev.u.cfg.value = c->value;
	return command_txn_emit(db, txn, &ev);
}

int
command_is_calendar_key(const char *key)
{
	return strcmp(key, "school-days") == 0 ||
	    strcmp(key, "term-start") == 0 || strcmp(key, "term-end") == 0;
}

int
command_config_calendar(rc_db *db, const char *key, const char *value)
{
	struct calcfg_ctx c;
	char bad[64], shown[128], word[128];
	uint8_t mask;
	int32_t day;

	if (strcmp(key, "school-days") == 0) {
		c.key = CFG_SCHOOL_DAYS;
		mask = CAL_DEFAULT_WEEKDAYS;
		if (value && cal_parse_weekdays(value, &mask, bad,
		    sizeof(bad)) != 0) {
			text_escape(value, strlen(value), shown, sizeof(shown));
			if (bad[0] == 0)
				return store_fail(db, RC_REFUSED, "invalid "
				    "school-days '%s': the list is empty "
				    "(expected days such as mon,tue,wed,thu,fri)",
				    shown);
			text_escape(bad, strlen(bad), word, sizeof(word));
			return store_fail(db, RC_REFUSED, "invalid school-days "
			    "'%s': '%s' is not a weekday (mon, tue, wed, thu, "
			    "fri, sat, sun)", shown, word);
		}
		c.value = mask;
	} else {
		c.key = strcmp(key, "term-start") == 0 ? CFG_TERM_START :
		    CFG_TERM_END;
		c.value = CFG_NO_DAY;
		if (value && clock_parse_day(value, &day) != 0) {
			text_escape(value, strlen(value), shown, sizeof(shown));
			return store_fail(db, RC_REFUSED, "invalid %s '%s': "
			    "expected YYYY-MM-DD", key, shown);
		}
		if (value)
			c.value = (uint32_t)day;
	}
	return store_write(db, calcfg_txn, &c);
}
