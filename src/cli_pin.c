/*
 * cli_pin.c - the command line's side of the kiosk (SPEC 8): pin set,
 * pin clear and kiosk.
 *
 * A PIN is read before the database is opened (the command table's
 * check step), so that a refused one creates nothing: twice without
 * echo from a terminal, or one line from a pipe.  It lives in one
 * static buffer, wiped when the run ends.
 */
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "pin.h"
#include "query.h"
#include "tui.h"

/* Room for a line longer than any valid PIN, to tell it is too long. */
static char secret[PIN_MAX_BYTES + 8];

static struct termios saved;
static volatile sig_atomic_t echo_off;

/* Ctrl-C while echo is off: give the terminal its echo back, then die. */
static void
on_signal(int sig)
{
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * One line of stdin into buf, without its line end.  Returns 0, 1 when
 * it is longer than buf holds, -1 at end of input with nothing read.
 */
static int
read_line(char *buf, size_t cap)
{
	size_t n;
	int c, over = 0;

	if (fgets(buf, (int)cap, stdin) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] != '\n' && n + 1 == cap) {
		over = 1;	/* drain the rest of the line */
		while ((c = getchar()) != EOF && c != '\n')
			;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = 0;
	return over;
}

/* Read a line without echo from the terminal on stdin. */
static int
read_hidden(const char *prompt, char *buf, size_t cap)
{
	struct termios quiet;
	int rc;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &saved) != 0)
		return read_line(buf, cap);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	echo_off = 1;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(buf, cap);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	echo_off = 0;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return rc;
}

/*
 * The PIN into `secret`: from a terminal `twice` asks again and refuses
 * a different second entry.  RC_OK or RC_REFUSED (a line printed).
 */
static int
read_pin(const char *prompt, int twice, int check)
{
	char again[sizeof(secret)];
	const char *why;
	int rc, tty = isatty(STDIN_FILENO);

	rc = tty ? read_hidden(prompt, secret, sizeof(secret)) :
	    read_line(secret, sizeof(secret));
	if (rc < 0) {
		cli_error("no PIN given%s", tty ? "" :
		    " (one line on standard input)");
		return RC_REFUSED;
	}
	if (rc > 0 || (check && pin_validate(secret, &why) != 0)) {
		cli_error("%s", rc > 0 ? "PIN is longer than 64 characters" :
		    why);
		return RC_REFUSED;
	}
	if (!tty || !twice)
		return RC_OK;
	rc = read_hidden("Same PIN again: ", again, sizeof(again));
	if (rc != 0 || strcmp(again, secret) != 0) {
		sodium_memzero(again, sizeof(again));
		cli_error("the two PINs differ; nothing changed");
		return RC_REFUSED;
	}
	sodium_memzero(again, sizeof(again));
	return RC_OK;
}

int
cli_pin_set_check(const struct cli *c)
{
	(void)c;
	return read_pin("New admin PIN: ", 1, 1);
}

int
cli_pin_clear_check(const struct cli *c)
{
	(void)c;
	return read_pin("Current admin PIN: ", 0, 0);
}

static int
done(struct cli *c, int rc, const char *result)
{
	struct cli_field f[] = { { "result", CF_STR, result, 0 } };

	sodium_memzero(secret, sizeof(secret));
	if (rc != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_TABLE)
		printf("%s\n", result);
	else
		cli_record(c->fmt, f, 1);
	return RC_OK;
}

int
cli_pin_set(struct cli *c)
{
	return done(c, command_pin_set(c->db, secret), "admin PIN set");
}

int
cli_pin_clear(struct cli *c)
{
	return done(c, command_pin_clear(c->db, secret),
	    "admin PIN cleared");
}

/* The kiosk: refused, writing nothing, when there is no PIN to guard it. */
int
cli_kiosk(struct cli *c)
{
	int rc, set;

	/* Catch up (a write) only if the read side may not know it yet. */
	if ((rc = query_pin_set(c->db, &set)) != RC_OK ||
	    (!set && ((rc = db_catch_up(c->db)) != RC_OK ||
	    (rc = query_pin_set(c->db, &set)) != RC_OK)))
		return cli_fail(c, rc);
	if (!set) {
		cli_error("no admin PIN is set: the kiosk needs one to guard "
		    "the desk (rollcall pin set)");
		return RC_REFUSED;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the kiosk needs a terminal");
		return RC_USAGE;
	}
	return kiosk_run(c->db, (c->seen & BIT(OPT_QUIET)) != 0);
}
