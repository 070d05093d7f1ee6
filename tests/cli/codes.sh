#!/bin/sh
# Student codes (SPEC 8): --code on add and edit, edit --clear, the code
# column of import students, STUDENT as a code everywhere, the code in
# students, student and day, and an email or a code for every student.
# Every refusal is one line and writes nothing.
. "$(dirname "$0")/../lib.sh"
export ROLLCALL_NOW=2025-09-01T08:50:00

add_with_code() {
	expect 0 add --name "Ada" --code S-0001
	a=$out
	expect 0 add --name "Bo" --email bo@example.org --code bo.2 --gender male
	b=$out
	expect 0 student s-0001 --format json
	py json 'd["id"] == "'"$a"'" and d["email"] is None and d["code"] == "S-0001"'
	expect 0 students --format json
	py json '[(s["name"], s["email"], s["code"]) for s in d] == [("Ada", None, "S-0001"), ("Bo", "bo@example.org", "bo.2")]'
	expect 0 students --format csv
	has "id,name,email,gender,"
	has ",days_on_time,code"
	has ",Ada,,,true,"
	has ",S-0001"
	expect 0 students
	has "CODE"
	has "S-0001"
	# a code is a STUDENT everywhere, in any case
	expect 0 checkin BO.2
	has "Bo"
	expect 0 void Bo.2 --reason test
	expect 0 checkin s-0001
	expect 0 day --format json
	py json '[(p["name"], p["code"]) for p in d["present"]] == [("Ada", "S-0001")]'
	py json '[(p["name"], p["code"]) for p in d["absent"]] == [("Bo", "bo.2")]'
	expect 0 day
	has "S-0001"
	expect 0 day --format csv
	has "S-0001"
	# report: the code beside the name (SPEC 6), null when none
	expect 0 report --format json
	py json 'sorted((r["name"], r["code"]) for r in d["students"]) == [("Ada", "S-0001"), ("Bo", "bo.2")]'
	expect 0 report --format csv
	py csv 'sorted((r["name"], r["code"]) for r in d) == [("Ada", "S-0001"), ("Bo", "bo.2")]'
	expect 0 report
	has "CODE"
	has "bo.2"
	expect 0 edit s-0001 --name "Ada L"
	expect 0 remove bo.2
	expect 0 student BO.2 --format json
	py json 'd["active"] is False and d["code"] == "bo.2"'
	# removed: the code is free again
	expect 0 add --name "Cy" --code BO.2
	expect 0 student bo.2 --format json
	py json 'd["name"] == "Cy" and d["active"] is True'
	expect 0 events --format jsonl
	py jsonl 'd[0]["data"]["code"] == "S-0001" and d[0]["data"]["email"] is None and d[0]["version"] >= 2'
	expect 0 verify
	expect 0 rebuild
	expect 0 student s-0001 --format json
	py json 'd["code"] == "S-0001" and d["name"] == "Ada L"'
}

bad_codes() {
	new_student "Ada" ada@example.org
	expect 0 add --name "Bo" --email bo@example.org --code B1
	refuse 1 add --name "X" --code "A 1"
	has_err() { case "$err" in *"$1"*) ;; *) fail "stderr '$err' lacks '$1'" ;; esac; }
	has_err "space"
	refuse 1 add --name "X" --code "$(rep 1 33)"
	has_err "32"
	expect 0 add --name "X32" --code "$(rep 1 32)"
	refuse 1 add --name "X" --code ""
	refuse 1 add --name "X" --code "é1"
	refuse 1 add --name "X" --code "a/b"
	refuse 1 add --name "X" --code b1
	has_err "already"
	refuse 1 add --name "X" --email x@example.org --code B1
	refuse 1 edit ada@example.org --code b1
	refuse 2 add --name "X"
	has_err "--email or --code"
	refuse 1 edit ada@example.org --code "a b"
	refuse 1 edit ada@example.org --clear name
	refuse 1 edit ada@example.org --clear email
	has_err "email or a code"
	refuse 2 edit ada@example.org --clear email --email a2@example.org
	refuse 1 student NOPE-1
	has_err "unknown student"
	refuse 1 checkin nope-1
}

edit_and_clear() {
	new_student "Ada" ada@example.org female
	expect 0 edit ada@example.org --code A1
	expect 0 student a1 --format json
	py json 'd["code"] == "A1" and d["email"] == "ada@example.org"'
	expect 0 edit a1 --clear email
	expect 0 student a1 --format json
	py json 'd["email"] is None'
	# the email is free for another now
	expect 0 add --name "Bo" --email ada@example.org
	refuse 1 edit a1 --clear code
	expect 0 edit a1 --clear gender
	expect 0 student a1 --format json
	py json 'd["gender"] is None'
	expect 0 edit a1 --code a1
	expect 0 student A1 --format json
	py json 'd["code"] == "a1"'
	# the same value again records nothing
	before=$(head_seq)
	expect 0 edit a1 --code a1
	same "$(head_seq)" "$before" "events after a no-op edit"
	expect 0 events --format jsonl
	py jsonl 'd[-1]["data"] == {"id": d[0]["data"]["id"], "code": "a1"}'
}

import_codes() {
	printf 'name,code,gender\nAda,S1,female\nBo,S2,\n' >"$T/a.csv"
	expect 0 import students "$T/a.csv"
	expect 0 student s2 --format json
	py json 'd["name"] == "Bo" and d["email"] is None'
	printf 'name,email,code\nCy,cy@example.org,\nDi,,S4\nEd,ed@example.org,S5\n' >"$T/b.csv"
	expect 0 import students "$T/b.csv"
	expect 0 students --format json
	py json 'sorted((s["name"], s["email"], s["code"]) for s in d) == [("Ada", None, "S1"), ("Bo", None, "S2"), ("Cy", "cy@example.org", None), ("Di", None, "S4"), ("Ed", "ed@example.org", "S5")]'
	printf 'name,email,code\nFa,,\nGi,,s1\nHo,,S9\nIv,,s9\nJo,,"a b"\n' >"$T/c.csv"
	before=$(db_digest)
	expect 1 import students "$T/c.csv"
	same "$(db_digest)" "$before" "database after a refused import"
	case "$err" in *c.csv:2:*email*code*) ;; *) fail "no line 2: $err" ;; esac
	case "$err" in *c.csv:3:*already*) ;; *) fail "no line 3: $err" ;; esac
	case "$err" in *c.csv:5:*duplicate*line\ 4*) ;; *) fail "no line 5: $err" ;; esac
	case "$err" in *c.csv:6:*space*) ;; *) fail "no line 6: $err" ;; esac
	printf 'name,gender\nKa,male\n' >"$T/d.csv"
	refuse 1 import students "$T/d.csv"
	case "$err" in *"email or code"*) ;; *) fail "no missing column: $err" ;; esac
	printf 'student,arrived_at\ns4,2025-09-01T08:40\n' >"$T/e.csv"
	expect 0 import attendance "$T/e.csv"
	expect 0 student S4 --format json
	py json 'd["days_present"] == 1'
}

concurrent_codes() {
	# two processes racing for one code: exactly one wins
	for i in 1 2 3 4 5 6; do
		"$RC" add --name "P$i" --code RACE >/dev/null 2>&1 &
	done
	wait
	expect 0 students --format json
	py json 'len([s for s in d if s["code"] == "RACE"]) == 1 and len(d) == 1'
}

tcase add_with_code add_with_code
tcase bad_codes bad_codes
tcase edit_and_clear edit_and_clear
tcase import_codes import_codes
tcase concurrent_codes concurrent_codes
tdone
