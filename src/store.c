/*
 * store.c - the LMDB environment, the append-only log, its hash chain and
 * map growth.
 *
 * One environment per database directory.  Every write goes through
 * store_write(), which owns the transaction: it retries the whole unit of
 * work after growing the map, so nothing ever fails with "map full".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sodium.h>
#include <uuid/uuid.h>

#include "bytes.h"
#include "clock.h"
#include "store.h"

#define MIB (1024 * 1024UL)

/*
 * A map costs address space, not memory or disk (without MDB_WRITEMAP
 * the file grows only as pages are written), so start big enough that a
 * school's years never hit MDB_MAP_FULL, which would redo a whole import.
 */
size_t store_initial_mapsize = 1024 * MIB;

static const char *db_names[] = {
#define X(sym, name) name,
	STORE_DBS(X)
#undef X
};

const char *
store_db_name(int i)
{
	return i >= 0 && i < DB_COUNT ? db_names[i] : "?";
}

int
store_fail(rc_db *db, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	return code;
}

#define DISK_FULL "disk full (no space left on device)"

/* An error code as a sentence; a full file system says so plainly. */
static const char *
store_strerror(int rc)
{
	if (rc == ENOSPC || rc == EDQUOT)
		return DISK_FULL;
	return mdb_strerror(rc);
}

/*
 * LMDB reports a short write as EIO: when the file system holding the
 * database has (almost) no room left, that is a full disk.
 */
static int
nearly_full(const char *dir)
{
	struct statvfs fs;

	if (statvfs(dir, &fs) != 0)
		return 0;
	return (uint64_t)fs.f_bavail * fs.f_frsize < 4 * MIB;
}

int
store_lmdb_fail(rc_db *db, int mdb_rc, const char *what)
{
	db->mdb_rc = mdb_rc;
	if (mdb_rc == EIO && !db->absent && nearly_full(db->path))
		return store_fail(db, RC_ESYS, "%s: %s", what, DISK_FULL);
	return store_fail(db, RC_ESYS, "%s: %s", what,
	    store_strerror(mdb_rc));
}

const char *
db_error(const rc_db *db)
{
	return db->err[0] ? db->err : "unknown error";
}

const char *
db_path(const rc_db *db)
{
	return db->path;
}

/* Create each missing directory of path (mode 0700), like mkdir -p. */
static int
make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int
db_resolve(const char *opt, char *buf, size_t len, int *is_default)
{
	const char *env, *home;
	int n;

	*is_default = 0;
	if (opt)
		n = snprintf(buf, len, "%s", opt);
	else if ((env = getenv("ROLLCALL_DB")) && *env)
		n = snprintf(buf, len, "%s", env);
	else {
		/* The XDG spec: a relative path there is invalid, ignore it. */
		if ((env = getenv("XDG_DATA_HOME")) && *env == '/')
			n = snprintf(buf, len, "%s/rollcall", env);
		else if ((home = getenv("HOME")) && *home)
			n = snprintf(buf, len, "%s/.local/share/rollcall", home);
		else
			return RC_ESYS;
		*is_default = 1;
	}
	if (n <= 0 || (size_t)n >= len)
		return RC_ESYS;
	return RC_OK;
}

int
db_resolve_path(const char *opt, char *buf, size_t len)
{
	int is_default;

	return db_resolve(opt, buf, len, &is_default);
}

/* Map size to open with: room to grow past what the file holds now. */
static size_t
initial_mapsize(const char *dir)
{
	char file[PATH_MAX + 16];
	struct stat st;
	size_t size = store_initial_mapsize;

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	if (stat(file, &st) == 0 && (size_t)st.st_size * 2 > size)
		size = (size_t)st.st_size * 2;
	return size;
}

/* Open every named sub-database in txn; MDB_NOTFOUND if one is missing. */
static int
open_each(rc_db *db, MDB_txn *txn, unsigned flags)
{
	int i, rc;

	for (i = 0; i < DB_COUNT; i++)
		if ((rc = mdb_dbi_open(txn, db_names[i], flags | (i == DB_HISTORY ?
		    MDB_DUPSORT | MDB_DUPFIXED : 0), &db->dbi[i])) != 0)
			return rc;
	return mdb_dbi_open(txn, NULL, 0, &db->main_dbi);
}

/*
 * Open the sub-databases once, for the handle's life.  A read transaction
 * is enough when they exist, so opening a database writes nothing.  In a
 * data file that must be rollcall's already, a missing log means it is
 * someone else's: refuse it rather than start afresh on top of it (read
 * models a newer build added are created).
 */
static int
open_dbis(rc_db *db, int existing)
{
	MDB_txn *txn;
	MDB_dbi log;
	int rc;

	rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, &txn);
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot open database");
	if (existing && mdb_dbi_open(txn, db_names[DB_EVENTS], 0, &log) != 0) {
		mdb_txn_abort(txn);
		return store_fail(db, RC_ESYS, "database file %s/data.mdb is "
		    "not a rollcall database (it has no event log)", db->path);
	}
	rc = open_each(db, txn, 0);
	if (rc == 0)
		rc = mdb_txn_commit(txn);
	else
		mdb_txn_abort(txn);
	if (rc != MDB_NOTFOUND)
		return rc == 0 ? RC_OK :
		    store_lmdb_fail(db, rc, "cannot open database");
	/* A new database: create them. */
	if ((rc = mdb_txn_begin(db->env, NULL, 0, &txn)) != 0)
		return store_lmdb_fail(db, rc, "cannot create database");
	if ((rc = open_each(db, txn, MDB_CREATE)) != 0) {
		mdb_txn_abort(txn);
		return store_lmdb_fail(db, rc, "cannot create database");
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return store_lmdb_fail(db, rc, "cannot create database");
	return RC_OK;
}

/* Create and open db->env; on failure returns the LMDB code. */
static int
env_open(rc_db *db, const char *dir, unsigned flags)
{
	int rc;

	if ((rc = mdb_env_create(&db->env)) != 0)
		return rc;
	if ((rc = mdb_env_set_maxdbs(db->env, DB_COUNT)) != 0 ||
	    (rc = mdb_env_set_mapsize(db->env, initial_mapsize(dir))) != 0 ||
	    (rc = mdb_env_open(db->env, dir, flags, 0600)) != 0) {
		mdb_env_close(db->env);
		db->env = NULL;
	}
	return rc;
}

/*
 * Open the environment, falling back to read-only (and, where even the
 * lock file cannot be written, to no locking) so that a database we may
 * only read still answers queries; writes then refuse cleanly.
 *
 * Opens are serialised with flock() on the directory: the first LMDB
 * opener resets lock.mdb and fixes its transaction id a moment later,
 * and if it is killed in between, a second opener waiting meanwhile
 * would trust the half-made lock file and commit under a stale id,
 * silently losing acknowledged writes.  One opener at a time, and the
 * next one does the set-up itself.
 */
static int
env_open_any(rc_db *db, const char *dir, unsigned flags)
{
	int rc, dfd;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		flock(dfd, LOCK_EX);
	rc = env_open(db, dir, flags);
	if (rc == EACCES || rc == EROFS)
		rc = env_open(db, dir, flags | MDB_RDONLY);
	if (rc == EACCES || rc == EROFS)
		rc = env_open(db, dir, flags | MDB_RDONLY | MDB_NOLOCK);
	if (dfd >= 0)
		close(dfd);	/* and with it the flock */
	return rc;
}

/*
 * A data file cut short would make LMDB fault (SIGBUS) on the first read
 * past its end: compare the last page the meta page names with the size.
 * The meta page first, the size after: another process may commit in
 * between, and its pages reach the file before its meta page names
 * them, so only this order never mistakes a growing file for a cut one.
 */
static int
truncated(rc_db *db, const char *dir)
{
	char file[PATH_MAX + 16];
	MDB_envinfo info;
	MDB_stat st;
	struct stat fs;

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	if (mdb_env_info(db->env, &info) != 0 ||
	    mdb_env_stat(db->env, &st) != 0 || stat(file, &fs) != 0)
		return 0;
	return (uint64_t)(info.me_last_pgno + 1) * st.ms_psize >
	    (uint64_t)fs.st_size;
}

/*
 * Every process holds a shared flock() on lock.mdb while it has the
 * database open, taken before LMDB opens the environment; compact takes
 * it exclusively, so it knows nobody else has the file open, and nobody
 * opens the file it is about to replace (LMDB's own locks are fcntl()
 * locks on the same file, which flock() does not touch).  A directory
 * we cannot create the file in is opened without (read-only, no lock).
 *
 * LMDB writes its lock file through a shared map: on a full disk the
 * first touch of a page of a new lock file kills the process (SIGBUS).
 * So a missing one is made here with its blocks reserved, and a full
 * disk is an error (ENOSPC, returned in *err) instead.  8 KiB is what
 * LMDB makes for its default 126 readers; it only ever grows the file.
 */
static int
hold_open_lock(const char *dir, int *err)
{
	char file[PATH_MAX + 16];
	int fd, rc;

	*err = 0;
	snprintf(file, sizeof(file), "%s/lock.mdb", dir);
	fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		rc = posix_fallocate(fd, 0, 8192);
		if (rc != 0 && rc != EINVAL && rc != EOPNOTSUPP) {
			close(fd);
			unlink(file);
			*err = rc;
			return -1;
		}
	} else
		fd = open(file, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_SH) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Why LMDB could not open an existing data file, naming the file. */
static void
open_error(const char *dir, int rc, char *err, size_t errlen)
{
	if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
		snprintf(err, errlen, "database file %s/data.mdb is not a "
		    "rollcall database (%s)", dir, mdb_strerror(rc));
	else
		snprintf(err, errlen, "cannot open database file %s/data.mdb: "
		    "%s", dir, store_strerror(rc));
}

/* Open the environment in dir into db, which is not yet open. */
static int
open_at(rc_db *db, const char *dir, unsigned flags, int existing, char *err,
    size_t errlen)
{
	int rc, dead;

	snprintf(db->path, sizeof(db->path), "%s", dir);
	db->env_flags = flags;
	/* A copy nobody else knows yet (MDB_NOLOCK) needs no lock. */
	rc = 0;
	db->lock_fd = flags & MDB_NOLOCK ? -1 : hold_open_lock(dir, &rc);
	if (rc != 0 || (rc = env_open_any(db, dir, flags)) != 0) {
		open_error(dir, rc, err, errlen);
		goto fail;
		return RC_ESYS;
	}
	/* Free reader slots left by processes that were killed. */
	mdb_reader_check(db->env, &dead);
	if (truncated(db, dir)) {
		snprintf(err, errlen, "database file %s/data.mdb is damaged: "
		    "it is shorter than the pages it records (truncated?)",
		    dir);
		goto fail;
	}
	if (open_dbis(db, existing) != RC_OK) {
		if (strncmp(db->err, "database file ", 14) == 0)
			snprintf(err, errlen, "%s", db->err);
		else
			snprintf(err, errlen, "%s: %s", dir, db->err);
		goto fail;
	}
	return RC_OK;
fail:
	if (db->env != NULL)
		mdb_env_close(db->env);
	db->env = NULL;
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	db->lock_fd = -1;
	return RC_ESYS;
}

int
store_open(const char *dir, unsigned flags, rc_db **out, char *err,
    size_t errlen)
{
	rc_db *db;

	*out = NULL;
	if ((db = calloc(1, sizeof(*db))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return RC_ESYS;
	}
	if (open_at(db, dir, flags, 0, err, errlen) != RC_OK) {
		free(db);
		return RC_ESYS;
	}
	*out = db;
	return RC_OK;
}

/* ---- a database that does not exist yet ----------------------------- */

/*
 * An empty environment in memory (a memfd, no lock file) that stands in
 * for a database not created yet: queries read it as an empty database,
 * and a command runs there first, so that a refusal writes nothing.
 */
static int
open_scratch(rc_db *db)
{
	char proc[64];
	int fd, rc;

	fd = (int)syscall(SYS_memfd_create, "rollcall-empty", 1U);
	if (fd < 0)
		return store_fail(db, RC_ESYS, "cannot make an empty "
		    "database in memory: %s", strerror(errno));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((rc = mdb_env_create(&db->env)) == 0 &&
	    ((rc = mdb_env_set_maxdbs(db->env, DB_COUNT)) != 0 ||
	    (rc = mdb_env_set_mapsize(db->env, 64 * MIB)) != 0 ||
	    (rc = mdb_env_open(db->env, proc, MDB_NOSUBDIR | MDB_NOLOCK |
	    MDB_NOSYNC | MDB_NOMETASYNC, 0600)) != 0)) {
		mdb_env_close(db->env);
		db->env = NULL;
	}
	close(fd);	/* LMDB holds its own descriptors */
	if (rc != 0)
		return store_fail(db, RC_ESYS, "cannot make an empty "
		    "database in memory: %s", mdb_strerror(rc));
	return open_dbis(db, 0);
}

/*
 * Make an empty database with its sub-databases in a directory of its
 * own inside dir, then link its data file into place: the data file
 * appears whole or not at all, so a process killed while creating the
 * database never leaves an empty or half-made data.mdb behind.  Someone
 * else's database made meanwhile wins (link does not replace).
 */
static int
create_data_file(rc_db *db, const char *dir)
{
	char tmp[PATH_MAX + 16], from[PATH_MAX + 32], to[PATH_MAX + 16];
	char err[512];
	rc_db *made;
	int rc = RC_OK, dfd;

	snprintf(tmp, sizeof(tmp), "%s/.new.XXXXXX", dir);
	if (mkdtemp(tmp) == NULL)
		return store_fail(db, RC_ESYS, "cannot create database %s: %s",
		    dir, store_strerror(errno));
	if (store_open(tmp, MDB_NOLOCK, &made, err, sizeof(err)) != RC_OK)
		rc = store_fail(db, RC_ESYS, "cannot create database %s: %s",
		    dir, err);
	else
		db_close(made);
	snprintf(from, sizeof(from), "%s/data.mdb", tmp);
	snprintf(to, sizeof(to), "%s/data.mdb", dir);
	if (rc == RC_OK && link(from, to) != 0 && errno != EEXIST)
		rc = store_fail(db, RC_ESYS, "cannot create database file %s: "
		    "%s", to, store_strerror(errno));
	if (rc == RC_OK && (dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	unlink(from);
	snprintf(from, sizeof(from), "%s/lock.mdb", tmp);
	unlink(from);
	rmdir(tmp);
	return rc;
}

/* Swap the stand-in for the database now on disk at db->path. */
static int
attach(rc_db *db)
{
	char dir[PATH_MAX], err[512];
	rc_db real;

	memset(&real, 0, sizeof(real));
	snprintf(dir, sizeof(dir), "%s", db->path);
	if (open_at(&real, dir, 0, 1, err, sizeof(err)) != RC_OK)
		return store_fail(db, RC_ESYS, "%s", err);
	mdb_env_close(db->env);
	db->env = real.env;
	memcpy(db->dbi, real.dbi, sizeof(db->dbi));
	db->main_dbi = real.main_dbi;
	db->lock_fd = real.lock_fd;
	db->absent = 0;
	db->last_txnid = 0;
	return RC_OK;
}

/* 1 when dir/data.mdb exists, 0 when not, -1 (errno) when we cannot tell. */
static int
data_file(const char *dir, struct stat *st)
{
	char file[PATH_MAX + 16];

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	if (stat(file, st) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* The first write that appends: create the database, then use it. */
static int
create_db(rc_db *db)
{
	char dir[PATH_MAX + 2];
	struct stat st;
	int rc;

	snprintf(dir, sizeof(dir), "%s/", db->path);
	if (db->make_parents && make_dirs(dir) != 0)
		return store_fail(db, RC_ESYS, "cannot create database "
		    "directory %s: %s", db->path, store_strerror(errno));
	if (mkdir(db->path, 0700) != 0 && errno != EEXIST)
		return store_fail(db, RC_ESYS, "cannot create database "
		    "directory %s: %s", db->path, store_strerror(errno));
	if ((rc = data_file(db->path, &st)) < 0)
		return store_fail(db, RC_ESYS, "cannot create database %s: %s",
		    db->path, store_strerror(errno));
	if (rc == 0 && (rc = create_data_file(db, db->path)) != RC_OK)
		return rc;
	return attach(db);
}

/* Another process may have created the database since we looked. */
static void
maybe_attach(rc_db *db)
{
	struct stat st;

	if (db->absent && data_file(db->path, &st) == 1 && st.st_size > 0)
		attach(db);
}

int
db_open_flags(const char *dir, int flags, rc_db **out, char *err,
    size_t errlen)
{
	struct stat st;
	rc_db *db;
	int have;

	*out = NULL;
	/* Picks the fastest BLAKE2b; safe to call more than once. */
	if (sodium_init() < 0) {
		snprintf(err, errlen, "cannot initialise libsodium");
		return RC_ESYS;
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", dir);
		return RC_ESYS;
	}
	if ((have = data_file(dir, &st)) < 0) {
		snprintf(err, errlen, "cannot open database file %s/data.mdb: "
		    "%s", dir, store_strerror(errno));
		return RC_ESYS;
	}
	if (have && st.st_size == 0) {
		snprintf(err, errlen, "database file %s/data.mdb is empty "
		    "(not a rollcall database; move it away to start afresh)",
		    dir);
		return RC_ESYS;
	}
	if ((db = calloc(1, sizeof(*db))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return RC_ESYS;
	}
	if (have) {
		if (open_at(db, dir, 0, 1, err, errlen) != RC_OK) {
			free(db);
			return RC_ESYS;
		}
	} else {
		snprintf(db->path, sizeof(db->path), "%s", dir);
		db->lock_fd = -1;	/* nothing on disk to lock yet */
		db->absent = 1;
		db->make_parents = (flags & DB_OPEN_PARENTS) != 0;
		if (open_scratch(db) != RC_OK) {
			snprintf(err, errlen, "%s", db->err);
			db_close(db);
			return RC_ESYS;
		}
	}
	*out = db;
	return RC_OK;
}

int
db_open(const char *dir, rc_db **out, char *err, size_t errlen)
{
	return db_open_flags(dir, 0, out, err, errlen);
}

void
db_close(rc_db *db)
{
	if (db == NULL)
		return;
	if (db->upper_free)
		db->upper_free(db->upper);
	/* The environment first: compact relies on this order. */
	if (db->env != NULL)
		mdb_env_close(db->env);
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	free(db);
}

int
store_walk_end(rc_db *db, int mdb_rc, const char *what)
{
	if (mdb_rc == 0 || mdb_rc == MDB_NOTFOUND)
		return RC_OK;
	return store_lmdb_fail(db, mdb_rc, what);
}

int
store_read_begin(rc_db *db, MDB_txn **txn)
{
	int rc;

	maybe_attach(db);
	rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, txn);
	if (rc == MDB_MAP_RESIZED) {
		/* Another process grew the map: adopt its size. */
		mdb_env_set_mapsize(db->env, 0);
		rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, txn);
	}
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read database");
	return RC_OK;
}

/* Double the map; called with no transaction open in this process. */
static int
grow_map(rc_db *db)
{
	MDB_envinfo info;
	int rc;

	mdb_env_info(db->env, &info);
	rc = mdb_env_set_mapsize(db->env, info.me_mapsize * 2);
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot grow database map");
	return RC_OK;
}

/* ---- origin and author (SPEC 7) ------------------------------------- */

/*
 * The origin sits in LMDB's main database, beside the checkpoint, under
 * a key starting with NUL (never a sub-database's name): rebuild empties
 * the read side's sub-databases and leaves it alone.
 */
static const char origin_key[] = "\0origin";

static int
origin_get(rc_db *db, MDB_txn *txn, uint8_t id[RC_ID_LEN], int *found)
{
	MDB_val k = { sizeof(origin_key) - 1, (void *)origin_key }, v;
	int rc;

	*found = 0;
	rc = mdb_get(txn, db->main_dbi, &k, &v);
	if (rc == MDB_NOTFOUND)
		return RC_OK;
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read the origin");
	if (v.mv_size != RC_ID_LEN)
		return store_fail(db, RC_ESYS, "the database's origin is "
		    "damaged");
	memcpy(id, v.mv_data, RC_ID_LEN);
	*found = 1;
	return RC_OK;
}

int
store_ensure_origin(rc_db *db, MDB_txn *txn)
{
	MDB_val k = { sizeof(origin_key) - 1, (void *)origin_key }, v;
	uint8_t id[RC_ID_LEN];
	uuid_t uu;
	int rc, found;

	if (db->has_origin || db->origin_txn == txn)
		return RC_OK;
	if ((rc = origin_get(db, txn, id, &found)) != RC_OK)
		return rc;
	if (!found) {
		uuid_generate_random(uu);
		v.mv_size = RC_ID_LEN;
		v.mv_data = uu;
		if ((rc = mdb_put(txn, db->main_dbi, &k, &v, 0)) != 0)
			return store_lmdb_fail(db, rc, "cannot store the "
			    "origin");
	}
	/* Trusted for good only once committed: see store_write. */
	db->origin_txn = txn;
	return RC_OK;
}

int
db_origin(rc_db *db, char out[RC_ID_TEXT])
{
	uint8_t id[RC_ID_LEN];
	MDB_txn *txn;
	int rc, found;

	out[0] = '\0';
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = origin_get(db, txn, id, &found);
	mdb_txn_abort(txn);
	if (rc == RC_OK && found)
		event_id_text(id, out);
	return rc;
}

int
db_check_author(const char *actor, const char *desk, const char *source,
    char *err, size_t errlen)
{
	struct rc_author a;

	return author_resolve(actor, desk, source, &a, err, errlen) == 0 ?
	    RC_OK : RC_REFUSED;
}

int
db_set_author(rc_db *db, const char *actor, const char *desk,
    const char *source)
{
	struct rc_author a;

	if (author_resolve(actor, desk, source, &a, db->err,
	    sizeof(db->err)) != 0) {
		/* Every write refuses with this until a good call. */
		snprintf(db->author_err, sizeof(db->author_err), "%s",
		    db->err);
		db->author_set = -1;
		return RC_REFUSED;
	}
	db->author = a;
	db->author_set = 1;
	return RC_OK;
}

/* Fill ev's metadata from the handle's author (or the import's). */
static int
stamp(rc_db *db, struct rc_event *ev)
{
	if (ev->version < EVENT_META_SINCE || ev->meta.source != SRC_NONE)
		return RC_OK;
	if (db->author_set < 0)
		return store_fail(db, RC_REFUSED, "%s", db->author_err);
	if (!db->author_set && db_set_author(db, NULL, NULL, NULL) != RC_OK)
		return RC_REFUSED;
	ev->meta.source = db->in_batch ? SRC_IMPORT : db->author.source;
	ev->meta.actor.s = db->author.actor;
	ev->meta.actor.len = strlen(db->author.actor);
	ev->meta.desk.s = db->author.desk;
	ev->meta.desk.len = strlen(db->author.desk);
	ev->meta.has_batch = (uint8_t)(db->in_batch != 0);
	if (db->in_batch)
		memcpy(ev->meta.batch, db->batch, RC_ID_LEN);
	return RC_OK;
}

/*
 * The write loop.  A dry run (the stand-in of a database not created
 * yet) aborts instead of committing and says whether fn appended.
 */
static int
write_loop(rc_db *db, store_write_fn fn, void *ctx, int dry, int *appended)
{
	MDB_txn *txn;
	uint8_t hash[EVENT_HASH_LEN];
	uint64_t head;
	int rc, code;

	for (;;) {
		db->err[0] = 0;
		db->mdb_rc = 0;
		db->tail_valid = 0;
		db->writable_checked = 0;
		rc = mdb_txn_begin(db->env, NULL, 0, &txn);
		if (rc == MDB_MAP_RESIZED) {
			mdb_env_set_mapsize(db->env, 0);
			continue;
		}
		if (rc == EACCES || rc == EROFS)
			return store_fail(db, RC_ESYS,
			    "database %s is read-only", db->path);
		if (rc != 0)
			return store_lmdb_fail(db, rc, "cannot write database");
		db->write_txn = txn;
		db->write_gen++;
		code = fn(db, txn, ctx);
		db->write_txn = NULL;
		if (code == RC_OK && dry) {
			code = store_head(db, txn, &head, hash);
			*appended = head > 0;
		}
		if (code != RC_OK || dry) {
			db->origin_txn = NULL;
			mdb_txn_abort(txn);
			if (code != RC_OK && db->mdb_rc == MDB_MAP_FULL &&
			    grow_map(db) == RC_OK)
				continue;
			return code;
		}
		rc = mdb_txn_commit(txn);
		txn = NULL;
		if (rc == MDB_MAP_FULL && grow_map(db) == RC_OK)
			continue;
		if (rc != 0)
			return store_lmdb_fail(db, rc, "cannot commit");
		if (db->origin_txn != NULL)
			db->has_origin = 1;
		db->origin_txn = NULL;
		return RC_OK;
	}
}

void
store_know_head(rc_db *db, uint64_t seq, const uint8_t hash[EVENT_HASH_LEN])
{
	db->tail_seq = seq;
	memcpy(db->tail_hash, hash, EVENT_HASH_LEN);
	db->tail_valid = 1;
}

int
store_write(rc_db *db, store_write_fn fn, void *ctx)
{
	int rc, appended = 0;

	maybe_attach(db);
	if (!db->absent)
		return write_loop(db, fn, ctx, 0, NULL);
	/* Refused, or nothing to keep: nothing on disk. */
	if ((rc = write_loop(db, fn, ctx, 1, &appended)) != RC_OK ||
	    !appended)
		return rc;
	if ((rc = create_db(db)) != RC_OK)
		return rc;
	return write_loop(db, fn, ctx, 0, NULL);
}

int
store_head(rc_db *db, MDB_txn *txn, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN])
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, db->dbi[DB_EVENTS], &cur)) != 0)
		return store_lmdb_fail(db, rc, "cannot read the log");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND) {
		*seq = 0;
		memset(hash, 0, EVENT_HASH_LEN);
		return RC_OK;
	}
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read the log");
	if (k.mv_size != 8)
		return store_fail(db, RC_ESYS, "the log has a damaged key");
	*seq = get_u64(k.mv_data);
	event_hash(v.mv_data, v.mv_size, hash);
	return RC_OK;
}

/* Main-database keys start with NUL, so strlen cannot measure them. */
static MDB_val
meta_key(const char *key)
{
	MDB_val k;

	k.mv_data = (void *)key;
	k.mv_size = 1 + strlen(key + 1);
	return k;
}

int
store_meta_get(rc_db *db, MDB_txn *txn, const char *key, void *buf,
    size_t cap, size_t *len, int *found)
{
	MDB_val k = meta_key(key), v;
	int rc;

	*found = 0;
	*len = 0;
	rc = mdb_get(txn, db->main_dbi, &k, &v);
	if (rc == MDB_NOTFOUND)
		return RC_OK;
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read the database");
	*found = 1;
	*len = v.mv_size;
	memcpy(buf, v.mv_data, v.mv_size < cap ? v.mv_size : cap);
	return RC_OK;
}

int
store_meta_put(rc_db *db, MDB_txn *txn, const char *key, const void *val,
    size_t len)
{
	MDB_val k = meta_key(key), v;
	int rc;

	v.mv_data = (void *)val;
	v.mv_size = len;
	if ((rc = mdb_put(txn, db->main_dbi, &k, &v, 0)) != 0)
		return store_lmdb_fail(db, rc, "cannot write the database");
	return RC_OK;
}

/*
 * A replica takes its events from its origin only (SPEC 9): every
 * command that would append refuses there, naming the origin.
 */
int
store_check_writable(rc_db *db, MDB_txn *txn)
{
	uint8_t origin[RC_ID_LEN];
	char text[RC_ID_TEXT];
	size_t len;
	int rc, found;

	if (db->writable_checked)
		return RC_OK;
	rc = store_meta_get(db, txn, META_REPLICA_OF, origin, sizeof(origin),
	    &len, &found);
	if (rc != RC_OK)
		return rc;
	if (found) {
		if (len != RC_ID_LEN)
			return store_fail(db, RC_ESYS, "the database's replica "
			    "mark is damaged");
		event_id_text(origin, text);
		return store_fail(db, RC_REFUSED, "this database is a "
		    "read-only replica of %s: make changes there", text);
	}
	db->writable_checked = 1;
	return RC_OK;
}

/* The log's tail, read once per write transaction. */
static int
load_tail(rc_db *db, MDB_txn *txn)
{
	int rc;

	if (db->tail_valid)
		return RC_OK;
	rc = store_head(db, txn, &db->tail_seq, db->tail_hash);
	if (rc == RC_OK)
		db->tail_valid = 1;
	return rc;
}

int
store_record(rc_db *db, MDB_txn *txn, uint64_t seq, const uint8_t **rec,
    size_t *len)
{
	uint8_t key[8];
	MDB_val k = { sizeof(key), key }, v;
	int rc;

	put_u64(key, seq);
	if ((rc = mdb_get(txn, db->dbi[DB_EVENTS], &k, &v)) == MDB_NOTFOUND)
		return store_fail(db, RC_ESYS, "the log holds no event %llu: "
		    "run verify", (unsigned long long)seq);
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot read the log");
	*rec = v.mv_data;
	*len = v.mv_size;
	return RC_OK;
}

int
store_append(rc_db *db, MDB_txn *txn, struct rc_event *ev,
    uint8_t rec[EVENT_MAX_LEN], size_t *len)
{
	struct rc_local now;
	uint8_t key[8];
	MDB_val k, v;
	int rc;

	if ((rc = store_check_writable(db, txn)) != RC_OK ||
	    (rc = load_tail(db, txn)) != RC_OK)
		return rc;
	ev->seq = db->tail_seq + 1;
	memcpy(ev->prev, db->tail_hash, EVENT_HASH_LEN);
	if (ev->recorded_at == 0 && clock_now(&ev->recorded_at, &now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	/* The first event this release writes gives an old database one. */
	if ((rc = stamp(db, ev)) != RC_OK ||
	    (rc = store_ensure_origin(db, txn)) != RC_OK)
		return rc;
	if (event_encode(ev, rec, EVENT_MAX_LEN, len) != 0)
		return store_fail(db, RC_REFUSED, "event cannot be encoded");
	put_u64(key, ev->seq);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	v.mv_size = *len;
	v.mv_data = rec;
	rc = mdb_put(txn, db->dbi[DB_EVENTS], &k, &v, MDB_APPEND);
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot append to the log");
	db->tail_seq = ev->seq;
	event_hash(rec, *len, db->tail_hash);
	return RC_OK;
}

int
store_append_record(rc_db *db, MDB_txn *txn, const uint8_t *rec,
    size_t len, uint64_t *seq)
{
	struct rc_event ev;
	const char *why;
	uint8_t key[8];
	MDB_val k, v;
	int rc;

	if ((rc = load_tail(db, txn)) != RC_OK)
		return rc;
	if (len > EVENT_MAX_LEN || event_decode_header(rec, len, &ev, &why))
		return store_fail(db, RC_REFUSED, "not a rollcall event (%s)",
		    len > EVENT_MAX_LEN ? "too long" : why);
	*seq = ev.seq;
	if (ev.seq != db->tail_seq + 1)
		return store_fail(db, RC_REFUSED, "event %llu where event "
		    "%llu was due (a gap)", (unsigned long long)ev.seq,
		    (unsigned long long)db->tail_seq + 1);
	if (memcmp(ev.prev, db->tail_hash, EVENT_HASH_LEN) != 0)
		return store_fail(db, RC_REFUSED, "event %llu does not chain "
		    "onto event %llu (hash differs)",
		    (unsigned long long)ev.seq,
		    (unsigned long long)db->tail_seq);
	put_u64(key, ev.seq);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	v.mv_size = len;
	v.mv_data = (void *)rec;
	rc = mdb_put(txn, db->dbi[DB_EVENTS], &k, &v, MDB_APPEND);
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot append to the log");
	db->tail_seq = ev.seq;
	event_hash(rec, len, db->tail_hash);
	return RC_OK;
}

/*
 * The meta page (mdb_env_info) shows a commit while its durable write is
 * still under way, before LMDB publishes it to new readers: a poll that
 * took that number then loaded the commit before, and never looked again
 * (a desk stuck one event behind; torture's desks).  So a change counts
 * only as far as a read transaction sees it; the rest, next time.
 */
int
db_poll(rc_db *db, int *changed)
{
	MDB_envinfo info;
	MDB_txn *txn;
	size_t seen;
	int rc;

	*changed = 0;
	maybe_attach(db);
	mdb_env_info(db->env, &info);
	if (info.me_last_txnid == db->last_txnid)
		return RC_OK;
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	seen = mdb_txn_id(txn);
	mdb_txn_abort(txn);
	*changed = seen != db->last_txnid;
	db->last_txnid = seen;
	return RC_OK;
}

void
store_prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + len) & ~(page - 1);

	/* An older kernel says EINVAL: the pages then fault one by one. */
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

/*
 * A page LMDB's map has shown us stays in our resident set until it is
 * unmapped, so a walk over the whole log (the kernel maps 64 KiB around
 * each fault) would end up "using" most of the file.  Walks count what they map
 * (our resident file-backed bytes, before and after) into db->map_held;
 * past the allowance the map is let go (MADV_DONTNEED: for a shared
 * file mapping the pages stay in the page cache, and the next touch
 * maps them again).
 *
 * The allowance is store_map_budget (a one-shot query's peak), unless
 * the last walk needed no more than store_map_keep in all: then the
 * process walks again over pages it would only map back, as a desk
 * refreshing its log does, so it keeps them.  A relative budget alone
 * let such a walk go every time and fault it all back the next (a day
 * query, when it read a leaf per student, was 15x its floor).
 */
size_t store_map_budget = 12 * MIB;
size_t store_map_keep = 24 * MIB;

/* /proc/self/statm, kept open: a read is 2 us, an fopen 10 (per check). */
static int statm_fd = -2;

/* Resident file-backed bytes of this process (our maps and libraries). */
static size_t
resident_file_bytes(void)
{
	unsigned long size, resident, shared;
	char buf[128];
	ssize_t n;

	if (statm_fd == -2)
		statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (statm_fd < 0 || (n = pread(statm_fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3)
		return 0;
	return shared * (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * Let go of the map holding `inside`, found in /proc/self/maps (LMDB
 * does not say where its map is; a release is rare, so the look is
 * cheap enough).  Only ever a mapping of the data file: never memory.
 */
static void
release_map(rc_db *db, const void *inside)
{
	unsigned long lo, hi, p = (unsigned long)inside;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if ((f = fopen("/proc/self/maps", "r")) == NULL)
		return;
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || p < lo || p >= hi)
			continue;
		if (strstr(line, "/data.mdb\n") != NULL &&
		    madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0) {
			db->map_held = 0;
			db->map_releases++;
		}
		break;
	}
	free(line);
	fclose(f);
}

/* Count what the walk mapped since its last look into the account. */
static void
map_count(rc_db *db, struct store_map_walk *w)
{
	size_t now = resident_file_bytes();

	if (now > w->seen) {
		db->map_held += now - w->seen;
		w->grown += now - w->seen;
	}
	w->seen = now;
}

void
store_map_mark(rc_db *db, struct store_map_walk *w)
{
	(void)db;
	w->seen = resident_file_bytes();
	w->grown = 0;
	w->need = 0;
}

void
store_map_trim(rc_db *db, struct store_map_walk *w, const void *inside,
    size_t done, size_t total)
{
	size_t allowed = db->map_fits ? store_map_keep : store_map_budget;

	map_count(db, w);
	if (db->map_held <= allowed)
		return;
	/*
	 * What the whole walk would map, from what it has so far: once the
	 * map goes, the kernel's read-around brings back pages mapped
	 * already, so the growth after this overstates it (a day at 2,000
	 * students, 18 MB, counted 26 MB).
	 */
	if (w->need == 0 && w->grown > 0)
		w->need = total > 0 && done > 0 && done <= total ?
		    w->grown / done * total : SIZE_MAX;
	release_map(db, inside);
	w->seen = resident_file_bytes();
}

void
store_map_done(rc_db *db, struct store_map_walk *w)
{
	map_count(db, w);
	db->map_fits = (w->need ? w->need : w->grown) <= store_map_keep &&
	    db->map_held <= store_map_keep;
}

int
db_read_only(rc_db *db)
{
	unsigned flags = 0;

	return mdb_env_get_flags(db->env, &flags) == 0 &&
	    (flags & MDB_RDONLY) != 0;
}
