/*
 * compact.c - rewrite the database into the smallest file holding the
 * same data and no stale bytes (SPEC 7).
 *
 * The copy is envcopy.c's, record by record (LMDB's own compacting copy
 * would carry stale bytes along in unused page space), written beside
 * the database (data.mdb.compact), synced, and renamed over data.mdb: a
 * crash at any moment leaves the old file or the new one.  It runs only
 * while no other process has the database open: every process holds a
 * shared flock() on lock.mdb (store.c), and compact needs it exclusively.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "envcopy.h"

static int
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
compact_fail(rc_db *db, int rc, const char *tmp)
{
	unlink(tmp);
	if (rc == ENOSPC || rc == EDQUOT || rc == MDB_MAP_FULL)
		return store_fail(db, RC_ESYS, "compact: disk full (%s); the "
		    "database is unchanged", mdb_strerror(rc));
	return store_fail(db, RC_ESYS, "compact: %s; the database is "
	    "unchanged", mdb_strerror(rc));
}

int
command_compact(rc_db *db, uint64_t *before, uint64_t *after)
{
	char data[PATH_MAX + 16], tmp[PATH_MAX + 32];
	struct stat st;
	int rc;

	/* No database yet: nothing to compact, and nothing to create. */
	if (db->absent) {
		*before = *after = 0;
		return RC_OK;
	}
	if (db->lock_fd < 0 || flock(db->lock_fd, LOCK_EX | LOCK_NB) != 0)
		return store_fail(db, RC_REFUSED, "the database is open in "
		    "another rollcall process (a desk or a command): close "
		    "it, then compact");
	snprintf(data, sizeof(data), "%s/data.mdb", db->path);
	snprintf(tmp, sizeof(tmp), "%s/data.mdb.compact", db->path);
	*before = stat(data, &st) == 0 ? (uint64_t)st.st_size : 0;
	unlink(tmp);		/* what a killed compact left */
	if ((rc = envcopy_write(db, tmp)) != 0)
		return compact_fail(db, rc, tmp);
	if (rename(tmp, data) != 0)
		return compact_fail(db, errno, tmp);
	if (fsync_dir(db->path) != 0)
		return store_fail(db, RC_ESYS, "compact: cannot sync %s: %s",
		    db->path, strerror(errno));
	/*
	 * Our environment maps the old file: close it now, before the
	 * exclusive lock goes, so that the next opener is LMDB's first
	 * and sets the lock file up afresh for the new file.
	 */
	mdb_env_close(db->env);
	db->env = NULL;
	*after = stat(data, &st) == 0 ? (uint64_t)st.st_size : 0;
	return RC_OK;
}
