#!/bin/sh
# replica (SPEC 9): a read-only copy of a published database, verified
# as it is copied, against a real nats-server on 127.0.0.1.
. tests/lib.sh
. tests/nats.inc
nats_start

# source_log N: a source database with N students and some check-ins,
# published; sets $o (its origin) and $S (its stream).
source_log() {
	SRC="$ROLLCALL_DB.source"
	for i in $(seq 1 "$1"); do
		ROLLCALL_DB="$SRC" expect 0 add --name "Student $i" \
		    --email "s$i@x.org"
	done
	ROLLCALL_DB="$SRC" expect 0 checkin s1@x.org --at 2025-09-01T08:10
	ROLLCALL_DB="$SRC" expect 0 config points 3
	ROLLCALL_DB="$SRC" expect 0 excuse s1@x.org --day 2025-09-02 \
	    --reason illness
	ROLLCALL_DB="$SRC" expect 0 close 2025-09-03 --reason holiday
	ROLLCALL_DB="$SRC" expect 0 publish --to "$NATS_URL"
	o=$(origin_of "$SRC")
	S="ROLLCALL-$o"
}

# same_as_source: the replica's log is the source's, and it verifies.
# Names and all: the students' keys (SPEC 7) came in the keys bucket.
same_as_source() {
	_s=$($NATSCTL - samelog "$SRC" "$ROLLCALL_DB") ||
	    fail "the replica's log is not the source's: $_s"
	"$RC" --db "$SRC" events --format jsonl >"$T/src.jsonl" ||
	    fail "events of the source"
	"$RC" events --format jsonl >"$T/rep.jsonl" ||
	    fail "events of the replica"
	$NATSCTL - samejson "$T/src.jsonl" "$T/rep.jsonl" >/dev/null ||
	    fail "replica events differ: $(diff "$T/src.jsonl" "$T/rep.jsonl" | head -5)"
	expect 0 verify
	# Every read model is projected there: reports, history, calendar.
	for q in students "report --from 2025-09-01 --to 2025-09-30" \
	    "history $(id_of s1@x.org)" \
	    "calendar --from 2025-09-01 --to 2025-09-07" "day 2025-09-01"; do
		# shellcheck disable=SC2086
		"$RC" --db "$SRC" $q --format json >"$T/src.q" 2>&1
		# shellcheck disable=SC2086
		"$RC" $q --format json >"$T/rep.q" 2>&1
		$NATSCTL - samejson "$T/src.q" "$T/rep.q" >/dev/null ||
		    fail "$q differs on the replica: $(diff "$T/src.q" "$T/rep.q" | head -5)"
	done
}

# id_of EMAIL: a student's id on the source (a replica may not know
# their email).
id_of() {
	"$RC" --db "$SRC" student "$1" --format json |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}

equals_source() {
	source_log 5
	expect 0 replica --from "$NATS_URL" --origin "$o"
	has "copied 9 events"
	same_as_source
	run status --format json
	py json 'd["replica_of"] == "'"$o"'" and d["head"] == 9'
	# More on the source: the replica extends.
	ROLLCALL_DB="$SRC" expect 0 checkin s2@x.org --at 2025-09-01T08:20
	ROLLCALL_DB="$SRC" expect 0 publish --to "$NATS_URL"
	expect 0 replica --from "$NATS_URL" --origin "$o"
	has "copied 1 event"
	same_as_source
	expect 0 replica --from "$NATS_URL" --origin "$o"
	has "copied 0 events"
	expect 0 rebuild
	same_as_source
}

# SPEC 9 and 7: the keys travel in the keys bucket, so a replica shows
# names; an erase on the source purges the key there, and the replica
# that copies the erasure destroys its copy: [erased] there too.
keys_bucket() {
	source_log 3
	expect 0 replica --from "$NATS_URL" --origin "$o"
	expect 0 students --format json
	py json 'sorted(s["name"] for s in d) == ["Student 1", "Student 2", "Student 3"]'
	id2=$(ROLLCALL_DB="$SRC" "$RC" student s2@x.org --format json |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
	[ "$($NATSCTL "$NATS_PORT" kv "ROLLCALL-KEYS-$o" "$id2")" = "value 32" ] ||
	    fail "the bucket does not hold the key of $id2"
	ROLLCALL_DB="$SRC" expect 0 remove s2@x.org
	ROLLCALL_DB="$SRC" expect 0 erase "$id2" --yes
	ROLLCALL_DB="$SRC" expect 0 publish --to "$NATS_URL"
	[ "$($NATSCTL "$NATS_PORT" kv "ROLLCALL-KEYS-$o" "$id2")" = "purged" ] ||
	    fail "publish of the erasure left the key of $id2 in the bucket"
	expect 0 replica --from "$NATS_URL" --origin "$o"
	expect 0 students --all --format json
	py json '[s["name"] for s in d if s["id"] == "'"$id2"'"] == ["[erased]"]'
	expect 0 verify
	expect 0 rebuild
	expect 0 student "$id2" --format json
	py json 'd["name"] == "[erased]"'
	# a new replica of the erased source: the key is gone from the
	# bucket, and the erasure comes in the same batch
	ROLLCALL_DB="$T/fresh" expect 0 replica --from "$NATS_URL" --origin "$o"
	ROLLCALL_DB="$T/fresh" expect 0 students --all --format json
	py json 'sorted(s["name"] for s in d) == ["Student 1", "Student 3", "[erased]"]'
	ROLLCALL_DB="$T/fresh" expect 0 verify
}

# A catch-up of hundreds of events at once is projected in bulk (the
# read models sum in memory and write each key once, as an import does):
# every kind of event goes through it, and the replica reads as the
# source does.
bulk_catch_up() {
	SRC="$ROLLCALL_DB.source"
	printf 'name,email\n' >"$T/many.csv"
	seq 1 700 | sed 's/.*/Student &,s&@x.org/' >>"$T/many.csv"
	ROLLCALL_DB="$SRC" expect 0 import students "$T/many.csv"
	ROLLCALL_NOW=2025-09-12T18:00:00
	for cmd in "checkin s1@x.org --at 2025-09-01T07:50" \
	    "checkin s2@x.org --at 2025-09-01T08:40" \
	    "checkin s3@x.org --at 2025-09-01T08:00" "void s3@x.org --day 2025-09-01" \
	    "checkin s3@x.org --at 2025-09-01T09:00" \
	    "checkout s1@x.org --at 2025-09-01T12:00" "config points 4" \
	    "checkin s2@x.org --at 2025-09-02T09:30" \
	    "excuse s2@x.org --day 2025-09-02 --reason illness" \
	    "excuse s4@x.org --day 2025-09-02 --to 2025-09-05 --reason family" \
	    "excuse s4@x.org --day 2025-09-04 --withdraw" \
	    "close 2025-09-08 --reason holiday" "reopen 2025-09-08" \
	    "close 2025-09-09 --reason snow" "edit s5@x.org --name Renamed" \
	    "remove s6@x.org" "restore s6@x.org" "remove s7@x.org"; do
		# shellcheck disable=SC2086
		ROLLCALL_DB="$SRC" expect 0 $cmd
	done
	ROLLCALL_DB="$SRC" expect 0 erase "$(id_of s7@x.org)" --yes
	ROLLCALL_DB="$SRC" expect 0 checkin s1@x.org --at 2025-09-02T08:00
	ROLLCALL_DB="$SRC" expect 0 publish --to "$NATS_URL"
	o=$(origin_of "$SRC")
	expect 0 replica --from "$NATS_URL" --origin "$o"
	has "copied 72"
	same_as_source
	for q in "report --from 2025-09-01 --to 2025-09-12" \
	    "student $(id_of s2@x.org)" "student $(id_of s4@x.org)" \
	    "day 2025-09-02" "students --all"; do
		# shellcheck disable=SC2086
		"$RC" --db "$SRC" $q --format json >"$T/src.q" 2>&1
		# shellcheck disable=SC2086
		"$RC" $q --format json >"$T/rep.q" 2>&1
		$NATSCTL - samejson "$T/src.q" "$T/rep.q" >/dev/null ||
		    fail "$q differs on the replica: $(diff "$T/src.q" "$T/rep.q" | head -5)"
	done
}

refuses_writes() {
	source_log 2
	expect 0 replica --from "$NATS_URL" --origin "$o"
	before=$(db_digest)
	s1=$(id_of s1@x.org) s2=$(id_of s2@x.org)
	for cmd in "add --name X --email x@x.org" "checkin $s1" \
	    "remove $s2" "edit $s1 --name Y" "void $s1" \
	    "config points 4" "config term-start 2025-09-01" \
	    "excuse $s2 --day 2025-09-01 --reason illness" \
	    "checkout $s1 --at 2025-09-01T12:00" \
	    "close 2025-09-02 --reason holiday" "reopen 2025-09-02" \
	    "restore $s2"; do
		# shellcheck disable=SC2086
		expect 1 $cmd
		one_err
		has "replica of $o" "$err"
	done
	[ "$(db_digest)" = "$before" ] || fail "a refused write changed the replica"
	printf 'name,email\nA,a@x.org\n' >"$T/in.csv"
	expect 1 import students "$T/in.csv"
	has "replica of $o" "$err"
	printf '1234\n' | "$RC" pin set >"$T/out" 2>"$T/err"
	same "$?" 1 "pin set on a replica"
	has "replica of $o" "$err"
	# compact copies the replica mark with the rest: still a replica.
	expect 0 compact
	run status --format json
	py json 'd["replica_of"] == "'"$o"'"'
	expect 1 add --name X --email x@x.org
	has "replica of $o" "$err"
	# Reading works as anywhere.
	expect 0 students
	has "$s1"
	expect 0 day 2025-09-01
	# A replica is no place to publish from.
	expect 1 publish --to "$NATS_URL"
	one_err
	has "replica of $o" "$err"
}

# Killed at any instant, a replica resumes exactly: its head is its
# position.
resumes_after_kill() {
	source_log 1
	printf 'name,email\n' >"$T/many.csv"
	seq 1 3000 | sed 's/.*/Many &,m&@x.org/' >>"$T/many.csv"
	ROLLCALL_DB="$SRC" expect 0 import students "$T/many.csv"
	ROLLCALL_DB="$SRC" expect 0 publish --to "$NATS_URL"
	for delay in 0.05 0.1 0.2; do
		"$RC" replica --from "$NATS_URL" --origin "$o" \
		    >/dev/null 2>&1 &
		pid=$!
		sleep "$delay"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		[ -f "$ROLLCALL_DB/data.mdb" ] && expect 0 verify
	done
	expect 0 replica --from "$NATS_URL" --origin "$o"
	same_as_source
}

# A message that is not rollcall's stops the replica with the stream
# sequence and the reason; what came before stays, nothing half-applied.
stops_on_foreign_message() {
	source_log 2
	$NATSCTL "$NATS_PORT" pub "rollcall.$o" "$(printf 'hello' | base64)" \
	    >/dev/null || fail "cannot plant a message"
	ROLLCALL_DB="$SRC" expect 0 add --name Late --email late@x.org
	expect 1 replica --from "$NATS_URL" --origin "$o"
	one_err
	has "stream $S sequence 7: not a rollcall event" "$err"
	run status --format json
	py json 'd["head"] == 6 and d["checkpoint"] == 6'
	expect 0 verify
	# Source publish sees the stranger as a different event too.
	ROLLCALL_DB="$SRC" expect 1 publish --to "$NATS_URL"
	has "different event" "$err"
}

# A record that does not chain (an old event sent again under a new
# number) stops it the same way.
stops_on_broken_chain() {
	source_log 2
	data=$($NATSCTL "$NATS_PORT" get "$S" 2 |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"])')
	$NATSCTL "$NATS_PORT" pub "rollcall.$o" "$data" >/dev/null ||
	    fail "cannot plant a message"
	expect 1 replica --from "$NATS_URL" --origin "$o"
	one_err
	has "stream $S sequence 7: event 2 where event 7 was due" "$err"
	run status --format json
	py json 'd["head"] == 6'
	expect 0 verify
}

wrong_database() {
	source_log 1
	# A database with events of its own is no replica.
	expect 0 add --name Mine --email mine@x.org
	refuse 1 replica --from "$NATS_URL" --origin "$o"
	has "events of its own" "$err"
	# A replica of one origin does not take another's.
	ROLLCALL_DB="$T/r2" expect 0 replica --from "$NATS_URL" --origin "$o"
	other=$(python3 -c 'import uuid; print(uuid.uuid4())')
	ROLLCALL_DB="$T/r2" expect 1 replica --from "$NATS_URL" \
	    --origin "$other" --stream "$S"
	one_err
	has "replica of $o" "$err"
	# No such stream: refused, one line.
	ROLLCALL_DB="$T/r3" expect 1 replica --from "$NATS_URL" \
	    --origin "$other"
	one_err
	has "no stream ROLLCALL-$other" "$err"
}

bad_values() {
	refuse 2 replica --origin 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b
	refuse 2 replica --from "$NATS_URL"
	refuse 1 replica --from "$NATS_URL" --origin nope
	has "invalid origin" "$err"
	refuse 1 replica --from "$NATS_URL" \
	    --origin 1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B
	refuse 1 replica --from nats://x --origin \
	    1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b
	refuse 1 replica --from "$NATS_URL" --origin \
	    1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b --stream "a.b"
	port=$(free_port)
	expect 3 replica --from "nats://127.0.0.1:$port" \
	    --origin 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b
	one_err
	has "cannot reach the NATS server" "$err"
	expect 0 replica --help
	has "--from URL"
}

tcase equals_source equals_source
tcase keys_bucket keys_bucket
tcase bulk_catch_up bulk_catch_up
tcase refuses_writes refuses_writes
tcase resumes_after_kill resumes_after_kill
tcase stops_on_foreign_message stops_on_foreign_message
tcase stops_on_broken_chain stops_on_broken_chain
tcase wrong_database wrong_database
tcase bad_values bad_values
tdone
