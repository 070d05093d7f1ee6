#!/bin/sh
# The desk as a school clerk meets it (issue 16): a bad scan never
# spoils the next, blank lines check nobody in, the search edits as in a
# shell, the last five outcomes stay listed, and nothing acts blind in a
# terminal too small to show it.
. tests/lib.sh
. tests/tui/tmux.inc

add "Finn Murphy" finn.murphy@example.org; finn=$id
add "Ada Lovelace" ada@example.org; ada=$id
add "Grace Hopper" grace@example.org
add "Alan Turing" alan@example.org

tui_start 100 30
wait_for "Present 0 / 4"

# An unknown code, then a real card: the second scan is not spoiled.
type_text "S9999"; keys Enter
wait_for 'No student matches "S9999"'
line_with "Search:"
hasnt "S9999" "$line"
type_text "finn.murphy@example.org"; keys Enter
wait_for "Checked in Finn Murphy at 08:30"
not_on_screen "S9999finn"
wait_for "Present 1 / 4"

# Blank lines from a reader (CR, LF) check nobody in, whoever is chosen.
keys Enter; keys C-m; keys C-j
sleep 0.5
on_screen "Present 1 / 4"
# A reader's trailing Tab ends the line too, and stays on this screen.
type_text "ada@example.org"; keys Tab
wait_for "Checked in Ada Lovelace at 08:30"
on_screen "[F2 Check-in]"
wait_for "Present 2 / 4"

# Line editing: a typo in the middle is fixed with Left and Backspace.
type_text "grxace@example.org"
keys Left Left Left Left Left Left Left Left Left Left Left Left Left Left Left
keys BSpace
wait_for "1 of 4"
keys Home Delete
type_text "g"; keys End
keys Enter
wait_for "Checked in Grace Hopper at 08:30"
# C-u kills the line before the cursor, C-k after it.
type_text "alanXX"; keys Left Left C-k
line_with "Search:"
has "alan" "$line"; hasnt "alanXX" "$line"
keys C-u
line_with "Search:"
hasnt "alan" "$line"

# The last outcomes are listed, newest first.
screen
printf '%s\n' "$scr" | grep -E 'Checked in|No student matches' >"$T/outcomes"
same "$(sed -n 1p "$T/outcomes" | grep -c 'Grace Hopper')" 1 "newest outcome first"
same "$(sed -n 4p "$T/outcomes" | grep -c 'S9999')" 1 "oldest outcome last"
type_text "ada@example.org"; keys Enter
wait_for "Refused: Ada Lovelace already checked in"

# The search does not outlive the screen: F4 with no match opens nobody.
type_text "zzz"
wait_for "0 of 4"
keys F3; wait_for "[F3 Roster]"
keys F2; wait_for "[F2 Check-in]"
wait_for "4 of 4"
type_text "nobody-matches"; wait_for "0 of 4"
keys F4
wait_for "No student is chosen"
on_screen "[F2 Check-in]"

# Too small: keys other than quit and resize do nothing, and a dialog
# that was open waits, unanswered, until it can be seen.
keys Escape F3
wait_for "[F3 Roster]"
tm resize-window -t rc -x 60 -y 20
wait_for "terminal too small"
keys d; keys y
tm resize-window -t rc -x 100 -y 30
wait_gone "terminal too small"
not_on_screen "y yes"
expect 0 students --format json
py json 'len(d) == 4'
keys d
wait_for "y yes"
tm resize-window -t rc -x 60 -y 20
wait_for "terminal too small"
keys y; keys Enter
tm resize-window -t rc -x 100 -y 30
wait_for "y yes"
expect 0 students --format json
py json 'len(d) == 4'
keys n
wait_gone "y yes"

# The Log names the student, filters by student or type, and Enter
# shows the whole event.
keys F6
wait_for "[F6 Log]"
wait_for "checked in Finn Murphy, early, +5"
not_on_screen '{"'
keys f
wait_for "Filter the log"
type_text "grace"; keys Enter
wait_for 'filter "grace": 2 matches'
not_on_screen "Finn Murphy"
on_screen "registered Grace Hopper <grace@example.org>"
keys Enter
wait_for '"type": "attendance_recorded"'
on_screen "Event 7"
on_screen "checked in Grace Hopper, early, +5"
keys Escape
wait_gone '"type":'
keys Escape
wait_for "checked in Finn Murphy"

keys F10
tui_ended
expect 0 day 2025-09-01 --format json
py json 'sorted(p["name"] for p in d["present"]) == ["Ada Lovelace", "Finn Murphy", "Grace Hopper"]'
echo ok
