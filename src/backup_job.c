/*
 * backup_job.c - run `rollcall backup --daily` beside the desk (see
 * backup_job.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backup_job.h"
#include "db.h"

int
backup_job_start(struct backup_job *j, const char *dir)
{
	char self[PATH_MAX];
	ssize_t n;
	int p[2], null;
	pid_t pid;

	if (j->pid > 0)
		return 0;
	/* This very binary, whatever PATH says. */
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = 0;
	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		/* Its own process group: a Ctrl-C meant for the desk is not. */
		setpgid(0, 0);
		execl(self, "rollcall", "--db", dir, "backup", "--daily",
		    (char *)NULL);
		_exit(RC_ESYS);
	}
	close(p[1]);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	j->pid = pid;
	j->fd = p[0];
	j->len = j->linelen = 0;
	j->out[0] = 0;
	return 0;
}

/* Keep the last non-empty line read so far. */
static void
drain(struct backup_job *j)
{
	char buf[512];
	ssize_t n, i;

	while ((n = read(j->fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (j->linelen < sizeof(j->line) - 1)
					j->line[j->linelen++] = buf[i];
				continue;
			}
			if (j->linelen == 0)
				continue;
			j->line[j->linelen] = 0;
			memcpy(j->out, j->line, j->linelen + 1);
			j->len = j->linelen;
			j->linelen = 0;
		}
}

int
backup_job_poll(struct backup_job *j, int wait, int *rc, char *msg,
    size_t len)
{
	struct pollfd pfd;
	int st;
	pid_t r;

	if (j->pid <= 0)
		return 0;
	for (;;) {
		drain(j);
		r = waitpid(j->pid, &st, WNOHANG);
		if (r == j->pid || (r < 0 && errno != EINTR))
			break;
		if (!wait)
			return 0;
		pfd.fd = j->fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, 100);
	}
	drain(j);
	close(j->fd);
	j->pid = 0;
	if (j->linelen > 0) {	/* a last line without its newline */
		j->line[j->linelen] = 0;
		memcpy(j->out, j->line, j->linelen + 1);
	}
	if (r <= 0) {
		*rc = RC_ESYS;
		snprintf(msg, len, "the backup was lost (%s)", strerror(errno));
	} else if (WIFSIGNALED(st)) {
		*rc = RC_ESYS;
		snprintf(msg, len, "the backup was stopped (signal %d)",
		    WTERMSIG(st));
	} else {
		*rc = WIFEXITED(st) ? WEXITSTATUS(st) : RC_ESYS;
		snprintf(msg, len, "%s", j->out[0] ? j->out :
		    (*rc == RC_OK ? "backup done" : "the backup failed"));
	}
	return 1;
}
