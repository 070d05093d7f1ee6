/*
 * event.c - encode and decode event records.
 *
 * The log is the only data rollcall never rewrites; everything else is
 * rebuilt from it.  So the record format below is the database schema,
 * and the decoder treats stored bytes as outside input.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>

#include "bytes.h"
#include "event.h"
#include "validate.h"

#define DAY_MAX 2932896		/* 9999-12-31 */
#define DAY_SECS 86400
#define WINDOW_MAX 120		/* minutes */
#define POINTS_MAX 1000		/* policy points, and |points| of a check-in */
#define META_BATCH 0x80		/* in the metadata's source byte */
#define KEEP_MAX 1000		/* backups kept */

/*
 * Reasons that name a number are formatted here.  One per thread, valid
 * until that thread's next encode or decode: callers report or copy a
 * reason at once.
 */
static _Thread_local char why_buf[96];

/* ---------------------------------------------------------------- types */

const char *
event_type_name(unsigned type)
{
	switch (type) {
#define X(sym, code, name, ver) case code: return name;
	EVENT_TYPES(X)
#undef X
	}
	return NULL;
}

/* The first version a type exists in, 0 if unknown. */
static unsigned
type_since(unsigned type)
{
	switch (type) {
#define X(sym, code, name, ver) case code: return ver;
	EVENT_TYPES(X)
#undef X
	}
	return 0;
}

unsigned
event_type_version(unsigned type)
{
	return type_since(type) != 0 ? EVENT_SCHEMA : 0;
}

const char *
event_source_name(unsigned source)
{
	switch (source) {
#define X(sym, code, name) case code: return name;
	EVENT_SOURCES(X)
#undef X
	}
	return NULL;
}

unsigned
event_source_parse(const char *s)
{
#define X(sym, code, name) if (s != NULL && strcmp(s, name) == 0) return code;
	EVENT_SOURCES(X)
#undef X
	return SRC_NONE;
}

const char *
event_excuse_name(unsigned code)
{
	switch (code) {
#define X(sym, c, name) case c: return name;
	EXCUSE_REASONS(X)
#undef X
	}
	return NULL;
}

unsigned
event_excuse_code(const char *name)
{
#define X(sym, c, n) if (strcmp(name, n) == 0) return c;
	EXCUSE_REASONS(X)
#undef X
	return 0;
}

int
event_names_day(const struct rc_event *ev, int32_t day)
{
	int32_t i = day - ev->u.exc.from;

	if (day < ev->u.exc.from || day > ev->u.exc.to || i >= RC_SPAN_MAX)
		return 0;
	return (ev->u.exc.days[i / 8] >> (i % 8)) & 1;
}

int
event_type_has_id(unsigned type)
{
	return type != EV_CONFIG_CHANGED && type != EV_DAY_CLOSED &&
	    type != EV_DAY_REOPENED && type != EV_ADMIN_PIN_SET &&
	    type != EV_ADMIN_PIN_CLEARED;
}

/* ---------------------------------------------------------- field rules */

/*
 * The rules of every field, shared by the encoder (which refuses to write
 * what the decoder would refuse to read) and the decoder.  Each returns
 * NULL when the value is fine, else the reason.
 */

static const char *
check_text(const struct rc_text *t, size_t max, int may_be_empty,
    const char *what)
{
	const char *fault = NULL;

	if (t->len == 0 && !may_be_empty)
		fault = "is empty";
	else if (t->len > max)
		fault = "is too long";
	else if (t->len > 0 && (t->s == NULL || !validate_utf8(t->s, t->len)))
		fault = "is not valid UTF-8";
	if (fault == NULL)
		return NULL;
	snprintf(why_buf, sizeof why_buf, "%s %s", what, fault);
	return why_buf;
}

static const char *
check_day(int32_t day)
{
	if (day < 0 || day > DAY_MAX)
		return "day out of range";
	return NULL;
}

/* ---- student codes (SPEC 8), from EVENT_CODE_SINCE ---- */

static const char *
check_code(const struct rc_text *t)
{
	if (t->len > 0 && validate_code_bytes(t->s, t->len) != 0)
		return "code is not 1-32 of A-Z a-z 0-9 - _ .";
	return NULL;
}

/* A registration needs an email or a code (before codes: an email). */
static const char *
check_reg_contact(const struct rc_event *ev)
{
	const char *why;

	if (ev->version < EVENT_CODE_SINCE)
		return check_text(&ev->u.reg.email, RC_EMAIL_MAX, 0, "email");
	if ((why = check_text(&ev->u.reg.email, RC_EMAIL_MAX, 1, "email")) ||
	    (why = check_code(&ev->u.reg.code)))
		return why;
	if (ev->u.reg.email.len == 0 && ev->u.reg.code.len == 0)
		return "registration has neither email nor code";
	return NULL;
}

/* ---- end of student codes ---- */

/* ---- sealed personal data (SPEC 7), from EVENT_SEALED_SINCE ---- */

int
event_is_sealed(const struct rc_event *ev)
{
	return (ev->type == EV_STUDENT_REGISTERED ||
	    ev->type == EV_STUDENT_UPDATED) &&
	    ev->version >= EVENT_SEALED_SINCE;
}

/* A blob has room for its nonce, its tag and at least one byte. */
static const char *
check_sealed(const struct rc_text *t)
{
	if (t->s == NULL || t->len <= RC_SEAL_NONCE + RC_SEAL_TAG ||
	    t->len > RC_SEALED_MAX)
		return "sealed personal data has a wrong length";
	return NULL;
}

/* ---- end of sealed personal data ---- */

/* A registration's personal fields (in clear, or once opened). */
static const char *
check_reg_personal(const struct rc_event *ev)
{
	const char *why;

	if ((why = check_text(&ev->u.reg.name, RC_NAME_MAX, 0, "name")) ||
	    (why = check_reg_contact(ev)))
		return why;
	if (ev->u.reg.gender > GENDER_OTHER)
		return "gender out of range";
	return NULL;
}

static const char *
check_registered(const struct rc_event *ev)
{
	const char *why;

	if (event_is_sealed(ev))
		why = check_sealed(&ev->sealed);
	else
		why = check_reg_personal(ev);
	return why ? why : check_day(ev->u.reg.day);
}

/* Which fields an update changes: in clear in every version. */
static const char *
check_upd_fields(const struct rc_event *ev)
{
	uint8_t fields = ev->u.upd.fields;
	int coded = ev->version >= EVENT_CODE_SINCE;

	if (fields == 0 || fields > (UPD_NAME | UPD_EMAIL | UPD_GENDER |
	    (coded ? UPD_CODE : 0)))
		return "update fields out of range";
	return NULL;
}

static const char *check_upd_personal(const struct rc_event *ev);

static const char *
check_updated(const struct rc_event *ev)
{
	const char *why;

	if ((why = check_upd_fields(ev)) != NULL)
		return why;
	if (event_is_sealed(ev))
		return check_sealed(&ev->sealed);
	return check_upd_personal(ev);
}

/* An update's personal fields (in clear, or once opened). */
static const char *
check_upd_personal(const struct rc_event *ev)
{
	uint8_t fields = ev->u.upd.fields;
	int coded = ev->version >= EVENT_CODE_SINCE;
	const char *why;

	if ((fields & UPD_NAME) &&
	    (why = check_text(&ev->u.upd.name, RC_NAME_MAX, 0, "name")))
		return why;
	/* With codes an empty email clears it. */
	if ((fields & UPD_EMAIL) && (why = check_text(&ev->u.upd.email,
	    RC_EMAIL_MAX, coded, "email")))
		return why;
	if ((fields & UPD_CODE) && (why = check_code(&ev->u.upd.code)))
		return why;
	if ((fields & UPD_GENDER) && ev->u.upd.gender > GENDER_OTHER)
		return "gender out of range";
	return NULL;
}

static const char *
check_recorded(const struct rc_event *ev)
{
	int32_t points = ev->u.att.points;

	if (ev->u.att.arrived >= DAY_SECS)
		return "arrival time out of range";
	if (ev->u.att.policy.start >= DAY_SECS)
		return "start time out of range";
	if (ev->u.att.policy.window < 1 ||
	    ev->u.att.policy.window > WINDOW_MAX)
		return "window out of range";
	if (ev->u.att.policy.points > POINTS_MAX)
		return "policy points out of range";
	if (ev->u.att.status < ST_EARLY || ev->u.att.status > ST_LATE)
		return "status out of range";
	if (points < -POINTS_MAX || points > POINTS_MAX)
		return "points out of range";
	return check_day(ev->u.att.day);
}

static const char *
check_voided(const struct rc_event *ev)
{
	const char *why;

	if ((why = check_text(&ev->u.vd.reason, RC_REASON_MAX, 1, "reason")))
		return why;
	return check_day(ev->u.vd.day);
}

int
config_key_is_text(unsigned key)
{
	return key == CFG_BACKUP_DIR || key == CFG_COLLATION;
}

/* A number key carries no text; a text key no number. */
static const char *
check_config_kind(const struct rc_event *ev)
{
	if (config_key_is_text(ev->u.cfg.key)) {
		if (ev->version < EVENT_CFG_TEXT_SINCE)
			return "a text setting in a version without text";
		if (ev->u.cfg.value != 0)
			return "a text setting carries a number";
		return check_text(&ev->u.cfg.text, RC_CONFIG_TEXT_MAX, 1,
		    "setting");
	}
	if (ev->u.cfg.text.len != 0)
		return "a number setting carries a text";
	return NULL;
}

static const char *
check_config(const struct rc_event *ev)
{
	uint32_t v = ev->u.cfg.value;
	const char *why;

	if ((why = check_config_kind(ev)) != NULL)
		return why;
	switch (ev->u.cfg.key) {
	case CFG_START_TIME:
		/* The CLI takes HH:MM, so a start time is whole minutes. */
		if (v >= DAY_SECS || v % 60 != 0)
			return "start time out of range";
		return NULL;
	case CFG_WINDOW:
		if (v < 1 || v > WINDOW_MAX)
			return "window out of range";
		return NULL;
	case CFG_POINTS:
		if (v > POINTS_MAX)
			return "points out of range";
		return NULL;
	case CFG_SCHOOL_DAYS:
		/* Bit 0 Monday ... bit 6 Sunday; at least one day. */
		if (v < 1 || v > 0x7f)
			return "school days out of range";
		return NULL;
	case CFG_TERM_START:
	case CFG_TERM_END:
		if (v != CFG_NO_DAY && v > DAY_MAX)
			return "term day out of range";
		return NULL;
	case CFG_BACKUP_DIR:
		return NULL;
	case CFG_COLLATION:
		/* A tag, checked against ICU when it was set. */
		if (ev->u.cfg.text.len == 0 || ev->u.cfg.text.len > 64)
			return "collation tag out of range";
		return NULL;
	case CFG_BACKUP_KEEP:
		if (v < 1 || v > KEEP_MAX)
			return "backups kept out of range";
		return NULL;
	case CFG_QUIET:
		return v > 1 ? "quiet is neither on nor off" : NULL;
	}
	return "unknown config key";
}

/* A range of days: in order and at most RC_SPAN_MAX long. */
static const char *
check_span(int32_t from, int32_t to)
{
	const char *why;

	if ((why = check_day(from)) || (why = check_day(to)))
		return why;
	if (to < from)
		return "range ends before it starts";
	if (to - from >= RC_SPAN_MAX)
		return "range is longer than a year";
	return NULL;
}

static const char *
check_closed(const struct rc_event *ev)
{
	const char *why;

	if (ev->type == EV_DAY_CLOSED &&
	    (why = check_text(&ev->u.cal.reason, RC_REASON_MAX, 0, "reason")))
		return why;
	return check_span(ev->u.cal.from, ev->u.cal.to);
}

/*
 * The day map names its first and last day (from and to are tight), and
 * no bit beyond them is set, so that one set of days has one encoding.
 */
static const char *
check_excuse(const struct rc_event *ev)
{
	int32_t span;
	size_t i, used;
	const char *why;

	if (ev->type == EV_ABSENCE_EXCUSED) {
		if (event_excuse_name(ev->u.exc.reason) == NULL)
			return "excuse reason out of range";
		if ((why = check_text(&ev->u.exc.note, RC_REASON_MAX, 1,
		    "note")))
			return why;
	} else if (ev->u.exc.reason != 0 || ev->u.exc.note.len != 0)
		return "a withdrawal carries a reason";
	if ((why = check_span(ev->u.exc.from, ev->u.exc.to)))
		return why;
	span = ev->u.exc.to - ev->u.exc.from;
	used = (size_t)span / 8 + 1;
	for (i = used; i < RC_DAYMAP_LEN; i++)
		if (ev->u.exc.days[i] != 0)
			return "day map names a day past its range";
	if ((ev->u.exc.days[span / 8] >> (span % 8)) >> 1 != 0)
		return "day map names a day past its range";
	if (!event_names_day(ev, ev->u.exc.from) ||
	    !event_names_day(ev, ev->u.exc.to))
		return "day map does not name its first and last day";
	return NULL;
}

static const char *
check_departure(const struct rc_event *ev)
{
	const char *why;

	if (ev->u.dep.left >= DAY_SECS)
		return "departure time out of range";
	if ((why = check_text(&ev->u.dep.reason, RC_REASON_MAX, 1, "reason")))
		return why;
	return check_day(ev->u.dep.day);
}

/*
 * Actor and desk: what validate_label() lets in (1-64 characters, no
 * control characters), so a record that decodes prints safely.
 */
static const char *
check_label(const struct rc_text *t, const char *what)
{
	static _Thread_local char buf[48];

	if (t->len == 0 || t->len > RC_LABEL_MAX || t->s == NULL ||
	    validate_label_bytes(t->s, t->len) != 0) {
		snprintf(buf, sizeof buf, "%s is not 1-64 printable "
		    "characters", what);
		return buf;
	}
	return NULL;
}

static const char *
check_meta(const struct rc_event *ev)
{
	const char *why;

	if (ev->version < EVENT_META_SINCE)
		return NULL;
	if (event_source_name(ev->meta.source) == NULL)
		return "source out of range";
	if ((why = check_label(&ev->meta.actor, "actor")) ||
	    (why = check_label(&ev->meta.desk, "desk")))
		return why;
	return NULL;
}

/* Only the hash crypto_pwhash_str writes: printable ASCII. */
static const char *
check_pin(const struct rc_event *ev)
{
	const struct rc_text *h = &ev->u.pin.hash;
	size_t i;

	if (h->len == 0 || h->len > RC_PIN_HASH_MAX || h->s == NULL)
		return "PIN hash length out of range";
	for (i = 0; i < h->len; i++)
		if (h->s[i] <= ' ' || h->s[i] > '~')
			return "PIN hash is not printable";
	return NULL;
}

/* Reason a known type's payload is out of range, or NULL. */
static const char *
check_payload(const struct rc_event *ev)
{
	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		return check_registered(ev);
	case EV_STUDENT_UPDATED:
		return check_updated(ev);
	case EV_STUDENT_REMOVED:
	case EV_STUDENT_RESTORED:	/* the id alone */
	case EV_STUDENT_ERASED:
		return NULL;
	case EV_ATTENDANCE_RECORDED:
		return check_recorded(ev);
	case EV_ATTENDANCE_VOIDED:
		return check_voided(ev);
	case EV_CONFIG_CHANGED:
		return check_config(ev);
	case EV_DAY_CLOSED:
	case EV_DAY_REOPENED:
		return check_closed(ev);
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
		return check_excuse(ev);
	case EV_DEPARTURE_RECORDED:
		return check_departure(ev);
	case EV_ADMIN_PIN_SET:
		return check_pin(ev);
	case EV_ADMIN_PIN_CLEARED:
		return NULL;
	}
	return "unknown event type";
}

/* ------------------------------------------------------------- encoding */

/* A bounded writer: the first write that does not fit marks it full. */
struct wr {
	uint8_t	*p;
	size_t	 cap;
	size_t	 off;
	int	 full;
};

static uint8_t *
wr_take(struct wr *w, size_t n)
{
	uint8_t *p;

	if (w->full || n > w->cap - w->off) {
		w->full = 1;
		return NULL;
	}
	p = w->p + w->off;
	w->off += n;
	return p;
}

static void
wr_u8(struct wr *w, uint8_t v)
{
	uint8_t *p = wr_take(w, 1);

	if (p != NULL)
		*p = v;
}

static void
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t *p = wr_take(w, 2);

	if (p != NULL)
		put_u16(p, v);
}

static void
wr_u32(struct wr *w, uint32_t v)
{
	uint8_t *p = wr_take(w, 4);

	if (p != NULL)
		put_u32(p, v);
}

static void
wr_u64(struct wr *w, uint64_t v)
{
	uint8_t *p = wr_take(w, 8);

	if (p != NULL)
		put_u64(p, v);
}

static void
wr_bytes(struct wr *w, const void *s, size_t n)
{
	uint8_t *p = wr_take(w, n);

	if (p != NULL && n > 0)
		memcpy(p, s, n);
}

/* Lengths were checked against the RC_*_MAX limits, all below 65536. */
static void
wr_text(struct wr *w, const struct rc_text *t)
{
	wr_u16(w, (uint16_t)t->len);
	wr_bytes(w, t->s, t->len);
}

static void
put_header(struct wr *w, const struct rc_event *ev)
{
	wr_u8(w, EVENT_FORMAT);
	wr_u8(w, ev->type);
	wr_u8(w, ev->version);
	wr_u8(w, 0);
	wr_u64(w, ev->seq);
	wr_u64(w, (uint64_t)ev->recorded_at);
	wr_bytes(w, ev->prev, EVENT_HASH_LEN);
}

/* A label's length is 1-256 bytes: stored as length - 1 in one byte. */
static void
wr_label(struct wr *w, const struct rc_text *t)
{
	wr_u8(w, (uint8_t)(t->len - 1));
	wr_bytes(w, t->s, t->len);
}

static void
put_meta(struct wr *w, const struct rc_event *ev)
{
	if (ev->version < EVENT_META_SINCE)
		return;
	wr_u8(w, (uint8_t)(ev->meta.source |
	    (ev->meta.has_batch ? META_BATCH : 0)));
	wr_label(w, &ev->meta.actor);
	wr_label(w, &ev->meta.desk);
	if (ev->meta.has_batch)
		wr_bytes(w, ev->meta.batch, RC_ID_LEN);
}

/* The map's bytes that hold days from..to: the rest are zero. */
static size_t
daymap_len(const struct rc_event *ev)
{
	return (size_t)(ev->u.exc.to - ev->u.exc.from) / 8 + 1;
}

/*
 * The personal fields after the clear ones: in clear before version 5,
 * and from then on the plaintext that is sealed (a registration's starts
 * with its gender, which earlier versions put before the day).
 */
static void
put_personal(struct wr *w, const struct rc_event *ev)
{
	if (ev->type == EV_STUDENT_REGISTERED) {
		wr_text(w, &ev->u.reg.name);
		wr_text(w, &ev->u.reg.email);
		if (ev->version >= EVENT_CODE_SINCE)
			wr_text(w, &ev->u.reg.code);
		return;
	}
	if (ev->u.upd.fields & UPD_NAME)
		wr_text(w, &ev->u.upd.name);
	if (ev->u.upd.fields & UPD_EMAIL)
		wr_text(w, &ev->u.upd.email);
	if (ev->u.upd.fields & UPD_GENDER)
		wr_u8(w, ev->u.upd.gender);
	if (ev->u.upd.fields & UPD_CODE)
		wr_text(w, &ev->u.upd.code);
}

static void
put_payload(struct wr *w, const struct rc_event *ev)
{
	if (event_type_has_id(ev->type))
		wr_bytes(w, ev->id, RC_ID_LEN);

	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		if (event_is_sealed(ev)) {
			wr_u32(w, (uint32_t)ev->u.reg.day);
			wr_text(w, &ev->sealed);
			break;
		}
		wr_u8(w, ev->u.reg.gender);
		wr_u32(w, (uint32_t)ev->u.reg.day);
		put_personal(w, ev);
		break;
	case EV_STUDENT_UPDATED:
		wr_u8(w, ev->u.upd.fields);
		if (event_is_sealed(ev))
			wr_text(w, &ev->sealed);
		else
			put_personal(w, ev);
		break;
	case EV_ATTENDANCE_RECORDED:
		wr_u32(w, (uint32_t)ev->u.att.day);
		wr_u32(w, ev->u.att.arrived);
		wr_u32(w, ev->u.att.policy.start);
		wr_u16(w, ev->u.att.policy.window);
		wr_u16(w, ev->u.att.policy.points);
		wr_u8(w, ev->u.att.status);
		wr_u32(w, (uint32_t)ev->u.att.points);
		break;
	case EV_ATTENDANCE_VOIDED:
		wr_u32(w, (uint32_t)ev->u.vd.day);
		wr_text(w, &ev->u.vd.reason);
		break;
	case EV_CONFIG_CHANGED:
		wr_u8(w, ev->u.cfg.key);
		wr_u32(w, ev->u.cfg.value);
		if (ev->version >= EVENT_CFG_TEXT_SINCE)
			wr_text(w, &ev->u.cfg.text);
		break;
	case EV_DAY_CLOSED:
	case EV_DAY_REOPENED:
		wr_u32(w, (uint32_t)ev->u.cal.from);
		wr_u32(w, (uint32_t)ev->u.cal.to);
		if (ev->type == EV_DAY_CLOSED)
			wr_text(w, &ev->u.cal.reason);
		break;
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
		if (ev->type == EV_ABSENCE_EXCUSED)
			wr_u8(w, ev->u.exc.reason);
		wr_u32(w, (uint32_t)ev->u.exc.from);
		wr_u32(w, (uint32_t)ev->u.exc.to);
		wr_bytes(w, ev->u.exc.days, daymap_len(ev));
		if (ev->type == EV_ABSENCE_EXCUSED)
			wr_text(w, &ev->u.exc.note);
		break;
	case EV_DEPARTURE_RECORDED:
		wr_u32(w, (uint32_t)ev->u.dep.day);
		wr_u32(w, ev->u.dep.left);
		wr_text(w, &ev->u.dep.reason);
		break;
	case EV_ADMIN_PIN_SET:
		wr_text(w, &ev->u.pin.hash);
		break;
	}
}

/*
 * THE EVENT RECORD
 *
 * One record per event, stored as the value under its sequence number in
 * the `events` sub-database.  A record is a fixed header and a payload
 * whose shape is set by the type and that type's schema version.  All
 * integers are big-endian; signed ones are two's complement in an
 * unsigned field of the same width.
 *
 *   off  size  field         meaning
 *   ---  ----  ------------  ---------------------------------------------
 *     0     1  format        record framing: EVENT_FORMAT (1)
 *     1     1  type          enum event_type, below
 *     2     1  version       schema version of the record, 1..EVENT_SCHEMA
 *     3     1  reserved      0
 *     4     8  seq           u64, equal to the LMDB key: 1, 2, 3, ...
 *    12     8  recorded_at   i64, microseconds since the epoch, UTC
 *    20    32  prev          BLAKE2b-256 of the whole previous record,
 *                            all zeros for seq 1
 *    52     .  metadata      version >= 2 only, below
 *     .     .  payload       by type, below; nothing may follow it
 *
 * Versions.  Release 1 wrote every record at version 1: header, then
 * payload.  From version 2 every record, whatever its type, carries
 * the metadata block between the two (who, where, how):
 *
 *     +0    1  source        1 cli, 2 tui, 3 kiosk, 4 import; bit 0x80
 *                            set when a batch follows
 *     +1    1  actor_len     byte length of actor, minus 1 (1-256)
 *     +2     .  actor        UTF-8, 1-64 characters, no control ones
 *      .    1  desk_len      byte length of desk, minus 1
 *      .    .  desk          as actor
 *      .   16  batch         binary UUID shared by the events of one
 *                            import; only with bit 0x80
 *
 * Actor and desk are stored in full in every record rather than
 * interned: a record must mean the same on its own, in a replica that
 * copies records verbatim and in a rebuild.  Payloads are the same at
 * versions 1 and 2; version 3 adds config_changed's text, version 4 the
 * student code (SPEC 8), version 5 seals personal data (SPEC 7).
 *
 * In payloads, offsets count from the payload's first byte and "." marks
 * one that depends on the lengths before it.  A text is a u16 byte length then that many
 * bytes of UTF-8, no NUL.  An id is a binary UUID.  A day is a local
 * calendar day counted from 1970-01-01 (0) to 9999-12-31 (2932896); a
 * time is local seconds since midnight, 0-86399.
 *
 *   type 1  student_registered, version 1
 *     +0   16  id            the new student
 *    +16    1  gender        0 not given, 1 female, 2 male, 3 other
 *    +17    4  day           day of registration
 *    +21    .  name          text, 1-400 bytes
 *      .    .  email         text, 1-254 bytes
 *   version 4 (student codes, SPEC 8): the same, then
 *      .    .  code          text, 0-32 bytes of A-Z a-z 0-9 - _ .
 *           and the email may be empty (0 bytes) when the code is not
 *
 *   type 2  student_updated, version 1: only the fields it changes
 *     +0   16  id
 *    +16    1  fields        UPD_NAME 1 | UPD_EMAIL 2 | UPD_GENDER 4, not 0
 *    +17    .  name          text, 1-400 bytes      only if UPD_NAME
 *      .    .  email         text, 1-254 bytes      only if UPD_EMAIL
 *      .    1  gender        0-3                    only if UPD_GENDER
 *   version 4: fields may also have UPD_CODE 8, and then
 *      .    .  code          text, 0-32 bytes       only if UPD_CODE
 *           an empty code or (version 4) email clears it
 *
 *   type 1  student_registered, version 5: the personal fields sealed
 *     +0   16  id
 *    +16    4  day           day of registration
 *    +20    .  sealed        text-framed blob, 41-1024 bytes:
 *                            nonce[24] | ciphertext | tag[16]
 *           the plaintext is version 4's gender, name, email and code,
 *           in that order (event_personal_encode)
 *
 *   type 2  student_updated, version 5
 *     +0   16  id
 *    +16    1  fields        as in version 4, in clear: which fields change
 *    +17    .  sealed        blob as above; the plaintext is version 4's
 *                            fields after +17, only those named
 *
 *           A blob is XChaCha20-Poly1305 (libsodium's IETF AEAD) under
 *           the student's own key, authenticating version | type |
 *           fields (0 for a registration) | id (seal.c): a blob moved to
 *           another student or record does not open.  The keys are not
 *           in the log (keys.c); without the key the fields are gone.
 *
 *   type 3  student_removed, version 1
 *     +0   16  id
 *
 *   type 4  attendance_recorded, version 1: a check-in, with the policy
 *           it was judged by, so that neither a later config change nor
 *           a rebuild can change its points
 *     +0   16  id
 *    +16    4  day           day of the check-in
 *    +20    4  arrived       time of arrival
 *    +24    4  start         class start time
 *    +28    2  window        minutes, 1-120
 *    +30    2  policy_points 0-1000
 *    +32    1  status        1 early, 2 on_time, 3 late
 *    +33    4  points        i32, -1000 to 1000
 *
 *   type 5  attendance_voided, version 1
 *     +0   16  id
 *    +16    4  day           day of the check-in it voids
 *    +20    .  reason        text, 0-500 bytes
 *
 *   type 6  config_changed, versions 1 and 2: no student, so no id
 *     +0    1  key           1 start-time, 2 window-minutes, 3 points,
 *                            4 school-days, 5 term-start, 6 term-end
 *     +1    4  value         start-time: a time in whole minutes;
 *                            window-minutes: 1-120; points: 0-1000;
 *                            school-days: weekday bits, 1 Monday ...
 *                            64 Sunday, 1-127; term-start, term-end:
 *                            a day, or ffffffff when unset
 *
 *   type 6  config_changed, version 3: a key's value is a number or a
 *           text, the other one stays 0 / empty
 *     +0    1  key           as above, and 8 backup-dir, 9 backup-keep
 *     +1    4  value         as above; backup-keep: 1-1000; text keys: 0
 *     +5    .  text          text, 0-1024 bytes; backup-dir: an absolute
 *                            directory, empty when unset; else empty
 *
 *   type 8  day_closed, since version 2: no student, so no id.  Closes
 *           every day of the range (at most 366), whatever its weekday
 *     +0    4  from          first day closed
 *     +4    4  to            last day closed, from <= to < from + 366
 *     +8    .  reason        text, 1-500 bytes
 *
 *   type 9  day_reopened, since version 2: the closed days of a range
 *     +0    4  from
 *     +4    4  to            as for day_closed
 *
 *   type 10 absence_excused, since version 2: the days it covers are
 *           named, so a later calendar change moves no excuse
 *     +0   16  id
 *    +16    1  reason        1 illness, 2 medical, 3 family, 4 religious,
 *                            5 school_activity, 6 other
 *    +17    4  from          first day named
 *    +21    4  to            last day named, from <= to < from + 366
 *    +25    n  days          day map: bit i (byte i / 8, bit i % 8 from
 *                            the least significant) names day from + i;
 *                            n = (to - from) / 8 + 1, bits 0 and to -
 *                            from set, none after to - from
 *      .    .  note          text, 0-500 bytes
 *
 *   type 11 absence_excuse_withdrawn, since version 2: days taken back
 *     +0   16  id
 *    +16    4  from
 *    +20    4  to
 *    +24    n  days          day map, as for absence_excused
 *
 *   type 12 departure_recorded, since version 2: an early departure
 *     +0   16  id
 *    +16    4  day           day of the check-in it ends
 *    +20    4  left          time of departure
 *    +24    .  reason        text, 0-500 bytes
 *
 *   type 7  student_restored, version 1: a removed student re-admitted
 *     +0   16  id            nothing else
 *
 *   type 14 admin_pin_set, from version 4: no student, so no id
 *     +0    .  hash          text, 1-127 bytes of printable ASCII: the
 *                            PIN's Argon2id string (crypto_pwhash_str);
 *                            no output ever shows it
 *
 *   type 15 admin_pin_cleared, from version 4: no id, empty payload
 *
 *   type 13 student_erased, from version 5: the student's key was
 *           destroyed with it, so their sealed fields can never be read
 *     +0   16  id            nothing else
 *
 * For example, the first event of a log, "window-minutes is 10" recorded
 * at 2025-09-01T08:00:00Z by release 1, is these 57 bytes
 * (tests/unit/test_event.c checks them):
 *
 *   01 06 01 00                  format 1, config_changed, v1, reserved
 *   00 00 00 00 00 00 00 01      seq 1
 *   00 06 3d b8 c2 19 a0 00      recorded_at 1756713600000000
 *   00 x 32                      prev: none before seq 1
 *   02 00 00 00 0a               window-minutes, 10
 *
 * The chain.  Each record's prev is the hash of the previous record's
 * bytes, its own prev included, so one hash commits to all history
 * before it: a changed, removed or reordered record breaks every link
 * after it.
 *
 * Changing the schema.  Records are never rewritten, so a change is a
 * new schema version: bump EVENT_SCHEMA, write every new record at it,
 * and keep decoding every older version (a payload that changes tests
 * ev->version where it is read).  A new type starts at the EVENT_SCHEMA
 * of its day (its EVENT_TYPES column) and carries the metadata like all
 * others.  Each version a release wrote has its database under
 * tests/fixtures/, tested by make check.  A reader that
 * meets a type it does not know or a version newer than its own says
 * so; it never guesses.  The reserved byte must be 0 so that it can
 * gain a meaning later; `format` changes only if the header does.
 *
 * event_encode() fails (-1) on any value the decoder would refuse, so
 * whatever it writes can be read back, and on a record that does not
 * fit cap.  The longest valid record, a config_changed with the longest
 * text and the longest actor and desk, is 1614 bytes (a sealed
 * registration with the longest name, email, code, actor and desk,
 * 1338): under EVENT_MAX_LEN.
 */
int
event_encode(const struct rc_event *ev, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct wr w = { buf, cap, 0, 0 };
	unsigned current = event_type_version(ev->type);

	/* Only layouts we can read back: a known type, a version we know. */
	if (current == 0 || ev->version < type_since(ev->type) ||
	    ev->version > current)
		return -1;
	if (check_meta(ev) != NULL || check_payload(ev) != NULL)
		return -1;
	put_header(&w, ev);
	put_meta(&w, ev);
	put_payload(&w, ev);
	if (w.full)
		return -1;
	*len = w.off;
	return 0;
}

/* ------------------------------------------------------------- decoding */

/* A bounded reader: the first read past the end marks it truncated. */
struct rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 truncated;
};

static const uint8_t *
rd_take(struct rd *r, size_t n)
{
	const uint8_t *p;

	if (r->truncated || n > r->len - r->off) {
		r->truncated = 1;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint8_t
rd_u8(struct rd *r)
{
	const uint8_t *p = rd_take(r, 1);

	return p != NULL ? p[0] : 0;
}

static uint16_t
rd_u16(struct rd *r)
{
	const uint8_t *p = rd_take(r, 2);

	return p != NULL ? get_u16(p) : 0;
}

static uint32_t
rd_u32(struct rd *r)
{
	const uint8_t *p = rd_take(r, 4);

	return p != NULL ? get_u32(p) : 0;
}

static void
rd_bytes(struct rd *r, void *out, size_t n)
{
	const uint8_t *p = rd_take(r, n);

	if (p != NULL)
		memcpy(out, p, n);
}

/* The text points into the record; it is checked later with the rest. */
static void
rd_text(struct rd *r, struct rc_text *t)
{
	size_t n = rd_u16(r);
	const uint8_t *p = rd_take(r, n);

	t->s = (const char *)p;
	t->len = p != NULL ? n : 0;
}

static void
rd_label(struct rd *r, struct rc_text *t)
{
	size_t n = (size_t)rd_u8(r) + 1;
	const uint8_t *p = rd_take(r, n);

	t->s = (const char *)p;
	t->len = p != NULL ? n : 0;
}

static void
get_meta(struct rd *r, struct rc_event *ev)
{
	uint8_t b;

	if (ev->version < EVENT_META_SINCE)
		return;
	b = rd_u8(r);
	ev->meta.source = b & (uint8_t)~META_BATCH;
	ev->meta.has_batch = (b & META_BATCH) != 0;
	rd_label(r, &ev->meta.actor);
	rd_label(r, &ev->meta.desk);
	if (ev->meta.has_batch)
		rd_bytes(r, ev->meta.batch, RC_ID_LEN);
}

/*
 * The day map's length follows from its range, read just before; a
 * range the checks will refuse reads no map.
 */
static void
rd_daymap(struct rd *r, struct rc_event *ev)
{
	if (ev->u.exc.to < ev->u.exc.from ||
	    (int64_t)ev->u.exc.to - ev->u.exc.from >= RC_SPAN_MAX)
		return;
	rd_bytes(r, ev->u.exc.days, daymap_len(ev));
}

/* The reverse of put_personal(). */
static void
get_personal(struct rd *r, struct rc_event *ev)
{
	if (ev->type == EV_STUDENT_REGISTERED) {
		rd_text(r, &ev->u.reg.name);
		rd_text(r, &ev->u.reg.email);
		if (ev->version >= EVENT_CODE_SINCE)
			rd_text(r, &ev->u.reg.code);
		return;
	}
	if (ev->u.upd.fields & UPD_NAME)
		rd_text(r, &ev->u.upd.name);
	if (ev->u.upd.fields & UPD_EMAIL)
		rd_text(r, &ev->u.upd.email);
	if (ev->u.upd.fields & UPD_GENDER)
		ev->u.upd.gender = rd_u8(r);
	/* In version 1 the check refuses the flag afterwards. */
	if ((ev->u.upd.fields & UPD_CODE) && ev->version >= EVENT_CODE_SINCE)
		rd_text(r, &ev->u.upd.code);
}

static void
get_payload(struct rd *r, struct rc_event *ev)
{
	if (event_type_has_id(ev->type))
		rd_bytes(r, ev->id, RC_ID_LEN);

	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		if (event_is_sealed(ev)) {
			ev->u.reg.day = (int32_t)rd_u32(r);
			rd_text(r, &ev->sealed);
			ev->seal = SEAL_CLOSED;
			break;
		}
		ev->u.reg.gender = rd_u8(r);
		ev->u.reg.day = (int32_t)rd_u32(r);
		get_personal(r, ev);
		break;
	case EV_STUDENT_UPDATED:
		ev->u.upd.fields = rd_u8(r);
		if (event_is_sealed(ev)) {
			rd_text(r, &ev->sealed);
			ev->seal = SEAL_CLOSED;
		} else
			get_personal(r, ev);
		break;
	case EV_ATTENDANCE_RECORDED:
		ev->u.att.day = (int32_t)rd_u32(r);
		ev->u.att.arrived = rd_u32(r);
		ev->u.att.policy.start = rd_u32(r);
		ev->u.att.policy.window = rd_u16(r);
		ev->u.att.policy.points = rd_u16(r);
		ev->u.att.status = rd_u8(r);
		ev->u.att.points = (int32_t)rd_u32(r);
		break;
	case EV_ATTENDANCE_VOIDED:
		ev->u.vd.day = (int32_t)rd_u32(r);
		rd_text(r, &ev->u.vd.reason);
		break;
	case EV_CONFIG_CHANGED:
		ev->u.cfg.key = rd_u8(r);
		ev->u.cfg.value = rd_u32(r);
		/* Before version 3: number keys only, and no text. */
		if (ev->version >= EVENT_CFG_TEXT_SINCE)
			rd_text(r, &ev->u.cfg.text);
		break;
	case EV_DAY_CLOSED:
	case EV_DAY_REOPENED:
		ev->u.cal.from = (int32_t)rd_u32(r);
		ev->u.cal.to = (int32_t)rd_u32(r);
		if (ev->type == EV_DAY_CLOSED)
			rd_text(r, &ev->u.cal.reason);
		break;
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
		if (ev->type == EV_ABSENCE_EXCUSED)
			ev->u.exc.reason = rd_u8(r);
		ev->u.exc.from = (int32_t)rd_u32(r);
		ev->u.exc.to = (int32_t)rd_u32(r);
		rd_daymap(r, ev);
		if (ev->type == EV_ABSENCE_EXCUSED)
			rd_text(r, &ev->u.exc.note);
		break;
	case EV_DEPARTURE_RECORDED:
		ev->u.dep.day = (int32_t)rd_u32(r);
		ev->u.dep.left = rd_u32(r);
		rd_text(r, &ev->u.dep.reason);
		break;
	case EV_ADMIN_PIN_SET:
		rd_text(r, &ev->u.pin.hash);
		break;
	}
}

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int
event_decode_header(const uint8_t *buf, size_t len, struct rc_event *ev,
    const char **why)
{
	memset(ev, 0, sizeof *ev);
	if (buf == NULL || len < EVENT_HEADER_LEN)
		return fail(why, "record is shorter than its header");
	if (buf[0] != EVENT_FORMAT) {
		snprintf(why_buf, sizeof why_buf, "unknown record format %u",
		    (unsigned)buf[0]);
		return fail(why, why_buf);
	}
	if (buf[3] != 0)
		return fail(why, "reserved header byte is not zero");
	ev->type = buf[1];
	ev->version = buf[2];
	ev->seq = get_u64(buf + 4);
	ev->recorded_at = (int64_t)get_u64(buf + 12);
	memcpy(ev->prev, buf + 20, EVENT_HASH_LEN);
	return 0;
}

/* Reason we cannot read this type at this version, or NULL. */
static const char *
check_version(const struct rc_event *ev)
{
	const char *name = event_type_name(ev->type);
	unsigned current = event_type_version(ev->type);

	if (name == NULL)
		snprintf(why_buf, sizeof why_buf, "unknown event type %u",
		    (unsigned)ev->type);
	else if (ev->version == 0 || ev->version < type_since(ev->type))
		snprintf(why_buf, sizeof why_buf,
		    "schema version %u of %s is invalid",
		    (unsigned)ev->version, name);
	else if (ev->version > current)
		snprintf(why_buf, sizeof why_buf,
		    "schema version %u of %s is newer than this rollcall",
		    (unsigned)ev->version, name);
	else
		return NULL;
	return why_buf;
}

int
event_decode(const uint8_t *buf, size_t len, struct rc_event *ev,
    const char **why)
{
	struct rd r = { buf, len, EVENT_HEADER_LEN, 0 };
	const char *reason;

	if (event_decode_header(buf, len, ev, why) != 0)
		return -1;
	if ((reason = check_version(ev)) != NULL)
		return fail(why, reason);
	get_meta(&r, ev);
	get_payload(&r, ev);
	if (r.truncated)
		return fail(why, "record is truncated");
	if (r.off != r.len)
		return fail(why, "trailing bytes after the payload");
	if ((reason = check_meta(ev)) != NULL ||
	    (reason = check_payload(ev)) != NULL)
		return fail(why, reason);
	return 0;
}

/* ------------------------------------------------- sealed personal data */

/*
 * The plaintext a version-5 record seals: a registration's gender byte,
 * then what put_personal() writes; an update's put_personal() alone.
 * Checked by the rules of clear records of the same version.
 */
static const char *
check_personal(const struct rc_event *ev)
{
	const char *why;

	if (ev->type == EV_STUDENT_REGISTERED)
		return check_reg_personal(ev);
	if ((why = check_upd_fields(ev)) != NULL)
		return why;
	return check_upd_personal(ev);
}

int
event_personal_encode(const struct rc_event *ev, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct wr w = { buf, cap, 0, 0 };

	if (!event_is_sealed(ev) || check_personal(ev) != NULL)
		return -1;
	if (ev->type == EV_STUDENT_REGISTERED)
		wr_u8(&w, ev->u.reg.gender);
	put_personal(&w, ev);
	if (w.full)
		return -1;
	*len = w.off;
	return 0;
}

int
event_personal_decode(struct rc_event *ev, const uint8_t *buf, size_t len,
    const char **why)
{
	struct rd r = { buf, len, 0, 0 };
	const char *reason;

	if (!event_is_sealed(ev))
		return fail(why, "no sealed personal data in this record");
	if (ev->type == EV_STUDENT_REGISTERED)
		ev->u.reg.gender = rd_u8(&r);
	get_personal(&r, ev);
	if (r.truncated)
		return fail(why, "sealed personal data is truncated");
	if (r.off != r.len)
		return fail(why, "trailing bytes after the personal data");
	if ((reason = check_personal(ev)) != NULL)
		return fail(why, reason);
	return 0;
}

/* ----------------------------------------------------------- hash, ids */

/*
 * Needs no sodium_init(): that only picks a faster BLAKE2b, which gives
 * the same hash.
 */
void
event_hash(const uint8_t *rec, size_t len, uint8_t out[EVENT_HASH_LEN])
{
	crypto_generichash(out, EVENT_HASH_LEN, rec, len, NULL, 0);
}

void
event_id_text(const uint8_t id[RC_ID_LEN], char out[RC_ID_TEXT])
{
	uuid_unparse_lower(id, out);
}

int
event_id_parse(const char *text, uint8_t id[RC_ID_LEN])
{
	uuid_t uu;

	/* Exactly the 36-character form: no braces, spaces or prefixes. */
	if (text == NULL || strnlen(text, RC_ID_TEXT) != RC_ID_TEXT - 1)
		return -1;
	if (uuid_parse(text, uu) != 0)
		return -1;
	memcpy(id, uu, RC_ID_LEN);
	return 0;
}
