#!/bin/sh
# Day screen: present (arrival, status, points) and absent; Left/Right
# change day, t comes back to today, Enter opens a student.
. tests/lib.sh
. tests/tui/tmux.inc

ROLLCALL_NOW=2025-08-25T08:00:00 add "Amy Adams" amy@example.org
ROLLCALL_NOW=2025-08-25T08:00:00 add "Bob Brown" bob@example.org
add "Cleo Chen" cleo@example.org
expect 0 checkin amy@example.org --at 2025-08-29T08:50:00
expect 0 checkin bob@example.org --at 2025-08-29T09:10:00
expect 0 checkin amy@example.org

tui_start
keys F5
wait_for "Day 2025-09-01, Monday (today)   Present 1   Not in yet 2"
line_with "Amy Adams"
has "08:30:00" "$line"
has "early" "$line"

keys Left
wait_for "Day 2025-08-31, Sunday   Present 0   Absent 0   Not a school day"
not_on_screen "Cleo Chen"
keys Left Left
wait_for "Day 2025-08-29, Friday   Present 2   Absent 0"
line_with "Bob Brown"
has "09:10:00" "$line"
has "late" "$line"
has "-5" "$line"
line_with "Amy Adams"
has "08:50:00" "$line"
has "+5" "$line"
keys Right
wait_for "Day 2025-08-30, Saturday"
keys t
wait_for "Day 2025-09-01, Monday (today)"

# Enter on a row opens that student.
keys Home Down Enter
wait_for "[F4 Student]"
on_screen "<amy@example.org>"

keys F10
tui_ended
expect 0 day 2025-08-29 --format csv
has "Bob Brown,true,09:10:00,late,-5"
echo ok
