/*
 * cli_commands.c - the command line's commands, one row each: name,
 * arguments, options, flags, the function that runs it and its help.
 * cli.c parses, checks, dispatches and writes every help text from this
 * table.  A new command is one row here and its function (in
 * cli_change.c for changes, cli_show.c for queries, or a cli_NAME.c of
 * its own); a new option is one row of CLI_OPTIONS in cli.h.
 */
#include "cli.h"

/*
 * Row: name, sub, args, minimum and maximum arguments, options taken,
 * options required, CMD_* flags, check (before the database opens) or
 * NULL, run, summary, about.
 */
const struct cli_command cli_commands[] = {
	{ "add", NULL, "", 0, 0,
	    BIT(OPT_NAME) | BIT(OPT_EMAIL) | BIT(OPT_CODE) | BIT(OPT_GENDER),
	    BIT(OPT_NAME), CMD_WRITES | CMD_CONTACT, NULL, cli_add,
	    "register a student; prints the new id",
	    "Registers a student and prints the new id alone on a line\n"
	    "(json: {\"id\": ...}).  A student needs an email or a code\n"
	    "(the student number on their card), or both." },
	{ "edit", NULL, "STUDENT", 1, 1,
	    BIT(OPT_NAME) | BIT(OPT_EMAIL) | BIT(OPT_CODE) | BIT(OPT_GENDER) |
	    BIT(OPT_CLEAR), 0,
	    CMD_ANY_OPT | CMD_WRITES, NULL, cli_edit,
	    "correct a student's name, email, code or gender",
	    "Corrects a student's details, validated as for add.  Give at\n"
	    "least one of --name, --email, --code, --gender and --clear\n"
	    "(email, code or gender; a student keeps an email or a code)." },
	{ "remove", NULL, "STUDENT", 1, 1, 0, 0, CMD_WRITES, NULL,
	    cli_remove,
	    "remove a student (their history is kept)",
	    "Removes a student: hidden from the roster, no more check-ins;\n"
	    "their events stay in the log and their email becomes free." },
	{ "restore", NULL, "STUDENT", 1, 1, 0, 0, CMD_WRITES, NULL,
	    cli_restore,
	    "re-admit a removed student, with their history",
	    "Re-admits a removed student with their whole history.  Refused\n"
	    "when the student is not removed, or an active student has\n"
	    "taken their email since." },
	{ "checkin", NULL, "STUDENT", 1, 1, BIT(OPT_AT), 0, CMD_WRITES, NULL,
	    cli_checkin,
	    "record a student's arrival, now or at a past time",
	    "Records an arrival now, or at a past time with --at (never the\n"
	    "future); prints name, day, arrival, status, points and the new\n"
	    "total.  One check-in per student per day." },
	{ "void", NULL, "STUDENT", 1, 1, BIT(OPT_DAY) | BIT(OPT_REASON), 0,
	    CMD_WRITES, NULL, cli_void,
	    "void a day's check-in (default today)",
	    "Voids the student's check-in of a day (default today).  The\n"
	    "check-in stays in the log but counts for nothing, and the\n"
	    "student may check in again that day." },
	{ "students", NULL, "", 0, 0, BIT(OPT_ALL), 0, 0, NULL,
	    cli_students,
	    "the roster with points and day counts",
	    "Lists the roster sorted by name in the database's collation\n"
	    "(config collation; accents count, case does not; then id),\n"
	    "with points and the days present, early, on time and late." },
	{ "student", NULL, "STUDENT", 1, 1, 0, 0, 0, NULL, cli_student,
	    "one student's details and attendance, by day",
	    "Shows one student's details, figures and attendance record,\n"
	    "by day, voided check-ins included and marked." },
	{ "day", NULL, "[YYYY-MM-DD]", 0, 1, 0, 0, CMD_DAY_ARG, NULL,
	    cli_day,
	    "who was present and who was absent on a day",
	    "Shows who was present on a day (default today), with arrival,\n"
	    "status and any early departure, and the students enrolled that\n"
	    "day who were absent (excused or not).  A day that is not a\n"
	    "school day has no absent list; today it lists those not in yet." },
	{ "excuse", NULL, "STUDENT", 1, 1,
	    BIT(OPT_DAY) | BIT(OPT_TO) | BIT(OPT_REASON) | BIT(OPT_NOTE) |
	    BIT(OPT_WITHDRAW), BIT(OPT_DAY), CMD_WRITES, cli_excuse_check,
	    cli_excuse,
	    "excuse an absence (a range of days), or --withdraw it",
	    "Records an excused absence for each school day from --day to\n"
	    "--to (default: that day), up to a year ahead.  --reason is one\n"
	    "of illness, medical, family, religious, school_activity, other.\n"
	    "An excused late arrival costs no points.  With --withdraw, takes\n"
	    "back the excused days of the range." },
	{ "checkout", NULL, "STUDENT", 1, 1, BIT(OPT_AT) | BIT(OPT_REASON),
	    0, CMD_WRITES, NULL, cli_checkout,
	    "record an early departure, now or at a past time",
	    "Records that a student checked in today (or on the day of --at)\n"
	    "left early: once a day, not before the arrival." },
	{ "close", NULL, "YYYY-MM-DD", 1, 1, BIT(OPT_TO) | BIT(OPT_REASON),
	    BIT(OPT_REASON), CMD_DAY_ARG | CMD_WRITES, NULL, cli_close,
	    "close school days (holiday, snow day)",
	    "Closes a day, or every day to --to (a year at most): closed days\n"
	    "are not school days, in every report, past days included." },
	{ "reopen", NULL, "YYYY-MM-DD", 1, 1, BIT(OPT_TO), 0,
	    CMD_DAY_ARG | CMD_WRITES, NULL, cli_reopen,
	    "reopen closed days",
	    "Reopens the closed days of a day, or of the range to --to." },
	{ "calendar", NULL, "", 0, 0, BIT(OPT_FROM) | BIT(OPT_TO), 0,
	    CMD_RANGE, NULL, cli_calendar,
	    "the days of a range: school day, weekend or closed",
	    "Lists each day from --from to --to (default: this month): its\n"
	    "weekday, whether it is a school day, and why it is closed." },
	{ "report", NULL, "", 0, 0, BIT(OPT_FROM) | BIT(OPT_TO) |
	    BIT(OPT_STUDENT) | BIT(OPT_BELOW) | BIT(OPT_CHRONIC) |
	    BIT(OPT_SORT), 0, CMD_RANGE, cli_report_check, cli_report,
	    "attendance rates over a range of school days",
	    "The attendance report from --from (default: term-start, else\n"
	    "the first day) to --to (default: today): per student enrolled\n"
	    "on a school day of the range, the school days, present (early,\n"
	    "on time, late), excused, absent, left early, the rate, whether\n"
	    "chronically absent (10% or more of at least 10 school days) and\n"
	    "the points.  --sort rate puts the lowest rates first." },
	{ "events", NULL, "", 0, 0, BIT(OPT_FROM) | BIT(OPT_FOLLOW), 0,
	    CMD_JSONL, NULL, cli_events,
	    "the event log; --follow keeps printing new events",
	    "Prints the event log, one event per line.  With --follow it\n"
	    "keeps printing events as they are appended, until interrupted.\n"
	    "--format also takes jsonl: one JSON object per line." },
	{ "import", "students", "FILE", 1, 1, BIT(OPT_MERGE), 0, CMD_WRITES,
	    cli_import_students_check, cli_import_students,
	    "register students from a CSV file",
	    "Registers the students of a CSV file: a header row naming the\n"
	    "columns name, email and optionally gender, in any order; any\n"
	    "other column is named in one warning and ignored.  With --merge\n"
	    "a row whose email matches an active student updates what differs\n"
	    "(an empty cell keeps the stored value), so a corrected class list\n"
	    "can be imported again.\n"
	    "All or nothing: on any bad row nothing is imported and each bad\n"
	    "row is reported as FILE:LINE: reason." },
	{ "import", "attendance", "FILE", 1, 1, 0, 0, CMD_WRITES,
	    cli_import_attendance_check, cli_import_attendance,
	    "record historic check-ins from a CSV file",
	    "Records historic check-ins from a CSV file with the columns\n"
	    "student (id or email) and arrived_at (local " TIME_ARG ").\n"
	    "All or nothing: on any bad row nothing is imported and each bad\n"
	    "row is reported as FILE:LINE: reason." },
	{ "config", NULL, "[KEY [VALUE]]", 0, 2, BIT(OPT_UNSET), 0, 0,
	    cli_config_check, cli_config,
	    "show or change the settings",
	    "With no KEY shows every setting; with KEY shows it; with KEY\n"
	    "and VALUE changes it (an event; past check-ins keep their\n"
	    "points); KEY --unset returns it to its default.  Keys:\n"
	    "start-time (HH:MM), window-minutes (1-120), points (0-1000),\n"
	    "school-days (a comma list of mon ... sun), term-start and\n"
	    "term-end (YYYY-MM-DD, optional), backup-dir (a directory for\n"
	    "the desk's daily backups; unset: none), backup-keep (how many\n"
	    "of them to keep, 1-1000, 14), quiet (on: the desk never beeps\n"
	    "or flashes on a refusal, like --quiet; off), collation (the name\n"
	    "order: a language tag such as sv or de, default root)." },
	{ "rebuild", NULL, "", 0, 0, 0, 0, 0, NULL, cli_rebuild,
	    "discard the read side and replay the whole log",
	    "Throws the read side away and rebuilds it from the event log." },
	{ "verify", NULL, "", 0, 0, 0, 0, CMD_AS_IS, NULL, cli_verify,
	    "check the hash chain and the read side against the log",
	    "Replays the log into a temporary directory ($TMPDIR, default\n"
	    "/tmp), compares the result with the stored read side and checks\n"
	    "the hash chain.  Each difference is reported on stderr and the\n"
	    "exit status is 1." },
	{ "erase", NULL, "STUDENT", 1, 1, BIT(OPT_YES), BIT(OPT_YES),
	    CMD_WRITES, NULL, cli_erase,
	    "erase a removed student's personal data, for good",
	    "Destroys the key that a removed student's personal data (name,\n"
	    "email, code, gender) is sealed under, and records that it was\n"
	    "erased: from then on the student shows everywhere as [erased],\n"
	    "with their id and figures, and cannot be restored.  After the\n"
	    "next compact no byte of it is left in the database file; backups\n"
	    "taken before still hold it.  Refused for an active student and\n"
	    "for one an earlier release recorded in clear text.  Needs --yes." },
	{ "compact", NULL, "", 0, 0, 0, 0, CMD_AS_IS, NULL, cli_compact,
	    "rewrite the database file at its smallest, without stale bytes",
	    "Copies every record into a fresh file beside the database,\n"
	    "syncs it and renames it over data.mdb: the smallest file with\n"
	    "the same data, and no stale bytes left in unused page space.\n"
	    "Refused while another rollcall process has the database open." },
	{ "history", NULL, "STUDENT", 1, 1, 0, 0, 0, NULL, cli_history,
	    "every event about one student: who, where, what",
	    "Lists every event about one student, oldest first: sequence,\n"
	    "time recorded (UTC), type, actor, desk, source and a one-line\n"
	    "summary.  Events written before actors were recorded show -." },
	{ "backup", NULL, "DEST", 0, 1, BIT(OPT_DAILY), 0, 0,
	    cli_backup_check, cli_backup,
	    "write a verified copy of the database to a new directory",
	    "Writes a consistent, compacted copy of the database into the\n"
	    "new directory DEST while desks keep working, syncs it, checks\n"
	    "that it opens and verifies, and prints its path, event count\n"
	    "and size.  DEST must not exist.  With --daily instead of DEST:\n"
	    "the automatic backup into backup-dir (named by date and time),\n"
	    "unless one of today is there, keeping the newest backup-keep.\n"
	    "Restoring is copying a backup back: see rollcall(1)." },
	{ "pin", "set", "", 0, 0, 0, 0, CMD_WRITES, cli_pin_set_check,
	    cli_pin_set,
	    "set the admin PIN that guards the kiosk",
	    "Sets the admin PIN (4 to 64 characters) that the kiosk asks\n"
	    "for before it quits or opens the desk.  On a terminal it is\n"
	    "read twice without echo; otherwise one line from standard\n"
	    "input.  Only its Argon2id hash is stored, and never shown." },
	{ "pin", "clear", "", 0, 0, 0, 0, CMD_WRITES, cli_pin_clear_check,
	    cli_pin_clear,
	    "clear the admin PIN (asks for it)",
	    "Clears the admin PIN after asking for it (without echo on a\n"
	    "terminal, else one line from standard input).  Without a PIN\n"
	    "the kiosk does not start." },
	{ "kiosk", NULL, "", 0, 0, BIT(OPT_QUIET), 0, CMD_WRITES, NULL,
	    cli_kiosk,
	    "self check-in for students (needs the admin PIN set)",
	    "Opens the kiosk: a full-screen prompt where students check\n"
	    "themselves in with their card or code.  Quitting it, or\n"
	    "opening the desk, asks for the admin PIN (see pin set).\n"
	    "--quiet: no beep or flash for an unknown or repeated card." },
	{ "publish", NULL, "", 0, 0,
	    BIT(OPT_TO) | BIT(OPT_STREAM) | BIT(OPT_FOLLOW), BIT(OPT_TO),
	    CMD_URL, cli_publish_check, cli_publish,
	    "send the log to a NATS JetStream stream, each event once",
	    "Sends every event the stream does not have yet, in order, one\n"
	    "message per event on the subject rollcall.<origin>, to the\n"
	    "database's stream (created if missing).  Exactly once: run it\n"
	    "again, kill it or restart the server and nothing is sent twice\n"
	    "or skipped.  With --follow it keeps sending new events and\n"
	    "waits out a server that went away." },
	{ "replica", NULL, "", 0, 0,
	    BIT(OPT_FROM) | BIT(OPT_ORIGIN) | BIT(OPT_STREAM) |
	    BIT(OPT_FOLLOW), BIT(OPT_FROM) | BIT(OPT_ORIGIN), CMD_URL,
	    cli_replica_check, cli_replica,
	    "copy a database's published log into a read-only replica",
	    "Builds or extends, in --db DIR, a read-only replica of the\n"
	    "database ORIGIN from its stream at --from nats://HOST:PORT:\n"
	    "the same events, numbers and hashes, verified as they come,\n"
	    "with the read side projected, so every query works there.\n"
	    "With --follow it keeps copying new events.  Commands that\n"
	    "would change a replica refuse." },
	{ "status", NULL, "", 0, 0, 0, 0, 0, NULL, cli_status,
	    "head, checkpoint, projection errors, students, database",
	    "Shows the head sequence number, the projector's checkpoint,\n"
	    "projection errors, the student count, the database path and\n"
	    "size, and the policy in force." },
};

const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);
