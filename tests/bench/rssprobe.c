/*
 * rssprobe.c - an LD_PRELOAD library that says what a process's peak RSS
 * is made of: the pages of LMDB's map (file-backed, the page cache,
 * reclaimable) or memory the process allocated (anonymous).
 *
 * It wraps munmap(): just before a region of 32 MB or more goes (LMDB's
 * map, in mdb_env_close() or when the map grows) it appends one line to
 * $RSSPROBE_OUT.  munmap, not mdb_env_close, because the release binary
 * links LMDB statically and only libc is left to interpose:
 *
 *   TAG VMHWM_KB RSSFILE_KB RSSANON_KB
 *
 * with TAG from $RSSPROBE_TAG.  VmHWM is the peak RSS so far; RssFile is
 * what is mapped from files at that moment (LMDB's map is still mapped,
 * so it is the map's peak); RssAnon is the allocated memory
 * still held then.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Value in kB of a /proc/self/status field, or -1. */
static long
status_kb(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static void
record(void)
{
	const char *out = getenv("RSSPROBE_OUT"), *tag = getenv("RSSPROBE_TAG");
	FILE *f;

	if (out == NULL || (f = fopen(out, "a")) == NULL)
		return;
	fprintf(f, "%s %ld %ld %ld\n", tag ? tag : "-", status_kb("VmHWM"),
	    status_kb("RssFile"), status_kb("RssAnon"));
	fclose(f);
}

int
munmap(void *addr, size_t len)
{
	int (*real)(void *, size_t);

	if (len >= 32UL << 20)
		record();
	*(void **)&real = dlsym(RTLD_NEXT, "munmap");
	return real(addr, len);
}
