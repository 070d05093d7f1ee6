#!/usr/bin/env python3
"""natsctl.py - a tiny NATS client for the tests (no `nats` CLI needed).

Speaks the NATS text protocol on a socket and the JetStream API over
request/reply, so the tests can look into a stream and plant messages in
it without trusting rollcall's own client code.

  natsctl.py PORT info STREAM           {"messages", "first_seq", "last_seq"}
                                        or "none" when there is no stream
  natsctl.py PORT get STREAM SEQ        one message as JSON (data in base64)
  natsctl.py PORT pub SUBJECT B64 [H=V]...  publish, print the ack as JSON
  natsctl.py PORT check STREAM DBDIR    the stream holds the database's log
                                        exactly once: message i is record i
                                        (bytes, subject, Nats-Msg-Id);
                                        prints "ok N" or what differs (exit 1)
  natsctl.py PORT prefix STREAM DBDIR   the same for the stream's messages:
                                        a prefix of the log, each once
  natsctl.py PORT rm STREAM             delete the stream
  natsctl.py PORT kv BUCKET KEY         a key-value entry: "none", "purged"
                                        or "value N" (N bytes, not shown)
  natsctl.py - samelog DIR REPLICA [prefix]
                                        the replica's log is the source's
                                        (a prefix of it), record for
                                        record, byte for byte (no server)
  natsctl.py - samejson SRC.json REP.json
                                        two outputs equal, names and all:
                                        the keys bucket brought the keys
                                        (no server)
"""
import base64
import json
import socket
import subprocess
import sys


class Nats:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", int(port)), 5)
        self.buf = b""
        self.line()                     # INFO
        self.s.sendall(b'CONNECT {"verbose":false,"pedantic":false,'
                       b'"headers":true,"no_responders":true,'
                       b'"protocol":1}\r\nPING\r\n')
        while self.line() != b"PONG":
            pass
        self.s.sendall(b"SUB _INBOX.natsctl.* 1\r\n")
        self.n = 0

    def fill(self):
        chunk = self.s.recv(65536)
        if not chunk:
            raise SystemExit("natsctl: connection closed")
        self.buf += chunk

    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def take(self, n):
        while len(self.buf) < n + 2:
            self.fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def reply(self, with_subject=False):
        """The next MSG/HMSG: (headers bytes, payload bytes)."""
        while True:
            line = self.line()
            if line == b"PING":
                self.s.sendall(b"PONG\r\n")
                continue
            parts = line.split()
            if parts and parts[0] == b"MSG":
                r = b"", self.take(int(parts[-1]))
            elif parts and parts[0] == b"HMSG":
                hl, tl = int(parts[-2]), int(parts[-1])
                body = self.take(tl)
                r = body[:hl], body[hl:]
            elif parts and parts[0] == b"-ERR":
                raise SystemExit("natsctl: " + line.decode())
            else:
                continue
            return (parts[1].decode(),) + r if with_subject else r

    def request(self, subject, payload, headers=None):
        self.n += 1
        inbox = b"_INBOX.natsctl.%d" % self.n
        subj = subject.encode()
        if headers:
            h = b"NATS/1.0\r\n" + b"".join(
                k.encode() + b": " + v.encode() + b"\r\n"
                for k, v in headers) + b"\r\n"
            self.s.sendall(b"HPUB %s %s %d %d\r\n" % (
                subj, inbox, len(h), len(h) + len(payload)) + h + payload +
                b"\r\n")
        else:
            self.s.sendall(b"PUB %s %s %d\r\n" % (subj, inbox, len(payload))
                           + payload + b"\r\n")
        hdr, data = self.reply()
        if b"503" in hdr[:16]:
            raise SystemExit("natsctl: no responders (JetStream off?)")
        return json.loads(data)

    def info(self, stream):
        r = self.request("$JS.API.STREAM.INFO." + stream, b"")
        if "error" in r:
            return None
        st = r["state"]
        return {"messages": st["messages"], "first_seq": st["first_seq"],
                "last_seq": st["last_seq"], "config": r["config"]}

    def get(self, stream, seq):
        r = self.request("$JS.API.STREAM.MSG.GET." + stream,
                         json.dumps({"seq": seq}).encode())
        return self.message(r)

    def kv(self, bucket, key):
        r = self.request("$JS.API.STREAM.MSG.GET.KV_" + bucket, json.dumps(
            {"last_by_subj": "$KV.%s.%s" % (bucket, key)}).encode())
        if "error" in r:
            return "none"
        m = r["message"]
        if "KV-Operation" in base64.b64decode(m.get("hdrs", "")).decode():
            return "purged"
        return "value %d" % len(base64.b64decode(m.get("data", "")))

    def get_many(self, stream, seqs):
        """Messages by sequence, many requests in flight at once."""
        got = {}
        for i in range(0, len(seqs), 500):
            part = seqs[i:i + 500]
            out = b""
            for seq in part:
                body = json.dumps({"seq": seq}).encode()
                out += b"PUB $JS.API.STREAM.MSG.GET.%s _INBOX.natsctl.g%d %d\r\n%s\r\n" % (
                    stream.encode(), seq, len(body), body)
            self.s.sendall(out)
            for _ in part:
                subj, _, data = self.reply(True)
                got[int(subj.rsplit(".g", 1)[1])] = self.message(
                    json.loads(data))
        return got

    @staticmethod
    def message(r):
        if "error" in r:
            return None
        m = r["message"]
        hdrs = base64.b64decode(m.get("hdrs", "")).decode()
        msgid = None
        for h in hdrs.split("\r\n")[1:]:
            k, _, v = h.partition(":")
            if k.strip().lower() == "nats-msg-id":
                msgid = v.strip()
        return {"seq": m["seq"], "subject": m["subject"], "msg_id": msgid,
                "data": m.get("data", "")}


def db_records(dbdir):
    """The log of a database: {seq: bytes}, read with mdb_dump."""
    out = subprocess.run(["mdb_dump", "-s", "events", dbdir],
                         capture_output=True, text=True, check=True).stdout
    lines = out.split("HEADER=END\n", 1)[1].split("\n")
    recs, i = {}, 0
    while i + 1 < len(lines) and lines[i] != "DATA=END":
        key, val = bytes.fromhex(lines[i].strip()), lines[i + 1].strip()
        recs[int.from_bytes(key, "big")] = bytes.fromhex(val)
        i += 2
    return recs


def check(nc, stream, dbdir, prefix=False):
    """None when the stream holds the log (or, with prefix, its start)
    exactly once; else what differs."""
    info = nc.info(stream)
    recs = db_records(dbdir)
    if info is None:
        return None if prefix else "no stream " + stream
    if prefix:
        if info["messages"] > len(recs):
            return "stream holds %d messages, the log only %d events" % (
                info["messages"], len(recs))
        recs = {s: r for s, r in recs.items() if s <= info["messages"]}
    if info["messages"] != len(recs):
        return "stream holds %d messages, the log %d events" % (
            info["messages"], len(recs))
    if recs and (info["first_seq"] != 1 or info["last_seq"] != len(recs)):
        return "stream sequences %d..%d, log 1..%d" % (
            info["first_seq"], info["last_seq"], len(recs))
    subjects = info["config"]["subjects"]
    msgs = nc.get_many(stream, sorted(recs))
    for seq in sorted(recs):
        m = msgs.get(seq)
        if m is None:
            return "no message %d" % seq
        if base64.b64decode(m["data"]) != recs[seq]:
            return "message %d is not record %d" % (seq, seq)
        if m["subject"] not in subjects or not m["subject"].startswith(
                "rollcall."):
            return "message %d on subject %s" % (seq, m["subject"])
        origin = m["subject"][len("rollcall."):]
        if m["msg_id"] != "%s:%d" % (origin, seq):
            return "message %d has Nats-Msg-Id %s" % (seq, m["msg_id"])
    return None


PERSONAL = ("name", "email", "code", "gender", "summary")


def alike(src, rep):
    """rep is src as a replica part way through may show it: a student
    erased on the source since the replica copied them still has a name
    there ([erased] on the source), and one whose erasure purged the key
    before the replica copied their registration is [withheld] until the
    erasure arrives.  Everything else is equal."""
    if isinstance(src, dict) and isinstance(rep, dict):
        return src.keys() == rep.keys() and all(
            alike(src[k], rep[k]) or (
                k in PERSONAL and ("[erased]" in str(src[k]) or
                                   rep[k] is None or
                                   "[withheld]" in str(rep[k])))
            for k in src)
    if isinstance(src, list) and isinstance(rep, list):
        # Lists in name order come in another order without the names.
        if all(isinstance(x, dict) and "id" in x for x in src + rep):
            src = sorted(src, key=lambda x: str(x["id"]))
            rep = sorted(rep, key=lambda x: str(x["id"]))
        return len(src) == len(rep) and all(
            alike(a, b) for a, b in zip(src, rep))
    return src == rep


def offline(cmd, args):
    if cmd == "samelog":
        a, b = db_records(args[0]), db_records(args[1])
        want = {s: r for s, r in a.items() if s <= max(b, default=0)} \
            if len(args) > 2 else a
        if a and b and want != b:
            bad = [s for s in sorted(set(want) | set(b))
                   if want.get(s) != b.get(s)]
            print("records differ from %d on (%d and %d records)"
                  % (bad[0], len(a), len(b)))
            return 1
        if not a and b or (len(args) <= 2 and len(a) != len(b)):
            print("%d records against %d" % (len(a), len(b)))
            return 1
        print("ok %d" % len(b))
        return 0
    with open(args[0]) as f:
        src = [json.loads(x) for x in f.read().split("\n") if x] \
            if args[0].endswith("l") else json.load(f)
    with open(args[1]) as f:
        rep = [json.loads(x) for x in f.read().split("\n") if x] \
            if args[1].endswith("l") else json.load(f)
    if src != rep:
        print("they differ")
        return 1
    return 0


def main(argv):
    port, cmd, args = argv[1], argv[2], argv[3:]
    if cmd in ("samelog", "samejson"):
        return offline(cmd, args)
    nc = Nats(port)
    if cmd == "info":
        i = nc.info(args[0])
        if i:
            i.pop("config")
        print(json.dumps(i) if i else "none")
    elif cmd == "get":
        print(json.dumps(nc.get(args[0], int(args[1]))))
    elif cmd == "pub":
        hdrs = [tuple(h.split("=", 1)) for h in args[2:]]
        print(json.dumps(nc.request(args[0], base64.b64decode(args[1]),
                                    hdrs)))
    elif cmd in ("check", "prefix"):
        why = check(nc, args[0], args[1], cmd == "prefix")
        if why:
            print(why)
            return 1
        print("ok %d" % len(db_records(args[1])))
    elif cmd == "kv":
        print(nc.kv(args[0], args[1]))
    elif cmd == "rm":
        print(json.dumps(nc.request("$JS.API.STREAM.DELETE." + args[0], b"")))
    else:
        raise SystemExit("natsctl: unknown command " + cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
