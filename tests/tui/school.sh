#!/bin/sh
# The screens of SPEC 6: the Day screen's excused and not excused lists,
# `x` (excuse) and `o` (early departure), a closed day; the Student
# screen's month of marks (letters under NO_COLOR, Left/Right by month);
# the Report screen (F8: presets, sort, bars, chronic flag, Enter opens
# the student, `e` exports CSV, kept reports follow the log); the
# Calendar screen (F9: close, reopen).
. tests/lib.sh
. tests/tui/tmux.inc

# 2025-09-01 is a Monday; today is Monday 2025-09-15.
export ROLLCALL_NOW=2025-09-15T10:00:00
ROLLCALL_NOW=2025-09-01T07:00:00 add "Amy Adams" amy@example.org
ROLLCALL_NOW=2025-09-01T07:00:00 add "Bob Brown" bob@example.org
ROLLCALL_NOW=2025-09-01T07:00:00 add "Cleo Chen" cleo@example.org
for d in 01 02 03 04 05 08 09 10 11 12; do
	expect 0 checkin amy@example.org --at 2025-09-${d}T08:50:00
done
expect 0 checkin bob@example.org --at 2025-09-01T09:20:00
expect 0 checkin amy@example.org --at 2025-09-15T08:40:00
expect 0 excuse cleo@example.org --day 2025-09-12 --reason medical

TUI_ENV="NO_COLOR=1" tui_start 100 30

# Day: excused with the reason, not excused, then excuse and checkout.
keys F5
wait_for "Day 2025-09-15, Monday (today)   Present 1   Not in yet 2"
keys Left Left Left
wait_for "Day 2025-09-12, Friday   Present 1   Absent 2"
on_screen "Excused: 1"
on_screen "Absent, not excused: 1"
line_with "Cleo Chen"
has "medical" "$line"
# choose Bob (the not excused row) and excuse him
keys End
keys x
wait_for "Excuse an absence"
keys C-u
type_text "family"
keys Enter
wait_for "Excused 1 school day"
on_screen "Excused: 2"
on_screen "Absent, not excused: 0"
expect 0 day 2025-09-12 --format json
py json '[(a["name"], a["reason"]) for a in d["absent"]] == [("Bob Brown", "family"), ("Cleo Chen", "medical")]'
# checkout Amy today
keys t
wait_for "Day 2025-09-15, Monday (today)"
keys Home Down
keys o
wait_for "Early departure"
keys C-u
type_text "09:30"
keys Enter
wait_for "Amy Adams left at 09:30:00"
line_with "Amy Adams"
has "left 09:30" "$line"
expect 0 student amy@example.org --format json
py json 'd["attendance"][-1]["left_at"] == "09:30:00"'

# Calendar: close a day, see it, reopen it.
keys F9
wait_for "Calendar September 2025"
on_screen "15 S*"
keys Right
wait_for "tue 2025-09-16: a school day"
keys c
wait_for "Close a day"
type_text "Snow day"
keys Enter
wait_for "Closed 2025-09-16"
wait_for "tue 2025-09-16: closed: Snow day"
on_screen "16 C"
expect 0 calendar --from 2025-09-16 --to 2025-09-16 --format json
py json 'd[0]["closed"] == "Snow day"'
keys r
wait_for "Reopened 2025-09-16"
wait_for "16 S"
keys PageUp
wait_for "Calendar August 2025"
on_screen "30 W"

# Day screen of a closed day says so.
expect 0 close 2025-09-10 --reason "Strike"
keys F5
keys Left Left Left Left Left
wait_for "Day 2025-09-10, Wednesday"
on_screen "Closed: Strike"
expect 0 reopen 2025-09-10

# Student: a month of marks, letters without colour; Left/Right by month.
keys F3
wait_for "Amy Adams"
keys Home Enter
wait_for "<amy@example.org>"
wait_for "September 2025"
on_screen " 1E"
on_screen " 6."
on_screen "10E"
on_screen "16-"
keys Left
wait_for "August 2025"
keys Right
wait_for "September 2025"

# Report: the term so far, sorted, with bars and the chronic flag.
keys F8
wait_for "Report term"
line_with "Cleo Chen"
has "CHRONIC" "$line"
has "0.0%" "$line"
line_with "Amy Adams"
has "100.0%" "$line"
has "##########" "$line"
keys s
wait_for "sorted by rate"
screen
first=$(printf '%s\n' "$scr" | grep -E "Amy Adams|Bob Brown|Cleo Chen" | head -1)
has "Cleo Chen" "$first"
keys w
wait_for "Report this week"
keys m
wait_for "Report this month"
# a new range keeps the rate order; s again is name order, at once
screen
first=$(printf '%s\n' "$scr" | grep -E "Amy Adams|Bob Brown|Cleo Chen" | head -1)
has "Cleo Chen" "$first"
keys s
wait_for "sorted by name"
screen
first=$(printf '%s\n' "$scr" | grep -E "Amy Adams|Bob Brown|Cleo Chen" | head -1)
has "Amy Adams" "$first"
keys s
wait_for "sorted by rate"
keys c
wait_for "Report range"
keys C-u
type_text "2025-09-01"
keys Down C-u
type_text "2025-09-05"
keys Enter
wait_for "Report custom: 2025-09-01 to 2025-09-05"
keys e
wait_for "Export the report"
type_text "$T/report.csv"
keys Enter
wait_for "Wrote 3 rows"
[ -f "$T/report.csv" ] || fail "no CSV written"
head -1 "$T/report.csv" | grep -q '^id,name,code,active,school_days' ||
    fail "CSV header: $(head -1 "$T/report.csv")"
grep -q 'Amy Adams,,true,5,5,' "$T/report.csv" ||
    fail "CSV rows: $(cat "$T/report.csv")"
# an existing file is never overwritten
keys e
wait_for "Export the report"
type_text "$T/report.csv"
keys Enter
wait_for "it exists already"
keys Escape
# Reports are kept while the log stays put (a range again asks nothing),
# never past it: a check-in made elsewhere shows in the term kept before.
keys t
wait_for "Report term"
line_with "Bob Brown"
has "10.0%" "$line"
keys w
wait_for "Report this week"
expect 0 checkin bob@example.org --at 2025-09-02T08:50:00
keys t
wait_for "Report term"
wait_for "20.0%"
line_with "Bob Brown"
has "20.0%" "$line"
# Enter opens the chosen student
keys Home Enter
wait_for "[F4 Student]"

keys F10
tui_ended
echo ok
