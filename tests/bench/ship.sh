#!/bin/sh
# tests/bench/ship.sh - publish and replica (issue 13) against a real
# nats-server on 127.0.0.1, beside bare cnats peers doing the same
# transfer (tests/bench/natspeer.c), in one run; then the follow latency
# from a durable command on the source to the replica's read side.
# Run by tests/bench/run.sh (make bench) at its end, or alone.  Figures
# go to stdout (and build/bench/ship.txt) as "name value unit".
#
#   SHIP_STUDENTS / SHIP_DAYS   the workload (default 2000 x 180: the
#                               school year, about 344,000 events)
#   SHIP_ROUNDS                 rounds of each transfer (default 3)
set -eu
cd "$(dirname "$0")/../.."
B=build/bench
W=$B/ship
RES=$B/ship.txt
S=${SHIP_STUDENTS:-2000}
DAYS=${SHIP_DAYS:-180}
ROUNDS=${SHIP_ROUNDS:-3}
export TZ=UTC
unset ROLLCALL_DB ROLLCALL_NOW

CC=${CC:-cc}
# The Makefile's libraries (PKGS and PKGS +=), so the two never part.
PKGS=$(sed -n 's/^PKGS +*= *//p' Makefile | tr '\n' ' ')
# The core's objects, as the Makefile builds them for ./rollcall.
make -s --no-print-directory rollcall
CORE_OBJ=$(for f in src/*.c; do n=$(basename "$f" .c)
	case $n in main | cli* | tui*) ;; *) echo "build/$n.o" ;; esac; done)
mkdir -p $B
# The bare peers call cnats itself: linked here (rollcall opens it with
# dlopen, include/natsdl.h; the core's calls find this same library).
# shellcheck disable=SC2046,SC2086
$CC -std=c11 -O2 -Wall -Wextra $(pkg-config --cflags $PKGS libnats) \
    -Iinclude -o $B/natspeer tests/bench/natspeer.c tests/bench/util.c \
    $CORE_OBJ $(pkg-config --libs $PKGS libnats) -lcsv
$CC -std=c11 -O2 -Wall -Wextra -o $B/gen tests/bench/gen.c -lm
NATS=$(command -v nats-server || echo /usr/sbin/nats-server)

fig() { printf '%s %s %s\n' "$1" "$2" "$3" | tee -a $RES; }
# Best of the rounds of a figure in file f.
best() { awk -v n="$2" '$1 == n && $2 > v { v = $2 } END { print v }' "$1"; }
# Seconds since the epoch, to the microsecond.
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f\n", n / (b - a) }'; }

rm -rf $W
mkdir -p $W
: >$RES
GEN=$($B/gen $W/work "$S" "$DAYS")
FIRST=$(echo "$GEN" | awk '{ for (i = 1; i < NF; i++) if ($i == "first_day") print $(i + 1) }')
PDAY=$(echo "$GEN" | awk '{ for (i = 1; i < NF; i++) if ($i == "probe_day") print $(i + 1) }')
ROLLCALL_NOW=${FIRST}T07:00:00 ./rollcall --db $W/src import students \
    $W/work/roster.csv >/dev/null
ROLLCALL_NOW=${PDAY}T23:59:59 ./rollcall --db $W/src import attendance \
    $W/work/attendance.csv >/dev/null
N=$(./rollcall --db $W/src status --format json |
    sed -n 's/.*"head": \([0-9]*\).*/\1/p')
fig ship_events "$N" events

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=nats://127.0.0.1:$PORT
"$NATS" -js -a 127.0.0.1 -p "$PORT" -sd $W/nats >$W/nats.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
# JetStream answers only once the server says it is ready (a loaded
# machine takes more than a second).
i=0
until grep -q "Server is ready" $W/nats.log; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "ship.sh: nats-server did not start" >&2
		exit 1; }
	sleep 0.1
done

ORIGIN=$(./rollcall --db $W/src status --format json |
    sed -n 's/.*"origin": "\([0-9a-f-]*\)".*/\1/p')
for r in $(seq "$ROUNDS"); do
	$B/natspeer pub "$URL" $W/src BARE-$r >>$W/runs
	python3 tests/natsctl.py "$PORT" rm BARE-$r >/dev/null
	# The pull below reads these: messages as the replica's, headers too.
	$B/natspeer pubh "$URL" $W/src BARE-$r >>$W/runs
	t0=$(now)
	./rollcall --db $W/src publish --to "$URL" --stream RC-$r \
	    >$W/pub.out
	t1=$(now)
	echo "ship_publish $(rate "$N" "$t0" "$t1") events/s" >>$W/runs
	$B/natspeer pull "$URL" BARE-$r "$N" >>$W/runs
	rm -rf $W/rep
	t0=$(now)
	./rollcall --db $W/rep replica --from "$URL" --origin "$ORIGIN" \
	    --stream RC-$r >$W/rep.out
	t1=$(now)
	echo "ship_replica $(rate "$N" "$t0" "$t1") events/s" >>$W/runs
	# One stream per subject: the next round's takes it over.
	python3 tests/natsctl.py "$PORT" rm RC-$r >/dev/null
	python3 tests/natsctl.py "$PORT" rm BARE-$r >/dev/null
done
for n in ship_bare_pub ship_bare_pub_headed ship_publish ship_bare_pull \
    ship_replica; do
	fig $n "$(best $W/runs $n)" events/s
done
fig ship_publish_ratio "$(awk -v a="$(best $W/runs ship_publish)" \
    -v b="$(best $W/runs ship_bare_pub)" 'BEGIN { printf "%.2f", a / b }')" x
# What the two headers the SPEC asks for cost the server, for the reader.
fig ship_publish_headed_ratio "$(awk -v a="$(best $W/runs ship_publish)" \
    -v b="$(best $W/runs ship_bare_pub_headed)" 'BEGIN { printf "%.2f", a / b }')" x
fig ship_replica_ratio "$(awk -v a="$(best $W/runs ship_replica)" \
    -v b="$(best $W/runs ship_bare_pull)" 'BEGIN { printf "%.2f", a / b }')" x

# Follow: a registration on the source, durable, until the replica's
# read side has it (through publish --follow, the stream, replica
# --follow).
./rollcall --db $W/src publish --to "$URL" --follow >/dev/null 2>&1 &
PUB=$!
./rollcall --db $W/rep2 replica --from "$URL" --origin "$ORIGIN" \
    --follow >/dev/null 2>&1 &
REP=$!
trap 'kill $SERVER $PUB $REP 2>/dev/null' EXIT
i=0
while [ "$(./rollcall --db $W/rep2 status --format json 2>/dev/null |
    sed -n 's/.*"head": \([0-9]*\).*/\1/p')" != "$N" ]; do
	i=$((i + 1))
	[ $i -lt 1500 ] || { echo "ship.sh: the replica did not catch up" >&2
		exit 1; }
	sleep 0.2
done
ROLLCALL_NOW=${PDAY}T23:59:59 $B/natspeer follow $W/src $W/rep2 200 |
    tee -a $RES
kill $PUB $REP
wait $PUB $REP 2>/dev/null || true
# Reaped: their pids may be anyone's now.
trap 'kill $SERVER 2>/dev/null' EXIT
