#!/bin/sh
# A database of schema version 4, the last before personal data was
# sealed (tests/fixtures/release4, made by its make.sh with that binary,
# main at 5f93d88), still works with this release, with no step by the
# user (SPEC 7, schema evolution): it opens and answers as it did,
# verifies, rebuilds to the same, and new events (sealed, version 5)
# chain onto the old ones, which are never rewritten and stay readable.
. "$(dirname "$0")/../lib.sh"
FX=$(cd "$(dirname "$0")/../fixtures/release4" && pwd)
E=$FX/expected
top=$(cd "$(dirname "$0")/../.." && pwd)
export ROLLCALL_NOW=2025-09-03T12:00:00

fresh_copy() {
	mkdir -p "$ROLLCALL_DB"
	chmod 700 "$ROLLCALL_DB"
	cp "$FX/db/data.mdb" "$ROLLCALL_DB/data.mdb"
	chmod 600 "$ROLLCALL_DB/data.mdb"
}

# same_docs WANT CMD...: each JSON document (or JSON line) CMD prints
# equals WANT's, parsed.
same_docs() {
	_want=$1; shift
	if [ "$1" = cat_file ]; then
		cp "$2" "$T/got"
	else
		expect 0 "$@"
		printf '%s\n' "$out" >"$T/got"
	fi
	python3 - "$_want" "$T/got" <<'PY' >"$T/sd.err" 2>&1 || fail "rollcall $* differs from $_want: $(cat "$T/sd.err")"
import json, sys
def docs(path):
    s, out, i = open(path, encoding="utf-8").read(), [], 0
    dec = json.JSONDecoder()
    while i < len(s):
        if s[i].isspace():
            i += 1
            continue
        v, i = dec.raw_decode(s, i)
        out.append(v)
    return out
w, g = docs(sys.argv[1]), docs(sys.argv[2])
if len(w) > len(g):
    sys.exit("%d documents, wanted %d" % (len(g), len(w)))
for n, (a, b) in enumerate(zip(w, g)):
    if a != b:
        sys.exit("document %d:\n got %s\nwant %s" % (n, json.dumps(b), json.dumps(a)))
PY
}

same_reads() {
	same_docs "$E/students.json" students --all --format json
	# the same students, one by one, as they were
	: >"$T/student.json"
	for sid in $(python3 -c '
import json, sys
s, i, dec = open(sys.argv[1]).read(), 0, json.JSONDecoder()
while i < len(s):
    if s[i].isspace():
        i += 1
        continue
    v, i = dec.raw_decode(s, i)
    print(v["id"])
' "$E/student.json"); do
		"$RC" student "$sid" --format json >>"$T/student.json" ||
		    fail "student $sid"
	done
	same_docs "$E/student.json" cat_file "$T/student.json"
	same_docs "$E/report.json" report --to 2025-09-02 --format json
	same_docs "$E/events.jsonl" events --format jsonl
	expect 0 status --format json
	py json 'all(d[k] == v for k, v in json.load(open("'"$E"'/status.json")).items())'
}

fixture_is_version4() {
	[ ! -e "$FX/db/lock.mdb" ] || fail "fixture has a lock.mdb"
	[ "$(wc -l <"$E/events.jsonl")" -eq 33 ] || fail "fixture events"
	python3 -c '
import json, sys
vs = {json.loads(l)["version"] for l in open(sys.argv[1])}
sys.exit(0 if vs == {4} else "versions %r" % vs)
' "$E/events.jsonl" || fail "the fixture is not all version 4"
}

opens_and_reads_the_same() {
	fresh_copy
	same_reads
	expect 0 verify
	[ "$out" = "$(cat "$E/verify.txt")" ] || fail "verify said: $out"
	expect 0 rebuild
	same_reads
	expect 0 verify
}

new_events_chain_on() {
	fresh_copy
	expect 0 edit emile@example.org --name "Émile Édouard Zola"
	expect 0 add --name "Ægir Sealed" --code AE-9 --gender male
	new=$out
	expect 0 checkin AE-9
	has "Ægir Sealed"
	expect 0 verify
	has "36 events"
	# old events print as they did; new ones are version 5, sealed
	same_docs "$E/events.jsonl" events --format jsonl
	py jsonl '[e["version"] for e in d[33:]] == [5, 5, 5] and d[33]["data"]["name"] == "Émile Édouard Zola" and d[34]["data"] == {"id": "'"$new"'", "name": "Ægir Sealed", "email": None, "code": "AE-9", "gender": "male"}'
	python3 "$top/tests/hostile/rawdb.py" dump "$ROLLCALL_DB" events |
	    python3 -c '
import sys
recs = [bytes.fromhex(l.split()[1]) for l in sys.stdin]
old = any("Émile Zola".encode() in r for r in recs[:33])
new = any(s.encode() in r for r in recs[33:] for s in ("Édouard", "Ægir", "AE-9"))
sys.exit(0 if old and not new else "old clear %r, new clear %r" % (old, new))
' || fail "the log: old records rewritten or new ones in clear"
	expect 0 status --format json
	py json 'd["origin"] == json.load(open("'"$E"'/status.json"))["origin"] and d["schema"] == 5 and d["errors"] == []'
	expect 0 rebuild
	expect 0 verify
	expect 0 student emile@example.org --format json
	py json 'd["name"] == "Émile Édouard Zola" and d["email"] == "emile@example.org"'
	# a student of this release can be erased; one of the old cannot
	expect 0 remove AE-9
	expect 0 erase "$new" --yes
	expect 1 erase bo.lind@example.org --yes
	has "clear text" "$err"
	expect 0 verify
}

tcase fixture_is_version4 fixture_is_version4
tcase opens_and_reads_the_same opens_and_reads_the_same
tcase new_events_chain_on new_events_chain_on
tdone
