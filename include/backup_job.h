/*
 * backup_job.h - the desk's daily backup, run beside it.
 *
 * A backup of a school year takes seconds (copy, then a verify that
 * replays the log), far longer than a desk may freeze.  LMDB forbids a
 * second handle on one environment in a process, and a forked child
 * may not use its parent's, so the desk runs `rollcall --db DIR backup
 * --daily` as a child process (this same binary) and polls it from its
 * loop: check-ins go on meanwhile.  The child records its result in the
 * database (backup.h), where status and the Status screen read it.
 */
#ifndef ROLLCALL_BACKUP_JOB_H
#define ROLLCALL_BACKUP_JOB_H

#include <stddef.h>
#include <sys/types.h>

struct backup_job {
	pid_t pid;		/* 0: none running */
	int fd;			/* the child's stdout and stderr */
	char out[512];		/* the last line it printed */
	size_t len;
	char line[512];		/* the line being read */
	size_t linelen;
};

/*
 * Start the daily backup of the database in dir.  Returns 0, or -1 with
 * errno set (then nothing runs).  A job already running is left alone.
 */
int backup_job_start(struct backup_job *j, const char *dir);

/*
 * Whether the job has ended: 0 while it runs (or none was started), 1
 * when it has ended, with *rc its exit status (RC_*) and msg its last
 * line ("backup: ..." or "rollcall: ..."), and the job reset.
 * With wait set, blocks until it ends.
 */
int backup_job_poll(struct backup_job *j, int wait, int *rc, char *msg,
    size_t len);

#endif
