#!/bin/sh
# Student screen: details, figures, attendance by day, voiding a day
# (confirmation and reason), the student's own events; F4 from Check-in.
. tests/lib.sh
. tests/tui/tmux.inc

add "Amy Adams" amy@example.org female
add "Bob Brown" bob@example.org
expect 0 checkin amy@example.org --at 2025-08-28T08:50:00
expect 0 checkin amy@example.org --at 2025-08-29T09:07:00
expect 0 checkin amy@example.org
expect 0 checkin bob@example.org

tui_start
keys F3
wait_for "Roster: 2 active students"
keys Home Enter
wait_for "[F4 Student]"
on_screen "<amy@example.org>  female"
on_screen "Points 5   Present 3   Early 2   On time 0   Late 1"
line_with "2025-08-29"
has "09:07:00" "$line"
has "late" "$line"
has "-5" "$line"

# Esc keeps the check-in; v then Enter voids it with a reason.
keys v
wait_for "Void Amy Adams's check-in of 2025-09-01"
keys Escape
wait_gone "Void check-in"
expect 0 student amy@example.org --format json
hasnt '"voided": true'
keys v
wait_for "Void check-in"
type_text "wrong student"; keys Enter
wait_for "Voided the check-in of Amy Adams on 2025-09-01"
line_with "08:30:00"
has "voided" "$line"
wait_for "Points 0   Present 2"
# the void reason shows on the day's row (issue 16)
line_with "08:30:00"
has "voided: wrong student" "$line"
expect 0 student amy@example.org --format json
has '"voided": true'
expect 0 events --format jsonl
has '"reason":"wrong student"'

# Voiding it again says so.
keys v
wait_for "already void"

# The audit trail: this student's events only, from the history index,
# with who did each and how: the void was done here, at the desk.
keys h
wait_for "check-in of 2025-09-01 voided: wrong student  by "
on_screen "registered  by "
on_screen "checked in, late, -5 (2025-08-29 09:07:00)"
on_screen "(tui)"
on_screen "(cli)"
not_on_screen "Bob Brown"
expect 0 history amy@example.org --format json
py json '[h["source"] for h in d] == ["cli", "cli", "cli", "cli", "tui"] and d[-1]["type"] == "attendance_voided"'
py json 'd[-1]["summary"] == "check-in of 2025-09-01 voided: wrong student"'
# A check-in from another desk shows when h is pressed again.
keys h
wait_for "newest first"
ROLLCALL_DESK="Desk 2" expect 0 edit amy@example.org --gender other --as "Mr Other"
keys h
wait_for "gender changed  by Mr Other@Desk 2 (cli)"
keys h
wait_for "newest first"

# F4 on Check-in opens the highlighted student.
keys F2
wait_for "[F2 Check-in]"
type_text "bob"; keys F4
wait_for "<bob@example.org>"
on_screen "Points 5   Present 1"

keys F10
tui_ended
echo ok
