#!/bin/sh
# Log screen: newest last, PgUp/PgDn/Home/End; events appended by a
# second process show up within a second or two, on the Log and on the
# Check-in screen.
. tests/lib.sh
. tests/tui/tmux.inc

{
	echo "name,email"
	i=1
	while [ "$i" -le 60 ]; do
		printf 'Student %02d,s%02d@example.org\n' "$i" "$i"
		i=$((i + 1))
	done
} >"$T/roster.csv"
expect 0 import students "$T/roster.csv"
expect 0 checkin s01@example.org
expect 0 checkin s02@example.org --at 2025-09-01T08:10:00

tui_start
keys F6
wait_for "Event log: 62 events"
on_screen "(following new events)"
line_with "      62  "
has "attendance_recorded" "$line"
# a summary for people that names the student, not raw JSON
has "checked in Student 02, early, +5, at 08:10:00" "$line"
hasnt "{" "$line"
not_on_screen "       1  2025"

keys Home
wait_for "showing 1-25"
line_with "       1  2025-09-01 08:30:00  student_registered"
has 'registered Student 01 <s01@example.org>' "$line"
not_on_screen "(following"
keys Right Right
line_with "       2  "
hasnt "student_registered" "$line"
keys Left Left
wait_for "       2  2025-09-01 08:30:00  student_registered"
keys PageDown
wait_for "showing 26-50"
not_on_screen "(following"
keys PageDown
wait_for "showing 38-62   (following new events)"
keys PageUp PageUp
wait_for "showing 1-25"
keys Down Down Down Down Down Down Down Down Down Down Down Down Down \
    Down Down Down Down Down Down Down Down Down Down Down Down
wait_for "showing 2-26"
keys End
wait_for "showing 38-62"

# A second desk (here: the CLI) appends; we follow.
expect 0 add --name "Late Comer" --email late@example.org
wait_for "Event log: 63 events" 3
line_with "      63  "
has "Late Comer" "$line"

# ...and the Check-in screen sees its check-ins.
keys F2
wait_for "Present 2 / 61"
expect 0 checkin s03@example.org
wait_for "Present 3 / 61" 3
line_with "s03@example.org"
has "early" "$line"

keys F10
tui_ended
echo ok
