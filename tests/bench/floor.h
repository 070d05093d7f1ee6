/*
 * floor.h - the raw-LMDB floor's check-in and queries as a library, so
 * that pair.c can interleave them one by one with rollcall's in one process
 * (the disk here is shared: load moves in bursts of milliseconds, and
 * only a fine interleave puts it on both alike).  The floor program is
 * floor_main.c: floor.c itself has no main().
 */
#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

struct floor;

/* Open a floor environment made by `floor ingest`; exits on error. */
struct floor *floor_lib_open(const char *dir);
void floor_lib_close(struct floor *f);

/*
 * One check-in (email, YYYY-MM-DDTHH:MM:SS) as its own durable
 * transaction.  Exits when it is refused.
 */
void floor_lib_checkin(struct floor *f, const char *email, const char *at);

/* An excuse of one day (YYYY-MM-DD); a departure at YYYY-MM-DDTHH:MM:SS
 * after that day's check-in.  Each its own durable transaction. */
void floor_lib_excuse(struct floor *f, const char *email, const char *day);
void floor_lib_checkout(struct floor *f, const char *email, const char *at);

/* One run of the three queries: latencies and what they found. */
struct query_run {
	uint64_t students_ns, student_ns, day_ns;
	size_t students, days, present, absent;
};

/*
 * The roster by name with figures, one student's record (by email) and
 * a day's present and absent (YYYY-MM-DD), each in its own read
 * transaction, with the results copied out as rollcall's queries do.
 */
void floor_lib_queries(struct floor *f, const char *day, const char *email,
    struct query_run *q);

/* The floor program's subcommands (see the top of floor.c). */
int floor_main(int argc, char **argv);

#endif
