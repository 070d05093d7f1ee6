#!/bin/sh
# The frame: welcome on an empty database, header and footer, help from
# the key tables, Tab/Shift-Tab and F2-F9, resizing to 80x24 and back,
# "terminal too small", NO_COLOR, and quitting with Ctrl-Q.
. tests/lib.sh
. tests/tui/tmux.inc

# First run: an empty database says how to begin.
tui_start
wait_for "Welcome to rollcall"
on_screen "F3 then a"
on_screen "assets/sample-roster.csv"
on_screen "[F2 Check-in]"
on_screen "F3 Roster"
on_screen "F7 Status"
on_screen "F1 Help"
on_screen "F10 Quit"
keys F3
wait_for "No students yet."
on_screen "i to import"

# Help lists the keys of this screen (from its table) and everywhere.
keys F1
wait_for "Help: keys of this screen"
on_screen "Remove the chosen student (asks first)"
on_screen "Import students from a CSV file"
on_screen "Everywhere"
on_screen "Quit"
keys Escape
wait_gone "Help: keys"
keys '?'
wait_for "Help: keys of this screen"
keys q
wait_gone "Help: keys"

# Switching screens.
keys Tab
wait_for "[F4 Student]"
keys Tab
wait_for "[F5 Day]"
keys BTab BTab BTab
wait_for "[F2 Check-in]"
keys BTab
wait_for "[F9 Calendar]"
for k in F2:Check-in F3:Roster F4:Student F5:Day F6:Log F7:Status \
    F8:Report F9:Calendar; do
	keys "${k%%:*}"
	wait_for "[${k%%:*} ${k#*:}]"
done

# On Check-in, ? is help only when the search is empty.
keys F2
add "Zoë Martin" zoe@example.org
add "山田太郎" taro@example.org
wait_for "2 of 2" 3
type_text "zo?"
wait_for "0 of 2"
not_on_screen "Help: keys"
keys Escape
wait_for "2 of 2"

# Resize to the minimum, below it, and back.
tm resize-window -t rc -x 80 -y 24
wait_for "F10 Quit"
screen
[ "$(printf '%s\n' "$scr" | wc -l)" -le 24 ] || fail "more than 24 lines"
on_screen "[F2 Check-in]"
on_screen "Zoë Martin"
on_screen "山田太郎"
tm resize-window -t rc -x 60 -y 15
wait_for "terminal too small"
not_on_screen "F10 Quit"
tm resize-window -t rc -x 100 -y 30
wait_for "F10 Quit"
not_on_screen "terminal too small"
on_screen "Zoë Martin"

# Wide names line up: the email column starts at the same column.
# col TEXT: display column where TEXT starts on its line.
col() {
	printf '%s\n' "$scr" | python3 -c '
import sys, unicodedata
t = sys.argv[1]
for l in sys.stdin:
    if t in l:
        p = l[:l.index(t)]
        print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                  for c in p))
        break' "$1"
}
screen
[ "$(col zoe@)" = "$(col taro@)" ] ||
    fail "columns do not line up: $scr"

# Colours by default; none under NO_COLOR.
tm capture-pane -p -e -t rc | grep -q '\[4[0-7]m' || fail "no colours"
keys C-q
tui_ended
TUI_ENV="NO_COLOR=1" tui_start
tm capture-pane -p -e -t rc | grep -q '\[4[0-7]m' && fail "colours under NO_COLOR"
keys F10
tui_ended
echo ok
