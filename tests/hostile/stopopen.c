/*
 * stopopen.c - an LD_PRELOAD helper for tests/cli/zz_hostile.sh: the
 * process stops itself (SIGSTOP) when it opens a file whose name ends
 * in $ROLLCALL_STOP_OPEN (e.g. "/data.mdb"), so that a test can kill it
 * at that exact point.  LMDB's mdb_env_open() opens lock.mdb, sets up
 * the lock region, then opens data.mdb: stopping there catches a
 * process in the middle of opening the environment.
 *
 * Build: cc -shared -fPIC -o stopopen.so stopopen.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static void
maybe_stop(const char *path)
{
	const char *want = getenv("ROLLCALL_STOP_OPEN");
	size_t n, w;

	if (want == NULL || *want == 0 || path == NULL)
		return;
	n = strlen(path), w = strlen(want);
	if (n >= w && strcmp(path + n - w, want) == 0) {
		unsetenv("ROLLCALL_STOP_OPEN");		/* once */
		raise(SIGSTOP);
	}
}

int
open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	maybe_stop(path);
	return real(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open64");
	maybe_stop(path);
	return real(path, flags, mode);
}
