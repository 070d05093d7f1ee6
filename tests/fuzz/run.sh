#!/bin/sh
# Runs each libFuzzer harness for FUZZ_SECONDS (default 60), starting
# from its seed corpus (tests/fuzz/corpus/NAME) and the inputs found by
# earlier runs (build/fuzz/work/NAME), then replays the regression
# inputs.  Prints executions and crashes per harness and in all; a crash
# leaves its input in build/fuzz/crash/NAME-* (copy it into
# tests/fuzz/regress/NAME/ once the bug is fixed) and fails the run.
#
# usage: sh tests/fuzz/run.sh [NAME...]    (default: every harness)
set -u
cd "$(dirname "$0")/../.."
top=$PWD	# the CLI harness changes directory: absolute paths
secs=${FUZZ_SECONDS:-60}
names=${*:-event csv validate clock cli}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
total_execs=0 total_crashes=0 summary=""
for n in $names; do
	bin=build/fuzz/fuzz_$n
	[ -x "$bin" ] || { echo "fuzz: $bin is not built" >&2; exit 1; }
	work=$top/build/fuzz/work/$n
	mkdir -p "$work"
	mkdir -p build/fuzz/crash
	before=$(ls build/fuzz/crash | grep -c "^$n-")
	extra=""
	[ -f tests/fuzz/$n.dict ] && extra="-dict=$top/tests/fuzz/$n.dict"
	# The CLI harness prints a lot: close its stdout and stderr.
	[ "$n" = cli ] && extra="$extra -close_fd_mask=3"
	log=build/fuzz/$n.log
	echo "fuzz: $n for ${secs}s ..."
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
	    -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix="$top/build/fuzz/crash/$n-" $extra \
	    "$work" "$top/tests/fuzz/corpus/$n" \
	    >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -1)
	execs=${execs:-0}
	after=$(ls build/fuzz/crash | grep -c "^$n-")
	crashes=$((after - before))
	if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
		crashes=1
		echo "fuzz: $n exited $rc without an artifact; see $log" >&2
	fi
	[ "$crashes" -gt 0 ] && tail -40 "$log" | sed 's/^/    /'
	echo "fuzz: $n: $execs executions, $crashes crashes" \
	    "($(ls "$work" | wc -l) inputs in corpus)"
	summary="$summary $n=$execs"
	total_execs=$((total_execs + execs))
	total_crashes=$((total_crashes + crashes))
done
# The regression inputs of every harness must still pass.
regress_bad=""
for n in $names; do
	[ -x build/fuzz/replay_$n ] || continue
	[ -n "$(ls tests/fuzz/regress/$n 2>/dev/null)" ] || continue
	if ! build/fuzz/replay_$n "$top/tests/fuzz/regress/$n" \
	    2>build/fuzz/replay_$n.log; then
		regress_bad="$regress_bad $n"
		echo "fuzz: a regression input of $n fails (a known bug not yet" \
		    "fixed?):" >&2
		grep -v '^    #' build/fuzz/replay_$n.log | tail -5 >&2
	fi
done
echo "fuzz:$summary"
echo "fuzz: $total_execs executions, $total_crashes crashes" \
    "${regress_bad:+; regression inputs failing:$regress_bad}"
[ "$total_crashes" -eq 0 ] && [ -z "$regress_bad" ]
