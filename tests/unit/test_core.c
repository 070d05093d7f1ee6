/*
 * test_core.c - the commands, projector and queries through the public
 * API, on temporary databases.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "command.h"
#include "db.h"
#include "envcopy.h"
#include "query.h"
#include "record.h"
#include "store.h"

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

static void
add(rc_db *db, const char *name, const char *email, char id[RC_ID_TEXT])
{
	char scratch[RC_ID_TEXT];

	assert_int_equal(command_register(db, name, email, NULL,
	    id ? id : scratch), RC_OK);
}

static struct rc_local
at(const char *s)
{
	struct rc_local l;

	assert_int_equal(clock_parse_datetime(s, &l), 0);
	return l;
}

static uint64_t
head(rc_db *db)
{
	struct rc_status st;

	assert_int_equal(query_status(db, &st), RC_OK);
	assert_int_equal(st.head, st.checkpoint);
	return st.head;
}

static void
test_register_and_lookup(void **state)
{
	rc_db *db = *state;
	struct rc_student st;
	struct rc_attendance *att;
	char id[RC_ID_TEXT];
	size_t n;

	add(db, "  Ada Lovelace ", "Ada@Example.org", id);
	assert_int_equal(strlen(id), 36);
	assert_int_equal(query_student(db, id, &st, &att, &n), RC_OK);
	assert_string_equal(st.name, "Ada Lovelace");
	assert_string_equal(st.email, "Ada@Example.org");
	assert_int_equal(st.active, 1);
	free(att);
	/* Email lookups ignore case; duplicates are refused likewise. */
	assert_int_equal(query_student(db, "ada@EXAMPLE.org", &st, &att, &n),
	    RC_OK);
	free(att);
	assert_int_equal(command_register(db, "Other", "ADA@example.org",
	    NULL, id), RC_REFUSED);
	assert_non_null(strstr(db_error(db), "already registered"));
	assert_int_equal(head(db), 1);
}

static void
test_once_a_day_void_recheckin(void **state)
{
	rc_db *db = *state;
	struct rc_checkin out;
	struct rc_student st;
	struct rc_attendance *att;
	struct rc_local t = at("2025-09-01T08:20:00");
	size_t n;

	add(db, "Bo", "bo@x.org", NULL);
	assert_int_equal(command_checkin(db, "bo@x.org", &t, &out), RC_OK);
	assert_int_equal(out.status, ST_EARLY);
	assert_int_equal(out.points, 5);
	assert_int_equal(out.total, 5);
	assert_int_equal(command_checkin(db, "bo@x.org", NULL, &out),
	    RC_REFUSED);
	assert_non_null(strstr(db_error(db), "already checked in"));
	assert_int_equal(head(db), 2);

	assert_int_equal(command_void(db, "bo@x.org", t.day, "typo"), RC_OK);
	assert_int_equal(command_void(db, "bo@x.org", t.day, NULL),
	    RC_REFUSED);
	t = at("2025-09-01T08:30:00");
	assert_int_equal(command_checkin(db, "bo@x.org", &t, &out), RC_OK);
	assert_int_equal(out.total, 5);
	assert_int_equal(head(db), 4);

	assert_int_equal(query_student(db, "bo@x.org", &st, &att, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(att[0].voided, 1);
	assert_int_equal(att[1].voided, 0);
	assert_int_equal(st.fig.present, 1);
	assert_int_equal(st.fig.early, 1);
	assert_int_equal(st.fig.points, 5);
	free(att);
}

static void
test_future_refused(void **state)
{
	rc_db *db = *state;
	struct rc_local t = at("2025-09-01T08:30:01");

	add(db, "Cy", "cy@x.org", NULL);
	assert_int_equal(command_checkin(db, "cy@x.org", &t, NULL),
	    RC_REFUSED);
	t = at("2025-09-02T00:00:00");
	assert_int_equal(command_checkin(db, "cy@x.org", &t, NULL),
	    RC_REFUSED);
	assert_int_equal(head(db), 1);
}

static void
test_policy_not_retroactive(void **state)
{
	rc_db *db = *state;
	struct rc_checkin out;
	struct rc_student before, after;
	struct rc_attendance *att;
	struct rc_local t = at("2025-08-29T09:10:00");
	size_t n;

	add(db, "Di", "di@x.org", NULL);
	assert_int_equal(command_checkin(db, "di@x.org", &t, &out), RC_OK);
	assert_int_equal(out.points, -5);
	assert_int_equal(command_config(db, "points", "50", NULL), RC_OK);
	assert_int_equal(command_config(db, "start-time", "10:00", NULL), RC_OK);
	assert_int_equal(command_config(db, "points", "1001", NULL), RC_REFUSED);
	assert_int_equal(command_config(db, "window-minutes", "0", NULL),
	    RC_REFUSED);
	assert_int_equal(command_config(db, "nope", "1", NULL), RC_REFUSED);
	t = at("2025-08-30T09:10:00");
	assert_int_equal(command_checkin(db, "di@x.org", &t, &out), RC_OK);
	assert_int_equal(out.status, ST_EARLY);
	assert_int_equal(out.points, 50);
	assert_int_equal(query_student(db, "di@x.org", &before, &att, &n),
	    RC_OK);
	free(att);
	assert_int_equal(before.fig.points, 45);
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(query_student(db, "di@x.org", &after, &att, &n),
	    RC_OK);
	assert_int_equal(after.fig.points, 45);
	assert_int_equal(att[0].points, -5);
	assert_int_equal(att[0].status, ST_LATE);
	free(att);
}

static void
test_remove_and_reuse_email(void **state)
{
	rc_db *db = *state;
	struct rc_student *rows;
	char id[RC_ID_TEXT], id2[RC_ID_TEXT];
	size_t n;

	add(db, "Ed", "ed@x.org", id);
	assert_int_equal(command_remove(db, id), RC_OK);
	assert_int_equal(command_remove(db, id), RC_REFUSED);
	assert_int_equal(command_checkin(db, id, NULL, NULL), RC_REFUSED);
	assert_non_null(strstr(db_error(db), "removed"));
	add(db, "Ed Again", "ED@x.org", id2);
	assert_int_equal(query_students(db, 0, &rows, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, id2);
	free(rows);
	assert_int_equal(query_students(db, 1, &rows, &n), RC_OK);
	assert_int_equal(n, 2);
	free(rows);
}

static void
test_sorted_by_name(void **state)
{
	rc_db *db = *state;
	struct rc_student *rows;
	size_t n;

	add(db, "bob", "b@x.org", NULL);
	add(db, "Alice", "a@x.org", NULL);
	add(db, "Élodie", "e@x.org", NULL);
	add(db, "ALAN", "c@x.org", NULL);
	assert_int_equal(command_edit(db, "b@x.org", "Aaron", NULL, NULL),
	    RC_OK);
	assert_int_equal(query_students(db, 0, &rows, &n), RC_OK);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].name, "Aaron");
	assert_string_equal(rows[1].name, "ALAN");
	assert_string_equal(rows[2].name, "Alice");
	assert_string_equal(rows[3].name, "Élodie");
	free(rows);
}

static void
test_day_present_absent(void **state)
{
	rc_db *db = *state;
	struct rc_present *p;
	struct rc_absent *a;
	struct rc_mark *m;
	struct rc_local t = at("2025-09-01T09:00:00");
	size_t np, na, nm;

	setenv("ROLLCALL_NOW", "2025-09-01T09:30:00", 1);
	add(db, "Fay", "f@x.org", NULL);
	add(db, "Gus", "g@x.org", NULL);
	assert_int_equal(command_checkin(db, "g@x.org", &t, NULL), RC_OK);
	assert_int_equal(query_day(db, t.day, &p, &np, &a, &na), RC_OK);
	assert_int_equal(np, 1);
	assert_string_equal(p[0].name, "Gus");
	assert_int_equal(p[0].status, ST_ON_TIME);
	assert_int_equal(na, 1);
	assert_string_equal(a[0].name, "Fay");
	/* The desk's marks say the same, without names. */
	assert_int_equal(query_marks(db, t.day, &m, &nm), RC_OK);
	assert_int_equal(nm, 1);
	assert_string_equal(m[0].id, p[0].id);
	assert_int_equal(m[0].status, ST_ON_TIME);
	assert_int_equal(m[0].arrived, 9 * 3600);
	free(m);
	assert_int_equal(command_void(db, "g@x.org", t.day, NULL), RC_OK);
	assert_int_equal(query_marks(db, t.day, &m, &nm), RC_OK);
	assert_int_equal(nm, 0);
	free(m);
	free(p);
	free(a);
	/* Registered after the day asked about: not absent then. */
	assert_int_equal(query_day(db, t.day - 1, &p, &np, &a, &na), RC_OK);
	assert_int_equal(np + na, 0);
	free(p);
	free(a);
	setenv("ROLLCALL_NOW", "2025-09-01T08:30:00", 1);
}

static int
count_diffs(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	assert_true(done <= total);
	return 0;
}

static void
note_diff(void *ctx, const char *what)
{
	(*(int *)ctx)++;
	(void)what;
}

static void
test_verify_clean(void **state)
{
	rc_db *db = *state;
	int diffs = 0;

	add(db, "Hal", "h@x.org", NULL);
	assert_int_equal(command_checkin(db, "h@x.org", NULL, NULL), RC_OK);
	assert_int_equal(command_verify(db, count_diffs, note_diff, &diffs),
	    RC_OK);
	assert_int_equal(diffs, 0);
}

/* Tamper with the stored bytes behind the API, as an attacker would. */
static void
tamper(rc_db *db, int dbi, uint64_t seq, int delete, size_t byte)
{
	uint8_t key[8], buf[EVENT_MAX_LEN];
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int i;

	for (i = 0; i < 8; i++)
		key[i] = (uint8_t)(seq >> (56 - 8 * i));
	assert_int_equal(mdb_txn_begin(db->env, NULL, 0, &txn), 0);
	if (dbi == DB_EVENTS) {
		k.mv_size = 8;
		k.mv_data = key;
		assert_int_equal(mdb_get(txn, db->dbi[dbi], &k, &v), 0);
	} else {
		assert_int_equal(mdb_cursor_open(txn, db->dbi[dbi], &cur), 0);
		assert_int_equal(mdb_cursor_get(cur, &k, &v, MDB_FIRST), 0);
		mdb_cursor_close(cur);
	}
	if (delete) {
		assert_int_equal(mdb_del(txn, db->dbi[dbi], &k, NULL), 0);
	} else {
		assert_true(byte < v.mv_size);
		memcpy(buf, v.mv_data, v.mv_size);
		buf[byte] ^= 0x01;
		v.mv_data = buf;
		assert_int_equal(mdb_put(txn, db->dbi[dbi], &k, &v, 0), 0);
	}
	assert_int_equal(mdb_txn_commit(txn), 0);
}

struct diffs {
	int n;
	char first[256];
	char all[2048];		/* every one, a line each */
};

static void
keep_diff(void *ctx, const char *what)
{
	struct diffs *d = ctx;
	size_t n = strlen(d->all);

	if (d->n++ == 0)
		snprintf(d->first, sizeof(d->first), "%s", what);
	snprintf(d->all + n, sizeof(d->all) - n, "%s\n", what);
}

static void
three_events(rc_db *db)
{
	add(db, "Ivy", "i@x.org", NULL);
	add(db, "Jo", "j@x.org", NULL);
	assert_int_equal(command_checkin(db, "j@x.org", NULL, NULL), RC_OK);
}

static void
test_verify_catches_read_side_change(void **state)
{
	rc_db *db = *state;
	struct diffs d = { 0, "", "" };

	three_events(db);
	tamper(db, DB_POINTS, 0, 0, 7);
	assert_int_equal(command_verify(db, NULL, keep_diff, &d), RC_REFUSED);
	assert_non_null(strstr(d.first, "points"));
	/* A rebuild repairs it. */
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(command_verify(db, NULL, keep_diff, &d), RC_OK);
}

static void
test_verify_catches_event_change(void **state)
{
	rc_db *db = *state;
	struct diffs d = { 0, "", "" };

	three_events(db);
	tamper(db, DB_EVENTS, 1, 0, 70);
	assert_int_equal(command_verify(db, NULL, keep_diff, &d), RC_REFUSED);
	/* Its sealed personal data no longer opens either (SPEC 7). */
	assert_non_null(strstr(d.all, "hash chain broken at event 2"));
}

static void
test_verify_catches_last_event_change(void **state)
{
	rc_db *db = *state;
	struct diffs d = { 0, "", "" };

	three_events(db);
	tamper(db, DB_EVENTS, 3, 0, 60);
	assert_int_equal(command_verify(db, NULL, keep_diff, &d), RC_REFUSED);
	assert_non_null(strstr(d.first, "event 3"));
}

static void
test_verify_catches_removed_events(void **state)
{
	rc_db *db = *state;
	struct diffs d = { 0, "", "" };

	three_events(db);
	tamper(db, DB_EVENTS, 3, 1, 0);
	assert_int_equal(command_verify(db, NULL, keep_diff, &d), RC_REFUSED);
	assert_non_null(strstr(d.first, "removed"));
	tamper(db, DB_EVENTS, 1, 1, 0);
	d.n = 0;
	assert_int_equal(command_verify(db, NULL, keep_diff, &d), RC_REFUSED);
	assert_non_null(strstr(d.first, "event 1 is missing"));
}

/* An event the projector cannot apply is recorded, and the desk goes on. */
static void
test_projection_error_recorded(void **state)
{
	rc_db *db = *state;
	struct rc_proj_error *errs;
	struct rc_status st;
	uint8_t key[8] = { 0, 0, 0, 0, 0, 0, 0, 3 }, rec[60];
	MDB_txn *txn;
	MDB_val k = { 8, key }, v = { sizeof(rec), rec };
	size_t n;

	add(db, "Kim", "k@x.org", NULL);
	add(db, "Lee", "l@x.org", NULL);
	/* A record of a type from the future, appended by "another" tool. */
	memset(rec, 0, sizeof(rec));
	rec[0] = 1;
	rec[1] = 99;
	rec[2] = 1;
	rec[11] = 3;
	assert_int_equal(mdb_txn_begin(db->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_put(txn, db->dbi[DB_EVENTS], &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	assert_int_equal(db_catch_up(db), RC_OK);
	assert_int_equal(query_status(db, &st), RC_OK);
	assert_int_equal(st.head, 3);
	assert_int_equal(st.checkpoint, 3);
	assert_int_equal(st.errors, 1);
	assert_int_equal(query_errors(db, &errs, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(errs[0].seq, 3);
	assert_non_null(strstr(errs[0].reason, "unknown event type"));
	free(errs);
	/* Commands still work and chain onto the odd record. */
	assert_int_equal(command_checkin(db, "k@x.org", NULL, NULL), RC_OK);
	assert_int_equal(query_status(db, &st), RC_OK);
	assert_int_equal(st.head, 4);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* An import sums figures in memory; they must add to what was there. */
static void
test_import_adds_to_figures(void **state)
{
	rc_db *db = *state;
	struct rc_student st;
	struct rc_attendance *att;
	struct rc_local t = at("2025-08-29T08:00:00");
	char path[300];
	size_t n, count;
	int diffs = 0;

	add(db, "Mo", "mo@x.org", NULL);
	assert_int_equal(command_checkin(db, "mo@x.org", &t, NULL), RC_OK);
	snprintf(path, sizeof(path), "%s.csv", dir);
	write_file(path, "student,arrived_at\nmo@x.org,2025-08-30T09:30\n"
	    "MO@x.org,2025-08-31T09:01\n");
	assert_int_equal(command_import_attendance(db, path, NULL, NULL,
	    &count), RC_OK);
	assert_int_equal(count, 2);
	assert_int_equal(query_student(db, "mo@x.org", &st, &att, &n), RC_OK);
	free(att);
	assert_int_equal(st.fig.present, 3);
	assert_int_equal(st.fig.points, 0);
	assert_int_equal(st.fig.late, 1);
	assert_int_equal(st.fig.on_time, 1);
	/* A refused import leaves the figures as they were. */
	write_file(path, "student,arrived_at\nmo@x.org,2025-08-28T08:00\n"
	    "nobody@x.org,2025-08-28T08:00\n");
	assert_int_equal(command_import_attendance(db, path, NULL, NULL,
	    &count), RC_REFUSED);
	assert_int_equal(query_student(db, "mo@x.org", &st, &att, &n), RC_OK);
	free(att);
	assert_int_equal(st.fig.present, 3);
	assert_int_equal(command_verify(db, NULL, note_diff, &diffs), RC_OK);
	assert_int_equal(diffs, 0);
	unlink(path);
}

/*
 * Make the read side look written by a build of an older format: the
 * checkpoint back in `meta` (44 bytes with format 1, 40 before formats
 * were numbered).
 */
static void
age_read_side(rc_db *db, size_t len)
{
	uint8_t buf[64];
	MDB_txn *txn;
	MDB_val main_k = { 11, "\0checkpoint" }, old_k = { 10, "checkpoint" };
	MDB_val v;

	assert_int_equal(mdb_txn_begin(db->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_get(txn, db->main_dbi, &main_k, &v), 0);
	assert_int_equal(v.mv_size, 44);
	memcpy(buf, v.mv_data, 44);
	buf[43] = 1;		/* format 1, big-endian */
	v.mv_data = buf;
	v.mv_size = len;
	assert_int_equal(mdb_put(txn, db->dbi[DB_META], &old_k, &v, 0), 0);
	assert_int_equal(mdb_del(txn, db->main_dbi, &main_k, NULL), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* A read side of another layout is thrown away and replayed. */
static void
test_old_read_side_replayed(void **state)
{
	rc_db *db = *state;
	struct diffs d = { 0, "", "" };
	struct rc_status st;
	struct rc_present *p;
	struct rc_absent *a;
	size_t np, na, len;

	for (len = 40; len <= 44; len += 4) {
		three_events(db);
		tamper(db, DB_POINTS, 0, 0, 7);
		age_read_side(db, len);
		/* Until replayed, it counts for nothing and verify says so. */
		assert_int_equal(query_status(db, &st), RC_OK);
		assert_int_equal(st.checkpoint, 0);
		d.n = 0;
		assert_int_equal(command_verify(db, NULL, keep_diff, &d),
		    RC_REFUSED);
		assert_int_equal(d.n, 1);
		assert_non_null(strstr(d.first, "another version"));
		assert_int_equal(db_catch_up(db), RC_OK);
		assert_int_equal(query_status(db, &st), RC_OK);
		assert_int_equal(st.checkpoint, st.head);
		d.n = 0;
		assert_int_equal(command_verify(db, NULL, keep_diff, &d),
		    RC_OK);
		assert_int_equal(d.n, 0);
		assert_int_equal(query_day(db, at("2025-09-01T08:30").day,
		    &p, &np, &a, &na), RC_OK);
		assert_int_equal(np, 1);
		assert_string_equal(p[0].name, "Jo");
		free(p);
		free(a);
		teardown(state);
		setup(state);
		db = *state;
	}
}

/*
 * What a command remembers (the student it found, the figures it wrote)
 * dies with its transaction: another desk may change them before our
 * next read.
 */
static void
test_nothing_remembered_across_desks(void **state)
{
	rc_db *db = *state, *other;
	struct rc_student st;
	struct rc_attendance *att;
	struct rc_local now = at("2025-09-01T08:30:00");
	char err[512];
	size_t n;
	pid_t pid;
	int status;

	add(db, "Jo", "jo@x.org", NULL);
	assert_int_equal(command_checkin(db, "jo@x.org", NULL, NULL), RC_OK);
	if ((pid = fork()) == 0) {
		if (db_open(dir, &other, err, sizeof(err)) != RC_OK ||
		    command_void(other, "jo@x.org", now.day, NULL) != RC_OK)
			_exit(1);
		db_close(other);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(query_student(db, "jo@x.org", &st, &att, &n), RC_OK);
	free(att);
	assert_int_equal(st.fig.present, 0);
	assert_int_equal(st.fig.points, 0);
}

/*
 * A read side says its format where builds before format 2 look for the
 * checkpoint, so that such a build replays rather than applying the log
 * on top of a read side it cannot read.
 */
static void
test_format_marked_for_older_builds(void **state)
{
	rc_db *db = *state;
	MDB_txn *txn;
	MDB_val k = { 10, "checkpoint" }, v;

	add(db, "Jo", "jo@x.org", NULL);
	assert_int_equal(mdb_txn_begin(db->env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_get(txn, db->dbi[DB_META], &k, &v), 0);
	assert_int_equal(v.mv_size, 44);
	assert_int_equal(((uint8_t *)v.mv_data)[43], READ_FORMAT);	/* format */
	assert_int_equal(((uint8_t *)v.mv_data)[7], 0);	/* seq 0 */
	mdb_txn_abort(txn);
	/* And a rebuild writes it again. */
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(mdb_txn_begin(db->env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_get(txn, db->dbi[DB_META], &k, &v), 0);
	assert_int_equal(((uint8_t *)v.mv_data)[43], READ_FORMAT);
	mdb_txn_abort(txn);
}

static int
count_event(void *ctx, const struct rc_event *ev, int ok, const char *why)
{
	(void)ev;
	(void)why;
	assert_true(ok);
	(*(size_t *)ctx)++;
	return 0;
}

/* 600 students, the even ones checked in early on 2025-08-29. */
static void
walk_fixture(rc_db *db)
{
	char path[300];
	size_t i, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s.csv", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "name,email\n");
	for (i = 0; i < 600; i++)
		fprintf(f, "Student %03zu,s%03zu@x.org\n", i, i);
	fclose(f);
	assert_int_equal(command_import_students(db, path, NULL, NULL, &n),
	    RC_OK);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "student,arrived_at\n");
	for (i = 0; i < 600; i += 2)
		fprintf(f, "s%03zu@x.org,2025-08-29T08:%02zu\n", i, i % 50);
	fclose(f);
	assert_int_equal(command_import_attendance(db, path, NULL, NULL, &n),
	    RC_OK);
	unlink(path);
}

/*
 * Long walks let LMDB's map go as they read (store_map_trim); with no
 * budget at all they do so as often as they can, and must still read
 * every record right: the pages are mapped again on the next touch.
 */
static void
test_walks_survive_released_pages(void **state)
{
	rc_db *db = *state;
	struct rc_present *p;
	struct rc_absent *a;
	struct rc_local t = at("2025-08-29T08:00:00");
	size_t i, n, np, na, budget = store_map_budget, keep = store_map_keep;

	walk_fixture(db);
	store_map_budget = 0;
	store_map_keep = 0;
	assert_int_equal(query_day(db, t.day, &p, &np, &a, &na), RC_OK);
	assert_int_equal(np, 300);
	for (i = 0; i < np; i++)
		assert_int_equal(p[i].status, ST_EARLY);
	free(p);
	free(a);
	n = 0;
	assert_int_equal(query_events(db, 1, 0, count_event, &n), RC_OK);
	assert_int_equal(n, 900);
	store_map_budget = budget;
	store_map_keep = keep;
}

/* Unmap what this process has mapped of the data file, as a walk does. */
static void
drop_map(rc_db *db)
{
	unsigned long lo, hi, p;
	char line[512];
	MDB_txn *txn;
	MDB_val k, v;
	uint8_t key[4] = { 0, 0, 0, 1 };
	FILE *f;

	assert_int_equal(mdb_txn_begin(db->env, NULL, MDB_RDONLY, &txn), 0);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	assert_int_equal(mdb_get(txn, db->dbi[DB_ROSTER], &k, &v), 0);
	p = (unsigned long)v.mv_data;
	mdb_txn_abort(txn);
	assert_non_null(f = fopen("/proc/self/maps", "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && p >= lo &&
		    p < hi)
			assert_int_equal(madvise((void *)lo, hi - lo,
			    MADV_DONTNEED), 0);
	fclose(f);
}

/* Three more days of the fixture's 600: a log walk then trims twice. */
static void
more_days(rc_db *db)
{
	char path[300];
	size_t i, d, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s.csv", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "student,arrived_at\n");
	for (d = 25; d <= 27; d++)
		for (i = 0; i < 600; i++)
			fprintf(f, "s%03zu@x.org,2025-08-%02zuT08:%02zu\n", i, d,
			    i % 50);
	fclose(f);
	assert_int_equal(command_import_attendance(db, path, NULL, NULL, &n),
	    RC_OK);
	unlink(path);
}

/* The log over the fixture, counted; returns the map's releases so far. */
static unsigned long
walk_log(rc_db *db, uint64_t from, size_t want)
{
	size_t n = 0;

	assert_int_equal(query_events(db, from, 0, count_event, &n), RC_OK);
	assert_int_equal(n, want);
	return db->map_releases;
}

/*
 * A process whose walks fit store_map_keep (a desk refreshing a small
 * school's log) keeps their pages from one walk to the next; the budget
 * alone let such a walk go every time, to fault it all back the next.
 * Each walk below starts from an unmapped map, so it maps pages again.
 */
static void
test_walks_keep_what_fits(void **state)
{
	rc_db *db = *state;
	size_t budget = store_map_budget, keep = store_map_keep;
	unsigned long r;

	walk_fixture(db);
	more_days(db);
	store_map_budget = 0;
	store_map_keep = 1024 * 1024 * 1024UL;
	/* Nothing known yet: the budget rules, as for a one-shot query. */
	drop_map(db);
	assert_true((r = walk_log(db, 1, 2700)) > 0);
	assert_true(db->map_fits);
	/* The last walk fitted: within the allowance, nothing is let go. */
	drop_map(db);
	assert_int_equal(walk_log(db, 1, 2700), r);
	assert_true(db->map_fits);
	/* Over the allowance, it is. */
	store_map_keep = 0;
	drop_map(db);
	assert_true(walk_log(db, 1, 2700) > r);
	assert_false(db->map_fits);
	r = db->map_releases;
	/* Half the log: still past the allowance, so it lets go too. */
	drop_map(db);
	assert_true(walk_log(db, 1351, 1350) > r);
	store_map_budget = budget;
	store_map_keep = keep;
}

/*
 * A day-index record read back that breaks its key's promise (64 marks
 * of one student: a record holds each of its 64 students at most once)
 * is damage, reported as such: a check-in into it once wrote past its
 * buffer.
 */
static void
test_damaged_day_index(void **state)
{
	rc_db *db = *state;
	struct rc_local t = at("2025-08-29T08:00:00");
	struct rc_present *p;
	struct rc_absent *a;
	struct rc_checkin out;
	uint8_t key[8], rec[64 * 8];
	MDB_val k = { sizeof(key), key }, v = { sizeof(rec), rec };
	MDB_txn *txn;
	size_t i, np, na;

	walk_fixture(db);
	for (i = 0; i < 64; i++) {
		rec[i * 8] = rec[i * 8 + 1] = rec[i * 8 + 2] = 0;
		rec[i * 8 + 3] = 1;	/* sid 1, 64 times */
		memcpy(rec + i * 8 + 4, "\x0e\x10\x08\x0c", 4);
	}
	memset(key, 0, sizeof(key));
	key[0] = (uint8_t)((uint32_t)t.day >> 24);
	key[1] = (uint8_t)((uint32_t)t.day >> 16);
	key[2] = (uint8_t)((uint32_t)t.day >> 8);
	key[3] = (uint8_t)t.day;
	assert_int_equal(mdb_txn_begin(db->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_put(txn, db->dbi[DB_DAYMARKS], &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	assert_int_equal(command_checkin(db, "s001@x.org", &t, &out), RC_ESYS);
	assert_non_null(strstr(db_error(db), "day index is damaged"));
	assert_int_equal(query_day(db, t.day, &p, &np, &a, &na), RC_ESYS);
}

/* The map starts at 1 MiB and must grow, never failing "map full". */
static void
test_map_growth(void **state)
{
	rc_db *db;
	char err[512], email[64], name[64];
	struct rc_status st;
	int i, diffs = 0;

	(void)state;
	teardown(state);
	store_initial_mapsize = 1024 * 1024;
	setup(state);
	db = *state;
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "Student %05d with a long name", i);
		snprintf(email, sizeof(email), "s%05d@example.org", i);
		assert_int_equal(command_register(db, name, email, NULL, err),
		    RC_OK);
	}
	assert_int_equal(query_status(db, &st), RC_OK);
	assert_int_equal(st.head, 3000);
	assert_int_equal(st.students, 3000);
	assert_true(st.db_bytes > 1024 * 1024);
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	assert_int_equal(command_verify(db, NULL, note_diff, &diffs), RC_OK);
	store_initial_mapsize = 64 * 1024 * 1024;
}

/*
 * The copy backup and compact share: every record, the main database's
 * own (origin, checkpoint) included, so the copy opens and verifies as
 * the same database; then compact puts it in place of the original.
 */
static void
test_envcopy_and_compact(void **state)
{
	rc_db *db = *state, *copy;
	char copydir[300], file[320], err[512], o1[37], o2[37], cmd[320];
	char name[32], email[32];
	uint64_t before = 0, after = 0;
	int diffs = 0, i;

	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "Student %03d", i);
		snprintf(email, sizeof(email), "s%03d@x.org", i);
		add(db, name, email, NULL);
	}
	assert_int_equal(command_checkin(db, "s007@x.org", NULL, NULL),
	    RC_OK);
	assert_int_equal(command_edit(db, "s008@x.org", "Renamed", NULL, NULL),
	    RC_OK);
	snprintf(copydir, sizeof(copydir), "%s.copy", dir);
	assert_int_equal(mkdir(copydir, 0700), 0);
	snprintf(file, sizeof(file), "%s/data.mdb", copydir);
	assert_int_equal(envcopy_write(db, file), 0);
	assert_int_equal(db_open(copydir, &copy, err, sizeof(err)), RC_OK);
	assert_int_equal(head(copy), head(db));
	assert_int_equal(db_origin(db, o1), RC_OK);
	assert_int_equal(db_origin(copy, o2), RC_OK);
	assert_string_equal(o1, o2);
	assert_int_equal(command_verify(copy, count_diffs, note_diff, &diffs),
	    RC_OK);
	assert_int_equal(diffs, 0);
	db_close(copy);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", copydir);
	assert_int_equal(system(cmd), 0);

	assert_int_equal(command_compact(db, &before, &after), RC_OK);
	assert_true(after > 0 && after <= before);
	db_close(db);
	assert_int_equal(db_open(dir, &db, err, sizeof(err)), RC_OK);
	*state = db;
	assert_int_equal(head(db), 202);
	assert_int_equal(command_verify(db, count_diffs, note_diff, &diffs),
	    RC_OK);
	assert_int_equal(diffs, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register_and_lookup,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_once_a_day_void_recheckin,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_future_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_policy_not_retroactive,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_and_reuse_email,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted_by_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_day_present_absent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_envcopy_and_compact,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_clean, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_map_growth, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_verify_catches_read_side_change, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_verify_catches_event_change, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_verify_catches_last_event_change, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_verify_catches_removed_events, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_projection_error_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_adds_to_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_nothing_remembered_across_desks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_format_marked_for_older_builds, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_walks_survive_released_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_walks_keep_what_fits, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_damaged_day_index, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_old_read_side_replayed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
