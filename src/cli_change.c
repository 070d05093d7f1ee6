/*
 * cli_change.c - the command line's commands that change the database:
 * add, edit, remove, checkin, void, the imports, config, rebuild and
 * verify.  Each calls one command_* function and prints its outcome.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "cli.h"
#include "clock.h"
#include "collate.h"
#include "command.h"
#include "csvread.h"
#include "db.h"
#include "event.h"
#include "policy.h"
#include "query.h"

/*
 * What edit and remove print: "updated STUDENT" for people, or the
 * student as given and the result for scripts.
 */
static void
print_done(struct cli *c, const char *result)
{
	struct cli_field f[] = {
		{ "student", CF_TEXT, c->pos[0], 0 },
		{ "result", CF_STR, result, 0 },
	};
	char *shown;

	if (c->fmt != FMT_TABLE) {
		cli_record(c->fmt, f, 2);
		return;
	}
	shown = cli_escape(c->pos[0]);
	printf("%s %s\n", result, shown);
	free(shown);
}

int
cli_add(struct cli *c)
{
	char id[RC_ID_TEXT];
	struct cli_field f[] = { { "id", CF_STR, id, 0 } };
	struct rc_details d = { c->name, c->email, c->code, c->gender, 0 };
	int rc;

	rc = command_add(c->db, &d, id);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_JSON)
		cli_record(c->fmt, f, 1);
	else
		printf("%s\n", id);
	return RC_OK;
}

int
cli_edit(struct cli *c)
{
	struct rc_details d = { c->name, c->email, c->code, c->gender,
	    c->clear };
	int rc;

	rc = command_update(c->db, c->pos[0], &d);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	print_done(c, "updated");
	return RC_OK;
}

int
cli_remove(struct cli *c)
{
	int rc;

	if ((rc = command_remove(c->db, c->pos[0])) != RC_OK)
		return cli_fail(c, rc);
	print_done(c, "removed");
	return RC_OK;
}

int
cli_restore(struct cli *c)
{
	int rc;

	if ((rc = command_restore(c->db, c->pos[0])) != RC_OK)
		return cli_fail(c, rc);
	print_done(c, "restored");
	return RC_OK;
}

/* One line for people: name, day, arrival, status, points, new total. */
int
cli_checkin(struct cli *c)
{
	struct rc_checkin in;
	struct cli_table *t;
	char day[16], time[16], pts[32], total[48];
	const char *cells[6];
	int rc;

	rc = command_checkin(c->db, c->pos[0], c->has_at ? &c->at : NULL,
	    &in);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	clock_format_day(in.day, day);
	clock_format_time(in.arrived, time);
	if (c->fmt != FMT_TABLE) {
		struct cli_field f[] = {
			{ "id", CF_STR, in.id, 0 },
			{ "name", CF_TEXT, in.name, 0 },
			{ "day", CF_STR, day, 0 },
			{ "arrived", CF_STR, time, 0 },
			{ "status", CF_STR, policy_status_name(in.status), 0 },
			{ "points", CF_INT, NULL, in.points },
			{ "total_points", CF_INT, NULL, in.total },
		};
		cli_record(c->fmt, f, sizeof(f) / sizeof(f[0]));
		return RC_OK;
	}
	cli_points(in.points, pts, sizeof(pts));
	snprintf(total, sizeof(total), "total %lld", (long long)in.total);
	cells[0] = in.name;
	cells[1] = day;
	cells[2] = time;
	cells[3] = policy_status_name(in.status);
	cells[4] = pts;
	cells[5] = total;
	t = cli_table_new(6, NULL, 0);
	cli_table_add(t, cells);
	cli_table_print(t, "");
	cli_table_free(t);
	return RC_OK;
}

int
cli_void(struct cli *c)
{
	char day[16];
	struct cli_field f[] = {
		{ "student", CF_TEXT, c->pos[0], 0 },
		{ "day", CF_STR, day, 0 },
		{ "result", CF_STR, "voided", 0 },
	};
	char *shown;
	int rc;

	rc = command_void(c->db, c->pos[0], c->day, c->reason);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	clock_format_day(c->day, day);
	if (c->fmt != FMT_TABLE) {
		cli_record(c->fmt, f, 3);
		return RC_OK;
	}
	shown = cli_escape(c->pos[0]);
	printf("voided the check-in of %s on %s\n", shown, day);
	free(shown);
	return RC_OK;
}

/* The header has been checked by now: no need to read further. */
static int
stop_at_first_row(void *ctx, unsigned long line, const char *const *values,
    const char *problem)
{
	(void)ctx;
	(void)line;
	(void)values;
	(void)problem;
	return 1;
}

/*
 * An import file that cannot be read or lacks a column is refused before
 * the database is opened, so that none is created for it.  Only the
 * header is read here, and only of a regular file: a pipe can be read
 * once, by the import itself.  The rows are the core's to judge.
 */
static int
import_check(const char *path, int attendance)
{
	static const struct csv_column student_cols[] = {
		{ "name", 1 }, { "email", CSV_ONE_OF }, { "gender", 0 },
		{ "code", CSV_ONE_OF }
	};
	static const struct csv_column attendance_cols[] = {
		{ "student", 1 }, { "arrived_at", 1 }
	};
	struct stat st;
	char err[512];
	int rc;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return RC_OK;
	if (attendance)
		rc = csvread_file(path, attendance_cols, 2, stop_at_first_row,
		    NULL, err, sizeof(err));
	else
		rc = csvread_file(path, student_cols, 4, stop_at_first_row,
		    NULL, err, sizeof(err));
	if (rc == -1) {
		cli_error("%s", err[0] ? err : path);
		return RC_REFUSED;
	}
	return RC_OK;
}

int
cli_import_students_check(const struct cli *c)
{
	return import_check(c->pos[0], 0);
}

int
cli_import_attendance_check(const struct cli *c)
{
	return import_check(c->pos[0], 1);
}

struct import_ctx {
	const char *file;
	size_t bad;
};

static void
import_bad_row(void *ctx, unsigned long line, const char *reason)
{
	struct import_ctx *ic = ctx;

	cli_error("%s:%lu: %s", ic->file, line, reason);
	ic->bad++;
}

/* The columns the import ignores: one line, before any bad row. */
static void
import_warn(void *ctx, const char *unknown)
{
	struct import_ctx *ic = ctx;
	char *file = cli_escape(ic->file);

	cli_error("warning: %s: ignoring unknown %s %s", file,
	    strchr(unknown, ',') ? "columns" : "column", unknown);
	free(file);
}

/*
 * Bad rows are printed as the core reports them, one line each; its
 * summary sentence would be one line too many, so it is left out.
 */
static int
import_failed(struct cli *c, const struct import_ctx *ic, int rc)
{
	return ic->bad ? rc : cli_fail(c, rc);
}

static int
run_import_attendance(struct cli *c)
{
	struct import_ctx ic = { c->pos[0], 0 };
	size_t n = 0;
	struct cli_field f[] = { { "imported", CF_INT, NULL, 0 } };
	int rc;

	rc = command_import_attendance(c->db, c->pos[0], import_bad_row, &ic,
	    &n);
	if (rc != RC_OK)
		return import_failed(c, &ic, rc);
	f[0].n = (long long)n;
	if (c->fmt != FMT_TABLE)
		cli_record(c->fmt, f, 1);
	else
		printf("imported %zu %s\n", n, n == 1 ? "check-in" :
		    "check-ins");
	return RC_OK;
}

/*
 * "imported N students"; with --merge the summary also counts added,
 * updated and unchanged (the rows that matched a student).
 */
int
cli_import_students(struct cli *c)
{
	struct import_ctx ic = { c->pos[0], 0 };
	struct rc_import_opts o = { c->merge, import_bad_row, import_warn,
	    &ic };
	struct rc_import_counts n = { 0, 0, 0 };
	size_t total;
	struct cli_field f[] = {
		{ "imported", CF_INT, NULL, 0 },
		{ "added", CF_INT, NULL, 0 },
		{ "updated", CF_INT, NULL, 0 },
		{ "unchanged", CF_INT, NULL, 0 },
	};
	int rc;

	if ((rc = command_import_students_opts(c->db, c->pos[0], &o, &n))
	    != RC_OK)
		return import_failed(c, &ic, rc);
	total = n.added + n.updated + n.unchanged;
	f[0].n = (long long)total;
	f[1].n = (long long)n.added;
	f[2].n = (long long)n.updated;
	f[3].n = (long long)n.unchanged;
	if (c->fmt != FMT_TABLE)
		cli_record(c->fmt, f, c->merge ? 4 : 1);
	else if (c->merge)
		printf("imported %zu %s: %zu added, %zu updated, %zu "
		    "unchanged\n", total, total == 1 ? "student" : "students",
		    n.added, n.updated, n.unchanged);
	else
		printf("imported %zu %s\n", total, total == 1 ? "student" :
		    "students");
	return RC_OK;
}

int
cli_import_attendance(struct cli *c)
{
	return run_import_attendance(c);
}

/* Remembers the log's length, which the final progress call reports. */
static int
count_progress(void *ctx, uint64_t done, uint64_t total)
{
	uint64_t *events = ctx;

	(void)done;
	*events = total;
	return 0;
}

int
cli_rebuild(struct cli *c)
{
	uint64_t events = 0;
	struct cli_field f[] = { { "events", CF_INT, NULL, 0 } };
	int rc;

	if ((rc = command_rebuild(c->db, count_progress, &events)) != RC_OK)
		return cli_fail(c, rc);
	f[0].n = (long long)events;
	if (c->fmt != FMT_TABLE)
		cli_record(c->fmt, f, 1);
	else
		printf("rebuilt read side from %llu event%s\n",
		    (unsigned long long)events, events == 1 ? "" : "s");
	return RC_OK;
}

struct verify_ctx {
	uint64_t events;
	size_t diffs;
};

static int
verify_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct verify_ctx *v = ctx;

	(void)done;
	v->events = total;
	return 0;
}

/* Each difference is one error line; verify goes on to find more. */
static void
verify_diff(void *ctx, const char *what)
{
	struct verify_ctx *v = ctx;

	cli_error("verify: %s", what);
	v->diffs++;
}

int
cli_verify(struct cli *c)
{
	struct verify_ctx v = { 0, 0 };
	struct cli_field f[] = {
		{ "ok", CF_BOOL, NULL, 1 },
		{ "events", CF_INT, NULL, 0 },
	};
	int rc;

	rc = command_verify(c->db, verify_progress, verify_diff, &v);
	if (rc != RC_OK)
		return rc == RC_REFUSED && v.diffs ? rc : cli_fail(c, rc);
	f[1].n = (long long)v.events;
	if (c->fmt != FMT_TABLE)
		cli_record(c->fmt, f, 2);
	else
		printf("verify: ok, %llu event%s, hash chain intact, read side "
		    "matches\n", (unsigned long long)v.events,
		    v.events == 1 ? "" : "s");
	return RC_OK;
}

/* An unknown setting is refused before any database is made. */
int
cli_config_check(const struct cli *c)
{
	static const char *const keys[] = {
		"start-time", "window-minutes", "points", "school-days",
		"term-start", "term-end", "backup-dir", "backup-keep", "quiet",
		"collation"
	};
	size_t i;

	if (c->unset && c->npos != 1) {
		cli_error("config --unset needs one KEY and no VALUE");
		return RC_USAGE;
	}
	if (c->npos == 0)
		return RC_OK;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(c->pos[0], keys[i]) == 0)
			return RC_OK;
	cli_error("unknown setting '%s' (start-time, window-minutes, points, "
	    "school-days, term-start, term-end, backup-dir, backup-keep, "
	    "quiet, collation)", c->pos[0]);
	return RC_REFUSED;
}

#define NSETTINGS 7

/* The desk's settings beside the policy and the backups'. */
struct desk_settings {
	int quiet;
	char collation[COLLATE_TAG_MAX + 1];
};

/* Each setting's value for people (text) and for CSV/JSON (f). */
static void
config_fields(const struct rc_policy *p, const struct rc_backup_settings *b,
    const struct desk_settings *d,
    char text[NSETTINGS][RC_CONFIG_TEXT_MAX + 1], struct cli_field *f)
{
	const char *keys[NSETTINGS] = {
		"start-time", "window-minutes", "points", "backup-dir",
		"backup-keep", "quiet", "collation"
	};
	long long nums[NSETTINGS] = { 0, p->window, p->points, 0, b->keep,
	    0, 0 };
	size_t i;

	clock_format_hhmm(p->start, text[0]);
	snprintf(text[3], RC_CONFIG_TEXT_MAX + 1, "%s", b->dir);
	snprintf(text[5], RC_CONFIG_TEXT_MAX + 1, "%s", d->quiet ? "on" :
	    "off");
	snprintf(text[6], RC_CONFIG_TEXT_MAX + 1, "%s", d->collation);
	for (i = 0; i < NSETTINGS; i++) {
		f[i].key = keys[i];
		f[i].kind = i == 1 || i == 2 || i == 4 ? CF_INT : CF_STR;
		f[i].s = i == 3 && !b->dir[0] ? NULL : text[i];
		f[i].n = nums[i];
		if (f[i].kind == CF_INT)
			snprintf(text[i], RC_CONFIG_TEXT_MAX + 1, "%lld",
			    nums[i]);
	}
}

/*
 * config: with KEY VALUE (or KEY --unset) change the setting first;
 * then show the settings asked for, read back from the read side.
 */
int
cli_config(struct cli *c)
{
	char text[NSETTINGS][RC_CONFIG_TEXT_MAX + 1];
	struct desk_settings d;
	struct rc_backup_settings b;
	struct rc_policy p;
	struct cli_field f[NSETTINGS];
	struct cli_table *t;
	const char *cells[2];
	size_t i, first = 0, n = NSETTINGS;
	int rc;

	if (c->npos > 0 && command_is_calendar_key(c->pos[0])) {
		if ((c->npos == 2 || c->unset) && (rc = command_config_calendar(
		    c->db, c->pos[0], c->unset ? NULL : c->pos[1])) != RC_OK)
			return cli_fail(c, rc);
		return cli_config_calendar_show(c, c->pos[0]);
	}
	/*
	 * After a change, print what the command saw: no second read (one
	 * that failed would report an error for a change that was made).
	 * The desk's settings are read before; a change of one is to what
	 * was asked.
	 */
	if ((rc = query_collation(c->db, d.collation)) != RC_OK ||
	    (rc = query_quiet(c->db, &d.quiet)) != RC_OK)
		return cli_fail(c, rc);
	if (c->npos == 2 || c->unset) {
		rc = command_config_all(c->db, c->pos[0], c->unset ? NULL :
		    c->pos[1], &p, &b);
		if (rc == RC_OK && strcmp(c->pos[0], "collation") == 0)
			snprintf(d.collation, sizeof(d.collation), "%s",
			    c->unset ? COLLATE_DEFAULT : c->pos[1]);
		if (rc == RC_OK && strcmp(c->pos[0], "quiet") == 0)
			d.quiet = !c->unset && strcmp(c->pos[1], "on") == 0;
	} else if ((rc = query_policy(c->db, &p)) == RC_OK)
		rc = backup_settings(c->db, &b);
	if (rc != RC_OK)
		return cli_fail(c, rc);
	config_fields(&p, &b, &d, text, f);
	for (i = 0; c->npos > 0 && i < NSETTINGS; i++)
		if (strcmp(c->pos[0], f[i].key) == 0) {
			first = i;
			n = 1;
		}
	if (n == 1 && c->fmt != FMT_TABLE) {
		cli_record(c->fmt, f + first, n);
		return RC_OK;
	}
	if (n == 1) {
		printf("%s\n", text[first]);
		return RC_OK;
	}
	if (c->fmt != FMT_TABLE)
		return cli_config_all(c, f, NSETTINGS);
	t = cli_table_new(2, NULL, 0);
	for (i = 0; i < NSETTINGS; i++) {
		cells[0] = f[i].key;
		cells[1] = i == 3 && !b.dir[0] ? "(unset)" : text[i];
		cli_table_add(t, cells);
	}
	if ((rc = cli_config_calendar_rows(c, t)) == RC_OK)
		cli_table_print(t, "");
	cli_table_free(t);
	return rc;
}
