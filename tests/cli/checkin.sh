#!/bin/sh
# Check-ins and voids (SPEC 1 and 3): the points policy to the second,
# once a day, never the future, back-dating, policy changes that never
# rewrite history, voiding, the figures and the checkin output.
. "$(dirname "$0")/../lib.sh"

# reg NAME EMAIL: registers a student well before the days used here.
reg() { ROLLCALL_NOW=2025-08-01T07:00:00 new_student "$@"; }

# ci STUDENT AT STATUS POINTS: checks in --at AT and checks the outcome.
ci() {
	expect 0 checkin "$1" --at "$2" --format json
	py json 'd["status"] == "'"$3"'" and d["points"] == '"$4"
}

boundaries_at() {
	export ROLLCALL_NOW=2025-09-01T12:00:00
	for t in 00:00:00:early:5 08:54:59:early:5 08:55:00:early:5 08:55:01:on_time:0 \
	    09:00:00:on_time:0 09:04:59:on_time:0 09:05:00:late:-5 11:59:59:late:-5; do
		hms=${t%:*:*}; rest=${t#*:*:*:}
		reg "At $hms" "at.${hms%%:*}.$(echo "$hms" | tr -d :)@example.org"
		ci "$id" "2025-09-01T$hms" "${rest%:*}" "${rest#*:}"
		py json 'd["arrived"] == "'"$hms"'" and d["day"] == "2025-09-01"'
	done
	# without seconds
	reg "No Seconds" nosec@example.org
	ci "$id" 2025-09-01T08:55 early 5
	py json 'd["arrived"] == "08:55:00"'
	reg "No Seconds Late" nosec2@example.org
	ci "$id" 2025-09-01T09:05 late -5
}

boundaries_now() {
	for t in 08:55:00:early:5 08:55:01:on_time:0 09:04:59:on_time:0 09:05:00:late:-5; do
		hms=${t%:*:*}; rest=${t#*:*:*:}
		reg "Now $hms" "now$(echo "$hms" | tr -d :)@example.org"
		ROLLCALL_NOW=2025-09-01T$hms expect 0 checkin "$id" --format json
		py json 'd["status"] == "'"${rest%:*}"'" and d["points"] == '"${rest#*:}"' and d["arrived"] == "'"$hms"'" and d["day"] == "2025-09-01"'
	done
	reg "Now Short" nowshort@example.org
	ROLLCALL_NOW=2025-09-01T09:05 expect 0 checkin "$id" --format json
	py json 'd["status"] == "late" and d["arrived"] == "09:05:00"'
	# the clock also dates the event
	expect 0 events --format jsonl
	py jsonl 're.fullmatch(r"2025-09-01T09:05:00(\.\d+)?Z", d[-1]["recorded_at"])'
	py jsonl 're.fullmatch(r"2025-09-01T08:55:00(\.\d+)?Z", [e for e in d if e["type"] == "attendance_recorded"][0]["recorded_at"])'
}

output() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	expect 0 checkin ada@example.org --at 2025-08-29T08:50:00 --format json
	py json 'set(d) >= {"id", "name", "day", "arrived", "status", "points", "total_points"}'
	py json 'd == {**d, "id": "'"$a"'", "name": "Ada Lovelace", "day": "2025-08-29", "arrived": "08:50:00", "status": "early", "points": 5, "total_points": 5}'
	expect 0 checkin "$a" --at 2025-08-30T09:10:00 --format json
	py json 'd["status"] == "late" and d["points"] == -5 and d["total_points"] == 0'
	expect 0 checkin "$a" --at 2025-08-31T09:00:00 --format json
	py json 'd["status"] == "on_time" and d["points"] == 0 and d["total_points"] == 0'
	# the table output names it all
	expect 0 checkin "$a" --at 2025-09-01T08:10:00
	has "Ada Lovelace"
	has "2025-09-01"
	has "08:10"
	has "early"
	has "5"
	expect 0 checkin "$a" --at 2025-08-28T08:00:00 --format csv
	py csv 'len(d) == 1 and d[0]["id"] == "'"$a"'" and d[0]["day"] == "2025-08-28"'
	expect 0 student "$a" --format json
	py json 'd["points"] == 10 and d["days_present"] == 5'
}

once_per_day() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	reg "Grace Hopper" grace@example.org
	expect 0 checkin "$a"
	refuse 1 checkin "$a"
	refuse 1 checkin ada@example.org
	refuse 1 checkin "$a" --at 2025-09-01T07:00
	refuse 1 checkin "$a" --at 2025-09-01T00:00:00
	expect 0 checkin grace@example.org
	expect 0 checkin "$a" --at 2025-08-31T23:59:59
	refuse 1 checkin "$a" --at 2025-08-31T08:00
	expect 0 student "$a" --format json
	py json 'd["days_present"] == 2'
	py json '[x["day"] for x in d["attendance"]] == ["2025-08-31", "2025-09-01"]'
}

future() {
	reg "Ada Lovelace" ada@example.org
	refuse 1 checkin "$id" --at 2025-09-01T08:30:01
	refuse 1 checkin "$id" --at 2025-09-01T09:00
	refuse 1 checkin "$id" --at 2025-09-02T00:00:00
	refuse 1 checkin "$id" --at 2026-01-01T08:00
	for bad in "2025-09-01 08:00" "2025-09-01T8:00" "2025-09-01T08:60" \
	    "2025-09-01T24:00" "2025-02-30T08:00" "2025-09-01" "yesterday" \
	    "2025-09-01T08:00:00Z" "2025-09-01T08:00:00+02:00"; do
		refuse 1 checkin "$id" --at "$bad"
	done
	expect 0 checkin "$id" --at 2025-09-01T08:30:00 --format json
	py json 'd["arrived"] == "08:30:00" and d["status"] == "early"'
}

back_dated_policy() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	expect 0 config points 10
	# back-dated to before the change: the policy in force when recorded
	expect 0 checkin "$a" --at 2025-08-15T08:00 --format json
	py json 'd["status"] == "early" and d["points"] == 10'
	expect 0 config start-time 08:00
	expect 0 checkin "$a" --at 2025-08-14T08:30 --format json
	py json 'd["status"] == "late" and d["points"] == -10'
	expect 0 student "$a" --format json
	py json 'd["points"] == 0 and d["days_early"] == 1 and d["days_late"] == 1'
	# also before the student's registration day (historic records)
	ROLLCALL_NOW=2025-09-01T08:30 new_student "New Person" new@example.org
	expect 0 checkin "$id" --at 2025-08-20T07:00 --format json
	py json 'd["status"] == "early" and d["day"] == "2025-08-20"'
}

not_retroactive() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	reg "Grace Hopper" grace@example.org
	g=$id
	ROLLCALL_NOW=2025-09-01T08:00 expect 0 checkin "$a"
	ROLLCALL_NOW=2025-09-01T09:30 expect 0 checkin "$g"
	ROLLCALL_NOW=2025-09-01T10:00 expect 0 config points 20
	ROLLCALL_NOW=2025-09-01T10:00 expect 0 config start-time 10:00
	ROLLCALL_NOW=2025-09-01T10:00 expect 0 config window-minutes 60
	check_both() {
		expect 0 student "$a" --format json
		py json 'd["points"] == 5 and d["days_early"] == 1 and d["attendance"][0]["status"] == "early" and d["attendance"][0]["points"] == 5'
		expect 0 student "$g" --format json
		py json 'd["points"] == -5 and d["days_late"] == 1 and d["attendance"][0]["status"] == "late" and d["attendance"][0]["points"] == -5'
		expect 0 day 2025-09-01 --format json
		py json 'sorted((p["id"], p["status"], p["points"]) for p in d["present"]) == sorted([("'"$a"'", "early", 5), ("'"$g"'", "late", -5)])'
	}
	check_both
	expect 0 rebuild
	check_both
	# later check-ins use the new policy
	ROLLCALL_NOW=2025-09-02T09:30 expect 0 checkin "$g" --format json
	py json 'd["status"] == "on_time" and d["points"] == 0 and d["total_points"] == -5'
	ROLLCALL_NOW=2025-09-02T09:00 expect 0 checkin "$a" --format json
	py json 'd["status"] == "early" and d["points"] == 20 and d["total_points"] == 25'
	expect 0 rebuild
	expect 0 student "$a" --format json
	py json 'd["points"] == 25 and [x["points"] for x in d["attendance"]] == [5, 20]'
	expect 0 verify
}

void() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	reg "Grace Hopper" grace@example.org
	g=$id
	refuse 1 void "$a"
	refuse 1 void "$a" --day 2025-08-31
	ROLLCALL_NOW=2025-09-01T08:00 expect 0 checkin "$a"
	expect 0 void "$a"
	expect 0 student "$a" --format json
	py json 'd["points"] == 0 and d["days_present"] == 0 and d["days_early"] == 0'
	py json 'all(x["voided"] is True for x in d["attendance"] if x["day"] == "2025-09-01")'
	expect 0 day --format json
	py json '"'"$a"'" not in [p["id"] for p in d["present"]] and "'"$a"'" in [p["id"] for p in d["absent"]]'
	refuse 1 void "$a"
	refuse 1 void ada@example.org --day 2025-09-01
	# and check in again the same day
	ROLLCALL_NOW=2025-09-01T09:10 expect 0 checkin "$a" --format json
	py json 'd["status"] == "late" and d["points"] == -5 and d["total_points"] == -5'
	refuse 1 checkin "$a"
	expect 0 student "$a" --format json
	py json 'd["points"] == -5 and d["days_present"] == 1 and d["days_late"] == 1'
	py json '[(x["arrived"], x["status"]) for x in d["attendance"] if x["day"] == "2025-09-01" and not x["voided"]] == [("09:10:00", "late")]'
	py json '[x["voided"] for x in d["attendance"]] in ([False], [True, False], [False, True])'
	expect 0 day --format json
	py json '[(p["id"], p["arrived"]) for p in d["present"]] == [("'"$a"'", "09:10:00")]'
	# a past day, by email, with a reason
	expect 0 checkin "$g" --at 2025-08-29T08:00
	expect 0 void grace@example.org --day 2025-08-29 --reason "checked in the wrong person"
	expect 0 student "$g" --format json
	py json 'd["points"] == 0 and d["days_present"] == 0'
	expect 0 checkin "$g" --at 2025-08-29T09:01
	expect 0 student "$g" --format json
	py json 'd["points"] == 0 and d["days_on_time"] == 1 and d["days_present"] == 1'
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d].count("attendance_voided") == 2'
	py jsonl '"checked in the wrong person" in json.dumps([e for e in d if e["type"] == "attendance_voided"][-1]["data"], ensure_ascii=False)'
	refuse 1 void "$g" --day 2025-09-02
	refuse 1 void "$g" --day 2025-8-29
	refuse 1 void "$g" --day 2025-02-30
	expect 0 rebuild
	expect 0 student "$a" --format json
	py json 'd["points"] == -5 and d["days_present"] == 1'
	expect 0 verify
}

figures() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	reg "Grace Hopper" grace@example.org
	g=$id
	expect 0 checkin "$a" --at 2025-08-29T09:30
	expect 0 checkin "$a" --at 2025-08-27T08:00
	expect 0 checkin "$a" --at 2025-08-28T09:02
	expect 0 checkin "$a" --at 2025-08-26T08:30
	expect 0 checkin "$a" --at 2025-08-25T09:05
	expect 0 checkin "$g" --at 2025-08-25T08:00
	expect 0 void "$a" --day 2025-08-26
	expect 0 student "$a" --format json
	py json '(d["points"], d["days_present"], d["days_early"], d["days_late"], d["days_on_time"]) == (-5, 4, 1, 2, 1)'
	py json '[x["day"] for x in d["attendance"]] == sorted(x["day"] for x in d["attendance"])'
	py json '[(x["day"], x["arrived"], x["status"], x["points"], x["voided"]) for x in d["attendance"]] == [("2025-08-25", "09:05:00", "late", -5, False), ("2025-08-26", "08:30:00", "early", 5, True), ("2025-08-27", "08:00:00", "early", 5, False), ("2025-08-28", "09:02:00", "on_time", 0, False), ("2025-08-29", "09:30:00", "late", -5, False)]'
	expect 0 students --format json
	py json '[(s["id"], s["points"], s["days_present"], s["days_early"], s["days_late"], s["days_on_time"]) for s in d] == [("'"$a"'", -5, 4, 1, 2, 1), ("'"$g"'", 5, 1, 1, 0, 0)]'
}

timezone() {
	export TZ=America/New_York
	ROLLCALL_NOW=2025-08-01T07:00 new_student "Ada Lovelace" ada@example.org
	a=$id
	ROLLCALL_NOW=2025-09-01T22:00:00 expect 0 checkin "$a" --format json
	py json 'd["day"] == "2025-09-01" and d["arrived"] == "22:00:00" and d["status"] == "late"'
	expect 0 events --format jsonl
	py jsonl 're.fullmatch(r"2025-08-01T11:00:00(\.\d+)?Z", d[0]["recorded_at"])'
	py jsonl 're.fullmatch(r"2025-09-02T02:00:00(\.\d+)?Z", d[1]["recorded_at"])'
	ROLLCALL_NOW=2025-09-01T23:30 expect 0 day --format json
	py json 'd["day"] == "2025-09-01" and [p["id"] for p in d["present"]] == ["'"$a"'"]'
	ROLLCALL_NOW=2025-09-02T00:10 expect 0 checkin "$a" --format json
	py json 'd["day"] == "2025-09-02" and d["status"] == "early"'
}

reason_escaped() {
	reg "Ada Lovelace" ada@example.org
	a=$id
	expect 0 checkin "$a"
	esc=$(printf '\033')
	run void "$a" --reason "$(printf 'oops\033[2J\033]0;owned\007\nsecond line')"
	case $status in
	0)	expect 0 events
		hasnt "$esc"
		hasnt "$(printf '\007')"
		n=$(printf '%s\n' "$out" | wc -l)
		[ "$n" -le 4 ] || fail "a reason with a newline broke 'one line per event': $out"
		expect 0 student "$a"
		hasnt "$esc"
		expect 0 events --format jsonl
		py jsonl 'len(d) == 3 and "oops\\u001b[2J" in json.dumps(d[2]["data"])' ;;
	1)	one_err ;;	# refusing such a reason is safe too
	*)	fail "void with a control character in the reason exited $status: $err" ;;
	esac
}

# the event records the policy in force with the arrival and the outcome
recorded_policy() {
	reg "Ada Lovelace" ada@example.org
	expect 0 config start-time 08:17
	expect 0 config window-minutes 7
	expect 0 config points 13
	expect 0 checkin "$id" --at 2025-09-01T08:10:00
	expect 0 events --format jsonl
	py jsonl 'd[-1]["type"] == "attendance_recorded"'
	py jsonl '(lambda t: "'"$id"'" in t and "13" in t and "7" in t and any(x in t for x in ("08:17", "497", "29820")) and any(x in t for x in ("08:10", "29400", "490")) and "early" in t)(json.dumps(d[-1]["data"]))'
}

tcase recorded_policy recorded_policy
tcase boundaries_at boundaries_at
tcase boundaries_now boundaries_now
tcase output output
tcase once_per_day once_per_day
tcase future future
tcase back_dated_policy back_dated_policy
tcase not_retroactive not_retroactive
tcase void void
tcase figures figures
tcase timezone timezone
tcase reason_escaped reason_escaped
tdone
