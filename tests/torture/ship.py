#!/usr/bin/env python3
"""ship.py - crash torture of publish and replica (SPEC 9, issue 13).

  ship.py --bin BIN --seconds S [--seed N]

Starts a real nats-server with JetStream on 127.0.0.1 (free port,
temporary store).  Desk commands keep appending to a source database
while `publish` runs are killed with SIGKILL after random delays (from
starting up to the middle of a catch-up of thousands of events), some
with --follow; now and then the server restarts under them, and a
replica is run and killed the same way.  After every kill:

  - the stream holds a prefix of the source's log, each event exactly
    once (message i is record i, byte for byte, with Nats-Msg-Id
    origin:i): nothing duplicated, nothing skipped;
  - the replica opens, verifies, and its log is a prefix of the
    source's.

At the end a last publish and replica run must bring both to the
source's head: the stream is the log exactly, the replica's events are
the source's.  Prints the counts and exits 1 on any failure.
"""
import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import natsctl                                  # noqa: E402
from torture import Rollcall, failure, FAILURES  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, tmp):
        self.port = free_port()
        self.store = os.path.join(tmp, "nats")
        self.log = open(os.path.join(tmp, "nats.log"), "a")
        self.bin = shutil.which("nats-server") or "/usr/sbin/nats-server"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.bin, "-js", "-a", "127.0.0.1", "-p", str(self.port),
             "-sd", self.store], stdout=self.log, stderr=self.log)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None

    @property
    def url(self):
        return "nats://127.0.0.1:%d" % self.port


class ShipTorture:
    def __init__(self, binary, tmp, seed, seconds):
        self.rng = random.Random(seed)
        self.deadline = time.time() + seconds
        self.tmp = tmp
        self.src = Rollcall(binary, os.path.join(tmp, "src"), tmp)
        self.rep = Rollcall(binary, os.path.join(tmp, "rep"), tmp)
        self.server = Server(tmp)
        self.n = 0
        self.kills = {"publish": 0, "follow": 0, "replica": 0}
        self.restarts = 0
        self.stream = None
        self.origin = None

    # -- the source keeps working -----------------------------------------
    def desk_work(self):
        """A few commands, or an import of hundreds of students."""
        if self.rng.random() < 0.3:
            path = os.path.join(self.tmp, "in.csv")
            with open(path, "w") as f:
                f.write("name,email\n")
                for _ in range(self.rng.randrange(200, 3000)):
                    self.n += 1
                    f.write("S %d,s%d@x.org\n" % (self.n, self.n))
            rc, _, err = self.src.run("import", "students", path)
        else:
            self.n += 1
            rc, _, err = self.src.run("add", "--name", "S %d" % self.n,
                                      "--email", "s%d@x.org" % self.n)
        if rc != 0:
            failure("desk command exited %d: %s" % (rc, err.strip()))

    # -- publish and replica, killed ----------------------------------------
    def killed(self, who, args, db):
        proc = db.start(args)
        delay = self.rng.choice([0.01, 0.05, 0.1, 0.2, 0.4, 0.8])
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.kills[who] += 1
            return
        if proc.returncode not in (0, 3):
            failure("%s exited %d: %s" % (" ".join(args), proc.returncode,
                                          proc.stderr.read().strip()))
        proc.stdout.close()
        proc.stderr.close()

    def check_stream(self, whole=False):
        if self.stream is None:
            self.stream = "ROLLCALL-" + self.find_origin()
        nc = natsctl.Nats(self.server.port)
        why = natsctl.check(nc, self.stream, self.src.db, prefix=not whole)
        nc.s.close()
        if why:
            failure("stream: " + why)

    def find_origin(self):
        rc, out, _ = self.src.run("publish", "--to", self.server.url)
        for word in out.split():
            if word.startswith("ROLLCALL-"):
                self.origin = word[len("ROLLCALL-"):].rstrip(",")
                return self.origin
        raise RuntimeError("no stream named by publish: " + out)

    def check_replica(self, whole=False):
        if not os.path.exists(os.path.join(self.rep.db, "data.mdb")):
            return
        rc, out, err = self.rep.run("verify")
        if rc != 0:
            failure("replica verify: %s %s" % (out.strip(), err.strip()))
        # The logs record for record; the events as shown may differ
        # in the personal data of erased students (natsctl.alike).
        mine = natsctl.db_records(self.rep.db)
        theirs = natsctl.db_records(self.src.db)
        if any(theirs.get(s) != r for s, r in mine.items()) or (
                whole and mine != theirs) or not natsctl.alike(
                    self.src.events()[:len(mine)], self.rep.events()):
            failure("replica log is not %s the source's (%d of %d)" % (
                "" if whole else "a prefix of", len(mine), len(theirs)))

    def one_round(self):
        self.desk_work()
        r = self.rng.random()
        if r < 0.5:
            self.killed("publish", ["publish", "--to", self.server.url],
                        self.src)
        elif r < 0.7:
            self.killed("follow", ["publish", "--to", self.server.url,
                                   "--follow"], self.src)
        elif self.origin:
            self.killed("replica", ["replica", "--from", self.server.url,
                                    "--origin", self.origin], self.rep)
            self.check_replica()
        if self.rng.random() < 0.1:
            self.server.stop()
            self.server.start()
            self.restarts += 1
        self.check_stream()

    def run(self):
        self.server.start()
        try:
            self.desk_work()
            self.check_stream()
            rounds = 0
            while time.time() < self.deadline and not FAILURES:
                self.one_round()
                rounds += 1
            rc, _, err = self.src.run("publish", "--to", self.server.url)
            if rc != 0:
                failure("the last publish exited %d: %s" % (rc, err))
            self.check_stream(whole=True)
            rc, _, err = self.rep.run("replica", "--from", self.server.url,
                                      "--origin", self.origin)
            if rc != 0:
                failure("the last replica exited %d: %s" % (rc, err))
            self.check_replica(whole=True)
            print("ship: %d rounds, %d events, kills %s, %d server restarts"
                  % (rounds, len(self.src.events()), self.kills,
                     self.restarts))
        finally:
            self.server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print("ship: seed %d" % seed)
    tmp = tempfile.mkdtemp(prefix="rollcall-ship.")
    try:
        ShipTorture(os.path.abspath(a.bin), tmp, seed, a.seconds).run()
    except Exception as e:
        failure("%s: %s" % (type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("ship: %d failures (seed %d)" % (len(FAILURES), seed))
        sys.exit(1)


if __name__ == "__main__":
    main()
