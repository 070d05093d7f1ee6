#!/bin/sh
# publish --follow and replica --follow (SPEC 9): new events flow on,
# through a server restart, exactly once; a signal ends both cleanly.
. tests/lib.sh
. tests/nats.inc
nats_start
SRC="$T/source"
REP="$T/replica"

src() { ROLLCALL_DB="$SRC" expect 0 "$@"; }

# head_of DIR: the head of a database.
head_of() {
	"$RC" --db "$1" status --format json 2>/dev/null |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["head"])' 2>/dev/null
}

# wait_for WHAT COND...: polls COND (a shell command) for up to 20 s.
wait_for() {
	_what=$1; shift
	_end=$(($(date +%s) + 20))
	while ! "$@"; do
		[ "$(date +%s)" -lt "$_end" ] ||
		    fail "timed out waiting for $_what"
		sleep 0.1
	done
}
caught_up() { [ "$(head_of "$REP")" = "$(head_of "$SRC")" ]; }
retrying() { grep -q "retrying in" "$T/pub.err"; }

src add --name "Ada" --email ada@x.org
src add --name "Bob" --email bob@x.org
o=$(origin_of "$SRC")
is_uuid "$o" || fail "origin '$o'"

"$RC" --db "$SRC" publish --to "$NATS_URL" --follow >"$T/pub.out" \
    2>"$T/pub.err" &
PUB=$!
"$RC" --db "$REP" replica --from "$NATS_URL" --origin "$o" --follow \
    >"$T/rep.out" 2>"$T/rep.err" &
REPL=$!
# Only while they are our unreaped children: a reaped pid may be anyone's.
trap 'kill $PUB $REPL 2>/dev/null; nats_stop; rm -rf "$T"' EXIT

wait_for "the first events" caught_up

# Each new event is sent as soon as it is committed (a watch on the data
# file, not a poll), well within a second every time.
# (awk on the table, not python on the JSON: an interpreter's start-up
# on a loaded machine is more than the latency measured.)
published_of() {
	"$RC" --db "$1" status 2>/dev/null | awk '$1 == "published" { print $2 }'
}
head_now() {
	"$RC" --db "$1" status 2>/dev/null | awk '$1 == "head" { print $2 }'
}
slow=""
for i in 1 2 3 4 5 6; do
	src add --name "Quick $i" --email "quick$i@x.org"
	t0=$(date +%s%N)
	want=$(head_now "$SRC")
	while [ "$(published_of "$SRC")" != "$want" ]; do
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ "$ms" -lt 10000 ] || fail "event $want was not published in 10 s"
		sleep 0.02
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -lt 900 ] || slow="$slow $want:${ms}ms"
done
[ -z "$slow" ] || fail "events published late by publish --follow:$slow"
wait_for "the quick events" caught_up
src checkin ada@x.org --at 2025-09-01T08:00
wait_for "a new event" caught_up
ROLLCALL_DB="$REP" expect 0 day 2025-09-01 --format json
has "$("$RC" --db "$SRC" student ada@x.org --format json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"

# The server goes away; the desk keeps working; both wait it out.
nats_stop
src checkin bob@x.org --at 2025-09-01T08:05
src add --name "Cy" --email cy@x.org
wait_for "publish to notice the outage" retrying
nats_start "$NATS_PORT"
wait_for "the events of the outage" caught_up
src void ada@x.org --day 2025-09-01
wait_for "an event after the restart" caught_up

kill -TERM "$PUB" "$REPL"
wait "$PUB"; pst=$?
wait "$REPL"; rst=$?
PUB= REPL=
[ "$pst" -eq 0 ] || fail "publish --follow ended with $pst: $(cat "$T/pub.err")"
[ "$rst" -eq 0 ] || fail "replica --follow ended with $rst: $(cat "$T/rep.err")"
grep -q "cannot reach the NATS server\|lost the NATS server" "$T/pub.err" ||
    fail "publish said nothing of the outage: $(cat "$T/pub.err")"

nats_check "ROLLCALL-$o" "$SRC"
"$RC" --db "$SRC" events --format jsonl >"$T/a"
"$RC" --db "$REP" events --format jsonl >"$T/b"
_s=$($NATSCTL - samelog "$SRC" "$REP") ||
    fail "the replica's log differs from the source's: $_s"
ROLLCALL_DB="$REP" expect 0 verify
run --db "$SRC" status --format json
py json 'd["published"] == d["head"] == 12'
echo "ok   follow through a server restart"
