/*
 * envcopy.c - copy a database record by record into a fresh LMDB file
 * (see envcopy.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "envcopy.h"

#define COPY_MAP_FULL (-1)	/* copy_into: grow the map and retry */
#define COPY_MAP_MAX ((size_t)1 << 40)
#define COPY_FULL_BELOW (1024 * 1024)	/* bytes free: a full disk */

/* The flags a sub-database was made with, which its copy needs too. */
#define DBI_KEEP (MDB_REVERSEKEY | MDB_DUPSORT | MDB_INTEGERKEY | \
    MDB_DUPFIXED | MDB_INTEGERDUP | MDB_REVERSEDUP)

/* Copy one sub-database, record by record, in key order. */
static int
copy_db(rc_db *db, MDB_txn *from, MDB_txn *to, int i, int *grow)
{
	MDB_cursor *a = NULL, *b = NULL;
	unsigned flags = 0;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	rc = mdb_dbi_flags(from, db->dbi[i], &flags);
	if (rc == 0)
		rc = mdb_dbi_open(to, store_db_name(i), MDB_CREATE |
		    (flags & DBI_KEEP), &dbi);
	if (rc == 0)
		rc = mdb_cursor_open(from, db->dbi[i], &a);
	if (rc == 0)
		rc = mdb_cursor_open(to, dbi, &b);
	for (rc = rc ? rc : mdb_cursor_get(a, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(a, &k, &v, MDB_NEXT))
		if ((rc = mdb_cursor_put(b, &k, &v, flags & MDB_DUPSORT ?
		    MDB_APPENDDUP : MDB_APPEND)) != 0) {
			*grow = rc == MDB_MAP_FULL;
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
copy_main(rc_db *db, MDB_txn *from, MDB_txn *to, int *grow)
{
	MDB_cursor *a;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_dbi_open(to, NULL, 0, &dbi)) != 0 ||
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
		if ((rc = mdb_put(to, dbi, &k, &v, 0)) != 0) {
			*grow = rc == MDB_MAP_FULL;
			break;
		}
	}
	mdb_cursor_close(a);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/*
 * Copy everything in one write transaction of env.  Only writing
 * records can fill the map: *grow says a put or the commit did, so that
 * a bigger map may help.
 */
static int
copy_all(rc_db *db, MDB_env *env, int *grow)
{
	MDB_txn *from = NULL, *to = NULL;
	int i, rc;

	*grow = 0;
	if ((rc = store_read_begin(db, &from)) != RC_OK)
		return db->mdb_rc ? db->mdb_rc : EIO;
	if ((rc = mdb_txn_begin(env, NULL, 0, &to)) != 0)
		goto out;
	for (i = 0; i < DB_COUNT && rc == 0; i++)
		rc = copy_db(db, from, to, i, grow);
	if (rc == 0)
		rc = copy_main(db, from, to, grow);
	if (rc == 0) {
		rc = mdb_txn_commit(to);
		to = NULL;
		*grow = rc == MDB_MAP_FULL;
	}
out:
	if (to)
		mdb_txn_abort(to);
	mdb_txn_abort(from);
	return rc;
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
	MDB_env *env;
	int rc, grow;

	if ((rc = mdb_env_create(&env)) != 0)
		return rc;
	/* No lock file: nobody else knows this file yet. */
	if ((rc = mdb_env_set_maxdbs(env, DB_COUNT)) == 0 &&
	    (rc = mdb_env_set_mapsize(env, mapsize)) == 0 &&
	    (rc = mdb_env_open(env, file, MDB_NOSUBDIR | MDB_NOSYNC |
	    MDB_NOLOCK, 0600)) == 0) {
		if ((rc = copy_all(db, env, &grow)) != 0 && grow)
			rc = COPY_MAP_FULL;
		else if (rc == 0)
			rc = mdb_env_sync(env, 1);
	}
	mdb_env_close(env);
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
	/* The copy is never bigger, but a map may still fill: grow it. */
	for (mapsize = info.me_mapsize; ; mapsize *= 2) {
		if ((rc = copy_into(db, file, mapsize)) != COPY_MAP_FULL)
			return full_disk(file, rc);
		unlink(file);
		if (mapsize > COPY_MAP_MAX)
			return MDB_MAP_FULL;
	}
}
