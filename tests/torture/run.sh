#!/bin/sh
# make torture: SIGKILL torture for TORTURE_SECONDS (default 300), then
# eight desks (and a TUI in tmux) for a third of that, with the release
# binary, then publish and replica killed the same way against a real
# nats-server (tests/torture/ship.py) (TORTURE_BIN to change it; build/san/rollcall finds more but
# runs fewer commands).  With TORTURE_GROW_ROWS=N (e.g. 1200000: the
# map starts at 1 GiB), also desks beside an importer of 2 x N students
# that makes the map grow.  Prints kills, acknowledged commands and the
# acknowledged commands found in the log; exits 1 on any failure.
set -u
cd "$(dirname "$0")/../.."
secs=${TORTURE_SECONDS:-300}
bin=${TORTURE_BIN:-./rollcall}
status=0
python3 tests/torture/torture.py kill --bin "$bin" --seconds "$secs" ||
    status=1
python3 tests/torture/torture.py desks --bin "$bin" --desks 8 --tui \
    --seconds $((secs / 3 > 10 ? secs / 3 : 10)) || status=1
python3 tests/torture/ship.py --bin "$bin" \
    --seconds $((secs / 3 > 10 ? secs / 3 : 10)) || status=1
if [ "${TORTURE_GROW_ROWS:-0}" -gt 0 ]; then
	python3 tests/torture/torture.py grow --bin "$bin" --desks 4 --tui \
	    --rows "$TORTURE_GROW_ROWS" || status=1
fi
exit $status
