#!/bin/sh
# import students / import attendance (SPEC 3): CSV with a header in any
# order, RFC 4180 quoting, BOM and CRLF; all-or-nothing with one
# "rollcall: FILE:LINE: reason" line per bad row.
. "$(dirname "$0")/../lib.sh"

# bad_lines WANT...: stderr has exactly one "rollcall: $F:N: reason" line
# for each WANT (a line number, or A|B when either is right), and nothing else.
bad_lines() {
	printf '%s\n' "$err" | F="$F" python3 -c '
import re, sys
f, want = __import__("os").environ["F"], sys.argv[1:]
lines = sys.stdin.read().rstrip("\n").split("\n")
got = []
for l in lines:
    if not l.startswith("rollcall: " + f + ":"):
        sys.exit("not a \"rollcall: FILE:LINE: reason\" line: %r" % l)
    m = re.match(r"(\d+): *(\S.*)", l[len("rollcall: " + f + ":"):])
    if not m:
        sys.exit("no line number and reason in %r" % l)
    got.append(m.group(1))
if len(got) != len(want):
    sys.exit("wanted lines %s, got %s" % (want, got))
for g, w in zip(sorted(got, key=int), want):
    if g not in w.split("|"):
        sys.exit("wanted lines %s, got %s" % (want, got))
' "$@" >"$T/bl.err" 2>&1 || fail "import errors: $(cat "$T/bl.err"); stderr was: $err"
}

students_good() {
	F=$T/s1.csv
	printf '\357\273\277email,gender,name\r\npat@example.org,male,"O""Brien, Pat"\r\nzoe@example.org,,Zoë Ünal\r\n"lee@example.org",FEMALE,"Lee"\r\n' >"$F"
	expect 0 import students "$F"
	expect 0 students --format json
	py json 'sorted((s["name"], s["email"], s["gender"], s["active"]) for s in d) == [("Lee", "lee@example.org", "female", True), ("O\"Brien, Pat", "pat@example.org", "male", True), ("Zoë Ünal", "zoe@example.org", None, True)]'
	py json 'all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", s["id"]) for s in d)'
	# no gender column, LF, no newline at the end, quoted header and trimming
	F=$T/s2.csv
	printf '"name","email"\nAl,al@example.org\n"Bo, Jr.",bo@example.org\n  Cy  ,  cy@example.org  ' >"$F"
	expect 0 import students "$F"
	expect 0 students --format json
	py json 'len(d) == 6'
	py json '[(s["name"], s["email"], s["gender"]) for s in d if s["email"] in ("al@example.org", "bo@example.org", "cy@example.org")] == [("Al", "al@example.org", None), ("Bo, Jr.", "bo@example.org", None), ("Cy", "cy@example.org", None)]'
	expect 0 events --format jsonl
	py jsonl 'len(d) == 6 and all(e["type"] == "student_registered" for e in d)'
	# a header alone registers nobody
	F=$T/s3.csv
	printf 'name,email,gender\n' >"$F"
	expect 0 import students "$F"
	expect 0 events --format jsonl
	py jsonl 'len(d) == 6'
	# a quoted field may hold a newline: the next row is still read right
	F=$T/s4.csv
	printf 'name,email\n"Line\nBreak",lb@example.org\nGood Row,gr@example.org\n' >"$F"
	refuse 1 import students "$F"
	bad_lines "2|3"
}

students_all_or_nothing() {
	new_student "Existing Person" exist@example.org
	F=$T/bad.csv
	cat >"$F" <<-'EOF'
	name,email,gender
	Good One,good1@example.org,
	,noname@example.org,
	Good Two,good2@example.org,female
	Bad Mail,bad-mail,
	"Multi
	Line",multi@example.org,
	Bad Gender,bg@example.org,robot
	Dup,GOOD1@example.org,
	Existing Again,EXIST@example.org,
	Good Three,good3@example.org,
	EOF
	before=$(db_digest)
	expect 1 import students "$F"
	bad_lines 3 5 "6|7" 8 9 10
	same "$(db_digest)" "$before" "database after a refused import"
	expect 0 students --format json
	py json 'len(d) == 1'
	# one bad row among good ones
	F=$T/onebad.csv
	printf 'email,name\na1@example.org,A One\na2@example.org,%s\na3@example.org,A Three\n' "$(rep x 101)" >"$F"
	refuse 1 import students "$F"
	bad_lines 3
	# invalid UTF-8 and control characters
	F=$T/bytes.csv
	printf 'name,email\nA\377B,b1@example.org\nA\001B,b2@example.org\nOk,b3@ex\tample.org\n' >"$F"
	before=$(db_digest)
	expect 1 import students "$F"
	bad_lines 2 3 4
	same "$(db_digest)" "$before" "database after a refused import"
	# the good rows alone go in
	F=$T/good.csv
	printf 'name,email,gender\nGood One,good1@example.org,\nGood Two,good2@example.org,female\nGood Three,good3@example.org,\n' >"$F"
	expect 0 import students "$F"
	expect 0 students --format json
	py json 'sorted(s["email"] for s in d) == ["exist@example.org", "good1@example.org", "good2@example.org", "good3@example.org"]'
	# the same file again: every row is now a duplicate
	before=$(db_digest)
	expect 1 import students "$F"
	bad_lines 2 3 4
	same "$(db_digest)" "$before" "database after a refused import"
}

students_bad_files() {
	expect 0 status
	F=$T/nope.csv
	before=$(db_digest)
	run import students "$F"
	[ "$status" -eq 1 ] || [ "$status" -eq 3 ] || fail "import of a missing file exited $status"
	one_err
	has nope.csv "$err"
	same "$(db_digest)" "$before" "database after importing a missing file"
	F=$T/noemail.csv
	printf 'name,gender\nAl,male\n' >"$F"
	refuse 1 import students "$F"
	has noemail.csv "$err"
	F=$T/quote.csv
	printf 'name,email\n"Al,al@example.org\n' >"$F"
	expect 1 import students "$F"
	has "rollcall: " "$err"
	has quote.csv "$err"
	same "$(db_digest)" "$before" "database after a malformed CSV"
	refuse 2 import students
}

attendance() {
	export ROLLCALL_NOW=2025-08-01T07:00:00
	new_student "Ada Lovelace" ada@example.org; a=$id
	new_student "Grace Hopper" grace@example.org; g=$id
	new_student "Rita Removed" rita@example.org; r=$id
	expect 0 remove "$r"
	export ROLLCALL_NOW=2025-09-01T08:30:00
	expect 0 checkin "$g" --at 2025-08-20T08:00
	F=$T/att.csv
	printf '\357\273\277arrived_at,student\r\n2025-08-28T08:00,ada@example.org\r\n2025-08-28T09:10:00,%s\r\n"2025-08-29T09:00",%s\r\n2025-09-01T08:30:00,grace@example.org\r\n' "$g" "$a" >"$F"
	expect 0 import attendance "$F"
	expect 0 student "$a" --format json
	py json '[(x["day"], x["arrived"], x["status"], x["points"], x["voided"]) for x in d["attendance"]] == [("2025-08-28", "08:00:00", "early", 5, False), ("2025-08-29", "09:00:00", "on_time", 0, False)]'
	expect 0 student "$g" --format json
	py json '[(x["day"], x["status"]) for x in d["attendance"]] == [("2025-08-20", "early"), ("2025-08-28", "late"), ("2025-09-01", "early")]'
	py json 'd["points"] == 5 and d["days_present"] == 3'
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d].count("attendance_recorded") == 5'
	# the policy in force when imported
	expect 0 config points 9
	F=$T/att2.csv
	printf 'student,arrived_at\n%s,2025-08-01T08:00\n' "$a" >"$F"
	expect 0 import attendance "$F"
	expect 0 student "$a" --format json
	py json 'd["attendance"][0] == {**d["attendance"][0], "day": "2025-08-01", "points": 9}'
	# bad rows, all reported, nothing written
	F=$T/attbad.csv
	cat >"$F" <<-EOF
	student,arrived_at
	nobody@example.org,2025-08-25T08:00
	$a,2025-09-01T08:30:01
	$a,2025-08-26T08:00
	ada@example.org,2025-08-26T09:00
	$g,2025-08-28T07:00
	rita@example.org,2025-08-25T08:00
	$a,2025-08-27 08:00
	,2025-08-25T08:00
	$a,2025-02-30T08:00
	$a,2025-08-30T08:00
	EOF
	before=$(db_digest)
	expect 1 import attendance "$F"
	bad_lines 2 3 5 6 7 8 9 10
	same "$(db_digest)" "$before" "database after a refused attendance import"
	F=$T/attnocol.csv
	printf 'student,when\n%s,2025-08-25T08:00\n' "$a" >"$F"
	refuse 1 import attendance "$F"
	F=$T/attnone.csv
	run import attendance "$F"
	[ "$status" -eq 1 ] || [ "$status" -eq 3 ] || fail "import attendance of a missing file exited $status"
	one_err
}

students_rows() {
	new_student "Gone Person" gone@example.org
	expect 0 remove gone@example.org
	# a row with too few or too many fields is a bad row (RFC 4180: every
	# record has as many fields as the header); an unquoted comma in a name
	# must not silently cut it to "Smith"
	F=$T/fields.csv
	printf 'email,name\nal@example.org,Al\nbo@example.org\njs@example.org,Smith, John\ndi@example.org,Di\n' >"$F"
	before=$(db_digest)
	expect 1 import students "$F"
	bad_lines 3 4
	same "$(db_digest)" "$before" "database after a refused import"
	# a removed student's email is free again
	F=$T/reuse.csv
	printf 'name,email\nNew Person,GONE@example.org\n' >"$F"
	expect 0 import students "$F"
	expect 0 student gone@example.org --format json
	py json 'd["name"] == "New Person" and d["active"] is True'
}

tcase students_good students_good
tcase students_rows students_rows
tcase students_all_or_nothing students_all_or_nothing
tcase students_bad_files students_bad_files
tcase attendance attendance
tdone
