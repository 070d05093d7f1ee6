/*
 * test_model.c - reference-model test: random command sequences applied
 * to the real core and to a naive in-memory model must agree, and a
 * rebuild (and verify's independent replay) must reproduce the read side.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clock.h"
#include "calendar.h"
#include "command.h"
#include "rm_days.h"
#include "query.h"

#define MAXS 64
#define MAXC 512

struct mstudent {
	char id[RC_ID_TEXT], name[32], email[32];
	int active;
};

struct mcheck {
	int s, valid, status, points;
	int32_t day;
	unsigned sec;
};

static struct model {
	struct mstudent st[MAXS];
	int ns;
	struct mcheck ck[MAXC];
	int nc;
	unsigned start, window, points;
} m;

static int32_t today;

/* The naive policy, written again on purpose. */
static void
judge(unsigned sec, int *status, int *points)
{
	if ((long)sec <= (long)m.start - (long)m.window * 60) {
		*status = ST_EARLY;
		*points = (int)m.points;
	} else if ((long)sec >= (long)m.start + (long)m.window * 60) {
		*status = ST_LATE;
		*points = -(int)m.points;
	} else {
		*status = ST_ON_TIME;
		*points = 0;
	}
}

static int
email_owner(const char *email)
{
	int i;

	for (i = 0; i < m.ns; i++)
		if (m.st[i].active && strcasecmp(m.st[i].email, email) == 0)
			return i;
	return -1;
}

static int
valid_check(int s, int32_t day)
{
	int i;

	for (i = 0; i < m.nc; i++)
		if (m.ck[i].s == s && m.ck[i].day == day && m.ck[i].valid)
			return i;
	return -1;
}

static void
random_email(char *buf, size_t cap)
{
	int n = rand() % 24;

	snprintf(buf, cap, rand() % 4 ? "e%d@x.org" : "E%d@X.Org", n);
}

static void
op_register(rc_db *db)
{
	char name[32], email[32], id[RC_ID_TEXT];
	int want, got;

	if (m.ns == MAXS)
		return;
	snprintf(name, sizeof(name), rand() % 2 ? "name %d" : "Name %d",
	    rand() % 40);
	random_email(email, sizeof(email));
	want = email_owner(email) >= 0 ? RC_REFUSED : RC_OK;
	got = command_register(db, name, email, NULL, id);
	assert_int_equal(got, want);
	if (got != RC_OK)
		return;
	memcpy(m.st[m.ns].id, id, RC_ID_TEXT);
	strcpy(m.st[m.ns].name, name);
	strcpy(m.st[m.ns].email, email);
	m.st[m.ns++].active = 1;
}

static void
op_edit(rc_db *db, int s)
{
	char email[32];
	int owner, want;

	random_email(email, sizeof(email));
	owner = email_owner(email);
	want = !m.st[s].active || (owner >= 0 && owner != s) ? RC_REFUSED :
	    RC_OK;
	assert_int_equal(command_edit(db, m.st[s].id, NULL, email, NULL),
	    want);
	if (want == RC_OK)
		strcpy(m.st[s].email, email);
}

static void
add_check(int s, int32_t day, unsigned sec)
{
	int status, points;

	assert_true(m.nc < MAXC);
	judge(sec, &status, &points);
	m.ck[m.nc].s = s;
	m.ck[m.nc].day = day;
	m.ck[m.nc].valid = 1;
	m.ck[m.nc].sec = sec;
	m.ck[m.nc].status = status;
	m.ck[m.nc++].points = points;
}

static void
op_checkin(rc_db *db, int s)
{
	struct rc_local at;
	struct rc_checkin out;
	int want, status, points;

	at.day = today - rand() % 6;
	at.sec = 8 * 3600 + (unsigned)(rand() % 7200);
	want = !m.st[s].active || valid_check(s, at.day) >= 0 ||
	    (at.day == today && at.sec > 8 * 3600 + 1800) ? RC_REFUSED : RC_OK;
	assert_int_equal(command_checkin(db, m.st[s].id, &at, &out), want);
	if (want != RC_OK)
		return;
	judge(at.sec, &status, &points);
	assert_int_equal(out.status, status);
	assert_int_equal(out.points, points);
	add_check(s, at.day, at.sec);
}

static void
op_void(rc_db *db, int s)
{
	int32_t day = today - rand() % 6;
	int i = valid_check(s, day);

	assert_int_equal(command_void(db, m.st[s].id, day, "model"),
	    i >= 0 ? RC_OK : RC_REFUSED);
	if (i >= 0)
		m.ck[i].valid = 0;
}

/* An attendance file of one to four rows: all of it, or (a bad row) none. */
static void
op_import(rc_db *db)
{
	char path[] = "/tmp/rollcall-model-csv.XXXXXX", date[16];
	int rows = 1 + rand() % 4, s[4], i, j, bad = 0, fd, by_id;
	int32_t day[4];
	unsigned sec[4];
	size_t count;
	FILE *f;

	if (m.ns == 0 || m.nc + 4 > MAXC)
		return;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "student,arrived_at\n");
	for (i = 0; i < rows; i++) {
		s[i] = rand() % m.ns;
		by_id = rand() % 2;
		/* An email names its active owner first (emails are reused). */
		if (!by_id && email_owner(m.st[s[i]].email) >= 0)
			s[i] = email_owner(m.st[s[i]].email);
		day[i] = today - rand() % 6;
		sec[i] = 8 * 3600 + (unsigned)(rand() % 1800);
		clock_format_day(day[i], date);
		fprintf(f, "%s,%sT%02u:%02u:%02u\n", by_id ? m.st[s[i]].id :
		    m.st[s[i]].email, date, sec[i] / 3600, sec[i] / 60 % 60,
		    sec[i] % 60);
		bad |= !m.st[s[i]].active || valid_check(s[i], day[i]) >= 0;
		for (j = 0; j < i; j++)
			bad |= s[j] == s[i] && day[j] == day[i];
	}
	fclose(f);
	assert_int_equal(command_import_attendance(db, path, NULL, NULL,
	    &count), bad ? RC_REFUSED : RC_OK);
	unlink(path);
	for (i = 0; !bad && i < rows; i++)
		add_check(s[i], day[i], sec[i]);
}

static void
op_config(rc_db *db)
{
	char v[16];

	switch (rand() % 3) {
	case 0:
		m.points = (unsigned)(rand() % 20);
		snprintf(v, sizeof(v), "%u", m.points);
		assert_int_equal(command_config(db, "points", v, NULL), RC_OK);
		break;
	case 1:
		m.window = 1 + (unsigned)(rand() % 30);
		snprintf(v, sizeof(v), "%u", m.window);
		assert_int_equal(command_config(db, "window-minutes", v, NULL), RC_OK);
		break;
	default:
		m.start = (8 + (unsigned)(rand() % 3)) * 3600 +
		    (unsigned)(rand() % 60) * 60;
		snprintf(v, sizeof(v), "%02u:%02u", m.start / 3600,
		    m.start / 60 % 60);
		assert_int_equal(command_config(db, "start-time", v, NULL), RC_OK);
	}
}

static void
step(rc_db *db)
{
	int s = m.ns ? rand() % m.ns : -1;
	int op = rand() % 11;

	if (s < 0 || op < 2)
		op_register(db);
	else if (op == 2)
		op_edit(db, s);
	else if (op == 3) {
		assert_int_equal(command_remove(db, m.st[s].id),
		    m.st[s].active ? RC_OK : RC_REFUSED);
		m.st[s].active = 0;
	} else if (op < 8)
		op_checkin(db, s);
	else if (op == 8)
		op_void(db, s);
	else if (op == 9)
		op_import(db);
	else
		op_config(db);
}

/* The read side must hold what the model holds. */
static void
compare(rc_db *db)
{
	struct rc_student *rows;
	size_t n, i;
	int s, c, found;
	long points;
	unsigned present, early, late;

	assert_int_equal(query_students(db, 1, &rows, &n), RC_OK);
	assert_int_equal(n, (size_t)m.ns);
	for (i = 0; i < n; i++) {
		if (i > 0)
			assert_true(strcasecmp(rows[i - 1].name,
			    rows[i].name) < 0 || (strcasecmp(rows[i - 1].name,
			    rows[i].name) == 0 && strcmp(rows[i - 1].id,
			    rows[i].id) < 0));
		for (s = 0, found = 0; s < m.ns && !found; s++) {
			if (strcmp(m.st[s].id, rows[i].id) != 0)
				continue;
			found = 1;
			assert_string_equal(rows[i].email, m.st[s].email);
			assert_int_equal(rows[i].active, m.st[s].active);
			points = 0;
			present = early = late = 0;
			for (c = 0; c < m.nc; c++) {
				if (m.ck[c].s != s || !m.ck[c].valid)
					continue;
				points += m.ck[c].points;
				present++;
				early += m.ck[c].status == ST_EARLY;
				late += m.ck[c].status == ST_LATE;
			}
			assert_int_equal(rows[i].fig.points, points);
			assert_int_equal(rows[i].fig.present, present);
			assert_int_equal(rows[i].fig.early, early);
			assert_int_equal(rows[i].fig.late, late);
		}
		assert_true(found);
	}
	free(rows);
}

static int
student_of(const char *id)
{
	int s;

	for (s = 0; s < m.ns; s++)
		if (strcmp(m.st[s].id, id) == 0)
			return s;
	fail_msg("unknown id %s", id);
	return -1;
}

/*
 * Whether s was enrolled on day (SPEC 6): from the earlier of
 * registration (today, for everyone here) and the first valid check-in,
 * until removal (today too, not included).
 */
static int
enrolled(int s, int32_t day)
{
	int32_t first = today;
	int c;

	for (c = 0; c < m.nc; c++)
		if (m.ck[c].s == s && m.ck[c].valid && m.ck[c].day < first)
			first = m.ck[c].day;
	return day >= first && (m.st[s].active || day < today);
}

/* The desk's marks of a day (query_marks): the valid check-ins. */
static void
compare_marks(rc_db *db, int32_t day)
{
	struct rc_mark *mk;
	size_t n, i;
	int c, want;

	assert_int_equal(query_marks(db, day, &mk, &n), RC_OK);
	for (c = 0, want = 0; c < m.nc; c++)
		want += m.ck[c].day == day && m.ck[c].valid;
	assert_int_equal(n, (size_t)want);
	for (i = 0; i < n; i++) {
		c = valid_check(student_of(mk[i].id), day);
		assert_true(c >= 0);
		assert_int_equal(mk[i].arrived, m.ck[c].sec);
		assert_int_equal(mk[i].status, m.ck[c].status);
	}
	free(mk);
}

/*
 * Each day of the model: present = the valid check-ins (removed
 * students' too), absent = on a school day (Monday to Friday here),
 * the students enrolled that day without one.
 */
static void
compare_days(rc_db *db)
{
	struct rc_present *p;
	struct rc_absent *a;
	size_t np, na, i;
	int32_t day;
	int s, c, want;

	for (day = today - 5; day <= today; day++) {
		assert_int_equal(query_day(db, day, &p, &np, &a, &na), RC_OK);
		for (c = 0, want = 0; c < m.nc; c++)
			want += m.ck[c].day == day && m.ck[c].valid;
		assert_int_equal(np, (size_t)want);
		for (i = 0; i < np; i++) {
			c = valid_check(student_of(p[i].id), day);
			assert_true(c >= 0);
			assert_int_equal(p[i].arrived, m.ck[c].sec);
			assert_int_equal(p[i].status, m.ck[c].status);
			assert_int_equal(p[i].points, m.ck[c].points);
		}
		for (s = 0, want = 0; s < m.ns; s++)
			want += cal_weekday(day) < 5 && enrolled(s, day) &&
			    valid_check(s, day) < 0;
		assert_int_equal(na, (size_t)want);
		for (i = 0; i < na; i++)
			assert_true(valid_check(student_of(a[i].id), day) < 0);
		free(p);
		free(a);
		compare_marks(db, day);
	}
}

/* Each student's record: every check-in, voided ones included. */
static void
compare_records(rc_db *db)
{
	struct rc_student st;
	struct rc_attendance *att;
	size_t n, i;
	int s, c, want, valid;

	for (s = 0; s < m.ns; s++) {
		assert_int_equal(query_student(db, m.st[s].id, &st, &att, &n),
		    RC_OK);
		for (c = 0, want = 0, valid = 0; c < m.nc; c++) {
			want += m.ck[c].s == s;
			valid += m.ck[c].s == s && m.ck[c].valid;
		}
		assert_int_equal(n, (size_t)want);
		for (i = 0; i < n; i++) {
			valid -= !att[i].voided;
			if (i > 0)
				assert_true(att[i - 1].day <= att[i].day);
		}
		assert_int_equal(valid, 0);
		free(att);
	}
}

static void
nodiff(void *ctx, const char *what)
{
	(void)ctx;
	fail_msg("verify: %s", what);
}

static void
run_seed(unsigned seed)
{
	char dir[] = "/tmp/rollcall-model.XXXXXX", err[512], cmd[64];
	struct rc_local now;
	int64_t us;
	rc_db *db;
	int i;

	srand(seed);
	memset(&m, 0, sizeof(m));
	m.start = 9 * 3600;
	m.window = 5;
	m.points = 5;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(db_open(dir, &db, err, sizeof(err)), RC_OK);
	assert_int_equal(clock_now(&us, &now), 0);
	today = now.day;
	/* Imports and replays then also write their days part way. */
	rm_days_pending_limit = seed % 3 == 0 ? 1 : seed % 3 == 1 ? 5 : 1 << 20;
	for (i = 0; i < 250; i++)
		step(db);
	compare(db);
	compare_days(db);
	compare_records(db);
	assert_int_equal(command_verify(db, NULL, nodiff, NULL), RC_OK);
	assert_int_equal(command_rebuild(db, NULL, NULL), RC_OK);
	compare(db);
	compare_days(db);
	compare_records(db);
	assert_int_equal(command_verify(db, NULL, nodiff, NULL), RC_OK);
	rm_days_pending_limit = 1 << 20;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_model(void **state)
{
	unsigned seed;

	(void)state;
	setenv("TZ", "UTC", 1);
	setenv("ROLLCALL_NOW", "2025-09-10T08:30:00", 1);
	for (seed = 1; seed <= 12; seed++)
		run_seed(seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
