/*
 * tuibench.c - the TUI's figures, measured from outside through a
 * pseudo-terminal, as a person at a 120x40 xterm would drive it.
 *
 *   tuibench ROLLCALL DBDIR NKEYS
 *
 * tui_first_paint     from fork to the last byte of the first screen
 *                     (median of 3 starts): the output has reached a
 *                     screenful and then stays quiet for QUIET_MS
 * tui_keystroke_cpu   CPU time (user + system, from the child's CPU clock)
 *                     per check-in filter keystroke: NKEYS keys typing and
 *                     erasing searches that match from ten students to the
 *                     whole roster, each key sent once the previous one
 *                     was answered
 * tui_keystroke_wall  median time from a key to the end of its redraw
 * tui_rss             peak RSS of the TUI after all that (idle desk)
 *
 *   tuibench ROLLCALL DBDIR NKEYS report
 *
 * report_key_wall     the Report screen (F8): median and slowest time
 * report_key_max      from a key that changes the range or the sort
 * report_key_cpu      (w m t s in turn) to the end of its redraw; CPU
 *                     per key
 *
 *   tuibench ROLLCALL DBDIR NKEYS kiosk FILE
 *
 * kiosk_scan_cpu      `rollcall kiosk`: CPU per card scan (a line of
 * kiosk_scan_wall     FILE and Enter, as a reader types it) up to the
 *                     greeting, commit included; median wall time
 *
 * ROLLCALL_NOW comes from the environment; TERM and the locale are set
 * here so that the figures do not depend on the caller's terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROWS 40
#define COLS 120
#define SCREENFUL 1000		/* bytes: more than set-up sequences */
#define QUIET_MS 300		/* no output for this long: painted */
#define KEY_QUIET_MS 5		/* ... after a keystroke's answer */
#define TIMEOUT_MS 20000

struct tui {
	pid_t pid;
	int fd;			/* pty master */
	uint64_t start;		/* ns, when forked */
	uint64_t last;		/* ns, last byte read */
	size_t bytes;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what)
{
	fprintf(stderr, "tuibench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
start_cmd(struct tui *t, const char *prog, const char *dir, const char *cmd)
{
	struct winsize ws = { ROWS, COLS, 0, 0 };

	memset(t, 0, sizeof(*t));
	t->start = now_ns();
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		die("forkpty");
	if (t->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		if (cmd)
			execl(prog, prog, "--db", dir, cmd, (char *)NULL);
		else
			execl(prog, prog, "--db", dir, (char *)NULL);
		_exit(127);
	}
}

static void
start(struct tui *t, const char *prog, const char *dir)
{
	start_cmd(t, prog, dir, NULL);
}

/*
 * Read what the TUI writes until it has been quiet for quiet_ms (after
 * at least `least` bytes).  Returns 0, or -1 on timeout or exit.
 */
static int
drain(struct tui *t, size_t least, int quiet_ms)
{
	char buf[65536];
	struct pollfd p = { t->fd, POLLIN, 0 };
	uint64_t begin = now_ns();
	size_t got = 0;
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&p, 1, got >= least ? quiet_ms : 100);
		if (r < 0 && errno != EINTR)
			die("poll");
		if (r == 0 && got >= least)
			return 0;
		if (r > 0) {
			if ((n = read(t->fd, buf, sizeof(buf))) <= 0)
				return -1;
			got += (size_t)n;
			t->bytes += (size_t)n;
			t->last = now_ns();
		}
		if (now_ns() - begin > (uint64_t)TIMEOUT_MS * 1000000u)
			return -1;
	}
}

/* Wait for the child to end (draining its output); its peak RSS in KiB. */
static long
reap(struct tui *t, struct rusage *ru, int *status)
{
	while (drain(t, 0, 50) == 0 && waitpid(t->pid, status, WNOHANG) == 0)
		;
	if (wait4(t->pid, status, 0, ru) < 0)
		die("wait4");
	close(t->fd);
	if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
		fprintf(stderr, "tuibench: the TUI exited with status %d\n",
		    WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 +
		    WTERMSIG(*status));
		exit(1);
	}
	return ru->ru_maxrss;
}

/* Quit with Ctrl-Q; returns the child's peak RSS in KiB. */
static long
stop(struct tui *t)
{
	struct rusage ru;
	int status;

	if (write(t->fd, "\021", 1) != 1)
		die("write");
	return reap(t, &ru, &status);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

static uint64_t
cpu_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) != 0)
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Start, paint, quit: the time to the first painted screen. */
static uint64_t
first_paint(const char *prog, const char *dir)
{
	struct tui t;
	uint64_t ns;

	start(&t, prog, dir);
	if (drain(&t, SCREENFUL, QUIET_MS) != 0) {
		fprintf(stderr, "tuibench: no screen from %s\n", prog);
		exit(1);
	}
	ns = t.last - t.start;
	stop(&t);
	return ns;
}

/* The keys: searches by name and by email, typed and erased. */
static const char keys[] =
    "tudent\177\177\177\177\177\177"		/* every student */
    "s0004\177\177\177\177\177"			/* ten of them */
    "0\177"						/* every one */
    "student 01\177\177\177\177\177\177\177\177\177\177";	/* a tenth */

/*
 * Send each of n inputs (in[i % nin], len bytes each or up to a NUL),
 * waiting for its answer to end (quiet for quiet_ms); wall[i] is the
 * time to its last byte.  Returns the child's CPU time over all of them.
 */
static uint64_t
drive(struct tui *t, const char *const *in, size_t nin, size_t n,
    int quiet_ms, uint64_t *wall)
{
	uint64_t t0, c0;
	clockid_t clk;
	size_t i, len;

	if (clock_getcpuclockid(t->pid, &clk) != 0)
		die("clock_getcpuclockid");
	c0 = cpu_ns(clk);
	for (i = 0; i < n; i++) {
		len = strlen(in[i % nin]);
		t0 = now_ns();
		if (write(t->fd, in[i % nin], len) != (ssize_t)len)
			die("write");
		if (drain(t, 1, quiet_ms) != 0) {
			fprintf(stderr, "tuibench: no answer to input %zu\n", i);
			exit(1);
		}
		wall[i] = t->last - t0;
	}
	return cpu_ns(clk) - c0;
}

/* The Report screen (F8) over the database's whole range. */
static int
bench_report(const char *prog, const char *dir, size_t n, uint64_t *wall)
{
	static const char *const rkeys[] = { "s", "m", "s", "t", "w", "t" };
	struct tui t;
	uint64_t cpu;

	start(&t, prog, dir);
	if (drain(&t, SCREENFUL, QUIET_MS) != 0)
		return 1;
	if (write(t.fd, "\033[19~", 5) != 5)	/* F8 */
		die("write");
	if (drain(&t, 1, QUIET_MS) != 0)
		return 1;
	cpu = drive(&t, rkeys, sizeof(rkeys) / sizeof(rkeys[0]), n, KEY_QUIET_MS,
	    wall);
	stop(&t);
	printf("report_key_cpu %.3f ms\n", (double)cpu / 1e6 / (double)n);
	printf("report_key_wall %.3f ms\n", (double)median(wall, n) / 1e6);
	printf("report_key_max %.3f ms\n", (double)wall[n - 1] / 1e6);
	return 0;
}

/* The kiosk: each line of file, then Enter, as a card reader sends it. */
static int
bench_kiosk(const char *prog, const char *dir, size_t n, const char *file,
    uint64_t *wall)
{
	char line[256], **scans = NULL;
	size_t nscans = 0, cap = 0;
	struct rusage ru;
	struct tui t;
	uint64_t cpu;
	FILE *f;
	int status;

	if ((f = fopen(file, "r")) == NULL)
		die(file);
	while (fgets(line, sizeof(line) - 1, f)) {
		line[strcspn(line, "\n")] = '\0';
		strcat(line, "\r");
		if (nscans == cap && (scans = realloc(scans, (cap = cap * 2 + 64) *
		    sizeof(*scans))) == NULL)
			die("realloc");
		if ((scans[nscans++] = strdup(line)) == NULL)
			die("strdup");
	}
	fclose(f);
	if (nscans < n) {
		fprintf(stderr, "tuibench: %s has fewer than %zu lines\n", file, n);
		return 1;
	}
	start_cmd(&t, prog, dir, "kiosk");
	if (drain(&t, SCREENFUL / 2, QUIET_MS) != 0)
		return 1;
	/* each scan is a durable commit: its fsync is quiet time too */
	cpu = drive(&t, (const char *const *)scans, nscans, n, 60, wall);
	kill(t.pid, SIGKILL);	/* a kiosk quits only with the PIN */
	while (drain(&t, 0, 50) == 0 && waitpid(t.pid, &status, WNOHANG) == 0)
		;
	wait4(t.pid, &status, 0, &ru);
	close(t.fd);
	printf("kiosk_scan_cpu %.3f ms\n", (double)cpu / 1e6 / (double)n);
	printf("kiosk_scan_wall %.3f ms\n", (double)median(wall, n) / 1e6);
	while (nscans)
		free(scans[--nscans]);
	free(scans);
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t paint[3], *wall, t0, c0, c1;
	struct tui t;
	clockid_t clk;
	size_t nkeys, i;
	long rss;

	if (argc < 4 || (argc == 5 && strcmp(argv[4], "report") != 0) ||
	    (argc == 6 && strcmp(argv[4], "kiosk") != 0) || argc > 6) {
		fprintf(stderr, "usage: tuibench ROLLCALL DBDIR NKEYS "
		    "[report | kiosk FILE]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	nkeys = strtoul(argv[3], NULL, 10);
	if (nkeys == 0 || (wall = calloc(nkeys, sizeof(*wall))) == NULL)
		return 2;
	if (argc == 5)
		return bench_report(argv[1], argv[2], nkeys, wall);
	if (argc == 6)
		return bench_kiosk(argv[1], argv[2], nkeys, argv[5], wall);
	for (i = 0; i < 3; i++)
		paint[i] = first_paint(argv[1], argv[2]);
	start(&t, argv[1], argv[2]);
	if (drain(&t, SCREENFUL, QUIET_MS) != 0)
		return 1;
	if (clock_getcpuclockid(t.pid, &clk) != 0)
		die("clock_getcpuclockid");
	c0 = cpu_ns(clk);
	for (i = 0; i < nkeys; i++) {
		t0 = now_ns();
		if (write(t.fd, &keys[i % (sizeof(keys) - 1)], 1) != 1)
			die("write");
		if (drain(&t, 1, KEY_QUIET_MS) != 0) {
			fprintf(stderr, "tuibench: no answer to key %zu\n", i);
			return 1;
		}
		wall[i] = t.last - t0;
	}
	c1 = cpu_ns(clk);
	rss = stop(&t);
	printf("tui_first_paint %.1f ms\n", (double)median(paint, 3) / 1e6);
	printf("tui_keystroke_cpu %.3f ms\n", (double)(c1 - c0) / 1e6 /
	    (double)nkeys);
	printf("tui_keystroke_wall %.3f ms\n", (double)median(wall, nkeys) /
	    1e6);
	printf("tui_rss %.1f MB\n", (double)rss / 1024);
	free(wall);
	return 0;
}
