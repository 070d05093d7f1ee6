/*
 * backup.c - consistent, compacted, verified backups (see backup.h).
 *
 * The order of a backup is what makes it safe to trust:
 *   1. refuse a DEST that exists or lies inside the database directory;
 *   2. copy one read snapshot, compacted, into DEST.tmp-XXXXXX/data.mdb
 *      (page by page, unused bytes cleared, pagecopy.h: writers in other
 *      processes go on);
 *   3. fsync the file and the temporary directory;
 *   4. open the copy and verify it as `rollcall verify` does;
 *   5. rename it to DEST (never replacing anything), fsync the parent.
 * Any failure removes the temporary directory; a crash leaves only it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backup.h"
#include "bytes.h"
#include "clock.h"
#include "command.h"
#include "envcopy.h"
#include "pagecopy.h"
#include "rm_backup.h"
#include "store.h"
#include "text.h"
#include "validate.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

/* In LMDB's main database, beside the checkpoint (backup.h). */
static const char last_key[] = "\0backup";
static const char failed_key[] = "\0backup-failed";

/* ---- settings --------------------------------------------------------- */

int
backup_settings(rc_db *db, struct rc_backup_settings *s)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = rm_backup_get(db, txn, s->dir, sizeof(s->dir), &s->keep);
	mdb_txn_abort(txn);
	return rc;
}

/* Strip trailing slashes (but keep "/"). */
static void
trim_slashes(char *p)
{
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = 0;
}

/* Whether path, resolved, is dir or lies under it (both resolved). */
static int
is_inside(const char *path_real, const char *dir_real)
{
	size_t n = strlen(dir_real);

	if (strncmp(path_real, dir_real, n) != 0)
		return 0;
	return path_real[n] == 0 || path_real[n] == '/' ||
	    strcmp(dir_real, "/") == 0;
}

/*
 * Resolve as much of path as exists (its deepest existing ancestor) so
 * that a directory not yet made can still be placed; 0 or -1.
 */
static int
resolve_existing(const char *path, char *out)
{
	char buf[PATH_MAX], *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	while (realpath(buf, out) == NULL) {
		if (errno != ENOENT || (slash = strrchr(buf, '/')) == NULL)
			return -1;
		if (slash == buf) {
			snprintf(out, PATH_MAX, "/");
			return 0;
		}
		*slash = 0;
	}
	return 0;
}

/*
 * Refuse (RC_REFUSED) a path inside the database's directory: `path` is
 * what is resolved, `show` what the message names.
 */
static int
refuse_inside_db(rc_db *db, const char *path, const char *show,
    const char *what)
{
	char real[PATH_MAX], dbreal[PATH_MAX], shown[256];

	if (resolve_existing(path, real) != 0 ||
	    realpath(db_path(db), dbreal) == NULL)
		return RC_OK;
	if (!is_inside(real, dbreal))
		return RC_OK;
	text_escape(show, strlen(show), shown, sizeof(shown));
	return store_fail(db, RC_REFUSED, "%s %s is inside the database "
	    "directory: a backup must live apart from what it saves", what,
	    shown);
}

int
backup_dir_value(rc_db *db, const char *dir, char *out, size_t len)
{
	char cwd[PATH_MAX], shown[256];
	const unsigned char *p;
	int n;

	text_escape(dir, strlen(dir), shown, sizeof(shown));
	if (*dir == 0)
		return store_fail(db, RC_REFUSED, "backup-dir is empty (use "
		    "--unset to turn automatic backups off)");
	if (!validate_utf8(dir, strlen(dir)))
		return store_fail(db, RC_REFUSED, "invalid backup-dir '%s': "
		    "not valid UTF-8", shown);
	for (p = (const unsigned char *)dir; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return store_fail(db, RC_REFUSED, "invalid backup-dir "
			    "'%s': control characters", shown);
	if (dir[0] == '/')
		n = snprintf(out, len, "%s", dir);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return store_fail(db, RC_ESYS, "cannot find the working "
		    "directory for backup-dir '%s'", shown);
	else
		n = snprintf(out, len, "%s/%s", cwd, dir);
	if (n < 0 || (size_t)n >= len || (size_t)n > RC_CONFIG_TEXT_MAX)
		return store_fail(db, RC_REFUSED, "backup-dir '%s' is too "
		    "long", shown);
	trim_slashes(out);
	return refuse_inside_db(db, out, out, "backup-dir");
}

/* ---- records ---------------------------------------------------------- */

struct record_ctx {
	const struct rc_backup *b;	/* success: the backup; else NULL */
	const char *failure;		/* failure: the reason */
	int clear_failure;
	int64_t at;
};

static MDB_val
val(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *)p;
	v.mv_size = n;
	return v;
}

static int
record_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct record_ctx *c = arg;
	uint8_t buf[24 + PATH_MAX];
	MDB_val k, v;
	size_t n;
	int rc = 0;

	put_u64(buf, (uint64_t)c->at);
	if (c->b) {
		put_u64(buf + 8, c->b->events);
		put_u64(buf + 16, c->b->bytes);
		n = strlen(c->b->path);
		memcpy(buf + 24, c->b->path, n);
		k = val(last_key, sizeof(last_key) - 1);
		v = val(buf, 24 + n);
		rc = mdb_put(txn, db->main_dbi, &k, &v, 0);
	} else if (c->failure) {
		n = strnlen(c->failure, 255);
		memcpy(buf + 8, c->failure, n);
		k = val(failed_key, sizeof(failed_key) - 1);
		v = val(buf, 8 + n);
		rc = mdb_put(txn, db->main_dbi, &k, &v, 0);
	}
	if (rc == 0 && c->clear_failure) {
		k = val(failed_key, sizeof(failed_key) - 1);
		rc = mdb_del(txn, db->main_dbi, &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc != 0)
		return store_lmdb_fail(db, rc, "cannot record the backup");
	return RC_OK;
}

/* Best effort: the backup itself stands whether or not this lands. */
static void
record(rc_db *db, const struct rc_backup *b, const char *failure,
    int clear_failure)
{
	struct record_ctx c = { b, failure, clear_failure, 0 };
	struct rc_local now;
	char saved[sizeof(db->err)];

	if (clock_now(&c.at, &now) != 0)
		return;
	memcpy(saved, db->err, sizeof(saved));
	store_write(db, record_txn, &c);
	memcpy(db->err, saved, sizeof(saved));
}

/* ---- taking one ------------------------------------------------------- */

/* An errno as the user needs it: "disk full" above all. */
static int
sys_fail(rc_db *db, int err, const char *what, const char *path)
{
	char shown[256];

	text_escape(path, strlen(path), shown, sizeof(shown));
	if (err == ENOSPC || err == EDQUOT)
		return store_fail(db, RC_ESYS, "disk full: cannot write the "
		    "backup %s (%s)", shown, what);
	if (err == EROFS)
		return store_fail(db, RC_ESYS, "cannot write the backup %s: "
		    "read-only file system", shown);
	return store_fail(db, RC_ESYS, "cannot write the backup %s (%s): %s",
	    shown, what, strerror(err));
}

static void
remove_tree(const char *dir)
{
	char file[2 * PATH_MAX];

	snprintf(file, sizeof(file), "%s/data.mdb", dir);
	unlink(file);
	snprintf(file, sizeof(file), "%s/lock.mdb", dir);
	unlink(file);
	rmdir(dir);
}

static int
sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* The checks before anything is written: RC_OK or a refusal. */
static int
check_dest(rc_db *db, const char *dest, char *parent)
{
	char shown[256], dir[PATH_MAX], *slash;
	struct stat st;

	text_escape(dest, strlen(dest), shown, sizeof(shown));
	if (lstat(dest, &st) == 0)
		return store_fail(db, RC_REFUSED, "%s already exists: a backup "
		    "never overwrites anything", shown);
	if (errno != ENOENT)
		return store_fail(db, errno == ENOTDIR ? RC_REFUSED : RC_ESYS,
		    "cannot use %s: %s", shown, strerror(errno));
	snprintf(dir, sizeof(dir), "%s", dest);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	if (realpath(dir, parent) == NULL || stat(parent, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		text_escape(dir, strlen(dir), shown, sizeof(shown));
		if (errno == ENOENT || errno == ENOTDIR || errno == 0)
			return store_fail(db, RC_REFUSED, "directory %s does "
			    "not exist", shown);
		return store_fail(db, RC_ESYS, "cannot use directory %s: %s",
		    shown, strerror(errno));
	}
	return refuse_inside_db(db, parent, dest, "backup");
}

/* Copy the snapshot into tmp/data.mdb and make it durable. */
static int
copy_into(rc_db *db, const char *tmp, const char *dest)
{
	char file[2 * PATH_MAX];
	int rc;

	snprintf(file, sizeof(file), "%s/data.mdb", tmp);
	/*
	 * A database LMDB's page walk refuses (pages it lost track of:
	 * MDB_INCOMPATIBLE) is still copied, record by record.
	 */
	if ((rc = pagecopy_write(db, file)) == MDB_INCOMPATIBLE) {
		unlink(file);
		rc = envcopy_write(db, file);
	}
	if (rc != 0) {
		if (rc > 0)	/* an errno: LMDB's own codes are negative */
			return sys_fail(db, rc, "copying", dest);
		return store_lmdb_fail(db, rc, "cannot copy the database");
	}
	if (sync_dir(tmp) != 0)
		return sys_fail(db, errno, "syncing", dest);
	return RC_OK;
}

struct diffs {
	char first[256];
	int n;
};

static void
collect_diff(void *ctx, const char *what)
{
	struct diffs *d = ctx;

	if (d->n++ == 0)
		snprintf(d->first, sizeof(d->first), "%s", what);
}

/* Open the copy as a database and verify it; count its events. */
static int
verify_copy(rc_db *db, const char *tmp, struct rc_backup *out)
{
	char err[512], file[2 * PATH_MAX];
	struct diffs d = { "", 0 };
	uint8_t hash[EVENT_HASH_LEN];
	struct stat st;
	rc_db *copy;
	MDB_txn *txn;
	int rc;

	/* No lock file: nobody else knows this directory yet. */
	if (store_open(tmp, MDB_RDONLY | MDB_NOLOCK, &copy, err,
	    sizeof(err)) != RC_OK)
		return store_fail(db, RC_ESYS, "the copy does not open: %s",
		    err);
	rc = command_verify(copy, NULL, collect_diff, &d);
	if (rc == RC_REFUSED && d.n > 0)
		store_fail(db, RC_REFUSED, "the copy does not verify (%s%s): "
		    "run rollcall verify", d.first, d.n > 1 ? ", ..." : "");
	else if (rc != RC_OK)
		store_fail(db, rc, "cannot verify the copy: %s",
		    db_error(copy));
	if (rc == RC_OK && (rc = store_read_begin(copy, &txn)) == RC_OK) {
		rc = store_head(copy, txn, &out->events, hash);
		mdb_txn_abort(txn);
		if (rc != RC_OK)
			store_fail(db, rc, "%s", db_error(copy));
	}
	db_close(copy);
	snprintf(file, sizeof(file), "%s/data.mdb", tmp);
	if (rc == RC_OK && stat(file, &st) == 0)
		out->bytes = (uint64_t)st.st_size;
	return rc;
}

/* rename(2) that never replaces: an empty DEST made meanwhile stays. */
static int
rename_new(const char *from, const char *to)
{
	long rc;
	struct stat st;

	rc = syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
	    RENAME_NOREPLACE);
	if (rc == 0 || (errno != ENOSYS && errno != EINVAL))
		return (int)rc;
	/* A file system without it: the check is the best we can do. */
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

static int
take(rc_db *db, const char *dest_arg, struct rc_backup *out)
{
	char dest[PATH_MAX], parent[PATH_MAX], tmp[PATH_MAX + 16];
	const char *base;
	int rc, n;

	memset(out, 0, sizeof(*out));
	if (snprintf(dest, sizeof(dest), "%s", dest_arg) >= (int)sizeof(dest)
	    || *dest == 0)
		return store_fail(db, RC_REFUSED, "the backup path is %s",
		    *dest ? "too long" : "empty");
	trim_slashes(dest);
	if ((rc = check_dest(db, dest, parent)) != RC_OK)
		return rc;
	base = strrchr(dest, '/') ? strrchr(dest, '/') + 1 : dest;
	n = snprintf(out->path, sizeof(out->path), "%s%s%s", parent,
	    strcmp(parent, "/") ? "/" : "", base);
	if (n < 0 || (size_t)n + 12 >= sizeof(out->path))
		return store_fail(db, RC_REFUSED, "the backup path is too long");
	/* The copy then holds every event: a read side behind is caught up. */
	db_catch_up(db);
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out->path);
	if (mkdtemp(tmp) == NULL)
		return sys_fail(db, errno, "creating a temporary directory",
		    dest);
	if ((rc = copy_into(db, tmp, dest)) != RC_OK ||
	    (rc = verify_copy(db, tmp, out)) != RC_OK)
		goto fail;
	if (rename_new(tmp, out->path) != 0) {
		rc = errno == EEXIST || errno == ENOTEMPTY ?
		    store_fail(db, RC_REFUSED, "%s appeared while the backup "
		    "was taken: a backup never overwrites anything", dest) :
		    sys_fail(db, errno, "renaming", dest);
		goto fail;
	}
	if (sync_dir(parent) != 0) {
		/* Renamed, so the backup exists: but it may not survive. */
		rc = sys_fail(db, errno, "syncing its directory", dest);
		remove_tree(out->path);
		return rc;
	}
	return RC_OK;
fail:
	remove_tree(tmp);
	return rc;
}

int
backup_take(rc_db *db, const char *dest, struct rc_backup *out)
{
	int rc;

	if ((rc = take(db, dest, out)) == RC_OK)
		record(db, out, NULL, 0);
	return rc;
}

/* ---- the automatic backup --------------------------------------------- */

/* Whether name is one of ours: rollcall-YYYY-MM-DDTHHMM exactly. */
static int
is_backup_name(const char *name)
{
	static const char shape[] = "rollcall-dddd-dd-ddTdddd";
	size_t i;

	if (strlen(name) != BACKUP_NAME_LEN)
		return 0;
	for (i = 0; i < BACKUP_NAME_LEN; i++)
		if (shape[i] == 'd' ? name[i] < '0' || name[i] > '9' :
		    name[i] != shape[i])
			return 0;
	return 1;
}

/* A directory holding a data.mdb and nothing else but a lock.mdb. */
static int
looks_like_backup(int dfd, const char *name)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd, ok = 0, other = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISDIR(st.st_mode))
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0
		    || strcmp(e->d_name, "lock.mdb") == 0)
			continue;
		if (strcmp(e->d_name, "data.mdb") == 0 &&
		    fstatat(fd, "data.mdb", &st, AT_SYMLINK_NOFOLLOW) == 0
		    && S_ISREG(st.st_mode))
			ok = 1;
		else
			other = 1;
	}
	closedir(d);
	return ok && !other;
}

struct listing {
	char (*names)[BACKUP_NAME_LEN + 1];
	size_t n, cap;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Our backups in dfd, oldest first (the names sort by time). */
static int
list_backups(int dfd, struct listing *l)
{
	struct dirent *e;
	DIR *d;
	int fd;
	void *p;

	memset(l, 0, sizeof(*l));
	if ((fd = dup(dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);
	while ((e = readdir(d)) != NULL) {
		if (!is_backup_name(e->d_name) ||
		    !looks_like_backup(dfd, e->d_name))
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 16;
			if ((p = realloc(l->names, l->cap *
			    sizeof(*l->names))) == NULL) {
				closedir(d);
				return -1;
			}
			l->names = p;
		}
		memcpy(l->names[l->n++], e->d_name, BACKUP_NAME_LEN + 1);
	}
	closedir(d);
	if (l->n > 1)
		qsort(l->names, l->n, sizeof(*l->names), name_cmp);
	return 0;
}

/* "rollcall-YYYY-MM-DD" of a local day, the prefix of its backups. */
static void
day_prefix(int32_t day, char *buf, size_t len)
{
	char ymd[16];

	clock_format_day(day, ymd);
	snprintf(buf, len, BACKUP_PREFIX "%s", ymd);
}

static int
has_day(const struct listing *l, int32_t day, char *which)
{
	char prefix[32];
	size_t i;

	day_prefix(day, prefix, sizeof(prefix));
	for (i = 0; i < l->n; i++)
		if (strncmp(l->names[i], prefix, strlen(prefix)) == 0) {
			if (which)
				memcpy(which, l->names[i], BACKUP_NAME_LEN + 1);
			return 1;
		}
	return 0;
}

/* Remove the oldest beyond keep; they passed looks_like_backup(). */
static size_t
rotate(int dfd, const char *dir, unsigned keep)
{
	char path[PATH_MAX + 64];
	struct listing l;
	size_t i, removed = 0;

	if (list_backups(dfd, &l) != 0)
		return 0;
	for (i = 0; l.n > keep && i < l.n - keep; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, l.names[i]);
		remove_tree(path);
		removed++;
	}
	free(l.names);
	if (removed)
		fsync(dfd);
	return removed;
}

static int
daily_fail(rc_db *db, int rc)
{
	char why[sizeof(db->err)];

	memcpy(why, db->err, sizeof(why));
	record(db, NULL, why, 0);
	return rc;
}

int
backup_daily(rc_db *db, struct rc_backup_daily *out)
{
	struct rc_backup_settings s;
	struct rc_local now;
	struct listing l;
	char dest[PATH_MAX + 64], name[BACKUP_NAME_LEN + 8], shown[256];
	int64_t us;
	int rc, dfd;

	memset(out, 0, sizeof(*out));
	if ((rc = backup_settings(db, &s)) != RC_OK)
		return rc;
	if (s.dir[0] == 0)
		return store_fail(db, RC_REFUSED, "backup-dir is not set (see "
		    "rollcall config backup-dir)");
	if (clock_now(&us, &now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	text_escape(s.dir, strlen(s.dir), shown, sizeof(shown));
	dfd = open(s.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		store_fail(db, RC_ESYS, "backup directory %s %s", shown,
		    errno == ENOENT ? "does not exist" : strerror(errno));
		return daily_fail(db, RC_ESYS);
	}
	/* Two desks opening at once: one takes it, the other need not. */
	if (flock(dfd, LOCK_EX | LOCK_NB) != 0) {
		out->busy = 1;
		close(dfd);
		return RC_OK;
	}
	if (list_backups(dfd, &l) != 0) {
		close(dfd);
		store_fail(db, RC_ESYS, "cannot list backup directory %s",
		    shown);
		return daily_fail(db, RC_ESYS);
	}
	rc = has_day(&l, now.day, out->today);
	free(l.names);
	if (rc) {
		close(dfd);
		return RC_OK;
	}
	day_prefix(now.day, name, sizeof(name));
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "T%02u%02u",
	    (unsigned)(now.sec / 3600), (unsigned)(now.sec / 60 % 60));
	snprintf(dest, sizeof(dest), "%s/%s", s.dir, name);
	if ((rc = take(db, dest, &out->b)) != RC_OK) {
		close(dfd);
		return daily_fail(db, rc);
	}
	out->taken = 1;
	out->removed = rotate(dfd, s.dir, s.keep);
	close(dfd);
	record(db, &out->b, NULL, 1);
	return RC_OK;
}

/* ---- state ------------------------------------------------------------ */

static int
read_records(rc_db *db, MDB_txn *txn, struct rc_backup_state *st)
{
	MDB_val k, v;
	size_t n;
	int rc;

	k = val(last_key, sizeof(last_key) - 1);
	if ((rc = mdb_get(txn, db->main_dbi, &k, &v)) == 0 &&
	    v.mv_size >= 24) {
		st->last_at = (int64_t)get_u64(v.mv_data);
		st->last_events = get_u64((uint8_t *)v.mv_data + 8);
		st->last_bytes = get_u64((uint8_t *)v.mv_data + 16);
		n = v.mv_size - 24;
		if (n >= sizeof(st->last_path))
			n = sizeof(st->last_path) - 1;
		memcpy(st->last_path, (uint8_t *)v.mv_data + 24, n);
	} else if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, "cannot read the last backup");
	k = val(failed_key, sizeof(failed_key) - 1);
	if ((rc = mdb_get(txn, db->main_dbi, &k, &v)) == 0 &&
	    v.mv_size >= 8) {
		st->failed_at = (int64_t)get_u64(v.mv_data);
		n = v.mv_size - 8;
		if (n >= sizeof(st->failure))
			n = sizeof(st->failure) - 1;
		memcpy(st->failure, (uint8_t *)v.mv_data + 8, n);
	} else if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_fail(db, rc, "cannot read the last backup");
	return RC_OK;
}

int
backup_state(rc_db *db, struct rc_backup_state *st)
{
	struct rc_local now;
	struct listing l;
	MDB_txn *txn;
	int64_t us;
	int rc, dfd;

	memset(st, 0, sizeof(*st));
	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	if ((rc = rm_backup_get(db, txn, st->set.dir, sizeof(st->set.dir),
	    &st->set.keep)) == RC_OK)
		rc = read_records(db, txn, st);
	mdb_txn_abort(txn);
	if (rc != RC_OK || st->set.dir[0] == 0)
		return rc;
	dfd = open(st->set.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return RC_OK;
	if (list_backups(dfd, &l) == 0) {
		st->kept = l.n;
		if (clock_now(&us, &now) == 0)
			st->today = has_day(&l, now.day, NULL);
		free(l.names);
	}
	close(dfd);
	return RC_OK;
}
