#!/bin/sh
# The command line in general (SPEC 3): --help and --version everywhere,
# usage errors (2), empty or invalid values (1), option order, no
# command without a terminal, the database location and its modes (SPEC 2).
. "$(dirname "$0")/../lib.sh"

COMMANDS="add edit remove checkin void students student day events import config rebuild verify status"

help_everywhere() {
	for opt in --help --version; do
		expect 0 "$opt"
		[ -n "$out" ] || fail "rollcall $opt printed nothing"
		[ -z "$err" ] || fail "rollcall $opt wrote to stderr: $err"
		for c in $COMMANDS; do
			expect 0 "$c" "$opt"
			[ -n "$out" ] || fail "rollcall $c $opt printed nothing"
			expect 0 "$opt" "$c"
			[ -n "$out" ] || fail "rollcall $opt $c printed nothing"
		done
		# after positionals and with otherwise incomplete or wrong arguments
		expect 0 import students "$opt"
		expect 0 import attendance no-such-file.csv "$opt"
		expect 0 checkin somebody@example.org "$opt"
		expect 0 add --name "Only A Name" "$opt"
		expect 0 day 2025-09-01 "$opt"
		expect 0 config points 7 "$opt"
	done
	# --version names a version number
	expect 0 --version
	printf '%s\n' "$out" | grep -Eq '[0-9]+\.[0-9]+' ||
	    fail "--version shows no version number: $out"
	# help shows how to call the commands
	expect 0 --help
	for c in add checkin import config verify; do has "$c"; done
	# none of this created or touched a database
	[ ! -e "$ROLLCALL_DB" ] || fail "--help/--version created $ROLLCALL_DB"
}

no_command_without_tty() {
	expect 2 </dev/null
	case "$out$err" in *[Uu]sage*|*USAGE*) ;; *)
		fail "rollcall with no command and no terminal printed no usage: $out$err" ;; esac
	# stdin a terminal but stdout not: still the usage, not the TUI
	command -v script >/dev/null || return 0
	RC="$RC" T="$T" timeout 20 script -qec \
	    '"$RC" >"$T/notty.out" 2>"$T/notty.err"; echo $? >"$T/notty.rc"' \
	    /dev/null </dev/null >/dev/null 2>&1
	[ -f "$T/notty.rc" ] || fail "rollcall with stdout not a terminal did not exit (opened the TUI?)"
	same "$(cat "$T/notty.rc")" 2 "exit status of rollcall >file on a terminal"
	[ -s "$T/notty.out" ] || [ -s "$T/notty.err" ] || fail "no usage printed"
}

usage_errors() {
	new_student "Ada Lovelace" ada@example.org
	set -- \
	    "frobnicate" \
	    "students --bogus" \
	    "--bogus students" \
	    "add --name Bob" \
	    "add --email bob@example.org" \
	    "add --email bob@example.org --name" \
	    "add --name Bob --email bob@example.org --gender" \
	    "checkin" \
	    "checkin ada@example.org --at" \
	    "void" \
	    "void ada@example.org --day" \
	    "student" \
	    "edit" \
	    "remove" \
	    "import" \
	    "import students" \
	    "import attendance" \
	    "import teachers t.csv" \
	    "events --from" \
	    "students --format" \
	    "student ada@example.org bob@example.org" \
	    "remove ada@example.org bob@example.org" \
	    "day 2025-09-01 2025-09-02" \
	    "config points 5 6"
	for a; do
		# shellcheck disable=SC2086
		refuse 2 $a
	done
	refuse 2 --db
	# the error names what was wrong
	refuse 2 students --bogus-option
	has "--bogus-option" "$err"
	refuse 2 frobnicate
	has frobnicate "$err"
}

empty_or_invalid_values() {
	new_student "Ada Lovelace" ada@example.org
	refuse 1 add --name "" --email bob@example.org
	refuse 1 add --name "Bob" --email ""
	refuse 1 add --name "Bob" --email bob@example.org --gender ""
	refuse 1 edit ada@example.org --name ""
	refuse 1 checkin ada@example.org --at ""
	refuse 1 checkin ""
	refuse 1 student ""
	refuse 1 remove ""
	refuse 1 void ada@example.org --day ""
	refuse 1 day ""
	refuse 1 day 2025-13-01
	refuse 1 day 2025-02-30
	refuse 1 day 2025-02-29
	refuse 1 day 2025-9-1
	refuse 1 day 01/09/2025
	expect 0 day 2024-02-29 --format json
	py json 'd["day"] == "2024-02-29"'
	refuse 1 events --from ""
	refuse 1 events --from abc
	refuse 1 students --format ""
	refuse 1 students --format xml
	refuse 1 config points ""
	refuse 1 --db "" students
	expect 0 students --format json
	py json 'len(d) == 1'
}

option_order() {
	expect 0 add --email ada@example.org --name "Ada Lovelace"
	a=$out
	expect 0 add --gender FEMALE --name "Grace Hopper" --email grace@example.org
	expect 0 checkin --at 2025-08-28T08:00 "$a"
	expect 0 checkin "$a" --at 2025-08-29T08:00
	expect 0 checkin --format json --at 2025-08-30T08:00 ada@example.org
	py json 'd["day"] == "2025-08-30"'
	expect 0 students --all --format json
	j1=$out
	expect 0 students --format json --all
	same "$out" "$j1" "students --format json --all"
	py json 'len(d) == 2'
	expect 0 student --format json "$a"
	py json 'd["id"] == "'"$a"'" and d["days_present"] == 3'
	expect 0 student "$a" --format json
	py json 'd["id"] == "'"$a"'"'
	expect 0 void --reason "wrong day" ada@example.org --day 2025-08-28
	expect 0 void ada@example.org --reason "wrong day" --day 2025-08-29
	expect 0 student "$a" --format json
	py json 'd["days_present"] == 1'
	expect 0 events --format jsonl --from 2
	py jsonl 'd[0]["seq"] == 2'
	expect 0 events --from 2 --format jsonl
	py jsonl 'd[0]["seq"] == 2'
	# --db after the command
	expect 0 students --db "$T/other" --format json
	py json 'd == []'
	expect 0 add --name X --email x@example.org --db "$T/other"
	[ -f "$T/other/data.mdb" ] || fail "--db after the command was not used"
}

db_location() {
	base=$T/loc
	mkdir -p "$base/home"
	umask 022
	# --db beats ROLLCALL_DB
	ROLLCALL_DB=$base/env XDG_DATA_HOME=$base/xdg HOME=$base/home \
	    expect 0 --db "$base/opt" add --name A --email a@example.org
	[ -f "$base/opt/data.mdb" ] || fail "--db $base/opt not used"
	[ ! -e "$base/env" ] || fail "ROLLCALL_DB used although --db was given"
	[ ! -e "$base/xdg" ] || fail "XDG_DATA_HOME used although --db was given"
	# ROLLCALL_DB beats XDG_DATA_HOME
	ROLLCALL_DB=$base/env XDG_DATA_HOME=$base/xdg HOME=$base/home \
	    expect 0 add --name A --email a@example.org
	[ -f "$base/env/data.mdb" ] || fail "ROLLCALL_DB not used"
	[ ! -e "$base/xdg" ] || fail "XDG_DATA_HOME used although ROLLCALL_DB was set"
	unset ROLLCALL_DB
	# XDG_DATA_HOME beats HOME
	XDG_DATA_HOME=$base/xdg HOME=$base/home expect 0 add --name A --email a@example.org
	[ -f "$base/xdg/rollcall/data.mdb" ] || fail "\$XDG_DATA_HOME/rollcall not used"
	[ ! -e "$base/home/.local" ] || fail "HOME used although XDG_DATA_HOME was set"
	XDG_DATA_HOME=$base/xdg HOME=$base/home expect 0 status --format json
	py json '__import__("os").path.realpath(d["db_path"]) == __import__("os").path.realpath("'"$base/xdg/rollcall"'")'
	# default: ~/.local/share/rollcall, created with its parents
	HOME=$base/home expect 0 add --name A --email a@example.org
	[ -f "$base/home/.local/share/rollcall/data.mdb" ] ||
	    fail "default ~/.local/share/rollcall not used"
	HOME=$base/home expect 0 students --format json
	py json 'len(d) == 1'
	# an empty XDG_DATA_HOME counts as unset (XDG base directory spec)
	if [ ! -e /rollcall ]; then
		XDG_DATA_HOME='' HOME=$base/home run students --format json
		if [ -e /rollcall ]; then
			rm -rf /rollcall
			fail "empty XDG_DATA_HOME made the database /rollcall"
		fi
		same "$status" 0 "exit status with XDG_DATA_HOME empty"
		py json 'len(d) == 1'
	fi
	for d in "$base/opt" "$base/env" "$base/xdg/rollcall" "$base/home/.local/share/rollcall"; do
		same "$(stat -c %a "$d")" 700 "mode of $d"
		for f in "$d"/*; do
			same "$(stat -c %a "$f")" 600 "mode of $f"
		done
	done
	# modes hold whatever the umask
	umask 000
	expect 0 --db "$base/u0" add --name A --email a@example.org
	same "$(stat -c %a "$base/u0")" 700 "mode of a database made under umask 000"
	for f in "$base/u0"/*; do same "$(stat -c %a "$f")" 600 "mode of $f under umask 000"; done
	umask 077
	expect 0 --db "$base/u77" add --name A --email a@example.org
	expect 0 --db "$base/u77" students --format json
	py json 'len(d) == 1'
}

status_paths() {
	expect 0 status --format json
	py json 'set(d) >= {"head", "checkpoint", "errors", "students", "db_path", "db_bytes"}'
	py json '__import__("os").path.realpath(d["db_path"]) == __import__("os").path.realpath("'"$ROLLCALL_DB"'")'
	# not created yet (a read creates nothing): no bytes
	py json 'isinstance(d["db_bytes"], int) and d["db_bytes"] == 0'
	py json 'd["head"] == 0 and d["checkpoint"] == 0 and d["students"] == 0'
	expect 0 add --name Ada --email ada@example.org
	expect 0 status --format json
	py json 'isinstance(d["db_bytes"], int) and d["db_bytes"] > 0'
}

system_errors() {
	: >"$T/plainfile"
	expect 3 --db "$T/plainfile" students
	one_err
	expect 3 --db "$T/plainfile/sub" add --name A --email a@example.org
	one_err
	# a damaged data file is a storage error, not a crash
	mkdir -p "$T/junk" && chmod 700 "$T/junk"
	head -c 65536 /dev/urandom >"$T/junk/data.mdb"
	expect 3 --db "$T/junk" status
	one_err
}

tcase help_everywhere help_everywhere
tcase no_command_without_tty no_command_without_tty
tcase usage_errors usage_errors
tcase empty_or_invalid_values empty_or_invalid_values
tcase option_order option_order
tcase db_location db_location
tcase status_paths status_paths
tcase system_errors system_errors
tdone
