#!/bin/sh
# Fault injection on reads (issue 4): every LMDB read that the queries
# (students, student, day, events, status, verify) and config make fails
# in turn with EIO.  Each must exit 3 with one "rollcall: " line and
# change nothing; none may print a partial answer and exit 0.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
make -s --no-print-directory build/fault/rollcall >"$T/make.log" 2>&1 ||
    { cat "$T/make.log"; fail "cannot build build/fault/rollcall"; }
FAULT_ERRS="r:EIO" ROLLCALL_BIN="$RC" sh tests/fault/fault.sh \
    students student day events status config verify
