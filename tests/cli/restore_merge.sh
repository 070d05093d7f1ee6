#!/bin/sh
# restore STUDENT and import students --merge (SPEC 3, issue 16): a
# removed student comes back with their history; a corrected class list
# imports again.  Every refusal writes nothing.
. "$(dirname "$0")/../lib.sh"

restore_brings_history_back() {
	new_student "Ada Lovelace" ada@example.org; a=$id
	expect 0 checkin "$a"
	expect 0 remove "$a"
	refuse 1 checkin "$a" --at 2025-09-01T08:00
	expect 0 restore "$a"
	same "$out" "restored $a" "restore output"
	expect 0 student "$a" --format json
	py json 'd["active"] is True and d["days_present"] == 1 and len(d["attendance"]) == 1'
	expect 0 students --format json
	py json '[s["name"] for s in d] == ["Ada Lovelace"]'
	expect 0 events --format jsonl
	py jsonl 'd[-1]["type"] == "student_restored" and d[-1]["version"] >= 1 and d[-1]["data"] == {"id": "'"$a"'"}'
	# the email is hers again: a newcomer cannot take it
	refuse 1 add --name "Ada Two" --email ADA@example.org
	expect 0 verify
	expect 0 rebuild
	expect 0 student ada@example.org --format json
	py json 'd["id"] == "'"$a"'" and d["active"] is True'
}

restore_by_email() {
	new_student "Ada Lovelace" ada@example.org; a=$id
	expect 0 remove "$a"
	expect 0 restore ada@example.org --format json
	py json 'd["result"] == "restored"'
	expect 0 student "$a" --format json
	py json 'd["active"] is True'
}

restore_refusals() {
	new_student "Ada Lovelace" ada@example.org; a=$id
	refuse 1 restore "$a"
	has "not removed" "$err"
	expect 0 remove "$a"
	new_student "Ada Again" ada@example.org; b=$id
	refuse 1 restore "$a"
	has "ada@example.org" "$err"
	has "already registered" "$err"
	# by email, the active owner is found, and is not removed
	refuse 1 restore ada@example.org
	refuse 1 restore nobody@example.org
	has "unknown student" "$err"
	refuse 1 restore 00000000-0000-4000-8000-000000000000
	refuse 2 restore
	refuse 2 restore "$a" extra
	# once the newcomer leaves, the first comes back
	expect 0 remove "$b"
	expect 0 restore "$a"
	expect 0 verify
}

merge_updates_what_differs() {
	new_student "Ada Lovlace" ada@example.org; a=$id
	new_student "Grace Hopper" grace@example.org female; g=$id
	new_student "Alan Turing" alan@example.org male; t=$id
	printf 'name,email,gender\nAda Lovelace,ada@example.org,female\n,GRACE@example.org,\nAlan Turing,alan@example.org,male\nEdsger Dijkstra,ed@example.org,\n' >"$T/list.csv"
	before=$(head_seq)
	# without --merge, the known emails are refused and nothing is written
	refuse_rows "$T/list.csv"
	expect 0 import students "$T/list.csv" --merge
	same "$out" "imported 4 students: 1 added, 2 updated, 1 unchanged" "merge summary"
	[ -z "$err" ] || fail "merge wrote to stderr: $err"
	same "$(head_seq)" "$((before + 3))" "events recorded by the merge"
	expect 0 student "$a" --format json
	py json 'd["name"] == "Ada Lovelace" and d["gender"] == "female"'
	# an empty cell keeps the stored value; the email's spelling is updated
	expect 0 student "$g" --format json
	py json 'd["name"] == "Grace Hopper" and d["gender"] == "female" and d["email"] == "GRACE@example.org"'
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d][-3:] == ["student_updated", "student_updated", "student_registered"]'
	# the same list again changes nothing
	before=$(head_seq)
	expect 0 import students "$T/list.csv" --merge --format json
	py json 'd == {"imported": 4, "added": 0, "updated": 0, "unchanged": 4}'
	same "$(head_seq)" "$before" "events recorded by a repeated merge"
	expect 0 verify
}

refuse_rows() {
	_before=$(db_digest)
	expect 1 import students "$1"
	has "already registered" "$err"
	[ "$(db_digest)" = "$_before" ] || fail "refused import changed the database"
}

merge_bad_rows() {
	new_student "Ada Lovelace" ada@example.org
	# a row matching a student another row of the file matched already
	printf 'name,email\nAda L,ada@example.org\nAda M,Ada@Example.org\n' >"$T/dup.csv"
	_before=$(db_digest)
	expect 1 import students "$T/dup.csv" --merge
	has "dup.csv:3: duplicate email" "$err"
	has "also on line 2" "$err"
	# a new student still needs a name; an invalid gender is bad
	printf 'name,email,gender\n,new@example.org,\nAda,ada@example.org,robot\n' >"$T/bad.csv"
	expect 1 import students "$T/bad.csv" --merge
	has "bad.csv:2:" "$err"
	has "bad.csv:3:" "$err"
	same "$(printf '%s\n' "$err" | wc -l)" 2 "lines of bad rows"
	[ "$(db_digest)" = "$_before" ] || fail "refused merge changed the database"
	# a removed student's email is a new registration, not a merge
	expect 0 remove ada@example.org
	printf 'name,email\nAda Again,ada@example.org\n' >"$T/again.csv"
	expect 0 import students "$T/again.csv" --merge
	same "$out" "imported 1 student: 1 added, 0 updated, 0 unchanged" "summary"
}

unknown_columns_warned() {
	printf 'Student No,name,Form,email,\n7,Ada Lovelace,3B,ada@example.org,\n' >"$T/cols.csv"
	expect 0 import students "$T/cols.csv"
	same "$out" "imported 1 student" "import output"
	one_err
	has "Student No, Form" "$err"
	has "ignoring unknown columns" "$err"
	expect 0 students --format json
	py json '[(s["name"], s["email"]) for s in d] == [("Ada Lovelace", "ada@example.org")]'
	printf 'name,email,gender\nGrace,grace@example.org,\n' >"$T/known.csv"
	expect 0 import students "$T/known.csv"
	[ -z "$err" ] || fail "known columns warned: $err"
	# a pipe is warned about too
	expect 0 import students /dev/stdin --merge <"$T/cols.csv"
	has "ignoring unknown columns Student No, Form" "$err"
}

# Codes (SPEC 8) take part like emails: a merge matches a row by code
# or email (case-insensitive), a row matching two students is bad, and a
# restore is refused while the code is taken.
codes_in_merge_and_restore() {
	expect 0 add --name "Ada Lovlace" --email ada@example.org --code S100; a=$out
	expect 0 add --name "Bo Pupil" --code S200; b=$out
	printf 'name,code,email
Ada Lovelace,s100,
Bo Pupil,S200,bo@example.org
Cy New,S300,
' >"$T/codes.csv"
	expect 0 import students "$T/codes.csv" --merge
	same "$out" "imported 3 students: 1 added, 2 updated, 0 unchanged" "merge by code"
	expect 0 student "$a" --format json
	py json 'd["name"] == "Ada Lovelace" and d["email"] == "ada@example.org"'
	expect 0 student S200 --format json
	py json 'd["id"] == "'"$b"'" and d["email"] == "bo@example.org"'
	# matched by email, a code new to them is added (and by code, an email)
	printf 'name,email,code\nAda Lovelace,ada@example.org,S101\nBo Pupil,bo2@example.org,S200\n' >"$T/new.csv"
	expect 0 import students "$T/new.csv" --merge
	same "$out" "imported 2 students: 0 added, 2 updated, 0 unchanged" "merge adding a code"
	expect 0 student ada@example.org --format json
	py json 'd["code"] == "S101"'
	expect 0 student S200 --format json
	py json 'd["email"] == "bo2@example.org"'
	# the code of one, the email of another: a bad row, nothing written
	printf 'name,code,email
Mixed,S101,bo2@example.org
' >"$T/two.csv"
	_before=$(db_digest)
	expect 1 import students "$T/two.csv" --merge
	has "two.csv:2:" "$err"
	has "two different students" "$err"
	[ "$(db_digest)" = "$_before" ] || fail "refused merge changed the database"
	# a removed student's code taken by a newcomer: restore refused
	expect 0 remove S300
	expect 0 students --all --format json
	c=$(printf '%s' "$out" | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["code"] == "S300"][0])')
	expect 0 add --name "Cy Other" --code s300
	refuse 1 restore "$c"
	has "code" "$err"
	has "already registered" "$err"
	expect 0 remove s300
	expect 0 restore "$c"
	expect 0 student S300 --format json
	py json 'd["id"] == "'"$c"'" and d["active"] is True'
	expect 0 verify
}

tcase merge_updates_what_differs merge_updates_what_differs
tcase codes_in_merge_and_restore codes_in_merge_and_restore
tcase merge_bad_rows merge_bad_rows
tcase unknown_columns_warned unknown_columns_warned
csv_bom_only_when_asked() {
	new_student "Ada Lovelace" ada@example.org
	expect 0 students --format csv
	case "$out" in id,*|name,*) ;; *) fail "csv without --bom starts: $out" ;; esac
	expect 0 students --format csv --bom
	case "$out" in "$(printf '\357\273\277')"*) ;; *) fail "no BOM with --bom: $out" ;; esac
	py csv 'd[0]["name"] == "Ada Lovelace"'
	expect 0 day --bom --format csv
	case "$out" in "$(printf '\357\273\277')day,"*) ;; *) fail "no BOM in day: $out" ;; esac
	# a table has no BOM, asked or not
	expect 0 students --bom
	case "$out" in "$(printf '\357\273\277')"*) fail "BOM in a table" ;; esac
}

tcase csv_bom_only_when_asked csv_bom_only_when_asked
tcase restore_brings_history_back restore_brings_history_back
tcase restore_by_email restore_by_email
tcase restore_refusals restore_refusals
tdone
