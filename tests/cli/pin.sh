#!/bin/sh
# The admin PIN (SPEC 8): pin set and pin clear read one line from a
# pipe, keep only the Argon2id hash, and no output ever shows it; the
# kiosk refuses to start without one.  Refusals write nothing.
. "$(dirname "$0")/../lib.sh"

# pin_in TEXT CMD...: rollcall CMD with TEXT on standard input.
pin_in() {
	_in=$1; shift
	printf '%b' "$_in" >"$T/pin.in"
	status=0
	"$RC" "$@" <"$T/pin.in" >"$T/out" 2>"$T/err" || status=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
}

# no_hash: nothing rollcall prints shows the stored hash.
no_hash() {
	hash=$(mdb_dump -s meta -p "$ROLLCALL_DB" 2>/dev/null |
	    grep -a -o 'argon2id[^ ]*' | head -1)
	for cmd in "events" "events --format jsonl" "events --format csv" \
	    "events --format json" "status --format json" "students" \
	    "verify" "config"; do
		"$RC" $cmd >"$T/o" 2>&1
		if grep -q -a 'argon2id' "$T/o"; then
			fail "rollcall $cmd shows the hash: $(cat "$T/o")"
		fi
		if [ -n "$hash" ] && grep -q -a -F "$hash" "$T/o"; then
			fail "rollcall $cmd shows the hash"
		fi
	done
}

set_and_clear() {
	pin_in "2468\n" pin set
	same "$status" 0 "pin set status ($err)"
	[ -z "$err" ] || fail "pin set wrote to stderr: $err"
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d] == ["admin_pin_set"] and d[0]["data"] == {}'
	# the read side keeps the hash, and only the hash
	mdb_dump -s meta -p "$ROLLCALL_DB" | grep -q -a 'argon2id' ||
	    fail "no Argon2id hash stored"
	mdb_dump -a -p "$ROLLCALL_DB" | grep -q -a '2468' &&
	    fail "the PIN itself is stored"
	no_hash
	# a wrong PIN does not clear it, and writes nothing
	before=$(db_digest)
	pin_in "1357\n" pin clear
	same "$status" 1 "wrong pin clear status"
	one_err
	same "$(db_digest)" "$before" "database after a wrong PIN"
	pin_in "2468\n" pin clear
	same "$status" 0 "pin clear status ($err)"
	expect 0 events --format jsonl
	py jsonl '[e["type"] for e in d] == ["admin_pin_set", "admin_pin_cleared"] and d[1]["data"] == {}'
	no_hash
	pin_in "2468\n" pin clear
	same "$status" 1 "clearing no PIN"
	one_err
	# a PIN can be set again, and replaced; a CRLF line end is not part
	pin_in "abcd\r\n" pin set
	same "$status" 0 "pin set with CRLF"
	pin_in "wxyz\n" pin set
	same "$status" 0 "pin set again"
	pin_in "abcd\n" pin clear
	same "$status" 1 "the replaced PIN still clears"
	pin_in "wxyz" pin clear
	same "$status" 0 "pin clear without a line end"
	expect 0 verify
	expect 0 rebuild
	no_hash
}

bad_pins() {
	expect 0 add --name Ada --code A1
	for p in "" "\n" "123\n" "$(rep 9 65)\n" "$(rep é 65)\n"; do
		before=$(db_digest)
		pin_in "$p" pin set
		same "$status" 1 "pin set of '$p'"
		one_err
		same "$(db_digest)" "$before" "database after pin '$p'"
	done
	pin_in "$(rep 9 64)\n" pin set
	same "$status" 0 "a 64-character PIN"
	pin_in "$(rep é 4)\n" pin set
	same "$status" 0 "a 4-character PIN of 8 bytes"
	refuse 2 pin
	refuse 2 pin reset
}

kiosk_needs_pin() {
	expect 0 add --name Ada --code A1
	refuse 1 kiosk
	case "$err" in *PIN*) ;; *) fail "kiosk refusal does not name the PIN: $err" ;; esac
	pin_in "2468\n" pin set
	pin_in "2468\n" pin clear
	refuse 1 kiosk
}

tcase set_and_clear set_and_clear
tcase bad_pins bad_pins
tcase kiosk_needs_pin kiosk_needs_pin
tdone
