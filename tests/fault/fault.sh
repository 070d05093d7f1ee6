#!/bin/sh
# Fault injection at every LMDB call a command makes (SQLite style).
#
# For each kind of command and each error, run the command with
# build/fault/rollcall (tests/fault/inject.c) failing its Nth LMDB call
# of the class, for N = 1, 2, 3, ... until a run reaches no call N.
# Errors: EIO and MDB_MAP_FULL on writes and EIO on the queries' reads;
# with FAULT_FULL=1 (make fault) also ENOSPC, TXN_FULL, CORRUPTED and
# PANIC, persistent ENOSPC and MAP_FULL (call N and every later one
# fail: a disk that stays full), and EIO on the reads of every command.
# After each fault:
#   - MAP_FULL from a put, del, drop or commit is survived by the map
#     growth retry: the command succeeds, once (the head it reaches is
#     the one a run without faults reaches), and verify is clean;
#   - anything else: exit 3 with one line "rollcall: ..." on stderr,
#     every sub-database byte for byte as before (mdb_dump; the starting
#     database verifies), and the same command run again without the
#     fault succeeds and reaches the same head (in the short run after
#     every fourth fault; verify's hundred calls are sampled).
# Prints the runs, the faults injected and the failures; exits 1 on any
# failure.
#
# usage: sh tests/fault/fault.sh [SCENARIO...]
#   env: FAULT_BIN (build/fault/rollcall), ROLLCALL_BIN (checks; default
#   build/san/rollcall), FAULT_FULL=1 (everything), FAULT_ERRS (errors,
#   e.g. "EIO +ENOSPC r:EIO")
set -u
cd "$(dirname "$0")/../.."
top=$PWD
FB=${FAULT_BIN:-$top/build/fault/rollcall}
RB=${ROLLCALL_BIN:-$top/build/san/rollcall}
full=${FAULT_FULL:-0}
[ -x "$FB" ] || { echo "fault: $FB is not built (make build/fault/rollcall)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-fault.XXXXXX")
trap 'rm -rf "$T"' EXIT
export TZ=UTC ROLLCALL_NOW=2025-09-01T08:30:00 TMPDIR="$T"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
unset ROLLCALL_DB XDG_DATA_HOME ROLLCALL_FAULT ROLLCALL_FAULT_LOG

if [ -n "${FAULT_ERRS:-}" ]; then
	errs=$FAULT_ERRS
elif [ "$full" = 1 ]; then
	errs="ENOSPC EIO MAP_FULL TXN_FULL CORRUPTED PANIC +ENOSPC +MAP_FULL r:EIO"
else
	errs="EIO MAP_FULL r:EIO"
fi
scenarios=${*:-"add edit remove restore checkin void config import_students
    import_merge import_attendance excuse withdraw checkout close reopen
    school_days rebuild catchup verify backup students student day events
    status compact add_code edit_code pin_set pin_clear report calendar
    erase"}

faults=0 runs=0 failures=0
bad() {
	failures=$((failures + 1))
	echo "FAIL $sc $spec: $*" >&2
	[ -s "$T/err" ] && sed 's/^/    stderr: /' "$T/err" | head -5 >&2
}

# ---- the database every scenario starts from ---------------------------
tpl=$T/tpl
mk() { "$RB" --db "$tpl" "$@" >/dev/null || { echo "fault: setup: $*" >&2; exit 1; }; }
ROLLCALL_NOW=2025-08-01T08:00 mk add --name "Ada Lovelace" --email ada@example.org
ROLLCALL_NOW=2025-08-01T08:00 mk add --name "Bob Stone" --email bob@example.org --gender male
ROLLCALL_NOW=2025-08-01T08:00 mk add --name "Cy Young" --email cy@example.org
mk checkin cy@example.org --at 2025-08-29T09:07
mk checkin bob@example.org
mk config window-minutes 10
ROLLCALL_NOW=2025-08-01T08:00 mk add --name "Gil Gone" --email gil@example.org
mk remove gil@example.org
ROLLCALL_NOW=2025-08-01T08:00 mk add --name "Gil Code" --code G-7
printf '2468\n' | "$RB" --db "$tpl" pin set >/dev/null ||
    { echo "fault: setup: pin set" >&2; exit 1; }
mk close 2025-08-15 --reason "Summer"
mk excuse cy@example.org --day 2025-08-27 --reason medical
printf 'name,email,gender\nDi New,di@example.org,female\n"Ed, Jr.",ed@example.org,\nFay,fay@example.org,other\n' >"$T/students.csv"
printf 'name,email\nAda Lovelace King,ada@example.org\nHal New,hal@example.org\n' >"$T/merge.csv"
printf 'student,arrived_at\nada@example.org,2025-08-28T08:50\ncy@example.org,2025-08-28T09:20:30\n' >"$T/attendance.csv"
# The same, plus an event appended behind rollcall's back: catch-up work.
cp -a "$tpl" "$T/lag"
python3 tests/hostile/rawdb.py append "$T/lag" register "'Lag Behind'" \
    "'lag@example.org'" >/dev/null || { echo "fault: rawdb failed" >&2; exit 1; }

# scenario NAME BIN: runs scenario NAME with BIN on $T/db.
scenario() {
	_b=$2
	case $1 in
	add) "$_b" --db "$T/db" add --name "New Student" --email new@example.org ;;
	edit) "$_b" --db "$T/db" edit ada@example.org --name "Ada King" \
	    --email ada.king@example.org --gender female ;;
	remove) "$_b" --db "$T/db" remove bob@example.org ;;
	checkin) "$_b" --db "$T/db" checkin ada@example.org ;;
	void) "$_b" --db "$T/db" void cy@example.org --day 2025-08-29 --reason "wrong day" ;;
	config) "$_b" --db "$T/db" config start-time 08:45 ;;
	import_students) "$_b" --db "$T/db" import students "$T/students.csv" ;;
	restore) "$_b" --db "$T/db" restore gil@example.org ;;
	import_merge) "$_b" --db "$T/db" import students "$T/merge.csv" --merge ;;
	import_attendance) "$_b" --db "$T/db" import attendance "$T/attendance.csv" ;;
	excuse) "$_b" --db "$T/db" excuse ada@example.org --day 2025-08-28 \
	    --to 2025-08-29 --reason illness --note "flu" ;;
	withdraw) "$_b" --db "$T/db" excuse cy@example.org --day 2025-08-27 \
	    --withdraw ;;
	checkout) "$_b" --db "$T/db" checkout bob@example.org --reason dentist ;;
	close) "$_b" --db "$T/db" close 2025-09-05 --to 2025-09-08 \
	    --reason "Snow" ;;
	reopen) "$_b" --db "$T/db" reopen 2025-08-15 ;;
	school_days) "$_b" --db "$T/db" config school-days mon,tue,wed,thu ;;
	report) "$_b" --db "$T/db" report --from 2025-08-01 ;;
	calendar) "$_b" --db "$T/db" calendar --from 2025-08-10 \
	    --to 2025-08-20 ;;
	rebuild) "$_b" --db "$T/db" rebuild ;;
	catchup) "$_b" --db "$T/db" config points 5 ;;	# no event, only catch-up
	verify) "$_b" --db "$T/db" verify ;;
	backup) "$_b" --db "$T/db" backup "$T/bk" ;;
	students) "$_b" --db "$T/db" students --all ;;
	student) "$_b" --db "$T/db" student cy@example.org ;;
	day) "$_b" --db "$T/db" day 2025-08-29 ;;
	events) "$_b" --db "$T/db" events ;;
	status) "$_b" --db "$T/db" status ;;
	compact) "$_b" --db "$T/db" compact ;;
	erase) "$_b" --db "$T/db" erase gil@example.org --yes ;;
	add_code) "$_b" --db "$T/db" add --name "Hal Code" --code h-8 ;;
	edit_code) "$_b" --db "$T/db" edit g-7 --code G-9 \
	    --email gil.code@example.org ;;
	pin_set) printf '1357\n' | "$_b" --db "$T/db" pin set ;;
	pin_clear) printf '2468\n' | "$_b" --db "$T/db" pin clear ;;
	*) echo "fault: unknown scenario $1" >&2; exit 1 ;;
	esac
}
is_query() { case $1 in students|student|day|events|status|verify|report|calendar) return 0 ;; esac; return 1; }

fresh() {
	rm -rf "$T/db" "$T"/bk "$T"/bk.tmp-*
	if [ "$sc" = catchup ]; then cp -a "$T/lag" "$T/db"; else cp -a "$tpl" "$T/db"; fi
}
digest() { mdb_dump -a "$T/db" 2>&1 | md5sum | cut -d' ' -f1; }
# "HEAD CHECKPOINT" (sed, not python: this runs thousands of times).
head_of() {
	"$RB" --db "$T/db" status --format json 2>/dev/null | tr -d ' \n' |
	    sed -n 's/.*"head":\([0-9]*\).*"checkpoint":\([0-9]*\).*/\1 \2/p'
}
# A backup under a fault: either it is done (exit 0: it is there and
# verifies; recording it is best effort) or it failed cleanly (exit 3,
# or 1 for a copy that does not verify, one line) leaving no backup and
# nothing half-written, and the database as it was.
check_backup() {
	if [ $rc -eq 0 ]; then
		"$RB" --db "$T/bk" verify >/dev/null 2>"$T/v.err" ||
		    bad "backup done under a fault at $op does not verify"
	else
		[ $rc -eq 3 ] || [ $rc -eq 1 ] || bad "fault at $op: exit $rc"
		if [ "$(wc -l <"$T/err")" -ne 1 ] ||
		    ! grep -q '^rollcall: ' "$T/err"; then
			bad "fault at $op: stderr is not one 'rollcall: ' line"
		fi
		[ -e "$T/bk" ] && bad "fault at $op: a backup was left"
		[ -n "$(ls -d "$T"/bk.tmp-* 2>/dev/null)" ] &&
		    bad "fault at $op: a temporary directory was left"
		[ "$(digest)" = "$before" ] ||
		    bad "fault at $op: the database changed"
	fi
}
verify_clean() {
	"$RB" --db "$T/db" verify >"$T/v.out" 2>"$T/v.err" ||
	    bad "verify after the fault: $(head -3 "$T/v.err")"
}

for sc in $scenarios; do
	# What the command does without a fault: its head afterwards.  The
	# database it starts from is checked once; after a fault it must be
	# byte for byte the same again (so it verifies the same too).
	fresh
	before=$(digest)
	if [ "$sc" != catchup ]; then
		"$RB" --db "$T/db" verify >/dev/null 2>"$T/err" ||
		    { spec=none; bad "the starting database does not verify"; }
	fi
	scenario "$sc" "$RB" >/dev/null 2>"$T/err" ||
	    { spec=none; bad "fails without a fault"; continue; }
	want_head=$(head_of)
	for e in $errs; do
		class=w
		case $e in r:*) class=r; e=${e#r:} ;; esac
		# Queries only read: write faults cannot reach them (but verify
		# writes its scratch copy).  The short run fails reads of
		# queries only.
		[ "$class" = w ] && is_query "$sc" && [ "$sc" != verify ] && continue
		[ "$class" = r ] && [ "$full" != 1 ] && ! is_query "$sc" &&
		    [ -z "${FAULT_ERRS:-}" ] && continue
		persist=""
		case $e in +*) persist=+; e=${e#+} ;; esac
		n=1
		while [ $n -le 2000 ]; do
			spec="$n$persist:$e:$class"
			fresh
			: >"$T/log"
			ROLLCALL_FAULT=$spec ROLLCALL_FAULT_LOG=$T/log \
			    scenario "$sc" "$FB" >"$T/out" 2>"$T/err"
			rc=$?
			runs=$((runs + 1))
			if ! grep -q '^fault ' "$T/log"; then
				[ $rc -eq 0 ] || bad "no fault fired, yet exit $rc"
				break
			fi
			faults=$((faults + 1))
			op=$(sed -n 's/^fault \([a-z_]*\) .*/\1/p' "$T/log" | head -1)
			if [ "$sc" = backup ]; then
				check_backup
				[ "$full" = 1 ] && n=$((n + 1)) || n=$((n + 3))
				continue
			fi
			survivable=0
			if [ "$e" = MAP_FULL ] && [ -z "$persist" ]; then
				case $op in put|del|drop|cursor_put|txn_commit) survivable=1 ;; esac
				# Creating the sub-databases of a new environment
				# (verify's scratch copy) cannot fill a map: a clean
				# refusal is right there.
				[ $rc -eq 3 ] && grep -q 'cannot create database' "$T/err" &&
				    survivable=0
			fi
			# verify sizes its scratch map like the original's only to
			# save regrowing: a failure there may be ignored.
			if [ "$op" = set_mapsize ] && [ $rc -eq 0 ] && [ "$sc" = verify ]; then
				survivable=1
			fi
			if [ $survivable = 1 ]; then
				[ $rc -eq 0 ] || bad "$e at $op not survived: exit $rc"
				[ "$(head_of)" = "$want_head" ] ||
				    bad "after surviving $e at $op head/checkpoint is $(head_of), wanted $want_head"
				verify_clean
			else
				[ $rc -eq 3 ] || bad "fault at $op: exit $rc, wanted 3"
				if [ "$(wc -l <"$T/err")" -ne 1 ] ||
				    ! grep -q '^rollcall: ' "$T/err"; then
					bad "fault at $op: stderr is not one 'rollcall: ' line"
				fi
				[ "$(digest)" = "$before" ] ||
				    bad "fault at $op: the database changed"
				# the next command works (in the short run, after
				# every fourth fault)
				if [ "$full" = 1 ] || [ $((n % 4)) = 1 ]; then
					scenario "$sc" "$RB" >/dev/null 2>"$T/err" ||
					    bad "the same command after the fault at $op failed"
					[ "$(head_of)" = "$want_head" ] ||
					    bad "after the fault and a retry head/checkpoint is $(head_of), wanted $want_head"
					[ "$sc" = catchup ] && verify_clean
				fi
			fi
			# verify makes a hundred calls: the short run samples them
			if [ "$sc" = verify ] && [ "$full" != 1 ]; then
				n=$((n + 5))
			else
				n=$((n + 1))
			fi
		done
		[ $n -gt 2000 ] && bad "more than 2000 calls?"
	done
done
echo "fault: $runs runs, $faults faults injected, $failures failures"
[ $failures -eq 0 ]
