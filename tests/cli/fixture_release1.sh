#!/bin/sh
# A database written by release 1 (tests/fixtures/release1, made by its
# make.sh with the release-1 binary) still works with this release, with
# no step by the user (SPEC 7, schema evolution): it opens, shows the
# same students, figures and days, verifies, rebuilds to the same read
# side, and new events chain onto the old ones.  Old events print the
# same, except for the metadata fields of later releases (null for them).
. "$(dirname "$0")/../lib.sh"
FX=$(cd "$(dirname "$0")/../fixtures/release1" && pwd)
E=$FX/expected
export ROLLCALL_NOW=2025-09-03T12:00:00

# fresh_copy: the fixture database, copied into this case's directory.
fresh_copy() {
	mkdir -p "$ROLLCALL_DB"
	chmod 700 "$ROLLCALL_DB"
	cp "$FX/db/data.mdb" "$ROLLCALL_DB/data.mdb"
	chmod 600 "$ROLLCALL_DB/data.mdb"
}

# drop_code FILE: take out what SPEC 8 added after release 1, the code
# of every student (none here): the CODE column of tables, the code
# column of CSV and "code": null in JSON.
drop_code() {
	python3 - "$1" <<'PY' || fail "cannot take the code column out of $1"
import csv, io, re, sys
path = sys.argv[1]
out, cut = [], None
for line in open(path, encoding="utf-8").read().split("\n"):
    m = re.search(r"\bCODE( +|$)", line)
    if m and line.lstrip().startswith("NAME"):
        cut = (m.start(), m.end())    # a table's header: the column's span
    if not line.strip() or line[:1] in "{[}]":
        cut = None
    elif cut:
        line = line[:cut[0]] + line[cut[1]:]
        if not m or m.end() == len(m.string):
            line = line.rstrip()      # the column was the last one
    if re.fullmatch(r'\s*"code": null,', line) or re.fullmatch(r"code +-", line):
        continue
    out.append(line)
text = "\n".join(out).replace('"code":null,', "")
text = re.sub(r',\n\s*"code": null(?=\n)', "", text)
head = text.split("\n", 1)[0].split(",")
if "code" in head and "name" in head:
    rows = list(csv.reader(io.StringIO(text)))
    i = rows[0].index("code")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(r[:i] + r[i + 1:] for r in rows)
    text = buf.getvalue()
open(path, "w", encoding="utf-8").write(text)
PY
}

# same_file WANT CMD...: rollcall CMD's standard output is WANT's bytes,
# once the code column is taken out.
same_file() {
	_want=$1; shift
	expect 0 "$@"
	"$RC" "$@" >"$T/got" 2>/dev/null
	drop_code "$T/got"
	cmp -s "$T/got" "$_want" ||
	    fail "rollcall $* differs from $_want: $(diff "$_want" "$T/got" | head -20)"
}

# same_json WANT GOT: every JSON document of WANT is the matching one of
# GOT with, at most, fields added (SPEC 6 adds some: existing fields stay
# as they were); text between documents (tables for people) must keep
# each day's headline of counts.
same_json() {
	python3 -c '
import json, sys
def docs(path):
    s, out, i = open(path, encoding="utf-8").read(), [], 0
    dec = json.JSONDecoder()
    text = []
    while i < len(s):
        if s[i] in "[{" and (i == 0 or s[i - 1] == "\n"):
            v, i = dec.raw_decode(s, i)
            out.append(v)
        else:
            j = s.find("\n", i)
            j = len(s) if j < 0 else j + 1
            line = s[i:j]
            if ": " in line and " present (" in line:
                text.append(line.split(", ")[0])
            i = j
    return out, text
def sub(w, g, where):
    if isinstance(w, dict):
        if not isinstance(g, dict):
            sys.exit("%s: %r is not an object" % (where, g))
        for k, v in w.items():
            if k not in g:
                sys.exit("%s: field %s is gone" % (where, k))
            sub(v, g[k], where + "." + k)
    elif isinstance(w, list):
        if not isinstance(g, list) or len(g) != len(w):
            sys.exit("%s: %r, wanted %r" % (where, g, w))
        for n, (a, b) in enumerate(zip(w, g)):
            sub(a, b, "%s[%d]" % (where, n))
    elif w != g or type(w) != type(g):
        sys.exit("%s: %r, wanted %r" % (where, g, w))
w, wt = docs(sys.argv[1])
g, gt = docs(sys.argv[2])
if len(w) != len(g):
    sys.exit("%d documents, wanted %d" % (len(g), len(w)))
for n, (a, b) in enumerate(zip(w, g)):
    sub(a, b, "document %d" % n)
if wt != gt:
    sys.exit("headlines %r, wanted %r" % (gt, wt))
' "$1" "$2" >"$T/sj.err" 2>&1 || fail "$2 differs from $1: $(cat "$T/sj.err")"
}

# old_events_same: events --format jsonl of the old events is the
# expected text once the metadata fields (null for old events) are taken
# out; the lines after them are left to the caller.
old_events_same() {
	expect 0 events --format jsonl
	printf '%s\n' "$out" | python3 -c '
import json, re, sys
want = open(sys.argv[1], encoding="utf-8").read().splitlines()
got = sys.stdin.read().splitlines()
if len(got) < len(want):
    sys.exit("only %d events, wanted at least %d" % (len(got), len(want)))
meta = ("actor", "desk", "source", "batch")
for w, g in zip(want, got):
    d = json.loads(g)
    for k in meta:
        if k not in d or d[k] is not None:
            sys.exit("old event should have %s null: %s" % (k, g))
    s = re.sub(r",\"(actor|desk|source|batch)\":null", "", g)
    s = re.sub(r"\"(actor|desk|source|batch)\":null,", "", s)
    if s != w:
        sys.exit("old event printed differently:\n got %s\nwant %s" % (g, w))
' "$E/events.jsonl" >"$T/ev.err" 2>&1 || fail "$(cat "$T/ev.err")"
}

# same_reads: every read command answers as release 1 did.
same_reads() {
	same_file "$E/students.txt" students --all
	same_file "$E/students.json" students --all --format json
	same_file "$E/students.csv" students --all --format csv
	expect 0 config --format json
	printf '%s\n' "$out" >"$T/config.json"
	same_json "$E/config.json" "$T/config.json"
	ids=$(python3 -c '
import json, sys
for s in json.load(open(sys.argv[1])):
    if s["email"] in ("emile@example.org", "zoe@example.org", "José@example.org", "ana@example.org", "bo.lind@example.org"):
        print(s["email"], s["id"])
' "$E/students.json" | sort -k1,1) || fail "cannot read expected students"
	: >"$T/student.json"
	for email in emile@example.org zoe@example.org José@example.org \
	    ana@example.org bo.lind@example.org; do
		sid=$(printf '%s\n' "$ids" | awk -v e="$email" '$1 == e { print $2 }')
		[ -n "$sid" ] || fail "no id for $email"
		expect 0 student "$sid" --format json
		"$RC" student "$sid" --format json >>"$T/student.json"
	done
	same_json "$E/student.json" "$T/student.json"
	jose=$(printf '%s\n' "$ids" | awk '$1 == "José@example.org" { print $2 }')
	same_file "$E/student_jose.txt" student "$jose"
	: >"$T/day.txt"
	for d in 2025-08-29 2025-09-01 2025-09-02; do
		"$RC" day "$d" --format json >>"$T/day.txt" || fail "day $d"
		"$RC" day "$d" >>"$T/day.txt" || fail "day $d"
	done
	same_json "$E/day.txt" "$T/day.txt"
	old_events_same
	expect 0 status --format json
	py json 'all(d[k] == v for k, v in json.load(open("'"$E"'/status.json")).items())'
}

opens_and_reads_the_same() {
	fresh_copy
	same_reads
	same_file "$E/verify.txt" verify
	# reading and verifying appended nothing: no origin yet (the read
	# side, a cache, may have been rebuilt for this release's layout)
	expect 0 status --format json
	py json 'd["origin"] is None and d["schema"] >= 2'
	expect 0 history José@example.org --format json
	py json '[(h["seq"], h["actor"], h["source"]) for h in d] == [(3, None, None), (11, None, None), (13, None, None), (14, None, None)]'
	py json 'd[1]["summary"].startswith("checked in, late, -5") and d[2]["summary"] == "check-in of 2025-09-01 voided: wrong student; fixed"'
	expect 0 rebuild
	expect 0 status --format json
	py json 'd["origin"] is None'
	expect 0 verify
}

rebuilds_to_the_same() {
	fresh_copy
	expect 0 rebuild
	same_reads
	same_file "$E/verify.txt" verify
}

new_events_chain_on() {
	fresh_copy
	new_student "Ægir Ørsted" aegir@example.org male
	new=$id
	expect 0 checkin "$new"
	has "Ægir Ørsted"
	expect 0 checkin "emile@example.org" --at 2025-09-03T08:00:00
	expect 0 verify
	has "27 events"
	expect 0 status --format json
	py json 'd["head"] == 27 and d["checkpoint"] == 27 and d["errors"] == [] and d["students"] == 7'
	old_events_same
	py jsonl '[e["seq"] for e in d[24:]] == [25, 26, 27] and d[25]["data"]["id"] == "'"$new"'"'
	# new events carry this release's version and metadata
	py jsonl 'all(e["version"] >= 2 and e["source"] == "cli" and e["actor"] and e["desk"] for e in d[24:])'
	# the first write of this release gave the database its origin
	expect 0 status --format json
	py json 'd["origin"] is not None and len(d["origin"]) == 36'
	origin=$(pyv json 'd["origin"]')
	expect 0 rebuild
	expect 0 verify
	expect 0 student emile@example.org --format json
	py json 'd["points"] == 19 and d["days_present"] == 3'
	expect 0 status --format json
	py json 'd["origin"] == "'"$origin"'"'
}

fixture_is_release1() {
	# the committed files are as make.sh left them: no lock file, and the
	# expected outputs name 24 events.
	[ ! -e "$FX/db/lock.mdb" ] || fail "fixture has a lock.mdb"
	[ "$(wc -l <"$E/events.jsonl")" -eq 24 ] || fail "fixture events"
}

tcase fixture_is_release1 fixture_is_release1
tcase opens_and_reads_the_same opens_and_reads_the_same
tcase rebuilds_to_the_same rebuilds_to_the_same
tcase new_events_chain_on new_events_chain_on
tdone
