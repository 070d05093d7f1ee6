/*
 * tui_day.c - the Day screen: who was present (arrival, status, points,
 * early departure) and who was absent on one day, excused (with the
 * reason) or not (today: not in yet); Left/Right move between days, `x`
 * excuses the chosen student, `o` records their early departure.  A
 * closed day, or one that is not a school day, says so (SPEC 6).
 *
 * The list is virtual: a "Present" heading, the present, an "Excused"
 * heading, the excused, an "Absent" heading, the others.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "command.h"
#include "text.h"
#include "tui_app.h"

/* ------------------------------------------------------------------ */
/* Export: the day as CSV, the columns of `rollcall day --format csv`   */

/*
 * One CSV cell (RFC 4180).  User text gets the formula guard of SPEC 3:
 * after any leading ', a first = + - @ TAB or CR earns one more '.
 */
static void csv_cell(FILE *f, const char *s, int user_text)
{
	if (user_text && text_csv_risky(s))
		fputc('\'', f);
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

#define DAY_CSV_COLS 11

/* One row; cells[2] (name), [7] (code) are user text; NULL is empty. */
static void csv_row(FILE *f, const char *const cells[DAY_CSV_COLS])
{
	for (int i = 0; i < DAY_CSV_COLS; i++) {
		if (i)
			fputc(',', f);
		csv_cell(f, cells[i] ? cells[i] : "", i == 2 || i == 7);
	}
	fputc('\n', f);
}

/*
 * Write the day to path (0600, replacing it only once written whole).
 * With bom, a UTF-8 byte order mark first: spreadsheets on Windows
 * need it, scripts do not.  Returns 0, or -1 with why set.
 */
static int export_day(const struct day_state *d, const char *path,
    int bom, char *why, size_t cap)
{
	char tmp[TUI_LINE_MAX + 300], day[16], t[10], pts[16], left[10];
	FILE *f;
	int fd, bad;

	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(why, cap, "file: cannot write it: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	clock_format_day(d->day, day);
	if (bom)
		fputs("\xef\xbb\xbf", f);
	{
		static const char *const head[DAY_CSV_COLS] = { "day", "id",
		    "name", "present", "arrived", "status", "points", "code",
		    "left_at", "excused", "reason" };
		csv_row(f, head);
	}
	for (size_t i = 0; i < d->npresent; i++) {
		const struct rc_present *p = &d->present[i];
		const char *cells[DAY_CSV_COLS] = { day, p->id, p->name, "true",
		    t, policy_status_name(p->status), pts, p->code,
		    p->has_left ? left : NULL, p->excused ? "true" : "false",
		    NULL };

		clock_format_time(p->arrived, t);
		clock_format_time(p->left, left);
		snprintf(pts, sizeof pts, "%d", (int)p->points);
		csv_row(f, cells);
	}
	for (size_t i = 0; i < d->nabsent; i++) {
		const struct rc_absent *a = &d->absent[i];
		const char *cells[DAY_CSV_COLS] = { day, a->id, a->name,
		    "false", NULL, NULL, NULL, a->code,
		    NULL, a->excuse ? "true" : "false",
		    event_excuse_name(a->excuse) };

		csv_row(f, cells);
	}
	bad = ferror(f) | fflush(f) | fsync(fileno(f));
	bad |= fclose(f);
	if (bad || rename(tmp, path) != 0) {
		snprintf(why, cap, "file: cannot write it: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int submit_export(struct app *app, struct tui_form *f)
{
	char path[TUI_LINE_MAX + 256], why[300];
	const char *bom = f->f[1].line.s;

	tui_path(f->f[0].line.s, path, sizeof path);
	if (tui_file_problem(path, 1, why, sizeof why)) {
		form_error(f, why);
		return R_REDRAW;
	}
	if (bom[0] && !strchr("yYnN", bom[0])) {
		form_error(f, "bom: answer yes or no");
		return R_REDRAW;
	}
	if (export_day(&app->dy, path, bom[0] == 'y' || bom[0] == 'Y', why,
	    sizeof why) != 0) {
		form_error(f, why);
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "Wrote %zu present and %zu absent to %s",
	    app->dy.npresent, app->dy.nabsent, path);
	form_close(app);
	return R_REDRAW;
}

/* w: write the day shown as CSV, to a file named in a prompt. */
static int key_export(struct app *app, int key)
{
	struct tui_form *f = form_open(app, FORM_FIELDS_KIND,
	    "Export the day as CSV", submit_export);
	char day[16], name[64];

	(void)key;
	clock_format_day(app->dy.day, day);
	snprintf(name, sizeof name, "~/rollcall-day-%s.csv", day);
	snprintf(f->text, sizeof f->text, "Who was present and absent on %s, "
	    "as rollcall day --format csv writes it.", day);
	form_field(f, "File", name, "Tab completes; an existing file is "
	    "replaced");
	f->f[0].file = 1;
	form_field(f, "BOM", "no", "yes: a byte order mark for spreadsheets "
	    "on Windows");
	return R_REDRAW;
}

static size_t list_rows(const struct app *app)
{
	int h = app->rows - 5;

	return h > 0 ? (size_t)h : 1;
}

static size_t nrows(const struct day_state *d)
{
	return d->npresent + d->nabsent + 3;
}

/* First virtual rows of the excused and the not excused lists. */
static size_t exc_row(const struct day_state *d)
{
	return d->npresent + 1;
}

static size_t abs_row(const struct day_state *d)
{
	return d->npresent + d->nexcused + 2;
}

/* Excused students first, each group keeping its name order. */
static size_t excused_first(struct rc_absent *a, size_t n)
{
	struct rc_absent *tmp;
	size_t i, k = 0, ne = 0;

	for (i = 0; i < n; i++)
		ne += a[i].excuse != 0;
	if (ne == 0 || ne == n || (tmp = malloc(n * sizeof(*tmp))) == NULL)
		return ne == n ? n : ne;
	for (i = 0; i < n; i++)
		if (a[i].excuse != 0)
			tmp[k++] = a[i];
	for (i = 0; i < n; i++)
		if (a[i].excuse == 0)
			tmp[k++] = a[i];
	memcpy(a, tmp, n * sizeof(*a));
	free(tmp);
	return ne;
}

static void day_free(struct app *app)
{
	free(app->dy.present);
	free(app->dy.absent);
	app->dy.present = NULL;
	app->dy.absent = NULL;
	app->dy.npresent = app->dy.nabsent = 0;
}

static void day_reload(struct app *app)
{
	struct day_state *d = &app->dy;
	struct rc_present *p = NULL;
	struct rc_absent *a = NULL;
	size_t np = 0, na = 0;

	if (query_day(app->db, d->day, &p, &np, &a, &na) != RC_OK ||
	    query_calday(app->db, d->day, &d->cal) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		free(p);
		free(a);
		return;
	}
	day_free(app);
	d->present = p;
	d->absent = a;
	d->npresent = np;
	d->nabsent = na;
	d->nexcused = excused_first(a, na);
	if (d->sel >= nrows(d))
		d->sel = nrows(d) - 1;
	tui_scroll(d->sel, list_rows(app), &d->top);
}

static void day_enter(struct app *app)
{
	day_reload(app);
}

/* The student id on virtual row i, or NULL on a heading. */
static const char *row_id(const struct day_state *d, size_t i)
{
	if (i >= 1 && i <= d->npresent)
		return d->present[i - 1].id;
	if (i > exc_row(d) && i < abs_row(d))
		return d->absent[i - exc_row(d) - 1].id;
	if (i > abs_row(d) && i < nrows(d))
		return d->absent[d->nexcused + i - abs_row(d) - 1].id;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int go_day(struct app *app, int32_t day)
{
	app->dy.day = day;
	app->dy.sel = app->dy.top = 0;
	day_reload(app);
	return R_REDRAW;
}

static int key_prev(struct app *app, int key)
{
	(void)key;
	return go_day(app, app->dy.day - 1);
}

static int key_next(struct app *app, int key)
{
	(void)key;
	return go_day(app, app->dy.day + 1);
}

static int key_today(struct app *app, int key)
{
	(void)key;
	return go_day(app, app->today);
}

static int key_move(struct app *app, int key)
{
	struct day_state *d = &app->dy;

	tui_move(key, nrows(d), list_rows(app) - 1, &d->sel);
	tui_scroll(d->sel, list_rows(app), &d->top);
	return R_REDRAW;
}

static int key_open(struct app *app, int key)
{
	const char *id = row_id(&app->dy, app->dy.sel);

	(void)key;
	return id ? tui_open_student(app, id) : R_NONE;
}

static int submit_excuse(struct app *app, struct tui_form *f)
{
	int32_t to = f->day;
	const char *note = f->f[2].line.s;
	size_t n = 0;

	form_clear_errors(f);
	if (f->f[1].line.len > 0 && clock_parse_day(f->f[1].line.s, &to)) {
		snprintf(f->f[1].error, sizeof f->f[1].error,
		    "expected YYYY-MM-DD");
		return R_REDRAW;
	}
	if (command_excuse(app->db, f->id, f->day, to, f->f[0].line.s,
	    *note ? note : NULL, &n) != RC_OK) {
		form_error(f, db_error(app->db));
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "Excused %zu school day%s", n,
	    n == 1 ? "" : "s");
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

static int key_excuse(struct app *app, int key)
{
	const char *id = row_id(&app->dy, app->dy.sel);
	struct tui_form *f;
	char day[16];

	(void)key;
	if (id == NULL)
		return R_NONE;
	clock_format_day(app->dy.day, day);
	f = form_open(app, FORM_FIELDS_KIND, "Excuse an absence",
	    submit_excuse);
	snprintf(f->id, sizeof f->id, "%s", id);
	f->day = app->dy.day;
	snprintf(f->text, sizeof f->text, "Excuse from %s (each school day "
	    "to To). Reasons: illness, medical, family, religious, "
	    "school_activity, other.", day);
	form_field(f, "Reason", "illness", "a reason code");
	form_field(f, "To", "", "optional last day, YYYY-MM-DD");
	form_field(f, "Note", "", "optional");
	return R_REDRAW;
}

static int submit_checkout(struct app *app, struct tui_form *f)
{
	struct rc_checkout out;
	struct rc_local at;
	char t[10];

	form_clear_errors(f);
	at.day = f->day;
	if (clock_parse_hhmm(f->f[0].line.s, &at.sec) != 0) {
		snprintf(f->f[0].error, sizeof f->f[0].error,
		    "expected HH:MM");
		return R_REDRAW;
	}
	if (command_checkout(app->db, f->id, &at, f->f[1].line.s, &out) !=
	    RC_OK) {
		form_error(f, db_error(app->db));
		return R_REDRAW;
	}
	clock_format_time(out.left, t);
	tui_message(app, ROLE_OK, "%s left at %s", out.name, t);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

static int key_checkout(struct app *app, int key)
{
	const struct day_state *d = &app->dy;
	struct tui_form *f;
	struct rc_local now;
	int64_t us;
	char hhmm[8] = "";

	(void)key;
	if (d->sel < 1 || d->sel > d->npresent)
		return R_NONE;
	if (clock_now(&us, &now) == 0 && now.day == d->day)
		clock_format_hhmm(now.sec, hhmm);
	f = form_open(app, FORM_FIELDS_KIND, "Early departure",
	    submit_checkout);
	snprintf(f->id, sizeof f->id, "%s", d->present[d->sel - 1].id);
	f->day = d->day;
	snprintf(f->text, sizeof f->text, "%s leaves early.",
	    d->present[d->sel - 1].name);
	form_field(f, "Time", hhmm, "HH:MM, not before the arrival");
	form_field(f, "Reason", "", "optional");
	return R_REDRAW;
}

static const struct tui_binding day_keys[] = {
	{ TK_FN(KEY_LEFT), "Left/Right", "Previous or next day", key_prev,
	    "Day" },
	{ TK_FN(KEY_RIGHT), NULL, NULL, key_next, NULL },
	{ 't', "t", "Today", key_today, "Today" },
	{ TK_FN(KEY_UP), "Up/Down", "Choose a student", key_move, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Move a page", key_move, NULL },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_HOME), "Home/End", "First or last row", key_move, NULL },
	{ TK_FN(KEY_END), NULL, NULL, key_move, NULL },
	{ TK_ENTER, "Enter", "Open the chosen student", key_open, "Open" },
	{ 'w', "w", "Write the day to a CSV file", key_export, "Export" },
	{ 'x', "x", "Excuse the chosen student's absence", key_excuse,
	    "Excuse" },
	{ 'o', "o", "Record the chosen student's early departure",
	    key_checkout, "Left early" },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static const char *weekday(int32_t day)
{
	static const char *const names[7] = {
		"Thursday", "Friday", "Saturday", "Sunday", "Monday",
		"Tuesday", "Wednesday"
	};
	int w = day % 7;

	return names[w < 0 ? w + 7 : w];	/* 1970-01-01 was a Thursday */
}

static void draw_row(const struct app *app, int y, size_t i, int sel,
    int name_w)
{
	const struct day_state *d = &app->dy;
	int role = sel ? ROLE_SELECTED : ROLE_NORMAL;
	char buf[120], t[10];

	tui_blank(app, y, 0, app->cols, role);
	if (i == 0 || i == exc_row(d) || i == abs_row(d)) {
		snprintf(buf, sizeof buf, "%s: %zu", i == 0 ? "Present" :
		    i == abs_row(d) ? (d->day == app->today ? "Not in yet" :
		    "Absent, not excused") : "Excused", i == 0 ? d->npresent :
		    i == abs_row(d) ? d->nabsent - d->nexcused : d->nexcused);
		tui_put(app, y, 1, app->cols - 1, sel ? role : ROLE_KEY, buf);
		return;
	}
	if (i <= d->npresent) {
		const struct rc_present *p = &d->present[i - 1];

		tui_put(app, y, 3, name_w, role, p->name);
		clock_format_time(p->arrived, t);
		tui_put(app, y, 4 + name_w, 9, role, t);
		tui_put(app, y, 14 + name_w, 8, sel ? role :
		    tui_status_role(p->status), tui_status_word(p->status));
		snprintf(buf, sizeof buf, "%+6d", (int)p->points);
		tui_put(app, y, 23 + name_w, 7, role, buf);
		if (p->has_left) {
			clock_format_hhmm(p->left, t);
			snprintf(buf, sizeof buf, "left %s", t);
			tui_put(app, y, 31 + name_w, app->cols - 31 - name_w,
			    sel ? role : ROLE_DIM, buf);
		}
		return;
	}
	if (i < abs_row(d)) {
		const struct rc_absent *a = &d->absent[i - exc_row(d) - 1];

		tui_put(app, y, 3, name_w, role, a->name);
		tui_put(app, y, 4 + name_w, app->cols - 4 - name_w,
		    sel ? role : ROLE_DIM, event_excuse_name(a->excuse) ?
		    event_excuse_name(a->excuse) : "");
		return;
	}
	tui_put(app, y, 3, name_w, role,
	    d->absent[d->nexcused + i - abs_row(d) - 1].name);
}

static void day_draw(const struct app *app)
{
	const struct day_state *d = &app->dy;
	char day[16], buf[800];
	int name_w = app->cols - 44;
	size_t h = list_rows(app);

	clock_format_day(d->day, day);
	snprintf(buf, sizeof buf, "Day %s, %s%s   Present %zu   %s %zu%s%s",
	    day, weekday(d->day), d->day == app->today ? " (today)" : "",
	    d->npresent, d->day == app->today ? "Not in yet" : "Absent",
	    d->nabsent, d->cal.closed ? "   Closed: " : d->cal.school ? "" :
	    "   Not a school day", d->cal.closed ? d->cal.reason : "");
	tui_put(app, 1, 0, app->cols, d->cal.closed ? ROLE_LATE : ROLE_KEY,
	    buf);
	tui_blank(app, 2, 0, app->cols, ROLE_TITLE);
	tui_put(app, 2, 3, name_w, ROLE_TITLE, "Name");
	tui_put(app, 2, 4 + name_w, 9, ROLE_TITLE, "Arrived");
	tui_put(app, 2, 14 + name_w, 8, ROLE_TITLE, "Status");
	tui_put(app, 2, 23 + name_w, 7, ROLE_TITLE, "Points");
	for (size_t i = 0; i < h && d->top + i < nrows(d); i++)
		draw_row(app, 3 + (int)i, d->top + i, d->top + i == d->sel,
		    name_w);
}

static void day_start(struct app *app)
{
	app->dy.day = app->today;
}

const struct tui_screen day_screen = {
	.name = "Day", .fkey = "F5",
	.enter = day_enter, .reload = day_reload, .draw = day_draw,
	.keys = day_keys, .nkeys = sizeof day_keys / sizeof day_keys[0],
	.start = day_start, .free = day_free,
};
