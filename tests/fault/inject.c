/*
 * inject.c - fault injection for a test build of rollcall.
 *
 * Linked into build/fault/rollcall with -Wl,--wrap=mdb_... so that every
 * call the core makes to one of the LMDB functions below goes through a
 * __wrap_ function here.  The wrappers count the calls of one class and
 * make the Nth fail, the way SQLite's test harness fails the Nth malloc
 * or write:
 *
 *   ROLLCALL_FAULT=N:ERR[:CLASS]    only call N fails (transient)
 *   ROLLCALL_FAULT=N+:ERR[:CLASS]   call N and every later one fail
 *                                   (persistent: a disk that stays full)
 *
 * ERR is ENOSPC, EIO, MAP_FULL (MDB_MAP_FULL), TXN_FULL, CORRUPTED or
 * PANIC, or STOP: the process logs the call and stops itself (SIGSTOP)
 * right there, holding whatever lock it holds, for a test to kill; CLASS is "w" (the default: the calls that change the database:
 * write transactions begun and committed, put, del, drop, map resizes)
 * or "r" (reads: read transactions, get, cursor reads, stat, dbi open).
 *
 * With ROLLCALL_FAULT_LOG=FILE, each fault appends "fault OP CALL ERR"
 * to FILE as it fires, and the process appends "calls N" (how many calls
 * of the class it made) when it exits normally.  The driver
 * (tests/fault/fault.sh) raises N until a run fires no fault.
 *
 * A failed write call does not reach LMDB; a failed commit aborts the
 * transaction (as LMDB's commit frees it when it fails).  So after any
 * fault the database is exactly as the last good commit left it, and the
 * question is only whether rollcall noticed, said so and stopped.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>

/* The real functions, resolved by the linker's --wrap. */
int __real_mdb_txn_begin(MDB_env *, MDB_txn *, unsigned, MDB_txn **);
int __real_mdb_txn_commit(MDB_txn *);
void __real_mdb_txn_abort(MDB_txn *);
int __real_mdb_put(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *, unsigned);
int __real_mdb_del(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *);
int __real_mdb_drop(MDB_txn *, MDB_dbi, int);
int __real_mdb_cursor_put(MDB_cursor *, MDB_val *, MDB_val *, unsigned);
int __real_mdb_env_set_mapsize(MDB_env *, size_t);
int __real_mdb_get(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *);
int __real_mdb_cursor_get(MDB_cursor *, MDB_val *, MDB_val *,
    MDB_cursor_op);
int __real_mdb_cursor_open(MDB_txn *, MDB_dbi, MDB_cursor **);
int __real_mdb_stat(MDB_txn *, MDB_dbi, MDB_stat *);
int __real_mdb_dbi_open(MDB_txn *, const char *, unsigned, MDB_dbi *);

int __wrap_mdb_txn_begin(MDB_env *, MDB_txn *, unsigned, MDB_txn **);
int __wrap_mdb_txn_commit(MDB_txn *);
void __wrap_mdb_txn_abort(MDB_txn *);
int __wrap_mdb_put(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *, unsigned);
int __wrap_mdb_del(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *);
int __wrap_mdb_drop(MDB_txn *, MDB_dbi, int);
int __wrap_mdb_cursor_put(MDB_cursor *, MDB_val *, MDB_val *, unsigned);
int __wrap_mdb_env_set_mapsize(MDB_env *, size_t);
int __wrap_mdb_get(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *);
int __wrap_mdb_cursor_get(MDB_cursor *, MDB_val *, MDB_val *,
    MDB_cursor_op);
int __wrap_mdb_cursor_open(MDB_txn *, MDB_dbi, MDB_cursor **);
int __wrap_mdb_stat(MDB_txn *, MDB_dbi, MDB_stat *);
int __wrap_mdb_dbi_open(MDB_txn *, const char *, unsigned, MDB_dbi *);

enum { CLASS_W, CLASS_R };

static struct {
	int ready;
	int on;			/* ROLLCALL_FAULT parsed */
	unsigned long target;	/* N */
	int persistent;
	int err;
	const char *errname;
	int class;
	unsigned long calls;	/* calls of the class so far */
	unsigned long fired;
	const char *log;
} F;

/* Read-only transactions, so that their commits count as reads. */
#define MAX_RO 64
static MDB_txn *ro[MAX_RO];

static void
ro_add(MDB_txn *t)
{
	int i;

	for (i = 0; i < MAX_RO; i++)
		if (ro[i] == NULL) {
			ro[i] = t;
			return;
		}
}

static int
ro_take(MDB_txn *t)
{
	int i;

	for (i = 0; i < MAX_RO; i++)
		if (ro[i] == t) {
			ro[i] = NULL;
			return 1;
		}
	return 0;
}

static void
log_line(const char *fmt, const char *op, unsigned long n)
{
	FILE *fp;

	if (F.log == NULL || (fp = fopen(F.log, "a")) == NULL)
		return;
	fprintf(fp, fmt, op, n, F.errname);
	fclose(fp);
}

static void
at_exit(void)
{
	FILE *fp;

	if (F.log == NULL || (fp = fopen(F.log, "a")) == NULL)
		return;
	fprintf(fp, "calls %lu\n", F.calls);
	fclose(fp);
}

static void
setup(void)
{
	static const struct {
		const char *name;
		int err;
	} errs[] = {
		{ "ENOSPC", ENOSPC }, { "EIO", EIO },
		{ "MAP_FULL", MDB_MAP_FULL }, { "TXN_FULL", MDB_TXN_FULL },
		{ "CORRUPTED", MDB_CORRUPTED }, { "PANIC", MDB_PANIC },
		{ "STOP", -1 },
	};
	const char *s = getenv("ROLLCALL_FAULT");
	char *end;
	size_t i;

	F.ready = 1;
	F.log = getenv("ROLLCALL_FAULT_LOG");
	if (F.log && *F.log == 0)
		F.log = NULL;
	if (F.log)
		atexit(at_exit);
	if (s == NULL || *s == 0)
		return;
	F.target = strtoul(s, &end, 10);
	if (*end == '+') {
		F.persistent = 1;
		end++;
	}
	if (*end != ':' || F.target == 0)
		goto bad;
	s = end + 1;
	for (i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		size_t n = strlen(errs[i].name);

		if (strncmp(s, errs[i].name, n) == 0 &&
		    (s[n] == 0 || s[n] == ':')) {
			F.err = errs[i].err;
			F.errname = errs[i].name;
			s += n;
			break;
		}
	}
	if (F.errname == NULL)
		goto bad;
	F.class = CLASS_W;
	if (*s == ':') {
		if (strcmp(s + 1, "r") == 0)
			F.class = CLASS_R;
		else if (strcmp(s + 1, "w") != 0)
			goto bad;
	}
	F.on = 1;
	return;
bad:
	fprintf(stderr, "inject: bad ROLLCALL_FAULT '%s'\n",
	    getenv("ROLLCALL_FAULT"));
	exit(99);
}

/* Count one call of `class`; returns the error to fail it with, or 0. */
static int
fault(int class, const char *op)
{
	if (!F.ready)
		setup();
	if (class != F.class)
		return 0;
	F.calls++;
	if (!F.on)
		return 0;
	if (F.calls == F.target && F.err == -1) {
		log_line("stop %s %lu %s\n", op, F.calls);
		raise(SIGSTOP);
		return 0;
	}
	if (F.calls == F.target || (F.persistent && F.calls > F.target)) {
		F.fired++;
		log_line("fault %s %lu %s\n", op, F.calls);
		return F.err;
	}
	return 0;
}

int
__wrap_mdb_txn_begin(MDB_env *env, MDB_txn *parent, unsigned flags,
    MDB_txn **txn)
{
	int rdonly = (flags & MDB_RDONLY) != 0, rc;

	if ((rc = fault(rdonly ? CLASS_R : CLASS_W, "txn_begin")) != 0) {
		*txn = NULL;
		return rc;
	}
	rc = __real_mdb_txn_begin(env, parent, flags, txn);
	if (rc == 0 && rdonly)
		ro_add(*txn);
	return rc;
}

int
__wrap_mdb_txn_commit(MDB_txn *txn)
{
	int rdonly = ro_take(txn), rc;

	if ((rc = fault(rdonly ? CLASS_R : CLASS_W, "txn_commit")) != 0) {
		__real_mdb_txn_abort(txn);
		return rc;
	}
	return __real_mdb_txn_commit(txn);
}

void
__wrap_mdb_txn_abort(MDB_txn *txn)
{
	ro_take(txn);
	__real_mdb_txn_abort(txn);
}

int
__wrap_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v,
    unsigned flags)
{
	int rc = fault(CLASS_W, "put");

	return rc ? rc : __real_mdb_put(txn, dbi, k, v, flags);
}

int
__wrap_mdb_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v)
{
	int rc = fault(CLASS_W, "del");

	return rc ? rc : __real_mdb_del(txn, dbi, k, v);
}

int
__wrap_mdb_drop(MDB_txn *txn, MDB_dbi dbi, int del)
{
	int rc = fault(CLASS_W, "drop");

	return rc ? rc : __real_mdb_drop(txn, dbi, del);
}

int
__wrap_mdb_cursor_put(MDB_cursor *c, MDB_val *k, MDB_val *v, unsigned flags)
{
	int rc = fault(CLASS_W, "cursor_put");

	return rc ? rc : __real_mdb_cursor_put(c, k, v, flags);
}

int
__wrap_mdb_env_set_mapsize(MDB_env *env, size_t size)
{
	/* Size 0 only adopts another process's size: not a write. */
	int rc = size ? fault(CLASS_W, "set_mapsize") : 0;

	return rc ? rc : __real_mdb_env_set_mapsize(env, size);
}

int
__wrap_mdb_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v)
{
	int rc = fault(CLASS_R, "get");

	return rc ? rc : __real_mdb_get(txn, dbi, k, v);
}

int
__wrap_mdb_cursor_get(MDB_cursor *c, MDB_val *k, MDB_val *v,
    MDB_cursor_op op)
{
	int rc = fault(CLASS_R, "cursor_get");

	return rc ? rc : __real_mdb_cursor_get(c, k, v, op);
}

int
__wrap_mdb_cursor_open(MDB_txn *txn, MDB_dbi dbi, MDB_cursor **c)
{
	int rc = fault(CLASS_R, "cursor_open");

	return rc ? rc : __real_mdb_cursor_open(txn, dbi, c);
}

int
__wrap_mdb_stat(MDB_txn *txn, MDB_dbi dbi, MDB_stat *st)
{
	int rc = fault(CLASS_R, "stat");

	return rc ? rc : __real_mdb_stat(txn, dbi, st);
}

int
__wrap_mdb_dbi_open(MDB_txn *txn, const char *name, unsigned flags,
    MDB_dbi *dbi)
{
	int rc = fault(CLASS_R, "dbi_open");

	return rc ? rc : __real_mdb_dbi_open(txn, name, flags, dbi);
}
