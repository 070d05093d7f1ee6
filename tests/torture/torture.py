#!/usr/bin/env python3
"""torture.py - crash torture and several desks for rollcall (issue 4).

  torture.py kill  --bin BIN --seconds S   SIGKILL torture
  torture.py desks --bin BIN --seconds S [--desks 8] [--tui]
  torture.py grow  --bin BIN [--rows N] [--desks 4] [--tui]

kill: runs a mixed workload (add, edit, remove, checkin, void, config,
import students, import attendance, rebuild, backup, compact, erase) one
command at a time, now and then two at once, and kills each with
SIGKILL after a random delay drawn from how long that command usually
takes, so that kills land
everywhere: starting up, waiting for the write lock, inside the write
transaction, during the commit and its fsync, printing.  After every
kill: the database opens, `status` shows the checkpoint at the head
(so the next command found nothing to catch up on, or caught up), and
`verify` is clean.  Every few hundred commands and at the end the whole
log is checked against what the driver saw: every acknowledged command
(exit 0) is in the log exactly once, every killed one at most once, and
a killed import is all there or not at all.

desks: N processes (default 8) run mixed commands against one database
for the given time, racing on a few students, days and emails.  Then:
no student has two valid check-ins on a day, no two active students
share an email (case-insensitively), every acknowledged command is in
the log exactly once, no command failed with a storage error, verify is
clean.  With --tui a TUI runs in tmux meanwhile and must show the final
head on its status screen.

grow: the map must grow (past its first 1 GiB: about 2 million
students) while others use the database: one process imports N
students (default 150000) twice while
desks check in, register and query, and a TUI watches.  No command may
fail with a storage error; afterwards verify is clean and the TUI shows
the final head.

Prints the counts and exits 1 on any failure.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

NOW = "2030-01-01T12:00:00"
FAILURES = []


KEEP = False
LAST = []       # the last few commands run, for the report


def failure(msg):
    FAILURES.append(msg)
    print("FAIL " + msg, file=sys.stderr, flush=True)
    if KEEP:
        for line in LAST:
            print("    after: " + line, file=sys.stderr)
        raise SystemExit(1)


class Rollcall:
    """Runs the binary on one database."""

    def __init__(self, binary, db, tmp):
        self.binary, self.db, self.tmp = binary, db, tmp
        self.env = dict(os.environ, ROLLCALL_NOW=NOW, TZ="UTC", TMPDIR=tmp)
        for k in ("ROLLCALL_DB", "XDG_DATA_HOME", "ROLLCALL_FAULT"):
            self.env.pop(k, None)

    def argv(self, args):
        return [self.binary, "--db", self.db] + list(args)

    def run(self, *args, timeout=120):
        p = subprocess.run(self.argv(args), env=self.env, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, errors="replace")
        return p.returncode, p.stdout, p.stderr

    def start(self, args, stdin=None):
        LAST.append(" ".join(args))
        del LAST[:-8]
        return subprocess.Popen(self.argv(args), env=self.env, stdin=stdin,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                errors="replace")

    def json(self, *args):
        rc, out, err = self.run(*args)
        if rc != 0:
            raise RuntimeError("rollcall %s: exit %d: %s" %
                               (" ".join(args), rc, err.strip()))
        return json.loads(out)

    def events(self):
        rc, out, err = self.run("events", "--format", "jsonl")
        if rc != 0:
            raise RuntimeError("events: exit %d: %s" % (rc, err.strip()))
        return [json.loads(line) for line in out.splitlines() if line]


def day_text(n):
    """Day n counted back from 2029-12-31, as YYYY-MM-DD."""
    import datetime
    d = datetime.date(2029, 12, 31) - datetime.timedelta(days=n)
    return d.isoformat()


# ---------------------------------------------------------------- kill

class Ledger:
    """What the driver asked for and what it was told."""

    def __init__(self):
        self.adds = []          # (email, id or None, acked)
        self.edits = []         # (id, name token, acked)
        self.removes = []       # (id, acked)
        self.restores = []      # (id, acked)
        self.checkins = []      # (id, day, acked)
        self.voids = []         # (id, day, reason token, acked)
        self.configs = []       # (value, acked)
        self.imports_s = []     # ([emails], acked)
        self.imports_a = []     # ([(id, day)], acked)
        self.rebuilds = []      # acked
        self.compacts = []      # acked (or refused: another was running)
        self.excuses = []       # (id, note token, acked)
        self.checkouts = []     # (id, reason token, acked)
        self.closes = []        # (reason token, acked)
        self.reopens = []       # (day, acked)
        self.withdraws = []     # (id, day, acked)
        self.codes = []         # (id, code token, acked)
        self.pin_sets = []      # acked
        self.pin_clears = []    # acked (refused when no PIN was set)
        self.erases = []        # (id, acked)


class KillTorture:
    def __init__(self, rc, seed, seconds):
        self.rc = rc
        self.rng = random.Random(seed)
        self.deadline = time.time() + seconds
        self.led = Ledger()
        self.students = []      # ids known active (acked add, no remove tried)
        self.next_day = {}      # id -> next unused day number
        self.voidable = []      # (id, day) acked check-ins, no void tried
        self.next_excuse = {}   # id -> last future day number excused
        self.counter = 0
        # ids an op of the current round uses: two ops running at once
        # must not race on one student (a remove would refuse the other)
        self.busy = set()
        self.duration = {}      # op -> moving average of run time (s)
        self.kills = self.acked = self.refused = self.runs = 0
        self.checks = 0
        self.backups = self.backups_ok = 0
        # Kills land within factor x the usual time; the factor adapts
        # so that about half the commands are killed, half finish.
        self.factor = 1.3
        # with --keep, every command and its outcome, for the post-mortem
        self.audit = open(os.path.join(rc.tmp, "audit.log"), "w") \
            if KEEP else None

    def token(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def take_day(self, sid):
        d = self.next_day.get(sid, 0)
        self.next_day[sid] = d + 1
        return day_text(d)

    # Each op returns (argv, on_done(rc, out)) and records its attempt.
    def op_add(self):
        email = self.token("s") + "@example.org"
        rec = [email, None, False]
        self.led.adds.append(rec)

        def done(rc, out):
            if rc == 0:
                rec[1], rec[2] = out.strip(), True
                self.students.append(rec[1])
        return ["add", "--name", "Student " + email, "--email", email], done

    def free_students(self):
        return [s for s in self.students if s not in self.busy]

    def pick(self):
        free = self.free_students()
        if not free:
            return None
        sid = self.rng.choice(free)
        self.busy.add(sid)
        return sid

    def op_edit(self):
        sid = self.pick()
        if sid is None:
            return self.op_add()
        name = self.token("Edited ")
        rec = [sid, name, False]
        self.led.edits.append(rec)

        def done(rc, out):
            rec[2] = rc == 0
        return ["edit", sid, "--name", name], done

    def op_remove(self):
        if len(self.students) < 20:
            return self.op_add()
        sid = self.pick()
        if sid is None:
            return self.op_add()
        self.students.remove(sid)
        self.voidable = [v for v in self.voidable if v[0] != sid]
        rec = [sid, False]
        self.led.removes.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
        return ["remove", sid], done

    def op_restore(self):
        # an acknowledged remove, restored at most once (and then left
        # alone: it is not put back among the students to pick from)
        done_ids = {r[0] for r in self.led.restores + self.led.erases}
        cands = [r[0] for r in self.led.removes
                 if r[1] and r[0] not in done_ids and r[0] not in self.busy]
        if not cands:
            return self.op_add()
        sid = self.rng.choice(cands)
        self.busy.add(sid)
        rec = [sid, False]
        self.led.restores.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
        return ["restore", sid], done

    def op_erase(self):
        # an acknowledged remove, never restored (nor tried): erased at
        # most once, and then neither restored nor erased again
        done_ids = {r[0] for r in self.led.restores + self.led.erases}
        cands = [r[0] for r in self.led.removes
                 if r[1] and r[0] not in done_ids and r[0] not in self.busy]
        if not cands:
            return self.op_remove()
        sid = self.rng.choice(cands)
        self.busy.add(sid)
        rec = [sid, False]
        self.led.erases.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
        return ["erase", sid, "--yes"], done

    def op_checkin(self):
        sid = self.pick()
        if sid is None:
            return self.op_add()
        day = self.take_day(sid)
        at = "%sT%02d:%02d:%02d" % (day, self.rng.randrange(7, 11),
                                    self.rng.randrange(60),
                                    self.rng.randrange(60))
        rec = [sid, day, False]
        self.led.checkins.append(rec)

        def done(rc, out):
            if rc == 0:
                rec[2] = True
                self.voidable.append((sid, day))
        return ["checkin", sid, "--at", at], done

    def op_void(self):
        if not self.voidable:
            return self.op_checkin()
        sid, day = self.voidable.pop(self.rng.randrange(len(self.voidable)))
        reason = self.token("v")
        rec = [sid, day, reason, False]
        self.led.voids.append(rec)

        def done(rc, out):
            rec[3] = rc == 0
        return ["void", sid, "--day", day, "--reason", reason], done

    def op_config(self):
        # Never the value in force (that would succeed with no event):
        # each try sets the next value in turn.
        # (From 6: the default, 5, is in force until one lands.)
        value = len(self.led.configs) % 115 + 6
        rec = [value, False]
        self.led.configs.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
        return ["config", "window-minutes", str(value)], done

    def op_import_students(self):
        emails = [self.token("i") + "@example.org"
                  for _ in range(self.rng.randrange(2, 8))]
        path = os.path.join(self.rc.tmp, self.token("s") + ".csv")
        with open(path, "w") as f:
            f.write("name,email\n")
            for e in emails:
                f.write("Imported %s,%s\n" % (e, e.upper()))
        rec = [emails, False, ""]
        self.led.imports_s.append(rec)

        def done(rc, out):
            rec[1], rec[2] = rc == 0, out
            os.unlink(path)
        return ["import", "students", path], done

    def op_import_attendance(self):
        if len(self.free_students()) < 3:
            return self.op_add()
        rows = []
        for sid in self.rng.sample(self.free_students(), 3):
            self.busy.add(sid)
            rows.append((sid, self.take_day(sid)))
        path = os.path.join(self.rc.tmp, self.token("a") + ".csv")
        with open(path, "w") as f:
            f.write("student,arrived_at\n")
            for sid, day in rows:
                f.write("%s,%sT08:%02d\n" % (sid, day, self.rng.randrange(60)))
        rec = [rows, False]
        self.led.imports_a.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
            if rc == 0:
                self.voidable.extend(rows)
            os.unlink(path)
        return ["import", "attendance", path], done

    def op_compact(self):
        def done(rc, out):
            self.led.compacts.append(rc == 0)
        return ["compact"], done

    def future_weekday(self, sid):
        """The next weekday after NOW not yet excused for sid."""
        import datetime
        n = self.next_excuse.get(sid, 0)
        while True:
            n += 1
            d = datetime.date(2030, 1, 1) + datetime.timedelta(days=n)
            if d.weekday() < 5:
                break
        self.next_excuse[sid] = n
        return d.isoformat()

    def op_excuse(self):
        sid = self.pick()
        if sid is None:
            return self.op_add()
        note = self.token("e")
        day = self.future_weekday(sid)
        rec = [sid, note, False, day]
        self.led.excuses.append(rec)

        def done(rc, out):
            rec[2] = rc == 0
        return ["excuse", sid, "--day", day,
                "--reason", "illness", "--note", note], done

    def op_withdraw(self):
        # an acknowledged excuse of an active student, withdrawn once
        done_keys = {(w[0], w[1]) for w in self.led.withdraws}
        cands = [(e[0], e[3]) for e in self.led.excuses
                 if e[2] and (e[0], e[3]) not in done_keys
                 and e[0] in self.students and e[0] not in self.busy]
        if not cands:
            return self.op_excuse()
        sid, day = self.rng.choice(cands)
        self.busy.add(sid)
        rec = [sid, day, False]
        self.led.withdraws.append(rec)

        def done(rc, out):
            rec[2] = rc == 0
        return ["excuse", sid, "--day", day, "--withdraw"], done

    def op_code(self):
        sid = self.pick()
        if sid is None:
            return self.op_add()
        code = self.token("K")
        rec = [sid, code, False]
        self.led.codes.append(rec)

        def done(rc, out):
            rec[2] = rc == 0
        return ["edit", sid, "--code", code], done

    def pin_file(self):
        path = os.path.join(self.rc.tmp, "pin.txt")
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write("1234\n")
        return open(path)

    def op_pin_set(self):
        def done(rc, out):
            self.led.pin_sets.append(rc == 0)
        return ["pin", "set"], done, self.pin_file()

    def op_pin_clear(self):
        def done(rc, out):
            self.led.pin_clears.append(rc == 0)
        return ["pin", "clear"], done, self.pin_file()

    def op_checkout(self):
        if not self.voidable:
            return self.op_checkin()
        sid, day = self.voidable.pop(self.rng.randrange(len(self.voidable)))
        reason = self.token("o")
        rec = [sid, reason, False]
        self.led.checkouts.append(rec)

        def done(rc, out):
            rec[2] = rc == 0
        return ["checkout", sid, "--at", day + "T11:30:00", "--reason",
                reason], done

    def op_close(self):
        import datetime
        reason = self.token("c")
        day = (datetime.date(2000, 1, 1) +
               datetime.timedelta(days=len(self.led.closes))).isoformat()
        rec = [reason, False, day]
        self.led.closes.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
        return ["close", day, "--reason", reason], done

    def op_reopen(self):
        done_days = {r[0] for r in self.led.reopens}
        cands = [c[2] for c in self.led.closes
                 if c[1] and c[2] not in done_days]
        if not cands:
            return self.op_close()
        day = self.rng.choice(cands)
        rec = [day, False]
        self.led.reopens.append(rec)

        def done(rc, out):
            rec[1] = rc == 0
        return ["reopen", day], done

    def op_rebuild(self):
        def done(rc, out):
            self.led.rebuilds.append(rc == 0)
        return ["rebuild"], done

    def op_backup(self):
        """A backup killed at any moment leaves the source as it was
        (checked after every kill) and no directory under the backup's
        name unless it is finished: then it verifies and its log is a
        prefix of the database's."""
        dest = os.path.join(self.rc.tmp, self.token("bk"))

        def done(rc, out):
            self.check_backup(dest, rc)
        return ["backup", dest], done

    def check_backup(self, dest, rc):
        self.backups += 1
        base = os.path.basename(dest)
        tmps = [n for n in os.listdir(self.rc.tmp)
                if n.startswith(base + ".tmp-")]
        if rc is not None and tmps:
            failure("backup exited %s and left %s" % (rc, tmps))
        if rc == 0 and not os.path.isdir(dest):
            failure("acknowledged backup %s is missing" % dest)
        if os.path.exists(dest):
            if sorted(os.listdir(dest)) != ["data.mdb"]:
                failure("backup %s holds %r" % (dest, os.listdir(dest)))
            other = Rollcall(self.rc.binary, dest, self.rc.tmp)
            vrc, out, err = other.run("verify")
            if vrc != 0:
                failure("backup %s (exit %s) does not verify: %s" %
                        (dest, rc, err.strip()))
            else:
                mine = self.rc.events()
                theirs = other.events()
                if mine[:len(theirs)] != theirs:
                    failure("backup %s is not a prefix of the log" % dest)
                self.backups_ok += 1
            shutil.rmtree(dest, ignore_errors=True)
        for n in tmps:
            shutil.rmtree(os.path.join(self.rc.tmp, n), ignore_errors=True)

    OPS = [("add", 6), ("edit", 3), ("remove", 1), ("restore", 1),
           ("checkin", 8),
           ("void", 3), ("config", 2), ("import_students", 2),
           ("import_attendance", 2), ("rebuild", 1), ("backup", 1),
           ("compact", 1), ("excuse", 2), ("checkout", 1), ("close", 1),
           ("reopen", 1), ("withdraw", 1), ("code", 1), ("pin_set", 1),
           ("pin_clear", 1), ("erase", 1)]

    def choose(self):
        total = sum(w for _, w in self.OPS)
        r = self.rng.randrange(total)
        for name, w in self.OPS:
            if r < w:
                return name
            r -= w

    def launch(self):
        name = self.choose()
        op = getattr(self, "op_" + name)()
        stdin = op[2] if len(op) > 2 else None
        return name, op[0], op[1], stdin

    def settle(self, name, proc, done, killed, t0):
        out, err = proc.communicate()
        rc = proc.returncode
        self.runs += 1
        if self.audit:
            self.audit.write("%.6f %.6f rc=%s %s | %s\n" % (
                t0, time.time(), rc, " ".join(proc.args[3:]),
                (out.strip() + " " + err.strip())[:120]))
        if rc == -signal.SIGKILL:
            self.kills += 1
            done(None, "")
            return True
        dt = time.time() - t0
        avg = self.duration.get(name, dt)
        self.duration[name] = 0.8 * avg + 0.2 * dt
        done(rc, out)
        if rc == 0:
            self.acked += 1
        elif rc == 1 and name == "compact" and "open in another" in err:
            self.refused += 1    # the other command of the round had it
        elif rc == 1 and name == "pin_clear" and "no PIN is set" in err:
            self.refused += 1    # a killed set may or may not have landed
        elif rc == 1 and name in ("checkin", "void") and "already" in err:
            self.refused += 1    # cannot happen: pairs are never reused
            failure("%s refused: %s" % (name, err.strip()))
        else:
            failure("%s exited %d: %s" % (" ".join(proc.args[3:]), rc,
                                          err.strip()))
        return False

    def one_round(self):
        n = 2 if self.rng.random() < 0.25 else 1
        procs = []
        self.busy = set()
        for _ in range(n):
            name, argv, done, stdin = self.launch()
            t0 = time.time()
            procs.append((name, self.rc.start(argv, stdin), done, t0))
            if stdin:
                stdin.close()
        # Kill each after a random part of its usual time (sometimes
        # later, so that some finish and are acknowledged).
        for name, p, done, t0 in procs:
            est = self.duration.get(name, 0.02)
            delay = self.rng.uniform(0, est * self.factor)
            left = t0 + delay - time.time()
            if left > 0:
                time.sleep(left)
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
        killed_any = False
        for name, p, done, t0 in procs:
            killed_any |= self.settle(name, p, done, True, t0)
        self.factor *= 1.02 if killed_any else 0.98
        self.factor = min(4.0, max(0.3, self.factor))
        return killed_any

    def check_after_kill(self):
        """The database opens, is caught up, and verifies."""
        self.checks += 1
        try:
            st = self.rc.json("status", "--format", "json")
        except Exception as e:
            failure("after a kill: %s" % e)
            return
        if st["head"] != st["checkpoint"]:
            failure("after a kill: head %d, checkpoint %d" %
                    (st["head"], st["checkpoint"]))
        if st["errors"] not in (0, []):
            failure("after a kill: projection errors %r" % st["errors"])
        rc, out, err = self.rc.run("verify")
        if rc != 0:
            failure("after a kill: verify exit %d: %s" % (rc, err.strip()))

    def check_log(self):
        """Every acknowledged command exactly once, killed ones at most."""
        evs = self.rc.events()
        seqs = [e["seq"] for e in evs]
        if seqs != list(range(1, len(evs) + 1)):
            failure("the log's sequence numbers are not 1..%d" % len(evs))
        reg_by_email, reg_by_id = {}, {}
        upd, rem, rec, vd, rst = {}, {}, {}, {}, {}
        exc, dep, clo, rop, wdr, cod, era = {}, {}, {}, {}, {}, {}, {}
        cfg = pins = pinc = 0
        for e in evs:
            d, t = e["data"], e["type"]
            if t == "student_registered":
                # an erased student's email is gone: counted by id
                if d["email"] is not None:
                    reg_by_email.setdefault(d["email"].lower(),
                                            []).append(d["id"])
                reg_by_id[d["id"]] = reg_by_id.get(d["id"], 0) + 1
            elif t == "student_erased":
                era[d["id"]] = era.get(d["id"], 0) + 1
            elif t == "student_updated":
                upd[d.get("name")] = upd.get(d.get("name"), 0) + 1
            elif t == "student_removed":
                rem[d["id"]] = rem.get(d["id"], 0) + 1
            elif t == "student_restored":
                rst[d["id"]] = rst.get(d["id"], 0) + 1
            elif t == "attendance_recorded":
                k = (d["id"], d["day"])
                rec[k] = rec.get(k, 0) + 1
            elif t == "attendance_voided":
                vd[d["reason"]] = vd.get(d["reason"], 0) + 1
            elif t == "config_changed":
                cfg += 1
            elif t == "absence_excused":
                exc[d["note"]] = exc.get(d["note"], 0) + 1
            elif t == "departure_recorded":
                dep[d["reason"]] = dep.get(d["reason"], 0) + 1
            elif t == "day_closed":
                clo[d["reason"]] = clo.get(d["reason"], 0) + 1
            elif t == "day_reopened":
                rop[d["from"]] = rop.get(d["from"], 0) + 1
            elif t == "absence_excuse_withdrawn":
                k = (d["id"], d["days"][0])
                wdr[k] = wdr.get(k, 0) + 1
            elif t == "admin_pin_set":
                pins += 1
            elif t == "admin_pin_cleared":
                pinc += 1
            if t == "student_updated" and d.get("code"):
                cod[d["code"]] = cod.get(d["code"], 0) + 1
        found = 0

        def expect(what, n, acked):
            nonlocal found
            if acked and n != 1:
                failure("acknowledged %s is in the log %d times" % (what, n))
            elif not acked and n > 1:
                failure("killed %s is in the log %d times" % (what, n))
            if acked and n == 1:
                found += 1

        for email, sid, acked in self.led.adds:
            if acked and era.get(sid):
                expect("add %s" % sid, reg_by_id.get(sid, 0), acked)
                continue
            ids = reg_by_email.get(email.lower(), [])
            expect("add %s" % email, len(ids), acked)
            if acked and ids and ids[0] != sid:
                failure("add %s printed %s but the log has %s" %
                        (email, sid, ids[0]))
        for sid, name, acked in self.led.edits:
            if not era.get(sid):     # an erased one's names are gone
                expect("edit %s" % name, upd.get(name, 0), acked)
        for sid, acked in self.led.erases:
            expect("erase %s" % sid, era.get(sid, 0), acked)
        for sid, acked in self.led.removes:
            expect("remove %s" % sid, rem.get(sid, 0), acked)
        for sid, acked in self.led.restores:
            expect("restore %s" % sid, rst.get(sid, 0), acked)
        for sid, day, acked in self.led.checkins:
            expect("checkin %s %s" % (sid, day), rec.get((sid, day), 0), acked)
        for sid, day, reason, acked in self.led.voids:
            expect("void %s" % reason, vd.get(reason, 0), acked)
        for sid, note, acked, day in self.led.excuses:
            expect("excuse %s" % note, exc.get(note, 0), acked)
        for sid, reason, acked in self.led.checkouts:
            expect("checkout %s" % reason, dep.get(reason, 0), acked)
        for reason, acked, day in self.led.closes:
            expect("close %s" % reason, clo.get(reason, 0), acked)
        for day, acked in self.led.reopens:
            expect("reopen %s" % day, rop.get(day, 0), acked)
        for sid, day, acked in self.led.withdraws:
            expect("withdraw %s %s" % (sid, day), wdr.get((sid, day), 0),
                   acked)
        for sid, code, acked in self.led.codes:
            if not era.get(sid):     # an erased one's codes are gone
                expect("code %s" % code, cod.get(code, 0), acked)
        # PIN events carry no data: count them like config changes
        for what, n, tried in (("pin set", pins, self.led.pin_sets),
                               ("pin clear", pinc, self.led.pin_clears)):
            acked_n = sum(1 for a in tried if a)
            if not acked_n <= n <= len(tried):
                failure("%s events %d, acknowledged %d, tried %d" %
                        (what, n, acked_n, len(tried)))
            found += min(n, acked_n)
        for emails, acked, said in self.led.imports_s:
            ns = [len(reg_by_email.get(e.lower(), [])) for e in emails]
            if any(n > 1 for n in ns) or (0 < sum(ns) < len(emails)):
                failure("import of %s is partly there: %r" % (emails, ns))
            elif acked and sum(ns) != len(emails):
                failure("acknowledged import of %s missing (it said %r)" %
                        (emails, said))
            elif acked:
                found += 1
        for rows, acked in self.led.imports_a:
            ns = [rec.get(r, 0) for r in rows]
            if any(n > 1 for n in ns) or (0 < sum(ns) < len(rows)):
                failure("attendance import %r is partly there: %r" % (rows, ns))
            elif acked and sum(ns) != len(rows):
                failure("acknowledged attendance import %r missing" % rows)
            elif acked:
                found += 1
        acked_cfg = sum(1 for v, a in self.led.configs if a)
        if not acked_cfg <= cfg <= len(self.led.configs):
            failure("config events %d, acknowledged %d, tried %d" %
                    (cfg, acked_cfg, len(self.led.configs)))
        found += min(cfg, acked_cfg)
        found += sum(1 for a in self.led.rebuilds if a)
        found += sum(1 for a in self.led.compacts if a)
        return len(evs), found

    def run(self):
        for _ in range(10):
            argv, done = self.op_add()
            rc, out, err = self.rc.run(*argv)
            done(rc, out)
            self.acked += rc == 0
        rounds = 0
        while time.time() < self.deadline and len(FAILURES) < 20:
            if self.one_round():
                self.check_after_kill()
            rounds += 1
            if rounds % 300 == 0:
                self.check_log()
        # The next command works, then the whole log.
        argv, done = self.op_add()
        rc, out, err = self.rc.run(*argv)
        done(rc, out)
        if rc != 0:
            failure("add after the torture: exit %d: %s" % (rc, err.strip()))
        self.acked += rc == 0
        self.check_after_kill()
        nev, found = self.check_log()
        print("torture: %d commands run, %d killed, %d acknowledged, "
              "%d acknowledged found in the log (exactly once), "
              "%d events, %d checks after kills, %d backups (%d finished "
              "and verified)" %
              (self.runs, self.kills, self.acked, found, nev, self.checks,
               self.backups, self.backups_ok))
        return found


# --------------------------------------------------------------- desks

class Desks:
    EMAILS = ["pool%d@example.org" % i for i in range(12)]

    def __init__(self, rc, seed, seconds, n, tui):
        self.rc, self.n, self.tui = rc, n, tui
        self.seed = seed
        self.deadline = time.time() + seconds
        self.lock = threading.Lock()
        self.ids = []                 # acked registrations (id, email)
        self.acked = []               # (kind, key)
        self.counts = {}              # (kind, rc) -> n
        self.counter = 0

    def token(self, p):
        with self.lock:
            self.counter += 1
            return "%s%d" % (p, self.counter)

    def note(self, kind, rc, key=None):
        with self.lock:
            self.counts[(kind, rc)] = self.counts.get((kind, rc), 0) + 1
            if rc == 0 and key is not None:
                self.acked.append((kind, key))

    def worker(self, w):
        rng = random.Random(self.seed * 100 + w)
        days = [day_text(i) for i in range(6)]
        while time.time() < self.deadline:
            r = rng.random()
            with self.lock:
                known = list(self.ids)
            sid = rng.choice(known)[0] if known else None
            if r < 0.25 or sid is None:
                # half race for a few shared emails, in any case
                if rng.random() < 0.5:
                    email = rng.choice(self.EMAILS)
                    if rng.random() < 0.5:
                        email = email.upper()
                else:
                    email = self.token("u") + "@example.org"
                name = self.token("Desk ")
                rc, out, err = self.rc.run("add", "--name", name,
                                           "--email", email)
                if rc == 0:
                    with self.lock:
                        self.ids.append((out.strip(), email))
                self.note("add", rc, out.strip() if rc == 0 else None)
            elif r < 0.55:
                day = rng.choice(days)
                at = "%sT%02d:%02d:%02d" % (day, rng.randrange(7, 11),
                                            rng.randrange(60), rng.randrange(60))
                rc, out, err = self.rc.run("checkin", sid, "--at", at)
                self.note("checkin", rc, (sid, day, at[11:]))
            elif r < 0.7:
                reason = self.token("v")
                rc, out, err = self.rc.run("void", sid, "--day",
                                           rng.choice(days), "--reason", reason)
                self.note("void", rc, reason)
            elif r < 0.8:
                email = rng.choice(self.EMAILS)
                name = self.token("Renamed ")
                rc, out, err = self.rc.run("edit", sid, "--email", email,
                                           "--name", name)
                self.note("edit", rc, name)
            elif r < 0.85:
                rc, out, err = self.rc.run("remove", sid)
                self.note("remove", rc, sid)
            elif r < 0.9:
                rc, out, err = self.rc.run("config", "points",
                                           str(rng.randrange(0, 1001)))
                self.note("config", rc)
            elif r < 0.95:
                path = os.path.join(self.rc.tmp, self.token("d") + ".csv")
                with open(path, "w") as f:
                    f.write("name,email\n")
                    for e in rng.sample(self.EMAILS, 2):
                        f.write("%s,%s\n" % (self.token("Imp "), e))
                rc, out, err = self.rc.run("import", "students", path)
                os.unlink(path)
                self.note("import", rc)
            else:
                # verify too: its snapshot must be consistent while
                # the other desks write
                q = rng.choice([["students", "--format", "json"],
                                ["day", rng.choice(days)], ["status"],
                                ["student", sid], ["events", "--from", "5"],
                                ["verify"]])
                rc, out, err = self.rc.run(*q)
                if rc != 0 and q[0] == "verify":
                    failure("verify beside the desks: %s" % err.strip())
                self.note("query", 0 if rc == 1 and q[0] == "student" else rc)
            if rc not in (0, 1):
                failure("desk %d: %s exited %d: %s" % (w, "", rc, err.strip()))

    def start_tui(self):
        if not shutil.which("tmux"):
            print("desks: no tmux, no TUI", file=sys.stderr)
            return None
        sock = "rollcall-torture-%d" % os.getpid()
        cmd = "env TERM=xterm-256color ROLLCALL_NOW=%s TZ=UTC %s --db %s" % (
            NOW, self.rc.binary, self.rc.db)
        subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-s", "t",
                        "-x", "100", "-y", "30", cmd], check=False)
        time.sleep(1)
        subprocess.run(["tmux", "-L", sock, "send-keys", "-t", "t", "F7"])
        return sock

    def tui_screen(self, sock):
        p = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "t"],
                           capture_output=True, text=True)
        return p.stdout

    def run(self):
        sock = self.start_tui() if self.tui else None
        threads = [threading.Thread(target=self.worker, args=(w,))
                   for w in range(self.n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.check(sock)

    def check(self, sock):
        evs = self.rc.events()
        st = self.rc.json("status", "--format", "json")
        if st["head"] != len(evs) or st["checkpoint"] != st["head"]:
            failure("status %r but %d events" % (st, len(evs)))
        rc, out, err = self.rc.run("verify")
        if rc != 0:
            failure("verify after the desks: %s" % err.strip())
        studs = self.rc.json("students", "--all", "--format", "json")
        active = [s["email"].lower() for s in studs if s["active"]]
        if len(active) != len(set(active)):
            failure("two active students share an email")
        # the read side of each student who ever checked in
        checked = {e["data"]["id"] for e in evs
                   if e["type"] == "attendance_recorded"}
        for s in studs:
            if s["id"] not in checked:
                continue
            one = self.rc.json("student", s["id"], "--format", "json")
            valid = {}
            for a in one["attendance"]:
                if not a["voided"]:
                    valid[a["day"]] = valid.get(a["day"], 0) + 1
            if any(n > 1 for n in valid.values()):
                failure("%s has two valid check-ins on a day" % s["id"])
        reg, rec, vd, upd, rem = {}, {}, {}, {}, {}
        for e in evs:
            d, t = e["data"], e["type"]
            if t == "student_registered":
                reg[d["id"]] = reg.get(d["id"], 0) + 1
            elif t == "attendance_recorded":
                k = (d["id"], d["day"], d["arrived"])
                rec[k] = rec.get(k, 0) + 1
            elif t == "attendance_voided":
                vd[d["reason"]] = vd.get(d["reason"], 0) + 1
            elif t == "student_updated":
                upd[d.get("name")] = upd.get(d.get("name"), 0) + 1
            elif t == "student_removed":
                rem[d["id"]] = rem.get(d["id"], 0) + 1
        found = 0
        for kind, key in self.acked:
            n = {"add": reg, "checkin": rec, "void": vd, "edit": upd,
                 "remove": rem}[kind].get(key, 0)
            if n != 1:
                failure("acknowledged %s %r is in the log %d times" %
                        (kind, key, n))
            else:
                found += 1
        # and the replayed days: recorded minus voided per (id, day) <= 1
        net = {}
        for e in evs:
            d = e["data"]
            if e["type"] == "attendance_recorded":
                net[(d["id"], d["day"])] = net.get((d["id"], d["day"]), 0) + 1
            elif e["type"] == "attendance_voided":
                net[(d["id"], d["day"])] = net.get((d["id"], d["day"]), 0) - 1
        if any(v not in (0, 1) for v in net.values()):
            failure("the log has two valid check-ins of one student on a day")
        if sock:
            # The desk polls every 250 ms; on a loaded machine a sanitized
            # build may take seconds to catch up, so wait for it.
            want = "head %d   checkpoint %d   lag 0" % (st["head"], st["head"])
            deadline = time.time() + 20
            screen = self.tui_screen(sock)
            while want not in screen and time.time() < deadline:
                time.sleep(0.25)
                screen = self.tui_screen(sock)
            subprocess.run(["tmux", "-L", sock, "kill-server"], check=False)
            if want not in screen:
                failure("the TUI's status screen does not show '%s':\n%s" %
                        (want, screen))
        total = sum(self.counts.values())
        acked = sum(n for (k, rc), n in self.counts.items() if rc == 0)
        refused = sum(n for (k, rc), n in self.counts.items() if rc == 1)
        print("desks: %d desks, %d commands, %d succeeded, %d refused, "
              "%d acknowledged changes checked and found exactly once, "
              "%d events" % (self.n, total, acked, refused, found, len(evs)))


class Grow(Desks):
    """Desks beside an importer that makes the map grow twice."""

    def __init__(self, rc, seed, rows, n, tui):
        Desks.__init__(self, rc, seed, 3600, n, tui)
        self.rows = rows
        self.imported = 0

    def importer(self):
        for part in (1, 2):
            path = os.path.join(self.rc.tmp, "grow%d.csv" % part)
            with open(path, "w") as f:
                f.write("name,email\n")
                for i in range(self.rows):
                    f.write("Grown Student %d %d,grow%d.%d@example.org\n" %
                            (part, i, part, i))
            rc, out, err = self.rc.run("import", "students", path,
                                       timeout=1800)
            os.unlink(path)
            if rc != 0:
                failure("import of %d rows exited %d: %s" %
                        (self.rows, rc, err.strip()))
            else:
                self.imported += self.rows
        self.deadline = time.time()     # the desks stop with it

    def run(self):
        for i in range(10):
            rc, out, err = self.rc.run("add", "--name", "Seed %d" % i,
                                       "--email", "seed%d@example.org" % i)
            with self.lock:
                self.ids.append((out.strip(), "seed%d" % i))
        sock = self.start_tui() if self.tui else None
        imp = threading.Thread(target=self.importer)
        imp.start()
        threads = [threading.Thread(target=self.worker, args=(w,))
                   for w in range(self.n)]
        for t in threads:
            t.start()
        imp.join()
        for t in threads:
            t.join()
        size = os.path.getsize(os.path.join(self.rc.db, "data.mdb"))
        print("grow: %d students imported, data.mdb %.0f MiB" %
              (self.imported, size / 1048576.0))
        # rollcall maps 1 GiB (or twice the file) to begin with
        first = int(os.environ.get("TORTURE_FIRST_MAP", 1 << 30))
        if size <= first:
            print("grow: data.mdb stayed within the first map (%d bytes); "
                  "the map did not grow (use more --rows)" % first)
        self.check(sock)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["kill", "desks", "grow"])
    ap.add_argument("--rows", type=int, default=150000)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--desks", type=int, default=8)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--tui", action="store_true")
    ap.add_argument("--keep", action="store_true",
                    help="stop at the first failure and keep the database")
    a = ap.parse_args()
    global KEEP
    KEEP = a.keep
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print("%s: seed %d" % (a.mode, seed))
    tmp = tempfile.mkdtemp(prefix="rollcall-torture.")
    try:
        rc = Rollcall(os.path.abspath(a.bin), os.path.join(tmp, "db"), tmp)
        if a.mode == "kill":
            KillTorture(rc, seed, a.seconds).run()
        elif a.mode == "desks":
            Desks(rc, seed, a.seconds, a.desks, a.tui).run()
        else:
            Grow(rc, seed, a.rows, a.desks, a.tui).run()
    except SystemExit:
        pass
    except Exception as e:
        failure("%s: %s" % (type(e).__name__, e))
    finally:
        if a.keep and FAILURES:
            print("%s: database kept in %s" % (a.mode, tmp))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%s: %d failures (seed %d)" % (a.mode, len(FAILURES), seed))
        sys.exit(1)


if __name__ == "__main__":
    main()
