/*
 * floor.h - the raw-LMDB floor's check-in as a library, so that pair.c
 * can interleave it check-in by check-in with rollcall's in one process
 * (the disk here is shared: load moves in bursts of milliseconds, and
 * only a fine interleave puts it on both alike).  The floor program is
 * floor_main.c: floor.c itself has no main().
 */
#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include <stdint.h>

struct floor;

/* Open a floor environment made by `floor ingest`; exits on error. */
struct floor *floor_lib_open(const char *dir);
void floor_lib_close(struct floor *f);

/*
 * One check-in (email, YYYY-MM-DDTHH:MM:SS) as its own durable
 * transaction: its latency in ns and the bytes it wrote.  Exits when it
 * is refused.
 */
void floor_lib_checkin(struct floor *f, const char *email, const char *at,
    uint64_t *ns, uint64_t *bytes);

/* The floor program's subcommands (see the top of floor.c). */
int floor_main(int argc, char **argv);

#endif
