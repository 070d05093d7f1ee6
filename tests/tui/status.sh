#!/bin/sh
# Status screen: head, checkpoint, lag, path, students, policy (edited
# here, errors shown beside the field), rebuild and verify.
. tests/lib.sh
. tests/tui/tmux.inc

add "Amy Adams" amy@example.org
add "Bob Brown" bob@example.org
expect 0 checkin amy@example.org
expect 0 remove bob@example.org

tui_start
keys F7
wait_for "[F7 Status]"
on_screen "all 4 events applied   (head 4   checkpoint 4   lag 0)"
on_screen "$ROLLCALL_DB"
on_screen "1 active, 2 registered in all"
on_screen "class starts 09:00, window 5 min, points 5"
on_screen "Projection errors: 0"
on_screen "not published (rollcall publish --to nats://HOST:PORT)"

# Rebuild asks first, then replays the log.
keys r
wait_for "replay the whole log?"
keys y
wait_for "Rebuild done"
on_screen "all 4 events applied   (head 4   checkpoint 4   lag 0)"
expect 0 student amy@example.org --format json
has '"points": 5'

keys v
wait_for "Verify: clean"
expect 0 verify

# Policy: an invalid value is refused beside the field, then fixed.
keys p
wait_for "Points"
keys C-u; type_text "5000"; keys Enter
wait_for "! "
keys C-u; type_text "10"; keys Enter
wait_for "points is now 10"
wait_for "window 5 min, points 10"
keys s; keys C-u; type_text "08:45"; keys Enter
wait_for "class starts 08:45"
keys w; keys C-u; type_text "abc"; keys Enter
wait_for "! "
keys Escape
wait_for "window 5 min"
expect 0 config --format json
has '"points": 10'
has '"start-time": "08:45"'
on_screen "head 6   checkpoint 6"

# An event the projector cannot apply (written behind rollcall's back)
# shows up as a projection error; the desk carries on.
command -v mdb_load >/dev/null 2>&1 || fail "mdb_load (lmdb-utils) is missing"
printf '\\00\\00\\00\\00\\00\\00\\00\\07\ngarbage\n' |
    mdb_load -T -s events "$ROLLCALL_DB" || fail "mdb_load"
wait_for "Projection errors: 1" 3
on_screen "event 7: "
on_screen "head 7   checkpoint 7"
keys v
wait_for "Verify found"
on_screen "event 7"
keys Escape
wait_for "difference"
keys F6
wait_for "cannot be read"
expect 0 status --format json
has '"seq": 7'

keys F10
tui_ended
echo ok
