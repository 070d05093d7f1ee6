/*
 * timeit.c - runs whole processes and times them, like hyperfine done by
 * hand: one command per line of CMDFILE, in order, so that run.sh can
 * interleave rollcall, the floor and /bin/true and pool the runs.
 *
 *   timeit CMDFILE OUT
 *
 * A line is "TAG [NAME=VALUE ...] PROGRAM ARG ..." split on blanks (no
 * quoting: the benchmark's arguments have no spaces).  NAME=VALUE words
 * are set in the child's environment.  The child's stdin and stdout are
 * /dev/null; stderr is kept.  For each line one line is appended to OUT:
 *
 *   TAG WALL_US MAXRSS_KB CPU_US STATUS
 *
 * WALL_US runs from fork to the end of wait4 (what a shell would see);
 * MAXRSS_KB and CPU_US (user + system) come from the child's rusage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 64

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t
tv_us(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000u + (uint64_t)tv->tv_usec;
}

/* Split line into words in place; returns the count. */
static int
split(char *line, char **w)
{
	int n = 0;
	char *tok;

	for (tok = strtok(line, " \t\r\n"); tok && n < MAX_WORDS - 1;
	    tok = strtok(NULL, " \t\r\n"))
		w[n++] = tok;
	w[n] = NULL;
	return n;
}

/* In the child: environment words, quiet stdio, then the program. */
static void
child(char **w)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		_exit(127);
	for (; *w && strchr(*w, '=') && **w != '/' && **w != '.'; w++)
		if (putenv(*w) != 0)
			_exit(127);
	if (*w == NULL)
		_exit(127);
	execvp(*w, w);
	fprintf(stderr, "timeit: %s: %s\n", *w, strerror(errno));
	_exit(127);
}

/* Run one command line; append its figures to out. */
static int
run(char *line, FILE *out)
{
	char *w[MAX_WORDS], copy[4096];
	struct rusage ru;
	uint64_t t0, t;
	pid_t pid;
	int status;

	snprintf(copy, sizeof(copy), "%s", line);
	if (split(line, w) < 2)
		return 0;
	t0 = now_us();
	if ((pid = fork()) < 0) {
		perror("timeit: fork");
		return -1;
	}
	if (pid == 0)
		child(w + 1);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("timeit: wait4");
		return -1;
	}
	t = now_us() - t0;
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
	if (status != 0)
		fprintf(stderr, "timeit: exit %d: %s", status, copy);
	fprintf(out, "%s %llu %ld %llu %d\n", w[0], (unsigned long long)t,
	    ru.ru_maxrss, (unsigned long long)(tv_us(&ru.ru_utime) +
	    tv_us(&ru.ru_stime)), status);
	return 0;
}

int
main(int argc, char **argv)
{
	char line[4096];
	FILE *in, *out;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: timeit CMDFILE OUT\n");
		return 2;
	}
	if ((in = fopen(argv[1], "r")) == NULL ||
	    (out = fopen(argv[2], "a")) == NULL) {
		perror("timeit");
		return 1;
	}
	while (rc == 0 && fgets(line, sizeof(line), in) != NULL) {
		rc = run(line, out);
		fflush(out);
	}
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc == 0 ? 0 : 1;
}
