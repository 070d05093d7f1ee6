/*
 * tui_app.h - TUI-internal: the application state, screens, key tables
 * and the drawing helpers they share.  Only src/tui*.c include this.
 *
 * A screen is a table of functions (struct tui_screen): `enter` when it
 * becomes current, `reload` when the database changed or the terminal
 * was resized, `draw` (const: drawing never changes state) and `input`
 * for keys no binding takes.  Key handlers return reactions (R_*) and
 * the main loop in tui.c owns painting, resizing and quitting.
 */
#ifndef ROLLCALL_TUI_APP_H
#define ROLLCALL_TUI_APP_H

#include <stddef.h>
#include <stdint.h>

#include "backup.h"
#include "backup_job.h"
#include "db.h"
#include "event.h"
#include "policy.h"
#include "query.h"
#include "query_school.h"
#include "tui_form.h"
#include "tui_screens.h"

/* Reactions of a key handler. */
enum {
	R_NONE = 0,
	R_REDRAW = 1 << 0,
	R_SWITCH = 1 << 1,	/* make app->next the current screen */
	R_QUIT = 1 << 2,
	R_RELOAD = 1 << 3,	/* we changed the database: reload, redraw */
	R_HELP = 1 << 4		/* show the help screen */
};

/*
 * Keys: characters are their Unicode code point; curses function keys
 * (KEY_UP, KEY_F(2)...) are shifted above Unicode so the two never
 * collide (KEY_* codes overlap code points 257-511).
 */
#define TK_FN(k) ((k) + 0x200000)
#define TK_CTRL(c) ((c) & 0x1f)
enum { TK_ESC = 27, TK_ENTER = '\n', TK_TAB = '\t' };

/* How many screens tui_screens.h lists. */
#define TUI_COUNT_ONE(sym, fkey, help) + 1
enum { SCR_COUNT = 0 TUI_SCREENS(TUI_COUNT_ONE) };

/* Colour roles (pairs); each has a monochrome attribute too. */
enum tui_role {
	ROLE_NORMAL, ROLE_HEADER, ROLE_TAB, ROLE_TAB_CUR, ROLE_FOOTER,
	ROLE_KEY, ROLE_TITLE, ROLE_SELECTED, ROLE_EARLY, ROLE_ON_TIME,
	ROLE_LATE, ROLE_OK, ROLE_ERROR, ROLE_DIM, ROLE_MARK, ROLE_BOX,
	ROLE_INPUT, ROLE_COUNT
};

struct app;
typedef int (*tui_key_fn)(struct app *, int key);

/*
 * One row of a key table: it both dispatches and writes the help screen.
 * A row whose label is NULL is an alias of the labelled row before it
 * (same action, same help line).  `foot` is the short name shown in the
 * footer, or NULL to show the key in help only.
 */
struct tui_binding {
	int key;
	const char *label;
	const char *help;
	tui_key_fn fn;
	const char *foot;
};

/*
 * A screen (one file each, listed in tui_screens.h).  The frame calls
 * start once when the desk opens, enter when the screen becomes
 * current, reload when the database changed or the terminal was
 * resized (current screen only), roster_loaded on every screen after
 * the shared roster was reloaded (indexes into it are stale), and free
 * when the desk closes.  Only name, fkey, enter, reload, draw and keys
 * are required.
 */
struct tui_screen {
	const char *name;
	const char *fkey;
	void (*enter)(struct app *);
	void (*reload)(struct app *);
	void (*draw)(const struct app *);
	int (*input)(struct app *, int key);	/* may be NULL */
	/* Where the cursor goes; returns 0 to hide it.  May be NULL. */
	int (*cursor)(const struct app *, int *y, int *x);
	const struct tui_binding *keys;
	size_t nkeys;
	/*
	 * While a line of the screen's own is being typed (the Roster's
	 * find), every key goes here first; returns -1 to let the key
	 * through to the bindings.  NULL on most screens.
	 */
	int (*grab)(struct app *, int key);
	void (*start)(struct app *);
	void (*roster_loaded)(struct app *);
	void (*free)(struct app *);
};

#define TUI_DECLARE(sym, fkey, help) extern const struct tui_screen sym;
TUI_SCREENS(TUI_DECLARE)
#undef TUI_DECLARE
extern const struct tui_screen *const tui_screens[SCR_COUNT];

/* Index of a screen in tui_screens (for app->next). */
int tui_screen_index(const struct tui_screen *scr);
extern const struct tui_binding tui_global_keys[];
extern const size_t tui_nglobal_keys;

/*
 * Folded "name \x01 email \n" of each roster row in one buffer, for
 * case-insensitive substring search without folding per keystroke.
 */
struct tui_fold {
	char *buf;
	uint32_t *off;		/* row i is buf[off[i] .. off[i+1]) */
	size_t n;
};

/* ---- per-screen state ---- */

#define CHECKIN_OUTCOMES 5	/* the last outcomes listed, newest first */

struct checkin_state {
	struct lineedit query;
	char outcome[CHECKIN_OUTCOMES][400];
	int outcome_role[CHECKIN_OUTCOMES];
	size_t noutcome;
	char needle[TUI_LINE_MAX];	/* folded, trimmed query */
	uint32_t *match;		/* roster indices */
	size_t nmatch, cap;
	size_t sel, top;
	char keep[RC_ID_TEXT];		/* the highlighted student's id */
};

enum roster_col {
	COL_NAME, COL_EMAIL, COL_POINTS, COL_PRESENT, COL_EARLY, COL_LATE,
	COL_CODE,	/* last, so keys 1-6 keep their columns */
	COL_COUNT
};

struct roster_state {
	uint32_t *order;	/* indices of rows() in display order */
	size_t n;
	int show_removed;	/* the removed students instead */
	struct rc_student *removed;	/* loaded while shown */
	size_t nremoved;
	int finding;		/* '/': the find line takes the keys */
	struct lineedit find;
	int col, desc;
	size_t sel, top;
	char focus[RC_ID_TEXT];	/* select this student after a reload */
};

struct student_state {
	int found;
	struct rc_student st;
	struct rc_attendance *att;	/* newest first */
	size_t natt, sel, top;
	int events;		/* showing the audit trail */
	char **ev;		/* its lines */
	size_t nev, ev_top;
	uint64_t ev_seq;	/* last log sequence scanned for them */
	char **why;		/* per att row: the void reason, or NULL */
	size_t nwhy;
	int32_t month;		/* first day of the month of marks shown */
	uint8_t marks[31];	/* enum cal_mark of each day of it */
	int nmarks;
};

struct day_state {
	int32_t day;
	struct rc_present *present;
	struct rc_absent *absent;	/* excused ones first */
	size_t npresent, nabsent, nexcused;
	struct rc_calday cal;		/* school day, closed and why */
	size_t sel, top;	/* over present, excused, then absent */
};

struct log_state {
	uint64_t top;		/* first sequence shown (unfiltered) */
	int follow;		/* stick to the newest */
	int xoff;		/* columns scrolled to the right */
	char **lines;		/* the page, or every match when filtered */
	uint64_t *seqs;		/* each line's event */
	size_t n, cap;
	size_t sel, vtop;	/* chosen line, first line shown */
	char filter[200];	/* "" or folded text a line must contain */
	uint64_t scanned;	/* filtered: last sequence looked at */
	uint64_t head_seen;	/* the head when last loaded */
	struct rc_student *who;	/* every student, by id: names for lines */
	size_t nwho;
};

/*
 * A report the Report screen computed, kept while the log stays put:
 * going back to a range, or sorting, asks no query again.
 */
struct report_view {
	int has_from;
	int32_t from, to, today;	/* the question */
	struct rc_report rep;		/* the answer, rows in name order */
	uint32_t *by_rate;	/* row numbers by rate (NULL: not sorted yet) */
	unsigned used;		/* when last shown: the oldest goes first */
};

#define REPORT_VIEWS 4

struct report_state {
	int preset;		/* term, this week, this month, custom */
	int32_t from, to;	/* the custom range */
	int by_rate;
	struct report_view views[REPORT_VIEWS];
	struct report_view *view;	/* the one shown, in views; NULL: none */
	unsigned clock;
	size_t sel, top;
};

struct calendar_state {
	int32_t sel;		/* the chosen day (0: today) */
	int32_t first;		/* first day of the month shown */
	struct rc_calday *days;
	size_t n;
};

struct status_state {
	struct rc_proj_error *errs;
	size_t nerr, top;
	char result[300];
	int result_role;
};

/* ---- the application ---- */

struct app {
	rc_db *db;
	int cur, next;
	int help;		/* help shown over the current screen */
	size_t help_top;
	int rows, cols;
	int color;
	int quiet;		/* no beep or flash on a refusal */

	int32_t today;

	/* Shared read model: reloaded when the database changes. */
	struct rc_student *roster;	/* active, sorted by name */
	size_t nroster;
	struct tui_fold fold;
	uint8_t *in_status;	/* per roster row: today's status, 0 none */
	uint32_t *in_arrived;
	size_t n_in, n_early, n_on_time, n_late;
	struct rc_status status;

	char selected[RC_ID_TEXT];	/* the Student screen's student */

	char msg[600];
	int msg_role;

	int form_open;
	struct tui_form form;

	struct checkin_state ck;
	struct roster_state ro;
	struct student_state st;
	struct day_state dy;
	struct log_state lg;
	struct status_state ss;
	struct report_state rp;
	struct calendar_state cl;

	/* The daily backup (tui_backup.c). */
	struct rc_backup_state backup;
	struct backup_job bjob;
	int32_t backup_tried;	/* the day one was last started */
};

/* ---- tui_backup.c: the daily backup ---- */

/* Read the backup state (last backup, kept, failure) into app. */
void tui_backup_load(struct app *app);
/* Start today's backup when due, or collect it; 1 to repaint. */
int tui_backup_tick(struct app *app);
/* On quit: whether a backup must run (or finish) first; then wait. */
int tui_backup_quit_due(struct app *app);
void tui_backup_quit(struct app *app);
/* The Status screen's line, in words; returns its role. */
int tui_backup_words(const struct app *app, char *buf, size_t len);

/* ---- tui.c: shared helpers ---- */

/* Reload the shared read model (roster, today, status). */
void tui_load(struct app *app);

/*
 * The frame's life (src/tui.c): tui_open() checks the clock, catches
 * up and starts curses (raw, colours unless NO_COLOR; quiet: no beeps);
 * tui_desk() runs
 * the desk from its Check-in screen until it is quit (TUI_QUIT) or, with
 * idle_ms > 0, until that long passes without a key (TUI_IDLE);
 * tui_close() ends curses and frees the app.  The kiosk wraps the desk
 * with these.
 */
enum { TUI_QUIT, TUI_IDLE };
int tui_open(rc_db *db, int quiet, struct app **out);
/*
 * A refusal's beep (ncurses flashes where there is no bell), unless
 * --quiet or `config quiet on`: read each time, so a change made at
 * another desk or the command line takes at once.
 */
void tui_alert(struct app *app);
int tui_desk(struct app *app, int64_t idle_ms);
void tui_close(struct app *app);

/* Set the message line (role ROLE_OK, ROLE_ERROR or ROLE_NORMAL). */
void tui_message(struct app *app, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Open the Student screen on a student id (tui_student.c). */
int tui_open_student(struct app *app, const char *id);

/* Roster index of a student id, or -1. */
long tui_find_id(const struct app *app, const char *id);

/* Attribute of a role (colour pair or monochrome fallback). */
int tui_attr(const struct app *app, int role);

/*
 * Draw user text at (y, x) in exactly `w` columns: escaped, fitted by
 * display columns and padded.  Returns the columns used.
 */
int tui_put(const struct app *app, int y, int x, int w, int role,
    const char *s);

/* The same, leaving out the first `skip` columns (horizontal scroll). */
int tui_put_from(const struct app *app, int y, int x, int w, int role,
    const char *s, int skip);

/* Fill row y from x for w columns with spaces in a role. */
void tui_blank(const struct app *app, int y, int x, int w, int role);

/* First and last body rows (between header and message line). */
int tui_body_top(const struct app *app);
int tui_body_rows(const struct app *app);

/* The status word of a check-in for people: "early", "on time", "late". */
const char *tui_status_word(unsigned status);
int tui_status_role(unsigned status);

/* Keep sel visible in a list of `h` rows starting at *top. */
void tui_scroll(size_t sel, size_t h, size_t *top);

/* Move a selection by a key (Up/Down/PgUp/PgDn/Home/End); 1 if moved. */
int tui_move(int key, size_t n, size_t page, size_t *sel);

/*
 * Progress of a long command: paints a bar over the screen (the one
 * place a key handler paints: the loop cannot while the command runs).
 * Returns 1 when can_cancel and the user pressed Esc, else 0.
 */
int tui_progress(struct app *app, const char *what, uint64_t done,
    uint64_t total, int can_cancel);

/*
 * Terminal-free helpers (unit-tested).
 *
 * Format cells into one line: cell i fitted to widths[i] columns
 * (escaped, padded), separated by one space.  Returns the columns used.
 */
int tui_format_row(char *out, size_t cap, const int *widths,
    const char *const *cells, size_t n);

/*
 * Write the help text of a screen (global keys, then the screen's) into
 * out, one "LABEL  description" per line.  Returns the length.
 */
size_t tui_help_text(const struct tui_screen *scr, char *out, size_t cap);

/* The footer line of a screen (its footer keys, then F1 and F10). */
size_t tui_footer_text(const struct tui_screen *scr, char *out, size_t cap);

/* ---- tui_checkin.c: filtering ---- */

/* Build the folded search strings of rows; returns 0 or -1 (memory). */
int checkin_fold(struct tui_fold *f, const struct rc_student *rows,
    size_t n);
void checkin_fold_free(struct tui_fold *f);

/*
 * Rows whose folded name or email contains `needle` (already folded),
 * in roster order, into out (room for f->n).  An empty needle matches
 * everything.  Returns the count.
 */
size_t checkin_filter(const struct tui_fold *f, const char *needle,
    uint32_t *out);

/* Row whose folded email or id equals `needle` exactly, or -1. */
long checkin_exact(const struct tui_fold *f, const struct rc_student *rows,
    const char *needle);

/* ---- tui_log.c ---- */

/*
 * One log line for people: sequence, local time, type and a summary
 * that names the student (`name`, or the event's own when NULL), or why
 * the record could not be decoded.
 */
void log_format(const struct rc_event *ev, int ok, const char *why,
    char *out, size_t cap);
void log_format_named(const struct rc_event *ev, int ok, const char *why,
    const char *name, char *out, size_t cap);

/* The summary alone: "checked in Ada Lovelace, early, +5". */
void log_summary(const struct rc_event *ev, const char *name, char *out,
    size_t cap);

/* ---- screens' own exported actions ---- */

/* Roster forms (also used from the Student screen). */
int roster_add(struct app *app);
int roster_edit(struct app *app, const char *id);
int roster_remove(struct app *app, const char *id);
int roster_import(struct app *app);

/* Roster order: rebuild after a reload or sort change. */
void roster_sort(struct app *app);


#endif
