#!/usr/bin/env python3
"""rawdb.py - read and write rollcall's LMDB sub-databases the way an
older build, a hand edit or a damaged disk would, with lmdb-utils'
mdb_dump and mdb_load (no Python LMDB module needed).

  rawdb.py dump DIR SUBDB             key<TAB>value as hex, one per line
  rawdb.py records DIR OUTDIR         each event record as a file (corpus)
  rawdb.py append DIR TYPE FIELDS...  append a hand-made event to the log,
                                      hash-chained, bypassing validation
  rawdb.py put DIR SUBDB KEYHEX VALHEX  overwrite one record
  rawdb.py del DIR SUBDB KEYHEX       delete one record (liblmdb through
                                      ctypes: the tools cannot delete)

append types (text fields are Python string literals, so they may hold
escapes such as '\\x1b[2J' or, with b'...', invalid UTF-8 bytes):
  register NAME EMAIL [GENDER]     prints the new id
  update ID NAME                   a name change
  raw HEX                          a whole payload, type byte first
The event is recorded at ROLLCALL_NOW (or 2025-09-01T08:30:00) UTC, or
at $RAWDB_RECORDED_AT (microseconds, any 64-bit value) when set.
"""
import ast
import datetime
import hashlib
import os
import struct
import subprocess
import sys
import uuid


def dump(d, sub):
    """[(key, value)] of sub-database `sub` of environment `d`."""
    p = subprocess.run(["mdb_dump", "-s", sub, d], capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.exit("rawdb: mdb_dump failed: " + p.stderr.strip())
    lines = p.stdout.split("\n")
    i = lines.index("HEADER=END") + 1
    rows = []
    while i < len(lines) and lines[i].startswith(" "):
        k = bytes.fromhex(lines[i].strip())
        v = bytes.fromhex(lines[i + 1].strip())
        rows.append((k, v))
        i += 2
    return rows


def hexline(b):
    return b.hex()


def load(d, sub, rows):
    """Write rows (overwriting equal keys) into sub with mdb_load -T."""
    text = "".join(" %s\n %s\n" % (hexline(k), hexline(v)) for k, v in rows)
    hdr = ("VERSION=3\nformat=bytevalue\ndatabase=%s\ntype=btree\n"
           "HEADER=END\n" % sub)
    p = subprocess.run(["mdb_load", "-s", sub, d], input=hdr + text +
                       "DATA=END\n", capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("rawdb: mdb_load failed: " + p.stderr.strip())


def delete(d, sub, key):
    """Delete key from sub, as a lost record would be."""
    import ctypes
    lib = ctypes.CDLL("liblmdb.so.0")

    class Val(ctypes.Structure):
        _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.c_void_p)]

    env, txn, dbi = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_uint()
    buf = ctypes.create_string_buffer(key, len(key))
    k = Val(len(key), ctypes.cast(buf, ctypes.c_void_p))
    ok = (lib.mdb_env_create(ctypes.byref(env)) == 0 and
          lib.mdb_env_set_maxdbs(env, 64) == 0 and
          lib.mdb_env_set_mapsize(env, ctypes.c_size_t(1 << 32)) == 0 and
          lib.mdb_env_open(env, d.encode(), 0, 0o600) == 0 and
          lib.mdb_txn_begin(env, None, 0, ctypes.byref(txn)) == 0 and
          lib.mdb_dbi_open(txn, sub.encode(), 0, ctypes.byref(dbi)) == 0)
    rc = lib.mdb_del(txn, dbi, ctypes.byref(k), None) if ok else -1
    if rc == 0:
        rc = lib.mdb_txn_commit(txn)
    elif ok:
        lib.mdb_txn_abort(txn)
    lib.mdb_env_close(env)
    if rc != 0:
        sys.exit("rawdb: cannot delete from %s (%d)" % (sub, rc))


def now_us(clock_only=False):
    if os.environ.get("RAWDB_RECORDED_AT") and not clock_only:
        return int(os.environ["RAWDB_RECORDED_AT"])
    s = os.environ.get("ROLLCALL_NOW") or "2025-09-01T08:30:00"
    fmt = "%Y-%m-%dT%H:%M:%S" if len(s) > 16 else "%Y-%m-%dT%H:%M"
    t = datetime.datetime.strptime(s, fmt).replace(
        tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1000000


def text(b):
    return struct.pack(">H", len(b)) + b


def lit(s):
    """A command-line literal: Python string syntax, else the text."""
    try:
        v = ast.literal_eval(s)
    except (ValueError, SyntaxError):
        v = s
    return v if isinstance(v, bytes) else str(v).encode("utf-8", "surrogateescape")


def append(d, etype, payload):
    rows = dump(d, "events")
    if rows:
        seq = struct.unpack(">Q", rows[-1][0])[0] + 1
        prev = hashlib.blake2b(rows[-1][1], digest_size=32).digest()
    else:
        seq, prev = 1, bytes(32)
    rec = struct.pack(">BBBBQq", 1, etype, 1, 0, seq, now_us()) + prev
    load(d, "events", [(struct.pack(">Q", seq), rec + payload)])
    return seq


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, d = argv[1], argv[2]
    if cmd == "dump":
        for k, v in dump(d, argv[3]):
            print(k.hex() + "\t" + v.hex())
    elif cmd == "records":
        os.makedirs(argv[3], exist_ok=True)
        for k, v in dump(d, "events"):
            name = "seq%d" % struct.unpack(">Q", k)[0]
            with open(os.path.join(argv[3], name), "wb") as f:
                f.write(v)
    elif cmd == "put":
        load(d, argv[3], [(bytes.fromhex(argv[4]), bytes.fromhex(argv[5]))])
    elif cmd == "del":
        delete(d, argv[3], bytes.fromhex(argv[4]))
    elif cmd == "append":
        kind = argv[3]
        if kind == "register":
            sid = uuid.uuid4()
            gender = int(argv[6]) if len(argv) > 6 else 0
            day = now_us(True) // 86400000000
            payload = (sid.bytes + struct.pack(">BI", gender, day) +
                       text(lit(argv[4])) + text(lit(argv[5])))
            append(d, 1, payload)
            print(sid)
        elif kind == "update":
            payload = (uuid.UUID(argv[4]).bytes + b"\x01" +
                       text(lit(argv[5])))
            append(d, 2, payload)
        elif kind == "raw":
            raw = bytes.fromhex(argv[4])
            print(append(d, raw[0], raw[1:]))
        else:
            sys.exit(__doc__)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
