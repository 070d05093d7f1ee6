/*
 * tui_student.c - the Student screen: details, figures, the attendance
 * record day by day (newest first) with `v` to void a day, and on `h`
 * the student's history: every event about them, who wrote it, from
 * which desk and how (the audit trail, from the per-student index);
 * beside it a month calendar of marks (SPEC 6), a letter a day in its
 * mark's colour, Left/Right by month.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "command.h"
#include "text.h"
#include "tui_app.h"

static size_t list_rows(const struct app *app)
{
	int h = app->rows - 7;

	return h > 0 ? (size_t)h : 1;
}

static void free_events(struct student_state *s)
{
	for (size_t i = 0; i < s->nev; i++)
		free(s->ev[i]);
	free(s->ev);
	s->ev = NULL;
	s->nev = s->ev_top = 0;
	s->ev_seq = 0;
}

static void free_reasons(struct student_state *s)
{
	for (size_t i = 0; i < s->nwhy; i++)
		free(s->why[i]);
	free(s->why);
	s->why = NULL;
	s->nwhy = 0;
}

static void load_reasons(struct app *app);

static void student_free(struct app *app)
{
	free_reasons(&app->st);
	free(app->st.att);
	app->st.att = NULL;
	app->st.natt = 0;
	free_events(&app->st);
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */

/* One line of the history: seq, local time, type, who, what. */
static void history_format(const struct rc_history *h, char *out,
    size_t cap)
{
	struct rc_local l;
	char day[16], t[10], who[2 * RC_LABEL_MAX + 16];

	clock_to_local(h->recorded_at, &l);
	clock_format_day(l.day, day);
	clock_format_time(l.sec, t);
	/* What first: on a narrow screen the who is what gets cut. */
	if (h->actor[0])
		snprintf(who, sizeof who, "by %s@%s (%s)", h->actor, h->desk,
		    h->source);
	else
		snprintf(who, sizeof who, "(before actors were recorded)");
	snprintf(out, cap, "%8llu  %s %s  %s  %s",
	    (unsigned long long)h->seq, day, t, h->summary, who);
}

/*
 * The student's events from the read side's per-student index: one
 * lookup per event, never a walk of the log (SPEC 7).
 */
static void load_events(struct app *app)
{
	struct student_state *s = &app->st;
	struct rc_history *rows = NULL;
	char line[4 * TUI_LINE_MAX];
	size_t n = 0, i;

	if (query_history(app->db, s->st.id, &rows, &n) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;
	}
	free_events(s);
	if (n > 0 && (s->ev = calloc(n, sizeof *s->ev)) == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		history_format(&rows[i], line, sizeof line);
		if ((s->ev[s->nev] = strdup(line)) != NULL)
			s->nev++;
	}
	free(rows);
}

/* The student to show when none was chosen: the highlighted one. */
static void pick_default(struct app *app)
{
	const struct roster_state *r = &app->ro;
	const struct checkin_state *c = &app->ck;
	uint32_t i;

	if (app->selected[0])
		return;
	if (r->sel < r->n)
		i = r->order[r->sel];
	else if (c->sel < c->nmatch)
		i = c->match[c->sel];
	else
		return;
	if (i < app->nroster)
		snprintf(app->selected, sizeof app->selected, "%s",
		    app->roster[i].id);
}

/* First and last day of the month holding day. */
static void month_of(int32_t day, int32_t *first, int32_t *last)
{
	int y;
	unsigned m, d;

	clock_civil_from_days(day, &y, &m, &d);
	*first = clock_days_from_civil(y, m, 1);
	*last = m == 12 ? clock_days_from_civil(y + 1, 1, 1) - 1 :
	    clock_days_from_civil(y, m + 1, 1) - 1;
}

/* The marks of the month shown (this month at first). */
static void load_marks(struct app *app)
{
	struct student_state *s = &app->st;
	int32_t first, last;

	month_of(s->month ? s->month : app->today, &first, &last);
	s->month = first;
	s->nmarks = 0;
	if (query_marks_month(app->db, s->st.id, first, last, app->today,
	    s->marks) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;
	}
	s->nmarks = (int)(last - first + 1);
}

static void student_reload(struct app *app)
{
	struct student_state *s = &app->st;
	struct rc_attendance *att = NULL;
	struct rc_student st;
	int32_t keep = s->sel < s->natt ? s->att[s->sel].day : -1;
	size_t n = 0;

	pick_default(app);
	if (!app->selected[0]) {
		s->found = 0;
		return;
	}
	if (query_student(app->db, app->selected, &st, &att, &n) != RC_OK) {
		s->found = 0;
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;
	}
	if (!s->found || strcmp(s->st.id, st.id) != 0) {
		free_events(s);
		keep = -1;
		s->sel = s->top = 0;
	}
	free(s->att);
	s->st = st;
	s->att = att;
	s->natt = n;
	s->found = 1;
	for (size_t i = 0; i < n / 2; i++) {	/* newest first */
		struct rc_attendance t = att[i];

		att[i] = att[n - 1 - i];
		att[n - 1 - i] = t;
	}
	s->sel = 0;
	for (size_t i = 0; i < n; i++)
		if (att[i].day == keep)
			s->sel = i;
	tui_scroll(s->sel, list_rows(app), &s->top);
	load_reasons(app);
	if (s->events)
		load_events(app);
	load_marks(app);
}

static void student_enter(struct app *app)
{
	student_reload(app);
}

/*
 * Why each voided check-in was voided, from the student's history (the
 * read side's per-student index): "check-in of DAY voided: REASON".
 */
static void load_reasons(struct app *app)
{
	struct student_state *s = &app->st;
	struct rc_history *rows = NULL;
	char day[16], want[64];
	size_t n = 0, k;

	free_reasons(s);
	if (s->natt == 0 || !(s->why = calloc(s->natt, sizeof *s->why)))
		return;
	s->nwhy = s->natt;
	if (query_history(app->db, s->st.id, &rows, &n) != RC_OK)
		return;
	for (size_t i = 0; i < s->natt; i++) {
		if (!s->att[i].voided)
			continue;
		clock_format_day(s->att[i].day, day);
		snprintf(want, sizeof want, "check-in of %s voided: ", day);
		k = strlen(want);
		for (size_t j = 0; j < n; j++)
			if (strncmp(rows[j].summary, want, k) == 0) {
				free(s->why[i]);
				s->why[i] = strdup(rows[j].summary + k);
			}
	}
	free(rows);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int key_move(struct app *app, int key)
{
	struct student_state *s = &app->st;
	size_t h = list_rows(app);

	if (s->events) {
		size_t top = s->ev_top, max = s->nev > h ? s->nev - h : 0;

		tui_move(key, max + 1, h - 1, &top);
		s->ev_top = top;
		return R_REDRAW;
	}
	tui_move(key, s->natt, h - 1, &s->sel);
	tui_scroll(s->sel, h, &s->top);
	return R_REDRAW;
}

static int submit_void(struct app *app, struct tui_form *f)
{
	char day[16];

	if (command_void(app->db, f->id, f->day, f->f[0].line.s) != RC_OK) {
		form_error(f, db_error(app->db));
		return R_REDRAW;
	}
	clock_format_day(f->day, day);
	tui_message(app, ROLE_OK, "Voided the check-in of %s on %s",
	    app->st.st.name, day);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

static int key_void(struct app *app, int key)
{
	struct student_state *s = &app->st;
	const struct rc_attendance *a;
	struct tui_form *f;
	char day[16], t[10];

	(void)key;
	if (!s->found || s->events || s->sel >= s->natt)
		return R_NONE;
	a = &s->att[s->sel];
	clock_format_day(a->day, day);
	if (a->voided) {
		tui_message(app, ROLE_ERROR, "The check-in of %s is already "
		    "void", day);
		return R_REDRAW;
	}
	clock_format_time(a->arrived, t);
	f = form_open(app, FORM_FIELDS_KIND, "Void check-in", submit_void);
	snprintf(f->id, sizeof f->id, "%s", s->st.id);
	f->day = a->day;
	snprintf(f->text, sizeof f->text, "Void %s's check-in of %s "
	    "(arrived %s, %s, %+d)?\nIt stays in the log, marked void. "
	    "Enter voids, Esc keeps it.", s->st.name, day, t,
	    tui_status_word(a->status), (int)a->points);
	form_field(f, "Reason", "", "optional");
	return R_REDRAW;
}

static int key_month(struct app *app, int key)
{
	struct student_state *s = &app->st;
	int32_t first, last;

	if (!s->found)
		return R_NONE;
	if (key == TK_FN(KEY_LEFT))
		month_of(s->month - 1, &first, &last);
	else
		month_of(s->month + 31, &first, &last);
	s->month = first;
	load_marks(app);
	return R_REDRAW;
}

static int key_history(struct app *app, int key)
{
	struct student_state *s = &app->st;

	(void)key;
	if (!s->found)
		return R_NONE;
	s->events = !s->events;
	if (s->events) {
		load_events(app);
		s->ev_top = s->nev > list_rows(app) ?
		    s->nev - list_rows(app) : 0;
	}
	return R_REDRAW;
}

static int key_edit(struct app *app, int key)
{
	(void)key;
	return app->st.found ? roster_edit(app, app->st.st.id) : R_NONE;
}

static int key_remove(struct app *app, int key)
{
	(void)key;
	return app->st.found ? roster_remove(app, app->st.st.id) : R_NONE;
}

static const struct tui_binding student_keys[] = {
	{ TK_FN(KEY_UP), "Up/Down", "Choose a day (or scroll the events)",
	    key_move, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Move a page", key_move, NULL },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_HOME), "Home/End", "Newest or oldest", key_move, NULL },
	{ TK_FN(KEY_END), NULL, NULL, key_move, NULL },
	{ TK_FN(KEY_LEFT), "Left/Right", "Previous or next month of marks",
	    key_month, "Month" },
	{ TK_FN(KEY_RIGHT), NULL, NULL, key_month, NULL },
	{ 'v', "v", "Void the chosen day's check-in (asks first)", key_void,
	    "Void" },
	{ 'h', "h", "Show or hide this student's events (audit trail)",
	    key_history, "Events" },
	{ 'e', "e", "Edit this student", key_edit, "Edit" },
	{ 'd', "d", "Remove this student (asks first)", key_remove,
	    "Remove" },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static void draw_details(const struct app *app)
{
	const struct rc_student *st = &app->st.st;
	const char *g = query_gender_name(st->gender);
	char buf[TUI_LINE_MAX], day[16];
	int x;

	x = tui_put(app, 1, 1, text_width(st->name) + 2 < app->cols / 2 ?
	    text_width(st->name) + 2 : app->cols / 2, ROLE_KEY, st->name);
	snprintf(buf, sizeof buf, "%s%s%s%s%s  %s%s", st->email[0] ? "<" : "",
	    st->email, st->email[0] ? ">" : "no email",
	    st->code[0] ? "  code " : "", st->code,
	    g ? g : "gender not given", st->active ? "" : "  REMOVED");
	tui_put(app, 1, x + 2, app->cols - x - 2, ROLE_NORMAL, buf);
	clock_format_day(st->reg_day, day);
	snprintf(buf, sizeof buf, "id %s   registered %s", st->id, day);
	tui_put(app, 2, 1, app->cols - 1, ROLE_DIM, buf);
	snprintf(buf, sizeof buf, "Points %lld   Present %u   Early %u   "
	    "On time %u   Late %u", (long long)st->fig.points,
	    (unsigned)st->fig.present, (unsigned)st->fig.early,
	    (unsigned)st->fig.on_time, (unsigned)st->fig.late);
	tui_put(app, 3, 1, app->cols - 1, ROLE_NORMAL, buf);
}

#define MONTH_W 29	/* seven cells of four columns, and a margin */

/* A mark's letter (the signal without colour) and its colour role. */
static char mark_letter(int m)
{
	static const char letters[] = ".EOLXA-";

	return m >= 0 && m <= MARK_PENDING ? letters[m] : '?';
}

static int mark_role(int m)
{
	switch (m) {
	case MARK_EARLY:
		return ROLE_EARLY;
	case MARK_ON_TIME:
		return ROLE_ON_TIME;
	case MARK_LATE:
		return ROLE_LATE;
	case MARK_EXCUSED:
		return ROLE_MARK;
	case MARK_ABSENT:
		return ROLE_ERROR;
	}
	return ROLE_DIM;
}

static void draw_month(const struct app *app, int x)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November",
		"December"
	};
	const struct student_state *s = &app->st;
	char buf[64];
	int y, i, row, col;
	unsigned m, d;

	clock_civil_from_days(s->month, &y, &m, &d);
	snprintf(buf, sizeof buf, "%s %d", months[m - 1], y);
	tui_put(app, 4, x, MONTH_W - 1, ROLE_TITLE, buf);
	for (i = 0; i < 7; i++)
		tui_put(app, 5, x + i * 4, 4, ROLE_DIM, cal_weekday_name(i));
	for (i = 0; i < s->nmarks; i++) {
		col = cal_weekday(s->month + i);
		row = (i + cal_weekday(s->month)) / 7;
		snprintf(buf, sizeof buf, "%2d%c", i + 1,
		    mark_letter(s->marks[i]));
		tui_put(app, 6 + row, x + col * 4, 3, mark_role(s->marks[i]),
		    buf);
	}
	tui_put(app, 13, x, MONTH_W - 1, ROLE_DIM, "E early O on time L late");
	tui_put(app, 14, x, MONTH_W - 1, ROLE_DIM, "X excused A absent - not in");
}

static void draw_attendance(const struct app *app)
{
	const struct student_state *s = &app->st;
	size_t h = list_rows(app);
	int w = app->cols - MONTH_W;

	draw_month(app, w + 1);
	tui_put(app, 4, 0, w, ROLE_TITLE, " Day          Arrived   "
	    "Status    Points  Voided  newest first");
	if (s->natt == 0)
		tui_put(app, 5, 1, app->cols - 1, ROLE_DIM,
		    "No check-ins yet.");
	for (size_t i = 0; i < h && s->top + i < s->natt; i++) {
		const struct rc_attendance *a = &s->att[s->top + i];
		int sel = s->top + i == s->sel, y = 5 + (int)i;
		const char *why = s->why ? s->why[s->top + i] : NULL;
		char day[16], t[10], buf[700];

		clock_format_day(a->day, day);
		clock_format_time(a->arrived, t);
		snprintf(buf, sizeof buf, " %-12s %-9s %-9s %+6d  %s%s%.400s",
		    day, t, tui_status_word(a->status), (int)a->points,
		    a->voided ? "voided" : "", why ? ": " : "", why ? why : "");
		tui_put(app, y, 0, w, sel ? ROLE_SELECTED :
		    a->voided ? ROLE_DIM : ROLE_NORMAL, buf);
		if (!sel && !a->voided)
			tui_put(app, y, 24, 9, tui_status_role(a->status),
			    tui_status_word(a->status));
	}
}

static void draw_events(const struct app *app)
{
	const struct student_state *s = &app->st;
	size_t h = list_rows(app);

	tui_put(app, 4, 0, app->cols, ROLE_TITLE, "     Seq  Recorded (local)"
	    "     What, and by whom   (this student's history)");
	if (s->nev == 0)
		tui_put(app, 5, 1, app->cols - 1, ROLE_DIM, "No events.");
	for (size_t i = 0; i < h && s->ev_top + i < s->nev; i++)
		tui_put(app, 5 + (int)i, 0, app->cols, ROLE_NORMAL,
		    s->ev[s->ev_top + i]);
}

static void student_draw(const struct app *app)
{
	if (!app->st.found) {
		tui_put(app, 2, 2, app->cols - 4, ROLE_NORMAL, "No student "
		    "chosen: pick one on the Roster (F3) and press Enter,");
		tui_put(app, 3, 2, app->cols - 4, ROLE_NORMAL, "or highlight "
		    "one on Check-in (F2) and press F4.");
		return;
	}
	draw_details(app);
	if (app->st.events)
		draw_events(app);
	else
		draw_attendance(app);
}

int tui_open_student(struct app *app, const char *id)
{
	snprintf(app->selected, sizeof app->selected, "%s", id);
	app->st.events = 0;
	app->next = tui_screen_index(&student_screen);
	app->msg[0] = '\0';
	return R_SWITCH | R_REDRAW;
}

const struct tui_screen student_screen = {
	.name = "Student", .fkey = "F4",
	.enter = student_enter, .reload = student_reload,
	.draw = student_draw, .keys = student_keys,
	.nkeys = sizeof student_keys / sizeof student_keys[0],
	.free = student_free,
};
