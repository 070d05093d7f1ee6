#!/bin/sh
# Export from the desk (issue 16): the Day screen writes the day as CSV
# to a file named in a prompt (default in the home directory); a BOM only
# when asked; user text gets the formula guard; a directory named gets
# one clear message.
. tests/lib.sh
. tests/tui/tmux.inc

add "Ada Lovelace" ada@example.org; ada=$id
add "=SUM(A1)" sum@example.org
add "Zoë Martin" zoe@example.org
expect 0 checkin ada@example.org --at 2025-09-01T08:20
expect 0 checkout ada@example.org --at 2025-09-01T08:25
expect 0 excuse zoe@example.org --day 2025-09-01 --reason medical
expect 0 day 2025-09-01 --format csv
cli_csv=$out
mkdir -p "$T/home"
TUI_ENV="HOME='$T/home'"

tui_start 100 30
keys F5
wait_for "[F5 Day]"
keys w
wait_for "Export the day as CSV"
on_screen "~/rollcall-day-2025-09-01.csv"
keys Enter
wait_for "Wrote 1 present and 2 absent"
f="$T/home/rollcall-day-2025-09-01.csv"
[ -f "$f" ] || fail "no file written"
same "$(stat -c %a "$f")" 600 "mode of the export"
out=$(cat "$f")
case "$out" in "$(printf '\357\273\277')"*) fail "a BOM nobody asked for" ;; esac
py csv 'len(d) == 3 and d[0]["name"] == "Ada Lovelace" and d[0]["present"] == "true" and d[0]["arrived"] == "08:20:00" and d[0]["status"] == "early"'
py csv 'sorted(r["name"] for r in d if r["present"] == "false") == ["'"'"'=SUM(A1)", "Zoë Martin"]'
py csv 'd[0]["id"] == "'"$ada"'"'
# the columns and rows of rollcall day --format csv, excuses and all
# (the screen lists the excused first; the formula row is checked above)
rows() { printf '%s\n' "$1" | grep -v 'SUM(A1)' | sort; }
same "$(rows "$out")" "$(rows "$cli_csv")" "the export against day --format csv"

# A directory: one clear message; then a file with a BOM.
keys w
wait_for "Export the day as CSV"
keys C-u
type_text "$T/home"; keys Enter
wait_for "that is a directory"
keys C-u
type_text "$T/home/day.csv"; keys Down C-u
type_text "yes"; keys Enter
wait_for "Wrote 1 present and 2 absent"
out=$(cat "$T/home/day.csv")
case "$out" in "$(printf '\357\273\277')day,id,name,"*) ;; *) fail "no BOM: $out" ;; esac

keys F10
tui_ended
echo ok
