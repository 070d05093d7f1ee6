#!/bin/sh
# tests/bench/run.sh - `make bench`: the school-year workload of
# ../shared/bench/WORKLOAD.md run through rollcall (the core API
# in-process, and ./rollcall as whole processes) and through the raw-LMDB
# floor (tests/bench/floor.c), in one run on one machine.
#
# Prints every figure as a line "name value unit", every comparison as
# "name_ratio value x" (or "name_excess value ms"), then a table for
# people; all of it is also kept in build/bench/results.txt and
# build/bench/table.md.  Absolute times on a shared machine move 2-3x
# with load, so the floor and rollcall are run alternately and the ratios
# are what to read.
#
#   BENCH_SIZE=large   the large workload (10,000 students, 100 days)
#                      instead of the default (2,000 students, 180 days)
#   BENCH_QUICK=1      fewer rounds and samples, to try the script
#   BENCH_BUILD_ONLY=1 only build the programs in build/bench/ (to run
#                      them by hand, under perf or callgrind)
#
# The 10k- and 1M-event logs of the flatness test and the large database
# of the memory and TUI figures are built once and kept under
# build/bench/cache/, keyed by the core sources and the generator.
set -eu
cd "$(dirname "$0")/../.."

B=build/bench
T=$B/tmp
DB=$B/db
RES=$B/results.txt
SIZE=${BENCH_SIZE:-default}
case $SIZE in
default) S=2000 DAYS=180 ;;
large) S=10000 DAYS=100 ;;
*) echo "run.sh: BENCH_SIZE is default or large" >&2; exit 2 ;;
esac
if [ -n "${BENCH_QUICK:-}" ]; then
	ROUNDS=1 REPS=20 NPROC=60 NFLAT=300 NKEYS=120
else
	ROUNDS=3 REPS=100 NPROC=200 NFLAT=1000 NKEYS=480
fi
EMAIL=s00042@example.org
export TZ=UTC
unset ROLLCALL_DB ROLLCALL_NOW

# ---- build -------------------------------------------------------------

CC=${CC:-cc}
WARN="-std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
-Wmissing-prototypes"
# The Makefile's libraries (PKGS and PKGS +=), so the two never part.
PKGS=$(sed -n 's/^PKGS +*= *//p' Makefile | tr '\n' ' ')
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS="$(pkg-config --libs $PKGS) -lcsv"

# The core: every source but the front ends (as the Makefile's CORE_SRC).
core_names() {
	for f in src/*.c; do
		n=$(basename "$f" .c)
		case $n in main | cli* | tui*) ;; *) echo "$n" ;; esac
	done
}
CORE_OBJ=$(core_names | sed 's|.*|build/&.o|')
CORE_SRC=$(core_names | sed 's|.*|src/&.c|')

mkdir -p $B $T $DB $B/cache $B/work
[ -x ./rollcall ] || make --no-print-directory rollcall
# shellcheck disable=SC2086
make -s --no-print-directory $CORE_OBJ
rm -f $B/libcore.a
# shellcheck disable=SC2086
ar rcs $B/libcore.a $CORE_OBJ
FLOOR_LIBS=$(pkg-config --libs lmdb libsodium)
# shellcheck disable=SC2086
{
	$CC $WARN $PKG_CFLAGS -o $B/gen tests/bench/gen.c -lm
	$CC $WARN $PKG_CFLAGS -o $B/floor tests/bench/floor_main.c \
	    tests/bench/floor.c tests/bench/util.c $FLOOR_LIBS
	$CC $WARN $PKG_CFLAGS -Iinclude -o $B/bench tests/bench/bench.c \
	    tests/bench/util.c $B/libcore.a $PKG_LIBS
	$CC $WARN $PKG_CFLAGS -Iinclude -o $B/pair tests/bench/pair.c \
	    tests/bench/floor.c tests/bench/util.c $B/libcore.a $PKG_LIBS
	$CC $WARN -o $B/timeit tests/bench/timeit.c
	$CC $WARN -o $B/tuibench tests/bench/tuibench.c -lutil
	$CC $WARN $PKG_CFLAGS -shared -fPIC -o $B/rssprobe.so \
	    tests/bench/rssprobe.c -ldl
}
[ -z "${BENCH_BUILD_ONLY:-}" ] || exit 0
rm -f $T/* $RES

# ---- helpers -----------------------------------------------------------

say() { printf '# %s\n' "$*" >&2; }

# A figure line, kept in results.txt.
fig() { printf '%s %s %s\n' "$1" "$2" "$3" | tee -a $RES; }

# Run a program that prints figure lines; keep them.
figs() { "$@" | tee -a $RES; }

# Value of a figure already printed ("" when absent).
get() { awk -v n="$1" '$1 == n { v = $2 } END { print v }' $RES; }

# Format like util_figure(): whole numbers from 100 up, else 3 digits.
num() {
	awk -v v="$1" 'BEGIN { if (v == "") print "nan";
	    else if (v >= 100 || v <= -100) printf "%.0f\n", v;
	    else printf "%.3g\n", v }'
}

# Nearest-rank quantile (as util_quantile) of a column of numbers.
quant() {
	sort -n | awk -v q="$1" '{ a[NR] = $1 } END {
	    i = int(q * NR) + 1; if (i > NR) i = NR; print (NR ? a[i] : "") }'
}

# Column c of timeit lines tagged t in file f.
col() { awk -v t="$2" -v c="$3" '$1 == t { print $c }' "$1"; }

# Largest (or, with min, smallest) value of figure n among lines of f.
best() {
	awk -v n="$2" -v m="${3:-max}" '$1 == n && (v == "" ||
	    (m == "max" ? $2 > v : $2 < v)) { v = $2 } END { print v }' "$1"
}

# name = a / b, printed as a ratio line.
ratio() {
	r=$(awk -v a="$(get "$2")" -v b="$(get "$3")" 'BEGIN {
	    if (a == "" || b == "" || b + 0 == 0) print "nan";
	    else printf "%.2f\n", a / b }')
	fig "$1" "$r" x
}

# Rows FROM..TO-1 of a check-in file as "email at" pairs.
rows() { sed -n "$(($2 + 2)),$(($3 + 1))p" "$1" | tr ',' ' '; }

# Key of a generator line: info KEY "$GENLINE".
info() {
	echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++)
	    if ($i == k) print $(i + 1) }'
}

# Stamp of what a cached database depends on.
stamp() {
	# shellcheck disable=SC2086
	cat $CORE_SRC include/*.h tests/bench/gen.c tests/bench/floor.c |
	    cksum | awk '{ print $1 "-" $2 }'
}

# cached NAME S D [MAX_EVENTS]: generate and import into
# $B/cache/NAME/{work,db,floor} unless done with the same sources.
cached() {
	c=$B/cache/$1
	want="$(stamp) $2 $3 ${4:-}"
	if [ -f "$c/stamp" ] && [ "$(cat "$c/stamp")" = "$want" ]; then
		return 0
	fi
	say "building the cached $1 databases (once)"
	rm -rf "$c"
	mkdir -p "$c/db" "$c/floor"
	$B/gen "$c/work" "$2" "$3" ${4:-} >"$c/gen"
	g=$(cat "$c/gen")
	$B/bench ingest "$c/db" "$c/work" "$(info first_day "$g")T07:00:00" \
	    "$(info probe_day "$g")T23:59:59" >/dev/null
	$B/floor ingest "$c/floor" "$c/work" "$(info first_day "$g")" \
	    >/dev/null
	echo "$want" >"$c/stamp"
}

# ---- the workload ------------------------------------------------------

WK=$B/work/$SIZE
GEN=$($B/gen $WK $S $DAYS)
say "workload $SIZE: $GEN"
EVENTS=$(info events "$GEN")
PROBE=$(info probe "$GEN")
FIRST=$(info first_day "$GEN")
LAST=$(info last_day "$GEN")
PDAY=$(info probe_day "$GEN")
REG_NOW=${FIRST}T07:00:00
END_NOW=${PDAY}T23:59:59
CK=$WK/checkins.csv
# The probe day's rows: [0, PIN) in-process, [PIN, PIN + NPROC) as
# processes (at most 3,000 in-process keeps the large run short).
[ $NPROC -gt $((PROBE / 4)) ] && NPROC=$((PROBE / 4))
PIN=$((PROBE - NPROC))
[ $PIN -gt 3000 ] && PIN=3000
# What a durable 4 KiB write costs now: the load behind the latencies.
disk() { sync; $B/floor fsync $DB 50 "$1" | tee -a $RES; }
disk disk_fsync_before
fig workload_students "$S" students
fig workload_days "$(info days "$GEN")" days
fig workload_events "$EVENTS" events

# ---- 1. ingest ---------------------------------------------------------

say "1. ingest, $ROUNDS rounds of floor, core API, CLI"
for r in $(seq $ROUNDS); do
	rm -rf $DB/floor $DB/core $DB/cli
	mkdir -p $DB/floor $DB/core
	$B/floor ingest $DB/floor $WK "$FIRST" >>$T/ingest
	ROLLCALL_NOW=$END_NOW $B/bench ingest $DB/core $WK $REG_NOW $END_NOW \
	    >>$T/ingest
	cat >$T/cmd <<-EOF
	students ROLLCALL_NOW=$REG_NOW ./rollcall --db $DB/cli import students $WK/roster.csv
	attendance ROLLCALL_NOW=$END_NOW ./rollcall --db $DB/cli import attendance $WK/attendance.csv
	EOF
	: >$T/cli_ingest
	$B/timeit $T/cmd $T/cli_ingest
	awk -v e="$EVENTS" '{ t += $2 } END {
	    printf "ingest_cli %.0f events/s\n", e * 1e6 / t }' \
	    $T/cli_ingest >>$T/ingest
done
for n in floor_ingest ingest ingest_cli floor_ingest_attendance \
    ingest_attendance; do
	fig $n "$(num "$(best $T/ingest $n)")" events/s
done
ratio ingest_ratio ingest floor_ingest
ratio ingest_cli_ratio ingest_cli floor_ingest

# ---- 2. store size -----------------------------------------------------

say "2. bytes per event after the import"
figs $B/floor usage $DB/floor floor_
figs $B/floor usage $DB/core ""
ratio bytes_per_event_ratio bytes_per_event floor_bytes_per_event

# ---- 3. check-in latency, in-process -----------------------------------

say "3. $PIN durable check-ins in-process, floor and core API interleaved"
disk disk_fsync_checkin
export ROLLCALL_NOW=$END_NOW
# After a bulk import LMDB's free list is empty: the first few hundred
# commits each extend data.mdb, and fdatasync then also commits the ext4
# journal (4-8 ms instead of 0.2-0.4).  A desk in use is past that, so
# those are measured apart (*_after_import) and the rest is the figure.
WARM=$((PIN / 5))
figs $B/pair checkin floor floor_checkin_after_import $DB/floor $CK \
    rollcall checkin_after_import $DB/core $CK 0 $WARM
figs $B/pair checkin floor floor_checkin $DB/floor $CK rollcall checkin \
    $DB/core $CK $WARM $PIN
ratio checkin_ratio checkin_median floor_checkin_median
ratio checkin_p99_ratio checkin_p99 floor_checkin_p99
ratio checkin_written_ratio checkin_written floor_checkin_written
# SPEC 6's durable writes the same way (issue 11): the students of those
# check-ins excused a week ahead, then leaving early on the probe day.
figs $B/pair excuse floor floor_excuse $DB/floor $CK rollcall excuse \
    $DB/core $CK $WARM $PIN
ratio excuse_ratio excuse_median floor_excuse_median
figs $B/pair checkout floor floor_checkout $DB/floor $CK rollcall checkout \
    $DB/core $CK $WARM $PIN
ratio checkout_ratio checkout_median floor_checkout_median

# ---- 3b. check-ins while a backup is taken (issue 17) ------------------

say "3b. check-ins while the backup's copy runs; the copy's rate"
# Rows [0, PIN) again a day later, while the backup's copy (bench copy:
# pagecopy_write and its sync) runs again and again with pauses between;
# pair split counts each check-in as made during a copy or between two.
# Both medians come from the same minutes: two runs one after the other,
# one without and one with copies, differ by 1.1-1.35x with nothing
# running at all (the later one slower).  Then the same with whole
# backups (`rollcall backup`: the copy, then opening and verifying it),
# a day later again.
ROLLCALL_NOW=$(date -u -d "$PDAY + 3 day" +%F)T23:59:59
spans() {	# NAME SHIFT LOOP: rows [0, PIN) while LOOP runs, split
	rm -f $T/stop $T/samples $T/bkfail && : >$T/spans
	(while [ ! -f $T/stop ]; do
		eval "$3" || { touch $T/bkfail; break; }
	done) &
	BK=$!
	trap 'touch $T/stop' EXIT
	sleep 0.2
	PAIR_SAMPLES=$T/samples PAIR_SHIFT_DAYS=$2 $B/pair checkin \
	    rollcall $1 $DB/core $CK floor floor_$1 $DB/floor $CK 0 $PIN \
	    >/dev/null
	touch $T/stop
	wait $BK
	trap - EXIT
	# A copy that failed part way would leave too few samples to judge.
	if [ -f $T/bkfail ]; then
		echo "run.sh: the loop beside $1 failed" >&2
		exit 1
	fi
	rm -rf $T/bk $T/stop
	figs $B/pair split $T/samples $T/spans
}
spans checkin_copy 1 'rm -rf $T/bk && mkdir $T/bk &&
    $B/bench copy $DB/core $T/bk >>$T/spans && rm -rf $T/bk && sleep 0.1'
ratio checkin_backup_ratio checkin_copy_during_median \
    checkin_copy_between_median
spans checkin_backup 2 's=$($B/bench now) &&
    ./rollcall --db $DB/core backup $T/bk >/dev/null &&
    echo backup_span $s $($B/bench now) >>$T/spans && rm -rf $T/bk &&
    sleep 0.4'
ratio checkin_whole_backup_ratio checkin_backup_during_median \
    checkin_backup_between_median
# The backup's copy (bench copy: pagecopy_write, the copy and its sync,
# no verify, in-process) against the disk's sequential write rate (dd of
# as many MB, 1 MB blocks, with a final fsync), alternately, 3 rounds,
# the best of each: a sync before each, so that neither waits on the
# other's write-back.
: >$T/copy
for r in 1 2 3; do
	rm -rf $T/cp && mkdir $T/cp && sync
	$B/bench copy $DB/core $T/cp >>$T/copy
	MB=$((($(stat -c %s $T/cp/data.mdb) + 524288) / 1048576))
	rm -rf $T/cp && sync
	t0=$(date +%s%N)
	dd if=/dev/zero of=$T/dd bs=1M count=$MB conv=fsync 2>/dev/null
	t1=$(date +%s%N)
	rm -f $T/dd
	awk -v mb=$MB -v ns=$((t1 - t0)) \
	    'BEGIN { print "disk_write_rate", mb / (ns / 1e9) }' >>$T/copy
done
fig copy_rate "$(num "$(best $T/copy copy_rate)")" MB/s
fig disk_write_rate "$(num "$(best $T/copy disk_write_rate)")" MB/s
ratio copy_disk_ratio copy_rate disk_write_rate
# The store after `compact` (issue 10): the record-by-record copy of the
# same database, bytes per event of its file.
rm -rf $T/cp && cp -r $DB/core $T/cp
./rollcall --db $T/cp compact >/dev/null
figs $B/floor usage $T/cp compacted_
rm -rf $T/cp
ROLLCALL_NOW=$END_NOW

# ---- 4. check-in as a whole process ------------------------------------

say "4. $NPROC check-ins as whole processes: rollcall, floor, /bin/true"
# On the databases of section 3: both past the after-import commits.
rows $CK $PIN $((PIN + NPROC)) | while read -r email at; do
	echo "rc ./rollcall --db $DB/core checkin $email --at $at"
	echo "floor $B/floor one $DB/floor $email $at"
	echo "true /bin/true"
done >$T/cmd
sync
$B/timeit $T/cmd $T/proc
for t in rc:checkin_process floor:floor_checkin_process \
    true:true_process; do
	fig ${t#*:}_median "$(num "$(col $T/proc ${t%:*} 2 | quant 0.5 |
	    awk '{ print $1 / 1e3 }')")" ms
done
fig checkin_process_p99 "$(num "$(col $T/proc rc 2 | quant 0.99 |
    awk '{ print $1 / 1e3 }')")" ms
fig checkin_process_excess "$(num "$(awk -v a="$(get \
    checkin_process_median)" -v b="$(get floor_checkin_process_median)" \
    'BEGIN { print a - b }')")" ms
fig checkin_process_cpu "$(num "$(col $T/proc rc 4 | quant 0.5 |
    awk '{ print $1 / 1e3 }')")" ms
fig floor_checkin_process_cpu "$(num "$(col $T/proc floor 4 | quant 0.5 |
    awk '{ print $1 / 1e3 }')")" ms

# ---- 5. queries --------------------------------------------------------

say "5. queries in-process ($REPS runs each, interleaved), then as processes"
figs $B/pair queries $DB/floor $DB/core "$LAST" $EMAIL $REPS
ratio students_ratio students floor_students
ratio student_ratio student floor_student
ratio day_ratio day floor_day

# Command lines of the CLI queries: cli_queries DB DAY REPS TAGPREFIX [ENV]
cli_queries() {
	for r in $(seq "$3"); do
		for q in "students" "student $EMAIL" "day $2" "status"; do
			echo "$4${q%% *} ${5:+$5 RSSPROBE_TAG=${q%% *}}" \
			    "./rollcall --db $1 $q"
		done
	done
	echo "${4}events ${5:+$5 RSSPROBE_TAG=events} ./rollcall --db $1 events"
}
cli_queries $DB/cli "$LAST" 20 "" >$T/cmd
$B/timeit $T/cmd $T/cliq
for q in students student day status; do
	fig cli_$q "$(num "$(col $T/cliq $q 2 | quant 0.5 |
	    awk '{ print $1 / 1e3 }')")" ms
done
fig cli_events "$(num "$(col $T/cliq events 2 | awk '{ print $1 / 1e6 }')")" s

# ---- 6. rebuild and verify ---------------------------------------------

say "6. rebuild and verify, $ROUNDS rounds"
# Issue 10: rebuild and verify within 10% of release 1's (a998917, the
# tree before the event format), measured here: that tree's bench program,
# built once from git, and its own import of the same workload, run in
# turn with today's.  Without the commit (a tarball) the rows stay empty.
R1=a998917
R1B=$B/cache/r1-$R1/src/build/bench/bench
if [ ! -x $R1B ] && git cat-file -e $R1^{commit} 2>/dev/null; then
	say "building release 1 ($R1) for its rebuild and verify (once)"
	rm -rf $B/cache/r1-$R1 && mkdir -p $B/cache/r1-$R1/src
	git archive $R1 | tar -x -C $B/cache/r1-$R1/src
	(cd $B/cache/r1-$R1/src && BENCH_BUILD_ONLY=1 sh tests/bench/run.sh) \
	    >$T/r1build 2>&1 || { cat $T/r1build >&2; exit 1; }
fi
rm -rf $DB/r1
if [ -x $R1B ]; then
	ROLLCALL_NOW=$END_NOW $R1B ingest $DB/r1 $WK $REG_NOW $END_NOW >/dev/null
fi
for r in $(seq $ROUNDS); do
	$B/floor rebuild $DB/floor >>$T/replay
	$B/bench rebuild $DB/core >>$T/replay
	$B/bench verify $DB/core >>$T/replay
	if [ -x $R1B ]; then
		$R1B rebuild $DB/r1 | sed 's/^/r1_/' >>$T/replay
		$R1B verify $DB/r1 | sed 's/^/r1_/' >>$T/replay
	fi
	printf '%s\n' "rebuild ./rollcall --db $DB/cli rebuild" \
	    "verify ./rollcall --db $DB/cli verify" >$T/cmd
	: >$T/cli_replay
	$B/timeit $T/cmd $T/cli_replay
	awk -v e="$EVENTS" '{
	    printf "%s_cli %.0f events/s\n", $1, e * 1e6 / $2 }' \
	    $T/cli_replay >>$T/replay
done
for n in floor_rebuild_naive floor_rebuild_sorted rebuild verify \
    rebuild_cli verify_cli r1_rebuild r1_verify; do
	v=$(best $T/replay $n)
	if [ -n "$v" ]; then
		fig $n "$(num "$v")" events/s
	fi
done
ratio rebuild_vs_r1_ratio rebuild r1_rebuild
ratio verify_vs_r1_ratio verify r1_verify
ratio rebuild_ratio rebuild floor_rebuild_naive
ratio rebuild_sorted_ratio rebuild floor_rebuild_sorted
ratio verify_rebuild_ratio verify rebuild
figs $B/floor usage $DB/floor floor_compact_
figs $B/floor usage $DB/core rebuilt_

# ---- 7. flat in log size -----------------------------------------------

say "7. check-in at a 10,000-event log and at a 1,000,000-event log"
cached flat10k 2000 1000 10000
cached flat1m 2000 1000 1000000
F1=$(cat $B/cache/flat1m/gen)
F10=$(cat $B/cache/flat10k/gen)
n=$NFLAT
for g in "$F1" "$F10"; do
	p=$(($(info probe "$g") - 300))
	[ $p -lt $n ] && n=$p
done
rm -rf $DB/f10k $DB/f1m $DB/ff10k $DB/ff1m
cp -r $B/cache/flat10k/db $DB/f10k
cp -r $B/cache/flat1m/db $DB/f1m
cp -r $B/cache/flat10k/floor $DB/ff10k
cp -r $B/cache/flat1m/floor $DB/ff1m
disk disk_fsync_flat	# syncs: else the first commit flushes the copy
ROLLCALL_NOW="$(info probe_day "$F1")T23:59:59"
export ROLLCALL_NOW
fig flat_small_events "$(info events "$F10")" events
fig flat_large_events "$(info events "$F1")" events
# SPEC 7's history of one student at the 1M-event log (issue 10)
figs $B/pair history history_1m $DB/f1m $EMAIL $REPS
C10=$B/cache/flat10k/work/checkins.csv
C1M=$B/cache/flat1m/work/checkins.csv
# The first 300 check-ins are the after-import ones (section 3): not kept.
$B/pair checkin rollcall w1 $DB/f10k $C10 rollcall w2 $DB/f1m $C1M 0 300 \
    >/dev/null
$B/pair checkin floor w1 $DB/ff10k $C10 floor w2 $DB/ff1m $C1M 0 300 \
    >/dev/null
figs $B/pair checkin rollcall checkin_10k $DB/f10k $C10 rollcall checkin_1m \
    $DB/f1m $C1M 300 $((300 + n))
figs $B/pair checkin floor floor_checkin_10k $DB/ff10k $C10 floor \
    floor_checkin_1m $DB/ff1m $C1M 300 $((300 + n))
ratio checkin_flat_ratio checkin_1m_median checkin_10k_median
ratio floor_checkin_flat_ratio floor_checkin_1m_median \
    floor_checkin_10k_median
ratio checkin_flat_written_ratio checkin_1m_written checkin_10k_written
rm -rf $DB/f10k $DB/f1m $DB/ff10k $DB/ff1m

# ---- 8. memory and the TUI on the large workload -----------------------

say "8. peak RSS of CLI queries and the TUI on the large workload"
if [ "$SIZE" = large ]; then
	LDB=$DB/cli LG=$GEN
else
	cached large 10000 100
	LDB=$B/cache/large/db
	LG=$(cat $B/cache/large/gen)
fi
ROLLCALL_NOW="$(info probe_day "$LG")T23:59:59"
export ROLLCALL_NOW
cli_queries $LDB "$(info last_day "$LG")" 5 large_ \
    "LD_PRELOAD=$PWD/$B/rssprobe.so RSSPROBE_OUT=$PWD/$T/rss" >$T/cmd
$B/timeit $T/cmd $T/largeq
# rss_Q: peak RSS (ru_maxrss); _map: LMDB's map pages in it (RssFile when
# the environment closes); _heap: allocated memory still held then.
kb_max() { awk -v t="$2" -v c="$3" '$1 == t && $c > m { m = $c }
    END { printf "%.1f\n", m / 1024 }' "$1"; }
for q in students student day status events; do
	fig rss_$q "$(num "$(col $T/largeq large_$q 3 | quant 1 |
	    awk '{ print $1 / 1024 }')")" MB
	fig rss_${q}_map "$(kb_max $T/rss $q 3)" MB
	fig rss_${q}_heap "$(kb_max $T/rss $q 4)" MB
done
fig large_students "$(num "$(col $T/largeq large_students 2 | quant 0.5 |
    awk '{ print $1 / 1e3 }')")" ms
fig large_day "$(num "$(col $T/largeq large_day 2 | quant 0.5 |
    awk '{ print $1 / 1e3 }')")" ms
fig rss_cli_max "$(num "$(awk '{ print $3 }' $T/largeq | quant 1 |
    awk '{ print $1 / 1024 }')")" MB
if LD_PRELOAD=$PWD/$B/rssprobe.so RSSPROBE_OUT=$PWD/$T/rss \
    RSSPROBE_TAG=tui $B/tuibench ./rollcall $LDB $NKEYS >$T/tui; then
	figs cat $T/tui
	fig tui_rss_map "$(kb_max $T/rss tui 3)" MB
	fig tui_rss_heap "$(kb_max $T/rss tui 4)" MB
else
	say "the TUI could not be measured (see above)"
	fig tui_keystroke_cpu nan ms
	fig tui_first_paint nan ms
	fig tui_rss nan MB
fi

# The kiosk at the large roster (issue 12): card scans (emails, as a
# reader types them) on a copy with the admin PIN set.
if [ "$SIZE" = large ]; then LWORK=$WK; else LWORK=$B/cache/large/work; fi
rm -rf $T/kiosk && cp -r $LDB $T/kiosk
echo 1234 | ./rollcall --db $T/kiosk pin set >/dev/null
tail -n +2 $LWORK/roster.csv | cut -d, -f2 | head -n $NKEYS >$T/scans
if $B/tuibench ./rollcall $T/kiosk $NKEYS kiosk $T/scans >$T/kiosk.out; then
	figs cat $T/kiosk.out
else
	say "the kiosk could not be measured (see above)"
fi
rm -rf $T/kiosk

# ---- SPEC 6: report against its sqlite3 peer (issue 11) -----------------

if command -v sqlite3 >/dev/null && command -v hyperfine >/dev/null; then
	PAIR=$B/pair TUIBENCH=$B/tuibench \
	    figs sh tests/bench/report.sh $B/report $S $DAYS ||
	    say "the report could not be measured (see above)"
else
	say "report: sqlite3 or hyperfine missing, not measured"
fi

# ---- issue 14: every query beside the sqlite3 shell --------------------

if command -v sqlite3 >/dev/null && command -v hyperfine >/dev/null; then
	say "queries as processes beside the sqlite3 shell (peers.sh)"
	figs sh tests/bench/peers.sh $DB/cli $WK
else
	say "peers: sqlite3 or hyperfine missing, not measured"
fi

disk disk_fsync_after

# ---- publish and replica (issue 13) -----------------------------------

say "publish and replica against bare cnats peers, follow latency"
sh tests/bench/ship.sh | tee -a $RES || say "ship.sh failed (see above)"

# ---- the table ---------------------------------------------------------

sh tests/bench/table.sh $RES $SIZE | tee $B/table.md
