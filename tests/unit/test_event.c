/*
 * test_event.c - the event record: round trips, the documented layout,
 * every rejection of the decoder, hashing, ids and JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "bytes.h"
#include "event.h"
#include "event_json.h"

#define T_SEQ 42
#define T_AT 1756713600000000LL		/* 2025-09-01T08:00:00Z */
#define T_DAY 20332			/* 2025-09-01 */

static const uint8_t id1[RC_ID_LEN] = {
	0x3f, 0x25, 0x04, 0xe0, 0x4f, 0x89, 0x41, 0xd3,
	0x9a, 0x0c, 0x03, 0x05, 0xe8, 0x2c, 0x33, 0x01
};
static const char id1_text[] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

/* ------------------------------------------------------------- helpers */

static struct rc_text
txt(const char *s)
{
	struct rc_text t = { s, strlen(s) };

	return t;
}

static void
assert_text(struct rc_text got, struct rc_text want)
{
	assert_int_equal(got.len, want.len);
	if (want.len > 0)
		assert_memory_equal(got.s, want.s, want.len);
}

/* A valid event of each type, with every field set to something. */
static void
sample(unsigned type, struct rc_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->seq = T_SEQ;
	ev->type = (uint8_t)type;
	ev->version = 1;
	ev->recorded_at = T_AT;
	memset(ev->prev, 0xa5, EVENT_HASH_LEN);
	memcpy(ev->id, id1, RC_ID_LEN);
	switch (type) {
	case EV_STUDENT_REGISTERED:
		ev->u.reg.name = txt("Zoë O'Brien");
		ev->u.reg.email = txt("zoe@example.org");
		ev->u.reg.gender = GENDER_FEMALE;
		ev->u.reg.day = T_DAY;
		break;
	case EV_STUDENT_UPDATED:
		ev->u.upd.fields = UPD_NAME | UPD_EMAIL | UPD_GENDER;
		ev->u.upd.name = txt("Zoe Smith");
		ev->u.upd.email = txt("zs@example.org");
		ev->u.upd.gender = GENDER_OTHER;
		break;
	case EV_ATTENDANCE_RECORDED:
		ev->u.att.day = T_DAY;
		ev->u.att.arrived = 9 * 3600 + 7 * 60 + 3;
		ev->u.att.policy.start = 9 * 3600;
		ev->u.att.policy.window = 5;
		ev->u.att.policy.points = 5;
		ev->u.att.status = ST_LATE;
		ev->u.att.points = -5;
		break;
	case EV_ATTENDANCE_VOIDED:
		ev->u.vd.day = T_DAY;
		ev->u.vd.reason = txt("wrong student");
		break;
	case EV_CONFIG_CHANGED:
		memset(ev->id, 0, RC_ID_LEN);
		ev->u.cfg.key = CFG_START_TIME;
		ev->u.cfg.value = 8 * 3600 + 30 * 60;
		break;
	case EV_DAY_CLOSED:
	case EV_DAY_REOPENED:
		memset(ev->id, 0, RC_ID_LEN);
		ev->u.cal.from = T_DAY;
		ev->u.cal.to = T_DAY + 4;
		if (type == EV_DAY_CLOSED)
			ev->u.cal.reason = txt("snow day");
		break;
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
		/* Mon, Tue, Thu and the next Mon (bits 0, 1, 3, 7). */
		ev->u.exc.from = T_DAY;
		ev->u.exc.to = T_DAY + 7;
		ev->u.exc.days[0] = 0x8b;
		if (type == EV_ABSENCE_EXCUSED) {
			ev->u.exc.reason = EXC_MEDICAL;
			ev->u.exc.note = txt("dentist");
		}
		break;
	case EV_DEPARTURE_RECORDED:
		ev->u.dep.day = T_DAY;
		ev->u.dep.left = 14 * 3600 + 30 * 60;
		ev->u.dep.reason = txt("dentist");
		break;
	}
}

static size_t
encode_ok(const struct rc_event *ev, uint8_t *buf)
{
	size_t len = 0;

	assert_int_equal(event_encode(ev, buf, EVENT_MAX_LEN, &len), 0);
	assert_true(len >= EVENT_HEADER_LEN && len <= EVENT_MAX_LEN);
	return len;
}

static void
decode_ok(const uint8_t *buf, size_t len, struct rc_event *ev)
{
	const char *why = NULL;

	if (event_decode(buf, len, ev, &why) != 0)
		fail_msg("decode failed: %s", why);
}

static void
encode_fails(const struct rc_event *ev)
{
	uint8_t buf[EVENT_MAX_LEN];
	size_t len = 0;

	assert_int_equal(event_encode(ev, buf, sizeof buf, &len), -1);
}

/*
 * Raw records written by hand from the documented layout, so that the
 * decoder is tested against the layout and not against the encoder.
 */
struct raw {
	uint8_t	b[4096];
	size_t	n;
};

static void
raw_u8(struct raw *r, unsigned v)
{
	r->b[r->n++] = (uint8_t)v;
}

static void
raw_u16(struct raw *r, unsigned v)
{
	put_u16(r->b + r->n, (uint16_t)v);
	r->n += 2;
}

static void
raw_u32(struct raw *r, uint32_t v)
{
	put_u32(r->b + r->n, v);
	r->n += 4;
}

static void
raw_bytes(struct raw *r, const void *p, size_t n)
{
	memcpy(r->b + r->n, p, n);
	r->n += n;
}

static void
raw_text(struct raw *r, const char *s, size_t n)
{
	raw_u16(r, (unsigned)n);
	raw_bytes(r, s, n);
}

static void
raw_header(struct raw *r, unsigned type, unsigned version)
{
	r->n = 0;
	raw_u8(r, EVENT_FORMAT);
	raw_u8(r, type);
	raw_u8(r, version);
	raw_u8(r, 0);
	put_u64(r->b + 4, T_SEQ);
	put_u64(r->b + 12, (uint64_t)T_AT);
	memset(r->b + 20, 0xa5, EVENT_HASH_LEN);
	r->n = EVENT_HEADER_LEN;
}

static void
raw_registered(struct raw *r, unsigned gender, uint32_t day,
    const char *name, size_t nlen, const char *email, size_t elen)
{
	raw_header(r, EV_STUDENT_REGISTERED, 1);
	raw_bytes(r, id1, RC_ID_LEN);
	raw_u8(r, gender);
	raw_u32(r, day);
	raw_text(r, name, nlen);
	raw_text(r, email, elen);
}

static void
raw_updated(struct raw *r, unsigned fields, const char *name,
    const char *email, unsigned gender)
{
	raw_header(r, EV_STUDENT_UPDATED, 1);
	raw_bytes(r, id1, RC_ID_LEN);
	raw_u8(r, fields);
	if (fields & UPD_NAME)
		raw_text(r, name, strlen(name));
	if (fields & UPD_EMAIL)
		raw_text(r, email, strlen(email));
	if (fields & UPD_GENDER)
		raw_u8(r, gender);
}

static void
raw_recorded(struct raw *r, uint32_t day, uint32_t arrived, uint32_t start,
    unsigned window, unsigned ppoints, unsigned status, uint32_t points)
{
	raw_header(r, EV_ATTENDANCE_RECORDED, 1);
	raw_bytes(r, id1, RC_ID_LEN);
	raw_u32(r, day);
	raw_u32(r, arrived);
	raw_u32(r, start);
	raw_u16(r, window);
	raw_u16(r, ppoints);
	raw_u8(r, status);
	raw_u32(r, points);
}

static void
raw_voided(struct raw *r, uint32_t day, const char *reason, size_t len)
{
	raw_header(r, EV_ATTENDANCE_VOIDED, 1);
	raw_bytes(r, id1, RC_ID_LEN);
	raw_u32(r, day);
	raw_text(r, reason, len);
}

static void
raw_config(struct raw *r, unsigned key, uint32_t value)
{
	raw_header(r, EV_CONFIG_CHANGED, 1);
	raw_u8(r, key);
	raw_u32(r, value);
}

static void
expect_reject(const struct raw *r, const char *reason)
{
	struct rc_event ev;
	const char *why = NULL;

	assert_int_equal(event_decode(r->b, r->n, &ev, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

/* Accepted, and written back byte for byte by the encoder. */
static void
expect_accept(const struct raw *r)
{
	struct rc_event ev;
	uint8_t again[EVENT_MAX_LEN];
	size_t len;

	decode_ok(r->b, r->n, &ev);
	len = encode_ok(&ev, again);
	assert_int_equal(len, r->n);
	assert_memory_equal(again, r->b, len);
}

static char *
dump(json_t *j)
{
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	assert_non_null(s);
	json_decref(j);
	return s;
}

static void
assert_json(json_t *j, const char *want)
{
	char *s = dump(j);

	assert_string_equal(s, want);
	free(s);
}

/* --------------------------------------------------------------- tests */

static void
test_type_table(void **state)
{
	(void)state;
	assert_string_equal(event_type_name(EV_STUDENT_REGISTERED),
	    "student_registered");
	assert_string_equal(event_type_name(EV_STUDENT_UPDATED),
	    "student_updated");
	assert_string_equal(event_type_name(EV_STUDENT_REMOVED),
	    "student_removed");
	assert_string_equal(event_type_name(EV_ATTENDANCE_RECORDED),
	    "attendance_recorded");
	assert_string_equal(event_type_name(EV_ATTENDANCE_VOIDED),
	    "attendance_voided");
	assert_string_equal(event_type_name(EV_CONFIG_CHANGED),
	    "config_changed");
	assert_null(event_type_name(0));
	assert_string_equal(event_type_name(EV_STUDENT_RESTORED),
	    "student_restored");
	assert_null(event_type_name(200));
	assert_null(event_type_name(255));
	/* Every type is written at the schema version of the release. */
	assert_int_equal(event_type_version(EV_STUDENT_REGISTERED),
	    EVENT_SCHEMA);
	assert_int_equal(event_type_version(EV_CONFIG_CHANGED), EVENT_SCHEMA);
	/* Version 4 carries student codes; types 14, 15 (SPEC 8). */
	assert_int_equal(EVENT_CODE_SINCE, 4);
	assert_string_equal(event_type_name(EV_ADMIN_PIN_SET),
	    "admin_pin_set");
	assert_string_equal(event_type_name(EV_ADMIN_PIN_CLEARED),
	    "admin_pin_cleared");
	assert_int_equal(EV_ADMIN_PIN_SET, 14);
	assert_int_equal(EV_ADMIN_PIN_CLEARED, 15);
	assert_int_equal(event_type_version(0), 0);
	assert_int_equal(event_type_version(200), 0);
	assert_string_equal(event_type_name(EV_DAY_CLOSED), "day_closed");
	assert_string_equal(event_type_name(EV_EXCUSE_WITHDRAWN),
	    "absence_excuse_withdrawn");
	assert_int_equal(EV_DAY_CLOSED, 8);
	assert_int_equal(EV_DEPARTURE_RECORDED, 12);
}

static void
assert_header_equal(const struct rc_event *got, const struct rc_event *want)
{
	assert_int_equal(got->seq, want->seq);
	assert_int_equal(got->type, want->type);
	assert_int_equal(got->version, want->version);
	assert_int_equal(got->recorded_at, want->recorded_at);
	assert_memory_equal(got->prev, want->prev, EVENT_HASH_LEN);
	assert_memory_equal(got->id, want->id, RC_ID_LEN);
}

static void
assert_payload_equal(const struct rc_event *got, const struct rc_event *want)
{
	switch (want->type) {
	case EV_STUDENT_REGISTERED:
		assert_text(got->u.reg.name, want->u.reg.name);
		assert_text(got->u.reg.email, want->u.reg.email);
		assert_int_equal(got->u.reg.gender, want->u.reg.gender);
		assert_int_equal(got->u.reg.day, want->u.reg.day);
		break;
	case EV_STUDENT_UPDATED:
		assert_int_equal(got->u.upd.fields, want->u.upd.fields);
		assert_text(got->u.upd.name, want->u.upd.name);
		assert_text(got->u.upd.email, want->u.upd.email);
		assert_int_equal(got->u.upd.gender, want->u.upd.gender);
		break;
	case EV_ATTENDANCE_RECORDED:
		assert_int_equal(got->u.att.day, want->u.att.day);
		assert_int_equal(got->u.att.arrived, want->u.att.arrived);
		assert_int_equal(got->u.att.policy.start,
		    want->u.att.policy.start);
		assert_int_equal(got->u.att.policy.window,
		    want->u.att.policy.window);
		assert_int_equal(got->u.att.policy.points,
		    want->u.att.policy.points);
		assert_int_equal(got->u.att.status, want->u.att.status);
		assert_int_equal(got->u.att.points, want->u.att.points);
		break;
	case EV_ATTENDANCE_VOIDED:
		assert_int_equal(got->u.vd.day, want->u.vd.day);
		assert_text(got->u.vd.reason, want->u.vd.reason);
		break;
	case EV_CONFIG_CHANGED:
		assert_int_equal(got->u.cfg.key, want->u.cfg.key);
		assert_int_equal(got->u.cfg.value, want->u.cfg.value);
		assert_text(got->u.cfg.text, want->u.cfg.text);
		break;
	case EV_DAY_CLOSED:
	case EV_DAY_REOPENED:
		assert_int_equal(got->u.cal.from, want->u.cal.from);
		assert_int_equal(got->u.cal.to, want->u.cal.to);
		assert_text(got->u.cal.reason, want->u.cal.reason);
		break;
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
		assert_int_equal(got->u.exc.reason, want->u.exc.reason);
		assert_int_equal(got->u.exc.from, want->u.exc.from);
		assert_int_equal(got->u.exc.to, want->u.exc.to);
		assert_memory_equal(got->u.exc.days, want->u.exc.days,
		    RC_DAYMAP_LEN);
		assert_text(got->u.exc.note, want->u.exc.note);
		break;
	case EV_DEPARTURE_RECORDED:
		assert_int_equal(got->u.dep.day, want->u.dep.day);
		assert_int_equal(got->u.dep.left, want->u.dep.left);
		assert_text(got->u.dep.reason, want->u.dep.reason);
		break;
	}
}

static void
round_trip(const struct rc_event *ev)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event got;
	size_t len = encode_ok(ev, buf);

	memset(&got, 0x5a, sizeof got);
	decode_ok(buf, len, &got);
	assert_header_equal(&got, ev);
	assert_payload_equal(&got, ev);
}

static void
test_round_trip(void **state)
{
	struct rc_event ev;
	unsigned type;

	(void)state;
	for (type = EV_STUDENT_REGISTERED; type <= EV_CONFIG_CHANGED; type++) {
		sample(type, &ev);
		round_trip(&ev);
	}
}

static void
test_round_trip_edges(void **state)
{
	char name[RC_NAME_MAX + 1], email[RC_EMAIL_MAX + 1];
	char reason[RC_REASON_MAX + 1];
	struct rc_event ev;
	unsigned fields;

	(void)state;
	/* Longest strings, extreme header values. */
	memset(name, 'n', RC_NAME_MAX);
	memset(email, 'e', RC_EMAIL_MAX);
	memset(reason, 'r', RC_REASON_MAX);
	sample(EV_STUDENT_REGISTERED, &ev);
	ev.seq = UINT64_MAX;
	ev.recorded_at = -1234567;	/* before the epoch */
	ev.u.reg.name = (struct rc_text){ name, RC_NAME_MAX };
	ev.u.reg.email = (struct rc_text){ email, RC_EMAIL_MAX };
	ev.u.reg.gender = GENDER_NONE;
	ev.u.reg.day = 2932896;
	round_trip(&ev);
	ev.u.reg.day = 0;
	round_trip(&ev);

	/* Every combination of updated fields; absent ones decode empty. */
	for (fields = 1; fields <= 7; fields++) {
		sample(EV_STUDENT_UPDATED, &ev);
		ev.u.upd.fields = (uint8_t)fields;
		if (!(fields & UPD_NAME))
			ev.u.upd.name = (struct rc_text){ NULL, 0 };
		if (!(fields & UPD_EMAIL))
			ev.u.upd.email = (struct rc_text){ NULL, 0 };
		if (!(fields & UPD_GENDER))
			ev.u.upd.gender = 0;
		round_trip(&ev);
	}

	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.points = -1000;
	ev.u.att.policy.points = 1000;
	ev.u.att.policy.window = 120;
	ev.u.att.arrived = 86399;
	round_trip(&ev);
	ev.u.att.points = 1000;
	round_trip(&ev);

	sample(EV_ATTENDANCE_VOIDED, &ev);
	ev.u.vd.reason = (struct rc_text){ NULL, 0 };
	round_trip(&ev);
	ev.u.vd.reason = (struct rc_text){ reason, RC_REASON_MAX };
	round_trip(&ev);
}

/* Config has no student: whatever is in ev->id, it decodes as zeros. */
static void
test_config_has_no_id(void **state)
{
	uint8_t buf[EVENT_MAX_LEN], zero[RC_ID_LEN] = { 0 };
	struct rc_event ev, got;
	size_t len;

	(void)state;
	sample(EV_CONFIG_CHANGED, &ev);
	memcpy(ev.id, id1, RC_ID_LEN);
	len = encode_ok(&ev, buf);
	assert_int_equal(len, EVENT_HEADER_LEN + 5);
	memset(&got, 0x5a, sizeof got);
	decode_ok(buf, len, &got);
	assert_memory_equal(got.id, zero, RC_ID_LEN);
}

/* The worked example in the comment above event_encode(). */
static void
test_documented_example(void **state)
{
	static const uint8_t want[57] = {
		0x01, 0x06, 0x01, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x06, 0x3d, 0xb8, 0xc2, 0x19, 0xa0, 0x00,
		[52] = 0x02, 0x00, 0x00, 0x00, 0x0a
	};
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev;
	size_t len;

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.seq = 1;
	ev.type = EV_CONFIG_CHANGED;
	ev.version = 1;
	ev.recorded_at = T_AT;
	ev.u.cfg.key = CFG_WINDOW;
	ev.u.cfg.value = 10;
	len = encode_ok(&ev, buf);
	assert_int_equal(len, sizeof want);
	assert_memory_equal(buf, want, sizeof want);
}

/* Offsets of the header and a check-in, as the layout table draws them. */
static void
test_layout_offsets(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev;
	size_t len;

	(void)state;
	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.recorded_at = -2;
	len = encode_ok(&ev, buf);
	assert_int_equal(len, EVENT_HEADER_LEN + 37);
	assert_int_equal(buf[0], EVENT_FORMAT);
	assert_int_equal(buf[1], EV_ATTENDANCE_RECORDED);
	assert_int_equal(buf[2], 1);
	assert_int_equal(buf[3], 0);
	assert_int_equal(get_u64(buf + 4), T_SEQ);
	assert_int_equal(get_u64(buf + 12), UINT64_MAX - 1);
	assert_memory_equal(buf + 20, ev.prev, EVENT_HASH_LEN);
	assert_memory_equal(buf + 52, id1, RC_ID_LEN);
	assert_int_equal(get_u32(buf + 68), T_DAY);
	assert_int_equal(get_u32(buf + 72), ev.u.att.arrived);
	assert_int_equal(get_u32(buf + 76), 9 * 3600);
	assert_int_equal(get_u16(buf + 80), 5);
	assert_int_equal(get_u16(buf + 82), 5);
	assert_int_equal(buf[84], ST_LATE);
	assert_int_equal(get_u32(buf + 85), 0xfffffffb);	/* -5 */
}

static void
test_encode_refuses(void **state)
{
	char name[RC_NAME_MAX + 2];
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev;
	size_t len, full, cap;

	(void)state;
	/* Too small a buffer, at every size short of the record. */
	sample(EV_STUDENT_REGISTERED, &ev);
	full = encode_ok(&ev, buf);
	for (cap = 0; cap < full; cap++)
		assert_int_equal(event_encode(&ev, buf, cap, &len), -1);
	assert_int_equal(event_encode(&ev, buf, full, &len), 0);
	assert_int_equal(len, full);

	/* Type and version: only the current layout of a known type. */
	sample(EV_STUDENT_REMOVED, &ev);
	ev.version = 0;
	encode_fails(&ev);
	ev.version = 2;
	encode_fails(&ev);
	ev.version = 1;
	ev.type = 200;
	encode_fails(&ev);

	/* Every field rule the decoder has. */
	memset(name, 'n', sizeof name);
	sample(EV_STUDENT_REGISTERED, &ev);
	ev.u.reg.name = (struct rc_text){ name, RC_NAME_MAX + 1 };
	encode_fails(&ev);
	ev.u.reg.name = (struct rc_text){ NULL, 0 };
	encode_fails(&ev);
	ev.u.reg.name = (struct rc_text){ NULL, 3 };
	encode_fails(&ev);
	ev.u.reg.name = txt("bad \xff");
	encode_fails(&ev);
	sample(EV_STUDENT_REGISTERED, &ev);
	ev.u.reg.email = txt("");
	encode_fails(&ev);
	sample(EV_STUDENT_REGISTERED, &ev);
	ev.u.reg.gender = 4;
	encode_fails(&ev);
	sample(EV_STUDENT_REGISTERED, &ev);
	ev.u.reg.day = -1;
	encode_fails(&ev);
	ev.u.reg.day = 2932897;
	encode_fails(&ev);

	sample(EV_STUDENT_UPDATED, &ev);
	ev.u.upd.fields = 0;
	encode_fails(&ev);
	ev.u.upd.fields = 8;
	encode_fails(&ev);
	sample(EV_STUDENT_UPDATED, &ev);
	ev.u.upd.fields = UPD_EMAIL;
	ev.u.upd.email = txt("");
	encode_fails(&ev);
	sample(EV_STUDENT_UPDATED, &ev);
	ev.u.upd.gender = 4;
	encode_fails(&ev);

	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.arrived = 86400;
	encode_fails(&ev);
	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.policy.start = 86400;
	encode_fails(&ev);
	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.policy.window = 0;
	encode_fails(&ev);
	ev.u.att.policy.window = 121;
	encode_fails(&ev);
	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.policy.points = 1001;
	encode_fails(&ev);
	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.status = 0;
	encode_fails(&ev);
	ev.u.att.status = 4;
	encode_fails(&ev);
	sample(EV_ATTENDANCE_RECORDED, &ev);
	ev.u.att.points = 1001;
	encode_fails(&ev);
	ev.u.att.points = -1001;
	encode_fails(&ev);

	sample(EV_ATTENDANCE_VOIDED, &ev);
	memset(name, 'r', sizeof name);
	ev.u.vd.reason = (struct rc_text){ name, 0 };
	assert_int_equal(event_encode(&ev, buf, sizeof buf, &len), 0);
	ev.u.vd.day = -5;
	encode_fails(&ev);

	sample(EV_CONFIG_CHANGED, &ev);
	ev.u.cfg.key = 4;
	encode_fails(&ev);
	ev.u.cfg.key = CFG_START_TIME;
	ev.u.cfg.value = 9 * 3600 + 1;
	encode_fails(&ev);
	ev.u.cfg.key = CFG_WINDOW;
	ev.u.cfg.value = 121;
	encode_fails(&ev);
	ev.u.cfg.key = CFG_POINTS;
	ev.u.cfg.value = 1001;
	encode_fails(&ev);
}

static void
test_reject_header(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev;
	struct raw r;
	const char *why;
	size_t n;

	(void)state;
	sample(EV_STUDENT_REMOVED, &ev);
	encode_ok(&ev, buf);
	for (n = 0; n < EVENT_HEADER_LEN; n++) {
		why = NULL;
		assert_int_equal(event_decode(buf, n, &ev, &why), -1);
		assert_string_equal(why, "record is shorter than its header");
		assert_int_equal(event_decode_header(buf, n, &ev, &why), -1);
	}

	raw_config(&r, CFG_WINDOW, 10);
	expect_accept(&r);
	r.b[0] = 2;
	expect_reject(&r, "unknown record format 2");
	r.b[0] = 0;
	expect_reject(&r, "unknown record format 0");
	r.b[0] = EVENT_FORMAT;
	r.b[3] = 1;
	expect_reject(&r, "reserved header byte is not zero");
	r.b[3] = 0;
	r.b[1] = 200;
	expect_reject(&r, "unknown event type 200");
	r.b[1] = 0;
	expect_reject(&r, "unknown event type 0");
	r.b[1] = EV_STUDENT_REGISTERED;
	r.b[2] = 9;
	expect_reject(&r,
	    "schema version 9 of student_registered is newer than this rollcall");
	r.b[2] = 0;
	expect_reject(&r, "schema version 0 of student_registered is invalid");
}

static void
test_reject_structure(void **state)
{
	uint8_t buf[EVENT_MAX_LEN + 1];
	struct rc_event ev, got;
	const char *why;
	unsigned type;
	size_t len, n;

	(void)state;
	for (type = EV_STUDENT_REGISTERED; type <= EV_CONFIG_CHANGED; type++) {
		sample(type, &ev);
		len = encode_ok(&ev, buf);
		/* Every cut inside the payload. */
		for (n = EVENT_HEADER_LEN; n < len; n++) {
			why = NULL;
			assert_int_equal(event_decode(buf, n, &got, &why), -1);
			assert_string_equal(why, "record is truncated");
		}
		/* One byte too many. */
		buf[len] = 0;
		why = NULL;
		assert_int_equal(event_decode(buf, len + 1, &got, &why), -1);
		assert_string_equal(why, "trailing bytes after the payload");
	}
}

static void
test_reject_registered(void **state)
{
	char big[RC_NAME_MAX + 1];
	struct raw r;

	(void)state;
	memset(big, 'x', sizeof big);
	raw_registered(&r, 3, 2932896, "A", 1, "a@b.c", 5);
	expect_accept(&r);
	raw_registered(&r, 4, T_DAY, "A", 1, "a@b.c", 5);
	expect_reject(&r, "gender out of range");
	raw_registered(&r, 0, 2932897, "A", 1, "a@b.c", 5);
	expect_reject(&r, "day out of range");
	raw_registered(&r, 0, 0xffffffff, "A", 1, "a@b.c", 5);
	expect_reject(&r, "day out of range");
	raw_registered(&r, 0, T_DAY, "", 0, "a@b.c", 5);
	expect_reject(&r, "name is empty");
	raw_registered(&r, 0, T_DAY, "A", 1, "", 0);
	expect_reject(&r, "email is empty");
	raw_registered(&r, 0, T_DAY, big, RC_NAME_MAX, "a@b.c", 5);
	expect_accept(&r);
	raw_registered(&r, 0, T_DAY, big, RC_NAME_MAX + 1, "a@b.c", 5);
	expect_reject(&r, "name is too long");
	raw_registered(&r, 0, T_DAY, "A", 1, big, RC_EMAIL_MAX);
	expect_accept(&r);
	raw_registered(&r, 0, T_DAY, "A", 1, big, RC_EMAIL_MAX + 1);
	expect_reject(&r, "email is too long");
	raw_registered(&r, 0, T_DAY, "A\xff", 2, "a@b.c", 5);
	expect_reject(&r, "name is not valid UTF-8");
	raw_registered(&r, 0, T_DAY, "\xc0\xaf", 2, "a@b.c", 5);
	expect_reject(&r, "name is not valid UTF-8");	/* overlong */
	raw_registered(&r, 0, T_DAY, "\xed\xa0\x80", 3, "a@b.c", 5);
	expect_reject(&r, "name is not valid UTF-8");	/* surrogate */
	raw_registered(&r, 0, T_DAY, "A", 1, "a@\xe2\x82", 4);
	expect_reject(&r, "email is not valid UTF-8");	/* cut short */
	raw_registered(&r, 0, T_DAY, "\xe2\x82\xac", 3, "a@b.c", 5);
	expect_accept(&r);
}

static void
test_reject_updated(void **state)
{
	struct raw r;

	(void)state;
	raw_updated(&r, UPD_GENDER, NULL, NULL, 0);
	expect_accept(&r);
	raw_updated(&r, 7, "B", "b@c.d", 2);
	expect_accept(&r);
	raw_updated(&r, 0, NULL, NULL, 0);
	expect_reject(&r, "update fields out of range");
	raw_updated(&r, 8, NULL, NULL, 0);
	expect_reject(&r, "update fields out of range");
	raw_updated(&r, 0xff, "B", "b@c.d", 2);
	expect_reject(&r, "update fields out of range");
	raw_updated(&r, UPD_NAME, "", NULL, 0);
	expect_reject(&r, "name is empty");
	raw_updated(&r, UPD_EMAIL, NULL, "", 0);
	expect_reject(&r, "email is empty");
	raw_updated(&r, UPD_EMAIL, NULL, "b@\x80", 0);
	expect_reject(&r, "email is not valid UTF-8");
	raw_updated(&r, UPD_GENDER, NULL, NULL, 4);
	expect_reject(&r, "gender out of range");
}

static void
test_reject_recorded(void **state)
{
	const uint32_t p = 9 * 3600;
	struct raw r;

	(void)state;
	raw_recorded(&r, T_DAY, 86399, 0, 1, 0, 1, (uint32_t)-1000);
	expect_accept(&r);
	raw_recorded(&r, 0, 0, 86399, 120, 1000, 3, 1000);
	expect_accept(&r);
	raw_recorded(&r, T_DAY, 86400, p, 5, 5, 1, 5);
	expect_reject(&r, "arrival time out of range");
	raw_recorded(&r, T_DAY, p, 86400, 5, 5, 1, 5);
	expect_reject(&r, "start time out of range");
	raw_recorded(&r, T_DAY, p, p, 0, 5, 1, 5);
	expect_reject(&r, "window out of range");
	raw_recorded(&r, T_DAY, p, p, 121, 5, 1, 5);
	expect_reject(&r, "window out of range");
	raw_recorded(&r, T_DAY, p, p, 5, 1001, 1, 5);
	expect_reject(&r, "policy points out of range");
	raw_recorded(&r, T_DAY, p, p, 5, 5, 0, 5);
	expect_reject(&r, "status out of range");
	raw_recorded(&r, T_DAY, p, p, 5, 5, 4, 5);
	expect_reject(&r, "status out of range");
	raw_recorded(&r, T_DAY, p, p, 5, 5, 1, 1001);
	expect_reject(&r, "points out of range");
	raw_recorded(&r, T_DAY, p, p, 5, 5, 1, (uint32_t)-1001);
	expect_reject(&r, "points out of range");
	raw_recorded(&r, T_DAY, p, p, 5, 5, 1, 0x80000000);
	expect_reject(&r, "points out of range");
	raw_recorded(&r, 2932897, p, p, 5, 5, 1, 5);
	expect_reject(&r, "day out of range");
	raw_recorded(&r, 0x80000000, p, p, 5, 5, 1, 5);
	expect_reject(&r, "day out of range");
}

static void
test_reject_voided_config(void **state)
{
	char big[RC_REASON_MAX + 1];
	struct raw r;

	(void)state;
	memset(big, 'y', sizeof big);
	raw_voided(&r, T_DAY, "", 0);
	expect_accept(&r);
	raw_voided(&r, T_DAY, big, RC_REASON_MAX);
	expect_accept(&r);
	raw_voided(&r, T_DAY, big, RC_REASON_MAX + 1);
	expect_reject(&r, "reason is too long");
	raw_voided(&r, T_DAY, "oops\xfe", 5);
	expect_reject(&r, "reason is not valid UTF-8");
	raw_voided(&r, 2932897, "", 0);
	expect_reject(&r, "day out of range");
	raw_voided(&r, 0xffffffff, "", 0);
	expect_reject(&r, "day out of range");

	raw_config(&r, CFG_START_TIME, 0);
	expect_accept(&r);
	raw_config(&r, CFG_START_TIME, 86340);
	expect_accept(&r);
	raw_config(&r, CFG_WINDOW, 1);
	expect_accept(&r);
	raw_config(&r, CFG_WINDOW, 120);
	expect_accept(&r);
	raw_config(&r, CFG_POINTS, 0);
	expect_accept(&r);
	raw_config(&r, CFG_POINTS, 1000);
	expect_accept(&r);
	raw_config(&r, 0, 10);
	expect_reject(&r, "unknown config key");
	raw_config(&r, 200, 10);
	expect_reject(&r, "unknown config key");
	raw_config(&r, CFG_START_TIME, 86400);
	expect_reject(&r, "start time out of range");
	raw_config(&r, CFG_START_TIME, 9 * 3600 + 30);
	expect_reject(&r, "start time out of range");
	raw_config(&r, CFG_WINDOW, 0);
	expect_reject(&r, "window out of range");
	raw_config(&r, CFG_WINDOW, 121);
	expect_reject(&r, "window out of range");
	raw_config(&r, CFG_POINTS, 1001);
	expect_reject(&r, "points out of range");
}

/*
 * Damage every byte of a valid record of each type, and cut and extend
 * it at every length: the decoder must refuse or return something the
 * encoder writes back identically, never crash (run under ASan).
 */
static void
check_mutant(const uint8_t *rec, size_t len)
{
	uint8_t *copy, again[EVENT_MAX_LEN];
	struct rc_event ev;
	const char *why = NULL;
	size_t n;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, rec, len);
	if (event_decode(copy, len, &ev, &why) == 0) {
		n = encode_ok(&ev, again);
		assert_int_equal(n, len);
		assert_memory_equal(again, copy, len);
	} else {
		assert_non_null(why);
		assert_true(strlen(why) > 0);
	}
	free(copy);
}

static void
test_damage_every_byte(void **state)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	uint8_t rec[EVENT_MAX_LEN + 16], mut[EVENT_MAX_LEN + 16];
	struct rc_event ev;
	unsigned type, bit;
	size_t len, i, v;

	(void)state;
	for (type = EV_STUDENT_REGISTERED; type <= EV_CONFIG_CHANGED; type++) {
		sample(type, &ev);
		len = encode_ok(&ev, rec);
		for (i = 0; i < len; i++) {
			memcpy(mut, rec, len);
			for (bit = 0; bit < 8; bit++) {
				mut[i] = rec[i] ^ (uint8_t)(1u << bit);
				check_mutant(mut, len);
			}
			for (v = 0; v < sizeof values; v++) {
				mut[i] = values[v];
				check_mutant(mut, len);
			}
		}
		for (i = 0; i <= len; i++)
			check_mutant(rec, i);
		memset(rec + len, 0x41, 16);
		for (i = len + 1; i <= len + 16; i++)
			check_mutant(rec, i);
	}
}

/* Random payloads behind valid headers, from a fixed seed. */
static void
test_random_payloads(void **state)
{
	uint8_t rec[EVENT_HEADER_LEN + 96];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct rc_event ev;
	size_t len, i;
	int round;

	(void)state;
	sample(EV_STUDENT_REMOVED, &ev);
	encode_ok(&ev, rec);
	for (round = 0; round < 50000; round++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		rec[1] = (uint8_t)(1 + x % 7);	/* mostly known types */
		len = EVENT_HEADER_LEN + (size_t)(x >> 8) % 96;
		for (i = EVENT_HEADER_LEN; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Small numbers, so lengths and ranges often fit. */
			rec[i] = (uint8_t)(x & 1 ? x >> 8 & 0x03 : x >> 8);
		}
		check_mutant(rec, len);
	}
}

/* What cannot be fully decoded still lists: its header decodes. */
static void
test_header_of_unreadable(void **state)
{
	static const uint8_t payload[] = { 0xde, 0xad, 0xbe, 0xef };
	struct rc_event ev;
	const char *why;
	struct raw r;
	uint8_t prev[EVENT_HASH_LEN];

	(void)state;
	memset(prev, 0xa5, sizeof prev);
	raw_header(&r, 200, 3);
	raw_bytes(&r, payload, sizeof payload);
	why = NULL;
	assert_int_equal(event_decode(r.b, r.n, &ev, &why), -1);
	assert_string_equal(why, "unknown event type 200");
	assert_int_equal(event_decode_header(r.b, r.n, &ev, &why), 0);
	assert_int_equal(ev.type, 200);
	assert_int_equal(ev.version, 3);
	assert_int_equal(ev.seq, T_SEQ);
	assert_int_equal(ev.recorded_at, T_AT);
	assert_memory_equal(ev.prev, prev, EVENT_HASH_LEN);
	assert_null(event_type_name(ev.type));

	/* A future version of a known type, with a payload we never saw. */
	raw_header(&r, EV_ATTENDANCE_VOIDED, 9);
	raw_bytes(&r, payload, sizeof payload);
	why = NULL;
	assert_int_equal(event_decode(r.b, r.n, &ev, &why), -1);
	assert_string_equal(why, "schema version 9 of attendance_voided is "
	    "newer than this rollcall");
	assert_int_equal(event_decode_header(r.b, r.n, &ev, &why), 0);
	assert_int_equal(ev.type, EV_ATTENDANCE_VOIDED);
	assert_int_equal(ev.version, 9);

	/* A bare header is a complete header. */
	raw_header(&r, 200, 1);
	assert_int_equal(event_decode_header(r.b, r.n, &ev, &why), 0);
	assert_int_equal(ev.type, 200);
	r.b[0] = 7;
	assert_int_equal(event_decode_header(r.b, r.n, &ev, &why), -1);
	assert_string_equal(why, "unknown record format 7");
}

static void
hex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned v;

	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void
test_hash(void **state)
{
	uint8_t want[EVENT_HASH_LEN], got[EVENT_HASH_LEN];
	uint8_t again[EVENT_HASH_LEN], buf[EVENT_MAX_LEN];
	struct rc_event ev;
	size_t len, i;

	(void)state;
	/* BLAKE2b-256 of "abc" (RFC 7693 parameters, 32-byte digest). */
	hex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
	    want, sizeof want);
	event_hash((const uint8_t *)"abc", 3, got);
	assert_memory_equal(got, want, EVENT_HASH_LEN);

	sample(EV_STUDENT_REGISTERED, &ev);
	len = encode_ok(&ev, buf);
	assert_int_equal(crypto_generichash(want, sizeof want, buf, len,
	    NULL, 0), 0);
	event_hash(buf, len, got);
	assert_memory_equal(got, want, EVENT_HASH_LEN);

	/* Any one changed byte, prev included, changes the hash. */
	for (i = 0; i < len; i++) {
		buf[i] ^= 0x01;
		event_hash(buf, len, again);
		assert_memory_not_equal(again, got, EVENT_HASH_LEN);
		buf[i] ^= 0x01;
	}
	event_hash(buf, len - 1, again);
	assert_memory_not_equal(again, got, EVENT_HASH_LEN);
}

static void
test_id_text(void **state)
{
	static const char *const bad[] = {
		"",
		"3f2504e0-4f89-41d3-9a0c-0305e82c330",		/* 35 */
		"3f2504e0-4f89-41d3-9a0c-0305e82c33011",	/* 37 */
		"3f2504e0-4f89-41d3-9a0c-0305e82c3301 ",
		" 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
		"3f2504e0-4f89-41d3-9a0c-0305e82c3301\n",
		"{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
		"3f2504e0-4f89-41d3-9a0c-0305e82c330g",
		"3f2504e0-4f89-41d3-9a0c-0305e82c33 1",
		"3f2504e0x4f89-41d3-9a0c-0305e82c3301",
		"3f2504e04f89-41d3-9a0c-0305e82c3301-",
		"3f2504e0-4f89-41d3-9a0c0305e82c3301",
		"3f2504e04f8941d39a0c0305e82c3301",
		"urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301",
		"zoe@example.org",
	};
	char text[RC_ID_TEXT];
	uint8_t id[RC_ID_LEN];
	size_t i;

	(void)state;
	event_id_text(id1, text);
	assert_string_equal(text, id1_text);
	memset(id, 0, sizeof id);
	assert_int_equal(event_id_parse(id1_text, id), 0);
	assert_memory_equal(id, id1, RC_ID_LEN);
	memset(id, 0, sizeof id);
	assert_int_equal(event_id_parse(
	    "3F2504E0-4F89-41D3-9A0C-0305E82C3301", id), 0);
	assert_memory_equal(id, id1, RC_ID_LEN);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(id, id1, RC_ID_LEN);
		if (event_id_parse(bad[i], id) != -1)
			fail_msg("accepted bad id \"%s\"", bad[i]);
	}
	assert_int_equal(event_id_parse(NULL, id), -1);
}

/* ---------------------------------------------------------------- JSON */

#define J_ID "\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\""
#define J_NOMETA ",\"actor\":null,\"desk\":null,\"source\":null,\"batch\":null"

static void
test_json_students(void **state)
{
	/* Strings are not NUL-terminated: only len bytes may show. */
	static const char buf[] = "Ada \"A\" Lovelace\\x@y.orgTRAILING";
	struct rc_event ev;

	(void)state;
	sample(EV_STUDENT_REGISTERED, &ev);
	assert_json(event_json_data(&ev), "{" J_ID ",\"name\":\"Zoë O'Brien\","
	    "\"email\":\"zoe@example.org\",\"gender\":\"female\"}");
	ev.u.reg.name = (struct rc_text){ buf, 17 };
	ev.u.reg.email = (struct rc_text){ buf + 17, 7 };
	ev.u.reg.gender = GENDER_NONE;
	assert_json(event_json_data(&ev), "{" J_ID ",\"name\":"
	    "\"Ada \\\"A\\\" Lovelace\\\\\",\"email\":\"x@y.org\","
	    "\"gender\":null}");
	ev.u.reg.gender = GENDER_MALE;
	assert_json(event_json_data(&ev), "{" J_ID ",\"name\":"
	    "\"Ada \\\"A\\\" Lovelace\\\\\",\"email\":\"x@y.org\","
	    "\"gender\":\"male\"}");

	sample(EV_STUDENT_UPDATED, &ev);
	assert_json(event_json_data(&ev), "{" J_ID ",\"name\":\"Zoe Smith\","
	    "\"email\":\"zs@example.org\",\"gender\":\"other\"}");
	ev.u.upd.fields = UPD_EMAIL;
	assert_json(event_json_data(&ev),
	    "{" J_ID ",\"email\":\"zs@example.org\"}");
	ev.u.upd.fields = UPD_NAME | UPD_GENDER;
	ev.u.upd.gender = GENDER_NONE;
	assert_json(event_json_data(&ev),
	    "{" J_ID ",\"name\":\"Zoe Smith\",\"gender\":null}");

	sample(EV_STUDENT_REMOVED, &ev);
	assert_json(event_json_data(&ev), "{" J_ID "}");
}

static void
test_json_attendance(void **state)
{
	struct rc_event ev;

	(void)state;
	sample(EV_ATTENDANCE_RECORDED, &ev);
	assert_json(event_json_data(&ev), "{" J_ID ",\"day\":\"2025-09-01\","
	    "\"arrived\":\"09:07:03\",\"status\":\"late\",\"points\":-5,"
	    "\"start_time\":\"09:00\",\"window_minutes\":5,"
	    "\"policy_points\":5}");
	ev.u.att.arrived = 8 * 3600 + 5;
	ev.u.att.policy.start = 8 * 3600 + 30 * 60;
	ev.u.att.policy.window = 10;
	ev.u.att.policy.points = 7;
	ev.u.att.status = ST_EARLY;
	ev.u.att.points = 7;
	assert_json(event_json_data(&ev), "{" J_ID ",\"day\":\"2025-09-01\","
	    "\"arrived\":\"08:00:05\",\"status\":\"early\",\"points\":7,"
	    "\"start_time\":\"08:30\",\"window_minutes\":10,"
	    "\"policy_points\":7}");
	ev.u.att.status = ST_ON_TIME;
	ev.u.att.points = 0;
	ev.u.att.day = 0;
	assert_json(event_json_data(&ev), "{" J_ID ",\"day\":\"1970-01-01\","
	    "\"arrived\":\"08:00:05\",\"status\":\"on_time\",\"points\":0,"
	    "\"start_time\":\"08:30\",\"window_minutes\":10,"
	    "\"policy_points\":7}");

	sample(EV_ATTENDANCE_VOIDED, &ev);
	assert_json(event_json_data(&ev), "{" J_ID ",\"day\":\"2025-09-01\","
	    "\"reason\":\"wrong student\"}");
	ev.u.vd.reason = (struct rc_text){ NULL, 0 };
	ev.u.vd.day = 2932896;
	assert_json(event_json_data(&ev), "{" J_ID ",\"day\":\"9999-12-31\","
	    "\"reason\":\"\"}");
}

static void
test_json_config(void **state)
{
	struct rc_event ev;

	(void)state;
	sample(EV_CONFIG_CHANGED, &ev);
	assert_json(event_json_data(&ev),
	    "{\"key\":\"start-time\",\"value\":\"08:30\"}");
	ev.u.cfg.key = CFG_WINDOW;
	ev.u.cfg.value = 15;
	assert_json(event_json_data(&ev),
	    "{\"key\":\"window-minutes\",\"value\":15}");
	ev.u.cfg.key = CFG_POINTS;
	ev.u.cfg.value = 0;
	assert_json(event_json_data(&ev), "{\"key\":\"points\",\"value\":0}");
}

/* The whole jsonl line, from bytes as `events --format jsonl` gets them. */
static void
test_json_line(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev, got;
	size_t len;

	(void)state;
	sample(EV_STUDENT_REMOVED, &ev);
	ev.recorded_at = T_AT + 123456;
	len = encode_ok(&ev, buf);
	decode_ok(buf, len, &got);
	assert_json(event_json(&got), "{\"seq\":42,"
	    "\"type\":\"student_removed\",\"version\":1,"
	    "\"recorded_at\":\"2025-09-01T08:00:00.123456Z\","
	    "\"data\":{" J_ID "}" J_NOMETA "}");

	sample(EV_CONFIG_CHANGED, &ev);
	ev.seq = 1;
	ev.u.cfg.key = CFG_WINDOW;
	ev.u.cfg.value = 10;
	assert_json(event_json(&ev), "{\"seq\":1,\"type\":\"config_changed\","
	    "\"version\":1,\"recorded_at\":\"2025-09-01T08:00:00.000000Z\","
	    "\"data\":{\"key\":\"window-minutes\",\"value\":10}"
	    J_NOMETA "}");
}

/* Text the decoder would refuse gives no JSON (and leaks nothing). */
static void
test_json_edges(void **state)
{
	struct rc_event ev;

	(void)state;
	sample(EV_STUDENT_REGISTERED, &ev);
	ev.u.reg.name = txt("bad \xff");
	assert_null(event_json_data(&ev));
	assert_null(event_json(&ev));

	/* A header-only event of an unknown type still makes a line. */
	memset(&ev, 0, sizeof ev);
	ev.seq = 7;
	ev.type = 200;
	ev.version = 2;
	ev.recorded_at = T_AT;
	assert_json(event_json(&ev), "{\"seq\":7,\"type\":null,"
	    "\"version\":2,\"recorded_at\":\"2025-09-01T08:00:00.000000Z\","
	    "\"data\":{}" J_NOMETA "}");
}

/* ------------------------------------------------------------ metadata */

static const uint8_t batch1[RC_ID_LEN] = {
	0x9f, 0xec, 0x53, 0xf9, 0xcf, 0x74, 0x4f, 0x9c,
	0x99, 0x63, 0xfb, 0x9f, 0xad, 0x1b, 0x95, 0xfc
};

/* sample() at version 2, with metadata (and a batch when asked). */
static void
sample_meta(unsigned type, struct rc_event *ev, int batch)
{
	sample(type, ev);
	ev->version = 2;
	ev->meta.source = batch ? SRC_IMPORT : SRC_TUI;
	ev->meta.actor = txt("Mrs Ödön");
	ev->meta.desk = txt("front-desk");
	ev->meta.has_batch = (uint8_t)(batch != 0);
	if (batch)
		memcpy(ev->meta.batch, batch1, RC_ID_LEN);
}

static void
assert_meta_equal(const struct rc_event *got, const struct rc_event *want)
{
	assert_int_equal(got->meta.source, want->meta.source);
	assert_text(got->meta.actor, want->meta.actor);
	assert_text(got->meta.desk, want->meta.desk);
	assert_int_equal(got->meta.has_batch, want->meta.has_batch);
	if (want->meta.has_batch)
		assert_memory_equal(got->meta.batch, want->meta.batch,
		    RC_ID_LEN);
}

/* Every type at version 2 reads back with its metadata and payload. */
static void
test_meta_round_trip(void **state)
{
	static const unsigned types[] = {
		EV_STUDENT_REGISTERED, EV_STUDENT_UPDATED, EV_STUDENT_REMOVED,
		EV_ATTENDANCE_RECORDED, EV_ATTENDANCE_VOIDED, EV_CONFIG_CHANGED
	};
	uint8_t buf[EVENT_MAX_LEN], old[EVENT_MAX_LEN];
	struct rc_event ev, got;
	size_t i, len, oldlen;
	int batch;

	(void)state;
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		for (batch = 0; batch < 2; batch++) {
			sample_meta(types[i], &ev, batch);
			len = encode_ok(&ev, buf);
			decode_ok(buf, len, &got);
			assert_int_equal(got.version, 2);
			assert_meta_equal(&got, &ev);
			assert_payload_equal(&got, &ev);
			/* The payload is version 1's, after the metadata. */
			sample(types[i], &ev);
			oldlen = encode_ok(&ev, old);
			assert_memory_equal(buf + len - (oldlen - 52),
			    old + 52, oldlen - 52);
		}
	/* A version 1 record has no metadata. */
	sample(EV_STUDENT_REMOVED, &ev);
	len = encode_ok(&ev, buf);
	decode_ok(buf, len, &got);
	assert_int_equal(got.meta.source, SRC_NONE);
	assert_int_equal(got.meta.actor.len, 0);
	assert_int_equal(got.meta.has_batch, 0);
}

/* The metadata block's bytes, as the layout above event_encode draws. */
static void
test_meta_layout(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev;
	size_t len, a = strlen("Mrs Ödön"), d = strlen("front-desk");

	(void)state;
	sample_meta(EV_STUDENT_REMOVED, &ev, 1);
	len = encode_ok(&ev, buf);
	assert_int_equal(len, 52 + 1 + 1 + a + 1 + d + 16 + 16);
	assert_int_equal(buf[2], 2);
	assert_int_equal(buf[52], 0x80 | SRC_IMPORT);
	assert_int_equal(buf[53], a - 1);
	assert_memory_equal(buf + 54, "Mrs Ödön", a);
	assert_int_equal(buf[54 + a], d - 1);
	assert_memory_equal(buf + 55 + a, "front-desk", d);
	assert_memory_equal(buf + 55 + a + d, batch1, RC_ID_LEN);
	assert_memory_equal(buf + 71 + a + d, id1, RC_ID_LEN);

	sample_meta(EV_STUDENT_REMOVED, &ev, 0);
	len = encode_ok(&ev, buf);
	assert_int_equal(len, 52 + 1 + 1 + a + 1 + d + 16);
	assert_int_equal(buf[52], SRC_TUI);
}

/* Bad metadata is refused by the encoder and by the decoder alike. */
static void
test_meta_rejects(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	char long_label[RC_LABEL_CHARS + 2];
	struct rc_event ev, got;
	const char *why;
	size_t len;

	(void)state;
	memset(long_label, 'x', sizeof long_label);
	sample_meta(EV_STUDENT_REMOVED, &ev, 0);
	ev.meta.actor = txt("");
	encode_fails(&ev);
	ev.meta.actor = (struct rc_text){ long_label, RC_LABEL_CHARS + 1 };
	encode_fails(&ev);
	ev.meta.actor = (struct rc_text){ long_label, RC_LABEL_CHARS };
	encode_ok(&ev, buf);
	ev.meta.actor = txt("tab\there");
	encode_fails(&ev);
	ev.meta.actor = txt("ok");
	ev.meta.desk = txt("bad \xff");
	encode_fails(&ev);
	ev.meta.desk = txt("desk");
	ev.meta.source = SRC_NONE;
	encode_fails(&ev);
	ev.meta.source = 5;
	encode_fails(&ev);
	ev.meta.source = SRC_KIOSK;
	/* A record that cannot be written cannot be read either. */
	len = encode_ok(&ev, buf);
	buf[52] = 5;
	why = NULL;
	assert_int_equal(event_decode(buf, len, &got, &why), -1);
	assert_string_equal(why, "source out of range");
	buf[52] = SRC_KIOSK;
	buf[54] = 0x07;		/* a control character in the actor */
	assert_int_equal(event_decode(buf, len, &got, &why), -1);
	assert_string_equal(why, "actor is not 1-64 printable characters");
	buf[54] = 'o';
	buf[53] = 200;		/* an actor longer than the record */
	assert_int_equal(event_decode(buf, len, &got, &why), -1);
	assert_string_equal(why, "record is truncated");
	buf[53] = 1;
	decode_ok(buf, len, &got);
	/* With the batch flag but no batch, the payload comes up short. */
	buf[52] = 0x80 | SRC_KIOSK;
	assert_int_equal(event_decode(buf, len, &got, &why), -1);
}

static void
test_meta_json(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev, got;
	size_t len;

	(void)state;
	sample_meta(EV_STUDENT_REMOVED, &ev, 1);
	ev.recorded_at = T_AT + 123456;
	len = encode_ok(&ev, buf);
	decode_ok(buf, len, &got);
	assert_json(event_json(&got), "{\"seq\":42,"
	    "\"type\":\"student_removed\",\"version\":2,"
	    "\"recorded_at\":\"2025-09-01T08:00:00.123456Z\","
	    "\"data\":{" J_ID "},\"actor\":\"Mrs Ödön\","
	    "\"desk\":\"front-desk\",\"source\":\"import\","
	    "\"batch\":\"9fec53f9-cf74-4f9c-9963-fb9fad1b95fc\"}");
	sample_meta(EV_STUDENT_REMOVED, &ev, 0);
	ev.recorded_at = T_AT;
	assert_json(event_json(&ev), "{\"seq\":42,"
	    "\"type\":\"student_removed\",\"version\":2,"
	    "\"recorded_at\":\"2025-09-01T08:00:00.000000Z\","
	    "\"data\":{" J_ID "},\"actor\":\"Mrs Ödön\","
	    "\"desk\":\"front-desk\",\"source\":\"tui\",\"batch\":null}");
	assert_string_equal(event_source_name(SRC_CLI), "cli");
	assert_string_equal(event_source_name(SRC_KIOSK), "kiosk");
	assert_null(event_source_name(SRC_NONE));
	assert_int_equal(event_source_parse("import"), SRC_IMPORT);
	assert_int_equal(event_source_parse("IMPORT"), SRC_NONE);
}

/* The calendar events: ranges, day maps and reason codes (version 2). */
static void
test_school_events(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev;
	unsigned type;

	(void)state;
	for (type = EV_DAY_CLOSED; type <= EV_DEPARTURE_RECORDED; type++) {
		sample_meta(type, &ev, 0);
		round_trip(&ev);
	}
	/* Version 1 knew no such types. */
	sample(EV_DAY_CLOSED, &ev);
	encode_fails(&ev);
	sample_meta(EV_ABSENCE_EXCUSED, &ev, 0);
	assert_true(event_names_day(&ev, T_DAY));
	assert_true(event_names_day(&ev, T_DAY + 3));
	assert_false(event_names_day(&ev, T_DAY + 2));
	assert_false(event_names_day(&ev, T_DAY + 8));
	assert_false(event_names_day(&ev, T_DAY - 1));
	/* A map must name its ends and nothing past them. */
	ev.u.exc.days[0] = 0x0b;
	encode_fails(&ev);
	ev.u.exc.days[0] = 0x8a;
	encode_fails(&ev);
	ev.u.exc.days[0] = 0x8b;
	ev.u.exc.days[1] = 0x01;
	encode_fails(&ev);
	ev.u.exc.days[1] = 0;
	ev.u.exc.reason = 7;
	encode_fails(&ev);
	ev.u.exc.reason = 0;
	encode_fails(&ev);
	/* A year at most. */
	sample_meta(EV_ABSENCE_EXCUSED, &ev, 0);
	ev.u.exc.to = T_DAY + RC_SPAN_MAX - 1;
	memset(ev.u.exc.days, 0, RC_DAYMAP_LEN);
	ev.u.exc.days[0] = 1;
	ev.u.exc.days[(RC_SPAN_MAX - 1) / 8] = 1u << ((RC_SPAN_MAX - 1) % 8);
	round_trip(&ev);
	ev.u.exc.to++;
	encode_fails(&ev);
	sample_meta(EV_EXCUSE_WITHDRAWN, &ev, 0);
	ev.u.exc.reason = EXC_ILLNESS;
	encode_fails(&ev);
	sample_meta(EV_DAY_CLOSED, &ev, 0);
	ev.u.cal.reason = txt("");
	encode_fails(&ev);
	sample_meta(EV_DEPARTURE_RECORDED, &ev, 0);
	ev.u.dep.left = 86400;
	encode_fails(&ev);
	sample_meta(EV_CONFIG_CHANGED, &ev, 0);
	ev.u.cfg.key = CFG_SCHOOL_DAYS;
	ev.u.cfg.value = 0;
	encode_fails(&ev);
	ev.u.cfg.value = 0x15;
	round_trip(&ev);
	assert_json(event_json_data(&ev),
	    "{\"key\":\"school-days\",\"value\":\"mon,wed,fri\"}");
	ev.u.cfg.key = CFG_TERM_END;
	ev.u.cfg.value = CFG_NO_DAY;
	round_trip(&ev);
	assert_json(event_json_data(&ev),
	    "{\"key\":\"term-end\",\"value\":null}");
	sample_meta(EV_ABSENCE_EXCUSED, &ev, 0);
	assert_json(event_json_data(&ev), "{\"id\":\"3f2504e0-4f89-41d3-"
	    "9a0c-0305e82c3301\",\"days\":[\"2025-09-01\",\"2025-09-02\","
	    "\"2025-09-04\",\"2025-09-08\"],\"reason\":\"medical\","
	    "\"note\":\"dentist\"}");
	(void)buf;
	assert_string_equal(event_excuse_name(EXC_SCHOOL_ACTIVITY),
	    "school_activity");
	assert_int_equal(event_excuse_code("religious"), EXC_RELIGIOUS);
	assert_int_equal(event_excuse_code("Illness"), 0);
}

/* ---------------------------------------------------- config text (v3) */

/* Before version 3 a config record has no text, and reads as before. */
static void
test_config_before_text(void **state)
{
	struct rc_event ev;
	struct raw r;
	const char *why = NULL;

	(void)state;
	raw_config(&r, CFG_WINDOW, 10);
	assert_int_equal(r.n, EVENT_HEADER_LEN + 5);
	decode_ok(r.b, r.n, &ev);
	assert_int_equal(ev.u.cfg.value, 10);
	assert_int_equal(ev.u.cfg.text.len, 0);
	/* a text's length after a version 1 payload is damage */
	raw_u16(&r, 0);
	assert_int_equal(event_decode(r.b, r.n, &ev, &why), -1);
	assert_string_equal(why, "trailing bytes after the payload");
	/* no text key before version 3 */
	raw_config(&r, CFG_BACKUP_DIR, 0);
	expect_reject(&r, "a text setting in a version without text");
	sample_meta(EV_CONFIG_CHANGED, &ev, 0);
	ev.u.cfg.key = CFG_BACKUP_DIR;
	ev.u.cfg.value = 0;
	ev.u.cfg.text = txt("/srv/b");
	encode_fails(&ev);
	/* a number key is the same at version 2 */
	ev.u.cfg.key = CFG_BACKUP_KEEP;
	ev.u.cfg.value = 14;
	ev.u.cfg.text = txt("");
	round_trip(&ev);
}

/* backup-dir carries a text, backup-keep a number in 1-1000. */
static void
test_config_text(void **state)
{
	char big[RC_CONFIG_TEXT_MAX + 1];
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev, got;
	size_t len, len2;

	(void)state;
	assert_int_equal(EVENT_CFG_TEXT_SINCE, 3);
	assert_int_equal(event_type_version(EV_CONFIG_CHANGED), EVENT_SCHEMA);
	memset(big, 'd', sizeof big);
	sample_meta(EV_CONFIG_CHANGED, &ev, 0);
	ev.version = 3;
	len = encode_ok(&ev, buf);
	ev.version = 2;
	len2 = encode_ok(&ev, buf);
	assert_int_equal(len, len2 + 2);	/* an empty text */
	ev.version = 3;
	ev.u.cfg.key = CFG_BACKUP_DIR;
	ev.u.cfg.value = 0;
	ev.u.cfg.text = txt("/srv/backups");
	round_trip(&ev);
	len = encode_ok(&ev, buf);
	memset(&got, 0, sizeof got);
	decode_ok(buf, len, &got);
	assert_int_equal(got.u.cfg.text.len, 12);
	assert_memory_equal(got.u.cfg.text.s, "/srv/backups", 12);
	assert_json(event_json_data(&ev),
	    "{\"key\":\"backup-dir\",\"value\":\"/srv/backups\"}");
	ev.u.cfg.text = txt("");
	round_trip(&ev);
	assert_json(event_json_data(&ev),
	    "{\"key\":\"backup-dir\",\"value\":null}");
	ev.u.cfg.text = (struct rc_text){ big, RC_CONFIG_TEXT_MAX };
	round_trip(&ev);
	ev.u.cfg.text = (struct rc_text){ big, RC_CONFIG_TEXT_MAX + 1 };
	encode_fails(&ev);
	ev.u.cfg.text = txt("/x\xff");
	encode_fails(&ev);
	ev.u.cfg.text = txt("/x");
	ev.u.cfg.value = 7;
	encode_fails(&ev);
	ev.u.cfg.key = CFG_WINDOW;
	ev.u.cfg.value = 10;
	encode_fails(&ev);	/* a number key with a text */
	ev.u.cfg.text = txt("");
	round_trip(&ev);
	ev.u.cfg.key = CFG_BACKUP_KEEP;
	ev.u.cfg.value = 1;
	round_trip(&ev);
	ev.u.cfg.value = 1000;
	round_trip(&ev);
	assert_json(event_json_data(&ev),
	    "{\"key\":\"backup-keep\",\"value\":1000}");
	ev.u.cfg.value = 0;
	encode_fails(&ev);
	ev.u.cfg.value = 1001;
	encode_fails(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_table),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_edges),
		cmocka_unit_test(test_config_has_no_id),
		cmocka_unit_test(test_documented_example),
		cmocka_unit_test(test_layout_offsets),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_reject_header),
		cmocka_unit_test(test_reject_structure),
		cmocka_unit_test(test_reject_registered),
		cmocka_unit_test(test_reject_updated),
		cmocka_unit_test(test_reject_recorded),
		cmocka_unit_test(test_reject_voided_config),
		cmocka_unit_test(test_damage_every_byte),
		cmocka_unit_test(test_random_payloads),
		cmocka_unit_test(test_header_of_unreadable),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_id_text),
		cmocka_unit_test(test_json_students),
		cmocka_unit_test(test_json_attendance),
		cmocka_unit_test(test_json_config),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_json_edges),
		cmocka_unit_test(test_school_events),
		cmocka_unit_test(test_meta_round_trip),
		cmocka_unit_test(test_meta_layout),
		cmocka_unit_test(test_meta_rejects),
		cmocka_unit_test(test_meta_json),
		cmocka_unit_test(test_config_before_text),
		cmocka_unit_test(test_config_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
