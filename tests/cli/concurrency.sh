#!/bin/sh
# Several processes on one database (SPEC 2): once a day and unique
# email hold across processes, and no event is lost.
. "$(dirname "$0")/../lib.sh"

# race N DIR CMD...: starts N copies of rollcall CMD at once; leaves
# DIR/rc.I, DIR/out.I, DIR/err.I; sets $wins and $losses (exit 0 / 1).
race() {
	_n=$1 _d=$2; shift 2
	mkdir -p "$_d"
	_i=0 _pids=""
	while [ $_i -lt "$_n" ]; do
		_i=$((_i + 1))
		( "$RC" "$@" >"$_d/out.$_i" 2>"$_d/err.$_i"; echo $? >"$_d/rc.$_i" ) &
		_pids="$_pids $!"
	done
	# shellcheck disable=SC2086
	wait $_pids
	wins=$(cat "$_d"/rc.* | grep -cx 0)
	losses=$(cat "$_d"/rc.* | grep -cx 1)
	same "$(cat "$_d"/rc.* | wc -l)" "$_n" "processes that finished"
	for _i in $(seq 1 "$_n"); do
		if [ "$(cat "$_d/rc.$_i")" = 1 ]; then
			err=$(cat "$_d/err.$_i"); one_err
		fi
	done
}

race_checkin() {
	ROLLCALL_NOW=2025-08-01T07:00 new_student "Ada Lovelace" ada@example.org; a=$id
	ROLLCALL_NOW=2025-08-01T07:00 new_student "Grace Hopper" grace@example.org; g=$id
	for day in 2025-09-01 2025-09-02 2025-09-03; do
		ROLLCALL_NOW=${day}T08:40:00 race 8 "$T/ci.$day" checkin "$a"
		same "$wins $losses" "1 7" "winners and losers racing to check in on $day"
	done
	# by id and by email at once, and with --at
	ROLLCALL_NOW=2025-09-04T12:00 race 4 "$T/ci.mixed1" checkin ada@example.org --at 2025-09-04T09:30
	w1=$wins
	ROLLCALL_NOW=2025-09-04T12:00 race 4 "$T/ci.mixed2" checkin "$a" --at 2025-09-04T08:00
	same "$((w1 + wins))" 1 "winners racing by id and by email"
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d].count("attendance_recorded") == 4'
	expect 0 student "$a" --format json
	py json 'd["days_present"] == 4 and len([x for x in d["attendance"] if not x["voided"]]) == 4'
	expect 0 student "$g" --format json
	py json 'd["days_present"] == 0'
	expect 0 status --format json
	py json 'd["head"] == d["checkpoint"] == 6'
	expect 0 verify
}

race_add() {
	race 8 "$T/add" add --name "Racer" --email race@example.org
	same "$wins $losses" "1 7" "winners and losers racing to register one email"
	for i in 1 2 3 4 5 6 7 8; do
		[ "$(cat "$T/add/rc.$i")" = 0 ] && winner=$(cat "$T/add/out.$i")
	done
	is_uuid "$winner" || fail "the winner printed '$winner'"
	# case-insensitively the same email
	mkdir -p "$T/add2"
	i=0
	for e in Race2@example.org race2@EXAMPLE.org RACE2@example.org race2@example.org; do
		i=$((i + 1))
		( "$RC" add --name "Racer $i" --email "$e" >"$T/add2/out.$i" 2>"$T/add2/err.$i"; echo $? >"$T/add2/rc.$i" ) &
	done
	wait
	same "$(cat "$T/add2"/rc.* | sort | tr '\n' ' ')" "0 1 1 1 " "exit statuses racing with emails differing in case"
	expect 0 students --format json
	py json 'len(d) == 2 and d[0]["id"] == "'"$winner"'"'
	expect 0 events --format jsonl
	py jsonl 'len(d) == 2'
	expect 0 verify
}

writers() {
	mkdir -p "$T/w"
	for w in 1 2 3 4; do
		(
			i=0
			while [ $i -lt 200 ]; do
				i=$((i + 1))
				"$RC" add --name "Writer $w Student $i" --email "w$w.s$i@example.org" \
				    >>"$T/w/ids.$w" 2>>"$T/w/err.$w" || echo "add $w $i failed: $?" >>"$T/w/fail.$w"
			done
		) &
	done
	wait
	cat "$T/w"/fail.* 2>/dev/null | head -5 >"$T/w/fails"
	[ -s "$T/w/fails" ] && fail "adds failed: $(cat "$T/w/fails") $(cat "$T/w"/err.* | head -5)"
	cat "$T/w"/ids.* >"$T/w/ids"
	same "$(wc -l <"$T/w/ids")" 800 "ids printed"
	same "$(sort -u "$T/w/ids" | wc -l)" 800 "distinct ids printed"
	expect 0 students --format csv
	printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
ids = {r.get("id") or r.get("ID") for r in rows}
printed = set(open(sys.argv[1]).read().split())
assert len(rows) == 800, "%d students listed" % len(rows)
assert ids == printed, "listed ids differ from printed ids"
' "$T/w/ids" || fail "students after 4 parallel writers"
	expect 0 status --format json
	py json 'd["head"] == 800 and d["checkpoint"] == 800 and d["students"] == 800'
	expect 0 events --format jsonl
	py jsonl '[e["seq"] for e in d] == list(range(1, 801))'
	expect 0 verify
}

# rebuild and verify while others write: no event lost, no false alarm
rebuild_under_load() {
	mkdir -p "$T/r"
	for w in 1 2; do
		(
			i=0
			while [ $i -lt 60 ]; do
				i=$((i + 1))
				id=$("$RC" add --name "Load $w $i" --email "l$w.$i@example.org") ||
				    echo "add $w $i: $?" >>"$T/r/fail"
				"$RC" checkin "$id" >/dev/null || echo "checkin $w $i: $?" >>"$T/r/fail"
			done
		) &
	done
	(
		for k in 1 2 3 4; do
			"$RC" rebuild >/dev/null 2>>"$T/r/rv.err" || echo "rebuild $k: $?" >>"$T/r/fail"
			"$RC" verify >/dev/null 2>>"$T/r/rv.err" || echo "verify $k: $?" >>"$T/r/fail"
		done
	) &
	wait
	[ -s "$T/r/fail" ] && fail "failures under load: $(head -5 "$T/r/fail") $(head -5 "$T/r/rv.err")"
	expect 0 status --format json
	py json 'd["head"] == 240 and d["checkpoint"] == 240 and d["students"] == 120 and d["errors"] in (0, [])'
	expect 0 students --format json
	py json 'len(d) == 120 and all(s["days_present"] == 1 and s["points"] == 5 for s in d)'
	expect 0 verify
}

tcase race_checkin race_checkin
tcase race_add race_add
tcase writers writers
tcase rebuild_under_load rebuild_under_load
tdone
