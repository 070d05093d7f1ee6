#!/bin/sh
# publish killed (kill -9) at any moment of a catch-up, or cut off by a
# server restart, then run again: the stream holds each event exactly
# once (SPEC 9).
. tests/lib.sh
. tests/nats.inc
nats_start

expect 0 add --name "First" --email first@x.org
printf 'name,email\n' >"$T/many.csv"
seq 1 10000 | sed 's/.*/Student &,s&@x.org/' >>"$T/many.csv"
expect 0 import students "$T/many.csv"
o=$(origin_of)
S="ROLLCALL-$o"

# published_now: how many messages the stream holds.
stream_count() {
	$NATSCTL "$NATS_PORT" info "$S" |
	    python3 -c 'import json, sys; t = sys.stdin.read().strip(); print(0 if t == "none" else json.loads(t)["messages"])'
}

kills=0
for delay in 0.2 0.5 1.0; do
	"$RC" publish --to "$NATS_URL" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	n=$(stream_count)
	[ "$n" -le 10001 ] || fail "the stream holds $n messages"
	[ "$n" -gt 0 ] && [ "$n" -lt 10001 ] && echo "killed at $n of 10001"
done
[ "$kills" -gt 0 ] || fail "publish was never caught mid-catch-up"

# The server restarts in the middle of a run: exit 3, then resume.
expect 0 add --name "More" --email more@x.org
printf 'name,email\n' >"$T/more.csv"
seq 10001 15000 | sed 's/.*/Student &,s&@x.org/' >>"$T/more.csv"
expect 0 import students "$T/more.csv"
"$RC" publish --to "$NATS_URL" >"$T/p.out" 2>"$T/p.err" &
pid=$!
sleep 0.3
nats_stop
wait "$pid"; st=$?
nats_start "$NATS_PORT"
[ "$st" -eq 0 ] || [ "$st" -eq 3 ] ||
    fail "publish cut off exited $st: $(cat "$T/p.err")"
[ "$st" -eq 0 ] || [ "$(wc -l <"$T/p.err")" -eq 1 ] ||
    fail "publish cut off said more than one line: $(cat "$T/p.err")"

expect 0 publish --to "$NATS_URL"
nats_check "$S"
run status --format json
py json 'd["published"] == d["head"] == 15002'
echo "ok   exactly once after $kills kills and a server restart"
