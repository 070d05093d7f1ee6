/*
 * test_history.c - who did what (SPEC 7): the metadata the store
 * stamps on events, the origin, and the per-student history index,
 * through the public API on temporary databases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "command.h"
#include "db.h"
#include "query.h"

static char dir[256];

static int
setup(void **state)
{
	char err[512];
	rc_db *db;

	setenv("TZ", "UTC", 1);
	setenv("ROLLCALL_NOW", "2025-09-01T08:30:00", 1);
	unsetenv("ROLLCALL_ACTOR");
	unsetenv("ROLLCALL_DESK");
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

static struct rc_local
at(const char *s)
{
	struct rc_local l;

	assert_int_equal(clock_parse_datetime(s, &l), 0);
	return l;
}

/* The newest event, decoded (its strings valid until the next walk). */
struct last {
	struct rc_event ev;
	char actor[300], desk[300];
};

static int
keep_last(void *ctx, const struct rc_event *ev, int ok, const char *why)
{
	struct last *l = ctx;

	(void)why;
	assert_true(ok);
	l->ev = *ev;
	snprintf(l->actor, sizeof l->actor, "%.*s", (int)ev->meta.actor.len,
	    ev->meta.actor.len ? ev->meta.actor.s : "");
	snprintf(l->desk, sizeof l->desk, "%.*s", (int)ev->meta.desk.len,
	    ev->meta.desk.len ? ev->meta.desk.s : "");
	return 0;
}

static void
last_event(rc_db *db, struct last *l)
{
	memset(l, 0, sizeof *l);
	assert_int_equal(query_events(db, 1, 0, keep_last, l), RC_OK);
}

static void
test_author(void **state)
{
	rc_db *db = *state;
	char id[RC_ID_TEXT], err[512];
	struct last l;

	/* Without a call: the environment, source cli. */
	setenv("ROLLCALL_ACTOR", "Ms Env", 1);
	setenv("ROLLCALL_DESK", "desk-e", 1);
	assert_int_equal(command_register(db, "Ana", "ana@x.org", NULL, id),
	    RC_OK);
	last_event(db, &l);
	assert_int_equal(l.ev.version, EVENT_SCHEMA);
	assert_string_equal(l.actor, "Ms Env");
	assert_string_equal(l.desk, "desk-e");
	assert_int_equal(l.ev.meta.source, SRC_CLI);
	assert_int_equal(l.ev.meta.has_batch, 0);

	/* A front end's own. */
	assert_int_equal(db_set_author(db, "Kiosk 1", "hall", "kiosk"), RC_OK);
	assert_int_equal(command_checkin(db, id, NULL, &(struct rc_checkin){
	    0 }), RC_OK);
	last_event(db, &l);
	assert_string_equal(l.actor, "Kiosk 1");
	assert_string_equal(l.desk, "hall");
	assert_int_equal(l.ev.meta.source, SRC_KIOSK);

	/* A refused author refuses every write, naming where it came from. */
	assert_int_equal(db_set_author(db, "", NULL, "tui"), RC_REFUSED);
	assert_non_null(strstr(db_error(db), "actor"));
	assert_int_equal(command_remove(db, id), RC_REFUSED);
	assert_non_null(strstr(db_error(db), "actor"));
	setenv("ROLLCALL_DESK", "bad\x1b[2J", 1);
	assert_int_equal(db_set_author(db, "ok", NULL, "tui"), RC_REFUSED);
	assert_non_null(strstr(db_error(db), "ROLLCALL_DESK"));
	assert_int_equal(db_check_author("ok", NULL, "tui", err, sizeof err),
	    RC_REFUSED);
	assert_int_equal(db_check_author("ok", "d", "bogus", err, sizeof err),
	    RC_REFUSED);
	assert_int_equal(db_set_author(db, "ok", "d2", "tui"), RC_OK);
	assert_int_equal(command_remove(db, id), RC_OK);
	last_event(db, &l);
	assert_string_equal(l.actor, "ok");
	assert_int_equal(l.ev.meta.source, SRC_TUI);
	unsetenv("ROLLCALL_ACTOR");
	unsetenv("ROLLCALL_DESK");
}

static void
test_origin(void **state)
{
	rc_db *db = *state;
	char o1[RC_ID_TEXT], o2[RC_ID_TEXT], id[RC_ID_TEXT];

	assert_int_equal(db_origin(db, o1), RC_OK);
	assert_string_equal(o1, "");
	/* A write that appends nothing gives none. */
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(db_origin(db, o1), RC_OK);
	assert_string_equal(o1, "");
	assert_int_equal(command_register(db, "Ana", "ana@x.org", NULL, id),
	    RC_OK);
	assert_int_equal(db_origin(db, o1), RC_OK);
	assert_int_equal(strlen(o1), 36);
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(command_checkin(db, id, NULL, &(struct rc_checkin){
	    0 }), RC_OK);
	assert_int_equal(db_origin(db, o2), RC_OK);
	assert_string_equal(o1, o2);
}

static void
test_history(void **state)
{
	rc_db *db = *state;
	char a[RC_ID_TEXT], b[RC_ID_TEXT];
	struct rc_history *h;
	struct rc_local t;
	size_t n, i;
	int round;

	assert_int_equal(command_register(db, "Ana", "ana@x.org", NULL, a),
	    RC_OK);
	assert_int_equal(command_register(db, "Bo", "bo@x.org", "male", b),
	    RC_OK);
	assert_int_equal(command_config(db, "points", "7", NULL), RC_OK);
	t = at("2025-08-29T08:40:00");
	assert_int_equal(command_checkin(db, a, &t, &(struct rc_checkin){
	    0 }), RC_OK);
	t = at("2025-08-29T09:10:00");
	assert_int_equal(command_checkin(db, b, &t, &(struct rc_checkin){
	    0 }), RC_OK);
	assert_int_equal(command_void(db, a, t.day, "mix-up"), RC_OK);
	assert_int_equal(command_edit(db, a, "Ana N", NULL, "female"), RC_OK);
	assert_int_equal(command_remove(db, b), RC_OK);
	/* The same after a replay, which writes the index in one go. */
	for (round = 0; round < 2; round++) {
		assert_int_equal(query_history(db, "ana@x.org", &h, &n), RC_OK);
		assert_int_equal(n, 4);
		assert_int_equal(h[0].seq, 1);
		assert_string_equal(h[0].type, "student_registered");
		assert_string_equal(h[0].summary, "registered");
		assert_int_equal(h[1].seq, 4);
		assert_string_equal(h[1].summary,
		    "checked in, early, +7 (2025-08-29 08:40:00)");
		assert_int_equal(h[2].seq, 6);
		assert_string_equal(h[2].summary,
		    "check-in of 2025-08-29 voided: mix-up");
		assert_string_equal(h[3].summary, "name and gender changed");
		for (i = 0; i < n; i++)
			assert_string_equal(h[i].source, "cli");
		free(h);
		assert_int_equal(query_history(db, b, &h, &n), RC_OK);
		assert_int_equal(n, 3);
		assert_string_equal(h[1].summary,
		    "checked in, late, -7 (2025-08-29 09:10:00)");
		assert_string_equal(h[2].summary, "removed");
		free(h);
		assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	}
	assert_int_equal(query_history(db, "nobody@x.org", &h, &n),
	    RC_REFUSED);
	assert_null(h);
	assert_int_equal(command_verify(db, NULL, NULL, NULL), RC_OK);
}

/* Many events for one student: every one indexed, in order. */
static void
test_history_long(void **state)
{
	rc_db *db = *state;
	char a[RC_ID_TEXT], day[32];
	struct rc_history *h;
	struct rc_local t;
	size_t n, i;

	assert_int_equal(command_register(db, "Ana", "ana@x.org", NULL, a),
	    RC_OK);
	for (i = 0; i < 700; i++) {
		snprintf(day, sizeof day, "2023-01-01T08:%02zu:00", i % 60);
		t = at(day);
		t.day += (int32_t)i;
		assert_int_equal(command_checkin(db, a, &t,
		    &(struct rc_checkin){ 0 }), RC_OK);
	}
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(query_history(db, a, &h, &n), RC_OK);
	assert_int_equal(n, 701);
	for (i = 0; i < n; i++)
		assert_int_equal(h[i].seq, i + 1);
	free(h);
	assert_int_equal(command_verify(db, NULL, NULL, NULL), RC_OK);
}

static void
test_summary_other_types(void **state)
{
	struct rc_event ev;
	char buf[HISTORY_SUMMARY_MAX];

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_STUDENT_UPDATED;
	ev.u.upd.fields = UPD_EMAIL;
	history_summary(&ev, buf, sizeof buf);
	assert_string_equal(buf, "email changed");
	ev.u.upd.fields = UPD_NAME | UPD_EMAIL | UPD_GENDER;
	history_summary(&ev, buf, sizeof buf);
	assert_string_equal(buf, "name, email and gender changed");
	ev.type = EV_ATTENDANCE_RECORDED;
	ev.u.att.status = ST_ON_TIME;
	ev.u.att.points = 0;
	ev.u.att.day = 20332;
	ev.u.att.arrived = 9 * 3600;
	history_summary(&ev, buf, sizeof buf);
	assert_string_equal(buf, "checked in, on_time, 0 (2025-09-01 09:00:00)");
	ev.type = 200;
	history_summary(&ev, buf, sizeof buf);
	assert_string_equal(buf, "unknown event");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_author, setup, teardown),
		cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_long, setup,
		    teardown),
		cmocka_unit_test(test_summary_other_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
