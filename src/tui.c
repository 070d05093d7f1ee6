/*
 * tui.c - the desk's frame: the main loop, painting, resizing, polling
 * the database for other processes' changes, screen switching, header,
 * footer and the help screen generated from the key tables.  It knows
 * the screens only through the list in tui_screens.h.
 */
#include <curses.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "clock.h"
#include "db.h"
#include "query.h"
#include "text.h"
#include "tui.h"
#include "tui_app.h"

#define POLL_MS 250		/* getch timeout: how often we look for changes */
#define MIN_ROWS 24
#define MIN_COLS 80

/* The screens of tui_screens.h, and their function keys' numbers. */
#define TUI_ADDRESS(sym, fkey, help) &sym,
const struct tui_screen *const tui_screens[SCR_COUNT] = {
	TUI_SCREENS(TUI_ADDRESS)
};
#define TUI_FKEY(sym, fkey, help) fkey,
static const int screen_fkeys[SCR_COUNT] = { TUI_SCREENS(TUI_FKEY) };

int tui_screen_index(const struct tui_screen *scr)
{
	for (int i = 0; i < SCR_COUNT; i++)
		if (tui_screens[i] == scr)
			return i;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Global keys                                                          */

static int key_help(struct app *app, int key)
{
	(void)app;
	(void)key;
	return R_HELP;
}

static int key_quit(struct app *app, int key)
{
	(void)app;
	(void)key;
	return R_QUIT;
}

static int switch_to(struct app *app, int scr)
{
	app->next = scr;
	app->msg[0] = '\0';
	return R_SWITCH | R_REDRAW;
}

static int key_next(struct app *app, int key)
{
	(void)key;
	return switch_to(app, (app->cur + 1) % SCR_COUNT);
}

static int key_prev(struct app *app, int key)
{
	(void)key;
	return switch_to(app, (app->cur + SCR_COUNT - 1) % SCR_COUNT);
}

static int key_goto(struct app *app, int key)
{
	for (int i = 0; i < SCR_COUNT; i++)
		if (key == TK_FN(KEY_F(screen_fkeys[i])))
			return switch_to(app, i);
	return R_NONE;
}

/* One global key row per screen: its function key switches to it. */
#define TUI_GOTO_KEY(sym, fkey, help) \
	{ TK_FN(KEY_F(fkey)), "F" #fkey, help, key_goto, NULL },

const struct tui_binding tui_global_keys[] = {
	{ TK_FN(KEY_F(1)), "F1 ?", "Show this help", key_help, "Help" },
	{ '?', NULL, NULL, key_help, NULL },
	{ TK_FN(KEY_F(10)), "F10 ^Q", "Quit", key_quit, "Quit" },
	{ TK_CTRL('q'), NULL, NULL, key_quit, NULL },
	{ TK_CTRL('c'), NULL, NULL, key_quit, NULL },
	{ TK_TAB, "Tab", "Next screen", key_next, NULL },
	{ TK_FN(KEY_BTAB), "S-Tab", "Previous screen", key_prev, NULL },
	TUI_SCREENS(TUI_GOTO_KEY)
};
const size_t tui_nglobal_keys =
    sizeof tui_global_keys / sizeof tui_global_keys[0];

/* ------------------------------------------------------------------ */
/* Colours by role                                                      */

static const struct {
	short fg, bg;
	int color_attr;		/* added to the pair */
	int mono;		/* used without colours */
} roles[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_HEADER] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[ROLE_TAB] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[ROLE_TAB_CUR] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD },
	[ROLE_FOOTER] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_KEY] = { -1, -1, A_BOLD, A_BOLD },
	[ROLE_TITLE] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL,
	    A_BOLD | A_UNDERLINE },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_EARLY] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_ON_TIME] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_LATE] = { COLOR_RED, -1, A_BOLD, A_UNDERLINE },
	[ROLE_OK] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
	[ROLE_MARK] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_BOX] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[ROLE_INPUT] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
};

/* Colours only where the terminal has them and NO_COLOR is unset. */
static int colors_init(void)
{
	const char *nc = getenv("NO_COLOR");

	if ((nc && *nc) || !has_colors() || start_color() == ERR)
		return 0;
	use_default_colors();
	for (int i = 1; i < ROLE_COUNT; i++)
		init_pair((short)i, roles[i].fg, roles[i].bg);
	return 1;
}

int tui_attr(const struct app *app, int role)
{
	if (role < 0 || role >= ROLE_COUNT)
		role = ROLE_NORMAL;
	if (!app->color)
		return roles[role].mono;
	return (int)COLOR_PAIR(role) | roles[role].color_attr;
}

/* ------------------------------------------------------------------ */
/* Drawing helpers                                                      */

int tui_put(const struct app *app, int y, int x, int w, int role,
    const char *s)
{
	char esc[4 * TUI_LINE_MAX], fit[4 * TUI_LINE_MAX];
	int used;

	if (w > app->cols - x)
		w = app->cols - x;
	if (w <= 0 || y < 0 || y >= app->rows)
		return 0;
	text_escape(s, strlen(s), esc, sizeof esc);
	used = text_fit(esc, w, 1, fit, sizeof fit);
	attrset(tui_attr(app, role));
	mvaddstr(y, x, fit);
	attrset(A_NORMAL);
	return used;
}

int tui_put_from(const struct app *app, int y, int x, int w, int role,
    const char *s, int skip)
{
	char esc[4 * TUI_LINE_MAX], one[8];
	const char *p = esc;

	text_escape(s, strlen(s), esc, sizeof esc);
	while (*p && skip > 0) {	/* drop whole characters */
		size_t n = 1;

		while (n < 4 && (p[n] & 0xc0) == 0x80)
			n++;
		memcpy(one, p, n);
		one[n] = '\0';
		skip -= text_width(one);
		p += n;
	}
	return tui_put(app, y, x, w, role, p);
}

void tui_blank(const struct app *app, int y, int x, int w, int role)
{
	tui_put(app, y, x, w, role, "");
}

int tui_body_top(const struct app *app)
{
	(void)app;
	return 1;
}

/* Rows between the header and the message line. */
int tui_body_rows(const struct app *app)
{
	return app->rows - 3;
}

const char *tui_status_word(unsigned status)
{
	switch (status) {
	case ST_EARLY: return "early";
	case ST_ON_TIME: return "on time";
	case ST_LATE: return "late";
	}
	return "?";
}

int tui_status_role(unsigned status)
{
	switch (status) {
	case ST_EARLY: return ROLE_EARLY;
	case ST_LATE: return ROLE_LATE;
	}
	return ROLE_ON_TIME;
}

void tui_scroll(size_t sel, size_t h, size_t *top)
{
	if (h == 0)
		h = 1;
	if (sel < *top)
		*top = sel;
	else if (sel >= *top + h)
		*top = sel - h + 1;
}

int tui_move(int key, size_t n, size_t page, size_t *sel)
{
	size_t s = *sel;

	if (page == 0)
		page = 1;
	switch (key) {
	case TK_FN(KEY_UP): s = s > 0 ? s - 1 : 0; break;
	case TK_FN(KEY_DOWN): s++; break;
	case TK_FN(KEY_PPAGE): s = s > page ? s - page : 0; break;
	case TK_FN(KEY_NPAGE): s += page; break;
	case TK_FN(KEY_HOME): s = 0; break;
	case TK_FN(KEY_END): s = n ? n - 1 : 0; break;
	default: return 0;
	}
	if (n == 0)
		s = 0;
	else if (s >= n)
		s = n - 1;
	*sel = s;
	return 1;
}

int tui_format_row(char *out, size_t cap, const int *widths,
    const char *const *cells, size_t n)
{
	char esc[4 * TUI_LINE_MAX];
	size_t len = 0;
	int cols = 0;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && len + 1 < cap) {
			out[len++] = ' ';
			out[len] = '\0';
			cols++;
		}
		text_escape(cells[i], strlen(cells[i]), esc, sizeof esc);
		cols += text_fit(esc, widths[i], 1, out + len, cap - len);
		len += strlen(out + len);
	}
	return cols;
}

void tui_message(struct app *app, int role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->msg, sizeof app->msg, fmt, ap);
	va_end(ap);
	app->msg_role = role;
}

/* ------------------------------------------------------------------ */
/* Help and footer text, from the key tables                            */

static size_t append(char *out, size_t cap, size_t len, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static size_t append(char *out, size_t cap, size_t len, const char *fmt,
    ...)
{
	va_list ap;
	int n;

	if (len >= cap)
		return len;
	va_start(ap, fmt);
	n = vsnprintf(out + len, cap - len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return len;
	return len + (size_t)n < cap ? len + (size_t)n : cap - 1;
}

static size_t help_section(const char *title, const struct tui_binding *b,
    size_t n, char *out, size_t cap, size_t len)
{
	len = append(out, cap, len, "%s\n", title);
	for (size_t i = 0; i < n; i++)
		if (b[i].label)
			len = append(out, cap, len, "  %-14s %s\n",
			    b[i].label, b[i].help);
	return len;
}

size_t tui_help_text(const struct tui_screen *scr, char *out, size_t cap)
{
	char title[100];
	size_t len = 0;

	if (cap)
		out[0] = '\0';
	snprintf(title, sizeof title, "%s (%s)", scr->name, scr->fkey);
	len = help_section(title, scr->keys, scr->nkeys, out, cap, len);
	len = append(out, cap, len, "\n");
	len = help_section("Everywhere", tui_global_keys, tui_nglobal_keys,
	    out, cap, len);
	return len;
}

/* The footer's name for a key: its label up to the first space. */
static void foot_key(const char *label, char *out, size_t cap)
{
	size_t n = strcspn(label, " ");

	if (n >= cap)
		n = cap - 1;
	memcpy(out, label, n);
	out[n] = '\0';
}

size_t tui_footer_text(const struct tui_screen *scr, char *out, size_t cap)
{
	const struct tui_binding *tabs[2] = { scr->keys, tui_global_keys };
	size_t ns[2] = { scr->nkeys, tui_nglobal_keys };
	size_t len = 0;
	char k[40];

	if (cap)
		out[0] = '\0';
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; i < ns[t]; i++) {
			if (!tabs[t][i].foot || !tabs[t][i].label)
				continue;
			foot_key(tabs[t][i].label, k, sizeof k);
			len = append(out, cap, len, "%s%s %s",
			    len ? "  " : "", k, tabs[t][i].foot);
		}
	return len;
}

/* ------------------------------------------------------------------ */
/* The shared read model                                                */

long tui_find_id(const struct app *app, const char *id)
{
	for (size_t i = 0; i < app->nroster; i++)
		if (strcmp(app->roster[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* qsort has no context pointer: the roster being indexed. */
static const struct rc_student *sort_rows;

static int cmp_idx_by_id(const void *a, const void *b)
{
	return strcmp(sort_rows[*(const uint32_t *)a].id,
	    sort_rows[*(const uint32_t *)b].id);
}

/* Mark who is in today: the roster row of each present student. */
static void load_today(struct app *app, struct rc_mark *p, size_t np)
{
	uint32_t *idx = malloc((app->nroster + 1) * sizeof *idx);

	app->n_in = app->n_early = app->n_on_time = app->n_late = 0;
	if (np == 0 || !idx) {	/* nobody in yet: no need to sort */
		free(idx);
		return;
	}
	for (size_t i = 0; i < app->nroster; i++)
		idx[i] = (uint32_t)i;
	sort_rows = app->roster;
	qsort(idx, app->nroster, sizeof *idx, cmp_idx_by_id);
	for (size_t j = 0; j < np; j++) {
		size_t lo = 0, hi = app->nroster;

		while (lo < hi) {	/* binary search by id */
			size_t mid = (lo + hi) / 2;
			int c = strcmp(app->roster[idx[mid]].id, p[j].id);

			if (c == 0) {
				app->in_status[idx[mid]] = p[j].status;
				app->in_arrived[idx[mid]] = p[j].arrived;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		app->n_in++;
		app->n_early += p[j].status == ST_EARLY;
		app->n_on_time += p[j].status == ST_ON_TIME;
		app->n_late += p[j].status == ST_LATE;
	}
	free(idx);
}

void tui_load(struct app *app)
{
	struct rc_student *rows = NULL;
	struct rc_mark *p = NULL;
	size_t n = 0, np = 0;

	if (query_status(app->db, &app->status) != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	tui_backup_load(app);
	if (query_students(app->db, 0, &rows, &n) != RC_OK) {
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
		return;		/* keep what we had */
	}
	free(app->roster);
	free(app->in_status);
	free(app->in_arrived);
	checkin_fold_free(&app->fold);
	app->roster = rows;
	app->nroster = n;
	app->in_status = calloc(n + 1, 1);
	app->in_arrived = calloc(n + 1, sizeof *app->in_arrived);
	if (!app->in_status || !app->in_arrived ||
	    checkin_fold(&app->fold, rows, n) != 0) {
		tui_message(app, ROLE_ERROR, "out of memory");
		free(app->in_status);
		free(app->in_arrived);
		free(app->roster);
		app->roster = NULL;
		app->in_status = NULL;
		app->in_arrived = NULL;
		app->nroster = 0;
		return;
	}
	if (query_marks(app->db, app->today, &p, &np) == RC_OK)
		load_today(app, p, np);
	else
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	free(p);
	/* Index arrays into the roster are stale now. */
	for (int i = 0; i < SCR_COUNT; i++)
		if (tui_screens[i]->roster_loaded)
			tui_screens[i]->roster_loaded(app);
}

/* ------------------------------------------------------------------ */
/* Painting                                                             */

static void draw_header(const struct app *app)
{
	int x = 0;
	char buf[80];

	tui_blank(app, 0, 0, app->cols, ROLE_HEADER);
	x += tui_put(app, 0, x, 10, ROLE_HEADER, " rollcall ");
	for (int i = 0; i < SCR_COUNT; i++) {
		const struct tui_screen *s = tui_screens[i];
		int cur = i == app->cur;

		snprintf(buf, sizeof buf, cur ? "[%s %s]" : " %s %s ",
		    s->fkey, s->name);
		x += tui_put(app, 0, x, text_width(buf),
		    cur ? ROLE_TAB_CUR : ROLE_TAB, buf);
	}
	/* Today's count on every screen, where it fits. */
	snprintf(buf, sizeof buf, "%zu/%zu in ", app->n_in, app->nroster);
	if (x + text_width(buf) < app->cols)
		tui_put(app, 0, app->cols - text_width(buf), text_width(buf),
		    ROLE_HEADER, buf);
}

/* Footer: the current screen's keys, then help and quit. */
static void draw_footer(const struct app *app)
{
	const struct tui_screen *scr = tui_screens[app->cur];
	const struct tui_binding *tabs[2] = { scr->keys, tui_global_keys };
	size_t ns[2] = { scr->nkeys, tui_nglobal_keys };
	int y = app->rows - 1, x = 0;
	char k[40];

	if (app->form_open || app->help) {
		const char *t = app->help ? " Esc Close  Up/Down Scroll" :
		    app->form.kind == FORM_CONFIRM ? " y Yes  n No  Esc Cancel" :
		    app->form.kind == FORM_LIST ? " Esc Close  Up/Down Scroll" :
		    " Enter Save  Tab/Down Next field  Up Previous  Esc Cancel";
		tui_put(app, y, 0, app->cols, ROLE_FOOTER, t);
		return;
	}
	tui_blank(app, y, 0, app->cols, ROLE_FOOTER);
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; i < ns[t] && x < app->cols; i++) {
			const struct tui_binding *b = &tabs[t][i];

			if (!b->foot || !b->label)
				continue;
			foot_key(b->label, k, sizeof k);
			x += tui_put(app, y, x, text_width(k), ROLE_KEY, k);
			x += tui_put(app, y, x, 1, ROLE_FOOTER, " ");
			x += tui_put(app, y, x, text_width(b->foot),
			    ROLE_FOOTER, b->foot);
			x += tui_put(app, y, x, 2, ROLE_FOOTER, "");
		}
}

/* Help covers the body: the current screen's keys, then global ones. */
static void draw_help(const struct app *app)
{
	static char text[16384];
	int top = tui_body_top(app), h = tui_body_rows(app) + 1;
	size_t line = 0;
	const char *p;

	tui_help_text(tui_screens[app->cur], text, sizeof text);
	for (int y = top; y < top + h; y++)
		tui_blank(app, y, 0, app->cols, ROLE_NORMAL);
	tui_put(app, top, 0, app->cols, ROLE_TITLE, " Help: keys of this "
	    "screen, then keys that work everywhere (Esc closes)");
	p = text;
	for (int y = top + 1; *p && y < top + h; line++) {
		size_t n = strcspn(p, "\n");
		char buf[300];

		snprintf(buf, sizeof buf, "%.*s", (int)n, p);
		if (line >= app->help_top) {
			tui_put(app, y, 2, app->cols - 2, buf[0] != ' ' &&
			    buf[0] ? ROLE_KEY : ROLE_NORMAL, buf);
			y++;
		}
		p += n + (p[n] == '\n');
	}
}

static void draw_message(const struct app *app)
{
	tui_put(app, app->rows - 2, 0, app->cols, app->msg_role, app->msg);
}

static int too_small(const struct app *app)
{
	return app->rows < MIN_ROWS || app->cols < MIN_COLS;
}

static void paint(struct app *app)
{
	const struct tui_screen *scr = tui_screens[app->cur];
	int y = 0, x = 0, show = 0;
	char buf[120];

	erase();
	if (too_small(app)) {
		snprintf(buf, sizeof buf, "terminal too small: %dx%d, "
		    "need %dx%d (F10 quits)", app->cols, app->rows,
		    MIN_COLS, MIN_ROWS);
		tui_put(app, app->rows / 2, 0, app->cols, ROLE_ERROR, buf);
		curs_set(0);
		refresh();
		return;
	}
	draw_header(app);
	scr->draw(app);
	draw_message(app);
	if (app->help)
		draw_help(app);
	if (app->form_open)
		form_draw(app);
	draw_footer(app);
	if (app->form_open)
		show = form_cursor(app, &y, &x);
	else if (!app->help && scr->cursor)
		show = scr->cursor(app, &y, &x);
	curs_set(show ? 1 : 0);
	if (show)
		move(y, x);
	refresh();
}

/* ------------------------------------------------------------------ */
/* Progress of rebuild and verify                                       */

int tui_progress(struct app *app, const char *what, uint64_t done,
    uint64_t total, int can_cancel)
{
	static int last = -1;
	int pct = total ? (int)(done > total ? 100 : done * 100 / total) : 100;
	int w = 50, x = (app->cols - w - 6) / 2, y = app->rows / 2 - 2;
	char bar[64], line[200];
	wint_t wc;
	int r;

	if (pct == last && done != total)
		return 0;
	if (last < 0)
		paint(app);	/* a fresh screen under the bar */
	last = done >= total ? -1 : pct;
	for (int i = 0; i < w; i++)
		bar[i] = i < pct * w / 100 ? '#' : '-';
	bar[w] = '\0';
	for (int i = 0; i < 5; i++)
		tui_blank(app, y + i, x, w + 6, ROLE_NORMAL);
	attrset(tui_attr(app, ROLE_BOX));
	mvhline(y, x, ACS_HLINE, w + 6);
	mvhline(y + 4, x, ACS_HLINE, w + 6);
	attrset(A_NORMAL);
	snprintf(line, sizeof line, "%s: %llu of %llu events", what,
	    (unsigned long long)done, (unsigned long long)total);
	tui_put(app, y + 1, x + 2, w + 2, ROLE_KEY, line);
	snprintf(line, sizeof line, "[%s] %3d%%", bar, pct);
	tui_put(app, y + 2, x + 2, w + 4, ROLE_NORMAL, line);
	if (can_cancel)
		tui_put(app, y + 3, x + 2, w + 2, ROLE_DIM, "Esc cancels");
	curs_set(0);
	refresh();
	/* Stay responsive: notice Esc without waiting. */
	timeout(0);
	r = get_wch(&wc);
	timeout(POLL_MS);
	if (r == KEY_CODE_YES && wc == KEY_RESIZE)
		getmaxyx(stdscr, app->rows, app->cols);
	return r == OK && wc == TK_ESC && can_cancel;
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void enter_screen(struct app *app, int scr)
{
	app->cur = scr;
	app->help = 0;
	tui_screens[scr]->enter(app);
}

/* Reload everything after the database moved. */
static void reload_all(struct app *app)
{
	int changed;

	db_poll(app->db, &changed);	/* absorb our own commit */
	tui_load(app);
	tui_screens[app->cur]->reload(app);
}

/*
 * Look for changes by other processes (cheap: no transaction unless the
 * database moved) and for the day rolling over.  Returns 1 to repaint.
 */
static int tick(struct app *app)
{
	struct rc_local now;
	int64_t us;
	int changed = 0, new_day = 0;

	if (clock_now(&us, &now) == 0 && now.day != app->today) {
		app->today = now.day;	/* midnight: a new day's marks */
		new_day = 1;
	}
	if (db_poll(app->db, &changed) != RC_OK)
		changed = 0;
	if (tui_backup_tick(app))
		changed = 1;
	if (!changed && !new_day)
		return 0;
	if (db_catch_up(app->db) != RC_OK)
		tui_message(app, ROLE_ERROR, "%s", db_error(app->db));
	reload_all(app);
	return 1;
}

static const struct tui_binding *find_key(const struct tui_binding *b,
    size_t n, int key)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].key == key)
			return &b[i];
	return NULL;
}

static int help_key(struct app *app, int key)
{
	static char text[16384];
	size_t n = 0;

	tui_help_text(tui_screens[app->cur], text, sizeof text);
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	if (tui_move(key, n, 10, &app->help_top))
		return R_REDRAW;
	app->help = 0;
	return R_REDRAW;
}

static int dispatch(struct app *app, int key)
{
	const struct tui_screen *scr = tui_screens[app->cur];
	const struct tui_binding *b;
	int r;

	if (key == TK_FN(KEY_F(10)) || key == TK_CTRL('q') ||
	    key == TK_CTRL('c'))
		return R_QUIT;
	/* Nothing acts blind: an open dialog waits, unanswered, until seen. */
	if (too_small(app))
		return R_NONE;
	if (app->form_open)
		return form_key(app, key);
	if (app->help)
		return help_key(app, key);
	if (scr->grab && (r = scr->grab(app, key)) >= 0)
		return r;
	if ((b = find_key(scr->keys, scr->nkeys, key)))
		return b->fn(app, key);
	if ((b = find_key(tui_global_keys, tui_nglobal_keys, key)))
		return b->fn(app, key);
	if (scr->input)
		return scr->input(app, key);
	return R_NONE;
}

/* Same key, whatever the terminal sends for it. */
static int normalize(int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return TK_ENTER;
		return TK_FN((int)wc);
	}
	if (wc == '\r')
		return TK_ENTER;
	if (wc == 127 || wc == 8)
		return TK_FN(KEY_BACKSPACE);
	return (int)wc;
}

static void app_free(struct app *app)
{
	form_close(app);
	for (int i = 0; i < SCR_COUNT; i++)
		if (tui_screens[i]->free)
			tui_screens[i]->free(app);
	checkin_fold_free(&app->fold);
	free(app->roster);
	free(app->in_status);
	free(app->in_arrived);
}

/* Run until quit (TUI_QUIT), or idle_ms without a key (TUI_IDLE). */
static int loop(struct app *app, int64_t idle_ms)
{
	int dirty = 1;
	int64_t polled = now_ms(), last_key = polled;

	for (;;) {
		wint_t wc;
		int r, key, react;

		if (dirty)
			paint(app);
		dirty = 0;
		r = get_wch(&wc);
		if (r == ERR) {
			dirty = tick(app);
			polled = now_ms();
			if (idle_ms > 0 && polled - last_key >= idle_ms)
				return TUI_IDLE;
			continue;
		}
		last_key = now_ms();
		key = normalize(r, wc);
		if (key == TK_FN(KEY_RESIZE)) {
			getmaxyx(stdscr, app->rows, app->cols);
			tui_screens[app->cur]->reload(app);
			dirty = 1;
			continue;
		}
		react = dispatch(app, key);
		if (react & R_QUIT)
			return TUI_QUIT;
		if (react & R_RELOAD)
			reload_all(app);
		if (react & R_HELP) {
			app->help = 1;
			app->help_top = 0;
		}
		if (react & R_SWITCH)
			enter_screen(app, app->next);
		dirty |= react != R_NONE;
		/* A steady stream of keys must not starve the poll. */
		if (now_ms() - polled >= POLL_MS) {
			dirty |= tick(app);
			polled = now_ms();
		}
	}
}

/* ------------------------------------------------------------------ */
/* Starting and stopping (the desk, and the kiosk around it)            */

static SCREEN *term;

void tui_alert(struct app *app)
{
	int on = 0;

	if (app->quiet || (query_quiet(app->db, &on) == RC_OK && on))
		return;
	beep();
}

int tui_open(rc_db *db, int quiet, struct app **out)
{
	struct app *app;
	struct rc_local now;
	int64_t us;

	*out = NULL;
	setlocale(LC_ALL, "");
	if (clock_now(&us, &now) != 0) {
		fprintf(stderr, "rollcall: ROLLCALL_NOW is not a valid "
		    "YYYY-MM-DDTHH:MM[:SS]\n");
		return RC_USAGE;
	}
	if (db_catch_up(db) != RC_OK) {
		fprintf(stderr, "rollcall: %s\n", db_error(db));
		return RC_ESYS;
	}
	app = calloc(1, sizeof *app);
	if (!app) {
		fprintf(stderr, "rollcall: out of memory\n");
		return RC_ESYS;
	}
	app->db = db;
	app->quiet = quiet;
	app->today = now.day;
	for (int i = 0; i < SCR_COUNT; i++)
		if (tui_screens[i]->start)
			tui_screens[i]->start(app);

	term = newterm(NULL, stdout, stdin);
	if (!term) {
		fprintf(stderr, "rollcall: cannot start the terminal "
		    "(is TERM set?)\n");
		free(app);
		return RC_ESYS;
	}
	set_term(term);
	raw();		/* Ctrl-Q and Ctrl-C reach us as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(POLL_MS);
	app->color = colors_init();
	getmaxyx(stdscr, app->rows, app->cols);
	*out = app;
	return RC_OK;
}

int tui_desk(struct app *app, int64_t idle_ms)
{
	int changed, r;

	db_poll(app->db, &changed);	/* start from the state we load */
	timeout(POLL_MS);
	app->msg[0] = '\0';
	tui_load(app);
	enter_screen(app, 0);	/* the first of tui_screens.h */
	tui_backup_tick(app);	/* the first time the desk opens today */
	r = loop(app, idle_ms);
	form_close(app);
	app->help = 0;
	return r;
}

void tui_close(struct app *app)
{
	if (tui_backup_quit_due(app)) {
		tui_message(app, ROLE_NORMAL, "Taking today's backup before "
		    "quitting...");
		paint(app);
		tui_backup_quit(app);
	}
	endwin();
	delscreen(term);
	term = NULL;
	app_free(app);
	free(app);
}

int tui_run(rc_db *db, int quiet)
{
	struct app *app;
	int rc;

	if ((rc = tui_open(db, quiet, &app)) != RC_OK)
		return rc;
	tui_desk(app, 0);
	tui_close(app);
	return RC_OK;
}
