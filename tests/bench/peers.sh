#!/bin/sh
# tests/bench/peers.sh - issue 14: each query as a whole process beside
# its peer, the sqlite3 shell answering the same question from the same
# data in indexed tables (peer_load.py builds them from rollcall's own
# exports), in table, csv and json (sqlite3 -column, -csv, -json).  The
# answers are compared once before anything is timed, so a figure is
# never of a wrong answer.  Prints figure lines for run.sh:
#   Q_F_process ms, Q_F_sqlite3 ms (medians), Q_F_vs_sqlite3_ratio x,
#   Q_F_cpu_vs_sqlite3_ratio x (of user + system time)
#   day_vs_student_F_ratio x
#
#   sh tests/bench/peers.sh [DB WORKDIR]
#
# DB is a rollcall database holding the workload of WORKDIR (gen.c's
# files); run.sh passes its own.  Alone, the default workload is
# imported once into build/bench/cache/peers and kept while the sources
# stay the same.  BENCH_QUICK=1: fewer runs.
set -eu
cd "$(dirname "$0")/../.."
B=build/bench
P=$B/peers
RC=$PWD/rollcall
RUNS=30
[ -z "${BENCH_QUICK:-}" ] || RUNS=10
export TZ=UTC
unset ROLLCALL_DB
[ -x "$RC" ] || make --no-print-directory rollcall >&2
mkdir -p $P

# First and last school day of a workload (its file is in day order).
day_of() { cut -d, -f2 | cut -dT -f1; }

if [ $# -ge 2 ]; then
	DB=$1 WK=$2
else
	C=$B/cache/peers
	DB=$C/db WK=$C/work
	want=$(cat src/*.c include/*.h tests/bench/gen.c | cksum)
	if [ "$(cat $C/stamp 2>/dev/null)" != "$want" ]; then
		echo "# peers.sh: importing the default workload (once)" >&2
		rm -rf $C && mkdir -p $C
		cc -O2 -o $C/gen tests/bench/gen.c -lm
		$C/gen $WK 2000 180 >/dev/null
		last=$(tail -n 1 $WK/attendance.csv | day_of)
		ROLLCALL_NOW=2025-09-01T07:00 "$RC" --db $DB import students \
		    $WK/roster.csv >/dev/null
		ROLLCALL_NOW=$(date -d "$last + 1 day" +%F)T12:00 "$RC" \
		    --db $DB import attendance $WK/attendance.csv >/dev/null
		echo "$want" >$C/stamp
	fi
fi
FIRST=$(sed -n 2p "$WK"/attendance.csv | day_of)
LAST=$(tail -n 1 "$WK"/attendance.csv | day_of)
# The day after the year: every day of it is over, none is "today".
ROLLCALL_NOW=$(date -d "$LAST + 1 day" +%F)T12:00
export ROLLCALL_NOW
# As run.sh's queries: a student with a full year, the last school day.
EMAIL=s00042@example.org

# The peer's database, rebuilt when DB is another (origin), has moved
# on (head) or the loader changed.
SQ=$P/peer.sqlite
id="$("$RC" --db "$DB" status --format csv | sed -n 2p | cut -d, -f1,7) \
$(cksum <tests/bench/peer_load.py)"
if [ "$(cat $P/stamp 2>/dev/null)" != "$id $FIRST $LAST" ]; then
	echo "# peers.sh: loading the sqlite3 peer from rollcall's exports" >&2
	rm -f $SQ $P/stamp
	python3 tests/bench/peer_load.py load "$RC" "$DB" $SQ "$FIRST" "$LAST"
	echo "$id $FIRST $LAST" >$P/stamp
fi

# ---- the peer's queries ------------------------------------------------

SID="(SELECT sid FROM students WHERE email = '$EMAIL')"
# A student's columns in rollcall's CSV and JSON.
COLS="id, name, email, gender, active, points, days_present, days_early,
 days_late, days_on_time, code"
ATT="FROM marks WHERE sid = $SID AND present = 1 ORDER BY day"
DAYJ="FROM marks m JOIN students s ON s.sid = m.sid WHERE m.day = '$LAST'"
# The report's rows go to a temporary table once, then out and summed,
# as a SQL user would write it (not two passes over the marks).
REPORT="CREATE TEMP TABLE r AS SELECT s.id, s.name, s.code, s.active,
 count(*) AS school_days, sum(m.present) AS present,
 sum(m.status = 'early') AS early, sum(m.status = 'on_time') AS on_time,
 sum(m.status = 'late') AS late, sum(m.present = 0 AND m.excused = 1)
 AS excused, sum(m.present = 0 AND m.excused = 0) AS absent,
 sum(m.left_at IS NOT NULL) AS left_early,
 round(100.0 * sum(m.present) / count(*), 1) AS rate,
 count(*) >= 10 AND 10 * sum(m.present = 0) >= count(*) AS chronic,
 coalesce(sum(m.points), 0) AS points FROM students s JOIN marks m
 ON m.sid = s.sid WHERE m.day BETWEEN '$FIRST' AND '$LAST' GROUP BY s.sid"
REPSUM="SELECT count(*) AS students, sum(present) AS present,
 sum(school_days) AS school_days,
 round(100.0 * sum(present) / sum(school_days), 1) AS rate,
 sum(chronic) AS chronic FROM r"
meta() { echo "(SELECT value FROM meta WHERE key = '$1') AS $1"; }

# sql Q F: the peer of query Q in format F, as rollcall prints it: the
# same rows and columns in the same order; one statement per part of a
# composite answer (a student's details, check-ins and absences; a day's
# present and absent).  On one line: hyperfine splits a command as the
# shell does (the SQL holds no double quote, dollar or backslash).
sql() {
	case $1_$2 in
	students_table) echo "SELECT name, email, code, gender, points,
	    days_present, days_early, days_on_time, days_late, id
	    FROM students WHERE active = 1 ORDER BY name, id" ;;
	students_*) echo "SELECT $COLS FROM students WHERE active = 1
	    ORDER BY name, id" ;;
	student_table) echo "SELECT name, email, code, gender, id, active,
	    points, days_present, days_early, days_on_time, days_late
	    FROM students WHERE email = '$EMAIL';
	    SELECT day, arrived, status, points $ATT" ;;
	student_csv) echo "SELECT s.id, s.name, s.email, s.gender, s.active,
	    s.points, s.days_present, s.days_early, s.days_late,
	    s.days_on_time, s.code, m.day, m.arrived, m.status,
	    m.points AS day_points, m.voided FROM students s JOIN marks m
	    ON m.sid = s.sid WHERE s.email = '$EMAIL' AND m.present = 1
	    ORDER BY m.day" ;;
	student_json) echo "SELECT $COLS FROM students WHERE email = '$EMAIL';
	    SELECT day, arrived, status, points, voided, excused, left_at $ATT;
	    SELECT day, CASE excused WHEN 1 THEN 'excused' ELSE 'absent' END
	    AS status, reason FROM marks WHERE sid = $SID AND present = 0
	    ORDER BY day" ;;
	day_table) echo "SELECT s.name, s.code, m.arrived, m.status, m.points,
	    m.left_at $DAYJ AND m.present = 1 ORDER BY s.name, s.id;
	    SELECT s.name, s.code, m.reason $DAYJ AND m.present = 0
	    ORDER BY m.excused DESC, s.name, s.id" ;;
	day_csv) echo "SELECT m.day, s.id, s.name, m.present, m.arrived,
	    m.status, m.points, s.code, m.left_at, m.excused, m.reason $DAYJ
	    ORDER BY m.present DESC, m.excused DESC, s.name, s.id" ;;
	day_json) echo "SELECT s.id, s.name, s.code, m.arrived, m.status,
	    m.points, m.left_at $DAYJ AND m.present = 1 ORDER BY s.name, s.id;
	    SELECT s.id, s.name, s.code, m.excused, m.reason $DAYJ
	    AND m.present = 0 ORDER BY m.excused DESC, s.name, s.id" ;;
	report_table) echo "$REPORT; SELECT name, code, school_days, present,
	    early, on_time, late, excused, absent, left_early, rate, points,
	    chronic FROM r ORDER BY name, id; $REPSUM" ;;
	report_csv) echo "$REPORT; SELECT * FROM r ORDER BY name, id" ;;
	report_json) echo "$REPORT; SELECT * FROM r ORDER BY name, id;
	    $REPSUM" ;;
	history_*) echo "SELECT seq, recorded_at, type, actor, desk, source,
	    summary FROM events WHERE sid = $SID ORDER BY seq" ;;
	status_*) echo "SELECT (SELECT max(seq) FROM events) AS head,
	    $(meta checkpoint), (SELECT count(*) FROM errors) AS errors,
	    (SELECT count(*) FROM students WHERE active = 1) AS students,
	    (SELECT file FROM pragma_database_list WHERE name = 'main')
	    AS db_path, (SELECT page_count * page_size FROM pragma_page_count,
	    pragma_page_size) AS db_bytes, $(meta origin), $(meta schema),
	    NULL AS replica_of" ;;
	esac | tr '\n\t' '  '
}

# ---- the pairs ---------------------------------------------------------

# rollcall's arguments for query Q.
args() {
	case $1 in
	student | history) echo "$1 $EMAIL" ;;
	day) echo "day $LAST" ;;
	report) echo "report --from $FIRST --to $LAST" ;;
	*) echo "$1" ;;
	esac
}

# The shell's output mode for format F.
mode() {
	case $1 in
	table) echo "-header -column" ;;
	csv) echo "-header -csv" ;;
	json) echo -json ;;
	esac
}

# pair NAME ROLLCALL SQLITE3: both commands under hyperfine, and their
# figure lines: the two medians in ms, their ratio, and the ratio of
# their CPU (mean user + system), which the load on a shared machine
# moves less than wall time.
pair() {
	hyperfine -N -w 3 -r $RUNS --export-json $P/h.json "$2" "$3" \
	    >/dev/null 2>&1
	awk -F'[:,]' -v n="$1" '/"median"/ { m[++i] = $2 * 1e3 }
	    /"user"|"system"/ { c[i] += $2 }
	    END { printf "%s_process %.2f ms\n%s_sqlite3 %.2f ms\n" \
	    "%s_vs_sqlite3_ratio %.2f x\n%s_cpu_vs_sqlite3_ratio %.2f x\n",
	    n, m[1], n, m[2], n, m[1] / m[2], n, c[1] / c[2] }' $P/h.json |
	    tee -a $P/figs
}

: >$P/figs
# Start-up alone (loading, linking, initialising; no database): the part
# of every pair below that no query does.
pair startup "$RC --version" "sqlite3 -version"
for q in students student day report history status; do
	for f in csv json; do
		# shellcheck disable=SC2046
		"$RC" --db "$DB" $(args $q) --format $f >$P/rc.$f
		# shellcheck disable=SC2046
		sqlite3 $(mode $f) $SQ "$(sql $q $f)" >$P/sq.$f
	done
	python3 tests/bench/peer_load.py check $q $P/rc.csv $P/sq.csv \
	    $P/rc.json $P/sq.json
	for f in table csv json; do
		pair ${q}_$f "$RC --db $DB $(args $q) --format $f" \
		    "sqlite3 $(mode $f) $SQ \"$(sql $q $f)\""
	done
done

# issue 14: a day (a row per student) within 2x of one student (a row
# per school day).
for f in table csv json; do
	awk -v f=$f '$1 == "day_" f "_process" { d = $2 }
	    $1 == "student_" f "_process" { s = $2 }
	    END { printf "day_vs_student_%s_ratio %.2f x\n", f, d / s }' \
	    $P/figs
done
