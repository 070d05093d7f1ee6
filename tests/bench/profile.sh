#!/bin/sh
# tests/bench/profile.sh - instruction counts (valgrind --tool=callgrind)
# of rollcall's operations and of the raw-LMDB floor's, per operation.
# Unlike times on this shared machine they repeat to the last digit, so
# they show whether a change to the core made an operation cheaper.
#
#   sh tests/bench/profile.sh        (after `make rollcall`; ~3 minutes)
#
# Not part of `make bench`.  A small school year (2,000 students, 20
# days) is used so that valgrind stays quick; the callgrind files are
# kept in build/bench/profile/ for `callgrind_annotate --inclusive=yes`.
# Prints "ir_NAME value Ir" lines (floor_ir_NAME for the floor), ratios,
# and writes build/bench/profile/results.txt.
set -eu
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "profile.sh: needs valgrind" >&2; exit 2; }
make -s --no-print-directory rollcall
BENCH_BUILD_ONLY=1 sh tests/bench/run.sh
B=build/bench
P=$B/profile
RES=$P/results.txt
rm -rf $P
mkdir -p $P/rc $P/fl
export TZ=UTC
unset ROLLCALL_DB ROLLCALL_NOW

info() {
	echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++)
	    if ($i == k) print $(i + 1) }'
}
say() { printf '# %s\n' "$*" >&2; }
fig() { printf '%s %s %s\n' "$1" "$2" "$3" | tee -a $RES; }

# cg NAME PROGRAM ARGS...: run under callgrind into $P/NAME.out.
cg() {
	n=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file=$P/$n.out "$@" \
	    >$P/$n.log 2>&1 || { cat $P/$n.log >&2; exit 1; }
}

# Inclusive Ir of function F in callgrind file NAME (0 when absent).
incl() {
	callgrind_annotate --inclusive=yes --threshold=100 $P/$1.out |
	    awk -v f="$2" 'match($0, ":" f "( |$)") { gsub(",", "", $1);
	    if ($1 + 0 > m) m = $1 + 0 } END { print m + 0 }'
}

# Total Ir of a whole run.
total() {
	awk '/^summary:/ { print $2 }' $P/$1.out
}

# per NAME IR COUNT: one figure, IR / COUNT.
per() {
	fig "$1" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.0f\n", a / b }')" Ir
}

ratio() {
	fig "$1" "$(awk -v a="$(awk -v n="$2" '$1 == n { print $2 }' $RES)" \
	    -v b="$(awk -v n="$3" '$1 == n { print $2 }' $RES)" \
	    'BEGIN { printf "%.2f\n", a / b }')" x
}

G=$($B/gen $P/work 2000 20)
EVENTS=$(info events "$G")
FIRST=$(info first_day "$G")
LAST=$(info last_day "$G")
END_NOW=$(info probe_day "$G")T23:59:59
CK=$P/work/checkins.csv
N=100
say "workload: $G"

say "ingest"
cg ingest_rc $B/bench ingest $P/rc $P/work ${FIRST}T07:00:00 $END_NOW
cg ingest_fl $B/floor ingest $P/fl $P/work $FIRST
per ir_ingest_per_event "$(incl ingest_rc cmd_ingest)" $EVENTS
per floor_ir_ingest_per_event "$(incl ingest_fl cmd_ingest)" $EVENTS
ratio ir_ingest_ratio ir_ingest_per_event floor_ir_ingest_per_event

export ROLLCALL_NOW=$END_NOW
say "$N check-ins, in-process"
cg checkin $B/pair checkin floor floor_checkin $P/fl $CK rollcall checkin \
    $P/rc $CK 0 $N
per ir_checkin "$(incl checkin command_checkin)" $N
per floor_ir_checkin "$(incl checkin floor_lib_checkin)" $N
ratio ir_checkin_ratio ir_checkin floor_ir_checkin

say "queries, in-process"
cg queries $B/pair queries $P/fl $P/rc "$LAST" s00042@example.org 3
for q in students:q_students student:q_student day:q_day; do
	per ir_${q%:*} "$(incl queries query_${q%:*})" 3
	per floor_ir_${q%:*} "$(incl queries ${q#*:})" 3
	ratio ir_${q%:*}_ratio ir_${q%:*} floor_ir_${q%:*}
done

say "whole processes"
cg proc_checkin ./rollcall --db $P/rc checkin s01990@example.org \
    --at "$(info probe_day "$G")T09:00:00"
cg proc_floor $B/floor one $P/fl s01990@example.org \
    "$(info probe_day "$G")T09:00:00"
cg proc_true /bin/true
cg proc_students ./rollcall --db $P/rc students
cg proc_day ./rollcall --db $P/rc day "$LAST"
fig ir_checkin_process "$(total proc_checkin)" Ir
fig floor_ir_checkin_process "$(total proc_floor)" Ir
fig ir_true_process "$(total proc_true)" Ir
fig ir_students_process "$(total proc_students)" Ir
fig ir_day_process "$(total proc_day)" Ir
fig ir_checkin_process_startup "$(($(total proc_checkin) - \
    $(incl proc_checkin main)))" Ir

say "rebuild and verify"
HEAD=$((EVENTS + N + 1))
cg rebuild_rc $B/bench rebuild $P/rc
cg verify_rc $B/bench verify $P/rc
cg rebuild_fl $B/floor rebuild $P/fl
per ir_rebuild_per_event "$(incl rebuild_rc command_rebuild)" $HEAD
per ir_verify_per_event "$(incl verify_rc command_verify)" $HEAD
per floor_ir_rebuild_naive_per_event "$(incl rebuild_fl rebuild_naive)" \
    $HEAD
per floor_ir_rebuild_sorted_per_event "$(incl rebuild_fl rebuild_sorted)" \
    $HEAD
ratio ir_rebuild_ratio ir_rebuild_per_event floor_ir_rebuild_naive_per_event
