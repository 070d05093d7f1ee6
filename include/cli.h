/*
 * cli.h - the command line (SPEC section 3).
 *
 * cli_main() is the whole front end: it parses argv, opens the database,
 * runs one command or query and prints its result.  The rest of this
 * header is shared by src/cli.c and src/cli_format.c only: the output
 * formats and the helpers that print tables, CSV and JSON.
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
	int all, follow;
	int merge;		/* import students --merge */
	int has_at;
	struct rc_local at;	/* --at */
	int32_t day;		/* --day or the day argument, else today */
	uint64_t from;		/* --from, else 1 */
	int out_closed;		/* stdout went away (events --follow) */
	const char *source;	/* of the events written: NULL is "cli" */
};

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

/* Checks run before the database is opened: RC_OK or RC_REFUSED. */
int cli_import_students_check(const struct cli *c);
int cli_import_attendance_check(const struct cli *c);
int cli_config_check(const struct cli *c);

/* The queries' output (src/cli_show.c); each returns an RC_* code. */
int cli_students(struct cli *c);
int cli_student(struct cli *c);
int cli_day(struct cli *c);
int cli_events(struct cli *c);
int cli_status(struct cli *c);
int cli_history(struct cli *c);		/* src/cli_history.c */

/* Print db_error() of a failed core call; returns rc. */
int cli_fail(struct cli *c, int rc);

/* ---- output helpers (src/cli_format.c) -------------------------------- */

/* One named value of a record printed as CSV or JSON. */
enum cli_kind { CF_STR, CF_INT, CF_BOOL };

struct cli_field {
	const char *key;
	enum cli_kind kind;
	const char *s;		/* CF_STR; NULL prints null / empty */
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

/* Points for people: "+5", "-5", "0". */
void cli_points(int32_t points, char *buf, size_t len);

/* s with control characters escaped, malloc'd (never NULL). */
char *cli_escape(const char *s);

#endif
