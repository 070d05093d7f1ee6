#!/bin/sh
# School days, absences and reports (SPEC 6): the calendar settings,
# close and reopen, excuse and withdraw, checkout, the marks, the report
# and the student and day JSON additions; every refusal exits with its
# status, one error line, and writes nothing.
. "$(dirname "$0")/../lib.sh"

# 2025-09-01 is a Monday.  Students are registered on that Monday.
reg() { ROLLCALL_NOW=2025-09-01T07:00:00 new_student "$@"; }
at() { ROLLCALL_NOW=$1; export ROLLCALL_NOW; }

calendar_settings() {
	at 2025-09-01T07:00:00
	expect 0 config school-days
	same "$out" "mon,tue,wed,thu,fri" "default school-days"
	expect 0 config term-start
	same "$out" "" "unset term-start"
	expect 0 config --format json
	py json 'd["school-days"] == "mon,tue,wed,thu,fri" and d["term-start"] is None and d["term-end"] is None and d["points"] == 5'
	expect 0 config school-days "Mon, wed ,FRI"
	same "$out" "mon,wed,fri" "school-days"
	expect 0 config term-start 2025-09-02
	expect 0 config term-end 2025-12-19
	expect 0 config term-end --format json
	py json 'd == {"term-end": "2025-12-19"}'
	expect 0 events --format jsonl
	py jsonl '[e["data"] for e in d if e["type"] == "config_changed"] == [{"key": "school-days", "value": "mon,wed,fri"}, {"key": "term-start", "value": "2025-09-02"}, {"key": "term-end", "value": "2025-12-19"}]'
	n=$(head_seq)
	# the value in force records nothing
	expect 0 config school-days mon,wed,fri
	same "$(head_seq)" "$n" "head after a no-op"
	refuse 1 config school-days ""
	has "school-days" "$err"
	refuse 1 config school-days mon,funday
	has "funday" "$err"
	refuse 1 config school-days "mon,,tue"
	refuse 1 config term-start 2025-13-01
	refuse 1 config term-start 2026-01-01
	has "before term-start" "$err"
	refuse 1 config term-end 2025-09-01
	refuse 2 config term-start 2025-09-01 --unset
	expect 0 config term-start --unset
	expect 0 config term-start --format json
	py json 'd == {"term-start": None}'
	expect 0 config school-days --unset
	same "$(ROLLCALL_NOW=2025-09-01T07:00 "$RC" config school-days)" \
	    "mon,tue,wed,thu,fri" "school-days after --unset"
}

close_reopen() {
	at 2025-09-01T07:00:00
	expect 0 close 2025-09-03 --reason "Snow day"
	expect 0 close 2025-09-10 --to 2025-09-12 --reason "Autumn break" \
	    --format json
	py json 'd == {"from": "2025-09-10", "to": "2025-09-12", "days": 3}'
	expect 0 calendar --from 2025-09-01 --to 2025-09-07 --format json
	py json 'len(d) == 7 and d[0] == {"day": "2025-09-01", "weekday": "mon", "school_day": True, "closed": None}'
	py json 'd[2] == {"day": "2025-09-03", "weekday": "wed", "school_day": False, "closed": "Snow day"}'
	py json '[x["school_day"] for x in d] == [True, True, False, True, True, False, False]'
	expect 0 calendar --from 2025-09-01 --to 2025-09-03 --format csv
	py csv 'd[2]["closed"] == "Snow day" and d[2]["school_day"] == "false" and d[0]["weekday"] == "mon"'
	expect 0 calendar --from 2025-09-01 --to 2025-09-03
	has "Snow day"
	# default: this month
	expect 0 calendar --format json
	py json 'len(d) == 30 and d[0]["day"] == "2025-09-01" and d[29]["day"] == "2025-09-30"'
	refuse 1 close 2025-09-03 --reason again
	has "2025-09-03 is already closed" "$err"
	refuse 1 close 2025-09-08 --to 2025-09-10 --reason again
	has "2025-09-10" "$err"
	refuse 2 close 2025-09-04
	refuse 1 close 2025-09-04 --reason ""
	refuse 1 close 2025-09-04 --reason "   "
	refuse 1 close 2025-09-04 --to 2025-09-01 --reason x
	refuse 1 close 2025-09-04 --to 2026-09-05 --reason x
	refuse 1 close 2025-02-30 --reason x
	refuse 2 close --reason x
	refuse 1 reopen 2025-09-04
	has "not closed" "$err"
	refuse 1 reopen 2025-09-15 --to 2025-09-19
	expect 0 reopen 2025-09-08 --to 2025-09-11
	has "reopened 2 days"
	expect 0 calendar --from 2025-09-10 --to 2025-09-12 --format json
	py json '[x["closed"] for x in d] == [None, None, "Autumn break"]'
	refuse 1 calendar --from 2025-09-10 --to 2025-09-01
	refuse 1 calendar --from 2025-09-40
	# weekends follow school-days, retroactively
	expect 0 config school-days mon,tue,wed,thu,fri,sat
	expect 0 calendar --from 2025-09-06 --to 2025-09-07 --format json
	py json '[x["school_day"] for x in d] == [True, False]'
	# the term bounds the school days
	expect 0 config term-start 2025-09-05
	expect 0 calendar --from 2025-09-04 --to 2025-09-05 --format json
	py json '[x["school_day"] for x in d] == [False, True]'
	expect 0 verify
}

excuses() {
	reg Ada ada@example.org
	reg Bob bob@example.org
	at 2025-09-10T10:00:00
	expect 0 excuse ada@example.org --day 2025-09-01 --to 2025-09-07 \
	    --reason illness --note "flu" --format json
	py json 'd["days"] == 5'
	expect 0 events --format jsonl
	py jsonl 'd[-1]["type"] == "absence_excused" and d[-1]["data"]["days"] == ["2025-09-01", "2025-09-02", "2025-09-03", "2025-09-04", "2025-09-05"] and d[-1]["data"]["reason"] == "illness" and d[-1]["data"]["note"] == "flu"'
	# any excused day refuses the whole command
	refuse 1 excuse ada@example.org --day 2025-09-05 --to 2025-09-09 \
	    --reason medical
	has "2025-09-05" "$err"
	refuse 1 excuse ada@example.org --day 2025-09-06 --to 2025-09-07 \
	    --reason medical
	has "no school day" "$err"
	refuse 1 excuse ada@example.org --day 2025-08-29 --reason medical
	has "registration" "$err"
	refuse 1 excuse ada@example.org --day 2025-09-09 --to 2025-09-08 \
	    --reason medical
	refuse 1 excuse ada@example.org --day 2025-09-09 --to 2026-09-10 \
	    --reason medical
	has "longer than a year" "$err"
	refuse 1 excuse ada@example.org --day 2026-09-20 --reason medical
	has "ahead" "$err"
	refuse 1 excuse ada@example.org --day 2025-09-09 --reason flu
	has "flu" "$err"
	refuse 1 excuse ada@example.org --day 2025-09-09 --reason ""
	refuse 2 excuse ada@example.org --day 2025-09-09
	refuse 2 excuse ada@example.org --reason illness
	refuse 2 excuse --day 2025-09-09 --reason illness
	refuse 2 excuse ada@example.org --day 2025-09-09 --withdraw \
	    --reason illness
	refuse 1 excuse nobody@example.org --day 2025-09-09 --reason other
	refuse 1 excuse ada@example.org --day 2025-09-31 --reason other
	# in advance, up to a year
	expect 0 excuse bob@example.org --day 2025-09-15 --to 2025-09-16 \
	    --reason school_activity
	# the day JSON: excused and not excused, with reasons
	expect 0 day 2025-09-02 --format json
	py json 'd["school_day"] is True and d["closed"] is None and d["present"] == []'
	py json '[(a["name"], a["excused"], a["reason"]) for a in d["absent"]] == [("Ada", True, "illness"), ("Bob", False, None)]'
	# the same in CSV, as columns after those of release 1 and code
	expect 0 day 2025-09-02 --format csv
	py csv 'list(d[0])[:11] == ["day", "id", "name", "present", "arrived", "status", "points", "code", "left_at", "excused", "reason"]'
	py csv '[(a["name"], a["excused"], a["reason"]) for a in d] == [("Ada", "true", "illness"), ("Bob", "false", "")]'
	expect 0 day 2025-09-02
	has "Excused (1)"
	has "illness"
	has "Absent, not excused (1)"
	# withdraw: refused only when none of the range is excused
	refuse 1 excuse bob@example.org --day 2025-09-01 --to 2025-09-12 \
	    --withdraw
	expect 0 excuse ada@example.org --day 2025-09-04 --to 2025-09-12 \
	    --withdraw --format json
	py json 'd["days"] == 2 and d["withdrawn"] is True'
	expect 0 student ada@example.org --format json
	py json '[(a["day"], a["status"], a["reason"]) for a in d["absences"]] == [("2025-09-01", "excused", "illness"), ("2025-09-02", "excused", "illness"), ("2025-09-03", "excused", "illness"), ("2025-09-04", "absent", None), ("2025-09-05", "absent", None), ("2025-09-08", "absent", None), ("2025-09-09", "absent", None)]'
	py json 'd["code"] is None and "points" in d and d["attendance"] == []'
	expect 0 verify
}

late_and_excused() {
	reg Ada ada@example.org
	at 2025-09-02T12:00:00
	# excuse first, then a late check-in: the day costs nothing
	expect 0 excuse ada@example.org --day 2025-09-02 --reason medical
	expect 0 checkin ada@example.org --at 2025-09-02T10:00 --format json
	py json 'd["status"] == "late" and d["points"] == -5'
	expect 0 student ada@example.org --format json
	py json 'd["points"] == 0 and d["days_late"] == 1'
	py json 'd["attendance"][0]["status"] == "late" and d["attendance"][0]["excused"] is True and d["attendance"][0]["points"] == 0'
	# a late check-in, a policy change, then its excuse: the stored
	# points come back on withdrawal, not the new policy's
	expect 0 checkin ada@example.org --at 2025-09-01T09:30 --format json
	py json 'd["points"] == -5'
	expect 0 config points 50
	expect 0 excuse ada@example.org --day 2025-09-01 --reason family
	expect 0 students --format json
	py json 'd[0]["points"] == 0'
	expect 0 excuse ada@example.org --day 2025-09-01 --withdraw
	expect 0 students --format json
	py json 'd[0]["points"] == -5'
	expect 0 day 2025-09-02 --format json
	py json 'd["present"][0]["points"] == 0 and d["present"][0]["status"] == "late"'
	# an excused early arrival keeps its points
	reg Bea bea@example.org
	expect 0 checkin bea@example.org --at 2025-09-02T08:00
	expect 0 excuse bea@example.org --day 2025-09-02 --reason other
	expect 0 student bea@example.org --format json
	py json 'd["points"] == 50 and d["attendance"][0]["points"] == 50'
	# voiding an excused late check-in takes back nothing more
	expect 0 void ada@example.org --day 2025-09-02
	expect 0 students --format json
	py json 'd[0]["name"] == "Ada" and d[0]["points"] == -5'
	expect 0 verify
	expect 0 rebuild
	expect 0 students --format json
	py json 'd[0]["points"] == -5 and d[1]["points"] == 50'
	expect 0 verify
}

checkout() {
	reg Ada ada@example.org
	reg Bob bob@example.org
	at 2025-09-01T08:50:00
	expect 0 checkin ada@example.org
	at 2025-09-01T11:30:00
	refuse 1 checkout bob@example.org
	has "no check-in" "$err"
	refuse 1 checkout ada@example.org --at 2025-09-01T08:00
	has "before" "$err"
	refuse 1 checkout ada@example.org --at 2025-09-01T12:00
	has "future" "$err"
	refuse 1 checkout ada@example.org --at 2025-09-01T25:00
	refuse 2 checkout
	expect 0 checkout ada@example.org --reason "dentist" --format json
	py json 'd["left_at"] == "11:30:00" and d["arrived"] == "08:50:00" and d["day"] == "2025-09-01" and d["name"] == "Ada"'
	refuse 1 checkout ada@example.org
	has "already left" "$err"
	expect 0 events --format jsonl
	py jsonl 'd[-1]["type"] == "departure_recorded" and d[-1]["data"]["left"] == "11:30:00" and d[-1]["data"]["reason"] == "dentist"'
	expect 0 day 2025-09-01 --format json
	py json 'd["present"][0]["left_at"] == "11:30:00" and d["absent"][0]["name"] == "Bob"'
	expect 0 student ada@example.org --format json
	py json 'd["attendance"][0]["left_at"] == "11:30:00"'
	# voiding the check-in voids the departure with it
	expect 0 void ada@example.org
	expect 0 checkin ada@example.org --at 2025-09-01T09:00
	expect 0 student ada@example.org --format json
	py json '[a["left_at"] for a in d["attendance"]] == [None, None]'
	expect 0 checkout ada@example.org --at 2025-09-01T09:00
	expect 0 verify
}

report() {
	at 2025-09-01T07:00:00
	expect 0 close 2025-09-03 --reason "Snow day"
	reg Ada ada@example.org; ada=$id
	reg Bob bob@example.org
	reg Cy cy@example.org
	at 2025-09-01T08:50:00
	expect 0 checkin ada@example.org
	at 2025-09-02T09:10:00
	expect 0 checkin ada@example.org
	at 2025-09-02T12:00:00
	expect 0 checkout ada@example.org
	at 2025-09-05T10:00:00
	expect 0 excuse cy@example.org --day 2025-09-04 --reason illness
	expect 0 remove cy@example.org
	# a check-in on a closed day and on a Saturday count nowhere
	at 2025-09-06T09:00:00
	expect 0 checkin bob@example.org --at 2025-09-03T08:00
	expect 0 checkin bob@example.org
	at 2025-09-08T09:00:00
	expect 0 checkin ada@example.org --at 2025-09-08T08:59
	expect 0 report --from 2025-09-01 --to 2025-09-12 --format json
	py json 'd["from"] == "2025-09-01" and d["to"] == "2025-09-12" and d["school_days"] == 5'
	py json '[s["name"] for s in d["students"]] == ["Ada", "Bob", "Cy"]'
	# Ada: Mon early, Tue late (left), Thu Fri absent, today (Mon) in
	py json 'd["students"][0] == {"id": "'"$ada"'", "name": "Ada", "code": None, "active": True, "school_days": 5, "present": 3, "early": 1, "on_time": 1, "late": 1, "excused": 0, "absent": 2, "left_early": 1, "rate": 60.0, "chronic": False, "points": 0}'
	# Bob: no school day present (closed day, Saturday)
	py json 'd["students"][1]["school_days"] == 4 and d["students"][1]["present"] == 0 and d["students"][1]["points"] == 0 and d["students"][1]["rate"] == 0.0'
	# Cy: removed on Friday (not included): Mon Tue Thu, Thu excused
	py json 'd["students"][2]["active"] is False and d["students"][2]["school_days"] == 3 and d["students"][2]["excused"] == 1 and d["students"][2]["absent"] == 2'
	py json 'd["summary"] == {"students": 3, "present": 3, "school_days": 12, "rate": 25.0, "chronic": 0}'
	expect 0 report --from 2025-09-01 --to 2025-09-12 --sort rate --format json
	py json '[s["name"] for s in d["students"]] == ["Bob", "Cy", "Ada"]'
	expect 0 report --from 2025-09-01 --to 2025-09-12 --below 50 --format json
	py json '[s["name"] for s in d["students"]] == ["Bob", "Cy"] and d["summary"]["students"] == 2 and d["summary"]["rate"] == 0.0'
	expect 0 report --from 2025-09-01 --to 2025-09-12 --below 0 --format json
	py json 'd["students"] == [] and d["summary"]["rate"] is None'
	expect 0 report --student ada@example.org --from 2025-09-01 --format json
	py json 'len(d["students"]) == 1 and d["students"][0]["present"] == 3 and d["to"] == "2025-09-08"'
	expect 0 report --from 2025-09-01 --to 2025-09-12 --format csv
	py csv 'len(d) == 3 and d[0]["rate"] == "60.0" and d[0]["code"] == "" and d[0]["chronic"] == "false" and list(d[0].keys())[:4] == ["id", "name", "code", "active"]'
	expect 0 report --from 2025-09-01 --to 2025-09-12
	has "Ada"
	has "60.0%"
	# default range: the first day to today
	expect 0 report --format json
	py json 'd["from"] == "2025-09-01" and d["to"] == "2025-09-08"'
	# closing a past day takes it out of every report
	expect 0 close 2025-09-04 --reason "Power cut"
	expect 0 report --from 2025-09-01 --to 2025-09-12 --format json
	py json 'd["students"][0]["school_days"] == 4 and d["students"][0]["absent"] == 1 and d["students"][2]["excused"] == 0'
	# a range outside anyone's enrolment has no rows
	expect 0 report --from 2025-08-01 --to 2025-08-29 --format json
	py json 'd["students"] == [] and d["school_days"] == 21'
	refuse 1 report --below 100.5
	refuse 1 report --below abc
	refuse 1 report --below ""
	refuse 1 report --sort age
	refuse 1 report --from 2025-09-10 --to 2025-09-01
	refuse 1 report --from 2025-09-31
	refuse 1 report --student nobody@example.org
	refuse 2 report --below
	expect 0 verify
}

chronic() {
	reg Ada ada@example.org
	reg Bob bob@example.org
	# ten school days, Ada in on nine, Bob on all
	at 2025-09-13T12:00:00
	for d in 01 02 03 04 05 08 09 10 11 12; do
		expect 0 checkin bob@example.org --at 2025-09-${d}T08:00
		[ "$d" = 05 ] || expect 0 checkin ada@example.org \
		    --at 2025-09-${d}T08:00
	done
	expect 0 report --format json
	py json 'd["students"][0]["school_days"] == 10 and d["students"][0]["absent"] == 1 and d["students"][0]["chronic"] is True and d["students"][0]["rate"] == 90.0'
	py json 'd["students"][1]["chronic"] is False and d["summary"]["chronic"] == 1'
	expect 0 report --chronic --format json
	py json '[s["name"] for s in d["students"]] == ["Ada"]'
	# an excused absence is still an absence for chronic
	expect 0 excuse ada@example.org --day 2025-09-05 --reason illness
	expect 0 report --chronic --format json
	py json '[s["name"] for s in d["students"]] == ["Ada"] and d["students"][0]["excused"] == 1'
	# nine school days are too few
	expect 0 report --to 2025-09-11 --chronic --format json
	py json 'd["students"] == []'
}

rate_rounding() {
	# 1 of 16 school days: 6.25% is 6.3
	reg Ada ada@example.org
	at 2025-09-23T07:00:00
	expect 0 checkin ada@example.org --at 2025-09-01T08:00
	expect 0 report --format json
	py json 'd["students"][0]["school_days"] == 16 and d["students"][0]["rate"] == 6.3'
	run report --format json
	case "$out" in *'"rate": 6.3,'*) ;; *) fail "rate not printed as 6.3: $out" ;; esac
}

today_not_absent() {
	reg Ada ada@example.org
	reg Bob bob@example.org
	at 2025-09-02T10:00:00
	expect 0 checkin bob@example.org
	expect 0 day --format json
	py json '[a["name"] for a in d["absent"]] == ["Ada"]'
	expect 0 day
	has "Not in yet (1)"
	expect 0 report --format json
	# Ada: Monday absent, today not counted; Bob: today counts, in
	py json 'd["students"][0]["school_days"] == 1 and d["students"][0]["absent"] == 1'
	py json 'd["students"][1]["school_days"] == 2 and d["students"][1]["present"] == 1 and d["students"][1]["absent"] == 1'
	py json 'd["school_days"] == 2'
	# a weekend day has no absent list
	expect 0 day 2025-09-06 --format json
	py json 'd["school_day"] is False and d["absent"] == []'
	expect 0 day 2025-08-29 --format json
	py json 'd["absent"] == []'
}

enrolment() {
	# history imported from an earlier system counts for enrolment
	reg Ada ada@example.org
	printf 'student,arrived_at\nada@example.org,2025-08-28T08:00\n' \
	    >"$T/att.csv"
	at 2025-09-02T12:00:00
	expect 0 import attendance "$T/att.csv"
	expect 0 report --from 2025-08-25 --format json
	# Thu 28 present, Fri 29 absent, Mon 1 absent, today (Tue) not in
	py json 'd["students"][0]["school_days"] == 3 and d["students"][0]["present"] == 1'
	expect 0 day 2025-08-29 --format json
	py json '[a["name"] for a in d["absent"]] == ["Ada"]'
	expect 0 excuse ada@example.org --day 2025-08-29 --reason other
	# registered on a closed day: that day counts for nothing
	expect 0 close 2025-09-03 --reason "Strike"
	at 2025-09-03T07:00:00
	reg2() { ROLLCALL_NOW=2025-09-03T07:00:00 new_student "$@"; }
	reg2 Bea bea@example.org
	at 2025-09-05T12:00:00
	expect 0 report --student bea@example.org --format json
	py json 'd["students"][0]["school_days"] == 1 and d["students"][0]["absent"] == 1'
	expect 0 verify
}

restored() {
	# removed on Wed 3 (not included), restored on Mon 8: not enrolled
	# Wed 3 to Fri 5, so those days are neither absent nor counted
	reg Ada ada@example.org
	at 2025-09-03T10:00:00
	expect 0 remove ada@example.org
	at 2025-09-08T10:00:00
	expect 0 restore ada@example.org
	at 2025-09-13T12:00:00
	expect 0 report --from 2025-09-01 --to 2025-09-12 --format json
	py json 'd["students"][0]["school_days"] == 7 and d["students"][0]["absent"] == 7 and d["students"][0]["active"] is True'
	expect 0 student ada@example.org --format json
	py json '[a["day"] for a in d["absences"]] == ["2025-09-01", "2025-09-02", "2025-09-08", "2025-09-09", "2025-09-10", "2025-09-11", "2025-09-12"]'
	expect 0 day 2025-09-04 --format json
	py json 'd["absent"] == []'
	expect 0 day 2025-09-08 --format json
	py json '[a["name"] for a in d["absent"]] == ["Ada"]'
	# removed and restored the same day: the period goes on unbroken
	reg Bob bob@example.org
	at 2025-09-15T10:00:00
	expect 0 remove bob@example.org
	expect 0 restore bob@example.org
	at 2025-09-20T12:00:00
	expect 0 report --student bob@example.org --from 2025-09-01 --to 2025-09-19 --format json
	py json 'd["students"][0]["school_days"] == 15'
	expect 0 rebuild
	expect 0 report --from 2025-09-01 --to 2025-09-12 --format json
	py json 'd["students"][0]["school_days"] == 7'
	expect 0 verify
}

tcase calendar_settings calendar_settings
tcase close_reopen close_reopen
tcase excuses excuses
tcase late_and_excused late_and_excused
tcase checkout checkout
tcase report report
tcase chronic chronic
tcase rate_rounding rate_rounding
tcase today_not_absent today_not_absent
tcase enrolment enrolment
tcase restored restored
tdone
