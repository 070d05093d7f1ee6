#!/bin/sh
# Roster screen: add with an invalid email (error beside the field, what
# was typed kept) then a valid one, edit, remove with confirmation,
# import with bad rows then a good file, sorting; quitting with Ctrl-Q.
. tests/lib.sh
. tests/tui/tmux.inc

add "Amy Adams" amy@example.org female
add "Bob Brown" bob@example.org male
expect 0 checkin bob@example.org

tui_start
keys F3
wait_for "Roster: 2 active students"

# Add: an invalid email is refused beside the field, keeping the text.
keys a
wait_for "Add student"
type_text "Zoë Ünal"; keys Tab; type_text "zoe-at-example"; keys Enter
wait_for "! "
line_with "! "
has "email" "$line"
on_screen "zoe-at-example"
on_screen "Zoë Ünal"
expect 0 students --format csv
hasnt "Zoë"
# Fix it: add the missing @ and a gender.
keys C-u; type_text "zoe@example.org"; keys Tab; type_text "Female"; keys Enter
wait_for "Added Zoë Ünal"
wait_for "Roster: 3 active students"
expect 0 students --format csv
has "Zoë Ünal,zoe@example.org,female"

# A duplicate email is refused too (the command decides, as on the CLI).
keys a; type_text "Amy Again"; keys Tab; type_text "AMY@example.org"; keys Enter
wait_for "! "
line_with "! "
has "email" "$line"
keys Escape
wait_gone "Add student"

# Edit the highlighted student (the new one is highlighted).
line_with "zoe@example.org"
keys e
wait_for "Edit student"
keys C-u; type_text "Zoë Ünal-Smith"; keys Enter
wait_for "Saved Zoë Ünal-Smith"
expect 0 student zoe@example.org --format json
has '"name": "Zoë Ünal-Smith"'

# Remove Bob: asks first; n keeps him, y removes.
keys Home Down
keys d
wait_for "Remove Bob Brown <bob@example.org>?"
keys n
wait_gone "Remove Bob Brown <bob"
expect 0 students --format csv
has "Bob Brown"
keys d
wait_for "Remove Bob Brown <bob@example.org>?"
keys y
wait_for "Removed Bob Brown"
wait_for "Roster: 2 active students"
expect 0 students --format csv
hasnt "Bob Brown"
expect 0 students --all --format csv
has "Bob Brown"

# Import: bad rows are listed and nothing is written.
printf 'name,email\nCarl,carl@example.org\nDora,not-an-email\n,x@example.org\n' >"$T/bad.csv"
printf 'name,email,gender\nCarl Cole,carl@example.org,male\n"Dunn, Dora",dora@example.org,\n' >"$T/good.csv"
keys i
wait_for "Import students from CSV"
keys C-u; type_text "$T/bad.csv"; keys Enter
wait_for "Import refused"
on_screen "bad.csv:3:"
on_screen "bad.csv:4:"
keys Escape
expect 0 students --format csv
hasnt "Carl"
keys i; keys C-u; type_text "$T/nonexistent.csv"; keys Enter
wait_for "! "
keys C-u; type_text "$T/good.csv"; keys Enter
wait_for "Imported 2 students"
wait_for "Roster: 4 active students"
expect 0 students --format csv
has "Dunn, Dora"

# Sorting: 3 sorts by points, biggest first; again reverses.
keys 3
wait_for "Points▼"
keys 3
wait_for "Points▲"
keys 1
wait_for "Name▲"

# Enter opens the student.
keys Home Enter
wait_for "[F4 Student]"
on_screen "Amy Adams"

keys C-q
tui_ended
echo ok
