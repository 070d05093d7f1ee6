/*
 * tui_kiosk.c - the kiosk (SPEC 8): students check themselves in at a
 * desk by the door.  One large prompt takes a card scan or a typed
 * code, email or id; Enter checks that student in and a greeting says
 * who, how and with what points, then clears.  No roster, no search by
 * name: a student sees their own greeting and nothing else.
 *
 * The admin desk and quitting are behind the admin PIN.  Its Argon2id
 * check runs on a thread of its own, so the screen keeps answering
 * while it works; five wrong PINs in a row lock PIN entry for 30
 * seconds, twice as long after each further wrong one.  After the right
 * PIN the whole desk (tui.c) runs until two minutes pass without a key,
 * then the kiosk comes back.
 *
 * Curses runs raw, so Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys, which
 * the kiosk ignores; their signals are ignored too, in case one comes
 * from elsewhere.
 */
#include <curses.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "clock.h"
#include "command.h"
#include "pin.h"
#include "text.h"
#include "tui.h"
#include "tui_app.h"

#define TICK_MS 100		/* getch timeout: greeting, lock, thread */
#define GREET_MS 5000		/* how long a greeting stays */
#define IDLE_MS 120000		/* the desk falls back after this */
#define LOCK_MS 30000		/* PIN entry locked after LOCK_AFTER */
#define LOCK_AFTER 5		/* wrong PINs in a row */
#define LINE_MAX_BYTES 254	/* the longest thing worth typing: an email */

/*
 * Test-only environment variables (documented in README as such):
 * shorter waits, so that the tmux tests need not sit through minutes.
 */
#define ENV_IDLE "ROLLCALL_TEST_KIOSK_IDLE_MS"
#define ENV_LOCK "ROLLCALL_TEST_KIOSK_LOCK_MS"
#define ENV_GREET "ROLLCALL_TEST_KIOSK_GREET_MS"

enum outcome { OUT_NONE, OUT_IN, OUT_ALREADY, OUT_UNKNOWN, OUT_REFUSED };
enum intent { TO_DESK, TO_QUIT };

struct kiosk {
	struct app *app;	/* colours, size, and the desk behind the PIN */
	int64_t idle_ms, lock_ms, greet_ms;

	char line[LINE_MAX_BYTES + 1];	/* what is being typed or scanned */
	size_t len;

	enum outcome shown;	/* the greeting on screen */
	char who[RC_NAME_MAX + 1];
	char what[512];
	int what_role;
	int64_t shown_until;

	int pin_open;		/* the PIN prompt */
	enum intent intent;
	char pin[PIN_MAX_BYTES + 1];
	size_t pin_len;
	char pin_msg[128];
	int fails;		/* wrong PINs in a row */
	int64_t locked_until;

	/* The Argon2id check, on its own thread. */
	pthread_t thread;
	int checking;
	atomic_int done;
	int matched;
	char hash[PIN_HASH_BUF];
	char attempt[PIN_MAX_BYTES + 1];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t env_ms(const char *name, int64_t dflt)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (!v || !*v)
		return dflt;
	n = strtoll(v, &end, 10);
	return *end || n <= 0 ? dflt : (int64_t)n;
}

/* ------------------------------------------------------------------ */
/* Checking in                                                          */

/* The typed line without blanks around it (a reader may add them). */
static void trimmed(const struct kiosk *k, char *out, size_t cap)
{
	const char *s = k->line;
	size_t n;

	while (*s == ' ')
		s++;
	snprintf(out, cap, "%s", s);
	n = strlen(out);
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
}

static void show(struct kiosk *k, enum outcome o, const char *who,
    int role, const char *what)
{
	k->shown = o;
	snprintf(k->who, sizeof k->who, "%s", who);
	snprintf(k->what, sizeof k->what, "%s", what);
	k->what_role = role;
	k->shown_until = now_ms() + k->greet_ms;
	if (o != OUT_IN)
		tui_alert(k->app);
}

/*
 * A refusal for a person, told apart by the core's result (out->refused),
 * not by its message: unknown and already-in get the kiosk's own words.
 */
static void refused(struct kiosk *k, const char *typed,
    const struct rc_checkin *out)
{
	char what[160], tm[10];

	switch (out->refused) {
	case RF_UNKNOWN:
		snprintf(what, sizeof what, "\"%.40s%s\" is not recognised. "
		    "Try again, or ask at the desk.", typed,
		    strlen(typed) > 40 ? "..." : "");
		show(k, OUT_UNKNOWN, "Not recognised", ROLE_ERROR, what);
		break;
	case RF_ALREADY_IN:
		clock_format_hhmm(out->arrived, tm);
		snprintf(what, sizeof what, "You are already checked in "
		    "today (at %s).", tm);
		show(k, OUT_ALREADY, out->name, ROLE_KEY, what);
		break;
	default:
		show(k, OUT_REFUSED, "Cannot check in", ROLE_ERROR,
		    out->refused == RF_REMOVED ? "Please ask at the desk." :
		    db_error(k->app->db));
	}
}

static void check_in(struct kiosk *k)
{
	struct rc_checkin out;
	char typed[LINE_MAX_BYTES + 1], what[256], t[10];
	int rc;

	trimmed(k, typed, sizeof typed);
	k->len = 0;
	k->line[0] = '\0';	/* every Enter ends the line */
	if (!typed[0])
		return;		/* a blank line from a reader: nobody */
	rc = command_checkin(k->app->db, typed, NULL, &out);
	if (rc == RC_REFUSED) {
		refused(k, typed, &out);
		return;
	}
	if (rc != RC_OK) {
		show(k, OUT_REFUSED, "Cannot check in", ROLE_ERROR,
		    db_error(k->app->db));
		return;
	}
	clock_format_hhmm(out.arrived, t);
	snprintf(what, sizeof what, "%s at %s   %+d points   total %lld",
	    tui_status_word(out.status), t, (int)out.points,
	    (long long)out.total);
	show(k, OUT_IN, out.name, tui_status_role(out.status), what);
}

/* ------------------------------------------------------------------ */
/* The PIN                                                              */

static void *check_thread(void *arg)
{
	struct kiosk *k = arg;

	k->matched = pin_matches(k->hash, k->attempt);
	atomic_store(&k->done, 1);
	return NULL;
}

static void pin_wipe(struct kiosk *k)
{
	sodium_memzero(k->pin, sizeof k->pin);
	k->pin_len = 0;
}

static void pin_prompt(struct kiosk *k, enum intent why)
{
	k->pin_open = 1;
	k->intent = why;
	k->pin_msg[0] = '\0';
	pin_wipe(k);
}

/* Start checking the typed PIN (Enter). */
static void pin_submit(struct kiosk *k)
{
	int set = 0;

	if (k->pin_len == 0 || k->checking)
		return;
	if (pin_load(k->app->db, k->hash, &set) != RC_OK || !set) {
		snprintf(k->pin_msg, sizeof k->pin_msg, "%s",
		    set ? db_error(k->app->db) : "No admin PIN is set.");
		pin_wipe(k);
		return;
	}
	memcpy(k->attempt, k->pin, sizeof k->attempt);
	pin_wipe(k);
	atomic_store(&k->done, 0);
	if (pthread_create(&k->thread, NULL, check_thread, k) != 0) {
		check_thread(k);	/* no thread: check here, once */
		k->checking = 1;
		return;
	}
	k->checking = 2;
	snprintf(k->pin_msg, sizeof k->pin_msg, "Checking...");
}

/* The lock after LOCK_AFTER wrong PINs, doubling for each one more. */
static void wrong_pin(struct kiosk *k)
{
	int64_t lock = k->lock_ms;
	int extra;

	k->fails++;
	if (k->fails < LOCK_AFTER) {
		snprintf(k->pin_msg, sizeof k->pin_msg, "Wrong PIN.");
		tui_alert(k->app);
		return;
	}
	for (extra = k->fails - LOCK_AFTER; extra > 0 && lock < INT64_MAX / 4;
	    extra--)
		lock *= 2;
	k->locked_until = now_ms() + lock;
	k->pin_msg[0] = '\0';
	tui_alert(k->app);
}

/*
 * The check finished: returns TO_QUIT or TO_DESK for the right PIN,
 * -1 otherwise.
 */
static int pin_checked(struct kiosk *k)
{
	if (k->checking == 2)
		pthread_join(k->thread, NULL);
	k->checking = 0;
	sodium_memzero(k->attempt, sizeof k->attempt);
	sodium_memzero(k->hash, sizeof k->hash);
	if (!k->matched) {
		wrong_pin(k);
		return -1;
	}
	k->fails = 0;
	k->pin_open = 0;
	return (int)k->intent;
}

static int locked(const struct kiosk *k)
{
	return now_ms() < k->locked_until;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

/* Centre s in the width (display columns), clipped to it. */
static void centre(const struct kiosk *k, int y, int role, const char *s)
{
	char esc[4 * TUI_LINE_MAX];
	int w, cols = k->app->cols;

	text_escape(s, strlen(s), esc, sizeof esc);
	w = text_width(esc);
	if (w > cols - 2)
		w = cols - 2;
	tui_put(k->app, y, (cols - w) / 2, w, role, esc);
}

/* A bigger name for a bigger screen: its letters spaced out. */
static void spaced(const char *s, char *out, size_t cap)
{
	size_t n = 0, len = strlen(s), i = 0;

	while (i < len && n + 6 < cap) {
		size_t c = 1;

		while (i + c < len && (s[i + c] & 0xc0) == 0x80)
			c++;
		memcpy(out + n, s + i, c);
		n += c;
		i += c;
		if (i < len)
			out[n++] = ' ';
	}
	out[n] = '\0';
}

static void draw_box(const struct kiosk *k, int y, int x, int h, int w)
{
	attrset(tui_attr(k->app, ROLE_BOX));
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
}

static int big(const struct kiosk *k)
{
	return k->app->rows >= 36 && k->app->cols >= 120;
}

static void draw_greeting(const struct kiosk *k, int y)
{
	char name[4 * RC_NAME_MAX + 1];
	const char *title = k->who;

	if (k->shown == OUT_NONE)
		return;
	if (big(k) && k->shown == OUT_IN) {
		spaced(k->who, name, sizeof name);
		if (text_width(name) < k->app->cols - 4)
			title = name;
	}
	if (k->shown == OUT_IN)
		centre(k, y, ROLE_DIM, "Welcome");
	else if (k->shown == OUT_ALREADY)
		centre(k, y, ROLE_KEY, "Already in");
	centre(k, y + (big(k) ? 2 : 1), k->shown == OUT_IN ? ROLE_OK :
	    k->shown == OUT_ALREADY ? ROLE_KEY : ROLE_ERROR, title);
	centre(k, y + (big(k) ? 4 : 3), k->what_role, k->what);
}

static void draw_pin(const struct kiosk *k)
{
	int w = k->app->cols < 70 ? k->app->cols - 4 : 66;
	int h = 8, y = (k->app->rows - h) / 2, x = (k->app->cols - w) / 2;
	char line[160];

	for (int i = 0; i < h; i++)
		tui_blank(k->app, y + i, x, w, ROLE_NORMAL);
	draw_box(k, y, x, h, w);
	tui_put(k->app, y + 1, x + 2, w - 4, ROLE_KEY, k->intent == TO_QUIT ?
	    "Admin PIN to quit the kiosk" : "Admin PIN to open the desk");
	if (locked(k)) {
		snprintf(line, sizeof line, "Too many wrong PINs: PIN entry "
		    "is locked for %lld s.", (long long)((k->locked_until -
		    now_ms() + 999) / 1000));
		tui_put(k->app, y + 3, x + 2, w - 4, ROLE_ERROR, line);
	} else {
		tui_put(k->app, y + 3, x + 2, w - 4, ROLE_NORMAL,
		    "PIN (not shown):");
		tui_put(k->app, y + 5, x + 2, w - 4, k->checking ?
		    ROLE_DIM : ROLE_ERROR, k->pin_msg);
	}
	tui_put(k->app, y + 6, x + 2, w - 4, ROLE_DIM,
	    "Enter confirms   Esc cancels");
}

static void paint(const struct kiosk *k)
{
	const struct app *app = k->app;
	int rows = app->rows, cols = app->cols;
	int pw = big(k) ? (cols - 8 < 96 ? cols - 8 : 96) :
	    (cols - 8 < 64 ? cols - 8 : 64);
	int ph = big(k) ? 5 : 3, py = rows / 3, px = (cols - pw) / 2;
	char buf[160];
	int used;

	erase();
	if (rows < 24 || cols < 80) {
		snprintf(buf, sizeof buf, "terminal too small: %dx%d, need "
		    "80x24", cols, rows);
		tui_put(app, rows / 2, 0, cols, ROLE_ERROR, buf);
		curs_set(0);
		refresh();
		return;
	}
	tui_blank(app, 0, 0, cols, ROLE_HEADER);
	centre(k, 0, ROLE_HEADER, "rollcall  -  self check-in");
	centre(k, py - (big(k) ? 4 : 2), ROLE_KEY,
	    "Scan your card, or type your student number, then press Enter");
	draw_box(k, py, px, ph, pw);
	used = tui_put(app, py + ph / 2, px + 2, 2, ROLE_KEY, "> ");
	tui_put_from(app, py + ph / 2, px + 2 + used, pw - 5 - used,
	    ROLE_KEY, k->line, text_width(k->line) - (pw - 6 - used));
	draw_greeting(k, py + ph + (big(k) ? 3 : 2));
	tui_blank(app, rows - 1, 0, cols, ROLE_FOOTER);
	tui_put(app, rows - 1, 1, cols - 2, ROLE_FOOTER,
	    "F2 admin desk (PIN)    F10 quit (PIN)");
	if (k->pin_open) {
		draw_pin(k);
		curs_set(locked(k) || k->checking ? 0 : 1);
		move((rows - 8) / 2 + 3, (cols - (cols < 70 ? cols - 4 : 66)) /
		    2 + 19);
	} else {
		curs_set(1);
		move(py + ph / 2, px + 2 + used + (text_width(k->line) <
		    pw - 6 - used ? text_width(k->line) : pw - 6 - used));
	}
	refresh();
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

/* Append the typed character to buf (UTF-8), if there is room. */
static void put_char(char *buf, size_t *len, size_t cap, wint_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1 || *len + n >= cap)
		return;
	memcpy(buf + *len, mb, n);
	*len += n;
	buf[*len] = '\0';
}

static void back_char(char *buf, size_t *len)
{
	while (*len > 0 && (buf[*len - 1] & 0xc0) == 0x80)
		(*len)--;
	if (*len > 0)
		(*len)--;
	buf[*len] = '\0';
}

static int is_end(int r, wint_t wc)
{
	return (r == KEY_CODE_YES && wc == KEY_ENTER) ||
	    (r == OK && (wc == '\r' || wc == '\n' || wc == '\t'));
}

static int is_text(int r, wint_t wc)
{
	return r == OK && wc >= 0x20 && wc != 0x7f && !(wc >= 0x80 &&
	    wc < 0xa0);
}

/* A key in the PIN prompt; returns an intent when the PIN is right. */
static void pin_key(struct kiosk *k, int r, wint_t wc)
{
	if (r == OK && wc == 27) {
		k->pin_open = 0;	/* the check, if running, still counts */
		pin_wipe(k);
		return;
	}
	if (locked(k) || k->checking)
		return;
	if (is_end(r, wc))
		pin_submit(k);
	else if ((r == KEY_CODE_YES && wc == KEY_BACKSPACE) ||
	    (r == OK && (wc == 127 || wc == 8)))
		back_char(k->pin, &k->pin_len);
	else if (r == OK && wc == TK_CTRL('u'))
		pin_wipe(k);
	else if (is_text(r, wc))
		put_char(k->pin, &k->pin_len, sizeof k->pin, wc);
}

static void kiosk_key(struct kiosk *k, int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			check_in(k);
		else if (wc == KEY_BACKSPACE)
			back_char(k->line, &k->len);
		else if (wc == KEY_F(10))
			pin_prompt(k, TO_QUIT);
		else if (wc >= KEY_F(1) && wc <= KEY_F(12))
			pin_prompt(k, TO_DESK);
		return;
	}
	if (is_end(r, wc))
		check_in(k);
	else if (wc == 127 || wc == 8)
		back_char(k->line, &k->len);
	else if (wc == 27 || wc == TK_CTRL('u')) {
		k->len = 0;
		k->line[0] = '\0';
	} else if (wc == TK_CTRL('q'))
		pin_prompt(k, TO_QUIT);
	else if (is_text(r, wc))
		put_char(k->line, &k->len, sizeof k->line, wc);
	/* Ctrl-C, Ctrl-Z, Ctrl-\ and the rest: nothing. */
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */

/* Time-driven changes: the greeting clears, a lock ends, a check ends. */
static int tick(struct kiosk *k, int *go)
{
	struct rc_local now;
	int64_t us;
	int dirty = 0;

	/* A kiosk left open overnight still takes each day's backup. */
	if (clock_now(&us, &now) == 0)
		k->app->today = now.day;
	tui_backup_tick(k->app);

	if (k->shown != OUT_NONE && now_ms() >= k->shown_until) {
		k->shown = OUT_NONE;
		dirty = 1;
	}
	if (k->pin_open && (locked(k) || k->locked_until))
		dirty = 1;	/* the countdown */
	if (k->checking && atomic_load(&k->done)) {
		*go = pin_checked(k);
		dirty = 1;
	}
	return dirty;
}

/* One key, then every key already typed, before the next paint. */
static int keys(struct kiosk *k, int r, wint_t wc)
{
	int n = 0;

	do {
		if (r == KEY_CODE_YES && wc == KEY_RESIZE)
			getmaxyx(stdscr, k->app->rows, k->app->cols);
		else if (k->pin_open)
			pin_key(k, r, wc);
		else
			kiosk_key(k, r, wc);
		timeout(0);
		r = get_wch(&wc);
		n++;
	} while (r != ERR && n < 4096);
	timeout(TICK_MS);
	return 1;
}

/* Run the kiosk until the right PIN says quit. */
static void run(struct kiosk *k)
{
	int dirty = 1, go = -1;

	timeout(TICK_MS);
	for (;;) {
		wint_t wc;
		int r;

		if (dirty)
			paint(k);
		dirty = 0;
		r = get_wch(&wc);
		if (r != ERR)
			dirty = keys(k, r, wc);
		dirty |= tick(k, &go);
		if (go == TO_QUIT)
			return;
		if (go == TO_DESK) {
			go = -1;
			if (tui_desk(k->app, k->idle_ms) == TUI_QUIT)
				return;
			timeout(TICK_MS);	/* idle: the kiosk again */
			k->shown = OUT_NONE;
			k->len = 0;
			k->line[0] = '\0';
			dirty = 1;
		}
	}
}

int kiosk_run(rc_db *db, int quiet)
{
	struct kiosk *k;
	int rc;

	signal(SIGINT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (sodium_init() < 0) {
		fprintf(stderr, "rollcall: cannot start libsodium\n");
		return RC_ESYS;
	}
	if ((k = calloc(1, sizeof *k)) == NULL) {
		fprintf(stderr, "rollcall: out of memory\n");
		return RC_ESYS;
	}
	k->idle_ms = env_ms(ENV_IDLE, IDLE_MS);
	k->lock_ms = env_ms(ENV_LOCK, LOCK_MS);
	k->greet_ms = env_ms(ENV_GREET, GREET_MS);
	if ((rc = tui_open(db, quiet, &k->app)) != RC_OK) {
		free(k);
		return rc;
	}
	tui_backup_load(k->app);	/* the daily backup, as the desk's */
	run(k);
	if (k->checking == 2)
		pthread_join(k->thread, NULL);
	tui_close(k->app);
	sodium_memzero(k, sizeof *k);
	free(k);
	return RC_OK;
}
