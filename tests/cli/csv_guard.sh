#!/bin/sh
# The CSV formula guard (SPEC 3, issue 14): user text that a spreadsheet
# would run as a formula is exported with one more ' in front; ids and
# numbers never are; import removes exactly that one ', so an export
# imports back unchanged.
. "$(dirname "$0")/../lib.sh"

# names and what the export must show for each
NAMES='=HYPERLINK("http://evil.example","click")
+1 555 0100
-Dash
@SUM(A1)
'"'"'=quoted
'"'"''"'"'+twice
'"'"'
O'"'"'Brien
'"'"'plain'

load() {
	i=0
	printf '%s\n' "$NAMES" | while IFS= read -r n; do
		i=$((i + 1))
		"$RC" add --name "$n" --email "p$i@example.org" >/dev/null 2>"$T/err" ||
		    fail "add '$n': $(cat "$T/err")"
	done
	expect 0 add --name "Eve Late" --email "-eve@example.org"
	ROLLCALL_NOW=2025-09-01T09:20 expect 0 checkin -- "-eve@example.org"
	ROLLCALL_NOW=2025-09-01T09:20 expect 0 checkin p1@example.org
}

export_guarded() {
	load
	expect 0 students --format csv
	printf '%s\n' "$out" >"$T/export.csv"
	# each cell as a spreadsheet would read the raw text
	py csv 'sorted(r["name"] for r in d) == sorted([
	    "'"'"'=HYPERLINK(\"http://evil.example\",\"click\")",
	    "'"'"'+1 555 0100", "'"'"'-Dash", "'"'"'@SUM(A1)",
	    "'"'"''"'"'=quoted", "'"'"''"'"''"'"'+twice", "'"'"'",
	    "O'"'"'Brien", "'"'"'plain", "Eve Late"])'
	py csv '[r["email"] for r in d if r["name"] == "Eve Late"] == ["'"'"'-eve@example.org"]'
	# numbers and ids are never prefixed: a late student has -5
	py csv 'all(r["points"] in ("0", "-5") for r in d)'
	py csv '[r["points"] for r in d if r["name"] == "Eve Late"] == ["-5"]'
	py csv 'all("'"'"'" not in r["id"] for r in d)'
	# the same in day and student
	expect 0 day 2025-09-01 --format csv
	py csv 'any(r["name"].startswith("'"'"'=HYPERLINK") for r in d)'
	py csv 'all(not r["points"].startswith("'"'"'") for r in d)'
	expect 0 student p1@example.org --format csv
	py csv 'd[0]["name"].startswith("'"'"'=HYPERLINK") and d[0]["day_points"] == "-5"'
	# JSON and tables carry the text as it is
	expect 0 students --format json
	py json 'any(s["name"] == "-Dash" for s in d)'
	# an export imports back unchanged
	export ROLLCALL_DB="$T/again"
	expect 0 import students "$T/export.csv"
	expect 0 students --format json
	printf '%s\n' "$out" >"$T/again.json"
	ROLLCALL_DB="$T/export_guarded" run students --format json
	printf '%s\n' "$out" >"$T/first.json"
	python3 - "$T/first.json" "$T/again.json" <<'PYEOF' ||
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
pairs = lambda d: sorted((s["name"], s["email"]) for s in d)
sys.exit(0 if pairs(a) == pairs(b) else 1)
PYEOF
	    fail "names or emails changed on the way back: $(cat "$T/again.json")"
}

import_removes_one() {
	printf "name,email\n\"'=1+1\",a@example.org\n\"''-x\",b@example.org\n',c@example.org\n'plain,d@example.org\n" >"$T/in.csv"
	expect 0 import students "$T/in.csv"
	expect 0 students --format json
	py json 'sorted(s["name"] for s in d) == sorted(["=1+1", "'"'"'-x", "'"'"'", "'"'"'plain"])'
	# attendance: a guarded email names the student
	expect 0 add --name Dash --email "-dash@example.org"
	printf "student,arrived_at\n'-dash@example.org,2025-09-01T08:20\n" >"$T/att.csv"
	expect 0 import attendance "$T/att.csv"
	expect 0 student --format json -- "-dash@example.org"
	py json 'len(d["attendance"]) == 1'
}

tcase export_guarded export_guarded
tcase import_removes_one import_removes_one
tdone
