/*
 * util.c - helpers shared by the benchmark programs (see util.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util.h"

uint64_t
util_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
util_quantile(uint64_t *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	i = (size_t)(q * (double)n);
	return v[i < n ? i : n - 1];
}

void
util_die(const char *fmt, ...)
{
	va_list ap;

	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Split "student,arrived_at\n" into row; 0, or -1 when malformed. */
static int
parse_row(char *line, struct util_row *row)
{
	char *comma = strchr(line, ','), *end;

	if (comma == NULL)
		return -1;
	*comma = 0;
	end = comma + 1 + strcspn(comma + 1, "\r\n");
	*end = 0;
	if (strlen(line) >= sizeof(row->student) ||
	    strlen(comma + 1) >= sizeof(row->at))
		return -1;
	strcpy(row->student, line);
	strcpy(row->at, comma + 1);
	return 0;
}

void
util_read_rows(const char *path, struct util_row **rows, size_t *n)
{
	char line[512];
	size_t cap = 0;
	FILE *f;

	*rows = NULL;
	*n = 0;
	if ((f = fopen(path, "r")) == NULL)
		util_die("%s: %s", path, strerror(errno));
	if (fgets(line, sizeof(line), f) == NULL)	/* header */
		util_die("%s: empty", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			*rows = realloc(*rows, cap * sizeof(**rows));
			if (*rows == NULL)
				util_die("out of memory");
		}
		if (parse_row(line, &(*rows)[*n]) != 0)
			util_die("%s: bad row %zu", path, *n + 2);
		(*n)++;
	}
	fclose(f);
}

void
util_append_samples(const char *path, const uint64_t *ns,
    const uint64_t *bytes, size_t n)
{
	FILE *f;
	size_t i;

	if ((f = fopen(path, "a")) == NULL)
		util_die("%s: %s", path, strerror(errno));
	for (i = 0; i < n; i++)
		fprintf(f, "%llu %llu\n", (unsigned long long)ns[i],
		    (unsigned long long)bytes[i]);
	if (fclose(f) != 0)
		util_die("%s: write error", path);
}

void
util_figure(const char *name, double value, const char *unit)
{
	if (value >= 100 || value <= -100)
		printf("%s %.0f %s\n", name, value, unit);
	else
		printf("%s %.3g %s\n", name, value, unit);
	fflush(stdout);
}

uint64_t
util_wchar(void)
{
	char line[128];
	unsigned long long v = 0;
	FILE *f = fopen("/proc/self/io", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "wchar: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

uint64_t
util_file_size(const char *dir)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

unsigned long
util_number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != 0)
		util_die("not a number: %s", s);
	return v;
}
