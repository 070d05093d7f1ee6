#!/bin/sh
# Fuzzing regressions (issue 4): every input that once crashed a fuzz
# harness (tests/fuzz/regress/NAME/) and every seed (tests/fuzz/corpus/
# NAME/) is replayed through the harness's checks, built with gcc's
# ASan and UBSan (no libFuzzer needed: `make fuzz` does the fuzzing).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
names="event csv validate clock cli"
make -s --no-print-directory $(for n in $names; do printf 'build/fuzz/replay_%s ' $n; done) \
    >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "cannot build the replayers"; }
bad=""
for n in $names; do
	for d in tests/fuzz/regress/$n tests/fuzz/corpus/$n; do
		[ -d "$d" ] && [ -n "$(ls "$d")" ] || continue
		# (absolute: the CLI harness works in a directory of its own)
		if build/fuzz/replay_$n "$PWD/$d" >"$T/replay.out" 2>"$T/replay.err"; then
			echo "ok   $d: $(tail -1 "$T/replay.err")"
		else
			echo "FAIL $d"
			grep -v '^    #' "$T/replay.err" | tail -6 | sed 's/^/    /'
			bad="$bad $d"
		fi
	done
done
[ -z "$bad" ] || fail "inputs that fail their harness:$bad"
