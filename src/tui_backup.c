/*
 * tui_backup.c - the desk's daily backup (SPEC 7): taken beside the desk
 * by a child process (backup_job.h) the first time the desk opens on a
 * day (or a day begins while it is open), and on quit if none was taken
 * that day; the Status screen says when the last one was, in words.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "tui_app.h"

#define WARN_DAYS 7	/* warn when no backup is this recent */

void tui_backup_load(struct app *app)
{
	if (backup_state(app->db, &app->backup) != RC_OK)
		memset(&app->backup, 0, sizeof app->backup);
}

/* Whether today's automatic backup is still to be taken. */
static int due(const struct app *app)
{
	return app->backup.set.dir[0] && !app->backup.today;
}

int tui_backup_tick(struct app *app)
{
	char msg[512];
	int rc;

	if (backup_job_poll(&app->bjob, 0, &rc, msg, sizeof msg)) {
		tui_backup_load(app);
		tui_message(app, rc == RC_OK ? ROLE_OK : ROLE_ERROR, "%s",
		    msg);
		return 1;
	}
	if (app->bjob.pid > 0 || app->backup_tried == app->today ||
	    !due(app))
		return 0;
	app->backup_tried = app->today;
	if (backup_job_start(&app->bjob, db_path(app->db)) != 0) {
		tui_message(app, ROLE_ERROR, "cannot start the daily backup");
		return 1;
	}
	return 0;
}

int tui_backup_quit_due(struct app *app)
{
	if (app->bjob.pid > 0)
		return 1;
	tui_backup_load(app);
	return due(app);
}

void tui_backup_quit(struct app *app)
{
	char msg[512];
	int rc;

	if (app->bjob.pid <= 0 &&
	    backup_job_start(&app->bjob, db_path(app->db)) != 0)
		return;
	backup_job_poll(&app->bjob, 1, &rc, msg, sizeof msg);
}

/* "today 08:02", "yesterday 17:30" or "2025-09-01 08:02". */
static void when(const struct app *app, int64_t us, char *buf, size_t len)
{
	struct rc_local l;
	char day[16], hhmm[8];

	clock_to_local(us, &l);
	clock_format_hhmm(l.sec, hhmm);
	if (l.day == app->today)
		snprintf(buf, len, "today %s", hhmm);
	else if (l.day == app->today - 1)
		snprintf(buf, len, "yesterday %s", hhmm);
	else {
		clock_format_day(l.day, day);
		snprintf(buf, len, "%s %s", day, hhmm);
	}
}

int tui_backup_words(const struct app *app, char *buf, size_t len)
{
	const struct rc_backup_state *b = &app->backup;
	char at[48], kept[48] = "";
	struct rc_local l;
	int role = ROLE_NORMAL;

	if (b->set.dir[0])
		snprintf(kept, sizeof kept, ", %zu kept", b->kept);
	if (b->last_at == 0) {
		snprintf(buf, len, "no backup yet%s%s", kept, b->set.dir[0] ?
		    "" : " (set one up: rollcall config backup-dir DIR)");
		role = ROLE_ERROR;
	} else {
		when(app, b->last_at, at, sizeof at);
		clock_to_local(b->last_at, &l);
		if (app->today - l.day >= WARN_DAYS) {
			snprintf(buf, len, "last backup %s%s: none in the last "
			    "%d days!", at, kept, WARN_DAYS);
			role = ROLE_ERROR;
		} else
			snprintf(buf, len, "last backup %s%s", at, kept);
	}
	if (b->failed_at) {
		size_t n = strlen(buf);

		when(app, b->failed_at, at, sizeof at);
		snprintf(buf + n, len - n, "; the daily backup failed %s: %s",
		    at, b->failure);
		role = ROLE_ERROR;
	}
	if (app->bjob.pid > 0) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, " (taking today's now)");
	}
	return role;
}
