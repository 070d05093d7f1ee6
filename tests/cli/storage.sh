#!/bin/sh
# Storage (SPEC 2, and rebuild/verify/status of SPEC 3): rebuild keeps
# everything, verify finds changed, removed and reordered events and a
# changed read side, never writes beside the database; status; refused
# commands write nothing; a damaged event does not stop the desk.
# The database is changed behind rollcall's back with mdb_dump/mdb_load.
. "$(dirname "$0")/../lib.sh"
command -v mdb_dump >/dev/null && command -v mdb_load >/dev/null ||
    fail "mdb_dump and mdb_load (lmdb-utils) are needed"

cat >"$T/tamper.py" <<'EOF'
# Edits mdb_dump output (stdin) and prints what mdb_load should read.
import sys
def parse(text):
    secs, cur = [], None
    for line in text.split("\n"):
        if cur is None:
            if line.startswith("VERSION="):
                cur = {"hdr": [line], "recs": [], "in": True}
            continue
        if cur["in"]:
            cur["hdr"].append(line)
            if line == "HEADER=END":
                cur["in"] = False
        elif line == "DATA=END":
            secs.append(cur); cur = None
        else:
            cur["recs"].append(line)
    for s in secs:
        s["name"] = next((h[9:] for h in s["hdr"] if h.startswith("database=")), "")
        r = s["recs"]
        s["pairs"] = [[r[i], r[i + 1]] for i in range(0, len(r), 2)]
    return secs
def emit(s):
    out = s["hdr"][:]
    for k, v in s["pairs"]:
        out += [k, v]
    return "\n".join(out + ["DATA=END"]) + "\n"
op, db = sys.argv[1], sys.argv[2]
secs = parse(sys.stdin.read())
sec = next(s for s in secs if s["name"] == db)
p = sec["pairs"]
if op == "flip":      # flip DB INDEX [BYTE]: xor one value byte (default: the middle one)
    i = int(sys.argv[3]); v = bytearray.fromhex(p[i][1].strip())
    b = int(sys.argv[4]) if len(sys.argv) > 4 else len(v) // 2
    v[b] ^= 1; p[i][1] = " " + v.hex()
elif op == "set":     # set DB INDEX HEX: replace a value
    p[int(sys.argv[3])][1] = " " + sys.argv[4]
elif op == "swap":    # swap DB I J: exchange two values
    i, j = int(sys.argv[3]), int(sys.argv[4]); p[i][1], p[j][1] = p[j][1], p[i][1]
elif op == "drop":    # drop DB INDEX: remove a record; prints every database
    del p[int(sys.argv[3])]
    sys.stdout.write("".join(emit(s) for s in secs)); sys.exit(0)
elif op == "count":
    print(len(p)); sys.exit(0)
elif op == "value":
    print(p[int(sys.argv[3])][1].strip()); sys.exit(0)
sys.stdout.write(emit(sec))
EOF

# tamper OP DB ARGS...: changes records of sub-database DB in place.
tamper() {
	_op=$1 _db=$2; shift 2
	mdb_dump -s "$_db" "$ROLLCALL_DB" >"$T/dump" || fail "mdb_dump -s $_db failed"
	python3 "$T/tamper.py" "$_op" "$_db" "$@" <"$T/dump" >"$T/dump.new" ||
	    fail "tamper $_op $_db failed"
	mdb_load -s "$_db" "$ROLLCALL_DB" <"$T/dump.new" 2>"$T/load.err" ||
	    fail "mdb_load failed: $(cat "$T/load.err")"
}

# drop_record DB INDEX: removes one record, by loading everything else
# into a fresh environment and putting its data file in place.
drop_record() {
	mdb_dump -a "$ROLLCALL_DB" | python3 "$T/tamper.py" drop "$1" "$2" >"$T/all.new" ||
	    fail "drop failed"
	rm -rf "$T/fresh"; mkdir "$T/fresh"
	mdb_load "$T/fresh" <"$T/all.new" 2>"$T/load.err" || fail "mdb_load failed: $(cat "$T/load.err")"
	cat "$T/fresh/data.mdb" >"$ROLLCALL_DB/data.mdb"
}

nrecords() { mdb_dump -s "$1" "$ROLLCALL_DB" | python3 "$T/tamper.py" count "$1"; }

# populate: a small school with every kind of event.
populate() {
	export ROLLCALL_NOW=2025-08-01T07:00:00
	new_student "Ada Lovelace" ada@example.org female; a=$id
	new_student "Grace Hopper" grace@example.org; g=$id
	new_student "alan turing" alan@example.org male; t=$id
	new_student "Carl Gone" carl@example.org; c=$id
	new_student "Zoë Ünal" zoe@example.org other; z=$id
	export ROLLCALL_NOW=2025-08-30T12:00:00
	expect 0 checkin "$a" --at 2025-08-25T08:00
	expect 0 checkin "$g" --at 2025-08-25T09:20
	expect 0 checkin "$t" --at 2025-08-25T09:01
	expect 0 checkin "$c" --at 2025-08-25T08:10
	expect 0 checkin "$a" --at 2025-08-26T08:59
	expect 0 checkin "$z" --at 2025-08-26T08:20
	expect 0 void "$z" --day 2025-08-26 --reason mistake
	expect 0 config points 8
	expect 0 checkin "$z" --at 2025-08-26T08:40
	expect 0 edit "$t" --name "Alan Turing"
	expect 0 remove "$c"
	expect 0 checkin "$g" --at 2025-08-27T07:59
	export ROLLCALL_NOW=2025-09-01T08:30:00
	NEVENTS=17
}

# snapshot FILE: everything the queries show.
snapshot() {
	: >"$1"
	for q in "students --all --format json" "students --format csv" \
	    "day 2025-08-25 --format json" "day 2025-08-26 --format json" \
	    "day 2025-08-27 --format json" "day --format json" "config --format json" \
	    "student $a --format json" "student $g --format json" "student $t --format json" \
	    "student $c --format json" "student $z --format json" "events --format jsonl"; do
		# shellcheck disable=SC2086
		expect 0 $q
		printf '%s\n%s\n' "== $q" "$out" >>"$1"
	done
	expect 0 status --format json
	pyv json '(d["head"], d["checkpoint"], d["students"], d["errors"])' >>"$1"
}

rebuild_identical() {
	populate
	snapshot "$T/before"
	mdb_dump -a "$ROLLCALL_DB" >"$T/dump.before"
	expect 0 rebuild
	snapshot "$T/after"
	cmp -s "$T/before" "$T/after" ||
	    fail "rebuild changed what the queries show: $(diff "$T/before" "$T/after" | head -20)"
	mdb_dump -a "$ROLLCALL_DB" >"$T/dump.after"
	cmp -s "$T/dump.before" "$T/dump.after" ||
	    fail "rebuild did not reproduce the read side byte for byte: $(diff "$T/dump.before" "$T/dump.after" | head -20)"
	same "$(nrecords events)" "$NEVENTS" "events after rebuild"
	expect 0 verify
	expect 0 rebuild
	expect 0 rebuild
	snapshot "$T/after2"
	cmp -s "$T/before" "$T/after2" || fail "a second rebuild changed things"
	# the desk goes on after a rebuild
	expect 0 checkin "$a" --format json
	py json 'd["total_points"] == 13'
	expect 0 verify
}

verify_clean() {
	expect 0 verify
	populate
	expect 0 verify
	[ -z "$err" ] || fail "verify of a clean database wrote to stderr: $err"
	same "$(head_seq)" "$NEVENTS" "head"
}

# verify_errs: $err is one or more lines, each starting "rollcall: "
# (verify may report several differences, one line each).
verify_errs() {
	[ -n "$err" ] || fail "verify found a difference but wrote nothing on stderr"
	printf '%s\n' "$err" | grep -qv '^rollcall: ' &&
	    fail "verify: every stderr line should start 'rollcall: ': $err"
	return 0
}

# verify_finds PATTERN: verify exits 1, writes nothing, and its
# output matches PATTERN (case-insensitive ERE, e.g. "roster").
verify_finds() {
	_before=$(db_digest)
	expect 1 verify
	verify_errs
	same "$(db_digest)" "$_before" "database after verify found a difference"
	printf '%s\n%s\n' "$out" "$err" | grep -Eqi "$1" ||
	    fail "verify does not say which ($1): stdout: $out stderr: $err"
}

verify_read_side() {
	populate
	[ "$(nrecords roster)" -ge 5 ] || fail "no roster sub-database with the students"
	[ "$(nrecords points)" -ge 1 ] || fail "no points sub-database"
	tamper flip roster 0
	verify_finds roster
	expect 0 rebuild
	expect 0 verify
	tamper flip roster 4 0
	verify_finds roster
	expect 0 rebuild
	tamper flip points 0
	verify_finds points
	expect 0 rebuild
	n=$(nrecords points)
	tamper flip points "$((n - 1))" -1
	verify_finds points
	expect 0 rebuild
	expect 0 verify
}

verify_changed_event() {
	populate
	# one byte of event 3 (index 2), in its middle and at its end
	tamper flip events 2
	verify_finds '(^|[^0-9])(3|4)([^0-9]|$)'
	tamper flip events 2
	expect 0 verify
	tamper flip events 2 -1
	verify_finds '(^|[^0-9])(3|4)([^0-9]|$)'
	tamper flip events 2 -1
	tamper flip events 0 0
	verify_finds '(^|[^0-9])(1|2)([^0-9]|$)'
	tamper flip events 0 0
	expect 0 verify
	# the newest event
	tamper flip events -1
	verify_finds "$NEVENTS"
	tamper flip events -1
	expect 0 verify
	# two events swapped
	tamper swap events 5 6
	verify_finds '(^|[^0-9])(6|7|8)([^0-9]|$)'
}

verify_removed_event() {
	populate
	drop_record events -1
	same "$(nrecords events)" "$((NEVENTS - 1))" "events after dropping one"
	verify_finds .
	rm -rf "$ROLLCALL_DB"
	populate
	drop_record events 8
	verify_finds '(^|[^0-9])(9|10)([^0-9]|$)'
}

verify_never_beside() {
	export ROLLCALL_DB="$T/v/db"
	mkdir -p "$T/vtmp" "$T/v"
	populate
	find "$T/v" -printf '%M %P\n' | sort >"$T/ls.before"
	sum=$(md5sum <"$ROLLCALL_DB/data.mdb")
	TMPDIR=$T/vtmp expect 0 verify
	find "$T/v" -printf '%M %P\n' | sort >"$T/ls.after"
	cmp -s "$T/ls.before" "$T/ls.after" ||
	    fail "verify left files beside the database: $(diff "$T/ls.before" "$T/ls.after")"
	same "$(ls -A "$T/vtmp")" "" "files left in TMPDIR by verify"
	same "$(md5sum <"$ROLLCALL_DB/data.mdb")" "$sum" "data.mdb after verify"
	tamper flip roster 1
	find "$T/v" -printf '%M %P\n' | sort >"$T/ls.before"
	sum=$(md5sum <"$ROLLCALL_DB/data.mdb")
	TMPDIR=$T/vtmp expect 1 verify
	verify_errs
	find "$T/v" -printf '%M %P\n' | sort >"$T/ls.after"
	cmp -s "$T/ls.before" "$T/ls.after" || fail "a failed verify left files beside the database"
	same "$(ls -A "$T/vtmp")" "" "files left in TMPDIR by a failed verify"
	same "$(md5sum <"$ROLLCALL_DB/data.mdb")" "$sum" "data.mdb after a failed verify"
}

status_fields() {
	expect 0 status --format json
	py json 'set(d) >= {"head", "checkpoint", "errors", "students", "db_path", "db_bytes"}'
	py json 'd["head"] == 0 and d["checkpoint"] == 0 and d["students"] == 0 and d["errors"] in (0, [])'
	populate
	expect 0 status --format json
	py json 'd["head"] == '"$NEVENTS"' and d["checkpoint"] == '"$NEVENTS"' and d["errors"] in (0, [])'
	py json 'd["students"] == 4'
	py json '__import__("os").path.realpath(d["db_path"]) == __import__("os").path.realpath("'"$ROLLCALL_DB"'")'
	py json 'isinstance(d["db_bytes"], int) and 0 < d["db_bytes"] <= __import__("os").path.getsize("'"$ROLLCALL_DB"'/data.mdb") + __import__("os").path.getsize("'"$ROLLCALL_DB"'/lock.mdb")'
	expect 0 status
	has "$NEVENTS"
	has "$ROLLCALL_DB"
	expect 0 status --format csv
	has "$NEVENTS"
	# after every command the checkpoint is the head
	for cmd in "add --name New --email new@example.org" "checkin new@example.org" \
	    "void new@example.org" "config points 4" "edit new@example.org --name Newer" \
	    "remove new@example.org" "rebuild"; do
		# shellcheck disable=SC2086
		expect 0 $cmd
		expect 0 status --format json
		py json 'd["head"] == d["checkpoint"]'
	done
	same "$(head_seq)" "$((NEVENTS + 6))" "head after six more events and a rebuild"
}

refusals_write_nothing() {
	populate
	h=$(head_seq)
	printf 'name,email\nOk,ok@example.org\nBad,bad\n' >"$T/bad.csv"
	printf 'student,arrived_at\n%s,2025-08-28T08:00\n%s,2030-01-01T08:00\n' "$a" "$a" >"$T/badatt.csv"
	refuse 1 add --name "" --email x@example.org
	refuse 1 add --name "Dup" --email ADA@example.org
	refuse 1 add --name "Bad" --email bad
	refuse 1 add --name "Bad" --email b@example.org --gender x
	refuse 1 edit "$a" --email grace@example.org
	refuse 1 edit "$a" --name "$(printf 'x\001')"
	refuse 1 edit nobody@example.org --name X
	refuse 1 remove "$c"
	refuse 1 remove nobody@example.org
	refuse 1 checkin "$a" --at 2025-08-25T10:00
	refuse 1 checkin "$a" --at 2025-09-02T08:00
	refuse 1 checkin "$c"
	refuse 1 checkin nobody@example.org
	refuse 1 void "$t"
	refuse 1 void "$a" --day 2025-08-24
	refuse 1 config points 1001
	refuse 1 config start-time 25:00
	refuse 1 config nonsense 1
	refuse 1 import students "$T/bad.csv"
	refuse 1 import attendance "$T/badatt.csv"
	refuse 2 add --name X
	refuse 2 checkin
	refuse 2 bogus
	refuse 2 students --bogus
	same "$(head_seq)" "$h" "head after refused commands"
	expect 0 status --format json
	py json 'd["checkpoint"] == '"$h"
	expect 0 verify
}

damaged_event() {
	export ROLLCALL_NOW=2025-08-01T07:00:00
	new_student "Ada Lovelace" ada@example.org; a=$id
	new_student "Bob Damaged" bob@example.org; b=$id
	new_student "Cy Young" cy@example.org; c=$id
	tamper set events 1 00
	run rebuild
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ] ||
	    fail "rebuild with a damaged event exited $status: $err"
	expect 0 status --format json
	py json 'd["head"] == 3 and d["checkpoint"] == 3'
	py json '(d["errors"] >= 1) if isinstance(d["errors"], int) else (len(d["errors"]) >= 1 and "2" in json.dumps(d["errors"]))'
	expect 0 students --format json
	py json 'sorted(s["id"] for s in d) == sorted(["'"$a"'", "'"$c"'"])'
	# the desk goes on
	new_student "Dee New" dee@example.org
	expect 0 checkin cy@example.org
	expect 0 students --format json
	py json 'len(d) == 3'
	# the event stays in the log untouched
	same "$(mdb_dump -s events "$ROLLCALL_DB" | python3 "$T/tamper.py" value events 1)" 00 "the damaged event"
	run events --format jsonl
	[ "$status" -le 1 ] || fail "events with a damaged event exited $status: $err"
	run verify
	[ "$status" -eq 1 ] || fail "verify with a damaged event exited $status, wanted 1"
	expect 0 status
}

# A big import (one transaction, well over 64 MiB) while another process
# holds the database open: the map grows, and the other process goes on.
map_growth() {
	python3 -c '
print("name,email,gender")
for i in range(60000):
    print("%s %d,%s%d@example.org,other" % ("N" * 90, i, "e" * 150, i))
' >"$T/big.csv"
	expect 0 status
	"$RC" events --follow --from 60001 --format jsonl >"$T/follow.out" 2>"$T/follow.err" &
	fpid=$!
	trap 'kill "$fpid" 2>/dev/null' EXIT
	sleep 0.5
	expect 0 import students "$T/big.csv"
	expect 0 status --format json
	py json 'd["head"] == 60000 and d["checkpoint"] == 60000 and d["students"] == 60000 and d["errors"] in (0, [])'
	new_student "One More" one.more@example.org
	i=0
	while [ $i -lt 100 ] && ! grep -q "$id" "$T/follow.out"; do sleep 0.1; i=$((i + 1)); done
	got=$(cat "$T/follow.out" "$T/follow.err")
	kill "$fpid" 2>/dev/null
	wait "$fpid" 2>/dev/null
	case $got in *"$id"*) ;; *) fail "a process that had the database open before the map grew did not see the next event: $got" ;; esac
	expect 0 student one.more@example.org --format json
	py json 'd["id"] == "'"$id"'"'
	expect 0 verify
}

# the log: sub-database "events", keys 8-byte big-endian from 1, never
# updated; read sub-databases at least "roster" and "points"
log_layout() {
	populate
	mdb_dump -l "$ROLLCALL_DB" >"$T/dbs"
	for n in events roster points; do
		grep -qx "$n" "$T/dbs" || fail "no sub-database $n in: $(cat "$T/dbs")"
	done
	mdb_dump -s events "$ROLLCALL_DB" >"$T/ev1"
	python3 - "$T/ev1" "$NEVENTS" <<-'EOF' || fail "event keys are not 8-byte big-endian 1..$NEVENTS"
	import sys
	lines = open(sys.argv[1]).read().split("HEADER=END\n", 1)[1].split("\n")
	keys = [lines[i].strip() for i in range(0, len(lines), 2) if lines[i].startswith(" ")]
	want = ["%016x" % i for i in range(1, int(sys.argv[2]) + 1)]
	sys.exit(0 if keys == want else "keys %s" % keys[:5])
	EOF
	expect 0 checkin "$a"
	expect 0 void "$a"
	expect 0 rebuild
	expect 0 remove "$a"
	mdb_dump -s events "$ROLLCALL_DB" >"$T/ev2"
	python3 - "$T/ev1" "$T/ev2" <<-'EOF' || fail "earlier events changed"
	import sys
	a, b = (open(f).read().split("HEADER=END\n", 1)[1].replace("DATA=END\n", "") for f in sys.argv[1:])
	sys.exit(0 if b.startswith(a) and len(b) > len(a) else 1)
	EOF
}

tcase log_layout log_layout
tcase rebuild_identical rebuild_identical
tcase verify_clean verify_clean
tcase verify_read_side verify_read_side
tcase verify_changed_event verify_changed_event
tcase verify_removed_event verify_removed_event
tcase verify_never_beside verify_never_beside
tcase status_fields status_fields
tcase refusals_write_nothing refusals_write_nothing
tcase damaged_event damaged_event
tcase map_growth map_growth
tdone
