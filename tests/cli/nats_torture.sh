#!/bin/sh
# publish and replica killed with SIGKILL at random moments while the
# desk keeps writing and the server restarts now and then: after every
# kill the stream holds a prefix of the log, each event exactly once,
# and the replica verifies (tests/torture/ship.py; `make torture` runs
# it longer).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
python3 tests/torture/ship.py --bin "$RC" --seconds 8 ||
    fail "publish and replica torture"
