#!/bin/sh
# Name order by collation (SPEC 3 "Name order", issue 14): the Unicode
# Collation Algorithm (ICU) at secondary strength, in the database's
# `collation` setting (default root), equal keys by id; the setting is a
# config key and an event; an unknown tag is refused; the keys are made
# when names are projected (queries never load ICU) and re-made when the
# ICU that made them is not this build's.
. "$(dirname "$0")/../lib.sh"

E_ACUTE=$(printf '\303\211')	# É
A_RING=$(printf '\303\205')	# Å

load() {
	for n in Zed "${E_ACUTE}mile" Eve adam "${A_RING}sa" Emile Bob; do
		expect 0 add --name "$n" --email "$(printf '%s' "$n" |
		    od -An -tx1 | tr -d ' \n')@example.org"
	done
}

names() {
	expect 0 students --format json
	printf '%s\n' "$out" >"$T/names.json"
	python3 -c 'import json,sys; print("|".join(s["name"] for s in json.load(open(sys.argv[1]))))' \
	    "$T/names.json"
}

root_order() {
	load
	# accents count (Emile before Émile), case does not (adam first),
	# and Émile sorts with Eve, before Zed
	same "$(names)" "adam|${A_RING}sa|Bob|Emile|${E_ACUTE}mile|Eve|Zed" \
	    "names in root order"
	expect 0 config collation
	same "$out" "root" "the default collation"
	# the same order in CSV, in the day's lists and in the report
	expect 0 students --format csv
	py csv '[r["name"] for r in d] == ["adam", "\u00c5sa", "Bob", "Emile", "\u00c9mile", "Eve", "Zed"]'
	expect 0 day 2025-09-01 --format json
	py json '[a["name"] for a in d["absent"]] == ["adam", "\u00c5sa", "Bob", "Emile", "\u00c9mile", "Eve", "Zed"]'
	# whatever the desk's locale
	LC_ALL=C LANG=C expect 0 students --format json
	py json '[s["name"] for s in d][:3] == ["adam", "\u00c5sa", "Bob"]'
}

ties_by_id() {
	# names equal at secondary strength (case only) sort by id
	for n in ada ADA Ada aDa; do
		expect 0 add --name "$n" --email "$n.$(date +%N)@example.org"
	done
	expect 0 students --format json
	py json '[s["id"] for s in d] == sorted(s["id"] for s in d)'
}

swedish() {
	load
	expect 0 config collation sv
	same "$out" "sv" "config collation sv"
	# in Swedish, Å is a letter after Z
	same "$(names)" "adam|Bob|Emile|${E_ACUTE}mile|Eve|Zed|${A_RING}sa" \
	    "names in Swedish order"
	expect 0 events --format jsonl
	has '"data":{"key":"collation","value":"sv"}'
	expect 0 config --format json
	py json 'd["collation"] == "sv"'
	# names added or renamed later go in by the same order
	expect 0 add --name "${A_RING}ke" --email ake@example.org
	expect 0 edit 5a6564@example.org --name "Zara"
	same "$(names)" "adam|Bob|Emile|${E_ACUTE}mile|Eve|Zara|${A_RING}ke|${A_RING}sa" \
	    "names after an add and an edit"
	expect 0 verify
	expect 0 rebuild
	same "$(names)" "adam|Bob|Emile|${E_ACUTE}mile|Eve|Zara|${A_RING}ke|${A_RING}sa" \
	    "names after a rebuild"
	expect 0 verify
	# back to the default: one more event, and root order again
	expect 0 config collation --unset
	same "$out" "root" "collation unset"
	same "$(names)" "adam|${A_RING}ke|${A_RING}sa|Bob|Emile|${E_ACUTE}mile|Eve|Zara" \
	    "names in root order again"
	expect 0 events --format jsonl
	[ "$(printf '%s\n' "$out" | grep -c '"key":"collation"')" -eq 2 ] ||
	    fail "two collation events wanted: $out"
	# setting what is in force already writes nothing
	_before=$(db_digest)
	expect 0 config collation root
	same "$(db_digest)" "$_before" "config collation root when root"
	expect 0 verify
}

unknown_tag() {
	load
	for tag in xx klingon "sv_SE" "" "-" "de--x" "$(printf 'sv\033')" \
	    "a-very-long-tag-that-goes-on-and-on-and-on-and-on-and-on-and-on-x"; do
		refuse 1 config collation "$tag"
	done
	refuse 1 config collation xx
	has "xx" "$err"
	has "collation" "$err"
	# tags ICU has a collation for (German's is the root's order)
	expect 0 config collation de
	expect 0 config collation de-u-co-phonebk
	expect 0 config collation ja
	expect 0 verify
}

# Queries read the keys made at projection: they never load ICU.
no_icu_on_queries() {
	load
	expect 0 students
	for q in students "students --format json" "day 2025-09-01" \
	    "student 5a6564@example.org" status "checkin 5a6564@example.org"; do
		# shellcheck disable=SC2086
		LD_DEBUG=files "$RC" $q >/dev/null 2>"$T/ld" ||
		    fail "$q failed: $(tail -3 "$T/ld")"
		grep -q 'libicu' "$T/ld" && fail "'$q' loaded ICU"
	done
	# while projecting a name does
	LD_DEBUG=files "$RC" add --name Ny --email ny@example.org >/dev/null \
	    2>"$T/ld" || fail "add failed"
	grep -q 'libicui18n' "$T/ld" || fail "add did not load ICU to key the name"
}

# A name index keyed by another ICU is keyed afresh by the next command.
other_icu() {
	top=$(cd "$(dirname "$0")/../.." && pwd)
	raw="python3 $top/tests/hostile/rawdb.py"
	load
	hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
	# a key an older ICU might have made: Zed first
	expect 0 student 5a6564@example.org --format json
	zid=$(pyv json 'd["id"]' | tr -d -)
	$raw put "$ROLLCALL_DB" names "0100$zid" 00000001 ||
	    fail "rawdb put failed"
	$raw put "$ROLLCALL_DB" meta "$(hex names-icu)" "$(hex 0.1)" ||
	    fail "rawdb put failed"
	same "$(names)" "adam|${A_RING}sa|Bob|Emile|${E_ACUTE}mile|Eve|Zed" \
	    "names after the ICU changed"
	$raw dump "$ROLLCALL_DB" meta >"$T/meta.hex"
	grep -q "^$(hex names-icu)	$(hex 0.1)\$" "$T/meta.hex" &&
	    fail "names-icu still says 0.1"
	expect 0 status --format json
	py json 'd["head"] == d["checkpoint"]'
	expect 0 verify
}

tcase root_order root_order
tcase ties_by_id ties_by_id
tcase swedish swedish
tcase unknown_tag unknown_tag
tcase no_icu_on_queries no_icu_on_queries
tcase other_icu other_icu
tdone
