#!/bin/sh
# A refusal at the Check-in screen beeps (BEL on the terminal), unless
# the desk was started with --quiet or `config quiet on` is in force;
# a change of the setting takes while the desk is open.
. tests/lib.sh
. tests/tui/tmux.inc

add "Ada Lovelace" ada@example.org

# desk_start [ARGS]: the desk in session "rc", its raw output kept in
# $T/raw.out (BEL bytes and all).
desk_start() {
	rm -f "$T/tui.status"
	tm new-session -d -s rc -x 100 -y 30 \
	    "env ROLLCALL_DB='$ROLLCALL_DB' ROLLCALL_NOW='$ROLLCALL_NOW' \
	    TZ=UTC LC_ALL=C.UTF-8 '$RC' ${1:-} 2>'$T/tui.err'; \
	    echo \$? >'$T/tui.status'" || fail "cannot start tmux"
	: >"$T/raw.out"
	tm pipe-pane -t rc -o "cat >>'$T/raw.out'"
	wait_for "F10 Quit"
}
bells() { sleep 0.3; tr -dc '\007' <"$T/raw.out" | wc -c | tr -d ' '; }
# scan TEXT N: a refused scan, shown as the Nth "Unknown" outcome.
scan() {
	type_text "$1"; keys Enter
	wait_for "$1"
}

desk_start
scan nosuch1
[ "$(bells)" -ge 1 ] || fail "no beep for an unknown card"
keys F10; tui_ended

desk_start --quiet
scan nosuch2
same "$(bells)" 0 "beeps under --quiet"
keys F10; tui_ended

expect 0 config quiet on
desk_start
scan nosuch3
same "$(bells)" 0 "beeps under config quiet on"
# turned off at the command line while the desk is open: beeps again
expect 0 config quiet off
scan nosuch4
[ "$(bells)" -ge 1 ] || fail "no beep after config quiet off"
keys F10; tui_ended
echo ok
