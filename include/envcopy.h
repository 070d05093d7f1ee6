/*
 * envcopy.h - core-internal: copy a database, record by record, into a
 * fresh LMDB file.  `compact` (compact.c) writes its copy with it, and
 * `backup` (backup.c) a database pagecopy.h's walk refuses.
 *
 * LMDB's own compacting copy (mdb_env_copy2 with MDB_CP_COMPACT) copies
 * whole pages, and with them whatever a page's unused space still holds
 * of records deleted or rewritten long ago (a name an edit replaced in
 * the read side, say).  Here every record of every sub-database, and
 * LMDB's main database's own records (the checkpoint, the origin, the
 * backup records), is put in key order into a fresh environment, whose
 * pages LMDB writes, appending, full.  Their unused space holds zeroes
 * or, where LMDB reused a page buffer of an earlier write transaction
 * of the same copy, bytes of the copy's own records: never anything
 * the snapshot does not hold.
 * The records come from one read snapshot of db, so other processes go
 * on writing meanwhile and the copy is that snapshot exactly.
 */
#ifndef ROLLCALL_ENVCOPY_H
#define ROLLCALL_ENVCOPY_H

#include "store.h"

/*
 * Write the copy into the new file `file` (mode 0600; no lock file
 * beside it) and sync it.  Returns 0, an errno (> 0: ENOSPC for a full
 * disk) or an LMDB code (< 0).  On failure `file` may be left half
 * written: the caller removes it.  A map that fills is grown and the
 * copy begun again.
 */
int envcopy_write(rc_db *db, const char *file);

/*
 * Map all of env's data file into the page table at once, before a copy
 * reads every page of it (a hint: nothing is returned).
 */
void envcopy_prefault(MDB_env *env);

#endif
