#!/bin/sh
# The desk's daily backup (SPEC 7): taken the first time it opens on a
# day, beside the desk (check-ins go on), the newest backup-keep kept;
# on quit if none was taken that day; the Status screen says when in
# words, warns when none is recent, and shows a failure.
. tests/lib.sh
. tests/tui/tmux.inc

add "Amy Adams" amy@example.org
bk=$T/backups
expect 0 config backup-dir "$bk"
expect 0 config backup-keep 2

# No directory yet: the backup fails, the desk says so and works on.
export ROLLCALL_NOW=2025-09-01T08:02:00
tui_start
wait_for "does not exist"
keys F7
wait_for "daily backup failed"
on_screen "no backup yet, 0 kept"
keys F2
type_text "amy@example.org"; keys Enter
wait_for "Checked in Amy Adams"
# Quitting with the directory there now: today's is taken then.
mkdir "$bk"
mkdir "$bk/rollcall-2025-08-01T0800" "$bk/keep-me"
keys F10
tui_ended
[ -d "$bk/rollcall-2025-09-01T0802" ] || fail "no backup taken on quit: $(ls "$bk")"
expect 0 --db "$bk/rollcall-2025-09-01T0802" verify
expect 0 status --format json
py json 'd["last_backup"] == "2025-09-01T08:02:00.000000Z" and d["backup_error"] is None'

# The next days: one on opening, the newest two kept, nothing else touched.
for t in 2025-09-02T07:55 2025-09-03T08:10; do
	export ROLLCALL_NOW=$t:00
	tui_start
	name=rollcall-$(echo "$t" | tr -d ':')
	i=0; while [ ! -d "$bk/$name" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	[ -d "$bk/$name" ] || fail "no backup on opening at $t: $(ls "$bk")"
	keys F7
	wait_for "last backup today $(echo "$t" | cut -c12-16), 2 kept"
	keys F10
	tui_ended
done
same "$(ls "$bk" | tr '\n' ' ')" "keep-me rollcall-2025-08-01T0800 rollcall-2025-09-02T0755 rollcall-2025-09-03T0810 " "backups kept"

# Eight days later with the directory gone: a warning on the Status screen.
expect 0 config backup-dir --unset
export ROLLCALL_NOW=2025-09-11T09:00:00
tui_start
keys F7
wait_for "none in the last 7 days"
keys F10
tui_ended
echo "ok"
