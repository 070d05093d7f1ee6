#!/bin/sh
# Crash torture and several desks, short (issue 4; `make torture` runs
# them for minutes).  Mixed commands killed with SIGKILL at random
# moments: after every kill the database opens, is caught up and
# verifies; every acknowledged command is in the log exactly once, a
# killed one at most once, a killed import all or nothing.  Then eight
# desks race on one database: one valid check-in per student and day,
# unique active emails, every acknowledged change in the log once, and
# a TUI open meanwhile shows the final head.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
python3 tests/torture/torture.py kill --bin "$RC" --seconds 15 ||
    fail "kill torture"
python3 tests/torture/torture.py desks --bin "$RC" --desks 8 --seconds 8 --tui ||
    fail "eight desks"
