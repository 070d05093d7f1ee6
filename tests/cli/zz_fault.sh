#!/bin/sh
# Fault injection (issue 4, short run; `make fault` runs every error,
# persistent faults and failing reads): every LMDB write or commit that
# add, edit, remove, restore, checkin, void, config, both imports (and
# import students --merge), excuse and its withdrawal, checkout, close,
# reopen, a calendar setting, rebuild, a catch-up, verify, compact and
# erase make fails in turn with EIO and with MDB_MAP_FULL.
# EIO: exit 3, one "rollcall: " line, the database byte for byte as
# before, and the same command then works.  MAP_FULL: survived by the
# map growth retry, the command done exactly once, verify clean.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
make -s --no-print-directory build/fault/rollcall >"$T/make.log" 2>&1 ||
    { cat "$T/make.log"; fail "cannot build build/fault/rollcall"; }
FAULT_ERRS="EIO MAP_FULL" ROLLCALL_BIN="$RC" sh tests/fault/fault.sh \
    add edit remove restore checkin void config import_students \
    import_merge import_attendance excuse withdraw checkout close reopen \
    school_days rebuild catchup verify backup compact \
    add_code edit_code pin_set pin_clear erase
