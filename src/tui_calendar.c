/*
 * tui_calendar.c - the Calendar screen (F9): a month of days, each a
 * school day, a weekend (not in school-days, or outside the term) or
 * closed with its reason (SPEC 6); `c` closes the chosen day (or a
 * range from it), `r` reopens it.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "command.h"
#include "query_school.h"
#include "tui_app.h"

static void calendar_free(struct app *app)
{
	free(app->cl.days);
	app->cl.days = NULL;
	app->cl.n = 0;
}

static void month_of(int32_t day, int32_t *first, int32_t *last)
{
	int y;
	unsigned m, d;

	clock_civil_from_days(day, &y, &m, &d);
	*first = clock_days_from_civil(y, m, 1);
	*last = m == 12 ? clock_days_from_civil(y + 1, 1, 1) - 1 :
	    clock_days_from_civil(y, m + 1, 1) - 1;
}

static void calendar_reload(struct app *app)
{
	struct calendar_state *c = &app->cl;
	struct rc_calday *days = NULL;
	int32_t first, last;
	size_t n = 0;

	if (c->sel == 0)
		c->sel = app->today;
	month_of(c->sel, &first, &last);
	if (query_calendar(app->db, first, last, &days, &n) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;
	}
	calendar_free(app);
	c->days = days;
	c->n = n;
	c->first = first;
}

static void calendar_enter(struct app *app)
{
	calendar_reload(app);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int go(struct app *app, int32_t day)
{
	int32_t first = app->cl.first;

	app->cl.sel = day;
	if (day < first || day >= first + (int32_t)app->cl.n)
		calendar_reload(app);
	return R_REDRAW;
}

static int key_move(struct app *app, int key)
{
	int32_t d = app->cl.sel;
	int y;
	unsigned m, dd;

	switch (key) {
	case TK_FN(KEY_LEFT):
		return go(app, d - 1);
	case TK_FN(KEY_RIGHT):
		return go(app, d + 1);
	case TK_FN(KEY_UP):
		return go(app, d - 7);
	case TK_FN(KEY_DOWN):
		return go(app, d + 7);
	}
	clock_civil_from_days(d, &y, &m, &dd);
	if (key == TK_FN(KEY_PPAGE))
		return go(app, m == 1 ? clock_days_from_civil(y - 1, 12, 1) :
		    clock_days_from_civil(y, m - 1, 1));
	return go(app, m == 12 ? clock_days_from_civil(y + 1, 1, 1) :
	    clock_days_from_civil(y, m + 1, 1));
}

static int key_today(struct app *app, int key)
{
	(void)key;
	return go(app, app->today);
}

static int submit_close(struct app *app, struct tui_form *f)
{
	int32_t to = f->day;
	char a[16];

	form_clear_errors(f);
	if (f->f[1].line.len > 0 && clock_parse_day(f->f[1].line.s, &to)) {
		snprintf(f->f[1].error, sizeof f->f[1].error,
		    "expected YYYY-MM-DD");
		return R_REDRAW;
	}
	if (command_close(app->db, f->day, to, f->f[0].line.s) != RC_OK) {
		form_error(f, db_error(app->db));
		return R_REDRAW;
	}
	clock_format_day(f->day, a);
	tui_message(app, ROLE_OK, "Closed %s", a);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

static int key_close(struct app *app, int key)
{
	struct tui_form *f;
	char a[16];

	(void)key;
	clock_format_day(app->cl.sel, a);
	f = form_open(app, FORM_FIELDS_KIND, "Close a day", submit_close);
	f->day = app->cl.sel;
	snprintf(f->text, sizeof f->text, "Close %s (a holiday, a snow "
	    "day): it stops being a school day in every report, past ones "
	    "too.", a);
	form_field(f, "Reason", "", "why it is closed");
	form_field(f, "To", "", "optional last day, YYYY-MM-DD");
	return R_REDRAW;
}

static int key_reopen(struct app *app, int key)
{
	char a[16];

	(void)key;
	clock_format_day(app->cl.sel, a);
	if (command_reopen(app->db, app->cl.sel, app->cl.sel, NULL) != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	else
		tui_message(app, ROLE_OK, "Reopened %s", a);
	return R_RELOAD | R_REDRAW;
}

static const struct tui_binding calendar_keys[] = {
	{ TK_FN(KEY_LEFT), "Arrows", "Choose a day", key_move, NULL },
	{ TK_FN(KEY_RIGHT), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_UP), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Previous or next month", key_move,
	    "Month" },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_move, NULL },
	{ 't', "t", "Today", key_today, "Today" },
	{ 'c', "c", "Close the chosen day (or a range from it)", key_close,
	    "Close" },
	{ 'r', "r", "Reopen the chosen day", key_reopen, "Reopen" },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* A day's cell: its number and a letter (S school, W weekend, C closed). */
static void draw_day(const struct app *app, const struct rc_calday *d,
    int y, int x)
{
	int y0;
	unsigned m, dd;
	int sel = d->day == app->cl.sel;
	int role = sel ? ROLE_SELECTED : d->closed ? ROLE_LATE : d->school ?
	    ROLE_EARLY : ROLE_DIM;
	char buf[16];

	clock_civil_from_days(d->day, &y0, &m, &dd);
	snprintf(buf, sizeof buf, "%2u %c%s", dd, d->closed ? 'C' :
	    d->school ? 'S' : 'W', d->day == app->today ? "*" : "");
	tui_put(app, y, x, 8, role, buf);
}

static void calendar_draw(const struct app *app)
{
	const struct calendar_state *c = &app->cl;
	const struct rc_calday *s = NULL;
	char buf[700], a[16];
	int y0, col, row, x0 = 2;
	unsigned m, dd;
	size_t i;

	if (c->n == 0)
		return;
	clock_civil_from_days(c->first, &y0, &m, &dd);
	snprintf(buf, sizeof buf, "Calendar %s %d   S school day, W not a "
	    "school day, C closed, * today", month_names[m - 1], y0);
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
	tui_blank(app, 3, 0, app->cols, ROLE_TITLE);
	for (col = 0; col < 7; col++)
		tui_put(app, 3, x0 + col * 9, 8, ROLE_TITLE,
		    cal_weekday_name(col));
	for (i = 0; i < c->n; i++) {
		col = cal_weekday(c->days[i].day);
		row = (int)((i + (size_t)cal_weekday(c->first)) / 7);
		draw_day(app, &c->days[i], 4 + row, x0 + col * 9);
		if (c->days[i].day == c->sel)
			s = &c->days[i];
	}
	if (s == NULL)
		return;
	clock_format_day(s->day, a);
	snprintf(buf, sizeof buf, "%s %s: %s%s", cal_weekday_name(s->weekday),
	    a, s->closed ? "closed: " : s->school ? "a school day" :
	    "not a school day", s->closed ? s->reason : "");
	tui_put(app, 11, x0, app->cols - x0, s->closed ? ROLE_LATE :
	    ROLE_NORMAL, buf);
}

const struct tui_screen calendar_screen = {
	.name = "Calendar", .fkey = "F9",
	.enter = calendar_enter, .reload = calendar_reload,
	.draw = calendar_draw, .keys = calendar_keys,
	.nkeys = sizeof calendar_keys / sizeof calendar_keys[0],
	.free = calendar_free,
};
