/*
 * tui_roster.c - the Roster screen: every active student with figures,
 * sortable by any column; add, edit, remove and import through forms
 * whose errors come from the commands themselves (as on the CLI).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "command.h"
#include "text.h"
#include "tui_app.h"

#define SAMPLE_ROSTER "assets/sample-roster.csv"

static const char *const col_names[COL_COUNT] = {
	"Name", "Email", "Points", "Present", "Early", "Late"
};

/* ------------------------------------------------------------------ */
/* Order                                                                */

/* qsort has no context pointer: the roster being sorted, and whether
 * biggest first (ties stay in name order either way). */
static const struct rc_student *rows;
static int sort_desc;

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* Ties fall back to the roster's own order (by name). */
static int cmp_tie(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_name(const void *a, const void *b)
{
	return sort_desc ? -cmp_tie(a, b) : cmp_tie(a, b);
}

static int cmp_email(const void *a, const void *b)
{
	const struct rc_student *x = &rows[*(const uint32_t *)a];
	const struct rc_student *y = &rows[*(const uint32_t *)b];
	char fx[RC_EMAIL_MAX * 2 + 1], fy[RC_EMAIL_MAX * 2 + 1];
	int c;

	text_fold(x->email, strlen(x->email), fx, sizeof fx);
	text_fold(y->email, strlen(y->email), fy, sizeof fy);
	c = strcmp(fx, fy);
	return c ? (sort_desc ? -c : c) : cmp_tie(a, b);
}

#define FIG_CMP(fn, field) \
	static int fn(const void *a, const void *b) \
	{ \
		int c = cmp_i64(rows[*(const uint32_t *)a].fig.field, \
		    rows[*(const uint32_t *)b].fig.field); \
		return c ? (sort_desc ? -c : c) : cmp_tie(a, b); \
	}
FIG_CMP(cmp_points, points)
FIG_CMP(cmp_present, present)
FIG_CMP(cmp_early, early)
FIG_CMP(cmp_late, late)
#undef FIG_CMP

static int (*const comparators[COL_COUNT])(const void *, const void *) = {
	cmp_name, cmp_email, cmp_points, cmp_present, cmp_early, cmp_late
};

static size_t list_rows(const struct app *app)
{
	int h = app->rows - 5;

	return h > 0 ? (size_t)h : 1;
}

static const struct rc_student *current(const struct app *app)
{
	const struct roster_state *r = &app->ro;

	if (r->sel < r->n && r->order[r->sel] < app->nroster)
		return &app->roster[r->order[r->sel]];
	return NULL;
}

void roster_sort(struct app *app)
{
	struct roster_state *r = &app->ro;
	const struct rc_student *cur = current(app);
	char keep[RC_ID_TEXT] = "";
	uint32_t *o;

	if (r->focus[0])
		snprintf(keep, sizeof keep, "%s", r->focus);
	else if (cur)
		snprintf(keep, sizeof keep, "%s", cur->id);
	r->focus[0] = '\0';
	o = realloc(r->order, (app->nroster + 1) * sizeof *o);
	if (!o) {
		r->n = 0;
		return;
	}
	r->order = o;
	r->n = app->nroster;
	for (size_t i = 0; i < r->n; i++)
		o[i] = (uint32_t)i;
	rows = app->roster;
	sort_desc = r->desc;
	qsort(o, r->n, sizeof *o, comparators[r->col]);
	if (r->sel >= r->n)
		r->sel = r->n ? r->n - 1 : 0;
	for (size_t i = 0; keep[0] && i < r->n; i++)
		if (strcmp(app->roster[o[i]].id, keep) == 0)
			r->sel = i;
	tui_scroll(r->sel, list_rows(app), &r->top);
}

static void roster_reload(struct app *app)
{
	roster_sort(app);
}

static void roster_enter(struct app *app)
{
	roster_sort(app);
}

void roster_free(struct app *app)
{
	free(app->ro.order);
	app->ro.order = NULL;
	app->ro.n = 0;
}

/* ------------------------------------------------------------------ */
/* Forms                                                                */

static const char gender_hint[] = "female, male, other, or empty";

static int submit_add(struct app *app, struct tui_form *f)
{
	const char *g = f->f[2].line.s;
	char id[RC_ID_TEXT];

	if (command_register(app->db, f->f[0].line.s, f->f[1].line.s,
	    *g ? g : NULL, id) != RC_OK) {
		form_error(f, db_error(app->db));
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "Added %s", f->f[0].line.s);
	snprintf(app->ro.focus, sizeof app->ro.focus, "%s", id);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

int roster_add(struct app *app)
{
	struct tui_form *f = form_open(app, FORM_FIELDS_KIND, "Add student",
	    submit_add);

	form_field(f, "Name", "", NULL);
	form_field(f, "Email", "", NULL);
	form_field(f, "Gender", "", gender_hint);
	return R_REDRAW;
}

/* A field's new value, or NULL when it is as it was. */
static const char *changed(const struct tui_field *fd, const char *old)
{
	return strcmp(fd->line.s, old ? old : "") ? fd->line.s : NULL;
}

static int submit_edit(struct app *app, struct tui_form *f)
{
	long i = tui_find_id(app, f->id);
	const struct rc_student *s;
	const char *name, *email, *gender;

	if (i < 0) {
		form_error(f, "this student is no longer on the roster");
		return R_REDRAW;
	}
	s = &app->roster[i];
	name = changed(&f->f[0], s->name);
	email = changed(&f->f[1], s->email);
	gender = changed(&f->f[2], query_gender_name(s->gender));
	if (!name && !email && !gender) {
		tui_message(app, ROLE_NORMAL, "Nothing changed");
		form_close(app);
		return R_REDRAW;
	}
	if (command_edit(app->db, f->id, name, email, gender) != RC_OK) {
		form_error(f, db_error(app->db));
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "Saved %s", f->f[0].line.s);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

int roster_edit(struct app *app, const char *id)
{
	long i = tui_find_id(app, id);
	const struct rc_student *s;
	struct tui_form *f;

	if (i < 0) {
		tui_message(app, ROLE_ERROR, "No active student chosen");
		return R_REDRAW;
	}
	s = &app->roster[i];
	f = form_open(app, FORM_FIELDS_KIND, "Edit student", submit_edit);
	snprintf(f->id, sizeof f->id, "%s", s->id);
	form_field(f, "Name", s->name, NULL);
	form_field(f, "Email", s->email, NULL);
	form_field(f, "Gender", query_gender_name(s->gender), gender_hint);
	return R_REDRAW;
}

static int submit_remove(struct app *app, struct tui_form *f)
{
	long i = tui_find_id(app, f->id);

	if (command_remove(app->db, f->id) != RC_OK) {
		snprintf(f->error, sizeof f->error, "%s", db_error(app->db));
		return R_REDRAW;
	}
	/* Still in our copy of the roster until the reload. */
	tui_message(app, ROLE_OK, "Removed %s (history kept)",
	    i >= 0 ? app->roster[i].name : f->id);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

int roster_remove(struct app *app, const char *id)
{
	long i = tui_find_id(app, id);
	struct tui_form *f;

	if (i < 0) {
		tui_message(app, ROLE_ERROR, "No active student chosen");
		return R_REDRAW;
	}
	f = form_open(app, FORM_CONFIRM, "Remove student", submit_remove);
	snprintf(f->id, sizeof f->id, "%s", id);
	snprintf(f->text, sizeof f->text, "Remove %s <%s>?\n"
	    "Their history is kept; they can no longer check in.",
	    app->roster[i].name, app->roster[i].email);
	return R_REDRAW;
}

struct bad_rows {
	char **lines;
	size_t n;
	const char *path;
};

static void bad_row(void *ctx, unsigned long line, const char *reason)
{
	struct bad_rows *b = ctx;
	char buf[1200], **nl;

	snprintf(buf, sizeof buf, "%s:%lu: %s", b->path, line, reason);
	nl = realloc(b->lines, (b->n + 1) * sizeof *nl);
	if (!nl)
		return;
	b->lines = nl;
	if ((b->lines[b->n] = strdup(buf)))
		b->n++;
}

static int submit_import(struct app *app, struct tui_form *f)
{
	char path[TUI_LINE_MAX];
	struct bad_rows b = { NULL, 0, path };
	size_t count = 0;
	int rc;

	snprintf(path, sizeof path, "%s", f->f[0].line.s);
	rc = command_import_students(app->db, path, bad_row, &b, &count);
	if (rc == RC_OK) {
		tui_message(app, ROLE_OK, "Imported %zu students from %s",
		    count, path);
		form_close(app);
	} else if (b.n == 0) {
		form_error(f, db_error(app->db));
	} else {
		f = form_open(app, FORM_LIST, "Import refused: nothing was "
		    "written", NULL);
		snprintf(f->text, sizeof f->text, "%zu bad row%s in %s. Fix "
		    "them and import again.", b.n, b.n == 1 ? "" : "s", path);
		for (size_t i = 0; i < b.n; i++)
			form_line(f, "%s", b.lines[i]);
		tui_message(app, ROLE_ERROR, "Import refused: %zu bad row%s",
		    b.n, b.n == 1 ? "" : "s");
	}
	for (size_t i = 0; i < b.n; i++)
		free(b.lines[i]);
	free(b.lines);
	return rc == RC_OK ? R_RELOAD | R_REDRAW : R_REDRAW;
}

int roster_import(struct app *app)
{
	struct tui_form *f = form_open(app, FORM_FIELDS_KIND,
	    "Import students from CSV", submit_import);
	struct stat st;
	int sample = app->nroster == 0 && stat(SAMPLE_ROSTER, &st) == 0;

	snprintf(f->text, sizeof f->text, "Columns name, email and optional "
	    "gender, with a header row.\nAll rows are checked first: any bad "
	    "row and nothing is written.");
	form_field(f, "File", sample ? SAMPLE_ROSTER : "",
	    "path to a .csv file");
	return R_REDRAW;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int key_move(struct app *app, int key)
{
	struct roster_state *r = &app->ro;

	tui_move(key, r->n, list_rows(app) - 1, &r->sel);
	tui_scroll(r->sel, list_rows(app), &r->top);
	return R_REDRAW;
}

static int key_open(struct app *app, int key)
{
	const struct rc_student *s = current(app);

	(void)key;
	if (!s)
		return R_NONE;
	return tui_open_student(app, s->id);
}

static int key_add(struct app *app, int key)
{
	(void)key;
	return roster_add(app);
}

static int key_edit(struct app *app, int key)
{
	const struct rc_student *s = current(app);

	(void)key;
	return s ? roster_edit(app, s->id) : R_NONE;
}

static int key_remove(struct app *app, int key)
{
	const struct rc_student *s = current(app);

	(void)key;
	return s ? roster_remove(app, s->id) : R_NONE;
}

static int key_import(struct app *app, int key)
{
	(void)key;
	return roster_import(app);
}

/* 1-6 sort by that column; the same column again reverses. */
static int key_sort(struct app *app, int key)
{
	struct roster_state *r = &app->ro;
	int col = key - '1';

	if (col == r->col)
		r->desc = !r->desc;
	else {
		r->col = col;
		r->desc = col >= COL_POINTS;	/* biggest first */
	}
	roster_sort(app);
	return R_REDRAW;
}

static int key_reverse(struct app *app, int key)
{
	(void)key;
	app->ro.desc = !app->ro.desc;
	roster_sort(app);
	return R_REDRAW;
}

static const struct tui_binding roster_keys[] = {
	{ TK_FN(KEY_UP), "Up/Down", "Choose a student", key_move, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Move a page", key_move, NULL },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_HOME), "Home/End", "First or last student", key_move,
	    NULL },
	{ TK_FN(KEY_END), NULL, NULL, key_move, NULL },
	{ TK_ENTER, "Enter", "Open the student", key_open, "Open" },
	{ 'a', "a", "Add a student", key_add, "Add" },
	{ 'e', "e", "Edit the chosen student", key_edit, "Edit" },
	{ 'd', "d", "Remove the chosen student (asks first)", key_remove,
	    "Remove" },
	{ 'i', "i", "Import students from a CSV file", key_import,
	    "Import" },
	{ '1', "1-6", "Sort by that column (again: reverse)", key_sort,
	    "Sort" },
	{ '2', NULL, NULL, key_sort, NULL },
	{ '3', NULL, NULL, key_sort, NULL },
	{ '4', NULL, NULL, key_sort, NULL },
	{ '5', NULL, NULL, key_sort, NULL },
	{ '6', NULL, NULL, key_sort, NULL },
	{ 'r', "r", "Reverse the order", key_reverse, NULL },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static void widths(const struct app *app, int w[COL_COUNT])
{
	int rest;

	w[COL_POINTS] = 7;
	w[COL_PRESENT] = 8;
	w[COL_EARLY] = 6;
	w[COL_LATE] = 5;
	rest = app->cols - 1 - (7 + 8 + 6 + 5) - (COL_COUNT - 1);
	w[COL_NAME] = rest * 45 / 100;
	w[COL_EMAIL] = rest - w[COL_NAME];
}

static void draw_header(const struct app *app, const int w[COL_COUNT])
{
	const struct roster_state *r = &app->ro;
	const char *up = MB_CUR_MAX > 1 ? "\u25b2" : "^";
	const char *down = MB_CUR_MAX > 1 ? "\u25bc" : "v";
	char cell[COL_COUNT][40], line[600];
	const char *cells[COL_COUNT];

	for (int i = 0; i < COL_COUNT; i++) {
		char name[32];

		snprintf(name, sizeof name, "%s%s", col_names[i],
		    i == r->col ? (r->desc ? down : up) : "");
		if (i >= COL_POINTS)	/* numbers are right-aligned */
			snprintf(cell[i], sizeof cell[i], "%*s",
			    w[i] + (int)strlen(name) - text_width(name), name);
		else
			snprintf(cell[i], sizeof cell[i], "%s", name);
		cells[i] = cell[i];
	}
	tui_format_row(line, sizeof line, w, cells, COL_COUNT);
	tui_put(app, 2, 1, app->cols - 1, ROLE_TITLE, line);
	tui_blank(app, 2, 0, 1, ROLE_TITLE);
}

static void draw_row(const struct app *app, int y, const struct rc_student *s,
    int sel, const int w[COL_COUNT])
{
	char num[4][24], line[4 * TUI_LINE_MAX];
	const char *cells[COL_COUNT];

	snprintf(num[0], sizeof num[0], "%*lld", w[COL_POINTS],
	    (long long)s->fig.points);
	snprintf(num[1], sizeof num[1], "%*u", w[COL_PRESENT],
	    (unsigned)s->fig.present);
	snprintf(num[2], sizeof num[2], "%*u", w[COL_EARLY],
	    (unsigned)s->fig.early);
	snprintf(num[3], sizeof num[3], "%*u", w[COL_LATE],
	    (unsigned)s->fig.late);
	cells[COL_NAME] = s->name;
	cells[COL_EMAIL] = s->email;
	for (int i = 0; i < 4; i++)
		cells[COL_POINTS + i] = num[i];
	tui_format_row(line, sizeof line, w, cells, COL_COUNT);
	/* Already escaped and fitted: print as it is. */
	attrset(tui_attr(app, sel ? ROLE_SELECTED : ROLE_NORMAL));
	mvaddstr(y, 0, " ");
	addstr(line);
	attrset(A_NORMAL);
}

static void draw_empty(const struct app *app)
{
	tui_put(app, 4, 3, app->cols - 6, ROLE_KEY, "No students yet.");
	tui_put(app, 6, 3, app->cols - 6, ROLE_NORMAL,
	    "Press a to add a student, or i to import a CSV file such as");
	tui_put(app, 7, 3, app->cols - 6, ROLE_NORMAL,
	    "assets/sample-roster.csv (columns name, email, gender).");
}

static void roster_draw(const struct app *app)
{
	const struct roster_state *r = &app->ro;
	int w[COL_COUNT];
	char buf[200];
	size_t h = list_rows(app);

	snprintf(buf, sizeof buf, "Roster: %zu active student%s   "
	    "(%zu removed, not shown)", app->nroster,
	    app->nroster == 1 ? "" : "s",
	    app->status.students_all - app->status.students);
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
	widths(app, w);
	draw_header(app, w);
	if (r->n == 0) {
		draw_empty(app);
		return;
	}
	for (size_t i = 0; i < h && r->top + i < r->n; i++)
		draw_row(app, 3 + (int)i, &app->roster[r->order[r->top + i]],
		    r->top + i == r->sel, w);
}

const struct tui_screen roster_screen = {
	"Roster", "F3", roster_enter, roster_reload, roster_draw, NULL, NULL,
	roster_keys, sizeof roster_keys / sizeof roster_keys[0]
};
