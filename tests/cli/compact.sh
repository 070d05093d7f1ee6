#!/bin/sh
# compact (SPEC 7): the smallest file with the same data, written beside
# the database and renamed over it; refused while another process has
# the database open (every process holds a shared flock on lock.mdb).
. "$(dirname "$0")/../lib.sh"

same_data_smaller() {
	new_student "Ana Ng" ana@example.org female
	a=$id
	i=0
	while [ $i -lt 30 ]; do
		expect 0 add --name "Filler $i" --email "f$i@example.org"
		i=$((i + 1))
	done
	expect 0 checkin "$a" --at 2025-08-29T08:50:00
	expect 0 edit "$a" --name "Ana Ngô"
	expect 0 rebuild
	expect 0 students --all --format json
	before=$out
	expect 0 events --format jsonl
	ev_before=$out
	expect 0 status --format json
	origin=$(pyv json 'd["origin"]')
	size0=$(stat -c %s "$ROLLCALL_DB/data.mdb")
	expect 0 compact --format json
	py json 'd["db_bytes"] <= d["db_bytes_before"]'
	size1=$(stat -c %s "$ROLLCALL_DB/data.mdb")
	[ "$size1" -le "$size0" ] || fail "compact grew the file: $size0 -> $size1"
	[ ! -e "$ROLLCALL_DB/data.mdb.compact" ] || fail "compact left its copy"
	[ "$(stat -c %a "$ROLLCALL_DB/data.mdb")" = 600 ] || fail "mode"
	expect 0 students --all --format json
	same "$out" "$before" "students after compact"
	expect 0 events --format jsonl
	same "$out" "$ev_before" "events after compact"
	expect 0 status --format json
	py json 'd["origin"] == "'"$origin"'" and d["head"] == d["checkpoint"]'
	expect 0 verify
	expect 0 history "$a" --format json
	py json 'len(d) == 3'
	# it goes on working, and compacts again
	expect 0 checkin "$a"
	expect 0 compact
	expect 0 verify
}

refused_while_open() {
	new_student "Ana Ng" ana@example.org
	"$RC" events --follow >/dev/null 2>&1 &
	follower=$!
	sleep 1
	before=$(cksum <"$ROLLCALL_DB/data.mdb")
	expect 1 compact
	one_err
	has "open in another" "$err"
	kill "$follower"
	wait "$follower" 2>/dev/null
	[ "$(cksum <"$ROLLCALL_DB/data.mdb")" = "$before" ] || fail "changed"
	expect 0 compact
	expect 0 verify
}

leftover_of_a_killed_compact() {
	new_student "Ana Ng" ana@example.org
	printf 'garbage' >"$ROLLCALL_DB/data.mdb.compact"
	expect 0 compact
	[ ! -e "$ROLLCALL_DB/data.mdb.compact" ] || fail "leftover stays"
	expect 0 verify
}

# A full disk: the copy fails, the old file stays, exit 3 "disk full"
# (a small tmpfs; skipped where mount is not allowed).
disk_full() {
	mkdir -p "$T/full"
	if ! mount -t tmpfs -o size=2m tmpfs "$T/full" 2>/dev/null; then
		echo "skip: cannot mount a small tmpfs here (not root?)"
		return 0
	fi
	ROLLCALL_DB=$T/full/db
	python3 - "$T" <<'EOF2'
import sys
with open(sys.argv[1] + "/s.csv", "w") as f:
    f.write("name,email\n")
    for i in range(2000):
        f.write("Student %05d,s%05d@example.org\n" % (i, i))
EOF2
	expect 0 import students "$T/s.csv"
	dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null
	before=$(cksum <"$ROLLCALL_DB/data.mdb")
	refuse 3 compact
	has "disk full" "$err"
	_left=$(ls -A "$ROLLCALL_DB")
	_same=$(cksum <"$ROLLCALL_DB/data.mdb")
	rm -f "$T/full/filler"
	expect 0 verify
	umount "$T/full"
	same "$_same" "$before" "data.mdb after a compact on a full disk"
	same "$_left" "data.mdb
lock.mdb" "what the failed compact left"
}

tcase same_data_smaller same_data_smaller
tcase refused_while_open refused_while_open
tcase leftover_of_a_killed_compact leftover_of_a_killed_compact
tcase disk_full disk_full
tdone
