#!/bin/sh
# Runs every test: cmocka unit tests (ASan+UBSan), then the shell suites
# (CLI and TUI) against the sanitized binary.  Prints "N passed, N failed".
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
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	log="build/$(basename "$t" .sh).log"
	if sh "$t" >"$log" 2>&1; then
		pass=$((pass + 1)); echo "ok   $t"
	else
		fail=$((fail + 1)); failed="$failed $t"; echo "FAIL $t"
		sed 's/^/    /' "$log" | tail -40
	fi
done
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
