#!/bin/sh
# Terminal safety (issue 4): names, emails and reasons holding escape
# sequences, control characters, C1 controls and invalid UTF-8 are put
# straight into the log, as an older build or a hand edit with mdb_load
# could (tests/hostile/rawdb.py), bypassing validation.  Every table,
# every error line and the TUI must show them harmlessly: no raw ESC,
# no other control character, no C1, no invalid UTF-8 reaches the
# terminal.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
raw() { python3 "$top/tests/hostile/rawdb.py" append "$ROLLCALL_DB" "$@"; }

# safe FILE WHAT: FILE has no byte a terminal would act on.
safe() {
	python3 - "$1" "$2" <<'PY' || fail "unsafe bytes in the output of $2"
import re, sys
b = open(sys.argv[1], "rb").read()
bad = re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", b)
try:
    b.decode("utf-8")
    enc = None
except UnicodeDecodeError as e:
    enc = e
if bad or enc:
    at = bad.start() if bad else enc.start
    print("%s: %r at %d in %r" % (sys.argv[2], b[at:at + 1], at,
          b[max(0, at - 30):at + 30]), file=sys.stderr)
    sys.exit(1)
PY
}

# out_safe CMD...: runs rollcall CMD; stdout and stderr must be safe.
out_safe() {
	"$RC" "$@" >"$T/o" 2>"$T/e"
	status=$?
	safe "$T/o" "rollcall $* (stdout)"
	safe "$T/e" "rollcall $* (stderr)"
	out=$(cat "$T/o"); err=$(cat "$T/e")
}

hostile_school() {
	new_student "Plain Person" plain@example.org
	expect 0 checkin plain@example.org
	eve=$(raw register "'Eve\x1b]0;PWNED\x07 \x1b[2J\x1b[H'" "'eve@example.org'") ||
	    fail "rawdb register failed"
	csi=$(raw register "'C1\xc2\x9b31mCSI \x85 \x7f DEL'" "'c1@example.org'")
	ctl=$(raw register "'Ctl\r\b\t\x00Nul'" "'ctl\x1b[31m@example.org'")
	bad=$(raw register "b'Bad\xff\xfe\x1b[2J'" "'bad@example.org'")
	raw update "$eve" "'Eve\x1b[?1049h\x1b]2;TITLE\x07 Renamed'"
	# one valid command catches the read side up to all of it
	expect 0 checkin eve@example.org
	expect 0 checkin c1@example.org --at 2025-09-01T08:00
}

tables() {
	hostile_school
	for c in "students" "students --all" "student eve@example.org" \
	    "student c1@example.org" "student $ctl" "day" "day 2025-09-01" \
	    "events" "status" "config" "verify"; do
		# shellcheck disable=SC2086
		out_safe $c
		[ "$status" -le 1 ] || fail "rollcall $c exited $status: $err"
	done
	out_safe students --all
	has "Renamed"
	has "CSI"
	has 'Eve\x1b'
	# the name that is not UTF-8 is a projection error, shown safely
	out_safe status --format json
	py json '(len(d["errors"]) if isinstance(d["errors"], list) else d["errors"]) >= 1'
	out_safe status
	# error lines quoting hostile names
	out_safe checkin eve@example.org
	same "$status" 1 "exit status of a second check-in"
	one_err
	has "already checked in" "$err"
	out_safe void c1@example.org --day 2025-08-01
	same "$status" 1 "exit status of a void with nothing to void"
	one_err
	out_safe checkin "ctl\\x1b[31m@example.org"
	# what the user typed, echoed back, is escaped too
	out_safe student "$(printf 'no\033[2Jone@example.org')"
	same "$status" 1 "exit status for an unknown student"
	out_safe add --name "$(printf 'Typed\033[2J')" --email typed@example.org
	same "$status" 1 "exit status of add with ESC in the name"
	out_safe import students "$(printf '%s/no\033]0;file.csv' "$T")"
	[ "$status" -eq 1 ] || [ "$status" -eq 3 ] ||
	    fail "import of a missing file exited $status"
	one_err
}

# The desk, under script(1) inside tmux: the raw bytes it sends to the
# terminal must not carry the names' own sequences.
desk() {
	command -v tmux >/dev/null || { echo "desk: no tmux; skipped" >&2; return 0; }
	command -v script >/dev/null || { echo "desk: no script(1); skipped" >&2; return 0; }
	hostile_school
	sock="rct$$"
	tmux -L "$sock" new-session -d -s t -x 120 -y 35 \
	    "env ROLLCALL_DB='$ROLLCALL_DB' ROLLCALL_NOW='$ROLLCALL_NOW' TZ=UTC \
	    LC_ALL=C.UTF-8 TERM=xterm-256color script -qfe -c '$RC' '$T/raw' \
	    2>'$T/tui.err'" || fail "cannot start tmux"
	for k in "" F3 F5 F6 F7 F2; do
		[ -n "$k" ] && tmux -L "$sock" send-keys -t t "$k"
		i=0
		while [ $i -lt 50 ]; do
			scr=$(tmux -L "$sock" capture-pane -p -t t 2>/dev/null)
			case "$scr" in *F10*) break ;; esac
			sleep 0.1; i=$((i + 1))
		done
		sleep 0.3
	done
	scr=$(tmux -L "$sock" capture-pane -p -t t 2>/dev/null)
	tmux -L "$sock" send-keys -t t F10
	sleep 0.5
	tmux -L "$sock" kill-server 2>/dev/null
	[ -s "$T/raw" ] || fail "the desk wrote nothing"
	python3 - "$T/raw" <<'PY' || fail "the desk passed a name's escape sequence to the terminal"
import sys
b = open(sys.argv[1], "rb").read()
for needle in (b"\x1b]0;PWNED", b"\x1b]2;TITLE", b"PWNED\x07", b"\xc2\x9b31m",
               b"\x1b[?1049h\x1b]2", b"\x1b[31m@example", b"\xff\xfe"):
    if needle in b:
        at = b.index(needle)
        print("found %r in %r" % (needle, b[max(0, at - 20):at + 30]), file=sys.stderr)
        sys.exit(1)
if b"PWNED" not in b and b"Renamed" not in b:
    print("the hostile names were never shown", file=sys.stderr)
    sys.exit(1)
PY
}

tcase tables tables
tcase desk desk
tdone
