#!/bin/sh
# The listing answers (issue 14) written straight from the read side into
# stdout's buffer, with no tree of the whole answer: byte for byte what
# they were when jansson built them.  A rich database (every event type,
# accented, wide, quoted and invisible characters in names, null fields,
# empty lists) gives every list answer in every format, compared with
# tests/fixtures/stream_answers.txt (printed by the release before
# streaming, ids masked); every JSON answer is also checked against a
# pretty-printer's rendering of the same value with jansson's escapes.
# STREAM_WRITE=FILE writes the answers to FILE instead (to renew the
# fixture when an answer changes on purpose).
. "$(dirname "$0")/../lib.sh"
FIXTURE=$(cd "$(dirname "$0")/../fixtures" && pwd)/stream_answers.txt

# rich_db: every kind of event, names of every shape, null fields and
# empty lists.
rich_db() {
	export ROLLCALL_ACTOR=desk-1 ROLLCALL_DESK=front
	export ROLLCALL_NOW=2025-08-01T07:00:00
	new_student "Ada Lovelace" ada@example.org female; a=$id
	new_student 'Zoë 山田 😀' zoe@example.org; z=$id
	expect 0 add --name 'Back\slash "q" /s' --code 'Q-1'; q=$out
	expect 0 add --name "$(printf 'Bom\357\273\277 LS\342\200\250 \342\200\256rtl')" --code BOM
	expect 0 add --name "Émile Zola" --email emile@example.org --code EZ --gender male; e=$out
	new_student "Eve Gone" eve@example.org; g=$id
	printf 'name,email,code\nÅsa Öberg,asa@example.org,A1\n=SUM(1),formula@example.org,\n' >"$T/in.csv"
	expect 0 import students "$T/in.csv"
	expect 0 edit "$a" --code ADA --gender other
	expect 0 edit "$e" --clear email
	expect 0 config start-time 08:30
	expect 0 config collation sv
	expect 0 close 2025-09-05 --reason 'Snow day: "Ørsted" \ 雪'
	expect 0 close 2025-09-08 --reason Holiday
	export ROLLCALL_NOW=2025-09-04T07:00:00
	expect 0 reopen 2025-09-08
	export ROLLCALL_NOW=2025-09-12T18:00:00
	expect 0 checkin "$a" --at 2025-09-01T08:00
	expect 0 checkin "$z" --at 2025-09-01T08:31
	expect 0 checkin "$q" --at 2025-09-01T08:50
	expect 0 checkin "$a" --at 2025-09-02T08:33
	expect 0 checkout "$a" --at 2025-09-02T11:15
	expect 0 checkin BOM --at 2025-09-02T08:20
	expect 0 void BOM --day 2025-09-02
	expect 0 checkin "$e" --at 2025-09-03T08:10
	expect 0 excuse "$z" --day 2025-09-02 --to 2025-09-03 --reason illness --note 'fièvre "38°"'
	expect 0 excuse "$z" --day 2025-09-03 --withdraw
	expect 0 excuse ADA --day 2025-09-04 --reason school_activity
	printf 'student,arrived_at\nasa@example.org,2025-09-01T08:29:59\nA1,2025-09-04T09:00:00\n' >"$T/att.csv"
	expect 0 import attendance "$T/att.csv"
	expect 0 checkin "$g" --at 2025-09-01T08:30
	expect 0 remove "$g"
	expect 0 erase "$g" --yes
	expect 0 remove "$q"
	expect 0 restore "$q"
	expect 0 config window-minutes 10
	printf '2468\n' | "$RC" pin set >/dev/null || fail "pin set"
	printf '2468\n' | "$RC" pin clear >/dev/null || fail "pin clear"
}

QUERIES="students|students --all|student ADA|student BOM|\
student formula@example.org|day 2025-09-01|day 2025-09-02|day 2025-09-05|\
day 2025-07-01|history ADA|history BOM|report --from 2025-09-01|\
report --from 2025-09-01 --chronic|report --from 2025-07-01 --to 2025-07-02|\
calendar --from 2025-09-01 --to 2025-09-14|events|status|config"

# answers: every query in every format, with its exit status, ids masked.
answers() {
	export ROLLCALL_NOW=2025-09-12T18:00:00
	IFS='|'
	for q in $QUERIES; do
		unset IFS
		for f in table csv json; do
			echo "== $q --format $f"
			# shellcheck disable=SC2086
			"$RC" $q --format $f 2>&1
			echo "exit $?"
		done
	done | sed -E -e "s|$T|TMP|g" \
	    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g'
	unset IFS
}

as_before() {
	rich_db
	if [ -n "${STREAM_WRITE:-}" ]; then
		answers >"$STREAM_WRITE"
		return
	fi
	answers >"$T/got.txt"
	diff -u "$FIXTURE" "$T/got.txt" >"$T/diff" ||
	    fail "answers differ from before: $(head -40 "$T/diff")"
}

# jansson's JSON_INDENT(2) layout: Python's, with \u00XX in capitals.
json_layout() {
	rich_db
	export ROLLCALL_NOW=2025-09-12T18:00:00
	IFS='|'
	for q in $QUERIES; do
		unset IFS
		# shellcheck disable=SC2086
		expect 0 $q --format json
		printf '%s\n' "$out" >"$T/got.json"
		python3 -c 'import json, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
want = json.dumps(json.loads(s), indent=2, ensure_ascii=False) + "\n"
want = re.sub(r"\\(u[0-9a-f]{4}|.)", lambda m: "\\" + (m.group(1).upper()
    .replace("U", "u", 1) if m.group(1)[0] == "u" else m.group(1)), want)
sys.exit(0 if s == want else "layout of %s:\n%s" % (sys.argv[2], s))' \
		    "$T/got.json" "$q" || fail "JSON layout of $q"
	done
	unset IFS
	expect 0 events --format json
	py json 'len({e["type"] for e in d}) == 15 and d[-1]["data"] == {}'
	expect 0 day 2025-07-01 --format json
	py json 'd["present"] == [] and d["absent"] == []'
}

# A pipe gets the answer in large writes, not one per 4 KiB.
buffered() {
	command -v strace >/dev/null || return 0
	{
		echo name,email
		for i in $(seq 300); do echo "Student $i,s$i@example.org"; done
	} >"$T/many.csv"
	expect 0 import students "$T/many.csv"
	strace -f -e trace=write -o "$T/st" "$RC" events --format json |
	    cat >"$T/ev.json"
	n=$(grep -c '^[0-9]* *write(1,' "$T/st")
	size=$(wc -c <"$T/ev.json")
	[ "$size" -gt 65536 ] || fail "events too short to tell ($size bytes)"
	[ "$n" -le $((size / 65536 + 1)) ] ||
	    fail "$n writes for $size bytes"
}

tcase as_before as_before
tcase json_layout json_layout
tcase buffered buffered
tdone
