# Shared helpers for the shell test suites.  Source it: . tests/lib.sh
# Each test script runs in a fresh temporary directory with its own
# database and a fixed clock and time zone; it exits non-zero on the
# first failed assertion.
set -u
RC="${ROLLCALL_BIN:-$(pwd)/rollcall}"
T=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export ROLLCALL_DB="$T/db"
export TZ=UTC
export ROLLCALL_NOW="2025-09-01T08:30:00"
unset XDG_DATA_HOME NO_COLOR 2>/dev/null || true

fail() { echo "FAIL: $*" >&2; exit 1; }

# run CMD...: runs rollcall, leaving $out, $err and $status.
run() {
	"$RC" "$@" >"$T/out" 2>"$T/err"
	status=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
}

# expect STATUS CMD...: runs rollcall and checks its exit status.
expect() {
	want=$1; shift
	run "$@"
	[ "$status" -eq "$want" ] ||
	    fail "rollcall $* exited $status, wanted $want; stderr: $err; stdout: $out"
}

# has TEXT [WHERE]: $out (or WHERE) contains TEXT.
has() {
	case "${2-$out}" in *"$1"*) ;; *) fail "missing '$1' in: ${2-$out}" ;; esac
}
hasnt() {
	case "${2-$out}" in *"$1"*) fail "unexpected '$1' in: ${2-$out}" ;; *) ;; esac
}
