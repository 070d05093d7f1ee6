/*
 * pagecopy.h - core-internal: the backup's copy (SPEC 7): LMDB's own
 * compacting copy, page by page, with every byte a page does not use
 * cleared on the way to the file.
 *
 * LMDB's compacting copy (mdb_env_copyfd2 with MDB_CP_COMPACT) walks
 * the trees of one read snapshot and writes their pages in order, free
 * pages left out, from a thread of its own: it is about as fast as the
 * disk.  But it copies a page's used part together with up to 7 bytes
 * each side of the unused gap (it rounds to words), a sub-page's or an
 * overflow page's unused tail whole, and the pad byte of each odd-sized
 * node: bytes of records deleted or rewritten long ago, an erased
 * student's key among them.  Here its output goes through a pipe, and
 * each page is rebuilt from what it uses (header, pointers, nodes,
 * sub-pages' likewise) on zeroes before it is written: the file holds
 * nothing the snapshot does not.
 *
 * Unlike envcopy.h's record-by-record copy, the pages keep the fill the
 * database gave them: `compact`, which promises the smallest file, uses
 * that one.  The copy is a single snapshot, taken while other processes
 * go on writing.
 */
#ifndef ROLLCALL_PAGECOPY_H
#define ROLLCALL_PAGECOPY_H

#include "store.h"

/*
 * Write the copy into the new file `file` (mode 0600; no lock file
 * beside it) and sync it.  Returns 0, an errno (> 0: ENOSPC for a full
 * disk) or an LMDB code (< 0; MDB_CORRUPTED for a page it cannot read).
 * On failure `file` may be left half written: the caller removes it.
 */
int pagecopy_write(rc_db *db, const char *file);

#endif
