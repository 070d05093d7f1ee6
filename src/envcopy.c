/*
 * envcopy.c - copy a database record by record into a fresh LMDB file
 * (see envcopy.h).
 */
#define _GNU_SOURCE		/* sync_file_range() */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "envcopy.h"

#define COPY_MAP_FULL (-1)	/* copy_into: grow the map and retry */
#define COPY_MAP_MAX ((size_t)1 << 40)
#define COPY_FULL_BELOW (1024 * 1024)	/* bytes free: a full disk */

/* The flags a sub-database was made with, which its copy needs too. */
#define DBI_KEEP (MDB_REVERSEKEY | MDB_DUPSORT | MDB_INTEGERKEY | \
    MDB_DUPFIXED | MDB_INTEGERDUP | MDB_REVERSEDUP)

/*
 * The destination's write transactions.  The copy commits every
 * COPY_TXN_BYTES: LMDB then frees that transaction's dirty pages to its
 * own list and the next one takes them from there, so the copy runs in
 * a few megabytes of warm memory instead of asking malloc for a fresh
 * page per page of the database.  The file is a temporary nobody reads
 * until the last commit and the sync, so what a commit makes durable
 * does not matter: only the read snapshot is the copy's moment.
 */
#define COPY_TXN_BYTES (1024 * 1024)

/*
 * Every COPY_FLUSH_BYTES the kernel is asked to start writing what the
 * commits left in the page cache, so that the disk works while the copy
 * goes on and the final sync has little left to wait for.
 */
#define COPY_FLUSH_BYTES (8 * 1024 * 1024)

struct dest {
	MDB_env *env;
	MDB_txn *txn;
	size_t bytes;		/* written since txn began */
	size_t unflushed;	/* committed since the last flush began */
	int grow;		/* a put or commit filled the map */
};

/* Start writing back what is committed; only a hint, so no error. */
static void
dest_flush(struct dest *d)
{
	int fd;

	if ((d->unflushed += d->bytes) < COPY_FLUSH_BYTES ||
	    mdb_env_get_fd(d->env, &fd) != 0)
		return;
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	d->unflushed = 0;
}

static int
dest_fail(struct dest *d, int rc)
{
	d->grow = rc == MDB_MAP_FULL;
	return rc;
}

/*
 * Count a record written; past COPY_TXN_BYTES commit and begin anew.
 * A commit, failed or not, closes the transaction's cursor *b.
 */
static int
dest_next(struct dest *d, size_t n, MDB_cursor **b)
{
	int rc;

	if ((d->bytes += n) < COPY_TXN_BYTES)
		return 0;
	*b = NULL;
	rc = mdb_txn_commit(d->txn);
	d->txn = NULL;
	if (rc == 0) {
		dest_flush(d);
		rc = mdb_txn_begin(d->env, NULL, 0, &d->txn);
	}
	d->bytes = 0;
	return rc ? dest_fail(d, rc) : 0;
}

/* Copy one sub-database, record by record, in key order. */
static int
copy_db(rc_db *db, MDB_txn *from, struct dest *d, int i)
{
	MDB_cursor *a = NULL, *b = NULL;
	unsigned flags = 0, put;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	rc = mdb_dbi_flags(from, db->dbi[i], &flags);
	if (rc == 0)
		rc = mdb_dbi_open(d->txn, store_db_name(i), MDB_CREATE |
		    (flags & DBI_KEEP), &dbi);
	if (rc == 0)
		rc = mdb_cursor_open(from, db->dbi[i], &a);
	put = flags & MDB_DUPSORT ? MDB_APPENDDUP : MDB_APPEND;
	for (rc = rc ? rc : mdb_cursor_get(a, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(a, &k, &v, MDB_NEXT)) {
		if (b == NULL && (rc = mdb_cursor_open(d->txn, dbi, &b)) != 0)
			break;
		if ((rc = mdb_cursor_put(b, &k, &v, put)) != 0) {
			dest_fail(d, rc);
			break;
		}
		if ((rc = dest_next(d, k.mv_size + v.mv_size, &b)) != 0)
			break;
	}
	if (b)
		mdb_cursor_close(b);
	if (a)
		mdb_cursor_close(a);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Whether name (not NUL-terminated) is one of our sub-databases. */
static int
known_db(const MDB_val *name)
{
	const char *s;
	int i;

	for (i = 0; i < DB_COUNT; i++) {
		s = store_db_name(i);
		if (strlen(s) == name->mv_size &&
		    memcmp(s, name->mv_data, name->mv_size) == 0)
			return 1;
	}
	return 0;
}

/*
 * The main database's own records (keys beginning with a NUL byte).
 * Its other keys are the sub-databases, copied above; one this release
 * does not know (a newer one's) fails the copy rather than leave it out.
 */
static int
copy_main(rc_db *db, MDB_txn *from, struct dest *d)
{
	MDB_cursor *a;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_dbi_open(d->txn, NULL, 0, &dbi)) != 0 ||
	    (rc = mdb_cursor_open(from, db->main_dbi, &a)) != 0)
		return rc;
	for (rc = mdb_cursor_get(a, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(a, &k, &v, MDB_NEXT)) {
		if (k.mv_size > 0 && *(const char *)k.mv_data != '\0') {
			if (!known_db(&k)) {
				rc = MDB_INCOMPATIBLE;
				break;
			}
			continue;
		}
		if ((rc = mdb_put(d->txn, dbi, &k, &v, 0)) != 0) {
			dest_fail(d, rc);
			break;
		}
	}
	mdb_cursor_close(a);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/*
 * Copy everything from one read snapshot into env.  Only writing
 * records can fill the map: d->grow says a put or a commit did, so
 * that a bigger map may help.
 */
static int
copy_all(rc_db *db, struct dest *d)
{
	MDB_txn *from = NULL;
	int i, rc;

	d->grow = 0;
	d->bytes = d->unflushed = 0;
	d->txn = NULL;
	if ((rc = store_read_begin(db, &from)) != RC_OK)
		return db->mdb_rc ? db->mdb_rc : EIO;
	if ((rc = mdb_txn_begin(d->env, NULL, 0, &d->txn)) != 0)
		goto out;
	for (i = 0; i < DB_COUNT && rc == 0; i++)
		rc = copy_db(db, from, d, i);
	if (rc == 0)
		rc = copy_main(db, from, d);
	if (rc == 0) {
		rc = mdb_txn_commit(d->txn);
		d->txn = NULL;
		if (rc)
			dest_fail(d, rc);
	}
out:
	if (d->txn)
		mdb_txn_abort(d->txn);
	mdb_txn_abort(from);
	return rc;
}

/*
 * Map every page of the database into our page table in one call: the
 * walk otherwise takes a fault per few pages it reads.  LMDB does not
 * say where its map is (me_mapaddr is the meta's fixed address, NULL),
 * but a key it returns lies in a page whose header holds its number.
 * Only a hint: an older kernel says EINVAL, and the walk faults.
 */
void
envcopy_prefault(MDB_env *env)
{
#ifdef MADV_POPULATE_READ
	MDB_envinfo info;
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_dbi dbi;
	MDB_val k, v;
	MDB_stat st;
	uintptr_t page;
	size_t pgno, psize;

	if (mdb_env_stat(env, &st) != 0)
		return;
	psize = st.ms_psize;
	if (psize != (size_t)sysconf(_SC_PAGESIZE) ||
	    mdb_env_info(env, &info) != 0 ||
	    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) != 0)
		return;
	if (mdb_dbi_open(txn, NULL, 0, &dbi) == 0 &&
	    mdb_cursor_open(txn, dbi, &c) == 0) {
		if (mdb_cursor_get(c, &k, &v, MDB_FIRST) == 0) {
			page = (uintptr_t)k.mv_data & ~(uintptr_t)(psize - 1);
			memcpy(&pgno, (const void *)page, sizeof(pgno));
			if (pgno <= info.me_last_pgno)
				madvise((void *)(page - pgno * psize),
				    (info.me_last_pgno + 1) * psize,
				    MADV_POPULATE_READ);
		}
		mdb_cursor_close(c);
	}
	mdb_txn_abort(txn);
#else
	(void)env;
#endif
}

static int
fsync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return errno;
	rc = fsync(fd) != 0 ? errno : 0;
	close(fd);
	return rc;
}

/* One attempt at mapsize: 0, COPY_MAP_FULL, an errno or LMDB code. */
static int
copy_into(rc_db *db, const char *file, size_t mapsize)
{
	struct dest d;
	int rc;

	if ((rc = mdb_env_create(&d.env)) != 0)
		return rc;
	/* No lock file: nobody else knows this file yet. */
	if ((rc = mdb_env_set_maxdbs(d.env, DB_COUNT)) == 0 &&
	    (rc = mdb_env_set_mapsize(d.env, mapsize)) == 0 &&
	    (rc = mdb_env_open(d.env, file, MDB_NOSUBDIR | MDB_NOSYNC |
	    MDB_NOLOCK, 0600)) == 0) {
		if ((rc = copy_all(db, &d)) != 0 && d.grow)
			rc = COPY_MAP_FULL;
		else if (rc == 0)
			rc = mdb_env_sync(d.env, 1);
	}
	mdb_env_close(d.env);
	if (rc == 0)
		rc = fsync_file(file);
	return rc;
}

/*
 * LMDB reports a short write as EIO: on a file system with (almost) no
 * room left, which is what makes a write short, say ENOSPC instead, so
 * that the user reads "disk full".
 */
static int
full_disk(const char *file, int rc)
{
	struct statvfs fs;

	if (rc == EIO && statvfs(file, &fs) == 0 &&
	    (unsigned long long)fs.f_bavail * fs.f_frsize < COPY_FULL_BELOW)
		return ENOSPC;
	return rc;
}

int
envcopy_write(rc_db *db, const char *file)
{
	MDB_envinfo info;
	size_t mapsize;
	int rc;

	mdb_env_info(db->env, &info);
	envcopy_prefault(db->env);
	/* The copy is never bigger, but a map may still fill: grow it. */
	for (mapsize = info.me_mapsize; ; mapsize *= 2) {
		if ((rc = copy_into(db, file, mapsize)) != COPY_MAP_FULL)
			return full_disk(file, rc);
		unlink(file);
		if (mapsize > COPY_MAP_MAX)
			return MDB_MAP_FULL;
	}
}
