#!/bin/sh
# Students (SPEC 1 and 3): add, edit, remove, student, students, and the
# validation of name, email and gender.  Every refusal writes nothing.
. "$(dirname "$0")/../lib.sh"

STUDENT_FIELDS='{"id","name","email","gender","active","points","days_present","days_early","days_late","days_on_time"}'

add_prints_id() {
	expect 0 add --name "Ada Lovelace" --email ada@example.org
	is_uuid "$out" || fail "add printed '$out', not a lowercase UUID v4"
	same "$(wc -l <"$T/out")" 1 "lines printed by add"
	same "$(cat "$T/out")" "$out" "add output"
	[ -z "$err" ] || fail "add wrote to stderr: $err"
	a=$out
	new_student "Grace Hopper" grace@example.org female
	[ "$id" != "$a" ] || fail "two students got the same id"
	expect 0 student "$a" --format json
	py json 'set(d) >= '"$STUDENT_FIELDS"' | {"attendance"}'
	py json 'd["id"] == "'"$a"'" and d["name"] == "Ada Lovelace" and d["email"] == "ada@example.org"'
	py json 'd["gender"] is None and d["active"] is True and d["attendance"] == []'
	py json 'd["points"] == 0 and d["days_present"] == 0 and d["days_early"] == 0 and d["days_late"] == 0 and d["days_on_time"] == 0'
	expect 0 students --format json
	py json 'isinstance(d, list) and len(d) == 2'
	py json 'all(set(s) >= '"$STUDENT_FIELDS"' for s in d)'
	py json '[s["gender"] for s in d] == [None, "female"]'
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d] == ["student_registered"] * 2'
	py jsonl '"'"$a"'" in json.dumps(d[0]["data"]) and "ada@example.org" in json.dumps(d[0]["data"])'
}

name_validation() {
	new_student "  Ann Smith  " ann@example.org
	expect 0 student "$id" --format json
	py json 'd["name"] == "Ann Smith"'
	new_student "$(rep é 100)" e100@example.org
	expect 0 student "$id" --format json
	py json 'd["name"] == "é" * 100'
	new_student "$(rep '😀' 100)" emoji@example.org
	expect 0 student "$id" --format json
	py json 'd["name"] == "\U0001F600" * 100'
	new_student "$(rep a 100)" a100@example.org
	new_student "   $(rep b 100)   " b100@example.org
	new_student "Zoë Ñúñez-O'Brien 李小龍" intl@example.org
	expect 0 student "$id" --format json
	py json 'd["name"] == "Zoë Ñúñez-O'"'"'Brien 李小龍"'
	refuse 1 add --name "$(rep é 101)" --email x@example.org
	refuse 1 add --name "$(rep '😀' 101)" --email x@example.org
	refuse 1 add --name "$(rep a 101)" --email x@example.org
	refuse 1 add --name "   " --email x@example.org
	refuse 1 add --name "$(printf 'A\tB')" --email x@example.org
	refuse 1 add --name "$(printf 'A\nB')" --email x@example.org
	refuse 1 add --name "$(printf 'A\001B')" --email x@example.org
	refuse 1 add --name "$(printf 'A\033[2JB')" --email x@example.org
	refuse 1 add --name "$(printf 'A\177B')" --email x@example.org
	refuse 1 add --name "$(printf 'A\302\205B')" --email x@example.org
	refuse 1 add --name "$(printf 'A\302\233B')" --email x@example.org
	refuse 1 add --name "$(printf 'A\377B')" --email x@example.org
	refuse 1 add --name "$(printf 'AB\303')" --email x@example.org
	refuse 1 add --name "$(printf 'A\300\257B')" --email x@example.org
	refuse 1 add --name "$(printf 'A\355\240\200B')" --email x@example.org
	refuse 1 add --name "$(printf 'A\364\220\200\200B')" --email x@example.org
	expect 0 students --format json
	py json 'len(d) == 6'
}

email_validation() {
	dom="$(rep a 63).$(rep b 63).$(rep c 57).org"
	e254="$(rep x 64)@$dom"
	same "$(printf %s "$e254" | wc -c)" 254 "length of the 254-byte email"
	new_student "Long Mail" "$e254"
	expect 0 student "$e254" --format json
	py json 'd["email"] == "'"$e254"'"'
	refuse 1 add --name "Too Long" --email "$(rep x 64)@$(rep a 63).$(rep b 63).$(rep c 58).org"
	refuse 1 add --name "Too Long" --email "$(rep x 243)@example.org"
	new_student "Trim Me" "  trim@example.org  "
	expect 0 student "$id" --format json
	py json 'd["email"] == "trim@example.org"'
	new_student "Mixed Case" "Mixed.Case@Example.ORG"
	mixed=$id
	expect 0 student "$mixed" --format json
	py json 'd["email"] == "Mixed.Case@Example.ORG"'
	for bad in "a@@example.org" "a@b@example.org" "aexample.org" "@example.org" \
	    "a@localhost" "a@" "a b@example.org" "a@exa mple.org" \
	    "$(printf 'a\t@example.org')" "$(printf 'a\001@example.org')" \
	    "$(printf 'a\177@example.org')" "$(printf 'a@example.org\033')" "   "; do
		refuse 1 add --name "Bad Mail" --email "$bad"
	done
	# UTF-8 is fine in an email; invalid UTF-8 and C1 controls are not
	new_student "Jürgen" "jürgen@exämple.org"
	expect 0 student "$id" --format json
	py json 'd["email"] == "jürgen@exämple.org"'
	refuse 1 add --name "Bad Mail" --email "$(printf 'a\377@example.org')"
	refuse 1 add --name "Bad Mail" --email "$(printf 'a\302\205@example.org')"
	# unique among active students, case-insensitively
	refuse 1 add --name "Other" --email "mixed.case@example.org"
	refuse 1 add --name "Other" --email "MIXED.CASE@EXAMPLE.ORG"
	refuse 1 add --name "Other" --email " Trim@Example.org "
	expect 0 students --format json
	py json 'len(d) == 4'
}

email_reuse_after_remove() {
	new_student "First Holder" reuse@example.org
	old=$id
	expect 0 remove reuse@example.org
	new_student "Second Holder" REUSE@example.org
	new=$id
	[ "$new" != "$old" ] || fail "re-registration reused the id"
	expect 0 student reuse@example.org --format json
	py json 'd["id"] == "'"$new"'"'
	expect 0 student REUSE@example.org --format json
	py json 'd["id"] == "'"$new"'"'
	expect 0 checkin reuse@example.org --format json
	py json 'd["id"] == "'"$new"'"'
	expect 0 students --all --format json
	py json 'sorted((s["id"], s["active"]) for s in d) == sorted([("'"$old"'", False), ("'"$new"'", True)])'
	refuse 1 add --name "Third" --email reuse@example.org
}

gender() {
	new_student "G One" g1@example.org Female
	g1=$id
	new_student "G Two" g2@example.org MALE
	g2=$id
	new_student "G Three" g3@example.org oThEr
	g3=$id
	new_student "G Four" g4@example.org
	g4=$id
	for p in "$g1 female" "$g2 male" "$g3 other"; do
		expect 0 student "${p% *}" --format json
		py json 'd["gender"] == "'"${p#* }"'"'
	done
	expect 0 student "$g4" --format json
	py json 'd["gender"] is None'
	for bad in x f man women fem unknown; do
		refuse 1 add --name "G Bad" --email gbad@example.org --gender "$bad"
	done
	expect 0 edit "$g4" --gender FEMALE
	expect 0 student "$g4" --format json
	py json 'd["gender"] == "female"'
	refuse 1 edit "$g4" --gender neutral
}

edit() {
	new_student "Ada Lovelace" ada@example.org
	a=$id
	new_student "Grace Hopper" grace@example.org
	g=$id
	new_student "Gone Person" gone@example.org
	gone=$id
	expect 0 remove "$gone"
	expect 0 edit "$a" --name "  Augusta Ada King  "
	expect 0 student "$a" --format json
	py json 'd["name"] == "Augusta Ada King" and d["email"] == "ada@example.org"'
	expect 0 edit ada@example.org --email "ada.king@example.org"
	expect 0 student "$a" --format json
	py json 'd["email"] == "ada.king@example.org" and d["name"] == "Augusta Ada King"'
	refuse 1 student ada@example.org
	expect 0 student ada.king@example.org --format json
	py json 'd["id"] == "'"$a"'"'
	# only the changed case of its own email: not a duplicate
	expect 0 edit "$a" --email "Ada.King@Example.org"
	expect 0 student "$a" --format json
	py json 'd["email"] == "Ada.King@Example.org"'
	# a removed student's email is free
	expect 0 edit "$a" --email gone@example.org
	expect 0 edit "$a" --email ada.king@example.org
	# duplicates and validation
	refuse 1 edit "$a" --email GRACE@example.org
	refuse 1 edit "$g" --email " ada.king@EXAMPLE.org"
	refuse 1 edit "$a" --email "not-an-email"
	refuse 1 edit "$a" --name "$(rep n 101)"
	refuse 1 edit "$a" --name "$(printf 'A\033B')"
	refuse 1 edit "$a" --gender robot
	refuse 1 edit nobody@example.org --name "Nobody"
	refuse 1 edit 00000000-0000-4000-8000-000000000000 --name "Nobody"
	expect 0 edit "$g" --name "Grace B. Hopper" --email "gbh@example.org" --gender female
	expect 0 student "$g" --format json
	py json 'd["name"] == "Grace B. Hopper" and d["email"] == "gbh@example.org" and d["gender"] == "female"'
	expect 0 events --format jsonl
	py jsonl 'sum(e["type"] == "student_updated" for e in d) == 6'
	py jsonl '"'"$g"'" in json.dumps(d[-1]["data"]) and d[-1]["type"] == "student_updated"'
}

remove() {
	new_student "Ada Lovelace" ada@example.org
	a=$id
	new_student "Grace Hopper" grace@example.org
	g=$id
	expect 0 checkin "$a" --at 2025-09-01T08:00
	expect 0 remove ada@example.org
	expect 0 students --format json
	py json '[s["id"] for s in d] == ["'"$g"'"]'
	expect 0 students
	hasnt "Ada Lovelace"
	has "Grace Hopper"
	expect 0 students --all --format json
	py json 'sorted((s["id"], s["active"]) for s in d) == sorted([("'"$a"'", False), ("'"$g"'", True)])'
	expect 0 student "$a" --format json
	py json 'd["active"] is False and d["points"] == 5 and d["days_present"] == 1 and len(d["attendance"]) == 1'
	refuse 1 checkin "$a" --at 2025-09-01T08:20
	refuse 1 remove "$a"
	refuse 1 remove nobody@example.org
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d] == ["student_registered", "student_registered", "attendance_recorded", "student_removed"]'
	py jsonl '"'"$a"'" in json.dumps(d[3]["data"])'
}

lookup() {
	new_student "Ada Lovelace" ada@example.org
	a=$id
	expect 0 student "$a" --format json
	py json 'd["id"] == "'"$a"'"'
	expect 0 student ada@example.org --format json
	py json 'd["id"] == "'"$a"'"'
	expect 0 student "$a"
	has "Ada Lovelace"
	has "ada@example.org"
	refuse 1 student nobody@example.org
	refuse 1 student 00000000-0000-4000-8000-000000000000
	refuse 1 student not-a-student
	refuse 1 checkin nobody@example.org
	refuse 1 void nobody@example.org
	refuse 1 remove 00000000-0000-4000-8000-000000000000
}

sorting() {
	for p in "bob:b1" "Alice:a1" "alice:a2" "ALICE:a3" "Carol:c1" "Bob:b2" "zed:z1" "Abe:a4"; do
		new_student "${p%:*}" "${p#*:}@example.org"
	done
	expect 0 students --format json
	py json '[s["id"] for s in d] == [s["id"] for s in sorted(d, key=lambda s: (s["name"].lower(), s["id"]))]'
	py json '[s["name"].lower() for s in d] == ["abe", "alice", "alice", "alice", "bob", "bob", "carol", "zed"]'
	order=$(pyv json '" ".join(s["email"] for s in d)')
	ids=$(pyv json '" ".join(s["id"] for s in d)')
	expect 0 students --format csv
	py csv '" ".join(r["id"] for r in d) == "'"$ids"'"'
	# the table lists the people in the same order
	expect 0 students
	prev=0
	for e in $order; do
		n=$(printf '%s\n' "$out" | grep -n -F "$e" | head -1 | cut -d: -f1)
		[ -n "$n" ] || fail "$e missing from the students table"
		[ "$n" -gt "$prev" ] || fail "students table not sorted by name: $out"
		prev=$n
	done
}

formats() {
	new_student "O\"Brien, Pat" pat@example.org male
	p=$id
	new_student "Zoë Ünal" zoe@example.org
	z=$id
	expect 0 checkin "$p" --at 2025-09-01T08:00
	expect 0 students --format csv
	py csv 'len(d) == 2 and {"id", "name", "email"} <= set(d[0])'
	py csv '[(r["id"], r["name"], r["email"]) for r in d] == [("'"$p"'", "O\"Brien, Pat", "pat@example.org"), ("'"$z"'", "Zoë Ünal", "zoe@example.org")]'
	expect 0 students --format json
	py json '[(s["id"], s["name"], s["gender"], s["points"], s["days_present"], s["days_early"]) for s in d] == [("'"$p"'", "O\"Brien, Pat", "male", 5, 1, 1), ("'"$z"'", "Zoë Ünal", None, 0, 0, 0)]'
	expect 0 students --format table
	has 'O"Brien, Pat'
	has "Zoë Ünal"
	has "zoe@example.org"
	expect 0 student "$p" --format csv
	has "$p"
	has "2025-09-01"
	expect 0 student "$p" --format table
	has 'O"Brien, Pat'
	has "2025-09-01"
	has "early"
	expect 0 students --format json --all
	py json 'len(d) == 2'
}

# The JSON of the long answers is written as it is read (src/cli_json.c),
# in the layout it always had: two-space indent, ": " after keys, raw
# UTF-8, as a pretty-printer makes it from the same value.
json_layout() {
	expect 0 add --name 'Ann "Q" \B/s' --email 'a"b@example.org'
	expect 0 add --name 'Zoë 山田 😀' --code Z1 --gender female
	expect 0 checkin Z1 --at 2025-09-01T08:10
	expect 0 excuse 'a"b@example.org' --day 2025-09-01 --reason other
	for q in "students" "students --all" "day 2025-09-01" "day 2025-09-02" \
	    "report --from 2025-09-01" "report --from 2025-09-01 --chronic"; do
		# shellcheck disable=SC2086
		expect 0 $q --format json
		printf '%s\n' "$out" >"$T/got.json"
		python3 -c 'import json, sys
s = open(sys.argv[1]).read()
want = json.dumps(json.loads(s), indent=2, ensure_ascii=False) + "\n"
sys.exit(0 if s == want else "layout of %s:\n%s" % (sys.argv[2], s))' \
		    "$T/got.json" "$q" || fail "JSON layout of $q"
	done
	expect 0 students --format json
	py json '[x["name"] for x in d] == ["Ann \"Q\" \\B/s", "Zoë 山田 😀"]'
}

tcase add_prints_id add_prints_id
tcase json_layout json_layout
tcase name_validation name_validation
tcase email_validation email_validation
tcase email_reuse_after_remove email_reuse_after_remove
tcase gender gender
tcase edit edit
tcase remove remove
tcase lookup lookup
tcase sorting sorting
tcase formats formats
tdone
