#!/bin/sh
# Runs every test: cmocka unit tests (ASan+UBSan), then the shell suites
# (CLI and TUI, several at once: RC_JOBS) against the sanitized binary.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
# pyenv's shims run several bash scripts per python3 call; the suites call
# python3 for every JSON check, so resolve the real interpreter once.
if [ -z "${RC_PYBIN:-}" ] && command -v python3 >/dev/null 2>&1; then
	RC_PYBIN=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
	if [ -n "$RC_PYBIN" ] && [ -x "$RC_PYBIN" ]; then
		mkdir -p build/pybin
		ln -sf "$RC_PYBIN" build/pybin/python3
		PATH="$PWD/build/pybin:$PATH"
		export PATH RC_PYBIN
	fi
fi
export ROLLCALL_BIN="${ROLLCALL_BIN:-$PWD/build/san/rollcall}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0 fail=0 failed=""
for t in build/san/test_*; do
	[ -x "$t" ] || continue
	if "$t" >"build/$(basename "$t").log" 2>&1; then
		pass=$((pass + 1)); echo "ok   $t"
	else
		fail=$((fail + 1)); failed="$failed $t"; echo "FAIL $t"
		sed 's/^/    /' "build/$(basename "$t").log" | tail -40
	fi
done
# The shell suites, RC_JOBS at a time (default: one per CPU, at most 4):
# each has its own temporary directory, tmux server and database, and
# most of their time is spent waiting on a terminal or a sync.  Each
# suite's outcome is a line in build/suites.out; a failure's log follows.
jobs=${RC_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -gt 4 ] && jobs=4
: >build/suites.out
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] && printf '%s\n' "$t"
done | xargs -P "$jobs" -I{} sh -c '
	t=$1; log="build/$(basename "$t" .sh).log"
	if sh "$t" >"$log" 2>&1; then
		echo "ok   $t" | tee -a build/suites.out
	else
		{ echo "FAIL $t"; sed "s/^/    /" "$log" | tail -40; } >"$log.fail"
		cat "$log.fail"
		echo "FAIL $t" >>build/suites.out
	fi' sh {}
pass=$((pass + $(grep -c '^ok ' build/suites.out)))
fail=$((fail + $(grep -c '^FAIL ' build/suites.out)))
for t in $(sed -n 's/^FAIL //p' build/suites.out); do
	failed="$failed $t"
done
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
