/*
 * tui_status.c - the Status screen: head, checkpoint, lag, projection
 * errors, database path and size, the policy in force (editable), and
 * rebuild and verify with a progress bar.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "command.h"
#include "tui_app.h"

#define ERRORS_Y 10		/* first row of the error list */

static void status_free(struct app *app)
{
	free(app->ss.errs);
	app->ss.errs = NULL;
	app->ss.nerr = 0;
}

static size_t list_rows(const struct app *app)
{
	int h = app->rows - 3 - ERRORS_Y;

	return h > 0 ? (size_t)h : 1;
}

static void status_reload(struct app *app)
{
	struct rc_proj_error *e = NULL;
	size_t n = 0;

	if (query_errors(app->db, &e, &n) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;
	}
	status_free(app);
	app->ss.errs = e;
	app->ss.nerr = n;
	if (app->ss.top >= n)
		app->ss.top = 0;
}

static void status_enter(struct app *app)
{
	status_reload(app);
}

/* ------------------------------------------------------------------ */
/* Policy                                                               */

static int submit_config(struct app *app, struct tui_form *f)
{
	static const char *const keys[] = { "start-time", "window-minutes",
	    "points" };
	const char *key = keys[f->key];

	if (command_config(app->db, key, f->f[0].line.s, NULL) != RC_OK) {
		/* Beside the one field, whatever the message names. */
		snprintf(f->f[0].error, sizeof f->f[0].error, "%s",
		    db_error(app->db));
		return R_REDRAW;
	}
	tui_message(app, ROLE_OK, "%s is now %s (check-ins from now on)",
	    key, f->f[0].line.s);
	form_close(app);
	return R_RELOAD | R_REDRAW;
}

static int key_config(struct app *app, int key)
{
	const struct rc_policy *p = &app->status.policy;
	struct tui_form *f;
	char v[16];
	int which = key == 's' ? 0 : key == 'w' ? 1 : 2;

	static const char *const titles[] = { "Class start time",
	    "Window (minutes)", "Points" };
	static const char *const hints[] = { "HH:MM, e.g. 09:00",
	    "1 to 120 minutes either side of the start",
	    "0 to 1000, won early and lost late" };

	if (which == 0)
		clock_format_hhmm(p->start, v);
	else
		snprintf(v, sizeof v, "%u", which == 1 ? (unsigned)p->window :
		    (unsigned)p->points);
	f = form_open(app, FORM_FIELDS_KIND, titles[which], submit_config);
	f->key = which;
	snprintf(f->text, sizeof f->text, "A change is an event: it applies "
	    "to check-ins recorded from now on\nand never rewrites history.");
	form_field(f, "Value", v, hints[which]);
	return R_REDRAW;
}

/* ------------------------------------------------------------------ */
/* Rebuild and verify                                                   */

struct run {
	struct app *app;
	const char *what;
	int cancel;		/* Esc may stop it */
	size_t ndiff;
	struct tui_form *list;
};

static int progress(void *ctx, uint64_t done, uint64_t total)
{
	struct run *r = ctx;

	return tui_progress(r->app, r->what, done, total, r->cancel);
}

static int submit_rebuild(struct app *app, struct tui_form *f)
{
	struct run r = { app, "Rebuilding", 0, 0, NULL };

	(void)f;
	form_close(app);
	if (command_rebuild(app->db, progress, &r) != RC_OK) {
		snprintf(app->ss.result, sizeof app->ss.result, "Rebuild "
		    "failed: %s", db_error(app->db));
		app->ss.result_role = ROLE_ERROR;
	} else {
		snprintf(app->ss.result, sizeof app->ss.result, "Rebuild "
		    "done: the read side was replayed from the log.");
		app->ss.result_role = ROLE_OK;
	}
	tui_message(app, app->ss.result_role, "%s", app->ss.result);
	return R_RELOAD | R_REDRAW;
}

static int key_rebuild(struct app *app, int key)
{
	struct tui_form *f = form_open(app, FORM_CONFIRM, "Rebuild",
	    submit_rebuild);

	(void)key;
	snprintf(f->text, sizeof f->text, "Throw the read side away and "
	    "replay the whole log?\nThe log itself is never changed.");
	return R_REDRAW;
}

static void diff(void *ctx, const char *what)
{
	struct run *r = ctx;

	if (!r->list) {
		r->list = form_open(r->app, FORM_LIST, "Verify found "
		    "differences", NULL);
		snprintf(r->list->text, sizeof r->list->text, "The stored "
		    "read side or the hash chain differs from the log:");
	}
	form_line(r->list, "%s", what);
	r->ndiff++;
}

static int key_verify(struct app *app, int key)
{
	struct run r = { app, "Verifying", 1, 0, NULL };
	struct status_state *s = &app->ss;
	int rc;

	(void)key;
	rc = command_verify(app->db, progress, diff, &r);
	if (rc == RC_OK) {
		snprintf(s->result, sizeof s->result, "Verify: clean, all "
		    "records checked. The hash chain holds and the read side "
		    "matches the log.");
		s->result_role = ROLE_OK;
	} else if (rc == RC_REFUSED && r.ndiff > 0) {
		snprintf(s->result, sizeof s->result, "Verify found %zu "
		    "difference%s (r rebuilds the read side).", r.ndiff,
		    r.ndiff == 1 ? "" : "s");
		s->result_role = ROLE_ERROR;
	} else {
		snprintf(s->result, sizeof s->result, "%s",
		    db_error(app->db));
		s->result_role = ROLE_ERROR;
	}
	tui_message(app, s->result_role, "%s", s->result);
	return R_REDRAW;
}

static int key_scroll(struct app *app, int key)
{
	size_t h = list_rows(app), n = app->ss.nerr;

	/* Scroll the list itself: positions are first rows shown. */
	tui_move(key, n > h ? n - h + 1 : 1, h - 1, &app->ss.top);
	return R_REDRAW;
}

static const struct tui_binding status_keys[] = {
	{ 'r', "r", "Rebuild the read side from the log (asks first)",
	    key_rebuild, "Rebuild" },
	{ 'v', "v", "Verify the log and the read side", key_verify,
	    "Verify" },
	{ 's', "s", "Change the class start time", key_config, "Start" },
	{ 'w', "w", "Change the window (minutes)", key_config, "Window" },
	{ 'p', "p", "Change the points", key_config, "Points" },
	{ TK_FN(KEY_UP), "Up/Down", "Scroll the projection errors",
	    key_scroll, NULL },
	{ TK_FN(KEY_DOWN), NULL, NULL, key_scroll, NULL },
	{ TK_FN(KEY_PPAGE), "PgUp/PgDn", "Scroll a page", key_scroll, NULL },
	{ TK_FN(KEY_NPAGE), NULL, NULL, key_scroll, NULL },
};

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

static void human_size(uint64_t b, char *out, size_t cap)
{
	if (b >= 10u << 20)
		snprintf(out, cap, "%llu MiB", (unsigned long long)(b >> 20));
	else if (b >= 10u << 10)
		snprintf(out, cap, "%llu KiB", (unsigned long long)(b >> 10));
	else
		snprintf(out, cap, "%llu bytes", (unsigned long long)b);
}

static void row(const struct app *app, int y, const char *label,
    const char *value, int role)
{
	tui_put(app, y, 2, 14, ROLE_KEY, label);
	tui_put(app, y, 16, app->cols - 16, role, value);
}

static void status_draw(const struct app *app)
{
	const struct rc_status *st = &app->status;
	const struct status_state *s = &app->ss;
	uint64_t lag = st->head > st->checkpoint ? st->head - st->checkpoint :
	    0;
	char buf[TUI_LINE_MAX + 64], size[32], start[8];
	size_t h = list_rows(app);

	human_size(st->db_bytes, size, sizeof size);
	row(app, 1, "Database", db_path(app->db), ROLE_NORMAL);
	snprintf(buf, sizeof buf, "%s (%llu bytes)", size,
	    (unsigned long long)st->db_bytes);
	row(app, 2, "Size", buf, ROLE_NORMAL);
	/* Words for people first, the technical figures beside them. */
	if (lag)
		snprintf(buf, sizeof buf, "%llu events not applied yet   "
		    "(head %llu   checkpoint %llu   lag %llu)",
		    (unsigned long long)lag, (unsigned long long)st->head,
		    (unsigned long long)st->checkpoint,
		    (unsigned long long)lag);
	else
		snprintf(buf, sizeof buf, "all %llu events applied   (head "
		    "%llu   checkpoint %llu   lag 0)",
		    (unsigned long long)st->head, (unsigned long long)st->head,
		    (unsigned long long)st->checkpoint);
	row(app, 3, "Log", buf, lag ? ROLE_ERROR : ROLE_NORMAL);
	snprintf(buf, sizeof buf, "%zu active, %zu registered in all",
	    st->students, st->students_all);
	row(app, 4, "Students", buf, ROLE_NORMAL);
	clock_format_hhmm(st->policy.start, start);
	snprintf(buf, sizeof buf, "class starts %s, window %u min, points "
	    "%u   (s, w, p change)", start, (unsigned)st->policy.window,
	    (unsigned)st->policy.points);
	row(app, 5, "Policy", buf, ROLE_NORMAL);
	row(app, 6, "Last check", s->result[0] ? s->result :
	    "none yet (v verifies, r rebuilds)", s->result[0] ?
	    s->result_role : ROLE_DIM);
	{
		int role = tui_backup_words(app, buf, sizeof buf);

		row(app, 7, "Backup", buf, role);
	}
	/* SPEC 9: where the log goes, or where it comes from. */
	if (st->replica_of[0])
		snprintf(buf, sizeof buf, "read-only replica of %s",
		    st->replica_of);
	else if (st->published_known)
		snprintf(buf, sizeof buf, "published up to event %llu%s",
		    (unsigned long long)st->published,
		    st->published < st->head ? "   (not all yet)" : "");
	else
		snprintf(buf, sizeof buf, "not published (rollcall publish "
		    "--to nats://HOST:PORT)");
	row(app, 8, "Network", buf, st->replica_of[0] || st->published_known ?
	    ROLE_NORMAL : ROLE_DIM);
	snprintf(buf, sizeof buf, " Projection errors: %zu%s", s->nerr,
	    s->nerr ? "   (events the read side could not apply; they stay "
	    "in the log)" : "");
	tui_put(app, ERRORS_Y - 1, 0, app->cols, ROLE_TITLE, buf);
	if (s->nerr == 0)
		tui_put(app, ERRORS_Y, 2, app->cols - 2, ROLE_DIM, "none");
	for (size_t i = 0; i < h && s->top + i < s->nerr; i++) {
		const struct rc_proj_error *e = &s->errs[s->top + i];

		snprintf(buf, sizeof buf, "event %llu: %s",
		    (unsigned long long)e->seq, e->reason);
		tui_put(app, ERRORS_Y + (int)i, 2, app->cols - 2, ROLE_ERROR,
		    buf);
	}
}

const struct tui_screen status_screen = {
	.name = "Status", .fkey = "F7",
	.enter = status_enter, .reload = status_reload,
	.draw = status_draw, .keys = status_keys,
	.nkeys = sizeof status_keys / sizeof status_keys[0],
	.free = status_free,
};
