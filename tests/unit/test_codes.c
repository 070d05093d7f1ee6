/*
 * test_codes.c - student codes and the admin PIN (SPEC 8): the code
 * rules, the event and roster layouts that carry a code, the codes
 * index through the commands, and the PIN store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "command.h"
#include "db.h"
#include "event.h"
#include "pin.h"
#include "query.h"
#include "record.h"
#include "validate.h"

static char dir[256];

static int
setup(void **state)
{
	char err[512];
	rc_db *db;

	setenv("TZ", "UTC", 1);
	tzset();
	setenv("ROLLCALL_NOW", "2025-09-01T08:30:00", 1);
	snprintf(dir, sizeof(dir), "/tmp/rollcall-unit.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(db_open(dir, &db, err, sizeof(err)), RC_OK);
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	db_close(*state);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* ---- pure ------------------------------------------------------------- */

static void
code_rules(void **state)
{
	char out[64];
	const char *why;
	char key[RC_CODE_MAX + 1];

	(void)state;
	assert_int_equal(validate_code("S-01_a.Z9", out, sizeof(out), &why), 0);
	assert_string_equal(out, "S-01_a.Z9");
	assert_int_equal(validate_code("12345678901234567890123456789012",
	    out, sizeof(out), &why), 0);
	assert_int_equal(validate_code("123456789012345678901234567890123",
	    out, sizeof(out), &why), -1);
	assert_int_equal(validate_code("A 1", out, sizeof(out), &why), -1);
	assert_non_null(strstr(why, "space"));
	assert_int_equal(validate_code(" A1", out, sizeof(out), &why), -1);
	assert_int_equal(validate_code("A1\t", out, sizeof(out), &why), -1);
	assert_int_equal(validate_code("", out, sizeof(out), &why), -1);
	assert_int_equal(validate_code("a@b", out, sizeof(out), &why), -1);
	assert_int_equal(validate_code("\xc3\xa9", out, sizeof(out), &why),
	    -1);
	assert_int_equal(validate_code_bytes("AB", 2), 0);
	assert_int_equal(validate_code_bytes("A/", 2), -1);
	assert_int_equal(validate_code_bytes("", 0), -1);
	validate_code_key("Ab-C.9", 6, key);
	assert_string_equal(key, "ab-c.9");
}

static void
pin_rules(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(pin_validate("1234", &why), 0);
	assert_int_equal(pin_validate("123", &why), -1);
	assert_int_equal(pin_validate("", &why), -1);
	assert_int_equal(pin_validate("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    &why), 0);	/* four characters, eight bytes */
	assert_int_equal(pin_validate(
	    "1234567890123456789012345678901234567890123456789012345678901234",
	    &why), 0);
	assert_int_equal(pin_validate(
	    "12345678901234567890123456789012345678901234567890123456789012345",
	    &why), -1);
	assert_int_equal(pin_validate("12\n34", &why), -1);
	assert_int_equal(pin_validate("12\xff" "34", &why), -1);
}

/* Encode then decode ev; returns the decoded copy (pointing into buf). */
static struct rc_event
roundtrip(const struct rc_event *ev, uint8_t *buf, size_t cap)
{
	struct rc_event back;
	const char *why = NULL;
	size_t len;

	assert_int_equal(event_encode(ev, buf, cap, &len), 0);
	assert_int_equal(event_decode(buf, len, &back, &why), 0);
	return back;
}

/* The metadata every record of version 2 on carries (SPEC 7). */
static void
meta(struct rc_event *ev)
{
	ev->meta.source = SRC_KIOSK;
	ev->meta.actor = (struct rc_text){ "clerk", 5 };
	ev->meta.desk = (struct rc_text){ "door", 4 };
}

#define META_LEN (1 + 1 + 5 + 1 + 4)

static void
event_layouts(void **state)
{
	uint8_t buf[EVENT_MAX_LEN];
	struct rc_event ev, back;
	size_t len;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	meta(&ev);
	ev.type = EV_STUDENT_REGISTERED;
	ev.version = EVENT_CODE_SINCE;
	ev.seq = 1;
	ev.u.reg.name = (struct rc_text){ "Ada", 3 };
	ev.u.reg.code = (struct rc_text){ "S-1", 3 };
	back = roundtrip(&ev, buf, sizeof(buf));
	assert_int_equal(back.u.reg.email.len, 0);
	assert_int_equal(back.u.reg.code.len, 3);
	assert_memory_equal(back.u.reg.code.s, "S-1", 3);
	/* neither email nor code: never written */
	ev.u.reg.code.len = 0;
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), -1);
	/* a bad code: never written */
	ev.u.reg.code = (struct rc_text){ "S 1", 3 };
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), -1);
	/* versions before codes still decode: an email and no code */
	ev.version = EVENT_CODE_SINCE - 1;
	ev.u.reg.email = (struct rc_text){ "a@b.org", 7 };
	ev.u.reg.code.len = 0;
	back = roundtrip(&ev, buf, sizeof(buf));
	assert_int_equal(back.version, EVENT_CODE_SINCE - 1);
	assert_int_equal(back.u.reg.code.len, 0);
	/* an update that clears the email and sets a code */
	memset(&ev, 0, sizeof(ev));
	meta(&ev);
	ev.type = EV_STUDENT_UPDATED;
	ev.version = EVENT_CODE_SINCE;
	ev.seq = 2;
	ev.u.upd.fields = UPD_EMAIL | UPD_CODE;
	ev.u.upd.email = (struct rc_text){ "", 0 };
	ev.u.upd.code = (struct rc_text){ "X9", 2 };
	back = roundtrip(&ev, buf, sizeof(buf));
	assert_int_equal(back.u.upd.fields, UPD_EMAIL | UPD_CODE);
	assert_int_equal(back.u.upd.email.len, 0);
	assert_memory_equal(back.u.upd.code.s, "X9", 2);
	/* before codes there is no UPD_CODE */
	ev.version = EVENT_CODE_SINCE - 1;
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), -1);
	/* the PIN events carry no student */
	memset(&ev, 0, sizeof(ev));
	meta(&ev);
	ev.type = EV_ADMIN_PIN_SET;
	ev.version = EVENT_SCHEMA;
	ev.seq = 3;
	ev.u.pin.hash = (struct rc_text){ "$argon2id$v=19$x", 16 };
	back = roundtrip(&ev, buf, sizeof(buf));
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, EVENT_HEADER_LEN + META_LEN + 2 + 16);
	assert_memory_equal(back.u.pin.hash.s, "$argon2id$v=19$x", 16);
	ev.u.pin.hash = (struct rc_text){ "has space", 9 };
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), -1);
	ev.type = EV_ADMIN_PIN_CLEARED;
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, EVENT_HEADER_LEN + META_LEN);
	/* the PIN types do not exist before codes */
	ev.version = EVENT_CODE_SINCE - 1;
	assert_int_equal(event_encode(&ev, buf, sizeof(buf), &len), -1);
}

/*
 * Records of schema versions 3 and 4 as bytes, the way they are written
 * (event.h lists the versions): a number may never mean two layouts, so
 * a later change to any payload must take version 5 and leave these
 * readable as they are.
 */
#define HDR(ver, type, seq) 0x01, (type), (ver), 0x00, \
	0, 0, 0, 0, 0, 0, 0, (seq), \
	0x00, 0x06, 0x3d, 0xb8, 0xc2, 0x19, 0xa0, 0x00, \
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
	SRC_CLI, 0x00, 'a', 0x00, 'd'
#define ID16 1, 2, 3, 4, 5, 6, 0x47, 8, 0x89, 10, 11, 12, 13, 14, 15, 16

static void
schema_frozen(void **state)
{
	static const uint8_t cfg3[] = {	/* v3: window-minutes is 10 */
		HDR(3, EV_CONFIG_CHANGED, 1), CFG_WINDOW, 0, 0, 0, 10,
		0x00, 0x00
	};
	static const uint8_t dir3[] = {	/* v3: backup-dir is /b */
		HDR(3, EV_CONFIG_CHANGED, 2), CFG_BACKUP_DIR, 0, 0, 0, 0,
		0x00, 0x02, '/', 'b'
	};
	static const uint8_t reg3[] = {	/* v3: Ada, an email, no code */
		HDR(3, EV_STUDENT_REGISTERED, 3), ID16,
		GENDER_FEMALE, 0x00, 0x00, 0x4f, 0x1a,
		0x00, 0x03, 'A', 'd', 'a', 0x00, 0x05, 'a', '@', 'b', '.', 'c'
	};
	static const uint8_t reg4[] = {	/* v4: Ada, code S1, no email */
		HDR(4, EV_STUDENT_REGISTERED, 4), ID16,
		GENDER_FEMALE, 0x00, 0x00, 0x4f, 0x1a,
		0x00, 0x03, 'A', 'd', 'a', 0x00, 0x00, 0x00, 0x02, 'S', '1'
	};
	static const uint8_t upd4[] = {	/* v4: code becomes X9 */
		HDR(4, EV_STUDENT_UPDATED, 5), ID16,
		UPD_CODE, 0x00, 0x02, 'X', '9'
	};
	static const uint8_t cfg4[] = {	/* v4: window-minutes is 10 */
		HDR(4, EV_CONFIG_CHANGED, 6), CFG_WINDOW, 0, 0, 0, 10,
		0x00, 0x00
	};
	static const uint8_t pin4[] = {	/* v4: admin_pin_set */
		HDR(4, EV_ADMIN_PIN_SET, 7), 0x00, 0x03, '$', 'a', '$'
	};
	struct rc_event ev;
	const char *why = NULL;

	(void)state;
	assert_int_equal(event_decode(cfg3, sizeof cfg3, &ev, &why), 0);
	assert_int_equal(ev.u.cfg.key, CFG_WINDOW);
	assert_int_equal(ev.u.cfg.value, 10);
	assert_int_equal(ev.meta.source, SRC_CLI);
	assert_memory_equal(ev.meta.actor.s, "a", 1);
	assert_int_equal(event_decode(dir3, sizeof dir3, &ev, &why), 0);
	assert_int_equal(ev.u.cfg.text.len, 2);
	assert_memory_equal(ev.u.cfg.text.s, "/b", 2);
	assert_int_equal(event_decode(reg3, sizeof reg3, &ev, &why), 0);
	assert_int_equal(ev.u.reg.email.len, 5);
	assert_int_equal(ev.u.reg.code.len, 0);
	assert_int_equal(event_decode(reg4, sizeof reg4, &ev, &why), 0);
	assert_int_equal(ev.u.reg.gender, GENDER_FEMALE);
	assert_int_equal(ev.u.reg.day, 0x4f1a);
	assert_int_equal(ev.u.reg.name.len, 3);
	assert_int_equal(ev.u.reg.email.len, 0);
	assert_int_equal(ev.u.reg.code.len, 2);
	assert_memory_equal(ev.u.reg.code.s, "S1", 2);
	assert_int_equal(event_decode(upd4, sizeof upd4, &ev, &why), 0);
	assert_int_equal(ev.u.upd.fields, UPD_CODE);
	assert_memory_equal(ev.u.upd.code.s, "X9", 2);
	assert_int_equal(event_decode(cfg4, sizeof cfg4, &ev, &why), 0);
	assert_int_equal(ev.u.cfg.value, 10);
	assert_int_equal(event_decode(pin4, sizeof pin4, &ev, &why), 0);
	assert_int_equal(ev.type, EV_ADMIN_PIN_SET);
	assert_int_equal(ev.u.pin.hash.len, 3);
}

static void
roster_layout(void **state)
{
	uint8_t buf[ROSTER_MAX];
	struct roster_rec r, back;
	size_t n;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.active = 1;
	r.name = (struct rc_text){ "Ada", 3 };
	r.email = (struct rc_text){ "a@b.org", 7 };
	/* no code: the layout of before codes, byte for byte */
	n = roster_encode(&r, buf);
	assert_int_equal(n, ROSTER_FIXED + 3 + 7);
	assert_int_equal(roster_decode(buf, n, &back), 0);
	assert_int_equal(back.code.len, 0);
	r.code = (struct rc_text){ "S-1", 3 };
	r.email.len = 0;
	n = roster_encode(&r, buf);
	assert_int_equal(n, ROSTER_FIXED + 3 + 1 + 3);
	assert_int_equal(roster_decode(buf, n, &back), 0);
	assert_int_equal(back.email.len, 0);
	assert_memory_equal(back.code.s, "S-1", 3);
	/* damage: a trailer with a wrong length */
	assert_int_equal(roster_decode(buf, n - 1, &back), -1);
	buf[ROSTER_FIXED + 3] = 0;
	assert_int_equal(roster_decode(buf, n, &back), -1);
}

/* ---- through the commands --------------------------------------------- */

static void
codes_index(void **state)
{
	rc_db *db = *state;
	struct rc_details d = { "Ada", NULL, "S-01", NULL, 0 };
	struct rc_details e = { "Bo", "bo@x.org", "s-01", NULL, 0 };
	struct rc_student st;
	struct rc_attendance *att = NULL;
	struct rc_checkin in;
	char id[RC_ID_TEXT], id2[RC_ID_TEXT];
	size_t n;

	assert_int_equal(command_add(db, &d, id), RC_OK);
	/* taken in any case */
	assert_int_equal(command_add(db, &e, id2), RC_REFUSED);
	assert_non_null(strstr(db_error(db), "already"));
	e.code = "B1";
	assert_int_equal(command_add(db, &e, id2), RC_OK);
	assert_int_equal(query_student(db, "s-01", &st, &att, &n), RC_OK);
	free(att);
	assert_string_equal(st.id, id);
	assert_string_equal(st.email, "");
	assert_string_equal(st.code, "S-01");
	assert_int_equal(command_checkin(db, "S-01", NULL, &in), RC_OK);
	assert_string_equal(in.id, id);
	/* neither email nor code */
	d.code = NULL;
	assert_int_equal(command_add(db, &d, id2), RC_USAGE);
	/* clear the last contact: refused */
	d = (struct rc_details){ NULL, NULL, NULL, NULL, UPD_CODE };
	assert_int_equal(command_update(db, "s-01", &d), RC_REFUSED);
	/* move B1 to Ada: refused while Bo has it, free once removed */
	d = (struct rc_details){ NULL, NULL, "b1", NULL, 0 };
	assert_int_equal(command_update(db, "s-01", &d), RC_REFUSED);
	assert_int_equal(command_remove(db, "B1"), RC_OK);
	assert_int_equal(command_update(db, "s-01", &d), RC_OK);
	assert_int_equal(query_student(db, "B1", &st, &att, &n), RC_OK);
	free(att);
	assert_string_equal(st.id, id);
	assert_int_equal(query_student(db, "S-01", &st, &att, &n),
	    RC_REFUSED);
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(query_student(db, "b1", &st, &att, &n), RC_OK);
	free(att);
	assert_string_equal(st.id, id);
	assert_int_equal(command_verify(db, NULL, NULL, NULL), RC_OK);
}

static void
pin_store(void **state)
{
	rc_db *db = *state;
	int set, ok;

	assert_int_equal(query_pin_set(db, &set), RC_OK);
	assert_int_equal(set, 0);
	assert_int_equal(pin_check(db, "1234", &ok), RC_OK);
	assert_int_equal(ok, 0);
	assert_int_equal(command_pin_clear(db, "1234"), RC_REFUSED);
	assert_int_equal(command_pin_set(db, "123"), RC_REFUSED);
	assert_int_equal(command_pin_set(db, "1234"), RC_OK);
	assert_int_equal(query_pin_set(db, &set), RC_OK);
	assert_int_equal(set, 1);
	assert_int_equal(pin_check(db, "1234", &ok), RC_OK);
	assert_int_equal(ok, 1);
	assert_int_equal(pin_check(db, "12345", &ok), RC_OK);
	assert_int_equal(ok, 0);
	assert_int_equal(command_pin_clear(db, "4321"), RC_REFUSED);
	/* survives a rebuild: the read side is replayed from the log */
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(pin_check(db, "1234", &ok), RC_OK);
	assert_int_equal(ok, 1);
	assert_int_equal(command_pin_clear(db, "1234"), RC_OK);
	assert_int_equal(query_pin_set(db, &set), RC_OK);
	assert_int_equal(set, 0);
	assert_int_equal(command_verify(db, NULL, NULL, NULL), RC_OK);
}

/*
 * Why a check-in is refused is a result, not a message to match: the
 * kiosk tells unknown from already-in from removed by it.
 */
static void
checkin_refusals(void **state)
{
	rc_db *db = *state;
	struct rc_details d = { "Ada", NULL, "K-7", NULL, 0 };
	struct rc_checkin in;
	char id[RC_ID_TEXT];

	assert_int_equal(command_add(db, &d, id), RC_OK);
	assert_int_equal(command_checkin(db, "NOPE", NULL, &in), RC_REFUSED);
	assert_int_equal(in.refused, RF_UNKNOWN);
	assert_int_equal(command_checkin(db, "k-7", NULL, &in), RC_OK);
	assert_int_equal(in.refused, RF_NONE);
	assert_int_equal(command_checkin(db, "K-7", NULL, &in), RC_REFUSED);
	assert_int_equal(in.refused, RF_ALREADY_IN);
	assert_string_equal(in.name, "Ada");
	assert_int_equal(in.arrived, 8 * 3600 + 30 * 60);	/* ROLLCALL_NOW */
	assert_int_equal(command_remove(db, id), RC_OK);
	assert_int_equal(command_checkin(db, id, NULL, &in), RC_REFUSED);
	assert_int_equal(in.refused, RF_REMOVED);
	assert_string_equal(in.name, "Ada");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(code_rules),
		cmocka_unit_test(pin_rules),
		cmocka_unit_test(event_layouts),
		cmocka_unit_test(schema_frozen),
		cmocka_unit_test(roster_layout),
		cmocka_unit_test_setup_teardown(codes_index, setup, teardown),
		cmocka_unit_test_setup_teardown(pin_store, setup, teardown),
		cmocka_unit_test_setup_teardown(checkin_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
