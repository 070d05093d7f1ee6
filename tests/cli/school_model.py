#!/usr/bin/env python3
"""Model-based test of `report` (SPEC 6).

Random histories of a few hundred events are written through the
command line (registrations, back-dated check-ins, voids, early
departures, excuses and withdrawals, closed and reopened days, calendar
settings, removals); then `report --format json` over random ranges is
compared with a plain recomputation from `events --format jsonl`, the
way a reader of the SPEC would do it by hand.

usage: school_model.py ROLLCALL_BIN WORKDIR SEED...
"""
import datetime as dt
import json
import os
import random
import subprocess
import sys

BIN, WORK = sys.argv[1], sys.argv[2]
SEEDS = [int(s) for s in sys.argv[3:]] or [1]
REASONS = ["illness", "medical", "family", "religious", "school_activity",
           "other"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
START = dt.date(2025, 9, 1)          # a Monday
DAYS = 35


def day(n):
    return (START + dt.timedelta(days=n)).isoformat()


class Desk:
    def __init__(self, db):
        self.env = dict(os.environ, ROLLCALL_DB=db, TZ="UTC")
        self.env.pop("ROLLCALL_NOW", None)

    def run(self, now, *args, ok=None):
        env = dict(self.env, ROLLCALL_NOW=now)
        p = subprocess.run([BIN] + list(args), env=env,
                           capture_output=True, text=True)
        if ok is not None and (p.returncode == 0) != ok:
            raise SystemExit("rollcall %s: exit %d: %s" %
                             (" ".join(args), p.returncode, p.stderr))
        if p.returncode not in (0, 1):
            raise SystemExit("rollcall %s: exit %d: %s" %
                             (" ".join(args), p.returncode, p.stderr))
        return p


# ---- the model: a plain fold of the log ---------------------------------

def parse_day(s):
    return dt.date.fromisoformat(s)


def recomputed(events, frm, to, today):
    weekdays = set(range(5))
    term = [None, None]
    closed = set()
    students = {}       # id -> dict
    order = []
    for e in events:
        t, d = e["type"], e["data"]
        rec_day = parse_day(e["recorded_at"][:10])
        if t == "student_registered":
            students[d["id"]] = {"name": d["name"], "active": True,
                                 "periods": [[rec_day, None]],
                                 "att": {}, "exc": set(), "left": set()}
            order.append(d["id"])
        elif t == "student_removed":
            s = students[d["id"]]
            s["active"] = False
            s["periods"][-1][1] = max(rec_day, s["periods"][-1][0])
        elif t == "student_restored":
            # a new enrolment period from the day of the restore
            s = students[d["id"]]
            s["active"] = True
            s["periods"].append([rec_day, None])
        elif t == "attendance_recorded":
            students[d["id"]]["att"][parse_day(d["day"])] = (
                d["status"], d["points"])
        elif t == "attendance_voided":
            s = students[d["id"]]
            s["att"].pop(parse_day(d["day"]), None)
            s["left"].discard(parse_day(d["day"]))
        elif t == "departure_recorded":
            students[d["id"]]["left"].add(parse_day(d["day"]))
        elif t == "absence_excused":
            students[d["id"]]["exc"] |= {parse_day(x) for x in d["days"]}
        elif t == "absence_excuse_withdrawn":
            students[d["id"]]["exc"] -= {parse_day(x) for x in d["days"]}
        elif t == "day_closed":
            a, b = parse_day(d["from"]), parse_day(d["to"])
            closed |= {a + dt.timedelta(days=i)
                       for i in range((b - a).days + 1)}
        elif t == "day_reopened":
            a, b = parse_day(d["from"]), parse_day(d["to"])
            closed -= {a + dt.timedelta(days=i)
                       for i in range((b - a).days + 1)}
        elif t == "config_changed":
            if d["key"] == "school-days":
                weekdays = {WEEKDAYS.index(w) for w in d["value"].split(",")}
            elif d["key"] == "term-start":
                term[0] = parse_day(d["value"]) if d["value"] else None
            elif d["key"] == "term-end":
                term[1] = parse_day(d["value"]) if d["value"] else None

    def school(x):
        return (x.weekday() in weekdays and x not in closed and
                (term[0] is None or x >= term[0]) and
                (term[1] is None or x <= term[1]))

    def enrolled(s, x):
        first = min(s["att"]) if s["att"] else None
        for i, (a, b) in enumerate(s["periods"]):
            if i == 0 and first is not None and first < a:
                a = first
            if x >= a and (b is None or x < b):
                return True
        return False

    rows = []
    span = [frm + dt.timedelta(days=i) for i in range((to - frm).days + 1)]
    for sid in sorted(order, key=lambda i: (students[i]["name"].lower(), i)):
        s = students[sid]
        if not any(school(x) and enrolled(s, x) for x in span):
            continue
        r = dict(school_days=0, present=0, early=0, on_time=0, late=0,
                 excused=0, absent=0, left_early=0, points=0)
        for x in span:
            if not school(x) or not enrolled(s, x) or x > today:
                continue
            if x in s["att"]:
                st, pts = s["att"][x]
                r["school_days"] += 1
                r["present"] += 1
                r[st] += 1
                r["left_early"] += x in s["left"]
                r["points"] += 0 if st == "late" and x in s["exc"] else pts
            elif x < today:
                r["school_days"] += 1
                r["excused" if x in s["exc"] else "absent"] += 1
        n = r["school_days"]
        r["rate"] = None if n == 0 else (2000 * r["present"] + n) // (2 * n)
        r["chronic"] = n >= 10 and (r["excused"] + r["absent"]) * 10 >= n
        r["name"], r["id"], r["active"] = s["name"], sid, s["active"]
        rows.append(r)
    top = sum(1 for x in span if school(x) and x <= today)
    return top, rows


# ---- random histories ----------------------------------------------------

def history(rng, desk):
    """Write a random history; returns the last local day used as now."""
    names = ["Ada", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy",
             "Jo", "Kim", "Lu"]
    ids = []
    removed = []
    n_events = 0
    for n in range(DAYS):
        now = day(n) + "T07:00:00"
        # a few registrations early on, some later
        if n == 0 or (rng.random() < 0.15 and len(ids) < len(names)):
            for _ in range(rng.randint(1, 3)):
                if len(ids) == len(names):
                    break
                nm = names[len(ids)]
                p = desk.run(now, "add", "--name", nm, "--email",
                             "%s@example.org" % nm.lower(), ok=True)
                ids.append(p.stdout.strip())
                n_events += 1
        if n % 7 == 0 and rng.random() < 0.4:
            wd = rng.sample(WEEKDAYS, rng.randint(1, 6))
            desk.run(now, "config", "school-days", ",".join(wd))
            n_events += 1
        if rng.random() < 0.1:
            a = rng.randint(0, DAYS - 1)
            desk.run(now, "close", day(a), "--to",
                     day(min(DAYS - 1, a + rng.randint(0, 3))),
                     "--reason", "holiday")
        if rng.random() < 0.05:
            a = rng.randint(0, DAYS - 1)
            desk.run(now, "reopen", day(a), "--to", day(a + 5))
        if rng.random() < 0.05:
            if rng.random() < 0.7:
                desk.run(now, "config", "term-start", day(rng.randint(0, 9)))
            else:
                desk.run(now, "config", "term-start", "--unset")
        # the day's check-ins (and a back-dated one now and then)
        late_at = day(n) + "T17:00:00"
        for sid in ids:
            r = rng.random()
            if r < 0.75:
                hh = rng.choice(["08:30", "08:57", "09:02", "09:20"])
                p = desk.run(late_at, "checkin", sid, "--at",
                             day(n) + "T" + hh)
                n_events += p.returncode == 0
            elif r < 0.78 and n > 3:
                desk.run(late_at, "checkin", sid, "--at",
                         day(n - rng.randint(1, 3)) + "T08:00")
            if rng.random() < 0.08:
                desk.run(late_at, "checkout", sid, "--at",
                         day(n) + "T" + rng.choice(["10:00", "12:00"]))
            if rng.random() < 0.04:
                desk.run(late_at, "void", sid, "--day",
                         day(n - rng.randint(0, 2)))
            if rng.random() < 0.06:
                a = n + rng.randint(-6, 4)
                desk.run(late_at, "excuse", sid, "--day", day(max(a, 0)),
                         "--to", day(max(a, 0) + rng.randint(0, 3)),
                         "--reason", rng.choice(REASONS))
            if rng.random() < 0.02:
                a = n + rng.randint(-6, 2)
                desk.run(late_at, "excuse", sid, "--day", day(max(a, 0)),
                         "--to", day(max(a, 0) + 4), "--withdraw")
            if rng.random() < 0.01:
                desk.run(late_at, "config", "points",
                         str(rng.choice([3, 5, 8])))
        if rng.random() < 0.06 and len(ids) > 2:
            sid = rng.choice(ids)
            if desk.run(late_at, "remove", sid).returncode == 0:
                removed.append(sid)
        if removed and rng.random() < 0.3:
            # back after a few days (or the same day): a new period
            sid = removed.pop(rng.randrange(len(removed)))
            desk.run(late_at, "restore", sid, ok=True)
    return n_events


def compare(desk, now, frm, to, today):
    p = desk.run(now, "events", "--format", "jsonl", ok=True)
    events = [json.loads(l) for l in p.stdout.splitlines()]
    args = ["report", "--format", "json", "--from", frm.isoformat(),
            "--to", to.isoformat()]
    got = json.loads(desk.run(now, *args, ok=True).stdout)
    top, rows = recomputed(events, frm, to, today)
    if got["school_days"] != top:
        raise SystemExit("school_days %s, model %s" % (got["school_days"],
                                                        top))
    if len(got["students"]) != len(rows):
        raise SystemExit("%d rows, model %d: %s" %
                         (len(got["students"]), len(rows),
                          [r["name"] for r in got["students"]]))
    for g, m in zip(got["students"], rows):
        rate = None if m["rate"] is None else m["rate"] / 10
        want = dict(m, rate=rate)
        for k, v in want.items():
            if g[k] != v:
                raise SystemExit("%s %s: %r, model %r (range %s..%s)" %
                                 (m["name"], k, g[k], v, frm, to))
    tp = sum(r["present"] for r in rows)
    td = sum(r["school_days"] for r in rows)
    srate = None if td == 0 else (2000 * tp + td) // (2 * td) / 10
    want = {"students": len(rows), "present": tp, "school_days": td,
            "rate": srate, "chronic": sum(r["chronic"] for r in rows)}
    if got["summary"] != want:
        raise SystemExit("summary %r, model %r" % (got["summary"], want))


def main():
    for seed in SEEDS:
        rng = random.Random(seed)
        db = os.path.join(WORK, "model-%d" % seed)
        desk = Desk(db)
        n = history(rng, desk)
        today = START + dt.timedelta(days=DAYS - 3)
        now = today.isoformat() + "T10:00:00"
        for _ in range(6):
            a = rng.randint(0, DAYS - 1)
            b = rng.randint(a, DAYS + 5)
            compare(desk, now, START + dt.timedelta(days=a),
                    START + dt.timedelta(days=b), today)
        compare(desk, now, START, START + dt.timedelta(days=DAYS), today)
        p = desk.run(now, "verify")
        if p.returncode != 0:
            raise SystemExit("verify: %s" % p.stderr)
        print("seed %d: %d events or more, report matches the model" %
              (seed, n))


main()
