#!/bin/sh
# Backups (SPEC 7 "Backups", issue 17): backup DEST, the backup settings,
# the daily backup with rotation, status, restoring.  The TUI's daily
# backup is tests/tui/backup.sh; kill -9 is in tests/torture.
. "$(dirname "$0")/../lib.sh"

# mode PATH: the permission bits, e.g. 700.
mode() { stat -c %a "$1"; }

# events_of DIR: the log of the database in DIR as jsonl.
events_of() { "$RC" --db "$1" events --format jsonl; }

# no_tmp DIR: nothing half-written (a *.tmp-* directory) is left in DIR.
no_tmp() {
	_left=$(find "$1" -maxdepth 1 -name '*.tmp-*' | head -3)
	[ -z "$_left" ] || fail "left behind: $_left"
}

seed() {
	ROLLCALL_NOW=2025-08-01T07:00 new_student "Ada Lovelace" ada@example.org
	ROLLCALL_NOW=2025-08-01T07:00 new_student "Grace Hopper" grace@example.org
	expect 0 checkin ada@example.org
}

take_and_open() {
	seed
	expect 0 status --format json
	py json 'd["last_backup"] is None'
	expect 0 backup "$T/b1"
	has "$T/b1"
	has "3 events"
	has "bytes"
	[ -d "$T/b1" ] && [ -f "$T/b1/data.mdb" ] || fail "no backup made"
	same "$(mode "$T/b1")" 700 "backup directory mode"
	same "$(mode "$T/b1/data.mdb")" 600 "backup file mode"
	same "$(ls "$T/b1")" "data.mdb" "what the backup holds"
	no_tmp "$T"
	expect 0 backup "$T/b2" --format json
	py json 'd["events"] == 3 and d["path"] == "'"$T"'/b2" and d["bytes"] > 0'
	# It works as a database: the same log, verified, writable.
	same "$(events_of "$T/b1")" "$(events_of "$ROLLCALL_DB")" "backup's log"
	expect 0 --db "$T/b1" verify
	# what the database keeps outside the read side comes along
	expect 0 status --format json; origin=$(pyv json 'd["origin"]')
	expect 0 --db "$T/b1" status --format json
	py json 'd["origin"] == "'"$origin"'"'
	expect 0 --db "$T/b1" students --format json
	py json 'len(d) == 2'
	expect 0 --db "$T/b1" checkin grace@example.org
	expect 0 status --format json
	py json 'd["last_backup"] == "2025-09-01T08:30:00.000000Z" and d["backup_error"] is None'
	expect 0 status
	has "backup      2025-09-01 08:30, $T/b2"
}

refuse_overwrite() {
	seed
	mkdir "$T/empty"; echo keep >"$T/file"; mkdir "$T/full"; echo x >"$T/full/data.mdb"
	ln -s "$T/nowhere" "$T/dangling"
	for d in empty file full dangling; do
		_was=$(ls -la "$T/$d" 2>&1; cat "$T/$d" "$T/$d/data.mdb" 2>/dev/null)
		refuse 1 backup "$T/$d"
		has "already exists" "$err"
		same "$(ls -la "$T/$d" 2>&1; cat "$T/$d" "$T/$d/data.mdb" 2>/dev/null)" "$_was" "$d after a refused backup"
	done
	[ ! -e "$T/nowhere" ] || fail "followed a dangling symlink"
	no_tmp "$T"
	refuse 1 backup "$T/missing/b"
	has "does not exist" "$err"
	refuse 2 backup
	refuse 2 backup "$T/x" --daily
}

refuse_inside_db() {
	seed
	refuse 1 backup "$ROLLCALL_DB/b"
	has "inside the database directory" "$err"
	mkdir "$ROLLCALL_DB/sub"
	refuse 1 backup "$ROLLCALL_DB/sub/b"
	ln -s "$ROLLCALL_DB" "$T/alias"
	refuse 1 backup "$T/alias/b"
	same "$(ls "$ROLLCALL_DB" | sort | tr '\n' ' ')" "data.mdb lock.mdb sub " "database directory"
	( cd "$ROLLCALL_DB" && "$RC" backup b >/dev/null 2>&1 ); same $? 1 "relative DEST inside"
	[ ! -e "$ROLLCALL_DB/b" ] || fail "backup made inside the database"
}

# A large import in one process, check-ins in another, backups taken
# meanwhile: each backup is a prefix of the final log and verifies.
during_import() {
	seed
	python3 - "$T" <<'EOF'
import sys
t = sys.argv[1]
with open(t + "/big.csv", "w") as f:
    f.write("name,email\n")
    for i in range(30000):
        f.write("Student %05d,s%05d@example.org\n" % (i, i))
EOF
	"$RC" import students "$T/big.csv" >"$T/imp.out" 2>&1 &
	imp=$!
	( for i in 1 2 3 4 5 6; do ROLLCALL_NOW=2025-09-0${i}T08:00 "$RC" checkin grace@example.org >/dev/null 2>&1; done ) &
	ci=$!
	n=0 overlapped=0
	while [ $n -lt 4 ]; do
		n=$((n + 1))
		kill -0 $imp 2>/dev/null && overlapped=1
		expect 0 backup "$T/during$n"
	done
	wait $imp || fail "the import failed: $(cat "$T/imp.out")"
	wait $ci
	[ $overlapped = 1 ] || echo "note: the import ended before a backup began"
	events_of "$ROLLCALL_DB" >"$T/final.jsonl"
	for i in 1 2 3 4; do
		expect 0 --db "$T/during$i" verify
		events_of "$T/during$i" >"$T/b.jsonl"
		lines=$(wc -l <"$T/b.jsonl")
		head -n "$lines" "$T/final.jsonl" | cmp -s - "$T/b.jsonl" ||
		    fail "backup $i is not a prefix of the log"
	done
	expect 0 verify
	no_tmp "$T"
	# With nothing writing, the copy holds every record of every
	# sub-database as it is; at this size it spans several of the
	# copy's write transactions (one a megabyte, src/envcopy.c).
	mdb_dump -a "$ROLLCALL_DB" | grep -v '^mapsize=' >"$T/src.dump"
	expect 0 backup "$T/after"
	mdb_dump -a "$T/after" | grep -v '^mapsize=' | cmp -s - "$T/src.dump" ||
	    fail "the backup's records differ from the database's"
	[ "$(stat -c %s "$T/after/data.mdb")" -gt 4000000 ] ||
	    fail "the database is too small to span several transactions"
}

# A read-only and a full file system (tmpfs mounts; skipped where mount
# is not allowed, e.g. in an unprivileged container).
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null
}

readonly_dest() {
	seed
	if ! mount_tmpfs "$T/ro" ro,size=1m; then
		echo "skip: cannot mount a read-only tmpfs here (not root?)"
		return 0
	fi
	refuse 3 backup "$T/ro/b"
	umount "$T/ro"
	has "read-only file system" "$err"
}

disk_full() {
	seed
	python3 - "$T" <<'EOF'
import sys
with open(sys.argv[1] + "/s.csv", "w") as f:
    f.write("name,email\n")
    for i in range(3000):
        f.write("Student %05d,s%05d@example.org\n" % (i, i))
EOF
	expect 0 import students "$T/s.csv"
	if ! mount_tmpfs "$T/full" size=64k; then
		echo "skip: cannot mount a small tmpfs here (not root?)"
		return 0
	fi
	refuse 3 backup "$T/full/b"
	_left=$(ls -A "$T/full")
	umount "$T/full"
	has "disk full" "$err"
	same "$_left" "" "what a failed backup left on the full disk"
	expect 0 verify
}

# Restoring is copying a backup back (README): it opens and verifies.
restore() {
	seed
	expect 0 backup "$T/b"
	expect 0 checkin grace@example.org
	expect 0 student ada@example.org --format json; before=$out
	# the disaster, then the restore
	rm -rf "$ROLLCALL_DB"
	cp -a "$T/b" "$ROLLCALL_DB"
	expect 0 verify
	expect 0 student ada@example.org --format json
	same "$out" "$before" "a student after the restore"
	expect 0 status --format json
	py json 'd["head"] == 3'
	expect 0 checkin grace@example.org
	expect 0 verify
}

settings() {
	seed
	expect 0 config --format json
	py json 'd["backup-dir"] is None and d["backup-keep"] == 14'
	( cd "$T" && "$RC" config backup-dir rel/dir/ ) >/dev/null || fail "relative backup-dir"
	expect 0 config backup-dir
	same "$out" "$T/rel/dir" "backup-dir made absolute"
	expect 0 config backup-keep 3
	expect 0 config backup-keep
	same "$out" 3 "backup-keep"
	for v in 0 1001 abc -1 ""; do
		refuse 1 config backup-keep "$v"
	done
	refuse 1 config backup-dir ""
	refuse 1 config backup-dir "$ROLLCALL_DB/bk"
	has "inside the database directory" "$err"
	refuse 1 config backup-dir "$(printf '/tmp/a\033b')"
	refuse 2 config backup-dir --unset x
	refuse 2 config --unset
	expect 0 config backup-keep --unset
	expect 0 config backup-keep
	same "$out" 14 "backup-keep after --unset"
	expect 0 config backup-dir --unset
	expect 0 config --format json
	py json 'd["backup-dir"] is None'
	expect 0 events --format jsonl
	py jsonl '[e["data"]["value"] for e in d if e["type"] == "config_changed"] == ["'"$T"'/rel/dir", 3, 14, None] and all(e["version"] >= 3 for e in d if e["type"] == "config_changed")'
	# setting a value in force is no event
	h=$(head_seq)
	expect 0 config backup-keep 14
	same "$(head_seq)" "$h" "head after a no-op"
	expect 0 rebuild
	expect 0 verify
	expect 0 config backup-keep
	same "$out" 14 "backup-keep after a rebuild"
}

# The daily backup: named by date and time, once a day, the newest N
# kept, nothing else touched; failures shown by status until made good.
daily() {
	seed
	refuse 1 backup --daily
	has "backup-dir is not set" "$err"
	expect 0 config backup-dir "$T/bk"
	expect 0 config backup-keep 2
	# a missing directory: one clear line, recorded for status
	expect 3 backup --daily; one_err
	has "does not exist" "$err"
	expect 0 status --format json
	py json '"does not exist" in d["backup_error"] and d["last_backup"] is None'
	expect 0 status
	has "daily fail"
	mkdir "$T/bk"
	# what is not ours, or does not look like a backup, stays
	mkdir "$T/bk/rollcall-2020-01-01T0000" "$T/bk/mine" "$T/bk/rollcall-2020-01-02T0000"
	echo x >"$T/bk/rollcall-2020-01-02T0000/data.mdb"
	echo x >"$T/bk/rollcall-2020-01-02T0000/notes.txt"
	echo x >"$T/bk/rollcall-2020-01-03T0000"
	for t in 2025-09-01T08:31 2025-09-01T16:00 2025-09-02T07:45 2025-09-03T08:05 2025-09-04T09:10; do
		ROLLCALL_NOW=$t expect 0 backup --daily
	done
	same "$(ls "$T/bk" | tr '\n' ' ')" "mine rollcall-2020-01-01T0000 rollcall-2020-01-02T0000 rollcall-2020-01-03T0000 rollcall-2025-09-03T0805 rollcall-2025-09-04T0910 " "backup-dir after four days"
	expect 0 --db "$T/bk/rollcall-2025-09-04T0910" verify
	expect 0 status --format json
	py json 'd["last_backup"] == "2025-09-04T09:10:00.000000Z" and d["backup_error"] is None'
	expect 0 status
	has "2 kept of 2"
	# a second run the same day does nothing
	ROLLCALL_NOW=2025-09-04T17:00 expect 0 backup --daily
	has "already there"
	same "$(ls "$T/bk" | grep -c 2025)" 2 "backups after a second run"
	no_tmp "$T/bk"
}

# A record deleted from a page leaves its bytes in the page's unused space;
# LMDB's compacting copy carries up to 7 of them along (it copies from the
# word below the space's end).  The record, "b" of a sub-database of its
# own, is laid out so that its last 6 bytes are those: the backup must not
# hold them.
stale_bytes_dropped() {
	seed
	_rw() { python3 "$(dirname "$0")/../hostile/rawdb.py" "$@"; }
	_rw put "$ROLLCALL_DB" zz 61 41
	_rw put "$ROLLCALL_DB" zz 62 "$(printf 'padding-paddingZq7#Xw' | od -An -tx1 | tr -d ' \n')"
	_rw del "$ROLLCALL_DB" zz 62
	# a value on overflow pages, in another sub-database (the first one
	# keeps its layout): copied whole
	_rw put "$ROLLCALL_DB" zy 63 "$(head -c 9000 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	grep -aqF 'Zq7#Xw' "$ROLLCALL_DB/data.mdb" || fail "the test lost its record"
	expect 0 backup "$T/stale"
	grep -aqF 'Zq7#Xw' "$T/stale/data.mdb" && fail "a deleted record's bytes in the backup"
	expect 0 --db "$T/stale" verify
	mdb_dump -s zy "$ROLLCALL_DB" | grep -v '^mapsize=' >"$T/zy.src"
	mdb_dump -s zy "$T/stale" | grep -v '^mapsize=' | cmp -s - "$T/zy.src" ||
	    fail "the sub-database's records"
	[ "$(grep -c '^ ' "$T/zy.src")" = 2 ] || fail "the sub-database's records"
}

tcase take_and_open take_and_open
tcase refuse_overwrite refuse_overwrite
tcase refuse_inside_db refuse_inside_db
tcase during_import during_import
tcase readonly_dest readonly_dest
tcase disk_full disk_full
tcase restore restore
tcase settings settings
tcase daily daily
tcase stale_bytes_dropped stale_bytes_dropped
tdone
