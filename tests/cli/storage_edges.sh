#!/bin/sh
# Storage edge cases (SPEC 2, issue 14): a refused or read-only command
# leaves no directory and no file; an empty, truncated or foreign data
# file is a storage error naming the file and is left alone; a relative
# XDG_DATA_HOME is ignored; a full disk says "disk full", writes nothing
# and the database still verifies.
. "$(dirname "$0")/../lib.sh"
MNT=""
trap '[ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"' EXIT

# nothing_at PATH WHAT: PATH does not exist.
nothing_at() {
	[ ! -e "$1" ] || fail "$2 left $(find "$1" | tr '\n' ' ')"
}

no_trace() {
	mkdir "$T/new"; db="$T/new/db"
	for q in students "students --all --format json" "students --format csv" \
	    status "status --format json" events "events --format jsonl" day \
	    "day 2025-09-01 --format json" config verify rebuild \
	    "student nobody@example.org" compact report calendar \
	    "history nobody@example.org" "backup $T/new-backup"; do
		# shellcheck disable=SC2086
		run --db "$db" $q
		case $status in 0|1) ;; *) fail "$q on a new database: exit $status; $err" ;; esac
		nothing_at "$db" "read-only '$q'"
	done
	expect 0 --db "$db" students --format json
	same "$out" "[]" "students of a database not made yet"
	expect 0 --db "$db" status --format json
	py json 'd["head"] == 0 and d["students"] == 0 and d["db_bytes"] == 0'
	printf 'name,email\nAda,ada@example.org\nBad,not-an-email\n' >"$T/bad.csv"
	for w in "checkin nobody@example.org" "void nobody@example.org" \
	    "edit nobody@example.org --name X" "remove nobody@example.org" \
	    "add --name Ada --email not-an-email" "config points 5000" \
	    "import students $T/bad.csv" "import attendance $T/bad.csv" \
	    "restore nobody@example.org" "reopen 2025-09-01" \
	    "excuse nobody@example.org --day 2025-09-01 --reason illness"; do
		# shellcheck disable=SC2086
		run --db "$db" $w
		[ "$status" -ne 0 ] || fail "'$w' on a new database succeeded"
		one_err
		nothing_at "$db" "refused '$w'"
	done
	# the default place, too (its parents are created only on a write)
	env -u ROLLCALL_DB XDG_DATA_HOME="$T/xdg" "$RC" students >/dev/null 2>&1 ||
	    fail "students at the default place failed"
	env -u ROLLCALL_DB XDG_DATA_HOME="$T/xdg" "$RC" checkin x@example.org \
	    >/dev/null 2>&1 && fail "checkin of nobody succeeded"
	nothing_at "$T/xdg" "a read and a refusal at the default place"
	# the first successful write creates it, 0700 and 0600
	expect 0 --db "$db" add --name Ada --email ada@example.org
	same "$(stat -c %a "$db")" 700 "mode of the new database directory"
	for f in "$db"/*; do
		same "$(stat -c %a "$f")" 600 "mode of $f"
	done
	same "$(ls -A "$db" | tr '\n' ' ')" "data.mdb lock.mdb " "files of a new database"
	expect 0 --db "$db" verify
	expect 0 --db "$db" students --format json
	py json 'len(d) == 1 and d[0]["name"] == "Ada"'
}

# Two processes, each opening a database not made yet, both write.
two_first_writers() {
	db="$T/race"
	i=0
	while [ $i -lt 8 ]; do
		"$RC" --db "$db" add --name "S$i" --email "s$i@example.org" \
		    >/dev/null 2>>"$T/race.err" &
		i=$((i + 1))
	done
	wait
	[ -s "$T/race.err" ] && fail "concurrent first writes: $(cat "$T/race.err")"
	expect 0 --db "$db" students --format json
	py json 'len(d) == 8'
	expect 0 --db "$db" verify
	[ -z "$(find "$db" -name '.new*')" ] || fail "left a half-made database behind"
}

# bad_file WHAT: every command on $ROLLCALL_DB exits 3 naming data.mdb
# and leaves the file as it was.
bad_file() {
	sum=$(md5sum <"$ROLLCALL_DB/data.mdb")
	for c in students status verify rebuild events \
	    "add --name X --email x@example.org"; do
		# shellcheck disable=SC2086
		run $c
		same "$status" 3 "exit status of '$c' on $1"
		one_err
		has "$ROLLCALL_DB/data.mdb" "$err"
	done
	same "$(md5sum <"$ROLLCALL_DB/data.mdb")" "$sum" "$1 (must be left alone)"
}

empty_file() {
	mkdir -m 700 "$ROLLCALL_DB"
	: >"$ROLLCALL_DB/data.mdb"
	bad_file "an empty data.mdb"
	has "empty" "$err"
	[ ! -s "$ROLLCALL_DB/data.mdb" ] || fail "the empty data.mdb was written to"
}

truncated_file() {
	new_student "Ada Lovelace" ada@example.org
	size=$(stat -c %s "$ROLLCALL_DB/data.mdb")
	truncate -s $((size - 4096)) "$ROLLCALL_DB/data.mdb"
	bad_file "a truncated data.mdb"
	has "truncated" "$err"
}

foreign_file() {
	mkdir -m 700 "$ROLLCALL_DB"
	printf 'VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\n 6b6579\n 76616c\nDATA=END\n' |
	    mdb_load -s other "$ROLLCALL_DB" || fail "mdb_load failed"
	bad_file "another program's LMDB file"
	has "not a rollcall database" "$err"
	head -c 65536 /dev/urandom >"$ROLLCALL_DB/data.mdb"
	bad_file "a data.mdb of random bytes"
}

relative_xdg() {
	mkdir "$T/cwd" "$T/home"
	(cd "$T/cwd" && env -u ROLLCALL_DB XDG_DATA_HOME=rel HOME="$T/home" \
	    "$RC" add --name Ada --email ada@example.org >/dev/null 2>"$T/err") ||
	    fail "add with a relative XDG_DATA_HOME: $(cat "$T/err")"
	nothing_at "$T/cwd/rel" "a relative XDG_DATA_HOME"
	[ -f "$T/home/.local/share/rollcall/data.mdb" ] ||
	    fail "a relative XDG_DATA_HOME did not fall back to ~/.local/share"
}

full_disk() {
	MNT="$T/mnt"; mkdir "$MNT"
	if ! mount -t tmpfs -o size=2m tmpfs "$MNT" 2>/dev/null; then
		MNT=""
		echo "full_disk: cannot mount a tmpfs here (not root?); skipped" >&2
		return 0
	fi
	export ROLLCALL_DB="$MNT/db"
	new_student "Ada Lovelace" ada@example.org
	avail=$(df -k --output=avail "$MNT" | tail -1)
	dd if=/dev/zero of="$MNT/filler" bs=1k count=$((avail - 24)) 2>/dev/null
	awk 'BEGIN { print "name,email"; for (i = 1; i <= 3000; i++)
	    printf "Student %d,s%d@example.org\n", i, i }' >"$T/big.csv"
	before=$(db_digest)
	expect 3 import students "$T/big.csv"
	one_err
	has "disk full" "$err"
	[ "$(db_digest)" = "$before" ] || fail "a failed import changed the database"
	i=0
	while [ $i -lt 300 ]; do
		i=$((i + 1))
		before=$(db_digest)
		run add --name "Filler $i" --email "f$i@example.org"
		[ "$status" -eq 0 ] || break
	done
	same "$status" 3 "exit status of add on a full disk"
	one_err
	has "disk full" "$err"
	[ "$(db_digest)" = "$before" ] || fail "a failed add changed the database"
	expect 0 verify
	# a new database on a full disk: nothing left behind
	run --db "$MNT/other" add --name Bo --email bo@example.org
	same "$status" 3 "creating a database on a full disk"
	one_err
	has "disk full" "$err"
	rm -f "$MNT/filler"
	expect 0 checkin ada@example.org
	expect 0 verify
	umount "$MNT" && MNT=""
}

tcase no_trace no_trace
tcase two_first_writers two_first_writers
tcase empty_file empty_file
tcase truncated_file truncated_file
tcase foreign_file foreign_file
tcase relative_xdg relative_xdg
tcase full_disk full_disk
tdone
