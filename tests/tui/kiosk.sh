#!/bin/sh
# The kiosk (SPEC 8): a card scan or a typed code checks a student in
# once, with a greeting that clears; unknown codes and students already
# in get their own messages; Ctrl-C, Ctrl-Z and Ctrl-\ do nothing; five
# wrong PINs lock PIN entry; the right PIN opens the desk, which falls
# back to the kiosk when idle (shortened by the test-only variables);
# F10 and the right PIN quit.  Events carry source "kiosk".
. tests/lib.sh
. tests/tui/tmux.inc
export ROLLCALL_NOW=2025-09-01T08:50:00

expect 0 add --name "Ada Lovelace" --code S-0001
expect 0 add --name "Bo Lind" --email bo@example.org --code B2
expect 0 add --name "Cy Young" --email cy@example.org

# pin_tty: `rollcall ARGS` on a terminal in session "pin"; its output
# goes to $T/pin.out, its exit status to $T/pin.status.
pin_tty() {
	rm -f "$T/pin.status"
	tm new-session -d -s pin -x 80 -y 24 "env ROLLCALL_DB='$ROLLCALL_DB' \
	    LC_ALL=C.UTF-8 '$RC' $* 2>&1 | tee '$T/pin.out'; \
	    echo \$? >'$T/pin.status'; sleep 30" || fail "cannot start tmux"
}
pin_screen() { scr=$(tm capture-pane -p -t pin 2>/dev/null); }
pin_wait() {
	i=0
	while [ "$i" -lt 200 ]; do
		pin_screen
		case "$scr" in *"$1"*) return 0 ;; esac
		sleep 0.1; i=$((i + 1))
	done
	fail "'$1' not on the pin terminal: $scr"
}

# On a terminal the PIN is asked twice, never echoed; two different
# entries are refused and nothing is written.
refuse 1 kiosk
before=$(db_digest)
pin_tty pin set
pin_wait "New admin PIN:"
tm send-keys -t pin -l 1357; tm send-keys -t pin Enter
pin_wait "Same PIN again:"
tm send-keys -t pin -l 1358; tm send-keys -t pin Enter
pin_wait "the two PINs differ"
hasnt "1357" "$scr"
same "$(db_digest)" "$before" "database after two different PINs"
tm kill-session -t pin
pin_tty pin set
pin_wait "New admin PIN:"
tm send-keys -t pin -l 2468; tm send-keys -t pin Enter
pin_wait "Same PIN again:"
tm send-keys -t pin -l 2468; tm send-keys -t pin Enter
pin_wait "admin PIN set"
hasnt "2468" "$scr"
tm kill-session -t pin

# kiosk_start COLS ROWS [ARGS]: the kiosk in session "rc"; what it
# writes to the terminal is also kept raw in $T/raw.out (bells and all).
kiosk_start() {
	rm -f "$T/tui.status"
	tm new-session -d -s rc -x "${1:-80}" -y "${2:-24}" \
	    "env ROLLCALL_DB='$ROLLCALL_DB' ROLLCALL_NOW='$ROLLCALL_NOW' \
	    TZ=UTC LC_ALL=C.UTF-8 ROLLCALL_TEST_KIOSK_IDLE_MS=2500 \
	    ROLLCALL_TEST_KIOSK_LOCK_MS=3000 ROLLCALL_TEST_KIOSK_GREET_MS=2500 \
	    ${TUI_ENV:-} '$RC' kiosk ${3:-} 2>'$T/tui.err'; \
	    echo \$? >'$T/tui.status'" || fail "cannot start tmux"
	: >"$T/raw.out"
	tm pipe-pane -t rc -o "cat >>'$T/raw.out'"
	wait_for "Scan your card"
}
# bells: how many BEL bytes the kiosk has sent so far.
bells() { sleep 0.3; tr -dc '\007' <"$T/raw.out" | wc -c | tr -d ' '; }

kiosk_start 80 24
not_on_screen "Cy Young"	# never the roster
not_on_screen "bo@example.org"

# A scanner: the code, fast, with a trailing CR.
type_text "s-0001"; keys C-m
wait_for "Ada Lovelace"
on_screen "Welcome"
on_screen "points"
# The greeting clears by itself.
wait_gone "Ada Lovelace" 8

# The same student again: already in, distinct from unknown.
type_text "S-0001"; keys Enter
wait_for "Already in"
on_screen "already checked in today"
on_screen "Ada Lovelace"

# An unknown code.
type_text "NOPE-9"; keys Enter
wait_for "Not recognised"
hasnt "Already in" "$scr"
[ "$(bells)" -ge 2 ] || fail "no beep for already in and unknown"

# A typed code ending in Tab, then a stray Enter: one check-in.
type_text "b2"; keys Tab Enter
wait_for "Bo Lind"
# A name is not a key: no search by name.
type_text "Cy"; keys Enter
wait_for "Not recognised"
not_on_screen "Cy Young"
# An email works too.
type_text "cy@example.org"; keys Enter
wait_for "Cy Young"

# Ctrl-C, Ctrl-Z and Ctrl-\ do not stop it.
keys C-c; keys C-z; keys 'C-\'
sleep 0.5
tm has-session -t rc 2>/dev/null || fail "the kiosk stopped on a control key"
on_screen "Scan your card"

# Five wrong PINs lock PIN entry.
keys F2
wait_for "Admin PIN to open the desk"
for p in 1111 2222 3333 4444; do
	type_text "$p"; keys Enter
	wait_for "Wrong PIN"
	not_on_screen "$p"	# no echo
	wait_gone "Checking" 20
done
type_text 5555; keys Enter
wait_for "locked for" 20
# While locked, even the right PIN is not taken.
type_text 2468; keys Enter
sleep 0.3
on_screen "locked for"
wait_gone "locked for" 10
# The right PIN opens the whole desk.
type_text 2468; keys Enter
wait_for "F10 Quit" 20
on_screen "Check-in"
keys F3
wait_for "Cy Young"	# the roster, for the admin
# Idle: back to the kiosk.
wait_for "Scan your card" 10
not_on_screen "Cy Young"

# Resizing keeps working; a big terminal gets the bigger layout.
tm resize-window -t rc -x 140 -y 40 2>/dev/null
wait_for "Scan your card"
type_text "b2"; keys Enter
wait_for "Already in"

# F10 asks for the PIN; Esc cancels; the right PIN quits.
keys F10
wait_for "Admin PIN to quit the kiosk"
keys Escape
wait_gone "Admin PIN"
keys F10
wait_for "Admin PIN to quit"
type_text 2468; keys Enter
tui_ended

# --quiet: the same refusals, and never a beep.
kiosk_start 80 24 --quiet
type_text "NOPE-9"; keys Enter
wait_for "Not recognised"
type_text "s-0001"; keys Enter
wait_for "Already in"
same "$(bells)" 0 "beeps under --quiet"
keys F10
wait_for "Admin PIN to quit"
type_text 2468; keys Enter
tui_ended

# Exactly one check-in each, written from the kiosk; no PIN hash shown.
expect 0 day --format json
py json 'sorted(p["name"] for p in d["present"]) == ["Ada Lovelace", "Bo Lind", "Cy Young"]'
expect 0 events --format jsonl
py jsonl '[e["source"] for e in d if e["type"] == "attendance_recorded"] == ["kiosk"] * 3'
hasnt "argon2id" "$out"
echo "ok kiosk"
