/*
 * tui_report.c - the Report screen (F8): attendance over a range of
 * school days (SPEC 6), one row per student with a bar for the rate,
 * chronic rows flagged; presets term (first), this week, this month,
 * custom;
 * sorted by name or rate; Enter opens the student, `e` exports CSV.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "query_school.h"
#include "text.h"
#include "tui_app.h"

/* Preset 0, the one the screen opens with, is the `report` default. */
static const char *const preset_names[] = {
	"term", "this week", "this month", "custom"
};

static size_t list_rows(const struct app *app)
{
	int h = app->rows - 7;

	return h > 0 ? (size_t)h : 1;
}

static void view_free(struct report_view *v)
{
	query_report_free(&v->rep);
	free(v->by_rate);
	memset(v, 0, sizeof *v);
}

/* Every kept report goes: the log moved, or the day. */
static void report_free(struct app *app)
{
	for (int i = 0; i < REPORT_VIEWS; i++)
		view_free(&app->rp.views[i]);
	app->rp.view = NULL;
}

/* The report shown (an empty one before the first answer). */
static const struct rc_report *shown(const struct app *app)
{
	static const struct rc_report none;

	return app->rp.view ? &app->rp.view->rep : &none;
}

/* Row i as shown: name order, or by rate through row numbers. */
static const struct rc_report_row *row_at(const struct app *app, size_t i)
{
	const struct report_view *v = app->rp.view;

	return &v->rep.rows[app->rp.by_rate && v->by_rate ? v->by_rate[i] :
	    i];
}

/* The range of a preset, as of today. */
static void preset_range(const struct app *app, int preset, int *has_from,
    int32_t *from, int32_t *to)
{
	int y;
	unsigned m, d;

	*has_from = 1;
	*to = app->today;
	switch (preset) {
	case 1:
		*from = app->today - cal_weekday(app->today);
		*to = *from + 6;
		break;
	case 2:
		clock_civil_from_days(app->today, &y, &m, &d);
		*from = clock_days_from_civil(y, m, 1);
		*to = m == 12 ? clock_days_from_civil(y + 1, 1, 1) - 1 :
		    clock_days_from_civil(y, m + 1, 1) - 1;
		break;
	case 0:
		*has_from = 0;	/* term-start, else the first day */
		break;
	default:
		*from = app->rp.from;
		*to = app->rp.to;
	}
}

/* Row numbers by rate, once per report (sorting moves no row). */
static void sort_view(struct app *app)
{
	struct report_view *v = app->rp.view;

	if (!app->rp.by_rate || v == NULL || v->by_rate || v->rep.n == 0)
		return;
	if ((v->by_rate = malloc(v->rep.n * sizeof *v->by_rate)) == NULL ||
	    query_report_order(v->rep.rows, v->rep.n, v->by_rate) != 0) {
		free(v->by_rate);
		v->by_rate = NULL;
		tui_message(app, ROLE_ERROR, "out of memory");
	}
}

/* The kept view answering o, or the slot to compute it in. */
static struct report_view *find_view(struct report_state *r,
    const struct rc_report_opts *o, int *hit)
{
	struct report_view *v, *old = &r->views[0];

	for (int i = 0; i < REPORT_VIEWS; i++) {
		v = &r->views[i];
		*hit = v->used && v->has_from == o->has_from &&
		    (!o->has_from || v->from == o->from) && v->to == o->to &&
		    v->today == o->today;
		if (*hit)
			return v;
		if (v->used < old->used)
			old = v;
	}
	return old;
}

/* Show the preset's report: kept, or asked for (and then kept). */
static void report_show(struct app *app)
{
	struct report_state *r = &app->rp;
	struct report_view *v;
	struct rc_report_opts o;
	struct rc_report rep;
	int hit;

	memset(&o, 0, sizeof o);
	preset_range(app, r->preset, &o.has_from, &o.from, &o.to);
	o.has_to = 1;
	o.today = app->today;
	o.below = -1;
	v = find_view(r, &o, &hit);
	if (!hit) {
		if (query_report(app->db, &o, &rep) != RC_OK) {
			tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
			return;
		}
		view_free(v);
		v->has_from = o.has_from;
		v->from = o.from;
		v->to = o.to;
		v->today = o.today;
		v->rep = rep;
	}
	v->used = ++r->clock;
	r->view = v;
	sort_view(app);
	if (r->sel >= v->rep.n)
		r->sel = v->rep.n ? v->rep.n - 1 : 0;
	tui_scroll(r->sel, list_rows(app), &r->top);
}

/* The log or the day moved (or the window): ask again. */
static void report_reload(struct app *app)
{
	report_free(app);
	report_show(app);
}

/* Kept reports are of the log as it was: it may have moved since. */
static void report_enter(struct app *app)
{
	report_reload(app);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int key_preset(struct app *app, int key)
{
	app->rp.preset = key == 'w' ? 1 : key == 'm' ? 2 : 0;
	app->rp.sel = app->rp.top = 0;
	report_show(app);
	return R_REDRAW;
}

static int submit_range(struct app *app, struct tui_form *f)
{
	int32_t from, to;

	if (clock_parse_day(f->f[0].line.s, &from) != 0) {
		snprintf(f->f[0].error, sizeof f->f[0].error,
		    "expected YYYY-MM-DD");
		return R_REDRAW;
	}
	if (clock_parse_day(f->f[1].line.s, &to) != 0 || to < from) {
		snprintf(f->f[1].error, sizeof f->f[1].error,
		    "expected YYYY-MM-DD, not before From");
		return R_REDRAW;
	}
	app->rp.preset = 3;
	app->rp.from = from;
	app->rp.to = to;
	app->rp.sel = app->rp.top = 0;
	form_close(app);
	report_show(app);
	return R_REDRAW;
}

static int key_custom(struct app *app, int key)
{
	struct tui_form *f;
	char a[16], b[16];

	(void)key;
	clock_format_day(shown(app)->from, a);
	clock_format_day(shown(app)->to, b);
	f = form_open(app, FORM_FIELDS_KIND, "Report range", submit_range);
	snprintf(f->text, sizeof f->text, "The days of the report. Enter "
	    "shows it, Esc keeps the one shown.");
	form_field(f, "From", a, "YYYY-MM-DD");
	form_field(f, "To", b, "YYYY-MM-DD");
	return R_REDRAW;
}

static int key_sort(struct app *app, int key)
{
	(void)key;
	app->rp.by_rate = !app->rp.by_rate;
	sort_view(app);
	return R_REDRAW;
}

static int key_move(struct app *app, int key)
{
	struct report_state *r = &app->rp;

	if (shown(app)->n == 0)
		return R_NONE;
	tui_move(key, shown(app)->n, list_rows(app) - 1, &r->sel);
	tui_scroll(r->sel, list_rows(app), &r->top);
	return R_REDRAW;
}

static int key_open(struct app *app, int key)
{
	(void)key;
	if (app->rp.sel >= shown(app)->n)
		return R_NONE;
	return tui_open_student(app, row_at(app, app->rp.sel)->id);
}

/* One CSV cell: quoted when needed, user text guarded (SPEC 3). */
static void csv_cell(FILE *fp, const char *s, int user)
{
	const char *p;
	int guard = user && text_csv_risky(s);

	if (!guard && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	if (guard)
		fputc('\'', fp);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

/* The report shown as `rollcall report --format csv` writes it. */
static int write_csv(const struct app *app, const char *path)
{
	const struct rc_report *rep = shown(app);
	FILE *fp;
	char rate[16];
	size_t i;

	if ((fp = fopen(path, "wx")) == NULL)
		return -1;
	fputs("id,name,code,active,school_days,present,early,on_time,late,"
	    "excused,absent,left_early,rate,chronic,points\n", fp);
	for (i = 0; i < rep->n; i++) {
		const struct rc_report_row *r = row_at(app, i);

		cal_format_rate(r->r.rate, rate);
		fprintf(fp, "%s,", r->id);
		csv_cell(fp, r->name, 1);
		fputc(',', fp);
		csv_cell(fp, r->code, 1);
		fprintf(fp, ",%s,%u,%u,%u,%u,%u,%u,%u,%u,%s,%s,%lld\n",
		    r->active ? "true" : "false", r->r.school_days,
		    r->r.present, r->r.early, r->r.on_time, r->r.late,
		    r->r.excused, r->r.absent, r->r.left_early, rate,
		    r->r.chronic ? "true" : "false", (long long)r->r.points);
	}
	if (fclose(fp) != 0)
		return -1;
	return 0;
}

static int submit_export(struct app *app, struct tui_form *f)
{
	const char *path = f->f[0].line.s;

	if (*path == 0) {
		snprintf(f->f[0].error, sizeof f->f[0].error,
		    "name the file to write");
		return R_REDRAW;
	}
	if (write_csv(app, path) != 0) {
		snprintf(f->f[0].error, sizeof f->f[0].error, "cannot write "
		    "it: %s", errno == EEXIST ? "it exists already" :
		    strerror(errno));
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "Wrote %zu rows to %s", shown(app)->n,
	    path);
	form_close(app);
	return R_REDRAW;
}

static int key_export(struct app *app, int key)
{
	struct tui_form *f;

	(void)key;
	f = form_open(app, FORM_FIELDS_KIND, "Export the report",
	    submit_export);
	snprintf(f->text, sizeof f->text, "Write the report shown as CSV. "
	    "An existing file is never overwritten.");
	form_field(f, "File", "", "a new file");
	return R_REDRAW;
}

static const struct tui_binding report_keys[] = {
	{ 'w', "w", "This week", key_preset, "Week" },
	{ 'm', "m", "This month", key_preset, "Month" },
	{ 't', "t", "The term (term-start to today)", key_preset, "Term" },
	{ 'c', "c", "Custom range", key_custom, "Range" },
	{ 's', "s", "Sort by name or by rate", key_sort, "Sort" },
	{ 'e', "e", "Export as CSV to a file", key_export, "Export" },
	{ TK_FN(KEY_UP), "Up/Down", "Choose a student", key_move, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Move a page", key_move, NULL },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_HOME), "Home/End", "First or last row", key_move, NULL },
	{ TK_FN(KEY_END), NULL, NULL, key_move, NULL },
	{ TK_ENTER, "Enter", "Open the chosen student", key_open, "Open" },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

/* A bar of w cells for a rate (tenths): '#' filled, '.' empty. */
static void rate_bar(int32_t rate, int w, char *out)
{
	int i, fill = rate < 0 ? 0 : (int)((rate * w + 500) / 1000);

	for (i = 0; i < w; i++)
		out[i] = i < fill ? '#' : '.';
	out[w] = 0;
}

static void draw_row(const struct app *app, int y, size_t i, int name_w,
    int bar_w)
{
	const struct rc_report_row *r = row_at(app, i);
	int sel = i == app->rp.sel, role = sel ? ROLE_SELECTED : ROLE_NORMAL;
	char buf[120], rate[16], bar[64];

	tui_blank(app, y, 0, app->cols, role);
	tui_put(app, y, 1, name_w, role, r->name);
	snprintf(buf, sizeof buf, "%4u %4u %4u %4u %4u", r->r.school_days,
	    r->r.present, r->r.late, r->r.excused, r->r.absent);
	tui_put(app, y, 2 + name_w, 24, role, buf);
	cal_format_rate(r->r.rate, rate);
	snprintf(buf, sizeof buf, "%5s%%", r->r.rate < 0 ? "-" : rate);
	tui_put(app, y, 27 + name_w, 7, role, buf);
	rate_bar(r->r.rate, bar_w, bar);
	tui_put(app, y, 35 + name_w, bar_w, sel ? role : r->r.chronic ?
	    ROLE_LATE : ROLE_EARLY, bar);
	tui_put(app, y, 36 + name_w + bar_w, 7, sel ? role : ROLE_ERROR,
	    r->r.chronic ? "CHRONIC" : "");
}

static void report_draw(const struct app *app)
{
	const struct report_state *r = &app->rp;
	const struct rc_report *rep = shown(app);
	char a[16], b[16], buf[300], rate[16];
	int bar_w = app->cols >= 100 ? 20 : 10;
	int name_w = app->cols - 45 - bar_w;
	size_t h = list_rows(app), i;

	if (name_w < 8)
		name_w = 8;
	clock_format_day(rep->from, a);
	clock_format_day(rep->to, b);
	cal_format_rate(rep->sum_rate, rate);
	snprintf(buf, sizeof buf, "Report %s: %s to %s, %u school days so "
	    "far   sorted by %s", preset_names[r->preset], a, b,
	    rep->school_days, r->by_rate ? "rate" : "name");
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
	snprintf(buf, sizeof buf, "%zu students   present %llu of %llu "
	    "(%s%%)   chronic %zu", rep->n,
	    (unsigned long long)rep->sum_present,
	    (unsigned long long)rep->sum_days, rep->sum_rate < 0 ? "-" :
	    rate, rep->sum_chronic);
	tui_put(app, 2, 0, app->cols, ROLE_NORMAL, buf);
	tui_blank(app, 3, 0, app->cols, ROLE_TITLE);
	tui_put(app, 3, 1, name_w, ROLE_TITLE, "Name");
	tui_put(app, 3, 2 + name_w, 24, ROLE_TITLE,
	    "Days Pres Late Exc  Abs");
	tui_put(app, 3, 27 + name_w, 7, ROLE_TITLE, "  Rate");
	if (rep->n == 0)
		tui_put(app, 4, 1, app->cols - 1, ROLE_DIM,
		    "No student was enrolled on a school day of this range.");
	for (i = 0; i < h && r->top + i < rep->n; i++)
		draw_row(app, 4 + (int)i, r->top + i, name_w, bar_w);
}

const struct tui_screen report_screen = {
	.name = "Report", .fkey = "F8",
	.enter = report_enter, .reload = report_reload,
	.draw = report_draw, .keys = report_keys,
	.nkeys = sizeof report_keys / sizeof report_keys[0],
	.free = report_free,
};
