/*
 * tui_log.c - the Log screen: the event log, newest last, one page read
 * at a time.  At the end it follows: new events appear as they come.
 */
#include <curses.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "event.h"
#include "event_json.h"
#include "tui_app.h"

void log_format(const struct rc_event *ev, int ok, const char *why,
    char *out, size_t cap)
{
	const char *type = event_type_name(ev->type);
	struct rc_local l;
	char day[16], t[10], *data = NULL;
	json_t *d = NULL, *id;

	clock_to_local(ev->recorded_at, &l);
	clock_format_day(l.day, day);
	clock_format_time(l.sec, t);
	if (ok && (d = event_json_data(ev))) {
		/* The id last: names and days are what people scan for. */
		if ((id = json_object_get(d, "id"))) {
			json_incref(id);
			json_object_del(d, "id");
			json_object_set_new(d, "id", id);
		}
		data = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	if (ok)
		snprintf(out, cap, "%8llu  %s %s  %-19s %s",
		    (unsigned long long)ev->seq, day, t, type ? type : "?",
		    data ? data : "");
	else
		snprintf(out, cap, "%8llu  %s %s  %-19s (cannot be read: %s)",
		    (unsigned long long)ev->seq, day, t, type ? type : "?",
		    why ? why : "damaged");
	free(data);
	json_decref(d);
}

static size_t page_rows(const struct app *app)
{
	int h = app->rows - 5;

	return h > 0 ? (size_t)h : 1;
}

void log_free(struct app *app)
{
	for (size_t i = 0; i < app->lg.n; i++)
		free(app->lg.lines[i]);
	free(app->lg.lines);
	app->lg.lines = NULL;
	app->lg.n = 0;
}

static int collect(void *ctx, const struct rc_event *ev, int ok,
    const char *why)
{
	struct log_state *lg = ctx;
	char line[4 * TUI_LINE_MAX], **nl;

	log_format(ev, ok, why, line, sizeof line);
	nl = realloc(lg->lines, (lg->n + 1) * sizeof *nl);
	if (!nl)
		return 1;
	lg->lines = nl;
	if ((lg->lines[lg->n] = strdup(line)))
		lg->n++;
	return 0;
}

/* The first sequence of the last page. */
static uint64_t last_page(const struct app *app)
{
	uint64_t head = app->status.head, h = page_rows(app);

	return head > h ? head - h + 1 : 1;
}

/* Read the page at lg->top (or the last page when following). */
static void log_reload(struct app *app)
{
	struct log_state *lg = &app->lg;

	if (lg->follow || lg->top > last_page(app))
		lg->top = last_page(app);
	if (lg->top < 1)
		lg->top = 1;
	log_free(app);
	if (app->status.head == 0)
		return;
	if (query_events(app->db, lg->top, page_rows(app), collect, lg)
	    != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
}

static void log_enter(struct app *app)
{
	log_reload(app);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int key_scroll(struct app *app, int key)
{
	struct log_state *lg = &app->lg;
	uint64_t h = page_rows(app), last = last_page(app), top = lg->top;

	switch (key) {
	case TK_FN(KEY_UP): top = top > 1 ? top - 1 : 1; break;
	case TK_FN(KEY_DOWN): top++; break;
	case TK_FN(KEY_PPAGE): top = top > h ? top - h : 1; break;
	case TK_FN(KEY_NPAGE): top += h; break;
	case TK_FN(KEY_HOME): top = 1; break;
	case TK_FN(KEY_END): top = last; break;
	}
	if (top > last)
		top = last;
	lg->top = top;
	lg->follow = top == last;	/* at the end: follow new events */
	log_reload(app);
	return R_REDRAW;
}

/* Long data scrolls sideways; the sequence column stays put. */
static int key_side(struct app *app, int key)
{
	struct log_state *lg = &app->lg;

	if (key == TK_FN(KEY_RIGHT))
		lg->xoff += 20;
	else
		lg->xoff = lg->xoff > 20 ? lg->xoff - 20 : 0;
	return R_REDRAW;
}

static const struct tui_binding log_keys[] = {
	{ TK_FN(KEY_UP), "Up/Down", "Scroll a line", key_scroll, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_scroll, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Scroll a page", key_scroll,
	    "Page" },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_scroll, NULL },
	{ TK_FN(KEY_HOME), "Home", "Oldest events", key_scroll, "Oldest" },
	{ TK_FN(KEY_END), "End", "Newest events (and follow new ones)",
	    key_scroll, "Newest" },
	{ TK_FN(KEY_LEFT), "Left/Right", "Scroll long data sideways",
	    key_side, "Sideways" },
	{ TK_FN(KEY_RIGHT), NULL, NULL, key_side, NULL },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static void log_draw(const struct app *app)
{
	const struct log_state *lg = &app->lg;
	char buf[200];
	uint64_t last = lg->n ? lg->top + lg->n - 1 : 0;

	snprintf(buf, sizeof buf, "Event log: %llu event%s   showing "
	    "%llu-%llu%s", (unsigned long long)app->status.head,
	    app->status.head == 1 ? "" : "s", (unsigned long long)
	    (lg->n ? lg->top : 0), (unsigned long long)last,
	    lg->follow ? "   (following new events)" : "");
	tui_put(app, 1, 0, app->cols, ROLE_KEY, buf);
	tui_put(app, 2, 0, app->cols, ROLE_TITLE, "     Seq  Recorded (local)"
	    "     Type                Data");
	if (lg->n == 0)
		tui_put(app, 3, 2, app->cols - 2, ROLE_DIM, "The log is empty.");
	for (size_t i = 0; i < lg->n && i < page_rows(app); i++) {
		int y = 3 + (int)i;

		if (lg->xoff == 0) {
			tui_put(app, y, 0, app->cols, ROLE_NORMAL,
			    lg->lines[i]);
			continue;
		}
		/* Keep the sequence number, scroll the rest. */
		tui_put(app, y, 0, 10, ROLE_NORMAL, lg->lines[i]);
		tui_put_from(app, y, 10, app->cols - 10, ROLE_NORMAL,
		    lg->lines[i], 10 + lg->xoff);
	}
}

const struct tui_screen log_screen = {
	"Log", "F6", log_enter, log_reload, log_draw, NULL, NULL, log_keys,
	sizeof log_keys / sizeof log_keys[0],
	NULL
};
