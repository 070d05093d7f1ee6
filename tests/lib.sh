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

# ---------------------------------------------------------------------
# Helpers for the CLI suites (tests/cli/*.sh).  Appended; the helpers
# above keep their behaviour.

# tcase NAME FUNC: runs FUNC in a subshell with its own database
# $T/NAME, so one failed case does not hide the others.  tdone ends the
# script: it exits 1 when any case failed.
tcases=0 tfailed=0 tfailnames=""
tcase() {
	tcases=$((tcases + 1))
	if (ROLLCALL_DB="$T/$1"; export ROLLCALL_DB; "$2"); then
		echo "ok   $1"
	else
		tfailed=$((tfailed + 1)); tfailnames="$tfailnames $1"
		echo "FAIL $1"
	fi
}
tdone() {
	echo "$((tcases - tfailed)) of $tcases cases passed${tfailnames:+; failed:$tfailnames}"
	[ "$tfailed" -eq 0 ] && exit 0
	exit 1
}

# same GOT WANT WHAT: GOT equals WANT.
same() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', wanted '$2'"
}

# py MODE EXPR: evaluates the Python expression EXPR on $out parsed as
# MODE (json: d is the value; jsonl: d is a list of objects; csv: d is
# a list of dicts, header keys lowercased; text: d is the text); fails
# unless it is true.  pyv MODE EXPR prints the value of EXPR instead.
_py_prog='
import csv, io, json, re, sys
mode, expr, s = sys.argv[1], sys.argv[2], sys.stdin.read()
try:
    if mode == "json":
        d = json.loads(s)
    elif mode == "jsonl":
        d = [json.loads(l) for l in s.split("\n") if l.strip()]
    elif mode == "csv":
        d = [{(k or "").lower().lstrip("\ufeff"): v for k, v in r.items()}
             for r in csv.DictReader(io.StringIO(s, newline=""))]
    else:
        d = s
except Exception as e:
    print("cannot parse output as %s: %s" % (mode, e)); sys.exit(2)
v = eval(expr)
if sys.argv[3] == "value":
    print(v if not isinstance(v, (dict, list, bool)) and v is not None
          else json.dumps(v))
else:
    sys.exit(0 if v else 1)
'
py() {
	printf '%s' "$out" | python3 -c "$_py_prog" "$1" "$2" check \
	    >"$T/py.err" 2>&1 ||
	    fail "check ($1) failed: $2 -- $(cat "$T/py.err") -- output: $out"
}
pyv() {
	printf '%s' "$out" | python3 -c "$_py_prog" "$1" "$2" value 2>"$T/py.err" ||
	    { echo "pyv failed: $2: $(cat "$T/py.err")" >&2; return 1; }
}

# one_err: $err is exactly one line starting "rollcall: ".
one_err() {
	case "$err" in
	"rollcall: "?*) ;;
	*) fail "stderr should be one line starting 'rollcall: ', got: '$err'" ;;
	esac
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
	    fail "stderr should be one line, got: '$err'"
}

# db_digest [DIR]: a digest of every sub-database's contents (or "none").
db_digest() {
	_dd=${1:-$ROLLCALL_DB}
	if [ -f "$_dd/data.mdb" ]; then
		mdb_dump -a "$_dd" 2>&1 | md5sum | cut -d' ' -f1
	else
		echo none
	fi
}

# refuse STATUS CMD...: rollcall exits STATUS (1, 2 or 3) with one error
# line on stderr, and writes nothing to the database.
refuse() {
	_want=$1; shift
	_before=$(db_digest)
	expect "$_want" "$@"
	one_err
	[ "$(db_digest)" = "$_before" ] ||
	    fail "refused 'rollcall $*' changed the database"
}

# new_student NAME EMAIL [GENDER]: registers a student, sets $id.
new_student() {
	if [ $# -ge 3 ]; then
		expect 0 add --name "$1" --email "$2" --gender "$3"
	else
		expect 0 add --name "$1" --email "$2"
	fi
	id=$out
	is_uuid "$id" || fail "add printed '$id', not a lowercase UUID v4"
}

is_uuid() {
	printf '%s\n' "$1" | grep -Eqx \
	    '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
}

# rep STR N: STR repeated N times.
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# head_seq: the head sequence number from status --format json.
head_seq() {
	run status --format json
	[ "$status" -eq 0 ] || fail "status exited $status: $err"
	pyv json 'd["head"]'
}
