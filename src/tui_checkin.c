/*
 * tui_checkin.c - the Check-in screen: type to filter the roster, Enter
 * checks the chosen student in.  A card reader that types a full email,
 * id or student code and presses Enter checks that student in directly.
 *
 * Filtering runs in memory on folded copies of every name and email made
 * once per reload, so a keystroke costs one substring scan of the roster.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "command.h"
#include "text.h"
#include "tui_app.h"
#include "validate.h"

/* ------------------------------------------------------------------ */
/* Filtering (terminal-free)                                            */

/*
 * Each folded row is "name \x01 email" and a NUL: the separator cannot be
 * typed, so a match never joins the end of a name to an email.  (One
 * strstr() per row beats one over the whole buffer: measured, glibc's
 * setup per call grows with the haystack.)
 */
#define FOLD_SEP '\x01'
#define FOLD_END '\0'

/*
 * Fold s into out: ASCII by hand (most names and emails, and much
 * cheaper than a locale switch per string), anything else by text_fold.
 */
static size_t fold_ascii(const char *s, char *out, size_t cap)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			return text_fold(s, strlen(s), out, cap);
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[i] = '\0';
	return i;
}

int checkin_fold(struct tui_fold *f, const struct rc_student *rows,
    size_t n)
{
	size_t cap = 1, len = 0;

	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < n; i++)	/* folding never grows by > 2x */
		cap += 2 * (strlen(rows[i].name) + strlen(rows[i].email)) + 2;
	f->buf = malloc(cap);
	f->off = malloc((n + 1) * sizeof *f->off);
	if (!f->buf || !f->off) {
		checkin_fold_free(f);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		f->off[i] = (uint32_t)len;
		len += fold_ascii(rows[i].name, f->buf + len, cap - len);
		f->buf[len++] = FOLD_SEP;
		len += fold_ascii(rows[i].email, f->buf + len, cap - len);
		f->buf[len++] = FOLD_END;
	}
	f->off[n] = (uint32_t)len;
	f->n = n;
	return 0;
}

void checkin_fold_free(struct tui_fold *f)
{
	free(f->buf);
	free(f->off);
	memset(f, 0, sizeof *f);
}

size_t checkin_filter(const struct tui_fold *f, const char *needle,
    uint32_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < f->n; i++)
		if (!*needle || strstr(f->buf + f->off[i], needle))
			out[k++] = (uint32_t)i;
	return k;
}

long checkin_exact(const struct tui_fold *f, const struct rc_student *rows,
    const char *needle)
{
	size_t len = strlen(needle);

	if (len == 0)
		return -1;
	for (size_t i = 0; i < f->n; i++) {
		const char *row = f->buf + f->off[i];
		const char *end = f->buf + f->off[i + 1] - 1;
		const char *email = memchr(row, FOLD_SEP, (size_t)(end - row));

		if (email && (size_t)(end - email - 1) == len &&
		    memcmp(email + 1, needle, len) == 0)
			return (long)i;
		if (strcmp(rows[i].id, needle) == 0)
			return (long)i;
		/* A student number from a card (SPEC 8), in any case. */
		if (rows[i].code[0] && len <= RC_CODE_MAX) {
			char key[RC_CODE_MAX + 1];

			validate_code_key(rows[i].code, strlen(rows[i].code),
			    key);
			if (strcmp(key, needle) == 0)
				return (long)i;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* State                                                                */

/* The query without surrounding blanks (a reader may add them). */
static void trimmed(const char *s, char *out, size_t cap)
{
	size_t n;

	while (*s == ' ')
		s++;
	snprintf(out, cap, "%s", s);
	n = strlen(out);
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
}

static const char *selected_id(const struct app *app)
{
	const struct checkin_state *c = &app->ck;

	if (c->sel < c->nmatch && c->match[c->sel] < app->nroster)
		return app->roster[c->match[c->sel]].id;
	return NULL;
}

/* Note the highlighted student's id: it outlives a roster reload. */
static void remember(struct app *app)
{
	const char *id = selected_id(app);

	snprintf(app->ck.keep, sizeof app->ck.keep, "%s", id ? id : "");
}

/*
 * Recompute the matches for the current query, keeping the selection
 * on roster row `keep` (-1: none) when it still matches.
 */
static void refilter(struct app *app, long keep)
{
	struct checkin_state *c = &app->ck;
	char t[TUI_LINE_MAX];

	trimmed(c->query.s, t, sizeof t);
	text_fold(t, strlen(t), c->needle, sizeof c->needle);
	if (c->cap < app->nroster + 1) {
		uint32_t *m = realloc(c->match, (app->nroster + 1) *
		    sizeof *m);

		if (!m) {
			c->nmatch = 0;
			return;
		}
		c->match = m;
		c->cap = app->nroster + 1;
	}
	c->nmatch = checkin_filter(&app->fold, c->needle, c->match);
	c->sel = 0;
	for (size_t i = 0; keep >= 0 && i < c->nmatch; i++)
		if (c->match[i] == (uint32_t)keep) {
			c->sel = i;
			break;
		}
	remember(app);
}

/* Rows of the match list: above the last outcomes and their title. */
static size_t list_rows(const struct app *app)
{
	int h = app->rows - 7 - CHECKIN_OUTCOMES;

	return h > 0 ? (size_t)h : 1;
}

/* The roster was reloaded: row numbers changed, ids did not. */
static void checkin_reload(struct app *app)
{
	refilter(app, app->ck.keep[0] ? tui_find_id(app, app->ck.keep) :
	    -1);
	tui_scroll(app->ck.sel, list_rows(app), &app->ck.top);
}

/* Coming back to the screen starts with an empty search. */
static void checkin_enter(struct app *app)
{
	lineedit_clear(&app->ck.query);
	app->ck.keep[0] = '\0';
	app->ck.top = 0;
	checkin_reload(app);
}

static void checkin_free(struct app *app)
{
	free(app->ck.match);
	app->ck.match = NULL;
	app->ck.nmatch = app->ck.cap = 0;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

/*
 * Keep an outcome at the top of the list (the oldest drops off), and
 * sound a refusal unless the desk is quiet: a clerk looking at the
 * queue, not the screen, must notice that a scan did not take.
 */
static void outcome(struct app *app, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void outcome(struct app *app, int role, const char *fmt, ...)
{
	struct checkin_state *c = &app->ck;
	va_list ap;

	memmove(c->outcome[1], c->outcome[0],
	    (CHECKIN_OUTCOMES - 1) * sizeof c->outcome[0]);
	memmove(&c->outcome_role[1], &c->outcome_role[0],
	    (CHECKIN_OUTCOMES - 1) * sizeof c->outcome_role[0]);
	va_start(ap, fmt);
	vsnprintf(c->outcome[0], sizeof c->outcome[0], fmt, ap);
	va_end(ap);
	c->outcome_role[0] = role;
	if (c->noutcome < CHECKIN_OUTCOMES)
		c->noutcome++;
	app->msg[0] = '\0';
	if (role == ROLE_ERROR)
		tui_alert(app);
}

static int do_checkin(struct app *app, const char *who)
{
	struct rc_checkin out;
	char t[10];

	if (command_checkin(app->db, who, NULL, &out) != RC_OK) {
		outcome(app, ROLE_ERROR, "Refused: %s", db_error(app->db));
		return R_REDRAW;
	}
	clock_format_hhmm(out.arrived, t);
	outcome(app, ROLE_OK, "Checked in %s at %s: %s, %+d points, total "
	    "%lld", out.name, t, tui_status_word(out.status),
	    (int)out.points, (long long)out.total);
	return R_RELOAD | R_REDRAW;
}

/* Does the query look like something a card reader types? */
static int looks_like_key(const char *s)
{
	uint8_t id[RC_ID_LEN];

	return strchr(s, '@') != NULL || event_id_parse(s, id) == 0;
}

/* The one student a line means, or NULL (then *t says what was typed). */
static const char *target(struct app *app, char *t, size_t cap)
{
	long i;

	trimmed(app->ck.query.s, t, cap);
	i = checkin_exact(&app->fold, app->roster, app->ck.needle);
	if (i >= 0)
		return app->roster[i].id;
	if (looks_like_key(t))
		return t;	/* the core says why not */
	return selected_id(app);
}

/*
 * Every Enter ends the line: whatever came of it, the search is empty
 * again, so a bad scan never spoils the next one.  An empty line (a
 * reader's stray CR or LF, a child pressing Enter) does nothing.
 */
static int key_enter(struct app *app, int key)
{
	struct checkin_state *c = &app->ck;
	char t[TUI_LINE_MAX];
	const char *who;
	int r;

	(void)key;
	trimmed(c->query.s, t, sizeof t);
	if (!t[0]) {
		lineedit_clear(&c->query);
		return R_NONE;
	}
	who = target(app, t, sizeof t);
	if (who)
		r = do_checkin(app, who);
	else {
		outcome(app, ROLE_ERROR, "No student matches \"%s\"", t);
		r = R_REDRAW;
	}
	lineedit_clear(&c->query);
	c->keep[0] = '\0';
	refilter(app, -1);
	c->top = 0;
	return r | R_REDRAW;
}

/*
 * A reader may end a scan with Tab: with text typed, Tab ends the line
 * as Enter does; on an empty search it moves to the next screen.
 */
static int key_tab(struct app *app, int key)
{
	if (app->ck.query.len > 0)
		return key_enter(app, key);
	app->next = (app->cur + 1) % SCR_COUNT;
	app->msg[0] = '\0';
	return R_SWITCH | R_REDRAW;
}

static int key_esc(struct app *app, int key)
{
	(void)key;
	if (app->ck.query.len == 0)
		app->msg[0] = '\0';
	lineedit_clear(&app->ck.query);
	refilter(app, -1);
	app->ck.top = 0;
	return R_REDRAW;
}

static int key_move(struct app *app, int key)
{
	struct checkin_state *c = &app->ck;

	tui_move(key, c->nmatch, list_rows(app) - 1, &c->sel);
	tui_scroll(c->sel, list_rows(app), &c->top);
	remember(app);
	return R_REDRAW;
}

static int key_edit(struct app *app, int key)
{
	struct checkin_state *c = &app->ck;
	char before[TUI_LINE_MAX];

	memcpy(before, c->query.s, c->query.len + 1);
	if (!line_key(&c->query, key))
		return R_NONE;
	if (strcmp(before, c->query.s) == 0)
		return R_REDRAW;	/* the cursor moved */
	refilter(app, -1);	/* a new query starts at its first match */
	tui_scroll(c->sel, list_rows(app), &c->top);
	return R_REDRAW;
}

/* '?' is help on an empty search, else it is typed. */
static int key_question(struct app *app, int key)
{
	if (app->ck.query.len == 0)
		return R_HELP;
	return key_edit(app, key);
}

/* F4: the Student screen on the highlighted student, and only on one. */
static int key_student(struct app *app, int key)
{
	const char *id = selected_id(app);

	(void)key;
	if (!id) {
		tui_message(app, ROLE_ERROR, "No student is chosen: type part "
		    "of a name first");
		return R_REDRAW;
	}
	return tui_open_student(app, id);
}

static const struct tui_binding checkin_keys[] = {
	{ -1, "letters", "Type part of a name or email to filter", NULL,
	    NULL },
	{ TK_ENTER, "Enter", "Check in the chosen student, or the exact "
	    "email/id typed (card reader)", key_enter, "Check in" },
	{ TK_ESC, "Esc", "Clear the search", key_esc, "Clear" },
	{ TK_FN(KEY_UP), "Up/Down", "Choose a student", key_move,
	    "Choose" },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Move a page", key_move, NULL },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_move, NULL },
	{ TK_TAB, "Tab", "End the line as Enter does (a reader's Tab); "
	    "next screen when the search is empty", key_tab, NULL },
	{ TK_FN(KEY_LEFT), "Left/Right", "Move in the search (also ^B/^F)",
	    key_edit, NULL },
	{ TK_FN(KEY_RIGHT), NULL, NULL, key_edit, NULL },
	{ TK_FN(KEY_HOME), "Home/End", "Start or end of the search "
	    "(also ^A/^E)", key_edit, NULL },
	{ TK_FN(KEY_END), NULL, NULL, key_edit, NULL },
	{ TK_FN(KEY_BACKSPACE), "Backspace/Del", "Delete before or under "
	    "the cursor", key_edit, NULL },
	{ TK_FN(KEY_DC), NULL, NULL, key_edit, NULL },
	{ TK_CTRL('u'), "^U ^K ^W", "Delete to the start, to the end, the "
	    "word before the cursor", key_edit, NULL },
	{ TK_CTRL('k'), NULL, NULL, key_edit, NULL },
	{ TK_CTRL('w'), NULL, NULL, key_edit, NULL },
	{ '?', "?", "Help (typed when the search is not empty)",
	    key_question, NULL },
	{ TK_FN(KEY_F(4)), "F4", "Open the highlighted student", key_student,
	    NULL },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

struct cols {
	int mark, name, email, today;
};

static void layout(const struct app *app, struct cols *c)
{
	int rest;

	c->mark = 2;
	c->today = 14;
	rest = app->cols - c->mark - c->today - 3;
	c->name = rest * 45 / 100;
	c->email = rest - c->name;
}

static void draw_counts(const struct app *app)
{
	char day[16], buf[300];
	size_t absent = app->nroster > app->n_in ? app->nroster - app->n_in :
	    0;

	clock_format_day(app->today, day);
	snprintf(buf, sizeof buf, "Today %s   Present %zu / %zu   Early %zu"
	    "   On time %zu   Late %zu   Absent %zu", day, app->n_in,
	    app->nroster, app->n_early, app->n_on_time, app->n_late, absent);
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
}

static void draw_search(const struct app *app)
{
	char buf[64];

	tui_put(app, 2, 0, 8, ROLE_KEY, "Search: ");
	line_draw(app, &app->ck.query, 2, 8, app->cols - 8 - 22, ROLE_INPUT,
	    NULL);
	snprintf(buf, sizeof buf, "%zu of %zu", app->ck.nmatch, app->nroster);
	tui_put(app, 2, app->cols - 20, 20, ROLE_DIM, buf);
}

static void draw_row(const struct app *app, int y, uint32_t i, int sel,
    const struct cols *c)
{
	const struct rc_student *s = &app->roster[i];
	int in = app->in_status[i] != 0;
	int role = sel ? ROLE_SELECTED : ROLE_NORMAL;
	int x = 0;
	char today[32] = "", t[10];
	const char *mark = in ? (MB_CUR_MAX > 1 ? " \u2713" : " *") : "";

	if (in) {
		clock_format_hhmm(app->in_arrived[i], t);
		snprintf(today, sizeof today, "%-7s %s",
		    tui_status_word(app->in_status[i]), t);
	}
	x += tui_put(app, y, x, c->mark, sel ? role : ROLE_MARK, mark) + 1;
	tui_blank(app, y, x - 1, 1, role);
	x += tui_put(app, y, x, c->name, role, s->name) + 1;
	tui_blank(app, y, x - 1, 1, role);
	x += tui_put(app, y, x, c->email, role, s->email) + 1;
	tui_blank(app, y, x - 1, 1, role);
	tui_put(app, y, x, app->cols - x, sel ? role :
	    tui_status_role(app->in_status[i]), today);
}

static void draw_welcome(const struct app *app)
{
	static const char *const lines[] = {
		"Welcome to rollcall, the attendance desk.",
		"",
		"There are no students yet. To begin:",
		"",
		"  F3 then a   add a student (name, email, gender)",
		"  F3 then i   import a CSV file of students, for example",
		"              assets/sample-roster.csv",
		"",
		"Then come back here (F2), type part of a name and press",
		"Enter to check a student in. F1 shows every key.",
	};
	int y = 5;

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		tui_put(app, y++, 4, app->cols - 8, i == 0 ? ROLE_KEY :
		    ROLE_NORMAL, lines[i]);
}

/* The last outcomes, newest first, just above the message line. */
static void draw_outcomes(const struct app *app)
{
	const struct checkin_state *c = &app->ck;
	int y = app->rows - 3 - CHECKIN_OUTCOMES;

	tui_put(app, y++, 0, app->cols, ROLE_DIM, c->noutcome ?
	    "Last scans, newest first:" : "");
	for (size_t i = 0; i < c->noutcome; i++)
		tui_put(app, y++, 1, app->cols - 1, c->outcome_role[i],
		    c->outcome[i]);
}

static void checkin_draw(const struct app *app)
{
	const struct checkin_state *ck = &app->ck;
	struct cols c;
	char hdr[400];
	const char *cells[4] = { "", "Name", "Email", "Today" };
	int w[4];
	size_t h = list_rows(app);

	layout(app, &c);
	draw_counts(app);
	draw_search(app);
	w[0] = c.mark; w[1] = c.name; w[2] = c.email; w[3] = c.today;
	tui_format_row(hdr, sizeof hdr, w, cells, 4);
	tui_put(app, 3, 0, app->cols, ROLE_TITLE, hdr);
	draw_outcomes(app);
	if (app->status.students_all == 0 && app->nroster == 0) {
		draw_welcome(app);
		return;
	}
	if (ck->nmatch == 0)
		tui_put(app, 4, 3, app->cols - 3, ROLE_DIM, app->nroster ?
		    "No student matches the search (Esc clears it)." :
		    "No active students: add some on the Roster screen (F3).");
	for (size_t r = 0; r < h && ck->top + r < ck->nmatch; r++)
		draw_row(app, 4 + (int)r, ck->match[ck->top + r],
		    ck->top + r == ck->sel, &c);
}

static int checkin_cursor(const struct app *app, int *y, int *x)
{
	int w = app->cols - 8 - 22;

	*y = 2;
	*x = 8 + lineedit_cursor_col(&app->ck.query) -
	    lineedit_scroll(&app->ck.query, w);
	return 1;
}

static int checkin_input(struct app *app, int key)
{
	return key_edit(app, key);
}

const struct tui_screen checkin_screen = {
	.name = "Check-in", .fkey = "F2",
	.enter = checkin_enter, .reload = checkin_reload,
	.draw = checkin_draw, .input = checkin_input, .cursor = checkin_cursor,
	.keys = checkin_keys,
	.nkeys = sizeof checkin_keys / sizeof checkin_keys[0],
	.roster_loaded = checkin_reload, .free = checkin_free,
};
