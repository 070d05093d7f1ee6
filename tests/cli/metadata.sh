#!/bin/sh
# Who did what (SPEC 7): every new event records actor, desk, source and
# batch; actor and desk are checked like any input; each database has an
# origin that the read side does not hold; status shows origin and schema.
. "$(dirname "$0")/../lib.sh"
unset ROLLCALL_ACTOR ROLLCALL_DESK 2>/dev/null || true

# last_event EXPR: the newest event (jsonl) satisfies the Python EXPR on e.
last_event() {
	expect 0 events --format jsonl
	py jsonl "(lambda e: $1)(d[-1])"
}

defaults_and_overrides() {
	new_student "Ana Ng" ana@example.org
	login=$(id -un) host=$(hostname)
	last_event 'e["actor"] == "'"$login"'" and e["desk"] == "'"$host"'" and e["source"] == "cli" and e["batch"] is None and e["version"] >= 2'
	ROLLCALL_ACTOR="Mr Brown" ROLLCALL_DESK="Front desk 2" expect 0 checkin ana@example.org
	last_event 'e["actor"] == "Mr Brown" and e["desk"] == "Front desk 2" and e["source"] == "cli"'
	# --as wins over the environment, anywhere on the line
	ROLLCALL_ACTOR="Mr Brown" expect 0 void --as "Zoë Ünal" ana@example.org
	last_event 'e["actor"] == "Zoë Ünal" and e["type"] == "attendance_voided"'
	expect 0 --as=clerk config points 7
	last_event 'e["actor"] == "clerk" and e["type"] == "config_changed"'
	# 64 characters is fine
	l64=$(rep é 64)
	expect 0 edit ana@example.org --name "Ana Ngô" --as "$l64"
	last_event 'e["actor"] == "é" * 64'
	# the table of events is as it was: no metadata there
	expect 0 events
	hasnt clerk
}

bad_labels_refused() {
	new_student "Ana Ng" ana@example.org
	before=$(head_seq)
	refuse 1 checkin ana@example.org --as ""
	has "actor" "$err"
	refuse 1 checkin ana@example.org --as "$(rep x 65)"
	has "64" "$err"
	refuse 1 checkin ana@example.org --as "$(printf 'a\033[2Jb')"
	has "control" "$err"
	hasnt "$(printf '\033')" "$err"
	ROLLCALL_ACTOR="$(printf 'bad\001')" refuse 1 checkin ana@example.org
	has 'ROLLCALL_ACTOR' "$err"
	ROLLCALL_DESK="$(rep d 65)" refuse 1 remove ana@example.org
	has 'ROLLCALL_DESK' "$err"
	ROLLCALL_DESK="$(printf 'x\377y')" refuse 1 config points 3
	has 'desk' "$err"
	same "$(head_seq)" "$before" "head after refusals"
	# a query does not care about the environment's author
	ROLLCALL_ACTOR="$(printf 'bad\001')" expect 0 students
	# ...but a bad --as is refused anywhere
	refuse 1 students --as ""
	# a refused command creates no database
	ROLLCALL_DB="$T/none" ROLLCALL_ACTOR="" ROLLCALL_DESK="$(rep d 65)" \
	    expect 1 add --name X --email x@example.org
	[ ! -e "$T/none" ] || fail "a refused add created the database"
}

imports_share_a_batch() {
	F=$T/s.csv
	printf 'name,email\nA One,a1@example.org\nB Two,b2@example.org\n' >"$F"
	ROLLCALL_ACTOR=office expect 0 import students "$F"
	F=$T/a.csv
	printf 'student,arrived_at\na1@example.org,2025-09-01T08:00:00\nb2@example.org,2025-09-01T08:10:00\n' >"$F"
	expect 0 import attendance "$F" --as clerk
	expect 0 events --format jsonl
	py jsonl 'len(d) == 4 and all(e["source"] == "import" for e in d)'
	py jsonl 'd[0]["batch"] == d[1]["batch"] and d[2]["batch"] == d[3]["batch"] and d[0]["batch"] != d[2]["batch"]'
	py jsonl 're.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", d[0]["batch"]) is not None'
	py jsonl 'd[0]["actor"] == "office" and d[3]["actor"] == "clerk"'
	# a command after an import has no batch again
	expect 0 void a1@example.org --day 2025-09-01
	last_event 'e["batch"] is None and e["source"] == "cli"'
	# csv carries the four too
	expect 0 events --format csv
	py csv 'd[0]["source"] == "import" and d[0]["actor"] == "office" and d[-1]["batch"] == ""'
}

origin_and_schema() {
	expect 0 status --format json
	py json 'd["origin"] is None and d["schema"] >= 2'
	new_student "Ana Ng" ana@example.org
	expect 0 status --format json
	py json 're.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", d["origin"]) is not None'
	origin=$(pyv json 'd["origin"]')
	schema=$(pyv json 'd["schema"]')
	expect 0 events --format jsonl
	py jsonl 'd[-1]["version"] == '"$schema"
	expect 0 status
	has "origin      $origin"
	has "schema      $schema"
	# rebuild throws the read side away, not the origin
	expect 0 rebuild
	expect 0 status --format json
	py json 'd["origin"] == "'"$origin"'"'
	expect 0 checkin ana@example.org
	expect 0 verify
	expect 0 status --format json
	py json 'd["origin"] == "'"$origin"'"'
	# another database, another origin
	ROLLCALL_DB="$T/other" expect 0 add --name B --email b@example.org
	ROLLCALL_DB="$T/other" expect 0 status --format json
	py json 'd["origin"] != "'"$origin"'"'
}

tcase defaults_and_overrides defaults_and_overrides
tcase bad_labels_refused bad_labels_refused
tcase imports_share_a_batch imports_share_a_batch
tcase origin_and_schema origin_and_schema
tdone
