/*
 * cli_backup.c - `backup DEST`, `backup --daily`, and the backup lines of
 * `status` (SPEC section 7, "Backups").  The work is in backup.c, which
 * the TUI calls too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "cli.h"

static void
print_backup(const struct cli *c, const struct rc_backup *b,
    const char *what)
{
	struct cli_field f[] = {
		{ "path", CF_STR, b->path, 0 },
		{ "events", CF_INT, NULL, (long long)b->events },
		{ "bytes", CF_INT, NULL, (long long)b->bytes },
	};
	char *path;

	if (c->fmt != FMT_TABLE) {
		cli_record(c->fmt, f, 3);
		return;
	}
	path = cli_escape(b->path);
	printf("%s: %s, %llu event%s, %llu bytes (%.1f MiB)\n", what, path,
	    (unsigned long long)b->events, b->events == 1 ? "" : "s",
	    (unsigned long long)b->bytes, b->bytes / 1048576.0);
	free(path);
}

/* The automatic backup, for cron or a desk: quiet when not due. */
static int
backup_daily_run(struct cli *c)
{
	struct rc_backup_daily d;
	int rc;

	if ((rc = backup_daily(c->db, &d)) != RC_OK)
		return cli_fail(c, rc);
	if (d.taken) {
		print_backup(c, &d.b, "backup");
		if (d.removed && c->fmt == FMT_TABLE)
			printf("removed %zu older backup%s (backup-keep)\n",
			    d.removed, d.removed == 1 ? "" : "s");
	} else if (c->fmt == FMT_TABLE)
		printf("backup: %s\n", d.busy ? "another process is taking "
		    "today's backup" : "today's backup is already there");
	return RC_OK;
}

int
cli_backup(struct cli *c)
{
	struct rc_backup b;
	int rc;

	if (c->daily)
		return backup_daily_run(c);
	if ((rc = backup_take(c->db, c->pos[0], &b)) != RC_OK)
		return cli_fail(c, rc);
	print_backup(c, &b, "backup");
	return RC_OK;
}

/* DEST, or --daily, and not both: usage errors. */
int
cli_backup_check(const struct cli *c)
{
	if (c->daily && c->npos > 0) {
		cli_error("backup takes DEST or --daily, not both");
		return RC_USAGE;
	}
	if (!c->daily && c->npos == 0) {
		cli_error("backup needs DEST (or --daily)");
		return RC_USAGE;
	}
	if (c->npos > 0 && c->pos[0][0] == '\0') {
		cli_error("the backup path is empty");
		return RC_REFUSED;
	}
	return RC_OK;
}

/* ---- status ----------------------------------------------------------- */

/* "2025-09-01 08:30" in local time. */
static void
local_minute(int64_t us, char *buf, size_t len)
{
	struct rc_local l;
	char day[16], hhmm[8];

	clock_to_local(us, &l);
	clock_format_day(l.day, day);
	clock_format_hhmm(l.sec, hhmm);
	snprintf(buf, len, "%s %s", day, hhmm);
}

void
cli_backup_status_rows(struct cli_table *t, const struct rc_backup_state *s)
{
	char last[PATH_MAX + 64], when[32], failed[sizeof(s->failure) + 48];
	char auto_[sizeof(s->set.dir) + 64];
	const char *cells[2];

	cells[0] = "backup";
	if (s->last_at) {
		local_minute(s->last_at, when, sizeof(when));
		snprintf(last, sizeof(last), "%s, %s", when, s->last_path);
	} else
		snprintf(last, sizeof(last), "none yet");
	cells[1] = last;
	cli_table_add(t, cells);
	cells[0] = "daily";
	if (s->set.dir[0])
		snprintf(auto_, sizeof(auto_), "into %s, %zu kept of %u",
		    s->set.dir, s->kept, s->set.keep);
	else
		snprintf(auto_, sizeof(auto_), "no automatic backups "
		    "(backup-dir is not set)");
	cells[1] = auto_;
	cli_table_add(t, cells);
	if (s->failed_at) {
		local_minute(s->failed_at, when, sizeof(when));
		snprintf(failed, sizeof(failed), "%s: %s", when, s->failure);
		cells[0] = "daily fail";
		cells[1] = failed;
		cli_table_add(t, cells);
	}
}

void
cli_backup_status_fields(const struct rc_backup_state *s, char *at,
    struct cli_field *f)
{
	if (s->last_at)
		clock_format_utc(s->last_at, at);
	f[0] = (struct cli_field){ "last_backup", CF_STR,
	    s->last_at ? at : NULL, 0 };
	f[1] = (struct cli_field){ "backup_error", CF_STR,
	    s->failed_at ? s->failure : NULL, 0 };
}
