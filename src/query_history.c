/*
 * query_history.c - `history STUDENT` and the desk's `h` (SPEC 7): every
 * event about one student with who, where and how, from the history
 * read model (rm_history.c) and one log lookup per line; and the
 * one-line summaries people read there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "clock.h"
#include "policy.h"
#include "query.h"
#include "rm_history.h"
#include "rm_roster.h"

/* ---- summaries -------------------------------------------------------- */

static void
summary_updated(const struct rc_event *ev, char *buf, size_t cap)
{
	const char *part[4];
	size_t n = 0;

	if (ev->u.upd.fields & UPD_NAME)
		part[n++] = "name";
	if (ev->u.upd.fields & UPD_EMAIL)
		part[n++] = "email";
	if (ev->u.upd.fields & UPD_CODE)
		part[n++] = "code";
	if (ev->u.upd.fields & UPD_GENDER)
		part[n++] = "gender";
	if (n == 4)
		snprintf(buf, cap, "%s, %s, %s and %s changed", part[0],
		    part[1], part[2], part[3]);
	else if (n == 3)
		snprintf(buf, cap, "%s, %s and %s changed", part[0], part[1],
		    part[2]);
	else if (n == 2)
		snprintf(buf, cap, "%s and %s changed", part[0], part[1]);
	else if (n == 1)
		snprintf(buf, cap, "%s changed", part[0]);
	else
		snprintf(buf, cap, "details changed");
}

static void
summary_recorded(const struct rc_event *ev, char *buf, size_t cap)
{
	char day[16], at[12];
	int32_t p = ev->u.att.points;

	clock_format_day(ev->u.att.day, day);
	clock_format_time(ev->u.att.arrived, at);
	snprintf(buf, cap, "checked in, %s, %s%d (%s %s)",
	    policy_status_name(ev->u.att.status), p > 0 ? "+" : "", (int)p,
	    day, at);
}

void
history_summary(const struct rc_event *ev, char *buf, size_t cap)
{
	const char *name = event_type_name(ev->type);
	char day[16];
	size_t i;

	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		snprintf(buf, cap, "registered");
		return;
	case EV_STUDENT_UPDATED:
		summary_updated(ev, buf, cap);
		return;
	case EV_STUDENT_REMOVED:
		snprintf(buf, cap, "removed");
		return;
	case EV_STUDENT_ERASED:
		snprintf(buf, cap, "personal data erased");
		return;
	case EV_ATTENDANCE_RECORDED:
		summary_recorded(ev, buf, cap);
		return;
	case EV_ATTENDANCE_VOIDED:
		clock_format_day(ev->u.vd.day, day);
		if (ev->u.vd.reason.len > 0)
			snprintf(buf, cap, "check-in of %s voided: %.*s", day,
			    (int)ev->u.vd.reason.len, ev->u.vd.reason.s);
		else
			snprintf(buf, cap, "check-in of %s voided", day);
		return;
	}
	/* A type without its own words: its name, as words. */
	snprintf(buf, cap, "%s", name ? name : "unknown event");
	for (i = 0; buf[i]; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
}

/* ---- the query -------------------------------------------------------- */

static void
copy_label(char *dst, size_t cap, const struct rc_text *t)
{
	size_t n = t->len < cap - 1 ? t->len : cap - 1;

	if (n > 0)
		memcpy(dst, t->s, n);
	dst[n] = '\0';
}

/* One line of the history from the event at seq. */
static int
history_line(rc_db *db, MDB_txn *txn, uint64_t seq, struct rc_history *h)
{
	uint8_t key[8];
	MDB_val k = { 8, key }, v;
	struct rc_event ev;
	const char *why = NULL, *src;
	int rc;

	memset(h, 0, sizeof(*h));
	h->seq = seq;
	put_u64(key, seq);
	if ((rc = mdb_get(txn, db->dbi[DB_EVENTS], &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? store_fail(db, RC_ESYS, "history "
		    "names event %llu, which the log does not hold: run "
		    "verify", (unsigned long long)seq) :
		    store_lmdb_fail(db, rc, "cannot read the log");
	if (event_decode(v.mv_data, v.mv_size, &ev, &why) != 0) {
		/* The index only holds events that were applied. */
		event_decode_header(v.mv_data, v.mv_size, &ev, NULL);
		snprintf(h->summary, sizeof(h->summary), "cannot decode: %s",
		    why ? why : "damaged");
	} else {
		history_summary(&ev, h->summary, sizeof(h->summary));
	}
	h->recorded_at = ev.recorded_at;
	snprintf(h->type, sizeof(h->type), "%s",
	    event_type_name(ev.type) ? event_type_name(ev.type) : "unknown");
	copy_label(h->actor, sizeof(h->actor), &ev.meta.actor);
	copy_label(h->desk, sizeof(h->desk), &ev.meta.desk);
	src = event_source_name(ev.meta.source);
	snprintf(h->source, sizeof(h->source), "%s", src ? src : "");
	return RC_OK;
}

static int
history_of(rc_db *db, MDB_txn *txn, uint32_t sid, struct rc_history **rows,
    size_t *n)
{
	struct rc_history *r = NULL;
	uint64_t *seqs;
	size_t count, i;
	int rc;

	if ((rc = rm_history_seqs(db, txn, sid, &seqs, &count)) != RC_OK)
		return rc;
	if (count > 0 && (r = malloc(count * sizeof(*r))) == NULL)
		rc = store_fail(db, RC_ESYS, "out of memory");
	for (i = 0; i < count && rc == RC_OK; i++)
		rc = history_line(db, txn, seqs[i], &r[i]);
	free(seqs);
	if (rc != RC_OK) {
		free(r);
		return rc;
	}
	*rows = r;
	*n = count;
	return RC_OK;
}

int
query_history(rc_db *db, const char *student, struct rc_history **rows,
    size_t *n)
{
	struct roster_rec r;
	MDB_txn *txn;
	uint32_t sid;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = rm_roster_find(db, txn, student, &sid, &r)) == RC_OK)
		rc = history_of(db, txn, sid, rows, n);
	mdb_txn_abort(txn);
	return rc;
}
