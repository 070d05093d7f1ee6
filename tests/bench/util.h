/*
 * util.h - what the benchmark programs share: a clock, quantiles, the
 * workload's check-in files and the figure lines run.sh collects.
 *
 * Plain C and libc only, so that the raw-LMDB floor links nothing of
 * rollcall's.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic time in nanoseconds. */
uint64_t util_now_ns(void);

/* The q-quantile (0..1, nearest rank) of v[0..n); sorts v.  0 if n = 0. */
uint64_t util_quantile(uint64_t *v, size_t n, double q);

/* One row of a `student,arrived_at` file (our generated ones: no quotes). */
struct util_row {
	char student[256];
	char at[32];		/* YYYY-MM-DDTHH:MM:SS */
};

/* Read every data row of path; exits with a message on any error. */
void util_read_rows(const char *path, struct util_row **rows, size_t *n);

/*
 * Append n samples to path, one "ns bytes" line each (latency, bytes
 * written), for run.sh's statistics.
 */
void util_append_samples(const char *path, const uint64_t *ns,
    const uint64_t *bytes, size_t n);

/*
 * Bytes this process has passed to write(2) and friends so far (wchar of
 * /proc/self/io): what a commit writes, repeatably, whatever the load.
 */
uint64_t util_wchar(void);

/* Print one figure as run.sh reads it: "name value unit". */
void util_figure(const char *name, double value, const char *unit);

/* Size in bytes of dir/data.mdb, 0 when it cannot be read. */
uint64_t util_file_size(const char *dir);

/* Parse a decimal argument or exit with a usage message. */
unsigned long util_number(const char *s);

/* Report a failure and exit 1. */
void util_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));

#endif
