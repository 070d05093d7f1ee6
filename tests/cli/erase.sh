#!/bin/sh
# Personal data sealed per student, and erase (SPEC 7, issue 10): names,
# emails and codes reach the log only encrypted under the student's own
# key; `erase STUDENT --yes` destroys a removed student's key, so that
# they show everywhere as [erased] with their id and figures, and after
# `compact` no byte of their personal data is left in data.mdb.  A lost
# or damaged key is damage that verify reports, never an erasure.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
raw() { python3 "$top/tests/hostile/rawdb.py" "$@"; }
hexid() { python3 -c 'import uuid, sys; print(uuid.UUID(sys.argv[1]).hex)' "$1"; }

# in_file TEXT: data.mdb holds TEXT somewhere, in any page, used or not.
in_file() { grep -aqF "$1" "$ROLLCALL_DB/data.mdb"; }

# log_holds TEXT: some record of the log holds TEXT in clear.
log_holds() {
	raw dump "$ROLLCALL_DB" events | python3 -c '
import sys
want = sys.argv[1].encode()
sys.exit(0 if any(want in bytes.fromhex(l.split()[1]) for l in sys.stdin) else 1)
' "$1"
}

sealed_in_the_log() {
	expect 0 add --name "Quentin Quasimodo" --email quentin.q@example.org \
	    --code QQ-77 --gender male
	id=$out
	expect 0 edit "$id" --name "Quentin Quarles" --email qq@example.org
	printf 'name,email,code\nImke Importova,imke@example.org,IM-5\n' >"$T/s.csv"
	expect 0 import students "$T/s.csv"
	for s in Quasimodo quentin.q QQ-77 Quarles qq@example Importova \
	    imke@ IM-5; do
		log_holds "$s" && fail "$s in the log in clear text"
	done
	# shown opened, and the key is beside the log
	expect 0 events --format jsonl
	py jsonl 'd[0]["version"] == 5 and d[0]["data"] == {"id": "'"$id"'", "name": "Quentin Quasimodo", "email": "quentin.q@example.org", "code": "QQ-77", "gender": "male"}'
	py jsonl 'd[1]["data"] == {"id": "'"$id"'", "name": "Quentin Quarles", "email": "qq@example.org"}'
	py jsonl 'd[2]["data"]["name"] == "Imke Importova" and d[2]["source"] == "import"'
	[ "$(raw dump "$ROLLCALL_DB" keys | wc -l)" -eq 2 ] || fail "two keys"
	expect 0 status --format json
	py json 'd["schema"] == 5'
	# rebuild keeps the keys: it drops the read side only
	expect 0 rebuild
	expect 0 verify
	expect 0 student QQ-77 --format json
	py json 'd["name"] == "Quentin Quarles" and d["email"] == "qq@example.org" and d["gender"] == "male"'
}

erase_refusals() {
	new_student "Ana Ng" ana@example.org
	refuse 2 erase "$id"
	refuse 1 erase "$id" --yes
	has "remove them first" "$err"
	refuse 1 erase nobody@example.org --yes
	refuse 2 erase --yes
	expect 0 remove "$id"
	refuse 2 erase "$id"
	expect 0 erase "$id" --yes
	has "erased"
	refuse 1 erase "$id" --yes
	has "already erased" "$err"
	refuse 1 restore "$id"
	has "erased" "$err"
	expect 0 erase --help
	has "--yes"
}

erased_everywhere() {
	export ROLLCALL_NOW=2025-09-02T12:00:00
	expect 0 add --name "Zoë Secretname" --email zoe.secret@example.org \
	    --code ZS-991 --gender female
	zoe=$out
	new_student "Bo Keep" bo.keep@example.org
	expect 0 checkin "$zoe" --at 2025-09-01T08:50:00
	expect 0 checkin bo.keep@example.org --at 2025-09-01T08:50:00
	expect 0 checkin "$zoe" --at 2025-09-02T09:20:00
	expect 0 edit "$zoe" --name "Zoë Renamed" --email zoe.renamed@example.org
	export ROLLCALL_NOW=2025-09-03T12:00:00
	expect 0 remove "$zoe"
	expect 0 erase "$zoe" --yes
	# the roster: id and figures kept, the rest gone
	expect 0 students --all --format json
	py json '[(s["name"], s["email"], s["code"], s["gender"], s["active"], s["points"], s["days_present"]) for s in d if s["id"] == "'"$zoe"'"] == [("[erased]", None, None, None, False, 0, 2)]'
	expect 0 students --all
	has "[erased]"
	hasnt "Secretname"
	hasnt "Renamed"
	expect 0 student "$zoe" --format json
	py json 'd["name"] == "[erased]" and d["email"] is None and d["code"] is None and d["gender"] is None and len(d["attendance"]) == 2'
	expect 0 student "$zoe"
	has "[erased]"
	# the log: the same events, their personal fields shown erased
	expect 0 events --format jsonl
	for s in Secret Renamed zoe. ZS-991; do hasnt "$s"; done
	py jsonl '[(e["type"], e["data"].get("name"), e["data"].get("email"), e["data"].get("code"), e["data"].get("gender")) for e in d if e["type"] in ("student_registered", "student_updated") and e["data"]["id"] == "'"$zoe"'"] == [("student_registered", "[erased]", None, None, None), ("student_updated", "[erased]", None, None, None)]'
	py jsonl 'd[-1]["type"] == "student_erased" and d[-1]["version"] == 5 and d[-1]["data"] == {"id": "'"$zoe"'"}'
	expect 0 events
	hasnt "Secret"
	# history and reports keep counting them
	expect 0 history "$zoe" --format json
	py json '[h["summary"] for h in d][0] == "registered" and d[-1]["summary"] == "personal data erased" and d[-1]["type"] == "student_erased"'
	expect 0 report --from 2025-09-01 --to 2025-09-02 --format json
	py json '[(s["name"], s["code"], s["present"], s["late"]) for s in d["students"] if s["id"] == "'"$zoe"'"] == [("[erased]", None, 2, 1)]'
	expect 0 report --from 2025-09-01 --to 2025-09-02
	has "[erased]"
	expect 0 day 2025-09-01 --format json
	py json '[p["name"] for p in d["present"] if p["id"] == "'"$zoe"'"] == ["[erased]"]'
	expect 0 verify
	expect 0 rebuild
	expect 0 verify
	expect 0 students --all --format json
	py json '[s["name"] for s in d if s["id"] == "'"$zoe"'"] == ["[erased]"]'
	# a backup: no byte of it in the copy either (LMDB's compacting copy
	# alone carries bytes of the unused space of its pages along)
	expect 0 backup "$T/bk"
	for s in Secretname zoe.secret Renamed zoe.renamed ZS-991; do
		grep -aqF "$s" "$T/bk/data.mdb" &&
		    fail "$s is in the backup's data.mdb"
	done
	grep -aqF "Bo Keep" "$T/bk/data.mdb" || fail "the backup lost Bo Keep"
	# compact: no byte of it is left in the file
	expect 0 compact
	for s in Secretname zoe.secret Renamed zoe.renamed ZS-991; do
		in_file "$s" && fail "$s is still in data.mdb after compact"
	done
	in_file "Bo Keep" || fail "compact lost Bo Keep"
	[ "$(stat -c %a "$ROLLCALL_DB/data.mdb")" = 600 ] || fail "mode"
	expect 0 verify
	# and it goes on working: the freed email and code are free
	expect 0 add --name "Zoë Other" --email zoe.secret@example.org \
	    --code ZS-991
	expect 0 checkin bo.keep@example.org
	expect 0 verify
	expect 0 status --format json
	py json 'd["errors"] == []'
}

lost_key_is_damage() {
	new_student "Ana Ng" ana@example.org
	new_student "Bo Lost" bo.lost@example.org
	lost=$id
	expect 0 checkin "$lost"
	expect 0 verify
	raw del "$ROLLCALL_DB" keys "$(hexid "$lost")"
	expect 1 verify
	has "cannot be read" "$err"
	has "missing" "$err"
	hasnt "erased" "$err"
	# shown as damage, never as [erased]
	expect 0 events --format jsonl
	hasnt "[erased]"
	expect 0 events
	has "cannot be read"
	# rebuild keeps working: the event is a projection error, and verify
	# still calls it damage although the read side agrees now
	expect 0 rebuild
	expect 0 status --format json
	py json 'any("cannot be read" in e["reason"] for e in d["errors"])'
	expect 0 students --all --format json
	py json '[s["name"] for s in d] == ["Ana Ng"]'
	expect 1 verify
	has "cannot be read" "$err"
}

damaged_or_forged_key_is_damage() {
	new_student "Cy Damaged" cy@example.org
	cy=$id
	new_student "Di Forged" di@example.org
	di=$id
	raw put "$ROLLCALL_DB" keys "$(hexid "$cy")" "$(rep 00 32)"
	# a tombstone that no erasure in the log backs
	raw put "$ROLLCALL_DB" keys "$(hexid "$di")" "$(rep 00 7)02"
	expect 1 verify
	has "student $cy cannot be read" "$err"
	has "student $di cannot be read: their key is gone, and the log records no erasure" "$err"
	expect 0 rebuild
	expect 0 students --all --format json
	py json 'd == []'
	refuse 1 erase di@example.org --yes
}

clear_text_refused() {
	FX=$top/tests/fixtures/release4
	mkdir -p "$ROLLCALL_DB" && chmod 700 "$ROLLCALL_DB"
	cp "$FX/db/data.mdb" "$ROLLCALL_DB/" && chmod 600 "$ROLLCALL_DB/data.mdb"
	expect 0 status		# the first open brings the read side up to date
	# removed by the old release
	refuse 1 erase bo.lind@example.org --yes
	has "clear text" "$err"
	has "earlier release" "$err"
	# edited (sealed) now, still clear in the old registration
	expect 0 edit emile@example.org --name "Émile Édouard Zola"
	expect 0 remove emile@example.org
	refuse 1 erase emile@example.org --yes
	has "clear text" "$err"
	expect 0 verify
}

tcase sealed_in_the_log sealed_in_the_log
tcase erase_refusals erase_refusals
tcase erased_everywhere erased_everywhere
tcase lost_key_is_damage lost_key_is_damage
tcase damaged_or_forged_key_is_damage damaged_or_forged_key_is_damage
tcase clear_text_refused clear_text_refused
tdone
