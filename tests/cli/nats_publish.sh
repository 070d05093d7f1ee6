#!/bin/sh
# publish (SPEC 9): exactly once into the database's own stream, against
# a real nats-server on 127.0.0.1; bad values and an unreachable server.
. tests/lib.sh
. tests/nats.inc
nats_start

# some N: registers students N..M as s<i>@x.org.
some() {
	for i in $(seq "$1" "$2"); do
		expect 0 add --name "Student $i" --email "s$i@x.org"
	done
}

# published_of: "published" from status --format json.
published_of() {
	run status --format json
	pyv json 'd["published"]'
}

twice() {
	some 1 3
	run status --format json
	py json 'd["published"] is None and d["replica_of"] is None'
	expect 0 publish --to "$NATS_URL"
	has "published 3 events"
	o=$(origin_of)
	is_uuid "$o" || fail "origin '$o'"
	has "ROLLCALL-$o"
	nats_check "ROLLCALL-$o"
	same "$(published_of)" 3 "published after the first run"
	# Again: nothing is sent twice.
	expect 0 publish --to "$NATS_URL"
	has "published 0 events"
	nats_check "ROLLCALL-$o"
	some 4 5
	expect 0 publish --to "$NATS_URL" --format json
	py json 'd["published"] == 2 and d["position"] == 5'
	nats_check "ROLLCALL-$o"
	same "$(published_of)" 5 "published after the second run"
	# The stream: file storage, deletes and purges denied.
	info=$($NATSCTL "$NATS_PORT" get "ROLLCALL-$o" 1)
	out=$info
	py json 'd["subject"] == "rollcall.'"$o"'" and d["msg_id"] == "'"$o"':1"'
}

# A position lost from the database (an older copy of the file that
# knows nothing of the last runs) is taken from the stream, not resent.
stored_position_is_not_trusted() {
	some 1 4
	expect 0 publish --to "$NATS_URL"
	o=$(origin_of)
	cp -a "$ROLLCALL_DB" "$T/copy"
	some 5 6
	expect 0 publish --to "$NATS_URL"
	nats_check "ROLLCALL-$o"
	# The copy is older than the stream: it has nothing new and refuses.
	ROLLCALL_DB="$T/copy" expect 1 publish --to "$NATS_URL"
	one_err
	has "holds 6 events, this database only 4" "$err"
	nats_check "ROLLCALL-$o"
}

# A copy that went its own way: a different event under one of our
# numbers.  publish stops and sends nothing more (exit 1).
diverged_copy() {
	some 1 2
	expect 0 publish --to "$NATS_URL"
	o=$(origin_of)
	cp -a "$ROLLCALL_DB" "$T/fork"
	some 3 3
	expect 0 publish --to "$NATS_URL"
	ROLLCALL_DB="$T/fork" expect 0 add --name "Other" --email "o@x.org"
	ROLLCALL_DB="$T/fork" expect 0 add --name "Other2" --email "o2@x.org"
	ROLLCALL_DB="$T/fork" expect 1 publish --to "$NATS_URL"
	one_err
	has "holds a different event 3" "$err"
	nats_check "ROLLCALL-$o"
	run status --format json
	py json 'd["published"] == 3'
}

# Two runs at once (two cron jobs on one desk), each sending thousands
# of messages that mostly ask for no acknowledgement: whichever run's
# message lands first, each event is in the stream once, at its place.
two_at_once() {
	printf 'name,email\n' >"$T/many.csv"
	seq 1 6000 | sed 's/.*/Student &,s&@x.org/' >>"$T/many.csv"
	expect 0 import students "$T/many.csv"
	o=$(origin_of)
	"$RC" publish --to "$NATS_URL" >"$T/a.out" 2>"$T/a.err" &
	a=$!
	"$RC" publish --to "$NATS_URL" >"$T/b.out" 2>"$T/b.err" &
	b=$!
	wait "$a"; sa=$?
	wait "$b"; sb=$?
	[ "$sa" -eq 0 ] && [ "$sb" -eq 0 ] ||
	    fail "two at once exited $sa and $sb: $(cat "$T/a.err" "$T/b.err")"
	nats_check "ROLLCALL-$o"
	same "$(published_of)" 6000 "published after two at once"
}

named_stream() {
	some 1 2
	expect 0 publish --to "$NATS_URL" --stream school-a
	has "stream school-a"
	nats_check school-a
	expect 0 publish --to "$NATS_URL" --stream school-a
	has "published 0 events"
	# Another origin's stream does not take our subject.
	ROLLCALL_DB="$T/other" expect 0 add --name "O" --email "o@x.org"
	ROLLCALL_DB="$T/other" expect 1 publish --to "$NATS_URL" \
	    --stream school-a
	one_err
	has "does not take the subject" "$err"
}

bad_values() {
	some 1 1
	refuse 2 publish
	for url in http://127.0.0.1:4222 nats://127.0.0.1 nats://:4222 \
	    nats://127.0.0.1:0 nats://127.0.0.1:70000 "nats://a b:1" \
	    nats://127.0.0.1:42x ""; do
		refuse 1 publish --to "$url"
		has "nats://HOST:PORT" "$err"
	done
	for name in "a.b" "a b" "a*" "a>" "a/b" "" "$(rep x 201)"; do
		refuse 1 publish --to "$NATS_URL" --stream "$name"
		has "stream name" "$err"
	done
}

unreachable() {
	some 1 2
	port=$(free_port)
	refuse 3 publish --to "nats://127.0.0.1:$port"
	has "cannot reach the NATS server at nats://127.0.0.1:$port" "$err"
	run status --format json
	py json 'd["published"] is None'
	# Neither a database with nothing in it nor a failed replica
	# leaves a directory behind (SPEC 2).
	ROLLCALL_DB="$T/none" refuse 1 publish --to "$NATS_URL"
	has "no events yet" "$err"
	ROLLCALL_DB="$T/none" refuse 3 replica --from "nats://127.0.0.1:$port" \
	    --origin "$(origin_of)"
	[ ! -e "$T/none" ] || fail "a refused publish or replica created $T/none"
}

# A server without JetStream is a system error too, in one line.
no_jetstream() {
	some 1 1
	port=$(free_port)
	"$NATS_SERVER" -a 127.0.0.1 -p "$port" >/dev/null 2>&1 &
	pid=$!
	nats_wait_port "$port"
	expect 3 publish --to "nats://127.0.0.1:$port"
	kill "$pid"; wait "$pid" 2>/dev/null
	one_err
	has "JetStream" "$err"
}

tcase twice twice
tcase stored_position_is_not_trusted stored_position_is_not_trusted
tcase diverged_copy diverged_copy
tcase two_at_once two_at_once
tcase named_stream named_stream
tcase bad_values bad_values
tcase unreachable unreachable
tcase no_jetstream no_jetstream
tdone
