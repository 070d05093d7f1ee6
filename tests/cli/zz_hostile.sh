#!/bin/sh
# A hostile environment (issue 4): a read-only database (reads work,
# writes refuse; by permissions and on a read-only mount), one that is
# not ours, a missing parent, a full disk (a small tmpfs), verify's
# scratch space missing or full, a truncated or garbage data.mdb,
# garbage lock.mdb, a process killed while it opens the database,
# and locks left by processes killed while holding them.  Each: exit 3
# (or 0 where it should just work) with one "rollcall: " line, no crash,
# no damage.  Tests run as root: privileges are dropped with setpriv
# where permissions must bite.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
chmod 755 "$T"		# so that the unprivileged user can reach it
NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
mkdir -m 1777 "$T/tmp"
MNT=""
trap '[ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"' EXIT

# as_nobody CMD...: runs rollcall as nobody, leaving $out $err $status.
as_nobody() {
	$NOBODY env TMPDIR="$T/tmp" "$RC" "$@" >"$T/out" 2>"$T/err"
	status=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
}
expect_nobody() {
	_want=$1; shift
	as_nobody "$@"
	[ "$status" -eq "$_want" ] ||
	    fail "as nobody: rollcall $* exited $status, wanted $_want; stderr: $err"
}
# no_crash: $err shows no sanitizer report, signal or assertion.
no_crash() {
	case "$err" in *Sanitizer*|*DEADLYSIGNAL*|*Assertion*|*"runtime error"*)
		fail "crashed: $(printf '%s\n' "$err" | grep -m3 -E 'ERROR|SUMMARY|Assertion|runtime error')" ;; esac
	[ "$status" -lt 128 ] || fail "killed by signal $((status - 128))"
}
small_school() {
	new_student "Ada Lovelace" ada@example.org female
	expect 0 checkin ada@example.org
	new_student "Bob Stone" bob@example.org
	expect 0 config points 7
}

read_only() {
	small_school
	chown -R nobody:nogroup "$ROLLCALL_DB"
	chmod 500 "$ROLLCALL_DB"; chmod 400 "$ROLLCALL_DB"/*
	before=$(db_digest)
	for q in students "students --all --format json" status events day \
	    "student ada@example.org" "config" verify; do
		# shellcheck disable=SC2086
		expect_nobody 0 $q
		[ -z "$err" ] || fail "read-only $q wrote to stderr: $err"
	done
	for w in "add --name Cy --email cy@example.org" "checkin bob@example.org" \
	    "edit ada@example.org --name Ada" "remove bob@example.org" \
	    "void ada@example.org" "config points 9" rebuild; do
		# shellcheck disable=SC2086
		expect_nobody 3 $w
		one_err; no_crash
		has "read-only" "$err"
	done
	printf 'name,email\nCy,cy@example.org\n' >"$T/tmp/cy.csv"
	expect_nobody 3 import students "$T/tmp/cy.csv"
	one_err
	[ "$(db_digest)" = "$before" ] || fail "the read-only database changed"
	# and its owner can still write once it is writable again
	chmod 700 "$ROLLCALL_DB"; chmod 600 "$ROLLCALL_DB"/*
	expect 0 checkin bob@example.org
	expect 0 verify
}

not_ours() {
	small_school
	chmod 700 "$ROLLCALL_DB"	# root's
	before=$(db_digest)
	for c in students status "add --name Cy --email cy@example.org" verify; do
		# shellcheck disable=SC2086
		expect_nobody 3 $c
		one_err; no_crash
		has "ermission denied" "$err"
	done
	# a database directory nobody may create
	expect_nobody 3 --db "$ROLLCALL_DB/sub" students
	one_err
	[ "$(db_digest)" = "$before" ] || fail "someone else's database changed"
	[ ! -e "$ROLLCALL_DB/sub" ] || fail "created a directory in someone else's database"
}

missing_parent() {
	expect 3 --db "$T/no/such/place" add --name Cy --email cy@example.org
	one_err; no_crash
	[ ! -e "$T/no" ] || fail "created $T/no"
	# a file where the directory should be
	: >"$T/afile"
	expect 3 --db "$T/afile" students
	one_err
	# no --db, ROLLCALL_DB nor HOME
	env -u HOME -u ROLLCALL_DB -u XDG_DATA_HOME "$RC" students >"$T/out" 2>"$T/err"
	status=$?; err=$(cat "$T/err")
	same "$status" 3 "exit status with no HOME"
	one_err
	# the default place's missing parents are created, mode 0700
	env -u ROLLCALL_DB XDG_DATA_HOME="$T/xdg/deep/er" "$RC" add --name Cy \
	    --email cy@example.org >/dev/null 2>"$T/err" ||
	    fail "could not create the default location: $(cat "$T/err")"
	same "$(stat -c %a "$T/xdg/deep/er/rollcall")" 700 "mode of the new database directory"
}

full_disk() {
	MNT="$T/mnt"; mkdir "$MNT"
	if ! mount -t tmpfs -o size=2m tmpfs "$MNT" 2>/dev/null; then
		MNT=""
		echo "full_disk: cannot mount a tmpfs here; skipped" >&2
		return 0
	fi
	export ROLLCALL_DB="$MNT/db"
	small_school
	avail=$(df -k --output=avail "$MNT" | tail -1)
	dd if=/dev/zero of="$MNT/filler" bs=1k count=$((avail - 48)) 2>/dev/null
	awk 'BEGIN { print "name,email"; for (i = 1; i <= 3000; i++)
	    printf "Student %d,s%d@example.org\n", i, i }' >"$T/big.csv"
	before=$(db_digest)
	expect 3 import students "$T/big.csv"
	one_err; no_crash
	[ "$(db_digest)" = "$before" ] || fail "a failed import on a full disk changed the database"
	expect 0 verify
	# single commands until the disk is full: the first refusal is clean
	i=0
	while [ $i -lt 500 ]; do
		i=$((i + 1))
		before=$(db_digest)
		run add --name "Filler $i" --email "f$i@example.org"
		[ "$status" -eq 0 ] || break
	done
	same "$status" 3 "exit status of add on a full disk (after $i)"
	one_err; no_crash
	[ "$(db_digest)" = "$before" ] || fail "a failed add on a full disk changed the database"
	expect 0 verify
	expect 0 students
	# room again: everything works
	rm -f "$MNT/filler"
	expect 0 import students "$T/big.csv"
	expect 0 verify
	umount "$MNT" && MNT=""
}

# The database on a file system mounted read-only (EROFS, not EACCES).
read_only_fs() {
	MNT="$T/rofs"; mkdir "$MNT"
	if ! mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
		MNT=""
		echo "read_only_fs: cannot mount a tmpfs here; skipped" >&2
		return 0
	fi
	export ROLLCALL_DB="$MNT/db"
	small_school
	mount -o remount,ro "$MNT" || fail "cannot remount read-only"
	before=$(db_digest)
	for q in students status events verify "student ada@example.org"; do
		# shellcheck disable=SC2086
		expect 0 $q
	done
	expect 3 add --name Cy --email cy@example.org
	one_err; no_crash
	# a database not made yet reads as empty; a write cannot make it
	expect 0 --db "$MNT/other" students
	expect 3 --db "$MNT/other" add --name Cy --email cy@example.org
	one_err
	[ "$(db_digest)" = "$before" ] || fail "the database changed"
	umount "$MNT" && MNT=""
}

# verify's scratch copy where it cannot be made: TMPDIR full or missing.
verify_scratch() {
	awk 'BEGIN { print "name,email"; for (i = 1; i <= 2000; i++)
	    printf "Student %d,s%d@example.org\n", i, i }' >"$T/s.csv"
	expect 0 import students "$T/s.csv"
	TMPDIR="$T/none" run verify
	same "$status" 3 "verify with a missing TMPDIR"
	one_err; no_crash
	MNT="$T/small"; mkdir "$MNT"
	if mount -t tmpfs -o size=256k tmpfs "$MNT" 2>/dev/null; then
		TMPDIR="$MNT" run verify
		same "$status" 3 "verify with a full TMPDIR"
		one_err; no_crash
		[ -z "$(ls -A "$MNT")" ] || fail "verify left $(ls "$MNT") behind"
		umount "$MNT"
	else
		echo "verify_scratch: cannot mount a tmpfs here; skipped the full TMPDIR" >&2
	fi
	MNT=""
	expect 0 verify
}

truncated_data() {
	awk 'BEGIN { print "name,email"; for (i = 1; i <= 300; i++)
	    printf "Student %d,s%d@example.org\n", i, i }' >"$T/s.csv"
	expect 0 import students "$T/s.csv"
	size=$(stat -c %s "$ROLLCALL_DB/data.mdb")
	cp "$ROLLCALL_DB/data.mdb" "$T/data.orig"
	for keep in 4096 8192 $((size / 2)) $((size - 4096)); do
		cp "$T/data.orig" "$ROLLCALL_DB/data.mdb"
		truncate -s "$keep" "$ROLLCALL_DB/data.mdb"
		for c in students status verify "add --name X --email x@example.org"; do
			# shellcheck disable=SC2086
			run $c
			no_crash
			[ "$status" -eq 3 ] ||
			    fail "'$c' on data.mdb cut to $keep of $size bytes: exit $status, wanted 3; $err"
			one_err
		done
	done
}

garbage_data() {
	small_school
	head -c 65536 /dev/urandom >"$ROLLCALL_DB/data.mdb"
	sum=$(md5sum <"$ROLLCALL_DB/data.mdb")
	for c in students status verify rebuild "add --name X --email x@example.org"; do
		# shellcheck disable=SC2086
		run $c
		no_crash
		same "$status" 3 "exit status of $c on a garbage data.mdb"
		one_err
	done
	same "$(md5sum <"$ROLLCALL_DB/data.mdb")" "$sum" "the garbage data.mdb (left alone)"
}

garbage_lock() {
	small_school
	before=$(db_digest)
	for n in 8192 100; do
		head -c $n /dev/urandom >"$ROLLCALL_DB/lock.mdb"
		run students
		no_crash
		case $status in 0) ;; 3) one_err ;; *) fail "garbage lock.mdb: exit $status" ;; esac
	done
	[ "$(db_digest)" = "$before" ] || fail "a garbage lock.mdb changed the data"
}

# A process stopped while it holds a lock, then killed: the next
# commands must neither hang nor lose anything.
stale_locks() {
	make -s --no-print-directory -C "$top" build/fault/rollcall \
	    >"$T/make.log" 2>&1 || fail "cannot build build/fault/rollcall: $(cat "$T/make.log")"
	small_school
	# the writer: stopped at its third LMDB write, inside its transaction
	: >"$T/log"
	ROLLCALL_FAULT=3:STOP ROLLCALL_FAULT_LOG="$T/log" "$top/build/fault/rollcall" \
	    add --name "Stuck Writer" --email stuck@example.org >/dev/null 2>&1 &
	pid=$!
	i=0
	while ! grep -q '^stop' "$T/log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q '^stop' "$T/log" || fail "the writer never stopped"
	kill -9 $pid; wait $pid 2>/dev/null
	run_timeout 20 add --name "After Writer" --email after@example.org
	same "$status" 0 "add after a writer died holding the lock: $err"
	expect 0 verify
	expect 0 students --format json
	hasnt "Stuck Writer"
	# a reader, stopped inside its read transaction
	n=1
	while [ $n -lt 40 ]; do
		: >"$T/log"
		ROLLCALL_FAULT=$n:STOP:r ROLLCALL_FAULT_LOG="$T/log" "$top/build/fault/rollcall" \
		    students >/dev/null 2>&1 &
		pid=$!
		i=0
		while ! grep -q '^stop' "$T/log" && [ $i -lt 50 ]; do
			kill -0 $pid 2>/dev/null || break
			sleep 0.1; i=$((i + 1))
		done
		grep -q '^stop cursor_get' "$T/log" && break
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		n=$((n + 1))
	done
	grep -q '^stop cursor_get' "$T/log" || fail "no reader stopped in a cursor"
	kill -9 $pid; wait $pid 2>/dev/null
	for i in 1 2 3 4 5; do
		run_timeout 20 add --name "After Reader $i" --email "after$i@example.org"
		same "$status" 0 "add after a reader died: $err"
	done
	expect 0 verify
	mdb_stat -r "$ROLLCALL_DB" | grep -q " $pid " &&
	    fail "the dead reader $pid still holds a slot: $(mdb_stat -r "$ROLLCALL_DB")"
	return 0
}
# A process killed while it opens the environment, with another waiting
# to open it.  LMDB's first opener sets up lock.mdb (its transaction id
# is 0 until the opener has read the data file); if it dies there, the
# one that was waiting must not start from that id: its own write would
# vanish, and it could roll back writes acknowledged long before.
# (tests/hostile/stopopen.c stops the first at its open of data.mdb.)
killed_while_opening() {
	cc -shared -fPIC -o "$T/stopopen.so" "$top/tests/hostile/stopopen.c" \
	    -ldl 2>"$T/cc.err" || fail "cannot build stopopen.so: $(cat "$T/cc.err")"
	for extra in 0 1; do	# both parities of the last transaction id
		rm -rf "$ROLLCALL_DB"
		for i in $(seq 1 $((4 + extra))); do
			new_student "Student $i" "s$i@example.org"
		done
		last="s$((4 + extra))@example.org"
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		    LD_PRELOAD="$T/stopopen.so" ROLLCALL_STOP_OPEN=/data.mdb \
		    "$RC" add --name Opener --email opener@example.org \
		    >/dev/null 2>&1 &
		p1=$!
		i=0
		while [ "$(ps -o stat= -p $p1 2>/dev/null | cut -c1)" != T ] &&
		    [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		[ "$(ps -o stat= -p $p1 | cut -c1)" = T ] ||
		    fail "the first opener never stopped in mdb_env_open"
		"$RC" add --name Waiter --email waiter@example.org >"$T/w.out" 2>"$T/w.err" &
		p2=$!
		sleep 0.5	# the waiter is blocked on lock.mdb now
		kill -9 $p1; wait $p1 2>/dev/null
		wait $p2
		same "$?" 0 "exit status of the add that waited ($(cat "$T/w.err"))"
		expect 0 student waiter@example.org
		expect 0 student "$last"
		expect 0 status --format json
		py json 'd["head"] == '"$((5 + extra))"
		expect 0 verify
	done
}

run_timeout() {
	_t=$1; shift
	timeout "$_t" "$RC" "$@" >"$T/out" 2>"$T/err"
	status=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
	[ "$status" -ne 124 ] || fail "rollcall $* hung (a stale lock?)"
}

tcase read_only read_only
tcase not_ours not_ours
tcase missing_parent missing_parent
tcase full_disk full_disk
tcase read_only_fs read_only_fs
tcase verify_scratch verify_scratch
tcase truncated_data truncated_data
tcase garbage_data garbage_data
tcase garbage_lock garbage_lock
tcase stale_locks stale_locks
tcase killed_while_opening killed_while_opening
tdone
