#!/bin/sh
# Durability (SPEC 2): rollcall add processes killed with SIGKILL at
# random moments.  Every registration that printed its id survives, the
# checkpoint equals the head, and verify is clean.
. "$(dirname "$0")/../lib.sh"

now_ms() { date +%s%3N; }
# rand MAX: a random whole number from 0 to MAX-1.
rand() { echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 )); }

crash_add() {
	mkdir -p "$T/c"
	# how long one add takes here (ASan makes it slow)
	new_student "Warm Up" warmup@example.org
	echo "$id" >"$T/c/out.0"
	t0=$(now_ms)
	"$RC" add --name "Warm Up 2" --email warmup2@example.org >"$T/c/out.00" ||
	    fail "add failed"
	span=$(( $(now_ms) - t0 ))
	[ "$span" -ge 5 ] || span=5
	limit=$(( $(now_ms) + 30000 ))
	i=0
	while [ $i -lt 100 ] && [ "$(now_ms)" -lt "$limit" ]; do
		i=$((i + 1))
		# two at once now and then, so that one is killed holding the lock
		"$RC" add --name "Crash $i" --email "crash$i@example.org" >"$T/c/out.$i" 2>"$T/c/err.$i" &
		p1=$!
		p2=""
		if [ $((i % 3)) -eq 0 ]; then
			"$RC" add --name "Crash $i b" --email "crash${i}b@example.org" >"$T/c/out.${i}b" 2>"$T/c/err.${i}b" &
			p2=$!
		fi
		d=$(rand $((span)))
		sleep "$(awk -v d="$d" 'BEGIN { printf "%.3f", d / 1000 }')"
		kill -9 $p1 $p2 2>/dev/null
		wait $p1 $p2 2>/dev/null
	done
	echo "$i rounds, up to $((span)) ms each" >&2
	# every id that was printed was committed
	cat "$T/c"/out.* | grep -Ex \
	    '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}' >"$T/printed"
	printed=$(wc -l <"$T/printed")
	echo "$printed adds printed their id" >&2
	expect 0 students --format csv
	printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
ids = [r.get("id") or r.get("ID") for r in rows]
printed = open(sys.argv[1]).read().split()
missing = [p for p in printed if p not in ids]
assert not missing, "printed but lost: %s" % missing
assert len(ids) == len(set(ids)), "an id listed twice"
emails = [r.get("email", "").lower() for r in rows]
assert len(emails) == len(set(emails)), "an email registered twice"
' "$T/printed" || fail "registrations lost after SIGKILL"
	expect 0 status --format json
	py json 'd["head"] == d["checkpoint"] and d["errors"] in (0, [])'
	py json 'd["students"] >= '"$printed"
	expect 0 verify
	# and the database still takes writes
	new_student "After Crash" after@example.org
	expect 0 checkin "$id"
	expect 0 verify
	expect 0 status --format json
	py json 'd["head"] == d["checkpoint"]'
}

# a killed import is all or nothing
crash_import() {
	expect 0 status
	python3 -c '
import sys
print("name,email")
for i in range(300): print("Warm %d,warm%d@example.org" % (i, i))' >"$T/warm.csv"
	t0=$(now_ms)
	expect 0 import students "$T/warm.csv"
	span=$(( $(now_ms) - t0 ))
	done_ok=0
	for r in 1 2 3 4 5 6 7 8 9 10 11 12; do
		python3 -c '
import sys
r = sys.argv[1]
print("email,name")
for i in range(300): print("r%s.s%d@example.org,Round %s Student %d" % (r, i, r, i))' "$r" >"$T/imp.$r.csv"
		"$RC" import students "$T/imp.$r.csv" >/dev/null 2>&1 &
		p=$!
		sleep "$(awk -v d="$(rand $((span * 2 / 3)))" 'BEGIN { printf "%.3f", d / 1000 }')"
		kill -9 $p 2>/dev/null
		wait $p 2>/dev/null
		rc=$?
		expect 0 students --format csv
		n=$(printf '%s\n' "$out" | grep -c "^.*r$r\.s[0-9]*@example.org")
		[ "$n" -eq 0 ] || [ "$n" -eq 300 ] || fail "a killed import left $n of 300 students"
		[ "$rc" -ne 0 ] || [ "$n" -eq 300 ] || fail "an import that succeeded left $n of 300 students"
		[ "$n" -eq 300 ] && done_ok=$((done_ok + 1))
	done
	echo "$done_ok of 12 killed imports had committed" >&2
	expect 0 status --format json
	py json 'd["head"] == d["checkpoint"] == d["students"] and d["errors"] in (0, [])'
	expect 0 verify
}

tcase crash_add crash_add
tcase crash_import crash_import
tdone
