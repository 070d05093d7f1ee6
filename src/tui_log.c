/*
 * tui_log.c - the Log screen: the event log, newest last, one line per
 * event with a summary for people that names the student; a filter by
 * student or type; Enter shows the whole event.  Unfiltered, one page is
 * read at a time and at the end it follows new events; filtered, the
 * matches are collected once and then only new events are looked at.
 */
#include <curses.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "event.h"
#include "event_json.h"
#include "text.h"
#include "tui_app.h"

/* ------------------------------------------------------------------ */
/* Lines for people (terminal-free)                                     */

static void t_copy(char *out, size_t cap, const struct rc_text *t)
{
	snprintf(out, cap, "%.*s", (int)t->len, t->s);
}

static void summary_updated(const struct rc_event *ev, const char *who,
    char *out, size_t cap)
{
	char name[RC_NAME_MAX + 1] = "", email[RC_EMAIL_MAX + 1] = "";
	const char *g = query_gender_name(ev->u.upd.gender);
	size_t n;

	n = (size_t)snprintf(out, cap, "updated %s:", who);
	if (ev->u.upd.fields & UPD_NAME) {
		t_copy(name, sizeof name, &ev->u.upd.name);
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0,
		    " name %s", name);
	}
	if (ev->u.upd.fields & UPD_EMAIL) {
		t_copy(email, sizeof email, &ev->u.upd.email);
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0,
		    " email %s", email);
	}
	if (ev->u.upd.fields & UPD_GENDER)
		snprintf(out + n, n < cap ? cap - n : 0, " gender %s",
		    g ? g : "not given");
}

static void summary_config(const struct rc_event *ev, char *out,
    size_t cap)
{
	json_t *d = event_json_data(ev), *k, *v;
	char *val = NULL;

	k = d ? json_object_get(d, "key") : NULL;
	v = d ? json_object_get(d, "value") : NULL;
	if (v)
		val = json_is_string(v) ? strdup(json_string_value(v)) :
		    json_dumps(v, JSON_ENCODE_ANY);
	if (k && json_is_string(k))
		snprintf(out, cap, "setting %s set to %s",
		    json_string_value(k), val ? val : "(unset)");
	else
		snprintf(out, cap, "a setting changed");
	free(val);
	json_decref(d);
}

/* Any other type: its data, compact, without the id. */
static void summary_other(const struct rc_event *ev, const char *who,
    char *out, size_t cap)
{
	json_t *d = event_json_data(ev);
	char *data = NULL;

	if (d) {
		json_object_del(d, "id");
		data = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	snprintf(out, cap, "%s%s%s", who, data && strcmp(data, "{}") ?
	    " " : "", data && strcmp(data, "{}") ? data : "");
	free(data);
	json_decref(d);
}

void log_summary(const struct rc_event *ev, const char *name, char *out,
    size_t cap)
{
	char who[RC_NAME_MAX + 1], day[16], t[10];
	struct rc_local l;

	if (name)
		snprintf(who, sizeof who, "%s", name);
	else if (ev->type == EV_STUDENT_REGISTERED)
		t_copy(who, sizeof who, &ev->u.reg.name);
	else
		snprintf(who, sizeof who, "a student");
	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		snprintf(out, cap, "registered %s <%.*s>", who,
		    (int)ev->u.reg.email.len, ev->u.reg.email.s);
		return;
	case EV_STUDENT_UPDATED:
		summary_updated(ev, who, out, cap);
		return;
	case EV_STUDENT_REMOVED:
		snprintf(out, cap, "removed %s", who);
		return;
	case EV_STUDENT_RESTORED:
		snprintf(out, cap, "restored %s", who);
		return;
	case EV_STUDENT_ERASED:
		snprintf(out, cap, "erased the personal data of %s", who);
		return;
	case EV_ATTENDANCE_RECORDED:
		clock_format_day(ev->u.att.day, day);
		clock_format_time(ev->u.att.arrived, t);
		clock_to_local(ev->recorded_at, &l);
		/* The day only when back-dated: it is usually the line's. */
		snprintf(out, cap, "checked in %s, %s, %+d, at %s%s%s", who,
		    tui_status_word(ev->u.att.status), (int)ev->u.att.points,
		    t, l.day != ev->u.att.day ? " on " : "",
		    l.day != ev->u.att.day ? day : "");
		return;
	case EV_ATTENDANCE_VOIDED:
		clock_format_day(ev->u.vd.day, day);
		snprintf(out, cap, "voided the check-in of %s on %s%s%.*s",
		    who, day, ev->u.vd.reason.len ? ": " : "",
		    (int)ev->u.vd.reason.len, ev->u.vd.reason.s);
		return;
	case EV_CONFIG_CHANGED:
		summary_config(ev, out, cap);
		return;
	}
	summary_other(ev, who, out, cap);
}

void log_format_named(const struct rc_event *ev, int ok, const char *why,
    const char *name, char *out, size_t cap)
{
	const char *type = event_type_name(ev->type);
	struct rc_local l;
	char day[16], t[10], what[2 * TUI_LINE_MAX];

	clock_to_local(ev->recorded_at, &l);
	clock_format_day(l.day, day);
	clock_format_time(l.sec, t);
	if (ok)
		log_summary(ev, name, what, sizeof what);
	else
		snprintf(what, sizeof what, "(cannot be read: %s)",
		    why ? why : "damaged");
	snprintf(out, cap, "%8llu  %s %s  %-19s %s",
	    (unsigned long long)ev->seq, day, t, type ? type : "?", what);
}

void log_format(const struct rc_event *ev, int ok, const char *why,
    char *out, size_t cap)
{
	log_format_named(ev, ok, why, NULL, out, cap);
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */

static size_t page_rows(const struct app *app)
{
	int h = app->rows - 5;

	return h > 0 ? (size_t)h : 1;
}

static void free_lines(struct log_state *lg)
{
	for (size_t i = 0; i < lg->n; i++)
		free(lg->lines[i]);
	lg->n = 0;
}

static void log_free(struct app *app)
{
	struct log_state *lg = &app->lg;

	free_lines(lg);
	free(lg->lines);
	free(lg->seqs);
	free(lg->who);
	lg->lines = NULL;
	lg->seqs = NULL;
	lg->who = NULL;
	lg->n = lg->cap = lg->nwho = 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct rc_student *)a)->id,
	    ((const struct rc_student *)b)->id);
}

/* Every student's name by id, removed ones too: lines name them. */
static void load_names(struct app *app)
{
	struct log_state *lg = &app->lg;

	free(lg->who);
	lg->who = NULL;
	lg->nwho = 0;
	if (query_students(app->db, 1, &lg->who, &lg->nwho) != RC_OK)
		return;
	if (lg->nwho > 1)
		qsort(lg->who, lg->nwho, sizeof *lg->who, by_id);
}

static const char *name_of(const struct log_state *lg,
    const struct rc_event *ev)
{
	struct rc_student key;
	const struct rc_student *s;

	if (ev->type == EV_CONFIG_CHANGED || lg->nwho == 0)
		return NULL;
	event_id_text(ev->id, key.id);
	s = bsearch(&key, lg->who, lg->nwho, sizeof *lg->who, by_id);
	return s ? s->name : NULL;
}

static int keep_line(struct log_state *lg, const char *line, uint64_t seq)
{
	if (lg->n == lg->cap) {
		size_t cap = lg->cap ? 2 * lg->cap : 64;
		char **nl = realloc(lg->lines, cap * sizeof *nl);
		uint64_t *ns;

		if (!nl)
			return 1;
		lg->lines = nl;
		if (!(ns = realloc(lg->seqs, cap * sizeof *ns)))
			return 1;
		lg->seqs = ns;
		lg->cap = cap;
	}
	if (!(lg->lines[lg->n] = strdup(line)))
		return 1;
	lg->seqs[lg->n++] = seq;
	return 0;
}

static int collect(void *ctx, const struct rc_event *ev, int ok,
    const char *why)
{
	struct log_state *lg = ctx;
	char line[4 * TUI_LINE_MAX], folded[8 * TUI_LINE_MAX];

	log_format_named(ev, ok, why, ok ? name_of(lg, ev) : NULL, line,
	    sizeof line);
	lg->scanned = ev->seq;
	if (lg->filter[0]) {
		text_fold(line, strlen(line), folded, sizeof folded);
		if (!strstr(folded, lg->filter))
			return 0;
	}
	return keep_line(lg, line, ev->seq);
}

/* The first sequence of the last page. */
static uint64_t last_page(const struct app *app)
{
	uint64_t head = app->status.head, h = page_rows(app);

	return head > h ? head - h + 1 : 1;
}

/* Filtered: look at the events not yet looked at, keep the matches. */
static void reload_filtered(struct app *app)
{
	struct log_state *lg = &app->lg;
	int at_end = lg->n == 0 || lg->sel + 1 >= lg->n;

	if (app->status.head > lg->scanned &&
	    query_events(app->db, lg->scanned + 1, 0, collect, lg) != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	if (lg->follow && at_end && lg->n)
		lg->sel = lg->n - 1;
	if (lg->sel >= lg->n)
		lg->sel = lg->n ? lg->n - 1 : 0;
	tui_scroll(lg->sel, page_rows(app), &lg->vtop);
}

/* Unfiltered: read the page at lg->top (or the last when following). */
static void log_reload(struct app *app)
{
	struct log_state *lg = &app->lg;

	load_names(app);
	if (lg->filter[0]) {
		reload_filtered(app);
		return;
	}
	if (lg->follow || lg->top > last_page(app))
		lg->top = last_page(app);
	if (lg->top < 1)
		lg->top = 1;
	free_lines(lg);
	lg->vtop = 0;
	if (app->status.head > 0 && query_events(app->db, lg->top,
	    page_rows(app), collect, lg) != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	/* Following: a new event takes the choice along to it. */
	if (lg->follow && lg->n && app->status.head != lg->head_seen)
		lg->sel = lg->n - 1;
	lg->head_seen = app->status.head;
	if (lg->sel >= lg->n)
		lg->sel = lg->n ? lg->n - 1 : 0;
}

static void log_enter(struct app *app)
{
	log_reload(app);
}

/* Start over with a new filter (folded), or none. */
static void set_filter(struct app *app, const char *text)
{
	struct log_state *lg = &app->lg;

	text_fold(text, strlen(text), lg->filter, sizeof lg->filter);
	free_lines(lg);
	lg->scanned = 0;
	lg->sel = lg->vtop = 0;
	lg->follow = 1;
	log_reload(app);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int key_scroll_filtered(struct app *app, int key)
{
	struct log_state *lg = &app->lg;

	tui_move(key, lg->n, page_rows(app) - 1, &lg->sel);
	tui_scroll(lg->sel, page_rows(app), &lg->vtop);
	lg->follow = lg->sel + 1 >= lg->n;
	return R_REDRAW;
}

static int key_scroll(struct app *app, int key)
{
	struct log_state *lg = &app->lg;
	uint64_t h = page_rows(app), last = last_page(app), top = lg->top;
	size_t sel = lg->sel;

	if (lg->filter[0])
		return key_scroll_filtered(app, key);
	switch (key) {
	case TK_FN(KEY_UP):
		if (sel > 0)
			sel--;
		else if (top > 1)
			top--;
		break;
	case TK_FN(KEY_DOWN):
		if (sel + 1 < lg->n)
			sel++;
		else
			top++;
		break;
	case TK_FN(KEY_PPAGE): top = top > h ? top - h : 1; break;
	case TK_FN(KEY_NPAGE): top += h; break;
	case TK_FN(KEY_HOME): top = 1; sel = 0; break;
	case TK_FN(KEY_END): top = last; sel = h; break;
	}
	if (top > last)
		top = last;
	lg->top = top;
	lg->sel = sel;
	lg->follow = top == last;
	log_reload(app);
	return R_REDRAW;
}

/* Long lines scroll sideways; the sequence column stays put. */
static int key_side(struct app *app, int key)
{
	struct log_state *lg = &app->lg;

	if (key == TK_FN(KEY_RIGHT))
		lg->xoff += 20;
	else
		lg->xoff = lg->xoff > 20 ? lg->xoff - 20 : 0;
	return R_REDRAW;
}

/*
 * A key name that may hold a secret: never shown, whatever a later event
 * type carries (a PIN's hash, a salt, sealed personal data).
 */
static int secret_key(const char *k)
{
	return strstr(k, "hash") || strstr(k, "salt") || strstr(k, "pin") ||
	    strstr(k, "secret") || strstr(k, "seal");
}

static void strip_secrets(json_t *j)
{
	const char *k;
	json_t *v;
	void *tmp;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach_safe(j, tmp, k, v) {
			if (secret_key(k))
				json_object_del(j, k);
			else
				strip_secrets(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			strip_secrets(v);
	}
}

struct show {
	struct app *app;
};

static int show_event(void *ctx, const struct rc_event *ev, int ok,
    const char *why)
{
	struct show *sh = ctx;
	struct tui_form *f;
	json_t *j = ok ? event_json(ev) : NULL;
	char *text = NULL, sum[2 * TUI_LINE_MAX];

	f = form_open(sh->app, FORM_LIST, "Event", NULL);
	snprintf(f->title, sizeof f->title, "Event %llu",
	    (unsigned long long)ev->seq);
	if (!ok) {
		snprintf(f->text, sizeof f->text, "This event cannot be read: "
		    "%s", why ? why : "damaged");
		return 1;
	}
	log_summary(ev, name_of(&sh->app->lg, ev), sum, sizeof sum);
	snprintf(f->text, sizeof f->text, "%.1300s", sum);
	strip_secrets(j);
	if (j && (text = json_dumps(j, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER))) {
		for (char *line = strtok(text, "\n"); line;
		    line = strtok(NULL, "\n"))
			form_line(f, "%s", line);
	}
	free(text);
	json_decref(j);
	return 1;
}

/* Enter: the whole chosen event, as `events --format jsonl` has it. */
static int key_show(struct app *app, int key)
{
	struct log_state *lg = &app->lg;
	struct show sh = { app };

	(void)key;
	if (lg->sel >= lg->n)
		return R_NONE;
	if (query_events(app->db, lg->seqs[lg->sel], 1, show_event, &sh)
	    != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	return R_REDRAW;
}

static int submit_filter(struct app *app, struct tui_form *f)
{
	char text[TUI_LINE_MAX];

	snprintf(text, sizeof text, "%s", f->f[0].line.s);
	form_close(app);
	set_filter(app, text);
	if (app->lg.filter[0] && app->lg.n == 0)
		tui_message(app, ROLE_ERROR, "No event matches \"%s\" (Esc "
		    "shows them all)", text);
	return R_REDRAW;
}

static int key_filter(struct app *app, int key)
{
	struct tui_form *f = form_open(app, FORM_FIELDS_KIND, "Filter the log",
	    submit_filter);

	(void)key;
	snprintf(f->text, sizeof f->text, "Show only the events whose line "
	    "contains this text: part of a student's name, or a type such "
	    "as voided, checked in, registered.  Empty shows every event.");
	form_field(f, "Filter", app->lg.filter, NULL);
	return R_REDRAW;
}

static int key_clear(struct app *app, int key)
{
	(void)key;
	if (!app->lg.filter[0])
		return R_NONE;
	set_filter(app, "");
	app->msg[0] = '\0';
	return R_REDRAW;
}

static const struct tui_binding log_keys[] = {
	{ TK_FN(KEY_UP), "Up/Down", "Choose an event", key_scroll, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_scroll, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Scroll a page", key_scroll,
	    "Page" },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_scroll, NULL },
	{ TK_FN(KEY_HOME), "Home", "Oldest events", key_scroll, "Oldest" },
	{ TK_FN(KEY_END), "End", "Newest events (and follow new ones)",
	    key_scroll, "Newest" },
	{ TK_ENTER, "Enter", "Show the whole event", key_show, "Show" },
	{ 'f', "f /", "Filter by student or type", key_filter, "Filter" },
	{ '/', NULL, NULL, key_filter, NULL },
	{ TK_ESC, "Esc", "Show every event again", key_clear, NULL },
	{ TK_FN(KEY_LEFT), "Left/Right", "Scroll long lines sideways",
	    key_side, NULL },
	{ TK_FN(KEY_RIGHT), NULL, NULL, key_side, NULL },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static void draw_title(const struct app *app)
{
	const struct log_state *lg = &app->lg;
	char buf[400];
	size_t shown = lg->n - lg->vtop < page_rows(app) ? lg->n - lg->vtop :
	    page_rows(app);

	if (lg->filter[0])
		snprintf(buf, sizeof buf, "Event log: %llu events; filter "
		    "\"%s\": %zu match%s   showing %zu-%zu (Esc: all)",
		    (unsigned long long)app->status.head, lg->filter, lg->n,
		    lg->n == 1 ? "" : "es", lg->n ? lg->vtop + 1 : 0,
		    lg->vtop + shown);
	else
		snprintf(buf, sizeof buf, "Event log: %llu event%s   showing "
		    "%llu-%llu%s", (unsigned long long)app->status.head,
		    app->status.head == 1 ? "" : "s", (unsigned long long)
		    (lg->n ? lg->top : 0), (unsigned long long)(lg->n ?
		    lg->top + lg->n - 1 : 0), lg->follow ?
		    "   (following new events)" : "");
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
}

static void log_draw(const struct app *app)
{
	const struct log_state *lg = &app->lg;

	draw_title(app);
	tui_put(app, 2, 0, app->cols, ROLE_TITLE, "     Seq  Recorded (local)"
	    "     Type                What");
	if (lg->n == 0)
		tui_put(app, 3, 2, app->cols - 2, ROLE_DIM, lg->filter[0] ?
		    "No event matches the filter." : "The log is empty.");
	for (size_t i = 0; lg->vtop + i < lg->n && i < page_rows(app); i++) {
		size_t k = lg->vtop + i;
		int y = 3 + (int)i;
		int role = k == lg->sel ? ROLE_SELECTED : ROLE_NORMAL;

		if (lg->xoff == 0) {
			tui_put(app, y, 0, app->cols, role, lg->lines[k]);
			continue;
		}
		/* Keep the sequence number, scroll the rest. */
		tui_put(app, y, 0, 10, role, lg->lines[k]);
		tui_put_from(app, y, 10, app->cols - 10, role, lg->lines[k],
		    10 + lg->xoff);
	}
}

static void log_start(struct app *app)
{
	app->lg.follow = 1;
}

const struct tui_screen log_screen = {
	.name = "Log", .fkey = "F6",
	.enter = log_enter, .reload = log_reload, .draw = log_draw,
	.keys = log_keys, .nkeys = sizeof log_keys / sizeof log_keys[0],
	.start = log_start, .free = log_free,
};
