/*
 * cli.h - the command line (SPEC section 3).
 *
 * cli_main() is the whole front end: it parses argv, opens the database,
 * runs one command or query and prints its result.  The rest of this
 * header is shared by src/cli*.c only: the options and the command
 * table, a parsed run (struct cli), the commands' functions, and the
 * helpers that print tables, CSV and JSON.
 */
#ifndef ROLLCALL_CLI_H
#define ROLLCALL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "clock.h"
#include "db.h"

/* Run rollcall with argv; returns the process exit status (RC_*). */
int cli_main(int argc, char **argv);

/* ---- the command table (src/cli_commands.c) -------------------------- */

#define TIME_ARG "YYYY-MM-DDTHH:MM[:SS]"

/*
 * Options: enum, long name, argument (NULL for a flag), help.  A new
 * option is one row; at most 32 (a command's options are a bit set).
 */
#define CLI_OPTIONS(X) \
	X(OPT_NAME, "name", "NAME", \
	    "the student's name (1 to 100 characters)") \
	X(OPT_EMAIL, "email", "EMAIL", \
	    "the student's email address") \
	X(OPT_GENDER, "gender", "GENDER", "female, male or other") \
	X(OPT_CODE, "code", "CODE", \
	    "student number: 1-32 of A-Z a-z 0-9 - _ .") \
	X(OPT_CLEAR, "clear", "FIELD", \
	    "remove a detail: email, code or gender") \
	X(OPT_AT, "at", TIME_ARG, \
	    "local arrival time, not in the future (default: now)") \
	X(OPT_DAY, "day", "YYYY-MM-DD", \
	    "the day (default: today)") \
	X(OPT_TO, "to", "YYYY-MM-DD", "the last day of the range") \
	X(OPT_REASON, "reason", "TEXT", \
	    "why (excuse: a reason code)") \
	X(OPT_NOTE, "note", "TEXT", "a note kept with the excuse") \
	X(OPT_WITHDRAW, "withdraw", NULL, \
	    "take back the excused days of the range") \
	X(OPT_STUDENT, "student", "STUDENT", "only this student") \
	X(OPT_BELOW, "below", "PCT", \
	    "only rates below PCT (0 to 100)") \
	X(OPT_CHRONIC, "chronic", NULL, \
	    "only chronically absent students") \
	X(OPT_SORT, "sort", "KEY", "name (default) or rate") \
	X(OPT_UNSET, "unset", NULL, "back to the default") \
	X(OPT_ALL, "all", NULL, "include removed students") \
	X(OPT_MERGE, "merge", NULL, \
	    "update the students a row matches instead of refusing it") \
	X(OPT_FROM, "from", "SEQ", \
	    "start at event number SEQ (default: 1); a day for ranges") \
	X(OPT_FOLLOW, "follow", NULL, \
	    "keep printing events as they are appended") \
	X(OPT_YES, "yes", NULL, \
	    "erase: yes, destroy it for good (it cannot be undone)") \
	X(OPT_DAILY, "daily", NULL, \
	    "the automatic backup into backup-dir, if none of today") \
	X(OPT_STREAM, "stream", "NAME", \
	    "the JetStream stream (default: ROLLCALL-<origin>)") \
	X(OPT_ORIGIN, "origin", "ORIGIN", \
	    "the origin of the database to copy (its status shows it)") \
	X(OPT_FORMAT, "format", "FORMAT", \
	    "table (default), csv or json") \
	X(OPT_DB, "db", "DIR", "use the database in directory DIR") \
	X(OPT_AS, "as", "NAME", \
	    "who is at the desk (default: $ROLLCALL_ACTOR, else the login)") \
	X(OPT_BOM, "bom", NULL, \
	    "with --format csv: start with a UTF-8 byte order mark") \
	X(OPT_QUIET, "quiet", NULL, \
	    "the desk: no beep or flash on a refused check-in") \
	X(OPT_HELP, "help", NULL, "show this help and exit") \
	X(OPT_VERSION, "version", NULL, "show the version and exit")

enum opt {
#define X(sym, name, arg, help) sym,
	CLI_OPTIONS(X)
#undef X
	OPT_COUNT
};

#define BIT(o) (1u << (o))
/* Every command takes these. */
#define COMMON (BIT(OPT_FORMAT) | BIT(OPT_DB) | BIT(OPT_AS) | \
    BIT(OPT_BOM) | BIT(OPT_HELP) | BIT(OPT_VERSION))

enum {
	CMD_JSONL = 1,		/* --format jsonl too */
	CMD_ANY_OPT = 2,	/* needs at least one of its options */
	CMD_DAY_ARG = 4,	/* its argument is a day, as --day */
	CMD_WRITES = 8,		/* appends events: check the author first */
	CMD_NO_DB = 16,		/* runs without opening the database */
	CMD_AS_IS = 32,		/* reads the database as found (verify) */
	CMD_RANGE = 64,		/* --from and --to are days */
	CMD_CONTACT = 128,	/* needs --email or --code (SPEC 8) */
	CMD_URL = 256		/* --from or --to is a server (SPEC 9) */
};

struct cli;

/*
 * One command line command.  Commands sharing a name and each with a
 * `sub` form a family ("import students", "import attendance").
 */
struct cli_command {
	const char *name;
	const char *sub;	/* second word ("import students"), or NULL */
	const char *args;	/* positional arguments, for the synopsis */
	int minpos, maxpos;
	unsigned opts;		/* options it takes besides COMMON */
	unsigned need;		/* options it cannot do without */
	unsigned flags;		/* CMD_* */
	int (*check)(const struct cli *); /* before the db opens, or NULL */
	int (*run)(struct cli *);
	const char *summary;	/* one line for rollcall --help */
	const char *about;	/* more for rollcall COMMAND --help */
};

/* Every command, in the order rollcall --help lists them. */
extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

/* ---- one run of a command, for src/cli*.c ----------------------------- */

enum cli_format { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_JSONL };

/*
 * A command ready to run: the database is open and every option has been
 * checked and parsed.  Strings point into argv.
 */
struct cli {
	rc_db *db;
	char **pos;		/* positional arguments after the command */
	int npos;
	enum cli_format fmt;
	struct rc_local now;	/* the clock when the command started */
	const char *name, *email, *gender, *reason;
	const char *code, *clear_name;	/* --code, --clear (SPEC 8) */
	unsigned clear;		/* --clear as UPD_* bits */
	int all, follow;
	int merge;		/* import students --merge */
	int daily;		/* backup --daily */
	int has_at;
	struct rc_local at;	/* --at */
	int32_t day;		/* --day or the day argument, else today */
	uint64_t from;		/* --from, else 1 */
	/* SPEC 9: publish --to, replica --from, --stream, --origin */
	const char *to_url, *from_url, *stream, *origin;
	int out_closed;		/* stdout went away (events --follow) */
	const char *source;	/* of the events written: NULL is "cli" */
	/* Every option as given (NULL if not), and BIT(opt) of each seen. */
	const char *opt[OPT_COUNT];
	unsigned seen;
	/* SPEC 6: day ranges, excuses and reports */
	int has_day;		/* --day or the day argument given */
	int has_from_day, has_to;
	int32_t from_day, to;	/* --from and --to of a day range */
	const char *note, *student, *sort;
	int withdraw, chronic, unset;
	int32_t below;		/* --below in thousandths of a %, else -1 */
};

struct cli_table;
struct cli_field;

/* The changing commands (src/cli_change.c); each returns an RC_* code. */
int cli_add(struct cli *c);
int cli_edit(struct cli *c);
int cli_remove(struct cli *c);
int cli_restore(struct cli *c);
int cli_checkin(struct cli *c);
int cli_void(struct cli *c);
int cli_import_students(struct cli *c);
int cli_import_attendance(struct cli *c);
int cli_config(struct cli *c);
int cli_rebuild(struct cli *c);
int cli_verify(struct cli *c);
int cli_backup(struct cli *c);
int cli_pin_set(struct cli *c);		/* src/cli_pin.c */
int cli_pin_clear(struct cli *c);
int cli_kiosk(struct cli *c);
/* Read and check the PIN before the database opens. */
int cli_pin_set_check(const struct cli *c);
int cli_pin_clear_check(const struct cli *c);

/* School days, absences and reports (src/cli_school.c). */
int cli_excuse(struct cli *c);
int cli_checkout(struct cli *c);
int cli_close(struct cli *c);
int cli_reopen(struct cli *c);
int cli_calendar(struct cli *c);
int cli_report(struct cli *c);
int cli_excuse_check(const struct cli *c);
int cli_report_check(const struct cli *c);

/*
 * The calendar settings for `config` (cli_school.c): one key, or (key
 * NULL) the table rows after the policy's; cli_config_all prints the
 * policy's fields and the calendar's as one CSV or JSON record.
 */
int cli_config_calendar_show(struct cli *c, const char *key);
int cli_config_calendar_rows(struct cli *c, struct cli_table *t);
int cli_config_all(struct cli *c, const struct cli_field *policy, size_t n);

/* Beyond one machine (src/cli_ship.c). */
int cli_publish(struct cli *c);
int cli_replica(struct cli *c);
int cli_publish_check(const struct cli *c);
int cli_replica_check(const struct cli *c);

/* Checks run before the database is opened: RC_OK or RC_REFUSED. */
int cli_import_students_check(const struct cli *c);
int cli_import_attendance_check(const struct cli *c);
int cli_config_check(const struct cli *c);
int cli_backup_check(const struct cli *c);

/* The queries' output (src/cli_show.c); each returns an RC_* code. */
int cli_students(struct cli *c);
int cli_student(struct cli *c);
int cli_day(struct cli *c);
int cli_events(struct cli *c);
int cli_status(struct cli *c);
int cli_history(struct cli *c);		/* src/cli_history.c */
int cli_compact(struct cli *c);		/* src/cli_history.c */
int cli_erase(struct cli *c);		/* src/cli_erase.c */

/*
 * The backup rows of status, and its two JSON fields (src/cli_backup.c);
 * the fields point into s and into at (32 bytes).
 */
struct rc_backup_state;
struct cli_table;
struct cli_field;
void cli_backup_status_rows(struct cli_table *t,
    const struct rc_backup_state *s);
void cli_backup_status_fields(const struct rc_backup_state *s, char *at,
    struct cli_field *f);

/* Print db_error() of a failed core call; returns rc. */
int cli_fail(struct cli *c, int rc);

/* ---- output helpers (src/cli_format.c) -------------------------------- */

/*
 * One named value of a record printed as CSV or JSON.  CF_TEXT is text
 * that came from users (name, email, code, reason, note, actor, desk):
 * in CSV it gets the formula guard (SPEC 3).  CF_STR is text of ours
 * (ids, days, statuses, numbers as text), never prefixed.
 */
enum cli_kind {
	CF_STR, CF_INT, CF_BOOL,
	CF_RATE,	/* n: tenths of a percent as 93.8; -1 null / empty */
	CF_TEXT		/* s, as CF_STR but guarded in CSV */
};

struct cli_field {
	const char *key;
	enum cli_kind kind;
	const char *s;		/* CF_STR, CF_TEXT; NULL: null / empty */
	long long n;		/* CF_INT, CF_BOOL */
};

/* Print "rollcall: <message>" on stderr, control characters escaped. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Out of memory: print the error line and exit 3. */
void cli_oom(void) __attribute__((noreturn));

/* A JSON string of s, escaped first if it is not valid UTF-8. */
json_t *cli_json_str(const char *s);

/* Set obj[key] = val (stolen), exiting through cli_oom() on failure. */
void cli_json_set(json_t *obj, const char *key, json_t *val);

/* An object of the fields (a null string becomes null). */
json_t *cli_fields_json(const struct cli_field *f, size_t n);

/* Print value (stolen) on stdout: compact on one line, or indented. */
void cli_json_print(json_t *value, int compact);

/*
 * JSON streamed on stdout (src/cli_json.c) in cli_json_print's indented
 * layout.  cli_jw_item starts item i (0, 1, ...) of an array or object
 * at depth; cli_jw_close ends one that had n items with c (']' or '}');
 * cli_jw_fields writes an object of the fields at depth, left open when
 * more is set for keys the caller adds with cli_jw_item(n + k, depth + 1)
 * and cli_jw_key, then closes with cli_jw_close('}', n + k, depth).
 */
void cli_jw_str(const char *s);
void cli_jw_int(long long v);
void cli_jw_key(const char *key);
void cli_jw_item(size_t i, int depth);
void cli_jw_close(char c, size_t n, int depth);
void cli_jw_fields(const struct cli_field *f, size_t n, int depth, int more);
/* Item i of an object whose keys are at depth: the field's key and value. */
void cli_jw_field(const struct cli_field *f, size_t i, int depth);
/*
 * A jansson value (not stolen) in the same layout, as the value of an
 * item at depth: one row's tree, never the whole answer's.
 */
void cli_jw_json(const json_t *v, int depth);

/*
 * jansson's text of v (json_dumpb flags), NUL-terminated, in a buffer
 * kept for the whole run: returns its offset (cli_json_text_at makes it
 * a pointer, valid until the next call) and its length in *len.  Texts
 * pile up until cli_json_text_reset, so a row can hold several; nothing
 * is allocated per row once the buffer is large enough.
 */
size_t cli_json_text(const json_t *v, size_t flags, size_t *len);
const char *cli_json_text_at(size_t at);
void cli_json_text_reset(void);

/* stdout fully buffered in a large buffer when it is not a terminal. */
void cli_buffer_stdout(void);

/*
 * v in decimal into buf (CLI_INT_TEXT + 1 bytes), NUL-terminated;
 * returns its length.  By hand: snprintf costs some 1,000 instructions
 * a number, and listings print several a row.
 */
#define CLI_INT_TEXT 20
size_t cli_int_text(long long v, char *buf);

/*
 * A line built in memory and written in one piece: a stdio call per
 * cell and separator cost more than the text (a day's CSV made some
 * 40,000).  Start with n = 0, put, then flush; a line longer than the
 * buffer goes out as it fills.
 */
struct cli_line {
	size_t n;
	char buf[2048];
};
void cli_line_put(struct cli_line *l, const char *s, size_t n);
void cli_line_ch(struct cli_line *l, char c);
void cli_line_flush(struct cli_line *l);

/* One CSV line (RFC 4180 quoting): the keys, or the values. */
void cli_csv_header(const struct cli_field *f, size_t n);
/* --bom: the next CSV header starts with a UTF-8 byte order mark. */
void cli_csv_bom(int on);
void cli_csv_row(const struct cli_field *f, size_t n);

/* A record as CSV (header and one row) or as an indented JSON object. */
void cli_record(enum cli_format fmt, const struct cli_field *f, size_t n);

/*
 * A table for people: cells are escaped as they are added and columns
 * are sized by display width when printed.  `right` has bit i set when
 * column i is right-aligned (numbers); headers may be NULL for none.
 */
struct cli_table;
struct cli_table *cli_table_new(size_t ncols, const char *const *headers,
    unsigned right);
void cli_table_add(struct cli_table *t, const char *const *cells);
size_t cli_table_rows(const struct cli_table *t);
void cli_table_print(const struct cli_table *t, const char *indent);
void cli_table_free(struct cli_table *t);
/*
 * The same table streamed, keeping nothing per row: cli_table_measure
 * every row first, then cli_table_put each again (the header line goes
 * out before the first; cli_table_head alone prints it for a table with
 * no rows).  Not mixed with cli_table_add on one table.
 */
void cli_table_measure(struct cli_table *t, const char *const *cells);
void cli_table_put(struct cli_table *t, const char *const *cells,
    const char *indent);
void cli_table_head(struct cli_table *t, const char *indent);

/* Points for people: "+5", "-5", "0". */
void cli_points(int32_t points, char *buf, size_t len);

/* s with control characters escaped, malloc'd (never NULL). */
char *cli_escape(const char *s);

#endif
