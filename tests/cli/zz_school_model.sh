#!/bin/sh
# The report against a plain recomputation from the log (SPEC 6) over
# random histories, three seeds.  Runs the optimised binary: the
# histories take a few hundred commands, and the sanitized build runs
# the same code in tests/cli/school.sh.  The databases live on tmpfs
# when there is one, as fsync is not what is tested here.
. "$(dirname "$0")/../lib.sh"
bin=$(pwd)/rollcall
[ -x "$bin" ] || bin=$RC
work=$T
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	work=$(mktemp -d /dev/shm/rollcall-model.XXXXXX)
	trap 'rm -rf "$T" "$work"' EXIT
fi
python3 "$(dirname "$0")/school_model.py" "$bin" "$work" 1 2 3
