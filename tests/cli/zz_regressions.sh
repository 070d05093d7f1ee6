#!/bin/sh
# Product bugs found by the reliability work (issue 4), one case each;
# each fails until the bug it names is fixed.  The fault-injection,
# hostile-environment and fuzz suites hold the others.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

# A check-in voided back to nothing: the incremental projector keeps a
# points record of zeros, and a rebuild must give the same read side.
rebuild_after_void() {
	new_student "Ada Lovelace" ada@example.org
	expect 0 checkin ada@example.org --at 2025-09-01T08:00
	expect 0 void ada@example.org --day 2025-09-01
	expect 0 verify
	expect 0 rebuild
	expect 0 verify
	expect 0 checkin ada@example.org --at 2025-09-01T08:10
	expect 0 rebuild
	expect 0 verify
}

# libcsv ends a row at a bare CR (old Mac line ends), so the rows of
# such a file must be numbered by those lines too, not all "line 1".
csv_cr_line_numbers() {
	printf 'name,email\rGood,good@example.org\rBad,not-an-email\rAlso Bad,\r' >"$T/cr.csv"
	expect 1 import students "$T/cr.csv"
	has "cr.csv:3:" "$err"
	has "cr.csv:4:" "$err"
	hasnt "cr.csv:1:" "$err"
}

# A record's recorded_at is read back from disk as any 64-bit value; the
# formatter must not overflow.  gcc folds the overflowing expression
# away before its UBSan sees it, so this needs clang (skipped without).
utc_extremes() {
	command -v clang >/dev/null 2>&1 ||
	    { echo "utc_extremes: needs clang; skipped" >&2; return 0; }
	cat >"$T/utc.c" <<'C'
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "clock.h"
int main(void)
{
	static const int64_t v[] = { INT64_MIN, INT64_MIN + 1, -1, 0,
	    INT64_MAX };
	char buf[28];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		clock_format_utc(v[i], buf);
		if (strlen(buf) != 27)
			return 1;
	}
	puts("ok");
	return 0;
}
C
	clang -std=c11 -O0 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 -fsanitize=undefined \
	    -fno-sanitize-recover=all -I"$top/include" -o "$T/utc" "$T/utc.c" \
	    "$top/src/clock.c" 2>"$T/cc.err" || fail "cannot build: $(cat "$T/cc.err")"
	"$T/utc" >"$T/utc.out" 2>"$T/utc.err" ||
	    fail "clock_format_utc on extreme instants: $(head -2 "$T/utc.err")"
}

# `import students /dev/stdin` from a pipe: the file is read once.  (It
# was read twice, by the CLI's check and by the command, so a pipe or a
# FIFO looked empty the second time.)
import_from_pipe() {
	printf 'name,email\nAda,ada@example.org\n' |
	    "$RC" import students /dev/stdin >"$T/out" 2>"$T/err"
	status=$?; out=$(cat "$T/out"); err=$(cat "$T/err")
	same "$status" 0 "exit status of an import from a pipe ($err)"
	has "imported 1"
	printf 'student,arrived_at\nada@example.org,2025-09-01T08:00\n' |
	    "$RC" import attendance /dev/stdin >"$T/out" 2>"$T/err"
	same "$?" 0 "exit status of an attendance import from a pipe ($(cat "$T/err"))"
	expect 0 verify
}

# An import must not hold the database's write lock while it waits for
# its input (a FIFO, a terminal, a slow network file): every other desk
# would hang meanwhile.
import_does_not_block_desks() {
	new_student "Ada Lovelace" ada@example.org
	mkfifo "$T/fifo"
	"$RC" import students "$T/fifo" >"$T/imp.out" 2>&1 &
	ipid=$!
	# the first reader of the FIFO gets this, then end of file
	timeout 10 sh -c 'printf "name,email\nBob,bob@example.org\n" >"$1"' sh "$T/fifo" ||
	    fail "the import never opened its file"
	sleep 1
	timeout 10 "$RC" checkin ada@example.org >"$T/out" 2>"$T/err"
	st=$?
	# let the import go, whatever it is waiting for (an empty write;
	# given up after 3 s when nobody reads any more)
	timeout 3 sh -c ': >"$1"' sh "$T/fifo" &
	sleep 0.5
	kill $ipid 2>/dev/null; wait $ipid 2>/dev/null
	[ "$st" -ne 124 ] || fail "a check-in waited 10 s for an import reading a FIFO"
	same "$st" 0 "exit status of a check-in beside an import ($(cat "$T/err"))"
}

tcase rebuild_after_void rebuild_after_void
tcase import_from_pipe import_from_pipe
tcase import_does_not_block_desks import_does_not_block_desks
tcase csv_cr_line_numbers csv_cr_line_numbers
tcase utc_extremes utc_extremes
tdone
