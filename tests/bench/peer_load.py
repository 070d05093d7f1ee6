"""tests/bench/peer_load.py - the sqlite3 peer of rollcall's queries
(peers.sh): the same data in indexed SQLite tables, built from rollcall's
own exports, and the check that both answer with the same rows.

  peer_load.py load RC DB OUT.sqlite FROM TO
  peer_load.py check QUERY RC.csv PEER.csv RC.json PEER.json

Tables, one per question's data, each with the index its query reads:
  students  the roster with its figures        (`students --all`)
  marks     one row per student and school day (`day D` for each
            school day of `calendar`): present rows and absent ones
  events    the log, with the student each event is about (`events`),
            and the one-line summary `history` prints
  meta      what `status` shows that no table holds
"""
import csv
import json
import sqlite3
import subprocess
import sys


def export(rc, db, *args):
    return subprocess.run([rc, "--db", db, *args], check=True,
                          capture_output=True, text=True).stdout


def rows(text):
    return list(csv.DictReader(text.splitlines()))


def cell(v):
    """A CSV cell as SQLite stores it: booleans 1/0, empty NULL."""
    return {"true": 1, "false": 0, "": None}.get(v, v)


def summary(ev):
    """history's one-line summary (query_history.c) of the workload's
    event types; any other type as its name in words, as rollcall does
    for types without words of their own (check() catches a miss)."""
    t, d = ev["type"], ev["data"]
    if t == "student_registered":
        return "registered"
    if t == "attendance_recorded":
        p = d["points"]
        return "checked in, %s, %s%d (%s %s)" % (
            d["status"], "+" if p > 0 else "", p, d["day"], d["arrived"])
    return t.replace("_", " ")


def load(rc, db, out, first, last):
    q = sqlite3.connect(out)
    q.executescript("""
        create table students(sid integer primary key, id text unique,
          name text, email text, gender text, active int, points int,
          days_present int, days_early int, days_late int,
          days_on_time int, code text);
        create table marks(sid int, day text, present int, arrived text,
          status text, points int, voided int, excused int, left_at text,
          reason text, primary key(sid, day)) without rowid;
        create table events(seq integer primary key, recorded_at text,
          type text, actor text, desk text, source text, sid int,
          summary text);
        create table errors(seq int, reason text);
        create table meta(key text primary key, value) without rowid;
    """)
    # Students are numbered (sid) as rollcall numbers them inside: the
    # other tables hold 4-byte numbers, not 36-byte UUIDs.
    cols = ("id name email gender active points days_present days_early "
            "days_late days_on_time code").split()
    roster = rows(export(rc, db, "students", "--all", "--format", "csv"))
    sid = {r["id"]: n for n, r in enumerate(roster, 1)}
    q.executemany("insert into students values(%s)" % ",".join("?" * 12),
                  ([sid[r["id"]]] + [cell(r[c]) for c in cols]
                   for r in roster))
    cal = rows(export(rc, db, "calendar", "--from", first, "--to", last,
                      "--format", "csv"))
    cols = "day present arrived status points excused left_at reason"
    for day in (c["day"] for c in cal if c["school_day"] == "true"):
        # The day's present rows are its valid check-ins: none voided.
        q.executemany("insert into marks values(?,?,?,?,?,?,0,?,?,?)",
                      ([sid[r["id"]]] + [cell(r[c]) for c in cols.split()]
                       for r in rows(export(rc, db, "day", day,
                                            "--format", "csv"))))
    q.executemany(
        "insert into events values(?,?,?,?,?,?,?,?)",
        ((e["seq"], e["recorded_at"], e["type"], e["actor"], e["desk"],
          e["source"], sid.get((e["data"] or {}).get("id")), summary(e))
         for e in map(json.loads,
                      export(rc, db, "events", "--format",
                             "jsonl").splitlines())))
    st = json.loads(export(rc, db, "status", "--format", "json"))
    q.executemany("insert into meta values(?,?)",
                  ((k, st[k]) for k in ("checkpoint", "origin", "schema")))
    # The indexes the queries read (the primary keys above serve
    # `student`'s marks and `status`'s head).
    q.executescript("""
        create index students_name on students(active, name, id);
        create unique index students_email on students(email);
        create index marks_day on marks(day);
        create index events_student on events(sid, seq);
        analyze;
    """)
    q.commit()


def arrays(text):
    """The result sets sqlite3 -json prints, one array per statement."""
    dec, i, out = json.JSONDecoder(), 0, []
    text = text.strip()
    while i < len(text):
        v, i = dec.raw_decode(text, i)
        out.append(v)
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def keys(query, ours, peer):
    """The key fields of the two JSON answers, in order."""
    a = arrays(peer) + [[]] * 3
    if query == "students":
        return [o["id"] for o in ours], [o["id"] for o in a[0]]
    if query == "student":
        return ([x["day"] for x in ours["attendance"] + ours["absences"]],
                [x["day"] for x in a[1] + a[2]])
    if query == "day":
        return ([x["id"] for x in ours["present"] + ours["absent"]],
                [x["id"] for x in a[0] + a[1]])
    if query == "report":
        return ([x["id"] for x in ours["students"]] + [ours["summary"]],
                [x["id"] for x in a[0]] + a[1])
    if query == "history":
        return [x["seq"] for x in ours], [x["seq"] for x in a[0]]
    if query == "status":
        return ([ours["head"], ours["checkpoint"], ours["students"]],
                [a[0][0]["head"], a[0][0]["checkpoint"],
                 a[0][0]["students"]])
    sys.exit("peer_load.py: no such query " + query)


def check(query, rc_csv, peer_csv, rc_json, peer_json):
    """Fail unless the CSV answers agree cell for cell (booleans and
    empty cells compared as SQLite stores them; status's path and size
    are of two different files) and the JSON ones on their keys."""
    def norm(path):
        return [[str(cell(v)) for v in r]
                for r in csv.reader(open(path))]
    ours, peer = norm(rc_csv), norm(peer_csv)
    if query == "status":
        ours, peer = ([r[:4] + r[6:] for r in x] for x in (ours, peer))
    bad = [i for i, (a, b) in enumerate(zip(ours, peer)) if a != b]
    if bad or len(ours) != len(peer) or len(ours) < 2:
        i = bad[0] if bad else min(len(ours), len(peer)) - 1
        sys.exit("peers.sh: %s: rollcall and sqlite3 disagree in CSV "
                 "(%d and %d rows), row %d:\n  %s\n  %s" % (
                     query, len(ours), len(peer), i,
                     ours[i] if i < len(ours) else "-",
                     peer[i] if i < len(peer) else "-"))
    a, b = keys(query, json.load(open(rc_json)), open(peer_json).read())
    if a != b or not a:
        sys.exit("peers.sh: %s: rollcall and sqlite3 disagree in JSON "
                 "(%d and %d keys): %s / %s" % (query, len(a), len(b),
                                                 a[:3], b[:3]))


if __name__ == "__main__":
    {"load": load, "check": check}[sys.argv[1]](*sys.argv[2:])
