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
#include "validate.h"

#define SAMPLE_ROSTER "assets/sample-roster.csv"

static const char *const col_names[COL_COUNT] = {
	"Name", "Email", "Points", "Present", "Early", "Late", "Code"
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

static int cmp_code(const void *a, const void *b)
{
	const struct rc_student *x = &rows[*(const uint32_t *)a];
	const struct rc_student *y = &rows[*(const uint32_t *)b];
	char kx[RC_CODE_MAX + 1], ky[RC_CODE_MAX + 1];
	int c;

	validate_code_key(x->code, strlen(x->code), kx);
	validate_code_key(y->code, strlen(y->code), ky);
	c = strcmp(kx, ky);
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
	cmp_name, cmp_email, cmp_points, cmp_present, cmp_early, cmp_late,
	cmp_code
};

static size_t list_rows(const struct app *app)
{
	int h = app->rows - 5;

	return h > 0 ? (size_t)h : 1;
}

/* The students listed: the active roster, or the removed ones. */
static const struct rc_student *list_base(const struct app *app,
    size_t *n)
{
	if (app->ro.show_removed) {
		*n = app->ro.nremoved;
		return app->ro.removed;
	}
	*n = app->nroster;
	return app->roster;
}

static const struct rc_student *current(const struct app *app)
{
	const struct roster_state *r = &app->ro;
	size_t n;
	const struct rc_student *base = list_base(app, &n);

	if (r->sel < r->n && r->order[r->sel] < n)
		return &base[r->order[r->sel]];
	return NULL;
}

/* Reload the removed students (only while they are shown). */
static void load_removed(struct app *app)
{
	struct roster_state *r = &app->ro;
	struct rc_student *all;
	size_t n, k = 0;

	free(r->removed);
	r->removed = NULL;
	r->nremoved = 0;
	if (!r->show_removed)
		return;
	if (query_students(app->db, 1, &all, &n) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!all[i].active)
			all[k++] = all[i];
	r->removed = all;
	r->nremoved = k;
}

void roster_sort(struct app *app)
{
	struct roster_state *r = &app->ro;
	const struct rc_student *cur = current(app);
	char keep[RC_ID_TEXT] = "";
	uint32_t *o;
	size_t n;

	if (r->focus[0])
		snprintf(keep, sizeof keep, "%s", r->focus);
	else if (cur)
		snprintf(keep, sizeof keep, "%s", cur->id);
	r->focus[0] = '\0';
	rows = list_base(app, &n);
	o = realloc(r->order, (n + 1) * sizeof *o);
	if (!o) {
		r->n = 0;
		return;
	}
	r->order = o;
	r->n = n;
	for (size_t i = 0; i < r->n; i++)
		o[i] = (uint32_t)i;
	sort_desc = r->desc;
	qsort(o, r->n, sizeof *o, comparators[r->col]);
	if (r->sel >= r->n)
		r->sel = r->n ? r->n - 1 : 0;
	for (size_t i = 0; keep[0] && i < r->n; i++)
		if (strcmp(rows[o[i]].id, keep) == 0)
			r->sel = i;
	tui_scroll(r->sel, list_rows(app), &r->top);
}

static void roster_reload(struct app *app)
{
	load_removed(app);
	roster_sort(app);
}

static void roster_enter(struct app *app)
{
	app->ro.finding = 0;
	lineedit_clear(&app->ro.find);
	roster_reload(app);
}

static void roster_free(struct app *app)
{
	free(app->ro.order);
	app->ro.order = NULL;
	app->ro.n = 0;
	free(app->ro.removed);
	app->ro.removed = NULL;
	app->ro.nremoved = 0;
}

/* ------------------------------------------------------------------ */
/* Forms                                                                */

static const char gender_hint[] = "female, male, other, or empty";
static const char code_hint[] = "student number on the card, or empty";

/* An empty form field is a detail not given. */
static const char *given(const struct tui_field *fd)
{
	return fd->line.s[0] ? fd->line.s : NULL;
}

static int submit_add(struct app *app, struct tui_form *f)
{
	struct rc_details d = { f->f[0].line.s, given(&f->f[1]),
	    given(&f->f[3]), given(&f->f[2]), 0 };
	char id[RC_ID_TEXT];

	if (!d.email && !d.code) {
		form_error(f, "a student needs an email or a code");
		return R_REDRAW;
	}
	if (command_add(app->db, &d, id) != RC_OK) {
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
	form_field(f, "Code", "", code_hint);
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
	struct rc_details d;

	if (i < 0) {
		form_error(f, "this student is no longer on the roster");
		return R_REDRAW;
	}
	s = &app->roster[i];
	memset(&d, 0, sizeof d);
	d.name = changed(&f->f[0], s->name);
	d.email = changed(&f->f[1], s->email);
	d.gender = changed(&f->f[2], query_gender_name(s->gender));
	d.code = changed(&f->f[3], s->code);
	/* A field emptied clears that detail. */
	if (d.email && !d.email[0]) {
		d.email = NULL;
		d.clear |= UPD_EMAIL;
	}
	if (d.gender && !d.gender[0]) {
		d.gender = NULL;
		d.clear |= UPD_GENDER;
	}
	if (d.code && !d.code[0]) {
		d.code = NULL;
		d.clear |= UPD_CODE;
	}
	if (!d.name && !d.email && !d.gender && !d.code && !d.clear) {
		tui_message(app, ROLE_NORMAL, "Nothing changed");
		form_close(app);
		return R_REDRAW;
	}
	if (command_update(app->db, f->id, &d) != RC_OK) {
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
	form_field(f, "Code", s->code, code_hint);
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

static int submit_restore(struct app *app, struct tui_form *f)
{
	if (command_restore(app->db, f->id) != RC_OK) {
		snprintf(f->error, sizeof f->error, "%s", db_error(app->db));
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "Restored %s, with their history",
	    f->title + strlen("Restore "));
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

/* Bring a removed student back (from the removed students' list). */
static int roster_restore(struct app *app, const struct rc_student *s)
{
	struct tui_form *f;

	f = form_open(app, FORM_CONFIRM, "Restore", submit_restore);
	snprintf(f->title, sizeof f->title, "Restore %s", s->name);
	snprintf(f->id, sizeof f->id, "%s", s->id);
	snprintf(f->text, sizeof f->text, "Restore %s <%s>?\nThey come back "
	    "to the roster with their whole history.", s->name, s->email);
	return R_REDRAW;
}

struct bad_rows {
	char **lines;
	size_t n;
	const char *path;
	char unknown[300];	/* columns the import ignored */
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

static void unknown_columns(void *ctx, const char *names)
{
	struct bad_rows *b = ctx;

	snprintf(b->unknown, sizeof b->unknown, "%s", names);
}

/* The import's bad rows, in a list that wraps and scrolls. */
static void show_bad_rows(struct app *app, const struct bad_rows *b)
{
	struct tui_form *f = form_open(app, FORM_LIST, "Import refused: "
	    "nothing was written", NULL);

	snprintf(f->text, sizeof f->text, "%zu bad row%s in %s. Fix them and "
	    "import again.%s%s", b->n, b->n == 1 ? "" : "s", b->path,
	    b->unknown[0] ? "\nIgnored columns: " : "", b->unknown);
	for (size_t i = 0; i < b->n; i++)
		form_line(f, "%s", b->lines[i]);
	tui_message(app, ROLE_ERROR, "Import refused: %zu bad row%s", b->n,
	    b->n == 1 ? "" : "s");
}

static int submit_import(struct app *app, struct tui_form *f)
{
	char path[TUI_LINE_MAX], why[300];
	struct bad_rows b = { NULL, 0, path, "" };
	struct rc_import_opts o = { 0, bad_row, unknown_columns, &b };
	struct rc_import_counts n = { 0, 0, 0 };
	const char *merge = f->f[1].line.s;
	int rc;

	tui_path(f->f[0].line.s, path, sizeof path);
	if (tui_file_problem(path, 0, why, sizeof why)) {
		form_error(f, why);
		return R_REDRAW;
	}
	o.merge = merge[0] == 'y' || merge[0] == 'Y';
	if (merge[0] && !o.merge && merge[0] != 'n' && merge[0] != 'N') {
		form_error(f, "update: answer yes or no");
		return R_REDRAW;
	}
	rc = command_import_students_opts(app->db, path, &o, &n);
	if (rc == RC_OK) {
		tui_message(app, b.unknown[0] ? ROLE_NORMAL : ROLE_OK,
		    "Imported %zu students from %s (%zu added, %zu updated, "
		    "%zu unchanged)%s%s", n.added + n.updated + n.unchanged,
		    path, n.added, n.updated, n.unchanged, b.unknown[0] ?
		    "; ignored columns " : "", b.unknown);
		form_close(app);
	} else if (b.n == 0) {
		form_error(f, db_error(app->db));
	} else {
		show_bad_rows(app, &b);
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
	    "path to a .csv file (Tab completes)");
	f->f[0].file = 1;
	form_field(f, "Update", "no", "yes: a row matching a student "
	    "updates them");
	return R_REDRAW;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int not_here(struct app *app, const char *what)
{
	tui_message(app, ROLE_ERROR, "A removed student cannot be %sed: u "
	    "restores them first", what);
	return R_REDRAW;
}

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
	if (s && app->ro.show_removed)
		return not_here(app, "edit");
	return s ? roster_edit(app, s->id) : R_NONE;
}

static int key_remove(struct app *app, int key)
{
	const struct rc_student *s = current(app);

	(void)key;
	if (s && app->ro.show_removed)
		return not_here(app, "remove");
	return s ? roster_remove(app, s->id) : R_NONE;
}

/* x: the removed students instead of the active ones, and back. */
static int key_removed(struct app *app, int key)
{
	struct roster_state *r = &app->ro;

	(void)key;
	r->show_removed = !r->show_removed;
	r->sel = r->top = 0;
	r->focus[0] = '\0';
	roster_reload(app);
	tui_message(app, ROLE_NORMAL, r->show_removed ? "Removed students: "
	    "u restores the chosen one, x shows the roster again" : "");
	return R_REDRAW;
}

static int key_restore(struct app *app, int key)
{
	const struct rc_student *s = current(app);

	(void)key;
	if (!app->ro.show_removed) {
		tui_message(app, ROLE_ERROR, "Press x to show the removed "
		    "students, then u on the one to restore");
		return R_REDRAW;
	}
	return s ? roster_restore(app, s) : R_NONE;
}

/* ---- find as you type ---- */

/* Does row i of the listed students contain the folded needle? */
static int row_has(const struct app *app, uint32_t i, const char *needle)
{
	char f[2 * (RC_NAME_MAX + RC_EMAIL_MAX) + 4];
	const struct rc_student *s;
	size_t n;

	if (!app->ro.show_removed && app->fold.n == app->nroster)
		return strstr(app->fold.buf + app->fold.off[i], needle) != NULL;
	s = &list_base(app, &n)[i];
	n = text_fold(s->name, strlen(s->name), f, sizeof f / 2);
	f[n++] = '\x01';
	text_fold(s->email, strlen(s->email), f + n, sizeof f - n);
	return strstr(f, needle) != NULL;
}

/* Select the first match at or after `from` in direction dir (+1/-1). */
static int find_from(struct app *app, size_t from, int dir)
{
	struct roster_state *r = &app->ro;
	char needle[TUI_LINE_MAX * 2];

	text_fold(r->find.s, r->find.len, needle, sizeof needle);
	if (!needle[0] || r->n == 0)
		return 0;
	for (size_t k = 0; k < r->n; k++) {
		size_t i = (from + r->n + (dir > 0 ? k : r->n - k)) % r->n;

		if (row_has(app, r->order[i], needle)) {
			r->sel = i;
			tui_scroll(r->sel, list_rows(app), &r->top);
			return 1;
		}
	}
	return 0;
}

static int key_find(struct app *app, int key)
{
	(void)key;
	app->ro.finding = 1;
	lineedit_clear(&app->ro.find);
	tui_message(app, ROLE_NORMAL, "Find: type part of a name or email; "
	    "Up/Down next match, Enter or Esc ends");
	return R_REDRAW;
}

/* While finding, keys edit the find line; Up/Down go to other matches. */
static int find_key(struct app *app, int key)
{
	struct roster_state *r = &app->ro;
	char before[TUI_LINE_MAX];

	if (!r->finding)
		return -1;
	switch (key) {
	case TK_ENTER:
	case TK_ESC:
		r->finding = 0;
		app->msg[0] = '\0';
		return R_REDRAW;
	case TK_FN(KEY_DOWN):
		find_from(app, r->sel + 1, 1);
		return R_REDRAW;
	case TK_FN(KEY_UP):
		find_from(app, r->sel + r->n - 1, -1);
		return R_REDRAW;
	}
	memcpy(before, r->find.s, r->find.len + 1);
	if (!line_key(&r->find, key))
		return -1;	/* F-keys, Tab... as usual */
	if (strcmp(before, r->find.s) != 0 && r->find.len > 0 &&
	    !find_from(app, 0, 1))
		tui_message(app, ROLE_ERROR, "No student matches \"%s\"",
		    r->find.s);
	else if (r->find.len > 0)
		app->msg[0] = '\0';
	return R_REDRAW;
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
		r->desc = col >= COL_POINTS && col <= COL_LATE; /* biggest */
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
	{ '1', "1-7", "Sort by that column (again: reverse)", key_sort,
	    "Sort" },
	{ '2', NULL, NULL, key_sort, NULL },
	{ '3', NULL, NULL, key_sort, NULL },
	{ '4', NULL, NULL, key_sort, NULL },
	{ '5', NULL, NULL, key_sort, NULL },
	{ '6', NULL, NULL, key_sort, NULL },
	{ '7', NULL, NULL, key_sort, NULL },
	{ 'r', "r", "Reverse the order", key_reverse, NULL },
	{ '/', "/", "Find a student as you type (Up/Down: next match)",
	    key_find, "Find" },
	{ 'x', "x", "Show the removed students (again: the roster)",
	    key_removed, "Removed" },
	{ 'u', "u", "Restore the chosen removed student (asks first)",
	    key_restore, NULL },
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
	w[COL_CODE] = app->cols >= 100 ? 16 : 10;
	rest = app->cols - 1 - (7 + 8 + 6 + 5 + w[COL_CODE]) - (COL_COUNT - 1);
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
		if (i >= COL_POINTS && i <= COL_LATE)	/* numbers: right */
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
	cells[COL_CODE] = s->code;
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
	size_t h = list_rows(app), n;

	if (r->show_removed)
		snprintf(buf, sizeof buf, "Removed students: %zu   (u restores "
		    "the chosen one, x shows the roster)", r->nremoved);
	else
		snprintf(buf, sizeof buf, "Roster: %zu active student%s   "
		    "(%zu removed: x shows them)", app->nroster,
		    app->nroster == 1 ? "" : "s",
		    app->status.students_all - app->status.students);
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
	if (r->finding) {
		tui_put(app, 1, 0, 6, ROLE_KEY, "Find: ");
		line_draw(app, &r->find, 1, 6, app->cols - 6, ROLE_INPUT,
		    NULL);
	}
	widths(app, w);
	draw_header(app, w);
	if (r->n == 0 && r->show_removed) {
		tui_put(app, 4, 3, app->cols - 6, ROLE_NORMAL,
		    "No removed students.");
		return;
	}
	if (r->n == 0) {
		draw_empty(app);
		return;
	}
	for (size_t i = 0; i < h && r->top + i < r->n; i++)
		draw_row(app, 3 + (int)i, &list_base(app, &n)[r->order[r->top +
		    i]], r->top + i == r->sel, w);
}

static int roster_cursor(const struct app *app, int *y, int *x)
{
	if (!app->ro.finding)
		return 0;
	*y = 1;
	*x = 6 + lineedit_cursor_col(&app->ro.find) -
	    lineedit_scroll(&app->ro.find, app->cols - 6);
	return 1;
}

static void roster_start(struct app *app)
{
	app->ro.col = COL_NAME;
}

const struct tui_screen roster_screen = {
	.name = "Roster", .fkey = "F3",
	.enter = roster_enter, .reload = roster_reload, .draw = roster_draw,
	.keys = roster_keys,
	.nkeys = sizeof roster_keys / sizeof roster_keys[0],
	.cursor = roster_cursor, .grab = find_key,
	.start = roster_start, .roster_loaded = roster_reload,
	.free = roster_free,
};
