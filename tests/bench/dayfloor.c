/*
 * dayfloor.c - the least a `day` process could read in the read side's
 * (student, day) attendance layout, before the day index (read format
 * 10; rm_daymarks.c): open the environment, look up
 * (sid, day) for every sid with one cursor, print the count, exit.  No
 * roster, no names, no output: what is left of `rollcall day` once the
 * answer costs nothing (tests/bench/NOTES.md, "day and students as
 * processes").  Not part of `make bench`; by hand:
 *
 *   cc -O2 -o build/bench/dayfloor tests/bench/dayfloor.c \
 *       /usr/lib/x86_64-linux-gnu/liblmdb.a -pthread
 *   build/bench/dayfloor DB DAY NSID
 *
 * DAY is the day number (days since 1970-01-01: 2026-05-08 is 20581),
 * NSID the students (2000); NSID 0 times opening alone.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>

static void
put_u32(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int
main(int argc, char **argv)
{
	unsigned char key[8];
	MDB_cursor *cur;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k, v;
	int sid, nsid, found = 0;

	if (argc != 4) {
		fputs("usage: dayfloor DB DAY NSID\n", stderr);
		return 2;
	}
	nsid = atoi(argv[3]);
	if (mdb_env_create(&env) != 0 || mdb_env_set_maxdbs(env, 32) != 0 ||
	    mdb_env_set_mapsize(env, 1UL << 30) != 0 ||
	    mdb_env_open(env, argv[1], MDB_RDONLY, 0600) != 0 ||
	    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) != 0 ||
	    mdb_dbi_open(txn, "attendance", 0, &dbi) != 0 ||
	    mdb_cursor_open(txn, dbi, &cur) != 0) {
		fputs("dayfloor: cannot open the attendance\n", stderr);
		return 1;
	}
	put_u32(key + 4, (unsigned)atoi(argv[2]));
	for (sid = 1; sid <= nsid; sid++) {
		put_u32(key, (unsigned)sid);
		k.mv_size = 8;
		k.mv_data = key;
		found += mdb_cursor_get(cur, &k, &v, MDB_SET) == 0;
	}
	printf("%d\n", found);
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return 0;
}
