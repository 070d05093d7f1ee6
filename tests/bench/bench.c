/*
 * bench.c - rollcall's figures through the core API, in-process
 * (WORKLOAD.md).  Each subcommand prints "name value unit" lines that
 * run.sh collects.  Check-in latency and queries are pair.c's.
 *
 *   bench ingest DIR WORKDIR REG_NOW END_NOW
 *       import roster.csv (clock at REG_NOW) then attendance.csv (clock at
 *       END_NOW): events per second, durable at the end
 *   bench rebuild DIR      command_rebuild: events per second
 *   bench verify DIR       command_verify: events per second
 *   bench copy DIR DEST    the backup's copy into DEST/data.mdb (DEST
 *       exists; pagecopy_write: the copy and its sync, no verify): MB/s
 *       of the file written, and "copy_span START END" (CLOCK_MONOTONIC
 *       ns), when it ran
 *   bench now              CLOCK_MONOTONIC in ns (a span's ends in sh)
 *
 * ROLLCALL_NOW (and TZ) come from the environment, as for the CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "command.h"
#include "db.h"
#include "pagecopy.h"
#include "query.h"
#include "util.h"

static rc_db *
open_db(const char *dir)
{
	char err[512];
	rc_db *db;

	if (db_open(dir, &db, err, sizeof(err)) != RC_OK)
		util_die("%s", err);
	return db;
}

static void
check(rc_db *db, int rc, const char *what)
{
	if (rc != RC_OK)
		util_die("%s: %s", what, db_error(db));
}

static void
bad_row(void *ctx, unsigned long line, const char *reason)
{
	fprintf(stderr, "bench: %s:%lu: %s\n", (const char *)ctx, line,
	    reason);
}

static uint64_t
head_of(rc_db *db)
{
	struct rc_status st;

	check(db, query_status(db, &st), "status");
	return st.head;
}

static void
set_now(const char *now)
{
	if (setenv("ROLLCALL_NOW", now, 1) != 0)
		util_die("setenv");
}

/* ---- ingest ----------------------------------------------------------- */

static int
cmd_ingest(int argc, char **argv)
{
	char roster[4096], att[4096];
	size_t ns = 0, na = 0;
	uint64_t t0, t1, t2;
	rc_db *db;

	if (argc != 6)
		util_die("usage: bench ingest DIR WORKDIR REG_NOW END_NOW");
	snprintf(roster, sizeof(roster), "%s/roster.csv", argv[3]);
	snprintf(att, sizeof(att), "%s/attendance.csv", argv[3]);
	db = open_db(argv[2]);
	set_now(argv[4]);
	t0 = util_now_ns();
	check(db, command_import_students(db, roster, bad_row, roster, &ns),
	    "import students");
	t1 = util_now_ns();
	set_now(argv[5]);
	check(db, command_import_attendance(db, att, bad_row, att, &na),
	    "import attendance");
	t2 = util_now_ns();
	util_figure("ingest", (double)(ns + na) * 1e9 / (double)(t2 - t0),
	    "events/s");
	util_figure("ingest_attendance", (double)na * 1e9 / (double)(t2 - t1),
	    "events/s");
	db_close(db);
	return 0;
}

/* ---- rebuild and verify ----------------------------------------------- */

static void
diff_line(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, "bench: verify: %s\n", what);
}

static int
cmd_replay(int argc, char **argv, int verify)
{
	uint64_t t0, t, head;
	rc_db *db;
	int rc;

	if (argc != 3)
		util_die("usage: bench rebuild|verify DIR");
	db = open_db(argv[2]);
	check(db, db_catch_up(db), "catch up");
	head = head_of(db);
	t0 = util_now_ns();
	if (verify)
		rc = command_verify(db, NULL, diff_line, NULL);
	else
		rc = command_rebuild(db, NULL, NULL);
	t = util_now_ns() - t0;
	check(db, rc, verify ? "verify" : "rebuild");
	util_figure(verify ? "verify" : "rebuild", (double)head * 1e9 /
	    (double)t, "events/s");
	db_close(db);
	return 0;
}

static int
cmd_rebuild(int argc, char **argv)
{
	return cmd_replay(argc, argv, 0);
}

static int
cmd_verify(int argc, char **argv)
{
	return cmd_replay(argc, argv, 1);
}

static int
cmd_copy(int argc, char **argv)
{
	char file[4096];
	uint64_t t0, t;
	rc_db *db;
	int rc;

	if (argc != 4)
		util_die("usage: bench copy DIR DEST");
	db = open_db(argv[2]);
	snprintf(file, sizeof(file), "%s/data.mdb", argv[3]);
	t0 = util_now_ns();
	rc = pagecopy_write(db, file);
	t = util_now_ns() - t0;
	if (rc != 0)
		util_die("copy: %s", mdb_strerror(rc));
	util_figure("copy_rate", (double)util_file_size(argv[3]) / 1048576.0 *
	    1e9 / (double)t, "MB/s");
	/* When it ran, for `pair split`: the check-ins made meanwhile. */
	printf("copy_span %llu %llu\n", (unsigned long long)t0,
	    (unsigned long long)(t0 + t));
	db_close(db);
	return 0;
}

/* CLOCK_MONOTONIC in ns, as the spans and samples of `pair split` use. */
static int
cmd_now(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%llu\n", (unsigned long long)util_now_ns());
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "ingest", cmd_ingest },
		{ "rebuild", cmd_rebuild }, { "verify", cmd_verify },
		{ "copy", cmd_copy }, { "now", cmd_now },
	};
	size_t i;

	for (i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	fprintf(stderr, "usage: bench ingest|rebuild|verify|copy|now ...\n");
	return 2;
}
