#!/bin/sh
# day and events (SPEC 3): present/absent, the day's JSON shape, the
# event log in both formats, --from and --follow.
. "$(dirname "$0")/../lib.sh"

day_present_absent() {
	export ROLLCALL_NOW=2025-08-01T07:00:00
	new_student "Ada Lovelace" ada@example.org; a=$id
	new_student "Grace Hopper" grace@example.org; g=$id
	new_student "Carl Absent" carl@example.org; c=$id
	new_student "Eve Removed" eve@example.org; e=$id
	new_student "Voided Vic" vic@example.org; v=$id
	export ROLLCALL_NOW=2025-09-02T12:00:00
	expect 0 checkin "$a" --at 2025-09-02T08:00
	expect 0 checkin "$g" --at 2025-09-02T09:10:30
	expect 0 checkin "$v" --at 2025-09-02T09:00
	expect 0 void "$v" --day 2025-09-02
	export ROLLCALL_NOW=2025-09-03T12:00:00
	new_student "Dora Newcomer" dora@example.org; dn=$id
	expect 0 remove "$e"
	expect 0 day 2025-09-02 --format json
	py json 'isinstance(d, dict) and set(d) >= {"day", "present", "absent"} and d["day"] == "2025-09-02" and d["school_day"] is True and d["closed"] is None'
	py json 'all(set(p) >= {"id", "name", "arrived", "status", "points"} for p in d["present"])'
	py json 'all(set(p) >= {"id", "name"} for p in d["absent"])'
	py json 'sorted((p["id"], p["name"], p["arrived"], p["status"], p["points"]) for p in d["present"]) == sorted([("'"$a"'", "Ada Lovelace", "08:00:00", "early", 5), ("'"$g"'", "Grace Hopper", "09:10:30", "late", -5)])'
	# SPEC 6: Eve, removed the next day, was enrolled on the 2nd
	py json 'sorted((p["id"], p["name"]) for p in d["absent"]) == sorted([("'"$c"'", "Carl Absent"), ("'"$e"'", "Eve Removed"), ("'"$v"'", "Voided Vic")])'
	# registered that day: absent; a student removed that day is not
	# enrolled any more (the removal day is not included)
	expect 0 day 2025-09-03 --format json
	py json 'd["day"] == "2025-09-03" and d["present"] == []'
	py json 'sorted(p["id"] for p in d["absent"]) == sorted(["'"$a"'", "'"$g"'", "'"$c"'", "'"$v"'", "'"$dn"'"])'
	# before anyone registered
	expect 0 day 2025-07-31 --format json
	py json 'd["day"] == "2025-07-31" and d["present"] == [] and d["absent"] == []'
	# default: today
	expect 0 checkin "$dn" --format json
	expect 0 day --format json
	py json 'd["day"] == "2025-09-03" and [p["id"] for p in d["present"]] == ["'"$dn"'"]'
	expect 0 day 2025-09-02
	has "Ada Lovelace"
	has "Grace Hopper"
	has "Carl Absent"
	has "08:00:00"
	has "late"
	has "Eve Removed"
	hasnt "Dora Newcomer"
	expect 0 day 2025-09-02 --format csv
	has "$a"
	has "$c"
	has "$e"
	hasnt "$dn"
}

events_listing() {
	expect 0 events
	same "$out" "" "events of an empty database"
	expect 0 events --format jsonl
	same "$out" "" "events --format jsonl of an empty database"
	ROLLCALL_NOW=2025-08-01T07:00:00 new_student "Ada Lovelace" ada@example.org; a=$id
	ROLLCALL_NOW=2025-08-01T07:00:05 new_student "Grace Hopper" grace@example.org; g=$id
	ROLLCALL_NOW=2025-08-02T07:00:00 expect 0 edit "$a" --name "Ada King"
	ROLLCALL_NOW=2025-08-03T08:00:00 expect 0 checkin "$a"
	ROLLCALL_NOW=2025-08-03T09:00:00 expect 0 void "$a" --reason "test"
	ROLLCALL_NOW=2025-08-04T10:00:00 expect 0 config points 7
	ROLLCALL_NOW=2025-08-05T11:00:00 expect 0 remove "$g"
	expect 0 events --format jsonl
	py jsonl 'len(d) == 7 and all(set(e) >= {"seq", "type", "version", "recorded_at", "data"} for e in d)'
	py jsonl '[e["seq"] for e in d] == list(range(1, 8))'
	py jsonl '[e["type"] for e in d] == ["student_registered", "student_registered", "student_updated", "attendance_recorded", "attendance_voided", "config_changed", "student_removed"]'
	py jsonl 'all(isinstance(e["version"], int) and not isinstance(e["version"], bool) and e["version"] >= 1 for e in d)'
	py jsonl 'all(isinstance(e["data"], dict) for e in d)'
	py jsonl '[re.fullmatch(r"(\S+?)(\.\d+)?Z", e["recorded_at"]).group(1) for e in d] == ["2025-08-01T07:00:00", "2025-08-01T07:00:05", "2025-08-02T07:00:00", "2025-08-03T08:00:00", "2025-08-03T09:00:00", "2025-08-04T10:00:00", "2025-08-05T11:00:00"]'
	py jsonl 'all(l.strip() and isinstance(json.loads(l), dict) for l in s.rstrip("\n").split("\n"))'
	py jsonl '"'"$a"'" in json.dumps(d[0]["data"]) and "Ada Lovelace" in json.dumps(d[0]["data"]) and "ada@example.org" in json.dumps(d[0]["data"])'
	py jsonl '"Ada King" in json.dumps(d[2]["data"]) and "'"$a"'" in json.dumps(d[2]["data"])'
	py jsonl '"'"$a"'" in json.dumps(d[3]["data"]) and "'"$a"'" in json.dumps(d[4]["data"]) and "test" in json.dumps(d[4]["data"])'
	py jsonl '"points" in json.dumps(d[5]["data"]) and "7" in json.dumps(d[5]["data"])'
	py jsonl '"'"$g"'" in json.dumps(d[6]["data"])'
	# for people: one line per event
	expect 0 events
	n=$(printf '%s\n' "$out" | wc -l)
	[ "$n" -eq 7 ] || [ "$n" -eq 8 ] || fail "events printed $n lines for 7 events: $out"
	for t in student_registered student_updated attendance_recorded attendance_voided config_changed student_removed; do
		has "$t"
	done
	# --from
	expect 0 events --from 5 --format jsonl
	py jsonl '[e["seq"] for e in d] == [5, 6, 7] and d[0]["type"] == "attendance_voided"'
	expect 0 events --from 7 --format jsonl
	py jsonl '[e["seq"] for e in d] == [7]'
	expect 0 events --from 8 --format jsonl
	same "$out" "" "events --from past the head"
	expect 0 events --from 1 --format jsonl
	py jsonl 'len(d) == 7'
	expect 0 events --from 6
	n=$(printf '%s\n' "$out" | wc -l)
	[ "$n" -eq 2 ] || [ "$n" -eq 3 ] || fail "events --from 6 printed $n lines for 2 events: $out"
	has config_changed
	hasnt student_updated
	refuse 1 events --from -1
	refuse 1 events --format xml
}

# wait_for FILE TEXT: waits up to 10 s for TEXT to appear in FILE.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		grep -qF "$2" "$1" 2>/dev/null && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

follow() {
	new_student "Ada Lovelace" ada@example.org; a=$id
	"$RC" events --follow --format jsonl >"$T/follow.out" 2>"$T/follow.err" &
	fpid=$!
	"$RC" events --follow >"$T/follow2.out" 2>"$T/follow2.err" &
	fpid2=$!
	"$RC" events --follow --from 2 --format jsonl >"$T/follow3.out" 2>"$T/follow3.err" &
	fpid3=$!
	trap 'kill "$fpid" "$fpid2" "$fpid3" 2>/dev/null' EXIT
	ok=1
	wait_for "$T/follow.out" "$a" || ok=0
	if [ $ok = 1 ]; then
		# another process appends
		sh -c '"$0" add --name "Grace Hopper" --email grace@example.org' "$RC" >"$T/g.id" ||
		    { kill "$fpid" "$fpid2" "$fpid3"; fail "add failed"; }
		g=$(cat "$T/g.id")
		wait_for "$T/follow.out" "$g" || ok=2
		[ $ok = 1 ] && { wait_for "$T/follow2.out" student_registered || ok=3; }
		[ $ok = 1 ] && { wait_for "$T/follow3.out" "$g" || ok=4; }
		[ $ok = 1 ] && { expect 0 checkin "$g"; wait_for "$T/follow.out" attendance_recorded || ok=5; }
	fi
	alive=1
	kill -0 "$fpid" 2>/dev/null || alive=0
	kill "$fpid" "$fpid2" "$fpid3" 2>/dev/null
	wait "$fpid" "$fpid2" "$fpid3" 2>/dev/null
	case $ok in
	0) fail "events --follow did not print the existing events: $(cat "$T/follow.out" "$T/follow.err")" ;;
	2) fail "events --follow did not print an event appended by another process within 10 s: $(cat "$T/follow.out" "$T/follow.err")" ;;
	3) fail "events --follow (people format) did not show the new event: $(cat "$T/follow2.out" "$T/follow2.err")" ;;
	4) fail "events --follow --from 2 did not show the new event: $(cat "$T/follow3.out" "$T/follow3.err")" ;;
	5) fail "events --follow stopped following after the first new event" ;;
	esac
	[ $alive = 1 ] || fail "events --follow exited instead of following"
	out=$(cat "$T/follow.out")
	py jsonl '[e["seq"] for e in d] == [1, 2, 3] and [e["type"] for e in d] == ["student_registered", "student_registered", "attendance_recorded"]'
	out=$(cat "$T/follow3.out")
	py jsonl '[e["seq"] for e in d][:1] == [2]'
}

tcase day_present_absent day_present_absent
tcase events_listing events_listing
tcase follow follow
tdone
