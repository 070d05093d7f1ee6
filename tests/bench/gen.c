/*
 * gen.c - the school-year workload of ../../shared/bench/WORKLOAD.md, as
 * the CSV files `rollcall import` reads.
 *
 *   gen OUTDIR [STUDENTS [DAYS [MAX_EVENTS]]]
 *
 * roster.csv      name,email            S students (Student NNNNN, sNNNNN@...)
 * attendance.csv  student,arrived_at    each student present with p = 0.95
 *                                       on each of D weekdays from 2025-09-01,
 *                                       arrival 09:00 + round(N(0, 480 s))
 * checkins.csv    student,arrived_at    the probe day: the next weekday
 *
 * MAX_EVENTS (optional) stops the attendance file once students plus
 * check-ins reach it, so a log of an exact size can be built.  The probe
 * day is then the weekday after the last one written.
 *
 * Deterministic: xoshiro256** seeded 42 through splitmix64, Box-Muller.
 * Prints one line for run.sh:
 *   students S days D checkins N events E probe_day YYYY-MM-DD probe P
 *   first_day YYYY-MM-DD last_day YYYY-MM-DD early E late L on_time O
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PRESENT_P 0.95
#define ARRIVAL_SD 480.0
#define START (9 * 3600)
#define WINDOW (5 * 60)

/* ---- random numbers --------------------------------------------------- */

static uint64_t rng[4];

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rng[i] = splitmix(&seed);
}

static uint64_t
rng_next(void)
{
	uint64_t r = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

	rng[2] ^= rng[0];
	rng[3] ^= rng[1];
	rng[1] ^= rng[2];
	rng[0] ^= rng[3];
	rng[2] ^= t;
	rng[3] = rotl(rng[3], 45);
	return r;
}

/* Uniform in [0, 1). */
static double
uniform(void)
{
	return (double)(rng_next() >> 11) * 0x1.0p-53;
}

/* Standard normal (Box-Muller, one draw per call). */
static double
normal(void)
{
	double u1 = 1.0 - uniform(), u2 = uniform();

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- calendar --------------------------------------------------------- */

/* Days since 1970-01-01 (H. Hinnant's algorithm). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 1970-01-01 was a Thursday: Monday = 0 ... Sunday = 6. */
static int
weekday(long day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

static long
next_weekday(long day)
{
	do
		day++;
	while (weekday(day) >= 5);
	return day;
}

static void
format_day(long day, char buf[16])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
}

/* ---- files ------------------------------------------------------------ */

struct tally {
	unsigned long rows, early, late, on_time;
};

static FILE *
open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void
close_out(FILE *f)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen: write error\n");
		exit(1);
	}
}

static void
write_roster(const char *dir, long students)
{
	FILE *f = open_out(dir, "roster.csv");
	long i;

	fputs("name,email\n", f);
	for (i = 0; i < students; i++)
		fprintf(f, "Student %05ld,s%05ld@example.org\n", i, i);
	close_out(f);
}

/* One student's arrival of a day, in the file and the tally. */
static void
write_arrival(FILE *f, long student, const char *day, struct tally *t)
{
	long sec = START + lround(normal() * ARRIVAL_SD);

	fprintf(f, "s%05ld@example.org,%sT%02ld:%02ld:%02ld\n", student, day,
	    sec / 3600, sec / 60 % 60, sec % 60);
	t->rows++;
	if (sec <= START - WINDOW)
		t->early++;
	else if (sec >= START + WINDOW)
		t->late++;
	else
		t->on_time++;
}

/* Rows of one day; stops at `limit` rows in all. Returns 0 when cut. */
static int
write_day(FILE *f, long students, long day, unsigned long limit,
    struct tally *t)
{
	char d[16];
	long i;

	format_day(day, d);
	for (i = 0; i < students; i++) {
		if (t->rows >= limit)
			return 0;
		if (uniform() < PRESENT_P)
			write_arrival(f, i, d, t);
	}
	return 1;
}

int
main(int argc, char **argv)
{
	const char *dir;
	long students = 2000, days = 180, day, first, last, done = 0;
	unsigned long limit = (unsigned long)-1;
	struct tally year = { 0, 0, 0, 0 }, probe = { 0, 0, 0, 0 };
	char fd[16], ld[16], pd[16];
	FILE *f;

	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: gen OUTDIR [STUDENTS [DAYS "
		    "[MAX_EVENTS]]]\n");
		return 2;
	}
	dir = argv[1];
	if (argc > 2)
		students = atol(argv[2]);
	if (argc > 3)
		days = atol(argv[3]);
	if (argc > 4)
		limit = strtoul(argv[4], NULL, 10) - (unsigned long)students;
	if (students < 1 || students > 99999 || days < 1) {
		fprintf(stderr, "gen: bad sizes\n");
		return 2;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	rng_seed(42);
	write_roster(dir, students);
	f = open_out(dir, "attendance.csv");
	fputs("student,arrived_at\n", f);
	first = last = days_from_civil(2025, 9, 1);	/* a Monday */
	for (day = first; done < days; day = next_weekday(day)) {
		last = day;
		done++;
		if (!write_day(f, students, day, limit, &year))
			break;
	}
	close_out(f);
	day = next_weekday(last);
	f = open_out(dir, "checkins.csv");
	fputs("student,arrived_at\n", f);
	write_day(f, students, day, (unsigned long)-1, &probe);
	close_out(f);
	format_day(first, fd);
	format_day(last, ld);
	format_day(day, pd);
	printf("students %ld days %ld checkins %lu events %lu probe_day %s "
	    "probe %lu first_day %s last_day %s early %lu late %lu "
	    "on_time %lu\n", students, done, year.rows,
	    year.rows + (unsigned long)students, pd, probe.rows, fd, ld,
	    year.early, year.late, year.on_time);
	return 0;
}
