#!/bin/sh
# tests/bench/report.sh - the report of SPEC 6 over the school year of
# the workload, as whole processes, against its peer: the sqlite3 tool
# computing the same per-student counts with one GROUP BY over an indexed
# table of the same marks (one row per student and school day).  Prints
# figure lines "name value unit" (run.sh keeps them); the counts of the
# two are compared first, so a figure is never of a wrong answer.
#
#   sh tests/bench/report.sh WORKDIR [STUDENTS DAYS]
set -eu
cd "$(dirname "$0")/../.."
W=${1:?usage: report.sh WORKDIR [STUDENTS DAYS]}
S=${2:-2000} D=${3:-180}
RC=$PWD/rollcall
[ -x "$RC" ] || make --no-print-directory rollcall >&2
rm -rf "$W" && mkdir -p "$W"
# The workload's own generator (shared/bench beside the checkout).
GEN=${WORKLOAD_GEN:-}
for g in ../shared/bench/gen_workload.py ../../shared/bench/gen_workload.py; do
	[ -n "$GEN" ] || [ ! -f "$g" ] || GEN=$g
done
[ -n "$GEN" ] || { echo "report.sh: set WORKLOAD_GEN" >&2; exit 2; }
python3 "$GEN" "$W" "$S" "$D" >/dev/null
last=$(tail -n 1 "$W/attendance.csv" | cut -d, -f2 | cut -dT -f1)
# The day after the year: every day of it is over (none is "today").
next=$(date -u -d "$last + 1 day" +%F)
export TZ=UTC
ROLLCALL_NOW=2025-09-01T07:00 "$RC" --db "$W/db" import students \
    "$W/roster.csv" >/dev/null
ROLLCALL_NOW=${next}T12:00 "$RC" --db "$W/db" import attendance \
    "$W/attendance.csv" >/dev/null
ROLLCALL_NOW=${next}T12:00
export ROLLCALL_NOW
"$RC" --db "$W/db" report --from 2025-09-01 --to "$last" --format csv \
    >"$W/report.csv"

# The peer's table: every student and school day, the mark the policy
# gives (SPEC 1) or absent.
python3 - "$W" <<'PY'
import csv, sqlite3, sys
w = sys.argv[1]
att = {}
for r in csv.DictReader(open(w + "/attendance.csv")):
    d, t = r["arrived_at"].split("T")
    h, m, s = map(int, t.split(":"))
    sec = h * 3600 + m * 60 + s
    att[(r["student"], d)] = ("early" if sec <= 9 * 3600 - 300 else
                              "late" if sec >= 9 * 3600 + 300 else "on_time")
days = sorted({d for _, d in att})
studs = [r["email"] for r in csv.DictReader(open(w + "/roster.csv"))]
db = sqlite3.connect(w + "/marks.db")
db.execute("create table marks(student text, day text, status text)")
db.executemany("insert into marks values(?,?,?)",
               ((s, d, att.get((s, d), "absent")) for s in studs for d in days))
db.execute("create index marks_student on marks(student, status)")
db.commit()
PY
cat >"$W/q.sql" <<'SQL'
.mode csv
SELECT student, count(*), sum(status <> 'absent'), sum(status = 'early'),
  sum(status = 'on_time'), sum(status = 'late'), sum(status = 'absent'),
  round(100.0 * sum(status <> 'absent') / count(*), 1)
FROM marks GROUP BY student;
SQL
sqlite3 "$W/marks.db" -cmd ".read $W/q.sql" .quit >"$W/peer.csv"
python3 - "$W" <<'PY' >&2
import csv, sys
w = sys.argv[1]
ours = {r["name"].replace("Student ", "s") + "@example.org": r
        for r in csv.DictReader(open(w + "/report.csv"))}
peer = list(csv.reader(open(w + "/peer.csv")))
keys = ["school_days", "present", "early", "on_time", "late", "absent"]
bad = [p[0] for p in peer if [ours[p[0]][k] for k in keys] != p[1:7]]
if bad or len(peer) != len(ours):
    sys.exit("report.sh: rollcall and sqlite3 disagree on %s" % bad[:3])
PY
hyperfine -N -w 3 -r 30 --export-json "$W/h.json" \
    "$RC --db $W/db report --from 2025-09-01 --to $last --format csv" \
    "sqlite3 $W/marks.db -cmd '.read $W/q.sql' .quit" >/dev/null 2>&1
python3 - "$W/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ours, peer = r[0]["median"] * 1e3, r[1]["median"] * 1e3
print("report_process %.1f ms" % ours)
print("report_sqlite3 %.1f ms" % peer)
print("report_vs_sqlite3_ratio %.2f x" % (ours / peer))
PY
# In-process against raw cursors over the same records (pair.c).
if [ -n "${PAIR:-}" ] && [ -x "$PAIR" ]; then
	"$PAIR" report "$W/db" 2025-09-01 "$last" 30
fi
# The Report screen (F8): a new range or sort, key to redrawn screen.
if [ -n "${TUIBENCH:-}" ] && [ -x "$TUIBENCH" ]; then
	"$TUIBENCH" "$RC" "$W/db" 60 report
fi
